//! `cargo xtask bench labels` (third part): a batch of carrier labels bought
//! from the FedEx fake answering after a simulated latency (default 200 ms)
//! and printed to a raw 9100 printer, several purchases in flight at once,
//! beside the same purchases and prints made one by one in the same run.
//! Everything real is in the path: the local and the carrier's address check,
//! the purchase recorded before the call and closed in a transaction, the
//! label printed byte for byte, the client's rate limit. Printed as labels per
//! second, the ratio, and the busiest ten seconds of calls against FedEx's
//! 1,400.

use marketdesk_core::domain::{Carrier, DocumentKind, PrintLanguage, PrinterConnection};
use marketdesk_core::integrations::carriers::{CarrierAccount, Fedex, LabelImage, RateLimit};
use marketdesk_core::logistics::batch::{BatchOptions, BatchOutcome, buy_and_print};
use marketdesk_core::logistics::printing::{PrintContext, add_printer, print_shipping_label, set_default_printer};
use marketdesk_core::logistics::purchase::buy_label;
use marketdesk_core::store::printing::PrinterSpec;
use marketdesk_test_support::fedex_fake::{self, FedexFake};
use marketdesk_test_support::parcels::ready_all;
use marketdesk_test_support::printers::RawPrinter;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|n| n.parse().ok()).unwrap_or(default)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let batch = arg(&args, "--carrier-labels", 500);
    let single = arg(&args, "--one-by-one", 50);
    let latency = Duration::from_millis(arg(&args, "--latency-ms", 200) as u64);
    let concurrency = arg(&args, "--concurrency", 16);

    let db = marketdesk_test_support::databases::sqlite().await;
    let store = &db.store;
    let mut options = marketdesk_core::seed::SeedOptions::new(u64::try_from(batch + single).unwrap());
    options.end = marketdesk_core::domain::Timestamp::parse("2026-06-01T00:00:00Z").unwrap();
    marketdesk_core::seed::seed(store, &options, |_| {}).await.expect("seed");
    let parcels = ready_all(store, "fedex", "FEDEX_GROUND").await;
    assert!(parcels.len() >= batch + single, "seeded {} parcels", parcels.len());

    let fake = FedexFake::start(latency).await;
    let account = CarrierAccount {
        carrier: Carrier::Fedex,
        base_url: fake.uri(),
        client_id: fedex_fake::CLIENT_ID.into(),
        secret: fedex_fake::SECRET.into(),
        account_number: "740561073".into(),
        timeout: Duration::from_secs(30),
    };
    let limit = RateLimit { calls: 1_300, per: Duration::from_secs(10) };
    let api = Fedex::new(account, limit).unwrap();
    let raw = RawPrinter::start().await;
    let spec = PrinterSpec {
        name: "Bench Zebra".into(),
        connection: PrinterConnection::Socket,
        address: raw.address(),
        language: PrintLanguage::Zpl,
        dpi: Some(203),
    };
    let printer = add_printer(store, "bench", &spec, None).await.unwrap();
    set_default_printer(store, "bench", DocumentKind::Label, printer.id).await.unwrap();
    let ctx = PrintContext {
        workstation: "bench".into(),
        requested_by: None,
        user_name: "bench".into(),
        cups_wait: Duration::from_secs(30),
        recorder: None,
    };

    println!(
        "carrier labels bought from the FedEx fake ({} ms a call: address check + ship) and printed to a raw 9100 printer",
        latency.as_millis()
    );
    let start = Instant::now();
    for id in &parcels[..single] {
        let bought = buy_label(store, &api, *id, "FEDEX_GROUND", LabelImage::Zpl, None).await.unwrap();
        assert_eq!(bought.state, marketdesk_core::domain::LabelPurchaseState::Purchased);
        print_shipping_label(store, &ctx, *id, None).await.unwrap();
    }
    let one_by_one = start.elapsed();
    let base_rate = single as f64 / one_by_one.as_secs_f64();
    println!(
        "{:<44} {single:>5} labels {:>8.2}s {base_rate:>8.1}/s",
        "one by one (baseline)",
        one_by_one.as_secs_f64()
    );

    let cancel = AtomicBool::new(false);
    let opts = BatchOptions { image: LabelImage::Zpl, printer: None, concurrency };
    let start = Instant::now();
    let rows =
        buy_and_print(store, Some(&api), None, &ctx, &parcels[single..single + batch], opts, &cancel, |_| {}).await;
    let batched = start.elapsed();
    let printed = rows.iter().filter(|r| r.outcome == BatchOutcome::Printed).count();
    assert_eq!(printed, batch, "{:?}", rows.iter().find(|r| r.outcome != BatchOutcome::Printed));
    let rate = batch as f64 / batched.as_secs_f64();
    println!(
        "{:<44} {batch:>5} labels {:>8.2}s {rate:>8.1}/s {:>7.1}x",
        format!("batch, {concurrency} in flight"),
        batched.as_secs_f64(),
        rate / base_rate
    );
    let arrived = raw.wait_for(batch + single, Duration::from_secs(60)).await;
    assert_eq!(arrived.len(), batch + single, "every label reached the printer");
    let busiest = fake.state.lock().unwrap().busiest(Duration::from_secs(10));
    println!("busiest 10 s at FedEx: {busiest} calls (FedEx allows 1,400; the client keeps under 1,300)");
}
