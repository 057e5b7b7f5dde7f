//! Opening a store: pools, engine settings, and turning connection failures into
//! one clear sentence each.

use super::pooler::{self, Route};
use super::{DatabaseUrl, Db, Store, StoreError, url::redact};
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

/// How to open a store.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// Create a missing SQLite file (and its folder). Ignored for PostgreSQL.
    pub create: bool,
    /// Most connections the pool keeps open.
    pub max_connections: u32,
    /// How long to wait for the server before giving up.
    pub connect_timeout: Duration,
    /// The 32-byte key a SQLite file is encrypted with (SQLCipher); `None` for
    /// a plain file. Ignored for PostgreSQL.
    pub encryption_key: Option<[u8; 32]>,
    /// SQLite page cache per connection, MiB. Ignored for PostgreSQL.
    pub cache_mib: u32,
}

impl Default for OpenOptions {
    fn default() -> Self {
        Self {
            create: false,
            max_connections: 8,
            connect_timeout: Duration::from_secs(5),
            encryption_key: None,
            cache_mib: 128,
        }
    }
}

impl OpenOptions {
    /// Options that create a missing SQLite file.
    pub fn create() -> Self {
        Self { create: true, ..Self::default() }
    }

    /// A desktop's share: few connections and a modest cache per connection, so
    /// the app stays light beside its web view (reports read small rollups).
    pub fn desktop(self) -> Self {
        Self { max_connections: 4, cache_mib: 32, ..self }
    }
}

impl Store {
    /// Opens a pool to `url` and checks that the server answers.
    ///
    /// Fails with one specific [`StoreError`] for a bad URL, an unreachable server,
    /// a refused password, a missing database or a missing file. It neither
    /// migrates nor checks the schema: see [`Store::schema_status`].
    pub async fn open(url: &DatabaseUrl, options: &OpenOptions) -> Result<Store, StoreError> {
        let (db, route) = match url {
            DatabaseUrl::Postgres(text) => {
                let (pool, route) = open_postgres(text, options).await?;
                (Db::Postgres(pool), route)
            }
            DatabaseUrl::Sqlite(path) => (Db::Sqlite(open_sqlite(path, options).await?), Route::default()),
        };
        Ok(Store { db, url: url.clone(), route })
    }
}

async fn open_postgres(text: &str, options: &OpenOptions) -> Result<(sqlx::PgPool, Route), StoreError> {
    let (text, route) = pooler::split(text)?;
    let connect = PgConnectOptions::from_str(&text)
        .map_err(|e| StoreError::BadUrl(format!("{e} in “{}”", redact(&text))))?
        .application_name("marketdesk");
    // Through a transaction pooler no session settings are sent (see `pooler`).
    let connect = if route.pooled { connect } else { pooler::with_session_settings(connect) };
    let user = connect.get_username().to_owned();
    let address = format!("{}:{}", connect.get_host(), connect.get_port());
    let database = connect.get_database().unwrap_or(&user).to_owned();
    // Connect once, directly, so a bad setup fails at once with its own error
    // (a pool would keep retrying until its timeout).
    let first = tokio::time::timeout(options.connect_timeout, sqlx::PgConnection::connect_with(&connect)).await;
    match first {
        Err(_) => {
            return Err(StoreError::Unreachable { address, reason: "no answer before the timeout".to_owned() });
        }
        Ok(Err(err)) => return Err(classify_pg(err, &user, &address, &database)),
        Ok(Ok(conn)) => {
            let _ = conn.close().await;
        }
    }
    let pool = PgPoolOptions::new()
        .max_connections(options.max_connections)
        .acquire_timeout(options.connect_timeout)
        .connect_lazy_with(connect);
    Ok((pool, route))
}

fn classify_pg(err: sqlx::Error, user: &str, address: &str, database: &str) -> StoreError {
    match &err {
        sqlx::Error::Io(io) => StoreError::Unreachable { address: address.to_owned(), reason: io.to_string() },
        sqlx::Error::PoolTimedOut => {
            StoreError::Unreachable { address: address.to_owned(), reason: "no answer before the timeout".to_owned() }
        }
        sqlx::Error::Tls(e) => StoreError::Unreachable { address: address.to_owned(), reason: format!("TLS: {e}") },
        sqlx::Error::Database(db) => match db.code().as_deref() {
            Some("28P01") => StoreError::WrongPassword { user: user.to_owned() },
            Some("3D000") => StoreError::DatabaseMissing(database.to_owned()),
            Some(code) if code.starts_with("28") => {
                StoreError::AccessDenied(format!("the database server refused the connection: {}", db.message()))
            }
            _ => StoreError::from(err),
        },
        _ => StoreError::from(err),
    }
}

async fn open_sqlite(path: &std::path::Path, options: &OpenOptions) -> Result<sqlx::SqlitePool, StoreError> {
    if !path.exists() {
        if !options.create {
            return Err(StoreError::FileMissing(path.display().to_string()));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::BadUrl(format!("cannot create folder {}: {e}", dir.display())))?;
        }
    }
    let mut connect = SqliteConnectOptions::new();
    if let Some(key) = &options.encryption_key {
        // SQLCipher needs the key before anything else.
        connect = connect.pragma("key", format!("\"{}\"", super::encryption::raw_key(key)));
    }
    let connect = connect
        .filename(path)
        .create_if_missing(options.create)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        .pragma("cache_size", format!("-{}", u64::from(options.cache_mib) * 1024))
        .pragma("temp_store", "memory");
    let encrypted = options.encryption_key.is_some();
    let unreadable = |e: sqlx::Error| match e {
        sqlx::Error::Database(db) if db.message().contains("not a database") => StoreError::Encrypted(if encrypted {
            format!("{} cannot be opened with this key", path.display())
        } else {
            format!("{} is encrypted or not a SQLite database", path.display())
        }),
        sqlx::Error::Database(db) => {
            StoreError::BadUrl(format!("cannot open {} as a SQLite database: {}", path.display(), db.message()))
        }
        other => StoreError::from(other),
    };
    let pool = SqlitePoolOptions::new()
        .max_connections(options.max_connections)
        .acquire_timeout(options.connect_timeout)
        .connect_with(connect)
        .await
        .map_err(unreadable)?;
    // A file that is not SQLite (or has another key) fails on the first read.
    sqlx::query("SELECT count(*) FROM sqlite_master").execute(&pool).await.map_err(unreadable)?;
    Ok(pool)
}
