//! Cancelling an order, or the part of it one vendor sells, before anything
//! left the warehouse. In one transaction: the lines are marked cancelled,
//! their units go back on the shelf (a paid order took them at payment) or
//! their hold is released (a pending one), the order is cancelled once no
//! line is left open, the reason is written to the audit trail, and the
//! buyer and each vendor concerned get a mail. Money taken for the cancelled
//! lines goes back through finance's refund: the result says how much is due.

use crate::domain::notifications::NotificationKind;
use crate::domain::order_lifecycle::{Action, Mover, check};
use crate::domain::status::text_enum;
use crate::domain::stock::StockMovementKind;
use crate::domain::{Currency, Money, OrderStatus, Timestamp, new_id};
use crate::finance::postings::{Returned, SoldLine};
use crate::mail::outbox::{QUEUE_SQL, queue_params};
use crate::mail::templates::{Template, render};
use crate::notifications::{Audience, Notice, notify_in};
use crate::orders::status::order_state_in;
use crate::orders::view::Reader;
use crate::store::audit::{NewAuditEntry, record_audit_in};
use crate::store::sql::{Param, Sql, bind};
use crate::store::stock_movements::{NewMovement, record_movement_in};
use crate::store::versioned::update_versioned_in;
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

text_enum!(
    /// Why an order or a vendor's part of it is cancelled.
    CancelReason, "cancel reason" {
        CustomerRequest => "customer_request", OutOfStock => "out_of_stock",
        SuspectedFraud => "suspected_fraud", PaymentProblem => "payment_problem",
        Duplicate => "duplicate", Other => "other",
    }
);

impl CancelReason {
    /// The reason in words, for mails and the timeline.
    pub fn words(&self) -> &'static str {
        match self {
            CancelReason::CustomerRequest => "the customer asked for it",
            CancelReason::OutOfStock => "the items are out of stock",
            CancelReason::SuspectedFraud => "the payment looked fraudulent",
            CancelReason::PaymentProblem => "there was a problem with the payment",
            CancelReason::Duplicate => "it duplicated another order",
            CancelReason::Other => "see the note",
        }
    }
}

/// Longest note kept with a cancellation.
pub const MAX_NOTE_CHARS: usize = 1000;

/// A cancellation to make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CancelOrder {
    /// The order.
    pub order_id: Uuid,
    /// The order's version the person saw.
    pub version: i64,
    /// Only this vendor's lines; `None` for the whole order.
    pub vendor_id: Option<Uuid>,
    /// Why.
    pub reason: CancelReason,
    /// More words (required when the reason is `other`).
    pub note: String,
}

/// What a cancellation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Cancellation {
    /// The order's new version.
    pub version: i64,
    /// Its status now (cancelled, or unchanged when other lines stay open).
    pub status: OrderStatus,
    /// Lines cancelled.
    pub lines: u32,
    /// Units back on the shelf or no longer held.
    pub units: i64,
    /// What the buyer paid for the cancelled lines and is owed back (0 when
    /// nothing was paid); finance refunds it.
    pub refund_due_minor: i64,
    /// Currency of the amount.
    pub currency: Currency,
    /// Mails queued (the buyer and each vendor concerned).
    pub mails: u32,
}

#[derive(sqlx::FromRow)]
struct Line {
    id: Uuid,
    vendor_id: Uuid,
    variant_id: Uuid,
    sku: String,
    product_name: String,
    quantity: i32,
    refunded_quantity: i32,
    subtotal_minor: i64,
    tax_minor: i64,
    status: String,
}

impl Line {
    fn is_open(&self) -> bool {
        !matches!(self.status.as_str(), "cancelled" | "refunded")
    }

    /// What the buyer paid for the units not yet refunded.
    fn owed(&self) -> i64 {
        let quantity = u32::try_from(self.quantity).unwrap_or(0);
        let already = u32::try_from(self.refunded_quantity).unwrap_or(0).min(quantity);
        let line = SoldLine {
            vendor_id: self.vendor_id,
            quantity,
            subtotal_minor: self.subtotal_minor,
            tax_minor: self.tax_minor,
            commission_minor: 0,
        };
        if quantity == already {
            0
        } else {
            Returned { line, quantity: quantity - already, already_refunded: already }.to_buyer_minor()
        }
    }
}

#[derive(sqlx::FromRow)]
struct Person {
    display_name: String,
    email: String,
}

/// Cancels what `req` names, for `actor`.
pub async fn cancel_order(store: &Store, actor: Reader, req: &CancelOrder) -> Result<Cancellation, StoreError> {
    let mut tx = store.begin_write_tx().await?;
    let done = cancel_order_in(&mut tx, actor, req).await?;
    tx.commit().await?;
    Ok(done)
}

/// [`cancel_order`] inside an open transaction: the one code path for a
/// cancellation made online and one queued offline and replayed by sync.
pub async fn cancel_order_in(
    tx: &mut WriteTx<'_>,
    actor: Reader,
    req: &CancelOrder,
) -> Result<Cancellation, StoreError> {
    let mover = Mover::of(actor.role)
        .ok_or_else(|| StoreError::AccessDenied(format!("a {} does not cancel orders", actor.role)))?;
    let note = req.note.trim();
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(StoreError::Validation(format!("the note is longer than {MAX_NOTE_CHARS} characters")));
    }
    if req.reason == CancelReason::Other && note.is_empty() {
        return Err(StoreError::Validation("say in the note why the order is cancelled".into()));
    }
    let (status, version) = order_state_in(tx, req.order_id).await?;
    if version != req.version {
        return Err(StoreError::VersionConflict {
            entity: "order",
            id: req.order_id.to_string(),
            expected: req.version,
            actual: version,
        });
    }
    check(status, OrderStatus::Cancelled, mover, Action::Cancel)?;
    let (number, currency, customer_id): (String, Currency, Uuid) =
        with_tx!(tx, |c| sqlx::query_as("SELECT number, currency, customer_id FROM orders WHERE id = $1")
            .bind(req.order_id)
            .fetch_one(&mut *c)
            .await)?;
    let lines: Vec<Line> = with_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT id, vendor_id, variant_id, sku, product_name, quantity, refunded_quantity, subtotal_minor, tax_minor, status \
         FROM order_items WHERE order_id = $1 AND deleted_at IS NULL ORDER BY created_at, id"
    )
    .bind(req.order_id)
    .fetch_all(&mut *c)
    .await
    })?;
    let targets: Vec<&Line> =
        lines.iter().filter(|l| l.is_open() && req.vendor_id.is_none_or(|v| l.vendor_id == v)).collect();
    if targets.is_empty() {
        return Err(StoreError::Validation(match req.vendor_id {
            Some(_) => "this vendor has no open lines in the order".into(),
            None => "every line of the order is already cancelled or refunded".into(),
        }));
    }
    let now = Timestamp::now();
    let paid = status != OrderStatus::Pending;
    let mut units = 0i64;
    let mut owed = 0i64;
    for line in &targets {
        ensure_not_in_a_parcel(tx, line).await?;
        put_back_in(tx, actor.id, req.order_id, line, paid).await?;
        with_tx!(tx, |c| sqlx::query(
            "UPDATE order_items SET status = 'cancelled', version = version + 1, updated_at = $1 WHERE id = $2"
        )
        .bind(now)
        .bind(line.id)
        .execute(&mut *c)
        .await
        .map(|_| ()))
        .map_err(|e| StoreError::from_write("order item", e))?;
        units += i64::from(line.quantity);
        if paid {
            owed += line.owed();
        }
    }
    let left_open = lines.iter().filter(|l| l.is_open()).count() - targets.len();
    let to = if left_open == 0 { OrderStatus::Cancelled } else { status };
    let mut set = Sql::new("status = ");
    set.bind(Param::Text(to.as_str().into()));
    if to == OrderStatus::Cancelled {
        set.push(", cancelled_at = ").bind(Param::Time(now));
    }
    let version = update_versioned_in(tx, "orders", "order", req.order_id, req.version, set).await?;
    let skus: Vec<&str> = targets.iter().map(|l| l.sku.as_str()).collect();
    record_audit_in(
        tx,
        &NewAuditEntry {
            actor_id: Some(actor.id),
            actor_role: Some(actor.role.as_str().into()),
            action: "orders.cancel".into(),
            entity_table: Some("orders".into()),
            entity_id: Some(req.order_id),
            details: Some(serde_json::json!({
                "reason": req.reason, "note": note, "vendor_id": req.vendor_id, "skus": skus,
                "units": units, "refund_due_minor": owed, "status": to,
            })),
        },
    )
    .await?;
    let mails = queue_mails(tx, req, &number, currency, customer_id, &targets, owed).await?;
    tell_vendors(tx, actor.id, req, &number, &targets).await?;
    Ok(Cancellation {
        version,
        status: to,
        lines: u32::try_from(targets.len()).unwrap_or(u32::MAX),
        units,
        refund_due_minor: owed,
        currency,
        mails,
    })
}

/// Refuses a line already in a parcel that has a label or has left: that
/// is returned, not cancelled.
async fn ensure_not_in_a_parcel(tx: &mut WriteTx<'_>, line: &Line) -> Result<(), StoreError> {
    let parcels: i64 = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT count(*) FROM shipment_items si JOIN shipments s ON s.id = si.shipment_id \
         WHERE si.order_item_id = $1 AND si.deleted_at IS NULL AND s.deleted_at IS NULL \
         AND s.status NOT IN ('pending', 'cancelled')"
    )
    .bind(line.id)
    .fetch_one(&mut *c)
    .await)?;
    if parcels > 0 {
        return Err(StoreError::Validation(format!(
            "{} ({}) is in a parcel that has a label or has left: void the label first, or take it back as a return",
            line.product_name, line.sku
        )));
    }
    Ok(())
}

/// Puts the cancellation at the bell of each vendor whose lines it took.
async fn tell_vendors(
    tx: &mut WriteTx<'_>,
    actor: Uuid,
    req: &CancelOrder,
    number: &str,
    targets: &[&Line],
) -> Result<(), StoreError> {
    let mut vendors: Vec<Uuid> = targets.iter().map(|l| l.vendor_id).collect();
    vendors.sort_unstable();
    vendors.dedup();
    for vendor in vendors {
        let skus: Vec<&str> = targets.iter().filter(|l| l.vendor_id == vendor).map(|l| l.sku.as_str()).collect();
        let notice = Notice::new(
            NotificationKind::OrderCancelled,
            Audience::Person(vendor),
            format!("Order {number}: your items were cancelled"),
        )
        .body(format!("{} — {}", req.reason.words(), skus.join(", ")))
        .about("orders", req.order_id);
        notify_in(tx, Some(actor), &notice).await?;
    }
    Ok(())
}

/// Queues the mails to the buyer and to each vendor whose lines were cancelled.
async fn queue_mails(
    tx: &mut WriteTx<'_>,
    req: &CancelOrder,
    number: &str,
    currency: Currency,
    customer_id: Uuid,
    targets: &[&Line],
    owed: i64,
) -> Result<u32, StoreError> {
    let mut vendors: Vec<Uuid> = targets.iter().map(|l| l.vendor_id).collect();
    vendors.sort_unstable();
    vendors.dedup();
    let part = match req.vendor_id {
        Some(v) => Some(person(tx, v).await?.display_name),
        None => None,
    };
    let refund = (owed > 0).then(|| Money::new(owed, currency).to_string());
    let mut mails = 0;
    let mut recipients = vec![(customer_id, None)];
    recipients.extend(vendors.iter().map(|v| (*v, Some(*v))));
    for (who, vendor) in recipients {
        let p = person(tx, who).await?;
        let lines: Vec<String> = targets
            .iter()
            .filter(|l| vendor.is_none_or(|v| l.vendor_id == v))
            .map(|l| format!("{} × {} ({})", l.quantity, l.product_name, l.sku))
            .collect();
        let mail = render(&Template::OrderCancelled {
            name: &p.display_name,
            number,
            part: part.as_deref(),
            reason: req.reason.words(),
            lines: &lines,
            refund: if vendor.is_none() { refund.as_deref() } else { None },
        })
        .map_err(|e| StoreError::Validation(format!("the cancellation mail could not be written: {e}")))?;
        let (_, params) = queue_params(&p.email, &mail);
        with_tx!(tx, |c| bind(sqlx::query(QUEUE_SQL), &params).execute(&mut *c).await.map(|_| ()))
            .map_err(|e| StoreError::from_write("mail", e))?;
        mails += 1;
    }
    Ok(mails)
}

async fn person(tx: &mut WriteTx<'_>, id: Uuid) -> Result<Person, StoreError> {
    let p: Option<Person> = with_tx!(tx, |c| sqlx::query_as("SELECT display_name, email FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *c)
        .await)?;
    p.ok_or(StoreError::NotFound { entity: "user", id: id.to_string() })
}

/// Puts a cancelled line's units back: on the shelf when the order was paid
/// (its stock was taken), else out of what the order held.
async fn put_back_in(
    tx: &mut WriteTx<'_>,
    actor: Uuid,
    order: Uuid,
    line: &Line,
    paid: bool,
) -> Result<(), StoreError> {
    let mut movement = if paid {
        NewMovement::on_hand(new_id(), line.variant_id, StockMovementKind::Cancelled, line.quantity)
    } else {
        let held: i32 =
            with_tx!(tx, |c| sqlx::query_scalar("SELECT stock_reserved FROM product_variants WHERE id = $1")
                .bind(line.variant_id)
                .fetch_one(&mut *c)
                .await)?;
        let released = line.quantity.min(held);
        if released == 0 {
            return Ok(());
        }
        NewMovement {
            reserved_delta: -released,
            ..NewMovement::on_hand(new_id(), line.variant_id, StockMovementKind::Released, 0)
        }
    };
    movement.order = Some(order);
    movement.actor = Some(actor);
    record_movement_in(tx, &movement).await?;
    Ok(())
}
