//! Moving an order along its lifecycle.

use crate::domain::{OrderStatus, Timestamp};
use crate::store::sql::{Param, Sql};
use crate::store::versioned::update_versioned_in;
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Store, StoreError};
use uuid::Uuid;

impl Store {
    /// Moves an order to `to`, if the lifecycle allows it and the order is still at
    /// `expected_version`.
    pub async fn set_order_status(&self, id: Uuid, expected_version: i64, to: OrderStatus) -> Result<i64, StoreError> {
        let mut tx = self.begin_write_tx().await?;
        let version = set_order_status_in(&mut tx, id, expected_version, to).await?;
        tx.commit().await?;
        Ok(version)
    }
}

/// [`Store::set_order_status`] inside an open transaction: the one code path
/// for a status change made online, queued offline and replayed by sync.
pub async fn set_order_status_in(
    tx: &mut WriteTx<'_>,
    id: Uuid,
    expected_version: i64,
    to: OrderStatus,
) -> Result<i64, StoreError> {
    let current: Option<(OrderStatus, i64)> =
        with_tx!(tx, |c| sqlx::query_as("SELECT status, version FROM orders WHERE id = $1 AND deleted_at IS NULL")
            .bind(id)
            .fetch_optional(&mut *c)
            .await)?;
    let (status, version) = current.ok_or(StoreError::NotFound { entity: "order", id: id.to_string() })?;
    if version == expected_version && !status.can_become(to) {
        return Err(StoreError::Validation(format!("an order that is {status} cannot become {to}")));
    }
    let mut set = Sql::new("status = ");
    set.bind(Param::Text(to.as_str().into()));
    if to == OrderStatus::Cancelled {
        set.push(", cancelled_at = ").bind(Param::Time(Timestamp::now()));
    }
    update_versioned_in(tx, "orders", "order", id, expected_version, set).await
}
