//! Events the core side sends to the UI, typed through tauri-specta.

use marketdesk_core::finance::payout_runs::PayoutProgress;
use marketdesk_core::finance::stripe_events::ReconcileReport;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Rows of `entity` changed (by this person, another window, or — online —
/// another desktop): lists showing them refetch.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct DataChanged {
    /// What changed: `orders`, `products`, `shipments`, `users`, `payouts`, …
    pub entity: String,
    /// The row, when one row changed.
    pub id: Option<Uuid>,
}

impl DataChanged {
    /// A change of `entity` (row `id`, if one).
    pub fn now(entity: &str, id: Option<Uuid>) -> Self {
        Self { entity: entity.to_owned(), id }
    }
}

/// One payout of a running batch reached a new state (processing, paid, failed).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct PayoutProgressed {
    /// Where the payout stands.
    pub progress: PayoutProgress,
}

/// An export the UI started has written `rows` rows so far (every 10,000).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct ExportProgressed {
    /// The id the UI gave the export when it started it.
    pub export_id: String,
    /// Rows written so far.
    pub rows: u64,
}

/// A batch of labels the UI started has finished one more parcel.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct LabelBatchProgressed {
    /// The id the UI gave the batch when it started it.
    pub batch_id: String,
    /// Where the batch stands.
    pub progress: marketdesk_core::logistics::batch::BatchProgress,
}

/// A Stripe reconciliation run applied one more event (running totals).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct StripeSyncProgressed {
    /// The totals so far.
    pub report: ReconcileReport,
}

/// The background sync finished a round, or a first copy moved on.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct SyncProgressed {
    /// Where the copy stands after the round.
    pub status: Option<marketdesk_core::sync::status::SyncStatus>,
    /// A first copy or resync under way.
    pub copy: Option<marketdesk_core::sync::initial::CopyProgress>,
    /// Why the round did not finish (the server out of reach …).
    pub error: Option<String>,
}
