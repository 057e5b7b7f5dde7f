//! Optimistic concurrency for synced rows: a change names the version it was
//! based on, and loses (with a [`StoreError::VersionConflict`]) if someone else
//! changed the row first. Nothing is silently overwritten.

use super::sql::{Param, Sql, bind};
use super::{Db, StoreError, with_pool};
use crate::domain::Timestamp;
use uuid::Uuid;

/// Applies `set` (trusted SQL with its params, e.g. `status = $1`) to the row
/// `id` of `table` if it is still at `expected` version, bumping `version` and
/// `updated_at`. Returns the new version.
pub(crate) async fn update_versioned(
    db: &Db,
    table: &'static str,
    entity: &'static str,
    id: Uuid,
    expected: i64,
    mut set: Sql,
) -> Result<i64, StoreError> {
    set.push(", version = version + 1, updated_at = ")
        .bind(Param::Time(Timestamp::now()))
        .push(" WHERE id = ")
        .bind(Param::Uuid(id))
        .push(" AND version = ")
        .bind(Param::I64(expected))
        .push(" AND deleted_at IS NULL");
    let text = format!("UPDATE {table} SET {}", set.text);
    let affected =
        with_pool!(db, |p| bind(sqlx::query(&text), &set.params).execute(p).await.map(|r| r.rows_affected()))
            .map_err(|e| StoreError::from_write(entity, e))?;
    if affected == 1 {
        return Ok(expected + 1);
    }
    let current: Option<i64> = with_pool!(db, |p| {
        sqlx::query_scalar(&format!("SELECT version FROM {table} WHERE id = $1 AND deleted_at IS NULL"))
            .bind(id)
            .fetch_optional(p)
            .await
    })?;
    Err(match current {
        None => StoreError::NotFound { entity, id: id.to_string() },
        Some(actual) => StoreError::VersionConflict { entity, id: id.to_string(), expected, actual },
    })
}
