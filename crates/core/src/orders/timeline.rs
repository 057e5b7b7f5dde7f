//! An order's timeline: everything that happened to it, oldest first, from
//! the rows that record it — placed, paid, the moves and cancellations in the
//! audit trail, payments, refunds, parcels and their tracking, disputes, and
//! the staff's internal notes — each read only where the reader's role may
//! read it (a vendor sees its own parcels and refunds; only admins read the
//! audit trail). Internal notes are added here too.

use crate::domain::{Currency, Role, Timestamp, new_id};
use crate::orders::view::Reader;
use crate::store::{Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use uuid::Uuid;

/// What kind of thing happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    /// The buyer placed the order.
    Placed,
    /// A payment attempt or capture.
    Payment,
    /// The order was marked paid.
    Paid,
    /// Someone moved the order by hand.
    Moved,
    /// The order, or a vendor's part, was cancelled.
    Cancelled,
    /// A parcel was planned, left or arrived.
    Parcel,
    /// The carrier's news of a parcel.
    Tracking,
    /// Money went back.
    Refund,
    /// A dispute was opened or settled.
    Dispute,
    /// A staff member's internal note.
    Note,
}

/// One thing that happened to an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TimelineEntry {
    /// When.
    pub at: Timestamp,
    /// What kind of thing.
    pub kind: TimelineKind,
    /// In a few words ("Parcel handed over to UPS").
    pub title: String,
    /// More words (a reason, a note's text, a tracking location); may be empty.
    pub detail: String,
    /// Who did it, by name, when a person did.
    pub actor: Option<String>,
    /// An amount it moved, minor units of `currency`.
    pub amount_minor: Option<i64>,
    /// The amount's currency.
    pub currency: Option<Currency>,
}

impl TimelineEntry {
    fn new(at: Timestamp, kind: TimelineKind, title: impl Into<String>) -> Self {
        Self { at, kind, title: title.into(), detail: String::new(), actor: None, amount_minor: None, currency: None }
    }

    fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }

    fn money(mut self, minor: i64, currency: Currency) -> Self {
        self.amount_minor = Some(minor);
        self.currency = Some(currency);
        self
    }
}

/// Longest internal note.
pub const MAX_NOTE_CHARS: usize = 2000;

/// The roles that write and read internal notes.
pub const NOTE_READERS: &[Role] = &[Role::Admin, Role::Logistics, Role::Finance];

fn words(status: &str) -> String {
    status.replace('_', " ")
}

/// What happened to order `id`, oldest first, as `reader` may see it.
pub async fn order_timeline(store: &Store, reader: Reader, id: Uuid) -> Result<Vec<TimelineEntry>, StoreError> {
    // Opening it through the reader's lens also refuses an order a vendor does not sell in.
    store.order(&reader.lens()?, id).await?;
    let role = reader.role;
    let staff = NOTE_READERS.contains(&role);
    let mut out = Vec::new();

    let (placed, paid, cancelled): (Timestamp, Option<Timestamp>, Option<Timestamp>) = with_pool!(&store.db, |p| {
        sqlx::query_as("SELECT placed_at, paid_at, cancelled_at FROM orders WHERE id = $1").bind(id).fetch_one(p).await
    })?;
    out.push(TimelineEntry::new(placed, TimelineKind::Placed, "Order placed"));
    if let Some(at) = paid {
        out.push(TimelineEntry::new(at, TimelineKind::Paid, "Marked paid"));
    }
    if role == Role::Admin {
        out.extend(audit(store, id).await?);
    } else if let Some(at) = cancelled {
        out.push(TimelineEntry::new(at, TimelineKind::Cancelled, "Order cancelled"));
    }
    if matches!(role, Role::Admin | Role::Finance) {
        out.extend(money(store, id, TimelineKind::Payment).await?);
    }
    if matches!(role, Role::Admin | Role::Finance | Role::Vendor) {
        out.extend(money(store, id, TimelineKind::Refund).await?);
        out.extend(disputes(store, id).await?);
    }
    out.extend(parcels(store, id, reader).await?);
    if staff {
        out.extend(notes(store, id).await?);
    }
    out.sort_by(|a, b| a.at.cmp(&b.at).then(a.kind.cmp(&b.kind)));
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    occurred_at: Timestamp,
    action: String,
    details: Option<Json<serde_json::Value>>,
    actor: Option<String>,
}

async fn audit(store: &Store, id: Uuid) -> Result<Vec<TimelineEntry>, StoreError> {
    let sql = "SELECT a.occurred_at, a.action, a.details, u.display_name AS actor FROM audit_log a \
               LEFT JOIN users u ON u.id = a.actor_id \
               WHERE a.entity_table = 'orders' AND a.entity_id = $1 AND a.deleted_at IS NULL \
               AND a.action IN ('orders.move', 'orders.cancel') ORDER BY a.occurred_at, a.id";
    let rows: Vec<AuditRow> = with_pool!(&store.db, |p| sqlx::query_as(sql).bind(id).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let d = r.details.map(|j| j.0).unwrap_or_default();
            let text = |k: &str| d.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
            let mut e = if r.action == "orders.cancel" {
                let part = if d.get("vendor_id").is_some_and(|v| !v.is_null()) { "A vendor's part" } else { "Order" };
                let skus: Vec<&str> =
                    d.get("skus").and_then(|v| v.as_array()).into_iter().flatten().filter_map(|v| v.as_str()).collect();
                let mut detail = format!("{} — {}", words(&text("reason")), skus.join(", "));
                if !text("note").is_empty() {
                    detail.push_str(&format!(" — “{}”", text("note")));
                }
                TimelineEntry::new(r.occurred_at, TimelineKind::Cancelled, format!("{part} cancelled")).detail(detail)
            } else {
                TimelineEntry::new(
                    r.occurred_at,
                    TimelineKind::Moved,
                    format!("Moved from {} to {}", words(&text("from")), words(&text("to"))),
                )
            };
            e.actor = r.actor;
            e
        })
        .collect())
}

/// Payments (`TimelineKind::Payment`) or refunds (`TimelineKind::Refund`) of an order.
async fn money(store: &Store, id: Uuid, kind: TimelineKind) -> Result<Vec<TimelineEntry>, StoreError> {
    let (sql, what, words_of) = if kind == TimelineKind::Payment {
        ("SELECT created_at, status, provider, amount_minor, currency FROM payments", "Payment", "through ")
    } else {
        ("SELECT created_at, status, reason, amount_minor, currency FROM refunds", "Refund", "")
    };
    let sql = format!("{sql} WHERE order_id = $1 AND deleted_at IS NULL ORDER BY created_at, id");
    let rows: Vec<(Timestamp, String, String, i64, Currency)> =
        with_pool!(&store.db, |p| sqlx::query_as(&sql).bind(id).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|(at, status, about, minor, currency)| {
            TimelineEntry::new(at, kind, format!("{what} {}", words(&status)))
                .detail(format!("{words_of}{}", words(&about)))
                .money(minor, currency)
        })
        .collect())
}

async fn disputes(store: &Store, id: Uuid) -> Result<Vec<TimelineEntry>, StoreError> {
    let sql = "SELECT opened_at, resolved_at, subject, status, resolution FROM disputes \
               WHERE order_id = $1 AND deleted_at IS NULL ORDER BY opened_at, id";
    type Dispute = (Timestamp, Option<Timestamp>, String, String, Option<String>);
    let rows: Vec<Dispute> = with_pool!(&store.db, |p| sqlx::query_as(sql).bind(id).fetch_all(p).await)?;
    let mut out = Vec::new();
    for (opened, resolved, subject, status, resolution) in rows {
        out.push(TimelineEntry::new(opened, TimelineKind::Dispute, "Dispute opened").detail(subject));
        if let Some(at) = resolved {
            let how = resolution.map(|r| words(&r)).unwrap_or_else(|| words(&status));
            out.push(TimelineEntry::new(at, TimelineKind::Dispute, "Dispute settled").detail(how));
        }
    }
    Ok(out)
}

async fn parcels(store: &Store, id: Uuid, reader: Reader) -> Result<Vec<TimelineEntry>, StoreError> {
    // A vendor reads its own parcels (on the server its rows say so too).
    let own = if reader.role == Role::Vendor { " AND s.vendor_id = $2" } else { "" };
    let sql = format!(
        "SELECT s.id, s.created_at, s.shipped_at, s.delivered_at, s.carrier, s.tracking_number FROM shipments s \
         WHERE s.order_id = $1 AND s.deleted_at IS NULL{own} ORDER BY s.created_at, s.id"
    );
    type Parcel = (Uuid, Timestamp, Option<Timestamp>, Option<Timestamp>, String, Option<String>);
    let vendor = reader.role == Role::Vendor;
    let rows: Vec<Parcel> = with_pool!(&store.db, |p| {
        let q = sqlx::query_as(&sql).bind(id);
        let q = if vendor { q.bind(reader.id) } else { q };
        q.fetch_all(p).await
    })?;
    let mut out = Vec::new();
    for (n, (shipment, created, shipped, delivered, carrier, tracking)) in rows.into_iter().enumerate() {
        let name = format!("Parcel {} ({})", n + 1, carrier.to_uppercase());
        let number = tracking.unwrap_or_default();
        out.push(TimelineEntry::new(created, TimelineKind::Parcel, format!("{name} planned")));
        if let Some(at) = shipped {
            out.push(TimelineEntry::new(at, TimelineKind::Parcel, format!("{name} left")).detail(number.clone()));
        }
        if let Some(at) = delivered {
            out.push(TimelineEntry::new(at, TimelineKind::Parcel, format!("{name} delivered")));
        }
        if reader.role != Role::Finance {
            let sql = "SELECT occurred_at, status, description, location FROM tracking_events \
                       WHERE shipment_id = $1 AND deleted_at IS NULL ORDER BY occurred_at, id";
            let events: Vec<(Timestamp, String, String, Option<String>)> =
                with_pool!(&store.db, |p| sqlx::query_as(sql).bind(shipment).fetch_all(p).await)?;
            for (at, status, description, location) in events {
                let place = location.map(|l| format!(" — {l}")).unwrap_or_default();
                out.push(
                    TimelineEntry::new(at, TimelineKind::Tracking, format!("{name}: {}", words(&status)))
                        .detail(format!("{description}{place}")),
                );
            }
        }
    }
    Ok(out)
}

async fn notes(store: &Store, id: Uuid) -> Result<Vec<TimelineEntry>, StoreError> {
    let sql = "SELECT n.created_at, n.body, u.display_name FROM order_notes n JOIN users u ON u.id = n.author_id \
               WHERE n.order_id = $1 AND n.deleted_at IS NULL ORDER BY n.created_at, n.id";
    let rows: Vec<(Timestamp, String, String)> =
        with_pool!(&store.db, |p| sqlx::query_as(sql).bind(id).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|(at, body, author)| {
            let mut e = TimelineEntry::new(at, TimelineKind::Note, "Note").detail(body);
            e.actor = Some(author);
            e
        })
        .collect())
}

/// Adds `reader`'s internal note to order `id`; returns the note's id.
pub async fn add_note(store: &Store, reader: Reader, id: Uuid, body: &str) -> Result<Uuid, StoreError> {
    if !NOTE_READERS.contains(&reader.role) {
        return Err(StoreError::AccessDenied("internal notes are for the marketplace's staff".into()));
    }
    let body = body.trim();
    if body.is_empty() {
        return Err(StoreError::Validation("write the note first".into()));
    }
    if body.chars().count() > MAX_NOTE_CHARS {
        return Err(StoreError::Validation(format!("a note is at most {MAX_NOTE_CHARS} characters")));
    }
    store.order(&reader.lens()?, id).await?;
    let note = new_id();
    let now = Timestamp::now();
    with_pool!(&store.db, |p| sqlx::query(
        "INSERT INTO order_notes (id, order_id, author_id, body, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 1, $5, $5)"
    )
    .bind(note)
    .bind(id)
    .bind(reader.id)
    .bind(body)
    .bind(now)
    .execute(p)
    .await
    .map(|_| ()))
    .map_err(|e| StoreError::from_write("note", e))?;
    Ok(note)
}
