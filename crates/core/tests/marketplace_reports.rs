//! The finance reports besides revenue (commissions, orders, top products,
//! payout reconciliation, new users): the same table on PostgreSQL and SQLite,
//! equal to a plain-Rust computation over the raw rows; exports of a report;
//! saved report definitions.

use marketdesk_test_support::databases as support;
use marketdesk_test_support::{fetch_all, on_both_engines};

use marketdesk_core::Store;
use marketdesk_core::documents::spreadsheet::ExportFormat;
use marketdesk_core::domain::periods::{Grain, period_of};
use marketdesk_core::domain::{Currency, Timestamp};
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::StoreError;
use marketdesk_core::store::marketplace_reports::{ReportKind, ReportQuery, TOP_PRODUCTS};
use marketdesk_core::store::report_table::{ReportTable, ReportValue, average, ratio_bps};
use marketdesk_core::store::reports::RevenueQuery;
use marketdesk_core::store::saved_reports::SaveReport;
use marketdesk_core::store::statements::StatementQuery;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

const SOLD: &[&str] =
    &["paid", "processing", "partially_shipped", "shipped", "delivered", "refunded", "partially_refunded", "disputed"];

#[derive(sqlx::FromRow, Clone)]
struct Item {
    order_id: Uuid,
    customer_id: Uuid,
    vendor_id: Uuid,
    product_id: Uuid,
    product_name: String,
    category_path: String,
    status: String,
    currency: Currency,
    placed_at: Timestamp,
    quantity: i64,
    subtotal_minor: i64,
    commission_minor: i64,
    refunded_quantity: i64,
    unit_price_minor: i64,
}

#[derive(sqlx::FromRow)]
struct Person {
    role: String,
    created_at: Timestamp,
}

async fn items(store: &Store) -> Vec<Item> {
    fetch_all!(
        store,
        "SELECT o.id AS order_id, o.customer_id, i.vendor_id, i.product_id, p.name AS product_name, c.path AS category_path, \
         o.status, o.currency, o.placed_at, CAST(i.quantity AS BIGINT) AS quantity, i.subtotal_minor, i.commission_minor, \
         CAST(i.refunded_quantity AS BIGINT) AS refunded_quantity, i.unit_price_minor \
         FROM order_items i JOIN orders o ON o.id = i.order_id JOIN products p ON p.id = i.product_id \
         JOIN categories c ON c.id = p.category_id WHERE o.deleted_at IS NULL"
    )
}

async fn exec(store: &Store, sql: &str) {
    if let Some(p) = store.pg_pool() {
        sqlx::query(sql).execute(p).await.unwrap();
    } else {
        sqlx::query(sql).execute(store.sqlite_pool().unwrap()).await.unwrap();
    }
}

async fn seeded(store: &Store) {
    let mut o = SeedOptions::new(800);
    o.end = Timestamp::parse("2026-03-15T00:00:00Z").unwrap();
    o.seed = 11;
    seed(store, &o, |_| {}).await.expect("seed");
}

fn query(kind: ReportKind, grain: Grain, currency: &str) -> ReportQuery {
    ReportQuery {
        kind,
        scope: RevenueQuery {
            from: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            to: chrono::NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
            currency: currency.parse().unwrap(),
            grain,
            vendor_id: None,
            category_id: None,
        },
    }
}

fn in_scope(i: &Item, q: &RevenueQuery, category_path: Option<&str>) -> bool {
    let day = i.placed_at.as_datetime().date_naive();
    i.currency == q.currency
        && day >= q.from
        && day <= q.to
        && q.vendor_id.is_none_or(|v| v == i.vendor_id)
        && category_path.is_none_or(|p| i.category_path.starts_with(p))
}

fn sold(i: &Item) -> bool {
    SOLD.contains(&i.status.as_str())
}

fn ints(t: &ReportTable, keys: &[&str]) -> Vec<Vec<i64>> {
    let cols: Vec<Vec<Option<i64>>> = keys.iter().map(|k| t.ints(k)).collect();
    (0..t.rows.len()).map(|r| cols.iter().map(|c| c[r].unwrap_or(0)).collect()).collect()
}

fn texts(t: &ReportTable, key: &str) -> Vec<String> {
    let c = t.column(key).unwrap();
    t.rows
        .iter()
        .map(|r| match &r[c] {
            Some(ReportValue::Text(s)) => s.clone(),
            _ => String::new(),
        })
        .collect()
}

/// Commissions per vendor: (orders, units, gross, commission, refunded), largest commission first.
fn commissions_reference(items: &[Item], q: &ReportQuery, path: Option<&str>) -> Vec<Vec<i64>> {
    let mut by_vendor: BTreeMap<Uuid, (BTreeSet<Uuid>, [i64; 4])> = BTreeMap::new();
    for i in items.iter().filter(|i| sold(i) && in_scope(i, &q.scope, path)) {
        let (orders, sums) = by_vendor.entry(i.vendor_id).or_default();
        orders.insert(i.order_id);
        sums[0] += i.quantity;
        sums[1] += i.subtotal_minor;
        sums[2] += i.commission_minor;
        sums[3] += i.refunded_quantity * i.unit_price_minor;
    }
    let mut rows: Vec<Vec<i64>> =
        by_vendor.into_values().map(|(o, s)| vec![o.len() as i64, s[0], s[1], s[2], s[3]]).collect();
    rows.sort_by(|a, b| b[3].cmp(&a[3]).then(a.cmp(b)));
    rows
}

/// Orders per period: placed, pending, sold, cancelled, refunded, disputed, sold gross.
fn orders_reference(items: &[Item], q: &ReportQuery, path: Option<&str>) -> BTreeMap<String, [i64; 7]> {
    let mut seen: BTreeMap<String, BTreeMap<Uuid, (String, i64)>> = BTreeMap::new();
    for i in items.iter().filter(|i| in_scope(i, &q.scope, path)) {
        let label = period_of(i.placed_at.as_datetime().date_naive(), q.scope.grain);
        let e = seen.entry(label).or_default().entry(i.order_id).or_insert((i.status.clone(), 0));
        e.1 += i.subtotal_minor;
    }
    seen.into_iter()
        .map(|(label, orders)| {
            let mut p = [0i64; 7];
            for (status, gross) in orders.values() {
                let s = status.as_str();
                p[0] += 1;
                p[1] += i64::from(s == "pending");
                if SOLD.contains(&s) {
                    p[2] += 1;
                    p[6] += gross;
                }
                p[3] += i64::from(s == "cancelled");
                p[4] += i64::from(s == "refunded" || s == "partially_refunded");
                p[5] += i64::from(s == "disputed");
            }
            (label, p)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_are_the_same_on_both_engines_and_equal_the_reference() {
    let pg = support::pg().await;
    let lite = support::sqlite().await;
    seeded(&pg.store).await;
    seeded(&lite.store).await;
    let raw = items(&lite.store).await;

    // The biggest vendor and the largest top-level category, to exercise the filters.
    let full = lite.store.run_report(&query(ReportKind::Commissions, Grain::Month, "USD")).await.unwrap();
    let vendor_name = texts(&full, "vendor")[0].clone();
    let vendor: Uuid = fetch_all!(
        lite.store,
        "SELECT u.id FROM users u LEFT JOIN user_profiles up ON up.user_id = u.id \
         WHERE u.role = 'vendor' ORDER BY u.id"
    )
    .into_iter()
    .map(|(id,): (Uuid,)| id)
    .find(|id| {
        let mut q = query(ReportKind::Commissions, Grain::Month, "USD");
        q.scope.vendor_id = Some(*id);
        commissions_reference(&raw, &q, None).first().map(|r| r[3]) == full.ints("commission")[0]
    })
    .expect("the biggest vendor");
    let (category, category_path): (Uuid, String) =
        fetch_all!(lite.store, "SELECT id, path FROM categories WHERE parent_id IS NULL ORDER BY path")
            .into_iter()
            .next()
            .expect("a category");

    let mut checked = 0;
    for currency in ["USD", "EUR"] {
        for (vendor_id, category_id) in [(None, None), (Some(vendor), None), (None, Some(category))] {
            let path = category_id.map(|_| category_path.as_str());
            for kind in ReportKind::ALL {
                for grain in [Grain::Day, Grain::Month, Grain::Quarter] {
                    let mut q = query(kind, grain, currency);
                    (q.scope.vendor_id, q.scope.category_id) = (vendor_id, category_id);
                    let on_pg = pg.store.run_report(&q).await.unwrap();
                    let on_lite = lite.store.run_report(&q).await.unwrap();
                    assert_eq!(on_pg, on_lite, "engines differ for {q:?}");
                    let t = on_lite;
                    match kind {
                        ReportKind::Commissions => {
                            let expected = commissions_reference(&raw, &q, path);
                            let got = ints(&t, &["orders", "units", "gross", "commission", "refunded"]);
                            let mut got_sorted = got.clone();
                            got_sorted.sort_by(|a, b| b[3].cmp(&a[3]).then(a.cmp(b)));
                            assert_eq!(got_sorted, expected, "commissions differ for {q:?}");
                            assert!(got.windows(2).all(|w| w[0][3] >= w[1][3]), "not largest first");
                            if currency == "USD" {
                                assert!(!expected.is_empty(), "nothing sold for {q:?}: the check proves nothing");
                            }
                            // The rollups and the raw query agree.
                            assert_eq!(lite.store.commissions_raw(&q).await.unwrap().rows, t.rows);
                            let totals = t.totals.as_ref().unwrap();
                            let gross: i64 = expected.iter().map(|r| r[2]).sum();
                            let commission: i64 = expected.iter().map(|r| r[3]).sum();
                            assert_eq!(totals[3], Some(ReportValue::Int(gross)));
                            assert_eq!(totals[5], ratio_bps(commission, gross).map(ReportValue::Int));
                            if vendor_id.is_some() && currency == "USD" {
                                assert_eq!(texts(&t, "vendor"), vec![vendor_name.clone()]);
                            }
                        }
                        ReportKind::Orders => {
                            let expected = orders_reference(&raw, &q, path);
                            let keys = ["placed", "pending", "sold", "cancelled", "refunded", "disputed", "gross"];
                            let got = ints(&t, &keys);
                            assert_eq!(texts(&t, "period"), expected.keys().cloned().collect::<Vec<_>>(), "{q:?}");
                            for (row, p) in got.iter().zip(expected.values()) {
                                assert_eq!(row.as_slice(), p.as_slice(), "orders differ for {q:?}");
                            }
                            for (r, p) in t.ints("aov").iter().zip(expected.values()) {
                                assert_eq!(*r, average(p[6], p[2]));
                            }
                            if currency == "USD" && category_id.is_none() {
                                let cancelled: i64 = expected.values().map(|p| p[3]).sum();
                                assert!(cancelled > 0, "no cancelled order: the check proves little");
                            }
                        }
                        ReportKind::Products => {
                            let mut by_product: BTreeMap<Uuid, (String, BTreeSet<Uuid>, [i64; 3])> = BTreeMap::new();
                            for i in raw.iter().filter(|i| sold(i) && in_scope(i, &q.scope, path)) {
                                let e = by_product
                                    .entry(i.product_id)
                                    .or_insert_with(|| (i.product_name.clone(), BTreeSet::new(), [0; 3]));
                                e.1.insert(i.order_id);
                                e.2[0] += i.quantity;
                                e.2[1] += i.subtotal_minor;
                                e.2[2] += i.refunded_quantity;
                            }
                            let mut expected: Vec<(i64, i64, String, i64, i64)> = by_product
                                .into_values()
                                .map(|(name, orders, s)| (s[1], s[0], name, orders.len() as i64, s[2]))
                                .collect();
                            expected.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
                            expected.truncate(TOP_PRODUCTS as usize);
                            let got: Vec<(i64, i64, String, i64, i64)> =
                                ints(&t, &["gross", "units", "orders", "refunded_units"])
                                    .into_iter()
                                    .zip(texts(&t, "product"))
                                    .map(|(v, name)| (v[0], v[1], name, v[2], v[3]))
                                    .collect();
                            // Equal gross and units may list in either order: compare the sets of each page.
                            assert_eq!(got.len(), expected.len(), "{q:?}");
                            assert_eq!(
                                got.iter().map(|g| (g.0, g.1)).collect::<Vec<_>>(),
                                expected.iter().map(|e| (e.0, e.1)).collect::<Vec<_>>(),
                                "top products differ for {q:?}"
                            );
                        }
                        ReportKind::Payouts | ReportKind::Users | ReportKind::Subscriptions => {}
                    }
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 2 * 3 * 6 * 3);

    // New users per period.
    let people: Vec<Person> = fetch_all!(lite.store, "SELECT role, created_at FROM users WHERE deleted_at IS NULL");
    let q = query(ReportKind::Users, Grain::Month, "USD");
    let t = lite.store.run_report(&q).await.unwrap();
    let mut expected: BTreeMap<String, [i64; 3]> = BTreeMap::new();
    for p in &people {
        let day = p.created_at.as_datetime().date_naive();
        if day >= q.scope.from && day <= q.scope.to && (p.role == "customer" || p.role == "vendor") {
            expected.entry(period_of(day, q.scope.grain)).or_default()[usize::from(p.role == "vendor")] += 1;
        }
    }
    let mut first: BTreeMap<Uuid, Timestamp> = BTreeMap::new();
    for i in raw.iter().filter(|i| sold(i)) {
        let e = first.entry(i.customer_id).or_insert(i.placed_at);
        if i.placed_at < *e {
            *e = i.placed_at;
        }
    }
    for at in first.values() {
        let day = at.as_datetime().date_naive();
        if day >= q.scope.from && day <= q.scope.to {
            expected.entry(period_of(day, q.scope.grain)).or_default()[2] += 1;
        }
    }
    assert_eq!(texts(&t, "period"), expected.keys().cloned().collect::<Vec<_>>());
    assert_eq!(
        ints(&t, &["customers", "vendors", "first_buyers"]),
        expected.values().map(|v| v.to_vec()).collect::<Vec<_>>()
    );
    assert!(expected.values().map(|v| v[2]).sum::<i64>() > 0);

    pg.finish().await;
    lite.finish().await;
}

/// The reconciliation flags exactly the payouts made inconsistent on purpose.
async fn payout_reconciliation_flags_what_does_not_match(store: &Store) {
    seeded(store).await;
    let q = query(ReportKind::Payouts, Grain::Month, "USD");
    let clean = store.run_report(&q).await.unwrap();
    assert!(clean.rows.len() > 3, "the seed paid too few USD payouts: {}", clean.rows.len());
    let issue = clean.column("issue").unwrap();
    assert!(clean.rows.iter().all(|r| r[issue].is_none()), "the seeded payouts reconcile");
    let totals = clean.totals.clone().unwrap();
    assert_eq!(totals[3], totals[4], "paid equals booked");

    let ids = texts(&clean, "payout");
    let (a, b) = (&ids[0], &ids[1]);
    exec(store, &format!("UPDATE payouts SET stripe_transfer_id = NULL WHERE id = '{a}'")).await;
    exec(store, &format!("UPDATE payouts SET status = 'processing' WHERE id = '{b}'")).await;
    if store.pg_pool().is_none() {
        // SQLite keeps uuids as blobs.
        exec(store, &format!("UPDATE payouts SET stripe_transfer_id = NULL WHERE id = X'{}'", a.replace('-', "")))
            .await;
        exec(store, &format!("UPDATE payouts SET status = 'processing' WHERE id = X'{}'", b.replace('-', ""))).await;
    }
    let t = store.run_report(&q).await.unwrap();
    let flagged: Vec<(String, String)> = t
        .rows
        .iter()
        .filter_map(|r| match (&r[issue], &r[t.column("payout").unwrap()]) {
            (Some(ReportValue::Text(i)), Some(ReportValue::Text(id))) => Some((id.clone(), i.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(flagged.len(), 2, "{flagged:?}");
    assert!(flagged.iter().any(|(id, i)| id == a && i.contains("without a Stripe transfer")), "{flagged:?}");
    assert!(flagged.iter().any(|(id, i)| id == b && i.contains("In flight")), "{flagged:?}");
    // The processing payout is booked but no longer counted as paid: the totals show the gap.
    let totals = t.totals.unwrap();
    let diff = totals[5].as_ref().and_then(ReportValue::as_int).unwrap();
    assert!(diff > 0, "booked exceeds paid by the in-flight payout: {diff}");
}

/// Exports write the table and its totals; bad ranges are refused; saved
/// definitions keep their filters, stay private unless shared, and refuse stale changes.
async fn reports_export_and_save(store: &Store) {
    seeded(store).await;
    let q = query(ReportKind::Commissions, Grain::Month, "USD");
    let table = store.run_report(&q).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("commissions.csv");
    let summary = store.export_report(&q, ExportFormat::Csv, &path, None).await.unwrap();
    assert_eq!(summary.rows, table.rows.len() as u64 + 1);
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), table.rows.len() + 2);
    assert!(lines[0].starts_with("Vendor,Orders,Units,Gross sales,Commission,Effective rate"));
    let gross = table.totals.as_ref().unwrap()[3].as_ref().and_then(ReportValue::as_int).unwrap();
    let last: Vec<&str> = lines.last().unwrap().split(',').collect();
    assert_eq!(last[0], "Total");
    assert_eq!(last[3], rust_decimal::Decimal::new(gross, 2).to_string());
    assert!(last[5].ends_with('%'));
    let xlsx = dir.path().join("orders.xlsx");
    let summary = store
        .export_report(&query(ReportKind::Orders, Grain::Quarter, "EUR"), ExportFormat::Xlsx, &xlsx, None)
        .await
        .unwrap();
    assert!(summary.rows > 1);
    assert_eq!(&std::fs::read(&xlsx).unwrap()[..2], b"PK");
    let runs = store.report_runs(None, 10).await.unwrap();
    assert_eq!(
        runs.iter().map(|r| (r.kind.as_str(), r.status.as_str())).collect::<Vec<_>>()[..2],
        [("orders", "succeeded"), ("commissions", "succeeded")]
    );

    let mut bad = q.clone();
    bad.scope.to = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    for kind in ReportKind::ALL {
        bad.kind = kind;
        assert!(matches!(store.run_report(&bad).await, Err(StoreError::Validation(m)) if m.contains("before")));
    }
    let failed = dir.path().join("bad.csv");
    assert!(store.export_report(&bad, ExportFormat::Csv, &failed, None).await.is_err());
    assert!(!failed.exists() && !dir.path().join("bad.csv.partial").exists());
    // A backwards range is refused before anything is recorded or written.
    let latest = &store.report_runs(None, 1).await.unwrap()[0];
    assert_eq!((latest.kind.as_str(), latest.status.as_str()), ("orders", "succeeded"));
    let folder = store.export_report(&q, ExportFormat::Csv, dir.path(), None).await.unwrap_err();
    assert!(folder.to_string().contains("is a folder"), "{folder}");
    assert_eq!(store.report_runs(None, 1).await.unwrap()[0].id, latest.id, "nothing recorded");

    let people: Vec<(Uuid,)> =
        fetch_all!(store, "SELECT id FROM users WHERE role IN ('finance', 'admin') ORDER BY email");
    let (me, colleague) = (people[0].0, people[1].0);
    let mut input =
        SaveReport { existing: None, name: "  EU commissions Q1  ".into(), query: q.clone(), is_shared: false };
    input.query.scope.currency = "EUR".parse().unwrap();
    let saved = store.save_report(me, &input).await.unwrap();
    assert_eq!(saved.name, "EU commissions Q1");
    assert_eq!(saved.query, input.query);
    assert!(store.saved_reports(colleague).await.unwrap().is_empty(), "private until shared");
    assert!(matches!(store.save_report(me, &input).await, Err(StoreError::Validation(m)) if m.contains("already")));
    for name in ["", "a\u{0}b", &"x".repeat(121)] {
        let bad = SaveReport { name: name.into(), ..input.clone() };
        assert!(matches!(store.save_report(me, &bad).await, Err(StoreError::Validation(_))), "{name:?}");
    }
    let shared = SaveReport { existing: Some((saved.id, saved.version)), is_shared: true, ..input.clone() };
    let shared = store.save_report(me, &shared).await.unwrap();
    assert_eq!(shared.version, saved.version + 1);
    assert_eq!(store.saved_reports(colleague).await.unwrap(), vec![shared.clone()]);
    // A stale version and a colleague's change are refused; nothing changes.
    let stale = SaveReport { existing: Some((saved.id, saved.version)), name: "Renamed".into(), ..input.clone() };
    assert!(matches!(store.save_report(me, &stale).await, Err(StoreError::VersionConflict { .. })));
    let theirs = SaveReport { existing: Some((saved.id, shared.version)), ..input.clone() };
    assert!(
        matches!(store.save_report(colleague, &theirs).await, Err(StoreError::Validation(m)) if m.contains("owner"))
    );
    assert!(store.delete_saved_report(colleague, saved.id, shared.version).await.is_err());
    assert_eq!(store.saved_reports(me).await.unwrap(), vec![shared.clone()]);
    store.delete_saved_report(me, saved.id, shared.version).await.unwrap();
    assert!(store.saved_reports(me).await.unwrap().is_empty());
}

/// A statement runs from the ledger's balance before the period to its
/// balance at the end, one line per movement; the PDF holds it all.
async fn vendor_statements_agree_with_the_ledger(store: &Store) {
    seeded(store).await;
    let vendor: (Uuid,) = fetch_all!(store, "SELECT id FROM users WHERE email = 'vendor@marketdesk.demo'")[0];
    let vendor = vendor.0;
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let q = StatementQuery {
        vendor_id: vendor,
        currency: "USD".parse().unwrap(),
        from: day(2025, 10, 1),
        to: day(2026, 1, 31),
    };
    let st = store.vendor_statement(&q).await.unwrap();
    assert!(st.lines.len() > 5, "the demo vendor moved money in four months: {}", st.lines.len());
    // What the ledger says the vendor is owed before a moment.
    let owed_before = |at: &str| {
        format!(
            "SELECT CAST(coalesce(-sum(e.amount_minor), 0) AS BIGINT) FROM ledger_entries e \
             JOIN ledger_transactions t ON t.id = e.transaction_id JOIN ledger_accounts a ON a.id = e.account_id \
             JOIN users u ON u.id = a.vendor_id WHERE u.email = 'vendor@marketdesk.demo' AND a.kind = 'liability' \
             AND e.currency = 'USD' AND t.occurred_at < '{at}'"
        )
    };
    let scalar = |rows: Vec<(i64,)>| rows[0].0;
    let (open_at, close_at) = if store.pg_pool().is_some() {
        ("2025-10-01T00:00:00Z", "2026-02-01T00:00:00Z")
    } else {
        ("2025-10-01T00:00:00.000000Z", "2026-02-01T00:00:00.000000Z")
    };
    assert_eq!(st.opening_minor, scalar(fetch_all!(store, &owed_before(open_at))));
    assert_eq!(st.closing_minor, scalar(fetch_all!(store, &owed_before(close_at))));
    let mut running = st.opening_minor;
    for l in &st.lines {
        running += l.amount_minor;
        assert_eq!(l.balance_minor, running);
        assert!(l.amount_minor != 0);
    }
    assert_eq!(running, st.closing_minor);
    assert_eq!(st.totals.iter().map(|(_, v)| v).sum::<i64>(), st.closing_minor - st.opening_minor);
    assert!(st.totals.iter().any(|(c, v)| c == "payment_captured" && *v > 0), "{:?}", st.totals);
    assert!(st.totals.iter().any(|(c, v)| c == "payout_executed" && *v < 0), "{:?}", st.totals);
    // From the beginning of time nothing is owed before.
    let all = store.vendor_statement(&StatementQuery { from: day(2020, 1, 1), ..q.clone() }).await.unwrap();
    assert_eq!(all.opening_minor, 0);
    assert_eq!(all.closing_minor, st.closing_minor);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("statement.pdf");
    let summary = store.export_vendor_statement(&all.query, &path, None).await.unwrap();
    assert_eq!(summary.rows, all.lines.len() as u64);
    let pdf = std::fs::read(&path).unwrap();
    assert!(pdf.starts_with(b"%PDF-") && pdf.trim_ascii_end().ends_with(b"%%EOF"));
    let text = String::from_utf8_lossy(&pdf);
    let pages = (1..200).rev().find(|n| text.contains(&format!("(Page {n} of {n})"))).expect("numbered pages");
    assert!(pages > 1, "a long statement spans pages");
    // At most about fifty rows fit on a page: every movement is on one.
    assert!(pages * 52 >= all.lines.len() && (pages - 1) * 30 < all.lines.len(), "{pages} pages");
    assert!(text.contains(&format!("/Count {pages}")), "page count {pages}");
    assert!(text.contains(&format!("(Page {pages} of {pages})")));
    assert!(text.contains(&format!("({})", all.vendor_name)));
    assert!(text.contains("(Sales less commission)") && text.contains("(Payout to your bank)"));
    let run = &store.report_runs(None, 1).await.unwrap()[0];
    assert_eq!(
        (run.kind.as_str(), run.export_format.as_deref(), run.status.as_str()),
        ("vendors", Some("pdf"), "succeeded")
    );

    let nobody = StatementQuery { vendor_id: Uuid::now_v7(), ..q.clone() };
    assert!(matches!(store.vendor_statement(&nobody).await, Err(StoreError::NotFound { .. })));
    let backwards = StatementQuery { to: day(2020, 1, 1), ..q.clone() };
    assert!(matches!(store.vendor_statement(&backwards).await, Err(StoreError::Validation(_))));
    let failed = dir.path().join("bad.pdf");
    assert!(store.export_vendor_statement(&nobody, &failed, None).await.is_err());
    assert!(!failed.exists() && !dir.path().join("bad.pdf.partial").exists());
    assert_eq!(store.report_runs(None, 1).await.unwrap()[0].status, "failed", "a run that failed says so");
}

#[derive(sqlx::FromRow)]
struct Sub {
    status: String,
    created_at: Timestamp,
    cancelled_at: Option<Timestamp>,
    trial_ends_at: Option<Timestamp>,
    price_minor: i64,
    interval: String,
}

/// Subscriptions: each period starts where the last ended, active at start +
/// new − cancelled = active at end, and the recurring revenue equals the plans'
/// monthly prices of the subscriptions paying at the end (yearly at a twelfth).
async fn subscriptions_add_up(store: &Store) {
    seeded(store).await;
    let q = query(ReportKind::Subscriptions, Grain::Month, "USD");
    let t = store.run_report(&q).await.unwrap();
    let rows = ints(&t, &["active_start", "new", "cancelled", "active_end", "mrr"]);
    assert_eq!(rows.len(), 15, "one row per month from 2025-01 to 2026-03");
    for r in &rows {
        assert_eq!(r[0] + r[1] - r[2], r[3], "{r:?}");
    }
    for w in rows.windows(2) {
        assert_eq!(w[0][3], w[1][0]);
    }
    assert!(rows.last().unwrap()[3] > 0 && rows.last().unwrap()[4] > 0, "the seed has paying subscribers");
    let subs: Vec<Sub> = fetch_all!(
        store,
        "SELECT s.status, s.created_at, s.cancelled_at, s.trial_ends_at, p.price_minor, p.interval \
         FROM subscriptions s JOIN subscription_plans p ON p.id = s.plan_id \
         WHERE s.deleted_at IS NULL AND s.status <> 'incomplete' AND p.currency = 'USD'"
    );
    let end = Timestamp::parse("2026-03-15T00:00:00Z").unwrap();
    let paying = subs.iter().filter(|s| {
        s.created_at < end
            && s.cancelled_at.is_none_or(|c| c >= end)
            && s.trial_ends_at.is_none_or(|e| e <= end)
            && s.status != "unpaid"
    });
    let mrr: rust_decimal::Decimal = paying
        .map(|s| {
            let p = rust_decimal::Decimal::from(s.price_minor);
            if s.interval == "year" { p / rust_decimal::Decimal::from(12) } else { p }
        })
        .sum();
    let mrr: i64 =
        mrr.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointNearestEven).try_into().unwrap();
    assert_eq!(rows.last().unwrap()[4], mrr);
    // The totals row spans the range.
    let totals = t.totals.unwrap();
    assert_eq!(totals[1].as_ref().and_then(ReportValue::as_int), Some(rows[0][0]));
    assert_eq!(totals[4].as_ref().and_then(ReportValue::as_int), Some(rows.last().unwrap()[3]));
}

on_both_engines!(
    subscriptions_add_up,
    payout_reconciliation_flags_what_does_not_match,
    reports_export_and_save,
    vendor_statements_agree_with_the_ledger
);
