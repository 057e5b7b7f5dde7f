//! Closing the shipping day with a carrier: FedEx Ground's end of day, which
//! uploads the day's Ground parcels to FedEx and hands back the manifest the
//! driver signs. Each close is recorded with the manifest (kept for reprints),
//! how many Ground labels Marketdesk bought that day, FedEx's transaction id
//! and who closed. A close can be made more than once a day (FedEx takes the
//! parcels bought since the last one); a failed close records nothing and
//! says what the carrier said. UPS has no such step and says so.

use super::ShippingError;
use crate::domain::{Carrier, Timestamp};
use crate::integrations::carriers::CarrierApi;
use crate::store::{Store, StoreError, with_pool};
use chrono::{Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One close, as the list shows it (the manifest's bytes stay in the store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DayCloseRecord {
    /// Row id.
    pub id: Uuid,
    /// The carrier closed with.
    pub carrier: Carrier,
    /// The shipping day closed, `YYYY-MM-DD`.
    pub close_date: String,
    /// Ground labels Marketdesk bought that day (not voided), when closed.
    pub parcels: i32,
    /// The carrier's transaction id, for its support desk.
    pub transaction_id: Option<String>,
    /// Who closed it.
    pub closed_by_name: Option<String>,
    /// When.
    pub created_at: Timestamp,
}

const RECORD: &str = "SELECT c.id, c.carrier, c.close_date, c.parcels, c.transaction_id, \
     u.display_name AS closed_by_name, c.created_at \
     FROM carrier_day_closes c LEFT JOIN users u ON u.id = c.closed_by WHERE c.deleted_at IS NULL";

/// The shipping day `text` (`YYYY-MM-DD`), refused when malformed or later
/// than tomorrow (a warehouse west of UTC still ships "today").
pub fn shipping_day(text: &str, now: Timestamp) -> Result<NaiveDate, StoreError> {
    let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| StoreError::Validation(format!("“{}” is not a day: write it as YYYY-MM-DD", text.trim())))?;
    let tomorrow = now.as_datetime().with_timezone(&Utc).date_naive() + Duration::days(1);
    if day > tomorrow {
        return Err(StoreError::Validation(format!("{day} has not come yet: close today's shipping day")));
    }
    Ok(day)
}

/// Closes `day` with `api`'s carrier and records the close with its manifest.
pub async fn close_day<C: CarrierApi>(
    store: &Store,
    api: &C,
    day: NaiveDate,
    closed_by: Option<Uuid>,
) -> Result<DayCloseRecord, ShippingError> {
    let carrier = api.carrier();
    let date = day.format("%Y-%m-%d").to_string();
    let parcels = ground_labels_bought(store, carrier, day).await?;
    let closed = api.close_day(&date).await?;
    let manifest: Vec<u8> = closed.documents.iter().map(|d| d.content.as_slice()).collect::<Vec<_>>().join(&b"\n"[..]);
    let id = Uuid::now_v7();
    let now = Timestamp::now();
    let insert = "INSERT INTO carrier_day_closes (id, carrier, close_date, parcels, manifest, transaction_id, closed_by, \
                  created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)";
    with_pool!(&store.db, |p| sqlx::query(insert)
        .bind(id)
        .bind(carrier.as_str())
        .bind(&date)
        .bind(parcels)
        .bind(&manifest)
        .bind(closed.transaction_id.as_deref())
        .bind(closed_by)
        .bind(now)
        .execute(p)
        .await
        .map(|_| ()))
    .map_err(|e| {
        // The carrier closed the day: say where the manifest can be had again.
        StoreError::Validation(format!(
            "{} closed {date} but the close could not be recorded here ({}): reprint the manifest from {}",
            carrier.name(),
            StoreError::from_write("day close", e),
            carrier.name()
        ))
    })?;
    Ok(day_close(store, id).await?)
}

/// Ground labels of `carrier` bought on `day` (UTC) and not voided.
async fn ground_labels_bought(store: &Store, carrier: Carrier, day: NaiveDate) -> Result<i32, StoreError> {
    let from: Timestamp = day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().into();
    let to: Timestamp = (day + Duration::days(1)).and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().into();
    let sql = "SELECT count(*) FROM shipping_labels l JOIN shipments s ON s.id = l.shipment_id \
               WHERE l.carrier = $1 AND l.voided_at IS NULL AND l.deleted_at IS NULL \
               AND s.service_code IN ('FEDEX_GROUND', 'GROUND_HOME_DELIVERY') \
               AND l.created_at >= $2 AND l.created_at < $3";
    let n: i64 = with_pool!(&store.db, |p| sqlx::query_scalar(sql)
        .bind(carrier.as_str())
        .bind(from)
        .bind(to)
        .fetch_one(p)
        .await)?;
    Ok(i32::try_from(n).unwrap_or(i32::MAX))
}

/// One close.
pub async fn day_close(store: &Store, id: Uuid) -> Result<DayCloseRecord, StoreError> {
    let sql = format!("{RECORD} AND c.id = $1");
    with_pool!(&store.db, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?
        .ok_or(StoreError::NotFound { entity: "day close", id: id.to_string() })
}

/// The latest closes, newest first (at most `limit`, at most 200).
pub async fn day_closes(store: &Store, limit: u32) -> Result<Vec<DayCloseRecord>, StoreError> {
    let sql = format!("{RECORD} ORDER BY c.close_date DESC, c.created_at DESC LIMIT $1");
    Ok(with_pool!(&store.db, |p| sqlx::query_as(&sql).bind(i64::from(limit.clamp(1, 200))).fetch_all(p).await)?)
}

/// The manifest a close handed back, for a reprint.
pub async fn day_close_manifest(store: &Store, id: Uuid) -> Result<Vec<u8>, StoreError> {
    let sql = "SELECT manifest FROM carrier_day_closes WHERE id = $1 AND deleted_at IS NULL";
    with_pool!(&store.db, |p| sqlx::query_scalar(sql).bind(id).fetch_optional(p).await)?
        .ok_or(StoreError::NotFound { entity: "day close", id: id.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_written_as_a_date_and_not_beyond_tomorrow() {
        let now = Timestamp::parse("2026-12-04T23:30:00Z").unwrap();
        assert_eq!(shipping_day(" 2026-12-04 ", now).unwrap().to_string(), "2026-12-04");
        assert!(shipping_day("2026-12-05", now).is_ok(), "tomorrow in UTC is today west of it");
        assert!(shipping_day("2026-12-06", now).is_err());
        assert!(shipping_day("04/12/2026", now).is_err());
    }
}
