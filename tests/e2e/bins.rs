//! Bins at the packing bench: the logistics person opens "Bins…" on the
//! Shipments screen, types a SKU of the bench's order, puts it in a bin with
//! Enter, and the bin is kept in the database.

use super::harness::{App, SECOND};
use super::webdriver::Session;
use super::{Bench, open, wait_gone};
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};

/// At the bench: a SKU found by typing it, put in a bin with Enter, and the
/// bin kept in the database.
pub async fn set_at_the_bench(app: &App, s: &Session, bench: &Bench) -> Result<(), String> {
    open(app, s, "shipments", "[data-testid=grid-shipments] [data-row-key]", "36a-logistics-bench").await?;
    let open_bins = s.wait_for("[data-testid=open-bins]", 5 * SECOND).await?;
    s.keys(&open_bins, "\u{E007}").await?;
    let sku = s.wait_for("[data-testid=bin-sku]", 5 * SECOND).await?;
    s.type_into(&sku, &bench.sku).await?;
    s.keys(&sku, "\u{E007}").await?;
    let bin = s.wait_for("[data-testid=bin-row] [data-testid=bin-input]", 10 * SECOND).await?;
    s.execute("const i = document.querySelector('[data-testid=bin-row] [data-testid=bin-input]'); i.select();", vec![])
        .await?;
    s.type_into(&bin, "a-01-1").await?;
    s.keys(&bin, "\u{E007}").await?;
    s.wait_for_text("[data-testid=toast]", "is in bin A-01-1", 10 * SECOND).await?;
    app.shot(s, "36b-logistics-bins").await?;
    let store =
        Store::open(&DatabaseUrl::sqlite(&bench.db), &OpenOptions::default()).await.map_err(|e| e.to_string())?;
    let rows =
        marketdesk_core::logistics::bins::variants_by_sku(&store, &bench.sku).await.map_err(|e| e.to_string())?;
    store.close().await;
    if !rows.iter().any(|r| r.bin_location.as_deref() == Some("A-01-1")) {
        return Err(format!("the bin of {} was not kept: {rows:?}", bench.sku));
    }
    let dialog = s.wait_for("[data-testid=bins]", SECOND).await?;
    s.keys(&dialog, "\u{E00C}").await?;
    wait_gone(s, "[data-testid=bins]").await
}
