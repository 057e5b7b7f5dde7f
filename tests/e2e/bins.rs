//! Bins at the packing bench: the logistics person opens "Bins…" on the
//! Shipments screen, types a SKU of the bench's order, puts it in a bin with
//! Enter, and the bin is kept in the database.

use super::harness::{App, SECOND};
use super::webdriver::Session;
use super::{Bench, open, wait_gone};
use marketdesk_core::logistics::bins::variants_by_sku;
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};

/// Whether the database holds `bin` for a variant with the bench's SKU.
async fn kept(bench: &Bench, bin: &str) -> Result<bool, String> {
    let store =
        Store::open(&DatabaseUrl::sqlite(&bench.db), &OpenOptions::default()).await.map_err(|e| e.to_string())?;
    let rows = variants_by_sku(&store, &bench.sku).await.map_err(|e| e.to_string());
    store.close().await;
    Ok(rows?.iter().any(|r| r.bin_location.as_deref() == Some(bin)))
}

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
    s.type_into(&bin, "a-01-1").await?;
    s.keys(&bin, "\u{E007}").await?;
    let mut saved = false;
    for _ in 0..100 {
        if kept(bench, "A-01-1").await? {
            saved = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    if !saved {
        let page = s.text_of("[data-testid=bins]").await.unwrap_or_default();
        return Err(format!("the bin of {} was not kept; the dialog says: {page}", bench.sku));
    }
    app.shot(s, "36b-logistics-bins").await?;
    s.keys(&bin, "\u{E00C}").await?;
    wait_gone(s, "[data-testid=bins]").await
}
