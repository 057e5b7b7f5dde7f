//! The `marketdesk` binary as a person uses it: each broken setup is one clear
//! line and a non-zero exit; the embedded default works from nothing.

mod backup;
mod categories;
mod customers;
mod disputes;
mod lists;
mod manual_orders;
mod products;
mod profiles;
mod reviews;
mod vendors;

use marketdesk_test_support::{PrivateCluster, admin_url, free_port, marketdesk};
use sqlx::Connection;

fn one_error_line(run: &marketdesk_test_support::Run) -> &str {
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
    let with_stdin = |args: &[&str], input: &str| -> marketdesk_test_support::Run {
        use std::io::Write;
        let mut child = std::process::Command::new(marketdesk_test_support::marketdesk_bin())
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
    let out = std::process::Command::new(marketdesk_test_support::marketdesk_bin())
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

/// A SQLite file in `home`, migrated and seeded through the binary; its URL.
fn seeded_file(home: &std::path::Path) -> String {
    let url = format!("sqlite://{}", home.join("md.sqlite").display());
    for args in [&["migrate"][..], &["seed", "--orders", "200", "--end", "2026-05-01"]] {
        let run = marketdesk(home, &[&["--database-url", url.as_str()][..], args].concat());
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    }
    url
}

/// Every file below `dir` whose name ends in `.partial`.
fn partial_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(partial_files(&path));
        } else if path.to_string_lossy().ends_with(".partial") {
            found.push(path);
        }
    }
    found
}

fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// `--out` naming a folder, a file in a missing folder, or a period that ends
/// before it starts: one line, refused before any work, no file and no report
/// run left behind.
#[test]
fn exports_refuse_bad_targets_and_backwards_periods_and_leave_nothing_behind() {
    let home = tempfile::tempdir().unwrap();
    let url = seeded_file(home.path());
    let folder = home.path().join("exports");
    std::fs::create_dir(&folder).unwrap();
    let (dir, missing) = (folder.to_str().unwrap(), home.path().join("no/such/ledger.csv"));
    let period = ["--from", "2025-11-01", "--to", "2026-04-30"];
    let run = |args: &[&str]| marketdesk(home.path(), &[&["--database-url", url.as_str()][..], args].concat());
    for args in [
        vec!["export", "--out", dir],
        vec!["export", "--format", "xlsx", "--out", dir],
        [&["report", "commissions", "--out", dir][..], &period].concat(),
        [&["statement", "--vendor", "vendor", "--out", dir][..], &period].concat(),
    ] {
        let line = one_error_line(&run(&args)).to_owned();
        assert!(line.contains(&format!("cannot write to {dir}: it is a folder")), "{args:?}: {line}");
    }
    let line = one_error_line(&run(&["export", "--out", missing.to_str().unwrap()])).to_owned();
    assert!(line.contains(&format!("the folder {} does not exist", home.path().join("no/such").display())), "{line}");
    assert!(!home.path().join("no").exists(), "no folder made for an export");

    let out = home.path().join("backwards.csv");
    let backwards = ["--from", "2026-04-01", "--to", "2026-01-01", "--out", out.to_str().unwrap()];
    for args in [
        [&["export"][..], &backwards].concat(),
        [&["report", "orders"][..], &backwards].concat(),
        [&["statement", "--vendor", "vendor"][..], &backwards].concat(),
    ] {
        let line = one_error_line(&run(&args)).to_owned();
        assert!(line.contains("--from 2026-04-01 is after --to 2026-01-01"), "{args:?}: {line}");
        assert!(!out.exists(), "{args:?} wrote a file");
    }
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0, "nothing written into the folder");
    assert_eq!(partial_files(home.path()), Vec::<std::path::PathBuf>::new());
    let runs: Vec<(String, String)> = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query_as("SELECT kind, status FROM report_runs").fetch_all(&mut conn).await.unwrap()
    });
    assert!(runs.iter().all(|(_, status)| status != "running"), "{runs:?}");
}

/// The database file, exports, reports and statements the CLI writes are the
/// person's alone (0600).
#[test]
fn files_the_cli_writes_are_private() {
    let home = tempfile::tempdir().unwrap();
    let url = seeded_file(home.path());
    assert_eq!(mode(&home.path().join("md.sqlite")), 0o600);
    let period = ["--from", "2025-11-01", "--to", "2026-04-30"];
    let (csv, xlsx, pdf) = (home.path().join("l.csv"), home.path().join("r.xlsx"), home.path().join("s.pdf"));
    // A file already there with a wider mode is replaced by a private one.
    std::fs::write(&csv, "old").unwrap();
    for (args, file) in [
        (vec!["export", "--out", csv.to_str().unwrap()], &csv),
        ([&["report", "orders", "--format", "xlsx", "--out", xlsx.to_str().unwrap()][..], &period].concat(), &xlsx),
        ([&["statement", "--vendor", "vendor", "--out", pdf.to_str().unwrap()][..], &period].concat(), &pdf),
    ] {
        let run = marketdesk(home.path(), &[&["--database-url", url.as_str()][..], &args[..]].concat());
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
    assert!(std::fs::read_to_string(&csv).unwrap().starts_with("Occurred (UTC),"));
    assert_eq!(partial_files(home.path()), Vec::<std::path::PathBuf>::new());
}

/// A negative number or a date starting with `-` is a value, not a flag: it
/// reaches Marketdesk's own checks and their words.
#[test]
fn negative_numbers_and_hyphen_dates_get_our_own_errors() {
    let home = tempfile::tempdir().unwrap();
    let url = seeded_file(home.path());
    let run = |args: &[&str]| marketdesk(home.path(), &[&["--database-url", url.as_str()][..], args].concat());
    let out = home.path().join("x.csv");
    let minimum = run(&["payouts", "prepare", "--currency", "USD", "--minimum", "-5", "--as", "finance"]);
    assert!(one_error_line(&minimum).contains("the minimum payout cannot be negative"), "{}", minimum.stderr);
    for args in [
        &["report", "commissions", "--from", "-2026-01-01", "--to", "2026-03-31"][..],
        &["export", "--out", out.to_str().unwrap(), "--to", "-2026-01-01"],
        &["seed", "--orders", "10", "--end", "-2026-01-01"],
    ] {
        let line = one_error_line(&run(args)).to_owned();
        assert!(line.contains("'-2026-01-01'") && line.contains("not a day; write it as YYYY-MM-DD"), "{line}");
    }
    let line = one_error_line(&run(&["seed", "--orders", "-5"])).to_owned();
    assert!(line.contains("'-5'") && line.contains("cannot be negative"), "{line}");
    assert!(!out.exists());
}

/// Only the embedded default's own folder is ever made: a file named by URL
/// must go in a folder that exists.
#[test]
fn an_explicit_sqlite_file_in_a_missing_folder_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("some/missing/dirs/file.sqlite");
    let url = format!("sqlite://{}", file.display());
    for cmd in ["migrate", "overview"] {
        let line = one_error_line(&marketdesk(home.path(), &["--database-url", &url, cmd])).to_owned();
        let says = if cmd == "migrate" {
            format!("the folder {} does not exist", home.path().join("some/missing/dirs").display())
        } else {
            "no database file".to_owned()
        };
        assert!(line.contains(&says), "{cmd}: {line}");
        assert!(!home.path().join("some").exists(), "{cmd} made a folder");
    }
}

/// A person's own login role (no grant on sqlx's bookkeeping table) opens the
/// store through `md_schema_migrations()`, and is told it may not migrate.
#[test]
fn a_persons_own_sign_in_works_on_the_store_but_may_not_migrate() {
    let cluster = PrivateCluster::start();
    let home = tempfile::tempdir().unwrap();
    let owner = cluster.url(&cluster.password, "postgres");
    assert_eq!(marketdesk(home.path(), &["--database-url", &owner, "migrate"]).code, 0);
    let seeded = marketdesk(home.path(), &["--database-url", &owner, "seed", "--orders", "50", "--end", "2026-01-01"]);
    assert_eq!(seeded.code, 0, "{}", seeded.stderr);
    let password = "a-long-demo-password";
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let mut conn = sqlx::PgConnection::connect(&owner).await.unwrap();
        sqlx::query("SELECT md_enable_login(id, $1) FROM users WHERE username = 'finance'")
            .bind(password)
            .execute(&mut conn)
            .await
            .unwrap();
    });
    let person = format!("postgres://md_u_finance:{password}@127.0.0.1:{}/postgres", cluster.port);
    let doctor = marketdesk(home.path(), &["--database-url", &person, "doctor", "--json"]);
    let checks: Vec<serde_json::Value> = serde_json::from_str(&doctor.stdout).unwrap();
    let schema = checks.iter().find(|c| c["name"] == "schema").unwrap();
    assert_eq!(schema["verdict"], "ok", "{schema}");
    let report = marketdesk(
        home.path(),
        &["--database-url", &person, "report", "commissions", "--from", "2025-07-01", "--to", "2025-12-31"],
    );
    assert_eq!(report.code, 0, "{}", report.stderr);
    assert!(report.stdout.starts_with("Commissions by vendor (USD)"), "{}", report.stdout);
    let line = one_error_line(&marketdesk(home.path(), &["--database-url", &person, "migrate"])).to_owned();
    assert!(
        line.contains("migrations are applied by the database owner or a superuser, not by a person's sign-in"),
        "{line}"
    );
    assert!(!line.contains(password), "{line}");
}

#[test]
fn an_interrupted_export_stops_cleanly_and_says_so() {
    let home = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", home.path().join("md.sqlite").display());
    for args in [&["migrate"][..], &["seed", "--orders", "20000", "--end", "2026-05-01"]] {
        let run = marketdesk(home.path(), &[&["--database-url", url.as_str()][..], args].concat());
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    }
    let out = home.path().join("ledger.csv");
    let partial = home.path().join("ledger.csv.partial");
    let mut child = std::process::Command::new(marketdesk_test_support::marketdesk_bin())
        .env("HOME", home.path())
        .args(["--database-url", url.as_str(), "export", "--out", out.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !partial.exists() {
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "the export never started");
        assert!(child.try_wait().unwrap().is_none(), "the export ended before it could be interrupted");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let sent = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(sent.success(), "Ctrl-C sent");
    let done = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("Interrupted"), "{stderr}");
    assert!(!out.exists() && !partial.exists(), "nothing is left behind");
    let runs: Vec<String> = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query_scalar("SELECT status FROM report_runs").fetch_all(&mut conn).await.unwrap()
    });
    assert_eq!(runs, ["cancelled"], "the run says what happened");
}

/// `labels render` draws a seeded shipment's label as ZPL at either density
/// and as PDF, privately; a shipment that does not exist or a bad density is
/// refused with its reason and leaves no file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn labels_render_a_seeded_shipment_and_refuse_what_they_cannot() {
    use sqlx::Connection;
    let home = tempfile::tempdir().unwrap();
    let url = seeded_file(home.path());
    let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let id: Vec<u8> = sqlx::query_scalar("SELECT id FROM shipments ORDER BY created_at, id LIMIT 1")
        .fetch_one(&mut db)
        .await
        .unwrap();
    let number: String = sqlx::query_scalar(
        "SELECT o.number FROM shipments s JOIN orders o ON o.id = s.order_id ORDER BY s.created_at, s.id LIMIT 1",
    )
    .fetch_one(&mut db)
    .await
    .unwrap();
    db.close().await.unwrap();
    let shipment = uuid::Uuid::from_slice(&id).unwrap().to_string();
    let base = ["--database-url", url.as_str(), "labels", "render", shipment.as_str()];
    for (args, file, starts) in [
        (vec!["--dpi", "203"], "l203.zpl", "^XA^CI28^LH0,0^PW812^LL1218"),
        (vec!["--dpi", "300"], "l300.zpl", "^XA^CI28^LH0,0^PW1200^LL1800"),
        (vec!["--format", "pdf"], "l.pdf", "%PDF-"),
    ] {
        let out = home.path().join(file);
        let run = marketdesk(home.path(), &[&base[..], &args, &["--out", out.to_str().unwrap()]].concat());
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        let bytes = std::fs::read(&out).unwrap();
        assert!(bytes.starts_with(starts.as_bytes()), "{file}");
        assert_eq!(mode(&out), 0o600, "{file}");
        if file.ends_with(".zpl") {
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.contains(&format!("^FD{number}^FS")), "the label names the shipment's order");
        }
    }
    let missing = home.path().join("missing.zpl");
    let unknown = uuid::Uuid::now_v7().to_string();
    let run = marketdesk(
        home.path(),
        &["--database-url", url.as_str(), "labels", "render", &unknown, "--out", missing.to_str().unwrap()],
    );
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("shipment"), "{}", run.stderr);
    let run = marketdesk(home.path(), &[&base[..], &["--dpi", "600", "--out", missing.to_str().unwrap()]].concat());
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("choose 203 or 300"), "{}", run.stderr);
    assert!(!missing.exists());
    assert_eq!(partial_files(home.path()), Vec::<std::path::PathBuf>::new());
}
