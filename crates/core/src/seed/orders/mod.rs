//! The stream of seeded orders, oldest first, each with everything that follows
//! from its status: payment, shipments and tracking, labels, refunds, disputes,
//! reviews, notifications and the ledger postings — then the monthly payouts and
//! subscription invoices once every order is known.

mod basket;
mod disputes;
mod follow_up;
mod fulfilment;
mod money;
mod month_end;
mod postings;
mod reviews;

use super::tables::Tables;
use super::world::{DAY, World};
use super::{SeedError, SeedOptions};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, HashSet};
use uuid::Uuid;

const HOUR: i64 = DAY / 24;
const MINUTE: i64 = HOUR / 60;

/// One order line as drawn.
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

/// One of `choices`, drawn by weight.
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

    /// Generates order number `i` (0-based) and everything that hangs off it,
    /// drawing from `rng` in one fixed order so a seed gives the same rows.
    pub fn order(&mut self, rng: &mut ChaCha8Rng, w: &World, out: &mut Tables, i: u64) -> Result<(), SeedError> {
        let sale = basket::place(rng, w, self.orders, i);
        basket::write(out, &sale);
        let payment = money::pay(rng, out, &sale);
        let fate = fulfilment::fate(rng, &sale);
        let last_delivery = self.fulfil(rng, w, out, &sale, &fate);
        if !sale.captured() {
            return Ok(());
        }
        self.book(rng, w, out, &sale, &fate, &payment, last_delivery)?;
        disputes::dispute(rng, w, out, &sale, &fate, last_delivery);
        self.follow_up(rng, w, out, &sale, last_delivery);
        Ok(())
    }
}
