//! The email outbox: queueing mails with the action that causes them, and
//! delivering what is due — each row claimed by one deliverer at a time
//! (`FOR UPDATE SKIP LOCKED` on PostgreSQL, one writer at a time on SQLite),
//! retried with exponential back-off, given up after [`MAX_ATTEMPTS`].

use super::templates::Rendered;
use crate::domain::{Timestamp, new_id};
use crate::integrations::resend::{MailError, Mailer, OutgoingMail};
use crate::store::sql::{Param, bind};
use crate::store::{Db, Store, StoreError, with_pool};
use serde::Serialize;
use uuid::Uuid;

/// Attempts before a mail is marked failed.
pub const MAX_ATTEMPTS: i32 = 8;

/// A row of the outbox as an admin reads it.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OutboxMail {
    /// Row id (also the provider idempotency key).
    pub id: Uuid,
    /// Recipient.
    pub to_address: String,
    /// Which template made it.
    pub template: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body_text: String,
    /// queued, sending, sent or failed.
    pub status: String,
    /// Delivery attempts so far.
    pub attempts: i32,
    /// The provider's message id once sent.
    pub provider_message_id: Option<String>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When it was queued.
    pub created_at: Timestamp,
}

/// What one delivery run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DeliveryReport {
    /// Mails the provider accepted.
    pub sent: usize,
    /// Mails to try again later.
    pub retrying: usize,
    /// Mails given up on.
    pub failed: usize,
}

/// The SQL that queues a mail; run it inside the transaction of the action
/// that causes the mail. Binds: id, to, template, subject, html, text, now.
pub(crate) const QUEUE_SQL: &str = "INSERT INTO email_outbox (id, to_address, template, subject, body_html, body_text, status, attempts, \
     next_attempt_at, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'queued', 0, $7, 1, $7, $7)";

/// The id and bound values of [`QUEUE_SQL`] for `mail` to `to`.
pub(crate) fn queue_params(to: &str, mail: &Rendered) -> (Uuid, Vec<Param>) {
    let id = new_id();
    let params = vec![
        Param::Uuid(id),
        Param::Text(to.trim().to_lowercase()),
        Param::Text(mail.template.to_owned()),
        Param::Text(mail.subject.clone()),
        Param::Text(mail.html.clone()),
        Param::Text(mail.text.clone()),
        Param::Time(Timestamp::now()),
    ];
    (id, params)
}

/// Queues `mail` to `to` on its own (outside any other transaction).
pub async fn queue(store: &Store, to: &str, mail: &Rendered) -> Result<Uuid, StoreError> {
    let (id, params) = queue_params(to, mail);
    with_pool!(&store.db, |p| bind(sqlx::query(QUEUE_SQL), &params).execute(p).await.map(|_| ()))
        .map_err(|e| StoreError::from_write("mail", e))?;
    Ok(id)
}

/// The outbox, newest first.
pub async fn list(store: &Store, limit: u32) -> Result<Vec<OutboxMail>, StoreError> {
    let limit = i64::from(limit.clamp(1, 500));
    let rows = with_pool!(&store.db, |p| {
        sqlx::query_as(
            "SELECT id, to_address, template, subject, body_text, status, attempts, provider_message_id, last_error, created_at \
             FROM email_outbox WHERE deleted_at IS NULL ORDER BY created_at DESC, id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(p)
        .await
    })?;
    Ok(rows)
}

/// A mail left `sending` this long was abandoned by a deliverer that
/// stopped mid-way (killed, machine down): it is queued again, and its
/// idempotency key keeps Resend from sending it twice.
pub const ABANDONED_AFTER_MICROS: i64 = 10 * 60 * 1_000_000;

/// Wait before attempt `attempts + 1`: 1, 2, 4 … minutes, at most 6 hours.
pub fn retry_delay_micros(attempts: i32) -> i64 {
    let minutes = 1_i64 << attempts.clamp(0, 9);
    minutes.min(360) * 60_000_000
}

#[derive(sqlx::FromRow)]
struct Claimed {
    id: Uuid,
    to_address: String,
    subject: String,
    body_html: String,
    body_text: String,
    attempts: i32,
}

/// Sends up to `limit` due mails through `mailer` as `from`; first queues
/// again the mails a stopped deliverer left half-sent.
pub async fn deliver_due<M: Mailer>(
    store: &Store,
    mailer: &M,
    from: &str,
    limit: u32,
) -> Result<DeliveryReport, StoreError> {
    let now = Timestamp::now();
    let limit = i64::from(limit.clamp(1, 500));
    let abandoned = Timestamp::from_unix_micros(now.unix_micros() - ABANDONED_AFTER_MICROS).unwrap_or(now);
    with_pool!(&store.db, |p| sqlx::query(
        "UPDATE email_outbox SET status = 'queued', next_attempt_at = $1, version = version + 1, updated_at = $1 \
         WHERE status = 'sending' AND updated_at < $2 AND deleted_at IS NULL"
    )
    .bind(now)
    .bind(abandoned)
    .execute(p)
    .await
    .map(|_| ()))?;
    let claim = |lock: &str| {
        format!(
            "UPDATE email_outbox SET status = 'sending', attempts = attempts + 1, updated_at = $1 \
             WHERE id IN (SELECT id FROM email_outbox WHERE status = 'queued' AND next_attempt_at <= $1 AND deleted_at IS NULL \
             ORDER BY next_attempt_at, id LIMIT $2{lock}) \
             RETURNING id, to_address, subject, body_html, body_text, attempts"
        )
    };
    // Dialects differ here only: PostgreSQL lets concurrent deliverers skip each other's rows.
    let claimed: Vec<Claimed> = match &store.db {
        Db::Postgres(p) => sqlx::query_as(&claim(" FOR UPDATE SKIP LOCKED")).bind(now).bind(limit).fetch_all(p).await?,
        Db::Sqlite(p) => sqlx::query_as(&claim("")).bind(now).bind(limit).fetch_all(p).await?,
    };
    let mut report = DeliveryReport::default();
    for mail in claimed {
        let outgoing = OutgoingMail {
            from: from.to_owned(),
            to: vec![mail.to_address.clone()],
            subject: mail.subject.clone(),
            html: mail.body_html.clone(),
            text: mail.body_text.clone(),
            idempotency_key: mail.id.to_string(),
        };
        let done = Timestamp::now();
        let outcome = mailer.send(&outgoing).await;
        let (sql, status, text) = match outcome {
            Ok(message_id) => {
                report.sent += 1;
                (
                    "UPDATE email_outbox SET status = $1, provider_message_id = $2, sent_at = $3, last_error = NULL, version = version + 1, updated_at = $3 WHERE id = $4",
                    "sent",
                    message_id,
                )
            }
            Err(MailError::Retry(reason)) if mail.attempts < MAX_ATTEMPTS => {
                report.retrying += 1;
                (
                    "UPDATE email_outbox SET status = $1, last_error = $2, next_attempt_at = $3, version = version + 1, updated_at = $3 WHERE id = $4",
                    "queued",
                    reason,
                )
            }
            Err(e) => {
                report.failed += 1;
                (
                    "UPDATE email_outbox SET status = $1, last_error = $2, version = version + 1, updated_at = $3 WHERE id = $4",
                    "failed",
                    e.to_string(),
                )
            }
        };
        let when = if status == "queued" {
            Timestamp::from_unix_micros(done.unix_micros() + retry_delay_micros(mail.attempts)).unwrap_or(done)
        } else {
            done
        };
        with_pool!(&store.db, |p| sqlx::query(sql)
            .bind(status)
            .bind(&text)
            .bind(when)
            .bind(mail.id)
            .execute(p)
            .await
            .map(|_| ()))?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    #[test]
    fn retries_back_off_to_six_hours() {
        let minutes: Vec<i64> = (0..12).map(|a| super::retry_delay_micros(a) / 60_000_000).collect();
        assert_eq!(minutes, [1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360, 360]);
    }
}
