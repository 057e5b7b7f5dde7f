//! Rows travelling from the central PostgreSQL to the local copy: which tables
//! and columns a person's copy holds, reading them as that person (so row-level
//! security and column grants decide), and writing them into SQLite.
//!
//! A copy holds the tables the change feed covers, each with the columns that
//! exist on both sides and that the person may read; columns only the local
//! copy has (the offline sign-in verifier) are never overwritten.

use super::SyncError;
use crate::domain::Timestamp;
use crate::store::bulk::{Cell, bind_sqlite};
use sqlx::{PgConnection, Row, SqliteConnection};
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

/// Columns of the local copy that the server must never overwrite.
const LOCAL_ONLY: &[(&str, &str)] = &[("users", "password_hash")];

/// Most bound values in one SQLite statement (SQLite allows 32 766).
const SQLITE_MAX_PARAMS: usize = 30_000;

/// Decodes a row (of either engine) into cells, one per plan column, by kind.
macro_rules! cells_of {
    ($row:expr, $kinds:expr) => {
        $kinds
            .iter()
            .enumerate()
            .map(|(i, kind)| {
                Ok(match kind {
                    Kind::Uuid => Cell::from($row.try_get::<Option<Uuid>, _>(i)?),
                    Kind::Time => Cell::from($row.try_get::<Option<Timestamp>, _>(i)?),
                    Kind::Bool => Cell::from($row.try_get::<Option<bool>, _>(i)?),
                    Kind::Int => Cell::from($row.try_get::<Option<i64>, _>(i)?),
                    Kind::Text | Kind::Date => Cell::from($row.try_get::<Option<String>, _>(i)?),
                    Kind::Bytes => $row.try_get::<Option<Vec<u8>>, _>(i)?.map_or(Cell::Null, Cell::Bytes),
                })
            })
            .collect::<Result<Vec<Cell>, sqlx::Error>>()
    };
}

/// How one column's values travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Uuid,
    Time,
    Bool,
    Int,
    Text,
    Date,
    Bytes,
}

/// One table of the copy: its columns and the statements that move them.
#[derive(Debug, Clone)]
pub(crate) struct TablePlan {
    /// The table's name (from the server's catalog, checked against the local one).
    pub table: String,
    kinds: Vec<Kind>,
    names: Vec<String>,
    select_list: String,
    insert_head: String,
    row_group: String,
    upsert_tail: String,
}

/// The tables a person's copy holds, and those it cannot hold with why.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plans {
    /// By table name.
    pub tables: BTreeMap<String, TablePlan>,
    /// Tables the feed covers that this copy leaves out, with the reason.
    pub skipped: Vec<(String, String)>,
}

impl Plans {
    /// Works out the plans from both catalogs: on the server, the tables the
    /// change feed covers and the columns this login may read; locally, the
    /// same tables' columns.
    pub async fn read(server: &mut PgConnection, local: &mut SqliteConnection) -> Result<Plans, SyncError> {
        Self::read_only(server, local, None).await
    }

    /// The plans of `tables` alone (all the feed covers when `None`): a push
    /// needs only the tables its changes touch, and reads their catalog rows
    /// on each connection it opens.
    pub async fn read_only(
        server: &mut PgConnection,
        local: &mut SqliteConnection,
        tables: Option<&[&str]>,
    ) -> Result<Plans, SyncError> {
        let only: Option<Vec<String>> = tables.map(|t| t.iter().map(|s| (*s).to_owned()).collect());
        let readable: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT c.relname::text, a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod) \
             FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid \
             WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped \
               AND EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid \
                           WHERE t.tgrelid = c.oid AND p.proname = 'md_record_change') \
               AND pg_catalog.has_column_privilege(c.oid, a.attnum, 'SELECT') \
               AND ($1::text[] IS NULL OR c.relname = ANY($1)) \
             ORDER BY 1, a.attnum",
        )
        .bind(&only)
        .fetch_all(&mut *server)
        .await?;
        let mut server_cols: BTreeMap<String, HashMap<String, Kind>> = BTreeMap::new();
        for (table, column, ty) in readable {
            server_cols.entry(table).or_default().insert(column, kind_of(&ty));
        }
        let fed: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT c.relname::text FROM pg_catalog.pg_trigger t \
             JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid \
             WHERE p.proname = 'md_record_change' AND c.relnamespace = 'public'::regnamespace \
               AND ($1::text[] IS NULL OR c.relname = ANY($1)) ORDER BY 1",
        )
        .bind(&only)
        .fetch_all(&mut *server)
        .await?;
        let mut plans = Plans::default();
        for table in fed {
            let local_cols: Vec<(String, i64, Option<String>)> =
                sqlx::query_as("SELECT name, \"notnull\", dflt_value FROM pragma_table_info($1) ORDER BY cid")
                    .bind(&table)
                    .fetch_all(&mut *local)
                    .await?;
            if local_cols.is_empty() {
                plans.skipped.push((table, "this version of Marketdesk has no such table".into()));
                continue;
            }
            let readable = server_cols.get(&table);
            let mut columns = Vec::new();
            let mut missing = Vec::new();
            for (name, not_null, default) in &local_cols {
                let local_only = LOCAL_ONLY.contains(&(table.as_str(), name.as_str()));
                match readable.and_then(|r| r.get(name)) {
                    Some(kind) if !local_only => columns.push((name.clone(), *kind)),
                    _ if *not_null == 1 && default.is_none() && !local_only => missing.push(name.clone()),
                    _ => {}
                }
            }
            if !missing.is_empty() || columns.first().map(|(c, _)| c.as_str()) != Some("id") {
                let why = if missing.is_empty() {
                    "this sign-in may not read its rows".to_owned()
                } else {
                    format!("this sign-in may not read {}", missing.join(", "))
                };
                plans.skipped.push((table, why));
                continue;
            }
            plans.tables.insert(table.clone(), TablePlan::new(table, columns));
        }
        Ok(plans)
    }
}

fn kind_of(pg_type: &str) -> Kind {
    match pg_type {
        "uuid" => Kind::Uuid,
        "timestamp with time zone" => Kind::Time,
        "boolean" => Kind::Bool,
        "bigint" | "integer" | "smallint" => Kind::Int,
        "bytea" => Kind::Bytes,
        "date" => Kind::Date,
        _ => Kind::Text,
    }
}

impl TablePlan {
    fn new(table: String, columns: Vec<(String, Kind)>) -> Self {
        let select_list = columns
            .iter()
            .map(|(name, kind)| match kind {
                Kind::Int => format!("{name}::bigint"),
                Kind::Text => format!("{name}::text"),
                Kind::Date => format!("to_char({name}, 'YYYY-MM-DD')"),
                _ => name.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ");
        let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
        let row_group = format!("({})", vec!["?"; names.len()].join(","));
        // A table with columns of its own here keeps them: its rows are updated
        // in place. Every other table's rows are replaced whole, which also
        // clears a local row holding the same natural key under another id (a
        // rollup row an offline change made) and fires no update trigger, so
        // the server's figures are taken as they are.
        let (insert_head, upsert_tail) = if LOCAL_ONLY.iter().any(|(t, _)| *t == table) {
            let updates: Vec<String> =
                names.iter().filter(|n| **n != "id").map(|n| format!("{n} = excluded.{n}")).collect();
            (
                format!("INSERT INTO {table} ({}) VALUES ", names.join(", ")),
                format!(" ON CONFLICT (id) DO UPDATE SET {}", updates.join(", ")),
            )
        } else {
            (format!("INSERT OR REPLACE INTO {table} ({}) VALUES ", names.join(", ")), String::new())
        };
        let kinds = columns.iter().map(|(_, k)| *k).collect();
        let names = columns.into_iter().map(|(n, _)| n).collect();
        Self { table, kinds, names, select_list, insert_head, row_group, upsert_tail }
    }

    /// The rows among `ids` this login may read now, as cells in plan order.
    pub async fn fetch_ids(&self, server: &mut PgConnection, ids: &[Uuid]) -> Result<Vec<Vec<Cell>>, SyncError> {
        let sql = format!("SELECT {} FROM {} WHERE id = ANY($1)", self.select_list, self.table);
        let rows = sqlx::query(&sql).bind(ids).fetch_all(&mut *server).await?;
        rows.iter().map(|r| self.cells(r)).collect()
    }

    /// Up to `limit` readable rows with ids after `after`, in id order.
    pub async fn fetch_page(
        &self,
        server: &mut PgConnection,
        after: Uuid,
        limit: i64,
    ) -> Result<Vec<Vec<Cell>>, SyncError> {
        let sql = format!("SELECT {} FROM {} WHERE id > $1 ORDER BY id LIMIT $2", self.select_list, self.table);
        let rows = sqlx::query(&sql).bind(after).bind(limit).fetch_all(&mut *server).await?;
        rows.iter().map(|r| self.cells(r)).collect()
    }

    fn cells(&self, row: &sqlx::postgres::PgRow) -> Result<Vec<Cell>, SyncError> {
        Ok(cells_of!(row, self.kinds)?)
    }

    /// The local copy's row `id`, as cells in plan order.
    pub async fn fetch_local(&self, local: &mut SqliteConnection, id: Uuid) -> Result<Option<Vec<Cell>>, SyncError> {
        let sql = format!("SELECT {} FROM {} WHERE id = $1", self.names.join(", "), self.table);
        let Some(row) = sqlx::query(&sql).bind(id).fetch_optional(&mut *local).await? else { return Ok(None) };
        Ok(Some(cells_of!(row, self.kinds)?))
    }

    /// A row's cells as `column: text`, written the same way whichever side
    /// they were read from (for putting two versions side by side).
    pub fn as_text(&self, cells: &[Cell]) -> serde_json::Map<String, serde_json::Value> {
        self.names
            .iter()
            .zip(cells)
            .map(|(name, cell)| {
                let text = match cell {
                    Cell::Null => serde_json::Value::Null,
                    Cell::Int(v) => v.to_string().into(),
                    Cell::Bool(v) => v.to_string().into(),
                    Cell::Text(v) | Cell::Json(v) => v.clone().into(),
                    Cell::Uuid(v) => v.to_string().into(),
                    Cell::Time(v) => v.to_string().into(),
                    Cell::Bytes(v) => format!("{} bytes", v.len()).into(),
                };
                (name.clone(), text)
            })
            .collect()
    }

    /// Writes `rows` into the local copy, replacing what it held of them.
    pub async fn upsert(&self, local: &mut SqliteConnection, rows: &[Vec<Cell>]) -> Result<(), SyncError> {
        let per_stmt = (SQLITE_MAX_PARAMS / self.kinds.len().max(1)).max(1);
        for chunk in rows.chunks(per_stmt) {
            let mut sql = self.insert_head.clone();
            for i in 0..chunk.len() {
                if i > 0 {
                    sql.push(',');
                }
                sql.push_str(&self.row_group);
            }
            sql.push_str(&self.upsert_tail);
            let mut q = sqlx::query(&sql);
            for row in chunk {
                for cell in row {
                    q = bind_sqlite(q, cell);
                }
            }
            q.execute(&mut *local).await.map_err(|e| SyncError::LocalWrite { table: self.table.clone(), source: e })?;
        }
        Ok(())
    }

    /// Removes the rows `ids` from the local copy.
    pub async fn delete(&self, local: &mut SqliteConnection, ids: &[Uuid]) -> Result<(), SyncError> {
        for chunk in ids.chunks(SQLITE_MAX_PARAMS) {
            let sql = format!("DELETE FROM {} WHERE id IN ({})", self.table, vec!["?"; chunk.len()].join(","));
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            q.execute(&mut *local).await.map_err(|e| SyncError::LocalWrite { table: self.table.clone(), source: e })?;
        }
        Ok(())
    }

    /// Replaces the local rows `ids` with what the server holds of them now:
    /// the ones this login can no longer read leave the copy. Ids in `keep`
    /// (rows with offline changes not yet pushed) are left as they are.
    pub async fn refresh(
        &self,
        server: &mut PgConnection,
        local: &mut SqliteConnection,
        ids: &[Uuid],
        keep: &HashSet<(String, Uuid)>,
    ) -> Result<usize, SyncError> {
        let ids: Vec<Uuid> = ids.iter().copied().filter(|id| !keep.contains(&(self.table.clone(), *id))).collect();
        if ids.is_empty() {
            return Ok(0);
        }
        let rows = self.fetch_ids(server, &ids).await?;
        let present: HashSet<Uuid> = rows.iter().filter_map(|r| row_id(r)).collect();
        let gone: Vec<Uuid> = ids.iter().copied().filter(|id| !present.contains(id)).collect();
        self.upsert(local, &rows).await?;
        self.delete(local, &gone).await?;
        Ok(ids.len())
    }

    /// The local copy's ids of this table after `after`, in id order.
    pub async fn local_ids(
        &self,
        local: &mut SqliteConnection,
        after: Uuid,
        limit: i64,
    ) -> Result<Vec<Uuid>, SyncError> {
        let sql = format!("SELECT id FROM {} WHERE id > $1 ORDER BY id LIMIT $2", self.table);
        Ok(sqlx::query_scalar(&sql).bind(after).bind(limit).fetch_all(&mut *local).await?)
    }

    /// Rows of this table the login may read on the server (an estimate for progress).
    pub async fn server_count(&self, server: &mut PgConnection) -> Result<i64, SyncError> {
        Ok(sqlx::query_scalar(&format!("SELECT count(*) FROM {}", self.table)).fetch_one(&mut *server).await?)
    }
}

/// The first cell of a row, when it is its id.
pub(crate) fn row_id(row: &[Cell]) -> Option<Uuid> {
    match row.first() {
        Some(Cell::Uuid(id)) => Some(*id),
        _ => None,
    }
}

/// A connection to the local copy for writing the server's rows. A copy holds
/// what its person may read, so a row's parent may be missing from it (a
/// vendor's order line points at a customer they cannot read): foreign keys
/// are not checked on this connection, and it is closed after use instead of
/// going back to the pool.
pub(crate) async fn unchecked_local(
    local: &sqlx::SqlitePool,
) -> Result<sqlx::pool::PoolConnection<sqlx::Sqlite>, SyncError> {
    let mut conn = local.acquire().await?;
    conn.close_on_drop();
    sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut *conn).await?;
    Ok(conn)
}
