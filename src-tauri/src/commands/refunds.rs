//! Refunds on an order, through Stripe, for finance.

use crate::error::AppError;
use crate::events::DataChanged;
use crate::state::AppState;
use marketdesk_core::domain::Role;
use marketdesk_core::finance::refunds::{RefundOrder, RefundOutcome, RefundRow};
use tauri::{AppHandle, State};
use tauri_specta::Event;

use super::parse_id;

/// Refunds units of an order's lines through Stripe (online, finance only);
/// first finishes any refund of the order left pending.
#[tauri::command]
#[specta::specta]
pub async fn refund_order(
    app: AppHandle,
    state: State<'_, AppState>,
    request: RefundOrder,
) -> Result<RefundOutcome, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Finance], "refund orders")?;
    let gateway = super::stripe_gateway()?;
    let outcome = active.store.refund_order(&request, Some(active.me.id), &gateway).await?;
    DataChanged::now("orders", Some(request.order_id)).emit(&app).ok();
    Ok(outcome)
}

/// The refunds of an order, oldest first.
#[tauri::command]
#[specta::specta]
pub async fn order_refunds(state: State<'_, AppState>, order_id: String) -> Result<Vec<RefundRow>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Finance], "see refunds")?;
    let id = parse_id(&order_id, "order")?;
    Ok(active.store.order_refunds(id).await?)
}
