//! `doctor`: looks at a setup and says, in plain words, what works and what does
//! not — the database, its schema, its backups, job queue and workers, the
//! keychain, printing, this computer's logs, the integrations.

use crate::store::{DatabaseUrl, OpenOptions, Store};
use serde::Serialize;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Works.
    Ok,
    /// Works, but something is missing or degraded.
    Warn,
    /// Broken: Marketdesk cannot work like this.
    Fail,
}

/// One thing checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// What was checked.
    pub name: String,
    /// How it came out.
    pub verdict: Verdict,
    /// What was found, and what to do about it.
    pub detail: String,
}

fn check(name: &str, verdict: Verdict, detail: impl Into<String>) -> Check {
    Check { name: name.to_owned(), verdict, detail: detail.into() }
}

/// Runs every check against the database at `url`.
pub async fn diagnose(url: &DatabaseUrl) -> Vec<Check> {
    let mut checks = vec![profile_check(url)];
    checks.extend(database_checks(url).await);
    let keychain = keychain_check();
    let usable = keychain.verdict == Verdict::Ok;
    checks.push(keychain);
    checks.push(printer_check());
    checks.push(log_check());
    if usable {
        checks.extend(integration_checks());
    } else {
        checks.push(check(
            "integrations",
            Verdict::Warn,
            "without a keychain no integration key can be kept: local providers are used (labels, mail and images stay on this machine)",
        ));
    }
    checks
}

async fn database_checks(url: &DatabaseUrl) -> Vec<Check> {
    let mut out = Vec::new();
    let store = match Store::open(url, &OpenOptions::default()).await {
        Ok(s) => s,
        Err(e) => {
            out.push(check("database", Verdict::Fail, format!("{url}: {e}")));
            return out;
        }
    };
    out.push(check("database", Verdict::Ok, format!("{} at {url} answers", store.engine())));
    match store.schema_status().await {
        Err(e) => out.push(check("schema", Verdict::Fail, e.to_string())),
        Ok(status) => {
            if let Some(problem) = status.blocking_problem() {
                out.push(check("schema", Verdict::Fail, problem.to_string()));
            } else if status.applied.is_empty() {
                out.push(check(
                    "schema",
                    Verdict::Fail,
                    "the database has no Marketdesk schema: run `marketdesk migrate`",
                ));
            } else if !status.pending.is_empty() {
                out.push(check(
                    "schema",
                    Verdict::Fail,
                    format!("{} migration(s) pending: run `marketdesk migrate`", status.pending.len()),
                ));
            } else {
                out.push(check("schema", Verdict::Ok, format!("at version {}, current", status.known)));
                if let Some(pool) = store.pg_pool() {
                    let preload: Result<String, _> =
                        sqlx::query_scalar("SELECT current_setting('shared_preload_libraries')").fetch_one(pool).await;
                    out.push(match preload {
                        Ok(libs) if libs.split(',').any(|l| l.trim() == "auth_delay") => {
                            check("sign-in guard", Verdict::Ok, "the server slows failed sign-ins down (auth_delay)")
                        }
                        Ok(_) => check(
                            "sign-in guard",
                            Verdict::Warn,
                            "the server does not slow failed sign-ins down: add auth_delay to shared_preload_libraries",
                        ),
                        Err(e) => {
                            check("sign-in guard", Verdict::Warn, format!("cannot read the server's settings: {e}"))
                        }
                    });
                }
                if let Some(pool) = store.pg_pool() {
                    out.push(backup_check(&store).await);
                    out.push(queue_check(pool).await);
                    out.push(worker_check(pool).await);
                    out.push(analytics_check(&store).await);
                    if let Some(c) = replica_check(&store).await {
                        out.push(c);
                    }
                }
                match (store.count_rows("users").await, store.count_rows("orders").await) {
                    (Ok(0), _) => {
                        out.push(check("data", Verdict::Warn, "no users yet: run `marketdesk seed` for demo data"))
                    }
                    (Ok(users), Ok(orders)) => {
                        out.push(check("data", Verdict::Ok, format!("{users} users, {orders} orders")))
                    }
                    (Err(e), _) | (_, Err(e)) => out.push(check("data", Verdict::Fail, e.to_string())),
                }
            }
        }
    }
    store.close().await;
    out
}

/// Longest time since the newest backup before `doctor` warns (a nightly run and some slack).
const BACKUP_WARN_HOURS: i64 = 26;

async fn backup_check(store: &Store) -> Check {
    match crate::backup::runs::newest_run(store).await {
        Ok(None) => check(
            "backups",
            Verdict::Warn,
            "no backup recorded: run `marketdesk backup --out <folder>` nightly (docs/backup-and-restore.md)",
        ),
        Ok(Some(run)) => {
            let hours = (crate::domain::Timestamp::now().as_datetime() - run.created_at.as_datetime()).num_hours();
            let what = format!("{} ({} bytes, {} rows) on {}", run.file_name, run.byte_size, run.row_count, run.host);
            if hours > BACKUP_WARN_HOURS {
                check("backups", Verdict::Warn, format!("the newest backup is {hours} h old: {what}"))
            } else {
                check("backups", Verdict::Ok, format!("newest {hours} h ago: {what}"))
            }
        }
        Err(e) => check("backups", Verdict::Warn, format!("cannot read the backups made: {e}")),
    }
}

async fn worker_check(pool: &sqlx::PgPool) -> Check {
    match crate::jobs::workers::recent_workers(pool).await {
        Err(e) => check("worker", Verdict::Warn, format!("cannot read the workers' heartbeats: {e}")),
        Ok(workers) => {
            let alive: Vec<String> =
                workers.iter().filter(|w| w.alive).map(|w| format!("{} (last beat {})", w.name, w.seen_at)).collect();
            match (alive.is_empty(), workers.first()) {
                (false, _) => check("worker", Verdict::Ok, format!("{} alive: {}", alive.len(), alive.join(", "))),
                (true, Some(last)) => check(
                    "worker",
                    Verdict::Warn,
                    format!(
                        "no worker is beating; the last, {} on {}, was seen {}: start `marketdesk worker`",
                        last.name, last.host, last.seen_at
                    ),
                ),
                (true, None) => check(
                    "worker",
                    Verdict::Warn,
                    "no worker ran this week: mail, tracking and Stripe's events wait until `marketdesk worker` runs",
                ),
            }
        }
    }
}

async fn queue_check(pool: &sqlx::PgPool) -> Check {
    match crate::jobs::queue::depth(pool).await {
        Err(e) => check("job queue", Verdict::Warn, format!("cannot read the job queue: {e}")),
        Ok(q) => {
            let what = format!(
                "{} due, {} waiting, {} running, {} dead; the oldest due has waited {} s",
                q.due, q.queued, q.running, q.dead, q.oldest_due_seconds
            );
            if q.dead > 0 || q.oldest_due_seconds > 600 {
                check("job queue", Verdict::Warn, format!("{what}: is a worker running? dead jobs keep their error"))
            } else {
                check("job queue", Verdict::Ok, what)
            }
        }
    }
}

/// The deployment profile and the rules this setup breaks under it.
fn profile_check(url: &DatabaseUrl) -> Check {
    use crate::profile::{Profile, Severity, endpoints_from_environment};
    match Profile::from_environment() {
        Err(e) => check("profile", Verdict::Fail, e.to_string()),
        Ok(p) => {
            let problems = p.check(Some(url), &endpoints_from_environment(), false);
            let said: Vec<&str> = problems.iter().map(|x| x.message.as_str()).collect();
            match problems.iter().map(|x| x.severity).max_by_key(|s| *s == Severity::Refusal) {
                None => check("profile", Verdict::Ok, p.as_str()),
                Some(Severity::Warning) => check("profile", Verdict::Warn, said.join("; ")),
                Some(Severity::Refusal) => check("profile", Verdict::Fail, said.join("; ")),
            }
        }
    }
}

/// The read replica named by `MARKETDESK_REPLICA_URL`, if any: reachable,
/// a standby, and how far behind.
async fn replica_check(primary: &Store) -> Option<Check> {
    use crate::store::replica::{heavy_reads, replica_from_environment, replica_lag};
    let (url, max) = match replica_from_environment() {
        Ok((Some(url), max)) => (url, max),
        Ok((None, _)) => return None,
        Err(e) => return Some(check("replica", Verdict::Fail, e.to_string())),
    };
    let heavy = heavy_reads(primary, Some(&url), max).await;
    let lag = match &heavy.replica {
        Some(r) => replica_lag(primary, r).await.ok(),
        None => None,
    };
    let said = heavy.said.clone();
    heavy.close().await;
    Some(match lag {
        Some(l) => check(
            "replica",
            Verdict::Ok,
            format!(
                "{said}; last replayed commit {} s ago",
                l.replay_age_seconds.map_or("—".into(), |s| s.to_string())
            ),
        ),
        None => check("replica", Verdict::Warn, format!("{said}: reports and exports load the primary")),
    })
}

/// Google Analytics: off, or on with what waits and what was refused.
async fn analytics_check(store: &Store) -> Check {
    use crate::analytics::ga4_outbox::{counts, settings};
    match (settings(store).await, counts(store).await) {
        (Ok(s), Ok(c)) if s.enabled => {
            let what = format!(
                "on ({}): {} waiting, {} sent, {} refused, {} too old",
                s.measurement_id.unwrap_or_default(),
                c.queued,
                c.sent,
                c.failed,
                c.skipped
            );
            if c.failed > 0 {
                check(
                    "analytics",
                    Verdict::Warn,
                    format!("{what}: `marketdesk analytics events --state failed` says why"),
                )
            } else {
                check("analytics", Verdict::Ok, what)
            }
        }
        (Ok(_), Ok(c)) => check(
            "analytics",
            Verdict::Ok,
            format!(
                "Google Analytics is off; {} events recorded for the dashboards",
                c.queued + c.sent + c.skipped + c.failed
            ),
        ),
        (Err(e), _) | (_, Err(e)) => {
            check("analytics", Verdict::Warn, format!("cannot read the analytics outbox: {e}"))
        }
    }
}

/// Errors among the newest lines that make `doctor` warn.
const LOG_ERRORS_SHOWN: u32 = 500;

fn log_check() -> Check {
    use crate::observability::log_files::{LogFilter, LogLevel, read_logs};
    let Some(folder) = crate::observability::logging::log_folder() else {
        return check("logs", Verdict::Warn, "this computer has no folder for logs: set MARKETDESK_LOG_DIR");
    };
    let errors = LogFilter { level: Some(LogLevel::Error), ..LogFilter::default() };
    match read_logs(&folder, &errors, None, LOG_ERRORS_SHOWN) {
        Err(e) => check("logs", Verdict::Warn, e.to_string()),
        Ok(page) if page.files == 0 => {
            check("logs", Verdict::Ok, format!("none written yet; they go to {}", folder.display()))
        }
        Ok(page) => match page.lines.first() {
            None => check("logs", Verdict::Ok, format!("{} file(s) in {}, no errors", page.files, folder.display())),
            Some(last) => check(
                "logs",
                Verdict::Warn,
                format!(
                    "{}{} error(s) in {} file(s) in {}; the last, {}: {}: `marketdesk logs --level error`",
                    if page.next.is_some() { "over " } else { "" },
                    page.lines.len(),
                    page.files,
                    folder.display(),
                    last.at,
                    last.message
                ),
            ),
        },
    }
}

fn keychain_check() -> Check {
    match crate::secrets::probe() {
        Ok(()) => check(
            "keychain",
            Verdict::Ok,
            format!("secrets can be stored and read back in {}", crate::secrets::keychain().describe()),
        ),
        Err(e) => check(
            "keychain",
            Verdict::Warn,
            format!("{e}; Marketdesk will keep no passwords or API keys between sessions"),
        ),
    }
}

fn printer_check() -> Check {
    let run = |args: &[&str]| std::process::Command::new("lpstat").args(args).output();
    match run(&["-r"]) {
        Err(_) => check(
            "printers",
            Verdict::Warn,
            "CUPS is not installed (no lpstat): labels can be saved as files but not printed",
        ),
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
            if !out.status.success() || text.contains("not running") {
                return check(
                    "printers",
                    Verdict::Warn,
                    "the CUPS print service is not running: start it to print labels",
                );
            }
            match run(&["-e"]) {
                Ok(list) if list.status.success() => {
                    let names: Vec<String> = String::from_utf8_lossy(&list.stdout)
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(str::to_owned)
                        .collect();
                    if names.is_empty() {
                        check("printers", Verdict::Warn, "CUPS runs but has no printer: add one to print labels")
                    } else {
                        check("printers", Verdict::Ok, format!("{} printer(s): {}", names.len(), names.join(", ")))
                    }
                }
                _ => check("printers", Verdict::Warn, "CUPS runs but its printers could not be listed"),
            }
        }
    }
}

fn integration_checks() -> Vec<Check> {
    crate::secrets::INTEGRATIONS
        .iter()
        .map(|i| match crate::secrets::get(i.account) {
            Ok(Some(_)) => check(i.name, Verdict::Ok, "key configured"),
            Ok(None) if i.id == "sentry" => {
                check(i.name, Verdict::Ok, "not configured: errors stay in this computer's log files")
            }
            Ok(None) => check(i.name, Verdict::Ok, "not configured: the local provider is used"),
            Err(e) => check(i.name, Verdict::Warn, format!("cannot tell whether a key is configured: {e}")),
        })
        .collect()
}
