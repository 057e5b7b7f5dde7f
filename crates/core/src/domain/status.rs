//! The statuses and roles the schema's CHECK constraints allow, as Rust enums.
//!
//! Each enum maps to the exact text stored in the database (`as_str`) and back
//! (`FromStr` / `TryFrom<String>`), so rows decode into typed values.

/// A stored text that is not one of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{value}” is not a valid {kind}")]
pub struct UnknownValue {
    /// Which enum was parsed.
    pub kind: &'static str,
    /// The text that did not match.
    pub value: String,
}

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident, $kind:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $(#[doc = $text] $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The text stored in the database.
            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::domain::status::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::domain::status::UnknownValue { kind: $kind, value: s.to_owned() }),
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::domain::status::UnknownValue;
            fn try_from(value: String) -> Result<Self, Self::Error> { value.parse() }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// Lets the other domain modules declare their stored enums the same way.
pub(crate) use text_enum;

text_enum!(
    /// What a person may do in Marketdesk (customers only buy on the storefront).
    Role, "role" {
        Admin => "admin", Vendor => "vendor", Logistics => "logistics",
        Finance => "finance", Customer => "customer",
    }
);

text_enum!(
    /// Whether a user may sign in.
    UserStatus, "user status" { Invited => "invited", Active => "active", Suspended => "suspended" }
);

text_enum!(
    /// Where a product is in the catalog approval flow.
    ProductStatus, "product status" {
        Draft => "draft", PendingReview => "pending_review", Approved => "approved",
        Rejected => "rejected", Archived => "archived",
    }
);

text_enum!(
    /// An order's lifecycle.
    OrderStatus, "order status" {
        Pending => "pending", Paid => "paid", Processing => "processing",
        PartiallyShipped => "partially_shipped", Shipped => "shipped", Delivered => "delivered",
        Cancelled => "cancelled", Refunded => "refunded", PartiallyRefunded => "partially_refunded",
        Disputed => "disputed",
    }
);

text_enum!(
    /// A vendor payout's lifecycle.
    PayoutStatus, "payout status" {
        Proposed => "proposed", Approved => "approved", Processing => "processing", Paid => "paid",
        Failed => "failed", Cancelled => "cancelled", Reversed => "reversed",
    }
);

text_enum!(
    /// A payout batch's lifecycle: prepared, approved (by one or two finance
    /// people), executed against Stripe.
    BatchStatus, "payout batch status" {
        Draft => "draft", Approved => "approved", Executing => "executing", Completed => "completed",
        Failed => "failed", Cancelled => "cancelled",
    }
);

text_enum!(
    /// A shipment's lifecycle: the warehouse's steps (a label bought, printed,
    /// the parcel handed over to the carrier), then the carrier's.
    ShipmentStatus, "shipment status" {
        Pending => "pending", LabelPurchased => "label_purchased", Printed => "printed",
        HandedOver => "handed_over", InTransit => "in_transit",
        OutForDelivery => "out_for_delivery", Delivered => "delivered", Exception => "exception",
        Returned => "returned", Cancelled => "cancelled",
    }
);

text_enum!(
    /// A dispute's lifecycle.
    DisputeStatus, "dispute status" {
        Open => "open", AwaitingVendor => "awaiting_vendor", AwaitingCustomer => "awaiting_customer",
        UnderReview => "under_review", Resolved => "resolved", Closed => "closed", Escalated => "escalated",
    }
);

/// The moves a person may make by hand from one shipment status.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ShipmentMoves {
    /// From this status…
    pub from: ShipmentStatus,
    /// …to these.
    pub to: Vec<ShipmentStatus>,
}

impl ShipmentStatus {
    /// The statuses a shipment may move to from this one.
    pub fn next(&self) -> &'static [ShipmentStatus] {
        use ShipmentStatus::*;
        match self {
            Pending => &[LabelPurchased, InTransit, Cancelled],
            // Back to pending is a voided label; a parcel with a live label is
            // not cancelled before its label is voided.
            LabelPurchased => &[Printed, HandedOver, InTransit, Pending],
            Printed => &[HandedOver, InTransit, Pending],
            HandedOver => &[InTransit, OutForDelivery, Delivered, Exception, Returned],
            InTransit => &[OutForDelivery, Delivered, Exception, Returned],
            OutForDelivery => &[Delivered, Exception, Returned],
            Exception => &[InTransit, OutForDelivery, Delivered, Returned],
            Delivered => &[Returned],
            Returned | Cancelled => &[],
        }
    }

    /// Whether `to` is a legal next status.
    pub fn can_become(&self, to: ShipmentStatus) -> bool {
        self.next().contains(&to)
    }

    /// The moves a person makes by hand from this status: the lifecycle's,
    /// less those that have their own action (buying, printing and voiding a
    /// label).
    pub fn manual_next(&self) -> Vec<ShipmentStatus> {
        use ShipmentStatus::*;
        self.next().iter().copied().filter(|s| !matches!(s, Pending | LabelPurchased | Printed)).collect()
    }

    /// [`Self::manual_next`] for every status, for the UI to offer exactly
    /// the moves the core accepts.
    pub fn manual_moves() -> Vec<ShipmentMoves> {
        Self::ALL.iter().map(|s| ShipmentMoves { from: *s, to: s.manual_next() }).collect()
    }

    /// Whether the parcel carries a label that is not voided and has not
    /// yet been handed over (so the label may still be voided).
    pub fn holds_unused_label(&self) -> bool {
        matches!(self, ShipmentStatus::LabelPurchased | ShipmentStatus::Printed)
    }

    /// Whether the carrier still has news to give about the parcel (it is
    /// tracked until delivered, returned or cancelled).
    pub fn is_tracked(&self) -> bool {
        use ShipmentStatus::*;
        matches!(self, LabelPurchased | Printed | HandedOver | InTransit | OutForDelivery | Exception)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_round_trips_through_its_text() {
        for s in OrderStatus::ALL {
            assert_eq!(s.as_str().parse::<OrderStatus>().unwrap(), *s);
        }
        for r in Role::ALL {
            assert_eq!(Role::try_from(r.as_str().to_owned()).unwrap(), *r);
        }
        assert!("shipped ".parse::<OrderStatus>().is_err());
    }

    #[test]
    fn shipments_only_move_forward_or_to_an_exception() {
        use ShipmentStatus::*;
        assert!(Pending.can_become(InTransit));
        assert!(InTransit.can_become(Delivered));
        assert!(Exception.can_become(Delivered));
        assert!(!Delivered.can_become(InTransit));
        assert!(!Cancelled.can_become(InTransit));
        assert!(LabelPurchased.can_become(Printed) && Printed.can_become(HandedOver));
        assert!(Printed.can_become(Pending), "a voided label puts the parcel back");
        assert!(!Printed.can_become(Cancelled), "a live label is voided before the parcel is cancelled");
        assert!(!HandedOver.can_become(Pending), "a handed-over parcel's label is not voided");
        for s in ShipmentStatus::ALL {
            assert!(!s.can_become(*s), "{s} to itself");
        }
    }
}
