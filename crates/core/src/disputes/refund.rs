//! Finance makes the refund a dispute's outcome decided: the lines and units
//! it recorded, through finance's refund functions (Stripe, then the ledger,
//! each refund row naming the dispute), checked again against what the
//! dispute covers. Once every unit is refunded the dispute is marked
//! refunded and its vendor told. Asking again finishes what Stripe left
//! pending and refunds only what is still missing — never twice.

use super::scope::ScopeLine;
use crate::domain::Role;
use crate::domain::Timestamp;
use crate::domain::dispute_lifecycle::DisputeKind;
use crate::domain::notifications::NotificationKind;
use crate::finance::refunds::{RefundLine, RefundOrder, RefundOutcome};
use crate::integrations::stripe::Refunds;
use crate::notifications::{Audience, Notice, notify_in};
use crate::orders::view::Reader;
use crate::store::audit::{NewAuditEntry, record_audit_in};
use crate::store::write_tx::with_tx;
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

/// A dispute's refund waiting for finance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DueRefund {
    /// The dispute.
    pub dispute_id: Uuid,
    /// The order's number.
    pub order_number: String,
    /// The vendor party.
    pub vendor_id: Option<Uuid>,
    /// What it is about.
    pub kind: DisputeKind,
    /// What the outcome gives back, minor units.
    pub refund_minor: i64,
    /// Its currency.
    pub currency: crate::domain::Currency,
    /// When the outcome was decided.
    pub resolved_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct Settling {
    order_id: Uuid,
    order_number: String,
    vendor_id: Option<Uuid>,
    order_item_id: Option<Uuid>,
    kind: DisputeKind,
    refund_lines: Option<String>,
    refund_state: Option<String>,
}

/// The refunds disputes' outcomes wait on, oldest decision first (finance's list).
pub async fn due_refunds(store: &Store, limit: i64) -> Result<Vec<DueRefund>, StoreError> {
    let sql = "SELECT d.id AS dispute_id, o.number AS order_number, d.vendor_id, d.kind, d.refund_minor, \
               o.currency, d.resolved_at FROM disputes d JOIN orders o ON o.id = d.order_id \
               WHERE d.refund_state = 'due' AND d.deleted_at IS NULL ORDER BY d.resolved_at, d.id LIMIT $1";
    Ok(crate::store::with_pool!(&store.db, |p| sqlx::query_as(sql).bind(limit.clamp(1, 500)).fetch_all(p).await)?)
}

/// Makes the refund `dispute`'s outcome decided, for `actor` (finance).
pub async fn refund_dispute<G: Refunds>(
    store: &Store,
    actor: Reader,
    dispute: Uuid,
    gateway: &G,
) -> Result<RefundOutcome, StoreError> {
    if actor.role != Role::Finance {
        return Err(StoreError::AccessDenied("finance makes refunds".into()));
    }
    let pool = store
        .pg_pool()
        .ok_or_else(|| StoreError::OnlineOnly("refunds go through Stripe: connect to the marketplace server".into()))?;
    let d: Option<Settling> = sqlx::query_as(
        "SELECT d.order_id, o.number AS order_number, d.vendor_id, d.order_item_id, d.kind, d.refund_lines, d.refund_state \
         FROM disputes d JOIN orders o ON o.id = d.order_id WHERE d.id = $1 AND d.deleted_at IS NULL",
    )
    .bind(dispute)
    .fetch_optional(pool)
    .await?;
    let d = d.ok_or(StoreError::NotFound { entity: "dispute", id: dispute.to_string() })?;
    if d.refund_state.as_deref() != Some("due") {
        return Err(StoreError::Validation(match d.refund_state.as_deref() {
            Some(_) => "this dispute's refund is already made".into(),
            None => "this dispute's outcome gives nothing back".into(),
        }));
    }
    let planned: Vec<RefundLine> = serde_json::from_str(d.refund_lines.as_deref().unwrap_or("[]"))
        .map_err(|e| StoreError::Corrupt(format!("dispute {dispute}: its refund lines do not read ({e})")))?;
    let lines = missing(pool, dispute, &d, &planned).await?;
    let pending: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM refunds WHERE dispute_id = $1 AND status = 'pending' AND deleted_at IS NULL",
    )
    .bind(dispute)
    .fetch_one(pool)
    .await?;
    let outcome = if lines.is_empty() && pending == 0 {
        RefundOutcome { refunds: vec![], refunded_minor: 0, pending: 0 }
    } else {
        // Pending rows are finished first, with their own keys; new lines only when none is pending.
        let req = RefundOrder {
            order_id: d.order_id,
            lines: if pending > 0 { vec![] } else { lines },
            reason: d.kind.refund_reason().into(),
        };
        store.refund_order_settling(&req, Some(dispute), Some(actor.id), gateway).await?
    };
    if outcome.pending == 0 && missing(pool, dispute, &d, &planned).await?.is_empty() {
        settle(store, actor, dispute, &d).await?;
    }
    Ok(outcome)
}

/// The planned units not yet refunded for this dispute, each still within
/// what the dispute covers.
async fn missing(
    pool: &PgPool,
    dispute: Uuid,
    d: &Settling,
    planned: &[RefundLine],
) -> Result<Vec<RefundLine>, StoreError> {
    let scope: Vec<ScopeLine> = sqlx::query_as(
        "SELECT id, vendor_id, sku, product_name, quantity, refunded_quantity, subtotal_minor, tax_minor \
         FROM order_items WHERE order_id = $1 AND deleted_at IS NULL",
    )
    .bind(d.order_id)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::new();
    for p in planned {
        let line = scope.iter().find(|l| {
            l.id == p.order_item_id
                && d.vendor_id.is_none_or(|v| l.vendor_id == v)
                && d.order_item_id.is_none_or(|i| l.id == i)
        });
        let Some(line) = line else {
            return Err(StoreError::Validation(format!(
                "dispute {dispute} asks to refund a line it is not about; decide its outcome again"
            )));
        };
        let done: i64 = sqlx::query_scalar(
            "SELECT CAST(coalesce(sum(quantity), 0) AS BIGINT) FROM refunds WHERE dispute_id = $1 \
             AND order_item_id = $2 AND status = 'succeeded' AND deleted_at IS NULL",
        )
        .bind(dispute)
        .bind(p.order_item_id)
        .fetch_one(pool)
        .await?;
        let left = i64::from(p.quantity) - done;
        if left > 0 {
            let units = u32::try_from(left).unwrap_or(0).min(line.left());
            if units > 0 {
                out.push(RefundLine { order_item_id: p.order_item_id, quantity: units });
            }
        }
    }
    Ok(out)
}

/// Marks the dispute refunded, with its audit entry and the vendor told.
async fn settle(store: &Store, actor: Reader, dispute: Uuid, d: &Settling) -> Result<(), StoreError> {
    let mut tx = store.begin_write_tx().await?;
    let sum = "SELECT CAST(coalesce(sum(amount_minor), 0) AS BIGINT) FROM refunds WHERE dispute_id = $1 \
               AND status = 'succeeded'";
    let total: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(sum).bind(dispute).fetch_one(&mut *c).await)?;
    let mark = "UPDATE disputes SET refund_state = 'refunded', version = version + 1, updated_at = $2 \
                WHERE id = $1 AND refund_state = 'due'";
    let done = with_tx!(&mut tx, |c| sqlx::query(mark)
        .bind(dispute)
        .bind(Timestamp::now())
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))
    .map_err(|e| StoreError::from_write("dispute", e))?;
    if done == 1 {
        record_audit_in(
            &mut tx,
            &NewAuditEntry {
                actor_id: Some(actor.id),
                actor_role: Some(actor.role.as_str().into()),
                action: "disputes.refunded".into(),
                entity_table: Some("disputes".into()),
                entity_id: Some(dispute),
                details: Some(serde_json::json!({ "refunded_minor": total })),
            },
        )
        .await?;
        if let Some(v) = d.vendor_id {
            let notice = Notice::new(
                NotificationKind::DisputeAnswered,
                Audience::Person(v),
                format!("Dispute on {}: the refund was made", d.order_number),
            )
            .about("disputes", dispute);
            notify_in(&mut tx, Some(actor.id), &notice).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
