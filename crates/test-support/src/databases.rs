//! Fresh databases for tests: a new PostgreSQL database per test (cloned from a
//! migrated template, so each costs one `CREATE DATABASE`) and a new SQLite file
//! per test in a temporary folder.

use crate::admin_url;
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};
use sqlx::Connection;

fn with_db(url: &str, db: &str) -> String {
    let mut u = url::Url::parse(url).expect("admin url");
    u.set_path(&format!("/{db}"));
    u.to_string()
}

/// A test database that goes away with [`TestDb::finish`].
pub struct TestDb {
    pub store: Store,
    pub url: DatabaseUrl,
    pg_name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// Closes the pool and drops the PostgreSQL database (the SQLite folder goes with `self`).
    pub async fn finish(self) {
        self.store.close().await;
        if let Some(name) = &self.pg_name {
            let mut admin = sqlx::PgConnection::connect(&admin_url()).await.expect("admin connection");
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin)
                .await
                .expect("drop test database");
        }
    }
}

/// The template's name: a hash of every PostgreSQL migration's text, read from
/// the folder at run time, so a new or changed migration gets a new template.
fn template_name() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations/postgres");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("migration entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in files {
        let text = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for b in text.into_iter().chain(file.file_name().unwrap().as_encoded_bytes().iter().copied()) {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("md_tmpl_{hash:016x}")
}

/// A migrated, empty PostgreSQL database of its own.
pub async fn pg() -> TestDb {
    let admin = admin_url();
    let template = template_name();
    let mut conn = sqlx::PgConnection::connect(&admin).await.expect("PostgreSQL for tests (see MARKETDESK_TEST_PG)");
    sqlx::query("SELECT pg_advisory_lock(727274)").execute(&mut conn).await.expect("lock");
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(&template)
        .fetch_one(&mut conn)
        .await
        .expect("template lookup");
    if !exists {
        let building = format!("{template}_building");
        sqlx::query(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
            .execute(&mut conn)
            .await
            .expect("drop half-built template");
        sqlx::query(&format!("CREATE DATABASE {building}")).execute(&mut conn).await.expect("create template");
        let store = Store::open(&DatabaseUrl::parse(&with_db(&admin, &building)).unwrap(), &OpenOptions::default())
            .await
            .expect("open template");
        store.migrate(|_| {}).await.expect("migrate template");
        store.close().await;
        // A closed pool's sessions may linger for a moment on the server.
        let mut attempt = 0;
        loop {
            sqlx::query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            )
            .bind(&building)
            .execute(&mut conn)
            .await
            .expect("end template sessions");
            match sqlx::query(&format!("ALTER DATABASE {building} RENAME TO {template}")).execute(&mut conn).await {
                Ok(_) => break,
                Err(e) if attempt < 50 => {
                    attempt += 1;
                    drop(e);
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => panic!("publish template: {e}"),
            }
        }
    }
    sqlx::query("SELECT pg_advisory_unlock(727274)").execute(&mut conn).await.expect("unlock");
    let name = format!("md_t_{}", uuid::Uuid::now_v7().simple());
    sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .execute(&mut conn)
        .await
        .expect("create test database");
    let url = DatabaseUrl::parse(&with_db(&admin, &name)).unwrap();
    let store = Store::open(&url, &OpenOptions::default()).await.expect("open test database");
    TestDb { store, url, pg_name: Some(name), _dir: None }
}

/// A migrated, empty SQLite file of its own.
pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = DatabaseUrl::sqlite(dir.path().join("test.sqlite"));
    let store = Store::open(&url, &OpenOptions::create()).await.expect("open sqlite");
    store.migrate(|_| {}).await.expect("migrate sqlite");
    TestDb { store, url, pg_name: None, _dir: Some(dir) }
}

/// Generates, for each named `async fn case(store: &Store)`, a module with one
/// test per engine: `case::postgres` and `case::sqlite`.
#[macro_export]
macro_rules! on_both_engines {
    ($($case:ident),+ $(,)?) => {
        $(
            mod $case {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let db = $crate::databases::pg().await;
                    super::$case(&db.store).await;
                    db.finish().await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let db = $crate::databases::sqlite().await;
                    super::$case(&db.store).await;
                    db.finish().await;
                }
            }
        )+
    };
}

/// Every row `sql` returns, as `query_as` types them, from whichever engine
/// `store` is on (raw rows for a test to compute its expectation from).
#[macro_export]
macro_rules! fetch_all {
    ($store:expr, $sql:expr) => {
        if let Some(p) = $store.pg_pool() {
            sqlx::query_as($sql).fetch_all(p).await.unwrap()
        } else {
            sqlx::query_as($sql).fetch_all($store.sqlite_pool().unwrap()).await.unwrap()
        }
    };
}

/// [`fetch_all!`] with one bound value (`$1`): an id, which SQLite stores
/// as a blob that a text literal would not match.
#[macro_export]
macro_rules! fetch_all_for {
    ($store:expr, $sql:expr, $id:expr) => {
        if let Some(p) = $store.pg_pool() {
            sqlx::query_as($sql).bind($id).fetch_all(p).await.unwrap()
        } else {
            sqlx::query_as($sql).bind($id).fetch_all($store.sqlite_pool().unwrap()).await.unwrap()
        }
    };
}

/// The URL of the database `name` on the shared PostgreSQL, created when it
/// does not exist yet and kept afterwards: benchmarks seed it once and reuse it.
pub async fn kept_database(name: &str) -> String {
    use sqlx::Connection;
    let mut admin = sqlx::PgConnection::connect(&crate::admin_url()).await.expect("PostgreSQL");
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(name)
        .fetch_one(&mut admin)
        .await
        .unwrap();
    if !exists {
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
    }
    let mut url = url::Url::parse(&crate::admin_url()).unwrap();
    url.set_path(&format!("/{name}"));
    url.to_string()
}
