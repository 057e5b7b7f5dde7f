//! The subscriptions report: vendors on each plan per period, sign-ups,
//! cancellations and monthly recurring revenue.

use super::*;

impl Store {
    pub(super) async fn subscriptions_report(&self, q: &ReportQuery) -> Result<ReportTable, StoreError> {
        let (from, to) = q.scope.validate()?;
        let mut sql = Sql::new(
            "SELECT s.status, s.created_at, s.cancelled_at, s.trial_ends_at, p.price_minor, p.interval \
             FROM subscriptions s JOIN subscription_plans p ON p.id = s.plan_id \
             WHERE s.deleted_at IS NULL AND s.status <> 'incomplete' AND p.currency = ",
        );
        sql.bind(Param::Currency(q.scope.currency)).push(" AND s.created_at < ").bind(Param::Time(to));
        if let Some(v) = q.scope.vendor_id {
            sql.push(" AND s.vendor_id = ").bind(Param::Uuid(v));
        }
        let subs: Vec<SubscriptionSpan> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;
        subscriptions_table(q, &subs, from)
    }
}

#[derive(sqlx::FromRow)]
struct SubscriptionSpan {
    status: String,
    created_at: Timestamp,
    cancelled_at: Option<Timestamp>,
    trial_ends_at: Option<Timestamp>,
    price_minor: i64,
    interval: String,
}

impl SubscriptionSpan {
    /// Subscribed at `t` (started before, not yet cancelled).
    fn active_at(&self, t: Timestamp) -> bool {
        self.created_at < t && self.cancelled_at.is_none_or(|c| c >= t)
    }

    /// Paying at `t`: subscribed, past any trial, and not unpaid now.
    fn paying_at(&self, t: Timestamp) -> bool {
        self.active_at(t) && self.trial_ends_at.is_none_or(|e| e <= t) && self.status != "unpaid"
    }

    /// The plan's price per month (a yearly price over twelve), exact.
    fn monthly(&self) -> rust_decimal::Decimal {
        let price = rust_decimal::Decimal::from(self.price_minor);
        if self.interval == "year" { price / rust_decimal::Decimal::from(12) } else { price }
    }
}

/// The calendar days of `q`'s range grouped into its periods: (label, first day, last day).
fn periods(q: &ReportQuery) -> Vec<(String, NaiveDate, NaiveDate)> {
    let mut out: Vec<(String, NaiveDate, NaiveDate)> = Vec::new();
    let mut day = q.scope.from;
    while day <= q.scope.to {
        let label = period_of(day, q.scope.grain);
        match out.last_mut() {
            Some((l, _, last)) if *l == label => *last = day,
            _ => out.push((label, day, day)),
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    out
}

fn subscriptions_table(q: &ReportQuery, subs: &[SubscriptionSpan], from: Timestamp) -> Result<ReportTable, StoreError> {
    let mut t = ReportTable::new(
        "Subscriptions",
        Some(q.scope.currency),
        &[
            ("period", "Period", ColumnKind::Text),
            ("active_start", "Active at start", ColumnKind::Count),
            ("new", "New", ColumnKind::Count),
            ("cancelled", "Cancelled", ColumnKind::Count),
            ("active_end", "Active at end", ColumnKind::Count),
            ("mrr", "Monthly recurring revenue at end", ColumnKind::Money),
            ("churn", "Churn rate", ColumnKind::Percent),
        ],
    );
    let out_of_range = || StoreError::Validation("the report's dates are out of range".into());
    let (mut new_total, mut cancelled_total) = (0i64, 0i64);
    let mut last_end = from;
    for (label, first, last) in periods(q) {
        let start = midnight(first).ok_or_else(out_of_range)?;
        let end = last.succ_opt().and_then(midnight).ok_or_else(out_of_range)?;
        let count = |pred: &dyn Fn(&SubscriptionSpan) -> bool| subs.iter().filter(|s| pred(s)).count() as i64;
        let active_start = count(&|s| s.active_at(start));
        let new = count(&|s| s.created_at >= start && s.created_at < end);
        let cancelled = count(&|s| s.cancelled_at.is_some_and(|c| c >= start && c < end));
        let active_end = count(&|s| s.active_at(end));
        let mrr: rust_decimal::Decimal = subs.iter().filter(|s| s.paying_at(end)).map(SubscriptionSpan::monthly).sum();
        let mrr: i64 = mrr
            .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointNearestEven)
            .try_into()
            .map_err(|_| StoreError::Corrupt("monthly recurring revenue out of range".into()))?;
        new_total += new;
        cancelled_total += cancelled;
        last_end = end;
        t.rows.push(vec![
            cell(label),
            cell(active_start),
            cell(new),
            cell(cancelled),
            cell(active_end),
            cell(mrr),
            ratio_bps(cancelled, active_start).map(Into::into),
        ]);
    }
    let active_first = subs.iter().filter(|s| s.active_at(from)).count() as i64;
    let active_last = subs.iter().filter(|s| s.active_at(last_end)).count() as i64;
    let final_mrr = t.rows.last().and_then(|r| r[5].clone());
    t.totals = Some(vec![
        cell("Whole range"),
        cell(active_first),
        cell(new_total),
        cell(cancelled_total),
        cell(active_last),
        final_mrr,
        ratio_bps(cancelled_total, active_first).map(Into::into),
    ]);
    t.note = "Vendors' plan subscriptions in this currency. Recurring revenue counts paying subscriptions (past any \
              trial) at the end of each period, yearly plans at a twelfth; churn is cancellations over those active \
              at the start."
        .into();
    Ok(t)
}
