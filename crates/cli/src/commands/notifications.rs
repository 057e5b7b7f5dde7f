//! `notifications`: a person's bell from the command line (list, read),
//! their preferences, an admin's announcement, and one round of the
//! notification mails (the worker runs it with the outbox).

use super::Result;
use super::orders::parsed;
use crate::people::person_id;
use clap::Subcommand;
use marketdesk_core::domain::notifications::NotificationKind;
use marketdesk_core::domain::{Role, Timestamp};
use marketdesk_core::notifications::inbox::{inbox, mark_all_read};
use marketdesk_core::notifications::mail::queue_due;
use marketdesk_core::notifications::preferences::{PreferenceChoice, preferences, set_preference};
use marketdesk_core::notifications::send::{Audience, announce};
use marketdesk_core::store::location::{self, Location};
use std::process::ExitCode;

/// What `notifications` does.
#[derive(Debug, Subcommand)]
pub enum NotificationsAction {
    /// A person's notifications at the bell, newest first.
    List {
        /// Whose (username, e-mail or id).
        #[arg(long = "as")]
        r#as: String,
        /// Only the unread ones.
        #[arg(long)]
        unread: bool,
        /// How many to show (1–200).
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Marks every notification of a person read.
    ReadAll {
        /// Whose (username, e-mail or id).
        #[arg(long = "as")]
        r#as: String,
    },
    /// Where each kind reaches a person; with --kind, sets it.
    Preferences {
        /// Whose (username, e-mail or id).
        #[arg(long = "as")]
        r#as: String,
        /// The kind to set (order_placed, low_stock, payout_failed …).
        #[arg(long, value_parser = parsed::<NotificationKind>)]
        kind: Option<NotificationKind>,
        /// Channels on for that kind (comma-separated: in_app,email,desktop; empty: none).
        #[arg(long, value_delimiter = ',')]
        on: Option<Vec<String>>,
        /// Mails of that kind wait for the daily digest.
        #[arg(long)]
        digest: bool,
    },
    /// An admin's announcement to a role or to everyone.
    Announce {
        /// Who sends it: an admin (username, e-mail or id).
        #[arg(long = "as")]
        r#as: String,
        /// admin, vendor, logistics, finance or everyone.
        #[arg(long, default_value = "everyone")]
        to: String,
        /// In a few words.
        #[arg(long)]
        title: String,
        /// More words.
        #[arg(long, default_value = "")]
        body: String,
    },
    /// Queues the notification mails that are due now (single ones and daily digests).
    Mail,
}

pub async fn run(loc: &Location, action: NotificationsAction) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    match action {
        NotificationsAction::List { r#as, unread, limit } => {
            let me = person_id(&store, &r#as).await?;
            let page = inbox(&store, me, unread, limit, None).await?;
            if page.items.is_empty() {
                println!("{}", if unread { "Nothing unread." } else { "No notifications." });
            }
            for n in &page.items {
                let mark = if n.read_at.is_none() { "●" } else { " " };
                println!("{mark} {}  {:<26} {}", n.created_at.as_datetime().format("%Y-%m-%d %H:%M"), n.kind, n.title);
                if !n.body.is_empty() {
                    println!("    {}", n.body);
                }
            }
            println!("{} unread.", page.unread);
        }
        NotificationsAction::ReadAll { r#as } => {
            let me = person_id(&store, &r#as).await?;
            println!("{} marked read.", mark_all_read(&store, me).await?);
        }
        NotificationsAction::Preferences { r#as, kind, on, digest } => {
            let me = person_id(&store, &r#as).await?;
            let role = store.user(me).await?.role;
            if let Some(kind) = kind {
                let on = on.unwrap_or_default();
                for c in &on {
                    if !matches!(c.as_str(), "in_app" | "email" | "desktop" | "") {
                        return Err(format!("--on {c}: choose in_app, email or desktop").into());
                    }
                }
                let has = |c: &str| on.iter().any(|o| o == c);
                let choice = PreferenceChoice {
                    kind,
                    in_app: has("in_app"),
                    email: has("email"),
                    digest,
                    desktop: has("desktop"),
                };
                set_preference(&store, me, role, choice).await?;
            }
            for p in preferences(&store, me, role).await? {
                let yes = |b: bool| if b { "yes" } else { "-" };
                println!(
                    "{:<34} bell {:<4} mail {:<4}{} desktop {:<4}{}",
                    p.label,
                    yes(p.in_app),
                    yes(p.email),
                    if p.digest { " (daily)" } else { "" },
                    yes(p.desktop),
                    if p.customised { "  (own choice)" } else { "" }
                );
            }
        }
        NotificationsAction::Announce { r#as, to, title, body } => {
            let me = person_id(&store, &r#as).await?;
            let role = store.user(me).await?.role;
            let audience = match to.trim() {
                "everyone" => Audience::Everyone,
                r => Audience::Role(parsed::<Role>(r)?),
            };
            let n = announce(&store, me, role, audience, &title, &body).await?;
            println!("Announcement sent: {n} notification(s).");
        }
        NotificationsAction::Mail => {
            let r = queue_due(&store, Timestamp::now()).await?;
            println!("{} mail(s) queued, {} digest(s) carrying {} notification(s).", r.single, r.digests, r.in_digests);
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
