//! A dispute worked through in the app by both sides: a vendor opens one on
//! an order they sell in, the admin hears of it at the bell, answers in the
//! thread and resolves it with a partial refund, and the vendor reads the
//! outcome.

use super::harness::{App, SECOND};
use super::webdriver::Session;
use super::{PASSWORD, dialogs_closed, open, sign_in, sign_out};
use serde_json::json;

const SUBJECT: &str = "Buyer reports a cracked glaze";

/// Clicks the first row of `grid` whose `col` cell reads `text`; returns the row's `then` cell.
async fn click_row(s: &Session, grid: &str, col: &str, text: &str, then: &str) -> Result<String, String> {
    let picked = s
        .execute(
            "const [grid, col, text, then] = arguments; \
             const row = [...document.querySelectorAll(`[data-testid=${grid}] [data-row-key]`)].find(r => \
               r.querySelector(`[data-col=${col}]`)?.innerText.trim() === text); \
             if (!row) return null; row.click(); return row.querySelector(`[data-col=${then}]`)?.innerText.trim() ?? '';",
            vec![json!(grid), json!(col), json!(text), json!(then)],
        )
        .await?;
    picked.as_str().map(str::to_owned).ok_or_else(|| format!("no row of {grid} with {col} “{text}”"))
}

/// The vendor opens, the admin answers and resolves, the vendor reads the outcome.
pub async fn opened_answered_resolved(app: &App, s: &Session) -> Result<(), String> {
    // The vendor opens a dispute on a delivered order of theirs.
    sign_in(s, "vendor@marketdesk.demo", PASSWORD).await?;
    open(app, s, "orders", "[data-testid=grid-orders] [data-row-key]", "21-vendor-orders").await?;
    let number = click_row(s, "grid-orders", "status", "Delivered", "number").await?;
    open(app, s, "disputes", "[data-testid=grid-disputes]", "25a-vendor-disputes").await?;
    let new = s.wait_for("[data-testid=open-dispute]", 5 * SECOND).await?;
    s.click(&new).await?;
    for (field, text) in [
        ("open-dispute-order", number.as_str()),
        ("open-dispute-subject", SUBJECT),
        ("open-dispute-message", "The buyer sent two photos; the mug left us intact."),
    ] {
        let e = s.wait_for(&format!("[data-testid={field}]"), 5 * SECOND).await?;
        s.type_into(&e, text).await?;
    }
    app.shot(s, "25b-vendor-open-dispute").await?;
    let submit = s.wait_for("[data-testid=open-dispute-submit]", SECOND).await?;
    s.click(&submit).await?;
    s.wait_for_text("[data-testid=dispute-detail]", SUBJECT, 15 * SECOND).await?;
    dialogs_closed(s).await?;
    sign_out(s).await?;

    // The admin hears of it, answers and resolves it with one unit refunded.
    sign_in(s, "admin@marketdesk.demo", PASSWORD).await?;
    s.wait_for("[data-testid=bell-count]", 20 * SECOND).await?;
    let bell = s.wait_for("[data-testid=bell]", SECOND).await?;
    s.click(&bell).await?;
    s.wait_for_text("[data-testid=notification-list]", &format!("Dispute opened on {number}"), 10 * SECOND).await?;
    open(app, s, "disputes", "[data-testid=grid-disputes] [data-row-key]", "26a-admin-disputes").await?;
    click_row(s, "grid-disputes", "subject", SUBJECT, "subject").await?;
    s.wait_for_text("[data-testid=dispute-thread]", "two photos", 10 * SECOND).await?;
    let reply = s.wait_for("[data-testid=dispute-reply]", 5 * SECOND).await?;
    s.type_into(&reply, "Thanks — we refund one unit as a goodwill gesture.").await?;
    let send = s.wait_for("[data-testid=dispute-reply-send]:not([disabled])", 5 * SECOND).await?;
    s.click(&send).await?;
    s.wait_for_text("[data-testid=dispute-thread]", "goodwill gesture", 10 * SECOND).await?;
    let resolve = s.wait_for("[data-testid=dispute-step-resolve]", 5 * SECOND).await?;
    s.click(&resolve).await?;
    s.execute(
        "const el = document.querySelector('[data-testid=dispute-outcome]'); \
         Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set.call(el, 'refund_partial'); \
         el.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![],
    )
    .await?;
    let units = s.wait_for("[data-testid=dispute-refund-lines] input", 5 * SECOND).await?;
    s.type_into(&units, "1").await?;
    app.shot(s, "26b-admin-resolve-dispute").await?;
    let submit = s.wait_for("[data-testid=dispute-step-submit]", SECOND).await?;
    s.click(&submit).await?;
    s.wait_for_text("[data-testid=toast]", "due back to the buyer", 15 * SECOND).await?;
    s.wait_for_text("[data-testid=dispute-outcome-summary]", "Refund in part", 10 * SECOND).await?;
    app.shot(s, "26c-admin-dispute-resolved").await?;
    dialogs_closed(s).await?;
    sign_out(s).await?;

    // The vendor reads the outcome.
    sign_in(s, "vendor@marketdesk.demo", PASSWORD).await?;
    open(app, s, "disputes", "[data-testid=grid-disputes] [data-row-key]", "27a-vendor-disputes").await?;
    click_row(s, "grid-disputes", "subject", SUBJECT, "subject").await?;
    s.wait_for_text("[data-testid=dispute-outcome-summary]", "Refund in part", 10 * SECOND).await?;
    s.wait_for_text("[data-testid=dispute-thread]", "goodwill gesture", 10 * SECOND).await?;
    app.shot(s, "27b-vendor-dispute-outcome").await?;
    sign_out(s).await
}
