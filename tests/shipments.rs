//! Buying a carrier label through the built `marketdesk` binary, killed
//! between the carrier's answer and the commit: the purchase is found
//! uncertain (never left "attempting", never bought again on its own), a
//! second `shipments buy` is refused, and settling it voids what the carrier
//! sold under the reference that was sent.

use marketdesk_core::domain::{LabelPurchaseState, ShipmentStatus};
use marketdesk_core::logistics::purchase::{FAILPOINT_BOUGHT, settle_cut_off_purchases};
use marketdesk_core::store::DatabaseUrl;
use marketdesk_test_support::databases::pg;
use marketdesk_test_support::fedex_fake::{self, FedexFake};
use marketdesk_test_support::marketdesk_bin;
use marketdesk_test_support::parcels::pending_parcel;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_between_the_purchase_and_the_commit_never_buys_twice() {
    let db = pg().await;
    let url = match &db.url {
        DatabaseUrl::Postgres(u) => u.clone(),
        DatabaseUrl::Sqlite(_) => unreachable!("a PostgreSQL database"),
    };
    let fake = FedexFake::start(Duration::ZERO).await;
    let shipment = pending_parcel(&db.store, "fedex", "FEDEX_GROUND").await;
    let home = tempfile::tempdir().unwrap();
    let command = |args: &[&str], failpoint: Option<&str>| {
        let mut cmd = std::process::Command::new(marketdesk_bin());
        cmd.args(["--database-url", &url])
            .args(args)
            .env("HOME", home.path())
            .env("MARKETDESK_FEDEX_API", fake.uri())
            .env("MARKETDESK_FEDEX_CLIENT_ID", fedex_fake::CLIENT_ID)
            .env("MARKETDESK_FEDEX_SECRET", fedex_fake::SECRET)
            .env("MARKETDESK_FEDEX_ACCOUNT", "740561073")
            .env_remove("MARKETDESK_FAILPOINT");
        if let Some(point) = failpoint {
            cmd.env("MARKETDESK_FAILPOINT", point);
        }
        cmd
    };
    // The fake answers on this test's runtime, so the binary runs off it.
    let run = |mut cmd: std::process::Command| async move {
        tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap()
    };
    let id = shipment.to_string();

    let crashed = run(command(&["shipments", "buy", &id], Some(FAILPOINT_BOUGHT))).await;
    assert!(!crashed.status.success(), "the run was killed");
    assert!(String::from_utf8_lossy(&crashed.stderr).contains(FAILPOINT_BOUGHT));
    assert_eq!(fake.calls_to("/ship/v1/shipments"), 1, "FedEx sold the label before the crash");
    let attempt = db.store.label_purchases(shipment).await.unwrap().remove(0);
    assert_eq!(attempt.state, LabelPurchaseState::Attempting, "nothing was committed");
    assert_eq!(db.store.parcel_route(shipment).await.unwrap().status, ShipmentStatus::Pending);

    let refused = run(command(&["shipments", "buy", &id], None)).await;
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("in progress or uncertain"), "{refused:?}");
    assert_eq!(fake.calls_to("/ship/v1/shipments"), 1, "not bought a second time");

    assert_eq!(settle_cut_off_purchases(&db.store, Duration::ZERO).await.unwrap(), 1);
    let uncertain = db.store.label_purchase(attempt.id).await.unwrap();
    assert_eq!(uncertain.state, LabelPurchaseState::Uncertain);
    assert!(uncertain.error_message.unwrap().contains(&attempt.reference), "says what to look for");

    let sold = fake.state.lock().unwrap().ship_requests.len();
    assert_eq!(sold, 1);
    let tracking = fake.tracking_numbers()[0].clone();
    let settled = run(command(&["shipments", "settle", &attempt.id.to_string(), "--voided", &tracking], None)).await;
    assert!(settled.status.success(), "{}", String::from_utf8_lossy(&settled.stderr));
    assert_eq!(fake.state.lock().unwrap().voided, vec![tracking]);
    assert_eq!(db.store.label_purchase(attempt.id).await.unwrap().state, LabelPurchaseState::Voided);

    let bought = run(command(&["shipments", "buy", &id], None)).await;
    assert!(bought.status.success(), "{}", String::from_utf8_lossy(&bought.stderr));
    assert_eq!(db.store.parcel_route(shipment).await.unwrap().status, ShipmentStatus::LabelPurchased);
    db.finish().await;
}
