//! Shipments as logistics works through them.

use super::page::{SortKey, SortValue, finish_query, into_page};
use super::sql::{Param, Sql, bind_as, search_pattern};
use super::{Page, PageRequest, SortDir, Store, StoreError, with_pool};
use crate::domain::{Carrier, ShipmentStatus, Timestamp};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;
use uuid::Uuid;

/// A shipment row with its order number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Shipment {
    /// Row id.
    pub id: Uuid,
    /// The order shipped.
    pub order_id: Uuid,
    /// That order's number.
    pub order_number: String,
    /// The vendor shipping it.
    pub vendor_id: Uuid,
    /// The vendor's display name (empty when the reader may not see it).
    pub vendor_name: String,
    /// Carrier code (`fedex`, `ups`, `local`, `pickup`).
    pub carrier: String,
    /// Carrier's tracking number, once a label exists.
    pub tracking_number: Option<String>,
    /// Lifecycle state.
    pub status: ShipmentStatus,
    /// When it left.
    pub shipped_at: Option<Timestamp>,
    /// When it arrived.
    pub delivered_at: Option<Timestamp>,
    /// When it was created.
    pub created_at: Timestamp,
    /// Optimistic-concurrency version.
    pub version: i64,
    /// When its order was placed (how long the parcel has waited).
    pub placed_at: Timestamp,
    /// Where it goes (ISO 3166 alpha-2; `None` when the reader may not see the address).
    pub ship_to_country: Option<String>,
    /// Its carrier sells labels over an API (bought online, with an
    /// account); otherwise the label is issued here with no network.
    pub sells_labels: bool,
}

/// Narrows the shipments list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ShipmentFilter {
    /// Only these statuses; empty for all.
    pub statuses: Vec<ShipmentStatus>,
    /// Only this carrier.
    pub carrier: Option<String>,
    /// Only this vendor's shipments.
    pub vendor_id: Option<Uuid>,
    /// Only this order's shipments.
    pub order_id: Option<Uuid>,
    /// Text in the tracking number or order number.
    pub search: Option<String>,
    /// Only these parcels (a selection); empty for all.
    #[serde(default)]
    pub ids: Vec<Uuid>,
    /// Only parcels of orders placed before this time (waiting longer).
    #[serde(default)]
    pub placed_before: Option<Timestamp>,
    /// Only parcels going to this country (ISO 3166 alpha-2, e.g. `DE`).
    #[serde(default)]
    pub country: Option<String>,
}

impl ShipmentFilter {
    /// The destination country asked for, checked: two letters, upper-cased.
    fn country(&self) -> Result<Option<String>, StoreError> {
        let Some(c) = self.country.as_deref().map(str::trim).filter(|c| !c.is_empty()) else { return Ok(None) };
        if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(Some(c.to_ascii_uppercase()))
        } else {
            Err(StoreError::Validation(format!("“{c}” is not a country code: give two letters, such as DE or US")))
        }
    }
}

/// Parcels in one selection at most (a selection is a handful of rows picked by hand).
pub const MAX_SELECTION: usize = 1_000;

/// How the shipments list is sorted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ShipmentSort {
    /// By creation time.
    #[default]
    CreatedAt,
}

impl SortKey for ShipmentSort {
    fn name(&self) -> &'static str {
        "created_at"
    }
    fn column(&self) -> &'static str {
        "s.created_at"
    }
}

/// The columns of a [`Shipment`], for queries that return whole rows.
static SHIPMENT_ROW: LazyLock<String> = LazyLock::new(|| {
    // Which carriers sell labels is the domain's word, not the query's.
    let selling: Vec<String> =
        Carrier::ALL.iter().filter(|c| c.sells_labels()).map(|c| format!("'{}'", c.as_str())).collect();
    format!(
        "SELECT s.id, s.order_id, o.number AS order_number, s.vendor_id, \
         coalesce((SELECT u.display_name FROM users u WHERE u.id = s.vendor_id), '') AS vendor_name, s.carrier, \
         s.tracking_number, s.status, s.shipped_at, s.delivered_at, s.created_at, s.version, o.placed_at, \
         (SELECT a.country FROM shipping_addresses a WHERE a.id = s.ship_to_address_id) AS ship_to_country, \
         s.carrier IN ({}) AS sells_labels \
         FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.deleted_at IS NULL",
        selling.join(", ")
    )
});

impl Store {
    /// The parcels a scanned code names: an order number (`MD-000123`, any
    /// case), a parcel's own reference (`MD-000123-2`) or a tracking number —
    /// the order's parcels in creation order.
    pub async fn parcels_for_code(&self, code: &str) -> Result<Vec<Shipment>, StoreError> {
        let code = code.trim();
        if code.is_empty() || code.len() > 64 {
            return Ok(Vec::new());
        }
        let by_order = format!("{} AND upper(o.number) = upper($1) ORDER BY s.created_at, s.id", *SHIPMENT_ROW);
        let rows: Vec<Shipment> = with_pool!(&self.db, |p| sqlx::query_as(&by_order).bind(code).fetch_all(p).await)?;
        if !rows.is_empty() {
            return Ok(rows);
        }
        let by_tracking = format!("{} AND s.tracking_number = $1 ORDER BY s.created_at, s.id", *SHIPMENT_ROW);
        let rows: Vec<Shipment> = with_pool!(&self.db, |p| sqlx::query_as(&by_tracking).bind(code).fetch_all(p).await)?;
        if !rows.is_empty() {
            return Ok(rows);
        }
        // A parcel's reference: the order's number, a dash, its place among the order's parcels.
        let Some((number, ordinal)) = code.rsplit_once('-').and_then(|(n, i)| Some((n, i.parse::<usize>().ok()?)))
        else {
            return Ok(Vec::new());
        };
        let all: Vec<Shipment> = with_pool!(&self.db, |p| sqlx::query_as(&by_order).bind(number).fetch_all(p).await)?;
        Ok(ordinal.checked_sub(1).and_then(|i| all.into_iter().nth(i)).into_iter().collect())
    }

    /// A page of shipments.
    pub async fn list_shipments(
        &self,
        filter: &ShipmentFilter,
        page: &PageRequest<ShipmentSort>,
    ) -> Result<Page<Shipment>, StoreError> {
        let mut sql = Sql::new(&SHIPMENT_ROW);
        if !filter.statuses.is_empty() {
            sql.push(" AND s.status IN ").bind_list(filter.statuses.iter().map(|x| Param::Text(x.as_str().into())));
        }
        if let Some(c) = filter.carrier.as_deref() {
            sql.push(" AND s.carrier = ").bind(Param::Text(c.into()));
        }
        if let Some(v) = filter.vendor_id {
            sql.push(" AND s.vendor_id = ").bind(Param::Uuid(v));
        }
        if let Some(o) = filter.order_id {
            sql.push(" AND s.order_id = ").bind(Param::Uuid(o));
        }
        if !filter.ids.is_empty() {
            if filter.ids.len() > MAX_SELECTION {
                return Err(StoreError::Validation(format!(
                    "{} parcels selected: select {MAX_SELECTION} at most, or use the filters",
                    filter.ids.len()
                )));
            }
            sql.push(" AND s.id IN ").bind_list(filter.ids.iter().map(|id| Param::Uuid(*id)));
        }
        if let Some(t) = filter.placed_before {
            sql.push(" AND o.placed_at < ").bind(Param::Time(t));
        }
        if let Some(c) = filter.country()? {
            sql.push(
                " AND EXISTS (SELECT 1 FROM shipping_addresses a WHERE a.id = s.ship_to_address_id AND a.country = ",
            )
            .bind(Param::Text(c))
            .push(")");
        }
        if let Some(pattern) = search_pattern(filter.search.as_deref())? {
            sql.push(" AND (lower(s.tracking_number) LIKE ").bind(pattern.clone());
            sql.push(" ESCAPE '\\' OR lower(o.number) LIKE ").bind(pattern).push(" ESCAPE '\\')");
        }
        finish_query(&mut sql, page, "s.id")?;
        let rows: Vec<Shipment> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;
        Ok(into_page(rows, page, |r: &Shipment| (SortValue::from(r.created_at), r.id)))
    }

    /// The countries parcels may go to (where buyers have addresses), sorted:
    /// the destination filter's choices.
    pub async fn shipment_destinations(&self) -> Result<Vec<String>, StoreError> {
        let sql = "SELECT DISTINCT country FROM shipping_addresses WHERE deleted_at IS NULL ORDER BY country";
        Ok(with_pool!(&self.db, |p| sqlx::query_scalar(sql).fetch_all(p).await)?)
    }

    /// Every shipment `filter` matches, oldest first; refused beyond `cap`
    /// (the caller names what to narrow).
    pub async fn all_shipments(&self, filter: &ShipmentFilter, cap: usize) -> Result<Vec<Shipment>, StoreError> {
        let mut all = Vec::new();
        let mut after = None;
        loop {
            let page =
                PageRequest { sort: ShipmentSort::CreatedAt, dir: SortDir::Asc, after: after.take(), limit: 500 };
            let got = self.list_shipments(filter, &page).await?;
            all.extend(got.items);
            if all.len() > cap {
                return Err(StoreError::Validation(format!(
                    "these filters match more than {cap} parcels: narrow them (a status, a carrier, a vendor)"
                )));
            }
            match got.next_cursor {
                Some(cursor) => after = Some(cursor),
                None => return Ok(all),
            }
        }
    }

    /// Moves `id` from `from` to `to` if it is still at `from` (the
    /// lifecycle is checked by the caller); false when it was not.
    pub(crate) async fn advance_shipment(
        &self,
        id: Uuid,
        from: ShipmentStatus,
        to: ShipmentStatus,
    ) -> Result<bool, StoreError> {
        let now = Timestamp::now();
        let affected = with_pool!(&self.db, |p| {
            sqlx::query(
                "UPDATE shipments SET status = $3, version = version + 1, updated_at = $4, \
                 handed_over_at = CASE WHEN $3 = 'handed_over' THEN $4 ELSE handed_over_at END \
                 WHERE id = $1 AND status = $2 AND deleted_at IS NULL",
            )
            .bind(id)
            .bind(from)
            .bind(to)
            .bind(now)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })
        .map_err(|e| StoreError::from_write("shipment", e))?;
        Ok(affected == 1)
    }
}
