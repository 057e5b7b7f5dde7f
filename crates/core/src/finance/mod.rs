//! Finance: how money is split, booked and reported. The rules (commissions,
//! payout positions, periods, ledger postings) are pure: they do no I/O, and
//! nothing in them uses floats (amounts are integer minor units, rates go
//! through `rust_decimal` and round half-even); the store writes what they
//! produce. The use cases (`statements`, `payout_setup`) work over the store,
//! the documents, mail and the payment gateway, and never hold a rule of their own.

pub mod commission;
pub mod payout_preview;
pub mod payout_runs;
pub mod payout_setup;
pub mod payouts;
pub mod postings;
pub mod refunds;
pub mod statements;
pub mod stripe_events;
pub mod subscriptions;
