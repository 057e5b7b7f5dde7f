//! Double-entry postings: a transaction's entries sum to zero per currency.
//!
//! Debits are positive, credits negative. A posting that does not balance is
//! refused before anything is written.

use super::money::Currency;

/// One line of a posting: an account, a signed amount, and optional links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<A> {
    /// The account (whatever identifies it to the caller).
    pub account: A,
    /// Debit (positive) or credit (negative), minor units.
    pub amount_minor: i64,
    /// Currency of the amount.
    pub currency: Currency,
}

/// Why a posting was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostingError {
    /// Entries do not sum to zero in some currency.
    #[error("ledger entries in {currency} sum to {sum}, not zero")]
    Unbalanced {
        /// The currency that does not balance.
        currency: Currency,
        /// What its entries sum to.
        sum: i64,
    },
    /// A zero-amount entry, which says nothing.
    #[error("a ledger entry of zero says nothing")]
    ZeroEntry,
    /// No entries at all.
    #[error("a ledger transaction needs entries")]
    Empty,
}

/// Checks that `entries` balance per currency and carry no zero amounts; drops
/// nothing. Returns the entries on success.
pub fn balanced<A>(entries: Vec<Entry<A>>) -> Result<Vec<Entry<A>>, PostingError> {
    if entries.is_empty() {
        return Err(PostingError::Empty);
    }
    if entries.iter().any(|e| e.amount_minor == 0) {
        return Err(PostingError::ZeroEntry);
    }
    let mut sums: Vec<(Currency, i128)> = Vec::new();
    for e in &entries {
        match sums.iter_mut().find(|(c, _)| *c == e.currency) {
            Some((_, s)) => *s += i128::from(e.amount_minor),
            None => sums.push((e.currency, i128::from(e.amount_minor))),
        }
    }
    if let Some((currency, sum)) = sums.into_iter().find(|(_, s)| *s != 0) {
        return Err(PostingError::Unbalanced { currency, sum: i64::try_from(sum).unwrap_or(i64::MAX) });
    }
    Ok(entries)
}

/// Builds entries, leaving out zero amounts (a fee of 0 is no entry).
#[derive(Debug, Clone, Default)]
pub struct EntriesBuilder<A> {
    entries: Vec<Entry<A>>,
}

impl<A> EntriesBuilder<A> {
    /// An empty builder.
    pub fn new() -> Self {
        Self { entries: Vec::new() }
    }

    /// Adds a line unless `amount_minor` is zero.
    pub fn line(&mut self, account: A, amount_minor: i64, currency: Currency) -> &mut Self {
        if amount_minor != 0 {
            self.entries.push(Entry { account, amount_minor, currency });
        }
        self
    }

    /// The checked entries.
    pub fn build(self) -> Result<Vec<Entry<A>>, PostingError> {
        balanced(self.entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unbalanced_postings_are_refused() {
        let mut b = EntriesBuilder::new();
        b.line("cash", 100, Currency::USD).line("revenue", -99, Currency::USD);
        assert_eq!(b.build(), Err(PostingError::Unbalanced { currency: Currency::USD, sum: 1 }));
        let mut b = EntriesBuilder::new();
        b.line("cash", 100, Currency::USD).line("fee", 0, Currency::USD).line("revenue", -100, Currency::USD);
        assert_eq!(b.build().unwrap().len(), 2);
        let mut b = EntriesBuilder::new();
        b.line("a", 5, Currency::USD).line("b", -5, Currency::EUR);
        assert!(b.build().is_err());
        assert_eq!(balanced::<&str>(vec![]), Err(PostingError::Empty));
    }
}
