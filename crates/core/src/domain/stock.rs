//! Stock as a movement log: every change to a variant's units on hand or held
//! for orders is one movement of a kind, and the variant's numbers are the sum
//! of its movements. The kinds, which of them people record by hand, and the
//! direction each may take live here.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Why a variant's stock changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum StockMovementKind {
    /// The stock a variant started with (and, for variants older than the
    /// log, what it held when the log began).
    Opening,
    /// A delivery from the vendor's supplier put on the shelf.
    Received,
    /// A customer sent units back and they went back on the shelf.
    Returned,
    /// Units found broken or unsellable and taken off the shelf.
    Damaged,
    /// Units missing (lost, stolen).
    Lost,
    /// Units found that the books did not know of.
    Found,
    /// The difference a stock count found, either way.
    Counted,
    /// A correction of an earlier mistake, either way.
    Correction,
    /// Units sold on a paid order, taken off the shelf.
    Sold,
    /// Units held for an order not yet paid.
    Reserved,
    /// Units no longer held for an order.
    Released,
    /// Units of a cancelled paid order put back on the shelf.
    Cancelled,
}

/// Every kind, in the order the UI offers the hand-recorded ones first.
pub const ALL_KINDS: [StockMovementKind; 12] = [
    StockMovementKind::Received,
    StockMovementKind::Returned,
    StockMovementKind::Counted,
    StockMovementKind::Found,
    StockMovementKind::Damaged,
    StockMovementKind::Lost,
    StockMovementKind::Correction,
    StockMovementKind::Opening,
    StockMovementKind::Sold,
    StockMovementKind::Reserved,
    StockMovementKind::Released,
    StockMovementKind::Cancelled,
];

/// Which way a kind may move the units on hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Only adds units.
    In,
    /// Only takes units away.
    Out,
    /// Either way.
    Either,
}

/// A stock change that breaks the rules of its kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StockRuleError {
    /// A change of no units.
    #[error("a stock change needs a non-zero number of units")]
    Zero,
    /// Units going the wrong way for the kind.
    #[error("{kind} stock only {way}: {delta} goes the other way")]
    WrongWay {
        /// The kind named.
        kind: StockMovementKind,
        /// "adds units" or "takes units away".
        way: &'static str,
        /// The change asked for.
        delta: i32,
    },
    /// A kind only the order and catalog workflows record.
    #[error("{0} stock is recorded by the order and catalog workflows, not by hand")]
    NotByHand(StockMovementKind),
    /// A note longer than the log keeps.
    #[error("a stock note is at most {NOTE_MAX} characters")]
    NoteTooLong,
}

/// Longest note kept with a movement.
pub const NOTE_MAX: usize = 500;

impl StockMovementKind {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Opening => "opening",
            Self::Received => "received",
            Self::Returned => "returned",
            Self::Damaged => "damaged",
            Self::Lost => "lost",
            Self::Found => "found",
            Self::Counted => "counted",
            Self::Correction => "correction",
            Self::Sold => "sold",
            Self::Reserved => "reserved",
            Self::Released => "released",
            Self::Cancelled => "cancelled",
        }
    }

    /// Whether a person records this kind by hand (the rest come from orders
    /// and the catalog).
    pub fn by_hand(self) -> bool {
        matches!(
            self,
            Self::Received
                | Self::Returned
                | Self::Damaged
                | Self::Lost
                | Self::Found
                | Self::Counted
                | Self::Correction
        )
    }

    /// Which way the kind moves the units on hand.
    pub fn direction(self) -> Direction {
        match self {
            Self::Opening | Self::Received | Self::Returned | Self::Found | Self::Cancelled => Direction::In,
            Self::Damaged | Self::Lost | Self::Sold => Direction::Out,
            Self::Counted | Self::Correction | Self::Reserved | Self::Released => Direction::Either,
        }
    }

    /// Checks a change a person records by hand: a kind they may record,
    /// units going its way, a note the log can keep.
    pub fn check_by_hand(self, delta: i32, note: Option<&str>) -> Result<(), StockRuleError> {
        if !self.by_hand() {
            return Err(StockRuleError::NotByHand(self));
        }
        if delta == 0 {
            return Err(StockRuleError::Zero);
        }
        match self.direction() {
            Direction::In if delta < 0 => {
                return Err(StockRuleError::WrongWay { kind: self, way: "adds units", delta });
            }
            Direction::Out if delta > 0 => {
                return Err(StockRuleError::WrongWay { kind: self, way: "takes units away", delta });
            }
            _ => {}
        }
        if note.is_some_and(|n| n.chars().count() > NOTE_MAX) {
            return Err(StockRuleError::NoteTooLong);
        }
        Ok(())
    }
}

impl fmt::Display for StockMovementKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self {
            Self::Opening => "Opening",
            Self::Received => "Received",
            Self::Returned => "Returned",
            Self::Damaged => "Damaged",
            Self::Lost => "Lost",
            Self::Found => "Found",
            Self::Counted => "Counted",
            Self::Correction => "Correction",
            Self::Sold => "Sold",
            Self::Reserved => "Reserved",
            Self::Released => "Released",
            Self::Cancelled => "Cancelled",
        };
        f.write_str(label)
    }
}

/// A kind name that is not one of [`StockMovementKind`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown kind of stock change: {0} (received, returned, counted, found, damaged, lost or correction)")]
pub struct UnknownKind(pub String);

impl FromStr for StockMovementKind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        ALL_KINDS.into_iter().find(|k| k.as_str() == wanted).ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::StockMovementKind as K;
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_name() {
        for kind in ALL_KINDS {
            assert_eq!(kind.as_str().parse::<K>(), Ok(kind));
        }
        assert!("teleported".parse::<K>().is_err());
    }

    #[test]
    fn hand_recorded_changes_go_their_kinds_way() {
        assert_eq!(K::Received.check_by_hand(5, None), Ok(()));
        assert!(matches!(K::Received.check_by_hand(-5, None), Err(StockRuleError::WrongWay { .. })));
        assert!(matches!(K::Damaged.check_by_hand(2, None), Err(StockRuleError::WrongWay { .. })));
        assert_eq!(K::Damaged.check_by_hand(-2, Some("dropped pallet")), Ok(()));
        assert_eq!(K::Counted.check_by_hand(-3, None), Ok(()));
        assert_eq!(K::Counted.check_by_hand(3, None), Ok(()));
        assert_eq!(K::Correction.check_by_hand(0, None), Err(StockRuleError::Zero));
        assert_eq!(K::Sold.check_by_hand(-1, None), Err(StockRuleError::NotByHand(K::Sold)));
        assert_eq!(K::Opening.check_by_hand(1, None), Err(StockRuleError::NotByHand(K::Opening)));
        assert_eq!(K::Found.check_by_hand(1, Some(&"x".repeat(501))), Err(StockRuleError::NoteTooLong));
    }
}
