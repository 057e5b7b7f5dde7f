//! `marketdesk sync` headless: a round makes the copy (encrypted, its key in
//! the keychain — a session keyring here), and `sync status` says where it stands.

use marketdesk_test_support::marketdesk_bin;
use marketdesk_test_support::marketplace::{PASSWORD, site};
use std::process::Command;

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
