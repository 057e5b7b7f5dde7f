//! Parsing the `--database-url` a person types: `postgres://…` or `sqlite://path`.

use super::StoreError;
use std::path::PathBuf;

/// Where a Marketdesk database lives.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A PostgreSQL server (`postgres://user:password@host:port/database`).
    Postgres(String),
    /// A SQLite file on this machine.
    Sqlite(PathBuf),
}

impl DatabaseUrl {
    /// Parses a URL, rejecting anything Marketdesk cannot open with a clear reason.
    pub fn parse(text: &str) -> Result<Self, StoreError> {
        let text = text.trim();
        if let Some(rest) = text.strip_prefix("sqlite://").or_else(|| text.strip_prefix("sqlite:")) {
            let path = rest.split('?').next().unwrap_or_default();
            if path.is_empty() {
                return Err(StoreError::BadUrl(
                    "a sqlite URL needs a file path, like sqlite:///home/me/marketdesk.sqlite".into(),
                ));
            }
            if path == ":memory:" {
                return Err(StoreError::BadUrl("an in-memory SQLite database keeps nothing; give a file path".into()));
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            let parsed = url::Url::parse(text).map_err(|e| match e {
                url::ParseError::EmptyHost => StoreError::BadUrl(format!("no server host in “{}”", redact(text))),
                other => StoreError::BadUrl(format!("{other} in “{}”", redact(text))),
            })?;
            if parsed.host_str().is_none_or(str::is_empty) {
                return Err(StoreError::BadUrl(format!("no server host in “{}”", redact(text))));
            }
            super::pooler::split(text)?;
            return Ok(DatabaseUrl::Postgres(text.to_owned()));
        }
        let scheme = text.split("://").next().unwrap_or(text);
        Err(StoreError::BadUrl(format!("“{}” is neither postgres://… nor sqlite://… (got “{scheme}”)", redact(text))))
    }

    /// The URL of a SQLite file.
    pub fn sqlite(path: impl Into<PathBuf>) -> Self {
        DatabaseUrl::Sqlite(path.into())
    }
}

/// The URL with any password replaced by `***`, safe for messages and logs.
/// Works on text that does not even parse as a URL.
pub(crate) fn redact(text: &str) -> String {
    let Some(scheme_end) = text.find("://").map(|i| i + 3) else {
        return text.to_owned();
    };
    let rest = &text[scheme_end..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return text.to_owned();
    };
    let userinfo = &authority[..at];
    match userinfo.find(':') {
        Some(colon) => format!("{}{}:***{}", &text[..scheme_end], &userinfo[..colon], &rest[at..]),
        None => text.to_owned(),
    }
}

impl std::fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DatabaseUrl::Postgres(u) => f.write_str(&redact(u)),
            DatabaseUrl::Sqlite(p) => write!(f, "sqlite://{}", p.display()),
        }
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_both_engines() {
        assert_eq!(DatabaseUrl::parse("sqlite:///tmp/a.sqlite").unwrap(), DatabaseUrl::Sqlite("/tmp/a.sqlite".into()));
        assert_eq!(DatabaseUrl::parse("sqlite:rel.db").unwrap(), DatabaseUrl::Sqlite("rel.db".into()));
        assert!(matches!(DatabaseUrl::parse("postgres://u:p@localhost:5432/md").unwrap(), DatabaseUrl::Postgres(_)));
    }

    #[test]
    fn rejects_the_rest_without_echoing_passwords() {
        for bad in ["mysql://x", "", "sqlite://", "sqlite::memory:", "postgres://", "nonsense"] {
            assert!(matches!(DatabaseUrl::parse(bad), Err(StoreError::BadUrl(_))), "{bad}");
        }
        let shown = DatabaseUrl::parse("postgres://u:secret@db/md").unwrap().to_string();
        assert!(!shown.contains("secret"), "{shown}");
    }
}
