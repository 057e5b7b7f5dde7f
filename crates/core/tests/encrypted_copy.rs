//! A local copy encrypted with SQLCipher: a stolen file shows no customer data,
//! and it opens only with its key.

use marketdesk_core::domain::{Role, UserStatus};
use marketdesk_core::store::users::NewUser;
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store, StoreError};

#[tokio::test]
async fn a_stolen_file_shows_nothing_and_opens_only_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("copy.sqlite");
    let url = DatabaseUrl::sqlite(&file);
    let key = [7u8; 32];
    let keyed = OpenOptions { encryption_key: Some(key), ..OpenOptions::create() };
    let store = Store::open(&url, &keyed).await.unwrap();
    store.migrate(|_| {}).await.unwrap();
    let email = "ada.secretive@customers.example";
    store
        .create_user(&NewUser {
            email: email.into(),
            username: "ada_secret".into(),
            display_name: "Ada Secretive".into(),
            role: Role::Customer,
            status: UserStatus::Active,
            password: None,
        })
        .await
        .unwrap();
    if let Some(p) = store.sqlite_pool() {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(p).await.unwrap();
    }
    store.close().await;

    let mut seen = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap().flatten() {
        // The -wal/-shm side files may vanish as the last connection closes.
        let Ok(bytes) = std::fs::read(entry.path()) else { continue };
        assert!(
            !bytes.windows(email.len()).any(|w| w == email.as_bytes()),
            "plain email in {}",
            entry.path().display()
        );
        assert!(!bytes.starts_with(b"SQLite format 3"), "a plain SQLite header in {}", entry.path().display());
        seen.push(entry.file_name());
    }
    assert!(seen.iter().any(|n| n == "copy.sqlite"), "the database file itself was read");

    let plain = Store::open(&url, &OpenOptions::default()).await.unwrap_err();
    assert!(matches!(plain, StoreError::Encrypted(_)), "{plain:?}");
    let wrong = Store::open(&url, &OpenOptions { encryption_key: Some([8u8; 32]), ..OpenOptions::default() })
        .await
        .unwrap_err();
    assert!(matches!(wrong, StoreError::Encrypted(_)), "{wrong:?}");

    let again = Store::open(&url, &OpenOptions { encryption_key: Some(key), ..OpenOptions::default() }).await.unwrap();
    assert!(again.schema_status().await.unwrap().is_current());
    let (user, _) = again.user_for_login(email).await.unwrap().expect("readable with the key");
    assert_eq!(user.display_name, "Ada Secretive");
    again.close().await;
}

#[tokio::test]
async fn a_plain_copy_is_encrypted_in_place_and_keeps_every_row() {
    use marketdesk_core::store::encryption::{encrypt_in_place, is_plain_sqlite};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("older.sqlite");
    let url = DatabaseUrl::sqlite(&file);
    let store = Store::open(&url, &OpenOptions::create()).await.unwrap();
    store.migrate(|_| {}).await.unwrap();
    let email = "grace.plain@customers.example";
    store
        .create_user(&NewUser {
            email: email.into(),
            username: "grace_plain".into(),
            display_name: "Grace Plain".into(),
            role: Role::Customer,
            status: UserStatus::Active,
            password: None,
        })
        .await
        .unwrap();
    store.close().await;
    assert!(is_plain_sqlite(&file).unwrap());

    let key = [42u8; 32];
    assert!(encrypt_in_place(&file, &key).await.unwrap(), "a plain file is encrypted");
    assert!(!is_plain_sqlite(&file).unwrap());
    let bytes = std::fs::read(&file).unwrap();
    assert!(!bytes.windows(email.len()).any(|w| w == email.as_bytes()), "the email is still readable in the file");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("older.sqlite")], "no staging or WAL files are left");
    assert!(!encrypt_in_place(&file, &key).await.unwrap(), "an encrypted file is left alone");

    let plain = Store::open(&url, &OpenOptions::default()).await.unwrap_err();
    assert!(matches!(plain, StoreError::Encrypted(_)), "{plain:?}");
    let again = Store::open(&url, &OpenOptions { encryption_key: Some(key), ..OpenOptions::default() }).await.unwrap();
    assert!(again.schema_status().await.unwrap().is_current(), "the migrations history came along");
    let (user, _) = again.user_for_login(email).await.unwrap().expect("the row came along");
    assert_eq!(user.display_name, "Grace Plain");
    again.close().await;

    let missing = dir.path().join("none.sqlite");
    assert!(!encrypt_in_place(&missing, &key).await.unwrap(), "a missing file is left alone");
}

/// Beside a server the copy's key lives in the keychain: kernel keyutils here,
/// which needs a session keyring of its own, so the test runs itself again
/// under `keyctl session -`.
#[tokio::test]
async fn a_copy_whose_key_the_keychain_lost_is_kept_aside_and_a_new_one_started() {
    use marketdesk_core::secrets;
    use marketdesk_core::store::local_copy::open_local_copy;
    use marketdesk_core::store::location::Location;
    const INSIDE: &str = "MARKETDESK_TEST_IN_SESSION_KEYRING";
    if std::env::var_os(INSIDE).is_none() {
        let name = "a_copy_whose_key_the_keychain_lost_is_kept_aside_and_a_new_one_started";
        let out = std::process::Command::new("keyctl")
            .args(["session", "-"])
            .arg(std::env::current_exe().unwrap())
            .args([name, "--exact", "--nocapture"])
            .env(INSIDE, "1")
            .output()
            .expect("keyctl (Debian package keyutils) runs");
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success() && text.contains("1 passed"), "{text}");
        return;
    }
    secrets::probe().expect("a usable keychain (kernel keyutils or Secret Service)");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("copy.sqlite");
    let location = || Location { url: DatabaseUrl::sqlite(&file), is_default: true };

    let first = open_local_copy(&location(), true, OpenOptions::default()).await.unwrap();
    assert!(first.encrypted && first.note.is_none() && !first.is_scratch());
    let email = "lin.kept@customers.example";
    first
        .store
        .create_user(&NewUser {
            email: email.into(),
            username: "lin_kept".into(),
            display_name: "Lin Kept".into(),
            role: Role::Customer,
            status: UserStatus::Active,
            password: None,
        })
        .await
        .unwrap();
    first.store.close().await;

    // Opened again with the key from the keychain: the row is there.
    let again = open_local_copy(&location(), true, OpenOptions::default()).await.unwrap();
    assert!(again.note.is_none());
    assert!(again.store.user_for_login(email).await.unwrap().is_some(), "the row is readable with the kept key");
    again.store.close().await;

    // The keychain forgets (a reboot of kernel keyrings): the file is kept aside.
    secrets::forget_local_copy_key(&file).unwrap();
    let fresh = open_local_copy(&location(), true, OpenOptions::default()).await.unwrap();
    let note = fresh.note.clone().expect("a note says what happened");
    assert!(note.contains("could not be opened with this computer's key"), "{note}");
    assert!(fresh.store.user_for_login(email).await.unwrap().is_none(), "the new copy starts empty");
    fresh.store.close().await;
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("copy.sqlite.unreadable-") && !n.ends_with("-wal") && !n.ends_with("-shm"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert!(note.contains(&aside[0]), "the note names the kept file: {note}");

    // Without a server the same file opens with its key, left as it is.
    let alone = open_local_copy(&location(), false, OpenOptions::default()).await.unwrap();
    assert!(alone.encrypted && alone.note.is_none());
    alone.store.close().await;
    secrets::forget_local_copy_key(&file).unwrap();
}
