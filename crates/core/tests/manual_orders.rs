//! Orders taken by hand against a real PostgreSQL and the local Stripe fake:
//! the database writes the order pending with its units held, the customer is
//! mailed a Checkout Session link, and Stripe's events — in either order, or
//! an expiry and a second link — book the payment once, mark the order paid
//! and turn the held units into sold ones; a bank debit refused later leaves
//! the order to a new link. The sales rollups kept by triggers
//! agree with a rebuild from the orders afterwards, on both engines.

use marketdesk_core::domain::{Currency, Role};
use marketdesk_core::integrations::stripe::StripeGateway;
use marketdesk_core::orders::cancel::{CancelOrder, CancelReason, cancel_order};
use marketdesk_core::orders::manual::{
    ManualLine, ManualOrder, RETURN_URL_SETTING, send_payment_link, take_manual_order,
};
use marketdesk_core::orders::view::Reader;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::orders::{LinkState, NewOrder};
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store, StoreError};
use marketdesk_test_support::money::{Db, assert_ledger_whole, count, gateway, seeded_pg, user_id};
use marketdesk_test_support::stripe_fake::StripeFake;
use sqlx::{Connection, PgConnection};
use std::time::Duration;
use uuid::Uuid;

/// Two approved USD variants of different vendors with units free to sell, and an active customer.
async fn catalog(url: &str) -> (Uuid, Uuid, Uuid) {
    let mut conn = PgConnection::connect(url).await.unwrap();
    let variants: Vec<Uuid> = sqlx::query_scalar(
        "SELECT DISTINCT ON (p.vendor_id) v.id FROM product_variants v JOIN products p ON p.id = v.product_id \
         JOIN users u ON u.id = p.vendor_id \
         WHERE p.status = 'approved' AND v.is_active AND v.currency = 'USD' AND u.status = 'active' \
         AND v.stock_on_hand - v.stock_reserved >= 5 AND v.deleted_at IS NULL AND p.deleted_at IS NULL \
         ORDER BY p.vendor_id, v.sku LIMIT 2",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let customer: Uuid = sqlx::query_scalar(
        "SELECT id FROM users WHERE role = 'customer' AND status = 'active' AND deleted_at IS NULL ORDER BY email LIMIT 1",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    (variants[0], variants[1], customer)
}

async fn stock(url: &str, variant: Uuid) -> (i32, i32) {
    let mut conn = PgConnection::connect(url).await.unwrap();
    sqlx::query_as("SELECT stock_on_hand, stock_reserved FROM product_variants WHERE id = $1")
        .bind(variant)
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

async fn order_status(url: &str, order: Uuid) -> String {
    let mut conn = PgConnection::connect(url).await.unwrap();
    sqlx::query_scalar("SELECT status FROM orders WHERE id = $1").bind(order).fetch_one(&mut conn).await.unwrap()
}

/// Where a test's database is, to read it beside the core.
enum At<'a> {
    Pg(&'a str),
    Lite(&'a std::path::Path),
}

/// Every rollup row as text, to compare the triggers' figures with a rebuild.
async fn rollups(at: At<'_>) -> Vec<String> {
    let grains = [
        ("sales_daily_totals", vec!["day", "currency", "orders"]),
        ("sales_daily_vendors", vec!["day", "vendor_id", "currency", "orders"]),
        ("sales_daily_categories", vec!["day", "category_id", "currency"]),
        ("sales_daily", vec!["day", "vendor_id", "category_id", "currency"]),
    ];
    let mut all = Vec::new();
    for (table, key) in grains {
        let mut cols: Vec<String> = key.iter().map(|c| (*c).to_owned()).collect();
        cols.extend(["units", "gross_minor", "commission_minor", "refunded_minor"].map(str::to_owned));
        let filter = "WHERE units <> 0 OR gross_minor <> 0 OR refunded_minor <> 0 ORDER BY 1";
        let rows: Vec<String> = match at {
            At::Pg(url) => {
                let sql = format!("SELECT concat_ws('|', {}) FROM {table} {filter}", cols.join(", "));
                let mut c = PgConnection::connect(url).await.unwrap();
                sqlx::query_scalar(&sql).fetch_all(&mut c).await.unwrap()
            }
            At::Lite(path) => {
                let parts: Vec<String> = cols
                    .iter()
                    .map(|c| if c.ends_with("_id") { format!("lower(hex({c}))") } else { format!("CAST({c} AS TEXT)") })
                    .collect();
                let sql = format!("SELECT {} FROM {table} {filter}", parts.join(" || '|' || "));
                let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
                sqlx::query_scalar(&sql).fetch_all(&mut c).await.unwrap()
            }
        };
        all.extend(rows.into_iter().map(|r| format!("{table}:{r}")));
    }
    all
}

/// A seeded database, the Stripe fake with the real client on it, the
/// admin, two variants for sale and a customer.
struct Shop {
    db: Db,
    fake: StripeFake,
    stripe: StripeGateway,
    me: Uuid,
    a: Uuid,
    b: Uuid,
    customer: Uuid,
}

async fn shop() -> Shop {
    let db = seeded_pg().await;
    let fake = StripeFake::start(Duration::ZERO).await;
    let stripe = gateway(&fake);
    let me = user_id(&db.store, "admin@marketdesk.demo").await;
    let (a, b, customer) = catalog(&db.url).await;
    Shop { db, fake, stripe, me, a, b, customer }
}

fn admin(id: Uuid) -> Reader {
    Reader { id, role: Role::Admin }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_taken_by_hand_is_held_linked_and_paid_once() {
    let Shop { db, fake, stripe, me, a, b, customer } = shop().await;
    let order = ManualOrder {
        customer_id: customer,
        currency: Currency::USD,
        lines: vec![
            ManualLine { variant_id: a, quantity: 2 },
            ManualLine { variant_id: b, quantity: 1 },
            ManualLine { variant_id: a, quantity: 1 },
        ],
        shipping_minor: 650,
    };

    // Without the page customers land on, nothing is written.
    let orders_before = count(&db.url, "SELECT count(*) FROM orders").await;
    let e = take_manual_order(&db.store, admin(me), &stripe, &order).await.unwrap_err();
    assert!(e.to_string().contains(RETURN_URL_SETTING), "{e}");
    db.store.put_setting(RETURN_URL_SETTING, "\"https://shop.example.com/thanks\"", "After paying").await.unwrap();

    // Only admins; more than is free is refused in words; nothing written either way.
    let vendor = Reader { id: me, role: Role::Vendor };
    assert!(matches!(take_manual_order(&db.store, vendor, &stripe, &order).await, Err(StoreError::AccessDenied(_))));
    let (on_hand_a, held_a) = stock(&db.url, a).await;
    let greedy = ManualOrder {
        lines: vec![ManualLine { variant_id: a, quantity: u32::try_from(on_hand_a - held_a + 1).unwrap() }],
        ..order.clone()
    };
    let e = take_manual_order(&db.store, admin(me), &stripe, &greedy).await.unwrap_err();
    assert!(e.to_string().contains("free to sell"), "{e}");
    let euros = ManualOrder { currency: Currency::EUR, ..order.clone() };
    let e = take_manual_order(&db.store, admin(me), &stripe, &euros).await.unwrap_err();
    assert!(e.to_string().contains("is priced in USD, the order is in EUR"), "{e}");
    assert_eq!(count(&db.url, "SELECT count(*) FROM orders").await, orders_before);
    assert!(fake.sessions().is_empty());

    // Taken: pending, three units of A and one of B held, a link mailed.
    let (on_hand_b, held_b) = stock(&db.url, b).await;
    let taken = take_manual_order(&db.store, admin(me), &stripe, &order).await.unwrap();
    assert_eq!(taken.link_error, None);
    let link = taken.link.clone().unwrap();
    let mut conn = PgConnection::connect(&db.url).await.unwrap();
    let (status, subtotal, total): (String, i64, i64) =
        sqlx::query_as("SELECT status, subtotal_minor, total_minor FROM orders WHERE id = $1")
            .bind(taken.order_id)
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!((status.as_str(), total, taken.total_minor), ("pending", subtotal + 650, total));
    assert_eq!(stock(&db.url, a).await, (on_hand_a, held_a + 3));
    assert_eq!(stock(&db.url, b).await, (on_hand_b, held_b + 1));
    let sessions = fake.sessions();
    assert_eq!(sessions.len(), 1);
    let session = sessions[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(sessions[0]["amount_total"].as_i64(), Some(total));
    assert_eq!(sessions[0]["metadata"]["marketdesk_order"], serde_json::json!(taken.number));
    assert_eq!(sessions[0]["success_url"], serde_json::json!("https://shop.example.com/thanks"));
    let lines = fake.checkout_lines(&session);
    assert_eq!(lines.len(), 3, "two products and the shipping: {lines:?}");
    assert!(lines.iter().any(|l| l["description"] == serde_json::json!("Shipping") && l["amount_total"] == 650));
    assert_eq!(link.url, sessions[0]["url"].as_str().unwrap());
    let mails: Vec<(String, String)> =
        sqlx::query_as("SELECT to_address, body_text FROM email_outbox WHERE subject = $1 ORDER BY created_at")
            .bind(format!("Pay for your order {}", taken.number))
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].0, link.mailed_to);
    assert!(mails[0].1.contains(&link.url) && mails[0].1.contains("Shipping"), "{}", mails[0].1);
    let rollups_pending = rollups(At::Pg(&db.url)).await;

    // Sent again while fresh: the same page, a second mail, no new session.
    let again = send_payment_link(&db.store, admin(me), &stripe, taken.order_id).await.unwrap();
    assert_eq!((again.url.as_str(), fake.sessions().len()), (link.url.as_str(), 1));

    // The customer pays; only the session's event arrives.
    let pi = fake.pay_checkout(&session, false);
    let report = db.store.reconcile_stripe_events(&stripe, None, |_| {}).await.unwrap();
    assert_eq!((report.applied, report.attention), (1, 0), "{report:?}");
    assert_eq!(order_status(&db.url, taken.order_id).await, "paid");
    let (pay_status, pay_pi): (String, Option<String>) =
        sqlx::query_as("SELECT status, provider_payment_id FROM payments WHERE order_id = $1")
            .bind(taken.order_id)
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!((pay_status.as_str(), pay_pi.as_deref()), ("succeeded", Some(pi.as_str())));
    assert_eq!(stock(&db.url, a).await, (on_hand_a - 3, held_a), "the held units were sold");
    assert_eq!(stock(&db.url, b).await, (on_hand_b - 1, held_b));
    let captured = format!(
        "SELECT count(*) FROM ledger_transactions WHERE code = 'payment_captured' AND order_id = '{}'",
        taken.order_id
    );
    assert_eq!(count(&db.url, &captured).await, 1);
    let rollups_paid = rollups(At::Pg(&db.url)).await;
    assert_ne!(rollups_paid, rollups_pending, "the paid order entered the rollups");
    let e = send_payment_link(&db.store, admin(me), &stripe, taken.order_id).await.unwrap_err();
    assert!(e.to_string().contains("not waiting for a payment link"), "{e}");

    // Stripe down: the order stands with its units held and says why no link
    // went out; once Stripe answers, the link is sent.
    fake.state.lock().unwrap().down = true;
    let third = ManualOrder { lines: vec![ManualLine { variant_id: b, quantity: 1 }], ..order.clone() };
    let held_before = stock(&db.url, b).await.1;
    let stuck = take_manual_order(&db.store, admin(me), &stripe, &third).await.unwrap();
    assert_eq!(stuck.link, None);
    assert!(stuck.link_error.as_deref().unwrap_or_default().contains("send the link again later"), "{stuck:?}");
    assert_eq!(stock(&db.url, b).await.1, held_before + 1, "the order stands, its unit held");
    fake.state.lock().unwrap().down = false;
    let sent = send_payment_link(&db.store, admin(me), &stripe, stuck.order_id).await.unwrap();
    assert_eq!(sent.url, fake.sessions()[1]["url"].as_str().unwrap());
    let (version,): (i64,) = sqlx::query_as("SELECT version FROM orders WHERE id = $1")
        .bind(stuck.order_id)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let cancel = CancelOrder {
        order_id: stuck.order_id,
        version,
        vendor_id: None,
        reason: CancelReason::CustomerRequest,
        note: String::new(),
    };
    cancel_order(&db.store, admin(me), &cancel).await.unwrap();
    assert_eq!(stock(&db.url, b).await.1, held_before, "cancelling releases what it held");
    let e = send_payment_link(&db.store, admin(me), &stripe, stuck.order_id).await.unwrap_err();
    assert!(e.to_string().contains("not waiting for a payment link"), "{e}");

    // A second order: its link expires, a new one is sent, and the
    // PaymentIntent's own event arrives before the session's.
    let second = ManualOrder { lines: vec![ManualLine { variant_id: b, quantity: 2 }], ..order.clone() };
    let taken2 = take_manual_order(&db.store, admin(me), &stripe, &second).await.unwrap();
    let first_session = fake.sessions()[2]["id"].as_str().unwrap().to_owned();
    fake.expire_checkout(&first_session);
    let report = db.store.reconcile_stripe_events(&stripe, None, |_| {}).await.unwrap();
    assert_eq!(report.applied, 1, "{report:?}");
    assert_eq!(stock(&db.url, b).await.1, held_b + 2, "an expired link keeps the units held");
    let renewed = send_payment_link(&db.store, admin(me), &stripe, taken2.order_id).await.unwrap();
    assert_eq!(fake.sessions().len(), 4, "an expired page is replaced");
    let new_session = fake.sessions()[3]["id"].as_str().unwrap().to_owned();
    assert_eq!(renewed.url, fake.sessions()[3]["url"].as_str().unwrap());
    fake.pay_checkout(&new_session, true);
    let report = db.store.reconcile_stripe_events(&stripe, None, |_| {}).await.unwrap();
    assert_eq!((report.applied, report.ignored, report.attention), (1, 1, 0), "{report:?}");
    let captured2 = format!(
        "SELECT count(*) FROM ledger_transactions WHERE code = 'payment_captured' AND order_id = '{}'",
        taken2.order_id
    );
    assert_eq!(count(&db.url, &captured2).await, 1, "booked once though told twice");
    assert_eq!(stock(&db.url, b).await, (on_hand_b - 3, held_b));

    // An order placed already paid is counted too; the triggers agree with a rebuild.
    db.store
        .place_order(&NewOrder {
            customer_id: customer,
            currency: Currency::USD,
            lines: vec![(a, 1)],
            shipping_minor: 0,
            commission_bps: 1200,
        })
        .await
        .unwrap();
    let kept = rollups(At::Pg(&db.url)).await;
    db.store.rebuild_sales_rollups().await.unwrap();
    assert_eq!(kept, rollups(At::Pg(&db.url)).await, "rollups kept by the triggers equal a rebuild");
    assert_ledger_whole(&db.store, &db.url).await;
    db.drop_database().await;
}

/// A bank debit started on the page that the bank refuses later: the order
/// stays pending with its units held and says so; a new link opens a new
/// payment attempt (the failed one kept as finance saw it) and is paid once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_bank_debit_leaves_the_order_to_a_new_link() {
    let Shop { db, fake, stripe, me, b, customer, .. } = shop().await;
    db.store.put_setting(RETURN_URL_SETTING, "\"https://shop.example.com/thanks\"", "After paying").await.unwrap();
    let (on_hand, held) = stock(&db.url, b).await;
    let order = ManualOrder {
        customer_id: customer,
        currency: Currency::USD,
        lines: vec![ManualLine { variant_id: b, quantity: 2 }],
        shipping_minor: 0,
    };
    let taken = take_manual_order(&db.store, admin(me), &stripe, &order).await.unwrap();
    let state = |store: &Store| {
        let store = store.clone();
        let id = taken.order_id;
        async move { store.awaiting_payment(id).await.unwrap().expect("a pending order taken by hand") }
    };
    assert_eq!(state(&db.store).await.state, LinkState::Waiting);
    let first = fake.sessions()[0]["id"].as_str().unwrap().to_owned();

    // The customer picks a bank debit: the page is done, the money not yet.
    let debit = fake.debit_checkout(&first);
    let report = db.store.reconcile_stripe_events(&stripe, None, |_| {}).await.unwrap();
    assert_eq!((report.applied, report.attention), (1, 0), "{report:?}");
    assert_eq!(state(&db.store).await.state, LinkState::Processing);
    let e = send_payment_link(&db.store, admin(me), &stripe, taken.order_id).await.unwrap_err();
    assert!(e.to_string().contains("not waiting for a payment link"), "{e}");

    // The bank refuses: still pending, units held, the reason shown.
    fake.fail_debit(&first);
    let report = db.store.reconcile_stripe_events(&stripe, None, |_| {}).await.unwrap();
    assert_eq!((report.applied, report.attention), (1, 0), "{report:?}");
    let failed = state(&db.store).await;
    assert_eq!(failed.state, LinkState::Failed);
    assert!(failed.problem.as_deref().unwrap_or_default().contains("the bank did not pay"), "{failed:?}");
    assert_eq!(stock(&db.url, b).await, (on_hand, held + 2), "the refused debit keeps the units held");

    // A new link: a new attempt and a new page; paid by card this time.
    let renewed = send_payment_link(&db.store, admin(me), &stripe, taken.order_id).await.unwrap();
    assert_eq!(fake.sessions().len(), 2, "a new page for the new attempt");
    let second = fake.sessions()[1]["id"].as_str().unwrap().to_owned();
    assert_eq!(renewed.url, fake.sessions()[1]["url"].as_str().unwrap());
    assert_eq!(state(&db.store).await.state, LinkState::Waiting);
    let again = send_payment_link(&db.store, admin(me), &stripe, taken.order_id).await.unwrap();
    assert_eq!((again.url.as_str(), fake.sessions().len()), (renewed.url.as_str(), 2), "one attempt per failure");
    let paid = fake.pay_checkout(&second, false);
    let report = db.store.reconcile_stripe_events(&stripe, None, |_| {}).await.unwrap();
    assert_eq!((report.applied, report.attention), (1, 0), "{report:?}");
    let mut conn = PgConnection::connect(&db.url).await.unwrap();
    let attempts: Vec<(String, Option<String>, i64)> = sqlx::query_as(
        "SELECT status, provider_payment_id, amount_minor FROM payments WHERE order_id = $1 ORDER BY created_at",
    )
    .bind(taken.order_id)
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(
        attempts,
        vec![
            ("failed".to_owned(), Some(debit), taken.total_minor),
            ("succeeded".to_owned(), Some(paid), taken.total_minor)
        ],
        "the failed attempt is kept beside the one that paid"
    );
    assert_eq!(order_status(&db.url, taken.order_id).await, "paid");
    assert_eq!(stock(&db.url, b).await, (on_hand - 2, held), "the held units were sold");
    let captured = format!(
        "SELECT count(*) FROM ledger_transactions WHERE code = 'payment_captured' AND order_id = '{}'",
        taken.order_id
    );
    assert_eq!(count(&db.url, &captured).await, 1);
    assert_eq!(db.store.awaiting_payment(taken.order_id).await.unwrap(), None, "nothing waits on a paid order");
    assert_ledger_whole(&db.store, &db.url).await;
    db.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_placed_paid_on_sqlite_enters_the_rollups() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.sqlite");
    let store = Store::open(&DatabaseUrl::sqlite(path.clone()), &OpenOptions::create()).await.unwrap();
    store.migrate(|_| {}).await.unwrap();
    seed(&store, &SeedOptions::new(300), |_| {}).await.unwrap();
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let variant: Uuid = sqlx::query_scalar(
        "SELECT v.id FROM product_variants v JOIN products p ON p.id = v.product_id JOIN users u ON u.id = p.vendor_id \
         WHERE v.currency = 'USD' AND u.status = 'active' AND v.deleted_at IS NULL AND p.deleted_at IS NULL \
         AND v.stock_on_hand - v.stock_reserved >= 2 ORDER BY v.sku LIMIT 1",
    )
    .fetch_one(&mut c)
    .await
    .unwrap();
    let customer: Uuid = sqlx::query_scalar(
        "SELECT id FROM users WHERE role = 'customer' AND status = 'active' AND deleted_at IS NULL ORDER BY email LIMIT 1",
    )
    .fetch_one(&mut c)
    .await
    .unwrap();
    let before = rollups(At::Lite(&path)).await;
    let placed = store
        .place_order(&NewOrder {
            customer_id: customer,
            currency: Currency::USD,
            lines: vec![(variant, 2)],
            shipping_minor: 0,
            commission_bps: 1000,
        })
        .await
        .unwrap();
    assert_eq!(placed.order.status.as_str(), "paid");
    let kept = rollups(At::Lite(&path)).await;
    assert_ne!(kept, before, "the order is in the rollups");
    store.rebuild_sales_rollups().await.unwrap();
    assert_eq!(kept, rollups(At::Lite(&path)).await, "rollups kept by the triggers equal a rebuild");
}
