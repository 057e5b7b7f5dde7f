//! A print job made while the desktop works offline on its copy, carried to
//! the server once the network is back: the job as it ended here (state,
//! reason, bytes kept for a reprint anywhere), the printer it went to (which
//! may have been added offline too), and — for a label that printed — the
//! parcel moving from `label_purchased` to `printed`. Applying it is
//! idempotent, so the copy (where the rows already are) and a replay on the
//! server leave the same rows.

use crate::domain::{DocumentKind, PrintJobState, ShipmentStatus, Timestamp};
use crate::store::printing::{PrintJob, Printer};
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A finished print job with what the server needs to record it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PrintRecord {
    /// The job as the print log shows it.
    pub job: PrintJob,
    /// The printer it went to.
    pub printer: Printer,
    /// Its bytes (base64 in the outbox).
    #[serde(with = "as_base64")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub content: Vec<u8>,
}

mod as_base64 {
    use base64::Engine as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        base64::engine::general_purpose::STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}

impl PrintRecord {
    /// The record of job `id` as it stands on `store` (a job still under way is refused).
    pub async fn of(store: &Store, id: Uuid) -> Result<PrintRecord, StoreError> {
        let job = store.print_job(id).await?;
        // A raw socket printer's job ends at `sent`: it reports nothing more.
        if matches!(job.state, PrintJobState::Queued | PrintJobState::Sending) {
            return Err(StoreError::Validation(format!("print job {id} is still {}", job.state.as_str())));
        }
        let printer = store.printer(job.printer_id).await?;
        let content = store.print_job_content(id).await?;
        Ok(PrintRecord { job, printer, content })
    }

    /// Whether its parcel's label came out of the printer.
    fn printed_a_label(&self) -> bool {
        self.job.document_kind == DocumentKind::Label
            && matches!(self.job.state, PrintJobState::Sent | PrintJobState::Completed)
    }
}

/// Writes `record` inside `tx` on either engine: the printer unless it is
/// there, the job (or its end, when the row is there; a reprint of a job the
/// server never got keeps no link to it), and a printed label's parcel moved
/// on if it still waits for its label to print.
pub async fn record_print_job_in(tx: &mut WriteTx<'_>, actor: Uuid, record: &PrintRecord) -> Result<(), StoreError> {
    let (p, j) = (&record.printer, &record.job);
    if j.printer_id != p.id || j.byte_count != record.content.len() as i64 {
        return Err(StoreError::Validation("this print record does not hold together".into()));
    }
    let now = Timestamp::now();
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO printers (id, workstation, name, connection, address, language, dpi, created_by, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT (id) DO NOTHING",
    )
    .bind(p.id)
    .bind(&p.workstation)
    .bind(&p.name)
    .bind(p.connection)
    .bind(&p.address)
    .bind(p.language)
    .bind(p.dpi)
    .bind(actor)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|_| ()))
    .map_err(|e| StoreError::from_write("printer", e))?;
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO print_jobs (id, printer_id, workstation, document_kind, shipment_id, reprint_of, format, dpi, \
         content, byte_count, state, failure, printer_job_id, requested_by, sent_at, finished_at, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, (SELECT r.id FROM print_jobs r WHERE r.id = $6), $7, $8, $9, $10, \
         $11, $12, $13, $14, $15, $16, $17, $18) \
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, failure = excluded.failure, \
         printer_job_id = excluded.printer_job_id, sent_at = excluded.sent_at, finished_at = excluded.finished_at, \
         version = print_jobs.version + 1, updated_at = excluded.updated_at",
    )
    .bind(j.id)
    .bind(j.printer_id)
    .bind(&j.workstation)
    .bind(j.document_kind)
    .bind(j.shipment_id)
    .bind(j.reprint_of)
    .bind(j.format)
    .bind(j.dpi)
    .bind(&record.content)
    .bind(j.byte_count)
    .bind(j.state)
    .bind(&j.failure)
    .bind(j.printer_job_id)
    .bind(j.requested_by)
    .bind(j.sent_at)
    .bind(j.finished_at)
    .bind(j.created_at)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|_| ()))
    .map_err(|e| StoreError::from_write("print job", e))?;
    if let (true, Some(shipment)) = (record.printed_a_label(), j.shipment_id) {
        with_tx!(tx, |c| sqlx::query(
            "UPDATE shipments SET status = $2, version = version + 1, updated_at = $3 \
             WHERE id = $1 AND status = $4 AND deleted_at IS NULL",
        )
        .bind(shipment)
        .bind(ShipmentStatus::Printed)
        .bind(now)
        .bind(ShipmentStatus::LabelPurchased)
        .execute(&mut *c)
        .await
        .map(|_| ()))
        .map_err(|e| StoreError::from_write("shipment", e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::as_base64;

    #[test]
    fn bytes_travel_as_base64_and_come_back_whole() {
        #[derive(serde::Serialize, serde::Deserialize)]
        struct Holder(#[serde(with = "as_base64")] Vec<u8>);
        let bytes: Vec<u8> = (0..=255).collect();
        let text = serde_json::to_string(&Holder(bytes.clone())).unwrap();
        assert!(text.starts_with("\"AAECAw"), "{text}");
        assert_eq!(serde_json::from_str::<Holder>(&text).unwrap().0, bytes);
        assert!(serde_json::from_str::<Holder>("\"not base64!\"").is_err());
    }
}
