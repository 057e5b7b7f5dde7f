//! A dispute worked through in the app: a vendor opens one on an order they
//! sell in; the admin hears of it at the bell, answers in the thread (Ctrl+Enter
//! from the message box) and resolves it with a refund of one unit; the vendor
//! then reads the outcome.

use super::harness::{App, SECOND};
use super::webdriver::Session;
use super::{PASSWORD, dialogs_closed, open, sign_in, sign_out, wait_gone};
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

/// Chooses `value` in the native select `css` as a person's pick would (React hears `change`).
async fn choose(s: &Session, css: &str, value: &str) -> Result<(), String> {
    let done = s
        .execute(
            "const [css, value] = arguments; const el = document.querySelector(css); if (!el) return false; \
             Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set.call(el, value); \
             el.dispatchEvent(new Event('change', { bubbles: true })); return el.value === value;",
            vec![json!(css), json!(value)],
        )
        .await?;
    if done.as_bool() == Some(true) { Ok(()) } else { Err(format!("{css} has no option {value}")) }
}

/// The signed-in person's unread count once the bell has read it from the core.
async fn unread(s: &Session) -> Result<i64, String> {
    s.wait_for("[data-testid=bell][data-loaded=true]", 20 * SECOND).await?;
    let count = s.execute("return document.querySelector('[data-testid=bell]')?.dataset.unread ?? '';", vec![]).await?;
    let text = count.as_str().unwrap_or_default().to_owned();
    text.parse().map_err(|_| format!("the bell's count “{text}” is not a number"))
}

/// The vendor opens a dispute; the admin hears of it (the bell's count rises by
/// one), answers and resolves it with a partial refund; the vendor reads the outcome.
pub async fn worked_through(app: &App, s: &Session) -> Result<(), String> {
    sign_in(s, "admin@marketdesk.demo", PASSWORD).await?;
    let before = unread(s).await?;
    sign_out(s).await?;

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

    // The admin hears of it at the bell and reads the thread.
    sign_in(s, "admin@marketdesk.demo", PASSWORD).await?;
    let after = unread(s).await?;
    if after != before + 1 {
        return Err(format!("the admin's bell went from {before} to {after} unread, not up by one"));
    }
    let bell = s.wait_for("[data-testid=bell]", SECOND).await?;
    s.click(&bell).await?;
    s.wait_for_text("[data-testid=notification-list]", &format!("Dispute opened on {number}"), 10 * SECOND).await?;
    open(app, s, "disputes", "[data-testid=grid-disputes] [data-row-key]", "26a-admin-disputes").await?;
    click_row(s, "grid-disputes", "subject", SUBJECT, "subject").await?;
    s.wait_for_text("[data-testid=dispute-thread]", "two photos", 10 * SECOND).await?;

    // The admin answers from the keyboard, then resolves with one unit refunded.
    let reply = s.wait_for("[data-testid=dispute-reply]", SECOND).await?;
    s.type_into(&reply, "Thanks: we refund one mug.").await?;
    s.keys(&reply, "\u{E009}\u{E007}\u{E000}").await?;
    s.wait_for_text("[data-testid=dispute-thread]", "we refund one mug", 10 * SECOND).await?;
    // Buttons are pressed by keyboard: a toast can lie over the panel's footer.
    let resolve = s.wait_for("[data-testid=dispute-step-resolve]", 5 * SECOND).await?;
    s.keys(&resolve, "\u{E007}").await?;
    s.wait_for("[data-testid=dispute-outcome]", 5 * SECOND).await?;
    choose(s, "[data-testid=dispute-outcome]", "refund_partial").await?;
    let units = s.wait_for("[data-testid^=refund-units-]", 5 * SECOND).await?;
    s.type_into(&units, "1").await?;
    let words = s.wait_for("[data-testid=dispute-step-message]", SECOND).await?;
    s.type_into(&words, "One unit refunded; the rest arrived whole.").await?;
    app.shot(s, "26b-admin-resolves-dispute").await?;
    let submit = s.wait_for("[data-testid=dispute-step-submit]", SECOND).await?;
    s.keys(&submit, "\u{E007}").await?;
    s.wait_for_text("[data-testid=dispute-outcome-summary]", "Refund in part", 15 * SECOND).await?;
    dialogs_closed(s).await?;
    let panel = s.wait_for("[data-testid=dispute-detail]", SECOND).await?;
    s.keys(&panel, "\u{E00C}").await?;
    wait_gone(s, "[data-testid=dispute-detail]").await?;
    sign_out(s).await?;

    // The vendor reads the outcome.
    sign_in(s, "vendor@marketdesk.demo", PASSWORD).await?;
    open(app, s, "disputes", "[data-testid=grid-disputes] [data-row-key]", "26c-vendor-disputes").await?;
    click_row(s, "grid-disputes", "subject", SUBJECT, "subject").await?;
    s.wait_for_text("[data-testid=dispute-outcome-summary]", "Refund in part", 10 * SECOND).await?;
    s.wait_for_text("[data-testid=dispute-thread]", "we refund one mug", 10 * SECOND).await?;
    // WebKit paints the panel's body a moment after it is laid out.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    app.shot(s, "26d-vendor-reads-outcome").await?;
    let panel = s.wait_for("[data-testid=dispute-detail]", SECOND).await?;
    s.keys(&panel, "\u{E00C}").await?;
    wait_gone(s, "[data-testid=dispute-detail]").await?;
    sign_out(s).await
}
