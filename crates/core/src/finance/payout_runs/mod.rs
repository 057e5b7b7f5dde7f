//! Payout runs: prepare a batch from what vendors may be paid, approve it (one
//! or two finance people), execute it against Stripe — once, whatever happens.
//!
//! Preparing, approving and cancelling work on either engine (offline too).
//! Executing needs the central PostgreSQL:
//! - an advisory lock on the batch, held by a transaction of its own kept open
//!   while the batch runs (migration 0043: it holds through a transaction
//!   pooler too), lets one desktop in; any other is refused while it runs, and
//!   a crashed runner's lock goes with its connection;
//! - each payout is marked `processing` (committed) before Stripe is called,
//!   with the idempotency key saved when it was proposed; the transfer id, the
//!   `paid` status and the ledger posting are then committed together;
//! - a re-run looks a `processing` payout up by its transfer group first, then
//!   repeats the call with the same key: Stripe returns the first transfer, so
//!   nothing is paid twice and the ledger is posted once (its idempotency key
//!   is unique).

use crate::domain::{BatchStatus, Currency, PayoutStatus, Timestamp, new_id};
use crate::failpoint;
use crate::finance::payouts::Position;
use crate::finance::postings::payout_executed;
use crate::integrations::stripe::{GatewayError, TransferRequest, Transfers};
use crate::store::BeginWrite;
use crate::store::ledger::{Posting, post};
use crate::store::sql::{Param, Sql, bind_as};
use crate::store::{Engine, Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

mod execute;

/// What a vendor is owed and may be paid now, in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VendorBalance {
    /// The vendor.
    pub vendor_id: Uuid,
    /// Their display name.
    pub vendor_name: String,
    /// Currency.
    pub currency: Currency,
    /// Everything the platform owes them.
    pub owed_minor: i64,
    /// Of which still on hold (not delivered `hold_days` ago).
    pub pending_minor: i64,
    /// Payouts proposed, approved or being executed.
    pub in_flight_minor: i64,
    /// What may be paid now.
    pub available_minor: i64,
    /// Days after delivery before earnings become available (plan or platform).
    pub hold_days: i64,
    /// Their Stripe Connect account, once onboarded.
    pub connect_account: Option<String>,
    /// Whether Stripe lets them receive payouts.
    pub payouts_enabled: bool,
    /// Whether the vendor is suspended: their payouts are held (never
    /// proposed or sent) until they are reactivated.
    pub held: bool,
}

/// How a batch's lease (`locked_by`) names the command line running it here:
/// host and process, so a stuck lease says where to look.
pub fn cli_worker() -> String {
    format!("cli@{}:{}", crate::host::name(), std::process::id())
}

/// How a batch's lease names a desktop running it: host and the person.
pub fn desktop_worker(username: &str) -> String {
    format!("desktop {} ({username})", crate::host::name())
}

/// A payout batch as finance sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PayoutBatch {
    /// Row id.
    pub id: Uuid,
    /// Lifecycle state.
    #[sqlx(try_from = "String")]
    pub status: BatchStatus,
    /// Currency of every payout in it.
    pub currency: Currency,
    /// Sum of its payouts.
    pub total_minor: i64,
    /// How many payouts.
    pub payout_count: i64,
    /// Payouts paid so far.
    pub paid_count: i64,
    /// Payouts that failed.
    pub failed_count: i64,
    /// Who prepared it.
    pub created_by_name: String,
    /// First approver.
    pub approved_by_name: Option<String>,
    /// Second approver (four-eyes).
    pub second_approved_by_name: Option<String>,
    /// The desktop executing it right now (or that last did).
    pub locked_by: Option<String>,
    /// When execution finished.
    pub executed_at: Option<Timestamp>,
    /// Why the last execution stopped short.
    pub failure_reason: Option<String>,
    /// When it was prepared.
    pub created_at: Timestamp,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// What to prepare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PrepareBatch {
    /// The currency paid (one batch per currency).
    pub currency: Currency,
    /// Smallest payout; the platform setting `payouts.minimum_minor` when absent.
    pub minimum_minor: Option<i64>,
    /// Only these vendors (all when absent).
    pub vendor_ids: Option<Vec<Uuid>>,
}

/// One payout's outcome during execution, reported as it happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PayoutProgress {
    /// The batch.
    pub batch_id: Uuid,
    /// The payout.
    pub payout_id: Uuid,
    /// The vendor's name.
    pub vendor_name: String,
    /// Where it stands now (`processing`, `paid`, `failed`).
    pub status: PayoutStatus,
    /// Why it failed, in the vendor's words; or why it is still unconfirmed.
    pub failure_reason: Option<String>,
    /// Payouts handled so far, this one included.
    pub done: u32,
    /// Payouts to handle in this run.
    pub total: u32,
}

/// Where a batch execution ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExecutionReport {
    /// The batch after the run.
    pub batch: PayoutBatch,
    /// Paid in this run.
    pub paid: u32,
    /// Failed for good in this run (money stays owed).
    pub failed: u32,
    /// Left `processing`: Stripe did not answer; run again to confirm.
    pub unconfirmed: u32,
}

#[derive(sqlx::FromRow)]
struct Owed {
    vendor_id: Uuid,
    currency: Currency,
    amount: i64,
}

#[derive(sqlx::FromRow)]
struct VendorRow {
    id: Uuid,
    display_name: String,
    plan_hold_days: Option<i64>,
    stripe_account_id: Option<String>,
    payouts_enabled: Option<bool>,
    suspended: bool,
}

#[derive(sqlx::FromRow)]
struct Due {
    id: Uuid,
    vendor_id: Uuid,
    vendor_name: String,
    amount_minor: i64,
    currency: Currency,
    #[sqlx(try_from = "String")]
    status: PayoutStatus,
    idempotency_key: String,
    stripe_account_id: Option<String>,
    payouts_enabled: Option<bool>,
    suspended: bool,
}

const BATCH_SELECT: &str = "SELECT b.id, b.status, b.currency, b.total_minor, CAST(b.payout_count AS BIGINT) AS payout_count, \
     (SELECT count(*) FROM payouts p WHERE p.batch_id = b.id AND p.status = 'paid') AS paid_count, \
     (SELECT count(*) FROM payouts p WHERE p.batch_id = b.id AND p.status = 'failed') AS failed_count, \
     c.display_name AS created_by_name, a1.display_name AS approved_by_name, a2.display_name AS second_approved_by_name, \
     b.locked_by, b.executed_at, b.failure_reason, b.created_at, b.version \
     FROM payout_batches b JOIN users c ON c.id = b.created_by LEFT JOIN users a1 ON a1.id = b.approved_by \
     LEFT JOIN users a2 ON a2.id = b.second_approved_by WHERE b.deleted_at IS NULL";

/// The three queries behind [`VendorBalance`]: owed per vendor and currency,
/// pending for one delivery cutoff, and payouts in flight.
fn owed_sql(currency: Option<Currency>, vendor: Option<Uuid>) -> Sql {
    let mut sql = Sql::new(
        "SELECT e.vendor_id, e.currency, CAST(-sum(e.amount_minor) AS BIGINT) AS amount FROM ledger_entries e \
         JOIN ledger_accounts a ON a.id = e.account_id WHERE a.vendor_id IS NOT NULL AND a.kind = 'liability' \
         AND e.vendor_id IS NOT NULL AND e.deleted_at IS NULL",
    );
    narrow(&mut sql, currency, vendor);
    sql.push(" GROUP BY e.vendor_id, e.currency");
    sql
}

/// Sales captured after `released` and not delivered before `cutoff`: on hold.
fn pending_sql(currency: Option<Currency>, vendor: Option<Uuid>, cutoff: Timestamp, released: Timestamp) -> Sql {
    let mut sql = Sql::new(
        "SELECT e.vendor_id, e.currency, CAST(-sum(e.amount_minor) AS BIGINT) AS amount FROM ledger_entries e \
         JOIN ledger_transactions t ON t.id = e.transaction_id WHERE t.code = 'payment_captured' \
         AND e.vendor_id IS NOT NULL AND e.deleted_at IS NULL AND t.occurred_at > ",
    );
    sql.bind(Param::Time(released))
        .push(
            " AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = t.order_id AND s.vendor_id = e.vendor_id \
             AND s.status = 'delivered' AND s.deleted_at IS NULL AND s.delivered_at <= ",
        )
        .bind(Param::Time(cutoff))
        .push(")");
    narrow(&mut sql, currency, vendor);
    sql.push(" GROUP BY e.vendor_id, e.currency");
    sql
}

fn in_flight_sql(currency: Option<Currency>, vendor: Option<Uuid>) -> Sql {
    let mut sql = Sql::new(
        "SELECT e.vendor_id, e.currency, CAST(sum(e.amount_minor) AS BIGINT) AS amount FROM payouts e \
         WHERE e.status IN ('proposed', 'approved', 'processing') AND e.deleted_at IS NULL",
    );
    narrow(&mut sql, currency, vendor);
    sql.push(" GROUP BY e.vendor_id, e.currency");
    sql
}

fn narrow(sql: &mut Sql, currency: Option<Currency>, vendor: Option<Uuid>) {
    if let Some(c) = currency {
        sql.push(" AND e.currency = ").bind(Param::Currency(c));
    }
    if let Some(v) = vendor {
        sql.push(" AND e.vendor_id = ").bind(Param::Uuid(v));
    }
}

const VENDORS_SQL: &str = "SELECT u.id, u.display_name, CAST(pl.hold_days AS BIGINT) AS plan_hold_days, pr.stripe_account_id, \
     pr.payouts_enabled, u.status = 'suspended' AS suspended FROM users u LEFT JOIN user_profiles pr ON pr.user_id = u.id AND pr.deleted_at IS NULL \
     LEFT JOIN subscriptions s ON s.vendor_id = u.id AND s.status IN ('active', 'trialing', 'past_due') AND s.deleted_at IS NULL \
     LEFT JOIN subscription_plans pl ON pl.id = s.plan_id WHERE u.role = 'vendor' AND u.deleted_at IS NULL";

/// Reads every vendor's position on `$conn` (a pool or a transaction) and
/// evaluates to `Result<Vec<VendorBalance>, StoreError>`. A macro because the
/// same code runs on each engine's own connection type.
macro_rules! load_balances {
    ($conn:expr, $currency:expr, $vendor:expr, $rules:expr, $now:expr) => {{
        async {
            let (currency, vendor, rules, now): (Option<Currency>, Option<Uuid>, HoldRules, Timestamp) =
                ($currency, $vendor, $rules, $now);
            let default_hold = rules.hold_days;
            let released = now.minus_days(rules.release_days);
            let vendors: Vec<VendorRow> = sqlx::query_as(VENDORS_SQL).fetch_all(&mut *$conn).await?;
            let hold_of: BTreeMap<Uuid, i64> =
                vendors.iter().map(|v| (v.id, v.plan_hold_days.unwrap_or(default_hold).max(0))).collect();
            let mut positions: BTreeMap<(Uuid, Currency), Position> = BTreeMap::new();
            let q = owed_sql(currency, vendor);
            for r in bind_as::<_, Owed>(sqlx::query_as(&q.text), &q.params).fetch_all(&mut *$conn).await? {
                positions.entry((r.vendor_id, r.currency)).or_default().owed_minor = r.amount;
            }
            let q = in_flight_sql(currency, vendor);
            for r in bind_as::<_, Owed>(sqlx::query_as(&q.text), &q.params).fetch_all(&mut *$conn).await? {
                positions.entry((r.vendor_id, r.currency)).or_default().in_flight_minor = r.amount;
            }
            let holds: BTreeSet<i64> = hold_of.values().copied().collect();
            for hold in holds {
                let cutoff = now.minus_days(hold);
                let q = pending_sql(currency, vendor, cutoff, released);
                for r in bind_as::<_, Owed>(sqlx::query_as(&q.text), &q.params).fetch_all(&mut *$conn).await? {
                    if hold_of.get(&r.vendor_id) == Some(&hold) {
                        positions.entry((r.vendor_id, r.currency)).or_default().pending_minor = r.amount;
                    }
                }
            }
            let by_id: BTreeMap<Uuid, &VendorRow> = vendors.iter().map(|v| (v.id, v)).collect();
            let out: Vec<VendorBalance> = positions
                .into_iter()
                .filter_map(|((vendor_id, currency), p)| {
                    let v = by_id.get(&vendor_id)?;
                    Some(VendorBalance {
                        vendor_id,
                        vendor_name: v.display_name.clone(),
                        currency,
                        owed_minor: p.owed_minor,
                        pending_minor: p.pending_minor,
                        in_flight_minor: p.in_flight_minor,
                        available_minor: p.available_minor(),
                        hold_days: hold_of.get(&vendor_id).copied().unwrap_or(default_hold),
                        connect_account: v.stripe_account_id.clone(),
                        payouts_enabled: v.payouts_enabled.unwrap_or(false),
                        held: v.suspended,
                    })
                })
                .collect();
            Ok::<_, StoreError>(out)
        }
        .await
    }};
}

/// How long sales stay on hold (platform settings).
#[derive(Debug, Clone, Copy)]
struct HoldRules {
    /// Days after delivery (`payouts.hold_days`; a plan may override it).
    hold_days: i64,
    /// Days after capture when undelivered sales are released anyway
    /// (`payouts.release_after_days`): a parcel never scanned as delivered
    /// does not keep a vendor's money forever.
    release_days: i64,
}

impl Store {
    async fn hold_rules(&self) -> Result<HoldRules, StoreError> {
        Ok(HoldRules {
            hold_days: self.setting_i64("payouts.hold_days", 7).await?,
            release_days: self.setting_i64("payouts.release_after_days", 30).await?,
        })
    }

    /// What each vendor is owed, holds and may be paid now, largest available first.
    pub async fn vendor_balances(
        &self,
        currency: Option<Currency>,
        vendor: Option<Uuid>,
    ) -> Result<Vec<VendorBalance>, StoreError> {
        let rules = self.hold_rules().await?;
        let now = Timestamp::now();
        let mut out = with_pool!(&self.db, |p| {
            let mut conn = p.acquire().await?;
            load_balances!(conn, currency, vendor, rules, now)
        })?;
        out.sort_by(|a, b| b.available_minor.cmp(&a.available_minor).then(a.vendor_name.cmp(&b.vendor_name)));
        Ok(out)
    }

    /// Recent payout batches, newest first.
    pub async fn payout_batches(&self, limit: u32) -> Result<Vec<PayoutBatch>, StoreError> {
        let sql = format!("{BATCH_SELECT} ORDER BY b.created_at DESC, b.id DESC LIMIT {}", limit.clamp(1, 500));
        Ok(with_pool!(&self.db, |p| sqlx::query_as(&sql).fetch_all(p).await)?)
    }

    /// One batch.
    pub async fn payout_batch(&self, id: Uuid) -> Result<PayoutBatch, StoreError> {
        let sql = format!("{BATCH_SELECT} AND b.id = $1");
        let found: Option<PayoutBatch> =
            with_pool!(&self.db, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        found.ok_or(StoreError::NotFound { entity: "payout batch", id: id.to_string() })
    }

    /// The smallest payout a batch for `req` proposes: its own minimum, else
    /// the platform setting `payouts.minimum_minor`. A negative one is refused.
    pub(crate) async fn payout_minimum(&self, req: &PrepareBatch) -> Result<i64, StoreError> {
        match req.minimum_minor {
            Some(m) if m < 0 => Err(StoreError::Validation("the minimum payout cannot be negative".into())),
            Some(m) => Ok(m),
            None => self.setting_i64("payouts.minimum_minor", 0).await,
        }
    }

    /// Proposes one payout per vendor whose available balance in the currency
    /// reaches the minimum, as a draft batch. Works offline too.
    pub async fn prepare_payout_batch(&self, req: &PrepareBatch, created_by: Uuid) -> Result<PayoutBatch, StoreError> {
        let minimum = self.payout_minimum(req).await?;
        let rules = self.hold_rules().await?;
        let only: Option<BTreeSet<Uuid>> = req.vendor_ids.as_ref().map(|v| v.iter().copied().collect());
        let currency = req.currency;
        let engine = self.engine();
        let now = Timestamp::now();
        let batch_id = new_id();
        with_pool!(&self.db, |p| {
            let mut tx = p.begin_write().await?;
            if engine == Engine::Postgres {
                // Two desktops preparing at once would propose the same balance twice.
                sqlx::query("SELECT md_lock_payout_prepare()").execute(&mut *tx).await?;
            }
            let balances = load_balances!(tx, Some(currency), None, rules, now)?;
            let proposals: Vec<(Uuid, i64)> = balances
                .iter()
                .filter(|b| only.as_ref().is_none_or(|o| o.contains(&b.vendor_id)) && !b.held)
                .filter_map(|b| {
                    let position = Position {
                        owed_minor: b.owed_minor,
                        pending_minor: b.pending_minor,
                        in_flight_minor: b.in_flight_minor,
                    };
                    position.proposal(minimum).map(|a| (b.vendor_id, a))
                })
                .collect();
            if proposals.is_empty() {
                return Err(StoreError::Validation(format!(
                    "no vendor has at least {minimum} minor units of {currency} available to pay out"
                )));
            }
            let total: i64 = proposals.iter().map(|p| p.1).sum();
            sqlx::query(
                "INSERT INTO payout_batches (id, status, currency, total_minor, payout_count, created_by, version, created_at, updated_at) \
                 VALUES ($1, 'draft', $2, $3, $4, $5, 1, $6, $6)",
            )
            .bind(batch_id)
            .bind(currency)
            .bind(total)
            .bind(i32::try_from(proposals.len()).unwrap_or(i32::MAX))
            .bind(created_by)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|e| StoreError::from_write("payout batch", e))?;
            for (vendor_id, amount) in proposals {
                let since: Option<Timestamp> = sqlx::query_scalar(
                    "SELECT max(period_end) FROM payouts WHERE vendor_id = $1 AND status = 'paid' AND deleted_at IS NULL",
                )
                .bind(vendor_id)
                .fetch_one(&mut *tx)
                .await?;
                let pid = new_id();
                sqlx::query(
                    "INSERT INTO payouts (id, vendor_id, batch_id, amount_minor, currency, status, idempotency_key, period_start, \
                     period_end, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'proposed', $6, $7, $8, 1, $8, $8)",
                )
                .bind(pid)
                .bind(vendor_id)
                .bind(batch_id)
                .bind(amount)
                .bind(currency)
                .bind(format!("marketdesk-payout-{pid}"))
                .bind(since.unwrap_or(now).min(now))
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::from_write("payout", e))?;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.payout_batch(batch_id).await
    }

    /// Approves a draft batch. When the platform setting
    /// `payouts.second_approval` is true, a second, different person must
    /// approve too before it can be executed.
    pub async fn approve_payout_batch(
        &self,
        id: Uuid,
        approver: Uuid,
        expected_version: i64,
    ) -> Result<PayoutBatch, StoreError> {
        let second_needed = self.setting_bool("payouts.second_approval").await?;
        let batch = self.payout_batch(id).await?;
        if batch.version != expected_version {
            return Err(StoreError::VersionConflict {
                entity: "payout batch",
                id: id.to_string(),
                expected: expected_version,
                actual: batch.version,
            });
        }
        if batch.status != BatchStatus::Draft {
            return Err(StoreError::Validation(format!(
                "only a draft batch can be approved; this one is {}",
                batch.status
            )));
        }
        let now = Timestamp::now();
        let first: Option<Uuid> = with_pool!(&self.db, |p| {
            sqlx::query_scalar("SELECT approved_by FROM payout_batches WHERE id = $1").bind(id).fetch_one(p).await
        })?;
        let (set, done) = match first {
            None if second_needed => ("approved_by = $1, approved_at = $2", false),
            None => ("approved_by = $1, approved_at = $2, status = 'approved'", true),
            Some(a) if a == approver => {
                return Err(StoreError::Validation(
                    "you approved this batch already; a second finance person must approve it".into(),
                ));
            }
            Some(_) => ("second_approved_by = $1, second_approved_at = $2, status = 'approved'", true),
        };
        with_pool!(&self.db, |p| {
            let mut tx = p.begin_write().await?;
            let n = sqlx::query(&format!(
                "UPDATE payout_batches SET {set}, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4 AND status = 'draft'"
            ))
            .bind(approver)
            .bind(now)
            .bind(id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await
            .map_err(|e| StoreError::from_write("payout batch", e))?
            .rows_affected();
            if n != 1 {
                return Err(StoreError::VersionConflict {
                    entity: "payout batch",
                    id: id.to_string(),
                    expected: expected_version,
                    actual: expected_version + 1,
                });
            }
            if done {
                sqlx::query(
                    "UPDATE payouts SET status = 'approved', approved_by = $1, approved_at = $2, version = version + 1, updated_at = $2 \
                     WHERE batch_id = $3 AND status = 'proposed'",
                )
                .bind(approver)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.payout_batch(id).await
    }

    /// Cancels a batch not yet executed; its payouts are cancelled and the
    /// money stays owed (and available to the next batch).
    pub async fn cancel_payout_batch(&self, id: Uuid, expected_version: i64) -> Result<PayoutBatch, StoreError> {
        let now = Timestamp::now();
        let batch = self.payout_batch(id).await?;
        if !matches!(batch.status, BatchStatus::Draft | BatchStatus::Approved) {
            return Err(StoreError::Validation(format!("a batch that is {} cannot be cancelled", batch.status)));
        }
        with_pool!(&self.db, |p| {
            let mut tx = p.begin_write().await?;
            let n = sqlx::query(
                "UPDATE payout_batches SET status = 'cancelled', version = version + 1, updated_at = $1 \
                 WHERE id = $2 AND version = $3 AND status IN ('draft', 'approved')",
            )
            .bind(now)
            .bind(id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n != 1 {
                return Err(StoreError::VersionConflict {
                    entity: "payout batch",
                    id: id.to_string(),
                    expected: expected_version,
                    actual: batch.version,
                });
            }
            sqlx::query(
                "UPDATE payouts SET status = 'cancelled', version = version + 1, updated_at = $1 \
                 WHERE batch_id = $2 AND status IN ('proposed', 'approved')",
            )
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.payout_batch(id).await
    }
}
