//! A shipment's label, drawn locally: what it says is read from the
//! shipment, its order, the address it goes to and the vendor it comes from;
//! how it is drawn is `documents::label`. Used for the local carrier, for
//! reprints and for return labels; labels bought from a carrier come with the
//! carrier's own bytes.

use crate::documents::label::{Density, LabelAddress, LabelError, ShippingLabel, pdf, zpl};
use crate::domain::Timestamp;
use crate::store::files::{PartialFile, check_target};
use crate::store::{Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;
use uuid::Uuid;

/// What a label is drawn as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum LabelFormat {
    /// ZPL II for a thermal printer of this density.
    Zpl {
        /// The printer's resolution.
        density: Density,
    },
    /// A 4×6-inch PDF page.
    Pdf,
}

impl LabelFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            LabelFormat::Zpl { .. } => "zpl",
            LabelFormat::Pdf => "pdf",
        }
    }
}

#[derive(sqlx::FromRow)]
struct LabelRow {
    carrier: String,
    service_code: String,
    tracking_number: Option<String>,
    weight_grams: i32,
    shipped_at: Option<Timestamp>,
    order_number: String,
    recipient_name: String,
    company: Option<String>,
    line1: String,
    line2: Option<String>,
    city: String,
    region: Option<String>,
    postal_code: String,
    country: String,
    vendor_name: String,
    from_line1: Option<String>,
    from_line2: Option<String>,
    from_city: Option<String>,
    from_region: Option<String>,
    from_postcode: Option<String>,
    from_country: Option<String>,
    parcels: i64,
    ordinal: i64,
}

const LABEL_ROW: &str = "SELECT s.carrier, s.service_code, s.tracking_number, s.weight_grams, s.shipped_at, \
     o.number AS order_number, a.recipient_name, a.company, a.line1, a.line2, a.city, a.region, a.postal_code, a.country, \
     coalesce(p.business_name, u.display_name, '') AS vendor_name, p.address_line1 AS from_line1, \
     p.address_line2 AS from_line2, p.city AS from_city, p.region AS from_region, p.postal_code AS from_postcode, \
     p.country AS from_country, \
     (SELECT count(*) FROM shipments s2 WHERE s2.order_id = s.order_id AND s2.deleted_at IS NULL) AS parcels, \
     (SELECT count(*) FROM shipments s2 WHERE s2.order_id = s.order_id AND s2.deleted_at IS NULL \
        AND (s2.created_at, s2.id) <= (s.created_at, s.id)) AS ordinal \
     FROM shipments s JOIN orders o ON o.id = s.order_id \
     JOIN shipping_addresses a ON a.id = s.ship_to_address_id \
     LEFT JOIN users u ON u.id = s.vendor_id \
     LEFT JOIN user_profiles p ON p.user_id = s.vendor_id AND p.deleted_at IS NULL \
     WHERE s.id = $1 AND s.deleted_at IS NULL";

/// The carrier as a sorter reads it on the label.
fn carrier_name(code: &str) -> String {
    match code {
        "local" => "LOCAL".into(),
        "pickup" => "PICKUP".into(),
        other => other.to_ascii_uppercase(),
    }
}

/// The link the label's QR code opens: the order in Marketdesk.
pub fn order_link(order_number: &str) -> String {
    format!("marketdesk://orders/{order_number}")
}

impl From<LabelError> for StoreError {
    fn from(e: LabelError) -> Self {
        StoreError::Validation(e.to_string())
    }
}

impl Store {
    /// What `shipment`'s label says. Without a carrier's tracking number the
    /// barcode carries the shipment's own reference: the order's number and
    /// the parcel's place among its parcels (`MD-000123-2`).
    pub async fn shipping_label(&self, shipment: Uuid) -> Result<ShippingLabel, StoreError> {
        let row: Option<LabelRow> =
            with_pool!(&self.db, |p| sqlx::query_as(LABEL_ROW).bind(shipment).fetch_optional(p).await)?;
        let r = row.ok_or_else(|| StoreError::NotFound { entity: "shipment", id: shipment.to_string() })?;
        let tracking = r.tracking_number.clone().unwrap_or_else(|| format!("{}-{}", r.order_number, r.ordinal));
        let day = r.shipped_at.unwrap_or_else(Timestamp::now).to_text();
        Ok(ShippingLabel {
            from: LabelAddress {
                name: r.vendor_name,
                company: None,
                lines: [r.from_line1, r.from_line2].into_iter().flatten().filter(|l| !l.trim().is_empty()).collect(),
                city: r.from_city.unwrap_or_default(),
                region: r.from_region,
                postcode: r.from_postcode.unwrap_or_default(),
                country: r.from_country.unwrap_or_default(),
            },
            to: LabelAddress {
                name: r.recipient_name,
                company: r.company,
                lines: [Some(r.line1), r.line2].into_iter().flatten().filter(|l| !l.trim().is_empty()).collect(),
                city: r.city,
                region: r.region,
                postcode: r.postal_code,
                country: r.country,
            },
            carrier: carrier_name(&r.carrier),
            service: r.service_code.replace('_', " "),
            tracking,
            order_link: order_link(&r.order_number),
            order_number: r.order_number,
            parcel: (u32::try_from(r.ordinal).unwrap_or(1).max(1), u32::try_from(r.parcels).unwrap_or(1).max(1)),
            weight_grams: u32::try_from(r.weight_grams).unwrap_or(0),
            ship_date: day.get(..10).unwrap_or(&day).to_owned(),
        })
    }

    /// `shipment`'s label drawn as `format`.
    pub async fn render_shipping_label(&self, shipment: Uuid, format: LabelFormat) -> Result<Vec<u8>, StoreError> {
        let label = self.shipping_label(shipment).await?;
        Ok(match format {
            LabelFormat::Zpl { density } => zpl::render(&label, density)?,
            LabelFormat::Pdf => pdf::render(&label)?,
        })
    }

    /// Writes `shipment`'s label drawn as `format` to `path` (private, through
    /// a partial file: a failure leaves nothing); returns the bytes written.
    pub async fn write_shipping_label(
        &self,
        shipment: Uuid,
        format: LabelFormat,
        path: &Path,
    ) -> Result<usize, StoreError> {
        check_target(path)?;
        let bytes = self.render_shipping_label(shipment, format).await?;
        let (partial, mut file) = PartialFile::create(path)?;
        file.write_all(&bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| StoreError::Validation(format!("cannot write the label to {}: {e}", path.display())))?;
        partial.commit()?;
        Ok(bytes.len())
    }
}
