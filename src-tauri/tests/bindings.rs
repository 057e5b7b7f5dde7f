//! The generated TypeScript bindings, the command list, the permissions and the
//! window's capability must agree with the code.

use marketdesk_desktop::{COMMANDS, specta_builder, typescript_bindings};
use std::path::PathBuf;

fn repo_file(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(relative)
}

#[test]
fn checked_in_bindings_are_current() {
    let generated = typescript_bindings(&specta_builder()).expect("bindings export");
    let path = repo_file("ui/src/bindings.ts");
    if std::env::var_os("MARKETDESK_WRITE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).expect("write ui/src/bindings.ts");
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(current == generated, "ui/src/bindings.ts is stale: run `cargo xtask bindings` and commit the result");
}

#[test]
fn every_command_is_bound_and_nothing_else() {
    let generated = typescript_bindings(&specta_builder()).expect("bindings export");
    let mut bound: Vec<&str> =
        generated.split("TAURI_INVOKE(\"").skip(1).filter_map(|rest| rest.split('"').next()).collect();
    bound.sort_unstable();
    let mut listed = COMMANDS.to_vec();
    listed.sort_unstable();
    assert_eq!(bound, listed, "specta_builder() and COMMANDS list different commands");
}

#[test]
fn the_main_window_is_granted_exactly_the_commands() {
    let text = std::fs::read_to_string(repo_file("src-tauri/capabilities/default.json")).expect("capability file");
    let cap: serde_json::Value = serde_json::from_str(&text).expect("capability JSON");
    let mut granted: Vec<String> = cap["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(|p| p.as_str())
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();
    granted.sort_unstable();
    let mut listed: Vec<String> = COMMANDS.iter().map(|c| c.to_string()).collect();
    listed.sort_unstable();
    assert_eq!(granted, listed);
    let others: Vec<&str> = cap["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .filter(|p| !p.starts_with("allow-"))
        .collect();
    assert_eq!(
        others,
        [
            "core:event:default",
            "notification:allow-is-permission-granted",
            "notification:allow-request-permission",
            "notification:allow-notify"
        ],
        "the window gets no OS access beyond events and desktop notifications"
    );
}
