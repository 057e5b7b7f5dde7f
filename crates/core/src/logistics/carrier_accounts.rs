//! The marketplace's carrier accounts: where each API is and which account
//! labels are billed to (platform settings, set by an admin), with the secret
//! in this machine's keychain; and the client built from them.

use super::error::ShippingError;
use crate::domain::Carrier;
use crate::integrations::carriers::{CarrierAccount, CarrierClient, CarrierSettings};
use crate::store::{Store, StoreError};
use serde::Serialize;

/// A carrier's account as an admin sees it: what is saved, and whether this
/// machine can buy labels with it (and if not, why).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CarrierAccountStatus {
    /// The carrier.
    pub carrier: Carrier,
    /// Its name.
    pub name: String,
    /// What is saved (`None`: not set up).
    pub settings: Option<CarrierSettings>,
    /// This machine can reach it with a secret from its keychain.
    pub ready: bool,
    /// Why it cannot, in words.
    pub problem: Option<String>,
}

/// FedEx's and UPS's accounts as this machine sees them.
pub async fn carrier_accounts(store: &Store) -> Result<Vec<CarrierAccountStatus>, StoreError> {
    let mut out = Vec::new();
    for carrier in [Carrier::Fedex, Carrier::Ups] {
        let settings = carrier_settings(store, carrier).await?;
        let problem = match carrier_client(store, carrier).await {
            Ok(_) => None,
            Err(ShippingError::Store(e)) => return Err(e),
            Err(e) => Some(e.to_string()),
        };
        out.push(CarrierAccountStatus {
            carrier,
            name: carrier.name().to_owned(),
            settings,
            ready: problem.is_none(),
            problem,
        });
    }
    Ok(out)
}

/// `carrier`'s settings, if an admin saved them.
pub async fn carrier_settings(store: &Store, carrier: Carrier) -> Result<Option<CarrierSettings>, StoreError> {
    let Some(text) = store.setting_text(&CarrierSettings::key(carrier)).await? else { return Ok(None) };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| StoreError::Validation(format!("the {} settings are unreadable: {e}", carrier.name())))
}

/// Saves `carrier`'s settings after checking them.
pub async fn save_carrier_settings(
    store: &Store,
    carrier: Carrier,
    settings: &CarrierSettings,
) -> Result<(), ShippingError> {
    if !carrier.sells_labels() {
        return Err(StoreError::Validation(format!("{} has no account to set up", carrier.name())).into());
    }
    settings.base_url(carrier)?;
    if settings.client_id.trim().is_empty() || settings.account_number.trim().is_empty() {
        return Err(StoreError::Validation("both the client id and the account number are needed".into()).into());
    }
    let trimmed = CarrierSettings {
        environment: settings.environment.trim().to_owned(),
        client_id: settings.client_id.trim().to_owned(),
        account_number: settings.account_number.trim().to_owned(),
    };
    let value = serde_json::to_string(&trimmed).map_err(|e| StoreError::Validation(e.to_string()))?;
    let description = format!("{} API account (the secret is in each machine's keychain)", carrier.name());
    store.put_setting(&CarrierSettings::key(carrier), &value, &description).await?;
    Ok(())
}

/// The client for `carrier` as this machine is set up.
pub async fn carrier_client(store: &Store, carrier: Carrier) -> Result<CarrierClient, ShippingError> {
    let settings = carrier_settings(store, carrier).await?;
    Ok(CarrierClient::new(CarrierAccount::configured(carrier, settings)?)?)
}
