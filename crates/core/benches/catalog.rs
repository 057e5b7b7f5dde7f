//! `cargo xtask bench catalog [--orders N] [--products P]`: the search boxes
//! of the orders and products lists through the core, on both engines, as a
//! ratio against a lookup of one row by primary key on the same connection
//! pool in the same run — and beside the substring scan the orders search
//! used to be (`LIKE '%…%'` over numbers and e-mails). Then the warehouse's
//! bin sheet at its largest, beside writing the same bins by primary key and
//! beside reading it one SKU lookup per line, as it was. Synthetic products are
//! added until the catalog holds `P`. The databases are kept between runs:
//! PostgreSQL `md_bench_catalog_<N>`, SQLite under the target folder.

use marketdesk_core::domain::{Role, Timestamp};
use marketdesk_core::logistics::bins::{MAX_SHEET_LINES, apply_bin_sheet, variants_by_sku};
use marketdesk_core::orders::list::orders_for;
use marketdesk_core::orders::view::Reader;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::bulk::{Batch, BulkWriter, Cell};
use marketdesk_core::store::orders::{OrderFilter, OrderSort};
use marketdesk_core::store::products::{ProductFilter, ProductSort};
use marketdesk_core::store::{DatabaseUrl, OpenOptions, PageRequest, SortDir, Store};
use std::time::Instant;
use uuid::Uuid;

const RUNS: usize = 40;

fn arg(args: &[String], name: &str, default: u64) -> u64 {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|n| n.parse().ok()).unwrap_or(default)
}

async fn seeded(store: Store, orders: u64, products: u64, engine: &str) -> Store {
    store.migrate(|_| {}).await.unwrap();
    if store.count_rows("orders").await.unwrap() as u64 != orders {
        eprintln!("bench catalog: seeding {orders} orders into {engine} (kept for next time)");
        let mut o = SeedOptions::new(orders);
        o.end = Timestamp::parse("2026-11-01T00:00:00Z").unwrap();
        o.reset = true;
        seed(&store, &o, |_| {}).await.unwrap();
    }
    let have = store.count_rows("products").await.unwrap() as u64;
    if have < products {
        eprintln!("bench catalog: adding {} products to {engine}", products - have);
        add_products(&store, products - have).await;
    }
    store
}

/// `count` more products of the seeded vendors, one variant each, named from a
/// small vocabulary so that words repeat as in a real catalog.
async fn add_products(store: &Store, count: u64) {
    const ADJ: [&str; 12] =
        ["Linen", "Oak", "Stoneware", "Copper", "Wool", "Walnut", "Glass", "Cotton", "Steel", "Cedar", "Clay", "Silk"];
    const NOUN: [&str; 12] =
        ["apron", "mug", "lamp", "bowl", "scarf", "board", "vase", "towel", "knife", "box", "planter", "throw"];
    const TONE: [&str; 8] = ["sand", "ink", "moss", "rust", "chalk", "slate", "honey", "sky"];
    let vendors: Vec<(Uuid, Uuid)> = {
        // One category of each vendor's (min() over uuid is not on every PostgreSQL).
        let sql = "SELECT v.vendor_id, (SELECT p.category_id FROM products p WHERE p.vendor_id = v.vendor_id \
                   ORDER BY p.id LIMIT 1) FROM (SELECT DISTINCT vendor_id FROM products) v ORDER BY v.vendor_id";
        match (store.pg_pool(), store.sqlite_pool()) {
            (Some(p), _) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
            (_, Some(p)) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
            _ => unreachable!(),
        }
    };
    let now = Timestamp::now();
    let mut written = 0;
    while written < count {
        let chunk = (count - written).min(5_000);
        let mut products = Batch::new(
            "products",
            &[
                "id",
                "vendor_id",
                "category_id",
                "name",
                "slug",
                "description",
                "status",
                "base_price_minor",
                "currency",
                "version",
                "created_at",
                "updated_at",
            ],
        );
        let mut variants = Batch::new(
            "product_variants",
            &[
                "id",
                "product_id",
                "sku",
                "name",
                "price_minor",
                "currency",
                "stock_on_hand",
                "version",
                "created_at",
                "updated_at",
            ],
        );
        for k in written..written + chunk {
            let i = k as usize;
            let (vendor, category) = vendors[i % vendors.len()];
            let name = format!("{} {} {}", ADJ[i % 12], NOUN[(i / 12) % 12], TONE[(i / 144) % 8]);
            let id = Uuid::now_v7();
            let price = 500 + (i as i64 % 200) * 100;
            products.push(vec![
                id.into(),
                vendor.into(),
                category.into(),
                name.clone().into(),
                format!("bench-{k}").into(),
                format!("{name}, made by hand. Batch {}.", k / 1000).into(),
                "approved".into(),
                price.into(),
                "USD".into(),
                1_i64.into(),
                Cell::Time(now),
                Cell::Time(now),
            ]);
            variants.push(vec![
                Uuid::now_v7().into(),
                id.into(),
                format!("BX-{k:07}").into(),
                "Default".into(),
                price.into(),
                "USD".into(),
                10_i64.into(),
                1_i64.into(),
                Cell::Time(now),
                Cell::Time(now),
            ]);
        }
        let mut w = BulkWriter::begin(store, false).await.unwrap();
        w.write(&products).await.unwrap();
        w.write(&variants).await.unwrap();
        w.commit().await.unwrap();
        written += chunk;
    }
}

/// The 50th and 95th percentiles of `run` over [`RUNS`] runs, in ms.
async fn time<F, Fut, T>(run: F) -> (f64, f64, T)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        last = Some(run().await);
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    (times[RUNS / 2], times[RUNS * 95 / 100], last.unwrap())
}

async fn pk_lookup(store: &Store, table: &str, id: Uuid) -> i64 {
    let sql = format!("SELECT count(*) FROM {table} WHERE id = $1");
    match (store.pg_pool(), store.sqlite_pool()) {
        (Some(p), _) => sqlx::query_scalar(&sql).bind(id).fetch_one(p).await.unwrap(),
        (_, Some(p)) => sqlx::query_scalar(&sql).bind(id).fetch_one(p).await.unwrap(),
        _ => unreachable!(),
    }
}

/// The orders search as it was before the search indexes: a substring scan.
async fn like_scan(store: &Store, text: &str) -> usize {
    let sql = "SELECT o.id FROM orders o JOIN users u ON u.id = o.customer_id WHERE o.deleted_at IS NULL \
               AND (lower(o.number) LIKE $1 OR u.email LIKE $1) ORDER BY o.placed_at DESC, o.id DESC LIMIT 51";
    let pattern = format!("%{}%", text.to_lowercase());
    let rows: Vec<(Uuid,)> = match (store.pg_pool(), store.sqlite_pool()) {
        (Some(p), _) => sqlx::query_as(sql).bind(pattern).fetch_all(p).await.unwrap(),
        (_, Some(p)) => sqlx::query_as(sql).bind(pattern).fetch_all(p).await.unwrap(),
        _ => unreachable!(),
    };
    rows.len()
}

async fn run(store: &Store, engine: &str) {
    let fetch = |sql: &'static str| async move {
        let row: (Uuid, String, String, String) = match (store.pg_pool(), store.sqlite_pool()) {
            (Some(p), _) => sqlx::query_as(sql).fetch_one(p).await.unwrap(),
            (_, Some(p)) => sqlx::query_as(sql).fetch_one(p).await.unwrap(),
            _ => unreachable!(),
        };
        row
    };
    let (order, number, name, email) = fetch(
        "SELECT o.id, o.number, u.display_name, u.email FROM orders o JOIN users u ON u.id = o.customer_id \
         ORDER BY o.number DESC LIMIT 1",
    )
    .await;
    let (product, pname, sku, _) = fetch(
        "SELECT p.id, p.name, v.sku, p.slug FROM products p JOIN product_variants v ON v.product_id = p.id \
         ORDER BY p.id LIMIT 1",
    )
    .await;
    let admin = Reader { id: Uuid::nil(), role: Role::Admin };
    let page = PageRequest { sort: OrderSort::PlacedAt, dir: SortDir::Desc, after: None, limit: 50 };
    let (_, pk_order, _) = time(|| pk_lookup(store, "orders", order)).await;
    let (_, pk_product, _) = time(|| pk_lookup(store, "products", product)).await;
    println!("\n{engine}: primary-key lookup p95 — order {pk_order:.2} ms, product {pk_product:.2} ms");
    let last_name = name.split_whitespace().last().unwrap_or(&name).to_owned();
    let local = email.split('@').next().unwrap_or(&email).to_owned();
    let digits = number.trim_start_matches("MD-").to_owned();
    let searches = [
        ("order number", number.clone()),
        ("number start", format!("MD-{}", &digits[..digits.len().saturating_sub(2)])),
        ("customer surname", last_name.clone()),
        ("e-mail start", local[..local.len().min(5)].to_owned()),
        (
            "name and e-mail",
            format!("{} {}", name.split_whitespace().next().unwrap_or(""), &local[..local.len().min(3)]),
        ),
    ];
    for (what, text) in searches {
        let filter = OrderFilter { search: Some(text.clone()), ..OrderFilter::default() };
        let (p50, p95, got) =
            time(|| async { orders_for(store, admin, &filter, &page).await.unwrap().items.len() }).await;
        println!(
            "  orders by {what:<16} {text:<22} p50 {p50:>7.2} ms  p95 {p95:>7.2} ms  = {:>6.1}× the key lookup  ({got} rows)",
            p95 / pk_order
        );
    }
    let (_, scan95, _) = time(|| like_scan(store, &last_name)).await;
    println!(
        "  the old substring scan for {last_name:?}: p95 {scan95:.2} ms = {:.1}× the key lookup",
        scan95 / pk_order
    );
    let pwords: Vec<&str> = pname.split_whitespace().collect();
    let product_searches = [
        ("a word start", pwords[0][..pwords[0].len().min(3)].to_owned()),
        ("two words", pwords.iter().take(2).copied().collect::<Vec<_>>().join(" ")),
        ("a SKU", sku.clone()),
        ("a common word", "mug".to_owned()),
    ];
    for (what, text) in product_searches {
        for sort in [ProductSort::Relevance, ProductSort::CreatedAt] {
            let filter = ProductFilter { search: Some(text.clone()), ..ProductFilter::default() };
            let req = PageRequest { sort, dir: SortDir::Desc, after: None, limit: 50 };
            let (p50, p95, got) =
                time(|| async { store.list_products(&filter, &req).await.unwrap().items.len() }).await;
            println!(
                "  products by {what:<14} {text:<20} {:<10} p50 {p50:>7.2} ms  p95 {p95:>7.2} ms  = {:>6.1}× the key lookup  ({got} rows)",
                format!("{sort:?}"),
                p95 / pk_product
            );
        }
    }
}

/// Live variants for a bin sheet: id, SKU and vendor name, at most `n`.
async fn sheet_rows(store: &Store, n: usize) -> Vec<(Uuid, String, String)> {
    let sql = format!(
        "SELECT v.id, v.sku, coalesce(pr.business_name, u.display_name) FROM product_variants v \
         JOIN products p ON p.id = v.product_id JOIN users u ON u.id = p.vendor_id \
         LEFT JOIN user_profiles pr ON pr.user_id = u.id AND pr.deleted_at IS NULL \
         WHERE v.deleted_at IS NULL ORDER BY v.id LIMIT {n}"
    );
    let rows: Vec<(Uuid, String, String)> = match (store.pg_pool(), store.sqlite_pool()) {
        (Some(p), _) => sqlx::query_as(&sql).fetch_all(p).await.unwrap(),
        (_, Some(p)) => sqlx::query_as(&sql).fetch_all(p).await.unwrap(),
        _ => unreachable!(),
    };
    rows.into_iter().filter(|(_, s, v)| !s.contains(',') && !v.contains(',')).collect()
}

/// The floor: the same bins written by primary key, a statement per row, in one transaction.
async fn bins_by_key(store: &Store, rows: &[(Uuid, String, String)], bin: &str) {
    let sql = "UPDATE product_variants SET bin_location = $1, version = version + 1, updated_at = $2 WHERE id = $3";
    let now = Timestamp::now();
    macro_rules! write_all {
        ($pool:expr) => {{
            let mut tx = $pool.begin().await.unwrap();
            for (id, _, _) in rows {
                sqlx::query(sql).bind(bin).bind(now).bind(*id).execute(&mut *tx).await.unwrap();
            }
            tx.commit().await.unwrap();
        }};
    }
    match (store.pg_pool(), store.sqlite_pool()) {
        (Some(p), _) => write_all!(p),
        (_, Some(p)) => write_all!(p),
        _ => unreachable!(),
    }
}

/// The median of three runs of `run`, in ms.
async fn median3<F, Fut>(run: F) -> f64
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut times = Vec::new();
    for i in 0..3 {
        let t = Instant::now();
        run(i).await;
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    times[1]
}

/// A bin sheet of up to [`MAX_SHEET_LINES`] lines through the core, beside its floor and its old way.
async fn bin_sheet(store: &Store, engine: &str) {
    let rows = sheet_rows(store, MAX_SHEET_LINES).await;
    let sheet = |i: usize| rows.iter().map(|(_, s, v)| format!("{s},S-{i},{v}\n")).collect::<String>();
    let first = apply_bin_sheet(store, &sheet(9)).await.unwrap();
    if !first.problems.is_empty() {
        println!(
            "  {engine}: the bin sheet has {} lines the core refuses, e.g. {:?}",
            first.problems.len(),
            first.problems[0]
        );
        return;
    }
    let floor = median3(|i| bins_by_key(store, &rows, if i % 2 == 0 { "K-1" } else { "K-2" })).await;
    let now = median3(|i| {
        let text = sheet(i);
        async move {
            apply_bin_sheet(store, &text).await.unwrap();
        }
    })
    .await;
    let rows = &rows;
    let before = median3(|i| async move {
        for (_, sku, _) in rows {
            variants_by_sku(store, sku).await.unwrap();
        }
        bins_by_key(store, rows, if i % 2 == 0 { "L-1" } else { "L-2" }).await;
    })
    .await;
    println!(
        "  {engine}: bin sheet of {} lines {now:>8.0} ms = {:>5.2}× writing the same bins by key ({floor:.0} ms); \
         one SKU lookup per line, as before: {before:.0} ms = {:.2}×",
        rows.len(),
        now / floor,
        before / floor
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let orders = arg(&args, "--orders", 100_000);
    let products = arg(&args, "--products", 100_000);
    let name = format!("md_bench_catalog_{orders}");
    let url = marketdesk_test_support::databases::kept_database(&name).await;
    let pg = Store::open(&DatabaseUrl::parse(url.as_str()).unwrap(), &OpenOptions::default()).await.unwrap();
    let pg = seeded(pg, orders, products, "PostgreSQL").await;
    if let Some(p) = pg.pg_pool() {
        sqlx::query("ANALYZE").execute(p).await.unwrap();
    }
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-catalog");
    std::fs::create_dir_all(&dir).unwrap();
    let lite = Store::open(&DatabaseUrl::sqlite(dir.join(format!("orders-{orders}.sqlite"))), &OpenOptions::create())
        .await
        .unwrap();
    let lite = seeded(lite, orders, products, "SQLite").await;
    if let Some(p) = lite.sqlite_pool() {
        sqlx::query("ANALYZE").execute(p).await.unwrap();
    }
    println!(
        "catalog search: {orders} orders, {} products (PostgreSQL) / {} (SQLite), {RUNS} runs each",
        pg.count_rows("products").await.unwrap(),
        lite.count_rows("products").await.unwrap()
    );
    run(&pg, "PostgreSQL").await;
    run(&lite, "SQLite").await;
    println!("\nbin sheets (median of 3):");
    bin_sheet(&pg, "PostgreSQL").await;
    bin_sheet(&lite, "SQLite").await;
}
