//! `cargo xtask bench replica [--orders N] [--runs N]`: the revenue report
//! read from a streaming replica beside the same report read from the
//! primary, both while a writer keeps placing orders on the primary; and how
//! many orders the writer placed per second in each case (the load a report
//! takes off the primary). A private primary and its `pg_basebackup` standby
//! are made for the run.

use chrono::NaiveDate;
use marketdesk_core::domain::periods::Grain;
use marketdesk_core::domain::{Currency, Timestamp};
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::orders::NewOrder;
use marketdesk_core::store::replica::replica_lag;
use marketdesk_core::store::reports::RevenueQuery;
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};
use marketdesk_test_support::PrivateCluster;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use uuid::Uuid;

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

async fn open(url: &str) -> Store {
    let options = OpenOptions { max_connections: 4, ..OpenOptions::default() };
    Store::open(&DatabaseUrl::parse(url).unwrap(), &options).await.unwrap()
}

/// Places one-line orders until told to stop; counts them.
async fn writer(store: Arc<Store>, stop: Arc<AtomicBool>, placed: Arc<AtomicU64>, customer: Uuid, variants: Vec<Uuid>) {
    let mut i = 0;
    while !stop.load(Ordering::Relaxed) {
        let line = vec![(variants[i % variants.len()], 1)];
        let order = NewOrder {
            customer_id: customer,
            currency: Currency::USD,
            lines: line,
            shipping_minor: 0,
            commission_bps: 1000,
        };
        if store.place_order(&order).await.is_ok() {
            placed.fetch_add(1, Ordering::Relaxed);
        }
        i += 1;
    }
}

/// Median and 95th percentile of `runs` reports on `reader`, and the orders
/// per second the writer placed meanwhile.
async fn measure(reader: &Store, q: &RevenueQuery, runs: u64, placed: &AtomicU64) -> (f64, f64, f64) {
    let before = placed.load(Ordering::Relaxed);
    let t = Instant::now();
    let mut times = Vec::new();
    for _ in 0..runs {
        let s = Instant::now();
        let r = reader.revenue_report_raw(q).await.unwrap();
        assert!(r.total.orders > 0);
        times.push(s.elapsed().as_secs_f64() * 1000.0);
    }
    let rate = (placed.load(Ordering::Relaxed) - before) as f64 / t.elapsed().as_secs_f64();
    times.sort_by(f64::total_cmp);
    let p95 = times[((times.len() * 95).div_ceil(100)).saturating_sub(1)];
    (times[times.len() / 2], p95, rate)
}

#[tokio::main]
async fn main() {
    let orders = arg("--orders", 20_000);
    let runs = arg("--runs", 20);
    let primary = PrivateCluster::start();
    let url = primary.url(&primary.password, "postgres");
    let store = open(&url).await;
    store.migrate(|_| {}).await.unwrap();
    let mut options = SeedOptions::new(orders);
    options.end = Timestamp::now();
    seed(&store, &options, |_| {}).await.unwrap();
    let pool = store.pg_pool().unwrap().clone();
    let (customer,): (Uuid,) =
        sqlx::query_as("SELECT id FROM users WHERE role = 'customer' AND status = 'active' ORDER BY id LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    sqlx::query("UPDATE product_variants SET stock_on_hand = stock_on_hand + 1000000").execute(&pool).await.unwrap();
    let variants: Vec<Uuid> = sqlx::query_scalar(
        "SELECT v.id FROM product_variants v JOIN products p ON p.id = v.product_id JOIN users u ON u.id = p.vendor_id \
         WHERE p.status = 'approved' AND u.status = 'active' AND v.currency = 'USD' ORDER BY v.id LIMIT 50",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let standby = primary.start_replica();
    let replica = open(&standby.url(&standby.password, "postgres")).await;
    let today = Timestamp::now().as_datetime().date_naive();
    let q = RevenueQuery {
        from: today - chrono::Duration::days(365),
        to: today,
        currency: Currency::USD,
        grain: Grain::Month,
        vendor_id: None,
        category_id: None,
    };
    let _: NaiveDate = q.from;

    let store = Arc::new(store);
    let stop = Arc::new(AtomicBool::new(false));
    let placed = Arc::new(AtomicU64::new(0));
    let load = tokio::spawn(writer(Arc::clone(&store), Arc::clone(&stop), Arc::clone(&placed), customer, variants));
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle = placed.load(Ordering::Relaxed);
    let mut rows = Vec::new();
    for round in 0..2 {
        let (pm, pp, pr) = measure(&store, &q, runs, &placed).await;
        let (rm, rp, rr) = measure(&replica, &q, runs, &placed).await;
        rows.push((pm, pp, pr, rm, rp, rr));
        let lag = replica_lag(&store, &replica).await.unwrap();
        println!(
            "round {round}: primary report p50 {pm:.1} ms p95 {pp:.1} ms, writer {pr:.0} orders/s | replica report p50 {rm:.1} ms p95 {rp:.1} ms, writer {rr:.0} orders/s | replica {} bytes behind",
            lag.bytes_behind
        );
    }
    stop.store(true, Ordering::Relaxed);
    load.await.unwrap();
    let last = rows.last().unwrap();
    println!(
        "{orders} seeded orders, raw revenue report (12 months by month) while one writer places orders ({idle} in the first 2 s):\n  \
         report on replica / on primary (p50): {:.2}; writer's orders/s while reports hit the replica / the primary: {:.2}",
        last.3 / last.0,
        last.5 / last.2
    );
    replica.close().await;
    drop(standby);
}
