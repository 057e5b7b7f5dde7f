//! What an order is, decided before any of its rows is written: when it was
//! placed, its buyer, its vendors and lines, its shipping method, totals and
//! status — and the order row itself.

use super::super::entities::{Customer, Method};
use super::super::rows::{at, id, synced};
use super::super::tables::Tables;
use super::super::world::{DAY, World, pick};
use super::{HOUR, Line, MINUTE, weighted};
use crate::domain::money::{allocate, apply_bps};
use crate::domain::{Currency, Timestamp};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

/// One order's facts.
pub(super) struct Sale<'w> {
    /// Its position in the stream (0-based).
    pub i: i64,
    /// When it was placed (micros).
    pub placed: i64,
    /// Whole days between placing and the end of the seeded time.
    pub age_days: i64,
    /// The buyer's index in the world's customers.
    pub c: usize,
    pub customer: &'w Customer,
    pub currency: Currency,
    /// The vendors selling in it, first chosen first.
    pub vendors: Vec<usize>,
    pub order_id: Uuid,
    pub created: Timestamp,
    pub lines: Vec<Line>,
    pub method: &'w Method,
    pub shipping: i64,
    pub tax: i64,
    pub subtotal: i64,
    pub total: i64,
    pub status: &'static str,
    /// `MD-0000001` …
    pub number: String,
}

impl Sale<'_> {
    /// Whether the buyer's money was taken.
    pub fn captured(&self) -> bool {
        !matches!(self.status, "pending" | "cancelled")
    }

    /// When the payment was captured (micros).
    pub fn paid_at(&self) -> i64 {
        self.placed + 2 * MINUTE
    }
}

/// Order `i` of `orders`, spread evenly over the world's time.
pub(super) fn place<'w>(rng: &mut ChaCha8Rng, w: &'w World, orders: u64, i: u64) -> Sale<'w> {
    let n = i64::try_from(orders).unwrap_or(i64::MAX);
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
    Sale {
        i,
        placed,
        age_days,
        c,
        customer,
        currency,
        vendors,
        order_id,
        created,
        lines,
        method,
        shipping,
        tax,
        subtotal,
        total,
        status,
        number: format!("MD-{:07}", i + 1),
    }
}

/// The order row.
pub(super) fn write(out: &mut Tables, sale: &Sale<'_>) {
    let cancelled_at = (sale.status == "cancelled").then(|| at(sale.placed + 3 * HOUR));
    out.orders.push(synced(
        sale.order_id,
        sale.created,
        vec![
            sale.number.clone().into(),
            sale.customer.id.into(),
            sale.status.into(),
            sale.currency.as_str().into(),
            sale.subtotal.into(),
            sale.shipping.into(),
            sale.tax.into(),
            0_i64.into(),
            sale.total.into(),
            sale.customer.address.into(),
            sale.customer.address.into(),
            sale.method.id.into(),
            sale.created.into(),
            sale.captured().then(|| at(sale.paid_at())).into(),
            cancelled_at.into(),
        ],
    ));
}
