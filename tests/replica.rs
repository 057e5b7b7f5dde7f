//! Heavy reports from a read replica: a real streaming standby made by
//! `pg_basebackup` from a private primary. A report read there says so and
//! matches the primary's; with replay paused and a sale made on the primary, the
//! replica's (older) answer is served while it is within the allowed lag and
//! the primary's once it is not; a replica that is down moves the report to
//! the primary with the reason said; an export reads the replica and records
//! its run on the primary; `doctor` reports the replica's lag.

use marketdesk_core::domain::{Currency, Timestamp};
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::orders::NewOrder;
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};
use marketdesk_test_support::{PrivateCluster, Run, marketdesk_bin};
use sqlx::{Connection, PgConnection};
use std::process::Command;
use std::time::Duration;

fn run(url: &str, home: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(marketdesk_bin());
    cmd.args(["--database-url", url]).args(args).env("HOME", home).env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap().into()
}

/// This year's orders: the seed's first quarter and today's sales.
const REPORT: [&str; 10] =
    ["report", "orders", "--from", "2026-01-01", "--to", "2026-12-31", "--currency", "USD", "--grain", "month"];

async fn caught_up(primary: &mut PgConnection, replica: &mut PgConnection) {
    for _ in 0..200 {
        let target: String =
            sqlx::query_scalar("SELECT pg_current_wal_lsn()::text").fetch_one(&mut *primary).await.unwrap();
        let behind: i64 = sqlx::query_scalar("SELECT pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn())::bigint")
            .bind(&target)
            .fetch_one(&mut *replica)
            .await
            .unwrap();
        if behind <= 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the replica did not catch up in 20 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_read_the_replica_when_it_is_fit_and_the_primary_otherwise() {
    let primary = PrivateCluster::start();
    let url = primary.url(&primary.password, "postgres");
    let store = Store::open(&DatabaseUrl::parse(&url).unwrap(), &OpenOptions::default()).await.unwrap();
    store.migrate(|_| {}).await.unwrap();
    let mut options = SeedOptions::new(300);
    options.end = Timestamp::parse("2026-04-01T00:00:00Z").unwrap();
    seed(&store, &options, |_| {}).await.unwrap();
    store.close().await;

    let replica = primary.start_replica();
    let replica_url = replica.url(&replica.password, "postgres");
    let mut p = PgConnection::connect(&url).await.unwrap();
    let mut r = PgConnection::connect(&replica_url).await.unwrap();
    caught_up(&mut p, &mut r).await;
    let home = tempfile::tempdir().unwrap();
    let at = format!("127.0.0.1:{}", replica.port);

    let from_primary = run(&url, home.path(), &REPORT, &[]);
    assert_eq!(from_primary.code, 0, "{}", from_primary.stderr);
    let env = [("MARKETDESK_REPLICA_URL", replica_url.as_str())];
    let from_replica = run(&url, home.path(), &REPORT, &env);
    assert_eq!(from_replica.code, 0, "{}", from_replica.stderr);
    assert!(
        from_replica.stderr.contains(&format!("read from the replica at {at} ("))
            && from_replica.stderr.contains("bytes behind)"),
        "{}",
        from_replica.stderr
    );
    assert_eq!(from_replica.stdout, from_primary.stdout, "the same report on both");

    // Replay paused, a sale made on the primary: the replica still answers as before.
    sqlx::query("SELECT pg_wal_replay_pause()").execute(&mut r).await.unwrap();
    let (customer, variant): (uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "SELECT (SELECT id FROM users WHERE role = 'customer' AND status = 'active' ORDER BY id LIMIT 1), v.id \
         FROM product_variants v JOIN products p ON p.id = v.product_id JOIN users u ON u.id = p.vendor_id \
         WHERE p.status = 'approved' AND u.status = 'active' AND v.currency = 'USD' AND v.deleted_at IS NULL \
         AND v.stock_on_hand - v.stock_reserved >= 1 ORDER BY v.id LIMIT 1",
    )
    .fetch_one(&mut p)
    .await
    .unwrap();
    let writer = Store::open(&DatabaseUrl::parse(&url).unwrap(), &OpenOptions::default()).await.unwrap();
    writer
        .place_order(&NewOrder {
            customer_id: customer,
            currency: Currency::USD,
            lines: vec![(variant, 1)],
            shipping_minor: 0,
            commission_bps: 1000,
        })
        .await
        .unwrap();
    writer.close().await;
    let changed = run(&url, home.path(), &REPORT, &[]);
    assert_ne!(changed.stdout, from_primary.stdout, "the sale changed the primary's report");
    let stale = run(&url, home.path(), &REPORT, &env);
    assert!(stale.stderr.contains("read from the replica"), "{}", stale.stderr);
    assert_eq!(stale.stdout, from_primary.stdout, "the paused replica still has the old figures");
    let strict = [("MARKETDESK_REPLICA_URL", replica_url.as_str()), ("MARKETDESK_REPLICA_MAX_LAG_BYTES", "0")];
    let fresh = run(&url, home.path(), &REPORT, &strict);
    assert!(fresh.stderr.contains("bytes behind (at most 0 allowed): read from the primary"), "{}", fresh.stderr);
    assert_eq!(fresh.stdout, changed.stdout);
    let bad = run(
        &url,
        home.path(),
        &REPORT,
        &[("MARKETDESK_REPLICA_URL", &replica_url), ("MARKETDESK_REPLICA_MAX_LAG_BYTES", "lots")],
    );
    assert_ne!(bad.code, 0);
    assert!(bad.stderr.contains("MARKETDESK_REPLICA_MAX_LAG_BYTES is a number of bytes"), "{}", bad.stderr);
    sqlx::query("SELECT pg_wal_replay_resume()").execute(&mut r).await.unwrap();
    caught_up(&mut p, &mut r).await;

    // An export reads the replica and records its run on the primary.
    let out = home.path().join("orders.csv");
    let mut export: Vec<&str> = REPORT.to_vec();
    export.extend(["--out", out.to_str().unwrap()]);
    let exported = run(&url, home.path(), &export, &env);
    assert_eq!(exported.code, 0, "{}", exported.stderr);
    assert!(exported.stderr.contains("read from the replica"), "{}", exported.stderr);
    let runs: i64 =
        sqlx::query_scalar("SELECT count(*) FROM report_runs WHERE status = 'succeeded' AND kind = 'orders'")
            .fetch_one(&mut p)
            .await
            .unwrap();
    assert_eq!(runs, 1);
    let doctor = run(&url, home.path(), &["doctor"], &env);
    assert!(
        doctor.stdout.lines().any(|l| l.contains("replica") && l.contains(&at) && l.contains("bytes behind")),
        "{}",
        doctor.stdout
    );

    // The primary is no replica; a replica that is down is said and skipped.
    let not_standby = run(&url, home.path(), &REPORT, &[("MARKETDESK_REPLICA_URL", url.as_str())]);
    assert!(not_standby.stderr.contains("is not a standby"), "{}", not_standby.stderr);
    drop(r);
    replica.stop();
    let down = run(&url, home.path(), &REPORT, &env);
    assert_eq!(down.code, 0, "{}", down.stderr);
    assert!(down.stderr.contains(&format!("the replica at {at} cannot be used")), "{}", down.stderr);
    assert!(down.stderr.contains("read from the primary"), "{}", down.stderr);
    assert_eq!(down.stdout, changed.stdout);
}
