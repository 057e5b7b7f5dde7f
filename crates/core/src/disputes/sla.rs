//! Service-level time: the hours each stage allows (platform settings over
//! the defaults), each stage's deadline, and the clock's round — a dispute
//! whose vendor, customer or platform stage ran past its deadline is
//! escalated to the platform; an escalated one past its deadline again is
//! marked overdue (shown in red) and its admins are told, once.

use super::row::{DisputeRow, ROW_SELECT};
use crate::domain::dispute_lifecycle::{DisputeAction, DisputeParty, SlaHours, Stage, next, stage};
use crate::domain::notifications::NotificationKind;
use crate::domain::{DisputeStatus, Role, Timestamp};
use crate::notifications::{Audience, Notice, notify_in};
use crate::store::audit::{NewAuditEntry, record_audit_in};
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Store, StoreError};
use chrono::Duration;
use uuid::Uuid;

/// The hours each stage allows, read inside `tx` (a value that is not a
/// whole number of hours from 1 to [`SlaHours::MAX`] keeps the default).
pub async fn sla_hours_in(tx: &mut WriteTx<'_>) -> Result<SlaHours, StoreError> {
    let sql = "SELECT key, CAST(value AS TEXT) FROM platform_settings WHERE key IN ($1, $2, $3) AND deleted_at IS NULL";
    let [a, b, c] = SlaHours::KEYS;
    let rows: Vec<(String, String)> =
        with_tx!(tx, |conn| sqlx::query_as(sql).bind(a).bind(b).bind(c).fetch_all(&mut *conn).await)?;
    let mut hours = SlaHours::DEFAULT;
    for (key, value) in rows {
        let Ok(h) = value.trim().parse::<i64>() else { continue };
        if !(1..=SlaHours::MAX).contains(&h) {
            continue;
        }
        match key.as_str() {
            k if k == a => hours.vendor = h,
            k if k == b => hours.customer = h,
            _ => hours.platform = h,
        }
    }
    Ok(hours)
}

/// When a dispute entering `status` at `now` must move on; `None` once it has ended.
pub fn due_at(hours: &SlaHours, status: DisputeStatus, now: Timestamp) -> Option<Timestamp> {
    stage(status).map(|s| Timestamp::from(now.as_datetime() + Duration::hours(hours.of(s))))
}

/// What a round of the clock did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SlaRound {
    /// Disputes escalated to the platform because a stage ran out.
    pub escalated: u32,
    /// Escalated disputes marked overdue.
    pub overdue: u32,
}

/// Most disputes one round handles (the rest wait for the next round).
const ROUND: i64 = 500;

/// Escalates each live dispute whose stage ran out by `now`, and marks
/// overdue each escalated one whose time ran out again — each in its own
/// transaction, with its audit entry and its notices. `actor` is the admin
/// whose desktop runs the round (`None`: the worker).
pub async fn run_clock(store: &Store, now: Timestamp, actor: Option<Uuid>) -> Result<SlaRound, StoreError> {
    let sql = "SELECT id FROM disputes WHERE stage_due_at IS NOT NULL AND stage_due_at < $1 \
               AND status NOT IN ('resolved', 'closed') AND overdue_at IS NULL AND deleted_at IS NULL \
               ORDER BY stage_due_at, id LIMIT $2";
    let ids: Vec<Uuid> = {
        let mut tx = store.begin_write_tx().await?;
        let ids = with_tx!(&mut tx, |c| sqlx::query_scalar(sql).bind(now).bind(ROUND).fetch_all(&mut *c).await)?;
        tx.commit().await?;
        ids
    };
    let mut round = SlaRound::default();
    for id in ids {
        let mut tx = store.begin_write_tx().await?;
        match time_out_in(&mut tx, id, now, actor).await? {
            Some(true) => round.escalated += 1,
            Some(false) => round.overdue += 1,
            None => {}
        }
        tx.commit().await?;
    }
    Ok(round)
}

/// One dispute's time out: `Some(true)` escalated, `Some(false)` marked
/// overdue, `None` when it moved meanwhile.
async fn time_out_in(
    tx: &mut WriteTx<'_>,
    id: Uuid,
    now: Timestamp,
    actor: Option<Uuid>,
) -> Result<Option<bool>, StoreError> {
    let sql = format!(
        "{ROW_SELECT} AND d.stage_due_at < $2 AND d.overdue_at IS NULL AND d.status NOT IN ('resolved', 'closed')"
    );
    let row: Option<DisputeRow> =
        with_tx!(tx, |c| sqlx::query_as(&sql).bind(id).bind(now).fetch_optional(&mut *c).await)?;
    let Some(row) = row else { return Ok(None) };
    let was = stage(row.status);
    let escalated = match next(row.status, DisputeAction::Timeout, DisputeParty::System, None) {
        Ok(to) => {
            let hours = sla_hours_in(tx).await?;
            let due = due_at(&hours, to, now);
            let set = "UPDATE disputes SET status = $1, stage_due_at = $2, overdue_at = NULL, version = version + 1, \
                       updated_at = $3 WHERE id = $4";
            with_tx!(tx, |c| sqlx::query(set)
                .bind(to.as_str())
                .bind(due)
                .bind(Timestamp::now())
                .bind(id)
                .execute(&mut *c)
                .await
                .map(|_| ()))
            .map_err(|e| StoreError::from_write("dispute", e))?;
            true
        }
        Err(_) => {
            let set = "UPDATE disputes SET overdue_at = $1, version = version + 1, updated_at = $2 WHERE id = $3";
            with_tx!(tx, |c| sqlx::query(set)
                .bind(now)
                .bind(Timestamp::now())
                .bind(id)
                .execute(&mut *c)
                .await
                .map(|_| ()))
            .map_err(|e| StoreError::from_write("dispute", e))?;
            false
        }
    };
    record_audit_in(
        tx,
        &NewAuditEntry {
            actor_id: actor,
            actor_role: Some(if actor.is_some() { Role::Admin.as_str().into() } else { "system".into() }),
            action: if escalated { "disputes.timeout".into() } else { "disputes.overdue".into() },
            entity_table: Some("disputes".into()),
            entity_id: Some(id),
            details: Some(serde_json::json!({ "from": row.status, "stage": was, "at": now })),
        },
    )
    .await?;
    let to_admins = row.assigned_to.map_or(Audience::Role(Role::Admin), Audience::Person);
    let (kind, title) = if escalated {
        (NotificationKind::DisputeEscalated, format!("Dispute on {} escalated: time ran out", row.order_number))
    } else {
        (NotificationKind::DisputeOverdue, format!("Dispute on {} is overdue", row.order_number))
    };
    let notice = Notice::new(kind, to_admins, title).body(row.subject.clone()).about("disputes", id);
    notify_in(tx, actor, &notice).await?;
    if escalated
        && was == Some(Stage::Vendor)
        && let Some(vendor) = row.vendor_id
    {
        let notice = Notice::new(
            NotificationKind::DisputeEscalated,
            Audience::Person(vendor),
            format!("Dispute on {} went to the platform: no answer in time", row.order_number),
        )
        .body(row.subject)
        .about("disputes", id);
        notify_in(tx, actor, &notice).await?;
    }
    Ok(Some(escalated))
}
