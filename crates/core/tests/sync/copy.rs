//! What reaches a copy: a vendor's file holds nothing of another vendor, a
//! transaction that commits late is pulled when it ends, and a row moved out
//! of a person's reach leaves their copy.

use crate::{local_copy, local_scalar, site, sync};
use marketdesk_core::domain::Timestamp;
use marketdesk_core::sync::cycle::SWEEP_EVERY;
use marketdesk_core::sync::pull::{pull, sweep_due};
use marketdesk_core::sync::state;
use sqlx::{Connection, SqliteConnection};
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vendors_copy_read_from_its_file_holds_no_row_of_another_vendor() {
    let mut site = site().await;
    let vendor = site.person("vendor@marketdesk.demo").await;
    let (_dir, local, path) = local_copy().await;
    let round = sync(&vendor, &local).await;
    let copied = round.copy.expect("the first round copies").rows;
    assert!(copied > 100, "the vendor's copy holds their catalog and orders: {copied} rows");
    local.close().await;

    let mut file = SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let me = vendor.id;
    let theirs = |table: &str| {
        format!("SELECT count(*) FROM {table} WHERE vendor_id IS NOT NULL AND vendor_id <> x'{}'", me.simple())
    };
    for table in ["products", "order_items", "shipments", "payouts", "ledger_entries", "subscriptions"] {
        let n: i64 = sqlx::query_scalar(&theirs(table)).fetch_one(&mut file).await.unwrap();
        assert_eq!(n, 0, "{table} rows of another vendor in the vendor's copy");
    }
    let own: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM products WHERE vendor_id = x'{}'", me.simple()))
        .fetch_one(&mut file)
        .await
        .unwrap();
    let on_server = site.scalar(&format!("SELECT count(*) FROM products WHERE vendor_id = '{me}'")).await;
    assert_eq!(own, on_server, "every product of the vendor reached the copy");
    let others_on_server = site.scalar(&format!("SELECT count(*) FROM products WHERE vendor_id <> '{me}'")).await;
    assert!(others_on_server > 0, "the marketplace has other vendors' products to keep out");
    // Other people: the vendor's copy holds no customer or colleague it may not read.
    let people: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&mut file).await.unwrap();
    let people_on_server: i64 =
        sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(vendor.server.pg_pool().unwrap()).await.unwrap();
    assert_eq!(people, people_on_server, "the copy holds exactly the people the vendor may read");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transaction_that_commits_late_is_pulled_not_skipped() {
    let mut site = site().await;
    let admin = site.person("admin@marketdesk.demo").await;
    let (_dir, local, _) = local_copy().await;
    sync(&admin, &local).await;
    let ids: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM orders ORDER BY id LIMIT 2").fetch_all(&mut site.owner).await.unwrap();
    let url = site.cluster.url(&site.cluster.password, "postgres");

    // The slow transaction takes its transaction id first and stays open…
    let mut slow = sqlx::PgConnection::connect(&url).await.unwrap();
    let mut slow_tx = slow.begin().await.unwrap();
    sqlx::query("UPDATE orders SET notes = 'late', version = version + 1 WHERE id = $1")
        .bind(ids[0])
        .execute(&mut *slow_tx)
        .await
        .unwrap();
    // …while a quicker one after it commits.
    sqlx::query("UPDATE orders SET notes = 'early', version = version + 1 WHERE id = $1")
        .bind(ids[1])
        .execute(&mut site.owner)
        .await
        .unwrap();
    pull(&admin.server, &local).await.unwrap();
    let note = |id: Uuid| format!("SELECT count(*) FROM orders WHERE id = x'{}' AND notes = ", id.simple());
    assert_eq!(local_scalar(&local, &format!("{}'late'", note(ids[0]))).await, 0, "not committed yet");
    assert_eq!(
        local_scalar(&local, &format!("{}'early'", note(ids[1]))).await,
        0,
        "held back behind the open transaction, whose changes could still land before it"
    );

    slow_tx.commit().await.unwrap();
    let report = pull(&admin.server, &local).await.unwrap();
    assert!(report.tables.contains(&"orders".to_owned()), "{report:?}");
    assert_eq!(local_scalar(&local, &format!("{}'late'", note(ids[0]))).await, 1, "the late commit is pulled");
    assert_eq!(local_scalar(&local, &format!("{}'early'", note(ids[1]))).await, 1, "and so is the one after it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_moved_out_of_reach_leaves_the_copy_and_a_deleted_one_too() {
    let mut site = site().await;
    let vendor = site.person("vendor@marketdesk.demo").await;
    let other: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = 'vendor1@vendors.marketdesk.demo'")
        .fetch_one(&mut site.owner)
        .await
        .unwrap();
    let (_dir, local, _) = local_copy().await;
    sync(&vendor, &local).await;
    let product: Uuid = sqlx::query_scalar(&format!(
        "SELECT p.id FROM products p WHERE p.vendor_id = '{}' \
         AND NOT EXISTS (SELECT 1 FROM order_items i WHERE i.product_id = p.id) ORDER BY p.id LIMIT 1",
        vendor.id
    ))
    .fetch_one(&mut site.owner)
    .await
    .unwrap();
    let held = format!("SELECT count(*) FROM products WHERE id = x'{}'", product.simple());
    assert_eq!(local_scalar(&local, &held).await, 1);

    sqlx::query("UPDATE products SET vendor_id = $1, version = version + 1 WHERE id = $2")
        .bind(other)
        .bind(product)
        .execute(&mut site.owner)
        .await
        .unwrap();
    // The feed cannot say so (it would name a row the vendor may not read);
    // a round right after the first copy does not sweep yet...
    let round = sync(&vendor, &local).await;
    assert_eq!(round.swept, None, "a fresh copy is not swept");
    assert_eq!(local_scalar(&local, &held).await, 1);
    // ...but once the last sweep is older than the interval, a round sweeps by itself.
    let aged = Timestamp::now().minus_days(1).to_string();
    sqlx::query("UPDATE sync_state SET value = $1 WHERE key = $2")
        .bind(aged)
        .bind(state::LAST_SWEEP)
        .execute(local.sqlite_pool().unwrap())
        .await
        .unwrap();
    assert!(sweep_due(&local, SWEEP_EVERY).await.unwrap());
    let round = sync(&vendor, &local).await;
    assert!(round.swept.is_some_and(|n| n >= 1), "{round:?}");
    assert_eq!(local_scalar(&local, &held).await, 0, "another vendor's product is not kept");
    assert!(!sweep_due(&local, SWEEP_EVERY).await.unwrap(), "and the sweep is recorded");

    // A change the vendor can read arrives by the feed: a new price.
    let (changed, price): (Uuid, i64) = sqlx::query_as(&format!(
        "UPDATE products SET base_price_minor = base_price_minor + 1, version = version + 1 \
         WHERE id = (SELECT id FROM products WHERE vendor_id = '{}' ORDER BY id LIMIT 1) RETURNING id, base_price_minor",
        vendor.id
    ))
    .fetch_one(&mut site.owner)
    .await
    .unwrap();
    sync(&vendor, &local).await;
    assert_eq!(
        local_scalar(
            &local,
            &format!("SELECT count(*) FROM products WHERE id = x'{}' AND base_price_minor = {price}", changed.simple())
        )
        .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_newer_than_this_marketdesk_is_refused_with_the_reason() {
    let mut site = site().await;
    let admin = site.person("admin@marketdesk.demo").await;
    let (_dir, local, _) = local_copy().await;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (99999, 'from a newer Marketdesk', true, '\\x00', 1)",
    )
    .execute(&mut site.owner)
    .await
    .unwrap();
    let refused = marketdesk_core::sync::cycle::round(
        &admin.server,
        &local,
        admin.id,
        &std::sync::atomic::AtomicBool::new(false),
        |_| {},
    )
    .await
    .expect_err("a newer schema is refused");
    assert!(refused.to_string().contains("newer than this Marketdesk"), "{refused}");
    assert_eq!(local_scalar(&local, "SELECT count(*) FROM products").await, 0, "nothing was copied");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_first_copy_resumes_where_it_stopped() {
    use marketdesk_core::sync::initial::{copy_all, is_ready, owner};
    use std::sync::atomic::{AtomicBool, Ordering};
    let mut site = site().await;
    let admin = site.person("admin@marketdesk.demo").await;
    let (_dir, local, _) = local_copy().await;
    let stop = AtomicBool::new(false);
    let first = copy_all(&admin.server, &local, admin.id, false, &stop, |p| {
        if p.rows_done > 0 {
            stop.store(true, Ordering::SeqCst);
        }
    })
    .await
    .unwrap();
    assert!(first.rows > 0 && !first.resumed);
    assert!(!is_ready(&local, &owner(&admin.server, admin.id)).await.unwrap(), "not ready after an interruption");
    let partial = local_scalar(&local, "SELECT count(*) FROM orders").await
        + local_scalar(&local, "SELECT count(*) FROM users").await;

    let rest = copy_all(&admin.server, &local, admin.id, false, &AtomicBool::new(false), |_| {}).await.unwrap();
    assert!(rest.resumed, "the second run picks up the first");
    assert!(is_ready(&local, &owner(&admin.server, admin.id)).await.unwrap());
    for table in ["orders", "order_items", "products", "users", "ledger_entries"] {
        let here = local_scalar(&local, &format!("SELECT count(*) FROM {table}")).await;
        let there = site.scalar(&format!("SELECT count(*) FROM {table}")).await;
        assert_eq!(here, there, "{table}: every row copied once the copy resumed");
    }
    assert!(
        partial
            < local_scalar(&local, "SELECT count(*) FROM orders").await
                + local_scalar(&local, "SELECT count(*) FROM users").await
    );
    // Only what was left was read again: the two runs copied what one whole run copies.
    let (_other_dir, other, _) = local_copy().await;
    let whole = copy_all(&admin.server, &other, admin.id, false, &AtomicBool::new(false), |_| {}).await.unwrap();
    assert_eq!(first.rows + rest.rows, whole.rows);
}
