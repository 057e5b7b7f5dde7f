//! This computer's own settings: the central server it signs in to, and the
//! integration keys in its keychain. A key is entered once per machine and
//! never shown again; only whether one is filed is reported, and changes go to
//! the audit trail without the key.

use super::off_runtime;
use crate::error::AppError;
use crate::state::{Active, AppState};
use marketdesk_core::identity;
use marketdesk_core::secrets::{self, Integration, SecretError};
use marketdesk_core::store::audit::NewAuditEntry;
use serde::Serialize;
use tauri::State;

/// An integration's key on this computer, without the key.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct IntegrationKey {
    /// Short name (`stripe`).
    pub id: String,
    /// Name shown to people.
    pub name: String,
    /// A key is filed in the keychain.
    pub stored: bool,
    /// The signed-in role may file or remove it.
    pub may_change: bool,
    /// How the provider's keys start, if they have a fixed start (`sk_live_`, …).
    pub prefixes: Vec<String>,
}

/// The keychain's state and every integration's key.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct IntegrationKeys {
    /// Which keychain holds them, in words ("the desktop keychain (Secret Service)").
    pub keychain: String,
    /// Why the keychain cannot be used, when it cannot (then nothing is kept).
    pub keychain_problem: Option<String>,
    /// Each integration, in a fixed order.
    pub keys: Vec<IntegrationKey>,
}

/// Whether the keychain works and which integration keys are filed in it.
#[tauri::command]
#[specta::specta]
pub async fn integration_keys(state: State<'_, AppState>) -> Result<IntegrationKeys, AppError> {
    let active = state.active().await?;
    let stored = off_runtime(|| -> Result<Vec<bool>, SecretError> {
        secrets::probe()?;
        secrets::INTEGRATIONS.iter().map(|i| secrets::get(i.account).map(|k| k.is_some())).collect()
    })
    .await?;
    let (problem, stored): (Option<String>, Vec<bool>) = match stored {
        Ok(stored) => (None, stored),
        Err(e) => (Some(e.to_string()), vec![false; secrets::INTEGRATIONS.len()]),
    };
    let keys = secrets::INTEGRATIONS
        .iter()
        .zip(stored)
        .map(|(i, stored)| IntegrationKey {
            id: i.id.into(),
            name: i.name.into(),
            stored,
            may_change: problem.is_none() && i.may_be_changed_by(active.me.role),
            prefixes: i.prefixes.iter().map(|p| (*p).to_owned()).collect(),
        })
        .collect();
    Ok(IntegrationKeys { keychain: secrets::keychain().describe().into(), keychain_problem: problem, keys })
}

fn integration_for(active: &Active, id: &str) -> Result<&'static Integration, AppError> {
    let integration =
        secrets::integration(id).ok_or_else(|| AppError::invalid(format!("no integration called “{id}”")))?;
    if !integration.may_be_changed_by(active.me.role) {
        return Err(AppError::forbidden(&format!("change the {} key", integration.name)));
    }
    Ok(integration)
}

async fn audit(active: &Active, action: &str, integration: &Integration) {
    let entry = NewAuditEntry {
        actor_id: Some(active.me.id),
        actor_role: Some(active.me.role.to_string()),
        action: action.into(),
        entity_table: None,
        entity_id: None,
        details: Some(serde_json::json!({ "integration": integration.id })),
    };
    if let Err(e) = active.store.record_audit(&entry).await {
        tracing::warn!("the audit trail did not take {action}: {e}");
    }
}

/// Files `key` as this computer's key for `integration`, replacing any earlier
/// one (checked first: no blanks inside, the provider's prefix).
#[tauri::command]
#[specta::specta]
pub async fn set_integration_key(state: State<'_, AppState>, integration: String, key: String) -> Result<(), AppError> {
    let active = state.active().await?;
    let integration = integration_for(&active, &integration)?;
    let key = integration.check_key(&key).map_err(AppError::invalid)?;
    off_runtime(move || secrets::set(integration.account, &key)).await??;
    audit(&active, "integration_key.set", integration).await;
    Ok(())
}

/// Removes this computer's key for `integration` (no error when none is filed).
#[tauri::command]
#[specta::specta]
pub async fn remove_integration_key(state: State<'_, AppState>, integration: String) -> Result<(), AppError> {
    let active = state.active().await?;
    let integration = integration_for(&active, &integration)?;
    off_runtime(move || secrets::delete(integration.account)).await??;
    audit(&active, "integration_key.removed", integration).await;
    Ok(())
}

/// The central server this desktop signs in to, as the settings show it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ServerSetting {
    /// The server in use now (its address, which carries no secret); `None`: local only.
    pub in_use: Option<String>,
    /// The server saved for the next start, when it differs from the one in use.
    pub saved: Option<String>,
    /// Set by `MARKETDESK_SERVER`, which the settings cannot change.
    pub from_environment: bool,
    /// A server is saved that takes effect only after a restart.
    pub restart_needed: bool,
}

fn server_setting_of(state: &AppState) -> ServerSetting {
    let saved = state.config_path.as_deref().and_then(|p| crate::machine_config::load(p).server);
    let restart_needed = !state.server_from_env && saved != state.server;
    ServerSetting { in_use: state.server.clone(), saved, from_environment: state.server_from_env, restart_needed }
}

/// Which server this desktop signs in to, and whether a saved change waits for a restart.
#[tauri::command]
#[specta::specta]
pub async fn server_setting(state: State<'_, AppState>) -> Result<ServerSetting, AppError> {
    Ok(server_setting_of(&state))
}

/// Saves the server to sign in to from the next start (`None`: work on the local
/// database alone). The address is checked and stripped of any user name; a
/// password in it is refused. Only before signing in, and not when
/// `MARKETDESK_SERVER` decides.
#[tauri::command]
#[specta::specta]
pub async fn set_server(state: State<'_, AppState>, server: Option<String>) -> Result<ServerSetting, AppError> {
    if state.signed_in().await.is_ok() {
        return Err(AppError::invalid("sign out before changing the server"));
    }
    if state.server_from_env {
        return Err(AppError::invalid("MARKETDESK_SERVER sets the server on this computer; change it there"));
    }
    let server = match server.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => Some(identity::parse_server(text).map_err(AppError::invalid)?),
        None => None,
    };
    let path = state.config_path.as_deref().ok_or_else(|| AppError::invalid("this account has no settings folder"))?;
    let mut config = crate::machine_config::load(path);
    config.server = server;
    crate::machine_config::save(path, &config)?;
    Ok(server_setting_of(&state))
}

/// Whether a PostgreSQL server answers at `server` (checked first like
/// [`set_server`]); the error says why not.
#[tauri::command]
#[specta::specta]
pub async fn check_server(server: String) -> Result<String, AppError> {
    let address = identity::parse_server(&server).map_err(AppError::invalid)?;
    identity::check_server(&address).await?;
    Ok(address)
}

/// Starts Marketdesk again (to sign in to a newly saved server); only when no
/// one is signed in.
#[tauri::command]
#[specta::specta]
pub async fn restart_app(app: tauri::AppHandle, state: State<'_, AppState>) -> Result<(), AppError> {
    if state.signed_in().await.is_ok() {
        return Err(AppError::invalid("sign out before restarting"));
    }
    app.restart()
}
