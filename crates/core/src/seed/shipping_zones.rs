//! The demo's shipping zones and rate tables: central Paris (a flat city
//! courier, free over €50, and UPS by weight band), then everywhere else,
//! where each method keeps its list price as a per-kg table — as migration
//! 0018 does for methods that existed before zones. Ids are derived from the
//! methods' ids, so the rest of the seed draws the same random numbers.

use super::entities::Method;
use super::rows::synced;
use super::tables::Tables;
use crate::domain::{Currency, Timestamp, ids::id_at};
use crate::store::bulk::Cell;
use uuid::Uuid;

/// Per kilogram on top of a method's list price, as seeded methods have.
const PER_KG_MINOR: i64 = 150;

fn derived(from: Uuid, salt: u8, at: Timestamp) -> Uuid {
    let mut random = [0u8; 10];
    random.copy_from_slice(&from.as_bytes()[6..16]);
    random[0] ^= salt;
    random[9] = random[9].wrapping_add(salt);
    id_at(u64::try_from(at.unix_millis()).unwrap_or(0), random)
}

fn rate(out: &mut Tables, id: Uuid, at: Timestamp, method: Uuid, zone: Uuid, currency: Currency, cells: [Cell; 5]) {
    let [basis, up_to, amount, per_kg, free_over] = cells;
    out.shipping_rates.push(synced(
        id,
        at,
        vec![method.into(), zone.into(), currency.as_str().into(), basis, up_to, amount, per_kg, free_over],
    ));
}

/// Writes the zones, their areas and every method's tables.
pub(super) fn seed(out: &mut Tables, methods: &[(Currency, Vec<Method>)], at: Timestamp) {
    let Some(anchor) = methods.iter().flat_map(|(_, m)| m).map(|m| m.id).next() else { return };
    let paris = derived(anchor, 1, at);
    let everywhere = derived(anchor, 2, at);
    out.shipping_zones.push(synced(paris, at, vec!["Central Paris".into(), 10_i64.into()]));
    out.shipping_zones.push(synced(everywhere, at, vec!["Everywhere".into(), 1000_i64.into()]));
    let area = |out: &mut Tables, salt: u8, zone: Uuid, country: Cell, pattern: Cell| {
        out.shipping_zone_areas.push(synced(
            derived(anchor, salt, at),
            at,
            vec![zone.into(), country, Cell::Null, pattern],
        ));
    };
    area(out, 3, paris, "FR".into(), "75*".into());
    area(out, 4, everywhere, Cell::Null, Cell::Null);
    for (currency, list) in methods {
        for m in list {
            let cells = ["per_kg".into(), Cell::Null, m.rate.into(), PER_KG_MINOR.into(), Cell::Null];
            rate(out, derived(m.id, 5, at), at, m.id, everywhere, *currency, cells);
            if *currency != Currency::EUR {
                continue;
            }
            if m.carrier == "local" {
                let cells = ["flat".into(), Cell::Null, 590_i64.into(), 0_i64.into(), 5000_i64.into()];
                rate(out, derived(m.id, 6, at), at, m.id, paris, *currency, cells);
            } else {
                for (salt, up_to, amount) in
                    [(7, Cell::Int(2000), 590_i64), (8, Cell::Int(10_000), 990), (9, Cell::Null, 1990)]
                {
                    let cells = ["weight_band".into(), up_to, amount.into(), 0_i64.into(), Cell::Null];
                    rate(out, derived(m.id, salt, at), at, m.id, paris, *currency, cells);
                }
            }
        }
    }
}
