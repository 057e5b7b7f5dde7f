//! The central PostgreSQL's backup and restore through its own tools:
//! `pg_dump --format=custom` into a file written whole or not at all (a
//! `.partial` renamed once `pg_restore --list` has read it back), and
//! `pg_restore` into an empty database in one transaction. The password
//! travels in the programs' environment, never on their command line.

use super::BackupError;
use crate::domain::Timestamp;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Instant;
use tokio::process::Command;

/// Why a database that is not the central PostgreSQL is not dumped with the
/// PostgreSQL tools.
pub const NOT_CENTRAL: &str = "pg_dump backups are of the central database: pass its postgres:// address";

/// Where a PostgreSQL database is, as the client programs take it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgTarget {
    /// Host name, address or socket folder.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Login.
    pub user: String,
    /// Database name.
    pub database: String,
    password: Option<String>,
}

impl PgTarget {
    /// The target a `postgres://` address names.
    pub fn from_url(text: &str) -> Result<PgTarget, BackupError> {
        let url = url::Url::parse(text).map_err(|e| BackupError::Address(format!("not a database address: {e}")))?;
        if !matches!(url.scheme(), "postgres" | "postgresql") {
            return Err(BackupError::Address(NOT_CENTRAL.into()));
        }
        let query_host = url.query_pairs().find(|(k, _)| k == "host").map(|(_, v)| v.into_owned());
        let host = query_host.or_else(|| url.host_str().map(str::to_owned)).unwrap_or_else(|| "localhost".into());
        let user = Some(url.username()).filter(|u| !u.is_empty()).map(decode).unwrap_or_else(|| "postgres".into());
        let database = url.path().trim_start_matches('/');
        if database.is_empty() {
            return Err(BackupError::Address("the address names no database".into()));
        }
        Ok(PgTarget {
            host,
            port: url.port().unwrap_or(5432),
            user,
            database: decode(database),
            password: url.password().map(decode),
        })
    }

    /// `program` pointed at this database: connection in arguments and
    /// environment, the password only in the environment.
    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.arg("--host").arg(&self.host).arg("--port").arg(self.port.to_string()).arg("--username").arg(&self.user);
        cmd.arg("--no-password").env("PGCONNECT_TIMEOUT", "10").env_remove("PGPASSWORD");
        if let Some(p) = &self.password {
            cmd.env("PGPASSWORD", p);
        }
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        cmd
    }
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

async fn run(tool: &'static str, mut cmd: Command) -> Result<String, BackupError> {
    let out = cmd.output().await.map_err(|e| BackupError::Tool { tool, reason: e.to_string() })?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
        let message = lines[lines.len().saturating_sub(3)..].join(" / ");
        return Err(BackupError::Failed {
            tool,
            message: if message.is_empty() { format!("it ended with {}", out.status) } else { message },
        });
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// How many objects (tables, indexes, data, functions …) an archive holds,
/// read back by `pg_restore --list`: proof that the file is whole.
pub async fn archive_entries(archive: &Path) -> Result<usize, BackupError> {
    let mut cmd = Command::new("pg_restore");
    cmd.arg("--list").arg(archive).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let listing = run("pg_restore", cmd).await?;
    Ok(listing.lines().filter(|l| !l.trim().is_empty() && !l.starts_with(';')).count())
}

/// A backup made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFile {
    /// The archive.
    pub path: PathBuf,
    /// Its size.
    pub bytes: u64,
    /// Objects in it.
    pub entries: usize,
    /// How long it took, milliseconds.
    pub took_ms: u128,
}

/// Dumps the database at `url` into `folder` as
/// `marketdesk-<database>-<UTC time>.dump` (custom format, compressed).
pub async fn dump(url: &str, folder: &Path, now: Timestamp) -> Result<BackupFile, BackupError> {
    let target = PgTarget::from_url(url)?;
    std::fs::create_dir_all(folder).map_err(|e| BackupError::File(format!("cannot make {}: {e}", folder.display())))?;
    let stamp = now.as_datetime().format("%Y%m%dT%H%M%SZ");
    let path = folder.join(format!("marketdesk-{}-{stamp}.dump", target.database));
    if path.exists() {
        return Err(BackupError::File(format!("{} exists already", path.display())));
    }
    let partial = path.with_extension("dump.partial");
    let started = Instant::now();
    let mut cmd = target.command("pg_dump");
    cmd.arg("--format=custom").arg("--compress=6").arg("--file").arg(&partial).arg("--dbname").arg(&target.database);
    let dumped = run("pg_dump", cmd).await;
    let checked = match dumped {
        Ok(_) => archive_entries(&partial).await,
        Err(e) => Err(e),
    };
    let entries = match checked {
        Ok(n) => n,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, &path)
        .map_err(|e| BackupError::File(format!("cannot name the backup {}: {e}", path.display())))?;
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    Ok(BackupFile { path, bytes, entries, took_ms: started.elapsed().as_millis() })
}

/// Restores `archive` into the database at `url`, which must hold no table
/// yet: everything in one transaction, stopping at the first error (then
/// nothing is left behind).
pub async fn restore(url: &str, archive: &Path) -> Result<usize, BackupError> {
    let target = PgTarget::from_url(url)?;
    if !archive.is_file() {
        return Err(BackupError::File(format!("{} is not a file", archive.display())));
    }
    let entries = archive_entries(archive).await?;
    let mut conn =
        <sqlx::PgConnection as sqlx::Connection>::connect(url).await.map_err(|e| BackupError::Store(e.into()))?;
    let tables: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| BackupError::Store(e.into()))?;
    drop(conn);
    if tables > 0 {
        return Err(BackupError::NotEmpty(format!(
            "database “{}” already holds {tables} tables: restore into a new, empty database",
            target.database
        )));
    }
    let mut cmd = target.command("pg_restore");
    cmd.arg("--single-transaction").arg("--exit-on-error").arg("--no-owner").arg("--dbname").arg(&target.database);
    cmd.arg(archive);
    run("pg_restore", cmd).await?;
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::PgTarget;

    #[test]
    fn addresses_become_client_arguments_with_the_password_apart() {
        let t = PgTarget::from_url("postgres://md%20owner:p%40ss+1@db.example:6543/market").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.user.as_str(), t.database.as_str()),
            ("db.example", 6543, "md owner", "market")
        );
        assert_eq!(t.password.as_deref(), Some("p@ss+1"), "a plus sign in a password stays one");
        let socket = PgTarget::from_url("postgresql:///market?host=/run/postgresql").unwrap();
        assert_eq!((socket.host.as_str(), socket.user.as_str()), ("/run/postgresql", "postgres"));
        assert!(PgTarget::from_url("sqlite:///tmp/x.sqlite").unwrap_err().to_string().contains("postgres://"));
        assert!(PgTarget::from_url("postgres://localhost").unwrap_err().to_string().contains("names no database"));
        let cmd = t.command("pg_dump");
        let args: Vec<String> = cmd.as_std().get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        assert!(!args.iter().any(|a| a.contains("p@ss")), "the password is never an argument: {args:?}");
    }
}
