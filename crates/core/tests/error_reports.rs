//! Error reports as a Sentry-compatible service receives them, from a local
//! HTTP listener standing in for it: an error logged through `tracing` and a
//! panic arrive as envelopes at the DSN's envelope endpoint, authenticated
//! with the DSN's key, carrying the release, earlier lines as breadcrumbs —
//! and no key, password or e-mail address. A DSN that is not one is refused
//! in words.

use marketdesk_core::observability::logging::{LogOptions, scoped};
use marketdesk_core::observability::reporting::{flush_reports, start_reporting};
/// A made-up key shaped like a live Stripe key (built, so no key-like literal sits in the source).
const FAKE_KEY: &str = concat!("sk_", "live_", "51HxYzAbCdEf0123");
use std::time::Duration;
use wiremock::matchers::{header_regex, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_and_panics_reach_the_service_scrubbed() {
    let service = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/42/envelope/"))
        .and(header_regex("x-sentry-auth", "sentry_key=publickey"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"id":"ok"}"#))
        .mount(&service)
        .await;
    let refused = start_reporting("not a dsn", "1.0.0", "test");
    assert!(refused.err().is_some_and(|e| e.to_string().contains("https://KEY@host/PROJECT")));

    let dsn = format!("http://publickey@{}/42", service.address());
    let _reports = start_reporting(&dsn, "marketdesk@0.1.0-test", "test").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let options = LogOptions {
        folder: dir.path().to_owned(),
        program: "desktop",
        file_filter: "info".into(),
        stderr_filter: None,
        report_errors: true,
    };
    {
        let (_default, _files) = scoped(&options).unwrap();
        tracing::warn!("retrying the payout for ann@example.com");
        tracing::error!(
            target: "marketdesk_core::integrations::stripe",
            url = "postgres://ann:hunter2@db/market",
            "Stripe refused {FAKE_KEY}"
        );
        let caught = std::panic::catch_unwind(|| panic!("label for card 4242 4242 4242 4242 failed"));
        assert!(caught.is_err());
    }
    assert!(flush_reports(Duration::from_secs(10)), "everything sent");

    let received = service.received_requests().await.unwrap();
    let bodies: Vec<String> = received.iter().map(|r| String::from_utf8_lossy(&r.body).into_owned()).collect();
    let all = bodies.join("\n");
    assert_eq!(bodies.len(), 2, "one envelope for the error, one for the panic:\n{all}");
    for secret in [FAKE_KEY, "hunter2", "ann@example.com", "4242 4242"] {
        assert!(!all.contains(secret), "{secret} left this computer:\n{all}");
    }
    let error = bodies.iter().find(|b| b.contains("Stripe refused")).expect("the error's envelope");
    assert!(error.contains("Stripe refused [redacted]"), "{error}");
    assert!(error.contains(r#""release":"marketdesk@0.1.0-test""#), "{error}");
    assert!(error.contains("retrying the payout for a***@example.com"), "the warning as a breadcrumb: {error}");
    assert!(error.contains("postgres://ann:[redacted]@db/market"), "{error}");
    let panic = bodies.iter().find(|b| b.contains("label for card")).expect("the panic's envelope");
    assert!(panic.contains("label for card [card] failed"), "{panic}");
    assert!(panic.contains(r#""type":"panic""#), "reported as a panic: {panic}");
}
