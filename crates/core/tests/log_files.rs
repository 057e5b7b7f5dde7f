//! Log files as a program writes them and an admin reads them: JSON lines in
//! the log folder, secrets and e-mail addresses scrubbed before they reach
//! the disk, panics logged with their place, and the files read back newest
//! first — narrowed by level, module and text, paged without repeats, across
//! days.

use marketdesk_core::observability::log_files::{LogFilter, LogLevel, read_logs};
use marketdesk_core::observability::logging::{LogOptions, scoped};
use marketdesk_core::observability::panics::log_panics;
/// A made-up key shaped like a live Stripe key (built, so no key-like literal sits in the source).
const FAKE_KEY: &str = concat!("sk_", "live_", "51HxYzAbCdEf0123");
use std::collections::BTreeSet;

fn options(folder: &std::path::Path) -> LogOptions {
    LogOptions {
        folder: folder.to_owned(),
        program: "desktop",
        file_filter: "info".into(),
        stderr_filter: None,
        report_errors: false,
    }
}

#[test]
fn lines_are_written_scrubbed_and_read_back_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    // Yesterday's file of the worker, with a line that is not ours.
    std::fs::write(
        dir.path().join("worker.2020-01-01.log"),
        "not json at all\n{\"timestamp\":\"2020-01-01T09:00:00Z\",\"level\":\"WARN\",\"fields\":{\"message\":\"old news\"},\"target\":\"marketdesk::worker\"}\n",
    )
    .unwrap();
    {
        let (_default, _files) = scoped(&options(dir.path())).unwrap();
        tracing::info!(target: "marketdesk_core::jobs::runner", kind = "mail.round", "round done");
        tracing::debug!(target: "marketdesk_core::jobs::runner", "too detailed to keep");
        tracing::warn!(
            target: "marketdesk_core::integrations::stripe",
            url = "postgres://ann:hunter2@db/market",
            "Stripe refused {FAKE_KEY} for fiona@example.com"
        );
        log_panics();
        let caught = std::panic::catch_unwind(|| panic!("label for card 4242 4242 4242 4242 failed"));
        assert!(caught.is_err());
        tracing::error!(target: "marketdesk_desktop::commands", command = "execute_payout_batch", "database gone");
    }
    let all = read_logs(dir.path(), &LogFilter::default(), None, 50).unwrap();
    assert_eq!(all.files, 2);
    let said: Vec<(LogLevel, &str)> = all.lines.iter().map(|l| (l.level, l.message.as_str())).collect();
    assert_eq!(
        said,
        vec![
            (LogLevel::Error, "database gone"),
            (LogLevel::Error, "panic: label for card [card] failed"),
            (LogLevel::Warn, "Stripe refused [redacted] for f***@example.com"),
            (LogLevel::Info, "round done"),
            (LogLevel::Warn, "old news"),
        ]
    );
    assert_eq!(all.lines[0].fields, "command=execute_payout_batch");
    assert_eq!(all.lines[0].module, "marketdesk_desktop::commands");
    assert!(all.lines[1].fields.contains("location=crates/core/tests/log_files.rs:"), "{}", all.lines[1].fields);
    assert!(all.lines[1].fields.contains("backtrace="), "{}", all.lines[1].fields);
    assert_eq!(all.lines[2].fields, "url=postgres://ann:[redacted]@db/market");
    let written: String =
        std::fs::read_dir(dir.path()).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
    for secret in ["hunter2", FAKE_KEY, "fiona@", "4242 4242"] {
        assert!(!written.contains(secret), "{secret} reached the disk");
    }

    let warn = LogFilter { level: Some(LogLevel::Warn), ..LogFilter::default() };
    let serious: Vec<String> =
        read_logs(dir.path(), &warn, None, 50).unwrap().lines.into_iter().map(|l| l.message).collect();
    assert_eq!(serious.len(), 4, "{serious:?}");
    let module = LogFilter { module: Some("marketdesk_core::".into()), ..LogFilter::default() };
    assert_eq!(read_logs(dir.path(), &module, None, 50).unwrap().lines.len(), 2);
    let text = LogFilter { text: Some("EXECUTE_PAYOUT".into()), ..LogFilter::default() };
    assert_eq!(read_logs(dir.path(), &text, None, 50).unwrap().lines[0].message, "database gone");

    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = read_logs(dir.path(), &LogFilter::default(), after.as_deref(), 2).unwrap();
        seen.extend(page.lines.into_iter().map(|l| l.message));
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(seen, all.lines.iter().map(|l| l.message.clone()).collect::<Vec<_>>(), "pages in order");
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), seen.len(), "no line twice");
    assert!(read_logs(dir.path(), &LogFilter::default(), Some("gone.log:3"), 2).is_err());
    let empty = read_logs(&dir.path().join("none"), &LogFilter::default(), None, 2).unwrap();
    assert_eq!((empty.lines.len(), empty.files), (0, 0));
}
