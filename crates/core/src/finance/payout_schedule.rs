//! Payout batches prepared on a schedule by the worker: one draft batch per
//! currency in which some vendor may be paid now, by the same rule a finance
//! person's click uses ([`Store::payout_preview`], then
//! [`Store::prepare_payout_batch`]), left for finance to approve and execute.
//! A currency whose previous draft still waits gets no second one.

use super::payout_runs::{PayoutBatch, PrepareBatch};
use crate::domain::{BatchStatus, Currency};
use crate::store::{Store, StoreError};
use std::collections::BTreeSet;
use uuid::Uuid;

/// Drafts looked at before deciding a currency already has one waiting.
const RECENT_BATCHES: u32 = 500;

/// What a scheduled preparation did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScheduledPayouts {
    /// The draft batches made.
    pub prepared: Vec<PayoutBatch>,
    /// Currencies skipped because a draft of theirs waits for approval.
    pub waiting: Vec<Currency>,
    /// Currencies with balances but nobody payable at the minimum yet.
    pub nothing_due: Vec<Currency>,
}

impl Store {
    /// Prepares a draft batch, by `created_by` (a finance person or admin),
    /// in each currency where vendors may be paid now and no draft waits.
    pub async fn prepare_scheduled_payouts(&self, created_by: Uuid) -> Result<ScheduledPayouts, StoreError> {
        let currencies: BTreeSet<Currency> =
            self.vendor_balances(None, None).await?.iter().map(|b| b.currency).collect();
        let waiting: BTreeSet<Currency> = self
            .payout_batches(RECENT_BATCHES)
            .await?
            .iter()
            .filter(|b| b.status == BatchStatus::Draft)
            .map(|b| b.currency)
            .collect();
        let mut out = ScheduledPayouts::default();
        for currency in currencies {
            if waiting.contains(&currency) {
                out.waiting.push(currency);
                continue;
            }
            let req = PrepareBatch { currency, minimum_minor: None, vendor_ids: None };
            if self.payout_preview(&req).await?.payout_count == 0 {
                out.nothing_due.push(currency);
                continue;
            }
            out.prepared.push(self.prepare_payout_batch(&req, created_by).await?);
        }
        Ok(out)
    }
}
