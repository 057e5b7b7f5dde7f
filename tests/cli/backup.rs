//! The restore drill, from the command line: a seeded marketplace is backed
//! up, its database dropped and made again empty, the archive restored, and
//! the restored database's fingerprint — rows in every table and the
//! ledger's balance per account and currency — equals the original's. A
//! restore into a database that holds tables is refused. A local SQLite file
//! is backed up into a folder and put back as a new file with the same
//! overview; put back over itself, the file that was there is kept aside.

use super::{one_error_line, seeded_file};
use marketdesk_core::backup::fingerprint::fingerprint;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};
use marketdesk_test_support::databases::pg;
use marketdesk_test_support::{admin_url, marketdesk};
use sqlx::Connection;

#[test]
fn a_backup_restores_every_row_and_the_ledger() {
    let home = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let db = rt.block_on(async {
        let db = pg().await;
        seed(&db.store, &SeedOptions::new(150), |_| {}).await.unwrap();
        db
    });
    let url = db.url.to_string();
    let name = url.rsplit('/').next().unwrap().to_owned();
    let before = rt.block_on(fingerprint(&db.store)).unwrap();
    assert!(before.ledger.len() > 3 && before.tables["orders"] == 150, "{:?}", before.tables.get("orders"));

    let folder = home.path().join("backups");
    let made = marketdesk(home.path(), &["--database-url", &url, "backup", "--out", folder.to_str().unwrap()]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    let archive = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect::<Vec<_>>();
    assert_eq!(archive.len(), 1, "one archive and no partial file: {archive:?}");
    let archive = archive[0].clone();
    assert!(archive.extension().is_some_and(|e| e == "dump"), "{}", archive.display());
    assert!(made.stdout.contains(&format!("{} rows", before.rows())), "{}", made.stdout);

    let doctor = marketdesk(home.path(), &["--database-url", &url, "doctor"]);
    assert!(
        doctor.stdout.lines().any(|l| l.starts_with("ok") && l.contains("backups") && l.contains("newest 0 h ago")),
        "{}",
        doctor.stdout
    );
    assert!(
        doctor.stdout.lines().any(|l| l.starts_with("ok") && l.contains("job queue") && l.contains("0 dead")),
        "{}",
        doctor.stdout
    );

    let jobs = marketdesk(home.path(), &["--database-url", &url, "jobs", "depth", "--as", "admin@marketdesk.demo"]);
    assert_eq!(jobs.code, 0, "{}", jobs.stderr);
    assert!(jobs.stdout.starts_with("0 due, 0 waiting, 0 running, 0 dead"), "{}", jobs.stdout);
    let dead = marketdesk(
        home.path(),
        &["--database-url", &url, "jobs", "list", "--status", "dead", "--as", "admin@marketdesk.demo"],
    );
    assert_eq!(dead.stdout.trim(), "No jobs match.", "{}", dead.stderr);
    let vendor = marketdesk(home.path(), &["--database-url", &url, "jobs", "depth", "--as", "vendor@marketdesk.demo"]);
    assert!(one_error_line(&vendor).contains("only an admin"), "{}", vendor.stderr);

    // A database that holds tables is never restored over.
    let over = marketdesk(home.path(), &["--database-url", &url, "restore", archive.to_str().unwrap()]);
    assert!(one_error_line(&over).contains("restore into a new, empty database"), "{}", over.stderr);

    // Drop it, make it again empty, restore.
    rt.block_on(async {
        db.store.close().await;
        let mut admin = sqlx::PgConnection::connect(&admin_url()).await.unwrap();
        sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)")).execute(&mut admin).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
    });
    let restored = marketdesk(home.path(), &["--database-url", &url, "restore", archive.to_str().unwrap()]);
    assert_eq!(restored.code, 0, "{}", restored.stderr);
    let after = rt.block_on(async {
        let store = Store::open(&DatabaseUrl::parse(&url).unwrap(), &OpenOptions::default()).await.unwrap();
        let f = fingerprint(&store).await.unwrap();
        store.close().await;
        f
    });
    assert!(after.differences(&before).is_empty(), "{:?}", after.differences(&before));
    assert_eq!(after.ledger, before.ledger, "the ledger balances per account and currency");
    assert_eq!(after, before);
    let unrecorded = marketdesk(home.path(), &["--database-url", &url, "doctor"]);
    assert!(
        unrecorded.stdout.lines().any(|l| l.starts_with("warn") && l.contains("no backup recorded")),
        "the archive was made before its own record: {}",
        unrecorded.stdout
    );

    let local = tempfile::tempdir().unwrap();
    let file = seeded_file(local.path());
    let backups = local.path().join("backups");
    let made = marketdesk(local.path(), &["--database-url", &file, "backup", "--out", backups.to_str().unwrap()]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    assert!(made.stdout.contains("not encrypted, like the database, checked"), "{}", made.stdout);
    let copy = std::fs::read_dir(&backups).unwrap().next().unwrap().unwrap().path();
    assert!(copy.file_name().unwrap().to_string_lossy().starts_with("md-backup-"), "{}", copy.display());
    let restored = format!("sqlite://{}", local.path().join("restored.sqlite").display());
    let back = marketdesk(local.path(), &["--database-url", &restored, "restore", copy.to_str().unwrap()]);
    assert_eq!(back.code, 0, "{}", back.stderr);
    // The overview after its first line (which names the file).
    let overview = |url: &str| {
        let out = marketdesk(local.path(), &["--database-url", url, "overview"]).stdout;
        out.lines().skip(1).collect::<Vec<_>>().join("\n")
    };
    assert_eq!(overview(&restored), overview(&file), "the restored file holds what was backed up");
    let again = marketdesk(local.path(), &["--database-url", &restored, "restore", copy.to_str().unwrap()]);
    assert!(again.stdout.contains("The file that was there is kept as"), "{}", again.stdout);
    let broken = local.path().join("broken.sqlite");
    std::fs::write(&broken, b"not a database at all").unwrap();
    let refused = marketdesk(local.path(), &["--database-url", &restored, "restore", broken.to_str().unwrap()]);
    assert!(one_error_line(&refused).contains("broken.sqlite"), "{}", refused.stderr);
    assert_eq!(overview(&restored), overview(&file), "a refused restore changes nothing");
    rt.block_on(async {
        let mut admin = sqlx::PgConnection::connect(&admin_url()).await.unwrap();
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await.unwrap();
    });
}
