//! Shared ground for the money tests: a seeded marketplace database of its own
//! on the machine's PostgreSQL, and checks that the ledger is whole.

use crate::admin_url;
use crate::stripe_fake::StripeFake;
use marketdesk_core::domain::{Currency, Timestamp};
use marketdesk_core::integrations::stripe::StripeGateway;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};
use sqlx::{Connection, Executor, PgConnection};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A seeded database of one test, dropped at its end.
pub struct Db {
    /// The store on it (as the database owner).
    pub store: Store,
    /// Its URL.
    pub url: String,
    name: String,
}

impl Db {
    /// Closes the store and drops the database.
    pub async fn drop_database(self) {
        self.store.close().await;
        let mut conn = PgConnection::connect(&admin_url()).await.unwrap();
        let _ = conn.execute(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name).as_str()).await;
    }
}

/// 4,000 orders of history ending 2026-04-01 (a dozen vendors).
pub fn seed_options() -> SeedOptions {
    let mut options = SeedOptions::new(4_000);
    options.end = Timestamp::parse("2026-04-01T00:00:00Z").unwrap();
    options
}

/// A new database on the machine's PostgreSQL, migrated and seeded.
pub async fn seeded_pg() -> Db {
    let name = format!("md_money_{}", Uuid::now_v7().simple());
    let admin = admin_url();
    let mut conn = PgConnection::connect(&admin).await.unwrap();
    conn.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap();
    let mut url = url::Url::parse(&admin).unwrap();
    url.set_path(&name);
    let url = url.to_string();
    let store = Store::open(&DatabaseUrl::parse(&url).unwrap(), &OpenOptions::default()).await.unwrap();
    store.migrate(|_| {}).await.unwrap();
    seed(&store, &seed_options(), |_| {}).await.unwrap();
    Db { store, url, name }
}

/// The id of the person signing in as `login`.
pub async fn user_id(store: &Store, login: &str) -> Uuid {
    store.user_for_login(login).await.unwrap().unwrap().0.id
}

/// The real Stripe client pointed at `fake`.
pub fn gateway(fake: &StripeFake) -> StripeGateway {
    StripeGateway::new("sk_test_marketdesk", &fake.server.uri()).unwrap()
}

/// One number from `sql`.
pub async fn count(url: &str, sql: &str) -> i64 {
    let mut conn = PgConnection::connect(url).await.unwrap();
    sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
}

/// Every currency's accounts sum to zero, and every transaction balances.
pub async fn assert_ledger_whole(store: &Store, url: &str) {
    let mut per_currency: BTreeMap<Currency, i64> = BTreeMap::new();
    for a in store.account_balances(None).await.unwrap() {
        *per_currency.entry(a.currency).or_default() += a.balance_minor;
    }
    assert!(per_currency.values().all(|s| *s == 0), "trial balance: {per_currency:?}");
    let unbalanced = count(
        url,
        "SELECT count(*) FROM (SELECT transaction_id, currency FROM ledger_entries GROUP BY 1, 2 HAVING sum(amount_minor) <> 0) x",
    )
    .await;
    assert_eq!(unbalanced, 0, "unbalanced ledger transactions");
}
