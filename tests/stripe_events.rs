//! Reconciliation from Stripe's events against a real PostgreSQL and the local
//! Stripe fake's `/v1/events`: each kind of event changes what it should,
//! every event is applied once whichever way and however often it arrives,
//! the cursor moves forward, and the ledger stays whole.

use marketdesk_core::finance::refunds::{RefundLine, RefundOrder};
use marketdesk_core::finance::stripe_events::Outcome;
use marketdesk_core::integrations::stripe::StripeEvent;
use marketdesk_core::store::{Store, StoreError};
use marketdesk_test_support::money::{Db, assert_ledger_whole, count, gateway, seeded_pg, user_id};
use marketdesk_test_support::stripe_fake::StripeFake;
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection};
use std::time::Duration;
use uuid::Uuid;

async fn conn(db: &Db) -> PgConnection {
    PgConnection::connect(&db.url).await.unwrap()
}

/// What the marketplace owes `vendor` in `currency` (ledger credit shown positive).
async fn owed(db: &Db, vendor: Uuid, currency: &str) -> i64 {
    let sum: i64 = sqlx::query_scalar(
        "SELECT CAST(coalesce(-sum(amount_minor), 0) AS BIGINT) FROM ledger_entries WHERE vendor_id = $1 AND currency = $2",
    )
    .bind(vendor)
    .bind(currency)
    .fetch_one(&mut conn(db).await)
    .await
    .unwrap();
    sum
}

/// What the ledger owes `vendor` again because payout `payout` came back.
async fn owed_again(db: &Db, payout: Uuid, vendor: Uuid) -> i64 {
    sqlx::query_scalar(
        "SELECT CAST(coalesce(-sum(e.amount_minor), 0) AS BIGINT) FROM ledger_entries e \
         JOIN ledger_transactions t ON t.id = e.transaction_id WHERE t.payout_id = $1 AND e.vendor_id = $2 \
         AND t.code = 'payout_reversed'",
    )
    .bind(payout)
    .bind(vendor)
    .fetch_one(&mut conn(db).await)
    .await
    .unwrap()
}

fn as_event(v: &Value) -> StripeEvent {
    StripeEvent {
        id: v["id"].as_str().unwrap().to_owned(),
        kind: v["type"].as_str().unwrap().to_owned(),
        created: v["created"].as_i64().unwrap(),
        account: None,
        object: v["data"]["object"].clone(),
    }
}

async fn outcome_of(db: &Db, event: &Value) -> (String, String) {
    sqlx::query_as("SELECT outcome, coalesce(detail, '') FROM stripe_events WHERE stripe_event_id = $1")
        .bind(event["id"].as_str().unwrap())
        .fetch_one(&mut conn(db).await)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_kind_of_event_is_applied_once_and_the_cursor_moves_on() {
    let db = seeded_pg().await;
    let fake = StripeFake::start(Duration::ZERO).await;
    let stripe = gateway(&fake);
    let fin = user_id(&db.store, "finance@marketdesk.demo").await;
    let mut c = conn(&db).await;

    // A paid payout, reversed in two steps.
    let (payout, vendor, amount, currency, transfer): (Uuid, Uuid, i64, String, String) = sqlx::query_as(
        "SELECT id, vendor_id, amount_minor, currency, stripe_transfer_id FROM payouts \
         WHERE status = 'paid' AND stripe_transfer_id IS NOT NULL AND amount_minor >= 100 ORDER BY paid_at DESC LIMIT 1",
    )
    .fetch_one(&mut c)
    .await
    .unwrap();
    let half = amount / 2;
    let transfer_json = |reversed: i64| {
        json!({ "id": transfer, "object": "transfer", "amount": amount, "amount_reversed": reversed,
                "currency": currency.to_lowercase(), "reversed": reversed == amount,
                "metadata": { "marketdesk_group": format!("payout:{payout}") } })
    };
    let partial = fake.push_event("transfer.reversed", transfer_json(half));

    // A refund left pending when Stripe did not answer, finished by Stripe later.
    let (order, item): (Uuid, Uuid) = sqlx::query_as(
        "SELECT i.order_id, i.id FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.status = 'delivered' \
         AND i.refunded_quantity = 0 AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.id) \
         AND EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.provider = 'stripe' AND p.status = 'succeeded') \
         AND (SELECT count(*) FROM order_items j WHERE j.order_id = o.id) = 1 ORDER BY o.placed_at LIMIT 1",
    )
    .fetch_one(&mut c)
    .await
    .unwrap();
    fake.state.lock().unwrap().down = true;
    let request = RefundOrder {
        order_id: order,
        lines: vec![RefundLine { order_item_id: item, quantity: 1 }],
        reason: "damaged".into(),
    };
    let left = db.store.refund_order(&request, Some(fin), &stripe).await.unwrap();
    assert_eq!(left.pending, 1, "Stripe was down: the refund waits");
    fake.state.lock().unwrap().down = false;
    let refund = &left.refunds[0];
    let intent: String =
        sqlx::query_scalar("SELECT provider_payment_id FROM payments WHERE order_id = $1 AND provider = 'stripe'")
            .bind(order)
            .fetch_one(&mut c)
            .await
            .unwrap();
    let finished = fake.push_event(
        "refund.updated",
        json!({ "id": "re_late000001", "object": "refund", "amount": refund.amount_minor, "currency": "usd",
                "status": "succeeded", "payment_intent": intent,
                "metadata": { "marketdesk_refund": refund.id.to_string() } }),
    );
    // A refund someone made in Stripe's dashboard: money left without a posting.
    let outside = fake.push_event(
        "charge.refund.updated",
        json!({ "id": "re_dashboard01", "object": "refund", "amount": 500, "currency": "usd",
                "status": "succeeded", "payment_intent": intent, "metadata": {} }),
    );

    // A vendor whose account Stripe now pays out to.
    let (account_vendor, account): (Uuid, String) = sqlx::query_as(
        "SELECT user_id, stripe_account_id FROM user_profiles WHERE stripe_account_id IS NOT NULL ORDER BY user_id LIMIT 1",
    )
    .fetch_one(&mut c)
    .await
    .unwrap();
    sqlx::query("UPDATE user_profiles SET payouts_enabled = false, verification_status = 'pending', verified_at = NULL WHERE user_id = $1")
        .bind(account_vendor)
        .execute(&mut c)
        .await
        .unwrap();
    let enabled = fake.push_event(
        "account.updated",
        json!({ "id": account, "object": "account", "payouts_enabled": true, "charges_enabled": true,
                "details_submitted": true, "requirements": { "currently_due": [], "disabled_reason": null } }),
    );

    // A chargeback on an order two vendors sold in: opened, then lost.
    let (dispute_order, dispute_intent, disputed, dispute_currency): (Uuid, String, i64, String) = sqlx::query_as(
        "SELECT o.id, p.provider_payment_id, p.amount_minor, o.currency FROM orders o \
         JOIN payments p ON p.order_id = o.id AND p.provider = 'stripe' AND p.status = 'succeeded' \
         WHERE o.status = 'delivered' AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.order_id = o.id) \
         AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.id) \
         AND (SELECT count(DISTINCT vendor_id) FROM order_items i WHERE i.order_id = o.id) = 2 ORDER BY o.placed_at LIMIT 1",
    )
    .fetch_one(&mut c)
    .await
    .unwrap();
    let dispute_vendors: Vec<Uuid> =
        sqlx::query_scalar("SELECT DISTINCT vendor_id FROM order_items WHERE order_id = $1 ORDER BY 1")
            .bind(dispute_order)
            .fetch_all(&mut c)
            .await
            .unwrap();
    let mut owed_by_vendor = Vec::new();
    for v in &dispute_vendors {
        owed_by_vendor.push(owed(&db, *v, &dispute_currency).await);
    }
    let dispute = |status: &str| {
        json!({ "id": "dp_fake000001", "object": "dispute", "amount": disputed,
                "currency": dispute_currency.to_lowercase(), "status": status, "reason": "product_not_received",
                "payment_intent": dispute_intent, "evidence_details": { "due_by": 1_790_000_000 },
                "balance_transactions": if status == "lost" { json!([{ "amount": -disputed, "fee": 1500 }]) } else { json!([]) } })
    };
    let opened = fake.push_event("charge.dispute.created", dispute("needs_response"));
    let lost = fake.push_event("charge.dispute.closed", dispute("lost"));

    // A vendor's subscription invoice paid, and the subscription set to end.
    let (subscription, sub_vendor): (String, String) = sqlx::query_as(
        "SELECT s.stripe_subscription_id, u.display_name FROM subscriptions s JOIN users u ON u.id = s.vendor_id \
         WHERE s.stripe_subscription_id IS NOT NULL AND s.status = 'active' ORDER BY s.id LIMIT 1",
    )
    .fetch_one(&mut c)
    .await
    .unwrap();
    let invoice = fake.push_event(
        "invoice.paid",
        json!({ "id": "in_fake000001", "object": "invoice", "amount_paid": 2900, "currency": "usd", "status": "paid",
                "parent": { "subscription_details": { "subscription": subscription } } }),
    );
    let ending = fake.push_event(
        "customer.subscription.updated",
        json!({ "id": subscription, "object": "subscription", "status": "active", "cancel_at_period_end": true,
                "items": { "data": [{ "current_period_start": 1_780_000_000, "current_period_end": 1_782_592_000 }] } }),
    );
    let unknown = fake.push_event("customer.created", json!({ "id": "cus_fake01", "object": "customer" }));

    // The first poll: no cursor yet, so it walks back and applies oldest first.
    let mut seen = Vec::new();
    let report = db.store.reconcile_stripe_events(&stripe, Some(fin), |r| seen.push(r.seen)).await.unwrap();
    assert_eq!(report.seen, 9);
    assert_eq!(seen, (1..=9).collect::<Vec<_>>(), "progress after each event");
    assert_eq!((report.applied, report.ignored, report.attention, report.duplicates), (7, 1, 1, 0), "{report:?}");
    assert_eq!(report.cursor.as_deref(), unknown["id"].as_str());

    // The reversal: half the payout is owed again, and the payout stays paid.
    assert_eq!(owed_again(&db, payout, vendor).await, half);
    assert_eq!(outcome_of(&db, &partial).await.0, "applied");
    let status: String =
        sqlx::query_scalar("SELECT status FROM payouts WHERE id = $1").bind(payout).fetch_one(&mut c).await.unwrap();
    assert_eq!(status, "paid");
    // The refund Stripe finished is booked exactly as if the call had answered.
    let (refund_status, provider): (String, Option<String>) =
        sqlx::query_as("SELECT status, provider_refund_id FROM refunds WHERE id = $1")
            .bind(refund.id)
            .fetch_one(&mut c)
            .await
            .unwrap();
    assert_eq!((refund_status.as_str(), provider.as_deref()), ("succeeded", Some("re_late000001")));
    assert_eq!(
        count(&db.url, &format!("SELECT count(*) FROM ledger_transactions WHERE refund_id = '{}'", refund.id)).await,
        1
    );
    assert_eq!(outcome_of(&db, &finished).await.0, "applied");
    let (flag, why) = outcome_of(&db, &outside).await;
    assert_eq!(flag, "attention");
    assert!(why.contains("outside Marketdesk"), "{why}");
    // The account.
    let (enabled_now, verification): (bool, String) =
        sqlx::query_as("SELECT payouts_enabled, verification_status FROM user_profiles WHERE user_id = $1")
            .bind(account_vendor)
            .fetch_one(&mut c)
            .await
            .unwrap();
    assert!(enabled_now);
    assert_eq!(verification, "verified");
    assert_eq!(outcome_of(&db, &enabled).await.0, "applied");
    // The chargeback: one dispute row, closed; the amount taken from both vendors, the fee from the platform.
    let (kind, dstatus, due): (String, String, Option<chrono::DateTime<chrono::Utc>>) = sqlx::query_as(
        "SELECT kind, status, evidence_due_at FROM disputes WHERE stripe_dispute_id = 'dp_fake000001' AND order_id = $1",
    )
    .bind(dispute_order)
    .fetch_one(&mut c)
    .await
    .unwrap();
    assert_eq!((kind.as_str(), dstatus.as_str()), ("chargeback", "closed"));
    assert_eq!(due.map(|d| d.timestamp()), Some(1_790_000_000));
    assert_eq!(outcome_of(&db, &opened).await.0, "applied");
    let mut taken = 0;
    for (v, before) in dispute_vendors.iter().zip(&owed_by_vendor) {
        let delta = before - owed(&db, *v, &dispute_currency).await;
        assert!(delta > 0, "each vendor bears part of the chargeback");
        taken += delta;
    }
    assert_eq!(taken, disputed, "the vendors' shares add up to the disputed amount");
    assert_eq!(
        count(&db.url, "SELECT count(*) FROM ledger_transactions WHERE idempotency_key = 'dispute-lost:dp_fake000001'")
            .await,
        1
    );
    assert!(outcome_of(&db, &lost).await.1.contains("fee 1500"));
    // The subscription.
    assert_eq!(
        count(&db.url, "SELECT count(*) FROM ledger_transactions WHERE idempotency_key = 'invoice:in_fake000001' AND code = 'subscription_paid'")
            .await,
        1
    );
    assert!(outcome_of(&db, &invoice).await.1.contains(&sub_vendor));
    let (cancel_at_end, period_end): (bool, chrono::DateTime<chrono::Utc>) = sqlx::query_as(
        "SELECT cancel_at_period_end, current_period_end FROM subscriptions WHERE stripe_subscription_id = $1",
    )
    .bind(&subscription)
    .fetch_one(&mut c)
    .await
    .unwrap();
    assert!(cancel_at_end);
    assert_eq!(period_end.timestamp(), 1_782_592_000);
    assert_eq!(outcome_of(&db, &ending).await.0, "applied");
    assert_eq!(outcome_of(&db, &unknown).await.0, "ignored");
    assert_ledger_whole(&db.store, &db.url).await;

    // Nothing new: the next poll asks only for what came after the cursor.
    let again = db.store.reconcile_stripe_events(&stripe, Some(fin), |_| {}).await.unwrap();
    assert_eq!(again.seen, 0);
    let last_query = fake.state.lock().unwrap().event_queries.last().cloned().unwrap();
    assert!(last_query.contains(&format!("ending_before={}", unknown["id"].as_str().unwrap())), "{last_query}");

    // The rest of the payout comes back; the webhook delivers it first, then the poll sees it too.
    let rest = fake.push_event("transfer.reversed", transfer_json(amount));
    let pushed = as_event(&rest);
    let (a, b) =
        tokio::join!(db.store.apply_stripe_event(&pushed, Some(fin)), db.store.apply_stripe_event(&pushed, Some(fin)));
    let mut outcomes = [a.unwrap().label(), b.unwrap().label()];
    outcomes.sort_unstable();
    assert_eq!(outcomes, ["applied", "duplicate"], "two deliveries at once: applied once");
    let polled = db.store.reconcile_stripe_events(&stripe, Some(fin), |_| {}).await.unwrap();
    assert_eq!((polled.seen, polled.duplicates, polled.applied), (1, 1, 0));
    assert_eq!(owed_again(&db, payout, vendor).await, amount, "the whole payout is owed again, once");
    let status: String =
        sqlx::query_scalar("SELECT status FROM payouts WHERE id = $1").bind(payout).fetch_one(&mut c).await.unwrap();
    assert_eq!(status, "reversed");
    // An old event delivered again changes nothing.
    assert_eq!(db.store.apply_stripe_event(&as_event(&lost), Some(fin)).await.unwrap(), Outcome::Duplicate);
    assert_eq!(
        count(&db.url, "SELECT count(*) FROM ledger_transactions WHERE idempotency_key = 'dispute-lost:dp_fake000001'")
            .await,
        1
    );
    assert_ledger_whole(&db.store, &db.url).await;

    // Finance resolves what needed attention, saying how; once.
    let waiting = db.store.stripe_events(true, 50).await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].stripe_event_id, outside["id"].as_str().unwrap());
    let err = db.store.resolve_stripe_event(waiting[0].id, "  ", fin).await.unwrap_err();
    assert!(matches!(err, StoreError::Validation(_)), "{err}");
    let done = db.store.resolve_stripe_event(waiting[0].id, "booked as a correction", fin).await.unwrap();
    assert_eq!((done.outcome.as_str(), done.resolved_by), ("resolved", Some(fin)));
    assert!(done.detail.unwrap().ends_with("resolved: booked as a correction"));
    assert!(db.store.stripe_events(true, 50).await.unwrap().is_empty());
    let err = db.store.resolve_stripe_event(waiting[0].id, "again", fin).await.unwrap_err();
    assert!(matches!(err, StoreError::Validation(_)), "{err}");
    assert_eq!(db.store.stripe_events(false, 100).await.unwrap().len(), 10);
    db.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_that_cannot_be_applied_is_kept_for_finance_and_does_not_block_the_rest() {
    let db = seeded_pg().await;
    let fake = StripeFake::start(Duration::ZERO).await;
    let stripe = gateway(&fake);
    // A chargeback in a currency Marketdesk does not keep, then an ordinary event.
    let bad = fake.push_event(
        "charge.dispute.created",
        json!({ "id": "dp_odd", "object": "dispute", "amount": 100, "currency": "x1", "status": "needs_response",
                "payment_intent": "pi_unknown" }),
    );
    let later = fake.push_event("customer.created", json!({ "id": "cus_x", "object": "customer" }));
    let report = db.store.reconcile_stripe_events(&stripe, None, |_| {}).await.unwrap();
    assert_eq!((report.seen, report.attention, report.ignored), (2, 1, 1));
    let (flag, why) = outcome_of(&db, &bad).await;
    assert_eq!(flag, "attention");
    assert!(why.contains("could not be applied"), "{why}");
    assert_eq!(outcome_of(&db, &later).await.0, "ignored");
    assert_eq!(count(&db.url, "SELECT count(*) FROM disputes WHERE stripe_dispute_id = 'dp_odd'").await, 0);

    // A cursor Stripe has forgotten (events are kept 30 days): the poll reads back instead,
    // and what it had applied already is recognised, not applied again.
    sqlx::query("UPDATE integration_cursors SET position = 'evt_forgotten' WHERE name = 'stripe.events'")
        .execute(&mut conn(&db).await)
        .await
        .unwrap();
    let newer = fake.push_event("customer.created", json!({ "id": "cus_y", "object": "customer" }));
    let report = db.store.reconcile_stripe_events(&stripe, None, |_| {}).await.unwrap();
    assert_eq!((report.seen, report.duplicates, report.ignored), (3, 2, 1), "{report:?}");
    assert_eq!(report.cursor.as_deref(), newer["id"].as_str());

    // Offline (SQLite) there is nothing to reconcile against.
    let dir = tempfile::tempdir().unwrap();
    let local = Store::open(
        &marketdesk_core::store::DatabaseUrl::parse(&format!("sqlite://{}", dir.path().join("l.db").display()))
            .unwrap(),
        &marketdesk_core::store::OpenOptions { create: true, ..Default::default() },
    )
    .await
    .unwrap();
    let err = local.reconcile_stripe_events(&stripe, None, |_| {}).await.unwrap_err();
    assert!(matches!(err, StoreError::OnlineOnly(_)), "{err}");
    local.close().await;
    db.drop_database().await;
}

/// Payments Stripe settles after the order was placed: a success is booked
/// once (capture posted by the same rule, order paid), a failure of a pending
/// payment is recorded, and whatever disagrees with our records goes to finance.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payments_settled_at_stripe_are_booked_once_and_disagreements_go_to_finance() {
    let db = seeded_pg().await;
    let fake = StripeFake::start(Duration::ZERO).await;
    let stripe = gateway(&fake);
    let fin = user_id(&db.store, "finance@marketdesk.demo").await;
    let mut c = conn(&db).await;
    // Three orders placed and awaiting payment, as the storefront leaves them
    // (the seed's unpaid and cancelled orders have no capture booked).
    let pending: Vec<(Uuid, String, i64, String)> = sqlx::query_as(
        "SELECT o.id, p.provider_payment_id, p.amount_minor, o.currency FROM orders o JOIN payments p ON p.order_id = o.id \
         WHERE o.status IN ('pending', 'cancelled') AND p.provider_payment_id IS NOT NULL AND o.currency = 'USD' \
         AND NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.order_id = o.id) ORDER BY o.placed_at LIMIT 3",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    assert_eq!(pending.len(), 3, "the seed has unpaid orders");
    for (o, ..) in &pending {
        sqlx::query("UPDATE orders SET status = 'pending' WHERE id = $1").bind(o).execute(&mut c).await.unwrap();
        sqlx::query("UPDATE payments SET status = 'requires_payment' WHERE order_id = $1")
            .bind(o)
            .execute(&mut c)
            .await
            .unwrap();
    }
    let [(order, pi, amount, _), (_, short_pi, short_amount, _), (failing_order, failing_pi, _, _)] =
        <[_; 3]>::try_from(pending).unwrap();
    let vendors: Vec<(Uuid, i64)> = sqlx::query_as(
        "SELECT vendor_id, CAST(sum(subtotal_minor - commission_minor) AS BIGINT) FROM order_items \
         WHERE order_id = $1 AND deleted_at IS NULL GROUP BY vendor_id",
    )
    .bind(order)
    .fetch_all(&mut c)
    .await
    .unwrap();
    let mut before = Vec::new();
    for (v, _) in &vendors {
        before.push(owed(&db, *v, "USD").await);
    }
    let intent = |id: &str, received: i64| {
        json!({ "id": id, "object": "payment_intent", "amount": received, "amount_received": received,
                "currency": "usd", "status": "succeeded", "created": 1_790_000_000 })
    };
    let taken = fake.push_event("payment_intent.succeeded", intent(&pi, amount));
    let short = fake.push_event("payment_intent.succeeded", intent(&short_pi, short_amount - 1));
    let failed = fake.push_event(
        "payment_intent.payment_failed",
        json!({ "id": failing_pi, "object": "payment_intent", "amount": 100, "currency": "usd",
                "status": "requires_payment_method", "last_payment_error": { "message": "Your card was declined." } }),
    );
    let stranger = fake.push_event(
        "payment_intent.succeeded",
        json!({ "id": "pi_elsewhere", "object": "payment_intent", "amount_received": 4200, "currency": "usd",
                "metadata": { "marketdesk_order": "MD-999999" } }),
    );
    let report = db.store.reconcile_stripe_events(&stripe, Some(fin), |_| {}).await.unwrap();
    assert_eq!((report.seen, report.applied, report.attention), (4, 2, 2), "{report:?}");

    // Taken: the capture is posted once, each vendor is owed its net share, the order is paid.
    let (flag, detail) = outcome_of(&db, &taken).await;
    assert_eq!(flag, "applied", "{detail}");
    assert!(detail.contains("the order is paid"), "{detail}");
    let (status, payment): (String, String) =
        sqlx::query_as("SELECT o.status, p.status FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.id = $1")
            .bind(order)
            .fetch_one(&mut c)
            .await
            .unwrap();
    assert_eq!((status.as_str(), payment.as_str()), ("paid", "succeeded"));
    let captures =
        format!("SELECT count(*) FROM ledger_transactions WHERE code = 'payment_captured' AND order_id = '{order}'");
    assert_eq!(count(&db.url, &captures).await, 1);
    for ((v, net), was) in vendors.iter().zip(before) {
        assert_eq!(owed(&db, *v, "USD").await - was, *net, "vendor {v} is owed its share of the order");
    }
    assert_ledger_whole(&db.store, &db.url).await;

    // A different amount, a failed payment, a payment Marketdesk never saw.
    let (flag, detail) = outcome_of(&db, &short).await;
    assert_eq!(flag, "attention");
    assert!(detail.contains("nothing booked"), "{detail}");
    let (flag, detail) = outcome_of(&db, &failed).await;
    assert_eq!(flag, "applied", "{detail}");
    let (pstatus, reason): (String, Option<String>) =
        sqlx::query_as("SELECT status, failure_reason FROM payments WHERE order_id = $1")
            .bind(failing_order)
            .fetch_one(&mut c)
            .await
            .unwrap();
    assert_eq!((pstatus.as_str(), reason.as_deref()), ("failed", Some("Your card was declined.")));
    let (flag, detail) = outcome_of(&db, &stranger).await;
    assert_eq!(flag, "attention");
    assert!(detail.contains("MD-999999") && detail.contains("no payment"), "{detail}");

    // Stripe tells it again (a new event for the same payment): nothing more is booked.
    let again = fake.push_event("payment_intent.succeeded", intent(&pi, amount));
    // And then says the booked payment failed: that is for finance, not undone silently.
    let reversed = fake.push_event(
        "payment_intent.payment_failed",
        json!({ "id": pi, "object": "payment_intent", "amount": amount, "currency": "usd",
                "last_payment_error": { "message": "Fraud suspected." } }),
    );
    let report = db.store.reconcile_stripe_events(&stripe, Some(fin), |_| {}).await.unwrap();
    assert_eq!((report.seen, report.ignored, report.attention), (2, 1, 1), "{report:?}");
    assert!(outcome_of(&db, &again).await.1.contains("agrees with the ledger"));
    assert!(outcome_of(&db, &reversed).await.1.contains("Fraud suspected."));
    assert_eq!(count(&db.url, &captures).await, 1, "booked once");
    assert_ledger_whole(&db.store, &db.url).await;
    db.drop_database().await;
}

/// The worker's webhook endpoint, as Stripe reaches it: the built binary,
/// real HTTP, signatures made as Stripe makes them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_applies_signed_deliveries_and_refuses_the_rest() {
    use marketdesk_core::integrations::stripe::webhook::signature_header;
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    const SECRET: &str = "whsec_marketdesk_test";
    let db = seeded_pg().await;
    let fake = StripeFake::start(Duration::ZERO).await;
    let home = tempfile::tempdir().unwrap();
    let mut child = Command::new(marketdesk_test_support::marketdesk_bin())
        .args(["--database-url", &db.url, "worker", "--webhook-listen", "127.0.0.1:0", "--poll-every", "0"])
        .args(["--as", "finance@marketdesk.demo"])
        .env_remove("MARKETDESK_DATABASE_URL")
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("MARKETDESK_STRIPE_WEBHOOK_SECRET", SECRET)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Both pipes are read to the end on threads of their own, so the worker
    // never blocks on a full pipe; its first line says where it listens.
    let (said, first) = std::sync::mpsc::channel::<String>();
    let out = BufReader::new(child.stdout.take().unwrap());
    std::thread::spawn(move || {
        for line in out.lines().map_while(Result::ok) {
            let _ = said.send(line);
        }
    });
    let err = BufReader::new(child.stderr.take().unwrap());
    std::thread::spawn(move || err.lines().map_while(Result::ok).for_each(|l| eprintln!("worker: {l}")));
    let line = first.recv_timeout(Duration::from_secs(60)).expect("the worker says where it listens within a minute");
    let url = line
        .trim()
        .strip_prefix("listening for Stripe webhooks on ")
        .unwrap_or_else(|| panic!("the worker says where it listens, said {line:?}"))
        .to_owned();
    let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
    let post = |body: Vec<u8>, signature: Option<String>| {
        let mut r = http.post(&url).header("content-type", "application/json").body(body);
        if let Some(s) = signature {
            r = r.header("Stripe-Signature", s);
        }
        r.send()
    };
    let now = chrono::Utc::now().timestamp();

    let (transfer, amount, payout): (String, i64, Uuid) = sqlx::query_as(
        "SELECT stripe_transfer_id, amount_minor, id FROM payouts WHERE status = 'paid' AND stripe_transfer_id IS NOT NULL LIMIT 1",
    )
    .fetch_one(&mut conn(&db).await)
    .await
    .unwrap();
    let event = fake.push_event(
        "transfer.reversed",
        json!({ "id": transfer, "object": "transfer", "amount": amount, "amount_reversed": amount, "reversed": true,
                "currency": "usd" }),
    );
    let body = serde_json::to_vec(&event).unwrap();

    // Refused: unsigned, signed with another secret, a changed body, an old signature.
    let unsigned = post(body.clone(), None).await.unwrap();
    assert_eq!(unsigned.status(), 400);
    assert!(unsigned.text().await.unwrap().contains("no Stripe-Signature"));
    let forged = post(body.clone(), Some(signature_header("whsec_someone_else", now, &body))).await.unwrap();
    assert_eq!(forged.status(), 400);
    let mut changed = body.clone();
    let at = changed.len() / 2;
    changed[at] = if changed[at] == b'1' { b'2' } else { b'1' };
    let tampered = post(changed, Some(signature_header(SECRET, now, &body))).await.unwrap();
    assert_eq!(tampered.status(), 400);
    let replayed = post(body.clone(), Some(signature_header(SECRET, now - 3600, &body))).await.unwrap();
    assert_eq!(replayed.status(), 400);
    assert!(replayed.text().await.unwrap().contains("3600 s"));
    assert_eq!(http.get(&url).send().await.unwrap().status(), 405);
    assert_eq!(count(&db.url, "SELECT count(*) FROM stripe_events").await, 0, "nothing refused was recorded");

    // Accepted once; the same delivery again is acknowledged and changes nothing.
    let ok = post(body.clone(), Some(signature_header(SECRET, now, &body))).await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.json::<Value>().await.unwrap()["outcome"], "applied");
    let again = post(body.clone(), Some(signature_header(SECRET, now + 1, &body))).await.unwrap();
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.unwrap()["outcome"], "duplicate");
    let status: String = sqlx::query_scalar("SELECT status FROM payouts WHERE id = $1")
        .bind(payout)
        .fetch_one(&mut conn(&db).await)
        .await
        .unwrap();
    assert_eq!(status, "reversed");
    let (source, by): (String, Option<Uuid>) = sqlx::query_as(
        "SELECT e.source, t.created_by FROM stripe_events e, ledger_transactions t \
         WHERE e.stripe_event_id = $1 AND t.payout_id = $2 AND t.code = 'payout_reversed'",
    )
    .bind(event["id"].as_str().unwrap())
    .bind(payout)
    .fetch_one(&mut conn(&db).await)
    .await
    .unwrap();
    assert_eq!(source, "webhook");
    assert_eq!(by, Some(user_id(&db.store, "finance@marketdesk.demo").await), "booked in the finance person's name");
    assert_ledger_whole(&db.store, &db.url).await;

    child.kill().unwrap();
    let _ = child.wait();
    db.drop_database().await;
}
