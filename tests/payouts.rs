//! Vendor payouts end to end: the core's payout run against a real PostgreSQL
//! (and a SQLite file for the offline half) and the real async-stripe client
//! against a local Stripe fake that honours idempotency keys. The crash test
//! kills the `marketdesk` binary between Stripe's answer and the commit.

use marketdesk_core::domain::{BatchStatus, Currency, PayoutStatus};
use marketdesk_core::finance::payout_runs::{PayoutBatch, PrepareBatch};
use marketdesk_core::seed::seed;
use marketdesk_core::store::payouts::PayoutFilter;
use marketdesk_core::store::{DatabaseUrl, OpenOptions, PageRequest, Store, StoreError};
use marketdesk_test_support::marketdesk_bin;
use marketdesk_test_support::money::{assert_ledger_whole, count, gateway, seed_options, seeded_pg, user_id};
use marketdesk_test_support::stripe_fake::StripeFake;
use sqlx::{Connection, PgConnection};
use std::time::Duration;
use uuid::Uuid;

/// The seeded history leaves last month's payouts proposed in draft batches:
/// cancel them, so that money is available to the batch a test prepares.
async fn cancel_seeded_drafts(store: &Store) {
    for b in store.payout_batches(500).await.unwrap() {
        if b.status == BatchStatus::Draft {
            let cancelled = store.cancel_payout_batch(b.id, b.version).await.unwrap();
            assert_eq!(cancelled.status, BatchStatus::Cancelled);
        }
    }
}

async fn approved_usd_batch(store: &Store) -> PayoutBatch {
    cancel_seeded_drafts(store).await;
    let who = user_id(store, "finance@marketdesk.demo").await;
    let req = PrepareBatch { currency: Currency::USD, minimum_minor: None, vendor_ids: None };
    let batch = store.prepare_payout_batch(&req, who).await.unwrap();
    assert_eq!(batch.status, BatchStatus::Draft);
    assert!(batch.payout_count >= 3, "the seeded marketplace owes several vendors: {batch:?}");
    store.approve_payout_batch(batch.id, who, batch.version).await.unwrap()
}

async fn batch_payouts(store: &Store, batch: Uuid) -> Vec<marketdesk_core::store::payouts::Payout> {
    let filter = PayoutFilter { batch_id: Some(batch), ..Default::default() };
    let page = PageRequest { limit: 500, ..Default::default() };
    store.list_payouts(&filter, &page).await.unwrap().items
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_pays_each_vendor_once_and_books_the_ledger() {
    let db = seeded_pg().await;
    let fake = StripeFake::start(Duration::ZERO).await;
    cancel_seeded_drafts(&db.store).await;
    let before = db.store.vendor_balances(Some(Currency::USD), None).await.unwrap();
    let batch = approved_usd_batch(&db.store).await;
    assert_eq!(batch.status, BatchStatus::Approved);
    let available: i64 = before.iter().filter(|b| b.available_minor >= 2_500).map(|b| b.available_minor).sum();
    assert_eq!(batch.total_minor, available, "the batch proposes exactly what is available above the minimum");

    let mut heard = Vec::new();
    let report = db
        .store
        .execute_payout_batch(batch.id, "test-desktop", None, &gateway(&fake), |p| heard.push(p.clone()))
        .await
        .unwrap();
    let n = usize::try_from(batch.payout_count).unwrap();
    assert_eq!((report.paid as usize, report.failed, report.unconfirmed), (n, 0, 0));
    assert_eq!(report.batch.status, BatchStatus::Completed);
    assert_eq!(fake.transfers(), n);
    assert_eq!(heard.iter().filter(|p| p.status == PayoutStatus::Paid).count(), n, "progress told of every payout");

    let payouts = batch_payouts(&db.store, batch.id).await;
    assert!(payouts.iter().all(|p| p.status == PayoutStatus::Paid));
    let transferred: i64 = fake.state.lock().unwrap().transfers.iter().map(|t| t["amount"].as_i64().unwrap()).sum();
    assert_eq!(transferred, batch.total_minor);
    let booked = count(
        &db.url,
        &format!(
            "SELECT count(*) FROM ledger_transactions t JOIN payouts p ON p.id = t.payout_id \
             WHERE p.batch_id = '{}' AND t.code = 'payout_executed'",
            batch.id
        ),
    )
    .await;
    assert_eq!(booked, n as i64, "one ledger posting per payout");
    let after = db.store.vendor_balances(Some(Currency::USD), None).await.unwrap();
    for p in &payouts {
        let b = after.iter().find(|b| b.vendor_id == p.vendor_id).unwrap();
        let was = before.iter().find(|b| b.vendor_id == p.vendor_id).unwrap();
        assert_eq!(b.owed_minor, was.owed_minor - p.amount_minor, "{}", p.vendor_name);
        assert_eq!(b.available_minor, 0, "{} has nothing left to pay out", p.vendor_name);
    }
    assert_ledger_whole(&db.store, &db.url).await;

    let again = db.store.execute_payout_batch(batch.id, "test-desktop", None, &gateway(&fake), |_| {}).await;
    assert!(matches!(&again, Err(StoreError::Validation(m)) if m.contains("executed already")), "{again:?}");
    assert_eq!(fake.transfers(), n, "a second run pays nobody");
    db.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_keep_the_vendors_words_and_leave_the_money_owed() {
    let db = seeded_pg().await;
    let fake = StripeFake::start(Duration::ZERO).await;
    let batch = approved_usd_batch(&db.store).await;
    let payouts = batch_payouts(&db.store, batch.id).await;
    let mut by_name = payouts.clone();
    by_name.sort_by(|a, b| a.vendor_name.cmp(&b.vendor_name).then(a.id.cmp(&b.id)));
    let (first, second, third) = (&by_name[0], &by_name[1], &by_name[2]);
    let mut conn = PgConnection::connect(&db.url).await.unwrap();
    let acct: String = sqlx::query_scalar("SELECT stripe_account_id FROM user_profiles WHERE user_id = $1")
        .bind(second.vendor_id)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    sqlx::query("UPDATE user_profiles SET payouts_enabled = false WHERE user_id = $1")
        .bind(third.vendor_id)
        .execute(&mut conn)
        .await
        .unwrap();
    {
        let mut s = fake.state.lock().unwrap();
        s.unverified.push(acct);
        s.balance.insert("usd".into(), first.amount_minor);
    }
    let report = db.store.execute_payout_batch(batch.id, "test-desktop", None, &gateway(&fake), |_| {}).await.unwrap();
    assert_eq!((report.paid, report.unconfirmed), (1, 0));
    assert_eq!(report.failed as usize, payouts.len() - 1);
    assert_eq!(report.batch.status, BatchStatus::Completed, "every payout reached a final state");
    let after = batch_payouts(&db.store, batch.id).await;
    let reason = |id: Uuid| after.iter().find(|p| p.id == id).unwrap().failure_reason.clone();
    assert_eq!(after.iter().find(|p| p.id == first.id).unwrap().status, PayoutStatus::Paid);
    assert_eq!(reason(second.id).as_deref(), Some("Connect account not verified"));
    assert_eq!(reason(third.id).as_deref(), Some("Connect account not verified"));
    if let Some(fourth) = by_name.get(3) {
        assert_eq!(reason(fourth.id).as_deref(), Some("Platform balance too low"));
    }
    let balances = db.store.vendor_balances(Some(Currency::USD), None).await.unwrap();
    let available = |v: Uuid| balances.iter().find(|b| b.vendor_id == v).unwrap().available_minor;
    assert_eq!(available(first.vendor_id), 0);
    assert_eq!(
        available(second.vendor_id),
        second.amount_minor,
        "a refused payout leaves the money owed and available"
    );
    assert_eq!(fake.transfers(), 1);
    assert_ledger_whole(&db.store, &db.url).await;
    db.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stripe_trouble_leaves_payouts_unconfirmed_and_a_rerun_finishes_without_paying_twice() {
    let db = seeded_pg().await;
    let fake = StripeFake::start(Duration::ZERO).await;
    let batch = approved_usd_batch(&db.store).await;
    fake.state.lock().unwrap().down = true;
    let report = db.store.execute_payout_batch(batch.id, "test-desktop", None, &gateway(&fake), |_| {}).await.unwrap();
    let n = batch.payout_count as u32;
    assert_eq!((report.paid, report.failed, report.unconfirmed), (0, 0, n));
    assert_eq!(report.batch.status, BatchStatus::Failed);
    assert!(report.batch.failure_reason.unwrap().contains("run the batch again"));
    assert!(batch_payouts(&db.store, batch.id).await.iter().all(|p| p.status == PayoutStatus::Processing));
    assert_eq!(count(&db.url, "SELECT count(*) FROM ledger_transactions WHERE code = 'payout_executed' AND idempotency_key LIKE 'payout-executed:%'").await, 0);

    fake.state.lock().unwrap().down = false;
    let report = db.store.execute_payout_batch(batch.id, "test-desktop", None, &gateway(&fake), |_| {}).await.unwrap();
    assert_eq!((report.paid, report.unconfirmed), (n, 0));
    assert_eq!(report.batch.status, BatchStatus::Completed);
    assert_eq!(fake.transfers(), n as usize);
    assert_ledger_whole(&db.store, &db.url).await;
    db.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_between_stripe_and_the_commit_pays_nobody_twice() {
    let db = seeded_pg().await;
    let fake = StripeFake::start(Duration::ZERO).await;
    let batch = approved_usd_batch(&db.store).await;
    let n = batch.payout_count as usize;
    let home = tempfile::tempdir().unwrap();
    let command = |failpoint: Option<&str>| {
        let mut cmd = std::process::Command::new(marketdesk_bin());
        cmd.args(["--database-url", &db.url, "payouts", "execute", &batch.id.to_string()])
            .env("HOME", home.path())
            .env("MARKETDESK_STRIPE_SECRET_KEY", "sk_test_marketdesk")
            .env("MARKETDESK_STRIPE_API", fake.server.uri())
            .env_remove("MARKETDESK_FAILPOINT");
        if let Some(point) = failpoint {
            cmd.env("MARKETDESK_FAILPOINT", point);
        }
        cmd
    };
    // The fake answers on this test's runtime, so the binary runs off it.
    let run = |mut cmd: std::process::Command| async move {
        tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap()
    };
    let crashed = run(command(Some("payout.after_transfer"))).await;
    assert!(!crashed.status.success(), "the run was killed");
    assert!(String::from_utf8_lossy(&crashed.stderr).contains("failpoint payout.after_transfer"));
    assert_eq!(fake.transfers(), 1, "Stripe made the first transfer before the crash");
    let payouts = batch_payouts(&db.store, batch.id).await;
    assert_eq!(payouts.iter().filter(|p| p.status == PayoutStatus::Processing).count(), 1);
    assert_eq!(payouts.iter().filter(|p| p.status == PayoutStatus::Paid).count(), 0, "nothing was committed");
    assert_eq!(db.store.payout_batch(batch.id).await.unwrap().status, BatchStatus::Executing);

    let rerun = run(command(None)).await;
    assert!(rerun.status.success(), "{}", String::from_utf8_lossy(&rerun.stderr));
    assert_eq!(fake.transfers(), n, "the crashed payout's transfer was found, not made again");
    let payouts = batch_payouts(&db.store, batch.id).await;
    assert!(payouts.iter().all(|p| p.status == PayoutStatus::Paid));
    let transfer_ids: std::collections::BTreeSet<String> =
        fake.state.lock().unwrap().transfers.iter().map(|t| t["id"].as_str().unwrap().to_owned()).collect();
    for p in &payouts {
        let id: String = sqlx::query_scalar("SELECT stripe_transfer_id FROM payouts WHERE id = $1")
            .bind(p.id)
            .fetch_one(&mut PgConnection::connect(&db.url).await.unwrap())
            .await
            .unwrap();
        assert!(transfer_ids.contains(&id), "{id} is a transfer Stripe made");
    }
    let booked =
        count(&db.url, "SELECT count(*) FROM ledger_transactions WHERE idempotency_key LIKE 'payout-executed:%'").await;
    assert_eq!(booked, n as i64, "each payout booked once");
    assert_ledger_whole(&db.store, &db.url).await;
    db.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_desktops_executing_one_batch_at_once_one_is_refused() {
    let db = seeded_pg().await;
    let fake = StripeFake::start(Duration::from_millis(150)).await;
    let batch = approved_usd_batch(&db.store).await;
    let other = Store::open(&DatabaseUrl::parse(&db.url).unwrap(), &OpenOptions::default()).await.unwrap();
    let (g1, g2) = (gateway(&fake), gateway(&fake));
    let (a, b) = tokio::join!(db.store.execute_payout_batch(batch.id, "desktop-a", None, &g1, |_| {}), async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        other.execute_payout_batch(batch.id, "desktop-b", None, &g2, |_| {}).await
    });
    let (won, lost) = match (a, b) {
        (Ok(r), Err(e)) | (Err(e), Ok(r)) => (r, e),
        other => panic!("exactly one run must win: {other:?}"),
    };
    assert!(matches!(&lost, StoreError::Busy(m) if m.contains("being executed")), "{lost:?}");
    assert_eq!(won.paid as i64, batch.payout_count);
    assert_eq!(fake.transfers() as i64, batch.payout_count, "every vendor paid exactly once");
    // The lease ended with its transaction, on a connection still open.
    let leases = count(
        &db.url,
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .await;
    assert_eq!(leases, 0, "no lease is left behind");
    let again = other.execute_payout_batch(batch.id, "desktop-b", None, &g2, |_| {}).await;
    assert!(matches!(&again, Err(StoreError::Validation(m)) if m.contains("executed already")), "{again:?}");
    other.close().await;
    assert_ledger_whole(&db.store, &db.url).await;
    db.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_a_batch_is_prepared_and_approved_by_two_people_but_not_executed() {
    let dir = tempfile::tempdir().unwrap();
    let url = DatabaseUrl::sqlite(dir.path().join("offline.sqlite"));
    let store = Store::open(&url, &OpenOptions::create()).await.unwrap();
    store.migrate(|_| {}).await.unwrap();
    seed(&store, &seed_options(), |_| {}).await.unwrap();
    let pool = store.sqlite_pool().unwrap();
    sqlx::query("UPDATE platform_settings SET value = 'true' WHERE key = 'payouts.second_approval'")
        .execute(pool)
        .await
        .unwrap();
    cancel_seeded_drafts(&store).await;
    let fin = user_id(&store, "finance@marketdesk.demo").await;
    let admin = user_id(&store, "admin@marketdesk.demo").await;
    let req = PrepareBatch { currency: Currency::USD, minimum_minor: Some(1_000), vendor_ids: None };
    let batch = store.prepare_payout_batch(&req, fin).await.unwrap();
    let pending_total: i64 =
        store.vendor_balances(Some(Currency::USD), None).await.unwrap().iter().map(|b| b.in_flight_minor).sum();
    assert!(pending_total >= batch.total_minor, "the proposals are now in flight");
    let again = store.prepare_payout_batch(&req, fin).await;
    assert!(matches!(again, Err(StoreError::Validation(_))), "the same balance is never proposed twice: {again:?}");

    let once = store.approve_payout_batch(batch.id, fin, batch.version).await.unwrap();
    assert_eq!(once.status, BatchStatus::Draft, "one approval is not enough with four eyes");
    assert!(once.approved_by_name.is_some() && once.second_approved_by_name.is_none());
    let same = store.approve_payout_batch(batch.id, fin, once.version).await;
    assert!(matches!(&same, Err(StoreError::Validation(m)) if m.contains("second")), "{same:?}");
    let twice = store.approve_payout_batch(batch.id, admin, once.version).await.unwrap();
    assert_eq!(twice.status, BatchStatus::Approved);
    assert!(twice.second_approved_by_name.is_some());

    let fake = StripeFake::start(Duration::ZERO).await;
    let run = store.execute_payout_batch(batch.id, "laptop", None, &gateway(&fake), |_| {}).await;
    assert!(matches!(&run, Err(StoreError::OnlineOnly(m)) if m.contains("online")), "{run:?}");
    assert_eq!(fake.transfers(), 0);
    store.close().await;
}

/// `marketdesk worker --payouts-every … --once`, as cron or a host runs it:
/// a draft batch per currency with money due, made through the job queue in
/// the finance person's name; the next slot's round leaves a waiting draft
/// alone; the worker's heartbeat is left stopped, with what it did.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_prepares_scheduled_payout_batches() {
    let db = seeded_pg().await;
    let store = &db.store;
    let home = tempfile::tempdir().unwrap();
    let worker = |every: &str| {
        let out = std::process::Command::new(marketdesk_bin())
            .args(["--database-url", &db.url, "worker", "--poll-every", "0", "--payouts-every", every, "--once"])
            .args(["--as", "finance@marketdesk.demo"])
            .env("HOME", home.path())
            .output()
            .unwrap();
        let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "{said}");
        said
    };
    let seeded_drafts =
        store.payout_batches(500).await.unwrap().iter().filter(|b| b.status == BatchStatus::Draft).count();
    assert!(seeded_drafts > 0, "the seed leaves drafts");
    let said = worker("7");
    assert!(said.contains("payouts.prepare: no batch prepared; a draft still waits for approval in "), "{said}");
    assert!(said.contains("USD"), "{said}");

    cancel_seeded_drafts(store).await;
    let said = worker("11");
    let drafts: Vec<PayoutBatch> =
        store.payout_batches(500).await.unwrap().into_iter().filter(|b| b.status == BatchStatus::Draft).collect();
    let usd = drafts
        .iter()
        .find(|b| b.currency == Currency::USD)
        .unwrap_or_else(|| panic!("a USD draft: {drafts:?}\n{said}"));
    assert_eq!(drafts.iter().filter(|b| b.currency == Currency::USD).count(), 1, "one per currency: {drafts:?}");
    assert_eq!(usd.created_by_name, "Fran Finance", "{usd:?}");
    let preview = store
        .payout_preview(&PrepareBatch { currency: Currency::USD, minimum_minor: None, vendor_ids: None })
        .await
        .unwrap();
    assert_eq!(preview.payout_count, 0, "everything due is in the draft");
    assert!(
        said.contains(&format!("{} payout(s) in USD ({} minor units)", usd.payout_count, usd.total_minor)),
        "{said}"
    );
    let jobs: Vec<(String, String)> = sqlx::query_as("SELECT kind, status FROM jobs ORDER BY created_at")
        .fetch_all(store.pg_pool().unwrap())
        .await
        .unwrap();
    assert_eq!(jobs, vec![("payouts.prepare".into(), "done".into()); 2]);
    let beats: Vec<(i64, bool)> =
        sqlx::query_as("SELECT jobs_done, stopped_at IS NOT NULL FROM worker_heartbeats ORDER BY started_at")
            .fetch_all(store.pg_pool().unwrap())
            .await
            .unwrap();
    assert_eq!(beats, vec![(1, true), (1, true)]);

    let refused = std::process::Command::new(marketdesk_bin())
        .args(["--database-url", &db.url, "worker", "--poll-every", "0", "--payouts-every", "60", "--once"])
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("give --as"));
    db.drop_database().await;
}
