//! `products`: the catalog searched as the desktop searches it — words of the
//! name, description, SKUs, barcodes or vendor, best matches first — or
//! only what runs low on stock; and the editor's work from a terminal: a
//! product as editable JSON, saved back with every problem named by its
//! field, sent for review, reviewed, archived, and its diff since approval;
//! the catalog imported from and exported to CSV.

use super::Result;
use super::orders::parsed;
use super::{bulk_edit, catalog_files};
use crate::format::format_minor;
use crate::people::person_id;
use clap::Subcommand;
use marketdesk_core::Store;
use marketdesk_core::catalog::bulk_edit::BulkChange;
use marketdesk_core::catalog::save::ProductSave;
use marketdesk_core::catalog::snapshot::product_changes;
use marketdesk_core::catalog::steps::ProductStep;
use marketdesk_core::domain::{ProductStatus, Role};
use marketdesk_core::store::location::{self, Location};
use marketdesk_core::store::products::{ProductFilter, ProductSort};
use marketdesk_core::store::{PageRequest, SortDir};
use marketdesk_core::sync::Mutation;
use marketdesk_core::sync::mutation::apply;
use std::path::PathBuf;
use std::process::ExitCode;
use uuid::Uuid;

/// What `products` does.
#[derive(Debug, Subcommand)]
pub enum ProductsAction {
    /// Products: best matches first when searching, newest first otherwise.
    List {
        /// Words of the name, description, a SKU or barcode, or the vendor's name.
        #[arg(long)]
        search: Option<String>,
        /// Only this status (draft, pending_review, approved, rejected, archived).
        #[arg(long, value_parser = parsed::<ProductStatus>)]
        status: Option<ProductStatus>,
        /// Only products with a variant at or below its low-stock threshold (sold out counts).
        #[arg(long)]
        low_stock: bool,
        /// How many products to show (1–500).
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Prints a new product for a vendor as editable JSON (save it with `products save`).
    New {
        /// The vendor (username, e-mail or id).
        #[arg(long)]
        vendor: String,
    },
    /// Prints a product as editable JSON: its version, options and variants.
    Show {
        /// The product's id.
        product: Uuid,
    },
    /// Creates or edits a product from a JSON file as `products new` or `products show` print it;
    /// every problem is named by its field.
    Save {
        /// The JSON file.
        file: PathBuf,
        /// As this person (the product's vendor, or an admin).
        #[arg(long = "as")]
        r#as: String,
    },
    /// Sends a draft or rejected product for review, archives or restores one.
    Step {
        /// The product's id.
        product: Uuid,
        /// submit, archive or restore.
        #[arg(value_parser = parsed_step)]
        step: ProductStep,
        /// As this person (the product's vendor, or an admin).
        #[arg(long = "as")]
        r#as: String,
    },
    /// An admin's review of a product pending review: approve, ask for changes, or reject.
    Review {
        /// The product's id.
        product: Uuid,
        /// Approve it.
        #[arg(long, conflicts_with_all = ["changes", "reject"])]
        approve: bool,
        /// Ask for these changes (the product goes back to its vendor as a draft).
        #[arg(long, conflicts_with = "reject")]
        changes: Option<String>,
        /// Reject it for this reason.
        #[arg(long)]
        reject: Option<String>,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// What changed in a product since it was last approved, field by field.
    Diff {
        /// The product's id.
        product: Uuid,
    },
    /// Checks a product CSV file (one row per variant, as `products export` writes it) and prints
    /// every problem by line and column; writes it, all or nothing, with --apply.
    Import {
        /// The CSV file (`,` `;` or tab separated, UTF-8).
        file: PathBuf,
        /// Write it (otherwise only check it).
        #[arg(long)]
        apply: bool,
        /// As this person (a vendor for their own products, or an admin).
        #[arg(long = "as")]
        r#as: String,
    },
    /// One change to every product the filters match (all of them, not one page): previewed,
    /// then made with --apply --expect N (N: the products the preview matched), all or nothing.
    Bulk {
        /// Words of the name, description, a SKU or barcode, or the vendor's name.
        #[arg(long)]
        search: Option<String>,
        /// Only this status.
        #[arg(long, value_parser = parsed::<ProductStatus>)]
        status: Option<ProductStatus>,
        /// Only products low on stock.
        #[arg(long)]
        low_stock: bool,
        /// Move every price (and "was" price) by this percentage: 10, -5, 2.5.
        #[arg(long, allow_hyphen_values = true, group = "change")]
        price_percent: Option<rust_decimal::Decimal>,
        /// Set every price to this amount in each product's currency: 12.50.
        #[arg(long, group = "change")]
        price: Option<String>,
        /// File every product under this category (path or name).
        #[arg(long, group = "change")]
        category: Option<String>,
        /// submit, archive or restore every product.
        #[arg(long, value_parser = parsed_step, group = "change")]
        step: Option<ProductStep>,
        /// Move every variant's stock by this many units (+5, -2), with --reason.
        #[arg(long, allow_hyphen_values = true, group = "change", requires = "reason")]
        stock: Option<i32>,
        /// Why the stock moves: received, returned, counted, found, damaged, lost or correction.
        #[arg(long)]
        reason: Option<String>,
        /// What to remember about a stock change.
        #[arg(long)]
        note: Option<String>,
        /// Make the change (with --expect).
        #[arg(long, requires = "expect")]
        apply: bool,
        /// The number of products the preview matched.
        #[arg(long, requires = "apply")]
        expect: Option<u64>,
        /// As this person (a vendor for their own products, logistics for stock, or an admin).
        #[arg(long = "as")]
        r#as: String,
    },
    /// A product's images: list, add a file, alt text, move, remove; publish to Cloudinary.
    Images {
        /// What to do.
        #[command(subcommand)]
        action: super::product_images::ImagesAction,
    },
    /// Writes the products matching the filters to a CSV file the import reads.
    Export {
        /// The file to write.
        file: PathBuf,
        /// Words of the name, description, a SKU or barcode, or the vendor's name.
        #[arg(long)]
        search: Option<String>,
        /// Only this status.
        #[arg(long, value_parser = parsed::<ProductStatus>)]
        status: Option<ProductStatus>,
        /// Only products low on stock.
        #[arg(long)]
        low_stock: bool,
        /// As this person (a vendor exports their own products).
        #[arg(long = "as")]
        r#as: String,
    },
}

fn parsed_step(text: &str) -> std::result::Result<ProductStep, String> {
    match text {
        "submit" => Ok(ProductStep::Submit),
        "archive" => Ok(ProductStep::Archive),
        "restore" => Ok(ProductStep::Restore),
        other => Err(format!("“{other}” is not a step: submit, archive or restore")),
    }
}

async fn edit(store: &Store, action: ProductsAction) -> Result<()> {
    match action {
        ProductsAction::List { .. } => {}
        ProductsAction::New { vendor } => {
            let vendor = person_id(store, &vendor).await?;
            println!("{}", serde_json::to_string_pretty(&store.new_product(vendor).await?)?);
        }
        ProductsAction::Show { product } => {
            let edit = store.product_for_editing(product).await?;
            let save = ProductSave { product_id: edit.product_id, version: Some(edit.version), draft: edit.draft };
            println!("{}", serde_json::to_string_pretty(&save)?);
            eprintln!("{} — {}", edit.vendor_name, edit.status.as_str());
            if let Some(note) = edit.review_note {
                eprintln!("Review note: {note}");
            }
        }
        ProductsAction::Save { file, r#as } => {
            let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let save: ProductSave = serde_json::from_str(&text)
                .map_err(|e| format!("{}: not a product as `products show` prints it: {e}", file.display()))?;
            let me = person_id(store, &r#as).await?;
            let created = save.version.is_none();
            let problems = store.product_draft_problems(save.product_id, &save.draft).await?;
            if !problems.is_empty() {
                for p in &problems {
                    eprintln!("{}: {}", p.field, p.message);
                }
                return Err(format!("{} problem(s); nothing was saved", problems.len()).into());
            }
            let id = save.product_id;
            let version =
                apply(store, me, &Mutation::ProductSave { save: Box::new(save) }).await?.version().unwrap_or(0);
            println!("{} product {id} (version {version}).", if created { "Created" } else { "Saved" });
        }
        ProductsAction::Step { product, step, r#as } => {
            let me = person_id(store, &r#as).await?;
            let version = store.product_for_editing(product).await?.version;
            let done = apply(store, me, &Mutation::ProductStep { product, version, step }).await?;
            let now = store.product_for_editing(product).await?.status;
            println!(
                "The product is now {} (version {}).",
                now.as_str().replace('_', " "),
                done.version().unwrap_or(0)
            );
        }
        ProductsAction::Review { product, approve, changes, reject, r#as } => {
            let me = person_id(store, &r#as).await?;
            if store.user(me).await?.role != Role::Admin {
                return Err("only admins review products".into());
            }
            let version = store.product_for_editing(product).await?.version;
            let change = match (approve, changes, reject) {
                (true, None, None) => Mutation::ProductReview { product, version, approve: true, reason: None },
                (false, Some(note), None) => Mutation::ProductChangesAsked { product, version, note },
                (false, None, Some(reason)) => {
                    Mutation::ProductReview { product, version, approve: false, reason: Some(reason) }
                }
                _ => return Err("say one of --approve, --changes NOTE or --reject REASON".into()),
            };
            apply(store, me, &change).await?;
            let now = store.product_for_editing(product).await?.status;
            println!("The product is now {}.", now.as_str().replace('_', " "));
        }
        ProductsAction::Import { file, apply, r#as } => {
            catalog_files::import(store, catalog_files::FileKind::Products, &file, apply, &r#as).await?;
        }
        ProductsAction::Bulk {
            search,
            status,
            low_stock,
            price_percent,
            price,
            category,
            step,
            stock,
            reason,
            note,
            apply: _,
            expect,
            r#as,
        } => {
            let change = match (price_percent, price, category, step, stock) {
                (Some(p), None, None, None, None) => {
                    let bps = (p * rust_decimal::Decimal::from(100)).trunc();
                    let bps = i64::try_from(bps).map_err(|_| format!("{p} % is not a price change"))?;
                    BulkChange::PricePercent { bps }
                }
                (None, Some(price), None, None, None) => BulkChange::PriceSet { price },
                (None, None, Some(c), None, None) => {
                    BulkChange::Category { category_id: super::categories::find(store, &c).await?.id }
                }
                (None, None, None, Some(step), None) => BulkChange::Step { step },
                (None, None, None, None, Some(delta)) => {
                    let reason = reason.unwrap_or_default();
                    let reason =
                        reason.parse().map_err(|e: marketdesk_core::domain::stock::UnknownKind| e.to_string())?;
                    BulkChange::Stock { reason, delta, note }
                }
                _ => return Err("say one change: --price-percent, --price, --category, --step or --stock".into()),
            };
            let filter = ProductFilter { search, status, low_stock, ..ProductFilter::default() };
            bulk_edit::run(store, &filter, &change, expect, &r#as).await?;
        }
        ProductsAction::Export { file, search, status, low_stock, r#as } => {
            catalog_files::export(store, &file, search, status, low_stock, &r#as).await?;
        }
        ProductsAction::Images { action } => super::product_images::run(store, action).await?,
        ProductsAction::Diff { product } => {
            let diff = product_changes(store, product).await?;
            if !diff.was_approved {
                println!("Never approved: every field is new.");
            } else if diff.changes.is_empty() {
                println!("Nothing changed since it was approved.");
            }
            for c in &diff.changes {
                println!(
                    "{:<32} {} → {}",
                    c.field,
                    c.before.as_deref().unwrap_or("—"),
                    c.after.as_deref().unwrap_or("—")
                );
            }
        }
    }
    Ok(())
}

pub async fn run(loc: &Location, action: ProductsAction) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    let ProductsAction::List { search, status, low_stock, limit } = action else {
        let done = edit(&store, action).await;
        store.close().await;
        done?;
        return Ok(ExitCode::SUCCESS);
    };
    let sort = if search.is_some() { ProductSort::Relevance } else { ProductSort::CreatedAt };
    let filter = ProductFilter { search, status, low_stock, ..ProductFilter::default() };
    let found = store.list_products(&filter, &PageRequest { sort, dir: SortDir::Desc, after: None, limit }).await?;
    if found.items.is_empty() {
        println!("No products match.");
    }
    for p in &found.items {
        println!(
            "{:<40} {:<16} {:>10} {}  {:>3} variant(s) {:>6} on hand  {}",
            p.name,
            p.status.as_str(),
            format_minor(p.base_price_minor),
            p.currency,
            p.variant_count,
            p.stock_on_hand,
            p.vendor_name
        );
    }
    if found.next_cursor.is_some() {
        println!("… more: raise --limit or narrow the search.");
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
