//! `report_runs`: the record of every export, report file and statement
//! written on this computer — started before the file, finished with its
//! outcome.

use super::{Store, StoreError, with_pool};
use crate::domain::Timestamp;
use std::path::Path;
use uuid::Uuid;

impl Store {
    /// Records the start of an export (`format` is the file extension).
    pub(crate) async fn start_export_run(
        &self,
        id: Uuid,
        kind: &str,
        parameters: &str,
        format: &str,
        path: &Path,
        run_by: Option<Uuid>,
    ) -> Result<(), StoreError> {
        let now = Timestamp::now();
        let json = sqlx::types::Json(serde_json::from_str::<serde_json::Value>(parameters).unwrap_or_default());
        with_pool!(&self.db, |p| {
            sqlx::query(
                "INSERT INTO report_runs (id, kind, parameters, status, started_at, run_by, export_format, export_url, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, 'running', $4, $5, $6, $7, 1, $4, $4)",
            )
            .bind(id)
            .bind(kind)
            .bind(&json)
            .bind(now)
            .bind(run_by)
            .bind(format)
            .bind(path.display().to_string())
            .execute(p)
            .await
            .map(|_| ())
        })
        .map_err(|e| StoreError::from_write("report run", e))?;
        Ok(())
    }

    /// Records how an export ended.
    pub(crate) async fn finish_export_run(
        &self,
        id: Uuid,
        status: &str,
        rows: u64,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        let now = Timestamp::now();
        let rows = i64::try_from(rows).unwrap_or(i64::MAX);
        with_pool!(&self.db, |p| {
            sqlx::query(
                "UPDATE report_runs SET status = $2, finished_at = $3, row_count = $4, error = $5, version = version + 1, updated_at = $3 \
                 WHERE id = $1",
            )
            .bind(id)
            .bind(status)
            .bind(now)
            .bind(rows)
            .bind(error)
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }
}
