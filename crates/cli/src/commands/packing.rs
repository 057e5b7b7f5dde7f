//! `packing`: packing an order into parcels in the warehouse's boxes,
//! keeping the boxes, and the bins the variants sit in.

use super::Result;
use clap::Subcommand;
use marketdesk_core::logistics::bins::{self, BinRow};
use marketdesk_core::logistics::packing::{self, ParcelPlan};
use marketdesk_core::store::location::{self, Location};
use marketdesk_core::store::packing::{PackagePreset, PresetSpec};
use std::process::ExitCode;

/// What `packing` does.
#[derive(Debug, Subcommand)]
pub enum PackingAction {
    /// Pack what is left of an order: a parcel per vendor (they ship their own items).
    Order {
        /// The order's number (MD-0000123).
        order: String,
        /// The box every parcel goes in (its name; see `packing boxes`); default: the first box.
        #[arg(long = "box")]
        r#box: Option<String>,
        /// Record no box (the parcels weigh what their items weigh).
        #[arg(long, conflicts_with = "box")]
        no_box: bool,
    },
    /// The boxes, by name.
    Boxes,
    /// Add a box: its inside size in millimetres and its empty weight in grams.
    AddBox {
        /// Its name ("Small box").
        name: String,
        /// Inside size, LxWxH in millimetres (300x200x150).
        #[arg(long)]
        size: String,
        /// The empty box's weight, grams.
        #[arg(long, default_value_t = 0)]
        tare: i32,
        /// The most it carries, box included, grams.
        #[arg(long)]
        max: Option<i32>,
    },
    /// Retire a box (parcels packed in it keep it).
    RetireBox {
        /// Its name.
        name: String,
    },
    /// Show the bin a SKU sits in, or put it in one ("" takes it out).
    Bin {
        /// The SKU.
        sku: String,
        /// The bin (A-03-2); leave out to see the bin.
        bin: Option<String>,
        /// The vendor's name, when two vendors sell the same SKU.
        #[arg(long)]
        vendor: Option<String>,
    },
    /// Set many bins from a `sku,bin[,vendor]` sheet: every line or none.
    Bins {
        /// The sheet (CSV; a `sku,bin` header line is skipped).
        file: std::path::PathBuf,
    },
}

fn size(text: &str) -> Result<(i32, i32, i32)> {
    let parts: Vec<i32> = text
        .split(['x', 'X', '×'])
        .map(|p| p.trim().parse::<i32>())
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| format!("--size {text}: give LxWxH in whole millimetres, e.g. 300x200x150"))?;
    match parts[..] {
        [l, w, h] => Ok((l, w, h)),
        _ => Err(format!("--size {text}: give three sizes, LxWxH").into()),
    }
}

fn find<'a>(boxes: &'a [PackagePreset], name: &str) -> Result<&'a PackagePreset> {
    boxes
        .iter()
        .find(|b| b.name.eq_ignore_ascii_case(name.trim()))
        .ok_or_else(|| format!("no box called “{name}” (see `marketdesk packing boxes`)").into())
}

fn show(b: &PackagePreset) -> String {
    let max = b.max_weight_grams.map_or("no limit".to_owned(), |m| format!("up to {m} g"));
    format!("{:<24} {}×{}×{} mm  {} g empty  {max}", b.name, b.length_mm, b.width_mm, b.height_mm, b.tare_grams)
}

/// Runs a `packing` subcommand.
pub async fn run(loc: &Location, action: PackingAction) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    let result = act(&store, action).await;
    store.close().await;
    result
}

fn show_bin(r: &BinRow) -> String {
    let name = if r.variant_name.is_empty() {
        r.product_name.clone()
    } else {
        format!("{} · {}", r.product_name, r.variant_name)
    };
    format!("{:<12} {:<16} {:<24} {name}", r.bin_location.as_deref().unwrap_or("(no bin)"), r.sku, r.vendor_name)
}

async fn act(store: &marketdesk_core::store::Store, action: PackingAction) -> Result<ExitCode> {
    match action {
        PackingAction::Order { order, r#box, no_box } => {
            let id = store.order_id_by_number(&order).await?.ok_or_else(|| format!("no order numbered {order}"))?;
            let plan = packing::packing_plan(store, id).await?;
            if !plan.packable {
                return Err(format!("order {} ({}) has nothing to pack", plan.order_number, plan.status).into());
            }
            let preset = match (r#box, no_box) {
                (_, true) => None,
                (Some(name), _) => Some(find(&plan.presets, &name)?.id),
                (None, false) => plan.presets.first().map(|b| b.id),
            };
            let parcels: Vec<ParcelPlan> =
                plan.proposal.into_iter().map(|p| ParcelPlan { preset_id: preset, ..p }).collect();
            let made = packing::pack(store, id, &parcels).await?;
            println!("Packed {} into {} parcel(s):", plan.order_number, made.len());
            for id in made {
                println!("  {id}");
            }
        }
        PackingAction::Boxes => {
            let boxes = store.package_presets().await?;
            if boxes.is_empty() {
                println!("No boxes yet: add one with `marketdesk packing add-box`.");
            }
            for b in &boxes {
                println!("{}", show(b));
            }
        }
        PackingAction::AddBox { name, size: text, tare, max } => {
            let (length_mm, width_mm, height_mm) = size(&text)?;
            let spec = PresetSpec { name, length_mm, width_mm, height_mm, tare_grams: tare, max_weight_grams: max };
            let b = packing::add_preset(store, &spec).await?;
            println!("Added {}", show(&b));
        }
        PackingAction::RetireBox { name } => {
            let boxes = store.package_presets().await?;
            let b = find(&boxes, &name)?;
            store.retire_package_preset(b.id, b.version).await?;
            println!("Retired {}.", b.name);
        }
        PackingAction::Bin { sku, bin, vendor } => {
            let found: Vec<BinRow> = bins::variants_by_sku(store, &sku)
                .await?
                .into_iter()
                .filter(|r| vendor.as_deref().is_none_or(|v| r.vendor_name.eq_ignore_ascii_case(v.trim())))
                .collect();
            match (found.as_slice(), bin) {
                ([], _) => return Err(format!("no live variant has SKU {sku}").into()),
                (rows, None) => rows.iter().for_each(|r| println!("{}", show_bin(r))),
                ([one], Some(bin)) => {
                    let code = bins::set_bin(store, one.variant_id, &bin).await?;
                    match code {
                        Some(code) => println!("{} ({}) is now in bin {code}.", one.sku, one.vendor_name),
                        None => println!("{} ({}) is in no bin now.", one.sku, one.vendor_name),
                    }
                }
                (rows, Some(_)) => {
                    return Err(format!("{} vendors sell SKU {sku}: add --vendor NAME", rows.len()).into());
                }
            }
        }
        PackingAction::Bins { file } => {
            let sheet = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let done = bins::apply_bin_sheet(store, &sheet).await?;
            if !done.problems.is_empty() {
                for p in &done.problems {
                    eprintln!("line {}: {}", p.line, p.reason);
                }
                return Err(format!("{} line(s) cannot be taken; no bin was changed", done.problems.len()).into());
            }
            println!("Set {} bin(s).", done.updated);
        }
    }
    Ok(ExitCode::SUCCESS)
}
