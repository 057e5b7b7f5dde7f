//! `cargo xtask bench desktops [--desktops 200] [--seconds 60] [--orders 100000]
//! [--think-ms 1000]`: many simulated desktops against one PostgreSQL on
//! loopback, for a bounded time. Each desktop is a person's own store and
//! login (row-level security applies): one in ten an admin, one in ten a
//! finance person, the rest a vendor each (the seed makes one per 500
//! orders), doing
//! what people do, with a pause between clicks: the orders list, then for the
//! admin an order's page and a note written on it, for finance a revenue
//! report (every tenth click the ledger's balances instead), for a vendor
//! their own products. Prints per operation
//! how many ran, how many failed, p50 and p99, beside the same operation by
//! one desktop alone (the baseline, measured first in the same process). A
//! private SCRAM cluster is made for the run.

use marketdesk_core::domain::periods::Grain;
use marketdesk_core::domain::{Currency, Role, Timestamp};
use marketdesk_core::orders::timeline::add_note;
use marketdesk_core::orders::view::{Reader, order_for};
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::order_lens::OrderLens;
use marketdesk_core::store::orders::OrderFilter;
use marketdesk_core::store::products::ProductFilter;
use marketdesk_core::store::reports::RevenueQuery;
use marketdesk_core::store::{DatabaseUrl, OpenOptions, PageRequest, Store};
use marketdesk_test_support::PrivateCluster;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use uuid::Uuid;

const PASSWORD: &str = "load-test-password";

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// One simulated person at a desktop.
#[derive(Clone, Copy)]
struct Person {
    id: Uuid,
    role: Role,
}

/// What one desktop measured: per operation, times in ms and failures.
#[derive(Default)]
struct Tally {
    times: BTreeMap<&'static str, Vec<f64>>,
    errors: BTreeMap<&'static str, Vec<String>>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        for (k, v) in other.times {
            self.times.entry(k).or_default().extend(v);
        }
        for (k, v) in other.errors {
            self.errors.entry(k).or_default().extend(v);
        }
    }
}

async fn timed<T, E: std::fmt::Display>(
    tally: &mut Tally,
    op: &'static str,
    work: impl std::future::Future<Output = Result<T, E>>,
) -> Option<T> {
    let start = Instant::now();
    let result = work.await;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    match result {
        Ok(v) => {
            tally.times.entry(op).or_default().push(ms);
            Some(v)
        }
        Err(e) => {
            tally.errors.entry(op).or_default().push(e.to_string());
            None
        }
    }
}

/// One round of a person's work: a list, a read, a write.
async fn one_round(store: &Store, who: Person, round: usize, q: &RevenueQuery, tally: &mut Tally) {
    let lens = OrderLens::of(who.role, who.id).expect("a staff lens");
    let list = match who.role {
        Role::Admin => "orders list (admin)",
        Role::Finance => "orders list (finance)",
        _ => "orders list (vendor)",
    };
    let page = timed(tally, list, store.list_orders(&lens, &OrderFilter::default(), &PageRequest::default())).await;
    let order = page.filter(|p| !p.items.is_empty()).map(|p| p.items[round % p.items.len()].id);
    let reader = Reader { id: who.id, role: who.role };
    match who.role {
        Role::Finance if round.is_multiple_of(10) => {
            timed(tally, "ledger balances", store.account_balances(Some(Currency::USD))).await;
        }
        Role::Finance => {
            timed(tally, "revenue report", store.revenue_report(q)).await;
        }
        Role::Vendor => {
            let mine = ProductFilter { vendor_id: Some(who.id), ..Default::default() };
            timed(tally, "own products", store.list_products(&mine, &PageRequest::default())).await;
        }
        _ => {
            if let Some(order) = order {
                timed(tally, "order page", order_for(store, reader, order)).await;
                timed(tally, "order note (write)", add_note(store, reader, order, "called the customer back")).await;
            }
        }
    }
}

/// A desktop: its own store, rounds with a pause between them until `until`.
async fn desktop(url: String, who: Person, until: Instant, think: Duration, q: RevenueQuery, seed: u64) -> Tally {
    let mut tally = Tally::default();
    let store = match Store::open(&DatabaseUrl::parse(&url).unwrap(), &OpenOptions::default().desktop()).await {
        Ok(s) => s,
        Err(e) => {
            tally.errors.entry("sign-in").or_default().push(e.to_string());
            return tally;
        }
    };
    // Desktops do not click in step: each starts and pauses a little differently.
    let jitter = |i: u64| Duration::from_millis((seed.wrapping_mul(2_654_435_761).wrapping_add(i * 97)) % 200);
    tokio::time::sleep(jitter(0)).await;
    let mut round = 0;
    while Instant::now() < until {
        one_round(&store, who, round, &q, &mut tally).await;
        round += 1;
        tokio::time::sleep(think + jitter(round as u64)).await;
    }
    store.close().await;
    tally
}

fn percentile(sorted: &[f64], p: usize) -> f64 {
    sorted[((sorted.len() * p).div_ceil(100)).saturating_sub(1)]
}

#[tokio::main]
async fn main() {
    let desktops = arg("--desktops", 200) as usize;
    let seconds = arg("--seconds", 60);
    // Enough orders for a vendor per desktop (the seed makes one per 500 orders).
    let orders = arg("--orders", (desktops as u64 * 500).max(5_000));
    let think = Duration::from_millis(arg("--think-ms", 1000));

    // A connection or two per desktop, and room for the owner's.
    let cluster = PrivateCluster::start_with(&format!("-c max_connections={}", desktops * 2 + 50));
    let owner_url = cluster.url(&cluster.password, "postgres");
    let owner = Store::open(&DatabaseUrl::parse(&owner_url).unwrap(), &OpenOptions::default()).await.unwrap();
    owner.migrate(|_| {}).await.unwrap();
    let mut options = SeedOptions::new(orders);
    options.end = Timestamp::now();
    seed(&owner, &options, |_| {}).await.unwrap();
    let db = owner.pg_pool().unwrap().clone();
    // People at the desktops, one each: one in ten an admin, one in ten a
    // finance person (added to the seed's staff), the rest a vendor each.
    let seats_of_staff = desktops.div_ceil(10);
    for k in 0..seats_of_staff {
        for role in ["admin", "finance"] {
            sqlx::query("INSERT INTO users (id, email, username, display_name, role) VALUES ($1, $2, $3, $4, $5)")
                .bind(Uuid::now_v7())
                .bind(format!("{role}{k}@load.marketdesk.test"))
                .bind(format!("load-{role}{k}"))
                .bind(format!("Load {role} {k}"))
                .bind(role)
                .execute(&db)
                .await
                .unwrap();
        }
    }
    let people: Vec<(Uuid, String)> = sqlx::query_as(
        "(SELECT id, role FROM users WHERE email LIKE '%@load.marketdesk.test' ORDER BY role, email) \
         UNION ALL (SELECT id, role FROM users WHERE role = 'vendor' AND status = 'active' ORDER BY email LIMIT $1)",
    )
    .bind(i64::try_from(desktops).unwrap())
    .fetch_all(&db)
    .await
    .unwrap();
    let mut logins = Vec::new();
    for (id, role) in &people {
        let login: String =
            sqlx::query_scalar("SELECT md_enable_login($1, $2)").bind(id).bind(PASSWORD).fetch_one(&db).await.unwrap();
        let role = match role.as_str() {
            "admin" => Role::Admin,
            "finance" => Role::Finance,
            _ => Role::Vendor,
        };
        logins.push((Person { id: *id, role }, login));
    }
    let (admins, rest) = logins.split_at(seats_of_staff);
    let (finance, vendors) = rest.split_at(seats_of_staff);
    let seat = |d: usize| match d % 10 {
        0 => &admins[d / 10],
        1 => &finance[d / 10],
        _ => &vendors[d % vendors.len()],
    };
    let today = Timestamp::now().as_datetime().date_naive();
    let q = RevenueQuery {
        from: today - chrono::Duration::days(90),
        to: today,
        currency: Currency::USD,
        grain: Grain::Week,
        vendor_id: None,
        category_id: None,
    };

    // Baseline: each kind of person alone.
    let mut alone = Tally::default();
    for (who, login) in [&admins[0], &finance[0], &vendors[0]] {
        let url = format!("postgres://{login}:{PASSWORD}@127.0.0.1:{}/postgres", cluster.port);
        let until = Instant::now() + Duration::from_secs(4);
        alone.merge(desktop(url, *who, until, Duration::from_millis(20), q.clone(), 1).await);
    }

    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    // The most connections the server held at once, sampled each second.
    let sampler = {
        let db = db.clone();
        tokio::spawn(async move {
            let mut peak = 0i64;
            loop {
                tokio::time::sleep(Duration::from_secs(1)).await;
                let n: Result<i64, _> =
                    sqlx::query_scalar("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")
                        .fetch_one(&db)
                        .await;
                peak = peak.max(n.unwrap_or(0));
                if Instant::now() > until {
                    return peak;
                }
            }
        })
    };
    let mut tasks = tokio::task::JoinSet::new();
    for d in 0..desktops {
        let (who, login) = seat(d);
        let url = format!("postgres://{login}:{PASSWORD}@127.0.0.1:{}/postgres", cluster.port);
        tasks.spawn(desktop(url, *who, until, think, q.clone(), d as u64));
    }
    let mut load = Tally::default();
    while let Some(t) = tasks.join_next().await {
        load.merge(t.unwrap());
    }
    let wall = started.elapsed().as_secs_f64();
    let peak = sampler.await.unwrap();

    println!(
        "{desktops} desktops ({} people) on one PostgreSQL for {seconds} s, {think:?} between clicks, {orders} seeded orders; at most {peak} connections open at once:",
        logins.len()
    );
    println!(
        "  {:<20} {:>7} {:>7} {:>9} {:>9} {:>14} {:>8}",
        "operation", "count", "errors", "p50 ms", "p99 ms", "alone p50 ms", "ratio"
    );
    let mut total_errors = 0;
    for (op, times) in &mut load.times {
        times.sort_by(f64::total_cmp);
        let errors = load.errors.get(op).map_or(0, Vec::len);
        total_errors += errors;
        let base = alone.times.get_mut(op).map(|t| {
            t.sort_by(f64::total_cmp);
            percentile(t, 50)
        });
        let (p50, p99) = (percentile(times, 50), percentile(times, 99));
        println!(
            "  {op:<20} {:>7} {errors:>7} {p50:>9.1} {p99:>9.1} {:>14} {:>8}",
            times.len(),
            base.map_or("-".into(), |b| format!("{b:.1}")),
            base.map_or("-".into(), |b| format!("{:.2}", p50 / b)),
        );
    }
    for (op, errors) in &load.errors {
        if !load.times.contains_key(op) {
            total_errors += errors.len();
            println!("  {op:<20} {:>7} {:>7}", 0, errors.len());
        }
        if let Some(first) = errors.first() {
            println!("    first {op} error: {first}");
        }
    }
    let ops: usize = load.times.values().map(Vec::len).sum();
    println!("  {ops} operations in {wall:.1} s ({:.0}/s), {total_errors} errors", ops as f64 / wall);
    owner.close().await;
}
