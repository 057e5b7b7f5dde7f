//! What can go wrong talking to a database, in words a person can act on.

/// A store failure. Each case the app reacts to differently has its own variant;
/// only truly unexpected driver failures end up in [`StoreError::Database`].
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL cannot be used.
    #[error("bad database URL: {0}")]
    BadUrl(String),
    /// Nothing answers at the server's address.
    #[error("cannot reach the database server at {address}: {reason}")]
    Unreachable {
        /// host:port tried.
        address: String,
        /// What the network said.
        reason: String,
    },
    /// The server refused the credentials.
    #[error("the database server refused the password for user “{user}”")]
    WrongPassword {
        /// The user that tried to sign in.
        user: String,
    },
    /// Not this person's to do, in words that say so: the database server
    /// refused the connection (no such role, pg_hba — the words say it was
    /// the server), a grant or row policy refused a write, or the core's
    /// own check of the role refused the action.
    #[error("{0}")]
    AccessDenied(String),
    /// The named database does not exist on the server.
    #[error("database “{0}” does not exist on the server")]
    DatabaseMissing(String),
    /// A local database file is missing (and was not to be created).
    #[error("no database file at {0}")]
    FileMissing(String),
    /// An encrypted local file and a missing or wrong key (or not SQLite at all).
    #[error("{0}")]
    Encrypted(String),
    /// The database was migrated by a newer Marketdesk.
    #[error(
        "the database schema is at version {database}, newer than this Marketdesk knows (up to {known}); update Marketdesk"
    )]
    SchemaTooNew {
        /// Newest version applied in the database.
        database: i64,
        /// Newest version this binary carries.
        known: i64,
    },
    /// The database has migrations this binary has not applied yet.
    #[error("the database needs migrating ({pending} pending); run `marketdesk migrate`")]
    NeedsMigration {
        /// How many migrations are pending.
        pending: usize,
    },
    /// A landed migration was edited after it was applied.
    #[error("migration {0} was changed after it was applied to this database")]
    MigrationChanged(i64),
    /// A migration failed part-way (only on engines without transactional DDL).
    #[error("migration {0} was left half-applied; restore the database from a backup")]
    MigrationDirty(i64),
    /// No row with this id (or it was deleted).
    #[error("{entity} {id} not found")]
    NotFound {
        /// The kind of row.
        entity: &'static str,
        /// The id looked for.
        id: String,
    },
    /// A unique key is already taken.
    #[error("{entity} already exists ({constraint})")]
    Duplicate {
        /// The kind of row.
        entity: &'static str,
        /// The unique constraint or index that clashed.
        constraint: String,
    },
    /// Someone else changed the row since it was read.
    #[error("{entity} {id} was changed by someone else (you had version {expected}, it is now {actual})")]
    VersionConflict {
        /// The kind of row.
        entity: &'static str,
        /// The row's id.
        id: String,
        /// The version the caller based the change on.
        expected: i64,
        /// The version in the database now.
        actual: i64,
    },
    /// A referenced row does not exist, or a row is still referenced.
    #[error("{entity}: a referenced row is missing or still in use ({detail})")]
    Reference {
        /// The kind of row being written.
        entity: &'static str,
        /// Which reference failed.
        detail: String,
    },
    /// A value broke a rule of the schema (a CHECK or NOT NULL constraint).
    #[error("{entity}: invalid value ({detail})")]
    Invalid {
        /// The kind of row being written.
        entity: &'static str,
        /// Which rule was broken.
        detail: String,
    },
    /// Input was rejected before reaching the database.
    #[error("{0}")]
    Validation(String),
    /// Someone else is doing this right now (another desktop executing the
    /// same payout batch); try again when they are done.
    #[error("{0}")]
    Busy(String),
    /// The action needs the central database (money leaves only online).
    #[error("{0}")]
    OnlineOnly(String),
    /// A pagination cursor that this list did not hand out.
    #[error("the page cursor is invalid or belongs to another list or sort order")]
    BadCursor,
    /// A stored value could not be read back as its Rust type.
    #[error("unreadable stored value: {0}")]
    Corrupt(String),
    /// A migration could not be applied.
    #[error("migration failed: {0}")]
    Migration(String),
    /// Anything else the driver reported.
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
}

impl StoreError {
    /// Classifies a driver error raised while writing a row of `entity`.
    pub(crate) fn from_write(entity: &'static str, err: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &err {
            let detail = db.constraint().map(str::to_owned).unwrap_or_else(|| db.message().to_owned());
            // SQLite's triggers that keep a key unique beyond one index (SKUs per
            // vendor) abort with SQLITE_CONSTRAINT_TRIGGER in a unique key's wording.
            if db.code().as_deref() == Some("1811")
                && let Some(key) = db.message().strip_prefix("UNIQUE constraint failed: ")
            {
                return StoreError::Duplicate { entity, constraint: key.to_owned() };
            }
            match db.kind() {
                sqlx::error::ErrorKind::UniqueViolation => {
                    return StoreError::Duplicate { entity, constraint: detail };
                }
                sqlx::error::ErrorKind::ForeignKeyViolation => {
                    return StoreError::Reference { entity, detail };
                }
                sqlx::error::ErrorKind::CheckViolation | sqlx::error::ErrorKind::NotNullViolation => {
                    return StoreError::Invalid { entity, detail };
                }
                _ => {}
            }
        }
        StoreError::from(err)
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &err {
            match db.code().as_deref() {
                Some("55P03") => {
                    return StoreError::Busy(
                        "another session holds what this needs and did not let go in time; try again in a moment"
                            .into(),
                    );
                }
                Some("57014") => {
                    return StoreError::Busy(
                        "the database stopped this after its time limit; narrow it down or try again later".into(),
                    );
                }
                _ => {}
            }
        }
        match err {
            sqlx::Error::ColumnDecode { index, source } => StoreError::Corrupt(format!("column {index}: {source}")),
            sqlx::Error::Decode(source) => StoreError::Corrupt(source.to_string()),
            other => StoreError::Database(other),
        }
    }
}
