//! The `marketdesk` binary as a person uses it: each broken setup is one clear
//! line and a non-zero exit; the embedded default works from nothing.

use marketdesk_tests::{PrivateCluster, admin_url, free_port, marketdesk};
use sqlx::Connection;

fn one_error_line(run: &marketdesk_tests::Run) -> &str {
    assert_ne!(run.code, 0, "should have failed; stdout: {}", run.stdout);
    let lines: Vec<&str> = run.stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "exactly one line on stderr, got: {:?}", run.stderr);
    assert!(lines[0].starts_with("error: "), "{}", lines[0]);
    lines[0]
}

#[test]
fn a_bad_url_is_named() {
    let home = tempfile::tempdir().unwrap();
    // A stand-in password, made here so no credential-bearing URL is written in the source.
    let password = "not-a-real-password";
    for (url, says) in [
        ("mysql://root@localhost/db".to_owned(), "neither postgres"),
        ("sqlite://".to_owned(), "needs a file path"),
        (format!("postgres://user:{password}@/db"), "no server host"),
    ] {
        let run = marketdesk(home.path(), &["--database-url", &url, "migrate"]);
        let line = one_error_line(&run);
        assert!(line.contains("bad database URL") && line.contains(says), "{url}: {line}");
        assert!(!line.contains(password), "password echoed: {line}");
    }
    let missing = home.path().join("nope.sqlite");
    let run = marketdesk(home.path(), &["--database-url", &format!("sqlite://{}", missing.display()), "overview"]);
    assert!(one_error_line(&run).contains("no database file"));
    assert!(!missing.exists(), "nothing created on a read");
}

#[test]
fn an_unreachable_server_is_named() {
    let home = tempfile::tempdir().unwrap();
    let port = free_port();
    let url = format!("postgres://postgres@127.0.0.1:{port}/marketdesk");
    let line = one_error_line(&marketdesk(home.path(), &["--database-url", &url, "migrate"])).to_owned();
    assert!(line.contains(&format!("cannot reach the database server at 127.0.0.1:{port}")), "{line}");
    let doctor = marketdesk(home.path(), &["--database-url", &url, "doctor"]);
    assert_eq!(doctor.code, 1);
    assert!(
        doctor.stdout.lines().any(|l| l.starts_with("FAIL") && l.contains("database") && l.contains("cannot reach")),
        "{}",
        doctor.stdout
    );
}

#[test]
fn a_wrong_password_is_named_and_the_right_one_works() {
    let cluster = PrivateCluster::start();
    let home = tempfile::tempdir().unwrap();
    let wrong = cluster.url("not-the-password", "postgres");
    let line = one_error_line(&marketdesk(home.path(), &["--database-url", &wrong, "migrate"])).to_owned();
    assert!(line.contains("refused the password for user “postgres”"), "{line}");
    assert!(!line.contains("not-the-password"));

    let missing_db = cluster.url(&cluster.password, "no_such_db");
    let line = one_error_line(&marketdesk(home.path(), &["--database-url", &missing_db, "migrate"])).to_owned();
    assert!(line.contains("database “no_such_db” does not exist"), "{line}");

    let right = cluster.url(&cluster.password, "postgres");
    let run = marketdesk(home.path(), &["--database-url", &right, "seed", "--orders", "10"]);
    assert!(one_error_line(&run).contains("run `marketdesk migrate`"), "seeding an unmigrated server is refused");
    let run = marketdesk(home.path(), &["--database-url", &right, "migrate"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let carried = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/postgres")).unwrap().count();
    assert!(run.stdout.contains(&format!("applied {carried} migration")), "{}", run.stdout);
    assert!(!run.stdout.contains(&cluster.password), "password shown: {}", run.stdout);
}

#[test]
fn a_newer_schema_is_refused_and_left_alone() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("md.sqlite");
    let url = format!("sqlite://{}", file.display());
    assert_eq!(marketdesk(home.path(), &["--database-url", &url, "migrate"]).code, 0);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", file.display())).await.unwrap();
        sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (20990101000000, 'future', 1, x'00', 1)")
            .execute(&mut conn)
            .await
            .unwrap();
    });
    for cmd in ["migrate", "seed", "overview"] {
        let line = one_error_line(&marketdesk(home.path(), &["--database-url", &url, cmd])).to_owned();
        assert!(line.contains("schema is at version 20990101000000, newer than this Marketdesk"), "{cmd}: {line}");
    }
    let doctor = marketdesk(home.path(), &["--database-url", &url, "doctor"]);
    assert_eq!(doctor.code, 1);
    assert!(doctor.stdout.contains("newer than this Marketdesk"), "{}", doctor.stdout);
    let users: i64 = rt.block_on(async {
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&mut conn).await.unwrap()
    });
    assert_eq!(users, 0, "nothing was seeded");
}

#[test]
fn the_embedded_default_is_created_seeded_and_diagnosed() {
    let home = tempfile::tempdir().unwrap();
    let run = marketdesk(home.path(), &["overview"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("No orders yet"), "{}", run.stdout);
    let file = home.path().join("data/marketdesk/marketdesk.sqlite");
    assert!(file.exists(), "default database at {}", file.display());

    let run = marketdesk(home.path(), &["seed", "--orders", "400", "--end", "2026-05-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for role in ["admin", "vendor", "logistics", "finance"] {
        assert!(run.stdout.contains(&format!("{role}@marketdesk.demo")), "{}", run.stdout);
    }
    assert!(run.stdout.contains("password: marketdesk-demo"));

    let again = marketdesk(home.path(), &["seed", "--orders", "400"]);
    assert!(one_error_line(&again).contains("--reset"));
    let reset = marketdesk(home.path(), &["seed", "--orders", "300", "--end", "2026-05-01", "--reset"]);
    assert_eq!(reset.code, 0, "{}", reset.stderr);
    let overview = marketdesk(home.path(), &["overview"]);
    assert!(
        overview.stdout.lines().any(|l| l.trim_start().starts_with("orders") && l.trim_end().ends_with(" 300")),
        "{}",
        overview.stdout
    );
    assert!(overview.stdout.contains("MD-0000300"), "{}", overview.stdout);

    // The seed built the rollups; a rebuild recomputes the same rows.
    let rebuilt = marketdesk(home.path(), &["rollups", "rebuild"]);
    assert_eq!(rebuilt.code, 0, "{}", rebuilt.stderr);
    let rows: u64 = rebuilt
        .stdout
        .split("rollups: ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(rows > 100, "{}", rebuilt.stdout);

    let doctor = marketdesk(home.path(), &["doctor", "--json"]);
    assert_eq!(doctor.code, 0, "{}{}", doctor.stdout, doctor.stderr);
    let checks: Vec<serde_json::Value> = serde_json::from_str(&doctor.stdout).unwrap();
    let verdict =
        |name: &str| checks.iter().find(|c| c["name"] == name).map(|c| c["verdict"].as_str().unwrap_or("").to_owned());
    assert_eq!(verdict("database").as_deref(), Some("ok"));
    assert_eq!(verdict("schema").as_deref(), Some("ok"));
    assert_eq!(verdict("data").as_deref(), Some("ok"));
    assert!(verdict("keychain").is_some() && verdict("printers").is_some());

    // A report printed as a table, one written as XLSX, and a statement as PDF.
    let report = marketdesk(home.path(), &["report", "commissions", "--from", "2025-11-01", "--to", "2026-04-30"]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    assert!(report.stdout.starts_with("Commissions by vendor (USD)"), "{}", report.stdout);
    assert!(report.stdout.lines().any(|l| l.starts_with("Total ")), "{}", report.stdout);
    let xlsx = home.path().join("orders.xlsx");
    let report = marketdesk(
        home.path(),
        &[
            "report",
            "orders",
            "--from",
            "2025-11-01",
            "--to",
            "2026-04-30",
            "--grain",
            "quarter",
            "--out",
            xlsx.to_str().unwrap(),
            "--format",
            "xlsx",
        ],
    );
    assert_eq!(report.code, 0, "{}", report.stderr);
    assert_eq!(&std::fs::read(&xlsx).unwrap()[..2], b"PK");
    let bad = marketdesk(home.path(), &["report", "mrr", "--from", "2026-01-01", "--to", "2026-02-01"]);
    assert!(one_error_line(&bad).contains("subscriptions"), "{}", bad.stderr);
    let pdf = home.path().join("statement.pdf");
    let statement = marketdesk(
        home.path(),
        &[
            "statement",
            "--vendor",
            "vendor",
            "--from",
            "2025-11-01",
            "--to",
            "2026-04-30",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert_eq!(statement.code, 0, "{}", statement.stderr);
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let nobody = marketdesk(
        home.path(),
        &["statement", "--vendor", "nobody", "--from", "2026-01-01", "--to", "2026-02-01", "--out", "x.pdf"],
    );
    assert!(one_error_line(&nobody).contains("nobody"), "{}", nobody.stderr);
}

#[test]
fn doctor_names_an_unmigrated_server() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let name = format!("md_t_{}", uuid::Uuid::now_v7().simple());
    rt.block_on(async {
        let mut admin = sqlx::PgConnection::connect(&admin_url()).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
    });
    let mut url = url::Url::parse(&admin_url()).unwrap();
    url.set_path(&format!("/{name}"));
    let home = tempfile::tempdir().unwrap();
    let doctor = marketdesk(home.path(), &["--database-url", url.as_str(), "doctor"]);
    assert_eq!(doctor.code, 1);
    assert!(
        doctor
            .stdout
            .lines()
            .any(|l| l.starts_with("FAIL") && l.contains("schema") && l.contains("marketdesk migrate")),
        "{}",
        doctor.stdout
    );
    rt.block_on(async {
        let mut admin = sqlx::PgConnection::connect(&admin_url()).await.unwrap();
        // Doctor only looked: it did not even create sqlx's bookkeeping table.
        let mut conn = sqlx::PgConnection::connect(url.as_str()).await.unwrap();
        let tracked: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert!(!tracked);
        drop(conn);
        sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)")).execute(&mut admin).await.unwrap();
    });
}

#[test]
fn an_admin_gives_a_seeded_person_a_sign_in_and_they_use_it() {
    let cluster = PrivateCluster::start();
    let home = tempfile::tempdir().unwrap();
    let owner = cluster.url(&cluster.password, "postgres");
    assert_eq!(marketdesk(home.path(), &["--database-url", &owner, "migrate"]).code, 0);
    let seeded = marketdesk(home.path(), &["--database-url", &owner, "seed", "--orders", "50", "--end", "2026-01-01"]);
    assert_eq!(seeded.code, 0, "{}", seeded.stderr);
    let with_stdin = |args: &[&str], input: &str| -> marketdesk_tests::Run {
        use std::io::Write;
        let mut child = std::process::Command::new(marketdesk_tests::marketdesk_bin())
            .args(args)
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        child.wait_with_output().unwrap().into()
    };
    let enabled = with_stdin(
        &["--database-url", &owner, "users", "enable-login", "--username", "logistics"],
        "a-long-demo-password\n",
    );
    assert_eq!(enabled.code, 0, "{}", enabled.stderr);
    assert!(enabled.stdout.contains("logistics can now sign in (database role md_u_logistics)"), "{}", enabled.stdout);
    let again = with_stdin(
        &["--database-url", &owner, "users", "enable-login", "--username", "logistics"],
        "a-long-demo-password\n",
    );
    assert!(one_error_line(&again).contains("already has a sign-in"));
    let nobody = with_stdin(
        &["--database-url", &owner, "users", "enable-login", "--username", "ghost"],
        "a-long-demo-password\n",
    );
    assert!(one_error_line(&nobody).contains("no user with the username “ghost”"));
    let server = format!("postgres://127.0.0.1:{}/postgres", cluster.port);
    let signed = with_stdin(&["sign-in", "--server", &server, "--user", "logistics"], "a-long-demo-password\n");
    assert_eq!(signed.code, 0, "{}", signed.stderr);
    assert!(
        signed.stdout.contains("Signed in as Lou Logistics (logistics, logistics@marketdesk.demo)."),
        "{}",
        signed.stdout
    );
    let doctor = marketdesk(home.path(), &["--database-url", &owner, "doctor"]);
    assert!(doctor.stdout.lines().any(|l| l.starts_with("ok") && l.contains("sign-in guard")), "{}", doctor.stdout);
}

/// A reader that goes away (`marketdesk … | head`) ends the program as it ends
/// any Unix tool, by the closed pipe's signal, not with a panic.
#[test]
fn a_closed_output_pipe_ends_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let home = tempfile::tempdir().unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let file = home.path().join("piped.sqlite");
    let out = std::process::Command::new(marketdesk_tests::marketdesk_bin())
        .args(["--database-url", &format!("sqlite://{}", file.display()), "migrate"])
        .env("HOME", home.path())
        .stdout(writer)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.signal(), Some(SIGPIPE), "{:?} {stderr}", out.status);
}

/// SIGPIPE on Linux.
const SIGPIPE: i32 = 13;
