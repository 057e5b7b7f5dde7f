//! The job queue on PostgreSQL: two workers claiming from one queue at once
//! do every job exactly once; a failing job waits longer each try and is
//! kept dead with its error, then retried; a worker that stops holding a
//! job loses it to another once its lease runs out; a scheduled round made
//! by many hosts in one slot is one job.

use marketdesk_core::domain::Timestamp;
use marketdesk_core::jobs::queue::{NewJob, claim, depth, enqueue, fail, finish, release_expired, retry_dead};
use marketdesk_core::jobs::schedule::enqueue_round;
use marketdesk_test_support::databases::pg;
use sqlx::PgPool;
use std::time::Duration;
use uuid::Uuid;

const JOBS: usize = 400;

async fn work(pool: PgPool, worker: &'static str) -> usize {
    let mut done = 0;
    loop {
        let batch = claim(&pool, worker, &["drill.effect"], 7, Duration::from_secs(60)).await.unwrap();
        if batch.is_empty() {
            return done;
        }
        for job in batch {
            let mut tx = pool.begin().await.unwrap();
            sqlx::query("INSERT INTO drill_effects (job, worker) VALUES ($1, $2)")
                .bind(job.id)
                .bind(worker)
                .execute(&mut *tx)
                .await
                .unwrap_or_else(|e| panic!("job {} done twice: {e}", job.id));
            tx.commit().await.unwrap();
            assert!(finish(&pool, job.id, worker).await.unwrap(), "{worker} held {}", job.id);
            done += 1;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_do_every_job_exactly_once() {
    let db = pg().await;
    let pool = db.store.pg_pool().unwrap().clone();
    sqlx::query("CREATE TABLE drill_effects (job uuid PRIMARY KEY, worker text NOT NULL)")
        .execute(&pool)
        .await
        .unwrap();
    for n in 0..JOBS {
        enqueue(&pool, &NewJob::now("drill.effect", serde_json::json!({ "n": n }))).await.unwrap().unwrap();
    }
    let (a, b) = tokio::join!(tokio::spawn(work(pool.clone(), "host-a")), tokio::spawn(work(pool.clone(), "host-b")));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a + b, JOBS, "host-a did {a}, host-b {b}");
    assert!(a > 0 && b > 0, "both workers took part: {a} and {b}");
    let effects: i64 =
        sqlx::query_scalar("SELECT count(DISTINCT job) FROM drill_effects").fetch_one(&pool).await.unwrap();
    assert_eq!(effects, JOBS as i64);
    let q = depth(&pool).await.unwrap();
    assert_eq!((q.queued, q.running, q.dead), (0, 0, 0));
    let retried: i64 =
        sqlx::query_scalar("SELECT count(*) FROM jobs WHERE attempts <> 1").fetch_one(&pool).await.unwrap();
    assert_eq!(retried, 0, "no job was claimed twice");
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_back_off_die_and_come_back_and_stopped_workers_lose_their_leases() {
    let db = pg().await;
    let pool = db.store.pg_pool().unwrap().clone();
    let mut flaky = NewJob::now("drill.flaky", serde_json::json!({}));
    flaky.max_attempts = 2;
    let id = enqueue(&pool, &flaky).await.unwrap().unwrap();

    let first = claim(&pool, "host-a", &[], 10, Duration::from_secs(60)).await.unwrap();
    assert_eq!(first.len(), 1);
    assert!(claim(&pool, "host-b", &[], 10, Duration::from_secs(60)).await.unwrap().is_empty(), "leased to host-a");
    assert!(!finish(&pool, id, "host-b").await.unwrap(), "only the holder finishes it");
    assert!(!fail(&pool, &first[0], "host-a", "carrier answered 503").await.unwrap(), "one try left");
    let (status, wait): (String, f64) =
        sqlx::query_as("SELECT status, CAST(extract(epoch FROM run_at - now()) AS float8) FROM jobs WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(status == "queued" && (8.0..=10.5).contains(&wait), "{status}, due in {wait} s");
    assert!(claim(&pool, "host-b", &[], 10, Duration::from_secs(60)).await.unwrap().is_empty(), "not due yet");

    sqlx::query("UPDATE jobs SET run_at = now() WHERE id = $1").bind(id).execute(&pool).await.unwrap();
    let second = claim(&pool, "host-b", &[], 10, Duration::from_secs(60)).await.unwrap();
    assert!(fail(&pool, &second[0], "host-b", "carrier answered 503 again").await.unwrap(), "out of tries");
    let q = depth(&pool).await.unwrap();
    assert_eq!(q.dead, 1);
    let error: Option<String> =
        sqlx::query_scalar("SELECT last_error FROM jobs WHERE id = $1").bind(id).fetch_one(&pool).await.unwrap();
    assert_eq!(error.as_deref(), Some("carrier answered 503 again"), "kept with its error");
    retry_dead(&pool, id).await.unwrap();
    assert!(retry_dead(&pool, id).await.is_err(), "only a dead job is retried");
    let again = claim(&pool, "host-a", &[], 10, Duration::from_secs(60)).await.unwrap();
    assert_eq!(again[0].attempts, 1, "tries counted afresh");

    // host-a stops holding it: once the lease runs out, host-b takes it.
    assert_eq!(release_expired(&pool).await.unwrap(), 0, "the lease still runs");
    sqlx::query("UPDATE jobs SET locked_until = now() - interval '1 second' WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(release_expired(&pool).await.unwrap(), 1);
    let taken = claim(&pool, "host-b", &[], 10, Duration::from_secs(60)).await.unwrap();
    assert_eq!(taken.len(), 1);
    assert!(!finish(&pool, id, "host-a").await.unwrap(), "the stopped worker's late finish does not count");
    assert!(finish(&pool, id, "host-b").await.unwrap());

    // Three hosts enqueue the same round in one slot: one job.
    let now = Timestamp::now();
    let made: Vec<Option<Uuid>> = futures_rounds(&pool, now).await;
    assert_eq!(made.iter().filter(|m| m.is_some()).count(), 1, "{made:?}");
    db.finish().await;
}

async fn futures_rounds(pool: &PgPool, now: Timestamp) -> Vec<Option<Uuid>> {
    let (a, b, c) = tokio::join!(
        enqueue_round(pool, "mail.round", 60, now),
        enqueue_round(pool, "mail.round", 60, now),
        enqueue_round(pool, "mail.round", 60, now)
    );
    vec![a.unwrap(), b.unwrap(), c.unwrap()]
}
