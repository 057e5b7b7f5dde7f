//! A product as a reviewer judges it — what buyers would see — taken from
//! the rows, kept when an admin approves it, and compared field by field
//! with the product as it stands, so a change to a live product is reviewed
//! as a diff rather than read again whole.

use crate::domain::product_draft::ProductOption;
use crate::domain::{Currency, Money};
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// What a reviewer judges of one variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct VariantSnapshot {
    /// Its id (variants are matched by id, so a new SKU reads as a change).
    pub id: Uuid,
    /// Stock-keeping unit.
    pub sku: String,
    /// Its name.
    pub name: String,
    /// Its option values, as JSON text.
    pub options: Option<String>,
    /// Price, minor units.
    pub price_minor: i64,
    /// "Was" price, minor units.
    pub compare_at_price_minor: Option<i64>,
    /// GTIN.
    pub barcode: Option<String>,
    /// Weight, grams.
    pub weight_grams: i32,
    /// Packed length, mm.
    pub length_mm: Option<i32>,
    /// Packed width, mm.
    pub width_mm: Option<i32>,
    /// Packed height, mm.
    pub height_mm: Option<i32>,
}

/// What a reviewer judges of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductSnapshot {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// The category's name.
    pub category: String,
    /// Currency of its prices.
    pub currency: Currency,
    /// Its options.
    pub options: Vec<ProductOption>,
    /// Its live variants, by SKU.
    pub variants: Vec<VariantSnapshot>,
    /// Its gallery in order, each picture as "file (alt text)"; `None` in a
    /// snapshot kept before pictures were reviewed (then not compared).
    #[serde(default)]
    pub images: Option<Vec<String>>,
}

/// One field that differs between two snapshots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FieldChange {
    /// What changed, in words: "Name", "Variant SH-M: price".
    pub field: String,
    /// The value before, as shown; `None` when it did not exist.
    pub before: Option<String>,
    /// The value now, as shown; `None` when it was removed.
    pub after: Option<String>,
}

/// What changed in a product since an admin last approved it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProductChanges {
    /// Whether it was ever approved; when not, every field reads as new.
    pub was_approved: bool,
    /// The fields that differ, product first, then variants by SKU.
    pub changes: Vec<FieldChange>,
}

type HeadRow = (String, String, String, Currency, Option<String>);

const HEAD_SQL: &str = "SELECT p.name, p.description, coalesce(c.name, ''), p.currency, CAST(p.options AS TEXT) \
     FROM products p LEFT JOIN categories c ON c.id = p.category_id WHERE p.id = $1";
const IMAGES_SQL: &str = "SELECT coalesce(substr(content_sha256, 1, 12), url) AS file, alt_text FROM product_images \
     WHERE product_id = $1 AND deleted_at IS NULL ORDER BY position, id";
const VARIANTS_SQL: &str = "SELECT id, sku, name, CAST(options AS TEXT) AS options, price_minor, compare_at_price_minor, \
     barcode, weight_grams, length_mm, width_mm, height_mm FROM product_variants \
     WHERE product_id = $1 AND deleted_at IS NULL ORDER BY sku, id";

fn pictures(rows: Vec<(String, Option<String>)>) -> Vec<String> {
    rows.into_iter()
        .map(|(file, alt)| match alt.filter(|a| !a.trim().is_empty()) {
            Some(alt) => format!("{file} ({alt})"),
            None => file,
        })
        .collect()
}

fn assemble(
    head: Option<HeadRow>,
    variants: Vec<VariantSnapshot>,
    images: Vec<(String, Option<String>)>,
    id: Uuid,
) -> Result<ProductSnapshot, StoreError> {
    let (name, description, category, currency, options) =
        head.ok_or(StoreError::NotFound { entity: "product", id: id.to_string() })?;
    let options = match options {
        Some(text) => serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(format!("product options: {e}")))?,
        None => Vec::new(),
    };
    Ok(ProductSnapshot { name, description, category, currency, options, variants, images: Some(pictures(images)) })
}

/// The product `id` as it stands, read inside `tx`.
pub async fn snapshot_in(tx: &mut WriteTx<'_>, id: Uuid) -> Result<ProductSnapshot, StoreError> {
    let head: Option<HeadRow> = with_tx!(tx, |c| sqlx::query_as(HEAD_SQL).bind(id).fetch_optional(&mut *c).await)?;
    let variants = with_tx!(tx, |c| sqlx::query_as(VARIANTS_SQL).bind(id).fetch_all(&mut *c).await)?;
    let images = with_tx!(tx, |c| sqlx::query_as(IMAGES_SQL).bind(id).fetch_all(&mut *c).await)?;
    assemble(head, variants, images, id)
}

/// What changed in product `id` since it was last approved.
pub async fn product_changes(store: &Store, id: Uuid) -> Result<ProductChanges, StoreError> {
    type Read = (Option<HeadRow>, Vec<VariantSnapshot>, Vec<(String, Option<String>)>, Option<Option<String>>);
    let (head, variants, images, kept): Read = with_pool!(&store.db, |p| {
        let head = sqlx::query_as(HEAD_SQL).bind(id).fetch_optional(p).await?;
        let variants = sqlx::query_as(VARIANTS_SQL).bind(id).fetch_all(p).await?;
        let images = sqlx::query_as(IMAGES_SQL).bind(id).fetch_all(p).await?;
        let kept = sqlx::query_scalar("SELECT CAST(approved_snapshot AS TEXT) FROM products WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await?;
        Ok::<_, sqlx::Error>((head, variants, images, kept))
    })?;
    let now = assemble(head, variants, images, id)?;
    let before = match kept.flatten() {
        Some(text) => Some(
            serde_json::from_str::<ProductSnapshot>(&text)
                .map_err(|e| StoreError::Corrupt(format!("approved snapshot: {e}")))?,
        ),
        None => None,
    };
    Ok(ProductChanges { was_approved: before.is_some(), changes: diff(before.as_ref(), &now) })
}

fn money(minor: i64, currency: Currency) -> String {
    Money::new(minor, currency).to_string()
}

fn options_text(options: &[ProductOption]) -> String {
    options.iter().map(|o| format!("{}: {}", o.name, o.values.join(", "))).collect::<Vec<_>>().join("; ")
}

fn variant_fields(v: &VariantSnapshot, currency: Currency) -> Vec<(&'static str, Option<String>)> {
    let values: Option<BTreeMap<String, String>> = v.options.as_deref().and_then(|t| serde_json::from_str(t).ok());
    let size = match (v.length_mm, v.width_mm, v.height_mm) {
        (Some(l), Some(w), Some(h)) => Some(format!("{l} × {w} × {h} mm")),
        (None, None, None) => None,
        (l, w, h) => Some(format!("{:?} × {:?} × {:?} mm", l, w, h).replace("Some(", "").replace(')', "")),
    };
    vec![
        ("SKU", Some(v.sku.clone())),
        ("name", Some(v.name.clone())),
        (
            "options",
            values
                .filter(|m| !m.is_empty())
                .map(|m| m.iter().map(|(k, val)| format!("{k}: {val}")).collect::<Vec<_>>().join(", ")),
        ),
        ("price", Some(money(v.price_minor, currency))),
        ("was price", v.compare_at_price_minor.map(|m| money(m, currency))),
        ("barcode", v.barcode.clone()),
        ("weight", Some(format!("{} g", v.weight_grams))),
        ("size", size),
    ]
}

/// The fields that differ from `before` (nothing approved yet: every field
/// is new) to `after`.
pub fn diff(before: Option<&ProductSnapshot>, after: &ProductSnapshot) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let mut push = |field: String, b: Option<String>, a: Option<String>| {
        if b != a {
            out.push(FieldChange { field, before: b, after: a });
        }
    };
    let head = |s: &ProductSnapshot| {
        [
            ("Name", Some(s.name.clone())),
            ("Description", Some(s.description.clone()).filter(|d| !d.is_empty())),
            ("Category", Some(s.category.clone())),
            ("Currency", Some(s.currency.to_string())),
            ("Options", Some(options_text(&s.options)).filter(|o| !o.is_empty())),
        ]
    };
    let now = head(after);
    let was = before.map(head);
    for (i, (label, value)) in now.into_iter().enumerate() {
        push(label.into(), was.as_ref().and_then(|w| w[i].1.clone()), value);
    }
    let old: BTreeMap<Uuid, &VariantSnapshot> =
        before.map(|b| b.variants.iter().map(|v| (v.id, v)).collect()).unwrap_or_default();
    for v in &after.variants {
        let fields = variant_fields(v, after.currency);
        match old.get(&v.id) {
            Some(o) => {
                let was_fields = variant_fields(o, before.map_or(after.currency, |b| b.currency));
                for ((label, a), (_, b)) in fields.into_iter().zip(was_fields) {
                    push(format!("Variant {}: {label}", v.sku), b, a);
                }
            }
            None => push(format!("Variant {}", v.sku), None, Some(summary(&fields))),
        }
    }
    let gallery = |images: &[String]| {
        Some(images.iter().enumerate().map(|(i, f)| format!("{}. {f}", i + 1)).collect::<Vec<_>>().join("; "))
            .filter(|g| !g.is_empty())
    };
    match (before.map(|b| b.images.as_deref()), after.images.as_deref()) {
        (Some(None), _) | (_, None) => {}
        (was, Some(now)) => push("Images".into(), was.flatten().and_then(gallery), gallery(now)),
    }
    if let Some(b) = before {
        for o in b.variants.iter().filter(|o| !after.variants.iter().any(|v| v.id == o.id)) {
            push(format!("Variant {}", o.sku), Some(summary(&variant_fields(o, b.currency))), None);
        }
    }
    out
}

fn summary(fields: &[(&'static str, Option<String>)]) -> String {
    fields.iter().filter_map(|(l, v)| v.as_ref().map(|v| format!("{l} {v}"))).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variant(sku: &str, price: i64) -> VariantSnapshot {
        VariantSnapshot {
            id: crate::domain::new_id(),
            sku: sku.into(),
            name: sku.into(),
            options: None,
            price_minor: price,
            compare_at_price_minor: None,
            barcode: None,
            weight_grams: 100,
            length_mm: None,
            width_mm: None,
            height_mm: None,
        }
    }

    fn product(variants: Vec<VariantSnapshot>) -> ProductSnapshot {
        ProductSnapshot {
            name: "Lamp".into(),
            description: "Bright".into(),
            category: "Home".into(),
            currency: "EUR".parse().unwrap(),
            options: vec![],
            variants,
            images: Some(vec![]),
        }
    }

    #[test]
    fn an_unchanged_product_has_no_diff() {
        let p = product(vec![variant("L-1", 1000)]);
        assert!(diff(Some(&p), &p).is_empty());
    }

    #[test]
    fn changes_are_named_field_by_field() {
        let kept = variant("L-1", 1000);
        let gone = variant("L-2", 2000);
        let before = product(vec![kept.clone(), gone.clone()]);
        let mut cheaper = kept.clone();
        cheaper.price_minor = 900;
        let mut after = product(vec![cheaper, variant("L-3", 3000)]);
        after.name = "Desk lamp".into();
        let changes = diff(Some(&before), &after);
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["Name", "Variant L-1: price", "Variant L-3", "Variant L-2"]);
        assert_eq!(changes[1].before.as_deref(), Some("EUR 10.00"));
        assert_eq!(changes[1].after.as_deref(), Some("EUR 9.00"));
        assert_eq!(changes[2].before, None);
        assert_eq!(changes[3].after, None);
    }

    #[test]
    fn pictures_are_compared_in_order_once_kept() {
        let mut kept = product(vec![variant("L-1", 1000)]);
        kept.images = Some(vec!["3fa2c1 (Front)".into()]);
        let mut now = kept.clone();
        now.images = Some(vec!["9b01d4".into(), "3fa2c1 (Front)".into()]);
        let changes = diff(Some(&kept), &now);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].field, "Images");
        assert_eq!(changes[0].before.as_deref(), Some("1. 3fa2c1 (Front)"));
        assert_eq!(changes[0].after.as_deref(), Some("1. 9b01d4; 2. 3fa2c1 (Front)"));
        kept.images = None;
        assert!(diff(Some(&kept), &now).is_empty(), "a snapshot kept before pictures were reviewed");
    }

    #[test]
    fn a_product_never_approved_reads_as_new() {
        let p = product(vec![variant("L-1", 1000)]);
        let changes = diff(None, &p);
        assert!(changes.iter().all(|c| c.before.is_none()));
        assert_eq!(changes.len(), 5);
    }
}
