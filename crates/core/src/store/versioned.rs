//! Optimistic concurrency for synced rows: a change names the version it was
//! based on, and loses (with a [`StoreError::VersionConflict`]) if someone else
//! changed the row first. Nothing is silently overwritten.

use super::sql::{Param, Sql, bind};
use super::write_tx::{WriteTx, with_tx};
use super::{Db, StoreError};
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
    set: Sql,
) -> Result<i64, StoreError> {
    let mut tx = db.begin_write_tx().await?;
    let version = update_versioned_in(&mut tx, table, entity, id, expected, set).await?;
    tx.commit().await?;
    Ok(version)
}

/// [`update_versioned`] inside an open transaction.
pub(crate) async fn update_versioned_in(
    tx: &mut WriteTx<'_>,
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
        with_tx!(tx, |c| bind(sqlx::query(&text), &set.params).execute(&mut *c).await.map(|r| r.rows_affected()))
            .map_err(|e| StoreError::from_write(entity, e))?;
    if affected == 1 {
        return Ok(expected + 1);
    }
    let current = current_version_in(tx, table, id).await?;
    Err(match current {
        None => StoreError::NotFound { entity, id: id.to_string() },
        Some(actual) => StoreError::VersionConflict { entity, id: id.to_string(), expected, actual },
    })
}

/// The version of live row `id` of `table`, read inside `tx`.
pub(crate) async fn current_version_in(
    tx: &mut WriteTx<'_>,
    table: &'static str,
    id: Uuid,
) -> Result<Option<i64>, StoreError> {
    let sql = format!("SELECT version FROM {table} WHERE id = $1 AND deleted_at IS NULL");
    Ok(with_tx!(tx, |c| sqlx::query_scalar(&sql).bind(id).fetch_optional(&mut *c).await)?)
}
