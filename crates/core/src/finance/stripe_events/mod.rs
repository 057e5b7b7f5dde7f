//! Reconciliation from Stripe's events: what happened to our money after
//! Marketdesk asked for it. A payment taken (or failed) after the order was
//! placed, a transfer reversed, a refund that Stripe finished (or failed)
//! later, a chargeback opened and lost, a vendor's subscription invoice paid,
//! a connected account that can now be paid, a payment page of an order
//! taken by hand completed or expired.
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

mod accounts;
mod checkout;
mod money;

use accounts::{account_updated, invoice_paid, subscription_changed};
use checkout::{checkout_changed, checkout_expired};
use money::{dispute_changed, payment_changed, refund_changed, transfer_changed};

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
        "checkout.session.completed"
        | "checkout.session.async_payment_succeeded"
        | "checkout.session.async_payment_failed" => checkout_changed(tx, &e.kind, o, actor).await,
        "checkout.session.expired" => checkout_expired(tx, o).await,
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
