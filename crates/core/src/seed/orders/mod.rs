//! The stream of seeded orders, oldest first, each with everything that follows
//! from its status: payment, shipments and tracking, labels, refunds, disputes,
//! reviews, notifications and the ledger postings — then the monthly payouts and
//! subscription invoices once every order is known.

mod month_end;
mod postings;
mod reviews;

use super::rows::{at, id, synced};
use super::tables::Tables;
use super::world::{DAY, World, pick};
use super::{SeedError, SeedOptions};
use crate::domain::Currency;
use crate::domain::money::{allocate, apply_bps};
use crate::finance::postings::{Capture, CommissionBearer, Returned, SoldLine, payment_captured, refund};
use crate::store::bulk::Cell;
use month_end::month_index;
use postings::{Txn, post};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, HashSet};
use uuid::Uuid;

const HOUR: i64 = DAY / 24;
const MINUTE: i64 = HOUR / 60;

struct Line {
    id: Uuid,
    vendor: usize,
    variant: usize,
    quantity: i64,
    subtotal: i64,
    commission: i64,
    tax: i64,
}

pub(super) struct OrderStream {
    orders: u64,
    /// Net earnings per (vendor, month index) in the vendor's currency.
    earnings: BTreeMap<(usize, i32), i64>,
    reviewed: HashSet<(usize, usize)>,
    shipment_seq: u64,
}

fn weighted<'a>(rng: &mut ChaCha8Rng, choices: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = choices.iter().map(|c| c.1).sum();
    let mut roll = rng.gen_range(0..total);
    for (value, weight) in choices {
        if roll < *weight {
            return value;
        }
        roll -= weight;
    }
    choices[0].0
}

impl OrderStream {
    pub fn new(_world: &World, options: &SeedOptions) -> Self {
        Self { orders: options.orders, earnings: BTreeMap::new(), reviewed: HashSet::new(), shipment_seq: 0 }
    }

    /// Generates order number `i` (0-based) and everything that hangs off it.
    pub fn order(&mut self, rng: &mut ChaCha8Rng, w: &World, out: &mut Tables, i: u64) -> Result<(), SeedError> {
        let n = i64::try_from(self.orders).unwrap_or(i64::MAX);
        let i = i64::try_from(i).unwrap_or(0);
        let span = w.end - w.start - HOUR;
        let slot = (span / n).max(1);
        let placed = w.start + span / n * i + (span % n) * i / n + rng.gen_range(0..slot);
        let age_days = (w.end - placed) / DAY;

        // The buyer: anyone signed up by then.
        let c_first = w.customers[0].created;
        let c_last = w.customers[w.customers.len() - 1].created;
        let known = if placed >= c_last {
            w.customers.len()
        } else {
            let frac = (placed - c_first).max(0);
            (usize::try_from(frac / ((c_last - c_first) / i64::try_from(w.customers.len()).unwrap_or(1)).max(1))
                .unwrap_or(0)
                + 1)
            .min(w.customers.len())
        };
        let c = rng.gen_range(0..known);
        let customer = &w.customers[c];

        // Vendors selling in the buyer's currency for a month by then (USD when none yet).
        let eligible = |currency: Currency| -> (Currency, &Vec<usize>, usize) {
            let list = &w
                .vendors_by_currency
                .iter()
                .find(|(cur, _)| *cur == currency)
                .map(|(_, l)| l)
                .unwrap_or(&w.vendors_by_currency[0].1);
            let k = list.partition_point(|&v| w.vendors[v].created + 30 * DAY <= placed);
            (currency, list, k)
        };
        let (mut currency, mut list, mut k) = eligible(w.customer_currency[c]);
        if k == 0 {
            (currency, list, k) = eligible(Currency::USD);
        }
        let k = k.max(1);
        let wanted = match rng.gen_range(0..100) {
            0..60 => 1,
            60..90 => 2,
            _ => 3,
        }
        .min(k);
        let mut vendors: Vec<usize> = Vec::with_capacity(wanted);
        for _ in 0..wanted * 4 {
            if vendors.len() == wanted {
                break;
            }
            let idx = rng.gen_range(0..k).min(rng.gen_range(0..k));
            let v = list[idx];
            if !vendors.contains(&v) {
                vendors.push(v);
            }
        }

        let order_id = id(rng, at(placed));
        let created = at(placed);
        let mut lines: Vec<Line> = Vec::new();
        for &v in &vendors {
            let vendor = &w.vendors[v];
            for _ in 0..if rng.gen_bool(0.3) { 2 } else { 1 } {
                let product = &w.products[*pick(rng, &vendor.products)];
                let variant = *pick(rng, &product.variants);
                if lines.iter().any(|l| l.variant == variant) {
                    continue;
                }
                let quantity = match rng.gen_range(0..100) {
                    0..75 => 1,
                    75..95 => 2,
                    _ => 3,
                };
                let subtotal = w.variants[variant].price * quantity;
                let commission = apply_bps(subtotal, vendor.commission_bps);
                lines.push(Line { id: id(rng, created), vendor: v, variant, quantity, subtotal, commission, tax: 0 });
            }
        }
        let subtotal: i64 = lines.iter().map(|l| l.subtotal).sum();
        let tax = if currency == Currency::USD { apply_bps(subtotal, 800) } else { 0 };
        let weights: Vec<u64> = lines.iter().map(|l| u64::try_from(l.subtotal).unwrap_or(0)).collect();
        for (line, part) in lines.iter_mut().zip(allocate(tax, &weights)) {
            line.tax = part;
        }
        let methods = &w.methods.iter().find(|(cur, _)| *cur == currency).map(|(_, m)| m).unwrap_or(&w.methods[0].1);
        let method = pick(rng, methods);
        let shipping = method.rate;
        let total = subtotal + shipping + tax;

        let status = if age_days < 2 {
            weighted(rng, &[("pending", 15), ("paid", 45), ("processing", 40)])
        } else if age_days < 7 {
            let partial = if vendors.len() > 1 { 10 } else { 0 };
            weighted(rng, &[("processing", 15), ("partially_shipped", partial), ("shipped", 70), ("cancelled", 5)])
        } else {
            weighted(
                rng,
                &[
                    ("delivered", 79),
                    ("cancelled", 5),
                    ("refunded", 4),
                    ("partially_refunded", 7),
                    ("disputed", 2),
                    ("shipped", 3),
                ],
            )
        };
        let captured = !matches!(status, "pending" | "cancelled");
        let paid_at = placed + 2 * MINUTE;
        let cancelled_at = (status == "cancelled").then(|| at(placed + 3 * HOUR));
        let number = format!("MD-{:07}", i + 1);
        out.orders.push(synced(
            order_id,
            created,
            vec![
                number.clone().into(),
                customer.id.into(),
                status.into(),
                currency.as_str().into(),
                subtotal.into(),
                shipping.into(),
                tax.into(),
                0_i64.into(),
                total.into(),
                customer.address.into(),
                customer.address.into(),
                method.id.into(),
                created.into(),
                captured.then(|| at(paid_at)).into(),
                cancelled_at.into(),
            ],
        ));

        // Payment.
        let fee = if captured {
            if currency == Currency::USD { apply_bps(total, 290) + 30 } else { apply_bps(total, 140) + 25 }
        } else {
            0
        };
        let payment_id = id(rng, created);
        let payment_status = match status {
            "pending" => "requires_payment",
            "cancelled" => "cancelled",
            _ => "succeeded",
        };
        out.payments.push(synced(
            payment_id,
            created,
            vec![
                order_id.into(),
                "stripe".into(),
                format!("pi_seed{:010}", i + 1).into(),
                payment_status.into(),
                total.into(),
                currency.as_str().into(),
                fee.into(),
                "card".into(),
                captured.then(|| at(paid_at)).into(),
            ],
        ));

        // Which vendor groups shipped, which were delivered, which is disputed or refunded.
        let dispute_group = (status == "disputed").then(|| rng.gen_range(0..vendors.len()));
        let dispute_kind = dispute_group.map(|_| {
            weighted(
                rng,
                &[("not_received", 30), ("not_as_described", 35), ("damaged", 25), ("chargeback", 5), ("other", 5)],
            )
        });
        let refunded_line = (status == "partially_refunded").then(|| rng.gen_range(0..lines.len()));
        let mut last_delivery = placed;
        for (g, &v) in vendors.iter().enumerate() {
            let shipped = match status {
                "shipped" | "delivered" | "refunded" | "partially_refunded" | "disputed" => true,
                "partially_shipped" => g == 0,
                _ => false,
            };
            let lost = dispute_group == Some(g) && dispute_kind == Some("not_received");
            let delivered =
                shipped && !lost && matches!(status, "delivered" | "refunded" | "partially_refunded" | "disputed");
            let item_status = |line_index: usize| -> (&'static str, i64) {
                if status == "refunded" {
                    return ("refunded", lines[line_index].quantity);
                }
                if refunded_line == Some(line_index) {
                    return ("refunded", lines[line_index].quantity);
                }
                if dispute_group == Some(g) {
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
                        order_id.into(),
                        w.vendors[v].id.into(),
                        w.products[variant.product].id.into(),
                        variant.id.into(),
                        variant.sku.clone().into(),
                        w.products[variant.product].name.clone().into(),
                        variant.name.clone().into(),
                        line.quantity.into(),
                        variant.price.into(),
                        currency.as_str().into(),
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
            } else if lost && age_days > 20 {
                "exception"
            } else {
                "in_transit"
            };
            out.shipments.push(synced(
                sid,
                at(label_at),
                vec![
                    order_id.into(),
                    w.vendors[v].id.into(),
                    method.id.into(),
                    method.carrier.into(),
                    method.service.into(),
                    tracking.clone().into(),
                    shipment_status.into(),
                    customer.address.into(),
                    weight.into(),
                    cost.into(),
                    currency.as_str().into(),
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
                        currency.as_str().into(),
                        "printed".into(),
                        Cell::Time(at(label_at + 10 * MINUTE)),
                    ],
                ));
            }
        }

        if !captured {
            return Ok(());
        }
        // Capture posting: the buyer's money in, split between vendors, platform, tax.
        let sold: Vec<SoldLine> = lines
            .iter()
            .map(|l| SoldLine {
                vendor_id: w.vendors[l.vendor].id,
                quantity: u32::try_from(l.quantity).unwrap_or(1),
                subtotal_minor: l.subtotal,
                tax_minor: l.tax,
                commission_minor: l.commission,
            })
            .collect();
        let capture = Capture { currency, lines: sold.clone(), shipping_minor: shipping, fee_minor: fee };
        for &v in &vendors {
            let net: i64 = lines.iter().filter(|l| l.vendor == v).map(|l| l.subtotal - l.commission).sum();
            *self.earnings.entry((v, month_index(paid_at))).or_default() += net;
        }
        post(
            rng,
            out,
            w,
            Txn {
                code: "payment_captured",
                description: format!("Payment for {number}"),
                when: at(paid_at),
                links: [Some(order_id), None, None],
            },
            payment_captured(&capture)?,
        )?;

        // Refunds through the same rule as the app (the platform gives back its
        // commission, as the demo setting says; Stripe keeps its fee).
        let refund_of = match status {
            "refunded" => Some((None, (0..lines.len()).collect::<Vec<_>>(), shipping)),
            "partially_refunded" => refunded_line.map(|li| (Some(lines[li].id), vec![li], 0)),
            _ => None,
        };
        if let Some((item, refunded, refunded_shipping)) = refund_of {
            let returned: Vec<Returned> = refunded
                .iter()
                .map(|&li| Returned { line: sold[li], quantity: sold[li].quantity, already_refunded: 0 })
                .collect();
            let (entries, amount) = refund(currency, &returned, refunded_shipping, CommissionBearer::Platform)?;
            let when = (last_delivery + rng.gen_range(1..10) * DAY).min(w.end - HOUR).max(paid_at + HOUR);
            let rid = id(rng, at(when));
            let reason =
                weighted(rng, &[("requested_by_customer", 50), ("damaged", 25), ("not_received", 10), ("other", 15)]);
            out.refunds.push(synced(
                rid,
                at(when),
                vec![
                    payment_id.into(),
                    order_id.into(),
                    item.into(),
                    amount.into(),
                    currency.as_str().into(),
                    reason.into(),
                    "succeeded".into(),
                    format!("re_seed{:010}", i + 1).into(),
                    format!("seed-refund-{rid}").into(),
                    Cell::Time(at(when)),
                ],
            ));
            for &li in &refunded {
                let l = &lines[li];
                *self.earnings.entry((l.vendor, month_index(when))).or_default() -= l.subtotal - l.commission;
            }
            post(
                rng,
                out,
                w,
                Txn {
                    code: "refund",
                    description: format!("Refund on {number}"),
                    when: at(when),
                    links: [Some(order_id), None, Some(rid)],
                },
                entries,
            )?;
        }

        // A dispute with its thread.
        if let (Some(g), Some(kind)) = (dispute_group, dispute_kind) {
            let v = vendors[g];
            let opened = (last_delivery.max(placed + 3 * DAY) + rng.gen_range(1..5) * DAY).min(w.end - HOUR);
            let did = id(rng, at(opened));
            let amount: i64 = lines.iter().filter(|l| l.vendor == v).map(|l| l.subtotal + l.tax).sum();
            let (dstatus, resolution) = if age_days > 60 {
                *pick(
                    rng,
                    &[
                        ("resolved", Some("refund_full")),
                        ("resolved", Some("replacement")),
                        ("resolved", Some("refund_partial")),
                        ("closed", Some("rejected")),
                        ("closed", Some("withdrawn")),
                    ],
                )
            } else {
                *pick(
                    rng,
                    &[
                        ("open", None),
                        ("awaiting_vendor", None),
                        ("under_review", None),
                        ("escalated", None),
                        ("awaiting_customer", None),
                    ],
                )
            };
            let assigned = (dstatus != "open").then(|| w.admins[usize::try_from(i).unwrap_or(0) % w.admins.len()]);
            let resolved_at = resolution.map(|_| at((opened + 10 * DAY).min(w.end - HOUR)));
            let subject = match kind {
                "not_received" => "Package never arrived",
                "not_as_described" => "Item is not what was described",
                "damaged" => "Item arrived damaged",
                "chargeback" => "Card issuer opened a chargeback",
                _ => "Problem with my order",
            };
            out.disputes.push(synced(
                did,
                at(opened),
                vec![
                    order_id.into(),
                    customer.id.into(),
                    w.vendors[v].id.into(),
                    assigned.into(),
                    kind.into(),
                    dstatus.into(),
                    resolution.into(),
                    amount.into(),
                    currency.as_str().into(),
                    format!("{subject} ({number})").into(),
                    Cell::Time(at(opened)),
                    resolved_at.into(),
                ],
            ));
            let thread: [(Uuid, &str, bool); 4] = [
                (customer.id, "Hello, I need help with this order. Details are in the subject.", false),
                (w.vendors[v].id, "Sorry to hear that. Could you send a photo or more details?", false),
                (
                    assigned.unwrap_or(w.admins[0]),
                    "Checked the carrier scans; asked the vendor for proof of delivery.",
                    true,
                ),
                (customer.id, "Thanks, waiting for your answer.", false),
            ];
            let messages = rng.gen_range(2..=4);
            for (m, (author, body, internal)) in thread.iter().take(messages).enumerate() {
                let when = at((opened + i64::try_from(m).unwrap_or(0) * 7 * HOUR).min(w.end - MINUTE));
                out.dispute_messages.push(synced(
                    id(rng, when),
                    when,
                    vec![did.into(), (*author).into(), (*body).into(), (*internal).into()],
                ));
            }
        }

        // Reviews, notifications, analytics and mail for the recent past.
        if status == "delivered" && rng.gen_bool(0.08) {
            self.review(rng, w, out, &lines[0], c, last_delivery);
        }
        if placed >= w.end - 30 * DAY {
            for &v in &vendors {
                out.notifications.push(synced(
                    id(rng, created),
                    created,
                    vec![
                        w.vendors[v].id.into(),
                        "order_placed".into(),
                        format!("New order {number}").into(),
                        format!("{} bought from {}", customer.email, w.vendors[v].name).into(),
                        format!("marketdesk://orders/{order_id}").into(),
                        "in_app".into(),
                        if placed < w.end - 3 * DAY { Cell::Time(at(placed + HOUR)) } else { Cell::Null },
                    ],
                ));
            }
            out.analytics_events.push(synced(
                id(rng, created),
                created,
                vec![
                    "purchase".into(),
                    customer.id.into(),
                    format!("s{:x}", rng.r#gen::<u64>()).into(),
                    created.into(),
                    Cell::Json(format!(
                        r#"{{"transaction_id":"{number}","value_minor":{total},"currency":"{currency}","items":{}}}"#,
                        lines.len()
                    )),
                ],
            ));
        }
        if placed >= w.end - 7 * DAY {
            out.email_outbox.push(synced(
                id(rng, created),
                created,
                vec![
                    customer.email.clone().into(),
                    "order_confirmation".into(),
                    format!("Your order {number}").into(),
                    format!("Thank you for your order {number}.").into(),
                    "sent".into(),
                    1_i64.into(),
                    created.into(),
                    Cell::Time(at(placed + MINUTE)),
                ],
            ));
        }
        Ok(())
    }
}
