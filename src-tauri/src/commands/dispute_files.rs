//! Files in a dispute's thread: a message sent with photos, a PDF or a text
//! file (to the server at once, never queued offline), and a file opened —
//! shown in the app, or saved to the Downloads folder.

use super::parse_id;
use crate::error::{AppError, ErrorKind};
use crate::events::DataChanged;
use crate::state::AppState;
use marketdesk_core::disputes::attachments::{NewAttachment, attachment_content, post_message_with_files};
use marketdesk_core::domain::Role;
use marketdesk_core::orders::view::Reader;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use tauri_specta::Event;

/// A file chosen in the UI, its bytes base64.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct ChosenFile {
    /// Its name.
    pub name: String,
    /// Its bytes, base64.
    pub content: String,
}

/// A dispute file opened in the app.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct OpenedFile {
    /// Its name.
    pub name: String,
    /// What it is.
    pub media_type: String,
    /// Its bytes as a `data:` URL.
    pub data_url: String,
}

/// Writes a message (staff: or an internal note) with files in a dispute's thread.
#[tauri::command]
#[specta::specta]
pub async fn post_dispute_message_with_files(
    app: AppHandle,
    state: State<'_, AppState>,
    dispute_id: String,
    body: String,
    internal: bool,
    files: Vec<ChosenFile>,
) -> Result<(), AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Vendor], "write in disputes")?;
    if active.queues {
        return Err(AppError::new(ErrorKind::Offline, "files are sent to the server at once: connect first"));
    }
    let dispute = parse_id(&dispute_id, "dispute")?;
    let files = files
        .into_iter()
        .map(|f| {
            let bytes = super::arrived_whole(&f.content, &f.name)?;
            Ok(NewAttachment { name: f.name, bytes })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let reader = Reader { id: active.me.id, role: active.me.role };
    post_message_with_files(&active.store, reader, dispute, &body, internal, &files).await?;
    DataChanged::now("disputes", Some(dispute)).emit(&app).ok();
    Ok(())
}

/// A dispute file's bytes, to show in the app.
#[tauri::command]
#[specta::specta]
pub async fn open_dispute_file(state: State<'_, AppState>, id: String) -> Result<OpenedFile, AppError> {
    let active = state.active().await?;
    let id = parse_id(&id, "file")?;
    let reader = Reader { id: active.me.id, role: active.me.role };
    let (name, media_type, bytes) = attachment_content(&active.store, reader, id).await?;
    let data_url = super::data_url(&media_type, &bytes);
    Ok(OpenedFile { name, media_type, data_url })
}

/// Saves a dispute file to the Downloads folder; returns where.
#[tauri::command]
#[specta::specta]
pub async fn save_dispute_file(state: State<'_, AppState>, id: String) -> Result<String, AppError> {
    let active = state.active().await?;
    let id = parse_id(&id, "file")?;
    let reader = Reader { id: active.me.id, role: active.me.role };
    let (name, _, bytes) = attachment_content(&active.store, reader, id).await?;
    super::save_in_downloads(&name, &bytes)
}
