//! Month ends of the seeded history: each month's payouts, in batches per
//! currency from what vendors earned, and the vendors' subscription invoices.

use super::super::SeedError;
use super::super::rows::{at, id, synced};
use super::super::tables::Tables;
use super::super::world::{DAY, World, pick};
use super::postings::{Txn, post};
use super::{HOUR, OrderStream};
use crate::domain::Currency;
use crate::finance::postings::{payout_executed, subscription_paid};
use crate::store::bulk::Cell;
use chrono::Datelike;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// The month of an instant, counted from year 0.
pub(super) fn month_index(micros: i64) -> i32 {
    let d = at(micros).as_datetime();
    d.year() * 12 + i32::try_from(d.month0()).unwrap_or(0)
}

fn month_start(index: i32) -> i64 {
    chrono::NaiveDate::from_ymd_opt(index.div_euclid(12), u32::try_from(index.rem_euclid(12)).unwrap_or(0) + 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(0, |d| d.and_utc().timestamp_micros())
}

impl OrderStream {
    /// Monthly payouts (in batches per currency) and subscription invoices.
    pub fn finish(&mut self, rng: &mut ChaCha8Rng, w: &World, out: &mut Tables) -> Result<(), SeedError> {
        let last_month = month_index(w.end);
        // Batches per (month, currency).
        let mut batches: BTreeMap<(i32, Currency), Vec<(usize, i64)>> = BTreeMap::new();
        for (&(v, month), &amount) in &self.earnings {
            if amount > 2_500 && month < last_month {
                batches.entry((month, w.vendors[v].currency)).or_default().push((v, amount));
            }
        }
        for ((month, currency), payouts) in batches {
            let period_start = month_start(month);
            let period_end = month_start(month + 1) - 1;
            let run_at = month_start(month + 1) + 4 * DAY + 9 * HOUR;
            let executed = run_at < w.end;
            let batch_time = at(run_at.min(w.end - HOUR));
            let batch_id = id(rng, batch_time);
            let total: i64 = payouts.iter().map(|p| p.1).sum();
            out.payout_batches.push(synced(
                batch_id,
                batch_time,
                vec![
                    (if executed { "completed" } else { "draft" }).into(),
                    currency.as_str().into(),
                    total.into(),
                    i64::try_from(payouts.len()).unwrap_or(0).into(),
                    w.finance.into(),
                    executed.then_some(w.finance).into(),
                    executed.then_some(batch_time).into(),
                    executed.then_some(batch_time).into(),
                ],
            ));
            for (v, amount) in payouts {
                let vendor = &w.vendors[v];
                let pid = id(rng, batch_time);
                let failed = executed && rng.gen_range(0..100) < 2;
                let status = if !executed {
                    "proposed"
                } else if failed {
                    "failed"
                } else {
                    "paid"
                };
                let reason = failed.then(|| {
                    *pick(rng, &["Connect account not verified", "Bank account closed", "Platform balance too low"])
                });
                out.payouts.push(synced(
                    pid,
                    batch_time,
                    vec![
                        vendor.id.into(),
                        batch_id.into(),
                        amount.into(),
                        currency.as_str().into(),
                        status.into(),
                        if status == "paid" { Cell::Text(format!("tr_seed{}", pid.simple())) } else { Cell::Null },
                        format!("payout-{pid}").into(),
                        reason.into(),
                        executed.then_some(w.finance).into(),
                        executed.then_some(batch_time).into(),
                        (status == "paid").then_some(batch_time).into(),
                        Cell::Time(at(period_start)),
                        Cell::Time(at(period_end)),
                    ],
                ));
                if status == "paid" {
                    post(
                        rng,
                        out,
                        w,
                        Txn {
                            code: "payout_executed",
                            description: format!("Payout to {}", vendor.name),
                            when: batch_time,
                            links: [None, Some(pid), None],
                        },
                        payout_executed(vendor.id, amount, currency)?,
                    )?;
                }
            }
        }
        // Subscription invoices, monthly from joining (plans are priced in USD).
        for vendor in &w.vendors {
            if vendor.plan_price == 0 {
                continue;
            }
            let mut month = month_index(vendor.created.max(w.start)) + 1;
            while month <= last_month {
                let when = at(month_start(month) + 2 * HOUR);
                post(
                    rng,
                    out,
                    w,
                    Txn {
                        code: "subscription_paid",
                        description: format!("Subscription of {}", vendor.name),
                        when,
                        links: [None, None, None],
                    },
                    subscription_paid(vendor.plan_price, Currency::USD)?,
                )?;
                month += 1;
            }
        }
        Ok(())
    }
}
