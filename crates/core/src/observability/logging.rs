//! Where Marketdesk's `tracing` events go: JSON lines into daily files in the
//! platform's log folder (kept 14 days), written by a background thread so a
//! slow disk never holds a command up, and — for the command line — readable
//! lines on stderr. Every line passes [`scrub`](super::scrub::scrub) first.

use super::scrub::scrub;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use tracing::Subscriber;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Names the log folder, for servers and tests.
pub const LOG_DIR_VARIABLE: &str = "MARKETDESK_LOG_DIR";
/// What the files keep, as a `tracing` filter (`info`, `marketdesk_core=debug` …).
pub const FILE_LEVEL_VARIABLE: &str = "MARKETDESK_LOG_FILE";
/// Days of files kept.
pub const KEEP_FILES: usize = 14;
/// Log files end so.
pub const SUFFIX: &str = "log";

/// Why logging could not start.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// The folder cannot be made or written.
    #[error("cannot write logs in {folder}: {reason}")]
    Folder {
        /// The folder.
        folder: String,
        /// What the system said.
        reason: String,
    },
    /// A filter that is not one.
    #[error("{variable}: {reason}")]
    Filter {
        /// Where it came from.
        variable: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Logging was set up already in this process.
    #[error("logging is set up already")]
    Twice,
}

/// How a program logs.
#[derive(Debug, Clone)]
pub struct LogOptions {
    /// Where the files go.
    pub folder: PathBuf,
    /// Names the files: `<program>.<date>.log`.
    pub program: &'static str,
    /// What the files keep (a `tracing` filter).
    pub file_filter: String,
    /// What stderr shows, if anything (a `tracing` filter).
    pub stderr_filter: Option<String>,
    /// Errors also go to the error-reporting service started by
    /// [`start_reporting`](super::reporting::start_reporting), other lines
    /// with them as breadcrumbs.
    pub report_errors: bool,
}

/// This computer's log folder: `MARKETDESK_LOG_DIR`, else `logs` in the
/// app's local data folder.
pub fn log_folder() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(LOG_DIR_VARIABLE).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("app", "Marketdesk", "Marketdesk").map(|d| d.data_local_dir().join("logs"))
}

impl LogOptions {
    /// `program`'s files in this computer's log folder at `info` (or
    /// `MARKETDESK_LOG_FILE`), nothing on stderr.
    pub fn files(program: &'static str) -> Option<LogOptions> {
        let file_filter = std::env::var(FILE_LEVEL_VARIABLE).ok().filter(|f| !f.trim().is_empty());
        Some(LogOptions {
            folder: log_folder()?,
            program,
            file_filter: file_filter.unwrap_or_else(|| "info".into()),
            stderr_filter: None,
            report_errors: false,
        })
    }
}

/// Keeps the background writer running; dropping it writes what is left.
#[must_use = "logs are lost when the guard is dropped"]
pub struct LogGuard(#[allow(dead_code)] WorkerGuard);

/// A writer that scrubs each formatted event (one `write` per event) before
/// passing it on.
struct Scrubbing<W>(W);

impl<W: Write> Write for Scrubbing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(scrub(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

fn filter(directives: &str, variable: &str) -> Result<EnvFilter, LogError> {
    EnvFilter::builder()
        .parse(directives)
        .map_err(|e| LogError::Filter { variable: variable.to_owned(), reason: e.to_string() })
}

fn appender(folder: &Path, program: &str) -> Result<RollingFileAppender, LogError> {
    let failed =
        |e: &dyn std::fmt::Display| LogError::Folder { folder: folder.display().to_string(), reason: e.to_string() };
    std::fs::create_dir_all(folder).map_err(|e| failed(&e))?;
    RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(program)
        .filename_suffix(SUFFIX)
        .max_log_files(KEEP_FILES)
        .build(folder)
        .map_err(|e| failed(&e))
}

/// The JSON file layer and the guard of its background writer.
fn file_layer<S>(options: &LogOptions) -> Result<(impl Layer<S>, WorkerGuard), LogError>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    let (files, guard) = tracing_appender::non_blocking(appender(&options.folder, options.program)?);
    let layer = tracing_subscriber::fmt::layer()
        .json()
        .with_current_span(false)
        .with_span_list(false)
        .with_writer(move || Scrubbing(files.clone()))
        .with_filter(filter(&options.file_filter, FILE_LEVEL_VARIABLE)?);
    Ok((layer, guard))
}

/// Starts logging as `options` say for the whole process.
pub fn init(options: &LogOptions) -> Result<LogGuard, LogError> {
    let (files, guard) = file_layer(options)?;
    let stderr = match &options.stderr_filter {
        Some(f) => Some(
            tracing_subscriber::fmt::layer()
                .with_writer(|| Scrubbing(io::stderr()))
                .with_filter(filter(f, "MARKETDESK_LOG")?),
        ),
        None => None,
    };
    let reports = options.report_errors.then(sentry::integrations::tracing::layer);
    tracing_subscriber::registry().with(files).with(stderr).with(reports).try_init().map_err(|_| LogError::Twice)?;
    Ok(LogGuard(guard))
}

/// The same file logging as [`init`], for the current thread only (tests).
pub fn scoped(options: &LogOptions) -> Result<(tracing::subscriber::DefaultGuard, LogGuard), LogError> {
    let (files, guard) = file_layer(options)?;
    let reports = options.report_errors.then(sentry::integrations::tracing::layer);
    Ok((tracing_subscriber::registry().with(files).with(reports).set_default(), LogGuard(guard)))
}
