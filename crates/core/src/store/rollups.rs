//! Sales rollups (migrations 0004 and 0007): money, units and sold orders per
//! day × currency, day × vendor, day × category, day × vendor × category,
//! month × vendor and month × category. Triggers keep
//! them in step with orders in the same transaction; this module recomputes them
//! from scratch after bulk loads (which bypass triggers) and on demand.

use super::BeginWrite;
use super::bulk::BulkWriter;
use super::{Engine, Store, StoreError, with_pool};

/// The rollup tables, children of users and categories.
pub const TABLES: &[&str] = &[
    "sales_daily_totals",
    "sales_daily_vendors",
    "sales_daily_categories",
    "sales_daily",
    "sales_monthly_vendors",
    "sales_monthly_categories",
];

/// The statements that rebuild every rollup on SQLite (PostgreSQL has them in
/// `md_rebuild_sales_rollups()`).
const SQLITE_REBUILD: &[&str] = &[
    "DELETE FROM sales_daily_totals",
    "DELETE FROM sales_daily_vendors",
    "DELETE FROM sales_daily_categories",
    "DELETE FROM sales_daily",
    "DELETE FROM sales_monthly_vendors",
    "DELETE FROM sales_monthly_categories",
    "INSERT INTO sales_daily_totals (day, currency, orders, units, gross_minor, commission_minor, refunded_minor) \
     SELECT substr(o.placed_at, 1, 10), o.currency, count(DISTINCT o.id), sum(i.quantity), sum(i.subtotal_minor), sum(i.commission_minor), \
            sum(i.refunded_quantity * i.unit_price_minor) \
     FROM orders o JOIN order_items i ON i.order_id = o.id AND i.deleted_at IS NULL JOIN products p ON p.id = i.product_id \
     WHERE o.deleted_at IS NULL AND o.status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'refunded', 'partially_refunded', 'disputed') \
     GROUP BY 1, 2",
    "INSERT INTO sales_daily_vendors (day, vendor_id, currency, orders, units, gross_minor, commission_minor, refunded_minor) \
     SELECT substr(o.placed_at, 1, 10), i.vendor_id, o.currency, count(DISTINCT o.id), sum(i.quantity), sum(i.subtotal_minor), sum(i.commission_minor), \
            sum(i.refunded_quantity * i.unit_price_minor) \
     FROM orders o JOIN order_items i ON i.order_id = o.id AND i.deleted_at IS NULL JOIN products p ON p.id = i.product_id \
     WHERE o.deleted_at IS NULL AND o.status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'refunded', 'partially_refunded', 'disputed') \
     GROUP BY 1, 2, 3",
    "INSERT INTO sales_daily_categories (day, category_id, currency, units, gross_minor, commission_minor, refunded_minor) \
     SELECT substr(o.placed_at, 1, 10), p.category_id, o.currency, sum(i.quantity), sum(i.subtotal_minor), sum(i.commission_minor), \
            sum(i.refunded_quantity * i.unit_price_minor) \
     FROM orders o JOIN order_items i ON i.order_id = o.id AND i.deleted_at IS NULL JOIN products p ON p.id = i.product_id \
     WHERE o.deleted_at IS NULL AND o.status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'refunded', 'partially_refunded', 'disputed') \
     GROUP BY 1, 2, 3",
    "INSERT INTO sales_daily (day, vendor_id, category_id, currency, units, gross_minor, commission_minor, refunded_minor) \
     SELECT substr(o.placed_at, 1, 10), i.vendor_id, p.category_id, o.currency, sum(i.quantity), sum(i.subtotal_minor), sum(i.commission_minor), \
            sum(i.refunded_quantity * i.unit_price_minor) \
     FROM orders o JOIN order_items i ON i.order_id = o.id AND i.deleted_at IS NULL JOIN products p ON p.id = i.product_id \
     WHERE o.deleted_at IS NULL AND o.status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'refunded', 'partially_refunded', 'disputed') \
     GROUP BY 1, 2, 3, 4",
    // The monthly grains from the daily ones.
    "INSERT INTO sales_monthly_vendors (month, vendor_id, currency, orders, units, gross_minor, commission_minor, refunded_minor) \
     SELECT substr(day, 1, 8) || '01', vendor_id, currency, sum(orders), sum(units), sum(gross_minor), sum(commission_minor), \
            sum(refunded_minor) \
     FROM sales_daily_vendors GROUP BY 1, 2, 3",
    "INSERT INTO sales_monthly_categories (month, category_id, currency, units, gross_minor, commission_minor, refunded_minor) \
     SELECT substr(day, 1, 8) || '01', category_id, currency, sum(units), sum(gross_minor), sum(commission_minor), sum(refunded_minor) \
     FROM sales_daily_categories GROUP BY 1, 2, 3",
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
            let mut tx = p.begin_write().await?;
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
