//! A TCP proxy in front of one PostgreSQL port that injects network faults for
//! the sync tests: it refuses connections while "down"; while "flaky" it cuts
//! each connection after a different number of bytes from the server (mid-query,
//! mid-commit, or after the commit but before its answer); "stall" holds the
//! server's bytes without a word; "hold" holds the client's bytes, so a
//! connection that started first reaches the server after later ones (the
//! order connections arrive in is reversed); and "stall after commit" lets a
//! pushed change's COMMIT through and then holds the server's answer, the
//! moment between the server's commit and the client's acknowledgement.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the proxy is doing to the traffic; every switch can change at any time.
#[derive(Debug, Default)]
pub struct Faults {
    /// New connections are refused and open ones cut.
    pub down: AtomicBool,
    /// Each new connection is cut after a different number of the server's bytes.
    pub flaky: AtomicBool,
    /// The server's bytes are held, on every connection, until this is cleared.
    pub stall: AtomicBool,
    /// The clients' bytes are held, on every connection, until this is cleared.
    pub hold: AtomicBool,
    /// The next COMMIT of a connection that recorded a pushed change passes,
    /// then `stall` is set: the server commits and its answer is held.
    pub stall_after_commit: AtomicBool,
    /// Connections cut while flaky.
    pub cuts: AtomicU64,
    /// COMMITs let through by `stall_after_commit`.
    pub commits_held: AtomicU64,
}

/// A running proxy.
pub struct FaultProxy {
    /// The port clients connect to.
    pub port: u16,
    /// Its switches and counters.
    pub faults: Arc<Faults>,
}

impl FaultProxy {
    /// Starts a proxy in front of `upstream` (a port on 127.0.0.1).
    pub async fn start(upstream: u16) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the proxy");
        let port = listener.local_addr().expect("proxy address").port();
        let faults = Arc::new(Faults::default());
        let f = faults.clone();
        tokio::spawn(async move {
            let mut n: u64 = 0x9E37_79B9_7F4A_7C15;
            while let Ok((client, _)) = listener.accept().await {
                if f.down.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                // A different budget for each connection (xorshift).
                n ^= n << 13;
                n ^= n >> 7;
                n ^= n << 17;
                let budget = f.flaky.load(Ordering::SeqCst).then_some(200 + (n % 3_000) as usize);
                tokio::spawn(relay(client, upstream, budget, f.clone()));
            }
        });
        FaultProxy { port, faults }
    }
}

/// Waits while `flag` is set.
async fn held(flag: &AtomicBool) {
    while flag.load(Ordering::SeqCst) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn relay(client: TcpStream, upstream: u16, budget: Option<usize>, faults: Arc<Faults>) {
    let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)).await else { return };
    let (mut cr, mut cw) = client.into_split();
    let (mut sr, mut sw) = server.into_split();
    let f = faults.clone();
    let up = tokio::spawn(async move {
        let mut buf = [0u8; 8192];
        // This connection has recorded a pushed change (prepared statements
        // name the table only the first time, so remember it).
        let mut pushing = false;
        while let Ok(n) = cr.read(&mut buf).await {
            if n == 0 {
                break;
            }
            held(&f.hold).await;
            let chunk = &buf[..n];
            pushing |= contains(chunk, b"sync_applied_mutations");
            if pushing && contains(chunk, b"COMMIT") && f.stall_after_commit.swap(false, Ordering::SeqCst) {
                // Held before the server can answer.
                f.stall.store(true, Ordering::SeqCst);
                f.commits_held.fetch_add(1, Ordering::SeqCst);
            }
            if sw.write_all(chunk).await.is_err() {
                break;
            }
        }
    });
    let mut left = budget.unwrap_or(usize::MAX);
    let mut buf = [0u8; 8192];
    while let Ok(n) = sr.read(&mut buf).await {
        // Going down cuts the connections already open too.
        if n == 0 || faults.down.load(Ordering::SeqCst) {
            break;
        }
        held(&faults.stall).await;
        if n > left {
            // Pass part of the message, then cut both ways.
            let _ = cw.write_all(&buf[..left]).await;
            faults.cuts.fetch_add(1, Ordering::SeqCst);
            break;
        }
        left -= n;
        if cw.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    up.abort();
}
