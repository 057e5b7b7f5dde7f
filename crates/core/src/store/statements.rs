//! Vendor statements: what the marketplace owed a vendor at the start of a
//! period, every movement of their payable account in it (sales after
//! commission, refunds, disputes, payouts), and what it owed at the end — read
//! from the ledger, so a statement always agrees with the books. Rendered as a
//! PDF file by [`crate::finance::statements`]; this module only reads.

use super::reports::day_range;
use super::{Store, StoreError, with_pool};
use crate::domain::{Currency, Timestamp};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a statement covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StatementQuery {
    /// The vendor (a user id).
    pub vendor_id: Uuid,
    /// The currency of their payable account.
    pub currency: Currency,
    /// First day included (UTC).
    pub from: NaiveDate,
    /// Last day included (UTC).
    pub to: NaiveDate,
}

/// One movement of the vendor's balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StatementLine {
    /// When it happened.
    pub occurred_at: Timestamp,
    /// The ledger transaction's code (`payment_captured`, `refund`, `payout_executed`, …).
    pub code: String,
    /// The ledger's description.
    pub description: String,
    /// The order number, when the movement belongs to an order.
    pub order_number: Option<String>,
    /// Minor units: positive when it adds to what the vendor is owed.
    pub amount_minor: i64,
    /// What the vendor is owed after it.
    #[sqlx(default)]
    pub balance_minor: i64,
}

/// A vendor statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VendorStatement {
    /// What it covers.
    pub query: StatementQuery,
    /// Business name, else display name.
    pub vendor_name: String,
    /// The vendor's e-mail address.
    pub vendor_email: String,
    /// Owed at the start of the first day.
    pub opening_minor: i64,
    /// The movements, oldest first.
    pub lines: Vec<StatementLine>,
    /// Owed at the end of the last day.
    pub closing_minor: i64,
    /// Sum of the movements per code, in the order codes first appear.
    pub totals: Vec<(String, i64)>,
}

/// The vendor's payable entries (credits positive) by transaction.
const MOVEMENTS: &str = "FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id \
     JOIN ledger_accounts a ON a.id = e.account_id \
     WHERE a.vendor_id = $1 AND a.kind = 'liability' AND e.currency = $2 AND e.deleted_at IS NULL AND t.deleted_at IS NULL";

impl Store {
    /// The statement `q` asks for.
    pub async fn vendor_statement(&self, q: &StatementQuery) -> Result<VendorStatement, StoreError> {
        let (from, to) = day_range(q.from, q.to, "statement")?;
        let who: Option<(String, String)> = with_pool!(&self.db, |p| {
            sqlx::query_as(
                "SELECT coalesce((SELECT max(up.business_name) FROM user_profiles up WHERE up.user_id = u.id), u.display_name), \
                 u.email FROM users u WHERE u.id = $1 AND u.role = 'vendor'",
            )
            .bind(q.vendor_id)
            .fetch_optional(p)
            .await
        })?;
        let (vendor_name, vendor_email) =
            who.ok_or_else(|| StoreError::NotFound { entity: "vendor", id: q.vendor_id.to_string() })?;
        let opening_sql =
            format!("SELECT CAST(coalesce(-sum(e.amount_minor), 0) AS BIGINT) {MOVEMENTS} AND t.occurred_at < $3");
        let opening: i64 = with_pool!(&self.db, |p| {
            sqlx::query_scalar(&opening_sql).bind(q.vendor_id).bind(q.currency).bind(from).fetch_one(p).await
        })?;
        let lines_sql = format!(
            "SELECT t.occurred_at, t.code, t.description, (SELECT o.number FROM orders o WHERE o.id = t.order_id) AS order_number, \
             CAST(-sum(e.amount_minor) AS BIGINT) AS amount_minor {MOVEMENTS} AND t.occurred_at >= $3 AND t.occurred_at < $4 \
             GROUP BY t.id, t.occurred_at, t.code, t.description, t.order_id HAVING sum(e.amount_minor) <> 0 \
             ORDER BY t.occurred_at, t.id"
        );
        let mut lines: Vec<StatementLine> = with_pool!(&self.db, |p| {
            sqlx::query_as(&lines_sql).bind(q.vendor_id).bind(q.currency).bind(from).bind(to).fetch_all(p).await
        })?;
        let mut balance = opening;
        let mut totals: Vec<(String, i64)> = Vec::new();
        for l in &mut lines {
            balance += l.amount_minor;
            l.balance_minor = balance;
            match totals.iter_mut().find(|(c, _)| *c == l.code) {
                Some((_, sum)) => *sum += l.amount_minor,
                None => totals.push((l.code.clone(), l.amount_minor)),
            }
        }
        Ok(VendorStatement {
            query: q.clone(),
            vendor_name,
            vendor_email,
            opening_minor: opening,
            lines,
            closing_minor: balance,
            totals,
        })
    }
}
