//! Heavy reads (reports, exports) from a PostgreSQL streaming replica: a
//! second URL, checked before use — reachable, really a standby, and no
//! further behind the primary than allowed — or the primary instead, with the
//! reason said. A physical replica holds the same roles, grants and
//! row-level security as its primary, so a person's login reads the same
//! rows on both.

use super::{DatabaseUrl, OpenOptions, Store, StoreError};
use serde::Serialize;
use std::time::Duration;

/// The environment variable naming the replica.
pub const REPLICA_URL_VAR: &str = "MARKETDESK_REPLICA_URL";
/// The environment variable overriding [`DEFAULT_MAX_LAG_BYTES`].
pub const MAX_LAG_VAR: &str = "MARKETDESK_REPLICA_MAX_LAG_BYTES";
/// How far behind (bytes of write-ahead log) a replica may be and still serve reports.
pub const DEFAULT_MAX_LAG_BYTES: i64 = 16 * 1024 * 1024;

/// Which server a heavy read ran on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadSource {
    /// The primary.
    Primary,
    /// The replica.
    Replica,
}

/// How far a replica is behind its primary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReplicaLag {
    /// Write-ahead log the primary has written and the replica not yet replayed.
    pub bytes_behind: i64,
    /// Seconds since the last transaction the replica replayed was committed
    /// (grows while the primary is idle; `None` before the first).
    pub replay_age_seconds: Option<i64>,
}

/// The store heavy reads go to, and what was decided.
pub struct HeavyReads {
    /// The replica's store, or none: read from the primary.
    pub replica: Option<Store>,
    /// Which one to read from.
    pub source: ReadSource,
    /// The decision in words ("read from the replica at …, 0 bytes behind").
    pub said: String,
}

impl HeavyReads {
    /// The store to read from: the replica when chosen, else `primary`.
    pub fn store<'a>(&'a self, primary: &'a Store) -> &'a Store {
        self.replica.as_ref().unwrap_or(primary)
    }

    /// Closes the replica's pool, if one was opened.
    pub async fn close(self) {
        if let Some(r) = self.replica {
            r.close().await;
        }
    }
}

/// How far `replica` is behind `primary`; refused when `replica` is not a standby.
pub async fn replica_lag(primary: &Store, replica: &Store) -> Result<ReplicaLag, StoreError> {
    let (Some(p), Some(r)) = (primary.pg_pool(), replica.pg_pool()) else {
        return Err(StoreError::Validation("replicas are PostgreSQL's: both URLs must be postgres://".into()));
    };
    let (standby, replayed, age): (bool, Option<String>, Option<f64>) = sqlx::query_as(
        "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text, \
         extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8",
    )
    .fetch_one(r)
    .await?;
    let Some(replayed) = replayed.filter(|_| standby) else {
        return Err(StoreError::Validation("that server is not a standby (it is not replaying a primary)".into()));
    };
    let bytes: Option<i64> = sqlx::query_scalar("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint")
        .bind(&replayed)
        .fetch_one(p)
        .await?;
    Ok(ReplicaLag {
        bytes_behind: bytes.unwrap_or(0).max(0),
        // Whole seconds of a clock difference: a display figure, never money.
        replay_age_seconds: age.map(|a| a.max(0.0) as i64),
    })
}

/// The replica named by [`REPLICA_URL_VAR`] and the lag allowed by
/// [`MAX_LAG_VAR`], for a command to pass to [`heavy_reads`].
pub fn replica_from_environment() -> Result<(Option<DatabaseUrl>, i64), StoreError> {
    let url = match std::env::var(REPLICA_URL_VAR) {
        Ok(u) if !u.trim().is_empty() => Some(DatabaseUrl::parse(u.trim())?),
        _ => None,
    };
    let max = match std::env::var(MAX_LAG_VAR) {
        Ok(v) if !v.trim().is_empty() => v.trim().parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
            StoreError::Validation(format!("{MAX_LAG_VAR} is a number of bytes (0 or more), not “{v}”"))
        })?,
        _ => DEFAULT_MAX_LAG_BYTES,
    };
    Ok((url, max))
}

fn address(url: &DatabaseUrl) -> String {
    match url {
        DatabaseUrl::Postgres(text) => text
            .parse::<sqlx::postgres::PgConnectOptions>()
            .map(|o| format!("{}:{}", o.get_host(), o.get_port()))
            .unwrap_or_else(|_| "the replica".into()),
        DatabaseUrl::Sqlite(path) => path.display().to_string(),
    }
}

/// Chooses where `primary`'s heavy reads go: `replica` when it answers within
/// a few seconds, is a standby of this primary's and is at most
/// `max_lag_bytes` behind; the primary otherwise. Never fails: a replica in
/// trouble only moves the read to the primary, and `said` tells why.
pub async fn heavy_reads(primary: &Store, replica: Option<&DatabaseUrl>, max_lag_bytes: i64) -> HeavyReads {
    let Some(url) = replica else {
        return HeavyReads { replica: None, source: ReadSource::Primary, said: "read from the primary".into() };
    };
    let at = address(url);
    let fallback = |why: String| HeavyReads {
        replica: None,
        source: ReadSource::Primary,
        said: format!("the replica at {at} {why}: read from the primary"),
    };
    let options = OpenOptions { connect_timeout: Duration::from_secs(5), max_connections: 4, ..OpenOptions::default() };
    let store = match Store::open(url, &options).await {
        Ok(s) => s,
        Err(e) => return fallback(format!("cannot be used ({e})")),
    };
    match replica_lag(primary, &store).await {
        Ok(lag) if lag.bytes_behind <= max_lag_bytes => HeavyReads {
            replica: Some(store),
            source: ReadSource::Replica,
            said: format!("read from the replica at {at} ({} bytes behind)", lag.bytes_behind),
        },
        Ok(lag) => {
            store.close().await;
            fallback(format!("is {} bytes behind (at most {max_lag_bytes} allowed)", lag.bytes_behind))
        }
        Err(e) => {
            store.close().await;
            fallback(format!("cannot be used ({e})"))
        }
    }
}
