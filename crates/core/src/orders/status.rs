//! Moving an order along its lifecycle by hand (a status button). Every move
//! is checked against `domain::order_lifecycle`: the move must exist, be a
//! plain move (cancelling, refunding and disputes have their own functions),
//! and be one the mover's role makes.

use crate::domain::OrderStatus;
use crate::domain::order_lifecycle::{Action, MoveRefused, Mover, check};
use crate::orders::view::Reader;
use crate::store::audit::{NewAuditEntry, record_audit_in};
use crate::store::sql::{Param, Sql};
use crate::store::versioned::update_versioned_in;
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Store, StoreError};
use uuid::Uuid;

impl From<MoveRefused> for StoreError {
    fn from(e: MoveRefused) -> Self {
        match e {
            MoveRefused::NoSuchMove { .. } => StoreError::Validation(e.to_string()),
            MoveRefused::NotYours { .. } => StoreError::AccessDenied(e.to_string()),
        }
    }
}

impl Store {
    /// Moves an order to `to` for `mover`, if the lifecycle lets them and the
    /// order is still at `expected_version`.
    pub async fn set_order_status(
        &self,
        id: Uuid,
        expected_version: i64,
        to: OrderStatus,
        mover: Mover,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write_tx().await?;
        let version = set_order_status_in(&mut tx, id, expected_version, to, mover, None).await?;
        tx.commit().await?;
        Ok(version)
    }
}

/// Moves an order by hand for the person `reader`.
pub async fn move_order(
    store: &Store,
    reader: Reader,
    id: Uuid,
    expected_version: i64,
    to: OrderStatus,
) -> Result<i64, StoreError> {
    let mover = Mover::of(reader.role)
        .ok_or_else(|| StoreError::AccessDenied(format!("a {} does not move orders", reader.role)))?;
    let mut tx = store.begin_write_tx().await?;
    let version = set_order_status_in(&mut tx, id, expected_version, to, mover, Some(reader)).await?;
    tx.commit().await?;
    Ok(version)
}

/// The current status and version of an order, inside `tx`.
pub(crate) async fn order_state_in(tx: &mut WriteTx<'_>, id: Uuid) -> Result<(OrderStatus, i64), StoreError> {
    let current: Option<(OrderStatus, i64)> =
        with_tx!(tx, |c| sqlx::query_as("SELECT status, version FROM orders WHERE id = $1 AND deleted_at IS NULL")
            .bind(id)
            .fetch_optional(&mut *c)
            .await)?;
    current.ok_or(StoreError::NotFound { entity: "order", id: id.to_string() })
}

/// [`Store::set_order_status`] inside an open transaction: the one code path
/// for a status change made online, queued offline and replayed by sync. A
/// move by a person (`by`) goes into the audit trail with the change.
pub async fn set_order_status_in(
    tx: &mut WriteTx<'_>,
    id: Uuid,
    expected_version: i64,
    to: OrderStatus,
    mover: Mover,
    by: Option<Reader>,
) -> Result<i64, StoreError> {
    let (status, version) = order_state_in(tx, id).await?;
    if version == expected_version {
        check(status, to, mover, Action::Move)?;
    }
    let mut set = Sql::new("status = ");
    set.bind(Param::Text(to.as_str().into()));
    let version = update_versioned_in(tx, "orders", "order", id, expected_version, set).await?;
    if let Some(person) = by {
        let entry = NewAuditEntry {
            actor_id: Some(person.id),
            actor_role: Some(person.role.as_str().into()),
            action: "orders.move".into(),
            entity_table: Some("orders".into()),
            entity_id: Some(id),
            details: Some(serde_json::json!({ "from": status, "to": to })),
        };
        record_audit_in(tx, &entry).await?;
    }
    Ok(version)
}
