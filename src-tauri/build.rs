//! Tauri's build step, pointed at the configuration at the repository root, with
//! one permission per command so capabilities grant commands one by one.

include!("src/command_names.rs");

fn main() {
    // Tauri's own rerun list leaves out the command list this build reads.
    println!("cargo:rerun-if-changed=src/command_names.rs");
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {e:#}");
    }
}
