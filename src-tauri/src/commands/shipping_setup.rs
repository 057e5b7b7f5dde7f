//! Shipping setup: zones, methods and each method's rate table per zone and
//! currency, and the carriers' accounts. Admins change it; admins and
//! logistics read it.

use super::parse_id;
use crate::error::{AppError, ErrorKind};
use crate::events::DataChanged;
use crate::state::AppState;
use marketdesk_core::domain::shipping_rates::RateTable;
use marketdesk_core::domain::{Carrier, Role};
use marketdesk_core::integrations::carriers::CarrierSettings;
use marketdesk_core::logistics::carrier_accounts::{self, CarrierAccountStatus};
use marketdesk_core::logistics::shipping_setup::{self, ShippingSetup, ZoneSpec};
use marketdesk_core::store::shipping_zones::MethodSpec;
use tauri::{AppHandle, State};
use tauri_specta::Event;

fn changed(app: &AppHandle) {
    DataChanged::now("shipping_setup", None).emit(app).ok();
}

fn versioned(id: Option<String>, version: Option<i64>, what: &str) -> Result<Option<(uuid::Uuid, i64)>, AppError> {
    match (id, version) {
        (None, _) => Ok(None),
        (Some(id), Some(v)) => Ok(Some((parse_id(&id, what)?, v))),
        (Some(_), None) => Err(AppError::invalid(format!("changing a {what} needs the version it was read at"))),
    }
}

/// Zones in the order they are tried, methods, and every rate table.
#[tauri::command]
#[specta::specta]
pub async fn shipping_setup(state: State<'_, AppState>) -> Result<ShippingSetup, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Logistics], "see shipping setup")?;
    Ok(shipping_setup::shipping_setup(&active.store).await?)
}

/// Creates a zone (no id) or changes one read at `version`; returns its id.
#[tauri::command]
#[specta::specta]
pub async fn save_shipping_zone(
    app: AppHandle,
    state: State<'_, AppState>,
    id: Option<String>,
    version: Option<i64>,
    spec: ZoneSpec,
) -> Result<String, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "change shipping zones")?;
    let id = shipping_setup::save_zone(&active.store, versioned(id, version, "shipping zone")?, &spec).await?;
    changed(&app);
    Ok(id.to_string())
}

/// Retires a zone and every rate table in it.
#[tauri::command]
#[specta::specta]
pub async fn retire_shipping_zone(app: AppHandle, state: State<'_, AppState>, id: String) -> Result<(), AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "remove shipping zones")?;
    shipping_setup::retire_zone(&active.store, parse_id(&id, "shipping zone")?).await?;
    changed(&app);
    Ok(())
}

/// Creates a method (no id) or changes one read at `version`; returns its id.
#[tauri::command]
#[specta::specta]
pub async fn save_shipping_method(
    app: AppHandle,
    state: State<'_, AppState>,
    id: Option<String>,
    version: Option<i64>,
    spec: MethodSpec,
) -> Result<String, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "change shipping methods")?;
    let id = shipping_setup::save_method(&active.store, versioned(id, version, "shipping method")?, &spec).await?;
    changed(&app);
    Ok(id.to_string())
}

/// Sets a method's rate table in a zone for a currency (none: no longer
/// offered there).
#[tauri::command]
#[specta::specta]
pub async fn set_shipping_rate_table(
    app: AppHandle,
    state: State<'_, AppState>,
    method_id: String,
    zone_id: String,
    currency: String,
    table: Option<RateTable>,
) -> Result<(), AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "change shipping rates")?;
    let method = parse_id(&method_id, "shipping method")?;
    let zone = parse_id(&zone_id, "shipping zone")?;
    shipping_setup::set_rate_table(&active.store, method, zone, &currency, table.as_ref()).await?;
    changed(&app);
    Ok(())
}

/// FedEx's and UPS's accounts: what is saved and whether this machine can use them.
#[tauri::command]
#[specta::specta]
pub async fn carrier_accounts(state: State<'_, AppState>) -> Result<Vec<CarrierAccountStatus>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Logistics], "see the carrier accounts")?;
    Ok(carrier_accounts::carrier_accounts(&active.store).await?)
}

/// Saves a carrier's account (checked by the core; the secret stays in each
/// machine's keychain).
#[tauri::command]
#[specta::specta]
pub async fn save_carrier_account(
    app: AppHandle,
    state: State<'_, AppState>,
    carrier: Carrier,
    settings: CarrierSettings,
) -> Result<(), AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "set up carrier accounts")?;
    if active.queues {
        return Err(AppError::new(
            ErrorKind::Offline,
            "a carrier account is saved on the central server: sign in online",
        ));
    }
    carrier_accounts::save_carrier_settings(&active.store, carrier, &settings).await?;
    changed(&app);
    Ok(())
}
