//! Shipping zones, methods and rate tables, and rate shopping for a parcel on
//! both engines: the first zone in order that covers the destination prices
//! it, by flat, weight-band or per-kg tables, free over the goods' value; a
//! carrier's quotes stand beside the tables and a carrier that cannot quote
//! is listed with its reason; the chosen rate is priced again by the core and
//! refused once the label is bought or when the parcel changed meanwhile; bad
//! setup is refused whole.

use marketdesk_core::domain::Carrier;
use marketdesk_core::domain::shipping_rates::{RatePlan, RateTable, WeightBand};
use marketdesk_core::integrations::carriers::{CarrierAccount, CarrierClient, Fedex, RateLimit};
use marketdesk_core::logistics::ShippingError;
use marketdesk_core::logistics::rates::{self, RateChoice, RateShopping, RateSource, Unavailable};
use marketdesk_core::logistics::shipping_setup::{self, ZoneSpec};
use marketdesk_core::store::shipping_zones::MethodSpec;
use marketdesk_core::store::{Store, StoreError};
use marketdesk_test_support::fedex_fake::{self, FedexFake};
use marketdesk_test_support::on_both_engines;
use marketdesk_test_support::parcels::{exec, pending_parcel};
use std::time::Duration;
use uuid::Uuid;

async fn table_only(store: &Store, shipment: Uuid) -> RateShopping {
    rates::shop::<CarrierClient>(store, shipment, &[], Vec::new()).await.unwrap()
}

fn option<'a>(shopping: &'a RateShopping, name: &str) -> &'a rates::RateOption {
    shopping.options.iter().find(|o| o.name == name).unwrap_or_else(|| panic!("no {name} in {shopping:#?}"))
}

async fn zone(store: &Store, name: &str, position: i32, areas: &[&str]) -> Uuid {
    let spec = ZoneSpec { name: name.into(), position, areas: areas.iter().map(|a| (*a).to_owned()).collect() };
    shipping_setup::save_zone(store, None, &spec).await.unwrap()
}

async fn method(store: &Store, code: &str) -> Uuid {
    let setup = shipping_setup::shipping_setup(store).await.unwrap();
    setup.methods.iter().find(|m| m.code == code).unwrap_or_else(|| panic!("no method {code}")).id
}

fn flat(amount_minor: i64, free_over_minor: Option<i64>) -> RateTable {
    RateTable { plan: RatePlan::Flat { amount_minor }, free_over_minor }
}

async fn zones_and_tables_price_a_parcel_and_the_first_covering_zone_wins(store: &Store) {
    let shipment = pending_parcel(store, "fedex", "FEDEX_GROUND").await;

    // The seed's "Everywhere" zone prices each USD method at its list price
    // plus 1.50 a kg: 1.25 kg adds 187.5 cents, rounded up.
    let world = table_only(store, shipment).await;
    assert_eq!(world.zone.as_deref(), Some("Everywhere"));
    assert_eq!((world.weight_grams, world.currency.as_str()), (1250, "USD"));
    assert!(world.can_choose);
    assert_eq!(world.options.len(), 4, "{world:#?}");
    assert_eq!(option(&world, "UPS Ground").amount_minor, 799 + 188);
    assert!(option(&world, "UPS Ground").cheapest && !option(&world, "UPS 2nd Day Air").cheapest);
    assert!(option(&world, "FedEx Priority Overnight").fastest);
    assert!(world.options.windows(2).all(|w| w[0].amount_minor <= w[1].amount_minor), "cheapest first");
    assert!(world.options.iter().all(|o| o.source == RateSource::Table));

    // A zone for Memphis, tried first, with its own courier: only methods with
    // a table in the first covering zone are offered.
    let memphis = zone(store, "Memphis", 5, &["US/TN:38100..38199"]).await;
    let bare = table_only(store, shipment).await;
    assert_eq!(bare.zone.as_deref(), Some("Memphis"));
    assert!(bare.options.is_empty());
    assert_eq!(bare.unavailable[0].reason, "no method has a rate table in Memphis for USD");
    let spec = MethodSpec {
        code: "memphis_courier".into(),
        name: "Memphis courier".into(),
        carrier: Carrier::Local,
        service_code: "SAME_DAY".into(),
        min_days: 0,
        max_days: 1,
        is_active: true,
    };
    let courier = shipping_setup::save_method(store, None, &spec).await.unwrap();
    let goods = world.goods_minor;
    assert!(goods > 0, "the vendor's goods in the order are counted");
    shipping_setup::set_rate_table(store, courier, memphis, "USD", Some(&flat(450, Some(goods + 1)))).await.unwrap();
    let ground = method(store, "ups_ground").await;
    let bands = RateTable {
        plan: RatePlan::WeightBands {
            bands: vec![
                WeightBand { up_to_grams: Some(1000), amount_minor: 500 },
                WeightBand { up_to_grams: Some(2000), amount_minor: 700 },
            ],
        },
        free_over_minor: None,
    };
    shipping_setup::set_rate_table(store, ground, memphis, "USD", Some(&bands)).await.unwrap();
    let local = table_only(store, shipment).await;
    assert_eq!(local.zone.as_deref(), Some("Memphis"));
    assert_eq!(local.options.len(), 2, "{local:#?}");
    assert_eq!(option(&local, "Memphis courier").amount_minor, 450);
    assert!(!option(&local, "Memphis courier").free);
    assert_eq!(option(&local, "UPS Ground").amount_minor, 700, "1.25 kg is in the second band");
    assert!(option(&local, "Memphis courier").cheapest && option(&local, "Memphis courier").fastest);

    // Free once the goods reach the threshold; too heavy for the bands.
    shipping_setup::set_rate_table(store, courier, memphis, "USD", Some(&flat(450, Some(goods)))).await.unwrap();
    exec(store, "UPDATE shipments SET weight_grams = 2500 WHERE id = $1", shipment).await;
    let heavy = table_only(store, shipment).await;
    assert_eq!(option(&heavy, "Memphis courier").amount_minor, 0);
    assert!(option(&heavy, "Memphis courier").free);
    assert_eq!(heavy.options.len(), 1);
    assert!(
        heavy.unavailable.iter().any(|u| u.name == "UPS Ground" && u.reason.contains("stop below 2500 g")),
        "{:?}",
        heavy.unavailable
    );

    // Choosing a table rate: priced again by the core, whatever was sent.
    let choice = RateChoice {
        method_id: Some(courier),
        carrier: Carrier::Fedex,
        service_code: "whatever".into(),
        amount_minor: 99_999,
    };
    rates::choose_rate(store, shipment, heavy.version, &choice).await.unwrap();
    let chosen = table_only(store, shipment).await;
    assert_eq!(chosen.chosen_method_id, Some(courier));
    assert_eq!((chosen.chosen_carrier, chosen.chosen_service_code.as_str()), (Carrier::Local, "SAME_DAY"));
    let route = store.parcel_route(shipment).await.unwrap();
    assert_eq!(route.carrier, Carrier::Local);

    // A stale version is a conflict; a bought label ends choosing.
    let stale = rates::choose_rate(store, shipment, heavy.version, &choice).await.unwrap_err();
    assert!(matches!(stale, ShippingError::Store(StoreError::VersionConflict { .. })), "{stale}");
    exec(store, "UPDATE shipments SET status = 'label_purchased' WHERE id = $1", shipment).await;
    let late = rates::choose_rate(store, shipment, chosen.version + 1, &choice).await.unwrap_err();
    assert!(late.to_string().contains("before a label is bought"), "{late}");
    assert!(!table_only(store, shipment).await.can_choose);

    // Outside Memphis the parcel falls through to the next zone.
    exec(
        store,
        "UPDATE shipping_addresses SET postal_code = '37201' \
         WHERE id = (SELECT ship_to_address_id FROM shipments WHERE id = $1)",
        shipment,
    )
    .await;
    assert_eq!(table_only(store, shipment).await.zone.as_deref(), Some("Everywhere"));

    // Retiring the catch-all zone leaves the parcel with no zone, said plainly.
    let setup = shipping_setup::shipping_setup(store).await.unwrap();
    let everywhere = setup.zones.iter().find(|z| z.name == "Everywhere").unwrap().id;
    shipping_setup::retire_zone(store, everywhere).await.unwrap();
    let lost = table_only(store, shipment).await;
    assert_eq!(lost.zone, None);
    assert!(lost.options.is_empty());
    assert!(lost.unavailable[0].reason.contains("no shipping zone covers US 37201"), "{:?}", lost.unavailable);
    let after = shipping_setup::shipping_setup(store).await.unwrap();
    assert!(after.rates.iter().all(|r| r.zone_id != everywhere), "its tables went with it");
}

async fn bad_setup_is_refused_whole(store: &Store) {
    pending_parcel(store, "fedex", "FEDEX_GROUND").await;
    let before = shipping_setup::shipping_setup(store).await.unwrap();

    let bad_area = ZoneSpec { name: "Nordics".into(), position: 1, areas: vec!["SE".into(), "Norway".into()] };
    let e = shipping_setup::save_zone(store, None, &bad_area).await.unwrap_err();
    assert!(e.to_string().contains("area 2") && e.to_string().contains("two-letter"), "{e}");
    let empty = ZoneSpec { name: "Nowhere".into(), position: 1, areas: vec![" ".into()] };
    assert!(
        shipping_setup::save_zone(store, None, &empty).await.unwrap_err().to_string().contains("at least one area")
    );
    let twice = ZoneSpec { name: "everywhere".into(), position: 1, areas: vec!["*".into()] };
    let e = shipping_setup::save_zone(store, None, &twice).await.unwrap_err();
    assert!(matches!(e, ShippingError::Store(StoreError::Duplicate { .. })), "{e}");
    assert_eq!(shipping_setup::shipping_setup(store).await.unwrap().zones, before.zones, "nothing half-written");

    let ground = method(store, "ups_ground").await;
    let zone_id = before.zones[0].id;
    let falling = RateTable {
        plan: RatePlan::WeightBands {
            bands: vec![
                WeightBand { up_to_grams: Some(2000), amount_minor: 500 },
                WeightBand { up_to_grams: Some(1000), amount_minor: 700 },
            ],
        },
        free_over_minor: None,
    };
    let e = shipping_setup::set_rate_table(store, ground, zone_id, "USD", Some(&falling)).await.unwrap_err();
    assert!(e.to_string().contains("end above 2000 g"), "{e}");
    let e = shipping_setup::set_rate_table(store, ground, zone_id, "dollars", Some(&flat(1, None))).await.unwrap_err();
    assert!(e.to_string().contains("not a currency code"), "{e}");
    let e = shipping_setup::set_rate_table(store, Uuid::nil(), zone_id, "USD", Some(&flat(1, None))).await.unwrap_err();
    assert!(matches!(e, ShippingError::Store(StoreError::NotFound { .. })), "{e}");
    assert_eq!(shipping_setup::shipping_setup(store).await.unwrap().rates, before.rates);

    // Replacing a table retires the old rows: one live table per method, zone and currency.
    shipping_setup::set_rate_table(store, ground, zone_id, "USD", Some(&flat(100, None))).await.unwrap();
    shipping_setup::set_rate_table(store, ground, zone_id, "USD", Some(&flat(200, None))).await.unwrap();
    let now = shipping_setup::shipping_setup(store).await.unwrap();
    let tables: Vec<_> =
        now.rates.iter().filter(|r| r.method_id == ground && r.zone_id == zone_id && r.currency == "USD").collect();
    assert_eq!(tables.len(), 1);
    assert_eq!(tables[0].table, flat(200, None));
    shipping_setup::set_rate_table(store, ground, zone_id, "USD", None).await.unwrap();
    let gone = shipping_setup::shipping_setup(store).await.unwrap();
    assert!(!gone.rates.iter().any(|r| r.method_id == ground && r.zone_id == zone_id && r.currency == "USD"));

    let bad_method = MethodSpec {
        code: "UPS Ground!".into(),
        name: "x".into(),
        carrier: Carrier::Ups,
        service_code: "03".into(),
        min_days: 1,
        max_days: 3,
        is_active: true,
    };
    let e = shipping_setup::save_method(store, None, &bad_method).await.unwrap_err();
    assert!(e.to_string().contains("a method's code"), "{e}");
    let backwards = MethodSpec { code: "slow".into(), min_days: 5, max_days: 2, ..bad_method.clone() };
    assert!(shipping_setup::save_method(store, None, &backwards).await.unwrap_err().to_string().contains("days"));
    let taken = MethodSpec { code: "ups_ground".into(), ..backwards.clone() };
    let taken = MethodSpec { min_days: 1, max_days: 3, ..taken };
    let e = shipping_setup::save_method(store, None, &taken).await.unwrap_err();
    assert!(matches!(e, ShippingError::Store(StoreError::Duplicate { .. })), "{e}");

    // A zone changed at a stale version is a conflict, and its areas stay.
    let z = &before.zones[0];
    let renamed = ZoneSpec { name: z.name.clone(), position: z.position, areas: vec!["DE".into()] };
    shipping_setup::save_zone(store, Some((z.id, z.version)), &renamed).await.unwrap();
    let e = shipping_setup::save_zone(store, Some((z.id, z.version)), &renamed).await.unwrap_err();
    assert!(matches!(e, ShippingError::Store(StoreError::VersionConflict { .. })), "{e}");
    let after = shipping_setup::shipping_setup(store).await.unwrap();
    let areas: Vec<String> =
        after.zones.iter().find(|x| x.id == z.id).unwrap().areas.iter().map(|a| a.to_string()).collect();
    assert_eq!(areas, ["DE"]);
}

async fn carrier_quotes_stand_beside_the_tables(store: &Store) {
    let fake = FedexFake::start(Duration::ZERO).await;
    let account = CarrierAccount {
        carrier: Carrier::Fedex,
        base_url: fake.uri(),
        client_id: fedex_fake::CLIENT_ID.into(),
        secret: fedex_fake::SECRET.into(),
        account_number: "740561073".into(),
        timeout: Duration::from_secs(5),
    };
    let roomy = RateLimit { calls: 1_000, per: Duration::from_secs(1) };
    let fedex = CarrierClient::Fedex(Fedex::new(account.clone(), roomy).unwrap());
    let dead = CarrierAccount { base_url: "http://127.0.0.1:9".into(), ..account };
    let unreachable = CarrierClient::Fedex(Fedex::new(dead, roomy).unwrap());
    let shipment = pending_parcel(store, "fedex", "FEDEX_GROUND").await;

    let known = vec![Unavailable { name: "UPS".into(), reason: "no account".into() }];
    let both = rates::shop(store, shipment, &[fedex], known).await.unwrap();
    let carrier: Vec<_> = both.options.iter().filter(|o| o.source == RateSource::Carrier).collect();
    assert!(carrier.len() >= 2, "{both:#?}");
    assert!(carrier.iter().all(|o| o.carrier == Carrier::Fedex && o.method_id.is_none()));
    assert_eq!(both.options.iter().filter(|o| o.source == RateSource::Table).count(), 4);
    assert!(both.options.windows(2).all(|w| w[0].amount_minor <= w[1].amount_minor), "{both:#?}");
    let lowest = both.options.iter().map(|o| o.amount_minor).min().unwrap();
    assert!(both.options.iter().all(|o| o.cheapest == (o.amount_minor == lowest)));
    assert_eq!(both.unavailable, [Unavailable { name: "UPS".into(), reason: "no account".into() }]);

    // A carrier that does not answer is listed with its reason; the tables stay.
    let down = rates::shop(store, shipment, &[unreachable], Vec::new()).await.unwrap();
    assert_eq!(down.options.len(), 4);
    assert_eq!(down.unavailable.len(), 1);
    assert_eq!(down.unavailable[0].name, "FedEx");

    // A carrier quote is chosen as quoted.
    let pick = carrier[0];
    let choice = RateChoice {
        method_id: None,
        carrier: pick.carrier,
        service_code: pick.service_code.clone(),
        amount_minor: pick.amount_minor,
    };
    rates::choose_rate(store, shipment, both.version, &choice).await.unwrap();
    let after = table_only(store, shipment).await;
    assert_eq!((after.chosen_carrier, after.chosen_method_id), (Carrier::Fedex, None));
    assert_eq!(after.chosen_service_code, pick.service_code);
    let local = RateChoice { carrier: Carrier::Local, ..choice };
    let e = rates::choose_rate(store, shipment, after.version, &local).await.unwrap_err();
    assert!(e.to_string().contains("no quotes"), "{e}");
}

on_both_engines!(
    zones_and_tables_price_a_parcel_and_the_first_covering_zone_wins,
    bad_setup_is_refused_whole,
    carrier_quotes_stand_beside_the_tables,
);
