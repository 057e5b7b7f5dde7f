//! Catalog approval: an admin approves a product a vendor sent for review,
//! asks for changes with a note, or rejects it with a reason; the vendor is
//! told at once, and what was approved is kept for the next review's diff.

use super::snapshot::snapshot_in;
use crate::domain::notifications::NotificationKind;
use crate::domain::{ProductStatus, Timestamp};
use crate::notifications::{Audience, Notice, notify_in};
use crate::store::audit::{NewAuditEntry, record_audit_in};
use crate::store::sql::{Param, Sql};
use crate::store::versioned::update_versioned_in;
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

impl Store {
    /// Approves or rejects a product under review (catalog approval), if still at
    /// `expected_version`. A rejection needs a reason the vendor can act on.
    pub async fn review_product(
        &self,
        id: Uuid,
        expected_version: i64,
        approve: bool,
        reviewer: Uuid,
        reason: Option<&str>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write_tx().await?;
        let version = review_product_in(&mut tx, id, expected_version, approve, reviewer, reason).await?;
        tx.commit().await?;
        Ok(version)
    }
}

/// An admin's decision on a product pending review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum ReviewDecision {
    /// Publish it, and keep what was approved for the next review's diff.
    Approve,
    /// Send it back to the vendor as a draft, with a note of what to change.
    RequestChanges {
        /// What to change, in words the vendor acts on.
        note: String,
    },
    /// Refuse it, with the reason.
    Reject {
        /// Why.
        reason: String,
    },
}

/// [`Store::review_product`] inside an open transaction: the one code path for
/// a review made online, queued offline and replayed by sync.
pub async fn review_product_in(
    tx: &mut WriteTx<'_>,
    id: Uuid,
    expected_version: i64,
    approve: bool,
    reviewer: Uuid,
    reason: Option<&str>,
) -> Result<i64, StoreError> {
    let decision = if approve {
        ReviewDecision::Approve
    } else {
        ReviewDecision::Reject { reason: reason.unwrap_or_default().to_owned() }
    };
    decide_product_in(tx, id, expected_version, &decision, reviewer).await
}

/// Takes `decision` on product `id` at `expected_version` as `reviewer`,
/// tells the vendor in the same transaction, and writes the audit trail;
/// returns the new version.
pub async fn decide_product_in(
    tx: &mut WriteTx<'_>,
    id: Uuid,
    expected_version: i64,
    decision: &ReviewDecision,
    reviewer: Uuid,
) -> Result<i64, StoreError> {
    let current: Option<(ProductStatus, i64)> =
        with_tx!(tx, |c| sqlx::query_as("SELECT status, version FROM products WHERE id = $1 AND deleted_at IS NULL")
            .bind(id)
            .fetch_optional(&mut *c)
            .await)?;
    let (status, version) = current.ok_or(StoreError::NotFound { entity: "product", id: id.to_string() })?;
    if version == expected_version && status != ProductStatus::PendingReview {
        return Err(StoreError::Validation(format!(
            "only products pending review can be approved or rejected; this one is {status}"
        )));
    }
    let words = |text: &str, what: &str| {
        let t = text.trim();
        if t.is_empty() { Err(StoreError::Validation(what.into())) } else { Ok(t.to_owned()) }
    };
    let mut set = Sql::new("");
    let (action, note) = match decision {
        ReviewDecision::Approve => {
            let kept =
                serde_json::to_value(snapshot_in(tx, id).await?).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            set.push("status = 'approved', rejection_reason = NULL, approved_by = ")
                .bind(Param::Uuid(reviewer))
                .push(", approved_at = ")
                .bind(Param::Time(Timestamp::now()))
                .push(", approved_snapshot = ")
                .bind(Param::Json(kept));
            ("products.approve", None)
        }
        ReviewDecision::RequestChanges { note } => {
            let note = words(note, "say what to change, so the vendor can do it")?;
            set.push("status = 'draft', rejection_reason = ").bind(Param::Text(note.clone()));
            ("products.request_changes", Some(note))
        }
        ReviewDecision::Reject { reason } => {
            let reason = words(reason, "say why the product is rejected, so the vendor can fix it")?;
            set.push("status = 'rejected', rejection_reason = ").bind(Param::Text(reason.clone()));
            ("products.reject", Some(reason))
        }
    };
    let version = update_versioned_in(tx, "products", "product", id, expected_version, set).await?;
    let (vendor, name): (Uuid, String) =
        with_tx!(tx, |c| sqlx::query_as("SELECT vendor_id, name FROM products WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *c)
            .await)?;
    let notice = match decision {
        ReviewDecision::Approve => {
            Notice::new(NotificationKind::ProductApproved, Audience::Person(vendor), format!("“{name}” is approved"))
                .body("It is live in the catalog.")
        }
        ReviewDecision::RequestChanges { .. } => Notice::new(
            NotificationKind::ProductChangesRequested,
            Audience::Person(vendor),
            format!("Changes asked for “{name}”"),
        )
        .body(note.clone().unwrap_or_default()),
        ReviewDecision::Reject { .. } => Notice::new(
            NotificationKind::ProductChangesRequested,
            Audience::Person(vendor),
            format!("“{name}” is rejected"),
        )
        .body(note.clone().unwrap_or_default()),
    };
    notify_in(tx, Some(reviewer), &notice.about("products", id)).await?;
    let role: Option<String> = with_tx!(tx, |c| sqlx::query_scalar("SELECT role FROM users WHERE id = $1")
        .bind(reviewer)
        .fetch_optional(&mut *c)
        .await)?;
    record_audit_in(
        tx,
        &NewAuditEntry {
            actor_id: Some(reviewer),
            actor_role: role,
            action: action.into(),
            entity_table: Some("products".into()),
            entity_id: Some(id),
            details: Some(serde_json::json!({ "note": note })),
        },
    )
    .await?;
    Ok(version)
}
