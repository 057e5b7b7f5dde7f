//! Turning a plain SQLite file into an encrypted one (SQLCipher), so a local
//! copy kept before encryption was switched on is protected from then on.

use super::StoreError;
use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use std::path::{Path, PathBuf};

/// The first 16 bytes of every plain SQLite file; an encrypted file starts with
/// random salt instead.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Whether `path` is a plain SQLite database: its header says so. `false` for a
/// missing, empty or encrypted file.
pub fn is_plain_sqlite(path: &Path) -> Result<bool, StoreError> {
    use std::io::Read;
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(io(path, e)),
    };
    let mut header = [0u8; 16];
    match file.read_exact(&mut header) {
        Ok(()) => Ok(&header == PLAIN_HEADER),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(io(path, e)),
    }
}

/// Encrypts the plain SQLite file at `path` with `key`, in place, and says
/// whether it did (`false`: missing or already encrypted, left alone).
///
/// The encrypted copy is written beside the file by SQLCipher's
/// `sqlcipher_export` (schema, rows and header flags) and then renamed over
/// it, so a crash leaves either the old plain file or the new encrypted one,
/// never half of each. Nobody may have the file open meanwhile.
pub async fn encrypt_in_place(path: &Path, key: &[u8; 32]) -> Result<bool, StoreError> {
    if !is_plain_sqlite(path)? {
        return Ok(false);
    }
    let staging = path.with_extension("encrypting");
    remove_if_present(&staging)?;
    // Allowed to create files: ATTACH makes the staging file with the
    // connection's own open flags.
    let mut conn = SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(path).create_if_missing(true))
        .await
        .map_err(|e| StoreError::BadUrl(format!("cannot open {} to encrypt it: {e}", path.display())))?;
    let exported = export(&mut conn, &staging, key).await;
    conn.close().await.map_err(StoreError::from)?;
    if let Err(e) = exported {
        let _ = std::fs::remove_file(&staging);
        return Err(e);
    }
    std::fs::File::open(&staging).and_then(|f| f.sync_all()).map_err(|e| io(&staging, e))?;
    std::fs::rename(&staging, path).map_err(|e| io(path, e))?;
    // The plain file's write-ahead log was folded in before the export; its
    // side files belong to the old file and must not be replayed into the new.
    for suffix in ["-wal", "-shm"] {
        remove_if_present(&with_suffix(path, suffix))?;
    }
    Ok(true)
}

/// SQLCipher's form of a raw 256-bit key (`x'…'`: used as it is, no passphrase derivation).
pub(crate) fn raw_key(key: &[u8; 32]) -> String {
    format!("x'{}'", hex::encode(key))
}

async fn export(conn: &mut SqliteConnection, staging: &Path, key: &[u8; 32]) -> Result<(), StoreError> {
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut *conn).await?;
    sqlx::query("ATTACH DATABASE ? AS encrypted KEY ?")
        .bind(staging.display().to_string())
        .bind(raw_key(key))
        .execute(&mut *conn)
        .await?;
    sqlx::query("SELECT sqlcipher_export('encrypted')").execute(&mut *conn).await?;
    sqlx::query("DETACH DATABASE encrypted").execute(&mut *conn).await?;
    Ok(())
}

/// `path` with `suffix` added to its file name (`copy.sqlite` + `-wal`).
pub(crate) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_present(path: &Path) -> Result<(), StoreError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(path, e)),
        _ => Ok(()),
    }
}

fn io(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::BadUrl(format!("cannot encrypt {}: {e}", path.display()))
}
