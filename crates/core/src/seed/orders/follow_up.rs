//! What follows a paid order in the recent past: a review now and then,
//! the vendors' notifications, the purchase's analytics event and the
//! buyer's confirmation mail.

use super::super::rows::{at, id, synced};
use super::super::tables::Tables;
use super::super::world::{DAY, World};
use super::basket::Sale;
use super::{HOUR, MINUTE, OrderStream};
use crate::store::bulk::Cell;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

impl OrderStream {
    /// The sale's review, notifications, analytics and mail.
    pub(super) fn follow_up(
        &mut self,
        rng: &mut ChaCha8Rng,
        w: &World,
        out: &mut Tables,
        sale: &Sale<'_>,
        last_delivery: i64,
    ) {
        let (placed, created, number) = (sale.placed, sale.created, &sale.number);
        if sale.status == "delivered" && rng.gen_bool(0.08) {
            self.review(rng, w, out, &sale.lines[0], sale.c, last_delivery);
        }
        if placed >= w.end - 30 * DAY {
            for &v in &sale.vendors {
                out.notifications.push(synced(
                    id(rng, created),
                    created,
                    vec![
                        w.vendors[v].id.into(),
                        "order_placed".into(),
                        format!("New order {number}").into(),
                        format!("{} bought from {}", sale.customer.email, w.vendors[v].name).into(),
                        format!("marketdesk://orders/{}", sale.order_id).into(),
                        "in_app".into(),
                        if placed < w.end - 3 * DAY { Cell::Time(at(placed + HOUR)) } else { Cell::Null },
                    ],
                ));
            }
            out.analytics_events.push(synced(
                id(rng, created),
                created,
                vec![
                    "order_paid".into(),
                    sale.customer.id.into(),
                    format!("s{:x}", rng.r#gen::<u64>()).into(),
                    created.into(),
                    Cell::Json(format!(
                        r#"{{"number":"{number}","value_minor":{},"currency":"{}","items":{}}}"#,
                        sale.total,
                        sale.currency,
                        sale.lines.len()
                    )),
                    "customer".into(),
                    sale.order_id.into(),
                ],
            ));
        }
        if placed >= w.end - 7 * DAY {
            out.email_outbox.push(synced(
                id(rng, created),
                created,
                vec![
                    sale.customer.email.clone().into(),
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
    }
}
