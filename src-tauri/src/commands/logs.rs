//! This computer's log files for admins: newest line first, narrowed by
//! level, module and text, paged in the core. Works offline too (the files
//! are on this computer).

use crate::error::AppError;
use crate::state::AppState;
use marketdesk_core::domain::Role;
use marketdesk_core::observability::log_files::{LogFilter, LogPage, read_logs as read};
use marketdesk_core::observability::logging::log_folder;
use tauri::State;

/// A page of this computer's log lines.
#[tauri::command]
#[specta::specta]
pub async fn read_logs(
    state: State<'_, AppState>,
    filter: LogFilter,
    after: Option<String>,
    limit: u32,
) -> Result<LogPage, AppError> {
    let active = state.active().await?;
    active.require(&[Role::Admin], "read the logs")?;
    let folder = log_folder().ok_or_else(|| AppError::invalid("this computer has no folder for logs"))?;
    tokio::task::spawn_blocking(move || read(&folder, &filter, after.as_deref(), limit))
        .await
        .map_err(|e| AppError::invalid(format!("reading the logs stopped: {e}")))?
        .map_err(|e| AppError::invalid(e.to_string()))
}
