//! Catalog approval: an admin approves or rejects a product a vendor sent for
//! review.

use crate::domain::{ProductStatus, Timestamp};
use crate::store::sql::{Param, Sql};
use crate::store::versioned::update_versioned;
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
        let current = self.product(id).await?;
        if current.status != ProductStatus::PendingReview {
            return Err(StoreError::Validation(format!(
                "only products pending review can be approved or rejected; this one is {}",
                current.status
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
        update_versioned(&self.db, "products", "product", id, expected_version, set).await
    }
}
