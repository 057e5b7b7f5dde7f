//! Crash points for fault-injection tests. When `MARKETDESK_FAILPOINT` names a
//! point, the process aborts there, as if it had been killed: no destructors,
//! no rollback messages, the database connection simply drops. Unset (always,
//! outside tests), a point costs one environment lookup.

/// The environment variable naming the point to crash at.
pub const VARIABLE: &str = "MARKETDESK_FAILPOINT";

/// Aborts the process if `name` is the configured crash point.
pub fn hit(name: &str) {
    if std::env::var(VARIABLE).is_ok_and(|v| v == name) {
        eprintln!("failpoint {name}: aborting");
        std::process::abort();
    }
}
