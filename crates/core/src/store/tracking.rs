//! Rows of carrier tracking: which parcels are still followed, their events,
//! and recording new events with the status they lead to in one transaction.

use super::{BeginWrite, Store, StoreError, with_pool};
use crate::domain::{Carrier, ShipmentStatus, Timestamp, new_id};
use serde::Serialize;
use uuid::Uuid;

/// A parcel the carrier still has news about.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct TrackedParcel {
    /// Shipment id.
    pub id: Uuid,
    /// Its tracking number.
    pub tracking_number: String,
    /// Where it stands.
    pub status: ShipmentStatus,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// One tracking event, as the shipment's timeline shows it.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TrackingEvent {
    /// Row id.
    pub id: Uuid,
    /// When it happened.
    pub occurred_at: Timestamp,
    /// What it meant for the shipment.
    pub status: ShipmentStatus,
    /// The carrier's words.
    pub description: String,
    /// Where.
    pub location: Option<String>,
    /// The carrier's code.
    pub carrier_event_code: Option<String>,
}

/// A new event to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTrackingEvent<'a> {
    /// When.
    pub occurred_at: Timestamp,
    /// Its status.
    pub status: ShipmentStatus,
    /// Words.
    pub description: &'a str,
    /// Where.
    pub location: Option<&'a str>,
    /// Carrier's code.
    pub code: &'a str,
}

impl Store {
    /// The next `limit` parcels of `carrier` still followed, by id after
    /// `after` (a round walks them all, page by page).
    pub async fn tracked_parcels(
        &self,
        carrier: Carrier,
        after: Option<Uuid>,
        limit: i64,
    ) -> Result<Vec<TrackedParcel>, StoreError> {
        let sql = "SELECT id, tracking_number, status, version FROM shipments \
                   WHERE carrier = $1 AND tracking_number IS NOT NULL AND deleted_at IS NULL \
                   AND status IN ('label_purchased', 'printed', 'handed_over', 'in_transit', 'out_for_delivery', 'exception') \
                   AND ($2 IS NULL OR id > $2) ORDER BY id LIMIT $3";
        Ok(with_pool!(&self.db, |p| sqlx::query_as(sql).bind(carrier).bind(after).bind(limit).fetch_all(p).await)?)
    }

    /// `shipment`'s events, oldest first.
    pub async fn tracking_events(&self, shipment: Uuid) -> Result<Vec<TrackingEvent>, StoreError> {
        let sql = "SELECT id, occurred_at, status, description, location, carrier_event_code FROM tracking_events \
                   WHERE shipment_id = $1 AND deleted_at IS NULL ORDER BY occurred_at, id";
        Ok(with_pool!(&self.db, |p| sqlx::query_as(sql).bind(shipment).fetch_all(p).await)?)
    }

    /// Adds the events not yet recorded (same time and code) and, when
    /// `moved_to` is given, moves the parcel there if it is still at
    /// `version` — all in one transaction. Returns the events added.
    pub(crate) async fn record_tracking(
        &self,
        parcel: &TrackedParcel,
        events: &[NewTrackingEvent<'_>],
        moved_to: Option<ShipmentStatus>,
    ) -> Result<usize, StoreError> {
        let now = Timestamp::now();
        with_pool!(&self.db, |p| {
            let mut tx = p.begin_write().await?;
            let mut added = 0;
            for e in events {
                let seen: i64 = sqlx::query_scalar(
                    "SELECT count(*) FROM tracking_events WHERE shipment_id = $1 AND occurred_at = $2 \
                     AND carrier_event_code = $3",
                )
                .bind(parcel.id)
                .bind(e.occurred_at)
                .bind(e.code)
                .fetch_one(&mut *tx)
                .await?;
                if seen > 0 {
                    continue;
                }
                sqlx::query(
                    "INSERT INTO tracking_events (id, shipment_id, occurred_at, status, description, location, \
                     carrier_event_code, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)",
                )
                .bind(new_id())
                .bind(parcel.id)
                .bind(e.occurred_at)
                .bind(e.status)
                .bind(e.description)
                .bind(e.location)
                .bind(e.code)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(|err| StoreError::from_write("tracking event", err))?;
                added += 1;
            }
            let Some(status) = moved_to else {
                tx.commit().await?;
                return Ok(added);
            };
            let shipped = events.iter().find(|e| e.status == ShipmentStatus::InTransit).map(|e| e.occurred_at);
            let delivered = events.iter().rev().find(|e| e.status == ShipmentStatus::Delivered).map(|e| e.occurred_at);
            let changed = sqlx::query(
                "UPDATE shipments SET status = $3, shipped_at = coalesce(shipped_at, $4), \
                 delivered_at = coalesce($5, delivered_at), version = version + 1, updated_at = $6 \
                 WHERE id = $1 AND version = $2",
            )
            .bind(parcel.id)
            .bind(parcel.version)
            .bind(status)
            .bind(shipped)
            .bind(if status == ShipmentStatus::Delivered { delivered } else { None })
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|err| StoreError::from_write("shipment", err))?
            .rows_affected();
            if changed == 0 {
                return Err(StoreError::Validation(
                    "the parcel changed while its tracking was read; it is read again next round".into(),
                ));
            }
            tx.commit().await?;
            Ok::<_, StoreError>(added)
        })
    }
}
