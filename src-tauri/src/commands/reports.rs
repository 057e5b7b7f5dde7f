//! Reports: the revenue dashboard's report; finance reports run as a table,
//! exported to the Downloads folder, saved and shared; the history of runs;
//! vendors' statements.

use super::{downloads_path, parse_id};
use crate::error::AppError;
use crate::state::AppState;
use marketdesk_core::documents::spreadsheet::ExportFormat;
use marketdesk_core::domain::Role;
use marketdesk_core::finance::exports::ExportSummary;
use marketdesk_core::store::marketplace_reports::ReportQuery;
use marketdesk_core::store::report_table::{ReportSort, ReportTable};
use marketdesk_core::store::reports::{RevenueQuery, RevenueReport};
use marketdesk_core::store::saved_reports::{ReportRun, SaveReport, SavedReport};
use marketdesk_core::store::statements::{StatementQuery, VendorStatement};
use tauri::State;

/// Who may run, save and export the marketplace reports.
const READERS: &[Role] = &[Role::Admin, Role::Finance];

/// Runs a report (commissions, orders, top products, payout reconciliation, new users),
/// its rows in `sort`'s order when a header was clicked.
#[tauri::command]
#[specta::specta]
pub async fn run_report(
    state: State<'_, AppState>,
    query: ReportQuery,
    sort: Option<ReportSort>,
) -> Result<ReportTable, AppError> {
    let active = state.active().await?;
    active.require(READERS, "run reports")?;
    Ok(active.store.run_report_sorted(&query, sort.as_ref()).await?)
}

/// Writes a report as CSV or XLSX into the Downloads folder; returns where it went.
#[tauri::command]
#[specta::specta]
pub async fn export_report(
    state: State<'_, AppState>,
    query: ReportQuery,
    format: ExportFormat,
) -> Result<ExportSummary, AppError> {
    let active = state.active().await?;
    active.require(READERS, "export reports")?;
    let path = downloads_path(&format!("marketdesk-{}", query.kind.as_str()), format.extension())?;
    Ok(active.store.export_report(&query, format, &path, Some(active.me.id)).await?)
}

/// The saved reports the signed-in person may run: their own and shared ones.
#[tauri::command]
#[specta::specta]
pub async fn saved_reports(state: State<'_, AppState>) -> Result<Vec<SavedReport>, AppError> {
    let active = state.active().await?;
    active.require(READERS, "see saved reports")?;
    Ok(active.store.saved_reports(active.me.id).await?)
}

/// Saves a new report definition or changes one of the signed-in person's own.
#[tauri::command]
#[specta::specta]
pub async fn save_report(state: State<'_, AppState>, input: SaveReport) -> Result<SavedReport, AppError> {
    let active = state.active().await?;
    active.require(READERS, "save reports")?;
    Ok(active.store.save_report(active.me.id, &input).await?)
}

/// Deletes one of the signed-in person's saved reports.
#[tauri::command]
#[specta::specta]
pub async fn delete_saved_report(state: State<'_, AppState>, id: String, version: i64) -> Result<(), AppError> {
    let active = state.active().await?;
    active.require(READERS, "delete saved reports")?;
    let id = parse_id(&id, "report")?;
    Ok(active.store.delete_saved_report(active.me.id, id, version).await?)
}

/// The signed-in person's latest report runs and exports (admins: everyone's).
#[tauri::command]
#[specta::specta]
pub async fn report_runs(state: State<'_, AppState>) -> Result<Vec<ReportRun>, AppError> {
    let active = state.active().await?;
    active.require(READERS, "see report runs")?;
    let who = (active.me.role != Role::Admin).then_some(active.me.id);
    Ok(active.store.report_runs(who, 50).await?)
}

/// A vendor's statement for a period: opening balance, every movement, closing
/// balance (a vendor: their own).
#[tauri::command]
#[specta::specta]
pub async fn vendor_statement(
    state: State<'_, AppState>,
    mut query: StatementQuery,
) -> Result<VendorStatement, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Finance, Role::Vendor], "see vendor statements")?;
    if let Some(me) = active.own_vendor() {
        query.vendor_id = me;
    }
    Ok(active.store.vendor_statement(&query).await?)
}

/// Writes a vendor's statement as a PDF into the Downloads folder (a vendor: their own).
#[tauri::command]
#[specta::specta]
pub async fn export_vendor_statement(
    state: State<'_, AppState>,
    mut query: StatementQuery,
) -> Result<ExportSummary, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Finance, Role::Vendor], "export vendor statements")?;
    if let Some(me) = active.own_vendor() {
        query.vendor_id = me;
    }
    let path = downloads_path("marketdesk-statement", "pdf")?;
    Ok(active.store.export_vendor_statement(&query, &path, Some(active.me.id)).await?)
}

/// Gross, commission, refunds and orders by period, with the top vendors and
/// categories (a vendor: their own sales only).
#[tauri::command]
#[specta::specta]
pub async fn revenue_report(state: State<'_, AppState>, mut query: RevenueQuery) -> Result<RevenueReport, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Finance, Role::Vendor], "see revenue")?;
    if let Some(me) = active.own_vendor() {
        query.vendor_id = Some(me);
    }
    Ok(active.store.revenue_report(&query).await?)
}
