//! The fulfilment bench's filters on both engines: parcels picked by hand,
//! how long their order has waited, where they go and whose they are — each
//! the same rows as a plain-Rust filter over the raw tables.

use marketdesk_test_support::{fetch_all, on_both_engines};

use marketdesk_core::Store;
use marketdesk_core::domain::Timestamp;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::shipments::{MAX_SELECTION, ShipmentFilter, ShipmentSort};
use marketdesk_core::store::{PageRequest, SortDir, StoreError};
use std::collections::BTreeSet;
use uuid::Uuid;

on_both_engines!(the_bench_filters_match_the_raw_rows);

#[derive(sqlx::FromRow)]
struct Raw {
    id: Uuid,
    vendor_id: Uuid,
    placed_at: Timestamp,
    country: String,
}

async fn matching(store: &Store, filter: &ShipmentFilter) -> BTreeSet<Uuid> {
    store.all_shipments(filter, 100_000).await.unwrap().into_iter().map(|s| s.id).collect()
}

async fn the_bench_filters_match_the_raw_rows(store: &Store) {
    let mut o = SeedOptions::new(300);
    o.end = Timestamp::parse("2026-03-15T00:00:00Z").unwrap();
    o.seed = 9;
    seed(store, &o, |_| {}).await.expect("seed");
    let raw: Vec<Raw> = fetch_all!(
        store,
        "SELECT s.id, s.vendor_id, o.placed_at, a.country FROM shipments s JOIN orders o ON o.id = s.order_id \
         JOIN shipping_addresses a ON a.id = s.ship_to_address_id WHERE s.deleted_at IS NULL"
    );
    assert!(raw.len() > 50, "the seed ships parcels: {}", raw.len());
    let expect = |keep: &dyn Fn(&Raw) -> bool| raw.iter().filter(|r| keep(r)).map(|r| r.id).collect::<BTreeSet<_>>();

    // Destination: any case in, the same rows out; a country nobody ships to is empty.
    let countries: BTreeSet<&str> = raw.iter().map(|r| r.country.as_str()).collect();
    let country = *countries.iter().next().unwrap();
    let by_country = ShipmentFilter { country: Some(country.to_lowercase()), ..Default::default() };
    let got = matching(store, &by_country).await;
    assert!(!got.is_empty());
    assert_eq!(got, expect(&|r| r.country == country));
    let nowhere = ShipmentFilter { country: Some("ZZ".into()), ..Default::default() };
    assert!(matching(store, &nowhere).await.is_empty());
    let bad = ShipmentFilter { country: Some("Germany".into()), ..Default::default() };
    assert!(matches!(store.all_shipments(&bad, 10).await, Err(StoreError::Validation(_))));
    let listed = store
        .list_shipments(
            &by_country,
            &PageRequest { sort: ShipmentSort::CreatedAt, dir: SortDir::Asc, after: None, limit: 100 },
        )
        .await
        .unwrap();
    assert!(listed.items.iter().all(|s| s.ship_to_country.as_deref() == Some(country)));

    // Waiting: orders placed before a time, combined with a vendor.
    let mut times: Vec<Timestamp> = raw.iter().map(|r| r.placed_at).collect();
    times.sort();
    let cut = times[times.len() / 2];
    let vendor = raw[0].vendor_id;
    let older = ShipmentFilter { placed_before: Some(cut), vendor_id: Some(vendor), ..Default::default() };
    assert_eq!(matching(store, &older).await, expect(&|r| r.placed_at < cut && r.vendor_id == vendor));

    // Picked by hand: exactly those, further narrowed by the other filters.
    let picked: Vec<Uuid> = raw.iter().step_by(7).map(|r| r.id).collect();
    let by_hand = ShipmentFilter { ids: picked.clone(), ..Default::default() };
    assert_eq!(matching(store, &by_hand).await, picked.iter().copied().collect());
    let picked_there = ShipmentFilter { ids: picked.clone(), country: Some(country.into()), ..Default::default() };
    assert_eq!(matching(store, &picked_there).await, expect(&|r| picked.contains(&r.id) && r.country == country));
    let too_many = ShipmentFilter { ids: vec![Uuid::now_v7(); MAX_SELECTION + 1], ..Default::default() };
    assert!(matches!(store.all_shipments(&too_many, 10).await, Err(StoreError::Validation(_))));
}
