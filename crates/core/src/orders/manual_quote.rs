//! What an admin building an order by hand sees before taking it: the
//! variants that can be sold (approved, switched on, with units free), and
//! the order as the database would write it — each line's price and total,
//! the order's total — or the database's refusal in words. The quote runs
//! the same function that takes the order, in a transaction rolled back, so
//! the builder can never promise what taking the order would refuse.

use crate::domain::{Currency, new_id};
use crate::orders::manual::{ManualOrder, admin_online, refusal, validate};
use crate::orders::view::Reader;
use crate::store::write_tx::with_tx;
use crate::store::{Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Most variants one search offers.
pub const MAX_OFFERED: u32 = 50;

/// A variant an order taken by hand may sell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SellableVariant {
    /// The variant.
    pub variant_id: Uuid,
    /// Its SKU.
    pub sku: String,
    /// Product name.
    pub product_name: String,
    /// Variant name (size, colour …).
    pub variant_name: String,
    /// Who sells it.
    pub vendor_name: String,
    /// Price of one unit, minor units of `currency`.
    pub price_minor: i64,
    /// The currency it is priced in.
    pub currency: String,
    /// Units on hand not held for other orders.
    pub free: i32,
}

/// Variants for sale in `currency` whose SKU, product or vendor matches
/// `search` (all of them when blank), by product name.
pub async fn sellable_variants(
    store: &Store,
    actor: Reader,
    search: &str,
    currency: Currency,
    limit: u32,
) -> Result<Vec<SellableVariant>, StoreError> {
    admin_online(store, actor)?;
    let pattern =
        format!("%{}%", search.trim().to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    let sql = "SELECT v.id AS variant_id, v.sku, p.name AS product_name, v.name AS variant_name, \
         coalesce(pr.business_name, u.display_name) AS vendor_name, v.price_minor, v.currency, \
         (v.stock_on_hand - v.stock_reserved) AS free \
         FROM product_variants v JOIN products p ON p.id = v.product_id JOIN users u ON u.id = p.vendor_id \
         LEFT JOIN user_profiles pr ON pr.user_id = u.id AND pr.deleted_at IS NULL \
         WHERE v.deleted_at IS NULL AND p.deleted_at IS NULL AND v.is_active AND p.status = 'approved' \
         AND u.status = 'active' AND v.currency = $1 AND v.stock_on_hand > v.stock_reserved \
         AND (lower(v.sku) LIKE $2 ESCAPE '\\' OR lower(p.name) LIKE $2 ESCAPE '\\' \
              OR lower(coalesce(pr.business_name, u.display_name)) LIKE $2 ESCAPE '\\') \
         ORDER BY p.name, v.sku LIMIT $3";
    let limit = i64::from(limit.clamp(1, MAX_OFFERED));
    Ok(with_pool!(&store.db, |p| sqlx::query_as(sql)
        .bind(currency.as_str())
        .bind(&pattern)
        .bind(limit)
        .fetch_all(p)
        .await)?)
}

/// One line of a quote, as it would be written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct QuotedLine {
    /// The variant.
    pub variant_id: Uuid,
    /// Its SKU.
    pub sku: String,
    /// Product name.
    pub product_name: String,
    /// Variant name.
    pub variant_name: String,
    /// Units (a variant named twice, added up).
    pub quantity: i32,
    /// Price of one unit, minor units.
    pub unit_price_minor: i64,
    /// Units × price.
    pub subtotal_minor: i64,
}

/// The order as taking it now would write it, or why it would be refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ManualQuote {
    /// The lines, by SKU (empty when refused).
    pub lines: Vec<QuotedLine>,
    /// Shipping charged, minor units.
    pub shipping_minor: i64,
    /// Everything the customer pays, minor units.
    pub total_minor: i64,
    /// The order's currency.
    pub currency: Currency,
    /// Why the database would refuse it (nothing else is then filled in).
    pub refused: Option<String>,
}

/// Quotes an order without taking it.
pub async fn quote_manual_order(store: &Store, actor: Reader, req: &ManualOrder) -> Result<ManualQuote, StoreError> {
    admin_online(store, actor)?;
    let empty = |why: String| ManualQuote {
        lines: Vec::new(),
        shipping_minor: req.shipping_minor.max(0),
        total_minor: 0,
        currency: req.currency,
        refused: Some(why),
    };
    if let Err(e) = validate(req) {
        return Ok(empty(e.to_string()));
    }
    let (order, payment) = (new_id(), new_id());
    let lines = serde_json::Value::Array(
        req.lines.iter().map(|l| serde_json::json!({ "variant": l.variant_id, "quantity": l.quantity })).collect(),
    );
    let mut tx = store.begin_write_tx().await?;
    let total = with_tx!(&mut tx, |c| sqlx::query_scalar::<_, i64>(
        "SELECT md_create_manual_order($1, 'MD-QUOTE', $2, $3, $4, $5, $6)"
    )
    .bind(order)
    .bind(req.customer_id)
    .bind(req.currency.as_str())
    .bind(&lines)
    .bind(req.shipping_minor)
    .bind(payment)
    .fetch_one(&mut *c)
    .await);
    let quote = match total.map_err(refusal) {
        Ok(total) => {
            let lines: Vec<QuotedLine> = with_tx!(&mut tx, |c| sqlx::query_as(
                "SELECT variant_id, sku, product_name, variant_name, quantity, unit_price_minor, subtotal_minor \
                 FROM order_items WHERE order_id = $1 ORDER BY sku",
            )
            .bind(order)
            .fetch_all(&mut *c)
            .await)?;
            ManualQuote {
                lines,
                shipping_minor: req.shipping_minor,
                total_minor: total,
                currency: req.currency,
                refused: None,
            }
        }
        Err(StoreError::Validation(why)) => empty(why),
        Err(other) => return Err(other),
    };
    drop(tx);
    Ok(quote)
}
