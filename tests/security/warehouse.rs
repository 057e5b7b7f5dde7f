//! Attack class: the warehouse's own records past the warehouse. Logistics
//! may put a variant in a bin and change nothing else of it (not its price,
//! stock or name); a vendor reads its bins but cannot move them; a bin must be
//! a bin code. A day close is signed by the person closing, read and written
//! by admins and logistics only, and never rewritten.

use crate::{World, is_denied, rls_violation, world};
use uuid::Uuid;

async fn vendor_variant(w: &mut World) -> Uuid {
    sqlx::query_scalar(
        "SELECT v.id FROM product_variants v JOIN products p ON p.id = v.product_id \
         WHERE p.vendor_id = $1 AND v.deleted_at IS NULL ORDER BY v.id LIMIT 1",
    )
    .bind(w.vendor_a.id)
    .fetch_one(&mut w.owner)
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bins_and_day_closes_stay_with_the_warehouse() {
    let mut w = world().await;
    let v = vendor_variant(&mut w).await;

    let bin = "UPDATE product_variants SET bin_location = $1, version = version + 1 WHERE id = $2";
    let done = sqlx::query(bin).bind("A-03-2").bind(v).execute(&mut w.logistics.conn).await.expect("logistics bins");
    assert_eq!(done.rows_affected(), 1);
    for grab in [
        "UPDATE product_variants SET price_minor = 1 WHERE id = $1",
        "UPDATE product_variants SET stock_on_hand = stock_on_hand + 100 WHERE id = $1",
        "UPDATE product_variants SET name = 'mine' WHERE id = $1",
    ] {
        let e = sqlx::query(grab).bind(v).execute(&mut w.logistics.conn).await.unwrap_err();
        assert!(is_denied(&e), "{grab}: {e}");
    }
    let e = sqlx::query(bin).bind("A-03-2; DROP").bind(v).execute(&mut w.logistics.conn).await.unwrap_err();
    assert!(e.to_string().contains("bin_location"), "a malformed bin: {e}");
    let e = sqlx::query(bin).bind("Z-9").bind(v).execute(&mut w.vendor_a.conn).await.unwrap_err();
    assert!(is_denied(&e), "a vendor moves its bin: {e}");
    let seen: Option<String> = sqlx::query_scalar("SELECT bin_location FROM product_variants WHERE id = $1")
        .bind(v)
        .fetch_one(&mut w.vendor_a.conn)
        .await
        .unwrap();
    assert_eq!(seen.as_deref(), Some("A-03-2"), "the vendor reads where its goods are");

    let close = |by: Uuid| {
        format!(
            "INSERT INTO carrier_day_closes (id, carrier, close_date, parcels, manifest, closed_by) \
             VALUES ('{}', 'fedex', '2026-12-04', 1, '\\x00', '{by}')",
            Uuid::now_v7()
        )
    };
    let (admin, logistics) = (w.admin.id, w.logistics.id);
    sqlx::query(&close(logistics)).execute(&mut w.logistics.conn).await.expect("logistics closes the day");
    let forged = sqlx::query(&close(admin)).execute(&mut w.logistics.conn).await.unwrap_err();
    assert!(rls_violation(&forged), "a close signed as someone else: {forged}");
    let e = sqlx::query("UPDATE carrier_day_closes SET parcels = 0").execute(&mut w.logistics.conn).await.unwrap_err();
    assert!(is_denied(&e), "a close rewritten: {e}");
    for conn in [&mut w.vendor_a.conn, &mut w.finance.conn] {
        let e = sqlx::query("SELECT count(*) FROM carrier_day_closes").execute(conn).await.unwrap_err();
        assert!(is_denied(&e), "{e}");
    }
}
