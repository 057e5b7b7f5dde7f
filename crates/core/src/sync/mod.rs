//! Sync between this computer's local copy and the central PostgreSQL: what
//! an offline session wrote is pushed once, what changed on the server is
//! pulled from the change feed (`sync_change_feed`, fed by `md_record_change()`
//! triggers), and conflicts are kept for people to resolve. The home of the
//! sync capability; the push, the pull and the conflict queue are built here.
