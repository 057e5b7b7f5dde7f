//! What pricing a parcel reads of its shipment (weight, destination, the
//! value of the vendor's goods in the order) and the rate chosen for it.

use super::{Store, StoreError, with_pool};
use crate::domain::{Carrier, ShipmentStatus, Timestamp};
use uuid::Uuid;

/// A parcel as rate shopping sees it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ParcelForPricing {
    /// Lifecycle state.
    pub status: ShipmentStatus,
    /// Optimistic-concurrency version.
    pub version: i64,
    /// Weight in grams.
    pub weight_grams: i32,
    /// The order's currency.
    pub currency: String,
    /// The vendor's goods in the parcel's order, in minor units (what
    /// "free over" thresholds compare with).
    pub goods_minor: i64,
    /// Destination country.
    pub country: String,
    /// Destination region.
    pub region: Option<String>,
    /// Destination postcode.
    pub postcode: String,
    /// The method chosen so far.
    pub shipping_method_id: Option<Uuid>,
    /// Its carrier so far.
    pub carrier: Carrier,
    /// Its service so far.
    pub service_code: String,
}

/// A rate chosen for a parcel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChosenRate {
    /// The local method, when the rate came from a table.
    pub method_id: Option<Uuid>,
    /// Who carries it.
    pub carrier: Carrier,
    /// The carrier's service.
    pub service_code: String,
    /// What it costs, in the parcel's currency.
    pub cost_minor: i64,
}

impl Store {
    /// `shipment` as rate shopping needs it.
    pub async fn parcel_for_pricing(&self, shipment: Uuid) -> Result<ParcelForPricing, StoreError> {
        let sql = "SELECT s.status, s.version, s.weight_grams, s.currency, \
             CAST(coalesce((SELECT sum(oi.subtotal_minor) FROM order_items oi \
                 WHERE oi.order_id = s.order_id AND oi.vendor_id = s.vendor_id AND oi.deleted_at IS NULL), 0) AS BIGINT) \
                 AS goods_minor, \
             a.country, a.region, a.postal_code AS postcode, s.shipping_method_id, s.carrier, s.service_code \
             FROM shipments s JOIN shipping_addresses a ON a.id = s.ship_to_address_id \
             WHERE s.id = $1 AND s.deleted_at IS NULL";
        with_pool!(&self.db, |p| sqlx::query_as(sql).bind(shipment).fetch_optional(p).await)?
            .ok_or_else(|| StoreError::NotFound { entity: "shipment", id: shipment.to_string() })
    }

    /// Gives a pending `shipment` at `version` the rate `chosen`; refused
    /// when it moved on or changed meanwhile.
    pub(crate) async fn choose_shipment_rate(
        &self,
        shipment: Uuid,
        version: i64,
        chosen: &ChosenRate,
    ) -> Result<(), StoreError> {
        let now = Timestamp::now();
        let changed = with_pool!(&self.db, |p| {
            sqlx::query(
                "UPDATE shipments SET shipping_method_id = $3, carrier = $4, service_code = $5, cost_minor = $6, \
                 version = version + 1, updated_at = $7 \
                 WHERE id = $1 AND version = $2 AND status = 'pending' AND deleted_at IS NULL",
            )
            .bind(shipment)
            .bind(version)
            .bind(chosen.method_id)
            .bind(chosen.carrier)
            .bind(&chosen.service_code)
            .bind(chosen.cost_minor)
            .bind(now)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })
        .map_err(|e| StoreError::from_write("shipment", e))?;
        if changed == 1 {
            return Ok(());
        }
        let now = self.parcel_for_pricing(shipment).await?;
        if now.status != ShipmentStatus::Pending {
            return Err(StoreError::Validation(format!(
                "this parcel is {} already: its rate can only change before a label is bought",
                now.status.as_str().replace('_', " ")
            )));
        }
        Err(StoreError::VersionConflict {
            entity: "shipment",
            id: shipment.to_string(),
            expected: version,
            actual: now.version,
        })
    }
}
