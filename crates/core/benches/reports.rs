//! `cargo xtask bench reports [--orders N]`: the revenue reports read from the
//! sales rollups, as a ratio against the raw scan-and-join of the same report
//! (`revenue_report_raw`), on the same seeded data, in the same run, on both
//! engines. The databases are kept between runs (seeding is the slow part):
//! PostgreSQL `md_bench_reports_<N>`, SQLite under the target folder.

use marketdesk_core::domain::Timestamp;
use marketdesk_core::domain::periods::Grain;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::marketplace_reports::{ReportKind, ReportQuery};
use marketdesk_core::store::report_table::ReportTable;
use marketdesk_core::store::reports::{RevenueQuery, RevenueReport};
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};
use std::time::Instant;

const RUNS: usize = 5;

fn options(orders: u64) -> SeedOptions {
    let mut o = SeedOptions::new(orders);
    o.end = Timestamp::parse("2026-11-01T00:00:00Z").unwrap();
    o
}

async fn pg(orders: u64) -> Store {
    let name = format!("md_bench_reports_{orders}");
    let url = marketdesk_test_support::databases::kept_database(&name).await;
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
        // Reports the rollups do not serve, through the core, beside plain SQL
        // for the same figures written here by hand (goal: within 1.2×).
        for kind in [ReportKind::Orders, ReportKind::Products, ReportKind::Payouts, ReportKind::Users] {
            let q = ReportQuery { kind, scope: all.clone() };
            let plain = plain_sql(kind, &store);
            let (plain_ms, figure, ms, t) =
                time_against_plain(&store, &plain, &all, || async { store.run_report(&q).await.unwrap() }).await;
            assert_eq!(core_figure(kind, &t), figure, "the core and the plain SQL disagree on {kind:?}");
            println!(
                "| {engine} | {kind:?} report, 18 months ({} rows), core vs plain SQL | {plain_ms:.1} ms | {ms:.1} ms | {:.2}× of plain |",
                t.rows.len(),
                ms / plain_ms
            );
        }
        let (with, without) = posting_cost(&store, POSTED).await;
        println!(
            "| {engine} | posting cost: {POSTED} orders each moved out of and back into a sold status | {with:.1} ms with rollups | {without:.1} ms without | {:.2}× |",
            with / without
        );
        store.close().await;
    }
}

/// A report's figures as plain SQL, with the values it binds in order.
struct Plain {
    sql: String,
    binds: &'static [Bind],
}

/// A value a [`Plain`] query binds.
enum Bind {
    Currency,
    From,
    To,
}

/// The SQL a person would write for the figures of a report the rollups do not
/// serve: one statement, no assembly. Its last column is the checked figure,
/// summed over the rows (or the row count when it has none).
fn plain_sql(kind: ReportKind, store: &Store) -> Plain {
    let pg = store.pg_pool().is_some();
    let day = |c: &str| {
        if pg { format!("to_char({c} AT TIME ZONE 'UTC', 'YYYY-MM-DD')") } else { format!("substr({c}, 1, 10)") }
    };
    let sold = "('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'refunded', 'partially_refunded', 'disputed')";
    let name = |c: &str| {
        format!(
            "coalesce((SELECT max(up.business_name) FROM user_profiles up WHERE up.user_id = {c}), \
             (SELECT u.display_name FROM users u WHERE u.id = {c}))"
        )
    };
    let items = "FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.deleted_at IS NULL \
                 AND o.currency = $1 AND o.placed_at >= $2 AND o.placed_at < $3";
    use Bind::*;
    match kind {
        ReportKind::Orders => Plain {
            sql: format!(
                "SELECT {} AS day, o.status, CAST(sum(i.subtotal_minor) AS BIGINT) AS gross, count(DISTINCT o.id) AS orders \
                 {items} GROUP BY 1, 2 ORDER BY 1, 2",
                day("o.placed_at")
            ),
            binds: &[Currency, From, To],
        },
        ReportKind::Products => Plain {
            sql: format!(
                "SELECT (SELECT p.name FROM products p WHERE p.id = i.product_id) AS name, {} AS vendor, \
                 (SELECT c.name FROM products p JOIN categories c ON c.id = p.category_id WHERE p.id = i.product_id) AS category, \
                 count(DISTINCT o.id) AS orders, CAST(sum(i.quantity) AS BIGINT) AS units, \
                 CAST(sum(i.refunded_quantity) AS BIGINT) AS refunded_units, CAST(sum(i.subtotal_minor) AS BIGINT) AS gross \
                 {items} AND o.status IN {sold} GROUP BY i.product_id, i.vendor_id ORDER BY 7 DESC, 5 DESC, 1 LIMIT 100",
                name("i.vendor_id")
            ),
            binds: &[Currency, From, To],
        },
        ReportKind::Payouts => Plain {
            sql: format!(
                "SELECT * FROM (SELECT p.id, {} AS vendor, p.status, p.amount_minor, \
                 (SELECT sum(e.amount_minor) FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id \
                  JOIN ledger_accounts a ON a.id = e.account_id WHERE t.payout_id = p.id AND a.vendor_id = p.vendor_id \
                  AND a.kind = 'liability' AND e.deleted_at IS NULL AND t.deleted_at IS NULL) AS posted, \
                 p.stripe_transfer_id, p.failure_reason, p.created_at, p.paid_at \
                 FROM payouts p WHERE p.deleted_at IS NULL AND p.currency = $1 \
                 AND coalesce(p.paid_at, p.created_at) >= $2 AND coalesce(p.paid_at, p.created_at) < $3) x \
                 WHERE x.status IN ('processing', 'paid', 'failed', 'reversed') OR coalesce(x.posted, 0) <> 0 \
                 ORDER BY coalesce(x.paid_at, x.created_at), x.id",
                name("p.vendor_id")
            ),
            binds: &[Currency, From, To],
        },
        ReportKind::Users => Plain {
            sql: format!(
                "SELECT {} AS day, role, count(*) AS n FROM users WHERE deleted_at IS NULL AND role IN ('customer', 'vendor') \
                 AND created_at >= $1 AND created_at < $2 GROUP BY 1, 2 \
                 UNION ALL SELECT {} AS day, 'buyer', count(*) AS n FROM (SELECT customer_id, min(placed_at) AS first_at \
                 FROM orders WHERE deleted_at IS NULL AND status IN {sold} GROUP BY customer_id) f \
                 WHERE first_at >= $3 AND first_at < $4 GROUP BY 1, 2",
                day("created_at"),
                day("first_at")
            ),
            binds: &[From, To, From, To],
        },
        other => unreachable!("{other:?} is served by the rollups"),
    }
}

/// The figure [`plain_sql`] checks, read from the core's table.
fn core_figure(kind: ReportKind, t: &ReportTable) -> i64 {
    let sum = |key: &str| t.ints(key).into_iter().flatten().sum::<i64>();
    match kind {
        ReportKind::Orders => sum("placed"),
        ReportKind::Products => sum("gross"),
        ReportKind::Payouts => t.rows.len() as i64,
        _ => sum("customers") + sum("vendors") + sum("first_buyers"),
    }
}

/// Median times of the plain SQL and of the `core`'s report, run in turns
/// [`RUNS`] times each; the plain SQL's checked figure (the last column
/// summed, or the row count for payouts) and the core's last table.
async fn time_against_plain<F, Fut>(
    store: &Store,
    plain: &Plain,
    q: &RevenueQuery,
    core: F,
) -> (f64, i64, f64, ReportTable)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ReportTable>,
{
    use sqlx::Row;
    let from = Timestamp::from(q.from.and_hms_opt(0, 0, 0).unwrap().and_utc());
    let to = Timestamp::from(q.to.succ_opt().unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc());
    let payouts = plain.sql.contains("FROM payouts");
    let (mut times, mut core_times) = (Vec::new(), Vec::new());
    let (mut figure, mut table) = (0, None);
    for _ in 0..RUNS {
        // Alternating, so whatever else the machine does weighs on both alike.
        let t = Instant::now();
        table = Some(core().await);
        core_times.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        // The same statement and binds on either engine's pool.
        macro_rules! run_on {
            ($pool:expr) => {{
                let mut query = sqlx::query(&plain.sql);
                for b in plain.binds {
                    query = match b {
                        Bind::Currency => query.bind(q.currency),
                        Bind::From => query.bind(from),
                        Bind::To => query.bind(to),
                    };
                }
                let rows = query.fetch_all($pool).await.unwrap();
                if payouts { rows.len() as i64 } else { rows.iter().map(|r| r.get::<i64, _>(r.len() - 1)).sum() }
            }};
        }
        figure = match store.pg_pool() {
            Some(pool) => run_on!(pool),
            None => run_on!(store.sqlite_pool().unwrap()),
        };
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    (median(times), figure, median(core_times), table.unwrap())
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
                    for t in [
                        "orders_sales_rollups_add",
                        "orders_sales_rollups_remove",
                        "orders_monthly_rollups_add",
                        "orders_monthly_rollups_remove",
                    ] {
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
