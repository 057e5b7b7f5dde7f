//! Packing an order into parcels: what is left to pack of each line, the
//! parcels the bench starts from (one per vendor, everything left, in the
//! default box), and a packing checked and written in one transaction — each
//! parcel one vendor's units, never more units than are left, within its
//! box's weight limit — after which the parcels are rated, bought and printed
//! like any other. The order is locked while it is packed, so two benches
//! packing the same order cannot pack a unit twice.

use crate::domain::OrderStatus;
use crate::store::packing::{
    NewParcel, PackLine, PackagePreset, PresetSpec, insert_parcel, lock_order_to_pack, pack_lines_in, preset_in,
};
use crate::store::sql::{Param, Sql};
use crate::store::versioned::update_versioned_in;
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Parcels one packing may create at most.
pub const MAX_PARCELS: usize = 50;

/// One parcel as the bench plans it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ParcelPlan {
    /// Whose items go in it.
    pub vendor_id: Uuid,
    /// The box (`None`: no box on record; the weight is the items').
    pub preset_id: Option<Uuid>,
    /// Order lines and units.
    pub items: Vec<PlanItem>,
}

/// Units of one order line in a parcel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlanItem {
    /// The order line.
    pub order_item_id: Uuid,
    /// Units.
    pub quantity: i32,
}

/// An order as the packing bench opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PackingPlan {
    /// The order.
    pub order_id: Uuid,
    /// Its number.
    pub order_number: String,
    /// Its status.
    pub status: OrderStatus,
    /// Whether it may be packed now (paid and not fully shipped).
    pub packable: bool,
    /// Its lines with what is left of each.
    pub lines: Vec<PackLine>,
    /// Where to start: a parcel per vendor with everything left, in the first box.
    pub proposal: Vec<ParcelPlan>,
    /// The boxes to choose from.
    pub presets: Vec<PackagePreset>,
}

/// Checks a box as people typed it.
pub fn check_preset(spec: &PresetSpec) -> Result<(), StoreError> {
    let invalid = |why: &str| Err(StoreError::Validation(why.to_owned()));
    let name = spec.name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return invalid("a box needs a name of 1 to 60 characters");
    }
    for (what, mm) in [("length", spec.length_mm), ("width", spec.width_mm), ("height", spec.height_mm)] {
        if !(1..=3000).contains(&mm) {
            return Err(StoreError::Validation(format!("the box's {what} must be 1 to 3,000 mm, not {mm}")));
        }
    }
    if !(0..=50_000).contains(&spec.tare_grams) {
        return invalid("an empty box weighs 0 to 50,000 g");
    }
    match spec.max_weight_grams {
        Some(max) if max <= spec.tare_grams || max > 1_000_000 => {
            invalid("the most a box carries must be more than the empty box and at most 1,000 kg")
        }
        _ => Ok(()),
    }
}

/// Stores a box after checking it.
pub async fn add_preset(store: &Store, spec: &PresetSpec) -> Result<PackagePreset, StoreError> {
    check_preset(spec)?;
    store.insert_package_preset(spec).await
}

/// Order `id` as the bench opens it.
pub async fn packing_plan(store: &Store, id: Uuid) -> Result<PackingPlan, StoreError> {
    let order = store.order_to_pack(id).await?;
    let lines = store.pack_lines(id).await?;
    let presets = store.package_presets().await?;
    let first_box = presets.first().map(|b| b.id);
    let mut by_vendor: BTreeMap<Uuid, Vec<PlanItem>> = BTreeMap::new();
    let mut order_of_vendors: Vec<Uuid> = Vec::new();
    for line in lines.iter().filter(|l| l.left > 0) {
        if !by_vendor.contains_key(&line.vendor_id) {
            order_of_vendors.push(line.vendor_id);
        }
        by_vendor
            .entry(line.vendor_id)
            .or_default()
            .push(PlanItem { order_item_id: line.order_item_id, quantity: line.left });
    }
    let proposal = order_of_vendors
        .into_iter()
        .map(|v| ParcelPlan { vendor_id: v, preset_id: first_box, items: by_vendor.remove(&v).unwrap_or_default() })
        .collect::<Vec<_>>();
    Ok(PackingPlan {
        order_id: order.id,
        order_number: order.number,
        status: order.status,
        packable: OrderStatus::AWAITING_FULFILMENT.contains(&order.status) && !proposal.is_empty(),
        lines,
        proposal,
        presets,
    })
}

/// Packs order `id` into `parcels`: checked against what is left, written in
/// one transaction as pending parcels (a paid order starts processing).
/// Returns the new parcels' ids, in the order given.
pub async fn pack(store: &Store, id: Uuid, parcels: &[ParcelPlan]) -> Result<Vec<Uuid>, StoreError> {
    let invalid = |why: String| Err(StoreError::Validation(why));
    if parcels.is_empty() {
        return invalid("nothing to pack: add a parcel with at least one item".into());
    }
    if parcels.len() > MAX_PARCELS {
        return invalid(format!("{} parcels at once: pack {MAX_PARCELS} at most", parcels.len()));
    }
    let mut tx = store.begin_write_tx().await?;
    let order = lock_order_to_pack(&mut tx, id).await?;
    if !OrderStatus::AWAITING_FULFILMENT.contains(&order.status) {
        return invalid(format!(
            "order {} is {}: only paid orders not yet shipped are packed",
            order.number, order.status
        ));
    }
    let Some(ship_to) = order.shipping_address_id else {
        return invalid(format!("order {} has no shipping address", order.number));
    };
    let lines = pack_lines_in(&mut tx, id).await?;
    let mut taken: BTreeMap<Uuid, i32> = BTreeMap::new();
    let mut planned = Vec::with_capacity(parcels.len());
    for (n, plan) in parcels.iter().enumerate() {
        let which = n + 1;
        if plan.items.is_empty() {
            return invalid(format!("parcel {which} is empty: put an item in it or remove it"));
        }
        let mut weight: i64 = 0;
        let mut items = Vec::with_capacity(plan.items.len());
        for item in &plan.items {
            let Some(line) = lines.iter().find(|l| l.order_item_id == item.order_item_id) else {
                return invalid(format!("parcel {which} holds an item that is not on order {}", order.number));
            };
            if line.vendor_id != plan.vendor_id {
                return invalid(format!(
                    "parcel {which} mixes vendors: {} is another vendor's item (each vendor ships their own)",
                    line.sku
                ));
            }
            if item.quantity <= 0 {
                return invalid(format!("parcel {which}: {} needs a whole number of units above 0", line.sku));
            }
            if items.iter().any(|(i, _)| *i == item.order_item_id) {
                return invalid(format!("parcel {which} lists {} twice", line.sku));
            }
            let total = taken.entry(line.order_item_id).or_default();
            *total += item.quantity;
            if *total > line.left {
                return invalid(format!(
                    "{} units of {} packed, but {} {} left to pack",
                    *total,
                    line.sku,
                    line.left,
                    if line.left == 1 { "is" } else { "are" }
                ));
            }
            weight += i64::from(line.unit_weight_grams) * i64::from(item.quantity);
            items.push((item.order_item_id, item.quantity));
        }
        let preset = match plan.preset_id {
            Some(b) => Some(
                preset_in(&mut tx, b)
                    .await?
                    .ok_or_else(|| StoreError::Validation(format!("parcel {which}: that box was retired")))?,
            ),
            None => None,
        };
        weight += preset.as_ref().map_or(0, |b| i64::from(b.tare_grams));
        if let Some(b) = &preset
            && let Some(max) = b.max_weight_grams
            && weight > i64::from(max)
        {
            return invalid(format!(
                "parcel {which} weighs {weight} g in “{}”, which carries {max} g at most: split it",
                b.name
            ));
        }
        let weight_grams = i32::try_from(weight)
            .map_err(|_| StoreError::Validation(format!("parcel {which} is heavier than any carrier takes")))?;
        planned.push(NewParcel { vendor_id: plan.vendor_id, preset, weight_grams, items });
    }
    let mut ids = Vec::with_capacity(planned.len());
    for parcel in &planned {
        ids.push(insert_parcel(&mut tx, &order, ship_to, parcel).await?);
    }
    if order.status == OrderStatus::Paid {
        let mut set = Sql::new("status = ");
        set.bind(Param::Text(OrderStatus::Processing.as_str().into()));
        update_versioned_in(&mut tx, "orders", "order", id, order.version, set).await?;
    }
    tx.commit().await?;
    Ok(ids)
}
