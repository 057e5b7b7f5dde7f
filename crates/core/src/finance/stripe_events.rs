//! Reconciliation from Stripe's events: what happened to our money after
//! Marketdesk asked for it. A payment taken (or failed) after the order was
//! placed, a transfer reversed, a refund that Stripe finished (or failed)
//! later, a chargeback opened and lost, a vendor's subscription invoice paid,
//! a connected account that can now be paid.
//!
//! Events reach us two ways: polled from `/v1/events` after a stored cursor
//! ([`Store::reconcile_stripe_events`]), and pushed to the webhook
//! ([`Store::apply_stripe_event`]). Either way each event is applied once: its
//! `evt_` id is inserted into `stripe_events` in the same transaction as the
//! change it causes (and, when polled, as the cursor's move past it), so a
//! second delivery, a concurrent one, or one after a crash finds it there and
//! changes nothing. An event that cannot be applied as it stands is kept with
//! the outcome `attention` and the reason, for finance to resolve; it never
//! blocks the events after it.
//!
//! Online only: Stripe is reconciled against the central database.

use super::refunds::{ROW_SELECT, RefundRow, book_refund_on, fail_refund_on};
use super::subscriptions::status_of;
use crate::domain::{Currency, Timestamp, allocate, new_id};
use crate::finance::postings::{
    Capture, CommissionBearer, SoldLine, dispute_lost, payment_captured, payout_returned, subscription_paid,
};
use crate::integrations::stripe::{ConnectAccount, Events, EventsPage, GatewayError, StripeEvent};
use crate::store::ledger::{Posting, post};
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// The name of the polling cursor in `integration_cursors`.
pub const CURSOR: &str = "stripe.events";
/// How far back a first poll reaches: Stripe keeps events for 30 days.
pub const FIRST_POLL_DAYS: i64 = 30;
const PAGE: u8 = 100;

/// How an event reached us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum EventSource {
    /// Listed from `/v1/events`.
    Poll,
    /// Pushed to the webhook and its signature checked.
    Webhook,
}

impl EventSource {
    fn as_str(self) -> &'static str {
        match self {
            EventSource::Poll => "poll",
            EventSource::Webhook => "webhook",
        }
    }
}

/// What applying one event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Our records changed; the text says how.
    Applied(String),
    /// Nothing of ours is concerned; the text says why.
    Ignored(String),
    /// Finance must look; the text says at what.
    Attention(String),
    /// This event was applied before (by the other path, or an earlier run).
    Duplicate,
}

impl Outcome {
    /// `applied`, `ignored`, `attention` or `duplicate`.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Applied(_) => "applied",
            Outcome::Ignored(_) => "ignored",
            Outcome::Attention(_) => "attention",
            Outcome::Duplicate => "duplicate",
        }
    }

    /// What was done or why (none for a duplicate).
    pub fn detail(&self) -> Option<&str> {
        match self {
            Outcome::Applied(d) | Outcome::Ignored(d) | Outcome::Attention(d) => Some(d),
            Outcome::Duplicate => None,
        }
    }
}

/// One recorded event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StripeEventRow {
    /// Row id.
    pub id: Uuid,
    /// Stripe's id (`evt_…`).
    pub stripe_event_id: String,
    /// What happened (`transfer.reversed`, …).
    #[sqlx(rename = "type")]
    pub kind: String,
    /// The Stripe object it is about.
    pub object_id: Option<String>,
    /// When it happened at Stripe.
    pub occurred_at: Timestamp,
    /// `poll` or `webhook`.
    pub source: String,
    /// `applied`, `ignored`, `attention` or `resolved`.
    pub outcome: String,
    /// What was done, or what needs looking at (and, once resolved, how).
    pub detail: Option<String>,
    /// Who resolved it.
    pub resolved_by: Option<Uuid>,
    /// When.
    pub resolved_at: Option<Timestamp>,
}

/// What one reconciliation run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReconcileReport {
    /// Events Stripe listed.
    pub seen: u32,
    /// Applied to our records.
    pub applied: u32,
    /// About nothing of ours.
    pub ignored: u32,
    /// Kept for finance to look at.
    pub attention: u32,
    /// Applied before (by the webhook or an earlier run).
    pub duplicates: u32,
    /// The newest event now behind us.
    pub cursor: Option<String>,
}

impl ReconcileReport {
    /// Counts a polled event, which the cursor is now past.
    fn add(&mut self, e: &StripeEvent, o: Outcome) {
        self.seen += 1;
        self.cursor = Some(e.id.clone());
        match o {
            Outcome::Applied(_) => self.applied += 1,
            Outcome::Ignored(_) => self.ignored += 1,
            Outcome::Attention(_) => self.attention += 1,
            Outcome::Duplicate => self.duplicates += 1,
        }
    }
}

const SELECT_ROW: &str = "SELECT id, stripe_event_id, type, object_id, occurred_at, source, outcome, detail, \
     resolved_by, resolved_at FROM stripe_events";

fn online_only() -> StoreError {
    StoreError::OnlineOnly("Stripe is reconciled online only: connect to the marketplace server".into())
}

fn gateway_error(e: GatewayError) -> StoreError {
    match e {
        GatewayError::Refused { reason, .. } => StoreError::Validation(format!("Stripe refused: {reason}")),
        GatewayError::Unavailable(why) => StoreError::Busy(format!("Stripe did not answer ({why}); try again")),
        GatewayError::NotConfigured => StoreError::Validation(GatewayError::NotConfigured.to_string()),
    }
}

/// Whether applying failed for a reason the event itself carries (kept as
/// `attention`), rather than trouble reaching the database (tried again later).
fn is_about_the_event(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::Validation(_)
            | StoreError::Corrupt(_)
            | StoreError::NotFound { .. }
            | StoreError::Invalid { .. }
            | StoreError::Reference { .. }
            | StoreError::Duplicate { .. }
    )
}

impl Store {
    /// Polls Stripe's events after the stored cursor and applies each once,
    /// oldest first; the first poll reaches back [`FIRST_POLL_DAYS`].
    /// `progress` hears the running totals after each event.
    pub async fn reconcile_stripe_events<G: Events>(
        &self,
        gateway: &G,
        actor: Option<Uuid>,
        mut progress: impl FnMut(&ReconcileReport) + Send,
    ) -> Result<ReconcileReport, StoreError> {
        let pool = self.pg_pool().ok_or_else(online_only)?;
        let bearer = self.commission_bearer().await?;
        let mut report = ReconcileReport {
            cursor: sqlx::query_scalar("SELECT position FROM integration_cursors WHERE name = $1")
                .bind(CURSOR)
                .fetch_optional(pool)
                .await?,
            ..ReconcileReport::default()
        };
        let mut cursor = report.cursor.clone();
        while let Some(after) = cursor.take() {
            let page = match gateway
                .events(&EventsPage { ending_before: Some(after.clone()), limit: PAGE, ..EventsPage::default() })
                .await
            {
                Ok(p) => p,
                // Stripe forgets events after 30 days: a cursor that old is walked back to instead.
                Err(GatewayError::Refused { .. }) if Some(&after) == report.cursor.as_ref() && report.seen == 0 => {
                    tracing::warn!(cursor = %after, "Stripe no longer knows the event cursor; reading back 30 days");
                    report.cursor = None;
                    break;
                }
                Err(e) => return Err(gateway_error(e)),
            };
            for e in page.events.iter().rev() {
                report.add(e, apply(pool, e, EventSource::Poll, actor, bearer).await?);
                progress(&report);
            }
            if page.has_more && !page.events.is_empty() {
                cursor = report.cursor.clone();
            }
        }
        if report.cursor.is_none() {
            // No cursor (yet, or any more): walk back over what Stripe keeps, then apply it oldest first.
            for e in walk_back(gateway).await?.iter().rev() {
                report.add(e, apply(pool, e, EventSource::Poll, actor, bearer).await?);
                progress(&report);
            }
        }
        Ok(report)
    }

    /// Applies one event pushed to the webhook (its signature already
    /// checked), unless it was applied before.
    pub async fn apply_stripe_event(&self, event: &StripeEvent, actor: Option<Uuid>) -> Result<Outcome, StoreError> {
        let pool = self.pg_pool().ok_or_else(online_only)?;
        let bearer = self.commission_bearer().await?;
        apply(pool, event, EventSource::Webhook, actor, bearer).await
    }

    /// The latest recorded events, newest first; only those awaiting finance
    /// when `attention_only`.
    pub async fn stripe_events(&self, attention_only: bool, limit: u32) -> Result<Vec<StripeEventRow>, StoreError> {
        let pool = self.pg_pool().ok_or_else(online_only)?;
        let filter = if attention_only { " WHERE outcome = 'attention'" } else { "" };
        let sql = format!("{SELECT_ROW}{filter} ORDER BY occurred_at DESC, stripe_event_id DESC LIMIT $1");
        Ok(sqlx::query_as(&sql).bind(i64::from(limit.clamp(1, 1000))).fetch_all(pool).await?)
    }

    /// Marks an event that needed attention as resolved, saying how.
    pub async fn resolve_stripe_event(&self, id: Uuid, how: &str, by: Uuid) -> Result<StripeEventRow, StoreError> {
        let pool = self.pg_pool().ok_or_else(online_only)?;
        let how = how.trim();
        if how.is_empty() {
            return Err(StoreError::Validation("say how it was resolved".into()));
        }
        if how.chars().count() > 500 {
            return Err(StoreError::Validation("keep the resolution under 500 characters".into()));
        }
        let sql = format!(
            "UPDATE stripe_events SET outcome = 'resolved', detail = coalesce(detail, '') || ' — resolved: ' || $2, \
             resolved_by = $3, resolved_at = now(), version = version + 1, updated_at = now() \
             WHERE id = $1 AND outcome = 'attention' RETURNING {}",
            SELECT_ROW.trim_start_matches("SELECT ").trim_end_matches(" FROM stripe_events")
        );
        let row: Option<StripeEventRow> = sqlx::query_as(&sql).bind(id).bind(how).bind(by).fetch_optional(pool).await?;
        match row {
            Some(r) => Ok(r),
            None => {
                let exists: Option<String> = sqlx::query_scalar("SELECT outcome FROM stripe_events WHERE id = $1")
                    .bind(id)
                    .fetch_optional(pool)
                    .await?;
                Err(match exists {
                    None => StoreError::NotFound { entity: "Stripe event", id: id.to_string() },
                    Some(o) => StoreError::Validation(format!("this event is {o}, not awaiting attention")),
                })
            }
        }
    }
}

/// Every event Stripe still keeps (the last [`FIRST_POLL_DAYS`]), newest first.
async fn walk_back<G: Events>(gateway: &G) -> Result<Vec<StripeEvent>, StoreError> {
    let from = Timestamp::now().as_datetime().timestamp() - FIRST_POLL_DAYS * 86_400;
    let mut all: Vec<StripeEvent> = Vec::new();
    loop {
        let page = gateway
            .events(&EventsPage {
                starting_after: all.last().map(|e| e.id.clone()),
                created_from: Some(from),
                limit: PAGE,
                ..EventsPage::default()
            })
            .await
            .map_err(gateway_error)?;
        let more = page.has_more && !page.events.is_empty();
        all.extend(page.events);
        if !more {
            return Ok(all);
        }
    }
}

/// Applies `e` once: records it and does what it says in one transaction.
async fn apply(
    pool: &PgPool,
    e: &StripeEvent,
    source: EventSource,
    actor: Option<Uuid>,
    bearer: CommissionBearer,
) -> Result<Outcome, StoreError> {
    let occurred = chrono::DateTime::from_timestamp(e.created, 0)
        .map(Timestamp::from)
        .ok_or_else(|| StoreError::Corrupt(format!("event {} has no usable time ({})", e.id, e.created)))?;
    let object_id = e.object.get("id").and_then(Value::as_str).map(str::to_owned);
    let mut tx = pool.begin().await?;
    let row = new_id();
    // The unique evt_ id makes a second delivery wait for the first and then find it.
    let fresh: Option<Uuid> = sqlx::query_scalar(
        "INSERT INTO stripe_events (id, stripe_event_id, type, object_id, occurred_at, source, outcome, version, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'applied', 1, now(), now()) \
         ON CONFLICT (stripe_event_id) DO NOTHING RETURNING id",
    )
    .bind(row)
    .bind(&e.id)
    .bind(&e.kind)
    .bind(&object_id)
    .bind(occurred)
    .bind(source.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    if fresh.is_none() {
        move_cursor(&mut tx, source, &e.id).await?;
        tx.commit().await?;
        return Ok(Outcome::Duplicate);
    }
    // The handler runs under a savepoint: what it half did is undone if the
    // event cannot be applied as it stands, and the event is kept, flagged.
    let mut handling = sqlx::Connection::begin(&mut *tx).await?;
    let outcome = match handle(&mut handling, e, actor, bearer).await {
        Ok(o) => {
            handling.commit().await?;
            o
        }
        Err(err) if is_about_the_event(&err) => {
            handling.rollback().await?;
            Outcome::Attention(format!("could not be applied: {err}"))
        }
        Err(err) => return Err(err),
    };
    sqlx::query("UPDATE stripe_events SET outcome = $2, detail = $3 WHERE id = $1")
        .bind(row)
        .bind(outcome.label())
        .bind(outcome.detail())
        .execute(&mut *tx)
        .await?;
    move_cursor(&mut tx, source, &e.id).await?;
    tx.commit().await?;
    Ok(outcome)
}

async fn move_cursor(tx: &mut PgConnection, source: EventSource, to: &str) -> Result<(), StoreError> {
    if source != EventSource::Poll {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO integration_cursors (id, name, position, moved_at, version, created_at, updated_at) \
         VALUES ($1, $2, $3, now(), 1, now(), now()) ON CONFLICT (name) DO UPDATE SET position = excluded.position, \
         moved_at = excluded.moved_at, version = integration_cursors.version + 1, updated_at = excluded.updated_at",
    )
    .bind(new_id())
    .bind(CURSOR)
    .bind(to)
    .execute(tx)
    .await?;
    Ok(())
}

/// The text at `path` (dot-separated) in `v`.
fn text<'a>(v: &'a Value, path: &str) -> Option<&'a str> {
    at(v, path).and_then(Value::as_str)
}

fn int(v: &Value, path: &str) -> Option<i64> {
    at(v, path).and_then(Value::as_i64)
}

fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |v, k| v.get(k)).filter(|v| !v.is_null())
}

/// An id field that Stripe sends either as the id or as the expanded object.
fn id_of<'a>(v: &'a Value, path: &str) -> Option<&'a str> {
    at(v, path).and_then(|x| x.as_str().or_else(|| x.get("id").and_then(Value::as_str)))
}

fn currency_of(v: &Value) -> Result<Currency, StoreError> {
    let c = text(v, "currency").unwrap_or_default();
    c.to_ascii_uppercase()
        .parse()
        .map_err(|_| StoreError::Validation(format!("“{c}” is not a currency Marketdesk keeps")))
}

fn required<'a>(v: &'a Value, path: &str, kind: &str) -> Result<&'a str, StoreError> {
    text(v, path).ok_or_else(|| StoreError::Validation(format!("the {kind} carries no {path}")))
}

fn when(secs: Option<i64>) -> Option<Timestamp> {
    secs.and_then(|s| chrono::DateTime::from_timestamp(s, 0)).map(Timestamp::from)
}

async fn posted(tx: &mut PgConnection, key: &str) -> Result<bool, StoreError> {
    Ok(sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM ledger_transactions WHERE idempotency_key = $1)")
        .bind(key)
        .fetch_one(tx)
        .await?)
}

async fn handle(
    tx: &mut PgConnection,
    e: &StripeEvent,
    actor: Option<Uuid>,
    bearer: CommissionBearer,
) -> Result<Outcome, StoreError> {
    let o = &e.object;
    match e.kind.as_str() {
        "transfer.reversed" | "transfer.updated" => transfer_changed(tx, o, actor).await,
        "refund.created" | "refund.updated" | "refund.failed" | "charge.refund.updated" => {
            refund_changed(tx, o, actor, bearer).await
        }
        "payment_intent.succeeded" | "payment_intent.payment_failed" | "payment_intent.canceled" => {
            payment_changed(tx, &e.kind, o, actor).await
        }
        "account.updated" => account_updated(tx, o).await,
        k if k.starts_with("charge.dispute.") => dispute_changed(tx, o, actor).await,
        "customer.subscription.created" | "customer.subscription.updated" | "customer.subscription.deleted" => {
            subscription_changed(tx, o).await
        }
        "invoice.paid" => invoice_paid(tx, o, actor).await,
        "payout.failed" => Ok(Outcome::Attention(format!(
            "Stripe could not pay {} {} out to the platform's bank: {}",
            int(o, "amount").unwrap_or(0),
            text(o, "currency").unwrap_or("").to_ascii_uppercase(),
            text(o, "failure_message").or_else(|| text(o, "failure_code")).unwrap_or("no reason given")
        ))),
        k => Ok(Outcome::Ignored(format!("Marketdesk does not act on {k}"))),
    }
}

/// A transfer (a vendor payout) reversed in whole or part: what came back is
/// owed to the vendor again. Cumulative: each event books only what the
/// ledger does not hold yet, so a later, larger reversal adds the difference.
async fn transfer_changed(tx: &mut PgConnection, o: &Value, actor: Option<Uuid>) -> Result<Outcome, StoreError> {
    let id = required(o, "id", "transfer")?;
    let found: Option<(Uuid, Uuid, String, i64, Currency, String)> = sqlx::query_as(
        "SELECT p.id, p.vendor_id, u.display_name, p.amount_minor, p.currency, p.status FROM payouts p \
         JOIN users u ON u.id = p.vendor_id WHERE p.stripe_transfer_id = $1 AND p.deleted_at IS NULL FOR UPDATE OF p",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((payout, vendor, name, amount, currency, status)) = found else {
        // A transfer made for a payout whose booking was interrupted.
        let group = text(o, "metadata.marketdesk_group").or_else(|| text(o, "transfer_group"));
        if let Some(p) = group.and_then(|g| g.strip_prefix("payout:")).and_then(|p| p.parse::<Uuid>().ok()) {
            let processing: Option<String> =
                sqlx::query_scalar("SELECT status FROM payouts WHERE id = $1").bind(p).fetch_optional(&mut *tx).await?;
            if processing.as_deref() == Some("processing") {
                return Ok(Outcome::Attention(format!(
                    "Stripe made transfer {id} for payout {p}, which is not booked yet: run its batch again to book it"
                )));
            }
        }
        return Ok(Outcome::Ignored(format!("transfer {id} is not a booked Marketdesk payout")));
    };
    let transferred = int(o, "amount").unwrap_or(amount);
    if transferred != amount {
        return Ok(Outcome::Attention(format!(
            "transfer {id} is for {transferred} minor units but payout {payout} booked {amount}"
        )));
    }
    let reversed = int(o, "amount_reversed").unwrap_or(0).clamp(0, amount);
    let booked: i64 = sqlx::query_scalar(
        "SELECT CAST(coalesce(-sum(e.amount_minor), 0) AS BIGINT) FROM ledger_entries e \
         JOIN ledger_transactions t ON t.id = e.transaction_id \
         WHERE t.payout_id = $1 AND t.code = 'payout_reversed' AND e.vendor_id = $2",
    )
    .bind(payout)
    .bind(vendor)
    .fetch_one(&mut *tx)
    .await?;
    let delta = reversed - booked;
    if delta <= 0 {
        return Ok(Outcome::Ignored(format!(
            "nothing more of payout {payout} came back ({reversed} reversed, {booked} booked)"
        )));
    }
    if status != "paid" && status != "reversed" {
        return Ok(Outcome::Attention(format!("transfer {id} was reversed but payout {payout} is {status}, not paid")));
    }
    let lines = payout_returned(vendor, delta, currency).map_err(|e| StoreError::Validation(e.to_string()))?;
    post(
        &mut *tx,
        &Posting {
            code: "payout_reversed",
            description: format!("Payout to {name} reversed in Stripe ({id})"),
            occurred_at: Timestamp::now(),
            order_id: None,
            payout_id: Some(payout),
            refund_id: None,
            idempotency_key: format!("payout-reversed:{payout}:{reversed}"),
            created_by: actor,
            lines,
        },
    )
    .await?;
    let whole = reversed == amount;
    sqlx::query(
        "UPDATE payouts SET status = CASE WHEN $2 THEN 'reversed' ELSE status END, failure_reason = $3, \
         version = version + 1, updated_at = now() WHERE id = $1",
    )
    .bind(payout)
    .bind(whole)
    .bind(if whole { "Reversed in Stripe".to_owned() } else { format!("{reversed} of {amount} reversed in Stripe") })
    .execute(&mut *tx)
    .await?;
    Ok(Outcome::Applied(format!(
        "{delta} {currency} of the payout to {name} came back and is owed to them again{}",
        if whole { " (payout reversed)" } else { "" }
    )))
}

/// A refund Stripe finished or failed after our call: a pending one is booked
/// or marked failed; one made outside Marketdesk is flagged, since money left
/// without a ledger posting.
async fn refund_changed(
    tx: &mut PgConnection,
    o: &Value,
    actor: Option<Uuid>,
    bearer: CommissionBearer,
) -> Result<Outcome, StoreError> {
    let id = required(o, "id", "refund")?;
    let status = text(o, "status").unwrap_or("pending");
    let ours = text(o, "metadata.marketdesk_refund").and_then(|r| r.parse::<Uuid>().ok());
    let found: Option<RefundRow> = sqlx::query_as(&format!(
        "{ROW_SELECT} WHERE (provider_refund_id = $1 OR id = $2) AND deleted_at IS NULL ORDER BY id LIMIT 1 FOR UPDATE"
    ))
    .bind(id)
    .bind(ours)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = found else {
        let pi = id_of(o, "payment_intent");
        let paid_here: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM payments WHERE provider_payment_id = $1)")
                .bind(pi)
                .fetch_one(&mut *tx)
                .await?;
        return Ok(if paid_here && status == "succeeded" {
            Outcome::Attention(format!(
                "refund {id} of {} minor units on payment {} was made outside Marketdesk: the ledger does not hold it",
                int(o, "amount").unwrap_or(0),
                pi.unwrap_or("?")
            ))
        } else {
            Outcome::Ignored(format!("refund {id} is not one of Marketdesk's"))
        });
    };
    match (row.status.as_str(), status) {
        ("pending", "succeeded") => {
            book_refund_on(tx, &row, id, bearer, actor).await?;
            Ok(Outcome::Applied(format!(
                "refund {} finished at Stripe and is booked ({} minor units)",
                row.id, row.amount_minor
            )))
        }
        ("pending", "failed" | "canceled") => {
            let why = text(o, "failure_reason").map(|r| r.replace('_', " "));
            fail_refund_on(
                tx,
                row.id,
                &format!("Stripe could not return the money ({})", why.as_deref().unwrap_or("no reason given")),
            )
            .await?;
            Ok(Outcome::Applied(format!("refund {} failed at Stripe; nothing was booked", row.id)))
        }
        ("succeeded", "failed" | "canceled") => Ok(Outcome::Attention(format!(
            "refund {} ({} minor units) was booked, then Stripe failed it: the buyer has not been paid back",
            row.id, row.amount_minor
        ))),
        (ours, theirs) => Ok(Outcome::Ignored(format!("refund {} is {ours} here and {theirs} at Stripe", row.id))),
    }
}

/// The payment row of a PaymentIntent, with its order.
#[derive(sqlx::FromRow)]
struct PaymentRow {
    id: Uuid,
    order_id: Uuid,
    number: String,
    status: String,
    amount_minor: i64,
    currency: Currency,
    fee_minor: i64,
    shipping_minor: i64,
}

/// A PaymentIntent settled, checked against the payment the storefront
/// recorded for the order. A success Marketdesk has not booked yet is booked
/// here: the payment marked succeeded, the capture posted through the same
/// rule as every capture, the pending order marked paid. A payment Stripe took
/// that Marketdesk holds no row for, amounts that differ, and a booked payment
/// Stripe then failed go to finance instead.
async fn payment_changed(
    tx: &mut PgConnection,
    kind: &str,
    o: &Value,
    actor: Option<Uuid>,
) -> Result<Outcome, StoreError> {
    let pi = required(o, "id", "payment")?;
    let found: Option<PaymentRow> = sqlx::query_as(
        "SELECT p.id, p.order_id, o.number, p.status, p.amount_minor, p.currency, p.fee_minor, o.shipping_minor \
         FROM payments p JOIN orders o ON o.id = p.order_id \
         WHERE p.provider_payment_id = $1 AND p.deleted_at IS NULL FOR UPDATE OF p",
    )
    .bind(pi)
    .fetch_optional(&mut *tx)
    .await?;
    let succeeded = kind == "payment_intent.succeeded";
    let Some(row) = found else {
        let order = text(o, "metadata.marketdesk_order");
        return Ok(match order {
            Some(order) if succeeded => Outcome::Attention(format!(
                "Stripe took {} {} for order {order} ({pi}), but Marketdesk holds no payment for it",
                int(o, "amount_received").or_else(|| int(o, "amount")).unwrap_or(0),
                text(o, "currency").unwrap_or("").to_ascii_uppercase()
            )),
            _ => Outcome::Ignored(format!("payment {pi} is not one of Marketdesk's")),
        });
    };
    if !succeeded {
        let reason = text(o, "last_payment_error.message")
            .or_else(|| text(o, "cancellation_reason"))
            .map(|r| r.replace('_', " "))
            .unwrap_or_else(|| "no reason given".into());
        let (status, words) =
            if kind == "payment_intent.canceled" { ("cancelled", "cancelled it") } else { ("failed", "failed it") };
        if row.status == "succeeded" {
            return Ok(Outcome::Attention(format!(
                "the payment for {} is booked as taken, but Stripe {words} ({reason})",
                row.number
            )));
        }
        if row.status == status {
            return Ok(Outcome::Ignored(format!("the payment for {} is {status} already", row.number)));
        }
        sqlx::query(
            "UPDATE payments SET status = $2, failure_reason = $3, version = version + 1, updated_at = now() WHERE id = $1",
        )
        .bind(row.id)
        .bind(status)
        .bind(&reason)
        .execute(&mut *tx)
        .await?;
        return Ok(Outcome::Applied(format!("the payment for {} {status} at Stripe: {reason}", row.number)));
    }

    let received = int(o, "amount_received").or_else(|| int(o, "amount")).unwrap_or(0);
    let currency = currency_of(o)?;
    if received != row.amount_minor || currency != row.currency {
        return Ok(Outcome::Attention(format!(
            "Stripe took {received} {currency} for {}, but its payment says {} {}: nothing booked",
            row.number, row.amount_minor, row.currency
        )));
    }
    let at = when(int(o, "created")).unwrap_or_else(Timestamp::now);
    let key = format!("capture:{pi}");
    let booked: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM ledger_transactions WHERE deleted_at IS NULL \
         AND (idempotency_key = $1 OR (code = 'payment_captured' AND order_id = $2)))",
    )
    .bind(&key)
    .bind(row.order_id)
    .fetch_one(&mut *tx)
    .await?;
    if booked && row.status == "succeeded" {
        return Ok(Outcome::Ignored(format!("the payment for {} agrees with the ledger", row.number)));
    }
    if !booked {
        let lines: Vec<SoldLine> = sqlx::query_as::<_, (Uuid, i32, i64, i64, i64)>(
            "SELECT vendor_id, quantity, subtotal_minor, tax_minor, commission_minor FROM order_items \
             WHERE order_id = $1 AND deleted_at IS NULL ORDER BY id",
        )
        .bind(row.order_id)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|(vendor_id, quantity, subtotal_minor, tax_minor, commission_minor)| SoldLine {
            vendor_id,
            quantity: u32::try_from(quantity).unwrap_or(0),
            subtotal_minor,
            tax_minor,
            commission_minor,
        })
        .collect();
        let capture = Capture { currency, lines, shipping_minor: row.shipping_minor, fee_minor: row.fee_minor };
        if capture.lines.is_empty() || capture.total_minor() != received {
            return Ok(Outcome::Attention(format!(
                "Stripe took {received} {currency} for {}, but its items and shipping come to {} {currency}: nothing booked",
                row.number,
                capture.total_minor()
            )));
        }
        let lines = payment_captured(&capture).map_err(|e| StoreError::Validation(e.to_string()))?;
        post(
            &mut *tx,
            &Posting {
                code: "payment_captured",
                description: format!("Payment for {}", row.number),
                occurred_at: at,
                order_id: Some(row.order_id),
                payout_id: None,
                refund_id: None,
                idempotency_key: key,
                created_by: actor,
                lines,
            },
        )
        .await?;
    }
    sqlx::query(
        "UPDATE payments SET status = 'succeeded', captured_at = coalesce(captured_at, $2), failure_reason = NULL, \
         version = version + 1, updated_at = now() WHERE id = $1",
    )
    .bind(row.id)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    let paid: bool =
        sqlx::query_scalar("SELECT md_mark_order_paid($1, $2)").bind(row.order_id).bind(at).fetch_one(&mut *tx).await?;
    Ok(Outcome::Applied(format!(
        "the payment for {} ({received} {currency}) {}{}",
        row.number,
        if booked { "was booked already and is now marked taken" } else { "is booked" },
        if paid { "; the order is paid" } else { "" }
    )))
}

/// A connected account changed: whether the vendor can be paid.
async fn account_updated(tx: &mut PgConnection, o: &Value) -> Result<Outcome, StoreError> {
    let id = required(o, "id", "account")?;
    let account = ConnectAccount {
        id: id.to_owned(),
        payouts_enabled: at(o, "payouts_enabled").and_then(Value::as_bool).unwrap_or(false),
        charges_enabled: at(o, "charges_enabled").and_then(Value::as_bool).unwrap_or(false),
        details_submitted: at(o, "details_submitted").and_then(Value::as_bool).unwrap_or(false),
        currently_due: Vec::new(),
        disabled_reason: text(o, "requirements.disabled_reason").map(str::to_owned),
    };
    let status = crate::finance::payout_setup::verification_of(&account);
    let vendor: Option<Uuid> = sqlx::query_scalar("SELECT md_sync_connect_account($1, $2, $3)")
        .bind(id)
        .bind(account.payouts_enabled)
        .bind(status)
        .fetch_one(&mut *tx)
        .await?;
    Ok(match vendor {
        Some(v) => Outcome::Applied(format!("vendor {v}'s Stripe account is {status}")),
        None => Outcome::Ignored(format!("no vendor holds Stripe account {id}")),
    })
}

/// A chargeback opened, moved or closed. Lost, the disputed amount is taken
/// from the order's vendors (in proportion to what each sold in it) and
/// Stripe's fee from the platform, once.
async fn dispute_changed(tx: &mut PgConnection, o: &Value, actor: Option<Uuid>) -> Result<Outcome, StoreError> {
    let id = required(o, "id", "dispute")?;
    let stripe_status = text(o, "status").unwrap_or("needs_response");
    let status = match stripe_status {
        "warning_needs_response" | "needs_response" => "open",
        "warning_under_review" | "under_review" => "under_review",
        "won" => "resolved",
        "lost" | "warning_closed" => "closed",
        other => return Ok(Outcome::Attention(format!("dispute {id} has a status Marketdesk does not know: {other}"))),
    };
    let amount = int(o, "amount").unwrap_or(0);
    let currency = currency_of(o)?;
    let reason = text(o, "reason").unwrap_or("general").replace('_', " ");
    let dispute: Option<Uuid> = sqlx::query_scalar("SELECT md_record_chargeback($1, $2, $3, $4, $5, $6, $7)")
        .bind(id)
        .bind(id_of(o, "payment_intent"))
        .bind(amount)
        .bind(currency.as_str())
        .bind(status)
        .bind(when(int(o, "evidence_details.due_by")))
        .bind(format!("Chargeback: {reason}"))
        .fetch_one(&mut *tx)
        .await?;
    let Some(dispute) = dispute else {
        return Ok(Outcome::Ignored(format!("dispute {id} is about no payment of ours")));
    };
    if stripe_status != "lost" {
        return Ok(Outcome::Applied(format!("chargeback {id} is {}", stripe_status.replace('_', " "))));
    }
    let key = format!("dispute-lost:{id}");
    if posted(tx, &key).await? {
        return Ok(Outcome::Ignored(format!("chargeback {id} was booked as lost before")));
    }
    let order: Uuid =
        sqlx::query_scalar("SELECT order_id FROM disputes WHERE id = $1").bind(dispute).fetch_one(&mut *tx).await?;
    let sold: Vec<(Uuid, i64)> = sqlx::query_as(
        "SELECT vendor_id, CAST(sum(subtotal_minor + tax_minor) AS BIGINT) FROM order_items \
         WHERE order_id = $1 AND deleted_at IS NULL GROUP BY vendor_id ORDER BY vendor_id",
    )
    .bind(order)
    .fetch_all(&mut *tx)
    .await?;
    let weights: Vec<u64> = sold.iter().map(|(_, s)| u64::try_from(*s).unwrap_or(0)).collect();
    let shares: Vec<(Uuid, i64)> = sold.iter().map(|(v, _)| *v).zip(allocate(amount, &weights)).collect();
    let fee: i64 = at(o, "balance_transactions")
        .and_then(Value::as_array)
        .map(|txs| txs.iter().filter_map(|t| int(t, "fee")).sum())
        .unwrap_or(0);
    let lines = dispute_lost(&shares, fee, currency).map_err(|e| StoreError::Validation(e.to_string()))?;
    post(
        &mut *tx,
        &Posting {
            code: "dispute",
            description: format!("Chargeback {id} lost ({reason})"),
            occurred_at: Timestamp::now(),
            order_id: Some(order),
            payout_id: None,
            refund_id: None,
            idempotency_key: key,
            created_by: actor,
            lines,
        },
    )
    .await?;
    Ok(Outcome::Applied(format!(
        "chargeback {id} lost: {amount} {currency} taken from {} vendor(s), Stripe's fee {fee}",
        shares.len()
    )))
}

/// A vendor's subscription changed at Stripe: status, plan (by its price),
/// period, cancellation. One Marketdesk did not start (made on Stripe's side
/// or by the storefront) is added when it names one of our vendors.
async fn subscription_changed(tx: &mut PgConnection, o: &Value) -> Result<Outcome, StoreError> {
    let id = required(o, "id", "subscription")?;
    let stripe_status = text(o, "status").unwrap_or("");
    let Some(status) = status_of(stripe_status) else {
        return Ok(Outcome::Attention(format!(
            "subscription {id} has a status Marketdesk does not know: {stripe_status}"
        )));
    };
    let item = at(o, "items.data").and_then(|d| d.get(0));
    // Newer API versions keep the period on the subscription's items.
    let period = |k: &str| int(o, k).or_else(|| item.and_then(|i| int(i, k)));
    let price = item.and_then(|i| id_of(i, "price"));
    let plan: Option<Uuid> =
        sqlx::query_scalar("SELECT id FROM subscription_plans WHERE stripe_price_id = $1 AND deleted_at IS NULL")
            .bind(price)
            .fetch_optional(&mut *tx)
            .await?;
    let updated = sqlx::query(
        "UPDATE subscriptions SET status = $2, plan_id = coalesce($8, plan_id), \
         current_period_start = coalesce($3, current_period_start), \
         current_period_end = coalesce($4, current_period_end), cancel_at_period_end = $5, \
         trial_ends_at = coalesce($6, trial_ends_at), \
         cancelled_at = CASE WHEN $2 = 'cancelled' THEN coalesce(cancelled_at, $7, now()) ELSE NULL END, \
         version = version + 1, updated_at = now() WHERE stripe_subscription_id = $1 AND deleted_at IS NULL",
    )
    .bind(id)
    .bind(status)
    .bind(when(period("current_period_start")))
    .bind(when(period("current_period_end")))
    .bind(at(o, "cancel_at_period_end").and_then(Value::as_bool).unwrap_or(false))
    .bind(when(int(o, "trial_end")))
    .bind(when(int(o, "canceled_at")))
    .bind(plan)
    .execute(&mut *tx)
    .await
    .map_err(|e| StoreError::from_write("subscription", e))?
    .rows_affected();
    if updated > 0 {
        return Ok(Outcome::Applied(format!("subscription {id} is {status}")));
    }
    let vendor: Option<Uuid> = sqlx::query_scalar(
        "SELECT u.id FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id WHERE u.role = 'vendor' \
         AND (u.id::text = $1 OR (p.stripe_customer_id IS NOT NULL AND p.stripe_customer_id = $2)) LIMIT 1",
    )
    .bind(text(o, "metadata.marketdesk_vendor").unwrap_or(""))
    .bind(id_of(o, "customer"))
    .fetch_optional(&mut *tx)
    .await?;
    let (Some(vendor), Some(plan)) = (vendor, plan) else {
        return Ok(Outcome::Ignored(format!("subscription {id} is not a vendor's subscription to one of our plans")));
    };
    if status == "cancelled" {
        return Ok(Outcome::Ignored(format!("subscription {id} ended before Marketdesk saw it")));
    }
    let now = Timestamp::now();
    sqlx::query(
        "INSERT INTO subscriptions (id, vendor_id, plan_id, status, stripe_subscription_id, current_period_start, \
         current_period_end, trial_ends_at, cancel_at_period_end, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, now(), now())",
    )
    .bind(new_id())
    .bind(vendor)
    .bind(plan)
    .bind(status)
    .bind(id)
    .bind(when(period("current_period_start")).unwrap_or(now))
    .bind(when(period("current_period_end")).unwrap_or(now))
    .bind(when(int(o, "trial_end")))
    .bind(at(o, "cancel_at_period_end").and_then(Value::as_bool).unwrap_or(false))
    .execute(&mut *tx)
    .await
    .map_err(|e| StoreError::from_write("subscription", e))?;
    Ok(Outcome::Applied(format!("vendor {vendor} subscribed ({id}, {status})")))
}

/// A vendor paid a subscription invoice: subscription revenue, once.
async fn invoice_paid(tx: &mut PgConnection, o: &Value, actor: Option<Uuid>) -> Result<Outcome, StoreError> {
    let id = required(o, "id", "invoice")?;
    let subscription = id_of(o, "subscription").or_else(|| id_of(o, "parent.subscription_details.subscription"));
    let vendor: Option<String> = sqlx::query_scalar(
        "SELECT u.display_name FROM subscriptions s JOIN users u ON u.id = s.vendor_id WHERE s.stripe_subscription_id = $1",
    )
    .bind(subscription)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(vendor) = vendor else {
        return Ok(Outcome::Ignored(format!("invoice {id} is not for a vendor subscription")));
    };
    let paid = int(o, "amount_paid").unwrap_or(0);
    if paid <= 0 {
        return Ok(Outcome::Ignored(format!("invoice {id} paid nothing")));
    }
    let key = format!("invoice:{id}");
    if posted(tx, &key).await? {
        return Ok(Outcome::Ignored(format!("invoice {id} was booked before")));
    }
    let currency = currency_of(o)?;
    let lines = subscription_paid(paid, currency).map_err(|e| StoreError::Validation(e.to_string()))?;
    post(
        &mut *tx,
        &Posting {
            code: "subscription_paid",
            description: format!("Subscription of {vendor} ({id})"),
            occurred_at: when(int(o, "status_transitions.paid_at")).unwrap_or_else(Timestamp::now),
            order_id: None,
            payout_id: None,
            refund_id: None,
            idempotency_key: key,
            created_by: actor,
            lines,
        },
    )
    .await?;
    Ok(Outcome::Applied(format!("{vendor} paid {paid} {currency} of subscription")))
}
