//! Vendors' subscriptions to the platform's plans, billed through Stripe:
//! admins subscribe vendors, move them between plans and end or renew their
//! subscriptions (online only); vendors read their own.

use super::parse_id;
use crate::error::AppError;
use crate::events::DataChanged;
use crate::state::AppState;
use marketdesk_core::domain::Role;
use marketdesk_core::finance::subscriptions::{Plan, VendorPlan, VendorPlanFilter, VendorPlanList};
use marketdesk_core::store::vendors::VendorSubscription;
use tauri::{AppHandle, State};
use tauri_specta::Event;

/// The plans, those offered first, cheapest first.
#[tauri::command]
#[specta::specta]
pub async fn subscription_plans(state: State<'_, AppState>) -> Result<Vec<Plan>, AppError> {
    let active = state.active().await?;
    Ok(active.store.subscription_plans().await?)
}

/// The vendors `filter` lets through and their live subscription, with how
/// many vendors there are and are on a plan (admin and finance).
#[tauri::command]
#[specta::specta]
pub async fn vendor_plans(state: State<'_, AppState>, filter: VendorPlanFilter) -> Result<VendorPlanList, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Finance], "see vendors' subscriptions")?;
    Ok(active.store.vendor_plans(&filter).await?)
}

/// Subscribes a vendor to `plan` through Stripe; Stripe mails the invoices (admins, online).
#[tauri::command]
#[specta::specta]
pub async fn subscribe_vendor(
    app: AppHandle,
    state: State<'_, AppState>,
    vendor_id: String,
    plan: String,
) -> Result<VendorPlan, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "subscribe vendors to plans")?;
    let vendor = parse_id(&vendor_id, "vendor")?;
    let done = active.store.subscribe_vendor(&super::stripe_gateway()?, vendor, &plan).await?;
    DataChanged::now("subscriptions", None).emit(&app).ok();
    Ok(done)
}

/// Moves a vendor to another plan, prorated (admins, online).
#[tauri::command]
#[specta::specta]
pub async fn change_vendor_plan(
    app: AppHandle,
    state: State<'_, AppState>,
    vendor_id: String,
    plan: String,
    expected_version: i64,
) -> Result<VendorPlan, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "change vendors' plans")?;
    let vendor = parse_id(&vendor_id, "vendor")?;
    let done = active.store.change_vendor_plan(&super::stripe_gateway()?, vendor, &plan, expected_version).await?;
    DataChanged::now("subscriptions", None).emit(&app).ok();
    Ok(done)
}

/// Sets a vendor's subscription to end with its period (`end`), or to renew again (admins, online).
#[tauri::command]
#[specta::specta]
pub async fn set_vendor_plan_ending(
    app: AppHandle,
    state: State<'_, AppState>,
    vendor_id: String,
    end: bool,
    expected_version: i64,
) -> Result<VendorPlan, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "end or renew vendors' subscriptions")?;
    let vendor = parse_id(&vendor_id, "vendor")?;
    let done = active.store.set_vendor_plan_ending(&super::stripe_gateway()?, vendor, end, expected_version).await?;
    DataChanged::now("subscriptions", None).emit(&app).ok();
    Ok(done)
}

/// The signed-in vendor's current subscription, if any.
#[tauri::command]
#[specta::specta]
pub async fn my_subscription(state: State<'_, AppState>) -> Result<Option<VendorSubscription>, AppError> {
    let active = state.active().await?;
    let me = active.own_vendor().ok_or_else(|| AppError::forbidden("see a vendor's subscription"))?;
    Ok(active.store.vendor_subscription(me).await?)
}
