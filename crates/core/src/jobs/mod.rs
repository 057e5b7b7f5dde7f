//! Background work as jobs in one PostgreSQL queue, safe with workers on
//! many hosts: `queue.rs` (enqueue, claim under a lease with
//! `FOR UPDATE SKIP LOCKED`, finish, fail with back-off until dead, take
//! back the leases of a worker that stopped, put a dead job back, the
//! queue's depth) and `schedule.rs` (a round due every N seconds enqueued
//! once per time slot, however many hosts enqueue it); `list.rs` (the queue
//! as an admin reads it, and a dead job put back).

pub mod list;
pub mod queue;
pub mod schedule;
