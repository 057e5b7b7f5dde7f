//! Attack class: stock typed over. Stock on hand and held for orders are the
//! movement log's running totals: no login writes them, not even an admin; a
//! new variant starts empty; a movement names its real vendor, person and
//! the totals it left whatever the login claims; a vendor moves and reads
//! only their own variants' stock; nobody rewrites or removes a movement;
//! a movement past what is on the shelf is refused whole.

use crate::{World, is_denied, world};
use uuid::Uuid;

/// A variant of `vendor` with at least 5 units on hand.
async fn stocked(w: &mut World, vendor: Uuid) -> Uuid {
    sqlx::query_scalar(
        "SELECT v.id FROM product_variants v JOIN products p ON p.id = v.product_id \
         WHERE p.vendor_id = $1 AND v.stock_on_hand >= 5 AND v.deleted_at IS NULL ORDER BY v.id LIMIT 1",
    )
    .bind(vendor)
    .fetch_one(&mut w.owner)
    .await
    .expect("a stocked variant")
}

async fn totals(w: &mut World, variant: Uuid) -> (i32, i32, i64) {
    sqlx::query_as(
        "SELECT stock_on_hand, stock_reserved, (SELECT count(*) FROM stock_movements m WHERE m.variant_id = v.id) \
         FROM product_variants v WHERE id = $1",
    )
    .bind(variant)
    .fetch_one(&mut w.owner)
    .await
    .unwrap()
}

/// A movement as a login writes it: what it claims about the vendor, the
/// totals left and the person, beside the variant, kind and units.
struct Claim<'a> {
    id: Uuid,
    variant: Uuid,
    product: Uuid,
    vendor: Uuid,
    kind: &'a str,
    delta: i32,
    after: Option<i32>,
    actor: Uuid,
}

async fn record(conn: &mut sqlx::PgConnection, c: Claim<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO stock_movements (id, variant_id, product_id, vendor_id, kind, on_hand_delta, \
         on_hand_after, reserved_after, actor_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(c.id)
    .bind(c.variant)
    .bind(c.product)
    .bind(c.vendor)
    .bind(c.kind)
    .bind(c.delta)
    .bind(c.after)
    .bind(c.after.map(|_| 0))
    .bind(c.actor)
    .execute(conn)
    .await
    .map(|_| ())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stock_moves_only_through_the_log() {
    let mut w = world().await;
    let (a, b) = (w.vendor_a.id, w.vendor_b.id);
    let mine = stocked(&mut w, a).await;
    let theirs = stocked(&mut w, b).await;
    let product: Uuid = sqlx::query_scalar("SELECT product_id FROM product_variants WHERE id = $1")
        .bind(mine)
        .fetch_one(&mut w.owner)
        .await
        .unwrap();

    // Nobody types the totals over.
    for (who, conn) in
        [("admin", &mut w.admin.conn), ("vendor", &mut w.vendor_a.conn), ("logistics", &mut w.logistics.conn)]
    {
        for sql in [
            "UPDATE product_variants SET stock_on_hand = stock_on_hand + 100 WHERE id = $1",
            "UPDATE product_variants SET stock_reserved = 0 WHERE id = $1",
        ] {
            let e = sqlx::query(sql).bind(mine).execute(&mut *conn).await.expect_err(sql);
            assert!(is_denied(&e), "{who}: {sql}: {e}");
        }
    }

    // A new variant starts empty.
    let e = sqlx::query(
        "INSERT INTO product_variants (id, product_id, sku, name, price_minor, currency, stock_on_hand) \
         VALUES ($1, $2, 'FREE-STOCK', 'Free stock', 1, 'USD', 500)",
    )
    .bind(Uuid::now_v7())
    .bind(product)
    .execute(&mut w.vendor_a.conn)
    .await
    .unwrap_err();
    assert!(is_denied(&e), "a variant born with stock: {e}");

    // A vendor's own movement lands with the truth, whatever it claims.
    let before = totals(&mut w, mine).await;
    let forged = Uuid::now_v7();
    record(
        &mut w.vendor_a.conn,
        Claim {
            id: forged,
            variant: mine,
            product,
            vendor: b,
            kind: "received",
            delta: 4,
            after: Some(99_999),
            actor: b,
        },
    )
    .await
    .expect("a vendor records their own delivery");
    let (vendor, actor, after): (Uuid, Uuid, i32) =
        sqlx::query_as("SELECT vendor_id, actor_id, on_hand_after FROM stock_movements WHERE id = $1")
            .bind(forged)
            .fetch_one(&mut w.owner)
            .await
            .unwrap();
    assert_eq!((vendor, actor, after), (a, a, before.0 + 4), "vendor, person and totals are the database's");
    assert_eq!(totals(&mut w, mine).await, (before.0 + 4, before.1, before.2 + 1));

    // Not someone else's, not by finance, not past the shelf.
    let e = record(
        &mut w.vendor_a.conn,
        Claim {
            id: Uuid::now_v7(),
            variant: theirs,
            product,
            vendor: a,
            kind: "damaged",
            delta: -1,
            after: None,
            actor: a,
        },
    )
    .await
    .unwrap_err();
    assert!(is_denied(&e), "a vendor moves another vendor's stock: {e}");
    let e = record(
        &mut w.finance.conn,
        Claim {
            id: Uuid::now_v7(),
            variant: mine,
            product,
            vendor: a,
            kind: "found",
            delta: 1,
            after: None,
            actor: w.finance.id,
        },
    )
    .await
    .unwrap_err();
    assert!(is_denied(&e), "finance moves stock: {e}");
    let now = totals(&mut w, mine).await;
    let e = record(
        &mut w.vendor_a.conn,
        Claim {
            id: Uuid::now_v7(),
            variant: mine,
            product,
            vendor: a,
            kind: "lost",
            delta: -(now.0 + 1),
            after: None,
            actor: a,
        },
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("not enough stock"), "below zero: {e}");
    assert_eq!(totals(&mut w, mine).await, now, "a refused movement leaves nothing");

    // Logistics receives any vendor's goods.
    record(
        &mut w.logistics.conn,
        Claim {
            id: Uuid::now_v7(),
            variant: theirs,
            product,
            vendor: a,
            kind: "received",
            delta: 2,
            after: None,
            actor: w.logistics.id,
        },
    )
    .await
    .expect("logistics receives a delivery");

    // The log is append-only and each vendor reads their own.
    for sql in [
        "UPDATE stock_movements SET on_hand_delta = 1000 WHERE id = $1",
        "UPDATE stock_movements SET deleted_at = now() WHERE id = $1",
        "DELETE FROM stock_movements WHERE id = $1",
    ] {
        for conn in [&mut w.admin.conn, &mut w.vendor_a.conn] {
            let e = sqlx::query(sql).bind(forged).execute(&mut *conn).await.expect_err(sql);
            assert!(is_denied(&e), "{sql}: {e}");
        }
    }
    let foreign: i64 = sqlx::query_scalar("SELECT count(*) FROM stock_movements WHERE vendor_id <> $1")
        .bind(a)
        .fetch_one(&mut w.vendor_a.conn)
        .await
        .unwrap();
    assert_eq!(foreign, 0, "a vendor reads only their own movements");
    let everyone: i64 = sqlx::query_scalar("SELECT count(DISTINCT vendor_id) FROM stock_movements")
        .fetch_one(&mut w.finance.conn)
        .await
        .unwrap();
    assert!(everyone >= 2, "finance reads every vendor's movements");

    // And the totals are still the log's sums.
    let drift: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM product_variants v WHERE v.stock_on_hand <> \
         (SELECT coalesce(sum(on_hand_delta), 0) FROM stock_movements m WHERE m.variant_id = v.id)",
    )
    .fetch_one(&mut w.owner)
    .await
    .unwrap();
    assert_eq!(drift, 0);
}
