//! `cargo xtask`: the project's own task runner.
//!
//! - `run`   — install what is missing, build, create and seed the embedded SQLite
//!   default on first run, and start Marketdesk.
//! - `test`  — everything the project tests, starting what the tests need.
//! - `bench` — benchmarks (`bench seed`), never part of `test`.
//! - `bundle` — the release app as a `.deb`.
//! - `bindings` — regenerate `ui/src/bindings.ts` from the desktop's commands.
//! - `setup` — only the installing part of `run`/`test`.
//!
//! One cargo target folder (`$HOME/.cache/marketdesk/target` unless
//! `CARGO_TARGET_DIR` says otherwise) is shared by every run, so CI and work
//! trees never rebuild from scratch.

mod setup;
mod ui;

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    if let Err(e) = real_main() {
        eprintln!("xtask: error: {e:#}");
        std::process::exit(1);
    }
}

fn real_main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = repo_root();
    std::env::set_current_dir(&root)?;
    let target = target_dir();
    // SAFETY: set before any thread is spawned.
    unsafe { std::env::set_var("CARGO_TARGET_DIR", &target) };
    match args.first().map(String::as_str) {
        Some("run") => run(&root, &target, &args[1..]),
        Some("test") => test(&root, &target),
        Some("bindings") => bindings(&root),
        Some("bundle") => bundle(&root, &target),
        Some("bench") => bench(&args[1..]),
        Some("setup") => setup::all(true),
        _ => {
            eprintln!(
                "usage: cargo xtask <run | test | bench seed|reports [--orders N] | bench app | bindings | bundle | setup>"
            );
            bail!("unknown task {:?}", args.first())
        }
    }
}

/// The checkout this run is for. Read at run time: the compiled xtask is shared
/// through the common target folder, so the folder it was built in may be
/// another checkout (a CI clone) than the one asking.
fn repo_root() -> PathBuf {
    let is_root = |dir: &Path| dir.join("xtask/Cargo.toml").is_file() && dir.join("Cargo.toml").is_file();
    // `cargo run` (the `cargo xtask` alias) sets this to the package being run.
    if let Some(dir) =
        std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).and_then(|d| d.parent().map(Path::to_path_buf))
        && is_root(&dir)
    {
        return dir;
    }
    if let Some(dir) =
        std::env::current_dir().ok().and_then(|cwd| cwd.ancestors().find(|d| is_root(d)).map(Path::to_path_buf))
    {
        return dir;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// The shared cargo target folder.
pub fn target_dir() -> PathBuf {
    if let Some(t) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(t);
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("."));
    home.join(".cache/marketdesk/target")
}

/// Runs a command, echoing it, and fails when it fails.
pub fn sh(program: &str, args: &[&str]) -> Result<()> {
    eprintln!("xtask: $ {program} {}", args.join(" "));
    let status = Command::new(program).args(args).status().with_context(|| format!("cannot start {program}"))?;
    if !status.success() {
        bail!("{program} {} failed ({status})", args.join(" "));
    }
    Ok(())
}

fn cargo(args: &[&str]) -> Result<()> {
    sh(&std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()), args)
}

fn run(root: &Path, target: &Path, args: &[String]) -> Result<()> {
    setup::all(false)?;
    cargo(&["build", "--release", "-p", "marketdesk"])?;
    let bin = target.join("release/marketdesk");
    let bin = bin.to_str().context("target path is not UTF-8")?;
    // First run: the embedded default is created by `overview`; seed it when empty.
    let status = Command::new(bin).arg("overview").output().context("run marketdesk")?;
    let text = String::from_utf8_lossy(&status.stdout);
    if !status.status.success() {
        bail!("marketdesk overview failed: {}", String::from_utf8_lossy(&status.stderr).trim());
    }
    if text.contains("No orders yet") {
        eprintln!("xtask: first run — seeding the local database with demo data");
        sh(bin, &["seed", "--orders", "20000"])?;
    }
    if !args.is_empty() {
        let rest: Vec<&str> = args.iter().map(String::as_str).collect();
        return sh(bin, &rest);
    }
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        eprintln!("xtask: no display (DISPLAY is unset): showing the command line's overview instead of the window");
        return sh(bin, &["overview"]);
    }
    ui::build(root)?;
    cargo(&["build", "--release", "-p", "marketdesk-desktop"])?;
    let desktop = target.join("release/marketdesk-desktop");
    sh(desktop.to_str().context("target path is not UTF-8")?, &[])
}

fn test(root: &Path, target: &Path) -> Result<()> {
    setup::all(true)?;
    setup::tauri_driver()?;
    setup::drop_stale_test_databases()?;
    cargo(&["fmt", "--all", "--", "--check"])?;
    // The desktop crate embeds the built UI: build it before anything compiles src-tauri.
    ui::build(root)?;
    ui::check(root)?;
    cargo(&["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])?;
    // The CLI tests drive the built binary. Built with the whole workspace so its
    // dependencies share the features (and the compiled artefacts) of the test build.
    cargo(&["build", "--workspace", "--bins"])?;
    if setup::has_nextest() {
        cargo(&["nextest", "run", "--workspace", "--no-fail-fast"])?;
    } else {
        cargo(&["test", "--workspace", "--no-fail-fast"])?;
    }
    eprintln!("xtask: all tests passed (target folder {})", target.display());
    Ok(())
}

/// Builds the release app and bundles it as a `.deb` with the Tauri CLI (from
/// `ui/node_modules`). The CLI wants its configuration beside the desktop crate:
/// `src-tauri/tauri.conf.json`, `src-tauri/ui` and `src-tauri/icons` are links to
/// the root's, so paths resolve the same from either folder.
fn bundle(root: &Path, target: &Path) -> Result<()> {
    setup::all(false)?;
    ui::build(root)?;
    let cli = root.join("ui/node_modules/.bin/tauri");
    let cli = cli.to_str().context("path is not UTF-8")?;
    eprintln!("xtask: $ tauri build --bundles deb");
    let status = Command::new(cli)
        .args(["build", "--bundles", "deb", "--config", r#"{"build":{"beforeBuildCommand":""}}"#])
        .env("TAURI_APP_PATH", root.join("src-tauri"))
        .env("TAURI_FRONTEND_PATH", root.join("ui"))
        .status()
        .context("run the Tauri CLI")?;
    if !status.success() {
        bail!("tauri build failed ({status})");
    }
    let debs = target.join("release/bundle/deb");
    for entry in std::fs::read_dir(&debs).with_context(|| format!("no bundles in {}", debs.display()))?.flatten() {
        eprintln!("xtask: bundle {}", entry.path().display());
    }
    Ok(())
}

/// Regenerates `ui/src/bindings.ts` from the desktop crate's commands.
fn bindings(root: &Path) -> Result<()> {
    ui::build(root)?;
    // SAFETY: set before any thread is spawned.
    unsafe { std::env::set_var("MARKETDESK_WRITE_BINDINGS", "1") };
    cargo(&["test", "-p", "marketdesk-desktop", "--test", "bindings", "checked_in_bindings_are_current"])
}

fn bench(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("seed") => {
            setup::all(true)?;
            let mut cmd = vec!["bench", "-p", "marketdesk-core", "--bench", "seed", "--"];
            cmd.extend(args[1..].iter().map(String::as_str));
            cargo(&cmd)
        }
        Some("reports") => {
            setup::all(true)?;
            let mut cmd = vec!["bench", "-p", "marketdesk-core", "--bench", "reports", "--"];
            cmd.extend(args[1..].iter().map(String::as_str));
            cargo(&cmd)
        }
        Some("labels") => {
            // Drawing labels, printing them (raw 9100 and a private CUPS), then a
            // batch bought from the carrier fake and printed.
            let mut cmd = vec![
                "bench",
                "-p",
                "marketdesk-core",
                "--bench",
                "labels",
                "--bench",
                "printing",
                "--bench",
                "carriers",
                "--",
            ];
            cmd.extend(args[1..].iter().map(String::as_str));
            cargo(&cmd)
        }
        Some("sync") => {
            setup::all(true)?;
            let mut cmd = vec!["bench", "-p", "marketdesk-core", "--bench", "sync", "--"];
            cmd.extend(args[1..].iter().map(String::as_str));
            cargo(&cmd)
        }
        Some("catalog") => {
            // The orders and products search boxes at scale, and a bin sheet of
            // 20,000 lines, on both engines.
            setup::all(true)?;
            let mut cmd = vec!["bench", "-p", "marketdesk-core", "--bench", "catalog", "--"];
            cmd.extend(args[1..].iter().map(String::as_str));
            cargo(&cmd)
        }
        Some("catalog-import") => {
            // A product CSV of 100,000 rows checked and applied, on both engines.
            setup::all(true)?;
            let mut cmd = vec!["bench", "-p", "marketdesk-core", "--bench", "catalog_import", "--"];
            cmd.extend(args[1..].iter().map(String::as_str));
            cargo(&cmd)
        }
        Some("jobs") => {
            // Jobs per second through the queue with one and two workers, beside a bare SKIP LOCKED loop.
            setup::all(true)?;
            let mut cmd = vec!["bench", "-p", "marketdesk-core", "--bench", "jobs", "--"];
            cmd.extend(args[1..].iter().map(String::as_str));
            cargo(&cmd)
        }
        Some("notifications") => {
            // Fan-out of one announcement and commit-to-bell latency, on PostgreSQL.
            setup::all(true)?;
            let mut cmd = vec!["bench", "-p", "marketdesk-core", "--bench", "notifications", "--"];
            cmd.extend(args[1..].iter().map(String::as_str));
            cargo(&cmd)
        }
        Some("dashboard") => {
            // The business dashboard beside the revenue reports of the same two periods, on PostgreSQL.
            setup::all(true)?;
            let mut cmd = vec!["bench", "-p", "marketdesk-core", "--bench", "dashboard", "--"];
            cmd.extend(args[1..].iter().map(String::as_str));
            cargo(&cmd)
        }
        Some("replica") => {
            // The revenue report on a streaming replica beside the primary, under the same write load.
            setup::all(true)?;
            let mut cmd = vec!["bench", "-p", "marketdesk-core", "--bench", "replica", "--"];
            cmd.extend(args[1..].iter().map(String::as_str));
            cargo(&cmd)
        }
        Some("desktops") => {
            // Many simulated desktops (each a person's own login) against one private PostgreSQL.
            setup::all(true)?;
            let mut cmd = vec!["bench", "-p", "marketdesk-core", "--bench", "desktops", "--"];
            cmd.extend(args[1..].iter().map(String::as_str));
            cargo(&cmd)
        }
        Some("logs") => {
            // Scrubbing a log line beside formatting it as JSON (the work every line costs anyway).
            let mut cmd = vec!["bench", "-p", "marketdesk-core", "--bench", "logs", "--"];
            cmd.extend(args[1..].iter().map(String::as_str));
            cargo(&cmd)
        }
        Some("app") => {
            setup::all(false)?;
            setup::tauri_driver()?;
            ui::build(&repo_root())?;
            cargo(&["bench", "-p", "marketdesk-desktop", "--bench", "app"])
        }
        other => {
            bail!(
                "unknown benchmark {other:?}; try `cargo xtask bench seed --orders 50000`, `bench reports --orders 100000`, `bench labels --count 1000`, `bench sync --orders 20000`, `bench catalog --orders 100000 --products 100000`, `bench catalog-import --rows 100000`, `bench notifications --people 10000`, `bench jobs --jobs 5000`, `bench replica --orders 20000`, `bench desktops --desktops 200 --seconds 60`, `bench dashboard --orders 100000`, `bench logs --lines 200000` or `bench app`"
            )
        }
    }
}
