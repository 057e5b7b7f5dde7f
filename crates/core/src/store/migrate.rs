//! Schema migrations: embedded in the binary, one folder per engine, append-only.
//!
//! [`Store::schema_status`] tells what a database holds against what this binary
//! knows; [`Store::migrate`] applies what is pending one migration at a time (each
//! in its own transaction) and reports progress, and refuses a database migrated
//! by a newer Marketdesk or one whose applied migrations were edited.
//!
//! On PostgreSQL a person's own sign-in has no grant on sqlx's bookkeeping
//! table: it reads the same rows through the `SECURITY DEFINER` function
//! `md_schema_migrations()`, and may not migrate (the database owner or a
//! superuser does).

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

/// Why a sign-in may not read or change the schema's bookkeeping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SchemaAccessError {
    /// A person's sign-in ran `migrate`.
    #[error("migrations are applied by the database owner or a superuser, not by a person's sign-in")]
    NotOwner,
    /// The schema predates `md_schema_migrations()`, so a person cannot tell its version.
    #[error(
        "this database's schema is older than this Marketdesk: an administrator must migrate it (`marketdesk migrate` as the database owner or a superuser)"
    )]
    Outdated,
    /// The function is there but this sign-in may not call it (no group yet).
    #[error("this sign-in may not read the database's schema version; ask an administrator to check its role")]
    Unreadable,
}

impl From<SchemaAccessError> for StoreError {
    fn from(e: SchemaAccessError) -> Self {
        StoreError::Validation(e.to_string())
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
        if let Db::Postgres(pool) = &self.db
            && !can_read_bookkeeping(pool).await?
        {
            let (applied, dirty) = applied_through_function(pool).await?;
            return Ok(status_of(m, &applied, dirty));
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
        if self.route().pooled {
            // The migration lock is held by a session, which a pooler does not keep.
            return Err(StoreError::Migration(
                "migrations hold a lock for the whole session: run them against PostgreSQL's own address, \
                 not through the transaction pooler"
                    .into(),
            ));
        }
        self.check_may_migrate().await?;
        if let Some(pool) = self.pg_pool()
            && self.schema_status().await?.pending.iter().any(|(v, _)| *v == 2)
        {
            create_group_roles(pool).await?;
        }
        let m = migrator(&self.db);
        let done = with_pool!(&self.db, |pool| {
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
            Ok::<_, StoreError>(done)
        })?;
        if let Some(pool) = self.pg_pool() {
            wall_database(pool).await?;
        }
        Ok(done)
    }

    /// Fails with [`SchemaAccessError::NotOwner`] unless this connection may
    /// migrate: on PostgreSQL a superuser or (a member of) the database's
    /// owner; a SQLite file always.
    pub async fn check_may_migrate(&self) -> Result<(), StoreError> {
        let Some(pool) = self.pg_pool() else {
            return Ok(());
        };
        let owner: bool = sqlx::query_scalar(
            "SELECT pg_has_role(d.datdba, 'USAGE') FROM pg_database d WHERE d.datname = current_database()",
        )
        .fetch_one(pool)
        .await?;
        if owner { Ok(()) } else { Err(SchemaAccessError::NotOwner.into()) }
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

/// Whether this connection may read `_sqlx_migrations` itself (the owner and
/// superusers may; a person's sign-in may not).
async fn can_read_bookkeeping(pool: &sqlx::PgPool) -> Result<bool, StoreError> {
    Ok(sqlx::query_scalar("SELECT has_table_privilege('public._sqlx_migrations', 'SELECT')").fetch_one(pool).await?)
}

/// The applied migrations and the half-applied one, read through
/// `md_schema_migrations()` (what sqlx reads from its table, for a sign-in
/// without a grant on it).
async fn applied_through_function(
    pool: &sqlx::PgPool,
) -> Result<(Vec<sqlx::migrate::AppliedMigration>, Option<i64>), StoreError> {
    let (present, callable): (bool, bool) = sqlx::query_as(
        "SELECT to_regprocedure('public.md_schema_migrations()') IS NOT NULL, \
         coalesce(has_function_privilege(to_regprocedure('public.md_schema_migrations()'), 'EXECUTE'), false)",
    )
    .fetch_one(pool)
    .await?;
    if !present {
        return Err(SchemaAccessError::Outdated.into());
    }
    if !callable {
        return Err(SchemaAccessError::Unreadable.into());
    }
    let rows: Vec<(i64, Vec<u8>, bool)> =
        sqlx::query_as("SELECT version, checksum, success FROM public.md_schema_migrations() ORDER BY version")
            .fetch_all(pool)
            .await?;
    let dirty = rows.iter().find(|(_, _, success)| !success).map(|(v, _, _)| *v);
    let applied = rows
        .into_iter()
        .map(|(version, checksum, _)| sqlx::migrate::AppliedMigration { version, checksum: checksum.into() })
        .collect();
    Ok((applied, dirty))
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

/// Puts the database-level wall back (migration 0010): CONNECT for this
/// marketplace's logins only, no temporary tables for anyone. A database
/// restored from a dump or copied from a template has PostgreSQL's default
/// ACL, so this runs on every migrate, not once. Then rebuilds each group's
/// policy on the change feed (migration 0014) from the catalog, so a table a
/// later migration added is covered.
async fn wall_database(pool: &sqlx::PgPool) -> Result<(), StoreError> {
    for function in ["md_wall_database", "md_refresh_feed_policies"] {
        let present: bool = sqlx::query_scalar("SELECT to_regprocedure($1) IS NOT NULL")
            .bind(format!("public.{function}()"))
            .fetch_one(pool)
            .await?;
        if present {
            sqlx::query(&format!("SELECT {function}()")).execute(pool).await?;
        }
    }
    Ok(())
}
