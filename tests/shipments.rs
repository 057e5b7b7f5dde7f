//! Parcels through the built `marketdesk` binary. A label purchase killed
//! between the carrier's answer and the commit is found uncertain (never left
//! "attempting", never bought again on its own), a second `shipments buy` is
//! refused, and settling it voids what the carrier sold under the reference
//! that was sent. Shipping setup, rate shopping and choosing, the warehouse's
//! sheets, and the worker's tracking rounds work from the command line.

use marketdesk_core::domain::{LabelPurchaseState, ShipmentStatus};
use marketdesk_core::logistics::purchase::{FAILPOINT_BOUGHT, settle_cut_off_purchases};
use marketdesk_core::store::DatabaseUrl;
use marketdesk_test_support::databases::pg;
use marketdesk_test_support::fedex_fake::{self, FedexFake};
use marketdesk_test_support::marketdesk_bin;
use marketdesk_test_support::parcels::pending_parcel;
use std::time::Duration;

/// The built binary against `url`, with its own home and the FedEx fake as FedEx.
fn marketdesk(url: &str, home: &std::path::Path, fake: &FedexFake, args: &[&str]) -> std::process::Command {
    let mut cmd = std::process::Command::new(marketdesk_bin());
    cmd.args(["--database-url", url])
        .args(args)
        .env("HOME", home)
        .env("MARKETDESK_WORKSTATION", "bench-1")
        .env("MARKETDESK_FEDEX_API", fake.uri())
        .env("MARKETDESK_FEDEX_CLIENT_ID", fedex_fake::CLIENT_ID)
        .env("MARKETDESK_FEDEX_SECRET", fedex_fake::SECRET)
        .env("MARKETDESK_FEDEX_ACCOUNT", "740561073")
        .env_remove("MARKETDESK_FAILPOINT");
    cmd
}

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
        let mut cmd = marketdesk(&url, home.path(), &fake, args);
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

/// Shipping setup, rate shopping, choosing a rate and the warehouse's sheets
/// through the built binary; and the worker's tracking rounds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shipping_setup_rates_sheets_and_tracking_from_the_command_line() {
    let db = pg().await;
    let url = match &db.url {
        DatabaseUrl::Postgres(u) => u.clone(),
        DatabaseUrl::Sqlite(_) => unreachable!("a PostgreSQL database"),
    };
    let fake = FedexFake::start(Duration::ZERO).await;
    let shipment = pending_parcel(&db.store, "fedex", "FEDEX_GROUND").await;
    let home = tempfile::tempdir().unwrap();
    let command = |args: &[&str]| marketdesk(&url, home.path(), &fake, args);
    let run = |args: Vec<String>| {
        let mut cmd = command(&args.iter().map(String::as_str).collect::<Vec<_>>());
        async move {
            let out = tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap();
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            let err = String::from_utf8_lossy(&out.stderr).into_owned();
            (out.status.success(), text, err)
        }
    };
    let args = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let id = shipment.to_string();

    let (ok, _, err) =
        run(args(&["shipping", "zone", "Memphis", "--area", "US/TN:38100..38199", "--position", "5"])).await;
    assert!(ok, "{err}");
    let (ok, _, err) = run(args(&[
        "shipping",
        "method",
        "memphis_courier",
        "--name",
        "Memphis courier",
        "--carrier",
        "local",
        "--service",
        "SAME_DAY",
        "--days",
        "0-1",
    ]))
    .await;
    assert!(ok, "{err}");
    let (ok, _, err) = run(args(&["shipping", "rate", "memphis_courier", "Memphis", "USD", "--flat", "4.50"])).await;
    assert!(ok, "{err}");
    let (ok, _, err) = run(args(&["shipping", "rate", "memphis_courier", "Memphis", "USD", "--flat", "4.505"])).await;
    assert!(!ok && err.contains("USD has 2 decimals"), "{err}");
    let (ok, _, err) = run(args(&["shipping", "zone", "Nowhere", "--area", "Narnia"])).await;
    assert!(!ok && err.contains("two-letter"), "{err}");
    let (ok, listed, _) = run(args(&["shipping", "list"])).await;
    assert!(ok && listed.contains("US/TN:38100..38199") && listed.contains("Memphis, USD: flat 4.50"), "{listed}");

    let (ok, rates, err) = run(args(&["shipments", "rates", &id])).await;
    assert!(ok, "{err}");
    assert!(rates.contains("to Memphis"), "{rates}");
    let courier = rates.lines().find(|l| l.starts_with("memphis_courier")).unwrap_or_else(|| panic!("{rates}"));
    assert!(courier.contains("4.50 USD") && courier.contains("cheapest"), "{rates}");
    assert!(rates.lines().any(|l| l.starts_with("fedex:")), "FedEx quotes beside the table: {rates}");
    assert!(rates.contains("UPS") && rates.contains("not available"), "{rates}");
    let (ok, said, err) = run(args(&["shipments", "choose", &id, "memphis_courier"])).await;
    assert!(ok && said.contains("Memphis courier chosen: 4.50 USD"), "{said}{err}");
    let route = db.store.parcel_route(shipment).await.unwrap();
    assert_eq!((route.carrier.as_str(), route.service_code.as_str()), ("local", "SAME_DAY"));
    let (ok, _, err) = run(args(&["shipments", "choose", &id, "dhl:EXPRESS"])).await;
    assert!(!ok && err.contains("is not among this parcel's rates"), "{err}");

    let slip = home.path().join("slip.pdf");
    let (ok, said, err) = run(args(&["warehouse", "packing-slip", &id, "--out", slip.to_str().unwrap()])).await;
    assert!(ok && said.contains("Wrote the packing slip"), "{err}");
    assert!(std::fs::read(&slip).unwrap().starts_with(b"%PDF-"));
    let (ok, _, err) = run(args(&["warehouse", "pick-list", &id, "--print"])).await;
    assert!(!ok && err.contains("no default printer for pick lists"), "{err}");

    // Back to FedEx, bought, handed over: the manifest lists it, and the worker tracks it.
    let (ok, _, err) = run(args(&["shipments", "choose", &id, "fedex:FEDEX_GROUND"])).await;
    assert!(ok, "{err}");
    let (ok, _, err) = run(args(&["shipments", "buy", &id])).await;
    assert!(ok, "{err}");
    let (ok, _, err) = run(args(&["shipments", "hand-over", &id])).await;
    assert!(ok, "{err}");
    let manifest = home.path().join("manifest.pdf");
    let (ok, said, err) =
        run(args(&["warehouse", "manifest", "--carrier", "fedex", "--out", manifest.to_str().unwrap()])).await;
    assert!(ok && said.contains("FedEx manifest") && said.contains("(1 parcels)"), "{said}{err}");

    // FedEx Ground's end of day: the manifest FedEx hands back, kept and shown again.
    let number = fake.tracking_numbers()[0].clone();
    let closed = home.path().join("ground.txt");
    let (ok, said, err) = run(args(&["shipments", "close-day", "--out", closed.to_str().unwrap()])).await;
    assert!(ok && said.contains("FedEx Ground closed for") && said.contains("1 Ground label(s)"), "{said}{err}");
    let text = std::fs::read_to_string(&closed).unwrap();
    assert!(text.contains(&number) && text.contains("TOTAL PACKAGES 1"), "{text}");
    let (ok, listed, err) = run(args(&["shipments", "closes"])).await;
    assert!(ok && listed.contains("FedEx"), "{listed}{err}");
    let close_id = listed.split_whitespace().nth(1).unwrap().to_owned();
    let (ok, again, _) = run(args(&["shipments", "closes", &close_id])).await;
    assert!(ok && again.contains(&number), "{again}");
    let (ok, _, err) = run(args(&["shipments", "close-day", "--date", "2999-01-01"])).await;
    assert!(!ok && err.contains("has not come yet"), "{err}");

    // Bins: one SKU by name, then a sheet that is taken whole or not at all.
    let (_, items) = db.store.packing_slip(shipment).await.unwrap();
    let sku = items[0].sku.clone();
    let (ok, said, err) = run(args(&["packing", "bin", &sku, "a-07-1"])).await;
    assert!(ok && said.contains("is now in bin A-07-1"), "{said}{err}");
    let (ok, said, _) = run(args(&["packing", "bin", &sku])).await;
    assert!(ok && said.starts_with("A-07-1"), "{said}");
    let sheet = home.path().join("bins.csv");
    std::fs::write(&sheet, format!("sku,bin\n{sku},B-2\nNO-SUCH,C-1\n")).unwrap();
    let (ok, _, err) = run(args(&["packing", "bins", sheet.to_str().unwrap()])).await;
    assert!(
        !ok && err.contains("line 3: no live variant has SKU NO-SUCH") && err.contains("no bin was changed"),
        "{err}"
    );
    let (_, said, _) = run(args(&["packing", "bin", &sku])).await;
    assert!(said.starts_with("A-07-1"), "nothing was written: {said}");

    fake.push_scan(&number, "PU", "Picked up", "2026-12-04T09:00:00-06:00");
    let mut worker = command(&["worker", "--poll-every", "0", "--track-every", "1"]);
    worker.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    let mut child = worker.spawn().unwrap();
    let mut moved = false;
    for _ in 0..100 {
        if db.store.parcel_route(shipment).await.unwrap().status == marketdesk_core::domain::ShipmentStatus::InTransit {
            moved = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    child.kill().ok();
    child.wait().ok();
    assert!(moved, "the worker's tracking round moved the parcel in transit");
    assert_eq!(db.store.tracking_events(shipment).await.unwrap().len(), 1);
    db.finish().await;
}
