//! The background sync of a signed-in session. Online, it keeps the local copy
//! current (a round at sign-in, on every live change and on a timer) so work
//! goes on when the network drops. Offline, it tries the server on a timer
//! with back-off, and when it answers pushes the queued changes and pulls
//! what changed there — without waiting for a new local write. Every few
//! hours a round also sweeps out rows the person can no longer read. A person can
//! also ask for a round or a full resync at once. Each round's outcome and a
//! first copy's progress reach the UI as `SyncProgressed` events.

use crate::events::{DataChanged, SyncProgressed};
use crate::live::entity_of;
use marketdesk_core::Store;
use marketdesk_core::identity::{self, Backoff};
use marketdesk_core::store::live::listen;
use marketdesk_core::sync::initial::copy_all;
use marketdesk_core::sync::{SyncError, cycle, status};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tauri::AppHandle;
use tauri_specta::Event;
use tokio::sync::Notify;
use uuid::Uuid;
use zeroize::Zeroizing;

/// Time between rounds while the server answers.
const EVERY: Duration = Duration::from_secs(30);
/// How long server changes are gathered before a round starts.
const NOTICE: Duration = Duration::from_millis(20);
/// Longest wait between attempts while the server does not answer.
const LONGEST_WAIT: Duration = Duration::from_secs(60);

/// The lists a sweep may have taken rows from.
const SWEPT_ENTITIES: [&str; 8] =
    ["orders", "products", "shipments", "users", "payouts", "disputes", "customers", "subscriptions"];

/// How the runner reaches the server.
pub enum Link {
    /// The session's own connection (signed in online).
    Online(Store),
    /// Signed in offline: the server and the person's sign-in, kept in memory
    /// for this session only, to connect when the server answers again.
    Offline {
        /// The server's address (no user or password).
        server: String,
        /// The sign-in name.
        login: String,
        /// The password typed at sign-in, wiped from memory when the session ends.
        password: Zeroizing<String>,
    },
}

/// A running background sync.
pub struct SyncRunner {
    task: tokio::task::JoinHandle<()>,
    kick: Arc<Notify>,
    resync: Arc<AtomicBool>,
    cancel: Arc<AtomicBool>,
}

impl SyncRunner {
    /// Starts syncing `local` for `me` over `link`.
    pub fn start(app: AppHandle, local: Store, me: Uuid, link: Link) -> SyncRunner {
        let kick = Arc::new(Notify::new());
        let resync = Arc::new(AtomicBool::new(false));
        let cancel = Arc::new(AtomicBool::new(false));
        let (k, r, c) = (kick.clone(), resync.clone(), cancel.clone());
        let task = tokio::spawn(async move {
            // Online, every change on the server starts a round at once.
            let listener = match &link {
                Link::Online(server) => {
                    let (server, k) = (server.clone(), k.clone());
                    Some(tokio::spawn(async move {
                        let _ = listen(&server, NOTICE, |_| {
                            k.notify_one();
                            true
                        })
                        .await;
                    }))
                }
                Link::Offline { .. } => None,
            };
            run(app, local, me, link, k, r, c).await;
            if let Some(l) = listener {
                l.abort();
            }
        });
        SyncRunner { task, kick, resync, cancel }
    }

    /// Runs a round now.
    pub fn kick(&self) {
        self.kick.notify_one();
    }

    /// Replaces the copy with a fresh one now.
    pub fn resync(&self) {
        self.resync.store(true, Ordering::SeqCst);
        self.kick.notify_one();
    }

    /// Stops the runner (sign-out).
    pub fn stop(&self) {
        self.cancel.store(true, Ordering::SeqCst);
        self.task.abort();
    }
}

async fn run(
    app: AppHandle,
    local: Store,
    me: Uuid,
    link: Link,
    kick: Arc<Notify>,
    resync: Arc<AtomicBool>,
    cancel: Arc<AtomicBool>,
) {
    let mut wait = Duration::from_secs(2);
    loop {
        let outcome = match &link {
            Link::Online(server) => round(&app, server, &local, me, &resync, &cancel).await,
            Link::Offline { server, login, password } => {
                match identity::sign_in_online(server, login, password, None, &mut Backoff::default()).await {
                    Ok(session) => {
                        let r = round(&app, &session.store, &local, me, &resync, &cancel).await;
                        session.store.close().await;
                        r
                    }
                    Err(e) => Err(e.to_string()),
                }
            }
        };
        let status = status::status(&local).await.ok();
        let error = outcome.as_ref().err().cloned();
        SyncProgressed { status, copy: None, error: error.clone() }.emit(&app).ok();
        wait = match error {
            None => EVERY,
            Some(_) => (wait * 2).min(LONGEST_WAIT),
        };
        let _ = tokio::time::timeout(wait, kick.notified()).await;
    }
}

/// One round (or a resync when asked); `Err` with words for the top bar.
async fn round(
    app: &AppHandle,
    server: &Store,
    local: &Store,
    me: Uuid,
    resync: &AtomicBool,
    cancel: &AtomicBool,
) -> Result<(), String> {
    let progress = |p: &marketdesk_core::sync::initial::CopyProgress| {
        SyncProgressed { status: None, copy: Some(p.clone()), error: None }.emit(app).ok();
    };
    if resync.swap(false, Ordering::SeqCst) {
        copy_all(server, local, me, true, cancel, progress).await.map_err(words)?;
    }
    let report = cycle::round(server, local, me, cancel, progress).await.map_err(words)?;
    if let Some(pulled) = &report.pull {
        for table in &pulled.tables {
            DataChanged::now(entity_of(table), None).emit(app).ok();
        }
    }
    // A sweep can take rows off any screen's list.
    if report.swept.is_some_and(|n| n > 0) {
        for entity in SWEPT_ENTITIES {
            DataChanged::now(entity, None).emit(app).ok();
        }
    }
    if report.push.applied + report.push.parked + report.push.conflicts > 0 {
        DataChanged::now("sync", None).emit(app).ok();
    }
    match report.push.stopped {
        Some(why) => Err(why),
        None => Ok(()),
    }
}

fn words(e: SyncError) -> String {
    e.to_string()
}
