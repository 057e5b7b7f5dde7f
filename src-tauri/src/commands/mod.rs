//! The commands the web UI calls. Each parses its input, checks the signed-in
//! role (the database's own grants and row-level security decide again when
//! online), calls `marketdesk-core`, and maps the typed error.

pub mod analytics;
pub mod audit;
pub mod bins;
pub mod bulk_edit;
pub mod catalog_files;
pub mod categories;
pub mod customers;
pub mod day_close;
pub mod dispute_files;
pub mod disputes;
pub mod earnings;
pub mod jobs;
pub mod label_purchases;
pub mod ledger;
pub mod logs;
pub mod machine;
pub mod manual_orders;
pub mod notifications;
pub mod onboarding;
pub mod orders;
pub mod outbox;
pub mod packing;
pub mod payout_setup;
pub mod payouts;
pub mod printing;
pub mod product_editor;
pub mod product_images;
pub mod products;
pub mod refunds;
pub mod remember;
pub mod remembered;
pub mod reports;
pub mod reviews;
pub mod session;
pub mod settings;
pub mod shipments;
pub mod shipping_setup;
pub mod stock;
pub mod stripe_events;
pub mod subscriptions;
pub mod sync;
pub mod updates;
pub mod users;
pub mod vendor_documents;
pub mod vendors;
pub mod warehouse;

use crate::error::AppError;
use uuid::Uuid;

/// Runs a call that may block (the keychain: Secret Service goes over D-Bus)
/// off the async runtime.
async fn off_runtime<T: Send + 'static>(call: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    tokio::task::spawn_blocking(call)
        .await
        .map_err(|e| AppError::new(crate::error::ErrorKind::Database, format!("the keychain call stopped: {e}")))
}

/// The Stripe gateway the desktop's money commands use, built in this one
/// place from this computer's key (`MARKETDESK_STRIPE_SECRET_KEY`, else the keychain).
fn stripe_gateway() -> Result<marketdesk_core::integrations::stripe::StripeGateway, AppError> {
    marketdesk_core::integrations::stripe::StripeGateway::from_environment()
        .map_err(|e| AppError::invalid(e.to_string()))
}

/// The bytes of a file the UI sent as base64 (`what`: its name, or "the file").
fn arrived_whole(content: &str, what: &str) -> Result<Vec<u8>, AppError> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(content.as_bytes())
        .map_err(|_| AppError::invalid(format!("{what} did not arrive whole; choose it again")))
}

/// Parses an id the UI sent.
fn parse_id(text: &str, what: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(text.trim()).map_err(|_| AppError::invalid(format!("“{text}” is not a {what} id")))
}

/// A new file in the Downloads folder (the home folder when there is none)
/// named `<prefix>-<UTC time>.<extension>`.
fn downloads_path(prefix: &str, extension: &str) -> Result<std::path::PathBuf, AppError> {
    let dirs = directories::UserDirs::new().ok_or_else(|| AppError::invalid("this account has no home folder"))?;
    let folder = dirs.download_dir().unwrap_or(dirs.home_dir()).to_path_buf();
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    Ok(folder.join(format!("{prefix}-{stamp}.{extension}")))
}

/// Writes a file the core handed over (`name`, `bytes`) to the Downloads
/// folder whole or not at all; returns where it went.
fn save_in_downloads(name: &str, bytes: &[u8]) -> Result<String, AppError> {
    use std::io::Write;
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name, "bin"));
    let path = downloads_path(stem, extension)?;
    let (partial, mut file) =
        marketdesk_core::store::files::PartialFile::create(&path).map_err(|e| AppError::invalid(e.to_string()))?;
    file.write_all(bytes).map_err(|e| AppError::invalid(format!("cannot write {}: {e}", path.display())))?;
    drop(file);
    partial.commit().map_err(|e| AppError::invalid(e.to_string()))?;
    Ok(path.display().to_string())
}

/// `bytes` of `media_type` as a `data:` URL the webview shows.
fn data_url(media_type: &str, bytes: &[u8]) -> String {
    use base64::Engine;
    format!("data:{media_type};base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes))
}
