//! `backup` and `restore`: the central database dumped into a folder
//! (`pg_dump`, custom format, read back before it is named) and an archive
//! restored into a new, empty database, each reporting the database's
//! fingerprint — rows per table and the ledger's balances — so a drill can
//! compare the two; and a local SQLite database (a desktop's copy) backed up
//! into a folder, encrypted with its own key when it is encrypted, and put
//! back with the current file set aside.

use super::Result;
use marketdesk_core::backup::central::{NOT_CENTRAL, dump, restore};
use marketdesk_core::backup::fingerprint::{Fingerprint, fingerprint};
use marketdesk_core::backup::local::{KEEP, backup_local, restore_local};
use marketdesk_core::backup::runs::record_run;
use marketdesk_core::domain::Timestamp;
use marketdesk_core::secrets;
use marketdesk_core::store::DatabaseUrl;
use marketdesk_core::store::encryption::is_plain_sqlite;
use marketdesk_core::store::location::{self, Location};
use std::path::Path;
use std::process::ExitCode;

fn postgres(loc: &Location) -> Result<&str> {
    match &loc.url {
        DatabaseUrl::Postgres(url) => Ok(url),
        DatabaseUrl::Sqlite(_) => Err(NOT_CENTRAL.into()),
    }
}

fn summary(f: &Fingerprint) -> String {
    let balanced: i64 = f.ledger.values().sum();
    format!(
        "{} tables, {} rows; ledger: {} account balances, summing to {balanced}",
        f.tables.len(),
        f.rows(),
        f.ledger.len()
    )
}

/// The key of the local database at `path` when it is encrypted (this
/// computer's keychain keeps it), or `None` for a plain file.
fn local_key(path: &Path, encrypted: bool) -> Result<Option<[u8; 32]>> {
    if !encrypted {
        return Ok(None);
    }
    let path = std::path::absolute(path)?;
    match secrets::existing_local_copy_key(&path)? {
        Some(key) => Ok(Some(key)),
        None => Err(format!(
            "{} is encrypted and this computer's keychain holds no key for it: back it up or restore it on the \
             computer that made it, at the same place",
            path.display()
        )
        .into()),
    }
}

/// `marketdesk backup --out FOLDER` of a local SQLite database.
async fn backup_local_cmd(path: &Path, out: &Path) -> Result<ExitCode> {
    let key = local_key(path, path.exists() && !is_plain_sqlite(path)?)?;
    let made = backup_local(path, key.as_ref(), out, Timestamp::now(), KEEP).await?;
    println!(
        "Backed up to {} ({} bytes, {} tables, {} rows, {}, checked, {} ms).",
        made.path.display(),
        made.bytes,
        made.tables,
        made.rows,
        if made.encrypted { "encrypted with the database's own key" } else { "not encrypted, like the database" },
        made.took_ms
    );
    for old in &made.removed {
        println!("Removed the older backup {} (the newest {KEEP} are kept).", old.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `marketdesk backup --out FOLDER`.
pub async fn backup_cmd(loc: &Location, out: &Path) -> Result<ExitCode> {
    if let DatabaseUrl::Sqlite(path) = &loc.url {
        return backup_local_cmd(path, out).await;
    }
    let url = postgres(loc)?;
    let store = location::open(loc, false).await?;
    let before = fingerprint(&store).await?;
    let file = dump(url, out, Timestamp::now()).await?;
    record_run(&store, &file, &before).await?;
    store.close().await;
    println!(
        "Backed up to {} ({} bytes, {} objects, {} ms).",
        file.path.display(),
        file.bytes,
        file.entries,
        file.took_ms
    );
    println!("Database: {}", summary(&before));
    Ok(ExitCode::SUCCESS)
}

/// `marketdesk restore ARCHIVE` into the (empty) database of `--database-url`;
/// for a local SQLite database, the backup put back in its place.
pub async fn restore_cmd(loc: &Location, archive: &Path) -> Result<ExitCode> {
    if let DatabaseUrl::Sqlite(target) = &loc.url {
        let key = if is_plain_sqlite(archive)? {
            None
        } else {
            match secrets::existing_local_copy_key(&std::path::absolute(target)?)? {
                Some(key) => Some(key),
                None => {
                    return Err(format!(
                        "{} is not a plain SQLite database, and this computer's keychain holds no key for {} to \
                         read it as an encrypted backup of that copy",
                        archive.display(),
                        target.display()
                    )
                    .into());
                }
            }
        };
        let aside = restore_local(archive, target, key.as_ref(), Timestamp::now()).await?;
        println!("Restored {} as {} (checked first).", archive.display(), target.display());
        if let Some(aside) = aside {
            println!("The file that was there is kept as {}.", aside.display());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let url = postgres(loc)?;
    let entries = restore(url, archive).await?;
    let store = location::open(loc, false).await?;
    let after = fingerprint(&store).await?;
    store.close().await;
    println!("Restored {} objects from {}.", entries, archive.display());
    println!("Database: {}", summary(&after));
    Ok(ExitCode::SUCCESS)
}
