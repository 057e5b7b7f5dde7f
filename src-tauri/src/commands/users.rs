//! Users: the admin's list of people, inviting them, resetting their
//! passwords, suspending and reactivating them.

use super::parse_id;
use crate::error::{AppError, ErrorKind};
use crate::events::DataChanged;
use crate::state::{Active, AppState};
use marketdesk_core::domain::{Role, UserStatus};
use marketdesk_core::identity::{Session, accounts};
use marketdesk_core::store::users::{User, UserFilter, UserSort};
use marketdesk_core::store::{Page, PageRequest};
use serde::Deserialize;
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

/// A person an admin invites.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct InviteRequest {
    /// Where the invitation and its one-time code go.
    pub email: String,
    /// Their sign-in name (3 to 58 letters, digits, dots, dashes or underscores).
    pub username: String,
    /// Name shown in the app.
    pub display_name: String,
    /// Admin, vendor, logistics or finance.
    pub role: Role,
}

/// The admin's online session, or why there is none: people are created and
/// reset on the central server, as login roles, never in a local copy.
fn online_admin(session: &Active, what: &str) -> Result<Session, AppError> {
    session.require(&[Role::Admin], what)?;
    if !session.online {
        return Err(AppError::new(
            ErrorKind::Offline,
            format!("to {what}, sign in to the central server: people are created there, not in a local copy"),
        ));
    }
    Ok(Session { store: session.store.clone(), me: session.me.clone() })
}

/// Invites a person (online, admins only): creates their sign-in on the
/// central server and queues the invitation mail with a one-time code, in one
/// transaction. Their first sign-in uses the code and asks for a new password.
/// Returns the new user's id.
#[tauri::command]
#[specta::specta]
pub async fn invite_user(
    app: AppHandle,
    state: State<'_, AppState>,
    invitee: InviteRequest,
) -> Result<String, AppError> {
    let session = state.active().await?;
    let online = online_admin(&session, "invite people")?;
    let who = accounts::Invitee {
        email: invitee.email,
        username: invitee.username,
        display_name: invitee.display_name,
        role: invitee.role,
    };
    let id = accounts::invite(&online, &who).await?;
    DataChanged::now("users", Some(id)).emit(&app).ok();
    DataChanged::now("outbox", None).emit(&app).ok();
    Ok(id.to_string())
}

/// Gives a person a temporary password, mailed to them (online, admins only);
/// they must choose a new one at their next sign-in.
#[tauri::command]
#[specta::specta]
pub async fn reset_user_password(app: AppHandle, state: State<'_, AppState>, id: String) -> Result<(), AppError> {
    let session = state.active().await?;
    let online = online_admin(&session, "reset passwords")?;
    let id = parse_id(&id, "user")?;
    if id == session.me.id {
        return Err(AppError::invalid("change your own password from your account menu"));
    }
    accounts::reset_password(&online, id).await?;
    DataChanged::now("users", Some(id)).emit(&app).ok();
    DataChanged::now("outbox", None).emit(&app).ok();
    Ok(())
}
