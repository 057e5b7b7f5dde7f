//! The worker's mail rounds through the built `marketdesk` binary: the
//! outbox is sent through Resend (a local fake answering as Resend documents)
//! as the configured sender, and a worker without a sender refuses to start.

use marketdesk_core::mail::outbox;
use marketdesk_core::mail::templates::{Template, render};
use marketdesk_core::store::DatabaseUrl;
use marketdesk_test_support::databases::pg;
use marketdesk_test_support::marketdesk_bin;
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const FROM: &str = "Marketdesk <no-reply@marketdesk.test>";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_sends_the_outbox_and_refuses_to_start_without_a_sender() {
    let db = pg().await;
    let url = match &db.url {
        DatabaseUrl::Postgres(u) => u.clone(),
        DatabaseUrl::Sqlite(_) => unreachable!("a PostgreSQL database"),
    };
    let fake = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/emails"))
        .and(header("authorization", "Bearer re_worker_key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": "0f6c3d2e-55a1-4b0e-9a51-2d5e7c1f0a11" })))
        .mount(&fake)
        .await;
    let home = tempfile::tempdir().unwrap();
    let command = |from: Option<&str>| {
        let mut cmd = std::process::Command::new(marketdesk_bin());
        cmd.args(["--database-url", &url, "worker", "--poll-every", "0", "--mail-every", "1"])
            .env("HOME", home.path())
            .env("MARKETDESK_RESEND_API", fake.uri())
            .env("MARKETDESK_RESEND_API_KEY", "re_worker_key")
            .env_remove("MARKETDESK_MAIL_FROM");
        if let Some(from) = from {
            cmd.env("MARKETDESK_MAIL_FROM", from);
        }
        cmd
    };

    let mail = render(&Template::Invitation {
        display_name: "Dee",
        username: "dee",
        role: "finance",
        code: "QRST-EFGH-JKLM-NPQR",
    })
    .unwrap();
    let id = outbox::queue(&db.store, "dee@example.test", &mail).await.unwrap();

    let mut refused = command(None);
    let out = tokio::task::spawn_blocking(move || refused.output().unwrap()).await.unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a worker with no sender stops");
    assert!(err.contains("MARKETDESK_MAIL_FROM"), "{err}");
    assert_eq!(outbox::list(&db.store, 10).await.unwrap()[0].status, "queued", "nothing was sent");

    let mut worker = command(Some(FROM));
    worker.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    let mut child = worker.spawn().unwrap();
    let mut sent = false;
    for _ in 0..150 {
        let rows = outbox::list(&db.store, 10).await.unwrap();
        if rows.iter().any(|r| r.id == id && r.status == "sent") {
            sent = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    child.kill().ok();
    child.wait().ok();
    assert!(sent, "the worker's mail round sent the queued mail");
    let requests = fake.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "sent once");
    let body: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(body["from"], FROM);
    assert_eq!(body["to"], json!(["dee@example.test"]));
    assert_eq!(requests[0].headers.get("idempotency-key").unwrap().to_str().unwrap(), id.to_string());
    db.finish().await;
}
