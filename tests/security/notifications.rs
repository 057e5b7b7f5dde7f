//! Attack class: notifications as a weapon. Nobody inserts them directly;
//! md_notify takes the sender from the session (a forged sender is ignored),
//! keeps announcements an admin's, sends each kind only to roles that hear
//! of it, links only into the app, and stops a vendor flooding the staff.
//! People read and mark only their own.

use crate::{World, is_denied, sqlstate, world};
use uuid::Uuid;

const NOTIFY: &str = "SELECT md_notify($1, $2, $3, $4, $5, $6, $7)";

async fn notify(
    conn: &mut sqlx::PgConnection,
    kind: &str,
    person: Option<Uuid>,
    role: Option<&str>,
    link: Option<&str>,
    forged: Option<Uuid>,
) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar(NOTIFY)
        .bind(kind)
        .bind(person)
        .bind(role)
        .bind("Hello")
        .bind("")
        .bind(link)
        .bind(forged)
        .fetch_one(conn)
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_go_through_md_notify_only_and_as_their_sender() {
    let mut w: World = world().await;
    let (a, b, admin) = (w.vendor_a.id, w.vendor_b.id, w.admin.id);

    for (name, conn) in [("admin", &mut w.admin.conn), ("vendor", &mut w.vendor_a.conn)] {
        let err = sqlx::query(
            "INSERT INTO notifications (id, user_id, kind, title, channel) VALUES (gen_random_uuid(), $1, 'announcement', 'x', 'in_app')",
        )
        .bind(b)
        .execute(conn)
        .await
        .unwrap_err();
        assert!(is_denied(&err), "{name} inserts a notification directly: {err}");
    }

    // A vendor announces: refused. A vendor tells the admins of a dispute: allowed, as themselves.
    let err = notify(&mut w.vendor_a.conn, "announcement", None, Some("everyone"), None, None).await.unwrap_err();
    assert!(is_denied(&err), "{err}");
    let n =
        notify(&mut w.vendor_a.conn, "dispute_opened", None, Some("admin"), Some("marketdesk://disputes/x1"), Some(b))
            .await
            .unwrap();
    assert!(n >= 1);
    let senders: Vec<Option<Uuid>> =
        sqlx::query_scalar("SELECT DISTINCT sent_by FROM notifications WHERE kind = 'dispute_opened' AND link = 'marketdesk://disputes/x1'")
            .fetch_all(&mut w.owner)
            .await
            .unwrap();
    assert_eq!(senders, [Some(a)], "the sender is the session's, not the one named");
    let reached: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT u.role FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.link = 'marketdesk://disputes/x1'",
    )
    .fetch_all(&mut w.owner)
    .await
    .unwrap();
    assert_eq!(reached, ["admin"]);

    // Kinds reach only the roles that hear of them; links stay inside the app.
    let n = notify(&mut w.vendor_a.conn, "payout_failed", Some(admin), None, None, None).await.unwrap();
    assert_eq!(n, 0, "admins do not hear of failed payouts");
    for link in ["javascript:alert(1)", "https://evil.example/", "marketdesk://orders/../../x"] {
        let err = notify(&mut w.vendor_a.conn, "low_stock", Some(a), None, Some(link), None).await.unwrap_err();
        assert_eq!(sqlstate(&err), "22023", "{link}: {err}");
    }
    let err = notify(&mut w.vendor_a.conn, "no_such_kind", Some(a), None, None, None).await.unwrap_err();
    assert_eq!(sqlstate(&err), "22023", "{err}");
    let err = notify(&mut w.vendor_a.conn, "low_stock", Some(a), Some("admin"), None, None).await.unwrap_err();
    assert_eq!(sqlstate(&err), "22023", "one person or one role: {err}");

    // Reading and marking: one's own only; nothing but the read and shown marks.
    let theirs: i64 = sqlx::query_scalar("SELECT count(*) FROM notifications WHERE user_id = $1")
        .bind(b)
        .fetch_one(&mut w.vendor_a.conn)
        .await
        .unwrap();
    assert_eq!(theirs, 0, "vendor A reads vendor B's notifications");
    let marked = sqlx::query("UPDATE notifications SET read_at = now() WHERE user_id = $1")
        .bind(b)
        .execute(&mut w.vendor_a.conn)
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(marked, 0);
    let err = sqlx::query("UPDATE notifications SET title = 'Pay to acct_evil' WHERE user_id = $1")
        .bind(a)
        .execute(&mut w.vendor_a.conn)
        .await
        .unwrap_err();
    assert!(is_denied(&err), "{err}");
    let err = sqlx::query("SELECT count(*) FROM notification_preferences WHERE user_id <> $1")
        .bind(a)
        .fetch_one(&mut w.vendor_a.conn)
        .await
        .map(|r| sqlx::Row::get::<i64, _>(&r, 0));
    assert_eq!(err.unwrap(), 0, "vendor A reads others' preferences");

    // A vendor flooding the staff is stopped within a minute's 2,000 rows.
    let mut refused = None;
    for _ in 0..2100 {
        match notify(&mut w.vendor_a.conn, "sync_conflict", None, Some("admin"), None, None).await {
            Ok(_) => {}
            Err(e) => {
                refused = Some(e);
                break;
            }
        }
    }
    let err = refused.expect("the flood is stopped");
    assert_eq!(sqlstate(&err), "54000", "{err}");
    let sent: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM notifications WHERE sent_by = $1 AND created_at > now() - interval '1 minute'",
    )
    .bind(a)
    .fetch_one(&mut w.owner)
    .await
    .unwrap();
    assert!((2000..2100).contains(&sent), "{sent} rows from one vendor in a minute");
    // Staff are not held to it: the admin still announces.
    let n = notify(&mut w.admin.conn, "announcement", None, Some("vendor"), None, None).await.unwrap();
    assert!(n >= 2);
}
