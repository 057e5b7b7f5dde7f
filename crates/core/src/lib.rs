//! Marketdesk's core: everything the desktop app and the `marketdesk` CLI share.
//!
//! - [`domain`]: money, ids, time, statuses — pure values, no I/O.
//! - [`finance`]: commission rules and ledger posting rules (pure).
//! - [`identity`]: signing in online (as the person's own database role) and offline.
//! - [`store`]: one interface over the central PostgreSQL and the local SQLite file.
//! - [`seed`]: deterministic demo data at any scale, loaded in bulk.
//! - [`doctor`]: plain-words diagnosis of a setup.
//! - [`documents`]: printable documents (the vendor statement as PDF).
//! - [`secrets`]: the OS keychain.
//!
//! This crate must never depend on Tauri or on anything of the UI: the CLI and the
//! desktop shell call it, never the other way round.

pub mod doctor;
pub mod documents;
pub mod domain;
pub mod failpoint;
pub mod finance;
pub mod identity;
pub mod integrations;
pub mod mail;
pub mod secrets;
pub mod seed;
pub mod store;

pub use store::{Store, StoreError};
