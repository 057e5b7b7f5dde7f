//! `stock`: a variant's stock changed by hand with its reason (received,
//! returned, counted, found, damaged, lost, correction) as a movement of the
//! log, a stock count from a CSV file, and a variant's history of movements
//! with what each left.

use super::Result;
use crate::people::person_id;
use clap::Subcommand;
use marketdesk_core::Store;
use marketdesk_core::catalog::stock::{StockHistorySort, stock_history, variant_vendor};
use marketdesk_core::domain::new_id;
use marketdesk_core::domain::stock::StockMovementKind;
use marketdesk_core::logistics::bins::variants_by_sku;
use marketdesk_core::orders::view::Reader;
use marketdesk_core::store::location::{self, Location};
use marketdesk_core::store::{PageRequest, SortDir};
use marketdesk_core::sync::Mutation;
use marketdesk_core::sync::mutation::apply;
use std::process::ExitCode;
use uuid::Uuid;

/// What `stock` does.
#[derive(Debug, Subcommand)]
pub enum StockAction {
    /// Records a change of a variant's stock: `stock move SKU +12 --reason received`.
    Move {
        /// The variant's SKU.
        sku: String,
        /// Units added (+12) or taken away (-3).
        #[arg(allow_hyphen_values = true)]
        delta: String,
        /// Why: received, returned, counted, found, damaged, lost or correction.
        #[arg(long, value_parser = kind_of)]
        reason: StockMovementKind,
        /// What to remember about it.
        #[arg(long)]
        note: Option<String>,
        /// The vendor, when several sell this SKU (username, e-mail or id).
        #[arg(long)]
        vendor: Option<String>,
        /// As this person (the variant's vendor, logistics or an admin).
        #[arg(long = "as")]
        r#as: String,
    },
    /// Records a stock count from a CSV file (sku, counted, optional vendor and note — or a
    /// product export with its stock column filled in): each difference from the units on hand
    /// becomes a counted movement. Checks and prints every problem; writes with --apply.
    Count {
        /// The CSV file.
        file: std::path::PathBuf,
        /// Write it (otherwise only check it).
        #[arg(long)]
        apply: bool,
        /// As this person (logistics, an admin, or a vendor for their own SKUs).
        #[arg(long = "as")]
        r#as: String,
    },
    /// A variant's movements, newest first, with what each left.
    History {
        /// The variant's SKU.
        sku: String,
        /// Only this kind of movement.
        #[arg(long, value_parser = kind_of)]
        kind: Option<StockMovementKind>,
        /// The vendor, when several sell this SKU (username, e-mail or id).
        #[arg(long)]
        vendor: Option<String>,
        /// How many movements to show (1–500).
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

/// The one live variant with `sku` (of `vendor` when given).
async fn variant(store: &Store, sku: &str, vendor: Option<&str>) -> Result<Uuid> {
    let mut found = variants_by_sku(store, sku).await?;
    if let Some(vendor) = vendor {
        let vendor = person_id(store, vendor).await?;
        let mut own = Vec::new();
        for row in found {
            if variant_vendor(store, row.variant_id).await? == vendor {
                own.push(row);
            }
        }
        found = own;
    }
    match found.as_slice() {
        [] => Err(format!("no live variant has the SKU {sku}").into()),
        [one] => Ok(one.variant_id),
        many => {
            let names: Vec<&str> = many.iter().map(|r| r.vendor_name.as_str()).collect();
            Err(format!("{} vendors sell {sku} ({}): say which with --vendor", many.len(), names.join(", ")).into())
        }
    }
}

fn kind_of(text: &str) -> std::result::Result<StockMovementKind, String> {
    text.parse().map_err(|e: marketdesk_core::domain::stock::UnknownKind| e.to_string())
}

fn delta_of(text: &str) -> Result<i32> {
    let t = text.trim().trim_start_matches('+');
    t.parse::<i32>().map_err(|_| format!("“{text}” is not a whole number of units (+12, -3)").into())
}

async fn act(store: &Store, action: StockAction) -> Result<()> {
    match action {
        StockAction::Move { sku, delta, reason, note, vendor, r#as } => {
            let delta = delta_of(&delta)?;
            reason.check_by_hand(delta, note.as_deref())?;
            let variant = variant(store, &sku, vendor.as_deref()).await?;
            let me = person_id(store, &r#as).await?;
            let change =
                Mutation::StockAdjustment { variant, delta, reason: Some(reason), note, movement: Some(new_id()) };
            let done = apply(store, me, &change).await?;
            match done {
                marketdesk_core::sync::Outcome::Stock(on_hand) => {
                    println!("{sku}: {reason} {delta:+}; {on_hand} on hand.");
                }
                _ => return Err("a stock change answered with something else".into()),
            }
        }
        StockAction::Count { file, apply, r#as } => {
            super::catalog_files::import(store, super::catalog_files::FileKind::Count, &file, apply, &r#as).await?;
        }
        StockAction::History { sku, kind, vendor, limit } => {
            let variant = variant(store, &sku, vendor.as_deref()).await?;
            let reader = Reader { id: Uuid::nil(), role: marketdesk_core::domain::Role::Admin };
            let page = PageRequest { sort: StockHistorySort::CreatedAt, dir: SortDir::Desc, after: None, limit };
            let found = stock_history(store, reader, variant, kind, &page).await?;
            if found.items.is_empty() {
                println!("No movements.");
            }
            println!(
                "{:<20} {:<11} {:>7} {:>7} {:>9} {:>9}  Order / note / by",
                "When", "Kind", "Shelf", "Held", "On hand", "Reserved"
            );
            for m in &found.items {
                let about = [m.order_number.clone(), m.note.clone(), m.actor_name.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · ");
                println!(
                    "{:<20} {:<11} {:>+7} {:>+7} {:>9} {:>9}  {}",
                    m.created_at.to_string().chars().take(19).collect::<String>(),
                    m.kind.to_string(),
                    m.on_hand_delta,
                    m.reserved_delta,
                    m.on_hand_after.map_or("—".into(), |n| n.to_string()),
                    m.reserved_after.map_or("—".into(), |n| n.to_string()),
                    about
                );
            }
            if found.next_cursor.is_some() {
                println!("… older movements: raise --limit or narrow by --kind.");
            }
        }
    }
    Ok(())
}

pub async fn run(loc: &Location, action: StockAction) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    let done = act(&store, action).await;
    store.close().await;
    done?;
    Ok(ExitCode::SUCCESS)
}
