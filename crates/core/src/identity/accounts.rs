//! What an admin does to people: invite them, reset their password, suspend and
//! reactivate them. Each is one database transaction around the admin-checked
//! SECURITY DEFINER functions of migration 0002, with the mail it causes queued
//! in the same transaction (nothing is mailed for an action that rolled back).

use super::{Session, SignInError};
use crate::domain::Role;
use crate::mail::outbox::{QUEUE_SQL, queue_params};
use crate::mail::templates::{Template, render};
use crate::store::StoreError;
use rand::Rng;
use uuid::Uuid;

/// A person to invite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitee {
    /// Their email address (the invitation goes there).
    pub email: String,
    /// Their sign-in name.
    pub username: String,
    /// Name shown in the app.
    pub display_name: String,
    /// Admin, vendor, logistics or finance.
    pub role: Role,
}

impl Invitee {
    /// The invitee with surrounding spaces trimmed, once every field is
    /// filled, the address looks like one (no spaces, a name before the `@`,
    /// a dot in the domain) and the role signs in to Marketdesk.
    pub fn checked(&self) -> Result<Invitee, StoreError> {
        let email = self.email.trim();
        let (username, display_name) = (self.username.trim(), self.display_name.trim());
        if email.is_empty() || username.is_empty() || display_name.is_empty() {
            return Err(StoreError::Validation("enter the person's e-mail, sign-in name and name".into()));
        }
        if email.chars().any(char::is_whitespace)
            || !email.split_once('@').is_some_and(|(a, d)| !a.is_empty() && d.contains('.'))
        {
            return Err(StoreError::Validation(format!("“{email}” is not an e-mail address")));
        }
        if self.role == Role::Customer {
            return Err(StoreError::Validation(
                "customers use the storefront: invite admins, vendors, logistics or finance".into(),
            ));
        }
        Ok(Invitee {
            email: email.to_owned(),
            username: username.to_owned(),
            display_name: display_name.to_owned(),
            role: self.role,
        })
    }
}

/// A one-time code: 16 characters from an alphabet without look-alikes,
/// grouped by four (`7KQX-M2PD-...`).
pub fn one_time_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    let mut code = String::with_capacity(19);
    for i in 0..16 {
        if i > 0 && i % 4 == 0 {
            code.push('-');
        }
        code.push(char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]));
    }
    code
}

fn admin_pool(session: &Session) -> Result<&sqlx::PgPool, SignInError> {
    if session.me.role != Role::Admin {
        return Err(StoreError::Validation("only an admin manages people".into()).into());
    }
    session.store.pg_pool().ok_or(SignInError::NotAUser)
}

fn refused(e: sqlx::Error) -> SignInError {
    if let sqlx::Error::Database(db) = &e
        && matches!(db.code().as_deref(), Some("22023" | "42501" | "P0002"))
    {
        return StoreError::Validation(db.message().to_owned()).into();
    }
    StoreError::from_write("user", e).into()
}

/// Creates `who` as an invited person and queues their invitation with a
/// one-time code. Returns the new user's id.
pub async fn invite(session: &Session, who: &Invitee) -> Result<Uuid, SignInError> {
    let pool = admin_pool(session)?;
    let mut tx = pool.begin().await.map_err(StoreError::from)?;
    let id = invite_in(&mut tx, who).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(id)
}

/// [`invite`] inside the caller's transaction on the central database, for an
/// admin's login: the login made and the invitation queued commit with the
/// caller's other writes, or neither does.
pub async fn invite_in(tx: &mut sqlx::Transaction<'_, sqlx::Postgres>, who: &Invitee) -> Result<Uuid, SignInError> {
    let who = &who.checked()?;
    let code = one_time_code();
    let mail = render(&Template::Invitation {
        display_name: &who.display_name,
        username: &who.username,
        role: who.role.as_str(),
        code: &code,
    })
    .map_err(|e| StoreError::Validation(format!("the invitation mail cannot be written: {e}")))?;
    let id: Uuid = sqlx::query_scalar("SELECT md_create_user($1, $2, $3, $4, $5)")
        .bind(who.email.trim())
        .bind(who.username.trim())
        .bind(who.display_name.trim())
        .bind(who.role.as_str())
        .bind(&code)
        .fetch_one(&mut **tx)
        .await
        .map_err(refused)?;
    queue_in(tx, &who.email, &mail).await?;
    Ok(id)
}

/// Gives `user` a temporary password, mailed to them; they must change it.
pub async fn reset_password(session: &Session, user: Uuid) -> Result<(), SignInError> {
    let pool = admin_pool(session)?;
    let (email, username, display_name): (String, String, String) =
        sqlx::query_as("SELECT email, username, display_name FROM users WHERE id = $1 AND deleted_at IS NULL")
            .bind(user)
            .fetch_optional(pool)
            .await
            .map_err(StoreError::from)?
            .ok_or(StoreError::NotFound { entity: "user", id: user.to_string() })?;
    let code = one_time_code();
    let mail = render(&Template::PasswordReset { display_name: &display_name, username: &username, code: &code })
        .map_err(|e| StoreError::Validation(format!("the reset mail cannot be written: {e}")))?;
    let mut tx = pool.begin().await.map_err(StoreError::from)?;
    sqlx::query("SELECT md_reset_password($1, $2)").bind(user).bind(&code).execute(&mut *tx).await.map_err(refused)?;
    queue_in(&mut tx, &email, &mail).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}

/// Suspends `user` (ending their open sessions) or reactivates them.
pub async fn set_active(session: &Session, user: Uuid, active: bool) -> Result<(), SignInError> {
    let pool = admin_pool(session)?;
    sqlx::query("SELECT md_set_user_active($1, $2)").bind(user).bind(active).execute(pool).await.map_err(refused)?;
    Ok(())
}

async fn queue_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    to: &str,
    mail: &crate::mail::templates::Rendered,
) -> Result<(), StoreError> {
    let (_, params) = queue_params(to, mail);
    crate::store::sql::bind(sqlx::query(QUEUE_SQL), &params)
        .execute(&mut **tx)
        .await
        .map_err(|e| StoreError::from_write("mail", e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_long_grouped_and_unambiguous() {
        let code = super::one_time_code();
        assert_eq!(code.len(), 19);
        assert_eq!(code.matches('-').count(), 3);
        assert!(code.chars().all(|c| c == '-' || (c.is_ascii_alphanumeric() && !"01IO".contains(c))), "{code}");
        assert_ne!(code, super::one_time_code());
    }
}
