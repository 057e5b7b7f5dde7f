//! A product's images in the editor: the gallery (thumbnails from the local
//! copy, so it shows offline), an upload from disk, alt text, order, removal,
//! and an image's original opened full size (kept in this computer's image
//! cache for next time and for offline work). Uploads and changes go to the
//! server at once: a picture is not queued on an offline copy.

use super::parse_id;
use crate::error::{AppError, ErrorKind};
use crate::events::DataChanged;
use crate::state::AppState;
use base64::Engine;
use marketdesk_core::catalog::image_publishing::{default_cache, image_original};
use marketdesk_core::catalog::images::{
    ImageError, ProductImage, add_image, list_images, remove_image, reorder_images, set_alt_text,
};
use marketdesk_core::orders::view::Reader;
use marketdesk_core::store::StoreError;
use tauri::{AppHandle, State};
use tauri_specta::Event;

impl From<ImageError> for AppError {
    fn from(e: ImageError) -> Self {
        match e {
            ImageError::File(problem) => AppError::invalid(problem.0),
            ImageError::Store(e) => e.into(),
            ImageError::Cloudinary(e) => AppError::new(ErrorKind::Invalid, e.to_string()),
        }
    }
}

fn online_only(queues: bool) -> Result<(), AppError> {
    if queues {
        return Err(StoreError::OnlineOnly("images are saved on the server at once: connect first".into()).into());
    }
    Ok(())
}

/// The product's images, in gallery order.
#[tauri::command]
#[specta::specta]
pub async fn product_images(state: State<'_, AppState>, product_id: String) -> Result<Vec<ProductImage>, AppError> {
    let active = state.active().await?;
    let product = parse_id(&product_id, "product")?;
    let reader = Reader { id: active.me.id, role: active.me.role };
    Ok(list_images(&active.store, reader, product).await?)
}

/// Adds the image file `name` (its bytes base64 in `content`) to the end of
/// the product's gallery, described by `alt`.
#[tauri::command]
#[specta::specta]
pub async fn add_product_image(
    app: AppHandle,
    state: State<'_, AppState>,
    product_id: String,
    name: String,
    content: String,
    alt: String,
) -> Result<ProductImage, AppError> {
    let active = state.active().await?;
    online_only(active.queues)?;
    let product = parse_id(&product_id, "product")?;
    let bytes = super::arrived_whole(&content, "the file")?;
    let reader = Reader { id: active.me.id, role: active.me.role };
    let added = add_image(&active.store, reader, product, &name, &bytes, &alt).await?;
    DataChanged::now("products", Some(product)).emit(&app).ok();
    Ok(added)
}

/// Sets an image's alt text; `version` is the one shown.
#[tauri::command]
#[specta::specta]
pub async fn set_product_image_alt(
    app: AppHandle,
    state: State<'_, AppState>,
    image_id: String,
    alt: String,
    version: i64,
) -> Result<ProductImage, AppError> {
    let active = state.active().await?;
    online_only(active.queues)?;
    let image = parse_id(&image_id, "image")?;
    let reader = Reader { id: active.me.id, role: active.me.role };
    let changed = set_alt_text(&active.store, reader, image, &alt, version).await?;
    DataChanged::now("products", Some(changed.product_id)).emit(&app).ok();
    Ok(changed)
}

/// Puts the product's images in `order` (every image once); returns the gallery.
#[tauri::command]
#[specta::specta]
pub async fn reorder_product_images(
    app: AppHandle,
    state: State<'_, AppState>,
    product_id: String,
    order: Vec<String>,
) -> Result<Vec<ProductImage>, AppError> {
    let active = state.active().await?;
    online_only(active.queues)?;
    let product = parse_id(&product_id, "product")?;
    let order = order.iter().map(|id| parse_id(id, "image")).collect::<Result<Vec<_>, _>>()?;
    let reader = Reader { id: active.me.id, role: active.me.role };
    let gallery = reorder_images(&active.store, reader, product, &order).await?;
    DataChanged::now("products", Some(product)).emit(&app).ok();
    Ok(gallery)
}

/// Removes an image from its product's gallery.
#[tauri::command]
#[specta::specta]
pub async fn remove_product_image(
    app: AppHandle,
    state: State<'_, AppState>,
    product_id: String,
    image_id: String,
) -> Result<(), AppError> {
    let active = state.active().await?;
    online_only(active.queues)?;
    let product = parse_id(&product_id, "product")?;
    let image = parse_id(&image_id, "image")?;
    let reader = Reader { id: active.me.id, role: active.me.role };
    remove_image(&active.store, reader, image).await?;
    DataChanged::now("products", Some(product)).emit(&app).ok();
    Ok(())
}

/// An image's original, full size, as a `data:` URL.
#[tauri::command]
#[specta::specta]
pub async fn product_image_original(state: State<'_, AppState>, image_id: String) -> Result<String, AppError> {
    let active = state.active().await?;
    let image = parse_id(&image_id, "image")?;
    let reader = Reader { id: active.me.id, role: active.me.role };
    let cache = default_cache();
    let (bytes, format) = image_original(&active.store, reader, image, cache.as_deref()).await?;
    Ok(format!("data:image/{format};base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes)))
}
