//! The background loader on a folder of good and broken files: every file is
//! reported, good ones are indexed, events come in a usable order.

use hkfilings::filings::model::{codes, Entry, ErrorKind};
use hkfilings::loader::{load_index, spawn, LoadOptions, LoaderEvent};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/index/loader")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for e in std::fs::read_dir(from).expect("read fixtures") {
        let e = e.expect("fixture entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("file type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy fixture");
        }
    }
}

/// The fixture folder plus files that cannot live in git as text: a binary
/// file, a Big5 return, a file that makes the parser panic, a hidden copy of
/// a return and (on unix) a symlink loop.
fn broken_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixtures(), dir.path());
    let root = dir.path();
    std::fs::write(root.join("scan.dat"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").expect("write");
    let (big5, _, _) =
        encoding_rs::BIG5.encode("股份發行人的證券變動月報表\n截至 2011 年 3 月 31 日止月份\n公司名稱 中國安芯控股有限公司\n");
    std::fs::write(root.join("big5.txt"), &big5).expect("write");
    std::fs::write(
        root.join("crash__hkfilings_panic__.txt"),
        "Next Day Disclosure Return\nName of listed issuer: Crash Limited\n",
    )
    .expect("write");
    std::fs::copy(
        root.join("2023/11/2023120500101.txt"),
        root.join(".copy.txt"),
    )
    .expect("copy");
    #[cfg(unix)]
    std::os::unix::fs::symlink(root, root.join("2023/loop")).expect("symlink");
    dir
}

const FILES: usize = 8;

fn collect(root: &Path, batch: usize) -> Vec<LoaderEvent> {
    let (tx, rx) = mpsc::channel();
    let opts = LoadOptions {
        batch,
        ..LoadOptions::default()
    };
    let handle = spawn(root.to_path_buf(), opts, move |ev| tx.send(ev).is_ok());
    let events: Vec<LoaderEvent> = rx.iter().collect();
    handle.join();
    events
}

fn entries(events: &[LoaderEvent]) -> Vec<&Entry> {
    events
        .iter()
        .filter_map(|e| match e {
            LoaderEvent::Batch(b, _) => Some(b.iter()),
            _ => None,
        })
        .flatten()
        .collect()
}

fn error_kind(entries: &[&Entry], name: &str) -> Option<ErrorKind> {
    entries.iter().find_map(|e| match e {
        Entry::Error(err) if err.file.ends_with(name) => Some(err.error_kind),
        _ => None,
    })
}

#[test]
fn every_file_is_reported_and_finished_comes_last() {
    let dir = broken_folder();
    let events = collect(dir.path(), 2);
    match events.last() {
        Some(LoaderEvent::Finished {
            files,
            failures,
            cancelled,
            ..
        }) => {
            assert_eq!(*files, FILES);
            // empty, binary and the crash; the README is not a failure.
            assert_eq!(*failures, 3);
            assert!(!cancelled);
        }
        other => panic!("the last event is {other:?}"),
    }
    let finished = events
        .iter()
        .filter(|e| matches!(e, LoaderEvent::Finished { .. }))
        .count();
    assert_eq!(finished, 1);

    let all = entries(&events);
    assert_eq!(all.len(), FILES);
    let mut files: Vec<&str> = all.iter().map(|e| e.file()).collect();
    files.sort();
    files.dedup();
    assert_eq!(
        files.len(),
        FILES,
        "a file was parsed twice (the symlink loop?)"
    );
    assert!(events.iter().all(|e| match e {
        LoaderEvent::Batch(b, _) => !b.is_empty() && b.len() <= 2,
        _ => true,
    }));

    assert_eq!(error_kind(&all, "empty.txt"), Some(ErrorKind::Empty));
    assert_eq!(error_kind(&all, "scan.dat"), Some(ErrorKind::Binary));
    assert_eq!(error_kind(&all, "README.md"), Some(ErrorKind::NotAFiling));
    assert_eq!(
        error_kind(&all, "crash__hkfilings_panic__.txt"),
        Some(ErrorKind::Unreadable)
    );
    let big5 = all
        .iter()
        .find_map(|e| match e {
            Entry::Filing(f) if f.file.ends_with("big5.txt") => Some(f),
            _ => None,
        })
        .expect("the Big5 return is a filing");
    assert!(big5
        .findings
        .iter()
        .any(|f| f.code == codes::ENCODING_FALLBACK));
}

#[test]
fn walk_progress_grows_and_ends_with_the_total_before_finished() {
    let dir = broken_folder();
    let events = collect(dir.path(), 256);
    let walked: Vec<(usize, bool)> = events
        .iter()
        .filter_map(|e| match e {
            LoaderEvent::Walked { files, done } => Some((*files, *done)),
            _ => None,
        })
        .collect();
    assert_eq!(walked.last(), Some(&(FILES, true)));
    assert_eq!(walked.iter().filter(|w| w.1).count(), 1);
    assert!(walked.windows(2).all(|w| w[0].0 <= w[1].0));
    let done_at = events
        .iter()
        .position(|e| matches!(e, LoaderEvent::Walked { done: true, .. }))
        .unwrap_or(usize::MAX);
    assert!(done_at < events.len() - 1);
}

#[test]
fn a_parser_crash_becomes_an_error_entry_and_a_problem_and_the_rest_loads() {
    let dir = broken_folder();
    let events = collect(dir.path(), 256);
    let problem = events
        .iter()
        .find_map(|e| match e {
            LoaderEvent::Problem(p) => Some(p.as_str()),
            _ => None,
        })
        .expect("a Problem event");
    assert!(problem.contains("crash__hkfilings_panic__.txt") && problem.contains("crashed"));
    let all = entries(&events);
    let crash = all
        .iter()
        .find_map(|e| match e {
            Entry::Error(err) if err.file.ends_with("crash__hkfilings_panic__.txt") => Some(err),
            _ => None,
        })
        .expect("the crash is an entry");
    assert!(crash.error.starts_with("the parser crashed: "));
    assert_eq!(
        all.iter().filter(|e| matches!(e, Entry::Filing(_))).count(),
        4
    );
}

#[test]
fn load_index_indexes_good_files_and_keeps_the_broken_ones_as_errors() {
    let dir = broken_folder();
    let (ix, report) = load_index(dir.path(), &LoadOptions::default());
    assert_eq!(report.files, FILES);
    assert_eq!(report.failures, 3);
    assert_eq!(ix.filings().len(), 4);
    assert_eq!(ix.errors().len(), 4);
    // The hidden copy is read (users' folders are data) and found to repeat the return.
    let stats = ix.stats();
    assert_eq!(stats.duplicates, 1);
    assert_eq!(stats.files, FILES);
    assert_eq!(stats.not_filings, 1);
    // Errors come sorted by path whatever order the parsers finished in.
    let names: Vec<&str> = ix.errors().iter().map(|e| e.file.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[test]
fn a_single_file_can_be_loaded() {
    let file = fixtures().join("2023/11/2023120500101.txt");
    let (ix, report) = load_index(&file, &LoadOptions::default());
    assert_eq!(report.files, 1);
    assert_eq!(ix.filings().len(), 1);
}

#[test]
fn a_cancelled_load_says_so_when_it_finishes() {
    let dir = broken_folder();
    let (tx, rx) = mpsc::channel();
    let handle = spawn(
        dir.path().to_path_buf(),
        LoadOptions::default(),
        move |ev| tx.send(ev).is_ok(),
    );
    handle.cancel();
    let events: Vec<LoaderEvent> = rx.iter().collect();
    match events.last() {
        Some(LoaderEvent::Finished {
            files, cancelled, ..
        }) => {
            assert!(*cancelled);
            assert!(*files <= FILES);
        }
        other => panic!("the last event is {other:?}"),
    }
}

#[test]
fn the_load_stops_when_the_receiver_is_gone() {
    let dir = broken_folder();
    let (tx, rx) = mpsc::channel::<LoaderEvent>();
    drop(rx);
    let handle = spawn(
        dir.path().to_path_buf(),
        LoadOptions::default(),
        move |ev| tx.send(ev).is_ok(),
    );
    // Returns: the loader noticed and wound down instead of running forever.
    handle.join();
}

#[test]
fn a_missing_folder_finishes_with_nothing_loaded_and_says_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("nowhere");
    let (ix, report) = load_index(&missing, &LoadOptions::default());
    assert_eq!(report.files, 0);
    // The synchronous load says why too (`index` prints it and exits 1).
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    assert!(
        report.problems[0].contains("nowhere"),
        "{:?}",
        report.problems
    );
    assert_eq!(ix.stats().files, 0);
    let events = collect(&missing, 256);
    let problem = events.iter().find_map(|e| match e {
        LoaderEvent::Problem(p) => Some(p.as_str()),
        _ => None,
    });
    assert!(
        problem.is_some_and(|p| p.starts_with("cannot read ") && p.contains("nowhere")),
        "{problem:?}"
    );
    assert!(matches!(
        events.last(),
        Some(LoaderEvent::Finished { files: 0, .. })
    ));
}

#[test]
fn the_real_archive_loads_without_a_crash() {
    let shared = [
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    ]
    .into_iter()
    .find(|p| p.join("realdata").is_dir())
    .expect("the shared folder with realdata/ beside the crate");
    let events = collect(&shared.join("realdata"), 64);
    let all = entries(&events);
    let crashed: Vec<&str> = all
        .iter()
        .filter_map(|e| match e {
            Entry::Error(err) if err.error.starts_with("the parser crashed") => {
                Some(err.file.as_str())
            }
            _ => None,
        })
        .collect();
    assert!(crashed.is_empty(), "parser crashes: {crashed:?}");
    match events.last() {
        Some(LoaderEvent::Finished { files, .. }) => assert_eq!(*files, all.len()),
        other => panic!("the last event is {other:?}"),
    }
    assert!(all.len() > 100);
}

/// The parsers run in a pool of their own: while a load's parsers are busy
/// (here held up, their queue full, by a receiver that takes its time over
/// the first batch), work on rayon's global pool still runs. The explorer
/// recomputes its index there on every batch; when the parsers held the
/// global pool, it waited for the whole load, and the screen with it.
#[test]
fn rayon_work_runs_while_the_parsers_are_busy() {
    let dir = tempfile::tempdir().expect("temp dir");
    for i in 0..3000 {
        std::fs::write(
            dir.path().join(format!("{i:04}.txt")),
            "a note, no filing\n",
        )
        .expect("write");
    }
    let (tx, rx) = mpsc::channel();
    let opts = LoadOptions {
        batch: 1,
        ..LoadOptions::default()
    };
    let asked = std::sync::atomic::AtomicBool::new(false);
    let handle = spawn(dir.path().to_path_buf(), opts, move |ev| {
        if matches!(ev, LoaderEvent::Batch(..))
            && !asked.swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            // Give the parsers time to fill their queue and wait.
            std::thread::sleep(std::time::Duration::from_millis(300));
            let (done_tx, done_rx) = mpsc::channel();
            rayon::spawn(move || {
                let _ = done_tx.send(());
            });
            let ran = done_rx
                .recv_timeout(std::time::Duration::from_secs(10))
                .is_ok();
            let _ = tx.send(ran);
        }
        true
    });
    let ran = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("a batch arrived");
    handle.join();
    assert!(ran, "a job on the global pool waited for the load");
}
