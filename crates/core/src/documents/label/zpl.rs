//! The label as ZPL II for a thermal printer at 203 or 300 dpi.
//!
//! Raw ZPL carries no page size of its own, so the label states it: print
//! width and length in dots for the density (`^PW`, `^LL`), origin at the top
//! left (`^LH0,0`), no scaling anywhere. Every text a person typed goes
//! through `^FH` hex escapes — `^`, `~`, the escape character itself and every
//! byte outside printable ASCII — under `^CI28` (UTF-8), so a name like
//! `^XA~JR` prints as those characters and can never become a command. The
//! QR code is drawn as boxes of whole dots, so it lands where the layout puts
//! it on every printer.

use super::layout::{Element, layout};
use super::{Density, HEIGHT_MILS, LabelError, ShippingLabel, WIDTH_MILS};
use std::fmt::Write;

/// Field data with every byte that could be read as a command hex-escaped
/// (`_XX`, the default `^FH` indicator being `_`).
pub fn escape_field(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if (b' '..=b'~').contains(&b) && !matches!(b, b'^' | b'~' | b'_') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "_{b:02X}");
        }
    }
    out
}

/// The label in ZPL II for `density`.
pub fn render(label: &ShippingLabel, density: Density) -> Result<Vec<u8>, LabelError> {
    let elements = layout(label)?;
    let d = |mils: u32| density.dots(mils);
    let mut z = String::new();
    // Start, UTF-8, label home at the corner, size in dots, no mirror, printer defaults for the rest.
    let _ = write!(z, "^XA^CI28^LH0,0^PW{}^LL{}^PON^FWN", d(WIDTH_MILS), d(HEIGHT_MILS));
    for e in &elements {
        match e {
            Element::Text { x, y, size, bold, text } => {
                let h = d(*size);
                // Font 0 (scalable); a bold line is drawn a little wider.
                let w = if *bold { h * 11 / 10 } else { h };
                let _ = write!(z, "^FO{},{}^A0N,{h},{w}^FH^FD{}^FS", d(*x), d(*y), escape_field(text));
            }
            Element::Rect { x, y, w, h } => {
                let (w, h) = (d(*w).max(1), d(*h).max(1));
                let _ = write!(z, "^FO{},{}^GB{w},{h},{}^FS", d(*x), d(*y), w.min(h));
            }
            Element::Barcode { x, y, w, h, code } => {
                let module = barcode_module(density, code.width_modules(), d(*w))?;
                let width = module * code.width_modules();
                let left = d(*x) + (d(*w) - width) / 2;
                // Mode N with the subsets chosen here: the printer draws exactly the bars the PDF does.
                let _ = write!(
                    z,
                    "^FO{left},{}^BY{module},3,{}^BCN,{},N,N,N,N^FD{}^FS",
                    d(*y),
                    d(*h),
                    d(*h),
                    code.zpl_field()
                );
            }
            Element::Qr { x, y, side, data } => {
                // Drawn module by module (runs of dark modules as boxes) rather than with ^BQ, whose
                // placement differs between firmwares: whole dots per module, the same symbol as the PDF's.
                let code = qr_code(data)?;
                let width = code.width();
                let module = (d(*side) / width as u32).max(1);
                let dark: Vec<bool> = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
                for (row, cells) in dark.chunks(width).enumerate() {
                    let mut col = 0;
                    while col < width {
                        let run = cells[col..].iter().take_while(|c| **c == cells[col]).count();
                        if cells[col] {
                            let (left, top) = (d(*x) + col as u32 * module, d(*y) + row as u32 * module);
                            let w = run as u32 * module;
                            let _ = write!(z, "^FO{left},{top}^GB{w},{module},{}^FS", w.min(module));
                        }
                        col += run;
                    }
                }
            }
        }
    }
    z.push_str("^PQ1^XZ\n");
    Ok(z.into_bytes())
}

/// The widest whole-dot module that fits the symbol and its quiet zones
/// (10 modules each side) in `box_dots`, at most the density's own.
pub(super) fn barcode_module(density: Density, modules: u32, box_dots: u32) -> Result<u32, LabelError> {
    let fits = box_dots / (modules + 20);
    let module = fits.min(density.module_dots());
    if module < 2 {
        return Err(LabelError::BadBarcode(format!("{modules} modules do not fit a 4-inch label")));
    }
    Ok(module)
}

/// The QR code of `data` (error correction M), as both renderers draw it.
pub(super) fn qr_code(data: &str) -> Result<qrcode::QrCode, LabelError> {
    qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)
        .map_err(|_| LabelError::Missing("a QR code's data short enough to encode"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_in_typed_text_are_escaped() {
        assert_eq!(escape_field("^XA~JR"), "_5EXA_7EJR");
        assert_eq!(escape_field("a_b"), "a_5Fb");
        assert_eq!(escape_field("Zoë"), "Zo_C3_AB");
        assert_eq!(escape_field("line\nbreak"), "line_0Abreak");
        assert_eq!(escape_field("Plain 12-B"), "Plain 12-B");
    }

    #[test]
    fn dots_are_computed_for_each_density() {
        assert_eq!((Density::Dpi203.dots(WIDTH_MILS), Density::Dpi203.dots(HEIGHT_MILS)), (812, 1218));
        assert_eq!((Density::Dpi300.dots(WIDTH_MILS), Density::Dpi300.dots(HEIGHT_MILS)), (1200, 1800));
        assert_eq!(barcode_module(Density::Dpi203, 200, 812).unwrap(), 3);
        assert_eq!(barcode_module(Density::Dpi300, 200, 1200).unwrap(), 4);
        assert!(barcode_module(Density::Dpi203, 400, 760).is_err());
    }
}
