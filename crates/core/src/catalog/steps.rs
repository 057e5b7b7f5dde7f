//! A product's moves that are not edits: sent for review, archived (off
//! sale, kept for the orders that name it) and restored as a draft — each on
//! the version read and in the audit trail.

use crate::domain::{ProductStatus, Role, Timestamp};
use crate::orders::view::Reader;
use crate::store::StoreError;
use crate::store::audit::{NewAuditEntry, record_audit_in};
use crate::store::sql::{Param, Sql};
use crate::store::versioned::update_versioned_in;
use crate::store::write_tx::{WriteTx, with_tx};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A move of a product that is not an edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ProductStep {
    /// A draft or rejected product goes to the approval queue.
    Submit,
    /// Taken off sale and out of the lists; orders keep naming it.
    Archive,
    /// An archived product comes back as a draft.
    Restore,
}

impl ProductStep {
    /// The stored name of the step.
    pub fn as_str(self) -> &'static str {
        match self {
            ProductStep::Submit => "submit",
            ProductStep::Archive => "archive",
            ProductStep::Restore => "restore",
        }
    }

    /// Where the step takes a product that is `from`, or why it cannot.
    pub fn target(self, from: ProductStatus) -> Result<ProductStatus, String> {
        use ProductStatus::*;
        match (self, from) {
            (ProductStep::Submit, Draft | Rejected) => Ok(PendingReview),
            (ProductStep::Submit, _) => {
                Err(format!("only a draft or a rejected product is sent for review; this one is {}", words(from)))
            }
            (ProductStep::Archive, Archived) => Err("the product is archived already".into()),
            (ProductStep::Archive, _) => Ok(Archived),
            (ProductStep::Restore, Archived) => Ok(Draft),
            (ProductStep::Restore, _) => {
                Err(format!("only an archived product is restored; this one is {}", words(from)))
            }
        }
    }
}

fn words(status: ProductStatus) -> String {
    status.as_str().replace('_', " ")
}

/// Takes `step` on product `id` at `expected` version as `actor` (its
/// vendor or an admin); returns the new version.
pub async fn take_product_step_in(
    tx: &mut WriteTx<'_>,
    actor: Reader,
    id: Uuid,
    expected: i64,
    step: ProductStep,
) -> Result<i64, StoreError> {
    let (vendor, status, version): (Uuid, ProductStatus, i64) = with_tx!(tx, |c| sqlx::query_as(
        "SELECT vendor_id, status, version FROM products WHERE id = $1 AND deleted_at IS NULL"
    )
    .bind(id)
    .fetch_optional(&mut *c)
    .await)?
    .ok_or(StoreError::NotFound { entity: "product", id: id.to_string() })?;
    match actor.role {
        Role::Admin => {}
        Role::Vendor if vendor == actor.id => {}
        _ => return Err(StoreError::AccessDenied("only the product's vendor or an admin moves it".into())),
    }
    if version != expected {
        return Err(StoreError::VersionConflict { entity: "product", id: id.to_string(), expected, actual: version });
    }
    let to = step.target(status).map_err(StoreError::Validation)?;
    let mut set = Sql::new("status = ");
    set.bind(Param::Text(to.as_str().into()));
    if to == ProductStatus::PendingReview {
        set.push(", submitted_at = ").bind(Param::Time(Timestamp::now()));
    }
    let version = update_versioned_in(tx, "products", "product", id, expected, set).await?;
    record_audit_in(
        tx,
        &NewAuditEntry {
            actor_id: Some(actor.id),
            actor_role: Some(actor.role.as_str().into()),
            action: format!("products.{}", step.as_str()),
            entity_table: Some("products".into()),
            entity_id: Some(id),
            details: Some(serde_json::json!({ "from": status, "to": to })),
        },
    )
    .await?;
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_follow_the_approval_flow() {
        use ProductStatus::*;
        assert_eq!(ProductStep::Submit.target(Draft), Ok(PendingReview));
        assert_eq!(ProductStep::Submit.target(Rejected), Ok(PendingReview));
        assert!(ProductStep::Submit.target(Approved).is_err());
        assert!(ProductStep::Submit.target(PendingReview).is_err());
        for from in [Draft, PendingReview, Approved, Rejected] {
            assert_eq!(ProductStep::Archive.target(from), Ok(Archived));
            assert!(ProductStep::Restore.target(from).is_err());
        }
        assert_eq!(ProductStep::Restore.target(Archived), Ok(Draft));
    }
}
