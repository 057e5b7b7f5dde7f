//! Resend (<https://resend.com/docs/api-reference/emails/send-email>): sends
//! the outbox's mails. `POST {base}/emails` with a bearer key; the outbox row id
//! travels as `Idempotency-Key`, so a retry after a lost answer never sends twice.

use serde::{Deserialize, Serialize};
use std::future::Future;
use std::time::Duration;

/// A mail ready to go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutgoingMail {
    /// Sender, e.g. `Marketdesk <no-reply@example.com>`.
    pub from: String,
    /// Recipients.
    pub to: Vec<String>,
    /// Subject line.
    pub subject: String,
    /// HTML body.
    pub html: String,
    /// Plain-text body.
    pub text: String,
    /// Makes repeated sends of the same mail a no-op at the provider.
    #[serde(skip)]
    pub idempotency_key: String,
}

/// Why a mail was not sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// Worth trying again later (rate limit, server trouble, network).
    #[error("mail not sent yet: {0}")]
    Retry(String),
    /// Will never work as it is (bad key, invalid address).
    #[error("mail refused: {0}")]
    Refused(String),
}

/// Something that delivers mail and returns the provider's message id.
pub trait Mailer {
    /// Sends one mail.
    fn send(&self, mail: &OutgoingMail) -> impl Future<Output = Result<String, MailError>> + Send;
}

/// The Resend REST client.
#[derive(Debug, Clone)]
pub struct Resend {
    http: reqwest::Client,
    base: String,
    api_key: String,
}

#[derive(Deserialize)]
struct Sent {
    id: String,
}

#[derive(Deserialize)]
struct ApiError {
    #[serde(default)]
    name: String,
    #[serde(default)]
    message: String,
}

impl Resend {
    /// The production endpoint.
    pub const BASE: &'static str = "https://api.resend.com";

    /// A client for `base` (the production [`Resend::BASE`], or a local fake).
    pub fn new(base: &str, api_key: &str) -> Result<Self, MailError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .user_agent(concat!("marketdesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| MailError::Refused(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self { http, base: base.trim_end_matches('/').to_owned(), api_key: api_key.to_owned() })
    }
}

impl Resend {
    /// The client this machine is configured for: the key from
    /// `MARKETDESK_RESEND_API_KEY`, else the keychain's Resend key; the
    /// endpoint from `MARKETDESK_RESEND_API` (a test double), else [`Resend::BASE`].
    pub fn from_environment() -> Result<Self, MailError> {
        let key = match std::env::var("MARKETDESK_RESEND_API_KEY") {
            Ok(k) if !k.trim().is_empty() => k.trim().to_owned(),
            _ => {
                let account = crate::secrets::integration("resend").map(|i| i.account).unwrap_or_default();
                crate::secrets::get(account).ok().flatten().ok_or_else(|| {
                    MailError::Refused(
                        "no Resend API key: set MARKETDESK_RESEND_API_KEY or keep one in the keychain \
                         (`marketdesk secret set resend`)"
                            .into(),
                    )
                })?
            }
        };
        let base = std::env::var("MARKETDESK_RESEND_API").unwrap_or_else(|_| Self::BASE.to_owned());
        Self::new(&base, &key)
    }
}

/// The sender every mail goes out as, from `MARKETDESK_MAIL_FROM` (e.g.
/// `Marketdesk <no-reply@example.com>`): Resend refuses a sender whose domain
/// is not verified, so there is no default.
pub fn sender_from_environment() -> Result<String, MailError> {
    let from = std::env::var("MARKETDESK_MAIL_FROM").unwrap_or_default();
    let from = from.trim();
    if from.is_empty() {
        return Err(MailError::Refused(
            "no sender: set MARKETDESK_MAIL_FROM, e.g. \"Marketdesk <no-reply@example.com>\"".into(),
        ));
    }
    let address = from.rsplit_once('<').map_or(from, |(_, a)| a.trim_end_matches('>'));
    match address.split_once('@') {
        Some((local, domain)) if !local.trim().is_empty() && domain.contains('.') && !domain.contains(' ') => {
            Ok(from.to_owned())
        }
        _ => Err(MailError::Refused(format!("MARKETDESK_MAIL_FROM “{from}” holds no e-mail address"))),
    }
}

impl Mailer for Resend {
    async fn send(&self, mail: &OutgoingMail) -> Result<String, MailError> {
        let response = self
            .http
            .post(format!("{}/emails", self.base))
            .bearer_auth(&self.api_key)
            .header("Idempotency-Key", &mail.idempotency_key)
            .json(mail)
            .send()
            .await
            .map_err(|e| MailError::Retry(format!("Resend did not answer: {e}")))?;
        let status = response.status();
        if status.is_success() {
            let sent: Sent =
                response.json().await.map_err(|e| MailError::Retry(format!("unreadable answer from Resend: {e}")))?;
            return Ok(sent.id);
        }
        let body = response.text().await.unwrap_or_default();
        let detail = serde_json::from_str::<ApiError>(&body)
            .map(|e| format!("{} ({})", e.message, e.name))
            .unwrap_or_else(|_| body.chars().take(200).collect());
        match status.as_u16() {
            429 | 500..=599 => Err(MailError::Retry(format!("Resend said {status}: {detail}"))),
            401 | 403 => Err(MailError::Refused(format!("the Resend API key was refused: {detail}"))),
            _ => Err(MailError::Refused(format!("Resend said {status}: {detail}"))),
        }
    }
}
