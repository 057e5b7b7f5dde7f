//! The queue as an admin reads it: jobs narrowed by state and kind, newest
//! change first, paged in the database; and a dead job put back by an admin.

use super::queue::{QueueDepth, depth, retry_dead};
use crate::domain::status::text_enum;
use crate::domain::{Role, Timestamp};
use crate::orders::view::Reader;
use crate::store::page::{SortKey, SortValue, finish_query, into_page};
use crate::store::sql::{Param, Sql, bind_as};
use crate::store::{Page, PageRequest, Store, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

text_enum!(
    /// Where a job stands.
    JobStatus, "job status" { Queued => "queued", Running => "running", Done => "done", Dead => "dead" }
);

/// A job as the jobs screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct JobRow {
    /// The job.
    pub id: Uuid,
    /// What it does.
    pub kind: String,
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub status: JobStatus,
    /// Tries so far.
    pub attempts: i32,
    /// Tries before it is dead.
    pub max_attempts: i32,
    /// Not before.
    pub run_at: Timestamp,
    /// The worker holding it.
    pub locked_by: Option<String>,
    /// Its last error.
    pub last_error: Option<String>,
    /// When it was done or died.
    pub finished_at: Option<Timestamp>,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// Narrows the jobs list. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct JobFilter {
    /// Only this state.
    pub status: Option<JobStatus>,
    /// Only this kind.
    pub kind: Option<String>,
}

/// How the jobs list is sorted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum JobSort {
    /// By the last change.
    #[default]
    UpdatedAt,
    /// By when it is due.
    RunAt,
}

impl SortKey for JobSort {
    fn name(&self) -> &'static str {
        match self {
            JobSort::UpdatedAt => "updated_at",
            JobSort::RunAt => "run_at",
        }
    }
    fn column(&self) -> &'static str {
        match self {
            JobSort::UpdatedAt => "updated_at",
            JobSort::RunAt => "run_at",
        }
    }
}

pub(super) fn admin_pool(store: &Store, reader: Reader) -> Result<&sqlx::PgPool, StoreError> {
    if reader.role != Role::Admin {
        return Err(StoreError::AccessDenied("only an admin sees the job queue".into()));
    }
    store.pg_pool().ok_or_else(|| StoreError::OnlineOnly("the job queue is on the server: connect first".into()))
}

/// A page of jobs for an admin.
pub async fn list_jobs(
    store: &Store,
    reader: Reader,
    filter: &JobFilter,
    page: &PageRequest<JobSort>,
) -> Result<Page<JobRow>, StoreError> {
    let pool = admin_pool(store, reader)?;
    let mut sql = Sql::new(
        "SELECT id, kind, status, attempts, max_attempts, run_at, locked_by, last_error, finished_at, updated_at \
         FROM jobs WHERE deleted_at IS NULL",
    );
    if let Some(status) = filter.status {
        sql.push(" AND status = ").bind(Param::Text(status.as_str().into()));
    }
    if let Some(kind) = filter.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        sql.push(" AND kind = ").bind(Param::Text(kind.into()));
    }
    finish_query(&mut sql, page, "id")?;
    let rows: Vec<JobRow> = bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(pool).await?;
    Ok(into_page(rows, page, |r: &JobRow| {
        let at = match page.sort {
            JobSort::UpdatedAt => r.updated_at,
            JobSort::RunAt => r.run_at,
        };
        (SortValue::from(at), r.id)
    }))
}

/// Puts a dead job back in the queue (admins), its tries counted afresh.
pub async fn retry_job(store: &Store, reader: Reader, job: Uuid) -> Result<(), StoreError> {
    retry_dead(admin_pool(store, reader)?, job).await
}

/// The queue's depth, for an admin.
pub async fn queue_depth(store: &Store, reader: Reader) -> Result<QueueDepth, StoreError> {
    depth(admin_pool(store, reader)?).await
}
