//! `marketdesk payouts …`: the payout run from a terminal or a scheduled job —
//! the same core functions the desktop's payout wizard calls.

use crate::PayoutsAction;
use crate::format::format_minor;
use crate::people::finance_person;
use marketdesk_core::domain::Currency;
use marketdesk_core::finance::payout_runs::{self, PayoutBatch, PrepareBatch};
use marketdesk_core::integrations::stripe::StripeGateway;
use marketdesk_core::store::Store;
use marketdesk_core::store::location::{self, Location};
use std::process::ExitCode;

use super::Result;

/// Runs one `payouts` subcommand.
pub async fn run(loc: &Location, action: PayoutsAction) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    let code = match action {
        PayoutsAction::Balances { currency } => balances(&store, currency.as_deref()).await?,
        PayoutsAction::List => list(&store).await?,
        PayoutsAction::Prepare { currency, minimum, r#as } => {
            let who = finance_person(&store, &r#as).await?;
            let currency: Currency = currency.parse()?;
            let batch = store
                .prepare_payout_batch(&PrepareBatch { currency, minimum_minor: minimum, vendor_ids: None }, who)
                .await?;
            show(&batch);
            ExitCode::SUCCESS
        }
        PayoutsAction::Approve { batch, r#as } => {
            let who = finance_person(&store, &r#as).await?;
            let current = store.payout_batch(batch).await?;
            show(&store.approve_payout_batch(batch, who, current.version).await?);
            ExitCode::SUCCESS
        }
        PayoutsAction::Cancel { batch } => {
            let current = store.payout_batch(batch).await?;
            show(&store.cancel_payout_batch(batch, current.version).await?);
            ExitCode::SUCCESS
        }
        PayoutsAction::Execute { batch, r#as } => {
            let actor = match r#as {
                Some(name) => Some(finance_person(&store, &name).await?),
                None => None,
            };
            let gateway = StripeGateway::from_environment()?;
            let worker = payout_runs::cli_worker();
            let report = store
                .execute_payout_batch(batch, &worker, actor, &gateway, |p| {
                    let why = p.failure_reason.as_deref().map(|r| format!(" — {r}")).unwrap_or_default();
                    println!("[{}/{}] {}: {}{why}", p.done, p.total, p.vendor_name, p.status);
                })
                .await?;
            show(&report.batch);
            println!("paid {}, failed {}, unconfirmed {}", report.paid, report.failed, report.unconfirmed);
            if report.unconfirmed > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS }
        }
    };
    store.close().await;
    Ok(code)
}

fn show(b: &PayoutBatch) {
    println!(
        "batch {} {} {} {} payouts, {} (paid {}, failed {}){}",
        b.id,
        b.status,
        b.currency,
        b.payout_count,
        format_minor(b.total_minor),
        b.paid_count,
        b.failed_count,
        b.failure_reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default()
    );
}

async fn balances(store: &Store, currency: Option<&str>) -> Result<ExitCode> {
    let currency = currency.map(str::parse::<Currency>).transpose()?;
    println!("{:<32} {:>4} {:>14} {:>14} {:>14} {:>14}", "vendor", "cur", "owed", "on hold", "in flight", "available");
    for b in store.vendor_balances(currency, None).await? {
        println!(
            "{:<32} {:>4} {:>14} {:>14} {:>14} {:>14}",
            b.vendor_name.chars().take(32).collect::<String>(),
            b.currency,
            format_minor(b.owed_minor),
            format_minor(b.pending_minor),
            format_minor(b.in_flight_minor),
            format_minor(b.available_minor)
        );
    }
    Ok(ExitCode::SUCCESS)
}

async fn list(store: &Store) -> Result<ExitCode> {
    for b in store.payout_batches(50).await? {
        show(&b);
    }
    Ok(ExitCode::SUCCESS)
}
