//! The dashboards (admins and finance: the marketplace or one vendor; a
//! vendor: its own), the rows behind a figure, the recorded business events,
//! and the Google Analytics opt-in — each a call into the core's analytics.

use crate::error::AppError;
use crate::state::{Active, AppState};
use marketdesk_core::analytics::dashboard::{Dashboard, DashboardQuery, MetricKey, dashboard as figures, scope_for};
use marketdesk_core::analytics::drill::{DrillPage, drill};
use marketdesk_core::analytics::events::{EventFilter, EventRow, list_events};
use marketdesk_core::analytics::ga4_outbox::{Ga4Settings, OutboxCounts, configure, counts, settings};
use marketdesk_core::domain::Role;
use marketdesk_core::orders::view::Reader;
use serde::Serialize;
use tauri::State;

fn scoped(active: &Active, query: &DashboardQuery) -> Result<DashboardQuery, AppError> {
    active.require(&[Role::Admin, Role::Finance, Role::Vendor], "see the dashboard")?;
    Ok(scope_for(&Reader { id: active.me.id, role: active.me.role }, query)?)
}

/// The figures of a period beside the one before it.
#[tauri::command]
#[specta::specta]
pub async fn business_dashboard(state: State<'_, AppState>, query: DashboardQuery) -> Result<Dashboard, AppError> {
    let active = state.active().await?;
    let query = scoped(&active, &query)?;
    Ok(figures(&active.store, &query).await?)
}

/// A page of the rows behind one figure.
#[tauri::command]
#[specta::specta]
pub async fn dashboard_rows(
    state: State<'_, AppState>,
    query: DashboardQuery,
    metric: MetricKey,
    offset: u32,
    limit: u32,
) -> Result<DrillPage, AppError> {
    let active = state.active().await?;
    let query = scoped(&active, &query)?;
    Ok(drill(&active.store, &query, metric, offset, limit).await?)
}

/// The Google Analytics set-up and its outbox, for the dashboard's footer.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AnalyticsStatus {
    /// Opted in, and to which stream.
    pub settings: Ga4Settings,
    /// Events by outbox state.
    pub counts: OutboxCounts,
}

/// Recorded business events, newest first (admins and finance, online).
#[tauri::command]
#[specta::specta]
pub async fn analytics_events(
    state: State<'_, AppState>,
    filter: EventFilter,
    limit: u32,
) -> Result<Vec<EventRow>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Finance], "read the business events")?;
    Ok(list_events(&active.store, &filter, limit).await?)
}

/// Where Google Analytics stands (admins).
#[tauri::command]
#[specta::specta]
pub async fn analytics_status(state: State<'_, AppState>) -> Result<AnalyticsStatus, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "see the Google Analytics set-up")?;
    Ok(AnalyticsStatus { settings: settings(&active.store).await?, counts: counts(&active.store).await? })
}

/// Turns Google Analytics on or off for the marketplace (admins).
#[tauri::command]
#[specta::specta]
pub async fn set_analytics(
    state: State<'_, AppState>,
    enabled: bool,
    measurement_id: Option<String>,
) -> Result<AnalyticsStatus, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "turn Google Analytics on or off")?;
    let settings = configure(&active.store, enabled, measurement_id.as_deref()).await?;
    Ok(AnalyticsStatus { settings, counts: counts(&active.store).await? })
}
