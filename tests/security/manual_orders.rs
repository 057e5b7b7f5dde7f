//! Attack class: orders conjured by hand. Only admins take an order for a
//! customer, and only through the database's own function: the prices,
//! currency and commission come from the catalog and the vendor's terms, the
//! units must be free and are held at once, and a refused order leaves
//! nothing behind. Only admins attach a payment page, and only a Stripe
//! Checkout Session to a payment still waiting for its money; only admins
//! open another attempt, and only after the page's payment failed.

use crate::{World, is_denied, scalar_i64, uuid_of, world};
use uuid::Uuid;

const TAKE: &str = "SELECT md_create_manual_order($1, $2, $3, 'USD', $4, 0, $5)";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_admins_take_orders_and_the_database_prices_them() {
    let mut w: World = world().await;
    let variant = uuid_of(
        &mut w.owner,
        "SELECT v.id FROM product_variants v JOIN products p ON p.id = v.product_id JOIN users u ON u.id = p.vendor_id \
         WHERE p.status = 'approved' AND v.is_active AND v.currency = 'USD' AND u.status = 'active' \
         AND v.stock_on_hand - v.stock_reserved >= 3 ORDER BY v.sku LIMIT 1",
    )
    .await;
    let customer = uuid_of(
        &mut w.owner,
        "SELECT id FROM users WHERE role = 'customer' AND status = 'active' ORDER BY email LIMIT 1",
    )
    .await;
    let lines = serde_json::json!([{ "variant": variant, "quantity": 2, "unit_price_minor": 1 }]);
    for p in [&mut w.vendor_a, &mut w.logistics, &mut w.finance] {
        let e = sqlx::query(TAKE)
            .bind(Uuid::now_v7())
            .bind("MD-ATTACK")
            .bind(customer)
            .bind(&lines)
            .bind(Uuid::now_v7())
            .execute(&mut p.conn)
            .await
            .unwrap_err();
        assert!(is_denied(&e), "{} takes an order: {e}", p.name);
        let e = sqlx::query("SELECT md_attach_checkout($1, 'cs_test_x', 'https://evil.example', now())")
            .bind(Uuid::now_v7())
            .execute(&mut p.conn)
            .await
            .unwrap_err();
        assert!(is_denied(&e), "{} attaches a payment page: {e}", p.name);
        let e = sqlx::query("SELECT md_new_payment_attempt($1, $2)")
            .bind(Uuid::now_v7())
            .bind(Uuid::now_v7())
            .execute(&mut p.conn)
            .await
            .unwrap_err();
        assert!(is_denied(&e), "{} opens a payment attempt: {e}", p.name);
    }

    // More units than are free: refused in words, nothing written.
    let orders = scalar_i64(&mut w.owner, "SELECT count(*) FROM orders").await;
    let free = scalar_i64(
        &mut w.owner,
        &format!("SELECT CAST(stock_on_hand - stock_reserved AS BIGINT) FROM product_variants WHERE id = '{variant}'"),
    )
    .await;
    let greedy = serde_json::json!([{ "variant": variant, "quantity": free + 1 }]);
    let e = sqlx::query(TAKE)
        .bind(Uuid::now_v7())
        .bind("MD-GREEDY")
        .bind(customer)
        .bind(&greedy)
        .bind(Uuid::now_v7())
        .execute(&mut w.admin.conn)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("free to sell"), "{e}");
    assert_eq!(scalar_i64(&mut w.owner, "SELECT count(*) FROM orders").await, orders);

    // The admin's made-up price is ignored: the catalog's is charged, the units are held.
    let (order, payment) = (Uuid::now_v7(), Uuid::now_v7());
    let total: i64 = sqlx::query_scalar(TAKE)
        .bind(order)
        .bind("MD-BYHAND1")
        .bind(customer)
        .bind(&lines)
        .bind(payment)
        .fetch_one(&mut w.admin.conn)
        .await
        .unwrap();
    let price =
        scalar_i64(&mut w.owner, &format!("SELECT price_minor FROM product_variants WHERE id = '{variant}'")).await;
    assert_eq!(total, 2 * price);
    let held = scalar_i64(
        &mut w.owner,
        &format!("SELECT CAST(stock_reserved AS BIGINT) FROM product_variants WHERE id = '{variant}'"),
    )
    .await;
    let movement = scalar_i64(
        &mut w.owner,
        &format!("SELECT count(*) FROM stock_movements WHERE order_id = '{order}' AND kind = 'reserved' AND reserved_after = {held}"),
    )
    .await;
    assert_eq!(movement, 1, "the hold is a movement of the log");
    assert_eq!(
        scalar_i64(&mut w.owner, &format!("SELECT count(*) FROM orders WHERE id = '{order}' AND status = 'pending'"))
            .await,
        1
    );

    // Only a Checkout Session, only while the payment waits.
    let e = sqlx::query("SELECT md_attach_checkout($1, 'pi_123', 'https://checkout.stripe.com/x', now())")
        .bind(payment)
        .execute(&mut w.admin.conn)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("not a Checkout Session"), "{e}");
    let attached: bool =
        sqlx::query_scalar("SELECT md_attach_checkout($1, 'cs_test_1', 'https://checkout.stripe.com/x', now())")
            .bind(payment)
            .fetch_one(&mut w.admin.conn)
            .await
            .unwrap();
    assert!(attached);

    // A new attempt only after the page's payment failed, once, for the same amount.
    let attempt = "SELECT md_new_payment_attempt($1, $2)";
    let again: bool =
        sqlx::query_scalar(attempt).bind(order).bind(Uuid::now_v7()).fetch_one(&mut w.admin.conn).await.unwrap();
    assert!(!again, "a payment still waiting needs no other attempt");
    sqlx::query("UPDATE payments SET status = 'failed', provider_payment_id = 'pi_attack_failed' WHERE id = $1")
        .bind(payment)
        .execute(&mut w.owner)
        .await
        .unwrap();
    let next = Uuid::now_v7();
    let opened: bool = sqlx::query_scalar(attempt).bind(order).bind(next).fetch_one(&mut w.admin.conn).await.unwrap();
    assert!(opened);
    let twice: bool =
        sqlx::query_scalar(attempt).bind(order).bind(Uuid::now_v7()).fetch_one(&mut w.admin.conn).await.unwrap();
    assert!(!twice, "one new attempt per failure");
    let same = scalar_i64(
        &mut w.owner,
        &format!(
            "SELECT count(*) FROM payments n JOIN payments f ON f.id = '{payment}' WHERE n.id = '{next}' \
             AND n.amount_minor = f.amount_minor AND n.status = 'requires_payment' AND n.provider_payment_id IS NULL \
             AND f.status = 'failed' AND f.provider_payment_id = 'pi_attack_failed'"
        ),
    )
    .await;
    assert_eq!(same, 1, "the new attempt asks the same amount; the failed one is kept as it was");
    let payment = next;
    let attached: bool =
        sqlx::query_scalar("SELECT md_attach_checkout($1, 'cs_test_1b', 'https://checkout.stripe.com/x', now())")
            .bind(payment)
            .fetch_one(&mut w.admin.conn)
            .await
            .unwrap();
    assert!(attached, "the new attempt takes a page");
    sqlx::query("UPDATE orders SET status = 'cancelled' WHERE id = $1")
        .bind(order)
        .execute(&mut w.owner)
        .await
        .unwrap();
    let attached: bool =
        sqlx::query_scalar("SELECT md_attach_checkout($1, 'cs_test_2', 'https://checkout.stripe.com/y', now())")
            .bind(payment)
            .fetch_one(&mut w.admin.conn)
            .await
            .unwrap();
    assert!(!attached, "a cancelled order gets no payment page");
}
