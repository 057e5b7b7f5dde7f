//! Executing an approved payout batch against Stripe, once whatever happens
//! (see the parent module for how).

use super::*;
use crate::domain::notifications::NotificationKind;
use crate::domain::{Money, Role};
use crate::notifications::{Audience, Notice, notify_in};
use crate::store::write_tx::{WriteTx, with_tx};

impl Store {
    /// Executes an approved batch against the payment gateway (see the module
    /// documentation for why nothing is ever paid twice). `worker` names this
    /// desktop or worker in `locked_by`; `progress` hears each payout's outcome.
    pub async fn execute_payout_batch<G: Transfers>(
        &self,
        id: Uuid,
        worker: &str,
        actor: Option<Uuid>,
        gateway: &G,
        mut progress: impl FnMut(&PayoutProgress) + Send,
    ) -> Result<ExecutionReport, StoreError> {
        let pool = self.pg_pool().ok_or_else(|| {
            StoreError::OnlineOnly(
                "payouts are executed online only: connect to the marketplace server (approving works offline)".into(),
            )
        })?;
        // The lease is an open transaction of its own: it holds the lock on one
        // server connection until it ends (also through a transaction pooler),
        // and if this process dies or this future is dropped, the transaction
        // ends and the lock goes with it. It only waits, so the login's limit
        // on idle transactions is lifted for it alone.
        let mut lease = pool.begin().await?;
        sqlx::query("SET LOCAL idle_in_transaction_session_timeout = 0").execute(&mut *lease).await?;
        // People cannot take advisory locks themselves (migration 0010): the
        // lease is taken through a function that checks the caller is finance.
        let got: bool = sqlx::query_scalar("SELECT md_try_lock_payout_batch_for_transaction($1)")
            .bind(id)
            .fetch_one(&mut *lease)
            .await?;
        if !got {
            let _ = lease.rollback().await;
            let who: Option<(Option<String>, Option<Timestamp>)> =
                sqlx::query_as("SELECT locked_by, locked_at FROM payout_batches WHERE id = $1")
                    .bind(id)
                    .fetch_optional(pool)
                    .await?;
            let (by, at) = who.unwrap_or((None, None));
            return Err(StoreError::Busy(format!(
                "this payout batch is being executed right now{}{}; wait for it to finish",
                by.map(|b| format!(" by {b}")).unwrap_or_default(),
                at.map(|t| format!(" (since {t})")).unwrap_or_default(),
            )));
        }
        let outcome = self.run_batch(pool, id, worker, actor, gateway, &mut progress).await;
        // Ending the transaction releases the lock whatever happened above.
        let _ = lease.rollback().await;
        outcome
    }

    async fn run_batch<G: Transfers>(
        &self,
        pool: &sqlx::PgPool,
        id: Uuid,
        worker: &str,
        actor: Option<Uuid>,
        gateway: &G,
        progress: &mut (impl FnMut(&PayoutProgress) + Send),
    ) -> Result<ExecutionReport, StoreError> {
        let claimed = sqlx::query(
            "UPDATE payout_batches SET status = 'executing', locked_by = $2, locked_at = now(), failure_reason = NULL, \
             version = version + 1, updated_at = now() WHERE id = $1 AND deleted_at IS NULL \
             AND status IN ('approved', 'executing', 'failed')",
        )
        .bind(id)
        .bind(worker)
        .execute(pool)
        .await?
        .rows_affected();
        if claimed != 1 {
            let batch = self.payout_batch(id).await?;
            return Err(StoreError::Validation(match batch.status {
                BatchStatus::Draft => "this batch is not approved yet".to_owned(),
                BatchStatus::Completed => "this batch was executed already".to_owned(),
                s => format!("a batch that is {s} cannot be executed"),
            }));
        }
        let due: Vec<Due> = sqlx::query_as(
            "SELECT p.id, p.vendor_id, u.display_name AS vendor_name, p.amount_minor, p.currency, p.status, p.idempotency_key, \
             pr.stripe_account_id, pr.payouts_enabled, u.status = 'suspended' AS suspended FROM payouts p JOIN users u ON u.id = p.vendor_id \
             LEFT JOIN user_profiles pr ON pr.user_id = p.vendor_id WHERE p.batch_id = $1 AND p.deleted_at IS NULL \
             AND p.status IN ('approved', 'processing') ORDER BY u.display_name, p.id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?;
        let total = u32::try_from(due.len()).unwrap_or(u32::MAX);
        let (mut paid, mut failed, mut unconfirmed) = (0u32, 0u32, 0u32);
        for (i, p) in due.into_iter().enumerate() {
            let done = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let report = |status, failure_reason: Option<String>| PayoutProgress {
                batch_id: id,
                payout_id: p.id,
                vendor_name: p.vendor_name.clone(),
                status,
                failure_reason,
                done,
                total,
            };
            // A payout that cannot be sent fails, its amount owed again (held,
            // for a suspended vendor, until they are reactivated).
            let destination = match (p.suspended, &p.stripe_account_id, p.payouts_enabled.unwrap_or(false)) {
                (true, ..) => Err("vendor suspended: payout held"),
                (false, Some(acct), true) => Ok(acct.clone()),
                (false, None, _) => Err("Connect account not set up"),
                (false, Some(_), false) => Err("Connect account not verified"),
            };
            let destination = match destination {
                Ok(acct) => acct,
                Err(why) => {
                    self.fail_payout(pool, &p, actor, why).await?;
                    failed += 1;
                    progress(&report(PayoutStatus::Failed, Some(why.into())));
                    continue;
                }
            };
            sqlx::query(
                "UPDATE payouts SET status = 'processing', version = version + 1, updated_at = now() \
                 WHERE id = $1 AND status = 'approved'",
            )
            .bind(p.id)
            .execute(pool)
            .await?;
            progress(&report(PayoutStatus::Processing, None));
            let group = format!("payout:{}", p.id);
            let earlier = if p.status == PayoutStatus::Processing {
                match gateway.find_transfer(&group).await {
                    Ok(found) => found,
                    Err(e) => {
                        unconfirmed += 1;
                        progress(&report(PayoutStatus::Processing, Some(e.to_string())));
                        continue;
                    }
                }
            } else {
                None
            };
            let result = match earlier {
                Some(t) => Ok(t),
                None => {
                    gateway
                        .transfer(&TransferRequest {
                            amount_minor: p.amount_minor,
                            currency: p.currency,
                            destination,
                            idempotency_key: p.idempotency_key.clone(),
                            group: group.clone(),
                            description: format!("Marketdesk payout to {}", p.vendor_name),
                        })
                        .await
                }
            };
            match result {
                Ok(t) if t.amount_minor != p.amount_minor => {
                    // A transfer of another amount under this payout's key: never book it as this payout.
                    unconfirmed += 1;
                    let why = format!(
                        "Stripe transfer {} is for {} minor units, the payout for {}",
                        t.id, t.amount_minor, p.amount_minor
                    );
                    progress(&report(PayoutStatus::Processing, Some(why)));
                }
                Ok(t) => {
                    failpoint::hit("payout.after_transfer");
                    let mut tx = pool.begin().await?;
                    sqlx::query(
                        "UPDATE payouts SET status = 'paid', stripe_transfer_id = $2, paid_at = now(), failure_reason = NULL, \
                         version = version + 1, updated_at = now() WHERE id = $1 AND status = 'processing'",
                    )
                    .bind(p.id)
                    .bind(&t.id)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| StoreError::from_write("payout", e))?;
                    let lines = payout_executed(p.vendor_id, p.amount_minor, p.currency)
                        .map_err(|e| StoreError::Validation(e.to_string()))?;
                    post(
                        &mut tx,
                        &Posting {
                            code: "payout_executed",
                            description: format!("Payout to {} ({})", p.vendor_name, t.id),
                            occurred_at: Timestamp::now(),
                            order_id: None,
                            payout_id: Some(p.id),
                            refund_id: None,
                            idempotency_key: format!("payout-executed:{}", p.id),
                            created_by: actor,
                            lines,
                        },
                    )
                    .await?;
                    let mut tx = WriteTx::Postgres(tx);
                    let amount = Money::new(p.amount_minor, p.currency);
                    let notice = Notice::new(
                        NotificationKind::PayoutSent,
                        Audience::Person(p.vendor_id),
                        format!("Payout of {amount} sent"),
                    )
                    .body(format!("Stripe transfer {}; it reaches your bank on Stripe's schedule.", t.id))
                    .about("earnings", p.id);
                    notify_in(&mut tx, actor, &notice).await?;
                    tx.commit().await?;
                    paid += 1;
                    progress(&report(PayoutStatus::Paid, None));
                }
                Err(GatewayError::Refused { reason, .. }) => {
                    self.fail_payout(pool, &p, actor, &reason).await?;
                    failed += 1;
                    progress(&report(PayoutStatus::Failed, Some(reason)));
                }
                Err(e) => {
                    unconfirmed += 1;
                    progress(&report(PayoutStatus::Processing, Some(e.to_string())));
                }
            }
        }
        let reason = (unconfirmed > 0).then(|| {
            format!("{unconfirmed} payout(s) could not be confirmed with Stripe; run the batch again to finish them")
        });
        sqlx::query(
            "UPDATE payout_batches SET status = $2, failure_reason = $3, executed_at = CASE WHEN $2 = 'completed' THEN now() END, \
             locked_at = NULL, locked_by = NULL, version = version + 1, updated_at = now() WHERE id = $1",
        )
        .bind(id)
        .bind(if reason.is_some() { "failed" } else { "completed" })
        .bind(&reason)
        .execute(pool)
        .await?;
        Ok(ExecutionReport { batch: self.payout_batch(id).await?, paid, failed, unconfirmed })
    }

    /// Marks payout `p` failed for `reason` and tells its vendor and finance.
    async fn fail_payout(
        &self,
        pool: &sqlx::PgPool,
        p: &Due,
        actor: Option<Uuid>,
        reason: &str,
    ) -> Result<(), StoreError> {
        let mut tx = WriteTx::Postgres(pool.begin().await?);
        let failed = with_tx!(&mut tx, |c| sqlx::query(
            "UPDATE payouts SET status = 'failed', failure_reason = $2, version = version + 1, updated_at = now() \
             WHERE id = $1 AND status IN ('approved', 'processing')",
        )
        .bind(p.id)
        .bind(reason)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
        if failed == 1 {
            let amount = Money::new(p.amount_minor, p.currency);
            let title = format!("Payout of {amount} to {} failed", p.vendor_name);
            for to in [Audience::Person(p.vendor_id), Audience::Role(Role::Finance)] {
                let notice =
                    Notice::new(NotificationKind::PayoutFailed, to, title.clone()).body(reason).about("payouts", p.id);
                notify_in(&mut tx, actor, &notice).await?;
            }
        }
        tx.commit().await
    }
}
