//! Orders: the list every role but customers works from, one order's detail,
//! and moving an order along its lifecycle.

use super::parse_id;
use crate::error::AppError;
use crate::events::DataChanged;
use crate::state::AppState;
use marketdesk_core::domain::{OrderStatus, Role};
use marketdesk_core::orders::cancel::{CancelOrder, Cancellation};
use marketdesk_core::orders::list::orders_for;
use marketdesk_core::orders::timeline::{self, TimelineEntry};
use marketdesk_core::orders::view::{Reader, order_for};
use marketdesk_core::store::orders::{Order, OrderDetail, OrderFilter, OrderSort};
use marketdesk_core::store::{Page, PageRequest};
use marketdesk_core::sync::perform;
use marketdesk_core::sync::{Mutation, Outcome};
use tauri::{AppHandle, State};
use tauri_specta::Event;

/// Who may see orders; a vendor sees only orders holding their items.
const READERS: &[Role] = &[Role::Admin, Role::Finance, Role::Logistics, Role::Vendor];

/// A page of the orders the signed-in person may see (a vendor: those
/// holding their lines, with their share), filtered, searched and sorted by
/// the core.
#[tauri::command]
#[specta::specta]
pub async fn list_orders(
    state: State<'_, AppState>,
    filter: OrderFilter,
    page: PageRequest<OrderSort>,
) -> Result<Page<Order>, AppError> {
    let active = state.active().await?;
    active.require(READERS, "see orders")?;
    let reader = Reader { id: active.me.id, role: active.me.role };
    Ok(orders_for(&active.store, reader, &filter, &page).await?)
}

/// One order with its lines as the signed-in person may see it (a vendor:
/// only their own lines), with the moves they may make now.
#[tauri::command]
#[specta::specta]
pub async fn order_detail(state: State<'_, AppState>, id: String) -> Result<OrderDetail, AppError> {
    let active = state.active().await?;
    active.require(READERS, "see orders")?;
    let id = parse_id(&id, "order")?;
    let reader = Reader { id: active.me.id, role: active.me.role };
    Ok(order_for(&active.store, reader, id).await?)
}

/// Moves an order to `status` if it is still at `version` and the signed-in
/// person's role makes that move; returns the new version.
#[tauri::command]
#[specta::specta]
pub async fn set_order_status(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    version: i64,
    status: OrderStatus,
) -> Result<i64, AppError> {
    let active = state.active().await?;
    active.require(OrderStatus::MOVED_BY, "change an order's status")?;
    let id = parse_id(&id, "order")?;
    let change = Mutation::OrderStatus { order: id, version, to: status };
    let outcome = perform(&active.store, active.me.id, active.queues, &change).await?;
    changed(&app, active.queues, id);
    Ok(outcome.version().unwrap_or(version + 1))
}

/// Cancels an order, or one vendor's part of it: its units go back on the
/// shelf, the buyer and vendors are mailed, and what was paid is due back
/// through finance's refund. Offline, it is queued and decided again by the
/// server at sync.
#[tauri::command]
#[specta::specta]
pub async fn cancel_order(
    app: AppHandle,
    state: State<'_, AppState>,
    cancel: CancelOrder,
) -> Result<Cancellation, AppError> {
    let active = state.active().await?;
    active.require(OrderStatus::CANCELLED_BY, "cancel orders")?;
    let change = Mutation::CancelOrder {
        order: cancel.order_id,
        version: cancel.version,
        vendor: cancel.vendor_id,
        reason: cancel.reason,
        note: cancel.note,
    };
    let outcome = perform(&active.store, active.me.id, active.queues, &change).await?;
    changed(&app, active.queues, cancel.order_id);
    match outcome {
        Outcome::Cancelled(done) => Ok(done),
        _ => Err(AppError::invalid("a cancellation answered with something else")),
    }
}

/// What happened to an order, oldest first, as the signed-in person may see it.
#[tauri::command]
#[specta::specta]
pub async fn order_timeline(state: State<'_, AppState>, id: String) -> Result<Vec<TimelineEntry>, AppError> {
    let active = state.active().await?;
    active.require(READERS, "see orders")?;
    let id = parse_id(&id, "order")?;
    let reader = Reader { id: active.me.id, role: active.me.role };
    Ok(timeline::order_timeline(&active.store, reader, id).await?)
}

/// Adds the signed-in staff member's internal note to an order.
#[tauri::command]
#[specta::specta]
pub async fn add_order_note(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    body: String,
) -> Result<String, AppError> {
    let active = state.active().await?;
    active.require(timeline::NOTE_READERS, "write notes on orders")?;
    let id = parse_id(&id, "order")?;
    let reader = Reader { id: active.me.id, role: active.me.role };
    let note = timeline::add_note(&active.store, reader, id, &body).await?;
    DataChanged::now("orders", Some(id)).emit(&app).ok();
    Ok(note.to_string())
}

fn changed(app: &AppHandle, queued: bool, order: uuid::Uuid) {
    if queued {
        DataChanged::now("sync", None).emit(app).ok();
    }
    DataChanged::now("orders", Some(order)).emit(app).ok();
    DataChanged::now("products", None).emit(app).ok();
}
