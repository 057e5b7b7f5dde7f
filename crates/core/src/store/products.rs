//! The catalog: products, their variants (SKU, price, stock) and approval.

use super::page::{SortKey, SortValue, finish_query, into_page};
use super::sql::{Param, Sql, bind_as};
use super::stock_movements::{NewMovement, record_movement_in};
use super::text_search::{TextQuery, push_product_rank, push_product_words};
use super::write_tx::{WriteTx, with_tx};
use super::{Page, PageRequest, SortDir, Store, StoreError, with_pool};
use crate::domain::stock::StockMovementKind;
use crate::domain::{Currency, ProductStatus, Timestamp, new_id};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A product as the catalog list shows it, with its variants summed up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Product {
    /// Row id.
    pub id: Uuid,
    /// The vendor selling it.
    pub vendor_id: Uuid,
    /// The vendor's display name (empty when the reader may not see it).
    pub vendor_name: String,
    /// Its category.
    pub category_id: Uuid,
    /// The category's name.
    pub category_name: String,
    /// Name shown to buyers.
    pub name: String,
    /// URL slug, unique per vendor.
    pub slug: String,
    /// Approval state.
    pub status: ProductStatus,
    /// Price before variant overrides, minor units.
    pub base_price_minor: i64,
    /// Currency of the prices.
    pub currency: Currency,
    /// How many live variants it has.
    pub variant_count: i64,
    /// Units on hand over all variants.
    pub stock_on_hand: i64,
    /// Approved but hidden from buyers: its vendor is suspended.
    pub hidden: bool,
    /// Optimistic-concurrency version.
    pub version: i64,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// One purchasable variant of a product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Variant {
    /// Row id.
    pub id: Uuid,
    /// Its product.
    pub product_id: Uuid,
    /// Stock-keeping unit, unique.
    pub sku: String,
    /// Variant name ("Large / Blue").
    pub name: String,
    /// Price, minor units.
    pub price_minor: i64,
    /// Currency.
    pub currency: Currency,
    /// Units on hand.
    pub stock_on_hand: i32,
    /// Units reserved for unpaid orders.
    pub stock_reserved: i32,
    /// At or below this many available units (on hand less reserved) the
    /// variant is low on stock.
    pub low_stock_threshold: i32,
    /// Whether it is low on stock now (what the low-stock filter lists).
    pub low_on_stock: bool,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// A product to create, with at least one variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewProduct {
    /// The vendor selling it.
    pub vendor_id: Uuid,
    /// Its category.
    pub category_id: Uuid,
    /// Name shown to buyers.
    pub name: String,
    /// Description shown to buyers.
    pub description: String,
    /// Base price, minor units.
    pub base_price_minor: i64,
    /// Currency of every price.
    pub currency: Currency,
    /// The variants; at least one.
    pub variants: Vec<NewVariant>,
}

/// A variant to create.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewVariant {
    /// Stock-keeping unit, unique.
    pub sku: String,
    /// Variant name.
    pub name: String,
    /// Price, minor units.
    pub price_minor: i64,
    /// Units on hand.
    pub stock_on_hand: i32,
}

/// Narrows the product list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProductFilter {
    /// Only this vendor's products.
    pub vendor_id: Option<Uuid>,
    /// Only this category.
    pub category_id: Option<Uuid>,
    /// Only this status (the approval queue is `pending_review`).
    pub status: Option<ProductStatus>,
    /// Words in the name, description, a variant's SKU, name or barcode, or
    /// the vendor's name (each word typed begins a word there).
    pub search: Option<String>,
    /// Only products with a live variant low on stock: its available units
    /// (on hand less reserved) at or below its threshold — sold out counts.
    #[serde(default)]
    pub low_stock: bool,
}

/// How the product list is sorted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ProductSort {
    /// By creation time.
    #[default]
    CreatedAt,
    /// By name.
    Name,
    /// By base price.
    Price,
    /// By how many of the searched words the name holds (then newest first
    /// among equals); every product ranks the same without a search.
    Relevance,
}

impl SortKey for ProductSort {
    fn name(&self) -> &'static str {
        match self {
            ProductSort::CreatedAt => "created_at",
            ProductSort::Name => "name",
            ProductSort::Price => "price",
            ProductSort::Relevance => "relevance",
        }
    }
    fn column(&self) -> &'static str {
        match self {
            ProductSort::CreatedAt => "p.created_at",
            ProductSort::Name => "p.name",
            ProductSort::Price => "p.base_price_minor",
            ProductSort::Relevance => "p.relevance",
        }
    }
}

const COLUMNS: &str = "p.id, p.vendor_id, \
     coalesce((SELECT u.display_name FROM users u WHERE u.id = p.vendor_id), '') AS vendor_name, p.category_id, \
     coalesce((SELECT c.name FROM categories c WHERE c.id = p.category_id), '') AS category_name, p.name, p.slug, p.status, p.base_price_minor, p.currency, \
     (SELECT count(*) FROM product_variants v WHERE v.product_id = p.id AND v.deleted_at IS NULL) AS variant_count, \
     (SELECT coalesce(sum(v.stock_on_hand), 0) FROM product_variants v WHERE v.product_id = p.id AND v.deleted_at IS NULL) AS stock_on_hand, \
     (p.status = 'approved' AND EXISTS (SELECT 1 FROM users u WHERE u.id = p.vendor_id AND u.status = 'suspended')) AS hidden, \
     p.version, p.created_at, p.updated_at";

/// Makes a URL slug from a name: lower-case ASCII letters and digits joined by dashes.
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for ch in name.chars() {
        if ch.is_ascii_alphanumeric() {
            slug.push(ch.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() { "item".into() } else { slug }
}

/// `slug`, or `slug-2`, `slug-3` … — the first not used by a live row of
/// `table` (of `vendor`'s rows only, when slugs are unique per vendor).
pub(crate) async fn free_slug_in(
    tx: &mut WriteTx<'_>,
    table: &'static str,
    vendor: Option<Uuid>,
    slug: &str,
) -> Result<String, StoreError> {
    let scope = if vendor.is_some() { " AND vendor_id = $3" } else { "" };
    let sql = format!("SELECT slug FROM {table} WHERE deleted_at IS NULL AND (slug = $1 OR slug LIKE $2){scope}");
    let pattern = format!("{slug}-%");
    let taken: std::collections::BTreeSet<String> = with_tx!(tx, |c| {
        let q = sqlx::query_scalar(&sql).bind(slug).bind(&pattern);
        match vendor {
            Some(v) => q.bind(v).fetch_all(&mut *c).await,
            None => q.fetch_all(&mut *c).await,
        }
    })?
    .into_iter()
    .collect();
    Ok((1..)
        .map(|n| if n == 1 { slug.to_owned() } else { format!("{slug}-{n}") })
        .find(|s| !taken.contains(s))
        .unwrap_or_else(|| slug.to_owned()))
}

impl NewProduct {
    fn validate(&self) -> Result<(), StoreError> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 300 {
            return Err(StoreError::Validation("a product name needs 1–300 characters".into()));
        }
        if self.base_price_minor < 0 {
            return Err(StoreError::Validation("a price cannot be negative".into()));
        }
        if self.variants.is_empty() {
            return Err(StoreError::Validation("a product needs at least one variant".into()));
        }
        for v in &self.variants {
            if v.sku.trim().is_empty() || v.sku.len() > 64 {
                return Err(StoreError::Validation("a SKU needs 1–64 characters".into()));
            }
            if v.price_minor < 0 || v.stock_on_hand < 0 {
                return Err(StoreError::Validation(format!("SKU {}: price and stock cannot be negative", v.sku)));
            }
        }
        Ok(())
    }
}

impl Store {
    /// Creates a product and its variants in one transaction: all of it or none.
    /// New products wait for approval (`pending_review`).
    pub async fn create_product(&self, new: &NewProduct) -> Result<Product, StoreError> {
        new.validate()?;
        let id = new_id();
        let now = Timestamp::now();
        let slug = slugify(&new.name);
        let mut tx = self.begin_write_tx().await?;
        with_tx!(&mut tx, |c| sqlx::query(
            "INSERT INTO products (id, vendor_id, category_id, name, slug, description, status, base_price_minor, currency, \
             is_featured, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending_review', $7, $8, FALSE, 1, $9, $9)",
        )
        .bind(id)
        .bind(new.vendor_id)
        .bind(new.category_id)
        .bind(new.name.trim())
        .bind(&slug)
        .bind(&new.description)
        .bind(new.base_price_minor)
        .bind(new.currency)
        .bind(now)
        .execute(&mut *c)
        .await.map(|_| ()))
        .map_err(|e| StoreError::from_write("product", e))?;
        for v in &new.variants {
            let variant = new_id();
            with_tx!(&mut tx, |c| sqlx::query(
                "INSERT INTO product_variants (id, product_id, sku, name, price_minor, currency, stock_on_hand, stock_reserved, \
                 version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, 0, 1, $7, $7)",
            )
            .bind(variant)
            .bind(id)
            .bind(v.sku.trim())
            .bind(v.name.trim())
            .bind(v.price_minor)
            .bind(new.currency)
            .bind(now)
            .execute(&mut *c)
            .await.map(|_| ()))
            .map_err(|e| StoreError::from_write("product variant", e))?;
            if v.stock_on_hand > 0 {
                let opening = NewMovement::opening(variant, v.stock_on_hand);
                record_movement_in(&mut tx, &opening).await?;
            }
        }
        tx.commit().await?;
        self.product(id).await
    }

    /// One product by id.
    pub async fn product(&self, id: Uuid) -> Result<Product, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM products p WHERE p.id = $1 AND p.deleted_at IS NULL");
        let row: Option<Product> = with_pool!(&self.db, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        row.ok_or(StoreError::NotFound { entity: "product", id: id.to_string() })
    }

    /// A product's live variants, by SKU.
    pub async fn variants(&self, product_id: Uuid) -> Result<Vec<Variant>, StoreError> {
        let rows = with_pool!(&self.db, |p| {
            sqlx::query_as(
                "SELECT id, product_id, sku, name, price_minor, currency, stock_on_hand, stock_reserved, low_stock_threshold, \
                 (stock_on_hand - stock_reserved <= low_stock_threshold) AS low_on_stock, version \
                 FROM product_variants WHERE product_id = $1 AND deleted_at IS NULL ORDER BY sku",
            )
            .bind(product_id)
            .fetch_all(p)
            .await
        })?;
        Ok(rows)
    }

    /// A page of products.
    pub async fn list_products(
        &self,
        filter: &ProductFilter,
        page: &PageRequest<ProductSort>,
    ) -> Result<Page<Product>, StoreError> {
        let text = TextQuery::parse(filter.search.as_deref())?;
        let engine = self.engine();
        // The page is chosen over narrow rows (the sort keys); the columns that
        // each cost a lookup are worked out for its rows only, not for every
        // product a common word matches.
        let mut sql = Sql::new(&format!(
            "SELECT {COLUMNS}, k.relevance FROM (SELECT p.* FROM (SELECT p.id, p.name, p.created_at, p.base_price_minor, "
        ));
        push_product_rank(&mut sql, engine, text.as_ref());
        sql.push(" AS relevance FROM products p WHERE p.deleted_at IS NULL");
        if let Some(v) = filter.vendor_id {
            sql.push(" AND p.vendor_id = ").bind(Param::Uuid(v));
        }
        if let Some(c) = filter.category_id {
            sql.push(" AND p.category_id = ").bind(Param::Uuid(c));
        }
        if let Some(s) = filter.status {
            sql.push(" AND p.status = ").bind(Param::Text(s.as_str().into()));
        }
        if filter.low_stock {
            sql.push(
                " AND EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND v.deleted_at IS NULL \
                 AND v.is_active AND v.stock_on_hand - v.stock_reserved <= v.low_stock_threshold)",
            );
        }
        if let Some(query) = &text {
            push_product_words(&mut sql, engine, query);
        }
        sql.push(") p WHERE TRUE");
        finish_query(&mut sql, page, "p.id")?;
        let dir = match page.dir {
            SortDir::Asc => "ASC",
            SortDir::Desc => "DESC",
        };
        let key = page.sort.column().replacen("p.", "k.", 1);
        sql.push(&format!(") k JOIN products p ON p.id = k.id ORDER BY {key} {dir}, k.id {dir}"));
        #[derive(sqlx::FromRow)]
        struct Ranked {
            #[sqlx(flatten)]
            product: Product,
            relevance: i64,
        }
        let rows: Vec<Ranked> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;
        let page = into_page(rows, page, |r: &Ranked| {
            let v = match page.sort {
                ProductSort::CreatedAt => SortValue::from(r.product.created_at),
                ProductSort::Name => SortValue::Text(r.product.name.clone()),
                ProductSort::Price => SortValue::Int(r.product.base_price_minor),
                ProductSort::Relevance => SortValue::Int(r.relevance),
            };
            (v, r.product.id)
        });
        Ok(Page { items: page.items.into_iter().map(|r| r.product).collect(), next_cursor: page.next_cursor })
    }

    /// Changes a variant's stock by `delta` units as a correction in the
    /// movement log; refuses to go below what is reserved (or below zero).
    /// Returns the new stock on hand.
    pub async fn adjust_stock(&self, variant_id: Uuid, delta: i32) -> Result<i32, StoreError> {
        let mut tx = self.begin_write_tx().await?;
        let change = NewMovement::on_hand(new_id(), variant_id, StockMovementKind::Correction, delta);
        let stock = record_movement_in(&mut tx, &change).await?;
        tx.commit().await?;
        Ok(stock.on_hand)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(super::slugify("  Café Crème — 250 g!"), "caf-cr-me-250-g");
        assert_eq!(super::slugify("***"), "item");
    }
}
