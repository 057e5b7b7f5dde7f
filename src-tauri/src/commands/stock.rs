//! Stock: a change recorded by hand with its reason (received, counted,
//! damaged …) as a movement of the log, the reasons a person may pick, and a
//! variant's history.

use super::parse_id;
use crate::error::AppError;
use crate::events::DataChanged;
use crate::state::AppState;
use marketdesk_core::catalog::stock::{StockHistorySort, StockMovement, stock_history as history};
use marketdesk_core::domain::stock::{ALL_KINDS, Direction, StockMovementKind};
use marketdesk_core::domain::{Role, new_id};
use marketdesk_core::orders::view::Reader;
use marketdesk_core::store::{Page, PageRequest};
use marketdesk_core::sync::{Mutation, Outcome, perform};
use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_specta::Event;

const KEEPERS: &[Role] = &[Role::Admin, Role::Vendor, Role::Logistics];

/// A reason a person may give for a stock change, and which way it goes.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct StockReason {
    /// The kind recorded.
    pub kind: StockMovementKind,
    /// Its name in words.
    pub label: String,
    /// "in", "out" or "either".
    pub direction: String,
}

/// The reasons for a stock change recorded by hand, in the order offered.
#[tauri::command]
#[specta::specta]
pub async fn stock_reasons() -> Result<Vec<StockReason>, AppError> {
    Ok(ALL_KINDS
        .into_iter()
        .filter(|k| k.by_hand())
        .map(|kind| StockReason {
            kind,
            label: kind.to_string(),
            direction: match kind.direction() {
                Direction::In => "in",
                Direction::Out => "out",
                Direction::Either => "either",
            }
            .into(),
        })
        .collect())
}

/// Changes a variant's stock by `delta` for `reason` (a vendor: their own
/// only) as a movement of the log; returns the new stock on hand.
#[tauri::command]
#[specta::specta]
#[allow(clippy::too_many_arguments)]
pub async fn adjust_stock(
    app: AppHandle,
    state: State<'_, AppState>,
    product_id: String,
    variant_id: String,
    delta: i32,
    reason: StockMovementKind,
    note: Option<String>,
) -> Result<i32, AppError> {
    let active = state.active().await?;
    active.require(KEEPERS, "change stock")?;
    let product = parse_id(&product_id, "product")?;
    let variant = parse_id(&variant_id, "variant")?;
    reason.check_by_hand(delta, note.as_deref()).map_err(|e| AppError::invalid(e.to_string()))?;
    if let Some(me) = active.own_vendor()
        && active.store.product(product).await?.vendor_id != me
    {
        return Err(AppError::forbidden("change other vendors' stock"));
    }
    if !active.store.variants(product).await?.iter().any(|v| v.id == variant) {
        return Err(AppError::invalid("that variant does not belong to this product"));
    }
    let change = Mutation::StockAdjustment { variant, delta, reason: Some(reason), note, movement: Some(new_id()) };
    let stock = match perform(&active.store, active.me.id, active.queues, &change).await? {
        Outcome::Stock(s) => s,
        _ => return Err(AppError::invalid("a stock change answered with a version")),
    };
    if active.queues {
        DataChanged::now("sync", None).emit(&app).ok();
    }
    DataChanged::now("products", Some(product)).emit(&app).ok();
    Ok(stock)
}

/// A page of a variant's stock movements, newest first, optionally of one kind.
#[tauri::command]
#[specta::specta]
pub async fn stock_history(
    state: State<'_, AppState>,
    variant_id: String,
    kind: Option<StockMovementKind>,
    page: PageRequest<StockHistorySort>,
) -> Result<Page<StockMovement>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Vendor, Role::Logistics, Role::Finance], "see stock movements")?;
    let variant = parse_id(&variant_id, "variant")?;
    let reader = Reader { id: active.me.id, role: active.me.role };
    Ok(history(&active.store, reader, variant, kind, &page).await?)
}
