//! The first copy, and a full resync: every row the person may read, table by
//! table in id order, a page per local transaction that also records how far
//! it got, so an interrupted copy resumes where it stopped. The pull cursor is
//! the server's horizon taken before the first page: whatever changed while
//! the pages were read is pulled again from the feed afterwards.

use super::outbox::held_rows;
use super::retention::check_in;
use super::rows::{Plans, TablePlan, row_id, unchecked_local};
use super::{SyncError, pull, state};
use crate::domain::Timestamp;
use crate::store::bulk::Cell;
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
use uuid::Uuid;

/// Rows read per page.
pub const PAGE: i64 = 5_000;

/// How far a first copy is, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CopyProgress {
    /// The table being copied.
    pub table: String,
    /// Rows copied so far (in this run).
    pub rows_done: u64,
    /// Rows to copy in all (counted when the run began).
    pub rows_total: u64,
}

/// What a first copy did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CopyReport {
    /// Rows copied in this run.
    pub rows: u64,
    /// It picked up an earlier run that had stopped.
    pub resumed: bool,
    /// Tables the copy leaves out, with the reason.
    pub skipped: Vec<(String, String)>,
}

/// Who a copy belongs to: the server (password-free) and the person.
pub fn owner(server: &Store, me: Uuid) -> String {
    format!("{}|{me}", server.url())
}

/// Whether `local` holds a finished copy for `owner`.
pub async fn is_ready(local: &Store, owner: &str) -> Result<bool, SyncError> {
    let Some(lite) = local.sqlite_pool() else { return Ok(false) };
    let mut c = lite.acquire().await?;
    Ok(pull::cursor(&mut c).await?.is_some() && state::get(&mut c, state::OWNER).await?.as_deref() == Some(owner))
}

/// Copies everything `me` may read from `server` into `local`, resuming an
/// interrupted copy for the same owner, or starting over (`fresh`, or another
/// owner's copy): the copy's rows are replaced, the queued changes kept.
/// Stops between pages when `cancel` is set (run it again to go on).
pub async fn copy_all(
    server: &Store,
    local: &Store,
    me: Uuid,
    fresh: bool,
    cancel: &AtomicBool,
    mut progress: impl FnMut(&CopyProgress),
) -> Result<CopyReport, SyncError> {
    let (Some(pg), Some(lite)) = (server.pg_pool(), local.sqlite_pool()) else {
        return Err(SyncError::WrongStores("a copy needs the server and the local copy".into()));
    };
    let owner = owner(server, me);
    let mut sconn = pg.acquire().await.map_err(StoreError::from)?;
    let mut lconn = unchecked_local(lite).await?;
    let plans = Plans::read(&mut sconn, &mut lconn).await?;
    let same_owner = state::get(&mut lconn, state::OWNER).await?.as_deref() == Some(owner.as_str());
    let mut started = state::get(&mut lconn, state::INITIAL_HORIZON).await?;
    // A copy in progress holds the feed from where it started; one the feed
    // was pruned past starts over.
    let client = state::client_id(&mut lconn).await?;
    if let (false, true, Some(h)) = (fresh, same_owner, started.as_deref().and_then(|h| h.parse::<i64>().ok()))
        && h < check_in(&mut sconn, client, h).await?
    {
        started = None;
    }
    let (resumed, mut at) = match (fresh, same_owner, started) {
        (false, true, Some(_)) => {
            let at = state::get(&mut lconn, state::INITIAL_AT).await?.unwrap_or_default();
            let (table, after) = at.split_once('|').unwrap_or(("", ""));
            (true, (table.to_owned(), after.parse().unwrap_or(Uuid::nil())))
        }
        _ => {
            let horizon = pull::horizon(&mut sconn).await?;
            check_in(&mut sconn, client, horizon).await?;
            let mut tx = sqlx::Connection::begin(&mut *lconn).await?;
            let held = held_rows(&mut tx).await?;
            for plan in plans.tables.values() {
                clear_table(&mut tx, &plan.table, &held).await?;
            }
            for key in [state::CURSOR, state::INITIAL_AT, state::REFETCH] {
                state::clear(&mut tx, key).await?;
            }
            state::set(&mut tx, state::INITIAL_HORIZON, &horizon.to_string()).await?;
            state::set(&mut tx, state::OWNER, &owner).await?;
            tx.commit().await?;
            (false, (String::new(), Uuid::nil()))
        }
    };
    let mut total = 0u64;
    for plan in plans.tables.values().filter(|p| p.table >= at.0) {
        total += u64::try_from(plan.server_count(&mut sconn).await?).unwrap_or(0);
    }
    let mut done = 0u64;
    for plan in plans.tables.values() {
        if plan.table < at.0 {
            continue;
        }
        let after = if plan.table == at.0 { at.1 } else { Uuid::nil() };
        progress(&CopyProgress { table: plan.table.clone(), rows_done: done, rows_total: total });
        let held = held_rows(&mut lconn).await?;
        // The server's pages are read on a connection of their own while the
        // previous page is written here: reading and writing overlap.
        let mut pages = read_pages(pg.acquire().await.map_err(StoreError::from)?, plan.clone(), after);
        while let Some(page) = pages.recv().await {
            if cancel.load(Ordering::Relaxed) {
                return Ok(CopyReport { rows: done, resumed, skipped: plans.skipped.clone() });
            }
            let (rows, last) = page?;
            let rows: Vec<_> = rows
                .into_iter()
                .filter(|r| row_id(r).is_none_or(|id| !held.contains(&(plan.table.clone(), id))))
                .collect();
            let mut tx = sqlx::Connection::begin(&mut *lconn).await?;
            plan.upsert(&mut tx, &rows).await?;
            state::set(&mut tx, state::INITIAL_AT, &format!("{}|{last}", plan.table)).await?;
            tx.commit().await?;
            done += rows.len() as u64;
            progress(&CopyProgress { table: plan.table.clone(), rows_done: done, rows_total: total.max(done) });
        }
        at = (plan.table.clone(), Uuid::nil());
    }
    let mut tx = sqlx::Connection::begin(&mut *lconn).await?;
    let horizon = state::get(&mut tx, state::INITIAL_HORIZON).await?.unwrap_or_else(|| "0".into());
    state::set(&mut tx, state::CURSOR, &horizon).await?;
    state::clear(&mut tx, state::INITIAL_HORIZON).await?;
    state::clear(&mut tx, state::INITIAL_AT).await?;
    // A finished copy holds only what the person could read: as good as a sweep.
    state::set(&mut tx, state::LAST_SWEEP, &Timestamp::now().to_string()).await?;
    tx.commit().await?;
    Ok(CopyReport { rows: done, resumed, skipped: plans.skipped })
}

/// A page of rows and the id of its last row.
type Page = Result<(Vec<Vec<Cell>>, Uuid), SyncError>;

/// Reads `plan`'s rows after `after` page by page on `conn`, a page or two
/// ahead of the writer; stops when the receiver is dropped.
fn read_pages(
    mut conn: sqlx::pool::PoolConnection<sqlx::Postgres>,
    plan: TablePlan,
    mut after: Uuid,
) -> tokio::sync::mpsc::Receiver<Page> {
    let (tx, rx) = tokio::sync::mpsc::channel::<Page>(2);
    tokio::spawn(async move {
        loop {
            let page = match plan.fetch_page(&mut conn, after, PAGE).await {
                Ok(rows) => match rows.last().and_then(|r| row_id(r)) {
                    Some(last) => {
                        after = last;
                        Ok((rows, last))
                    }
                    None => return,
                },
                Err(e) => Err(e),
            };
            let failed = page.is_err();
            if tx.send(page).await.is_err() || failed {
                return;
            }
        }
    });
    rx
}

/// Empties one table of the copy, keeping rows with changes not yet pushed and
/// the people who can sign in offline here.
async fn clear_table(
    tx: &mut sqlx::SqliteConnection,
    table: &str,
    held: &std::collections::HashSet<(String, Uuid)>,
) -> Result<(), SyncError> {
    let keep: Vec<Uuid> = held.iter().filter(|(t, _)| t == table).map(|(_, id)| *id).collect();
    let mut sql = format!("DELETE FROM {table}");
    let mut clauses = Vec::new();
    if table == "users" {
        clauses.push("password_hash IS NULL".to_owned());
    }
    if !keep.is_empty() {
        clauses.push(format!("id NOT IN ({})", vec!["?"; keep.len()].join(",")));
    }
    if !clauses.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&clauses.join(" AND "));
    }
    let mut q = sqlx::query(&sql);
    for id in keep {
        q = q.bind(id);
    }
    q.execute(&mut *tx).await.map_err(|e| SyncError::LocalWrite { table: table.to_owned(), source: e })?;
    Ok(())
}
