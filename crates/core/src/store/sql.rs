//! Query text built once for both engines, with its bound values kept beside it.
//!
//! Identifiers (tables, columns, sort keys) only ever come from `&'static str`
//! chosen by code; everything a person types travels as a bound [`Param`]. That is
//! what makes search, filter and sort inputs harmless.

use crate::domain::{Currency, Timestamp};
use sqlx::Database;
use uuid::Uuid;

/// A value bound to a `$n` placeholder.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Param {
    I64(i64),
    Text(String),
    Uuid(Uuid),
    Time(Timestamp),
    Currency(Currency),
    /// JSON: `jsonb` on PostgreSQL, text on SQLite.
    Json(serde_json::Value),
}

/// SQL text with numbered placeholders and the values they stand for.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sql {
    pub text: String,
    pub params: Vec<Param>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Self { text: text.to_owned(), params: Vec::new() }
    }

    /// Appends trusted SQL text (never user input).
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends `(…)` holding one placeholder per value: the right side of an `IN`.
    pub fn bind_list(&mut self, values: impl IntoIterator<Item = Param>) -> &mut Self {
        self.push("(");
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(v);
        }
        self.push(")")
    }

    /// Appends a placeholder for `param`.
    pub fn bind(&mut self, param: Param) -> &mut Self {
        self.params.push(param);
        self.text.push('$');
        self.text.push_str(&self.params.len().to_string());
        self
    }
}

/// Longest search text accepted.
pub(crate) const MAX_SEARCH: usize = 200;

/// The `LIKE … ESCAPE '\'` pattern for a search box's text: `None` when the box
/// is empty, an error for text no person types (NUL and other control
/// characters, or more than [`MAX_SEARCH`] characters).
pub(crate) fn search_pattern(search: Option<&str>) -> Result<Option<Param>, super::StoreError> {
    let Some(text) = search.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if text.chars().any(char::is_control) {
        return Err(super::StoreError::Validation("the search text contains control characters".into()));
    }
    if text.chars().count() > MAX_SEARCH {
        return Err(super::StoreError::Validation(format!("search for at most {MAX_SEARCH} characters")));
    }
    Ok(Some(Param::Text(like_pattern(text))))
}

/// Escapes `%`, `_` and `\` so a search text matches literally inside `LIKE … ESCAPE '\'`.
pub(crate) fn like_pattern(search: &str) -> String {
    let mut out = String::with_capacity(search.len() + 2);
    out.push('%');
    for ch in search.to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

/// Defines a function binding every [`Param`] onto one of sqlx's query types,
/// for any engine whose driver encodes all of Marketdesk's value types.
macro_rules! binder {
    ($(#[$doc:meta])* $name:ident, $query:ident <$($extra:ident),*>) => {
        $(#[$doc])*
        pub(crate) fn $name<'q, DB $(, $extra)*>(
            mut q: sqlx::query::$query<'q, DB, $($extra,)* <DB as Database>::Arguments<'q>>,
            params: &[Param],
        ) -> sqlx::query::$query<'q, DB, $($extra,)* <DB as Database>::Arguments<'q>>
        where
            DB: Database,
            i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
            String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
            Uuid: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
            Timestamp: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
            Currency: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
            sqlx::types::Json<serde_json::Value>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
        {
            for p in params {
                q = match p.clone() {
                    Param::I64(v) => q.bind(v),
                    Param::Text(v) => q.bind(v),
                    Param::Uuid(v) => q.bind(v),
                    Param::Time(v) => q.bind(v),
                    Param::Currency(v) => q.bind(v),
                    Param::Json(v) => q.bind(sqlx::types::Json(v)),
                };
            }
            q
        }
    };
}

binder!(
    /// Binds every param onto a `query_as`.
    bind_as, QueryAs<O>
);
binder!(
    /// Binds every param onto a `query_scalar`.
    bind_scalar, QueryScalar<O>
);
binder!(
    /// Binds every param onto a plain `query`.
    bind, Query<>
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut sql = Sql::new("SELECT 1 WHERE a = ");
        sql.bind(Param::I64(1)).push(" AND b = ").bind(Param::Text("x".into()));
        assert_eq!(sql.text, "SELECT 1 WHERE a = $1 AND b = $2");
        assert_eq!(sql.params.len(), 2);
    }

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_pattern("50%_Off\\"), "%50\\%\\_off\\\\%");
    }
}
