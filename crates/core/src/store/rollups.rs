//! Sales rollups (migration 0004): per day × vendor × category × currency money
//! and units, and sold-order counts per day (× vendor) × currency. Triggers keep
//! them in step with orders in the same transaction; this module recomputes them
//! from scratch after bulk loads (which bypass triggers) and on demand.

use super::bulk::BulkWriter;
use super::{Engine, Store, StoreError, with_pool};

/// The rollup tables, children of users and categories.
pub const TABLES: &[&str] = &["sales_daily", "sales_daily_vendor_orders", "sales_daily_orders"];

/// The statements that rebuild every rollup on SQLite (PostgreSQL has them in
/// `md_rebuild_sales_rollups()`).
const SQLITE_REBUILD: &[&str] = &[
    "DELETE FROM sales_daily",
    "DELETE FROM sales_daily_vendor_orders",
    "DELETE FROM sales_daily_orders",
    "INSERT INTO sales_daily (day, vendor_id, category_id, currency, units, gross_minor, commission_minor, refunded_minor) \
     SELECT substr(o.placed_at, 1, 10), i.vendor_id, p.category_id, o.currency, sum(i.quantity), sum(i.subtotal_minor), \
            sum(i.commission_minor), sum(i.refunded_quantity * i.unit_price_minor) \
     FROM orders o JOIN order_items i ON i.order_id = o.id AND i.deleted_at IS NULL JOIN products p ON p.id = i.product_id \
     WHERE o.deleted_at IS NULL AND o.status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', \
           'refunded', 'partially_refunded', 'disputed') \
     GROUP BY 1, 2, 3, 4",
    "INSERT INTO sales_daily_vendor_orders (day, vendor_id, currency, orders) \
     SELECT substr(o.placed_at, 1, 10), i.vendor_id, o.currency, count(DISTINCT o.id) \
     FROM orders o JOIN order_items i ON i.order_id = o.id AND i.deleted_at IS NULL \
     WHERE o.deleted_at IS NULL AND o.status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', \
           'refunded', 'partially_refunded', 'disputed') \
     GROUP BY 1, 2, 3",
    "INSERT INTO sales_daily_orders (day, currency, orders) \
     SELECT substr(o.placed_at, 1, 10), o.currency, count(*) FROM orders o \
     WHERE o.deleted_at IS NULL AND o.status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', \
           'refunded', 'partially_refunded', 'disputed') \
       AND EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id AND i.deleted_at IS NULL) \
     GROUP BY 1, 2",
];

/// Rebuilds the rollups inside a bulk load's transaction (the seeder's).
pub(crate) async fn rebuild_in(writer: &mut BulkWriter, engine: Engine) -> Result<(), StoreError> {
    match engine {
        Engine::Postgres => {
            writer.execute("SELECT md_rebuild_sales_rollups()").await?;
        }
        Engine::Sqlite => {
            for sql in SQLITE_REBUILD {
                writer.execute(sql).await?;
            }
        }
    }
    Ok(())
}

impl Store {
    /// Recomputes every sales rollup from the orders, in one transaction
    /// (`marketdesk rollups rebuild`). Returns the rollup rows written.
    pub async fn rebuild_sales_rollups(&self) -> Result<u64, StoreError> {
        with_pool!(&self.db, |p| {
            let mut tx = p.begin().await?;
            match self.engine() {
                Engine::Postgres => {
                    sqlx::query("SELECT md_rebuild_sales_rollups()").execute(&mut *tx).await?;
                }
                Engine::Sqlite => {
                    for sql in SQLITE_REBUILD {
                        sqlx::query(sql).execute(&mut *tx).await?;
                    }
                }
            }
            let mut rows = 0u64;
            for t in TABLES {
                let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {t}")).fetch_one(&mut *tx).await?;
                rows += u64::try_from(n).unwrap_or(0);
            }
            tx.commit().await?;
            Ok::<_, StoreError>(rows)
        })
    }
}
