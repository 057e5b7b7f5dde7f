//! An order's lifecycle, written once: every move an order may make, who may
//! make it, and through which action. The core checks every status change
//! against [`TRANSITIONS`] on both engines, and PostgreSQL holds the same
//! table (`order_transitions`, checked by a trigger and by a test that it
//! matches this one) so a login writing SQL by hand is held to it too.

use super::status::{OrderStatus, Role, text_enum};

text_enum!(
    /// Who moves an order: a person of a role, or the system on news from
    /// outside (Stripe's payment events, the carrier's tracking).
    Mover, "order mover" {
        Admin => "admin", Logistics => "logistics", Finance => "finance",
        Payments => "payments", Carrier => "carrier",
    }
);

text_enum!(
    /// The action a move is made through: a status button, the cancel
    /// dialog, a refund, a dispute, or news from outside.
    Action, "order action" {
        Move => "move", Cancel => "cancel", Refund => "refund", Dispute => "dispute", News => "news",
    }
);

impl Mover {
    /// The mover a person of `role` is; customers and vendors move no order here.
    pub fn of(role: Role) -> Option<Mover> {
        match role {
            Role::Admin => Some(Mover::Admin),
            Role::Logistics => Some(Mover::Logistics),
            Role::Finance => Some(Mover::Finance),
            Role::Vendor | Role::Customer => None,
        }
    }
}

/// One allowed move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// From this status…
    pub from: OrderStatus,
    /// …to this one…
    pub to: OrderStatus,
    /// …made through this action…
    pub action: Action,
    /// …by these.
    pub by: &'static [Mover],
}

use Mover::{Admin, Carrier, Finance, Logistics, Payments};
use OrderStatus::*;

const fn t(from: OrderStatus, to: OrderStatus, action: Action, by: &'static [Mover]) -> Transition {
    Transition { from, to, action, by }
}

const STAFF_SHIP: &[Mover] = &[Admin, Logistics];
const DELIVERS: &[Mover] = &[Admin, Logistics, Carrier];
const REFUNDS: &[Mover] = &[Finance, Payments];
const DISPUTES: &[Mover] = &[Admin, Payments];

/// Every move an order may make. Anything not here is refused.
pub const TRANSITIONS: &[Transition] = &[
    // Paid: only Stripe's event says so (a manual order is paid through a
    // Checkout link), so the ledger always has the payment behind it.
    t(Pending, Paid, Action::News, &[Payments]),
    t(Pending, Cancelled, Action::Cancel, &[Admin, Payments]),
    // The warehouse's steps.
    t(Paid, Processing, Action::Move, STAFF_SHIP),
    t(Paid, PartiallyShipped, Action::Move, STAFF_SHIP),
    t(Paid, Shipped, Action::Move, STAFF_SHIP),
    t(Processing, PartiallyShipped, Action::Move, STAFF_SHIP),
    t(Processing, Shipped, Action::Move, STAFF_SHIP),
    t(PartiallyShipped, Shipped, Action::Move, STAFF_SHIP),
    t(Shipped, Delivered, Action::Move, DELIVERS),
    // Cancelled before anything left the warehouse; the money goes back
    // through finance's refund.
    t(Paid, Cancelled, Action::Cancel, &[Admin]),
    t(Processing, Cancelled, Action::Cancel, &[Admin]),
    // Refunds: finance's refund or Stripe's news of one.
    t(Paid, PartiallyRefunded, Action::Refund, REFUNDS),
    t(Paid, Refunded, Action::Refund, REFUNDS),
    t(Processing, PartiallyRefunded, Action::Refund, REFUNDS),
    t(Processing, Refunded, Action::Refund, REFUNDS),
    t(PartiallyShipped, PartiallyRefunded, Action::Refund, REFUNDS),
    t(PartiallyShipped, Refunded, Action::Refund, REFUNDS),
    t(Shipped, PartiallyRefunded, Action::Refund, REFUNDS),
    t(Shipped, Refunded, Action::Refund, REFUNDS),
    t(Delivered, PartiallyRefunded, Action::Refund, REFUNDS),
    t(Delivered, Refunded, Action::Refund, REFUNDS),
    t(PartiallyRefunded, Refunded, Action::Refund, REFUNDS),
    // What was not refunded still ships and arrives.
    t(PartiallyRefunded, Shipped, Action::Move, STAFF_SHIP),
    t(PartiallyRefunded, Delivered, Action::Move, DELIVERS),
    // Disputes: opened by the card holder (Stripe's news) or an admin, and
    // settled for the seller (delivered) or by a refund.
    t(Paid, Disputed, Action::Dispute, DISPUTES),
    t(Processing, Disputed, Action::Dispute, DISPUTES),
    t(PartiallyShipped, Disputed, Action::Dispute, DISPUTES),
    t(Shipped, Disputed, Action::Dispute, DISPUTES),
    t(Delivered, Disputed, Action::Dispute, DISPUTES),
    t(PartiallyRefunded, Disputed, Action::Dispute, DISPUTES),
    t(Disputed, Delivered, Action::Dispute, DISPUTES),
    t(Disputed, PartiallyRefunded, Action::Refund, REFUNDS),
    t(Disputed, Refunded, Action::Refund, REFUNDS),
];

/// The move from `from` to `to`, if the lifecycle has one.
pub fn transition(from: OrderStatus, to: OrderStatus) -> Option<&'static Transition> {
    TRANSITIONS.iter().find(|t| t.from == from && t.to == to)
}

/// Why a move is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveRefused {
    /// The lifecycle has no such move.
    #[error("an order that is {} cannot become {}", words(*.from), words(*.to))]
    NoSuchMove {
        /// Current status.
        from: OrderStatus,
        /// Asked-for status.
        to: OrderStatus,
    },
    /// The move exists, but not for this mover or not through this action.
    #[error("{} does not make an order {} this way ({} moves it, through {})", who(*.mover), words(*.to), movers(.allowed), .action)]
    NotYours {
        /// Who asked.
        mover: Mover,
        /// Asked-for status.
        to: OrderStatus,
        /// Who may.
        allowed: &'static [Mover],
        /// The action the move is made through.
        action: Action,
    },
}

fn words(s: OrderStatus) -> String {
    s.as_str().replace('_', " ")
}

fn who(m: Mover) -> &'static str {
    match m {
        Admin => "an admin",
        Logistics => "the warehouse",
        Finance => "finance",
        Payments => "a payment event",
        Carrier => "the carrier's tracking",
    }
}

fn movers(all: &[Mover]) -> String {
    all.iter().map(|m| who(*m)).collect::<Vec<_>>().join(" or ")
}

/// Checks that `mover` may move an order from `from` to `to` through `action`.
pub fn check(from: OrderStatus, to: OrderStatus, mover: Mover, action: Action) -> Result<(), MoveRefused> {
    let t = transition(from, to).ok_or(MoveRefused::NoSuchMove { from, to })?;
    if t.action == action && t.by.contains(&mover) {
        Ok(())
    } else {
        Err(MoveRefused::NotYours { mover, to, allowed: t.by, action: t.action })
    }
}

impl OrderStatus {
    /// The statuses an order may move to from this one, by anyone.
    pub fn next(&self) -> Vec<OrderStatus> {
        TRANSITIONS.iter().filter(|t| t.from == *self).map(|t| t.to).collect()
    }

    /// Whether `to` is a legal next status for someone.
    pub fn can_become(&self, to: OrderStatus) -> bool {
        transition(*self, to).is_some()
    }

    /// The status buttons a person of `role` is offered from this status:
    /// the plain moves (not cancel, refund or dispute, which have their own
    /// dialogs) their role may make.
    pub fn moves_for(&self, role: Role) -> Vec<OrderStatus> {
        let Some(mover) = Mover::of(role) else { return Vec::new() };
        TRANSITIONS
            .iter()
            .filter(|t| t.from == *self && t.action == Action::Move && t.by.contains(&mover))
            .map(|t| t.to)
            .collect()
    }

    /// The roles that move orders by hand (status buttons).
    pub const MOVED_BY: &'static [Role] = &[Role::Admin, Role::Logistics];

    /// The roles that cancel orders.
    pub const CANCELLED_BY: &'static [Role] = &[Role::Admin];

    /// Whether an admin may cancel the order (whole or a vendor's part) now.
    pub fn is_cancellable(&self) -> bool {
        transition(*self, OrderStatus::Cancelled).is_some()
    }

    /// The statuses of orders waiting for the warehouse: paid and not yet
    /// (fully) shipped — the fulfilment queue.
    pub const AWAITING_FULFILMENT: &'static [OrderStatus] =
        &[OrderStatus::Paid, OrderStatus::Processing, OrderStatus::PartiallyShipped];

    /// Whether money was taken for the order and not all of it is known to be
    /// back, so finance may refund it. A cancelled order that had been paid
    /// is refunded through the same dialog (its status stays cancelled).
    pub fn is_refundable(&self, paid: bool) -> bool {
        match self {
            OrderStatus::Pending | OrderStatus::Refunded => false,
            OrderStatus::Cancelled => paid,
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_well_formed() {
        for (i, a) in TRANSITIONS.iter().enumerate() {
            assert_ne!(a.from, a.to, "{} to itself", a.from);
            assert!(!a.by.is_empty(), "{} → {}: nobody", a.from, a.to);
            for b in &TRANSITIONS[i + 1..] {
                assert!(!(a.from == b.from && a.to == b.to), "{} → {} twice", a.from, a.to);
            }
        }
        assert!(Cancelled.next().is_empty() && Refunded.next().is_empty(), "terminal");
        // Every status is reached from pending.
        let mut seen = vec![Pending];
        let mut i = 0;
        while i < seen.len() {
            for n in seen[i].next() {
                if !seen.contains(&n) {
                    seen.push(n);
                }
            }
            i += 1;
        }
        assert_eq!(seen.len(), OrderStatus::ALL.len(), "reached: {seen:?}");
    }

    #[test]
    fn the_role_lists_follow_the_table() {
        for role in Role::ALL {
            let mover = Mover::of(*role);
            let has = |a: Action| TRANSITIONS.iter().any(|t| t.action == a && mover.is_some_and(|m| t.by.contains(&m)));
            assert_eq!(OrderStatus::MOVED_BY.contains(role), has(Action::Move), "{role} moves");
            assert_eq!(OrderStatus::CANCELLED_BY.contains(role), has(Action::Cancel), "{role} cancels");
        }
    }

    #[test]
    fn each_role_gets_its_own_moves() {
        assert_eq!(Paid.moves_for(Role::Logistics), vec![Processing, PartiallyShipped, Shipped]);
        assert!(Pending.moves_for(Role::Admin).is_empty(), "only a payment makes an order paid");
        assert!(Pending.moves_for(Role::Logistics).is_empty(), "the warehouse never marks an order paid");
        assert!(Paid.moves_for(Role::Finance).is_empty(), "finance moves orders by refunding");
        assert!(Paid.moves_for(Role::Vendor).is_empty());
        assert!(check(Paid, Cancelled, Logistics, Action::Cancel).is_err());
        assert!(check(Paid, Cancelled, Admin, Action::Move).is_err(), "cancelling has its own dialog");
        assert!(check(Paid, Cancelled, Admin, Action::Cancel).is_ok());
        assert!(check(Shipped, Cancelled, Admin, Action::Cancel).is_err(), "shipped goods are returned, not cancelled");
        let e = check(Pending, Paid, Logistics, Action::Move).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the warehouse does not make an order paid this way (a payment event moves it, through news)"
        );
        assert!(Cancelled.is_refundable(true) && !Cancelled.is_refundable(false));
        assert!(!Pending.is_refundable(false) && Delivered.is_refundable(true));
    }
}
