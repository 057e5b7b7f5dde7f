//! A marketplace for sync tests: a private SCRAM cluster migrated and seeded
//! by the core (600 orders), people signed in over their own logins, and
//! local copies as new SQLite files.

use crate::PrivateCluster;
use marketdesk_core::domain::Timestamp;
use marketdesk_core::seed::{SeedOptions, seed};
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};
use sqlx::{Connection, PgConnection};
use std::sync::atomic::AtomicBool;
use uuid::Uuid;

/// Every test person's password.
pub const PASSWORD: &str = "correct-horse-battery-staple";

/// A private cluster with one seeded marketplace and its superuser connection.
pub struct Site {
    pub cluster: PrivateCluster,
    pub owner: PgConnection,
}

/// One person: their id and a store on the server as their own login.
pub struct Person {
    pub id: Uuid,
    pub server: Store,
}

/// A fresh seeded marketplace (600 orders).
pub async fn site() -> Site {
    let cluster = PrivateCluster::start();
    let url = cluster.url(&cluster.password, "postgres");
    let store = Store::open(&DatabaseUrl::parse(&url).unwrap(), &OpenOptions::default()).await.unwrap();
    store.migrate(|_| {}).await.unwrap();
    let mut options = SeedOptions::new(600);
    options.end = Timestamp::parse("2026-04-01T00:00:00Z").unwrap();
    seed(&store, &options, |_| {}).await.unwrap();
    store.close().await;
    let owner = PgConnection::connect(&url).await.unwrap();
    Site { cluster, owner }
}

impl Site {
    /// Enables `email`'s login and opens the server as them, on `port` (the
    /// cluster's own, or a proxy's in front of it).
    pub async fn person_via(&mut self, email: &str, port: u16) -> Person {
        let id: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(&mut self.owner)
            .await
            .unwrap();
        let login: String =
            sqlx::query_scalar("SELECT coalesce((SELECT db_role FROM users WHERE id = $1), md_enable_login($1, $2))")
                .bind(id)
                .bind(PASSWORD)
                .fetch_one(&mut self.owner)
                .await
                .unwrap();
        let url = format!("postgres://{login}:{PASSWORD}@127.0.0.1:{port}/postgres");
        let server = Store::open(&DatabaseUrl::parse(&url).unwrap(), &OpenOptions::default()).await.unwrap();
        Person { id, server }
    }

    /// [`Site::person_via`] straight to the cluster.
    pub async fn person(&mut self, email: &str) -> Person {
        let port = self.cluster.port;
        self.person_via(email, port).await
    }

    /// One number from `sql`, read as the superuser.
    pub async fn scalar(&mut self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&mut self.owner).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

/// A local copy: a new migrated SQLite file (kept with its folder).
pub async fn local_copy() -> (tempfile::TempDir, Store, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copy.sqlite");
    let store = Store::open(&DatabaseUrl::sqlite(&path), &OpenOptions::create()).await.unwrap();
    store.migrate(|_| {}).await.unwrap();
    (dir, store, path)
}

/// Runs sync rounds for `p` until the copy is current.
pub async fn sync(p: &Person, local: &Store) -> marketdesk_core::sync::cycle::RoundReport {
    marketdesk_core::sync::cycle::round(&p.server, local, p.id, &AtomicBool::new(false), |_| {})
        .await
        .expect("a sync round")
}

/// One number from `sql` on the local copy's file.
pub async fn local_scalar(local: &Store, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(local.sqlite_pool().unwrap()).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}
