//! Bins: where each variant sits on the warehouse's shelves, looked up by
//! SKU and set one at a time or from a `sku,bin` sheet (admins and logistics;
//! on the central server only).

use super::packing::not_queued;
use super::parse_id;
use crate::error::AppError;
use crate::events::DataChanged;
use crate::state::AppState;
use marketdesk_core::domain::Role;
use marketdesk_core::logistics::bins::{self, BinRow, BinSheetResult};
use tauri::{AppHandle, State};
use tauri_specta::Event;

/// Who keeps the bins.
const KEEPERS: &[Role] = &[Role::Admin, Role::Logistics];

/// The live variants with this SKU, with their bins.
#[tauri::command]
#[specta::specta]
pub async fn variant_bins(state: State<'_, AppState>, sku: String) -> Result<Vec<BinRow>, AppError> {
    let active = state.active().await?;
    active.require(KEEPERS, "look up bins")?;
    Ok(bins::variants_by_sku(&active.store, &sku).await?)
}

/// Puts a variant in a bin (empty takes it out); returns the bin as kept.
#[tauri::command]
#[specta::specta]
pub async fn set_variant_bin(
    app: AppHandle,
    state: State<'_, AppState>,
    variant_id: String,
    bin: String,
) -> Result<Option<String>, AppError> {
    let active = state.active().await?;
    active.require(KEEPERS, "set bins")?;
    not_queued(&active, "Setting a bin")?;
    let id = parse_id(&variant_id, "variant")?;
    let kept = bins::set_bin(&active.store, id, &bin).await?;
    DataChanged::now("shipments", None).emit(&app).ok();
    Ok(kept)
}

/// Sets many bins from a `sku,bin[,vendor]` sheet: every line or, when any
/// line has a problem, none (each problem named by its line).
#[tauri::command]
#[specta::specta]
pub async fn apply_bin_sheet(
    app: AppHandle,
    state: State<'_, AppState>,
    sheet: String,
) -> Result<BinSheetResult, AppError> {
    let active = state.active().await?;
    active.require(KEEPERS, "set bins")?;
    not_queued(&active, "Setting bins")?;
    let done = bins::apply_bin_sheet(&active.store, &sheet).await?;
    if done.updated > 0 {
        DataChanged::now("shipments", None).emit(&app).ok();
    }
    Ok(done)
}
