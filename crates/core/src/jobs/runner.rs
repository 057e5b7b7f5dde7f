//! A worker's loop over the queue: on every tick it enqueues the rounds due
//! in this time slot (one job per slot however many hosts tick), takes back
//! leases from workers that stopped, claims due jobs of the kinds it can do
//! one at a time, hands each to its [`Handler`] under the lease's time limit,
//! finishes or fails it, and keeps its heartbeat row fresh — so any number of
//! runners on any number of hosts do each job once.

use super::queue::{Job, claim, fail, finish, purge_done, release_expired};
use super::schedule::{enqueue_round, slot_key};
use crate::domain::{Timestamp, new_id};
use crate::store::StoreError;
use sqlx::PgPool;
use std::future::Future;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;
use uuid::Uuid;

/// Jobs handled per tick at most, so the heartbeat stays fresh under load.
const JOBS_PER_TICK: usize = 50;
/// How long finished jobs are kept for the Jobs screen.
const KEEP_DONE: Duration = Duration::from_secs(7 * 24 * 3600);
/// Seconds between purges of old finished jobs.
const PURGE_EVERY: i64 = 300;

/// What a runner hands its jobs to.
pub trait Handler: Sync {
    /// Does `job`: a line saying what it did, or why it failed (the job is
    /// tried again after its back-off, and kept dead once out of attempts).
    fn handle(&self, job: &Job) -> impl Future<Output = Result<String, String>> + Send;
}

/// A round enqueued every `every`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// The job's kind.
    pub kind: String,
    /// How often.
    pub every: Duration,
}

/// What became of one job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobOutcome {
    /// The job.
    pub id: Uuid,
    /// Its kind.
    pub kind: String,
    /// This try's number.
    pub attempt: i32,
    /// What it did, or why it failed.
    pub result: Result<String, String>,
    /// Failed for the last time: kept dead until an admin retries it.
    pub dead: bool,
}

/// What one tick did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tick {
    /// Rounds this runner enqueued (others may have enqueued the slot first).
    pub enqueued: u32,
    /// Jobs taken back from workers whose lease ran out.
    pub released: u64,
    /// Old finished jobs deleted.
    pub purged: u64,
    /// The jobs handled.
    pub outcomes: Vec<JobOutcome>,
}

/// One worker process's runner, registered in `worker_heartbeats`.
#[derive(Debug)]
pub struct Runner {
    pool: PgPool,
    id: Uuid,
    name: String,
    schedules: Vec<Schedule>,
    kinds: Vec<String>,
    lease: Duration,
    last_purge: AtomicI64,
    /// The slot each schedule was last enqueued for by this runner.
    slots: Mutex<Vec<String>>,
}

impl Runner {
    /// Registers a worker named `name` (unique per process: host and pid)
    /// that enqueues `schedules` and does their jobs and those of `also`
    /// (kinds enqueued elsewhere). A job may take up to `lease`; past it, it
    /// is stopped and failed, and another worker may take it.
    pub async fn start(
        pool: PgPool,
        name: &str,
        schedules: Vec<Schedule>,
        also: &[&str],
        lease: Duration,
    ) -> Result<Runner, StoreError> {
        let mut kinds: Vec<String> = schedules.iter().map(|s| s.kind.clone()).collect();
        kinds.extend(also.iter().map(|k| (*k).to_owned()));
        kinds.sort();
        kinds.dedup();
        if kinds.is_empty() {
            return Err(StoreError::Validation("a worker needs at least one kind of job to do".into()));
        }
        let rounds: Vec<serde_json::Value> = schedules
            .iter()
            .map(|s| serde_json::json!({ "kind": s.kind, "every_seconds": s.every.as_secs() }))
            .collect();
        let id = new_id();
        sqlx::query("INSERT INTO worker_heartbeats (id, name, host, rounds) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(name)
            .bind(crate::host::name())
            .bind(serde_json::Value::Array(rounds))
            .execute(&pool)
            .await
            .map_err(|e| StoreError::from_write("worker heartbeat", e))?;
        let slots = Mutex::new(vec![String::new(); schedules.len()]);
        Ok(Runner { pool, id, name: name.to_owned(), schedules, kinds, lease, last_purge: AtomicI64::new(0), slots })
    }

    /// The name this runner claims jobs under.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The kinds of job this runner does.
    pub fn kinds(&self) -> &[String] {
        &self.kinds
    }

    /// One tick at `now`: the rounds of this slot enqueued, expired leases
    /// taken back, due jobs done, the heartbeat written.
    pub async fn tick<H: Handler>(&self, handler: &H, now: Timestamp) -> Result<Tick, StoreError> {
        let mut tick = Tick::default();
        for (n, s) in self.schedules.iter().enumerate() {
            let every = i64::try_from(s.every.as_secs()).unwrap_or(i64::MAX).max(1);
            let slot = slot_key(&s.kind, every, now);
            if self.slots.lock().map(|seen| seen[n] == slot).unwrap_or(false) {
                continue;
            }
            if enqueue_round(&self.pool, &s.kind, every, now).await?.is_some() {
                tick.enqueued += 1;
            }
            if let Ok(mut seen) = self.slots.lock() {
                seen[n] = slot;
            }
        }
        tick.released = release_expired(&self.pool).await?;
        let epoch = now.as_datetime().timestamp();
        if epoch - self.last_purge.load(Ordering::Relaxed) >= PURGE_EVERY {
            tick.purged = purge_done(&self.pool, KEEP_DONE).await?;
            self.last_purge.store(epoch, Ordering::Relaxed);
        }
        let kinds: Vec<&str> = self.kinds.iter().map(String::as_str).collect();
        while tick.outcomes.len() < JOBS_PER_TICK {
            let Some(job) = claim(&self.pool, &self.name, &kinds, 1, self.lease).await?.pop() else { break };
            let result = match tokio::time::timeout(self.lease, handler.handle(&job)).await {
                Ok(r) => r,
                Err(_) => Err(format!("stopped after {} s: longer than its lease", self.lease.as_secs())),
            };
            let dead = match &result {
                Ok(_) => {
                    finish(&self.pool, job.id, &self.name).await?;
                    false
                }
                Err(why) => fail(&self.pool, &job, &self.name, why).await?,
            };
            tick.outcomes.push(JobOutcome { id: job.id, kind: job.kind, attempt: job.attempts, result, dead });
        }
        let failed = tick.outcomes.iter().filter(|o| o.result.is_err()).count();
        let done = tick.outcomes.len() - failed;
        sqlx::query(
            "UPDATE worker_heartbeats SET seen_at = now(), jobs_done = jobs_done + $2, jobs_failed = jobs_failed + $3, \
             version = version + 1, updated_at = now() WHERE id = $1",
        )
        .bind(self.id)
        .bind(i64::try_from(done).unwrap_or(0))
        .bind(i64::try_from(failed).unwrap_or(0))
        .execute(&self.pool)
        .await?;
        Ok(tick)
    }

    /// Ticks every `every` until `stop` completes, telling `report` what each
    /// tick did (a tick that failed — the database away — is told and tried
    /// again next time); then marks the worker stopped.
    pub async fn run_until<H, R, S>(&self, handler: &H, every: Duration, mut report: R, stop: S)
    where
        H: Handler,
        R: FnMut(Result<&Tick, &StoreError>),
        S: Future<Output = ()>,
    {
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tokio::pin!(stop);
        loop {
            tokio::select! {
                () = &mut stop => break,
                _ = interval.tick() => {
                    match self.tick(handler, Timestamp::now()).await {
                        Ok(t) => report(Ok(&t)),
                        Err(e) => report(Err(&e)),
                    }
                }
            }
        }
        if let Err(e) = self.stop().await {
            report(Err(&e));
        }
    }

    /// Marks this worker stopped (a clean exit; one that dies only stops
    /// beating).
    pub async fn stop(&self) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE worker_heartbeats SET stopped_at = now(), seen_at = now(), version = version + 1, \
             updated_at = now() WHERE id = $1",
        )
        .bind(self.id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
