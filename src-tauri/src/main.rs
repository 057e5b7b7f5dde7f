//! The Marketdesk desktop binary.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(e) = marketdesk_desktop::run() {
        eprintln!("error: Marketdesk could not start: {e}");
        std::process::exit(1);
    }
}
