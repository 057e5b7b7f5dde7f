//! Demo data at any scale, the same every time for the same `--seed` and `--end`.
//!
//! The seeder builds a whole marketplace — staff, vendors on subscription plans,
//! a category tree, products with variants and stock, customers with addresses,
//! and 18 months of orders (several vendors per order, a realistic status mix)
//! with their payments, refunds, shipments, tracking, disputes, payouts and
//! balanced ledger postings — and bulk-loads it in one transaction: a failed
//! seed leaves the database exactly as it was.
//!
//! It refuses a database that already holds data unless told to reset it, so
//! seeding twice never duplicates anything.

mod entities;
mod orders;
mod rows;
mod shipping_zones;
mod tables;
mod vocabulary;
mod world;

pub use tables::SEEDED_TABLES;

use crate::domain::ledger::PostingError;
use crate::domain::{Role, Timestamp};
use crate::store::bulk::BulkWriter;
use crate::store::{Engine, Store, StoreError, rollups};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use tables::Tables;

/// The password of every demo sign-in the seeder creates.
pub const DEMO_PASSWORD: &str = "marketdesk-demo";

/// Most orders one seed run makes.
pub const MAX_ORDERS: u64 = 20_000_000;

/// What to seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedOptions {
    /// How many orders (vendors, customers and products scale with it).
    pub orders: u64,
    /// The random seed: the same seed gives the same data.
    pub seed: u64,
    /// The newest order's day; 18 months of history end here.
    pub end: Timestamp,
    /// Replace whatever the database holds.
    pub reset: bool,
}

impl SeedOptions {
    /// `orders` orders from seed 1, ending at the start of today (UTC).
    pub fn new(orders: u64) -> Self {
        let today = chrono::Utc::now().date_naive().and_hms_opt(0, 0, 0).map(|d| d.and_utc()).unwrap_or_default();
        Self { orders, seed: 1, end: Timestamp::from(today), reset: false }
    }
}

/// How far a seed run has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedProgress {
    /// Clearing the old data (with `reset`).
    Resetting,
    /// The catalog (users, vendors, products) is written.
    CatalogWritten,
    /// This many orders (of `total`) are written.
    Orders {
        /// Written so far.
        done: u64,
        /// To write.
        total: u64,
    },
    /// Payouts and the last postings are written; committing.
    Committing,
}

/// A demo sign-in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DemoLogin {
    /// The role it demonstrates.
    pub role: Role,
    /// Sign-in email.
    pub email: String,
    /// Sign-in username.
    pub username: String,
}

/// Where the seeder's staff sign-ins live (vendors and customers have sub-domains).
const DEMO_DOMAIN: &str = "@marketdesk.demo";

/// The usernames of the demo sign-ins the seeder makes, one per role.
pub const DEMO_USERNAMES: [&str; 4] = ["admin", "vendor", "logistics", "finance"];

/// The seeded demo sign-ins `store` holds, in [`DEMO_USERNAMES`] order: what
/// the sign-in screen and `marketdesk status` offer. Empty on a real
/// marketplace (a person named `admin` there has no demo address).
pub async fn demo_logins(store: &Store) -> Result<Vec<DemoLogin>, StoreError> {
    let mut logins = Vec::new();
    for username in DEMO_USERNAMES {
        if let Some((user, _)) = store.user_for_login(username).await?
            && user.role != Role::Customer
            && user.email.ends_with(DEMO_DOMAIN)
        {
            logins.push(DemoLogin { role: user.role, email: user.email, username: user.username });
        }
    }
    Ok(logins)
}

/// What a seed run wrote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SeedReport {
    /// Rows written per table, in writing order.
    pub rows: Vec<(String, u64)>,
    /// One sign-in per role.
    pub logins: Vec<DemoLogin>,
    /// Their password.
    pub password: String,
}

impl SeedReport {
    /// Rows written in all tables.
    pub fn total_rows(&self) -> u64 {
        self.rows.iter().map(|(_, n)| n).sum()
    }

    /// Rows written to `table`.
    pub fn rows_of(&self, table: &str) -> u64 {
        self.rows.iter().find(|(t, _)| t == table).map_or(0, |(_, n)| *n)
    }
}

/// Why a seed run stopped (having written nothing).
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The database already holds data and `reset` was not asked for.
    #[error("the database already holds data ({users} users, {orders} orders); seed again with --reset to replace it")]
    NotEmpty {
        /// Users found.
        users: i64,
        /// Orders found.
        orders: i64,
    },
    /// The options make no sense.
    #[error("{0}")]
    Invalid(String),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A generated posting did not balance (a bug; nothing was written).
    #[error("generated ledger posting is wrong: {0}")]
    Posting(#[from] PostingError),
}

/// Orders generated between two flushes.
const CHUNK: u64 = 4_000;

/// Seeds `store` (already migrated). Either everything is written or nothing.
pub async fn seed(
    store: &Store,
    options: &SeedOptions,
    mut progress: impl FnMut(SeedProgress),
) -> Result<SeedReport, SeedError> {
    if options.orders == 0 || options.orders > MAX_ORDERS {
        return Err(SeedError::Invalid(format!("--orders must be between 1 and {MAX_ORDERS}")));
    }
    store.ensure_schema(false).await?;
    let users = store.count_rows("users").await?;
    let orders = store.count_rows("orders").await?;
    let products = store.count_rows("products").await?;
    let occupied = users + orders + products > 0;
    if occupied && !options.reset {
        return Err(SeedError::NotEmpty { users, orders });
    }

    let mut writer = BulkWriter::begin(store, true).await?;
    if occupied || options.reset {
        progress(SeedProgress::Resetting);
        clear(&mut writer, store.engine()).await?;
    }

    // Rows are generated on a blocking thread while this task writes the previous
    // chunk, so generation and the database work side by side.
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<(Tables, u64)>(2);
    let producer_options = options.clone();
    let producer = tokio::task::spawn_blocking(move || {
        produce(&producer_options, |tables, done| sender.blocking_send((tables, done)).is_ok())
    });
    let mut counts: Vec<(String, u64)> = SEEDED_TABLES.iter().map(|t| ((*t).to_owned(), 0)).collect();
    let mut first = true;
    while let Some((mut tables, done)) = receiver.recv().await {
        let written = flush(&mut writer, &mut tables, &mut counts).await;
        if let Err(e) = written {
            drop(receiver);
            let _ = producer.await;
            return Err(e.into());
        }
        if first {
            progress(SeedProgress::CatalogWritten);
            first = false;
        }
        progress(SeedProgress::Orders { done, total: options.orders });
    }
    let logins = producer.await.map_err(|e| SeedError::Invalid(format!("the generator stopped: {e}")))??;
    progress(SeedProgress::Committing);
    crate::store::rollups::rebuild_in(&mut writer, store.engine()).await?;
    // The load skipped PostgreSQL's per-transaction balance check; one pass
    // over the whole ledger stands in for it, on both engines.
    let unbalanced = writer
        .scalar_i64(
            "SELECT count(*) FROM (SELECT 1 FROM ledger_entries GROUP BY transaction_id, currency \
             HAVING sum(amount_minor) <> 0) AS unbalanced",
        )
        .await?;
    if unbalanced > 0 {
        return Err(SeedError::Invalid(format!(
            "the generated ledger has {unbalanced} transaction(s) that do not balance; nothing was written"
        )));
    }
    writer.commit().await?;
    if store.engine() == Engine::Postgres {
        // Fresh statistics so the first reports get good plans.
        if let Some(pool) = store.pg_pool() {
            sqlx::query("ANALYZE").execute(pool).await.map_err(StoreError::from)?;
        }
    } else if let Some(pool) = store.sqlite_pool() {
        sqlx::query("PRAGMA optimize").execute(pool).await.map_err(StoreError::from)?;
        // The load went through the write-ahead log; fold it into the file and
        // give the disk space back now rather than at some later checkpoint.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(pool).await.map_err(StoreError::from)?;
    }
    Ok(SeedReport { rows: counts, logins, password: DEMO_PASSWORD.to_owned() })
}

/// The rows a seed run would write, in writing order (one batch per table per
/// flush), generated without touching a database. Benchmarks load these as
/// their raw baseline.
pub fn generate(options: &SeedOptions) -> Result<Vec<crate::store::bulk::Batch>, SeedError> {
    let mut batches = Vec::new();
    produce(options, |mut tables, _| {
        for b in tables.in_order() {
            if !b.is_empty() {
                batches.push(b.clone());
            }
        }
        true
    })?;
    Ok(batches)
}

/// Generates the whole marketplace in chunks, handing each chunk (and how many
/// orders are done) to `sink`; stops early when `sink` returns false. Returns the
/// demo sign-ins.
fn produce(options: &SeedOptions, mut sink: impl FnMut(Tables, u64) -> bool) -> Result<Vec<DemoLogin>, SeedError> {
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let mut out = Tables::new();
    let world = world::World::build(&mut rng, &mut out, options)?;
    shipping_zones::seed(&mut out, &world.methods, world.staff_time);
    if !sink(std::mem::replace(&mut out, Tables::new()), 0) {
        return Ok(world.logins);
    }
    let mut stream = orders::OrderStream::new(&world, options);
    let mut done = 0;
    while done < options.orders {
        let upto = (done + CHUNK).min(options.orders);
        for i in done..upto {
            stream.order(&mut rng, &world, &mut out, i)?;
        }
        done = upto;
        let last = done == options.orders;
        if last {
            stream.finish(&mut rng, &world, &mut out)?;
        }
        if !sink(std::mem::replace(&mut out, Tables::new()), done) {
            break;
        }
    }
    Ok(world.logins)
}

async fn flush(writer: &mut BulkWriter, out: &mut Tables, counts: &mut [(String, u64)]) -> Result<(), StoreError> {
    for (batch, count) in out.in_order().into_iter().zip(counts.iter_mut()) {
        count.1 += writer.write(batch).await?;
        batch.clear();
    }
    Ok(())
}

/// Removes all marketplace data (children first), inside the seed's transaction.
async fn clear(writer: &mut BulkWriter, engine: Engine) -> Result<(), StoreError> {
    // Every table that can hold rows pointing at seeded ones, children first
    // (the sales rollups, then these).
    const EXTRA: &[&str] = &[
        "stripe_events",
        "integration_cursors",
        "sync_conflicts",
        "sync_applied_mutations",
        "sync_clients",
        "sync_outbox",
        "sync_change_feed",
        "report_runs",
        "print_jobs",
        "printer_defaults",
        "printers",
        "payout_items",
        "label_purchases",
        "shipping_labels",
        "product_images",
        "image_files",
        "dispute_attachments",
        "vendor_documents",
        "vendor_applications",
        "backup_runs",
        "jobs",
        "worker_heartbeats",
        "order_notes",
        "customer_notes",
        "carrier_day_closes",
    ];
    // Tables seeded rows point at: emptied last.
    const PARENTS: &[&str] = &["package_presets"];
    match engine {
        Engine::Postgres => {
            let all: Vec<&str> =
                rollups::TABLES.iter().chain(EXTRA).chain(SEEDED_TABLES.iter()).chain(PARENTS).copied().collect();
            writer.execute(&format!("TRUNCATE {} RESTART IDENTITY", all.join(", "))).await?;
        }
        Engine::Sqlite => {
            for t in rollups::TABLES.iter().chain(EXTRA).chain(SEEDED_TABLES.iter().rev()).chain(PARENTS) {
                writer.execute(&format!("DELETE FROM {t}")).await?;
            }
        }
    }
    Ok(())
}
