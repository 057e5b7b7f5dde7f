//! A server address marked `pooler=transaction` (PgBouncer in transaction
//! mode in front of PostgreSQL): the store keeps nothing in the session that a
//! pooler would hand to someone else. No session settings are sent at start,
//! migrations (whose lock is the session's) refuse, and live changes open their
//! own session at the `direct=` address or say what to add.

use marketdesk_core::domain::Timestamp;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::live::listen;
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store, StoreError};
use marketdesk_test_support::databases as support;
use marketdesk_test_support::free_port;
use std::collections::BTreeSet;
use std::time::Duration;

async fn open(url: &str) -> Store {
    Store::open(&DatabaseUrl::parse(url).unwrap(), &OpenOptions::default()).await.unwrap()
}

async fn lock_timeout(store: &Store) -> String {
    sqlx::query_scalar("SHOW lock_timeout").fetch_one(store.pg_pool().unwrap()).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pooled_address_keeps_nothing_in_the_session() {
    let db = support::pg().await;
    let mut o = SeedOptions::new(20);
    o.end = Timestamp::parse("2026-03-15T00:00:00Z").unwrap();
    seed(&db.store, &o, |_| {}).await.unwrap();
    let DatabaseUrl::Postgres(url) = &db.url else { unreachable!("a PostgreSQL test database") };
    let address = {
        let u = url::Url::parse(url).unwrap();
        format!("{}:{}", u.host_str().unwrap(), u.port().unwrap_or(5432))
    };

    // Straight to the server the session gets our lock timeout; through a
    // pooler nothing is sent at start, so the server's default stands.
    assert_eq!(lock_timeout(&db.store).await, "10s");
    let pooled = open(&format!("{url}?pooler=transaction")).await;
    assert!(pooled.route().pooled && !pooled.route().has_sessions());
    let server_default: String = sqlx::query_scalar("SELECT boot_val FROM pg_settings WHERE name = 'lock_timeout'")
        .fetch_one(db.store.pg_pool().unwrap())
        .await
        .unwrap();
    assert_eq!(lock_timeout(&pooled).await, server_default);

    // Migrations hold their lock for the session: not through a pooler.
    let err = pooled.migrate(|_| {}).await.unwrap_err();
    assert!(matches!(&err, StoreError::Migration(m) if m.contains("not through the transaction pooler")), "{err}");

    // Live changes without PostgreSQL's own address: off, saying what to add.
    let err = listen(&pooled, Duration::from_millis(50), |_| true).await.unwrap().unwrap_err();
    assert!(err.to_string().contains("direct=host:port"), "{err}");
    pooled.close().await;

    // With a direct address the listener opens its session there (a port
    // where nothing listens fails, naming nothing of the pooler's)…
    let nowhere = free_port();
    let wrong = open(&format!("{url}?pooler=transaction&direct=127.0.0.1:{nowhere}")).await;
    let err = tokio::time::timeout(Duration::from_secs(60), listen(&wrong, Duration::from_millis(50), |_| true))
        .await
        .expect("a refused connection fails at once")
        .unwrap()
        .unwrap_err();
    assert!(matches!(err, StoreError::Database(_) | StoreError::Unreachable { .. }), "{err}");
    wrong.close().await;

    // …and at the right one it hears what a pooled desktop changes.
    let listening = open(&format!("{url}?pooler=transaction&direct={address}")).await;
    let (tx, mut heard) = tokio::sync::mpsc::unbounded_channel::<BTreeSet<String>>();
    let store = listening.clone();
    let task =
        tokio::spawn(async move { listen(&store, Duration::from_millis(200), |tables| tx.send(tables).is_ok()).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let writer = open(&format!("{url}?pooler=transaction")).await;
    sqlx::query("UPDATE orders SET notes = 'called back' WHERE id IN (SELECT id FROM orders LIMIT 3)")
        .execute(writer.pg_pool().unwrap())
        .await
        .unwrap();
    let got = tokio::time::timeout(Duration::from_secs(10), heard.recv()).await.expect("a change arrives").unwrap();
    assert_eq!(got, BTreeSet::from(["orders".to_owned()]));
    task.abort();
    writer.close().await;
    listening.close().await;
    db.finish().await;
}
