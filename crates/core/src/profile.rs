//! Deployment profiles: `demo` (a laptop, made-up data, anything goes),
//! `staging` and `production`. `MARKETDESK_PROFILE` names one; each is held
//! to its rules before anything runs: production refuses what a live
//! marketplace must never do — an embedded SQLite file as the central
//! database, a remote database without TLS, a password written in the
//! database URL (secrets live in the keychain or `~/.pgpass`), demo data,
//! integrations pointed at anything but an `https://` endpoint — and staging
//! warns about the same. Unknown values are refused in words.

use crate::store::DatabaseUrl;
use serde::Serialize;

/// The environment variable naming the profile.
pub const PROFILE_VAR: &str = "MARKETDESK_PROFILE";

/// The endpoint overrides a test double may set (each an `https://` address in production).
pub const ENDPOINT_VARS: [&str; 7] = [
    "MARKETDESK_STRIPE_API",
    "MARKETDESK_RESEND_API",
    "MARKETDESK_GA4_API",
    "MARKETDESK_CLOUDINARY_API",
    "MARKETDESK_FEDEX_API",
    "MARKETDESK_UPS_API",
    "MARKETDESK_SERVER",
];

/// A deployment profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// A trial or development machine (the default).
    Demo,
    /// A rehearsal of production: its rules warn.
    Staging,
    /// The live marketplace: its rules refuse.
    Production,
}

/// How much a broken rule weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Said, and the command runs.
    Warning,
    /// The command does not run.
    Refusal,
}

/// One rule a setting breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Warning or refusal.
    pub severity: Severity,
    /// What is wrong and what to do, in words.
    pub message: String,
}

/// The profile could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{PROFILE_VAR}={0}: choose demo, staging or production")]
pub struct UnknownProfile(pub String);

impl Profile {
    /// Its name.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Demo => "demo",
            Profile::Staging => "staging",
            Profile::Production => "production",
        }
    }

    /// `text` as a profile (any case, blanks ignored).
    pub fn parse(text: &str) -> Result<Profile, UnknownProfile> {
        match text.trim().to_ascii_lowercase().as_str() {
            "demo" => Ok(Profile::Demo),
            "staging" => Ok(Profile::Staging),
            "production" => Ok(Profile::Production),
            _ => Err(UnknownProfile(text.to_owned())),
        }
    }

    /// The profile `MARKETDESK_PROFILE` names; demo when unset.
    pub fn from_environment() -> Result<Profile, UnknownProfile> {
        match std::env::var(PROFILE_VAR) {
            Ok(v) if !v.trim().is_empty() => Profile::parse(&v),
            _ => Ok(Profile::Demo),
        }
    }

    fn weight(self) -> Option<Severity> {
        match self {
            Profile::Demo => None,
            Profile::Staging => Some(Severity::Warning),
            Profile::Production => Some(Severity::Refusal),
        }
    }

    /// The rules `url` (the database) and `endpoints` (variable, value) break
    /// under this profile; `seeding` when the command writes demo data.
    pub fn check(self, url: Option<&DatabaseUrl>, endpoints: &[(String, String)], seeding: bool) -> Vec<Problem> {
        let Some(severity) = self.weight() else { return Vec::new() };
        let name = self.as_str();
        let mut out = Vec::new();
        let mut say = |message: String| out.push(Problem { severity, message });
        match url {
            Some(DatabaseUrl::Sqlite(path)) => say(format!(
                "{name}: the central database is PostgreSQL, not the SQLite file {} (give a postgres:// URL)",
                path.display()
            )),
            Some(DatabaseUrl::Postgres(text)) => {
                if let Ok(o) = text.parse::<sqlx::postgres::PgConnectOptions>() {
                    let host = o.get_host().to_owned();
                    let local = host.starts_with('/') || matches!(host.as_str(), "localhost" | "127.0.0.1" | "::1");
                    let tls = ["sslmode=require", "sslmode=verify-ca", "sslmode=verify-full"]
                        .iter()
                        .any(|m| text.to_ascii_lowercase().contains(m));
                    if !local && !tls {
                        say(format!(
                            "{name}: the database at {host} is reached without TLS: add sslmode=verify-full (or require) to the URL"
                        ));
                    }
                }
                if has_password(text) {
                    say(format!(
                        "{name}: the database URL holds a password: keep it in ~/.pgpass or PGPASSFILE (or the desktop's keychain), not in a URL that shows in process lists and shell history"
                    ));
                }
            }
            None => {}
        }
        for (var, value) in endpoints {
            if !value.trim().to_ascii_lowercase().starts_with("https://") {
                say(format!(
                    "{name}: {var} points at {value}: integrations talk to their real https:// endpoints here"
                ));
            }
        }
        if seeding {
            say(format!("{name}: demo data is for demo machines: `seed` writes made-up people and orders"));
        }
        out
    }
}

/// Whether a `postgres://user:password@…` URL carries a password.
fn has_password(text: &str) -> bool {
    let Some(rest) = text.split_once("://").map(|(_, r)| r) else { return false };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    authority.rsplit_once('@').is_some_and(|(user, _)| user.split_once(':').is_some_and(|(_, pw)| !pw.is_empty()))
}

/// The endpoint overrides set in this environment, as (variable, value).
pub fn endpoints_from_environment() -> Vec<(String, String)> {
    ENDPOINT_VARS
        .iter()
        .filter_map(|v| std::env::var(v).ok().filter(|x| !x.trim().is_empty()).map(|x| ((*v).to_owned(), x)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pg(text: &str) -> DatabaseUrl {
        DatabaseUrl::parse(text).unwrap()
    }

    #[test]
    fn production_refuses_what_staging_warns_about_and_demo_allows() {
        let pw = concat!("s", "ecret");
        let url = pg(&format!("postgres://md:{pw}@db.example.com/marketdesk"));
        let fakes = vec![("MARKETDESK_STRIPE_API".to_owned(), "http://127.0.0.1:9999".to_owned())];
        assert!(Profile::Demo.check(Some(&url), &fakes, true).is_empty());
        let staging = Profile::Staging.check(Some(&url), &fakes, true);
        assert_eq!(staging.len(), 4, "{staging:?}");
        assert!(staging.iter().all(|p| p.severity == Severity::Warning));
        let prod = Profile::Production.check(Some(&url), &fakes, true);
        assert!(prod.iter().all(|p| p.severity == Severity::Refusal));
        let said: Vec<&str> = prod.iter().map(|p| p.message.as_str()).collect();
        assert!(said[0].contains("db.example.com is reached without TLS"), "{said:?}");
        assert!(said[1].contains("holds a password"));
        assert!(said[2].contains("MARKETDESK_STRIPE_API points at http://127.0.0.1:9999"));
        assert!(said[3].contains("demo data"));
        assert!(!said.iter().any(|s| s.contains(pw)), "the password is never repeated");

        let good = pg("postgres://md@db.example.com/marketdesk?sslmode=verify-full");
        let real = vec![("MARKETDESK_STRIPE_API".to_owned(), "https://api.stripe.com".to_owned())];
        assert!(Profile::Production.check(Some(&good), &real, false).is_empty());
        assert!(Profile::Production.check(Some(&pg("postgres://md@127.0.0.1/m")), &[], false).is_empty());
        let lite = DatabaseUrl::sqlite("/tmp/x.sqlite");
        assert!(Profile::Production.check(Some(&lite), &[], false)[0].message.contains("not the SQLite file"));
    }

    #[test]
    fn a_profile_is_named_or_refused() {
        assert_eq!(Profile::parse(" Production ").unwrap(), Profile::Production);
        assert_eq!(
            Profile::parse("prod").unwrap_err().to_string(),
            "MARKETDESK_PROFILE=prod: choose demo, staging or production"
        );
        assert!(!has_password("postgres://md@db/x"));
        assert!(!has_password("postgres://md:@db/x"));
        assert!(has_password("postgres://md:p@db/x?sslmode=require"));
    }
}
