//! Taking a step in a dispute: handing it to the vendor or the customer,
//! answering, taking it into review, escalating, resolving it with an outcome
//! — each checked against the lifecycle for the person's party, on the
//! version they saw, with its message, its audit entry, the next stage's
//! deadline and the other side told, in one transaction. A refund outcome
//! records the lines and units to give back; finance makes the refund.

use super::row::{dispute_for, ensure_version};
use super::scope::{plan_refund, scope_lines};
use super::sla::{due_at, sla_hours_in};
use super::thread::{insert_message_in, message_text, preview};
use crate::domain::dispute_lifecycle::{DisputeAction, DisputeOutcome, DisputeParty, next};
use crate::domain::notifications::NotificationKind;
use crate::domain::{DisputeStatus, Role, Timestamp};
use crate::finance::refunds::RefundLine;
use crate::notifications::{Audience, Notice, notify_in};
use crate::orders::view::Reader;
use crate::store::audit::{NewAuditEntry, record_audit_in};
use crate::store::sql::{Param, Sql};
use crate::store::versioned::update_versioned_in;
use crate::store::write_tx::WriteTx;
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A step to take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DisputeStep {
    /// The dispute.
    pub dispute_id: Uuid,
    /// Its version the person saw.
    pub version: i64,
    /// What they do.
    pub action: DisputeAction,
    /// What they say (required to hand it over, answer or escalate; optional
    /// to review or resolve).
    pub message: String,
    /// Keep the message among staff (admins only).
    pub internal: bool,
    /// The outcome, to resolve.
    pub resolution: Option<DisputeOutcome>,
    /// For a partial refund: the lines and units to give back.
    pub refund: Vec<RefundLine>,
}

/// What a step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DisputeMoved {
    /// The dispute's new version.
    pub version: i64,
    /// Where it stands now.
    pub status: DisputeStatus,
    /// When its stage runs out (none once ended).
    pub stage_due_at: Option<Timestamp>,
    /// For a refund outcome: what finance is to give back, minor units.
    pub refund_minor: Option<i64>,
}

/// Takes `step` for `actor`.
pub async fn take_step(store: &Store, actor: Reader, step: &DisputeStep) -> Result<DisputeMoved, StoreError> {
    let mut tx = store.begin_write_tx().await?;
    let moved = take_step_in(&mut tx, actor, step).await?;
    tx.commit().await?;
    Ok(moved)
}

/// Whether `action` needs words from the person.
fn needs_message(action: DisputeAction) -> bool {
    matches!(
        action,
        DisputeAction::AskVendor | DisputeAction::AskCustomer | DisputeAction::Answer | DisputeAction::Escalate
    )
}

/// [`take_step`] inside an open transaction: the one code path for a step
/// taken online and one queued offline and replayed by sync.
pub async fn take_step_in(tx: &mut WriteTx<'_>, actor: Reader, step: &DisputeStep) -> Result<DisputeMoved, StoreError> {
    if step.action == DisputeAction::Timeout {
        return Err(StoreError::AccessDenied("only the clock times a dispute out".into()));
    }
    let (row, party) = dispute_for(tx, actor, step.dispute_id).await?;
    ensure_version(&row, step.version)?;
    if step.internal && party != DisputeParty::Admin {
        return Err(StoreError::AccessDenied("internal notes are the platform staff's".into()));
    }
    let to =
        next(row.status, step.action, party, step.resolution).map_err(|e| StoreError::Validation(e.to_string()))?;
    let message = match step.message.trim() {
        "" if needs_message(step.action) => {
            return Err(StoreError::Validation("say in a message what you are asking or answering".into()));
        }
        "" => None,
        text => Some(message_text(text)?),
    };
    let resolution = if step.action == DisputeAction::Resolve { step.resolution } else { None };
    let plan = match resolution {
        Some(r) if r.refunds() => {
            let scope = scope_lines(tx, row.order_id, row.vendor_id, row.order_item_id).await?;
            Some(plan_refund(&scope, &step.refund, r == DisputeOutcome::RefundFull)?)
        }
        _ => None,
    };
    let now = Timestamp::now();
    let due = due_at(&sla_hours_in(tx).await?, to, now);
    let mut set = Sql::new("status = ");
    set.bind(Param::Text(to.as_str().into()));
    match due {
        Some(t) => set.push(", stage_due_at = ").bind(Param::Time(t)),
        None => set.push(", stage_due_at = NULL"),
    };
    set.push(", overdue_at = NULL");
    if let Some(r) = resolution {
        set.push(", resolution = ").bind(Param::Text(r.as_str().into()));
        set.push(", resolved_at = ").bind(Param::Time(now));
        if let Some(m) = message {
            set.push(", resolution_note = ").bind(Param::Text(m.into()));
        }
    }
    if let Some(p) = &plan {
        let lines = serde_json::to_string(&p.lines).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        set.push(", refund_lines = ").bind(Param::Text(lines));
        set.push(", refund_minor = ").bind(Param::I64(p.amount_minor));
        set.push(", refund_state = 'due'");
    }
    if party == DisputeParty::Admin && row.assigned_to.is_none() {
        set.push(", assigned_to = ").bind(Param::Uuid(actor.id));
    }
    let version = update_versioned_in(tx, "disputes", "dispute", row.id, step.version, set).await?;
    if let Some(m) = message {
        insert_message_in(tx, row.id, actor.id, m, step.internal).await?;
    }
    record_audit_in(
        tx,
        &NewAuditEntry {
            actor_id: Some(actor.id),
            actor_role: Some(actor.role.as_str().into()),
            action: format!("disputes.{}", step.action),
            entity_table: Some("disputes".into()),
            entity_id: Some(row.id),
            details: Some(serde_json::json!({
                "from": row.status, "to": to, "resolution": resolution,
                "refund_minor": plan.as_ref().map(|p| p.amount_minor), "refund": plan.as_ref().map(|p| &p.lines),
            })),
        },
    )
    .await?;
    let admins = row.assigned_to.map_or(Audience::Role(Role::Admin), Audience::Person);
    let number = &row.order_number;
    let told = match (party, step.action) {
        (DisputeParty::Vendor, DisputeAction::Escalate) => {
            Some((admins, NotificationKind::DisputeEscalated, format!("Dispute on {number} escalated by the vendor")))
        }
        (DisputeParty::Vendor, DisputeAction::Resolve) => Some((
            admins,
            NotificationKind::DisputeAnswered,
            format!("Dispute on {number}: the vendor conceded ({})", resolution.map_or("", |r| r.words())),
        )),
        (DisputeParty::Vendor, _) => {
            Some((admins, NotificationKind::DisputeAnswered, format!("Dispute on {number}: the vendor answered")))
        }
        (_, DisputeAction::AskVendor) => row.vendor_id.map(|v| {
            (Audience::Person(v), NotificationKind::DisputeAnswered, format!("Dispute on {number} waits on you"))
        }),
        (_, DisputeAction::Resolve) => row.vendor_id.map(|v| {
            (
                Audience::Person(v),
                NotificationKind::DisputeAnswered,
                format!("Dispute on {number} resolved: {}", resolution.map_or("", |r| r.words())),
            )
        }),
        _ => None,
    };
    if let Some((to, kind, title)) = told {
        let body = match message {
            Some(m) if !step.internal => preview(m),
            _ => row.subject.clone(),
        };
        notify_in(tx, Some(actor.id), &Notice::new(kind, to, title).body(body).about("disputes", row.id)).await?;
    }
    Ok(DisputeMoved { version, status: to, stage_due_at: due, refund_minor: plan.map(|p| p.amount_minor) })
}

/// Hands `dispute` to `to` (an active admin), or to nobody, for an admin.
pub async fn assign_dispute(
    store: &Store,
    actor: Reader,
    dispute: Uuid,
    version: i64,
    to: Option<Uuid>,
) -> Result<i64, StoreError> {
    if actor.role != Role::Admin {
        return Err(StoreError::AccessDenied("admins assign disputes".into()));
    }
    let mut tx = store.begin_write_tx().await?;
    let (row, _) = dispute_for(&mut tx, actor, dispute).await?;
    ensure_version(&row, version)?;
    if let Some(person) = to {
        let admin: Option<bool> = crate::store::write_tx::with_tx!(&mut tx, |c| sqlx::query_scalar(
            "SELECT status = 'active' FROM users WHERE id = $1 AND role = 'admin' AND deleted_at IS NULL"
        )
        .bind(person)
        .fetch_optional(&mut *c)
        .await)?;
        if admin != Some(true) {
            return Err(StoreError::Validation("disputes are assigned to active admins".into()));
        }
    }
    let mut set = Sql::new("assigned_to = ");
    match to {
        Some(p) => set.bind(Param::Uuid(p)),
        None => set.push("NULL"),
    };
    let version = update_versioned_in(&mut tx, "disputes", "dispute", dispute, version, set).await?;
    record_audit_in(
        &mut tx,
        &NewAuditEntry {
            actor_id: Some(actor.id),
            actor_role: Some(actor.role.as_str().into()),
            action: "disputes.assign".into(),
            entity_table: Some("disputes".into()),
            entity_id: Some(dispute),
            details: Some(serde_json::json!({ "from": row.assigned_to, "to": to })),
        },
    )
    .await?;
    if let Some(person) = to.filter(|p| *p != actor.id) {
        let notice = Notice::new(
            NotificationKind::DisputeEscalated,
            Audience::Person(person),
            format!("Dispute on {} assigned to you", row.order_number),
        )
        .body(row.subject)
        .about("disputes", dispute);
        notify_in(&mut tx, Some(actor.id), &notice).await?;
    }
    tx.commit().await?;
    Ok(version)
}
