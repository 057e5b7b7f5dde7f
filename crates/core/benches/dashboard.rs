//! `cargo xtask bench dashboard [--orders N]`: the business dashboard (a
//! period and the one before, every figure) beside the revenue report of the
//! same two periods from the rollups — the part of the dashboard every
//! finance screen already pays for — on the same seeded PostgreSQL data, in
//! the same run, for 30 and 365 days. Kept between runs: `md_bench_dashboard_<N>`.

use chrono::Duration;
use marketdesk_core::analytics::dashboard::{DashboardQuery, dashboard};
use marketdesk_core::domain::periods::Grain;
use marketdesk_core::domain::{Currency, Timestamp};
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::reports::RevenueQuery;
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};
use std::time::Instant;

const RUNS: usize = 7;

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn median(mut ms: Vec<f64>) -> f64 {
    ms.sort_by(f64::total_cmp);
    ms[ms.len() / 2]
}

#[tokio::main]
async fn main() {
    let orders = arg("--orders", 100_000);
    let name = format!("md_bench_dashboard_{orders}");
    let url = marketdesk_test_support::databases::kept_database(&name).await;
    let store = Store::open(&DatabaseUrl::parse(url.as_str()).unwrap(), &OpenOptions::default()).await.unwrap();
    store.migrate(|_| {}).await.unwrap();
    let end = Timestamp::parse("2026-11-01T00:00:00Z").unwrap();
    if store.count_rows("orders").await.unwrap() as u64 != orders {
        eprintln!("bench dashboard: seeding {orders} orders into PostgreSQL {name} (kept for next time)");
        let mut o = SeedOptions::new(orders);
        o.end = end;
        o.reset = true;
        seed(&store, &o, |_| {}).await.unwrap();
    }
    let to = end.as_datetime().date_naive() - Duration::days(1);
    for days in [30, 365] {
        let q = DashboardQuery { from: to - Duration::days(days - 1), to, currency: Currency::USD, vendor_id: None };
        let before = q.previous();
        let (mut ours, mut base) = (Vec::new(), Vec::new());
        for _ in 0..RUNS {
            let t = Instant::now();
            let d = dashboard(&store, &q).await.unwrap();
            assert!(!d.metrics.is_empty());
            ours.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            for p in [&q, &before] {
                let r = RevenueQuery {
                    from: p.from,
                    to: p.to,
                    currency: p.currency,
                    grain: Grain::Day,
                    vendor_id: None,
                    category_id: None,
                };
                store.revenue_report(&r).await.unwrap();
            }
            base.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let (o, b) = (median(ours), median(base));
        println!(
            "{orders} orders, {days} days beside the {days} before: dashboard {o:.1} ms, the two revenue reports {b:.1} ms; ratio {:.2}",
            o / b
        );
    }
    store.close().await;
}
