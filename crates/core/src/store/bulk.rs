//! Loading many rows fast, all in one transaction: PostgreSQL through `COPY … FROM
//! STDIN`, SQLite through multi-row prepared `INSERT`s.
//!
//! Used by the seeder and by benchmarks; the application's own writes go through
//! the typed store functions instead.

use super::BeginWrite;
use super::{Db, Store, StoreError};
use crate::domain::Timestamp;
use sqlx::{Postgres, Sqlite, Transaction};
use uuid::Uuid;

/// One value of a bulk row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// SQL NULL.
    Null,
    /// An integer (BIGINT / INTEGER).
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// Text.
    Text(String),
    /// A row id.
    Uuid(Uuid),
    /// An instant.
    Time(Timestamp),
    /// A JSON document, already serialised.
    Json(String),
    /// Raw bytes (BYTEA / BLOB).
    Bytes(Vec<u8>),
}

impl From<i64> for Cell {
    fn from(v: i64) -> Self {
        Cell::Int(v)
    }
}
impl From<i32> for Cell {
    fn from(v: i32) -> Self {
        Cell::Int(i64::from(v))
    }
}
impl From<bool> for Cell {
    fn from(v: bool) -> Self {
        Cell::Bool(v)
    }
}
impl From<&str> for Cell {
    fn from(v: &str) -> Self {
        Cell::Text(v.to_owned())
    }
}
impl From<String> for Cell {
    fn from(v: String) -> Self {
        Cell::Text(v)
    }
}
impl From<Uuid> for Cell {
    fn from(v: Uuid) -> Self {
        Cell::Uuid(v)
    }
}
impl From<Timestamp> for Cell {
    fn from(v: Timestamp) -> Self {
        Cell::Time(v)
    }
}
impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Null, Into::into)
    }
}

/// Rows for one table, stored flat (row after row).
#[derive(Debug, Clone)]
pub struct Batch {
    /// Target table (a trusted identifier).
    pub table: &'static str,
    /// Its columns, in the order cells are pushed.
    pub columns: &'static [&'static str],
    cells: Vec<Cell>,
}

impl Batch {
    /// An empty batch for `table`.
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Self {
        Self { table, columns, cells: Vec::new() }
    }

    /// Appends one row; it must have one cell per column.
    pub fn push(&mut self, row: Vec<Cell>) {
        assert_eq!(row.len(), self.columns.len(), "row width for {}", self.table);
        self.cells.extend(row);
    }

    /// Replaces the cell of `column` in the last row pushed (a value known
    /// only once the row's children are made); `false` when there is no row
    /// or no such column.
    pub fn set_last(&mut self, column: &str, cell: Cell) -> bool {
        let (Some(at), false) = (self.columns.iter().position(|c| *c == column), self.cells.is_empty()) else {
            return false;
        };
        let start = self.cells.len() - self.columns.len();
        self.cells[start + at] = cell;
        true
    }

    /// Rows held.
    pub fn len(&self) -> usize {
        self.cells.len() / self.columns.len().max(1)
    }

    /// Holds no rows.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Drops every row, keeping the allocation.
    pub fn clear(&mut self) {
        self.cells.clear();
    }

    /// The rows, one slice of cells each.
    pub fn rows(&self) -> impl Iterator<Item = &[Cell]> {
        self.cells.chunks(self.columns.len().max(1))
    }
}

enum Tx {
    Postgres(Transaction<'static, Postgres>),
    Sqlite(Transaction<'static, Sqlite>),
}

/// An open bulk-load transaction. Nothing is visible to others until
/// [`BulkWriter::commit`]; dropping it rolls everything back.
pub struct BulkWriter {
    tx: Tx,
    copy_buf: Vec<u8>,
}

/// Most bound values in one SQLite statement (SQLite allows 32 766).
const SQLITE_MAX_PARAMS: usize = 30_000;
/// Most rows in one SQLite statement.
const SQLITE_MAX_ROWS: usize = 400;

impl BulkWriter {
    /// Starts a bulk-load transaction. On PostgreSQL, when the role may, it skips
    /// trigger work (foreign-key checks, change feed) for the load: the caller
    /// vouches for the rows' consistency.
    pub async fn begin(store: &Store, trust_rows: bool) -> Result<BulkWriter, StoreError> {
        let tx = match &store.db {
            Db::Postgres(p) => {
                let mut tx = p.begin_write().await?;
                sqlx::query("SET LOCAL synchronous_commit = off").execute(&mut *tx).await?;
                if trust_rows {
                    let superuser: bool =
                        sqlx::query_scalar("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                            .fetch_one(&mut *tx)
                            .await?;
                    if superuser {
                        sqlx::query("SET LOCAL session_replication_role = replica").execute(&mut *tx).await?;
                    }
                }
                Tx::Postgres(tx)
            }
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
        };
        Ok(BulkWriter { tx, copy_buf: Vec::with_capacity(1 << 20) })
    }

    /// Writes every row of `batch`. Returns the number of rows written.
    pub async fn write(&mut self, batch: &Batch) -> Result<u64, StoreError> {
        if batch.is_empty() {
            return Ok(0);
        }
        match &mut self.tx {
            Tx::Postgres(tx) => {
                self.copy_buf.clear();
                for row in batch.rows() {
                    copy_text_row(&mut self.copy_buf, row);
                }
                let stmt = format!("COPY {} ({}) FROM STDIN", batch.table, batch.columns.join(", "));
                let mut copy = tx.copy_in_raw(&stmt).await.map_err(|e| StoreError::from_write(batch.table, e))?;
                copy.send(self.copy_buf.as_slice()).await.map_err(|e| StoreError::from_write(batch.table, e))?;
                copy.finish().await.map_err(|e| StoreError::from_write(batch.table, e))
            }
            Tx::Sqlite(tx) => {
                let width = batch.columns.len();
                let per_stmt = (SQLITE_MAX_PARAMS / width).clamp(1, SQLITE_MAX_ROWS);
                let rows: Vec<&[Cell]> = batch.rows().collect();
                let mut written = 0;
                for chunk in rows.chunks(per_stmt) {
                    let sql = sqlite_insert(batch.table, batch.columns, chunk.len());
                    let mut q = sqlx::query(&sql);
                    for row in chunk {
                        for cell in *row {
                            q = bind_sqlite(q, cell);
                        }
                    }
                    written +=
                        q.execute(&mut **tx).await.map_err(|e| StoreError::from_write(batch.table, e))?.rows_affected();
                }
                Ok(written)
            }
        }
    }

    /// Runs trusted SQL inside the load's transaction (e.g. a cleanup before it).
    pub async fn execute(&mut self, sql: &str) -> Result<u64, StoreError> {
        let n = match &mut self.tx {
            Tx::Postgres(tx) => sqlx::query(sql).execute(&mut **tx).await?.rows_affected(),
            Tx::Sqlite(tx) => sqlx::query(sql).execute(&mut **tx).await?.rows_affected(),
        };
        Ok(n)
    }

    /// Runs a trusted query inside the load's transaction that answers one
    /// integer (a check before commit).
    pub async fn scalar_i64(&mut self, sql: &str) -> Result<i64, StoreError> {
        let n = match &mut self.tx {
            Tx::Postgres(tx) => sqlx::query_scalar(sql).fetch_one(&mut **tx).await?,
            Tx::Sqlite(tx) => sqlx::query_scalar(sql).fetch_one(&mut **tx).await?,
        };
        Ok(n)
    }

    /// Makes every written row visible at once.
    pub async fn commit(self) -> Result<(), StoreError> {
        match self.tx {
            Tx::Postgres(tx) => tx.commit().await?,
            Tx::Sqlite(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

/// Binds one cell onto a SQLite statement.
pub(crate) fn bind_sqlite<'q>(
    q: sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    cell: &'q Cell,
) -> sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments<'q>> {
    match cell {
        Cell::Null => q.bind(None::<i64>),
        Cell::Int(v) => q.bind(*v),
        Cell::Bool(v) => q.bind(*v),
        Cell::Text(v) | Cell::Json(v) => q.bind(v.as_str()),
        Cell::Uuid(v) => q.bind(*v),
        Cell::Time(v) => q.bind(*v),
        Cell::Bytes(v) => q.bind(v.as_slice()),
    }
}

fn sqlite_insert(table: &str, columns: &[&str], rows: usize) -> String {
    let mut group = String::from("(");
    for i in 0..columns.len() {
        if i > 0 {
            group.push(',');
        }
        group.push('?');
    }
    group.push(')');
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(","));
    for i in 0..rows {
        if i > 0 {
            sql.push(',');
        }
        sql.push_str(&group);
    }
    sql
}

/// Appends one row in PostgreSQL's COPY text format.
pub(crate) fn copy_text_row(out: &mut Vec<u8>, row: &[Cell]) {
    use std::io::Write;
    for (i, cell) in row.iter().enumerate() {
        if i > 0 {
            out.push(b'\t');
        }
        match cell {
            Cell::Null => out.extend_from_slice(b"\\N"),
            Cell::Int(v) => {
                let _ = write!(out, "{v}");
            }
            Cell::Bool(v) => out.push(if *v { b't' } else { b'f' }),
            Cell::Text(v) | Cell::Json(v) => copy_escape(out, v),
            Cell::Uuid(v) => {
                let _ = write!(out, "{}", v.hyphenated());
            }
            Cell::Time(v) => {
                let _ = write!(out, "{v}");
            }
            Cell::Bytes(v) => {
                out.extend_from_slice(b"\\\\x");
                for b in v {
                    let _ = write!(out, "{b:02x}");
                }
            }
        }
    }
    out.push(b'\n');
}

fn copy_escape(out: &mut Vec<u8>, text: &str) {
    for b in text.bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_rows_escape_what_copy_reads_specially() {
        let mut out = Vec::new();
        copy_text_row(
            &mut out,
            &[Cell::Int(-5), Cell::Null, Cell::Text("a\tb\\c\nd".into()), Cell::Bool(true), Cell::Uuid(Uuid::nil())],
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "-5\t\\N\ta\\tb\\\\c\\nd\tt\t00000000-0000-0000-0000-000000000000\n"
        );
    }

    #[test]
    fn sqlite_statements_hold_whole_rows() {
        assert_eq!(sqlite_insert("t", &["a", "b"], 2), "INSERT INTO t (a,b) VALUES (?,?),(?,?)");
    }
}
