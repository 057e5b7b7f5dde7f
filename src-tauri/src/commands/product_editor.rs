//! The product editor: open a product or start one, regenerate variants
//! from options, check a draft field by field, save it (offline too), move
//! it (review, archive, restore), and the diff an admin reviews.

use super::parse_id;
use crate::error::AppError;
use crate::events::DataChanged;
use crate::state::{Active, AppState};
use marketdesk_core::catalog::editing::{CategoryChoice, ProductEdit, regenerate_variants};
use marketdesk_core::catalog::save::ProductSave;
use marketdesk_core::catalog::snapshot::{ProductChanges, product_changes};
use marketdesk_core::catalog::steps::ProductStep;
use marketdesk_core::domain::Role;
use marketdesk_core::domain::product_draft::{DraftProblem, ProductOption, VariantDraft};
use marketdesk_core::sync::{Mutation, perform};
use tauri::{AppHandle, State};
use tauri_specta::Event;
use uuid::Uuid;

const EDITORS: &[Role] = &[Role::Admin, Role::Vendor];

/// Refuses a vendor's look at another vendor's product.
async fn check_owner(active: &Active, product: Uuid) -> Result<(), AppError> {
    if let Some(me) = active.own_vendor()
        && active.store.product(product).await?.vendor_id != me
    {
        return Err(AppError::forbidden("edit other vendors' products"));
    }
    Ok(())
}

/// A product as the editor opens it.
#[tauri::command]
#[specta::specta]
pub async fn product_for_editing(state: State<'_, AppState>, id: String) -> Result<ProductEdit, AppError> {
    let active = state.active().await?;
    active.require(EDITORS, "edit products")?;
    let id = parse_id(&id, "product")?;
    check_owner(&active, id).await?;
    Ok(active.store.product_for_editing(id).await?)
}

/// A new product as the editor starts it: for the signed-in vendor, or for
/// the vendor an admin names.
#[tauri::command]
#[specta::specta]
pub async fn new_product(state: State<'_, AppState>, vendor_id: Option<String>) -> Result<ProductSave, AppError> {
    let active = state.active().await?;
    active.require(EDITORS, "create products")?;
    let vendor = match (active.own_vendor(), vendor_id) {
        (Some(me), _) => me,
        (None, Some(text)) => parse_id(&text, "vendor")?,
        (None, None) => return Err(AppError::invalid("choose the vendor the product is for")),
    };
    Ok(active.store.new_product(vendor).await?)
}

/// The categories a product can be filed under, as a tree.
#[tauri::command]
#[specta::specta]
pub async fn category_choices(state: State<'_, AppState>) -> Result<Vec<CategoryChoice>, AppError> {
    let active = state.active().await?;
    active.require(EDITORS, "edit products")?;
    Ok(active.store.category_choices().await?)
}

/// The variants the options call for, keeping the rows whose values remain.
#[tauri::command]
#[specta::specta]
pub async fn product_variants_for_options(
    options: Vec<ProductOption>,
    current: Vec<VariantDraft>,
    sku_stem: String,
) -> Result<Vec<VariantDraft>, AppError> {
    Ok(regenerate_variants(&options, &current, &sku_stem))
}

/// What keeps a draft from being saved, field by field (empty: it may be).
#[tauri::command]
#[specta::specta]
pub async fn check_product(state: State<'_, AppState>, save: ProductSave) -> Result<Vec<DraftProblem>, AppError> {
    let active = state.active().await?;
    active.require(EDITORS, "edit products")?;
    if active.own_vendor().is_some_and(|me| me != save.draft.vendor_id) {
        return Err(AppError::forbidden("check other vendors' products"));
    }
    Ok(active.store.product_draft_problems(save.product_id, &save.draft).await?)
}

/// Creates or edits a product; returns its new version.
#[tauri::command]
#[specta::specta]
pub async fn save_product(app: AppHandle, state: State<'_, AppState>, save: ProductSave) -> Result<i64, AppError> {
    let active = state.active().await?;
    active.require(EDITORS, "edit products")?;
    if save.version.is_some() {
        check_owner(&active, save.product_id).await?;
    }
    let id = save.product_id;
    let change = Mutation::ProductSave { save: Box::new(save) };
    let outcome = perform(&active.store, active.me.id, active.queues, &change).await?;
    changed(&app, &active, id);
    outcome.version().ok_or_else(|| AppError::invalid("a product save answered without a version"))
}

/// Sends a product for review, archives or restores it; returns its new version.
#[tauri::command]
#[specta::specta]
pub async fn product_step(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    version: i64,
    step: ProductStep,
) -> Result<i64, AppError> {
    let active = state.active().await?;
    active.require(EDITORS, "move products")?;
    let id = parse_id(&id, "product")?;
    check_owner(&active, id).await?;
    let outcome =
        perform(&active.store, active.me.id, active.queues, &Mutation::ProductStep { product: id, version, step })
            .await?;
    changed(&app, &active, id);
    outcome.version().ok_or_else(|| AppError::invalid("a product step answered without a version"))
}

/// What changed in a product since it was last approved, field by field.
#[tauri::command]
#[specta::specta]
pub async fn product_review_diff(state: State<'_, AppState>, id: String) -> Result<ProductChanges, AppError> {
    let active = state.active().await?;
    active.require(EDITORS, "review products")?;
    let id = parse_id(&id, "product")?;
    check_owner(&active, id).await?;
    Ok(product_changes(&active.store, id).await?)
}

fn changed(app: &AppHandle, active: &Active, id: Uuid) {
    if active.queues {
        DataChanged::now("sync", None).emit(app).ok();
    }
    DataChanged::now("products", Some(id)).emit(app).ok();
}
