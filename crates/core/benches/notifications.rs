//! `cargo xtask bench notifications [--people N] [--trips N] [--window-ms N]`:
//! notifications against their raw baselines, in the same run, on PostgreSQL.
//!
//! * Fan-out: one announcement to N vendors through `md_notify` (audience,
//!   role defaults and each person's preferences per channel), rows/s, beside
//!   the same rows written by one bare `INSERT … SELECT` that decides nothing.
//! * Commit to bell: a notification committed for a person until a live
//!   listener (coalescing over the desktop's window) has heard of it and the
//!   person's unread count has been read again — what a connected desktop
//!   does before its bell rises — p50/p99, beside a bare NOTIFY's trip.
//!
//! The database is kept between runs: PostgreSQL `md_bench_notifications`.

use marketdesk_core::domain::notifications::NotificationKind;
use marketdesk_core::domain::{Role, Timestamp};
use marketdesk_core::notifications::inbox::unread_count;
use marketdesk_core::notifications::send::{Audience, Notice, announce, notify};
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::live::listen;
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};
use sqlx::postgres::PgListener;
use std::time::{Duration, Instant};
use uuid::Uuid;

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let people = arg("--people", 10_000);
    let trips = arg("--trips", 100) as usize;
    let window = Duration::from_millis(arg("--window-ms", 100));
    let url = marketdesk_test_support::databases::kept_database("md_bench_notifications").await;
    let store = Store::open(&DatabaseUrl::parse(url.as_str()).unwrap(), &OpenOptions::default()).await.unwrap();
    store.migrate(|_| {}).await.unwrap();
    let pool = store.pg_pool().unwrap().clone();
    if store.count_rows("orders").await.unwrap() == 0 {
        let mut o = SeedOptions::new(200);
        o.end = Timestamp::parse("2026-11-01T00:00:00Z").unwrap();
        seed(&store, &o, |_| {}).await.unwrap();
    }
    sqlx::query(
        "INSERT INTO users (id, email, username, display_name, role, status, version, created_at, updated_at) \
         SELECT gen_random_uuid(), 'bench' || g || '@bench.marketdesk.demo', 'bench' || g, 'Bench vendor ' || g, \
         'vendor', 'active', 1, now(), now() FROM generate_series(1, $1::int) g ON CONFLICT DO NOTHING",
    )
    .bind(people as i32)
    .execute(&pool)
    .await
    .unwrap();
    let admin: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE role = 'admin' ORDER BY created_at LIMIT 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let clear = || async {
        sqlx::query("DELETE FROM notifications WHERE title LIKE 'Bench %'").execute(&pool).await.unwrap();
    };

    // Fan-out.
    let (mut ours, mut raw) = (Vec::new(), Vec::new());
    let mut rows = 0u64;
    for _ in 0..5 {
        clear().await;
        let t = Instant::now();
        rows =
            announce(&store, admin, Role::Admin, Audience::Role(Role::Vendor), "Bench announcement", "").await.unwrap();
        ours.push(rows as f64 / t.elapsed().as_secs_f64());
        clear().await;
        let t = Instant::now();
        let done = sqlx::query(
            "INSERT INTO notifications (id, user_id, kind, title, body, link, channel, digest, sent_by, version, created_at, updated_at) \
             SELECT gen_random_uuid(), u.id, 'announcement', 'Bench raw', '', NULL, c.ch, false, $1, 1, now(), now() \
             FROM users u CROSS JOIN (VALUES ('in_app'), ('email')) c(ch) \
             WHERE u.role = 'vendor' AND u.status = 'active' AND u.deleted_at IS NULL",
        )
        .bind(admin)
        .execute(&pool)
        .await
        .unwrap()
        .rows_affected();
        raw.push(done as f64 / t.elapsed().as_secs_f64());
    }
    clear().await;
    let (ours, raw) = (median(ours), median(raw));
    println!(
        "fan-out: one announcement, {rows} rows: {ours:.0} rows/s; bare INSERT … SELECT {raw:.0} rows/s; ratio {:.2}",
        raw / ours
    );

    // Commit to bell.
    let person: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = 'vendor@marketdesk.demo'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let (tx, mut heard) = tokio::sync::mpsc::unbounded_channel::<Instant>();
    let listening = store.clone();
    let task = tokio::spawn(async move {
        listen(&listening, window, |tables| !tables.contains("notifications") || tx.send(Instant::now()).is_ok()).await
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut bell = Vec::new();
    for i in 0..trips {
        let before = unread_count(&store, person).await.unwrap();
        let t = Instant::now();
        let notice = Notice::new(NotificationKind::LowStock, Audience::Person(person), format!("Bench low stock {i}"));
        notify(&store, None, &notice).await.unwrap();
        tokio::time::timeout(Duration::from_secs(10), heard.recv()).await.expect("the listener hears").unwrap();
        let after = unread_count(&store, person).await.unwrap();
        assert!(after > before, "the count rose");
        bell.push(t.elapsed().as_secs_f64() * 1000.0);
        tokio::time::sleep(window + Duration::from_millis(20)).await;
    }
    task.abort();
    let mut trip = Vec::new();
    let mut bare = PgListener::connect_with(&pool).await.unwrap();
    bare.listen("md_bench_trip").await.unwrap();
    for _ in 0..trips {
        let t = Instant::now();
        sqlx::query("SELECT pg_notify('md_bench_trip', '')").execute(&pool).await.unwrap();
        bare.recv().await.unwrap();
        trip.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    clear().await;
    bell.sort_by(f64::total_cmp);
    trip.sort_by(f64::total_cmp);
    println!(
        "commit to bell ({} ms window): p50 {:.1} ms, p99 {:.1} ms; bare NOTIFY trip p50 {:.2} ms, p99 {:.2} ms",
        window.as_millis(),
        pct(&bell, 0.5),
        pct(&bell, 0.99),
        pct(&trip, 0.5),
        pct(&trip, 0.99)
    );
    store.close().await;
}
