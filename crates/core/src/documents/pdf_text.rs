//! Text for PDFs drawn with the base fonts every PDF reader has (Helvetica):
//! WinAnsi bytes, widths, and cutting text to a width.

/// The text in WinAnsi (Windows-1252) bytes, what the base fonts read; a
/// character it lacks becomes `?`.
pub fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '€' => 0x80,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '–' => 0x96,
            '—' => 0x97,
            _ => b'?',
        })
        .collect()
}

/// Width of `text` in Helvetica at `size` (digits and separators exact, letters near enough).
pub fn text_width(text: &str, size: f32) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| match c {
            '0'..='9' | '$' => 556,
            '.' | ',' | ' ' | ':' => 278,
            '-' => 333,
            'A'..='Z' => 667,
            'i' | 'j' | 'l' => 222,
            'f' | 't' | 'r' => 300,
            'm' | 'w' => 833,
            _ => 556,
        })
        .sum();
    units as f32 * size / 1000.0
}

/// Shortens `text` to fit `width` at `size`, ending in `…` when cut.
pub fn fit(text: &str, width: f32, size: f32) -> String {
    if text_width(text, size) <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    for c in text.chars() {
        if text_width(&format!("{out}{c}…"), size) > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}
