//! Live changes from the central server: PostgreSQL announces every change on
//! the `md_changes` channel (migration 0003) with the table's name; this turns
//! them into batches of changed table names, coalesced over a short window so a
//! burst of writes becomes one refresh.

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
            let mut listener = PgListener::connect_with(pool).await?;
            listener.listen(CHANNEL).await?;
            loop {
                let first = listener.recv().await?;
                let mut tables = BTreeSet::from([first.payload().to_owned()]);
                let deadline = tokio::time::Instant::now() + window;
                while let Ok(next) = tokio::time::timeout_at(deadline, listener.recv()).await {
                    tables.insert(next?.payload().to_owned());
                }
                if !on_change(tables) {
                    return Ok(());
                }
            }
        }
        .await,
    )
}
