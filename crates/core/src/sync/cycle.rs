//! One sync round as the desktop and `marketdesk sync` run it: check the
//! server's schema, push the queue, then make the copy current — the first
//! copy (or its resumption) when there is none for this person, else a pull
//! (or a fresh copy when the feed was pruned past this copy), and every few
//! hours a sweep for rows the person can no longer read.

use super::SyncError;
use super::initial::{CopyProgress, CopyReport, copy_all, is_ready, owner};
use super::pull::{PullReport, pull, sweep, sweep_due};
use super::push::{PushReport, push};
use crate::store::Store;
use serde::Serialize;
use std::sync::atomic::AtomicBool;
use std::time::Duration;
use uuid::Uuid;

/// What a round did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RoundReport {
    /// The push.
    pub push: PushReport,
    /// The first copy, when one ran.
    pub copy: Option<CopyReport>,
    /// The pull, when one ran.
    pub pull: Option<PullReport>,
    /// Rows the sweep removed, when one ran.
    pub swept: Option<u64>,
}

/// How long a copy goes between sweeps (a sweep reads every row id of the
/// copy back from the server, so not every round).
pub const SWEEP_EVERY: Duration = Duration::from_secs(6 * 3600);

/// Runs one round for `me` between `server` (their own login) and `local`.
/// Refuses a server whose schema is newer than this Marketdesk.
pub async fn round(
    server: &Store,
    local: &Store,
    me: Uuid,
    cancel: &AtomicBool,
    progress: impl FnMut(&CopyProgress),
) -> Result<RoundReport, SyncError> {
    let schema = server.schema_status().await?;
    if let Some(problem) = schema.blocking_problem() {
        return Err(SyncError::Store(problem));
    }
    let push = push(server, local, me).await?;
    if push.stopped.is_some() {
        return Ok(RoundReport { push, ..RoundReport::default() });
    }
    if !is_ready(local, &owner(server, me)).await? {
        let copy = copy_all(server, local, me, false, cancel, progress).await?;
        return Ok(RoundReport { push, copy: Some(copy), ..RoundReport::default() });
    }
    match pull(server, local).await {
        Ok(pull) => {
            // A sweep that fails (the network went meanwhile) is tried again
            // next round; the push and pull stand.
            let swept = match sweep_due(local, SWEEP_EVERY).await? {
                true => sweep(server, local).await.inspect_err(|e| tracing::warn!("sweep: {e}")).ok(),
                false => None,
            };
            Ok(RoundReport { push, copy: None, pull: Some(pull), swept })
        }
        // Away longer than the server keeps changes: copied again, the queue kept.
        Err(SyncError::LeftBehind { .. }) => {
            let copy = copy_all(server, local, me, true, cancel, progress).await?;
            Ok(RoundReport { push, copy: Some(copy), ..RoundReport::default() })
        }
        Err(e) => Err(e),
    }
}
