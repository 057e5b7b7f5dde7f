//! `printers`, `printer_defaults` and `print_jobs`: the rows printing keeps.
//! What may be written and when is decided in `logistics::printing`; here a
//! job only moves by compare-and-set on its state, so two workers can never
//! both send it.

use super::BeginWrite;
use super::{Store, StoreError, with_pool};
use crate::domain::{DocumentKind, PrintJobState, PrintLanguage, PrinterConnection, Timestamp, new_id};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A printer a workstation prints to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Printer {
    /// Row id.
    pub id: Uuid,
    /// The computer it belongs to (its host name).
    pub workstation: String,
    /// What people call it ("Packing bench Zebra").
    pub name: String,
    /// How it is reached.
    pub connection: PrinterConnection,
    /// The CUPS queue's URI (`ipp://host:631/printers/zebra`) or `host:port`.
    pub address: String,
    /// The page language it takes.
    pub language: PrintLanguage,
    /// Its density for ZPL (203 or 300 dpi); none for PDF.
    pub dpi: Option<i32>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// A printer as someone describes it, before it is checked and stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PrinterSpec {
    /// What people call it.
    pub name: String,
    /// How it is reached.
    pub connection: PrinterConnection,
    /// The CUPS queue's URI or `host:port`.
    pub address: String,
    /// The page language it takes.
    pub language: PrintLanguage,
    /// Its density for ZPL (203 or 300); none for PDF.
    pub dpi: Option<i32>,
}

/// One print job as the print log shows it (its bytes stay in the database).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PrintJob {
    /// Row id.
    pub id: Uuid,
    /// The printer it went to.
    pub printer_id: Uuid,
    /// That printer's name.
    pub printer_name: String,
    /// The computer that printed it.
    pub workstation: String,
    /// What was printed.
    pub document_kind: DocumentKind,
    /// The shipment it was for, if any.
    pub shipment_id: Option<Uuid>,
    /// The job it reprints, if any.
    pub reprint_of: Option<Uuid>,
    /// The page language of its bytes.
    pub format: PrintLanguage,
    /// The density its ZPL was drawn for.
    pub dpi: Option<i32>,
    /// How many bytes it holds.
    pub byte_count: i64,
    /// Where it is.
    pub state: PrintJobState,
    /// Why it failed, in words a person can act on.
    pub failure: Option<String>,
    /// The job's number at the CUPS server.
    pub printer_job_id: Option<i64>,
    /// Who asked for it.
    pub requested_by: Option<Uuid>,
    /// When it was asked for.
    pub created_at: Timestamp,
    /// When its last byte left.
    pub sent_at: Option<Timestamp>,
    /// When it ended.
    pub finished_at: Option<Timestamp>,
}

/// A job about to be recorded.
#[derive(Debug, Clone)]
pub struct NewPrintJob<'a> {
    /// Where it goes.
    pub printer: &'a Printer,
    /// The computer printing it.
    pub workstation: &'a str,
    /// What it is.
    pub document_kind: DocumentKind,
    /// The shipment it is for.
    pub shipment_id: Option<Uuid>,
    /// The job it reprints.
    pub reprint_of: Option<Uuid>,
    /// Its page language.
    pub format: PrintLanguage,
    /// The density its ZPL was drawn for.
    pub dpi: Option<i32>,
    /// Its bytes.
    pub content: &'a [u8],
    /// Who asks.
    pub requested_by: Option<Uuid>,
}

/// How a job moves on.
#[derive(Debug, Clone, Default)]
pub struct JobUpdate {
    /// Why it failed (with `PrintJobState::Failed`).
    pub failure: Option<String>,
    /// The CUPS server's number for it.
    pub printer_job_id: Option<i64>,
}

const PRINTER_COLUMNS: &str = "id, workstation, name, connection, address, language, dpi, version";

const JOB_COLUMNS: &str = "j.id, j.printer_id, p.name AS printer_name, j.workstation, j.document_kind, j.shipment_id, \
     j.reprint_of, j.format, j.dpi, j.byte_count, j.state, j.failure, j.printer_job_id, j.requested_by, j.created_at, \
     j.sent_at, j.finished_at FROM print_jobs j JOIN printers p ON p.id = j.printer_id";

/// The longest print log returned at once.
pub const PRINT_LOG_LIMIT: i64 = 200;

impl Store {
    /// Stores a checked printer for `workstation`.
    pub(crate) async fn insert_printer(
        &self,
        workstation: &str,
        spec: &PrinterSpec,
        created_by: Option<Uuid>,
    ) -> Result<Printer, StoreError> {
        let id = new_id();
        let now = Timestamp::now();
        with_pool!(&self.db, |p| {
            sqlx::query(
                "INSERT INTO printers (id, workstation, name, connection, address, language, dpi, created_by, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)",
            )
            .bind(id)
            .bind(workstation)
            .bind(&spec.name)
            .bind(spec.connection)
            .bind(&spec.address)
            .bind(spec.language)
            .bind(spec.dpi)
            .bind(created_by)
            .bind(now)
            .execute(p)
            .await
            .map(|_| ())
        })
        .map_err(|e| StoreError::from_write("printer", e))?;
        self.printer(id).await
    }

    /// One printer (of any workstation).
    pub async fn printer(&self, id: Uuid) -> Result<Printer, StoreError> {
        let sql = format!("SELECT {PRINTER_COLUMNS} FROM printers WHERE id = $1 AND deleted_at IS NULL");
        let row: Option<Printer> = with_pool!(&self.db, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        row.ok_or_else(|| StoreError::NotFound { entity: "printer", id: id.to_string() })
    }

    /// `workstation`'s printers, by name.
    pub async fn printers(&self, workstation: &str) -> Result<Vec<Printer>, StoreError> {
        let sql = format!(
            "SELECT {PRINTER_COLUMNS} FROM printers WHERE workstation = $1 AND deleted_at IS NULL ORDER BY lower(name), id"
        );
        Ok(with_pool!(&self.db, |p| sqlx::query_as(&sql).bind(workstation).fetch_all(p).await)?)
    }

    /// Retires a printer and the defaults that named it, together (its jobs
    /// stay in the log).
    pub async fn retire_printer(&self, id: Uuid) -> Result<(), StoreError> {
        let now = Timestamp::now();
        with_pool!(&self.db, |p| {
            let mut tx = p.begin_write().await?;
            let retired = sqlx::query(
                "UPDATE printers SET deleted_at = $2, version = version + 1, updated_at = $2 WHERE id = $1 AND deleted_at IS NULL",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if retired == 0 {
                return Err(StoreError::NotFound { entity: "printer", id: id.to_string() });
            }
            sqlx::query(
                "UPDATE printer_defaults SET deleted_at = $2, version = version + 1, updated_at = $2 \
                 WHERE printer_id = $1 AND deleted_at IS NULL",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Makes `printer` the default for `kind` on `workstation`.
    pub(crate) async fn set_printer_default(
        &self,
        workstation: &str,
        kind: DocumentKind,
        printer: Uuid,
    ) -> Result<(), StoreError> {
        let now = Timestamp::now();
        let updated = with_pool!(&self.db, |p| {
            sqlx::query(
                "UPDATE printer_defaults SET printer_id = $3, version = version + 1, updated_at = $4 \
                 WHERE workstation = $1 AND document_kind = $2 AND deleted_at IS NULL",
            )
            .bind(workstation)
            .bind(kind)
            .bind(printer)
            .bind(now)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })
        .map_err(|e| StoreError::from_write("printer default", e))?;
        if updated > 0 {
            return Ok(());
        }
        with_pool!(&self.db, |p| {
            sqlx::query(
                "INSERT INTO printer_defaults (id, workstation, document_kind, printer_id, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, 1, $5, $5)",
            )
            .bind(new_id())
            .bind(workstation)
            .bind(kind)
            .bind(printer)
            .bind(now)
            .execute(p)
            .await
            .map(|_| ())
        })
        .map_err(|e| StoreError::from_write("printer default", e))
    }

    /// `workstation`'s default printer per kind of document.
    pub async fn printer_defaults(&self, workstation: &str) -> Result<Vec<(DocumentKind, Uuid)>, StoreError> {
        Ok(with_pool!(&self.db, |p| {
            sqlx::query_as(
                "SELECT d.document_kind, d.printer_id FROM printer_defaults d JOIN printers p ON p.id = d.printer_id \
                 WHERE d.workstation = $1 AND d.deleted_at IS NULL AND p.deleted_at IS NULL ORDER BY d.document_kind",
            )
            .bind(workstation)
            .fetch_all(p)
            .await
        })?)
    }

    /// Records a job as queued, before any byte leaves.
    pub(crate) async fn insert_print_job(&self, job: &NewPrintJob<'_>) -> Result<PrintJob, StoreError> {
        let id = new_id();
        let now = Timestamp::now();
        let count = i64::try_from(job.content.len()).unwrap_or(i64::MAX);
        with_pool!(&self.db, |p| {
            sqlx::query(
                "INSERT INTO print_jobs (id, printer_id, workstation, document_kind, shipment_id, reprint_of, format, dpi, \
                 content, byte_count, state, requested_by, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'queued', $11, 1, $12, $12)",
            )
            .bind(id)
            .bind(job.printer.id)
            .bind(job.workstation)
            .bind(job.document_kind)
            .bind(job.shipment_id)
            .bind(job.reprint_of)
            .bind(job.format)
            .bind(job.dpi)
            .bind(job.content)
            .bind(count)
            .bind(job.requested_by)
            .bind(now)
            .execute(p)
            .await
            .map(|_| ())
        })
        .map_err(|e| StoreError::from_write("print job", e))?;
        self.print_job(id).await
    }

    /// Moves a job from `from` to `to` if it is still at `from`; false when
    /// someone else moved it first.
    pub(crate) async fn advance_print_job(
        &self,
        id: Uuid,
        from: PrintJobState,
        to: PrintJobState,
        update: &JobUpdate,
    ) -> Result<bool, StoreError> {
        if !from.can_become(to) {
            return Err(StoreError::Validation(format!("a print job cannot go from {from} to {to}")));
        }
        let now = Timestamp::now();
        let sent = matches!(to, PrintJobState::Sent | PrintJobState::Completed).then_some(now);
        let finished = to.is_final().then_some(now);
        let affected = with_pool!(&self.db, |p| {
            sqlx::query(
                "UPDATE print_jobs SET state = $3, failure = $4, printer_job_id = coalesce($5, printer_job_id), \
                 sent_at = coalesce(sent_at, $6), finished_at = $7, version = version + 1, updated_at = $8 \
                 WHERE id = $1 AND state = $2",
            )
            .bind(id)
            .bind(from)
            .bind(to)
            .bind(update.failure.as_deref())
            .bind(update.printer_job_id)
            .bind(sent)
            .bind(finished)
            .bind(now)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })
        .map_err(|e| StoreError::from_write("print job", e))?;
        Ok(affected == 1)
    }

    /// One job as the log shows it.
    pub async fn print_job(&self, id: Uuid) -> Result<PrintJob, StoreError> {
        let sql = format!("SELECT {JOB_COLUMNS} WHERE j.id = $1");
        let row: Option<PrintJob> = with_pool!(&self.db, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        row.ok_or_else(|| StoreError::NotFound { entity: "print job", id: id.to_string() })
    }

    /// A job's bytes, as they were sent.
    pub async fn print_job_content(&self, id: Uuid) -> Result<Vec<u8>, StoreError> {
        let row: Option<Vec<u8>> = with_pool!(&self.db, |p| {
            sqlx::query_scalar("SELECT content FROM print_jobs WHERE id = $1").bind(id).fetch_optional(p).await
        })?;
        row.ok_or_else(|| StoreError::NotFound { entity: "print job", id: id.to_string() })
    }

    /// Every job printed for `shipment`, newest first.
    pub async fn shipment_print_log(&self, shipment: Uuid) -> Result<Vec<PrintJob>, StoreError> {
        let sql =
            format!("SELECT {JOB_COLUMNS} WHERE j.shipment_id = $1 ORDER BY j.created_at DESC, j.id DESC LIMIT $2");
        Ok(with_pool!(&self.db, |p| sqlx::query_as(&sql).bind(shipment).bind(PRINT_LOG_LIMIT).fetch_all(p).await)?)
    }

    /// `workstation`'s most recent jobs, newest first.
    pub async fn workstation_print_log(&self, workstation: &str) -> Result<Vec<PrintJob>, StoreError> {
        let sql =
            format!("SELECT {JOB_COLUMNS} WHERE j.workstation = $1 ORDER BY j.created_at DESC, j.id DESC LIMIT $2");
        Ok(with_pool!(&self.db, |p| sqlx::query_as(&sql).bind(workstation).bind(PRINT_LOG_LIMIT).fetch_all(p).await)?)
    }

    /// `workstation`'s jobs still queued, sending or sent that were last
    /// touched before `before`, oldest first.
    pub(crate) async fn open_print_jobs(
        &self,
        workstation: &str,
        before: Timestamp,
    ) -> Result<Vec<PrintJob>, StoreError> {
        let sql = format!(
            "SELECT {JOB_COLUMNS} WHERE j.workstation = $1 AND j.state IN ('queued', 'sending', 'sent') \
             AND j.updated_at < $2 ORDER BY j.created_at, j.id"
        );
        Ok(with_pool!(&self.db, |p| sqlx::query_as(&sql).bind(workstation).bind(before).fetch_all(p).await)?)
    }
}
