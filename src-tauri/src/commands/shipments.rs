//! Shipments: the fulfilment queue with tracking, moving shipments along, and
//! their labels drawn on this computer.

use super::{downloads_path, parse_id};
use crate::error::AppError;
use crate::events::DataChanged;
use crate::state::AppState;
use marketdesk_core::domain::{Role, ShipmentStatus};
use marketdesk_core::logistics::labels::LabelFormat;
use marketdesk_core::store::shipments::{Shipment, ShipmentFilter, ShipmentSort};
use marketdesk_core::store::{Page, PageRequest};
use marketdesk_core::sync::Mutation;
use marketdesk_core::sync::perform;
use tauri::{AppHandle, State};
use tauri_specta::Event;

/// A page of shipments (a vendor: their own).
#[tauri::command]
#[specta::specta]
pub async fn list_shipments(
    state: State<'_, AppState>,
    mut filter: ShipmentFilter,
    page: PageRequest<ShipmentSort>,
) -> Result<Page<Shipment>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Logistics, Role::Vendor], "see shipments")?;
    if let Some(me) = active.own_vendor() {
        filter.vendor_id = Some(me);
    }
    Ok(active.store.list_shipments(&filter, &page).await?)
}

/// The countries parcels may go to, for the destination filter.
#[tauri::command]
#[specta::specta]
pub async fn shipment_destinations(state: State<'_, AppState>) -> Result<Vec<String>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Logistics], "filter shipments by destination")?;
    Ok(active.store.shipment_destinations().await?)
}

/// Records a shipment's new status; returns its new version.
#[tauri::command]
#[specta::specta]
pub async fn set_shipment_status(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    version: i64,
    status: ShipmentStatus,
) -> Result<i64, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Logistics], "update shipments")?;
    let id = parse_id(&id, "shipment")?;
    let change = Mutation::ShipmentStatus { shipment: id, version, to: status };
    let outcome = perform(&active.store, active.me.id, active.queues, &change).await?;
    let new_version = outcome.version().unwrap_or(version + 1);
    if active.queues {
        DataChanged::now("sync", None).emit(&app).ok();
    }
    DataChanged::now("shipments", Some(id)).emit(&app).ok();
    Ok(new_version)
}

/// Where a saved label went.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct SavedLabel {
    /// The file, in the Downloads folder.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u32,
}

/// Draws a shipment's 4×6 label on this computer — ZPL for a thermal printer
/// of the chosen density, or PDF — into the Downloads folder (admins and
/// logistics; works offline on the local copy).
#[tauri::command]
#[specta::specta]
pub async fn save_shipping_label(
    state: State<'_, AppState>,
    shipment_id: String,
    format: LabelFormat,
) -> Result<SavedLabel, AppError> {
    let id = parse_id(&shipment_id, "shipment")?;
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Logistics], "draw shipping labels")?;
    let path = downloads_path(&format!("marketdesk-label-{}", &id.simple().to_string()[..12]), format.extension())?;
    let bytes = active.store.write_shipping_label(id, format, &path).await?;
    Ok(SavedLabel { path: path.display().to_string(), bytes: u32::try_from(bytes).unwrap_or(u32::MAX) })
}
