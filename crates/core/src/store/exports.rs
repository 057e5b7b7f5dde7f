//! Exports: the ledger log as CSV (streamed row by row, constant memory) or
//! XLSX (real number formats, frozen header row, written in constant-memory
//! mode), and any report table the same two ways; each run recorded in
//! `report_runs`.
//!
//! Rows come from the database as a stream and go straight to a private
//! temporary file beside the target ([`super::files::PartialFile`]), renamed
//! into place only when complete: a cancelled or failed export leaves no
//! half-written file. The target and the period are checked before anything
//! is recorded or written.

use super::files::PartialFile;
use super::ledger::{LedgerFilter, LedgerJoin, LedgerLine, ledger_query};
use super::marketplace_reports::ReportQuery;
use super::report_table::{ColumnKind, ReportTable, ReportValue};
use super::sql::bind_as;
use super::{Engine, Store, StoreError, with_pool};
use crate::domain::{Timestamp, new_id};
use futures_util::TryStreamExt;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;
use uuid::Uuid;

/// File formats an export can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// Comma-separated text (RFC 4180), amounts as exact decimals.
    Csv,
    /// An Excel workbook with money number formats and a frozen header.
    Xlsx,
}

impl ExportFormat {
    /// The file extension.
    pub fn extension(&self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
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

/// One cell of an exported row.
enum Cell<'a> {
    Text(&'a str),
    /// Minor units, written as a decimal with two places.
    Money(i64),
    /// A whole number.
    Count(i64),
    /// Basis points, written as a percentage.
    Percent(i64),
    Time(Timestamp),
    Empty,
}

/// Where rows go: a CSV or an XLSX writer.
enum Sink {
    Csv(std::io::BufWriter<std::fs::File>),
    Xlsx {
        book: Box<rust_xlsxwriter::Workbook>,
        formats: Box<NumberFormats>,
        row: u32,
        sheet: usize,
        heading: Heading,
        rows_per_sheet: u32,
        file: std::fs::File,
    },
}

/// The heading row, repeated at the top of each sheet.
#[derive(Default)]
struct Heading {
    names: Vec<String>,
    wide: Vec<usize>,
}

/// Rows a worksheet holds (Excel's limit); a longer export goes on to another sheet.
const XLSX_ROWS: u32 = 1_048_576;

fn write_heading(sheet: &mut rust_xlsxwriter::Worksheet, heading: &Heading) -> Result<(), StoreError> {
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, n) in heading.names.iter().enumerate() {
        let col = u16::try_from(c).map_err(io)?;
        sheet.write_string_with_format(0, col, n, &bold).map_err(io)?;
        sheet.set_column_width(col, if heading.wide.contains(&c) { 40 } else { 18 }).map_err(io)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(io)?;
    Ok(())
}

/// The XLSX number formats of money, counts and percentages.
struct NumberFormats {
    money: rust_xlsxwriter::Format,
    count: rust_xlsxwriter::Format,
    percent: rust_xlsxwriter::Format,
}

fn io(e: impl std::fmt::Display) -> StoreError {
    StoreError::Validation(format!("cannot write the export: {e}"))
}

/// `12345` → `123.45`, exactly.
fn decimal(minor: i64) -> String {
    Decimal::new(minor, 2).to_string()
}

fn csv_field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\n', '\r']) || text.starts_with([' ', '=', '+', '-', '@']) {
        // Quoted; a leading formula character is defused with an apostrophe
        // so a spreadsheet never evaluates an exported description.
        out.push('"');
        if text.starts_with(['=', '+', '-', '@']) {
            out.push('\'');
        }
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

impl Sink {
    /// A sink writing `format` into `file` (created private by the caller).
    fn open(format: ExportFormat, file: std::fs::File) -> Result<Sink, StoreError> {
        Ok(match format {
            ExportFormat::Csv => Sink::Csv(std::io::BufWriter::new(file)),
            ExportFormat::Xlsx => {
                let mut book = Box::new(rust_xlsxwriter::Workbook::new());
                book.add_worksheet_with_constant_memory().map_err(io)?;
                let money = rust_xlsxwriter::Format::new().set_num_format("#,##0.00;[Red]-#,##0.00");
                let count = rust_xlsxwriter::Format::new().set_num_format("#,##0");
                let percent = rust_xlsxwriter::Format::new().set_num_format("0.00%");
                Sink::Xlsx {
                    book,
                    formats: Box::new(NumberFormats { money, count, percent }),
                    row: 0,
                    sheet: 0,
                    heading: Heading::default(),
                    rows_per_sheet: XLSX_ROWS,
                    file,
                }
            }
        })
    }

    /// Writes the heading row; columns in `wide` get room for long text.
    fn header(&mut self, names: &[&str], wide: &[usize]) -> Result<(), StoreError> {
        match self {
            Sink::Csv(w) => {
                let mut line = String::new();
                for (i, n) in names.iter().enumerate() {
                    if i > 0 {
                        line.push(',');
                    }
                    csv_field(&mut line, n);
                }
                line.push_str("\r\n");
                w.write_all(line.as_bytes()).map_err(io)
            }
            Sink::Xlsx { book, row, sheet, heading, .. } => {
                *heading = Heading { names: names.iter().map(|n| (*n).to_owned()).collect(), wide: wide.to_vec() };
                write_heading(book.worksheet_from_index(*sheet).map_err(io)?, heading)?;
                *row = 1;
                Ok(())
            }
        }
    }

    fn row(&mut self, cells: &[Cell<'_>]) -> Result<(), StoreError> {
        match self {
            Sink::Csv(w) => {
                let mut line = String::new();
                for (i, c) in cells.iter().enumerate() {
                    if i > 0 {
                        line.push(',');
                    }
                    match c {
                        Cell::Text(t) => csv_field(&mut line, t),
                        Cell::Money(m) => line.push_str(&decimal(*m)),
                        Cell::Count(n) => line.push_str(&n.to_string()),
                        Cell::Percent(bps) => {
                            line.push_str(&decimal(*bps));
                            line.push('%');
                        }
                        Cell::Time(t) => line.push_str(&t.to_text()),
                        Cell::Empty => {}
                    }
                }
                line.push_str("\r\n");
                w.write_all(line.as_bytes()).map_err(io)
            }
            Sink::Xlsx { book, formats, row, sheet: index, heading, rows_per_sheet, .. } => {
                if *row == *rows_per_sheet {
                    // Excel's row limit: the export goes on to a new sheet under the same heading.
                    book.add_worksheet_with_constant_memory().map_err(io)?;
                    *index += 1;
                    write_heading(book.worksheet_from_index(*index).map_err(io)?, heading)?;
                    *row = 1;
                }
                let sheet = book.worksheet_from_index(*index).map_err(io)?;
                for (c, cell) in cells.iter().enumerate() {
                    let col = u16::try_from(c).map_err(io)?;
                    match cell {
                        Cell::Text(t) => {
                            sheet.write_string(*row, col, *t).map_err(io)?;
                        }
                        // XLSX keeps numbers as IEEE doubles; cents below 2^53 are exact.
                        Cell::Money(m) => {
                            let value: f64 = decimal(*m).parse().map_err(io)?;
                            sheet.write_number_with_format(*row, col, value, &formats.money).map_err(io)?;
                        }
                        Cell::Count(n) => {
                            let value: f64 = n.to_string().parse().map_err(io)?;
                            sheet.write_number_with_format(*row, col, value, &formats.count).map_err(io)?;
                        }
                        Cell::Percent(bps) => {
                            let value: f64 = Decimal::new(*bps, 4).to_string().parse().map_err(io)?;
                            sheet.write_number_with_format(*row, col, value, &formats.percent).map_err(io)?;
                        }
                        Cell::Time(t) => {
                            sheet.write_string(*row, col, t.to_text()).map_err(io)?;
                        }
                        Cell::Empty => {}
                    }
                }
                *row += 1;
                Ok(())
            }
        }
    }

    /// Writes what is buffered (the whole workbook for XLSX) and syncs the file.
    fn finish(self) -> Result<(), StoreError> {
        let mut w = match self {
            Sink::Csv(w) => w,
            Sink::Xlsx { mut book, file, .. } => {
                let mut w = std::io::BufWriter::new(file);
                book.save_to_writer(&mut w).map_err(io)?;
                w
            }
        };
        w.flush().map_err(io)?;
        w.get_ref().sync_all().map_err(io)
    }
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
        mut progress: impl FnMut(u64) -> bool + Send,
    ) -> Result<ExportSummary, StoreError> {
        super::files::check_target(path)?;
        filter.check_period()?;
        let run_id = new_id();
        let parameters = serde_json::to_string(filter).map_err(|e| StoreError::Validation(e.to_string()))?;
        self.start_export_run(run_id, "transactions", &parameters, format.extension(), path, run_by).await?;
        let outcome = self.write_ledger(filter, format, path, &mut progress).await;
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
        super::files::check_target(path)?;
        query.scope.validate()?;
        let run_id = new_id();
        let parameters = serde_json::to_string(query).map_err(|e| StoreError::Validation(e.to_string()))?;
        self.start_export_run(run_id, query.kind.as_str(), &parameters, format.extension(), path, run_by).await?;
        let outcome = match self.run_report(query).await {
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

    /// Records the start of an export (`format` is the file extension).
    pub(crate) async fn start_export_run(
        &self,
        id: Uuid,
        kind: &str,
        parameters: &str,
        format: &str,
        path: &Path,
        run_by: Option<Uuid>,
    ) -> Result<(), StoreError> {
        let now = Timestamp::now();
        let json = sqlx::types::Json(serde_json::from_str::<serde_json::Value>(parameters).unwrap_or_default());
        with_pool!(&self.db, |p| {
            sqlx::query(
                "INSERT INTO report_runs (id, kind, parameters, status, started_at, run_by, export_format, export_url, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, 'running', $4, $5, $6, $7, 1, $4, $4)",
            )
            .bind(id)
            .bind(kind)
            .bind(&json)
            .bind(now)
            .bind(run_by)
            .bind(format)
            .bind(path.display().to_string())
            .execute(p)
            .await
            .map(|_| ())
        })
        .map_err(|e| StoreError::from_write("report run", e))?;
        Ok(())
    }

    /// Records how an export ended.
    pub(crate) async fn finish_export_run(
        &self,
        id: Uuid,
        status: &str,
        rows: u64,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        let now = Timestamp::now();
        let rows = i64::try_from(rows).unwrap_or(i64::MAX);
        with_pool!(&self.db, |p| {
            sqlx::query(
                "UPDATE report_runs SET status = $2, finished_at = $3, row_count = $4, error = $5, version = version + 1, updated_at = $3 \
                 WHERE id = $1",
            )
            .bind(id)
            .bind(status)
            .bind(now)
            .bind(rows)
            .bind(error)
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_xlsx_export_longer_than_a_sheet_goes_on_to_the_next_under_the_same_heading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("long.xlsx");
        let mut sink = Sink::open(ExportFormat::Xlsx, std::fs::File::create(&path).unwrap()).unwrap();
        if let Sink::Xlsx { rows_per_sheet, .. } = &mut sink {
            *rows_per_sheet = 3;
        }
        sink.header(&["n"], &[]).unwrap();
        for i in 0..5 {
            sink.row(&[Cell::Count(i)]).unwrap();
        }
        sink.finish().unwrap();
        // A workbook is a zip; its part names are stored uncompressed.
        let bytes = std::fs::read(&path).unwrap();
        let has = |name: &str| bytes.windows(name.len()).any(|w| w == name.as_bytes());
        assert!(has("xl/worksheets/sheet3.xml"), "2 + 2 + 1 rows under a heading each");
        assert!(!has("xl/worksheets/sheet4.xml"));
    }

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        let mut out = String::new();
        csv_field(&mut out, "plain");
        out.push('|');
        csv_field(&mut out, "a, \"b\"");
        out.push('|');
        csv_field(&mut out, "=HYPERLINK(\"x\")");
        assert_eq!(out, "plain|\"a, \"\"b\"\"\"|\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(decimal(-12345), "-123.45");
        assert_eq!(decimal(5), "0.05");
    }
}
