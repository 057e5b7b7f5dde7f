//! Buying a label without ever buying it twice. The attempt is a row before
//! the carrier is called; the carrier's label, the shipment's tracking number
//! and the closed attempt are written in one transaction; an answer that may
//! have bought a label but was not recorded leaves the attempt `uncertain`,
//! which blocks another purchase until a person settles it (voids what the
//! carrier sold, under the reference that was sent, or says nothing was
//! bought). Voiding a label goes back to the carrier within its window.

use super::addresses::check_party;
use super::error::ShippingError;
use crate::domain::notifications::NotificationKind;
use crate::domain::{LabelPurchaseState, Timestamp};
use crate::integrations::carriers::{
    AddressVerdict, CarrierApi, CarrierError, CarrierFailure, LabelImage, LabelRequest, Party, Quote, RateRequest,
};
use crate::notifications::{Audience, Notice, notify};
use crate::store::label_purchases::{AttemptFailure, LabelBought, LabelPurchase, ParcelRoute};
use crate::store::{Store, StoreError};
use std::time::Duration;
use uuid::Uuid;

/// The crash point between the carrier's answer and the commit, for tests.
pub const FAILPOINT_BOUGHT: &str = "label-bought-before-commit";

/// How long an attempt may stay `attempting` before it is taken to have been
/// cut off (the app stopped mid-purchase): longer than any carrier call.
pub const CUT_OFF_AFTER: Duration = Duration::from_secs(120);

/// The sender and recipient of `route`, as carriers take them.
pub fn parties(route: &ParcelRoute) -> (Party, Party) {
    let text = |o: &Option<String>| o.clone().unwrap_or_default();
    let from = Party {
        name: route.from_name.clone(),
        company: None,
        phone: text(&route.from_phone),
        lines: [&route.from_line1, &route.from_line2]
            .into_iter()
            .flatten()
            .filter(|l| !l.trim().is_empty())
            .cloned()
            .collect(),
        city: text(&route.from_city),
        region: route.from_region.clone(),
        postcode: text(&route.from_postcode),
        country: text(&route.from_country),
    };
    let to = Party {
        name: route.to_name.clone(),
        company: route.to_company.clone(),
        phone: text(&route.to_phone),
        lines: [Some(&route.to_line1), route.to_line2.as_ref()]
            .into_iter()
            .flatten()
            .filter(|l| !l.trim().is_empty())
            .cloned()
            .collect(),
        city: route.to_city.clone(),
        region: route.to_region.clone(),
        postcode: route.to_postcode.clone(),
        country: route.to_country.clone(),
    };
    (from, to)
}

fn grams(route: &ParcelRoute) -> Result<u32, ShippingError> {
    u32::try_from(route.weight_grams)
        .ok()
        .filter(|g| *g > 0)
        .ok_or_else(|| StoreError::Validation("the parcel has no weight: weigh it before buying a label".into()).into())
}

/// Both addresses of `shipment`, checked locally.
pub async fn checked_route(store: &Store, shipment: Uuid) -> Result<(ParcelRoute, Party, Party), ShippingError> {
    let route = store.parcel_route(shipment).await?;
    let (from, to) = parties(&route);
    check_party("sender", &from)?;
    check_party("recipient", &to)?;
    Ok((route, from, to))
}

/// The carrier's prices for `shipment` (every service, or `service`).
pub async fn quote<C: CarrierApi>(
    store: &Store,
    api: &C,
    shipment: Uuid,
    service: Option<String>,
) -> Result<Vec<Quote>, ShippingError> {
    let (route, from, to) = checked_route(store, shipment).await?;
    let mut quotes = api.quote(&RateRequest { from, to, weight_grams: grams(&route)?, service }).await?;
    mark(&mut quotes);
    Ok(quotes)
}

/// Sorts `quotes` cheapest first (then fastest) and marks the cheapest and
/// the fastest (each may be several, when tied).
pub fn mark(quotes: &mut [Quote]) {
    quotes.sort_by_key(|q| (q.amount_minor, q.transit_days.unwrap_or(u32::MAX)));
    let lowest = quotes.iter().map(|q| q.amount_minor).min();
    let quickest = quotes.iter().filter_map(|q| q.transit_days).min();
    for q in quotes.iter_mut() {
        q.cheapest = Some(q.amount_minor) == lowest;
        q.fastest = quickest.is_some() && q.transit_days == quickest;
    }
}

/// Buys `shipment`'s label from `api` for `service_code`, drawn as `image`.
/// The recipient's address is checked locally, then by the carrier (where it
/// checks that country); a bad address stops the purchase before anything is
/// bought. Returns the attempt as it ended: `purchased`, `failed` with the
/// carrier's words, or `uncertain`.
pub async fn buy_label<C: CarrierApi>(
    store: &Store,
    api: &C,
    shipment: Uuid,
    service_code: &str,
    image: LabelImage,
    requested_by: Option<Uuid>,
) -> Result<LabelPurchase, ShippingError> {
    let carrier = api.carrier();
    let (route, from, to) = checked_route(store, shipment).await?;
    let weight_grams = grams(&route)?;
    if route.carrier != carrier {
        return Err(StoreError::Validation(format!(
            "this parcel goes by {}, not {}: change its carrier first",
            route.carrier.name(),
            carrier.name()
        ))
        .into());
    }
    if let AddressVerdict::Invalid { reason } = api.check_address(&to).await? {
        return Err(
            super::addresses::AddressProblem { side: "recipient".into(), field: "address".into(), reason }.into()
        );
    }
    let attempt = store.open_label_purchase(shipment, carrier, service_code, image.as_str(), requested_by).await?;
    let request = LabelRequest {
        from,
        to,
        weight_grams,
        service_code: service_code.to_owned(),
        reference: attempt.reference.clone(),
        image,
        ship_date: Timestamp::now().to_text()[..10].to_owned(),
    };
    match api.buy_label(&request).await {
        Ok(bought) => {
            crate::failpoint::hit(FAILPOINT_BOUGHT);
            let currency = bought.cost.map(|(m, c)| (m, c.as_str().to_owned()));
            let label = LabelBought {
                format: bought.file.as_str(),
                data: Some(&bought.label),
                tracking_number: &bought.tracking_number,
                carrier_shipment_id: Some(&bought.shipment_id),
                cost: currency.as_ref().map(|(m, c)| (*m, c.as_str())),
                transaction_id: bought.transaction_id.as_deref(),
            };
            match store.record_bought_label(&attempt, &label).await {
                Ok(true) => {}
                Ok(false) => {
                    return Err(StoreError::Validation(format!(
                        "{} sold label {} but this attempt was settled meanwhile: void {} at {}",
                        carrier.name(),
                        bought.tracking_number,
                        bought.tracking_number,
                        carrier.name()
                    ))
                    .into());
                }
                Err(e) => {
                    let words = format!(
                        "{} sold label {} but it could not be recorded ({e}): void it at {} or settle this attempt",
                        carrier.name(),
                        bought.tracking_number,
                        carrier.name()
                    );
                    let failure = AttemptFailure {
                        state: LabelPurchaseState::Uncertain,
                        code: None,
                        message: &words,
                        transaction_id: bought.transaction_id.as_deref(),
                    };
                    store.close_label_purchase(attempt.id, LabelPurchaseState::Attempting, &failure).await?;
                }
            }
        }
        Err(e) => {
            let state = if e.may_have_happened() { LabelPurchaseState::Uncertain } else { LabelPurchaseState::Failed };
            let words = if state == LabelPurchaseState::Uncertain {
                format!("{e}. Look for reference {} at {} before buying again", attempt.reference, carrier.name())
            } else {
                e.to_string()
            };
            let failure = AttemptFailure {
                state,
                code: e.code.as_deref(),
                message: &words,
                transaction_id: e.transaction_id.as_deref(),
            };
            store.close_label_purchase(attempt.id, LabelPurchaseState::Attempting, &failure).await?;
            tell_of_failure(store, requested_by, shipment, &attempt.reference, &words).await;
        }
    }
    Ok(store.label_purchase(attempt.id).await?)
}

/// Puts a failed or uncertain purchase at the bell of whoever asked for it
/// (every logistics person when nobody did: a batch, the scan station). The
/// attempt is recorded either way, so a failure to tell is only logged.
async fn tell_of_failure(store: &Store, requested_by: Option<Uuid>, shipment: Uuid, reference: &str, words: &str) {
    let to = requested_by.map(Audience::Person).unwrap_or(Audience::Role(crate::domain::Role::Logistics));
    let notice = Notice::new(NotificationKind::LabelPurchaseFailed, to, format!("Label not bought for {reference}"))
        .body(words.chars().take(crate::notifications::send::MAX_BODY).collect::<String>())
        .about("shipments", shipment);
    if let Err(e) = notify(store, requested_by, &notice).await {
        tracing::warn!("a failed label purchase could not be put at the bell: {e}");
    }
}

/// Marks attempts cut off mid-purchase (still `attempting` after
/// [`CUT_OFF_AFTER`]) as uncertain, with the reference to look for. Returns
/// how many.
pub async fn settle_cut_off_purchases(store: &Store, older_than: Duration) -> Result<usize, StoreError> {
    let before = Timestamp::from(
        Timestamp::now().as_datetime() - chrono::Duration::from_std(older_than).unwrap_or(chrono::Duration::zero()),
    );
    let mut settled = 0;
    for a in store.label_purchases_in(LabelPurchaseState::Attempting, before).await? {
        let words = format!(
            "Marketdesk stopped while buying this label: {} may have sold it. Look for reference {} there; void it, or say nothing was bought",
            a.carrier.name(),
            a.reference
        );
        let failure =
            AttemptFailure { state: LabelPurchaseState::Uncertain, code: None, message: &words, transaction_id: None };
        if store.close_label_purchase(a.id, LabelPurchaseState::Attempting, &failure).await? {
            settled += 1;
        }
    }
    Ok(settled)
}

/// How a person settles an uncertain purchase.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Settlement {
    /// The carrier shows nothing under the reference: nothing was bought.
    NothingBought,
    /// The carrier sold this label: void it there.
    VoidAtCarrier {
        /// The tracking number found at the carrier.
        tracking_number: String,
        /// The carrier's shipment id, where it differs (UPS's `1Z…` shipment number).
        shipment_id: Option<String>,
    },
}

/// Settles an uncertain attempt, so the parcel can be bought for again.
pub async fn settle_uncertain_purchase<C: CarrierApi>(
    store: &Store,
    api: &C,
    attempt: Uuid,
    how: &Settlement,
    by: Option<Uuid>,
) -> Result<LabelPurchase, ShippingError> {
    let a = store.label_purchase(attempt).await?;
    if a.state != LabelPurchaseState::Uncertain {
        return Err(StoreError::Validation(format!("this purchase is {}, not uncertain", a.state)).into());
    }
    let (to, words) = match how {
        Settlement::NothingBought => {
            (LabelPurchaseState::Failed, format!("nothing found at {} under {}", a.carrier.name(), a.reference))
        }
        Settlement::VoidAtCarrier { tracking_number, shipment_id } => {
            if api.carrier() != a.carrier {
                return Err(StoreError::Validation(format!("this purchase was made at {}", a.carrier.name())).into());
            }
            let id = shipment_id.as_deref().unwrap_or(tracking_number);
            api.void_label(tracking_number, id).await?;
            (LabelPurchaseState::Voided, format!("{tracking_number} voided at {}", a.carrier.name()))
        }
    };
    if !store.settle_label_purchase(attempt, to, &words, by).await? {
        return Err(StoreError::Validation("someone settled this purchase meanwhile".into()).into());
    }
    Ok(store.label_purchase(attempt).await?)
}

/// Voids `shipment`'s label: at the carrier for a bought one (within the
/// carrier's window), then here — the parcel goes back to pending. A
/// handed-over parcel's label is not voided.
pub async fn void_label<C: CarrierApi>(store: &Store, api: Option<&C>, shipment: Uuid) -> Result<(), ShippingError> {
    let label = store
        .live_label(shipment)
        .await?
        .ok_or_else(|| StoreError::Validation("this parcel has no label to void".into()))?;
    let route = store.parcel_route(shipment).await?;
    if !route.status.holds_unused_label() {
        return Err(StoreError::Validation(format!(
            "this parcel is {}: its label can no longer be voided",
            route.status.as_str().replace('_', " ")
        ))
        .into());
    }
    if let Some(days) = label.carrier.void_window_days() {
        let age = Timestamp::now().as_datetime() - label.created_at.as_datetime();
        if age > chrono::Duration::days(days) {
            return Err(StoreError::Validation(format!(
                "{} takes labels back for {days} days; this one was bought on {}",
                label.carrier.name(),
                &label.created_at.to_text()[..10]
            ))
            .into());
        }
        let api = api.filter(|a| a.carrier() == label.carrier).ok_or_else(|| {
            CarrierError::new(label.carrier, CarrierFailure::NotConfigured, "its account is needed to void the label")
        })?;
        let tracking = label.tracking_number.as_deref().unwrap_or_default();
        api.void_label(tracking, label.carrier_label_id.as_deref().unwrap_or(tracking)).await?;
    }
    store.record_voided_label(shipment, label.id).await?;
    Ok(())
}
