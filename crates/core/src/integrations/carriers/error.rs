//! What went wrong at a carrier, kept whole (the carrier's transaction id and
//! error code, for its support desk) and said in plain words (what to fix).

use crate::domain::Carrier;

/// How a carrier call failed, which decides what may happen next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CarrierFailure {
    /// The carrier refused the request as asked (a bad address, a service
    /// that does not go there, a weight out of range): fix it and try again.
    Refused,
    /// The account's credentials were refused (even after a fresh token).
    Credentials,
    /// Too many calls: the carrier's limit held even after waiting as asked.
    RateLimited,
    /// The carrier answered with a server error: nothing was done there.
    CarrierDown,
    /// No usable answer (timeout, dropped connection, a body that is not the
    /// documented shape): the call may or may not have taken effect.
    NoAnswer,
    /// This machine has no account set up for the carrier.
    NotConfigured,
}

/// A failed carrier call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[error("{}", self.plain_words())]
pub struct CarrierError {
    /// The carrier called.
    pub carrier: Carrier,
    /// What kind of failure.
    pub failure: CarrierFailure,
    /// HTTP status, when there was an answer.
    pub status: Option<u16>,
    /// The carrier's own error code (`SHIPPING.POSTALCODE.INVALID`, `120802`).
    pub code: Option<String>,
    /// The carrier's message, as given.
    pub message: String,
    /// The carrier's transaction id, which its support desk asks for.
    pub transaction_id: Option<String>,
}

impl CarrierError {
    /// An error of `failure` with `message` and nothing else known.
    pub fn new(carrier: Carrier, failure: CarrierFailure, message: impl Into<String>) -> Self {
        Self { carrier, failure, status: None, code: None, message: message.into(), transaction_id: None }
    }

    /// Whether the call may have taken effect at the carrier anyway (a label
    /// bought though no answer said so).
    pub fn may_have_happened(&self) -> bool {
        self.failure == CarrierFailure::NoAnswer
    }

    /// What happened and what to do, for the person at the bench.
    pub fn plain_words(&self) -> String {
        let who = self.carrier.name();
        let what = match self.failure {
            CarrierFailure::Refused => format!("{who} refused it: {}", self.message),
            CarrierFailure::Credentials => format!(
                "{who} did not accept this machine's account ({}): check the client id and secret (`marketdesk carriers list`, and the key under This computer in the account menu)",
                self.message
            ),
            CarrierFailure::RateLimited => {
                format!("{who} is limiting calls from this account; wait a minute and try again")
            }
            CarrierFailure::CarrierDown => {
                format!("{who} had a problem on its side and did nothing ({}); try again shortly", self.message)
            }
            CarrierFailure::NoAnswer => {
                format!("no usable answer from {who} ({}): the call may or may not have gone through", self.message)
            }
            CarrierFailure::NotConfigured => {
                format!("{who} is not set up on this machine: {}", self.message)
            }
        };
        let code = self.code.as_deref().map(|c| format!(" [{c}]")).unwrap_or_default();
        let tx = self.transaction_id.as_deref().map(|t| format!(" (transaction {t})")).unwrap_or_default();
        format!("{what}{code}{tx}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_keep_the_code_and_transaction() {
        let mut e = CarrierError::new(Carrier::Fedex, CarrierFailure::Refused, "Invalid postal code");
        e.code = Some("SHIPPING.POSTALCODE.INVALID".into());
        e.transaction_id = Some("abc-1".into());
        let words = e.to_string();
        assert!(words.starts_with("FedEx refused it: Invalid postal code"), "{words}");
        assert!(words.contains("[SHIPPING.POSTALCODE.INVALID]") && words.contains("transaction abc-1"), "{words}");
        assert!(!e.may_have_happened());
        assert!(CarrierError::new(Carrier::Ups, CarrierFailure::NoAnswer, "timeout").may_have_happened());
    }
}
