//! The desktop's session, as a use case: opening it (online against the
//! central server, falling back to the local copy when the server is out of
//! reach, or on the local database alone), checking the signed-in person's
//! password again (unlock, before a password change) and changing it. The
//! desktop shell holds the session; what it may open is decided here.

use super::Backoff;
use super::password::check_new_password;
use super::sign_in::{
    Me, Session, SignInError, SignedIn, ready, remember_for_offline, set_own_password, sign_in_offline, sign_in_online,
    sign_in_online_or_offline,
};
use crate::domain::Role;
use crate::store::Store;

/// Where this desktop signs people in.
#[derive(Debug, Clone, Copy)]
pub struct Desk<'a> {
    /// The central server's URL; `None` when the desktop works on its local database alone.
    pub server: Option<&'a str>,
    /// The local copy (SQLite), or a scratch database when the computer keeps no copy.
    pub local: &'a Store,
    /// The local copy lasts between runs, so an offline sign-in can fall back on it.
    pub lasting_copy: bool,
}

/// An opened session: who, on which database.
#[derive(Debug, Clone)]
pub struct Opened {
    /// Who signed in.
    pub me: Me,
    /// What the session works on: the central server as the person's own
    /// login, or the local copy.
    pub store: Store,
    /// The session works on the central server.
    pub online: bool,
}

/// Signs a person in and opens their session. With a server: online as the
/// person's own login (keeping an offline verifier in the local copy), or —
/// when the server is out of reach and the copy lasts — against the local
/// copy's verifier. Without a server: against the local database's verifier.
/// Customers are refused. The back-off counts failures on every path.
pub async fn open_session(
    desk: Desk<'_>,
    login: &str,
    password: &str,
    backoff: &mut Backoff,
) -> Result<Opened, SignInError> {
    let local = desk.local;
    let opened = match desk.server {
        Some(server) => {
            let signed = if desk.lasting_copy {
                sign_in_online_or_offline(server, login, password, local, backoff).await?
            } else {
                SignedIn::Online(sign_in_online(server, login, password, Some(local), backoff).await?)
            };
            match signed {
                SignedIn::Online(session) => {
                    if let Err(e) = remember_for_offline(local, &session.me, password).await {
                        tracing::warn!("could not keep an offline verifier: {e}");
                    }
                    Opened { me: session.me, store: session.store, online: true }
                }
                SignedIn::Offline { me, reason } => {
                    tracing::info!("signed in offline: the server cannot be reached ({reason})");
                    Opened { me, store: local.clone(), online: false }
                }
            }
        }
        None => {
            ready(backoff)?;
            match sign_in_offline(local, login, password).await {
                Ok(me) => {
                    backoff.succeeded();
                    Opened { me, store: local.clone(), online: false }
                }
                Err(e) => {
                    if matches!(e, SignInError::WrongCredentials) {
                        backoff.failed();
                    }
                    return Err(e);
                }
            }
        }
    };
    if opened.me.role == Role::Customer {
        if opened.online {
            opened.store.close().await;
        }
        return Err(SignInError::Customer);
    }
    Ok(opened)
}

/// Checks `password` against the verifier of `me` in the local database (kept
/// there at every sign-in), counting a failure towards the sign-in back-off;
/// a mismatch is [`SignInError::WrongPassword`].
pub async fn check_own_password(
    local: &Store,
    me: &Me,
    password: &str,
    backoff: &mut Backoff,
) -> Result<(), SignInError> {
    ready(backoff)?;
    match sign_in_offline(local, &me.username, password).await {
        Ok(found) if found.id == me.id => {
            backoff.succeeded();
            Ok(())
        }
        Ok(_) | Err(SignInError::WrongCredentials) => {
            backoff.failed();
            Err(SignInError::WrongPassword)
        }
        Err(e) => Err(e),
    }
}

/// Changes the signed-in person's own password after checking the current one
/// (or an invitation's one-time code, or an admin's temporary password) with
/// [`check_own_password`]. Online the new password is set on the central
/// server, ending an invitation or a "must change", and the local verifier
/// follows; on the local database alone it replaces the local verifier.
/// Returns the person as they now stand.
pub async fn change_own_password(
    session: &Opened,
    local: &Store,
    current: &str,
    new_password: &str,
    backoff: &mut Backoff,
) -> Result<Me, SignInError> {
    check_new_password(Some(current), new_password)?;
    check_own_password(local, &session.me, current, backoff).await.map_err(|e| match e {
        SignInError::WrongPassword => SignInError::WrongCurrentPassword,
        e => e,
    })?;
    if session.online {
        let mut online = Session { store: session.store.clone(), me: session.me.clone() };
        set_own_password(&mut online, new_password, Some(local)).await?;
        Ok(online.me)
    } else {
        let mut me = session.me.clone();
        me.must_change_password = false;
        remember_for_offline(local, &me, new_password).await?;
        Ok(me)
    }
}
