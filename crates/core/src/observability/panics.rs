//! A panic is a bug: it is logged as an error with where it happened, the
//! thread and a backtrace (scrubbed like every line), before the default
//! report on stderr — so an admin's log viewer, or a worker's files, show
//! what a person saw go wrong.

use std::backtrace::Backtrace;
use std::sync::Once;

static INSTALLED: Once = Once::new();

/// Logs every panic of this process as an error, once installed.
pub fn log_panics() {
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_owned());
            let location = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
            let thread = std::thread::current().name().unwrap_or("unnamed").to_owned();
            let backtrace = Backtrace::force_capture().to_string();
            tracing::error!(target: "marketdesk::panic", %location, %thread, %backtrace, "panic: {message}");
            previous(info);
        }));
    });
}
