//! One order as a given person reads it: a vendor sees only their own lines,
//! and every reader is told which moves they may make now, so the screens
//! offer exactly what the core would accept.

use crate::domain::{OrderStatus, Role};
use crate::store::orders::OrderDetail;
use crate::store::{Store, StoreError};
use uuid::Uuid;

/// The person reading an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reader {
    /// Their users row id (a vendor's id is their vendor id).
    pub id: Uuid,
    /// Their role.
    pub role: Role,
}

/// The order `id` as `reader` may see it, with the moves and the refund they
/// may make. A vendor holding none of its lines is told it does not exist.
pub async fn order_for(store: &Store, reader: Reader, id: Uuid) -> Result<OrderDetail, StoreError> {
    let mut detail = store.order(id).await?;
    if reader.role == Role::Vendor {
        detail.items.retain(|i| i.vendor_id == reader.id);
        if detail.items.is_empty() {
            return Err(StoreError::NotFound { entity: "order", id: id.to_string() });
        }
    }
    let status: OrderStatus = detail.order.status;
    detail.next = status.moves_for(reader.role);
    detail.refundable = reader.role == Role::Finance && status.is_refundable();
    Ok(detail)
}
