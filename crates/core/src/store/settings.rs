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
}
