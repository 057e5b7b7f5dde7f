//! The catalog as a CSV file: one row per variant, the product's fields on
//! each of its rows, its handle (the product's slug) tying them together.
//! The export writes any filtered product list in exactly the shape the
//! import reads, so an exported file imported again changes nothing, and
//! imported into another marketplace gives the same catalog.

use super::editing::ProductEdit;
use crate::documents::spreadsheet::{Cell, ExportFormat, Sink};
use crate::domain::Role;
use crate::orders::view::Reader;
use crate::store::files::PartialFile;
use crate::store::page::{PageRequest, SortDir};
use crate::store::products::{ProductFilter, ProductSort};
use crate::store::{Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use uuid::Uuid;

/// The columns of a product file, in the order the export writes them.
pub const COLUMNS: [&str; 22] = [
    "handle",
    "vendor",
    "name",
    "description",
    "category",
    "currency",
    "option1_name",
    "option1_value",
    "option2_name",
    "option2_value",
    "option3_name",
    "option3_value",
    "sku",
    "barcode",
    "price",
    "compare_at_price",
    "weight_grams",
    "length_mm",
    "width_mm",
    "height_mm",
    "low_stock_threshold",
    "stock",
];

/// The columns every product file needs.
pub const REQUIRED: [&str; 2] = ["sku", "price"];

/// The heading of option `n` (0-based): `option1_name`.
pub fn option_name_column(n: usize) -> &'static str {
    ["option1_name", "option2_name", "option3_name"].get(n).copied().unwrap_or("option1_name")
}

/// The heading of option `n`'s value (0-based): `option1_value`.
pub fn option_value_column(n: usize) -> &'static str {
    ["option1_value", "option2_value", "option3_value"].get(n).copied().unwrap_or("option1_value")
}

/// `minor` units written in whole units with the currency's `digits`
/// (`1250`, 2 → `12.50`), exactly.
pub fn major(minor: i64, digits: u32) -> String {
    rust_decimal::Decimal::new(minor, digits).to_string()
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CatalogExport {
    /// Where the file is.
    pub path: String,
    /// Products written.
    pub products: u64,
    /// Rows written (one per variant).
    pub rows: u64,
}

/// The rows of `edit` as the file holds them.
fn rows_of(edit: &ProductEdit, slug: &str, vendor: &str, category: &str) -> Vec<Vec<String>> {
    let d = &edit.draft;
    let digits = d.currency.minor_digits();
    let mut out = Vec::with_capacity(d.variants.len());
    for v in &d.variants {
        let mut row = vec![
            slug.to_owned(),
            vendor.to_owned(),
            d.name.clone(),
            d.description.clone(),
            category.to_owned(),
            d.currency.as_str().to_owned(),
        ];
        for n in 0..3 {
            let option = d.options.get(n);
            row.push(option.map(|o| o.name.clone()).unwrap_or_default());
            row.push(option.and_then(|o| v.options.get(&o.name)).cloned().unwrap_or_default());
        }
        let side = |s: Option<i32>| s.map(|s| s.to_string()).unwrap_or_default();
        row.extend([
            v.sku.clone(),
            v.barcode.clone().unwrap_or_default(),
            major(v.price_minor, digits),
            v.compare_at_price_minor.map(|c| major(c, digits)).unwrap_or_default(),
            v.weight_grams.to_string(),
            side(v.length_mm),
            side(v.width_mm),
            side(v.height_mm),
            v.low_stock_threshold.to_string(),
            v.initial_stock.to_string(),
        ]);
        out.push(row);
    }
    out
}

/// Writes every product `reader` may see that matches `filter` (all pages,
/// oldest first) to `path` as a product file; a vendor exports only their
/// own. The file appears whole or not at all.
pub async fn export_products(
    store: &Store,
    reader: Reader,
    filter: &ProductFilter,
    path: &Path,
) -> Result<CatalogExport, StoreError> {
    let mut filter = filter.clone();
    match reader.role {
        Role::Admin | Role::Logistics | Role::Finance => {}
        Role::Vendor => filter.vendor_id = Some(reader.id),
        _ => return Err(StoreError::AccessDenied("customers do not export the catalog".into())),
    }
    let (partial, file) = PartialFile::create(path)?;
    let mut sink = Sink::open(ExportFormat::Csv, file).map_err(|e| StoreError::Validation(e.to_string()))?;
    sink.header(&COLUMNS, &[]).map_err(|e| StoreError::Validation(e.to_string()))?;
    let categories: HashMap<Uuid, String> =
        store.category_choices().await?.into_iter().map(|c| (c.id, c.path.trim_matches('/').to_owned())).collect();
    let mut vendors: HashMap<Uuid, String> = HashMap::new();
    let mut page = PageRequest { sort: ProductSort::CreatedAt, dir: SortDir::Asc, after: None, limit: 500 };
    let (mut products, mut rows) = (0u64, 0u64);
    loop {
        let list = store.list_products(&filter, &page).await?;
        for p in &list.items {
            let edit = store.product_for_editing(p.id).await?;
            if let std::collections::hash_map::Entry::Vacant(slot) = vendors.entry(p.vendor_id) {
                let email: Option<String> =
                    with_pool!(&store.db, |c| sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
                        .bind(p.vendor_id)
                        .fetch_optional(c)
                        .await)?;
                slot.insert(email.unwrap_or_else(|| p.vendor_id.to_string()));
            }
            let vendor = vendors.get(&p.vendor_id).map(String::as_str).unwrap_or("");
            let category = categories.get(&edit.draft.category_id).map(String::as_str).unwrap_or("");
            for row in rows_of(&edit, &p.slug, vendor, category) {
                let cells: Vec<Cell<'_>> = row.iter().map(|t| Cell::Text(t)).collect();
                sink.row(&cells).map_err(|e| StoreError::Validation(e.to_string()))?;
                rows += 1;
            }
            products += 1;
        }
        match list.next_cursor {
            Some(next) => page.after = Some(next),
            None => break,
        }
    }
    sink.finish().map_err(|e| StoreError::Validation(e.to_string()))?;
    partial.commit()?;
    Ok(CatalogExport { path: path.display().to_string(), products, rows })
}
