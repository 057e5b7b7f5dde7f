//! `cargo xtask bench sync [--orders N] [--clients N]`: sync against its raw
//! baselines, in the same run.
//!
//! * First copy: every synced row of a seeded marketplace into a new local
//!   copy (rows/s), beside the raw cost of the same rows — `COPY … TO STDOUT`
//!   of each table plus SQLite's own bulk insert of the finished copy into an
//!   empty file (`INSERT … SELECT`).
//! * Commit to local copy while online: an order changed on the server, until
//!   the copy shows it (listen, pull), p50/p99, beside the bare NOTIFY's trip.
//! * Push of 10,000 queued changes (mutations/s), beside the same 10,000
//!   UPDATEs sent straight to the server, one transaction each.
//! * Many clients: N copies (a small marketplace) pushing and pulling at once
//!   against one PostgreSQL: errors, p50/p99 of a round, server CPU seconds.
//!
//! The databases are kept between runs: PostgreSQL `md_bench_sync_<N>`.
//! The server is read as its owner (no row-level security on the read path).

use marketdesk_core::domain::Timestamp;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::live::listen;
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};
use marketdesk_core::sync::Mutation;
use marketdesk_core::sync::initial::copy_all;
use marketdesk_core::sync::outbox::record;
use marketdesk_core::sync::pull::pull;
use marketdesk_core::sync::push::push;
use sqlx::Connection;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};
use uuid::Uuid;

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

async fn server(orders: u64) -> (Store, String) {
    let name = format!("md_bench_sync_{orders}");
    let url = marketdesk_test_support::databases::kept_database(&name).await;
    let store = Store::open(&DatabaseUrl::parse(url.as_str()).unwrap(), &OpenOptions::default()).await.unwrap();
    store.migrate(|_| {}).await.unwrap();
    if store.count_rows("orders").await.unwrap() as u64 != orders {
        eprintln!("bench sync: seeding {orders} orders into PostgreSQL {name} (kept for next time)");
        let mut o = SeedOptions::new(orders);
        o.end = Timestamp::parse("2026-11-01T00:00:00Z").unwrap();
        o.reset = true;
        seed(&store, &o, |_| {}).await.unwrap();
    }
    (store, url.to_string())
}

async fn new_copy(dir: &Path, name: &str) -> (Store, PathBuf) {
    let path = dir.join(name);
    for side in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("{name}{side}")));
    }
    let store = Store::open(&DatabaseUrl::sqlite(&path), &OpenOptions::create()).await.unwrap();
    store.migrate(|_| {}).await.unwrap();
    (store, path)
}

async fn admin_id(store: &Store) -> Uuid {
    sqlx::query_scalar("SELECT id FROM users WHERE role = 'admin' ORDER BY created_at LIMIT 1")
        .fetch_one(store.pg_pool().unwrap())
        .await
        .unwrap()
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn cpu_seconds_of_postgres() -> f64 {
    let tick = 100.0;
    let mut total = 0.0;
    let Ok(entries) = std::fs::read_dir("/proc") else { return 0.0 };
    for e in entries.flatten() {
        let p = e.path();
        let Ok(comm) = std::fs::read_to_string(p.join("comm")) else { continue };
        if !comm.starts_with("postgres") {
            continue;
        }
        let Ok(stat) = std::fs::read_to_string(p.join("stat")) else { continue };
        let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
        let fields: Vec<&str> = after.split_whitespace().collect();
        let ut: f64 = fields.get(11).and_then(|v| v.parse().ok()).unwrap_or(0.0);
        let st: f64 = fields.get(12).and_then(|v| v.parse().ok()).unwrap_or(0.0);
        total += (ut + st) / tick;
    }
    total
}

async fn first_copy(server: &Store, dir: &Path) -> (Store, PathBuf) {
    let me = admin_id(server).await;
    let (local, path) = new_copy(dir, "copy.sqlite").await;
    let t = Instant::now();
    let report = copy_all(server, &local, me, true, &AtomicBool::new(false), |_| {}).await.unwrap();
    let ours = t.elapsed().as_secs_f64();

    // Raw: COPY out of every copied table, then SQLite's bulk insert of the same rows.
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT c.relname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
         JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname = 'md_record_change'",
    )
    .fetch_all(server.pg_pool().unwrap())
    .await
    .unwrap();
    let mut conn = server.pg_pool().unwrap().acquire().await.unwrap();
    let t = Instant::now();
    let mut bytes = 0usize;
    for table in &tables {
        use futures_util::StreamExt;
        let mut out = conn.copy_out_raw(&format!("COPY {table} TO STDOUT")).await.unwrap();
        while let Some(chunk) = out.next().await {
            bytes += chunk.unwrap().len();
        }
    }
    let copy_out = t.elapsed().as_secs_f64();
    let (raw, _) = new_copy(dir, "raw.sqlite").await;
    let mut c = raw.sqlite_pool().unwrap().acquire().await.unwrap();
    sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut *c).await.unwrap();
    sqlx::query(&format!("ATTACH DATABASE '{}' AS done", path.display())).execute(&mut *c).await.unwrap();
    let t = Instant::now();
    let mut tx = c.begin().await.unwrap();
    for table in &tables {
        let _ = sqlx::query(&format!("INSERT INTO main.{table} SELECT * FROM done.{table}")).execute(&mut *tx).await;
    }
    tx.commit().await.unwrap();
    let insert = t.elapsed().as_secs_f64();
    drop(c);
    raw.close().await;
    let raw_s = copy_out + insert;
    println!(
        "first copy: {} rows in {:.2} s = {:.0} rows/s; raw COPY out ({:.1} MB, {:.2} s) + SQLite bulk insert ({:.2} s) = {:.2} s \
         = {:.0} rows/s; ours at {:.0}% of raw",
        report.rows,
        ours,
        report.rows as f64 / ours,
        bytes as f64 / 1e6,
        copy_out,
        insert,
        raw_s,
        report.rows as f64 / raw_s,
        100.0 * raw_s / ours
    );
    (local, path)
}

async fn commit_to_copy(server: &Store, local: &Store) {
    const SAMPLES: usize = 50;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let (s, s2, l) = (server.clone(), server.clone(), local.clone());
    let (seen_tx, mut seen_rx) = tokio::sync::mpsc::unbounded_channel::<Instant>();
    let listener = tokio::spawn(async move {
        listen(&s, Duration::from_millis(2), |_| tx.send(()).is_ok()).await;
    });
    let puller = tokio::spawn(async move {
        while rx.recv().await.is_some() {
            let heard = Instant::now();
            pull(&s2, &l).await.ok();
            let _ = seen_tx.send(heard);
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let order: Uuid = sqlx::query_scalar("SELECT id FROM orders ORDER BY id LIMIT 1")
        .fetch_one(server.pg_pool().unwrap())
        .await
        .unwrap();
    let mut ours = Vec::new();
    let mut notify = Vec::new();
    for i in 0..SAMPLES {
        let note = format!("bench {i} {}", Uuid::now_v7());
        let t = Instant::now();
        sqlx::query("UPDATE orders SET notes = $1, version = version + 1 WHERE id = $2")
            .bind(&note)
            .bind(order)
            .execute(server.pg_pool().unwrap())
            .await
            .unwrap();
        let committed = Instant::now();
        loop {
            let n: i64 = sqlx::query_scalar("SELECT count(*) FROM orders WHERE id = $1 AND notes = $2")
                .bind(order)
                .bind(&note)
                .fetch_one(local.sqlite_pool().unwrap())
                .await
                .unwrap();
            if n == 1 {
                break;
            }
            if let Ok(heard) = tokio::time::timeout(Duration::from_millis(1), seen_rx.recv()).await
                && let Some(h) = heard
            {
                notify.push(h.saturating_duration_since(committed).as_secs_f64() * 1e3);
            }
            assert!(t.elapsed() < Duration::from_secs(30), "the change reaches the copy");
        }
        ours.push(committed.elapsed().as_secs_f64() * 1e3);
    }
    listener.abort();
    puller.abort();
    ours.sort_by(f64::total_cmp);
    notify.sort_by(f64::total_cmp);
    println!(
        "commit to local copy: p50 {:.1} ms, p99 {:.1} ms over {SAMPLES} commits; the bare notification arrives after p50 {:.1} ms",
        pct(&ours, 0.5),
        pct(&ours, 0.99),
        if notify.is_empty() { f64::NAN } else { pct(&notify, 0.5) }
    );
}

async fn push_many(server: &Store, local: &Store) {
    const CHANGES: usize = 10_000;
    let me = admin_id(server).await;
    let variants: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM product_variants ORDER BY id LIMIT 200")
        .fetch_all(local.sqlite_pool().unwrap())
        .await
        .unwrap();
    let t = Instant::now();
    for i in 0..CHANGES {
        record(local, me, &Mutation::stock(variants[i % variants.len()], 1)).await.unwrap();
    }
    let queued = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let report = push(server, local, me).await.unwrap();
    let ours = t.elapsed().as_secs_f64();
    assert_eq!(report.applied as usize, CHANGES, "{report:?}");
    let pool = server.pg_pool().unwrap();
    let t = Instant::now();
    for i in 0..CHANGES {
        let mut tx = pool.begin().await.unwrap();
        sqlx::query(
            "UPDATE product_variants SET stock_on_hand = stock_on_hand - 1, version = version + 1 WHERE id = $1",
        )
        .bind(variants[i % variants.len()])
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    let raw = t.elapsed().as_secs_f64();
    println!(
        "push: {CHANGES} queued changes in {:.2} s = {:.0} mutations/s (queued offline at {:.0}/s); the same UPDATEs \
         straight to the server, one transaction each: {:.2} s = {:.0}/s; ratio {:.2}×",
        ours,
        CHANGES as f64 / ours,
        CHANGES as f64 / queued,
        raw,
        CHANGES as f64 / raw,
        ours / raw
    );
}

async fn many_clients(clients: usize, dir: &Path) {
    let (_, url) = server(300).await;
    // The clients share 20 server connections, as desktops behind a connection pooler would.
    let pooled = OpenOptions { max_connections: 20, ..OpenOptions::default() };
    let server = Store::open(&DatabaseUrl::parse(&url).unwrap(), &pooled).await.unwrap();
    let me = admin_id(&server).await;
    let (base, base_path) = new_copy(dir, "client-base.sqlite").await;
    copy_all(&server, &base, me, true, &AtomicBool::new(false), |_| {}).await.unwrap();
    // Everything into the main file before it is copied.
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(base.sqlite_pool().unwrap()).await.unwrap();
    base.close().await;
    let mut copies = Vec::new();
    for i in 0..clients {
        let path = dir.join(format!("client-{i}.sqlite"));
        // A side file left by an earlier run would be read into the new copy.
        for side in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(dir.join(format!("client-{i}.sqlite{side}")));
        }
        std::fs::copy(&base_path, &path).unwrap();
        let store = Store::open(&DatabaseUrl::sqlite(&path), &OpenOptions::default()).await.unwrap();
        copies.push(store);
    }
    let variants: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM product_variants ORDER BY id LIMIT 50")
        .fetch_all(server.pg_pool().unwrap())
        .await
        .unwrap();
    for (i, c) in copies.iter().enumerate() {
        for j in 0..5 {
            let m = Mutation::stock(variants[(i + j) % variants.len()], 1);
            record(c, me, &m).await.unwrap();
        }
    }
    let cpu = cpu_seconds_of_postgres();
    let t = Instant::now();
    let mut tasks = Vec::new();
    for (i, c) in copies.into_iter().enumerate() {
        let s = server.clone();
        tasks.push(tokio::spawn(async move {
            let t = Instant::now();
            let pushed = push(&s, &c, me).await;
            let pulled = pull(&s, &c).await;
            let problem = match (&pushed, &pulled) {
                (Err(e), _) => Some(e.to_string()),
                (Ok(r), _) if r.stopped.is_some() || r.applied != 5 => Some(format!("{r:?}")),
                (_, Err(e)) => Some(format!("client {i}: {e}")),
                _ => None,
            };
            (problem, t.elapsed().as_secs_f64() * 1e3)
        }));
    }
    let mut errors = 0;
    let mut first_error = None;
    let mut times = Vec::new();
    for task in tasks {
        let (problem, ms) = task.await.unwrap();
        if let Some(p) = problem {
            errors += 1;
            first_error.get_or_insert(p);
        }
        times.push(ms);
    }
    if let Some(e) = first_error {
        println!("first error: {e}");
    }
    let wall = t.elapsed().as_secs_f64();
    let cpu = cpu_seconds_of_postgres() - cpu;
    times.sort_by(f64::total_cmp);
    println!(
        "{clients} clients sharing 20 server connections, each pushing 5 changes and pulling, all at once: errors {errors}; \
         round p50 {:.0} ms, p99 {:.0} ms; {:.2} s in all; PostgreSQL CPU {:.2} s",
        pct(&times, 0.5),
        pct(&times, 0.99),
        wall,
        cpu
    );
}

#[tokio::main]
async fn main() {
    let orders = arg("--orders", 20_000);
    let clients = arg("--clients", 200) as usize;
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-sync");
    std::fs::create_dir_all(&dir).unwrap();
    let (server, _) = server(orders).await;
    let (local, _) = first_copy(&server, &dir).await;
    commit_to_copy(&server, &local).await;
    push_many(&server, &local).await;
    many_clients(clients, &dir).await;
}
