//! The database itself: migrating it, seeding demo data, rebuilding the sales rollups.

use super::Result;
use crate::progress::bar;
use marketdesk_core::domain::Timestamp;
use marketdesk_core::seed::{self, SeedOptions, SeedProgress};
use marketdesk_core::store::location::{self, Location};
use std::process::ExitCode;
use std::time::Instant;

pub(super) async fn rebuild_rollups(loc: &Location) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    let started = std::time::Instant::now();
    let rows = store.rebuild_sales_rollups().await?;
    println!("Rebuilt the sales rollups: {rows} rows in {:.1} s.", started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn migrate(loc: &Location) -> Result<ExitCode> {
    let store = location::open(loc, true).await?;
    store.check_may_migrate().await?;
    let status = store.schema_status().await?;
    if let Some(problem) = status.blocking_problem() {
        return Err(problem.into());
    }
    if status.pending.is_empty() {
        println!("{} at {} is up to date (schema version {}).", store.engine(), loc.url, status.known);
        return Ok(ExitCode::SUCCESS);
    }
    let progress = bar(status.pending.len() as u64, "migrating", "migrations");
    let applied = store
        .migrate(|step| {
            progress.set_position(step.done as u64);
            progress.println(format!("  applied {} {}", step.version, step.description));
        })
        .await;
    progress.finish_and_clear();
    let applied = applied?;
    println!("{} at {}: applied {applied} migration(s); schema version {}.", store.engine(), loc.url, status.known);
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn seed_cmd(
    loc: &Location,
    orders: u64,
    seed_value: u64,
    end: Option<chrono::NaiveDate>,
    reset: bool,
) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    let mut options = SeedOptions::new(orders);
    options.seed = seed_value;
    options.reset = reset;
    if let Some(day) = end {
        let midnight = day.and_hms_opt(0, 0, 0).ok_or("--end is not a day")?.and_utc();
        options.end = Timestamp::from(midnight);
    }
    let started = Instant::now();
    let progress = bar(orders, "seeding", "orders");
    let report = seed::seed(&store, &options, |p| match p {
        SeedProgress::Resetting => progress.set_message("clearing"),
        SeedProgress::CatalogWritten => progress.set_message("seeding"),
        SeedProgress::Orders { done, .. } => progress.set_position(done),
        SeedProgress::Committing => progress.set_message("committing"),
    })
    .await;
    progress.finish_and_clear();
    let report = report?;
    let secs = started.elapsed().as_secs_f64();
    let rows = report.total_rows();
    println!(
        "Seeded {} at {}: {} orders, {rows} rows in {secs:.1} s ({:.0} rows/s).",
        store.engine(),
        loc.url,
        report.rows_of("orders"),
        rows as f64 / secs.max(0.001)
    );
    for (table, n) in report.rows.iter().filter(|(_, n)| *n > 0) {
        println!("  {table:<26} {n:>10}");
    }
    println!("\nDemo sign-ins (password: {}):", report.password);
    for login in &report.logins {
        println!("  {:<10} {:<28} username {}", login.role.as_str(), login.email, login.username);
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
