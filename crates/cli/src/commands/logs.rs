//! `logs`: this computer's log files from a terminal, newest line first,
//! through the same reader as the admins' log viewer. The files are the
//! reader's own (the operating system guards them); nothing here needs the
//! database.

use super::Result;
use marketdesk_core::observability::log_files::{LogFilter, LogLevel, read_logs};
use marketdesk_core::observability::logging::log_folder;
use std::path::PathBuf;
use std::process::ExitCode;

/// Prints up to `limit` lines matching the filters, newest first.
pub fn logs(
    level: Option<&str>,
    module: Option<String>,
    text: Option<String>,
    limit: u32,
    dir: Option<PathBuf>,
) -> Result<ExitCode> {
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
