//! Attack class: poisoned figures. A login writes made-up sales into the
//! analytics events (which feed the dashboards and Google Analytics), reads
//! the whole marketplace's events, or calls the recorder itself. Events are
//! written by the database's triggers only, in the transaction of the step,
//! with the person and role of the session; only admins and finance read them.

use crate::{World, is_denied, scalar_i64, world};
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_come_from_the_database_with_the_session_s_person() {
    let mut w: World = world().await;
    for p in [&mut w.admin, &mut w.vendor_a, &mut w.logistics, &mut w.finance] {
        let e = sqlx::query(
            "INSERT INTO analytics_events (id, name, occurred_at, properties) \
             VALUES (gen_random_uuid(), 'order_paid', now(), '{\"value_minor\": 99999999, \"currency\": \"USD\"}')",
        )
        .execute(&mut p.conn)
        .await
        .unwrap_err();
        assert!(is_denied(&e), "{}: {e}", p.name);
        let e = sqlx::query("SELECT md_track('order_paid', NULL, NULL, '{}')").execute(&mut p.conn).await.unwrap_err();
        assert!(is_denied(&e), "{} calls the recorder: {e}", p.name);
    }
    for p in [&mut w.vendor_a, &mut w.logistics] {
        let e = sqlx::query("SELECT count(*) FROM analytics_events").execute(&mut p.conn).await.unwrap_err();
        assert!(is_denied(&e), "{} reads the events: {e}", p.name);
    }
    for p in [&mut w.admin, &mut w.finance] {
        let e = sqlx::query("UPDATE analytics_events SET ga_state = 'sent'").execute(&mut p.conn).await.unwrap_err();
        assert!(is_denied(&e), "{} rewrites the outbox: {e}", p.name);
        assert!(scalar_i64(&mut p.conn, "SELECT count(*) FROM analytics_events").await > 0);
    }

    // A sign-in is an event of the person who signed in, named as their role.
    sqlx::query("SELECT md_signed_in(0)").execute(&mut w.vendor_a.conn).await.unwrap();
    let (user, role, vendor): (Option<Uuid>, Option<String>, Option<Uuid>) = sqlx::query_as(
        "SELECT user_id, actor_role, vendor_id FROM analytics_events WHERE name = 'login' ORDER BY occurred_at DESC LIMIT 1",
    )
    .fetch_one(&mut w.owner)
    .await
    .unwrap();
    assert_eq!((user, role.as_deref(), vendor), (Some(w.vendor_a.id), Some("vendor"), Some(w.vendor_a.id)));

    // A step rolled back leaves no event.
    let before = scalar_i64(&mut w.owner, "SELECT count(*) FROM analytics_events").await;
    let mut tx = sqlx::Connection::begin(&mut w.admin.conn).await.unwrap();
    sqlx::query("SELECT md_signed_in(0)").execute(&mut *tx).await.unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(scalar_i64(&mut w.owner, "SELECT count(*) FROM analytics_events").await, before);
}
