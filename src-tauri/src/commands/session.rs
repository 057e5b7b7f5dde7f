//! Before and around sign-in: what the app is opened on, signing in and out.

use crate::error::{AppError, ErrorKind};
use crate::state::{Active, AppState};
use marketdesk_core::domain::Role;
use marketdesk_core::identity::{self, Me};
use marketdesk_core::store::users::{UserFilter, UserSort};
use marketdesk_core::store::{Engine, PageRequest, SortDir};
use serde::Serialize;
use tauri::{AppHandle, State};

/// What the sign-in screen shows about this installation.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AppInfo {
    /// Marketdesk's version.
    pub version: String,
    /// The local database (a file path, or a redacted URL).
    pub database: String,
    /// `SQLite` or `PostgreSQL`.
    pub engine: String,
    /// The central server sign-ins go to, redacted; `None` works offline on the local database.
    pub server: Option<String>,
    /// Why the local database cannot be used, if it cannot.
    pub problem: Option<String>,
    /// The local copy is encrypted at rest (beside a central server, with its key in the keychain).
    pub encrypted: bool,
    /// Why this computer keeps no copy of the marketplace (no usable keychain), if it keeps none.
    pub local_note: Option<String>,
    /// "Remember me" can be offered: a server is set up and the keychain works.
    pub can_remember: bool,
    /// The username remembered on this computer, whom the sign-in screen offers to continue as.
    pub remembered: Option<String>,
    /// Demo sign-ins present in the local database (seeded demo data only).
    pub demo_logins: Vec<DemoLogin>,
}

/// A demo person the sign-in screen offers.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct DemoLogin {
    /// Their role.
    pub role: Role,
    /// Their email address (the sign-in name).
    pub email: String,
}

/// Version, database and demo sign-ins, for the sign-in screen.
#[tauri::command]
#[specta::specta]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, AppError> {
    let mut info = AppInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        database: state.database_label(),
        engine: String::new(),
        server: state.server.as_deref().map(marketdesk_core::store::redacted_server),
        problem: None,
        encrypted: false,
        local_note: None,
        can_remember: false,
        remembered: None,
        demo_logins: Vec::new(),
    };
    if let Some(server) = state.server.clone() {
        (info.can_remember, info.remembered) = crate::commands::remembered::status(server).await;
    }
    match state.local_copy().await {
        Ok(copy) => {
            let store = &copy.store;
            info.engine = store.engine().to_string();
            info.encrypted = copy.encrypted;
            info.local_note = copy.note.clone();
            if copy.is_scratch() {
                info.database = "none kept on this computer".into();
            }
            // Beside a server the copy holds real people who signed in here, not demo ones.
            if store.engine() == Engine::Sqlite && state.server.is_none() {
                info.demo_logins = demo_logins(store).await?;
            }
        }
        Err(e) => info.problem = Some(e.message),
    }
    Ok(info)
}

async fn demo_logins(store: &marketdesk_core::Store) -> Result<Vec<DemoLogin>, AppError> {
    let filter = UserFilter { search: Some("@marketdesk.demo".into()), ..Default::default() };
    let page = PageRequest { sort: UserSort::Email, dir: SortDir::Asc, after: None, limit: 20 };
    let users = store.list_users(&filter, &page).await?;
    Ok(users
        .items
        .into_iter()
        .filter(|u| u.role != Role::Customer && u.email.ends_with("@marketdesk.demo"))
        .map(|u| DemoLogin { role: u.role, email: u.email })
        .collect())
}

/// Signs in: against the central server when one is configured (as the
/// person's own database role), otherwise against the local database's
/// verifier. Customers are refused: they use the storefront.
/// With `remember` (and a server), the password is filed in the keychain so
/// the next start offers to sign this person in again.
#[tauri::command]
#[specta::specta]
pub async fn sign_in(
    app: AppHandle,
    state: State<'_, AppState>,
    login: String,
    password: String,
    remember: bool,
) -> Result<Me, AppError> {
    if login.trim().is_empty() || password.is_empty() {
        return Err(AppError::invalid("enter your sign-in name and password"));
    }
    let me = open_session(app, &state, &login, &password).await?;
    if remember && let Some(server) = state.server.clone() {
        crate::commands::remembered::remember(server, me.username.clone(), password).await;
    }
    Ok(me)
}

/// Checks the sign-in and starts the session (see [`sign_in`]).
pub(crate) async fn open_session(
    app: AppHandle,
    state: &AppState,
    login: &str,
    password: &str,
) -> Result<Me, AppError> {
    let copy = state.local_copy().await?;
    let local = &copy.store;
    let active = match &state.server {
        Some(server) => {
            let mut backoff = state.backoff.lock().await;
            let signed = if copy.is_scratch() {
                // No lasting copy, so nothing to fall back on when the server is down.
                identity::SignedIn::Online(
                    identity::sign_in_online(server, login, password, Some(local), &mut backoff).await?,
                )
            } else {
                identity::sign_in_online_or_offline(server, login, password, local, &mut backoff).await?
            };
            match signed {
                identity::SignedIn::Online(session) => {
                    if let Err(e) = identity::remember_for_offline(local, &session.me, password).await {
                        tracing::warn!("could not keep an offline verifier: {e}");
                    }
                    Active { me: session.me, store: session.store, online: true }
                }
                identity::SignedIn::Offline { me, reason } => {
                    tracing::info!("signed in offline: the server cannot be reached ({reason})");
                    Active { me, store: local.clone(), online: false }
                }
            }
        }
        None => {
            let mut backoff = state.backoff.lock().await;
            identity::ready(&backoff)?;
            match identity::sign_in_offline(local, login, password).await {
                Ok(me) => {
                    backoff.succeeded();
                    Active { me, store: local.clone(), online: false }
                }
                Err(e) => {
                    if matches!(e, identity::SignInError::WrongCredentials) {
                        backoff.failed();
                    }
                    return Err(e.into());
                }
            }
        }
    };
    if active.me.role == Role::Customer {
        if active.online {
            active.store.close().await;
        }
        return Err(AppError::new(ErrorKind::Forbidden, "customers use the storefront, not Marketdesk"));
    }
    let me = active.me.clone();
    let listener = active.online.then(|| crate::live::forward(app, active.store.clone()));
    state.begin(active, listener).await;
    Ok(me)
}

/// What the signed-in session works on, for the shell's status and for
/// screens whose actions need the central server.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct Connection {
    /// The session works on the central server (not the local copy).
    pub online: bool,
    /// The central server this desktop signs in to, redacted; `None` when it
    /// works on its local database alone.
    pub server: Option<String>,
    /// The local database, as a path or a redacted URL.
    pub local: String,
}

/// Whether the signed-in session is online (on the central server) or works
/// on the local copy — because no server is set up, or because it could not be
/// reached at sign-in.
#[tauri::command]
#[specta::specta]
pub async fn connection(state: State<'_, AppState>) -> Result<Connection, AppError> {
    let active = state.signed_in().await?;
    Ok(Connection {
        online: active.online,
        server: state.server.as_deref().map(marketdesk_core::store::redacted_server),
        local: state.database_label(),
    })
}

/// The signed-in person, or `None`.
#[tauri::command]
#[specta::specta]
pub async fn current_user(state: State<'_, AppState>) -> Result<Option<Me>, AppError> {
    Ok(state.signed_in().await.ok().map(|a| a.me))
}

/// Ends the session.
#[tauri::command]
#[specta::specta]
pub async fn sign_out(state: State<'_, AppState>) -> Result<(), AppError> {
    state.end().await;
    Ok(())
}

/// Locks the session (the UI calls this after the idle period, or on request).
#[tauri::command]
#[specta::specta]
pub async fn lock_session(state: State<'_, AppState>) -> Result<(), AppError> {
    state.signed_in().await?;
    state.set_locked(true);
    Ok(())
}

/// Unlocks a locked session with the signed-in person's password, checked
/// against the verifier in the local database (kept there at every sign-in).
/// Failures count towards the same back-off as signing in.
#[tauri::command]
#[specta::specta]
pub async fn unlock_session(state: State<'_, AppState>, password: String) -> Result<(), AppError> {
    let active = state.signed_in().await?;
    check_own_password(&state, &active.me, &password, "wrong password").await?;
    state.set_locked(false);
    Ok(())
}

/// Checks `password` against the verifier of `me` in the local database (kept
/// there at every sign-in), counting a failure towards the sign-in back-off;
/// refuses with `wrong` when it does not match.
async fn check_own_password(state: &AppState, me: &Me, password: &str, wrong: &str) -> Result<(), AppError> {
    let local = state.local().await?;
    let mut backoff = state.backoff.lock().await;
    identity::ready(&backoff)?;
    match identity::sign_in_offline(local, &me.username, password).await {
        Ok(found) if found.id == me.id => {
            backoff.succeeded();
            Ok(())
        }
        Ok(_) | Err(identity::SignInError::WrongCredentials) => {
            backoff.failed();
            Err(AppError::new(ErrorKind::WrongCredentials, wrong))
        }
        Err(e) => Err(e.into()),
    }
}

/// Changes the signed-in person's own password, after checking the current one
/// (or the one-time code of an invitation, or an admin's temporary password)
/// against the verifier kept at sign-in; failures count towards the sign-in
/// back-off. Online the new password is set on the central server and ends an
/// invitation or a "must change"; on a desktop with no server it replaces the
/// local verifier. Returns the person as they now stand.
#[tauri::command]
#[specta::specta]
pub async fn change_own_password(
    state: State<'_, AppState>,
    current: String,
    new_password: String,
) -> Result<Me, AppError> {
    let active = state.active().await?;
    if new_password.chars().count() < 12 {
        return Err(AppError::invalid("a password needs at least 12 characters"));
    }
    if new_password == current {
        return Err(AppError::invalid("choose a password different from the current one"));
    }
    check_own_password(&state, &active.me, &current, "the current password is wrong").await?;
    let local = state.local().await?;
    let me = if active.online {
        let mut session = identity::Session { store: active.store.clone(), me: active.me.clone() };
        identity::set_own_password(&mut session, &new_password, Some(local)).await?;
        session.me
    } else {
        let mut me = active.me.clone();
        me.must_change_password = false;
        identity::remember_for_offline(local, &me, &new_password).await?;
        me
    };
    state.update_me(me.clone()).await;
    Ok(me)
}
