//! What each subcommand does: one module per noun, and `run`, which sends a
//! parsed command to its module.

pub mod analytics;
mod backup;
pub mod bulk_edit;
pub mod carriers;
pub mod catalog_files;
pub mod categories;
pub mod customers;
mod database;
pub mod disputes;
mod doctor;
pub mod jobs;
mod labels;
mod ledger;
pub mod logs;
pub mod manual_orders;
pub mod notifications;
pub mod orders;
pub mod packing;
mod payouts;
pub mod printers;
mod product_images;
pub mod products;
mod reports;
pub mod reviews;
mod secrets;
pub mod shipments;
pub mod shipping;
mod sign_in;
pub mod stock;
mod stripe_events;
mod subscriptions;
pub mod sync;
mod users;
pub mod vendors;
pub mod warehouse;
pub mod worker;

use crate::{Command, Period, RollupsAction, UsersAction};
use marketdesk_core::store::location::{self};
use marketdesk_core::store::marketplace_reports::{ReportKind, ReportQuery};
use marketdesk_core::store::reports::RevenueQuery;
use std::process::ExitCode;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Holds the command to the deployment profile (`MARKETDESK_PROFILE`):
/// warnings are said on stderr; a refusal stops every command but `doctor`,
/// which lists the problems among its checks.
fn held_to_profile(url: Option<&str>, command: &Command) -> Result<()> {
    use marketdesk_core::profile::{Profile, Severity, endpoints_from_environment};
    let profile = Profile::from_environment()?;
    let uses_database = !matches!(command, Command::Secret { .. } | Command::SignIn { .. } | Command::Logs(_));
    let database = if uses_database { location::resolve(url).ok().map(|l| l.url) } else { None };
    let seeding = matches!(command, Command::Seed { .. });
    let problems = profile.check(database.as_ref(), &endpoints_from_environment(), seeding);
    if matches!(command, Command::Doctor { .. }) {
        return Ok(());
    }
    for p in problems.iter().filter(|p| p.severity == Severity::Warning) {
        eprintln!("warning: {}", p.message);
    }
    let refusals: Vec<&str> =
        problems.iter().filter(|p| p.severity == Severity::Refusal).map(|p| p.message.as_str()).collect();
    if !refusals.is_empty() {
        return Err(refusals.join("; ").into());
    }
    Ok(())
}

pub async fn run(url: Option<&str>, command: Command) -> Result<ExitCode> {
    // Only commands that work on a database resolve (and may create) one.
    let loc = || location::resolve(url);
    held_to_profile(url, &command)?;
    match command {
        Command::Secret { action } => secrets::secret_cmd(action),
        Command::SignIn { server, user, remember, forget } => {
            sign_in::sign_in_cmd(&server, &user, remember, forget).await
        }
        Command::Migrate => database::migrate(&loc()?).await,
        Command::Seed { orders, seed, end, reset } => database::seed_cmd(&loc()?, orders, seed, end, reset).await,
        Command::Backup { out } => backup::backup_cmd(&loc()?, &out).await,
        Command::Restore { archive } => backup::restore_cmd(&loc()?, &archive).await,
        Command::Doctor { json } => doctor::doctor_cmd(&loc()?, json).await,
        Command::Overview => doctor::overview(&loc()?).await,
        Command::Users { action: UsersAction::EnableLogin { username } } => {
            users::enable_login(&loc()?, &username).await
        }
        Command::Rollups { action: RollupsAction::Rebuild } => database::rebuild_rollups(&loc()?).await,
        Command::Payouts { action } => payouts::run(&loc()?, action).await,
        Command::Stripe { action } => stripe_events::run(&loc()?, action).await,
        Command::Plans { action } => subscriptions::run(&loc()?, action).await,
        Command::Labels { action } => labels::run(&loc()?, action).await,
        Command::Printers { action } => printers::run(&loc()?, action).await,
        Command::Shipments { action } => shipments::run(&loc()?, action).await,
        Command::Orders { action } => orders::run(&loc()?, action).await,
        Command::Customers { action } => customers::run(&loc()?, action).await,
        Command::Reviews { action } => reviews::run(&loc()?, action).await,
        Command::Vendors { action } => vendors::run(&loc()?, action).await,
        Command::Jobs { action } => jobs::run(&loc()?, action).await,
        Command::Logs(args) => logs::logs(args),
        Command::Analytics { action } => analytics::run(&loc()?, action).await,
        Command::Disputes { action } => disputes::run(&loc()?, action).await,
        Command::Notifications { action } => notifications::run(&loc()?, action).await,
        Command::Products { action } => products::run(&loc()?, action).await,
        Command::Shipping { action } => shipping::run(&loc()?, action).await,
        Command::Packing { action } => packing::run(&loc()?, action).await,
        Command::Warehouse { action } => warehouse::run(&loc()?, action).await,
        Command::Stock { action } => stock::run(&loc()?, action).await,
        Command::Categories { action } => categories::run(&loc()?, action).await,
        Command::Sync { action } => sync::run(&loc()?, action).await,
        Command::Carriers { action } => carriers::run(&loc()?, action).await,
        Command::Worker {
            webhook_listen,
            poll_every,
            track_every,
            mail_every,
            prune_every,
            clock_every,
            images_every,
            payouts_every,
            analytics_every,
            once,
            keep_days,
            r#as,
        } => {
            let jobs = worker::Jobs {
                listen: webhook_listen,
                poll_every,
                track_every,
                mail_every,
                prune_every,
                clock_every,
                images_every,
                payouts_every,
                analytics_every,
                keep_days,
                once,
            };
            worker::worker(&loc()?, jobs, r#as.as_deref()).await
        }
        Command::Export { format, out, currency, from, to } => {
            check_request(from, to, Some(&out))?;
            ledger::export_ledger(&loc()?, &format, &out, currency.as_deref(), from, to).await
        }
        Command::Report { kind, period: Period { from, to, currency }, grain, vendor, out, format } => {
            check_request(Some(from), Some(to), out.as_deref())?;
            let kind = ReportKind::parse(&kind).ok_or_else(|| {
                format!("no report “{kind}”: choose commissions, orders, products, payouts, users or subscriptions")
            })?;
            let grain = serde_json::from_value(serde_json::Value::String(grain.clone()))
                .map_err(|_| format!("--grain {grain}: choose day, week, month or quarter"))?;
            let scope =
                RevenueQuery { from, to, currency: currency.parse()?, grain, vendor_id: vendor, category_id: None };
            let query = ReportQuery { kind, scope };
            reports::report_cmd(&loc()?, &query, out.as_deref(), &format).await
        }
        Command::Statement { vendor, period: Period { from, to, currency }, out } => {
            check_request(Some(from), Some(to), Some(&out))?;
            reports::statement_cmd(&loc()?, &vendor, from, to, &currency, &out).await
        }
    }
}

/// Refuses, before any work starts, a period that starts after it ends and an
/// `--out` that cannot be a file (a folder, or in a folder that does not exist).
/// The core checks both again (the desktop gets the same rules).
pub(super) fn check_request(
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
    out: Option<&std::path::Path>,
) -> Result<()> {
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err(format!("--from {from} is after --to {to}").into());
    }
    if let Some(out) = out {
        marketdesk_core::store::files::check_target(out)?;
    }
    Ok(())
}

pub(super) fn export_format(name: &str) -> Result<marketdesk_core::documents::spreadsheet::ExportFormat> {
    use marketdesk_core::documents::spreadsheet::ExportFormat;
    match name.to_ascii_lowercase().as_str() {
        "csv" => Ok(ExportFormat::Csv),
        "xlsx" => Ok(ExportFormat::Xlsx),
        other => Err(format!("--format {other}: choose csv or xlsx").into()),
    }
}
