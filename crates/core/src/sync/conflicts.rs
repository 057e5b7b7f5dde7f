//! Conflicts: a queued change whose row changed on the server first. Nothing
//! is overwritten; the person sees both versions and decides — keep their
//! change over the newer row, take the server's version, or edit the change
//! and send it again. Later changes to the same row wait until then.

use super::outbox::Payload;
use super::pull::mark_for_refetch;
use super::{Mutation, SyncError};
use crate::domain::Timestamp;
use crate::store::Store;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One open conflict, both sides.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Conflict {
    /// The conflict's id.
    pub id: Uuid,
    /// The queued change's id.
    pub mutation_id: Uuid,
    /// The change made on this computer.
    pub mine: Mutation,
    /// It in words.
    pub summary: String,
    /// The changed row's table.
    pub table: String,
    /// The changed row.
    pub row_id: Uuid,
    /// The version the change was based on.
    pub expected_version: i64,
    /// The version the server holds.
    pub actual_version: i64,
    /// Both versions of the row as they were when the conflict was found —
    /// this computer's (with the change) and the server's — field by field,
    /// the fields that differ first.
    pub fields: Vec<ConflictField>,
    /// When it was found.
    pub created_at: Timestamp,
}

/// One field of a conflicting row, on both sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConflictField {
    /// The column.
    pub name: String,
    /// Its value on this computer (`None`: empty, or the row is not here).
    pub mine: Option<String>,
    /// Its value on the server (`None`: empty, or the row can no longer be read).
    pub theirs: Option<String>,
    /// The two sides hold different values.
    pub differs: bool,
}

/// This computer's side of a conflict as stored: the change and the local row.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ConflictSide {
    #[serde(flatten)]
    pub payload: Payload,
    #[serde(default)]
    pub row: Option<serde_json::Map<String, serde_json::Value>>,
}

/// How a person settles a conflict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "choice", rename_all = "snake_case")]
pub enum Resolution {
    /// Send my change again, based on the server's newer row.
    KeepMine,
    /// Drop my change; the row takes the server's version.
    TakeTheirs,
    /// Send this edited change instead (on the same row).
    Retry {
        /// The edited change.
        mutation: Mutation,
    },
}

type Stored = (Uuid, Uuid, String, Uuid, i64, i64, String, Option<String>, Timestamp);

/// The open conflicts, oldest first.
pub async fn open(local: &Store) -> Result<Vec<Conflict>, SyncError> {
    let lite = local.sqlite_pool().ok_or_else(|| SyncError::WrongStores("conflicts live on the local copy".into()))?;
    let rows: Vec<Stored> = sqlx::query_as(
        "SELECT id, mutation_id, table_name, row_id, expected_version, actual_version, client_payload, \
         server_payload, created_at FROM sync_conflicts WHERE status = 'open' ORDER BY created_at, id",
    )
    .fetch_all(lite)
    .await?;
    rows.into_iter()
        .map(|(id, mutation_id, table, row_id, expected_version, actual_version, mine, theirs, created_at)| {
            let side: ConflictSide = serde_json::from_str(&mine).map_err(|e| SyncError::BadMutation(e.to_string()))?;
            let theirs = theirs.as_deref().and_then(|t| serde_json::from_str(t).ok());
            let fields = side_by_side(side.row.as_ref(), theirs.as_ref());
            let p = side.payload;
            Ok(Conflict {
                id,
                mutation_id,
                summary: p.mutation.summary(),
                mine: p.mutation,
                table,
                row_id,
                expected_version,
                actual_version,
                fields,
                created_at,
            })
        })
        .collect()
}

type Row = serde_json::Map<String, serde_json::Value>;

/// Both rows field by field, the differing fields first, each group by name.
fn side_by_side(mine: Option<&Row>, theirs: Option<&Row>) -> Vec<ConflictField> {
    let text = |row: Option<&Row>, name: &str| match row.and_then(|r| r.get(name)) {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(serde_json::Value::Null) | None => None,
        Some(other) => Some(other.to_string()),
    };
    let names = mine.or(theirs).map(|r| r.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
    let mut fields: Vec<ConflictField> = names
        .iter()
        .map(|n| {
            let (mine, theirs) = (text(mine, n), text(theirs, n));
            ConflictField { name: n.clone(), differs: mine != theirs, mine, theirs }
        })
        .collect();
    fields.sort_by_key(|f| !f.differs);
    fields
}

/// Settles conflict `id` as `by` chose. The change goes back in the queue
/// (kept or edited), or is set aside with the row marked to take the server's
/// version on the next pull and the rows it made taken off the copy.
pub async fn resolve(local: &Store, id: Uuid, choice: &Resolution, by: Uuid) -> Result<(), SyncError> {
    let lite = local.sqlite_pool().ok_or_else(|| SyncError::WrongStores("conflicts live on the local copy".into()))?;
    let mut tx = lite.begin_with("BEGIN IMMEDIATE").await?;
    let found: Option<(Uuid, String, Uuid, i64, i64, String)> = sqlx::query_as(
        "SELECT mutation_id, table_name, row_id, expected_version, actual_version, client_payload FROM sync_conflicts \
         WHERE id = $1 AND status = 'open'",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((mutation_id, table, row_id, expected, actual, payload)) = found else {
        return Err(SyncError::Store(crate::store::StoreError::NotFound {
            entity: "open conflict",
            id: id.to_string(),
        }));
    };
    let p = serde_json::from_str::<ConflictSide>(&payload).map_err(|e| SyncError::BadMutation(e.to_string()))?.payload;
    let (status, queued) = match choice {
        Resolution::KeepMine => ("resolved_keep_client", Some(p.mutation.rebased(actual))),
        Resolution::TakeTheirs => ("resolved_keep_server", None),
        Resolution::Retry { mutation } => {
            if mutation.target() != p.mutation.target() {
                return Err(SyncError::Store(crate::store::StoreError::Validation(
                    "an edited change must stay on the same row; make a new change for another one".into(),
                )));
            }
            ("resolved_merged", Some(mutation.rebased(actual)))
        }
    };
    match queued {
        Some(m) => {
            let payload = serde_json::to_string(&Payload { actor: p.actor, mutation: m.clone() })
                .map_err(|e| SyncError::BadMutation(e.to_string()))?;
            sqlx::query(
                "UPDATE sync_outbox SET status = 'pending', kind = $1, payload = $2, last_error = NULL \
                 WHERE mutation_id = $3",
            )
            .bind(m.kind())
            .bind(payload)
            .bind(mutation_id)
            .execute(&mut *tx)
            .await?;
            shift_followers(&mut tx, mutation_id, &m, actual - expected).await?;
        }
        None => {
            sqlx::query(
                "UPDATE sync_outbox SET status = 'failed', last_error = 'set aside: the server''s version was kept' \
                 WHERE mutation_id = $1",
            )
            .bind(mutation_id)
            .execute(&mut *tx)
            .await?;
            // Rows only this change made exist nowhere on the server: they go.
            for (made, made_id) in p.mutation.made_rows() {
                sqlx::query(&format!("DELETE FROM {made} WHERE id = $1")).bind(made_id).execute(&mut *tx).await?;
            }
            mark_for_refetch(&mut tx, &table, row_id).await?;
        }
    }
    let now = Timestamp::now();
    sqlx::query(
        "UPDATE sync_conflicts SET status = $1, resolved_by = $2, resolved_at = $3, updated_at = $3 WHERE id = $4",
    )
    .bind(status)
    .bind(by)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Later queued changes to the same row were based on this computer's own
/// earlier change: when that one moves onto the server's newer row, they move
/// by as many versions.
async fn shift_followers(
    tx: &mut sqlx::SqliteConnection,
    leader: Uuid,
    m: &Mutation,
    by: i64,
) -> Result<(), SyncError> {
    if by == 0 || m.based_on().is_none() {
        return Ok(());
    }
    let later: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT id, payload FROM sync_outbox WHERE status = 'pending' AND mutation_id <> $1 \
         AND (created_at, id) > (SELECT created_at, id FROM sync_outbox WHERE mutation_id = $1) ORDER BY created_at, id",
    )
    .bind(leader)
    .fetch_all(&mut *tx)
    .await?;
    for (id, payload) in later {
        let mut p: Payload = serde_json::from_str(&payload).map_err(|e| SyncError::BadMutation(e.to_string()))?;
        let Some(v) = p.mutation.based_on() else { continue };
        if p.mutation.target() != m.target() {
            continue;
        }
        p.mutation = p.mutation.rebased(v + by);
        let text = serde_json::to_string(&p).map_err(|e| SyncError::BadMutation(e.to_string()))?;
        sqlx::query("UPDATE sync_outbox SET payload = $1 WHERE id = $2").bind(text).bind(id).execute(&mut *tx).await?;
    }
    Ok(())
}
