//! Optional error reports to a Sentry-compatible service: errors logged
//! through `tracing` and panics become events (warnings and info lines ride
//! along as breadcrumbs), sent as envelopes to the DSN's envelope endpoint by
//! a thread of their own over the app's HTTP client. Off unless a DSN is
//! given — `MARKETDESK_SENTRY_DSN`, or the keychain's `sentry` entry — and
//! every event is scrubbed like a log line before it leaves (an event that
//! cannot be scrubbed is not sent). No person's data is attached.

use super::scrub::scrub;
use sentry::protocol::{Breadcrumb, Event};
use sentry::{ClientOptions, Envelope, Transport, TransportFactory, TransportOptions};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Names the DSN for servers and tests.
pub const DSN_VARIABLE: &str = "MARKETDESK_SENTRY_DSN";
/// How long one envelope may take to send.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// Why reporting could not start.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Not a DSN.
    #[error("the error-reporting DSN is not one ({0}): it looks like https://KEY@host/PROJECT")]
    BadDsn(String),
}

/// Keeps reporting on; dropping it sends what is queued (two seconds at most).
#[must_use = "reports stop when the guard is dropped"]
pub struct ReportGuard(#[allow(dead_code)] sentry::ClientInitGuard);

/// The DSN configured on this computer: the variable, else the keychain.
pub fn configured_dsn() -> Option<String> {
    if let Some(dsn) = std::env::var(DSN_VARIABLE).ok().map(|d| d.trim().to_owned()).filter(|d| !d.is_empty()) {
        return Some(dsn);
    }
    let entry = crate::secrets::integration("sentry")?;
    crate::secrets::get(entry.account).ok().flatten()
}

/// `event` as it may leave this computer: every text in it scrubbed (by way
/// of its JSON form), the user dropped; `None` if that cannot be done.
pub fn scrub_event(mut event: Event<'static>) -> Option<Event<'static>> {
    event.user = None;
    event.request = None;
    let json = serde_json::to_string(&event).ok()?;
    serde_json::from_str(&scrub(&json)).ok()
}

fn scrub_breadcrumb(crumb: Breadcrumb) -> Option<Breadcrumb> {
    let json = serde_json::to_string(&crumb).ok()?;
    serde_json::from_str(&scrub(&json)).ok()
}

/// Sends envelopes one by one from a thread of its own.
struct EnvelopeSender {
    queue: Mutex<Option<Sender<Envelope>>>,
    pending: Arc<AtomicUsize>,
}

impl EnvelopeSender {
    fn start(options: &TransportOptions) -> EnvelopeSender {
        let (tx, rx) = channel::<Envelope>();
        let pending = Arc::new(AtomicUsize::new(0));
        let url = options.dsn.envelope_api_url().to_string();
        let auth = options.dsn.to_auth(Some(&options.user_agent)).to_string();
        let left = Arc::clone(&pending);
        let spawned = std::thread::Builder::new().name("error-reports".into()).spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            let client = runtime
                .block_on(async { reqwest::Client::builder().timeout(SEND_TIMEOUT).build() })
                .unwrap_or_default();
            for envelope in rx {
                let mut body = Vec::new();
                if envelope.to_writer(&mut body).is_ok() {
                    let request = client
                        .post(&url)
                        .header("X-Sentry-Auth", &auth)
                        .header("Content-Type", "application/x-sentry-envelope")
                        .body(body);
                    let sent = runtime.block_on(async { request.send().await });
                    // Not through `tracing`: a failed report would report itself.
                    match sent {
                        Ok(r) if !r.status().is_success() => {
                            eprintln!("error report refused: HTTP {}", r.status());
                        }
                        Err(e) => eprintln!("error report not sent: {e}"),
                        Ok(_) => {}
                    }
                }
                left.fetch_sub(1, Ordering::SeqCst);
            }
        });
        let queue = if spawned.is_ok() { Some(tx) } else { None };
        EnvelopeSender { queue: Mutex::new(queue), pending }
    }
}

impl Transport for EnvelopeSender {
    fn send_envelope(&self, envelope: Envelope) {
        let Ok(queue) = self.queue.lock() else { return };
        if let Some(tx) = queue.as_ref() {
            self.pending.fetch_add(1, Ordering::SeqCst);
            if tx.send(envelope).is_err() {
                self.pending.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }

    fn flush(&self, timeout: Duration) -> bool {
        let until = Instant::now() + timeout;
        while self.pending.load(Ordering::SeqCst) > 0 {
            if Instant::now() >= until {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        true
    }

    fn shutdown(&self, timeout: Duration) -> bool {
        let drained = self.flush(timeout);
        if let Ok(mut queue) = self.queue.lock() {
            queue.take();
        }
        drained
    }
}

struct Factory;

impl TransportFactory for Factory {
    fn create_transport_with_options(&self, options: TransportOptions) -> Arc<dyn Transport> {
        Arc::new(EnvelopeSender::start(&options))
    }
}

/// Starts reporting to `dsn` for this process, as `release` of Marketdesk in
/// `environment` (production, staging, demo).
pub fn start_reporting(dsn: &str, release: &str, environment: &str) -> Result<ReportGuard, ReportError> {
    let parsed = dsn.trim().parse().map_err(|e: sentry::types::ParseDsnError| ReportError::BadDsn(e.to_string()))?;
    let options = ClientOptions {
        dsn: Some(parsed),
        release: Some(release.to_owned().into()),
        environment: Some(environment.to_owned().into()),
        send_default_pii: false,
        attach_stacktrace: true,
        before_send: Some(Arc::new(scrub_event)),
        before_breadcrumb: Some(Arc::new(scrub_breadcrumb)),
        transport: Some(Arc::new(Factory)),
        ..ClientOptions::default()
    };
    Ok(ReportGuard(sentry::init(options)))
}

/// Sends what is queued, waiting up to `timeout`; whether all of it went.
pub fn flush_reports(timeout: Duration) -> bool {
    sentry::Hub::current().client().is_none_or(|c| c.flush(Some(timeout)))
}
