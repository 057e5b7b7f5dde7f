//! Moving a shipment along its lifecycle (from a carrier or a person), and
//! handing parcels over to their carrier.

use crate::domain::{ShipmentStatus, Timestamp};
use crate::store::sql::{Param, Sql};
use crate::store::versioned::update_versioned_in;
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Store, StoreError, with_pool};
use uuid::Uuid;

impl Store {
    /// Records a shipment's new status (from a carrier or a person), stamping the
    /// shipped/delivered time, if still at `expected_version`.
    pub async fn set_shipment_status(
        &self,
        id: Uuid,
        expected_version: i64,
        status: ShipmentStatus,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write_tx().await?;
        let version = set_shipment_status_in(&mut tx, id, expected_version, status).await?;
        tx.commit().await?;
        Ok(version)
    }
}

/// [`Store::set_shipment_status`] inside an open transaction: the one code path
/// for a status change made online, queued offline and replayed by sync.
pub async fn set_shipment_status_in(
    tx: &mut WriteTx<'_>,
    id: Uuid,
    expected_version: i64,
    status: ShipmentStatus,
) -> Result<i64, StoreError> {
    let current: Option<(ShipmentStatus, i64)> =
        with_tx!(tx, |c| sqlx::query_as("SELECT status, version FROM shipments WHERE id = $1 AND deleted_at IS NULL")
            .bind(id)
            .fetch_optional(&mut *c)
            .await)?;
    let (from, version) = current.ok_or(StoreError::NotFound { entity: "shipment", id: id.to_string() })?;
    if version == expected_version && !from.manual_next().contains(&status) && from.can_become(status) {
        return Err(StoreError::Validation(format!(
            "{status} is set by its own action (buying, printing or voiding the label), not by hand"
        )));
    }
    if version == expected_version && !from.can_become(status) {
        return Err(StoreError::Validation(format!("a shipment cannot go from {from} to {status}")));
    }
    let now = Timestamp::now();
    let mut set = Sql::new("status = ");
    set.bind(Param::Text(status.as_str().into()));
    match status {
        ShipmentStatus::InTransit => {
            set.push(", shipped_at = coalesce(shipped_at, ").bind(Param::Time(now)).push(")");
        }
        ShipmentStatus::Delivered => {
            set.push(", delivered_at = ").bind(Param::Time(now));
        }
        _ => {}
    }
    update_versioned_in(tx, "shipments", "shipment", id, expected_version, set).await
}

/// Hands printed (or labelled) parcels over to their carrier: each moves to
/// `handed_over` if it may; the others are returned with the reason.
pub async fn hand_over(store: &Store, shipments: &[Uuid]) -> Result<Vec<(Uuid, Result<(), String>)>, StoreError> {
    let mut outcome = Vec::with_capacity(shipments.len());
    for &id in shipments {
        let status: Option<ShipmentStatus> = with_pool!(&store.db, |p| {
            sqlx::query_scalar("SELECT status FROM shipments WHERE id = $1 AND deleted_at IS NULL")
                .bind(id)
                .fetch_optional(p)
                .await
        })?;
        let result = match status {
            None => Err("no such parcel".to_owned()),
            Some(from) if from.can_become(ShipmentStatus::HandedOver) => {
                if store.advance_shipment(id, from, ShipmentStatus::HandedOver).await? {
                    Ok(())
                } else {
                    Err("it changed meanwhile; try again".to_owned())
                }
            }
            Some(from) => Err(format!("it is {}, not ready to hand over", from.as_str().replace('_', " "))),
        };
        outcome.push((id, result));
    }
    Ok(outcome)
}
