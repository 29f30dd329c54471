//! Live reload: filings added to or changed in the folder while the program
//! runs are parsed and handed over, like the loader's batches.
//!
//! File-system events come in bursts (a download writes a file in many
//! chunks; an editor writes a temp file and renames it), so paths are
//! collected for a short quiet period before they are parsed once each.

use crate::filings::model::Entry;
use crate::filings::parse::{parse_file, ParseOptions};
use notify::{EventKind, RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What the watcher tells its caller.
#[derive(Debug)]
pub enum WatchEvent {
    /// Files created or changed, parsed again (errors as error entries).
    Changed(Vec<Entry>),
    /// Files that disappeared from the folder (their filings stay indexed).
    Removed(Vec<String>),
    /// The watcher could not watch (the folder vanished, too many watches...).
    Error(String),
}

/// How long a burst of events must be quiet before its files are parsed.
pub const QUIET: Duration = Duration::from_millis(400);

/// A running watcher; dropping it stops watching.
pub struct WatchHandle {
    _watcher: notify::RecommendedWatcher,
}

/// Files we never parse: our own temporary files and editors' swap files.
fn ignored(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with(".hkfilings-")
        || name.ends_with(".tmp")
        || name.ends_with(".swp")
        || name.ends_with('~')
        || name.starts_with(".#")
}

/// Watch `root` recursively; `tx` returns false when the receiver is gone.
pub fn watch(
    root: &Path,
    opts: ParseOptions,
    tx: impl Fn(WatchEvent) -> bool + Send + 'static,
) -> notify::Result<WatchHandle> {
    let (raw_tx, raw_rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(move |ev| {
        let _ = raw_tx.send(ev);
    })?;
    watcher.watch(root, RecursiveMode::Recursive)?;
    std::thread::Builder::new()
        .name("hkfilings-watch".into())
        .spawn(move || debounce(raw_rx, opts, tx))
        .map_err(|e| notify::Error::generic(&e.to_string()))?;
    Ok(WatchHandle { _watcher: watcher })
}

fn debounce(
    rx: mpsc::Receiver<notify::Result<notify::Event>>,
    opts: ParseOptions,
    tx: impl Fn(WatchEvent) -> bool,
) {
    let mut changed: BTreeSet<PathBuf> = BTreeSet::new();
    let mut last = Instant::now();
    loop {
        let wait = if changed.is_empty() {
            Duration::from_secs(3600)
        } else {
            QUIET.saturating_sub(last.elapsed())
        };
        match rx.recv_timeout(wait) {
            Ok(Ok(ev)) => {
                let interesting = matches!(
                    ev.kind,
                    EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                );
                if interesting {
                    for p in ev.paths {
                        if !ignored(&p) {
                            changed.insert(p);
                        }
                    }
                    last = Instant::now();
                }
            }
            Ok(Err(e)) => {
                if !tx(WatchEvent::Error(e.to_string())) {
                    return;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if changed.is_empty() || last.elapsed() < QUIET {
                    continue;
                }
                let (present, gone): (Vec<PathBuf>, Vec<PathBuf>) = std::mem::take(&mut changed)
                    .into_iter()
                    .partition(|p| p.exists());
                let entries: Vec<Entry> = present
                    .iter()
                    .filter(|p| p.is_file())
                    .map(|p| parse_file(p, &opts))
                    .collect();
                if !entries.is_empty() && !tx(WatchEvent::Changed(entries)) {
                    return;
                }
                if !gone.is_empty() {
                    let names = gone
                        .iter()
                        .map(|p| p.to_string_lossy().to_string())
                        .collect();
                    if !tx(WatchEvent::Removed(names)) {
                        return;
                    }
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filing_written_into_the_folder_is_parsed_and_handed_over() {
        let dir = tempfile::tempdir().unwrap();
        let (tx, rx) = mpsc::channel();
        let _h = watch(dir.path(), ParseOptions::default(), move |e| {
            tx.send(e).is_ok()
        })
        .unwrap();
        std::thread::sleep(Duration::from_millis(200));
        let text = "(Stock Code: 1234)\n\nDATE OF BOARD MEETING\n\nThe board of directors (the \"Board\") of Quarry Bay Textiles Limited (the \"Company\") announces a meeting.\n\nHong Kong, 3 March 2025\n";
        crate::atomic::write(&dir.path().join("new.txt"), text.as_bytes()).unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(WatchEvent::Changed(entries)) => {
                    let f = entries.iter().find_map(|e| match e {
                        Entry::Filing(f) if f.file.ends_with("new.txt") => Some(f),
                        _ => None,
                    });
                    if let Some(f) = f {
                        assert_eq!(f.stock_codes, vec!["01234"]);
                        break;
                    }
                }
                Ok(_) => {}
                Err(_) => panic!("no Changed event for new.txt within 10 s"),
            }
        }
    }

    #[test]
    fn temporary_and_swap_files_are_ignored() {
        assert!(ignored(Path::new("/x/.hkfilings-abc.tmp")));
        assert!(ignored(Path::new("/x/a.txt.swp")));
        assert!(!ignored(Path::new("/x/2023120600123.pdf")));
    }
}
