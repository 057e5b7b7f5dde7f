//! Workers' runners on PostgreSQL: two runners ticking through the same time
//! slots at once do each scheduled round exactly once; a failing round is
//! failed with its error and counted on the worker's heartbeat; a round that
//! outlives its lease is stopped and failed; the heartbeats say who is
//! alive, and a clean stop says so.

use marketdesk_core::domain::Timestamp;
use marketdesk_core::jobs::queue::Job;
use marketdesk_core::jobs::runner::{Handler, Runner, Schedule};
use marketdesk_core::jobs::workers::recent_workers;
use marketdesk_test_support::databases::pg;
use sqlx::PgPool;
use std::time::Duration;

const SLOTS: i64 = 12;

/// Records each job it does; a second record of one job is a failure.
struct Effects(PgPool);

impl Handler for Effects {
    async fn handle(&self, job: &Job) -> Result<String, String> {
        match job.kind.as_str() {
            "drill.round" => {
                sqlx::query("INSERT INTO drill_effects (job) VALUES ($1)")
                    .bind(job.id)
                    .execute(&self.0)
                    .await
                    .map_err(|e| format!("done twice: {e}"))?;
                Ok("recorded".into())
            }
            "drill.broken" => Err("the carrier answered 503".into()),
            "drill.slow" => {
                tokio::time::sleep(Duration::from_secs(30)).await;
                Ok("too late".into())
            }
            other => Err(format!("unknown kind {other}")),
        }
    }
}

async fn tick_through(runner: &Runner, handler: &Effects, start: i64) -> usize {
    let mut done = 0;
    for n in 0..SLOTS {
        let at = Timestamp::from(chrono::DateTime::from_timestamp(start + n * 60, 0).unwrap());
        let tick = runner.tick(handler, at).await.unwrap();
        for o in &tick.outcomes {
            assert_eq!(o.result.as_deref(), Ok("recorded"), "{o:?}");
        }
        done += tick.outcomes.len();
    }
    done
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_runners_do_each_scheduled_round_once() {
    let db = pg().await;
    let pool = db.store.pg_pool().unwrap().clone();
    sqlx::query("CREATE TABLE drill_effects (job uuid PRIMARY KEY)").execute(&pool).await.unwrap();
    let every = vec![Schedule { kind: "drill.round".into(), every: Duration::from_secs(60) }];
    let a = Runner::start(pool.clone(), "host-a-1", every.clone(), &[], Duration::from_secs(60)).await.unwrap();
    let b = Runner::start(pool.clone(), "host-b-1", every, &[], Duration::from_secs(60)).await.unwrap();
    let handler = Effects(pool.clone());
    let start = 1_900_000_020; // a slot's start, far from now
    let (mut da, db_) = tokio::join!(tick_through(&a, &handler, start), tick_through(&b, &handler, start));
    // A job enqueued by one runner's last tick after the other's is done on the next.
    let last = Timestamp::from(chrono::DateTime::from_timestamp(start + (SLOTS - 1) * 60, 0).unwrap());
    da += a.tick(&handler, last).await.unwrap().outcomes.len();
    assert_eq!(da + db_, SLOTS as usize, "host-a did {da}, host-b {db_}");
    let effects: i64 = sqlx::query_scalar("SELECT count(*) FROM drill_effects").fetch_one(&pool).await.unwrap();
    let jobs: i64 = sqlx::query_scalar("SELECT count(*) FROM jobs WHERE kind = 'drill.round' AND status = 'done'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!((effects, jobs), (SLOTS, SLOTS), "one job and one effect per slot");

    let workers = recent_workers(&pool).await.unwrap();
    assert_eq!(workers.len(), 2);
    assert!(workers.iter().all(|w| w.alive && w.stopped_at.is_none()), "{workers:?}");
    assert_eq!(workers.iter().map(|w| w.jobs_done).sum::<i64>(), SLOTS);
    assert_eq!(workers[0].rounds, vec!["drill.round every 60 s".to_owned()]);

    a.stop().await.unwrap();
    let workers = recent_workers(&pool).await.unwrap();
    let stopped = workers.iter().find(|w| w.name == "host-a-1").unwrap();
    assert!(!stopped.alive && stopped.stopped_at.is_some(), "{stopped:?}");
    assert!(workers[0].alive && workers[0].name == "host-b-1", "alive first: {workers:?}");
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_and_overlong_rounds_are_failed_with_their_reason() {
    let db = pg().await;
    let pool = db.store.pg_pool().unwrap().clone();
    let schedules = vec![
        Schedule { kind: "drill.broken".into(), every: Duration::from_secs(3600) },
        Schedule { kind: "drill.slow".into(), every: Duration::from_secs(3600) },
    ];
    let runner = Runner::start(pool.clone(), "host-c-1", schedules, &[], Duration::from_secs(1)).await.unwrap();
    let tick = runner.tick(&Effects(pool.clone()), Timestamp::now()).await.unwrap();
    assert_eq!(tick.enqueued, 2);
    let mut outcomes: Vec<(String, Result<String, String>, bool)> =
        tick.outcomes.iter().map(|o| (o.kind.clone(), o.result.clone(), o.dead)).collect();
    outcomes.sort();
    assert_eq!(
        outcomes,
        vec![
            ("drill.broken".into(), Err("the carrier answered 503".into()), false),
            ("drill.slow".into(), Err("stopped after 1 s: longer than its lease".into()), false),
        ]
    );
    let kept: Vec<(String, String, i32)> =
        sqlx::query_as("SELECT kind, last_error, attempts FROM jobs WHERE status = 'queued' ORDER BY kind")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(kept.len(), 2, "both wait for their back-off: {kept:?}");
    assert!(kept.iter().all(|(_, e, n)| !e.is_empty() && *n == 1), "{kept:?}");
    let again = runner.tick(&Effects(pool.clone()), Timestamp::now()).await.unwrap();
    assert_eq!((again.enqueued, again.outcomes.len()), (0, 0), "same slot, nothing due yet: {again:?}");
    let w = &recent_workers(&pool).await.unwrap()[0];
    assert_eq!((w.jobs_done, w.jobs_failed), (0, 2));
    assert!(Runner::start(pool.clone(), "idle", vec![], &[], Duration::from_secs(1)).await.is_err(), "no work");
    db.finish().await;
}
