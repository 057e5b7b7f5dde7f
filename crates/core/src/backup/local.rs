//! A desktop's local SQLite database backed up into a folder the person
//! chooses, and put back: the copy is written by SQLCipher's
//! `sqlcipher_export` from one consistent read (the app may keep working),
//! **encrypted with the same key as the database** when that is encrypted,
//! checked (`integrity_check`, and `cipher_integrity_check` when encrypted)
//! before it gets its name, and older backups of the same database beyond
//! the number kept are removed. A restore checks the backup first, sets the
//! current file aside (never deletes it) and moves the backup into place
//! whole.

use super::BackupError;
use crate::domain::Timestamp;
use crate::store::encryption::{is_plain_sqlite, raw_key};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{Connection, Row};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Backups of one database kept in a folder unless told otherwise.
pub const KEEP: usize = 14;

/// A backup written and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalBackup {
    /// The file.
    pub path: PathBuf,
    /// Its size.
    pub bytes: u64,
    /// Tables in it.
    pub tables: usize,
    /// Rows in them.
    pub rows: i64,
    /// Encrypted with the database's key.
    pub encrypted: bool,
    /// How long it took.
    pub took_ms: u64,
    /// Older backups removed to keep the number kept.
    pub removed: Vec<PathBuf>,
}

fn file_error(path: &Path, e: impl std::fmt::Display) -> BackupError {
    BackupError::File(format!("{}: {e}", path.display()))
}

async fn connect(path: &Path, key: Option<&[u8; 32]>) -> Result<SqliteConnection, BackupError> {
    let mut options = SqliteConnectOptions::new();
    if let Some(key) = key {
        options = options.pragma("key", format!("\"{}\"", raw_key(key)));
    }
    SqliteConnection::connect_with(&options.filename(path))
        .await
        .map_err(|e| file_error(path, format!("cannot be opened: {e}")))
}

/// Checks the database at `path` with `key`: its integrity (and, encrypted,
/// every page's) and how many tables and rows it holds.
pub async fn check(path: &Path, key: Option<&[u8; 32]>) -> Result<(usize, i64), BackupError> {
    let mut conn = connect(path, key).await?;
    let unreadable =
        |e: sqlx::Error| file_error(path, format!("is not a Marketdesk database readable with this key ({e})"));
    let verdict: String =
        sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut conn).await.map_err(unreadable)?;
    if verdict != "ok" {
        return Err(file_error(path, format!("is damaged: {verdict}")));
    }
    if key.is_some() {
        let pages = sqlx::query("PRAGMA cipher_integrity_check").fetch_all(&mut conn).await.map_err(unreadable)?;
        if let Some(first) = pages.first() {
            let said: String = first.try_get(0).unwrap_or_default();
            return Err(file_error(path, format!("has damaged encrypted pages: {said}")));
        }
    }
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&mut conn)
    .await
    .map_err(unreadable)?;
    let mut rows = 0i64;
    for t in &tables {
        let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM \"{}\"", t.replace('"', "\"\"")))
            .fetch_one(&mut conn)
            .await
            .map_err(unreadable)?;
        rows += n;
    }
    conn.close().await.ok();
    Ok((tables.len(), rows))
}

/// The backups of `source` in `folder`, oldest first (their names hold the time).
fn backups_of(source: &Path, folder: &Path) -> Result<Vec<PathBuf>, BackupError> {
    let stem = source.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let prefix = format!("{stem}-backup-");
    let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(|e| file_error(folder, e))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().map(|n| n.to_string_lossy()).is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".sqlite"))
        })
        .collect();
    found.sort();
    Ok(found)
}

/// Backs the database at `source` (opened with `key` when encrypted) up into
/// `folder` as `<name>-backup-<time>.sqlite`, keeping the newest `keep`.
pub async fn backup_local(
    source: &Path,
    key: Option<&[u8; 32]>,
    folder: &Path,
    now: Timestamp,
    keep: usize,
) -> Result<LocalBackup, BackupError> {
    let started = Instant::now();
    if !source.exists() {
        return Err(file_error(source, "there is no database here to back up"));
    }
    if key.is_none() && !is_plain_sqlite(source)? {
        return Err(file_error(source, "is encrypted: its key is needed (this computer's keychain keeps it)"));
    }
    std::fs::create_dir_all(folder).map_err(|e| file_error(folder, e))?;
    let stem = source.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "marketdesk".into());
    let name = format!("{stem}-backup-{}.sqlite", now.as_datetime().format("%Y%m%d-%H%M%S"));
    let path = folder.join(&name);
    if path.exists() {
        return Err(file_error(&path, "exists already: a backup is never overwritten"));
    }
    let staging = folder.join(format!("{name}.partial"));
    let _ = std::fs::remove_file(&staging);
    let mut conn = {
        let mut options = SqliteConnectOptions::new();
        if let Some(key) = key {
            options = options.pragma("key", format!("\"{}\"", raw_key(key)));
        }
        // Allowed to create files: ATTACH makes the backup with this connection's open flags.
        SqliteConnection::connect_with(&options.filename(source).create_if_missing(true))
            .await
            .map_err(|e| file_error(source, format!("cannot be opened: {e}")))?
    };
    let target_key = key.map(raw_key).unwrap_or_default();
    let exported = async {
        sqlx::query("ATTACH DATABASE ? AS backup KEY ?")
            .bind(staging.display().to_string())
            .bind(&target_key)
            .execute(&mut conn)
            .await?;
        // One statement, one read: the copy is of one moment even while the app writes.
        sqlx::query("SELECT sqlcipher_export('backup')").execute(&mut conn).await?;
        sqlx::query("DETACH DATABASE backup").execute(&mut conn).await?;
        Ok::<(), sqlx::Error>(())
    }
    .await;
    conn.close().await.ok();
    if let Err(e) = exported {
        let _ = std::fs::remove_file(&staging);
        return Err(file_error(source, format!("could not be copied: {e}")));
    }
    let (tables, rows) = match check(&staging, key).await {
        Ok(counts) => counts,
        Err(e) => {
            let _ = std::fs::remove_file(&staging);
            return Err(e);
        }
    };
    std::fs::File::open(&staging).and_then(|f| f.sync_all()).map_err(|e| file_error(&staging, e))?;
    std::fs::rename(&staging, &path).map_err(|e| file_error(&path, e))?;
    let bytes = std::fs::metadata(&path).map_err(|e| file_error(&path, e))?.len();
    let mut removed = Vec::new();
    let all = backups_of(source, folder)?;
    for old in all.iter().take(all.len().saturating_sub(keep.max(1))) {
        std::fs::remove_file(old).map_err(|e| file_error(old, e))?;
        removed.push(old.clone());
    }
    Ok(LocalBackup {
        path,
        bytes,
        tables,
        rows,
        encrypted: key.is_some(),
        took_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        removed,
    })
}

/// Puts the backup `file` back as the database at `target` (which must not
/// be open): the backup is checked with `key` first, a file already at
/// `target` is set aside as `<name>.replaced-<time>` with its side files, and
/// the backup is copied in whole. Returns the file set aside, if any.
pub async fn restore_local(
    file: &Path,
    target: &Path,
    key: Option<&[u8; 32]>,
    now: Timestamp,
) -> Result<Option<PathBuf>, BackupError> {
    check(file, key).await?;
    let staging = target.with_extension("restoring");
    std::fs::copy(file, &staging).map_err(|e| file_error(&staging, e))?;
    std::fs::File::open(&staging).and_then(|f| f.sync_all()).map_err(|e| file_error(&staging, e))?;
    let stamp = now.as_datetime().format("%Y%m%d-%H%M%S");
    let mut aside = None;
    if target.exists() {
        let moved = crate::store::encryption::with_suffix(target, &format!(".replaced-{stamp}"));
        std::fs::rename(target, &moved).map_err(|e| file_error(target, e))?;
        aside = Some(moved);
    }
    for suffix in ["-wal", "-shm"] {
        let side = crate::store::encryption::with_suffix(target, suffix);
        if side.exists() {
            let moved = crate::store::encryption::with_suffix(target, &format!(".replaced-{stamp}{suffix}"));
            std::fs::rename(&side, &moved).map_err(|e| file_error(&side, e))?;
        }
    }
    std::fs::rename(&staging, target).map_err(|e| file_error(target, e))?;
    Ok(aside)
}
