//! Reaching the central PostgreSQL through a transaction pooler (PgBouncer in
//! `pool_mode = transaction`), as many desktops do when one server cannot keep
//! a connection open for each of them.
//!
//! A pooler in transaction mode hands each transaction to whichever server
//! connection is free, so nothing of ours may outlive a transaction on the
//! server:
//!
//! * prepared statements: sqlx prepares each statement with parameters under
//!   a name of its own connection (`sqlx_s_1`, …) and runs it in two round
//!   trips (parse, then execute). Only a pooler that tracks prepared
//!   statements per client keeps that working (PgBouncer 1.21 or later with
//!   `max_prepared_statements`); with an older one the second round trip may
//!   reach another server connection ("prepared statement … does not exist").
//!   The deployment guide says so; nothing here can work around it;
//! * no session settings sent at connection start (PgBouncer refuses the
//!   `options` startup parameter): the time limits come from the logins'
//!   defaults on the server instead (`ALTER ROLE … IN DATABASE … SET`);
//! * no session-level advisory locks: the payout batch lease is held by an
//!   open transaction (migration 0043), and migrations (whose lock is held by
//!   the session) refuse a pooled address;
//! * no `LISTEN`: live changes need a session of their own, opened straight to
//!   PostgreSQL at the `direct=` address, or they are off and say what to add.
//!
//! The server address says which: `postgres://…@pooler:6432/db?pooler=transaction`
//! and, for live changes, `&direct=db.internal:5432` (same login and database).

use super::StoreError;
use sqlx::postgres::PgConnectOptions;

/// How a PostgreSQL server address is reached.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Route {
    /// Connections go through a transaction pooler.
    pub pooled: bool,
    /// Where PostgreSQL itself listens, for what needs a session (`LISTEN`):
    /// `None` through a pooler with no direct address given.
    pub direct: Option<(String, u16)>,
}

impl Route {
    /// Whether a session of our own can be opened: always straight to the
    /// server, through a pooler only with a direct address.
    pub fn has_sessions(&self) -> bool {
        !self.pooled || self.direct.is_some()
    }

    /// The connect options of a session for `LISTEN`: the main ones when the
    /// server is reached straight, the direct address through a pooler.
    pub(crate) fn session_options(&self, main: &PgConnectOptions) -> Option<PgConnectOptions> {
        match (&self.direct, self.pooled) {
            (_, false) => Some(main.clone()),
            (Some((host, port)), true) => Some(with_session_settings(main.clone().host(host).port(*port))),
            (None, true) => None,
        }
    }
}

/// How long one of our statements waits for a lock another session holds.
pub const LOCK_TIMEOUT: &str = "10s";

/// The session settings sent when connecting straight to PostgreSQL (through a
/// pooler they come from the login's defaults on the server).
pub(crate) fn with_session_settings(options: PgConnectOptions) -> PgConnectOptions {
    // Waiting for someone else's lock ends with a clear "busy" instead of a
    // hang (a person's login has the same default from the server).
    options.options([("lock_timeout", LOCK_TIMEOUT)])
}

/// Splits Marketdesk's own parameters (`pooler`, `direct`) off a PostgreSQL
/// URL: the URL sqlx is given, and the route they describe.
pub(crate) fn split(text: &str) -> Result<(String, Route), StoreError> {
    let mut url = url::Url::parse(text).map_err(|e| StoreError::BadUrl(format!("{e} in the server address")))?;
    if !url.query_pairs().any(|(k, _)| k == "pooler" || k == "direct") {
        return Ok((text.to_owned(), Route::default()));
    }
    let mut route = Route::default();
    let mut direct = None;
    let mut kept = Vec::new();
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "pooler" => match value.as_ref() {
                "transaction" => route.pooled = true,
                "session" | "none" => {}
                other => {
                    return Err(StoreError::BadUrl(format!(
                        "pooler={other} is not known: write pooler=transaction for PgBouncer in transaction mode"
                    )));
                }
            },
            "direct" => direct = Some(value.into_owned()),
            _ => kept.push((key.into_owned(), value.into_owned())),
        }
    }
    if let Some(direct) = direct {
        if !route.pooled {
            return Err(StoreError::BadUrl(
                "direct=… is PostgreSQL's own address behind a pooler: it goes with pooler=transaction".into(),
            ));
        }
        route.direct = Some(parse_address(&direct)?);
    }
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    Ok((url.to_string(), route))
}

fn parse_address(text: &str) -> Result<(String, u16), StoreError> {
    let bad = || StoreError::BadUrl(format!("direct={text} is not host:port (like direct=db.internal:5432)"));
    let (host, port) = text.rsplit_once(':').ok_or_else(bad)?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        return Err(bad());
    }
    let port: u16 = port.parse().map_err(|_| bad())?;
    if port == 0 {
        return Err(bad());
    }
    Ok((host.to_owned(), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_address_goes_straight_to_the_server() {
        let (url, route) = split("postgres://u:p@db:5432/md?sslmode=prefer").unwrap();
        assert_eq!(url, "postgres://u:p@db:5432/md?sslmode=prefer");
        assert_eq!(route, Route::default());
        assert!(route.has_sessions());
    }

    #[test]
    fn the_pooler_parameters_are_taken_off_what_sqlx_sees() {
        let (url, route) = split("postgres://u:p@pool:6432/md?pooler=transaction&direct=db.internal:5432").unwrap();
        assert_eq!(url, "postgres://u:p@pool:6432/md");
        assert_eq!(route, Route { pooled: true, direct: Some(("db.internal".into(), 5432)) });
        let (url, route) = split("postgres://u@pool:6432/md?sslmode=require&pooler=transaction").unwrap();
        assert_eq!(url, "postgres://u@pool:6432/md?sslmode=require");
        assert!(route.pooled && !route.has_sessions());
        let (_, route) = split("postgres://u@[::1]:6432/md?pooler=transaction&direct=[::1]:5433").unwrap();
        assert_eq!(route.direct, Some(("::1".into(), 5433)));
    }

    #[test]
    fn bad_pooler_parameters_say_what_to_write() {
        for (bad, says) in [
            ("postgres://u@h/md?pooler=statement", "pooler=statement is not known"),
            ("postgres://u@h/md?direct=db:5432", "goes with pooler=transaction"),
            ("postgres://u@h/md?pooler=transaction&direct=db", "not host:port"),
            ("postgres://u@h/md?pooler=transaction&direct=db:0", "not host:port"),
            ("postgres://u@h/md?pooler=transaction&direct=:5432", "not host:port"),
            ("postgres://u@h/md?pooler=transaction&direct=db:port", "not host:port"),
        ] {
            let err = split(bad).unwrap_err();
            assert!(matches!(&err, StoreError::BadUrl(m) if m.contains(says)), "{bad}: {err}");
        }
    }
}
