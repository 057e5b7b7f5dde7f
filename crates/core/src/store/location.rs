//! Where the database is: the URL given, or the embedded default — a SQLite file
//! in this machine's data folder, created and migrated on first use.

use super::files::{self, FileError};
use super::{DatabaseUrl, OpenOptions, Store, StoreError};
use std::path::{Path, PathBuf};

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
///
/// A SQLite file made here is private to this user (0600 on Unix; SQLite
/// gives its side files the same mode). Only the embedded default's own
/// folder is ever created: a file named by URL must go in a folder that exists.
pub async fn open_with(location: &Location, for_migrate: bool, base: OpenOptions) -> Result<Store, StoreError> {
    let create = location.is_default || for_migrate;
    let made = match &location.url {
        DatabaseUrl::Sqlite(path) if create => make_sqlite_file(path, location.is_default)?,
        _ => None,
    };
    let options = OpenOptions { create, ..base };
    let store = match Store::open(&location.url, &options).await {
        Ok(store) => store,
        Err(e) => {
            if let Some(path) = made {
                // Nothing is left behind by a file that could not be opened.
                let _ = std::fs::remove_file(path);
            }
            return Err(e);
        }
    };
    if !for_migrate {
        let local = matches!(location.url, DatabaseUrl::Sqlite(_));
        store.ensure_schema(local).await?;
    }
    Ok(store)
}

/// Creates the missing SQLite file `path`, empty and private (an empty file is
/// an empty database); its folder too when it is the embedded default's.
/// Returns the file when it was made here.
fn make_sqlite_file(path: &Path, is_default: bool) -> Result<Option<PathBuf>, StoreError> {
    if path.exists() {
        return Ok(None);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        if !is_default {
            return Err(FileError::NoFolder(dir.to_owned()).into());
        }
        files::create_private_dir_all(dir).map_err(|source| FileError::Io { path: dir.to_owned(), source })?;
    }
    match files::create_private(path) {
        Ok(_) => Ok(Some(path.to_owned())),
        // Made meanwhile by another process: theirs to keep.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(None),
        Err(source) => Err(FileError::Io { path: path.to_owned(), source }.into()),
    }
}
