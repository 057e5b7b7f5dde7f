//! `backup` and `restore`: the central database dumped into a folder
//! (`pg_dump`, custom format, read back before it is named) and an archive
//! restored into a new, empty database, each reporting the database's
//! fingerprint — rows per table and the ledger's balances — so a drill can
//! compare the two.

use super::Result;
use marketdesk_core::backup::central::{NOT_CENTRAL, dump, restore};
use marketdesk_core::backup::fingerprint::{Fingerprint, fingerprint};
use marketdesk_core::backup::runs::record_run;
use marketdesk_core::domain::Timestamp;
use marketdesk_core::store::DatabaseUrl;
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

/// `marketdesk backup --out FOLDER`.
pub async fn backup_cmd(loc: &Location, out: &Path) -> Result<ExitCode> {
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

/// `marketdesk restore ARCHIVE` into the (empty) database of `--database-url`.
pub async fn restore_cmd(loc: &Location, archive: &Path) -> Result<ExitCode> {
    let url = postgres(loc)?;
    let entries = restore(url, archive).await?;
    let store = location::open(loc, false).await?;
    let after = fingerprint(&store).await?;
    store.close().await;
    println!("Restored {} objects from {}.", entries, archive.display());
    println!("Database: {}", summary(&after));
    Ok(ExitCode::SUCCESS)
}
