//! The one support library of Marketdesk's tests, used by the core's own tests
//! (`crates/core/tests`) and by the tests of the built binaries (`tests/`):
//! fresh databases on both engines ([`databases`], with [`on_both_engines!`]),
//! seeded money databases ([`money`]), the local Stripe fake ([`stripe_fake`]),
//! the FedEx and UPS fakes ([`fedex_fake`], [`ups_fake`]) and a parcel ready for
//! them ([`parcels`]),
//! a private CUPS server and raw printers ([`printers`]),
//! and, here, finding and running the built `marketdesk` binary and private
//! PostgreSQL clusters with password authentication.

pub mod carrier_fake;
pub mod databases;
pub mod fault_proxy;
pub mod fedex_fake;
pub mod ga4_fake;
pub mod gif_label;
pub mod label_scan;
pub mod marketplace;
pub mod money;
pub mod parcels;
pub mod printers;
pub mod schema_reference;
pub mod stripe_checkout_fake;
pub mod stripe_fake;
pub mod ups_fake;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `marketdesk` binary built beside this test (same target folder and profile).
pub fn marketdesk_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(Path::parent).expect("target profile folder");
    let bin = dir.join("marketdesk");
    assert!(bin.exists(), "{} is missing: build it first (cargo build -p marketdesk)", bin.display());
    bin
}

/// What a run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Runs `marketdesk` with `args`, a private data folder (`home`) and no inherited
/// database URL.
pub fn marketdesk(home: &Path, args: &[&str]) -> Run {
    Command::new(marketdesk_bin())
        .args(args)
        .env_remove("MARKETDESK_DATABASE_URL")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run marketdesk")
        .into()
}

/// Fails if `needle` occurs in any file below `dir` (a secret that leaked into
/// a database, its WAL, a config or a log). Returns how many files were read;
/// files that vanish while being read (SQLite side files) are skipped.
pub fn assert_absent_from_files(dir: &Path, needle: &str) -> usize {
    let mut files = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                files += 1;
                assert!(
                    !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                    "{needle:?} found in {}",
                    path.display()
                );
            }
        }
    }
    files
}

/// A TCP port nobody uses (right now), for a server a test starts.
///
/// Taken below the kernel's ephemeral range (32768 and up), where a port
/// handed out by `bind(…:0)` is also the next one any outgoing connection
/// (each test's database pools) may take before the server binds it. Ports
/// are tried from a place that differs per process and per call.
pub fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static CALLS: AtomicU32 = AtomicU32::new(0);
    const LOW: u32 = 20_000;
    const SPAN: u32 = 12_000;
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let start =
        std::process::id().wrapping_mul(7_919) ^ nanos ^ CALLS.fetch_add(1, Ordering::Relaxed).wrapping_mul(104_729);
    (0..SPAN)
        .map(|i| u16::try_from(LOW + (start.wrapping_add(i.wrapping_mul(2_503))) % SPAN).expect("below 32768"))
        .find(|p| TcpListener::bind(("127.0.0.1", *p)).is_ok())
        .unwrap_or_else(|| TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port())
}

/// The machine's PostgreSQL (trust auth) for tests.
pub fn admin_url() -> String {
    std::env::var("MARKETDESK_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// How long the private cluster makes a failed authentication wait.
pub const AUTH_DELAY_MS: u64 = 300;

/// A private PostgreSQL cluster that demands SCRAM-SHA-256 passwords, on a free
/// port, stopped and deleted on drop.
pub struct PrivateCluster {
    pub port: u16,
    pub password: String,
    dir: tempfile::TempDir,
    opts: String,
}

fn pg_bin(name: &str) -> PathBuf {
    let base = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<PathBuf> =
        std::fs::read_dir(base).expect("PostgreSQL server binaries").flatten().map(|e| e.path()).collect();
    versions.sort();
    versions.last().expect("a PostgreSQL version").join("bin").join(name)
}

fn as_postgres(program: &Path, args: &[&str]) -> Output {
    // initdb refuses to run as root; the server files belong to the postgres user.
    let root = unsafe_is_root();
    let mut cmd = if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    };
    cmd.args(args).output().expect("run PostgreSQL tool")
}

fn unsafe_is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

impl PrivateCluster {
    pub fn start() -> PrivateCluster {
        Self::start_with("")
    }

    /// [`PrivateCluster::start`] with more server options (`-c name=value …`).
    pub fn start_with(server_options: &str) -> PrivateCluster {
        let dir = tempfile::Builder::new().prefix("md-pg-").tempdir().expect("cluster dir");
        let data = dir.path().join("data");
        let password = format!("pw-{}", uuid::Uuid::now_v7().simple());
        let pwfile = dir.path().join("pwfile");
        std::fs::write(&pwfile, &password).unwrap();
        if unsafe_is_root() {
            Command::new("chown").args(["-R", "postgres:postgres"]).arg(dir.path()).status().expect("chown");
        }
        let out = as_postgres(
            &pg_bin("initdb"),
            &[
                "-D",
                data.to_str().unwrap(),
                "-U",
                "postgres",
                "--auth-local=scram-sha-256",
                "--auth-host=scram-sha-256",
                "--pwfile",
                pwfile.to_str().unwrap(),
            ],
        );
        assert!(out.status.success(), "initdb: {}", String::from_utf8_lossy(&out.stderr));
        let port = free_port();
        // auth_delay slows every failed authentication down, as production should.
        let opts = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_preload_libraries=auth_delay -c auth_delay.milliseconds={AUTH_DELAY_MS} {server_options}",
            dir.path().display()
        );
        let log = dir.path().join("log");
        let out = as_postgres(
            &pg_bin("pg_ctl"),
            &["-D", data.to_str().unwrap(), "-o", &opts, "-l", log.to_str().unwrap(), "-w", "start"],
        );
        assert!(out.status.success(), "pg_ctl start: {}", String::from_utf8_lossy(&out.stderr));
        PrivateCluster { port, password, dir, opts }
    }

    /// URL of `database` as the cluster's superuser with `password`.
    pub fn url(&self, password: &str, database: &str) -> String {
        format!("postgres://postgres:{password}@127.0.0.1:{}/{database}", self.port)
    }
}

impl PrivateCluster {
    /// Starts the server again after [`PrivateCluster::stop`], on the same port.
    pub fn start_again(&self) {
        let data = self.dir.path().join("data");
        let log = self.dir.path().join("log");
        let out = as_postgres(
            &pg_bin("pg_ctl"),
            &["-D", data.to_str().unwrap(), "-o", &self.opts, "-l", log.to_str().unwrap(), "-w", "start"],
        );
        assert!(out.status.success(), "pg_ctl start: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// A streaming replica of this cluster: its data copied by `pg_basebackup`
    /// (with the standby settings it writes), started on a free port of its
    /// own; the same superuser and password, read-only.
    pub fn start_replica(&self) -> PrivateCluster {
        let dir = tempfile::Builder::new().prefix("md-pg-replica-").tempdir().expect("replica dir");
        if unsafe_is_root() {
            Command::new("chown").args(["-R", "postgres:postgres"]).arg(dir.path()).status().expect("chown");
        }
        let data = dir.path().join("data");
        let source = format!("host=127.0.0.1 port={} user=postgres password={}", self.port, self.password);
        let out = as_postgres(
            &pg_bin("pg_basebackup"),
            &["-D", data.to_str().unwrap(), "-d", &source, "-R", "-X", "stream", "-c", "fast"],
        );
        assert!(out.status.success(), "pg_basebackup: {}", String::from_utf8_lossy(&out.stderr));
        let port = free_port();
        let opts = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c hot_standby=on",
            dir.path().display()
        );
        let log = dir.path().join("log");
        let out = as_postgres(
            &pg_bin("pg_ctl"),
            &["-D", data.to_str().unwrap(), "-o", &opts, "-l", log.to_str().unwrap(), "-w", "start"],
        );
        assert!(out.status.success(), "pg_ctl start (replica): {}", String::from_utf8_lossy(&out.stderr));
        PrivateCluster { port, password: self.password.clone(), dir, opts }
    }

    /// Shuts the server down at once (a desktop then finds it out of reach).
    pub fn stop(&self) {
        let data = self.dir.path().join("data");
        let _ =
            as_postgres(&pg_bin("pg_ctl"), &["-D", data.to_str().unwrap_or_default(), "-m", "immediate", "-w", "stop"]);
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        self.stop();
    }
}
