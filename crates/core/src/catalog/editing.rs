//! What the product editor opens: a product as a draft with its review
//! state, a fresh draft for a new product, and the categories to choose from.

use crate::domain::product_draft::{ProductDraft, ProductOption, VariantDraft, combinations};
use crate::domain::{Currency, ProductStatus, Timestamp, new_id};
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A product as the editor opens it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProductEdit {
    /// The product's id.
    pub product_id: Uuid,
    /// The version read (what a save is based on).
    pub version: i64,
    /// Where it is in the approval flow.
    pub status: ProductStatus,
    /// The admin's note when changes were asked for or it was rejected.
    pub review_note: Option<String>,
    /// When it was last sent for review.
    pub submitted_at: Option<Timestamp>,
    /// When it was last approved.
    pub approved_at: Option<Timestamp>,
    /// The vendor's name.
    pub vendor_name: String,
    /// What it holds.
    pub draft: ProductDraft,
}

/// A category to file a product under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CategoryChoice {
    /// Its id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// Its path of slugs from the root (`/home/lighting/`), which orders the
    /// list as a tree.
    pub path: String,
    /// How deep it sits (0 at the root).
    pub depth: i64,
}

type HeadRow = (
    Uuid,
    Uuid,
    String,
    String,
    Currency,
    Option<String>,
    i64,
    ProductStatus,
    Option<String>,
    Option<Timestamp>,
    Option<Timestamp>,
    String,
);

#[derive(sqlx::FromRow)]
struct VariantRow {
    id: Uuid,
    options: Option<String>,
    sku: String,
    barcode: Option<String>,
    price_minor: i64,
    compare_at_price_minor: Option<i64>,
    weight_grams: i32,
    length_mm: Option<i32>,
    width_mm: Option<i32>,
    height_mm: Option<i32>,
    low_stock_threshold: i32,
    stock_on_hand: i32,
}

fn parse<T: serde::de::DeserializeOwned + Default>(text: Option<String>, what: &str) -> Result<T, StoreError> {
    match text {
        Some(t) => serde_json::from_str(&t).map_err(|e| StoreError::Corrupt(format!("{what}: {e}"))),
        None => Ok(T::default()),
    }
}

const HEAD_SQL: &str = "SELECT p.vendor_id, p.category_id, p.name, p.description, p.currency, CAST(p.options AS TEXT), \
     p.version, p.status, p.rejection_reason, p.submitted_at, p.approved_at, \
     coalesce((SELECT u.display_name FROM users u WHERE u.id = p.vendor_id), '') \
     FROM products p WHERE p.id = $1 AND p.deleted_at IS NULL";
const VARIANTS_SQL: &str = "SELECT id, CAST(options AS TEXT) AS options, sku, barcode, price_minor, \
     compare_at_price_minor, weight_grams, length_mm, width_mm, height_mm, low_stock_threshold, stock_on_hand \
     FROM product_variants WHERE product_id = $1 AND deleted_at IS NULL ORDER BY created_at, sku";

/// Product `id` as the editor opens it, read inside `tx` (what the
/// transaction already wrote included).
pub(crate) async fn product_edit_in(tx: &mut WriteTx<'_>, id: Uuid) -> Result<ProductEdit, StoreError> {
    let head = with_tx!(tx, |c| sqlx::query_as(HEAD_SQL).bind(id).fetch_optional(&mut *c).await)?;
    let rows = with_tx!(tx, |c| sqlx::query_as(VARIANTS_SQL).bind(id).fetch_all(&mut *c).await)?;
    assemble(id, head, rows)
}

fn assemble(id: Uuid, head: Option<HeadRow>, rows: Vec<VariantRow>) -> Result<ProductEdit, StoreError> {
    let (
        vendor_id,
        category_id,
        name,
        description,
        currency,
        options,
        version,
        status,
        note,
        submitted,
        approved,
        vendor_name,
    ) = head.ok_or(StoreError::NotFound { entity: "product", id: id.to_string() })?;
    let options: Vec<ProductOption> = parse(options, "product options")?;
    let mut variants = Vec::with_capacity(rows.len());
    for r in rows {
        variants.push(VariantDraft {
            id: r.id,
            options: parse::<BTreeMap<String, String>>(r.options, "variant options")?,
            sku: r.sku,
            barcode: r.barcode,
            price_minor: r.price_minor,
            compare_at_price_minor: r.compare_at_price_minor,
            weight_grams: r.weight_grams,
            length_mm: r.length_mm,
            width_mm: r.width_mm,
            height_mm: r.height_mm,
            low_stock_threshold: r.low_stock_threshold,
            initial_stock: r.stock_on_hand,
        });
    }
    variants.sort_by_key(|v| position(&options, &v.options));
    let note = note.filter(|_| matches!(status, ProductStatus::Draft | ProductStatus::Rejected));
    Ok(ProductEdit {
        product_id: id,
        version,
        status,
        review_note: note,
        submitted_at: submitted,
        approved_at: approved,
        vendor_name,
        draft: ProductDraft { vendor_id, category_id, name, description, currency, options, variants },
    })
}

impl Store {
    /// Product `id` as the editor opens it.
    pub async fn product_for_editing(&self, id: Uuid) -> Result<ProductEdit, StoreError> {
        let (head, rows): (Option<HeadRow>, Vec<VariantRow>) = with_pool!(&self.db, |p| {
            let head = sqlx::query_as(HEAD_SQL).bind(id).fetch_optional(p).await?;
            let rows = sqlx::query_as(VARIANTS_SQL).bind(id).fetch_all(p).await?;
            Ok::<_, sqlx::Error>((head, rows))
        })?;
        assemble(id, head, rows)
    }

    /// A new product for `vendor` as the editor starts it: a fresh id, the
    /// first category, the currency of the vendor's latest product (else
    /// USD), and one variant.
    pub async fn new_product(&self, vendor: Uuid) -> Result<super::save::ProductSave, StoreError> {
        let (category, currency): (Option<Uuid>, Option<Currency>) = with_pool!(&self.db, |p| {
            let category = sqlx::query_scalar(
                "SELECT id FROM categories WHERE deleted_at IS NULL AND is_active ORDER BY path, name LIMIT 1",
            )
            .fetch_optional(p)
            .await?;
            let currency = sqlx::query_scalar(
                "SELECT currency FROM products WHERE vendor_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 1",
            )
            .bind(vendor)
            .fetch_optional(p)
            .await?;
            Ok::<_, sqlx::Error>((category, currency))
        })?;
        let category = category
            .ok_or_else(|| StoreError::Validation("there is no category to file a product under yet".into()))?;
        let currency = match currency {
            Some(c) => c,
            None => "USD".parse().map_err(|_| StoreError::Corrupt("USD".into()))?,
        };
        Ok(super::save::ProductSave {
            product_id: new_id(),
            version: None,
            draft: ProductDraft {
                vendor_id: vendor,
                category_id: category,
                name: String::new(),
                description: String::new(),
                currency,
                options: Vec::new(),
                variants: regenerate_variants(&[], &[], ""),
            },
        })
    }

    /// The categories in use, as a tree in path order.
    pub async fn category_choices(&self) -> Result<Vec<CategoryChoice>, StoreError> {
        let sql = "SELECT id, name, path, CAST(length(path) - length(replace(path, '/', '')) - 2 AS BIGINT) AS depth \
                   FROM categories WHERE deleted_at IS NULL AND is_active ORDER BY path, name";
        Ok(with_pool!(&self.db, |p| sqlx::query_as(sql).fetch_all(p).await)?)
    }
}

/// Where a variant with `values` stands among the combinations of
/// `options` (the editor's row order); unknown values sort last.
fn position(options: &[ProductOption], values: &BTreeMap<String, String>) -> usize {
    combinations(options).iter().position(|c| c == values).unwrap_or(usize::MAX)
}

/// The variants `options` call for, keeping the rows of `current` whose
/// values still exist (with their ids, SKUs, prices and stock) — a row also
/// carries over to the first combination that extends its values, so adding
/// an option keeps what was typed — and adding a row for each new
/// combination, priced like the first row, with a SKU made from `sku_stem`
/// and the values. Options still without a name or values are left out
/// until they have them.
pub fn regenerate_variants(options: &[ProductOption], current: &[VariantDraft], sku_stem: &str) -> Vec<VariantDraft> {
    let usable: Vec<ProductOption> = options
        .iter()
        .filter(|o| !o.name.trim().is_empty() && o.values.iter().any(|v| !v.trim().is_empty()))
        .map(|o| ProductOption {
            name: o.name.trim().to_owned(),
            values: o.values.iter().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()).collect(),
        })
        .collect();
    let combos = combinations(&usable);
    let mut used = vec![false; current.len()];
    let mut claim = |found: Option<usize>| found.inspect(|&i| used[i] = true);
    let exact: Vec<Option<usize>> =
        combos.iter().map(|combo| claim(current.iter().position(|v| &v.options == combo))).collect();
    let template = current.first().cloned();
    combos
        .into_iter()
        .zip(exact)
        .map(|(combo, exact)| {
            let kept = exact.or_else(|| {
                let i = (0..current.len())
                    .find(|&i| !used[i] && current[i].options.iter().all(|(k, v)| combo.get(k) == Some(v)))?;
                used[i] = true;
                Some(i)
            });
            if let Some(i) = kept {
                return VariantDraft { options: combo, ..current[i].clone() };
            }
            let suffix: Vec<String> = usable
                .iter()
                .filter_map(|o| combo.get(&o.name))
                .map(|v| v.chars().filter(char::is_ascii_alphanumeric).take(6).collect::<String>().to_uppercase())
                .collect();
            let sku = std::iter::once(sku_stem.trim().to_uppercase())
                .chain(suffix)
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            let base = template.as_ref();
            VariantDraft {
                id: new_id(),
                options: combo,
                sku,
                barcode: None,
                price_minor: base.map_or(0, |b| b.price_minor),
                compare_at_price_minor: base.and_then(|b| b.compare_at_price_minor),
                weight_grams: base.map_or(0, |b| b.weight_grams),
                length_mm: base.and_then(|b| b.length_mm),
                width_mm: base.and_then(|b| b.width_mm),
                height_mm: base.and_then(|b| b.height_mm),
                low_stock_threshold: base.map_or(0, |b| b.low_stock_threshold),
                initial_stock: 0,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regenerating_keeps_rows_whose_values_remain() {
        let size = |values: &[&str]| ProductOption {
            name: "Size".into(),
            values: values.iter().map(|v| (*v).into()).collect(),
        };
        let first = regenerate_variants(&[size(&["S", "M"])], &[], "tee");
        assert_eq!(first.iter().map(|v| v.sku.as_str()).collect::<Vec<_>>(), ["TEE-S", "TEE-M"]);
        let mut priced = first.clone();
        priced[1].price_minor = 2500;
        let next = regenerate_variants(&[size(&["M", "L"])], &priced, "tee");
        assert_eq!(next.len(), 2);
        assert_eq!(next[0].id, priced[1].id);
        assert_eq!(next[0].price_minor, 2500);
        assert_eq!(next[1].sku, "TEE-L");
        assert_eq!(regenerate_variants(&[], &[], "tee")[0].sku, "TEE");
    }

    #[test]
    fn an_added_option_extends_the_rows_typed_before() {
        let opt = |name: &str, values: &[&str]| ProductOption {
            name: name.into(),
            values: values.iter().map(|v| (*v).into()).collect(),
        };
        let sized = regenerate_variants(&[opt("Size", &["S", "M"])], &[], "tee");
        let half = regenerate_variants(&[opt("Size", &["S", "M"]), opt("Colour", &[])], &sized, "tee");
        assert_eq!(half, sized, "an option without values yet changes nothing");
        let both = regenerate_variants(&[opt("Size", &["S", "M"]), opt("Colour", &["Red", "Blue"])], &sized, "tee");
        assert_eq!(both.len(), 4);
        assert_eq!((both[0].id, both[0].sku.as_str()), (sized[0].id, "TEE-S"));
        assert_eq!((both[2].id, both[2].sku.as_str()), (sized[1].id, "TEE-M"));
        assert_eq!(both[1].sku, "TEE-S-BLUE");
    }
}
