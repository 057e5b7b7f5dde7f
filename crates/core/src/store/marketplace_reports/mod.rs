//! The finance team's tabular reports besides revenue: commissions due per
//! vendor, orders by status with the average order value, top-selling
//! products, payouts reconciled against the ledger, and new users. Each comes
//! back as a [`ReportTable`] the UI shows and the exporter writes.
//!
//! Commissions read the sales rollups (with a raw fallback for a category
//! filter, which is also their reference); the others read their tables
//! directly. SQL groups by calendar day (UTC) where a report has periods; days
//! are summed into weeks, months and quarters in Rust, as for revenue.

use super::report_table::{ColumnKind, ReportRow, ReportSort, ReportTable, average, ratio_bps};
use super::reports::{RevenueQuery, SOLD, SOLD_STATUSES, append, day_of, midnight, rollup_span};
use super::sql::{Param, Sql, bind_as};
use super::{Store, StoreError, with_pool};
use crate::domain::Timestamp;
use crate::domain::periods::period_of;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

mod subscriptions;

/// Which report to run (the names match the `reports.kind` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// Gross, commission and refunds per vendor: what the platform earned from each.
    Commissions,
    /// Orders by status per period, with the average order value.
    Orders,
    /// Best-selling products by gross value.
    Products,
    /// Payouts beside their ledger postings and Stripe transfers, discrepancies flagged.
    Payouts,
    /// New customers and vendors, and first-time buyers, per period.
    Users,
    /// Vendor subscriptions per period: active, new, cancelled, monthly
    /// recurring revenue and churn.
    Subscriptions,
}

impl ReportKind {
    /// Every kind, in the order the UI lists them.
    pub const ALL: [ReportKind; 6] = [
        ReportKind::Commissions,
        ReportKind::Orders,
        ReportKind::Products,
        ReportKind::Payouts,
        ReportKind::Users,
        ReportKind::Subscriptions,
    ];

    /// The name stored in `reports.kind` and `report_runs.kind`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ReportKind::Commissions => "commissions",
            ReportKind::Orders => "orders",
            ReportKind::Products => "products",
            ReportKind::Payouts => "payouts",
            ReportKind::Users => "users",
            ReportKind::Subscriptions => "subscriptions",
        }
    }

    /// The kind stored as `name`.
    pub fn parse(name: &str) -> Option<ReportKind> {
        ReportKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// What to report on: the kind and its filters (those a kind does not use are
/// ignored; the grain serves orders and users).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReportQuery {
    /// The report.
    pub kind: ReportKind,
    /// Dates, currency, grain, vendor and category, as for revenue.
    #[serde(flatten)]
    pub scope: RevenueQuery,
}

/// Most rows the top-products report lists.
pub const TOP_PRODUCTS: i64 = 100;

#[derive(sqlx::FromRow)]
struct VendorSales {
    name: Option<String>,
    orders: i64,
    units: i64,
    gross_minor: i64,
    commission_minor: i64,
    refunded_minor: i64,
}

#[derive(sqlx::FromRow)]
struct DayStatus {
    day: String,
    status: String,
    orders: i64,
    gross_minor: i64,
}

#[derive(sqlx::FromRow)]
struct ProductSales {
    name: String,
    vendor: Option<String>,
    category: Option<String>,
    orders: i64,
    units: i64,
    gross_minor: i64,
    refunded_units: i64,
}

#[derive(sqlx::FromRow)]
struct PayoutLine {
    id: Uuid,
    vendor: Option<String>,
    status: String,
    amount_minor: i64,
    posted_minor: i64,
    stripe_transfer_id: Option<String>,
    failure_reason: Option<String>,
    created_at: Timestamp,
    paid_at: Option<Timestamp>,
}

#[derive(sqlx::FromRow)]
struct DayCount {
    day: String,
    kind: String,
    n: i64,
}

/// Vendor name: business name, else display name.
const VENDOR_NAME: &str = "coalesce((SELECT max(up.business_name) FROM user_profiles up WHERE up.user_id = {v}), \
                           (SELECT u.display_name FROM users u WHERE u.id = {v}))";

fn vendor_name(column: &str) -> String {
    VENDOR_NAME.replace("{v}", column)
}

fn cell(v: impl Into<super::report_table::ReportValue>) -> Option<super::report_table::ReportValue> {
    Some(v.into())
}

fn parse_day(day: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|e| StoreError::Corrupt(format!("day “{day}”: {e}")))
}

impl Store {
    /// [`Store::run_report`], its rows in the order a person asked for
    /// ([`ReportTable::sort_by`]); the report's own order without one.
    pub async fn run_report_sorted(
        &self,
        q: &ReportQuery,
        sort: Option<&ReportSort>,
    ) -> Result<ReportTable, StoreError> {
        let mut table = self.run_report(q).await?;
        if let Some(sort) = sort {
            table.sort_by(sort)?;
        }
        Ok(table)
    }

    /// Runs the report `q` asks for.
    pub async fn run_report(&self, q: &ReportQuery) -> Result<ReportTable, StoreError> {
        match q.kind {
            ReportKind::Commissions if q.scope.category_id.is_none() => self.commissions_from_rollups(q).await,
            ReportKind::Commissions => self.commissions_raw(q).await,
            ReportKind::Orders => self.orders_report(q).await,
            ReportKind::Products => self.products_report(q).await,
            ReportKind::Payouts => self.payouts_report(q).await,
            ReportKind::Users => self.users_report(q).await,
            ReportKind::Subscriptions => self.subscriptions_report(q).await,
        }
    }

    /// Commissions per vendor read straight from orders and items: the fallback
    /// for a category filter and the reference the rollups are checked against.
    pub async fn commissions_raw(&self, q: &ReportQuery) -> Result<ReportTable, StoreError> {
        let scope = &q.scope;
        let (from, to) = scope.validate()?;
        let mut sql = Sql::new(&format!(
            "SELECT {} AS name, count(DISTINCT o.id) AS orders, CAST(sum(i.quantity) AS BIGINT) AS units, \
             CAST(sum(i.subtotal_minor) AS BIGINT) AS gross_minor, CAST(sum(i.commission_minor) AS BIGINT) AS commission_minor, \
             CAST(sum(i.refunded_quantity * i.unit_price_minor) AS BIGINT) AS refunded_minor",
            vendor_name("i.vendor_id")
        ));
        append(&mut sql, &scope.items_scope(from, to, true));
        sql.push(" GROUP BY i.vendor_id ORDER BY 5 DESC, 1");
        let rows: Vec<VendorSales> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;
        Ok(commissions_table(q, rows, "Read from orders and their items."))
    }

    async fn commissions_from_rollups(&self, q: &ReportQuery) -> Result<ReportTable, StoreError> {
        q.scope.validate()?;
        let mut sql = Sql::new(&format!(
            "SELECT {} AS name, CAST(sum(orders) AS BIGINT) AS orders, CAST(sum(units) AS BIGINT) AS units, \
             CAST(sum(gross_minor) AS BIGINT) AS gross_minor, CAST(sum(commission_minor) AS BIGINT) AS commission_minor, \
             CAST(sum(refunded_minor) AS BIGINT) AS refunded_minor FROM ",
            vendor_name("vendor_id")
        ));
        let columns = "vendor_id, orders, units, gross_minor, commission_minor, refunded_minor";
        let span = rollup_span(
            self.engine(),
            &q.scope,
            "sales_monthly_vendors",
            "sales_daily_vendors",
            columns,
            q.scope.vendor_id,
        );
        append(&mut sql, &span);
        sql.push(" GROUP BY vendor_id HAVING sum(units) > 0 ORDER BY 5 DESC, 1");
        let rows: Vec<VendorSales> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;
        Ok(commissions_table(q, rows, "Read from the sales rollups."))
    }

    async fn orders_report(&self, q: &ReportQuery) -> Result<ReportTable, StoreError> {
        let scope = &q.scope;
        let (from, to) = scope.validate()?;
        let mut sql = Sql::new(&format!(
            "SELECT {} AS day, o.status AS status, count(DISTINCT o.id) AS orders, \
             CAST(sum(i.subtotal_minor) AS BIGINT) AS gross_minor",
            day_of(self.engine(), "o.placed_at")
        ));
        append(&mut sql, &scope.items_scope(from, to, false));
        sql.push(" GROUP BY 1, 2 ORDER BY 1, 2");
        let rows: Vec<DayStatus> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;
        orders_table(q, &rows)
    }

    async fn products_report(&self, q: &ReportQuery) -> Result<ReportTable, StoreError> {
        let scope = &q.scope;
        let (from, to) = scope.validate()?;
        let mut sql = Sql::new(&format!(
            "SELECT (SELECT p.name FROM products p WHERE p.id = i.product_id) AS name, {} AS vendor, \
             (SELECT c.name FROM products p JOIN categories c ON c.id = p.category_id WHERE p.id = i.product_id) AS category, \
             count(DISTINCT o.id) AS orders, CAST(sum(i.quantity) AS BIGINT) AS units, \
             CAST(sum(i.subtotal_minor) AS BIGINT) AS gross_minor, CAST(sum(i.refunded_quantity) AS BIGINT) AS refunded_units",
            vendor_name("i.vendor_id")
        ));
        append(&mut sql, &scope.items_scope(from, to, true));
        sql.push(" GROUP BY i.product_id, i.vendor_id ORDER BY 6 DESC, 5 DESC, 1 LIMIT ")
            .bind(Param::I64(TOP_PRODUCTS));
        let rows: Vec<ProductSales> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;

        let mut t = ReportTable::new(
            "Top products",
            Some(q.scope.currency),
            &[
                ("product", "Product", ColumnKind::Text),
                ("vendor", "Vendor", ColumnKind::Text),
                ("category", "Category", ColumnKind::Text),
                ("orders", "Orders", ColumnKind::Count),
                ("units", "Units", ColumnKind::Count),
                ("gross", "Gross sales", ColumnKind::Money),
                ("refunded_units", "Units refunded", ColumnKind::Count),
                ("refund_rate", "Refund rate", ColumnKind::Percent),
            ],
        );
        for r in rows {
            t.rows.push(vec![
                cell(r.name),
                r.vendor.map(Into::into),
                r.category.map(Into::into),
                cell(r.orders),
                cell(r.units),
                cell(r.gross_minor),
                cell(r.refunded_units),
                ratio_bps(r.refunded_units, r.units).map(Into::into),
            ]);
        }
        t.note = format!("The {TOP_PRODUCTS} products with the highest gross sales of sold orders in the range.");
        Ok(t)
    }

    async fn payouts_report(&self, q: &ReportQuery) -> Result<ReportTable, StoreError> {
        let (from, to) = q.scope.validate()?;
        let mut sql = Sql::new(&format!(
            "SELECT p.id, {} AS vendor, p.status, p.amount_minor, \
             CAST(coalesce((SELECT sum(e.amount_minor) FROM ledger_entries e \
                JOIN ledger_transactions t ON t.id = e.transaction_id \
                JOIN ledger_accounts a ON a.id = e.account_id \
                WHERE t.payout_id = p.id AND a.vendor_id = p.vendor_id AND a.kind = 'liability' \
                AND e.deleted_at IS NULL AND t.deleted_at IS NULL), 0) AS BIGINT) AS posted_minor, \
             p.stripe_transfer_id, p.failure_reason, p.created_at, p.paid_at \
             FROM payouts p WHERE p.deleted_at IS NULL AND p.currency = ",
            vendor_name("p.vendor_id")
        ));
        sql.bind(Param::Currency(q.scope.currency));
        sql.push(" AND coalesce(p.paid_at, p.created_at) >= ").bind(Param::Time(from));
        sql.push(" AND coalesce(p.paid_at, p.created_at) < ").bind(Param::Time(to));
        if let Some(v) = q.scope.vendor_id {
            sql.push(" AND p.vendor_id = ").bind(Param::Uuid(v));
        }
        sql.push(" ORDER BY coalesce(p.paid_at, p.created_at), p.id");
        let lines: Vec<PayoutLine> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;
        Ok(payouts_table(q, lines))
    }

    async fn users_report(&self, q: &ReportQuery) -> Result<ReportTable, StoreError> {
        let (from, to) = q.scope.validate()?;
        let engine = self.engine();
        let mut sql = Sql::new(&format!(
            "SELECT {} AS day, role AS kind, count(*) AS n FROM users \
             WHERE deleted_at IS NULL AND role IN ('customer', 'vendor') AND created_at >= ",
            day_of(engine, "created_at")
        ));
        sql.bind(Param::Time(from)).push(" AND created_at < ").bind(Param::Time(to));
        sql.push(&format!(
            " GROUP BY 1, 2 UNION ALL SELECT {} AS day, 'buyer' AS kind, count(*) AS n FROM \
             (SELECT o.customer_id, min(o.placed_at) AS first_at FROM orders o \
              WHERE o.deleted_at IS NULL AND o.status IN {SOLD} GROUP BY o.customer_id) f WHERE first_at >= ",
            day_of(engine, "first_at")
        ));
        sql.bind(Param::Time(from)).push(" AND first_at < ").bind(Param::Time(to));
        sql.push(" GROUP BY 1, 2");
        let rows: Vec<DayCount> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;

        let mut periods: BTreeMap<String, [i64; 3]> = BTreeMap::new();
        for r in rows {
            let label = period_of(parse_day(&r.day)?, q.scope.grain);
            let slot = match r.kind.as_str() {
                "customer" => 0,
                "vendor" => 1,
                _ => 2,
            };
            periods.entry(label).or_default()[slot] += r.n;
        }
        let mut t = ReportTable::new(
            "New users",
            None,
            &[
                ("period", "Period", ColumnKind::Text),
                ("customers", "New customers", ColumnKind::Count),
                ("vendors", "New vendors", ColumnKind::Count),
                ("first_buyers", "First-time buyers", ColumnKind::Count),
            ],
        );
        let mut total = [0i64; 3];
        for (label, counts) in periods {
            for (sum, n) in total.iter_mut().zip(counts) {
                *sum += n;
            }
            t.rows.push(vec![cell(label), cell(counts[0]), cell(counts[1]), cell(counts[2])]);
        }
        t.totals = Some(vec![cell("Total"), cell(total[0]), cell(total[1]), cell(total[2])]);
        t.note = "Sign-ups by role, and customers whose first paid order falls in the period (any currency).".into();
        Ok(t)
    }
}

fn commissions_table(q: &ReportQuery, rows: Vec<VendorSales>, how: &str) -> ReportTable {
    let mut t = ReportTable::new(
        "Commissions by vendor",
        Some(q.scope.currency),
        &[
            ("vendor", "Vendor", ColumnKind::Text),
            ("orders", "Orders", ColumnKind::Count),
            ("units", "Units", ColumnKind::Count),
            ("gross", "Gross sales", ColumnKind::Money),
            ("commission", "Commission", ColumnKind::Money),
            ("rate", "Effective rate", ColumnKind::Percent),
            ("refunded", "Refunded", ColumnKind::Money),
            ("vendor_share", "Vendor share", ColumnKind::Money),
        ],
    );
    let mut sums = [0i64; 6];
    for r in rows {
        for (sum, v) in sums.iter_mut().zip([r.orders, r.units, r.gross_minor, r.commission_minor, r.refunded_minor, 0])
        {
            *sum += v;
        }
        t.rows.push(vec![
            r.name.map(Into::into),
            cell(r.orders),
            cell(r.units),
            cell(r.gross_minor),
            cell(r.commission_minor),
            ratio_bps(r.commission_minor, r.gross_minor).map(Into::into),
            cell(r.refunded_minor),
            cell(r.gross_minor - r.commission_minor),
        ]);
    }
    let [orders, units, gross, commission, refunded, _] = sums;
    t.totals = Some(vec![
        cell("Total"),
        cell(orders),
        cell(units),
        cell(gross),
        cell(commission),
        ratio_bps(commission, gross).map(Into::into),
        cell(refunded),
        cell(gross - commission),
    ]);
    t.note = format!(
        "Sold orders placed in the range; the vendor share is gross less commission, before refunds and payouts. {how}"
    );
    t
}

/// Statuses the orders report counts in its own columns.
const PENDING: &[&str] = &["pending"];
const CANCELLED: &[&str] = &["cancelled"];
const REFUNDED: &[&str] = &["refunded", "partially_refunded"];
const DISPUTED: &[&str] = &["disputed"];

fn orders_table(q: &ReportQuery, rows: &[DayStatus]) -> Result<ReportTable, StoreError> {
    // placed, pending, sold, cancelled, refunded, disputed, sold gross
    let mut periods: BTreeMap<String, [i64; 7]> = BTreeMap::new();
    for r in rows {
        let label = period_of(parse_day(&r.day)?, q.scope.grain);
        let p = periods.entry(label).or_default();
        let status = r.status.as_str();
        p[0] += r.orders;
        let sold = SOLD_STATUSES.contains(&status);
        for (slot, hit) in [
            (1, PENDING.contains(&status)),
            (2, sold),
            (3, CANCELLED.contains(&status)),
            (4, REFUNDED.contains(&status)),
            (5, DISPUTED.contains(&status)),
        ] {
            if hit {
                p[slot] += r.orders;
            }
        }
        if sold {
            p[6] += r.gross_minor;
        }
    }
    let mut t = ReportTable::new(
        "Orders",
        Some(q.scope.currency),
        &[
            ("period", "Period", ColumnKind::Text),
            ("placed", "Placed", ColumnKind::Count),
            ("pending", "Awaiting payment", ColumnKind::Count),
            ("sold", "Sold", ColumnKind::Count),
            ("cancelled", "Cancelled", ColumnKind::Count),
            ("refunded", "Refunded (in part or whole)", ColumnKind::Count),
            ("disputed", "Disputed", ColumnKind::Count),
            ("gross", "Gross sales", ColumnKind::Money),
            ("aov", "Average order value", ColumnKind::Money),
            ("cancel_rate", "Cancellation rate", ColumnKind::Percent),
        ],
    );
    let row = |label: String, p: &[i64; 7]| -> ReportRow {
        vec![
            cell(label),
            cell(p[0]),
            cell(p[1]),
            cell(p[2]),
            cell(p[3]),
            cell(p[4]),
            cell(p[5]),
            cell(p[6]),
            average(p[6], p[2]).map(Into::into),
            ratio_bps(p[3], p[0]).map(Into::into),
        ]
    };
    let mut total = [0i64; 7];
    for (label, p) in &periods {
        for (sum, v) in total.iter_mut().zip(p) {
            *sum += v;
        }
        t.rows.push(row(label.clone(), p));
    }
    t.totals = Some(row("Total".into(), &total));
    t.note = "Orders placed in the range by their status today. Sold counts paid orders not cancelled (refunded and \
              disputed included); gross sales and the average are their merchandise value."
        .into();
    Ok(t)
}

/// What is wrong with a payout as the ledger and Stripe see it, or `None`.
fn payout_issue(l: &PayoutLine) -> Option<String> {
    let money = |m: i64| rust_decimal::Decimal::new(m, 2).to_string();
    match l.status.as_str() {
        "paid" if l.stripe_transfer_id.is_none() => Some("Paid without a Stripe transfer".into()),
        "paid" if l.posted_minor == 0 => Some("Paid but not booked in the ledger".into()),
        "paid" if l.posted_minor != l.amount_minor => {
            Some(format!("Ledger shows {} against {} paid", money(l.posted_minor), money(l.amount_minor)))
        }
        "processing" => Some("In flight: run its batch again to finish it".into()),
        "paid" => None,
        _ if l.posted_minor != 0 => Some(format!("Booked {} in the ledger but not paid", money(l.posted_minor))),
        _ => None,
    }
}

fn payouts_table(q: &ReportQuery, lines: Vec<PayoutLine>) -> ReportTable {
    let mut t = ReportTable::new(
        "Payout reconciliation",
        Some(q.scope.currency),
        &[
            ("date", "Paid or created (UTC)", ColumnKind::Text),
            ("vendor", "Vendor", ColumnKind::Text),
            ("status", "Status", ColumnKind::Text),
            ("amount", "Amount", ColumnKind::Money),
            ("posted", "In the ledger", ColumnKind::Money),
            ("difference", "Difference", ColumnKind::Money),
            ("transfer", "Stripe transfer", ColumnKind::Text),
            ("failure", "Failure reason", ColumnKind::Text),
            ("issue", "Issue", ColumnKind::Text),
            ("payout", "Payout", ColumnKind::Text),
        ],
    );
    let (mut amount, mut posted, mut issues) = (0i64, 0i64, 0usize);
    for l in lines {
        // Only money that moved or was booked: proposals and cancellations with no posting are left out.
        let moved = matches!(l.status.as_str(), "processing" | "paid" | "failed" | "reversed");
        if !moved && l.posted_minor == 0 {
            continue;
        }
        let issue = payout_issue(&l);
        issues += usize::from(issue.is_some());
        let paid_amount = if l.status == "paid" { l.amount_minor } else { 0 };
        amount += paid_amount;
        posted += l.posted_minor;
        t.rows.push(vec![
            cell(l.paid_at.unwrap_or(l.created_at).as_datetime().format("%Y-%m-%d %H:%M").to_string()),
            l.vendor.map(Into::into),
            cell(l.status),
            cell(l.amount_minor),
            cell(l.posted_minor),
            cell(l.posted_minor - paid_amount),
            l.stripe_transfer_id.map(Into::into),
            l.failure_reason.map(Into::into),
            issue.map(Into::into),
            cell(l.id.to_string()),
        ]);
    }
    t.totals = Some(vec![
        cell("Total paid"),
        None,
        None,
        cell(amount),
        cell(posted),
        cell(posted - amount),
        None,
        None,
        cell(format!("{issues} to look at")),
        None,
    ]);
    t.note = "Payouts paid (or created, when not paid) in the range beside what the ledger booked to the vendor's \
              payable account for them. The difference counts only paid payouts as paid."
        .into();
    t
}
