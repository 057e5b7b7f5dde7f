//! The warehouse's sheets from the desktop: a pick list for the parcels
//! selected, a parcel's packing slip, a carrier's manifest for a span —
//! saved as PDF in Downloads or printed on this workstation's printer for the
//! kind (admins and logistics; works offline on the local copy).

use super::{downloads_path, parse_id};
use crate::error::AppError;
use crate::events::DataChanged;
use crate::state::AppState;
use marketdesk_core::domain::{Carrier, DocumentKind, Role, Timestamp};
use marketdesk_core::logistics::printing;
use marketdesk_core::logistics::warehouse_documents as sheets;
use marketdesk_core::store::printing::PrintJob;
use marketdesk_core::store::shipments::ShipmentFilter;
use tauri::{AppHandle, State};
use tauri_specta::Event;

/// Which sheet.
#[derive(Debug, Clone, serde::Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SheetRequest {
    /// What to pick for these parcels.
    PickList {
        /// The shipments' ids.
        shipment_ids: Vec<String>,
    },
    /// What to pick for every parcel the filter matches (as the Shipments
    /// screen lists them).
    PickListFor {
        /// The Shipments screen's filter.
        filter: ShipmentFilter,
    },
    /// What goes into one parcel.
    PackingSlip {
        /// The shipment's id.
        shipment_id: String,
    },
    /// The parcels handed over to `carrier` from `from` to `to`.
    Manifest {
        /// The carrier.
        carrier: Carrier,
        /// Start of the span (RFC 3339).
        from: Timestamp,
        /// End of the span, excluded.
        to: Timestamp,
    },
}

/// A sheet made: where it was saved, or the print job that took it.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct SheetMade {
    /// What it is, in words ("pick list, 12 lines").
    pub summary: String,
    /// The file, when saved.
    pub path: Option<String>,
    /// The print job, when printed.
    pub job: Option<PrintJob>,
}

/// Makes a sheet and saves it in Downloads (`print` false) or prints it on
/// `printer_id` (or the workstation's default for the kind).
#[tauri::command]
#[specta::specta]
pub async fn make_warehouse_sheet(
    app: AppHandle,
    state: State<'_, AppState>,
    request: SheetRequest,
    print: bool,
    printer_id: Option<String>,
) -> Result<SheetMade, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Logistics], "make warehouse sheets")?;
    let now = Timestamp::now();
    let store = &active.store;
    let (pdf, kind, shipment, summary, prefix) = match request {
        SheetRequest::PickList { shipment_ids } => {
            let ids = shipment_ids.iter().map(|s| parse_id(s, "shipment")).collect::<Result<Vec<_>, _>>()?;
            let (pdf, lines) = sheets::pick_list(store, &ids, now).await?;
            (pdf, DocumentKind::PickList, None, format!("Pick list, {lines} lines"), "marketdesk-pick-list".to_owned())
        }
        SheetRequest::PickListFor { filter } => {
            let ids = sheets::parcels_matching(store, &filter).await?;
            let (pdf, lines) = sheets::pick_list(store, &ids, now).await?;
            let summary = format!("Pick list for {} parcels, {lines} lines", ids.len());
            (pdf, DocumentKind::PickList, None, summary, "marketdesk-pick-list".to_owned())
        }
        SheetRequest::PackingSlip { shipment_id } => {
            let id = parse_id(&shipment_id, "shipment")?;
            let pdf = sheets::packing_slip(store, id, now).await?;
            let prefix = format!("marketdesk-packing-slip-{}", &id.simple().to_string()[..12]);
            (pdf, DocumentKind::PackingSlip, Some(id), "Packing slip".to_owned(), prefix)
        }
        SheetRequest::Manifest { carrier, from, to } => {
            let (pdf, parcels) = sheets::manifest(store, carrier, from, to, now).await?;
            let summary = format!("{} manifest, {parcels} parcels", carrier.name());
            (pdf, DocumentKind::Manifest, None, summary, format!("marketdesk-manifest-{}", carrier.as_str()))
        }
    };
    if !print {
        let path = downloads_path(&prefix, "pdf")?;
        sheets::write_sheet(&path, &pdf)?;
        return Ok(SheetMade { summary, path: Some(path.display().to_string()), job: None });
    }
    let ctx = super::printing::print_context(&active);
    let chosen = printer_id.as_deref().map(|p| parse_id(p, "printer")).transpose()?;
    let job = printing::print_sheet(store, &ctx, kind, &pdf, shipment, chosen).await?;
    DataChanged::now("print_jobs", shipment).emit(&app).ok();
    Ok(SheetMade { summary, path: None, job: Some(job) })
}
