//! Stripe's webhook deliveries: checking the `Stripe-Signature` header
//! (<https://docs.stripe.com/webhooks#verify-manually>) and reading the event.
//!
//! Stripe signs `"{t}.{body}"` with HMAC-SHA256 under the endpoint's signing
//! secret (`whsec_…`) and sends `t=<unix seconds>,v1=<hex>` (several `v1` while
//! a secret is being rolled). A delivery is accepted when one `v1` matches,
//! compared in constant time, and `t` is within [`TOLERANCE_SECS`] of now, so
//! a captured delivery cannot be replayed later.

use super::StripeEvent;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How far a delivery's timestamp may be from now (Stripe's libraries use five minutes).
pub const TOLERANCE_SECS: i64 = 300;

/// Why a delivery was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// No `Stripe-Signature` header.
    #[error("no Stripe-Signature header")]
    Unsigned,
    /// The header has no timestamp or no v1 signature.
    #[error("the Stripe-Signature header is malformed")]
    Malformed,
    /// No signature matches the body under our secret.
    #[error("the signature does not match (wrong secret, or the body was changed)")]
    Mismatch,
    /// Signed too long ago (or in the future): a replay, or a skewed clock.
    #[error("the delivery was signed {age} s away from now, more than {TOLERANCE_SECS} s")]
    Stale {
        /// Seconds between the signature and now.
        age: i64,
    },
    /// Signed correctly, but not an event Marketdesk can read.
    #[error("the body is not a Stripe event: {0}")]
    NotAnEvent(String),
    /// No signing secret is configured on this machine.
    #[error(
        "no webhook signing secret: set MARKETDESK_STRIPE_WEBHOOK_SECRET or `marketdesk secret set stripe-webhook`"
    )]
    NoSecret,
}

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length, so this cannot fail.
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    m.update(timestamp.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    m
}

/// The `Stripe-Signature` header Stripe would send for `body` at `timestamp`
/// (for the test fakes and for checking a configuration end to end).
pub fn signature_header(secret: &str, timestamp: i64, body: &[u8]) -> String {
    format!("t={timestamp},v1={}", hex::encode(mac(secret, timestamp, body).finalize().into_bytes()))
}

/// Checks that `body` was signed by Stripe under `secret` within the
/// tolerance of `now` (Unix seconds).
pub fn verify(body: &[u8], header: Option<&str>, secret: &str, now: i64) -> Result<(), WebhookError> {
    let header = header.ok_or(WebhookError::Unsigned)?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", s)) => signatures.extend(hex::decode(s).ok()),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(WebhookError::Malformed)?;
    if signatures.is_empty() {
        return Err(WebhookError::Malformed);
    }
    let expected = mac(secret, timestamp, body);
    if !signatures.iter().any(|s| expected.clone().verify_slice(s).is_ok()) {
        return Err(WebhookError::Mismatch);
    }
    let age = (now - timestamp).abs();
    if age > TOLERANCE_SECS {
        return Err(WebhookError::Stale { age });
    }
    Ok(())
}

/// Reads a delivered event (after [`verify`]).
pub fn parse_event(body: &[u8]) -> Result<StripeEvent, WebhookError> {
    let v: serde_json::Value = serde_json::from_slice(body).map_err(|e| WebhookError::NotAnEvent(e.to_string()))?;
    let field = |k: &str| v.get(k).and_then(serde_json::Value::as_str).map(str::to_owned);
    if v.get("object").and_then(serde_json::Value::as_str) != Some("event") {
        return Err(WebhookError::NotAnEvent("its object is not \"event\"".into()));
    }
    let id = field("id").filter(|i| i.starts_with("evt_")).ok_or(WebhookError::NotAnEvent("no evt_ id".into()))?;
    let kind = field("type").ok_or(WebhookError::NotAnEvent("no type".into()))?;
    let created =
        v.get("created").and_then(serde_json::Value::as_i64).ok_or(WebhookError::NotAnEvent("no created".into()))?;
    let object = v
        .get("data")
        .and_then(|d| d.get("object"))
        .cloned()
        .ok_or(WebhookError::NotAnEvent("no data.object".into()))?;
    Ok(StripeEvent { id, kind, created, account: field("account"), object })
}

/// The signing secret configured on this machine: the
/// `MARKETDESK_STRIPE_WEBHOOK_SECRET` variable, else the keychain.
pub fn secret_from_environment() -> Result<String, WebhookError> {
    if let Ok(s) = std::env::var("MARKETDESK_STRIPE_WEBHOOK_SECRET")
        && !s.trim().is_empty()
    {
        return Ok(s.trim().to_owned());
    }
    let account = crate::secrets::integration("stripe-webhook").map(|i| i.account).unwrap_or_default();
    crate::secrets::get(account).ok().flatten().filter(|s| !s.trim().is_empty()).ok_or(WebhookError::NoSecret)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_secret";
    const BODY: &[u8] = br#"{"id":"evt_1","object":"event","type":"transfer.reversed","created":1780000000,"data":{"object":{"id":"tr_1"}}}"#;

    #[test]
    fn a_known_signature_is_accepted() {
        // Computed independently: python3 -c 'import hmac,hashlib;print(hmac.new(b"whsec_test_secret",
        // b"1780000000." + BODY, hashlib.sha256).hexdigest())'
        let header = "t=1780000000,v1=54673ea59e236f5076d7c14372675bb1db92335f25b679cad2c5220eec078434";
        assert_eq!(verify(BODY, Some(header), SECRET, 1_780_000_100), Ok(()));
        assert_eq!(signature_header(SECRET, 1_780_000_000, BODY), header);
    }

    #[test]
    fn tampering_staleness_and_bad_headers_are_refused() {
        let good = signature_header(SECRET, 1_780_000_000, BODY);
        let mut changed = BODY.to_vec();
        changed[10] = b'2';
        assert_eq!(verify(&changed, Some(&good), SECRET, 1_780_000_000), Err(WebhookError::Mismatch));
        assert_eq!(verify(BODY, Some(&good), "whsec_other", 1_780_000_000), Err(WebhookError::Mismatch));
        assert_eq!(verify(BODY, Some(&good), SECRET, 1_780_000_301), Err(WebhookError::Stale { age: 301 }));
        assert_eq!(verify(BODY, None, SECRET, 0), Err(WebhookError::Unsigned));
        assert_eq!(verify(BODY, Some("v1=00"), SECRET, 0), Err(WebhookError::Malformed));
        assert_eq!(verify(BODY, Some("t=1780000000"), SECRET, 0), Err(WebhookError::Malformed));
        // While a secret is rolled, Stripe sends two v1 signatures: either may match.
        let rolled = format!("t=1780000000,v1={},{}", "ab".repeat(32), good.split_once(',').unwrap().1);
        assert_eq!(verify(BODY, Some(&rolled), SECRET, 1_780_000_000), Ok(()));
    }

    #[test]
    fn events_are_read_and_other_bodies_refused() {
        let e = parse_event(BODY).unwrap();
        assert_eq!((e.id.as_str(), e.kind.as_str(), e.created), ("evt_1", "transfer.reversed", 1_780_000_000));
        assert_eq!(e.object["id"], "tr_1");
        assert!(matches!(parse_event(b"{\"object\":\"charge\"}"), Err(WebhookError::NotAnEvent(_))));
        assert!(matches!(parse_event(b"not json"), Err(WebhookError::NotAnEvent(_))));
    }
}
