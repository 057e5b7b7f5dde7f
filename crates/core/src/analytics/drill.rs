//! The rows behind a dashboard figure: the orders counted, the products
//! handed in, the disputes opened, the payouts finished, the vendors and
//! customers who were active — paged in the database, newest (or largest)
//! first, each naming the kind of row so the desktop can open it.

use super::dashboard::{DashboardQuery, MetricKey, hours_between};
use crate::domain::Timestamp;
use crate::store::reports::SOLD;
use crate::store::sql::{Param, Sql, bind_as, bind_scalar};
use crate::store::{Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Rows per page at most.
pub const MAX_LIMIT: u32 = 500;

/// What a drill-down row is, so it can be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum DrillKind {
    /// An order.
    Order,
    /// A product.
    Product,
    /// A dispute.
    Dispute,
    /// A payout.
    Payout,
    /// A vendor.
    Vendor,
    /// A customer.
    Customer,
}

impl TryFrom<String> for DrillKind {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        serde_json::from_value(serde_json::Value::String(text.clone()))
            .map_err(|_| format!("no drill-down kind {text}"))
    }
}

/// One row behind a figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DrillRow {
    /// What it is.
    #[sqlx(try_from = "String")]
    pub kind: DrillKind,
    /// Its id.
    pub id: Uuid,
    /// Its name or number.
    pub label: String,
    /// Its state, or what it adds up to.
    pub detail: String,
    /// The amount it counts for, minor units of the dashboard's currency.
    pub amount_minor: Option<i64>,
    /// When it counted (placed, handed in, opened, paid …).
    pub at: Option<Timestamp>,
}

/// A page of the rows behind a figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DrillPage {
    /// The figure.
    pub metric: MetricKey,
    /// This page's rows.
    pub rows: Vec<DrillRow>,
    /// Rows in all.
    pub total: i64,
    /// Rows skipped before this page.
    pub offset: u32,
}

/// `SELECT` list, `FROM … WHERE …` (with `GROUP BY` where rows are grouped)
/// and `ORDER BY` of one figure's rows.
fn parts(q: &DashboardQuery, metric: MetricKey, start: Timestamp, end: Timestamp) -> (String, Sql, String) {
    let window = |sql: &mut Sql, column: &str| {
        sql.push(&format!(" AND {column} >= ")).bind(Param::Time(start));
        sql.push(&format!(" AND {column} < ")).bind(Param::Time(end));
    };
    let vendor_items = |sql: &mut Sql| {
        if let Some(v) = q.vendor_id {
            sql.push(" AND i.vendor_id = ").bind(Param::Uuid(v));
        }
    };
    match metric {
        MetricKey::Orders | MetricKey::Revenue | MetricKey::AverageOrderValue => {
            let mut sql = Sql::new(&format!(
                " FROM orders o JOIN order_items i ON i.order_id = o.id AND i.deleted_at IS NULL \
                 WHERE o.deleted_at IS NULL AND o.status IN {SOLD} AND o.currency = "
            ));
            sql.bind(Param::Currency(q.currency));
            window(&mut sql, "o.placed_at");
            vendor_items(&mut sql);
            sql.push(" GROUP BY o.id, o.number, o.status, o.placed_at");
            (
                "'order' AS kind, o.id AS id, o.number AS label, o.status AS detail, \
                 CAST(sum(i.subtotal_minor) AS BIGINT) AS amount_minor, o.placed_at AS at"
                    .into(),
                sql,
                "o.placed_at DESC, o.id DESC".into(),
            )
        }
        MetricKey::ApprovalConversion => {
            let mut sql = Sql::new(" FROM products p WHERE p.deleted_at IS NULL");
            window(&mut sql, "p.submitted_at");
            if let Some(v) = q.vendor_id {
                sql.push(" AND p.vendor_id = ").bind(Param::Uuid(v));
            }
            (
                "'product' AS kind, p.id AS id, p.name AS label, p.status AS detail, \
                 CAST(NULL AS BIGINT) AS amount_minor, p.submitted_at AS at"
                    .into(),
                sql,
                "p.submitted_at DESC, p.id DESC".into(),
            )
        }
        MetricKey::FulfilmentHours => {
            let mut sql = Sql::new(
                " FROM orders o JOIN shipments s ON s.order_id = o.id AND s.deleted_at IS NULL AND s.shipped_at IS NOT NULL \
                 WHERE o.deleted_at IS NULL AND o.paid_at IS NOT NULL AND o.currency = ",
            );
            sql.bind(Param::Currency(q.currency));
            window(&mut sql, "o.paid_at");
            if let Some(v) = q.vendor_id {
                sql.push(" AND s.vendor_id = ").bind(Param::Uuid(v));
            }
            sql.push(" GROUP BY o.id, o.number, o.paid_at");
            (
                "'order' AS kind, o.id AS id, o.number AS label, 'shipped' AS detail, \
                 CAST(NULL AS BIGINT) AS amount_minor, min(s.shipped_at) AS at"
                    .into(),
                sql,
                "o.paid_at DESC, o.id DESC".into(),
            )
        }
        MetricKey::DisputeRate => {
            let mut sql = Sql::new(
                " FROM disputes d JOIN orders o ON o.id = d.order_id WHERE d.deleted_at IS NULL AND o.currency = ",
            );
            sql.bind(Param::Currency(q.currency));
            window(&mut sql, "d.opened_at");
            if let Some(v) = q.vendor_id {
                sql.push(" AND d.vendor_id = ").bind(Param::Uuid(v));
            }
            (
                "'dispute' AS kind, d.id AS id, o.number AS label, d.kind || ' · ' || d.status AS detail, \
                 d.amount_minor AS amount_minor, d.opened_at AS at"
                    .into(),
                sql,
                "d.opened_at DESC, d.id DESC".into(),
            )
        }
        MetricKey::PayoutSuccess => {
            let mut sql = Sql::new(
                " FROM payouts po JOIN users u ON u.id = po.vendor_id WHERE po.deleted_at IS NULL \
                 AND po.status IN ('paid', 'failed') AND po.currency = ",
            );
            sql.bind(Param::Currency(q.currency));
            window(&mut sql, "coalesce(po.paid_at, po.updated_at)");
            if let Some(v) = q.vendor_id {
                sql.push(" AND po.vendor_id = ").bind(Param::Uuid(v));
            }
            (
                "'payout' AS kind, po.id AS id, u.display_name AS label, \
                 CASE WHEN po.status = 'paid' THEN 'sent' ELSE 'failed: ' || coalesce(po.failure_reason, 'no reason given') END AS detail, \
                 po.amount_minor AS amount_minor, coalesce(po.paid_at, po.updated_at) AS at"
                    .into(),
                sql,
                "coalesce(po.paid_at, po.updated_at) DESC, po.id DESC".into(),
            )
        }
        MetricKey::ActiveVendors | MetricKey::ActiveCustomers => {
            let (kind, who) = if metric == MetricKey::ActiveVendors {
                ("vendor", "i.vendor_id")
            } else {
                ("customer", "o.customer_id")
            };
            let mut sql = Sql::new(&format!(
                " FROM order_items i JOIN orders o ON o.id = i.order_id LEFT JOIN users u ON u.id = {who} \
                 WHERE o.deleted_at IS NULL AND i.deleted_at IS NULL AND o.status IN {SOLD} AND o.currency = "
            ));
            sql.bind(Param::Currency(q.currency));
            window(&mut sql, "o.placed_at");
            vendor_items(&mut sql);
            sql.push(&format!(" GROUP BY {who}"));
            (
                format!(
                    "'{kind}' AS kind, {who} AS id, coalesce(max(u.display_name), 'Someone') AS label, \
                     CAST(count(DISTINCT o.id) AS TEXT) || ' orders' AS detail, \
                     CAST(sum(i.subtotal_minor) AS BIGINT) AS amount_minor, max(o.placed_at) AS at"
                ),
                sql,
                "5 DESC, 2".into(),
            )
        }
    }
}

/// A page of the rows behind `metric` on the dashboard `q`.
pub async fn drill(
    store: &Store,
    q: &DashboardQuery,
    metric: MetricKey,
    offset: u32,
    limit: u32,
) -> Result<DrillPage, StoreError> {
    let (start, end) = q.bounds()?;
    let limit = limit.clamp(1, MAX_LIMIT);
    let (select, from, order) = parts(q, metric, start, end);
    let count =
        Sql { text: format!("SELECT count(*) FROM (SELECT 1 AS one{}) t", from.text), params: from.params.clone() };
    let total: i64 =
        with_pool!(&store.db, |p| bind_scalar(sqlx::query_scalar(&count.text), &count.params).fetch_one(p).await)?;
    let mut page = Sql { text: format!("SELECT {select}{}", from.text), params: from.params };
    page.push(&format!(" ORDER BY {order} LIMIT ")).bind(Param::I64(i64::from(limit)));
    page.push(" OFFSET ").bind(Param::I64(i64::from(offset)));
    let mut rows: Vec<DrillRow> =
        with_pool!(&store.db, |p| bind_as(sqlx::query_as(&page.text), &page.params).fetch_all(p).await)?;
    if metric == MetricKey::FulfilmentHours {
        hours_in_detail(store, &mut rows).await?;
    }
    Ok(DrillPage { metric, rows, total, offset })
}

/// Writes each order's hours from payment to its first parcel into its detail.
async fn hours_in_detail(store: &Store, rows: &mut [DrillRow]) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new("SELECT id, paid_at FROM orders WHERE paid_at IS NOT NULL AND id IN ");
    sql.bind_list(rows.iter().map(|r| Param::Uuid(r.id)));
    let paid: Vec<(Uuid, Timestamp)> =
        with_pool!(&store.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;
    let paid: std::collections::HashMap<Uuid, Timestamp> = paid.into_iter().collect();
    for row in rows.iter_mut() {
        if let (Some(paid), Some(shipped)) = (paid.get(&row.id), row.at) {
            row.detail = format!("shipped {} h after payment", hours_between(*paid, shipped));
        }
    }
    Ok(())
}
