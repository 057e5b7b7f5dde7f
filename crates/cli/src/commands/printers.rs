//! `printers`: this workstation's printers, their defaults, test pages and
//! print log; and the printing half of `labels` (print, reprint, log).

use super::Result;
use clap::Subcommand;
use marketdesk_core::domain::{DocumentKind, PrintJobState, PrintLanguage, PrinterConnection};
use marketdesk_core::host;
use marketdesk_core::logistics::printing::{self, PrintContext, cups, jobs::INTERRUPTED_AFTER};
use marketdesk_core::store::Store;
use marketdesk_core::store::location::{self, Location};
use marketdesk_core::store::printing::{PrintJob, PrinterSpec};
use std::process::ExitCode;
use uuid::Uuid;

/// What `printers` does.
#[derive(Debug, Subcommand)]
pub enum PrintersAction {
    /// This workstation's printers and which one each kind of document goes to.
    List,
    /// The queues of a CUPS server, to add one of them.
    Discover {
        /// The CUPS server: host:port (e.g. localhost:631).
        #[arg(long, default_value = "localhost:631")]
        server: String,
    },
    /// Add a printer to this workstation.
    Add {
        /// What people call it.
        #[arg(long)]
        name: String,
        /// A CUPS queue's URI (ipp://host:631/printers/QUEUE).
        #[arg(long, conflicts_with = "socket", required_unless_present = "socket")]
        cups: Option<String>,
        /// A networked printer's raw port (host:9100).
        #[arg(long)]
        socket: Option<String>,
        /// A ZPL printer's density: 203 or 300 dpi (leave out for a PDF printer).
        #[arg(long)]
        zpl_dpi: Option<i32>,
    },
    /// Send each kind of document to this printer when nobody picks one.
    Default {
        /// label, packing_slip, pick_list or manifest.
        #[arg(long)]
        kind: String,
        /// The printer's name or id.
        #[arg(long)]
        printer: String,
    },
    /// Print a sample label that names the printer.
    Test {
        /// The printer's name or id.
        printer: String,
    },
    /// Remove a printer (its jobs stay in the log).
    Remove {
        /// The printer's name or id.
        printer: String,
    },
    /// This workstation's most recent print jobs.
    Jobs,
    /// Fail jobs a stopped Marketdesk left half-sent, and ask CUPS about jobs still out.
    Settle,
}

pub(super) fn context() -> PrintContext {
    let user = std::env::var("USER").ok().filter(|u| !u.is_empty()).unwrap_or_else(|| "marketdesk".into());
    PrintContext::here(&user, None)
}

fn show(job: &PrintJob) -> String {
    let what = match job.dpi {
        Some(d) => format!("ZPL {d} dpi"),
        None => "PDF".into(),
    };
    let mut line = format!(
        "{}  {}  {:<9}  {:<12}  {} bytes {what} → {}",
        job.created_at.to_text().get(..19).unwrap_or_default(),
        job.id,
        job.state.as_str(),
        job.document_kind.as_str(),
        job.byte_count,
        job.printer_name
    );
    if let Some(why) = &job.failure {
        line.push_str(&format!("\n    {why}"));
    }
    line
}

/// What a finished print says, and its exit code: a failed job is an error.
pub(super) fn outcome(job: &PrintJob) -> ExitCode {
    match job.state {
        PrintJobState::Failed | PrintJobState::Cancelled => {
            eprintln!(
                "Print job {} {}: {}",
                job.id,
                job.state.as_str(),
                job.failure.as_deref().unwrap_or("cancelled at the print server")
            );
            ExitCode::FAILURE
        }
        _ => {
            let at = job.printer_job_id.map(|n| format!(" (CUPS job {n})")).unwrap_or_default();
            println!(
                "Print job {} {} on {}{at}: {} bytes.",
                job.id,
                job.state.as_str(),
                job.printer_name,
                job.byte_count
            );
            ExitCode::SUCCESS
        }
    }
}

async fn with_store<T>(
    loc: &Location,
    work: impl AsyncFnOnce(&Store) -> std::result::Result<T, marketdesk_core::store::StoreError>,
) -> Result<T> {
    let store = location::open(loc, false).await?;
    let result = work(&store).await;
    store.close().await;
    Ok(result?)
}

/// Runs a `printers` subcommand.
pub async fn run(loc: &Location, action: PrintersAction) -> Result<ExitCode> {
    let ws = host::workstation();
    match action {
        PrintersAction::Discover { server } => {
            let queues = cups::discover(&server).await?;
            if queues.is_empty() {
                println!("The CUPS server at {server} has no queues.");
            }
            for q in queues {
                let accepting = if q.accepting { "" } else { ", not accepting jobs" };
                println!("{}  {}  ({}{accepting})  {}", q.name, q.uri, q.state, q.make_and_model);
            }
            Ok(ExitCode::SUCCESS)
        }
        PrintersAction::List => {
            let (printers, defaults) =
                with_store(loc, async |s| Ok((s.printers(&ws).await?, s.printer_defaults(&ws).await?))).await?;
            if printers.is_empty() {
                println!("No printers on {ws} yet: add one with `marketdesk printers add`.");
            }
            for p in &printers {
                let lang = p.dpi.map_or_else(|| "PDF".to_owned(), |d| format!("ZPL {d} dpi"));
                let kinds: Vec<_> = defaults.iter().filter(|(_, id)| *id == p.id).map(|(k, _)| k.as_str()).collect();
                let default =
                    if kinds.is_empty() { String::new() } else { format!("  default for {}", kinds.join(", ")) };
                println!("{}  {}  {}  {lang}{default}", p.name, p.connection.as_str(), p.address);
            }
            Ok(ExitCode::SUCCESS)
        }
        PrintersAction::Add { name, cups, socket, zpl_dpi } => {
            let (connection, address) = match (cups, socket) {
                (Some(uri), _) => (PrinterConnection::Ipp, uri),
                (None, Some(addr)) => (PrinterConnection::Socket, addr),
                (None, None) => return Err("say where the printer is: --cups URI or --socket host:port".into()),
            };
            let language = if zpl_dpi.is_some() { PrintLanguage::Zpl } else { PrintLanguage::Pdf };
            let spec = PrinterSpec { name, connection, address, language, dpi: zpl_dpi };
            let p = with_store(loc, async |s| printing::add_printer(s, &ws, &spec, None).await).await?;
            println!("Added printer “{}” ({}) to {ws}.", p.name, p.id);
            Ok(ExitCode::SUCCESS)
        }
        PrintersAction::Default { kind, printer } => {
            let kind: DocumentKind = kind
                .parse()
                .map_err(|_| format!("--kind {kind}: choose label, packing_slip, pick_list or manifest"))?;
            let name = with_store(loc, async |s| {
                let p = printing::find_printer(s, &ws, &printer).await?;
                printing::set_default_printer(s, &ws, kind, p.id).await?;
                Ok(p.name)
            })
            .await?;
            println!("{}s print on “{name}” on {ws}.", kind.as_str().replace('_', " "));
            Ok(ExitCode::SUCCESS)
        }
        PrintersAction::Test { printer } => {
            let job = with_store(loc, async |s| {
                let p = printing::find_printer(s, &ws, &printer).await?;
                printing::print_test_page(s, &context(), p.id).await
            })
            .await?;
            Ok(outcome(&job))
        }
        PrintersAction::Remove { printer } => {
            let name = with_store(loc, async |s| {
                let p = printing::find_printer(s, &ws, &printer).await?;
                s.retire_printer(p.id).await?;
                Ok(p.name)
            })
            .await?;
            println!("Removed printer “{name}” from {ws}.");
            Ok(ExitCode::SUCCESS)
        }
        PrintersAction::Jobs => {
            let jobs = with_store(loc, async |s| s.workstation_print_log(&ws).await).await?;
            if jobs.is_empty() {
                println!("Nothing printed on {ws} yet.");
            }
            for j in &jobs {
                println!("{}", show(j));
            }
            Ok(ExitCode::SUCCESS)
        }
        PrintersAction::Settle => {
            let jobs =
                with_store(loc, async |s| printing::settle_open_jobs(s, &context(), INTERRUPTED_AFTER).await).await?;
            println!("{} unfinished job(s) settled on {ws}.", jobs.len());
            for j in &jobs {
                println!("{}", show(j));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `labels print`: draws a shipment's label for the printer and prints it.
pub async fn print_label(loc: &Location, shipment: Uuid, printer: Option<String>) -> Result<ExitCode> {
    let ws = host::workstation();
    let job = with_store(loc, async |s| {
        let chosen = match &printer {
            Some(p) => Some(printing::find_printer(s, &ws, p).await?.id),
            None => None,
        };
        printing::print_shipping_label(s, &context(), shipment, chosen).await
    })
    .await?;
    Ok(outcome(&job))
}

/// `labels reprint`: sends a job's kept bytes again.
pub async fn reprint(loc: &Location, job: Uuid, printer: Option<String>) -> Result<ExitCode> {
    let ws = host::workstation();
    let job = with_store(loc, async |s| {
        let chosen = match &printer {
            Some(p) => Some(printing::find_printer(s, &ws, p).await?.id),
            None => None,
        };
        printing::reprint(s, &context(), job, chosen).await
    })
    .await?;
    Ok(outcome(&job))
}

/// `labels log`: every job printed for a shipment.
pub async fn log(loc: &Location, shipment: Uuid) -> Result<ExitCode> {
    let jobs = with_store(loc, async |s| s.shipment_print_log(shipment).await).await?;
    if jobs.is_empty() {
        println!("Nothing printed for shipment {shipment} yet.");
    }
    for j in &jobs {
        println!("{}", show(j));
    }
    Ok(ExitCode::SUCCESS)
}
