//! `shipping`: zones, methods and rate tables (shipping setup, admins).

use super::Result;
use super::shipments::with_store;
use crate::format::format_minor;
use clap::Subcommand;
use marketdesk_core::domain::Currency;
use marketdesk_core::domain::shipping_rates::{RatePlan, RateTable, WeightBand};
use marketdesk_core::logistics::shipping_setup::{self, ShippingSetup, ZoneSpec};
use marketdesk_core::store::location::Location;
use marketdesk_core::store::shipping_zones::MethodSpec;
use rust_decimal::Decimal;
use std::process::ExitCode;

/// What `shipping` does.
#[derive(Debug, Subcommand)]
pub enum ShippingAction {
    /// Zones in the order they are tried, methods, and every rate table.
    List,
    /// Create a zone, or change the one with this name.
    Zone {
        /// Its name.
        name: String,
        /// Where it applies, one per flag: * | FR | US/CA | FR:75* | US/CA:94000..94999.
        #[arg(long = "area", required = true)]
        areas: Vec<String>,
        /// Zones are tried from the lowest position up.
        #[arg(long, default_value_t = 100)]
        position: i32,
    },
    /// Retire a zone and the rate tables in it.
    RemoveZone {
        /// Its name.
        name: String,
    },
    /// Create a method, or change the one with this code.
    Method {
        /// Short code (ups_ground).
        code: String,
        /// Its name.
        #[arg(long)]
        name: String,
        /// fedex, ups, local or pickup.
        #[arg(long)]
        carrier: String,
        /// The carrier's service code (03, FEDEX_GROUND, SAME_DAY).
        #[arg(long)]
        service: String,
        /// Days in transit: 3 or 2-5.
        #[arg(long, default_value = "1-5")]
        days: String,
        /// Stop offering it.
        #[arg(long)]
        inactive: bool,
    },
    /// Set a method's table in a zone for a currency: --flat, --per-kg or --band.
    Rate {
        /// The method's code.
        method: String,
        /// The zone's name.
        zone: String,
        /// The currency (EUR, USD …).
        currency: String,
        /// One price: 4.90.
        #[arg(long, group = "plan")]
        flat: Option<String>,
        /// A base price and a price per kg: 3.00+1.20.
        #[arg(long, group = "plan")]
        per_kg: Option<String>,
        /// A weight band, lightest first: 2000=5.90, then -=19.90 for any heavier parcel.
        #[arg(long = "band", group = "plan")]
        bands: Vec<String>,
        /// Free when the goods are worth at least this: 50.00.
        #[arg(long)]
        free_over: Option<String>,
        /// Stop offering the method in this zone and currency.
        #[arg(long, group = "plan")]
        remove: bool,
    },
}

fn amount(currency: Currency, text: &str) -> Result<i64> {
    let value: Decimal = text.trim().parse().map_err(|_| format!("“{text}” is not an amount (4.90)"))?;
    currency
        .to_minor(value)
        .ok_or_else(|| format!("“{text}”: {} has {} decimals", currency.as_str(), currency.minor_digits()).into())
}

fn plan(currency: Currency, flat: Option<String>, per_kg: Option<String>, bands: Vec<String>) -> Result<RatePlan> {
    if let Some(f) = flat {
        return Ok(RatePlan::Flat { amount_minor: amount(currency, &f)? });
    }
    if let Some(p) = per_kg {
        let (base, kg) = p.split_once('+').ok_or("--per-kg takes base+per-kg, e.g. 3.00+1.20")?;
        return Ok(RatePlan::PerKg { base_minor: amount(currency, base)?, per_kg_minor: amount(currency, kg)? });
    }
    if bands.is_empty() {
        return Err("give --flat, --per-kg, --band … or --remove".into());
    }
    let mut out = Vec::new();
    for b in bands {
        let (limit, price) = b.split_once('=').ok_or("--band takes grams=price, e.g. 2000=5.90 or -=19.90")?;
        let up_to_grams = match limit.trim() {
            "-" => None,
            g => Some(g.parse::<i32>().map_err(|_| format!("“{g}” is not a number of grams"))?),
        };
        out.push(WeightBand { up_to_grams, amount_minor: amount(currency, price)? });
    }
    Ok(RatePlan::WeightBands { bands: out })
}

fn days(text: &str) -> Result<(i32, i32)> {
    let parse = |t: &str| t.trim().parse::<i32>().map_err(|_| format!("--days {text}: use 3 or 2-5"));
    match text.split_once('-') {
        Some((a, b)) => Ok((parse(a)?, parse(b)?)),
        None => parse(text).map(|d| (d, d)),
    }
    .map_err(Into::into)
}

fn print(setup: &ShippingSetup) {
    println!("Zones (tried in this order):");
    for z in &setup.zones {
        let areas: Vec<String> = z.areas.iter().map(ToString::to_string).collect();
        println!("  {:>5}  {:<24} {}", z.position, z.name, areas.join(", "));
    }
    println!("Methods:");
    for m in &setup.methods {
        let state = if m.is_active { "" } else { "  (inactive)" };
        println!(
            "  {:<20} {:<28} {:<6} {:<20} {}-{} days{state}",
            m.code,
            m.name,
            m.carrier.as_str(),
            m.service_code,
            m.min_days,
            m.max_days
        );
        for r in setup.rates.iter().filter(|r| r.method_id == m.id) {
            let zone = setup.zones.iter().find(|z| z.id == r.zone_id).map_or("?", |z| z.name.as_str());
            let price = match &r.table.plan {
                RatePlan::Flat { amount_minor } => format!("flat {}", format_minor(*amount_minor)),
                RatePlan::PerKg { base_minor, per_kg_minor } => {
                    format!("{} + {}/kg", format_minor(*base_minor), format_minor(*per_kg_minor))
                }
                RatePlan::WeightBands { bands } => bands
                    .iter()
                    .map(|b| match b.up_to_grams {
                        Some(g) => format!("≤{g} g {}", format_minor(b.amount_minor)),
                        None => format!("heavier {}", format_minor(b.amount_minor)),
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            let free = r.table.free_over_minor.map(|t| format!(", free over {}", format_minor(t))).unwrap_or_default();
            println!("      {zone}, {}: {price}{free}", r.currency);
        }
    }
}

/// Runs a `shipping` subcommand.
pub async fn run(loc: &Location, action: ShippingAction) -> Result<ExitCode> {
    match action {
        ShippingAction::List => {
            let setup = with_store(loc, async |s| shipping_setup::shipping_setup(s).await).await?;
            print(&setup);
        }
        ShippingAction::Zone { name, areas, position } => {
            let spec = ZoneSpec { name: name.clone(), position, areas };
            with_store(loc, async |s| {
                let setup = shipping_setup::shipping_setup(s).await?;
                let existing = setup.zones.iter().find(|z| z.name.eq_ignore_ascii_case(name.trim()));
                shipping_setup::save_zone(s, existing.map(|z| (z.id, z.version)), &spec).await
            })
            .await?;
            println!("Saved zone {}.", name.trim());
        }
        ShippingAction::RemoveZone { name } => {
            let found = with_store(loc, async |s| {
                let setup = shipping_setup::shipping_setup(s).await?;
                match setup.zones.iter().find(|z| z.name.eq_ignore_ascii_case(name.trim())) {
                    Some(z) => shipping_setup::retire_zone(s, z.id).await.map(|()| true),
                    None => Ok(false),
                }
            })
            .await?;
            if !found {
                return Err(format!("no zone is called “{name}” (see `marketdesk shipping list`)").into());
            }
            println!("Removed zone {name} and its rate tables.");
        }
        ShippingAction::Method { code, name, carrier, service, days: d, inactive } => {
            let (min_days, max_days) = days(&d)?;
            let carrier = carrier.parse().map_err(|_| format!("“{carrier}”: choose fedex, ups, local or pickup"))?;
            let spec = MethodSpec {
                code: code.clone(),
                name,
                carrier,
                service_code: service,
                min_days,
                max_days,
                is_active: !inactive,
            };
            with_store(loc, async |s| {
                let setup = shipping_setup::shipping_setup(s).await?;
                let existing = setup.methods.iter().find(|m| m.code == code.trim());
                shipping_setup::save_method(s, existing.map(|m| (m.id, m.version)), &spec).await
            })
            .await?;
            println!("Saved method {}.", code.trim());
        }
        ShippingAction::Rate { method, zone, currency, flat, per_kg, bands, free_over, remove } => {
            let cur: Currency = currency.trim().parse().map_err(|_| format!("“{currency}” is not a currency code"))?;
            let table = if remove {
                None
            } else {
                let free_over_minor = free_over.as_deref().map(|t| amount(cur, t)).transpose()?;
                Some(RateTable { plan: plan(cur, flat, per_kg, bands)?, free_over_minor })
            };
            let missing = with_store(loc, async |s| {
                let setup = shipping_setup::shipping_setup(s).await?;
                let m = setup.methods.iter().find(|m| m.code == method.trim());
                let z = setup.zones.iter().find(|z| z.name.eq_ignore_ascii_case(zone.trim()));
                match (m, z) {
                    (Some(m), Some(z)) => {
                        shipping_setup::set_rate_table(s, m.id, z.id, cur.as_str(), table.as_ref()).await.map(|()| None)
                    }
                    (None, _) => Ok(Some(format!("no method has the code “{method}”"))),
                    (_, None) => Ok(Some(format!("no zone is called “{zone}”"))),
                }
            })
            .await?;
            if let Some(why) = missing {
                return Err(format!("{why} (see `marketdesk shipping list`)").into());
            }
            println!("Saved the {method} table in {zone} for {}.", cur.as_str());
        }
    }
    Ok(ExitCode::SUCCESS)
}
