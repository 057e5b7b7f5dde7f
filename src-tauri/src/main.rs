//! Marketdesk desktop: the Tauri shell. It opens the window and hands every
//! request to `marketdesk-core`; it holds no business logic of its own.
//!
//! This is the foundation's skeleton: one window and one command that reports
//! which database the app would open. The desktop issue grows it (typed commands
//! with tauri-specta, the React UI, live updates, the updater).

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use serde::Serialize;

/// What the window shows about the app before anyone signs in.
#[derive(Debug, Serialize)]
struct AppInfo {
    version: &'static str,
    schema_version: i64,
}

/// The app's version and the schema version this build carries.
#[tauri::command]
fn app_info() -> AppInfo {
    use marketdesk_core::store::{Engine, migrate::known_version};
    AppInfo { version: env!("CARGO_PKG_VERSION"), schema_version: known_version(Engine::Sqlite) }
}

fn main() {
    let result = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![app_info])
        .run(tauri::generate_context!("../tauri.conf.json"));
    if let Err(e) = result {
        eprintln!("error: Marketdesk could not start: {e}");
        std::process::exit(1);
    }
}
