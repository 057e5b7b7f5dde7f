//! What the warehouse's sheets list: the lines to pick for a selection of
//! parcels (by bin, then vendor and SKU), what goes into one parcel (its packing slip),
//! and the parcels handed over to a carrier in a span of time (its manifest).

use super::sql::{Param, Sql, bind_as};
use super::{Store, StoreError, with_pool};
use crate::domain::{Carrier, Timestamp};
use uuid::Uuid;

/// One line of a pick list: a SKU of one vendor, with how many to pick.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PickLine {
    /// The bin it sits in, when the warehouse has given it one.
    pub bin_location: Option<String>,
    /// The vendor's name.
    pub vendor_name: String,
    /// The SKU.
    pub sku: String,
    /// The product.
    pub product_name: String,
    /// The variant ("Large / Blue").
    pub variant_name: String,
    /// How many, over every parcel selected.
    pub quantity: i64,
    /// How many of the selected parcels hold it.
    pub parcels: i64,
}

/// A parcel as its packing slip shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SlipHeader {
    /// The order's number.
    pub order_number: String,
    /// When it was placed.
    pub placed_at: Option<Timestamp>,
    /// The vendor's name.
    pub vendor_name: String,
    /// Recipient.
    pub to_name: String,
    /// Street line.
    pub to_line1: String,
    /// Second street line.
    pub to_line2: Option<String>,
    /// City.
    pub to_city: String,
    /// Region.
    pub to_region: Option<String>,
    /// Postcode.
    pub to_postcode: String,
    /// Country.
    pub to_country: String,
    /// Carrier.
    pub carrier: Carrier,
    /// Tracking number, once bought.
    pub tracking_number: Option<String>,
    /// Weight in grams.
    pub weight_grams: i32,
    /// This parcel's place among the vendor's parcels of the order (1-based).
    pub parcel_number: i64,
    /// How many parcels the vendor sends for the order.
    pub parcel_count: i64,
}

/// One item in a parcel.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SlipItem {
    /// The SKU.
    pub sku: String,
    /// The product.
    pub product_name: String,
    /// The variant.
    pub variant_name: String,
    /// How many are in this parcel.
    pub quantity: i32,
    /// How many the order holds of it.
    pub ordered: i32,
}

/// One parcel on a carrier's manifest.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ManifestLine {
    /// When it was handed over.
    pub handed_over_at: Timestamp,
    /// Its tracking number (none for a parcel the local carrier took).
    pub tracking_number: Option<String>,
    /// The order's number.
    pub order_number: String,
    /// The service.
    pub service_code: String,
    /// Recipient.
    pub to_name: String,
    /// Destination city.
    pub to_city: String,
    /// Destination postcode.
    pub to_postcode: String,
    /// Destination country.
    pub to_country: String,
    /// Weight in grams.
    pub weight_grams: i32,
}

/// The longest selection a pick list takes at once.
pub const MAX_PICK_PARCELS: usize = 2_000;

/// A bin code as a picker walks it: runs of digits compared as numbers, the
/// rest as text (`A-2` before `A-10`, `B-1` after both).
pub fn walk_order(bin: &str) -> Vec<(String, u64)> {
    let mut parts = Vec::new();
    let mut rest = bin;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if digits > 0 {
            parts.push((String::new(), rest[..digits].parse().unwrap_or(u64::MAX)));
            rest = &rest[digits..];
        } else {
            let text = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
            parts.push((rest[..text].to_owned(), 0));
            rest = &rest[text..];
        }
    }
    parts
}

impl Store {
    /// What to pick for `shipments`, walking the bins in order (bin codes
    /// compared part by part, so `A-2` comes before `A-10`), then what has no
    /// bin yet; within a bin by vendor then SKU.
    pub async fn pick_lines(&self, shipments: &[Uuid]) -> Result<Vec<PickLine>, StoreError> {
        if shipments.len() > MAX_PICK_PARCELS {
            return Err(StoreError::Validation(format!(
                "a pick list takes at most {MAX_PICK_PARCELS} parcels at once; split the selection"
            )));
        }
        if shipments.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new(
            "SELECT v.bin_location, coalesce(p.business_name, u.display_name) AS vendor_name, oi.sku, oi.product_name, \
             oi.variant_name, CAST(sum(si.quantity) AS BIGINT) AS quantity, \
             CAST(count(DISTINCT si.shipment_id) AS BIGINT) AS parcels \
             FROM shipment_items si JOIN order_items oi ON oi.id = si.order_item_id \
             JOIN product_variants v ON v.id = oi.variant_id \
             JOIN users u ON u.id = oi.vendor_id LEFT JOIN user_profiles p ON p.user_id = u.id AND p.deleted_at IS NULL \
             WHERE si.deleted_at IS NULL AND si.shipment_id IN ",
        );
        sql.bind_list(shipments.iter().map(|id| Param::Uuid(*id)));
        sql.push(
            " GROUP BY v.bin_location, coalesce(p.business_name, u.display_name), oi.sku, oi.product_name, oi.variant_name",
        );
        let mut lines: Vec<PickLine> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;
        lines.sort_by_cached_key(|l| {
            (
                l.bin_location.is_none(),
                l.bin_location.as_deref().map(walk_order),
                l.vendor_name.to_lowercase(),
                l.sku.clone(),
            )
        });
        Ok(lines)
    }

    /// `shipment`'s packing slip: the parcel and what is in it.
    pub async fn packing_slip(&self, shipment: Uuid) -> Result<(SlipHeader, Vec<SlipItem>), StoreError> {
        let header = "SELECT o.number AS order_number, o.placed_at, coalesce(p.business_name, u.display_name) AS vendor_name, \
             a.recipient_name AS to_name, a.line1 AS to_line1, a.line2 AS to_line2, a.city AS to_city, \
             a.region AS to_region, a.postal_code AS to_postcode, a.country AS to_country, s.carrier, \
             s.tracking_number, s.weight_grams, \
             (SELECT count(*) FROM shipments x WHERE x.order_id = s.order_id AND x.vendor_id = s.vendor_id \
                AND x.deleted_at IS NULL AND (x.created_at < s.created_at OR (x.created_at = s.created_at AND x.id <= s.id))) \
                AS parcel_number, \
             (SELECT count(*) FROM shipments x WHERE x.order_id = s.order_id AND x.vendor_id = s.vendor_id \
                AND x.deleted_at IS NULL) AS parcel_count \
             FROM shipments s JOIN orders o ON o.id = s.order_id JOIN shipping_addresses a ON a.id = s.ship_to_address_id \
             JOIN users u ON u.id = s.vendor_id LEFT JOIN user_profiles p ON p.user_id = u.id AND p.deleted_at IS NULL \
             WHERE s.id = $1 AND s.deleted_at IS NULL";
        let head: SlipHeader = with_pool!(&self.db, |p| sqlx::query_as(header).bind(shipment).fetch_optional(p).await)?
            .ok_or_else(|| StoreError::NotFound { entity: "shipment", id: shipment.to_string() })?;
        let items = "SELECT oi.sku, oi.product_name, oi.variant_name, si.quantity, oi.quantity AS ordered \
             FROM shipment_items si JOIN order_items oi ON oi.id = si.order_item_id \
             JOIN product_variants v ON v.id = oi.variant_id \
             WHERE si.shipment_id = $1 AND si.deleted_at IS NULL ORDER BY oi.sku, oi.id";
        let items: Vec<SlipItem> = with_pool!(&self.db, |p| sqlx::query_as(items).bind(shipment).fetch_all(p).await)?;
        Ok((head, items))
    }

    /// The parcels handed over to `carrier` from `from` (inclusive) to `to`.
    pub async fn manifest_lines(
        &self,
        carrier: Carrier,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<ManifestLine>, StoreError> {
        let sql = "SELECT s.handed_over_at, s.tracking_number, o.number AS order_number, s.service_code, \
             a.recipient_name AS to_name, a.city AS to_city, a.postal_code AS to_postcode, a.country AS to_country, \
             s.weight_grams FROM shipments s JOIN orders o ON o.id = s.order_id \
             JOIN shipping_addresses a ON a.id = s.ship_to_address_id \
             WHERE s.carrier = $1 AND s.handed_over_at >= $2 AND s.handed_over_at < $3 AND s.deleted_at IS NULL \
             ORDER BY s.handed_over_at, s.id";
        Ok(with_pool!(&self.db, |p| sqlx::query_as(sql).bind(carrier).bind(from).bind(to).fetch_all(p).await)?)
    }
}
