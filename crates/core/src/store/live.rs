//! Live changes from the central server: PostgreSQL announces each transaction
//! that changed something on the `md_changes` channel, with no payload (every
//! listener hears every notification, so it must not say what changed:
//! migration 0014). The listener then reads which tables changed from the
//! change feed, whose policy shows each person only rows they may read, and
//! turns that into batches of changed table names, coalesced over a short
//! window so a burst of writes becomes one refresh.
//!
//! The feed is read after the newest sequence number seen (`md_feed_head()`).
//! A transaction that took its sequence numbers before a later one but
//! committed after it can be missed by one refresh; the next change or a
//! manual refresh shows it; sync must not use this cursor (it reads the
//! feed by transaction id).

use super::{Store, StoreError};
use sqlx::postgres::PgListener;
use std::collections::BTreeSet;
use std::time::Duration;

/// The channel the change triggers notify on.
pub const CHANNEL: &str = "md_changes";

/// Listens for changes on `store` (PostgreSQL only; `None` for SQLite) and calls
/// `on_change` with the set of changed tables at most once per `window`. Runs
/// until `on_change` returns `false` or the connection fails for good; a lost
/// connection is re-established by sqlx (changes while it was down are missed,
/// so the caller should refresh everything after an error).
pub async fn listen(
    store: &Store,
    window: Duration,
    mut on_change: impl FnMut(BTreeSet<String>) -> bool,
) -> Option<Result<(), StoreError>> {
    let pool = store.pg_pool()?;
    Some(
        async {
            // LISTEN needs a session: through a transaction pooler it is opened
            // straight to PostgreSQL at the direct address (see `pooler`).
            let session = store.route().session_options(&pool.connect_options()).ok_or_else(|| {
                StoreError::BadUrl(
                    "live changes need a session of their own, which a transaction pooler cannot keep: \
                     add direct=host:port (PostgreSQL's own address) to the server address"
                        .into(),
                )
            })?;
            let own = sqlx::postgres::PgPoolOptions::new()
                .max_connections(1)
                .acquire_timeout(Duration::from_secs(5))
                .connect_lazy_with(session);
            let mut listener = PgListener::connect_with(&own).await?;
            listener.listen(CHANNEL).await?;
            let mut seen: i64 = sqlx::query_scalar("SELECT md_feed_head()").fetch_one(pool).await?;
            loop {
                listener.recv().await?;
                let deadline = tokio::time::Instant::now() + window;
                while let Ok(next) = tokio::time::timeout_at(deadline, listener.recv()).await {
                    next?;
                }
                let head: i64 = sqlx::query_scalar("SELECT md_feed_head()").fetch_one(pool).await?;
                let read =
                    sqlx::query_scalar("SELECT DISTINCT table_name FROM sync_change_feed WHERE seq > $1 AND seq <= $2")
                        .bind(seen)
                        .bind(head)
                        .fetch_all(pool)
                        .await;
                // A sign-in that may read nothing yet (an invitation not accepted,
                // a temporary password) hears of nothing until its rights come.
                let tables: Vec<String> = match read {
                    Err(sqlx::Error::Database(db)) if db.code().as_deref() == Some("42501") => Vec::new(),
                    other => other?,
                };
                seen = head;
                if tables.is_empty() {
                    continue;
                }
                if !on_change(tables.into_iter().collect::<BTreeSet<_>>()) {
                    return Ok(());
                }
            }
        }
        .await,
    )
}
