//! The vendor onboarding pipeline: applications listed by stage, one read
//! with what it lacks and the steps open, recorded and edited, and each step
//! (invite, hand in, send back, approve, decline). On the server only.

use super::parse_id;
use crate::error::{AppError, ErrorKind};
use crate::events::DataChanged;
use crate::state::{Active, AppState};
use marketdesk_core::domain::Role;
use marketdesk_core::orders::view::Reader;
use marketdesk_core::store::{Page, PageRequest};
use marketdesk_core::vendors::applications::{
    ApplicationCounts, ApplicationFilter, ApplicationSort, ApplicationSummary, VendorApplication, application,
    application_counts, application_of_vendor, list_applications,
};
use marketdesk_core::vendors::details::BusinessDetails;
use marketdesk_core::vendors::review::{ApplicationStep, record_application, take_step, update_details};
use tauri::{AppHandle, State};
use tauri_specta::Event;

const WHO: &[Role] = &[Role::Admin, Role::Vendor];

/// The signed-in person as the core's onboarding functions take them, once
/// they may onboard and the app is connected.
pub(crate) fn onboarding_reader(active: &Active) -> Result<Reader, AppError> {
    active.require(WHO, "work on vendor applications")?;
    if active.queues {
        return Err(AppError::new(ErrorKind::Offline, "vendor onboarding runs on the server: connect first"));
    }
    Ok(Reader { id: active.me.id, role: active.me.role })
}

/// A page of applications (admins: all; a vendor: their own).
#[tauri::command]
#[specta::specta]
pub async fn list_vendor_applications(
    state: State<'_, AppState>,
    filter: ApplicationFilter,
    page: PageRequest<ApplicationSort>,
) -> Result<Page<ApplicationSummary>, AppError> {
    let active = state.active().await?;
    let reader = onboarding_reader(&active)?;
    Ok(list_applications(&active.store, reader, &filter, &page).await?)
}

/// How many applications stand at each stage.
#[tauri::command]
#[specta::specta]
pub async fn vendor_application_counts(state: State<'_, AppState>) -> Result<ApplicationCounts, AppError> {
    let active = state.active().await?;
    let reader = onboarding_reader(&active)?;
    Ok(application_counts(&active.store, reader).await?)
}

/// One application with its documents, what it lacks and the steps open.
#[tauri::command]
#[specta::specta]
pub async fn vendor_application(state: State<'_, AppState>, id: String) -> Result<VendorApplication, AppError> {
    let active = state.active().await?;
    let reader = onboarding_reader(&active)?;
    Ok(application(&active.store, reader, parse_id(&id, "application")?).await?)
}

/// The signed-in vendor's own application, if they came through onboarding.
#[tauri::command]
#[specta::specta]
pub async fn my_vendor_application(state: State<'_, AppState>) -> Result<Option<VendorApplication>, AppError> {
    let active = state.active().await?;
    let reader = onboarding_reader(&active)?;
    Ok(application_of_vendor(&active.store, reader, reader.id).await?)
}

/// Records an application (admins); returns its id.
#[tauri::command]
#[specta::specta]
pub async fn record_vendor_application(
    app: AppHandle,
    state: State<'_, AppState>,
    details: BusinessDetails,
) -> Result<String, AppError> {
    let active = state.active().await?;
    let reader = onboarding_reader(&active)?;
    let id = record_application(&active.store, reader, &details).await?;
    DataChanged::now("vendor_applications", Some(id)).emit(&app).ok();
    Ok(id.to_string())
}

/// Changes an application's details on the version read; returns the new version.
#[tauri::command]
#[specta::specta]
pub async fn update_vendor_application(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    version: i64,
    details: BusinessDetails,
) -> Result<i64, AppError> {
    let active = state.active().await?;
    let reader = onboarding_reader(&active)?;
    let id = parse_id(&id, "application")?;
    let version = update_details(&active.store, reader, id, version, &details).await?;
    DataChanged::now("vendor_applications", Some(id)).emit(&app).ok();
    Ok(version)
}

/// Takes a step on an application; returns it as it is afterwards.
#[tauri::command]
#[specta::specta]
pub async fn take_vendor_application_step(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    version: i64,
    step: ApplicationStep,
) -> Result<VendorApplication, AppError> {
    let active = state.active().await?;
    let reader = onboarding_reader(&active)?;
    let id = parse_id(&id, "application")?;
    let after = take_step(&active.store, reader, id, version, &step).await?;
    DataChanged::now("vendor_applications", Some(id)).emit(&app).ok();
    Ok(after)
}
