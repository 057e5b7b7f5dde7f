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
    /// Every live setting, by key.
    pub async fn platform_settings(&self) -> Result<Vec<Setting>, StoreError> {
        let sql = "SELECT key, CAST(value AS TEXT) AS value, description, updated_at, version \
                   FROM platform_settings WHERE deleted_at IS NULL ORDER BY key";
        Ok(with_pool!(&self.db, |p| sqlx::query_as(sql).fetch_all(p).await)?)
    }
}
