//! The orders list as a given person may ask for it: their lens decides the
//! rows and columns, and a filter on a dimension their role may not read
//! (payments for logistics, say) is refused rather than silently ignored.

use super::view::Reader;
use crate::domain::{DisputeState, FulfilmentState, PaymentState, RefundState, Role};
use crate::store::orders::{Order, OrderFilter, OrderSort};
use crate::store::{Page, PageRequest, Store, StoreError};

/// A page of the orders `reader` may see, filtered, searched and sorted.
pub async fn orders_for(
    store: &Store,
    reader: Reader,
    filter: &OrderFilter,
    page: &PageRequest<OrderSort>,
) -> Result<Page<Order>, StoreError> {
    let lens = reader.lens()?;
    check_facets(reader.role, filter)?;
    store.list_orders(&lens, filter, page).await
}

/// Refuses a filter on a dimension `role` may not read.
pub fn check_facets(role: Role, filter: &OrderFilter) -> Result<(), StoreError> {
    let dimensions: [(bool, &[Role], &str); 4] = [
        (!filter.payment.is_empty(), PaymentState::READERS, "payment"),
        (!filter.fulfilment.is_empty(), FulfilmentState::READERS, "fulfilment"),
        (!filter.refund.is_empty(), RefundState::READERS, "refunds"),
        (!filter.dispute.is_empty(), DisputeState::READERS, "disputes"),
    ];
    match dimensions.iter().find(|(chosen, readers, _)| *chosen && !readers.contains(&role)) {
        Some((_, _, what)) => Err(StoreError::Validation(format!("the {role} role may not filter orders by {what}"))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_on_a_dimension_the_role_cannot_read_is_refused() {
        let by_payment = OrderFilter { payment: vec![PaymentState::Paid], ..OrderFilter::default() };
        assert!(check_facets(Role::Finance, &by_payment).is_ok());
        let refused = check_facets(Role::Logistics, &by_payment).unwrap_err();
        assert!(refused.to_string().contains("payment"), "{refused}");
        let by_parcels = OrderFilter { fulfilment: vec![FulfilmentState::Problem], ..OrderFilter::default() };
        assert!(check_facets(Role::Logistics, &by_parcels).is_ok());
        assert!(check_facets(Role::Vendor, &by_parcels).is_ok());
        let by_dispute = OrderFilter { dispute: vec![DisputeState::Open], ..OrderFilter::default() };
        assert!(check_facets(Role::Logistics, &by_dispute).is_err());
        assert!(check_facets(Role::Vendor, &OrderFilter::default()).is_ok());
    }
}
