//! Notifications by mail: the round (the worker's) that turns the mail rows
//! the event wrote into outbox mails — one per notification as it happens,
//! and one daily digest per person who asked for it, sent once their oldest
//! waiting item is a day old. Each mail and the rows it carries are marked in
//! one transaction, so nothing is mailed twice or lost between the two.

use crate::domain::Timestamp;
use crate::mail::outbox::{QUEUE_SQL, queue_params};
use crate::mail::templates::{Template, render};
use crate::store::sql::bind;
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Store, StoreError, with_pool};
use serde::Serialize;
use uuid::Uuid;

/// How long a digest gathers before it is sent.
pub const DIGEST_EVERY_HOURS: i64 = 24;
/// Notifications mailed one by one per round at most (the rest wait for the next).
pub const ROUND: i64 = 500;

/// What a round queued.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MailRound {
    /// Mails of one notification each.
    pub single: usize,
    /// Digest mails.
    pub digests: usize,
    /// Notifications the digests carried.
    pub in_digests: usize,
}

#[derive(sqlx::FromRow)]
struct Due {
    id: Uuid,
    title: String,
    body: String,
    email: String,
    display_name: String,
}

const DUE: &str = "SELECT n.id, n.title, n.body, u.email, u.display_name FROM notifications n \
                   JOIN users u ON u.id = n.user_id \
                   WHERE n.channel = 'email' AND n.sent_at IS NULL AND n.deleted_at IS NULL \
                   AND u.deleted_at IS NULL AND u.status = 'active'";

/// Queues what is due at `now`: every waiting single mail, and the digest of
/// each person whose oldest waiting digest item is [`DIGEST_EVERY_HOURS`] old.
pub async fn queue_due(store: &Store, now: Timestamp) -> Result<MailRound, StoreError> {
    let mut round = MailRound::default();
    let sql = format!("{DUE} AND NOT n.digest ORDER BY n.created_at, n.id LIMIT {ROUND}");
    let single: Vec<Due> = with_pool!(&store.db, |p| sqlx::query_as(&sql).fetch_all(p).await)?;
    for n in single {
        let mail = render(&Template::Notification { name: &n.display_name, title: &n.title, body: &n.body })
            .map_err(|e| StoreError::Validation(format!("a notification mail could not be written: {e}")))?;
        let mut tx = store.begin_write_tx().await?;
        if mark_sent(&mut tx, &[n.id], now).await? == 1 {
            queue(&mut tx, &n.email, &mail).await?;
            round.single += 1;
        }
        tx.commit().await?;
    }

    let cutoff = Timestamp::from_unix_micros(now.unix_micros() - DIGEST_EVERY_HOURS * 3_600_000_000)
        .ok_or_else(|| StoreError::Validation("the time is out of range".into()))?;
    let sql = "SELECT user_id FROM notifications WHERE channel = 'email' AND digest AND sent_at IS NULL \
               AND deleted_at IS NULL GROUP BY user_id HAVING min(created_at) <= $1";
    let people: Vec<Uuid> = with_pool!(&store.db, |p| sqlx::query_scalar(sql).bind(cutoff).fetch_all(p).await)?;
    for person in people {
        let sql = format!("{DUE} AND n.digest AND n.user_id = $1 AND n.created_at <= $2 ORDER BY n.created_at, n.id");
        let items: Vec<Due> =
            with_pool!(&store.db, |p| sqlx::query_as(&sql).bind(person).bind(now).fetch_all(p).await)?;
        let Some(first) = items.first() else { continue };
        let lines: Vec<(String, String)> = items.iter().map(|n| (n.title.clone(), n.body.clone())).collect();
        let mail = render(&Template::NotificationDigest { name: &first.display_name, items: &lines })
            .map_err(|e| StoreError::Validation(format!("a digest mail could not be written: {e}")))?;
        let ids: Vec<Uuid> = items.iter().map(|n| n.id).collect();
        let mut tx = store.begin_write_tx().await?;
        let marked = mark_sent(&mut tx, &ids, now).await?;
        // Another worker took some of them meanwhile: leave the rest to the next round.
        if marked == ids.len() as u64 {
            queue(&mut tx, &first.email, &mail).await?;
            tx.commit().await?;
            round.digests += 1;
            round.in_digests += ids.len();
        }
    }
    Ok(round)
}

async fn mark_sent(tx: &mut WriteTx<'_>, ids: &[Uuid], now: Timestamp) -> Result<u64, StoreError> {
    let mut marked = 0;
    for id in ids {
        let sql = "UPDATE notifications SET sent_at = $2 WHERE id = $1 AND sent_at IS NULL";
        marked +=
            with_tx!(tx, |c| sqlx::query(sql).bind(id).bind(now).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    }
    Ok(marked)
}

async fn queue(tx: &mut WriteTx<'_>, to: &str, mail: &crate::mail::templates::Rendered) -> Result<(), StoreError> {
    let (_, params) = queue_params(to, mail);
    with_tx!(tx, |c| bind(sqlx::query(QUEUE_SQL), &params).execute(&mut *c).await.map(|_| ()))
        .map_err(|e| StoreError::from_write("mail", e))
}
