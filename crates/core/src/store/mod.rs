//! One interface over the two databases Marketdesk works with: the marketplace's
//! central PostgreSQL and the desktop's local SQLite file.
//!
//! A [`Store`] holds a pool of either engine. Queries are written once where both
//! engines accept the same SQL (`$1` placeholders, row-value comparisons, the same
//! column types through [`codec`]) and run through [`with_pool!`], which expands
//! the same code once per engine; a dialect-specific variant exists only where the
//! engines really differ (bulk loading, introspection, locking).
//!
//! The store never decides business rules beyond keeping rows whole: validation of
//! what a person may do lives in `domain` and the feature modules.

pub mod audit;
pub mod bulk;
pub mod codec;
mod connect;
pub mod disputes;
pub mod encryption;
mod error;
pub mod files;
pub mod label_purchases;
pub mod ledger;
pub mod live;
pub mod local_copy;
pub mod location;
pub mod marketplace_reports;
pub mod migrate;
pub mod order_facets;
pub mod order_lens;
pub(crate) mod order_search;
pub mod orders;
pub mod packing;
pub mod page;
pub mod payouts;
pub mod pooler;
pub mod printing;
pub mod products;
pub mod replica;
pub mod report_runs;
pub mod report_table;
pub mod reports;
pub mod rollups;
pub mod saved_reports;
pub mod schema;
pub mod settings;
pub mod shipment_rates;
pub mod shipments;
pub mod shipping_zones;
pub(crate) mod sql;
pub mod statements;
pub mod stock_movements;
pub(crate) mod text_search;
pub mod tracking;
mod url;
pub mod users;
pub mod vendors;
pub(crate) mod versioned;
pub mod warehouse;
pub mod write_tx;

pub use connect::OpenOptions;
pub use error::StoreError;
pub use page::{Page, PageRequest, SortDir};
pub use url::DatabaseUrl;

/// A server URL as a stable, password-free name (for keychain entries and messages).
pub fn redacted_server(server: &str) -> String {
    url::redact(server)
}

use sqlx::{PgPool, SqlitePool};

/// Which database engine a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// The central PostgreSQL.
    Postgres,
    /// A local SQLite file.
    Sqlite,
}

impl std::fmt::Display for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Engine::Postgres => "PostgreSQL",
            Engine::Sqlite => "SQLite",
        })
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Db {
    Postgres(PgPool),
    Sqlite(SqlitePool),
}

/// How long [`Store::close`] waits for connections in use to come back.
pub const CLOSE_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// Runs the same code against whichever pool the store holds. The body is
/// expanded once per engine, so it is type-checked against both.
macro_rules! with_pool {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::store::Db::Postgres($pool) => $body,
            $crate::store::Db::Sqlite($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

/// Starting a transaction that will write, on either engine. On SQLite it
/// takes the write lock at once (`BEGIN IMMEDIATE`): a transaction that reads
/// first and writes later cannot wait for another writer, so under
/// concurrent writers it would fail with "database is locked" instead of
/// waiting its turn (the busy timeout).
pub(crate) trait BeginWrite {
    /// The engine's database type.
    type Engine: sqlx::Database;
    /// Begins the transaction.
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, Self::Engine>, sqlx::Error>> + Send;
}

impl BeginWrite for PgPool {
    type Engine = sqlx::Postgres;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error>> + Send {
        self.begin()
    }
}

impl BeginWrite for SqlitePool {
    type Engine = sqlx::Sqlite;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error>> + Send {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

/// A connection pool to one Marketdesk database, PostgreSQL or SQLite.
///
/// Cheap to clone; clones share the pool.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) db: Db,
    url: DatabaseUrl,
    route: pooler::Route,
}

impl Store {
    /// Which engine this store talks to.
    pub fn engine(&self) -> Engine {
        match self.db {
            Db::Postgres(_) => Engine::Postgres,
            Db::Sqlite(_) => Engine::Sqlite,
        }
    }

    /// The URL the store was opened with (passwords redacted in its `Display`).
    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// How the server is reached: straight, or through a transaction pooler.
    pub fn route(&self) -> &pooler::Route {
        &self.route
    }

    /// The PostgreSQL pool, when this store is PostgreSQL.
    pub fn pg_pool(&self) -> Option<&PgPool> {
        match &self.db {
            Db::Postgres(p) => Some(p),
            Db::Sqlite(_) => None,
        }
    }

    /// The SQLite pool, when this store is SQLite.
    pub fn sqlite_pool(&self) -> Option<&SqlitePool> {
        match &self.db {
            Db::Sqlite(p) => Some(p),
            Db::Postgres(_) => None,
        }
    }

    /// Closes every connection of the pool: idle ones at once, those in use
    /// as they come back, waiting at most [`CLOSE_GRACE`]. A connection held
    /// by a task that never gives it back (or lost by the pool under heavy
    /// load) cannot hang signing out, quitting or a test: the pool is closed to
    /// new work either way, and what is left ends with it, said in the log.
    pub async fn close(&self) {
        let closing = async { with_pool!(&self.db, |p| p.close().await) };
        if tokio::time::timeout(CLOSE_GRACE, closing).await.is_err() {
            let (size, idle) = with_pool!(&self.db, |p| (p.size(), p.num_idle()));
            tracing::warn!(
                size,
                idle,
                "the database pool did not close within {} s; its last connections end with it",
                CLOSE_GRACE.as_secs()
            );
        }
    }

    /// Checks the server answers a trivial query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        with_pool!(&self.db, |p| sqlx::query("SELECT 1").execute(p).await.map(|_| ()))?;
        Ok(())
    }
}
