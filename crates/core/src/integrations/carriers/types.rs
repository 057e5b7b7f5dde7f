//! The values carriers are asked for and answer with, in Marketdesk's terms
//! (grams, minor units, our statuses); each client maps them to its API.

use crate::domain::{Carrier, Currency, ShipmentStatus, Timestamp};
use serde::Serialize;

/// A sender or recipient as a carrier needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Party {
    /// Person's name.
    pub name: String,
    /// Company, if any.
    pub company: Option<String>,
    /// Telephone (both carriers want one on a label; may be empty for quotes).
    pub phone: String,
    /// Street lines, first to last.
    pub lines: Vec<String>,
    /// City.
    pub city: String,
    /// State or province code, where the country has them.
    pub region: Option<String>,
    /// Postcode.
    pub postcode: String,
    /// ISO 3166 alpha-2.
    pub country: String,
}

/// A request for prices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateRequest {
    /// Ships from.
    pub from: Party,
    /// Ships to.
    pub to: Party,
    /// Parcel weight.
    pub weight_grams: u32,
    /// Only this service (the carrier's code), or all.
    pub service: Option<String>,
}

/// One price for one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Quote {
    /// The carrier.
    pub carrier: Carrier,
    /// The carrier's service code (`FEDEX_GROUND`, UPS `03`).
    pub service_code: String,
    /// The service's name.
    pub service_name: String,
    /// Price in minor units.
    pub amount_minor: i64,
    /// Its currency.
    pub currency: Currency,
    /// Business days in transit, when the carrier says.
    pub transit_days: Option<u32>,
    /// The lowest price among the quotes shown with it.
    pub cheapest: bool,
    /// The fewest days in transit among them.
    pub fastest: bool,
}

/// The page a label comes as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum LabelImage {
    /// ZPL II for a thermal printer (both carriers draw it at 203 dpi).
    Zpl,
    /// A 4×6 PDF page for a laser printer (FedEx draws PDF; UPS draws a
    /// GIF, kept as a [`LabelFile::Png`] and put on the page when printed).
    Pdf,
}

impl LabelImage {
    /// The `print_jobs`/`label_purchases` format text.
    pub fn as_str(self) -> &'static str {
        match self {
            LabelImage::Zpl => "zpl",
            LabelImage::Pdf => "pdf",
        }
    }
}

/// What a bought label's bytes are, as kept in `shipping_labels.format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelFile {
    /// ZPL II drawn at 203 dpi.
    Zpl,
    /// A 4×6 PDF page.
    Pdf,
    /// A black-and-white picture of the label (a carrier's GIF, upright and
    /// trimmed), printed as a page or as a ZPL graphic.
    Png,
}

impl LabelFile {
    /// The `shipping_labels.format` text.
    pub fn as_str(self) -> &'static str {
        match self {
            LabelFile::Zpl => "zpl",
            LabelFile::Pdf => "pdf",
            LabelFile::Png => "png",
        }
    }
}

impl From<LabelImage> for LabelFile {
    fn from(image: LabelImage) -> Self {
        match image {
            LabelImage::Zpl => LabelFile::Zpl,
            LabelImage::Pdf => LabelFile::Pdf,
        }
    }
}

/// A label to buy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelRequest {
    /// Ships from.
    pub from: Party,
    /// Ships to.
    pub to: Party,
    /// Parcel weight.
    pub weight_grams: u32,
    /// The carrier's service code.
    pub service_code: String,
    /// Our reference, printed on the label and searchable at the carrier:
    /// how an uncertain purchase is found again.
    pub reference: String,
    /// The label's page language.
    pub image: LabelImage,
    /// Ship date, `YYYY-MM-DD`.
    pub ship_date: String,
}

/// A label the carrier sold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoughtLabel {
    /// The parcel's tracking number.
    pub tracking_number: String,
    /// The carrier's id for the shipment (UPS's shipment identification
    /// number; FedEx's master tracking number), used to void it.
    pub shipment_id: String,
    /// The label as the carrier drew it (a picture already read and kept as PNG).
    pub label: Vec<u8>,
    /// What the bytes are.
    pub file: LabelFile,
    /// What the carrier charges, when it says.
    pub cost: Option<(i64, Currency)>,
    /// The carrier's transaction id.
    pub transaction_id: Option<String>,
}

/// A document a carrier hands back when the day is closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseDocument {
    /// What it is, as the carrier names it (`MANIFEST`).
    pub kind: String,
    /// Its bytes (FedEx's Ground manifest is plain text).
    pub content: Vec<u8>,
}

/// What closing the shipping day gave back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayClose {
    /// The documents, in the carrier's order.
    pub documents: Vec<CloseDocument>,
    /// The carrier's transaction id.
    pub transaction_id: Option<String>,
}

/// One scan or status change reported by a carrier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TrackedEvent {
    /// When it happened.
    pub occurred_at: Timestamp,
    /// What it means for the shipment.
    pub status: ShipmentStatus,
    /// The carrier's event code.
    pub code: String,
    /// The carrier's words.
    pub description: String,
    /// Where, when given.
    pub location: Option<String>,
}

/// What a carrier knows of one parcel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackResult {
    /// The tracking number asked about.
    pub tracking_number: String,
    /// Events, oldest first.
    pub events: Vec<TrackedEvent>,
    /// The carrier does not know the number (yet).
    pub not_found: bool,
}

/// A carrier's opinion of an address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum AddressVerdict {
    /// Deliverable as written.
    Valid,
    /// Not deliverable; why, in the carrier's words.
    Invalid {
        /// The carrier's reason.
        reason: String,
    },
    /// The carrier does not check addresses in that country.
    NotChecked,
}

/// Grams as kilograms with up to three decimals, as both carriers take them.
pub(super) fn kilograms(grams: u32) -> rust_decimal::Decimal {
    rust_decimal::Decimal::new(i64::from(grams), 3).normalize()
}
