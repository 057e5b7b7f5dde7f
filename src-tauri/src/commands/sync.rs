//! The sync screen and the top bar's sync badge: where the copy stands, the
//! changes made offline, the conflicts with both versions, settling one, and
//! asking for a round or a full resync now.

use super::parse_id;
use crate::error::AppError;
use crate::events::DataChanged;
use crate::state::AppState;
use marketdesk_core::sync::conflicts::{self, Conflict, Resolution};
use marketdesk_core::sync::outbox::{self, QueuedChange};
use marketdesk_core::sync::status::{self, SyncStatus};
use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_specta::Event;

/// Most changes listed at once.
const MOST_LISTED: i64 = 1_000;

/// Where the session's sync stands.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SyncOverview {
    /// The session works on the central server.
    pub online: bool,
    /// This session syncs a copy with a central server (else there is nothing to sync).
    pub syncs: bool,
    /// The copy's state.
    pub status: SyncStatus,
}

/// Where the session's sync stands.
#[tauri::command]
#[specta::specta]
pub async fn sync_overview(state: State<'_, AppState>) -> Result<SyncOverview, AppError> {
    let active = state.active().await?;
    let syncs = state.server.is_some();
    let status = if syncs { status::status(state.local().await?).await? } else { SyncStatus::default() };
    Ok(SyncOverview { online: active.online, syncs, status })
}

/// Runs a sync round now (`resync`: replace the copy with a fresh one first).
/// False when this session has nothing to sync.
#[tauri::command]
#[specta::specta]
pub async fn sync_now(state: State<'_, AppState>, resync: bool) -> Result<bool, AppError> {
    state.active().await?;
    Ok(state.kick_sync(resync).await)
}

/// The changes made offline: waiting, in conflict or refused (`all`: also those
/// the server accepted), oldest first.
#[tauri::command]
#[specta::specta]
pub async fn pending_changes(state: State<'_, AppState>, all: bool) -> Result<Vec<QueuedChange>, AppError> {
    state.active().await?;
    if state.server.is_none() {
        return Ok(Vec::new());
    }
    Ok(outbox::list(state.local().await?, !all, MOST_LISTED).await?)
}

/// The open conflicts, both versions.
#[tauri::command]
#[specta::specta]
pub async fn sync_conflicts(state: State<'_, AppState>) -> Result<Vec<Conflict>, AppError> {
    state.active().await?;
    if state.server.is_none() {
        return Ok(Vec::new());
    }
    Ok(conflicts::open(state.local().await?).await?)
}

/// Settles a conflict as the person chose, then syncs.
#[tauri::command]
#[specta::specta]
pub async fn resolve_conflict(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    resolution: Resolution,
) -> Result<(), AppError> {
    let active = state.active().await?;
    let id = parse_id(&id, "conflict")?;
    conflicts::resolve(state.local().await?, id, &resolution, active.me.id).await?;
    DataChanged::now("sync", Some(id)).emit(&app).ok();
    state.kick_sync(false).await;
    Ok(())
}
