//! Attack class: the next marketplace on the same server. Login and group
//! roles are server-wide, so the wall between two marketplace databases is
//! CONNECT: each login may open only the database it was created in, and a
//! sign-in name taken by one marketplace is refused to another with a clear
//! error. `marketdesk migrate` puts the wall back on a database that lost it
//! (a restore, a copy from a template).

use crate::{PASSWORD, World, connect_as, migrate_and_seed, scalar_i64, sqlstate, world};
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_marketplace_on_the_server_is_walled_off() {
    let mut w: World = world().await;
    sqlx::query("CREATE DATABASE second").execute(&mut w.owner).await.unwrap();
    migrate_and_seed(&w.cluster, "second", 50).await;

    // Nobody of the first marketplace opens the second.
    for p in [&w.admin, &w.vendor_a, &w.logistics, &w.finance] {
        let err = connect_as(&w.cluster, &p.login, "second").await.unwrap_err();
        assert_eq!(sqlstate(&err), "42501", "{}: {err}", p.name);
        assert!(err.to_string().contains("permission denied for database \"second\""), "{err}");
    }

    // The second marketplace's own finance person cannot take the name "finance".
    let mut owner2 =
        <sqlx::PgConnection as sqlx::Connection>::connect(&w.cluster.url(&w.cluster.password, "second")).await.unwrap();
    let finance2: Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE username = 'finance'").fetch_one(&mut owner2).await.unwrap();
    let err = sqlx::query("SELECT md_enable_login($1, $2)")
        .bind(finance2)
        .bind(PASSWORD)
        .execute(&mut owner2)
        .await
        .unwrap_err();
    assert_eq!(sqlstate(&err), "23505", "{err}");
    assert!(err.to_string().contains("sign-in name finance is taken on this database server"), "{err}");
    // Under a name of its own it signs in to its marketplace, and only there.
    sqlx::query("UPDATE users SET username = 'second-finance' WHERE id = $1")
        .bind(finance2)
        .execute(&mut owner2)
        .await
        .unwrap();
    let login: String = sqlx::query_scalar("SELECT md_enable_login($1, $2)")
        .bind(finance2)
        .bind(PASSWORD)
        .fetch_one(&mut owner2)
        .await
        .unwrap();
    let mut theirs = connect_as(&w.cluster, &login, "second").await.expect("signs in to its own marketplace");
    assert!(scalar_i64(&mut theirs, "SELECT count(*) FROM payouts").await > 0);
    let err = connect_as(&w.cluster, &login, "postgres").await.unwrap_err();
    assert_eq!(sqlstate(&err), "42501", "the first marketplace is closed to it: {err}");
    // The first marketplace's payouts are untouched and unseen from there.
    let first = scalar_i64(&mut w.finance.conn, "SELECT count(*) FROM payouts").await;
    assert!(first > 0);

    // A database that lost its wall (restored without its ACL) gets it back from migrate.
    sqlx::query("GRANT CONNECT, TEMPORARY ON DATABASE second TO PUBLIC").execute(&mut w.owner).await.unwrap();
    let open: bool = sqlx::query_scalar("SELECT has_database_privilege($1, 'second', 'CONNECT')")
        .bind(&w.finance.login)
        .fetch_one(&mut w.owner)
        .await
        .unwrap();
    assert!(open, "the wall is down");
    let store = Store::open(
        &DatabaseUrl::parse(&w.cluster.url(&w.cluster.password, "second")).unwrap(),
        &OpenOptions::default(),
    )
    .await
    .unwrap();
    store.migrate(|_| {}).await.unwrap();
    store.close().await;
    for (who, privilege) in [(w.finance.login.as_str(), "CONNECT"), (login.as_str(), "TEMPORARY")] {
        let has: bool = sqlx::query_scalar("SELECT has_database_privilege($1, 'second', $2)")
            .bind(who)
            .bind(privilege)
            .fetch_one(&mut w.owner)
            .await
            .unwrap();
        assert!(!has, "{who} {privilege} on second after migrate");
    }
    assert!(connect_as(&w.cluster, &login, "second").await.is_ok(), "its own people still sign in");
}
