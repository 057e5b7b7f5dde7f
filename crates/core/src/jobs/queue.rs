//! The job queue itself. Every operation is one statement or one short
//! transaction against the central database; a claimed job is leased to
//! one worker, and only that worker's finish or failure counts.

use crate::domain::{Timestamp, new_id};
use crate::store::StoreError;
use serde::Serialize;
use sqlx::PgPool;
use std::time::Duration;
use uuid::Uuid;

/// Longest error kept on a job.
const MAX_ERROR: usize = 2000;

/// A job to add.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// What to do (`mail.round`, `stripe.poll` …): lower case, dots and underscores.
    pub kind: String,
    /// Its arguments.
    pub payload: serde_json::Value,
    /// Not before.
    pub run_at: Timestamp,
    /// Tries before it is dead.
    pub max_attempts: i32,
    /// Makes the job once, however often it is enqueued.
    pub dedupe_key: Option<String>,
}

impl NewJob {
    /// A job of `kind` due now, five tries.
    pub fn now(kind: &str, payload: serde_json::Value) -> NewJob {
        NewJob { kind: kind.to_owned(), payload, run_at: Timestamp::now(), max_attempts: 5, dedupe_key: None }
    }
}

/// A job claimed by a worker.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Job {
    /// The job.
    pub id: Uuid,
    /// What to do.
    pub kind: String,
    /// Its arguments.
    pub payload: serde_json::Value,
    /// Tries so far, this one included.
    pub attempts: i32,
    /// Tries before it is dead.
    pub max_attempts: i32,
}

/// How many jobs stand in each state, and how late the oldest due one is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct QueueDepth {
    /// Waiting (due or not yet).
    pub queued: i64,
    /// Due now and waiting.
    pub due: i64,
    /// Claimed by a worker.
    pub running: i64,
    /// Out of attempts, kept with their error.
    pub dead: i64,
    /// Seconds the oldest due job has waited.
    pub oldest_due_seconds: i64,
}

/// Adds `job`; returns its id, or `None` when its dedupe key was taken already.
pub async fn enqueue(pool: &PgPool, job: &NewJob) -> Result<Option<Uuid>, StoreError> {
    let id = new_id();
    let made: Option<Uuid> = sqlx::query_scalar(
        "INSERT INTO jobs (id, kind, payload, run_at, max_attempts, dedupe_key) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
    )
    .bind(id)
    .bind(&job.kind)
    .bind(&job.payload)
    .bind(job.run_at)
    .bind(job.max_attempts)
    .bind(&job.dedupe_key)
    .fetch_optional(pool)
    .await
    .map_err(|e| StoreError::from_write("job", e))?;
    Ok(made)
}

/// Claims up to `limit` due jobs of `kinds` (all kinds when empty) for
/// `worker`, leased for `lease`: no other worker gets them meanwhile.
pub async fn claim(
    pool: &PgPool,
    worker: &str,
    kinds: &[&str],
    limit: i64,
    lease: Duration,
) -> Result<Vec<Job>, StoreError> {
    let kinds: Vec<String> = kinds.iter().map(|k| (*k).to_owned()).collect();
    let lease_ms = i64::try_from(lease.as_millis()).unwrap_or(i64::MAX);
    Ok(sqlx::query_as(
        "UPDATE jobs SET status = 'running', locked_by = $1, locked_until = now() + $2 * interval '1 millisecond', \
         attempts = attempts + 1, version = version + 1, updated_at = now() \
         WHERE id IN (SELECT id FROM jobs WHERE status = 'queued' AND run_at <= now() \
                      AND (cardinality($3::text[]) = 0 OR kind = ANY($3)) \
                      ORDER BY run_at, id LIMIT $4 FOR UPDATE SKIP LOCKED) \
         RETURNING id, kind, payload, attempts, max_attempts",
    )
    .bind(worker)
    .bind(lease_ms)
    .bind(&kinds)
    .bind(limit.clamp(1, 1000))
    .fetch_all(pool)
    .await?)
}

/// Marks `job` done, if `worker` still holds it; returns whether it did.
pub async fn finish(pool: &PgPool, job: Uuid, worker: &str) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE jobs SET status = 'done', locked_by = NULL, locked_until = NULL, finished_at = now(), last_error = NULL, \
         version = version + 1, updated_at = now() WHERE id = $1 AND status = 'running' AND locked_by = $2",
    )
    .bind(job)
    .bind(worker)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How long a job waits after its `attempts`-th failure: 10 s doubling, at
/// most an hour.
pub fn backoff(attempts: i32) -> Duration {
    let exp = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    Duration::from_secs(10u64.saturating_mul(2u64.saturating_pow(exp)).min(3600))
}

/// Records `error` on `job` held by `worker`: queued again after its
/// back-off, or dead once out of attempts. Returns whether it is dead.
pub async fn fail(pool: &PgPool, job: &Job, worker: &str, error: &str) -> Result<bool, StoreError> {
    let error: String = error.chars().take(MAX_ERROR).collect();
    let dead = job.attempts >= job.max_attempts;
    let wait_ms = i64::try_from(backoff(job.attempts).as_millis()).unwrap_or(i64::MAX);
    sqlx::query(
        "UPDATE jobs SET status = CASE WHEN $3 THEN 'dead' ELSE 'queued' END, \
         run_at = CASE WHEN $3 THEN run_at ELSE now() + $4 * interval '1 millisecond' END, \
         finished_at = CASE WHEN $3 THEN now() END, locked_by = NULL, locked_until = NULL, last_error = $5, \
         version = version + 1, updated_at = now() WHERE id = $1 AND status = 'running' AND locked_by = $2",
    )
    .bind(job.id)
    .bind(worker)
    .bind(dead)
    .bind(wait_ms)
    .bind(&error)
    .execute(pool)
    .await?;
    Ok(dead)
}

/// Puts back in the queue every job whose lease ran out (its worker stopped
/// or hung); returns how many.
pub async fn release_expired(pool: &PgPool) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "UPDATE jobs SET status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END, \
         finished_at = CASE WHEN attempts >= max_attempts THEN now() END, \
         last_error = coalesce(last_error, 'the worker ' || locked_by || ' stopped holding it'), \
         locked_by = NULL, locked_until = NULL, version = version + 1, updated_at = now() \
         WHERE status = 'running' AND locked_until < now()",
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

/// Puts a dead job back in the queue with its tries counted afresh (an admin
/// from the jobs screen, or the owner).
pub async fn retry_dead(pool: &PgPool, job: Uuid) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE jobs SET status = 'queued', run_at = now(), attempts = 0, version = version + 1, updated_at = now() \
         WHERE id = $1 AND status = 'dead'",
    )
    .bind(job)
    .execute(pool)
    .await?;
    if done.rows_affected() == 1 { Ok(()) } else { Err(StoreError::Validation("only a dead job is retried".into())) }
}

/// Deletes jobs done more than `keep` ago (dead ones stay until retried or
/// looked at); returns how many. A scheduled round's dedupe key is freed with
/// its row, long after its slot passed.
pub async fn purge_done(pool: &PgPool, keep: Duration) -> Result<u64, StoreError> {
    let keep_ms = i64::try_from(keep.as_millis()).unwrap_or(i64::MAX);
    let done =
        sqlx::query("DELETE FROM jobs WHERE status = 'done' AND finished_at < now() - $1 * interval '1 millisecond'")
            .bind(keep_ms)
            .execute(pool)
            .await?;
    Ok(done.rows_affected())
}

/// The queue's depth now.
pub async fn depth(pool: &PgPool) -> Result<QueueDepth, StoreError> {
    Ok(sqlx::query_as(
        "SELECT count(*) FILTER (WHERE status = 'queued') AS queued, \
         count(*) FILTER (WHERE status = 'queued' AND run_at <= now()) AS due, \
         count(*) FILTER (WHERE status = 'running') AS running, count(*) FILTER (WHERE status = 'dead') AS dead, \
         coalesce(CAST(extract(epoch FROM now() - min(run_at) FILTER (WHERE status = 'queued' AND run_at <= now())) \
         AS BIGINT), 0) AS oldest_due_seconds FROM jobs WHERE deleted_at IS NULL",
    )
    .fetch_one(pool)
    .await?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn failures_wait_longer_each_time_up_to_an_hour() {
        let waits: Vec<u64> = (1..=10).map(|n| super::backoff(n).as_secs()).collect();
        assert_eq!(waits, vec![10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600]);
        assert_eq!(super::backoff(0).as_secs(), 10);
    }
}
