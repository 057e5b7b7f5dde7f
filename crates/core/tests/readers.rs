//! What each person reads of an order (a vendor only their own lines; the
//! moves and the refund each role may make) and the vendor list staff choose
//! from, on both engines; and the orders list and page read on the server by
//! each role over their own login, where row-level security and column grants
//! refuse anything the role may not read.

use marketdesk_test_support::marketplace::site;
use marketdesk_test_support::{fetch_all, on_both_engines};

use marketdesk_core::Store;
use marketdesk_core::domain::{DisputeState, FulfilmentState, PaymentState, RefundState};
use marketdesk_core::domain::{OrderStatus, Role, Timestamp};
use marketdesk_core::orders::cancel::{CancelOrder, CancelReason, cancel_order};
use marketdesk_core::orders::list::orders_for;
use marketdesk_core::orders::status::move_order;
use marketdesk_core::orders::timeline::{TimelineKind, add_note, order_timeline};
use marketdesk_core::orders::view::{Reader, order_for};
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::StoreError;
use marketdesk_core::store::orders::{Order, OrderFilter, OrderSort};
use marketdesk_core::store::{PageRequest, SortDir};
use std::collections::BTreeSet;
use uuid::Uuid;

on_both_engines!(
    each_reader_sees_their_share_and_their_moves,
    lenses_give_each_reader_their_share,
    vendors_come_sorted_by_name
);

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
    assert_eq!(admin.next, status.moves_for(Role::Admin), "admins are offered their moves of the lifecycle");
    assert_eq!(admin.cancellable, status.is_cancellable());
    assert!(!admin.refundable, "only finance refunds");
    let logistics = order_for(store, Reader { id: nobody, role: Role::Logistics }, order).await.unwrap();
    assert_eq!(logistics.next, status.moves_for(Role::Logistics));
    assert!(!logistics.cancellable, "only admins cancel");
    let finance = order_for(store, Reader { id: nobody, role: Role::Finance }, order).await.unwrap();
    assert!(finance.next.is_empty(), "finance moves no order by hand");
    if status != OrderStatus::Cancelled {
        assert_eq!(finance.refundable, status.is_refundable(status != OrderStatus::Pending));
    }

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

/// Every order `reader` may list under `filter`, page after page.
async fn all_orders(store: &Store, reader: Reader, filter: &OrderFilter) -> Vec<Order> {
    let mut out = Vec::new();
    let mut page = PageRequest { sort: OrderSort::PlacedAt, dir: SortDir::Desc, after: None, limit: 200 };
    loop {
        let got = orders_for(store, reader, filter, &page).await.unwrap_or_else(|e| panic!("{reader:?}: {e}"));
        out.extend(got.items);
        match got.next_cursor {
            Some(c) => page.after = Some(c),
            None => return out,
        }
    }
}

async fn lenses_give_each_reader_their_share(store: &Store) {
    seeded(store).await;
    let lines: Vec<(Uuid, Uuid, i64)> =
        fetch_all!(store, "SELECT order_id, vendor_id, subtotal_minor FROM order_items WHERE deleted_at IS NULL");
    let orders: Vec<(Uuid, i64)> = fetch_all!(store, "SELECT id, total_minor FROM orders WHERE deleted_at IS NULL");
    // A vendor of an order split between vendors.
    let vendors_of = |order: Uuid| lines.iter().filter(|l| l.0 == order).map(|l| l.1).collect::<BTreeSet<_>>();
    let split = lines.iter().map(|l| l.0).find(|o| vendors_of(*o).len() > 1).expect("the seed splits some order");
    let vendor = *vendors_of(split).iter().next().unwrap();
    let nobody = Uuid::now_v7();

    let admin = all_orders(store, Reader { id: nobody, role: Role::Admin }, &OrderFilter::default()).await;
    assert_eq!(admin.len(), orders.len(), "staff list every order");
    assert!(admin.iter().all(|o| o.customer_email.is_some() && o.customer_id.is_some()));
    let logistics = all_orders(store, Reader { id: nobody, role: Role::Logistics }, &OrderFilter::default()).await;
    assert_eq!(logistics.len(), orders.len());
    assert!(logistics.iter().all(|o| o.customer_email.is_none() && !o.customer_name.is_empty()));
    let total = |id: Uuid| orders.iter().find(|o| o.0 == id).unwrap().1;
    assert!(logistics.iter().all(|o| o.total_minor == total(o.id)), "logistics sees the order's total");

    let theirs = all_orders(store, Reader { id: vendor, role: Role::Vendor }, &OrderFilter::default()).await;
    let expected: BTreeSet<Uuid> = lines.iter().filter(|l| l.1 == vendor).map(|l| l.0).collect();
    assert_eq!(
        theirs.iter().map(|o| o.id).collect::<BTreeSet<_>>(),
        expected,
        "a vendor lists the orders they sell in"
    );
    for o in &theirs {
        let share: i64 = lines.iter().filter(|l| l.0 == o.id && l.1 == vendor).map(|l| l.2).sum();
        assert_eq!(o.total_minor, share, "a vendor's total is their own lines'");
        assert!(o.customer_id.is_none() && o.customer_email.is_none());
    }
    // Sorting by total sorts by the vendor's share.
    let page = PageRequest { sort: OrderSort::Total, dir: SortDir::Asc, after: None, limit: 500 };
    let by_total =
        orders_for(store, Reader { id: vendor, role: Role::Vendor }, &OrderFilter::default(), &page).await.unwrap();
    assert!(by_total.items.windows(2).all(|w| w[0].total_minor <= w[1].total_minor));

    // The warehouse reads an order's lines without prices; a vendor its own lines' prices.
    let w = order_for(store, Reader { id: nobody, role: Role::Logistics }, split).await.unwrap();
    assert!(w.items.iter().all(|i| i.unit_price_minor.is_none() && i.subtotal_minor.is_none()));
    assert!(w.items.iter().any(|i| i.vendor_id != vendor));
    let v = order_for(store, Reader { id: vendor, role: Role::Vendor }, split).await.unwrap();
    assert!(v.items.iter().all(|i| i.vendor_id == vendor && i.unit_price_minor.is_some()));
    assert_eq!(v.subtotal_minor, v.items.iter().map(|i| i.subtotal_minor.unwrap()).sum::<i64>());
    assert_eq!((v.shipping_minor, v.tax_minor), (None, None), "the order's shipping and tax are not the vendor's");

    // Customers read no orders here; a dimension the role cannot read is refused.
    let customer = orders_for(store, Reader { id: nobody, role: Role::Customer }, &OrderFilter::default(), &page).await;
    assert!(matches!(customer, Err(StoreError::Validation(_))), "{customer:?}");
    let by_payment = OrderFilter { payment: vec![PaymentState::Paid], ..OrderFilter::default() };
    let refused = orders_for(store, Reader { id: nobody, role: Role::Logistics }, &by_payment, &page).await;
    assert!(matches!(refused, Err(StoreError::Validation(_))), "{refused:?}");
}

/// On the server each role lists, searches, filters and opens orders over its
/// own login: no query of theirs asks for a column or a row the database
/// refuses them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_lists_and_opens_orders_over_its_own_login() {
    let mut site = site().await;
    let page = PageRequest { sort: OrderSort::PlacedAt, dir: SortDir::Desc, after: None, limit: 50 };
    let all_facets = OrderFilter {
        fulfilment: FulfilmentState::ALL.to_vec(),
        refund: RefundState::ALL.to_vec(),
        dispute: DisputeState::ALL.to_vec(),
        ..OrderFilter::default()
    };
    for (email, role) in [
        ("admin@marketdesk.demo", Role::Admin),
        ("finance@marketdesk.demo", Role::Finance),
        ("logistics@marketdesk.demo", Role::Logistics),
        ("vendor@marketdesk.demo", Role::Vendor),
    ] {
        let person = site.person(email).await;
        let reader = Reader { id: person.id, role };
        let store = &person.server;
        let listed = orders_for(store, reader, &OrderFilter::default(), &page)
            .await
            .unwrap_or_else(|e| panic!("{email} lists orders: {e}"));
        assert!(!listed.items.is_empty(), "{email} sees orders");
        let first = &listed.items[0];
        assert_eq!(first.customer_email.is_some(), role == Role::Admin || role == Role::Finance, "{email}");
        let detail = order_for(store, reader, first.id).await.unwrap_or_else(|e| panic!("{email} opens an order: {e}"));
        assert!(!detail.items.is_empty());
        assert_eq!(detail.order.total_minor, first.total_minor, "{email}: the page and the list agree");

        // The order's history, and a note, over the person's own grants.
        let history = order_timeline(store, reader, first.id)
            .await
            .unwrap_or_else(|e| panic!("{email} reads an order's history: {e}"));
        assert_eq!(history.first().map(|e| e.kind), Some(TimelineKind::Placed), "{email}");
        let noted = add_note(store, reader, first.id, &format!("checked by {email}")).await;
        match role {
            Role::Vendor => assert!(matches!(noted, Err(StoreError::AccessDenied(_))), "{email}: {noted:?}"),
            _ => {
                noted.unwrap_or_else(|e| panic!("{email} adds a note: {e}"));
                let again = order_timeline(store, reader, first.id).await.unwrap();
                let mine = format!("checked by {email}");
                let note = again.iter().find(|e| e.kind == TimelineKind::Note && e.detail == mine);
                assert!(note.is_some_and(|n| n.actor.is_some()), "{email}: the note is in the history, signed");
            }
        }

        // The moves each role makes, over its own login: the warehouse starts
        // a paid order, an admin cancels one (lines, stock, mail, audit).
        let wide = PageRequest { limit: 500, ..page.clone() };
        let paid = OrderFilter { statuses: vec![OrderStatus::Paid], ..OrderFilter::default() };
        let paid = orders_for(store, reader, &paid, &wide).await.unwrap();
        match role {
            Role::Logistics => {
                let o = &paid.items[0];
                move_order(store, reader, o.id, o.version, OrderStatus::Processing)
                    .await
                    .unwrap_or_else(|e| panic!("{email} starts {}: {e}", o.number));
                let refused = move_order(store, reader, o.id, o.version + 1, OrderStatus::Cancelled).await;
                assert!(matches!(refused, Err(StoreError::AccessDenied(_))), "{email}: {refused:?}");
            }
            Role::Admin => {
                use OrderStatus::{Paid, Pending, Processing};
                let open = OrderFilter { statuses: vec![Pending, Paid, Processing], ..OrderFilter::default() };
                let open = orders_for(store, reader, &open, &wide).await.unwrap();
                let o = open.items.last().expect("an order to cancel");
                let req = CancelOrder {
                    order_id: o.id,
                    version: o.version,
                    vendor_id: None,
                    reason: CancelReason::CustomerRequest,
                    note: String::new(),
                };
                let done = cancel_order(store, reader, &req)
                    .await
                    .unwrap_or_else(|e| panic!("{email} cancels {}: {e}", o.number));
                assert_eq!(done.status, OrderStatus::Cancelled);
                let history = order_timeline(store, reader, o.id).await.unwrap();
                let cancelled = history.iter().find(|e| e.kind == TimelineKind::Cancelled).expect("in the history");
                assert!(cancelled.actor.is_some(), "{email}: the audit trail names who cancelled");
            }
            _ => {}
        }

        // Searching by the name the reader sees finds that order.
        let word = first.customer_name.split_whitespace().last().expect("a customer name").to_owned();
        let search = OrderFilter { search: Some(word.clone()), ..OrderFilter::default() };
        let found = orders_for(store, reader, &search, &PageRequest { limit: 500, ..page.clone() })
            .await
            .unwrap_or_else(|e| panic!("{email} searches orders: {e}"));
        assert!(found.items.iter().any(|o| o.id == first.id), "{email}: “{word}” finds {}", first.number);

        let mut facets = all_facets.clone();
        if PaymentState::READERS.contains(&role) {
            facets.payment = PaymentState::ALL.to_vec();
        }
        if !RefundState::READERS.contains(&role) {
            facets.refund.clear();
            facets.dispute.clear();
        }
        let filtered = orders_for(store, reader, &facets, &page)
            .await
            .unwrap_or_else(|e| panic!("{email} filters orders by every state it may read: {e}"));
        assert_eq!(
            filtered.items.iter().map(|o| o.id).collect::<Vec<_>>(),
            listed.items.iter().map(|o| o.id).collect::<Vec<_>>(),
            "{email}: every state of a dimension together is every order"
        );
        person.server.close().await;
    }
}
