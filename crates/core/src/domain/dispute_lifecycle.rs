//! A dispute's lifecycle, written once: its stages (the vendor's, the
//! customer's, the platform's), every move between them, who makes each, the
//! outcomes that end one and the service-level time each stage allows.
//! PostgreSQL holds the same table (`md_dispute_transitions()`, compared row
//! for row by a test) so a vendor writing SQL by hand is held to it too.

use super::status::{DisputeStatus, Role, text_enum};

text_enum!(
    /// Who moves a dispute: its vendor, the platform's staff, or the clock
    /// (a stage past its time).
    DisputeParty, "dispute party" { Vendor => "vendor", Admin => "admin", System => "system" }
);

text_enum!(
    /// What a dispute is about.
    DisputeKind, "dispute kind" {
        NotReceived => "not_received", NotAsDescribed => "not_as_described", Damaged => "damaged",
        Chargeback => "chargeback", Other => "other",
    }
);

text_enum!(
    /// The step a move is made through.
    DisputeAction, "dispute action" {
        AskVendor => "ask_vendor", AskCustomer => "ask_customer", Answer => "answer", Review => "review",
        Escalate => "escalate", Timeout => "timeout", Resolve => "resolve",
    }
);

text_enum!(
    /// How a dispute ends.
    DisputeOutcome, "dispute resolution" {
        RefundFull => "refund_full", RefundPartial => "refund_partial", Replacement => "replacement",
        Rejected => "rejected", Withdrawn => "withdrawn",
    }
);

text_enum!(
    /// Whose turn it is: each stage has its own time allowed.
    Stage, "dispute stage" { Vendor => "vendor", Customer => "customer", Platform => "platform" }
);

impl DisputeParty {
    /// The party a person of `role` is; finance, logistics and customers move no dispute.
    pub fn of(role: Role) -> Option<DisputeParty> {
        match role {
            Role::Admin => Some(DisputeParty::Admin),
            Role::Vendor => Some(DisputeParty::Vendor),
            _ => None,
        }
    }
}

impl DisputeKind {
    /// The kind in words.
    pub fn words(&self) -> &'static str {
        match self {
            DisputeKind::NotReceived => "not received",
            DisputeKind::NotAsDescribed => "not as described",
            DisputeKind::Damaged => "arrived damaged",
            DisputeKind::Chargeback => "chargeback",
            DisputeKind::Other => "other problem",
        }
    }

    /// The refund reason (the schema's list) a refund for this kind is booked under.
    pub fn refund_reason(&self) -> &'static str {
        match self {
            DisputeKind::NotReceived => "not_received",
            DisputeKind::Damaged => "damaged",
            DisputeKind::Chargeback => "fraudulent",
            DisputeKind::NotAsDescribed | DisputeKind::Other => "requested_by_customer",
        }
    }
}

impl DisputeOutcome {
    /// The status a dispute ending this way takes: resolved in the buyer's
    /// favour, closed otherwise.
    pub fn status(&self) -> DisputeStatus {
        match self {
            DisputeOutcome::RefundFull | DisputeOutcome::RefundPartial | DisputeOutcome::Replacement => {
                DisputeStatus::Resolved
            }
            DisputeOutcome::Rejected | DisputeOutcome::Withdrawn => DisputeStatus::Closed,
        }
    }

    /// Whether money goes back to the buyer.
    pub fn refunds(&self) -> bool {
        matches!(self, DisputeOutcome::RefundFull | DisputeOutcome::RefundPartial)
    }

    /// Whether `party` may end a dispute this way: a vendor concedes (a
    /// refund or a replacement); rejecting or recording a withdrawal is the
    /// platform's call.
    pub fn open_to(&self, party: DisputeParty) -> bool {
        match party {
            DisputeParty::Admin => true,
            DisputeParty::Vendor => {
                matches!(self, DisputeOutcome::RefundFull | DisputeOutcome::RefundPartial | DisputeOutcome::Replacement)
            }
            DisputeParty::System => false,
        }
    }

    /// The outcome in words.
    pub fn words(&self) -> &'static str {
        match self {
            DisputeOutcome::RefundFull => "refund in full",
            DisputeOutcome::RefundPartial => "refund in part",
            DisputeOutcome::Replacement => "replacement",
            DisputeOutcome::Rejected => "rejected",
            DisputeOutcome::Withdrawn => "withdrawn",
        }
    }
}

/// Whose turn a dispute in `status` waits on; `None` once it has ended.
pub fn stage(status: DisputeStatus) -> Option<Stage> {
    match status {
        DisputeStatus::AwaitingVendor => Some(Stage::Vendor),
        DisputeStatus::AwaitingCustomer => Some(Stage::Customer),
        DisputeStatus::Open | DisputeStatus::UnderReview | DisputeStatus::Escalated => Some(Stage::Platform),
        DisputeStatus::Resolved | DisputeStatus::Closed => None,
    }
}

/// Hours each stage allows before the clock moves the dispute on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaHours {
    /// The vendor's answer.
    pub vendor: i64,
    /// The customer's reply (through the platform).
    pub customer: i64,
    /// The platform's review and decision.
    pub platform: i64,
}

impl SlaHours {
    /// Three days for the vendor, five for the customer, two for the platform.
    pub const DEFAULT: SlaHours = SlaHours { vendor: 72, customer: 120, platform: 48 };
    /// The settings that change them (whole hours).
    pub const KEYS: [&'static str; 3] =
        ["disputes.sla_vendor_hours", "disputes.sla_customer_hours", "disputes.sla_platform_hours"];
    /// Longest time a stage may be given: 60 days.
    pub const MAX: i64 = 24 * 60;

    /// The hours `stage` allows.
    pub fn of(&self, stage: Stage) -> i64 {
        match stage {
            Stage::Vendor => self.vendor,
            Stage::Customer => self.customer,
            Stage::Platform => self.platform,
        }
    }
}

/// One allowed move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DisputeTransition {
    /// From this status…
    pub from: DisputeStatus,
    /// …to this one…
    pub to: DisputeStatus,
    /// …through this step…
    pub action: DisputeAction,
    /// …by these.
    pub by: &'static [DisputeParty],
}

use DisputeAction::{Answer, AskCustomer, AskVendor, Escalate, Resolve, Review, Timeout};
use DisputeParty::{Admin, System, Vendor};
use DisputeStatus::{AwaitingCustomer, AwaitingVendor, Closed, Escalated, Open, Resolved, UnderReview};

const fn t(
    from: DisputeStatus,
    to: DisputeStatus,
    action: DisputeAction,
    by: &'static [DisputeParty],
) -> DisputeTransition {
    DisputeTransition { from, to, action, by }
}

const ADMIN: &[DisputeParty] = &[Admin];
const BOTH: &[DisputeParty] = &[Admin, Vendor];
const CLOCK: &[DisputeParty] = &[System];

/// Every move a dispute may make. Anything not here is refused.
pub const DISPUTE_TRANSITIONS: &[DisputeTransition] = &[
    // Opened with the platform (by the vendor, a chargeback, or about a whole order).
    t(Open, AwaitingVendor, AskVendor, ADMIN),
    t(Open, AwaitingCustomer, AskCustomer, ADMIN),
    t(Open, UnderReview, Review, ADMIN),
    t(Open, Escalated, Timeout, CLOCK),
    t(Open, Resolved, Resolve, ADMIN),
    t(Open, Closed, Resolve, ADMIN),
    // The vendor's stage: answer, concede, or hand it to the platform.
    t(AwaitingVendor, UnderReview, Answer, &[Vendor]),
    t(AwaitingVendor, Resolved, Resolve, BOTH),
    t(AwaitingVendor, Closed, Resolve, ADMIN),
    t(AwaitingVendor, Escalated, Escalate, BOTH),
    t(AwaitingVendor, Escalated, Timeout, CLOCK),
    t(AwaitingVendor, AwaitingCustomer, AskCustomer, ADMIN),
    // The customer's stage: the platform records the reply.
    t(AwaitingCustomer, UnderReview, Answer, ADMIN),
    t(AwaitingCustomer, AwaitingVendor, AskVendor, ADMIN),
    t(AwaitingCustomer, Escalated, Timeout, CLOCK),
    t(AwaitingCustomer, Resolved, Resolve, ADMIN),
    t(AwaitingCustomer, Closed, Resolve, ADMIN),
    // The platform's review.
    t(UnderReview, AwaitingVendor, AskVendor, ADMIN),
    t(UnderReview, AwaitingCustomer, AskCustomer, ADMIN),
    t(UnderReview, Escalated, Escalate, &[Vendor]),
    t(UnderReview, Escalated, Timeout, CLOCK),
    t(UnderReview, Resolved, Resolve, ADMIN),
    t(UnderReview, Closed, Resolve, ADMIN),
    // Escalated: an admin's decision, overdue once its time has passed again.
    t(Escalated, AwaitingVendor, AskVendor, ADMIN),
    t(Escalated, AwaitingCustomer, AskCustomer, ADMIN),
    t(Escalated, UnderReview, Review, ADMIN),
    t(Escalated, Resolved, Resolve, ADMIN),
    t(Escalated, Closed, Resolve, ADMIN),
];

/// Why a move is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DisputeMoveRefused {
    /// The lifecycle has no such move.
    #[error("a dispute that is {} cannot {}", words(*.from), action_words(*.action))]
    NoSuchMove {
        /// Current status.
        from: DisputeStatus,
        /// The step asked for.
        action: DisputeAction,
    },
    /// The move exists but not for this party.
    #[error("a {by} cannot {} a dispute that is {}", action_words(*.action), words(*.from))]
    NotYours {
        /// Current status.
        from: DisputeStatus,
        /// The step asked for.
        action: DisputeAction,
        /// Who asked.
        by: DisputeParty,
    },
    /// The outcome is not this party's to choose.
    #[error("a {by} cannot end a dispute as {}", .resolution.words())]
    NotYourOutcome {
        /// The outcome asked for.
        resolution: DisputeOutcome,
        /// Who asked.
        by: DisputeParty,
    },
}

fn words(s: DisputeStatus) -> String {
    s.as_str().replace('_', " ")
}

fn action_words(a: DisputeAction) -> &'static str {
    match a {
        AskVendor => "be handed to the vendor",
        AskCustomer => "wait on the customer",
        Answer => "be answered",
        Review => "be taken into review",
        Escalate => "be escalated",
        Timeout => "time out",
        Resolve => "be resolved",
    }
}

/// Where `action` by `by` takes a dispute in `from`, or why it may not.
/// A resolve needs its outcome; other steps ignore it.
pub fn next(
    from: DisputeStatus,
    action: DisputeAction,
    by: DisputeParty,
    resolution: Option<DisputeOutcome>,
) -> Result<DisputeStatus, DisputeMoveRefused> {
    let to = match (action, resolution) {
        (Resolve, Some(r)) => {
            if !r.open_to(by) {
                return Err(DisputeMoveRefused::NotYourOutcome { resolution: r, by });
            }
            Some(r.status())
        }
        (Resolve, None) => None,
        _ => DISPUTE_TRANSITIONS.iter().find(|t| t.from == from && t.action == action).map(|t| t.to),
    };
    let moves: Vec<&DisputeTransition> = DISPUTE_TRANSITIONS
        .iter()
        .filter(|t| t.from == from && t.action == action && to.is_none_or(|to| t.to == to))
        .collect();
    if moves.is_empty() || to.is_none() {
        return Err(DisputeMoveRefused::NoSuchMove { from, action });
    }
    match moves.iter().find(|t| t.by.contains(&by)) {
        Some(t) => Ok(t.to),
        None => Err(DisputeMoveRefused::NotYours { from, action, by }),
    }
}

/// The steps `by` may take from `from` (for the screens to offer exactly these).
pub fn steps_for(from: DisputeStatus, by: DisputeParty) -> Vec<DisputeAction> {
    let mut out: Vec<DisputeAction> = Vec::new();
    for t in DISPUTE_TRANSITIONS.iter().filter(|t| t.from == from && t.by.contains(&by)) {
        if !out.contains(&t.action) {
            out.push(t.action);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_status_is_reachable_and_the_ends_have_no_exit() {
        for s in DisputeStatus::ALL {
            let into = DISPUTE_TRANSITIONS.iter().any(|t| t.to == *s);
            assert!(into || *s == Open || *s == AwaitingVendor, "{s} cannot be reached");
        }
        for t in DISPUTE_TRANSITIONS {
            assert!(stage(t.from).is_some(), "{} has ended but moves on", t.from);
        }
        assert!(DISPUTE_TRANSITIONS.iter().all(|t| t.action != Timeout || t.by == CLOCK));
    }

    #[test]
    fn a_vendor_concedes_but_does_not_reject() {
        let refund = next(AwaitingVendor, Resolve, Vendor, Some(DisputeOutcome::RefundPartial));
        assert_eq!(refund, Ok(Resolved));
        assert!(matches!(
            next(AwaitingVendor, Resolve, Vendor, Some(DisputeOutcome::Rejected)),
            Err(DisputeMoveRefused::NotYourOutcome { .. })
        ));
        assert!(matches!(
            next(UnderReview, Resolve, Vendor, Some(DisputeOutcome::RefundFull)),
            Err(DisputeMoveRefused::NotYours { .. })
        ));
        assert!(matches!(next(Open, Resolve, Admin, None), Err(DisputeMoveRefused::NoSuchMove { .. })));
    }

    fn party() -> impl Strategy<Value = DisputeParty> {
        prop::sample::select(DisputeParty::ALL.to_vec())
    }
    fn action() -> impl Strategy<Value = DisputeAction> {
        prop::sample::select(DisputeAction::ALL.to_vec())
    }
    fn outcome() -> impl Strategy<Value = Option<DisputeOutcome>> {
        prop::option::of(prop::sample::select(DisputeOutcome::ALL.to_vec()))
    }

    proptest! {
        /// Any run of steps by anyone keeps a dispute inside its lifecycle:
        /// each accepted move is in the table for that party, an ended
        /// dispute never moves again, and only the clock times one out.
        #[test]
        fn any_run_of_steps_stays_in_the_lifecycle(
            start in prop::sample::select(vec![Open, AwaitingVendor]),
            steps in prop::collection::vec((action(), party(), outcome()), 0..40),
        ) {
            let mut status = start;
            for (action, by, resolution) in steps {
                match next(status, action, by, resolution) {
                    Ok(to) => {
                        prop_assert!(stage(status).is_some());
                        prop_assert!(DISPUTE_TRANSITIONS.iter().any(|t| t.from == status && t.to == to
                            && t.action == action && t.by.contains(&by)));
                        if action == Timeout { prop_assert_eq!(by, System); }
                        if action == Resolve {
                            let r = resolution.expect("a resolve names its outcome");
                            prop_assert_eq!(to, r.status());
                            prop_assert!(r.open_to(by));
                        }
                        prop_assert_eq!(steps_for(status, by).contains(&action), true);
                        status = to;
                    }
                    Err(_) => {
                        if stage(status).is_none() {
                            prop_assert!(steps_for(status, by).is_empty());
                        }
                    }
                }
            }
        }
    }
}
