//! The states an order is in besides its lifecycle status, one per dimension
//! people filter by: payment, fulfilment, refunds and disputes. Each state is
//! derived from the order's payments, shipments, refunds and disputes (never
//! stored), and the states of one dimension never overlap, so every order is
//! in exactly one state of each.
//!
//! Each dimension is read from a table not every role may read: `READERS`
//! says who may filter by it.

use super::Role;
use super::status::text_enum;

text_enum!(
    /// Whether the order's money came in.
    PaymentState, "payment state" {
        Paid => "paid", Unpaid => "unpaid", Failed => "failed",
    }
);

text_enum!(
    /// How far the order's parcels have gone (cancelled shipments do not count).
    FulfilmentState, "fulfilment state" {
        Unfulfilled => "unfulfilled", InProgress => "in_progress", Delivered => "delivered", Problem => "problem",
    }
);

text_enum!(
    /// How much of the order was refunded (succeeded refunds only).
    RefundState, "refund state" {
        NotRefunded => "not_refunded", PartlyRefunded => "partly_refunded", FullyRefunded => "fully_refunded",
    }
);

text_enum!(
    /// Whether the order is disputed.
    DisputeState, "dispute state" {
        Undisputed => "undisputed", Open => "open", Settled => "settled",
    }
);

impl PaymentState {
    /// Who may filter by payment: payments are finance's and the admins'.
    pub const READERS: &'static [Role] = &[Role::Admin, Role::Finance];
}

impl FulfilmentState {
    /// Who may filter by fulfilment (a vendor: by their own parcels).
    pub const READERS: &'static [Role] = &[Role::Admin, Role::Finance, Role::Logistics, Role::Vendor];
}

impl RefundState {
    /// Who may filter by refunds (a vendor: refunds of their own lines).
    pub const READERS: &'static [Role] = &[Role::Admin, Role::Finance, Role::Vendor];
}

impl DisputeState {
    /// Who may filter by disputes (a vendor: the disputes they are party to).
    pub const READERS: &'static [Role] = &[Role::Admin, Role::Finance, Role::Vendor];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_through_their_stored_text() {
        for s in PaymentState::ALL {
            assert_eq!(s.as_str().parse::<PaymentState>().unwrap(), *s);
        }
        for s in FulfilmentState::ALL {
            assert_eq!(s.as_str().parse::<FulfilmentState>().unwrap(), *s);
        }
        for s in RefundState::ALL {
            assert_eq!(s.as_str().parse::<RefundState>().unwrap(), *s);
        }
        for s in DisputeState::ALL {
            assert_eq!(s.as_str().parse::<DisputeState>().unwrap(), *s);
        }
        assert!("shipped".parse::<FulfilmentState>().is_err());
    }

    #[test]
    fn logistics_filters_by_parcels_only() {
        assert!(FulfilmentState::READERS.contains(&Role::Logistics));
        assert!(!PaymentState::READERS.contains(&Role::Logistics));
        assert!(!RefundState::READERS.contains(&Role::Logistics));
        assert!(!DisputeState::READERS.contains(&Role::Logistics));
        assert!(!PaymentState::READERS.contains(&Role::Vendor));
    }
}
