//! Stock as a movement log, on both engines: every variant's stock on hand and
//! held is the sum of its movements — after seeding, after hand-recorded
//! changes, a sale, a cancellation and a new product — each movement carries
//! what it left; a change against its kind's direction or below zero writes
//! nothing; a variant's history pages newest first and filters by kind.

use marketdesk_test_support::{fetch_all, fetch_all_for, on_both_engines};

use marketdesk_core::Store;
use marketdesk_core::catalog::stock::{StockChange, StockHistorySort, change_stock_in, stock_history};
use marketdesk_core::domain::stock::StockMovementKind as K;
use marketdesk_core::domain::{Currency, Role};
use marketdesk_core::orders::cancel::{CancelOrder, CancelReason, cancel_order};
use marketdesk_core::orders::view::Reader;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::orders::NewOrder;
use marketdesk_core::store::products::{NewProduct, NewVariant};
use marketdesk_core::store::{PageRequest, SortDir, StoreError};
use uuid::Uuid;

/// Variants whose totals differ from the sum of their movements.
async fn drift(store: &Store) -> Vec<(String, i64, i64, i64, i64)> {
    fetch_all!(
        store,
        "SELECT v.sku, CAST(v.stock_on_hand AS BIGINT), CAST(coalesce(sum(m.on_hand_delta), 0) AS BIGINT), \
         CAST(v.stock_reserved AS BIGINT), CAST(coalesce(sum(m.reserved_delta), 0) AS BIGINT) \
         FROM product_variants v LEFT JOIN stock_movements m ON m.variant_id = v.id \
         GROUP BY v.id, v.sku, v.stock_on_hand, v.stock_reserved \
         HAVING v.stock_on_hand <> coalesce(sum(m.on_hand_delta), 0) OR v.stock_reserved <> coalesce(sum(m.reserved_delta), 0)"
    )
}

async fn change(store: &Store, actor: Uuid, variant: Uuid, kind: K, delta: i32) -> Result<i32, StoreError> {
    let mut tx = store.begin_write_tx().await?;
    let c = StockChange { movement: Uuid::now_v7(), variant, kind, delta, note: Some(format!("{kind} by test")) };
    let left = change_stock_in(&mut tx, actor, &c).await?;
    tx.commit().await?;
    Ok(left)
}

async fn on_hand(store: &Store, variant: Uuid) -> (i32, i64) {
    let rows: Vec<(i32, i64)> = fetch_all_for!(
        store,
        "SELECT stock_on_hand, (SELECT count(*) FROM stock_movements WHERE variant_id = v.id) FROM product_variants v WHERE id = $1",
        variant
    );
    rows[0]
}

on_both_engines!(the_log_adds_up_to_the_stock);

async fn the_log_adds_up_to_the_stock(store: &Store) {
    let mut o = SeedOptions::new(30);
    o.seed = 11;
    seed(store, &o, |_| {}).await.expect("seed");
    assert_eq!(drift(store).await, vec![], "the seed's opening movements add up");

    let ids: Vec<(Uuid, Role)> =
        fetch_all!(store, "SELECT id, role FROM users WHERE role IN ('admin', 'customer') ORDER BY role, id");
    let admin = ids.iter().find(|(_, r)| *r == Role::Admin).unwrap().0;
    let customer = ids.iter().find(|(_, r)| *r == Role::Customer).unwrap().0;
    let stocked: Vec<(Uuid, Uuid, i32)> = fetch_all!(
        store,
        "SELECT v.id, p.vendor_id, v.stock_on_hand FROM product_variants v JOIN products p ON p.id = v.product_id \
         WHERE v.currency = 'USD' AND v.stock_on_hand >= 20 AND v.stock_reserved = 0 AND v.deleted_at IS NULL \
         AND p.deleted_at IS NULL ORDER BY v.id LIMIT 1"
    );
    let (variant, vendor, start) = stocked[0];

    // By hand: each kind its own way.
    assert_eq!(change(store, admin, variant, K::Received, 10).await.unwrap(), start + 10);
    assert_eq!(change(store, admin, variant, K::Damaged, -2).await.unwrap(), start + 8);
    assert_eq!(change(store, admin, variant, K::Counted, -1).await.unwrap(), start + 7);
    let before = on_hand(store, variant).await;
    for (kind, delta, says) in [
        (K::Received, -1, "only adds units"),
        (K::Lost, 3, "only takes units away"),
        (K::Sold, -1, "not by hand"),
        (K::Correction, 0, "non-zero"),
        (K::Damaged, -(start + 8), "not enough stock"),
    ] {
        let e = change(store, admin, variant, kind, delta).await.unwrap_err();
        assert!(e.to_string().contains(says), "{kind} {delta}: “{e}” should say “{says}”");
        assert_eq!(on_hand(store, variant).await, before, "{kind} {delta} wrote nothing");
    }

    // A sale takes units off the shelf; cancelling it puts them back.
    let order = store
        .place_order(&NewOrder {
            customer_id: customer,
            currency: Currency::USD,
            lines: vec![(variant, 3)],
            shipping_minor: 0,
            commission_bps: 1000,
        })
        .await
        .unwrap();
    assert_eq!(on_hand(store, variant).await.0, start + 4);
    let too_many = store
        .place_order(&NewOrder {
            customer_id: customer,
            currency: Currency::USD,
            lines: vec![(variant, start + 5)],
            shipping_minor: 0,
            commission_bps: 1000,
        })
        .await
        .unwrap_err();
    assert!(too_many.to_string().contains("not enough stock"), "{too_many}");
    let reader = Reader { id: admin, role: Role::Admin };
    let req = CancelOrder {
        order_id: order.order.id,
        version: order.order.version,
        vendor_id: None,
        reason: CancelReason::CustomerRequest,
        note: "changed their mind".into(),
    };
    cancel_order(store, reader, &req).await.unwrap();
    assert_eq!(on_hand(store, variant).await.0, start + 7);

    // The history: newest first, each with what it left and why.
    let page = PageRequest { sort: StockHistorySort::CreatedAt, dir: SortDir::Desc, after: None, limit: 4 };
    let got = stock_history(store, reader, variant, None, &page).await.unwrap();
    let seen: Vec<(K, i32, Option<i32>)> =
        got.items.iter().map(|m| (m.kind, m.on_hand_delta, m.on_hand_after)).collect();
    assert_eq!(
        seen,
        vec![
            (K::Cancelled, 3, Some(start + 7)),
            (K::Sold, -3, Some(start + 4)),
            (K::Counted, -1, Some(start + 7)),
            (K::Damaged, -2, Some(start + 8)),
        ]
    );
    assert_eq!(got.items[0].order_number.as_deref(), Some(order.order.number.as_str()));
    assert_eq!(got.items[2].note.as_deref(), Some("Counted by test"));
    assert!(got.items[2].actor_name.is_some(), "who counted is named");
    let rest = stock_history(store, reader, variant, None, &PageRequest { after: got.next_cursor, ..page.clone() })
        .await
        .unwrap();
    let kinds: Vec<K> = rest.items.iter().map(|m| m.kind).collect();
    assert_eq!(kinds, vec![K::Received, K::Opening]);
    let only = stock_history(store, reader, variant, Some(K::Damaged), &page).await.unwrap();
    assert_eq!(only.items.len(), 1);

    // Another vendor never reads it; its own vendor does.
    let other: Vec<(Uuid,)> =
        fetch_all_for!(store, "SELECT id FROM users WHERE role = 'vendor' AND id <> $1 ORDER BY id LIMIT 1", vendor);
    let stranger = Reader { id: other[0].0, role: Role::Vendor };
    assert!(stock_history(store, stranger, variant, None, &page).await.is_err());
    let own = Reader { id: vendor, role: Role::Vendor };
    assert_eq!(stock_history(store, own, variant, None, &page).await.unwrap().items.len(), 4);

    // A new product's stock arrives as its opening movement.
    let category: Vec<(Uuid,)> = fetch_all!(store, "SELECT id FROM categories ORDER BY id LIMIT 1");
    let made = store
        .create_product(&NewProduct {
            vendor_id: vendor,
            category_id: category[0].0,
            name: "Logged lamp".into(),
            description: String::new(),
            base_price_minor: 1000,
            currency: Currency::USD,
            variants: vec![NewVariant {
                sku: "LOG-LAMP".into(),
                name: "Default".into(),
                price_minor: 1000,
                stock_on_hand: 12,
            }],
        })
        .await
        .unwrap();
    let opening: Vec<(String, i32, Option<i32>)> = fetch_all_for!(
        store,
        "SELECT m.kind, m.on_hand_delta, m.on_hand_after FROM stock_movements m JOIN product_variants v ON v.id = m.variant_id \
         WHERE v.product_id = $1",
        made.id
    );
    assert_eq!(opening, vec![("opening".to_owned(), 12, Some(12))]);
    assert_eq!(drift(store).await, vec![], "every total is still its movements' sum");
}
