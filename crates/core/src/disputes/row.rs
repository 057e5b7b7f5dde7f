//! A dispute as the workflow reads it inside a write: its parties, state and
//! version, checked against the person acting.

use crate::domain::dispute_lifecycle::{DisputeKind, DisputeParty};
use crate::domain::{Currency, DisputeStatus};
use crate::orders::view::Reader;
use crate::store::StoreError;
use crate::store::write_tx::{WriteTx, with_tx};
use uuid::Uuid;

/// The columns a step needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DisputeRow {
    /// Row id.
    pub id: Uuid,
    /// The order disputed.
    pub order_id: Uuid,
    /// That order's number.
    pub order_number: String,
    /// The order's currency.
    pub order_currency: Currency,
    /// One line of it, when the dispute is about one.
    pub order_item_id: Option<Uuid>,
    /// The vendor party.
    pub vendor_id: Option<Uuid>,
    /// The admin handling it.
    pub assigned_to: Option<Uuid>,
    /// What it is about.
    pub kind: DisputeKind,
    /// Where it stands.
    pub status: DisputeStatus,
    /// One-line subject.
    pub subject: String,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// A [`DisputeRow`]'s select, up to its WHERE (`$1` the dispute); callers add conditions.
pub(crate) const ROW_SELECT: &str = "SELECT d.id, d.order_id, o.number AS order_number, \
     o.currency AS order_currency, d.order_item_id, d.vendor_id, d.assigned_to, d.kind, d.status, d.subject, \
     d.version FROM disputes d JOIN orders o ON o.id = d.order_id WHERE d.id = $1 AND d.deleted_at IS NULL";

/// The dispute `id` as `actor` may act on it: a vendor only on their own
/// (another vendor's is "not found"), finance and logistics on none.
pub async fn dispute_for(
    tx: &mut WriteTx<'_>,
    actor: Reader,
    id: Uuid,
) -> Result<(DisputeRow, DisputeParty), StoreError> {
    let party = DisputeParty::of(actor.role)
        .ok_or_else(|| StoreError::AccessDenied(format!("a {} does not work disputes", actor.role)))?;
    let row: Option<DisputeRow> = with_tx!(tx, |c| sqlx::query_as(ROW_SELECT).bind(id).fetch_optional(&mut *c).await)?;
    let not_found = || StoreError::NotFound { entity: "dispute", id: id.to_string() };
    let row = row.ok_or_else(not_found)?;
    if party == DisputeParty::Vendor && row.vendor_id != Some(actor.id) {
        return Err(not_found());
    }
    Ok((row, party))
}

/// Refuses a change based on an older version of the dispute.
pub fn ensure_version(row: &DisputeRow, expected: i64) -> Result<(), StoreError> {
    if row.version != expected {
        return Err(StoreError::VersionConflict {
            entity: "dispute",
            id: row.id.to_string(),
            expected,
            actual: row.version,
        });
    }
    Ok(())
}
