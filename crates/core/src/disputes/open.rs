//! Opening a dispute on an order or one of its lines: by an admin (for the
//! customer, who reaches the platform) or by a vendor selling in the order.
//! An admin's dispute with a vendor party starts in the vendor's stage; a
//! vendor's, or one about a whole order, starts with the platform. One live
//! dispute per order, vendor and line at a time.

use super::scope::scope_lines;
use super::sla::{due_at, sla_hours_in};
use super::thread::{insert_message_in, message_text, preview};
use crate::domain::dispute_lifecycle::{DisputeKind, DisputeParty};
use crate::domain::notifications::NotificationKind;
use crate::domain::{Currency, DisputeStatus, Role, Timestamp, new_id};
use crate::notifications::{Audience, Notice, notify_in};
use crate::orders::view::Reader;
use crate::store::audit::{NewAuditEntry, record_audit_in};
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Longest subject.
pub const MAX_SUBJECT_CHARS: usize = 200;

/// A dispute to open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OpenDispute {
    /// The order's number (`MD-10042`), as people say it.
    pub order_number: String,
    /// One line of it, when the dispute is about one.
    pub order_item_id: Option<Uuid>,
    /// The vendor party (an admin's choice; a vendor is always their own;
    /// taken from the line when one is named).
    pub vendor_id: Option<Uuid>,
    /// What it is about (a chargeback comes from Stripe, not from here).
    pub kind: DisputeKind,
    /// One line.
    pub subject: String,
    /// What happened, the first message of the thread (the evidence in words).
    pub message: String,
    /// The amount in question, minor units; `None` for all the lines in question.
    pub amount_minor: Option<i64>,
}

/// What opening did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DisputeOpened {
    /// The new dispute.
    pub id: Uuid,
    /// Where it starts.
    pub status: DisputeStatus,
    /// The amount in question.
    pub amount_minor: i64,
    /// Its currency.
    pub currency: Currency,
    /// When its first stage runs out.
    pub stage_due_at: Option<Timestamp>,
}

/// Opens `req` for `actor`.
pub async fn open_dispute(store: &Store, actor: Reader, req: &OpenDispute) -> Result<DisputeOpened, StoreError> {
    let mut tx = store.begin_write_tx().await?;
    let opened = open_dispute_in(&mut tx, actor, req).await?;
    tx.commit().await?;
    Ok(opened)
}

/// [`open_dispute`] inside an open transaction.
pub async fn open_dispute_in(
    tx: &mut WriteTx<'_>,
    actor: Reader,
    req: &OpenDispute,
) -> Result<DisputeOpened, StoreError> {
    let party = DisputeParty::of(actor.role)
        .ok_or_else(|| StoreError::AccessDenied(format!("a {} does not open disputes", actor.role)))?;
    if req.kind == DisputeKind::Chargeback {
        return Err(StoreError::Validation("chargebacks come from Stripe: choose what the buyer reports".into()));
    }
    let subject = req.subject.trim();
    if subject.is_empty() || subject.chars().count() > MAX_SUBJECT_CHARS {
        return Err(StoreError::Validation(format!("the subject needs 1 to {MAX_SUBJECT_CHARS} characters")));
    }
    let message = message_text(&req.message)?;
    let number = req.order_number.trim();
    let order: Option<(Uuid, Currency, String)> = with_tx!(tx, |c| sqlx::query_as(
        "SELECT id, currency, status FROM orders WHERE number = $1 AND deleted_at IS NULL"
    )
    .bind(number)
    .fetch_optional(&mut *c)
    .await)?;
    let not_found = || StoreError::NotFound { entity: "order", id: number.to_owned() };
    let (order_id, currency, order_status) = order.ok_or_else(not_found)?;
    if matches!(order_status.as_str(), "pending" | "cancelled") {
        return Err(StoreError::Validation(format!("order {number} was never paid: there is nothing to dispute")));
    }
    let asked_vendor = match party {
        DisputeParty::Vendor => Some(actor.id),
        _ => req.vendor_id,
    };
    let all = scope_lines(tx, order_id, None, None).await?;
    let item_vendor = match req.order_item_id {
        Some(item) => Some(
            all.iter()
                .find(|l| l.id == item)
                .map(|l| l.vendor_id)
                .ok_or_else(|| StoreError::Validation(format!("that line is not an open line of order {number}")))?,
        ),
        None => None,
    };
    if let (Some(a), Some(b)) = (asked_vendor, item_vendor)
        && a != b
    {
        return Err(StoreError::Validation("that line is another vendor's".into()));
    }
    let vendor = asked_vendor.or(item_vendor);
    let scope = scope_lines(tx, order_id, vendor, req.order_item_id).await?;
    if scope.is_empty() {
        return Err(match party {
            DisputeParty::Vendor => not_found(),
            _ => StoreError::Validation(format!("that vendor sells nothing open in order {number}")),
        });
    }
    let in_question: i64 = scope.iter().map(|l| l.refund_minor(l.left())).sum();
    let amount = req.amount_minor.unwrap_or(in_question);
    if amount < 0 || amount > in_question {
        return Err(StoreError::Validation(format!(
            "the amount in question is at most {in_question} (minor units) for these lines"
        )));
    }
    let live: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
        "SELECT count(*) FROM disputes WHERE order_id = $1 AND deleted_at IS NULL AND status NOT IN ('resolved', 'closed') \
         AND coalesce(vendor_id, order_id) = coalesce($2, order_id) AND coalesce(order_item_id, order_id) = coalesce($3, order_id)"
    )
    .bind(order_id)
    .bind(vendor)
    .bind(req.order_item_id)
    .fetch_one(&mut *c)
    .await
    })?;
    if live > 0 {
        return Err(StoreError::Validation(format!(
            "a dispute on order {number} about the same items is still open: add to its thread instead"
        )));
    }
    let status = match (party, vendor) {
        (DisputeParty::Admin, Some(_)) => DisputeStatus::AwaitingVendor,
        _ => DisputeStatus::Open,
    };
    let assigned = (party == DisputeParty::Admin).then_some(actor.id);
    let now = Timestamp::now();
    let due = due_at(&sla_hours_in(tx).await?, status, now);
    let id = new_id();
    let insert = "INSERT INTO disputes (id, order_id, order_item_id, opened_by, vendor_id, assigned_to, kind, status, \
                  amount_minor, currency, subject, opened_at, stage_due_at, version, created_at, updated_at) \
                  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $12, $12)";
    with_tx!(tx, |c| sqlx::query(insert)
        .bind(id)
        .bind(order_id)
        .bind(req.order_item_id)
        .bind(actor.id)
        .bind(vendor)
        .bind(assigned)
        .bind(req.kind.as_str())
        .bind(status.as_str())
        .bind(amount)
        .bind(currency)
        .bind(subject)
        .bind(now)
        .bind(due)
        .execute(&mut *c)
        .await
        .map(|_| ()))
    .map_err(|e| StoreError::from_write("dispute", e))?;
    insert_message_in(tx, id, actor.id, message, false).await?;
    record_audit_in(
        tx,
        &NewAuditEntry {
            actor_id: Some(actor.id),
            actor_role: Some(actor.role.as_str().into()),
            action: "disputes.open".into(),
            entity_table: Some("disputes".into()),
            entity_id: Some(id),
            details: Some(serde_json::json!({
                "order": number, "kind": req.kind, "vendor_id": vendor, "order_item_id": req.order_item_id,
                "amount_minor": amount, "status": status,
            })),
        },
    )
    .await?;
    let to = match (party, vendor) {
        (DisputeParty::Admin, Some(v)) => Some(Audience::Person(v)),
        (DisputeParty::Admin, None) => None,
        _ => Some(Audience::Role(Role::Admin)),
    };
    if let Some(to) = to {
        let notice = Notice::new(
            NotificationKind::DisputeOpened,
            to,
            format!("Dispute opened on {number}: {}", req.kind.words()),
        )
        .body(format!("{subject} — {}", preview(message)))
        .about("disputes", id);
        notify_in(tx, Some(actor.id), &notice).await?;
    }
    Ok(DisputeOpened { id, status, amount_minor: amount, currency, stage_due_at: due })
}
