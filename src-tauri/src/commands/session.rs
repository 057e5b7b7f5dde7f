//! Before and around sign-in: what the app is opened on, signing in and out.

use crate::error::AppError;
use crate::state::{Active, AppState};
use crate::sync_runner::{Link, SyncRunner};
use marketdesk_core::domain::Role;
use marketdesk_core::identity::{self, Me, SignInError};
use marketdesk_core::seed::{self, DemoLogin};
use marketdesk_core::store::Engine;
use serde::Serialize;
use tauri::{AppHandle, State};
use zeroize::Zeroizing;

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
                info.demo_logins = seed::demo_logins(store).await?;
            }
        }
        Err(e) => info.problem = Some(e.message),
    }
    Ok(info)
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
    let password = Zeroizing::new(password);
    if login.trim().is_empty() || password.is_empty() {
        return Err(AppError::invalid("enter your sign-in name and password"));
    }
    let me = open_session(app, &state, &login, &password).await??;
    if remember && let Some(server) = state.server.clone() {
        crate::commands::remembered::remember(server, me.username.clone(), password).await;
    }
    Ok(me)
}

/// Checks the sign-in and starts the session (see [`sign_in`]). The outer
/// error is the desktop's own (no local database); the inner one is the
/// sign-in's, for callers that decide by it.
pub(crate) async fn open_session(
    app: AppHandle,
    state: &AppState,
    login: &str,
    password: &str,
) -> Result<Result<Me, SignInError>, AppError> {
    let copy = state.local_copy().await?;
    let desk = identity::Desk { server: state.server.as_deref(), local: &copy.store, lasting_copy: !copy.is_scratch() };
    let opened = {
        let mut backoff = state.backoff.lock().await;
        identity::open_session(desk, login, password, &mut backoff).await
    };
    let opened = match opened {
        Ok(opened) => opened,
        Err(e) => {
            tracing::warn!(target: "marketdesk_desktop::session", "sign-in refused: {e}");
            return Ok(Err(e));
        }
    };
    let me = opened.me.clone();
    tracing::info!(
        target: "marketdesk_desktop::session",
        user = %me.id,
        role = ?me.role,
        online = opened.online,
        "signed in"
    );
    let app_for_sync = app.clone();
    let listener = opened.online.then(|| crate::live::forward(app, opened.store.clone()));
    let queues = !opened.online && state.server.is_some();
    if matches!(me.role, Role::Admin | Role::Logistics) {
        super::printing::settle_in_background(opened.store.clone(), &me, queues);
    }
    if me.role == Role::Logistics && opened.online {
        super::label_purchases::settle_in_background(opened.store.clone());
    }
    let link = match (&state.server, opened.online) {
        (Some(_), true) if !copy.is_scratch() => Some(Link::Online(opened.store.clone())),
        (Some(server), false) if !copy.is_scratch() => Some(Link::Offline {
            server: server.clone(),
            login: login.to_owned(),
            password: Zeroizing::new(password.to_owned()),
        }),
        _ => None,
    };
    state.begin(Active { me: opened.me, store: opened.store, online: opened.online, queues }, listener).await;
    if let Some(link) = link {
        state.start_sync(SyncRunner::start(app_for_sync, copy.store.clone(), me.id, link)).await;
    }
    Ok(Ok(me))
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
    let local = state.local().await?;
    let mut backoff = state.backoff.lock().await;
    identity::check_own_password(local, &active.me, &password, &mut backoff).await?;
    state.set_locked(false);
    Ok(())
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
    let local = state.local().await?;
    let session = identity::Opened { me: active.me.clone(), store: active.store.clone(), online: active.online };
    let me = {
        let mut backoff = state.backoff.lock().await;
        identity::change_own_password(&session, local, &current, &new_password, &mut backoff).await?
    };
    state.update_me(me.clone()).await;
    Ok(me)
}
