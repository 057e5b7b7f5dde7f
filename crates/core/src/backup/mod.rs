//! Backups of the marketplace: the central PostgreSQL dumped with `pg_dump`
//! in its custom format and restored with `pg_restore` into an empty
//! database (`central.rs`), and a fingerprint of a database — every table's
//! row count and the ledger's balance per account and currency — that a
//! restore drill compares before and after (`fingerprint.rs`), the backups
//! made, recorded for `doctor` (`runs.rs`), and a desktop's local SQLite
//! database copied into a chosen folder, kept encrypted with its own key, and
//! put back after a check (`local.rs`).

pub mod central;
pub mod fingerprint;
pub mod local;
pub mod runs;

/// Why a backup or a restore did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The database address cannot be used for this.
    #[error("{0}")]
    Address(String),
    /// A PostgreSQL client program is missing or would not start.
    #[error("{tool} could not be run ({reason}); install the PostgreSQL client programs (Debian: postgresql-client)")]
    Tool {
        /// `pg_dump` or `pg_restore`.
        tool: &'static str,
        /// What the system said.
        reason: String,
    },
    /// The program ran and failed.
    #[error("{tool} failed: {message}")]
    Failed {
        /// `pg_dump` or `pg_restore`.
        tool: &'static str,
        /// Its own words (the last lines of its error output).
        message: String,
    },
    /// A file could not be read or written.
    #[error("{0}")]
    File(String),
    /// The target already holds data: a restore never overwrites.
    #[error("{0}")]
    NotEmpty(String),
    /// The database refused or failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}
