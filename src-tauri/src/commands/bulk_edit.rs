//! One change to every product of the list as filtered now: previewed (how
//! many products and variants change, which cannot and why) and then
//! applied to the number the person confirmed, all or nothing. Like the CSV
//! imports it is written to the server at once, never queued offline.

use crate::error::AppError;
use crate::events::DataChanged;
use crate::state::AppState;
use marketdesk_core::catalog::bulk_edit::{BulkChange, BulkReport, bulk_edit};
use marketdesk_core::catalog::import_report::ImportMode;
use marketdesk_core::domain::Role;
use marketdesk_core::orders::view::Reader;
use marketdesk_core::store::StoreError;
use marketdesk_core::store::products::ProductFilter;
use tauri::{AppHandle, State};
use tauri_specta::Event;

/// Previews `change` over every product matching `filter` (`apply` false),
/// or makes it when `expected` is the number of products the preview matched.
#[tauri::command]
#[specta::specta]
pub async fn bulk_edit_products(
    app: AppHandle,
    state: State<'_, AppState>,
    filter: ProductFilter,
    change: BulkChange,
    apply: bool,
    expected: Option<u64>,
) -> Result<BulkReport, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Vendor, Role::Logistics], "change products in bulk")?;
    if active.queues {
        return Err(
            StoreError::OnlineOnly("a bulk change is written to the server at once: connect first".into()).into()
        );
    }
    let reader = Reader { id: active.me.id, role: active.me.role };
    let mode = if apply { ImportMode::Apply } else { ImportMode::DryRun };
    let report = bulk_edit(&active.store, reader, &filter, &change, mode, expected).await?;
    if report.applied {
        DataChanged::now("products", None).emit(&app).ok();
    }
    Ok(report)
}
