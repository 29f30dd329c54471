//! The entry cache: a second load of an unchanged folder gives the same
//! entries without parsing; a changed file is parsed again alone; a cache
//! that is damaged, cut short or from another parser version is ignored and
//! written again.

use hkfilings::cache::{self, Snapshot};
use hkfilings::filings::model::Entry;
use hkfilings::filings::parse::parser_fingerprint;
use hkfilings::gen::{write_corpus, GenConfig};
use hkfilings::loader::{spawn, LoadOptions, LoaderEvent};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

const EXTRACTOR: &str = "pdf-extract";

/// A small generated corpus whose files were last modified an hour ago (a
/// file modified within the last seconds is never cached).
fn corpus() -> (tempfile::TempDir, tempfile::TempDir) {
    let root = tempfile::tempdir().expect("tempdir");
    let cfg = GenConfig {
        issuers: 2,
        months: 8,
        ..GenConfig::default()
    };
    write_corpus(root.path(), &cfg).expect("generate");
    for f in files(root.path()) {
        age(&f);
    }
    (root, tempfile::tempdir().expect("cache dir"))
}

fn files(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

/// Set a file's modification time to an hour ago.
fn age(path: &Path) {
    let f = std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open");
    f.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .expect("set mtime");
}

/// Change one letter of a file without changing its size or modification
/// time: a load that still reports the old content took it from the cache.
fn tamper_keeping_stamp(path: &Path) {
    let meta = std::fs::metadata(path).expect("stat");
    let mut bytes = std::fs::read(path).expect("read");
    let at = bytes
        .iter()
        .position(|b| b.is_ascii_lowercase())
        .expect("a letter");
    bytes[at] = if bytes[at] == b'z' {
        b'y'
    } else {
        bytes[at] + 1
    };
    std::fs::write(path, &bytes).expect("write");
    let f = std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open");
    f.set_modified(meta.modified().expect("mtime"))
        .expect("set mtime");
}

/// Every entry of a load, by file.
fn load(root: &Path, cache_dir: Option<&Path>) -> Vec<Entry> {
    let (tx, rx) = mpsc::channel();
    let opts = LoadOptions {
        cache_dir: cache_dir.map(Path::to_path_buf),
        ..LoadOptions::default()
    };
    let handle = spawn(root.to_path_buf(), opts, move |ev| tx.send(ev).is_ok());
    let mut out = Vec::new();
    for ev in rx.iter() {
        if let LoaderEvent::Batch(b, records) = ev {
            // Records are handed over only when asked for (`keep_records`:
            // `load_index` does, the explorer does not).
            assert!(records.is_empty());
            out.extend(b);
        }
    }
    handle.join();
    out.sort_by(|a, b| a.file().cmp(b.file()));
    out
}

fn hash_of<'a>(entries: &'a [Entry], file: &Path) -> Option<&'a str> {
    let name = file.to_string_lossy();
    entries.iter().find_map(|e| match e {
        Entry::Filing(f) if f.file == name => Some(f.content_hash.as_str()),
        _ => None,
    })
}

fn cache_file(root: &Path, cache_dir: &Path) -> PathBuf {
    cache::file_for(cache_dir, root, EXTRACTOR)
}

/// The first filing of the corpus (not the truth or manifest files).
fn a_filing(root: &Path) -> PathBuf {
    files(root)
        .into_iter()
        .find(|p| p.extension().is_some_and(|x| x == "txt"))
        .expect("a filing")
}

#[test]
fn a_warm_start_returns_exactly_the_entries_of_a_cold_one() {
    let (root, cache_dir) = corpus();
    let cold = load(root.path(), None);
    let first = load(root.path(), Some(cache_dir.path()));
    assert!(cache_file(root.path(), cache_dir.path()).exists());
    let warm = load(root.path(), Some(cache_dir.path()));
    assert!(cold.len() > 20, "{} entries", cold.len());
    assert_eq!(first, cold);
    assert_eq!(warm, cold);
}

/// Every filing of an index built by `load_index`, as the index gives it
/// (with its marks and cross-filing findings), by file.
fn indexed(
    root: &Path,
    cache_dir: Option<&Path>,
) -> (Vec<hkfilings::filings::model::Filing>, usize) {
    let opts = LoadOptions {
        cache_dir: cache_dir.map(Path::to_path_buf),
        ..LoadOptions::default()
    };
    let (index, _) = hkfilings::loader::load_index(root, &opts);
    let mut all: Vec<_> = index.filings().iter().cloned().collect();
    all.sort_by(|a, b| a.file.cmp(&b.file));
    (all, index.filings().records_kept())
}

#[test]
fn an_index_from_a_warm_start_keeps_the_records_and_reads_every_filing_as_a_cold_one() {
    let (root, cache_dir) = corpus();
    let (cold, kept_cold) = indexed(root.path(), None);
    let (first, _) = indexed(root.path(), Some(cache_dir.path()));
    let (warm, kept_warm) = indexed(root.path(), Some(cache_dir.path()));
    assert!(cold.len() > 20, "{} filings", cold.len());
    assert_eq!(kept_cold, 0);
    // Every filing of the warm start is its cache record, kept as it was read...
    assert_eq!(kept_warm, cold.len());
    // ...and reads back as the cold parse does, marks and cross-filing findings too.
    assert_eq!(first, cold);
    assert_eq!(warm, cold);
    assert!(warm.iter().any(|f| !f.findings.is_empty()));
}

/// A warm index of a folder where one filing changed (parsed again, beside
/// the records of the rest) is the cold index of the changed folder.
#[test]
fn a_warm_index_with_a_changed_filing_is_the_cold_index_of_the_folder() {
    let (root, cache_dir) = corpus();
    indexed(root.path(), Some(cache_dir.path()));
    let file = a_filing(root.path());
    let text = std::fs::read_to_string(&file).expect("read");
    // Another issuer name: the filing moves in the issuers' derived fields.
    let changed = text.replacen(
        "Name of Issuer:",
        "Name of Issuer: Zephyr Renamed Limited",
        1,
    );
    assert_ne!(changed, text, "the filing names its issuer");
    std::fs::write(&file, changed).expect("write");
    age(&file);
    let (cold, _) = indexed(root.path(), None);
    let (warm, kept) = indexed(root.path(), Some(cache_dir.path()));
    assert_eq!(
        kept,
        cold.len() - 1,
        "every filing but the changed one from its record"
    );
    assert_eq!(warm, cold);
    let name = file.to_string_lossy();
    let f = warm
        .iter()
        .find(|f| f.file == name)
        .expect("the changed filing");
    assert!(f.issuer.as_deref().is_some_and(|i| i.starts_with("Zephyr")));
}

#[test]
fn a_warm_start_takes_unchanged_files_from_the_cache() {
    let (root, cache_dir) = corpus();
    let before = load(root.path(), Some(cache_dir.path()));
    let file = a_filing(root.path());
    tamper_keeping_stamp(&file);
    let after = load(root.path(), Some(cache_dir.path()));
    assert_eq!(
        hash_of(&after, &file),
        hash_of(&before, &file),
        "same size and time: the cached entry stands"
    );
    let fresh = load(root.path(), None);
    assert_ne!(hash_of(&fresh, &file), hash_of(&before, &file));
}

#[test]
fn a_touched_file_is_parsed_again_alone() {
    let (root, cache_dir) = corpus();
    let before = load(root.path(), Some(cache_dir.path()));
    let all = files(root.path());
    let txt: Vec<&PathBuf> = all
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    let (touched, untouched) = (txt[0], txt[1]);
    // `touched` changes for real (new time); `untouched` changes behind the
    // cache's back, so only a re-parse would see it.
    tamper_keeping_stamp(untouched);
    tamper_keeping_stamp(touched);
    age(touched);
    let after = load(root.path(), Some(cache_dir.path()));
    assert_ne!(hash_of(&after, touched), hash_of(&before, touched));
    assert_eq!(hash_of(&after, untouched), hash_of(&before, untouched));
    assert_eq!(after.len(), before.len());
    // The rewritten cache now holds the new parse of the touched file.
    let again = load(root.path(), Some(cache_dir.path()));
    assert_eq!(again, after);
}

#[test]
fn a_deleted_file_leaves_the_cache_and_the_entries() {
    let (root, cache_dir) = corpus();
    let before = load(root.path(), Some(cache_dir.path()));
    let file = a_filing(root.path());
    std::fs::remove_file(&file).expect("remove");
    let after = load(root.path(), Some(cache_dir.path()));
    assert_eq!(after.len(), before.len() - 1);
    let snap = Snapshot::read(
        &cache_file(root.path(), cache_dir.path()),
        parser_fingerprint(),
        EXTRACTOR,
    )
    .expect("a valid cache");
    assert_eq!(snap.len(), after.len());
}

/// Damage the cache, tamper a file behind its back, and show the next load
/// parses again (sees the tampering) and leaves a valid cache behind.
fn damaged_cache_is_ignored_and_rebuilt(damage: impl Fn(&mut Vec<u8>)) {
    let (root, cache_dir) = corpus();
    let before = load(root.path(), Some(cache_dir.path()));
    let path = cache_file(root.path(), cache_dir.path());
    let mut bytes = std::fs::read(&path).expect("cache");
    damage(&mut bytes);
    std::fs::write(&path, &bytes).expect("write");
    assert!(Snapshot::read(&path, parser_fingerprint(), EXTRACTOR).is_err());

    let file = a_filing(root.path());
    tamper_keeping_stamp(&file);
    let after = load(root.path(), Some(cache_dir.path()));
    assert_ne!(hash_of(&after, &file), hash_of(&before, &file));
    assert_eq!(after, load(root.path(), None));
    let snap = Snapshot::read(&path, parser_fingerprint(), EXTRACTOR).expect("rebuilt");
    assert_eq!(snap.len(), after.len());
}

#[test]
fn a_corrupt_cache_is_ignored_and_rebuilt() {
    damaged_cache_is_ignored_and_rebuilt(|b| {
        let mid = b.len() / 2;
        b[mid] ^= 0x20;
    });
}

#[test]
fn a_truncated_cache_is_ignored_and_rebuilt() {
    damaged_cache_is_ignored_and_rebuilt(|b| b.truncate(b.len() - 100));
}

#[test]
fn a_cache_of_another_parser_version_is_ignored_and_rebuilt() {
    // Bytes 12..16: the parser version, after the magic and the format.
    damaged_cache_is_ignored_and_rebuilt(|b| {
        b[12..16].copy_from_slice(&parser_fingerprint().wrapping_add(1).to_le_bytes())
    });
}

#[test]
fn a_file_that_is_not_a_cache_is_ignored_and_replaced() {
    damaged_cache_is_ignored_and_rebuilt(|b| {
        *b = b"these are my notes, not a cache".to_vec();
    });
}

#[test]
fn no_cache_folder_means_nothing_is_written() {
    let (root, cache_dir) = corpus();
    load(root.path(), None);
    assert_eq!(std::fs::read_dir(cache_dir.path()).expect("dir").count(), 0);
}

#[test]
fn a_file_modified_moments_ago_is_not_cached() {
    let (root, cache_dir) = corpus();
    let file = a_filing(root.path());
    // Modified now: within the file system's timestamp resolution of the load.
    let text = std::fs::read(&file).expect("read");
    std::fs::write(&file, &text).expect("write");
    let entries = load(root.path(), Some(cache_dir.path()));
    let snap = Snapshot::read(
        &cache_file(root.path(), cache_dir.path()),
        parser_fingerprint(),
        EXTRACTOR,
    )
    .expect("a cache");
    assert_eq!(snap.len(), entries.len() - 1);
}
