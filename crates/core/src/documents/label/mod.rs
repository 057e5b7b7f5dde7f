//! Shipping labels, 4×6 inches, laid out once and drawn twice: as ZPL II for
//! thermal printers at 203 or 300 dpi ([`zpl`]) and as PDF for laser printers
//! ([`pdf`]). The layout ([`layout`]) places every element in thousandths of
//! an inch; each renderer converts to its own unit (printer dots, PDF points),
//! so nothing is ever scaled to fit and a label prints the same size at either
//! density. A label takes data and writes bytes; it never reads the store.
//! A label a carrier sends as a picture ([`raster`]) is printed whole: on a
//! page by [`raster_pdf`], as a ZPL graphic field by [`graphic_zpl`].

pub mod code128;
pub mod graphic_zpl;
pub mod layout;
pub mod pdf;
pub mod raster;
pub mod raster_pdf;
pub mod zpl;

use serde::{Deserialize, Serialize};

/// Label width in thousandths of an inch (4 in).
pub const WIDTH_MILS: u32 = 4000;
/// Label height in thousandths of an inch (6 in).
pub const HEIGHT_MILS: u32 = 6000;

/// A postal address as printed on a label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LabelAddress {
    /// The person or business it goes to (or comes from).
    pub name: String,
    /// A company beside the person, when there is one.
    pub company: Option<String>,
    /// Street lines, first to last.
    pub lines: Vec<String>,
    /// City or town.
    pub city: String,
    /// State, province or region, when the country uses one.
    pub region: Option<String>,
    /// Postcode as written in the country.
    pub postcode: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
}

/// What a shipping label says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ShippingLabel {
    /// Where the parcel comes from (the vendor's address).
    pub from: LabelAddress,
    /// Where it goes.
    pub to: LabelAddress,
    /// The carrier's name as printed (`LOCAL`, `PICKUP`, `FEDEX`, `UPS`).
    pub carrier: String,
    /// The service (`STANDARD`, `FEDEX_GROUND`, …).
    pub service: String,
    /// The code the Code 128 barcode carries: the tracking number, or the
    /// shipment's own reference for the local carrier.
    pub tracking: String,
    /// The order's number (`MD-000123`).
    pub order_number: String,
    /// What the QR code carries: a link to the order, or its number.
    pub order_link: String,
    /// This parcel's place among the order's parcels: (n, of).
    pub parcel: (u32, u32),
    /// Weight in grams.
    pub weight_grams: u32,
    /// The day it ships, `YYYY-MM-DD`.
    pub ship_date: String,
}

/// A thermal printer's resolution; every distance on a ZPL label is computed
/// for it, never scaled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Density {
    /// 203 dpi (8 dots/mm): a 4×6 label is 812 × 1218 dots.
    #[serde(rename = "203")]
    Dpi203,
    /// 300 dpi (12 dots/mm): a 4×6 label is 1200 × 1800 dots.
    #[serde(rename = "300")]
    Dpi300,
}

impl Density {
    /// Dots per inch.
    pub fn dpi(self) -> u32 {
        match self {
            Density::Dpi203 => 203,
            Density::Dpi300 => 300,
        }
    }

    /// `mils` thousandths of an inch in dots, rounded to the nearest dot.
    pub fn dots(self, mils: u32) -> u32 {
        (mils * self.dpi() + 500) / 1000
    }

    /// The narrowest bar of a Code 128 barcode, in dots: about 15 thousandths
    /// of an inch at either density, a width every scanner at a packing bench reads.
    pub fn module_dots(self) -> u32 {
        match self {
            Density::Dpi203 => 3,
            Density::Dpi300 => 4,
        }
    }

    /// The density from its dpi (`203` or `300`).
    pub fn from_dpi(dpi: u32) -> Option<Density> {
        match dpi {
            203 => Some(Density::Dpi203),
            300 => Some(Density::Dpi300),
            _ => None,
        }
    }
}

/// Why a label cannot be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabelError {
    /// The code for the barcode holds something other than letters, digits
    /// and dashes, or is empty or too long to fit the label.
    #[error("“{0}” cannot be a label's barcode: use 1 to 30 letters, digits or dashes")]
    BadBarcode(String),
    /// A field the label needs is empty.
    #[error("the label needs {0}")]
    Missing(&'static str),
}

/// Checks what the label needs before anything is drawn.
pub fn check(label: &ShippingLabel) -> Result<(), LabelError> {
    let t = &label.tracking;
    if t.is_empty() || t.len() > 30 || !t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(LabelError::BadBarcode(t.clone()));
    }
    if label.to.name.trim().is_empty() {
        return Err(LabelError::Missing("the recipient's name"));
    }
    if label.to.city.trim().is_empty() || label.to.country.trim().is_empty() {
        return Err(LabelError::Missing("the recipient's city and country"));
    }
    if label.order_link.trim().is_empty() {
        return Err(LabelError::Missing("the order's link or number for the QR code"));
    }
    Ok(())
}
