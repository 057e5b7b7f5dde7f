//! A vendor application taken in through the app, online (onboarding needs
//! the server): the signed-in admin opens the vendors pipeline, records a
//! business's application from the dialog, reads what it still lacks, and
//! invites the business (a vendor sign-in, its invitation queued); the
//! application moves to the vendor.

use super::harness::{App, SECOND};
use super::webdriver::Session;
use super::{dialogs_closed, open};

/// The admin (signed in online) records an application and invites the business.
pub async fn recorded_and_invited(app: &App, s: &Session) -> Result<(), String> {
    open(app, s, "vendors", "[data-testid=grid-applications]", "58a-online-vendors").await?;
    let record = s.wait_for("[data-testid=record-application]", 5 * SECOND).await?;
    s.click(&record).await?;
    for (field, text) in [
        ("detail-business_name", "Nordlicht Tees"),
        ("detail-contact_name", "Ada Berg"),
        ("detail-email", "ada@nordlicht.example"),
        ("detail-country", "DE"),
    ] {
        let e = s.wait_for(&format!("[data-testid={field}]"), 5 * SECOND).await?;
        s.type_into(&e, text).await?;
    }
    app.shot(s, "58b-online-record-application").await?;
    // Enter in the last field records it (the form's submit), as a person at the keyboard would.
    let country = s.wait_for("[data-testid=detail-country]", SECOND).await?;
    s.keys(&country, "\u{E007}").await?;
    dialogs_closed(s).await?;
    s.wait_for_text("[data-testid=application-panel]", "Nordlicht Tees", 15 * SECOND).await?;
    // The panel's footer sits under the toasts' corner: the keyboard reaches it regardless.
    let invite = s.wait_for("[data-testid=step-invite]", 10 * SECOND).await?;
    s.keys(&invite, "\u{E007}").await?;
    let username = s.wait_for("[data-testid=invite-username]", 5 * SECOND).await?;
    let suggested = s.execute("return document.querySelector('[data-testid=invite-username]').value;", vec![]).await?;
    if suggested.as_str() != Some("nordlichttees") {
        return Err(format!("the sign-in name offered is {suggested}, not nordlichttees"));
    }
    s.keys(&username, "\u{E007}").await?;
    dialogs_closed(s).await?;
    s.wait_for_text("[data-testid=application-panel]", "With the vendor", 15 * SECOND).await?;
    s.wait_for_text("[data-testid=application-missing]", "business registration", 10 * SECOND).await?;
    app.shot(s, "58c-online-application-invited").await?;
    let panel = s.wait_for("[data-testid=application-panel]", SECOND).await?;
    s.keys(&panel, "\u{E00C}").await?;
    Ok(())
}
