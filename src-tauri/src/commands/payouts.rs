//! Payouts: the list of payouts, and the payout run (vendor balances, what a
//! batch would pay, prepare, approve, execute through Stripe) for finance.

use super::parse_id;
use crate::error::AppError;
use crate::events::{DataChanged, PayoutProgressed};
use crate::state::AppState;
use marketdesk_core::domain::{Currency, Role};
use marketdesk_core::finance::payout_preview::PayoutPreview;
use marketdesk_core::finance::payout_runs::{self, ExecutionReport, PayoutBatch, PrepareBatch, VendorBalance};
use marketdesk_core::store::payouts::{Payout, PayoutFilter, PayoutSort};
use marketdesk_core::store::{Page, PageRequest};
use tauri::{AppHandle, State};
use tauri_specta::Event;

/// What each vendor is owed, holds and may be paid now (a vendor: their own).
#[tauri::command]
#[specta::specta]
pub async fn vendor_balances(
    state: State<'_, AppState>,
    currency: Option<Currency>,
) -> Result<Vec<VendorBalance>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Finance, Role::Vendor], "see vendor balances")?;
    Ok(active.store.vendor_balances(currency, active.own_vendor()).await?)
}

/// What a batch prepared now for `request` would pay: whom, how much, and
/// how many Stripe cannot pay yet (admins and finance).
#[tauri::command]
#[specta::specta]
pub async fn payout_preview(state: State<'_, AppState>, request: PrepareBatch) -> Result<PayoutPreview, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Finance], "preview a payout batch")?;
    Ok(active.store.payout_preview(&request).await?)
}

/// Recent payout batches, newest first.
#[tauri::command]
#[specta::specta]
pub async fn list_payout_batches(state: State<'_, AppState>) -> Result<Vec<PayoutBatch>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Finance], "see payout batches")?;
    Ok(active.store.payout_batches(200).await?)
}

/// Proposes a payout to every vendor with enough available (works offline).
#[tauri::command]
#[specta::specta]
pub async fn prepare_payout_batch(
    app: AppHandle,
    state: State<'_, AppState>,
    request: PrepareBatch,
) -> Result<PayoutBatch, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Finance], "prepare payouts")?;
    let batch = active.store.prepare_payout_batch(&request, active.me.id).await?;
    DataChanged::now("payouts", Some(batch.id)).emit(&app).ok();
    Ok(batch)
}

/// Approves a draft batch (a second finance person too, with four-eyes on).
#[tauri::command]
#[specta::specta]
pub async fn approve_payout_batch(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    version: i64,
) -> Result<PayoutBatch, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Finance], "approve payouts")?;
    let id = parse_id(&id, "payout batch")?;
    let batch = active.store.approve_payout_batch(id, active.me.id, version).await?;
    DataChanged::now("payouts", Some(id)).emit(&app).ok();
    Ok(batch)
}

/// Cancels a batch not yet executed; the money stays owed.
#[tauri::command]
#[specta::specta]
pub async fn cancel_payout_batch(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    version: i64,
) -> Result<PayoutBatch, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Finance], "cancel payouts")?;
    let id = parse_id(&id, "payout batch")?;
    let batch = active.store.cancel_payout_batch(id, version).await?;
    DataChanged::now("payouts", Some(id)).emit(&app).ok();
    Ok(batch)
}

/// Pays an approved batch through Stripe, online only. Each payout's outcome
/// arrives as a `PayoutProgressed` event while it runs.
#[tauri::command]
#[specta::specta]
pub async fn execute_payout_batch(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> Result<ExecutionReport, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Finance], "execute payouts")?;
    let id = parse_id(&id, "payout batch")?;
    let gateway = super::stripe_gateway()?;
    let worker = payout_runs::desktop_worker(&active.me.username);
    let report = active
        .store
        .execute_payout_batch(id, &worker, Some(active.me.id), &gateway, |p| {
            PayoutProgressed { progress: p.clone() }.emit(&app).ok();
        })
        .await?;
    DataChanged::now("payouts", Some(id)).emit(&app).ok();
    Ok(report)
}

/// A page of payouts (a vendor: their own).
#[tauri::command]
#[specta::specta]
pub async fn list_payouts(
    state: State<'_, AppState>,
    mut filter: PayoutFilter,
    page: PageRequest<PayoutSort>,
) -> Result<Page<Payout>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Finance, Role::Vendor], "see payouts")?;
    if let Some(me) = active.own_vendor() {
        filter.vendor_id = Some(me);
    }
    Ok(active.store.list_payouts(&filter, &page).await?)
}
