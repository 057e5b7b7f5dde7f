//! Signing in. Online: connect to the central PostgreSQL as the person's login
//! role (`md_u_` + lower-case username), so a wrong password is refused by the
//! server itself. Offline: check an argon2id verifier that the last online
//! sign-in left in the local SQLite copy.

use super::Backoff;
use crate::domain::{Role, Timestamp, UserStatus};
use crate::store::users::{hash_password, verify_password};
use crate::store::{DatabaseUrl, OpenOptions, Store, StoreError};
use serde::Serialize;
use uuid::Uuid;

/// Why a sign-in did not work, in words fit for the sign-in screen.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Unknown name or wrong password (never says which).
    #[error("wrong sign-in name or password")]
    WrongCredentials,
    /// The signed-in person's password, asked again (to unlock), did not match.
    #[error("wrong password")]
    WrongPassword,
    /// The current password given to change it did not match.
    #[error("the current password is wrong")]
    WrongCurrentPassword,
    /// A new password breaks the policy.
    #[error(transparent)]
    Password(#[from] super::password::PasswordProblem),
    /// Customers sign in to the storefront, never to Marketdesk.
    #[error("customers use the storefront, not Marketdesk")]
    Customer,
    /// The person exists but may not sign in.
    #[error("this sign-in is suspended; ask an admin to reactivate it")]
    Suspended,
    /// An email address this computer cannot map to a username yet.
    #[error("sign in with your username the first time on this computer")]
    UnknownEmail,
    /// Too many failed attempts: the client makes the person wait.
    #[error("too many failed attempts; try again in {0} s")]
    TooSoon(u64),
    /// The login works but is not linked to a Marketdesk user.
    #[error("this database sign-in is not a Marketdesk user")]
    NotAUser,
    /// The server is out of reach and the local copy's offline sign-in did
    /// not match (wrong password, or never signed in online on this computer).
    #[error(
        "the server cannot be reached ({reason}), and this computer's offline sign-in did not accept \
         that name and password (it knows only people who signed in here online before)"
    )]
    OfflineRefused {
        /// Why the server could not be reached.
        reason: String,
    },
    /// The server or the local file failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SignInError {
    /// These credentials were refused — by the server or by the offline
    /// copy's verifier — or their person may not sign in: a remembered
    /// password that meets this is stale and must be forgotten.
    pub fn refuses_the_credentials(&self) -> bool {
        matches!(
            self,
            Self::WrongCredentials
                | Self::UnknownEmail
                | Self::NotAUser
                | Self::Suspended
                | Self::OfflineRefused { .. }
        )
    }
}

/// Where a sign-in was checked, and what it opened.
#[derive(Debug)]
pub enum SignedIn {
    /// By the central server: the session works on it.
    Online(Session),
    /// By the local copy's verifier, the server being out of reach: the session
    /// works on the local copy only.
    Offline {
        /// Who signed in.
        me: Me,
        /// Why the server could not be reached.
        reason: String,
    },
}

/// Signs in to `server`, or — when it cannot be reached — against the verifier
/// the last online sign-in left in `local`, so work goes on offline. A refused
/// password, a suspension or a server error is never retried offline: only an
/// unreachable server falls back. The back-off counts failures on either path.
pub async fn sign_in_online_or_offline(
    server: &str,
    login: &str,
    password: &str,
    local: &Store,
    backoff: &mut Backoff,
) -> Result<SignedIn, SignInError> {
    let reason = match sign_in_online(server, login, password, Some(local), backoff).await {
        Ok(session) => return Ok(SignedIn::Online(session)),
        Err(SignInError::Store(StoreError::Unreachable { address, reason })) => format!("{address}: {reason}"),
        Err(e) => return Err(e),
    };
    if local.sqlite_pool().is_none() {
        return Err(StoreError::Unreachable { address: crate::store::redacted_server(server), reason }.into());
    }
    match sign_in_offline(local, login, password).await {
        Ok(me) => {
            backoff.succeeded();
            Ok(SignedIn::Offline { me, reason })
        }
        Err(SignInError::WrongCredentials) => {
            backoff.failed();
            Err(SignInError::OfflineRefused { reason })
        }
        Err(e) => Err(e),
    }
}

/// The signed-in person.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Me {
    /// Their users row id.
    pub id: Uuid,
    /// Email address.
    pub email: String,
    /// Username (their login role is `md_u_` + its lower-case form).
    pub username: String,
    /// Name shown in the app.
    pub display_name: String,
    /// Their role.
    pub role: Role,
    /// Their status (`invited` until the first password is chosen).
    pub status: UserStatus,
    /// They must choose a new password before doing anything else.
    pub must_change_password: bool,
}

impl Me {
    /// The signed-in person behind a users row.
    pub fn from_user(user: crate::store::users::User, must_change_password: bool) -> Self {
        Me {
            id: user.id,
            email: user.email,
            username: user.username,
            display_name: user.display_name,
            role: user.role,
            status: user.status,
            must_change_password,
        }
    }
}

/// An online session: a store connected as the person.
#[derive(Debug, Clone)]
pub struct Session {
    /// The connection pool, as the person's own login role.
    pub store: Store,
    /// Who they are.
    pub me: Me,
}

/// Refuses an attempt while the back-off says wait (`TooSoon` with whole seconds).
pub fn ready(backoff: &Backoff) -> Result<(), SignInError> {
    let wait = backoff.remaining(std::time::Instant::now());
    if wait.is_zero() { Ok(()) } else { Err(SignInError::TooSoon(wait.as_secs().max(1))) }
}

/// The PostgreSQL login role of a username.
pub fn login_role(username: &str) -> String {
    format!("md_u_{}", username.trim().to_lowercase())
}

/// The username behind a sign-in name: itself, or — for an email address —
/// the username the local copy knows for it.
async fn username_for(login: &str, local: Option<&Store>) -> Result<String, SignInError> {
    let login = login.trim();
    if !login.contains('@') {
        return Ok(login.to_owned());
    }
    let Some(local) = local else {
        return Err(SignInError::UnknownEmail);
    };
    match local.user_for_login(login).await? {
        Some((user, _)) => Ok(user.username),
        None => Err(SignInError::UnknownEmail),
    }
}

/// Signs in to the central server at `server` (a `postgres://host:port/db` URL;
/// any user or password in it is replaced) as the person named `login`.
///
/// `backoff` counts this client's failures: while it says wait, no attempt is
/// made; a wrong password adds a failure; a success reports the failures before
/// it to the audit trail and clears them.
pub async fn sign_in_online(
    server: &str,
    login: &str,
    password: &str,
    local: Option<&Store>,
    backoff: &mut Backoff,
) -> Result<Session, SignInError> {
    ready(backoff)?;
    let result = connect_as(server, login, password, local).await;
    match &result {
        Ok(session) => {
            let failed = i32::try_from(backoff.failures()).unwrap_or(i32::MAX);
            if let Some(pool) = session.store.pg_pool() {
                sqlx::query("SELECT md_signed_in($1)").bind(failed).execute(pool).await.map_err(StoreError::from)?;
            }
            backoff.succeeded();
        }
        Err(SignInError::WrongCredentials | SignInError::UnknownEmail) => backoff.failed(),
        Err(_) => {}
    }
    result
}

async fn connect_as(server: &str, login: &str, password: &str, local: Option<&Store>) -> Result<Session, SignInError> {
    let username = username_for(login, local).await?;
    let mut url = url::Url::parse(server).map_err(|e| StoreError::BadUrl(e.to_string()))?;
    let role = login_role(&username);
    url.set_username(&role).map_err(|_| StoreError::BadUrl("the server URL cannot carry a user name".into()))?;
    url.set_password(Some(password))
        .map_err(|_| StoreError::BadUrl("the server URL cannot carry a password".into()))?;
    let store = match Store::open(&DatabaseUrl::parse(url.as_str())?, &OpenOptions::default()).await {
        Ok(s) => s,
        Err(StoreError::WrongPassword { .. }) => return Err(SignInError::WrongCredentials),
        Err(StoreError::AccessDenied(message)) if message.contains("not permitted to log in") => {
            return Err(SignInError::Suspended);
        }
        Err(e) => return Err(e.into()),
    };
    let pool = store.pg_pool().ok_or(SignInError::NotAUser)?;
    let me: Option<Me> =
        sqlx::query_as("SELECT id, email, username, display_name, role, status, must_change_password FROM md_me()")
            .fetch_optional(pool)
            .await
            .map_err(StoreError::from)?;
    let me = me.ok_or(SignInError::NotAUser)?;
    Ok(Session { store, me })
}

/// Sets the signed-in person's own password: ends an invitation (the one-time
/// code proved the address) or an admin's "must change". Also refreshes the
/// offline verifier when a local copy is given.
pub async fn set_own_password(
    session: &mut Session,
    new_password: &str,
    local: Option<&Store>,
) -> Result<(), SignInError> {
    super::password::check_new_password(None, new_password)?;
    let pool = session.store.pg_pool().ok_or(SignInError::NotAUser)?;
    sqlx::query("SELECT md_set_own_password($1)").bind(new_password).execute(pool).await.map_err(StoreError::from)?;
    session.me.must_change_password = false;
    if session.me.status == UserStatus::Invited {
        session.me.status = UserStatus::Active;
    }
    if let Some(local) = local {
        remember_for_offline(local, &session.me, new_password).await?;
    }
    Ok(())
}

/// Keeps an argon2id verifier of `password` for `me` in the local copy, so the
/// person can sign in offline later. The password itself is never stored.
pub async fn remember_for_offline(local: &Store, me: &Me, password: &str) -> Result<(), SignInError> {
    let hash = hash_password(password)?;
    let pool = local
        .sqlite_pool()
        .ok_or_else(|| StoreError::Validation("offline sign-in needs the local SQLite copy".into()))?;
    let now = Timestamp::now();
    sqlx::query(
        "INSERT INTO users (id, email, username, display_name, role, status, password_hash, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8) \
         ON CONFLICT (id) DO UPDATE SET password_hash = excluded.password_hash, status = excluded.status",
    )
    .bind(me.id)
    .bind(&me.email)
    .bind(&me.username)
    .bind(&me.display_name)
    .bind(me.role)
    .bind(me.status)
    .bind(hash)
    .bind(now)
    .execute(pool)
    .await
    .map_err(|e| StoreError::from_write("user", e))?;
    Ok(())
}

/// Signs in against the local copy only (no network): the verifier left by the
/// last online sign-in must match.
pub async fn sign_in_offline(local: &Store, login: &str, password: &str) -> Result<Me, SignInError> {
    let Some((user, hash)) = local.user_for_login(login).await? else {
        return Err(SignInError::WrongCredentials);
    };
    if user.status == UserStatus::Suspended {
        return Err(SignInError::Suspended);
    }
    match hash {
        // Offline there is no password to change: that needs the server.
        Some(h) if verify_password(password, &h) => Ok(Me::from_user(user, false)),
        _ => Err(SignInError::WrongCredentials),
    }
}

fn remembered_account(server: &str, username: &str) -> String {
    format!("sign-in:{}:{}", crate::store::redacted_server(server), username.trim().to_lowercase())
}

/// "Remember me": files the password in the OS keychain (never in a file).
pub fn remember_password(server: &str, username: &str, password: &str) -> Result<(), crate::secrets::SecretError> {
    crate::secrets::set(&remembered_account(server, username), password)
}

/// The password remembered for `username` on `server`, if any.
pub fn remembered_password(server: &str, username: &str) -> Result<Option<String>, crate::secrets::SecretError> {
    crate::secrets::get(&remembered_account(server, username))
}

/// Forgets a remembered password.
pub fn forget_password(server: &str, username: &str) -> Result<(), crate::secrets::SecretError> {
    crate::secrets::delete(&remembered_account(server, username))
}

fn last_sign_in_account(server: &str) -> String {
    format!("sign-in-last:{}", crate::store::redacted_server(server))
}

/// "Remember me" on a desktop: files the password for `username` on `server`
/// and who it was, so the next start offers to sign them in again. Both live in
/// the keychain only.
pub fn remember_sign_in(server: &str, username: &str, password: &str) -> Result<(), crate::secrets::SecretError> {
    remember_password(server, username, password)?;
    crate::secrets::set(&last_sign_in_account(server), &username.trim().to_lowercase())
}

/// The person remembered on this desktop for `server` and their password, if
/// both are still in the keychain.
pub fn remembered_sign_in(server: &str) -> Result<Option<(String, String)>, crate::secrets::SecretError> {
    let Some(username) = crate::secrets::get(&last_sign_in_account(server))? else {
        return Ok(None);
    };
    Ok(remembered_password(server, &username)?.map(|password| (username, password)))
}

/// Forgets the person remembered for `server` and their password.
pub fn forget_sign_in(server: &str) -> Result<(), crate::secrets::SecretError> {
    if let Some(username) = crate::secrets::get(&last_sign_in_account(server))? {
        forget_password(server, &username)?;
    }
    crate::secrets::delete(&last_sign_in_account(server))
}
