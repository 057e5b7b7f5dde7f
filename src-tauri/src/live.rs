//! Forwards the central server's live changes to the UI as `DataChanged` events.

use crate::events::DataChanged;
use marketdesk_core::Store;
use marketdesk_core::store::live::listen;
use std::collections::BTreeSet;
use std::time::Duration;
use tauri::AppHandle;
use tauri_specta::Event;

/// How long changes are gathered before the UI is told (one refresh per burst).
const WINDOW: Duration = Duration::from_millis(100);

/// The UI's name for the rows a table holds (lists refetch by these names).
pub fn entity_of(table: &str) -> &str {
    match table {
        "orders" | "order_items" | "payments" | "refunds" => "orders",
        "products" | "product_variants" | "product_images" => "products",
        "shipments" | "shipment_items" | "shipping_labels" | "tracking_events" => "shipments",
        "users" | "user_profiles" => "users",
        "payouts" | "payout_batches" | "payout_items" => "payouts",
        "disputes" | "dispute_messages" => "disputes",
        "product_reviews" => "reviews",
        "customer_notes" | "shipping_addresses" => "customers",
        "subscriptions" | "subscription_plans" => "subscriptions",
        "platform_settings" => "settings",
        "ledger_transactions" | "ledger_entries" | "ledger_accounts" => "ledger",
        other => other,
    }
}

/// Starts forwarding; the task ends when aborted (sign-out) or the app closes.
pub fn forward(app: AppHandle, store: Store) -> tokio::task::JoinHandle<()> {
    // Commands run on Tauri's tokio runtime, so this lands there too.
    tokio::spawn(async move {
        let result = listen(&store, WINDOW, |tables| {
            let entities: BTreeSet<&str> = tables.iter().map(|t| entity_of(t)).collect();
            entities.into_iter().all(|e| DataChanged::now(e, None).emit(&app).is_ok())
        })
        .await;
        if let Some(Err(e)) = result {
            tracing::warn!("live updates stopped: {e}");
        }
    })
}
