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
