//! `marketdesk sync` headless: a round makes the copy (encrypted, its key in
//! the keychain — a session keyring here), and `sync status` says where it
//! stands. A sync process killed after the server committed a pushed change
//! but before its answer arrived loses nothing and applies nothing twice.

use marketdesk_core::store::OpenOptions;
use marketdesk_core::store::local_copy::open_local_copy;
use marketdesk_core::store::location;
use marketdesk_core::sync::Mutation;
use marketdesk_core::sync::outbox::record;
use marketdesk_core::sync::status::status;
use marketdesk_test_support::fault_proxy::FaultProxy;
use marketdesk_test_support::marketdesk_bin;
use marketdesk_test_support::marketplace::{PASSWORD, site};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_makes_the_copy_and_says_where_it_stands() {
    let mut site = site().await;
    site.person("admin@marketdesk.demo").await;
    let home = tempfile::tempdir().unwrap();
    let copy = home.path().join("copy.sqlite");
    let bin = marketdesk_bin();
    let url = format!("sqlite://{}", copy.display());
    let server = format!("postgres://127.0.0.1:{}/postgres", site.cluster.port);
    // One keyring session for both runs: the copy's key lives there.
    let script = format!(
        "'{bin}' --database-url '{url}' migrate >/dev/null && \
         printf '%s\\n' \"$PW\" | '{bin}' --database-url '{url}' sync run --server '{server}' --user admin && \
         '{bin}' --database-url '{url}' sync status",
        bin = bin.display()
    );
    let out = Command::new("keyctl")
        .args(["session", "-", "sh", "-c", &script])
        .env("PW", PASSWORD)
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("NO_COLOR", "1")
        .env_remove("MARKETDESK_DATABASE_URL")
        .output()
        .expect("run keyctl");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("Pushed: 0 applied"), "{stdout}");
    assert!(stdout.contains("First copy: copied"), "{stdout}");
    assert!(stdout.contains("Copy:        ready"), "{stdout}");
    assert!(stdout.contains("Waiting:     0"), "{stdout}");
    let head = std::fs::read(&copy).unwrap();
    assert!(!head.starts_with(b"SQLite format 3"), "the copy on disk is encrypted");
}

/// Gives this thread (and every thread and process it starts from now on) a
/// new session keyring of its own, as `keyctl session -` does for a command:
/// the kernel keyring works only inside one, and the test process opens the
/// copy the command line made with the key kept there.
fn join_new_session_keyring() {
    const KEYCTL_JOIN_SESSION_KEYRING: libc::c_long = 1;
    // SAFETY: keyctl(JOIN_SESSION_KEYRING, NULL) reads no memory of ours.
    let id = unsafe { libc::syscall(libc::SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, std::ptr::null::<libc::c_char>()) };
    assert!(id >= 0, "join a session keyring: {}", std::io::Error::last_os_error());
}

/// `marketdesk --database-url <copy> …` with its own home, ready to start.
fn md(home: &Path, url: &str, args: &[&str]) -> tokio::process::Command {
    let mut c = tokio::process::Command::new(marketdesk_bin());
    c.arg("--database-url")
        .arg(url)
        .args(args)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("NO_COLOR", "1")
        .env_remove("MARKETDESK_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    c
}

/// Runs `marketdesk sync run` against `server` as the admin, to the end.
async fn sync_run(home: &Path, url: &str, server: &str) -> String {
    let mut child = md(home, url, &["sync", "run", "--server", server, "--user", "admin"]).spawn().unwrap();
    child.stdin.take().unwrap().write_all(format!("{PASSWORD}\n").as_bytes()).await.unwrap();
    let out = child.wait_with_output().await.unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stdout}\n{stderr}");
    stdout.into_owned()
}

#[test]
fn a_sync_killed_between_the_servers_commit_and_its_answer_applies_nothing_twice() {
    join_new_session_keyring();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(killed_mid_push());
}

async fn killed_mid_push() {
    let mut site = site().await;
    let admin = site.person("admin@marketdesk.demo").await;
    let home = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", home.path().join("copy.sqlite").display());
    let direct = format!("postgres://127.0.0.1:{}/postgres", site.cluster.port);
    let migrated = md(home.path(), &url, &["migrate"]).output().await.unwrap();
    assert!(migrated.status.success(), "{}", String::from_utf8_lossy(&migrated.stderr));
    assert!(sync_run(home.path(), &url, &direct).await.contains("First copy: copied"));

    // Offline: five stock counts queued on the copy, with the key the command line keeps.
    let loc = location::resolve(Some(&url)).unwrap();
    let copy = open_local_copy(&loc, true, OpenOptions::create()).await.unwrap();
    assert!(copy.encrypted && !copy.is_scratch());
    let variant: uuid::Uuid = sqlx::query_scalar("SELECT id FROM product_variants ORDER BY id LIMIT 1")
        .fetch_one(copy.store.sqlite_pool().unwrap())
        .await
        .unwrap();
    for _ in 0..5 {
        record(&copy.store, admin.id, &Mutation::stock(variant, 1)).await.unwrap();
    }
    copy.store.close().await;
    let stock = format!("SELECT stock_on_hand::bigint FROM product_variants WHERE id = '{variant}'");
    let before = site.scalar(&stock).await;

    // A sync through the proxy: the first change's COMMIT reaches the server,
    // its answer is held, and the process is killed while it waits.
    let proxy = FaultProxy::start(site.cluster.port).await;
    proxy.faults.stall_after_commit.store(true, Ordering::SeqCst);
    let via_proxy = format!("postgres://127.0.0.1:{}/postgres", proxy.port);
    let mut child = md(home.path(), &url, &["sync", "run", "--server", &via_proxy, "--user", "admin"]).spawn().unwrap();
    child.stdin.take().unwrap().write_all(format!("{PASSWORD}\n").as_bytes()).await.unwrap();
    let started = std::time::Instant::now();
    while site.scalar("SELECT count(*) FROM sync_applied_mutations").await == 0 {
        assert!(started.elapsed() < Duration::from_secs(120), "the first change never committed");
        assert!(child.try_wait().unwrap().is_none(), "the sync ended before its first change committed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(proxy.faults.commits_held.load(Ordering::SeqCst), 1);
    child.start_kill().unwrap();
    let killed = child.wait().await.unwrap();
    assert_eq!(std::os::unix::process::ExitStatusExt::signal(&killed), Some(libc::SIGKILL));
    proxy.faults.stall.store(false, Ordering::SeqCst);
    assert_eq!(site.scalar(&stock).await - before, 1, "the server holds the first change");

    // The copy still has all five queued: the acknowledgement never came.
    let copy = open_local_copy(&loc, true, OpenOptions::create()).await.unwrap();
    assert_eq!(status(&copy.store).await.unwrap().pending, 5);
    copy.store.close().await;

    // The next sync sends all five; the first is found already applied.
    let out = sync_run(home.path(), &url, &direct).await;
    assert!(out.contains("Pushed: 5 applied (1 found already on the server"), "{out}");
    assert_eq!(site.scalar(&stock).await - before, 5, "each change applied exactly once");
    assert_eq!(site.scalar("SELECT count(*) FROM sync_applied_mutations").await, 5);
    let copy = open_local_copy(&loc, true, OpenOptions::create()).await.unwrap();
    let s = status(&copy.store).await.unwrap();
    assert_eq!((s.pending, s.conflicts, s.parked), (0, 0, 0));
}
