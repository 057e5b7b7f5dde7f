//! Attack class: customer records past their keepers. Vendors and logistics
//! read no staff notes about customers; a note is signed by its writer and is
//! about a customer; admins keep customers' address books only, and never
//! rewrite an address in place; only admins block, only customers, on the
//! version read; a blocked customer's new order is refused by the database.

use crate::{World, is_denied, rls_violation, world};
use uuid::Uuid;

async fn customer(w: &mut World) -> (Uuid, i64) {
    sqlx::query_as("SELECT id, version FROM users WHERE role = 'customer' ORDER BY id LIMIT 1")
        .fetch_one(&mut w.owner)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customer_records_stay_with_their_keepers() {
    let mut w = world().await;
    let (c, version) = customer(&mut w).await;
    let (admin, finance, vendor) = (w.admin.id, w.finance.id, w.vendor_a.id);

    // Notes: signed by the writer, about a customer; vendors and logistics read none.
    let note = |author: Uuid, about: Uuid| {
        format!(
            "INSERT INTO customer_notes (id, customer_id, author_id, body) VALUES ('{}', '{about}', '{author}', 'x')",
            Uuid::now_v7()
        )
    };
    sqlx::query(&note(finance, c)).execute(&mut w.finance.conn).await.expect("finance notes a customer");
    let forged = sqlx::query(&note(admin, c)).execute(&mut w.finance.conn).await.unwrap_err();
    assert!(rls_violation(&forged), "a note signed as someone else: {forged}");
    let staff = sqlx::query(&note(admin, vendor)).execute(&mut w.admin.conn).await.unwrap_err();
    assert!(rls_violation(&staff), "a 'customer' note about a vendor: {staff}");
    for conn in [&mut w.vendor_a.conn, &mut w.logistics.conn] {
        let e = sqlx::query("SELECT count(*) FROM customer_notes").execute(conn).await.unwrap_err();
        assert!(is_denied(&e), "{e}");
    }

    // Address books: admins add to customers' only, and never edit an address in place.
    let add = |owner: Uuid| {
        format!(
            "INSERT INTO shipping_addresses (id, user_id, recipient_name, line1, city, postal_code, country) \
             VALUES ('{}', '{owner}', 'A', '1 St', 'Town', '10115', 'DE')",
            Uuid::now_v7()
        )
    };
    let e = sqlx::query(&add(vendor)).execute(&mut w.admin.conn).await.unwrap_err();
    assert!(rls_violation(&e), "an admin adds an address to a vendor: {e}");
    let e = sqlx::query(&add(c)).execute(&mut w.finance.conn).await.unwrap_err();
    assert!(is_denied(&e), "finance adds an address: {e}");
    let e = sqlx::query("UPDATE shipping_addresses SET line1 = 'elsewhere' WHERE user_id = $1")
        .bind(c)
        .execute(&mut w.admin.conn)
        .await
        .unwrap_err();
    assert!(is_denied(&e), "an address rewritten in place: {e}");
    sqlx::query(&add(c)).execute(&mut w.admin.conn).await.expect("an admin adds to a customer's book");
    let two = sqlx::query("UPDATE shipping_addresses SET is_default = true WHERE user_id = $1 AND deleted_at IS NULL")
        .bind(c)
        .execute(&mut w.admin.conn)
        .await
        .unwrap_err();
    assert_eq!(crate::sqlstate(&two), "23505", "two default addresses for one person: {two}");

    // Blocking: admins only, customers only, on the version read.
    let block = "SELECT md_set_customer_blocked($1, true, $2)";
    for conn in [&mut w.finance.conn, &mut w.vendor_a.conn, &mut w.logistics.conn] {
        let e = sqlx::query(block).bind(c).bind(version).execute(conn).await.unwrap_err();
        assert!(is_denied(&e), "{e}");
    }
    let e = sqlx::query(block).bind(vendor).bind(1_i64).execute(&mut w.admin.conn).await.unwrap_err();
    assert!(e.to_string().contains("only customers"), "{e}");
    let stale: Option<i64> =
        sqlx::query_scalar(block).bind(c).bind(version + 3).fetch_one(&mut w.admin.conn).await.unwrap();
    assert_eq!(stale, None, "a stale version changes nothing");
    let e = sqlx::query("UPDATE users SET status = 'suspended' WHERE id = $1")
        .bind(c)
        .execute(&mut w.admin.conn)
        .await
        .unwrap_err();
    assert!(is_denied(&e), "status is set through the function only: {e}");
    let moved: Option<i64> =
        sqlx::query_scalar(block).bind(c).bind(version).fetch_one(&mut w.admin.conn).await.unwrap();
    assert_eq!(moved, Some(version + 1));

    // The blocked customer's new order is refused, whoever writes it.
    let e = sqlx::query(
        "INSERT INTO orders (id, number, customer_id, currency, subtotal_minor, total_minor, placed_at) \
         VALUES ($1, 'MD-ATTACK-1', $2, 'USD', 100, 100, now())",
    )
    .bind(Uuid::now_v7())
    .bind(c)
    .execute(&mut w.owner)
    .await
    .unwrap_err();
    assert!(e.to_string().contains("blocked"), "{e}");
}
