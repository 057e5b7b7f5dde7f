//! Attack class: one person approving money alone. With
//! `payouts.second_approval` on, a finance login tries to approve a batch in
//! one UPDATE, in someone else's name, twice over, to withdraw an approval,
//! to execute a draft, and to change or add payouts after preparing; the
//! database refuses each. The honest path through the core, as the people
//! themselves, still works.

use crate::{PASSWORD, World, connect_as, is_denied, world};
use marketdesk_core::domain::Currency;
use marketdesk_core::finance::payout_runs::PrepareBatch;
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store, StoreError};
use uuid::Uuid;

async fn refused(conn: &mut sqlx::PgConnection, sql: &str, why: &str) {
    let err = sqlx::query(sql).execute(&mut *conn).await.expect_err(why);
    assert!(is_denied(&err), "{why}: {err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approvals_need_two_people_and_amounts_stay_as_prepared() {
    let mut w: World = world().await;
    sqlx::query(
        "UPDATE platform_settings SET value = 'true', version = version + 1 WHERE key = 'payouts.second_approval'",
    )
    .execute(&mut w.admin.conn)
    .await
    .unwrap();
    // A second finance person.
    let second: Uuid = sqlx::query_scalar(
        "INSERT INTO users (id, email, username, display_name, role, status) \
         VALUES (gen_random_uuid(), 'fin2@example.test', 'fin2', 'Second Finance', 'finance', 'active') RETURNING id",
    )
    .fetch_one(&mut w.owner)
    .await
    .unwrap();
    sqlx::query("SELECT md_enable_login($1, $2)").bind(second).bind(PASSWORD).execute(&mut w.owner).await.unwrap();
    let mut fin2 = connect_as(&w.cluster, "md_u_fin2", "postgres").await.unwrap();

    // Prepared through the core, as finance itself (the prepare lock is its function).
    let url = |login: &str| format!("postgres://{login}:{PASSWORD}@127.0.0.1:{}/postgres", w.cluster.port);
    let finance =
        Store::open(&DatabaseUrl::parse(&url("md_u_finance")).unwrap(), &OpenOptions::default()).await.unwrap();
    let request = PrepareBatch { currency: Currency::USD, minimum_minor: Some(1), vendor_ids: None };
    let batch = finance.prepare_payout_batch(&request, w.finance.id).await.expect("finance prepares");
    assert!(batch.payout_count > 0);
    let b = batch.id;
    let f = w.finance.id;
    let admin = w.admin.id;
    let fc = &mut w.finance.conn;

    refused(
        fc,
        &format!("UPDATE payout_batches SET approved_by = '{f}', second_approved_by = '{second}', status = 'approved' WHERE id = '{b}'"),
        "approving in a second person's name",
    )
    .await;
    refused(
        fc,
        &format!("UPDATE payout_batches SET approved_by = '{admin}' WHERE id = '{b}'"),
        "an approval in someone else's name",
    )
    .await;
    refused(
        fc,
        &format!("UPDATE payout_batches SET status = 'approved' WHERE id = '{b}'"),
        "approved without an approver",
    )
    .await;
    refused(fc, &format!("UPDATE payout_batches SET status = 'executing' WHERE id = '{b}'"), "executing a draft").await;
    refused(
        fc,
        &format!("UPDATE payouts SET amount_minor = amount_minor * 10 WHERE batch_id = '{b}'"),
        "a payout's amount",
    )
    .await;
    refused(
        fc,
        &format!("UPDATE payouts SET vendor_id = (SELECT vendor_id FROM payouts WHERE batch_id = '{b}' LIMIT 1) WHERE batch_id = '{b}'"),
        "a payout's vendor",
    )
    .await;
    refused(
        fc,
        &format!("UPDATE payout_batches SET total_minor = total_minor + 1 WHERE id = '{b}'"),
        "the batch total",
    )
    .await;
    refused(
        fc,
        &format!("UPDATE payouts SET status = 'approved' WHERE batch_id = '{b}'"),
        "payouts approved in a draft",
    )
    .await;
    refused(
        fc,
        &format!(
            "INSERT INTO payout_batches (id, status, currency, created_by, approved_by) VALUES (gen_random_uuid(), 'approved', 'USD', '{f}', '{f}')"
        ),
        "a batch born approved",
    )
    .await;

    // A payout slipped into the draft: the first approval sees the batch no longer adds up.
    let vendor: Uuid = sqlx::query_scalar(&format!("SELECT vendor_id FROM payouts WHERE batch_id = '{b}' LIMIT 1"))
        .fetch_one(&mut *fc)
        .await
        .unwrap();
    sqlx::query(&format!(
        "INSERT INTO payouts (id, vendor_id, batch_id, amount_minor, currency, status, idempotency_key, period_start, period_end) \
         VALUES (gen_random_uuid(), '{vendor}', '{b}', 100000000, 'USD', 'proposed', gen_random_uuid()::text, now(), now())"
    ))
    .execute(&mut *fc)
    .await
    .expect("an unapproved draft takes payouts");
    let err = finance.approve_payout_batch(b, f, batch.version).await.unwrap_err();
    assert!(err.to_string().contains("no longer match what was prepared"), "{err}");
    // Nor can one payout be swapped for another: none leaves a live batch alone.
    refused(
        fc,
        &format!("UPDATE payouts SET status = 'cancelled' WHERE batch_id = '{b}' AND amount_minor = 100000000"),
        "cancelling one payout of a draft",
    )
    .await;
    refused(fc, &format!("UPDATE payouts SET deleted_at = now() WHERE batch_id = '{b}'"), "retiring a payout").await;
    // The tampered draft is cancelled whole, through the core, and prepared again.
    let tampered = finance.payout_batch(b).await.unwrap();
    finance.cancel_payout_batch(b, tampered.version).await.expect("a draft is cancelled whole");
    let batch = finance.prepare_payout_batch(&request, w.finance.id).await.expect("prepared again");
    let b = batch.id;

    // The honest path: finance approves once, cannot approve again, fin2 completes it.
    let once = finance.approve_payout_batch(b, f, batch.version).await.expect("first approval");
    assert!(once.approved_by_name.is_some() && once.second_approved_by_name.is_none(), "{once:?}");
    let again = finance.approve_payout_batch(b, f, once.version).await.unwrap_err();
    assert!(matches!(again, StoreError::Validation(_)), "{again}");
    refused(
        fc,
        &format!("UPDATE payout_batches SET second_approved_by = '{f}' WHERE id = '{b}'"),
        "own second approval",
    )
    .await;
    refused(
        fc,
        &format!("UPDATE payout_batches SET status = 'approved' WHERE id = '{b}'"),
        "approved with one approval",
    )
    .await;
    refused(
        fc,
        &format!("UPDATE payout_batches SET approved_by = NULL, approved_at = NULL WHERE id = '{b}'"),
        "withdrawn",
    )
    .await;
    refused(
        fc,
        &format!(
            "INSERT INTO payouts (id, vendor_id, batch_id, amount_minor, currency, status, idempotency_key, period_start, period_end) \
             VALUES (gen_random_uuid(), '{vendor}', '{b}', 1, 'USD', 'proposed', gen_random_uuid()::text, now(), now())"
        ),
        "a payout added after an approval",
    )
    .await;
    let err = sqlx::query(&format!(
        "UPDATE payout_batches SET second_approved_by = '{f}', status = 'approved' WHERE id = '{b}'"
    ))
    .execute(&mut fin2)
    .await
    .unwrap_err();
    assert!(is_denied(&err), "fin2 cannot approve in finance's name: {err}");
    let store2 = Store::open(&DatabaseUrl::parse(&url("md_u_fin2")).unwrap(), &OpenOptions::default()).await.unwrap();
    let done = store2.approve_payout_batch(b, second, once.version).await.expect("a second person approves");
    assert_eq!(done.second_approved_by_name.as_deref(), Some("Second Finance"));
    assert_eq!(done.status.to_string(), "approved");
    let approved: i64 =
        sqlx::query_scalar(&format!("SELECT count(*) FROM payouts WHERE batch_id = '{b}' AND status = 'approved'"))
            .fetch_one(&mut *fc)
            .await
            .unwrap();
    assert_eq!(approved, batch.payout_count, "the prepared payouts, approved together");
    refused(
        fc,
        &format!("UPDATE payouts SET amount_minor = amount_minor + 1 WHERE batch_id = '{b}'"),
        "after approval",
    )
    .await;
    finance.close().await;
    store2.close().await;
}
