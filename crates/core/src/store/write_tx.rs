//! One open write transaction on either engine, so that several writes — a
//! change and the outbox entry that records it, a mutation and its idempotency
//! key — commit together or not at all.

use super::{BeginWrite, Db, Store, StoreError};
use sqlx::{Postgres, Sqlite, Transaction};

/// An open write transaction, on a pooled connection (`'static`) or on one
/// the caller holds. Dropping it without [`WriteTx::commit`] rolls
/// everything back.
pub enum WriteTx<'c> {
    /// On the central PostgreSQL.
    Postgres(Transaction<'c, Postgres>),
    /// On a SQLite file (holding its write lock from the start).
    Sqlite(Transaction<'c, Sqlite>),
}

impl std::fmt::Debug for WriteTx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            WriteTx::Postgres(_) => "WriteTx(PostgreSQL)",
            WriteTx::Sqlite(_) => "WriteTx(SQLite)",
        })
    }
}

/// Runs the same code against the connection of whichever transaction `$tx`
/// holds; the body is expanded once per engine. Use `&mut *$conn` as executor.
macro_rules! with_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::store::write_tx::WriteTx::Postgres(t) => {
                let $conn: &mut sqlx::PgConnection = &mut *t;
                $body
            }
            $crate::store::write_tx::WriteTx::Sqlite(t) => {
                let $conn: &mut sqlx::SqliteConnection = &mut *t;
                $body
            }
        }
    };
}
pub(crate) use with_tx;

impl WriteTx<'_> {
    /// Makes every write of the transaction visible at once.
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            WriteTx::Postgres(t) => t.commit().await?,
            WriteTx::Sqlite(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// What to do with a savepoint.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Savepoint {
    /// Set it.
    Set,
    /// Keep what was written since it was set.
    Release,
    /// Undo what was written since it was set (the transaction goes on).
    RollBack,
}

impl WriteTx<'_> {
    /// Sets, releases or rolls back to the savepoint `name` (a plain
    /// identifier): one part of a long transaction can fail without the rest.
    pub(crate) async fn savepoint(&mut self, step: Savepoint, name: &'static str) -> Result<(), StoreError> {
        let sql = match step {
            Savepoint::Set => format!("SAVEPOINT {name}"),
            Savepoint::Release => format!("RELEASE SAVEPOINT {name}"),
            Savepoint::RollBack => format!("ROLLBACK TO SAVEPOINT {name}"),
        };
        with_tx!(self, |c| sqlx::query(&sql).execute(&mut *c).await.map(|_| ()))?;
        Ok(())
    }
}

impl WriteTx<'_> {
    /// For a transaction that writes thousands of rows (an import, a bulk
    /// change): on PostgreSQL every statement — the triggers' too — is
    /// planned for the tables as they have grown inside the transaction,
    /// instead of reusing a plan made when they were small (which turns
    /// index lookups into scans of everything written so far). Nothing on
    /// SQLite.
    pub(crate) async fn plan_for_growth(&mut self) -> Result<(), StoreError> {
        if let WriteTx::Postgres(t) = self {
            sqlx::query("SET LOCAL plan_cache_mode = force_custom_plan").execute(&mut **t).await?;
        }
        Ok(())
    }
}

impl Db {
    /// Begins a write transaction on this pool.
    pub(crate) async fn begin_write_tx(&self) -> Result<WriteTx<'static>, StoreError> {
        Ok(match self {
            Db::Postgres(p) => WriteTx::Postgres(p.begin_write().await?),
            Db::Sqlite(p) => WriteTx::Sqlite(p.begin_write().await?),
        })
    }
}

impl Store {
    /// Begins a write transaction on this store.
    pub async fn begin_write_tx(&self) -> Result<WriteTx<'static>, StoreError> {
        self.db.begin_write_tx().await
    }
}
