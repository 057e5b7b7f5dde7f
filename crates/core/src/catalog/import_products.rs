//! Importing products from a CSV file (the shape `product_csv` writes):
//! each product's rows are read together, checked against the catalog as it
//! stands — vendor, category, currency, numbers, the editor's own rules,
//! SKUs the vendor already uses — and saved through the editor's save, so an
//! imported product is in the review flow and the audit trail like any
//! other. A dry run does the very same work in a transaction it rolls back;
//! an apply commits only when no row has a problem. Nothing is half
//! written, and the same file applied again changes nothing.

use super::csv_file::{CsvFile, Next, Row, money, whole_number};
use super::editing::{ProductEdit, product_edit_in};
use super::import_report::{ImportAction, ImportMode, ImportOutcome, ImportProblem, ImportReport};
use super::product_csv::{COLUMNS, REQUIRED, option_name_column, option_value_column};
use super::product_rows::{Categories, Columns, at, describe, given, placed, same};
use super::save::{ProductSave, draft_problems_in, save_with_slug_in};
use crate::domain::product_draft::{ProductDraft, ProductOption, VariantDraft};
use crate::domain::{Currency, Role, new_id};
use crate::orders::view::Reader;
use crate::store::audit::{NewAuditEntry, record_audit_in};
use crate::store::products::slugify;
use crate::store::write_tx::{Savepoint, WriteTx, with_tx};
use crate::store::{Store, StoreError};
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use uuid::Uuid;

/// One run over a product file.
struct Importer {
    actor: Reader,
    cols: Columns,
    report: ImportReport,
    categories: Categories,
    vendors: HashMap<String, Result<Uuid, String>>,
    seen: HashMap<(Uuid, String), u64>,
}

impl Importer {
    /// The vendor a product's first row names.
    async fn vendor(&mut self, tx: &mut WriteTx<'_>, text: &str) -> Result<Result<Uuid, String>, StoreError> {
        let key = text.trim().to_lowercase();
        if let Some(known) = self.vendors.get(&key) {
            return Ok(known.clone());
        }
        let found = vendor_named_in(tx, self.actor, text).await?;
        self.vendors.insert(key, found.clone());
        Ok(found)
    }

    /// Reads, checks and (when it has no problem) saves the product of `rows`.
    async fn product(&mut self, tx: &mut WriteTx<'_>, rows: Vec<Row>) -> Result<(), StoreError> {
        let c = &self.cols;
        let first = &rows[0];
        let line = first.line;
        let mut bad: Vec<ImportProblem> = Vec::new();
        let handle_cell = first.cell(c.handle).to_owned();
        let handle = if handle_cell.is_empty() { slugify(first.cell(c.name)) } else { handle_cell.clone() };
        if !handle_cell.is_empty() && slugify(&handle_cell) != handle_cell {
            bad.push(at(
                line,
                "handle",
                format!("“{handle_cell}” is not a handle: use lower-case letters, digits and dashes (linen-shirt)"),
            ));
        }
        for r in &rows[1..] {
            for (name, col) in [
                ("vendor", c.vendor),
                ("name", c.name),
                ("description", c.description),
                ("category", c.category),
                ("currency", c.currency),
            ] {
                let cell = r.cell(col);
                if !cell.is_empty() && cell != first.cell(col) {
                    bad.push(at(r.line, name, format!("differs from line {line}, where this product starts")));
                }
            }
        }
        let vendor_text = first.cell(c.vendor).to_owned();
        let vendor = match self.vendor(tx, &vendor_text).await? {
            Ok(v) => v,
            Err(message) => {
                bad.push(at(line, "vendor", message));
                return self.refuse(&handle, line, bad);
            }
        };
        let c = &self.cols;
        if let Some(earlier) = self.seen.insert((vendor, handle.clone()), line) {
            bad.push(at(
                line,
                "handle",
                format!("the rows of one product must follow each other: “{handle}” also starts on line {earlier}"),
            ));
        }
        let existing_id: Option<Uuid> = with_tx!(tx, |cx| sqlx::query_scalar(
            "SELECT id FROM products WHERE vendor_id = $1 AND slug = $2 AND deleted_at IS NULL"
        )
        .bind(vendor)
        .bind(&handle)
        .fetch_optional(&mut *cx)
        .await)?;
        let existing: Option<ProductEdit> = match existing_id {
            Some(id) => Some(product_edit_in(tx, id).await?),
            None => None,
        };
        let old = existing.as_ref().map(|e| &e.draft);
        let name = given(first, c.name).map(str::to_owned).or_else(|| old.map(|d| d.name.clone())).unwrap_or_default();
        let description = given(first, c.description)
            .map(str::to_owned)
            .or_else(|| old.map(|d| d.description.clone()))
            .unwrap_or_default();
        let category = match given(first, c.category).filter(|t| !t.is_empty()) {
            Some(text) => self.categories.find(text).map_err(|m| bad.push(at(line, "category", m))).ok(),
            None => old.map(|d| d.category_id).or_else(|| {
                bad.push(at(line, "category", "a new product needs a category (its path, e.g. home/lighting)"));
                None
            }),
        };
        let currency = match given(first, c.currency).filter(|t| !t.is_empty()) {
            Some(text) => text
                .to_uppercase()
                .parse::<Currency>()
                .map_err(|_| {
                    bad.push(at(line, "currency", format!("“{text}” is not a currency code (three letters, e.g. EUR)")))
                })
                .ok(),
            None => old.map(|d| d.currency).or_else(|| {
                bad.push(at(line, "currency", "a new product needs the currency of its prices (e.g. EUR)"));
                None
            }),
        };
        let mut options: Vec<ProductOption> = Vec::new();
        for n in 0..3 {
            let name = first.cell(c.option_names[n]);
            if name.is_empty() {
                continue;
            }
            if options.len() < n {
                bad.push(at(line, option_name_column(n), "fill the options in order, from option1 on"));
            }
            options.push(ProductOption { name: name.to_owned(), values: Vec::new() });
        }
        let digits = currency.map_or(2, |c| c.minor_digits());
        let mut variants = Vec::with_capacity(rows.len());
        for r in &rows {
            let mut values = BTreeMap::new();
            for n in 0..3 {
                let (name, value) = (r.cell(c.option_names[n]), r.cell(c.option_values[n]));
                match options.get_mut(n) {
                    Some(o) => {
                        if !name.is_empty() && !name.eq_ignore_ascii_case(&o.name) {
                            bad.push(at(
                                r.line,
                                option_name_column(n),
                                format!("“{name}” but line {line} calls this option “{}”", o.name),
                            ));
                        } else if value.is_empty() {
                            bad.push(at(r.line, option_value_column(n), format!("a value of {} is needed", o.name)));
                        } else {
                            if !o.values.iter().any(|v| v == value) {
                                o.values.push(value.to_owned());
                            }
                            values.insert(o.name.clone(), value.to_owned());
                        }
                    }
                    None if !name.is_empty() || !value.is_empty() => {
                        bad.push(at(
                            r.line,
                            option_value_column(n),
                            format!("line {line}, where this product starts, names no option {}", n + 1),
                        ));
                    }
                    None => {}
                }
            }
            let sku = r.cell(c.sku).to_owned();
            let was = old.and_then(|d| d.variants.iter().find(|v| v.sku.eq_ignore_ascii_case(&sku)));
            let mut number = |col: Option<usize>, column: &str, max: i64| -> Option<Option<i64>> {
                match given(r, col) {
                    None => None,
                    Some("") => Some(None),
                    Some(text) => match whole_number(text, 0, max) {
                        Ok(n) => Some(Some(n)),
                        Err(m) => {
                            bad.push(at(r.line, column, m));
                            Some(None)
                        }
                    },
                }
            };
            let max = i64::from(i32::MAX);
            let weight = number(c.weight, "weight_grams", max);
            let length = number(c.length, "length_mm", max);
            let width = number(c.width, "width_mm", max);
            let height = number(c.height, "height_mm", max);
            let threshold = number(c.threshold, "low_stock_threshold", max);
            let stock = number(c.stock, "stock", max);
            let price = match r.cell(c.price) {
                "" => {
                    bad.push(at(r.line, "price", "a price is needed"));
                    0
                }
                text => money(text, digits).unwrap_or_else(|m| {
                    bad.push(at(r.line, "price", m));
                    0
                }),
            };
            let compare_at = match given(r, c.compare_at) {
                None => was.and_then(|v| v.compare_at_price_minor),
                Some("") => None,
                Some(text) => money(text, digits).map_err(|m| bad.push(at(r.line, "compare_at_price", m))).ok(),
            };
            let side = |n: Option<Option<i64>>, old: Option<i32>| match n {
                None => old,
                Some(v) => v.and_then(|v| i32::try_from(v).ok()),
            };
            let whole = |n: Option<Option<i64>>, old: Option<i32>| side(n, old).unwrap_or(0);
            let on_hand = was.map(|v| v.initial_stock);
            let stock = whole(stock, on_hand);
            if let Some(held) = on_hand.filter(|h| *h != stock && c.stock.is_some()) {
                self.report.note(at(
                    r.line,
                    "stock",
                    format!("{stock} differs from the {held} on hand: a product import leaves the stock of existing variants alone (record a count with a stock import)"),
                ));
            }
            variants.push(VariantDraft {
                id: was.map_or_else(new_id, |v| v.id),
                options: values,
                sku,
                barcode: match given(r, c.barcode) {
                    None => was.and_then(|v| v.barcode.clone()),
                    Some(b) => Some(b.to_owned()),
                },
                price_minor: price,
                compare_at_price_minor: compare_at,
                weight_grams: whole(weight, was.map(|v| v.weight_grams)),
                length_mm: side(length, was.and_then(|v| v.length_mm)),
                width_mm: side(width, was.and_then(|v| v.width_mm)),
                height_mm: side(height, was.and_then(|v| v.height_mm)),
                low_stock_threshold: whole(threshold, was.map(|v| v.low_stock_threshold)),
                initial_stock: stock,
            });
        }
        let draft = ProductDraft {
            vendor_id: vendor,
            category_id: category.unwrap_or_default(),
            name,
            description,
            currency: currency.unwrap_or(Currency::EUR),
            options,
            variants,
        }
        .tidied();
        if !bad.is_empty() || category.is_none() || currency.is_none() {
            // The draft's own rules too, where no cell of the row was at fault.
            let pure = draft.problems();
            return self.refuse(&handle, line, placed(bad, &pure, &rows));
        }
        let product_id = existing.as_ref().map_or_else(new_id, |e| e.product_id);
        let problems = draft_problems_in(tx, product_id, &draft).await?;
        if !problems.is_empty() {
            return self.refuse(&handle, line, placed(Vec::new(), &problems, &rows));
        }
        if existing.as_ref().is_some_and(|e| same(&e.draft, &draft)) {
            self.report.outcome(ImportOutcome {
                line,
                key: handle,
                action: ImportAction::Unchanged,
                detail: String::new(),
            });
            return Ok(());
        }
        let detail = describe(existing.as_ref().map(|e| &e.draft), &draft);
        let save = ProductSave { product_id, version: existing.as_ref().map(|e| e.version), draft };
        tx.savepoint(Savepoint::Set, "product_import").await?;
        match save_with_slug_in(tx, self.actor, &save, Some(&handle)).await {
            Ok(_) => {
                tx.savepoint(Savepoint::Release, "product_import").await?;
                let action = if existing.is_some() { ImportAction::Update } else { ImportAction::Create };
                self.report.outcome(ImportOutcome { line, key: handle, action, detail });
                Ok(())
            }
            Err(e) if row_problem(&e) => {
                tx.savepoint(Savepoint::RollBack, "product_import").await?;
                tx.savepoint(Savepoint::Release, "product_import").await?;
                self.refuse(&handle, line, vec![ImportProblem { line, column: None, message: e.to_string() }])
            }
            Err(e) => Err(e),
        }
    }

    fn refuse(&mut self, handle: &str, line: u64, mut problems: Vec<ImportProblem>) -> Result<(), StoreError> {
        let rank = |c: &Option<String>| c.as_deref().and_then(|c| COLUMNS.iter().position(|k| *k == c));
        problems.sort_by_key(|p| (p.line, rank(&p.column).unwrap_or(usize::MAX)));
        let detail = format!("{} problem{}", problems.len(), if problems.len() == 1 { "" } else { "s" });
        for p in problems {
            self.report.problem(p);
        }
        self.report.outcome(ImportOutcome { line, key: handle.to_owned(), action: ImportAction::Refused, detail });
        Ok(())
    }
}

/// The vendor `text` names (e-mail or username) as `actor` may import for:
/// a vendor only themselves (an empty cell means them), staff anyone (an
/// empty cell is a problem). The inner error is the problem to report.
pub(super) async fn vendor_named_in(
    tx: &mut WriteTx<'_>,
    actor: Reader,
    text: &str,
) -> Result<Result<Uuid, String>, StoreError> {
    let key = text.trim().to_lowercase();
    let own = actor.role == Role::Vendor;
    if key.is_empty() {
        return Ok(if own { Ok(actor.id) } else { Err("say whose it is: the vendor's e-mail or username".into()) });
    }
    let id: Option<Uuid> = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT id FROM users WHERE role = 'vendor' AND deleted_at IS NULL \
         AND (email = $1 OR lower(username) = $1) ORDER BY created_at LIMIT 1"
    )
    .bind(&key)
    .fetch_optional(&mut *c)
    .await)?;
    Ok(match id {
        Some(id) if !own || id == actor.id => Ok(id),
        _ if own => Err("a vendor imports only their own catalog".into()),
        _ => Err(format!("no vendor “{}”", text.trim())),
    })
}

/// Ends an import's transaction: with `mode` Apply and no problem, records
/// `action` on `table` in the audit trail (the file's name and SHA-256 and
/// the counts) and commits; otherwise rolls every row back.
pub(super) async fn finish_in(
    mut tx: WriteTx<'_>,
    actor: Reader,
    (action, table): (&str, &str),
    source: &str,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    report.problems.sort_by_key(|p| p.line);
    if report.mode != ImportMode::Apply || report.has_problems() {
        return Ok(());
    }
    let entry = NewAuditEntry {
        actor_id: Some(actor.id),
        actor_role: Some(actor.role.as_str().into()),
        action: action.into(),
        entity_table: Some(table.into()),
        entity_id: None,
        details: Some(serde_json::json!({
            "file": source, "sha256": report.digest, "rows": report.rows, "created": report.created,
            "updated": report.updated, "unchanged": report.unchanged,
        })),
    };
    record_audit_in(&mut tx, &entry).await?;
    tx.commit().await?;
    report.applied = true;
    Ok(())
}

/// Whether `e` is about the row (reported, the import goes on) rather than
/// the database or the connection (the import stops).
pub(super) fn row_problem(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::AccessDenied(_)
            | StoreError::Validation(_)
            | StoreError::Invalid { .. }
            | StoreError::Duplicate { .. }
            | StoreError::Reference { .. }
            | StoreError::VersionConflict { .. }
            | StoreError::NotFound { .. }
    )
}

/// Imports the product file `file` (named `source` in the audit trail) as
/// `actor` — a vendor their own products, an admin anyone's — in `mode`.
pub async fn import_products<R: Read>(
    store: &Store,
    actor: Reader,
    source: &str,
    file: R,
    mode: ImportMode,
) -> Result<ImportReport, StoreError> {
    if !matches!(actor.role, Role::Admin | Role::Vendor) {
        return Err(StoreError::AccessDenied("only vendors and admins import products".into()));
    }
    let mut report = ImportReport::new(mode);
    let mut csv = match CsvFile::open(file, &COLUMNS, &REQUIRED) {
        Ok(f) => f,
        Err(problems) => {
            problems.into_iter().for_each(|p| report.problem(p));
            return Ok(report);
        }
    };
    report.delimiter = csv.delimiter().to_string();
    let mut by_path = HashMap::new();
    let mut by_name: HashMap<String, Vec<Uuid>> = HashMap::new();
    for c in store.category_choices().await? {
        by_path.insert(c.path.trim_matches('/').to_lowercase(), c.id);
        by_name.entry(c.name.trim().to_lowercase()).or_default().push(c.id);
    }
    let mut run = Importer {
        actor,
        cols: Columns::of(&csv),
        report,
        categories: Categories { by_path, by_name },
        vendors: HashMap::new(),
        seen: HashMap::new(),
    };
    let mut tx = store.begin_write_tx().await?;
    tx.plan_for_growth().await?;
    let (mut group, mut key): (Vec<Row>, Option<(String, String)>) = (Vec::new(), None);
    while let Some(next) = csv.next_row() {
        let row = match next {
            Next::Row(r) => r,
            Next::Broken(p) => {
                run.report.rows += 1;
                run.report.problem(p);
                continue;
            }
        };
        run.report.rows += 1;
        match run.cols.key(&row) {
            None if group.is_empty() => run.report.problem(at(row.line, "handle", "a row needs a handle or a name")),
            None => group.push(row),
            Some(k) if key.as_ref() == Some(&k) => group.push(row),
            Some(k) => {
                if !group.is_empty() {
                    run.product(&mut tx, std::mem::take(&mut group)).await?;
                }
                key = Some(k);
                group.push(row);
            }
        }
    }
    if !group.is_empty() {
        run.product(&mut tx, group).await?;
    }
    let mut report = run.report;
    report.digest = csv.digest();
    finish_in(tx, actor, ("products.import", "products"), source, &mut report).await?;
    Ok(report)
}
