//! Orders taken by hand from the command line against a real PostgreSQL
//! and the local Stripe fake: `orders take`, `orders payment-link`, then
//! `stripe sync` once the customer paid.

use marketdesk_test_support::money::{Db, assert_ledger_whole, count, seeded_pg};
use marketdesk_test_support::stripe_fake::StripeFake;
use sqlx::{Connection, PgConnection};
use std::time::Duration;
use uuid::Uuid;

async fn conn(db: &Db) -> PgConnection {
    PgConnection::connect(&db.url).await.unwrap()
}

/// `marketdesk orders take` and `orders payment-link` as an admin runs them,
/// then `stripe sync` once the customer paid on the page: the order is paid
/// once, its held units sold.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_taken_by_hand_from_the_command_line_is_paid_through_its_link() {
    let db = seeded_pg().await;
    let fake = StripeFake::start(Duration::ZERO).await;
    let home = tempfile::tempdir().unwrap();
    let (sku, variant, email): (String, Uuid, String) = sqlx::query_as(
        "SELECT v.sku, v.id, (SELECT email FROM users WHERE role = 'customer' AND status = 'active' ORDER BY email LIMIT 1) \
         FROM product_variants v JOIN products p ON p.id = v.product_id JOIN users u ON u.id = p.vendor_id \
         WHERE p.status = 'approved' AND v.is_active AND v.currency = 'USD' AND u.status = 'active' \
         AND v.stock_on_hand - v.stock_reserved >= 3 \
         AND (SELECT count(*) FROM product_variants w WHERE lower(w.sku) = lower(v.sku) AND w.deleted_at IS NULL) = 1 \
         ORDER BY v.sku LIMIT 1",
    )
    .fetch_one(&mut conn(&db).await)
    .await
    .unwrap();
    let run = |args: Vec<String>| {
        let mut cmd = std::process::Command::new(marketdesk_test_support::marketdesk_bin());
        cmd.args(["--database-url", &db.url])
            .args(args)
            .env("HOME", home.path())
            .env("MARKETDESK_STRIPE_SECRET_KEY", "sk_test_marketdesk")
            .env("MARKETDESK_STRIPE_API", fake.server.uri());
        // The fake answers on this test's runtime, so the binary runs off it.
        async move {
            let out = tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap();
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        }
    };
    let take = |line: String| {
        [
            "orders",
            "take",
            "--customer",
            &email,
            "--line",
            &line,
            "--shipping-minor",
            "500",
            "--as",
            "admin@marketdesk.demo",
        ]
        .map(str::to_owned)
        .to_vec()
    };
    let (code, _, err) = run(take(format!("{sku}=2"))).await;
    assert_eq!(code, Some(1));
    assert!(err.contains("checkout.return_url"), "{err}");
    db.store.put_setting("checkout.return_url", "\"https://shop.example.com/thanks\"", "After paying").await.unwrap();
    let (code, _, err) = run(take("NO-SUCH-SKU=1".into())).await;
    assert_eq!(code, Some(1));
    assert!(err.contains("no product has SKU NO-SUCH-SKU"), "{err}");
    let (code, _, err) = run(take(format!("{sku}=two"))).await;
    assert_ne!(code, Some(0));
    assert!(err.contains("is not a number of units"), "{err}");

    let held: i32 = sqlx::query_scalar("SELECT stock_reserved FROM product_variants WHERE id = $1")
        .bind(variant)
        .fetch_one(&mut conn(&db).await)
        .await
        .unwrap();
    let (code, out, err) = run(take(format!("{sku}=2"))).await;
    assert_eq!(code, Some(0), "{out}{err}");
    let number = out.split_whitespace().next().unwrap().to_owned();
    assert!(number.starts_with("MD-") && out.contains("taken:"), "{out}");
    let session = fake.sessions()[0].clone();
    let url = session["url"].as_str().unwrap();
    assert!(out.contains(&format!("Payment link mailed to {email}: {url}")), "{out}");
    let (code, again, _) =
        run(["orders", "payment-link", &number, "--as", "admin@marketdesk.demo"].map(str::to_owned).to_vec()).await;
    assert_eq!(code, Some(0));
    assert!(again.contains(url), "the fresh link is mailed again: {again}");
    let (code, _, err) =
        run(["orders", "payment-link", &number, "--as", "vendor@marketdesk.demo"].map(str::to_owned).to_vec()).await;
    assert_eq!(code, Some(1));
    assert!(err.contains("only admins"), "{err}");

    fake.pay_checkout(session["id"].as_str().unwrap(), true);
    let (code, out, err) = run(["stripe", "sync", "--as", "finance@marketdesk.demo"].map(str::to_owned).to_vec()).await;
    assert_eq!(code, Some(0), "{out}{err}");
    let (status, reserved): (String, i32) = sqlx::query_as(
        "SELECT o.status, v.stock_reserved FROM orders o, product_variants v WHERE o.number = $1 AND v.id = $2",
    )
    .bind(&number)
    .bind(variant)
    .fetch_one(&mut conn(&db).await)
    .await
    .unwrap();
    assert_eq!((status.as_str(), reserved), ("paid", held), "paid, and the two held units sold");
    assert_eq!(
        count(&db.url, &format!("SELECT count(*) FROM ledger_transactions t JOIN orders o ON o.id = t.order_id WHERE o.number = '{number}' AND t.code = 'payment_captured'")).await,
        1
    );
    assert_ledger_whole(&db.store, &db.url).await;
    db.drop_database().await;
}
