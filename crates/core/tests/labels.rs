//! Labels checked by decoding, not by eye: each layout is drawn the way a
//! printer would draw it — ZPL through a ZPL renderer at the printer's own
//! density, PDF rasterised by poppler's `pdftoppm` — and the barcodes in the
//! picture are read back and compared with what was encoded. One picture of
//! each goes to `docs/` for the README.

use marketdesk_core::documents::label::{Density, LabelAddress, LabelError, ShippingLabel, pdf, zpl};
use marketdesk_test_support::label_scan::{decode, pdf_png, zpl_png};
use std::path::{Path, PathBuf};

fn label(tracking: &str, name: &str) -> ShippingLabel {
    ShippingLabel {
        from: LabelAddress {
            name: "Northwind Ceramics".into(),
            company: None,
            lines: vec!["12 Kiln Lane".into()],
            city: "Stoke-on-Trent".into(),
            region: None,
            postcode: "ST1 5AB".into(),
            country: "GB".into(),
        },
        to: LabelAddress {
            name: name.into(),
            company: Some("Acme Tools Ltd".into()),
            lines: vec!["400 Harbour Road".into(), "Unit 7".into()],
            city: "Portland".into(),
            region: Some("OR".into()),
            postcode: "97201".into(),
            country: "US".into(),
        },
        carrier: "LOCAL".into(),
        service: "STANDARD".into(),
        tracking: tracking.into(),
        order_number: "MD-000123".into(),
        order_link: "marketdesk://orders/MD-000123".into(),
        parcel: (1, 2),
        weight_grams: 1250,
        ship_date: "2026-12-04".into(),
    }
}

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs")
}

const TRACKINGS: [&str; 3] = ["MD-000123-1", "794612345678", "1Z999AA10123456784"];

fn expected(tracking: &str) -> Vec<(String, String)> {
    let mut e = vec![
        ("code 128".to_owned(), tracking.to_owned()),
        ("qrcode".to_owned(), "marketdesk://orders/MD-000123".to_owned()),
    ];
    e.sort();
    e
}

#[test]
fn zpl_labels_scan_back_to_what_was_encoded_at_both_densities() {
    for density in [Density::Dpi203, Density::Dpi300] {
        for tracking in TRACKINGS {
            let zpl = zpl::render(&label(tracking, "Ada Lovelace"), density).unwrap();
            let text = String::from_utf8(zpl.clone()).unwrap();
            let (w, h) = if density == Density::Dpi203 { (812, 1218) } else { (1200, 1800) };
            assert!(text.contains(&format!("^PW{w}^LL{h}")), "the label states its size in dots");
            let png = zpl_png(&zpl, density);
            if tracking == TRACKINGS[0] {
                std::fs::write(docs().join(format!("label-zpl-{}dpi.png", density.dpi())), &png).unwrap();
            }
            assert_eq!(decode(&png), expected(tracking), "{tracking} at {} dpi", density.dpi());
        }
    }
}

#[test]
fn pdf_labels_scan_back_to_what_was_encoded() {
    let dir = tempfile::tempdir().unwrap();
    for tracking in TRACKINGS {
        let pdf = pdf::render(&label(tracking, "Ada Lovelace")).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let png = pdf_png(&pdf, dir.path());
        let img = image::load_from_memory(&png).unwrap();
        assert_eq!((img.width(), img.height()), (1200, 1800), "4×6 inches at 300 dpi: never scaled");
        assert_eq!(decode(&png), expected(tracking), "{tracking}");
        if tracking == TRACKINGS[0] {
            std::fs::write(docs().join("label-pdf.png"), &png).unwrap();
        }
    }
}

#[test]
fn typed_text_can_never_become_a_zpl_command() {
    for hostile in ["^XA~JR", "^XZ^XA^FDpwned^FS", "~JA~JN", "Ada_5E_7E", "Zoë ^FS~DG"] {
        let zpl = zpl::render(&label("MD-000123-1", hostile), Density::Dpi203).unwrap();
        let text = String::from_utf8(zpl.clone()).unwrap();
        assert_eq!(text.matches("^XA").count(), 1, "one label start for {hostile}");
        assert_eq!(text.matches("^XZ").count(), 1, "one label end for {hostile}");
        assert!(!text.contains('~'), "no control command for {hostile}");
        assert!(text.is_ascii(), "every byte outside printable ASCII is escaped");
        // The printer still reads one label whose barcodes are intact.
        assert_eq!(decode(&zpl_png(&zpl, Density::Dpi203)), expected("MD-000123-1"), "{hostile}");
    }
}

#[test]
fn a_label_that_cannot_be_printed_is_refused_with_the_reason() {
    assert!(matches!(zpl::render(&label("", "Ada"), Density::Dpi203), Err(LabelError::BadBarcode(_))));
    assert!(matches!(pdf::render(&label("MD 12", "Ada")), Err(LabelError::BadBarcode(_))));
    assert!(matches!(pdf::render(&label("MD-1", " ")), Err(LabelError::Missing(_))));
    let too_long = "A".repeat(31);
    assert!(zpl::render(&label(&too_long, "Ada"), Density::Dpi300).is_err());
}
