//! A vendor's work in the app: their screens only, stock added to a
//! product and read back from its movement history, the bell read to the
//! end, a picture uploaded to a product, and a CSV import with mistakes
//! shown line by line.

use super::harness::{App, SECOND};
use super::webdriver::Session;
use super::{PASSWORD, nav, open, sign_in, sign_out, wait_gone};

/// The vendor sees none of the admin's screens, opens their own, adds one
/// unit of stock, and reads the announcement waiting at the bell.
pub async fn work_through_the_app(app: &App, s: &Session) -> Result<(), String> {
    sign_in(s, "vendor@marketdesk.demo", PASSWORD).await?;
    s.wait_for("[data-testid=user-name]", 20 * SECOND).await?;
    let links = nav(s).await?;
    if links.iter().any(|l| ["users", "approvals", "audit", "outbox", "settings"].contains(&l.as_str())) {
        return Err(format!("a vendor sees admin screens: {links:?}"));
    }
    open(app, s, "products", "[data-testid=grid-products] [data-row-key]", "20-vendor-products").await?;
    open(app, s, "orders", "[data-testid=grid-orders] [data-row-key]", "21-vendor-orders").await?;
    open(app, s, "earnings", "[data-testid=earnings]", "22-vendor-earnings").await?;

    // The real action: open a product and add stock to its first variant.
    open(app, s, "products", "[data-testid=grid-products] [data-row-key]", "20-vendor-products").await?;
    let first = s.wait_for("[data-testid=grid-products] [data-row-key]", SECOND).await?;
    s.click(&first).await?;
    let stock = s.wait_for("[data-testid=variant-stock]", 10 * SECOND).await?;
    let before: i64 =
        s.text_of("[data-testid=variant-stock]").await?.trim().parse().map_err(|e| format!("stock: {e}"))?;
    let _ = stock;
    let add = s.wait_for("[data-testid=stock-add]", 5 * SECOND).await?;
    s.click(&add).await?;
    s.wait_for_text("[data-testid=variant-stock]", &(before + 1).to_string(), 10 * SECOND).await?;
    app.shot(s, "23-vendor-stock").await?;
    // The unit arrived as a movement of the log, with its reason and what it left.
    let toggle = s.wait_for("[data-testid=stock-history-toggle]", SECOND).await?;
    s.click(&toggle).await?;
    s.wait_for_text("[data-testid=stock-history] [data-kind=received]", &(before + 1).to_string(), 10 * SECOND).await?;
    app.shot(s, "23b-vendor-stock-movements").await?;

    // A picture added to the product from disk, shown from its thumbnail and opened full size.
    let picture = std::env::temp_dir().join(format!("marketdesk-e2e-shirt-{}.png", std::process::id()));
    std::fs::write(&picture, gradient(480, 360)?).map_err(|e| format!("{}: {e}", picture.display()))?;
    let edit = s.wait_for("[data-testid=product-edit]", 5 * SECOND).await?;
    s.click(&edit).await?;
    let shown = "return document.querySelectorAll('[data-testid=product-image]').length";
    s.wait_for("[data-testid=product-images], [data-testid=images-empty]", 10 * SECOND).await?;
    let had = s.execute(shown, vec![]).await?.as_u64().unwrap_or(0);
    let input = s.wait_for("[data-testid=image-file]", 5 * SECOND).await?;
    s.keys(&input, &picture.display().to_string()).await?;
    s.wait_for_text("[data-testid=toast]", "Image added", 20 * SECOND).await?;
    let now = s.execute(shown, vec![]).await?.as_u64().unwrap_or(0);
    if now != had + 1 {
        return Err(format!("the gallery shows {now} images after adding one to {had}"));
    }
    app.shot(s, "23c-vendor-product-images").await?;
    let _ = std::fs::remove_file(&picture);
    let name = s.wait_for("[data-testid=product-name]", SECOND).await?;
    s.keys(&name, "\u{E00C}").await?;
    wait_gone(s, "#product-editor").await?;

    // The bell: the announcement is unread; reading everything empties it.
    s.wait_for("[data-testid=bell-count]", 10 * SECOND).await?;
    let bell = s.wait_for("[data-testid=bell]", SECOND).await?;
    s.click(&bell).await?;
    s.wait_for_text("[data-testid=notification-list]", "Stocktake on Friday", 10 * SECOND).await?;
    s.wait_for("[data-testid=preferences] [data-kind=low_stock]", 10 * SECOND).await?;
    app.shot(s, "24-vendor-notifications").await?;
    let all = s.wait_for("[data-testid=mark-all-read]", SECOND).await?;
    s.click(&all).await?;
    s.wait_for_text("[data-testid=toast]", "marked read", 10 * SECOND).await?;
    wait_gone(s, "[data-testid=bell-count]").await?;

    // A CSV import with mistakes: checked, every problem shown by line and column, nothing to apply.
    let file = std::env::temp_dir().join(format!("marketdesk-e2e-import-{}.csv", std::process::id()));
    std::fs::write(
        &file,
        "handle,name,category,currency,sku,price\nboxed-tea,Boxed tea,nowhere,EUR,TEA-1,4.50\nboxed-tea,,,,TEA-2,four\n",
    )
    .map_err(|e| format!("{}: {e}", file.display()))?;
    open(app, s, "products", "[data-testid=grid-products] [data-row-key]", "20-vendor-products").await?;
    let menu = s.wait_for("[data-testid=catalog-menu]", 5 * SECOND).await?;
    s.click(&menu).await?;
    let import = s.wait_for("[data-testid=import-products]", 5 * SECOND).await?;
    s.click(&import).await?;
    let input = s.wait_for("[data-testid=import-file]", 5 * SECOND).await?;
    s.keys(&input, &file.display().to_string()).await?;
    s.wait_for_text("[data-testid=import-problems]", "“four” is not a number", 20 * SECOND).await?;
    s.wait_for_text("[data-testid=import-problems]", "no category “nowhere” is in use", SECOND).await?;
    let disabled = s.execute("return document.querySelector('[data-testid=import-apply]').disabled", vec![]).await?;
    if disabled != serde_json::Value::Bool(true) {
        return Err(format!("a file with problems may be applied (disabled: {disabled})"));
    }
    app.shot(s, "24b-vendor-import-problems").await?;
    let _ = std::fs::remove_file(&file);
    let cancel = s.wait_for("[data-testid=import-cancel]", SECOND).await?;
    s.click(&cancel).await?;
    wait_gone(s, "[data-testid=import-report]").await?;
    sign_out(s).await
}

/// A `width`×`height` PNG with a colour gradient: something to see in the screenshot.
fn gradient(width: u32, height: u32) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    let mut data = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            data.extend_from_slice(&[(x * 255 / width) as u8, 90, (y * 255 / height) as u8]);
        }
    }
    writer.write_image_data(&data).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}
