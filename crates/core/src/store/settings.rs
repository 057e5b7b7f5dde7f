//! Platform settings: named JSON values an admin manages (commission default,
//! hold days, who bears commission on refunds, …).

use super::{Store, StoreError, with_pool};
use crate::domain::Timestamp;
use serde::{Deserialize, Serialize};

/// One platform setting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Setting {
    /// Dotted name, e.g. `commission.default_bps`.
    pub key: String,
    /// The value as JSON text.
    pub value: String,
    /// What it controls.
    pub description: String,
    /// Last change.
    pub updated_at: Timestamp,
    /// Optimistic-concurrency version.
    pub version: i64,
}

impl Store {
    /// One live setting's JSON text, if it is set.
    pub(crate) async fn setting_text(&self, key: &str) -> Result<Option<String>, StoreError> {
        let sql = "SELECT CAST(value AS TEXT) FROM platform_settings WHERE key = $1 AND deleted_at IS NULL";
        Ok(with_pool!(&self.db, |p| sqlx::query_scalar(sql).bind(key).fetch_optional(p).await)?)
    }

    /// A whole-number setting, or `default` when unset or not a number.
    pub(crate) async fn setting_i64(&self, key: &str, default: i64) -> Result<i64, StoreError> {
        Ok(self.setting_text(key).await?.and_then(|v| v.trim().parse().ok()).unwrap_or(default))
    }

    /// A boolean setting; unset or anything but `true` is false.
    pub(crate) async fn setting_bool(&self, key: &str) -> Result<bool, StoreError> {
        Ok(self.setting_text(key).await?.is_some_and(|v| v.trim() == "true"))
    }

    /// Every live setting, by key.
    pub async fn platform_settings(&self) -> Result<Vec<Setting>, StoreError> {
        let sql = "SELECT key, CAST(value AS TEXT) AS value, description, updated_at, version \
                   FROM platform_settings WHERE deleted_at IS NULL ORDER BY key";
        Ok(with_pool!(&self.db, |p| sqlx::query_as(sql).fetch_all(p).await)?)
    }

    /// Sets `key` to the JSON text `value` (an admin's right), creating it
    /// with `description` if it is new.
    pub async fn put_setting(&self, key: &str, value: &str, description: &str) -> Result<(), StoreError> {
        serde_json::from_str::<serde_json::Value>(value)
            .map_err(|e| StoreError::Validation(format!("setting {key}: not JSON ({e})")))?;
        let now = Timestamp::now();
        let cast = match self.db {
            super::Db::Postgres(_) => "CAST($2 AS jsonb)",
            super::Db::Sqlite(_) => "$2",
        };
        let update = format!(
            "UPDATE platform_settings SET value = {cast}, version = version + 1, updated_at = $3 \
             WHERE key = $1 AND deleted_at IS NULL"
        );
        let changed = with_pool!(&self.db, |p| {
            sqlx::query(&update).bind(key).bind(value).bind(now).execute(p).await.map(|r| r.rows_affected())
        })
        .map_err(|e| StoreError::from_write("setting", e))?;
        if changed > 0 {
            return Ok(());
        }
        let insert = format!(
            "INSERT INTO platform_settings (id, key, value, description, version, created_at, updated_at) \
             VALUES ($4, $1, {cast}, $5, 1, $3, $3)"
        );
        with_pool!(&self.db, |p| {
            sqlx::query(&insert)
                .bind(key)
                .bind(value)
                .bind(now)
                .bind(crate::domain::new_id())
                .bind(description)
                .execute(p)
                .await
                .map(|_| ())
        })
        .map_err(|e| StoreError::from_write("setting", e))
    }
}
