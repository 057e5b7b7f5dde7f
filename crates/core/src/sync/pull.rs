//! Pulling what changed on the server since the last pull.
//!
//! The change feed is read inside one repeatable-read snapshot, and only the
//! entries of transactions below that snapshot's `xmin`: every transaction
//! below it has ended, so nothing can still commit there later. The next pull
//! starts at that horizon, so a transaction that took its place early and
//! committed late is read when it ends, never skipped. The feed only names
//! rows; their current state is read from the tables as the person's own
//! login, so row-level security decides what reaches the copy, and a changed
//! row the person can no longer read leaves it.

use super::outbox::held_rows;
use super::retention::check_in;
use super::rows::{Plans, unchecked_local};
use super::{SyncError, state};
use crate::domain::Timestamp;
use crate::store::{Store, StoreError};
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

/// Rows refreshed per round trip.
const CHUNK: usize = 5_000;

/// Tables a sweep leaves alone: a workstation's own printers and defaults,
/// which it may have added on the copy without a queued change (they reach
/// the server with the first print job that uses them), and which are never
/// deleted on the server (retired printers keep their row), so nothing in
/// them can have moved out of reach.
const NOT_SWEPT: &[&str] = &["printers", "printer_defaults"];

/// What one pull did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PullReport {
    /// Rows the feed named that were read again (written or removed).
    pub rows: u32,
    /// Tables they belong to.
    pub tables: Vec<String>,
}

/// Rows to read again on the next pull whatever the feed says (a conflict
/// settled with the server's version), as `table:id` entries.
pub(crate) async fn mark_for_refetch(
    local: &mut sqlx::SqliteConnection,
    table: &str,
    id: Uuid,
) -> Result<(), SyncError> {
    let mut list = refetch_list(local).await?;
    list.push(format!("{table}:{id}"));
    state::set(local, state::REFETCH, &list.join(",")).await
}

async fn refetch_list(local: &mut sqlx::SqliteConnection) -> Result<Vec<String>, SyncError> {
    Ok(state::get(local, state::REFETCH)
        .await?
        .map(|v| v.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default())
}

/// The pull cursor of a copy that has one.
pub(crate) async fn cursor(local: &mut sqlx::SqliteConnection) -> Result<Option<i64>, SyncError> {
    Ok(state::get(local, state::CURSOR).await?.and_then(|v| v.parse().ok()))
}

/// The oldest transaction still running on the server: the horizon below
/// which the feed is final.
pub(crate) async fn horizon(server: &mut sqlx::PgConnection) -> Result<i64, SyncError> {
    let h: String = sqlx::query_scalar("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")
        .fetch_one(&mut *server)
        .await
        .map_err(StoreError::from)?;
    h.parse().map_err(|_| SyncError::BadMutation(format!("unexpected transaction id {h}")))
}

/// Pulls every change the feed holds between the copy's cursor and the
/// server's horizon now. The copy must have finished its first copy.
pub async fn pull(server: &Store, local: &Store) -> Result<PullReport, SyncError> {
    let (Some(pg), Some(lite)) = (server.pg_pool(), local.sqlite_pool()) else {
        return Err(SyncError::WrongStores("pull needs the server and the local copy".into()));
    };
    let mut lconn = unchecked_local(lite).await?;
    let Some(from) = cursor(&mut lconn).await? else {
        return Err(SyncError::NeedsResync("this computer has no copy yet: run a first sync".into()));
    };
    // Checked in (and committed) before the snapshot: a prune from now on
    // keeps every entry from `from` on, and one that ran before shows here.
    let client = state::client_id(&mut lconn).await?;
    let floor = {
        let mut c = pg.acquire().await.map_err(StoreError::from)?;
        check_in(&mut c, client, from).await?
    };
    if from < floor {
        return Err(SyncError::LeftBehind { cursor: from, floor });
    }
    let mut snap = pg.begin().await.map_err(StoreError::from)?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *snap)
        .await
        .map_err(StoreError::from)?;
    let to = horizon(&mut snap).await?;
    let plans = Plans::read(&mut snap, &mut lconn).await?;
    let changed: Vec<(String, Uuid)> = if to > from {
        sqlx::query_as(
            "SELECT table_name, row_id FROM sync_change_feed \
             WHERE txid >= $1::text::xid8 AND txid < $2::text::xid8 GROUP BY table_name, row_id",
        )
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&mut *snap)
        .await
        .map_err(StoreError::from)?
    } else {
        Vec::new()
    };
    let mut by_table: BTreeMap<String, Vec<Uuid>> = BTreeMap::new();
    for (table, id) in changed {
        by_table.entry(table).or_default().push(id);
    }
    let refetch = refetch_list(&mut lconn).await?;
    for entry in &refetch {
        if let Some((table, id)) = entry.split_once(':')
            && let Ok(id) = id.parse()
        {
            by_table.entry(table.to_owned()).or_default().push(id);
        }
    }
    let mut report = PullReport::default();
    let mut tx = sqlx::Connection::begin(&mut *lconn).await?;
    let held = held_rows(&mut tx).await?;
    for (table, ids) in &by_table {
        let Some(plan) = plans.tables.get(table) else { continue };
        for chunk in ids.chunks(CHUNK) {
            report.rows += plan.refresh(&mut snap, &mut tx, chunk, &held).await? as u32;
        }
        report.tables.push(table.clone());
    }
    state::set(&mut tx, state::CURSOR, &to.max(from).to_string()).await?;
    state::set(&mut tx, state::LAST_PULL, &Timestamp::now().to_string()).await?;
    if !refetch.is_empty() {
        // A row still held by a change not pushed yet is read again later.
        let still: Vec<&str> = refetch
            .iter()
            .filter(|e| {
                e.split_once(':')
                    .and_then(|(t, id)| id.parse().ok().map(|id: Uuid| held.contains(&(t.to_owned(), id))))
                    .unwrap_or(false)
            })
            .map(String::as_str)
            .collect();
        if still.is_empty() {
            state::clear(&mut tx, state::REFETCH).await?;
        } else {
            state::set(&mut tx, state::REFETCH, &still.join(",")).await?;
        }
    }
    tx.commit().await?;
    snap.commit().await.map_err(StoreError::from)?;
    // Say how far the copy is now, so a prune can go that far. The check-in
    // before the pull already keeps what this copy needs: if this one fails,
    // a prune only keeps more than it must, and the pull stands.
    if let Ok(mut c) = pg.acquire().await {
        let _ = check_in(&mut c, client, to.max(from)).await;
    }
    Ok(report)
}

/// Whether the copy is due a sweep: none has run yet, or the last one finished
/// more than `every` ago.
pub async fn sweep_due(local: &Store, every: std::time::Duration) -> Result<bool, SyncError> {
    let Some(lite) = local.sqlite_pool() else { return Ok(false) };
    let mut c = lite.acquire().await?;
    let last = state::get(&mut c, state::LAST_SWEEP).await?.and_then(|t| Timestamp::parse(&t).ok());
    let every = chrono::Duration::from_std(every).unwrap_or(chrono::Duration::MAX);
    Ok(last.is_none_or(|t| Timestamp::now().as_datetime() - t.as_datetime() >= every))
}

/// Removes from the copy every row the person can no longer read on the
/// server (deleted there, or moved out of their reach, which the feed cannot
/// tell them without telling them about a row they may not read). Returns the
/// rows removed.
pub async fn sweep(server: &Store, local: &Store) -> Result<u64, SyncError> {
    let (Some(pg), Some(lite)) = (server.pg_pool(), local.sqlite_pool()) else {
        return Err(SyncError::WrongStores("a sweep needs the server and the local copy".into()));
    };
    let mut sconn = pg.acquire().await.map_err(StoreError::from)?;
    let mut lconn = unchecked_local(lite).await?;
    let plans = Plans::read(&mut sconn, &mut lconn).await?;
    let mut removed = 0u64;
    for plan in plans.tables.values().filter(|p| !NOT_SWEPT.contains(&p.table.as_str())) {
        let mut after = Uuid::nil();
        loop {
            let ids = plan.local_ids(&mut lconn, after, CHUNK as i64).await?;
            let Some(last) = ids.last().copied() else { break };
            let present: Vec<Uuid> = sqlx::query_scalar(&format!("SELECT id FROM {} WHERE id = ANY($1)", plan.table))
                .bind(&ids)
                .fetch_all(&mut *sconn)
                .await
                .map_err(StoreError::from)?;
            let present: std::collections::HashSet<Uuid> = present.into_iter().collect();
            let mut tx = sqlx::Connection::begin(&mut *lconn).await?;
            let held = held_rows(&mut tx).await?;
            let gone: Vec<Uuid> = ids
                .iter()
                .copied()
                .filter(|id| !present.contains(id) && !held.contains(&(plan.table.clone(), *id)))
                .collect();
            plan.delete(&mut tx, &gone).await?;
            tx.commit().await?;
            removed += gone.len() as u64;
            after = last;
        }
    }
    state::set(&mut lconn, state::LAST_SWEEP, &Timestamp::now().to_string()).await?;
    Ok(removed)
}
