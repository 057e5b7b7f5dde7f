//! Business analytics: the central database records each business step as an
//! event in the step's own transaction (and nothing for a change that is no
//! step); the Google Analytics outbox sends them through the real client to
//! a local Measurement Protocol that validates every request as Google
//! documents it — e-commerce purchases with their items, retries after a
//! `503`, events too old for Google skipped; and the dashboards give the same
//! figures on both engines, equal to the rows behind them.

use chrono::NaiveDate;
use marketdesk_core::Store;
use marketdesk_core::analytics::dashboard::{DashboardQuery, MetricKey, dashboard};
use marketdesk_core::analytics::drill::{DrillKind, drill};
use marketdesk_core::analytics::events::{EventFilter, list_events};
use marketdesk_core::analytics::ga4_outbox::{configure, counts, forward_due};
use marketdesk_core::domain::{Currency, Timestamp};
use marketdesk_core::integrations::ga4::{Event, Ga4, Ga4Error, Payload};
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::orders::NewOrder;
use marketdesk_test_support::databases::{pg, sqlite};
use marketdesk_test_support::ga4_fake;
use serde_json::Value;
use uuid::Uuid;

async fn seeded(store: &Store) {
    let mut options = SeedOptions::new(400);
    options.end = Timestamp::parse("2026-04-01T00:00:00Z").unwrap();
    seed(store, &options, |_| {}).await.unwrap();
}

async fn names_for(pool: &sqlx::PgPool, entity: Uuid) -> Vec<String> {
    sqlx::query_scalar("SELECT name FROM analytics_events WHERE entity_id = $1 ORDER BY occurred_at, name")
        .bind(entity)
        .fetch_all(pool)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_records_business_steps_and_google_analytics_gets_them() {
    let db = pg().await;
    let store = &db.store;
    seeded(store).await;
    let pool = store.pg_pool().unwrap().clone();
    let seeded_events: i64 =
        sqlx::query_scalar("SELECT count(*) FROM analytics_events").fetch_one(&pool).await.unwrap();
    assert!(seeded_events > 10, "the seed's purchases are events: {seeded_events}");

    // An order placed (and paid) through the core: two events, in its transaction.
    let (customer, variant, sku): (Uuid, Uuid, String) = sqlx::query_as(
        "SELECT (SELECT id FROM users WHERE role = 'customer' AND status = 'active' ORDER BY id LIMIT 1), v.id, v.sku \
         FROM product_variants v JOIN products p ON p.id = v.product_id JOIN users u ON u.id = p.vendor_id \
         WHERE p.status = 'approved' AND u.status = 'active' AND v.currency = 'USD' AND v.deleted_at IS NULL \
         AND v.stock_on_hand - v.stock_reserved >= 3 ORDER BY v.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let order = store
        .place_order(&NewOrder {
            customer_id: customer,
            currency: Currency::USD,
            lines: vec![(variant, 2)],
            shipping_minor: 500,
            commission_bps: 1000,
        })
        .await
        .unwrap();
    let order_id = order.order.id;
    assert_eq!(names_for(&pool, order_id).await, ["order_paid", "order_placed"]);

    // Moved on: shipped is an event, a note is not.
    for status in ["processing", "shipped"] {
        sqlx::query("UPDATE orders SET status = $1, version = version + 1 WHERE id = $2")
            .bind(status)
            .bind(order_id)
            .execute(&pool)
            .await
            .unwrap();
    }
    sqlx::query("UPDATE orders SET notes = 'call first' WHERE id = $1").bind(order_id).execute(&pool).await.unwrap();
    assert_eq!(names_for(&pool, order_id).await, ["order_paid", "order_placed", "order_shipped"]);
    let (role, hours): (String, Value) = sqlx::query_as(
        "SELECT actor_role, properties -> 'hours_since_paid' FROM analytics_events WHERE entity_id = $1 AND name = 'order_shipped'",
    )
    .bind(order_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((role.as_str(), hours), ("system", serde_json::json!(0)));

    // A product approved names its vendor.
    let (product, vendor): (Uuid, Uuid) = sqlx::query_as(
        "SELECT id, vendor_id FROM products WHERE status = 'pending_review' AND deleted_at IS NULL ORDER BY id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query("UPDATE products SET status = 'approved', version = version + 1 WHERE id = $1")
        .bind(product)
        .execute(&pool)
        .await
        .unwrap();
    let approved =
        list_events(store, &EventFilter { name: Some("product_approved".into()), ..EventFilter::default() }, 10)
            .await
            .unwrap();
    assert_eq!(approved.len(), 1);
    assert_eq!((approved[0].entity_id, approved[0].vendor_id), (Some(product), Some(vendor)));
    let unknown =
        list_events(store, &EventFilter { name: Some("purchase".into()), ..EventFilter::default() }, 10).await;
    assert!(unknown.unwrap_err().to_string().contains("no event is called “purchase”"));

    // Opted in: the seed's old events are too old for Google; today's go, each batch validated first.
    assert!(configure(store, true, Some("UA-1")).await.unwrap_err().to_string().contains("measurement id"));
    configure(store, true, Some("G-MARKET42")).await.unwrap();
    let fake = ga4_fake::start().await;
    let ga = Ga4::new(&fake.server.uri(), "G-MARKET42", "test-secret").unwrap();
    let r = forward_due(store, &ga, 1000).await.unwrap();
    assert_eq!((r.sent, r.retrying, r.failed, r.problem.as_deref()), (4, 0, 0, None), "{r:?}");
    assert_eq!(i64::from(r.skipped), seeded_events);
    {
        let seen = fake.state.lock().unwrap();
        assert_eq!(seen.validated.len(), seen.collected.len(), "every batch was validated before it was sent");
        assert!(
            seen.queries
                .iter()
                .all(|q| q.contains("measurement_id=G-MARKET42") && q.contains("api_secret=test-secret"))
        );
        let events: Vec<&Value> = seen.collected.iter().flat_map(|b| b["events"].as_array().unwrap().iter()).collect();
        let purchase = events.iter().find(|e| e["name"] == "purchase").expect("the paid order as a purchase");
        let p = &purchase["params"];
        assert_eq!(p["transaction_id"], order.order.number.as_str());
        assert_eq!(p["currency"], "USD");
        let total = order.order.total_minor;
        assert_eq!(p["value"].to_string(), format!("{}.{:02}", total / 100, total % 100));
        assert_eq!(p["items"][0]["item_id"], sku.as_str());
        assert_eq!(p["items"][0]["quantity"], 2);
        assert_eq!(p["marketdesk_role"], "system");
        let names: Vec<&str> = events.iter().map(|e| e["name"].as_str().unwrap()).collect();
        for name in ["order_placed", "order_shipped", "product_approved"] {
            assert!(names.contains(&name), "{name} in {names:?}");
        }
        let approved = events.iter().find(|e| e["name"] == "product_approved").unwrap();
        assert_eq!(approved["params"]["marketdesk_vendor"], vendor.to_string());
    }
    let c = counts(store).await.unwrap();
    assert_eq!((c.queued, c.sent, c.failed, c.skipped), (0, 4, 0, seeded_events));
    assert_eq!(forward_due(store, &ga, 1000).await.unwrap().sent, 0, "nothing is sent twice");

    // Google unavailable: kept for later with the reason, then sent.
    sqlx::query("UPDATE orders SET status = 'delivered', version = version + 1 WHERE id = $1")
        .bind(order_id)
        .execute(&pool)
        .await
        .unwrap();
    fake.state.lock().unwrap().fail_next = 1;
    let r = forward_due(store, &ga, 1000).await.unwrap();
    assert_eq!((r.sent, r.retrying), (0, 1));
    assert!(r.problem.unwrap().contains("503"));
    let (state, attempts, error): (String, i32, String) =
        sqlx::query_as("SELECT ga_state, ga_attempts, ga_error FROM analytics_events WHERE name = 'order_delivered'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((state.as_str(), attempts), ("queued", 1));
    assert!(error.contains("503"), "{error}");
    assert_eq!(forward_due(store, &ga, 1000).await.unwrap().sent, 0, "not before its back-off");
    sqlx::query("UPDATE analytics_events SET ga_next_attempt_at = now() WHERE name = 'order_delivered'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(forward_due(store, &ga, 1000).await.unwrap().sent, 1);

    // What Google would drop is refused with its reasons, never sent.
    let bad = Payload {
        client_id: "marketdesk.check".into(),
        user_id: None,
        user_properties: serde_json::Map::new(),
        events: vec![Event {
            name: "_bad".into(),
            params: serde_json::Map::new(),
            timestamp_micros: Timestamp::now().unix_micros(),
        }],
    };
    let before = fake.state.lock().unwrap().collected.len();
    match ga.send(&bad).await {
        Err(Ga4Error::Invalid(messages)) => {
            assert_eq!(messages[0].validation_code, "NAME_INVALID");
            assert!(messages[0].description.contains("[_bad]"));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(fake.state.lock().unwrap().collected.len(), before);
    db.finish().await;
}

fn march(vendor: Option<Uuid>) -> DashboardQuery {
    DashboardQuery {
        from: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
        currency: Currency::USD,
        vendor_id: vendor,
    }
}

fn value(d: &marketdesk_core::analytics::dashboard::Dashboard, key: MetricKey) -> Option<i64> {
    d.metrics.iter().find(|m| m.key == key).and_then(|m| m.value)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboards_agree_on_both_engines_and_with_the_rows_behind_them() {
    let pg = pg().await;
    let lite = sqlite().await;
    seeded(&pg.store).await;
    seeded(&lite.store).await;
    let platform = dashboard(&pg.store, &march(None)).await.unwrap();
    assert_eq!(platform, dashboard(&lite.store, &march(None)).await.unwrap());
    assert_eq!(platform.days.len(), 31);
    assert_eq!(platform.previous_days.len(), 31);
    assert_eq!(platform.previous_from.to_string(), "2026-01-29");
    let orders = value(&platform, MetricKey::Orders).unwrap();
    assert!(orders > 10, "March has sales: {orders}");
    assert_eq!(platform.days.iter().map(|d| d.orders).sum::<i64>(), orders);
    let revenue = value(&platform, MetricKey::Revenue).unwrap();
    assert_eq!(value(&platform, MetricKey::AverageOrderValue), Some(revenue / orders));

    for store in [&pg.store, &lite.store] {
        let rows = drill(store, &march(None), MetricKey::Revenue, 0, 500).await.unwrap();
        assert_eq!(rows.total, orders, "one row per order counted");
        assert!(rows.rows.iter().all(|r| r.kind == DrillKind::Order));
        assert_eq!(rows.rows.iter().filter_map(|r| r.amount_minor).sum::<i64>(), revenue);
        let page = drill(store, &march(None), MetricKey::Revenue, 5, 5).await.unwrap();
        assert_eq!(page.rows, rows.rows[5..10].to_vec(), "pages follow the same order");
        let vendors = drill(store, &march(None), MetricKey::ActiveVendors, 0, 500).await.unwrap();
        assert_eq!(Some(vendors.total), value(&platform, MetricKey::ActiveVendors));
        assert_eq!(vendors.rows.iter().filter_map(|r| r.amount_minor).sum::<i64>(), revenue);
        let customers = drill(store, &march(None), MetricKey::ActiveCustomers, 0, 1).await.unwrap();
        assert_eq!(Some(customers.total), value(&platform, MetricKey::ActiveCustomers));
        let products = drill(store, &march(None), MetricKey::ApprovalConversion, 0, 500).await.unwrap();
        let approved = products.rows.iter().filter(|r| r.detail == "approved").count() as i64;
        let conversion = value(&platform, MetricKey::ApprovalConversion);
        assert_eq!(conversion, (products.total > 0).then(|| approved * 10_000 / products.total));
        let disputes = drill(store, &march(None), MetricKey::DisputeRate, 0, 500).await.unwrap();
        assert_eq!(value(&platform, MetricKey::DisputeRate), Some(disputes.total * 10_000 / orders));
    }

    // One vendor's own figures are a part of the whole.
    let vendor = drill(&lite.store, &march(None), MetricKey::ActiveVendors, 0, 1).await.unwrap().rows[0].id;
    let own = dashboard(&pg.store, &march(Some(vendor))).await.unwrap();
    assert_eq!(own, dashboard(&lite.store, &march(Some(vendor))).await.unwrap());
    assert!(own.metrics.iter().all(|m| m.key != MetricKey::ActiveVendors));
    let own_revenue = value(&own, MetricKey::Revenue).unwrap();
    assert!(own_revenue > 0 && own_revenue < revenue, "{own_revenue} of {revenue}");
    let own_rows = drill(&pg.store, &march(Some(vendor)), MetricKey::Revenue, 0, 500).await.unwrap();
    assert_eq!(own_rows.rows.iter().filter_map(|r| r.amount_minor).sum::<i64>(), own_revenue);

    let backwards = DashboardQuery { to: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(), ..march(None) };
    assert!(dashboard(&pg.store, &backwards).await.unwrap_err().to_string().contains("ends before it starts"));
    pg.finish().await;
    lite.finish().await;
}
