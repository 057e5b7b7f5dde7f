//! The OS keychain for real: the kernel keyring inside a fresh session keyring
//! (`keyctl session -`). Keys go in, doctor sees them, and they appear in no file,
//! database or output.

use marketdesk_test_support::{PrivateCluster, assert_absent_from_files, marketdesk_bin};
use std::process::Command;

#[test]
fn integration_keys_live_in_the_keychain_and_nowhere_else() {
    let home = tempfile::tempdir().unwrap();
    let bin = marketdesk_bin();
    let secret = format!("sk_test_{}", uuid::Uuid::now_v7().simple());
    // One session keyring for the whole conversation, as a desktop session has.
    let script = format!(
        r#"set -e
        md() {{ "{bin}" "$@"; }}
        md migrate
        echo "{secret}" | md secret set stripe
        md secret list
        md doctor --json
        echo "{secret}" | md secret set resend || echo "refused a Stripe key as the Resend key"
        echo "re_{resend}" | md secret set resend
        md secret delete resend
        md secret list
        md secret set nosuch < /dev/null || echo "refused unknown integration"
        "#,
        bin = bin.display(),
        resend = uuid::Uuid::now_v7().simple(),
    );
    let (stdout, stderr) = run_in(&["keyctl", "session", "-"], home.path(), &script);

    let find = |name: &str| doctor_check(&stdout, name);
    assert_eq!(find("keychain")["verdict"], "ok", "{stdout}");
    assert_eq!(find("Stripe")["detail"], "key configured");
    assert_eq!(find("Resend")["detail"], "not configured: the local provider is used");
    let lists: Vec<&str> = stdout.lines().filter(|l| l.starts_with("Resend ") && l.contains("configured")).collect();
    assert_eq!(lists.len(), 2);
    assert!(lists.iter().all(|l| l.ends_with("not configured")), "{lists:?}");
    assert!(stdout.lines().any(|l| l.starts_with("Stripe ") && l.ends_with(" configured") && !l.contains("not")));
    assert!(stdout.contains("refused unknown integration") && stderr.contains("no integration called “nosuch”"));
    assert!(
        stdout.contains("refused a Stripe key as the Resend key") && stderr.contains("a Resend key starts with re_")
    );

    // The key is in no output and in no file Marketdesk wrote (database, WAL, config).
    assert!(!stdout.contains(&secret) && !stderr.contains(&secret));
    let files = assert_absent_from_files(home.path(), &secret);
    assert!(files >= 1, "the local database exists and was searched");
}

#[test]
fn remember_me_keeps_the_password_in_the_keychain_only() {
    let cluster = PrivateCluster::start();
    let owner_url = cluster.url(&cluster.password, "postgres");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let password = format!("pw-{}", uuid::Uuid::now_v7().simple());
    rt.block_on(async {
        use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};
        use sqlx::Connection;
        let store = Store::open(&DatabaseUrl::parse(&owner_url).unwrap(), &OpenOptions::default()).await.unwrap();
        store.migrate(|_| {}).await.unwrap();
        let mut options = marketdesk_core::seed::SeedOptions::new(50);
        options.end = marketdesk_core::domain::Timestamp::parse("2026-01-01T00:00:00Z").unwrap();
        marketdesk_core::seed::seed(&store, &options, |_| {}).await.unwrap();
        store.close().await;
        let mut owner = sqlx::PgConnection::connect(&owner_url).await.unwrap();
        sqlx::query("SELECT md_enable_login(id, $1) FROM users WHERE username = 'finance'")
            .bind(&password)
            .execute(&mut owner)
            .await
            .unwrap();
    });
    let home = tempfile::tempdir().unwrap();
    let server = format!("postgres://127.0.0.1:{}/postgres", cluster.port);
    let script = format!(
        r#"set -e
        md() {{ "{bin}" "$@"; }}
        echo "{password}" | md sign-in --server "{server}" --user finance --remember
        md sign-in --server "{server}" --user finance < /dev/null
        md sign-in --server "{server}" --user finance --forget
        md sign-in --server "{server}" --user finance < /dev/null || echo "nothing remembered any more"
        echo "wrong-password-entirely" | md sign-in --server "{server}" --user finance || echo "wrong password refused"
        "#,
        bin = marketdesk_bin().display()
    );
    let out = Command::new("keyctl")
        .args(["session", "-", "bash", "-c", &script])
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .output()
        .expect("keyctl runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert_eq!(stdout.matches("Signed in as Fran Finance (finance, finance@marketdesk.demo).").count(), 2, "{stdout}");
    assert!(stdout.contains("nothing remembered any more") && stderr.contains("none remembered"), "{stdout}{stderr}");
    assert!(stdout.contains("wrong password refused") && stderr.contains("wrong sign-in name or password"), "{stderr}");
    assert!(!stdout.contains(&password) && !stderr.contains(&password));
    assert_absent_from_files(home.path(), &password);
}

#[test]
fn without_a_working_keychain_nothing_is_kept_and_it_says_so() {
    let home = tempfile::tempdir().unwrap();
    let secret = format!("sk_test_{}", uuid::Uuid::now_v7().simple());
    // A session keyring that has been revoked: the keychain refuses everything.
    let script = format!(
        r#"keyctl revoke @s >/dev/null; echo "{secret}" | "{bin}" secret set stripe"#,
        bin = marketdesk_bin().display()
    );
    let out = Command::new("keyctl")
        .args(["session", "-", "bash", "-c", &script])
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .output()
        .expect("keyctl runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "must fail without a keychain");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains("keychain"), "{}", errors[0]);
    assert!(!stderr.contains(&secret) && !String::from_utf8_lossy(&out.stdout).contains(&secret));
    assert!(std::fs::read_dir(home.path()).unwrap().next().is_none(), "no file was written instead");
}

/// A desktop session's keychain: GNOME Keyring over the Secret Service, in a
/// session bus of the test's own. Keys land there (not in the kernel keyring),
/// a second process of the session reads them, and no file holds them in clear.
#[test]
fn on_a_desktop_keys_go_to_the_secret_service() {
    let home = tempfile::tempdir().unwrap();
    let secret = format!("sk_test_{}", uuid::Uuid::now_v7().simple());
    let script = format!(
        r#"set -e
        echo -n keyring-unlock | gnome-keyring-daemon --unlock --components=secrets >/dev/null
        # The daemon takes its bus name a moment after it returns; a request
        # before that starts a second, locked daemon by D-Bus activation.
        for _ in $(seq 200); do
            dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
                org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
                | grep -q 'boolean true' && break
            sleep 0.05
        done
        md() {{ "{bin}" "$@"; }}
        md migrate >/dev/null
        echo "{secret}" | md secret set stripe
        md doctor --json
        md secret list
        "#,
        bin = marketdesk_bin().display()
    );
    let (stdout, stderr) = run_in(&["dbus-run-session", "--"], home.path(), &script);
    let find = |name: &str| doctor_check(&stdout, name);
    assert_eq!(
        find("keychain")["detail"],
        "secrets can be stored and read back in the desktop keychain (Secret Service)"
    );
    assert_eq!(find("Stripe")["detail"], "key configured", "a second process of the session reads it");
    assert!(stdout.lines().any(|l| l.starts_with("Stripe ") && l.ends_with(" configured") && !l.contains("not")));
    assert!(!stdout.contains(&secret) && !stderr.contains(&secret));
    // GNOME Keyring's own file is encrypted: the key is in clear in no file.
    let files = assert_absent_from_files(home.path(), &secret);
    assert!(files >= 1, "GNOME Keyring's store was searched");
}

/// Runs the bash `script` under `wrapper` (a keyring or bus session) with
/// `home` as its home and data folders; returns its output, failing the test
/// when it fails.
fn run_in(wrapper: &[&str], home: &std::path::Path, script: &str) -> (String, String) {
    // Sockets live outside `home`: a keyring daemon still exiting must not
    // change the folder the tests search afterwards.
    let runtime = tempfile::tempdir().unwrap();
    let out = Command::new(wrapper[0])
        .args(&wrapper[1..])
        .args(["bash", "-c", script])
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_RUNTIME_DIR", runtime.path())
        .env_remove("MARKETDESK_DATABASE_URL")
        .output()
        .unwrap_or_else(|e| panic!("{} runs: {e}", wrapper[0]));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "stdout:\n{stdout}\nstderr:\n{stderr}");
    (stdout, stderr)
}

/// The check called `name` in the `marketdesk doctor --json` output within `stdout`.
fn doctor_check(stdout: &str, name: &str) -> serde_json::Value {
    let start = stdout.find('[').expect("doctor JSON");
    let end = stdout.rfind(']').expect("doctor JSON");
    let checks: Vec<serde_json::Value> = serde_json::from_str(&stdout[start..=end]).expect("doctor JSON");
    checks.into_iter().find(|c| c["name"] == name).unwrap_or_default()
}
