//! The Google Analytics 4 outbox: the events the database recorded, sent in
//! batches of one person's events through the Measurement Protocol when the
//! marketplace has opted in (a platform setting, with the stream's
//! measurement id) and this host has the API secret. Orders paid and
//! refunded go as GA4's own `purchase` and `refund` e-commerce events with
//! their items; the rest under their own names. Every event carries the
//! acting role and vendor as custom dimensions. Events claimed with
//! `FOR UPDATE SKIP LOCKED`, so any number of workers share the outbox;
//! retried with back-off, kept `failed` with Google's reasons when the
//! validation server refuses them, and `skipped` when older than the 72 hours
//! Google accepts.

use crate::domain::{Currency, Timestamp};
use crate::integrations::ga4::{Event, Ga4, Ga4Error, MAX_AGE_MICROS, MAX_EVENTS, Payload};
use crate::mail::outbox::{ABANDONED_AFTER_MICROS, retry_delay_micros};
use crate::store::{Db, Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Attempts before an event is given up.
pub const MAX_ATTEMPTS: i32 = 8;
/// The setting that opts the marketplace in.
pub const ENABLED_KEY: &str = "analytics.ga4_enabled";
/// The setting naming the GA4 web stream (`G-…`).
pub const MEASUREMENT_ID_KEY: &str = "analytics.ga4_measurement_id";

/// Whether and where the marketplace sends its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Ga4Settings {
    /// Opted in.
    pub enabled: bool,
    /// The stream's measurement id.
    pub measurement_id: Option<String>,
}

/// What one outbox run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ForwardReport {
    /// Events Google took.
    pub sent: u32,
    /// Events to try again later.
    pub retrying: u32,
    /// Events given up (refused by the validation server, or too many tries).
    pub failed: u32,
    /// Events too old to send.
    pub skipped: u32,
    /// The last trouble met, if any.
    pub problem: Option<String>,
}

/// The outbox's state for the operations screen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OutboxCounts {
    /// Waiting.
    pub queued: i64,
    /// Sent.
    pub sent: i64,
    /// Given up.
    pub failed: i64,
    /// Too old to send.
    pub skipped: i64,
}

/// The marketplace's GA4 settings.
pub async fn settings(store: &Store) -> Result<Ga4Settings, StoreError> {
    let measurement_id = store
        .setting_text(MEASUREMENT_ID_KEY)
        .await?
        .and_then(|v| serde_json::from_str::<String>(&v).ok())
        .filter(|v| !v.is_empty());
    Ok(Ga4Settings { enabled: store.setting_bool(ENABLED_KEY).await?, measurement_id })
}

/// Opts the marketplace in or out (an admin's right); opting in needs a
/// valid measurement id.
pub async fn configure(store: &Store, enabled: bool, measurement_id: Option<&str>) -> Result<Ga4Settings, StoreError> {
    let id = match measurement_id.map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => {
            Ga4::new("http://127.0.0.1", m, "check").map_err(|e| StoreError::Validation(e.to_string()))?;
            Some(m.to_owned())
        }
        None => settings(store).await?.measurement_id,
    };
    if enabled && id.is_none() {
        return Err(StoreError::Validation(
            "Google Analytics needs the web stream's measurement id (G-…) before it can be turned on".into(),
        ));
    }
    if let Some(m) = &id {
        let text = serde_json::to_string(m).unwrap_or_default();
        store.put_setting(MEASUREMENT_ID_KEY, &text, "The GA4 web stream events are sent to (G-…)").await?;
    }
    store
        .put_setting(ENABLED_KEY, if enabled { "true" } else { "false" }, "Send business events to Google Analytics 4")
        .await?;
    settings(store).await
}

/// How many events are in each state.
pub async fn counts(store: &Store) -> Result<OutboxCounts, StoreError> {
    let sql = "SELECT coalesce(sum(CASE WHEN ga_state IN ('queued', 'sending') THEN 1 ELSE 0 END), 0) AS queued, \
               coalesce(sum(CASE WHEN ga_state = 'sent' THEN 1 ELSE 0 END), 0) AS sent, \
               coalesce(sum(CASE WHEN ga_state = 'failed' THEN 1 ELSE 0 END), 0) AS failed, \
               coalesce(sum(CASE WHEN ga_state = 'skipped' THEN 1 ELSE 0 END), 0) AS skipped \
               FROM analytics_events WHERE deleted_at IS NULL";
    Ok(with_pool!(&store.db, |p| sqlx::query_as(sql).fetch_one(p).await)?)
}

#[derive(sqlx::FromRow)]
struct Claimed {
    id: Uuid,
    name: String,
    user_id: Option<Uuid>,
    actor_role: Option<String>,
    vendor_id: Option<Uuid>,
    entity_id: Option<Uuid>,
    occurred_at: Timestamp,
    properties: Option<sqlx::types::Json<Value>>,
    ga_attempts: i32,
}

/// Sends up to `limit` due events through `ga`.
pub async fn forward_due(store: &Store, ga: &Ga4, limit: u32) -> Result<ForwardReport, StoreError> {
    let now = Timestamp::now();
    let mut report = ForwardReport::default();
    // A margin of an hour keeps an event from ageing past the limit on its way.
    let too_old = Timestamp::from_unix_micros(now.unix_micros() - MAX_AGE_MICROS + 3_600_000_000).unwrap_or(now);
    let skipped = with_pool!(&store.db, |p| sqlx::query(
        "UPDATE analytics_events SET ga_state = 'skipped', \
         ga_error = 'older than 72 hours: Google Analytics takes no events from further back', \
         version = version + 1, updated_at = $1 WHERE ga_state = 'queued' AND occurred_at < $2 AND deleted_at IS NULL"
    )
    .bind(now)
    .bind(too_old)
    .execute(p)
    .await
    .map(|r| r.rows_affected()))?;
    report.skipped = u32::try_from(skipped).unwrap_or(u32::MAX);
    let abandoned = Timestamp::from_unix_micros(now.unix_micros() - ABANDONED_AFTER_MICROS).unwrap_or(now);
    with_pool!(&store.db, |p| {
        sqlx::query(
        "UPDATE analytics_events SET ga_state = 'queued', ga_next_attempt_at = $1, version = version + 1, updated_at = $1 \
         WHERE ga_state = 'sending' AND updated_at < $2 AND deleted_at IS NULL"
    )
    .bind(now)
    .bind(abandoned)
    .execute(p)
    .await
    .map(|_| ())
    })?;
    let claim = |lock: &str| {
        format!(
            "UPDATE analytics_events SET ga_state = 'sending', ga_attempts = ga_attempts + 1, updated_at = $1 \
             WHERE id IN (SELECT id FROM analytics_events WHERE ga_state = 'queued' \
             AND coalesce(ga_next_attempt_at, occurred_at) <= $1 AND deleted_at IS NULL \
             ORDER BY occurred_at, id LIMIT $2{lock}) \
             RETURNING id, name, user_id, actor_role, vendor_id, entity_id, occurred_at, properties, ga_attempts"
        )
    };
    let limit = i64::from(limit.clamp(1, 1000));
    let claimed: Vec<Claimed> = match &store.db {
        Db::Postgres(p) => sqlx::query_as(&claim(" FOR UPDATE SKIP LOCKED")).bind(now).bind(limit).fetch_all(p).await?,
        Db::Sqlite(p) => sqlx::query_as(&claim("")).bind(now).bind(limit).fetch_all(p).await?,
    };
    // One request carries one person's events.
    let mut by_person: BTreeMap<Option<Uuid>, Vec<Claimed>> = BTreeMap::new();
    for event in claimed {
        by_person.entry(event.user_id).or_default().push(event);
    }
    for (person, events) in by_person {
        let mut events = events.into_iter().peekable();
        while events.peek().is_some() {
            let chunk: Vec<Claimed> = events.by_ref().take(MAX_EVENTS).collect();
            let mut payload = Payload {
                client_id: format!("marketdesk.{}", person.map_or_else(|| "system".to_owned(), |p| p.to_string())),
                user_id: person.map(|p| p.to_string()),
                user_properties: Map::new(),
                events: Vec::with_capacity(chunk.len()),
            };
            if let Some(role) = chunk.first().and_then(|e| e.actor_role.clone()) {
                payload.user_properties.insert("marketdesk_role".into(), json!({ "value": role }));
            }
            for e in &chunk {
                payload.events.push(ga_event(store, e).await?);
            }
            let outcome = ga.send(&payload).await;
            settle(store, &chunk, &outcome, &mut report).await?;
            if let Err(e) = outcome {
                report.problem = Some(e.to_string());
            }
        }
    }
    Ok(report)
}

/// Records what became of `chunk`.
async fn settle(
    store: &Store,
    chunk: &[Claimed],
    outcome: &Result<(), Ga4Error>,
    report: &mut ForwardReport,
) -> Result<(), StoreError> {
    let now = Timestamp::now();
    for e in chunk {
        let (state, error, next) = match outcome {
            Ok(()) => ("sent", None, None),
            Err(Ga4Error::Invalid(_)) => ("failed", Some(outcome_text(outcome)), None),
            Err(_) if e.ga_attempts >= MAX_ATTEMPTS => ("failed", Some(outcome_text(outcome)), None),
            Err(_) => (
                "queued",
                Some(outcome_text(outcome)),
                Timestamp::from_unix_micros(now.unix_micros() + retry_delay_micros(e.ga_attempts)),
            ),
        };
        match state {
            "sent" => report.sent += 1,
            "failed" => report.failed += 1,
            _ => report.retrying += 1,
        }
        let sent_at = (state == "sent").then_some(now);
        with_pool!(&store.db, |p| {
            sqlx::query(
            "UPDATE analytics_events SET ga_state = $1, ga_error = $2, ga_next_attempt_at = coalesce($3, ga_next_attempt_at), \
             sent_to_ga_at = $4, version = version + 1, updated_at = $5 WHERE id = $6"
        )
        .bind(state)
        .bind(&error)
        .bind(next)
        .bind(sent_at)
        .bind(now)
        .bind(e.id)
        .execute(p)
        .await
        .map(|_| ())
        })?;
    }
    Ok(())
}

fn outcome_text(outcome: &Result<(), Ga4Error>) -> String {
    outcome.as_ref().err().map(ToString::to_string).unwrap_or_default().chars().take(1000).collect()
}

/// `minor` units of `currency` as the decimal number GA4 reads (`1999` USD
/// → `19.99`): written from the exact decimal text, never computed in floats.
fn major(minor: i64, currency: &str) -> Value {
    let digits = currency.parse::<Currency>().map_or(2, |c| c.minor_digits());
    let text = rust_decimal::Decimal::new(minor, digits).to_string();
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// The GA4 form of one recorded event.
async fn ga_event(store: &Store, e: &Claimed) -> Result<Event, StoreError> {
    let props = e.properties.as_ref().map(|j| j.0.clone()).unwrap_or(Value::Null);
    let text = |k: &str| props.get(k).and_then(Value::as_str).map(str::to_owned);
    let mut params = Map::new();
    let currency = text("currency");
    if let (Some(c), Some(v)) = (&currency, props.get("value_minor").and_then(Value::as_i64)) {
        params.insert("currency".into(), json!(c));
        params.insert("value".into(), major(v, c));
    }
    let name = match e.name.as_str() {
        "order_paid" => "purchase",
        "order_refunded" => "refund",
        other => other,
    };
    if matches!(name, "purchase" | "refund") {
        if let Some(number) = text("number") {
            params.insert("transaction_id".into(), json!(number));
        }
        if name == "purchase"
            && let Some(order) = e.entity_id
        {
            params.insert("items".into(), Value::Array(items(store, order).await?));
        }
    } else if let Some(number) = text("number") {
        params.insert("order_number".into(), json!(number));
    }
    for key in ["hours_since_paid", "format", "reason", "method"] {
        if let Some(v) = props.get(key).filter(|v| !v.is_null()) {
            let v = if let Some(s) = v.as_str() { json!(s.chars().take(100).collect::<String>()) } else { v.clone() };
            params.insert(key.into(), v);
        }
    }
    params.insert("marketdesk_role".into(), json!(e.actor_role.clone().unwrap_or_else(|| "system".into())));
    if let Some(v) = e.vendor_id {
        params.insert("marketdesk_vendor".into(), json!(v.to_string()));
    }
    params.insert("engagement_time_msec".into(), json!(1));
    Ok(Event { name: name.to_owned(), params, timestamp_micros: e.occurred_at.unix_micros() })
}

/// The GA4 `items` of an order: SKU, name, vendor (as affiliation), price, quantity.
async fn items(store: &Store, order: Uuid) -> Result<Vec<Value>, StoreError> {
    let rows: Vec<(String, String, Uuid, i64, String, i32)> = with_pool!(&store.db, |p| sqlx::query_as(
        "SELECT sku, product_name, vendor_id, unit_price_minor, currency, quantity FROM order_items \
         WHERE order_id = $1 AND deleted_at IS NULL ORDER BY id LIMIT 200"
    )
    .bind(order)
    .fetch_all(p)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(sku, name, vendor, price, currency, quantity)| {
            json!({
                "item_id": sku,
                "item_name": name.chars().take(100).collect::<String>(),
                "affiliation": vendor.to_string(),
                "price": major(price, &currency),
                "quantity": quantity,
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn amounts_are_written_from_their_exact_decimal_text() {
        assert_eq!(super::major(1999, "USD").to_string(), "19.99");
        assert_eq!(super::major(5, "USD").to_string(), "0.05");
        assert_eq!(super::major(1200, "JPY").to_string(), "1200");
        assert_eq!(super::major(1_234_567, "KWD").to_string(), "1234.567");
    }

    #[test]
    fn retries_back_off_to_six_hours() {
        let minutes: Vec<i64> = (0..11).map(|a| crate::mail::outbox::retry_delay_micros(a) / 60_000_000).collect();
        assert_eq!(minutes, [1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360]);
    }
}
