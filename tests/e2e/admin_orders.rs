//! An admin's order work in the app: cancelling an order from its panel.

use super::harness::{App, SECOND};
use super::wait_gone;
use super::webdriver::Session;
use serde_json::json;

/// The admin cancels a paid order (none of the packing bench's) from its
/// panel: the dialog asks why, the order turns cancelled, and its history says who.
pub async fn cancel_a_paid_order(app: &App, s: &Session, bench_orders: &[&str]) -> Result<(), String> {
    let picked = s
        .execute(
            "const row = [...document.querySelectorAll('[data-testid=grid-orders] [data-row-key]')].find(r => \
               r.querySelector('[data-col=status]')?.innerText.trim() === 'Paid' && \
               !arguments[0].includes(r.querySelector('[data-col=number]')?.innerText.trim())); \
             if (!row) return null; row.click(); return row.querySelector('[data-col=number]').innerText.trim();",
            vec![json!(bench_orders)],
        )
        .await?;
    let number = picked.as_str().ok_or("no paid order on the first page of the orders list")?.to_owned();
    s.wait_for_text("[data-testid=order-detail]", &number, 10 * SECOND).await?;
    s.wait_for("[data-testid=order-timeline]", 10 * SECOND).await?;
    let more = s.wait_for("[data-testid=order-detail] button[aria-haspopup=menu]", 5 * SECOND).await?;
    s.click(&more).await?;
    let cancel = s.wait_for("[data-testid=order-action-cancel]", 5 * SECOND).await?;
    s.click(&cancel).await?;
    let note = s.wait_for("[data-testid=cancel-note]", 5 * SECOND).await?;
    s.type_into(&note, "Customer phoned to cancel").await?;
    app.shot(s, "10a-admin-cancel-dialog").await?;
    let submit = s.wait_for("[data-testid=cancel-submit]", SECOND).await?;
    s.click(&submit).await?;
    s.wait_for_text("[data-testid=toast]", "cancelled", 15 * SECOND).await?;
    s.wait_for_text("[data-testid=order-status]", "Cancelled", 10 * SECOND).await?;
    s.wait_for_text("[data-testid=order-timeline]", "Alex Admin", 10 * SECOND).await?;
    app.shot(s, "10b-admin-order-cancelled").await?;
    let close = s.wait_for("[data-testid=order-detail]", SECOND).await?;
    s.keys(&close, "\u{E00C}").await?;
    wait_gone(s, "[data-testid=order-detail]").await
}
