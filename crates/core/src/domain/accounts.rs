//! The platform's chart of accounts, by role: what a posting rule names and the
//! store maps to `ledger_accounts` rows (`platform:<name>:<currency>`,
//! `vendor:<id>:payable`). Pure values.

use super::ledger::Entry;
use uuid::Uuid;

/// A ledger account, by role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Account {
    /// Money held at Stripe for the platform (asset).
    StripeClearing,
    /// Stripe's processing fees (expense).
    StripeFees,
    /// Chargeback fees and lost disputes the platform bears (expense).
    DisputeLosses,
    /// The platform's commission (revenue).
    CommissionRevenue,
    /// Vendors' subscription fees (revenue).
    SubscriptionRevenue,
    /// Shipping charged to buyers (revenue).
    ShippingRevenue,
    /// Sales tax collected, owed to the tax office (liability).
    TaxPayable,
    /// What the platform owes a vendor (liability).
    VendorPayable(Uuid),
}

/// Signed lines of one transaction.
pub type Lines = Vec<Entry<Account>>;
