//! The audit trail, for admins.

use crate::error::AppError;
use crate::state::AppState;
use marketdesk_core::domain::Role;
use marketdesk_core::store::audit::{AuditEntry, AuditFilter, AuditSort};
use marketdesk_core::store::{Page, PageRequest};
use tauri::State;

/// A page of the audit trail (admins only), filtered by actor, action prefix,
/// table, row and time range.
#[tauri::command]
#[specta::specta]
pub async fn list_audit(
    state: State<'_, AppState>,
    filter: AuditFilter,
    page: PageRequest<AuditSort>,
) -> Result<Page<AuditEntry>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "read the audit trail")?;
    Ok(active.store.list_audit(&filter, &page).await?)
}
