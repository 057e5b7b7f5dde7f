//! What a vendor can be paid: the balance owed, less earnings still on hold,
//! less payouts already on their way.

/// A vendor's position in one currency, minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    /// What the platform owes the vendor (credit balance of their payable account).
    pub owed_minor: i64,
    /// Part of `owed` from sales not yet delivered `hold_days` ago.
    pub pending_minor: i64,
    /// Payouts proposed, approved or being executed, not yet booked.
    pub in_flight_minor: i64,
}

impl Position {
    /// What may be paid out now (never below zero: a vendor who owes the
    /// platform after refunds is simply not paid).
    pub fn available_minor(&self) -> i64 {
        (self.owed_minor - self.pending_minor.max(0) - self.in_flight_minor.max(0)).max(0)
    }

    /// The payout to propose, if the available amount reaches `minimum_minor`.
    pub fn proposal(&self, minimum_minor: i64) -> Option<i64> {
        let a = self.available_minor();
        (a > 0 && a >= minimum_minor).then_some(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn held_and_in_flight_money_is_not_available() {
        let p = Position { owed_minor: 10_000, pending_minor: 3_000, in_flight_minor: 2_000 };
        assert_eq!(p.available_minor(), 5_000);
        assert_eq!(p.proposal(2_500), Some(5_000));
        assert_eq!(p.proposal(5_001), None);
        assert_eq!(Position { owed_minor: -500, ..Position::default() }.proposal(0), None);
    }

    proptest! {
        #[test]
        fn a_proposal_never_exceeds_what_is_owed_less_what_is_held(
            owed in -1_000_000i64..1_000_000, pending in 0i64..1_000_000, in_flight in 0i64..1_000_000, min in 0i64..10_000,
        ) {
            let p = Position { owed_minor: owed, pending_minor: pending, in_flight_minor: in_flight };
            if let Some(a) = p.proposal(min) {
                prop_assert!(a > 0 && a >= min);
                prop_assert!(a + pending + in_flight <= owed);
            }
        }
    }
}
