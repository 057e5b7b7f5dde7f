//! `report` and `statement`: finance reports and vendor statements printed or written to a file.

use super::{Result, export_format};
use crate::people::person_id;
use marketdesk_core::store::Store;
use marketdesk_core::store::location::{self, Location};
use marketdesk_core::store::marketplace_reports::ReportQuery;
use marketdesk_core::store::replica::{HeavyReads, heavy_reads, replica_from_environment};
use marketdesk_core::store::report_table::{ColumnKind, ReportTable, ReportValue};
use std::process::ExitCode;

pub(super) async fn report_cmd(
    loc: &Location,
    query: &ReportQuery,
    out: Option<&std::path::Path>,
    format: &str,
) -> Result<ExitCode> {
    let primary = location::open(loc, false).await?;
    let heavy = heavy(&primary).await?;
    let store = heavy.store(&primary);
    if let Some(out) = out {
        let summary = primary.export_report_from(store, query, export_format(format)?, out, None).await?;
        println!("Wrote {} rows to {}.", summary.rows, summary.path);
    } else {
        let table = store.run_report(query).await?;
        print!("{}", render_table(&table));
    }
    heavy.close().await;
    primary.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Where a report or export reads: the replica named by
/// `MARKETDESK_REPLICA_URL` when it is fit, else the primary — said on
/// stderr whenever a replica is configured (stdout stays the report).
pub(super) async fn heavy(primary: &Store) -> Result<HeavyReads> {
    let (url, max_lag) = replica_from_environment()?;
    let heavy = heavy_reads(primary, url.as_ref(), max_lag).await;
    if url.is_some() {
        eprintln!("{}", heavy.said);
    }
    Ok(heavy)
}

pub(super) async fn statement_cmd(
    loc: &Location,
    vendor: &str,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    currency: &str,
    out: &std::path::Path,
) -> Result<ExitCode> {
    use marketdesk_core::store::statements::StatementQuery;
    let store = location::open(loc, false).await?;
    let vendor_id = person_id(&store, vendor).await?;
    let query = StatementQuery { vendor_id, currency: currency.parse()?, from, to };
    let summary = store.export_vendor_statement(&query, out, None).await?;
    println!("Wrote the statement ({} movements) to {}.", summary.rows, summary.path);
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// The table as aligned text, numbers right-aligned, totals under a rule.
pub(super) fn render_table(t: &ReportTable) -> String {
    let text = |kind: ColumnKind, v: &Option<ReportValue>| match (kind, v) {
        (_, None) => String::new(),
        (_, Some(ReportValue::Text(s))) => s.clone(),
        (ColumnKind::Money, Some(ReportValue::Int(n))) => rust_decimal::Decimal::new(*n, 2).to_string(),
        (ColumnKind::Percent, Some(ReportValue::Int(n))) => format!("{}%", rust_decimal::Decimal::new(*n, 2)),
        (_, Some(ReportValue::Int(n))) => n.to_string(),
    };
    let lines: Vec<Vec<String>> = t
        .rows
        .iter()
        .chain(t.totals.iter())
        .map(|r| t.columns.iter().zip(r).map(|(c, v)| text(c.kind, v)).collect())
        .collect();
    let widths: Vec<usize> = t
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| lines.iter().map(|l| l[i].chars().count()).chain([c.label.chars().count()]).max().unwrap_or(0))
        .collect();
    let format_line = |cells: Vec<String>| -> String {
        let parts: Vec<String> = cells
            .iter()
            .zip(&t.columns)
            .zip(&widths)
            .map(|((s, c), w)| if c.kind == ColumnKind::Text { format!("{s:<w$}") } else { format!("{s:>w$}") })
            .collect();
        parts.join("  ").trim_end().to_owned() + "\n"
    };
    let mut out = format!("{}{}\n", t.title, t.currency.map(|c| format!(" ({c})")).unwrap_or_default());
    out += &format_line(t.columns.iter().map(|c| c.label.clone()).collect());
    let n = t.rows.len();
    for (i, l) in lines.into_iter().enumerate() {
        if i == n {
            out += &"-".repeat(widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1));
            out += "\n";
        }
        out += &format_line(l);
    }
    if t.rows.is_empty() {
        out += "(nothing in this range)\n";
    }
    out
}
