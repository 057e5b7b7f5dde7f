//! Starts what the end-to-end test drives: a seeded demo database in a temporary
//! folder, a virtual display (Xvfb) and tauri-driver (which starts the app
//! through WebKitWebDriver), and stops them again.

use crate::webdriver::Session;
use marketdesk_core::seed::{self, SeedOptions};
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};
use marketdesk_test_support::free_port;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One second.
pub const SECOND: Duration = Duration::from_secs(1);

/// Orders in the demo database the app opens.
const ORDERS: u64 = 3_000;
/// The workstation name the app runs as (`MARKETDESK_WORKSTATION`).
pub const WORKSTATION: &str = "e2e-bench";

/// The running display, driver and app data.
pub struct App {
    dir: tempfile::TempDir,
    xvfb: Child,
    driver: Child,
    driver_url: String,
    screens: PathBuf,
}

/// Creates the SQLite file `db` with `orders` demo orders.
pub async fn seed_demo(db: &Path, orders: u64) {
    let store = Store::open(&DatabaseUrl::sqlite(db), &OpenOptions::create()).await.expect("create demo db");
    store.migrate(|_| {}).await.expect("migrate demo db");
    seed::seed(&store, &SeedOptions::new(orders), |_| {}).await.expect("seed demo db");
    store.close().await;
}

/// A program on PATH or in cargo's bin folder.
fn tool(name: &str, hint: &str) -> PathBuf {
    let mut places: Vec<PathBuf> =
        std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect()).unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        places.push(PathBuf::from(home).join(".cargo/bin"));
    }
    places
        .into_iter()
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{name} is missing: {hint} (or run `cargo xtask setup`)"))
}

fn free_display() -> u32 {
    (90..200)
        .find(|n| {
            !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })
        .expect("a free X display number")
}

/// Whether `ready` comes true within `timeout`.
fn listening_within(timeout: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while !ready() {
        if start.elapsed() > timeout {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    true
}

/// Stops `driver`'s process group (tauri-driver, WebKitWebDriver, the app).
fn stop_group(driver: &mut Child) {
    let group = format!("-{}", driver.id());
    let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
    std::thread::sleep(Duration::from_millis(300));
    let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
    let _ = driver.wait();
}

fn wait_until(what: &str, timeout: Duration, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(start.elapsed() < timeout, "{what} did not come up within {timeout:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl App {
    /// Seeds a demo database of its own and starts Xvfb and tauri-driver.
    pub async fn start() -> App {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("demo.sqlite");
        seed_demo(&db, ORDERS).await;
        Self::launch(dir, db)
    }

    /// Starts Xvfb and tauri-driver for apps opening the SQLite file `db`;
    /// `dir` holds the app's home folder and goes away with the `App`.
    pub fn launch(dir: tempfile::TempDir, db: PathBuf) -> App {
        Self::launch_with_server(dir, db, None)
    }

    /// Like `launch`, with the apps signing in to the central PostgreSQL at
    /// `server` (`MARKETDESK_SERVER`) and keeping `db` as their local copy.
    pub fn launch_with_server(dir: tempfile::TempDir, db: PathBuf, server: Option<&str>) -> App {
        Self::launch_with_env(dir, db, server, &[])
    }

    /// Like `launch_with_server`, with more variables in the app's
    /// environment (the Stripe fake's address and key).
    pub fn launch_with_env(dir: tempfile::TempDir, db: PathBuf, server: Option<&str>, env: &[(&str, String)]) -> App {
        let xvfb_bin = tool("Xvfb", "apt-get install xvfb");
        tool("WebKitWebDriver", "apt-get install webkit2gtk-driver");
        let driver_bin = tool("tauri-driver", "cargo install tauri-driver --locked");

        let display = free_display();
        let xvfb = Command::new(xvfb_bin)
            .args([format!(":{display}").as_str(), "-screen", "0", "1280x900x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb");
        wait_until("Xvfb", 10 * SECOND, || Path::new(&format!("/tmp/.X11-unix/X{display}")).exists());

        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).expect("home");
        // A port taken by someone else between choosing it and binding it
        // leaves a driver that cannot answer: seen by its native port staying
        // closed, it is stopped and started again on other ports.
        let mut tries = 0;
        let (driver, port) = loop {
            tries += 1;
            let port = free_port();
            let native = std::iter::repeat_with(free_port).find(|n| *n != port).expect("a second port");
            // The app inherits tauri-driver's environment, and a session keyring of
            // its own as its keychain (kernel keyutils).
            let mut driver = Command::new(tool("keyctl", "apt-get install keyutils"));
            driver.args(["session", "-"]).arg(&driver_bin);
            match server {
                Some(server) => driver.env("MARKETDESK_SERVER", server),
                None => driver.env_remove("MARKETDESK_SERVER"),
            };
            driver.envs(env.iter().map(|(k, v)| (*k, v.as_str())));
            let mut driver = driver
                // Its own process group, so stopping it also stops WebKitWebDriver and the app.
                .process_group(0)
                .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
                .env("DISPLAY", format!(":{display}"))
                .env("MARKETDESK_DATABASE_URL", format!("sqlite://{}", db.display()))
                .env("LANG", "en_US.UTF-8")
                // Printers belong to a workstation: the tests set this one's up.
                .env("MARKETDESK_WORKSTATION", WORKSTATION)
                .env("HOME", &home)
                .env("XDG_DATA_HOME", home.join("data"))
                .env("XDG_CONFIG_HOME", home.join("config"))
                .env("XDG_CACHE_HOME", home.join("cache"))
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("start tauri-driver");
            let listening = |p: u16| std::net::TcpStream::connect(("127.0.0.1", p)).is_ok();
            let up = listening_within(20 * SECOND, || listening(port) && listening(native));
            if up {
                break (driver, port);
            }
            stop_group(&mut driver);
            assert!(tries < 3, "tauri-driver and WebKitWebDriver did not come up in {tries} tries");
        };

        let screens = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).parent().expect("target dir").join("e2e-screens");
        std::fs::create_dir_all(&screens).expect("screens dir");
        App { dir, xvfb, driver, driver_url: format!("http://127.0.0.1:{port}"), screens }
    }

    /// The SQLite file the app opens (the demo database of [`App::start`]).
    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("demo.sqlite")
    }

    /// Starts the app (a new WebDriver session).
    pub async fn session(&self) -> Result<Session, String> {
        self.session_with(&[]).await
    }

    /// Starts the app with command-line `args` (a new WebDriver session).
    pub async fn session_with(&self, args: &[&str]) -> Result<Session, String> {
        Session::start(&self.driver_url, env!("CARGO_BIN_EXE_marketdesk-desktop"), args).await
    }

    /// Proportional memory (PSS, KiB) of everything the driver started: the app
    /// and its WebKit web and network processes, not the drivers themselves.
    pub fn app_pss_kib(&self) -> u64 {
        let mut parent: std::collections::HashMap<u32, u32> = std::collections::HashMap::new();
        let mut names: std::collections::HashMap<u32, String> = std::collections::HashMap::new();
        for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
            // comm is in parentheses and may hold spaces; the fields after it are plain.
            let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else { continue };
            let ppid = stat[close + 2..].split(' ').nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
            parent.insert(pid, ppid);
            names.insert(pid, stat[open + 1..close].to_owned());
        }
        let root = self.driver.id();
        let descends = |mut pid: u32| {
            while let Some(&p) = parent.get(&pid) {
                if p == root {
                    return true;
                }
                if p <= 1 {
                    return false;
                }
                pid = p;
            }
            false
        };
        names
            .iter()
            .filter(|(pid, name)| {
                descends(**pid) && !name.starts_with("WebKitWebDrive") && !name.starts_with("tauri-driver")
            })
            .filter_map(|(pid, _)| std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok())
            .filter_map(|text| {
                text.lines()
                    .find(|l| l.starts_with("Pss:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            })
            .sum()
    }

    /// Saves a screenshot as `target/e2e-screens/<name>.png`.
    pub async fn shot(&self, s: &Session, name: &str) -> Result<(), String> {
        let png = s.screenshot().await?;
        if !png.starts_with(b"\x89PNG") {
            return Err(format!("screenshot {name} is not a PNG"));
        }
        std::fs::write(self.screens.join(format!("{name}.png")), png).map_err(|e| e.to_string())
    }

    /// Stops the driver, WebKitWebDriver and the app, then the display.
    pub async fn stop(self) {
        drop(self);
    }
}

impl Drop for App {
    fn drop(&mut self) {
        stop_group(&mut self.driver);
        let _ = self.xvfb.kill();
        let _ = self.xvfb.wait();
        let _ = self.dir.path();
    }
}
