//! Schema migrations: embedded in the binary, one folder per engine, append-only.
//!
//! [`Store::schema_status`] tells what a database holds against what this binary
//! knows; [`Store::migrate`] applies what is pending one migration at a time (each
//! in its own transaction) and reports progress, and refuses a database migrated
//! by a newer Marketdesk or one whose applied migrations were edited.

use super::{Db, Store, StoreError, with_pool};
use sqlx::migrate::{Migrate, MigrateError, Migrator};
use std::collections::HashMap;

static POSTGRES: Migrator = sqlx::migrate!("../../migrations/postgres");
static SQLITE: Migrator = sqlx::migrate!("../../migrations/sqlite");

/// Where a database's schema stands against this binary.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SchemaStatus {
    /// Newest migration version this binary carries.
    pub known: i64,
    /// Versions applied in the database.
    pub applied: Vec<i64>,
    /// Versions this binary would apply, with their descriptions.
    pub pending: Vec<(i64, String)>,
    /// Applied versions this binary does not know (a newer Marketdesk migrated it).
    pub unknown: Vec<i64>,
    /// Applied versions whose text changed since they were applied.
    pub changed: Vec<i64>,
    /// A version left half-applied.
    pub dirty: Option<i64>,
}

impl SchemaStatus {
    /// The schema is exactly what this binary expects.
    pub fn is_current(&self) -> bool {
        self.pending.is_empty() && self.unknown.is_empty() && self.changed.is_empty() && self.dirty.is_none()
    }

    /// The problem that stops this binary from using the database as it is, if any
    /// (pending migrations excepted: those `migrate` fixes).
    pub fn blocking_problem(&self) -> Option<StoreError> {
        if let Some(v) = self.dirty {
            return Some(StoreError::MigrationDirty(v));
        }
        if let Some(&v) = self.unknown.iter().max() {
            return Some(StoreError::SchemaTooNew { database: v, known: self.known });
        }
        self.changed.first().map(|&v| StoreError::MigrationChanged(v))
    }
}

/// Progress of a migration run, reported after each step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStep {
    /// 1-based index of the migration just applied.
    pub done: usize,
    /// How many were pending at the start.
    pub total: usize,
    /// Its version.
    pub version: i64,
    /// Its description.
    pub description: String,
}

/// Newest migration version this binary carries for `engine`.
pub fn known_version(engine: super::Engine) -> i64 {
    let m = match engine {
        super::Engine::Postgres => &POSTGRES,
        super::Engine::Sqlite => &SQLITE,
    };
    m.iter().map(|x| x.version).max().unwrap_or(0)
}

fn migrator(db: &Db) -> &'static Migrator {
    match db {
        Db::Postgres(_) => &POSTGRES,
        Db::Sqlite(_) => &SQLITE,
    }
}

fn from_migrate(err: MigrateError) -> StoreError {
    match err {
        MigrateError::Execute(e) => StoreError::from(e),
        MigrateError::ExecuteMigration(e, v) => StoreError::Migration(format!("migration {v}: {e}")),
        MigrateError::VersionMismatch(v) => StoreError::MigrationChanged(v),
        MigrateError::Dirty(v) => StoreError::MigrationDirty(v),
        other => StoreError::Migration(other.to_string()),
    }
}

impl Store {
    /// Newest migration this binary carries for the store's engine.
    pub fn known_schema_version(&self) -> i64 {
        migrator(&self.db).iter().map(|m| m.version).max().unwrap_or(0)
    }

    /// Compares the database's applied migrations with this binary's.
    pub async fn schema_status(&self) -> Result<SchemaStatus, StoreError> {
        let m = migrator(&self.db);
        // Reading the status must not create the bookkeeping table in a database
        // that was never migrated (or is not Marketdesk's at all).
        let tracked: bool =
            match &self.db {
                Db::Postgres(p) => {
                    sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL").fetch_one(p).await?
                }
                Db::Sqlite(p) => sqlx::query_scalar(
                    "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')",
                )
                .fetch_one(p)
                .await?,
            };
        if !tracked {
            return Ok(status_of(m, &[], None));
        }
        with_pool!(&self.db, |pool| {
            let mut conn = pool.acquire().await?;
            let dirty = conn.dirty_version().await.map_err(from_migrate)?;
            let applied = conn.list_applied_migrations().await.map_err(from_migrate)?;
            Ok(status_of(m, &applied, dirty))
        })
    }

    /// Applies every pending migration, calling `progress` after each one.
    ///
    /// Refuses (changing nothing) a database with unknown, edited or half-applied
    /// migrations. Returns how many migrations were applied.
    pub async fn migrate(&self, mut progress: impl FnMut(&MigrationStep)) -> Result<usize, StoreError> {
        if let Some(pool) = self.pg_pool()
            && self.schema_status().await?.pending.iter().any(|(v, _)| *v == 2)
        {
            create_group_roles(pool).await?;
        }
        let m = migrator(&self.db);
        with_pool!(&self.db, |pool| {
            let mut conn = pool.acquire().await?;
            conn.lock().await.map_err(from_migrate)?;
            let result = async {
                conn.ensure_migrations_table().await.map_err(from_migrate)?;
                let dirty = conn.dirty_version().await.map_err(from_migrate)?;
                let applied = conn.list_applied_migrations().await.map_err(from_migrate)?;
                let status = status_of(m, &applied, dirty);
                if let Some(problem) = status.blocking_problem() {
                    return Err(problem);
                }
                let total = status.pending.len();
                let mut done = 0;
                for migration in m.iter().filter(|mig| status.pending.iter().any(|(v, _)| *v == mig.version)) {
                    conn.apply(migration).await.map_err(from_migrate)?;
                    done += 1;
                    progress(&MigrationStep {
                        done,
                        total,
                        version: migration.version,
                        description: migration.description.to_string(),
                    });
                }
                Ok(done)
            }
            .await;
            let unlocked = conn.unlock().await.map_err(from_migrate);
            let done = result?;
            unlocked?;
            Ok(done)
        })
    }

    /// Opens-time guard: fails unless the schema is current. With `auto_migrate`
    /// pending migrations are applied first (the local SQLite default does this).
    pub async fn ensure_schema(&self, auto_migrate: bool) -> Result<(), StoreError> {
        let status = self.schema_status().await?;
        if let Some(problem) = status.blocking_problem() {
            return Err(problem);
        }
        if !status.pending.is_empty() {
            if !auto_migrate {
                return Err(StoreError::NeedsMigration { pending: status.pending.len() });
            }
            self.migrate(|_| {}).await?;
        }
        Ok(())
    }
}

/// The group roles migration 2 needs. Roles belong to the whole server, not to
/// one database, and the migration lock is per database: two databases
/// migrated at once on a new server would both try to create them, and one
/// would fail. They are made here first, a concurrent creation counting as done.
async fn create_group_roles(pool: &sqlx::PgPool) -> Result<(), StoreError> {
    for group in ["md_admin", "md_vendor", "md_logistics", "md_finance"] {
        let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)")
            .bind(group)
            .fetch_one(pool)
            .await?;
        if exists {
            continue;
        }
        match sqlx::query(&format!("CREATE ROLE {group} NOLOGIN")).execute(pool).await {
            Ok(_) => {}
            // 23505: the catalog's unique index saw the other creation; 42710: it had committed.
            Err(sqlx::Error::Database(e)) if matches!(e.code().as_deref(), Some("23505" | "42710")) => {}
            Err(e) => return Err(StoreError::Migration(format!("cannot create role {group}: {e}"))),
        }
    }
    Ok(())
}

fn status_of(m: &Migrator, applied: &[sqlx::migrate::AppliedMigration], dirty: Option<i64>) -> SchemaStatus {
    let known: HashMap<i64, &sqlx::migrate::Migration> =
        m.iter().filter(|x| !x.migration_type.is_down_migration()).map(|x| (x.version, x)).collect();
    let applied_versions: Vec<i64> = applied.iter().map(|a| a.version).collect();
    let unknown = applied_versions.iter().copied().filter(|v| !known.contains_key(v)).collect();
    let changed = applied
        .iter()
        .filter(|a| known.get(&a.version).is_some_and(|k| k.checksum != a.checksum))
        .map(|a| a.version)
        .collect();
    let mut pending: Vec<(i64, String)> = known
        .values()
        .filter(|k| !applied_versions.contains(&k.version))
        .map(|k| (k.version, k.description.to_string()))
        .collect();
    pending.sort();
    SchemaStatus {
        known: known.keys().copied().max().unwrap_or(0),
        applied: applied_versions,
        pending,
        unknown,
        changed,
        dirty,
    }
}
