//! "Remember me" commands: continue as the person remembered on this computer,
//! or forget them. Filing the password (at sign-in) and asking who is
//! remembered live in [`super::remembered`].

use super::off_runtime;
use crate::commands::session::open_session;
use crate::error::AppError;
use crate::state::AppState;
use marketdesk_core::identity::{self, Me};
use tauri::{AppHandle, State};

/// Signs in as the person remembered on this computer. A remembered password
/// the server (or the offline copy) no longer accepts — changed, reset — is
/// forgotten, and the person is asked for the password.
#[tauri::command]
#[specta::specta]
pub async fn sign_in_remembered(app: AppHandle, state: State<'_, AppState>) -> Result<Me, AppError> {
    let server = state.server.clone().ok_or_else(|| AppError::invalid("no server is set up to sign in to"))?;
    let lookup = server.clone();
    let remembered = off_runtime(move || identity::remembered_sign_in(&lookup)).await??;
    let (username, password) = remembered
        .ok_or_else(|| AppError::invalid("nobody is remembered on this computer: sign in with your password"))?;
    match open_session(app, &state, &username, &password).await? {
        Err(e) if e.refuses_the_credentials() => {
            let _ = off_runtime(move || identity::forget_sign_in(&server)).await;
            let e = AppError::from(e);
            Err(AppError::new(
                e.kind,
                format!("{}; the remembered password was forgotten: sign in with your password", e.message),
            ))
        }
        other => Ok(other?),
    }
}

/// Forgets the sign-in remembered on this computer (no error when there is none).
#[tauri::command]
#[specta::specta]
pub async fn forget_remembered(state: State<'_, AppState>) -> Result<(), AppError> {
    let Some(server) = state.server.clone() else { return Ok(()) };
    Ok(off_runtime(move || identity::forget_sign_in(&server)).await??)
}
