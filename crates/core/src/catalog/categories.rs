//! The category tree as admins keep it: add, rename, move under another
//! parent (never under itself or its own branch), merge one into another
//! (its products and sub-categories follow), and archive an empty one. Each
//! category's `path` of slugs from the root is rewritten for its whole branch
//! when it moves, so reports "of this category or below" stay right; every
//! change is on the version read and in the audit trail.

use crate::domain::{Role, Timestamp, new_id};
use crate::orders::view::Reader;
use crate::store::audit::{NewAuditEntry, record_audit_in};
use crate::store::products::{free_slug_in, slugify};
use crate::store::sql::{Param, Sql};
use crate::store::versioned::update_versioned_in;
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A change to the category tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum CategoryChange {
    /// A new category, at the root or under `parent`.
    Add {
        /// Its id, made where the change is made.
        id: Uuid,
        /// Its name.
        name: String,
        /// Its parent; `None` at the root.
        parent: Option<Uuid>,
    },
    /// A new name (its slug, and so its place in URLs and paths, stays).
    Rename {
        /// The category.
        id: Uuid,
        /// Its version read.
        version: i64,
        /// The new name.
        name: String,
    },
    /// Under another parent, or to the root; its whole branch follows.
    Move {
        /// The category.
        id: Uuid,
        /// Its version read.
        version: i64,
        /// The new parent; `None` for the root.
        parent: Option<Uuid>,
    },
    /// Its products and sub-categories go to `into`, and it is archived.
    Merge {
        /// The category merged away.
        id: Uuid,
        /// Its version read.
        version: i64,
        /// The category that takes its products and sub-categories.
        into: Uuid,
    },
    /// Out of use; only an empty category (no product, no sub-category).
    Archive {
        /// The category.
        id: Uuid,
        /// Its version read.
        version: i64,
    },
}

/// A category with what is filed under it, as the tree shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CategoryNode {
    /// Its id.
    pub id: Uuid,
    /// Its parent.
    pub parent_id: Option<Uuid>,
    /// Its name.
    pub name: String,
    /// Its path of slugs from the root.
    pub path: String,
    /// How deep it sits (0 at the root).
    pub depth: i64,
    /// Live products filed directly under it.
    pub products: i64,
    /// Its version.
    pub version: i64,
}

type Row = (Option<Uuid>, String, String, i64);

async fn row_in(tx: &mut WriteTx<'_>, id: Uuid) -> Result<Row, StoreError> {
    with_tx!(tx, |c| sqlx::query_as(
        "SELECT parent_id, name, path, version FROM categories WHERE id = $1 AND deleted_at IS NULL AND is_active"
    )
    .bind(id)
    .fetch_optional(&mut *c)
    .await)?
    .ok_or(StoreError::NotFound { entity: "category", id: id.to_string() })
}

fn named(name: &str) -> Result<String, StoreError> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > 80 {
        return Err(StoreError::Validation("a category's name needs 1–80 characters".into()));
    }
    Ok(n.to_owned())
}

/// Rewrites the paths of `from`'s whole branch to begin with `to` instead.
async fn repath_in(tx: &mut WriteTx<'_>, from: &str, to: &str, now: Timestamp) -> Result<(), StoreError> {
    let mut pattern: String =
        from.chars().flat_map(|ch| if matches!(ch, '%' | '_' | '\\') { vec!['\\', ch] } else { vec![ch] }).collect();
    pattern.push('%');
    with_tx!(tx, |c| sqlx::query(
        "UPDATE categories SET path = $1 || substr(path, $2), updated_at = $3, version = version + 1 \
         WHERE path LIKE $4 ESCAPE '\\' AND deleted_at IS NULL"
    )
    .bind(to)
    .bind(i32::try_from(from.chars().count()).unwrap_or(i32::MAX).saturating_add(1))
    .bind(now)
    .bind(&pattern)
    .execute(&mut *c)
    .await
    .map(|_| ()))
    .map_err(|e| StoreError::from_write("category", e))
}

/// The path a category with `slug` has under `parent` (the root when `None`).
async fn path_under_in(tx: &mut WriteTx<'_>, parent: Option<Uuid>, slug: &str) -> Result<String, StoreError> {
    Ok(match parent {
        Some(p) => format!("{}{slug}/", row_in(tx, p).await?.2),
        None => format!("/{slug}/"),
    })
}

/// Makes `change` as `actor` (an admin) inside `tx`; returns the category
/// that stands after it (the merged-into one for a merge).
pub async fn change_category_in(
    tx: &mut WriteTx<'_>,
    actor: Reader,
    change: &CategoryChange,
) -> Result<Uuid, StoreError> {
    if actor.role != Role::Admin {
        return Err(StoreError::AccessDenied("only admins keep the category tree".into()));
    }
    let now = Timestamp::now();
    let (action, id, details) = match change {
        CategoryChange::Add { id, name, parent } => {
            let name = named(name)?;
            let slug = free_slug_in(tx, "categories", None, &slugify(&name)).await?;
            let path = path_under_in(tx, *parent, &slug).await?;
            with_tx!(tx, |c| sqlx::query(
                "INSERT INTO categories (id, parent_id, name, slug, path, sort_order, is_active, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 0, TRUE, 1, $6, $6)"
            )
            .bind(id)
            .bind(parent)
            .bind(&name)
            .bind(&slug)
            .bind(&path)
            .bind(now)
            .execute(&mut *c)
            .await
            .map(|_| ()))
            .map_err(|e| StoreError::from_write("category", e))?;
            ("categories.add", *id, serde_json::json!({ "name": name, "path": path }))
        }
        CategoryChange::Rename { id, version, name } => {
            let name = named(name)?;
            let mut set = Sql::new("name = ");
            set.bind(Param::Text(name.clone()));
            update_versioned_in(tx, "categories", "category", *id, *version, set).await?;
            ("categories.rename", *id, serde_json::json!({ "name": name }))
        }
        CategoryChange::Move { id, version, parent } => {
            let (_, _, path, _) = row_in(tx, *id).await?;
            let slug = path.trim_end_matches('/').rsplit('/').next().unwrap_or_default().to_owned();
            if let Some(p) = parent {
                let (_, _, parent_path, _) = row_in(tx, *p).await?;
                if parent_path.starts_with(&path) {
                    return Err(StoreError::Validation("a category cannot move under itself or its own branch".into()));
                }
            }
            let mut set = Sql::new("parent_id = ");
            match parent {
                Some(p) => set.bind(Param::Uuid(*p)),
                None => set.push("NULL"),
            };
            update_versioned_in(tx, "categories", "category", *id, *version, set).await?;
            let to = path_under_in(tx, *parent, &slug).await?;
            repath_in(tx, &path, &to, now).await?;
            ("categories.move", *id, serde_json::json!({ "from": path, "to": to }))
        }
        CategoryChange::Merge { id, version, into } => {
            let (_, _, path, _) = row_in(tx, *id).await?;
            let (_, _, into_path, _) = row_in(tx, *into).await?;
            if into_path.starts_with(&path) {
                return Err(StoreError::Validation("a category cannot merge into itself or its own branch".into()));
            }
            let products = with_tx!(tx, |c| {
                sqlx::query(
                "UPDATE products SET category_id = $2, version = version + 1, updated_at = $3 WHERE category_id = $1"
            )
            .bind(id)
            .bind(into)
            .bind(now)
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected())
            })
            .map_err(|e| StoreError::from_write("product", e))?;
            let children: Vec<(Uuid, i64)> = with_tx!(tx, |c| sqlx::query_as(
                "SELECT id, version FROM categories WHERE parent_id = $1 AND deleted_at IS NULL"
            )
            .bind(id)
            .fetch_all(&mut *c)
            .await)?;
            for (child, child_version) in &children {
                let moved = CategoryChange::Move { id: *child, version: *child_version, parent: Some(*into) };
                Box::pin(change_category_in(tx, actor, &moved)).await?;
            }
            update_versioned_in(tx, "categories", "category", *id, *version, Sql::new("is_active = FALSE")).await?;
            let details = serde_json::json!({ "into": into, "products": products, "sub_categories": children.len() });
            ("categories.merge", *into, details)
        }
        CategoryChange::Archive { id, version } => {
            let (products, children): (i64, i64) = with_tx!(tx, |c| {
                sqlx::query_as(
                "SELECT (SELECT count(*) FROM products WHERE category_id = $1 AND deleted_at IS NULL AND status <> 'archived'), \
                        (SELECT count(*) FROM categories WHERE parent_id = $1 AND deleted_at IS NULL AND is_active)"
            )
            .bind(id)
            .fetch_one(&mut *c)
            .await
            })?;
            if products > 0 || children > 0 {
                return Err(StoreError::Validation(format!(
                    "the category still holds {products} product(s) and {children} sub-category(ies): merge it into another instead"
                )));
            }
            update_versioned_in(tx, "categories", "category", *id, *version, Sql::new("is_active = FALSE")).await?;
            ("categories.archive", *id, serde_json::json!({}))
        }
    };
    let target = match change {
        CategoryChange::Merge { id, .. } => *id,
        _ => id,
    };
    record_audit_in(
        tx,
        &NewAuditEntry {
            actor_id: Some(actor.id),
            actor_role: Some(actor.role.as_str().into()),
            action: action.into(),
            entity_table: Some("categories".into()),
            entity_id: Some(target),
            details: Some(details),
        },
    )
    .await?;
    Ok(id)
}

impl Store {
    /// The categories in use as a tree in path order, each with its live
    /// products filed directly under it.
    pub async fn category_tree(&self) -> Result<Vec<CategoryNode>, StoreError> {
        let sql = "SELECT c.id, c.parent_id, c.name, c.path, \
                   CAST(length(c.path) - length(replace(c.path, '/', '')) - 2 AS BIGINT) AS depth, \
                   (SELECT count(*) FROM products p WHERE p.category_id = c.id AND p.deleted_at IS NULL \
                    AND p.status <> 'archived') AS products, c.version \
                   FROM categories c WHERE c.deleted_at IS NULL AND c.is_active ORDER BY c.path";
        Ok(with_pool!(&self.db, |p| sqlx::query_as(sql).fetch_all(p).await)?)
    }
}

impl CategoryChange {
    /// A new category named `name` under `parent`, with an id made here.
    pub fn add(name: &str, parent: Option<Uuid>) -> Self {
        CategoryChange::Add { id: new_id(), name: name.to_owned(), parent }
    }

    /// The category it changes.
    pub fn id(&self) -> Uuid {
        match self {
            CategoryChange::Add { id, .. }
            | CategoryChange::Rename { id, .. }
            | CategoryChange::Move { id, .. }
            | CategoryChange::Merge { id, .. }
            | CategoryChange::Archive { id, .. } => *id,
        }
    }

    /// The version it was based on (an addition names none).
    pub fn version(&self) -> Option<i64> {
        match self {
            CategoryChange::Add { .. } => None,
            CategoryChange::Rename { version, .. }
            | CategoryChange::Move { version, .. }
            | CategoryChange::Merge { version, .. }
            | CategoryChange::Archive { version, .. } => Some(*version),
        }
    }

    /// The same change based on `to` instead.
    pub fn rebased(&self, to: i64) -> Self {
        let mut c = self.clone();
        match &mut c {
            CategoryChange::Add { .. } => {}
            CategoryChange::Rename { version, .. }
            | CategoryChange::Move { version, .. }
            | CategoryChange::Merge { version, .. }
            | CategoryChange::Archive { version, .. } => *version = to,
        }
        c
    }
}
