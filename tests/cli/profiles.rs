//! Deployment profiles from the command line: an unknown profile is named;
//! production refuses an embedded SQLite file, a remote database without
//! TLS, a password in the URL (never repeated), integrations pointed at a
//! test double, and demo data — before touching anything; staging says the
//! same as warnings and runs; doctor lists the problems as its profile check.

use marketdesk_test_support::{Run, marketdesk_bin};
use std::process::Command;

fn run(home: &std::path::Path, profile: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(marketdesk_bin());
    cmd.args(args)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("NO_COLOR", "1")
        .env("MARKETDESK_PROFILE", profile)
        .env_remove("MARKETDESK_DATABASE_URL");
    for v in marketdesk_core::profile::ENDPOINT_VARS {
        cmd.env_remove(v);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap().into()
}

#[test]
fn production_refuses_what_a_live_marketplace_must_never_do() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let logs = h.join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let logs = logs.to_str().unwrap();

    let unknown = run(h, "prod", &["overview"], &[]);
    assert_ne!(unknown.code, 0);
    assert!(
        unknown.stderr.contains("MARKETDESK_PROFILE=prod: choose demo, staging or production"),
        "{}",
        unknown.stderr
    );

    let lite = run(h, "production", &["overview"], &[]);
    assert_ne!(lite.code, 0);
    assert!(lite.stderr.contains("the central database is PostgreSQL, not the SQLite file"), "{}", lite.stderr);
    assert!(!h.join("data").exists(), "nothing was created before the refusal");

    let pw = format!("pw{}", 7 * 6);
    let remote = format!("postgres://md:{pw}@db.example.invalid/marketdesk");
    let refused = run(h, "production", &["--database-url", &remote, "overview"], &[]);
    assert_ne!(refused.code, 0);
    assert!(refused.stderr.contains("db.example.invalid is reached without TLS"), "{}", refused.stderr);
    assert!(refused.stderr.contains("holds a password"), "{}", refused.stderr);
    assert!(!refused.stderr.contains(&pw), "the password is not repeated: {}", refused.stderr);

    // Commands without a database are held to the integration rules only.
    assert_eq!(run(h, "production", &["logs", "--dir", logs], &[]).code, 0);
    let fake = run(h, "production", &["logs", "--dir", logs], &[("MARKETDESK_STRIPE_API", "http://127.0.0.1:9")]);
    assert_ne!(fake.code, 0);
    assert!(fake.stderr.contains("MARKETDESK_STRIPE_API points at http://127.0.0.1:9"), "{}", fake.stderr);

    // Staging warns and runs.
    let file = h.join("staging.sqlite");
    let url = format!("sqlite://{}", file.display());
    assert_eq!(run(h, "demo", &["--database-url", &url, "migrate"], &[]).code, 0);
    let seeded = run(h, "staging", &["--database-url", &url, "seed", "--orders", "20"], &[]);
    assert_eq!(seeded.code, 0, "{}", seeded.stderr);
    assert!(seeded.stderr.contains("warning: staging: the central database is PostgreSQL"), "{}", seeded.stderr);
    assert!(seeded.stderr.contains("warning: staging: demo data is for demo machines"), "{}", seeded.stderr);
    let refused_seed = run(h, "production", &["--database-url", &url, "seed", "--orders", "20"], &[]);
    assert_ne!(refused_seed.code, 0);
    assert!(refused_seed.stderr.contains("production: demo data is for demo machines"), "{}", refused_seed.stderr);

    // Doctor looks anyway and fails on the profile.
    let doctor = run(h, "production", &["--database-url", &url, "doctor"], &[]);
    assert_eq!(doctor.code, 1);
    assert!(
        doctor
            .stdout
            .lines()
            .any(|l| l.starts_with("FAIL") && l.contains("profile") && l.contains("not the SQLite file")),
        "{}",
        doctor.stdout
    );
    let fine = run(h, "demo", &["--database-url", &url, "doctor"], &[]);
    assert!(
        fine.stdout.lines().any(|l| l.starts_with("ok") && l.contains("profile") && l.contains("demo")),
        "{}",
        fine.stdout
    );
}
