//! A dispute's thread: messages between the vendor and the platform (who
//! speaks for the customer) and staff-only notes. Writing one bumps the
//! dispute's version (so a screen holding the old one learns of it) and tells
//! the other side.

use super::row::dispute_for;
use crate::domain::dispute_lifecycle::DisputeParty;
use crate::domain::notifications::NotificationKind;
use crate::domain::{Role, Timestamp, new_id};
use crate::notifications::{Audience, Notice, notify_in};
use crate::orders::view::Reader;
use crate::store::disputes::DisputeMessage;
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Store, StoreError};
use uuid::Uuid;

/// Longest message kept.
pub const MAX_MESSAGE_CHARS: usize = 10_000;

/// Checks a message's text: trimmed, 1 to [`MAX_MESSAGE_CHARS`] characters.
pub fn message_text(body: &str) -> Result<&str, StoreError> {
    let body = body.trim();
    if body.is_empty() || body.chars().count() > MAX_MESSAGE_CHARS {
        return Err(StoreError::Validation(format!("a message needs 1 to {MAX_MESSAGE_CHARS} characters")));
    }
    Ok(body)
}

/// Adds `body` to the thread of `dispute` (the caller bumps its version).
pub(super) async fn insert_message_in(
    tx: &mut WriteTx<'_>,
    dispute: Uuid,
    author: Uuid,
    body: &str,
    internal: bool,
) -> Result<DisputeMessage, StoreError> {
    let id = new_id();
    let now = Timestamp::now();
    let sql = "INSERT INTO dispute_messages (id, dispute_id, author_id, body, is_internal, version, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, 1, $6, $6)";
    with_tx!(tx, |c| sqlx::query(sql)
        .bind(id)
        .bind(dispute)
        .bind(author)
        .bind(body)
        .bind(internal)
        .bind(now)
        .execute(&mut *c)
        .await
        .map(|_| ()))
    .map_err(|e| StoreError::from_write("dispute message", e))?;
    Ok(DisputeMessage {
        id,
        author_id: author,
        author_name: String::new(),
        body: body.to_owned(),
        is_internal: internal,
        created_at: now,
        attachments: Vec::new(),
    })
}

/// Bumps the dispute's version after a message.
async fn touch_in(tx: &mut WriteTx<'_>, dispute: Uuid) -> Result<(), StoreError> {
    let sql = "UPDATE disputes SET version = version + 1, updated_at = $1 WHERE id = $2";
    with_tx!(tx, |c| sqlx::query(sql).bind(Timestamp::now()).bind(dispute).execute(&mut *c).await.map(|_| ()))
        .map_err(|e| StoreError::from_write("dispute", e))
}

/// Writes a message (or, for staff, an internal note) in `dispute`'s thread
/// for `actor`, inside `tx`, and tells the other side: the vendor of the
/// platform's messages, the admin handling it (else every admin) of the
/// vendor's. Notes tell nobody.
pub async fn post_message_in(
    tx: &mut WriteTx<'_>,
    actor: Reader,
    dispute: Uuid,
    body: &str,
    internal: bool,
) -> Result<DisputeMessage, StoreError> {
    let body = message_text(body)?;
    let (row, party) = dispute_for(tx, actor, dispute).await?;
    if internal && party != DisputeParty::Admin {
        return Err(StoreError::AccessDenied("internal notes are the platform staff's".into()));
    }
    let message = insert_message_in(tx, dispute, actor.id, body, internal).await?;
    touch_in(tx, dispute).await?;
    let to = match party {
        DisputeParty::Vendor => Some(row.assigned_to.map_or(Audience::Role(Role::Admin), Audience::Person)),
        _ if internal => None,
        _ => row.vendor_id.map(Audience::Person),
    };
    if let Some(to) = to {
        let notice = Notice::new(
            NotificationKind::DisputeAnswered,
            to,
            format!("New message in the dispute on {}", row.order_number),
        )
        .body(preview(body))
        .about("disputes", dispute);
        notify_in(tx, Some(actor.id), &notice).await?;
    }
    Ok(message)
}

/// [`post_message_in`] in a transaction of its own.
pub async fn post_message(
    store: &Store,
    actor: Reader,
    dispute: Uuid,
    body: &str,
    internal: bool,
) -> Result<DisputeMessage, StoreError> {
    let mut tx = store.begin_write_tx().await?;
    let mut message = post_message_in(&mut tx, actor, dispute, body, internal).await?;
    tx.commit().await?;
    message.author_name = store.user(actor.id).await.map(|u| u.display_name).unwrap_or_default();
    Ok(message)
}

/// The first words of a message, for a notification.
pub fn preview(body: &str) -> String {
    const WORDS: usize = 160;
    let mut s: String = body.chars().take(WORDS).collect();
    if body.chars().count() > WORDS {
        s.push('…');
    }
    s
}
