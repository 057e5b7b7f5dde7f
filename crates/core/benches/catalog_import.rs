//! `cargo xtask bench catalog-import [--rows N]`: a product CSV of `N` rows
//! (products in four sizes) checked (dry run) and applied through the core on
//! both engines, in rows per second, beside the same products and variants
//! inserted by plain SQL in one transaction in the same run (the floor: what
//! writing the rows costs without reading, checking, snapshots and audit).
//! Then the process's peak memory after a file a tenth the size and after the
//! whole file: an import that streams its rows stays flat.

use marketdesk_core::catalog::import_products::import_products;
use marketdesk_core::catalog::import_report::ImportMode;
use marketdesk_core::domain::Role;
use marketdesk_core::orders::view::Reader;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::Store;
use marketdesk_test_support::databases::{TestDb, pg, sqlite};
use std::time::Instant;
use uuid::Uuid;

fn arg(args: &[String], name: &str, default: u64) -> u64 {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|n| n.parse().ok()).unwrap_or(default)
}

/// The process's peak resident memory so far, in MiB (Linux).
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

const SIZES: [&str; 4] = ["S", "M", "L", "XL"];

/// A product file of `rows` rows for `vendor` in `category`; `stem` keeps
/// handles and SKUs apart between files.
fn file(rows: u64, vendor: &str, category: &str, stem: &str) -> String {
    let mut out = String::from(
        "handle,vendor,name,description,category,currency,option1_name,option1_value,sku,barcode,price,weight_grams,stock\n",
    );
    for i in 0..rows {
        let (p, s) = (i / 4, SIZES[(i % 4) as usize]);
        out.push_str(&format!(
            "{stem}-{p},{vendor},\"Linen shirt, no. {p}\",\"Breathes in summer.\nWashed linen.\",{category},EUR,Size,{s},{stem}-{p}-{s},,{}.{:02},{},{}\n",
            20 + p % 50,
            p % 100,
            200 + p % 300,
            p % 40
        ));
    }
    out
}

async fn people(store: &Store) -> (Reader, String, String) {
    let mut o = SeedOptions::new(50);
    o.seed = 3;
    seed(store, &o, |_| {}).await.unwrap();
    let admin: Uuid = scalar(store, "SELECT id FROM users WHERE role = 'admin' ORDER BY created_at LIMIT 1").await;
    let email: String =
        scalar(store, "SELECT email FROM users WHERE role = 'vendor' ORDER BY created_at LIMIT 1").await;
    let category = store.category_choices().await.unwrap()[0].path.trim_matches('/').to_owned();
    (Reader { id: admin, role: Role::Admin }, email, category)
}

async fn scalar<T>(store: &Store, sql: &str) -> T
where
    T: Send + Unpin + for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
    T: for<'r> sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
{
    match (store.pg_pool(), store.sqlite_pool()) {
        (Some(p), _) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
        (_, Some(p)) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
        _ => unreachable!(),
    }
}

/// The floor: `rows` variants of `rows / 4` products inserted by plain SQL in
/// one transaction, rolled back; ms.
async fn floor(store: &Store, rows: u64) -> f64 {
    let vendor: Uuid = scalar(store, "SELECT id FROM users WHERE role = 'vendor' ORDER BY created_at LIMIT 1").await;
    let category: Uuid = scalar(store, "SELECT id FROM categories ORDER BY path LIMIT 1").await;
    let product_sql = "INSERT INTO products (id, vendor_id, category_id, name, slug, description, status, \
        base_price_minor, currency, is_featured, version, created_at, updated_at) \
        VALUES ($1, $2, $3, $4, $5, 'Breathes in summer.', 'draft', 2000, 'EUR', FALSE, 1, $6, $6)";
    let variant_sql = "INSERT INTO product_variants (id, product_id, sku, name, price_minor, currency, \
        stock_on_hand, stock_reserved, low_stock_threshold, weight_grams, version, created_at, updated_at) \
        VALUES ($1, $2, $3, $4, 2000, 'EUR', 0, 0, 0, 300, 1, $5, $5)";
    let now = marketdesk_core::domain::Timestamp::now();
    macro_rules! write_all {
        ($pool:expr) => {{
            let t = Instant::now();
            let mut tx = $pool.begin().await.unwrap();
            let mut product = Uuid::nil();
            for i in 0..rows {
                if i % 4 == 0 {
                    product = Uuid::now_v7();
                    sqlx::query(product_sql)
                        .bind(product)
                        .bind(vendor)
                        .bind(category)
                        .bind(format!("Floor {i}"))
                        .bind(format!("floor-{i}"))
                        .bind(now)
                        .execute(&mut *tx)
                        .await
                        .unwrap();
                }
                sqlx::query(variant_sql)
                    .bind(Uuid::now_v7())
                    .bind(product)
                    .bind(format!("FLOOR-{i}"))
                    .bind(SIZES[(i % 4) as usize])
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
            tx.rollback().await.unwrap();
            t.elapsed().as_secs_f64() * 1e3
        }};
    }
    match (store.pg_pool(), store.sqlite_pool()) {
        (Some(p), _) => write_all!(p),
        (_, Some(p)) => write_all!(p),
        _ => unreachable!(),
    }
}

async fn run(db: TestDb, engine: &str, rows: u64) {
    let store = &db.store;
    let (admin, vendor, category) = people(store).await;
    let small = file(rows / 10, &vendor, &category, "warm");
    let report = import_products(store, admin, "warm.csv", small.as_bytes(), ImportMode::DryRun).await.unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems.first());
    let after_small = peak_mib();
    let big = file(rows, &vendor, &category, "bench");
    let mut times = Vec::new();
    for mode in [ImportMode::DryRun, ImportMode::Apply] {
        let t = Instant::now();
        let r = import_products(store, admin, "bench.csv", big.as_bytes(), mode).await.unwrap();
        let ms = t.elapsed().as_secs_f64() * 1e3;
        assert!(r.problems.is_empty(), "{:?}", r.problems.first());
        assert_eq!(r.created, rows / 4);
        times.push(ms);
    }
    let after_big = peak_mib();
    // The floor last, so the peak above is the imports' own.
    let base = floor(store, rows).await;
    let rate = |ms: f64| rows as f64 / (ms / 1e3);
    println!(
        "  {engine}: dry run {:>8.0} ms ({:>6.0} rows/s) = {:>5.1}× the floor; apply {:>8.0} ms ({:>6.0} rows/s) = {:>5.1}×; \
         floor (plain INSERTs, one transaction) {base:.0} ms",
        times[0],
        rate(times[0]),
        times[0] / base,
        times[1],
        rate(times[1]),
        times[1] / base
    );
    println!(
        "  {engine}: peak memory {after_small:.0} MiB after {} rows, {after_big:.0} MiB after {rows} (file itself {:.0} MiB)",
        rows / 10,
        big.len() as f64 / 1_048_576.0
    );
    db.finish().await;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rows = arg(&args, "--rows", 100_000).max(40) / 4 * 4;
    println!("catalog import: {rows} rows ({} products in four sizes), through the core", rows / 4);
    run(sqlite().await, "SQLite", rows).await;
    run(pg().await, "PostgreSQL", rows).await;
}
