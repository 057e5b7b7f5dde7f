//! `worker`: runs Marketdesk's background rounds — Stripe's events, parcel
//! tracking, the mail outbox, change-feed pruning, the disputes' clock, image
//! publishing, scheduled payout batches, Google Analytics — as jobs in the central job queue,
//! so several workers on several hosts do each round once; and serves
//! Stripe's signed webhook, applying each event once.

use super::Result;
use super::stripe_events::actor;
use crate::interrupt;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response, StatusCode};
use marketdesk_core::catalog::image_publishing::configured_cloudinary;
use marketdesk_core::domain::Timestamp;
use marketdesk_core::integrations::ga4;
use marketdesk_core::integrations::resend::{self, Resend};
use marketdesk_core::integrations::stripe::StripeGateway;
use marketdesk_core::integrations::stripe::webhook;
use marketdesk_core::jobs::rounds::{Ga4Access, Round, Services};
use marketdesk_core::jobs::runner::{Runner, Tick};
use marketdesk_core::store::location::{self, Location};
use marketdesk_core::store::{Store, StoreError};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// Where Stripe delivers.
pub const WEBHOOK_PATH: &str = "/stripe/webhook";
/// Stripe's events are small; anything larger is not one.
const MAX_BODY: usize = 1 << 20;
/// The longest a round may run before it is stopped and tried again.
const LEASE: Duration = Duration::from_secs(15 * 60);

/// What the worker runs.
#[derive(Debug, Clone, Copy)]
pub struct Jobs {
    /// Serve Stripe's webhook here.
    pub listen: Option<SocketAddr>,
    /// Seconds between polls of Stripe's events (0: never).
    pub poll_every: u64,
    /// Seconds between tracking rounds (0: never).
    pub track_every: u64,
    /// Seconds between rounds of the mail outbox (0: never).
    pub mail_every: u64,
    /// Seconds between prunes of the change feed (0: never).
    pub prune_every: u64,
    /// Seconds between rounds of the disputes' clock (0: never).
    pub clock_every: u64,
    /// Seconds between rounds publishing product images on Cloudinary (0: never).
    pub images_every: u64,
    /// Seconds between scheduled payout batches (0: never).
    pub payouts_every: u64,
    /// Seconds between rounds sending events to Google Analytics 4 (0: never).
    pub analytics_every: u64,
    /// Days a copy may stay away before the feed is pruned past it.
    pub keep_days: u32,
    /// One tick — this slot's rounds enqueued, due jobs done — then stop.
    pub once: bool,
}

/// Runs until interrupted (or one tick with `once`): the rounds given a
/// period above 0 are scheduled in the job queue and done, with the webhook
/// served at `listen`.
pub async fn worker(loc: &Location, jobs: Jobs, login: Option<&str>) -> Result<ExitCode> {
    let periods = [
        (Round::StripeEvents, jobs.poll_every),
        (Round::Tracking, jobs.track_every),
        (Round::Mail, jobs.mail_every),
        (Round::FeedPrune, jobs.prune_every),
        (Round::DisputeClock, jobs.clock_every),
        (Round::Images, jobs.images_every),
        (Round::Payouts, jobs.payouts_every),
        (Round::Analytics, jobs.analytics_every),
    ];
    let mut wanted: Vec<(Round, u64)> = periods.into_iter().filter(|(_, every)| *every > 0).collect();
    if jobs.listen.is_none() && wanted.is_empty() {
        return Err("nothing to do: give --webhook-listen, or a --poll-every, --track-every, --mail-every, \
                    --prune-every, --clock-every, --images-every, --payouts-every or --analytics-every above 0"
            .into());
    }
    // Refuse at start, not at the first round, what a round cannot work without.
    let has = |r: Round| wanted.iter().any(|(w, _)| *w == r);
    let mail =
        if has(Round::Mail) { Some((Resend::from_environment()?, resend::sender_from_environment()?)) } else { None };
    let ga4 = if has(Round::Analytics) {
        let api_secret = ga4::api_secret_from_environment()
            .ok_or("--analytics-every: no Google Analytics API secret (MARKETDESK_GA4_API_SECRET or `marketdesk secret set ga4`)")?;
        Some(Ga4Access { base: ga4::base_from_environment(), api_secret })
    } else {
        None
    };
    let stripe = if has(Round::StripeEvents) { Some(StripeGateway::from_environment()?) } else { None };
    if has(Round::Payouts) && login.is_none() {
        return Err("--payouts-every: scheduled batches are prepared in someone's name: give --as".into());
    }
    let store = Arc::new(location::open(loc, false).await?);
    let Some(pool) = store.pg_pool().cloned() else {
        return Err("the worker reconciles the central database: give a postgres:// URL".into());
    };
    let actor = actor(&store, login).await?;
    let cloudinary = if has(Round::Images) { configured_cloudinary(&store).await? } else { None };
    if has(Round::Images) && cloudinary.is_none() {
        println!("images: no Cloudinary account configured; they stay in the marketplace's own store");
        wanted.retain(|(r, _)| *r != Round::Images);
    }
    let mut serving = None;
    if let Some(addr) = jobs.listen {
        let secret = webhook::secret_from_environment()?;
        let listener = tokio::net::TcpListener::bind(addr).await?;
        println!("listening for Stripe webhooks on http://{}{WEBHOOK_PATH}", listener.local_addr()?);
        serving = Some(tokio::spawn(serve(listener, Arc::clone(&store), Arc::new(secret), actor)));
    }
    if wanted.is_empty() {
        if let Some(server) = serving {
            server.await?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let services =
        Services { store: Arc::clone(&store), stripe, mail, cloudinary, actor, keep_days: jobs.keep_days, ga4 };
    let schedules = wanted.iter().map(|(r, every)| r.every(Duration::from_secs(*every))).collect();
    let name = format!("{}-{}", marketdesk_core::host::name(), std::process::id());
    let runner = Runner::start(pool, &name, schedules, &[], LEASE).await?;
    println!("worker {name}: {}", runner.kinds().join(", "));
    if jobs.once {
        let tick = runner.tick(&services, Timestamp::now()).await;
        runner.stop().await?;
        let tick = tick?;
        say(Ok(&tick));
        let failed = tick.outcomes.iter().filter(|o| o.result.is_err()).count();
        return Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE });
    }
    interrupt::catch();
    let stop = async {
        while !interrupt::interrupted() {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        println!("worker {name}: stopping after the job in hand (interrupt again to stop at once)");
    };
    // An interrupted job rolls back with its transaction; its lease runs out
    // and another worker (or this one, restarted) does it again.
    runner.run_until(&services, Duration::from_secs(1), say, stop).await;
    interrupt::release();
    Ok(ExitCode::SUCCESS)
}

/// The worker's logging: JSON files in the log folder (`MARKETDESK_LOG_DIR`,
/// or the platform's) and, when `MARKETDESK_LOG` asks, events on stderr (the
/// worker says what each round did there itself); panics logged; errors
/// reported when a DSN is configured. Without a writable folder it says so and
/// logs on stderr only.
pub fn logging(stderr: Option<String>) -> Option<marketdesk_core::observability::startup::Observability> {
    let started = marketdesk_core::observability::startup::start(
        "worker",
        concat!("marketdesk@", env!("CARGO_PKG_VERSION")),
        stderr,
    );
    for problem in &started.problems {
        eprintln!("warning: {problem}");
    }
    started.logs.is_some().then_some(started)
}

/// Says what a tick did: each job's outcome, on stdout when done and stderr
/// when failed.
fn say(tick: std::result::Result<&Tick, &StoreError>) {
    let tick = match tick {
        Ok(t) => t,
        Err(e) => {
            tracing::warn!("the job queue cannot be reached now: {e}");
            eprintln!("worker: the job queue cannot be reached now (will try again): {e}");
            return;
        }
    };
    if tick.released > 0 {
        println!("jobs: {} taken back from workers that stopped", tick.released);
    }
    for o in &tick.outcomes {
        let (job, kind, attempt) = (o.id, o.kind.as_str(), o.attempt);
        match &o.result {
            Ok(what) => {
                tracing::info!(%job, kind, attempt, "{what}");
                println!("{kind}: {what}");
            }
            Err(why) if o.dead => {
                tracing::error!(%job, kind, attempt, "failed for the last time, kept dead: {why}");
                eprintln!("{kind} failed for the last time (kept dead; retry it from Jobs): {why}");
            }
            Err(why) => {
                tracing::warn!(%job, kind, attempt, "failed, will try again: {why}");
                eprintln!("{kind} failed on try {attempt} (will try again): {why}");
            }
        }
    }
}

async fn serve(listener: tokio::net::TcpListener, store: Arc<Store>, secret: Arc<String>, actor: Option<Uuid>) {
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(c) => c,
            Err(e) => {
                eprintln!("webhook: cannot accept a connection: {e}");
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            }
        };
        let (store, secret) = (Arc::clone(&store), Arc::clone(&secret));
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let (store, secret) = (Arc::clone(&store), Arc::clone(&secret));
                async move { Ok::<_, std::convert::Infallible>(deliver(req, &store, &secret, actor).await) }
            });
            let io = hyper_util::rt::TokioIo::new(stream);
            if let Err(e) = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await {
                eprintln!("webhook: connection ended: {e}");
            }
        });
    }
}

fn answer(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = status;
    r.headers_mut().insert(hyper::header::CONTENT_TYPE, hyper::header::HeaderValue::from_static("application/json"));
    r
}

fn refusal(status: StatusCode, why: &str) -> Response<Full<Bytes>> {
    eprintln!("webhook: refused a delivery: {why}");
    answer(status, serde_json::json!({ "error": why }).to_string())
}

/// Handles one delivery: 200 once applied (or seen before), 400 for what
/// Stripe did not sign, 500 when the database failed (Stripe delivers again).
async fn deliver(req: Request<Incoming>, store: &Store, secret: &str, actor: Option<Uuid>) -> Response<Full<Bytes>> {
    if req.uri().path() != WEBHOOK_PATH {
        return refusal(StatusCode::NOT_FOUND, "no such endpoint");
    }
    if req.method() != Method::POST {
        return refusal(StatusCode::METHOD_NOT_ALLOWED, "deliveries are POSTed");
    }
    let header = req.headers().get("stripe-signature").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body = match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return refusal(StatusCode::PAYLOAD_TOO_LARGE, "the body is larger than 1 MiB or was cut off"),
    };
    let now = chrono::Utc::now().timestamp();
    let event = match webhook::verify(&body, header.as_deref(), secret, now).and_then(|()| webhook::parse_event(&body))
    {
        Ok(e) => e,
        Err(e) => return refusal(StatusCode::BAD_REQUEST, &e.to_string()),
    };
    match store.apply_stripe_event(&event, actor).await {
        Ok(outcome) => {
            let label = outcome.label();
            println!(
                "webhook: {} {}: {label} — {}",
                event.id,
                event.kind,
                outcome.detail().unwrap_or("applied before")
            );
            answer(StatusCode::OK, serde_json::json!({ "received": true, "outcome": label }).to_string())
        }
        Err(e @ (StoreError::Busy(_) | StoreError::Database(_) | StoreError::Unreachable { .. })) => {
            eprintln!("webhook: {} could not be applied now: {e}", event.id);
            answer(StatusCode::INTERNAL_SERVER_ERROR, serde_json::json!({ "error": "try again" }).to_string())
        }
        Err(e) => {
            eprintln!("webhook: {} refused: {e}", event.id);
            answer(StatusCode::INTERNAL_SERVER_ERROR, serde_json::json!({ "error": e.to_string() }).to_string())
        }
    }
}
