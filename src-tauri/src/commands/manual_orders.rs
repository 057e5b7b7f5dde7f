//! Orders taken by hand: the admin's order builder (variants for sale, a
//! quote as the database would write it), taking the order, and mailing its
//! Stripe payment link again.

use super::{parse_id, stripe_gateway};
use crate::error::AppError;
use crate::events::DataChanged;
use crate::state::AppState;
use marketdesk_core::domain::{Currency, Role};
use marketdesk_core::orders::manual::{self, ManualOrder, ManualOrderTaken, PaymentLink};
use marketdesk_core::orders::manual_quote::{self, ManualQuote, SellableVariant};
use marketdesk_core::orders::view::Reader;
use tauri::{AppHandle, State};
use tauri_specta::Event;

/// Who takes orders by hand.
const TAKERS: &[Role] = &[Role::Admin];

/// Variants for sale in `currency` matching `search` (SKU, product or vendor).
#[tauri::command]
#[specta::specta]
pub async fn sellable_variants(
    state: State<'_, AppState>,
    search: String,
    currency: Currency,
) -> Result<Vec<SellableVariant>, AppError> {
    let active = state.active().await?;
    active.require(TAKERS, "take orders by hand")?;
    let reader = Reader { id: active.me.id, role: active.me.role };
    Ok(manual_quote::sellable_variants(&active.store, reader, &search, currency, 20).await?)
}

/// The order as taking it now would write it, or why it would be refused.
#[tauri::command]
#[specta::specta]
pub async fn quote_manual_order(state: State<'_, AppState>, order: ManualOrder) -> Result<ManualQuote, AppError> {
    let active = state.active().await?;
    active.require(TAKERS, "take orders by hand")?;
    let reader = Reader { id: active.me.id, role: active.me.role };
    Ok(manual_quote::quote_manual_order(&active.store, reader, &order).await?)
}

/// Takes the order (its units held) and mails the customer the payment link.
#[tauri::command]
#[specta::specta]
pub async fn take_manual_order(
    app: AppHandle,
    state: State<'_, AppState>,
    order: ManualOrder,
) -> Result<ManualOrderTaken, AppError> {
    let active = state.active().await?;
    active.require(TAKERS, "take orders by hand")?;
    let reader = Reader { id: active.me.id, role: active.me.role };
    let stripe = stripe_gateway()?;
    let taken = manual::take_manual_order(&active.store, reader, &stripe, &order).await?;
    DataChanged::now("orders", Some(taken.order_id)).emit(&app).ok();
    DataChanged::now("products", None).emit(&app).ok();
    Ok(taken)
}

/// Mails the payment link of a pending order taken by hand again (a new one once expired).
#[tauri::command]
#[specta::specta]
pub async fn send_payment_link(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> Result<PaymentLink, AppError> {
    let active = state.active().await?;
    active.require(TAKERS, "send payment links")?;
    let id = parse_id(&id, "order")?;
    let reader = Reader { id: active.me.id, role: active.me.role };
    let stripe = stripe_gateway()?;
    let link = manual::send_payment_link(&active.store, reader, &stripe, id).await?;
    DataChanged::now("orders", Some(id)).emit(&app).ok();
    Ok(link)
}
