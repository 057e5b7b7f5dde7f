//! Disputes worked through: opened by an admin or a vendor on an order or one
//! of its lines, answered in a thread (with staff-only notes), handed between
//! the vendor's, the customer's and the platform's stages under each stage's
//! service-level time, escalated by the clock when that time runs out, and
//! ended by an outcome — a refund (made by finance through its refund
//! functions and the ledger), a replacement, a rejection or a withdrawal.
//! The lifecycle itself is `domain::dispute_lifecycle`.

pub mod analytics;
pub mod attachments;
pub mod open;
pub mod refund;
pub mod row;
pub mod scope;
pub mod sla;
pub mod step;
pub mod thread;
pub mod view;

pub use open::{DisputeOpened, OpenDispute, open_dispute};
pub use step::{DisputeMoved, DisputeStep, take_step};
