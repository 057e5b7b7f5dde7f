//! `disputes`: the disputes list and one dispute's thread, opening one, its
//! steps (hand over, answer, escalate, resolve), messages, the clock's round,
//! finance's refund of an outcome and the platform's figures — each as a
//! named person, through the same core functions as the desktop.

use super::Result;
use super::orders::parsed;
use crate::format::format_minor;
use crate::people::person_id;
use clap::Subcommand;
use marketdesk_core::Store;
use marketdesk_core::disputes::analytics::dispute_analytics;
use marketdesk_core::disputes::attachments::{NewAttachment, attachment_content, post_message_with_files};
use marketdesk_core::disputes::refund::refund_dispute;
use marketdesk_core::disputes::sla::run_clock;
use marketdesk_core::disputes::view::dispute_detail;
use marketdesk_core::disputes::{DisputeStep, OpenDispute, open_dispute, take_step};
use marketdesk_core::domain::dispute_lifecycle::{DisputeAction, DisputeKind, DisputeOutcome};
use marketdesk_core::domain::{DisputeStatus, Role, Timestamp};
use marketdesk_core::finance::refunds::RefundLine;
use marketdesk_core::integrations::stripe::StripeGateway;
use marketdesk_core::orders::view::Reader;
use marketdesk_core::store::disputes::{DisputeFilter, DisputeSort};
use marketdesk_core::store::location::{self, Location};
use marketdesk_core::store::{PageRequest, SortDir};
use std::process::ExitCode;
use uuid::Uuid;

/// What `disputes` does.
#[derive(Debug, Subcommand)]
pub enum DisputesAction {
    /// Disputes, newest first (a vendor: their own).
    List {
        /// Only these statuses (comma-separated: awaiting_vendor,escalated).
        #[arg(long, value_delimiter = ',', value_parser = parsed::<DisputeStatus>)]
        status: Vec<DisputeStatus>,
        /// Only live disputes past their stage's time.
        #[arg(long)]
        overdue: bool,
        /// Only disputes whose refund finance has yet to make.
        #[arg(long)]
        refund_due: bool,
        /// As this person (username, e-mail or id).
        #[arg(long = "as")]
        r#as: String,
        /// How many (1–500).
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// One dispute: its lines, the steps open to the person, and the thread.
    Show {
        /// The dispute's id.
        id: Uuid,
        /// As this person.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Opens a dispute on an order (an admin for the customer, or a vendor).
    Open {
        /// The order number (MD-…).
        number: String,
        /// not_received, not_as_described, damaged, other.
        #[arg(long, value_parser = parsed::<DisputeKind>)]
        kind: DisputeKind,
        /// One line.
        #[arg(long)]
        subject: String,
        /// What happened: the first message.
        #[arg(long)]
        message: String,
        /// The vendor party (an admin's choice; username, e-mail or id).
        #[arg(long)]
        vendor: Option<String>,
        /// As this person.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Takes a step: ask_vendor, ask_customer, answer, review, escalate, resolve.
    Step {
        /// The dispute's id.
        id: Uuid,
        /// The step.
        #[arg(value_parser = parsed::<DisputeAction>)]
        action: DisputeAction,
        /// What to say.
        #[arg(long, default_value = "")]
        message: String,
        /// Keep the message among staff.
        #[arg(long)]
        internal: bool,
        /// To resolve: refund_full, refund_partial, replacement, rejected, withdrawn.
        #[arg(long, value_parser = parsed::<DisputeOutcome>)]
        outcome: Option<DisputeOutcome>,
        /// For refund_partial: ORDER_ITEM_ID:UNITS, comma-separated.
        #[arg(long, value_delimiter = ',', value_parser = refund_line)]
        refund: Vec<RefundLine>,
        /// As this person.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Writes in a dispute's thread.
    Message {
        /// The dispute's id.
        id: Uuid,
        /// The words.
        body: String,
        /// Keep it among staff.
        #[arg(long)]
        internal: bool,
        /// A file to send with it (a photo, a PDF or a .txt; up to five, 10 MB each).
        #[arg(long = "attach")]
        attach: Vec<std::path::PathBuf>,
        /// As this person.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Saves a file sent in a dispute's thread.
    File {
        /// The file's id (as `disputes show` lists it).
        id: Uuid,
        /// Where to write it.
        #[arg(long)]
        out: std::path::PathBuf,
        /// As this person.
        #[arg(long = "as")]
        r#as: String,
    },
    /// The clock's round: escalates disputes whose stage ran out, marks overdue ones.
    Clock,
    /// Makes the refund a dispute's outcome decided, through Stripe (finance).
    Refund {
        /// The dispute's id.
        id: Uuid,
        /// The finance person (username, e-mail or id).
        #[arg(long = "as")]
        r#as: String,
    },
    /// The platform's figures: live disputes by stage and age, time to resolution, outcomes.
    Figures {
        /// Outcomes over the last N days.
        #[arg(long, default_value_t = 90)]
        days: u32,
    },
}

fn refund_line(s: &str) -> std::result::Result<RefundLine, String> {
    let (item, units) = s.split_once(':').ok_or("give ORDER_ITEM_ID:UNITS")?;
    Ok(RefundLine {
        order_item_id: Uuid::parse_str(item.trim()).map_err(|_| format!("“{item}” is not an order line id"))?,
        quantity: units.trim().parse().map_err(|_| format!("“{units}” is not a number of units"))?,
    })
}

async fn reader(store: &Store, who: &str) -> Result<Reader> {
    let id = person_id(store, who).await?;
    Ok(Reader { id, role: store.user(id).await?.role })
}

pub async fn run(loc: &Location, action: DisputesAction) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    let now = Timestamp::now();
    match action {
        DisputesAction::List { status, overdue, refund_due, r#as, limit } => {
            let who = reader(&store, &r#as).await?;
            if !matches!(who.role, Role::Admin | Role::Finance | Role::Vendor) {
                return Err(format!("a {} does not work disputes", who.role).into());
            }
            let mut filter = DisputeFilter { statuses: status, overdue, refund_due, ..DisputeFilter::default() };
            if who.role == Role::Vendor {
                filter.vendor_id = Some(who.id);
            }
            let page = PageRequest { sort: DisputeSort::OpenedAt, dir: SortDir::Desc, after: None, limit };
            let found = store.list_disputes(&filter, &page).await?;
            if found.items.is_empty() {
                println!("No disputes match.");
            }
            for d in &found.items {
                let due = match (d.overdue_at, d.stage_due_at) {
                    (Some(_), _) => "OVERDUE".to_owned(),
                    (None, Some(t)) if t < now => "OVERDUE".to_owned(),
                    (None, Some(t)) => format!("due {}", t.as_datetime().format("%Y-%m-%d %H:%M")),
                    (None, None) => String::new(),
                };
                println!(
                    "{}  {:<14} {:<18} {:<17} {:<22} {}",
                    d.id,
                    d.order_number,
                    d.status.as_str(),
                    d.kind,
                    due,
                    d.subject
                );
            }
        }
        DisputesAction::Show { id, r#as } => {
            let who = reader(&store, &r#as).await?;
            let d = dispute_detail(&store, who, id).await?;
            let x = &d.dispute;
            println!("{} — order {} — {}", x.subject, x.order_number, x.status.as_str().replace('_', " "));
            if let Some(r) = x.resolution {
                println!("Outcome: {}", r.words());
            }
            if let (Some(m), Some(c)) = (x.refund_minor, x.currency) {
                println!("Refund: {} {c} ({})", format_minor(m), x.refund_state.as_deref().unwrap_or(""));
            }
            for l in &d.lines {
                println!("  line {}  {} × {} ({} left to refund)", l.id, l.quantity, l.sku, l.left());
            }
            let steps: Vec<&str> = d.steps.iter().map(|s| s.as_str()).collect();
            println!("Steps open to you: {}", if steps.is_empty() { "none".into() } else { steps.join(", ") });
            for m in &d.messages {
                let note = if m.is_internal { " [internal]" } else { "" };
                println!(
                    "--- {} {}{note}\n{}",
                    m.author_name,
                    m.created_at.as_datetime().format("%Y-%m-%d %H:%M"),
                    m.body
                );
                for a in &m.attachments {
                    println!("    file {}  {} ({}, {} bytes)", a.id, a.file_name, a.media_type, a.byte_size);
                }
            }
        }
        DisputesAction::Open { number, kind, subject, message, vendor, r#as } => {
            let who = reader(&store, &r#as).await?;
            let vendor_id = match vendor {
                Some(v) => Some(person_id(&store, &v).await?),
                None => None,
            };
            let req = OpenDispute {
                order_number: number,
                order_item_id: None,
                vendor_id,
                kind,
                subject,
                message,
                amount_minor: None,
            };
            let opened = open_dispute(&store, who, &req).await?;
            println!(
                "Dispute {} opened ({}), {} {} in question.",
                opened.id,
                opened.status.as_str().replace('_', " "),
                format_minor(opened.amount_minor),
                opened.currency
            );
        }
        DisputesAction::Step { id, action, message, internal, outcome, refund, r#as } => {
            let who = reader(&store, &r#as).await?;
            let version = dispute_detail(&store, who, id).await?.dispute.version;
            let step = DisputeStep { dispute_id: id, version, action, message, internal, resolution: outcome, refund };
            let moved = take_step(&store, who, &step).await?;
            println!("The dispute is now {}.", moved.status.as_str().replace('_', " "));
            if let Some(m) = moved.refund_minor {
                println!("{} is due back to the buyer: finance makes the refund.", format_minor(m));
            }
        }
        DisputesAction::Message { id, body, internal, attach, r#as } => {
            let who = reader(&store, &r#as).await?;
            let mut files = Vec::with_capacity(attach.len());
            for path in &attach {
                let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
                files.push(NewAttachment { name: path.display().to_string(), bytes });
            }
            let sent = post_message_with_files(&store, who, id, &body, internal, &files).await?;
            println!(
                "Written{}.",
                if sent.attachments.is_empty() {
                    String::new()
                } else {
                    format!(" with {} file(s)", sent.attachments.len())
                }
            );
        }
        DisputesAction::File { id, out, r#as } => {
            let who = reader(&store, &r#as).await?;
            let (name, _, bytes) = attachment_content(&store, who, id).await?;
            let (partial, mut file) = marketdesk_core::store::files::PartialFile::create(&out)?;
            std::io::Write::write_all(&mut file, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
            drop(file);
            partial.commit()?;
            println!("Saved {name} to {}.", out.display());
        }
        DisputesAction::Clock => {
            let round = run_clock(&store, now, None).await?;
            println!("{} escalated, {} marked overdue.", round.escalated, round.overdue);
        }
        DisputesAction::Refund { id, r#as } => {
            let who = reader(&store, &r#as).await?;
            let gateway = StripeGateway::from_environment()?;
            let outcome = refund_dispute(&store, who, id, &gateway).await?;
            println!("{} refunded, {} still pending.", format_minor(outcome.refunded_minor), outcome.pending);
        }
        DisputesAction::Figures { days } => {
            let f = dispute_analytics(&store, now, now.minus_days(i64::from(days.max(1)))).await?;
            println!("Live disputes by stage and age ({} overdue):", f.overdue);
            for c in &f.live {
                println!("  {:<9} {:<16} {}", c.stage.as_str(), c.band, c.count);
            }
            let hours = |h: Option<i64>| h.map_or("—".into(), |h| format!("{h} h"));
            println!(
                "Ended in {days} days: {} (median {}, 90th percentile {})",
                f.ended,
                hours(f.median_hours),
                hours(f.p90_hours)
            );
            for o in f.outcomes.iter().take(20) {
                let vendor = if o.vendor_name.is_empty() { "(whole order)" } else { o.vendor_name.as_str() };
                println!("  {:<28} {:<17} {:<15} {}", vendor, o.kind.as_str(), o.resolution.as_str(), o.count);
            }
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
