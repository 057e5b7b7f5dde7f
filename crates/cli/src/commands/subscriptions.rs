//! `marketdesk plans …`: vendors' subscriptions to the platform's plans,
//! billed through Stripe with the platform's key (online only).

use crate::PlansAction;
use crate::format::format_minor;
use crate::people::person_id;
use marketdesk_core::finance::subscriptions::{VendorPlan, VendorPlanFilter};
use marketdesk_core::integrations::stripe::StripeGateway;
use marketdesk_core::store::Store;
use marketdesk_core::store::location::{self, Location};
use std::process::ExitCode;

use super::Result;

/// Runs one `plans` subcommand.
pub async fn run(loc: &Location, action: PlansAction) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    match action {
        PlansAction::List => {
            for p in store.subscription_plans().await? {
                let commission =
                    p.commission_bps.map(|b| format!("{}% commission", format_minor(b))).unwrap_or_default();
                println!(
                    "{:<12} {:<20} {:>10} {} / {:<6} {:<16} {}",
                    p.code,
                    p.name,
                    format_minor(p.price_minor),
                    p.currency,
                    p.interval,
                    commission,
                    if !p.is_active {
                        "retired"
                    } else if p.stripe_price_id.is_none() {
                        "no Stripe price"
                    } else {
                        ""
                    }
                );
            }
        }
        PlansAction::Vendors => {
            for v in store.vendor_plans(&VendorPlanFilter::default()).await?.vendors {
                print_plan(&v);
            }
        }
        PlansAction::Subscribe { vendor, plan } => {
            let vendor = person_id(&store, &vendor).await?;
            let stripe = StripeGateway::from_environment()?;
            print_plan(&store.subscribe_vendor(&stripe, vendor, &plan).await?);
        }
        PlansAction::Change { vendor, plan } => {
            let vendor = person_id(&store, &vendor).await?;
            let version = store.vendor_plan(vendor).await?.version.unwrap_or(0);
            let stripe = StripeGateway::from_environment()?;
            print_plan(&store.change_vendor_plan(&stripe, vendor, &plan, version).await?);
        }
        PlansAction::End { vendor } => set_ending(&store, &vendor, true).await?,
        PlansAction::Renew { vendor } => set_ending(&store, &vendor, false).await?,
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Sets whether `vendor`'s live subscription ends with its period.
async fn set_ending(store: &Store, vendor: &str, end: bool) -> Result<()> {
    let vendor = person_id(store, vendor).await?;
    let version = store.vendor_plan(vendor).await?.version.unwrap_or(0);
    let stripe = StripeGateway::from_environment()?;
    print_plan(&store.set_vendor_plan_ending(&stripe, vendor, end, version).await?);
    Ok(())
}

/// One vendor's line: name, plan, status and what happens at the period's end.
fn print_plan(v: &VendorPlan) {
    let ending = match (v.plan_code.as_ref(), v.cancel_at_period_end, v.current_period_end) {
        (None, ..) => String::new(),
        (Some(_), true, Some(at)) => format!("ends {at}"),
        (Some(_), false, Some(at)) => format!("renews {at}"),
        (Some(_), ..) => String::new(),
    };
    println!(
        "{:<32} {:<12} {:<10} {}",
        v.vendor_name,
        v.plan_code.as_deref().unwrap_or("(no plan)"),
        v.status.as_deref().unwrap_or(""),
        ending
    );
}
