//! The warehouse's sheets, drawn as PDF from the store: a pick list for a
//! selection of parcels (each vendor's SKUs with how many to pick, in bin
//! order, so a picker walks the shelves once), a packing slip per parcel (what is in the
//! box and what of the order is not), and an end-of-day manifest per carrier
//! (every parcel handed over in a span of time, with a line for the driver's
//! signature). Printed on the workstation's default printer for the kind.

use crate::documents::sheet::{Column, Sheet, render};
use crate::domain::{Carrier, Timestamp};
use crate::store::shipments::ShipmentFilter;
use crate::store::warehouse::MAX_PICK_PARCELS;
use crate::store::{Store, StoreError};
use uuid::Uuid;

fn col(title: &'static str, weight: f32, right: bool) -> Column {
    Column { title, weight, right }
}

fn made(now: Timestamp) -> String {
    format!("Made {}", now.as_datetime().format("%Y-%m-%d %H:%M UTC"))
}

fn kilos(grams: i64) -> String {
    format!("{}.{:03} kg", grams / 1000, grams % 1000)
}

/// The pick list for `shipments` as a PDF, and how many lines it has.
pub async fn pick_list(store: &Store, shipments: &[Uuid], now: Timestamp) -> Result<(Vec<u8>, usize), StoreError> {
    if shipments.is_empty() {
        return Err(StoreError::Validation("choose the parcels to pick for".into()));
    }
    let lines = store.pick_lines(shipments).await?;
    let units: i64 = lines.iter().map(|l| l.quantity).sum();
    let sheet = Sheet {
        title: "Pick list".into(),
        title_note: made(now),
        heading: vec![format!(
            "{} parcels · {} lines · {units} items, walking the bins in order, then by vendor and SKU",
            shipments.len(),
            lines.len()
        )],
        columns: vec![
            col("Bin", 1.4, false),
            col("Vendor", 2.6, false),
            col("SKU", 2.8, false),
            col("Product", 4.3, false),
            col("Qty", 0.8, true),
            col("Parcels", 1.3, true),
            col("Picked", 1.0, false),
        ],
        rows: lines
            .iter()
            .map(|l| {
                let product = if l.variant_name.is_empty() {
                    l.product_name.clone()
                } else {
                    format!("{} · {}", l.product_name, l.variant_name)
                };
                vec![
                    l.bin_location.clone().unwrap_or_else(|| "—".into()),
                    l.vendor_name.clone(),
                    l.sku.clone(),
                    product,
                    l.quantity.to_string(),
                    l.parcels.to_string(),
                    "[   ]".into(),
                ]
            })
            .collect(),
        empty: "None of these parcels lists any items.".into(),
        closing: vec![format!("{units} items in all")],
        footer: "Pick each line, tick it, then pack by the packing slips.".into(),
    };
    Ok((render(&sheet), lines.len()))
}

/// `shipment`'s packing slip as a PDF.
pub async fn packing_slip(store: &Store, shipment: Uuid, now: Timestamp) -> Result<Vec<u8>, StoreError> {
    let (head, items) = store.packing_slip(shipment).await?;
    let mut heading = vec![
        format!(
            "Order {} · parcel {} of {} from {}",
            head.order_number, head.parcel_number, head.parcel_count, head.vendor_name
        ),
        String::new(),
        format!("Ship to: {}", head.to_name),
        head.to_line1.clone(),
    ];
    if let Some(l2) = head.to_line2.as_ref().filter(|l| !l.trim().is_empty()) {
        heading.push(l2.clone());
    }
    let region = head.to_region.as_deref().map(|r| format!(" {r}")).unwrap_or_default();
    heading.push(format!("{} {}{region} · {}", head.to_postcode, head.to_city, head.to_country));
    heading.push(String::new());
    heading.push(format!(
        "{} · {} · {}",
        head.carrier.name(),
        head.tracking_number.as_deref().unwrap_or("no tracking number yet"),
        kilos(i64::from(head.weight_grams))
    ));
    if let Some(placed) = head.placed_at {
        heading.push(format!("Ordered {}", placed.as_datetime().format("%Y-%m-%d")));
    }
    let in_box: i64 = items.iter().map(|i| i64::from(i.quantity)).sum();
    let elsewhere: Vec<String> = items
        .iter()
        .filter(|i| i.ordered > i.quantity)
        .map(|i| format!("{} more of {} in another parcel", i.ordered - i.quantity, i.sku))
        .collect();
    let mut closing = vec![format!("{in_box} items in this parcel")];
    closing.extend(elsewhere);
    let sheet = Sheet {
        title: "Packing slip".into(),
        title_note: made(now),
        heading,
        columns: vec![
            col("SKU", 2.5, false),
            col("Item", 7.0, false),
            col("Qty", 1.0, true),
            col("Ordered", 1.3, true),
        ],
        rows: items
            .iter()
            .map(|i| {
                let item = if i.variant_name.is_empty() {
                    i.product_name.clone()
                } else {
                    format!("{} · {}", i.product_name, i.variant_name)
                };
                vec![i.sku.clone(), item, i.quantity.to_string(), i.ordered.to_string()]
            })
            .collect(),
        empty: "This parcel lists no items.".into(),
        closing,
        footer: format!("Questions about order {}: contact {}.", head.order_number, head.vendor_name),
    };
    Ok(render(&sheet))
}

/// The manifest of `carrier` for the parcels handed over from `from` to `to`
/// as a PDF, and how many parcels it lists.
pub async fn manifest(
    store: &Store,
    carrier: Carrier,
    from: Timestamp,
    to: Timestamp,
    now: Timestamp,
) -> Result<(Vec<u8>, usize), StoreError> {
    if to <= from {
        return Err(StoreError::Validation("a manifest's span must end after it starts".into()));
    }
    let lines = store.manifest_lines(carrier, from, to).await?;
    let grams: i64 = lines.iter().map(|l| i64::from(l.weight_grams)).sum();
    let span =
        format!("{} to {}", from.as_datetime().format("%Y-%m-%d %H:%M"), to.as_datetime().format("%Y-%m-%d %H:%M UTC"));
    let sheet = Sheet {
        title: format!("{} manifest", carrier.name()),
        title_note: made(now),
        heading: vec![format!("Parcels handed over from {span}")],
        columns: vec![
            col("Handed over", 2.2, false),
            col("Tracking", 3.2, false),
            col("Order", 2.0, false),
            col("Service", 2.2, false),
            col("To", 4.0, false),
            col("Weight", 1.6, true),
        ],
        rows: lines
            .iter()
            .map(|l| {
                vec![
                    l.handed_over_at.as_datetime().format("%m-%d %H:%M").to_string(),
                    l.tracking_number.clone().unwrap_or_else(|| "—".into()),
                    l.order_number.clone(),
                    l.service_code.clone(),
                    format!("{}, {} {} {}", l.to_name, l.to_postcode, l.to_city, l.to_country),
                    kilos(i64::from(l.weight_grams)),
                ]
            })
            .collect(),
        empty: "No parcel was handed over to this carrier in that span.".into(),
        closing: vec![
            format!("{} parcels · {}", lines.len(), kilos(grams)),
            String::new(),
            "Received by (driver): ______________________   Signature: ______________________   Time: ________".into(),
        ],
        footer: format!("{} manifest, {span}", carrier.name()),
    };
    Ok((render(&sheet), lines.len()))
}

/// Writes a sheet's `pdf` to `path` (private, through a partial file: a
/// failure leaves nothing behind).
pub fn write_sheet(path: &std::path::Path, pdf: &[u8]) -> Result<(), StoreError> {
    use std::io::Write;
    crate::store::files::check_target(path)?;
    let (partial, mut file) = crate::store::files::PartialFile::create(path)?;
    file.write_all(pdf)
        .and_then(|()| file.sync_all())
        .map_err(|e| StoreError::Validation(format!("cannot write {}: {e}", path.display())))?;
    partial.commit()?;
    Ok(())
}

/// The parcels `filter` matches (oldest first), for a pick list; refused
/// when they are more than a pick list takes.
pub async fn parcels_matching(store: &Store, filter: &ShipmentFilter) -> Result<Vec<Uuid>, StoreError> {
    Ok(store.all_shipments(filter, MAX_PICK_PARCELS).await?.into_iter().map(|s| s.id).collect())
}
