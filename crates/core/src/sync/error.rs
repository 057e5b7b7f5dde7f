//! What can stop a sync, in words a person can act on.

use crate::store::StoreError;

/// A sync failure.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The server cannot be reached now; nothing was lost, sync tries again.
    #[error("the server cannot be reached ({0}); changes wait on this computer and go when it answers")]
    Offline(String),
    /// Sync needs a central PostgreSQL and a local SQLite copy.
    #[error("sync works between the central PostgreSQL and this computer's SQLite copy: {0}")]
    WrongStores(String),
    /// The local copy belongs to another server or person: it must be resynced.
    #[error("{0}")]
    NeedsResync(String),
    /// Writing pulled rows into the local copy failed.
    #[error("the local copy could not take the server's rows of {table}: {source}")]
    LocalWrite {
        /// The table being written.
        table: String,
        /// What SQLite said.
        #[source]
        source: sqlx::Error,
    },
    /// A stored mutation could not be read back.
    #[error("a queued change cannot be read: {0}")]
    BadMutation(String),
    /// The server pruned its change feed past this copy's cursor (the copy
    /// was away longer than the server keeps changes): it must be copied again.
    #[error(
        "this computer's copy was away longer than the server keeps changes (it pulled up to transaction \
         {cursor}, the server keeps them from {floor} on): it is copied again"
    )]
    LeftBehind {
        /// How far the copy had pulled.
        cursor: i64,
        /// The feed's floor.
        floor: i64,
    },
    /// The database failed (or refused).
    #[error(transparent)]
    Store(StoreError),
}

impl From<sqlx::Error> for SyncError {
    fn from(e: sqlx::Error) -> Self {
        SyncError::from(StoreError::from(e))
    }
}

impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> Self {
        if let Some(reason) = transient(&e) {
            return SyncError::Offline(reason);
        }
        SyncError::Store(e)
    }
}

/// Why `e` is a failure of the connection rather than an answer of the
/// server (which a retry later may get past), if it is one.
pub(crate) fn transient(e: &StoreError) -> Option<String> {
    match e {
        StoreError::Unreachable { address, reason } => Some(format!("{address}: {reason}")),
        StoreError::Database(err) => match err {
            sqlx::Error::Io(io) => Some(io.to_string()),
            sqlx::Error::PoolTimedOut => Some("no connection within the time limit".into()),
            sqlx::Error::PoolClosed => Some("the connection pool is closed".into()),
            sqlx::Error::Protocol(p) => Some(p.clone()),
            sqlx::Error::Tls(t) => Some(t.to_string()),
            sqlx::Error::Database(db) => match db.code().as_deref() {
                // Connection failures and the server shutting down or restarting.
                Some(code) if code.starts_with("08") || code.starts_with("57P") => Some(db.message().to_owned()),
                // Serialization and deadlock: the same transaction may pass when retried.
                Some("40001" | "40P01") => Some(db.message().to_owned()),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}
