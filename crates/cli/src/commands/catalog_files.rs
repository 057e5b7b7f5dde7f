//! The catalog as CSV files from a terminal: `products import` and `stock
//! count` check a file and print every problem by line and column (a dry
//! run unless `--apply`), `products export` writes any filtered list in the
//! shape the import reads.

use super::Result;
use crate::people::person_id;
use marketdesk_core::Store;
use marketdesk_core::catalog::import_products::import_products;
use marketdesk_core::catalog::import_report::{ImportAction, ImportMode, ImportReport};
use marketdesk_core::catalog::import_stock::import_stock;
use marketdesk_core::catalog::product_csv::export_products;
use marketdesk_core::domain::ProductStatus;
use marketdesk_core::orders::view::Reader;
use marketdesk_core::store::products::ProductFilter;
use std::path::Path;

/// What kind of file is imported.
#[derive(Debug, Clone, Copy)]
pub enum FileKind {
    /// Products, one row per variant.
    Products,
    /// A stock count, one row per SKU.
    Count,
}

pub(super) async fn reader(store: &Store, who: &str) -> Result<Reader> {
    let id = person_id(store, who).await?;
    Ok(Reader { id, role: store.user(id).await?.role })
}

fn print(report: &ImportReport, kind: FileKind) {
    let noun = match kind {
        FileKind::Products => "product",
        FileKind::Count => "SKU",
    };
    let mode = if report.applied { "Imported" } else { "Checked" };
    println!(
        "{mode} {} row(s), separated by “{}”: {} {noun}(s) new, {} changed, {} unchanged, {} with problems.",
        report.rows, report.delimiter, report.created, report.updated, report.unchanged, report.refused
    );
    for o in report.outcomes.iter().filter(|o| o.action != ImportAction::Unchanged) {
        let action = match o.action {
            ImportAction::Create => "create",
            ImportAction::Update => "change",
            ImportAction::Unchanged => "keep",
            ImportAction::Refused => "refuse",
        };
        println!("  line {:<6} {action:<7} {:<32} {}", o.line, o.key, o.detail);
    }
    for n in &report.notes {
        println!("note: {n}");
    }
    for p in &report.problems {
        eprintln!("{p}");
    }
    if report.more_problems > 0 {
        eprintln!("… and {} more problem(s)", report.more_problems);
    }
}

/// Imports `file` as `who`; an error (exit 1) when it has problems.
pub async fn import(store: &Store, kind: FileKind, file: &Path, apply: bool, who: &str) -> Result<()> {
    let actor = reader(store, who).await?;
    let open = std::fs::File::open(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let mode = if apply { ImportMode::Apply } else { ImportMode::DryRun };
    let name = file.display().to_string();
    let report = match kind {
        FileKind::Products => import_products(store, actor, &name, open, mode).await?,
        FileKind::Count => import_stock(store, actor, &name, open, mode).await?,
    };
    print(&report, kind);
    if report.has_problems() {
        let n = report.problems.len() as u64 + report.more_problems;
        return Err(format!("{n} problem(s); nothing was written").into());
    }
    if !report.applied {
        println!("Nothing was written (a dry run): add --apply to write it.");
    }
    Ok(())
}

/// Writes the products matching the filter to `file` as `who` sees them.
pub async fn export(
    store: &Store,
    file: &Path,
    search: Option<String>,
    status: Option<ProductStatus>,
    low_stock: bool,
    who: &str,
) -> Result<()> {
    let actor = reader(store, who).await?;
    let filter = ProductFilter { search, status, low_stock, ..ProductFilter::default() };
    let done = export_products(store, actor, &filter, file).await?;
    println!("Wrote {} product(s), {} row(s) to {}.", done.products, done.rows, done.path);
    Ok(())
}
