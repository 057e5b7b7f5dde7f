//! Closing the shipping day with FedEx Ground from the desktop: the close
//! (online only), the closes made, and a close's manifest saved again.

use super::label_purchases::online;
use super::{downloads_path, parse_id};
use crate::error::AppError;
use crate::state::AppState;
use marketdesk_core::domain::{Carrier, Role, Timestamp};
use marketdesk_core::logistics::day_close::DayCloseRecord;
use marketdesk_core::logistics::{carrier_accounts, day_close};
use tauri::State;

/// Who closes the day.
const CLOSERS: &[Role] = &[Role::Admin, Role::Logistics];

/// A close made, and where its manifest was saved.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct DayClosed {
    /// The close as recorded.
    pub close: DayCloseRecord,
    /// The manifest file in Downloads.
    pub path: String,
}

/// Closes `date` (`YYYY-MM-DD`; default today, UTC) with FedEx Ground and
/// saves the manifest FedEx hands back in Downloads.
#[tauri::command]
#[specta::specta]
pub async fn close_shipping_day(state: State<'_, AppState>, date: Option<String>) -> Result<DayClosed, AppError> {
    let active = state.active().await?;
    active.require(CLOSERS, "close the shipping day")?;
    online(&active, "Closing the day with FedEx")?;
    let now = Timestamp::now();
    let day = day_close::shipping_day(date.as_deref().unwrap_or(&now.to_text()[..10]), now)?;
    let api = carrier_accounts::carrier_client(&active.store, Carrier::Fedex).await?;
    let close = day_close::close_day(&active.store, &api, day, Some(active.me.id)).await?;
    let path = save_manifest(&active.store, &close).await?;
    Ok(DayClosed { close, path })
}

/// The latest closes, newest first.
#[tauri::command]
#[specta::specta]
pub async fn day_closes(state: State<'_, AppState>) -> Result<Vec<DayCloseRecord>, AppError> {
    let active = state.active().await?;
    active.require(CLOSERS, "see the day closes")?;
    Ok(day_close::day_closes(&active.store, 60).await?)
}

/// Saves a close's manifest in Downloads again; returns the file.
#[tauri::command]
#[specta::specta]
pub async fn save_day_close_manifest(state: State<'_, AppState>, id: String) -> Result<String, AppError> {
    let active = state.active().await?;
    active.require(CLOSERS, "reprint a manifest")?;
    let id = parse_id(&id, "day close")?;
    let close = day_close::day_close(&active.store, id).await?;
    save_manifest(&active.store, &close).await
}

async fn save_manifest(store: &marketdesk_core::store::Store, close: &DayCloseRecord) -> Result<String, AppError> {
    let manifest = day_close::day_close_manifest(store, close.id).await?;
    let path = downloads_path(&format!("fedex-ground-manifest-{}", close.close_date), "txt")?;
    std::fs::write(&path, manifest).map_err(|e| AppError::invalid(format!("{}: {e}", path.display())))?;
    Ok(path.display().to_string())
}
