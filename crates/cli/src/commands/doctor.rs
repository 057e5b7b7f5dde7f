//! What this computer and its database look like: `doctor` and the `overview`.

use super::Result;
use crate::format::format_minor;
use marketdesk_core::doctor::{self, Verdict};
use marketdesk_core::seed::{self};
use marketdesk_core::store::location::{self, Location};
use marketdesk_core::store::order_lens::OrderLens;
use marketdesk_core::store::orders::{OrderFilter, OrderSort};
use marketdesk_core::store::{PageRequest, SortDir};
use std::process::ExitCode;

pub(super) async fn doctor_cmd(loc: &Location, json: bool) -> Result<ExitCode> {
    if loc.is_default && !matches!(&loc.url, marketdesk_core::store::DatabaseUrl::Sqlite(p) if p.exists()) {
        // The default database is made on first use; doctor only looks.
        println!("note: the default database {} does not exist yet; `marketdesk migrate` creates it", loc.url);
    }
    let checks = doctor::diagnose(&loc.url).await;
    if json {
        println!("{}", serde_json::to_string_pretty(&checks)?);
    } else {
        for c in &checks {
            let mark = match c.verdict {
                Verdict::Ok => "ok  ",
                Verdict::Warn => "warn",
                Verdict::Fail => "FAIL",
            };
            println!("{mark}  {:<20} {}", c.name, c.detail);
        }
    }
    let failed = checks.iter().filter(|c| c.verdict == Verdict::Fail).count();
    if failed > 0 {
        eprintln!("error: {failed} problem(s) found; see the FAIL lines above");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn overview(loc: &Location) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    println!("Marketdesk — {} at {}", store.engine(), loc.url);
    for table in ["users", "products", "orders", "shipments", "payouts", "disputes"] {
        println!("  {table:<10} {:>10}", store.count_rows(table).await?);
    }
    let page = store
        .list_orders(
            &OrderLens::Full,
            &OrderFilter::default(),
            &PageRequest { sort: OrderSort::PlacedAt, dir: SortDir::Desc, after: None, limit: 10 },
        )
        .await?;
    if page.items.is_empty() {
        println!("\nNo orders yet. Fill the database with demo data: marketdesk seed --orders 5000");
        return Ok(ExitCode::SUCCESS);
    }
    println!("\nNewest orders:");
    for o in &page.items {
        println!(
            "  {:<11} {:<19} {:<18} {:>12} {}  {}",
            o.number,
            o.placed_at.as_datetime().format("%Y-%m-%d %H:%M"),
            o.status.as_str(),
            format_minor(o.total_minor),
            o.currency,
            o.customer_email.as_deref().unwrap_or(&o.customer_name)
        );
    }
    let logins = seed::demo_logins(&store).await?;
    if !logins.is_empty() {
        let names: Vec<&str> = logins.iter().map(|l| l.username.as_str()).collect();
        println!("\nDemo sign-ins (password: {}): {}", seed::DEMO_PASSWORD, names.join(", "));
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
