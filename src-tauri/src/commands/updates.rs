//! Updates: the endpoint comes from the platform settings (`app.update_endpoint`,
//! a JSON string holding the manifest URL), the public key from the app's
//! configuration; the updater plugin refuses anything not signed with it.

use crate::error::{AppError, ErrorKind};
use crate::state::AppState;
use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_plugin_updater::UpdaterExt;

/// The setting naming the update manifest's URL.
pub const ENDPOINT_SETTING: &str = "app.update_endpoint";

/// A newer release than the running one.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AvailableUpdate {
    /// Its version.
    pub version: String,
    /// The version running now.
    pub current_version: String,
    /// Release notes, if the manifest has them.
    pub notes: Option<String>,
}

async fn endpoint(state: &AppState) -> Result<Option<url::Url>, AppError> {
    let store = match state.active().await {
        Ok(active) => active.store,
        Err(_) => state.local().await?.clone(),
    };
    let Some(setting) = store.platform_settings().await?.into_iter().find(|s| s.key == ENDPOINT_SETTING) else {
        return Ok(None);
    };
    let text: String = serde_json::from_str(&setting.value)
        .map_err(|_| AppError::invalid(format!("the setting {ENDPOINT_SETTING} must be a JSON string (a URL)")))?;
    let url = url::Url::parse(text.trim())
        .map_err(|e| AppError::invalid(format!("the setting {ENDPOINT_SETTING} is not a URL: {e}")))?;
    Ok(Some(url))
}

fn updater_error(e: tauri_plugin_updater::Error) -> AppError {
    AppError::new(ErrorKind::Offline, format!("could not check for updates: {e}"))
}

/// Asks the configured update endpoint for a newer, correctly signed release.
/// `None` when there is none or no endpoint is configured.
#[tauri::command]
#[specta::specta]
pub async fn check_for_update(app: AppHandle, state: State<'_, AppState>) -> Result<Option<AvailableUpdate>, AppError> {
    let Some(url) = endpoint(&state).await? else {
        return Ok(None);
    };
    let updater = app.updater_builder().endpoints(vec![url]).map_err(updater_error)?.build().map_err(updater_error)?;
    let update = updater.check().await.map_err(updater_error)?;
    Ok(update.map(|u| AvailableUpdate { version: u.version, current_version: u.current_version, notes: u.body }))
}

/// Downloads the newer release, verifies its signature against the app's
/// public key (refusing it otherwise) and installs it; the app restarts after.
#[tauri::command]
#[specta::specta]
pub async fn install_update(app: AppHandle, state: State<'_, AppState>) -> Result<(), AppError> {
    let active = state.active().await?;
    active.require(&[marketdesk_core::domain::Role::Admin], "install updates")?;
    let url = endpoint(&state).await?.ok_or_else(|| AppError::invalid("no update endpoint is configured"))?;
    let updater = app.updater_builder().endpoints(vec![url]).map_err(updater_error)?.build().map_err(updater_error)?;
    let update =
        updater.check().await.map_err(updater_error)?.ok_or_else(|| AppError::invalid("no update is available"))?;
    update.download_and_install(|_, _| {}, || {}).await.map_err(updater_error)?;
    app.restart()
}
