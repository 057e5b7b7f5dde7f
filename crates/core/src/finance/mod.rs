//! Finance: how money is split, booked and reported. The rules (commissions,
//! payout positions, ledger postings) are pure: they do no I/O, and
//! nothing in them uses floats (amounts are integer minor units, rates go
//! through `rust_decimal` and round half-even); the store writes what they
//! produce. The use cases — payout runs (`payout_runs`, `payout_preview`),
//! refunds, reconciliation of Stripe's events (`stripe_events`), billing of
//! vendors' subscriptions, vendors' payout set-up (`payout_setup`),
//! statements and exports — work over the store, the documents, mail and the
//! narrow Stripe traits they need, and never hold a rule of their own.

pub mod commission;
pub mod exports;
pub mod payout_preview;
pub mod payout_runs;
pub mod payout_schedule;
pub mod payout_setup;
pub mod payouts;
pub mod postings;
pub mod refunds;
pub mod statements;
pub mod stripe_events;
pub mod subscriptions;
