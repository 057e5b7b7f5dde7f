//! What a long-running program (the desktop, the worker) starts with: its
//! log files, panics logged, and error reports when a DSN is configured —
//! each optional, so a computer without a writable log folder or a keychain
//! still runs, and says what it goes without.

use super::logging::{LogGuard, LogOptions, init};
use super::panics::log_panics;
use super::reporting::{ReportGuard, configured_dsn, start_reporting};

/// Names the environment reported with errors (production, staging, demo).
pub const ENVIRONMENT_VARIABLE: &str = "MARKETDESK_ENVIRONMENT";

/// Keeps logging and reporting on until dropped.
#[derive(Default)]
pub struct Observability {
    /// The log files' writer, if they could be opened.
    pub logs: Option<LogGuard>,
    /// Error reports, if a DSN is configured and valid.
    pub reports: Option<ReportGuard>,
    /// What could not be started, in words.
    pub problems: Vec<String>,
}

/// Starts `program`'s log files (and `stderr_filter` on stderr), panics
/// logged, and error reports to the configured DSN as `release`.
pub fn start(program: &'static str, release: &str, stderr_filter: Option<String>) -> Observability {
    let mut out = Observability::default();
    if let Some(dsn) = configured_dsn() {
        let environment = std::env::var(ENVIRONMENT_VARIABLE).unwrap_or_else(|_| "production".into());
        match start_reporting(&dsn, release, &environment) {
            Ok(guard) => out.reports = Some(guard),
            Err(e) => out.problems.push(e.to_string()),
        }
    }
    let Some(mut options) = LogOptions::files(program) else {
        out.problems.push("this computer has no folder for logs: set MARKETDESK_LOG_DIR".into());
        return out;
    };
    options.stderr_filter = stderr_filter;
    options.report_errors = out.reports.is_some();
    match init(&options) {
        Ok(guard) => {
            log_panics();
            out.logs = Some(guard);
        }
        Err(e) => out.problems.push(format!("no log files: {e}")),
    }
    out
}
