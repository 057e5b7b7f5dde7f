//! Exports: the ledger log as CSV or XLSX (streamed row by row, constant
//! memory) and any report table the same two ways, each run recorded in
//! `report_runs`.
//!
//! Rows come from the database as a stream and go straight to a private
//! temporary file beside the target ([`crate::store::files::PartialFile`]),
//! renamed into place only when complete: a cancelled or failed export leaves
//! no half-written file. The target and the period are checked before anything
//! is recorded or written.

use crate::documents::spreadsheet::{Cell, ExportFormat, SheetError, Sink};
use crate::domain::new_id;
use crate::store::files::PartialFile;
use crate::store::ledger::{LedgerFilter, LedgerJoin, LedgerLine, ledger_query};
use crate::store::marketplace_reports::ReportQuery;
use crate::store::report_table::{ColumnKind, ReportTable, ReportValue};
use crate::store::sql::bind_as;
use crate::store::{Engine, Store, StoreError, with_pool};
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use std::path::Path;
use uuid::Uuid;

impl From<SheetError> for StoreError {
    fn from(e: SheetError) -> Self {
        StoreError::Validation(e.to_string())
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportSummary {
    /// The `report_runs` row recording it.
    pub run_id: Uuid,
    /// Where the file is.
    pub path: String,
    /// Data rows written (the header not counted).
    pub rows: u64,
    /// Whether it was cancelled (then no file was left behind).
    pub cancelled: bool,
}

const LEDGER_HEADER: &[&str] = &[
    "Occurred (UTC)",
    "Code",
    "Description",
    "Account code",
    "Account",
    "Vendor",
    "Debit",
    "Credit",
    "Currency",
    "Transaction",
    "Order",
    "Payout",
];

impl Store {
    /// Writes the ledger entries matching `filter` (oldest first) to `path`
    /// as `format`. `progress` hears the rows written so far every 10,000
    /// rows and may return `false` to cancel. Recorded in `report_runs`.
    pub async fn export_ledger(
        &self,
        filter: &LedgerFilter,
        format: ExportFormat,
        path: &Path,
        run_by: Option<Uuid>,
        progress: impl FnMut(u64) -> bool + Send,
    ) -> Result<ExportSummary, StoreError> {
        self.export_ledger_from(self, filter, format, path, run_by, progress).await
    }

    /// [`Store::export_ledger`] reading the entries from `reader` (a read
    /// replica, see [`crate::store::replica`]) and recording the run here.
    pub async fn export_ledger_from(
        &self,
        reader: &Store,
        filter: &LedgerFilter,
        format: ExportFormat,
        path: &Path,
        run_by: Option<Uuid>,
        mut progress: impl FnMut(u64) -> bool + Send,
    ) -> Result<ExportSummary, StoreError> {
        crate::store::files::check_target(path)?;
        filter.check_period()?;
        let run_id = new_id();
        let parameters = serde_json::to_string(filter).map_err(|e| StoreError::Validation(e.to_string()))?;
        self.start_export_run(run_id, "transactions", &parameters, format.extension(), path, run_by).await?;
        let outcome = reader.write_ledger(filter, format, path, &mut progress).await;
        let (status, rows, error, cancelled) = match &outcome {
            Ok((rows, true)) => ("succeeded", *rows, None, false),
            Ok((rows, false)) => ("cancelled", *rows, None, true),
            Err(e) => ("failed", 0, Some(e.to_string()), false),
        };
        let recorded = self.finish_export_run(run_id, status, rows, error.as_deref()).await;
        outcome?;
        recorded?;
        Ok(ExportSummary { run_id, path: path.display().to_string(), rows, cancelled })
    }

    /// Streams the rows into `path`'s partial file, moved into place when
    /// finished (removed when cancelled or failed).
    async fn write_ledger(
        &self,
        filter: &LedgerFilter,
        format: ExportFormat,
        path: &Path,
        progress: &mut (impl FnMut(u64) -> bool + Send),
    ) -> Result<(u64, bool), StoreError> {
        let join = match self.engine() {
            Engine::Sqlite => LedgerJoin::TransactionsFirst,
            Engine::Postgres => LedgerJoin::Planned,
        };
        let mut sql = ledger_query(filter, join)?;
        sql.push(" ORDER BY t.occurred_at, t.id, e.id");
        let (partial, file) = PartialFile::create(path)?;
        let mut sink = Sink::open(format, file)?;
        sink.header(LEDGER_HEADER, &[2])?;
        let mut rows = 0u64;
        let finished = with_pool!(&self.db, |p| {
            let mut stream = bind_as::<_, LedgerLine>(sqlx::query_as(&sql.text), &sql.params).fetch(p);
            let mut finished = true;
            while let Some(l) = stream.try_next().await? {
                let (debit, credit) = if l.amount_minor >= 0 {
                    (Cell::Money(l.amount_minor), Cell::Empty)
                } else {
                    (Cell::Empty, Cell::Money(-l.amount_minor))
                };
                let (tid, order, payout) = (
                    l.transaction_id.to_string(),
                    l.order_id.map(|o| o.to_string()).unwrap_or_default(),
                    l.payout_id.map(|o| o.to_string()).unwrap_or_default(),
                );
                sink.row(&[
                    Cell::Time(l.occurred_at),
                    Cell::Text(&l.code),
                    Cell::Text(&l.description),
                    Cell::Text(&l.account_code),
                    Cell::Text(&l.account_name),
                    Cell::Text(l.vendor_name.as_deref().unwrap_or("")),
                    debit,
                    credit,
                    Cell::Text(l.currency.as_str()),
                    Cell::Text(&tid),
                    Cell::Text(&order),
                    Cell::Text(&payout),
                ])?;
                rows += 1;
                if rows.is_multiple_of(10_000) && !progress(rows) {
                    finished = false;
                    break;
                }
            }
            Ok::<_, StoreError>(finished)
        })?;
        if finished {
            progress(rows);
            sink.finish()?;
            partial.commit()?;
        }
        Ok((rows, finished))
    }

    /// Runs the report `query` and writes its table, totals last, to `path` as
    /// `format` (same file handling as the ledger export). Recorded in `report_runs`.
    pub async fn export_report(
        &self,
        query: &ReportQuery,
        format: ExportFormat,
        path: &Path,
        run_by: Option<Uuid>,
    ) -> Result<ExportSummary, StoreError> {
        self.export_report_from(self, query, format, path, run_by).await
    }

    /// [`Store::export_report`] running the report on `reader` (a read
    /// replica) and recording the run here.
    pub async fn export_report_from(
        &self,
        reader: &Store,
        query: &ReportQuery,
        format: ExportFormat,
        path: &Path,
        run_by: Option<Uuid>,
    ) -> Result<ExportSummary, StoreError> {
        crate::store::files::check_target(path)?;
        query.scope.validate()?;
        let run_id = new_id();
        let parameters = serde_json::to_string(query).map_err(|e| StoreError::Validation(e.to_string()))?;
        self.start_export_run(run_id, query.kind.as_str(), &parameters, format.extension(), path, run_by).await?;
        let outcome = match reader.run_report(query).await {
            Ok(table) => write_table(&table, format, path),
            Err(e) => Err(e),
        };
        let (status, rows, error) = match &outcome {
            Ok(rows) => ("succeeded", *rows, None),
            Err(e) => ("failed", 0, Some(e.to_string())),
        };
        let recorded = self.finish_export_run(run_id, status, rows, error.as_deref()).await;
        let rows = outcome?;
        recorded?;
        Ok(ExportSummary { run_id, path: path.display().to_string(), rows, cancelled: false })
    }
}

/// Writes `table` to `path` (through its partial file); returns the data rows
/// written (totals included).
fn write_table(table: &ReportTable, format: ExportFormat, path: &Path) -> Result<u64, StoreError> {
    let (partial, file) = PartialFile::create(path)?;
    let mut sink = Sink::open(format, file)?;
    let names: Vec<&str> = table.columns.iter().map(|c| c.label.as_str()).collect();
    let wide: Vec<usize> = table
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c.key.as_str(), "issue" | "failure" | "product" | "vendor" | "payout"))
        .map(|(i, _)| i)
        .collect();
    sink.header(&names, &wide)?;
    let mut rows = 0u64;
    for row in table.rows.iter().chain(table.totals.iter()) {
        let cells: Vec<Cell<'_>> = table
            .columns
            .iter()
            .zip(row)
            .map(|(c, v)| match (c.kind, v) {
                (_, None) => Cell::Empty,
                (_, Some(ReportValue::Text(t))) => Cell::Text(t),
                (ColumnKind::Money, Some(ReportValue::Int(n))) => Cell::Money(*n),
                (ColumnKind::Percent, Some(ReportValue::Int(n))) => Cell::Percent(*n),
                (_, Some(ReportValue::Int(n))) => Cell::Count(*n),
            })
            .collect();
        sink.row(&cells)?;
        rows += 1;
    }
    sink.finish()?;
    partial.commit()?;
    Ok(rows)
}
