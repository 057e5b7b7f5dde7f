//! Where this computer's copy stands, for the top bar and `marketdesk sync status`.

use super::{SyncError, pull, state};
use crate::domain::Timestamp;
use crate::store::Store;
use serde::{Deserialize, Serialize};

/// The copy's sync state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncStatus {
    /// Changes waiting to be pushed.
    pub pending: u32,
    /// Changes in conflict, waiting for a person.
    pub conflicts: u32,
    /// Changes the server refused, kept with the reason.
    pub parked: u32,
    /// The copy has finished its first copy.
    pub ready: bool,
    /// A first copy stopped part-way and resumes on the next sync.
    pub copying: bool,
    /// When the last pull finished.
    pub last_pull_at: Option<Timestamp>,
    /// When the last push finished.
    pub last_push_at: Option<Timestamp>,
    /// Why the last push stopped, if it did.
    pub push_error: Option<String>,
}

/// Reads the copy's sync state.
pub async fn status(local: &Store) -> Result<SyncStatus, SyncError> {
    let Some(lite) = local.sqlite_pool() else { return Ok(SyncStatus::default()) };
    let mut c = lite.acquire().await?;
    let counts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT status, count(*) FROM sync_outbox WHERE status IN ('pending', 'conflict', 'failed') GROUP BY status",
    )
    .fetch_all(&mut *c)
    .await?;
    let count = |s: &str| counts.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| u32::try_from(*n).unwrap_or(u32::MAX));
    let time = |v: Option<String>| v.and_then(|t| Timestamp::parse(&t).ok());
    Ok(SyncStatus {
        pending: count("pending"),
        conflicts: count("conflict"),
        parked: count("failed"),
        ready: pull::cursor(&mut c).await?.is_some(),
        copying: state::get(&mut c, state::INITIAL_HORIZON).await?.is_some(),
        last_pull_at: time(state::get(&mut c, state::LAST_PULL).await?),
        last_push_at: time(state::get(&mut c, state::LAST_PUSH).await?),
        push_error: state::get(&mut c, state::PUSH_ERROR).await?,
    })
}
