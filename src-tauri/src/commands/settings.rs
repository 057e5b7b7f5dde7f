//! The platform's settings, for admins.

use crate::error::AppError;
use crate::state::AppState;
use marketdesk_core::domain::Role;
use marketdesk_core::store::settings::Setting;
use tauri::State;

/// The platform settings (admins only).
#[tauri::command]
#[specta::specta]
pub async fn platform_settings(state: State<'_, AppState>) -> Result<Vec<Setting>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "see platform settings")?;
    Ok(active.store.platform_settings().await?)
}
