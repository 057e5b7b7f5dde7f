//! `cargo xtask bench labels` (second part): from "print this shipment's
//! label" to the last byte at the printer, N times, through a raw 9100 socket
//! printer and through a private CUPS server's raw queue, each beside a
//! baseline in the same run: the same label bytes written straight to the same
//! listener (connect, write, close). Everything a real print does is in the
//! measured path: reading the shipment, drawing the ZPL, recording the job and
//! its states in a SQLite database, sending, and (CUPS) following the job to
//! completed. Printed as p50 / p95 per print and the ratio to the baseline.

use marketdesk_core::documents::label::Density;
use marketdesk_core::domain::{PrintLanguage, PrinterConnection, Timestamp};
use marketdesk_core::logistics::labels::LabelFormat;
use marketdesk_core::logistics::printing::{PrintContext, add_printer, print_shipping_label};
use marketdesk_core::store::printing::PrinterSpec;
use marketdesk_core::store::shipments::{ShipmentFilter, ShipmentSort};
use marketdesk_core::store::{PageRequest, SortDir};
use marketdesk_test_support::printers::{PrivateCups, RawPrinter};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn report(name: &str, mut times: Vec<Duration>, base_p50: Option<Duration>) -> Duration {
    times.sort();
    let (p50, p95) = (percentile(&times, 0.5), percentile(&times, 0.95));
    let ratio = base_p50.map(|b| format!("{:>7.1}x", p50.as_secs_f64() / b.as_secs_f64())).unwrap_or_default();
    println!("{name:<40} {:>9.2}ms {:>9.2}ms {ratio}", p50.as_secs_f64() * 1e3, p95.as_secs_f64() * 1e3);
    p50
}

async fn direct(address: &str, bytes: &[u8]) {
    let mut s = tokio::net::TcpStream::connect(address).await.expect("connect");
    s.write_all(bytes).await.expect("write");
    s.shutdown().await.expect("close");
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let count = args
        .iter()
        .position(|a| a == "--prints")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(200usize);
    let db = marketdesk_test_support::databases::sqlite().await;
    let store = &db.store;
    let mut options = marketdesk_core::seed::SeedOptions::new(50);
    options.end = Timestamp::parse("2026-06-01T00:00:00Z").unwrap();
    marketdesk_core::seed::seed(store, &options, |_| {}).await.expect("seed");
    let page = PageRequest { sort: ShipmentSort::CreatedAt, dir: SortDir::Asc, after: None, limit: 1 };
    let shipment = store.list_shipments(&ShipmentFilter::default(), &page).await.unwrap().items[0].id;
    let bytes = store.render_shipping_label(shipment, LabelFormat::Zpl { density: Density::Dpi203 }).await.unwrap();
    let ctx = PrintContext {
        workstation: "bench".into(),
        requested_by: None,
        user_name: "bench".into(),
        cups_wait: Duration::from_secs(30),
        recorder: None,
    };
    let spec = |name: &str, connection, address: String| PrinterSpec {
        name: name.into(),
        connection,
        address,
        language: PrintLanguage::Zpl,
        dpi: Some(203),
    };

    println!("{count} prints of one 4x6 ZPL label ({} bytes), scan to last byte at the printer", bytes.len());
    println!("{:<40} {:>11} {:>11} {:>8}", "", "p50", "p95", "ratio");

    let raw = RawPrinter::start().await;
    let mut times = Vec::with_capacity(count);
    for _ in 0..count {
        let seen = raw.jobs().len();
        let start = Instant::now();
        direct(&raw.address(), &bytes).await;
        raw.wait_for(seen + 1, Duration::from_secs(10)).await;
        times.push(start.elapsed());
    }
    let base = report("baseline: bytes straight to the socket", times, None);

    let printer =
        add_printer(store, "bench", &spec("raw", PrinterConnection::Socket, raw.address()), None).await.unwrap();
    let mut times = Vec::with_capacity(count);
    for _ in 0..count {
        let seen = raw.jobs().len();
        let start = Instant::now();
        print_shipping_label(store, &ctx, shipment, Some(printer.id)).await.unwrap();
        raw.wait_for(seen + 1, Duration::from_secs(10)).await;
        times.push(start.elapsed());
    }
    report("print to a raw 9100 printer", times, Some(base));

    if std::path::Path::new("/usr/sbin/cupsd").exists() {
        let cups = PrivateCups::start();
        let behind = RawPrinter::start().await;
        cups.add_raw_queue("bench", &behind.address());
        let queue = add_printer(store, "bench", &spec("cups", PrinterConnection::Ipp, cups.queue_uri("bench")), None)
            .await
            .unwrap();
        let mut times = Vec::with_capacity(count);
        for _ in 0..count {
            let seen = behind.jobs().len();
            let start = Instant::now();
            let job = print_shipping_label(store, &ctx, shipment, Some(queue.id)).await.unwrap();
            behind.wait_for(seen + 1, Duration::from_secs(10)).await;
            times.push(start.elapsed());
            assert!(job.failure.is_none(), "{:?}", job.failure);
        }
        report("print through CUPS (raw queue, completed)", times, Some(base));
    } else {
        println!("(no cupsd here: the CUPS figure needs the Debian package cups)");
    }
    db.finish().await;
}
