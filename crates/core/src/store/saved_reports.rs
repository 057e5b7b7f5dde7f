//! Saved report definitions (the `reports` table) and the history of report
//! runs (`report_runs`): a finance person names a report with its filters,
//! shares it with colleagues or keeps it, and sees what was run and exported.

use super::marketplace_reports::ReportQuery;
use super::{BeginWrite, Store, StoreError, with_pool};
use crate::domain::{Timestamp, new_id};
use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use uuid::Uuid;

/// Longest name of a saved report.
pub const MAX_NAME: usize = 120;

/// A saved report as listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SavedReport {
    /// Its id.
    pub id: Uuid,
    /// The name its owner gave it.
    pub name: String,
    /// The report and its filters.
    pub query: ReportQuery,
    /// Whether other admins and finance people see it.
    pub is_shared: bool,
    /// Who saved it.
    pub owner_id: Uuid,
    /// The owner's display name.
    pub owner_name: String,
    /// Row version, named when changing or deleting it.
    pub version: i64,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// What to save: a new report (`id` empty) or a change to one's own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SaveReport {
    /// The report to change, with the version it was read at; `None` for a new one.
    pub existing: Option<(Uuid, i64)>,
    /// Its name (1–120 characters).
    pub name: String,
    /// The report and its filters.
    pub query: ReportQuery,
    /// Whether to share it with other admins and finance people.
    pub is_shared: bool,
}

/// One run of a report, as the history lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReportRun {
    /// The run's id.
    pub id: Uuid,
    /// `commissions`, `orders`, `transactions`, …
    pub kind: String,
    /// `running`, `succeeded`, `failed` or `cancelled`.
    pub status: String,
    /// When it started.
    pub started_at: Timestamp,
    /// When it ended, if it has.
    pub finished_at: Option<Timestamp>,
    /// Rows written.
    pub row_count: Option<i64>,
    /// Why it failed.
    pub error: Option<String>,
    /// `csv` or `xlsx` for exports.
    pub export_format: Option<String>,
    /// Where the file was written.
    pub export_url: Option<String>,
    /// Who ran it.
    pub run_by_name: Option<String>,
}

#[derive(sqlx::FromRow)]
struct SavedRow {
    id: Uuid,
    name: String,
    definition: Json<serde_json::Value>,
    is_shared: bool,
    owner_id: Uuid,
    owner_name: String,
    version: i64,
    updated_at: Timestamp,
}

impl SavedRow {
    /// The saved report, or `None` for a definition this app cannot read (one
    /// written by a newer version with a report kind this one lacks).
    fn into_saved(self) -> Option<SavedReport> {
        let r = self;
        let query = serde_json::from_value(r.definition.0).ok()?;
        Some(SavedReport {
            id: r.id,
            name: r.name,
            query,
            is_shared: r.is_shared,
            owner_id: r.owner_id,
            owner_name: r.owner_name,
            version: r.version,
            updated_at: r.updated_at,
        })
    }
}

/// Turns an update that matched no row into its reason: the report is gone,
/// not the caller's, or changed since it was read.
macro_rules! missing_or_stale {
    ($tx:expr, $id:expr, $owner:expr, $expected:expr) => {{
        let found: Option<(i64, Uuid)> =
            sqlx::query_as("SELECT version, owner_id FROM reports WHERE id = $1 AND deleted_at IS NULL")
                .bind($id)
                .fetch_optional(&mut *$tx)
                .await?;
        match found {
            Some((actual, o)) if o == $owner => {
                StoreError::VersionConflict { entity: "report", id: $id.to_string(), expected: $expected, actual }
            }
            Some(_) => StoreError::Validation("only its owner can change or delete a saved report".into()),
            None => StoreError::NotFound { entity: "report", id: $id.to_string() },
        }
    }};
}

const SELECT_SAVED: &str = "SELECT r.id, r.name, r.definition, r.is_shared, r.owner_id, u.display_name AS owner_name, \
                            r.version, r.updated_at FROM reports r JOIN users u ON u.id = r.owner_id \
                            WHERE r.deleted_at IS NULL";

fn clean_name(name: &str) -> Result<String, StoreError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::Validation("give the report a name".into()));
    }
    if name.chars().any(char::is_control) {
        return Err(StoreError::Validation("the report's name contains control characters".into()));
    }
    if name.chars().count() > MAX_NAME {
        return Err(StoreError::Validation(format!("a report's name has at most {MAX_NAME} characters")));
    }
    Ok(name.to_owned())
}

impl Store {
    /// The saved reports `viewer` may run: their own and those shared, by name.
    pub async fn saved_reports(&self, viewer: Uuid) -> Result<Vec<SavedReport>, StoreError> {
        let sql = format!("{SELECT_SAVED} AND (r.owner_id = $1 OR r.is_shared) ORDER BY lower(r.name), r.id");
        let rows: Vec<SavedRow> = with_pool!(&self.db, |p| sqlx::query_as(&sql).bind(viewer).fetch_all(p).await)?;
        Ok(rows.into_iter().filter_map(SavedRow::into_saved).collect())
    }

    /// Saves a new report for `owner`, or changes one of theirs (if still at the
    /// version they read). Names are unique per owner, ignoring case.
    pub async fn save_report(&self, owner: Uuid, input: &SaveReport) -> Result<SavedReport, StoreError> {
        let name = clean_name(&input.name)?;
        input.query.scope.validate()?;
        let now = Timestamp::now();
        let definition = Json(serde_json::to_value(&input.query).map_err(|e| StoreError::Validation(e.to_string()))?);
        let kind = input.query.kind.as_str();
        let id = with_pool!(&self.db, |p| {
            let mut tx = p.begin_write().await?;
            let clash: Option<Uuid> = sqlx::query_scalar(
                "SELECT id FROM reports WHERE owner_id = $1 AND lower(name) = lower($2) AND deleted_at IS NULL",
            )
            .bind(owner)
            .bind(&name)
            .fetch_optional(&mut *tx)
            .await?;
            if clash.is_some() && clash != input.existing.map(|(id, _)| id) {
                return Err(StoreError::Validation(format!("you already have a report named “{name}”")));
            }
            let id = match input.existing {
                None => {
                    let id = new_id();
                    sqlx::query(
                        "INSERT INTO reports (id, name, kind, owner_id, definition, is_shared, version, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)",
                    )
                    .bind(id)
                    .bind(&name)
                    .bind(kind)
                    .bind(owner)
                    .bind(&definition)
                    .bind(input.is_shared)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| StoreError::from_write("report", e))?;
                    id
                }
                Some((id, version)) => {
                    let changed = sqlx::query(
                        "UPDATE reports SET name = $1, kind = $2, definition = $3, is_shared = $4, version = version + 1, \
                         updated_at = $5 WHERE id = $6 AND owner_id = $7 AND version = $8 AND deleted_at IS NULL",
                    )
                    .bind(&name)
                    .bind(kind)
                    .bind(&definition)
                    .bind(input.is_shared)
                    .bind(now)
                    .bind(id)
                    .bind(owner)
                    .bind(version)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| StoreError::from_write("report", e))?
                    .rows_affected();
                    if changed != 1 {
                        return Err(missing_or_stale!(tx, id, owner, version));
                    }
                    id
                }
            };
            tx.commit().await?;
            Ok::<_, StoreError>(id)
        })?;
        let sql = format!("{SELECT_SAVED} AND r.id = $1");
        let row: SavedRow = with_pool!(&self.db, |p| sqlx::query_as(&sql).bind(id).fetch_one(p).await)?;
        row.into_saved().ok_or_else(|| StoreError::Corrupt("a saved report cannot be read back".into()))
    }

    /// Deletes one of `owner`'s saved reports (if still at `version`). Its run history stays.
    pub async fn delete_saved_report(&self, owner: Uuid, id: Uuid, version: i64) -> Result<(), StoreError> {
        let now = Timestamp::now();
        with_pool!(&self.db, |p| {
            let mut tx = p.begin_write().await?;
            let changed = sqlx::query(
                "UPDATE reports SET deleted_at = $1, version = version + 1, updated_at = $1 \
                 WHERE id = $2 AND owner_id = $3 AND version = $4 AND deleted_at IS NULL",
            )
            .bind(now)
            .bind(id)
            .bind(owner)
            .bind(version)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed != 1 {
                return Err(missing_or_stale!(tx, id, owner, version));
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// The latest report runs and exports (at most `limit`, newest first); only
    /// `run_by`'s when given.
    pub async fn report_runs(&self, run_by: Option<Uuid>, limit: i64) -> Result<Vec<ReportRun>, StoreError> {
        let limit = limit.clamp(1, 500);
        let sql = "SELECT r.id, r.kind, r.status, r.started_at, r.finished_at, r.row_count, r.error, r.export_format, \
                   r.export_url, u.display_name AS run_by_name FROM report_runs r LEFT JOIN users u ON u.id = r.run_by \
                   WHERE r.deleted_at IS NULL AND ($1 IS NULL OR r.run_by = $1) ORDER BY r.started_at DESC, r.id DESC LIMIT $2";
        let sql = match self.engine() {
            super::Engine::Postgres => sql.replace("$1 IS NULL", "$1::uuid IS NULL"),
            super::Engine::Sqlite => sql.to_owned(),
        };
        Ok(with_pool!(&self.db, |p| sqlx::query_as(&sql).bind(run_by).bind(limit).fetch_all(p).await)?)
    }
}
