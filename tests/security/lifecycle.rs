//! Attack class: moving an order by hand past its lifecycle. A login with
//! UPDATE on orders may still only make the moves its role makes in the
//! domain's table: the warehouse never marks an order paid or cancelled, an
//! admin never marks one paid, nobody brings a cancelled order back, and the
//! payment function marks paid only an order with a payment behind it.

use crate::{World, is_denied, world};
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Clone, Copy)]
enum Who {
    Admin,
    Logistics,
    Finance,
    Vendor,
}

fn conn(w: &mut World, who: Who) -> &mut PgConnection {
    match who {
        Who::Admin => &mut w.admin.conn,
        Who::Logistics => &mut w.logistics.conn,
        Who::Finance => &mut w.finance.conn,
        Who::Vendor => &mut w.vendor_a.conn,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orders_move_only_as_the_lifecycle_allows() {
    let mut w = world().await;
    // Three orders Stripe was paid for, put (by the owner) where the attacks
    // need them: one paid, one pending with its payment failed, one cancelled.
    let rows: Vec<Uuid> = sqlx::query_scalar(
        "SELECT o.id FROM orders o WHERE o.deleted_at IS NULL AND EXISTS (SELECT 1 FROM payments p \
         WHERE p.order_id = o.id AND p.status = 'succeeded') ORDER BY o.id LIMIT 3",
    )
    .fetch_all(&mut w.owner)
    .await
    .unwrap();
    let (paid, pending, cancelled) = (rows[0], rows[1], rows[2]);
    sqlx::query("UPDATE orders SET status = 'paid' WHERE id = $1").bind(paid).execute(&mut w.owner).await.unwrap();
    for sql in [
        "UPDATE orders SET status = 'pending', paid_at = NULL WHERE id = $1",
        "UPDATE payments SET status = 'failed' WHERE order_id = $1",
    ] {
        sqlx::query(sql).bind(pending).execute(&mut w.owner).await.unwrap();
    }
    sqlx::query("UPDATE orders SET status = 'cancelled', cancelled_at = now() WHERE id = $1")
        .bind(cancelled)
        .execute(&mut w.owner)
        .await
        .unwrap();
    let set =
        |to: &str, id: Uuid| format!("UPDATE orders SET status = '{to}', version = version + 1 WHERE id = '{id}'");

    // Refused, each over the person's own connection.
    let refused = [
        (Who::Logistics, set("paid", pending), "the warehouse marks an order paid"),
        (Who::Logistics, set("cancelled", paid), "the warehouse cancels an order"),
        (Who::Logistics, set("refunded", paid), "the warehouse refunds an order"),
        (Who::Admin, set("paid", pending), "an admin marks an order paid with no payment"),
        (Who::Admin, set("pending", paid), "an admin takes an order back to pending"),
        (Who::Admin, set("paid", cancelled), "an admin brings a cancelled order back"),
        (Who::Admin, set("delivered", paid), "an admin skips shipping"),
        (Who::Finance, set("refunded", paid), "finance refunds without a refund"),
        (Who::Vendor, set("shipped", paid), "a vendor ships the whole order"),
    ];
    let mut failures = Vec::new();
    for (who, sql, what) in refused {
        match sqlx::query(&sql).execute(conn(&mut w, who)).await {
            Err(e) if is_denied(&e) => {}
            Err(e) => failures.push(format!("{what}: wrong error {e}")),
            Ok(r) if r.rows_affected() == 0 => {}
            Ok(_) => failures.push(format!("{what}: allowed")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let status: String =
        sqlx::query_scalar("SELECT status FROM orders WHERE id = $1").bind(paid).fetch_one(&mut w.owner).await.unwrap();
    assert_eq!(status, "paid", "nothing moved");

    // Allowed: the warehouse's steps, and an admin's cancellation.
    for (who, sql) in [
        (Who::Logistics, set("processing", paid)),
        (Who::Logistics, set("shipped", paid)),
        (Who::Admin, set("delivered", paid)),
        (Who::Admin, set("cancelled", pending)),
    ] {
        let done = sqlx::query(&sql).execute(conn(&mut w, who)).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
        assert_eq!(done.rows_affected(), 1, "{sql}");
    }

    // The payment function marks paid only an order Stripe was paid for: the
    // pending one's payment failed (the admin's cancellation above is undone first).
    sqlx::query("UPDATE orders SET status = 'pending', cancelled_at = NULL WHERE id = $1")
        .bind(pending)
        .execute(&mut w.owner)
        .await
        .unwrap();
    let marked: bool = sqlx::query_scalar("SELECT md_mark_order_paid($1, now())")
        .bind(pending)
        .fetch_one(&mut w.finance.conn)
        .await
        .unwrap();
    assert!(!marked, "no payment, no paid order");
}
