//! `cargo xtask bench jobs [--jobs N] [--batch N]`: jobs per second through
//! the job queue (claim under a lease, finish) with one and with two workers,
//! beside the same work as a bare `SELECT … FOR UPDATE SKIP LOCKED` loop
//! (claim by deleting, nothing else), in the same run, on PostgreSQL.
//!
//! The database is kept between runs: PostgreSQL `md_bench_jobs`.

use marketdesk_core::jobs::queue::{NewJob, claim, enqueue, finish};
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};
use sqlx::PgPool;
use std::time::{Duration, Instant};

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

async fn fill(pool: &PgPool, n: u64) {
    sqlx::query("DELETE FROM jobs WHERE kind = 'bench.job'").execute(pool).await.unwrap();
    for i in 0..n {
        enqueue(pool, &NewJob::now("bench.job", serde_json::json!({ "n": i }))).await.unwrap();
    }
}

async fn queue_worker(pool: PgPool, name: String, batch: i64) -> u64 {
    let mut done = 0;
    loop {
        let jobs = claim(&pool, &name, &["bench.job"], batch, Duration::from_secs(60)).await.unwrap();
        if jobs.is_empty() {
            return done;
        }
        for j in jobs {
            assert!(finish(&pool, j.id, &name).await.unwrap());
            done += 1;
        }
    }
}

async fn bare_worker(pool: PgPool, batch: i64) -> u64 {
    let mut done = 0;
    loop {
        let taken = sqlx::query(
            "DELETE FROM bench_bare WHERE id IN (SELECT id FROM bench_bare ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)",
        )
        .bind(batch)
        .execute(&pool)
        .await
        .unwrap()
        .rows_affected();
        if taken == 0 {
            return done;
        }
        done += taken;
    }
}

async fn timed_queue(pool: &PgPool, n: u64, workers: usize, batch: i64) -> f64 {
    fill(pool, n).await;
    let t = Instant::now();
    let handles: Vec<_> =
        (0..workers).map(|w| tokio::spawn(queue_worker(pool.clone(), format!("bench-{w}"), batch))).collect();
    let mut done = 0;
    for h in handles {
        done += h.await.unwrap();
    }
    assert_eq!(done, n, "every job once");
    done as f64 / t.elapsed().as_secs_f64()
}

async fn timed_bare(pool: &PgPool, n: u64, workers: usize, batch: i64) -> f64 {
    sqlx::query("CREATE TABLE IF NOT EXISTS bench_bare (id bigint PRIMARY KEY)").execute(pool).await.unwrap();
    sqlx::query("TRUNCATE bench_bare").execute(pool).await.unwrap();
    sqlx::query("INSERT INTO bench_bare SELECT g FROM generate_series(1, $1::bigint) g")
        .bind(i64::try_from(n).unwrap())
        .execute(pool)
        .await
        .unwrap();
    let t = Instant::now();
    let handles: Vec<_> = (0..workers).map(|_| tokio::spawn(bare_worker(pool.clone(), batch))).collect();
    let mut done = 0;
    for h in handles {
        done += h.await.unwrap();
    }
    assert_eq!(done, n);
    done as f64 / t.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let n = arg("--jobs", 5_000);
    let batch = arg("--batch", 10) as i64;
    let url = marketdesk_test_support::databases::kept_database("md_bench_jobs").await;
    let store = Store::open(&DatabaseUrl::parse(url.as_str()).unwrap(), &OpenOptions::default()).await.unwrap();
    store.migrate(|_| {}).await.unwrap();
    let pool = store.pg_pool().unwrap().clone();
    for workers in [1, 2] {
        let (mut ours, mut bare) = (Vec::new(), Vec::new());
        for _ in 0..3 {
            ours.push(timed_queue(&pool, n, workers, batch).await);
            bare.push(timed_bare(&pool, n, workers, batch).await);
        }
        ours.sort_by(f64::total_cmp);
        bare.sort_by(f64::total_cmp);
        let (o, b) = (ours[1], bare[1]);
        println!(
            "{workers} worker(s), {n} jobs, batches of {batch}: queue {o:.0} jobs/s; bare SKIP LOCKED loop {b:.0}/s; ratio {:.2}",
            b / o
        );
    }
    sqlx::query("DELETE FROM jobs WHERE kind = 'bench.job'").execute(&pool).await.unwrap();
    store.close().await;
}
