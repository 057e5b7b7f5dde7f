//! Who is using Marketdesk: signing in online (as the person's own PostgreSQL
//! login role, so the database enforces what they may do), signing in offline
//! against a verifier kept in the local copy, and slowing down guessing.
//!
//! The app's own role checks only shape the UI; the database's grants and
//! row-level security (migrations/postgres/0002) are what protect the data.

pub mod accounts;
mod backoff;
pub mod desktop;
pub mod password;
mod server;
mod sign_in;

pub use backoff::Backoff;
pub use desktop::{Desk, Opened, change_own_password, check_own_password, open_session};
pub use password::{MIN_PASSWORD_CHARS, PasswordProblem, check_new_password};
pub use server::{check_server, parse_server};
pub use sign_in::{
    Me, Session, SignInError, SignedIn, forget_password, forget_sign_in, login_role, ready, remember_for_offline,
    remember_password, remember_sign_in, remembered_password, remembered_sign_in, set_own_password, sign_in_offline,
    sign_in_online, sign_in_online_or_offline,
};
