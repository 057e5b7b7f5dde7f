//! Packing an order into parcels on both engines: the bench's starting point,
//! every refusal (too many units, mixed vendors, an overweight box, a retired
//! box) leaving nothing written, a split packing written whole with the box's
//! weight and size, and an order packed in full offering nothing more.

use marketdesk_test_support::{fetch_all, on_both_engines};

use marketdesk_core::Store;
use marketdesk_core::domain::{Currency, OrderStatus, Timestamp};
use marketdesk_core::logistics::packing::{self, ParcelPlan, PlanItem};
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::StoreError;
use marketdesk_core::store::orders::NewOrder;
use marketdesk_core::store::packing::PresetSpec;
use uuid::Uuid;

on_both_engines!(an_order_is_packed_into_checked_parcels);

async fn exec(store: &Store, sql: &str, a: Uuid, b: Uuid) {
    if let Some(p) = store.pg_pool() {
        sqlx::query(sql).bind(a).bind(b).execute(p).await.unwrap();
    } else {
        sqlx::query(sql).bind(a).bind(b).execute(store.sqlite_pool().unwrap()).await.unwrap();
    }
}

#[derive(sqlx::FromRow)]
struct Parcel {
    id: Uuid,
    vendor_id: Uuid,
    status: String,
    weight_grams: i32,
    length_mm: Option<i32>,
    package_preset_id: Option<Uuid>,
}

async fn parcels(store: &Store) -> i64 {
    let n: Vec<(i64,)> = fetch_all!(store, "SELECT count(*) FROM shipments");
    n[0].0
}

fn box_spec(name: &str, tare: i32, max: Option<i32>) -> PresetSpec {
    PresetSpec {
        name: name.into(),
        length_mm: 300,
        width_mm: 200,
        height_mm: 150,
        tare_grams: tare,
        max_weight_grams: max,
    }
}

async fn an_order_is_packed_into_checked_parcels(store: &Store) {
    let mut o = SeedOptions::new(120);
    o.end = Timestamp::parse("2026-03-15T00:00:00Z").unwrap();
    o.seed = 3;
    seed(store, &o, |_| {}).await.expect("seed");

    // A paid order with a line of each of two vendors, three units each, going to a buyer's address.
    let variants: Vec<(Uuid, Uuid, i32)> = fetch_all!(
        store,
        "SELECT v.id, p.vendor_id, v.weight_grams FROM product_variants v JOIN products p ON p.id = v.product_id \
         WHERE v.currency = 'USD' AND v.stock_on_hand - v.stock_reserved >= 3 AND v.deleted_at IS NULL AND p.deleted_at IS NULL \
         ORDER BY v.id"
    );
    let first = variants[0];
    let second = *variants.iter().find(|v| v.1 != first.1).expect("two vendors sell in USD");
    let buyers: Vec<(Uuid, Uuid)> = fetch_all!(
        store,
        "SELECT a.user_id, a.id FROM shipping_addresses a JOIN users u ON u.id = a.user_id \
         WHERE u.role = 'customer' AND a.deleted_at IS NULL ORDER BY a.id LIMIT 1"
    );
    let (buyer, address) = buyers[0];
    let new = NewOrder {
        customer_id: buyer,
        currency: Currency::USD,
        lines: vec![(first.0, 3), (second.0, 3)],
        shipping_minor: 500,
        commission_bps: 1000,
    };
    let order = store.place_order(&new).await.unwrap().order.id;
    exec(store, "UPDATE orders SET shipping_address_id = $2 WHERE id = $1", order, address).await;

    // No box yet: a parcel per vendor with everything, no box.
    let plan = packing::packing_plan(store, order).await.unwrap();
    assert!(plan.packable);
    assert_eq!(plan.status, OrderStatus::Paid);
    assert_eq!(plan.proposal.len(), 2);
    assert!(plan.proposal.iter().all(|p| p.preset_id.is_none() && p.items.len() == 1 && p.items[0].quantity == 3));

    // Boxes: checked, named once.
    let bad = PresetSpec { length_mm: 0, ..box_spec("Flat", 10, None) };
    assert!(matches!(packing::add_preset(store, &bad).await, Err(StoreError::Validation(_))));
    let light = first.2 * 2 + 100;
    let small = packing::add_preset(store, &box_spec("Small box", 100, Some(light))).await.unwrap();
    let large = packing::add_preset(store, &box_spec("Large box", 400, None)).await.unwrap();
    assert!(matches!(
        packing::add_preset(store, &box_spec("small BOX", 1, None)).await,
        Err(StoreError::Duplicate { .. })
    ));
    let plan = packing::packing_plan(store, order).await.unwrap();
    assert_eq!(plan.presets.iter().map(|b| b.name.as_str()).collect::<Vec<_>>(), ["Large box", "Small box"]);
    let line = |vendor: Uuid| plan.lines.iter().find(|l| l.vendor_id == vendor).unwrap().order_item_id;
    let (a, b) = (line(first.1), line(second.1));
    let parcel = |vendor: Uuid, preset: Option<Uuid>, items: &[(Uuid, i32)]| ParcelPlan {
        vendor_id: vendor,
        preset_id: preset,
        items: items.iter().map(|&(order_item_id, quantity)| PlanItem { order_item_id, quantity }).collect(),
    };

    // Refusals leave nothing written.
    let before = parcels(store).await;
    let refused = [
        vec![parcel(first.1, None, &[(a, 2)]), parcel(first.1, None, &[(a, 2)])],
        vec![parcel(first.1, None, &[(a, 1), (b, 1)])],
        vec![parcel(first.1, Some(small.id), &[(a, 3)])],
        vec![parcel(first.1, None, &[(a, 0)])],
        vec![parcel(first.1, None, &[])],
        vec![],
    ];
    for plan in &refused {
        let e = packing::pack(store, order, plan).await.unwrap_err();
        assert!(matches!(e, StoreError::Validation(_)), "{e:?}");
    }
    let over = packing::pack(store, order, &refused[0]).await.unwrap_err().to_string();
    assert!(over.contains("4 units") && over.contains("3 are left"), "{over}");
    let heavy = packing::pack(store, order, &refused[2]).await.unwrap_err().to_string();
    assert!(heavy.contains("Small box") && heavy.contains("split"), "{heavy}");
    assert_eq!(parcels(store).await, before, "nothing written by a refused packing");

    // Vendor one's three units split over two boxes; vendor two's in the large box, one left for later.
    let made = packing::pack(
        store,
        order,
        &[
            parcel(first.1, Some(small.id), &[(a, 2)]),
            parcel(first.1, Some(large.id), &[(a, 1)]),
            parcel(second.1, Some(large.id), &[(b, 2)]),
        ],
    )
    .await
    .unwrap();
    assert_eq!(made.len(), 3);
    let rows: Vec<Parcel> = fetch_all!(
        store,
        // The order just placed is the newest (the seed ends in March 2026).
        "SELECT id, vendor_id, status, weight_grams, length_mm, package_preset_id FROM shipments \
         WHERE order_id = (SELECT id FROM orders ORDER BY placed_at DESC, id DESC LIMIT 1)"
    );
    let row = |id: Uuid| rows.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("parcel {id} written"));
    assert_eq!(row(made[0]).weight_grams, first.2 * 2 + 100, "items plus the small box");
    assert_eq!(row(made[1]).weight_grams, first.2 + 400);
    assert_eq!(row(made[2]).weight_grams, second.2 * 2 + 400);
    assert!(made.iter().all(|id| row(*id).status == "pending" && row(*id).length_mm == Some(300)));
    assert_eq!(row(made[0]).package_preset_id, Some(small.id));
    assert_eq!(row(made[2]).vendor_id, second.1);
    let plan = packing::packing_plan(store, order).await.unwrap();
    assert_eq!(plan.status, OrderStatus::Processing, "a packed paid order is being processed");
    assert_eq!(plan.proposal.len(), 1, "one unit of vendor two is left");
    assert_eq!(plan.proposal[0].items[0].quantity, 1);
    let again = packing::pack(store, order, &[parcel(first.1, None, &[(a, 1)])]).await.unwrap_err().to_string();
    assert!(again.contains("0 are left"), "{again}");

    // A retired box is not offered and cannot be packed into.
    let version = plan.presets.iter().find(|p| p.id == small.id).unwrap().version;
    store.retire_package_preset(small.id, version).await.unwrap();
    assert!(packing::packing_plan(store, order).await.unwrap().presets.iter().all(|p| p.id != small.id));
    let retired = packing::pack(store, order, &[parcel(second.1, Some(small.id), &[(b, 1)])]).await.unwrap_err();
    assert!(retired.to_string().contains("retired"), "{retired}");
    packing::pack(store, order, &[parcel(second.1, None, &[(b, 1)])]).await.unwrap();
    assert!(!packing::packing_plan(store, order).await.unwrap().packable, "nothing is left to pack");
}
