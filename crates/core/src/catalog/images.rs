//! A product's images as people manage them: upload from disk, alt text,
//! order, removal. An upload is checked by its bytes ([`super::image_file`]),
//! its original kept once in the marketplace's image store (`image_files`,
//! named by its SHA-256) and its thumbnail on the image row, which every
//! local copy receives: the editor shows images offline. With Cloudinary
//! configured the worker publishes the original there
//! ([`super::image_publishing`]). Vendors manage their own products' images,
//! admins any; logistics and finance look. Every change is in the audit trail.

use super::image_file::{self, ImageProblem};
use crate::domain::{Role, Timestamp, new_id};
use crate::orders::view::Reader;
use crate::store::audit::audit_row_in;
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Store, StoreError, with_pool};
use base64::Engine;
use serde::Serialize;
use uuid::Uuid;

/// Most images one product may have.
pub const MAX_IMAGES: usize = 20;
/// Longest alt text.
pub const MAX_ALT: usize = 500;

/// Where an image's file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ImageStorage {
    /// In the marketplace's own image store (and not on Cloudinary yet).
    Marketplace,
    /// Published on Cloudinary.
    Cloudinary,
    /// Only a link (an image made before uploads, or seeded).
    Link,
}

/// One image of a product, as the editor and the CLI show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProductImage {
    /// The image row.
    pub id: Uuid,
    /// Its product.
    pub product_id: Uuid,
    /// Place in the product's gallery, from 0 (the main image).
    pub position: i32,
    /// What the picture shows, for people who cannot see it.
    pub alt_text: String,
    /// Pixels across, when known.
    pub width: Option<i32>,
    /// Pixels down, when known.
    pub height: Option<i32>,
    /// `jpeg`, `png`, `webp` or `gif`, when uploaded here.
    pub format: Option<String>,
    /// Size of the original file.
    pub byte_size: Option<i32>,
    /// Where the file is.
    pub storage: ImageStorage,
    /// Its address: Cloudinary's delivery URL, or `local://images/<sha256>.<ext>`.
    pub url: String,
    /// The thumbnail as a `data:image/jpeg;base64,…` URL, when one was made.
    pub thumbnail: Option<String>,
    /// Why publishing it on Cloudinary failed last time (retried by the worker).
    pub publish_error: Option<String>,
    /// For optimistic concurrency.
    pub version: i64,
    /// When it was added.
    pub created_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct ImageRow {
    id: Uuid,
    product_id: Uuid,
    position: i32,
    alt_text: String,
    width: Option<i32>,
    height: Option<i32>,
    format: Option<String>,
    byte_size: Option<i32>,
    url: String,
    cloudinary_public_id: Option<String>,
    thumbnail: Option<Vec<u8>>,
    publish_error: Option<String>,
    version: i64,
    created_at: Timestamp,
}

impl From<ImageRow> for ProductImage {
    fn from(r: ImageRow) -> Self {
        let storage = match (&r.cloudinary_public_id, r.url.starts_with("local://")) {
            (Some(_), _) => ImageStorage::Cloudinary,
            (None, true) => ImageStorage::Marketplace,
            (None, false) => ImageStorage::Link,
        };
        let thumbnail = r
            .thumbnail
            .map(|t| format!("data:image/jpeg;base64,{}", base64::engine::general_purpose::STANDARD.encode(t)));
        ProductImage {
            id: r.id,
            product_id: r.product_id,
            position: r.position,
            alt_text: r.alt_text,
            width: r.width,
            height: r.height,
            format: r.format,
            byte_size: r.byte_size,
            storage,
            url: r.url,
            thumbnail,
            publish_error: r.publish_error,
            version: r.version,
            created_at: r.created_at,
        }
    }
}

const COLUMNS: &str = "id, product_id, position, alt_text, width, height, format, byte_size, url, cloudinary_public_id, \
                       thumbnail, publish_error, version, created_at";

/// Why an image change was refused.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// The file is not an image Marketdesk takes.
    #[error(transparent)]
    File(#[from] ImageProblem),
    /// The store refused or failed (including the role checks).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Cloudinary is configured wrongly on this machine.
    #[error(transparent)]
    Cloudinary(#[from] crate::integrations::cloudinary::CloudinaryError),
}

/// The product's vendor, when `reader` may see its images (`write`: change them).
pub(crate) async fn owner_for(store: &Store, reader: Reader, product: Uuid, write: bool) -> Result<Uuid, StoreError> {
    let vendor: Option<Uuid> = with_pool!(&store.db, |p| sqlx::query_scalar(
        "SELECT vendor_id FROM products WHERE id = $1 AND deleted_at IS NULL"
    )
    .bind(product)
    .fetch_optional(p)
    .await)?;
    let not_found = || StoreError::NotFound { entity: "product", id: product.to_string() };
    let vendor = vendor.ok_or_else(not_found)?;
    match reader.role {
        Role::Admin => Ok(vendor),
        Role::Vendor if vendor == reader.id => Ok(vendor),
        Role::Vendor => Err(not_found()),
        Role::Logistics | Role::Finance if !write => Ok(vendor),
        _ => Err(StoreError::AccessDenied(format!("a {} login does not change product images", reader.role.as_str()))),
    }
}

/// The product's live images, in gallery order.
pub async fn list_images(store: &Store, reader: Reader, product: Uuid) -> Result<Vec<ProductImage>, StoreError> {
    owner_for(store, reader, product, false).await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM product_images WHERE product_id = $1 AND deleted_at IS NULL ORDER BY position, created_at, id"
    );
    let rows: Vec<ImageRow> = with_pool!(&store.db, |p| sqlx::query_as(&sql).bind(product).fetch_all(p).await)?;
    Ok(rows.into_iter().map(ProductImage::from).collect())
}

async fn live_ids_in(tx: &mut WriteTx<'_>, product: Uuid) -> Result<Vec<Uuid>, StoreError> {
    let ids = with_tx!(tx, |c| {
        sqlx::query_scalar(
        "SELECT id FROM product_images WHERE product_id = $1 AND deleted_at IS NULL ORDER BY position, created_at, id"
    )
    .bind(product)
    .fetch_all(&mut *c)
    .await
    })?;
    Ok(ids)
}

async fn image_in(tx: &mut WriteTx<'_>, id: Uuid) -> Result<ProductImage, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM product_images WHERE id = $1");
    let row: ImageRow = with_tx!(tx, |c| sqlx::query_as(&sql).bind(id).fetch_one(&mut *c).await)?;
    Ok(row.into())
}

/// Gives the images `order` positions 0, 1, 2 … (only those whose place changes).
async fn place_in(tx: &mut WriteTx<'_>, order: &[Uuid]) -> Result<(), StoreError> {
    let now = Timestamp::now();
    for (position, id) in order.iter().enumerate() {
        let position = i32::try_from(position).unwrap_or(i32::MAX);
        with_tx!(tx, |c| sqlx::query(
            "UPDATE product_images SET position = $2, version = version + 1, updated_at = $3 \
             WHERE id = $1 AND position <> $2"
        )
        .bind(id)
        .bind(position)
        .bind(now)
        .execute(&mut *c)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

async fn audit_in(
    tx: &mut WriteTx<'_>,
    reader: Reader,
    action: &str,
    product: Uuid,
    details: serde_json::Value,
) -> Result<(), StoreError> {
    audit_row_in(tx, (reader.id, reader.role), action, ("products", product), details).await?;
    if super::save::back_to_review_in(tx, reader, product).await? {
        let why = serde_json::json!({ "because": action });
        audit_row_in(tx, (reader.id, reader.role), "products.back_to_review", ("products", product), why).await?;
    }
    Ok(())
}

fn clean_alt(alt: &str) -> Result<String, StoreError> {
    let alt = alt.trim();
    if alt.chars().count() > MAX_ALT {
        return Err(StoreError::Validation(format!("alt text may be {MAX_ALT} characters at most")));
    }
    if alt.chars().any(char::is_control) {
        return Err(StoreError::Validation("alt text is one line of plain text".into()));
    }
    Ok(alt.to_owned())
}

/// Adds the file `name` holding `bytes` to the end of the product's gallery
/// with `alt` text: checked, its thumbnail made, its original stored once.
pub async fn add_image(
    store: &Store,
    reader: Reader,
    product: Uuid,
    name: &str,
    bytes: &[u8],
    alt: &str,
) -> Result<ProductImage, ImageError> {
    owner_for(store, reader, product, true).await?;
    let alt = clean_alt(alt)?;
    let facts = image_file::inspect(name, bytes)?;
    let thumbnail = image_file::thumbnail(name, bytes)?;
    let mut tx = store.begin_write_tx().await?;
    let live = live_ids_in(&mut tx, product).await?;
    if live.len() >= MAX_IMAGES {
        return Err(StoreError::Validation(format!("a product may have {MAX_IMAGES} images at most")).into());
    }
    let now = Timestamp::now();
    let (width, height) =
        (i32::try_from(facts.width).unwrap_or(i32::MAX), i32::try_from(facts.height).unwrap_or(i32::MAX));
    let size = i32::try_from(facts.byte_size).unwrap_or(i32::MAX);
    with_tx!(&mut tx, |c| sqlx::query(
        "INSERT INTO image_files (id, sha256, format, width, height, byte_size, content, created_by, version, \
         created_at, updated_at) VALUES ($9, $1, $2, $3, $4, $5, $6, $7, 1, $8, $8) ON CONFLICT (sha256) DO NOTHING"
    )
    .bind(&facts.sha256)
    .bind(facts.format)
    .bind(width)
    .bind(height)
    .bind(size)
    .bind(bytes)
    .bind(reader.id)
    .bind(now)
    .bind(new_id())
    .execute(&mut *c)
    .await
    .map(|_| ()))
    .map_err(|e| StoreError::from_write("image file", e))?;
    let id = new_id();
    let url = format!("local://images/{}.{}", facts.sha256, facts.extension());
    let position = i32::try_from(live.len()).unwrap_or(i32::MAX);
    with_tx!(&mut tx, |c| sqlx::query(
        "INSERT INTO product_images (id, product_id, url, alt_text, position, width, height, content_sha256, format, \
         byte_size, thumbnail, uploaded_by, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $13)"
    )
    .bind(id)
    .bind(product)
    .bind(&url)
    .bind(&alt)
    .bind(position)
    .bind(width)
    .bind(height)
    .bind(&facts.sha256)
    .bind(facts.format)
    .bind(size)
    .bind(&thumbnail)
    .bind(reader.id)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|_| ()))
    .map_err(|e| StoreError::from_write("product image", e))?;
    let details = serde_json::json!({
        "image": id, "file": name, "sha256": facts.sha256, "format": facts.format,
        "width": facts.width, "height": facts.height, "bytes": facts.byte_size,
    });
    audit_in(&mut tx, reader, "products.image_added", product, details).await?;
    let added = image_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(added)
}

async fn image_product(store: &Store, image: Uuid) -> Result<(Uuid, i64), StoreError> {
    let row: Option<(Uuid, i64)> = with_pool!(&store.db, |p| sqlx::query_as(
        "SELECT product_id, version FROM product_images WHERE id = $1 AND deleted_at IS NULL"
    )
    .bind(image)
    .fetch_optional(p)
    .await)?;
    row.ok_or_else(|| StoreError::NotFound { entity: "product image", id: image.to_string() })
}

/// The product a live image belongs to.
pub async fn product_of_image(store: &Store, image: Uuid) -> Result<Uuid, StoreError> {
    Ok(image_product(store, image).await?.0)
}

/// Sets an image's alt text; `expected` is the version the person saw.
pub async fn set_alt_text(
    store: &Store,
    reader: Reader,
    image: Uuid,
    alt: &str,
    expected: i64,
) -> Result<ProductImage, StoreError> {
    let (product, version) = image_product(store, image).await?;
    owner_for(store, reader, product, true).await?;
    let alt = clean_alt(alt)?;
    if version != expected {
        return Err(StoreError::VersionConflict {
            entity: "product image",
            id: image.to_string(),
            expected,
            actual: version,
        });
    }
    let mut tx = store.begin_write_tx().await?;
    let hit = with_tx!(&mut tx, |c| sqlx::query(
        "UPDATE product_images SET alt_text = $2, version = version + 1, updated_at = $3 \
         WHERE id = $1 AND version = $4 AND deleted_at IS NULL"
    )
    .bind(image)
    .bind(&alt)
    .bind(Timestamp::now())
    .bind(expected)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    if hit == 0 {
        return Err(StoreError::VersionConflict {
            entity: "product image",
            id: image.to_string(),
            expected,
            actual: expected + 1,
        });
    }
    audit_in(
        &mut tx,
        reader,
        "products.image_alt_text",
        product,
        serde_json::json!({ "image": image, "alt_text": alt }),
    )
    .await?;
    let changed = image_in(&mut tx, image).await?;
    tx.commit().await?;
    Ok(changed)
}

/// Puts the product's images in `order`, which must name each live image once.
pub async fn reorder_images(
    store: &Store,
    reader: Reader,
    product: Uuid,
    order: &[Uuid],
) -> Result<Vec<ProductImage>, StoreError> {
    owner_for(store, reader, product, true).await?;
    let mut tx = store.begin_write_tx().await?;
    let mut live = live_ids_in(&mut tx, product).await?;
    let mut asked = order.to_vec();
    live.sort_unstable();
    asked.sort_unstable();
    if live != asked {
        return Err(StoreError::Validation(
            "the images changed since they were shown (one was added or removed): reload and order them again".into(),
        ));
    }
    place_in(&mut tx, order).await?;
    audit_in(&mut tx, reader, "products.images_reordered", product, serde_json::json!({ "order": order })).await?;
    tx.commit().await?;
    list_images(store, reader, product).await
}

/// Removes an image from its product's gallery (the ones after it move up).
/// A published image is removed from Cloudinary by the worker afterwards.
pub async fn remove_image(store: &Store, reader: Reader, image: Uuid) -> Result<(), StoreError> {
    let (product, _) = image_product(store, image).await?;
    owner_for(store, reader, product, true).await?;
    let mut tx = store.begin_write_tx().await?;
    let now = Timestamp::now();
    with_tx!(&mut tx, |c| {
        sqlx::query(
        "UPDATE product_images SET deleted_at = $2, version = version + 1, updated_at = $2 WHERE id = $1 AND deleted_at IS NULL"
    )
    .bind(image)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|_| ())
    })?;
    let rest = live_ids_in(&mut tx, product).await?;
    place_in(&mut tx, &rest).await?;
    audit_in(&mut tx, reader, "products.image_removed", product, serde_json::json!({ "image": image })).await?;
    tx.commit().await
}
