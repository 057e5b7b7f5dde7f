//! Refunds through Stripe against a real PostgreSQL and the local Stripe fake:
//! partial refunds that add up, refusals that change nothing, and a refund left
//! pending by Stripe trouble that is finished once, never twice.

use marketdesk_core::finance::refunds::{RefundLine, RefundOrder};
use marketdesk_core::seed::seed;
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store, StoreError};
use marketdesk_test_support::money::{Db, assert_ledger_whole, count, gateway, seed_options, seeded_pg, user_id};
use marketdesk_test_support::stripe_fake::StripeFake;
use sqlx::{Connection, PgConnection};
use std::time::Duration;
use uuid::Uuid;

/// A delivered, Stripe-paid order of one line with at least `units` units and no refund yet.
async fn one_line_order(db: &Db, units: i32) -> (Uuid, Uuid, i32) {
    let mut conn = PgConnection::connect(&db.url).await.unwrap();
    sqlx::query_as(
        "SELECT i.order_id, i.id, i.quantity FROM order_items i JOIN orders o ON o.id = i.order_id \
         WHERE o.status = 'delivered' AND i.quantity >= $1 AND i.refunded_quantity = 0 \
         AND EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.provider = 'stripe' AND p.status = 'succeeded') \
         AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.id) \
         AND (SELECT count(*) FROM order_items j WHERE j.order_id = o.id) = 1 ORDER BY o.placed_at LIMIT 1",
    )
    .bind(units)
    .fetch_one(&mut conn)
    .await
    .expect("the seeded history has such an order")
}

fn request(order: Uuid, item: Uuid, quantity: u32) -> RefundOrder {
    RefundOrder { order_id: order, lines: vec![RefundLine { order_item_id: item, quantity }], reason: "damaged".into() }
}

async fn order_status(db: &Db, order: Uuid) -> String {
    let mut conn = PgConnection::connect(&db.url).await.unwrap();
    sqlx::query_scalar("SELECT status FROM orders WHERE id = $1").bind(order).fetch_one(&mut conn).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partial_refunds_add_up_to_the_whole_line_and_book_the_ledger() {
    let db = seeded_pg().await;
    let fake = StripeFake::start(Duration::ZERO).await;
    let fin = user_id(&db.store, "finance@marketdesk.demo").await;
    let (order, item, quantity) = one_line_order(&db, 2).await;
    let (subtotal, tax): (i64, i64) = {
        let mut conn = PgConnection::connect(&db.url).await.unwrap();
        sqlx::query_as("SELECT subtotal_minor, tax_minor FROM order_items WHERE id = $1")
            .bind(item)
            .fetch_one(&mut conn)
            .await
            .unwrap()
    };

    let first = db.store.refund_order(&request(order, item, 1), Some(fin), &gateway(&fake)).await.unwrap();
    assert_eq!(first.pending, 0);
    assert_eq!(first.refunds.len(), 1);
    assert_eq!(first.refunds[0].status, "succeeded");
    assert!(first.refunds[0].provider_refund_id.as_deref().unwrap().starts_with("re_"));
    assert_eq!(order_status(&db, order).await, "partially_refunded");
    let rest = u32::try_from(quantity - 1).unwrap();
    let second = db.store.refund_order(&request(order, item, rest), Some(fin), &gateway(&fake)).await.unwrap();
    assert_eq!(order_status(&db, order).await, "refunded");
    assert_eq!(
        first.refunded_minor + second.refunded_minor,
        subtotal + tax,
        "the parts add up to the line, tax included"
    );
    let sent: i64 = fake.state.lock().unwrap().refunds.iter().map(|r| r["amount"].as_i64().unwrap()).sum();
    assert_eq!(sent, subtotal + tax, "Stripe was asked for exactly that");
    let booked = count(
        &db.url,
        &format!("SELECT count(*) FROM ledger_transactions WHERE code = 'refund' AND order_id = '{order}' AND idempotency_key LIKE 'refund:%'"),
    )
    .await;
    assert_eq!(booked, 2, "one ledger posting per refund");
    assert_eq!(
        count(&db.url, &format!("SELECT CAST(refunded_quantity AS BIGINT) FROM order_items WHERE id = '{item}'")).await,
        i64::from(quantity)
    );
    assert_eq!(db.store.order_refunds(order).await.unwrap().len(), 2);
    assert_ledger_whole(&db.store, &db.url).await;

    let more = db.store.refund_order(&request(order, item, 1), Some(fin), &gateway(&fake)).await;
    assert!(matches!(&more, Err(StoreError::Validation(m)) if m.contains("only 0 unit")), "{more:?}");
    assert_eq!(fake.state.lock().unwrap().refunds.len(), 2, "nothing more went to Stripe");
    db.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_are_refused_before_stripe_and_write_nothing() {
    let db = seeded_pg().await;
    let fake = StripeFake::start(Duration::ZERO).await;
    let (order, item, quantity) = one_line_order(&db, 1).await;
    let too_many = request(order, item, u32::try_from(quantity + 1).unwrap());
    let r = db.store.refund_order(&too_many, None, &gateway(&fake)).await;
    assert!(matches!(&r, Err(StoreError::Validation(m)) if m.contains("left to refund")), "{r:?}");
    let mut bad_reason = request(order, item, 1);
    bad_reason.reason = "because'; DROP TABLE refunds; --".into();
    let r = db.store.refund_order(&bad_reason, None, &gateway(&fake)).await;
    assert!(matches!(&r, Err(StoreError::Validation(m)) if m.contains("not a refund reason")), "{r:?}");
    let foreign = request(order, Uuid::now_v7(), 1);
    let r = db.store.refund_order(&foreign, None, &gateway(&fake)).await;
    assert!(matches!(&r, Err(StoreError::NotFound { .. })), "{r:?}");
    assert_eq!(count(&db.url, &format!("SELECT count(*) FROM refunds WHERE order_id = '{order}'")).await, 0);
    assert_eq!(fake.state.lock().unwrap().posts, 0, "Stripe was never called");
    db.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refund_stripe_did_not_answer_stays_pending_and_is_finished_once() {
    let db = seeded_pg().await;
    let fake = StripeFake::start(Duration::ZERO).await;
    let (order, item, _) = one_line_order(&db, 1).await;
    fake.state.lock().unwrap().down = true;
    let outcome = db.store.refund_order(&request(order, item, 1), None, &gateway(&fake)).await.unwrap();
    assert_eq!((outcome.pending, outcome.refunded_minor), (1, 0));
    assert_eq!(outcome.refunds[0].status, "pending");
    let again = db.store.refund_order(&request(order, item, 1), None, &gateway(&fake)).await;
    assert!(matches!(&again, Err(StoreError::Busy(_))), "a second refund of the line waits for the first: {again:?}");
    assert_eq!(
        count(&db.url, "SELECT count(*) FROM ledger_transactions WHERE idempotency_key LIKE 'refund:%'").await,
        0
    );

    fake.state.lock().unwrap().down = false;
    let finish = RefundOrder { order_id: order, lines: vec![], reason: "damaged".into() };
    let done = db.store.refund_order(&finish, None, &gateway(&fake)).await.unwrap();
    assert_eq!(done.pending, 0);
    assert_eq!(done.refunds[0].status, "succeeded");
    assert_eq!(fake.state.lock().unwrap().refunds.len(), 1, "the buyer is refunded once");
    assert_eq!(
        count(&db.url, "SELECT count(*) FROM ledger_transactions WHERE idempotency_key LIKE 'refund:%'").await,
        1
    );
    let nothing = db.store.refund_order(&finish, None, &gateway(&fake)).await;
    assert!(matches!(&nothing, Err(StoreError::Validation(m)) if m.contains("nothing to refund")), "{nothing:?}");
    assert_ledger_whole(&db.store, &db.url).await;
    db.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_refunds_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store =
        Store::open(&DatabaseUrl::sqlite(dir.path().join("offline.sqlite")), &OpenOptions::create()).await.unwrap();
    store.migrate(|_| {}).await.unwrap();
    seed(&store, &seed_options(), |_| {}).await.unwrap();
    let fake = StripeFake::start(Duration::ZERO).await;
    let r = store.refund_order(&request(Uuid::now_v7(), Uuid::now_v7(), 1), None, &gateway(&fake)).await;
    assert!(matches!(&r, Err(StoreError::OnlineOnly(m)) if m.contains("Stripe")), "{r:?}");
    store.close().await;
}
