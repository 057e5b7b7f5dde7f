//! Money: payouts and the revenue report.

use crate::error::AppError;
use crate::state::AppState;
use marketdesk_core::domain::Role;
use marketdesk_core::store::payouts::{Payout, PayoutFilter, PayoutSort};
use marketdesk_core::store::reports::{RevenueQuery, RevenueReport};
use marketdesk_core::store::vendors::{Earnings, VendorSubscription};
use marketdesk_core::store::{Page, PageRequest};
use tauri::State;

/// A page of payouts (a vendor: their own).
#[tauri::command]
#[specta::specta]
pub async fn list_payouts(
    state: State<'_, AppState>,
    mut filter: PayoutFilter,
    page: PageRequest<PayoutSort>,
) -> Result<Page<Payout>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Finance, Role::Vendor], "see payouts")?;
    if let Some(me) = active.own_vendor() {
        filter.vendor_id = Some(me);
    }
    Ok(active.store.list_payouts(&filter, &page).await?)
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

/// The signed-in vendor's earnings per currency.
#[tauri::command]
#[specta::specta]
pub async fn vendor_earnings(state: State<'_, AppState>) -> Result<Vec<Earnings>, AppError> {
    let active = state.active().await?;
    let me = active.own_vendor().ok_or_else(|| AppError::forbidden("see a vendor's earnings"))?;
    Ok(active.store.vendor_earnings(me).await?)
}

/// The signed-in vendor's current subscription, if any.
#[tauri::command]
#[specta::specta]
pub async fn my_subscription(state: State<'_, AppState>) -> Result<Option<VendorSubscription>, AppError> {
    let active = state.active().await?;
    let me = active.own_vendor().ok_or_else(|| AppError::forbidden("see a vendor's subscription"))?;
    Ok(active.store.vendor_subscription(me).await?)
}
