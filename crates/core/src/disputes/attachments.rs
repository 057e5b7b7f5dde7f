//! Files in a dispute's thread — photos of the damage, a carrier's report, a
//! receipt — sent with a message and kept on the server as evidence: never
//! changed or removed. A file is recognised by its bytes (JPEG, PNG, WebP,
//! GIF, PDF or plain text, 10 MB at most, five per message); a vendor sees the
//! files of disputes they are party to, never those of staff-only notes.

use super::thread::post_message_in;
use crate::domain::{Role, Timestamp, new_id};
use crate::orders::view::Reader;
use crate::store::disputes::{DisputeAttachment, DisputeMessage};
use crate::store::write_tx::with_tx;
use crate::store::{Store, StoreError, with_pool};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Largest file taken (10 MB).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Most files sent with one message.
pub const MAX_FILES: usize = 5;

/// A file someone chose to send.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NewAttachment {
    /// Its name on their computer.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// What a file's bytes say it is, or why it is not taken.
pub fn media_type_of(name: &str, bytes: &[u8]) -> Result<&'static str, StoreError> {
    if bytes.is_empty() {
        return Err(StoreError::Validation(format!("{name} is empty")));
    }
    if bytes.len() > MAX_BYTES {
        return Err(StoreError::Validation(format!("{name} is larger than 10 MB")));
    }
    if bytes.starts_with(b"%PDF-") {
        return Ok("application/pdf");
    }
    match image::guess_format(bytes) {
        Ok(image::ImageFormat::Jpeg) => return Ok("image/jpeg"),
        Ok(image::ImageFormat::Png) => return Ok("image/png"),
        Ok(image::ImageFormat::WebP) => return Ok("image/webp"),
        Ok(image::ImageFormat::Gif) => return Ok("image/gif"),
        _ => {}
    }
    let text = std::str::from_utf8(bytes).is_ok_and(|t| !t.chars().any(|c| c.is_control() && !c.is_whitespace()));
    if text && name.to_ascii_lowercase().ends_with(".txt") {
        return Ok("text/plain");
    }
    Err(StoreError::Validation(format!("{name} is not a photo (JPEG, PNG, WebP, GIF), a PDF or a .txt file")))
}

/// A file's name as sent, without its folders, one line of at most 200 characters.
pub(crate) fn clean_name(name: &str) -> Result<String, StoreError> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    if base.is_empty() || base.chars().any(char::is_control) {
        return Err(StoreError::Validation("a file needs a name".into()));
    }
    Ok(base.chars().take(200).collect())
}

/// Writes `body` in `dispute`'s thread for `actor` with `files`, all in one
/// transaction: the message and every file, or nothing. Files go to the
/// server at once (never queued on an offline copy).
pub async fn post_message_with_files(
    store: &Store,
    actor: Reader,
    dispute: Uuid,
    body: &str,
    internal: bool,
    files: &[NewAttachment],
) -> Result<DisputeMessage, StoreError> {
    if files.len() > MAX_FILES {
        return Err(StoreError::Validation(format!("send {MAX_FILES} files at most with one message")));
    }
    let mut checked = Vec::with_capacity(files.len());
    for f in files {
        checked.push((clean_name(&f.name)?, media_type_of(&f.name, &f.bytes)?, &f.bytes));
    }
    let mut tx = store.begin_write_tx().await?;
    let mut message = post_message_in(&mut tx, actor, dispute, body, internal).await?;
    let now = Timestamp::now();
    for (name, media_type, bytes) in checked {
        let id = new_id();
        let size = i32::try_from(bytes.len()).unwrap_or(i32::MAX);
        with_tx!(&mut tx, |c| sqlx::query(
            "INSERT INTO dispute_attachments (id, dispute_id, message_id, file_name, media_type, byte_size, sha256, \
             content, is_internal, uploaded_by, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11)"
        )
        .bind(id)
        .bind(dispute)
        .bind(message.id)
        .bind(&name)
        .bind(media_type)
        .bind(size)
        .bind(hex::encode(Sha256::digest(bytes)))
        .bind(bytes.as_slice())
        .bind(internal)
        .bind(actor.id)
        .bind(now)
        .execute(&mut *c)
        .await
        .map(|_| ()))
        .map_err(|e| StoreError::from_write("dispute attachment", e))?;
        message.attachments.push(DisputeAttachment {
            id,
            message_id: message.id,
            file_name: name,
            media_type: media_type.into(),
            byte_size: size,
            created_at: now,
        });
    }
    tx.commit().await?;
    message.author_name = store.user(actor.id).await.map(|u| u.display_name).unwrap_or_default();
    Ok(message)
}

/// The files of `dispute`'s thread, oldest first (with staff-only notes' files
/// only when `staff`). The caller has checked the reader may see the dispute.
pub async fn attachments_of(store: &Store, dispute: Uuid, staff: bool) -> Result<Vec<DisputeAttachment>, StoreError> {
    let sql = format!(
        "SELECT id, message_id, file_name, media_type, byte_size, created_at FROM dispute_attachments \
         WHERE dispute_id = $1 AND deleted_at IS NULL{} ORDER BY created_at, id",
        if staff { "" } else { " AND is_internal = false" }
    );
    Ok(with_pool!(&store.db, |p| sqlx::query_as(&sql).bind(dispute).fetch_all(p).await)?)
}

/// One file's name, media type and bytes, for `reader`: staff any, a vendor
/// only a non-internal file of a dispute they are party to.
pub async fn attachment_content(
    store: &Store,
    reader: Reader,
    id: Uuid,
) -> Result<(String, String, Vec<u8>), StoreError> {
    #[derive(sqlx::FromRow)]
    struct Stored {
        file_name: String,
        media_type: String,
        content: Vec<u8>,
        is_internal: bool,
        vendor_id: Option<Uuid>,
    }
    let row: Option<Stored> = with_pool!(&store.db, |p| sqlx::query_as(
        "SELECT a.file_name, a.media_type, a.content, a.is_internal, d.vendor_id FROM dispute_attachments a \
         JOIN disputes d ON d.id = a.dispute_id WHERE a.id = $1 AND a.deleted_at IS NULL"
    )
    .bind(id)
    .fetch_optional(p)
    .await)?;
    let not_found = || StoreError::NotFound { entity: "dispute file", id: id.to_string() };
    let file = row.ok_or_else(not_found)?;
    match reader.role {
        Role::Admin | Role::Finance => {}
        Role::Vendor if !file.is_internal && file.vendor_id == Some(reader.id) => {}
        _ => return Err(not_found()),
    }
    Ok((file.file_name, file.media_type, file.content))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_known_by_its_bytes() {
        assert_eq!(media_type_of("r.pdf", b"%PDF-1.7\n...").unwrap(), "application/pdf");
        assert_eq!(media_type_of("note.txt", b"Parcel arrived torn.\n").unwrap(), "text/plain");
        assert!(media_type_of("note.pdf", b"Parcel arrived torn.").is_err(), "a name does not make a PDF");
        assert!(media_type_of("x.exe", b"MZ\x90\x00").is_err());
        assert!(media_type_of("empty.png", b"").is_err());
        assert_eq!(clean_name("C:\\Users\\me\\photo.jpg").unwrap(), "photo.jpg");
    }
}
