//! What staff write about a customer: signed, dated, never edited or removed.

use super::{customer_row_in, may_read};
use crate::domain::customer::note_text;
use crate::domain::{Timestamp, new_id};
use crate::orders::view::Reader;
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A note about a customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CustomerNote {
    /// Row id.
    pub id: Uuid,
    /// Who wrote it.
    pub author_id: Uuid,
    /// Their name.
    pub author_name: String,
    /// The text.
    pub body: String,
    /// When it was written.
    pub created_at: Timestamp,
}

/// The notes about `customer`, newest first.
pub async fn notes_of(store: &Store, customer: Uuid) -> Result<Vec<CustomerNote>, StoreError> {
    let sql = "SELECT n.id, n.author_id, coalesce((SELECT u.display_name FROM users u WHERE u.id = n.author_id), '') \
               AS author_name, n.body, n.created_at FROM customer_notes n \
               WHERE n.customer_id = $1 AND n.deleted_at IS NULL ORDER BY n.created_at DESC, n.id DESC";
    Ok(with_pool!(&store.db, |p| sqlx::query_as(sql).bind(customer).fetch_all(p).await)?)
}

/// Writes `actor`'s note about `customer` inside `tx` (admins and finance).
pub async fn add_note_in(
    tx: &mut WriteTx<'_>,
    actor: Reader,
    customer: Uuid,
    body: &str,
) -> Result<CustomerNote, StoreError> {
    may_read(actor)?;
    let body = note_text(body).map_err(StoreError::Validation)?;
    customer_row_in(tx, customer).await?;
    let id = new_id();
    let now = Timestamp::now();
    let sql = "INSERT INTO customer_notes (id, customer_id, author_id, body, version, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, 1, $5, $5)";
    with_tx!(tx, |c| sqlx::query(sql)
        .bind(id)
        .bind(customer)
        .bind(actor.id)
        .bind(body)
        .bind(now)
        .execute(&mut *c)
        .await
        .map(|_| ()))
    .map_err(|e| StoreError::from_write("customer note", e))?;
    Ok(CustomerNote { id, author_id: actor.id, author_name: String::new(), body: body.to_owned(), created_at: now })
}
