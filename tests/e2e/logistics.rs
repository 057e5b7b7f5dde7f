//! Logistics through the app: an order marked shipped, a shipment's tracking,
//! the scan station printing the bench order's labels to a raw 9100 printer
//! (the bytes that arrive are the bytes recorded), bins kept, and an order
//! packed, scanned and printed at the bench.

use super::harness::{App, SECOND};
use super::{Bench, PASSWORD, bins, open, packing, sign_in, sign_out, webdriver};
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};
use std::time::Duration;

/// The warehouse person's round: ship an order, see a shipment's tracking,
/// scan the bench order at the scan station and check the labels that
/// reached the raw printer, then keep bins.
pub(super) async fn logistics(app: &App, s: &webdriver::Session, bench: &Bench) -> Result<(), String> {
    sign_in(s, "logistics@marketdesk.demo", PASSWORD).await?;
    s.wait_for("[data-testid=user-name]", 20 * SECOND).await?;
    open(app, s, "fulfilment", "[data-testid=grid-fulfilment] [data-row-key]", "30-logistics-fulfilment").await?;

    // The real action: mark the first order in the queue shipped.
    let first = s.wait_for("[data-testid=grid-fulfilment] [data-row-key]", SECOND).await?;
    s.click(&first).await?;
    s.wait_for("[data-testid=order-detail]", 10 * SECOND).await?;
    // Pressed by keyboard: a toast can lie over the panel's footer, where a
    // click would land on the toast.
    let ship = s.wait_for("[data-testid=mark-shipped]", 5 * SECOND).await?;
    s.keys(&ship, "\u{E007}").await?;
    let confirm = s.wait_for("[data-testid=confirm]", 5 * SECOND).await?;
    s.keys(&confirm, "\u{E007}").await?;
    if let Err(e) = s.wait_for_text("[data-testid=order-status]", "Shipped", 10 * SECOND).await {
        let toasts = s
            .execute(
                "return [...document.querySelectorAll('[data-testid=toast]')].map(t => t.innerText).join(' | ');",
                vec![],
            )
            .await
            .unwrap_or_default();
        let page = s.text_of("[data-testid=order-detail]").await.unwrap_or_default();
        return Err(format!(
            "{e}; toasts: {toasts}; the order panel says: {}",
            page.chars().take(1500).collect::<String>()
        ));
    }
    app.shot(s, "31-logistics-shipped").await?;

    // Open a shipment and see its tracking.
    open(app, s, "shipments", "[data-testid=grid-shipments] [data-row-key]", "32-logistics-shipments").await?;
    let first = s.wait_for("[data-testid=grid-shipments] [data-row-key]", SECOND).await?;
    s.click(&first).await?;
    s.wait_for("[data-testid=shipment-detail] [data-testid=tracking-number]", 10 * SECOND).await?;
    app.shot(s, "33-logistics-shipment").await?;

    // The scan station: scan the order's number, Enter, and its labels reach the printer.
    open(app, s, "scan", "[data-testid=scan-input]", "34-logistics-scan-station").await?;
    let input = s.wait_for("[data-testid=scan-input]", SECOND).await?;
    s.type_into(&input, &bench.order.to_lowercase()).await?;
    s.keys(&input, "\u{E007}").await?;
    s.wait_for_text("[data-testid=scan-order]", &bench.order, 20 * SECOND).await?;
    s.wait_for("[data-testid=scan-parcel][data-outcome=printed]", 20 * SECOND).await?;
    app.shot(s, "35-logistics-scanned-and-printed").await?;
    let arrived = bench.raw.wait_for(bench.parcels.len(), Duration::from_secs(20)).await;
    let store =
        Store::open(&DatabaseUrl::sqlite(&bench.db), &OpenOptions::default()).await.map_err(|e| e.to_string())?;
    let mut sent = Vec::new();
    for parcel in &bench.parcels {
        for job in store.shipment_print_log(*parcel).await.map_err(|e| e.to_string())? {
            sent.push(store.print_job_content(job.id).await.map_err(|e| e.to_string())?);
        }
    }
    store.close().await;
    if arrived.len() != bench.parcels.len() || sent.len() != arrived.len() {
        return Err(format!(
            "{} parcels, {} jobs recorded, {} labels arrived at the printer",
            bench.parcels.len(),
            sent.len(),
            arrived.len()
        ));
    }
    for bytes in &arrived {
        if !sent.contains(bytes) || !bytes.starts_with(b"^XA") {
            return Err("a label arrived at the printer that is not the bytes recorded for it".into());
        }
    }
    bins::set_at_the_bench(app, s, bench).await?;
    packing::pack_label_print(app, s, bench).await?;
    sign_out(s).await
}
