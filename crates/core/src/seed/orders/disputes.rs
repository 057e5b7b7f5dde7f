//! A disputed order's dispute with its message thread.

use super::super::rows::{at, id, synced};
use super::super::tables::Tables;
use super::super::world::{DAY, World, pick};
use super::basket::Sale;
use super::fulfilment::Fate;
use super::{HOUR, MINUTE};
use crate::store::bulk::Cell;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

/// The dispute the sale's fate holds, if any, opened after its last delivery.
pub(super) fn dispute(
    rng: &mut ChaCha8Rng,
    w: &World,
    out: &mut Tables,
    sale: &Sale<'_>,
    fate: &Fate,
    last_delivery: i64,
) {
    let (Some(g), Some(kind)) = (fate.dispute_group, fate.dispute_kind) else {
        return;
    };
    let v = sale.vendors[g];
    let opened = (last_delivery.max(sale.placed + 3 * DAY) + rng.gen_range(1..5) * DAY).min(w.end - HOUR);
    let did = id(rng, at(opened));
    let amount: i64 = sale.lines.iter().filter(|l| l.vendor == v).map(|l| l.subtotal + l.tax).sum();
    let (dstatus, resolution) = if sale.age_days > 60 {
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
    let assigned = (dstatus != "open").then(|| w.admins[usize::try_from(sale.i).unwrap_or(0) % w.admins.len()]);
    let resolved_at = resolution.map(|_| at((opened + 10 * DAY).min(w.end - HOUR)));
    let subject = match kind {
        "not_received" => "Package never arrived",
        "not_as_described" => "Item is not what was described",
        "damaged" => "Item arrived damaged",
        "chargeback" => "Card issuer opened a chargeback",
        _ => "Problem with my order",
    };
    let customer = sale.customer.id;
    out.disputes.push(synced(
        did,
        at(opened),
        vec![
            sale.order_id.into(),
            customer.into(),
            w.vendors[v].id.into(),
            assigned.into(),
            kind.into(),
            dstatus.into(),
            resolution.into(),
            amount.into(),
            sale.currency.as_str().into(),
            format!("{subject} ({})", sale.number).into(),
            Cell::Time(at(opened)),
            resolved_at.into(),
        ],
    ));
    let thread: [(Uuid, &str, bool); 4] = [
        (customer, "Hello, I need help with this order. Details are in the subject.", false),
        (w.vendors[v].id, "Sorry to hear that. Could you send a photo or more details?", false),
        (assigned.unwrap_or(w.admins[0]), "Checked the carrier scans; asked the vendor for proof of delivery.", true),
        (customer, "Thanks, waiting for your answer.", false),
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
