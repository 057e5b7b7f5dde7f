//! A label picture as ZPL II for a thermal printer: one `^GFA` graphic field
//! laid on the 4×6 page at the printer's density, its rows in Zebra's
//! ASCII compression (runs counted with `G`…`z`, `,` for a row that ends
//! white, `:` for a row like the one before), so a whole label travels as a
//! few tens of kilobytes rather than a quarter of a megabyte.

use super::raster::{Bitmap, RasterError};
use super::{Density, HEIGHT_MILS, WIDTH_MILS};

/// The density carriers draw their label pictures at.
pub const SOURCE_DPI: u32 = 203;

/// `bitmap` (drawn at [`SOURCE_DPI`]) as a ZPL label for a printer of
/// `density`: scaled by the ratio of densities, never beyond the page (a
/// larger picture is scaled down to fit), and centred.
pub fn render(bitmap: &Bitmap, density: Density) -> Result<Vec<u8>, RasterError> {
    let (page_w, page_h) = (density.dots(WIDTH_MILS), density.dots(HEIGHT_MILS));
    let (num, den) = [(density.dpi(), SOURCE_DPI), (page_w, bitmap.width()), (page_h, bitmap.height())]
        .into_iter()
        .min_by_key(|(n, d)| u64::from(*n) * 1_000_000 / u64::from(*d))
        .unwrap_or((1, 1));
    let fitted = bitmap.scaled(num, den)?;
    let (x, y) = ((page_w.saturating_sub(fitted.width())) / 2, (page_h.saturating_sub(fitted.height())) / 2);
    let row_bytes = fitted.width().div_ceil(8);
    let total = row_bytes * fitted.height();
    let mut out = format!("^XA^PW{page_w}^LL{page_h}^LH0,0^FO{x},{y}^GFA,{total},{total},{row_bytes},");
    out.push_str(&compressed(&fitted.packed(true), row_bytes as usize));
    out.push_str("^FS^XZ\n");
    Ok(out.into_bytes())
}

/// Packed rows (1 = black) as compressed hex, row by row.
pub fn compressed(packed: &[u8], row_bytes: usize) -> String {
    let mut out = String::with_capacity(packed.len() / 4);
    let mut previous: Option<&[u8]> = None;
    for row in packed.chunks(row_bytes) {
        if previous == Some(row) {
            out.push(':');
            continue;
        }
        previous = Some(row);
        let hex: Vec<u8> = row.iter().flat_map(|b| [nibble(b >> 4), nibble(b & 0x0f)]).collect();
        let kept = hex.iter().rposition(|c| *c != b'0').map_or(0, |i| i + 1);
        let mut i = 0;
        while i < kept {
            let run = hex[i..kept].iter().take_while(|c| **c == hex[i]).count().min(419);
            if run > 1 {
                push_count(&mut out, run);
            }
            out.push(hex[i] as char);
            i += run;
        }
        if kept < hex.len() {
            out.push(',');
        }
    }
    out
}

fn nibble(n: u8) -> u8 {
    b"0123456789ABCDEF"[usize::from(n)]
}

/// A repeat count (2…419) in Zebra's letters: `g`…`z` for 20…400 in
/// twenties, then `G`…`Y` for 1…19.
fn push_count(out: &mut String, n: usize) {
    if n >= 20 {
        out.push((b'f' + (n / 20) as u8) as char);
    }
    if !n.is_multiple_of(20) {
        out.push((b'F' + (n % 20) as u8) as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_compressed_as_zebra_reads_them() {
        // 0xFF 0xFF 0x00 0x00 → "FFFF0000" → four Fs, then white to the end.
        assert_eq!(compressed(&[0xff, 0xff, 0, 0], 4), "JF,");
        // The same row again is a colon; an all-white row is a comma alone.
        assert_eq!(compressed(&[0x0f, 0x01, 0x0f, 0x01, 0, 0], 2), "0F01:,");
        let long = vec![0xaa; 30];
        assert_eq!(compressed(&long, 30), "iA", "60 As");
        let longer = vec![0xff; 300];
        let text = compressed(&longer, 300);
        assert_eq!(text, "zYFoGF", "600 Fs: 419 then 181");
    }
}
