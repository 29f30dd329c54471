//! Ending on SIGTERM, SIGHUP or SIGINT as cleanly as on a quit.
//!
//! A signal's default action ends the process at once: the explorer would
//! leave the terminal in raw mode on the alternate screen, and a write in
//! progress would leave its temporary file beside the target (the target
//! itself is safe: it is only ever replaced by a rename). [`install`] starts
//! a thread that takes these signals instead:
//!
//! - while the explorer runs it has registered a handler ([`forward_to`]):
//!   the signal becomes a message, and the explorer ends as on `q` (a write
//!   under way finishes first, since writes happen on its own thread), puts
//!   the terminal back and exits with the shell's status for the signal;
//! - otherwise, or when a second signal comes before the explorer has
//!   ended, the temporary files and folders being written are removed, the
//!   terminal is restored if the explorer had it, and the process exits.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

type Forward = Box<dyn Fn(i32) -> bool + Send>;

/// Temporary paths being written, removed if a signal ends the process.
static TEMPS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Where signals go while the explorer runs.
static FORWARD: Mutex<Option<Forward>> = Mutex::new(None);
/// Whether the explorer holds the terminal (raw mode, alternate screen).
static TERMINAL: AtomicBool = AtomicBool::new(false);
static INSTALLED: OnceLock<bool> = OnceLock::new();

/// The shell's exit status for a process ended by `signal`.
pub fn exit_status(signal: i32) -> i32 {
    128 + signal
}

/// Take SIGTERM, SIGHUP and SIGINT on a thread of their own (once per
/// process; later calls do nothing). False when the platform has no such
/// signals or they cannot be taken.
pub fn install() -> bool {
    *INSTALLED.get_or_init(start)
}

#[cfg(unix)]
fn start() -> bool {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT]) else {
        return false;
    };
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            let mut forwarded = false;
            for sig in signals.forever() {
                if !forwarded {
                    let forward = FORWARD.lock().map(|f| f.as_ref().map(|f| f(sig)));
                    if let Ok(Some(true)) = forward {
                        forwarded = true;
                        continue;
                    }
                }
                end_now(sig);
            }
        })
        .is_ok()
}

#[cfg(not(unix))]
fn start() -> bool {
    false
}

/// Remove what is half-written, give the terminal back, exit.
fn end_now(sig: i32) -> ! {
    if let Ok(temps) = TEMPS.lock() {
        for p in temps.iter() {
            if p.is_dir() {
                let _ = std::fs::remove_dir_all(p);
            } else {
                let _ = std::fs::remove_file(p);
            }
        }
    }
    if TERMINAL.load(Ordering::SeqCst) {
        crate::tui::restore();
    }
    std::process::exit(exit_status(sig))
}

/// Send signals to `f` (true: taken) until [`stop_forwarding`]; the
/// explorer holds the terminal meanwhile.
pub fn forward_to(f: impl Fn(i32) -> bool + Send + 'static) {
    TERMINAL.store(true, Ordering::SeqCst);
    if let Ok(mut fw) = FORWARD.lock() {
        *fw = Some(Box::new(f));
    }
}

/// Signals end the process again; the terminal is the shell's.
pub fn stop_forwarding() {
    if let Ok(mut fw) = FORWARD.lock() {
        *fw = None;
    }
    TERMINAL.store(false, Ordering::SeqCst);
}

/// A temporary file or folder being written: removed if a signal ends the
/// process before [`TempGuard`] is dropped.
pub struct TempGuard(PathBuf);

/// Register `path` as being written.
pub fn temp(path: &Path) -> TempGuard {
    if let Ok(mut t) = TEMPS.lock() {
        t.push(path.to_path_buf());
    }
    TempGuard(path.to_path_buf())
}

impl Drop for TempGuard {
    fn drop(&mut self) {
        if let Ok(mut t) = TEMPS.lock() {
            if let Some(i) = t.iter().rposition(|p| *p == self.0) {
                t.swap_remove(i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guard_registers_its_path_until_dropped() {
        let p = PathBuf::from("/nonexistent/.hkfilings-guard-test.tmp");
        let held = |p: &Path| TEMPS.lock().unwrap().iter().any(|q| q == p);
        {
            let _g = temp(&p);
            assert!(held(&p));
        }
        assert!(!held(&p));
    }

    #[test]
    fn the_exit_status_is_the_shells() {
        assert_eq!(exit_status(15), 143);
        assert_eq!(exit_status(1), 129);
    }
}
