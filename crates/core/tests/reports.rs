//! Revenue reports: the same numbers on PostgreSQL and SQLite, equal to a
//! plain-Rust computation over the raw rows; vendors' earnings and
//! subscriptions; settings.

use marketdesk_test_support::databases as support;
use marketdesk_test_support::on_both_engines;

use marketdesk_core::Store;
use marketdesk_core::domain::order_lifecycle::{Action, transition};
use marketdesk_core::domain::periods::{Grain, period_of};
use marketdesk_core::domain::{Currency, Timestamp};
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::StoreError;
use marketdesk_core::store::order_lens::OrderLens;
use marketdesk_core::store::payouts::{PayoutFilter, PayoutSort};
use marketdesk_core::store::reports::{RevenueQuery, RevenueReport, RevenueRow};
use marketdesk_core::store::{PageRequest, SortDir};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

const SOLD: &[&str] =
    &["paid", "processing", "partially_shipped", "shipped", "delivered", "refunded", "partially_refunded", "disputed"];

#[derive(sqlx::FromRow)]
struct Raw {
    order_id: Uuid,
    vendor_id: Uuid,
    category_path: String,
    status: String,
    currency: Currency,
    placed_at: Timestamp,
    quantity: i64,
    subtotal_minor: i64,
    commission_minor: i64,
    refunded_minor: i64,
}

async fn raw_rows(store: &Store) -> Vec<Raw> {
    let q = "SELECT o.id AS order_id, i.vendor_id, c.path AS category_path, o.status, o.currency, o.placed_at, \
             CAST(i.quantity AS BIGINT) AS quantity, i.subtotal_minor, i.commission_minor, \
             CAST(i.refunded_quantity * i.unit_price_minor AS BIGINT) AS refunded_minor \
             FROM order_items i JOIN orders o ON o.id = i.order_id JOIN products p ON p.id = i.product_id \
             JOIN categories c ON c.id = p.category_id";
    if let Some(p) = store.pg_pool() {
        sqlx::query_as(q).fetch_all(p).await.unwrap()
    } else {
        sqlx::query_as(q).fetch_all(store.sqlite_pool().unwrap()).await.unwrap()
    }
}

/// The report computed in plain Rust (rows per period and the total; no top lists).
fn reference(rows: &[Raw], q: &RevenueQuery, category_path: Option<&str>) -> (Vec<RevenueRow>, RevenueRow) {
    let mut periods: BTreeMap<String, (BTreeSet<Uuid>, RevenueRow)> = BTreeMap::new();
    for r in rows {
        let day = r.placed_at.as_datetime().date_naive();
        let keep = SOLD.contains(&r.status.as_str())
            && r.currency == q.currency
            && day >= q.from
            && day <= q.to
            && q.vendor_id.is_none_or(|v| v == r.vendor_id)
            && category_path.is_none_or(|p| r.category_path.starts_with(p));
        if !keep {
            continue;
        }
        let label = period_of(day, q.grain);
        let (orders, row) = periods.entry(label.clone()).or_insert_with(|| (BTreeSet::new(), RevenueRow::default()));
        row.period = label;
        orders.insert(r.order_id);
        row.units += r.quantity;
        row.gross_minor += r.subtotal_minor;
        row.commission_minor += r.commission_minor;
        row.refunded_minor += r.refunded_minor;
    }
    let mut total = RevenueRow { period: "total".into(), ..Default::default() };
    let rows: Vec<RevenueRow> = periods
        .into_values()
        .map(|(orders, mut row)| {
            row.orders = orders.len() as i64;
            total.orders += row.orders;
            total.units += row.units;
            total.gross_minor += row.gross_minor;
            total.commission_minor += row.commission_minor;
            total.refunded_minor += row.refunded_minor;
            row
        })
        .collect();
    (rows, total)
}

fn query(grain: Grain, currency: &str) -> RevenueQuery {
    RevenueQuery {
        from: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        to: chrono::NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
        currency: currency.parse().unwrap(),
        grain,
        vendor_id: None,
        category_id: None,
    }
}

async fn seeded(store: &Store) {
    let mut o = SeedOptions::new(800);
    o.end = Timestamp::parse("2026-03-15T00:00:00Z").unwrap();
    o.seed = 11;
    seed(store, &o, |_| {}).await.expect("seed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revenue_is_the_same_on_both_engines_and_equals_the_reference() {
    let pg = support::pg().await;
    let lite = support::sqlite().await;
    seeded(&pg.store).await;
    seeded(&lite.store).await;
    let raw = raw_rows(&lite.store).await;

    // The biggest vendor and a top-level category, to exercise the filters.
    let full = lite.store.revenue_report(&query(Grain::Month, "USD")).await.unwrap();
    let vendor = full.top_vendors.first().expect("a vendor sold something").id;
    let category = full.top_categories.first().expect("a category sold something").id;
    let category_path: String = sqlx::query_scalar("SELECT path FROM categories WHERE id = $1")
        .bind(category)
        .fetch_one(lite.store.sqlite_pool().unwrap())
        .await
        .unwrap();

    let mut checked = 0;
    for grain in [Grain::Day, Grain::Week, Grain::Month, Grain::Quarter] {
        for currency in ["USD", "EUR"] {
            for (vendor_id, category_id) in [(None, None), (Some(vendor), None), (None, Some(category))] {
                let q = RevenueQuery { vendor_id, category_id, ..query(grain, currency) };
                let on_pg: RevenueReport = pg.store.revenue_report(&q).await.unwrap();
                let on_lite = lite.store.revenue_report(&q).await.unwrap();
                assert_eq!(on_pg, on_lite, "engines differ for {q:?}");
                let path = category_id.map(|_| category_path.as_str());
                let (rows, total) = reference(&raw, &q, path);
                assert_eq!(on_lite.rows, rows, "rows differ from the reference for {q:?}");
                assert_eq!(on_lite.total, total, "total differs from the reference for {q:?}");
                if currency == "USD" || (vendor_id.is_none() && category_id.is_none()) {
                    assert!(total.gross_minor > 0, "nothing sold for {q:?}: the check would prove nothing");
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 24);

    // The top lists are the largest, in order, and never more than ten.
    for top in [&full.top_vendors, &full.top_categories] {
        assert!(!top.is_empty() && top.len() <= 10);
        assert!(top.windows(2).all(|w| w[0].gross_minor >= w[1].gross_minor));
    }
    let mut by_vendor: BTreeMap<Uuid, i64> = BTreeMap::new();
    let q = query(Grain::Month, "USD");
    for r in raw.iter().filter(|r| SOLD.contains(&r.status.as_str()) && r.currency == q.currency) {
        let day = r.placed_at.as_datetime().date_naive();
        if day >= q.from && day <= q.to {
            *by_vendor.entry(r.vendor_id).or_default() += r.subtotal_minor;
        }
    }
    let biggest = by_vendor.values().max().copied().unwrap();
    assert_eq!(full.top_vendors[0].gross_minor, biggest);

    pg.finish().await;
    lite.finish().await;
}

async fn bad_ranges_are_refused(store: &Store) {
    let mut q = query(Grain::Month, "USD");
    q.to = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    assert!(matches!(store.revenue_report(&q).await, Err(StoreError::Validation(m)) if m.contains("before")));
    q.from = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    assert!(matches!(store.revenue_report(&q).await, Err(StoreError::Validation(m)) if m.contains("ten years")));
    // An empty database gives an empty report, not an error.
    let empty = store.revenue_report(&query(Grain::Month, "USD")).await.unwrap();
    assert!(empty.rows.is_empty() && empty.total.gross_minor == 0 && empty.top_vendors.is_empty());
}

async fn vendors_see_their_earnings_subscription_and_settings(store: &Store) {
    seeded(store).await;
    let demo_vendor: Uuid = {
        let q = "SELECT id FROM users WHERE email = 'vendor@marketdesk.demo'";
        if let Some(p) = store.pg_pool() {
            sqlx::query_scalar(q).fetch_one(p).await.unwrap()
        } else {
            sqlx::query_scalar(q).fetch_one(store.sqlite_pool().unwrap()).await.unwrap()
        }
    };
    let raw = raw_rows(store).await;
    let earnings = store.vendor_earnings(demo_vendor).await.unwrap();
    assert!(!earnings.is_empty());
    for e in &earnings {
        let mine = raw
            .iter()
            .filter(|r| r.vendor_id == demo_vendor && r.currency == e.currency && SOLD.contains(&r.status.as_str()));
        let (sales, commission) = mine.fold((0, 0), |(s, c), r| (s + r.subtotal_minor, c + r.commission_minor));
        assert_eq!((e.sales_minor, e.commission_minor), (sales, commission), "{}", e.currency);
        // Paid out equals the paid payouts the payouts list shows.
        let filter = PayoutFilter { vendor_id: Some(demo_vendor), ..Default::default() };
        let page = PageRequest { sort: PayoutSort::default(), dir: SortDir::Desc, after: None, limit: 500 };
        let listed: i64 = store
            .list_payouts(&filter, &page)
            .await
            .unwrap()
            .items
            .iter()
            .filter(|p| p.currency == e.currency && p.status.as_str() == "paid")
            .map(|p| p.amount_minor)
            .sum();
        assert_eq!(e.paid_out_minor, listed);
        // What is owed never exceeds what was earned after commission and payouts.
        assert!(e.owed_minor <= e.sales_minor - e.commission_minor - e.paid_out_minor, "{e:?}");
    }
    let sub = store.vendor_subscription(demo_vendor).await.unwrap().expect("the demo vendor subscribes");
    assert!(!sub.plan_name.is_empty() && sub.price_minor >= 0);
    assert!(store.vendor_subscription(Uuid::now_v7()).await.unwrap().is_none());

    let settings = store.platform_settings().await.unwrap();
    assert!(!settings.is_empty());
    assert!(settings.windows(2).all(|w| w[0].key < w[1].key));
    assert!(settings.iter().all(|s| serde_json::from_str::<serde_json::Value>(&s.value).is_ok()));
}

on_both_engines!(bad_ranges_are_refused, vendors_see_their_earnings_subscription_and_settings);

/// The rollup rows by natural key (ids, versions and times left out), for comparing.
async fn rollup_rows(store: &Store) -> Vec<String> {
    let money = "units || '|' || gross_minor || '|' || commission_minor || '|' || refunded_minor";
    let nonzero = "WHERE units <> 0 OR gross_minor <> 0 OR commission_minor <> 0 OR refunded_minor <> 0";
    let queries = [
        format!(
            "SELECT CAST(day AS TEXT) || '|' || currency || '|' || orders || '|' || {money} FROM sales_daily_totals {nonzero}"
        ),
        format!(
            "SELECT CAST(day AS TEXT) || '|' || lower(hex(vendor_id)) || '|' || currency || '|' || orders || '|' || {money} \
             FROM sales_daily_vendors {nonzero}"
        ),
        format!(
            "SELECT CAST(day AS TEXT) || '|' || lower(hex(category_id)) || '|' || currency || '|' || {money} \
             FROM sales_daily_categories {nonzero}"
        ),
        format!(
            "SELECT CAST(day AS TEXT) || '|' || lower(hex(vendor_id)) || '|' || lower(hex(category_id)) || '|' || currency \
             || '|' || {money} FROM sales_daily {nonzero}"
        ),
        format!(
            "SELECT 'month ' || CAST(month AS TEXT) || '|' || lower(hex(vendor_id)) || '|' || currency || '|' || orders || '|' \
             || {money} FROM sales_monthly_vendors {nonzero}"
        ),
        format!(
            "SELECT 'month ' || CAST(month AS TEXT) || '|' || lower(hex(category_id)) || '|' || currency || '|' || {money} \
             FROM sales_monthly_categories {nonzero}"
        ),
    ];
    let mut out = Vec::new();
    for q in queries {
        let mut rows: Vec<String> = if let Some(p) = store.pg_pool() {
            let q = q
                .replace("lower(hex(vendor_id))", "vendor_id::text")
                .replace("lower(hex(category_id))", "category_id::text");
            sqlx::query_scalar(&q).fetch_all(p).await.unwrap()
        } else {
            sqlx::query_scalar(&q).fetch_all(store.sqlite_pool().unwrap()).await.unwrap()
        };
        rows.sort();
        out.extend(rows);
    }
    out
}

async fn exec(store: &Store, sql: &str, id: Uuid) {
    if let Some(p) = store.pg_pool() {
        sqlx::query(sql).bind(id).execute(p).await.unwrap();
    } else {
        sqlx::query(sql).bind(id).execute(store.sqlite_pool().unwrap()).await.unwrap();
    }
}

async fn ids(store: &Store, sql: &str) -> Vec<Uuid> {
    if let Some(p) = store.pg_pool() {
        sqlx::query_scalar(sql).fetch_all(p).await.unwrap()
    } else {
        sqlx::query_scalar(sql).fetch_all(store.sqlite_pool().unwrap()).await.unwrap()
    }
}

/// Random sequences of status changes, refunds, refund corrections and
/// deletions: after each, the report from the rollups equals the raw query, and
/// rebuilding from scratch leaves the rollups exactly as the triggers kept them.
async fn rollups_follow_random_changes(store: &Store) {
    use marketdesk_core::domain::OrderStatus;
    use rand::{Rng, SeedableRng};
    seeded(store).await;
    let orders = ids(store, "SELECT id FROM orders ORDER BY id").await;
    let items = ids(store, "SELECT id FROM order_items ORDER BY id").await;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2026);
    let vendor = ids(store, "SELECT id FROM users WHERE email = 'vendor@marketdesk.demo'").await[0];
    let mut moved = 0;
    for round in 0..6 {
        for _ in 0..25 {
            match rng.gen_range(0..10) {
                0..=4 => {
                    let id = orders[rng.gen_range(0..orders.len())];
                    let detail = store.order(&OrderLens::Full, id).await.unwrap().order;
                    let next = detail.status.next();
                    if !next.is_empty() {
                        let to: OrderStatus = next[rng.gen_range(0..next.len())];
                        // A plain move goes through the core; refunds, cancellations and
                        // disputes have functions of their own: their status is set directly.
                        match transition(detail.status, to) {
                            Some(t) if t.action == Action::Move => {
                                store.set_order_status(id, detail.version, to, t.by[0]).await.unwrap();
                            }
                            _ => exec(store, &format!("UPDATE orders SET status = '{to}' WHERE id = $1"), id).await,
                        }
                        moved += 1;
                    }
                }
                5..=6 => {
                    let id = items[rng.gen_range(0..items.len())];
                    exec(store, "UPDATE order_items SET refunded_quantity = refunded_quantity + 1 WHERE id = $1 AND refunded_quantity < quantity", id).await;
                }
                7 => {
                    let id = items[rng.gen_range(0..items.len())];
                    exec(store, "UPDATE order_items SET refunded_quantity = refunded_quantity - 1 WHERE id = $1 AND refunded_quantity > 0", id).await;
                }
                8 => {
                    let id = orders[rng.gen_range(0..orders.len())];
                    exec(store, "UPDATE orders SET status = 'cancelled' WHERE id = $1", id).await;
                }
                _ => {
                    let id = orders[rng.gen_range(0..orders.len())];
                    exec(
                        store,
                        "UPDATE orders SET status = 'paid' WHERE id = $1 AND status IN ('pending', 'cancelled')",
                        id,
                    )
                    .await;
                }
            }
        }
        for grain in [Grain::Day, Grain::Month, Grain::Quarter] {
            for currency in ["USD", "EUR"] {
                // Whole months with a ragged end, a ragged start, and days inside one month.
                let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
                for (from, to) in [
                    (day(2025, 1, 1), day(2026, 3, 14)),
                    (day(2025, 6, 17), day(2026, 2, 28)),
                    (day(2025, 11, 3), day(2025, 11, 27)),
                ] {
                    for vendor_id in [None, Some(vendor)] {
                        let q = RevenueQuery { vendor_id, from, to, ..query(grain, currency) };
                        let fast = store.revenue_report(&q).await.unwrap();
                        let raw = store.revenue_report_raw(&q).await.unwrap();
                        assert_eq!(fast, raw, "round {round}: rollups and raw differ for {q:?}");
                    }
                }
            }
        }
    }
    assert!(moved > 20, "the sequence moved only {moved} orders");
    let kept = rollup_rows(store).await;
    assert!(!kept.is_empty());
    store.rebuild_sales_rollups().await.unwrap();
    assert_eq!(rollup_rows(store).await, kept, "a rebuild disagrees with what the triggers kept");
}

on_both_engines!(rollups_follow_random_changes);
