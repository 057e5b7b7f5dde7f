//! A person's own notifications: the bell's list and unread count, reading
//! them, and what their desktop should pop up. Always the reader's own rows
//! (on PostgreSQL the database also allows nothing else).

use crate::domain::Timestamp;
use crate::domain::notifications::NotificationKind;
use crate::store::write_tx::with_tx;
use crate::store::{Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One notification at the bell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct InboxItem {
    /// Row id.
    pub id: Uuid,
    /// What happened.
    #[sqlx(try_from = "String")]
    pub kind: NotificationKind,
    /// In a few words.
    pub title: String,
    /// More words; may be empty.
    pub body: String,
    /// Where in the app it is about (`marketdesk://orders/<id>`).
    pub link: Option<String>,
    /// When it was read; `None` while unread.
    pub read_at: Option<Timestamp>,
    /// When it happened.
    pub created_at: Timestamp,
}

/// A page of the bell's list, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Inbox {
    /// The notifications of this page.
    pub items: Vec<InboxItem>,
    /// How many of all the reader's notifications are unread.
    pub unread: u32,
    /// Ask with this to get the next page; `None` on the last.
    pub next: Option<String>,
}

/// Longest page.
pub const MAX_PAGE: u32 = 200;

const COLUMNS: &str = "id, kind, title, body, link, read_at, created_at";

/// Where a page starts: after this (created_at, id).
fn cursor_of(n: &InboxItem) -> String {
    format!("{}~{}", n.created_at.unix_micros(), n.id)
}

fn parse_cursor(c: &str) -> Result<(Timestamp, Uuid), StoreError> {
    let (micros, id) = c.split_once('~').ok_or(StoreError::BadCursor)?;
    let at = micros.parse().ok().and_then(Timestamp::from_unix_micros).ok_or(StoreError::BadCursor)?;
    Ok((at, id.parse().map_err(|_| StoreError::BadCursor)?))
}

/// `me`'s notifications at the bell, newest first: `limit` of them after
/// `after` (a page's `next`), only the unread ones when asked.
pub async fn inbox(
    store: &Store,
    me: Uuid,
    unread_only: bool,
    limit: u32,
    after: Option<&str>,
) -> Result<Inbox, StoreError> {
    let limit = limit.clamp(1, MAX_PAGE);
    let after = after.map(parse_cursor).transpose()?;
    let (at, id) = after.unzip();
    let unread_sql = if unread_only { " AND read_at IS NULL" } else { "" };
    let sql = format!(
        "SELECT {COLUMNS} FROM notifications WHERE user_id = $1 AND channel = 'in_app' AND deleted_at IS NULL{unread_sql} \
         AND ($2 IS NULL OR created_at < $2 OR (created_at = $2 AND id < $3)) \
         ORDER BY created_at DESC, id DESC LIMIT $4"
    );
    let mut items: Vec<InboxItem> = with_pool!(&store.db, |p| {
        sqlx::query_as(&sql).bind(me).bind(at).bind(id).bind(i64::from(limit) + 1).fetch_all(p).await
    })?;
    let next = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(cursor_of)
    } else {
        None
    };
    Ok(Inbox { items, unread: unread_count(store, me).await?, next })
}

/// How many of `me`'s notifications at the bell are unread.
pub async fn unread_count(store: &Store, me: Uuid) -> Result<u32, StoreError> {
    let sql = "SELECT count(*) FROM notifications \
               WHERE user_id = $1 AND channel = 'in_app' AND read_at IS NULL AND deleted_at IS NULL";
    let n: i64 = with_pool!(&store.db, |p| sqlx::query_scalar(sql).bind(me).fetch_one(p).await)?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Marks `ids` of `me`'s notifications read (others' and read ones are left
/// alone); returns how many it marked.
pub async fn mark_read(store: &Store, me: Uuid, ids: &[Uuid]) -> Result<u64, StoreError> {
    let mut marked = 0;
    let now = Timestamp::now();
    let sql = "UPDATE notifications SET read_at = $3, updated_at = $3, version = version + 1 \
               WHERE id = $1 AND user_id = $2 AND read_at IS NULL";
    let mut tx = store.begin_write_tx().await?;
    for id in ids {
        marked += with_tx!(&mut tx, |c| sqlx::query(sql)
            .bind(id)
            .bind(me)
            .bind(now)
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    tx.commit().await?;
    Ok(marked)
}

/// Marks every unread notification of `me` read; returns how many.
pub async fn mark_all_read(store: &Store, me: Uuid) -> Result<u64, StoreError> {
    let sql = "UPDATE notifications SET read_at = $2, updated_at = $2, version = version + 1 \
               WHERE user_id = $1 AND channel = 'in_app' AND read_at IS NULL AND deleted_at IS NULL";
    let now = Timestamp::now();
    Ok(with_pool!(&store.db, |p| sqlx::query(sql).bind(me).bind(now).execute(p).await.map(|r| r.rows_affected()))?)
}

/// What `me`'s desktop should show as the system's notifications now: the
/// desktop-channel rows not shown yet, oldest first, marked shown in the
/// same step so two windows never show one twice.
pub async fn take_desktop_alerts(store: &Store, me: Uuid) -> Result<Vec<InboxItem>, StoreError> {
    let now = Timestamp::now();
    let mut tx = store.begin_write_tx().await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM notifications WHERE user_id = $1 AND channel = 'push' AND sent_at IS NULL \
         AND deleted_at IS NULL ORDER BY created_at, id LIMIT 50"
    );
    let due: Vec<InboxItem> = with_tx!(&mut tx, |c| sqlx::query_as(&sql).bind(me).fetch_all(&mut *c).await)?;
    let mut shown = Vec::with_capacity(due.len());
    for n in due {
        let sql = "UPDATE notifications SET sent_at = $2 WHERE id = $1 AND sent_at IS NULL";
        let taken = with_tx!(&mut tx, |c| sqlx::query(sql)
            .bind(n.id)
            .bind(now)
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected()))?;
        // Another window of the same person took it between the read and here.
        if taken == 1 {
            shown.push(n);
        }
    }
    tx.commit().await?;
    Ok(shown)
}
