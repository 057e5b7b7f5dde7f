//! What buyers wrote about products, moderated: the queue of reviews
//! (pending first for admins; a vendor sees their own products' reviews),
//! publishing or hiding one with a reason (admins), and the vendor's public
//! reply. Every step in the audit trail; a change is made on the version the
//! person saw.

use crate::domain::status::text_enum;
use crate::domain::{Role, Timestamp};
use crate::orders::view::Reader;
use crate::store::audit::audit_row_in;
use crate::store::page::{SortKey, SortValue, finish_query, into_page};
use crate::store::sql::{Param, Sql, bind_as, search_pattern};
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Page, PageRequest, Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

text_enum!(
    /// Where a review stands.
    ReviewStatus, "review status" { Pending => "pending", Published => "published", Hidden => "hidden" }
);

/// Longest reason for hiding a review.
pub const MAX_REASON: usize = 500;
/// Longest vendor reply.
pub const MAX_REPLY: usize = 2000;

/// A review as the moderation list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CustomerReview {
    /// The review.
    pub id: Uuid,
    /// The product reviewed.
    pub product_id: Uuid,
    /// Its name.
    pub product_name: String,
    /// Its vendor.
    pub vendor_id: Uuid,
    /// The vendor's name.
    pub vendor_name: String,
    /// Who wrote it.
    pub customer_name: String,
    /// 1 to 5 stars.
    pub rating: i32,
    /// Its title.
    pub title: String,
    /// What they wrote.
    pub body: String,
    /// Pending, published or hidden.
    #[sqlx(try_from = "String")]
    pub status: ReviewStatus,
    /// Why it is hidden.
    pub hidden_reason: Option<String>,
    /// The vendor's public answer.
    pub vendor_reply: Option<String>,
    /// When the vendor answered.
    pub vendor_replied_at: Option<Timestamp>,
    /// When an admin last published or hid it.
    pub moderated_at: Option<Timestamp>,
    /// When it was written.
    pub created_at: Timestamp,
    /// For optimistic concurrency.
    pub version: i64,
}

/// Narrows the reviews list. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReviewFilter {
    /// Only this status.
    pub status: Option<ReviewStatus>,
    /// Only this many stars.
    pub rating: Option<i32>,
    /// Only this product's.
    pub product_id: Option<Uuid>,
    /// Only published reviews with no vendor reply yet.
    #[serde(default)]
    pub unanswered: bool,
    /// Words in the title, the text or the product's name.
    pub search: Option<String>,
}

/// How the reviews list is sorted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ReviewSort {
    /// By when it was written.
    #[default]
    CreatedAt,
    /// By stars.
    Rating,
}

impl SortKey for ReviewSort {
    fn name(&self) -> &'static str {
        match self {
            ReviewSort::CreatedAt => "created_at",
            ReviewSort::Rating => "rating",
        }
    }
    fn column(&self) -> &'static str {
        match self {
            ReviewSort::CreatedAt => "r.created_at",
            ReviewSort::Rating => "r.rating",
        }
    }
}

/// How many reviews wait in each part of the queue, for the tabs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReviewCounts {
    /// Waiting for an admin.
    pub pending: i64,
    /// Published.
    pub published: i64,
    /// Hidden.
    pub hidden: i64,
    /// Published with no vendor reply.
    pub unanswered: i64,
}

/// An admin's decision on a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Moderation {
    /// Show it on the product.
    Publish,
    /// Keep it off the product, for this reason.
    Hide {
        /// Why (shown to the vendor and kept in the audit trail).
        reason: String,
    },
}

const SELECT: &str = "SELECT r.id, r.product_id, p.name AS product_name, p.vendor_id, v.display_name AS vendor_name, \
     c.display_name AS customer_name, r.rating, r.title, r.body, r.status, r.hidden_reason, r.vendor_reply, \
     r.vendor_replied_at, r.moderated_at, r.created_at, r.version \
     FROM product_reviews r JOIN products p ON p.id = r.product_id JOIN users v ON v.id = p.vendor_id \
     JOIN users c ON c.id = r.customer_id WHERE r.deleted_at IS NULL";

fn may_read(reader: Reader) -> Result<(), StoreError> {
    match reader.role {
        Role::Admin | Role::Vendor => Ok(()),
        other => Err(StoreError::AccessDenied(format!("a {} login does not read reviews", other.as_str()))),
    }
}

fn scoped(sql: &mut Sql, reader: Reader) {
    if reader.role == Role::Vendor {
        sql.push(" AND p.vendor_id = ").bind(Param::Uuid(reader.id));
    }
}

/// A page of reviews: every review for admins, a vendor's own products' for a vendor.
pub async fn list_reviews(
    store: &Store,
    reader: Reader,
    filter: &ReviewFilter,
    page: &PageRequest<ReviewSort>,
) -> Result<Page<CustomerReview>, StoreError> {
    may_read(reader)?;
    let mut sql = Sql::new(SELECT);
    scoped(&mut sql, reader);
    if let Some(status) = filter.status {
        sql.push(" AND r.status = ").bind(Param::Text(status.as_str().into()));
    }
    if let Some(rating) = filter.rating {
        if !(1..=5).contains(&rating) {
            return Err(StoreError::Validation(format!("{rating} is not a rating: 1 to 5 stars")));
        }
        sql.push(" AND r.rating = ").bind(Param::I64(i64::from(rating)));
    }
    if let Some(product) = filter.product_id {
        sql.push(" AND r.product_id = ").bind(Param::Uuid(product));
    }
    if filter.unanswered {
        sql.push(" AND r.status = 'published' AND r.vendor_reply IS NULL");
    }
    if let Some(like) = search_pattern(filter.search.as_deref())? {
        sql.push(" AND lower(r.title || ' ' || r.body || ' ' || p.name) LIKE ").bind(like).push(" ESCAPE '\\'");
    }
    finish_query(&mut sql, page, "r.id")?;
    let rows: Vec<CustomerReview> =
        with_pool!(&store.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;
    Ok(into_page(rows, page, |r: &CustomerReview| {
        let v = match page.sort {
            ReviewSort::CreatedAt => SortValue::from(r.created_at),
            ReviewSort::Rating => SortValue::Int(i64::from(r.rating)),
        };
        (v, r.id)
    }))
}

/// How many reviews `reader` sees in each part of the queue.
pub async fn review_counts(store: &Store, reader: Reader) -> Result<ReviewCounts, StoreError> {
    may_read(reader)?;
    let mut sql = Sql::new(
        "SELECT coalesce(sum(CASE WHEN r.status = 'pending' THEN 1 ELSE 0 END), 0) AS pending, \
         coalesce(sum(CASE WHEN r.status = 'published' THEN 1 ELSE 0 END), 0) AS published, \
         coalesce(sum(CASE WHEN r.status = 'hidden' THEN 1 ELSE 0 END), 0) AS hidden, \
         coalesce(sum(CASE WHEN r.status = 'published' AND r.vendor_reply IS NULL THEN 1 ELSE 0 END), 0) AS unanswered \
         FROM product_reviews r JOIN products p ON p.id = r.product_id WHERE r.deleted_at IS NULL",
    );
    scoped(&mut sql, reader);
    let counts: ReviewCounts =
        with_pool!(&store.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_one(p).await)?;
    Ok(counts)
}

/// One review as `reader` may see it.
pub async fn review(store: &Store, reader: Reader, id: Uuid) -> Result<CustomerReview, StoreError> {
    may_read(reader)?;
    let mut sql = Sql::new(SELECT);
    scoped(&mut sql, reader);
    sql.push(" AND r.id = ").bind(Param::Uuid(id));
    let row: Option<CustomerReview> =
        with_pool!(&store.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_optional(p).await)?;
    row.ok_or_else(|| StoreError::NotFound { entity: "review", id: id.to_string() })
}

fn one_text(text: &str, what: &str, max: usize) -> Result<String, StoreError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(StoreError::Validation(format!("write the {what}")));
    }
    if text.chars().count() > max {
        return Err(StoreError::Validation(format!("the {what} may be {max} characters at most")));
    }
    Ok(text.to_owned())
}

fn conflict(found: &CustomerReview, expected: i64) -> StoreError {
    StoreError::VersionConflict {
        entity: "review",
        id: found.id.to_string(),
        expected,
        actual: found.version.max(expected + 1),
    }
}

async fn audit_in(
    tx: &mut WriteTx<'_>,
    reader: Reader,
    action: &str,
    review: Uuid,
    details: serde_json::Value,
) -> Result<(), StoreError> {
    audit_row_in(tx, (reader.id, reader.role), action, ("product_reviews", review), details).await
}

/// An admin publishes a review or hides it with a reason; `expected` is the
/// version they saw.
pub async fn moderate_review(
    store: &Store,
    reader: Reader,
    id: Uuid,
    expected: i64,
    decision: &Moderation,
) -> Result<CustomerReview, StoreError> {
    if reader.role != Role::Admin {
        return Err(StoreError::AccessDenied("only an admin publishes or hides reviews".into()));
    }
    let found = review(store, reader, id).await?;
    let (status, reason) = match decision {
        Moderation::Publish => (ReviewStatus::Published, None),
        Moderation::Hide { reason } => {
            (ReviewStatus::Hidden, Some(one_text(reason, "reason for hiding it", MAX_REASON)?))
        }
    };
    if found.status == status && found.hidden_reason == reason {
        return Err(StoreError::Validation(format!("the review is {status} already")));
    }
    if found.version != expected {
        return Err(conflict(&found, expected));
    }
    let now = Timestamp::now();
    let mut tx = store.begin_write_tx().await?;
    let hit = with_tx!(&mut tx, |c| sqlx::query(
        "UPDATE product_reviews SET status = $2, hidden_reason = $3, moderated_by = $4, moderated_at = $5, \
         version = version + 1, updated_at = $5 WHERE id = $1 AND version = $6 AND deleted_at IS NULL"
    )
    .bind(id)
    .bind(status.as_str())
    .bind(&reason)
    .bind(reader.id)
    .bind(now)
    .bind(expected)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
    .map_err(|e| StoreError::from_write("review", e))?;
    if hit == 0 {
        return Err(conflict(&found, expected));
    }
    let action = if status == ReviewStatus::Hidden { "reviews.hidden" } else { "reviews.published" };
    let details = serde_json::json!({ "product": found.product_id, "was": found.status, "reason": reason });
    audit_in(&mut tx, reader, action, id, details).await?;
    tx.commit().await?;
    review(store, reader, id).await
}

/// The vendor (or an admin) answers a published review in public, changes
/// the answer, or takes it back (`reply` None); `expected` is the version seen.
pub async fn reply_to_review(
    store: &Store,
    reader: Reader,
    id: Uuid,
    expected: i64,
    reply: Option<&str>,
) -> Result<CustomerReview, StoreError> {
    may_read(reader)?;
    let found = review(store, reader, id).await?;
    if found.status != ReviewStatus::Published {
        return Err(StoreError::Validation("only a published review is answered".into()));
    }
    let reply = reply.map(|r| one_text(r, "reply", MAX_REPLY)).transpose()?;
    if reply == found.vendor_reply {
        return Err(StoreError::Validation("the reply is as it was".into()));
    }
    if found.version != expected {
        return Err(conflict(&found, expected));
    }
    let now = Timestamp::now();
    let mut tx = store.begin_write_tx().await?;
    let hit = with_tx!(&mut tx, |c| {
        sqlx::query(
        "UPDATE product_reviews SET vendor_reply = $2, vendor_replied_at = $3, version = version + 1, updated_at = $4 \
         WHERE id = $1 AND version = $5 AND deleted_at IS NULL"
    )
    .bind(id)
    .bind(&reply)
    .bind(reply.as_ref().map(|_| now))
    .bind(now)
    .bind(expected)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected())
    })
    .map_err(|e| StoreError::from_write("review", e))?;
    if hit == 0 {
        return Err(conflict(&found, expected));
    }
    let action = if reply.is_some() { "reviews.replied" } else { "reviews.reply_removed" };
    audit_in(&mut tx, reader, action, id, serde_json::json!({ "product": found.product_id, "reply": reply })).await?;
    tx.commit().await?;
    review(store, reader, id).await
}
