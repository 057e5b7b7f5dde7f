//! Packing: an order opened on the bench, packed into parcels in the
//! warehouse's boxes, and the boxes themselves.

use super::parse_id;
use crate::error::{AppError, ErrorKind};
use crate::events::DataChanged;
use crate::state::{Active, AppState};
use marketdesk_core::domain::Role;
use marketdesk_core::logistics::packing::{self, PackingPlan, ParcelPlan};
use marketdesk_core::store::packing::{PackagePreset, PresetSpec};
use tauri::{AppHandle, State};
use tauri_specta::Event;

/// Who packs and keeps the boxes.
const PACKERS: &[Role] = &[Role::Admin, Role::Logistics];

/// Packing writes parcels on the server: not on an offline copy of one.
pub(super) fn not_queued(active: &Active, what: &str) -> Result<(), AppError> {
    if active.queues {
        Err(AppError::new(
            ErrorKind::Offline,
            format!("{what} needs the central server: it is not kept for later; sign in online"),
        ))
    } else {
        Ok(())
    }
}

/// An order as the bench opens it: what is left to pack, a parcel per vendor
/// to start from, and the boxes.
#[tauri::command]
#[specta::specta]
pub async fn packing_plan(state: State<'_, AppState>, order_id: String) -> Result<PackingPlan, AppError> {
    let active = state.active().await?;
    active.require(PACKERS, "pack orders")?;
    let id = parse_id(&order_id, "order")?;
    Ok(packing::packing_plan(&active.store, id).await?)
}

/// Packs an order into parcels (checked by the core); returns their ids.
#[tauri::command]
#[specta::specta]
pub async fn pack_order(
    app: AppHandle,
    state: State<'_, AppState>,
    order_id: String,
    parcels: Vec<ParcelPlan>,
) -> Result<Vec<String>, AppError> {
    let active = state.active().await?;
    active.require(PACKERS, "pack orders")?;
    not_queued(&active, "Packing")?;
    let id = parse_id(&order_id, "order")?;
    let made = packing::pack(&active.store, id, &parcels).await?;
    DataChanged::now("orders", Some(id)).emit(&app).ok();
    DataChanged::now("shipments", None).emit(&app).ok();
    Ok(made.into_iter().map(|p| p.to_string()).collect())
}

/// The boxes, by name.
#[tauri::command]
#[specta::specta]
pub async fn package_presets(state: State<'_, AppState>) -> Result<Vec<PackagePreset>, AppError> {
    let active = state.active().await?;
    active.require(PACKERS, "see the boxes")?;
    Ok(active.store.package_presets().await?)
}

/// Adds a box (checked by the core).
#[tauri::command]
#[specta::specta]
pub async fn add_package_preset(state: State<'_, AppState>, spec: PresetSpec) -> Result<PackagePreset, AppError> {
    let active = state.active().await?;
    active.require(PACKERS, "keep the boxes")?;
    not_queued(&active, "Adding a box")?;
    Ok(packing::add_preset(&active.store, &spec).await?)
}

/// Retires a box still at `version`.
#[tauri::command]
#[specta::specta]
pub async fn retire_package_preset(state: State<'_, AppState>, id: String, version: i64) -> Result<i64, AppError> {
    let active = state.active().await?;
    active.require(PACKERS, "keep the boxes")?;
    not_queued(&active, "Retiring a box")?;
    let id = parse_id(&id, "box")?;
    Ok(active.store.retire_package_preset(id, version).await?)
}
