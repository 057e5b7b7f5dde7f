//! Fault injection: pushes through a TCP proxy written here that refuses
//! connections while "down" and, while "flaky", cuts each connection after a
//! random number of bytes from the server — mid-query, mid-commit, or after
//! the commit but before its answer. Every queued change reaches the server
//! exactly once, and the queue drains by itself once traffic passes. A
//! stalled connection (bytes held without a word) ends the round after the
//! push's wait instead of hanging it.

use crate::{Person, Site, local_copy, site, sync};
use marketdesk_core::store::Store;
use marketdesk_core::sync::Mutation;
use marketdesk_core::sync::outbox::record;
use marketdesk_core::sync::push::{push, push_within};
use marketdesk_core::sync::status::status;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use uuid::Uuid;

/// A proxy in front of one PostgreSQL port.
struct Proxy {
    port: u16,
    down: Arc<AtomicBool>,
    flaky: Arc<AtomicBool>,
    stall: Arc<AtomicBool>,
    cuts: Arc<AtomicU64>,
}

impl Proxy {
    async fn start(upstream: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let down = Arc::new(AtomicBool::new(false));
        let flaky = Arc::new(AtomicBool::new(false));
        let stall = Arc::new(AtomicBool::new(false));
        let cuts = Arc::new(AtomicU64::new(0));
        let (d, f, st, c) = (down.clone(), flaky.clone(), stall.clone(), cuts.clone());
        tokio::spawn(async move {
            let mut n: u64 = 0x9E37_79B9_7F4A_7C15;
            while let Ok((client, _)) = listener.accept().await {
                if d.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                // A different budget for each connection (xorshift).
                n ^= n << 13;
                n ^= n >> 7;
                n ^= n << 17;
                let budget = if f.load(Ordering::SeqCst) { Some(200 + (n % 3_000) as usize) } else { None };
                tokio::spawn(relay(client, upstream, budget, c.clone(), d.clone(), st.clone()));
            }
        });
        Proxy { port, down, flaky, stall, cuts }
    }
}

async fn relay(
    client: TcpStream,
    upstream: u16,
    budget: Option<usize>,
    cuts: Arc<AtomicU64>,
    down: Arc<AtomicBool>,
    stall: Arc<AtomicBool>,
) {
    let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)).await else { return };
    let (mut cr, mut cw) = client.into_split();
    let (mut sr, mut sw) = server.into_split();
    let up = tokio::spawn(async move {
        let mut buf = [0u8; 8192];
        while let Ok(n) = cr.read(&mut buf).await {
            if n == 0 || sw.write_all(&buf[..n]).await.is_err() {
                break;
            }
        }
    });
    let mut left = budget.unwrap_or(usize::MAX);
    let mut buf = [0u8; 8192];
    while let Ok(n) = sr.read(&mut buf).await {
        // Going down cuts the connections already open too.
        if n == 0 || down.load(Ordering::SeqCst) {
            break;
        }
        // Stalled: the server's bytes are held, without a word, until let go.
        while stall.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        if n > left {
            // Pass part of the message, then cut both ways.
            let _ = cw.write_all(&buf[..left]).await;
            cuts.fetch_add(1, Ordering::SeqCst);
            break;
        }
        left -= n;
        if cw.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    up.abort();
}

/// A seeded site, the admin's copy synced straight, and the admin's server
/// connection going through a new proxy.
async fn behind_proxy() -> (Site, Person, tempfile::TempDir, Store, Proxy) {
    let mut site = site().await;
    let direct = site.person("admin@marketdesk.demo").await;
    let (dir, local, _) = local_copy().await;
    sync(&direct, &local).await;
    let proxy = Proxy::start(site.cluster.port).await;
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
        let m = Mutation::StockAdjustment { variant: variants[i % variants.len()], delta: 1 };
        record(&local, admin.id, &m).await.unwrap();
    }

    // The server out of reach: nothing is lost, everything waits.
    proxy.down.store(true, Ordering::SeqCst);
    let refused = push(&admin.server, &local, admin.id).await;
    assert!(
        matches!(&refused, Err(marketdesk_core::sync::SyncError::Offline(_)))
            || refused.as_ref().is_ok_and(|r| r.stopped.is_some()),
        "{refused:?}"
    );
    assert_eq!(status(&local).await.unwrap().pending, CHANGES as u32);

    // Back, but cutting every connection somewhere: rounds go on by themselves
    // (as the desktop's timer runs them) until the queue is empty.
    proxy.down.store(false, Ordering::SeqCst);
    proxy.flaky.store(true, Ordering::SeqCst);
    let (mut rounds, mut replayed) = (0, 0);
    while status(&local).await.unwrap().pending > 0 {
        rounds += 1;
        assert!(rounds < 2_000, "the queue drains");
        if let Ok(r) = push(&admin.server, &local, admin.id).await {
            replayed += r.replayed;
        }
    }
    let cuts = proxy.cuts.load(Ordering::SeqCst);
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
        record(&local, admin.id, &Mutation::StockAdjustment { variant, delta: 1 }).await.unwrap();
    }

    // The network swallows the server's answers: the round gives up after
    // its wait (the outer limit only guards against a hang).
    proxy.stall.store(true, Ordering::SeqCst);
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
    proxy.stall.store(false, Ordering::SeqCst);
    let mut rounds = 0;
    while status(&local).await.unwrap().pending > 0 {
        rounds += 1;
        assert!(rounds < 20, "the queue drains");
        let _ = push_within(&admin.server, &local, admin.id, wait).await;
    }
    assert_eq!(site.scalar(&stock).await - before, 6, "every change applied exactly once");
    assert_eq!(site.scalar("SELECT count(*) FROM sync_applied_mutations").await, 6);
}
