//! The Marketdesk desktop binary.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    let result = if std::env::args().any(|a| a == "--bench-empty-window") {
        marketdesk_desktop::run_empty_window()
    } else {
        marketdesk_desktop::run()
    };
    if let Err(e) = result {
        eprintln!("error: Marketdesk could not start: {e}");
        std::process::exit(1);
    }
}
