//! Vendor payouts as finance lists them.

use super::page::{SortKey, SortValue, finish_query, into_page};
use super::sql::{Param, Sql, bind_as};
use super::{Page, PageRequest, Store, StoreError, with_pool};
use crate::domain::{Currency, PayoutStatus, Timestamp};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A payout row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Payout {
    /// Row id.
    pub id: Uuid,
    /// The vendor paid.
    pub vendor_id: Uuid,
    /// The vendor's display name.
    pub vendor_name: String,
    /// Amount, minor units.
    pub amount_minor: i64,
    /// Currency.
    pub currency: Currency,
    /// Lifecycle state.
    pub status: PayoutStatus,
    /// Why it failed, in the vendor's words.
    pub failure_reason: Option<String>,
    /// When the money left.
    pub paid_at: Option<Timestamp>,
    /// When it was proposed.
    pub created_at: Timestamp,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// Narrows the payouts list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PayoutFilter {
    /// Only this vendor.
    pub vendor_id: Option<Uuid>,
    /// Only this status.
    pub status: Option<PayoutStatus>,
    /// Only this currency.
    pub currency: Option<Currency>,
    /// Only the payouts of this batch.
    pub batch_id: Option<Uuid>,
}

/// How the payouts list is sorted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum PayoutSort {
    /// By creation time.
    #[default]
    CreatedAt,
    /// By amount.
    Amount,
}

impl SortKey for PayoutSort {
    fn name(&self) -> &'static str {
        match self {
            PayoutSort::CreatedAt => "created_at",
            PayoutSort::Amount => "amount",
        }
    }
    fn column(&self) -> &'static str {
        match self {
            PayoutSort::CreatedAt => "po.created_at",
            PayoutSort::Amount => "po.amount_minor",
        }
    }
}

impl Store {
    /// A page of payouts.
    pub async fn list_payouts(
        &self,
        filter: &PayoutFilter,
        page: &PageRequest<PayoutSort>,
    ) -> Result<Page<Payout>, StoreError> {
        let mut sql = Sql::new(
            "SELECT po.id, po.vendor_id, u.display_name AS vendor_name, po.amount_minor, po.currency, po.status, po.failure_reason, \
             po.paid_at, po.created_at, po.version FROM payouts po JOIN users u ON u.id = po.vendor_id WHERE po.deleted_at IS NULL",
        );
        if let Some(v) = filter.vendor_id {
            sql.push(" AND po.vendor_id = ").bind(Param::Uuid(v));
        }
        if let Some(s) = filter.status {
            sql.push(" AND po.status = ").bind(Param::Text(s.as_str().into()));
        }
        if let Some(c) = filter.currency {
            sql.push(" AND po.currency = ").bind(Param::Currency(c));
        }
        if let Some(b) = filter.batch_id {
            sql.push(" AND po.batch_id = ").bind(Param::Uuid(b));
        }
        finish_query(&mut sql, page, "po.id")?;
        let rows: Vec<Payout> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;
        Ok(into_page(rows, page, |r: &Payout| {
            let v = match page.sort {
                PayoutSort::CreatedAt => SortValue::from(r.created_at),
                PayoutSort::Amount => SortValue::Int(r.amount_minor),
            };
            (v, r.id)
        }))
    }
}
