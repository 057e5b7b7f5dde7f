//! Running it for years: what Marketdesk writes down about itself and how it
//! is read. `logging.rs` sends `tracing` events as JSON lines to daily files
//! in the platform's log folder (and readable lines to stderr for the command
//! line); `scrub.rs` takes secrets and personal data out of every line first;
//! `panics.rs` logs a panic with its place and backtrace; `log_files.rs` reads
//! the files back, newest first, for the admins' log viewer and
//! `marketdesk logs`; `reporting.rs` sends errors and panics, scrubbed, to a
//! Sentry-compatible service when a DSN is configured; `startup.rs` starts
//! all of it for the desktop and the worker.

pub mod log_files;
pub mod logging;
pub mod panics;
pub mod reporting;
pub mod scrub;
pub mod startup;
