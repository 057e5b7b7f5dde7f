//! `logs`: this computer's log files from a terminal, newest line first,
//! through the same reader as the admins' log viewer. The files are the
//! reader's own (the operating system guards them); nothing here needs the
//! database.

use super::Result;
use marketdesk_core::observability::log_files::{LogFilter, LogLevel, read_logs};
use marketdesk_core::observability::logging::log_folder;
use std::path::PathBuf;
use std::process::ExitCode;

/// What `logs` reads.
#[derive(Debug, clap::Args)]
pub struct LogsArgs {
    /// This level and more serious ones (error, warn, info, debug, trace).
    #[arg(long)]
    level: Option<String>,
    /// Modules whose path starts with this (e.g. marketdesk_core::jobs).
    #[arg(long)]
    module: Option<String>,
    /// Lines holding this text (any case).
    #[arg(long)]
    grep: Option<String>,
    /// How many lines (1–500).
    #[arg(long, default_value_t = 50)]
    limit: u32,
    /// Read this folder instead of this computer's log folder.
    #[arg(long)]
    dir: Option<PathBuf>,
}

/// Prints up to `limit` lines matching the filters, newest first.
pub fn logs(args: LogsArgs) -> Result<ExitCode> {
    let LogsArgs { level, module, grep: text, limit, dir } = args;
    let level = level.as_deref();
    let level = match level {
        Some(l) => {
            Some(LogLevel::parse(l).ok_or_else(|| format!("--level {l}: choose error, warn, info, debug or trace"))?)
        }
        None => None,
    };
    let folder = dir.or_else(log_folder).ok_or("this computer has no folder for logs: give --dir")?;
    let page = read_logs(&folder, &LogFilter { level, module, text }, None, limit)?;
    if page.lines.is_empty() {
        println!("No log lines match in {} ({} files).", page.folder, page.files);
    }
    for l in &page.lines {
        let fields = if l.fields.is_empty() { String::new() } else { format!("  {}", l.fields) };
        println!("{} {:<5} {}: {}{fields}", l.at, format!("{:?}", l.level).to_uppercase(), l.module, l.message);
    }
    if page.next.is_some() {
        println!("… older lines left out: raise --limit (at most 500) or narrow with --level, --module or --grep");
    }
    Ok(ExitCode::SUCCESS)
}
