//! Vendor statements as files: the statement the store reads from the ledger,
//! rendered by [`crate::documents::statement`] and written through a private
//! `.partial` file, each export recorded in `report_runs`.

use super::exports::ExportSummary;
use crate::domain::{Timestamp, new_id};
use crate::store::files::PartialFile;
use crate::store::reports::day_range;
use crate::store::statements::StatementQuery;
use crate::store::{Store, StoreError};
use std::path::Path;
use uuid::Uuid;

impl Store {
    /// Writes the statement `q` as a PDF at `path` (through a private
    /// `.partial` file, renamed when whole). Recorded in `report_runs` as a
    /// `vendors` report; the target and the period are checked first.
    pub async fn export_vendor_statement(
        &self,
        q: &StatementQuery,
        path: &Path,
        run_by: Option<Uuid>,
    ) -> Result<ExportSummary, StoreError> {
        crate::store::files::check_target(path)?;
        day_range(q.from, q.to, "statement")?;
        let run_id = new_id();
        let parameters = serde_json::to_string(q).map_err(|e| StoreError::Validation(e.to_string()))?;
        self.start_export_run(run_id, "vendors", &parameters, "pdf", path, run_by).await?;
        let outcome = match self.vendor_statement(q).await {
            Ok(statement) => {
                let bytes = crate::documents::statement::render(&statement, Timestamp::now());
                write_pdf(path, &bytes).map(|()| statement.lines.len() as u64)
            }
            Err(e) => Err(e),
        };
        let (status, rows, error) = match &outcome {
            Ok(rows) => ("succeeded", *rows, None),
            Err(e) => ("failed", 0, Some(e.to_string())),
        };
        let recorded = self.finish_export_run(run_id, status, rows, error.as_deref()).await;
        let rows = outcome?;
        recorded?;
        Ok(ExportSummary { run_id, path: path.display().to_string(), rows, cancelled: false })
    }
}

/// Writes `bytes` to `path` through its private partial file.
fn write_pdf(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    use std::io::Write;
    let (partial, mut file) = PartialFile::create(path)?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| StoreError::Validation(format!("cannot write the statement: {e}")))?;
    partial.commit()?;
    Ok(())
}
