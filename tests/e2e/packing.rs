//! The packing bench as a warehouse person works it: an order found in the
//! fulfilment queue, packed into the parcels the core proposes, then its
//! number scanned at the scan station — the local courier's labels issued
//! and printed by Enter alone, and the bytes that reach the raw printer are
//! the bytes recorded for the new parcels.

use super::harness::{App, SECOND};
use super::webdriver::Session;
use super::{Bench, open, wait_gone};
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};
use serde_json::json;
use std::time::Duration;
use uuid::Uuid;

/// Makes the newest paid order with no parcel yet ready for the bench: it
/// goes by the local courier (no shipping method), to Memphis, from vendors
/// in Atlanta (addresses a label takes). Returns its number.
pub(super) async fn order_to_pack(store: &Store) -> String {
    let db = store.sqlite_pool().expect("the demo database is a SQLite file");
    let (id, number): (Uuid, String) = sqlx::query_as(
        "SELECT o.id, o.number FROM orders o WHERE o.status IN ('paid', 'processing') AND o.deleted_at IS NULL \
         AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id) ORDER BY o.placed_at DESC LIMIT 1",
    )
    .fetch_one(db)
    .await
    .expect("a paid order with no parcel");
    for sql in [
        "UPDATE orders SET shipping_method_id = NULL WHERE id = $1",
        "UPDATE shipping_addresses SET recipient_name = 'Ada Lovelace', line1 = '3875 Airways Blvd', line2 = NULL, \
         city = 'Memphis', region = 'TN', postal_code = '38116', country = 'US', phone = '9015550100' \
         WHERE id = (SELECT shipping_address_id FROM orders WHERE id = $1)",
        "UPDATE user_profiles SET address_line1 = '1 Peachtree St', address_line2 = NULL, city = 'Atlanta', \
         region = 'GA', postal_code = '30303', country = 'US', phone = '4045550100' \
         WHERE user_id IN (SELECT vendor_id FROM order_items WHERE order_id = $1)",
    ] {
        sqlx::query(sql).bind(id).execute(db).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    number
}

/// The labels recorded for `order`'s parcels, as the print log keeps them.
async fn recorded(bench: &Bench, order: &str) -> Result<Vec<Vec<u8>>, String> {
    let store =
        Store::open(&DatabaseUrl::sqlite(&bench.db), &OpenOptions::default()).await.map_err(|e| e.to_string())?;
    let mut sent = Vec::new();
    for parcel in store.parcels_for_code(order).await.map_err(|e| e.to_string())? {
        for job in store.shipment_print_log(parcel.id).await.map_err(|e| e.to_string())? {
            sent.push(store.print_job_content(job.id).await.map_err(|e| e.to_string())?);
        }
    }
    store.close().await;
    Ok(sent)
}

/// Pack → label → print: the bench order found by its number in the queue,
/// packed as proposed, scanned at the scan station, and its labels checked
/// at the printer.
pub(super) async fn pack_label_print(app: &App, s: &Session, bench: &Bench) -> Result<(), String> {
    let earlier = bench.raw.jobs().len();
    open(app, s, "fulfilment", "[data-testid=grid-fulfilment] [data-row-key]", "37a-logistics-queue").await?;
    let search = s.wait_for("input[placeholder='Order number, customer or email']", 10 * SECOND).await?;
    s.type_into(&search, &bench.pack).await?;
    // Found and clicked in one step: the grid re-renders as the search narrows it.
    let mut opened = false;
    for _ in 0..200 {
        let clicked = s
            .execute(
                "const row = [...document.querySelectorAll('[data-testid=grid-fulfilment] [data-row-key]')]\
                   .find(r => r.querySelector('[data-col=number]')?.innerText.trim() === arguments[0]); \
                 if (!row) return false; row.click(); return true;",
                vec![json!(bench.pack)],
            )
            .await?;
        if clicked.as_bool() == Some(true) && s.find_all("[data-testid=order-detail]").await?.len() == 1 {
            opened = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if !opened {
        return Err(format!("the fulfilment queue never showed {} to open", bench.pack));
    }
    s.wait_for_text("[data-testid=order-detail]", &bench.pack, 10 * SECOND).await?;
    let pack = s.wait_for("[data-testid=pack-order]", 10 * SECOND).await?;
    s.keys(&pack, "\u{E007}").await?;
    let submit = s.wait_for("[data-testid=pack-submit]:not([disabled])", 10 * SECOND).await?;
    app.shot(s, "37b-logistics-pack").await?;
    s.keys(&submit, "\u{E007}").await?;
    if let Err(e) = wait_gone(s, "[data-testid=pack-submit]").await {
        let problem = s.text_of("[data-testid=pack-problem]").await.unwrap_or_default();
        return Err(format!("the order was not packed ({e}): {problem}"));
    }

    // At the scan station: the order's number, Enter, and every new parcel prints.
    open(app, s, "scan", "[data-testid=scan-input]", "37c-logistics-scan-packed").await?;
    let input = s.wait_for("[data-testid=scan-input]", SECOND).await?;
    s.type_into(&input, &bench.pack).await?;
    s.keys(&input, "\u{E007}").await?;
    s.wait_for_text("[data-testid=scan-order]", &bench.pack, 20 * SECOND).await?;
    s.wait_for("[data-testid=scan-parcel][data-outcome=printed]", 20 * SECOND).await?;
    let parcels = s.find_all("[data-testid=scan-parcel]").await?.len();
    let mut printed = 0;
    for _ in 0..200 {
        printed = s.find_all("[data-testid=scan-parcel][data-outcome=printed]").await?.len();
        if printed == parcels {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if printed != parcels {
        let page = s.text_of("[data-testid=scan-station]").await.unwrap_or_default();
        return Err(format!("{printed} of {parcels} packed parcels printed; the station says: {page}"));
    }
    app.shot(s, "37d-logistics-packed-and-printed").await?;

    let arrived = bench.raw.wait_for(earlier + parcels, Duration::from_secs(20)).await;
    let sent = recorded(bench, &bench.pack).await?;
    let new = &arrived[earlier.min(arrived.len())..];
    if new.len() != parcels || sent.len() != parcels {
        return Err(format!("{parcels} parcels packed, {} jobs recorded, {} labels arrived", sent.len(), new.len()));
    }
    if new.iter().any(|bytes| !sent.contains(bytes) || !bytes.starts_with(b"^XA")) {
        return Err("a label arrived at the printer that is not the bytes recorded for it".into());
    }
    Ok(())
}
