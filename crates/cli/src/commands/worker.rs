//! `worker`: polls Stripe's events and serves the signed webhook, applying
//! each event once; follows parcels on their way with their carriers; sends
//! the notifications due by mail and the mail outbox through Resend; prunes
//! the sync change feed; runs the disputes' clock; publishes product images
//! on Cloudinary.

use super::Result;
use super::stripe_events::{actor, print_report};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response, StatusCode};
use marketdesk_core::catalog::image_publishing::{configured_cloudinary, publish_images};
use marketdesk_core::disputes::sla::run_clock;
use marketdesk_core::domain::Carrier;
use marketdesk_core::domain::Timestamp;
use marketdesk_core::integrations::cloudinary::Cloudinary;
use marketdesk_core::integrations::resend::{self, Resend};
use marketdesk_core::integrations::stripe::StripeGateway;
use marketdesk_core::integrations::stripe::webhook;
use marketdesk_core::logistics::{carrier_accounts, tracking};
use marketdesk_core::mail::outbox;
use marketdesk_core::notifications::mail as notification_mail;
use marketdesk_core::store::location::{self, Location};
use marketdesk_core::store::{Store, StoreError};
use marketdesk_core::sync::retention;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// Where Stripe delivers.
pub const WEBHOOK_PATH: &str = "/stripe/webhook";
/// Stripe's events are small; anything larger is not one.
const MAX_BODY: usize = 1 << 20;

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
    /// Days a copy may stay away before the feed is pruned past it.
    pub keep_days: u32,
}

/// Image files published per round at most.
const IMAGE_BATCH: u32 = 200;

/// Mails sent per outbox round at most (the rest wait for the next round).
const MAIL_BATCH: u32 = 100;

/// Runs until interrupted: polls every `poll_every` seconds and serves the
/// webhook at `listen`; a tracking round every `track_every` seconds; an
/// outbox round every `mail_every` seconds.
pub async fn worker(loc: &Location, jobs: Jobs, login: Option<&str>) -> Result<ExitCode> {
    let Jobs { listen, poll_every, track_every, mail_every, prune_every, clock_every, images_every, keep_days } = jobs;
    let rounds = [poll_every, track_every, mail_every, prune_every, clock_every, images_every];
    if listen.is_none() && rounds.iter().all(|e| *e == 0) {
        return Err("nothing to do: give --webhook-listen, or a --poll-every, --track-every, --mail-every, \
                    --prune-every, --clock-every or --images-every above 0"
            .into());
    }
    // Refuse at start, not at the first round, when mail cannot be sent.
    let mail =
        if mail_every > 0 { Some((Resend::from_environment()?, resend::sender_from_environment()?)) } else { None };
    let store = Arc::new(location::open(loc, false).await?);
    if store.pg_pool().is_none() {
        return Err("the worker reconciles the central database: give a postgres:// URL".into());
    }
    let actor = actor(&store, login).await?;
    let mut tasks = tokio::task::JoinSet::new();
    if track_every > 0 {
        tasks.spawn(track(Arc::clone(&store), Duration::from_secs(track_every)));
    }
    if prune_every > 0 {
        tasks.spawn(prune(Arc::clone(&store), Duration::from_secs(prune_every), keep_days));
    }
    if clock_every > 0 {
        tasks.spawn(dispute_clock(Arc::clone(&store), Duration::from_secs(clock_every)));
    }
    if images_every > 0 {
        // Refuse at start when the account is configured wrongly.
        if let Some(cloud) = configured_cloudinary(&store).await? {
            tasks.spawn(publish(Arc::clone(&store), cloud, Duration::from_secs(images_every)));
        } else {
            println!("images: no Cloudinary account configured; they stay in the marketplace's own store");
        }
    }
    if let Some((resend, from)) = mail {
        tasks.spawn(send_mail(Arc::clone(&store), resend, from, Duration::from_secs(mail_every)));
    }
    if let Some(addr) = listen {
        let secret = webhook::secret_from_environment()?;
        let listener = tokio::net::TcpListener::bind(addr).await?;
        println!("listening for Stripe webhooks on http://{}{WEBHOOK_PATH}", listener.local_addr()?);
        tasks.spawn(serve(listener, Arc::clone(&store), Arc::new(secret), actor));
    }
    if poll_every > 0 {
        let gateway = StripeGateway::from_environment()?;
        let store = Arc::clone(&store);
        tasks.spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(poll_every));
            loop {
                tick.tick().await;
                match store.reconcile_stripe_events(&gateway, actor, |_| {}).await {
                    Ok(r) => print_report(&r),
                    Err(e) => eprintln!("polling Stripe's events failed (will try again): {e}"),
                }
            }
        });
    }
    // Runs until killed: an event interrupted mid-way rolls back with its
    // transaction and is delivered (or polled) again.
    while let Some(done) = tasks.join_next().await {
        done?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A tracking round per carrier with an account, every `every`; a carrier
/// without one is skipped, a failed round is said and tried next time.
async fn track(store: Arc<Store>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        for carrier in [Carrier::Fedex, Carrier::Ups] {
            match carrier_accounts::carrier_settings(&store, carrier).await {
                Ok(None)
                    if std::env::var_os(format!("MARKETDESK_{}_API", carrier.as_str().to_uppercase())).is_none() =>
                {
                    continue;
                }
                Err(e) => {
                    eprintln!("tracking {}: cannot read its account ({e}); will try again", carrier.name());
                    continue;
                }
                _ => {}
            }
            let round = match carrier_accounts::carrier_client(&store, carrier).await {
                Ok(api) => tracking::track_parcels(&store, &api).await,
                Err(e) => Err(e),
            };
            match round {
                Ok(r) => println!(
                    "tracking {}: {} parcels checked, {} new events, {} moved",
                    carrier.name(),
                    r.checked,
                    r.events_added,
                    r.moved
                ),
                Err(e) => eprintln!("tracking {} failed (will try again): {e}", carrier.name()),
            }
        }
    }
}

/// A mail round every `every`: the notification mails due (single ones and
/// daily digests) into the outbox, then due mails in batches until none is left;
/// a failed round is said and tried next time.
async fn send_mail(store: Arc<Store>, resend: Resend, from: String, every: Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        match notification_mail::queue_due(&store, Timestamp::now()).await {
            Ok(r) if r.single + r.digests > 0 => {
                println!("notifications: {} mail(s), {} digest(s) queued", r.single, r.digests);
            }
            Ok(_) => {}
            Err(e) => eprintln!("notifications: the mail round failed (will try again): {e}"),
        }
        loop {
            match outbox::deliver_due(&store, &resend, &from, MAIL_BATCH).await {
                Ok(r) => {
                    if r.sent + r.retrying + r.failed > 0 {
                        println!("mail: {} sent, {} to retry, {} refused", r.sent, r.retrying, r.failed);
                    }
                    if r.sent + r.retrying + r.failed < MAIL_BATCH as usize {
                        break;
                    }
                }
                Err(e) => {
                    eprintln!("mail: the outbox round failed (will try again): {e}");
                    break;
                }
            }
        }
    }
}

/// Uploads waiting for Cloudinary published (and deleted ones removed
/// there) every `every`; a failure is kept on its image and tried next time.
async fn publish(store: Arc<Store>, cloud: Cloudinary, every: Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        match publish_images(&store, &cloud, IMAGE_BATCH).await {
            Ok(r) if r.published + r.removed + r.failed > 0 => {
                println!("images: {} published, {} removed, {} failed", r.published, r.removed, r.failed);
            }
            Ok(_) => {}
            Err(e) => eprintln!("images: the publishing round failed (will try again): {e}"),
        }
    }
}

/// A round of the disputes' clock every `every`: stages past their time
/// escalated, escalated disputes past theirs marked overdue; a failed round
/// is said and tried next time.
async fn dispute_clock(store: Arc<Store>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        match run_clock(&store, Timestamp::now(), None).await {
            Ok(r) if r.escalated + r.overdue > 0 => {
                println!("disputes: {} escalated, {} marked overdue", r.escalated, r.overdue);
            }
            Ok(_) => {}
            Err(e) => eprintln!("disputes: the clock's round failed (will try again): {e}"),
        }
    }
}

/// A prune of the change feed every `every`; a failed one is said and tried
/// next time.
async fn prune(store: Arc<Store>, every: Duration, keep_days: u32) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        match retention::prune(&store, keep_days).await {
            Ok(r) => println!(
                "feed: {} entries pruned below transaction {}, {} copies waited for, {} left behind, {} applied changes forgotten",
                r.pruned, r.floor_txid, r.clients, r.left_behind, r.mutations_forgotten
            ),
            Err(e) => eprintln!("feed: the prune failed (will try again): {e}"),
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
