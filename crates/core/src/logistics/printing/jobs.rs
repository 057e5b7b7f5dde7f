//! Print jobs from request to paper. Every job is a row before a byte leaves
//! (`queued`), is marked `sending` before the bytes go, and ends `sent`
//! (a raw socket printer, which reports nothing back), `completed` (CUPS says
//! the printer took it) or `failed` with the reason — never lost silently.
//! A failed job keeps its bytes and is reprinted as a new job that names it.

use super::cups::{self, CupsJobState};
use super::printers::default_printer;
use super::problem::PrinterProblem;
use super::socket;
use crate::documents::label::raster::Bitmap;
use crate::documents::label::{Density, LabelAddress, ShippingLabel, graphic_zpl, pdf, raster_pdf, zpl};
use crate::domain::{
    Carrier, DocumentKind, PrintJobState, PrintLanguage, PrinterConnection, ShipmentStatus, Timestamp,
};
use crate::store::printing::{JobUpdate, NewPrintJob, PrintJob, Printer};
use crate::store::{Store, StoreError};
use futures_util::future::BoxFuture;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// Told of each job once it has ended: how a desktop working offline on its
/// copy queues the job for the server (see [`super::offline`]).
#[derive(Clone)]
pub struct JobRecorder(pub Arc<dyn Fn(Uuid) -> BoxFuture<'static, Result<(), StoreError>> + Send + Sync>);

impl std::fmt::Debug for JobRecorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JobRecorder")
    }
}

/// Who prints, where, and how long to follow a CUPS job.
#[derive(Debug, Clone)]
pub struct PrintContext {
    /// This computer (see `crate::host`).
    pub workstation: String,
    /// The person asking, as stored on the job.
    pub requested_by: Option<Uuid>,
    /// The name CUPS records as the job's owner.
    pub user_name: String,
    /// How long to wait for CUPS to say the printer took a job before giving
    /// up on it (and cancelling it there).
    pub cups_wait: Duration,
    /// Told of each job once it has ended, when something must be.
    pub recorder: Option<JobRecorder>,
}

impl PrintContext {
    /// A context for `user_name` on this computer, waiting 20 s for CUPS.
    pub fn here(user_name: &str, requested_by: Option<Uuid>) -> Self {
        Self {
            workstation: crate::host::workstation(),
            requested_by,
            user_name: user_name.to_owned(),
            cups_wait: Duration::from_secs(20),
            recorder: None,
        }
    }

    /// The same context, telling `recorder` of each job once it has ended.
    pub fn recording(self, recorder: JobRecorder) -> Self {
        Self { recorder: Some(recorder), ..self }
    }
}

/// How long after its last change a job still `queued` or `sending` is taken
/// to have been cut off (the app stopped or crashed) when the desktop starts:
/// longer than any send, so another program printing here is left alone.
pub const INTERRUPTED_AFTER: Duration = Duration::from_secs(120);

fn density_of(printer: &Printer) -> Result<Density, StoreError> {
    match printer.dpi {
        Some(203) => Ok(Density::Dpi203),
        Some(300) => Ok(Density::Dpi300),
        other => Err(StoreError::Validation(format!("printer “{}” has no usable density ({other:?})", printer.name))),
    }
}

/// `label` drawn for `printer`: ZPL at its density, or PDF; with the density.
fn draw(label: &ShippingLabel, printer: &Printer) -> Result<(Vec<u8>, Option<i32>), StoreError> {
    Ok(match printer.language {
        PrintLanguage::Zpl => (zpl::render(label, density_of(printer)?)?, printer.dpi),
        PrintLanguage::Pdf => (pdf::render(label)?, None),
    })
}

async fn printer_for(
    store: &Store,
    ctx: &PrintContext,
    kind: DocumentKind,
    chosen: Option<Uuid>,
) -> Result<Printer, StoreError> {
    match chosen {
        Some(id) => store.printer(id).await,
        None => default_printer(store, &ctx.workstation, kind).await?.ok_or_else(|| {
            StoreError::Validation(format!(
                "this workstation ({}) has no default printer for {}s: pick one, or set a default in Printers",
                ctx.workstation,
                kind.as_str().replace('_', " ")
            ))
        }),
    }
}

/// Draws `shipment`'s label for `printer` (ZPL at its density, or PDF),
/// records the job and prints it.
pub async fn print_shipping_label(
    store: &Store,
    ctx: &PrintContext,
    shipment: Uuid,
    printer: Option<Uuid>,
) -> Result<PrintJob, StoreError> {
    let printer = printer_for(store, ctx, DocumentKind::Label, printer).await?;
    let label = store.shipping_label(shipment).await?;
    let bought = store.live_label(shipment).await?.and_then(|l| l.label_data.map(|d| (l.carrier, l.format, d)));
    let (bytes, dpi) = match bought {
        Some((carrier, format, data)) => carrier_label_for(&printer, carrier, &format, data)?,
        None => draw(&label, &printer)?,
    };
    let job = NewPrintJob {
        printer: &printer,
        workstation: &ctx.workstation,
        document_kind: DocumentKind::Label,
        shipment_id: Some(shipment),
        reprint_of: None,
        format: printer.language,
        dpi,
        content: &bytes,
        requested_by: ctx.requested_by,
    };
    let job = run(store, ctx, &printer, job, &format!("Label {}", label.tracking)).await?;
    if matches!(job.state, PrintJobState::Sent | PrintJobState::Completed) {
        store.advance_shipment(shipment, ShipmentStatus::LabelPurchased, ShipmentStatus::Printed).await?;
    }
    Ok(job)
}

/// Prints a PDF sheet (a pick list, packing slip or manifest) on `printer`,
/// or on the workstation's default for `kind`; a ZPL printer is refused.
pub async fn print_sheet(
    store: &Store,
    ctx: &PrintContext,
    kind: DocumentKind,
    pdf: &[u8],
    shipment: Option<Uuid>,
    printer: Option<Uuid>,
) -> Result<PrintJob, StoreError> {
    let printer = printer_for(store, ctx, kind, printer).await?;
    if printer.language != PrintLanguage::Pdf {
        return Err(StoreError::Validation(format!(
            "“{}” takes ZPL; {}s print on a PDF printer (pick one, or set the default in Printers)",
            printer.name,
            kind.as_str().replace('_', " ")
        )));
    }
    let job = NewPrintJob {
        printer: &printer,
        workstation: &ctx.workstation,
        document_kind: kind,
        shipment_id: shipment,
        reprint_of: None,
        format: PrintLanguage::Pdf,
        dpi: None,
        content: pdf,
        requested_by: ctx.requested_by,
    };
    let title = kind.as_str().replace('_', " ");
    run(store, ctx, &printer, job, &title).await
}

/// A carrier's label made ready for `printer`. Both carriers draw ZPL at 203
/// dpi; a 300 dpi printer is told to convert (`^MUD,200,300` after each
/// `^XA`, Zebra's own conversion) so the label prints at its true size rather
/// than two-thirds of it. A label kept as a picture (UPS's GIF) goes to
/// either kind: on a 4×6 page, or as a ZPL graphic at the printer's density.
/// A PDF label goes only to a PDF printer and ZPL only to a ZPL one.
pub fn carrier_label_for(
    printer: &Printer,
    carrier: Carrier,
    format: &str,
    data: Vec<u8>,
) -> Result<(Vec<u8>, Option<i32>), StoreError> {
    let density = printer.dpi.and_then(|d| Density::from_dpi(d as u32));
    match (format, printer.language, density) {
        ("zpl", PrintLanguage::Zpl, Some(Density::Dpi203)) => Ok((data, Some(203))),
        ("zpl", PrintLanguage::Zpl, Some(Density::Dpi300)) => Ok((zpl_at_300(&data), Some(300))),
        ("pdf", PrintLanguage::Pdf, _) => Ok((data, None)),
        ("png", PrintLanguage::Pdf, _) => Ok((raster_pdf::render(&picture(carrier, &data)?), None)),
        ("png", PrintLanguage::Zpl, Some(density)) => {
            let zpl = graphic_zpl::render(&picture(carrier, &data)?, density)
                .map_err(|e| StoreError::Validation(format!("this {} label cannot be printed: {e}", carrier.name())))?;
            Ok((zpl, Some(density.dpi() as i32)))
        }
        _ => Err(StoreError::Validation(format!(
            "this {} label was bought as {} and “{}” takes {}: print it on a {} printer, or void it and buy it again",
            carrier.name(),
            format.to_ascii_uppercase(),
            printer.name,
            printer.language.as_str().to_ascii_uppercase(),
            format.to_ascii_uppercase()
        ))),
    }
}

/// The picture kept for a carrier's label.
fn picture(carrier: Carrier, png: &[u8]) -> Result<Bitmap, StoreError> {
    Bitmap::from_png(png)
        .map_err(|e| StoreError::Validation(format!("the {} label kept here is damaged: {e}", carrier.name())))
}

/// `zpl` (drawn for 203 dpi) with `^MUD,200,300` after every `^XA`.
fn zpl_at_300(zpl: &[u8]) -> Vec<u8> {
    const START: &[u8] = b"^XA";
    const CONVERT: &[u8] = b"^MUD,200,300";
    let mut out = Vec::with_capacity(zpl.len() + 16);
    let mut rest = zpl;
    while let Some(at) = rest.windows(START.len()).position(|w| w.eq_ignore_ascii_case(START)) {
        out.extend_from_slice(&rest[..at + START.len()]);
        out.extend_from_slice(CONVERT);
        rest = &rest[at + START.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// A sample 4×6 label naming the printer, so a person sees that its size,
/// density and barcodes come out right before the first real parcel.
pub async fn print_test_page(store: &Store, ctx: &PrintContext, printer: Uuid) -> Result<PrintJob, StoreError> {
    let printer = store.printer(printer).await?;
    let today = Timestamp::now().to_text();
    let day = today.get(..10).unwrap_or(&today).to_owned();
    let label = ShippingLabel {
        from: LabelAddress {
            name: "Marketdesk".into(),
            company: None,
            lines: vec![format!("Workstation {}", ctx.workstation)],
            city: "Test".into(),
            region: None,
            postcode: "0000".into(),
            country: "XX".into(),
        },
        to: LabelAddress {
            name: printer.name.clone(),
            company: Some("PRINTER TEST".into()),
            lines: vec![match printer.dpi {
                Some(d) => format!("ZPL at {d} dpi, 4 x 6 in"),
                None => "PDF, 4 x 6 in".into(),
            }],
            city: "If the barcodes scan".into(),
            region: None,
            postcode: "OK".into(),
            country: "XX".into(),
        },
        carrier: "TEST".into(),
        service: "test print".into(),
        tracking: format!("TEST-{}", day.replace('-', "")),
        order_number: "TEST".into(),
        order_link: "marketdesk://printers/test".into(),
        parcel: (1, 1),
        weight_grams: 0,
        ship_date: day,
    };
    let (bytes, dpi) = draw(&label, &printer)?;
    let job = NewPrintJob {
        printer: &printer,
        workstation: &ctx.workstation,
        document_kind: DocumentKind::TestPage,
        shipment_id: None,
        reprint_of: None,
        format: printer.language,
        dpi,
        content: &bytes,
        requested_by: ctx.requested_by,
    };
    run(store, ctx, &printer, job, "Marketdesk test page").await
}

/// Prints `job`'s bytes again, as a new job that names it, to `printer` (or
/// the job's own printer). Bytes drawn for one density or language only go to
/// a printer of the same; anything else is refused with what to do instead.
pub async fn reprint(
    store: &Store,
    ctx: &PrintContext,
    job: Uuid,
    printer: Option<Uuid>,
) -> Result<PrintJob, StoreError> {
    let original = store.print_job(job).await?;
    if matches!(original.state, PrintJobState::Queued | PrintJobState::Sending) {
        return Err(StoreError::Validation(
            "this job is still being sent; wait for it to end before reprinting it".into(),
        ));
    }
    let printer = store.printer(printer.unwrap_or(original.printer_id)).await?;
    if printer.language != original.format || printer.dpi != original.dpi {
        let drawn = match original.dpi {
            Some(d) => format!("ZPL for {d} dpi"),
            None => "PDF".into(),
        };
        let takes = match printer.dpi {
            Some(d) => format!("ZPL at {d} dpi"),
            None => "PDF".into(),
        };
        return Err(StoreError::Validation(format!(
            "this job is {drawn} and “{}” takes {takes}; print the label anew for that printer instead",
            printer.name
        )));
    }
    let bytes = store.print_job_content(job).await?;
    let new = NewPrintJob {
        printer: &printer,
        workstation: &ctx.workstation,
        document_kind: original.document_kind,
        shipment_id: original.shipment_id,
        reprint_of: Some(original.id),
        format: original.format,
        dpi: original.dpi,
        content: &bytes,
        requested_by: ctx.requested_by,
    };
    run(store, ctx, &printer, new, &format!("Reprint of {}", original.id)).await
}

/// Records `job`, sends it to `printer` and follows it to where it ends (or
/// to `sent` when CUPS is still busy with it after the wait).
async fn run(
    store: &Store,
    ctx: &PrintContext,
    printer: &Printer,
    job: NewPrintJob<'_>,
    title: &str,
) -> Result<PrintJob, StoreError> {
    let content = job.content;
    let row = store.insert_print_job(&job).await?;
    if !store.advance_print_job(row.id, PrintJobState::Queued, PrintJobState::Sending, &JobUpdate::default()).await? {
        return store.print_job(row.id).await;
    }
    crate::failpoint::hit("print_job.sending");
    let outcome = match printer.connection {
        PrinterConnection::Socket => socket::send(&printer.address, content).await.map(|()| None),
        PrinterConnection::Ipp => {
            cups::submit(&printer.address, content, printer.language, title, &ctx.user_name).await.map(Some)
        }
    };
    match outcome {
        Err(problem) => fail(store, row.id, PrintJobState::Sending, &problem).await?,
        Ok(cups_job) => {
            let update = JobUpdate { failure: None, printer_job_id: cups_job.map(i64::from) };
            store.advance_print_job(row.id, PrintJobState::Sending, PrintJobState::Sent, &update).await?;
            if let Some(cups_job) = cups_job {
                follow(store, ctx, printer, row.id, cups_job, ctx.cups_wait).await?;
            }
        }
    }
    let ended = store.print_job(row.id).await?;
    if let Some(recorder) = &ctx.recorder {
        // The paper is out (or the failure is on this computer's log): a job
        // that cannot be queued for the server is not a reason to print again.
        if let Err(e) = (recorder.0)(ended.id).await {
            tracing::warn!("print job {} printed but not queued for the server: {e}", ended.id);
        }
    }
    Ok(ended)
}

async fn fail(store: &Store, id: Uuid, from: PrintJobState, problem: &PrinterProblem) -> Result<(), StoreError> {
    let update = JobUpdate { failure: Some(problem.to_string()), printer_job_id: None };
    store.advance_print_job(id, from, PrintJobState::Failed, &update).await?;
    Ok(())
}

/// Asks CUPS about a sent job until it ends or `wait` passes; a job still
/// waiting then is cancelled at CUPS and failed here with what CUPS says about
/// the printer, so it cannot print later by surprise after a reprint.
async fn follow(
    store: &Store,
    ctx: &PrintContext,
    printer: &Printer,
    id: Uuid,
    cups_job: i32,
    wait: Duration,
) -> Result<(), StoreError> {
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(20);
    loop {
        let state = cups::job_state(&printer.address, cups_job, &ctx.user_name).await;
        match state {
            Ok(CupsJobState::Completed) => {
                store
                    .advance_print_job(id, PrintJobState::Sent, PrintJobState::Completed, &JobUpdate::default())
                    .await?;
                return Ok(());
            }
            Ok(CupsJobState::Ended { cancelled: true, .. }) => {
                store
                    .advance_print_job(id, PrintJobState::Sent, PrintJobState::Cancelled, &JobUpdate::default())
                    .await?;
                return Ok(());
            }
            Ok(CupsJobState::Ended { cancelled: false, reason }) => {
                let problem =
                    PrinterProblem::Aborted { queue: cups::queue_name(&printer.address), job: cups_job, reason };
                return fail(store, id, PrintJobState::Sent, &problem).await;
            }
            Ok(CupsJobState::Pending { printer_message }) if started.elapsed() >= wait => {
                cups::cancel(&printer.address, cups_job, &ctx.user_name).await.ok();
                let problem = PrinterProblem::Stalled {
                    queue: cups::queue_name(&printer.address),
                    job: cups_job,
                    seconds: wait.as_secs(),
                    message: printer_message,
                };
                return fail(store, id, PrintJobState::Sent, &problem).await;
            }
            // CUPS cannot be asked right now: the job stays `sent`, and
            // `settle_open_jobs` asks again later.
            Err(_) if started.elapsed() >= wait => return Ok(()),
            Ok(CupsJobState::Pending { .. }) | Err(_) => {}
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_millis(500));
    }
}

/// Brings `ctx.workstation`'s unfinished jobs untouched for `older_than` to a
/// definite state: jobs cut off while queued or sending (the app stopped) are
/// failed with a reason that says whether the printer may have printed; CUPS
/// jobs still `sent` are asked after once more. Returns the jobs it changed.
pub async fn settle_open_jobs(
    store: &Store,
    ctx: &PrintContext,
    older_than: Duration,
) -> Result<Vec<PrintJob>, StoreError> {
    let cutoff = Timestamp::from(chrono::Utc::now() - chrono::Duration::from_std(older_than).unwrap_or_default());
    let mut changed = Vec::new();
    for job in store.open_print_jobs(&ctx.workstation, cutoff).await? {
        let moved = match (job.state, job.printer_job_id) {
            (PrintJobState::Queued, _) => {
                let why = "Marketdesk stopped before this job was sent; nothing reached the printer — reprint it";
                let update = JobUpdate { failure: Some(why.into()), printer_job_id: None };
                store.advance_print_job(job.id, PrintJobState::Queued, PrintJobState::Failed, &update).await?
            }
            (PrintJobState::Sending, _) => {
                let why = "Marketdesk stopped while this job was being sent; the printer may or may not have printed it — check before reprinting";
                let update = JobUpdate { failure: Some(why.into()), printer_job_id: None };
                store.advance_print_job(job.id, PrintJobState::Sending, PrintJobState::Failed, &update).await?
            }
            (PrintJobState::Sent, Some(cups_job)) => {
                let printer = store.printer(job.printer_id).await?;
                let cups_job = i32::try_from(cups_job).unwrap_or(i32::MAX);
                follow(store, ctx, &printer, job.id, cups_job, ctx.cups_wait).await?;
                store.print_job(job.id).await?.state != PrintJobState::Sent
            }
            _ => false,
        };
        if moved {
            let settled = store.print_job(job.id).await?;
            if let Some(recorder) = &ctx.recorder
                && let Err(e) = (recorder.0)(settled.id).await
            {
                tracing::warn!("print job {} settled but not queued for the server: {e}", settled.id);
            }
            changed.push(settled);
        }
    }
    Ok(changed)
}
