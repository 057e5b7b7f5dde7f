//! `cargo xtask bench reports [--orders N]`: the revenue reports read from the
//! sales rollups, as a ratio against the raw scan-and-join of the same report
//! (`revenue_report_raw`), on the same seeded data, in the same run, on both
//! engines. The databases are kept between runs (seeding is the slow part):
//! PostgreSQL `md_bench_reports_<N>`, SQLite under the target folder.

use marketdesk_core::domain::Timestamp;
use marketdesk_core::finance::periods::Grain;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::marketplace_reports::{ReportKind, ReportQuery};
use marketdesk_core::store::report_table::ReportTable;
use marketdesk_core::store::reports::{RevenueQuery, RevenueReport};
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};
use sqlx::Connection;
use std::time::Instant;

const RUNS: usize = 5;

fn admin_url() -> String {
    std::env::var("MARKETDESK_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn options(orders: u64) -> SeedOptions {
    let mut o = SeedOptions::new(orders);
    o.end = Timestamp::parse("2026-11-01T00:00:00Z").unwrap();
    o
}

async fn pg(orders: u64) -> Store {
    let name = format!("md_bench_reports_{orders}");
    let mut admin = sqlx::PgConnection::connect(&admin_url()).await.expect("PostgreSQL");
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(&name)
        .fetch_one(&mut admin)
        .await
        .unwrap();
    if !exists {
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
    }
    let mut url = url::Url::parse(&admin_url()).unwrap();
    url.set_path(&format!("/{name}"));
    let store = Store::open(&DatabaseUrl::parse(url.as_str()).unwrap(), &OpenOptions::default()).await.unwrap();
    store.migrate(|_| {}).await.unwrap();
    if store.count_rows("orders").await.unwrap() as u64 != orders {
        eprintln!("bench reports: seeding {orders} orders into PostgreSQL {name} (kept for next time)");
        let mut o = options(orders);
        o.reset = true;
        seed(&store, &o, |_| {}).await.unwrap();
    }
    store
}

async fn sqlite(orders: u64) -> Store {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-reports");
    std::fs::create_dir_all(&dir).unwrap();
    let url = DatabaseUrl::sqlite(dir.join(format!("orders-{orders}.sqlite")));
    let store = Store::open(&url, &OpenOptions::create()).await.unwrap();
    store.migrate(|_| {}).await.unwrap();
    if store.count_rows("orders").await.unwrap() as u64 != orders {
        eprintln!("bench reports: seeding {orders} orders into SQLite (kept for next time)");
        let mut o = options(orders);
        o.reset = true;
        seed(&store, &o, |_| {}).await.unwrap();
    }
    store
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

async fn time(store: &Store, q: &RevenueQuery, raw: bool) -> (f64, RevenueReport) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        let r = if raw { store.revenue_report_raw(q).await } else { store.revenue_report(q).await }.unwrap();
        times.push(t.elapsed().as_secs_f64() * 1e3);
        last = Some(r);
    }
    (median(times), last.unwrap())
}

/// Median time of `run` over [`RUNS`] runs, and its last answer.
async fn time_table<F, Fut>(run: F) -> (f64, ReportTable)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ReportTable>,
{
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        let r = run().await;
        times.push(t.elapsed().as_secs_f64() * 1e3);
        last = Some(r);
    }
    (median(times), last.unwrap())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let orders: u64 = args
        .iter()
        .position(|a| a == "--orders")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let all = RevenueQuery {
        from: day(2025, 5, 1),
        to: day(2026, 10, 31),
        currency: "USD".parse().unwrap(),
        grain: Grain::Month,
        vendor_id: None,
        category_id: None,
    };
    let quarter = RevenueQuery { from: day(2026, 7, 1), to: day(2026, 9, 30), grain: Grain::Quarter, ..all.clone() };
    println!("Revenue reports on {orders} orders: rollups vs the raw query (median of {RUNS}, same run)");
    println!("| engine | report | raw | rollups | speed-up |");
    println!("|---|---|---|---|---|");
    for (engine, store) in [("PostgreSQL", pg(orders).await), ("SQLite", sqlite(orders).await)] {
        let top_vendor = store.revenue_report(&all).await.unwrap().top_vendors.first().map(|v| v.id);
        let one_vendor = RevenueQuery { vendor_id: top_vendor, ..all.clone() };
        for (name, q) in [
            ("revenue by month, 18 months", &all),
            ("commissions per vendor, one quarter (top 10)", &quarter),
            ("one vendor's revenue by month", &one_vendor),
        ] {
            let (raw_ms, raw) = time(&store, q, true).await;
            let (fast_ms, fast) = time(&store, q, false).await;
            assert_eq!(raw, fast, "rollups and the raw query disagree on {name}");
            println!("| {engine} | {name} | {raw_ms:.1} ms | {fast_ms:.2} ms | {:.0}× |", raw_ms / fast_ms);
        }
        // The commissions report lists every vendor (not only the top 10).
        let commissions = ReportQuery { kind: ReportKind::Commissions, scope: quarter.clone() };
        let (raw_ms, raw) = time_table(|| async { store.commissions_raw(&commissions).await.unwrap() }).await;
        let (fast_ms, fast) = time_table(|| async { store.run_report(&commissions).await.unwrap() }).await;
        assert_eq!(raw.rows, fast.rows, "rollups and the raw query disagree on commissions by vendor");
        println!(
            "| {engine} | commissions report, every vendor, one quarter | {raw_ms:.1} ms | {fast_ms:.2} ms | {:.0}× |",
            raw_ms / fast_ms
        );
        // Reports the rollups do not serve: their time, for the record (they are the raw query).
        for kind in [ReportKind::Orders, ReportKind::Products, ReportKind::Payouts, ReportKind::Users] {
            let q = ReportQuery { kind, scope: all.clone() };
            let (ms, t) = time_table(|| async { store.run_report(&q).await.unwrap() }).await;
            println!("| {engine} | {kind:?} report, 18 months ({} rows) | {ms:.1} ms | – | raw |", t.rows.len());
        }
        let (with, without) = posting_cost(&store, POSTED).await;
        println!(
            "| {engine} | posting cost: {POSTED} orders each moved out of and back into a sold status | {with:.1} ms with rollups | {without:.1} ms without | {:.2}× |",
            with / without
        );
        store.close().await;
    }
}

/// Orders whose status changes the posting-cost measurement makes.
const POSTED: i64 = 500;

/// What keeping the rollups adds to booking orders: `n` delivered orders are
/// each set back to `pending` and then to `delivered` again (two postings that
/// move every rollup grain), one statement at a time as the app does, in a
/// transaction that is rolled back; once with the rollup triggers, once with
/// them dropped inside that transaction. Medians of [`RUNS`], in ms.
async fn posting_cost(store: &Store, n: i64) -> (f64, f64) {
    const PICK: &str =
        "SELECT id FROM orders WHERE status = 'delivered' AND deleted_at IS NULL ORDER BY placed_at DESC, id LIMIT $1";
    const OUT: &str = "UPDATE orders SET status = 'pending' WHERE id = $1";
    const BACK: &str = "UPDATE orders SET status = 'delivered' WHERE id = $1";
    let mut medians = Vec::new();
    for keep in [true, false] {
        let mut times = Vec::new();
        for _ in 0..RUNS {
            let ms = if let Some(pool) = store.pg_pool() {
                let ids: Vec<uuid::Uuid> = sqlx::query_scalar(PICK).bind(n).fetch_all(pool).await.unwrap();
                let mut tx = pool.begin().await.unwrap();
                if !keep {
                    sqlx::query("ALTER TABLE orders DISABLE TRIGGER orders_sales_rollups")
                        .execute(&mut *tx)
                        .await
                        .unwrap();
                }
                let t = Instant::now();
                for id in &ids {
                    sqlx::query(OUT).bind(id).execute(&mut *tx).await.unwrap();
                    sqlx::query(BACK).bind(id).execute(&mut *tx).await.unwrap();
                }
                let ms = t.elapsed().as_secs_f64() * 1e3;
                tx.rollback().await.unwrap();
                ms
            } else {
                let pool = store.sqlite_pool().unwrap();
                let ids: Vec<uuid::Uuid> = sqlx::query_scalar(PICK).bind(n).fetch_all(pool).await.unwrap();
                let mut tx = pool.begin().await.unwrap();
                if !keep {
                    for t in ["orders_sales_rollups_add", "orders_sales_rollups_remove"] {
                        sqlx::query(&format!("DROP TRIGGER {t}")).execute(&mut *tx).await.unwrap();
                    }
                }
                let t = Instant::now();
                for id in &ids {
                    sqlx::query(OUT).bind(id).execute(&mut *tx).await.unwrap();
                    sqlx::query(BACK).bind(id).execute(&mut *tx).await.unwrap();
                }
                let ms = t.elapsed().as_secs_f64() * 1e3;
                tx.rollback().await.unwrap();
                ms
            };
            times.push(ms);
        }
        medians.push(median(times));
    }
    (medians[0], medians[1])
}
