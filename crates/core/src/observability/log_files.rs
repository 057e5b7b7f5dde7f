//! This computer's log files read back, newest line first, for the admins'
//! log viewer and `marketdesk logs`: narrowed by lowest level, module and
//! text, paged by a cursor that names a file and a line, so reading on never
//! repeats or skips a line while the newest file grows.

use super::logging::SUFFIX;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// How serious a line is, most serious first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum LogLevel {
    /// Something failed.
    Error,
    /// Something is wrong or degraded.
    Warn,
    /// What happened.
    Info,
    /// Detail for a developer.
    Debug,
    /// Every step.
    Trace,
}

impl LogLevel {
    /// The level written as `tracing` writes it (`INFO` …), in any case.
    pub fn parse(text: &str) -> Option<LogLevel> {
        Some(match text.to_ascii_lowercase().as_str() {
            "error" => LogLevel::Error,
            "warn" | "warning" => LogLevel::Warn,
            "info" => LogLevel::Info,
            "debug" => LogLevel::Debug,
            "trace" => LogLevel::Trace,
            _ => return None,
        })
    }
}

/// Lines read per page at most.
pub const MAX_PAGE: u32 = 500;
/// Longest file read (a file past it is read from its last part).
const MAX_FILE_BYTES: u64 = 64 << 20;

/// One logged event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LogLine {
    /// Where it is: its file and line number (unique in the folder).
    pub id: String,
    /// When, as written (UTC, RFC 3339).
    pub at: String,
    /// How serious.
    pub level: LogLevel,
    /// The module that logged it (`marketdesk_core::jobs::runner` …).
    pub module: String,
    /// What it said.
    pub message: String,
    /// Its other fields, as `name=value` pairs.
    pub fields: String,
    /// The file it is in.
    pub file: String,
}

/// Narrows the lines read. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LogFilter {
    /// This level and more serious ones.
    pub level: Option<LogLevel>,
    /// Modules whose path starts with this.
    pub module: Option<String>,
    /// Lines whose message or fields hold this (any case).
    pub text: Option<String>,
}

/// A page of lines, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LogPage {
    /// The lines.
    pub lines: Vec<LogLine>,
    /// Where the next page starts, if there is one.
    pub next: Option<String>,
    /// The log folder read.
    pub folder: String,
    /// Files in it.
    pub files: u32,
}

/// Why the logs could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LogReadError {
    /// The folder or a file cannot be read.
    #[error("cannot read the logs in {0}")]
    Folder(String, #[source] std::io::Error),
    /// A cursor this module did not give.
    #[error("that page of the logs does not exist any more: start from the newest line")]
    BadCursor,
}

/// The lines of a page, as a cursor `file:line` (the line is the next to
/// read, counted from the file's start; lines are read towards the start).
fn cursor(file: &str, line: usize) -> String {
    format!("{file}:{line}")
}

fn parse_cursor(text: &str) -> Result<(String, usize), LogReadError> {
    let (file, line) = text.rsplit_once(':').ok_or(LogReadError::BadCursor)?;
    Ok((file.to_owned(), line.parse().map_err(|_| LogReadError::BadCursor)?))
}

/// The line `text` of `file`, if it is one of ours.
fn parse_line(text: &str, file: &str, number: usize) -> Option<LogLine> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    let level = LogLevel::parse(v.get("level")?.as_str()?)?;
    let mut fields = v.get("fields").and_then(|f| f.as_object()).cloned().unwrap_or_default();
    let message = match fields.remove("message") {
        Some(serde_json::Value::String(m)) => m,
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let fields: Vec<String> = fields
        .iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => format!("{k}={s}"),
            other => format!("{k}={other}"),
        })
        .collect();
    Some(LogLine {
        id: format!("{file}:{}", number + 1),
        at: v.get("timestamp").and_then(|t| t.as_str()).unwrap_or_default().to_owned(),
        level,
        module: v.get("target").and_then(|t| t.as_str()).unwrap_or_default().to_owned(),
        message,
        fields: fields.join(" "),
        file: file.to_owned(),
    })
}

fn matches(line: &LogLine, filter: &LogFilter, text: Option<&str>) -> bool {
    filter.level.is_none_or(|l| line.level <= l)
        && filter.module.as_deref().map(str::trim).filter(|m| !m.is_empty()).is_none_or(|m| line.module.starts_with(m))
        && text.is_none_or(|t| line.message.to_lowercase().contains(t) || line.fields.to_lowercase().contains(t))
}

/// The log files in `folder`, newest first (their names hold their date).
fn files(folder: &Path) -> Result<Vec<String>, LogReadError> {
    let failed = |e| LogReadError::Folder(folder.display().to_string(), e);
    let entries = match std::fs::read_dir(folder) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(failed(e)),
    };
    let mut names = Vec::new();
    for entry in entries {
        let name = entry.map_err(failed)?.file_name().to_string_lossy().into_owned();
        if name.ends_with(&format!(".{SUFFIX}")) {
            names.push(name);
        }
    }
    names.sort_by(|a, b| date_of(b).cmp(date_of(a)).then(b.cmp(a)));
    Ok(names)
}

/// The date part of `program.YYYY-MM-DD.log`, so files of several programs
/// interleave by day.
fn date_of(name: &str) -> &str {
    name.trim_end_matches(&format!(".{SUFFIX}")).rsplit('.').next().unwrap_or(name)
}

fn read_tail(path: &Path) -> std::io::Result<String> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path)?;
    let len = f.metadata()?.len();
    if len > MAX_FILE_BYTES {
        f.seek(SeekFrom::Start(len - MAX_FILE_BYTES))?;
    }
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Up to `limit` lines of `folder` matching `filter`, newest first, from
/// `after` (a page's `next`) or the newest line.
pub fn read_logs(folder: &Path, filter: &LogFilter, after: Option<&str>, limit: u32) -> Result<LogPage, LogReadError> {
    let limit = limit.clamp(1, MAX_PAGE) as usize;
    let names = files(folder)?;
    let mut page = LogPage {
        folder: folder.display().to_string(),
        files: u32::try_from(names.len()).unwrap_or(u32::MAX),
        ..LogPage::default()
    };
    let start = after.map(parse_cursor).transpose()?;
    let first = match &start {
        Some((file, _)) => names.iter().position(|n| n == file).ok_or(LogReadError::BadCursor)?,
        None => 0,
    };
    let text = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_lowercase);
    for (n, name) in names.iter().enumerate().skip(first) {
        let content = read_tail(&folder.join(name)).map_err(|e| LogReadError::Folder(name.clone(), e))?;
        let lines: Vec<&str> = content.lines().collect();
        let mut at = match &start {
            Some((_, line)) if n == first => (*line).min(lines.len()),
            _ => lines.len(),
        };
        while at > 0 {
            at -= 1;
            let Some(line) = parse_line(lines[at], name, at) else { continue };
            if !matches(&line, filter, text.as_deref()) {
                continue;
            }
            if page.lines.len() == limit {
                page.next = Some(cursor(name, at + 1));
                return Ok(page);
            }
            page.lines.push(line);
        }
    }
    Ok(page)
}
