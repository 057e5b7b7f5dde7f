//! Carrier labels: prices for a parcel, buying its label (or issuing the
//! local carrier's), voiding it, settling a purchase left uncertain, the
//! parcel's tracking timeline, handing parcels over, and a tracking round on
//! demand. Buying and voiding are logistics' work; admins see the attempts.

use super::parse_id;
use crate::error::{AppError, ErrorKind};
use crate::events::{DataChanged, LabelBatchProgressed};
use crate::state::{Active, AppState};
use marketdesk_core::domain::{Carrier, Role, new_id};
use marketdesk_core::integrations::carriers::{CarrierClient, CarrierFailure, LabelImage};
use marketdesk_core::logistics::batch::{self, BatchOptions, BatchRow, LocalIssue};
use marketdesk_core::logistics::local_label::LocalLabelIds;
use marketdesk_core::logistics::purchase::{self, Settlement};
use marketdesk_core::logistics::rates::{self, RateChoice, RateShopping, Unavailable};
use marketdesk_core::logistics::tracking::{self, TrackingRound};
use marketdesk_core::logistics::{ShippingError, carrier_accounts, shipments};
use marketdesk_core::store::label_purchases::LabelPurchase;
use marketdesk_core::store::shipments::{Shipment, ShipmentFilter};
use marketdesk_core::store::tracking::TrackingEvent;
use marketdesk_core::store::{Store, StoreError};
use marketdesk_core::sync::{Mutation, SyncError, perform};
use tauri::{AppHandle, State};
use tauri_specta::Event;
use uuid::Uuid;

/// Issues the local carrier's label where the session works: on the server,
/// or offline on the copy and in its outbox, to be decided again at the push.
async fn issue_local(store: &Store, me: Uuid, queues: bool, shipment: Uuid) -> Result<LabelPurchase, ShippingError> {
    let version = store.parcel_version(shipment).await?;
    let ids = LocalLabelIds { purchase: new_id(), label: new_id() };
    let change = Mutation::LocalLabel { shipment, version, ids };
    perform(store, me, queues, &change).await.map_err(|e| match e {
        SyncError::Store(s) => ShippingError::Store(s),
        other => ShippingError::Store(StoreError::Validation(other.to_string())),
    })?;
    Ok(store.label_purchase(ids.purchase).await?)
}

impl From<ShippingError> for AppError {
    fn from(e: ShippingError) -> Self {
        match e {
            ShippingError::Store(s) => s.into(),
            ShippingError::Address(a) => AppError::invalid(a.to_string()),
            ShippingError::Carrier(c) => {
                let kind = match c.failure {
                    CarrierFailure::NoAnswer | CarrierFailure::CarrierDown => ErrorKind::Offline,
                    CarrierFailure::RateLimited => ErrorKind::Conflict,
                    CarrierFailure::Refused | CarrierFailure::Credentials | CarrierFailure::NotConfigured => {
                        ErrorKind::Invalid
                    }
                };
                AppError::new(kind, c.to_string())
            }
        }
    }
}

async fn logistics(state: &State<'_, AppState>, what: &str) -> Result<Active, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Logistics], what)?;
    Ok(active)
}

pub(super) fn online(active: &Active, what: &str) -> Result<(), AppError> {
    if active.online {
        Ok(())
    } else {
        Err(AppError::new(
            ErrorKind::Offline,
            format!("{what} needs the central server and the network: sign in online"),
        ))
    }
}

fn changed(app: &AppHandle, shipment: uuid::Uuid) {
    DataChanged::now("shipments", Some(shipment)).emit(app).ok();
}

/// Every rate for a parcel, cheapest first: the local methods' tables in its
/// destination's zone and, online, the carriers' quotes (offline the carriers
/// are listed as needing the network).
#[tauri::command]
#[specta::specta]
pub async fn shipment_rates(state: State<'_, AppState>, shipment_id: String) -> Result<RateShopping, AppError> {
    let id = parse_id(&shipment_id, "shipment")?;
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Logistics], "see shipping rates")?;
    if active.online {
        return Ok(rates::shop_with_accounts(&active.store, id).await?);
    }
    let offline = [Carrier::Fedex, Carrier::Ups]
        .map(|c| Unavailable { name: c.name().into(), reason: "quotes need the network: sign in online".into() });
    Ok(rates::shop::<CarrierClient>(&active.store, id, &[], offline.to_vec()).await?)
}

/// Gives a pending parcel the rate chosen from [`shipment_rates`] (read at
/// `version`); a table rate is priced again by the core.
#[tauri::command]
#[specta::specta]
pub async fn choose_shipment_rate(
    app: AppHandle,
    state: State<'_, AppState>,
    shipment_id: String,
    version: i64,
    choice: RateChoice,
) -> Result<(), AppError> {
    let id = parse_id(&shipment_id, "shipment")?;
    let active = logistics(&state, "choose a parcel's rate").await?;
    rates::choose_rate(&active.store, id, version, &choice).await?;
    changed(&app, id);
    Ok(())
}

/// Buys the parcel's label from its carrier for `service_code` (default: the
/// shipment's own service), or issues the local carrier's label (offline too).
#[tauri::command]
#[specta::specta]
pub async fn buy_shipping_label(
    app: AppHandle,
    state: State<'_, AppState>,
    shipment_id: String,
    service_code: Option<String>,
    image: LabelImage,
) -> Result<LabelPurchase, AppError> {
    let id = parse_id(&shipment_id, "shipment")?;
    let active = logistics(&state, "buy labels").await?;
    let route = active.store.parcel_route(id).await?;
    let attempt = if route.carrier.sells_labels() {
        online(&active, "buying a carrier label")?;
        let api = carrier_accounts::carrier_client(&active.store, route.carrier).await?;
        let service = service_code.unwrap_or(route.service_code);
        purchase::buy_label(&active.store, &api, id, &service, image, Some(active.me.id)).await?
    } else {
        issue_local(&active.store, active.me.id, active.queues, id).await?
    };
    changed(&app, id);
    Ok(attempt)
}

/// Voids the parcel's unused label (at the carrier within its window).
#[tauri::command]
#[specta::specta]
pub async fn void_shipping_label(
    app: AppHandle,
    state: State<'_, AppState>,
    shipment_id: String,
) -> Result<(), AppError> {
    let id = parse_id(&shipment_id, "shipment")?;
    let active = logistics(&state, "void labels").await?;
    let route = active.store.parcel_route(id).await?;
    let api = if route.carrier.sells_labels() {
        online(&active, "voiding a carrier label")?;
        Some(carrier_accounts::carrier_client(&active.store, route.carrier).await?)
    } else {
        None
    };
    purchase::void_label::<CarrierClient>(&active.store, api.as_ref(), id).await?;
    changed(&app, id);
    Ok(())
}

/// Every attempt to buy the parcel's label, newest first.
#[tauri::command]
#[specta::specta]
pub async fn shipment_label_purchases(
    state: State<'_, AppState>,
    shipment_id: String,
) -> Result<Vec<LabelPurchase>, AppError> {
    let id = parse_id(&shipment_id, "shipment")?;
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Logistics], "see label purchases")?;
    Ok(active.store.label_purchases(id).await?)
}

/// Settles a purchase left uncertain, so the parcel can be bought for again.
#[tauri::command]
#[specta::specta]
pub async fn settle_label_purchase(
    app: AppHandle,
    state: State<'_, AppState>,
    attempt_id: String,
    settlement: Settlement,
) -> Result<LabelPurchase, AppError> {
    let id = parse_id(&attempt_id, "label purchase")?;
    let active = logistics(&state, "settle label purchases").await?;
    let attempt = active.store.label_purchase(id).await?;
    if matches!(settlement, Settlement::VoidAtCarrier { .. }) {
        online(&active, "voiding a carrier label")?;
    }
    let api = carrier_accounts::carrier_client(&active.store, attempt.carrier).await?;
    let settled = purchase::settle_uncertain_purchase(&active.store, &api, id, &settlement, Some(active.me.id)).await?;
    changed(&app, attempt.shipment_id);
    Ok(settled)
}

/// The parcel's tracking events, oldest first.
#[tauri::command]
#[specta::specta]
pub async fn shipment_tracking(
    state: State<'_, AppState>,
    shipment_id: String,
) -> Result<Vec<TrackingEvent>, AppError> {
    let id = parse_id(&shipment_id, "shipment")?;
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Logistics, Role::Vendor], "see tracking")?;
    Ok(active.store.tracking_events(id).await?)
}

/// One parcel's hand-over: its id and why it was refused, if it was.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct HandOverResult {
    /// The shipment.
    pub shipment_id: String,
    /// Why it was not handed over; none when it was.
    pub refused: Option<String>,
}

/// Hands printed parcels over to their carrier.
#[tauri::command]
#[specta::specta]
pub async fn hand_over_parcels(
    app: AppHandle,
    state: State<'_, AppState>,
    shipment_ids: Vec<String>,
) -> Result<Vec<HandOverResult>, AppError> {
    let ids = shipment_ids.iter().map(|s| parse_id(s, "shipment")).collect::<Result<Vec<_>, _>>()?;
    let active = logistics(&state, "hand parcels over").await?;
    let outcome = shipments::hand_over(&active.store, &ids).await?;
    DataChanged::now("shipments", None).emit(&app).ok();
    Ok(outcome.into_iter().map(|(id, r)| HandOverResult { shipment_id: id.to_string(), refused: r.err() }).collect())
}

/// Asks `carrier` about every parcel still on its way, now.
#[tauri::command]
#[specta::specta]
pub async fn track_parcels_now(
    app: AppHandle,
    state: State<'_, AppState>,
    carrier: Carrier,
) -> Result<TrackingRound, AppError> {
    let active = logistics(&state, "track parcels").await?;
    online(&active, "tracking parcels")?;
    let api = carrier_accounts::carrier_client(&active.store, carrier).await?;
    let round = tracking::track_parcels(&active.store, &api).await?;
    if round.moved > 0 || round.events_added > 0 {
        DataChanged::now("shipments", None).emit(&app).ok();
    }
    Ok(round)
}

/// Marks label purchases a stopped Marketdesk left mid-call as uncertain
/// (see `purchase::settle_cut_off_purchases`), without holding up sign-in.
pub fn settle_in_background(store: marketdesk_core::store::Store) {
    tauri::async_runtime::spawn(async move {
        if let Err(e) = purchase::settle_cut_off_purchases(&store, purchase::CUT_OFF_AFTER).await {
            tracing::warn!("settling cut-off label purchases: {e}");
        }
    });
}

/// The parcels a scanned code names (an order number, a parcel's reference
/// or a tracking number), in the order's parcel order.
#[tauri::command]
#[specta::specta]
pub async fn scan_parcels(state: State<'_, AppState>, code: String) -> Result<Vec<Shipment>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin, Role::Logistics], "look parcels up")?;
    Ok(active.store.parcels_for_code(&code).await?)
}

/// Buys (or issues, for the local carrier) and prints the labels of
/// `shipment_ids` on `printer_id` (default: this workstation's label
/// printer), reporting `label-batch-progressed` under `batch_id` after each
/// parcel; `cancel_label_batch(batch_id)` stops it between parcels. Parcels
/// already bought are only printed, parcels already printed are left alone,
/// so the same selection can be run again to finish it.
#[tauri::command]
#[specta::specta]
pub async fn buy_and_print_labels(
    app: AppHandle,
    state: State<'_, AppState>,
    batch_id: String,
    shipment_ids: Vec<String>,
    image: LabelImage,
    printer_id: Option<String>,
) -> Result<Vec<BatchRow>, AppError> {
    let ids = shipment_ids.iter().map(|s| parse_id(s, "shipment")).collect::<Result<Vec<_>, _>>()?;
    let printer = printer_id.as_deref().map(|p| parse_id(p, "printer")).transpose()?;
    let active = logistics(&state, "buy and print labels").await?;
    let api = match batch::selling_carrier(&active.store, &ids).await? {
        Some(carrier) => {
            online(&active, "buying carrier labels")?;
            Some(carrier_accounts::carrier_client(&active.store, carrier).await?)
        }
        None => None,
    };
    let running = state.start_export(&batch_id)?;
    let ctx = super::printing::print_context(&active);
    let options = BatchOptions { image, printer, concurrency: 8 };
    let (store, me, queues) = (active.store.clone(), active.me.id, active.queues);
    let local = move |shipment: Uuid| -> LocalIssue<'static> {
        let store = store.clone();
        Box::pin(async move { issue_local(&store, me, queues, shipment).await })
    };
    let progress = |progress: &_| {
        LabelBatchProgressed { batch_id: batch_id.clone(), progress: *progress }.emit(&app).ok();
    };
    let rows =
        batch::buy_and_print(&active.store, api.as_ref(), Some(&local), &ctx, &ids, options, running.flag(), progress)
            .await;
    DataChanged::now("shipments", None).emit(&app).ok();
    DataChanged::now("print_jobs", None).emit(&app).ok();
    Ok(rows)
}

/// The parcels the Shipments screen's `filter` matches that still need a
/// label printed, for a batch.
#[tauri::command]
#[specta::specta]
pub async fn parcels_to_label(state: State<'_, AppState>, filter: ShipmentFilter) -> Result<Vec<Shipment>, AppError> {
    let active = logistics(&state, "buy and print labels").await?;
    Ok(batch::parcels_to_label(&active.store, &filter).await?)
}

/// Asks the label batch `batch_id` to stop before its next parcel; `false`
/// when it had ended already.
#[tauri::command]
#[specta::specta]
pub async fn cancel_label_batch(state: State<'_, AppState>, batch_id: String) -> Result<bool, AppError> {
    state.signed_in().await?;
    Ok(state.cancel_export(&batch_id))
}
