//! Blocking a customer (and lifting it): on the version read, with the reason
//! kept as a note and in the audit trail. The database then refuses the
//! customer's new orders (PostgreSQL migration 0025); their past orders,
//! refunds and disputes go on as before.

use super::notes::add_note_in;
use super::{customer_row_in, may_keep};
use crate::domain::Timestamp;
use crate::domain::customer::CustomerStatus;
use crate::orders::view::Reader;
use crate::store::StoreError;
use crate::store::audit::{NewAuditEntry, record_audit_in};
use crate::store::write_tx::WriteTx;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A block or its lifting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CustomerStatusChange {
    /// The customer.
    pub customer_id: Uuid,
    /// Their version when read.
    pub version: i64,
    /// The status wanted.
    pub to: CustomerStatus,
    /// Why (required to block).
    pub reason: String,
}

/// Moves a customer to `change.to` for `actor` (an admin) inside `tx`;
/// returns the customer's new version.
pub async fn set_customer_status_in(
    tx: &mut WriteTx<'_>,
    actor: Reader,
    change: &CustomerStatusChange,
) -> Result<i64, StoreError> {
    may_keep(actor, "block or unblock customers")?;
    let reason = change.reason.trim();
    if change.to == CustomerStatus::Blocked && reason.is_empty() {
        return Err(StoreError::Validation("say why the customer is blocked".into()));
    }
    let id = change.customer_id;
    let (version, stored) = customer_row_in(tx, id).await?;
    if version != change.version {
        return Err(StoreError::VersionConflict {
            entity: "customer",
            id: id.to_string(),
            expected: change.version,
            actual: version,
        });
    }
    if stored == change.to.user_status() {
        return Err(StoreError::Validation(format!("the customer is already {}", change.to)));
    }
    let blocked = change.to == CustomerStatus::Blocked;
    let moved: Option<i64> = match tx {
        WriteTx::Postgres(t) => sqlx::query_scalar("SELECT md_set_customer_blocked($1, $2, $3)")
            .bind(id)
            .bind(blocked)
            .bind(version)
            .fetch_one(&mut **t)
            .await
            .map_err(|e| StoreError::from_write("customer", e))?,
        WriteTx::Sqlite(t) => {
            let sql = "UPDATE users SET status = $1, version = version + 1, updated_at = $2 \
                       WHERE id = $3 AND role = 'customer' AND version = $4";
            let done = sqlx::query(sql)
                .bind(change.to.user_status())
                .bind(Timestamp::now())
                .bind(id)
                .bind(version)
                .execute(&mut **t)
                .await
                .map_err(|e| StoreError::from_write("customer", e))?;
            (done.rows_affected() == 1).then_some(version + 1)
        }
    };
    let new_version = moved.ok_or_else(|| StoreError::VersionConflict {
        entity: "customer",
        id: id.to_string(),
        expected: version,
        actual: version + 1,
    })?;
    let note = match (blocked, reason.is_empty()) {
        (true, _) => format!("Blocked: {reason}"),
        (false, true) => "Unblocked.".to_owned(),
        (false, false) => format!("Unblocked: {reason}"),
    };
    add_note_in(tx, actor, id, &note).await?;
    let entry = NewAuditEntry {
        actor_id: Some(actor.id),
        actor_role: Some(actor.role.as_str().into()),
        action: if blocked { "customer.blocked" } else { "customer.unblocked" }.into(),
        entity_table: Some("users".into()),
        entity_id: Some(id),
        details: Some(serde_json::json!({ "reason": reason })),
    };
    record_audit_in(tx, &entry).await?;
    Ok(new_version)
}
