//! Sync between a person's local copy and the central PostgreSQL, against a
//! private cluster migrated and seeded by the core, each person over their own
//! SCRAM login: what reaches a copy, pulls that never skip a late commit,
//! offline changes pushed exactly once, conflicts and refusals, pushes through
//! a proxy that cuts connections at random, transactions rolled back at
//! commit, many computers converging, labels printed offline reaching the
//! server's print log, and the change feed pruned without a copy ever
//! missing a change.

mod commit_faults;
mod convergence;
mod copy;
mod faults;
mod local_labels;
mod offline_printing;
mod push;
mod retention;

pub use marketdesk_test_support::marketplace::*;
