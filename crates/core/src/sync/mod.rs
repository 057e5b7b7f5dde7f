//! Sync between this computer's local copy and the central PostgreSQL: what
//! an offline session wrote is pushed once, what changed on the server is
//! pulled from the change feed (`sync_change_feed`, fed by `md_record_change()`
//! triggers), and conflicts are kept for people to resolve.
//!
//! * [`mutation`]: the offline-capable writes as intents, applied by one code
//!   path online, queued offline and replayed on the server.
//! * [`outbox`]: the local queue, written in the same transaction as the
//!   local effect.
//! * [`push`]: replays the queue in order, each mutation at most once
//!   (`sync_applied_mutations`), turning a stale version into a conflict and
//!   a refusal into a parked mutation with its reason.
//! * [`pull`]: the change feed read below the server's snapshot horizon, so
//!   a late commit is never skipped; the first copy and a resync in resumable
//!   pages; a sweep that drops rows the person may no longer read.
//! * [`conflicts`]: both versions side by side and how a person resolves them.
//! * [`retention`]: copies check in with how far they pulled; the feed is
//!   pruned below the slowest copy seen lately, and a copy left behind resyncs.

pub mod conflicts;
pub mod cycle;
mod error;
pub mod initial;
pub mod mutation;
pub mod outbox;
mod perform;
pub mod pull;
pub mod push;
pub mod retention;
pub(crate) mod rows;
pub mod state;
pub mod status;

pub use error::SyncError;
pub use mutation::{Mutation, Outcome};
pub use perform::{perform, queue_print_jobs};
