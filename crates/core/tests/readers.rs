//! What each person reads of an order (a vendor only their own lines; the
//! moves and the refund each role may make) and the vendor list staff choose
//! from, on both engines.

use marketdesk_test_support::{fetch_all, on_both_engines};

use marketdesk_core::Store;
use marketdesk_core::domain::{OrderStatus, Role, Timestamp};
use marketdesk_core::orders::view::{Reader, order_for};
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::StoreError;
use std::collections::BTreeSet;
use uuid::Uuid;

on_both_engines!(each_reader_sees_their_share_and_their_moves, vendors_come_sorted_by_name);

async fn seeded(store: &Store) {
    let mut o = SeedOptions::new(160);
    o.end = Timestamp::parse("2026-03-15T00:00:00Z").unwrap();
    o.seed = 5;
    seed(store, &o, |_| {}).await.expect("seed");
}

async fn each_reader_sees_their_share_and_their_moves(store: &Store) {
    seeded(store).await;
    // An order holding lines of two vendors at least.
    let split: Vec<(Uuid,)> = fetch_all!(
        store,
        "SELECT order_id FROM order_items WHERE deleted_at IS NULL GROUP BY order_id \
         HAVING count(DISTINCT vendor_id) > 1 ORDER BY order_id LIMIT 1"
    );
    let (order,) = *split.first().expect("the seed splits some order between vendors");
    let all: Vec<(Uuid, Uuid, Uuid)> =
        fetch_all!(store, "SELECT order_id, id, vendor_id FROM order_items WHERE deleted_at IS NULL");
    let lines: Vec<(Uuid, Uuid)> = all.iter().filter(|(o, _, _)| *o == order).map(|(_, i, v)| (*i, *v)).collect();
    let vendors: BTreeSet<Uuid> = lines.iter().map(|(_, v)| *v).collect();
    let nobody = Uuid::now_v7();

    let admin = order_for(store, Reader { id: nobody, role: Role::Admin }, order).await.unwrap();
    assert_eq!(admin.items.len(), lines.len(), "staff see every line");
    let status: OrderStatus = admin.order.status;
    assert_eq!(admin.next, status.next(), "admins are offered the lifecycle's moves");
    assert!(!admin.refundable, "only finance refunds");
    let logistics = order_for(store, Reader { id: nobody, role: Role::Logistics }, order).await.unwrap();
    assert_eq!(logistics.next, status.next());
    let finance = order_for(store, Reader { id: nobody, role: Role::Finance }, order).await.unwrap();
    assert!(finance.next.is_empty(), "finance moves no order by hand");
    assert_eq!(finance.refundable, !matches!(status, OrderStatus::Pending | OrderStatus::Cancelled));

    for vendor in &vendors {
        let theirs = order_for(store, Reader { id: *vendor, role: Role::Vendor }, order).await.unwrap();
        assert!(!theirs.items.is_empty());
        assert!(theirs.items.iter().all(|i| i.vendor_id == *vendor), "a vendor sees only their own lines");
        let expected = lines.iter().filter(|(_, v)| v == vendor).count();
        assert_eq!(theirs.items.len(), expected);
        assert!(theirs.next.is_empty() && !theirs.refundable);
    }
    let stranger = order_for(store, Reader { id: nobody, role: Role::Vendor }, order).await.unwrap_err();
    assert!(matches!(stranger, StoreError::NotFound { entity: "order", .. }), "{stranger:?}");

    // A final order offers nothing, even to staff.
    let done: Vec<(Uuid,)> = fetch_all!(
        store,
        "SELECT id FROM orders WHERE status IN ('cancelled', 'refunded') AND deleted_at IS NULL ORDER BY id LIMIT 1"
    );
    let (done,) = *done.first().expect("the seed cancels or refunds some order");
    let done = order_for(store, Reader { id: nobody, role: Role::Admin }, done).await.unwrap();
    assert!(done.next.is_empty(), "{:?} is final", done.order.status);
}

async fn vendors_come_sorted_by_name(store: &Store) {
    seeded(store).await;
    let choices = store.vendor_choices().await.unwrap();
    let raw: Vec<(Uuid, String, String)> = fetch_all!(
        store,
        "SELECT u.id, coalesce(p.business_name, u.display_name), u.email FROM users u \
         LEFT JOIN user_profiles p ON p.user_id = u.id WHERE u.role = 'vendor' AND u.deleted_at IS NULL"
    );
    assert!(raw.len() > 1, "the seed has vendors");
    let mut expected = raw.clone();
    expected.sort_by(|a, b| a.1.to_lowercase().cmp(&b.1.to_lowercase()).then(a.0.cmp(&b.0)));
    let got: Vec<(Uuid, String, String)> = choices.into_iter().map(|c| (c.id, c.name, c.email)).collect();
    assert_eq!(got, expected);
}
