//! Printing: this workstation's printers and their defaults, CUPS discovery,
//! test pages, printing and reprinting shipping labels, and a shipment's
//! print log (admins and logistics; works offline on the local copy, each
//! job then queued for the server).

use super::parse_id;
use crate::error::{AppError, ErrorKind};
use crate::events::DataChanged;
use crate::state::{Active, AppState};
use marketdesk_core::domain::{DocumentKind, Role};
use marketdesk_core::identity::Me;
use marketdesk_core::logistics::printing::{self, PrintContext, cups::CupsQueue};
use marketdesk_core::store::Store;
use marketdesk_core::store::printing::{PrintJob, Printer, PrinterSpec};
use marketdesk_core::sync::queue_print_jobs;
use tauri::{AppHandle, State};
use tauri_specta::Event;

const PRINTING: &[Role] = &[Role::Admin, Role::Logistics];

/// One kind of document and the printer it goes to by default.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct PrinterDefault {
    /// The kind of document.
    pub kind: DocumentKind,
    /// The printer's id.
    pub printer_id: String,
}

/// This workstation's printers and defaults.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct PrinterSetup {
    /// This computer's name, as printers and jobs are filed under.
    pub workstation: String,
    /// Its printers, by name.
    pub printers: Vec<Printer>,
    /// Which printer each kind of document goes to.
    pub defaults: Vec<PrinterDefault>,
}

async fn printing_person(state: &State<'_, AppState>, what: &str) -> Result<(Active, PrintContext), AppError> {
    let active = state.active().await?;
    active.require(PRINTING, what)?;
    let ctx = print_context(&active);
    Ok((active, ctx))
}

/// How the signed-in person prints on this computer. Working offline on the
/// copy, each job is queued for the server once it ends (with its printer
/// and bytes, and a printed label's parcel moving on), so the print log and
/// the parcel's status reach everyone when the network is back.
pub(crate) fn print_context(active: &Active) -> PrintContext {
    context_for(&active.store, &active.me, active.queues)
}

fn context_for(store: &Store, me: &Me, queues: bool) -> PrintContext {
    let ctx = PrintContext::here(&me.username, Some(me.id));
    if queues { ctx.recording(queue_print_jobs(store, me.id)) } else { ctx }
}

fn printed(app: &AppHandle, job: &PrintJob) {
    DataChanged::now("print_jobs", Some(job.id)).emit(app).ok();
}

/// Settles this workstation's print jobs a stopped Marketdesk left
/// unfinished (see `printing::settle_open_jobs`), without holding up
/// sign-in; working offline (`queues`), each settled job is queued for the server.
pub fn settle_in_background(store: Store, me: &Me, queues: bool) {
    let ctx = context_for(&store, me, queues);
    tauri::async_runtime::spawn(async move {
        if let Err(e) = printing::settle_open_jobs(&store, &ctx, printing::jobs::INTERRUPTED_AFTER).await {
            tracing::warn!("settling unfinished print jobs: {e}");
        }
    });
}

/// This workstation's printers and which one each kind of document goes to.
#[tauri::command]
#[specta::specta]
pub async fn printer_setup(state: State<'_, AppState>) -> Result<PrinterSetup, AppError> {
    let (active, ctx) = printing_person(&state, "see printers").await?;
    let printers = active.store.printers(&ctx.workstation).await?;
    let defaults = active.store.printer_defaults(&ctx.workstation).await?;
    Ok(PrinterSetup {
        workstation: ctx.workstation,
        printers,
        defaults: defaults.into_iter().map(|(kind, id)| PrinterDefault { kind, printer_id: id.to_string() }).collect(),
    })
}

/// Adds a printer to this workstation.
#[tauri::command]
#[specta::specta]
pub async fn add_printer(state: State<'_, AppState>, spec: PrinterSpec) -> Result<Printer, AppError> {
    let (active, ctx) = printing_person(&state, "add printers").await?;
    Ok(printing::add_printer(&active.store, &ctx.workstation, &spec, Some(active.me.id)).await?)
}

/// Removes a printer (its jobs stay in the log).
#[tauri::command]
#[specta::specta]
pub async fn remove_printer(state: State<'_, AppState>, printer_id: String) -> Result<(), AppError> {
    let id = parse_id(&printer_id, "printer")?;
    let (active, _) = printing_person(&state, "remove printers").await?;
    Ok(active.store.retire_printer(id).await?)
}

/// Sends `kind` to this printer when nobody picks one.
#[tauri::command]
#[specta::specta]
pub async fn set_default_printer(
    state: State<'_, AppState>,
    kind: DocumentKind,
    printer_id: String,
) -> Result<(), AppError> {
    let id = parse_id(&printer_id, "printer")?;
    let (active, ctx) = printing_person(&state, "choose printers").await?;
    Ok(printing::set_default_printer(&active.store, &ctx.workstation, kind, id).await?)
}

/// The queues of the CUPS server at `server` (host:port).
#[tauri::command]
#[specta::specta]
pub async fn discover_printers(state: State<'_, AppState>, server: String) -> Result<Vec<CupsQueue>, AppError> {
    printing_person(&state, "look for printers").await?;
    printing::cups::discover(&server).await.map_err(|e| AppError::new(ErrorKind::Offline, e.to_string()))
}

/// Prints a sample label naming the printer.
#[tauri::command]
#[specta::specta]
pub async fn print_test_page(
    app: AppHandle,
    state: State<'_, AppState>,
    printer_id: String,
) -> Result<PrintJob, AppError> {
    let id = parse_id(&printer_id, "printer")?;
    let (active, ctx) = printing_person(&state, "print").await?;
    let job = printing::print_test_page(&active.store, &ctx, id).await?;
    printed(&app, &job);
    Ok(job)
}

/// Prints a shipment's label on `printer_id` (or this workstation's label
/// printer), drawn for its language and density. A job that could not print
/// comes back failed with the reason; it is kept for reprint.
#[tauri::command]
#[specta::specta]
pub async fn print_shipping_label(
    app: AppHandle,
    state: State<'_, AppState>,
    shipment_id: String,
    printer_id: Option<String>,
) -> Result<PrintJob, AppError> {
    let shipment = parse_id(&shipment_id, "shipment")?;
    let printer = printer_id.as_deref().map(|p| parse_id(p, "printer")).transpose()?;
    let (active, ctx) = printing_person(&state, "print labels").await?;
    let job = printing::print_shipping_label(&active.store, &ctx, shipment, printer).await?;
    printed(&app, &job);
    Ok(job)
}

/// Prints a job's kept bytes again, as a new job.
#[tauri::command]
#[specta::specta]
pub async fn reprint_job(
    app: AppHandle,
    state: State<'_, AppState>,
    job_id: String,
    printer_id: Option<String>,
) -> Result<PrintJob, AppError> {
    let job = parse_id(&job_id, "print job")?;
    let printer = printer_id.as_deref().map(|p| parse_id(p, "printer")).transpose()?;
    let (active, ctx) = printing_person(&state, "reprint").await?;
    let again = printing::reprint(&active.store, &ctx, job, printer).await?;
    printed(&app, &again);
    Ok(again)
}

/// Every job printed for a shipment, newest first.
#[tauri::command]
#[specta::specta]
pub async fn shipment_print_log(state: State<'_, AppState>, shipment_id: String) -> Result<Vec<PrintJob>, AppError> {
    let shipment = parse_id(&shipment_id, "shipment")?;
    let (active, _) = printing_person(&state, "see print jobs").await?;
    Ok(active.store.shipment_print_log(shipment).await?)
}
