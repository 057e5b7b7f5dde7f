//! The audit trail: append-only rows saying who did what to which row. On
//! PostgreSQL triggers write most of them (migration 0002); the core adds its
//! own (sign-ins, exports) through [`Store::record_audit`]. Nobody edits them.

use super::page::{SortKey, SortValue, finish_query, into_page};
use super::sql::{Param, Sql, bind_as};
use super::write_tx::WriteTx;
use super::{Page, PageRequest, Store, StoreError, with_pool};
use crate::domain::{Timestamp, new_id};
use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use uuid::Uuid;

/// One audit row.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AuditEntry {
    /// Row id.
    pub id: Uuid,
    /// Who did it (`None` for the system).
    pub actor_id: Option<Uuid>,
    /// Their role at the time.
    pub actor_role: Option<String>,
    /// What happened (`payouts.update`, `signed_in`, …).
    pub action: String,
    /// The table of the row concerned.
    pub entity_table: Option<String>,
    /// The row concerned.
    pub entity_id: Option<Uuid>,
    /// What changed (field → [old, new]) or other details.
    #[cfg_attr(feature = "specta", specta(type = Option<serde_json::Value>))]
    pub details: Option<Json<serde_json::Value>>,
    /// When.
    pub occurred_at: Timestamp,
}

/// An audit row to add.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAuditEntry {
    /// Who did it.
    pub actor_id: Option<Uuid>,
    /// Their role.
    pub actor_role: Option<String>,
    /// What happened.
    pub action: String,
    /// The table of the row concerned.
    pub entity_table: Option<String>,
    /// The row concerned.
    pub entity_id: Option<Uuid>,
    /// Details.
    pub details: Option<serde_json::Value>,
}

/// Narrows the audit list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AuditFilter {
    /// Only this person's actions.
    pub actor_id: Option<Uuid>,
    /// Actions starting with this (`payouts.` for every payout change).
    pub action_prefix: Option<String>,
    /// Only rows about this table.
    pub entity_table: Option<String>,
    /// Only rows about this row.
    pub entity_id: Option<Uuid>,
    /// At or after.
    pub from: Option<Timestamp>,
    /// Before.
    pub to: Option<Timestamp>,
}

/// The audit list's only order: by time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum AuditSort {
    /// By time.
    #[default]
    OccurredAt,
}

impl SortKey for AuditSort {
    fn name(&self) -> &'static str {
        "occurred_at"
    }
    fn column(&self) -> &'static str {
        "a.occurred_at"
    }
}

impl Store {
    /// Appends an audit row. On PostgreSQL the database writes it
    /// (`md_record_audit`): the actor, their role and the time come from the
    /// session, and `entry.actor_id`/`actor_role` count only for a superuser's
    /// session (the command line acting for someone). The id is the database's.
    pub async fn record_audit(&self, entry: &NewAuditEntry) -> Result<Uuid, StoreError> {
        let action = entry.action.trim();
        if action.is_empty() || action.len() > 100 {
            return Err(StoreError::Validation("an audit action needs 1–100 characters".into()));
        }
        let details = entry.details.clone().map(Json);
        let sqlite = match &self.db {
            super::Db::Postgres(pool) => {
                return sqlx::query_scalar("SELECT md_record_audit($1, $2, $3, $4, $5)")
                    .bind(action)
                    .bind(&entry.entity_table)
                    .bind(entry.entity_id)
                    .bind(&details)
                    .bind(entry.actor_id)
                    .fetch_one(pool)
                    .await
                    .map_err(|e| StoreError::from_write("audit entry", e));
            }
            super::Db::Sqlite(pool) => pool,
        };
        let id = new_id();
        let now = Timestamp::now();
        sqlx::query(
            "INSERT INTO audit_log (id, actor_id, actor_role, action, entity_table, entity_id, details, occurred_at, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $8, $8)",
        )
        .bind(id)
        .bind(entry.actor_id)
        .bind(&entry.actor_role)
        .bind(action)
        .bind(&entry.entity_table)
        .bind(entry.entity_id)
        .bind(&details)
        .bind(now)
        .execute(sqlite)
        .await
        .map_err(|e| StoreError::from_write("audit entry", e))?;
        Ok(id)
    }

    /// A page of the audit trail.
    pub async fn list_audit(
        &self,
        filter: &AuditFilter,
        page: &PageRequest<AuditSort>,
    ) -> Result<Page<AuditEntry>, StoreError> {
        let mut sql = Sql::new(
            "SELECT a.id, a.actor_id, a.actor_role, a.action, a.entity_table, a.entity_id, a.details, a.occurred_at \
             FROM audit_log a WHERE a.deleted_at IS NULL",
        );
        if let Some(actor) = filter.actor_id {
            sql.push(" AND a.actor_id = ").bind(Param::Uuid(actor));
        }
        if let Some(prefix) = filter.action_prefix.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            // A prefix match on the first characters, no LIKE wildcards to escape.
            sql.push(" AND substr(a.action, 1, CAST(")
                .bind(Param::I64(i64::try_from(prefix.chars().count()).unwrap_or(0)))
                .push(" AS INTEGER)) = ")
                .bind(Param::Text(prefix.to_owned()));
        }
        if let Some(table) = filter.entity_table.as_deref() {
            sql.push(" AND a.entity_table = ").bind(Param::Text(table.to_owned()));
        }
        if let Some(id) = filter.entity_id {
            sql.push(" AND a.entity_id = ").bind(Param::Uuid(id));
        }
        if let Some(t) = filter.from {
            sql.push(" AND a.occurred_at >= ").bind(Param::Time(t));
        }
        if let Some(t) = filter.to {
            sql.push(" AND a.occurred_at < ").bind(Param::Time(t));
        }
        finish_query(&mut sql, page, "a.id")?;
        let rows: Vec<AuditEntry> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;
        Ok(into_page(rows, page, |r: &AuditEntry| (SortValue::from(r.occurred_at), r.id)))
    }
}

/// Appends an audit row inside an open write transaction, so the entry and
/// the change it records commit together (see [`Store::record_audit`] for
/// whose name it carries on each engine).
pub(crate) async fn record_audit_in(tx: &mut WriteTx<'_>, entry: &NewAuditEntry) -> Result<(), StoreError> {
    let details = entry.details.clone().map(Json);
    match tx {
        WriteTx::Postgres(t) => {
            sqlx::query("SELECT md_record_audit($1, $2, $3, $4, $5)")
                .bind(&entry.action)
                .bind(&entry.entity_table)
                .bind(entry.entity_id)
                .bind(&details)
                .bind(entry.actor_id)
                .execute(&mut **t)
                .await
                .map_err(|e| StoreError::from_write("audit entry", e))?;
        }
        WriteTx::Sqlite(t) => {
            let now = Timestamp::now();
            sqlx::query(
                "INSERT INTO audit_log (id, actor_id, actor_role, action, entity_table, entity_id, details, occurred_at, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $8, $8)",
            )
            .bind(new_id())
            .bind(entry.actor_id)
            .bind(&entry.actor_role)
            .bind(&entry.action)
            .bind(&entry.entity_table)
            .bind(entry.entity_id)
            .bind(&details)
            .bind(now)
            .execute(&mut **t)
            .await
            .map_err(|e| StoreError::from_write("audit entry", e))?;
        }
    }
    Ok(())
}

/// [`record_audit_in`] for the common case: `actor` (of `role`) did `action`
/// to the `table` row `id`, with `details`.
pub(crate) async fn audit_row_in(
    tx: &mut WriteTx<'_>,
    (actor, role): (Uuid, crate::domain::Role),
    action: &str,
    (table, id): (&str, Uuid),
    details: serde_json::Value,
) -> Result<(), StoreError> {
    let entry = NewAuditEntry {
        actor_id: Some(actor),
        actor_role: Some(role.as_str().into()),
        action: action.into(),
        entity_table: Some(table.into()),
        entity_id: Some(id),
        details: Some(details),
    };
    record_audit_in(tx, &entry).await
}
