//! Rows of label purchases and the labels they bought: an attempt opened
//! before the carrier is called, closed with the label (label, shipment and
//! attempt in one transaction) or with the failure; a label voided with its
//! shipment put back to pending, also in one transaction.

use super::write_tx::{WriteTx, with_tx};
use super::{BeginWrite, Store, StoreError, with_pool};
use crate::domain::{Carrier, LabelPurchaseState, ShipmentStatus, Timestamp, new_id};
use serde::Serialize;
use uuid::Uuid;

/// One attempt to buy a label, as the shipment's panel shows it.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LabelPurchase {
    /// Row id.
    pub id: Uuid,
    /// The shipment.
    pub shipment_id: Uuid,
    /// The carrier asked.
    pub carrier: Carrier,
    /// The carrier's service code.
    pub service_code: String,
    /// Our reference sent with the request (how the carrier finds it).
    pub reference: String,
    /// `zpl` or `pdf`.
    pub label_format: String,
    /// Where the attempt stands.
    pub state: LabelPurchaseState,
    /// Who asked.
    pub requested_by: Option<Uuid>,
    /// The tracking number bought.
    pub tracking_number: Option<String>,
    /// The label bought.
    pub label_id: Option<Uuid>,
    /// What the carrier charged, in minor units.
    pub cost_minor: Option<i64>,
    /// Its currency.
    pub currency: Option<String>,
    /// The carrier's transaction id.
    pub carrier_transaction_id: Option<String>,
    /// The carrier's error code.
    pub error_code: Option<String>,
    /// What went wrong, in words.
    pub error_message: Option<String>,
    /// How a person settled an uncertain attempt.
    pub resolution: Option<String>,
    /// When it was opened.
    pub created_at: Timestamp,
    /// Last change.
    pub updated_at: Timestamp,
    /// Optimistic-concurrency version.
    pub version: i64,
}

const COLUMNS: &str = "id, shipment_id, carrier, service_code, reference, label_format, state, requested_by, \
    tracking_number, label_id, cost_minor, currency, carrier_transaction_id, error_code, error_message, resolution, \
    created_at, updated_at, version";

/// A label a shipment holds (not voided).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct LiveLabel {
    /// Row id.
    pub id: Uuid,
    /// Who sold it.
    pub carrier: Carrier,
    /// `zpl`, `pdf` or `png`.
    pub format: String,
    /// The carrier's drawing, when bought (the local carrier's is drawn when printed).
    pub label_data: Option<Vec<u8>>,
    /// Its tracking number.
    pub tracking_number: Option<String>,
    /// The carrier's shipment id, for voiding.
    pub carrier_label_id: Option<String>,
    /// When it was bought.
    pub created_at: Timestamp,
}

/// A label to record against an attempt.
#[derive(Debug, Clone)]
pub struct LabelBought<'a> {
    /// The label's page language (`zpl`, `pdf`).
    pub format: &'a str,
    /// Its bytes; none for the local carrier's.
    pub data: Option<&'a [u8]>,
    /// Tracking number.
    pub tracking_number: &'a str,
    /// The carrier's shipment id.
    pub carrier_shipment_id: Option<&'a str>,
    /// Cost in minor units and currency (zero in the shipment's currency when unknown).
    pub cost: Option<(i64, &'a str)>,
    /// The carrier's transaction id.
    pub transaction_id: Option<&'a str>,
}

/// How an attempt ended without a label.
#[derive(Debug, Clone)]
pub struct AttemptFailure<'a> {
    /// `failed` or `uncertain`.
    pub state: LabelPurchaseState,
    /// The carrier's code.
    pub code: Option<&'a str>,
    /// Plain words.
    pub message: &'a str,
    /// The carrier's transaction id.
    pub transaction_id: Option<&'a str>,
}

impl Store {
    /// One attempt.
    pub async fn label_purchase(&self, id: Uuid) -> Result<LabelPurchase, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM label_purchases WHERE id = $1");
        with_pool!(&self.db, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?
            .ok_or_else(|| StoreError::NotFound { entity: "label purchase", id: id.to_string() })
    }

    /// A shipment's attempts, newest first.
    pub async fn label_purchases(&self, shipment: Uuid) -> Result<Vec<LabelPurchase>, StoreError> {
        let sql =
            format!("SELECT {COLUMNS} FROM label_purchases WHERE shipment_id = $1 ORDER BY created_at DESC, id DESC");
        Ok(with_pool!(&self.db, |p| sqlx::query_as(&sql).bind(shipment).fetch_all(p).await)?)
    }

    /// Attempts in `state` last changed before `before`, oldest first.
    pub async fn label_purchases_in(
        &self,
        state: LabelPurchaseState,
        before: Timestamp,
    ) -> Result<Vec<LabelPurchase>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM label_purchases WHERE state = $1 AND updated_at < $2 ORDER BY updated_at, id"
        );
        Ok(with_pool!(&self.db, |p| sqlx::query_as(&sql).bind(state).bind(before).fetch_all(p).await)?)
    }

    /// The label `shipment` holds, if any.
    pub async fn live_label(&self, shipment: Uuid) -> Result<Option<LiveLabel>, StoreError> {
        let sql = "SELECT id, carrier, format, label_data, tracking_number, carrier_label_id, created_at \
                   FROM shipping_labels WHERE shipment_id = $1 AND status <> 'voided' AND deleted_at IS NULL \
                   ORDER BY created_at DESC LIMIT 1";
        Ok(with_pool!(&self.db, |p| sqlx::query_as(sql).bind(shipment).fetch_optional(p).await)?)
    }

    /// Opens an attempt for `shipment`, which must be pending with no label
    /// and no other open attempt (the database's unique index decides a race).
    pub(crate) async fn open_label_purchase(
        &self,
        shipment: Uuid,
        carrier: Carrier,
        service_code: &str,
        label_format: &str,
        requested_by: Option<Uuid>,
    ) -> Result<LabelPurchase, StoreError> {
        let id = new_id();
        let now = Timestamp::now();
        with_pool!(&self.db, |p| {
            let mut tx = p.begin_write().await?;
            let row: Option<(ShipmentStatus, String)> = sqlx::query_as(
                "SELECT s.status, o.number FROM shipments s JOIN orders o ON o.id = s.order_id \
                 WHERE s.id = $1 AND s.deleted_at IS NULL",
            )
            .bind(shipment)
            .fetch_optional(&mut *tx)
            .await?;
            let (status, number) =
                row.ok_or_else(|| StoreError::NotFound { entity: "shipment", id: shipment.to_string() })?;
            let labels: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM shipping_labels WHERE shipment_id = $1 AND status <> 'voided' AND deleted_at IS NULL",
            )
            .bind(shipment)
            .fetch_one(&mut *tx)
            .await?;
            if status != ShipmentStatus::Pending || labels > 0 {
                return Err(StoreError::Validation(format!(
                    "this parcel is {} and already has a label: void it first to buy another",
                    status.as_str().replace('_', " ")
                )));
            }
            let attempts: i64 = sqlx::query_scalar("SELECT count(*) FROM label_purchases WHERE shipment_id = $1")
                .bind(shipment)
                .fetch_one(&mut *tx)
                .await?;
            let reference = format!("{number}-{}", attempts + 1);
            sqlx::query(
                "INSERT INTO label_purchases (id, shipment_id, carrier, service_code, reference, label_format, state, \
                 requested_by, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'attempting', $7, 1, $8, $8)",
            )
            .bind(id)
            .bind(shipment)
            .bind(carrier)
            .bind(service_code)
            .bind(&reference)
            .bind(label_format)
            .bind(requested_by)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|e| match StoreError::from_write("label purchase", e) {
                StoreError::Duplicate { .. } => StoreError::Validation(
                    "another label purchase for this parcel is in progress or uncertain: settle it first".into(),
                ),
                other => other,
            })?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.label_purchase(id).await
    }

    /// Records what `attempt` bought: the label, the shipment's tracking
    /// number and status, and the attempt closed — all or nothing. False when
    /// the attempt was already closed (by someone settling it meanwhile).
    pub(crate) async fn record_bought_label(
        &self,
        attempt: &LabelPurchase,
        label: &LabelBought<'_>,
    ) -> Result<bool, StoreError> {
        let label_id = new_id();
        let now = Timestamp::now();
        with_pool!(&self.db, |p| {
            let mut tx = p.begin_write().await?;
            let closed = sqlx::query(
                "UPDATE label_purchases SET state = 'purchased', label_id = $2, tracking_number = $3, cost_minor = $4, \
                 currency = $5, carrier_transaction_id = $6, version = version + 1, updated_at = $7 \
                 WHERE id = $1 AND state IN ('attempting', 'uncertain')",
            );
            // The label row goes in first so the attempt can point at it.
            let currency: Option<String> = match label.cost {
                Some((_, c)) => Some(c.to_owned()),
                None => {
                    sqlx::query_scalar("SELECT currency FROM shipments WHERE id = $1")
                        .bind(attempt.shipment_id)
                        .fetch_optional(&mut *tx)
                        .await?
                }
            };
            let cost = label.cost.map(|(m, _)| m).unwrap_or(0);
            sqlx::query(
                "INSERT INTO shipping_labels (id, shipment_id, carrier, format, label_data, tracking_number, cost_minor, \
                 currency, status, purchased_by, carrier_label_id, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'purchased', $9, $10, 1, $11, $11)",
            )
            .bind(label_id)
            .bind(attempt.shipment_id)
            .bind(attempt.carrier)
            .bind(label.format)
            .bind(label.data)
            .bind(label.tracking_number)
            .bind(cost)
            .bind(currency.as_deref().unwrap_or("USD"))
            .bind(attempt.requested_by)
            .bind(label.carrier_shipment_id)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|e| StoreError::from_write("shipping label", e))?;
            let affected = closed
                .bind(attempt.id)
                .bind(label_id)
                .bind(label.tracking_number)
                .bind(label.cost.map(|(m, _)| m))
                .bind(label.cost.map(|(_, c)| c))
                .bind(label.transaction_id)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if affected == 0 {
                return Ok(false);
            }
            let moved = sqlx::query(
                "UPDATE shipments SET status = 'label_purchased', tracking_number = $2, version = version + 1, \
                 updated_at = $3 WHERE id = $1 AND status = 'pending'",
            )
            .bind(attempt.shipment_id)
            .bind(label.tracking_number)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|e| StoreError::from_write("shipment", e))?
            .rows_affected();
            if moved == 0 {
                return Err(StoreError::Validation("the parcel changed while its label was bought".into()));
            }
            tx.commit().await?;
            Ok::<_, StoreError>(true)
        })
    }

    /// Closes `attempt` without a label (`failed` or `uncertain`) if it is
    /// still at `from`.
    pub(crate) async fn close_label_purchase(
        &self,
        attempt: Uuid,
        from: LabelPurchaseState,
        failure: &AttemptFailure<'_>,
    ) -> Result<bool, StoreError> {
        if !from.can_become(failure.state) {
            return Err(StoreError::Validation(format!("a label purchase cannot go from {from} to {}", failure.state)));
        }
        let now = Timestamp::now();
        let affected = with_pool!(&self.db, |p| {
            sqlx::query(
                "UPDATE label_purchases SET state = $3, error_code = $4, error_message = $5, \
                 carrier_transaction_id = coalesce($6, carrier_transaction_id), version = version + 1, updated_at = $7 \
                 WHERE id = $1 AND state = $2",
            )
            .bind(attempt)
            .bind(from)
            .bind(failure.state)
            .bind(failure.code)
            .bind(failure.message)
            .bind(failure.transaction_id)
            .bind(now)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })
        .map_err(|e| StoreError::from_write("label purchase", e))?;
        Ok(affected == 1)
    }

    /// Settles an uncertain attempt as `to` (`failed`: nothing was bought;
    /// `voided`: what was bought was voided at the carrier) with a person's words.
    pub(crate) async fn settle_label_purchase(
        &self,
        attempt: Uuid,
        to: LabelPurchaseState,
        resolution: &str,
        resolved_by: Option<Uuid>,
    ) -> Result<bool, StoreError> {
        let now = Timestamp::now();
        let affected = with_pool!(&self.db, |p| {
            sqlx::query(
                "UPDATE label_purchases SET state = $2, resolution = $3, resolved_by = $4, version = version + 1, \
                 updated_at = $5 WHERE id = $1 AND state = 'uncertain'",
            )
            .bind(attempt)
            .bind(to)
            .bind(resolution)
            .bind(resolved_by)
            .bind(now)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })
        .map_err(|e| StoreError::from_write("label purchase", e))?;
        Ok(affected == 1)
    }

    /// Marks `label` voided, its attempt voided and its shipment pending with
    /// no tracking number, in one transaction; the shipment must still hold
    /// the label unused (`label_purchased` or `printed`).
    pub(crate) async fn record_voided_label(&self, shipment: Uuid, label: Uuid) -> Result<(), StoreError> {
        let now = Timestamp::now();
        with_pool!(&self.db, |p| {
            let mut tx = p.begin_write().await?;
            let voided = sqlx::query(
                "UPDATE shipping_labels SET status = 'voided', voided_at = $2, version = version + 1, updated_at = $2 \
                 WHERE id = $1 AND status <> 'voided'",
            )
            .bind(label)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if voided == 0 {
                return Err(StoreError::Validation("this label is already voided".into()));
            }
            sqlx::query(
                "UPDATE label_purchases SET state = 'voided', version = version + 1, updated_at = $2 \
                 WHERE label_id = $1 AND state = 'purchased'",
            )
            .bind(label)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let moved = sqlx::query(
                "UPDATE shipments SET status = 'pending', tracking_number = NULL, version = version + 1, updated_at = $2 \
                 WHERE id = $1 AND status IN ('label_purchased', 'printed')",
            )
            .bind(shipment)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if moved == 0 {
                return Err(StoreError::Validation(
                    "the parcel has been handed over; its label can no longer be voided".into(),
                ));
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }
}

/// What a carrier is told about a parcel: who sends it, who receives it,
/// its weight, and where it stands.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ParcelRoute {
    /// The shipment's carrier.
    pub carrier: Carrier,
    /// Its service code.
    pub service_code: String,
    /// Lifecycle state.
    pub status: ShipmentStatus,
    /// Weight in grams.
    pub weight_grams: i32,
    /// The shipment's currency.
    pub currency: String,
    /// The vendor's business (or display) name.
    pub from_name: String,
    /// The vendor's telephone.
    pub from_phone: Option<String>,
    /// Street lines.
    pub from_line1: Option<String>,
    /// Second street line.
    pub from_line2: Option<String>,
    /// City.
    pub from_city: Option<String>,
    /// Region.
    pub from_region: Option<String>,
    /// Postcode.
    pub from_postcode: Option<String>,
    /// Country.
    pub from_country: Option<String>,
    /// Recipient.
    pub to_name: String,
    /// Recipient's company.
    pub to_company: Option<String>,
    /// Recipient's telephone.
    pub to_phone: Option<String>,
    /// Street line.
    pub to_line1: String,
    /// Second street line.
    pub to_line2: Option<String>,
    /// City.
    pub to_city: String,
    /// Region.
    pub to_region: Option<String>,
    /// Postcode.
    pub to_postcode: String,
    /// Country.
    pub to_country: String,
}

impl Store {
    /// `shipment`'s version now (a label issued at once is based on it).
    pub async fn parcel_version(&self, shipment: Uuid) -> Result<i64, StoreError> {
        let sql = "SELECT version FROM shipments WHERE id = $1 AND deleted_at IS NULL";
        with_pool!(&self.db, |p| sqlx::query_scalar(sql).bind(shipment).fetch_optional(p).await)?
            .ok_or_else(|| StoreError::NotFound { entity: "shipment", id: shipment.to_string() })
    }

    /// `shipment`'s route as a carrier needs it.
    pub async fn parcel_route(&self, shipment: Uuid) -> Result<ParcelRoute, StoreError> {
        with_pool!(&self.db, |p| sqlx::query_as(PARCEL_ROUTE).bind(shipment).fetch_optional(p).await)?
            .ok_or_else(|| StoreError::NotFound { entity: "shipment", id: shipment.to_string() })
    }
}

/// `shipment`'s route, read inside a write transaction.
pub(crate) async fn parcel_route_in(tx: &mut WriteTx<'_>, shipment: Uuid) -> Result<ParcelRoute, StoreError> {
    with_tx!(tx, |c| sqlx::query_as(PARCEL_ROUTE).bind(shipment).fetch_optional(&mut *c).await)?
        .ok_or_else(|| StoreError::NotFound { entity: "shipment", id: shipment.to_string() })
}

const PARCEL_ROUTE: &str = "SELECT s.carrier, s.service_code, s.status, s.weight_grams, s.currency, \
             coalesce(p.business_name, u.display_name, '') AS from_name, p.phone AS from_phone, \
             p.address_line1 AS from_line1, p.address_line2 AS from_line2, p.city AS from_city, \
             p.region AS from_region, p.postal_code AS from_postcode, p.country AS from_country, \
             a.recipient_name AS to_name, a.company AS to_company, a.phone AS to_phone, a.line1 AS to_line1, \
             a.line2 AS to_line2, a.city AS to_city, a.region AS to_region, a.postal_code AS to_postcode, \
             a.country AS to_country \
             FROM shipments s JOIN shipping_addresses a ON a.id = s.ship_to_address_id \
             LEFT JOIN users u ON u.id = s.vendor_id \
             LEFT JOIN user_profiles p ON p.user_id = s.vendor_id AND p.deleted_at IS NULL \
             WHERE s.id = $1 AND s.deleted_at IS NULL";
