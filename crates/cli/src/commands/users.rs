//! `users`: giving an existing person a sign-in.

use super::Result;
use marketdesk_core::store::location::{self, Location};
use std::process::ExitCode;

pub(super) async fn enable_login(loc: &Location, username: &str) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    let pool =
        store.pg_pool().ok_or("sign-ins exist only on a central PostgreSQL; pass --database-url postgres://…")?;
    let mut password = String::new();
    std::io::stdin().read_line(&mut password)?;
    let password = password.trim_end_matches(['\n', '\r']);
    let role: Option<String> =
        sqlx::query_scalar("SELECT md_enable_login(id, $1) FROM users WHERE username = $2 AND deleted_at IS NULL")
            .bind(password)
            .bind(username.trim())
            .fetch_optional(pool)
            .await
            .map_err(|e| match e {
                sqlx::Error::Database(db) => db.message().to_owned(),
                other => other.to_string(),
            })?;
    let role = role.ok_or_else(|| format!("no user with the username “{username}”"))?;
    println!("{username} can now sign in (database role {role}).");
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
