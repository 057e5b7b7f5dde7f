//! Attack class: holding what others need. Table locks stronger than ROW
//! EXCLUSIVE, row locks on lines the person cannot change, advisory locks,
//! unbounded sessions. What remains possible (a row lock on a row the person
//! may change anyway) makes the victim give up after lock_timeout with a
//! clear "busy", never hang.

use crate::{World, connect_as, is_denied, scalar_i64, sqlstate, world};
use marketdesk_core::domain::Currency;
use marketdesk_core::finance::payout_runs::PrepareBatch;
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store, StoreError};
use std::time::{Duration, Instant};
use uuid::Uuid;

const STRONG_MODES: &[&str] =
    &["ROW SHARE", "SHARE UPDATE EXCLUSIVE", "SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_can_hold_what_others_need() {
    let mut w: World = world().await;

    // Inventory: no group holds a table-level privilege that allows strong locks.
    let strong: Vec<String> = sqlx::query_scalar(
        "SELECT format('%s has %s on %s', r.rolname, a.privilege_type, c.relname) FROM pg_class c \
         CROSS JOIN LATERAL aclexplode(c.relacl) a JOIN pg_roles r ON r.oid = a.grantee \
         WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' \
           AND r.rolname IN ('md_admin', 'md_vendor', 'md_logistics', 'md_finance', 'public') \
           AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER')",
    )
    .fetch_all(&mut w.owner)
    .await
    .unwrap();
    assert!(strong.is_empty(), "table-level grants that allow LOCK TABLE:\n{}", strong.join("\n"));

    // Every strong mode on every table, for every role.
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
            .fetch_all(&mut w.owner)
            .await
            .unwrap();
    let mut checks = 0;
    let mut taken = Vec::new();
    for p in [&mut w.admin, &mut w.vendor_a, &mut w.logistics, &mut w.finance] {
        for t in &tables {
            for mode in STRONG_MODES {
                sqlx::query("BEGIN").execute(&mut p.conn).await.unwrap();
                let got = sqlx::query(&format!("LOCK TABLE {t} IN {mode} MODE NOWAIT")).execute(&mut p.conn).await;
                sqlx::query("ROLLBACK").execute(&mut p.conn).await.unwrap();
                checks += 1;
                match got {
                    Err(e) if is_denied(&e) => {}
                    other => taken.push(format!("{} {mode} on {t}: {other:?}", p.name)),
                }
            }
        }
    }
    assert!(taken.is_empty(), "{} of {checks} lock attempts were not refused:\n{}", taken.len(), taken.join("\n"));

    // Row locks on order lines a vendor cannot change, and advisory locks, are refused.
    let va = &mut w.vendor_a.conn;
    let err = sqlx::query("SELECT id FROM order_items FOR UPDATE").execute(&mut *va).await.unwrap_err();
    assert!(is_denied(&err), "{err}");
    for p in [&mut w.admin, &mut w.vendor_a, &mut w.logistics, &mut w.finance] {
        for sql in [
            "SELECT pg_advisory_lock(hashtextextended('marketdesk:payout-prepare', 0))",
            "SELECT pg_try_advisory_lock(1)",
            "SELECT pg_advisory_xact_lock(1)",
            "SELECT pg_advisory_lock_shared(1)",
            "SELECT pg_try_advisory_xact_lock(1, 2)",
        ] {
            let err = sqlx::query(sql).execute(&mut p.conn).await.unwrap_err();
            assert!(is_denied(&err), "{}: {sql}: {err}", p.name);
        }
    }
    for sql in [
        "SELECT md_lock_payout_prepare()",
        "SELECT md_try_lock_payout_batch(gen_random_uuid())",
        "SELECT md_try_lock_payout_batch_for_transaction(gen_random_uuid())",
    ] {
        let err = sqlx::query(sql).execute(&mut w.vendor_a.conn).await.unwrap_err();
        assert!(is_denied(&err), "vendor: {sql}: {err}");
    }

    // Each login: a connection limit the server enforces and time limits by default.
    let limits: Vec<(String, i32, Vec<String>)> = sqlx::query_as(
        "SELECT r.rolname::text, r.rolconnlimit, coalesce(s.setconfig, '{}') FROM users u JOIN pg_roles r ON r.rolname = u.db_role \
         LEFT JOIN pg_db_role_setting s ON s.setrole = r.oid AND s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .fetch_all(&mut w.owner)
    .await
    .unwrap();
    assert!(limits.len() >= 5);
    for (login, limit, settings) in &limits {
        assert_eq!(*limit, 24, "{login}");
        for want in ["lock_timeout=10s", "statement_timeout=15min", "idle_in_transaction_session_timeout=60s"] {
            assert!(settings.iter().any(|s| s == want), "{login} lacks {want}: {settings:?}");
        }
    }
    let mut extra = Vec::new();
    let refused = loop {
        match connect_as(&w.cluster, &w.logistics.login, "postgres").await {
            Ok(c) => extra.push(c),
            Err(e) => break e,
        }
        assert!(extra.len() <= 24, "the connection limit was not enforced");
    };
    assert_eq!(extra.len(), 23, "24 sessions in all with the one already open");
    assert_eq!(sqlstate(&refused), "53300", "{refused}");
    drop(extra);

    // What a vendor may still lock, its own variant row, holds others back at
    // most lock_timeout: the admin's update gives up with lock_not_available.
    let variant: Uuid = sqlx::query_scalar("SELECT v.id FROM product_variants v JOIN products p ON p.id = v.product_id WHERE p.vendor_id = md_uid() LIMIT 1")
        .fetch_one(&mut w.vendor_a.conn)
        .await
        .unwrap();
    sqlx::query("BEGIN").execute(&mut w.vendor_a.conn).await.unwrap();
    sqlx::query("SELECT id FROM product_variants WHERE id = $1 FOR UPDATE")
        .bind(variant)
        .execute(&mut w.vendor_a.conn)
        .await
        .unwrap();
    let started = Instant::now();
    let err = tokio::time::timeout(
        Duration::from_secs(60),
        sqlx::query("UPDATE product_variants SET version = version + 1 WHERE id = $1")
            .bind(variant)
            .execute(&mut w.admin.conn),
    )
    .await
    .expect("the victim gave up by itself")
    .unwrap_err();
    assert_eq!(sqlstate(&err), "55P03", "{err}");
    assert!(started.elapsed() >= Duration::from_secs(9), "it waited its lock_timeout first");
    sqlx::query("ROLLBACK").execute(&mut w.vendor_a.conn).await.unwrap();

    // Finance holding the prepare lock (its own, legitimately): another
    // preparation through the core ends in a clear Busy instead of a hang.
    sqlx::query("BEGIN").execute(&mut w.finance.conn).await.unwrap();
    sqlx::query("SELECT md_lock_payout_prepare()").execute(&mut w.finance.conn).await.unwrap();
    let store = Store::open(
        &DatabaseUrl::parse(&w.cluster.url(&w.cluster.password, "postgres")).unwrap(),
        &OpenOptions::default(),
    )
    .await
    .unwrap();
    let request = PrepareBatch { currency: Currency::USD, minimum_minor: Some(1), vendor_ids: None };
    let err = tokio::time::timeout(Duration::from_secs(60), store.prepare_payout_batch(&request, w.finance.id))
        .await
        .expect("prepare gave up by itself")
        .unwrap_err();
    assert!(matches!(err, StoreError::Busy(_)), "{err:?}");
    sqlx::query("ROLLBACK").execute(&mut w.finance.conn).await.unwrap();
    let batches = scalar_i64(&mut w.owner, "SELECT count(*) FROM payout_batches WHERE status = 'draft'").await;
    store.prepare_payout_batch(&request, w.finance.id).await.expect("once the lock is free, it prepares");
    let after = scalar_i64(&mut w.owner, "SELECT count(*) FROM payout_batches WHERE status = 'draft'").await;
    assert_eq!(after, batches + 1);
    store.close().await;
    eprintln!("locks: {checks} table-lock attempts refused across {} tables", tables.len());
}
