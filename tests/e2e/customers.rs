//! A customer's record read in the app: the admin opens the customers list,
//! opens the newest buyer, and reads their lifetime value, addresses and
//! latest orders; then writes a note about them.

use super::harness::{App, SECOND};
use super::webdriver::Session;
use super::{PASSWORD, open, sign_in, sign_out, wait_gone};

/// The admin reads a customer's record and notes something about them.
pub async fn record_read(app: &App, s: &Session) -> Result<(), String> {
    sign_in(s, "admin@marketdesk.demo", PASSWORD).await?;
    open(app, s, "customers", "[data-testid=grid-customers] [data-row-key]", "27a-admin-customers").await?;
    let row = s.wait_for("[data-testid=grid-customers] [data-row-key]", 5 * SECOND).await?;
    s.click(&row).await?;
    s.wait_for_text("[data-testid=customer-detail]", "Customer since", 15 * SECOND).await?;
    // The note box sits below the record in the panel's scrolling body.
    s.execute("document.querySelector('[data-testid=customer-note]').scrollIntoView({ block: 'center' });", vec![])
        .await?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let note = s.wait_for("[data-testid=customer-note]", 5 * SECOND).await?;
    s.type_into(&note, "Prefers deliveries after 5 pm.").await?;
    s.keys(&note, "\u{E009}\u{E007}\u{E000}").await?;
    s.wait_for_text("[data-testid=customer-notes]", "after 5 pm", 10 * SECOND).await?;
    app.shot(s, "27b-admin-customer-record").await?;
    let panel = s.wait_for("[data-testid=customer-detail]", SECOND).await?;
    s.keys(&panel, "\u{E00C}").await?;
    wait_gone(s, "[data-testid=customer-detail]").await?;
    sign_out(s).await
}
