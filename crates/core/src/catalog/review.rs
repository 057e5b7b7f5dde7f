//! Catalog approval: an admin approves or rejects a product a vendor sent for
//! review, and the vendor is told at once.

use crate::domain::notifications::NotificationKind;
use crate::domain::{ProductStatus, Timestamp};
use crate::notifications::{Audience, Notice, notify_in};
use crate::store::sql::{Param, Sql};
use crate::store::versioned::update_versioned_in;
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Store, StoreError};
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
    let mut set = Sql::new("");
    if approve {
        set.push("status = 'approved', rejection_reason = NULL, approved_by = ")
            .bind(Param::Uuid(reviewer))
            .push(", approved_at = ")
            .bind(Param::Time(Timestamp::now()));
    } else {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty()).ok_or_else(|| {
            StoreError::Validation("say why the product is rejected, so the vendor can fix it".into())
        })?;
        set.push("status = 'rejected', rejection_reason = ").bind(Param::Text(reason.into()));
    }
    let version = update_versioned_in(tx, "products", "product", id, expected_version, set).await?;
    let (vendor, name): (Uuid, String) =
        with_tx!(tx, |c| sqlx::query_as("SELECT vendor_id, name FROM products WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *c)
            .await)?;
    let notice = if approve {
        Notice::new(NotificationKind::ProductApproved, Audience::Person(vendor), format!("“{name}” is approved"))
            .body("It is live in the catalog.")
    } else {
        Notice::new(
            NotificationKind::ProductChangesRequested,
            Audience::Person(vendor),
            format!("Changes asked for “{name}”"),
        )
        .body(reason.map(str::trim).unwrap_or_default())
    };
    notify_in(tx, Some(reviewer), &notice.about("products", id)).await?;
    Ok(version)
}
