//! The outbox delivered through the real Resend client against a local fake
//! that answers as Resend documents: retries with back-off, idempotency keys,
//! refusals kept with their reason — on both engines.

use marketdesk_test_support::on_both_engines;

use marketdesk_core::Store;
use marketdesk_core::domain::Timestamp;
use marketdesk_core::integrations::resend::Resend;
use marketdesk_core::mail::outbox::{self, DeliveryReport};
use marketdesk_core::mail::templates::{Template, render};
use serde_json::json;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

on_both_engines!(outbox_retries_refuses_and_sends_once, a_mail_its_deliverer_abandoned_is_sent_again);

async fn outbox_retries_refuses_and_sends_once(store: &Store) {
    let fake = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/emails"))
        .and(body_partial_json(json!({ "to": ["bad@example.test"] })))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "statusCode": 422, "message": "Invalid `to` field.", "name": "validation_error"
        })))
        .mount(&fake)
        .await;
    Mock::given(method("POST"))
        .and(path("/emails"))
        .respond_with(ResponseTemplate::new(429).set_body_json(json!({
            "statusCode": 429, "message": "Too many requests. You can only make 2 requests per second.", "name": "rate_limit_exceeded"
        })))
        .up_to_n_times(1)
        .mount(&fake)
        .await;
    Mock::given(method("POST"))
        .and(path("/emails"))
        .and(header("authorization", "Bearer re_test_key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794" })))
        .mount(&fake)
        .await;

    let mail = render(&Template::Invitation {
        display_name: "Ann",
        username: "ann",
        role: "finance",
        code: "ABCD-EFGH-JKLM-NPQR",
    })
    .unwrap();
    let first = outbox::queue(store, "Ann@Example.test", &mail).await.unwrap();
    let second = outbox::queue(store, "bob@example.test", &mail).await.unwrap();
    let bad = outbox::queue(store, "bad@example.test", &mail).await.unwrap();

    let resend = Resend::new(&fake.uri(), "re_test_key").unwrap();
    let from = "Marketdesk <no-reply@marketdesk.test>";
    let run = outbox::deliver_due(store, &resend, from, 50).await.unwrap();
    assert_eq!(run, DeliveryReport { sent: 1, retrying: 1, failed: 1 });
    assert_eq!(
        outbox::deliver_due(store, &resend, from, 50).await.unwrap(),
        DeliveryReport::default(),
        "the retry is not due yet"
    );

    let rows = outbox::list(store, 10).await.unwrap();
    let row = |id| rows.iter().find(|r| r.id == id).unwrap().clone();
    let refused = row(bad);
    assert_eq!(refused.status, "failed");
    assert!(refused.last_error.as_deref().unwrap_or("").contains("Invalid `to` field."), "{refused:?}");
    let waiting =
        [row(first), row(second)].into_iter().find(|r| r.status == "queued").expect("one mail waits for its retry");
    assert!(waiting.last_error.as_deref().unwrap_or("").contains("rate_limit_exceeded"));

    // Make the retry due, as time would.
    let due = "UPDATE email_outbox SET next_attempt_at = created_at WHERE status = 'queued'";
    if let Some(p) = store.pg_pool() {
        sqlx::query(due).execute(p).await.unwrap();
    } else {
        sqlx::query(due).execute(store.sqlite_pool().unwrap()).await.unwrap();
    }
    assert_eq!(
        outbox::deliver_due(store, &resend, from, 50).await.unwrap(),
        DeliveryReport { sent: 1, retrying: 0, failed: 0 }
    );
    let rows = outbox::list(store, 10).await.unwrap();
    for id in [first, second] {
        let r = rows.iter().find(|r| r.id == id).unwrap();
        assert_eq!(r.status, "sent");
        assert_eq!(r.provider_message_id.as_deref(), Some("49a3999c-0ce1-4ea6-ab68-afcd6dc2e794"));
    }
    assert_eq!(rows.iter().find(|r| r.id == waiting.id).unwrap().attempts, 2);

    // What Resend received: the documented fields, and one idempotency key per row, reused on retry.
    let requests = fake.received_requests().await.unwrap();
    assert_eq!(requests.len(), 4);
    let mut keys: Vec<String> =
        requests.iter().map(|r| r.headers.get("idempotency-key").unwrap().to_str().unwrap().to_owned()).collect();
    keys.sort();
    let mut expected = vec![first.to_string(), second.to_string(), bad.to_string(), waiting.id.to_string()];
    expected.sort();
    assert_eq!(keys, expected);
    let body: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(body["from"], from);
    assert_eq!(body["subject"], "You are invited to Marketdesk");
    assert!(
        body["text"].as_str().unwrap().contains("ABCD-EFGH-JKLM-NPQR")
            && body["html"].as_str().unwrap().contains("<p>")
    );
    assert!(requests.iter().any(|r| r.headers.get("authorization").unwrap() == "Bearer re_test_key"));
}

async fn a_mail_its_deliverer_abandoned_is_sent_again(store: &Store) {
    let fake = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/emails"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": "4ef9a417-02e9-4d39-ad75-9611e0fcc33c" })))
        .mount(&fake)
        .await;
    let mail = render(&Template::Invitation {
        display_name: "Cy",
        username: "cy",
        role: "logistics",
        code: "WXYZ-EFGH-JKLM-NPQR",
    })
    .unwrap();
    let stale = outbox::queue(store, "stale@example.test", &mail).await.unwrap();
    let busy = outbox::queue(store, "busy@example.test", &mail).await.unwrap();
    // A deliverer claimed both and stopped: one an hour ago, one a moment ago
    // (still at work, perhaps).
    let hour_ago = Timestamp::from_unix_micros(Timestamp::now().unix_micros() - 3_600_000_000).unwrap();
    let claim = "UPDATE email_outbox SET status = 'sending', attempts = 1, updated_at = $2 WHERE id = $1";
    for (id, when) in [(stale, hour_ago), (busy, Timestamp::now())] {
        if let Some(p) = store.pg_pool() {
            sqlx::query(claim).bind(id).bind(when).execute(p).await.unwrap();
        } else {
            sqlx::query(claim).bind(id).bind(when).execute(store.sqlite_pool().unwrap()).await.unwrap();
        }
    }

    let resend = Resend::new(&fake.uri(), "re_test_key").unwrap();
    let from = "Marketdesk <no-reply@marketdesk.test>";
    assert_eq!(
        outbox::deliver_due(store, &resend, from, 50).await.unwrap(),
        DeliveryReport { sent: 1, retrying: 0, failed: 0 },
        "the abandoned mail goes out; the one just claimed is left to its deliverer"
    );
    let rows = outbox::list(store, 10).await.unwrap();
    let row = |id| rows.iter().find(|r| r.id == id).unwrap().clone();
    assert_eq!(row(stale).status, "sent");
    assert_eq!(row(stale).attempts, 2);
    assert_eq!(row(busy).status, "sending");
    let requests = fake.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].headers.get("idempotency-key").unwrap().to_str().unwrap(), stale.to_string());
}
