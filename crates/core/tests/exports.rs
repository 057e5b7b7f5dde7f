//! Ledger exports: the same seeded history gives byte-identical CSV from
//! PostgreSQL and SQLite, whose debits and credits balance per currency; XLSX
//! is a real workbook; a cancelled export leaves no file; each run is recorded.

use marketdesk_core::documents::spreadsheet::ExportFormat;
use marketdesk_core::seed::seed;
use marketdesk_core::store::ledger::LedgerFilter;
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};
use marketdesk_test_support::money::{count, seed_options, seeded_pg};
use std::collections::BTreeMap;

/// `-123.45` → -12345 (exact, no floats).
fn minor(text: &str) -> i64 {
    let (sign, digits) = text.strip_prefix('-').map_or((1, text), |d| (-1, d));
    let (units, cents) = digits.split_once('.').unwrap_or((digits, "00"));
    sign * (units.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap())
}

/// Debits minus credits per currency, from CSV text (no field holds a comma
/// except quoted descriptions, which come before the money columns).
fn balances(csv: &str) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for line in csv.lines().skip(1) {
        let fields: Vec<&str> = line.rsplitn(7, ',').collect();
        // From the end: payout, order, transaction, currency, credit, debit, rest.
        let (currency, credit, debit) = (fields[3], fields[4], fields[5]);
        let amount =
            if debit.is_empty() { 0 } else { minor(debit) } - if credit.is_empty() { 0 } else { minor(credit) };
        *out.entry(currency.to_owned()).or_insert(0) += amount;
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ledger_exports_identically_from_both_engines_and_balances() {
    let dir = tempfile::tempdir().unwrap();
    let pg = seeded_pg().await;
    let sqlite =
        Store::open(&DatabaseUrl::sqlite(dir.path().join("copy.sqlite")), &OpenOptions::create()).await.unwrap();
    sqlite.migrate(|_| {}).await.unwrap();
    seed(&sqlite, &seed_options(), |_| {}).await.unwrap();

    let all = LedgerFilter::default();
    let from_pg = dir.path().join("pg.csv");
    let from_sqlite = dir.path().join("sqlite.csv");
    let mut heard = Vec::new();
    let a = pg
        .store
        .export_ledger(&all, ExportFormat::Csv, &from_pg, None, |n| {
            heard.push(n);
            true
        })
        .await
        .unwrap();
    let b = sqlite.export_ledger(&all, ExportFormat::Csv, &from_sqlite, None, |_| true).await.unwrap();
    let entries = count(&pg.url, "SELECT count(*) FROM ledger_entries").await;
    assert_eq!(a.rows as i64, entries);
    assert_eq!(a.rows, b.rows);
    assert_eq!(heard.last().copied(), Some(a.rows), "progress ends at the row count");
    let pg_text = std::fs::read_to_string(&from_pg).unwrap();
    assert_eq!(pg_text, std::fs::read_to_string(&from_sqlite).unwrap(), "the same history, the same file");
    assert!(pg_text.starts_with("Occurred (UTC),Code,Description,"));
    let sums = balances(&pg_text);
    assert!(sums.len() >= 2 && sums.values().all(|s| *s == 0), "debits equal credits per currency: {sums:?}");

    let xlsx = dir.path().join("ledger.xlsx");
    let usd = LedgerFilter { currency: Some("USD".parse().unwrap()), ..LedgerFilter::default() };
    let c = pg.store.export_ledger(&usd, ExportFormat::Xlsx, &xlsx, None, |_| true).await.unwrap();
    let usd_rows = count(&pg.url, "SELECT count(*) FROM ledger_entries WHERE currency = 'USD'").await;
    assert_eq!(c.rows as i64, usd_rows);
    let bytes = std::fs::read(&xlsx).unwrap();
    assert_eq!(&bytes[..2], b"PK", "an XLSX file is a zip archive");

    let cancelled = dir.path().join("cancelled.csv");
    let d = pg.store.export_ledger(&all, ExportFormat::Csv, &cancelled, None, |_| false).await.unwrap();
    assert!(d.cancelled && !cancelled.exists(), "a cancelled export leaves no file");
    assert!(!dir.path().join("cancelled.csv.partial").exists());
    let runs: Vec<(String, Option<i64>)> = {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&pg.url).await.unwrap();
        sqlx::query_as("SELECT status, row_count FROM report_runs WHERE kind = 'transactions' ORDER BY started_at")
            .fetch_all(&mut conn)
            .await
            .unwrap()
    };
    assert_eq!(runs.len(), 3);
    assert_eq!(runs[0], ("succeeded".to_owned(), Some(entries)));
    assert_eq!(runs[2].0, "cancelled");
    sqlite.close().await;
    pg.drop_database().await;
}
