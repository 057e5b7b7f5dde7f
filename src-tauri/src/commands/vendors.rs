//! Vendors: the list staff choose a vendor from.

use crate::error::AppError;
use crate::state::AppState;
use marketdesk_core::domain::Role;
use marketdesk_core::store::vendors::VendorChoice;
use tauri::State;

/// Every vendor by name, for staff to choose one (a statement, the
/// shipments' vendor filter).
#[tauri::command]
#[specta::specta]
pub async fn list_vendors(state: State<'_, AppState>) -> Result<Vec<VendorChoice>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Finance, Role::Logistics], "see the vendors")?;
    Ok(active.store.vendor_choices().await?)
}
