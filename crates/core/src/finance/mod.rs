//! Finance: how money is split and booked. Pure rules here (commissions, ledger
//! postings); the store writes what they produce.
//!
//! Nothing in this module does I/O, and nothing in it uses floats: amounts are
//! integer minor units, rates go through `rust_decimal` and round half-even.

pub mod commission;
pub mod payouts;
pub mod periods;
pub mod postings;
