//! What a payout batch prepared now would pay, before anyone prepares it:
//! every vendor's balance in the currency, whom the batch would include and
//! for how much, the total, and how many of those Stripe cannot pay yet. The
//! same rule as [`Store::prepare_payout_batch`] decides, so the payout run's
//! first step shows exactly the batch the next click makes.

use super::payout_runs::{PrepareBatch, VendorBalance};
use super::payouts::Position;
use crate::domain::Currency;
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};

/// One vendor's balance and what the batch would pay them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PreviewLine {
    /// The vendor's balance in the currency.
    pub balance: VendorBalance,
    /// The payout the batch would propose; `None`: not in the batch.
    pub would_pay_minor: Option<i64>,
    /// Stripe can pay them (a Connect account that may receive payouts).
    pub payable: bool,
}

/// The batch a [`PrepareBatch`] would make now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PayoutPreview {
    /// The currency.
    pub currency: Currency,
    /// The minimum applied: the request's, else the platform setting.
    pub minimum_minor: i64,
    /// Every vendor with a balance in the currency, largest available first.
    pub lines: Vec<PreviewLine>,
    /// How many payouts the batch would hold.
    pub payout_count: u32,
    /// Their sum, minor units.
    pub total_minor: i64,
    /// Of those payouts, how many Stripe cannot pay yet (execution would fail them).
    pub not_payable: u32,
}

impl Store {
    /// What [`Store::prepare_payout_batch`] would propose for `req` now
    /// (nothing is written; works offline too).
    pub async fn payout_preview(&self, req: &PrepareBatch) -> Result<PayoutPreview, StoreError> {
        let minimum = self.payout_minimum(req).await?;
        let balances = self.vendor_balances(Some(req.currency), None).await?;
        let mut preview = PayoutPreview {
            currency: req.currency,
            minimum_minor: minimum,
            lines: Vec::with_capacity(balances.len()),
            payout_count: 0,
            total_minor: 0,
            not_payable: 0,
        };
        for balance in balances {
            let chosen = req.vendor_ids.as_ref().is_none_or(|only| only.contains(&balance.vendor_id)) && !balance.held;
            let position = Position {
                owed_minor: balance.owed_minor,
                pending_minor: balance.pending_minor,
                in_flight_minor: balance.in_flight_minor,
            };
            let would_pay_minor = if chosen { position.proposal(minimum) } else { None };
            let payable = balance.connect_account.is_some() && balance.payouts_enabled;
            if let Some(amount) = would_pay_minor {
                preview.payout_count += 1;
                preview.total_minor += amount;
                if !payable {
                    preview.not_payable += 1;
                }
            }
            preview.lines.push(PreviewLine { balance, would_pay_minor, payable });
        }
        Ok(preview)
    }
}
