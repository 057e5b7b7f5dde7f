//! `marketdesk stripe …` and `marketdesk worker`: Stripe's events applied to
//! the central database, polled after a stored cursor or pushed to a webhook
//! endpoint whose deliveries are refused unless Stripe signed them.

use crate::StripeAction;
use crate::people::finance_person;
use marketdesk_core::finance::stripe_events::ReconcileReport;
use marketdesk_core::integrations::stripe::StripeGateway;
use marketdesk_core::store::Store;
use marketdesk_core::store::location::{self, Location};
use std::process::ExitCode;
use uuid::Uuid;

use super::Result;

/// Runs one `stripe` subcommand.
pub async fn run(loc: &Location, action: StripeAction) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    match action {
        StripeAction::Sync { r#as } => {
            let actor = actor(&store, r#as.as_deref()).await?;
            let gateway = StripeGateway::from_environment()?;
            let report = store.reconcile_stripe_events(&gateway, actor, |_| {}).await?;
            print_report(&report);
        }
        StripeAction::Events { attention, limit } => {
            let rows = store.stripe_events(attention, limit).await?;
            if rows.is_empty() {
                println!("{}", if attention { "nothing awaits attention" } else { "no Stripe events yet" });
            }
            for r in rows {
                println!(
                    "{}  {:<10} {:<32} {:<8} {}",
                    r.occurred_at,
                    r.outcome,
                    r.kind,
                    r.source,
                    r.detail.unwrap_or_default()
                );
            }
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn actor(store: &Store, login: Option<&str>) -> Result<Option<Uuid>> {
    Ok(match login {
        Some(l) => Some(finance_person(store, l).await?),
        None => None,
    })
}

pub(super) fn print_report(r: &ReconcileReport) {
    println!(
        "{} event(s): {} applied, {} ignored, {} need attention, {} seen before; cursor {}",
        r.seen,
        r.applied,
        r.ignored,
        r.attention,
        r.duplicates,
        r.cursor.as_deref().unwrap_or("(none)")
    );
}
