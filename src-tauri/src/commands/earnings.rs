//! A vendor's own earnings.

use crate::error::AppError;
use crate::state::AppState;
use marketdesk_core::store::vendors::Earnings;
use tauri::State;

/// The signed-in vendor's earnings per currency.
#[tauri::command]
#[specta::specta]
pub async fn vendor_earnings(state: State<'_, AppState>) -> Result<Vec<Earnings>, AppError> {
    let active = state.active().await?;
    let me = active.own_vendor().ok_or_else(|| AppError::forbidden("see a vendor's earnings"))?;
    Ok(active.store.vendor_earnings(me).await?)
}
