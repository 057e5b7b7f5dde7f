//! Vendors' Stripe Connect set-up: who can be paid out, onboarding links, and
//! checks with Stripe (admins; finance may look).

use crate::error::AppError;
use crate::state::AppState;
use marketdesk_core::domain::Role;
use marketdesk_core::finance::payout_setup::{ConnectCheck, ConnectStatusList, OnboardingSent};
use tauri::State;

use super::parse_id;

/// Every vendor's payout set-up (only those not ready when `only_not_ready`),
/// those not ready first, with how many vendors there are and are ready.
#[tauri::command]
#[specta::specta]
pub async fn connect_statuses(state: State<'_, AppState>, only_not_ready: bool) -> Result<ConnectStatusList, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Finance], "see vendors' payout set-up")?;
    Ok(active.store.connect_statuses(only_not_ready).await?)
}

/// Creates the vendor's Stripe account if needed and makes an onboarding link,
/// mailed to the vendor when `mail` is set (online, admins).
#[tauri::command]
#[specta::specta]
pub async fn start_connect_onboarding(
    state: State<'_, AppState>,
    vendor_id: String,
    mail: bool,
) -> Result<OnboardingSent, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "onboard vendors to Stripe")?;
    let vendor = parse_id(&vendor_id, "vendor")?;
    Ok(active.store.start_connect_onboarding(&super::stripe_gateway()?, vendor, mail).await?)
}

/// Asks Stripe whether the vendor may be paid out now and stores the answer (online, admins).
#[tauri::command]
#[specta::specta]
pub async fn refresh_connect_account(state: State<'_, AppState>, vendor_id: String) -> Result<ConnectCheck, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "check vendors' Stripe accounts")?;
    let vendor = parse_id(&vendor_id, "vendor")?;
    Ok(active.store.refresh_connect_account(&super::stripe_gateway()?, vendor).await?)
}
