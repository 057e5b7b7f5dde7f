//! Where everything sits on a 4×6 label, in thousandths of an inch from the
//! top-left corner: the one description both renderers draw.

use super::{HEIGHT_MILS, LabelAddress, LabelError, ShippingLabel, WIDTH_MILS, check};
use crate::documents::label::code128::Code128;
use crate::documents::pdf_text::fit;

/// Space kept clear along every edge.
pub const MARGIN: u32 = 120;

/// One thing drawn on a label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Element {
    /// A line of text whose top is at `y`, `size` high (already cut to fit).
    Text {
        /// Left edge.
        x: u32,
        /// Top edge.
        y: u32,
        /// Character height.
        size: u32,
        /// Heavier type for what a sorter reads first.
        bold: bool,
        /// What it says.
        text: String,
    },
    /// A filled rectangle (rules and the black carrier band).
    Rect {
        /// Left edge.
        x: u32,
        /// Top edge.
        y: u32,
        /// Width.
        w: u32,
        /// Height.
        h: u32,
    },
    /// A Code 128 barcode centred in the box from `x` to `x + w`.
    Barcode {
        /// Left edge of the box.
        x: u32,
        /// Top edge.
        y: u32,
        /// Width of the box (the barcode and its quiet zones fit inside).
        w: u32,
        /// Bar height.
        h: u32,
        /// The symbol.
        code: Code128,
    },
    /// A QR code with its top-left corner at (`x`, `y`), as large as fits a
    /// square of `side` with modules of a whole number of dots.
    Qr {
        /// Left edge.
        x: u32,
        /// Top edge.
        y: u32,
        /// The largest side it may take.
        side: u32,
        /// What it carries.
        data: String,
    },
}

/// Text `size` high cut (with `…`) to `width`, estimated with Helvetica's widths.
fn cut(text: &str, size: u32, width: u32) -> String {
    fit(text.trim(), width as f32, size as f32)
}

/// An address block from `y` down; returns where the next element may start.
fn address(out: &mut Vec<Element>, a: &LabelAddress, x: u32, mut y: u32, width: u32, sizes: (u32, u32)) -> u32 {
    let (big, small) = sizes;
    let line = |out: &mut Vec<Element>, text: &str, size: u32, bold: bool, y: &mut u32| {
        if !text.trim().is_empty() {
            out.push(Element::Text { x, y: *y, size, bold, text: cut(text, size, width) });
            *y += size * 13 / 10;
        }
    };
    line(out, &a.name, big, true, &mut y);
    if let Some(c) = &a.company {
        line(out, c, small, false, &mut y);
    }
    for l in &a.lines {
        line(out, l, small, false, &mut y);
    }
    let region = a.region.as_deref().map(|r| format!(" {r}")).unwrap_or_default();
    line(out, &format!("{}{region} {}  {}", a.city, a.postcode, a.country), big, true, &mut y);
    y
}

/// The label's elements, top to bottom.
pub fn layout(label: &ShippingLabel) -> Result<Vec<Element>, LabelError> {
    check(label)?;
    let code = Code128::new(&label.tracking).ok_or_else(|| LabelError::BadBarcode(label.tracking.clone()))?;
    let inner = WIDTH_MILS - 2 * MARGIN;
    let mut out = Vec::new();

    // From, small, with the carrier and service beside it.
    out.push(Element::Text { x: MARGIN, y: MARGIN, size: 90, bold: true, text: "FROM".into() });
    address(&mut out, &label.from, MARGIN, MARGIN + 130, 2300, (110, 100));
    out.push(Element::Text { x: 2550, y: MARGIN, size: 260, bold: true, text: cut(&label.carrier, 260, 1330) });
    out.push(Element::Text { x: 2550, y: MARGIN + 330, size: 130, bold: false, text: cut(&label.service, 130, 1330) });
    out.push(Element::Text {
        x: 2550,
        y: MARGIN + 520,
        size: 130,
        bold: false,
        text: format!("{:.2} kg", f64::from(label.weight_grams) / 1000.0),
    });
    out.push(Element::Text { x: 2550, y: MARGIN + 700, size: 110, bold: false, text: label.ship_date.clone() });
    out.push(Element::Rect { x: MARGIN, y: 1080, w: inner, h: 24 });

    // Ship to, large.
    out.push(Element::Text { x: MARGIN, y: 1180, size: 110, bold: true, text: "SHIP TO".into() });
    address(&mut out, &label.to, MARGIN + 150, 1340, inner - 150, (230, 190));
    out.push(Element::Rect { x: MARGIN, y: 2820, w: inner, h: 24 });

    // The tracking barcode and its digits.
    out.push(Element::Barcode { x: MARGIN, y: 2960, w: inner, h: 1000, code });
    out.push(Element::Text { x: 700, y: 4020, size: 170, bold: true, text: label.tracking.clone() });
    out.push(Element::Rect { x: MARGIN, y: 4330, w: inner, h: 24 });

    // The order, the parcel and the QR code that opens the order.
    out.push(Element::Text { x: MARGIN, y: 4470, size: 110, bold: true, text: "ORDER".into() });
    out.push(Element::Text { x: MARGIN, y: 4620, size: 220, bold: true, text: cut(&label.order_number, 220, 2300) });
    let (n, of) = label.parcel;
    out.push(Element::Text { x: MARGIN, y: 4980, size: 170, bold: false, text: format!("Parcel {n} of {of}") });
    out.push(Element::Qr { x: 2620, y: 4450, side: 1260, data: label.order_link.clone() });
    debug_assert!(out.iter().all(|e| match e {
        Element::Text { y, size, .. } => y + size <= HEIGHT_MILS,
        _ => true,
    }));
    Ok(out)
}
