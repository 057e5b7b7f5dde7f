//! Running it for years: what Marketdesk writes down about itself and how it
//! is read. `logging.rs` sends `tracing` events as JSON lines to daily files
//! in the platform's log folder (and readable lines to stderr for the command
//! line); `scrub.rs` takes secrets and personal data out of every line first;
//! `panics.rs` logs a panic with its place and backtrace; `log_files.rs` reads
//! the files back, newest first, for the admins' log viewer and
//! `marketdesk logs`.

pub mod log_files;
pub mod logging;
pub mod panics;
pub mod scrub;
