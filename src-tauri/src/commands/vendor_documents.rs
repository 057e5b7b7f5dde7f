//! An application's documents: sent from disk, opened in the app or saved,
//! and accepted or rejected by an admin. On the server only.

use super::dispute_files::{ChosenFile, OpenedFile};
use super::onboarding::onboarding_reader;
use super::parse_id;
use crate::error::AppError;
use crate::events::DataChanged;
use crate::state::AppState;
use marketdesk_core::disputes::attachments::NewAttachment;
use marketdesk_core::domain::vendor_onboarding::VendorDocumentKind;
use marketdesk_core::vendors::documents::{
    DocumentVerdict, VendorDocument, add_document, document_content, review_document,
};
use tauri::{AppHandle, State};
use tauri_specta::Event;

/// Sends a file as a document of an application.
#[tauri::command]
#[specta::specta]
pub async fn add_vendor_document(
    app: AppHandle,
    state: State<'_, AppState>,
    application_id: String,
    kind: VendorDocumentKind,
    file: ChosenFile,
) -> Result<VendorDocument, AppError> {
    let active = state.active().await?;
    let reader = onboarding_reader(&active)?;
    let application = parse_id(&application_id, "application")?;
    let bytes = super::arrived_whole(&file.content, &file.name)?;
    let doc = add_document(&active.store, reader, application, kind, &NewAttachment { name: file.name, bytes }).await?;
    DataChanged::now("vendor_applications", Some(application)).emit(&app).ok();
    Ok(doc)
}

/// A document's bytes, to show in the app.
#[tauri::command]
#[specta::specta]
pub async fn open_vendor_document(state: State<'_, AppState>, id: String) -> Result<OpenedFile, AppError> {
    let active = state.active().await?;
    let reader = onboarding_reader(&active)?;
    let (name, media_type, bytes) = document_content(&active.store, reader, parse_id(&id, "document")?).await?;
    let data_url = super::data_url(&media_type, &bytes);
    Ok(OpenedFile { name, media_type, data_url })
}

/// Saves a document to the Downloads folder; returns where.
#[tauri::command]
#[specta::specta]
pub async fn save_vendor_document(state: State<'_, AppState>, id: String) -> Result<String, AppError> {
    let active = state.active().await?;
    let reader = onboarding_reader(&active)?;
    let (name, _, bytes) = document_content(&active.store, reader, parse_id(&id, "document")?).await?;
    super::save_in_downloads(&name, &bytes)
}

/// Accepts or rejects a document (admins); returns its new version.
#[tauri::command]
#[specta::specta]
pub async fn review_vendor_document(
    app: AppHandle,
    state: State<'_, AppState>,
    verdict: DocumentVerdict,
) -> Result<i64, AppError> {
    let active = state.active().await?;
    let reader = onboarding_reader(&active)?;
    let version = review_document(&active.store, reader, &verdict).await?;
    DataChanged::now("vendor_applications", None).emit(&app).ok();
    Ok(version)
}
