//! Bulk changes over a whole filtered list, on both engines: a preview that
//! counts every matching product (not one page) and writes nothing; prices
//! moved by a percentage with their "was" prices, exactly, and a price set
//! on more products than one page of the list holds; an apply refused
//! when the list changed since the preview; a stock change that one variant
//! cannot take keeps every product as it was; steps that do not apply are
//! counted as already so; a vendor reaches only their own products.

use marketdesk_core::Store;
use marketdesk_core::catalog::bulk_edit::{BulkChange, bulk_edit, moved_by};
use marketdesk_core::catalog::import_products::import_products;
use marketdesk_core::catalog::import_report::{ImportAction, ImportMode};
use marketdesk_core::catalog::steps::ProductStep;
use marketdesk_core::domain::stock::StockMovementKind;
use marketdesk_core::domain::{ProductStatus, Role};
use marketdesk_core::orders::view::Reader;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::StoreError;
use marketdesk_core::store::products::ProductFilter;
use marketdesk_test_support::{fetch_all, fetch_all_for, on_both_engines};
use uuid::Uuid;

on_both_engines!(
    a_price_change_reaches_every_matching_product_once_confirmed,
    a_change_one_product_cannot_take_writes_nothing,
);

async fn seeded(store: &Store) -> (Reader, Reader, Reader) {
    let mut o = SeedOptions::new(60);
    o.seed = 5;
    seed(store, &o, |_| {}).await.expect("seed");
    let rows: Vec<(Uuid, Role)> = fetch_all!(
        store,
        "SELECT id, role FROM users WHERE role IN ('admin', 'vendor', 'logistics') ORDER BY created_at, id"
    );
    let first = |role: Role| Reader { id: rows.iter().find(|r| r.1 == role).unwrap().0, role };
    (first(Role::Admin), first(Role::Vendor), first(Role::Logistics))
}

async fn prices(store: &Store, vendor: Uuid) -> Vec<(Uuid, i64, i64)> {
    fetch_all_for!(
        store,
        "SELECT v.id, v.price_minor, coalesce(v.compare_at_price_minor, -1) FROM product_variants v \
         JOIN products p ON p.id = v.product_id WHERE p.vendor_id = $1 AND v.deleted_at IS NULL \
         AND p.deleted_at IS NULL ORDER BY v.id",
        vendor
    )
}

async fn a_price_change_reaches_every_matching_product_once_confirmed(store: &Store) {
    let (admin, vendor, logistics) = seeded(store).await;
    let mine: Vec<(i64,)> =
        fetch_all_for!(store, "SELECT count(*) FROM products WHERE vendor_id = $1 AND deleted_at IS NULL", vendor.id);
    let n = mine[0].0 as u64;
    let before = prices(store, vendor.id).await;
    let ten_up = BulkChange::PricePercent { bps: 1000 };
    let all = ProductFilter::default();

    let preview = bulk_edit(store, vendor, &all, &ten_up, ImportMode::DryRun, None).await.unwrap();
    assert_eq!((preview.matched, preview.changed + preview.unchanged, preview.refused), (n, n, 0));
    assert_eq!(preview.variants as usize, before.iter().filter(|(_, p, _)| moved_by(*p, 1000) != *p).count());
    assert!(!preview.applied);
    assert_eq!(prices(store, vendor.id).await, before, "a preview writes nothing");

    let wrong = bulk_edit(store, vendor, &all, &ten_up, ImportMode::Apply, Some(n + 1)).await;
    assert!(
        matches!(&wrong, Err(StoreError::Validation(m)) if m.contains("the list changed since the preview")),
        "{wrong:?}"
    );
    let done = bulk_edit(store, vendor, &all, &ten_up, ImportMode::Apply, Some(n)).await.unwrap();
    assert!(done.applied);
    let after = prices(store, vendor.id).await;
    let want: Vec<(Uuid, i64, i64)> = before
        .iter()
        .map(|(id, p, c)| (*id, moved_by(*p, 1000), if *c < 0 { *c } else { moved_by(*c, 1000) }))
        .collect();
    assert_eq!(after, want, "every variant of every product, not one page");
    let others: Vec<(i64,)> = fetch_all_for!(
        store,
        "SELECT count(*) FROM audit_log WHERE action = 'products.edit' AND actor_id = $1",
        vendor.id
    );
    assert_eq!(others[0].0 as u64, done.changed, "each product's edit is in the audit trail");

    // Steps that do not apply are already so; archiving the archived changes nothing.
    let archived = ProductFilter { status: Some(ProductStatus::Archived), ..ProductFilter::default() };
    let again = BulkChange::Step { step: ProductStep::Archive };
    let r = bulk_edit(store, admin, &archived, &again, ImportMode::DryRun, None).await.unwrap();
    assert_eq!((r.changed, r.unchanged), (0, r.matched));

    // More products than one page of the list holds: a set price reaches all of them.
    let category = store.category_choices().await.unwrap()[0].path.trim_matches('/').to_owned();
    let mut file = String::from("handle,name,category,currency,sku,price,stock\n");
    for i in 0..520 {
        file.push_str(&format!("quartz-crate-{i},Quartz crate {i},{category},EUR,QC-{i},10.00,1\n"));
    }
    let made = import_products(store, vendor, "crates.csv", file.as_bytes(), ImportMode::Apply).await.unwrap();
    assert_eq!((made.created, made.applied), (520, true));
    let crates = ProductFilter { search: Some("quartz".into()), ..ProductFilter::default() };
    let set = BulkChange::PriceSet { price: "12,50".into() };
    let preview = bulk_edit(store, vendor, &crates, &set, ImportMode::DryRun, None).await.unwrap();
    assert_eq!((preview.matched, preview.changed, preview.variants), (520, 520, 520));
    bulk_edit(store, vendor, &crates, &set, ImportMode::Apply, Some(520)).await.unwrap();
    let priced: Vec<(i64, i64)> = fetch_all!(
        store,
        "SELECT CAST(count(*) AS BIGINT), CAST(min(price_minor) AS BIGINT) FROM product_variants WHERE sku LIKE 'QC-%' AND price_minor = 1250"
    );
    assert_eq!(priced[0], (520, 1250));

    // Logistics moves stock but not prices.
    let refused = bulk_edit(store, logistics, &all, &ten_up, ImportMode::DryRun, None).await;
    assert!(matches!(refused, Err(StoreError::AccessDenied(_))), "{refused:?}");
}

async fn a_change_one_product_cannot_take_writes_nothing(store: &Store) {
    let (_, vendor, logistics) = seeded(store).await;
    let stock = || async {
        let rows: Vec<(i64,)> = fetch_all_for!(
            store,
            "SELECT CAST(coalesce(sum(v.stock_on_hand), 0) AS BIGINT) FROM product_variants v \
             JOIN products p ON p.id = v.product_id WHERE p.vendor_id = $1",
            vendor.id
        );
        rows[0].0
    };
    let held = stock().await;
    let mine = ProductFilter { vendor_id: Some(vendor.id), ..ProductFilter::default() };
    // Taking one unit more than the emptiest variant holds from every variant cannot pass.
    let least: Vec<(i64,)> = fetch_all_for!(
        store,
        "SELECT CAST(min(v.stock_on_hand - v.stock_reserved) AS BIGINT) FROM product_variants v \
         JOIN products p ON p.id = v.product_id WHERE p.vendor_id = $1 AND v.deleted_at IS NULL AND p.deleted_at IS NULL",
        vendor.id
    );
    let delta = -(least[0].0 as i32 + 1);
    let damaged = BulkChange::Stock { reason: StockMovementKind::Damaged, delta, note: Some("flood".into()) };
    let r = bulk_edit(store, logistics, &mine, &damaged, ImportMode::DryRun, None).await.unwrap();
    assert!(r.refused > 0, "a sold-out variant refuses: {r:?}");
    assert_eq!(r.outcomes[0].action, ImportAction::Refused, "refused products are listed first");
    assert!(r.outcomes[0].detail.contains("not enough stock"), "{}", r.outcomes[0].detail);
    let applied = bulk_edit(store, logistics, &mine, &damaged, ImportMode::Apply, Some(r.matched)).await.unwrap();
    assert!(!applied.applied);
    assert_eq!(stock().await, held, "one refusal and no product changes");

    let received = BulkChange::Stock { reason: StockMovementKind::Received, delta: 2, note: None };
    let r = bulk_edit(store, logistics, &mine, &received, ImportMode::Apply, Some(r.matched)).await.unwrap();
    assert!(r.applied);
    assert_eq!(stock().await, held + 2 * r.variants as i64);
}
