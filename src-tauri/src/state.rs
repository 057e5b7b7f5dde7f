//! What the running app holds: where its local database is, the central server
//! (if configured), and who is signed in.

use crate::error::{AppError, ErrorKind};
use marketdesk_core::domain::Role;
use marketdesk_core::identity::{Backoff, Me};
use marketdesk_core::store::local_copy::{LocalCopy, open_local_copy};
use marketdesk_core::store::location::{self, Location};
use marketdesk_core::store::{DatabaseUrl, OpenOptions, Store};
use tokio::sync::{Mutex, OnceCell, RwLock};
use uuid::Uuid;

/// The signed-in person and the connection their work goes through.
#[derive(Debug, Clone)]
pub struct Active {
    /// Who is signed in.
    pub me: Me,
    /// Their store: the central server as their own login role (online), or the
    /// local copy (offline).
    pub store: Store,
    /// Signed in against the central server.
    pub online: bool,
    /// Working offline on the copy of a central server: changes are queued
    /// for the server as well as made on the copy.
    pub queues: bool,
}

impl Active {
    /// Refuses unless the signed-in role is one of `roles`.
    pub fn require(&self, roles: &[Role], what: &str) -> Result<(), AppError> {
        if roles.contains(&self.me.role) { Ok(()) } else { Err(AppError::forbidden(what)) }
    }

    /// The vendor whose rows a vendor may see: themselves (vendors are users).
    /// `None` for the other roles, who see every vendor.
    pub fn own_vendor(&self) -> Option<Uuid> {
        (self.me.role == Role::Vendor).then_some(self.me.id)
    }
}

/// The app's state, managed by Tauri.
pub struct AppState {
    /// The local database (the embedded demo file by default).
    pub location: Location,
    /// The central PostgreSQL server to sign in to (`MARKETDESK_SERVER`, else
    /// this computer's settings file), if any. Fixed for the app's run.
    pub server: Option<String>,
    /// `server` comes from `MARKETDESK_SERVER`, which the settings cannot change.
    pub server_from_env: bool,
    /// This computer's settings file.
    pub config_path: Option<std::path::PathBuf>,
    local: OnceCell<LocalCopy>,
    session: RwLock<Option<Active>>,
    listener: Mutex<Option<tokio::task::JoinHandle<()>>>,
    sync: Mutex<Option<crate::sync_runner::SyncRunner>>,
    /// Failed sign-ins on this desktop, for the back-off.
    pub backoff: Mutex<Backoff>,
    locked: std::sync::atomic::AtomicBool,
    /// Exports running now, by the id the UI gave them, with their cancel flags.
    exports: std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<std::sync::atomic::AtomicBool>>>,
}

impl AppState {
    /// State for the database at `MARKETDESK_DATABASE_URL` (or the embedded
    /// default) and the server at `MARKETDESK_SERVER` (or in the settings file).
    pub fn from_env() -> Result<Self, AppError> {
        let url = std::env::var("MARKETDESK_DATABASE_URL").ok();
        let location = location::resolve(url.as_deref())?;
        let from_env = std::env::var("MARKETDESK_SERVER").ok().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        let config_path = crate::machine_config::default_path();
        let server_from_env = from_env.is_some();
        let server = from_env.or_else(|| config_path.as_deref().and_then(|p| crate::machine_config::load(p).server));
        Ok(Self {
            location,
            server,
            server_from_env,
            config_path,
            local: OnceCell::new(),
            session: RwLock::new(None),
            listener: Mutex::new(None),
            sync: Mutex::new(None),
            locked: std::sync::atomic::AtomicBool::new(false),
            backoff: Mutex::new(Backoff::default()),
            exports: std::sync::Mutex::new(std::collections::HashMap::new()),
        })
    }

    /// The local store, opened (and for SQLite migrated) on first use.
    pub async fn local(&self) -> Result<&Store, AppError> {
        Ok(&self.local_copy().await?.store)
    }

    /// The local database with what the sign-in screen says about it. Beside a
    /// central server it is encrypted with a key in the keychain (see
    /// [`open_local_copy`]).
    pub async fn local_copy(&self) -> Result<&LocalCopy, AppError> {
        self.local
            .get_or_try_init(|| async {
                Ok(open_local_copy(&self.location, self.server.is_some(), OpenOptions::default().desktop()).await?)
            })
            .await
    }

    /// The local database, redacted for display.
    pub fn database_label(&self) -> String {
        match &self.location.url {
            DatabaseUrl::Sqlite(path) => path.display().to_string(),
            other => other.to_string(),
        }
    }

    /// The signed-in session; `NotSignedIn` without one, `Locked` while locked.
    pub async fn active(&self) -> Result<Active, AppError> {
        if self.is_locked() {
            return Err(AppError::new(ErrorKind::Locked, "Marketdesk is locked: enter your password to go on"));
        }
        self.signed_in().await
    }

    /// The signed-in session even while locked (for unlocking).
    pub async fn signed_in(&self) -> Result<Active, AppError> {
        self.session.read().await.clone().ok_or_else(AppError::not_signed_in)
    }

    /// Whether the session is locked (idle, or locked by the person).
    pub fn is_locked(&self) -> bool {
        self.locked.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Locks or unlocks the session: while locked every command but unlocking
    /// and signing out is refused.
    pub fn set_locked(&self, locked: bool) {
        self.locked.store(locked, std::sync::atomic::Ordering::SeqCst);
    }

    /// Starts a session, with the task forwarding the server's live changes (online).
    pub async fn begin(&self, active: Active, listener: Option<tokio::task::JoinHandle<()>>) {
        self.end().await;
        self.set_locked(false);
        *self.session.write().await = Some(active);
        *self.listener.lock().await = listener;
    }

    /// Starts the session's background sync (after [`AppState::begin`]).
    pub async fn start_sync(&self, runner: crate::sync_runner::SyncRunner) {
        if let Some(old) = self.sync.lock().await.replace(runner) {
            old.stop();
        }
    }

    /// Asks the background sync for a round now (`resync`: a fresh copy first).
    /// False when the session has none (no central server).
    pub async fn kick_sync(&self, resync: bool) -> bool {
        match self.sync.lock().await.as_ref() {
            Some(r) if resync => {
                r.resync();
                true
            }
            Some(r) => {
                r.kick();
                true
            }
            None => false,
        }
    }

    /// Registers a running export under `id` (given by the UI, so it can cancel
    /// before the export answers); returns the flag that cancels it. Refuses an
    /// empty, overlong or running id.
    pub fn start_export(&self, id: &str) -> Result<ExportGuard<'_>, AppError> {
        if id.is_empty() || id.len() > 64 {
            return Err(AppError::invalid("an export needs an id of 1 to 64 characters"));
        }
        let mut running = self.exports.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if running.contains_key(id) {
            return Err(AppError::invalid("an export with this id is running already"));
        }
        let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        running.insert(id.to_owned(), flag.clone());
        Ok(ExportGuard { state: self, id: id.to_owned(), cancelled: flag })
    }

    /// Asks the export `id` to stop; `false` when no such export is running.
    pub fn cancel_export(&self, id: &str) -> bool {
        let running = self.exports.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        running.get(id).map(|flag| flag.store(true, std::sync::atomic::Ordering::SeqCst)).is_some()
    }

    /// Replaces what the session knows of the signed-in person (after they
    /// changed their password, say).
    pub async fn update_me(&self, me: Me) {
        if let Some(active) = self.session.write().await.as_mut() {
            active.me = me;
        }
    }

    /// Ends the session (stops live changes and closes an online pool).
    pub async fn end(&self) {
        if let Some(task) = self.listener.lock().await.take() {
            task.abort();
        }
        if let Some(runner) = self.sync.lock().await.take() {
            runner.stop();
        }
        if let Some(old) = self.session.write().await.take()
            && old.online
        {
            old.store.close().await;
        }
    }
}

/// A running export's registration: its cancel flag, dropped from the state
/// when the export ends however it ends.
pub struct ExportGuard<'a> {
    state: &'a AppState,
    id: String,
    cancelled: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl ExportGuard<'_> {
    /// Whether someone asked the export to stop.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The flag itself, for work that checks it between steps.
    pub fn flag(&self) -> &std::sync::atomic::AtomicBool {
        &self.cancelled
    }
}

impl Drop for ExportGuard<'_> {
    fn drop(&mut self) {
        self.state.exports.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&self.id);
    }
}
