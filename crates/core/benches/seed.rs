//! `cargo xtask bench seed [--orders N]`: how fast the seeder loads, as a ratio
//! against loading the very same rows raw, measured in the same run:
//!
//! - PostgreSQL: the seeder (generate + serialise + COPY, one transaction) against
//!   `COPY … FROM STDIN` of pre-serialised text of the same rows.
//! - SQLite: the seeder (generate + multi-row prepared INSERTs, one transaction)
//!   against the same prepared INSERTs of the pre-generated rows.
//!
//! The ratio is seeder rows/s ÷ raw rows/s (1.0 = no overhead beyond the engine).

use marketdesk_core::domain::Timestamp;
use marketdesk_core::seed::{SeedOptions, generate, seed};
use marketdesk_core::store::bulk::{Batch, BulkWriter, Cell};
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};
use sqlx::Connection;
use std::io::Write;
use std::time::Instant;

fn admin_url() -> String {
    std::env::var("MARKETDESK_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

async fn fresh_pg(name: &str) -> Store {
    let mut admin = sqlx::PgConnection::connect(&admin_url()).await.expect("PostgreSQL");
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
    let mut url = url::Url::parse(&admin_url()).unwrap();
    url.set_path(&format!("/{name}"));
    let store = Store::open(&DatabaseUrl::parse(url.as_str()).unwrap(), &OpenOptions::default()).await.unwrap();
    store.migrate(|_| {}).await.unwrap();
    store
}

async fn drop_pg(store: Store, name: &str) {
    store.close().await;
    let mut admin = sqlx::PgConnection::connect(&admin_url()).await.unwrap();
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await.unwrap();
}

async fn fresh_sqlite(dir: &std::path::Path, name: &str) -> Store {
    let store = Store::open(&DatabaseUrl::sqlite(dir.join(name)), &OpenOptions::create()).await.unwrap();
    store.migrate(|_| {}).await.unwrap();
    store
}

/// PostgreSQL COPY text of a batch, written independently of the seeder's own serialiser.
fn copy_text(batch: &Batch) -> Vec<u8> {
    let mut out = Vec::new();
    for row in batch.rows() {
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                out.push(b'\t');
            }
            match cell {
                Cell::Null => out.extend_from_slice(b"\\N"),
                Cell::Int(v) => write!(out, "{v}").unwrap(),
                Cell::Bool(v) => out.extend_from_slice(if *v { b"t" } else { b"f" }),
                Cell::Uuid(v) => write!(out, "{v}").unwrap(),
                Cell::Time(v) => write!(out, "{v}").unwrap(),
                Cell::Text(s) | Cell::Json(s) => {
                    let escaped =
                        s.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n").replace('\r', "\\r");
                    out.extend_from_slice(escaped.as_bytes());
                }
                Cell::Bytes(b) => {
                    out.extend_from_slice(b"\\\\x");
                    for byte in b {
                        write!(out, "{byte:02x}").unwrap();
                    }
                }
            }
        }
        out.push(b'\n');
    }
    out
}

struct Line {
    engine: &'static str,
    rows: u64,
    seeder_s: f64,
    raw_s: f64,
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let orders = args
        .iter()
        .position(|a| a == "--orders")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(50_000_u64);
    let mut options = SeedOptions::new(orders);
    options.end = Timestamp::parse("2026-06-01T00:00:00Z").unwrap();
    eprintln!("generating the rows of {orders} orders for the raw baselines…");
    let batches = generate(&options).expect("generate");
    let rows: u64 = batches.iter().map(|b| b.len() as u64).sum();
    let copy: Vec<(String, Vec<u8>)> = batches
        .iter()
        .map(|b| (format!("COPY {} ({}) FROM STDIN", b.table, b.columns.join(", ")), copy_text(b)))
        .collect();
    let mut lines = Vec::new();

    // PostgreSQL.
    let seeded = fresh_pg("md_bench_seed").await;
    let t = Instant::now();
    let report = seed(&seeded, &options, |_| {}).await.expect("seed PostgreSQL");
    let seeder_s = t.elapsed().as_secs_f64();
    assert_eq!(report.total_rows(), rows);
    drop_pg(seeded, "md_bench_seed").await;
    let raw = fresh_pg("md_bench_raw").await;
    let pool = raw.pg_pool().unwrap().clone();
    let t = Instant::now();
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("SET LOCAL synchronous_commit = off").execute(&mut *tx).await.unwrap();
    sqlx::query("SET LOCAL session_replication_role = replica").execute(&mut *tx).await.unwrap();
    for (stmt, data) in &copy {
        let mut c = tx.copy_in_raw(stmt).await.unwrap();
        c.send(data.as_slice()).await.unwrap();
        c.finish().await.unwrap();
    }
    tx.commit().await.unwrap();
    let raw_s = t.elapsed().as_secs_f64();
    drop(pool);
    drop_pg(raw, "md_bench_raw").await;
    lines.push(Line { engine: "PostgreSQL", rows, seeder_s, raw_s });

    // SQLite.
    let dir = tempfile::tempdir().unwrap();
    let seeded = fresh_sqlite(dir.path(), "seeded.sqlite").await;
    let t = Instant::now();
    seed(&seeded, &options, |_| {}).await.expect("seed SQLite");
    let seeder_s = t.elapsed().as_secs_f64();
    seeded.close().await;
    let raw = fresh_sqlite(dir.path(), "raw.sqlite").await;
    let t = Instant::now();
    let mut w = BulkWriter::begin(&raw, true).await.unwrap();
    for b in &batches {
        w.write(b).await.unwrap();
    }
    w.commit().await.unwrap();
    let raw_s = t.elapsed().as_secs_f64();
    raw.close().await;
    lines.push(Line { engine: "SQLite", rows, seeder_s, raw_s });

    println!("seed benchmark: {orders} orders, {rows} rows per engine");
    println!(
        "{:<11} {:>12} {:>14} {:>12} {:>14} {:>7}",
        "engine", "seeder s", "seeder rows/s", "raw s", "raw rows/s", "ratio"
    );
    for l in &lines {
        let s = l.rows as f64 / l.seeder_s;
        let r = l.rows as f64 / l.raw_s;
        println!("{:<11} {:>12.2} {:>14.0} {:>12.2} {:>14.0} {:>7.2}", l.engine, l.seeder_s, s, l.raw_s, r, s / r);
    }
}
