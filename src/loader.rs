//! Walk a folder and parse every file in the background, on all cores.
//!
//! Three threads of work feed one loader thread, which alone calls the
//! caller's `tx`:
//! - the walker sends each file's path to the parsers and a running count
//!   (`Walked`) to the loader, so a UI shows files done / total early;
//! - the parsers (rayon, bridged from the walker's channel) parse each file
//!   with a guard against panics and send the entries back;
//! - the loader thread gathers entries into batches and forwards them, then
//!   sends `Finished` last.
//!
//! A cancel flag is checked between files; the walk and the parse stop soon
//! after `cancel()` or after `tx` reports that its receiver is gone.
//!
//! Test hook: a file whose name contains `__hkfilings_panic__` makes the parse
//! closure panic, in debug builds or when `HKFILINGS_TEST_PANIC=1` is set, so
//! tests can show that one crashing parse becomes an error entry and the rest
//! of the folder still loads.

use crate::cache::{self, Snapshot, Stamp};
use crate::filings::index::{Index, Record};
use crate::filings::model::{Entry, ErrorKind, FileError};
use crate::filings::parse::{
    not_regular, parse_bytes, parser_fingerprint, ParseOptions, MAX_FILE_BYTES,
};
use crate::filings::pdf::Extractor;
use rayon::iter::{ParallelBridge, ParallelIterator};
use std::cell::Cell;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Once};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What the loader tells its caller, in this order: `Walked` and `Batch`
/// interleaved (and `Problem` when a file's parse went wrong), `Finished` last.
#[derive(Debug)]
pub enum LoaderEvent {
    /// The walk found this many files so far (sent as the walk proceeds; `done` when the walk finished).
    Walked { files: usize, done: bool },
    /// A batch of parsed entries (in any order), and the filings read from
    /// the warm-start cache as their records, when records are kept (see
    /// [`LoadOptions::keep_records`]; for [`Index::insert_records`]).
    Batch(Vec<Entry>, Vec<Record>),
    /// A file's parse panicked or was slow: reported as an error entry inside a Batch too
    /// (panics); this is for the status bar.
    Problem(String),
    /// Loading finished (or was cancelled): totals.
    Finished {
        files: usize,
        failures: usize,
        cancelled: bool,
        elapsed: Duration,
    },
}

/// A running load: cancel it, or wait for it.
pub struct LoaderHandle {
    cancel: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl LoaderHandle {
    /// Ask the load to stop; `Finished { cancelled: true, .. }` follows.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Wait until the loader thread has sent `Finished`.
    pub fn join(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub parse: ParseOptions,
    /// At most this many entries per `Batch` event. Batches are sent when
    /// full, or after [`BATCH_INTERVAL`] once they hold an eighth of what was
    /// delivered before: a consumer that re-indexes per batch then does
    /// linear work in total, and a slow load still shows progress.
    pub batch: usize,
    /// Folder of the entry cache (see [`crate::cache`]); None: parse every
    /// file and keep nothing.
    pub cache_dir: Option<PathBuf>,
    /// Hand the consumer each filing found in the warm-start cache as its
    /// record (the second list of a `Batch`), not decoded, for
    /// [`Index::insert_records`]: a warm start then files records as they
    /// are, decoded once (when the index reads them) and never encoded
    /// again, for less than half the CPU and about 0.7 KB more memory a
    /// filing. `load_index` asks for them (a command that ends with the
    /// load); the explorer, which lives on with the index, does not.
    pub keep_records: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            parse: ParseOptions::default(),
            batch: 1 << 16,
            cache_dir: cache::default_dir(),
            keep_records: false,
        }
    }
}

/// Totals of a synchronous load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadReport {
    pub files: usize,
    pub elapsed: Duration,
    /// Files that could not be used (not_a_filing excluded).
    pub failures: usize,
    /// What went wrong with the load as a whole (the folder could not be
    /// walked, a parse that took too long, the threads would not start).
    pub problems: Vec<String>,
}

/// A parse slower than this is reported as a `Problem` (it still completes:
/// a thread cannot be stopped from outside, and the result is good).
const SLOW_PARSE: Duration = Duration::from_secs(10);

/// Most messages waiting between the parsers and the loader thread (each
/// holds up to [`CHUNK`] entries).
const INNER_QUEUE: usize = 32;

/// Files per message between the threads: the walker hands the parsers
/// paths, and a parser hands the loader entries, up to this many at a time.
/// One message per file cost more in waking threads (futex calls, a fifth
/// of the CPU time of an `index` run) than a small file takes to parse.
const CHUNK: usize = 32;

/// A PDF counts as this many files in a chunk: reading its text takes ten
/// times a text file's parse, and a chunk of PDFs would leave one core
/// working alone at the end of a load, and the screen waiting for entries.
const PDF_WEIGHT: usize = 8;

/// A chunk waits at most this long for more paths: a slow walk (a network
/// folder) still keeps the parsers busy.
const CHUNK_WAIT: Duration = Duration::from_millis(20);

/// How often the walker reports its count (in files).
const WALK_REPORT_EVERY: usize = 128;

/// The shortest time between two batches that are not full.
pub const BATCH_INTERVAL: Duration = Duration::from_millis(100);

/// Messages from the walker and the parsers to the loader thread.
enum Inner {
    Walked { files: usize, done: bool },
    Entries(Vec<Loaded>),
    Problem(String),
    ParseDone,
}

/// The name of the extractor a cache file was written with.
fn extractor_name(e: Extractor) -> &'static str {
    match e {
        Extractor::Native => "pdf-extract",
        Extractor::Pdftotext => "pdftotext",
    }
}

/// Walk `root` (file or folder, recursive, following no symlink loops), parse
/// every file on all cores (rayon), send events to `tx` (generic sender so the
/// TUI can wrap them in its own Msg enum). `tx` returns false when the
/// receiver is gone: the load then stops.
pub fn spawn(
    root: PathBuf,
    opts: LoadOptions,
    tx: impl Fn(LoaderEvent) -> bool + Send + 'static,
) -> LoaderHandle {
    install_quiet_panic_hook();
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    let thread = std::thread::Builder::new()
        .name("hkfilings-loader".to_string())
        .spawn(move || run(root, opts, flag, tx));
    match thread {
        Ok(t) => LoaderHandle {
            cancel,
            thread: Some(t),
        },
        Err(_) => LoaderHandle {
            cancel,
            thread: None,
        },
    }
}

fn run(
    root: PathBuf,
    opts: LoadOptions,
    cancel: Arc<AtomicBool>,
    tx: impl Fn(LoaderEvent) -> bool,
) {
    let start = Instant::now();
    let batch_size = opts.batch.max(1);
    // Bounded: parsers that outrun the consumer (a warm start decodes
    // faster than an index takes entries in) wait rather than pile up
    // parsed filings in memory.
    let (inner_tx, inner_rx) = mpsc::sync_channel::<Inner>(INNER_QUEUE);
    let (path_tx, path_rx) = mpsc::channel::<Vec<PathBuf>>();

    let extractor = extractor_name(opts.parse.extractor);
    let cache_file = opts
        .cache_dir
        .as_deref()
        .map(|d| cache::file_for(d, &root, extractor));

    let walk_cancel = cancel.clone();
    let walk_tx = inner_tx.clone();
    let walk_root = root.clone();
    let walker = std::thread::Builder::new()
        .name("hkfilings-walk".to_string())
        .spawn(move || walk(&walk_root, &walk_cancel, &path_tx, &walk_tx));

    // The snapshot is read while the walk runs; the parsers share it.
    let (snap_tx, snap_rx) = mpsc::channel::<Arc<Option<Snapshot>>>();
    let parse_cancel = cancel.clone();
    let parse_tx = inner_tx;
    let popts = opts.parse;
    let read_from = cache_file.clone();
    let parser = std::thread::Builder::new()
        .name("hkfilings-parse".to_string())
        .spawn(move || {
            let snapshot = read_from
                .as_deref()
                .and_then(|p| Snapshot::read(p, parser_fingerprint(), extractor).ok());
            let snapshot = Arc::new(snapshot);
            let _ = snap_tx.send(snapshot.clone());
            let caching = read_from.is_some();
            let keep_records = opts.keep_records;
            // The parsers get a pool of their own: its jobs run until the
            // walk ends, and in the global pool they kept every other rayon
            // job waiting, the index's recomputation among them, which the
            // explorer runs on its event loop (it froze, drawing nothing,
            // until the load was over). Where no pool can be made, the global
            // one serves.
            let pool = rayon::ThreadPoolBuilder::new()
                .thread_name(|i| format!("hkfilings-parse-{i}"))
                .build()
                .ok();
            let parse_all = || {
                path_rx.into_iter().par_bridge().for_each(|paths| {
                    let mut done = Vec::with_capacity(paths.len());
                    let parse = |path: &Path, r: ReadFile, done: &mut Vec<Loaded>| {
                        let t0 = Instant::now();
                        let mut loaded = parse_read(path, r, &popts, caching);
                        let took = t0.elapsed();
                        if let Some(p) = loaded.problem.take() {
                            let _ = parse_tx.send(Inner::Problem(p));
                        } else if took > SLOW_PARSE {
                            let _ = parse_tx.send(Inner::Problem(format!(
                                "{} took {:.1} s to parse",
                                path.display(),
                                took.as_secs_f64()
                            )));
                        }
                        done.push(loaded);
                    };
                    // The chunk's files are read first, then parsed a form
                    // at a time (see `form_hint`).
                    let mut read = Vec::with_capacity(paths.len());
                    for path in &paths {
                        if parse_cancel.load(Ordering::Relaxed) {
                            break;
                        }
                        let snap = snapshot.as_ref().as_ref();
                        match read_one(path, snap, caching, keep_records) {
                            Step::Loaded(l) => done.push(l),
                            Step::Read(r) if r.bytes.len() > DEFER_MAX_BYTES => {
                                parse(path, r, &mut done)
                            }
                            Step::Read(r) => read.push((form_hint(&r.bytes), path, r)),
                        }
                    }
                    read.sort_by_key(|(hint, _, _)| *hint);
                    for (_, path, r) in read {
                        if parse_cancel.load(Ordering::Relaxed) {
                            break;
                        }
                        parse(path, r, &mut done);
                    }
                    if !done.is_empty() {
                        let _ = parse_tx.send(Inner::Entries(done));
                    }
                })
            };
            match &pool {
                Some(p) => p.install(parse_all),
                None => parse_all(),
            }
            let _ = parse_tx.send(Inner::ParseDone);
        });

    let mut files = 0usize;
    let mut failures = 0usize;
    let mut delivered = 0usize;
    let mut batch: Vec<Entry> = Vec::new();
    let mut records: Vec<Record> = Vec::new();
    let mut last_batch = Instant::now();
    let mut receiver_gone = false;
    let mut writer = cache_file.as_ref().map(|_| cache::Writer::new());
    let send = |ev: LoaderEvent, gone: &mut bool| {
        if !*gone && !tx(ev) {
            *gone = true;
            cancel.store(true, Ordering::Relaxed);
        }
    };
    if walker.is_ok() && parser.is_ok() {
        loop {
            let msg = match inner_rx.recv_timeout(BATCH_INTERVAL) {
                Ok(m) => Some(m),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            match msg {
                Some(Inner::Walked { files: n, done }) => {
                    send(LoaderEvent::Walked { files: n, done }, &mut receiver_gone)
                }
                Some(Inner::Problem(p)) => send(LoaderEvent::Problem(p), &mut receiver_gone),
                Some(Inner::Entries(done)) => {
                    for Loaded { item, keep, .. } in done {
                        files += 1;
                        let file = item_file(&item);
                        if let (Some(w), Some((stamp, bytes))) = (writer.as_mut(), keep) {
                            w.push(file.to_string(), stamp, bytes);
                        }
                        match item {
                            Ok(r) => records.push(r),
                            Err(e) => {
                                if let Entry::Error(err) = &e {
                                    if err.error_kind.is_failure() {
                                        failures += 1;
                                    }
                                }
                                batch.push(e);
                            }
                        }
                        if batch.len() + records.len() >= batch_size {
                            delivered += batch.len() + records.len();
                            send(
                                LoaderEvent::Batch(
                                    std::mem::take(&mut batch),
                                    std::mem::take(&mut records),
                                ),
                                &mut receiver_gone,
                            );
                            last_batch = Instant::now();
                        }
                    }
                }
                Some(Inner::ParseDone) => break,
                None => {}
            }
            let waiting = batch.len() + records.len();
            let due =
                waiting > 0 && last_batch.elapsed() >= BATCH_INTERVAL && waiting >= delivered / 8;
            if due {
                delivered += waiting;
                send(
                    LoaderEvent::Batch(std::mem::take(&mut batch), std::mem::take(&mut records)),
                    &mut receiver_gone,
                );
                last_batch = Instant::now();
            }
        }
    } else {
        send(
            LoaderEvent::Problem("could not start the loader's threads".to_string()),
            &mut receiver_gone,
        );
    }
    if let Ok(w) = walker {
        let _ = w.join();
    }
    if let Ok(p) = parser {
        let _ = p.join();
    }
    if !batch.is_empty() || !records.is_empty() {
        send(LoaderEvent::Batch(batch, records), &mut receiver_gone);
    }
    let cancelled = cancel.load(Ordering::Relaxed);
    // A cancelled load saw only part of the folder: keep the old cache.
    if let (Some(mut w), Some(path), false) = (writer, cache_file, cancelled) {
        let snapshot = snap_rx.try_recv().ok();
        let snapshot = snapshot.as_deref().and_then(|s| s.as_ref());
        if w.is_needed(snapshot) {
            if let Err(e) = w.write(&path, snapshot, parser_fingerprint(), extractor) {
                send(
                    LoaderEvent::Problem(format!(
                        "could not write the cache {}: {e}",
                        path.display()
                    )),
                    &mut receiver_gone,
                );
            }
        }
    }
    send(
        LoaderEvent::Finished {
            files,
            failures,
            cancelled,
            elapsed: start.elapsed(),
        },
        &mut receiver_gone,
    );
}

/// Every path under `root` (or `root` itself) that is no folder, hidden ones
/// included: users' folders are data. Symlinks are followed; walkdir detects
/// loops and reports them as errors, which are skipped. What cannot be
/// walked is handed over too, so that it is listed as a failure.
fn walk(
    root: &Path,
    cancel: &AtomicBool,
    paths: &mpsc::Sender<Vec<PathBuf>>,
    events: &mpsc::SyncSender<Inner>,
) {
    let mut n = 0usize;
    let mut chunk = Chunk::default();
    for entry in walkdir::WalkDir::new(root).follow_links(true) {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        let entry = match entry {
            Ok(e) => e,
            // A symlink back to an ancestor: the folder is walked once already.
            Err(e) if e.loop_ancestor().is_some() => continue,
            // A link to nowhere, or a folder that cannot be listed
            // (permissions, a vanished mount): the parser names it and the
            // reason among the failures. The root itself is a problem of
            // the load as a whole, said below.
            Err(e) if e.depth() > 0 && e.path().is_some() => {
                if let Some(p) = e.path() {
                    n += 1;
                    if !chunk.push(p.to_path_buf(), paths) {
                        break;
                    }
                }
                continue;
            }
            Err(e) => {
                let why = e
                    .io_error()
                    .map(|io| io.to_string())
                    .unwrap_or_else(|| e.to_string());
                let _ = events.send(Inner::Problem(format!(
                    "cannot read {}: {why}",
                    root.display()
                )));
                continue;
            }
        };
        // Pipes, sockets and devices are listed, not skipped in silence:
        // the parser refuses them by name without reading them.
        if entry.file_type().is_dir() {
            continue;
        }
        n += 1;
        if !chunk.push(entry.into_path(), paths) {
            break;
        }
        if n.is_multiple_of(WALK_REPORT_EVERY) {
            let _ = events.send(Inner::Walked {
                files: n,
                done: false,
            });
        }
    }
    chunk.flush(paths);
    let _ = events.send(Inner::Walked {
        files: n,
        done: true,
    });
}

/// The walker's paths not yet handed to the parsers.
#[derive(Default)]
struct Chunk {
    paths: Vec<PathBuf>,
    weight: usize,
    since: Option<Instant>,
}

impl Chunk {
    /// Add a path; hand the chunk over when it is full or has waited
    /// [`CHUNK_WAIT`]. False when the parsers are gone.
    fn push(&mut self, path: PathBuf, to: &mpsc::Sender<Vec<PathBuf>>) -> bool {
        let pdf = path
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("pdf"));
        self.weight += if pdf { PDF_WEIGHT } else { 1 };
        self.paths.push(path);
        let since = *self.since.get_or_insert_with(Instant::now);
        if self.weight >= CHUNK || since.elapsed() >= CHUNK_WAIT {
            return self.flush(to);
        }
        true
    }

    /// Hand the paths over (none: nothing sent). False when the parsers are gone.
    fn flush(&mut self, to: &mpsc::Sender<Vec<PathBuf>>) -> bool {
        self.weight = 0;
        self.since = None;
        self.paths.is_empty() || to.send(std::mem::take(&mut self.paths)).is_ok()
    }
}

thread_local! {
    /// True while this thread runs a guarded parse: its panics are reported
    /// as error entries, so the panic hook stays quiet about them.
    static IN_GUARDED_PARSE: Cell<bool> = const { Cell::new(false) };
}

/// Wrap the current panic hook once so that panics caught by the loader do
/// not print over a terminal UI; other panics reach the previous hook.
fn install_quiet_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_GUARDED_PARSE.with(|c| c.get()) {
                previous(info);
            }
        }));
    });
}

/// Whether the test hook that makes a parse panic is armed.
fn panic_hook_armed() -> bool {
    cfg!(debug_assertions) || std::env::var("HKFILINGS_TEST_PANIC").is_ok_and(|v| v == "1")
}

/// One file's entry, from the cache when its stamp matches, else read once
/// and parsed (see [`Loaded`]).
/// A file's bytes, read and not yet parsed, with its path and stamp.
struct ReadFile {
    file: String,
    stamp: Option<Stamp>,
    bytes: Vec<u8>,
}

/// What reading a file gave: its entry already (from the cache, or an
/// error), or its bytes to parse.
enum Step {
    Loaded(Loaded),
    Read(ReadFile),
}

/// A file over this size is parsed as soon as it is read, not held in
/// memory with the rest of its chunk.
const DEFER_MAX_BYTES: usize = 1 << 20;

/// The order a chunk's files are parsed in: the form their first bytes
/// name. Parsed a form at a time, each parser's code and patterns stay in
/// the processor's caches over a run of files. In a folder's order
/// (returns, next day returns and announcements by turns) a next day return
/// or an announcement took about twice its time alone; grouping each chunk
/// took some 7% off an index of the generated 100,000 filings. A wrong
/// guess costs nothing but that.
fn form_hint(bytes: &[u8]) -> u8 {
    let head = bytes.get(..2048).unwrap_or(bytes);
    let has = |n: &[u8]| memchr::memmem::find(head, n).is_some();
    if has(b"%PDF") {
        0
    } else if has(b"FF301") || has(b"Monthly Return for") {
        1
    } else if has(b"Monthly Return") || has(b"MONTHLY RETURN") {
        2
    } else if has(b"Next Day Disclosure") || has(b"NEXT DAY DISCLOSURE") {
        3
    } else {
        4
    }
}

/// Read one file: its entry from the cache when the cache has it, an error
/// entry when it cannot be read, else its bytes.
fn read_one(path: &Path, snapshot: Option<&Snapshot>, caching: bool, keep_records: bool) -> Step {
    let file = path.to_string_lossy().into_owned();
    let unreadable = |file: String, e: std::io::Error| {
        Entry::Error(FileError {
            file,
            error: format!("cannot read: {e}"),
            error_kind: ErrorKind::Unreadable,
        })
    };
    // What is no regular file is named for what it is, and not read.
    let refused = |file: String, meta: &std::fs::Metadata| {
        Entry::Error(FileError {
            error: format!("cannot read: {}", not_regular(path, meta)),
            file,
            error_kind: ErrorKind::Unreadable,
        })
    };
    // A file the cache knows: one stat, and no open when its stamp matches.
    if let Some(snap) = snapshot.filter(|s| s.contains(&file)) {
        if let Some(stamp) = std::fs::metadata(path).ok().as_ref().and_then(Stamp::of) {
            let cached = if keep_records {
                snap.record(&file, stamp)
            } else {
                snap.entry(&file, stamp).map(Err)
            };
            // The cache holds what this path parsed to; the path is the key.
            if let Some(item) = cached.filter(|c| item_file(c) == file) {
                return Step::Loaded(Loaded {
                    item,
                    keep: Some((stamp, cache::Bytes::Old)),
                    problem: None,
                });
            }
        }
    }
    // Otherwise one open, one stat of the open file, one read.
    let mut handle = match open_nonblocking(path) {
        Ok(h) => h,
        Err(e) => {
            // A folder the walk could not enter says so.
            if let Some(meta) = std::fs::metadata(path).ok().filter(|m| m.is_dir()) {
                return Step::Loaded(Loaded::error(refused(file, &meta)));
            }
            return Step::Loaded(Loaded::error(unreadable(file, e)));
        }
    };
    let meta = match handle.metadata() {
        Ok(m) => m,
        Err(e) => return Step::Loaded(Loaded::error(unreadable(file, e))),
    };
    // A pipe, socket or device would be read forever (or block); a folder
    // handed over by the walk could not be listed.
    if !meta.is_file() {
        return Step::Loaded(Loaded::error(refused(file, &meta)));
    }
    let stamp = Stamp::of(&meta);
    if meta.len() > MAX_FILE_BYTES {
        let entry = Entry::Error(FileError {
            file,
            error: format!("the file is {} bytes, over the 64 MiB limit", meta.len()),
            error_kind: ErrorKind::TooLarge,
        });
        let record = caching.then(|| stamp.map(|s| (s, cache::Bytes::New(cache::encode(&entry)))));
        return Step::Loaded(Loaded {
            item: Err(entry),
            keep: record.flatten(),
            problem: None,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    if let Err(e) = handle.read_to_end(&mut bytes) {
        return Step::Loaded(Loaded::error(unreadable(file, e)));
    }
    drop(handle);
    Step::Read(ReadFile { file, stamp, bytes })
}

/// Parse a file read by [`read_one`].
fn parse_read(path: &Path, read: ReadFile, opts: &ParseOptions, caching: bool) -> Loaded {
    let ReadFile { file, stamp, bytes } = read;
    let (entry, problem) = parse_guarded(path, &file, &bytes, opts);
    drop(bytes);
    let keep = match stamp {
        Some(s) if caching && problem.is_none() && cache::cacheable(&entry) => {
            Some((s, cache::Bytes::New(cache::encode(&entry))))
        }
        _ => None,
    };
    Loaded {
        item: Err(entry),
        keep,
        problem,
    }
}

/// One file loaded: a filing's cache record (when records are kept: the
/// index files it as it is) or the file's entry; the cache record to keep
/// for it (when caching); a problem for the status bar (a parser crash).
struct Loaded {
    item: Result<Record, Entry>,
    keep: Option<(Stamp, cache::Bytes)>,
    problem: Option<String>,
}

/// The path a loaded item is of.
fn item_file(item: &Result<Record, Entry>) -> &str {
    match item {
        Ok(r) => &r.head().file,
        Err(e) => e.file(),
    }
}

impl Loaded {
    fn error(entry: Entry) -> Loaded {
        Loaded {
            item: Err(entry),
            keep: None,
            problem: None,
        }
    }
}

/// Open for reading without blocking on a named pipe that has no writer
/// (a regular file reads the same either way).
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NONBLOCK);
    }
    o.open(path)
}

/// Parse one file's bytes; a panic becomes an `unreadable` error entry naming it.
fn parse_guarded(
    path: &Path,
    file: &str,
    bytes: &[u8],
    opts: &ParseOptions,
) -> (Entry, Option<String>) {
    IN_GUARDED_PARSE.with(|c| c.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let injected = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().contains("__hkfilings_panic__"));
        if injected && panic_hook_armed() {
            panic!("test panic injected by the file name");
        }
        parse_bytes(file, bytes, opts)
    }));
    IN_GUARDED_PARSE.with(|c| c.set(false));
    match result {
        Ok(e) => (e, None),
        Err(payload) => {
            let why = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            let problem = format!("the parser crashed on {file}: {why}");
            let entry = Entry::Error(FileError {
                file: file.to_string(),
                error: format!("the parser crashed: {why}"),
                error_kind: ErrorKind::Unreadable,
            });
            (entry, Some(problem))
        }
    }
}

/// Most batches waiting for [`load_index`]'s index.
const LOAD_INDEX_QUEUE: usize = 4;

/// Most entries per batch of [`load_index`].
const LOAD_INDEX_BATCH: usize = 256;

/// Load `root` synchronously into an Index (CLI subcommands and tests).
pub fn load_index(root: &Path, opts: &LoadOptions) -> (Index, LoadReport) {
    // A few batches may wait for the index; then the loader waits.
    let (tx, rx) = mpsc::sync_channel::<LoaderEvent>(LOAD_INDEX_QUEUE);
    // The index keeps each filing encoded as it is inserted: small batches
    // keep few parsed filings waiting, whole, for their turn.
    let mut opts = opts.clone();
    opts.batch = opts.batch.min(LOAD_INDEX_BATCH);
    opts.keep_records = true;
    let handle = spawn(root.to_path_buf(), opts, move |ev| tx.send(ev).is_ok());
    let mut index = Index::new();
    let mut report = LoadReport {
        files: 0,
        elapsed: Duration::ZERO,
        failures: 0,
        problems: Vec::new(),
    };
    let mut problems = Vec::new();
    // Each batch goes into the index as it comes (no second copy of the
    // folder's entries waits for the last one); the issuers are recomputed
    // once, at the end, not once per batch that touched them.
    for ev in rx.iter() {
        match ev {
            LoaderEvent::Batch(entries, records) => index.insert_records(entries, records),
            LoaderEvent::Finished {
                files,
                failures,
                elapsed,
                ..
            } => {
                report = LoadReport {
                    files,
                    elapsed,
                    failures,
                    problems: Vec::new(),
                };
            }
            LoaderEvent::Problem(p) => problems.push(p),
            LoaderEvent::Walked { .. } => {}
        }
    }
    handle.join();
    index.settle();
    report.problems = problems;
    (index, report)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chunk's files are parsed by the form their first bytes name: the
    /// shared seeds and a file of each kind sort into their groups.
    #[test]
    fn a_chunks_files_are_grouped_by_the_form_they_name() {
        let seed = |name: &str| {
            std::fs::read(format!(
                "{}/../shared/seeds/{name}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap_or_default()
        };
        let return_ = seed("003_15f3641158fc2f5c.txt");
        let announcement = seed("000_9e80db2fe83a4f73.txt");
        assert_eq!(form_hint(&return_), 1);
        assert_eq!(form_hint(&announcement), 4);
        assert_eq!(form_hint(b"%PDF-1.7\n"), 0);
        let legacy = std::fs::read(format!(
            "{}/../shared/realdata/01149_anxin/01149_monthly_2009-01.txt",
            env!("CARGO_MANIFEST_DIR")
        ));
        if let Ok(legacy) = legacy {
            assert_eq!(form_hint(&legacy), 2);
        }
        assert_eq!(
            form_hint(b"Monthly Return of Equity Issuer on Movements in Securities"),
            2
        );
        assert_eq!(form_hint(b"Next Day Disclosure Return\n(Equity issuer)"), 3);
        assert_eq!(form_hint(b""), 4);
    }

    #[test]
    fn a_chunk_goes_when_it_weighs_enough_or_has_waited() {
        let (tx, rx) = mpsc::channel::<Vec<PathBuf>>();
        let mut c = Chunk::default();
        for i in 0..CHUNK - 1 {
            assert!(c.push(PathBuf::from(format!("{i}.txt")), &tx));
        }
        assert!(rx.try_recv().is_err(), "31 text files stay");
        assert!(c.push(PathBuf::from("last.txt"), &tx));
        assert_eq!(rx.try_recv().map(|v| v.len()), Ok(CHUNK));

        // A PDF weighs eight text files: four make a chunk.
        for i in 0..CHUNK / PDF_WEIGHT {
            assert!(c.push(PathBuf::from(format!("{i}.PDF")), &tx));
        }
        assert_eq!(rx.try_recv().map(|v| v.len()), Ok(CHUNK / PDF_WEIGHT));

        // On a slow walk a chunk goes with the next path once it has waited.
        assert!(c.push(PathBuf::from("a.txt"), &tx));
        std::thread::sleep(CHUNK_WAIT + Duration::from_millis(5));
        assert!(c.push(PathBuf::from("b.txt"), &tx));
        assert_eq!(rx.try_recv().map(|v| v.len()), Ok(2));

        // The rest goes at the end of the walk; an empty chunk sends nothing.
        assert!(c.push(PathBuf::from("c.txt"), &tx));
        assert!(c.flush(&tx));
        assert_eq!(rx.try_recv().map(|v| v.len()), Ok(1));
        assert!(c.flush(&tx));
        assert!(rx.try_recv().is_err());

        // The parsers gone: handing a chunk over tells the walk to stop.
        drop(rx);
        assert!(c.push(PathBuf::from("d.pdf"), &tx), "not handed over yet");
        assert!(!c.flush(&tx));
    }
}
