//! A seeded product review: one per customer and product at most, written a
//! couple of days after the delivery, low ratings held for moderation.

use super::super::rows::{at, id, synced};
use super::super::tables::Tables;
use super::super::world::{DAY, World, pick};
use super::{HOUR, Line, OrderStream};
use rand_chacha::ChaCha8Rng;

impl OrderStream {
    /// Customer `c`'s review of `line`'s product, delivered at `delivered`
    /// (micros), unless they reviewed that product before.
    pub(super) fn review(
        &mut self,
        rng: &mut ChaCha8Rng,
        w: &World,
        out: &mut Tables,
        line: &Line,
        c: usize,
        delivered: i64,
    ) {
        let product = w.variants[line.variant].product;
        if !self.reviewed.insert((product, c)) {
            return;
        }
        let when = at((delivered + 2 * DAY).min(w.end - HOUR));
        let rating = *pick(rng, &[5_i64, 5, 5, 4, 4, 3, 2, 1]);
        out.product_reviews.push(synced(
            id(rng, when),
            when,
            vec![
                w.products[product].id.into(),
                w.customers[c].id.into(),
                line.id.into(),
                rating.into(),
                (if rating >= 4 { "Does what it says" } else { "Not quite right" }).into(),
                (if rating >= 4 {
                    "Arrived quickly and works well."
                } else {
                    "Quality could be better for the price."
                })
                .into(),
                (if rating == 1 { "pending" } else { "published" }).into(),
            ],
        ));
    }
}
