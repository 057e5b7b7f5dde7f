//! What tables and columns a database actually has (engine catalogs), for the
//! parity check between engines and for `doctor`.

use super::{Db, Store, StoreError};
use std::collections::BTreeMap;

/// A table's column names in their declared order, by table name.
pub type Columns = BTreeMap<String, Vec<String>>;

impl Store {
    /// Every application table (sqlx's bookkeeping, SQLite internals and the
    /// local search index's `fts_*` tables excluded) with its columns in
    /// declared order.
    pub async fn columns(&self) -> Result<Columns, StoreError> {
        let rows: Vec<(String, String)> = match &self.db {
            Db::Postgres(p) => {
                sqlx::query_as(
                    "SELECT table_name::text, column_name::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations' \
                     ORDER BY table_name, ordinal_position",
                )
                .fetch_all(p)
                .await?
            }
            Db::Sqlite(p) => {
                sqlx::query_as(
                    "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations' \
                     AND substr(m.name, 1, 4) <> 'fts_' \
                     ORDER BY m.name, c.cid",
                )
                .fetch_all(p)
                .await?
            }
        };
        let mut out = Columns::new();
        for (table, column) in rows {
            out.entry(table).or_default().push(column);
        }
        Ok(out)
    }

    /// Rows in `table` (not counting soft-deleted ones when the table has
    /// `deleted_at`). `table` must be a known table name.
    pub async fn count_rows(&self, table: &str) -> Result<i64, StoreError> {
        let columns = self.columns().await?;
        let Some(cols) = columns.get(table) else {
            return Err(StoreError::Validation(format!("no table named “{table}”")));
        };
        // `table` is now known to be a real table name, safe to splice.
        let filter = if cols.iter().any(|c| c == "deleted_at") { " WHERE deleted_at IS NULL" } else { "" };
        let sql = format!("SELECT count(*) FROM {table}{filter}");
        let n: i64 = super::with_pool!(&self.db, |p| sqlx::query_scalar(&sql).fetch_one(p).await)?;
        Ok(n)
    }
}
