//! Products: a vendor's own (everyone's for admins), their variants and
//! stock, and the approval queue.

use super::parse_id;
use crate::error::AppError;
use crate::events::DataChanged;
use crate::state::AppState;
use marketdesk_core::domain::Role;
use marketdesk_core::store::products::{Product, ProductFilter, ProductSort, Variant};
use marketdesk_core::store::{Page, PageRequest};
use marketdesk_core::sync::Mutation;
use marketdesk_core::sync::perform;
use serde::Deserialize;
use tauri::{AppHandle, State};
use tauri_specta::Event;

const READERS: &[Role] = &[Role::Admin, Role::Finance, Role::Vendor, Role::Logistics];

/// A page of products.
#[tauri::command]
#[specta::specta]
pub async fn list_products(
    state: State<'_, AppState>,
    mut filter: ProductFilter,
    page: PageRequest<ProductSort>,
) -> Result<Page<Product>, AppError> {
    let active = state.active().await?;
    active.require(READERS, "see the catalog")?;
    if let Some(me) = active.own_vendor() {
        filter.vendor_id = Some(me);
    }
    Ok(active.store.list_products(&filter, &page).await?)
}

/// A product's variants with their stock.
#[tauri::command]
#[specta::specta]
pub async fn product_variants(state: State<'_, AppState>, product_id: String) -> Result<Vec<Variant>, AppError> {
    let active = state.active().await?;
    active.require(READERS, "see the catalog")?;
    let id = parse_id(&product_id, "product")?;
    if let Some(me) = active.own_vendor()
        && active.store.product(id).await?.vendor_id != me
    {
        return Err(AppError::forbidden("see other vendors' products"));
    }
    Ok(active.store.variants(id).await?)
}

/// An admin's decision on a product waiting for review.
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Review {
    /// Publish it.
    Approve,
    /// Send it back to the vendor as a draft, with what to change.
    RequestChanges {
        /// What to change, in words the vendor acts on.
        note: String,
    },
    /// Refuse it, with a reason the vendor can act on.
    Reject {
        /// Why, in words the vendor reads.
        reason: String,
    },
}

/// Approves or rejects a product pending review; returns its new version.
#[tauri::command]
#[specta::specta]
pub async fn review_product(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    version: i64,
    review: Review,
) -> Result<i64, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "approve products")?;
    let id = parse_id(&id, "product")?;
    let change = match review {
        Review::Approve => Mutation::ProductReview { product: id, version, approve: true, reason: None },
        Review::RequestChanges { note } => Mutation::ProductChangesAsked { product: id, version, note },
        Review::Reject { reason } => {
            Mutation::ProductReview { product: id, version, approve: false, reason: Some(reason) }
        }
    };
    let outcome = perform(&active.store, active.me.id, active.queues, &change).await?;
    let new_version = outcome.version().unwrap_or(version + 1);
    if active.queues {
        DataChanged::now("sync", None).emit(&app).ok();
    }
    DataChanged::now("products", Some(id)).emit(&app).ok();
    Ok(new_version)
}
