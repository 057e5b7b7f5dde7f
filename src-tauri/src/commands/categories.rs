//! The category tree: read by everyone who files products, kept by admins
//! (add, rename, move, merge, archive), offline too.

use crate::error::AppError;
use crate::events::DataChanged;
use crate::state::AppState;
use marketdesk_core::catalog::categories::{CategoryChange, CategoryNode};
use marketdesk_core::domain::Role;
use marketdesk_core::sync::{Mutation, perform};
use tauri::{AppHandle, State};
use tauri_specta::Event;
use uuid::Uuid;

/// The categories in use as a tree, with their products.
#[tauri::command]
#[specta::specta]
pub async fn category_tree(state: State<'_, AppState>) -> Result<Vec<CategoryNode>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Vendor, Role::Finance], "see the categories")?;
    Ok(active.store.category_tree().await?)
}

/// Adds a category at the root or under `parent`; returns its id.
#[tauri::command]
#[specta::specta]
pub async fn add_category(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
    parent: Option<Uuid>,
) -> Result<Uuid, AppError> {
    let change = CategoryChange::add(&name, parent);
    let id = change.id();
    change_category(app, state, change).await?;
    Ok(id)
}

/// Renames, moves, merges or archives a category on the version read.
#[tauri::command]
#[specta::specta]
pub async fn change_category(
    app: AppHandle,
    state: State<'_, AppState>,
    change: CategoryChange,
) -> Result<(), AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "keep the category tree")?;
    perform(&active.store, active.me.id, active.queues, &Mutation::Category { change }).await?;
    if active.queues {
        DataChanged::now("sync", None).emit(&app).ok();
    }
    DataChanged::now("products", None).emit(&app).ok();
    Ok(())
}
