//! Shipping's vocabulary: the carriers, how long each takes a label back, and
//! the life of an attempt to buy a label.

use super::status::text_enum;

text_enum!(
    /// Who carries a parcel: a carrier with an API account, or the
    /// marketplace's own fleet or courier (`local`) or the buyer (`pickup`),
    /// which need no account and no network.
    Carrier, "carrier" { Fedex => "fedex", Ups => "ups", Local => "local", Pickup => "pickup" }
);

impl Carrier {
    /// The name people know.
    pub fn name(self) -> &'static str {
        match self {
            Carrier::Fedex => "FedEx",
            Carrier::Ups => "UPS",
            Carrier::Local => "Local delivery",
            Carrier::Pickup => "Pickup",
        }
    }

    /// Whether labels are bought over the carrier's API (and so need the
    /// network and an account).
    pub fn sells_labels(self) -> bool {
        matches!(self, Carrier::Fedex | Carrier::Ups)
    }

    /// Days after purchase within which the carrier takes an unused label
    /// back (FedEx and UPS: 90); `None` when nothing was bought.
    pub fn void_window_days(self) -> Option<i64> {
        match self {
            Carrier::Fedex | Carrier::Ups => Some(90),
            Carrier::Local | Carrier::Pickup => None,
        }
    }
}

text_enum!(
    /// One attempt to buy a label. It is written `attempting` before the
    /// carrier is called; `uncertain` means the carrier may have sold a label
    /// that Marketdesk did not record (no usable answer, or the app stopped
    /// before the commit), so nothing is bought again until a person settles it.
    LabelPurchaseState, "label purchase state" {
        Attempting => "attempting", Purchased => "purchased", Failed => "failed",
        Uncertain => "uncertain", Voided => "voided",
    }
);

impl LabelPurchaseState {
    /// Whether `to` may follow this state.
    pub fn can_become(self, to: LabelPurchaseState) -> bool {
        use LabelPurchaseState::*;
        matches!(
            (self, to),
            (Attempting, Purchased | Failed | Uncertain)
                | (Uncertain, Purchased | Failed | Voided)
                | (Purchased, Voided)
        )
    }

    /// Whether the attempt still blocks a new purchase for its shipment.
    pub fn is_open(self) -> bool {
        matches!(self, LabelPurchaseState::Attempting | LabelPurchaseState::Uncertain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_uncertain_purchase_is_settled_by_a_person_not_retried() {
        use LabelPurchaseState::*;
        assert!(Attempting.can_become(Uncertain));
        assert!(Uncertain.can_become(Failed) && Uncertain.can_become(Voided));
        assert!(!Failed.can_become(Purchased));
        assert!(!Voided.can_become(Purchased));
        assert!(Attempting.is_open() && Uncertain.is_open() && !Purchased.is_open());
    }

    #[test]
    fn only_bought_labels_have_a_void_window() {
        assert_eq!(Carrier::Fedex.void_window_days(), Some(90));
        assert_eq!(Carrier::Local.void_window_days(), None);
        assert!(!Carrier::Pickup.sells_labels());
    }
}
