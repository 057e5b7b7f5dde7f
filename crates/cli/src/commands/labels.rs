//! `labels`: shipping labels drawn on this computer, and printed (through
//! `printers`).

use super::Result;
use crate::LabelsAction;
use marketdesk_core::documents::label::Density;
use marketdesk_core::logistics::labels::LabelFormat;
use marketdesk_core::store::location::{self, Location};
use std::process::ExitCode;

/// Runs a `labels` subcommand.
pub async fn run(loc: &Location, action: LabelsAction) -> Result<ExitCode> {
    match action {
        LabelsAction::Render { shipment, format, dpi, out } => {
            let format = match format.as_str() {
                "zpl" => LabelFormat::Zpl {
                    density: Density::from_dpi(dpi).ok_or_else(|| format!("--dpi {dpi}: choose 203 or 300"))?,
                },
                "pdf" => LabelFormat::Pdf,
                other => return Err(format!("--format {other}: choose zpl or pdf").into()),
            };
            let store = location::open(loc, false).await?;
            let written = store.write_shipping_label(shipment, format, &out).await;
            store.close().await;
            let bytes = written?;
            println!("Wrote the label ({bytes} bytes, {}) to {}.", format.extension(), out.display());
            Ok(ExitCode::SUCCESS)
        }
        LabelsAction::Print { shipment, printer } => super::printers::print_label(loc, shipment, printer).await,
        LabelsAction::Reprint { job, printer } => super::printers::reprint(loc, job, printer).await,
        LabelsAction::Log { shipment } => super::printers::log(loc, shipment).await,
    }
}
