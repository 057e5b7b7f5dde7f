//! The bell: the signed-in person's own notifications, where each kind
//! reaches them, what their desktop should pop up, and an admin's
//! announcements.

use super::parse_id;
use crate::error::AppError;
use crate::events::DataChanged;
use crate::state::AppState;
use marketdesk_core::domain::Role;
use marketdesk_core::notifications::inbox::{self, Inbox, InboxItem};
use marketdesk_core::notifications::preferences::{self, Preference, PreferenceChoice};
use marketdesk_core::notifications::send::{Audience, announce};
use tauri::{AppHandle, State};
use tauri_specta::Event;

/// Notifications per page of the bell's list.
const PAGE: u32 = 50;

/// A page of the signed-in person's notifications, newest first (only the
/// unread ones when asked), with their unread count.
#[tauri::command]
#[specta::specta]
pub async fn notifications(
    state: State<'_, AppState>,
    unread_only: bool,
    after: Option<String>,
) -> Result<Inbox, AppError> {
    let active = state.active().await?;
    Ok(inbox::inbox(&active.store, active.me.id, unread_only, PAGE, after.as_deref()).await?)
}

/// How many of the signed-in person's notifications are unread.
#[tauri::command]
#[specta::specta]
pub async fn unread_notifications(state: State<'_, AppState>) -> Result<u32, AppError> {
    let active = state.active().await?;
    Ok(inbox::unread_count(&active.store, active.me.id).await?)
}

/// Marks some of the signed-in person's notifications read; returns how many.
#[tauri::command]
#[specta::specta]
pub async fn mark_notifications_read(
    app: AppHandle,
    state: State<'_, AppState>,
    ids: Vec<String>,
) -> Result<u32, AppError> {
    let active = state.active().await?;
    let ids = ids.iter().map(|id| parse_id(id, "notification")).collect::<Result<Vec<_>, _>>()?;
    let n = inbox::mark_read(&active.store, active.me.id, &ids).await?;
    DataChanged::now("notifications", None).emit(&app).ok();
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Marks every unread notification of the signed-in person read; returns how many.
#[tauri::command]
#[specta::specta]
pub async fn mark_all_notifications_read(app: AppHandle, state: State<'_, AppState>) -> Result<u32, AppError> {
    let active = state.active().await?;
    let n = inbox::mark_all_read(&active.store, active.me.id).await?;
    DataChanged::now("notifications", None).emit(&app).ok();
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// What this desktop should show now as alerts: each one once, whichever
/// of the person's windows asks first.
#[tauri::command]
#[specta::specta]
pub async fn desktop_alerts(state: State<'_, AppState>) -> Result<Vec<InboxItem>, AppError> {
    let active = state.active().await?;
    Ok(inbox::take_desktop_alerts(&active.store, active.me.id).await?)
}

/// Where each kind the signed-in person hears of reaches them now.
#[tauri::command]
#[specta::specta]
pub async fn notification_preferences(state: State<'_, AppState>) -> Result<Vec<Preference>, AppError> {
    let active = state.active().await?;
    Ok(preferences::preferences(&active.store, active.me.id, active.me.role).await?)
}

/// Saves the signed-in person's choice for one kind; returns them all again.
#[tauri::command]
#[specta::specta]
pub async fn set_notification_preference(
    state: State<'_, AppState>,
    choice: PreferenceChoice,
) -> Result<Vec<Preference>, AppError> {
    let active = state.active().await?;
    preferences::set_preference(&active.store, active.me.id, active.me.role, choice).await?;
    Ok(preferences::preferences(&active.store, active.me.id, active.me.role).await?)
}

/// Puts every kind back to the role's defaults; returns them all again.
#[tauri::command]
#[specta::specta]
pub async fn reset_notification_preferences(state: State<'_, AppState>) -> Result<Vec<Preference>, AppError> {
    let active = state.active().await?;
    preferences::reset_preferences(&active.store, active.me.id).await?;
    Ok(preferences::preferences(&active.store, active.me.id, active.me.role).await?)
}

/// An admin's announcement to one role (`None`: everyone); returns how many
/// notifications it wrote (people × channels).
#[tauri::command]
#[specta::specta]
pub async fn announce_to(
    app: AppHandle,
    state: State<'_, AppState>,
    role: Option<Role>,
    title: String,
    body: String,
) -> Result<u32, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "send announcements")?;
    let to = role.map(Audience::Role).unwrap_or(Audience::Everyone);
    let n = announce(&active.store, active.me.id, active.me.role, to, &title, &body).await?;
    DataChanged::now("notifications", None).emit(&app).ok();
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}
