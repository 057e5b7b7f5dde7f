//! The local copy's own bookkeeping in `sync_state`: which server and person it
//! copies, this computer's client id, the pull cursor, the progress of a first
//! copy, and when each side last synced.

use super::SyncError;
use crate::domain::{Timestamp, new_id};
use sqlx::SqliteConnection;
use uuid::Uuid;

/// The pull cursor: every feed entry of a transaction below this id is in the copy.
pub const CURSOR: &str = "pull.cursor";
/// Whose copy this is (`server`/`user`), so another sign-in resyncs.
pub const OWNER: &str = "owner";
/// This computer's id, sent with each pushed mutation.
pub const CLIENT_ID: &str = "client_id";
/// The first copy in progress: the horizon it started at.
pub const INITIAL_HORIZON: &str = "initial.horizon";
/// The first copy in progress: the table being copied and the last id copied.
pub const INITIAL_AT: &str = "initial.at";
/// When the last pull finished.
pub const LAST_PULL: &str = "pull.last_at";
/// When the last push finished.
pub const LAST_PUSH: &str = "push.last_at";
/// When the last sweep for rows no longer readable finished.
pub const LAST_SWEEP: &str = "sweep.last_at";
/// Rows to read again on the next pull (`table:id`, comma separated).
pub const REFETCH: &str = "pull.refetch";
/// Why the last push stopped (the server out of reach), if it did.
pub const PUSH_ERROR: &str = "push.error";

/// Reads one key.
pub async fn get(local: &mut SqliteConnection, key: &str) -> Result<Option<String>, SyncError> {
    Ok(sqlx::query_scalar("SELECT value FROM sync_state WHERE key = $1").bind(key).fetch_optional(&mut *local).await?)
}

/// Writes one key.
pub async fn set(local: &mut SqliteConnection, key: &str, value: &str) -> Result<(), SyncError> {
    sqlx::query(
        "INSERT INTO sync_state (key, value, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(value)
    .bind(Timestamp::now())
    .execute(&mut *local)
    .await?;
    Ok(())
}

/// Removes one key.
pub async fn clear(local: &mut SqliteConnection, key: &str) -> Result<(), SyncError> {
    sqlx::query("DELETE FROM sync_state WHERE key = $1").bind(key).execute(&mut *local).await?;
    Ok(())
}

/// This computer's client id, made on first use.
pub async fn client_id(local: &mut SqliteConnection) -> Result<Uuid, SyncError> {
    if let Some(id) = get(local, CLIENT_ID).await?.and_then(|v| v.parse().ok()) {
        return Ok(id);
    }
    let id = new_id();
    set(local, CLIENT_ID, &id.to_string()).await?;
    Ok(id)
}
