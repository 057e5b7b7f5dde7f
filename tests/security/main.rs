//! The attack suite: the database decides who sees and changes what, so each
//! test attacks it as a hostile person would, over that person's own SCRAM
//! connection to a private cluster migrated and seeded by the core, with raw
//! SQL a home-built client could send. One module per attack class; each
//! module's inventory check fails when a new table, function or notification
//! channel appears without being attacked here.

mod analytics_events;
mod audit_trail;
mod catalog;
mod customers;
mod disputes;
mod four_eyes;
mod grants;
mod images;
mod jobs;
mod leaks;
mod lifecycle;
mod locks;
mod manual_orders;
mod marketplaces;
mod matrix;
mod notifications;
mod onboarding;
mod shadowing;
mod stock;
mod warehouse;

use marketdesk_core::domain::Timestamp;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};
use marketdesk_test_support::PrivateCluster;
use sqlx::{Connection, PgConnection};
use uuid::Uuid;

/// Every test person's password.
pub const PASSWORD: &str = "correct-horse-battery-staple";

/// One signed-in person: their users row and their own connection.
pub struct Person {
    pub name: &'static str,
    pub id: Uuid,
    pub login: String,
    pub conn: PgConnection,
}

/// A private cluster with one seeded marketplace (database `postgres`), its
/// superuser connection, and five people signed in as themselves.
pub struct World {
    pub cluster: PrivateCluster,
    pub owner: PgConnection,
    pub admin: Person,
    pub vendor_a: Person,
    pub vendor_b: Person,
    pub logistics: Person,
    pub finance: Person,
}

/// A scalar `bigint` (or anything that decodes as one) from `sql`.
pub async fn scalar_i64(conn: &mut PgConnection, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(conn).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The one uuid `sql` returns, read by `conn`.
pub async fn uuid_of(conn: &mut PgConnection, sql: &str) -> Uuid {
    sqlx::query_scalar(sql).fetch_one(conn).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// PostgreSQL refused for lack of privilege (42501).
pub fn is_denied(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.code().as_deref() == Some("42501"))
}

/// A row-level security policy refused the row.
pub fn rls_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.code().as_deref() == Some("42501") && db.message().contains("row-level security"))
}

/// The SQLSTATE of a database error, or "" for any other error.
pub fn sqlstate(err: &sqlx::Error) -> String {
    match err {
        sqlx::Error::Database(db) => db.code().map(|c| c.into_owned()).unwrap_or_default(),
        _ => String::new(),
    }
}

/// Connects as `login` with the test password to `database` of `cluster`.
pub async fn connect_as(cluster: &PrivateCluster, login: &str, database: &str) -> Result<PgConnection, sqlx::Error> {
    PgConnection::connect(&format!("postgres://{login}:{PASSWORD}@127.0.0.1:{}/{database}", cluster.port)).await
}

async fn login(cluster: &PrivateCluster, owner: &mut PgConnection, email: &str, name: &'static str) -> Person {
    let id: Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(&mut *owner).await.unwrap();
    let login: String = sqlx::query_scalar("SELECT md_enable_login($1, $2)")
        .bind(id)
        .bind(PASSWORD)
        .fetch_one(&mut *owner)
        .await
        .unwrap();
    let conn = connect_as(cluster, &login, "postgres").await.unwrap_or_else(|e| panic!("{name} signs in: {e}"));
    Person { name, id, login, conn }
}

/// Migrates and seeds `database` of `cluster` through the core, as its superuser.
pub async fn migrate_and_seed(cluster: &PrivateCluster, database: &str, orders: u64) {
    let url = cluster.url(&cluster.password, database);
    let store = Store::open(&DatabaseUrl::parse(&url).unwrap(), &OpenOptions::default()).await.unwrap();
    store.migrate(|_| {}).await.unwrap();
    let mut options = SeedOptions::new(orders);
    options.end = Timestamp::parse("2026-04-01T00:00:00Z").unwrap();
    seed(&store, &options, |_| {}).await.unwrap();
    store.close().await;
}

/// A fresh private cluster, migrated and seeded, with everyone signed in.
pub async fn world() -> World {
    let cluster = PrivateCluster::start();
    migrate_and_seed(&cluster, "postgres", 600).await;
    let mut owner = PgConnection::connect(&cluster.url(&cluster.password, "postgres")).await.unwrap();
    let admin = login(&cluster, &mut owner, "admin@marketdesk.demo", "admin").await;
    let vendor_a = login(&cluster, &mut owner, "vendor@marketdesk.demo", "vendor A").await;
    let vendor_b = login(&cluster, &mut owner, "vendor1@vendors.marketdesk.demo", "vendor B").await;
    let logistics = login(&cluster, &mut owner, "logistics@marketdesk.demo", "logistics").await;
    let finance = login(&cluster, &mut owner, "finance@marketdesk.demo", "finance").await;
    World { cluster, owner, admin, vendor_a, vendor_b, logistics, finance }
}
