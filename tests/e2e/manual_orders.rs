//! An order taken by phone, as the signed-in admin does it online: the
//! builder finds the customer and a product, the core's quote refuses more
//! units than are free and prices what is, taking the order mails a Stripe
//! payment link (the fake's Checkout Session), and once Stripe says the
//! customer paid and the events are reconciled, the order's panel shows it paid.

use super::harness::{App, SECOND};
use super::open;
use super::webdriver::Session;
use marketdesk_test_support::marketdesk_bin;
use marketdesk_test_support::stripe_fake::StripeFake;

/// From the Orders screen's **New order by hand** to the paid order.
pub async fn taken_by_phone(
    app: &App,
    s: &Session,
    owner: &mut sqlx::PgConnection,
    owner_url: &str,
    stripe: &StripeFake,
) -> Result<(), String> {
    sqlx::query(
        "INSERT INTO platform_settings (id, key, value, description) \
         VALUES (gen_random_uuid(), 'checkout.return_url', '\"https://shop.example.com/thanks\"', 'After paying')",
    )
    .execute(&mut *owner)
    .await
    .map_err(|e| format!("the return page setting: {e}"))?;
    let (sku, free, customer): (String, i32, String) = sqlx::query_as(
        "SELECT v.sku, v.stock_on_hand - v.stock_reserved, \
                (SELECT display_name FROM users WHERE role = 'customer' AND status = 'active' ORDER BY email LIMIT 1) \
         FROM product_variants v JOIN products p ON p.id = v.product_id JOIN users u ON u.id = p.vendor_id \
         WHERE p.status = 'approved' AND v.is_active AND v.currency = 'USD' AND u.status = 'active' \
         AND v.stock_on_hand - v.stock_reserved BETWEEN 2 AND 20 ORDER BY v.sku LIMIT 1",
    )
    .fetch_one(&mut *owner)
    .await
    .map_err(|e| format!("a product for sale: {e}"))?;

    open(app, s, "orders", "[data-testid=grid-orders] [data-row-key]", "59g-online-orders").await?;
    let new = s.wait_for("[data-testid=manual-new]", 10 * SECOND).await?;
    s.click(&new).await?;
    let find = s.wait_for("[data-testid=manual-customer-search]", 5 * SECOND).await?;
    s.type_into(&find, &customer).await?;
    // The list follows the typing: pick the customer once the list shows them
    // (a click on a row the next answer replaces is lost, so it is tried again).
    let mut picked = Err(String::new());
    for _ in 0..3 {
        s.wait_for_text("[data-testid^=manual-customer-0]", &customer, 10 * SECOND).await?;
        let pick = s.wait_for("[data-testid^=manual-customer-0]", SECOND).await?;
        s.click(&pick).await?;
        picked = s.wait_for_text("[data-testid=manual-customer]", &customer, 3 * SECOND).await;
        if picked.is_ok() {
            break;
        }
    }
    picked?;
    let products = s.wait_for("[data-testid=manual-variant-search]", SECOND).await?;
    s.type_into(&products, &sku).await?;
    let add = s.wait_for(&format!("[data-testid='manual-variant-{sku}']"), 10 * SECOND).await?;
    s.click(&add).await?;
    // One unit more than is free: the database's own words.
    let units = s.wait_for("[data-testid=manual-lines] input[type=number]", 5 * SECOND).await?;
    s.keys(&units, "\u{E009}a\u{E000}").await?;
    s.type_into(&units, &(free + 1).to_string()).await?;
    s.wait_for_text("[data-testid=manual-refused]", "free to sell", 10 * SECOND).await?;
    app.shot(s, "59h-online-manual-order-refused").await?;
    s.keys(&units, "\u{E009}a\u{E000}").await?;
    s.type_into(&units, "2").await?;
    let shipping = s.wait_for("[data-testid=manual-shipping]", SECOND).await?;
    s.type_into(&shipping, "6.50").await?;
    s.wait_for_text("[data-testid=manual-total]", "Total", 10 * SECOND).await?;
    app.shot(s, "59i-online-manual-order").await?;
    let take = s.wait_for("[data-testid=manual-take]:not([disabled])", 10 * SECOND).await?;
    s.click(&take).await?;
    s.wait_for_text("[data-testid=manual-link]", "checkout.stripe.com", 20 * SECOND).await?;
    app.shot(s, "59j-online-manual-order-link").await?;
    let sessions = stripe.sessions();
    let session = sessions.last().ok_or("Stripe was not asked for a payment page")?;
    let number = session["metadata"]["marketdesk_order"].as_str().ok_or("no order number in the session")?.to_owned();
    let done = s.wait_for("[data-testid=manual-done]", SECOND).await?;
    s.click(&done).await?;
    super::dialogs_closed(s).await?;

    // The customer pays; Stripe's event is reconciled (as the worker's round does).
    stripe.pay_checkout(session["id"].as_str().unwrap_or_default(), false);
    let mut sync = std::process::Command::new(marketdesk_bin());
    let home = tempfile::tempdir().map_err(|e| e.to_string())?;
    sync.args(["--database-url", owner_url, "stripe", "sync"])
        .env("HOME", home.path())
        .env("MARKETDESK_STRIPE_SECRET_KEY", "sk_test_marketdesk")
        .env("MARKETDESK_STRIPE_API", stripe.server.uri());
    // The fake answers on this test's runtime, so the command runs off it.
    let out = tokio::task::spawn_blocking(move || sync.output())
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("stripe sync failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let search = s.wait_for("input[type=search][data-search-box]", 5 * SECOND).await?;
    s.type_into(&search, &number).await?;
    s.wait_for_text("[data-testid=grid-orders]", &number, 10 * SECOND).await?;
    let row = s.wait_for("[data-testid=grid-orders] [data-row-key]", 5 * SECOND).await?;
    s.click(&row).await?;
    s.wait_for_text("[data-testid=order-status]", "Paid", 10 * SECOND).await?;
    app.shot(s, "59k-online-manual-order-paid").await?;
    let close = s.wait_for("[data-testid=order-detail]", SECOND).await?;
    s.keys(&close, "\u{E00C}").await?;
    super::wait_gone(s, "[data-testid=order-detail]").await
}
