//! The recorded business events as admins and finance read them: the
//! newest first, narrowed by name, vendor and time, with where each stands in
//! the Google Analytics outbox.

use crate::domain::Timestamp;
use crate::store::sql::{Param, Sql, bind_as};
use crate::store::{Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The events the database records, by name.
pub const NAMES: [&str; 15] = [
    "order_placed",
    "order_paid",
    "order_shipped",
    "order_delivered",
    "order_cancelled",
    "order_refunded",
    "payout_sent",
    "payout_failed",
    "label_printed",
    "product_submitted",
    "product_approved",
    "product_rejected",
    "login",
    "sync_completed",
    "dispute_opened",
];

/// One recorded event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EventRow {
    /// Row id.
    pub id: Uuid,
    /// What happened.
    pub name: String,
    /// Who did it (none: the system, or a customer's own order).
    pub user_id: Option<Uuid>,
    /// Their role (`system` for the worker and the command line).
    pub actor_role: Option<String>,
    /// The vendor concerned.
    pub vendor_id: Option<Uuid>,
    /// The row it is about (order, payout, product, shipment …).
    pub entity_id: Option<Uuid>,
    /// When.
    pub occurred_at: Timestamp,
    /// Its facts (number, value, currency …).
    #[cfg_attr(feature = "specta", specta(type = Option<serde_json::Value>))]
    pub properties: Option<sqlx::types::Json<serde_json::Value>>,
    /// queued, sending, sent, skipped or failed (Google Analytics).
    pub ga_state: String,
    /// Why it was not sent, when it was not.
    pub ga_error: Option<String>,
}

/// Narrows the event list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EventFilter {
    /// Only events of this name.
    pub name: Option<String>,
    /// Only events about this vendor.
    pub vendor_id: Option<Uuid>,
    /// Only events in this outbox state.
    pub ga_state: Option<String>,
    /// Only events before this instant (the previous page's last).
    pub before: Option<Timestamp>,
}

/// Up to `limit` events, newest first.
pub async fn list_events(store: &Store, filter: &EventFilter, limit: u32) -> Result<Vec<EventRow>, StoreError> {
    let mut sql = Sql::new(
        "SELECT id, name, user_id, actor_role, vendor_id, entity_id, occurred_at, properties, ga_state, ga_error \
         FROM analytics_events WHERE deleted_at IS NULL",
    );
    if let Some(name) = filter.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        if !NAMES.contains(&name) {
            return Err(StoreError::Validation(format!("no event is called “{name}”; they are {}", NAMES.join(", "))));
        }
        sql.push(" AND name = ").bind(Param::Text(name.to_owned()));
    }
    if let Some(v) = filter.vendor_id {
        sql.push(" AND vendor_id = ").bind(Param::Uuid(v));
    }
    if let Some(state) = filter.ga_state.as_deref().filter(|s| !s.is_empty()) {
        sql.push(" AND ga_state = ").bind(Param::Text(state.to_owned()));
    }
    if let Some(t) = filter.before {
        sql.push(" AND occurred_at < ").bind(Param::Time(t));
    }
    sql.push(" ORDER BY occurred_at DESC, id DESC LIMIT ").bind(Param::I64(i64::from(limit.clamp(1, 500))));
    Ok(with_pool!(&store.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?)
}
