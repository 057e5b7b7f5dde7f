//! Analytics through the built `marketdesk` binary: an admin opts the
//! marketplace in to Google Analytics; a worker without the API secret
//! refuses to start; one with it sends the recorded events, validated first,
//! to a local Measurement Protocol; the dashboard and the rows behind a
//! figure print for an admin; the events are refused to a vendor.

use chrono::{Duration, Utc};
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::DatabaseUrl;
use marketdesk_test_support::databases::pg;
use marketdesk_test_support::{Run, ga4_fake, marketdesk_bin};
use std::process::Command;

fn run(url: &str, home: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(marketdesk_bin());
    cmd.args(["--database-url", url]).args(args).env("HOME", home).env("NO_COLOR", "1");
    cmd.env_remove("MARKETDESK_GA4_API_SECRET");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap().into()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_sends_events_to_google_analytics_and_the_dashboard_prints() {
    let db = pg().await;
    let url = match &db.url {
        DatabaseUrl::Postgres(u) => u.clone(),
        DatabaseUrl::Sqlite(_) => unreachable!("a PostgreSQL database"),
    };
    seed(&db.store, &SeedOptions::new(300), |_| {}).await.unwrap();
    let pool = db.store.pg_pool().unwrap().clone();
    // Today's steps: products approved.
    let approved = sqlx::query(
        "UPDATE products SET status = 'approved', version = version + 1 WHERE id IN \
         (SELECT id FROM products WHERE status = 'pending_review' ORDER BY id LIMIT 2)",
    )
    .execute(&pool)
    .await
    .unwrap()
    .rows_affected() as usize;
    assert!(approved > 0, "the seed has products waiting for review");
    let home = tempfile::tempdir().unwrap();
    let fake = ga4_fake::start().await;
    let base = fake.server.uri();
    let admin = "admin@marketdesk.demo";

    let bad = run(&url, home.path(), &["analytics", "ga4", "on", "--measurement-id", "UA-7", "--as", admin], &[]);
    assert_ne!(bad.code, 0);
    assert!(
        bad.stderr.contains("not a web stream's measurement id") || bad.stderr.contains("measurement id"),
        "{}",
        bad.stderr
    );
    let on = run(&url, home.path(), &["analytics", "ga4", "on", "--measurement-id", "G-CLI42", "--as", admin], &[]);
    assert_eq!(on.code, 0, "{}", on.stderr);
    assert!(on.stdout.contains("Google Analytics 4 is on (G-CLI42)"), "{}", on.stdout);

    let worker = ["worker", "--poll-every", "0", "--analytics-every", "60", "--once"];
    let refused = run(&url, home.path(), &worker, &[("MARKETDESK_GA4_API", &base)]);
    assert_ne!(refused.code, 0);
    assert!(refused.stderr.contains("no Google Analytics API secret"), "{}", refused.stderr);

    let url2 = url.clone();
    let home2 = home.path().to_owned();
    let base2 = base.clone();
    let tick = tokio::task::spawn_blocking(move || {
        run(&url2, &home2, &worker, &[("MARKETDESK_GA4_API", &base2), ("MARKETDESK_GA4_API_SECRET", "cli-secret")])
    })
    .await
    .unwrap();
    assert_eq!(tick.code, 0, "{}\n{}", tick.stdout, tick.stderr);
    assert!(tick.stdout.contains("sent to G-CLI42"), "{}", tick.stdout);
    {
        let seen = fake.state.lock().unwrap();
        assert!(!seen.collected.is_empty());
        assert_eq!(seen.validated.len(), seen.collected.len());
        let names: Vec<String> = seen
            .collected
            .iter()
            .flat_map(|b| b["events"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap().to_owned()))
            .collect();
        assert_eq!(names.iter().filter(|n| *n == "product_approved").count(), approved, "{names:?}");
    }
    let waiting: i64 =
        sqlx::query_scalar("SELECT count(*) FROM analytics_events WHERE ga_state IN ('queued', 'sending')")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(waiting, 0, "every event sent or too old");

    let to = Utc::now().date_naive();
    let from = to - Duration::days(29);
    let (from, to) = (from.to_string(), to.to_string());
    let figures = run(&url, home.path(), &["analytics", "dashboard", "--from", &from, "--to", &to, "--as", admin], &[]);
    assert_eq!(figures.code, 0, "{}", figures.stderr);
    for label in ["Orders", "Revenue", "Average order value", "Dispute rate", "Payout success", "Active vendors"] {
        assert!(figures.stdout.contains(label), "{label}: {}", figures.stdout);
    }
    let rows = run(
        &url,
        home.path(),
        &["analytics", "dashboard", "--from", &from, "--to", &to, "--drill", "revenue", "--limit", "3", "--as", admin],
        &[],
    );
    assert_eq!(rows.code, 0, "{}", rows.stderr);
    assert!(rows.stdout.contains("row(s) behind revenue") && rows.stdout.contains("MD-"), "{}", rows.stdout);
    let vendor = run(&url, home.path(), &["analytics", "events", "--as", "vendor@marketdesk.demo"], &[]);
    assert_ne!(vendor.code, 0);
    assert!(vendor.stderr.contains("for admins and finance"), "{}", vendor.stderr);
    let events = run(&url, home.path(), &["analytics", "events", "--name", "product_approved", "--as", admin], &[]);
    assert_eq!(events.code, 0, "{}", events.stderr);
    assert_eq!(
        events.stdout.lines().filter(|l| l.contains("product_approved") && l.contains("sent")).count(),
        approved,
        "{}",
        events.stdout
    );
    db.finish().await;
}
