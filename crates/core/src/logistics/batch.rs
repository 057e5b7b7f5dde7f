//! Buying and printing labels for a selection of parcels at once, as the
//! fulfilment queue does: several purchases in flight together (within the
//! carrier's rate limit, which its client keeps), each label printed as soon
//! as it is bought, progress after every parcel, cancellable between parcels
//! and resumable — a parcel already bought is only printed, one already
//! printed is left alone, so running the same selection again finishes it.

use super::error::ShippingError;
use super::local_label::issue_local_label;
use super::printing::{PrintContext, print_shipping_label};
use super::purchase::buy_label;
use crate::domain::{LabelPurchaseState, PrintJobState, ShipmentStatus};
use crate::integrations::carriers::{CarrierApi, LabelImage};
use crate::store::Store;
use crate::store::label_purchases::LabelPurchase;
use crate::store::shipments::{Shipment, ShipmentFilter};
use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use uuid::Uuid;

/// How one parcel of a batch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum BatchOutcome {
    /// Bought (or found bought) and printed.
    Printed,
    /// Bought, but the print failed (the job says why; reprint it).
    BoughtNotPrinted,
    /// Printed in an earlier run: left alone.
    AlreadyDone,
    /// The carrier refused, or the purchase is uncertain: see the message.
    NotBought,
    /// Cancelled before it started.
    Skipped,
}

/// One parcel's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BatchRow {
    /// The shipment.
    pub shipment_id: Uuid,
    /// How it ended.
    pub outcome: BatchOutcome,
    /// Its tracking number, when bought.
    pub tracking_number: Option<String>,
    /// What went wrong, in words.
    pub message: Option<String>,
}

/// Where a batch stands, after each parcel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BatchProgress {
    /// Parcels finished (any outcome).
    pub done: u32,
    /// Parcels in the batch.
    pub total: u32,
    /// Of those, printed.
    pub printed: u32,
    /// Of those, not bought or not printed.
    pub failed: u32,
}

/// Issues one parcel's local carrier label the caller's way: the desktop
/// queues it as an offline change when it works on the local copy. Without
/// one, a batch issues the label on its store.
pub type LocalIssuer<'a> = dyn Fn(Uuid) -> LocalIssue<'a> + Send + Sync + 'a;

/// One local label being issued by a [`LocalIssuer`].
pub type LocalIssue<'a> = BoxFuture<'a, Result<LabelPurchase, ShippingError>>;

/// How a batch is run.
#[derive(Debug, Clone, Copy)]
pub struct BatchOptions {
    /// The page language to buy labels in.
    pub image: LabelImage,
    /// The printer (default: the workstation's label printer).
    pub printer: Option<Uuid>,
    /// Purchases in flight at once.
    pub concurrency: usize,
}

async fn one<C: CarrierApi>(
    store: &Store,
    api: Option<&C>,
    local: Option<&LocalIssuer<'_>>,
    ctx: &PrintContext,
    shipment: Uuid,
    options: &BatchOptions,
) -> Result<BatchRow, ShippingError> {
    let route = store.parcel_route(shipment).await?;
    let row = |outcome, tracking_number, message| BatchRow { shipment_id: shipment, outcome, tracking_number, message };
    if !matches!(route.status, ShipmentStatus::Pending | ShipmentStatus::LabelPurchased) {
        let tracking = store.live_label(shipment).await?.and_then(|l| l.tracking_number);
        return Ok(row(BatchOutcome::AlreadyDone, tracking, None));
    }
    if route.status == ShipmentStatus::Pending {
        let attempt = match (route.carrier.sells_labels(), api) {
            (false, _) => match local {
                Some(issue) => issue(shipment).await?,
                None => issue_local_label(store, shipment, ctx.requested_by).await?,
            },
            (true, Some(api)) if api.carrier() == route.carrier => {
                buy_label(store, api, shipment, &route.service_code, options.image, ctx.requested_by).await?
            }
            (true, _) => {
                let why = format!("{} labels are bought online with its account", route.carrier.name());
                return Ok(row(BatchOutcome::NotBought, None, Some(why)));
            }
        };
        if attempt.state != LabelPurchaseState::Purchased {
            return Ok(row(BatchOutcome::NotBought, None, attempt.error_message));
        }
    }
    let tracking = store.live_label(shipment).await?.and_then(|l| l.tracking_number);
    let job = print_shipping_label(store, ctx, shipment, options.printer).await?;
    Ok(match job.state {
        PrintJobState::Sent | PrintJobState::Completed => row(BatchOutcome::Printed, tracking, None),
        _ => row(BatchOutcome::BoughtNotPrinted, tracking, job.failure),
    })
}

/// Buys (from `api`, for its carrier's parcels; the local carrier's are
/// issued by `local`, or here without one) and prints the labels of `shipments`, each for its own
/// service, calling `progress` after every parcel; once `cancel` is set no
/// new parcel starts (those in flight finish). Rows come back in the order given.
#[allow(clippy::too_many_arguments)]
pub async fn buy_and_print<C: CarrierApi>(
    store: &Store,
    api: Option<&C>,
    local: Option<&LocalIssuer<'_>>,
    ctx: &PrintContext,
    shipments: &[Uuid],
    options: BatchOptions,
    cancel: &AtomicBool,
    mut progress: impl FnMut(&BatchProgress),
) -> Vec<BatchRow> {
    let total = u32::try_from(shipments.len()).unwrap_or(u32::MAX);
    let mut state = BatchProgress { total, ..BatchProgress::default() };
    let mut rows: Vec<Option<BatchRow>> = vec![None; shipments.len()];
    let work = futures_util::stream::iter(shipments.iter().copied().enumerate())
        .map(|(i, shipment)| async move {
            if cancel.load(Ordering::SeqCst) {
                let skipped = BatchRow {
                    shipment_id: shipment,
                    outcome: BatchOutcome::Skipped,
                    tracking_number: None,
                    message: Some("the batch was cancelled before this parcel".into()),
                };
                return (i, skipped);
            }
            let row = one(store, api, local, ctx, shipment, &options).await.unwrap_or_else(|e| BatchRow {
                shipment_id: shipment,
                outcome: BatchOutcome::NotBought,
                tracking_number: None,
                message: Some(e.to_string()),
            });
            (i, row)
        })
        .buffer_unordered(options.concurrency.max(1));
    let mut work = std::pin::pin!(work);
    while let Some((i, row)) = work.next().await {
        state.done += 1;
        match row.outcome {
            BatchOutcome::Printed | BatchOutcome::AlreadyDone => state.printed += 1,
            BatchOutcome::BoughtNotPrinted | BatchOutcome::NotBought => state.failed += 1,
            BatchOutcome::Skipped => {}
        }
        rows[i] = Some(row);
        progress(&state);
    }
    rows.into_iter().flatten().collect()
}

/// The one carrier that sells labels among `shipments`' carriers (`None`
/// when they are all local or pickup); parcels of two such carriers are
/// refused, to be run one carrier at a time.
pub async fn selling_carrier(
    store: &Store,
    shipments: &[Uuid],
) -> Result<Option<crate::domain::Carrier>, ShippingError> {
    let mut found = None;
    for &id in shipments {
        let carrier = store.parcel_route(id).await?.carrier;
        if !carrier.sells_labels() {
            continue;
        }
        match found {
            Some(c) if c != carrier => {
                return Err(crate::store::StoreError::Validation(
                    "these parcels go by different carriers: buy one carrier's labels at a time".into(),
                )
                .into());
            }
            _ => found = Some(carrier),
        }
    }
    Ok(found)
}

/// Most parcels one batch takes.
pub const MAX_BATCH: usize = 2_000;

/// The parcels `filter` matches that still need their label printed
/// (pending, or bought and not printed yet), oldest first: what a batch from
/// the Shipments screen runs on. A status filter only narrows these two.
pub async fn parcels_to_label(store: &Store, filter: &ShipmentFilter) -> Result<Vec<Shipment>, ShippingError> {
    let wanted = [ShipmentStatus::Pending, ShipmentStatus::LabelPurchased];
    let statuses: Vec<ShipmentStatus> = if filter.statuses.is_empty() {
        wanted.to_vec()
    } else {
        filter.statuses.iter().copied().filter(|s| wanted.contains(s)).collect()
    };
    if statuses.is_empty() {
        return Ok(Vec::new());
    }
    let narrowed = ShipmentFilter { statuses, ..filter.clone() };
    Ok(store.all_shipments(&narrowed, MAX_BATCH).await?)
}
