//! `export`: the ledger written to a CSV or XLSX file, cancellable with Ctrl-C.

use super::{Result, export_format};
use crate::progress::bar;
use marketdesk_core::domain::Timestamp;
use marketdesk_core::store::location::{self, Location};
use std::process::ExitCode;
use std::time::Instant;

pub(super) async fn export_ledger(
    loc: &Location,
    format: &str,
    out: &std::path::Path,
    currency: Option<&str>,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> Result<ExitCode> {
    use marketdesk_core::store::ledger::LedgerFilter;
    let format = export_format(format)?;
    let day = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| Timestamp::from(t.and_utc()));
    let filter = LedgerFilter {
        currency: currency.map(str::parse).transpose()?,
        from: from.and_then(day),
        to: to.and_then(day),
        ..LedgerFilter::default()
    };
    let primary = location::open(loc, false).await?;
    let heavy = super::reports::heavy(&primary).await?;
    let store = heavy.store(&primary);
    let started = Instant::now();
    let progress = bar(0, "exporting", "rows");
    crate::interrupt::catch();
    let summary = primary
        .export_ledger_from(store, &filter, format, out, None, |rows| {
            progress.set_position(rows);
            !crate::interrupt::interrupted()
        })
        .await;
    crate::interrupt::release();
    progress.finish_and_clear();
    let summary = summary?;
    if summary.cancelled {
        eprintln!(
            "Interrupted after {} ledger rows: no file was left, and the run is recorded as cancelled.",
            summary.rows
        );
        heavy.close().await;
        primary.close().await;
        return Ok(ExitCode::from(130));
    }
    println!("Wrote {} ledger rows to {} in {:.1} s.", summary.rows, summary.path, started.elapsed().as_secs_f64());
    heavy.close().await;
    primary.close().await;
    Ok(ExitCode::SUCCESS)
}
