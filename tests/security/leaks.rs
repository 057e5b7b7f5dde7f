//! Attack class: reading what flows past. The change feed, the live
//! notifications and a reset's temporary password, read by people who must
//! learn nothing of others' rows through them. What PostgreSQL cannot hide
//! (planner estimates, catalog row counts, role names) is written down in
//! ARCHITECTURE.md.

use crate::{PASSWORD, World, connect_as, is_denied, scalar_i64, sqlstate, uuid_of, world};
use sqlx::postgres::PgListener;
use std::time::Duration;
use uuid::Uuid;

/// Every notification channel the schema's functions use, and what it carries.
/// A new channel fails the test until it is listed here with a reason its
/// payload is safe for every listener.
const CHANNELS: &[(&str, &str)] = &[("md_changes", "an empty payload: listeners read the feed through its policy")];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_and_notifications_tell_each_person_only_their_own() {
    let mut w: World = world().await;

    // Inventory: every pg_notify in the schema's functions is on a listed channel with an empty payload.
    let sources: Vec<(String, String)> = sqlx::query_as(
        "SELECT proname::text, prosrc FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND prosrc ILIKE '%notify%'",
    )
    .fetch_all(&mut w.owner)
    .await
    .unwrap();
    let mut calls = 0;
    for (name, src) in &sources {
        for call in src.split("pg_notify(").skip(1) {
            calls += 1;
            let args: String = call.chars().take_while(|c| *c != ')').collect();
            let (channel, payload) = args.split_once(',').unwrap_or((&args, ""));
            let channel = channel.trim().trim_matches('\'');
            assert!(CHANNELS.iter().any(|(c, _)| *c == channel), "{name} notifies unlisted channel {channel}");
            assert_eq!(payload.trim(), "''", "{name} puts something in its {channel} payload");
        }
        assert!(!src.to_lowercase().contains("notify md_") || src.contains("pg_notify("), "{name}: bare NOTIFY");
    }
    assert!(calls >= 1, "the change trigger notifies");

    // Inventory: each group's feed policy has an arm for every table that feeds
    // the change feed and that the group may read, and none for the others.
    let arms: Vec<(String, String, bool, bool)> = sqlx::query_as(
        "SELECT g, c.relname::text, has_column_privilege(g, c.oid, 'id', 'SELECT'), \
                position(quote_literal(c.relname::text) || '::text' IN p.qual) > 0 \
         FROM unnest(ARRAY['md_admin', 'md_vendor', 'md_logistics', 'md_finance']) g \
         CROSS JOIN (SELECT DISTINCT tr.tgrelid FROM pg_trigger tr JOIN pg_proc f ON f.oid = tr.tgfoid \
                     WHERE f.proname = 'md_record_change') fed \
         JOIN pg_class c ON c.oid = fed.tgrelid \
         JOIN pg_policies p ON p.tablename = 'sync_change_feed' AND p.policyname = 'sync_change_feed_' || substr(g, 4)",
    )
    .fetch_all(&mut w.owner)
    .await
    .unwrap();
    assert!(arms.len() >= 4 * 35, "{} group × table pairs", arms.len());
    let wrong: Vec<String> = arms
        .iter()
        .filter(|(_, _, may, armed)| may != armed)
        .map(|(g, t, may, _)| format!("{g} {t}: may read {may}, but the feed policy says otherwise"))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // Vendor A listens while others change vendor B's payout, profile and shipment and post a ledger correction.
    let url = format!("postgres://{}:{PASSWORD}@127.0.0.1:{}/postgres", w.vendor_a.login, w.cluster.port);
    let mut listener = PgListener::connect(&url).await.unwrap();
    listener.listen("md_changes").await.unwrap();
    let b = w.vendor_b.id;
    let o = &mut w.owner;
    let payout = uuid_of(o, &format!("SELECT id FROM payouts WHERE vendor_id = '{b}' LIMIT 1")).await;
    let shipment = uuid_of(o, &format!("SELECT id FROM shipments WHERE vendor_id = '{b}' LIMIT 1")).await;
    let own_shipment =
        uuid_of(o, &format!("SELECT id FROM shipments WHERE vendor_id = '{}' LIMIT 1", w.vendor_a.id)).await;
    sqlx::query("UPDATE payouts SET failure_reason = 'looked at', version = version + 1 WHERE id = $1")
        .bind(payout)
        .execute(&mut w.finance.conn)
        .await
        .unwrap();
    sqlx::query("UPDATE user_profiles SET phone = '+1 555 0100', version = version + 1 WHERE user_id = $1")
        .bind(b)
        .execute(&mut w.admin.conn)
        .await
        .unwrap();
    for s in [shipment, own_shipment] {
        sqlx::query("UPDATE shipments SET version = version + 1 WHERE id = $1")
            .bind(s)
            .execute(&mut w.logistics.conn)
            .await
            .unwrap();
    }
    let heard = tokio::time::timeout(Duration::from_secs(10), listener.recv()).await.expect("a notification").unwrap();
    assert_eq!(heard.payload(), "", "the notification says nothing of what changed");

    // The feed: A sees its own shipment's change and nothing of B's rows.
    let va = &mut w.vendor_a.conn;
    let seen: Vec<(String, Uuid)> = sqlx::query_as("SELECT table_name, row_id FROM sync_change_feed ORDER BY seq")
        .fetch_all(&mut *va)
        .await
        .unwrap();
    assert!(seen.iter().any(|(t, r)| t == "shipments" && *r == own_shipment), "its own change: {seen:?}");
    for hidden in [payout, shipment] {
        assert!(!seen.iter().any(|(_, r)| *r == hidden), "B's row {hidden} leaked through the feed");
    }
    assert!(!seen.iter().any(|(t, _)| t == "user_profiles"), "B's profile change leaked: {seen:?}");
    let all = scalar_i64(&mut w.owner, "SELECT count(*) FROM sync_change_feed").await;
    assert!(all > seen.len() as i64, "the feed holds more than A may see ({all})");
    // Logistics, with no grant on payouts, sees none of their changes.
    let lg =
        scalar_i64(&mut w.logistics.conn, "SELECT count(*) FROM sync_change_feed WHERE table_name = 'payouts'").await;
    assert_eq!(lg, 0);
    let fin =
        scalar_i64(&mut w.finance.conn, "SELECT count(*) FROM sync_change_feed WHERE table_name = 'payouts'").await;
    assert!(fin >= 1, "finance sees payouts' changes");

    // A SKU another vendor uses tells vendor A nothing: SKUs are per vendor.
    let theirs: String = sqlx::query_scalar(
        "SELECT v.sku FROM product_variants v JOIN products p ON p.id = v.product_id WHERE p.vendor_id = $1 AND v.deleted_at IS NULL LIMIT 1",
    )
    .bind(b)
    .fetch_one(&mut w.owner)
    .await
    .unwrap();
    let product: Uuid = sqlx::query_scalar("SELECT id FROM products WHERE vendor_id = md_uid() LIMIT 1")
        .fetch_one(&mut w.vendor_a.conn)
        .await
        .unwrap();
    // A live product's variants change through review: send it back first.
    sqlx::query("UPDATE products SET status = 'pending_review' WHERE id = $1")
        .bind(product)
        .execute(&mut w.vendor_a.conn)
        .await
        .unwrap();
    let variant = "INSERT INTO product_variants (id, product_id, sku, name, price_minor, currency, stock_on_hand) \
                   VALUES (gen_random_uuid(), $1, $2, 'probe', 100, 'USD', 0)";
    for attempt in 0..2 {
        let result = sqlx::query(variant).bind(product).bind(&theirs).execute(&mut w.vendor_a.conn).await;
        match attempt {
            0 => assert!(result.is_ok(), "B's SKU {theirs} is free for A: {result:?}"),
            _ => assert_eq!(sqlstate(&result.unwrap_err()), "23505", "A's own SKU twice is a duplicate"),
        }
    }

    // A reset's temporary password opens nothing but choosing a new one.
    sqlx::query("SELECT md_reset_password($1, 'temporary-password-1')")
        .bind(b)
        .execute(&mut w.admin.conn)
        .await
        .unwrap();
    assert!(sqlx::query("SELECT 1").execute(&mut w.vendor_b.conn).await.is_err(), "B's open session was ended");
    let temp = format!("postgres://{}:temporary-password-1@127.0.0.1:{}/postgres", w.vendor_b.login, w.cluster.port);
    let mut t =
        <sqlx::PgConnection as sqlx::Connection>::connect(&temp).await.expect("the temporary password signs in");
    for sql in ["SELECT count(*) FROM products", "SELECT count(*) FROM payouts", "SELECT count(*) FROM orders"] {
        let err = sqlx::query(sql).execute(&mut t).await.unwrap_err();
        assert!(is_denied(&err), "{sql} with a temporary password: {err}");
    }
    sqlx::query("SELECT md_set_own_password($1)").bind(PASSWORD).execute(&mut t).await.unwrap();
    let mut back = connect_as(&w.cluster, &w.vendor_b.login, "postgres").await.unwrap();
    assert!(scalar_i64(&mut back, "SELECT count(*) FROM products").await > 0, "their own password restores the group");
}
