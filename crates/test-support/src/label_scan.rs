//! Reading labels back as a scanner would: ZPL drawn by a ZPL renderer at
//! the printer's density, PDF rasterised by poppler's `pdftoppm`, and every
//! barcode in the picture decoded.

use labelize::{DrawerOptions, Renderer, ZplParser};
use marketdesk_core::documents::label::Density;
use std::io::Cursor;
use std::path::Path;

/// Every barcode in a PNG picture: (format, text), sorted.
pub fn decode(png: &[u8]) -> Vec<(String, String)> {
    let img = image::load_from_memory(png).expect("a PNG").to_luma8();
    let (w, h) = img.dimensions();
    let found = rxing::helpers::detect_multiple_in_luma(img.into_raw(), w, h).unwrap_or_default();
    let mut out: Vec<(String, String)> =
        found.iter().map(|r| (r.getBarcodeFormat().to_string(), r.getText().to_owned())).collect();
    out.sort();
    out
}

/// One ZPL label drawn as a 4×6 PNG at `density`, as the printer would.
pub fn zpl_png(zpl: &[u8], density: Density) -> Vec<u8> {
    let labels = ZplParser::new().parse(zpl).expect("the printer reads it");
    assert_eq!(labels.len(), 1, "one label, not more");
    let options = DrawerOptions {
        label_width_mm: 101.6,
        label_height_mm: 152.4,
        dpmm: if density == Density::Dpi203 { 8 } else { 12 },
        ..Default::default()
    };
    let mut png = Cursor::new(Vec::new());
    Renderer::new().draw_label_as_png(&labels[0], &mut png, options).expect("drawn");
    png.into_inner()
}

/// A PDF's first page as a 300 dpi PNG (through `pdftoppm`, in `dir`).
pub fn pdf_png(pdf: &[u8], dir: &Path) -> Vec<u8> {
    let input = dir.join("label.pdf");
    std::fs::write(&input, pdf).unwrap();
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", "300", "-png", "-singlefile"])
        .arg(&input)
        .arg(dir.join("label"))
        .status()
        .expect("pdftoppm (poppler-utils) is installed by the test command");
    assert!(status.success());
    std::fs::read(dir.join("label.png")).unwrap()
}
