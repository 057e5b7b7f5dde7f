//! Posting rules: one function per money event, each returning entries that
//! balance (checked by `domain::ledger`). Debits are positive, credits negative.
//!
//! Accounts are named by [`Account`] (the chart in `domain::accounts`); the store maps them to `ledger_accounts`
//! rows (`platform:<name>:<currency>`, `vendor:<id>:payable`).

use crate::domain::Currency;
use crate::domain::accounts::{Account, Lines};
use crate::domain::ledger::{EntriesBuilder, Entry, PostingError};
use crate::domain::money::allocate;
use uuid::Uuid;

/// One sold line of a captured order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoldLine {
    /// The vendor who sold it.
    pub vendor_id: Uuid,
    /// Units sold.
    pub quantity: u32,
    /// quantity × unit price.
    pub subtotal_minor: i64,
    /// Tax on the line.
    pub tax_minor: i64,
    /// The platform's commission on the line.
    pub commission_minor: i64,
}

/// A captured payment for an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    /// Currency of everything.
    pub currency: Currency,
    /// The order's lines.
    pub lines: Vec<SoldLine>,
    /// Shipping charged.
    pub shipping_minor: i64,
    /// Stripe's fee on the payment.
    pub fee_minor: i64,
}

impl Capture {
    /// What the buyer paid.
    pub fn total_minor(&self) -> i64 {
        self.lines.iter().map(|l| l.subtotal_minor + l.tax_minor).sum::<i64>() + self.shipping_minor
    }
}

fn check_line(l: &SoldLine) -> Result<(), PostingError> {
    if l.subtotal_minor < 0
        || l.tax_minor < 0
        || l.commission_minor < 0
        || l.commission_minor > l.subtotal_minor
        || l.quantity == 0
    {
        return Err(PostingError::Empty);
    }
    Ok(())
}

/// Payment captured: the money in at Stripe (less its fee), each vendor's share
/// owed to them, commission, tax and shipping to the platform's accounts.
pub fn payment_captured(c: &Capture) -> Result<Lines, PostingError> {
    let cur = c.currency;
    let mut b = EntriesBuilder::new();
    b.line(Account::StripeClearing, c.total_minor() - c.fee_minor, cur).line(Account::StripeFees, c.fee_minor, cur);
    let mut vendors: Vec<Uuid> = c.lines.iter().map(|l| l.vendor_id).collect();
    vendors.sort();
    vendors.dedup();
    for v in vendors {
        let mut net = 0;
        for l in c.lines.iter().filter(|l| l.vendor_id == v) {
            check_line(l)?;
            net += l.subtotal_minor - l.commission_minor;
        }
        b.line(Account::VendorPayable(v), -net, cur);
    }
    let commission: i64 = c.lines.iter().map(|l| l.commission_minor).sum();
    let tax: i64 = c.lines.iter().map(|l| l.tax_minor).sum();
    b.line(Account::CommissionRevenue, -commission, cur).line(Account::TaxPayable, -tax, cur).line(
        Account::ShippingRevenue,
        -c.shipping_minor,
        cur,
    );
    b.build()
}

/// Who gives up the commission on refunded goods (a platform setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommissionBearer {
    /// The platform returns its commission; the vendor loses only its net share.
    Platform,
    /// The platform keeps its commission; the vendor refunds the whole line.
    Vendor,
}

/// Units of a sold line being refunded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Returned {
    /// The line as sold.
    pub line: SoldLine,
    /// Units refunded (1 ..= line.quantity − already_refunded).
    pub quantity: u32,
    /// Units of the line refunded before this refund.
    pub already_refunded: u32,
}

impl Returned {
    /// This refund's share of one of the line's amounts: the amount split
    /// over the units (remainder to the first units), summed over the units
    /// this refund gives back — those after the ones refunded before, so
    /// successive partial refunds add up to exactly the whole line.
    fn part(&self, amount: i64) -> i64 {
        let units = allocate(amount, &vec![1; self.line.quantity as usize]);
        units.iter().skip(self.already_refunded as usize).take(self.quantity as usize).sum()
    }

    /// What goes back to the buyer for these units (their price and tax),
    /// exactly as [`refund`] will count it.
    pub fn to_buyer_minor(&self) -> i64 {
        self.part(self.line.subtotal_minor) + self.part(self.line.tax_minor)
    }
}

/// A refund: the money goes back out of the Stripe balance (Stripe keeps its
/// fee), the vendor's payable and — depending on `bearer` — the commission are
/// reduced, the tax and any refunded shipping are given back. Returns the lines
/// and the amount refunded to the buyer.
pub fn refund(
    currency: Currency,
    returned: &[Returned],
    shipping_minor: i64,
    bearer: CommissionBearer,
) -> Result<(Lines, i64), PostingError> {
    let mut b = EntriesBuilder::new();
    let mut amount = shipping_minor;
    let mut commission_back = 0;
    let mut tax_back = 0;
    let mut vendors: Vec<(Uuid, i64)> = Vec::new();
    for r in returned {
        check_line(&r.line)?;
        if r.quantity == 0 || u64::from(r.quantity) + u64::from(r.already_refunded) > u64::from(r.line.quantity) {
            return Err(PostingError::Empty);
        }
        let subtotal = r.part(r.line.subtotal_minor);
        let tax = r.part(r.line.tax_minor);
        let commission = r.part(r.line.commission_minor);
        amount += subtotal + tax;
        tax_back += tax;
        let vendor_share = match bearer {
            CommissionBearer::Platform => {
                commission_back += commission;
                subtotal - commission
            }
            CommissionBearer::Vendor => subtotal,
        };
        match vendors.iter_mut().find(|(v, _)| *v == r.line.vendor_id) {
            Some((_, s)) => *s += vendor_share,
            None => vendors.push((r.line.vendor_id, vendor_share)),
        }
    }
    b.line(Account::StripeClearing, -amount, currency);
    vendors.sort();
    for (v, share) in vendors {
        b.line(Account::VendorPayable(v), share, currency);
    }
    b.line(Account::CommissionRevenue, commission_back, currency).line(Account::TaxPayable, tax_back, currency).line(
        Account::ShippingRevenue,
        shipping_minor,
        currency,
    );
    Ok((b.build()?, amount))
}

/// A payout left for the vendor's bank: the debt to them shrinks by `amount`.
pub fn payout_executed(vendor: Uuid, amount_minor: i64, currency: Currency) -> Result<Lines, PostingError> {
    if amount_minor <= 0 {
        return Err(PostingError::ZeroEntry);
    }
    let mut b = EntriesBuilder::new();
    b.line(Account::VendorPayable(vendor), amount_minor, currency).line(
        Account::StripeClearing,
        -amount_minor,
        currency,
    );
    b.build()
}

/// A paid-out transfer came back (failed or reversed): the money is owed again.
pub fn payout_returned(vendor: Uuid, amount_minor: i64, currency: Currency) -> Result<Lines, PostingError> {
    Ok(reversal(&payout_executed(vendor, amount_minor, currency)?))
}

/// A vendor paid its subscription.
pub fn subscription_paid(amount_minor: i64, currency: Currency) -> Result<Lines, PostingError> {
    let mut b = EntriesBuilder::new();
    b.line(Account::StripeClearing, amount_minor, currency).line(Account::SubscriptionRevenue, -amount_minor, currency);
    b.build()
}

/// A chargeback lost: the disputed amount and Stripe's dispute fee leave the
/// balance; each vendor of the order bears its share of the goods' value
/// (`shares`, which sum to the disputed amount), the platform the fee.
pub fn dispute_lost(shares: &[(Uuid, i64)], fee_minor: i64, currency: Currency) -> Result<Lines, PostingError> {
    let amount_minor: i64 = shares.iter().map(|(_, a)| a).sum();
    let mut b = EntriesBuilder::new();
    b.line(Account::StripeClearing, -(amount_minor + fee_minor), currency).line(
        Account::DisputeLosses,
        fee_minor,
        currency,
    );
    for (vendor, share) in shares {
        b.line(Account::VendorPayable(*vendor), *share, currency);
    }
    b.build()
}

/// The correcting transaction of a mistaken one: every line negated. A posted
/// transaction is never edited.
pub fn reversal(lines: &[Entry<Account>]) -> Lines {
    lines.iter().map(|e| Entry { account: e.account, amount_minor: -e.amount_minor, currency: e.currency }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(v: u128, q: u32, sub: i64, tax: i64, com: i64) -> SoldLine {
        SoldLine {
            vendor_id: Uuid::from_u128(v),
            quantity: q,
            subtotal_minor: sub,
            tax_minor: tax,
            commission_minor: com,
        }
    }

    fn balance(entries: &[Entry<Account>], account: Account) -> i64 {
        entries.iter().filter(|e| e.account == account).map(|e| e.amount_minor).sum()
    }

    #[test]
    fn a_capture_splits_between_vendors_and_platform() {
        let c = Capture {
            currency: Currency::USD,
            lines: vec![line(1, 2, 2000, 160, 200), line(2, 1, 999, 80, 100), line(1, 1, 500, 40, 50)],
            shipping_minor: 599,
            fee_minor: 143,
        };
        let e = payment_captured(&c).unwrap();
        assert_eq!(balance(&e, Account::StripeClearing), c.total_minor() - 143);
        assert_eq!(balance(&e, Account::VendorPayable(Uuid::from_u128(1))), -(2000 - 200 + 500 - 50));
        assert_eq!(balance(&e, Account::VendorPayable(Uuid::from_u128(2))), -(999 - 100));
        assert_eq!(balance(&e, Account::CommissionRevenue), -350);
        assert_eq!(e.iter().map(|x| x.amount_minor).sum::<i64>(), 0);
    }

    #[test]
    fn a_partial_refund_takes_back_exactly_its_units() {
        let sold = line(1, 3, 1000, 80, 101);
        let (e, amount) = refund(
            Currency::EUR,
            &[Returned { line: sold, quantity: 1, already_refunded: 0 }],
            0,
            CommissionBearer::Platform,
        )
        .unwrap();
        // 1000 over 3 units → 334, 333, 333; tax 80 → 27, 27, 26; commission 101 → 34, 34, 33.
        assert_eq!(amount, 334 + 27);
        assert_eq!(balance(&e, Account::VendorPayable(Uuid::from_u128(1))), 334 - 34);
        assert_eq!(balance(&e, Account::CommissionRevenue), 34);
        let (v, _) = refund(
            Currency::EUR,
            &[Returned { line: sold, quantity: 1, already_refunded: 0 }],
            0,
            CommissionBearer::Vendor,
        )
        .unwrap();
        assert_eq!(balance(&v, Account::VendorPayable(Uuid::from_u128(1))), 334);
        assert_eq!(balance(&v, Account::CommissionRevenue), 0);
        assert!(
            refund(
                Currency::EUR,
                &[Returned { line: sold, quantity: 4, already_refunded: 0 }],
                0,
                CommissionBearer::Vendor
            )
            .is_err()
        );
    }

    #[test]
    fn successive_partial_refunds_add_up_to_the_whole_line() {
        let sold = line(1, 7, 1003, 97, 151);
        let whole = |bearer| {
            refund(Currency::EUR, &[Returned { line: sold, quantity: 7, already_refunded: 0 }], 0, bearer).unwrap()
        };
        for bearer in [CommissionBearer::Platform, CommissionBearer::Vendor] {
            let (all, total) = whole(bearer);
            let mut parts: Vec<Entry<Account>> = Vec::new();
            let mut sum = 0;
            for (already, quantity) in [(0, 2), (2, 1), (3, 4)] {
                let (e, amount) =
                    refund(Currency::EUR, &[Returned { line: sold, quantity, already_refunded: already }], 0, bearer)
                        .unwrap();
                sum += amount;
                parts.extend(e);
            }
            assert_eq!(sum, total, "not a cent lost or made");
            for account in [Account::VendorPayable(Uuid::from_u128(1)), Account::CommissionRevenue, Account::TaxPayable]
            {
                assert_eq!(balance(&parts, account), balance(&all, account));
            }
        }
        let over = Returned { line: sold, quantity: 2, already_refunded: 6 };
        assert!(refund(Currency::EUR, &[over], 0, CommissionBearer::Platform).is_err(), "more than is left");
    }

    #[test]
    fn reversals_undo_and_payout_returns_reowe() {
        let paid = payout_executed(Uuid::from_u128(7), 5000, Currency::USD).unwrap();
        let back = payout_returned(Uuid::from_u128(7), 5000, Currency::USD).unwrap();
        let all: Vec<_> = paid.iter().chain(back.iter()).cloned().collect();
        assert_eq!(balance(&all, Account::VendorPayable(Uuid::from_u128(7))), 0);
        assert!(payout_executed(Uuid::from_u128(7), 0, Currency::USD).is_err());
        let lost = dispute_lost(&[(Uuid::from_u128(7), 2500)], 1500, Currency::USD).unwrap();
        assert_eq!(balance(&lost, Account::StripeClearing), -4000);
        let split = dispute_lost(&[(Uuid::from_u128(7), 1700), (Uuid::from_u128(8), 800)], 0, Currency::USD).unwrap();
        assert_eq!(balance(&split, Account::VendorPayable(Uuid::from_u128(8))), 800);
        assert_eq!(balance(&split, Account::StripeClearing), -2500);
    }
}
