//! One dispute as a given person reads it: the row, the lines it covers with
//! what is left of each to give back, the steps and outcomes this person may
//! take now (so the screens offer exactly what the core would accept), the
//! refund an outcome recorded, and the thread (a vendor never sees notes).

use super::attachments::attachments_of;
use super::scope::{OPEN_LINES_SQL, ScopeLine, covers};
use crate::domain::Role;
use crate::domain::dispute_lifecycle::{DisputeAction, DisputeOutcome, DisputeParty, steps_for};
use crate::finance::refunds::RefundLine;
use crate::orders::view::Reader;
use crate::store::disputes::{DISPUTE_COLUMNS, Dispute, DisputeMessage};
use crate::store::{Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A dispute with what the reader may do with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DisputeDetail {
    /// The dispute.
    pub dispute: Dispute,
    /// The order lines it covers.
    pub lines: Vec<ScopeLine>,
    /// Steps the reader may take now.
    pub steps: Vec<DisputeAction>,
    /// Outcomes the reader may choose, when resolving is one of the steps.
    pub outcomes: Vec<DisputeOutcome>,
    /// The refund the outcome recorded (lines and units).
    pub refund_lines: Vec<RefundLine>,
    /// The words the outcome was given with.
    pub resolution_note: Option<String>,
    /// The thread, oldest first.
    pub messages: Vec<DisputeMessage>,
}

/// The dispute `id` as `reader` may see it; another vendor's is "not found".
pub async fn dispute_detail(store: &Store, reader: Reader, id: Uuid) -> Result<DisputeDetail, StoreError> {
    if !matches!(reader.role, Role::Admin | Role::Finance | Role::Vendor) {
        return Err(StoreError::AccessDenied(format!("a {} does not work disputes", reader.role)));
    }
    let sql = format!(
        "SELECT {DISPUTE_COLUMNS} FROM disputes d JOIN orders o ON o.id = d.order_id WHERE d.id = $1 AND d.deleted_at IS NULL"
    );
    let found: Option<Dispute> = with_pool!(&store.db, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
    let party = DisputeParty::of(reader.role);
    let dispute = found
        .filter(|d| party != Some(DisputeParty::Vendor) || d.vendor_id == Some(reader.id))
        .ok_or(StoreError::NotFound { entity: "dispute", id: id.to_string() })?;
    let extra = "SELECT resolution_note, refund_lines FROM disputes WHERE id = $1";
    let (note, refund): (Option<String>, Option<String>) =
        with_pool!(&store.db, |p| sqlx::query_as(extra).bind(id).fetch_one(p).await)?;
    let all: Vec<ScopeLine> =
        with_pool!(&store.db, |p| sqlx::query_as(OPEN_LINES_SQL).bind(dispute.order_id).fetch_all(p).await)?;
    let lines = all.into_iter().filter(|l| covers(dispute.vendor_id, dispute.order_item_id, l)).collect();
    let steps = party.map_or_else(Vec::new, |p| steps_for(dispute.status, p));
    let outcomes = match party {
        Some(p) if steps.contains(&DisputeAction::Resolve) => {
            DisputeOutcome::ALL.iter().copied().filter(|r| r.open_to(p)).collect()
        }
        _ => Vec::new(),
    };
    let mut messages = store.dispute_messages(id).await?;
    let staff = party == Some(DisputeParty::Admin);
    if !staff {
        messages.retain(|m| !m.is_internal);
    }
    for file in attachments_of(store, id, staff).await? {
        if let Some(m) = messages.iter_mut().find(|m| m.id == file.message_id) {
            m.attachments.push(file);
        }
    }
    Ok(DisputeDetail {
        dispute,
        lines,
        steps,
        outcomes,
        refund_lines: refund.and_then(|r| serde_json::from_str(&r).ok()).unwrap_or_default(),
        resolution_note: note,
        messages,
    })
}
