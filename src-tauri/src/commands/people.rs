//! People: the admin's list of users and vendors, suspending and reactivating.

use super::parse_id;
use crate::error::AppError;
use crate::events::DataChanged;
use crate::state::AppState;
use marketdesk_core::domain::{Role, UserStatus};
use marketdesk_core::identity::{Session, accounts};
use marketdesk_core::store::settings::Setting;
use marketdesk_core::store::users::{User, UserFilter, UserSort};
use marketdesk_core::store::{Page, PageRequest};
use tauri::{AppHandle, State};
use tauri_specta::Event;

/// A page of users (admins only).
#[tauri::command]
#[specta::specta]
pub async fn list_users(
    state: State<'_, AppState>,
    filter: UserFilter,
    page: PageRequest<UserSort>,
) -> Result<Page<User>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "manage users")?;
    Ok(active.store.list_users(&filter, &page).await?)
}

/// Suspends (`active = false`) or reactivates a person; returns their new version.
/// Online this ends their open sessions on the server too.
#[tauri::command]
#[specta::specta]
pub async fn set_user_active(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    version: i64,
    active: bool,
) -> Result<i64, AppError> {
    let session = state.active().await?;
    session.require(&[Role::Admin], "suspend or reactivate users")?;
    let id = parse_id(&id, "user")?;
    if id == session.me.id {
        return Err(AppError::invalid("you cannot suspend yourself"));
    }
    let new_version = if session.online {
        let online = Session { store: session.store.clone(), me: session.me.clone() };
        accounts::set_active(&online, id, active).await?;
        session.store.user(id).await?.version
    } else {
        let status = if active { UserStatus::Active } else { UserStatus::Suspended };
        session.store.set_user_status(id, version, status).await?
    };
    DataChanged::now("users", Some(id)).emit(&app).ok();
    Ok(new_version)
}

/// The platform settings (admins only).
#[tauri::command]
#[specta::specta]
pub async fn platform_settings(state: State<'_, AppState>) -> Result<Vec<Setting>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "see platform settings")?;
    Ok(active.store.platform_settings().await?)
}
