//! The mail outbox, for admins.

use crate::error::AppError;
use crate::state::AppState;
use marketdesk_core::domain::Role;
use marketdesk_core::mail::outbox::{self, OutboxMail};
use tauri::State;

/// The newest mails in the outbox (admins only): queued, sent and failed, with
/// the provider's answer. Without a mail key they wait here to be read.
#[tauri::command]
#[specta::specta]
pub async fn list_outbox(state: State<'_, AppState>, limit: u32) -> Result<Vec<OutboxMail>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "read the mail outbox")?;
    Ok(outbox::list(&active.store, limit).await?)
}
