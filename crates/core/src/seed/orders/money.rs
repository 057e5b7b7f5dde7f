//! An order's money: the Stripe payment, the capture posting that splits the
//! buyer's money between vendors, platform and tax, and a refund through the
//! same rule as the app.

use super::super::rows::{at, id, synced};
use super::super::tables::Tables;
use super::super::world::{DAY, World};
use super::basket::Sale;
use super::fulfilment::Fate;
use super::month_end::month_index;
use super::postings::{Txn, post};
use super::{HOUR, OrderStream, weighted};
use crate::domain::Currency;
use crate::domain::money::apply_bps;
use crate::finance::postings::{Capture, CommissionBearer, Returned, SoldLine, payment_captured, refund};
use crate::seed::SeedError;
use crate::store::bulk::Cell;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

/// The payment row written for a sale.
pub(super) struct Payment {
    pub id: Uuid,
    /// Stripe's fee, minor units (0 when nothing was captured).
    pub fee: i64,
}

/// The sale's payment row.
pub(super) fn pay(rng: &mut ChaCha8Rng, out: &mut Tables, sale: &Sale<'_>) -> Payment {
    let fee = if sale.captured() {
        if sale.currency == Currency::USD { apply_bps(sale.total, 290) + 30 } else { apply_bps(sale.total, 140) + 25 }
    } else {
        0
    };
    let payment_id = id(rng, sale.created);
    let payment_status = match sale.status {
        "pending" => "requires_payment",
        "cancelled" => "cancelled",
        _ => "succeeded",
    };
    out.payments.push(synced(
        payment_id,
        sale.created,
        vec![
            sale.order_id.into(),
            "stripe".into(),
            format!("pi_seed{:010}", sale.i + 1).into(),
            payment_status.into(),
            sale.total.into(),
            sale.currency.as_str().into(),
            fee.into(),
            "card".into(),
            sale.captured().then(|| at(sale.paid_at())).into(),
        ],
    ));
    Payment { id: payment_id, fee }
}

impl OrderStream {
    /// Posts a captured sale and, when it was refunded in full or in part,
    /// its refund; keeps each vendor's monthly earnings.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn book(
        &mut self,
        rng: &mut ChaCha8Rng,
        w: &World,
        out: &mut Tables,
        sale: &Sale<'_>,
        fate: &Fate,
        payment: &Payment,
        last_delivery: i64,
    ) -> Result<(), SeedError> {
        let (lines, currency, paid_at, order_id) = (&sale.lines, sale.currency, sale.paid_at(), sale.order_id);
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
        let capture = Capture { currency, lines: sold.clone(), shipping_minor: sale.shipping, fee_minor: payment.fee };
        for &v in &sale.vendors {
            let net: i64 = lines.iter().filter(|l| l.vendor == v).map(|l| l.subtotal - l.commission).sum();
            *self.earnings.entry((v, month_index(paid_at))).or_default() += net;
        }
        post(
            rng,
            out,
            w,
            Txn {
                code: "payment_captured",
                description: format!("Payment for {}", sale.number),
                when: at(paid_at),
                links: [Some(order_id), None, None],
            },
            payment_captured(&capture)?,
        )?;

        // The platform gives back its commission, as the demo setting says;
        // Stripe keeps its fee.
        let refund_of = match sale.status {
            "refunded" => Some((None, (0..lines.len()).collect::<Vec<_>>(), sale.shipping)),
            "partially_refunded" => fate.refunded_line.map(|li| (Some(lines[li].id), vec![li], 0)),
            _ => None,
        };
        let Some((item, refunded, refunded_shipping)) = refund_of else {
            return Ok(());
        };
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
                payment.id.into(),
                order_id.into(),
                item.into(),
                amount.into(),
                currency.as_str().into(),
                reason.into(),
                "succeeded".into(),
                format!("re_seed{:010}", sale.i + 1).into(),
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
                description: format!("Refund on {}", sale.number),
                when: at(when),
                links: [Some(order_id), None, Some(rid)],
            },
            entries,
        )
    }
}
