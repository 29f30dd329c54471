//! Warm start: the parsed entries of a folder, kept between runs.
//!
//! One cache file per folder (and PDF extractor) in the platform cache
//! folder (`HKFILINGS_CACHE_DIR` overrides it). Each record is keyed by the
//! file's path, size and modification time; the file as a whole by the
//! parser's version and the extractor, so a new parser or another extractor
//! re-parses everything, and a changed file is re-parsed alone.
//!
//! Layout (little-endian):
//!
//! ```text
//! magic "HKFCACHE" | format u32 | parser version u32 | extractor (u8 len + bytes)
//! | payload length u64 | xxh3-64 of the payload u64 | payload
//! payload = layouts: count u32, each: name (u32 len + bytes)
//!                    | field count u32 | each field name (u32 len + bytes)
//!         | records: path (u32 len + bytes) | size u64 | mtime ns i64
//!                    | entry (u32 len + bytes)
//! entry   = b'F' + head length u32 + a RecordHead + a Filing
//!         | b'E' + a FileError, each in the index's compact form with every
//!           string inline (`codec::encode_portable`); the head holds what
//!           the index files a filing by (path, issuer, code, hash, form)
//! ```
//!
//! The compact form tells a struct's fields by their positions in its
//! layout, so the layouts of every struct written are stored first; a
//! struct is read back only when its layout names the fields the model
//! reads, in that order. The one-byte tag stands in for `Entry`'s untagged
//! form. Anything unexpected (wrong magic, format or version, a short file,
//! a checksum mismatch, a record that does not decode) makes the whole file,
//! or that one record, count as absent: the files are parsed again and the
//! cache rewritten. Writes are atomic.

use crate::filings::index::codec::{self, FileLayouts, Strings};
use crate::filings::index::{Record, RecordHead};
use crate::filings::model::{Entry, ErrorKind, FileError, Filing};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const MAGIC: &[u8; 8] = b"HKFCACHE";
/// The layout above; bump it when the layout changes.
const FORMAT: u32 = 3;

/// A file modified this close to the time its entry is cached could change
/// again within the file system's timestamp resolution (1-2 s on FAT and
/// HFS+) without its modification time changing: such entries are not
/// cached, so the next start parses the file again.
const RACY: Duration = Duration::from_secs(2);

/// The folder that holds cache files: `HKFILINGS_CACHE_DIR`, else the
/// platform's cache folder for hkfilings.
pub fn default_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("HKFILINGS_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    directories::ProjectDirs::from("", "", "hkfilings").map(|p| p.cache_dir().to_path_buf())
}

/// The cache file of one folder read with one extractor.
pub fn file_for(dir: &Path, root: &Path, extractor: &str) -> PathBuf {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut id = root.to_string_lossy().into_owned().into_bytes();
    id.push(0);
    id.extend_from_slice(extractor.as_bytes());
    let h = xxhash_rust::xxh3::xxh3_64(&id);
    dir.join(format!("entries-{h:016x}.hkc"))
}

/// What identifies one version of a file: its size and modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub size: u64,
    /// Nanoseconds since the Unix epoch (negative before it).
    pub mtime_ns: i64,
}

impl Stamp {
    /// None when the platform gives no modification time: such a file is
    /// never taken from the cache.
    pub fn of(meta: &Metadata) -> Option<Stamp> {
        let m = meta.modified().ok()?;
        let ns = match m.duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_nanos()).ok()?,
            Err(e) => -i64::try_from(e.duration().as_nanos()).ok()?,
        };
        Some(Stamp {
            size: meta.len(),
            mtime_ns: ns,
        })
    }

    /// Whether the file was modified too recently to trust its stamp (see [`RACY`]).
    fn is_racy(&self, now: SystemTime) -> bool {
        let now_ns = now
            .duration_since(UNIX_EPOCH)
            .ok()
            .and_then(|d| i64::try_from(d.as_nanos()).ok())
            .unwrap_or(i64::MAX);
        let racy_ns = i64::try_from(RACY.as_nanos()).unwrap_or(i64::MAX);
        self.mtime_ns > now_ns.saturating_sub(racy_ns)
    }
}

thread_local! {
    /// This thread's encoder state: the struct layouts it has learnt.
    static LEARNER: RefCell<Strings> = RefCell::new(Strings::default());
}

/// Every struct layout any thread has learnt, for the cache file's
/// layouts block. The same for every thread of a build (a struct's layout
/// is its field order), so the union is all there is to store.
static LEARNT: Mutex<BTreeMap<&'static str, Vec<&'static str>>> = Mutex::new(BTreeMap::new());

/// The entry as cache bytes (tag + compact form).
pub fn encode(entry: &Entry) -> Vec<u8> {
    LEARNER.with_borrow_mut(|learner| {
        let known = learner.layout_count();
        let (tag, bytes) = match entry {
            Entry::Filing(f) => (b'F', encode_filing(f, learner)),
            Entry::Error(e) => (b'E', codec::encode_portable(e, learner)),
        };
        if learner.layout_count() != known {
            if let Ok(mut all) = LEARNT.lock() {
                for (name, fields) in learner.layouts() {
                    all.entry(name).or_insert_with(|| fields.to_vec());
                }
            }
        }
        match bytes {
            Ok(mut v) => {
                v.insert(0, tag);
                v
            }
            // The model's types all encode; an empty record is not kept and
            // the file is parsed again next time.
            Err(_) => Vec::new(),
        }
    })
}

/// A filing's head (its length first) and the filing, in portable form.
fn encode_filing(f: &Filing, learner: &mut Strings) -> Result<Vec<u8>, codec::CodecError> {
    let head = codec::encode_portable(&RecordHead::of(f), learner)?;
    let n = u32::try_from(head.len()).map_err(|_| codec::CodecError("head too long".into()))?;
    let mut out = n.to_le_bytes().to_vec();
    out.extend_from_slice(&head);
    out.extend_from_slice(&codec::encode_portable(f, learner)?);
    Ok(out)
}

/// A filing's cache bytes (tag, head length and head, filing) split: the
/// head's bytes and the filing's.
fn split_filing(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let rest = bytes.strip_prefix(b"F")?;
    let n = usize::try_from(u32::from_le_bytes(rest.get(..4)?.try_into().ok()?)).ok()?;
    let rest = rest.get(4..)?;
    Some((rest.get(..n)?, rest.get(n..)?))
}

/// An entry back from its cache bytes; None when they do not decode.
fn decode(bytes: &[u8], layouts: &FileLayouts) -> Option<Entry> {
    let (&tag, rest) = bytes.split_first()?;
    match tag {
        b'F' => {
            let (_, filing) = split_filing(bytes)?;
            codec::decode_portable::<Filing>(filing, layouts)
                .ok()
                .map(|f| Entry::Filing(Box::new(f)))
        }
        b'E' => codec::decode_portable::<FileError>(rest, layouts)
            .ok()
            .map(Entry::Error),
        _ => None,
    }
}

/// Whether an entry is worth caching: the same bytes parse to the same entry,
/// except when reading failed (a transient I/O error or a parser crash) or
/// a PDF's text could not be had: that may be the extractor's failure
/// (pdftotext not installed, killed, timed out), not the file's, and the
/// next start tries again.
pub fn cacheable(entry: &Entry) -> bool {
    !matches!(
        entry,
        Entry::Error(FileError {
            error_kind: ErrorKind::Unreadable | ErrorKind::Pdf,
            ..
        })
    )
}

/// A cache file opened for reading: records found by path, each read from
/// the file when asked for. The file is checked whole when opened (its
/// checksum read as a stream), then only the record index stays in memory,
/// not the file: a warm start of a large folder held the whole cache file
/// (2.3 KB per filing) for the length of the load.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// The open file (kept open: a cache file written meanwhile replaces
    /// it by a rename, so this one stays as it was checked).
    file: Option<Source>,
    /// path -> (stamp, offset of the entry in the file, its length).
    records: HashMap<Box<str>, (Stamp, u64, usize)>,
    /// The struct layouts the entries were written with (shared with the
    /// index, which keeps the records of filings read from here as they are).
    layouts: Arc<FileLayouts>,
}

/// The open cache file of a snapshot.
#[derive(Debug)]
struct Source {
    file: std::fs::File,
    /// Reads are a seek then a read where there are no positioned reads.
    #[cfg(not(unix))]
    lock: std::sync::Mutex<()>,
}

/// Why a cache file was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    Missing,
    Unreadable(String),
    /// Not a cache file, or a cut or damaged one.
    Corrupt(&'static str),
    /// Written by another format, parser version or extractor.
    Stale,
}

/// Reads little-endian fields from a stream, failing on a short read.
struct Reader<R: std::io::Read> {
    r: R,
}

impl<R: std::io::Read> Reader<R> {
    fn bytes<const N: usize>(&mut self) -> Option<[u8; N]> {
        let mut b = [0u8; N];
        self.r.read_exact(&mut b).ok()?;
        Some(b)
    }
    fn vec(&mut self, n: usize) -> Option<Vec<u8>> {
        use std::io::Read;
        let mut v = Vec::new();
        let got = (&mut self.r).take(n as u64).read_to_end(&mut v).ok()?;
        (got == n).then_some(v)
    }
    fn u32(&mut self) -> Option<u32> {
        self.bytes().map(u32::from_le_bytes)
    }
    fn u64(&mut self) -> Option<u64> {
        self.bytes().map(u64::from_le_bytes)
    }
    fn i64(&mut self) -> Option<i64> {
        self.bytes().map(i64::from_le_bytes)
    }
    fn string(&mut self) -> Option<String> {
        let n = self.u32()? as usize;
        String::from_utf8(self.vec(n)?).ok()
    }
}

/// Most structs, and fields of one struct, a layouts block may name.
const MAX_LAYOUTS: u32 = 4096;
const MAX_LAYOUT_FIELDS: u32 = 64;

impl Snapshot {
    /// Open and check a cache file written for this parser version and extractor.
    pub fn read(path: &Path, parser_version: u32, extractor: &str) -> Result<Snapshot, Invalid> {
        use std::io::{BufReader, Read, Seek, SeekFrom};
        let unreadable = |e: std::io::Error| Invalid::Unreadable(e.to_string());
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Invalid::Missing),
            Err(e) => return Err(unreadable(e)),
        };
        let total = file.metadata().map_err(unreadable)?.len();
        let mut r = Reader {
            r: BufReader::with_capacity(1 << 16, &file),
        };
        if r.bytes::<8>().as_ref() != Some(MAGIC) {
            return Err(Invalid::Corrupt("not a cache file"));
        }
        let short = Invalid::Corrupt("short header");
        let format = r.u32().ok_or(short.clone())?;
        let version = r.u32().ok_or(short.clone())?;
        let ext_len = r.bytes::<1>().ok_or(short.clone())?[0];
        let ext = r.vec(usize::from(ext_len)).ok_or(short.clone())?;
        if format != FORMAT || version != parser_version || ext != extractor.as_bytes() {
            return Err(Invalid::Stale);
        }
        let len = r.u64().ok_or(short.clone())?;
        let sum = r.u64().ok_or(short)?;
        let start = (MAGIC.len() + 4 + 4 + 1 + ext.len() + 16) as u64;
        let end = start
            .checked_add(len)
            .ok_or(Invalid::Corrupt("truncated"))?;
        if end > total {
            return Err(Invalid::Corrupt("truncated"));
        }
        if end != total {
            return Err(Invalid::Corrupt("trailing bytes"));
        }
        // The checksum, over the payload read as a stream.
        let mut hasher = Box::new(xxhash_rust::xxh3::Xxh3::new());
        let mut chunk = vec![0u8; 1 << 16];
        let mut left = len;
        while left > 0 {
            let n = usize::try_from(left).unwrap_or(usize::MAX).min(chunk.len());
            r.r.read_exact(&mut chunk[..n]).map_err(unreadable)?;
            hasher.update(&chunk[..n]);
            left -= n as u64;
        }
        if hasher.digest() != sum {
            return Err(Invalid::Corrupt("checksum mismatch"));
        }
        // The layouts, then the records' places.
        let mut r = Reader {
            r: BufReader::with_capacity(1 << 16, &file),
        };
        r.r.seek(SeekFrom::Start(start)).map_err(unreadable)?;
        let mut layouts = FileLayouts::default();
        let mut at = start + 4;
        let count = r.u32().ok_or(Invalid::Corrupt("no layouts"))?;
        if count > MAX_LAYOUTS {
            return Err(Invalid::Corrupt("too many layouts"));
        }
        for _ in 0..count {
            let layout = (|| {
                let name = r.string()?;
                let n = r.u32()?;
                if n > MAX_LAYOUT_FIELDS {
                    return None;
                }
                let fields = (0..n).map(|_| r.string()).collect::<Option<Vec<_>>>()?;
                Some((name, fields))
            })();
            let (name, fields) = layout.ok_or(Invalid::Corrupt("bad layouts"))?;
            at += 4 + name.len() as u64 + 4;
            at += fields.iter().map(|f| 4 + f.len() as u64).sum::<u64>();
            layouts.insert(&name, fields);
        }
        let mut records = HashMap::new();
        while at < total {
            let rec = (|| {
                let n = r.u32()? as usize;
                let path = String::from_utf8(r.vec(n)?).ok()?;
                let size = r.u64()?;
                let mtime_ns = r.i64()?;
                let m = r.u32()? as usize;
                let entry_at = at + 4 + n as u64 + 8 + 8 + 4;
                let next = entry_at.checked_add(m as u64).filter(|&e| e <= total)?;
                r.r.seek_relative(i64::try_from(m).ok()?).ok()?;
                Some((path, Stamp { size, mtime_ns }, entry_at, m, next))
            })();
            // The checksum matched, so a bad record is a writer bug: stop here
            // and parse the remaining files again.
            let Some((path, stamp, entry_at, m, next)) = rec else {
                break;
            };
            records.insert(path.into_boxed_str(), (stamp, entry_at, m));
            at = next;
        }
        drop(r);
        Ok(Snapshot {
            file: Some(Source {
                file,
                #[cfg(not(unix))]
                lock: std::sync::Mutex::new(()),
            }),
            records,
            layouts: Arc::new(layouts),
        })
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Whether it has a record for `file` (of any stamp).
    pub fn contains(&self, file: &str) -> bool {
        self.records.contains_key(file)
    }

    /// The cached entry of `file` when its stamp still matches and its
    /// record decodes.
    pub fn entry(&self, file: &str, stamp: Stamp) -> Option<Entry> {
        decode(&self.get(file, stamp)?, &self.layouts)
    }

    /// What the cache holds for `file` when its stamp still matches: a
    /// filing's record, its head read and the filing left encoded (the
    /// index keeps it as it is and decodes it when it is read), or any
    /// other entry decoded. None when it does not read back.
    pub fn record(&self, file: &str, stamp: Stamp) -> Option<Result<Record, Entry>> {
        let bytes = self.get(file, stamp)?;
        if bytes.first() != Some(&b'F') {
            return decode(&bytes, &self.layouts).map(Err);
        }
        let (head, filing) = split_filing(&bytes)?;
        let head = codec::decode_portable::<RecordHead>(head, &self.layouts).ok()?;
        // The filing's bytes alone: the index holds them for as long as it lives.
        Some(Ok(Record::new(filing.into(), self.layouts.clone(), head)))
    }

    /// The cached bytes of `file` when its stamp still matches (None too
    /// when they cannot be read: the file is then parsed again).
    pub fn get(&self, file: &str, stamp: Stamp) -> Option<Vec<u8>> {
        let &(s, at, n) = self.records.get(file)?;
        if s != stamp {
            return None;
        }
        let mut buf = vec![0u8; n];
        let src = self.file.as_ref()?;
        #[cfg(unix)]
        {
            // Positioned reads: the parse workers need not take turns.
            use std::os::unix::fs::FileExt;
            src.file.read_exact_at(&mut buf, at).ok()?;
        }
        #[cfg(not(unix))]
        {
            use std::io::{Read, Seek, SeekFrom};
            let _turn = src.lock.lock().ok()?;
            let mut f: &std::fs::File = &src.file;
            f.seek(SeekFrom::Start(at)).ok()?;
            f.read_exact(&mut buf).ok()?;
        }
        Some(buf)
    }
}

/// Where a record's bytes are: in the snapshot read at start, or new.
#[derive(Debug)]
pub enum Bytes {
    Old,
    New(Vec<u8>),
}

/// The records of this load, written out at its end.
///
/// New records' bytes (the compact form of a fresh parse, some 1 KB each)
/// are not kept in memory until then: they are appended to an
/// anonymous temporary file as they come and copied from it into the cache
/// file, which is itself written as a stream. Holding them, and then the
/// whole file twice more while it was assembled, more than doubled the peak
/// memory of a cold load.
#[derive(Debug)]
pub struct Writer {
    started: SystemTime,
    records: Vec<(String, Stamp, Rec)>,
    /// Records that are new or changed since the snapshot.
    changed: usize,
    /// Where new records' bytes wait, in the order of `records`.
    spill: Spill,
}

/// Where one record's bytes are until the cache file is written.
#[derive(Debug)]
enum Rec {
    /// In the snapshot read at start.
    Old,
    /// The next this many bytes of the spill file.
    Spilled(usize),
    /// In memory (no temporary file could be made).
    Mem(Vec<u8>),
}

#[derive(Debug)]
enum Spill {
    /// Nothing spilled yet.
    None,
    Open(std::io::BufWriter<std::fs::File>),
    /// The temporary file failed: new records are kept in memory.
    Failed,
}

impl Writer {
    pub fn new() -> Writer {
        Writer {
            started: SystemTime::now(),
            records: Vec::new(),
            changed: 0,
            spill: Spill::None,
        }
    }

    /// Keep `file`'s record; a file modified too recently is left out (see [`RACY`]).
    pub fn push(&mut self, file: String, stamp: Stamp, bytes: Bytes) {
        if matches!(&bytes, Bytes::New(b) if b.is_empty()) {
            return;
        }
        if stamp.is_racy(self.started) {
            self.changed += 1;
            return;
        }
        let rec = match bytes {
            Bytes::Old => Rec::Old,
            Bytes::New(b) => {
                self.changed += 1;
                self.spill(b)
            }
        };
        self.records.push((file, stamp, rec));
    }

    /// Append new bytes to the spill file (made on first use).
    fn spill(&mut self, b: Vec<u8>) -> Rec {
        use std::io::Write;
        if matches!(self.spill, Spill::None) {
            self.spill = match tempfile::tempfile() {
                Ok(f) => Spill::Open(std::io::BufWriter::with_capacity(1 << 16, f)),
                Err(_) => Spill::Failed,
            };
        }
        let Spill::Open(w) = &mut self.spill else {
            return Rec::Mem(b);
        };
        if w.write_all(&b).is_ok() {
            return Rec::Spilled(b.len());
        }
        // What was spilled can no longer be read back in order: those
        // records are left out of the cache (their files are parsed again
        // next time), and the rest stay in memory.
        self.spill = Spill::Failed;
        self.records.retain(|r| !matches!(r.2, Rec::Spilled(_)));
        Rec::Mem(b)
    }

    /// Whether the cache file must be written: a record is new, or the
    /// snapshot holds files this load did not see (deleted or moved).
    pub fn is_needed(&self, snapshot: Option<&Snapshot>) -> bool {
        self.changed > 0 || snapshot.map_or(0, |s| s.len()) != self.records.len()
    }

    /// Write the cache file atomically (a temporary file in the same folder,
    /// synced, then renamed over the target), streaming the records into it.
    pub fn write(
        &mut self,
        path: &Path,
        snapshot: Option<&Snapshot>,
        parser_version: u32,
        extractor: &str,
    ) -> std::io::Result<()> {
        use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
        let ext = extractor.as_bytes();
        let ext_len = u8::try_from(ext.len()).map_err(std::io::Error::other)?;
        let mut spilled = match std::mem::replace(&mut self.spill, Spill::None) {
            Spill::Open(w) => {
                let mut f = w.into_inner().map_err(|e| e.into_error())?;
                f.seek(SeekFrom::Start(0))?;
                Some(std::io::BufReader::with_capacity(1 << 16, f))
            }
            _ => None,
        };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(dir)?;
        let tmp = tempfile::Builder::new()
            .prefix(".hkfilings-")
            .suffix(".tmp")
            .tempfile_in(dir)?;
        let _removed_on_signal = crate::signals::temp(tmp.path());
        let mut out = BufWriter::with_capacity(1 << 16, tmp.as_file());
        out.write_all(MAGIC)?;
        out.write_all(&FORMAT.to_le_bytes())?;
        out.write_all(&parser_version.to_le_bytes())?;
        out.write_all(&[ext_len])?;
        out.write_all(ext)?;
        // Length and checksum of the payload, filled in once it is written.
        let sizes_at = (MAGIC.len() + 4 + 4 + 1 + ext.len()) as u64;
        out.write_all(&[0u8; 16])?;
        let mut hasher = Box::new(xxhash_rust::xxh3::Xxh3::new());
        let mut len: u64 = 0;
        let mut emit = |out: &mut BufWriter<&std::fs::File>, b: &[u8]| -> std::io::Result<()> {
            hasher.update(b);
            len += b.len() as u64;
            out.write_all(b)
        };
        // The layouts: every one this process learnt, and the snapshot's
        // (its old records were written with them, by the same build).
        let mut layouts: BTreeMap<&str, Vec<&str>> = LEARNT
            .lock()
            .map(|l| l.iter().map(|(k, v)| (*k, v.clone())).collect())
            .unwrap_or_default();
        if let Some(s) = snapshot {
            for (name, fields) in s.layouts.iter() {
                layouts.entry(name).or_insert(fields);
            }
        }
        let mut block = Vec::new();
        let put = |b: &mut Vec<u8>, s: &str| {
            b.extend_from_slice(&(s.len() as u32).to_le_bytes());
            b.extend_from_slice(s.as_bytes());
        };
        block.extend_from_slice(&(layouts.len() as u32).to_le_bytes());
        for (name, fields) in &layouts {
            put(&mut block, name);
            block.extend_from_slice(&(fields.len() as u32).to_le_bytes());
            for f in fields {
                put(&mut block, f);
            }
        }
        emit(&mut out, &block)?;
        let mut buf: Vec<u8> = Vec::new();
        for (file, stamp, rec) in &self.records {
            let old;
            let b: &[u8] = match rec {
                Rec::Mem(b) => b,
                Rec::Spilled(n) => {
                    // Read in order whatever happens next, so the records after
                    // this one still find their bytes.
                    let Some(r) = spilled.as_mut() else { continue };
                    buf.resize(*n, 0);
                    r.read_exact(&mut buf)?;
                    &buf
                }
                Rec::Old => match snapshot.and_then(|s| s.get(file, *stamp)) {
                    Some(b) => {
                        old = b;
                        &old
                    }
                    None => continue,
                },
            };
            let (Ok(plen), Ok(blen)) = (u32::try_from(file.len()), u32::try_from(b.len())) else {
                continue;
            };
            emit(&mut out, &plen.to_le_bytes())?;
            emit(&mut out, file.as_bytes())?;
            emit(&mut out, &stamp.size.to_le_bytes())?;
            emit(&mut out, &stamp.mtime_ns.to_le_bytes())?;
            emit(&mut out, &blen.to_le_bytes())?;
            emit(&mut out, b)?;
        }
        out.flush()?;
        drop(out);
        let mut f = tmp.as_file();
        f.seek(SeekFrom::Start(sizes_at))?;
        f.write_all(&len.to_le_bytes())?;
        f.write_all(&hasher.digest().to_le_bytes())?;
        f.sync_all()?;
        tmp.persist(path).map_err(|e| e.error)?;
        // Make the rename itself durable where the platform allows syncing a folder.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

impl Default for Writer {
    fn default() -> Writer {
        Writer::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(n: u64) -> Stamp {
        // Long ago: never racy.
        Stamp {
            size: n,
            mtime_ns: 1_000_000_000,
        }
    }

    /// Write records through a writer, read the file back.
    fn round_trip(w: &mut Writer, snapshot: Option<&Snapshot>, dir: &Path) -> Snapshot {
        let path = dir.join("c.hkc");
        w.write(&path, snapshot, 7, "text").expect("write");
        Snapshot::read(&path, 7, "text").expect("read back")
    }

    #[test]
    fn spilled_old_and_in_memory_records_all_read_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut w = Writer::new();
        w.push("a".into(), stamp(1), Bytes::New(b"F{\"a\":1}".to_vec()));
        w.push("b".into(), stamp(2), Bytes::New(b"E{}".to_vec()));
        let first = round_trip(&mut w, None, dir.path());
        assert_eq!(
            first.get("a", stamp(1)).as_deref(),
            Some(&b"F{\"a\":1}"[..])
        );
        assert_eq!(first.get("b", stamp(2)).as_deref(), Some(&b"E{}"[..]));

        // The next load: "a" unchanged (from the snapshot), "b" parsed
        // again, "c" new; then the same with no spill file (kept in memory).
        for spill_fails in [false, true] {
            let mut w = Writer::new();
            if spill_fails {
                w.spill = Spill::Failed;
            }
            w.push("a".into(), stamp(1), Bytes::Old);
            w.push("b".into(), stamp(3), Bytes::New(b"F{\"b\":2}".to_vec()));
            w.push("c".into(), stamp(4), Bytes::New(b"F{\"c\":3}".to_vec()));
            assert_eq!(
                w.records
                    .iter()
                    .filter(|r| matches!(r.2, Rec::Mem(_)))
                    .count(),
                if spill_fails { 2 } else { 0 }
            );
            assert!(w.is_needed(Some(&first)));
            let second = round_trip(&mut w, Some(&first), dir.path());
            assert_eq!(second.len(), 3);
            assert_eq!(
                second.get("a", stamp(1)).as_deref(),
                Some(&b"F{\"a\":1}"[..])
            );
            assert_eq!(
                second.get("b", stamp(3)).as_deref(),
                Some(&b"F{\"b\":2}"[..])
            );
            assert_eq!(second.get("b", stamp(2)), None);
            assert_eq!(
                second.get("c", stamp(4)).as_deref(),
                Some(&b"F{\"c\":3}"[..])
            );
        }
    }

    #[test]
    fn the_streamed_file_is_the_layout_documented() {
        let dir = tempfile::tempdir().expect("tempdir");
        let entry = Entry::Error(FileError {
            file: "p".into(),
            error: "not a filing".into(),
            error_kind: ErrorKind::NotAFiling,
        });
        let record = encode(&entry);
        let mut w = Writer::new();
        w.push("p".into(), stamp(5), Bytes::New(record.clone()));
        let path = dir.path().join("c.hkc");
        w.write(&path, None, 7, "text").expect("write");
        let bytes = std::fs::read(&path).expect("read");

        let mut head = Vec::new();
        head.extend_from_slice(MAGIC);
        head.extend_from_slice(&FORMAT.to_le_bytes());
        head.extend_from_slice(&7u32.to_le_bytes());
        head.push(4);
        head.extend_from_slice(b"text");
        assert_eq!(bytes[..head.len()], head[..]);
        let (sizes, payload) = bytes[head.len()..].split_at(16);
        assert_eq!(sizes[..8], (payload.len() as u64).to_le_bytes());
        assert_eq!(
            sizes[8..],
            xxhash_rust::xxh3::xxh3_64(payload).to_le_bytes()
        );

        // The layouts block: every struct this process has learnt (other
        // tests' too), FileError's among them, with its fields in order.
        let mut r = Reader { r: payload };
        let count = r.u32().expect("count");
        let mut seen = Vec::new();
        for _ in 0..count {
            let name = r.string().expect("name");
            let n = r.u32().expect("fields");
            let fields: Vec<String> = (0..n).map(|_| r.string().expect("field")).collect();
            seen.push((name, fields));
        }
        assert!(seen.contains(&(
            "FileError".to_string(),
            vec!["file".into(), "error".into(), "error_kind".into()]
        )));

        // Then the one record: tag 'E', the path inline, the kind's index.
        let mut want = Vec::new();
        want.extend_from_slice(&1u32.to_le_bytes());
        want.extend_from_slice(b"p");
        want.extend_from_slice(&5u64.to_le_bytes());
        want.extend_from_slice(&1_000_000_000i64.to_le_bytes());
        want.extend_from_slice(&(record.len() as u32).to_le_bytes());
        want.extend_from_slice(&record);
        assert_eq!(r.r, &want[..]);
        assert_eq!(record[0], b'E');
        assert_eq!(record[1], 0b111, "all three fields present");
        assert!(record.windows(12).any(|w| w == b"not a filing"));

        let back = Snapshot::read(&path, 7, "text").expect("read back");
        assert_eq!(back.entry("p", stamp(5)), Some(entry));
        assert_eq!(back.entry("p", stamp(6)), None);
    }

    #[test]
    fn a_record_whose_struct_changed_is_not_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let entry = Entry::Error(FileError {
            file: "q".into(),
            error: "e".into(),
            error_kind: ErrorKind::Pdf,
        });
        let mut w = Writer::new();
        w.push("q".into(), stamp(1), Bytes::New(encode(&entry)));
        let path = dir.path().join("c.hkc");
        w.write(&path, None, 7, "text").expect("write");
        let mut snap = Snapshot::read(&path, 7, "text").expect("read");
        assert_eq!(snap.entry("q", stamp(1)), Some(entry));
        // The same bytes, as if FileError's first two fields had swapped
        // places since they were written: not misread, not read at all.
        let mut swapped = FileLayouts::default();
        swapped.insert(
            "FileError",
            vec!["error".into(), "file".into(), "error_kind".into()],
        );
        snap.layouts = Arc::new(swapped);
        assert_eq!(snap.entry("q", stamp(1)), None);
    }

    /// A filing's record gives its head without the filing being decoded,
    /// and the filing from the bytes the index keeps. (A record cut short
    /// reads as absent through `entry`; `record` leaves the filing to the
    /// index, and the file's checksum is what keeps a cut or altered record
    /// from being read at all: see `a_corrupt_cache_is_ignored_and_rebuilt`.)
    #[test]
    fn a_filing_record_is_its_head_and_the_filing() {
        use crate::filings::model::{Form, Kind};
        let dir = tempfile::tempdir().expect("tempdir");
        let mut f = Filing::new("r.txt", Kind::MonthlyReturn, Form::Ff301V12);
        f.issuer = Some("Acme Holdings Limited".into());
        f.stock_codes = vec!["00123".into(), "80123".into()];
        f.content_hash = "00ff".into();
        let entry = Entry::Filing(Box::new(f.clone()));
        let bytes = encode(&entry);
        let mut w = Writer::new();
        w.push("r.txt".into(), stamp(1), Bytes::New(bytes.clone()));
        w.push(
            "cut.txt".into(),
            stamp(1),
            Bytes::New(bytes[..bytes.len() - 3].to_vec()),
        );
        let snap = round_trip(&mut w, None, dir.path());
        let record = match snap.record("r.txt", stamp(1)) {
            Some(Ok(r)) => r,
            other => panic!("a filing's record, not {other:?}"),
        };
        let h = record.head();
        assert_eq!(h.file, "r.txt");
        assert_eq!(h.issuer.as_deref(), Some("Acme Holdings Limited"));
        assert_eq!(h.primary_code.as_deref(), Some("00123"));
        assert_eq!(
            (h.content_hash.as_str(), h.form, h.findings),
            ("00ff", Form::Ff301V12, 0)
        );
        // The index reads the filing from the record as the cache's own decode does.
        let mut index = crate::filings::index::Index::new();
        index.insert_records(Vec::new(), vec![record]);
        index.settle();
        assert_eq!(index.filings().get(0), Some(&f));
        assert_eq!(snap.entry("r.txt", stamp(1)), Some(entry));
        assert!(snap.entry("cut.txt", stamp(1)).is_none());
    }
}
