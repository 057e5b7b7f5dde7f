//! Product images beyond the database: publishing uploads on Cloudinary (and
//! removing deleted ones from it), a round the worker runs because it holds
//! the API secret; and fetching an image's original for a person, from this
//! computer's cache, the marketplace's image store or its delivery URL.

use super::image_file::{self, extension};
use super::images::{ImageError, owner_for};
use crate::domain::Timestamp;
use crate::integrations::cloudinary::{Cloudinary, CloudinaryError, CloudinarySettings};
use crate::orders::view::Reader;
use crate::store::{Store, StoreError, with_pool};
use std::path::{Path, PathBuf};
use std::time::Duration;
use uuid::Uuid;

/// What one publishing round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PublishReport {
    /// Uploads now on Cloudinary.
    pub published: usize,
    /// Deleted images removed from Cloudinary.
    pub removed: usize,
    /// Images that failed (their row says why; tried again next round).
    pub failed: usize,
}

async fn note_failure(store: &Store, ids: &[Uuid], error: &CloudinaryError) -> Result<(), StoreError> {
    let message: String = error.to_string().chars().take(500).collect();
    for id in ids {
        with_pool!(&store.db, |p| sqlx::query(
            "UPDATE product_images SET publish_error = $2, version = version + 1, updated_at = $3 \
             WHERE id = $1 AND (publish_error IS NULL OR publish_error <> $2)"
        )
        .bind(id)
        .bind(&message)
        .bind(Timestamp::now())
        .execute(p)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

/// Publishes up to `limit` uploads waiting for Cloudinary (the oldest first,
/// those that failed before after the rest) and removes from it the files of
/// deleted images no live image still uses. A file uploaded for several
/// images is uploaded once (its public id is its SHA-256).
pub async fn publish_images(store: &Store, cloud: &Cloudinary, limit: u32) -> Result<PublishReport, StoreError> {
    let mut report = PublishReport::default();
    let waiting: Vec<(String, String)> = with_pool!(&store.db, |p| sqlx::query_as(
        "SELECT content_sha256, MIN(format) FROM product_images \
         WHERE deleted_at IS NULL AND cloudinary_public_id IS NULL AND content_sha256 IS NOT NULL \
         GROUP BY content_sha256 ORDER BY MAX(CASE WHEN publish_error IS NULL THEN 0 ELSE 1 END), MIN(created_at) \
         LIMIT $1"
    )
    .bind(i64::from(limit))
    .fetch_all(p)
    .await)?;
    for (sha, format) in waiting {
        let ids: Vec<Uuid> = with_pool!(&store.db, |p| {
            sqlx::query_scalar(
            "SELECT id FROM product_images WHERE content_sha256 = $1 AND deleted_at IS NULL AND cloudinary_public_id IS NULL"
        )
        .bind(&sha)
        .fetch_all(p)
        .await
        })?;
        let content: Option<Vec<u8>> =
            with_pool!(&store.db, |p| sqlx::query_scalar("SELECT content FROM image_files WHERE sha256 = $1")
                .bind(&sha)
                .fetch_optional(p)
                .await)?;
        let Some(content) = content else {
            note_failure(store, &ids, &CloudinaryError::Refused("the original is missing from the image store".into()))
                .await?;
            report.failed += 1;
            continue;
        };
        match cloud.upload(&sha, &format!("{sha}.{}", extension(&format)), content).await {
            Ok(up) => {
                with_pool!(&store.db, |p| sqlx::query(
                    "UPDATE product_images SET url = $2, cloudinary_public_id = $3, publish_error = NULL, \
                     version = version + 1, updated_at = $4 \
                     WHERE content_sha256 = $1 AND deleted_at IS NULL AND cloudinary_public_id IS NULL"
                )
                .bind(&sha)
                .bind(&up.secure_url)
                .bind(&up.public_id)
                .bind(Timestamp::now())
                .execute(p)
                .await
                .map(|_| ()))?;
                report.published += 1;
            }
            Err(e) => {
                note_failure(store, &ids, &e).await?;
                report.failed += 1;
            }
        }
    }
    let gone: Vec<String> = with_pool!(&store.db, |p| {
        sqlx::query_scalar(
        "SELECT DISTINCT d.cloudinary_public_id FROM product_images d \
         WHERE d.deleted_at IS NOT NULL AND d.cloudinary_public_id IS NOT NULL AND NOT EXISTS ( \
           SELECT 1 FROM product_images l WHERE l.cloudinary_public_id = d.cloudinary_public_id AND l.deleted_at IS NULL) \
         LIMIT $1"
    )
    .bind(i64::from(limit))
    .fetch_all(p)
    .await
    })?;
    for public_id in gone {
        let ids: Vec<Uuid> = with_pool!(&store.db, |p| sqlx::query_scalar(
            "SELECT id FROM product_images WHERE cloudinary_public_id = $1 AND deleted_at IS NOT NULL"
        )
        .bind(&public_id)
        .fetch_all(p)
        .await)?;
        match cloud.destroy(&public_id).await {
            Ok(_) => {
                with_pool!(&store.db, |p| {
                    sqlx::query(
                    "UPDATE product_images SET cloudinary_public_id = NULL, publish_error = NULL, version = version + 1, \
                     updated_at = $2 WHERE cloudinary_public_id = $1 AND deleted_at IS NOT NULL"
                )
                .bind(&public_id)
                .bind(Timestamp::now())
                .execute(p)
                .await
                .map(|_| ())
                })?;
                report.removed += 1;
            }
            Err(e) => {
                note_failure(store, &ids, &e).await?;
                report.failed += 1;
            }
        }
    }
    Ok(report)
}

/// The Cloudinary account this machine publishes with: the platform
/// settings' `cloudinary` entry, the keychain's secret and any
/// `MARKETDESK_CLOUDINARY_*` overrides; `None` when the marketplace has none.
pub async fn configured_cloudinary(store: &Store) -> Result<Option<Cloudinary>, ImageError> {
    let settings = match store.setting_text(CloudinarySettings::KEY).await? {
        Some(text) => Some(serde_json::from_str::<CloudinarySettings>(&text).map_err(|e| {
            StoreError::Validation(format!("the cloudinary setting is not {{cloud_name, api_key, folder}}: {e}"))
        })?),
        None => None,
    };
    Ok(Cloudinary::configured(settings)?)
}

/// The folder this computer keeps image originals it opened in:
/// `<data dir>/images`.
pub fn default_cache() -> Option<PathBuf> {
    directories::ProjectDirs::from("app", "Marketdesk", "Marketdesk").map(|d| d.data_dir().join("images"))
}

/// An image's original file, for `reader`: from `cache` (checked against its
/// SHA-256), else the marketplace's image store, else its delivery URL — and
/// kept in `cache` for next time (and for offline work). Returns the bytes
/// and the format.
pub async fn image_original(
    store: &Store,
    reader: Reader,
    image: Uuid,
    cache: Option<&Path>,
) -> Result<(Vec<u8>, String), ImageError> {
    let row: Option<(Uuid, Option<String>, Option<String>, String)> = with_pool!(&store.db, |p| sqlx::query_as(
        "SELECT product_id, content_sha256, format, url FROM product_images WHERE id = $1 AND deleted_at IS NULL"
    )
    .bind(image)
    .fetch_optional(p)
    .await)
    .map_err(StoreError::from)?;
    let (product, sha, format, url) =
        row.ok_or_else(|| StoreError::NotFound { entity: "product image", id: image.to_string() })?;
    owner_for(store, reader, product, false).await?;
    let cached = |sha: &str, format: &str| cache.map(|dir| dir.join(format!("{sha}.{}", extension(format))));
    if let (Some(sha), Some(format)) = (&sha, &format) {
        if let Some(path) = cached(sha, format)
            && let Ok(bytes) = std::fs::read(&path)
            && image_file::inspect("cached", &bytes).is_ok_and(|f| &f.sha256 == sha)
        {
            return Ok((bytes, format.clone()));
        }
        let stored: Option<Vec<u8>> =
            with_pool!(&store.db, |p| sqlx::query_scalar("SELECT content FROM image_files WHERE sha256 = $1")
                .bind(sha)
                .fetch_optional(p)
                .await)
            .map_err(StoreError::from)?;
        if let Some(bytes) = stored {
            keep(cached(sha, format), &bytes);
            return Ok((bytes, format.clone()));
        }
    }
    if !url.starts_with("https://") && !url.starts_with("http://127.0.0.1") {
        return Err(StoreError::NotFound {
            entity: "image file",
            id: format!("{url} (not on this computer: connect to the server to open it)"),
        }
        .into());
    }
    let bytes = download(&url).await?;
    let facts = image_file::inspect(&url, &bytes)?;
    keep(cached(&facts.sha256, facts.format), &bytes);
    Ok((bytes, facts.format.to_owned()))
}

async fn download(url: &str) -> Result<Vec<u8>, StoreError> {
    let failed = |e: String| StoreError::Busy(format!("the image at {url} could not be fetched: {e}"));
    let http =
        reqwest::Client::builder().timeout(Duration::from_secs(30)).build().map_err(|e| failed(e.to_string()))?;
    let response = http.get(url).send().await.map_err(|e| failed(e.to_string()))?;
    if !response.status().is_success() {
        return Err(failed(response.status().to_string()));
    }
    let bytes = response.bytes().await.map_err(|e| failed(e.to_string()))?;
    Ok(bytes.to_vec())
}

/// Writes `bytes` to `path` through a temporary file; a cache that cannot be
/// written only costs a fetch next time.
fn keep(path: Option<PathBuf>, bytes: &[u8]) {
    let Some(path) = path else { return };
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let partial = path.with_extension("partial");
    if std::fs::write(&partial, bytes).is_ok() && std::fs::rename(&partial, &path).is_err() {
        std::fs::remove_file(&partial).ok();
    }
}
