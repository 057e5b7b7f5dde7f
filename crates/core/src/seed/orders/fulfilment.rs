//! An order's lines and parcels: which vendor groups shipped, were delivered,
//! went missing, are disputed or refunded; the items, shipments, tracking
//! events and (for the recent past) labels that follow.

use super::super::rows::{at, id, synced};
use super::super::tables::Tables;
use super::super::world::{DAY, World};
use super::basket::Sale;
use super::{HOUR, MINUTE, OrderStream, weighted};
use crate::store::bulk::Cell;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// What befalls an order after payment.
pub(super) struct Fate {
    /// The vendor group (index into the sale's vendors) a dispute is about.
    pub dispute_group: Option<usize>,
    /// The dispute's kind.
    pub dispute_kind: Option<&'static str>,
    /// The line refunded in a partial refund.
    pub refunded_line: Option<usize>,
}

/// Draws the sale's fate.
pub(super) fn fate(rng: &mut ChaCha8Rng, sale: &Sale<'_>) -> Fate {
    let dispute_group = (sale.status == "disputed").then(|| rng.gen_range(0..sale.vendors.len()));
    let dispute_kind = dispute_group.map(|_| {
        weighted(
            rng,
            &[("not_received", 30), ("not_as_described", 35), ("damaged", 25), ("chargeback", 5), ("other", 5)],
        )
    });
    let refunded_line = (sale.status == "partially_refunded").then(|| rng.gen_range(0..sale.lines.len()));
    Fate { dispute_group, dispute_kind, refunded_line }
}

impl OrderStream {
    /// Writes the sale's items and parcels; returns when its last parcel was
    /// delivered (the placing time when none was).
    pub(super) fn fulfil(
        &mut self,
        rng: &mut ChaCha8Rng,
        w: &World,
        out: &mut Tables,
        sale: &Sale<'_>,
        fate: &Fate,
    ) -> i64 {
        let (status, lines, placed, created, method) =
            (sale.status, &sale.lines, sale.placed, sale.created, sale.method);
        let mut last_delivery = placed;
        for (g, &v) in sale.vendors.iter().enumerate() {
            let shipped = match status {
                "shipped" | "delivered" | "refunded" | "partially_refunded" | "disputed" => true,
                "partially_shipped" => g == 0,
                _ => false,
            };
            let lost = fate.dispute_group == Some(g) && fate.dispute_kind == Some("not_received");
            let delivered =
                shipped && !lost && matches!(status, "delivered" | "refunded" | "partially_refunded" | "disputed");
            let item_status = |line_index: usize| -> (&'static str, i64) {
                if status == "refunded" {
                    return ("refunded", lines[line_index].quantity);
                }
                if fate.refunded_line == Some(line_index) {
                    return ("refunded", lines[line_index].quantity);
                }
                if fate.dispute_group == Some(g) {
                    return ("disputed", 0);
                }
                (
                    match status {
                        "pending" => "pending",
                        "cancelled" => "cancelled",
                        _ if delivered => "delivered",
                        _ if shipped => "shipped",
                        _ => "paid",
                    },
                    0,
                )
            };
            for (li, line) in lines.iter().enumerate().filter(|(_, l)| l.vendor == v) {
                let variant = &w.variants[line.variant];
                let (st, refunded) = item_status(li);
                out.order_items.push(synced(
                    line.id,
                    created,
                    vec![
                        sale.order_id.into(),
                        w.vendors[v].id.into(),
                        w.products[variant.product].id.into(),
                        variant.id.into(),
                        variant.sku.clone().into(),
                        w.products[variant.product].name.clone().into(),
                        variant.name.clone().into(),
                        line.quantity.into(),
                        variant.price.into(),
                        sale.currency.as_str().into(),
                        line.subtotal.into(),
                        line.tax.into(),
                        i64::from(w.vendors[v].commission_bps).into(),
                        line.commission.into(),
                        st.into(),
                        refunded.into(),
                    ],
                ));
            }
            if !shipped {
                continue;
            }
            self.shipment_seq += 1;
            let seq = self.shipment_seq;
            let tracking = match method.carrier {
                "ups" => format!("1ZMD{seq:012}"),
                "fedex" => format!("7{seq:011}"),
                _ => format!("LCL{seq:010}"),
            };
            let label_at = placed + rng.gen_range(6..30) * HOUR;
            let transit_at = label_at + rng.gen_range(4..24) * HOUR;
            let delivered_at = (transit_at + rng.gen_range(1..=method.max_days + 1) * DAY).min(w.end - HOUR);
            if delivered {
                last_delivery = last_delivery.max(delivered_at);
            }
            let sid = id(rng, at(label_at));
            let weight: i64 =
                lines.iter().filter(|l| l.vendor == v).map(|l| w.variants[l.variant].weight * l.quantity).sum();
            let cost = method.rate * 8 / 10;
            let shipment_status = if delivered {
                "delivered"
            } else if lost && sale.age_days > 20 {
                "exception"
            } else {
                "in_transit"
            };
            out.shipments.push(synced(
                sid,
                at(label_at),
                vec![
                    sale.order_id.into(),
                    w.vendors[v].id.into(),
                    method.id.into(),
                    method.carrier.into(),
                    method.service.into(),
                    tracking.clone().into(),
                    shipment_status.into(),
                    sale.customer.address.into(),
                    weight.into(),
                    cost.into(),
                    sale.currency.as_str().into(),
                    Cell::Time(at(transit_at)),
                    delivered.then(|| at(delivered_at)).into(),
                    Cell::Time(at(transit_at + method.max_days * DAY)),
                ],
            ));
            for line in lines.iter().filter(|l| l.vendor == v) {
                out.shipment_items.push(synced(
                    id(rng, at(label_at)),
                    at(label_at),
                    vec![sid.into(), line.id.into(), line.quantity.into()],
                ));
            }
            let mut events = vec![
                (label_at, "label_purchased", "Shipping label created"),
                (transit_at, "in_transit", "Picked up by carrier"),
            ];
            if delivered {
                events.push((delivered_at, "delivered", "Delivered"));
            } else if shipment_status == "exception" {
                events.push((transit_at + 5 * DAY, "exception", "Delivery exception: address not found"));
            }
            for (when, st, text) in events {
                let city = ["Louisville, KY", "Memphis, TN", "Cologne, DE", "Newark, NJ"]
                    [usize::try_from(seq % 4).unwrap_or(0)];
                out.tracking_events.push(synced(
                    id(rng, at(when)),
                    at(when),
                    vec![sid.into(), Cell::Time(at(when)), st.into(), text.into(), city.into()],
                ));
            }
            if placed >= w.end - 90 * DAY {
                out.shipping_labels.push(synced(
                    id(rng, at(label_at)),
                    at(label_at),
                    vec![
                        sid.into(),
                        method.carrier.into(),
                        "zpl".into(),
                        tracking.into(),
                        cost.into(),
                        sale.currency.as_str().into(),
                        "printed".into(),
                        Cell::Time(at(label_at + 10 * MINUTE)),
                    ],
                ));
            }
        }
        last_delivery
    }
}
