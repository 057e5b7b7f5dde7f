//! Keeping the change feed (and the record of applied mutations) short: each copy checks in with how far it has
//! pulled, and a prune deletes the entries every copy seen lately has pulled
//! already. A copy not seen for longer than the retention is left behind: its
//! next pull finds its cursor below the feed's floor and the round copies it
//! again from scratch (its queued changes kept), instead of missing changes.

use super::SyncError;
use crate::store::{Store, StoreError};
use serde::Serialize;
use uuid::Uuid;

/// Days a copy may stay away before the feed is pruned past it.
pub const DEFAULT_STALE_AFTER_DAYS: u32 = 30;

/// What a prune did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PruneReport {
    /// Feed entries deleted.
    pub pruned: i64,
    /// The transaction id below which the feed is now gone.
    pub floor_txid: i64,
    /// Copies seen within the retention (the floor waits for each of them).
    pub clients: i32,
    /// Copies not seen within it whose cursor is below the floor: they
    /// resync when they come back.
    pub left_behind: i32,
    /// Applied mutations forgotten: those a copy had recorded as applied
    /// (it checked in more than an hour after them), so it never replays them.
    pub mutations_forgotten: i64,
}

/// Records that this computer's copy (`client`) has pulled up to `cursor`,
/// as the person signed in on `server`; returns the feed's floor.
pub(crate) async fn check_in(server: &mut sqlx::PgConnection, client: Uuid, cursor: i64) -> Result<i64, SyncError> {
    Ok(sqlx::query_scalar("SELECT md_sync_check_in($1, $2)")
        .bind(client.to_string())
        .bind(cursor)
        .fetch_one(&mut *server)
        .await
        .map_err(StoreError::from)?)
}

/// Deletes the feed entries every copy seen within `stale_after_days` has
/// pulled already, never those of transactions still running. Admins (or the
/// database's owner) only.
pub async fn prune(server: &Store, stale_after_days: u32) -> Result<PruneReport, SyncError> {
    let Some(pg) = server.pg_pool() else {
        return Err(SyncError::WrongStores("the change feed lives on the central PostgreSQL".into()));
    };
    if stale_after_days == 0 {
        return Err(SyncError::Store(StoreError::Validation("keep the feed for one day at least".into())));
    }
    let report: PruneReport = sqlx::query_as(
        "SELECT pruned, floor_txid, clients, left_behind, mutations_forgotten FROM md_prune_feed(make_interval(days => $1))",
    )
    .bind(i32::try_from(stale_after_days).unwrap_or(i32::MAX))
    .fetch_one(pg)
    .await
    .map_err(StoreError::from)?;
    Ok(report)
}
