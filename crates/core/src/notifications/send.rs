//! Sending: a notice to one person, a role or everyone, written as one row
//! per person and channel their preferences (or their role's defaults) turn on.

use crate::domain::notifications::{Channel, NotificationKind};
use crate::domain::{Role, Timestamp, new_id};
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Store, StoreError};
use uuid::Uuid;

/// Whom a notice is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// One person (a vendor's id is their user id).
    Person(Uuid),
    /// Every active person of a role.
    Role(Role),
    /// Every active person of the marketplace's staff and vendors.
    Everyone,
}

/// What to tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// What happened.
    pub kind: NotificationKind,
    /// Whom to tell.
    pub to: Audience,
    /// In a few words ("New order MD-10042").
    pub title: String,
    /// More words; may be empty.
    pub body: String,
    /// Where in the app it is about (`marketdesk://orders/<id>`).
    pub link: Option<String>,
}

/// Longest title.
pub const MAX_TITLE: usize = 200;
/// Longest text.
pub const MAX_BODY: usize = 4000;

impl Notice {
    /// A notice of `kind` to `to`.
    pub fn new(kind: NotificationKind, to: Audience, title: impl Into<String>) -> Self {
        Self { kind, to, title: title.into(), body: String::new(), link: None }
    }

    /// With more words.
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = body.into();
        self
    }

    /// About the row `id` of the app's `place` (orders, products, payouts, disputes …).
    pub fn about(mut self, place: &str, id: Uuid) -> Self {
        self.link = Some(link_to(place, id));
        self
    }

    fn check(&self) -> Result<(), StoreError> {
        let title = self.title.trim();
        if title.is_empty() || title.chars().count() > MAX_TITLE {
            return Err(StoreError::Validation(format!("a notification's title is 1–{MAX_TITLE} characters")));
        }
        if self.body.chars().count() > MAX_BODY {
            return Err(StoreError::Validation(format!("a notification's text is at most {MAX_BODY} characters")));
        }
        if let Audience::Role(Role::Customer) = self.to {
            return Err(StoreError::Validation("customers are told in the storefront, not here".into()));
        }
        Ok(())
    }
}

/// The app's address of row `id` of `place`.
pub fn link_to(place: &str, id: Uuid) -> String {
    format!("marketdesk://{place}/{id}")
}

/// Writes `notice` inside `tx`, the transaction of the event it reports;
/// returns how many rows (people × channels) it wrote. `sender` is who
/// caused it (on PostgreSQL a login's session says so itself).
pub async fn notify_in(tx: &mut WriteTx<'_>, sender: Option<Uuid>, notice: &Notice) -> Result<u64, StoreError> {
    notice.check()?;
    let (person, role) = audience_of(notice.to);
    match tx {
        WriteTx::Postgres(t) => notify_on_postgres(t, sender, notice).await,
        WriteTx::Sqlite(_) => sqlite_notify(tx, sender, notice, person, role, notice.title.trim()).await,
    }
}

/// [`notify_in`] on a PostgreSQL connection inside the caller's transaction
/// (the money paths that hold one): through `md_notify`.
pub async fn notify_on_postgres(
    conn: &mut sqlx::PgConnection,
    sender: Option<Uuid>,
    notice: &Notice,
) -> Result<u64, StoreError> {
    notice.check()?;
    let (person, role) = audience_of(notice.to);
    let n: i32 = sqlx::query_scalar("SELECT md_notify($1, $2, $3, $4, $5, $6, $7)")
        .bind(notice.kind.as_str())
        .bind(person)
        .bind(role)
        .bind(notice.title.trim())
        .bind(&notice.body)
        .bind(&notice.link)
        .bind(sender)
        .fetch_one(conn)
        .await
        .map_err(refusal)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

fn audience_of(to: Audience) -> (Option<Uuid>, Option<&'static str>) {
    match to {
        Audience::Person(id) => (Some(id), None),
        Audience::Role(r) => (None, Some(r.as_str())),
        Audience::Everyone => (None, Some("everyone")),
    }
}

/// Writes `notice` in a transaction of its own.
pub async fn notify(store: &Store, sender: Option<Uuid>, notice: &Notice) -> Result<u64, StoreError> {
    let mut tx = store.begin_write_tx().await?;
    let n = notify_in(&mut tx, sender, notice).await?;
    tx.commit().await?;
    Ok(n)
}

/// What `md_notify` does, on a SQLite file: the audience among active
/// people whose role hears of the kind, each channel on by their own
/// preference or else their role's default.
async fn sqlite_notify(
    tx: &mut WriteTx<'_>,
    sender: Option<Uuid>,
    notice: &Notice,
    person: Option<Uuid>,
    role: Option<&str>,
    title: &str,
) -> Result<u64, StoreError> {
    let kind = notice.kind;
    let people: Vec<(Uuid, String)> = with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT id, role FROM users WHERE deleted_at IS NULL AND status = 'active' \
             AND (id = $1 OR role = $2 OR $2 = 'everyone')",
        )
        .bind(person)
        .bind(role)
        .fetch_all(&mut *c)
        .await
    })?;
    let now = Timestamp::now();
    let mut written = 0;
    for (user, their_role) in people {
        let Ok(their_role) = their_role.parse::<Role>() else { continue };
        if !kind.reaches(their_role) {
            continue;
        }
        let chosen: Vec<(String, bool, bool)> = with_tx!(tx, |c| {
            sqlx::query_as(
                "SELECT channel, enabled, digest FROM notification_preferences \
                 WHERE user_id = $1 AND kind = $2 AND deleted_at IS NULL",
            )
            .bind(user)
            .bind(kind.as_str())
            .fetch_all(&mut *c)
            .await
        })?;
        for channel in Channel::ALL {
            let own = chosen.iter().find(|(c, _, _)| c == channel.as_db());
            let on = own.map(|(_, enabled, _)| *enabled).unwrap_or_else(|| kind.default_on(their_role, channel));
            if !on {
                continue;
            }
            let digest = channel == Channel::Email && own.is_some_and(|(_, _, d)| *d);
            with_tx!(tx, |c| {
                sqlx::query(
                    "INSERT INTO notifications (id, user_id, kind, title, body, link, channel, digest, sent_by, \
                     version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10)",
                )
                .bind(new_id())
                .bind(user)
                .bind(kind.as_str())
                .bind(title)
                .bind(&notice.body)
                .bind(&notice.link)
                .bind(channel.as_db())
                .bind(digest)
                .bind(sender)
                .bind(now)
                .execute(&mut *c)
                .await
                .map(|_| ())
            })
            .map_err(|e| StoreError::from_write("notification", e))?;
            written += 1;
        }
    }
    Ok(written)
}

/// The database's refusals in words: not allowed, not valid, too many.
pub(crate) fn refusal(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        let words = db.message().to_owned();
        match db.code().as_deref() {
            Some("42501") => return StoreError::AccessDenied(words),
            Some("22023") => return StoreError::Validation(words),
            Some("54000") => return StoreError::Busy(words),
            _ => {}
        }
    }
    StoreError::from_write("notification", e)
}

/// An admin's announcement to `to`; returns how many rows it wrote.
pub async fn announce(
    store: &Store,
    sender: Uuid,
    sender_role: Role,
    to: Audience,
    title: &str,
    body: &str,
) -> Result<u64, StoreError> {
    if sender_role != Role::Admin {
        return Err(StoreError::AccessDenied("announcements are an admin's".into()));
    }
    if let Audience::Person(_) = to {
        return Err(StoreError::Validation("an announcement goes to a role or to everyone".into()));
    }
    let notice = Notice::new(NotificationKind::Announcement, to, title).body(body);
    notify(store, Some(sender), &notice).await
}
