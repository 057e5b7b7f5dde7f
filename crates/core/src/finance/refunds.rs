//! Refunds through Stripe: full, partial, per order line — online only.
//!
//! Each refunded line is one `refunds` row and one Stripe refund. The row is
//! committed as `pending` with its idempotency key before Stripe is called;
//! Stripe's answer is then booked in one transaction: the row, the line's
//! refunded units and the order's status (through `md_book_refund`, the one
//! way finance may change them) and the ledger posting. A refund interrupted
//! in between stays `pending`; asking again repeats the call with the same key,
//! so the buyer is refunded once.

use crate::domain::{Currency, Timestamp, new_id};
use crate::failpoint;
use crate::finance::postings::{CommissionBearer, Returned, SoldLine, refund};
use crate::integrations::stripe::{GatewayError, RefundRequest, Refunds};
use crate::store::ledger::{Posting, post};
use crate::store::{Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Why money goes back (the schema's list).
pub const REFUND_REASONS: &[&str] =
    &["requested_by_customer", "duplicate", "fraudulent", "damaged", "not_received", "other"];

/// Units of one order line to refund.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RefundLine {
    /// The order line.
    pub order_item_id: Uuid,
    /// Units to give back (at most what is left).
    pub quantity: u32,
}

/// A refund to make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RefundOrder {
    /// The order.
    pub order_id: Uuid,
    /// The lines and units; empty to only finish refunds left pending.
    pub lines: Vec<RefundLine>,
    /// One of [`REFUND_REASONS`].
    pub reason: String,
}

/// One refund row after the attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RefundRow {
    /// Row id.
    pub id: Uuid,
    /// The order line refunded.
    pub order_item_id: Option<Uuid>,
    /// Units given back.
    pub quantity: Option<i32>,
    /// Amount returned to the buyer, minor units.
    pub amount_minor: i64,
    /// Currency.
    pub currency: Currency,
    /// `pending`, `succeeded`, `failed`.
    pub status: String,
    /// Stripe's id (`re_…`).
    pub provider_refund_id: Option<String>,
    /// Why it failed.
    pub failure_reason: Option<String>,
    /// Why the money went back.
    pub reason: String,
    /// When it was asked for.
    pub created_at: Timestamp,
}

/// What a refund request did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RefundOutcome {
    /// The rows touched by this request (new and resumed).
    pub refunds: Vec<RefundRow>,
    /// Refunded to the buyer in this request, minor units.
    pub refunded_minor: i64,
    /// Rows still pending (Stripe did not answer): ask again to finish them.
    pub pending: u32,
}

#[derive(sqlx::FromRow)]
struct Line {
    order_id: Uuid,
    vendor_id: Uuid,
    quantity: i32,
    refunded_quantity: i32,
    subtotal_minor: i64,
    tax_minor: i64,
    commission_minor: i64,
    currency: Currency,
}

impl Line {
    fn returned(&self, quantity: u32, already: u32) -> Returned {
        Returned {
            line: SoldLine {
                vendor_id: self.vendor_id,
                quantity: u32::try_from(self.quantity).unwrap_or(0),
                subtotal_minor: self.subtotal_minor,
                tax_minor: self.tax_minor,
                commission_minor: self.commission_minor,
            },
            quantity,
            already_refunded: already,
        }
    }
}

const LINE_SELECT: &str = "SELECT order_id, vendor_id, quantity, refunded_quantity, subtotal_minor, tax_minor, \
     commission_minor, currency FROM order_items WHERE id = $1 AND deleted_at IS NULL";

pub(super) const ROW_SELECT: &str = "SELECT id, order_item_id, quantity, amount_minor, currency, status, provider_refund_id, \
     failure_reason, reason, created_at FROM refunds";

impl Store {
    pub(super) async fn commission_bearer(&self) -> Result<CommissionBearer, StoreError> {
        let v = self.setting_text("refunds.commission_bearer").await?;
        Ok(if v.as_deref().map(str::trim) == Some("\"vendor\"") {
            CommissionBearer::Vendor
        } else {
            CommissionBearer::Platform
        })
    }

    /// The refunds of an order, oldest first.
    pub async fn order_refunds(&self, order_id: Uuid) -> Result<Vec<RefundRow>, StoreError> {
        let sql = format!("{ROW_SELECT} WHERE order_id = $1 AND deleted_at IS NULL ORDER BY created_at, id");
        Ok(with_pool!(&self.db, |p| sqlx::query_as(&sql).bind(order_id).fetch_all(p).await)?)
    }

    /// Refunds the given units of an order's lines through Stripe (and first
    /// finishes any refund of the order left pending). Online only.
    pub async fn refund_order<G: Refunds>(
        &self,
        req: &RefundOrder,
        requested_by: Option<Uuid>,
        gateway: &G,
    ) -> Result<RefundOutcome, StoreError> {
        self.refund_order_settling(req, None, requested_by, gateway).await
    }

    /// [`Store::refund_order`], the new refund rows naming the dispute they settle.
    pub(crate) async fn refund_order_settling<G: Refunds>(
        &self,
        req: &RefundOrder,
        dispute: Option<Uuid>,
        requested_by: Option<Uuid>,
        gateway: &G,
    ) -> Result<RefundOutcome, StoreError> {
        let pool = self.pg_pool().ok_or_else(online_only)?;
        if !REFUND_REASONS.contains(&req.reason.as_str()) {
            return Err(StoreError::Validation(format!("“{}” is not a refund reason", req.reason)));
        }
        if req.lines.iter().any(|l| l.quantity == 0) {
            return Err(StoreError::Validation("refund at least one unit of each line".into()));
        }
        let bearer = self.commission_bearer().await?;
        let payment: Option<(String, i64)> = sqlx::query_as(
            "SELECT provider_payment_id, amount_minor FROM payments WHERE order_id = $1 AND provider = 'stripe' \
             AND status = 'succeeded' AND provider_payment_id IS NOT NULL AND deleted_at IS NULL ORDER BY created_at LIMIT 1",
        )
        .bind(req.order_id)
        .fetch_optional(pool)
        .await?;
        let (intent, paid) = payment.ok_or_else(|| {
            StoreError::Validation(
                "this order has no Stripe payment to refund (a manual payment is refunded by hand)".into(),
            )
        })?;
        let created = self.open_refunds(pool, req, bearer, paid, dispute, requested_by).await?;
        let pending: Vec<RefundRow> = sqlx::query_as(&format!(
            "{ROW_SELECT} WHERE order_id = $1 AND status = 'pending' AND deleted_at IS NULL ORDER BY created_at, id"
        ))
        .bind(req.order_id)
        .fetch_all(pool)
        .await?;
        if pending.is_empty() && created == 0 {
            return Err(StoreError::Validation("nothing to refund: choose the lines and units to give back".into()));
        }
        let mut refunded = 0;
        let mut still = 0;
        let mut ids = Vec::new();
        for row in pending {
            ids.push(row.id);
            let call = RefundRequest {
                payment_intent: intent.clone(),
                amount_minor: row.amount_minor,
                idempotency_key: format!("marketdesk-refund-{}", row.id),
                refund_id: row.id.to_string(),
            };
            match gateway.refund(&call).await {
                Ok(made) if made.status == "failed" || made.status == "canceled" => {
                    self.fail_refund(pool, row.id, "Stripe could not return the money to the card").await?;
                }
                Ok(made) => {
                    failpoint::hit("refund.after_stripe");
                    self.book_refund(pool, &row, &made.id, bearer, requested_by).await?;
                    refunded += row.amount_minor;
                }
                Err(GatewayError::Refused { reason, .. }) => self.fail_refund(pool, row.id, &reason).await?,
                Err(_) => still += 1,
            }
        }
        let refunds: Vec<RefundRow> =
            sqlx::query_as(&format!("{ROW_SELECT} WHERE id = ANY($1) ORDER BY created_at, id"))
                .bind(&ids)
                .fetch_all(pool)
                .await?;
        Ok(RefundOutcome { refunds, refunded_minor: refunded, pending: still })
    }

    /// Validates the request against what is left and inserts its rows as
    /// `pending`, in one transaction. Returns how many rows it made.
    async fn open_refunds(
        &self,
        pool: &PgPool,
        req: &RefundOrder,
        bearer: CommissionBearer,
        paid: i64,
        dispute: Option<Uuid>,
        requested_by: Option<Uuid>,
    ) -> Result<usize, StoreError> {
        if req.lines.is_empty() {
            return Ok(0);
        }
        let mut tx = pool.begin().await?;
        // One refund request of an order at a time.
        let status: Option<String> =
            sqlx::query_scalar("SELECT status FROM orders WHERE id = $1 AND deleted_at IS NULL FOR UPDATE")
                .bind(req.order_id)
                .fetch_optional(&mut *tx)
                .await?;
        match status.as_deref() {
            None => return Err(StoreError::NotFound { entity: "order", id: req.order_id.to_string() }),
            Some("pending" | "cancelled") => {
                return Err(StoreError::Validation("an order that was not paid cannot be refunded".into()));
            }
            _ => {}
        }
        let already: i64 = sqlx::query_scalar(
            "SELECT CAST(coalesce(sum(amount_minor), 0) AS BIGINT) FROM refunds WHERE order_id = $1 \
             AND status IN ('pending', 'succeeded') AND deleted_at IS NULL",
        )
        .bind(req.order_id)
        .fetch_one(&mut *tx)
        .await?;
        let mut total = 0;
        let now = Timestamp::now();
        for l in &req.lines {
            let found: Option<Line> =
                sqlx::query_as(LINE_SELECT).bind(l.order_item_id).fetch_optional(&mut *tx).await?;
            let line = found
                .filter(|line| line.order_id == req.order_id)
                .ok_or(StoreError::NotFound { entity: "order line", id: l.order_item_id.to_string() })?;
            let pending: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM refunds WHERE order_item_id = $1 AND status = 'pending' AND deleted_at IS NULL",
            )
            .bind(l.order_item_id)
            .fetch_one(&mut *tx)
            .await?;
            if pending > 0 {
                return Err(StoreError::Busy("a refund of this line is still pending; finish it first".into()));
            }
            let left = u32::try_from(line.quantity - line.refunded_quantity).unwrap_or(0);
            if l.quantity > left {
                return Err(StoreError::Validation(format!(
                    "only {left} unit(s) of this line are left to refund, not {}",
                    l.quantity
                )));
            }
            let already_units = u32::try_from(line.refunded_quantity).unwrap_or(0);
            let (_, amount) = refund(line.currency, &[line.returned(l.quantity, already_units)], 0, bearer)
                .map_err(|e| StoreError::Validation(e.to_string()))?;
            total += amount;
            let id = new_id();
            sqlx::query(
                "INSERT INTO refunds (id, payment_id, order_id, order_item_id, quantity, amount_minor, currency, reason, status, \
                 idempotency_key, requested_by, version, created_at, updated_at, dispute_id) \
                 SELECT $1, p.id, $2, $3, $4, $5, $6, $7, 'pending', $8, $9, 1, $10, $10, $11 FROM payments p \
                 WHERE p.order_id = $2 AND p.provider = 'stripe' AND p.status = 'succeeded' ORDER BY p.created_at LIMIT 1",
            )
            .bind(id)
            .bind(req.order_id)
            .bind(l.order_item_id)
            .bind(i32::try_from(l.quantity).unwrap_or(i32::MAX))
            .bind(amount)
            .bind(line.currency)
            .bind(&req.reason)
            .bind(format!("marketdesk-refund-{id}"))
            .bind(requested_by)
            .bind(now)
            .bind(dispute)
            .execute(&mut *tx)
            .await
            .map_err(|e| StoreError::from_write("refund", e))?;
        }
        if already + total > paid {
            return Err(StoreError::Validation(format!(
                "that would refund {} in all, more than the {} paid",
                already + total,
                paid
            )));
        }
        tx.commit().await?;
        Ok(req.lines.len())
    }

    /// Books a refund Stripe made: the row, the line and the order (through
    /// `md_book_refund`) and the ledger, together.
    async fn book_refund(
        &self,
        pool: &PgPool,
        row: &RefundRow,
        provider_id: &str,
        bearer: CommissionBearer,
        actor: Option<Uuid>,
    ) -> Result<(), StoreError> {
        let mut tx = pool.begin().await?;
        book_refund_on(&mut tx, row, provider_id, bearer, actor).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn fail_refund(&self, pool: &PgPool, id: Uuid, reason: &str) -> Result<(), StoreError> {
        fail_refund_on(&mut *pool.acquire().await?, id, reason).await
    }
}

/// Books a pending refund Stripe made, on the caller's transaction: the row,
/// the line and the order (through `md_book_refund`) and the ledger.
pub(super) async fn book_refund_on(
    tx: &mut PgConnection,
    row: &RefundRow,
    provider_id: &str,
    bearer: CommissionBearer,
    actor: Option<Uuid>,
) -> Result<(), StoreError> {
    let before: i32 =
        sqlx::query_scalar("SELECT md_book_refund($1, $2)").bind(row.id).bind(provider_id).fetch_one(&mut *tx).await?;
    let (item, quantity) = match (row.order_item_id, row.quantity) {
        (Some(i), Some(q)) => (i, u32::try_from(q).unwrap_or(0)),
        _ => return Err(StoreError::Corrupt(format!("refund {} names no order line", row.id))),
    };
    let line: Line = sqlx::query_as(LINE_SELECT).bind(item).fetch_one(&mut *tx).await?;
    let (lines, amount) =
        refund(line.currency, &[line.returned(quantity, u32::try_from(before).unwrap_or(0))], 0, bearer)
            .map_err(|e| StoreError::Validation(e.to_string()))?;
    if amount != row.amount_minor {
        return Err(StoreError::Corrupt(format!(
            "refund {} was asked for {} but the line now gives {}",
            row.id, row.amount_minor, amount
        )));
    }
    post(
        &mut *tx,
        &Posting {
            code: "refund",
            description: format!("Refund of {quantity} unit(s) ({provider_id})"),
            occurred_at: Timestamp::now(),
            order_id: Some(line.order_id),
            payout_id: None,
            refund_id: Some(row.id),
            idempotency_key: format!("refund:{}", row.id),
            created_by: actor,
            lines,
        },
    )
    .await?;
    Ok(())
}

/// Marks a pending refund failed, with the reason in the buyer's words.
pub(super) async fn fail_refund_on(tx: &mut PgConnection, id: Uuid, reason: &str) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE refunds SET status = 'failed', failure_reason = $2, version = version + 1, updated_at = now() \
         WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(reason)
    .execute(tx)
    .await?;
    Ok(())
}

fn online_only() -> StoreError {
    StoreError::OnlineOnly("refunds go through Stripe: connect to the marketplace server".into())
}
