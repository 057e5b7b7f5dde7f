//! Mail: the templates Marketdesk sends, and the outbox they wait in.
//!
//! Every mail is first a row of `email_outbox`, written in the same transaction
//! as the action that causes it (an invitation, a reset). A delivery run then
//! sends what is due through a [`crate::integrations::resend::Mailer`], retrying
//! with back-off. Without a mail key the rows simply stay queued, and an admin
//! reads them in the app.

pub mod outbox;
pub mod templates;
