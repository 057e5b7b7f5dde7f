//! A product through review in the app: a vendor creates one with two
//! variants from a Size option and sends it for review; the admin reads it
//! and asks for a change; the vendor reads the note, edits a price and sends
//! it again; the admin sees the change as a diff and approves it.

use super::harness::{App, SECOND};
use super::webdriver::Session;
use super::{PASSWORD, dialogs_closed, open, sign_in, sign_out};
use serde_json::json;

const NAME: &str = "Walkthrough linen tee";
const ENTER: &str = "\u{E007}";
const TAB: &str = "\u{E004}";
const SELECT_ALL: &str = "\u{E009}a\u{E009}";

async fn field(s: &Session, testid: &str, text: &str) -> Result<(), String> {
    let e = s.wait_for(&format!("[data-testid={testid}]"), 5 * SECOND).await?;
    s.keys(&e, SELECT_ALL).await?;
    s.type_into(&e, text).await
}

async fn press(s: &Session, testid: &str) -> Result<(), String> {
    let b = s.wait_for(&format!("[data-testid={testid}]:not([disabled])"), 10 * SECOND).await?;
    s.keys(&b, ENTER).await
}

/// Narrows `grid` to the walkthrough's product by searching for it, and opens it.
async fn open_ours(s: &Session, search: &str, grid: &str) -> Result<(), String> {
    let input = s.wait_for(&format!("input[aria-label=\"{search}\"]"), 5 * SECOND).await?;
    s.keys(&input, SELECT_ALL).await?;
    s.type_into(&input, NAME).await?;
    let opened = s
        .execute_async(
            "const [grid, name, done] = arguments; let tries = 0; const look = () => { \
               const row = [...document.querySelectorAll(`[data-testid=${grid}] [data-row-key]`)].find(r => \
                 r.querySelector('[data-col=name]')?.innerText.trim() === name); \
               if (row) { row.click(); done(true); } else if (++tries > 100) done(false); else setTimeout(look, 100); }; look();",
            vec![json!(grid), json!(NAME)],
        )
        .await?;
    if opened.as_bool() == Some(true) { Ok(()) } else { Err(format!("{NAME} is not in {grid}")) }
}

/// Saves the open editor, then sends the product for review from its panel.
async fn save_and_submit(s: &Session, saved: &str) -> Result<(), String> {
    press(s, "product-save").await?;
    if let Err(e) = dialogs_closed(s).await {
        let left = s.text_of("[role=dialog]").await.unwrap_or_default();
        let toasts = s
            .execute(
                "return [...document.querySelectorAll('[data-testid=toast]')].map(t => t.innerText).join(' | ');",
                vec![],
            )
            .await
            .map(|v| v.to_string())
            .unwrap_or_default();
        return Err(format!("{e}: the editor did not close after “{saved}”; it shows {left:?}; toasts {toasts:?}"));
    }
    open_ours(s, "Search products", "grid-products").await?;
    press(s, "product-submit").await?;
    // The list, narrowed to this product, shows where it is now (a toast may already be gone).
    s.wait_for_text("[data-testid=grid-products]", "Pending review", 10 * SECOND).await?;
    sign_out(s).await
}

/// The walk: vendor creates and submits, admin asks for a change, vendor
/// edits and submits again, admin approves on the diff.
pub async fn reviewed(app: &App, s: &Session) -> Result<(), String> {
    sign_in(s, "vendor@marketdesk.demo", PASSWORD).await?;
    open(app, s, "products", "[data-testid=grid-products] [data-row-key]", "20-vendor-products").await?;
    press(s, "new-product").await?;
    field(s, "product-name", NAME).await?;
    press(s, "add-option").await?;
    field(s, "option-0-name", "Size").await?;
    field(s, "option-0-values", "S, M").await?;
    let values = s.wait_for("[data-testid=option-0-values]", SECOND).await?;
    s.keys(&values, TAB).await?;
    s.wait_for("[data-testid=variant-1-sku]", 10 * SECOND).await?;
    field(s, "variant-0-sku", "WALK-TEE-S").await?;
    field(s, "variant-1-sku", "WALK-TEE-M").await?;
    field(s, "variant-0-price_minor", "25.00").await?;
    field(s, "variant-1-price_minor", "26.00").await?;
    field(s, "variant-0-initial_stock", "5").await?;
    app.shot(s, "28a-vendor-product-editor").await?;
    save_and_submit(s, "Product created").await?;

    sign_in(s, "admin@marketdesk.demo", PASSWORD).await?;
    open(app, s, "approvals", "[data-testid=grid-approvals]", "28b-admin-approvals").await?;
    open_ours(s, "Search the approval queue", "grid-approvals").await?;
    s.wait_for_text("[data-testid=review-diff]", "never approved", 10 * SECOND).await?;
    press(s, "ask-changes").await?;
    field(s, "changes-reason", "Price the M like the S.").await?;
    app.shot(s, "28c-admin-asks-for-changes").await?;
    press(s, "changes-confirm").await?;
    s.wait_for_text("[data-testid=toast]", "sent back for changes", 10 * SECOND).await?;
    dialogs_closed(s).await?;
    sign_out(s).await?;

    sign_in(s, "vendor@marketdesk.demo", PASSWORD).await?;
    open(app, s, "products", "[data-testid=grid-products] [data-row-key]", "20-vendor-products").await?;
    open_ours(s, "Search products", "grid-products").await?;
    press(s, "product-edit").await?;
    s.wait_for_text("[data-testid=review-note]", "Price the M like the S.", 10 * SECOND).await?;
    field(s, "variant-1-price_minor", "25.00").await?;
    app.shot(s, "28d-vendor-edits-after-review").await?;
    save_and_submit(s, "Product saved").await?;

    sign_in(s, "admin@marketdesk.demo", PASSWORD).await?;
    open(app, s, "approvals", "[data-testid=grid-approvals]", "28b-admin-approvals").await?;
    open_ours(s, "Search the approval queue", "grid-approvals").await?;
    s.wait_for("[data-testid=review-diff]", 10 * SECOND).await?;
    press(s, "approve").await?;
    press(s, "confirm").await?;
    s.wait_for_text("[data-testid=toast]", "approved", 10 * SECOND).await?;
    app.shot(s, "28e-admin-approved").await?;
    dialogs_closed(s).await?;
    sign_out(s).await
}
