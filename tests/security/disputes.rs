//! Attack class: working a dispute by hand past its lifecycle. A vendor may
//! open disputes only on orders they sell in, only with the platform, and
//! move their own only by the vendor's moves: never reject one, never pick
//! the admin, never set their own deadline or mark a refund made. Admins
//! move disputes by the table (the clock's moves only once the deadline
//! passed) and never mark a refund made; finance marks a due refund made and
//! touches nothing else. Files in a thread stay with its readers: never a
//! staff note's for a vendor, never another vendor's, never changed.

use crate::{World, is_denied, rls_violation, world};
use uuid::Uuid;

async fn status_of(w: &mut World, id: Uuid) -> (String, Option<String>, Option<String>) {
    sqlx::query_as("SELECT status, resolution, refund_state FROM disputes WHERE id = $1")
        .bind(id)
        .fetch_one(&mut w.owner)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disputes_move_only_as_the_lifecycle_allows() {
    let mut w = world().await;
    let (a, b) = (w.vendor_a.id, w.vendor_b.id);
    let mine: Uuid = sqlx::query_scalar("SELECT id FROM disputes WHERE vendor_id = $1 ORDER BY id LIMIT 1")
        .bind(a)
        .fetch_one(&mut w.owner)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE disputes SET status = 'awaiting_vendor', resolution = NULL, resolved_at = NULL, refund_state = NULL, \
         stage_due_at = now() + interval '3 days' WHERE id = $1",
    )
    .bind(mine)
    .execute(&mut w.owner)
    .await
    .unwrap();
    let touch = |set: &str| format!("UPDATE disputes SET {set}, version = version + 1 WHERE id = '{mine}'");

    // A vendor never rejects, never picks the admin, never moves another's.
    let mut failures = Vec::new();
    for (sql, what) in [
        (touch("status = 'closed', resolution = 'rejected'"), "a vendor rejects the buyer's dispute"),
        (touch("status = 'open'"), "a vendor takes the dispute back to open"),
        (touch("assigned_to = md_uid()"), "a vendor picks who handles it"),
        (touch("stripe_dispute_id = 'dp_fake'"), "a vendor rewrites what it is"),
    ] {
        match sqlx::query(&sql).execute(&mut w.vendor_a.conn).await {
            Err(e) if is_denied(&e) => {}
            Err(e) => failures.push(format!("{what}: wrong error {e}")),
            Ok(_) => failures.push(format!("{what}: allowed")),
        }
    }
    let other = sqlx::query("UPDATE disputes SET status = 'escalated' WHERE vendor_id = $1")
        .bind(b)
        .execute(&mut w.vendor_a.conn)
        .await
        .unwrap();
    assert_eq!(other.rows_affected(), 0, "another vendor's disputes are out of reach");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(status_of(&mut w, mine).await.0, "awaiting_vendor", "nothing moved");

    // A vendor's concession: the database sets the refund as due (not made)
    // and the deadline itself, whatever the vendor wrote.
    sqlx::query(&touch(
        "status = 'resolved', resolution = 'refund_full', refund_state = 'refunded', stage_due_at = now() + interval '1 year'",
    ))
    .execute(&mut w.vendor_a.conn)
    .await
    .unwrap();
    let (status, resolution, refund) = status_of(&mut w, mine).await;
    assert_eq!(
        (status.as_str(), resolution.as_deref(), refund.as_deref()),
        ("resolved", Some("refund_full"), Some("due"))
    );
    let due: Option<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar("SELECT stage_due_at FROM disputes WHERE id = $1")
            .bind(mine)
            .fetch_one(&mut w.owner)
            .await
            .unwrap();
    assert!(due.is_none(), "an ended dispute has no deadline");

    // Nobody but finance marks the refund made; finance touches nothing else.
    let made = touch("refund_state = 'refunded'");
    let e = sqlx::query(&made).execute(&mut w.admin.conn).await.unwrap_err();
    assert!(is_denied(&e), "an admin marks a refund made: {e}");
    let e = sqlx::query(&touch("status = 'closed'")).execute(&mut w.finance.conn).await.unwrap_err();
    assert!(is_denied(&e), "finance moves a dispute: {e}");
    let e = sqlx::query(&touch("status = 'open'")).execute(&mut w.admin.conn).await.unwrap_err();
    assert!(is_denied(&e), "an admin reopens an ended dispute: {e}");
    let done = sqlx::query(&made).execute(&mut w.finance.conn).await.unwrap();
    assert_eq!(done.rows_affected(), 1);
    assert_eq!(status_of(&mut w, mine).await.2.as_deref(), Some("refunded"));

    // An admin's clock move only once the deadline passed.
    let live: Uuid = sqlx::query_scalar(
        "UPDATE disputes SET status = 'under_review', overdue_at = NULL, resolution = NULL, refund_state = NULL, \
         stage_due_at = now() + interval '1 day' WHERE id = (SELECT id FROM disputes WHERE id <> $1 ORDER BY id LIMIT 1) RETURNING id",
    )
    .bind(mine)
    .fetch_one(&mut w.owner)
    .await
    .unwrap();
    let escalate = format!("UPDATE disputes SET status = 'escalated' WHERE id = '{live}'");
    let e = sqlx::query(&escalate).execute(&mut w.admin.conn).await.unwrap_err();
    assert!(is_denied(&e), "the clock's move before the deadline: {e}");
    sqlx::query("UPDATE disputes SET stage_due_at = now() - interval '1 hour' WHERE id = $1")
        .bind(live)
        .execute(&mut w.owner)
        .await
        .unwrap();
    sqlx::query(&escalate).execute(&mut w.admin.conn).await.expect("past its deadline, the clock's move is open");

    // Opening: only on one's own orders, only with the platform.
    let b_order: Uuid = sqlx::query_scalar(
        "SELECT order_id FROM order_items WHERE vendor_id = $1 AND order_id NOT IN \
         (SELECT order_id FROM order_items WHERE vendor_id = $2) LIMIT 1",
    )
    .bind(b)
    .bind(a)
    .fetch_one(&mut w.owner)
    .await
    .unwrap();
    let own_order: Uuid = sqlx::query_scalar("SELECT order_id FROM order_items WHERE vendor_id = $1 LIMIT 1")
        .bind(a)
        .fetch_one(&mut w.owner)
        .await
        .unwrap();
    let open = |order: String, status: &str| {
        format!(
            "INSERT INTO disputes (id, order_id, opened_by, vendor_id, kind, status, subject, opened_at) \
             VALUES ('{}', {order}, md_uid(), md_uid(), 'other', '{status}', 'mine', now())",
            Uuid::now_v7()
        )
    };
    for (sql, what) in [
        (open(format!("'{b_order}'"), "open"), "a vendor opens a dispute on another vendor's order"),
        (open(format!("'{own_order}'"), "resolved"), "a vendor opens a dispute already resolved"),
        (open(format!("'{own_order}'"), "awaiting_vendor"), "a vendor opens one in their own stage"),
    ] {
        let e = sqlx::query(&sql).execute(&mut w.vendor_a.conn).await.unwrap_err();
        assert!(rls_violation(&e), "{what}: {e}");
    }
    sqlx::query(&open(format!("'{own_order}'"), "open"))
        .execute(&mut w.vendor_a.conn)
        .await
        .expect("a vendor opens a dispute with the platform on their own order");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vendor_never_reads_staff_or_other_vendors_dispute_files() {
    let mut w = crate::world().await;
    let dispute: uuid::Uuid = sqlx::query_scalar("SELECT id FROM disputes WHERE vendor_id = $1 ORDER BY id LIMIT 1")
        .bind(w.vendor_a.id)
        .fetch_one(&mut w.owner)
        .await
        .expect("vendor A has a dispute");
    let message: uuid::Uuid = sqlx::query_scalar("SELECT id FROM dispute_messages WHERE dispute_id = $1 LIMIT 1")
        .bind(dispute)
        .fetch_one(&mut w.owner)
        .await
        .expect("the dispute has a message");
    let insert = |internal: bool, by: uuid::Uuid| {
        sqlx::query(
            "INSERT INTO dispute_attachments (id, dispute_id, message_id, file_name, media_type, byte_size, sha256, \
             content, is_internal, uploaded_by) VALUES ($1, $2, $3, 'a.txt', 'text/plain', 1, $4, '\\x41', $5, $6)",
        )
        .bind(uuid::Uuid::now_v7())
        .bind(dispute)
        .bind(message)
        .bind(format!("{:064x}", 7))
        .bind(internal)
        .bind(by)
    };
    insert(true, w.admin.id).execute(&mut w.admin.conn).await.unwrap();
    insert(false, w.vendor_a.id).execute(&mut w.vendor_a.conn).await.unwrap();
    let e = insert(true, w.vendor_a.id).execute(&mut w.vendor_a.conn).await.unwrap_err();
    assert!(crate::rls_violation(&e), "a vendor writes a staff-only file: {e}");
    let e = insert(false, w.vendor_b.id).execute(&mut w.vendor_b.conn).await.unwrap_err();
    assert!(crate::rls_violation(&e), "another vendor writes into the dispute: {e}");
    let count = format!("SELECT count(*) FROM dispute_attachments WHERE dispute_id = '{dispute}'");
    assert_eq!(crate::scalar_i64(&mut w.vendor_a.conn, &count).await, 1, "only the non-internal file");
    assert_eq!(crate::scalar_i64(&mut w.vendor_b.conn, &count).await, 0);
    assert_eq!(crate::scalar_i64(&mut w.finance.conn, &count).await, 2);
    for sql in ["UPDATE dispute_attachments SET file_name = 'b.txt'", "DELETE FROM dispute_attachments"] {
        let e = sqlx::query(sql).execute(&mut w.admin.conn).await.unwrap_err();
        assert!(crate::is_denied(&e), "evidence is never changed: {sql}: {e}");
    }
}
