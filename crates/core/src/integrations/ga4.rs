//! Google Analytics 4 through the Measurement Protocol
//! (<https://developers.google.com/analytics/devguides/collection/protocol/ga4>):
//! `POST {base}/mp/collect?measurement_id=…&api_secret=…` with a JSON body of
//! one client's events. The collect endpoint answers 2xx to anything, even a
//! malformed event it then drops, so every batch is first put to the
//! validation server (`/debug/mp/collect`, same request) and sent only when it
//! answers with no `validationMessages`.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Events per request at most (the protocol's limit).
pub const MAX_EVENTS: usize = 25;
/// How far back an event's time may be (the protocol's limit: 72 hours).
pub const MAX_AGE_MICROS: i64 = 72 * 3600 * 1_000_000;

/// One client's events, as the Measurement Protocol takes them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Payload {
    /// A stable pseudonymous id of the client (never an e-mail or name).
    pub client_id: String,
    /// The signed-in person's pseudonymous id, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Custom dimensions of the person (role, vendor).
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub user_properties: serde_json::Map<String, serde_json::Value>,
    /// The events, at most [`MAX_EVENTS`].
    pub events: Vec<Event>,
}

/// One event: a name and its parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// The event name (`purchase`, `refund`, `login`, or our own).
    pub name: String,
    /// Its parameters (`currency`, `value`, `transaction_id`, `items` …).
    pub params: serde_json::Map<String, serde_json::Value>,
    /// When it happened, in microseconds since the epoch (at most 72 hours back).
    pub timestamp_micros: i64,
}

/// What the validation server found wrong with a request.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationMessage {
    /// The field at fault (`events`, `events[0].params.currency` …).
    #[serde(default)]
    pub field_path: String,
    /// What is wrong, in Google's words.
    #[serde(default)]
    pub description: String,
    /// `VALUE_INVALID`, `NAME_RESERVED`, `EXCEEDED_MAX_ENTITIES` …
    #[serde(default)]
    pub validation_code: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Validation {
    #[serde(default)]
    validation_messages: Vec<ValidationMessage>,
}

/// Why a batch was not sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Ga4Error {
    /// Worth trying again later (network, rate limit, server trouble).
    #[error("Google Analytics did not take the events yet: {0}")]
    Retry(String),
    /// The validation server refused the batch: it would be dropped if sent.
    #[error("Google Analytics would drop these events: {}", describe(.0))]
    Invalid(Vec<ValidationMessage>),
    /// The set-up is wrong (measurement id, secret, address).
    #[error("Google Analytics is not set up right: {0}")]
    Setup(String),
}

fn describe(messages: &[ValidationMessage]) -> String {
    let said: Vec<String> =
        messages.iter().map(|m| format!("{} at {} ({})", m.description, m.field_path, m.validation_code)).collect();
    said.join("; ")
}

/// The Measurement Protocol client of one GA4 property's web stream.
#[derive(Debug, Clone)]
pub struct Ga4 {
    http: reqwest::Client,
    base: String,
    measurement_id: String,
    api_secret: String,
}

impl Ga4 {
    /// The production endpoint.
    pub const BASE: &'static str = "https://www.google-analytics.com";

    /// A client for `base` (the production [`Ga4::BASE`] or a local fake),
    /// sending to the stream `measurement_id` (`G-…`) with `api_secret`.
    pub fn new(base: &str, measurement_id: &str, api_secret: &str) -> Result<Self, Ga4Error> {
        let measurement_id = measurement_id.trim();
        let valid_id = measurement_id.strip_prefix("G-").is_some_and(|rest| {
            !rest.is_empty() && rest.len() <= 20 && rest.chars().all(|c| c.is_ascii_alphanumeric())
        });
        if !valid_id {
            return Err(Ga4Error::Setup(format!(
                "“{measurement_id}” is not a web stream's measurement id (G- followed by letters and digits)"
            )));
        }
        if api_secret.trim().is_empty() {
            return Err(Ga4Error::Setup("no Measurement Protocol API secret".into()));
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .user_agent(concat!("marketdesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Ga4Error::Setup(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            measurement_id: measurement_id.to_owned(),
            api_secret: api_secret.trim().to_owned(),
        })
    }

    /// The stream this client sends to.
    pub fn measurement_id(&self) -> &str {
        &self.measurement_id
    }

    async fn post(&self, path: &str, payload: &Payload) -> Result<reqwest::Response, Ga4Error> {
        if payload.events.is_empty() || payload.events.len() > MAX_EVENTS {
            return Err(Ga4Error::Setup(format!(
                "a request carries 1 to {MAX_EVENTS} events, not {}",
                payload.events.len()
            )));
        }
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .query(&[("measurement_id", self.measurement_id.as_str()), ("api_secret", self.api_secret.as_str())])
            .json(payload)
            .send()
            .await
            .map_err(|e| Ga4Error::Retry(format!("no answer: {}", e.without_url())))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let body: String = response.text().await.unwrap_or_default().chars().take(200).collect();
        Err(match status.as_u16() {
            429 | 500..=599 => Ga4Error::Retry(format!("answered {status}: {body}")),
            _ => Ga4Error::Setup(format!("answered {status}: {body}")),
        })
    }

    /// What the validation server says of `payload`: no messages means valid.
    pub async fn validate(&self, payload: &Payload) -> Result<Vec<ValidationMessage>, Ga4Error> {
        let response = self.post("/debug/mp/collect", payload).await?;
        let answer: Validation = response
            .json()
            .await
            .map_err(|e| Ga4Error::Retry(format!("unreadable answer from the validation server: {e}")))?;
        Ok(answer.validation_messages)
    }

    /// Validates `payload`, then sends it when it is valid.
    pub async fn send(&self, payload: &Payload) -> Result<(), Ga4Error> {
        let messages = self.validate(payload).await?;
        if !messages.is_empty() {
            return Err(Ga4Error::Invalid(messages));
        }
        self.post("/mp/collect", payload).await.map(|_| ())
    }
}

/// The API secret of this machine: `MARKETDESK_GA4_API_SECRET`, else the
/// keychain's (`marketdesk secret set ga4`); `None` when there is none.
pub fn api_secret_from_environment() -> Option<String> {
    match std::env::var("MARKETDESK_GA4_API_SECRET") {
        Ok(k) if !k.trim().is_empty() => Some(k.trim().to_owned()),
        _ => {
            let account = crate::secrets::integration("ga4")?.account;
            crate::secrets::get(account).ok().flatten()
        }
    }
}

/// The endpoint: `MARKETDESK_GA4_API` (a test double), else [`Ga4::BASE`].
pub fn base_from_environment() -> String {
    std::env::var("MARKETDESK_GA4_API").unwrap_or_else(|_| Ga4::BASE.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_measurement_id_is_checked_before_anything_is_sent() {
        assert!(Ga4::new("http://127.0.0.1:1", "G-ABC123", "s").is_ok());
        for bad in ["UA-1234-1", "G-", "G-ABC 12", "ABC123"] {
            let err = Ga4::new("http://127.0.0.1:1", bad, "s").unwrap_err();
            assert!(err.to_string().contains("measurement id"), "{bad}: {err}");
        }
        assert!(Ga4::new("http://127.0.0.1:1", "G-ABC123", " ").unwrap_err().to_string().contains("API secret"));
    }
}
