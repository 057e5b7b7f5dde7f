//! Tauri's build step, pointed at the configuration at the repository root, with
//! one permission per command so capabilities grant commands one by one.

include!("src/command_names.rs");

fn main() {
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {e:#}");
    }
}
