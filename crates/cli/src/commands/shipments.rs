//! `shipments`: buying, voiding and tracking carrier labels, issuing the
//! local carrier's, handing parcels over, closing the day with FedEx Ground.

use super::Result;
use crate::format::format_minor;
use clap::Subcommand;
use marketdesk_core::domain::{Carrier, LabelPurchaseState, Timestamp};
use marketdesk_core::integrations::carriers::{CarrierClient, LabelImage};
use marketdesk_core::logistics::purchase::{self, Settlement};
use marketdesk_core::logistics::rates::{self, RateChoice};
use marketdesk_core::logistics::{ShippingError, carrier_accounts, day_close, local_label, shipments, tracking};
use marketdesk_core::store::Store;
use marketdesk_core::store::label_purchases::LabelPurchase;
use marketdesk_core::store::location::{self, Location};
use std::process::ExitCode;
use uuid::Uuid;

/// What `shipments` does.
#[derive(Debug, Subcommand)]
pub enum ShipmentsAction {
    /// Every rate for a parcel: the local methods' tables in its zone and the carriers' quotes, cheapest first.
    Rates {
        /// The shipment's id.
        shipment: Uuid,
    },
    /// Choose a parcel's rate before its label is bought: a method's code, or carrier:service (fedex:FEDEX_GROUND).
    Choose {
        /// The shipment's id.
        shipment: Uuid,
        /// The method's code or carrier:service, as `shipments rates` lists them.
        rate: String,
    },
    /// Buy the parcel's label from its carrier (or issue the local carrier's).
    Buy {
        /// The shipment's id.
        shipment: Uuid,
        /// The carrier's service code (see `shipments rates`); default: the shipment's own.
        #[arg(long)]
        service: Option<String>,
        /// `zpl` (thermal printers) or `pdf` (FedEx only).
        #[arg(long, default_value = "zpl")]
        format: String,
    },
    /// Void the parcel's unused label (at the carrier within its window); the parcel goes back to pending.
    Void {
        /// The shipment's id.
        shipment: Uuid,
    },
    /// Every attempt to buy the parcel's label, newest first.
    Purchases {
        /// The shipment's id.
        shipment: Uuid,
    },
    /// Settle an uncertain purchase: nothing was bought, or void what the carrier sold.
    Settle {
        /// The purchase attempt's id (see `shipments purchases`).
        attempt: Uuid,
        /// The carrier shows nothing under the attempt's reference.
        #[arg(long, conflicts_with = "voided", required_unless_present = "voided")]
        nothing_bought: bool,
        /// The tracking number the carrier sold under the reference: void it there.
        #[arg(long)]
        voided: Option<String>,
    },
    /// Ask the carriers about every parcel still on its way and record what changed.
    Track {
        /// Only this carrier (fedex or ups).
        #[arg(long)]
        carrier: Option<String>,
    },
    /// Hand printed parcels over to their carrier.
    HandOver {
        /// The shipments' ids.
        #[arg(required = true)]
        shipments: Vec<Uuid>,
    },
    /// Close the shipping day with FedEx Ground and save the manifest the driver signs.
    CloseDay {
        /// The day, YYYY-MM-DD (default: today, UTC).
        #[arg(long)]
        date: Option<String>,
        /// Where to write the manifest (default: printed here).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// The latest day closes, newest first; with an id, that close's manifest again.
    Closes {
        /// A close's id: write its manifest to standard output.
        id: Option<Uuid>,
    },
}

pub(super) fn carrier(text: &str) -> Result<Carrier> {
    match text.parse::<Carrier>() {
        Ok(c) if c.sells_labels() => Ok(c),
        _ => Err(format!("“{text}”: choose fedex or ups").into()),
    }
}

pub(super) async fn with_store<T>(
    loc: &Location,
    work: impl AsyncFnOnce(&Store) -> std::result::Result<T, ShippingError>,
) -> Result<T> {
    let store = location::open(loc, false).await?;
    let result = work(&store).await;
    store.close().await;
    Ok(result?)
}

fn show(a: &LabelPurchase) -> String {
    let mut line = format!(
        "{}  {}  {:<10}  {} {}  ref {}",
        a.created_at.to_text().get(..19).unwrap_or_default(),
        a.id,
        a.state.as_str(),
        a.carrier.name(),
        a.service_code,
        a.reference
    );
    if let Some(t) = &a.tracking_number {
        line.push_str(&format!("  tracking {t}"));
    }
    if let (Some(m), Some(c)) = (a.cost_minor, a.currency.as_deref()) {
        line.push_str(&format!("  {} {c}", format_minor(m)));
    }
    if let Some(why) = a.error_message.as_deref().or(a.resolution.as_deref()) {
        line.push_str(&format!("\n    {why}"));
    }
    line
}

/// Runs a `shipments` subcommand.
pub async fn run(loc: &Location, action: ShipmentsAction) -> Result<ExitCode> {
    match action {
        ShipmentsAction::Rates { shipment } => {
            let (shopping, codes) = with_store(loc, async |s| {
                let shopping = rates::shop_with_accounts(s, shipment).await?;
                Ok((shopping, s.shipping_methods().await?))
            })
            .await?;
            let zone = shopping.zone.as_deref().unwrap_or("no zone");
            println!(
                "{} g to {zone}, goods {} {}",
                shopping.weight_grams,
                format_minor(shopping.goods_minor),
                shopping.currency
            );
            for o in &shopping.options {
                let code = match o.method_id {
                    Some(id) => codes.iter().find(|m| m.id == id).map_or(String::new(), |m| m.code.clone()),
                    None => format!("{}:{}", o.carrier.as_str(), o.service_code),
                };
                let days = match (o.min_days, o.max_days) {
                    (Some(a), Some(b)) if a == b => format!("{a} day(s)"),
                    (Some(a), Some(b)) => format!("{a}-{b} days"),
                    _ => "—".into(),
                };
                let marks = [(o.cheapest, "cheapest"), (o.fastest, "fastest"), (o.free, "free")]
                    .iter()
                    .filter(|(on, _)| *on)
                    .map(|(_, w)| *w)
                    .collect::<Vec<_>>()
                    .join(", ");
                println!(
                    "{code:<28} {:<32} {:>12}  {days:<10} {marks}",
                    o.name,
                    format!("{} {}", format_minor(o.amount_minor), o.currency)
                );
            }
            for u in &shopping.unavailable {
                println!("{:<28} not available: {}", u.name, u.reason);
            }
            Ok(ExitCode::SUCCESS)
        }
        ShipmentsAction::Choose { shipment, rate } => {
            let chosen = with_store(loc, async |s| {
                let methods = s.shipping_methods().await?;
                let shopping = match methods.iter().find(|m| m.code == rate.trim()) {
                    Some(_) => rates::shop::<CarrierClient>(s, shipment, &[], Vec::new()).await?,
                    None => rates::shop_with_accounts(s, shipment).await?,
                };
                let option = shopping.options.iter().find(|o| match o.method_id {
                    Some(id) => methods.iter().any(|m| m.id == id && m.code == rate.trim()),
                    None => format!("{}:{}", o.carrier.as_str(), o.service_code).eq_ignore_ascii_case(rate.trim()),
                });
                let Some(option) = option.cloned() else { return Ok(None) };
                let choice = RateChoice {
                    method_id: option.method_id,
                    carrier: option.carrier,
                    service_code: option.service_code.clone(),
                    amount_minor: option.amount_minor,
                };
                rates::choose_rate(s, shipment, shopping.version, &choice).await?;
                Ok(Some(option))
            })
            .await?;
            let Some(o) = chosen else {
                return Err(format!(
                    "“{rate}” is not among this parcel's rates (see `marketdesk shipments rates {shipment}`)"
                )
                .into());
            };
            println!("{} chosen: {} {}.", o.name, format_minor(o.amount_minor), o.currency);
            Ok(ExitCode::SUCCESS)
        }
        ShipmentsAction::Buy { shipment, service, format } => {
            let image = match format.as_str() {
                "zpl" => LabelImage::Zpl,
                "pdf" => LabelImage::Pdf,
                other => return Err(format!("--format {other}: choose zpl or pdf").into()),
            };
            let attempt = with_store(loc, async |s| {
                let route = s.parcel_route(shipment).await?;
                if !route.carrier.sells_labels() {
                    return local_label::issue_local_label(s, shipment, None).await;
                }
                let api = carrier_accounts::carrier_client(s, route.carrier).await?;
                let service = service.clone().unwrap_or(route.service_code.clone());
                purchase::buy_label(s, &api, shipment, &service, image, None).await
            })
            .await?;
            println!("{}", show(&attempt));
            Ok(if attempt.state == LabelPurchaseState::Purchased { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        ShipmentsAction::Void { shipment } => {
            with_store(loc, async |s| {
                let route = s.parcel_route(shipment).await?;
                let api = match route.carrier.sells_labels() {
                    true => Some(carrier_accounts::carrier_client(s, route.carrier).await?),
                    false => None,
                };
                purchase::void_label::<CarrierClient>(s, api.as_ref(), shipment).await
            })
            .await?;
            println!("Voided the label of {shipment}; the parcel is pending again.");
            Ok(ExitCode::SUCCESS)
        }
        ShipmentsAction::Purchases { shipment } => {
            let attempts = with_store(loc, async |s| Ok(s.label_purchases(shipment).await?)).await?;
            if attempts.is_empty() {
                println!("No label has been bought for {shipment}.");
            }
            for a in &attempts {
                println!("{}", show(a));
            }
            Ok(ExitCode::SUCCESS)
        }
        ShipmentsAction::Settle { attempt, nothing_bought: _, voided } => {
            let how = match voided {
                Some(tracking_number) => Settlement::VoidAtCarrier { tracking_number, shipment_id: None },
                None => Settlement::NothingBought,
            };
            let settled = with_store(loc, async |s| {
                let a = s.label_purchase(attempt).await?;
                let api = carrier_accounts::carrier_client(s, a.carrier).await?;
                purchase::settle_uncertain_purchase(s, &api, attempt, &how, None).await
            })
            .await?;
            println!("{}", show(&settled));
            Ok(ExitCode::SUCCESS)
        }
        ShipmentsAction::Track { carrier: only } => {
            let carriers = match only {
                Some(c) => vec![carrier(&c)?],
                None => vec![Carrier::Fedex, Carrier::Ups],
            };
            let mut failed = false;
            for c in carriers {
                let round = with_store(loc, async |s| {
                    let api = carrier_accounts::carrier_client(s, c).await?;
                    tracking::track_parcels(s, &api).await
                })
                .await;
                match round {
                    Ok(r) => println!(
                        "{}: {} parcels checked, {} new events, {} moved ({} delivered, {} exceptions), {} unknown to the carrier",
                        c.name(),
                        r.checked,
                        r.events_added,
                        r.moved,
                        r.delivered,
                        r.exceptions,
                        r.not_found
                    ),
                    Err(e) => {
                        failed = true;
                        eprintln!("{}: {e}", c.name());
                    }
                }
            }
            Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
        ShipmentsAction::CloseDay { date, out } => {
            let day = date.unwrap_or_else(|| Timestamp::now().to_text()[..10].to_owned());
            let (close, manifest) = with_store(loc, async |s| {
                let day = day_close::shipping_day(&day, Timestamp::now())?;
                let api = carrier_accounts::carrier_client(s, Carrier::Fedex).await?;
                let close = day_close::close_day(s, &api, day, None).await?;
                let manifest = day_close::day_close_manifest(s, close.id).await?;
                Ok((close, manifest))
            })
            .await?;
            println!(
                "FedEx Ground closed for {}: {} Ground label(s) bought that day; close {} (FedEx transaction {}).",
                close.close_date,
                close.parcels,
                close.id,
                close.transaction_id.as_deref().unwrap_or("not given")
            );
            match out {
                Some(path) => {
                    std::fs::write(&path, &manifest).map_err(|e| format!("{}: {e}", path.display()))?;
                    println!("Manifest saved to {}.", path.display());
                }
                None => println!("{}", String::from_utf8_lossy(&manifest)),
            }
            Ok(ExitCode::SUCCESS)
        }
        ShipmentsAction::Closes { id: Some(id) } => {
            let manifest = with_store(loc, async |s| Ok(day_close::day_close_manifest(s, id).await?)).await?;
            println!("{}", String::from_utf8_lossy(&manifest));
            Ok(ExitCode::SUCCESS)
        }
        ShipmentsAction::Closes { id: None } => {
            let closes = with_store(loc, async |s| Ok(day_close::day_closes(s, 30).await?)).await?;
            if closes.is_empty() {
                println!("No day has been closed yet: `marketdesk shipments close-day`.");
            }
            for c in &closes {
                println!(
                    "{}  {}  {:<6} {:>4} parcel(s)  by {}  {}",
                    c.close_date,
                    c.id,
                    c.carrier.name(),
                    c.parcels,
                    c.closed_by_name.as_deref().unwrap_or("the command line"),
                    c.created_at.to_text().get(..19).unwrap_or_default()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        ShipmentsAction::HandOver { shipments: ids } => {
            let outcome = with_store(loc, async |s| Ok(shipments::hand_over(s, &ids).await?)).await?;
            let mut refused = false;
            for (id, result) in outcome {
                match result {
                    Ok(()) => println!("{id}  handed over"),
                    Err(why) => {
                        refused = true;
                        println!("{id}  not handed over: {why}");
                    }
                }
            }
            Ok(if refused { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
    }
}
