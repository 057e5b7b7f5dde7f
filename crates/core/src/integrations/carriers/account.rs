//! A carrier account on this marketplace: where its API is (sandbox,
//! production, or a local fake), its client id and account number (platform
//! settings, `carrier.fedex` / `carrier.ups`), and its secret (the keychain).
//! `MARKETDESK_FEDEX_*` / `MARKETDESK_UPS_*` variables override each part.

use super::error::{CarrierError, CarrierFailure};
use crate::domain::Carrier;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// FedEx's sandbox.
pub const FEDEX_SANDBOX: &str = "https://apis-sandbox.fedex.com";
/// FedEx's production address.
pub const FEDEX_PRODUCTION: &str = "https://apis.fedex.com";
/// UPS's customer integration environment.
pub const UPS_SANDBOX: &str = "https://wwwcie.ups.com";
/// UPS's production address.
pub const UPS_PRODUCTION: &str = "https://onlinetools.ups.com";

/// Everything needed to call one carrier.
#[derive(Clone, PartialEq, Eq)]
pub struct CarrierAccount {
    /// Which carrier.
    pub carrier: Carrier,
    /// The API's address.
    pub base_url: String,
    /// OAuth client id (FedEx "API key", UPS "Client ID").
    pub client_id: String,
    /// OAuth client secret.
    pub secret: String,
    /// The shipper account number labels are billed to.
    pub account_number: String,
    /// How long to wait for an answer.
    pub timeout: Duration,
}

impl std::fmt::Debug for CarrierAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CarrierAccount")
            .field("carrier", &self.carrier)
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .field("account_number", &self.account_number)
            .finish_non_exhaustive()
    }
}

/// The part of an account kept in platform settings (nothing secret).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CarrierSettings {
    /// `sandbox`, `production`, or a full `https://` address.
    pub environment: String,
    /// OAuth client id.
    pub client_id: String,
    /// Shipper account number.
    pub account_number: String,
}

impl CarrierSettings {
    /// The platform setting's key for `carrier`.
    pub fn key(carrier: Carrier) -> String {
        format!("carrier.{}", carrier.as_str())
    }

    /// The API address these settings name.
    pub fn base_url(&self, carrier: Carrier) -> Result<String, CarrierError> {
        let url = match (carrier, self.environment.trim()) {
            (Carrier::Fedex, "sandbox" | "") => FEDEX_SANDBOX,
            (Carrier::Fedex, "production") => FEDEX_PRODUCTION,
            (Carrier::Ups, "sandbox" | "") => UPS_SANDBOX,
            (Carrier::Ups, "production") => UPS_PRODUCTION,
            (_, other) if other.starts_with("https://") || other.starts_with("http://127.0.0.1") => other,
            (_, other) => {
                return Err(CarrierError::new(
                    carrier,
                    CarrierFailure::NotConfigured,
                    format!("“{other}” is not sandbox, production or an https:// address"),
                ));
            }
        };
        Ok(url.to_owned())
    }
}

impl CarrierAccount {
    /// Refuses an account missing a part `carrier` needs.
    pub(super) fn check(&self, carrier: Carrier) -> Result<(), CarrierError> {
        let missing = [
            ("the client id", self.client_id.trim().is_empty()),
            ("the secret", self.secret.trim().is_empty()),
            ("the account number", self.account_number.trim().is_empty()),
            ("the API address", self.base_url.trim().is_empty()),
        ];
        if let Some((what, _)) = missing.iter().find(|(_, m)| *m) {
            return Err(CarrierError::new(carrier, CarrierFailure::NotConfigured, format!("{what} is missing")));
        }
        Ok(())
    }

    /// The account configured for `carrier`: `settings` (from the platform
    /// settings, if any), the secret from the keychain, each overridden by
    /// `MARKETDESK_<CARRIER>_API`, `_CLIENT_ID`, `_ACCOUNT`, `_SECRET`.
    pub fn configured(carrier: Carrier, settings: Option<CarrierSettings>) -> Result<Self, CarrierError> {
        if !carrier.sells_labels() {
            return Err(CarrierError::new(carrier, CarrierFailure::NotConfigured, "it sells no labels"));
        }
        let var = |part: &str| {
            std::env::var(format!("MARKETDESK_{}_{part}", carrier.as_str().to_ascii_uppercase()))
                .ok()
                .filter(|v| !v.trim().is_empty())
        };
        let settings = settings.unwrap_or_default();
        let base_url = match var("API") {
            Some(url) => url,
            None => settings.base_url(carrier)?,
        };
        let secret = match var("SECRET") {
            Some(s) => s,
            None => {
                let account = crate::secrets::integration(carrier.as_str()).map(|i| i.account).unwrap_or_default();
                crate::secrets::get(account).ok().flatten().unwrap_or_default()
            }
        };
        let account = CarrierAccount {
            carrier,
            base_url,
            client_id: var("CLIENT_ID").unwrap_or(settings.client_id),
            secret,
            account_number: var("ACCOUNT").unwrap_or(settings.account_number),
            timeout: Duration::from_secs(30),
        };
        account.check(carrier).map_err(|mut e| {
            e.message = format!(
                "{} (an admin saves the account with `marketdesk carriers set {}`; the secret goes in this computer's keychain: This computer, in the account menu)",
                e.message,
                carrier.as_str()
            );
            e
        })?;
        Ok(account)
    }
}
