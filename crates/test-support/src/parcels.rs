//! A parcel ready for a carrier label: a seeded marketplace with one of its
//! shipments made pending again, weighed, going by the carrier asked, from a
//! vendor in Atlanta to a recipient in Memphis (addresses both carriers'
//! fakes and the local checks accept).

use marketdesk_core::domain::Timestamp;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::shipments::{ShipmentFilter, ShipmentSort};
use marketdesk_core::store::{PageRequest, SortDir, Store};
use uuid::Uuid;

/// Runs `sql` with the shipment id as `$1` on whichever engine `store` is.
pub async fn exec(store: &Store, sql: &str, id: Uuid) {
    if let Some(p) = store.pg_pool() {
        sqlx::query(sql).bind(id).execute(p).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    } else if let Some(p) = store.sqlite_pool() {
        sqlx::query(sql).bind(id).execute(p).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// Seeds `store` (40 orders) and readies its first shipment for `carrier`
/// and `service`; returns the shipment's id.
pub async fn pending_parcel(store: &Store, carrier: &str, service: &str) -> Uuid {
    let mut options = SeedOptions::new(40);
    options.end = Timestamp::parse("2026-06-01T00:00:00Z").unwrap();
    seed(store, &options, |_| {}).await.expect("seed");
    let page = PageRequest { sort: ShipmentSort::CreatedAt, dir: SortDir::Asc, after: None, limit: 1 };
    let id = store.list_shipments(&ShipmentFilter::default(), &page).await.unwrap().items[0].id;
    ready(store, id, carrier, service).await;
    id
}

/// Makes shipment `id` pending with no label, 1.25 kg, by `carrier`/`service`,
/// from Atlanta to Memphis.
pub async fn ready(store: &Store, id: Uuid, carrier: &str, service: &str) {
    exec(store, "UPDATE shipping_labels SET status = 'voided' WHERE shipment_id = $1", id).await;
    exec(store, "DELETE FROM tracking_events WHERE shipment_id = $1", id).await;
    let set = format!(
        "UPDATE shipments SET status = 'pending', tracking_number = NULL, carrier = '{carrier}', \
         service_code = '{service}', weight_grams = 1250, currency = 'USD' WHERE id = $1"
    );
    exec(store, &set, id).await;
    exec(
        store,
        "UPDATE shipping_addresses SET recipient_name = 'Ada Lovelace', company = NULL, line1 = '3875 Airways Blvd', \
         line2 = NULL, city = 'Memphis', region = 'TN', postal_code = '38116', country = 'US', phone = '9015550100' \
         WHERE id = (SELECT ship_to_address_id FROM shipments WHERE id = $1)",
        id,
    )
    .await;
    exec(
        store,
        "UPDATE user_profiles SET business_name = 'Northwind Ceramics', address_line1 = '1 Peachtree St', \
         address_line2 = NULL, city = 'Atlanta', region = 'GA', postal_code = '30303', country = 'US', \
         phone = '4045550100' WHERE user_id = (SELECT vendor_id FROM shipments WHERE id = $1)",
        id,
    )
    .await;
}

/// Points the recipient of shipment `id` at `postcode`.
pub async fn recipient_postcode(store: &Store, id: Uuid, postcode: &str) {
    let sql = format!(
        "UPDATE shipping_addresses SET postal_code = '{postcode}' \
         WHERE id = (SELECT ship_to_address_id FROM shipments WHERE id = $1)"
    );
    exec(store, &sql, id).await;
}

/// Readies every shipment of a seeded `store` at once, as [`ready`] does one;
/// returns their ids, oldest first.
pub async fn ready_all(store: &Store, carrier: &str, service: &str) -> Vec<Uuid> {
    let statements = [
        "UPDATE shipping_labels SET status = 'voided'".to_owned(),
        "DELETE FROM tracking_events".to_owned(),
        format!(
            "UPDATE shipments SET status = 'pending', tracking_number = NULL, carrier = '{carrier}', \
             service_code = '{service}', weight_grams = 1250, currency = 'USD'"
        ),
        "UPDATE shipping_addresses SET line1 = '3875 Airways Blvd', line2 = NULL, city = 'Memphis', region = 'TN', \
         postal_code = '38116', country = 'US', phone = '9015550100'"
            .to_owned(),
        "UPDATE user_profiles SET address_line1 = '1 Peachtree St', address_line2 = NULL, city = 'Atlanta', \
         region = 'GA', postal_code = '30303', country = 'US', phone = '4045550100'"
            .to_owned(),
    ];
    for sql in &statements {
        if let Some(p) = store.pg_pool() {
            sqlx::query(sql).execute(p).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
        } else if let Some(p) = store.sqlite_pool() {
            sqlx::query(sql).execute(p).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
    }
    let mut ids = Vec::new();
    let mut after = None;
    loop {
        let page = PageRequest { sort: ShipmentSort::CreatedAt, dir: SortDir::Asc, after: after.take(), limit: 500 };
        let got = store.list_shipments(&ShipmentFilter::default(), &page).await.unwrap();
        ids.extend(got.items.iter().map(|s| s.id));
        match got.next_cursor {
            Some(cursor) => after = Some(cursor),
            None => break,
        }
    }
    ids
}
