//! Following parcels with their carrier: a round reads every parcel of a
//! carrier still on its way (page by page, as many numbers a call as the
//! carrier takes), records the events not seen before, and moves the parcel
//! along its lifecycle as far as the events lead — never backwards, never
//! past a step the lifecycle does not allow. Delivered and exception are kept
//! as events for the notifications that will report them.

use super::error::ShippingError;
use crate::domain::ShipmentStatus;
use crate::integrations::carriers::{CarrierApi, TrackedEvent};
use crate::store::Store;
use crate::store::tracking::{NewTrackingEvent, TrackedParcel};
use serde::Serialize;

/// Parcels read per page of a round.
const PAGE: i64 = 120;

/// What a tracking round did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TrackingRound {
    /// Parcels asked about.
    pub checked: u32,
    /// Events recorded for the first time.
    pub events_added: u32,
    /// Parcels whose status moved.
    pub moved: u32,
    /// Parcels now delivered.
    pub delivered: u32,
    /// Parcels now in exception.
    pub exceptions: u32,
    /// Numbers the carrier does not know (yet).
    pub not_found: u32,
    /// Parcels that changed under the round (read again next time).
    pub skipped: u32,
}

/// Where `events` (oldest first) take a parcel now at `from`: each event
/// that the lifecycle allows from where the parcel is by then moves it.
pub fn status_after(from: ShipmentStatus, events: &[TrackedEvent]) -> ShipmentStatus {
    events.iter().fold(from, |at, e| if at.can_become(e.status) { e.status } else { at })
}

/// One round over `api`'s carrier's parcels.
pub async fn track_parcels<C: CarrierApi>(store: &Store, api: &C) -> Result<TrackingRound, ShippingError> {
    let mut round = TrackingRound::default();
    let mut after = None;
    loop {
        let parcels: Vec<TrackedParcel> = store.tracked_parcels(api.carrier(), after, PAGE).await?;
        let Some(last) = parcels.last() else { break };
        after = Some(last.id);
        let numbers: Vec<String> = parcels.iter().map(|p| p.tracking_number.clone()).collect();
        let results = api.track(&numbers).await?;
        for parcel in &parcels {
            round.checked += 1;
            let Some(result) = results.iter().find(|r| r.tracking_number == parcel.tracking_number) else {
                round.not_found += 1;
                continue;
            };
            if result.not_found {
                round.not_found += 1;
                continue;
            }
            let to = status_after(parcel.status, &result.events);
            let events: Vec<NewTrackingEvent<'_>> = result
                .events
                .iter()
                .map(|e| NewTrackingEvent {
                    occurred_at: e.occurred_at,
                    status: e.status,
                    description: &e.description,
                    location: e.location.as_deref(),
                    code: &e.code,
                })
                .collect();
            let moved_to = (to != parcel.status).then_some(to);
            match store.record_tracking(parcel, &events, moved_to).await {
                Ok(added) => {
                    round.events_added += u32::try_from(added).unwrap_or(u32::MAX);
                    if moved_to.is_some() {
                        round.moved += 1;
                        round.delivered += u32::from(to == ShipmentStatus::Delivered);
                        round.exceptions += u32::from(to == ShipmentStatus::Exception);
                    }
                }
                Err(crate::store::StoreError::Validation(_)) => round.skipped += 1,
                Err(e) => return Err(e.into()),
            }
        }
        if (parcels.len() as i64) < PAGE {
            break;
        }
    }
    Ok(round)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Timestamp;

    fn event(status: ShipmentStatus) -> TrackedEvent {
        TrackedEvent {
            occurred_at: Timestamp::now(),
            status,
            code: String::new(),
            description: String::new(),
            location: None,
        }
    }

    #[test]
    fn events_move_a_parcel_forward_only() {
        use ShipmentStatus::*;
        let events = [event(LabelPurchased), event(InTransit), event(OutForDelivery), event(Delivered)];
        assert_eq!(status_after(Printed, &events), Delivered);
        assert_eq!(status_after(Delivered, &[event(InTransit)]), Delivered);
        assert_eq!(status_after(InTransit, &[event(Exception), event(InTransit)]), InTransit);
        assert_eq!(status_after(HandedOver, &[event(LabelPurchased)]), HandedOver);
    }
}
