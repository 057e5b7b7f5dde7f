//! `marketdesk`: the Marketdesk core without a window — migrate, seed, diagnose,
//! and look at a marketplace database from a terminal or a script.
//!
//! Every failure ends in one plain line on stderr and a non-zero exit code.

mod commands;
mod format;
mod interrupt;
mod people;
mod progress;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Marketdesk: the desktop back office for multi-vendor marketplaces, headless.
#[derive(Debug, Parser)]
#[command(name = "marketdesk", version, about, long_about = None)]
struct Cli {
    /// Database to work on: postgres://user:password@host:port/db or sqlite:///path/file.sqlite.
    /// Default: the local SQLite file in this machine's data folder, created on first use.
    #[arg(long, global = true, env = "MARKETDESK_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Apply the schema migrations this version carries.
    Migrate,
    /// Fill the database with demo data (deterministic for a given --seed and --end).
    Seed {
        /// How many orders to make (vendors, customers and products scale with it).
        #[arg(long, default_value_t = 5_000, value_parser = count::<u64>, allow_negative_numbers = true)]
        orders: u64,
        /// Random seed: the same seed gives the same data.
        #[arg(long, default_value_t = 1, value_parser = count::<u64>, allow_negative_numbers = true)]
        seed: u64,
        /// Last day of the 18 months of history (YYYY-MM-DD, UTC). Default: today.
        #[arg(long, value_parser = day, allow_hyphen_values = true)]
        end: Option<chrono::NaiveDate>,
        /// Replace whatever the database holds.
        #[arg(long)]
        reset: bool,
    },
    /// Back the database up into a folder: the central one with pg_dump (custom format), a local
    /// SQLite file as a copy encrypted with its own key; each checked before it is named.
    Backup {
        /// The folder the archive goes to.
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Restore a backup into the database of --database-url: a central one must be new and
    /// empty; a local file is put back in place, the current file kept aside.
    Restore {
        /// The archive `marketdesk backup` wrote.
        archive: std::path::PathBuf,
    },
    /// Check the database, its schema, the keychain, printers and integrations.
    Doctor {
        /// Print the findings as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show what the database holds: counts, demo sign-ins and the newest orders.
    Overview,
    /// Sign in to a central server as yourself and say who you are there. The
    /// password is read from standard input, or taken from the keychain.
    SignIn {
        /// The server, e.g. postgres://db.example.com:5432/marketplace (no user or password).
        #[arg(long)]
        server: String,
        /// Your username.
        #[arg(long)]
        user: String,
        /// Keep the password in the OS keychain for next time.
        #[arg(long)]
        remember: bool,
        /// Remove a remembered password instead of signing in.
        #[arg(long)]
        forget: bool,
    },
    /// Manage people's sign-ins on a central PostgreSQL (as an admin).
    Users {
        #[command(subcommand)]
        action: UsersAction,
    },
    /// Sales rollups behind the revenue reports.
    Rollups {
        #[command(subcommand)]
        action: RollupsAction,
    },
    /// Export the ledger log as CSV or XLSX (streamed; recorded in the report history).
    Export {
        /// csv or xlsx.
        #[arg(long, default_value = "csv")]
        format: String,
        /// The file to write.
        #[arg(long)]
        out: std::path::PathBuf,
        /// Only this currency.
        #[arg(long)]
        currency: Option<String>,
        /// From this day (YYYY-MM-DD, UTC, inclusive).
        #[arg(long, value_parser = day, allow_hyphen_values = true)]
        from: Option<chrono::NaiveDate>,
        /// Before this day (YYYY-MM-DD, UTC).
        #[arg(long, value_parser = day, allow_hyphen_values = true)]
        to: Option<chrono::NaiveDate>,
    },
    /// Run a report (commissions, orders, products, payouts, users, subscriptions) and print
    /// it, or write it as CSV or XLSX with --out.
    Report {
        /// commissions, orders, products, payouts, users or subscriptions.
        kind: String,
        #[command(flatten)]
        period: Period,
        /// day, week, month or quarter (orders, users and subscriptions).
        #[arg(long, default_value = "month")]
        grain: String,
        /// Only this vendor (user id).
        #[arg(long)]
        vendor: Option<uuid::Uuid>,
        /// Write the report to this file instead of printing it.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// csv or xlsx (with --out).
        #[arg(long, default_value = "csv")]
        format: String,
    },
    /// Write a vendor's statement (opening balance, movements, closing balance) as a PDF.
    Statement {
        /// The vendor: user id, username or e-mail.
        #[arg(long)]
        vendor: String,
        #[command(flatten)]
        period: Period,
        /// The PDF to write.
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Shipping labels drawn on this computer (the local carrier, reprints) and printed.
    Labels {
        #[command(subcommand)]
        action: LabelsAction,
    },
    /// This workstation's printers (CUPS queues, raw 9100 printers), defaults and print jobs.
    Printers {
        #[command(subcommand)]
        action: commands::printers::PrintersAction,
    },
    /// Orders: search by number or customer, filter by status, payment, parcels, refunds, disputes.
    Orders {
        #[command(subcommand)]
        action: commands::orders::OrdersAction,
    },
    /// Buyers' reviews: the moderation queue, publish or hide with a reason, the vendor's reply.
    Reviews {
        #[command(subcommand)]
        action: commands::reviews::ReviewsAction,
    },
    /// This computer's log files, newest line first (the worker's and the app's).
    Logs(commands::logs::LogsArgs),
    /// Business events, the dashboards of the marketplace's figures, and Google Analytics 4.
    Analytics {
        #[command(subcommand)]
        action: commands::analytics::AnalyticsAction,
    },
    /// The job queue: its depth, jobs by state with their errors, a dead job put back.
    Jobs {
        #[command(subcommand)]
        action: commands::jobs::JobsAction,
    },
    /// Vendor onboarding: applications, documents, review naming what is missing, approval; suspend and reactivate.
    Vendors {
        #[command(subcommand)]
        action: commands::vendors::VendorsAction,
    },
    /// Customers: search them, read a record, notes, block and unblock, addresses, export one person's data.
    Customers {
        #[command(subcommand)]
        action: commands::customers::CustomersAction,
    },
    /// Disputes: list, open, answer, escalate and resolve them; the clock's round; refunds of outcomes; figures.
    Disputes {
        #[command(subcommand)]
        action: commands::disputes::DisputesAction,
    },
    /// Notifications: a person's bell, their preferences, announcements, the mail round.
    Notifications {
        #[command(subcommand)]
        action: commands::notifications::NotificationsAction,
    },
    /// The catalog: search products by name, description, SKU, barcode or vendor.
    Products {
        #[command(subcommand)]
        action: commands::products::ProductsAction,
    },
    /// Categories: the tree with its products; add, rename, move, merge, archive.
    Categories {
        #[command(subcommand)]
        action: commands::categories::CategoriesAction,
    },
    /// Stock: a variant's stock changed with its reason, and its movement history.
    Stock {
        #[command(subcommand)]
        action: commands::stock::StockAction,
    },
    /// Parcels: rates, choose, buy, void, settle an uncertain purchase, track, hand over.
    Shipments {
        #[command(subcommand)]
        action: commands::shipments::ShipmentsAction,
    },
    /// This computer's copy of a central marketplace: push what was changed
    /// offline, pull what changed there, resync, and settle conflicts.
    Sync {
        #[command(subcommand)]
        action: commands::sync::SyncAction,
    },
    /// Pick lists, packing slips and end-of-day manifests, saved as PDF or printed.
    Warehouse {
        #[command(subcommand)]
        action: commands::warehouse::WarehouseAction,
    },
    /// Shipping setup: zones, methods and their rate tables.
    Shipping {
        #[command(subcommand)]
        action: commands::shipping::ShippingAction,
    },
    /// Packing orders into parcels in the warehouse's boxes, and the boxes.
    Packing {
        #[command(subcommand)]
        action: commands::packing::PackingAction,
    },
    /// The FedEx and UPS accounts labels are bought with.
    Carriers {
        #[command(subcommand)]
        action: commands::carriers::CarriersAction,
    },
    /// Vendor payouts: balances, prepare, approve, execute through Stripe.
    Payouts {
        #[command(subcommand)]
        action: PayoutsAction,
    },
    /// Stripe's events: reconcile payouts, refunds, chargebacks, subscriptions and
    /// connected accounts with what happened at Stripe.
    Stripe {
        #[command(subcommand)]
        action: StripeAction,
    },
    /// Vendors' subscription plans, billed through Stripe (online).
    Plans {
        #[command(subcommand)]
        action: PlansAction,
    },
    /// Run the background rounds as jobs in the central job queue (several
    /// workers on several hosts do each once) and, with --webhook-listen, take
    /// Stripe's webhook deliveries (signatures checked).
    Worker {
        /// Listen for Stripe webhooks at this address (e.g. 127.0.0.1:8787); the
        /// endpoint is /stripe/webhook. Port 0 picks a free port.
        #[arg(long)]
        webhook_listen: Option<std::net::SocketAddr>,
        /// Seconds between polls of /v1/events (0: never poll).
        #[arg(long, default_value_t = 300, value_parser = count::<u64>, allow_negative_numbers = true)]
        poll_every: u64,
        /// Seconds between tracking rounds for parcels on their way, with every
        /// carrier that has an account (0: never).
        #[arg(long, default_value_t = 0, value_parser = count::<u64>, allow_negative_numbers = true)]
        track_every: u64,
        /// Seconds between rounds of the mail outbox, sent through Resend
        /// (MARKETDESK_RESEND_API_KEY or the keychain's key, as
        /// MARKETDESK_MAIL_FROM; 0: never).
        #[arg(long, default_value_t = 0, value_parser = count::<u64>, allow_negative_numbers = true)]
        mail_every: u64,
        /// Seconds between prunes of the sync change feed (0: never).
        #[arg(long, default_value_t = 0, value_parser = count::<u64>, allow_negative_numbers = true)]
        prune_every: u64,
        /// Seconds between rounds of the disputes' clock, which escalates
        /// disputes past their stage's time (0: never).
        #[arg(long, default_value_t = 0, value_parser = count::<u64>, allow_negative_numbers = true)]
        clock_every: u64,
        /// Seconds between rounds publishing product images on Cloudinary and
        /// removing deleted ones from it, when an account is configured (0: never).
        #[arg(long, default_value_t = 0, value_parser = count::<u64>, allow_negative_numbers = true)]
        images_every: u64,
        /// Seconds between scheduled payout batches: a draft per currency in
        /// which vendors may be paid, for finance to approve (needs --as; 0: never).
        #[arg(long, default_value_t = 0, value_parser = count::<u64>, allow_negative_numbers = true)]
        payouts_every: u64,
        /// Seconds between rounds sending business events to Google Analytics 4,
        /// when the marketplace opted in (MARKETDESK_GA4_API_SECRET or the keychain's; 0: never).
        #[arg(long, default_value_t = 0, value_parser = count::<u64>, allow_negative_numbers = true)]
        analytics_every: u64,
        /// One tick and stop: this time slot's rounds enqueued and every due
        /// job of theirs done (for cron, or to check a setup).
        #[arg(long)]
        once: bool,
        /// Days a copy may stay away before the feed is pruned past it.
        #[arg(long, default_value_t = marketdesk_core::sync::retention::DEFAULT_STALE_AFTER_DAYS, value_parser = clap::value_parser!(u32).range(1..))]
        keep_days: u32,
        /// The finance person Stripe's postings and scheduled payout batches are
        /// made in the name of (username or email).
        #[arg(long = "as")]
        r#as: Option<String>,
    },
    /// Keep integration keys in the OS keychain (never in a file).
    Secret {
        #[command(subcommand)]
        action: SecretAction,
    },
}

/// The days and currency a report or statement covers.
#[derive(Debug, clap::Args)]
struct Period {
    /// First day (YYYY-MM-DD, UTC, inclusive).
    #[arg(long, value_parser = day, allow_hyphen_values = true)]
    from: chrono::NaiveDate,
    /// Last day (YYYY-MM-DD, UTC, inclusive).
    #[arg(long, value_parser = day, allow_hyphen_values = true)]
    to: chrono::NaiveDate,
    /// The currency of the amounts.
    #[arg(long, default_value = "USD")]
    currency: String,
}

#[derive(Debug, Subcommand)]
enum UsersAction {
    /// Give an existing person (a seeded demo user, an imported vendor) a
    /// sign-in; the password is read from standard input.
    EnableLogin {
        /// Their username.
        #[arg(long)]
        username: String,
    },
}

#[derive(Debug, Subcommand)]
enum RollupsAction {
    /// Recompute every rollup from the orders, in one transaction.
    Rebuild,
}

#[derive(Debug, Subcommand)]
enum PayoutsAction {
    /// What each vendor is owed, holds and may be paid now.
    Balances {
        /// Only this currency (USD, EUR, …).
        #[arg(long)]
        currency: Option<String>,
    },
    /// Recent payout batches.
    List,
    /// Propose a payout to every vendor with enough available, as a draft batch.
    Prepare {
        /// The currency to pay.
        #[arg(long)]
        currency: String,
        /// Smallest payout in minor units (default: the platform setting).
        #[arg(long, allow_negative_numbers = true)]
        minimum: Option<i64>,
        /// The finance person preparing it (username or email).
        #[arg(long = "as")]
        r#as: String,
    },
    /// Approve a draft batch.
    Approve {
        /// The batch id.
        batch: uuid::Uuid,
        /// The finance person approving (username or email).
        #[arg(long = "as")]
        r#as: String,
    },
    /// Cancel a batch that was not executed; the money stays owed.
    Cancel {
        /// The batch id.
        batch: uuid::Uuid,
    },
    /// Pay an approved batch through Stripe (key from MARKETDESK_STRIPE_SECRET_KEY or the keychain).
    /// Safe to run again after a crash: nothing is paid twice.
    Execute {
        /// The batch id.
        batch: uuid::Uuid,
        /// The finance person executing it.
        #[arg(long = "as")]
        r#as: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum StripeAction {
    /// Apply Stripe's events since the last run (the first run reaches back 30 days).
    Sync {
        /// The finance person the postings are made in the name of (username or email).
        #[arg(long = "as")]
        r#as: Option<String>,
    },
    /// The latest events and what each did.
    Events {
        /// Only those awaiting finance.
        #[arg(long)]
        attention: bool,
        /// How many.
        #[arg(long, default_value_t = 50, value_parser = count::<u32>, allow_negative_numbers = true)]
        limit: u32,
    },
}

#[derive(Debug, Subcommand)]
enum LabelsAction {
    /// Draw a shipment's 4×6 label into a file: ZPL for a thermal printer, or PDF.
    Render {
        /// The shipment's id.
        shipment: uuid::Uuid,
        /// `zpl` or `pdf`.
        #[arg(long, default_value = "zpl")]
        format: String,
        /// The thermal printer's resolution for ZPL: 203 or 300 dpi.
        #[arg(long, default_value_t = 203)]
        dpi: u32,
        /// The file to write.
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Print a shipment's label: drawn for the printer's language and density.
    Print {
        /// The shipment's id.
        shipment: uuid::Uuid,
        /// The printer's name or id (default: this workstation's label printer).
        #[arg(long)]
        printer: Option<String>,
    },
    /// Print a job's kept bytes again, as a new job.
    Reprint {
        /// The print job's id (see `labels log`).
        job: uuid::Uuid,
        /// Another printer of the same language and density.
        #[arg(long)]
        printer: Option<String>,
    },
    /// Every job printed for a shipment, newest first.
    Log {
        /// The shipment's id.
        shipment: uuid::Uuid,
    },
}

#[derive(Debug, Subcommand)]
enum PlansAction {
    /// The plans vendors can subscribe to.
    List,
    /// Every vendor and their live subscription.
    Vendors,
    /// Subscribe a vendor with no live plan; Stripe mails the invoices.
    Subscribe {
        /// The vendor: user id, username or e-mail.
        #[arg(long)]
        vendor: String,
        /// The plan's code (see `plans list`).
        #[arg(long)]
        plan: String,
    },
    /// Move a vendor to another plan (prorated by Stripe).
    Change {
        /// The vendor: user id, username or e-mail.
        #[arg(long)]
        vendor: String,
        /// The new plan's code.
        #[arg(long)]
        plan: String,
    },
    /// End a vendor's subscription when the current period ends.
    End {
        /// The vendor: user id, username or e-mail.
        #[arg(long)]
        vendor: String,
    },
    /// Keep renewing a subscription that was set to end.
    Renew {
        /// The vendor: user id, username or e-mail.
        #[arg(long)]
        vendor: String,
    },
}

#[derive(Debug, Subcommand)]
enum SecretAction {
    /// Read a key from standard input and file it in the keychain.
    Set {
        /// stripe, stripe-webhook, resend, cloudinary, fedex, ups or ga4.
        integration: String,
    },
    /// Remove a key from the keychain.
    Delete {
        /// stripe, stripe-webhook, resend, cloudinary, fedex, ups or ga4.
        integration: String,
    },
    /// Say which integrations have a key (never the key itself).
    List,
}

/// A day as `YYYY-MM-DD`. Anything else — a date starting with `-` (which
/// clap is told to pass on rather than take for a flag) included — gets our
/// own message.
fn day(text: &str) -> Result<chrono::NaiveDate, String> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    shaped
        .then(|| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| "not a day; write it as YYYY-MM-DD, e.g. 2026-01-31".to_owned())
}

/// A count: a whole number, 0 or more (a negative one reaches here, not
/// clap's flag parsing, and is refused in words).
fn count<T: std::str::FromStr>(text: &str) -> Result<T, String> {
    if text.trim_start().starts_with('-') {
        return Err("cannot be negative; give a whole number of 0 or more".to_owned());
    }
    text.trim().parse().map_err(|_| "not a whole number".to_owned())
}

/// Parses the command line. A value one of our parsers refused ends in one
/// line, as every other failure does; help, version and usage mistakes are
/// clap's as usual.
fn parse_cli() -> Result<Cli, ExitCode> {
    match Cli::try_parse() {
        Ok(cli) => Ok(cli),
        Err(e) if e.kind() == clap::error::ErrorKind::ValueValidation => {
            let text = e.render().to_string();
            eprintln!("{}", text.lines().next().unwrap_or("error: invalid value"));
            Err(ExitCode::from(2))
        }
        Err(e) => e.exit(),
    }
}

fn main() -> ExitCode {
    let cli = match parse_cli() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    if !matches!(cli.command, Command::Worker { .. }) {
        quiet_on_closed_pipe();
    }
    let stderr_filter = std::env::var("MARKETDESK_LOG").ok().filter(|f| !f.trim().is_empty());
    // The worker runs for months: its events also go to JSON files, scrubbed.
    let _logs = if matches!(cli.command, Command::Worker { .. }) {
        commands::worker::logging(stderr_filter.clone())
    } else {
        None
    };
    if _logs.is_none() {
        tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_new(stderr_filter.as_deref().unwrap_or("warn"))
                    .unwrap_or_else(|_| "warn".into()),
            )
            .with_writer(std::io::stderr)
            .init();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli.database_url.as_deref(), cli.command)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A reader that stops early (`marketdesk report … | head`) ends the program
/// quietly, as it does any Unix tool, instead of a panic in `println!`. Not for
/// the worker, whose sockets must never stop the process.
#[cfg(unix)]
fn quiet_on_closed_pipe() {
    // SAFETY: restores the default action of one signal before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn quiet_on_closed_pipe() {}
