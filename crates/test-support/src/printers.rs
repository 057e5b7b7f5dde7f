//! Printers for tests: a private `cupsd` on a free port (its own folders,
//! queues added with `lpadmin`), and a TCP listener that stands in for a
//! thermal printer's raw port and keeps every byte it receives.

use crate::free_port;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

/// A printer's raw port: each connection's bytes, in the order they came.
pub struct RawPrinter {
    /// Its port on 127.0.0.1.
    pub port: u16,
    jobs: Arc<Mutex<Vec<Vec<u8>>>>,
    task: tokio::task::JoinHandle<()>,
}

impl RawPrinter {
    /// Listens on a free port of 127.0.0.1.
    pub async fn start() -> RawPrinter {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind raw printer");
        let port = listener.local_addr().expect("address").port();
        let jobs = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&jobs);
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut conn, _)) = listener.accept().await else { return };
                let kept = Arc::clone(&kept);
                tokio::spawn(async move {
                    let mut bytes = Vec::new();
                    if conn.read_to_end(&mut bytes).await.is_ok() {
                        kept.lock().expect("jobs").push(bytes);
                    }
                });
            }
        });
        RawPrinter { port, jobs, task }
    }

    /// `127.0.0.1:port`.
    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Every connection's bytes received so far.
    pub fn jobs(&self) -> Vec<Vec<u8>> {
        self.jobs.lock().expect("jobs").clone()
    }

    /// Waits up to `within` for `count` connections to have ended.
    pub async fn wait_for(&self, count: usize, within: Duration) -> Vec<Vec<u8>> {
        let started = Instant::now();
        while self.jobs().len() < count && started.elapsed() < within {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        self.jobs()
    }
}

impl Drop for RawPrinter {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A private CUPS server on a free port of 127.0.0.1, stopped and deleted on drop.
pub struct PrivateCups {
    /// Its port.
    pub port: u16,
    child: Child,
    dir: tempfile::TempDir,
}

fn cupsd() -> PathBuf {
    let path = PathBuf::from("/usr/sbin/cupsd");
    assert!(path.exists(), "cupsd is missing: install the Debian packages cups and cups-client (cargo xtask setup)");
    path
}

impl PrivateCups {
    /// Starts `cupsd` in the foreground with its own configuration, spool and logs.
    pub fn start() -> PrivateCups {
        let dir = tempfile::Builder::new().prefix("md-cups-").tempdir().expect("cups dir");
        let root = dir.path();
        for sub in ["spool", "cache", "state", "log", "ppd", "ssl"] {
            std::fs::create_dir_all(root.join(sub)).expect("cups folder");
        }
        // The backends run as lp and must reach the spool through this folder.
        set_mode(root, 0o755);
        let port = free_port();
        std::fs::write(
            root.join("cupsd.conf"),
            format!(
                "Listen 127.0.0.1:{port}\nLogLevel warn\nWebInterface no\nBrowsing no\nDefaultAuthType None\n\
                 JobRetryInterval 1\nMaxJobTime 0\n\
                 <Location />\n  Order allow,deny\n  Allow all\n</Location>\n\
                 <Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n\
                 <Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
            ),
        )
        .expect("cupsd.conf");
        let r = root.display();
        std::fs::write(
            root.join("cups-files.conf"),
            format!(
                "ServerRoot {r}\nRequestRoot {r}/spool\nCacheDir {r}/cache\nStateDir {r}/state\nServerKeychain {r}/ssl\n\
                 AccessLog {r}/log/access_log\nErrorLog {r}/log/error_log\nPageLog {r}/log/page_log\nTempDir {r}/spool\n\
                 DataDir /usr/share/cups\nServerBin /usr/lib/cups\nUser lp\nGroup lp\nSystemGroup root\n"
            ),
        )
        .expect("cups-files.conf");
        let child = Command::new(cupsd())
            .args(["-f", "-c"])
            .arg(root.join("cupsd.conf"))
            .arg("-s")
            .arg(root.join("cups-files.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start cupsd");
        let cups = PrivateCups { port, child, dir };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "cupsd did not start: {}", cups.error_log());
            std::thread::sleep(Duration::from_millis(50));
        }
        cups
    }

    /// `127.0.0.1:port`, as discovery takes it.
    pub fn server(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The URI to print to `queue`.
    pub fn queue_uri(&self, queue: &str) -> String {
        format!("ipp://127.0.0.1:{}/printers/{queue}", self.port)
    }

    fn admin(&self, program: &str, args: &[&str]) {
        let out = Command::new(program)
            .args(args)
            .env("CUPS_SERVER", self.server())
            .output()
            .unwrap_or_else(|e| panic!("{program}: {e}"));
        assert!(
            out.status.success(),
            "{program} {args:?}: {}{}",
            String::from_utf8_lossy(&out.stderr),
            self.error_log()
        );
    }

    /// Adds a raw queue `name` that hands every job, untouched, to the raw
    /// printer at `target` (`host:port`).
    pub fn add_raw_queue(&self, name: &str, target: &str) {
        let uri = format!("socket://{target}");
        self.admin("lpadmin", &["-p", name, "-E", "-v", &uri, "-m", "raw", "-o", "printer-error-policy=abort-job"]);
    }

    /// Pauses `queue` (it keeps jobs but prints none).
    pub fn pause(&self, queue: &str) {
        self.admin("cupsdisable", &["-r", "paused by the test", queue]);
    }

    /// Makes `queue` refuse new jobs.
    pub fn reject(&self, queue: &str) {
        self.admin("cupsreject", &["-r", "rejecting by the test", queue]);
    }

    /// The server's error log, for failure messages.
    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("log/error_log")).unwrap_or_default()
    }

    /// Its folder.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

impl Drop for PrivateCups {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
