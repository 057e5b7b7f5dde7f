//! The label as a one-page 4×6-inch PDF for laser and inkjet printers,
//! drawn from the same layout as the ZPL: bars and QR modules as filled
//! rectangles of exact size, text in Helvetica.

use super::layout::{Element, layout};
use super::{HEIGHT_MILS, LabelError, ShippingLabel, WIDTH_MILS};
use crate::documents::pdf_text::win_ansi;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");
/// The narrowest bar, in thousandths of an inch (what a 203-dpi printer draws with 3 dots).
const MODULE_MILS: f32 = 15.0;
/// The largest QR module, in thousandths of an inch.
const QR_MODULE_MILS: f32 = 40.0;

/// Thousandths of an inch in PDF points.
fn pt(mils: f32) -> f32 {
    mils * 72.0 / 1000.0
}

/// A rectangle given from the top-left in mils, in PDF's bottom-up points.
fn fill(c: &mut Content, x: f32, y: f32, w: f32, h: f32) {
    c.rect(pt(x), pt(HEIGHT_MILS as f32 - y - h), pt(w), pt(h));
    c.fill_nonzero();
}

/// The label as PDF bytes.
pub fn render(label: &ShippingLabel) -> Result<Vec<u8>, LabelError> {
    let elements = layout(label)?;
    let mut c = Content::new();
    c.set_fill_gray(0.0);
    for e in &elements {
        match e {
            Element::Text { x, y, size, bold, text } => {
                let size = *size as f32;
                c.begin_text();
                c.set_font(if *bold { BOLD } else { REGULAR }, pt(size));
                // The line's top at `y`: Helvetica's capitals stand about 0.8 em above the baseline.
                c.next_line(pt(*x as f32), pt(HEIGHT_MILS as f32 - *y as f32 - size * 0.8));
                c.show(Str(&win_ansi(text)));
                c.end_text();
            }
            Element::Rect { x, y, w, h } => fill(&mut c, *x as f32, *y as f32, *w as f32, *h as f32),
            Element::Barcode { x, y, w, h, code } => {
                let modules = code.width_modules() as f32;
                let module = MODULE_MILS.min(*w as f32 / (modules + 20.0));
                let mut left = *x as f32 + (*w as f32 - module * modules) / 2.0;
                let bars = code.modules();
                let mut i = 0;
                while i < bars.len() {
                    let run = bars[i..].iter().take_while(|b| **b == bars[i]).count();
                    if bars[i] {
                        fill(&mut c, left, *y as f32, module * run as f32, *h as f32);
                    }
                    left += module * run as f32;
                    i += run;
                }
            }
            Element::Qr { x, y, side, data } => {
                let code = super::zpl::qr_code(data)?;
                let width = code.width();
                let module = QR_MODULE_MILS.min(*side as f32 / width as f32);
                for (i, color) in code.to_colors().into_iter().enumerate() {
                    if color == qrcode::Color::Dark {
                        let (row, col) = ((i / width) as f32, (i % width) as f32);
                        fill(&mut c, *x as f32 + col * module, *y as f32 + row * module, module, module);
                    }
                }
            }
        }
    }

    let mut pdf = Pdf::new();
    let (catalog, tree, page, contents, regular, bold) =
        (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5), Ref::new(6));
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page]).count(1);
    let mut p = pdf.page(page);
    p.media_box(Rect::new(0.0, 0.0, pt(WIDTH_MILS as f32), pt(HEIGHT_MILS as f32))).parent(tree).contents(contents);
    p.resources().fonts().pair(REGULAR, regular).pair(BOLD, bold);
    p.finish();
    pdf.stream(contents, &c.finish());
    pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
    Ok(pdf.finish())
}
