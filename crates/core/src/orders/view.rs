//! One order as a given person reads it: a vendor sees only their own lines,
//! and every reader is told which moves they may make now, so the screens
//! offer exactly what the core would accept.

use crate::domain::{OrderStatus, Role};
use crate::store::order_lens::OrderLens;
use crate::store::orders::OrderDetail;
use crate::store::{Store, StoreError, with_pool};
use uuid::Uuid;

/// The person reading an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reader {
    /// Their users row id (a vendor's id is their vendor id).
    pub id: Uuid,
    /// Their role.
    pub role: Role,
}

impl Reader {
    /// What this reader may see of orders; customers read none here.
    pub fn lens(&self) -> Result<OrderLens, StoreError> {
        OrderLens::of(self.role, self.id)
            .ok_or_else(|| StoreError::Validation("customers read their orders in the storefront".into()))
    }
}

/// The order `id` as `reader` may see it, with the moves and the refund they
/// may make. A vendor holding none of its lines is told it does not exist.
pub async fn order_for(store: &Store, reader: Reader, id: Uuid) -> Result<OrderDetail, StoreError> {
    let mut detail = store.order(&reader.lens()?, id).await?;
    let status: OrderStatus = detail.order.status;
    detail.next = status.moves_for(reader.role);
    detail.cancellable = OrderStatus::CANCELLED_BY.contains(&reader.role) && status.is_cancellable();
    detail.refundable = reader.role == Role::Finance && status.is_refundable(was_paid(store, id, status).await?);
    if reader.role == Role::Admin && status == OrderStatus::Pending {
        detail.awaiting_payment = store.awaiting_payment(id).await?;
    }
    Ok(detail)
}

/// Whether money was taken for the order: every status after pending says
/// so; a cancelled order tells by its payment time.
async fn was_paid(store: &Store, id: Uuid, status: OrderStatus) -> Result<bool, StoreError> {
    if status != OrderStatus::Cancelled {
        return Ok(status != OrderStatus::Pending);
    }
    let sql = "SELECT paid_at IS NOT NULL FROM orders WHERE id = $1";
    Ok(with_pool!(&store.db, |p| sqlx::query_scalar(sql).bind(id).fetch_optional(p).await)?.unwrap_or(false))
}
