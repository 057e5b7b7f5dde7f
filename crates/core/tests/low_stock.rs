//! The products list's low-stock filter on both engines: it lists exactly the
//! products with a live variant whose available units (on hand less reserved)
//! are at or below its threshold, as computed here from the raw rows.

use marketdesk_test_support::{fetch_all, on_both_engines};

use marketdesk_core::Store;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::products::{ProductFilter, ProductSort};
use marketdesk_core::store::{PageRequest, SortDir};
use std::collections::BTreeSet;
use uuid::Uuid;

on_both_engines!(the_filter_lists_exactly_what_runs_low);

async fn the_filter_lists_exactly_what_runs_low(store: &Store) {
    let mut o = SeedOptions::new(40);
    o.seed = 3;
    seed(store, &o, |_| {}).await.expect("seed");
    // Thresholds that split the catalog: 40 units on every other variant.
    let everyone: Vec<(Uuid,)> = fetch_all!(store, "SELECT id FROM product_variants ORDER BY sku");
    for (i, (v,)) in everyone.iter().enumerate() {
        let sql = "UPDATE product_variants SET low_stock_threshold = $1 WHERE id = $2";
        let threshold = if i % 2 == 0 { 40 } else { 0 };
        match (store.pg_pool(), store.sqlite_pool()) {
            (Some(p), _) => sqlx::query(sql).bind(threshold).bind(v).execute(p).await.map(|_| ()).unwrap(),
            (_, Some(p)) => sqlx::query(sql).bind(threshold).bind(v).execute(p).await.map(|_| ()).unwrap(),
            _ => unreachable!(),
        }
    }

    let rows: Vec<(Uuid, i32, i32, i32, bool)> = fetch_all!(
        store,
        "SELECT v.product_id, v.stock_on_hand, v.stock_reserved, v.low_stock_threshold, v.is_active \
         FROM product_variants v JOIN products p ON p.id = v.product_id \
         WHERE v.deleted_at IS NULL AND p.deleted_at IS NULL"
    );
    let expected: BTreeSet<Uuid> = rows
        .iter()
        .filter(|(_, on_hand, reserved, threshold, active)| *active && on_hand - reserved <= *threshold)
        .map(|r| r.0)
        .collect();
    let all: BTreeSet<Uuid> = rows.iter().map(|r| r.0).collect();
    assert!(!expected.is_empty() && expected.len() < all.len(), "{} of {} run low", expected.len(), all.len());

    let mut listed = BTreeSet::new();
    let filter = ProductFilter { low_stock: true, ..ProductFilter::default() };
    let mut page = PageRequest { sort: ProductSort::Name, dir: SortDir::Asc, after: None, limit: 7 };
    loop {
        let got = store.list_products(&filter, &page).await.unwrap();
        for p in &got.items {
            assert!(listed.insert(p.id), "{} listed twice", p.name);
        }
        match got.next_cursor {
            Some(c) => page.after = Some(c),
            None => break,
        }
    }
    assert_eq!(listed, expected);

    // The variants say where each stands.
    let product = *expected.iter().next().unwrap();
    let variants = store.variants(product).await.unwrap();
    assert!(variants.iter().any(|v| v.low_on_stock));
    for v in &variants {
        assert_eq!(v.low_on_stock, v.stock_on_hand - v.stock_reserved <= v.low_stock_threshold, "{}", v.sku);
    }
}
