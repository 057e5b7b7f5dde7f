//! What people are told about, who is told, and where by default: the kinds
//! of notification, the channels they travel on, and each role's defaults,
//! which a person's own preferences override kind by kind and channel by
//! channel. PostgreSQL holds the same table (`md_notification_defaults()`,
//! migration 0023), compared row for row in the core's tests.

use super::Role;
use super::status::text_enum;
use serde::{Deserialize, Serialize};

text_enum!(
    /// Something that happened that a person may want to hear about.
    NotificationKind, "notification kind" {
        OrderPlaced => "order_placed",
        OrderCancelled => "order_cancelled",
        DisputeOpened => "dispute_opened",
        DisputeAnswered => "dispute_answered",
        DisputeEscalated => "dispute_escalated",
        DisputeOverdue => "dispute_overdue",
        PayoutSent => "payout_sent",
        PayoutFailed => "payout_failed",
        ProductApproved => "product_approved",
        ProductChangesRequested => "product_changes_requested",
        LowStock => "low_stock",
        LabelPurchaseFailed => "label_purchase_failed",
        SyncConflict => "sync_conflict",
        Announcement => "announcement",
        VendorOnboarding => "vendor_onboarding",
    }
);

/// Where a notification reaches a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The bell in the app.
    InApp,
    /// A mail, one per event or in a daily digest.
    Email,
    /// The operating system's notification on a signed-in desktop.
    Desktop,
}

impl Channel {
    /// Every channel, in the order screens show them.
    pub const ALL: [Channel; 3] = [Channel::InApp, Channel::Email, Channel::Desktop];

    /// The database's word for the channel.
    pub fn as_db(self) -> &'static str {
        match self {
            Channel::InApp => "in_app",
            Channel::Email => "email",
            Channel::Desktop => "push",
        }
    }

    /// The channel the database's word names.
    pub fn from_db(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_db() == s)
    }
}

use Channel::{Desktop, Email, InApp};
use NotificationKind as K;
use Role::{Admin, Finance, Logistics, Vendor};

/// Who hears of a kind, and on which channels by default.
struct Rule {
    kind: NotificationKind,
    roles: &'static [Role],
    channels: &'static [Channel],
}

const STAFF_AND_VENDORS: &[Role] = &[Admin, Vendor, Logistics, Finance];

const RULES: &[Rule] = &[
    Rule { kind: K::OrderPlaced, roles: &[Vendor], channels: &[InApp, Email, Desktop] },
    // The cancellation itself mails the vendor (orders::cancel), so not twice by default.
    Rule { kind: K::OrderCancelled, roles: &[Vendor], channels: &[InApp] },
    Rule { kind: K::DisputeOpened, roles: &[Admin, Vendor], channels: &[InApp, Email, Desktop] },
    Rule { kind: K::DisputeAnswered, roles: &[Admin, Vendor], channels: &[InApp] },
    Rule { kind: K::DisputeEscalated, roles: &[Admin, Vendor], channels: &[InApp, Email, Desktop] },
    Rule { kind: K::DisputeOverdue, roles: &[Admin], channels: &[InApp, Email, Desktop] },
    Rule { kind: K::PayoutSent, roles: &[Vendor], channels: &[InApp, Email] },
    Rule { kind: K::PayoutFailed, roles: &[Vendor, Finance], channels: &[InApp, Email, Desktop] },
    Rule { kind: K::ProductApproved, roles: &[Vendor], channels: &[InApp, Email] },
    Rule { kind: K::ProductChangesRequested, roles: &[Vendor], channels: &[InApp, Email, Desktop] },
    Rule { kind: K::LowStock, roles: &[Vendor], channels: &[InApp] },
    Rule { kind: K::LabelPurchaseFailed, roles: &[Logistics], channels: &[InApp, Desktop] },
    Rule { kind: K::SyncConflict, roles: STAFF_AND_VENDORS, channels: &[InApp, Desktop] },
    Rule { kind: K::Announcement, roles: STAFF_AND_VENDORS, channels: &[InApp, Email] },
    Rule { kind: K::VendorOnboarding, roles: &[Admin, Vendor], channels: &[InApp, Email] },
];

impl NotificationKind {
    fn rule(self) -> &'static Rule {
        RULES.iter().find(|r| r.kind == self).expect("every kind has its rule")
    }

    /// In a few words, for the preferences screen.
    pub fn label(self) -> &'static str {
        match self {
            K::OrderPlaced => "New orders",
            K::OrderCancelled => "Cancelled orders",
            K::DisputeOpened => "Disputes opened",
            K::DisputeAnswered => "Answers in disputes",
            K::DisputeEscalated => "Disputes escalated",
            K::DisputeOverdue => "Overdue disputes",
            K::PayoutSent => "Payouts sent",
            K::PayoutFailed => "Failed payouts",
            K::ProductApproved => "Products approved",
            K::ProductChangesRequested => "Changes requested on products",
            K::LowStock => "Low stock",
            K::LabelPurchaseFailed => "Failed label purchases",
            K::SyncConflict => "Sync conflicts",
            K::Announcement => "Announcements",
            K::VendorOnboarding => "Vendor applications",
        }
    }

    /// Whether people of `role` hear of this kind at all.
    pub fn reaches(self, role: Role) -> bool {
        self.rule().roles.contains(&role)
    }

    /// Whether `role` hears of this kind on `channel` when nobody chose otherwise.
    pub fn default_on(self, role: Role, channel: Channel) -> bool {
        self.reaches(role) && self.rule().channels.contains(&channel)
    }

    /// The kinds people of `role` hear of.
    pub fn for_role(role: Role) -> Vec<NotificationKind> {
        NotificationKind::ALL.iter().copied().filter(|k| k.reaches(role)).collect()
    }
}

/// The whole defaults table, one row per (kind, role, channel) of a role that
/// hears of the kind: what `md_notification_defaults()` returns.
pub fn defaults_table() -> Vec<(&'static str, Role, &'static str, bool)> {
    let mut out = Vec::new();
    for &kind in NotificationKind::ALL {
        for &role in kind.rule().roles {
            for channel in Channel::ALL {
                out.push((kind.as_str(), role, channel.as_db(), kind.default_on(role, channel)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_rule_and_a_word_that_reads_back() {
        for &kind in NotificationKind::ALL {
            assert_eq!(RULES.iter().filter(|r| r.kind == kind).count(), 1, "{kind:?}");
            assert_eq!(kind.as_str().parse::<NotificationKind>().ok(), Some(kind));
            assert!(kind.rule().channels.contains(&InApp), "{kind:?} reaches the bell by default");
        }
        assert_eq!(RULES.len(), NotificationKind::ALL.len());
        for c in Channel::ALL {
            assert_eq!(Channel::from_db(c.as_db()), Some(c));
        }
    }

    #[test]
    fn customers_hear_nothing_here_and_vendors_never_hear_of_overdue_disputes() {
        assert!(NotificationKind::for_role(Role::Customer).is_empty());
        assert!(!K::DisputeOverdue.reaches(Vendor));
        assert!(!K::LowStock.default_on(Vendor, Email));
        assert!(K::PayoutFailed.default_on(Finance, Desktop));
        assert_eq!(defaults_table().len(), RULES.iter().map(|r| r.roles.len() * 3).sum::<usize>());
    }
}
