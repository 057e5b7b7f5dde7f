//! Reconciliation with Stripe's events: finance pulls what happened at Stripe
//! since the last run, sees what each event did, and resolves those that need
//! a person (online only).

use crate::error::AppError;
use crate::events::{DataChanged, StripeSyncProgressed};
use crate::state::AppState;
use marketdesk_core::domain::Role;
use marketdesk_core::finance::stripe_events::{ReconcileReport, StripeEventRow};
use tauri::{AppHandle, State};
use tauri_specta::Event;

use super::parse_id;

/// Applies Stripe's events since the last run, each once; the running totals
/// arrive as `StripeSyncProgressed` events.
#[tauri::command]
#[specta::specta]
pub async fn reconcile_stripe_events(app: AppHandle, state: State<'_, AppState>) -> Result<ReconcileReport, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Finance], "reconcile with Stripe")?;
    let gateway = super::stripe_gateway()?;
    let report = active
        .store
        .reconcile_stripe_events(&gateway, Some(active.me.id), |r| {
            StripeSyncProgressed { report: r.clone() }.emit(&app).ok();
        })
        .await?;
    if report.applied > 0 {
        for entity in ["payouts", "orders", "disputes", "subscriptions"] {
            DataChanged::now(entity, None).emit(&app).ok();
        }
    }
    Ok(report)
}

/// The latest Stripe events and what each did; only those awaiting finance
/// when `attention_only`.
#[tauri::command]
#[specta::specta]
pub async fn stripe_events(
    state: State<'_, AppState>,
    attention_only: bool,
    limit: u32,
) -> Result<Vec<StripeEventRow>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Finance], "see Stripe's events")?;
    Ok(active.store.stripe_events(attention_only, limit).await?)
}

/// Marks an event that needed attention as resolved, saying how.
#[tauri::command]
#[specta::specta]
pub async fn resolve_stripe_event(
    state: State<'_, AppState>,
    id: String,
    how: String,
) -> Result<StripeEventRow, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Finance], "resolve Stripe events")?;
    let id = parse_id(&id, "Stripe event")?;
    Ok(active.store.resolve_stripe_event(id, &how, active.me.id).await?)
}
