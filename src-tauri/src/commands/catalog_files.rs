//! The catalog as CSV files: a product file or a stock count checked (a dry
//! run that reports every problem by line and column) and applied, all or
//! nothing; and any filtered product list exported in the shape the import
//! reads. Imports run against the server: a bulk change is written at once
//! or not at all, never queued row by row on an offline copy.

use crate::error::AppError;
use crate::events::DataChanged;
use crate::state::AppState;
use marketdesk_core::catalog::import_products::import_products;
use marketdesk_core::catalog::import_report::{ImportMode, ImportReport};
use marketdesk_core::catalog::import_stock::import_stock;
use marketdesk_core::catalog::product_csv::{CatalogExport, export_products};
use marketdesk_core::domain::Role;
use marketdesk_core::orders::view::Reader;
use marketdesk_core::store::StoreError;
use marketdesk_core::store::products::ProductFilter;
use serde::Deserialize;
use tauri::{AppHandle, State};
use tauri_specta::Event;

/// Which kind of file is imported.
#[derive(Debug, Clone, Copy, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum CatalogFile {
    /// Products, one row per variant (as the export writes them).
    Products,
    /// A stock count: SKU and units counted per row.
    StockCount,
}

/// Checks (`apply` false) or applies the CSV file `name` whose bytes are
/// `content` (base64) as a `kind` import; returns the report either way.
#[tauri::command]
#[specta::specta]
pub async fn import_catalog(
    app: AppHandle,
    state: State<'_, AppState>,
    kind: CatalogFile,
    name: String,
    content: String,
    apply: bool,
) -> Result<ImportReport, AppError> {
    let active = state.active().await?;
    let roles: &[Role] = match kind {
        CatalogFile::Products => &[Role::Admin, Role::Vendor],
        CatalogFile::StockCount => &[Role::Admin, Role::Vendor, Role::Logistics],
    };
    active.require(roles, "import this file")?;
    if active.queues {
        return Err(
            StoreError::OnlineOnly("a CSV import is written to the server at once: connect first".into()).into()
        );
    }
    let bytes = super::arrived_whole(&content, "the file")?;
    let reader = Reader { id: active.me.id, role: active.me.role };
    let mode = if apply { ImportMode::Apply } else { ImportMode::DryRun };
    let report = match kind {
        CatalogFile::Products => import_products(&active.store, reader, &name, bytes.as_slice(), mode).await?,
        CatalogFile::StockCount => import_stock(&active.store, reader, &name, bytes.as_slice(), mode).await?,
    };
    if report.applied {
        DataChanged::now("products", None).emit(&app).ok();
    }
    Ok(report)
}

/// Writes every product matching `filter` that this person may see to a CSV
/// file in Downloads, in the shape the import reads.
#[tauri::command]
#[specta::specta]
pub async fn export_catalog(state: State<'_, AppState>, filter: ProductFilter) -> Result<CatalogExport, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Vendor, Role::Logistics, Role::Finance], "export the catalog")?;
    let path = super::downloads_path("marketdesk-products", "csv")?;
    let reader = Reader { id: active.me.id, role: active.me.role };
    Ok(export_products(&active.store, reader, &filter, &path).await?)
}
