//! Vendors: the list staff choose one from, and what a vendor sees about
//! their own business (earnings per currency, their subscription).

use super::reports::SOLD;
use super::{Store, StoreError, with_pool};
use crate::domain::{Currency, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A vendor to choose from a list: the name people know them by (their
/// business name when set) and their address, since two may share a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VendorChoice {
    /// Their users row id (the vendor id).
    pub id: Uuid,
    /// Business name, else display name.
    pub name: String,
    /// Their e-mail address.
    pub email: String,
}

/// A vendor's money in one currency, all time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Earnings {
    /// The currency of every amount.
    pub currency: Currency,
    /// Item subtotals of sold orders, minor units.
    pub sales_minor: i64,
    /// Commission the platform kept on them.
    pub commission_minor: i64,
    /// Merchandise refunded on them.
    pub refunded_minor: i64,
    /// Transferred to the vendor (paid payouts).
    pub paid_out_minor: i64,
    /// Still owed to the vendor: the balance of their payable account in the ledger.
    pub owed_minor: i64,
}

/// A vendor's current subscription and its plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VendorSubscription {
    /// Plan code (`starter`, …).
    pub plan_code: String,
    /// Plan name.
    pub plan_name: String,
    /// `trialing`, `active`, `past_due`, …
    pub status: String,
    /// Price per interval, minor units.
    pub price_minor: i64,
    /// Currency of the price.
    pub currency: Currency,
    /// `month` or `year`.
    pub interval: String,
    /// The plan's commission override in basis points, if any.
    pub commission_bps: Option<i64>,
    /// When the current period ends.
    pub current_period_end: Option<Timestamp>,
    /// It ends at the period's end instead of renewing.
    pub cancel_at_period_end: bool,
}

#[derive(sqlx::FromRow)]
struct Sum {
    currency: Currency,
    a: i64,
    b: i64,
    c: i64,
}

impl Store {
    /// The vendor's earnings, one entry per currency they sold or were paid in.
    pub async fn vendor_earnings(&self, vendor: Uuid) -> Result<Vec<Earnings>, StoreError> {
        let sales_sql = format!(
            "SELECT i.currency AS currency, CAST(coalesce(sum(i.subtotal_minor), 0) AS BIGINT) AS a, \
             CAST(coalesce(sum(i.commission_minor), 0) AS BIGINT) AS b, \
             CAST(coalesce(sum(i.refunded_quantity * i.unit_price_minor), 0) AS BIGINT) AS c \
             FROM order_items i JOIN orders o ON o.id = i.order_id \
             WHERE i.vendor_id = $1 AND o.deleted_at IS NULL AND o.status IN {SOLD} GROUP BY i.currency"
        );
        let paid_sql = "SELECT currency, CAST(coalesce(sum(amount_minor), 0) AS BIGINT) AS a, \
                        CAST(0 AS BIGINT) AS b, CAST(0 AS BIGINT) AS c FROM payouts \
                        WHERE vendor_id = $1 AND status = 'paid' AND deleted_at IS NULL GROUP BY currency";
        let owed_sql = "SELECT e.currency AS currency, CAST(-coalesce(sum(e.amount_minor), 0) AS BIGINT) AS a, \
                        CAST(0 AS BIGINT) AS b, CAST(0 AS BIGINT) AS c \
                        FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id \
                        WHERE a.vendor_id = $1 AND a.kind = 'liability' AND e.deleted_at IS NULL GROUP BY e.currency";
        let fetch = |sql: String| async move {
            with_pool!(&self.db, |p| sqlx::query_as::<_, Sum>(&sql).bind(vendor).fetch_all(p).await)
        };
        let mut by: BTreeMap<Currency, Earnings> = BTreeMap::new();
        fn entry(by: &mut BTreeMap<Currency, Earnings>, c: Currency) -> &mut Earnings {
            by.entry(c).or_insert_with(|| Earnings {
                currency: c,
                sales_minor: 0,
                commission_minor: 0,
                refunded_minor: 0,
                paid_out_minor: 0,
                owed_minor: 0,
            })
        }
        for s in fetch(sales_sql).await? {
            let e = entry(&mut by, s.currency);
            (e.sales_minor, e.commission_minor, e.refunded_minor) = (s.a, s.b, s.c);
        }
        for s in fetch(paid_sql.to_owned()).await? {
            entry(&mut by, s.currency).paid_out_minor = s.a;
        }
        for s in fetch(owed_sql.to_owned()).await? {
            entry(&mut by, s.currency).owed_minor = s.a;
        }
        Ok(by.into_values().collect())
    }

    /// Every vendor not deleted, by name (case-insensitive), then id.
    pub async fn vendor_choices(&self) -> Result<Vec<VendorChoice>, StoreError> {
        let sql = "SELECT u.id, coalesce(p.business_name, u.display_name) AS name, u.email \
                   FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id \
                   WHERE u.role = 'vendor' AND u.deleted_at IS NULL \
                   ORDER BY lower(coalesce(p.business_name, u.display_name)), u.id";
        Ok(with_pool!(&self.db, |p| sqlx::query_as(sql).fetch_all(p).await)?)
    }

    /// The vendor's live subscription (not cancelled), if any.
    pub async fn vendor_subscription(&self, vendor: Uuid) -> Result<Option<VendorSubscription>, StoreError> {
        let sql = "SELECT p.code AS plan_code, p.name AS plan_name, s.status, p.price_minor, p.currency, p.interval, \
                   CAST(p.commission_bps AS BIGINT) AS commission_bps, s.current_period_end, \
                   s.cancel_at_period_end \
                   FROM subscriptions s JOIN subscription_plans p ON p.id = s.plan_id \
                   WHERE s.vendor_id = $1 AND s.deleted_at IS NULL AND s.status <> 'cancelled' \
                   ORDER BY s.current_period_end DESC LIMIT 1";
        Ok(with_pool!(&self.db, |p| sqlx::query_as(sql).bind(vendor).fetch_optional(p).await)?)
    }
}
