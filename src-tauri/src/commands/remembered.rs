//! The remembered sign-in: the password of the person who asked, filed in the
//! OS keychain (never a file) for the central server, so the next start offers
//! to continue as them. Unlocking after the idle period still asks for it.
//! Keychain calls may block (Secret Service goes over D-Bus), so they run off
//! the async runtime.

use super::off_runtime;
use marketdesk_core::identity;
use marketdesk_core::secrets;
use zeroize::Zeroizing;

/// Whether the keychain can remember a sign-in for `server`, and who is remembered.
pub(crate) async fn status(server: String) -> (bool, Option<String>) {
    off_runtime(move || {
        if secrets::probe().is_err() {
            return (false, None);
        }
        (true, identity::remembered_sign_in(&server).ok().flatten().map(|(username, _)| username))
    })
    .await
    .unwrap_or((false, None))
}

/// Files the sign-in; a keychain that refuses is logged, the session goes on.
pub(crate) async fn remember(server: String, username: String, password: Zeroizing<String>) {
    match off_runtime(move || identity::remember_sign_in(&server, &username, &password)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!("could not remember the sign-in: {e}"),
        Err(e) => tracing::warn!("could not remember the sign-in: {e}"),
    }
}
