//! Each person's choice of where each kind of notification reaches them,
//! over their role's defaults; a mail may wait for the daily digest.

use crate::domain::notifications::{Channel, NotificationKind};
use crate::domain::{Role, Timestamp, new_id};
use crate::store::{Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where one kind reaches a person now, and whether that is their own choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Preference {
    /// The kind.
    pub kind: NotificationKind,
    /// In a few words.
    pub label: String,
    /// At the bell.
    pub in_app: bool,
    /// By mail.
    pub email: bool,
    /// Mails of this kind wait for the daily digest.
    pub digest: bool,
    /// As the desktop's own notification.
    pub desktop: bool,
    /// Whether any of it is the person's own choice rather than the default.
    pub customised: bool,
}

/// A person's choice for one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PreferenceChoice {
    /// The kind.
    pub kind: NotificationKind,
    /// At the bell.
    pub in_app: bool,
    /// By mail.
    pub email: bool,
    /// Mails of this kind wait for the daily digest.
    pub digest: bool,
    /// As the desktop's own notification.
    pub desktop: bool,
}

type Row = (String, String, bool, bool);

async fn own_rows(store: &Store, me: Uuid) -> Result<Vec<Row>, StoreError> {
    let sql = "SELECT kind, channel, enabled, digest FROM notification_preferences \
               WHERE user_id = $1 AND deleted_at IS NULL";
    Ok(with_pool!(&store.db, |p| sqlx::query_as(sql).bind(me).fetch_all(p).await)?)
}

/// Where each kind `me` (of `role`) hears of reaches them now, in the
/// order the preferences screen lists them.
pub async fn preferences(store: &Store, me: Uuid, role: Role) -> Result<Vec<Preference>, StoreError> {
    let rows = own_rows(store, me).await?;
    Ok(NotificationKind::for_role(role)
        .into_iter()
        .map(|kind| {
            let own = |c: Channel| rows.iter().find(|(k, ch, _, _)| k == kind.as_str() && ch == c.as_db());
            let on = |c: Channel| own(c).map(|r| r.2).unwrap_or_else(|| kind.default_on(role, c));
            Preference {
                kind,
                label: kind.label().to_owned(),
                in_app: on(Channel::InApp),
                email: on(Channel::Email),
                digest: own(Channel::Email).is_some_and(|r| r.3),
                desktop: on(Channel::Desktop),
                customised: Channel::ALL.into_iter().any(|c| own(c).is_some()),
            }
        })
        .collect())
}

/// Saves `me`'s choice for one kind (all three channels at once); a kind
/// their role never hears of is refused.
pub async fn set_preference(store: &Store, me: Uuid, role: Role, choice: PreferenceChoice) -> Result<(), StoreError> {
    let kind = choice.kind;
    if !kind.reaches(role) {
        return Err(StoreError::Validation(format!("people of the {role} role are not told of {}", kind.label())));
    }
    let now = Timestamp::now();
    let sql = "INSERT INTO notification_preferences (id, user_id, kind, channel, enabled, digest, version, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) \
               ON CONFLICT (user_id, kind, channel) DO UPDATE SET enabled = excluded.enabled, digest = excluded.digest, \
               deleted_at = NULL, updated_at = excluded.updated_at, version = notification_preferences.version + 1";
    let mut tx = store.begin_write_tx().await?;
    for (channel, enabled) in
        [(Channel::InApp, choice.in_app), (Channel::Email, choice.email), (Channel::Desktop, choice.desktop)]
    {
        let digest = channel == Channel::Email && choice.digest;
        crate::store::write_tx::with_tx!(&mut tx, |c| sqlx::query(sql)
            .bind(new_id())
            .bind(me)
            .bind(kind.as_str())
            .bind(channel.as_db())
            .bind(enabled)
            .bind(digest)
            .bind(now)
            .execute(&mut *c)
            .await
            .map(|_| ()))
        .map_err(|e| StoreError::from_write("notification preference", e))?;
    }
    tx.commit().await?;
    Ok(())
}

/// Forgets `me`'s own choices: every kind back to the role's defaults.
pub async fn reset_preferences(store: &Store, me: Uuid) -> Result<u64, StoreError> {
    let sql = "UPDATE notification_preferences SET deleted_at = $2, updated_at = $2, version = version + 1 \
               WHERE user_id = $1 AND deleted_at IS NULL";
    let now = Timestamp::now();
    Ok(with_pool!(&store.db, |p| sqlx::query(sql).bind(me).bind(now).execute(p).await.map(|r| r.rows_affected()))?)
}
