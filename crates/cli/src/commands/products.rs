//! `products`: the catalog searched as the desktop searches it — words of the
//! name, description, SKUs, barcodes or vendor, best matches first — or
//! only what runs low on stock.

use super::Result;
use super::orders::parsed;
use crate::format::format_minor;
use clap::Subcommand;
use marketdesk_core::domain::ProductStatus;
use marketdesk_core::store::location::{self, Location};
use marketdesk_core::store::products::{ProductFilter, ProductSort};
use marketdesk_core::store::{PageRequest, SortDir};
use std::process::ExitCode;

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
}

pub async fn run(loc: &Location, action: ProductsAction) -> Result<ExitCode> {
    let ProductsAction::List { search, status, low_stock, limit } = action;
    let store = location::open(loc, false).await?;
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
