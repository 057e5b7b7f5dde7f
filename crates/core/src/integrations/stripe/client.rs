//! The Stripe client itself: the key and address it is built from, the
//! idempotent send every money-moving call goes through, and Stripe's errors
//! put in plain words. The calls live beside it, one module per capability.

use crate::domain::Currency;
use ::stripe::{IdempotencyKey, RequestStrategy, StripeError, StripeRequest};
use std::time::Duration;
/// Why a call to the payment provider did not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    /// The provider answered and said no; the same call will keep failing.
    /// The text is for the person affected ("Connect account not verified").
    #[error("{reason}")]
    Refused {
        /// Stripe's error code, when it gave one.
        code: Option<String>,
        /// Plain words.
        reason: String,
    },
    /// No answer, or a server error: the call may or may not have happened.
    /// Retrying with the same idempotency key is safe.
    #[error("Stripe could not be reached or failed: {0}")]
    Unavailable(String),
    /// No key is configured on this machine.
    #[error("Stripe is not set up: add its secret key in Settings (or `marketdesk secret set stripe`)")]
    NotConfigured,
}

/// The real Stripe client.
#[derive(Clone)]
pub struct StripeGateway {
    pub(super) client: ::stripe::Client,
}

impl std::fmt::Debug for StripeGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StripeGateway { .. }")
    }
}

/// Stripe's API address; tests point the client at a local fake instead.
pub const STRIPE_API: &str = "https://api.stripe.com/";

impl StripeGateway {
    /// A client for `secret_key` (`sk_…`) against `base` (normally [`STRIPE_API`]).
    pub fn new(secret_key: &str, base: &str) -> Result<Self, GatewayError> {
        if secret_key.trim().is_empty() {
            return Err(GatewayError::NotConfigured);
        }
        let client = ::stripe::ClientBuilder::new(secret_key.trim())
            .url(base)
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| GatewayError::Unavailable(e.to_string()))?;
        Ok(StripeGateway { client })
    }

    /// The gateway configured on this machine: the key from the
    /// `MARKETDESK_STRIPE_SECRET_KEY` variable or the keychain, the address from
    /// `MARKETDESK_STRIPE_API` (for a test double) or Stripe's own.
    pub fn from_environment() -> Result<Self, GatewayError> {
        let key = match std::env::var("MARKETDESK_STRIPE_SECRET_KEY") {
            Ok(k) if !k.trim().is_empty() => k,
            _ => {
                let account = crate::secrets::integration("stripe").map(|i| i.account).unwrap_or_default();
                crate::secrets::get(account).ok().flatten().ok_or(GatewayError::NotConfigured)?
            }
        };
        let base = std::env::var("MARKETDESK_STRIPE_API").unwrap_or_else(|_| STRIPE_API.to_owned());
        Self::new(&key, &base)
    }

    fn strategy(key: &str) -> Result<RequestStrategy, GatewayError> {
        let key = IdempotencyKey::new(key)
            .map_err(|e| GatewayError::Refused { code: None, reason: format!("unusable idempotency key: {e}") })?;
        Ok(RequestStrategy::Idempotent(key))
    }
}

/// Sends a money-moving request under the idempotency key its caller saved
/// first, so a retry gets Stripe's first answer instead of a second effect.
pub(super) trait Idempotent: StripeRequest {
    async fn idempotent(&self, client: &::stripe::Client, key: &str) -> Result<Self::Output, GatewayError>
    where
        Self::Output: miniserde::Deserialize,
    {
        self.customize().request_strategy(StripeGateway::strategy(key)?).send(client).await.map_err(explain)
    }
}

impl<R: StripeRequest> Idempotent for R {}

pub(super) fn currency(c: Currency) -> Result<stripe_types::Currency, GatewayError> {
    c.as_str()
        .to_ascii_lowercase()
        .parse()
        .map_err(|_| GatewayError::Refused { code: None, reason: format!("Stripe does not take {c}") })
}

/// Stripe's error, in the words of the person it affects.
pub(super) fn explain(err: StripeError) -> GatewayError {
    match err {
        StripeError::Stripe(api, status) if (400..500).contains(&status) && status != 429 && status != 409 => {
            let code = api.code.as_ref().map(|c| c.to_string());
            let message = api.message.clone().unwrap_or_default();
            GatewayError::Refused { reason: vendor_words(code.as_deref(), &message), code }
        }
        StripeError::Stripe(api, status) => {
            GatewayError::Unavailable(format!("HTTP {status}: {}", api.message.clone().unwrap_or_default()))
        }
        StripeError::Timeout => GatewayError::Unavailable("no answer within 30 seconds".into()),
        other => GatewayError::Unavailable(other.to_string()),
    }
}

/// Turns a Stripe refusal into what finance and the vendor are told.
pub fn vendor_words(code: Option<&str>, message: &str) -> String {
    let lower = message.to_ascii_lowercase();
    match code {
        Some("balance_insufficient" | "insufficient_funds") => "Platform balance too low".into(),
        Some("account_invalid" | "account_closed") => "Connect account not usable (closed or invalid)".into(),
        _ if lower.contains("capabilit") || lower.contains("payouts_enabled") || lower.contains("not verified") => {
            "Connect account not verified".into()
        }
        Some("charge_already_refunded") => "Already refunded in full".into(),
        Some("amount_too_large") => "More than is left to refund".into(),
        _ if message.is_empty() => "Stripe refused without a reason".into(),
        _ => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_put_in_the_vendors_words() {
        assert_eq!(
            vendor_words(Some("balance_insufficient"), "You have insufficient funds"),
            "Platform balance too low"
        );
        assert_eq!(
            vendor_words(
                None,
                "Your destination account needs to have at least one of the following capabilities enabled: transfers"
            ),
            "Connect account not verified"
        );
        assert_eq!(vendor_words(Some("other"), "Something specific"), "Something specific");
        assert_eq!(vendor_words(None, ""), "Stripe refused without a reason");
    }

    #[test]
    fn a_blank_key_is_not_configured() {
        assert_eq!(StripeGateway::new("  ", STRIPE_API).unwrap_err(), GatewayError::NotConfigured);
    }
}
