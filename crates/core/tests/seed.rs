//! The demo seeder: deterministic, identical on both engines, consistent (keys,
//! balanced ledger, sane totals), and never duplicating.

use marketdesk_test_support::databases as support;
use marketdesk_test_support::on_both_engines;

use marketdesk_core::Store;
use marketdesk_core::domain::Timestamp;
use marketdesk_core::seed::{SeedError, SeedOptions, seed};

fn options(orders: u64) -> SeedOptions {
    let mut o = SeedOptions::new(orders);
    o.end = Timestamp::parse("2026-03-15T00:00:00Z").unwrap();
    o.seed = 7;
    o
}

/// Rows that must come out the same, as text, so engines can be compared.
async fn fingerprint(store: &Store) -> Vec<String> {
    let queries = [
        "SELECT number || '|' || status || '|' || currency || '|' || total_minor || '|' || tax_minor FROM orders ORDER BY number",
        "SELECT sku || '|' || quantity || '|' || subtotal_minor || '|' || commission_minor || '|' || status FROM order_items ORDER BY id",
        "SELECT code || '|' || count(*) FROM ledger_transactions GROUP BY code ORDER BY code",
        "SELECT status || '|' || amount_minor FROM payouts ORDER BY id",
        "SELECT tracking_number || '|' || status FROM shipments ORDER BY id",
        "SELECT email || '|' || role FROM users ORDER BY id",
    ];
    let mut out = Vec::new();
    for q in queries {
        let rows: Vec<String> = if let Some(p) = store.pg_pool() {
            sqlx::query_scalar(q).fetch_all(p).await.unwrap()
        } else {
            sqlx::query_scalar(q).fetch_all(store.sqlite_pool().unwrap()).await.unwrap()
        };
        out.push(rows.join("\n"));
    }
    out
}

async fn scalar(store: &Store, q: &str) -> i64 {
    if let Some(p) = store.pg_pool() {
        sqlx::query_scalar(q).fetch_one(p).await.unwrap()
    } else {
        sqlx::query_scalar(q).fetch_one(store.sqlite_pool().unwrap()).await.unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_engines_get_the_same_consistent_marketplace() {
    let pg = support::pg().await;
    let lite = support::sqlite().await;
    let opts = options(1500);
    let a = seed(&pg.store, &opts, |_| {}).await.unwrap();
    let b = seed(&lite.store, &opts, |_| {}).await.unwrap();
    assert_eq!(a, b, "same rows written per table");
    assert_eq!(a.rows_of("orders"), 1500);
    assert_eq!(fingerprint(&pg.store).await, fingerprint(&lite.store).await);

    for store in [&pg.store, &lite.store] {
        // Every ledger transaction balances, and there is one capture per paid order.
        let unbalanced = scalar(store, "SELECT count(*) FROM (SELECT transaction_id FROM ledger_entries GROUP BY transaction_id, currency HAVING sum(amount_minor) <> 0) t").await;
        assert_eq!(unbalanced, 0);
        let captures = scalar(store, "SELECT count(*) FROM ledger_transactions WHERE code = 'payment_captured'").await;
        let captured = scalar(store, "SELECT count(*) FROM payments WHERE status = 'succeeded'").await;
        assert_eq!(captures, captured);
        // Order totals equal their items plus shipping and tax.
        let off = scalar(store, "SELECT count(*) FROM orders o WHERE o.subtotal_minor <> (SELECT sum(i.subtotal_minor) FROM order_items i WHERE i.order_id = o.id)").await;
        assert_eq!(off, 0);
        let tax_off = scalar(store, "SELECT count(*) FROM orders o WHERE o.tax_minor <> (SELECT sum(i.tax_minor) FROM order_items i WHERE i.order_id = o.id)").await;
        assert_eq!(tax_off, 0);
        // Several vendors per order happen; every status of the mix is present.
        let multi = scalar(store, "SELECT count(*) FROM (SELECT order_id FROM order_items GROUP BY order_id HAVING count(DISTINCT vendor_id) > 1) t").await;
        assert!(multi > 100, "{multi} multi-vendor orders");
        for status in ["paid", "shipped", "delivered", "cancelled", "refunded", "partially_refunded", "disputed"] {
            let n = scalar(store, &format!("SELECT count(*) FROM orders WHERE status = '{status}'")).await;
            assert!(n > 0, "no {status} orders");
        }
        // A vendor's payable never ends up owing more than was paid out (balance ≤ 0 means owed).
        let refunds = scalar(store, "SELECT count(*) FROM refunds").await;
        assert_eq!(
            refunds,
            scalar(store, "SELECT count(*) FROM orders WHERE status IN ('refunded', 'partially_refunded')").await
        );
        let demo = scalar(
            store,
            "SELECT count(*) FROM users WHERE email LIKE '%@marketdesk.demo' AND password_hash IS NOT NULL",
        )
        .await;
        assert_eq!(demo, 4, "one demo sign-in per role");
    }
    // SQLite enforces every foreign key while loading; PostgreSQL holds the same rows (fingerprints above).
    let broken: Vec<(String, i64)> = sqlx::query_as("SELECT \"table\", rowid FROM pragma_foreign_key_check")
        .fetch_all(lite.store.sqlite_pool().unwrap())
        .await
        .unwrap();
    assert!(broken.is_empty(), "{broken:?}");
    let dangling = scalar(
        &pg.store,
        "SELECT count(*) FROM order_items i LEFT JOIN orders o ON o.id = i.order_id WHERE o.id IS NULL",
    )
    .await;
    assert_eq!(dangling, 0);
    pg.finish().await;
    lite.finish().await;
}

async fn order_ids(store: &Store) -> Vec<uuid::Uuid> {
    let q = "SELECT id FROM orders ORDER BY id";
    match store.pg_pool() {
        Some(p) => sqlx::query_scalar(q).fetch_all(p).await.unwrap(),
        None => sqlx::query_scalar(q).fetch_all(store.sqlite_pool().unwrap()).await.unwrap(),
    }
}

async fn refuses_then_resets_identically(store: &Store) {
    let opts = options(300);
    let first = seed(store, &opts, |_| {}).await.unwrap();
    let before = fingerprint(store).await;
    let ids = order_ids(store).await;

    let err = seed(store, &opts, |_| {}).await.unwrap_err();
    assert!(matches!(err, SeedError::NotEmpty { orders: 300, .. }), "{err}");
    assert_eq!(store.count_rows("orders").await.unwrap(), 300, "refusal wrote nothing");

    let mut again = opts.clone();
    again.reset = true;
    let second = seed(store, &again, |_| {}).await.unwrap();
    assert_eq!(first, second);
    assert_eq!(fingerprint(store).await, before, "same seed, same data");
    let ids_again = order_ids(store).await;
    assert_eq!(ids, ids_again, "ids are deterministic too");

    let mut other = again.clone();
    other.seed = 8;
    seed(store, &other, |_| {}).await.unwrap();
    assert_ne!(fingerprint(store).await, before, "another seed gives other data");
    assert_eq!(store.count_rows("orders").await.unwrap(), 300, "reset replaced, never duplicated");

    assert!(matches!(seed(store, &options(0), |_| {}).await, Err(SeedError::Invalid(_))));
}

on_both_engines!(refuses_then_resets_identically);
