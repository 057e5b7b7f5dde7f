//! Installing and starting what builds and tests need on a fresh Debian/Ubuntu
//! machine: Debian packages (apt, as root or through sudo), a running PostgreSQL,
//! and cargo-nextest when it can be had.

use crate::sh;
use anyhow::{Context, Result, bail};
use std::process::Command;

/// Debian packages the build and the tests need.
const PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "file",
    // The Tauri desktop shell (WebKitGTK and friends).
    "libwebkit2gtk-4.1-dev",
    "libjavascriptcoregtk-4.1-dev",
    "libgtk-3-dev",
    "libsoup-3.0-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "libssl-dev",
    // End-to-end tests of the built app: a virtual display and WebKit's WebDriver.
    "xvfb",
    "webkit2gtk-driver",
    // The kernel keyring tools: the keychain tests run in `keyctl session`.
    "keyutils",
    // The desktop keychain (Secret Service): libdbus to build against, and
    // GNOME Keyring under `dbus-run-session` for its tests.
    "libdbus-1-dev",
    "gnome-keyring",
    "dbus-bin",
    // PostgreSQL server (the tests' real database) and its client tools.
    "postgresql",
    "postgresql-client",
    // Labels: `pdftoppm` rasterises a PDF label the way a laser printer would,
    // so its barcodes can be read back.
    "poppler-utils",
    // Printing: the tests start a private `cupsd` (its socket backend hands raw
    // jobs to a listener) and manage its queues with lpadmin, cupsdisable, cupsreject.
    "cups",
    "cups-client",
];

fn installed(pkg: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", pkg])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

fn apt_install(missing: &[&str]) -> Result<()> {
    let prefix: Vec<&str> = if is_root() { vec![] } else { vec!["sudo", "-n"] };
    let run = |args: &[&str]| -> Result<()> {
        let mut full: Vec<&str> = prefix.clone();
        full.extend_from_slice(args);
        let (program, rest) = full.split_first().context("empty command")?;
        sh(program, rest)
    };
    if Command::new("apt-get").arg("--version").output().is_err() {
        bail!("these Debian packages are missing and there is no apt-get: {}", missing.join(" "));
    }
    unsafe { std::env::set_var("DEBIAN_FRONTEND", "noninteractive") };
    run(&["apt-get", "update", "-qq"])?;
    let mut args = vec!["apt-get", "install", "-y", "-qq", "--no-install-recommends"];
    args.extend_from_slice(missing);
    run(&args)
}

/// Installs what is missing and starts PostgreSQL when `need_postgres`.
pub fn all(need_postgres: bool) -> Result<()> {
    let missing: Vec<&str> = PACKAGES.iter().copied().filter(|p| !installed(p)).collect();
    if !missing.is_empty() {
        apt_install(&missing)?;
    }
    if need_postgres {
        ensure_postgres()?;
    }
    Ok(())
}

fn pg_ready() -> bool {
    Command::new("pg_isready")
        .args(["-q", "-h", "127.0.0.1", "-p", "5432"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Makes sure a PostgreSQL answers at 127.0.0.1:5432 (unless the tests were
/// pointed elsewhere with MARKETDESK_TEST_PG).
fn ensure_postgres() -> Result<()> {
    if std::env::var_os("MARKETDESK_TEST_PG").is_some() || pg_ready() {
        return Ok(());
    }
    let versions =
        std::fs::read_dir("/etc/postgresql").context("PostgreSQL is not installed (/etc/postgresql missing)")?;
    for v in versions.flatten() {
        let version = v.file_name().to_string_lossy().into_owned();
        eprintln!("xtask: starting PostgreSQL {version}");
        let _ = sh("pg_ctlcluster", &["--skip-systemctl-redirect", &version, "main", "start"]);
    }
    for _ in 0..50 {
        if pg_ready() {
            trust_local_tcp()?;
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    bail!("PostgreSQL does not answer on 127.0.0.1:5432")
}

/// A freshly installed Debian cluster asks for passwords over TCP; the tests
/// connect as `postgres` without one, so trust loopback connections (test
/// machines only: this runs only when xtask itself had to start the server).
fn trust_local_tcp() -> Result<()> {
    let ok = Command::new("psql")
        .args(["-h", "127.0.0.1", "-U", "postgres", "-w", "-tAc", "SELECT 1"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if ok {
        return Ok(());
    }
    for v in std::fs::read_dir("/etc/postgresql")?.flatten() {
        let hba = v.path().join("main/pg_hba.conf");
        let text = std::fs::read_to_string(&hba)?;
        if !text.contains("# marketdesk tests") {
            let line = "# marketdesk tests\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n";
            std::fs::write(&hba, format!("{line}{text}"))?;
            let version = v.file_name().to_string_lossy().into_owned();
            sh("pg_ctlcluster", &["--skip-systemctl-redirect", &version, "main", "reload"])?;
        }
    }
    Ok(())
}

/// Removes test databases left behind by interrupted runs.
pub fn drop_stale_test_databases() -> Result<()> {
    if std::env::var_os("MARKETDESK_TEST_PG").is_some() {
        return Ok(());
    }
    let out = Command::new("psql")
        .args(["-h", "127.0.0.1", "-U", "postgres", "-w", "-tAc", "SELECT datname FROM pg_database WHERE datname LIKE 'md\\_t\\_%' OR datname LIKE 'md\\_tmpl\\_%\\_building'"])
        .output()
        .context("psql")?;
    for name in String::from_utf8_lossy(&out.stdout).lines().map(str::trim).filter(|l| !l.is_empty()) {
        let _ = Command::new("psql")
            .args([
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-w",
                "-qc",
                &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
            ])
            .status();
    }
    Ok(())
}

/// Whether `cargo nextest` is available (installed now if it can be).
pub fn has_nextest() -> bool {
    let probe =
        || Command::new("cargo").args(["nextest", "--version"]).output().map(|o| o.status.success()).unwrap_or(false);
    if probe() {
        return true;
    }
    eprintln!("xtask: cargo-nextest missing; installing it (falls back to cargo test on failure)");
    let _ = sh("cargo", &["install", "cargo-nextest", "--locked"]);
    probe()
}

/// Makes sure `tauri-driver` (the WebDriver bridge the end-to-end test drives
/// the app through) is installed, building it with cargo when missing.
pub fn tauri_driver() -> Result<()> {
    let probe = || Command::new("tauri-driver").arg("--help").output().map(|o| o.status.success()).unwrap_or(false);
    let in_cargo_bin = std::env::var_os("HOME")
        .map(|h| std::path::Path::new(&h).join(".cargo/bin/tauri-driver").is_file())
        .unwrap_or(false);
    if probe() || in_cargo_bin {
        return Ok(());
    }
    eprintln!("xtask: tauri-driver missing; installing it");
    sh("cargo", &["install", "tauri-driver", "--version", "^2", "--locked"])
}
