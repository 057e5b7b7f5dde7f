//! Moving a shipment along its lifecycle (from a carrier or a person).

use crate::domain::{ShipmentStatus, Timestamp};
use crate::store::sql::{Param, Sql};
use crate::store::versioned::update_versioned;
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
        let current: Option<(ShipmentStatus, i64)> = with_pool!(&self.db, |p| {
            sqlx::query_as("SELECT status, version FROM shipments WHERE id = $1 AND deleted_at IS NULL")
                .bind(id)
                .fetch_optional(p)
                .await
        })?;
        let (from, version) = current.ok_or(StoreError::NotFound { entity: "shipment", id: id.to_string() })?;
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
        update_versioned(&self.db, "shipments", "shipment", id, expected_version, set).await
    }
}
