//! Attack class: the job queue and the backups made. Only admins read the
//! queue, and an admin may only put a dead job back in it — not finish one,
//! not rewrite what a job does, not add one; nobody else sees it at all.
//! Only admins read the backups made; nobody writes them but the owner.

use crate::{is_denied, scalar_i64, world};
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_admins_read_the_queue_and_only_put_dead_jobs_back() {
    let mut w = world().await;
    let (dead, queued) = (Uuid::now_v7(), Uuid::now_v7());
    for (id, status, until) in [(dead, "dead", None::<&str>), (queued, "queued", None)] {
        sqlx::query("INSERT INTO jobs (id, kind, status, attempts, last_error, locked_until) VALUES ($1, 'mail.round', $2, 5, 'boom', $3::timestamptz)")
            .bind(id)
            .bind(status)
            .bind(until)
            .execute(&mut w.owner)
            .await
            .unwrap();
    }
    sqlx::query("INSERT INTO backup_runs (id, file_name, byte_size, entries, took_ms, table_count, row_count, host) VALUES ($1, 'x.dump', 1, 1, 1, 1, 1, 'h')")
        .bind(Uuid::now_v7())
        .execute(&mut w.owner)
        .await
        .unwrap();

    assert_eq!(scalar_i64(&mut w.admin.conn, "SELECT count(*) FROM jobs").await, 2);
    assert_eq!(scalar_i64(&mut w.admin.conn, "SELECT count(*) FROM backup_runs").await, 1);
    for p in [&mut w.vendor_a, &mut w.logistics, &mut w.finance] {
        for sql in ["SELECT count(*) FROM jobs", "SELECT count(*) FROM backup_runs"] {
            let e = sqlx::query(sql).execute(&mut p.conn).await.unwrap_err();
            assert!(is_denied(&e), "{}: {sql}: {e}", p.name);
        }
    }

    // Put back: the dead one only, and only its state and tries.
    let back = sqlx::query("UPDATE jobs SET status = 'queued', attempts = 0 WHERE id = $1")
        .bind(dead)
        .execute(&mut w.admin.conn)
        .await
        .unwrap();
    assert_eq!(back.rows_affected(), 1);
    let moved = sqlx::query("UPDATE jobs SET status = 'queued' WHERE id = $1")
        .bind(queued)
        .execute(&mut w.admin.conn)
        .await
        .unwrap();
    assert_eq!(moved.rows_affected(), 0, "only a dead job is put back");
    for sql in [
        "UPDATE jobs SET payload = '{\"to\": \"attacker\"}'",
        "UPDATE jobs SET kind = 'payouts.execute'",
        "INSERT INTO jobs (id, kind) VALUES (gen_random_uuid(), 'payouts.execute')",
        "DELETE FROM jobs",
        "INSERT INTO backup_runs (id, file_name, byte_size, entries, took_ms, table_count, row_count, host) VALUES (gen_random_uuid(), 'y', 1, 1, 1, 1, 1, 'h')",
    ] {
        let e = sqlx::query(sql).execute(&mut w.admin.conn).await.unwrap_err();
        assert!(is_denied(&e), "{sql}: {e}");
    }
    let e = sqlx::query("UPDATE jobs SET status = 'done' WHERE id = $1").bind(queued).execute(&mut w.admin.conn).await;
    assert!(e.is_err() || e.unwrap().rows_affected() == 0, "an admin never marks a job done");
}
