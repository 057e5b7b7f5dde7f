//! The central server a desktop signs in to: its address as people type it,
//! checked and stripped to host, port and database (each person signs in as
//! their own role, so the address never carries a user or a password).

use crate::store::{DatabaseUrl, OpenOptions, Store, StoreError};
use std::time::Duration;

/// The server address in `text`, as `postgres://host[:port]/database`, or a
/// sentence saying what is wrong with it. A user name is dropped; a password is
/// refused (it would end up in a settings file).
pub fn parse_server(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("enter the server's address, like postgres://db.example.com:5432/marketplace".into());
    }
    let url = url::Url::parse(text).map_err(|e| {
        format!("“{text}” is not an address ({e}); write it like postgres://db.example.com:5432/marketplace")
    })?;
    if !matches!(url.scheme(), "postgres" | "postgresql") {
        return Err(format!("the address starts with postgres://, not {}://", url.scheme()));
    }
    if url.password().is_some() {
        return Err("leave the password out: each person signs in with their own".into());
    }
    let host = url.host_str().filter(|h| !h.is_empty()).ok_or("the address needs a server name")?.to_owned();
    let database = url.path().trim_start_matches('/');
    if database.is_empty() || database.contains('/') {
        return Err("the address ends with the database's name, like …/marketplace".into());
    }
    if url.fragment().is_some() {
        return Err("the address takes nothing after #".into());
    }
    // Connection options (sslmode=require, …) are kept; sign-in ones are not options.
    if url.query_pairs().any(|(k, _)| matches!(k.as_ref(), "user" | "password" | "passfile")) {
        return Err("leave the user and password out: each person signs in with their own".into());
    }
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let options = url.query().map(|q| format!("?{q}")).unwrap_or_default();
    Ok(format!("postgres://{host}{port}/{database}{options}"))
}

/// Whether a PostgreSQL server answers at `server` (a parsed address). It
/// connects as a role that does not exist: a refused sign-in proves the server
/// is there, without anyone's password.
pub async fn check_server(server: &str) -> Result<(), StoreError> {
    let probe = server.replacen("postgres://", "postgres://marketdesk_probe:not-a-password@", 1);
    let options = OpenOptions { connect_timeout: Duration::from_secs(5), max_connections: 1, ..OpenOptions::default() };
    match Store::open(&DatabaseUrl::parse(&probe)?, &options).await {
        Ok(store) => {
            store.close().await;
            Ok(())
        }
        Err(StoreError::WrongPassword { .. } | StoreError::AccessDenied(_) | StoreError::DatabaseMissing(_)) => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_server;

    #[test]
    fn addresses_are_checked_and_stripped_to_host_port_and_database() {
        assert_eq!(
            parse_server(" postgres://db.example.com:5432/marketplace ").unwrap(),
            "postgres://db.example.com:5432/marketplace"
        );
        assert_eq!(parse_server("postgresql://ada@db.example.com/mp").unwrap(), "postgres://db.example.com/mp");
        let typed = "typed-by-mistake";
        let password = parse_server(&format!("postgres://ada:{typed}@db.example.com/mp")).unwrap_err();
        assert!(password.contains("leave the password out") && !password.contains(typed), "{password}");
        assert!(parse_server("mysql://db/mp").unwrap_err().contains("starts with postgres://"));
        assert!(parse_server("postgres://db.example.com").unwrap_err().contains("database's name"));
        assert_eq!(
            parse_server("postgres://db.example.com/mp?sslmode=require").unwrap(),
            "postgres://db.example.com/mp?sslmode=require"
        );
        assert!(parse_server("postgres://db.example.com/mp?password=x").unwrap_err().contains("leave the user"));
        assert!(parse_server("db.example.com").is_err());
        assert!(parse_server("").unwrap_err().contains("enter the server's address"));
    }
}
