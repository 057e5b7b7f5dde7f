//! Live changes: a change on the central server reaches a listener as the
//! changed table's name, bursts coalesced; SQLite has nothing to listen to.

use marketdesk_test_support::databases as support;

use marketdesk_core::domain::Timestamp;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::live::listen;
use std::collections::BTreeSet;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_on_the_server_reaches_listeners_coalesced() {
    let db = support::pg().await;
    let mut o = SeedOptions::new(50);
    o.end = Timestamp::parse("2026-03-15T00:00:00Z").unwrap();
    seed(&db.store, &o, |_| {}).await.unwrap();

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<BTreeSet<String>>();
    let store = db.store.clone();
    let task = tokio::spawn(async move {
        listen(&store, Duration::from_millis(200), |tables| tx.send(tables).is_ok()).await.expect("postgres listens")
    });
    // Let LISTEN take effect before writing.
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Another desktop's writes: two tables in one transaction, many rows.
    let pool = db.store.pg_pool().unwrap();
    let mut tx_db = pool.begin().await.unwrap();
    sqlx::query("UPDATE orders SET notes = 'checked' WHERE id IN (SELECT id FROM orders LIMIT 20)")
        .execute(&mut *tx_db)
        .await
        .unwrap();
    sqlx::query("UPDATE products SET description = 'new text' WHERE id IN (SELECT id FROM products LIMIT 5)")
        .execute(&mut *tx_db)
        .await
        .unwrap();
    tx_db.commit().await.unwrap();

    let got = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await.expect("a change arrives").unwrap();
    assert_eq!(got, BTreeSet::from(["orders".to_owned(), "products".to_owned()]));
    // 25 row changes came as one batch: nothing else is waiting.
    assert!(tokio::time::timeout(Duration::from_millis(500), rx.recv()).await.is_err());

    // Rolled-back changes are never announced.
    let mut tx_db = pool.begin().await.unwrap();
    sqlx::query("UPDATE orders SET notes = 'undone' WHERE id IN (SELECT id FROM orders LIMIT 1)")
        .execute(&mut *tx_db)
        .await
        .unwrap();
    tx_db.rollback().await.unwrap();
    assert!(tokio::time::timeout(Duration::from_millis(700), rx.recv()).await.is_err());

    task.abort();
    db.finish().await;
}

#[tokio::test]
async fn a_local_file_has_nothing_to_listen_to() {
    let db = support::sqlite().await;
    assert!(listen(&db.store, Duration::from_millis(10), |_| true).await.is_none());
    db.finish().await;
}
