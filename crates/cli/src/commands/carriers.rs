//! `carriers`: the FedEx and UPS accounts labels are bought with.

use super::Result;
use super::shipments::{carrier, with_store};
use clap::Subcommand;
use marketdesk_core::domain::Carrier;
use marketdesk_core::integrations::carriers::CarrierSettings;
use marketdesk_core::logistics::carrier_accounts;
use marketdesk_core::store::location::Location;
use std::process::ExitCode;

/// What `carriers` does.
#[derive(Debug, Subcommand)]
pub enum CarriersAction {
    /// Save a carrier's account (the secret goes in the keychain: `marketdesk secret set fedex`).
    Set {
        /// fedex or ups.
        carrier: String,
        /// sandbox, production, or the API's https:// address.
        #[arg(long, default_value = "sandbox")]
        environment: String,
        /// The OAuth client id (FedEx "API key", UPS "Client ID").
        #[arg(long)]
        client_id: String,
        /// The shipper account labels are billed to.
        #[arg(long)]
        account: String,
    },
    /// Each carrier's account as saved, and whether this machine can use it.
    List,
}

/// Runs a `carriers` subcommand.
pub async fn run(loc: &Location, action: CarriersAction) -> Result<ExitCode> {
    match action {
        CarriersAction::Set { carrier: c, environment, client_id, account } => {
            let c = carrier(&c)?;
            let settings = CarrierSettings { environment, client_id, account_number: account };
            with_store(loc, async |s| carrier_accounts::save_carrier_settings(s, c, &settings).await).await?;
            println!("Saved the {} account. Its secret: `marketdesk secret set {}`.", c.name(), c.as_str());
            Ok(ExitCode::SUCCESS)
        }
        CarriersAction::List => {
            for c in [Carrier::Fedex, Carrier::Ups] {
                let (settings, usable) = with_store(loc, async |s| {
                    let settings = carrier_accounts::carrier_settings(s, c).await?;
                    let usable = carrier_accounts::carrier_client(s, c).await.map(|_| ()).map_err(|e| e.to_string());
                    Ok((settings, usable))
                })
                .await?;
                let saved = match settings {
                    Some(s) => format!("{} account {} (client {})", s.environment, s.account_number, s.client_id),
                    None => "not set up".into(),
                };
                let state = match usable {
                    Ok(()) => "ready".to_owned(),
                    Err(why) => why,
                };
                println!("{:<6} {saved}: {state}", c.name());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
