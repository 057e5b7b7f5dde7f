//! Files Marketdesk writes on this computer (exports, statements, the local
//! SQLite file): private to the person (mode 0600 on Unix), checked before any
//! work starts, and written through a `.partial` file beside the target that is
//! renamed into place when whole and removed on any failure.

use super::StoreError;
use std::fs::File;
use std::path::{Path, PathBuf};

/// Why a file cannot be written where it was asked for.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The path names an existing folder.
    #[error("cannot write to {}: it is a folder, not a file", .0.display())]
    IsFolder(PathBuf),
    /// The folder the file would go in does not exist.
    #[error("the folder {} does not exist", .0.display())]
    NoFolder(PathBuf),
    /// The path names no file (`..`, `/`).
    #[error("cannot write to {}: it does not name a file", .0.display())]
    NoFileName(PathBuf),
    /// The system refused to create, write or rename it.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file written.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

impl From<FileError> for StoreError {
    fn from(e: FileError) -> Self {
        StoreError::Validation(e.to_string())
    }
}

/// The folder `path` goes in (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Checks that `path` can be a file Marketdesk writes: not a folder, and in a
/// folder that exists (no folder is ever created for it).
pub fn check_target(path: &Path) -> Result<(), FileError> {
    let text = path.as_os_str().to_string_lossy();
    if path.is_dir() || text.ends_with(std::path::MAIN_SEPARATOR) || text.ends_with('/') {
        return Err(FileError::IsFolder(path.to_owned()));
    }
    if path.file_name().is_none() {
        return Err(FileError::NoFileName(path.to_owned()));
    }
    let folder = folder_of(path);
    if !folder.is_dir() {
        return Err(FileError::NoFolder(folder.to_owned()));
    }
    Ok(())
}

/// Creates the new file `path` for writing, readable and writable by this user
/// only (0600 on Unix). Fails if something already exists there.
pub fn create_private(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Creates the folder `dir` and any missing parents, private to this user
/// (0700 on Unix). Only for Marketdesk's own folders.
pub fn create_private_dir_all(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// The temporary file an export is written to before it is renamed into place.
pub fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".partial");
    path.with_file_name(name)
}

/// A file being written beside its target: renamed into place by
/// [`PartialFile::commit`], removed when dropped without it (a failure, a
/// cancellation, an abandoned task).
#[derive(Debug)]
pub struct PartialFile {
    partial: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl PartialFile {
    /// Checks `target` ([`check_target`]) and creates its private `.partial`
    /// file (one left by an earlier crash is replaced).
    pub fn create(target: &Path) -> Result<(PartialFile, File), FileError> {
        check_target(target)?;
        let partial = partial_path(target);
        let io = |source| FileError::Io { path: partial.clone(), source };
        match std::fs::remove_file(&partial) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(e)),
        }
        let file = create_private(&partial).map_err(io)?;
        Ok((PartialFile { partial, target: target.to_owned(), committed: false }, file))
    }

    /// Moves the whole file into place (its 0600 mode goes with it).
    pub fn commit(mut self) -> Result<(), FileError> {
        std::fs::rename(&self.partial, &self.target)
            .map_err(|source| FileError::Io { path: self.target.clone(), source })?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_missing_folders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(check_target(dir.path()), Err(FileError::IsFolder(_))));
        let nested = dir.path().join("no/such/folder/x.csv");
        let err = check_target(&nested).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("the folder {} does not exist", dir.path().join("no/such/folder").display())
        );
        assert!(check_target(&dir.path().join("x.csv")).is_ok());
        assert!(check_target(Path::new("relative.csv")).is_ok());
    }

    #[test]
    fn a_partial_file_is_private_and_removed_unless_committed() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        let (partial, mut file) = PartialFile::create(&target).unwrap();
        file.write_all(b"a\r\n").unwrap();
        drop(partial);
        assert!(!partial_path(&target).exists() && !target.exists());
        let (partial, mut file) = PartialFile::create(&target).unwrap();
        file.write_all(b"a\r\n").unwrap();
        partial.commit().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"a\r\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}
