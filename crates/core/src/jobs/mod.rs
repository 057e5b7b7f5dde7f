//! Background work as jobs in one PostgreSQL queue, safe with workers on
//! many hosts: `queue.rs` (enqueue, claim under a lease with
//! `FOR UPDATE SKIP LOCKED`, finish, fail with back-off until dead, take
//! back the leases of a worker that stopped, put a dead job back, the
//! queue's depth), `schedule.rs` (a round due every N seconds enqueued once
//! per time slot, however many hosts enqueue it), `runner.rs` (a worker's
//! loop: schedule, claim, hand to a handler, finish or fail, heartbeat),
//! `rounds.rs` (the rounds Marketdesk runs and the handler that does them),
//! `workers.rs` (the workers' heartbeats as admins and the doctor read them)
//! and `list.rs` (the queue as an admin reads it, and a dead job put back).

pub mod list;
pub mod queue;
pub mod rounds;
pub mod runner;
pub mod schedule;
pub mod workers;
