//! A desktop's local database. Beside a central server it is that server's copy
//! on this computer (people, and the verifiers for offline sign-in), so it is
//! encrypted at rest with a key kept in the OS keychain: a stolen file shows no
//! customer data. Without a usable keychain nothing is kept: the session gets a
//! scratch copy encrypted with a key that lives only in memory and is deleted
//! when the app ends.

use super::encryption::{encrypt_in_place, is_plain_sqlite, with_suffix};
use super::location::{self, Location};
use super::{DatabaseUrl, OpenOptions, Store, StoreError};
use crate::secrets::{self, SecretError};
use std::path::{Path, PathBuf};

/// The opened local database and what the sign-in screen should say about it.
#[derive(Debug)]
pub struct LocalCopy {
    /// The store the offline work and the sign-in verifiers go to.
    pub store: Store,
    /// Why this computer keeps no lasting copy, when it keeps none.
    pub note: Option<String>,
    /// Encrypted at rest.
    pub encrypted: bool,
    scratch: Option<ScratchDir>,
}

impl LocalCopy {
    /// Whether this copy lasts only as long as the app (no keychain to keep its key).
    pub fn is_scratch(&self) -> bool {
        self.scratch.is_some()
    }
}

/// Opens the local database at `location`. `beside_server`: this desktop signs
/// in to a central server, so a SQLite file there is its encrypted copy (a plain
/// file from before is encrypted in place first). Otherwise the file is opened
/// as it is — with its keychain key if it was encrypted beside a server before.
pub async fn open_local_copy(
    location: &Location,
    beside_server: bool,
    base: OpenOptions,
) -> Result<LocalCopy, StoreError> {
    let DatabaseUrl::Sqlite(path) = &location.url else {
        let store = location::open_with(location, false, base).await?;
        return Ok(LocalCopy { store, note: None, encrypted: false, scratch: None });
    };
    let path = std::path::absolute(path).map_err(|e| StoreError::BadUrl(format!("{}: {e}", path.display())))?;
    if !beside_server {
        let key = if path.exists() && !is_plain_sqlite(&path)? {
            secrets::existing_local_copy_key(&path).map_err(keychain)?
        } else {
            None
        };
        let store = location::open_with(location, false, OpenOptions { encryption_key: key, ..base }).await?;
        return Ok(LocalCopy { store, note: None, encrypted: key.is_some(), scratch: None });
    }
    match secrets::local_copy_key(&path) {
        Ok(key) => {
            encrypt_in_place(&path, &key).await?;
            let keyed = OpenOptions { encryption_key: Some(key), ..base };
            match location::open_with(location, false, keyed.clone()).await {
                Ok(store) => Ok(LocalCopy { store, note: None, encrypted: true, scratch: None }),
                // The keychain lost the key the file was made with (kernel keyrings
                // forget at reboot): keep the file, start a new copy beside it.
                Err(StoreError::Encrypted(_)) => {
                    let aside = set_aside(&path)?;
                    let fresh = Location { url: location.url.clone(), is_default: true };
                    let store = location::open_with(&fresh, false, keyed).await?;
                    let note = format!(
                        "The local copy could not be opened with this computer's key (the keychain no longer holds \
                         the one it was made with). It was kept as {} and a new copy started: sign in online once \
                         to work offline again.",
                        aside.display()
                    );
                    Ok(LocalCopy { store, note: Some(note), encrypted: true, scratch: None })
                }
                Err(e) => Err(e),
            }
        }
        Err(SecretError::Unavailable(why)) => {
            let scratch = ScratchDir::new()?;
            let mut key = [0u8; 32];
            rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut key);
            let file = Location { url: DatabaseUrl::sqlite(scratch.0.join("session.sqlite")), is_default: true };
            let store = location::open_with(&file, false, OpenOptions { encryption_key: Some(key), ..base }).await?;
            let note = format!(
                "This computer has no usable keychain ({why}), so Marketdesk keeps no copy of the marketplace here: \
                 signing in needs the server, and nothing is left behind when the app closes."
            );
            Ok(LocalCopy { store, note: Some(note), encrypted: true, scratch: Some(scratch) })
        }
        Err(e) => Err(keychain(e)),
    }
}

/// Renames the file at `path` (and its side files) to `<name>.unreadable-<time>`;
/// returns the new name.
fn set_aside(path: &Path) -> Result<PathBuf, StoreError> {
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    let aside = with_suffix(path, &format!(".unreadable-{stamp}"));
    let moved = |from: &Path, to: &Path| match std::fs::rename(from, to) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(StoreError::BadUrl(format!("cannot set {} aside: {e}", from.display())))
        }
        _ => Ok(()),
    };
    moved(path, &aside)?;
    for suffix in ["-wal", "-shm"] {
        moved(&with_suffix(path, suffix), &with_suffix(&aside, suffix))?;
    }
    Ok(aside)
}

fn keychain(e: SecretError) -> StoreError {
    StoreError::Encrypted(format!("the local copy's key cannot be read: {e}"))
}

/// A private folder (mode 0700) removed with everything in it when dropped.
#[derive(Debug)]
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new() -> Result<Self, StoreError> {
        let mut bytes = [0u8; 8];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
        let path = std::env::temp_dir().join(format!("marketdesk-session-{}", hex::encode(bytes)));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&path).map_err(|e| scratch_error(&path, e))?;
        Ok(Self(path))
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch_error(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::BadUrl(format!("cannot make the session folder {}: {e}", path.display()))
}
