//! The seed's ledger postings: a posting rule's entries written as a ledger
//! transaction with its links, on the seeded chart of accounts.

use super::super::SeedError;
use super::super::rows::{id, synced};
use super::super::tables::Tables;
use super::super::world::World;
use crate::domain::accounts::{Account, Lines};
use crate::domain::{Currency, Timestamp};
use crate::store::bulk::Cell;
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

/// The ledger account row (and vendor) behind a posting rule's account.
fn account_row(w: &World, currency: Currency, account: Account) -> (Uuid, Option<Uuid>) {
    let acc = &w.accounts[&currency];
    match account {
        Account::StripeClearing => (acc.clearing, None),
        Account::StripeFees => (acc.fees, None),
        Account::DisputeLosses => (acc.dispute_losses, None),
        Account::CommissionRevenue => (acc.commission, None),
        Account::SubscriptionRevenue => (acc.subscriptions, None),
        Account::ShippingRevenue => (acc.shipping, None),
        Account::TaxPayable => (acc.tax, None),
        Account::VendorPayable(v) => (w.payable_of[&v], Some(v)),
    }
}

/// A ledger transaction's head: why, what it says, when, and its links
/// (order, payout, refund).
pub(super) struct Txn<'a> {
    pub code: &'a str,
    pub description: String,
    pub when: Timestamp,
    pub links: [Option<Uuid>; 3],
}

/// Writes the transaction and entries a posting rule produced.
pub(super) fn post(
    rng: &mut ChaCha8Rng,
    out: &mut Tables,
    w: &World,
    txn: Txn<'_>,
    entries: Lines,
) -> Result<(), SeedError> {
    let Txn { code, description, when, links } = txn;
    let tid = id(rng, when);
    let [order, payout, refund] = links;
    out.ledger_transactions.push(synced(
        tid,
        when,
        vec![
            code.into(),
            description.into(),
            when.into(),
            order.into(),
            payout.into(),
            refund.into(),
            format!("seed:{code}:{tid}").into(),
        ],
    ));
    for e in entries {
        let (account, vendor) = account_row(w, e.currency, e.account);
        out.ledger_entries.push(synced(
            id(rng, when),
            when,
            vec![
                tid.into(),
                account.into(),
                e.amount_minor.into(),
                e.currency.as_str().into(),
                vendor.into(),
                Cell::Null,
            ],
        ));
    }
    Ok(())
}
