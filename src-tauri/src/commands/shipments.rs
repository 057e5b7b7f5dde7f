//! Shipments: the fulfilment queue with tracking, and moving shipments along.

use super::parse_id;
use crate::error::AppError;
use crate::events::DataChanged;
use crate::state::AppState;
use marketdesk_core::domain::{Role, ShipmentStatus};
use marketdesk_core::store::shipments::{Shipment, ShipmentFilter, ShipmentSort};
use marketdesk_core::store::{Page, PageRequest};
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
    let new_version = active.store.set_shipment_status(id, version, status).await?;
    DataChanged::now("shipments", Some(id)).emit(&app).ok();
    Ok(new_version)
}
