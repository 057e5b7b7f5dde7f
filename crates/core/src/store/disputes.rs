//! Disputes between buyers, vendors and the platform, with their message threads.

use super::page::{SortKey, SortValue, finish_query, into_page};
use super::sql::{Param, Sql, bind_as};
use super::{Page, PageRequest, Store, StoreError, with_pool};
use crate::domain::{DisputeStatus, Timestamp, new_id};
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
    /// The admin handling it.
    pub assigned_to: Option<Uuid>,
    /// What it is about (`not_received`, `damaged`, …).
    pub kind: String,
    /// Lifecycle state.
    pub status: DisputeStatus,
    /// One-line subject.
    pub subject: String,
    /// When it was opened.
    pub opened_at: Timestamp,
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
}

/// How the disputes list is sorted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum DisputeSort {
    /// By time opened.
    #[default]
    OpenedAt,
}

impl SortKey for DisputeSort {
    fn name(&self) -> &'static str {
        "opened_at"
    }
    fn column(&self) -> &'static str {
        "d.opened_at"
    }
}

impl Store {
    /// A page of disputes.
    pub async fn list_disputes(
        &self,
        filter: &DisputeFilter,
        page: &PageRequest<DisputeSort>,
    ) -> Result<Page<Dispute>, StoreError> {
        let mut sql = Sql::new(
            "SELECT d.id, d.order_id, o.number AS order_number, d.vendor_id, \
             coalesce((SELECT u.display_name FROM users u WHERE u.id = d.vendor_id), '') AS vendor_name, d.assigned_to, d.kind, d.status, d.subject, d.opened_at, \
             (SELECT count(*) FROM dispute_messages m WHERE m.dispute_id = d.id AND m.deleted_at IS NULL) AS message_count, d.version \
             FROM disputes d JOIN orders o ON o.id = d.order_id WHERE d.deleted_at IS NULL",
        );
        if !filter.statuses.is_empty() {
            sql.push(" AND d.status IN ").bind_list(filter.statuses.iter().map(|x| Param::Text(x.as_str().into())));
        }
        if let Some(v) = filter.vendor_id {
            sql.push(" AND d.vendor_id = ").bind(Param::Uuid(v));
        }
        if let Some(a) = filter.assigned_to {
            sql.push(" AND d.assigned_to = ").bind(Param::Uuid(a));
        }
        finish_query(&mut sql, page, "d.id")?;
        let rows: Vec<Dispute> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;
        Ok(into_page(rows, page, |r: &Dispute| (SortValue::from(r.opened_at), r.id)))
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

    /// Adds a message to a dispute's thread and bumps the dispute's version, in
    /// one transaction (so a client holding the old version learns of the reply).
    pub async fn add_dispute_message(
        &self,
        dispute_id: Uuid,
        author_id: Uuid,
        body: &str,
        internal: bool,
    ) -> Result<DisputeMessage, StoreError> {
        let body = body.trim();
        if body.is_empty() || body.chars().count() > 10_000 {
            return Err(StoreError::Validation("a message needs 1–10 000 characters".into()));
        }
        let id = new_id();
        let now = Timestamp::now();
        with_pool!(&self.db, |p| {
            let mut tx = p.begin().await?;
            let bumped = sqlx::query(
                "UPDATE disputes SET version = version + 1, updated_at = $1 WHERE id = $2 AND deleted_at IS NULL",
            )
            .bind(now)
            .bind(dispute_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if bumped != 1 {
                return Err(StoreError::NotFound { entity: "dispute", id: dispute_id.to_string() });
            }
            sqlx::query(
                "INSERT INTO dispute_messages (id, dispute_id, author_id, body, is_internal, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
            )
            .bind(id)
            .bind(dispute_id)
            .bind(author_id)
            .bind(body)
            .bind(internal)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|e| StoreError::from_write("dispute message", e))?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        let author_name = self.user(author_id).await.map(|u| u.display_name).unwrap_or_default();
        Ok(DisputeMessage { id, author_id, author_name, body: body.to_owned(), is_internal: internal, created_at: now })
    }
}
