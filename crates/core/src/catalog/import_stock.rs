//! Importing a stock count from a CSV file: each row names a SKU (and its
//! vendor when several sell it) and the units counted on the shelf; the
//! difference from the units on hand is recorded as a *counted* movement.
//! The product export is a valid count file (its `stock` column is read as
//! the count), so a warehouse can export, count, fill in and import. A dry
//! run does the same work and rolls it back; an apply writes every row or
//! none, and a count applied twice changes nothing the second time.

use super::csv_file::{CsvFile, Next, whole_number};
use super::import_products::{finish_in, row_problem, vendor_named_in};
use super::import_report::{ImportAction, ImportMode, ImportOutcome, ImportProblem, ImportReport};
use super::product_csv::COLUMNS;
use super::product_rows::at;
use super::stock::{StockChange, change_stock_in};
use crate::domain::stock::{NOTE_MAX, StockMovementKind};
use crate::domain::{Role, new_id};
use crate::orders::view::Reader;
use crate::store::write_tx::{Savepoint, WriteTx, with_tx};
use crate::store::{Store, StoreError};
use std::collections::HashMap;
use std::io::Read;
use uuid::Uuid;

/// The columns a count file may have besides those of the product file.
const COUNT_COLUMNS: [&str; 2] = ["counted", "note"];

/// A live variant a row names, as it stands.
#[derive(sqlx::FromRow)]
struct Shelf {
    id: Uuid,
    stock_on_hand: i32,
}

/// The one live variant with `sku` (of `vendor` when named); the inner
/// error is the problem to report.
async fn shelf_in(tx: &mut WriteTx<'_>, sku: &str, vendor: Option<Uuid>) -> Result<Result<Shelf, String>, StoreError> {
    let sql = "SELECT v.id, v.stock_on_hand FROM product_variants v \
               JOIN products p ON p.id = v.product_id \
               WHERE lower(v.sku) = lower($1) AND v.deleted_at IS NULL AND p.deleted_at IS NULL \
               AND ($2 IS NULL OR p.vendor_id = $2) LIMIT 2";
    let mut found: Vec<Shelf> = with_tx!(tx, |c| sqlx::query_as(sql).bind(sku).bind(vendor).fetch_all(&mut *c).await)?;
    Ok(match found.len() {
        0 => Err(format!("no live variant has SKU {sku}")),
        1 => Ok(found.remove(0)),
        _ => Err(format!("several vendors sell {sku}: add a vendor column to say whose")),
    })
}

/// Imports the count file `file` (named `source` in the audit trail) as
/// `actor` — logistics or an admin for any vendor, a vendor their own — in `mode`.
pub async fn import_stock<R: Read>(
    store: &Store,
    actor: Reader,
    source: &str,
    file: R,
    mode: ImportMode,
) -> Result<ImportReport, StoreError> {
    if !matches!(actor.role, Role::Admin | Role::Logistics | Role::Vendor) {
        return Err(StoreError::AccessDenied("only logistics, vendors and admins record stock counts".into()));
    }
    let mut report = ImportReport::new(mode);
    let known: Vec<&str> = COLUMNS.iter().chain(COUNT_COLUMNS.iter()).copied().collect();
    let mut csv = match CsvFile::open(file, &known, &["sku"]) {
        Ok(f) => f,
        Err(problems) => {
            problems.into_iter().for_each(|p| report.problem(p));
            return Ok(report);
        }
    };
    report.delimiter = csv.delimiter().to_string();
    let (count_column, count_name) = match (csv.column("counted"), csv.column("stock")) {
        (Some(c), _) => (Some(c), "counted"),
        (None, Some(c)) => (Some(c), "stock"),
        (None, None) => {
            report.problem(at(1, "counted", "a count file needs a counted (or stock) column"));
            return Ok(report);
        }
    };
    let (sku_column, vendor_column, note_column) = (csv.column("sku"), csv.column("vendor"), csv.column("note"));
    let mut tx = store.begin_write_tx().await?;
    tx.plan_for_growth().await?;
    let mut vendors: HashMap<String, Result<Uuid, String>> = HashMap::new();
    let mut seen: HashMap<Uuid, u64> = HashMap::new();
    while let Some(next) = csv.next_row() {
        report.rows += 1;
        let row = match next {
            Next::Row(r) => r,
            Next::Broken(p) => {
                report.problem(p);
                continue;
            }
        };
        let line = row.line;
        let sku = row.cell(sku_column).to_owned();
        let mut bad: Vec<ImportProblem> = Vec::new();
        if sku.is_empty() {
            bad.push(at(line, "sku", "a SKU is needed"));
        }
        let counted = match row.cell(count_column) {
            "" => Err("the units counted are needed".to_owned()),
            text => whole_number(text, 0, i64::from(i32::MAX)).map(|n| i32::try_from(n).unwrap_or(i32::MAX)),
        }
        .map_err(|m| bad.push(at(line, count_name, m)))
        .ok();
        let note = row.cell(note_column).to_owned();
        if note.chars().count() > NOTE_MAX {
            bad.push(at(line, "note", format!("a note holds at most {NOTE_MAX} characters")));
        }
        let vendor_text = row.cell(vendor_column).to_owned();
        let vendor = if vendor_text.is_empty() && actor.role != Role::Vendor {
            None
        } else {
            let key = vendor_text.to_lowercase();
            let found = match vendors.get(&key) {
                Some(known) => known.clone(),
                None => {
                    let found = vendor_named_in(&mut tx, actor, &vendor_text).await?;
                    vendors.insert(key, found.clone());
                    found
                }
            };
            match found {
                Ok(v) => Some(v),
                Err(m) => {
                    bad.push(at(line, "vendor", m));
                    None
                }
            }
        };
        let shelf = if sku.is_empty() || bad.iter().any(|p| p.column.as_deref() == Some("vendor")) {
            None
        } else {
            match shelf_in(&mut tx, &sku, vendor).await? {
                Ok(s) => Some(s),
                Err(m) => {
                    bad.push(at(line, "sku", m));
                    None
                }
            }
        };
        if let Some(s) = &shelf
            && let Some(earlier) = seen.insert(s.id, line)
        {
            bad.push(at(line, "sku", format!("{sku} is already counted on line {earlier}")));
        }
        let (Some(shelf), Some(counted), true) = (shelf, counted, bad.is_empty()) else {
            let detail = format!("{} problem{}", bad.len(), if bad.len() == 1 { "" } else { "s" });
            bad.into_iter().for_each(|p| report.problem(p));
            report.outcome(ImportOutcome { line, key: sku, action: ImportAction::Refused, detail });
            continue;
        };
        let delta = counted - shelf.stock_on_hand;
        if delta == 0 {
            let detail = format!("{counted} on hand");
            report.outcome(ImportOutcome { line, key: sku, action: ImportAction::Unchanged, detail });
            continue;
        }
        let change = StockChange {
            movement: new_id(),
            variant: shelf.id,
            kind: StockMovementKind::Counted,
            delta,
            note: Some(note).filter(|n| !n.is_empty()),
        };
        tx.savepoint(Savepoint::Set, "stock_import").await?;
        match change_stock_in(&mut tx, actor.id, &change).await {
            Ok(_) => {
                tx.savepoint(Savepoint::Release, "stock_import").await?;
                let detail = format!("{} → {counted} ({delta:+})", shelf.stock_on_hand);
                report.outcome(ImportOutcome { line, key: sku, action: ImportAction::Update, detail });
            }
            Err(e) if row_problem(&e) => {
                tx.savepoint(Savepoint::RollBack, "stock_import").await?;
                tx.savepoint(Savepoint::Release, "stock_import").await?;
                report.problem(at(line, count_name, e.to_string()));
                report.outcome(ImportOutcome {
                    line,
                    key: sku,
                    action: ImportAction::Refused,
                    detail: "1 problem".into(),
                });
            }
            Err(e) => return Err(e),
        }
    }
    report.digest = csv.digest();
    finish_in(tx, actor, ("stock.import", "stock_movements"), source, &mut report).await?;
    Ok(report)
}
