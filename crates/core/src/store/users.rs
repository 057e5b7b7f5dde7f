//! People: marketplace staff, vendors and customers.

use super::page::{SortKey, SortValue, finish_query, into_page};
use super::sql::{Param, Sql, bind_as};
use super::text_search::{Doc, TextQuery, push_match};
use super::versioned::update_versioned;
use super::{Page, PageRequest, Store, StoreError, with_pool};
use crate::domain::{Role, Timestamp, UserStatus, new_id};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A user as lists and detail views show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct User {
    /// Row id.
    pub id: Uuid,
    /// Sign-in address, lower-case.
    pub email: String,
    /// Sign-in name.
    pub username: String,
    /// Name shown in the app.
    pub display_name: String,
    /// What the person may do.
    pub role: Role,
    /// Whether they may sign in.
    pub status: UserStatus,
    /// Last successful sign-in.
    pub last_sign_in_at: Option<Timestamp>,
    /// Optimistic-concurrency version.
    pub version: i64,
    /// When the row was made.
    pub created_at: Timestamp,
    /// When the row last changed.
    pub updated_at: Timestamp,
}

/// A person to create.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewUser {
    /// Sign-in address.
    pub email: String,
    /// Sign-in name: 3–58 ASCII letters, digits, `.`, `_`, `-` (it names the
    /// person's PostgreSQL login role).
    pub username: String,
    /// Name shown in the app.
    pub display_name: String,
    /// Their role.
    pub role: Role,
    /// Initial status.
    pub status: UserStatus,
    /// An initial password (hashed with argon2id before it is stored), if any.
    pub password: Option<String>,
}

/// Narrows the user list. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UserFilter {
    /// Only this role.
    pub role: Option<Role>,
    /// Only this status.
    pub status: Option<UserStatus>,
    /// Words found in the e-mail, username or display name (each word typed
    /// begins a word there; case-insensitive).
    pub search: Option<String>,
}

/// How the user list is sorted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum UserSort {
    /// Newest or oldest first.
    #[default]
    CreatedAt,
    /// By email address.
    Email,
}

impl SortKey for UserSort {
    fn name(&self) -> &'static str {
        match self {
            UserSort::CreatedAt => "created_at",
            UserSort::Email => "email",
        }
    }
    fn column(&self) -> &'static str {
        match self {
            UserSort::CreatedAt => "u.created_at",
            UserSort::Email => "u.email",
        }
    }
}

const COLUMNS: &str = "u.id, u.email, u.username, u.display_name, u.role, u.status, u.last_sign_in_at, u.version, u.created_at, u.updated_at";

/// Hashes a password as an argon2id PHC string.
pub fn hash_password(password: &str) -> Result<String, StoreError> {
    use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Validation(format!("cannot hash the password: {e}")))
}

/// Checks a password against an argon2id PHC string.
pub fn verify_password(password: &str, phc: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(phc)
        .map(|h| argon2::Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

impl NewUser {
    fn validated(&self) -> Result<(String, String, String), StoreError> {
        let email = self.email.trim().to_lowercase();
        let at = email.find('@');
        if email.len() > 254 || at.is_none_or(|i| i == 0 || i == email.len() - 1) || email.contains(char::is_whitespace)
        {
            return Err(StoreError::Validation(format!("“{}” is not an email address", self.email)));
        }
        let username = self.username.trim().to_owned();
        if !(3..=58).contains(&username.chars().count())
            || !username.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            return Err(StoreError::Validation(format!(
                "“{}” is not a username (3–58 letters, digits, dots, dashes or underscores)",
                self.username
            )));
        }
        let display = self.display_name.trim().to_owned();
        if display.is_empty() || display.chars().count() > 200 {
            return Err(StoreError::Validation("a display name needs 1–200 characters".into()));
        }
        if let Some(p) = &self.password
            && p.chars().count() < 8
        {
            return Err(StoreError::Validation("a password needs at least 8 characters".into()));
        }
        Ok((email, username, display))
    }
}

impl Store {
    /// Creates a user (hashing the password, if any). Returns the new row.
    pub async fn create_user(&self, new: &NewUser) -> Result<User, StoreError> {
        let (email, username, display) = new.validated()?;
        let hash = new.password.as_deref().map(hash_password).transpose()?;
        let id = new_id();
        let now = Timestamp::now();
        with_pool!(&self.db, |p| {
            sqlx::query(
                "INSERT INTO users (id, email, username, display_name, role, status, password_hash, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)",
            )
            .bind(id)
            .bind(&email)
            .bind(&username)
            .bind(&display)
            .bind(new.role)
            .bind(new.status)
            .bind(&hash)
            .bind(now)
            .execute(p)
            .await
            .map(|_| ())
        })
        .map_err(|e| StoreError::from_write("user", e))?;
        self.user(id).await
    }

    /// One user by id.
    pub async fn user(&self, id: Uuid) -> Result<User, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM users u WHERE u.id = $1 AND u.deleted_at IS NULL");
        let row: Option<User> = with_pool!(&self.db, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        row.ok_or(StoreError::NotFound { entity: "user", id: id.to_string() })
    }

    /// The user who signs in with `login` (email or username) and their password
    /// hash, if such an active or invited user exists.
    pub async fn user_for_login(&self, login: &str) -> Result<Option<(User, Option<String>)>, StoreError> {
        let login = login.trim().to_lowercase();
        let sql = format!(
            "SELECT {COLUMNS}, u.password_hash FROM users u \
             WHERE (u.email = $1 OR lower(u.username) = $1) AND u.deleted_at IS NULL"
        );
        #[derive(sqlx::FromRow)]
        struct WithHash {
            #[sqlx(flatten)]
            user: User,
            password_hash: Option<String>,
        }
        let row: Option<WithHash> =
            with_pool!(&self.db, |p| sqlx::query_as(&sql).bind(&login).fetch_optional(p).await)?;
        Ok(row.map(|r| (r.user, r.password_hash)))
    }

    /// A page of users.
    pub async fn list_users(
        &self,
        filter: &UserFilter,
        page: &PageRequest<UserSort>,
    ) -> Result<Page<User>, StoreError> {
        let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM users u WHERE u.deleted_at IS NULL"));
        if let Some(role) = filter.role {
            sql.push(" AND u.role = ").bind(Param::Text(role.as_str().into()));
        }
        if let Some(status) = filter.status {
            sql.push(" AND u.status = ").bind(Param::Text(status.as_str().into()));
        }
        if let Some(query) = TextQuery::parse(filter.search.as_deref())? {
            sql.push(" AND ");
            push_match(&mut sql, self.engine(), Doc::PersonContacts, "u", query.words());
        }
        finish_query(&mut sql, page, "u.id")?;
        let rows: Vec<User> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;
        Ok(into_page(rows, page, |u: &User| {
            let v = match page.sort {
                UserSort::CreatedAt => SortValue::from(u.created_at),
                UserSort::Email => SortValue::Text(u.email.clone()),
            };
            (v, u.id)
        }))
    }

    /// Moves a user to `status` (suspend, reactivate), if still at `expected_version`.
    pub async fn set_user_status(
        &self,
        id: Uuid,
        expected_version: i64,
        status: UserStatus,
    ) -> Result<i64, StoreError> {
        let mut set = Sql::new("status = ");
        set.bind(Param::Text(status.as_str().into()));
        update_versioned(&self.db, "users", "user", id, expected_version, set).await
    }
}
