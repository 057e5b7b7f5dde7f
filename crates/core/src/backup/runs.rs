//! The backups made, as rows the database keeps (`backup_runs`), so any host
//! can tell how old the newest one is.

use super::central::BackupFile;
use super::fingerprint::Fingerprint;
use crate::domain::{Timestamp, new_id};
use crate::store::{Store, StoreError};

/// The newest backup recorded.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct BackupRun {
    /// The archive's file name.
    pub file_name: String,
    /// Its size.
    pub byte_size: i64,
    /// Rows it held.
    pub row_count: i64,
    /// Where it was made.
    pub host: String,
    /// When.
    pub created_at: Timestamp,
}

/// Records `file`, a backup of a database with fingerprint `of`, made on this host.
pub async fn record_run(store: &Store, file: &BackupFile, of: &Fingerprint) -> Result<(), StoreError> {
    let pool = store.pg_pool().ok_or_else(|| StoreError::OnlineOnly("backups are of the central database".into()))?;
    let name = file.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let now = Timestamp::now();
    sqlx::query(
        "INSERT INTO backup_runs (id, file_name, byte_size, entries, took_ms, table_count, row_count, host, \
         version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)",
    )
    .bind(new_id())
    .bind(name)
    .bind(i64::try_from(file.bytes).unwrap_or(i64::MAX))
    .bind(i32::try_from(file.entries).unwrap_or(i32::MAX))
    .bind(i64::try_from(file.took_ms).unwrap_or(i64::MAX))
    .bind(i32::try_from(of.tables.len()).unwrap_or(i32::MAX))
    .bind(of.rows())
    .bind(crate::host::name())
    .bind(now)
    .execute(pool)
    .await
    .map_err(|e| StoreError::from_write("backup run", e))?;
    Ok(())
}

/// The newest backup recorded, if any.
pub async fn newest_run(store: &Store) -> Result<Option<BackupRun>, StoreError> {
    let Some(pool) = store.pg_pool() else { return Ok(None) };
    Ok(sqlx::query_as(
        "SELECT file_name, byte_size, row_count, host, created_at FROM backup_runs WHERE deleted_at IS NULL \
         ORDER BY created_at DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await?)
}
