//! Pushing the queue: each pending mutation of the signed-in person goes to the
//! server in order, in a transaction that first records its id in
//! `sync_applied_mutations`, so a replay after any failure (a cut connection,
//! the app killed before the acknowledgement) applies nothing twice.
//!
//! A stale version becomes a conflict for the person to resolve, and later
//! changes to the same row wait for it; a change the server refuses (a rule, a
//! permission, a row gone) is parked with the reason and blocks nothing; a
//! connection failure stops the round with everything still queued.

use super::conflicts::ConflictSide;
use super::mutation::apply_in;
use super::outbox::Payload;
use super::rows::{Plans, unchecked_local};
use super::{SyncError, error::transient, state};
use crate::domain::notifications::NotificationKind;
use crate::domain::{Timestamp, new_id};
use crate::notifications::{Audience, Notice, notify_in};
use crate::store::write_tx::WriteTx;
use crate::store::{Store, StoreError};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::time::Duration;
use tokio::time::timeout;
use uuid::Uuid;

/// What one push round did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PushReport {
    /// Accepted by the server (or found already applied).
    pub applied: u32,
    /// Of those, found already applied: an earlier push's answer was lost.
    pub replayed: u32,
    /// Turned into conflicts.
    pub conflicts: u32,
    /// Refused by the server and parked.
    pub parked: u32,
    /// Left waiting behind a conflict on the same row.
    pub waiting: u32,
    /// Why the round stopped early (the server out of reach), if it did.
    pub stopped: Option<String>,
}

/// How the server answered one mutation.
enum Answer {
    Applied,
    AlreadyApplied,
    Conflict { actual: i64 },
    Refused(String),
}

/// How long a push waits for the server's answer to one step before it takes
/// the connection for stalled (a network that drops packets without a word)
/// and ends the round, everything still queued.
pub const ANSWER_WAIT: Duration = Duration::from_secs(30);

/// Pushes `me`'s pending changes from `local` to `server`, oldest first.
pub async fn push(server: &Store, local: &Store, me: Uuid) -> Result<PushReport, SyncError> {
    push_within(server, local, me, ANSWER_WAIT).await
}

/// [`push`], waiting at most `wait` for each answer of the server.
pub async fn push_within(server: &Store, local: &Store, me: Uuid, wait: Duration) -> Result<PushReport, SyncError> {
    let (Some(pg), Some(lite)) = (server.pg_pool(), local.sqlite_pool()) else {
        return Err(SyncError::WrongStores("push needs the server and the local copy".into()));
    };
    let mut report = PushReport::default();
    let queued: Vec<(Uuid, Uuid, String, i64, String)> = sqlx::query_as(
        "SELECT id, mutation_id, payload, attempts, status FROM sync_outbox WHERE status IN ('pending', 'conflict') \
         ORDER BY created_at, id",
    )
    .fetch_all(lite)
    .await?;
    let mut conflicted: HashSet<(String, Uuid)> = HashSet::new();
    // How many open changes hold each row: it takes the server's state when none is left.
    let mut holding: HashMap<(String, Uuid), usize> = HashMap::new();
    let mut mine = Vec::new();
    for (id, mutation_id, payload, attempts, status) in queued {
        let p: Payload = serde_json::from_str(&payload).map_err(|e| SyncError::BadMutation(e.to_string()))?;
        let (table, row) = p.mutation.target();
        *holding.entry((table.to_owned(), row)).or_default() += 1;
        if status == "conflict" {
            conflicted.insert((table.to_owned(), row));
        } else if p.actor == me {
            mine.push((id, mutation_id, p, attempts));
        }
    }
    if mine.is_empty() {
        return Ok(report);
    }
    let client_id = {
        let mut c = lite.acquire().await?;
        state::client_id(&mut c).await?
    };
    let stalled = || SyncError::Offline(format!("the server gave no answer within {} s", wait.as_secs()));
    let mut server_conn = timeout(wait, pg.acquire()).await.map_err(|_| stalled())?.map_err(StoreError::from)?;
    // A round given up while waiting may leave its transaction open: its
    // connection is closed, never handed back to the pool.
    server_conn.close_on_drop();
    let mut local_conn = unchecked_local(lite).await?;
    let touched: Vec<&str> =
        mine.iter().map(|(_, _, p, _)| p.mutation.target().0).collect::<HashSet<_>>().into_iter().collect();
    let plans = timeout(wait, Plans::read_only(&mut server_conn, &mut local_conn, Some(&touched)))
        .await
        .map_err(|_| stalled())??;
    for (id, mutation_id, p, attempts) in mine {
        let (table, row) = p.mutation.target();
        if conflicted.contains(&(table.to_owned(), row)) {
            report.waiting += 1;
            continue;
        }
        let sent = timeout(wait, send(&mut server_conn, client_id, mutation_id, &p)).await.unwrap_or_else(|_| {
            let reason = format!("no answer within {} s", wait.as_secs());
            Err(StoreError::Unreachable { address: "the server".into(), reason })
        });
        let answer = match sent {
            Ok(a) => a,
            Err(e) => {
                let reason = transient(&e).unwrap_or_else(|| e.to_string());
                sqlx::query("UPDATE sync_outbox SET attempts = $1, last_error = $2 WHERE id = $3")
                    .bind(attempts + 1)
                    .bind(&reason)
                    .bind(id)
                    .execute(&mut *local_conn)
                    .await?;
                state::set(&mut local_conn, state::PUSH_ERROR, &reason).await?;
                report.stopped = Some(reason);
                return Ok(report);
            }
        };
        let mut tx = sqlx::Connection::begin(&mut *local_conn).await?;
        match &answer {
            Answer::Applied | Answer::AlreadyApplied => {
                sqlx::query(
                    "UPDATE sync_outbox SET status = 'applied', attempts = $1, last_error = NULL, pushed_at = $2 \
                     WHERE id = $3",
                )
                .bind(attempts + 1)
                .bind(Timestamp::now())
                .bind(id)
                .execute(&mut *tx)
                .await?;
                report.applied += 1;
                if matches!(answer, Answer::AlreadyApplied) {
                    report.replayed += 1;
                }
            }
            Answer::Conflict { actual } => {
                // Both versions as they are now, written alike.
                let (mut mine_row, mut theirs_row) = (None, None);
                if let Some(plan) = plans.tables.get(table) {
                    mine_row = plan.fetch_local(&mut tx, row).await?.map(|c| plan.as_text(&c));
                    theirs_row = plan.fetch_ids(&mut server_conn, &[row]).await?.first().map(|c| plan.as_text(c));
                }
                let mine_json = serde_json::to_string(&ConflictSide { payload: p.clone(), row: mine_row })
                    .map_err(|e| SyncError::BadMutation(e.to_string()))?;
                let theirs = theirs_row.map(|r| serde_json::Value::Object(r).to_string());
                let now = Timestamp::now();
                sqlx::query(
                    "INSERT INTO sync_conflicts (id, mutation_id, table_name, row_id, kind, expected_version, \
                     actual_version, client_payload, server_payload, status, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10, $10)",
                )
                .bind(new_id())
                .bind(mutation_id)
                .bind(table)
                .bind(row)
                .bind(p.mutation.kind())
                .bind(p.mutation.based_on().unwrap_or(0))
                .bind(actual)
                .bind(mine_json)
                .bind(theirs)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE sync_outbox SET status = 'conflict', attempts = $1, last_error = $2 WHERE id = $3")
                    .bind(attempts + 1)
                    .bind(format!("changed on the server first (now version {actual})"))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                conflicted.insert((table.to_owned(), row));
                report.conflicts += 1;
            }
            Answer::Refused(reason) => {
                sqlx::query("UPDATE sync_outbox SET status = 'failed', attempts = $1, last_error = $2 WHERE id = $3")
                    .bind(attempts + 1)
                    .bind(reason)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                report.parked += 1;
            }
        }
        // The row takes the server's state once none of its changes wait any more.
        if !matches!(answer, Answer::Conflict { .. }) {
            let key = (table.to_owned(), row);
            let left = holding.get_mut(&key).map(|n| {
                *n = n.saturating_sub(1);
                *n
            });
            if left == Some(0)
                && let Some(plan) = plans.tables.get(table)
            {
                timeout(wait, plan.refresh(&mut server_conn, &mut tx, &[row], &HashSet::new()))
                    .await
                    .map_err(|_| stalled())??;
            }
        }
        tx.commit().await?;
        if let Answer::Conflict { .. } = answer {
            tell_of_conflict(&mut server_conn, me, p.mutation.kind()).await;
        }
    }
    state::set(&mut local_conn, state::LAST_PUSH, &Timestamp::now().to_string()).await?;
    state::clear(&mut local_conn, state::PUSH_ERROR).await?;
    Ok(report)
}

/// Puts a new conflict at the person's bell on the server, so each of their
/// desktops hears of it; the conflict itself is kept here whatever happens,
/// so a failure to tell is only logged.
async fn tell_of_conflict(server: &mut sqlx::PgConnection, me: Uuid, what: &str) {
    let mut notice =
        Notice::new(NotificationKind::SyncConflict, Audience::Person(me), "An offline change met a newer one")
            .body(format!("Your {} waits for you to choose on the Sync screen.", what.replace('_', " ")));
    notice.link = Some("marketdesk://sync".into());
    let told = async {
        let mut tx = WriteTx::Postgres(sqlx::Connection::begin(server).await?);
        notify_in(&mut tx, Some(me), &notice).await?;
        tx.commit().await
    }
    .await;
    if let Err(e) = told {
        tracing::warn!("a sync conflict could not be put at the bell: {e}");
    }
}

/// Sends one mutation in a server transaction of its own, on the round's one
/// connection (a round never holds two, so many rounds share a small pool).
/// `Err` only for a failure that says nothing about the mutation (the connection).
async fn send(
    server: &mut sqlx::PgConnection,
    client_id: Uuid,
    mutation_id: Uuid,
    p: &Payload,
) -> Result<Answer, StoreError> {
    let mut tx = WriteTx::Postgres(sqlx::Connection::begin(server).await?);
    let WriteTx::Postgres(t) = &mut tx else {
        return Err(StoreError::Validation("push goes to the central PostgreSQL".into()));
    };
    let first = sqlx::query(
        "INSERT INTO sync_applied_mutations (mutation_id, client_id, kind, applied_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (mutation_id) DO NOTHING",
    )
    .bind(mutation_id)
    .bind(client_id.to_string())
    .bind(p.mutation.kind())
    .bind(p.actor)
    .execute(&mut **t)
    .await;
    match first {
        Ok(r) if r.rows_affected() == 0 => {
            // Applied by an earlier attempt whose answer never arrived.
            tx.commit().await?;
            return Ok(Answer::AlreadyApplied);
        }
        Ok(_) => {}
        Err(e) => return answer_for(StoreError::from(e)),
    }
    match apply_in(&mut tx, p.actor, &p.mutation).await {
        // A commit the server refuses (a deferred check, a serialization
        // failure) rolled the whole change back: retried when it may pass
        // later, parked with the reason when it cannot.
        Ok(_) => match tx.commit().await {
            Ok(()) => Ok(Answer::Applied),
            Err(e) => answer_for(e),
        },
        Err(e) => answer_for(e),
    }
}

fn answer_for(e: StoreError) -> Result<Answer, StoreError> {
    if transient(&e).is_some() {
        return Err(e);
    }
    Ok(match e {
        StoreError::VersionConflict { actual, .. } => Answer::Conflict { actual },
        other => Answer::Refused(other.to_string()),
    })
}
