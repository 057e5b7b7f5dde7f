//! The payout run (prepare, approve, execute through Stripe) and the ledger,
//! for finance.

use crate::error::AppError;
use crate::events::{DataChanged, ExportProgressed, PayoutProgressed};
use crate::state::AppState;
use marketdesk_core::domain::{Currency, Role};
use marketdesk_core::finance::payout_preview::PayoutPreview;
use marketdesk_core::finance::payout_runs::{self, ExecutionReport, PayoutBatch, PrepareBatch, VendorBalance};
use marketdesk_core::store::exports::{ExportFormat, ExportSummary};
use marketdesk_core::store::ledger::{AccountBalance, LedgerFilter, LedgerLine, LedgerSort};
use marketdesk_core::store::{Page, PageRequest};
use tauri::{AppHandle, State};
use tauri_specta::Event;

use super::{downloads_path, parse_id};

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

/// A page of ledger entries (a vendor: their own account's).
#[tauri::command]
#[specta::specta]
pub async fn list_ledger(
    state: State<'_, AppState>,
    mut filter: LedgerFilter,
    page: PageRequest<LedgerSort>,
) -> Result<Page<LedgerLine>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Finance, Role::Vendor], "see the ledger")?;
    if let Some(me) = active.own_vendor() {
        filter.vendor_id = Some(me);
    }
    Ok(active.store.list_ledger(&filter, &page).await?)
}

/// Every ledger account's balance (trial balance).
#[tauri::command]
#[specta::specta]
pub async fn account_balances(
    state: State<'_, AppState>,
    currency: Option<Currency>,
) -> Result<Vec<AccountBalance>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Finance], "see account balances")?;
    Ok(active.store.account_balances(currency).await?)
}

/// Exports the ledger entries matching `filter` as CSV or XLSX into the
/// Downloads folder (a vendor: their own account's); returns where it went.
/// Reports `export-progressed` under `export_id` every 10,000 rows and stops,
/// leaving no file, when `cancel_export(export_id)` asks it to.
#[tauri::command]
#[specta::specta]
pub async fn export_ledger(
    app: AppHandle,
    state: State<'_, AppState>,
    mut filter: LedgerFilter,
    format: ExportFormat,
    export_id: String,
) -> Result<ExportSummary, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Finance, Role::Vendor], "export the ledger")?;
    if let Some(me) = active.own_vendor() {
        filter.vendor_id = Some(me);
    }
    let running = state.start_export(&export_id)?;
    let path = downloads_path("marketdesk-ledger", format.extension())?;
    let progress = |rows: u64| {
        ExportProgressed { export_id: export_id.clone(), rows }.emit(&app).ok();
        !running.is_cancelled()
    };
    Ok(active.store.export_ledger(&filter, format, &path, Some(active.me.id), progress).await?)
}

/// Asks the export the UI started as `export_id` to stop; it answers as
/// cancelled and leaves no file. `false` when it had ended already.
#[tauri::command]
#[specta::specta]
pub async fn cancel_export(state: State<'_, AppState>, export_id: String) -> Result<bool, AppError> {
    state.signed_in().await?;
    Ok(state.cancel_export(&export_id))
}
