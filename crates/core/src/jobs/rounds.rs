//! The worker's rounds — the background work Marketdesk does on a schedule —
//! and [`Services`], the handler that does each round's job with the clients
//! its host was given. Each round is a capability's own function (finance,
//! logistics, mail …); this file only names them and says what they did.

use super::queue::Job;
use super::runner::{Handler, Schedule};
use crate::analytics::ga4_outbox;
use crate::catalog::image_publishing::publish_images;
use crate::disputes::sla::run_clock;
use crate::domain::{Carrier, Timestamp};
use crate::integrations::cloudinary::Cloudinary;
use crate::integrations::ga4::Ga4;
use crate::integrations::resend::Resend;
use crate::integrations::stripe::StripeGateway;
use crate::logistics::{carrier_accounts, tracking};
use crate::mail::outbox;
use crate::notifications::mail as notification_mail;
use crate::store::Store;
use crate::sync::retention;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// Image files published per round at most.
const IMAGE_BATCH: u32 = 200;
/// Events claimed per Google Analytics batch.
const ANALYTICS_BATCH: u32 = 250;
/// Mails sent per outbox batch (a round sends batches until none is left).
const MAIL_BATCH: u32 = 100;

/// A kind of background round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Round {
    /// Stripe's events polled and applied (what the webhook missed).
    StripeEvents,
    /// Parcels followed with their carriers.
    Tracking,
    /// Notification mails queued and the mail outbox sent through Resend.
    Mail,
    /// The sync change feed pruned below what every copy has.
    FeedPrune,
    /// Disputes past their stage's time escalated or marked overdue.
    DisputeClock,
    /// Uploaded product images published on Cloudinary.
    Images,
    /// Draft payout batches prepared for finance to approve.
    Payouts,
    /// Business events sent to Google Analytics 4.
    Analytics,
}

impl Round {
    /// Every round.
    pub const ALL: [Round; 8] = [
        Round::StripeEvents,
        Round::Tracking,
        Round::Mail,
        Round::FeedPrune,
        Round::DisputeClock,
        Round::Images,
        Round::Payouts,
        Round::Analytics,
    ];

    /// The job kind it is queued as.
    pub fn kind(self) -> &'static str {
        match self {
            Round::StripeEvents => "stripe.events",
            Round::Tracking => "tracking.poll",
            Round::Mail => "mail.round",
            Round::FeedPrune => "feed.prune",
            Round::DisputeClock => "disputes.clock",
            Round::Images => "images.publish",
            Round::Payouts => "payouts.prepare",
            Round::Analytics => "analytics.ga4",
        }
    }

    /// The round queued as `kind`.
    pub fn from_kind(kind: &str) -> Option<Round> {
        Round::ALL.into_iter().find(|r| r.kind() == kind)
    }

    /// The round every `every`.
    pub fn every(self, every: Duration) -> Schedule {
        Schedule { kind: self.kind().to_owned(), every }
    }
}

/// What a worker has to do its rounds with: a round whose client is missing
/// fails with that said (its host should not have scheduled it).
pub struct Services {
    /// The central database.
    pub store: Arc<Store>,
    /// Stripe, for its events.
    pub stripe: Option<StripeGateway>,
    /// Resend and the sender address, for mail.
    pub mail: Option<(Resend, String)>,
    /// Cloudinary, for product images.
    pub cloudinary: Option<Cloudinary>,
    /// Who Stripe's events and scheduled payout batches are recorded as.
    pub actor: Option<Uuid>,
    /// Days a local copy may stay away before the feed is pruned past it.
    pub keep_days: u32,
    /// The Measurement Protocol endpoint and API secret, for Google Analytics.
    pub ga4: Option<Ga4Access>,
}

/// Where this host sends Google Analytics events, and with which secret (the
/// stream's measurement id is the marketplace's setting).
#[derive(Debug, Clone)]
pub struct Ga4Access {
    /// The endpoint ([`crate::integrations::ga4::Ga4::BASE`] or a local fake).
    pub base: String,
    /// The Measurement Protocol API secret.
    pub api_secret: String,
}

impl Handler for Services {
    async fn handle(&self, job: &Job) -> Result<String, String> {
        let Some(round) = Round::from_kind(&job.kind) else {
            return Err(format!("no round is called {}", job.kind));
        };
        self.run(round).await
    }
}

impl Services {
    /// Does one `round` now.
    pub async fn run(&self, round: Round) -> Result<String, String> {
        let store = &*self.store;
        match round {
            Round::StripeEvents => {
                let gateway = self.stripe.as_ref().ok_or("no Stripe key on this worker")?;
                let r = store.reconcile_stripe_events(gateway, self.actor, |_| {}).await.map_err(|e| e.to_string())?;
                Ok(format!(
                    "{} event(s): {} applied, {} ignored, {} need attention, {} seen before",
                    r.seen, r.applied, r.ignored, r.attention, r.duplicates
                ))
            }
            Round::Tracking => self.track().await,
            Round::Mail => {
                let (resend, from) = self.mail.as_ref().ok_or("no Resend key on this worker")?;
                let queued = notification_mail::queue_due(store, Timestamp::now()).await.map_err(|e| e.to_string())?;
                let (mut sent, mut retrying, mut refused) = (0, 0, 0);
                loop {
                    let r = outbox::deliver_due(store, resend, from, MAIL_BATCH).await.map_err(|e| e.to_string())?;
                    (sent, retrying, refused) = (sent + r.sent, retrying + r.retrying, refused + r.failed);
                    if r.sent + r.retrying + r.failed < MAIL_BATCH as usize {
                        break;
                    }
                }
                Ok(format!(
                    "{} notification mail(s) and {} digest(s) queued; {sent} sent, {retrying} to retry, {refused} refused",
                    queued.single, queued.digests
                ))
            }
            Round::FeedPrune => {
                let r = retention::prune(store, self.keep_days).await.map_err(|e| e.to_string())?;
                Ok(format!(
                    "{} entries pruned below transaction {}, {} copies waited for, {} left behind",
                    r.pruned, r.floor_txid, r.clients, r.left_behind
                ))
            }
            Round::DisputeClock => {
                let r = run_clock(store, Timestamp::now(), None).await.map_err(|e| e.to_string())?;
                Ok(format!("{} escalated, {} marked overdue", r.escalated, r.overdue))
            }
            Round::Images => {
                let cloud = self.cloudinary.as_ref().ok_or("no Cloudinary account on this worker")?;
                let r = publish_images(store, cloud, IMAGE_BATCH).await.map_err(|e| e.to_string())?;
                Ok(format!("{} published, {} removed, {} failed", r.published, r.removed, r.failed))
            }
            Round::Analytics => self.analytics().await,
            Round::Payouts => {
                let by = self.actor.ok_or("scheduled payouts are prepared by someone: give the worker --as")?;
                let r = store.prepare_scheduled_payouts(by).await.map_err(|e| e.to_string())?;
                let made: Vec<String> = r
                    .prepared
                    .iter()
                    .map(|b| format!("{} payout(s) in {} ({} minor units)", b.payout_count, b.currency, b.total_minor))
                    .collect();
                let made = if made.is_empty() { "no batch prepared".to_owned() } else { made.join(", ") };
                let waiting: Vec<String> = r.waiting.iter().map(ToString::to_string).collect();
                Ok(if waiting.is_empty() {
                    made
                } else {
                    format!("{made}; a draft still waits for approval in {}", waiting.join(", "))
                })
            }
        }
    }

    /// Sends the recorded events to Google Analytics when the marketplace
    /// has opted in; a batch Google would refuse fails the round with its reasons.
    async fn analytics(&self) -> Result<String, String> {
        let store = &*self.store;
        let settings = ga4_outbox::settings(store).await.map_err(|e| e.to_string())?;
        let Some(id) = settings.measurement_id.filter(|_| settings.enabled) else {
            return Ok("Google Analytics is off for this marketplace: nothing sent".into());
        };
        let access = self.ga4.as_ref().ok_or("no Google Analytics API secret on this worker")?;
        let ga = Ga4::new(&access.base, &id, &access.api_secret).map_err(|e| e.to_string())?;
        let mut total = ga4_outbox::ForwardReport::default();
        loop {
            let r = ga4_outbox::forward_due(store, &ga, ANALYTICS_BATCH).await.map_err(|e| e.to_string())?;
            let moved = r.sent + r.retrying + r.failed;
            total.sent += r.sent;
            total.retrying += r.retrying;
            total.failed += r.failed;
            total.skipped += r.skipped;
            total.problem = r.problem.or(total.problem);
            if moved < ANALYTICS_BATCH || r.retrying > 0 {
                break;
            }
        }
        let said = format!(
            "{} event(s) sent to {id}, {} to retry, {} refused, {} too old",
            total.sent, total.retrying, total.failed, total.skipped
        );
        match total.problem {
            Some(problem) => Err(format!("{said}: {problem}")),
            None => Ok(said),
        }
    }

    /// A tracking round for each carrier with an account; one without any is
    /// skipped, one that fails fails the round (tried again after back-off).
    async fn track(&self) -> Result<String, String> {
        let store = &*self.store;
        let mut said = Vec::new();
        let mut failed = Vec::new();
        for carrier in [Carrier::Fedex, Carrier::Ups] {
            let configured = carrier_accounts::carrier_settings(store, carrier).await.map_err(|e| e.to_string())?;
            let by_environment =
                std::env::var_os(format!("MARKETDESK_{}_API", carrier.as_str().to_uppercase())).is_some();
            if configured.is_none() && !by_environment {
                continue;
            }
            let round = match carrier_accounts::carrier_client(store, carrier).await {
                Ok(api) => tracking::track_parcels(store, &api).await,
                Err(e) => Err(e),
            };
            match round {
                Ok(r) => said.push(format!(
                    "{}: {} parcels checked, {} new events, {} moved",
                    carrier.name(),
                    r.checked,
                    r.events_added,
                    r.moved
                )),
                Err(e) => failed.push(format!("{}: {e}", carrier.name())),
            }
        }
        if !failed.is_empty() {
            return Err(failed.join("; "));
        }
        Ok(if said.is_empty() { "no carrier account configured".to_owned() } else { said.join("; ") })
    }
}
