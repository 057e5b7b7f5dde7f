//! Disputes between buyers and vendors, with their message threads.

use super::parse_id;
use crate::error::AppError;
use crate::state::AppState;
use marketdesk_core::domain::Role;
use marketdesk_core::store::disputes::{Dispute, DisputeFilter, DisputeMessage, DisputeSort};
use marketdesk_core::store::{Page, PageRequest};
use tauri::State;

/// A page of disputes (a vendor: those they are party to).
#[tauri::command]
#[specta::specta]
pub async fn list_disputes(
    state: State<'_, AppState>,
    mut filter: DisputeFilter,
    page: PageRequest<DisputeSort>,
) -> Result<Page<Dispute>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Vendor], "see disputes")?;
    if let Some(me) = active.own_vendor() {
        filter.vendor_id = Some(me);
    }
    Ok(active.store.list_disputes(&filter, &page).await?)
}

/// A dispute's thread, oldest first (a vendor never sees internal notes).
#[tauri::command]
#[specta::specta]
pub async fn dispute_messages(state: State<'_, AppState>, dispute_id: String) -> Result<Vec<DisputeMessage>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Vendor], "see disputes")?;
    let id = parse_id(&dispute_id, "dispute")?;
    let mut messages = active.store.dispute_messages(id).await?;
    if active.own_vendor().is_some() {
        messages.retain(|m| !m.is_internal);
    }
    Ok(messages)
}
