//! Disputes between buyers, vendors and the platform, with their message threads.

use super::page::{SortKey, SortValue, finish_query, into_page};
use super::sql::{Param, Sql, bind_as};
use super::{Page, PageRequest, Store, StoreError, with_pool};
use crate::domain::dispute_lifecycle::DisputeOutcome;
use crate::domain::{Currency, DisputeStatus, Timestamp};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A dispute row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Dispute {
    /// Row id.
    pub id: Uuid,
    /// The order disputed.
    pub order_id: Uuid,
    /// That order's number.
    pub order_number: String,
    /// The vendor party, when the dispute is about one vendor's items.
    pub vendor_id: Option<Uuid>,
    /// The vendor's display name (empty when none or not visible to the reader).
    pub vendor_name: String,
    /// One line of the order, when the dispute is about one.
    pub order_item_id: Option<Uuid>,
    /// The admin handling it.
    pub assigned_to: Option<Uuid>,
    /// Their display name (empty when none).
    pub assigned_name: String,
    /// What it is about (`not_received`, `damaged`, …).
    pub kind: String,
    /// Lifecycle state.
    pub status: DisputeStatus,
    /// How it ended.
    pub resolution: Option<DisputeOutcome>,
    /// One-line subject.
    pub subject: String,
    /// The amount in question, minor units.
    pub amount_minor: Option<i64>,
    /// Its currency.
    pub currency: Option<Currency>,
    /// When it was opened.
    pub opened_at: Timestamp,
    /// When its current stage runs out (none once ended, or for disputes
    /// older than service-level times).
    pub stage_due_at: Option<Timestamp>,
    /// When the platform's time ran out on an escalated dispute.
    pub overdue_at: Option<Timestamp>,
    /// For a refund outcome: what it gives back, minor units.
    pub refund_minor: Option<i64>,
    /// For a refund outcome: `due` (finance has yet to make it) or `refunded`.
    pub refund_state: Option<String>,
    /// How many messages the thread holds.
    pub message_count: i64,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// A message in a dispute's thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DisputeMessage {
    /// Row id.
    pub id: Uuid,
    /// Who wrote it.
    pub author_id: Uuid,
    /// The author's display name (empty when the reader may not see it).
    pub author_name: String,
    /// The text.
    pub body: String,
    /// Seen by staff only.
    pub is_internal: bool,
    /// When it was written.
    pub created_at: Timestamp,
    /// The files sent with it.
    #[sqlx(skip)]
    pub attachments: Vec<DisputeAttachment>,
}

/// A file in a dispute's thread, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DisputeAttachment {
    /// The file.
    pub id: Uuid,
    /// The message it came with.
    pub message_id: Uuid,
    /// Its name.
    pub file_name: String,
    /// What it is (`image/png`, `application/pdf` …).
    pub media_type: String,
    /// Its size.
    pub byte_size: i32,
    /// When it was sent.
    pub created_at: Timestamp,
}

/// Narrows the disputes list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DisputeFilter {
    /// Only these statuses; empty for all.
    pub statuses: Vec<DisputeStatus>,
    /// Only disputes this vendor is party to.
    pub vendor_id: Option<Uuid>,
    /// Only disputes assigned to this admin.
    pub assigned_to: Option<Uuid>,
    /// Only live disputes past their stage's time.
    #[serde(default)]
    pub overdue: bool,
    /// Only disputes whose refund finance has yet to make.
    #[serde(default)]
    pub refund_due: bool,
}

/// How the disputes list is sorted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum DisputeSort {
    /// By time opened.
    #[default]
    OpenedAt,
    /// By when the current stage runs out.
    StageDueAt,
}

impl SortKey for DisputeSort {
    fn name(&self) -> &'static str {
        match self {
            DisputeSort::OpenedAt => "opened_at",
            DisputeSort::StageDueAt => "stage_due_at",
        }
    }
    fn column(&self) -> &'static str {
        match self {
            DisputeSort::OpenedAt => "d.opened_at",
            DisputeSort::StageDueAt => "d.stage_due_at",
        }
    }
}

/// The select list of a dispute row (`d` the dispute, `o` its order).
pub(crate) const DISPUTE_COLUMNS: &str = "d.id, d.order_id, o.number AS order_number, d.vendor_id, \
     coalesce((SELECT u.display_name FROM users u WHERE u.id = d.vendor_id), '') AS vendor_name, d.order_item_id, \
     d.assigned_to, coalesce((SELECT u.display_name FROM users u WHERE u.id = d.assigned_to), '') AS assigned_name, \
     d.kind, d.status, d.resolution, d.subject, d.amount_minor, d.currency, d.opened_at, d.stage_due_at, d.overdue_at, \
     d.refund_minor, d.refund_state, \
     (SELECT count(*) FROM dispute_messages m WHERE m.dispute_id = d.id AND m.deleted_at IS NULL) AS message_count, d.version";

impl Store {
    /// A page of disputes.
    pub async fn list_disputes(
        &self,
        filter: &DisputeFilter,
        page: &PageRequest<DisputeSort>,
    ) -> Result<Page<Dispute>, StoreError> {
        let mut sql = Sql::new(&format!(
            "SELECT {DISPUTE_COLUMNS} FROM disputes d JOIN orders o ON o.id = d.order_id WHERE d.deleted_at IS NULL"
        ));
        if !filter.statuses.is_empty() {
            sql.push(" AND d.status IN ").bind_list(filter.statuses.iter().map(|x| Param::Text(x.as_str().into())));
        }
        if let Some(v) = filter.vendor_id {
            sql.push(" AND d.vendor_id = ").bind(Param::Uuid(v));
        }
        if let Some(a) = filter.assigned_to {
            sql.push(" AND d.assigned_to = ").bind(Param::Uuid(a));
        }
        if filter.overdue {
            sql.push(" AND d.status NOT IN ('resolved', 'closed') AND (d.overdue_at IS NOT NULL OR d.stage_due_at < ")
                .bind(Param::Time(Timestamp::now()))
                .push(")");
        }
        if filter.refund_due {
            sql.push(" AND d.refund_state = 'due'");
        }
        if page.sort == DisputeSort::StageDueAt {
            sql.push(" AND d.stage_due_at IS NOT NULL");
        }
        finish_query(&mut sql, page, "d.id")?;
        let rows: Vec<Dispute> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;
        Ok(into_page(rows, page, |r: &Dispute| match page.sort {
            DisputeSort::OpenedAt => (SortValue::from(r.opened_at), r.id),
            DisputeSort::StageDueAt => (SortValue::from(r.stage_due_at.unwrap_or(r.opened_at)), r.id),
        }))
    }

    /// A dispute's thread, oldest first.
    pub async fn dispute_messages(&self, dispute_id: Uuid) -> Result<Vec<DisputeMessage>, StoreError> {
        let rows = with_pool!(&self.db, |p| {
            sqlx::query_as(
                "SELECT m.id, m.author_id, coalesce((SELECT u.display_name FROM users u WHERE u.id = m.author_id), '') \
                 AS author_name, m.body, m.is_internal, m.created_at FROM dispute_messages m \
                 WHERE m.dispute_id = $1 AND m.deleted_at IS NULL ORDER BY m.created_at, m.id",
            )
            .bind(dispute_id)
            .fetch_all(p)
            .await
        })?;
        Ok(rows)
    }
}
