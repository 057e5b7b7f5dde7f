//! How the rows of a product file become a product: where each column is,
//! which rows belong together, the categories a row may name, where each of
//! a draft's problems sits in the file (line and column), whether a product
//! already is as the file says, and what saving it changes, in words.

use super::csv_file::{CsvFile, Row};
use super::import_report::ImportProblem;
use super::product_csv::{option_name_column, option_value_column};
use crate::domain::product_draft::{DraftProblem, ProductDraft, VariantDraft};
use crate::store::products::slugify;
use std::collections::HashMap;
use std::io::Read;
use uuid::Uuid;

/// Where each column of the file is.
pub(super) struct Columns {
    pub(super) handle: Option<usize>,
    pub(super) vendor: Option<usize>,
    pub(super) name: Option<usize>,
    pub(super) description: Option<usize>,
    pub(super) category: Option<usize>,
    pub(super) currency: Option<usize>,
    pub(super) option_names: [Option<usize>; 3],
    pub(super) option_values: [Option<usize>; 3],
    pub(super) sku: Option<usize>,
    pub(super) barcode: Option<usize>,
    pub(super) price: Option<usize>,
    pub(super) compare_at: Option<usize>,
    pub(super) weight: Option<usize>,
    pub(super) length: Option<usize>,
    pub(super) width: Option<usize>,
    pub(super) height: Option<usize>,
    pub(super) threshold: Option<usize>,
    pub(super) stock: Option<usize>,
}

impl Columns {
    pub(super) fn of<R: Read>(f: &CsvFile<R>) -> Self {
        Columns {
            handle: f.column("handle"),
            vendor: f.column("vendor"),
            name: f.column("name"),
            description: f.column("description"),
            category: f.column("category"),
            currency: f.column("currency"),
            option_names: [0, 1, 2].map(|n| f.column(option_name_column(n))),
            option_values: [0, 1, 2].map(|n| f.column(option_value_column(n))),
            sku: f.column("sku"),
            barcode: f.column("barcode"),
            price: f.column("price"),
            compare_at: f.column("compare_at_price"),
            weight: f.column("weight_grams"),
            length: f.column("length_mm"),
            width: f.column("width_mm"),
            height: f.column("height_mm"),
            threshold: f.column("low_stock_threshold"),
            stock: f.column("stock"),
        }
    }

    /// The product a row starts: (vendor, handle or slug of the name);
    /// `None` for a row that goes on the product above (both left empty).
    pub(super) fn key(&self, r: &Row) -> Option<(String, String)> {
        let handle = r.cell(self.handle);
        let handle = if handle.is_empty() { slugify(r.cell(self.name)) } else { handle.to_owned() };
        (!handle.is_empty()).then(|| (r.cell(self.vendor).to_lowercase(), handle))
    }
}

pub(super) fn at(line: u64, column: &str, message: impl Into<String>) -> ImportProblem {
    ImportProblem { line, column: Some(column.to_owned()), message: message.into() }
}

/// The file's cell, or `None` when the file has no such column (the
/// product keeps what it has).
pub(super) fn given(r: &Row, column: Option<usize>) -> Option<&str> {
    column.map(|_| r.cell(column))
}

/// Where a problem of the draft sits in the file.
fn place(p: &DraftProblem, rows: &[Row]) -> ImportProblem {
    let first = rows[0].line;
    let indexed = |rest: &str| -> Option<(usize, String)> {
        let (i, field) = rest.split_once("].")?;
        Some((i.parse().ok()?, field.to_owned()))
    };
    if let Some((i, field)) = p.field.strip_prefix("variants[").and_then(indexed) {
        let column = match field.as_str() {
            "price_minor" => "price",
            "compare_at_price_minor" => "compare_at_price",
            "initial_stock" => "stock",
            "options" => "option1_value",
            "id" => "sku",
            other => other,
        };
        return at(rows.get(i).map_or(first, |r| r.line), column, p.message.clone());
    }
    if let Some((i, field)) = p.field.strip_prefix("options[").and_then(indexed) {
        let column = if field == "name" { option_name_column(i) } else { option_value_column(i) };
        return at(first, column, p.message.clone());
    }
    let column = match p.field.as_str() {
        "category_id" => "category",
        "variants" => "sku",
        "options" => "option1_name",
        other => other,
    };
    at(first, column, p.message.clone())
}

/// `found` (the cells at fault) and then the draft's `problems`, each put
/// where it sits in the file — one per cell, the first kept. Variant ids are
/// the import's own: two rows with one SKU share one, and the SKU says so.
pub(super) fn placed(mut found: Vec<ImportProblem>, problems: &[DraftProblem], rows: &[Row]) -> Vec<ImportProblem> {
    for p in problems.iter().filter(|p| !p.field.ends_with(".id")).map(|p| place(p, rows)) {
        if !found.iter().any(|b| b.line == p.line && b.column == p.column) {
            found.push(p);
        }
    }
    found
}

/// Whether `a` and `b` hold the same product (stock aside: an import
/// never types stock over).
pub(super) fn same(a: &ProductDraft, b: &ProductDraft) -> bool {
    fn variants(d: &ProductDraft) -> Vec<VariantDraft> {
        let mut v: Vec<VariantDraft> =
            d.variants.iter().cloned().map(|v| VariantDraft { initial_stock: 0, ..v }).collect();
        v.sort_by_key(|v| v.id);
        v
    }
    (a.vendor_id, a.category_id, &a.name, &a.description, a.currency, &a.options)
        == (b.vendor_id, b.category_id, &b.name, &b.description, b.currency, &b.options)
        && variants(a) == variants(b)
}

/// The categories in use, by path (`home/lighting`) and by name.
pub(super) struct Categories {
    pub(super) by_path: HashMap<String, Uuid>,
    pub(super) by_name: HashMap<String, Vec<Uuid>>,
}

impl Categories {
    pub(super) fn find(&self, text: &str) -> Result<Uuid, String> {
        let t = text.trim().trim_matches('/').to_lowercase();
        if let Some(id) = self.by_path.get(&t) {
            return Ok(*id);
        }
        match self.by_name.get(&t).map(Vec::as_slice) {
            Some([one]) => Ok(*one),
            Some(many) if many.len() > 1 => {
                Err(format!("{} categories are called “{text}”: give its path (e.g. home/lighting)", many.len()))
            }
            _ => Err(format!("no category “{text}” is in use (give its path, e.g. home/lighting, or its name)")),
        }
    }
}
/// What saving `new` over `old` does to the variants, in words.
pub(super) fn describe(old: Option<&ProductDraft>, new: &ProductDraft) -> String {
    let Some(old) = old else {
        let n = new.variants.len();
        return format!("{n} variant{}", if n == 1 { "" } else { "s" });
    };
    let before: HashMap<Uuid, &VariantDraft> = old.variants.iter().map(|v| (v.id, v)).collect();
    let (mut added, mut changed) = (0, 0);
    for v in &new.variants {
        match before.get(&v.id) {
            None => added += 1,
            Some(b)
                if VariantDraft { initial_stock: 0, ..(*b).clone() }
                    != VariantDraft { initial_stock: 0, ..v.clone() } =>
            {
                changed += 1
            }
            Some(_) => {}
        }
    }
    let retired = old.variants.iter().filter(|v| !new.variants.iter().any(|n| n.id == v.id)).count();
    let mut parts = Vec::new();
    for (n, word) in [(added, "added"), (changed, "changed"), (retired, "retired")] {
        if n > 0 {
            parts.push(format!("{n} variant{} {word}", if n == 1 { "" } else { "s" }));
        }
    }
    if parts.is_empty() { "product details changed".into() } else { parts.join(", ") }
}
