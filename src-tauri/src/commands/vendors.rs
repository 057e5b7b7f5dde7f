//! Vendors: the list staff choose a vendor from, and suspending or
//! reactivating one (admins, on the server).

use crate::error::AppError;
use crate::events::DataChanged;
use crate::state::AppState;
use marketdesk_core::domain::Role;
use marketdesk_core::store::vendors::VendorChoice;
use marketdesk_core::vendors::profile::{
    ProfileEdit, VendorProfile, update_vendor_profile as save_profile, vendor_profile as profile_of,
};
use marketdesk_core::vendors::suspension::{
    SuspensionImpact, set_vendor_suspended as suspend_or_reactivate, suspension_impact,
};
use tauri::{AppHandle, State};
use tauri_specta::Event;

/// Every vendor by name, for staff to choose one (a statement, the
/// shipments' vendor filter).
#[tauri::command]
#[specta::specta]
pub async fn list_vendors(state: State<'_, AppState>) -> Result<Vec<VendorChoice>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Finance, Role::Logistics], "see the vendors")?;
    Ok(active.store.vendor_choices().await?)
}

/// What suspending a vendor does: their live products and waiting payouts.
#[tauri::command]
#[specta::specta]
pub async fn vendor_suspension(state: State<'_, AppState>, vendor_id: String) -> Result<SuspensionImpact, AppError> {
    let active = state.active().await?;
    let reader = super::onboarding::onboarding_reader(&active)?;
    Ok(suspension_impact(&active.store, reader, super::parse_id(&vendor_id, "vendor")?).await?)
}

/// Suspends a vendor with a reason, or reactivates them (admins).
#[tauri::command]
#[specta::specta]
pub async fn set_vendor_suspended(
    app: AppHandle,
    state: State<'_, AppState>,
    vendor_id: String,
    suspend: bool,
    reason: String,
) -> Result<SuspensionImpact, AppError> {
    let active = state.active().await?;
    let reader = super::onboarding::onboarding_reader(&active)?;
    let vendor = super::parse_id(&vendor_id, "vendor")?;
    let impact = suspend_or_reactivate(&active.store, reader, vendor, suspend, &reason).await?;
    DataChanged::now("vendor_applications", None).emit(&app).ok();
    Ok(impact)
}

/// A vendor's business profile: the signed-in vendor's own when no vendor is named.
#[tauri::command]
#[specta::specta]
pub async fn vendor_profile(state: State<'_, AppState>, vendor_id: Option<String>) -> Result<VendorProfile, AppError> {
    let active = state.active().await?;
    let reader = super::onboarding::onboarding_reader(&active)?;
    let vendor = match vendor_id {
        Some(id) => super::parse_id(&id, "vendor")?,
        None => reader.id,
    };
    Ok(profile_of(&active.store, reader, vendor).await?)
}

/// Saves a vendor's business profile on the version read; returns the new version.
#[tauri::command]
#[specta::specta]
pub async fn update_vendor_profile(
    app: AppHandle,
    state: State<'_, AppState>,
    vendor_id: String,
    version: i64,
    edit: ProfileEdit,
) -> Result<i64, AppError> {
    let active = state.active().await?;
    let reader = super::onboarding::onboarding_reader(&active)?;
    let vendor = super::parse_id(&vendor_id, "vendor")?;
    let version = save_profile(&active.store, reader, vendor, version, &edit).await?;
    DataChanged::now("vendor_applications", Some(vendor)).emit(&app).ok();
    Ok(version)
}
