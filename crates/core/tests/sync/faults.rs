//! Fault injection: pushes through the tests' TCP proxy, which refuses
//! connections while "down" and, while "flaky", cuts each connection after a
//! random number of bytes from the server — mid-query, mid-commit, or after
//! the commit but before its answer. Every queued change reaches the server
//! exactly once, and the queue drains by itself once traffic passes. A
//! stalled connection (bytes held without a word) ends the round after the
//! push's wait instead of hanging it. Connections that reach the server in
//! the reverse of the order they started in overwrite nothing.

use crate::{Person, Site, local_copy, local_scalar, site, sync};
use marketdesk_core::store::Store;
use marketdesk_core::sync::Mutation;
use marketdesk_core::sync::conflicts::{Resolution, open, resolve};
use marketdesk_core::sync::outbox::record;
use marketdesk_core::sync::push::{push, push_within};
use marketdesk_core::sync::status::status;
use marketdesk_test_support::fault_proxy::FaultProxy;
use std::sync::atomic::Ordering;
use std::time::Duration;
use uuid::Uuid;

/// A seeded site, the admin's copy synced straight, and the admin's server
/// connection going through a new proxy.
async fn behind_proxy() -> (Site, Person, tempfile::TempDir, Store, FaultProxy) {
    let mut site = site().await;
    let direct = site.person("admin@marketdesk.demo").await;
    let (dir, local, _) = local_copy().await;
    sync(&direct, &local).await;
    let proxy = FaultProxy::start(site.cluster.port).await;
    let admin = site.person_via("admin@marketdesk.demo", proxy.port).await;
    (site, admin, dir, local, proxy)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cut_connections_lose_no_change_and_apply_none_twice() {
    let (mut site, admin, _dir, local, proxy) = behind_proxy().await;

    let variants: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM product_variants ORDER BY id LIMIT 4")
        .fetch_all(local.sqlite_pool().unwrap())
        .await
        .unwrap();
    let before = site
        .scalar(&format!(
            "SELECT sum(stock_on_hand) FROM product_variants WHERE id IN ({})",
            variants.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(",")
        ))
        .await;
    const CHANGES: usize = 40;
    for i in 0..CHANGES {
        let m = Mutation::stock(variants[i % variants.len()], 1);
        record(&local, admin.id, &m).await.unwrap();
    }

    // The server out of reach: nothing is lost, everything waits.
    proxy.faults.down.store(true, Ordering::SeqCst);
    let refused = push(&admin.server, &local, admin.id).await;
    assert!(
        matches!(&refused, Err(marketdesk_core::sync::SyncError::Offline(_)))
            || refused.as_ref().is_ok_and(|r| r.stopped.is_some()),
        "{refused:?}"
    );
    assert_eq!(status(&local).await.unwrap().pending, CHANGES as u32);

    // Back, but cutting every connection somewhere: rounds go on by themselves
    // (as the desktop's timer runs them) until the queue is empty.
    proxy.faults.down.store(false, Ordering::SeqCst);
    proxy.faults.flaky.store(true, Ordering::SeqCst);
    let (mut rounds, mut replayed) = (0, 0);
    while status(&local).await.unwrap().pending > 0 {
        rounds += 1;
        assert!(rounds < 2_000, "the queue drains");
        if let Ok(r) = push(&admin.server, &local, admin.id).await {
            replayed += r.replayed;
        }
    }
    let cuts = proxy.faults.cuts.load(Ordering::SeqCst);
    eprintln!("drained in {rounds} rounds through {cuts} cut connections; {replayed} answers lost after the commit");
    assert!(cuts > 0, "the proxy cut connections");
    assert!(replayed > 0, "some cuts fell between the server's commit and its answer");
    let after = site
        .scalar(&format!(
            "SELECT sum(stock_on_hand) FROM product_variants WHERE id IN ({})",
            variants.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(",")
        ))
        .await;
    assert_eq!(after - before, CHANGES as i64, "every change applied exactly once");
    assert_eq!(site.scalar("SELECT count(*) FROM sync_applied_mutations").await, CHANGES as i64);
    let s = status(&local).await.unwrap();
    assert_eq!((s.pending, s.conflicts, s.parked), (0, 0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_connection_ends_the_round_and_loses_nothing() {
    let (mut site, admin, _dir, local, proxy) = behind_proxy().await;
    let variant: Uuid = sqlx::query_scalar("SELECT id FROM product_variants ORDER BY id LIMIT 1")
        .fetch_one(local.sqlite_pool().unwrap())
        .await
        .unwrap();
    let stock = format!("SELECT stock_on_hand::bigint FROM product_variants WHERE id = '{variant}'");
    let before = site.scalar(&stock).await;
    for _ in 0..6 {
        record(&local, admin.id, &Mutation::stock(variant, 1)).await.unwrap();
    }

    // The network swallows the server's answers: the round gives up after
    // its wait (the outer limit only guards against a hang).
    proxy.faults.stall.store(true, Ordering::SeqCst);
    let wait = Duration::from_secs(1);
    let stalled = tokio::time::timeout(Duration::from_secs(120), push_within(&admin.server, &local, admin.id, wait))
        .await
        .expect("a stalled push ends its round rather than hang");
    assert!(
        matches!(&stalled, Err(marketdesk_core::sync::SyncError::Offline(r)) if r.contains("no answer"))
            || stalled.as_ref().is_ok_and(|r| r.stopped.as_deref().is_some_and(|s| s.contains("no answer"))),
        "{stalled:?}"
    );
    assert_eq!(status(&local).await.unwrap().pending, 6, "everything still queued");

    // Let go: the queue drains, and what the server did while stalled is not done twice.
    proxy.faults.stall.store(false, Ordering::SeqCst);
    let mut rounds = 0;
    while status(&local).await.unwrap().pending > 0 {
        rounds += 1;
        assert!(rounds < 20, "the queue drains");
        let _ = push_within(&admin.server, &local, admin.id, wait).await;
    }
    assert_eq!(site.scalar(&stock).await - before, 6, "every change applied exactly once");
    assert_eq!(site.scalar("SELECT count(*) FROM sync_applied_mutations").await, 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_that_arrives_after_a_later_one_overwrites_nothing() {
    // One admin, two computers: the first pushes through the proxy.
    let (mut site, first, _dir, mine, proxy) = behind_proxy().await;
    let second = site.person("admin@marketdesk.demo").await;
    let (_dir2, theirs, _) = local_copy().await;
    sync(&second, &theirs).await;
    let lite = mine.sqlite_pool().unwrap();
    let (product, version): (Uuid, i64) =
        sqlx::query_as("SELECT id, version FROM products WHERE status = 'pending_review' ORDER BY id LIMIT 1")
            .fetch_one(lite)
            .await
            .unwrap();
    let variant: Uuid =
        sqlx::query_scalar("SELECT id FROM product_variants ORDER BY id LIMIT 1").fetch_one(lite).await.unwrap();
    let stock = format!("SELECT stock_on_hand::bigint FROM product_variants WHERE id = '{variant}'");
    let before = site.scalar(&stock).await;

    // Offline on both: stock counted in (commutes), and the same product
    // reviewed from the same version — approved here, rejected there.
    record(&mine, first.id, &Mutation::stock(variant, 1)).await.unwrap();
    record(&mine, first.id, &Mutation::ProductReview { product, version, approve: true, reason: None }).await.unwrap();
    record(&theirs, second.id, &Mutation::stock(variant, 2)).await.unwrap();
    let reject = Mutation::ProductReview { product, version, approve: false, reason: Some("No photos".into()) };
    record(&theirs, second.id, &reject).await.unwrap();

    // The first computer pushes first, but its bytes are held on the way;
    // the second's push starts later and reaches the server first.
    proxy.faults.hold.store(true, Ordering::SeqCst);
    let (server, local, me) = (first.server.clone(), mine.clone(), first.id);
    let early = tokio::spawn(async move { push_within(&server, &local, me, Duration::from_secs(120)).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!early.is_finished(), "the first push waits on the held connection");
    let late = push(&second.server, &theirs, second.id).await.unwrap();
    assert_eq!((late.applied, late.conflicts), (2, 0), "{late:?}");
    proxy.faults.hold.store(false, Ordering::SeqCst);
    let early = early.await.unwrap().unwrap();
    assert_eq!((early.applied, early.conflicts, early.parked), (1, 1, 0), "{early:?}");

    let on_server = format!("SELECT count(*) FROM products WHERE id = '{product}' AND status = 'rejected'");
    assert_eq!(site.scalar(&on_server).await, 1, "the review that arrived first stands");
    assert_eq!(site.scalar(&stock).await - before, 3, "both counts applied, once each");
    assert_eq!(site.scalar("SELECT count(*) FROM sync_applied_mutations").await, 3);

    // The late review is a conflict on the first computer, both versions in it.
    let conflicts = open(&mine).await.unwrap();
    assert_eq!(conflicts.len(), 1);
    let c = &conflicts[0];
    assert_eq!((c.expected_version, c.row_id), (version, product));
    let field = c.fields.iter().find(|f| f.name == "status").expect("the status field");
    assert_eq!((field.mine.as_deref(), field.theirs.as_deref()), (Some("approved"), Some("rejected")));
    resolve(&mine, c.id, &Resolution::TakeTheirs, first.id).await.unwrap();
    sync(&first, &mine).await;
    let here = format!("SELECT count(*) FROM products WHERE id = x'{}' AND status = 'rejected'", product.simple());
    assert_eq!(local_scalar(&mine, &here).await, 1, "the first computer takes the server's review");
    let s = status(&mine).await.unwrap();
    assert_eq!((s.pending, s.conflicts, s.parked), (0, 0, 1), "the review set aside stays listed, with why");
}
