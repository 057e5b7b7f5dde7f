//! The business dashboard: orders, revenue, average order value, conversion
//! of product approvals, fulfilment time (paid → first parcel shipped),
//! dispute rate, payout success rate, active vendors and customers — for the
//! whole marketplace or one vendor, over a period beside the period of the
//! same length just before it, with the days behind the charts. Figures come
//! from the business rows themselves (sales from the rollups the revenue
//! report reads), so the dashboard gives the same answer on both engines and
//! on a local copy offline.

use crate::domain::periods::Grain;
use crate::domain::{Currency, Role, Timestamp};
use crate::orders::view::Reader;
use crate::store::reports::{self, RevenueQuery, RevenueReport, SOLD, day_bound};
use crate::store::sql::{Param, Sql, bind_as};
use crate::store::{Store, StoreError, with_pool};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Most days one dashboard period may span (two years).
pub const MAX_DAYS: i64 = 731;

/// What a dashboard covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DashboardQuery {
    /// First day of the period (UTC), included.
    pub from: NaiveDate,
    /// Last day of the period, included.
    pub to: NaiveDate,
    /// Amounts in this currency (currencies are never added together).
    pub currency: Currency,
    /// One vendor's own figures; none: the whole marketplace.
    pub vendor_id: Option<Uuid>,
}

/// The figures a dashboard shows, each with a drill-down of its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum MetricKey {
    /// Paid orders placed in the period.
    Orders,
    /// Gross merchandise value of those orders.
    Revenue,
    /// Revenue per order.
    AverageOrderValue,
    /// Of the products handed in for review in the period, the share approved.
    ApprovalConversion,
    /// Median hours from payment to the first parcel shipped.
    FulfilmentHours,
    /// Disputes opened per order placed in the period.
    DisputeRate,
    /// Payouts sent among those finished (sent or failed) in the period.
    PayoutSuccess,
    /// Vendors who sold something in the period.
    ActiveVendors,
    /// Customers who bought in the period.
    ActiveCustomers,
}

/// How a figure is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum MetricUnit {
    /// A count.
    Count,
    /// Minor units of the dashboard's currency.
    Money,
    /// Basis points (10 000 = 100 %).
    Ratio,
    /// Whole hours.
    Hours,
}

/// One figure of a period beside the previous one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Metric {
    /// Which figure.
    pub key: MetricKey,
    /// Its name as people read it.
    pub label: String,
    /// How it is written.
    pub unit: MetricUnit,
    /// The period's value (none: nothing to measure, e.g. no payout finished).
    pub value: Option<i64>,
    /// The previous period's value.
    pub previous: Option<i64>,
    /// Change against the previous period in basis points (none when either
    /// value is missing or the previous one is zero).
    pub change_bps: Option<i64>,
    /// What the figure counts from, e.g. "12 of 15 products".
    pub basis: String,
    /// Whether a rise is good news (false for dispute rate and fulfilment time).
    pub higher_is_better: bool,
}

/// One day of the charts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DayPoint {
    /// The day (`YYYY-MM-DD`).
    pub day: String,
    /// Paid orders placed that day.
    pub orders: i64,
    /// Their gross value, minor units.
    pub revenue_minor: i64,
}

/// A dashboard: the figures and the days of both periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Dashboard {
    /// What was asked.
    pub query: DashboardQuery,
    /// First day of the period compared with.
    pub previous_from: NaiveDate,
    /// Last day of the period compared with.
    pub previous_to: NaiveDate,
    /// The figures, in the order they are shown.
    pub metrics: Vec<Metric>,
    /// Every day of the period, days without sales as zeros.
    pub days: Vec<DayPoint>,
    /// Every day of the previous period, aligned with `days`.
    pub previous_days: Vec<DayPoint>,
}

/// The raw figures of one period.
#[derive(Debug, Default, Clone, Copy)]
struct Figures {
    orders: i64,
    revenue: i64,
    submitted: i64,
    approved: i64,
    fulfilment_hours: Option<i64>,
    shipped_orders: i64,
    disputes: i64,
    payouts_sent: i64,
    payouts_failed: i64,
    vendors: i64,
    customers: i64,
}

impl DashboardQuery {
    /// The period's `[start, end)` instants, refused when backwards or too long.
    pub(crate) fn bounds(&self) -> Result<(Timestamp, Timestamp), StoreError> {
        let days = (self.to - self.from).num_days() + 1;
        if days < 1 {
            return Err(StoreError::Validation("the dashboard's period ends before it starts".into()));
        }
        if days > MAX_DAYS {
            return Err(StoreError::Validation(format!(
                "a dashboard period is at most {MAX_DAYS} days, this one is {days}"
            )));
        }
        Ok((midnight(self.from)?, midnight(self.to.succ_opt().unwrap_or(self.to))?))
    }

    /// The period of the same length just before.
    pub fn previous(&self) -> DashboardQuery {
        let days = (self.to - self.from).num_days() + 1;
        let to = self.from.pred_opt().unwrap_or(self.from);
        let from = to - chrono::Duration::days(days - 1);
        DashboardQuery { from, to, ..self.clone() }
    }
}

fn midnight(day: NaiveDate) -> Result<Timestamp, StoreError> {
    reports::midnight(day).ok_or_else(|| StoreError::Validation(format!("{day} has no midnight")))
}

/// Whole hours from `paid` to `shipped` (none below zero).
pub(crate) fn hours_between(paid: Timestamp, shipped: Timestamp) -> i64 {
    (shipped.unix_micros() - paid.unix_micros()).max(0) / 3_600_000_000
}

/// `q` as `reader` may see it: admins and finance the marketplace or any
/// vendor, a vendor only its own figures, logistics none.
pub fn scope_for(reader: &Reader, q: &DashboardQuery) -> Result<DashboardQuery, StoreError> {
    match reader.role {
        Role::Admin | Role::Finance => Ok(q.clone()),
        Role::Vendor => Ok(DashboardQuery { vendor_id: Some(reader.id), ..q.clone() }),
        _ => Err(StoreError::AccessDenied("the dashboards are for admins, finance and vendors".into())),
    }
}

/// The dashboard for `q`.
pub async fn dashboard(store: &Store, q: &DashboardQuery) -> Result<Dashboard, StoreError> {
    q.bounds()?;
    let before = q.previous();
    let (now, now_days) = figures(store, q).await?;
    let (then, then_days) = figures(store, &before).await?;
    let ratio = |part: i64, whole: i64| (whole > 0).then(|| part * 10_000 / whole);
    let mut metrics = vec![
        metric(
            MetricKey::Orders,
            MetricUnit::Count,
            Some(now.orders),
            Some(then.orders),
            format!("{} paid orders", now.orders),
        ),
        metric(
            MetricKey::Revenue,
            MetricUnit::Money,
            Some(now.revenue),
            Some(then.revenue),
            format!("from {} orders", now.orders),
        ),
        metric(
            MetricKey::AverageOrderValue,
            MetricUnit::Money,
            (now.orders > 0).then(|| now.revenue / now.orders),
            (then.orders > 0).then(|| then.revenue / then.orders),
            format!("{} over {} orders", now.revenue, now.orders),
        ),
        metric(
            MetricKey::ApprovalConversion,
            MetricUnit::Ratio,
            ratio(now.approved, now.submitted),
            ratio(then.approved, then.submitted),
            format!("{} of {} products handed in", now.approved, now.submitted),
        ),
        metric(
            MetricKey::FulfilmentHours,
            MetricUnit::Hours,
            now.fulfilment_hours,
            then.fulfilment_hours,
            format!("median of {} shipped orders", now.shipped_orders),
        ),
        metric(
            MetricKey::DisputeRate,
            MetricUnit::Ratio,
            ratio(now.disputes, now.orders),
            ratio(then.disputes, then.orders),
            format!("{} disputes for {} orders", now.disputes, now.orders),
        ),
        metric(
            MetricKey::PayoutSuccess,
            MetricUnit::Ratio,
            ratio(now.payouts_sent, now.payouts_sent + now.payouts_failed),
            ratio(then.payouts_sent, then.payouts_sent + then.payouts_failed),
            format!("{} sent, {} failed", now.payouts_sent, now.payouts_failed),
        ),
    ];
    if q.vendor_id.is_none() {
        metrics.push(metric(
            MetricKey::ActiveVendors,
            MetricUnit::Count,
            Some(now.vendors),
            Some(then.vendors),
            "vendors with a sale".into(),
        ));
    }
    metrics.push(metric(
        MetricKey::ActiveCustomers,
        MetricUnit::Count,
        Some(now.customers),
        Some(then.customers),
        "customers with a paid order".into(),
    ));
    Ok(Dashboard {
        query: q.clone(),
        previous_from: before.from,
        previous_to: before.to,
        metrics,
        days: now_days,
        previous_days: then_days,
    })
}

fn metric(key: MetricKey, unit: MetricUnit, value: Option<i64>, previous: Option<i64>, basis: String) -> Metric {
    let change_bps = match (value, previous) {
        (Some(v), Some(p)) if p != 0 => Some((v - p) * 10_000 / p.abs()),
        _ => None,
    };
    let higher_is_better = !matches!(key, MetricKey::DisputeRate | MetricKey::FulfilmentHours);
    Metric { key, label: label(key).to_owned(), unit, value, previous, change_bps, basis, higher_is_better }
}

/// The name people read for `key`.
pub fn label(key: MetricKey) -> &'static str {
    match key {
        MetricKey::Orders => "Orders",
        MetricKey::Revenue => "Revenue",
        MetricKey::AverageOrderValue => "Average order value",
        MetricKey::ApprovalConversion => "Approval conversion",
        MetricKey::FulfilmentHours => "Fulfilment time",
        MetricKey::DisputeRate => "Dispute rate",
        MetricKey::PayoutSuccess => "Payout success",
        MetricKey::ActiveVendors => "Active vendors",
        MetricKey::ActiveCustomers => "Active customers",
    }
}

async fn figures(store: &Store, q: &DashboardQuery) -> Result<(Figures, Vec<DayPoint>), StoreError> {
    let (start, end) = q.bounds()?;
    let report: RevenueReport = store
        .revenue_report(&RevenueQuery {
            from: q.from,
            to: q.to,
            currency: q.currency,
            grain: Grain::Day,
            vendor_id: q.vendor_id,
            category_id: None,
        })
        .await?;
    let mut days = Vec::new();
    let mut day = q.from;
    while day <= q.to {
        let key = day.format("%Y-%m-%d").to_string();
        let row = report.rows.iter().find(|r| r.period == key);
        days.push(DayPoint {
            day: key,
            orders: row.map_or(0, |r| r.orders),
            revenue_minor: row.map_or(0, |r| r.gross_minor),
        });
        day = match day.succ_opt() {
            Some(d) => d,
            None => break,
        };
    }
    let mut f = Figures { orders: report.total.orders, revenue: report.total.gross_minor, ..Figures::default() };
    let vendor = q.vendor_id;
    let window = |sql: &mut Sql, column: &str| {
        sql.push(&format!(" AND {column} >= ")).bind(Param::Time(start));
        sql.push(&format!(" AND {column} < ")).bind(Param::Time(end));
    };

    let mut products = Sql::new(
        "SELECT count(*) AS a, coalesce(sum(CASE WHEN status = 'approved' THEN 1 ELSE 0 END), 0) AS b \
         FROM products WHERE deleted_at IS NULL",
    );
    window(&mut products, "submitted_at");
    if let Some(v) = vendor {
        products.push(" AND vendor_id = ").bind(Param::Uuid(v));
    }
    (f.submitted, f.approved) = pair(store, &products).await?;

    let mut disputes = Sql::new(
        "SELECT count(*) AS a, CAST(0 AS BIGINT) AS b FROM disputes d JOIN orders o ON o.id = d.order_id WHERE d.deleted_at IS NULL AND o.currency = ",
    );
    disputes.bind(Param::Currency(q.currency));
    window(&mut disputes, "d.opened_at");
    if let Some(v) = vendor {
        disputes.push(" AND d.vendor_id = ").bind(Param::Uuid(v));
    }
    f.disputes = pair(store, &disputes).await?.0;

    let mut payouts = Sql::new(
        "SELECT coalesce(sum(CASE WHEN status = 'paid' THEN 1 ELSE 0 END), 0) AS a, \
         coalesce(sum(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) AS b FROM payouts \
         WHERE deleted_at IS NULL AND status IN ('paid', 'failed') AND currency = ",
    );
    payouts.bind(Param::Currency(q.currency));
    window(&mut payouts, "coalesce(paid_at, updated_at)");
    if let Some(v) = vendor {
        payouts.push(" AND vendor_id = ").bind(Param::Uuid(v));
    }
    (f.payouts_sent, f.payouts_failed) = pair(store, &payouts).await?;

    (f.vendors, f.customers) = match vendor {
        // The marketplace: vendors from the day × vendor rollup, customers from the orders alone.
        None => {
            let mut vendors = Sql::new(
                "SELECT count(DISTINCT vendor_id) AS a, CAST(0 AS BIGINT) AS b FROM sales_daily_vendors \
                 WHERE orders > 0 AND currency = ",
            );
            vendors.bind(Param::Currency(q.currency));
            day_bound(&mut vendors, store.engine(), ">=", q.from);
            day_bound(&mut vendors, store.engine(), "<=", q.to);
            let mut customers = Sql::new(&format!(
                "SELECT count(DISTINCT customer_id) AS a, CAST(0 AS BIGINT) AS b FROM orders \
                 WHERE deleted_at IS NULL AND status IN {SOLD} AND currency = "
            ));
            customers.bind(Param::Currency(q.currency));
            window(&mut customers, "placed_at");
            (pair(store, &vendors).await?.0, pair(store, &customers).await?.0)
        }
        Some(v) => {
            let mut active = Sql::new(&format!(
                "SELECT count(DISTINCT i.vendor_id) AS a, count(DISTINCT o.customer_id) AS b FROM order_items i \
                 JOIN orders o ON o.id = i.order_id WHERE o.deleted_at IS NULL AND i.deleted_at IS NULL \
                 AND o.status IN {SOLD} AND o.currency = "
            ));
            active.bind(Param::Currency(q.currency));
            window(&mut active, "o.placed_at");
            active.push(" AND i.vendor_id = ").bind(Param::Uuid(v));
            pair(store, &active).await?
        }
    };

    let hours = fulfilment_hours(store, q, start, end).await?;
    f.shipped_orders = i64::try_from(hours.len()).unwrap_or(i64::MAX);
    f.fulfilment_hours = median(hours);
    Ok((f, days))
}

async fn pair(store: &Store, sql: &Sql) -> Result<(i64, i64), StoreError> {
    let row: (i64, i64) =
        with_pool!(&store.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_one(p).await)?;
    Ok(row)
}

/// Hours from payment to the first parcel shipped, one per order paid in
/// the period that has shipped (a vendor: its own parcels).
pub(crate) async fn fulfilment_hours(
    store: &Store,
    q: &DashboardQuery,
    start: Timestamp,
    end: Timestamp,
) -> Result<Vec<i64>, StoreError> {
    let mut sql = Sql::new(
        "SELECT o.paid_at, min(s.shipped_at) AS shipped FROM orders o JOIN shipments s ON s.order_id = o.id \
         WHERE o.deleted_at IS NULL AND s.deleted_at IS NULL AND s.shipped_at IS NOT NULL AND o.paid_at IS NOT NULL \
         AND o.currency = ",
    );
    sql.bind(Param::Currency(q.currency));
    sql.push(" AND o.paid_at >= ").bind(Param::Time(start));
    sql.push(" AND o.paid_at < ").bind(Param::Time(end));
    if let Some(v) = q.vendor_id {
        sql.push(" AND s.vendor_id = ").bind(Param::Uuid(v));
    }
    sql.push(" GROUP BY o.id, o.paid_at");
    let rows: Vec<(Timestamp, Timestamp)> =
        with_pool!(&store.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|(paid, shipped)| hours_between(paid, shipped)).collect())
}

/// The middle value (the lower of the two middle ones for an even count).
pub(crate) fn median(mut values: Vec<i64>) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    Some(values[(values.len() - 1) / 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_previous_period_has_the_same_length_and_ends_the_day_before() {
        let q = DashboardQuery {
            from: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
            currency: Currency::USD,
            vendor_id: None,
        };
        let p = q.previous();
        assert_eq!((p.from.to_string(), p.to.to_string()), ("2026-01-29".into(), "2026-02-28".into()));
        let backwards = DashboardQuery { to: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(), ..q.clone() };
        assert!(backwards.bounds().unwrap_err().to_string().contains("ends before it starts"));
        let long = DashboardQuery { from: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(), ..q };
        assert!(long.bounds().unwrap_err().to_string().contains("at most 731 days"));
    }

    #[test]
    fn changes_and_medians_are_whole_numbers() {
        let m = metric(MetricKey::Orders, MetricUnit::Count, Some(150), Some(120), String::new());
        assert_eq!(m.change_bps, Some(2_500));
        let m = metric(MetricKey::Orders, MetricUnit::Count, Some(90), Some(120), String::new());
        assert_eq!(m.change_bps, Some(-2_500));
        assert_eq!(metric(MetricKey::Orders, MetricUnit::Count, Some(5), Some(0), String::new()).change_bps, None);
        assert_eq!(median(vec![30, 2, 7, 11]), Some(7));
        assert_eq!(median(vec![]), None);
    }
}
