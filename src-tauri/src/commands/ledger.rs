//! The ledger for finance: its lines, account balances and the cancellable export.

use super::downloads_path;
use crate::error::AppError;
use crate::events::ExportProgressed;
use crate::state::AppState;
use marketdesk_core::documents::spreadsheet::ExportFormat;
use marketdesk_core::domain::{Currency, Role};
use marketdesk_core::finance::exports::ExportSummary;
use marketdesk_core::store::ledger::{AccountBalance, LedgerFilter, LedgerLine, LedgerSort};
use marketdesk_core::store::{Page, PageRequest};
use tauri::{AppHandle, State};
use tauri_specta::Event;

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
