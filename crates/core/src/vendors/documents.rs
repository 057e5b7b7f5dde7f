//! The files an application is reviewed on: sent by the vendor while the
//! application is with them (or by an admin for them), recognised by their
//! bytes like dispute files, never changed once sent — a replacement is a new
//! file — and accepted or rejected one by one by an admin, a rejection with a
//! note the vendor reads.

use super::{admin_only, admin_or_vendor, begin, online, party, pg};
use crate::disputes::attachments::{NewAttachment, clean_name, media_type_of};
use crate::domain::vendor_onboarding::{DocumentReview, OnboardingParty, OnboardingStage, VendorDocumentKind};
use crate::domain::{Role, Timestamp, new_id};
use crate::orders::view::Reader;
use crate::store::audit::audit_row_in;
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use uuid::Uuid;

/// Most documents one application may hold.
pub const MAX_DOCUMENTS: i64 = 30;
/// Longest review note.
pub const MAX_NOTE: usize = 500;

/// A document as the application lists it (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VendorDocument {
    /// The document.
    pub id: Uuid,
    /// Its version, for the review.
    pub version: i64,
    /// What it is.
    #[sqlx(try_from = "String")]
    pub kind: VendorDocumentKind,
    /// Its file name.
    pub file_name: String,
    /// What its bytes are.
    pub media_type: String,
    /// Its size in bytes.
    pub byte_size: i32,
    /// The admin's verdict.
    #[sqlx(try_from = "String")]
    pub review: DocumentReview,
    /// The admin's note (why it was rejected).
    pub review_note: Option<String>,
    /// When it was sent.
    pub created_at: Timestamp,
}

/// An admin's verdict on a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DocumentVerdict {
    /// The document.
    pub document_id: Uuid,
    /// Its version when read.
    pub version: i64,
    /// Accept it (true) or reject it (false).
    pub accept: bool,
    /// Why it is rejected (required then), or a remark.
    pub note: String,
}

/// The documents of `application`, oldest first, on `conn`.
pub(crate) async fn documents_of(
    conn: &mut PgConnection,
    application: Uuid,
) -> Result<Vec<VendorDocument>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, version, kind, file_name, media_type, byte_size, review, review_note, created_at \
         FROM vendor_documents WHERE application_id = $1 AND deleted_at IS NULL ORDER BY created_at, id",
    )
    .bind(application)
    .fetch_all(conn)
    .await?)
}

/// Adds `file` as a `kind` document to `application` for `actor`: the vendor
/// while the application is with them, or an admin until it is decided.
pub async fn add_document(
    store: &Store,
    actor: Reader,
    application: Uuid,
    kind: VendorDocumentKind,
    file: &NewAttachment,
) -> Result<VendorDocument, StoreError> {
    admin_or_vendor(actor, "send onboarding documents")?;
    let name = clean_name(&file.name)?;
    let media_type = media_type_of(&name, &file.bytes)?;
    let mut tx = begin(store).await?;
    let found: Option<(String, Option<Uuid>, i64)> = sqlx::query_as(
        "SELECT a.stage, a.vendor_id, (SELECT count(*) FROM vendor_documents d WHERE d.application_id = a.id \
         AND d.deleted_at IS NULL) FROM vendor_applications a WHERE a.id = $1 AND a.deleted_at IS NULL",
    )
    .bind(application)
    .fetch_optional(pg(&mut tx)?)
    .await?;
    let (stage, held) = match found {
        Some((stage, vendor, held)) if actor.role == Role::Admin || vendor == Some(actor.id) => (stage, held),
        _ => return Err(StoreError::NotFound { entity: "vendor application", id: application.to_string() }),
    };
    let stage: OnboardingStage = stage.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?;
    if !stage.open_to(party(actor)) {
        return Err(StoreError::Validation(format!(
            "documents are sent while the application is with the vendor (it is {})",
            stage.as_str().replace('_', " ")
        )));
    }
    if held >= MAX_DOCUMENTS {
        return Err(StoreError::Validation(format!("an application holds {MAX_DOCUMENTS} documents at most")));
    }
    let (id, now) = (new_id(), Timestamp::now());
    let size = i32::try_from(file.bytes.len()).unwrap_or(i32::MAX);
    sqlx::query(
        "INSERT INTO vendor_documents (id, application_id, kind, file_name, media_type, byte_size, sha256, content, \
         uploaded_by, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10)",
    )
    .bind(id)
    .bind(application)
    .bind(kind.as_str())
    .bind(&name)
    .bind(media_type)
    .bind(size)
    .bind(hex::encode(Sha256::digest(&file.bytes)))
    .bind(file.bytes.as_slice())
    .bind(actor.id)
    .bind(now)
    .execute(pg(&mut tx)?)
    .await
    .map_err(|e| StoreError::from_write("vendor document", e))?;
    let details = serde_json::json!({ "document": id, "kind": kind.as_str(), "file": name });
    audit_row_in(
        &mut tx,
        (actor.id, actor.role),
        "vendor.document_added",
        ("vendor_applications", application),
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(VendorDocument {
        id,
        version: 1,
        kind,
        file_name: name,
        media_type: media_type.into(),
        byte_size: size,
        review: DocumentReview::Pending,
        review_note: None,
        created_at: now,
    })
}

/// One document as its application lists it, for `reader`: an admin any, a
/// vendor their own application's.
pub async fn document(store: &Store, reader: Reader, id: Uuid) -> Result<VendorDocument, StoreError> {
    admin_or_vendor(reader, "see onboarding documents")?;
    #[derive(sqlx::FromRow)]
    struct Owned {
        #[sqlx(flatten)]
        doc: VendorDocument,
        vendor_id: Option<Uuid>,
    }
    let row: Option<Owned> = sqlx::query_as(
        "SELECT d.id, d.version, d.kind, d.file_name, d.media_type, d.byte_size, d.review, d.review_note, d.created_at, \
         a.vendor_id FROM vendor_documents d JOIN vendor_applications a ON a.id = d.application_id \
         WHERE d.id = $1 AND d.deleted_at IS NULL",
    )
    .bind(id)
    .fetch_optional(online(store)?)
    .await?;
    match row {
        Some(o) if reader.role == Role::Admin || o.vendor_id == Some(reader.id) => Ok(o.doc),
        _ => Err(StoreError::NotFound { entity: "vendor document", id: id.to_string() }),
    }
}

/// One document's name, media type and bytes, for `reader`: an admin any, a
/// vendor their own application's.
pub async fn document_content(
    store: &Store,
    reader: Reader,
    id: Uuid,
) -> Result<(String, String, Vec<u8>), StoreError> {
    admin_or_vendor(reader, "open onboarding documents")?;
    let row: Option<(String, String, Vec<u8>, Option<Uuid>)> = sqlx::query_as(
        "SELECT d.file_name, d.media_type, d.content, a.vendor_id FROM vendor_documents d \
         JOIN vendor_applications a ON a.id = d.application_id WHERE d.id = $1 AND d.deleted_at IS NULL",
    )
    .bind(id)
    .fetch_optional(online(store)?)
    .await?;
    match row {
        Some((name, media_type, bytes, vendor)) if reader.role == Role::Admin || vendor == Some(reader.id) => {
            Ok((name, media_type, bytes))
        }
        _ => Err(StoreError::NotFound { entity: "vendor document", id: id.to_string() }),
    }
}

/// Accepts or rejects a document (admins), on the version read; returns its
/// new version.
pub async fn review_document(store: &Store, actor: Reader, verdict: &DocumentVerdict) -> Result<i64, StoreError> {
    admin_only(actor, "review onboarding documents")?;
    let note = verdict.note.trim();
    if !verdict.accept && note.is_empty() {
        return Err(StoreError::Validation("say why the document is rejected: the vendor reads it".into()));
    }
    if note.chars().count() > MAX_NOTE {
        return Err(StoreError::Validation(format!("a note has at most {MAX_NOTE} characters")));
    }
    let mut tx = begin(store).await?;
    let found: Option<(i64, Uuid, String)> = sqlx::query_as(
        "SELECT d.version, d.application_id, a.stage FROM vendor_documents d JOIN vendor_applications a \
         ON a.id = d.application_id WHERE d.id = $1 AND d.deleted_at IS NULL FOR UPDATE OF d",
    )
    .bind(verdict.document_id)
    .fetch_optional(pg(&mut tx)?)
    .await?;
    let (version, application, stage) =
        found.ok_or(StoreError::NotFound { entity: "vendor document", id: verdict.document_id.to_string() })?;
    if version != verdict.version {
        return Err(StoreError::VersionConflict {
            entity: "vendor document",
            id: verdict.document_id.to_string(),
            expected: verdict.version,
            actual: version,
        });
    }
    let stage: OnboardingStage = stage.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?;
    if !stage.open_to(OnboardingParty::Admin) {
        return Err(StoreError::Validation(format!(
            "the application is {stage} already: its documents are kept as they are"
        )));
    }
    let review = if verdict.accept { DocumentReview::Accepted } else { DocumentReview::Rejected };
    sqlx::query(
        "UPDATE vendor_documents SET review = $1, review_note = $2, reviewed_by = $3, reviewed_at = now(), \
         version = version + 1, updated_at = now() WHERE id = $4",
    )
    .bind(review.as_str())
    .bind(Some(note).filter(|n| !n.is_empty()))
    .bind(actor.id)
    .bind(verdict.document_id)
    .execute(pg(&mut tx)?)
    .await
    .map_err(|e| StoreError::from_write("vendor document", e))?;
    let details = serde_json::json!({ "document": verdict.document_id, "review": review.as_str(), "note": note });
    audit_row_in(
        &mut tx,
        (actor.id, actor.role),
        "vendor.document_reviewed",
        ("vendor_applications", application),
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(version + 1)
}
