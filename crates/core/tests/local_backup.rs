//! A desktop's encrypted local copy backed up while it is open: the backup is
//! encrypted with the copy's own key (no customer's e-mail readable in it,
//! and it opens with that key only), holds every row, and the oldest backups
//! beyond the number kept are removed; put back over a damaged copy it sets
//! that file aside and the copy opens again with all its rows. A damaged
//! backup is refused before anything moves.

use marketdesk_core::backup::fingerprint::fingerprint;
use marketdesk_core::backup::local::{backup_local, check, restore_local};
use marketdesk_core::domain::{Role, Timestamp, UserStatus};
use marketdesk_core::store::encryption::is_plain_sqlite;
use marketdesk_core::store::users::NewUser;
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};

fn at(t: &str) -> Timestamp {
    Timestamp::parse(t).unwrap()
}

#[tokio::test]
async fn an_encrypted_copy_is_backed_up_encrypted_and_put_back() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("copy.sqlite");
    let url = DatabaseUrl::sqlite(&file);
    let key = [9u8; 32];
    let keyed = OpenOptions { encryption_key: Some(key), ..OpenOptions::create() };
    let store = Store::open(&url, &keyed).await.unwrap();
    store.migrate(|_| {}).await.unwrap();
    let email = "bea.private@customers.example";
    for n in 0..3 {
        store
            .create_user(&NewUser {
                email: format!("{n}{email}"),
                username: format!("bea_{n}"),
                display_name: "Bea Private".into(),
                role: Role::Customer,
                status: UserStatus::Active,
                password: None,
            })
            .await
            .unwrap();
    }
    let before = fingerprint(&store).await.unwrap();

    // Backed up while the app still has the copy open.
    let folder = dir.path().join("backups");
    let times = ["2026-12-05T08:00:00Z", "2026-12-06T08:00:00Z", "2026-12-07T08:00:00Z"];
    let mut made = Vec::new();
    for t in times {
        made.push(backup_local(&file, Some(&key), &folder, at(t), 2).await.unwrap());
    }
    let newest = made.last().unwrap();
    assert!(newest.encrypted && newest.rows >= 3 && newest.tables >= 40, "{newest:?}");
    assert_eq!(made[2].removed, vec![made[0].path.clone()], "the oldest beyond two kept is removed");
    assert!(!made[0].path.exists() && made[1].path.exists() && made[2].path.exists());
    assert!(backup_local(&file, Some(&key), &folder, at(times[2]), 2).await.is_err(), "never overwritten");
    let bytes = std::fs::read(&newest.path).unwrap();
    assert!(!is_plain_sqlite(&newest.path).unwrap(), "the backup is encrypted");
    assert!(!bytes.windows(email.len()).any(|w| w == email.as_bytes()), "no e-mail readable in the backup");
    assert!(check(&newest.path, Some(&[1u8; 32])).await.is_err(), "another key opens nothing");
    assert!(backup_local(&file, None, &folder, at("2026-12-08T08:00:00Z"), 2).await.is_err(), "needs the key");
    store.close().await;

    // The copy is damaged; the backup is put back over it.
    std::fs::write(&file, b"garbage where a database was").unwrap();
    let damaged = dir.path().join("damaged-backup.sqlite");
    std::fs::write(&damaged, &bytes[..bytes.len() / 2]).unwrap();
    assert!(restore_local(&damaged, &file, Some(&key), at("2026-12-09T08:00:00Z")).await.is_err());
    assert_eq!(std::fs::read(&file).unwrap(), b"garbage where a database was", "a refused restore moves nothing");
    let aside = restore_local(&newest.path, &file, Some(&key), at("2026-12-09T09:00:00Z")).await.unwrap().unwrap();
    assert_eq!(std::fs::read(&aside).unwrap(), b"garbage where a database was", "the damaged file is kept aside");
    let reopened =
        Store::open(&url, &OpenOptions { encryption_key: Some(key), ..OpenOptions::default() }).await.unwrap();
    assert_eq!(fingerprint(&reopened).await.unwrap(), before, "every row is back");
    reopened.close().await;
}
