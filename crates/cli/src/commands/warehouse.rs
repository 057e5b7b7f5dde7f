//! `warehouse`: pick lists, packing slips and end-of-day manifests, saved as
//! PDF or printed on this workstation's default printer for the kind.

use super::Result;
use super::printers::{context, outcome};
use clap::Subcommand;
use marketdesk_core::domain::{Carrier, DocumentKind, Timestamp};
use marketdesk_core::host;
use marketdesk_core::logistics::printing;
use marketdesk_core::logistics::warehouse_documents as sheets;
use marketdesk_core::store::location::{self, Location};
use marketdesk_core::store::{Store, StoreError};
use std::path::PathBuf;
use std::process::ExitCode;
use uuid::Uuid;

/// Where a sheet goes.
#[derive(Debug, clap::Args)]
pub struct Output {
    /// Save the PDF here.
    #[arg(long, required_unless_present = "print")]
    out: Option<PathBuf>,
    /// Print it (on --printer, or this workstation's default for the kind).
    #[arg(long)]
    print: bool,
    /// The printer's name or id.
    #[arg(long, requires = "print")]
    printer: Option<String>,
}

/// What `warehouse` does.
#[derive(Debug, Subcommand)]
pub enum WarehouseAction {
    /// What to pick for these parcels, by vendor then SKU.
    PickList {
        /// The shipments' ids.
        #[arg(required = true)]
        shipments: Vec<Uuid>,
        #[command(flatten)]
        output: Output,
    },
    /// What goes into one parcel.
    PackingSlip {
        /// The shipment's id.
        shipment: Uuid,
        #[command(flatten)]
        output: Output,
    },
    /// The parcels handed over to a carrier on a day (UTC), for the driver to sign.
    Manifest {
        /// fedex, ups, local or pickup.
        #[arg(long)]
        carrier: String,
        /// The day, YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
        #[command(flatten)]
        output: Output,
    },
}

/// A sheet drawn, before it is saved or printed.
struct Made {
    pdf: Vec<u8>,
    kind: DocumentKind,
    shipment: Option<Uuid>,
    what: String,
}

async fn make(
    store: &Store,
    action: WarehouseAction,
    now: Timestamp,
) -> std::result::Result<(Made, Output), StoreError> {
    Ok(match action {
        WarehouseAction::PickList { shipments, output } => {
            let (pdf, lines) = sheets::pick_list(store, &shipments, now).await?;
            let what = format!("pick list ({lines} lines)");
            (Made { pdf, kind: DocumentKind::PickList, shipment: None, what }, output)
        }
        WarehouseAction::PackingSlip { shipment, output } => {
            let pdf = sheets::packing_slip(store, shipment, now).await?;
            let what = "packing slip".to_owned();
            (Made { pdf, kind: DocumentKind::PackingSlip, shipment: Some(shipment), what }, output)
        }
        WarehouseAction::Manifest { carrier: c, date, output } => {
            let c: Carrier =
                c.parse().map_err(|_| StoreError::Validation(format!("“{c}”: choose fedex, ups, local or pickup")))?;
            let day = date.unwrap_or_else(|| now.as_datetime().date_naive());
            let midnight = |d: chrono::NaiveDate| Timestamp::from(d.and_time(chrono::NaiveTime::MIN).and_utc());
            let (pdf, parcels) =
                sheets::manifest(store, c, midnight(day), midnight(day + chrono::Days::new(1)), now).await?;
            let what = format!("{} manifest for {day} ({parcels} parcels)", c.name());
            (Made { pdf, kind: DocumentKind::Manifest, shipment: None, what }, output)
        }
    })
}

async fn deliver(store: &Store, made: &Made, output: &Output) -> std::result::Result<ExitCode, StoreError> {
    let mut code = ExitCode::SUCCESS;
    if let Some(path) = &output.out {
        sheets::write_sheet(path, &made.pdf)?;
        println!("Wrote the {} to {}.", made.what, path.display());
    }
    if output.print {
        let ws = host::workstation();
        let chosen = match &output.printer {
            Some(p) => Some(printing::find_printer(store, &ws, p).await?.id),
            None => None,
        };
        let job = printing::print_sheet(store, &context(), made.kind, &made.pdf, made.shipment, chosen).await?;
        code = outcome(&job);
    }
    Ok(code)
}

/// Runs a `warehouse` subcommand.
pub async fn run(loc: &Location, action: WarehouseAction) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    let result = match make(&store, action, Timestamp::now()).await {
        Ok((made, output)) => deliver(&store, &made, &output).await,
        Err(e) => Err(e),
    };
    store.close().await;
    Ok(result?)
}
