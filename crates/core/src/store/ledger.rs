//! The ledger as stored: posting a rule's balanced lines as one immutable
//! transaction, and reading entries back for the ledger grid and balances.
//!
//! Money postings that follow a provider call (payouts, refunds) happen only
//! online, on PostgreSQL, inside the same database transaction as the status
//! change they book; [`post`] therefore takes a PostgreSQL connection.

use super::page::{SortKey, SortValue, finish_query, into_page};
use super::sql::{Param, Sql, bind_as};
use super::{Page, PageRequest, Store, StoreError, with_pool};
use crate::domain::accounts::{Account, Lines};
use crate::domain::ledger::balanced;
use crate::domain::{Currency, Timestamp, new_id};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

/// One ledger transaction to write.
#[derive(Debug, Clone, PartialEq)]
pub struct Posting {
    /// Why the money moved (`payout_executed`, `refund`, …: the schema's list).
    pub code: &'static str,
    /// Plain words for the ledger grid.
    pub description: String,
    /// When it happened.
    pub occurred_at: Timestamp,
    /// The order it concerns.
    pub order_id: Option<Uuid>,
    /// The payout it concerns.
    pub payout_id: Option<Uuid>,
    /// The refund it concerns.
    pub refund_id: Option<Uuid>,
    /// Unique per business event: a second post of the same event is refused.
    pub idempotency_key: String,
    /// Who caused it (`None` for a system job).
    pub created_by: Option<Uuid>,
    /// The balanced lines from a posting rule.
    pub lines: Lines,
}

fn platform_account(a: Account) -> Option<(&'static str, &'static str, &'static str)> {
    Some(match a {
        Account::StripeClearing => ("stripe_clearing", "Stripe balance", "asset"),
        Account::StripeFees => ("stripe_fees", "Stripe fees", "expense"),
        Account::DisputeLosses => ("dispute_losses", "Dispute losses and fees", "expense"),
        Account::CommissionRevenue => ("commission_revenue", "Commission revenue", "revenue"),
        Account::SubscriptionRevenue => ("subscription_revenue", "Subscription revenue", "revenue"),
        Account::ShippingRevenue => ("shipping_revenue", "Shipping revenue", "revenue"),
        Account::TaxPayable => ("tax_payable", "Sales tax payable", "liability"),
        Account::VendorPayable(_) => return None,
    })
}

/// The `ledger_accounts` row for `account` in `currency`, created on first use.
async fn account_id(conn: &mut PgConnection, account: Account, currency: Currency) -> Result<Uuid, StoreError> {
    let found: Option<Uuid> = match account {
        Account::VendorPayable(v) => {
            sqlx::query_scalar(
                "SELECT id FROM ledger_accounts WHERE vendor_id = $1 AND currency = $2 AND kind = 'liability' \
                 AND deleted_at IS NULL ORDER BY created_at LIMIT 1",
            )
            .bind(v)
            .bind(currency)
            .fetch_optional(&mut *conn)
            .await?
        }
        other => {
            let (name, _, _) = platform_account(other).unwrap_or(("", "", ""));
            sqlx::query_scalar("SELECT id FROM ledger_accounts WHERE code = $1")
                .bind(format!("platform:{name}:{currency}"))
                .fetch_optional(&mut *conn)
                .await?
        }
    };
    if let Some(id) = found {
        return Ok(id);
    }
    let (code, name, kind, vendor) = match account {
        Account::VendorPayable(v) => {
            (format!("vendor:{v}:payable:{currency}"), format!("Vendor {v} payable"), "liability", Some(v))
        }
        other => {
            let (code, name, kind) = platform_account(other).unwrap_or(("", "", ""));
            (format!("platform:{code}:{currency}"), format!("{name} ({currency})"), kind, None)
        }
    };
    let now = Timestamp::now();
    let id = new_id();
    sqlx::query(
        "INSERT INTO ledger_accounts (id, code, name, kind, vendor_id, currency, is_active, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, true, 1, $7, $7) ON CONFLICT (code) DO NOTHING",
    )
    .bind(id)
    .bind(&code)
    .bind(&name)
    .bind(kind)
    .bind(vendor)
    .bind(currency)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(|e| StoreError::from_write("ledger account", e))?;
    Ok(sqlx::query_scalar("SELECT id FROM ledger_accounts WHERE code = $1").bind(&code).fetch_one(&mut *conn).await?)
}

/// Writes `p` as one ledger transaction on `conn` (the caller's database
/// transaction). Refuses lines that do not balance per currency, and a second
/// posting with the same idempotency key.
pub(crate) async fn post(conn: &mut PgConnection, p: &Posting) -> Result<Uuid, StoreError> {
    let lines =
        balanced(p.lines.clone()).map_err(|e| StoreError::Validation(format!("ledger posting refused: {e}")))?;
    let tid = new_id();
    let now = Timestamp::now();
    sqlx::query(
        "INSERT INTO ledger_transactions (id, code, description, occurred_at, order_id, payout_id, refund_id, idempotency_key, \
         created_by, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10)",
    )
    .bind(tid)
    .bind(p.code)
    .bind(&p.description)
    .bind(p.occurred_at)
    .bind(p.order_id)
    .bind(p.payout_id)
    .bind(p.refund_id)
    .bind(&p.idempotency_key)
    .bind(p.created_by)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(|e| StoreError::from_write("ledger transaction", e))?;
    for line in lines {
        let account = account_id(conn, line.account, line.currency).await?;
        let vendor = match line.account {
            Account::VendorPayable(v) => Some(v),
            _ => None,
        };
        sqlx::query(
            "INSERT INTO ledger_entries (id, transaction_id, account_id, amount_minor, currency, vendor_id, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)",
        )
        .bind(new_id())
        .bind(tid)
        .bind(account)
        .bind(line.amount_minor)
        .bind(line.currency)
        .bind(vendor)
        .bind(now)
        .execute(&mut *conn)
        .await
        .map_err(|e| StoreError::from_write("ledger entry", e))?;
    }
    Ok(tid)
}

/// One ledger entry with its transaction and account, for the ledger grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LedgerLine {
    /// Entry id.
    pub id: Uuid,
    /// The transaction it belongs to.
    pub transaction_id: Uuid,
    /// When the money moved.
    pub occurred_at: Timestamp,
    /// Why (`payment_captured`, `refund`, `payout_executed`, …).
    pub code: String,
    /// The transaction's words.
    pub description: String,
    /// Account code (`platform:commission_revenue:USD`, `vendor:…:payable`).
    pub account_code: String,
    /// Account name.
    pub account_name: String,
    /// The vendor, on a vendor's account.
    pub vendor_name: Option<String>,
    /// Signed minor units: debit positive, credit negative.
    pub amount_minor: i64,
    /// Currency.
    pub currency: Currency,
    /// The order concerned.
    pub order_id: Option<Uuid>,
    /// The payout concerned.
    pub payout_id: Option<Uuid>,
}

/// Narrows the ledger grid.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LedgerFilter {
    /// Only this transaction code.
    pub code: Option<String>,
    /// Only this vendor's entries.
    pub vendor_id: Option<Uuid>,
    /// Only this currency.
    pub currency: Option<Currency>,
    /// From this moment (inclusive).
    pub from: Option<Timestamp>,
    /// Before this moment.
    pub to: Option<Timestamp>,
    /// Only entries of this transaction.
    pub transaction_id: Option<Uuid>,
}

impl LedgerFilter {
    /// Refuses a period that starts after it ends (it could only ever be empty).
    pub fn check_period(&self) -> Result<(), StoreError> {
        match (self.from, self.to) {
            (Some(from), Some(to)) if from > to => {
                let shown = |t: Timestamp| {
                    let t = t.as_datetime();
                    if t.time() == chrono::NaiveTime::MIN {
                        t.format("%Y-%m-%d").to_string()
                    } else {
                        t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
                    }
                };
                Err(StoreError::Validation(format!(
                    "the period's start {} is after its end {}",
                    shown(from),
                    shown(to)
                )))
            }
            _ => Ok(()),
        }
    }
}

/// How the ledger grid is sorted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum LedgerSort {
    /// By entry creation (the order postings were written).
    #[default]
    CreatedAt,
    /// By amount.
    Amount,
}

impl SortKey for LedgerSort {
    fn name(&self) -> &'static str {
        match self {
            LedgerSort::CreatedAt => "created_at",
            LedgerSort::Amount => "amount",
        }
    }
    fn column(&self) -> &'static str {
        match self {
            LedgerSort::CreatedAt => "e.created_at",
            LedgerSort::Amount => "e.amount_minor",
        }
    }
}

/// Codes a ledger transaction may carry (the schema's CHECK list).
pub const TRANSACTION_CODES: &[&str] = &[
    "payment_captured",
    "stripe_fee",
    "refund",
    "dispute",
    "dispute_fee",
    "payout_executed",
    "payout_failed",
    "payout_reversed",
    "subscription_paid",
    "correction",
    "opening_balance",
];

/// An account's balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AccountBalance {
    /// Account code.
    pub code: String,
    /// Account name.
    pub name: String,
    /// asset, liability, revenue, expense, equity.
    pub kind: String,
    /// Currency.
    pub currency: Currency,
    /// Sum of its entries (debit positive).
    pub balance_minor: i64,
    /// How many entries.
    pub entries: i64,
}

/// The ledger entries matching `filter` (every [`LedgerLine`] column and the
/// entry's `created_at`), without order or limit: the grid pages it, exports stream it.
/// How the ledger query joins its two main tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LedgerJoin {
    /// Leave the order to the planner (pages, filtered lists).
    Planned,
    /// Walk transactions in `(occurred_at, id)` index order and fetch each one's
    /// entries (SQLite only): an export in date order then streams without a sort
    /// of the whole ledger, whatever the table statistics say.
    TransactionsFirst,
}

pub(crate) fn ledger_query(filter: &LedgerFilter, join: LedgerJoin) -> Result<Sql, StoreError> {
    let from = match join {
        LedgerJoin::Planned => "FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id",
        // SQLite keeps the tables in the written order after CROSS JOIN.
        LedgerJoin::TransactionsFirst => {
            "FROM ledger_transactions t CROSS JOIN ledger_entries e ON e.transaction_id = t.id"
        }
    };
    filter.check_period()?;
    let mut sql = Sql::new(&format!(
        "SELECT e.id, e.transaction_id, t.occurred_at, t.code, t.description, a.code AS account_code, a.name AS account_name, \
         u.display_name AS vendor_name, e.amount_minor, e.currency, t.order_id, t.payout_id, e.created_at \
         {from} JOIN ledger_accounts a ON a.id = e.account_id LEFT JOIN users u ON u.id = e.vendor_id WHERE e.deleted_at IS NULL"
    ));
    if let Some(code) = &filter.code {
        if !TRANSACTION_CODES.contains(&code.as_str()) {
            return Err(StoreError::Validation(format!("“{code}” is not a ledger transaction code")));
        }
        sql.push(" AND t.code = ").bind(Param::Text(code.clone()));
    }
    if let Some(v) = filter.vendor_id {
        sql.push(" AND e.vendor_id = ").bind(Param::Uuid(v));
    }
    if let Some(c) = filter.currency {
        sql.push(" AND e.currency = ").bind(Param::Currency(c));
    }
    if let Some(t) = filter.transaction_id {
        sql.push(" AND e.transaction_id = ").bind(Param::Uuid(t));
    }
    if let Some(from) = filter.from {
        sql.push(" AND t.occurred_at >= ").bind(Param::Time(from));
    }
    if let Some(to) = filter.to {
        sql.push(" AND t.occurred_at < ").bind(Param::Time(to));
    }
    Ok(sql)
}

impl Store {
    /// A page of ledger entries, newest first by default.
    pub async fn list_ledger(
        &self,
        filter: &LedgerFilter,
        page: &PageRequest<LedgerSort>,
    ) -> Result<Page<LedgerLine>, StoreError> {
        let mut sql = ledger_query(filter, LedgerJoin::Planned)?;
        finish_query(&mut sql, page, "e.id")?;
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            line: LedgerLine,
            created_at: Timestamp,
        }
        let rows: Vec<Row> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;
        let page = into_page(rows, page, |r: &Row| {
            let v = match page.sort {
                LedgerSort::CreatedAt => SortValue::from(r.created_at),
                LedgerSort::Amount => SortValue::Int(r.line.amount_minor),
            };
            (v, r.line.id)
        });
        Ok(Page { items: page.items.into_iter().map(|r| r.line).collect(), next_cursor: page.next_cursor })
    }

    /// Every account's balance (a trial balance): the sum of each currency's
    /// balances is zero when the ledger is whole.
    pub async fn account_balances(&self, currency: Option<Currency>) -> Result<Vec<AccountBalance>, StoreError> {
        let mut sql = Sql::new(
            "SELECT a.code, a.name, a.kind, a.currency, CAST(coalesce(sum(e.amount_minor), 0) AS BIGINT) AS balance_minor, \
             count(e.id) AS entries FROM ledger_accounts a JOIN ledger_entries e ON e.account_id = a.id \
             WHERE a.deleted_at IS NULL AND e.deleted_at IS NULL",
        );
        if let Some(c) = currency {
            sql.push(" AND a.currency = ").bind(Param::Currency(c));
        }
        sql.push(" GROUP BY a.code, a.name, a.kind, a.currency ORDER BY a.currency, a.code");
        Ok(with_pool!(&self.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?)
    }
}
