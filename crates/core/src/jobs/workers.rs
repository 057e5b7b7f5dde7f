//! The workers as the database remembers them (`worker_heartbeats`): which
//! ran lately, what rounds they do, how many jobs they did and failed, and
//! whether each is alive — beating within [`ALIVE_WITHIN_SECONDS`] and not
//! stopped. Read by admins (Jobs screen, `marketdesk jobs workers`) and by
//! `marketdesk doctor`.

use super::list::admin_pool;
use crate::domain::Timestamp;
use crate::orders::view::Reader;
use crate::store::Store;
use crate::store::StoreError;
use serde::Serialize;
use sqlx::PgPool;

/// A worker that has not beaten for this long is taken for dead.
pub const ALIVE_WITHIN_SECONDS: i64 = 120;
/// Workers seen within this many days are listed.
const LISTED_DAYS: i64 = 7;

/// A worker process, alive or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WorkerBeat {
    /// The name it claims jobs under.
    pub name: String,
    /// Its computer.
    pub host: String,
    /// Its rounds, as `kind every N s`.
    pub rounds: Vec<String>,
    /// When it started.
    pub started_at: Timestamp,
    /// Its last heartbeat.
    pub seen_at: Timestamp,
    /// When it stopped cleanly, if it did.
    pub stopped_at: Option<Timestamp>,
    /// Jobs it finished.
    pub jobs_done: i64,
    /// Tries of jobs that failed on it.
    pub jobs_failed: i64,
    /// Beating now.
    pub alive: bool,
}

/// Workers seen in the last week, alive first, then by last heartbeat.
pub async fn recent_workers(pool: &PgPool) -> Result<Vec<WorkerBeat>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT name, host, \
         ARRAY(SELECT r->>'kind' || ' every ' || (r->>'every_seconds') || ' s' FROM jsonb_array_elements(rounds) r) \
         AS rounds, started_at, seen_at, stopped_at, jobs_done, jobs_failed, \
         (stopped_at IS NULL AND seen_at > now() - $1 * interval '1 second') AS alive \
         FROM worker_heartbeats WHERE deleted_at IS NULL AND seen_at > now() - $2 * interval '1 day' \
         ORDER BY alive DESC, seen_at DESC, id LIMIT 100",
    )
    .bind(ALIVE_WITHIN_SECONDS)
    .bind(LISTED_DAYS)
    .fetch_all(pool)
    .await?)
}

/// The workers, for an admin.
pub async fn list_workers(store: &Store, reader: Reader) -> Result<Vec<WorkerBeat>, StoreError> {
    recent_workers(admin_pool(store, reader)?).await
}
