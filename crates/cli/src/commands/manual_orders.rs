//! `orders take` and `orders payment-link`: an order taken by hand for a
//! customer who ordered by phone or e-mail, and the Stripe payment page
//! mailed to them (again, or anew once it expired).

use super::Result;
use crate::people::person_id;
use marketdesk_core::domain::Currency;
use marketdesk_core::integrations::stripe::StripeGateway;
use marketdesk_core::logistics::bins::variants_by_sku;
use marketdesk_core::orders::manual::{ManualLine, ManualOrder, PaymentLink, send_payment_link, take_manual_order};
use marketdesk_core::orders::view::Reader;
use marketdesk_core::store::StoreError;
use marketdesk_core::store::location::{self, Location};
use std::process::ExitCode;

/// What `orders take` needs.
#[derive(Debug, clap::Args)]
pub struct TakeArgs {
    /// The customer (username, e-mail or id).
    #[arg(long)]
    customer: String,
    /// A line as SKU=UNITS (repeat for more lines; a SKU sold by two vendors is refused as ambiguous).
    #[arg(long = "line", required = true)]
    lines: Vec<String>,
    /// The order's currency.
    #[arg(long, default_value = "USD")]
    currency: Currency,
    /// Shipping charged, in minor units (650 = 6.50).
    #[arg(long, default_value_t = 0)]
    shipping_minor: i64,
    /// Who takes the order (username, e-mail or id): an admin.
    #[arg(long = "as")]
    r#as: String,
}

async fn admin(store: &marketdesk_core::Store, who: &str) -> Result<Reader> {
    let id = person_id(store, who).await?;
    Ok(Reader { id, role: store.user(id).await?.role })
}

fn print_link(link: &PaymentLink) {
    println!("Payment link mailed to {}: {}", link.mailed_to, link.url);
    println!("It works until {} UTC.", link.expires_at.as_datetime().format("%Y-%m-%d %H:%M"));
}

/// Takes the order, then mails its payment page.
pub async fn take(loc: &Location, args: TakeArgs) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    let actor = admin(&store, &args.r#as).await?;
    let customer_id = person_id(&store, &args.customer).await?;
    let mut lines = Vec::with_capacity(args.lines.len());
    for line in &args.lines {
        let (sku, units) = line
            .rsplit_once('=')
            .ok_or_else(|| StoreError::Validation(format!("“{line}”: write a line as SKU=UNITS")))?;
        let quantity: u32 = units
            .trim()
            .parse()
            .map_err(|_| StoreError::Validation(format!("“{line}”: {units} is not a number of units")))?;
        let found = variants_by_sku(&store, sku).await?;
        let variant = match found.as_slice() {
            [one] => one.variant_id,
            [] => return Err(StoreError::Validation(format!("no product has SKU {}", sku.trim())).into()),
            many => {
                let vendors: Vec<&str> = many.iter().map(|v| v.vendor_name.as_str()).collect();
                return Err(StoreError::Validation(format!(
                    "SKU {} is sold by {}: take this order in the app, where the product is picked",
                    sku.trim(),
                    vendors.join(" and ")
                ))
                .into());
            }
        };
        lines.push(ManualLine { variant_id: variant, quantity });
    }
    let stripe = StripeGateway::from_environment()?;
    let order = ManualOrder { customer_id, currency: args.currency, lines, shipping_minor: args.shipping_minor };
    let taken = take_manual_order(&store, actor, &stripe, &order).await?;
    println!(
        "{} taken: {} to pay, its units held.",
        taken.number,
        marketdesk_core::domain::Money::new(taken.total_minor, taken.currency)
    );
    let code = match (&taken.link, &taken.link_error) {
        (Some(link), _) => {
            print_link(link);
            ExitCode::SUCCESS
        }
        (None, why) => {
            eprintln!(
                "No payment link went out: {}. Send it with `marketdesk orders payment-link {} --as …`.",
                why.as_deref().unwrap_or("unknown reason"),
                taken.number
            );
            ExitCode::from(1)
        }
    };
    store.close().await;
    Ok(code)
}

/// Mails the payment page of a pending order taken by hand.
pub async fn payment_link(loc: &Location, number: &str, who: &str) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    let actor = admin(&store, who).await?;
    let order = store
        .order_id_by_number(number)
        .await?
        .ok_or_else(|| StoreError::Validation(format!("there is no order {}", number.trim())))?;
    let stripe = StripeGateway::from_environment()?;
    let link = send_payment_link(&store, actor, &stripe, order).await?;
    print_link(&link);
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
