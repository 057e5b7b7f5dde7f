//! Revenue reports read straight from orders and their items (the raw query):
//! gross merchandise value, commission, refunded merchandise and order counts,
//! by period, vendor and category.
//!
//! SQL groups by calendar day (UTC); weeks, months and quarters are summed from
//! the days in Rust, so one query text serves both engines and every grain.

use super::sql::{Param, Sql, bind_as};
use super::{Engine, Store, StoreError, with_pool};
use crate::domain::periods::{Grain, period_of};
use crate::domain::{Currency, Timestamp};
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Statuses whose orders count as sales (paid for and not cancelled).
pub(crate) const SOLD_STATUSES: [&str; 8] =
    ["paid", "processing", "partially_shipped", "shipped", "delivered", "refunded", "partially_refunded", "disputed"];

/// [`SOLD_STATUSES`] as an SQL list.
pub(crate) const SOLD: &str = "('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'refunded', \
                    'partially_refunded', 'disputed')";

/// What a revenue report covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RevenueQuery {
    /// First day included (UTC).
    pub from: NaiveDate,
    /// Last day included (UTC).
    pub to: NaiveDate,
    /// Amounts in this currency only (currencies are never added together).
    pub currency: Currency,
    /// Row per day, week, month or quarter.
    pub grain: Grain,
    /// Only this vendor's items.
    pub vendor_id: Option<Uuid>,
    /// Only items of products in this category (or below it).
    pub category_id: Option<Uuid>,
}

/// Sales figures of one period (or of the whole range).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RevenueRow {
    /// Period label (`2026-05`, `2026-Q2`, …); `total` for the whole range.
    pub period: String,
    /// Orders holding at least one counted item.
    pub orders: i64,
    /// Units sold.
    pub units: i64,
    /// Gross merchandise value: item subtotals, minor units.
    pub gross_minor: i64,
    /// Platform commission on those items, minor units.
    pub commission_minor: i64,
    /// Merchandise refunded so far on those items, minor units.
    pub refunded_minor: i64,
}

/// One vendor's or category's share of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RevenueShare {
    /// The vendor's user id or the category id.
    pub id: Uuid,
    /// Business (or display) name, or category name.
    pub name: String,
    /// Gross merchandise value, minor units.
    pub gross_minor: i64,
    /// Commission, minor units.
    pub commission_minor: i64,
}

/// A revenue report: rows per period, the totals, and the top vendors and categories.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RevenueReport {
    /// The currency of every amount.
    pub currency: Currency,
    /// One row per period with sales, oldest first.
    pub rows: Vec<RevenueRow>,
    /// The whole range.
    pub total: RevenueRow,
    /// Largest vendors by gross value (at most 10).
    pub top_vendors: Vec<RevenueShare>,
    /// Largest categories by gross value (at most 10).
    pub top_categories: Vec<RevenueShare>,
}

#[derive(sqlx::FromRow)]
struct DayRow {
    day: String,
    orders: i64,
    units: i64,
    gross_minor: i64,
    commission_minor: i64,
    refunded_minor: i64,
}

/// Most days a report may span (ten years).
const MAX_DAYS: i64 = 3660;

impl RevenueQuery {
    pub(crate) fn validate(&self) -> Result<(Timestamp, Timestamp), StoreError> {
        day_range(self.from, self.to, "report")
    }

    /// `FROM … WHERE …` over counted items in range, shared by every part of the report.
    fn scope(&self, from: Timestamp, to: Timestamp) -> Sql {
        self.items_scope(from, to, true)
    }

    /// `FROM order_items i JOIN orders o … WHERE …` over the items of orders placed
    /// in range, in the query's currency, vendor and category; only sold orders'
    /// when `sold_only`.
    pub(super) fn items_scope(&self, from: Timestamp, to: Timestamp, sold_only: bool) -> Sql {
        let mut sql = Sql::new(" FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.deleted_at IS NULL");
        if sold_only {
            sql.push(" AND o.status IN ").push(SOLD);
        }
        sql.push(" AND o.placed_at >= ").bind(Param::Time(from));
        sql.push(" AND o.placed_at < ").bind(Param::Time(to));
        sql.push(" AND o.currency = ").bind(Param::Currency(self.currency));
        if let Some(v) = self.vendor_id {
            sql.push(" AND i.vendor_id = ").bind(Param::Uuid(v));
        }
        if let Some(c) = self.category_id {
            sql.push(
                " AND i.product_id IN (SELECT p.id FROM products p JOIN categories c ON c.id = p.category_id \
                 WHERE c.path LIKE (SELECT path FROM categories WHERE id = ",
            )
            .bind(Param::Uuid(c))
            .push(") || '%')");
        }
        sql
    }
}

impl Store {
    /// The revenue report for `q`: from the sales rollups, or — for a category
    /// filter, which the rollups' order counts cannot serve — from orders and items.
    pub async fn revenue_report(&self, q: &RevenueQuery) -> Result<RevenueReport, StoreError> {
        if q.category_id.is_some() { self.revenue_report_raw(q).await } else { self.revenue_report_rollups(q).await }
    }

    /// The revenue report read straight from orders and items: the fallback, and
    /// the reference the rollups are checked against.
    pub async fn revenue_report_raw(&self, q: &RevenueQuery) -> Result<RevenueReport, StoreError> {
        let (from, to) = q.validate()?;
        let day = day_of(self.engine(), "o.placed_at");
        let mut days = Sql::new(&format!(
            "SELECT {day} AS day, count(DISTINCT o.id) AS orders, \
             CAST(coalesce(sum(i.quantity), 0) AS BIGINT) AS units, \
             CAST(coalesce(sum(i.subtotal_minor), 0) AS BIGINT) AS gross_minor, \
             CAST(coalesce(sum(i.commission_minor), 0) AS BIGINT) AS commission_minor, \
             CAST(coalesce(sum(i.refunded_quantity * i.unit_price_minor), 0) AS BIGINT) AS refunded_minor"
        ));
        let scope = q.scope(from, to);
        append(&mut days, &scope);
        days.push(" GROUP BY 1 ORDER BY 1");
        let day_rows: Vec<DayRow> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&days.text), &days.params).fetch_all(p).await)?;

        let mut vendors = Sql::new(
            "SELECT i.vendor_id AS id, coalesce(max(up.business_name), max(u.display_name)) AS name, \
             CAST(sum(i.subtotal_minor) AS BIGINT) AS gross_minor, \
             CAST(sum(i.commission_minor) AS BIGINT) AS commission_minor",
        );
        append(&mut vendors, &scope);
        // The scope's placeholders keep their numbers: the joins below add none.
        vendors.text = vendors.text.replacen(
            " FROM order_items i JOIN orders o ON o.id = i.order_id",
            " FROM order_items i JOIN orders o ON o.id = i.order_id JOIN users u ON u.id = i.vendor_id \
             LEFT JOIN user_profiles up ON up.user_id = i.vendor_id",
            1,
        );
        vendors.push(" GROUP BY i.vendor_id ORDER BY 3 DESC, 1 LIMIT 10");
        let top_vendors: Vec<RevenueShare> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&vendors.text), &vendors.params).fetch_all(p).await)?;

        let mut categories = Sql::new(
            "SELECT c.id AS id, max(c.name) AS name, CAST(sum(i.subtotal_minor) AS BIGINT) AS gross_minor, \
             CAST(sum(i.commission_minor) AS BIGINT) AS commission_minor",
        );
        append(&mut categories, &scope);
        categories.text = categories.text.replacen(
            " FROM order_items i JOIN orders o ON o.id = i.order_id",
            " FROM order_items i JOIN orders o ON o.id = i.order_id JOIN products p ON p.id = i.product_id \
             JOIN categories c ON c.id = p.category_id",
            1,
        );
        categories.push(" GROUP BY c.id ORDER BY 3 DESC, 1 LIMIT 10");
        let top_categories: Vec<RevenueShare> = with_pool!(&self.db, |p| {
            bind_as(sqlx::query_as(&categories.text), &categories.params).fetch_all(p).await
        })?;

        assemble(q, &day_rows, top_vendors, top_categories)
    }

    /// The revenue report from the sales rollups (no category filter).
    async fn revenue_report_rollups(&self, q: &RevenueQuery) -> Result<RevenueReport, StoreError> {
        q.validate()?;
        let engine = self.engine();
        let mut scope = Sql::new(" WHERE currency = ");
        scope.bind(Param::Currency(q.currency));
        day_bound(&mut scope, engine, ">=", q.from);
        day_bound(&mut scope, engine, "<=", q.to);
        if let Some(v) = q.vendor_id {
            scope.push(" AND vendor_id = ").bind(Param::Uuid(v));
        }

        // Day text independent of the server's DateStyle.
        let day = match engine {
            Engine::Postgres => "to_char(day, 'YYYY-MM-DD')",
            Engine::Sqlite => "day",
        };
        // Headline figures from the day × currency grain, or the vendor's own grain.
        let days_table = match q.vendor_id {
            Some(_) => "sales_daily_vendors",
            None => "sales_daily_totals",
        };
        let mut days = Sql::new(&format!(
            "SELECT {day} AS day, CAST(sum(orders) AS BIGINT) AS orders, CAST(sum(units) AS BIGINT) AS units, \
             CAST(sum(gross_minor) AS BIGINT) AS gross_minor, CAST(sum(commission_minor) AS BIGINT) AS commission_minor, \
             CAST(sum(refunded_minor) AS BIGINT) AS refunded_minor FROM "
        ));
        match (q.vendor_id, q.grain) {
            // A vendor's rows by month or quarter: whole months count as their first day.
            (Some(v), Grain::Month | Grain::Quarter) => {
                let columns = "{date} AS day, orders, units, gross_minor, commission_minor, refunded_minor";
                append(
                    &mut days,
                    &rollup_span(engine, q, "sales_monthly_vendors", "sales_daily_vendors", columns, Some(v)),
                );
            }
            _ => {
                days.push(days_table);
                append(&mut days, &scope);
            }
        }
        days.push(" GROUP BY 1 ORDER BY 1");
        let mut day_rows: Vec<DayRow> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&days.text), &days.params).fetch_all(p).await)?;
        // A day whose orders were all cancelled keeps zeroed rows: skip it as the raw query does.
        day_rows.retain(|d| d.orders > 0);

        // The top tens over the whole range: whole months from the monthly grains.
        let shares = "CAST(sum(gross_minor) AS BIGINT) AS gross_minor, \
                      CAST(sum(commission_minor) AS BIGINT) AS commission_minor";
        let columns = "vendor_id, units, gross_minor, commission_minor";
        let mut vendors = Sql::new(&format!(
            "SELECT t.id, coalesce((SELECT max(up.business_name) FROM user_profiles up WHERE up.user_id = t.id), \
             (SELECT u.display_name FROM users u WHERE u.id = t.id)) AS name, t.gross_minor, t.commission_minor \
             FROM (SELECT vendor_id AS id, {shares} FROM "
        ));
        append(
            &mut vendors,
            &rollup_span(engine, q, "sales_monthly_vendors", "sales_daily_vendors", columns, q.vendor_id),
        );
        vendors.push(
            " GROUP BY vendor_id HAVING sum(units) > 0 ORDER BY 2 DESC, 1 LIMIT 10) t ORDER BY t.gross_minor DESC, t.id",
        );
        let top_vendors: Vec<RevenueShare> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&vendors.text), &vendors.params).fetch_all(p).await)?;

        let mut categories = Sql::new(&format!(
            "SELECT t.id, (SELECT c.name FROM categories c WHERE c.id = t.id) AS name, t.gross_minor, t.commission_minor \
             FROM (SELECT category_id AS id, {shares} FROM "
        ));
        let columns = "category_id, units, gross_minor, commission_minor";
        match q.vendor_id {
            // A vendor's categories: the day × vendor × category grain, one vendor's rows.
            Some(_) => {
                categories.push("sales_daily");
                append(&mut categories, &scope);
            }
            None => append(
                &mut categories,
                &rollup_span(engine, q, "sales_monthly_categories", "sales_daily_categories", columns, None),
            ),
        }
        categories.push(
            " GROUP BY category_id HAVING sum(units) > 0 ORDER BY 2 DESC, 1 LIMIT 10) t ORDER BY t.gross_minor DESC, t.id",
        );
        let top_categories: Vec<RevenueShare> = with_pool!(&self.db, |p| {
            bind_as(sqlx::query_as(&categories.text), &categories.params).fetch_all(p).await
        })?;

        assemble(q, &day_rows, top_vendors, top_categories)
    }
}

/// The start (UTC) of `day`.
pub(crate) fn midnight(day: NaiveDate) -> Option<Timestamp> {
    day.and_hms_opt(0, 0, 0).map(|t| Timestamp::from(t.and_utc()))
}

/// The instants `[from 00:00, the day after to 00:00)` of the inclusive days
/// `from..=to` of a `what` (report, statement); refused when backwards, longer
/// than ten years or out of range.
pub(crate) fn day_range(from: NaiveDate, to: NaiveDate, what: &str) -> Result<(Timestamp, Timestamp), StoreError> {
    if to < from {
        return Err(StoreError::Validation(format!("the {what}'s end date {to} is before its start date {from}")));
    }
    if (to - from).num_days() > MAX_DAYS {
        return Err(StoreError::Validation(format!("a {what} can span at most ten years")));
    }
    match (midnight(from), to.succ_opt().and_then(midnight)) {
        (Some(f), Some(t)) => Ok((f, t)),
        _ => Err(StoreError::Validation(format!("the {what}'s dates are out of range"))),
    }
}

/// SQL for the UTC calendar day (`YYYY-MM-DD` text) of the timestamp `column`.
pub(super) fn day_of(engine: Engine, column: &str) -> String {
    match engine {
        Engine::Postgres => format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD')"),
        Engine::Sqlite => format!("substr({column}, 1, 10)"),
    }
}

/// Appends ` AND day <op> <date>` for a `date` column (PostgreSQL) or day text (SQLite).
pub(crate) fn day_bound(sql: &mut Sql, engine: Engine, op: &str, day: NaiveDate) {
    sql.push(" AND ");
    date_compare(sql, engine, "day", op, day);
}

/// Appends `<column> <op> <date>` for a `date` column (PostgreSQL) or its
/// `YYYY-MM-DD` text (SQLite).
fn date_compare(sql: &mut Sql, engine: Engine, column: &str, op: &str, day: NaiveDate) {
    sql.push(&format!("{column} {op} "));
    let text = Param::Text(day.format("%Y-%m-%d").to_string());
    match engine {
        Engine::Postgres => sql.push("CAST(").bind(text).push(" AS date)"),
        Engine::Sqlite => sql.bind(text),
    };
}

/// The whole calendar months inside `from..=to`, as `[first, end)` month starts;
/// empty (`first >= end`) when the range holds no whole month.
pub(super) fn whole_months(from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first =
        if from.day() == 1 { Some(from) } else { from.with_day(1).and_then(|d| d.checked_add_months(Months::new(1))) };
    let end = to.succ_opt().and_then(|d| d.with_day(1));
    match (first, end) {
        (Some(first), Some(end)) => (first, end),
        // At the ends of the calendar: no whole months, every day from the daily grain.
        _ => (from, from),
    }
}

/// `(…) span`, the rows of a sales rollup over the query's range, currency and
/// `vendor`: whole months from the `monthly` grain, the days before the first
/// and after the last whole month from the matching `daily` grain, each part a
/// plain range its table's key serves. Both tables give `columns`, where
/// `{date}` stands for the part's date column (`month` or `day`). Over 18
/// months of a marketplace with a thousand vendors that is some 18,000 rows
/// instead of half a million.
pub(super) fn rollup_span(
    engine: Engine,
    q: &RevenueQuery,
    monthly: &str,
    daily: &str,
    columns: &str,
    vendor: Option<Uuid>,
) -> Sql {
    let (first, end) = whole_months(q.from, q.to);
    let after = q.to.succ_opt().unwrap_or(q.to);
    // (table, column, from, until): half-open ranges, the empty ones left out.
    let parts: Vec<(&str, &str, NaiveDate, NaiveDate)> = if first < end {
        [(daily, "day", q.from, first), (monthly, "month", first, end), (daily, "day", end, after)]
            .into_iter()
            .filter(|(_, _, from, until)| from < until)
            .collect()
    } else {
        vec![(daily, "day", q.from, after)]
    };
    let mut sql = Sql::new("(");
    for (i, (table, column, from, until)) in parts.into_iter().enumerate() {
        if i > 0 {
            sql.push(" UNION ALL ");
        }
        sql.push(&format!("SELECT {} FROM {table} WHERE currency = ", columns.replace("{date}", column)));
        sql.bind(Param::Currency(q.currency));
        sql.push(" AND ");
        date_compare(&mut sql, engine, column, ">=", from);
        sql.push(" AND ");
        date_compare(&mut sql, engine, column, "<", until);
        if let Some(v) = vendor {
            sql.push(" AND vendor_id = ").bind(Param::Uuid(v));
        }
    }
    sql.push(") span");
    sql
}

/// Sums calendar days into the query's periods and the total.
fn assemble(
    q: &RevenueQuery,
    day_rows: &[DayRow],
    top_vendors: Vec<RevenueShare>,
    top_categories: Vec<RevenueShare>,
) -> Result<RevenueReport, StoreError> {
    let mut by_period: BTreeMap<String, RevenueRow> = BTreeMap::new();
    for r in day_rows {
        let date = NaiveDate::parse_from_str(&r.day, "%Y-%m-%d")
            .map_err(|e| StoreError::Corrupt(format!("order day “{}”: {e}", r.day)))?;
        let label = period_of(date, q.grain);
        let row = by_period.entry(label.clone()).or_insert_with(|| RevenueRow { period: label, ..Default::default() });
        row.orders += r.orders;
        row.units += r.units;
        row.gross_minor += r.gross_minor;
        row.commission_minor += r.commission_minor;
        row.refunded_minor += r.refunded_minor;
    }
    // Orders are counted once for the whole range (an order's items share its day).
    let mut total = RevenueRow { period: "total".into(), ..Default::default() };
    for r in by_period.values() {
        total.orders += r.orders;
        total.units += r.units;
        total.gross_minor += r.gross_minor;
        total.commission_minor += r.commission_minor;
        total.refunded_minor += r.refunded_minor;
    }
    Ok(RevenueReport {
        currency: q.currency,
        rows: by_period.into_values().collect(),
        total,
        top_vendors,
        top_categories,
    })
}

/// Appends `scope` (text and values) to `sql`, which must have no values yet.
pub(super) fn append(sql: &mut Sql, scope: &Sql) {
    debug_assert!(sql.params.is_empty());
    sql.text.push_str(&scope.text);
    sql.params.extend(scope.params.iter().cloned());
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sql_list_of_sold_statuses_matches_the_array() {
        let listed = super::SOLD_STATUSES.map(|s| format!("'{s}'")).join(", ");
        assert_eq!(super::SOLD, format!("({listed})"));
    }

    #[test]
    fn whole_months_are_the_calendar_months_inside_the_range() {
        let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let whole = super::whole_months;
        // Month starts to month ends: every month whole.
        assert_eq!(whole(d(2025, 5, 1), d(2026, 10, 31)), (d(2025, 5, 1), d(2026, 11, 1)));
        // Ragged ends: the months between them.
        assert_eq!(whole(d(2026, 1, 15), d(2026, 4, 10)), (d(2026, 2, 1), d(2026, 4, 1)));
        assert_eq!(whole(d(2025, 12, 31), d(2026, 2, 28)), (d(2026, 1, 1), d(2026, 3, 1)));
        // Inside one month, or across a single month boundary: none.
        let (first, end) = whole(d(2026, 3, 2), d(2026, 3, 30));
        assert!(first >= end);
        let (first, end) = whole(d(2026, 3, 20), d(2026, 4, 10));
        assert!(first >= end);
        // A leap February, whole.
        assert_eq!(whole(d(2024, 2, 1), d(2024, 2, 29)), (d(2024, 2, 1), d(2024, 3, 1)));
        // The calendar's last day: no whole months, no panic.
        let (first, end) = whole(chrono::NaiveDate::MAX, chrono::NaiveDate::MAX);
        assert!(first >= end);
    }
}
