//! Marketdesk's core: everything the desktop app and the `marketdesk` CLI share.
//!
//! - [`domain`]: money, ids, time, statuses and their lifecycles, periods — pure values, no I/O.
//! - [`store`]: persistence only — one interface over the central PostgreSQL and the
//!   local SQLite file, with row queries per noun.
//! - Capabilities, each holding its use cases over the store: [`finance`] (payouts,
//!   refunds, Stripe reconciliation, subscriptions, payout set-up, statements,
//!   exports, and the pure money rules), [`identity`] (sign-in, the desktop's session,
//!   accounts, the password policy), [`catalog`], [`orders`], [`logistics`], [`sync`].
//! - [`documents`]: the statement PDF and CSV/XLSX spreadsheets, from data.
//! - [`mail`]: templates and the outbox; [`integrations`]: Stripe and Resend behind traits.
//! - [`seed`]: deterministic demo data at any scale, loaded in bulk.
//! - [`doctor`]: plain-words diagnosis of a setup; [`secrets`]: the OS keychain.
//! - [`jobs`]: the background job queue, its workers and their rounds;
//!   [`observability`]: scrubbed JSON log files, panics logged, the logs read back.
//!
//! This crate must never depend on Tauri or on anything of the UI: the CLI and the
//! desktop shell call it, never the other way round.

pub mod analytics;
pub mod backup;
pub mod catalog;
pub mod customers;
pub mod disputes;
pub mod doctor;
pub mod documents;
pub mod domain;
pub mod failpoint;
pub mod finance;
pub mod host;
pub mod identity;
pub mod integrations;
pub mod jobs;
pub mod logistics;
pub mod mail;
pub mod notifications;
pub mod observability;
pub mod orders;
pub mod profile;
pub mod secrets;
pub mod seed;
pub mod store;
pub mod sync;
pub mod vendors;

pub use store::{Store, StoreError};
