//! Saving a product from the editor: created as a draft, or edited on the
//! version read — its options and one row per variant, all or nothing. A
//! vendor's edit of a live product goes back to review unless the platform
//! setting `catalog.review_live_edits` is `false`; every save is in the
//! audit trail with the fields it changed.

use super::snapshot::{diff, snapshot_in};
use crate::domain::product_draft::{DraftProblem, ProductDraft};
use crate::domain::{ProductStatus, Role, Timestamp};
use crate::orders::view::Reader;
use crate::store::audit::{NewAuditEntry, record_audit_in};
use crate::store::products::{free_slug_in, slugify};
use crate::store::sql::{Param, Sql};
use crate::store::stock_movements::{NewMovement, record_movement_in};
use crate::store::versioned::update_versioned_in;
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use uuid::Uuid;

/// The platform setting that decides whether vendors' edits of live
/// products are reviewed again (anything but `false` means yes).
pub const REVIEW_LIVE_EDITS: &str = "catalog.review_live_edits";

/// A product saved from the editor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProductSave {
    /// The product's id: made by the editor for a new one.
    pub product_id: Uuid,
    /// The version read; `None` creates the product.
    pub version: Option<i64>,
    /// What it holds now.
    pub draft: ProductDraft,
}

/// The problems that keep `draft` from being saved by `actor`, each named by
/// its field: the draft's own rules, its category, and SKUs the vendor
/// already uses on another product.
pub async fn draft_problems_in(
    tx: &mut WriteTx<'_>,
    product: Uuid,
    draft: &ProductDraft,
) -> Result<Vec<DraftProblem>, StoreError> {
    let mut out = draft.problems();
    let live: Option<i64> = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT count(*) FROM categories WHERE id = $1 AND deleted_at IS NULL AND is_active"
    )
    .bind(draft.category_id)
    .fetch_optional(&mut *c)
    .await)?;
    if live.unwrap_or(0) == 0 {
        out.push(DraftProblem { field: "category_id".into(), message: "choose a category that is in use".into() });
    }
    let skus: Vec<String> = draft.variants.iter().map(|v| v.sku.trim().to_lowercase()).collect();
    if skus.is_empty() || out.iter().any(|p| p.field.ends_with(".sku")) {
        return Ok(out);
    }
    let mut sql = Sql::new(
        "SELECT lower(v.sku) FROM product_variants v JOIN products p ON p.id = v.product_id \
         WHERE v.deleted_at IS NULL AND p.deleted_at IS NULL AND p.vendor_id = ",
    );
    sql.bind(Param::Uuid(draft.vendor_id)).push(" AND v.product_id <> ").bind(Param::Uuid(product));
    sql.push(" AND lower(v.sku) IN ").bind_list(skus.iter().cloned().map(Param::Text));
    let taken: BTreeSet<String> =
        with_tx!(tx, |c| crate::store::sql::bind_scalar(sqlx::query_scalar(&sql.text), &sql.params)
            .fetch_all(&mut *c)
            .await)?
        .into_iter()
        .collect();
    for (i, _) in skus.iter().enumerate().filter(|(_, s)| taken.contains(*s)) {
        out.push(DraftProblem {
            field: format!("variants[{i}].sku"),
            message: format!("SKU {} is already on another of this vendor's products", draft.variants[i].sku.trim()),
        });
    }
    Ok(out)
}

fn refuse(problems: Vec<DraftProblem>) -> StoreError {
    let words: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.field, p.message)).collect();
    StoreError::Validation(words.join("; "))
}

async fn review_live_edits_in(tx: &mut WriteTx<'_>) -> Result<bool, StoreError> {
    let value: Option<String> = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT CAST(value AS TEXT) FROM platform_settings WHERE key = $1 AND deleted_at IS NULL"
    )
    .bind(REVIEW_LIVE_EDITS)
    .fetch_optional(&mut *c)
    .await)?;
    Ok(value.is_none_or(|v| v.trim() != "false"))
}

/// Sends a live product back to review inside `tx` after `actor`, its vendor,
/// changed something buyers see outside the editor (its pictures), when the
/// platform setting asks for live edits to be reviewed. Returns whether it moved.
pub(crate) async fn back_to_review_in(tx: &mut WriteTx<'_>, actor: Reader, product: Uuid) -> Result<bool, StoreError> {
    if actor.role != Role::Vendor || !review_live_edits_in(tx).await? {
        return Ok(false);
    }
    let now = Timestamp::now();
    let moved = with_tx!(tx, |c| sqlx::query(
        "UPDATE products SET status = 'pending_review', submitted_at = $2, version = version + 1, updated_at = $2 \
         WHERE id = $1 AND status = 'approved' AND deleted_at IS NULL"
    )
    .bind(product)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
    .map_err(|e| StoreError::from_write("product", e))?;
    Ok(moved == 1)
}

/// Saves `save` as `actor` (the product's vendor, or an admin) inside `tx`;
/// returns the product's new version.
pub async fn save_product_in(tx: &mut WriteTx<'_>, actor: Reader, save: &ProductSave) -> Result<i64, StoreError> {
    save_with_slug_in(tx, actor, save, None).await
}

/// [`save_product_in`], a new product taking `slug` when it is free (an
/// import keeps the handle its file names the product by).
pub(crate) async fn save_with_slug_in(
    tx: &mut WriteTx<'_>,
    actor: Reader,
    save: &ProductSave,
    slug: Option<&str>,
) -> Result<i64, StoreError> {
    let draft = save.draft.clone().tidied();
    match actor.role {
        Role::Admin => {}
        Role::Vendor if draft.vendor_id == actor.id => {}
        Role::Vendor => return Err(StoreError::AccessDenied("a vendor edits only their own products".into())),
        _ => return Err(StoreError::AccessDenied("only vendors and admins edit products".into())),
    }
    let problems = draft_problems_in(tx, save.product_id, &draft).await?;
    if !problems.is_empty() {
        return Err(refuse(problems));
    }
    let base_price = draft.variants.iter().map(|v| v.price_minor).min().unwrap_or(0);
    let options = serde_json::to_value(&draft.options).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let now = Timestamp::now();
    let (version, before, status) = match save.version {
        None => {
            let wanted = slug.map(str::to_owned).unwrap_or_else(|| slugify(&draft.name));
            let slug = free_slug_in(tx, "products", Some(draft.vendor_id), &wanted).await?;
            with_tx!(tx, |c| sqlx::query(
                "INSERT INTO products (id, vendor_id, category_id, name, slug, description, status, base_price_minor, \
                 currency, options, is_featured, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $9, FALSE, 1, $10, $10)"
            )
            .bind(save.product_id)
            .bind(draft.vendor_id)
            .bind(draft.category_id)
            .bind(&draft.name)
            .bind(&slug)
            .bind(&draft.description)
            .bind(base_price)
            .bind(draft.currency)
            .bind(sqlx::types::Json(&options))
            .bind(now)
            .execute(&mut *c)
            .await
            .map(|_| ()))
            .map_err(|e| StoreError::from_write("product", e))?;
            (1, None, ProductStatus::Draft)
        }
        Some(expected) => {
            let (vendor, status): (Uuid, ProductStatus) = with_tx!(tx, |c| sqlx::query_as(
                "SELECT vendor_id, status FROM products WHERE id = $1 AND deleted_at IS NULL"
            )
            .bind(save.product_id)
            .fetch_optional(&mut *c)
            .await)?
            .ok_or(StoreError::NotFound { entity: "product", id: save.product_id.to_string() })?;
            if vendor != draft.vendor_id {
                return Err(StoreError::Validation("a product stays with the vendor who sells it".into()));
            }
            if status == ProductStatus::Archived {
                return Err(StoreError::Validation("an archived product is restored before it is edited".into()));
            }
            let before = snapshot_in(tx, save.product_id).await?;
            let to = match status {
                ProductStatus::Approved if actor.role == Role::Vendor && review_live_edits_in(tx).await? => {
                    ProductStatus::PendingReview
                }
                ProductStatus::Rejected => ProductStatus::Draft,
                other => other,
            };
            let mut set = Sql::new("name = ");
            set.bind(Param::Text(draft.name.clone()))
                .push(", description = ")
                .bind(Param::Text(draft.description.clone()))
                .push(", category_id = ")
                .bind(Param::Uuid(draft.category_id))
                .push(", currency = ")
                .bind(Param::Currency(draft.currency))
                .push(", base_price_minor = ")
                .bind(Param::I64(base_price))
                .push(", options = ")
                .bind(Param::Json(options.clone()))
                .push(", status = ")
                .bind(Param::Text(to.as_str().into()));
            if to == ProductStatus::PendingReview && status != ProductStatus::PendingReview {
                set.push(", submitted_at = ").bind(Param::Time(now));
            }
            let version = update_versioned_in(tx, "products", "product", save.product_id, expected, set).await?;
            (version, Some(before), to)
        }
    };
    write_variants_in(tx, save.product_id, &draft, now, actor.id).await?;
    let after = snapshot_in(tx, save.product_id).await?;
    let changed: Vec<String> = diff(before.as_ref(), &after).into_iter().map(|c| c.field).collect();
    record_audit_in(
        tx,
        &NewAuditEntry {
            actor_id: Some(actor.id),
            actor_role: Some(actor.role.as_str().into()),
            action: if before.is_none() { "products.create" } else { "products.edit" }.into(),
            entity_table: Some("products".into()),
            entity_id: Some(save.product_id),
            details: Some(serde_json::json!({ "changed": changed, "status": status })),
        },
    )
    .await?;
    Ok(version)
}

/// Makes the product's live variants those of `draft`: existing ones
/// updated in place (stock untouched), new ones inserted with their opening
/// stock, the rest retired (orders keep pointing at them).
async fn write_variants_in(
    tx: &mut WriteTx<'_>,
    product: Uuid,
    draft: &ProductDraft,
    now: Timestamp,
    actor: Uuid,
) -> Result<(), StoreError> {
    let live: Vec<Uuid> = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT id FROM product_variants WHERE product_id = $1 AND deleted_at IS NULL"
    )
    .bind(product)
    .fetch_all(&mut *c)
    .await)?;
    let keep: BTreeSet<Uuid> = draft.variants.iter().map(|v| v.id).collect();
    for gone in live.iter().filter(|id| !keep.contains(id)) {
        with_tx!(tx, |c| sqlx::query(
            "UPDATE product_variants SET deleted_at = $2, version = version + 1, updated_at = $2 WHERE id = $1"
        )
        .bind(gone)
        .bind(now)
        .execute(&mut *c)
        .await
        .map(|_| ()))
        .map_err(|e| StoreError::from_write("product variant", e))?;
    }
    for v in &draft.variants {
        let name = crate::domain::product_draft::variant_name(&draft.options, &v.options);
        let options = sqlx::types::Json(&v.options);
        // The columns an edit and an insert both write, $1 to $13.
        macro_rules! columns {
            ($q:expr) => {
                $q.bind(v.id)
                    .bind(&v.sku)
                    .bind(&name)
                    .bind(options)
                    .bind(v.price_minor)
                    .bind(v.compare_at_price_minor)
                    .bind(draft.currency)
                    .bind(&v.barcode)
                    .bind(v.weight_grams)
                    .bind(v.length_mm)
                    .bind(v.width_mm)
                    .bind(v.height_mm)
                    .bind(v.low_stock_threshold)
            };
        }
        let written = if live.contains(&v.id) {
            let sql = "UPDATE product_variants SET sku = $2, name = $3, options = $4, price_minor = $5, \
                       compare_at_price_minor = $6, currency = $7, barcode = $8, weight_grams = $9, length_mm = $10, \
                       width_mm = $11, height_mm = $12, low_stock_threshold = $13, version = version + 1, \
                       updated_at = $14 WHERE id = $1 AND product_id = $15";
            with_tx!(tx, |c| columns!(sqlx::query(sql))
                .bind(now)
                .bind(product)
                .execute(&mut *c)
                .await
                .map(|r| r.rows_affected()))
        } else {
            let sql = "INSERT INTO product_variants (id, sku, name, options, price_minor, compare_at_price_minor, \
                       currency, barcode, weight_grams, length_mm, width_mm, height_mm, low_stock_threshold, \
                       stock_on_hand, stock_reserved, version, created_at, updated_at, product_id) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 0, 0, 1, $14, $14, $15)";
            with_tx!(tx, |c| columns!(sqlx::query(sql))
                .bind(now)
                .bind(product)
                .execute(&mut *c)
                .await
                .map(|r| r.rows_affected()))
        }
        .map_err(|e| StoreError::from_write("product variant", e))?;
        if written != 1 {
            return Err(StoreError::Validation(format!(
                "variant {} belongs to another product; reload the product and try again",
                v.id
            )));
        }
        if !live.contains(&v.id) && v.initial_stock > 0 {
            let mut opening = NewMovement::opening(v.id, v.initial_stock);
            opening.actor = Some(actor);
            record_movement_in(tx, &opening).await?;
        }
    }
    Ok(())
}

impl Store {
    /// The problems that keep `draft` from being saved as product `product`
    /// (empty when it may be saved): what the editor shows beside each field.
    pub async fn product_draft_problems(
        &self,
        product: Uuid,
        draft: &ProductDraft,
    ) -> Result<Vec<DraftProblem>, StoreError> {
        let mut tx = self.begin_write_tx().await?;
        let problems = draft_problems_in(&mut tx, product, &draft.clone().tidied()).await?;
        drop(tx);
        Ok(problems)
    }
}
