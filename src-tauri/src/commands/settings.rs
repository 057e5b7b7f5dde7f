//! The platform's settings, for admins.

use super::parse_id;
use crate::error::{AppError, ErrorKind};
use crate::events::DataChanged;
use crate::state::{Active, AppState};
use marketdesk_core::domain::{Role, UserStatus};
use marketdesk_core::identity::{Session, accounts};
use marketdesk_core::store::settings::Setting;
use marketdesk_core::store::users::{User, UserFilter, UserSort};
use marketdesk_core::store::{Page, PageRequest};
use serde::Deserialize;
use tauri::{AppHandle, State};
use tauri_specta::Event;

/// The platform settings (admins only).
#[tauri::command]
#[specta::specta]
pub async fn platform_settings(state: State<'_, AppState>) -> Result<Vec<Setting>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "see platform settings")?;
    Ok(active.store.platform_settings().await?)
}
