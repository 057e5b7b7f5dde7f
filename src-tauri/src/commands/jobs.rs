//! The job queue for admins: jobs by state, the queue's depth, a dead job
//! put back, and the workers with their heartbeats. On the server only.

use super::parse_id;
use crate::error::AppError;
use crate::events::DataChanged;
use crate::state::AppState;
use marketdesk_core::domain::Role;
use marketdesk_core::jobs::list::{JobFilter, JobRow, JobSort, list_jobs as list, queue_depth, retry_job as retry};
use marketdesk_core::jobs::queue::QueueDepth;
use marketdesk_core::jobs::workers::{WorkerBeat, list_workers};
use marketdesk_core::orders::view::Reader;
use marketdesk_core::store::{Page, PageRequest};
use tauri::{AppHandle, State};
use tauri_specta::Event;

/// A page of jobs.
#[tauri::command]
#[specta::specta]
pub async fn list_jobs(
    state: State<'_, AppState>,
    filter: JobFilter,
    page: PageRequest<JobSort>,
) -> Result<Page<JobRow>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "see the job queue")?;
    Ok(list(&active.store, Reader { id: active.me.id, role: active.me.role }, &filter, &page).await?)
}

/// How many jobs are due, waiting, running and dead.
#[tauri::command]
#[specta::specta]
pub async fn job_queue_depth(state: State<'_, AppState>) -> Result<QueueDepth, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "see the job queue")?;
    Ok(queue_depth(&active.store, Reader { id: active.me.id, role: active.me.role }).await?)
}

/// Puts a dead job back in the queue.
#[tauri::command]
#[specta::specta]
pub async fn retry_job(app: AppHandle, state: State<'_, AppState>, id: String) -> Result<(), AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "retry jobs")?;
    let job = parse_id(&id, "job")?;
    retry(&active.store, Reader { id: active.me.id, role: active.me.role }, job).await?;
    DataChanged::now("jobs", Some(job)).emit(&app).ok();
    Ok(())
}

/// The workers seen this week, alive first.
#[tauri::command]
#[specta::specta]
pub async fn job_workers(state: State<'_, AppState>) -> Result<Vec<WorkerBeat>, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "see the workers")?;
    Ok(list_workers(&active.store, Reader { id: active.me.id, role: active.me.role }).await?)
}
