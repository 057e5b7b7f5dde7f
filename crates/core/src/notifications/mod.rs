//! Notifications: the core writes one for each event people care about, in
//! the transaction of the event, through [`send::notify_in`]; people read
//! theirs at the bell, choose per kind and channel where they reach them, and
//! get them by mail (each, or in a daily digest) and on their desktop.
//!
//! On PostgreSQL the database resolves the audience and the preferences
//! (`md_notify`, migration 0023), so a vendor's action can tell an admin
//! without the vendor reading anyone's preferences; on a SQLite file the
//! core does the same from [`crate::domain::notifications`].

pub mod inbox;
pub mod mail;
pub mod preferences;
pub mod send;

pub use send::{Audience, Notice, notify, notify_in};
