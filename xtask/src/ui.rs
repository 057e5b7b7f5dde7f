//! The web UI in `ui/`: installing its npm packages, checking and building it.
//! The desktop crate embeds `ui/dist`, so the UI is built before any cargo step
//! that compiles `src-tauri`.

use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::Command;

fn npm(ui: &Path, args: &[&str]) -> Result<()> {
    eprintln!("xtask: (ui) $ npm {}", args.join(" "));
    let status = Command::new("npm")
        .args(args)
        .current_dir(ui)
        .status()
        .context("cannot start npm: install Node.js 20 or newer (with npm)")?;
    if !status.success() {
        bail!("npm {} failed ({status})", args.join(" "));
    }
    Ok(())
}

/// Installs the locked packages when `node_modules` is missing or older than the lock file.
pub fn install(root: &Path) -> Result<()> {
    let ui = root.join("ui");
    let lock = ui.join("package-lock.json");
    let stamp = ui.join("node_modules/.package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let fresh = matches!((modified(&lock), modified(&stamp)), (Some(l), Some(s)) if s >= l);
    if !fresh {
        npm(&ui, &["ci", "--no-audit", "--no-fund"])?;
    }
    Ok(())
}

/// Builds `ui/dist`.
pub fn build(root: &Path) -> Result<()> {
    install(root)?;
    npm(&root.join("ui"), &["run", "build"])
}

/// Type check, lint, formatting and the component tests.
pub fn check(root: &Path) -> Result<()> {
    let ui = root.join("ui");
    for script in ["typecheck", "lint", "format:check", "test"] {
        npm(&ui, &["run", script])?;
    }
    Ok(())
}
