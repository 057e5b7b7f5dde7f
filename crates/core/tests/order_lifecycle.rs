//! The order lifecycle as the core enforces it: random sequences of moves and
//! cancellations by every role never take an order along a move the table
//! forbids, and a refused one changes nothing; cancelling puts units back,
//! mails the parties and records why, on both engines; PostgreSQL holds the
//! same table as the domain.

use marketdesk_test_support::databases::{pg, sqlite};
use marketdesk_test_support::{fetch_all, fetch_all_for, on_both_engines};

use marketdesk_core::Store;
use marketdesk_core::domain::order_lifecycle::{Action, Mover, TRANSITIONS, check};
use marketdesk_core::domain::{Currency, OrderStatus, Role};
use marketdesk_core::orders::cancel::{CancelOrder, CancelReason, cancel_order};
use marketdesk_core::orders::status::move_order;
use marketdesk_core::orders::view::Reader;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::StoreError;
use marketdesk_core::store::order_lens::OrderLens;
use marketdesk_core::store::orders::NewOrder;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use uuid::Uuid;

/// The people and goods the cases work with.
struct Cast {
    staff: Vec<Reader>,
    customer: Uuid,
    /// Two variants of two vendors, with stock.
    variants: [(Uuid, Uuid); 2],
}

async fn cast(store: &Store) -> Cast {
    let mut o = SeedOptions::new(30);
    o.seed = 7;
    seed(store, &o, |_| {}).await.expect("seed");
    let mut staff = Vec::new();
    for role in [Role::Admin, Role::Logistics, Role::Finance, Role::Vendor] {
        let ids: Vec<(Uuid,)> = fetch_all!(
            store,
            &format!("SELECT id FROM users WHERE role = '{role}' AND deleted_at IS NULL ORDER BY id LIMIT 1")
        );
        staff.push(Reader { id: ids[0].0, role });
    }
    let customer: Vec<(Uuid,)> = fetch_all!(store, "SELECT id FROM users WHERE role = 'customer' ORDER BY id LIMIT 1");
    let stocked: Vec<(Uuid, Uuid)> = fetch_all!(
        store,
        "SELECT v.id, p.vendor_id FROM product_variants v JOIN products p ON p.id = v.product_id \
         WHERE v.currency = 'USD' AND v.stock_on_hand - v.stock_reserved >= 50 AND v.deleted_at IS NULL \
         AND p.deleted_at IS NULL ORDER BY v.id"
    );
    let first = stocked[0];
    let second = *stocked.iter().find(|(_, vendor)| *vendor != first.1).expect("a second vendor with stock");
    // Enough on the shelf for every order the cases place.
    for v in [first.0, second.0] {
        exec(store, "UPDATE product_variants SET stock_on_hand = stock_on_hand + 100000 WHERE id = $1", v).await;
    }
    Cast { staff, customer: customer[0].0, variants: [first, second] }
}

/// Runs `sql` with `$1` bound to `id`, on either engine.
async fn exec(store: &Store, sql: &str, id: Uuid) {
    match (store.pg_pool(), store.sqlite_pool()) {
        (Some(p), _) => sqlx::query(sql).bind(id).execute(p).await.map(|_| ()).unwrap(),
        (_, Some(p)) => sqlx::query(sql).bind(id).execute(p).await.map(|_| ()).unwrap(),
        _ => unreachable!(),
    }
}

async fn place(store: &Store, c: &Cast) -> Uuid {
    let new = NewOrder {
        customer_id: c.customer,
        currency: Currency::USD,
        lines: vec![(c.variants[0].0, 2), (c.variants[1].0, 3)],
        shipping_minor: 500,
        commission_bps: 1_000,
    };
    store.place_order(&new).await.expect("place order").order.id
}

/// Everything a refused operation must leave as it was.
#[derive(Debug, PartialEq)]
struct Snapshot {
    status: OrderStatus,
    version: i64,
    lines: Vec<String>,
    stock: Vec<(i32, i32)>,
    mails: i64,
}

async fn snapshot(store: &Store, c: &Cast, order: Uuid) -> Snapshot {
    let head: Vec<(String, i64)> = fetch_all_for!(store, "SELECT status, version FROM orders WHERE id = $1", order);
    let lines: Vec<(String,)> =
        fetch_all_for!(store, "SELECT status FROM order_items WHERE order_id = $1 ORDER BY sku", order);
    let mut stock = Vec::new();
    for (v, _) in &c.variants {
        let s: Vec<(i32, i32)> =
            fetch_all_for!(store, "SELECT stock_on_hand, stock_reserved FROM product_variants WHERE id = $1", *v);
        stock.push(s[0]);
    }
    let mails: Vec<(i64,)> = fetch_all!(store, "SELECT count(*) FROM email_outbox");
    Snapshot {
        status: head[0].0.parse().unwrap(),
        version: head[0].1,
        lines: lines.into_iter().map(|l| l.0).collect(),
        stock,
        mails: mails[0].0,
    }
}

/// One thing a person tries.
#[derive(Debug, Clone)]
enum Op {
    /// A status button, by the staff member at this index.
    Move(usize, OrderStatus),
    /// The carrier's tracking says delivered (or anything else).
    Carrier(OrderStatus),
    /// Cancel the whole order (`None`) or the part of the vendor at this index.
    Cancel(usize, Option<usize>),
    /// A move based on an old version.
    Stale(OrderStatus),
}

fn op() -> impl Strategy<Value = Op> {
    // Mostly the warehouse's next steps, so that many moves are accepted; any
    // status at all now and then.
    use OrderStatus::{Delivered, PartiallyShipped, Processing, Shipped};
    let status = prop_oneof![
        3 => prop::sample::select(vec![Processing, PartiallyShipped, Shipped, Delivered]),
        1 => prop::sample::select(OrderStatus::ALL.to_vec()),
    ];
    prop_oneof![
        4 => (0usize..4, status.clone()).prop_map(|(who, to)| Op::Move(who, to)),
        1 => status.clone().prop_map(Op::Carrier),
        2 => (0usize..4, prop::option::of(0usize..2)).prop_map(|(who, part)| Op::Cancel(who, part)),
        1 => status.prop_map(Op::Stale),
    ]
}

#[test]
fn no_sequence_of_operations_leaves_the_table() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let db = rt.block_on(sqlite());
    let store = &db.store;
    let c = rt.block_on(cast(store));
    let mut runner = TestRunner::new(Config { cases: 96, ..Config::default() });
    let (moved, cancelled, refused) = (AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0));
    let result = runner.run(&(any::<bool>(), prop::collection::vec(op(), 1..30)), |(start_pending, ops)| {
        rt.block_on(async {
            let order = place(store, &c).await;
            if start_pending {
                exec(store, "UPDATE orders SET status = 'pending', paid_at = NULL WHERE id = $1", order).await;
            }
            let units_at_start: i64 = units_out(store, &c, order).await;
            for op in ops {
                let before = snapshot(store, &c, order).await;
                let (result, mover, action) = match &op {
                    Op::Move(who, to) => {
                        let r = c.staff[*who];
                        (
                            move_order(store, r, order, before.version, *to).await.map(|_| ()),
                            Mover::of(r.role),
                            Action::Move,
                        )
                    }
                    Op::Carrier(to) => (
                        store.set_order_status(order, before.version, *to, Mover::Carrier).await.map(|_| ()),
                        Some(Mover::Carrier),
                        Action::Move,
                    ),
                    Op::Cancel(who, part) => {
                        let r = c.staff[*who];
                        let req = CancelOrder {
                            order_id: order,
                            version: before.version,
                            vendor_id: part.map(|i| c.variants[i].1),
                            reason: CancelReason::CustomerRequest,
                            note: String::new(),
                        };
                        (cancel_order(store, r, &req).await.map(|_| ()), Mover::of(r.role), Action::Cancel)
                    }
                    Op::Stale(to) => {
                        let r = c.staff[0];
                        let stale = move_order(store, r, order, before.version - 1, *to).await;
                        prop_assert!(
                            matches!(stale, Err(StoreError::VersionConflict { .. })),
                            "{op:?} on an old version: {stale:?}"
                        );
                        (stale.map(|_| ()), None, Action::Move)
                    }
                };
                let after = snapshot(store, &c, order).await;
                match result {
                    Ok(()) => {
                        let counter = if matches!(op, Op::Cancel(..)) { &cancelled } else { &moved };
                        counter.fetch_add(1, Ordering::Relaxed);
                        prop_assert!(after.version > before.version, "{op:?} changed nothing");
                        if after.status != before.status {
                            let mover = mover.expect("only staff and the carrier move orders");
                            prop_assert!(
                                check(before.status, after.status, mover, action).is_ok(),
                                "{op:?} took the order from {} to {}, which the table forbids",
                                before.status,
                                after.status
                            );
                        }
                        if let Op::Move(_, to) | Op::Carrier(to) = op {
                            prop_assert_eq!(after.status, to);
                        }
                    }
                    Err(e) => {
                        refused.fetch_add(1, Ordering::Relaxed);
                        prop_assert_eq!(&after, &before, "{:?} was refused ({}) but changed the order", op, e);
                        if let (Op::Move(_, to) | Op::Carrier(to), Some(m)) = (&op, mover) {
                            prop_assert!(check(before.status, *to, m, Action::Move).is_err(), "{op:?} refused: {e}");
                        }
                    }
                }
                // Units leave the shelf for open lines only: cancelled ones came back.
                prop_assert_eq!(units_out(store, &c, order).await, units_at_start);
            }
            Ok(())
        })
    });
    rt.block_on(db.finish());
    if let Err(e) = result {
        panic!("{e}");
    }
    let counts = [moved.into_inner(), cancelled.into_inner(), refused.into_inner()];
    eprintln!("moves accepted, cancellations accepted, operations refused: {counts:?}");
    assert!(counts.iter().all(|n| *n >= 10), "every kind of outcome was exercised: {counts:?}");
}

/// Units of the cast's variants either on the shelf, held, or in an open
/// line of `order`: constant whatever happens to the order.
async fn units_out(store: &Store, c: &Cast, order: Uuid) -> i64 {
    let mut total = 0;
    for (v, _) in &c.variants {
        let sql = "SELECT CAST(v.stock_on_hand + (SELECT coalesce(sum(CASE WHEN o.status = 'pending' THEN 0 ELSE i.quantity END), 0) \
                   FROM order_items i JOIN orders o ON o.id = i.order_id WHERE i.variant_id = v.id AND i.order_id = $2 \
                   AND i.status <> 'cancelled') AS BIGINT) FROM product_variants v WHERE v.id = $1";
        let p = store.sqlite_pool().unwrap();
        let rows: Vec<(i64,)> = sqlx::query_as(sql).bind(*v).bind(order).fetch_all(p).await.unwrap();
        total += rows[0].0;
    }
    total
}

on_both_engines!(cancelling_puts_back_mails_and_records, a_refused_cancellation_changes_nothing);

async fn cancelling_puts_back_mails_and_records(store: &Store) {
    let c = cast(store).await;
    let admin = c.staff[0];
    let order = place(store, &c).await;
    let start = snapshot(store, &c, order).await;
    let detail = store.order(&OrderLens::Full, order).await.unwrap();
    let owed_a: i64 =
        detail.items.iter().filter(|i| i.vendor_id == c.variants[0].1).map(|i| i.subtotal_minor.unwrap()).sum();

    // The first vendor's part: their lines only, the order stays paid.
    let req = CancelOrder {
        order_id: order,
        version: start.version,
        vendor_id: Some(c.variants[0].1),
        reason: CancelReason::OutOfStock,
        note: "supplier delay".into(),
    };
    let part = cancel_order(store, admin, &req).await.unwrap();
    assert_eq!((part.status, part.lines, part.units, part.mails), (OrderStatus::Paid, 1, 2, 2));
    assert_eq!(part.refund_due_minor, owed_a, "the buyer is owed what the cancelled lines cost");
    let now = snapshot(store, &c, order).await;
    assert_eq!(now.stock[0].0, start.stock[0].0 + 2, "two units back on the shelf");
    assert_eq!(now.stock[1], start.stock[1], "the other vendor's stock is untouched");
    assert_eq!(now.mails, start.mails + 2, "the buyer and the vendor are mailed");

    // The rest: the order is cancelled.
    let req = CancelOrder { version: part.version, vendor_id: None, reason: CancelReason::Other, ..req };
    let whole = cancel_order(store, admin, &req).await.unwrap();
    assert_eq!((whole.status, whole.lines, whole.units), (OrderStatus::Cancelled, 1, 3));
    let now = snapshot(store, &c, order).await;
    assert_eq!(now.lines, vec!["cancelled", "cancelled"]);
    assert_eq!(now.stock[1].0, start.stock[1].0 + 3);
    let cancelled_at: Vec<(i64,)> =
        fetch_all_for!(store, "SELECT count(*) FROM orders WHERE id = $1 AND cancelled_at IS NOT NULL", order);
    assert_eq!(cancelled_at[0].0, 1);

    // Both steps are in the audit trail with their reasons.
    let audit: Vec<(String,)> = fetch_all_for!(
        store,
        "SELECT CAST(details AS TEXT) FROM audit_log WHERE action = 'orders.cancel' AND entity_id = $1 ORDER BY occurred_at",
        order
    );
    assert_eq!(audit.len(), 2);
    assert!(audit[0].0.contains("out_of_stock") && audit[0].0.contains("supplier delay"), "{}", audit[0].0);
    let mail: Vec<(String, String)> = fetch_all!(
        store,
        "SELECT subject, body_text FROM email_outbox WHERE template = 'order_cancelled' ORDER BY created_at, subject"
    );
    assert!(mail.iter().any(|(s, b)| s.starts_with("Part of order") && b.contains("goes back to the card")));

    // A cancelled order is not cancelled again, and finance may refund it.
    let again = cancel_order(store, admin, &CancelOrder { version: whole.version, ..req }).await.unwrap_err();
    assert!(matches!(again, StoreError::Validation(_)), "{again}");
    let finance = c.staff[2];
    let seen = marketdesk_core::orders::view::order_for(store, finance, order).await.unwrap();
    assert!(seen.refundable && !seen.cancellable);
    let seen = marketdesk_core::orders::view::order_for(store, admin, order).await.unwrap();
    assert!(!seen.refundable && !seen.cancellable && seen.next.is_empty());
}

async fn a_refused_cancellation_changes_nothing(store: &Store) {
    let c = cast(store).await;
    let admin = c.staff[0];
    let order = place(store, &c).await;
    let start = snapshot(store, &c, order).await;
    let req = |version| CancelOrder {
        order_id: order,
        version,
        vendor_id: None,
        reason: CancelReason::Other,
        note: String::new(),
    };
    let cases = [
        (admin, req(start.version), "say in the note"),
        (admin, CancelOrder { note: "x".into(), ..req(start.version - 1) }, "version"),
        (c.staff[1], CancelOrder { note: "x".into(), ..req(start.version) }, "the warehouse does not"),
        (c.staff[3], CancelOrder { note: "x".into(), ..req(start.version) }, "does not cancel orders"),
        (admin, CancelOrder { note: "x".repeat(1001), ..req(start.version) }, "longer than"),
    ];
    for (who, r, says) in cases {
        let e = cancel_order(store, who, &r).await.unwrap_err();
        assert!(e.to_string().contains(says), "{who:?}: “{e}” should say “{says}”");
        assert_eq!(snapshot(store, &c, order).await, start);
    }

    // A pending order's units were only held: the hold is released.
    let v = c.variants[1].0;
    let set = [
        ("UPDATE orders SET status = 'pending', paid_at = NULL WHERE id = $1", order),
        ("UPDATE product_variants SET stock_reserved = 3 WHERE id = $1", v),
    ];
    for (sql, id) in set {
        exec(store, sql, id).await;
    }
    let held = snapshot(store, &c, order).await;
    let done = cancel_order(store, admin, &CancelOrder { note: "x".into(), ..req(held.version) }).await.unwrap();
    assert_eq!((done.status, done.refund_due_minor), (OrderStatus::Cancelled, 0), "nothing was paid");
    let now = snapshot(store, &c, order).await;
    assert_eq!(now.stock[1], (held.stock[1].0, 0), "the hold of 3 is released, nothing is added to the shelf");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_holds_the_same_table() {
    let db = pg().await;
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT from_status, to_status, mover FROM md_order_transitions()")
            .fetch_all(db.store.pg_pool().unwrap())
            .await
            .unwrap();
    let held: BTreeSet<(String, String, String)> = rows.into_iter().collect();
    let domain: BTreeSet<(String, String, String)> = TRANSITIONS
        .iter()
        .flat_map(|t| t.by.iter().map(|m| (t.from.to_string(), t.to.to_string(), m.to_string())))
        .collect();
    let rows: Vec<String> = domain.iter().map(|(a, b, m)| format!("('{a}', '{b}', '{m}')")).collect();
    assert_eq!(held, domain, "md_order_transitions() must list exactly:\n{}", rows.join(",\n"));
    db.finish().await;
}
