//! Attack class: forging the record. A vendor writes audit rows as an admin,
//! back-dated, by the hundred thousand; reports a million failed sign-ins;
//! shares its saved report with finance. The audit trail is written by the
//! database's own functions only, with actor and time from the session.

use crate::{World, is_denied, rls_violation, scalar_i64, sqlstate, world};
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_rows_come_from_the_database_only() {
    let mut w: World = world().await;
    let a = w.vendor_a.id;
    let va = &mut w.vendor_a.conn;

    // No direct insert, with any actor.
    for actor in [a, w.admin.id] {
        let err = sqlx::query(
            "INSERT INTO audit_log (id, actor_id, actor_role, action, occurred_at) VALUES (gen_random_uuid(), $1, 'admin', 'user_created', '2020-01-01')",
        )
        .bind(actor)
        .execute(&mut *va)
        .await
        .unwrap_err();
        assert!(is_denied(&err), "{err}");
    }
    // Through the function, the actor and time are the session's whatever is asked.
    let id: Uuid =
        sqlx::query_scalar("SELECT md_record_audit('report.exported', 'reports', NULL, '{\"rows\": 3}', $1)")
            .bind(w.admin.id)
            .fetch_one(&mut *va)
            .await
            .unwrap();
    let (actor, role, fresh): (Option<Uuid>, Option<String>, bool) = sqlx::query_as(
        "SELECT actor_id, actor_role, occurred_at > now() - interval '1 minute' FROM audit_log WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut w.owner)
    .await
    .unwrap();
    assert_eq!((actor, role.as_deref(), fresh), (Some(a), Some("vendor"), true));
    // Shapes: an action is a short lower-case name, details at most 4 KB, a table of the schema.
    for (sql, why) in [
        ("SELECT md_record_audit('DROP TABLE users', NULL, NULL, NULL)", "odd action"),
        ("SELECT md_record_audit('x.y', 'pg_authid', NULL, NULL)", "not a marketplace table"),
        ("SELECT md_record_audit('x.y', NULL, NULL, jsonb_build_object('pad', repeat('x', 5000)))", "5 KB of details"),
    ] {
        let err = sqlx::query(sql).execute(&mut *va).await.expect_err(why);
        assert_eq!(sqlstate(&err), "22023", "{why}: {err}");
    }
    // A flood stops at 120 a minute from one person.
    let mut written = 1;
    let mut stopped = None;
    for _ in 0..400 {
        match sqlx::query("SELECT md_record_audit('flood.probe', NULL, NULL, NULL)").execute(&mut *va).await {
            Ok(_) => written += 1,
            Err(e) => {
                stopped = Some(e);
                break;
            }
        }
    }
    let err = stopped.expect("the flood was stopped");
    assert_eq!(sqlstate(&err), "54000", "{err}");
    assert_eq!(written, 120, "exactly the allowance went in");
    let total = scalar_i64(
        &mut w.owner,
        &format!(
            "SELECT count(*) FROM audit_log WHERE actor_id = '{a}' AND occurred_at > now() - interval '5 minutes'"
        ),
    )
    .await;
    assert_eq!(total, 120);

    // The failed sign-in counter: a small non-negative number, once per session.
    let lg = &mut w.logistics.conn;
    for n in [-1, 1_000_000] {
        let err = sqlx::query("SELECT md_signed_in($1)").bind(n).execute(&mut *lg).await.unwrap_err();
        assert_eq!(sqlstate(&err), "22023", "{n}: {err}");
    }
    for _ in 0..3 {
        sqlx::query("SELECT md_signed_in(2)").execute(&mut *lg).await.unwrap();
    }
    let rows = scalar_i64(
        &mut w.owner,
        &format!(
            "SELECT count(*) FROM audit_log WHERE actor_id = '{}' AND action IN ('signed_in', 'failed_sign_ins')",
            w.logistics.id
        ),
    )
    .await;
    assert_eq!(rows, 2, "one sign-in and one failure report for the session, however often it is called");

    // Saved reports: a vendor's stay its own; staff share theirs.
    let share = "INSERT INTO reports (id, name, kind, owner_id, definition, is_shared) VALUES (gen_random_uuid(), 'mine', 'revenue', $1, '{}', true)";
    let err = sqlx::query(share).bind(a).execute(&mut w.vendor_a.conn).await.unwrap_err();
    assert!(rls_violation(&err), "{err}");
    let report: Uuid = sqlx::query_scalar(
        "INSERT INTO reports (id, name, kind, owner_id, definition) VALUES (gen_random_uuid(), 'mine', 'revenue', $1, '{}') RETURNING id",
    )
    .bind(a)
    .fetch_one(&mut w.vendor_a.conn)
    .await
    .unwrap();
    let err = sqlx::query("UPDATE reports SET is_shared = true WHERE id = $1")
        .bind(report)
        .execute(&mut w.vendor_a.conn)
        .await
        .unwrap_err();
    assert!(rls_violation(&err), "a vendor cannot share later either: {err}");
    let shared = "SELECT count(*) FROM reports WHERE is_shared";
    let before = scalar_i64(&mut w.admin.conn, shared).await;
    sqlx::query(share).bind(w.finance.id).execute(&mut w.finance.conn).await.expect("finance shares");
    assert_eq!(scalar_i64(&mut w.admin.conn, shared).await, before + 1, "the admin reads finance's shared report");
}
