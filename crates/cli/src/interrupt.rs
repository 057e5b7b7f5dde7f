//! Ctrl-C during a long export: the first interrupt asks the export to stop at
//! its next checkpoint (the core then removes its partial file and records the
//! run as cancelled, so nothing is left half-written or stuck "running"); a
//! second interrupt ends the process at once.

use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

#[cfg(unix)]
extern "C" fn on_interrupt(_: libc::c_int) {
    // Only async-signal-safe work here: an atomic swap and _exit.
    if INTERRUPTED.swap(true, Ordering::SeqCst) {
        // SAFETY: _exit is async-signal-safe and ends the process without unwinding.
        unsafe { libc::_exit(130) }
    }
}

/// Catches Ctrl-C (SIGINT) and SIGTERM until [`release`] is called.
#[cfg(unix)]
pub fn catch() {
    INTERRUPTED.store(false, Ordering::SeqCst);
    let handler = on_interrupt as extern "C" fn(libc::c_int) as libc::sighandler_t;
    // SAFETY: installs a handler that only touches an atomic and calls _exit.
    unsafe {
        libc::signal(libc::SIGINT, handler);
        libc::signal(libc::SIGTERM, handler);
    }
}

/// Gives Ctrl-C and SIGTERM their default effect back.
#[cfg(unix)]
pub fn release() {
    // SAFETY: restores the default actions.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_DFL);
        libc::signal(libc::SIGTERM, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
pub fn catch() {}

#[cfg(not(unix))]
pub fn release() {}

/// Whether an interrupt arrived since [`catch`].
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// The interrupt flag itself, for core work that checks it between steps.
pub fn flag() -> &'static AtomicBool {
    &INTERRUPTED
}
