//! The marketplace's own courier's label, issued without a carrier. One
//! transaction on either engine checks the parcel, writes the label and a
//! purchased attempt, and moves the shipment to `label_purchased` with the
//! parcel's own reference as its tracking number. It is an offline-capable
//! write (see `sync::Mutation::LocalLabel`): issued on the local copy, it
//! reaches the server at the next push, where the same checks decide again,
//! and its rows keep the ids they were made with on both sides.

use super::addresses::check_party;
use super::error::ShippingError;
use super::purchase::parties;
use crate::domain::{ShipmentStatus, Timestamp, new_id};
use crate::store::Store;
use crate::store::StoreError;
use crate::store::label_purchases::LabelPurchase;
use crate::store::label_purchases::parcel_route_in;
use crate::store::write_tx::{WriteTx, with_tx};
use uuid::Uuid;

/// The rows a local label is written as, made by whoever issues it so a
/// replay on the server writes the same ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LocalLabelIds {
    /// The label purchase (attempt) row.
    pub purchase: Uuid,
    /// The shipping label row.
    pub label: Uuid,
}

/// Issues the local carrier's label for `shipment`, whose version the person
/// saw as `version`, inside `tx`. Returns the shipment's new version.
pub(crate) async fn issue_local_label_in(
    tx: &mut WriteTx<'_>,
    shipment: Uuid,
    version: i64,
    ids: LocalLabelIds,
    requested_by: Option<Uuid>,
) -> Result<i64, StoreError> {
    let route = parcel_route_in(tx, shipment).await?;
    if route.carrier.sells_labels() {
        return Err(StoreError::Validation(format!("{} labels are bought, not issued locally", route.carrier.name())));
    }
    let (actual, number, ordinal, attempts, labels): (i64, String, i64, i64, i64) = with_tx!(tx, |c| sqlx::query_as(
        "SELECT s.version, o.number, \
         (SELECT count(*) FROM shipments s2 WHERE s2.order_id = s.order_id AND s2.deleted_at IS NULL \
            AND (s2.created_at, s2.id) <= (s.created_at, s.id)), \
         (SELECT count(*) FROM label_purchases lp WHERE lp.shipment_id = s.id), \
         (SELECT count(*) FROM shipping_labels l WHERE l.shipment_id = s.id AND l.status <> 'voided' \
            AND l.deleted_at IS NULL) \
         FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.id = $1"
    )
    .bind(shipment)
    .fetch_one(&mut *c)
    .await)?;
    if actual != version {
        return Err(StoreError::VersionConflict {
            entity: "shipment",
            id: shipment.to_string(),
            expected: version,
            actual,
        });
    }
    if route.status != ShipmentStatus::Pending || labels > 0 {
        return Err(StoreError::Validation(format!(
            "this parcel is {} and already has a label: void it first to issue another",
            route.status.as_str().replace('_', " ")
        )));
    }
    check_party("recipient", &parties(&route).1).map_err(|p| StoreError::Validation(p.to_string()))?;
    let tracking = format!("{number}-{ordinal}");
    let reference = format!("{number}-{}", attempts + 1);
    let now = Timestamp::now();
    let moved = with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO shipping_labels (id, shipment_id, carrier, format, label_data, tracking_number, cost_minor, \
             currency, status, purchased_by, carrier_label_id, version, created_at, updated_at) \
             VALUES ($1, $2, $3, 'zpl', NULL, $4, 0, $5, 'purchased', $6, NULL, 1, $7, $7)",
        )
        .bind(ids.label)
        .bind(shipment)
        .bind(route.carrier)
        .bind(&tracking)
        .bind(&route.currency)
        .bind(requested_by)
        .bind(now)
        .execute(&mut *c)
        .await
        .map_err(|e| StoreError::from_write("shipping label", e))?;
        sqlx::query(
            "INSERT INTO label_purchases (id, shipment_id, carrier, service_code, reference, label_format, state, \
             requested_by, label_id, tracking_number, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'zpl', 'purchased', $6, $7, $8, 1, $9, $9)",
        )
        .bind(ids.purchase)
        .bind(shipment)
        .bind(route.carrier)
        .bind(&route.service_code)
        .bind(&reference)
        .bind(requested_by)
        .bind(ids.label)
        .bind(&tracking)
        .bind(now)
        .execute(&mut *c)
        .await
        .map_err(|e| StoreError::from_write("label purchase", e))?;
        sqlx::query(
            "UPDATE shipments SET status = 'label_purchased', tracking_number = $3, version = version + 1, \
             updated_at = $4 WHERE id = $1 AND version = $2 AND status = 'pending'",
        )
        .bind(shipment)
        .bind(version)
        .bind(&tracking)
        .bind(now)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected())
        .map_err(|e| StoreError::from_write("shipment", e))
    })?;
    if moved == 0 {
        return Err(StoreError::Validation("the parcel changed while its label was issued: try again".into()));
    }
    Ok(version + 1)
}

/// Gives a local-carrier or pickup parcel its label: no carrier, no network,
/// the shipment's own reference as tracking number; drawn when printed.
pub async fn issue_local_label(
    store: &Store,
    shipment: Uuid,
    requested_by: Option<Uuid>,
) -> Result<LabelPurchase, ShippingError> {
    let version = store.parcel_version(shipment).await?;
    let ids = LocalLabelIds { purchase: new_id(), label: new_id() };
    let mut tx = store.begin_write_tx().await?;
    issue_local_label_in(&mut tx, shipment, version, ids, requested_by).await?;
    tx.commit().await?;
    Ok(store.label_purchase(ids.purchase).await?)
}
