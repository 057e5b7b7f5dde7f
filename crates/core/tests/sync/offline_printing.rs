//! Labels printed at the packing bench while the desktop works offline: the
//! job (with its printer, added offline too, and its bytes) and the parcel
//! moving to "printed" are queued with the label, and reach the server's
//! print log and shipments once — the same job row, the same bytes.

use crate::local_labels::warehouse_copy;
use crate::local_scalar;
use marketdesk_core::domain::{DocumentKind, PrintJobState, PrintLanguage, PrinterConnection, new_id};
use marketdesk_core::logistics::local_label::LocalLabelIds;
use marketdesk_core::logistics::printing::{PrintContext, add_printer, print_shipping_label};
use marketdesk_core::store::printing::PrinterSpec;
use marketdesk_core::sync::push::push;
use marketdesk_core::sync::status::status;
use marketdesk_core::sync::{Mutation, perform, queue_print_jobs};
use marketdesk_test_support::printers::RawPrinter;
use std::time::Duration;
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_label_printed_offline_reaches_the_servers_print_log_and_moves_the_parcel_on() {
    let (mut site, lou, _dir, local, parcels) = warehouse_copy(&[("local", "SAME_DAY")]).await;
    let parcel = parcels[0];
    let zebra = RawPrinter::start().await;

    // Offline at the bench: a printer added, a label issued and printed.
    let spec = PrinterSpec {
        name: "Bench Zebra".into(),
        connection: PrinterConnection::Socket,
        address: zebra.address(),
        language: PrintLanguage::Zpl,
        dpi: Some(203),
    };
    let printer = add_printer(&local, "bench-1", &spec, Some(lou.id)).await.unwrap();
    let version =
        local_scalar(&local, &format!("SELECT version FROM shipments WHERE id = x'{}'", parcel.simple())).await;
    let ids = LocalLabelIds { purchase: new_id(), label: new_id() };
    perform(&local, lou.id, true, &Mutation::LocalLabel { shipment: parcel, version, ids }).await.unwrap();
    let ctx = PrintContext {
        workstation: "bench-1".into(),
        requested_by: Some(lou.id),
        user_name: "lou".into(),
        cups_wait: Duration::from_secs(5),
        recorder: None,
    }
    .recording(queue_print_jobs(&local, lou.id));
    let job = print_shipping_label(&local, &ctx, parcel, Some(printer.id)).await.unwrap();
    assert_eq!(job.state, PrintJobState::Sent, "{job:?}");
    let paper = zebra.wait_for(1, Duration::from_secs(5)).await;
    let printed = format!("SELECT count(*) FROM shipments WHERE id = x'{}' AND status = 'printed'", parcel.simple());
    assert_eq!(local_scalar(&local, &printed).await, 1, "the copy shows the parcel printed at once");
    assert_eq!(status(&local).await.unwrap().pending, 2, "the label and the print job wait for the server");

    // Back online: one push brings both, in order.
    let report = push(&lou.server, &local, lou.id).await.unwrap();
    assert_eq!((report.applied, report.conflicts, report.parked), (2, 0, 0), "{report:?}");
    let (state, kind, bytes, by, printer_name): (String, String, Vec<u8>, Uuid, String) = sqlx::query_as(
        "SELECT j.state, j.document_kind, j.content, j.requested_by, p.name FROM print_jobs j \
         JOIN printers p ON p.id = j.printer_id WHERE j.id = $1",
    )
    .bind(job.id)
    .fetch_one(&mut site.owner)
    .await
    .unwrap();
    assert_eq!((state.as_str(), kind.as_str()), ("sent", DocumentKind::Label.as_str()));
    assert_eq!(bytes, paper[0], "the server keeps the very bytes the printer took, for a reprint anywhere");
    assert_eq!((by, printer_name.as_str()), (lou.id, "Bench Zebra"));
    let on_server = format!("SELECT count(*) FROM shipments WHERE id = '{parcel}' AND status = 'printed'");
    assert_eq!(site.scalar(&on_server).await, 1, "the parcel is printed for everyone");

    // A reprint on the same printer: a second job row, the printer still once.
    let again = print_shipping_label(&local, &ctx, parcel, Some(printer.id)).await.unwrap();
    assert_eq!(status(&local).await.unwrap().pending, 1);
    push(&lou.server, &local, lou.id).await.unwrap();
    let jobs = format!("SELECT count(*) FROM print_jobs WHERE shipment_id = '{parcel}'");
    assert_eq!(site.scalar(&jobs).await, 2);
    let printers = format!("SELECT count(*) FROM printers WHERE id = '{}'", printer.id);
    assert_eq!(site.scalar(&printers).await, 1, "the printer is recorded once");
    assert!(again.id != job.id);
}
