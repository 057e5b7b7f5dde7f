//! `sync`: this computer's copy of a central marketplace, headless — a sync
//! round (push the queue, then copy or pull), a full resync, the queue and the
//! conflicts, and settling a conflict; on the server, pruning the change feed.

use super::Result;
use crate::{interrupt, progress};
use clap::Subcommand;
use marketdesk_core::identity::{self, Backoff, Session};
use marketdesk_core::store::OpenOptions;
use marketdesk_core::store::local_copy::{LocalCopy, open_local_copy};
use marketdesk_core::store::location;
use marketdesk_core::store::location::Location;
use marketdesk_core::sync::conflicts::{self, Resolution};
use marketdesk_core::sync::initial::{CopyProgress, copy_all};
use marketdesk_core::sync::{cycle, outbox, pull, retention, status};
use std::process::ExitCode;
use uuid::Uuid;

/// Who signs in to the server for a sync.
#[derive(Debug, clap::Args)]
pub struct SignInArgs {
    /// The server, e.g. postgres://db.example.com:5432/marketplace (no user or password).
    #[arg(long)]
    server: String,
    /// Your username. The password is read from standard input, or taken from the keychain.
    #[arg(long)]
    user: String,
}

/// What `sync` does.
#[derive(Debug, Subcommand)]
pub enum SyncAction {
    /// Where the copy stands: changes waiting, conflicts, refused changes, last syncs.
    Status,
    /// One round: push the changes made offline, then bring the copy up to date
    /// (its first copy, resumed if it was interrupted, or a pull).
    Run {
        #[command(flatten)]
        who: SignInArgs,
        /// Also remove rows you can no longer read (moved to someone else, deleted),
        /// which a round does by itself every few hours.
        #[arg(long)]
        sweep: bool,
    },
    /// Replace the copy with a fresh one from the server (changes not pushed yet are kept).
    Resync {
        #[command(flatten)]
        who: SignInArgs,
    },
    /// The changes made offline: waiting, in conflict or refused (--all: also those applied).
    Pending {
        /// Include the changes the server accepted.
        #[arg(long)]
        all: bool,
    },
    /// The open conflicts, both versions.
    Conflicts,
    /// Settle a conflict.
    Resolve {
        /// The conflict's id.
        conflict: Uuid,
        /// mine: send my change again over the newer row; theirs: keep the server's version.
        #[arg(long)]
        keep: String,
        /// Your username (recorded as who settled it).
        #[arg(long)]
        user: String,
    },
    /// On the server (--database-url postgres://…, as its owner or an admin):
    /// delete the change feed's entries every copy seen lately has pulled.
    Prune {
        /// Days a copy may stay away before the feed is pruned past it (it is
        /// copied again when it comes back).
        #[arg(long, default_value_t = retention::DEFAULT_STALE_AFTER_DAYS, value_parser = clap::value_parser!(u32).range(1..))]
        keep_days: u32,
    },
}

async fn local(loc: &Location) -> Result<LocalCopy> {
    let copy = open_local_copy(loc, true, OpenOptions::create()).await?;
    if copy.is_scratch() {
        return Err(copy.note.unwrap_or_else(|| "this computer cannot keep a copy".into()).into());
    }
    copy.store.migrate(|_| {}).await?;
    Ok(copy)
}

async fn sign_in(who: &SignInArgs, copy: &LocalCopy) -> Result<Session> {
    let mut typed = String::new();
    std::io::stdin().read_line(&mut typed)?;
    let typed = typed.trim_end_matches(['\n', '\r']).to_owned();
    let password = if typed.is_empty() {
        identity::remembered_password(&who.server, &who.user)?.ok_or("no password given and none remembered")?
    } else {
        typed
    };
    Ok(identity::sign_in_online(&who.server, &who.user, &password, Some(&copy.store), &mut Backoff::default()).await?)
}

/// Moves the bar to where a first copy is.
fn show(bar: &indicatif::ProgressBar, p: &CopyProgress) {
    bar.set_length(p.rows_total);
    bar.set_position(p.rows_done);
    bar.set_message(p.table.clone());
}

/// Runs `sync`.
pub async fn run(loc: &Location, action: SyncAction) -> Result<ExitCode> {
    if let SyncAction::Prune { keep_days } = action {
        return prune(loc, keep_days).await;
    }
    let copy = local(loc).await?;
    match action {
        SyncAction::Status => {
            let s = status::status(&copy.store).await?;
            println!(
                "Copy:        {}",
                if s.ready {
                    "ready"
                } else if s.copying {
                    "first copy under way"
                } else {
                    "none yet"
                }
            );
            println!("Waiting:     {}", s.pending);
            println!("Conflicts:   {}", s.conflicts);
            println!("Refused:     {}", s.parked);
            println!("Last pull:   {}", s.last_pull_at.map_or("never".into(), |t| t.to_string()));
            println!("Last push:   {}", s.last_push_at.map_or("never".into(), |t| t.to_string()));
            if let Some(e) = s.push_error {
                println!("Push stopped: {e}");
            }
        }
        SyncAction::Run { who, sweep } => {
            let session = sign_in(&who, &copy).await?;
            let bar = progress::bar(0, "copying", "rows");
            interrupt::catch();
            let round =
                cycle::round(&session.store, &copy.store, session.me.id, interrupt::flag(), |p| show(&bar, p)).await;
            interrupt::release();
            bar.finish_and_clear();
            let round = round?;
            let p = &round.push;
            let replayed = match p.replayed {
                0 => String::new(),
                n => format!(" ({n} found already on the server: its answer was lost)"),
            };
            println!(
                "Pushed: {} applied{replayed}, {} conflicts, {} refused, {} waiting.",
                p.applied, p.conflicts, p.parked, p.waiting
            );
            if let Some(why) = &p.stopped {
                println!("The push stopped: {why}. The rest waits for the next sync.");
            }
            if let Some(c) = &round.copy {
                let how = if c.resumed { "resumed and copied" } else { "copied" };
                println!("First copy: {how} {} rows.", c.rows);
                for (table, why) in &c.skipped {
                    println!("  not copied: {table} ({why})");
                }
                if interrupt::interrupted() {
                    println!("Interrupted: the next sync resumes where this one stopped.");
                }
            }
            if let Some(pulled) = &round.pull {
                println!("Pulled: {} rows in {} tables.", pulled.rows, pulled.tables.len());
            }
            let swept = match (round.swept, sweep) {
                (Some(n), _) => Some(n),
                (None, true) => Some(pull::sweep(&session.store, &copy.store).await?),
                (None, false) => None,
            };
            if let Some(removed) = swept {
                println!("Swept: {removed} rows you can no longer read removed.");
            }
            session.store.close().await;
        }
        SyncAction::Resync { who } => {
            let session = sign_in(&who, &copy).await?;
            let bar = progress::bar(0, "copying", "rows");
            interrupt::catch();
            let report =
                copy_all(&session.store, &copy.store, session.me.id, true, interrupt::flag(), |p| show(&bar, p)).await;
            interrupt::release();
            bar.finish_and_clear();
            let report = report?;
            println!("Resynced: {} rows copied.", report.rows);
            if interrupt::interrupted() {
                println!("Interrupted: the next sync resumes where this one stopped.");
            }
            session.store.close().await;
        }
        SyncAction::Pending { all } => {
            let changes = outbox::list(&copy.store, !all, 10_000).await?;
            if changes.is_empty() {
                println!("No changes waiting.");
            }
            for c in changes {
                let state = serde_json::to_value(c.state)?.as_str().unwrap_or_default().to_owned();
                let why = c.last_error.map(|e| format!(" — {e}")).unwrap_or_default();
                println!("{}  {:<9} {}  {}{why}", c.created_at, state, c.mutation_id, c.summary);
            }
        }
        SyncAction::Conflicts => {
            let open = conflicts::open(&copy.store).await?;
            if open.is_empty() {
                println!("No conflicts.");
            }
            for c in open {
                println!(
                    "{}  {} {} — mine: {} (based on version {}), server: version {}",
                    c.id, c.table, c.row_id, c.summary, c.expected_version, c.actual_version
                );
                for f in c.fields.iter().filter(|f| f.differs) {
                    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
                    println!("    {}: here {} · server {}", f.name, show(&f.mine), show(&f.theirs));
                }
            }
        }
        SyncAction::Prune { keep_days } => return prune(loc, keep_days).await,
        SyncAction::Resolve { conflict, keep, user } => {
            let choice = match keep.as_str() {
                "mine" => Resolution::KeepMine,
                "theirs" => Resolution::TakeTheirs,
                other => return Err(format!("--keep {other}: choose mine or theirs").into()),
            };
            let (me, _) = copy
                .store
                .user_for_login(&user)
                .await?
                .ok_or_else(|| format!("{user} has not signed in on this computer"))?;
            conflicts::resolve(&copy.store, conflict, &choice, me.id).await?;
            println!(
                "Settled: {}.",
                if matches!(choice, Resolution::KeepMine) {
                    "your change goes again with the next sync"
                } else {
                    "the server's version is kept"
                }
            );
        }
    }
    copy.store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Prunes the server's change feed and says what it did.
pub async fn prune(loc: &Location, keep_days: u32) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    if store.pg_pool().is_none() {
        return Err("the change feed lives on the central server: give a postgres:// --database-url".into());
    }
    let r = retention::prune(&store, keep_days).await?;
    println!(
        "Pruned {} feed entries below transaction {}; {} copies seen in the last {keep_days} days, {} left behind (they are copied again when they come back); {} applied changes forgotten.",
        r.pruned, r.floor_txid, r.clients, r.left_behind, r.mutations_forgotten
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
