//! The local queue of offline writes (`sync_outbox`). A write made offline is
//! applied to the local copy and queued in the same SQLite transaction: the
//! person sees it at once, and it can never be applied locally yet missing
//! from the queue, or queued without having happened.

use super::SyncError;
use super::mutation::{Mutation, Outcome, apply_in};
use crate::domain::{Timestamp, new_id};
use crate::store::write_tx::WriteTx;
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A queued mutation as stored: who made it and what it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Payload {
    /// The person who made it (their users id).
    pub actor: Uuid,
    /// The change.
    pub mutation: Mutation,
}

/// Where a queued change stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum QueueState {
    /// Waiting to be pushed.
    Pending,
    /// The server accepted it.
    Applied,
    /// The row changed on the server first: a person decides.
    Conflict,
    /// The server refused it (a rule or a permission); kept with the reason.
    Parked,
}

impl QueueState {
    fn from_stored(s: &str) -> QueueState {
        match s {
            "applied" => QueueState::Applied,
            "conflict" => QueueState::Conflict,
            "failed" => QueueState::Parked,
            _ => QueueState::Pending,
        }
    }
}

/// One queued change, for the pending-changes list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct QueuedChange {
    /// The mutation's id (UUIDv7, made on this computer).
    pub mutation_id: Uuid,
    /// The change.
    pub mutation: Mutation,
    /// The change in words.
    pub summary: String,
    /// Where it stands.
    pub state: QueueState,
    /// Push attempts so far.
    pub attempts: i64,
    /// Why the server refused it or the last push stopped.
    pub last_error: Option<String>,
    /// When it was made.
    pub created_at: Timestamp,
    /// When the server accepted it.
    pub pushed_at: Option<Timestamp>,
}

/// Applies `m` to the local copy and queues it, in one transaction. Returns
/// what the change left locally and the mutation's id.
pub async fn record(local: &Store, actor: Uuid, m: &Mutation) -> Result<(Outcome, Uuid), SyncError> {
    if local.sqlite_pool().is_none() {
        return Err(SyncError::WrongStores("offline changes are queued on the local copy".into()));
    }
    let mut tx = local.begin_write_tx().await?;
    let outcome = apply_in(&mut tx, actor, m).await.map_err(SyncError::Store)?;
    let mutation_id = new_id();
    let WriteTx::Sqlite(t) = &mut tx else {
        return Err(SyncError::WrongStores("offline changes are queued on the local copy".into()));
    };
    let payload = serde_json::to_string(&Payload { actor, mutation: m.clone() })
        .map_err(|e| SyncError::BadMutation(e.to_string()))?;
    sqlx::query(
        "INSERT INTO sync_outbox (id, mutation_id, kind, payload, status, attempts, created_at) \
         VALUES ($1, $2, $3, $4, 'pending', 0, $5)",
    )
    .bind(new_id())
    .bind(mutation_id)
    .bind(m.kind())
    .bind(payload)
    .bind(Timestamp::now())
    .execute(&mut **t)
    .await
    .map_err(|e| StoreError::from_write("queued change", e))?;
    tx.commit().await?;
    Ok((outcome, mutation_id))
}

type Row = (Uuid, String, String, i64, Option<String>, Timestamp, Option<Timestamp>);

/// The queued changes, oldest first: all of them, or only those still open
/// (pending, in conflict, parked) when `open_only`.
pub async fn list(local: &Store, open_only: bool, limit: i64) -> Result<Vec<QueuedChange>, SyncError> {
    let pool = local.sqlite_pool().ok_or_else(|| SyncError::WrongStores("the queue is on the local copy".into()))?;
    let filter = if open_only { "WHERE status IN ('pending', 'conflict', 'failed')" } else { "" };
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT mutation_id, payload, status, attempts, last_error, created_at, pushed_at FROM sync_outbox {filter} \
         ORDER BY created_at, id LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(mutation_id, payload, status, attempts, last_error, created_at, pushed_at)| {
            let p: Payload = serde_json::from_str(&payload).map_err(|e| SyncError::BadMutation(e.to_string()))?;
            Ok(QueuedChange {
                mutation_id,
                summary: p.mutation.summary(),
                mutation: p.mutation,
                state: QueueState::from_stored(&status),
                attempts,
                last_error,
                created_at,
                pushed_at,
            })
        })
        .collect()
}

/// The rows that have changes not yet accepted by the server (pending or in
/// conflict): a pull leaves them as the person changed them.
pub(crate) async fn held_rows(
    local: &mut sqlx::SqliteConnection,
) -> Result<std::collections::HashSet<(String, Uuid)>, SyncError> {
    let payloads: Vec<String> =
        sqlx::query_scalar("SELECT payload FROM sync_outbox WHERE status IN ('pending', 'conflict')")
            .fetch_all(&mut *local)
            .await?;
    payloads
        .iter()
        .map(|p| {
            let p: Payload = serde_json::from_str(p).map_err(|e| SyncError::BadMutation(e.to_string()))?;
            let (table, id) = p.mutation.target();
            Ok((table.to_owned(), id))
        })
        .collect()
}
