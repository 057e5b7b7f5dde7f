//! Printing for real: labels go to a raw printer's TCP port and through a
//! private CUPS server's raw and PDF queues into a listener, and the bytes
//! that arrive are compared with the bytes sent. A printer that is off, a
//! paused queue, a queue that refuses jobs, a printer that never prints and a
//! job cut off mid-send each leave a failed, reprintable job with the reason.

use marketdesk_core::documents::label::Density;
use marketdesk_core::domain::{DocumentKind, PrintJobState, PrintLanguage, PrinterConnection, Timestamp};
use marketdesk_core::logistics::labels::LabelFormat;
use marketdesk_core::logistics::printing::{
    self, PrintContext, add_printer, cups, print_shipping_label, print_test_page, reprint, set_default_printer,
    settle_open_jobs,
};
use marketdesk_core::store::printing::{Printer, PrinterSpec};
use marketdesk_core::store::shipments::{ShipmentFilter, ShipmentSort};
use marketdesk_core::store::{PageRequest, SortDir, Store, StoreError};
use marketdesk_test_support::free_port;
use marketdesk_test_support::on_both_engines;
use marketdesk_test_support::printers::{PrivateCups, RawPrinter};
use std::time::Duration;
use uuid::Uuid;

const WAIT: Duration = Duration::from_secs(10);

async fn seeded(store: &Store) -> Uuid {
    let mut options = marketdesk_core::seed::SeedOptions::new(40);
    options.end = Timestamp::parse("2026-06-01T00:00:00Z").unwrap();
    marketdesk_core::seed::seed(store, &options, |_| {}).await.expect("seed");
    let page = PageRequest { sort: ShipmentSort::CreatedAt, dir: SortDir::Asc, after: None, limit: 1 };
    store.list_shipments(&ShipmentFilter::default(), &page).await.unwrap().items[0].id
}

fn ctx() -> PrintContext {
    PrintContext {
        workstation: "bench-1".into(),
        requested_by: None,
        user_name: "tester".into(),
        cups_wait: Duration::from_secs(15),
        recorder: None,
    }
}

async fn printer(store: &Store, name: &str, connection: PrinterConnection, address: &str, dpi: Option<i32>) -> Printer {
    let language = if dpi.is_some() { PrintLanguage::Zpl } else { PrintLanguage::Pdf };
    let spec = PrinterSpec { name: name.into(), connection, address: address.into(), language, dpi };
    add_printer(store, "bench-1", &spec, None).await.expect("add printer")
}

async fn labels_reach_a_raw_printer_byte_for_byte(store: &Store) {
    let shipment = seeded(store).await;
    let raw = RawPrinter::start().await;
    let zebra = printer(store, "Zebra 203", PrinterConnection::Socket, &raw.address(), Some(203)).await;
    let fine = printer(store, "Zebra 300", PrinterConnection::Socket, &raw.address(), Some(300)).await;

    let none = print_shipping_label(store, &ctx(), shipment, None).await.unwrap_err();
    assert!(none.to_string().contains("no default printer for labels"), "{none}");
    set_default_printer(store, "bench-1", DocumentKind::Label, zebra.id).await.unwrap();
    let refused = set_default_printer(store, "bench-1", DocumentKind::PackingSlip, zebra.id).await.unwrap_err();
    assert!(refused.to_string().contains("pick a PDF printer"), "{refused}");

    let first = print_shipping_label(store, &ctx(), shipment, None).await.unwrap();
    assert_eq!((first.state, first.printer_id, first.dpi), (PrintJobState::Sent, zebra.id, Some(203)));
    let drawn = store.render_shipping_label(shipment, LabelFormat::Zpl { density: Density::Dpi203 }).await.unwrap();
    let second = print_shipping_label(store, &ctx(), shipment, Some(fine.id)).await.unwrap();
    let again = reprint(store, &ctx(), first.id, None).await.unwrap();
    assert_eq!(again.reprint_of, Some(first.id));

    let got = raw.wait_for(3, WAIT).await;
    assert_eq!(got.len(), 3);
    assert_eq!(got[0], drawn, "the printer receives exactly the label drawn for its density");
    assert!(got[1].starts_with(b"^XA^CI28^LH0,0^PW1200^LL1800"), "the 300 dpi printer gets 300 dpi dots");
    assert_eq!(got[2], drawn, "a reprint sends the same bytes");
    assert_eq!(store.print_job_content(first.id).await.unwrap(), drawn);

    let log = store.shipment_print_log(shipment).await.unwrap();
    assert_eq!(log.iter().map(|j| j.id).collect::<Vec<_>>(), [again.id, second.id, first.id], "newest first");
    assert_eq!(log[0].byte_count, i64::try_from(drawn.len()).unwrap());

    let mismatch = reprint(store, &ctx(), first.id, Some(fine.id)).await.unwrap_err();
    assert!(
        matches!(&mismatch, StoreError::Validation(m) if m.contains("ZPL for 203 dpi") && m.contains("takes ZPL at 300 dpi")),
        "{mismatch}"
    );
    assert_eq!(raw.jobs().len(), 3, "a refused reprint sends nothing");

    let test = print_test_page(store, &ctx(), fine.id).await.unwrap();
    assert_eq!((test.document_kind, test.state), (DocumentKind::TestPage, PrintJobState::Sent));
    let got = raw.wait_for(4, WAIT).await;
    assert!(String::from_utf8_lossy(&got[3]).contains("Zebra 300"), "the test page names its printer");
}

async fn a_printer_that_is_off_leaves_the_job_failed_and_reprintable(store: &Store) {
    let shipment = seeded(store).await;
    let dead = format!("127.0.0.1:{}", free_port());
    let off = printer(store, "Switched off", PrinterConnection::Socket, &dead, Some(203)).await;
    let job = print_shipping_label(store, &ctx(), shipment, Some(off.id)).await.unwrap();
    assert_eq!(job.state, PrintJobState::Failed);
    let why = job.failure.clone().unwrap();
    assert!(why.contains("refused the connection") && why.contains(&dead), "{why}");
    assert!(job.finished_at.is_some() && job.sent_at.is_none());

    let raw = RawPrinter::start().await;
    let back = printer(store, "Back on", PrinterConnection::Socket, &raw.address(), Some(203)).await;
    let again = reprint(store, &ctx(), job.id, Some(back.id)).await.unwrap();
    assert_eq!((again.state, again.reprint_of), (PrintJobState::Sent, Some(job.id)));
    assert_eq!(raw.wait_for(1, WAIT).await, [store.print_job_content(job.id).await.unwrap()]);
    assert_eq!(store.print_job(job.id).await.unwrap().state, PrintJobState::Failed, "the failed job stays in the log");
}

async fn a_job_cut_off_mid_send_is_reported_never_resent(store: &Store) {
    let shipment = seeded(store).await;
    let raw = RawPrinter::start().await;
    let zebra = printer(store, "Zebra", PrinterConnection::Socket, &raw.address(), Some(203)).await;
    // What a process killed between "sending" and its answer leaves behind.
    let job = print_shipping_label(store, &ctx(), shipment, Some(zebra.id)).await.unwrap();
    let bytes = store.print_job_content(job.id).await.unwrap();
    let (cut, queued) = (Uuid::now_v7(), Uuid::now_v7());
    for (id, state) in [(cut, "sending"), (queued, "queued")] {
        let sql = "INSERT INTO print_jobs (id, printer_id, workstation, document_kind, shipment_id, format, dpi, content, \
                   byte_count, state, version, created_at, updated_at) \
                   VALUES ($1, $2, 'bench-1', 'label', $3, 'zpl', 203, $4, $5, $6, 1, $7, $7)";
        let now = Timestamp::now();
        let len = i64::try_from(bytes.len()).unwrap();
        if let Some(pool) = store.pg_pool() {
            let q = sqlx::query(sql).bind(id).bind(zebra.id).bind(shipment).bind(&bytes).bind(len).bind(state);
            q.bind(now).execute(pool).await.unwrap();
        } else {
            let pool = store.sqlite_pool().unwrap();
            let q = sqlx::query(sql).bind(id).bind(zebra.id).bind(shipment).bind(&bytes).bind(len).bind(state);
            q.bind(now).execute(pool).await.unwrap();
        }
    }
    let mut other = ctx();
    other.workstation = "bench-2".into();
    assert!(
        settle_open_jobs(store, &other, Duration::ZERO).await.unwrap().is_empty(),
        "another bench's jobs are not touched"
    );
    let recent = settle_open_jobs(store, &ctx(), Duration::from_secs(3600)).await.unwrap();
    assert!(recent.is_empty(), "a job another program may still be sending is left alone");

    let settled = settle_open_jobs(store, &ctx(), Duration::ZERO).await.unwrap();
    assert_eq!(settled.len(), 2, "{settled:?}");
    let cut_job = settled.iter().find(|j| j.id == cut).unwrap();
    assert_eq!(cut_job.state, PrintJobState::Failed);
    assert!(cut_job.failure.as_deref().unwrap().contains("may or may not have printed"));
    let never = settled.iter().find(|j| j.id == queued).unwrap();
    assert!(never.failure.as_deref().unwrap().contains("nothing reached the printer"));
    assert_eq!(raw.wait_for(1, WAIT).await.len(), 1, "nothing was resent on its own");
    let again = reprint(store, &ctx(), cut, None).await.unwrap();
    assert_eq!(raw.wait_for(2, WAIT).await[1], bytes, "a person's reprint sends the kept bytes");
    assert_eq!(again.reprint_of, Some(cut));
}

async fn a_removed_printer_takes_its_defaults_along_and_keeps_its_jobs(store: &Store) {
    let shipment = seeded(store).await;
    let raw = RawPrinter::start().await;
    let zebra = printer(store, "Zebra", PrinterConnection::Socket, &raw.address(), Some(203)).await;
    set_default_printer(store, "bench-1", DocumentKind::Label, zebra.id).await.unwrap();
    let job = print_shipping_label(store, &ctx(), shipment, None).await.unwrap();
    store.retire_printer(zebra.id).await.unwrap();
    assert!(store.printers("bench-1").await.unwrap().is_empty());
    assert!(store.printer_defaults("bench-1").await.unwrap().is_empty(), "its defaults went with it");
    assert!(matches!(store.retire_printer(zebra.id).await, Err(StoreError::NotFound { .. })));
    assert_eq!(store.shipment_print_log(shipment).await.unwrap()[0].id, job.id, "its jobs stay in the log");
    let again = printer(store, "Zebra", PrinterConnection::Socket, &raw.address(), Some(203)).await;
    assert_ne!(again.id, zebra.id, "the name is free again");
}

on_both_engines!(
    labels_reach_a_raw_printer_byte_for_byte,
    a_printer_that_is_off_leaves_the_job_failed_and_reprintable,
    a_job_cut_off_mid_send_is_reported_never_resent,
    a_removed_printer_takes_its_defaults_along_and_keeps_its_jobs,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cups_queues_pass_labels_and_pdfs_through_untouched_and_say_why_not() {
    let db = marketdesk_test_support::databases::sqlite().await;
    let store = &db.store;
    let shipment = seeded(store).await;
    let cups_server = PrivateCups::start();
    let thermal = RawPrinter::start().await;
    let laser = RawPrinter::start().await;
    cups_server.add_raw_queue("zebra", &thermal.address());
    cups_server.add_raw_queue("laser", &laser.address());
    cups_server.add_raw_queue("unplugged", &format!("127.0.0.1:{}", free_port()));

    let found = cups::discover(&cups_server.server()).await.unwrap();
    let names: Vec<_> = found.iter().map(|q| q.name.as_str()).collect();
    assert_eq!(names, ["laser", "unplugged", "zebra"]);
    assert!(found.iter().all(|q| q.accepting && q.state == "idle"), "{found:?}");
    assert_eq!(found[2].uri, cups_server.queue_uri("zebra"));

    let zebra = printer(store, "CUPS Zebra", PrinterConnection::Ipp, &cups_server.queue_uri("zebra"), Some(203)).await;
    let pdf = printer(store, "CUPS laser", PrinterConnection::Ipp, &cups_server.queue_uri("laser"), None).await;
    let job = print_shipping_label(store, &ctx(), shipment, Some(zebra.id)).await.unwrap();
    assert_eq!(job.state, PrintJobState::Completed, "{:?} {}", job.failure, cups_server.error_log());
    assert!(job.printer_job_id.is_some());
    let sent = store.print_job_content(job.id).await.unwrap();
    assert_eq!(thermal.wait_for(1, WAIT).await, std::slice::from_ref(&sent), "raw ZPL passes CUPS byte for byte");
    assert!(sent.starts_with(b"^XA^CI28^LH0,0^PW812^LL1218"));

    let page = print_shipping_label(store, &ctx(), shipment, Some(pdf.id)).await.unwrap();
    assert_eq!(page.state, PrintJobState::Completed, "{:?}", page.failure);
    let pdf_bytes = store.print_job_content(page.id).await.unwrap();
    assert!(pdf_bytes.starts_with(b"%PDF-"));
    assert_eq!(laser.wait_for(1, WAIT).await, [pdf_bytes]);

    cups_server.pause("zebra");
    let paused = print_shipping_label(store, &ctx(), shipment, Some(zebra.id)).await.unwrap();
    assert_eq!(paused.state, PrintJobState::Failed);
    let why = paused.failure.unwrap();
    assert!(why.contains("queue zebra is paused") && why.contains("cupsenable zebra"), "{why}");

    cups_server.reject("laser");
    let rejected = print_shipping_label(store, &ctx(), shipment, Some(pdf.id)).await.unwrap();
    let why = rejected.failure.unwrap();
    assert!(why.contains("laser is not accepting jobs"), "{why}");

    let missing = printer(store, "Gone", PrinterConnection::Ipp, &cups_server.queue_uri("nosuch"), None).await;
    let gone = print_shipping_label(store, &ctx(), shipment, Some(missing.id)).await.unwrap();
    assert!(gone.failure.unwrap().contains("no queue at"), "a queue that does not exist says so");

    let unplugged =
        printer(store, "Unplugged", PrinterConnection::Ipp, &cups_server.queue_uri("unplugged"), Some(203)).await;
    let mut impatient = ctx();
    impatient.cups_wait = Duration::from_secs(2);
    let stalled = print_shipping_label(store, &impatient, shipment, Some(unplugged.id)).await.unwrap();
    assert_eq!(stalled.state, PrintJobState::Failed);
    let why = stalled.failure.unwrap();
    assert!(why.contains("did not print job") && why.contains("cancelled there"), "{why}");

    assert_eq!(thermal.jobs().len(), 1, "nothing reached the paused queue's printer");
    let log = store.shipment_print_log(shipment).await.unwrap();
    assert_eq!(log.iter().filter(|j| j.state == PrintJobState::Failed).count(), 4);
    assert!(log.iter().all(|j| j.byte_count > 0), "failed jobs keep their bytes for reprint");
    drop(cups_server);
    db.finish().await;
}

#[test]
fn printing_module_names_the_problems_plainly() {
    let p = printing::PrinterProblem::Refused { address: "10.0.0.9:9100".into(), port: 9100 };
    assert_eq!(
        p.to_string(),
        "the printer at 10.0.0.9:9100 refused the connection: is it switched on, and is 9100 its raw port?"
    );
}
