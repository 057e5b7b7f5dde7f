//! Where the database is: the URL given, or the embedded default — a SQLite file
//! in this machine's data folder, created and migrated on first use.

use super::{DatabaseUrl, OpenOptions, Store, StoreError};
use std::path::PathBuf;

/// The database to use and whether it is the embedded default.
pub struct Location {
    /// The database.
    pub url: DatabaseUrl,
    /// It is the embedded default file (created on first use).
    pub is_default: bool,
}

/// The default SQLite file: `<data dir>/marketdesk.sqlite`.
pub fn default_sqlite() -> Result<PathBuf, StoreError> {
    directories::ProjectDirs::from("app", "Marketdesk", "Marketdesk")
        .map(|d| d.data_dir().join("marketdesk.sqlite"))
        .ok_or_else(|| {
            StoreError::BadUrl("this machine has no home folder for the default database; pass --database-url".into())
        })
}

/// Resolves `--database-url` (or its absence).
pub fn resolve(url: Option<&str>) -> Result<Location, StoreError> {
    match url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(text) => Ok(Location { url: DatabaseUrl::parse(text)?, is_default: false }),
        None => Ok(Location { url: DatabaseUrl::sqlite(default_sqlite()?), is_default: true }),
    }
}

/// Opens the store. The embedded default is created when missing (and any
/// SQLite file by `migrate`); any local
/// SQLite file is migrated automatically; PostgreSQL is never migrated
/// implicitly (that is `marketdesk migrate`'s job).
pub async fn open(location: &Location, for_migrate: bool) -> Result<Store, StoreError> {
    open_with(location, for_migrate, OpenOptions::default()).await
}

/// [`open`] with the pool sized by `base` (creation is decided here).
pub async fn open_with(location: &Location, for_migrate: bool, base: OpenOptions) -> Result<Store, StoreError> {
    let options = OpenOptions { create: location.is_default || for_migrate, ..base };
    let store = Store::open(&location.url, &options).await?;
    if !for_migrate {
        let local = matches!(location.url, DatabaseUrl::Sqlite(_));
        store.ensure_schema(local).await?;
    }
    Ok(store)
}
