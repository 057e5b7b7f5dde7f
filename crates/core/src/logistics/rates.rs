//! Rate shopping for a parcel: the local methods priced by their tables in
//! the destination's zone, beside the carriers' own quotes, cheapest and
//! fastest marked; and choosing one for the parcel before its label is bought.
//! A carrier that cannot quote (no account, a refused address, no network)
//! is listed with its reason and never hides the other rates.

use super::carrier_accounts::carrier_client;
use super::error::ShippingError;
use super::purchase::quote;
use crate::domain::shipping_rates::{MAX_RATE_MINOR, zone_for};
use crate::domain::{Carrier, ShipmentStatus};
use crate::integrations::carriers::CarrierApi;
use crate::store::shipment_rates::{ChosenRate, ParcelForPricing};
use crate::store::shipping_zones::ShippingZone;
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where a rate comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RateSource {
    /// A local method's rate table.
    Table,
    /// The carrier's quote.
    Carrier,
}

/// One way to send the parcel and what it costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RateOption {
    /// A table or the carrier.
    pub source: RateSource,
    /// The local method (table rates).
    pub method_id: Option<Uuid>,
    /// What people call it.
    pub name: String,
    /// Who carries it.
    pub carrier: Carrier,
    /// The carrier's service.
    pub service_code: String,
    /// Price in minor units.
    pub amount_minor: i64,
    /// Its currency.
    pub currency: String,
    /// Fewest days in transit, when known.
    pub min_days: Option<i32>,
    /// Most days in transit, when known.
    pub max_days: Option<i32>,
    /// Free because the goods are worth the table's threshold.
    pub free: bool,
    /// The lowest price in the parcel's currency.
    pub cheapest: bool,
    /// The fewest days at most, among rates that say.
    pub fastest: bool,
    /// The parcel goes this way now.
    pub chosen: bool,
}

/// A way to send the parcel that is not on offer, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Unavailable {
    /// The method or carrier.
    pub name: String,
    /// Why, in words a person can act on.
    pub reason: String,
}

/// The rates for one parcel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RateShopping {
    /// The parcel.
    pub shipment_id: Uuid,
    /// Its version (choose with it).
    pub version: i64,
    /// The zone of its destination, if any covers it.
    pub zone: Option<String>,
    /// Its weight in grams.
    pub weight_grams: i32,
    /// The vendor's goods in its order, minor units.
    pub goods_minor: i64,
    /// The order's currency.
    pub currency: String,
    /// Whether a rate may still be chosen (no label bought, none being bought).
    pub can_choose: bool,
    /// The rates, cheapest first.
    pub options: Vec<RateOption>,
    /// What is not on offer, with the reason.
    pub unavailable: Vec<Unavailable>,
    /// The method chosen so far.
    pub chosen_method_id: Option<Uuid>,
    /// The carrier chosen so far.
    pub chosen_carrier: Carrier,
    /// The service chosen so far.
    pub chosen_service_code: String,
}

/// The local methods' rates for `parcel`: (options, what does not take it).
async fn table_rates(
    store: &Store,
    parcel: &ParcelForPricing,
    zones: &[ShippingZone],
) -> Result<(Option<String>, Vec<RateOption>, Vec<Unavailable>), ShippingError> {
    let Some(zone) =
        zone_for(zones, |z| z.areas.as_slice(), &parcel.country, parcel.region.as_deref(), &parcel.postcode)
    else {
        let place = format!("{} {}", parcel.country, parcel.postcode);
        let why = format!("no shipping zone covers {}: add it to a zone in shipping setup", place.trim());
        return Ok((None, Vec::new(), vec![Unavailable { name: "Local methods".into(), reason: why }]));
    };
    let methods = store.shipping_methods().await?;
    let mut options = Vec::new();
    let mut unavailable = Vec::new();
    let rates = store.zone_rates(zone.id, &parcel.currency).await?;
    if rates.is_empty() {
        let why = format!("no method has a rate table in {} for {}", zone.name, parcel.currency);
        unavailable.push(Unavailable { name: "Local methods".into(), reason: why });
    }
    for rate in rates {
        let Some(method) = methods.iter().find(|m| m.id == rate.method_id) else { continue };
        match rate.table.price(i64::from(parcel.weight_grams), parcel.goods_minor) {
            Some(amount) => options.push(RateOption {
                source: RateSource::Table,
                method_id: Some(method.id),
                name: method.name.clone(),
                carrier: method.carrier,
                service_code: method.service_code.clone(),
                amount_minor: amount,
                currency: rate.currency.clone(),
                min_days: Some(method.min_days),
                max_days: Some(method.max_days),
                free: amount == 0 && rate.table.free_over_minor.is_some_and(|t| parcel.goods_minor >= t),
                cheapest: false,
                fastest: false,
                chosen: parcel.shipping_method_id == Some(method.id),
            }),
            None => unavailable.push(Unavailable {
                name: method.name.clone(),
                reason: format!("its weight bands in {} stop below {} g", zone.name, parcel.weight_grams),
            }),
        }
    }
    Ok((Some(zone.name.clone()), options, unavailable))
}

/// Sorts `options` (the parcel's currency first, then cheapest, then
/// quickest) and marks the cheapest and the fastest in `currency`.
pub fn rank(options: &mut [RateOption], currency: &str) {
    options.sort_by_key(|o| (o.currency != currency, o.amount_minor, o.max_days.unwrap_or(i32::MAX), o.name.clone()));
    let ours = || options.iter().filter(|o| o.currency == currency);
    let lowest = ours().map(|o| o.amount_minor).min();
    let quickest = ours().filter_map(|o| o.max_days).min();
    for o in options.iter_mut() {
        let ours = o.currency == currency;
        o.cheapest = ours && Some(o.amount_minor) == lowest;
        o.fastest = ours && o.max_days.is_some() && o.max_days == quickest;
    }
}

/// Every rate for `shipment`: its zone's tables, then each of `carriers`
/// (quoted at once); `unavailable` starts with what the caller already knows
/// cannot quote.
pub async fn shop<C: CarrierApi>(
    store: &Store,
    shipment: Uuid,
    carriers: &[C],
    mut unavailable: Vec<Unavailable>,
) -> Result<RateShopping, ShippingError> {
    let parcel = store.parcel_for_pricing(shipment).await?;
    let zones = store.shipping_zones().await?;
    let (zone, mut options, mut refused) = table_rates(store, &parcel, &zones).await?;
    unavailable.append(&mut refused);
    let quotes = futures_util::future::join_all(carriers.iter().map(|c| quote(store, c, shipment, None))).await;
    for (carrier, answer) in carriers.iter().zip(quotes) {
        match answer {
            Ok(quotes) => options.extend(quotes.into_iter().map(|q| {
                let chosen = parcel.shipping_method_id.is_none()
                    && parcel.carrier == q.carrier
                    && parcel.service_code == q.service_code;
                RateOption {
                    source: RateSource::Carrier,
                    method_id: None,
                    name: if q.service_name.starts_with(q.carrier.name()) {
                        q.service_name.clone()
                    } else {
                        format!("{} {}", q.carrier.name(), q.service_name)
                    },
                    carrier: q.carrier,
                    service_code: q.service_code,
                    amount_minor: q.amount_minor,
                    currency: q.currency.as_str().to_owned(),
                    min_days: q.transit_days.and_then(|d| i32::try_from(d).ok()),
                    max_days: q.transit_days.and_then(|d| i32::try_from(d).ok()),
                    free: false,
                    cheapest: false,
                    fastest: false,
                    chosen,
                }
            })),
            Err(e) => unavailable.push(Unavailable { name: carrier.carrier().name().into(), reason: e.to_string() }),
        }
    }
    rank(&mut options, &parcel.currency);
    let open = store.label_purchases(shipment).await?.iter().any(|a| a.state.is_open());
    Ok(RateShopping {
        shipment_id: shipment,
        version: parcel.version,
        zone,
        weight_grams: parcel.weight_grams,
        goods_minor: parcel.goods_minor,
        currency: parcel.currency,
        can_choose: parcel.status == ShipmentStatus::Pending && !open,
        options,
        unavailable,
        chosen_method_id: parcel.shipping_method_id,
        chosen_carrier: parcel.carrier,
        chosen_service_code: parcel.service_code,
    })
}

/// [`shop`] with the carriers this machine has accounts for; a carrier
/// without one is listed as unavailable with where to set it up.
pub async fn shop_with_accounts(store: &Store, shipment: Uuid) -> Result<RateShopping, ShippingError> {
    let mut clients = Vec::new();
    let mut unavailable = Vec::new();
    for carrier in [Carrier::Fedex, Carrier::Ups] {
        match carrier_client(store, carrier).await {
            Ok(client) => clients.push(client),
            Err(e) => unavailable.push(Unavailable { name: carrier.name().into(), reason: e.to_string() }),
        }
    }
    shop(store, shipment, &clients, unavailable).await
}

/// What a person picked from the rates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RateChoice {
    /// The local method (a table rate), priced again here.
    pub method_id: Option<Uuid>,
    /// The carrier (a carrier quote).
    pub carrier: Carrier,
    /// The carrier's service.
    pub service_code: String,
    /// The quoted price (carrier quotes only; a table rate is priced again).
    pub amount_minor: i64,
}

/// Gives `shipment` at `version` the rate `choice`. A table rate is priced
/// again from the zone's table, so what is stored is what the table says now.
pub async fn choose_rate(
    store: &Store,
    shipment: Uuid,
    version: i64,
    choice: &RateChoice,
) -> Result<(), ShippingError> {
    let parcel = store.parcel_for_pricing(shipment).await?;
    if store.label_purchases(shipment).await?.iter().any(|a| a.state.is_open()) {
        return Err(StoreError::Validation(
            "a label purchase for this parcel is still open or uncertain: settle it before changing the rate".into(),
        )
        .into());
    }
    let chosen = match choice.method_id {
        Some(method) => {
            let zones = store.shipping_zones().await?;
            let (_, options, _) = table_rates(store, &parcel, &zones).await?;
            let option = options.into_iter().find(|o| o.method_id == Some(method)).ok_or_else(|| {
                StoreError::Validation(
                    "that method is not offered for this parcel's destination, weight and currency".into(),
                )
            })?;
            ChosenRate {
                method_id: Some(method),
                carrier: option.carrier,
                service_code: option.service_code,
                cost_minor: option.amount_minor,
            }
        }
        None => {
            if !choice.carrier.sells_labels() {
                let words = format!("{} has no quotes: choose one of the local methods", choice.carrier.name());
                return Err(StoreError::Validation(words).into());
            }
            let service = choice.service_code.trim();
            if service.is_empty() || !(0..=MAX_RATE_MINOR).contains(&choice.amount_minor) {
                return Err(StoreError::Validation("a carrier rate needs its service and a price".into()).into());
            }
            ChosenRate {
                method_id: None,
                carrier: choice.carrier,
                service_code: service.to_owned(),
                cost_minor: choice.amount_minor,
            }
        }
    };
    Ok(store.choose_shipment_rate(shipment, version, &chosen).await?)
}
