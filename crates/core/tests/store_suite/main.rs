//! The store's shared test suite: every case runs against real PostgreSQL and a
//! real SQLite file, and must behave the same on both.

mod hostile_input;
use hostile_input::hostile_input_is_inert;
use marketdesk_core::disputes::thread::post_message;

use marketdesk_test_support::on_both_engines;

use marketdesk_core::domain::order_lifecycle::Mover;
use marketdesk_core::domain::{Currency, OrderStatus, ProductStatus, Role, Timestamp, UserStatus};
use marketdesk_core::store::order_lens::OrderLens;
use marketdesk_core::store::orders::{NewOrder, OrderFilter, OrderSort};
use marketdesk_core::store::products::{NewProduct, NewVariant, ProductFilter, ProductSort};
use marketdesk_core::store::users::{NewUser, UserFilter, UserSort, verify_password};
use marketdesk_core::store::{PageRequest, SortDir, Store, StoreError};
use uuid::Uuid;

on_both_engines!(
    users_are_validated_unique_and_versioned,
    products_are_created_whole_or_not_at_all,
    product_review_follows_the_approval_flow,
    orders_take_stock_atomically,
    order_status_follows_the_lifecycle,
    pages_walk_every_row_once_in_order,
    filters_and_search_narrow_lists,
    hostile_input_is_inert,
    schema_version_guard,
    audit_trail_filters_and_pages,
);

fn page<S>(sort: S, dir: SortDir, limit: u32) -> PageRequest<S> {
    PageRequest { sort, dir, after: None, limit }
}

async fn user(store: &Store, name: &str, role: Role) -> Uuid {
    store
        .create_user(&NewUser {
            email: format!("{name}@example.test"),
            username: name.to_owned(),
            display_name: format!("{name} display"),
            role,
            status: UserStatus::Active,
            password: None,
        })
        .await
        .expect("create user")
        .id
}

async fn category(store: &Store) -> Uuid {
    let id = Uuid::now_v7();
    let now = Timestamp::now();
    let p = marketdesk_core::store::bulk::Cell::Time(now);
    let mut b = marketdesk_core::store::bulk::Batch::new(
        "categories",
        &["id", "name", "slug", "path", "sort_order", "is_active", "version", "created_at", "updated_at"],
    );
    b.push(vec![
        id.into(),
        "Tools".into(),
        "tools".into(),
        "/tools/".into(),
        0_i64.into(),
        true.into(),
        1_i64.into(),
        p.clone(),
        p,
    ]);
    let mut w = marketdesk_core::store::bulk::BulkWriter::begin(store, false).await.unwrap();
    w.write(&b).await.unwrap();
    w.commit().await.unwrap();
    id
}

fn product(vendor: Uuid, category: Uuid, name: &str, skus: &[(&str, i64, i32)]) -> NewProduct {
    NewProduct {
        vendor_id: vendor,
        category_id: category,
        name: name.to_owned(),
        description: format!("{name} description"),
        base_price_minor: skus.first().map_or(0, |s| s.1),
        currency: Currency::USD,
        variants: skus
            .iter()
            .map(|(sku, price, stock)| NewVariant {
                sku: (*sku).to_owned(),
                name: format!("{sku} variant"),
                price_minor: *price,
                stock_on_hand: *stock,
            })
            .collect(),
    }
}

async fn users_are_validated_unique_and_versioned(store: &Store) {
    let new = NewUser {
        email: "  Ada.Lovelace@Example.TEST ".into(),
        username: "ada".into(),
        display_name: "Ada Lovelace".into(),
        role: Role::Finance,
        status: UserStatus::Active,
        password: Some("correct horse battery".into()),
    };
    let ada = store.create_user(&new).await.unwrap();
    assert_eq!(ada.email, "ada.lovelace@example.test");
    assert_eq!((ada.role, ada.status, ada.version), (Role::Finance, UserStatus::Active, 1));
    assert_eq!(store.user(ada.id).await.unwrap(), ada);

    let (found, hash) = store.user_for_login("ADA").await.unwrap().expect("by username");
    assert_eq!(found.id, ada.id);
    let hash = hash.expect("password hash stored");
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(verify_password("correct horse battery", &hash));
    assert!(!verify_password("wrong", &hash));
    assert_eq!(store.user_for_login("ada.lovelace@example.test").await.unwrap().map(|u| u.0.id), Some(ada.id));

    let dup = store.create_user(&NewUser { username: "ada2".into(), ..new.clone() }).await.unwrap_err();
    assert!(matches!(dup, StoreError::Duplicate { entity: "user", .. }), "{dup:?}");
    for bad in [
        NewUser { email: "no-at-sign".into(), username: "x1x".into(), ..new.clone() },
        NewUser { email: "b@x.test".into(), username: "a b".into(), ..new.clone() },
        NewUser { email: "b@x.test".into(), username: "bob".into(), password: Some("short".into()), ..new.clone() },
    ] {
        assert!(matches!(store.create_user(&bad).await, Err(StoreError::Validation(_))), "{bad:?}");
    }

    let v2 = store.set_user_status(ada.id, 1, UserStatus::Suspended).await.unwrap();
    assert_eq!(v2, 2);
    let stale = store.set_user_status(ada.id, 1, UserStatus::Active).await.unwrap_err();
    assert!(matches!(stale, StoreError::VersionConflict { expected: 1, actual: 2, .. }), "{stale:?}");
    assert_eq!(store.user(ada.id).await.unwrap().status, UserStatus::Suspended);
    let missing = store.set_user_status(Uuid::now_v7(), 1, UserStatus::Active).await.unwrap_err();
    assert!(matches!(missing, StoreError::NotFound { entity: "user", .. }));
}

async fn products_are_created_whole_or_not_at_all(store: &Store) {
    let vendor = user(store, "vendor1", Role::Vendor).await;
    let cat = category(store).await;
    let p = store
        .create_product(&product(vendor, cat, "Hammer", &[("HAM-1", 1299, 10), ("HAM-2", 1599, 5)]))
        .await
        .unwrap();
    assert_eq!(
        (p.status, p.variant_count, p.stock_on_hand, p.slug.as_str()),
        (ProductStatus::PendingReview, 2, 15, "hammer")
    );
    let variants = store.variants(p.id).await.unwrap();
    assert_eq!(variants.iter().map(|v| v.sku.as_str()).collect::<Vec<_>>(), ["HAM-1", "HAM-2"]);

    // The second variant's SKU clashes: neither the product nor its first variant may remain.
    let before = store.count_rows("products").await.unwrap();
    let err =
        store.create_product(&product(vendor, cat, "Saw", &[("SAW-1", 999, 1), ("HAM-2", 999, 1)])).await.unwrap_err();
    assert!(matches!(err, StoreError::Duplicate { entity: "product variant", .. }), "{err:?}");
    assert_eq!(store.count_rows("products").await.unwrap(), before);
    assert_eq!(store.count_rows("product_variants").await.unwrap(), 2);
    // SKUs are the vendor's own: another vendor may use the same one.
    let other = user(store, "vendor2", Role::Vendor).await;
    let theirs = store.create_product(&product(other, cat, "Hammer", &[("HAM-1", 1399, 3)])).await;
    assert!(theirs.is_ok(), "another vendor's HAM-1: {theirs:?}");
    assert_eq!(store.count_rows("product_variants").await.unwrap(), 3);

    let err = store.create_product(&product(vendor, Uuid::now_v7(), "Orphan", &[("ORP-1", 1, 1)])).await.unwrap_err();
    assert!(matches!(err, StoreError::Reference { entity: "product", .. }), "{err:?}");
    assert!(matches!(
        store.create_product(&product(vendor, cat, "Nothing", &[])).await,
        Err(StoreError::Validation(_))
    ));
    assert!(matches!(
        store.create_product(&product(vendor, cat, "Neg", &[("NEG", -1, 1)])).await,
        Err(StoreError::Validation(_))
    ));

    assert_eq!(store.adjust_stock(variants[0].id, -4).await.unwrap(), 6);
    let err = store.adjust_stock(variants[0].id, -7).await.unwrap_err();
    assert!(matches!(err, StoreError::Validation(_)), "{err:?}");
    assert_eq!(store.variants(p.id).await.unwrap()[0].stock_on_hand, 6);
}

async fn product_review_follows_the_approval_flow(store: &Store) {
    let vendor = user(store, "vendor1", Role::Vendor).await;
    let admin = user(store, "admin1", Role::Admin).await;
    let cat = category(store).await;
    let a = store.create_product(&product(vendor, cat, "Lamp", &[("L-1", 2000, 3)])).await.unwrap();
    let b = store.create_product(&product(vendor, cat, "Rug", &[("R-1", 5000, 3)])).await.unwrap();

    let queue = store
        .list_products(
            &ProductFilter { status: Some(ProductStatus::PendingReview), ..Default::default() },
            &page(ProductSort::Name, SortDir::Asc, 10),
        )
        .await
        .unwrap();
    assert_eq!(queue.items.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["Lamp", "Rug"]);

    assert!(matches!(store.review_product(b.id, 1, false, admin, Some("  ")).await, Err(StoreError::Validation(_))));
    assert_eq!(store.review_product(a.id, 1, true, admin, None).await.unwrap(), 2);
    assert_eq!(store.review_product(b.id, 1, false, admin, Some("Blurry photos")).await.unwrap(), 2);
    assert_eq!(store.product(a.id).await.unwrap().status, ProductStatus::Approved);
    assert_eq!(store.product(b.id).await.unwrap().status, ProductStatus::Rejected);
    // Already reviewed: a second decision is refused, not silently applied.
    assert!(matches!(store.review_product(a.id, 2, false, admin, Some("x")).await, Err(StoreError::Validation(_))));
}

async fn orders_take_stock_atomically(store: &Store) {
    let vendor_a = user(store, "vendora", Role::Vendor).await;
    let vendor_b = user(store, "vendorb", Role::Vendor).await;
    let buyer = user(store, "buyer", Role::Customer).await;
    let cat = category(store).await;
    let pa = store.create_product(&product(vendor_a, cat, "Mug", &[("MUG", 1250, 5)])).await.unwrap();
    let pb = store.create_product(&product(vendor_b, cat, "Tea", &[("TEA", 799, 2)])).await.unwrap();
    let mug = store.variants(pa.id).await.unwrap()[0].id;
    let tea = store.variants(pb.id).await.unwrap()[0].id;

    let order = store
        .place_order(&NewOrder {
            customer_id: buyer,
            currency: Currency::USD,
            lines: vec![(mug, 3), (tea, 1)],
            shipping_minor: 500,
            commission_bps: 1250,
        })
        .await
        .unwrap();
    assert_eq!(order.subtotal_minor, 3 * 1250 + 799);
    assert_eq!(order.order.total_minor, 3 * 1250 + 799 + 500);
    assert_eq!(order.order.status, OrderStatus::Paid);
    assert_eq!(order.items.len(), 2);
    let vendors: std::collections::HashSet<Uuid> = order.items.iter().map(|i| i.vendor_id).collect();
    assert_eq!(vendors.len(), 2, "one order, several vendors");
    // 12.5 % of 37.50 = 4.6875 → 4.69; of 7.99 = 0.99875 → 1.00 (half-even at minor units).
    assert_eq!(order.items.iter().map(|i| i.commission_minor).collect::<Vec<_>>(), [Some(469), Some(100)]);
    assert_eq!(store.variants(pa.id).await.unwrap()[0].stock_on_hand, 2);

    // Not enough tea: nothing is written and no stock moves, not even the mug's.
    let orders_before = store.count_rows("orders").await.unwrap();
    let items_before = store.count_rows("order_items").await.unwrap();
    let err = store
        .place_order(&NewOrder {
            customer_id: buyer,
            currency: Currency::USD,
            lines: vec![(mug, 1), (tea, 2)],
            shipping_minor: 0,
            commission_bps: 0,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Validation(ref m) if m.contains("TEA")), "{err:?}");
    assert_eq!(store.count_rows("orders").await.unwrap(), orders_before);
    assert_eq!(store.count_rows("order_items").await.unwrap(), items_before);
    assert_eq!(store.variants(pa.id).await.unwrap()[0].stock_on_hand, 2);
    assert_eq!(store.variants(pb.id).await.unwrap()[0].stock_on_hand, 1);

    let err = store
        .place_order(&NewOrder {
            customer_id: buyer,
            currency: Currency::EUR,
            lines: vec![(mug, 1)],
            shipping_minor: 0,
            commission_bps: 0,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Validation(_)), "{err:?}");
    let err = store
        .place_order(&NewOrder {
            customer_id: buyer,
            currency: Currency::USD,
            lines: vec![(Uuid::now_v7(), 1)],
            shipping_minor: 0,
            commission_bps: 0,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
    let err = store
        .place_order(&NewOrder {
            customer_id: Uuid::now_v7(),
            currency: Currency::USD,
            lines: vec![(mug, 1)],
            shipping_minor: 0,
            commission_bps: 0,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound { entity: "customer", .. }), "{err:?}");
    let one_mug = |customer_id| NewOrder {
        customer_id,
        currency: Currency::USD,
        lines: vec![(mug, 1)],
        shipping_minor: 0,
        commission_bps: 0,
    };
    let err = store.place_order(&one_mug(vendor_a)).await.unwrap_err();
    assert!(matches!(&err, StoreError::Validation(m) if m.contains("only customers place orders")), "{err:?}");
    let blocked: Vec<(Uuid,)> = marketdesk_test_support::fetch_all_for!(
        store,
        "UPDATE users SET status = 'suspended' WHERE id = $1 RETURNING id",
        buyer
    );
    assert_eq!(blocked.len(), 1);
    let err = store.place_order(&one_mug(buyer)).await.unwrap_err();
    assert!(matches!(&err, StoreError::Validation(m) if m.contains("is blocked")), "{err:?}");
    assert_eq!(store.variants(pa.id).await.unwrap()[0].stock_on_hand, 2, "the failed order gave the stock back");
}

async fn order_status_follows_the_lifecycle(store: &Store) {
    let vendor = user(store, "vendor1", Role::Vendor).await;
    let buyer = user(store, "buyer", Role::Customer).await;
    let cat = category(store).await;
    let p = store.create_product(&product(vendor, cat, "Kite", &[("KITE", 3000, 9)])).await.unwrap();
    let v = store.variants(p.id).await.unwrap()[0].id;
    let o = store
        .place_order(&NewOrder {
            customer_id: buyer,
            currency: Currency::USD,
            lines: vec![(v, 1)],
            shipping_minor: 0,
            commission_bps: 1000,
        })
        .await
        .unwrap()
        .order;
    assert_eq!(store.set_order_status(o.id, 1, OrderStatus::Shipped, Mover::Admin).await.unwrap(), 2);
    assert!(matches!(
        store.set_order_status(o.id, 2, OrderStatus::Pending, Mover::Admin).await,
        Err(StoreError::Validation(_))
    ));
    let stale = store.set_order_status(o.id, 1, OrderStatus::Delivered, Mover::Admin).await.unwrap_err();
    assert!(matches!(stale, StoreError::VersionConflict { expected: 1, actual: 2, .. }), "{stale:?}");
    assert_eq!(store.set_order_status(o.id, 2, OrderStatus::Delivered, Mover::Admin).await.unwrap(), 3);
    assert_eq!(store.order(&OrderLens::Full, o.id).await.unwrap().order.status, OrderStatus::Delivered);
}

async fn seeded(store: &Store, orders: u64) {
    let mut options = marketdesk_core::seed::SeedOptions::new(orders);
    options.end = Timestamp::parse("2026-06-01T00:00:00Z").unwrap();
    marketdesk_core::seed::seed(store, &options, |_| {}).await.expect("seed");
}

async fn pages_walk_every_row_once_in_order(store: &Store) {
    seeded(store, 300).await;
    for (sort, dir) in
        [(OrderSort::PlacedAt, SortDir::Desc), (OrderSort::Total, SortDir::Asc), (OrderSort::Number, SortDir::Desc)]
    {
        let mut req = page(sort, dir, 37);
        let mut seen = Vec::new();
        loop {
            let p = store.list_orders(&OrderLens::Full, &OrderFilter::default(), &req).await.unwrap();
            assert!(p.items.len() <= 37);
            seen.extend(p.items.into_iter().map(|o| (o.total_minor, o.placed_at, o.number, o.id)));
            match p.next_cursor {
                Some(c) => req.after = Some(c),
                None => break,
            }
        }
        assert_eq!(seen.len(), 300, "{sort:?}");
        let mut expected = seen.clone();
        expected.sort_by(|a, b| {
            let key = match sort {
                OrderSort::PlacedAt => a.1.cmp(&b.1),
                OrderSort::Total => a.0.cmp(&b.0),
                OrderSort::Number => a.2.cmp(&b.2),
            };
            let ord = key.then(a.3.cmp(&b.3));
            if dir == SortDir::Desc { ord.reverse() } else { ord }
        });
        assert_eq!(seen, expected, "{sort:?} {dir:?}");
        let ids: std::collections::HashSet<_> = seen.iter().map(|s| s.3).collect();
        assert_eq!(ids.len(), 300);
    }
    // A cursor from one ordering is refused by another.
    let first = store
        .list_orders(&OrderLens::Full, &OrderFilter::default(), &page(OrderSort::Total, SortDir::Asc, 5))
        .await
        .unwrap();
    let req = PageRequest { after: first.next_cursor, ..page(OrderSort::PlacedAt, SortDir::Asc, 5) };
    assert!(matches!(
        store.list_orders(&OrderLens::Full, &OrderFilter::default(), &req).await,
        Err(StoreError::BadCursor)
    ));
    assert!(matches!(
        store.list_orders(&OrderLens::Full, &OrderFilter::default(), &page(OrderSort::Total, SortDir::Asc, 0)).await,
        Err(StoreError::Validation(_))
    ));
}

async fn filters_and_search_narrow_lists(store: &Store) {
    use marketdesk_core::domain::{DisputeStatus, PayoutStatus, ShipmentStatus};
    use marketdesk_core::store::disputes::{DisputeFilter, DisputeSort};
    use marketdesk_core::store::payouts::{PayoutFilter, PayoutSort};
    use marketdesk_core::store::shipments::{ShipmentFilter, ShipmentSort};
    seeded(store, 1200).await;
    let all = |statuses: Vec<OrderStatus>| OrderFilter { statuses, ..Default::default() };
    let delivered = store
        .list_orders(
            &OrderLens::Full,
            &all(vec![OrderStatus::Delivered]),
            &page(OrderSort::PlacedAt, SortDir::Desc, 500),
        )
        .await
        .unwrap();
    assert!(!delivered.items.is_empty());
    assert!(delivered.items.iter().all(|o| o.status == OrderStatus::Delivered));

    let vendor = store.user_for_login("vendor").await.unwrap().unwrap().0;
    let mine = store
        .list_orders(
            &OrderLens::Full,
            &OrderFilter { vendor_id: Some(vendor.id), ..Default::default() },
            &page(OrderSort::PlacedAt, SortDir::Desc, 500),
        )
        .await
        .unwrap();
    assert!(!mine.items.is_empty());
    for o in mine.items.iter().take(5) {
        assert!(store.order(&OrderLens::Full, o.id).await.unwrap().items.iter().any(|i| i.vendor_id == vendor.id));
    }
    let by_number = store
        .list_orders(
            &OrderLens::Full,
            &OrderFilter { search: Some("md-0000042".into()), ..Default::default() },
            &page(OrderSort::PlacedAt, SortDir::Desc, 50),
        )
        .await
        .unwrap();
    assert_eq!(by_number.items.iter().map(|o| o.number.as_str()).collect::<Vec<_>>(), ["MD-0000042"]);

    let from = Timestamp::parse("2026-01-01T00:00:00Z").unwrap();
    let to = Timestamp::parse("2026-02-01T00:00:00Z").unwrap();
    let january = store
        .list_orders(
            &OrderLens::Full,
            &OrderFilter { placed_from: Some(from), placed_to: Some(to), ..Default::default() },
            &page(OrderSort::PlacedAt, SortDir::Asc, 500),
        )
        .await
        .unwrap();
    assert!(!january.items.is_empty() && january.items.iter().all(|o| o.placed_at >= from && o.placed_at < to));

    let vendors = store
        .list_users(
            &UserFilter { role: Some(Role::Vendor), ..Default::default() },
            &page(UserSort::Email, SortDir::Asc, 100),
        )
        .await
        .unwrap();
    assert!(vendors.items.len() >= 4 && vendors.items.iter().all(|u| u.role == Role::Vendor));
    assert!(vendors.items.windows(2).all(|w| w[0].email <= w[1].email));

    let paid = store
        .list_payouts(
            &PayoutFilter { status: Some(PayoutStatus::Paid), ..Default::default() },
            &page(PayoutSort::Amount, SortDir::Desc, 100),
        )
        .await
        .unwrap();
    assert!(!paid.items.is_empty() && paid.items.iter().all(|p| p.status == PayoutStatus::Paid && p.amount_minor > 0));
    assert!(paid.items.windows(2).all(|w| w[0].amount_minor >= w[1].amount_minor));

    let moving = store
        .list_shipments(
            &ShipmentFilter { statuses: vec![ShipmentStatus::InTransit], ..Default::default() },
            &page(ShipmentSort::CreatedAt, SortDir::Desc, 100),
        )
        .await
        .unwrap();
    assert!(!moving.items.is_empty() && moving.items.iter().all(|s| s.status == ShipmentStatus::InTransit));
    let s = &moving.items[0];
    assert_eq!(store.set_shipment_status(s.id, s.version, ShipmentStatus::Delivered).await.unwrap(), s.version + 1);

    let disputes =
        store.list_disputes(&DisputeFilter::default(), &page(DisputeSort::OpenedAt, SortDir::Desc, 100)).await.unwrap();
    assert!(!disputes.items.is_empty());
    let d = &disputes.items[0];
    let admin = store.user_for_login("admin").await.unwrap().unwrap().0;
    let staff = marketdesk_core::orders::view::Reader { id: admin.id, role: marketdesk_core::domain::Role::Admin };
    post_message(store, staff, d.id, "Looking into it.", true).await.unwrap();
    let thread = store.dispute_messages(d.id).await.unwrap();
    assert_eq!(thread.len() as i64, d.message_count + 1);
    assert_eq!(thread.last().unwrap().body, "Looking into it.");
    let again = store
        .list_disputes(
            &DisputeFilter { statuses: vec![d.status], ..Default::default() },
            &page(DisputeSort::OpenedAt, SortDir::Desc, 100),
        )
        .await
        .unwrap();
    let after = again.items.iter().find(|x| x.id == d.id).unwrap();
    assert_eq!(after.version, d.version + 1);
    assert!(matches!(post_message(store, staff, d.id, "   ", false).await, Err(StoreError::Validation(_))));
    let _ = DisputeStatus::Open;
}

async fn schema_version_guard(store: &Store) {
    let status = store.schema_status().await.unwrap();
    assert!(status.is_current(), "{status:?}");
    assert_eq!(status.known, store.known_schema_version());
    assert_eq!(store.migrate(|_| {}).await.unwrap(), 0, "nothing to do twice");
    // A newer Marketdesk migrated this database: this binary must refuse it.
    let sql = "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99990101000000, 'from the future', TRUE, $1, 1)";
    if let Some(p) = store.pg_pool() {
        sqlx::query(sql).bind(vec![0_u8; 48]).execute(p).await.unwrap();
    } else if let Some(p) = store.sqlite_pool() {
        sqlx::query(sql).bind(vec![0_u8; 48]).execute(p).await.unwrap();
    }
    let status = store.schema_status().await.unwrap();
    assert!(
        matches!(status.blocking_problem(), Some(StoreError::SchemaTooNew { database: 99990101000000, .. })),
        "{status:?}"
    );
    assert!(matches!(store.migrate(|_| {}).await, Err(StoreError::SchemaTooNew { .. })));
    assert!(matches!(store.ensure_schema(true).await, Err(StoreError::SchemaTooNew { .. })));
}

async fn audit_trail_filters_and_pages(store: &Store) {
    use marketdesk_core::store::audit::{AuditFilter, AuditSort, NewAuditEntry};
    let admin = user(store, "auditor", Role::Admin).await;
    let target = Uuid::now_v7();
    for (i, action) in ["payouts.update", "payouts.insert", "signed_in", "platform_settings.update", "payouts.update"]
        .iter()
        .enumerate()
    {
        store
            .record_audit(&NewAuditEntry {
                actor_id: (i % 2 == 0).then_some(admin),
                actor_role: Some("admin".into()),
                action: (*action).into(),
                entity_table: action.split('.').next().filter(|_| action.contains('.')).map(str::to_owned),
                entity_id: Some(target),
                details: Some(serde_json::json!({ "status": ["proposed", "approved"], "n": i })),
            })
            .await
            .unwrap();
    }
    let all = |f: AuditFilter| async move {
        let mut req = page(AuditSort::OccurredAt, SortDir::Desc, 2);
        let mut out = Vec::new();
        loop {
            let p = store.list_audit(&f, &req).await.unwrap();
            out.extend(p.items);
            match p.next_cursor {
                Some(c) => req.after = Some(c),
                None => break out,
            }
        }
    };
    let payouts = all(AuditFilter { action_prefix: Some("payouts.".into()), ..Default::default() }).await;
    assert_eq!(payouts.len(), 3);
    assert!(payouts.windows(2).all(|w| (w[0].occurred_at, w[0].id) > (w[1].occurred_at, w[1].id)), "newest first");
    assert_eq!(payouts[0].details.as_ref().unwrap().0["n"], 4);
    let by_admin = all(AuditFilter { actor_id: Some(admin), ..Default::default() }).await;
    assert_eq!(
        by_admin.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["payouts.update", "signed_in", "payouts.update"]
    );
    let wildcard = all(AuditFilter { action_prefix: Some("%".into()), ..Default::default() }).await;
    assert!(wildcard.is_empty(), "a prefix is text, not a pattern");
    assert!(matches!(
        store
            .record_audit(&NewAuditEntry {
                actor_id: None,
                actor_role: None,
                action: " ".into(),
                entity_table: None,
                entity_id: None,
                details: None
            })
            .await,
        Err(StoreError::Validation(_))
    ));
}
