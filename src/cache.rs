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
//! payload = records: path (u32 len + bytes) | size u64 | mtime ns i64
//!                    | entry (u32 len + bytes)
//! entry   = b'F' + JSON of a Filing | b'E' + JSON of a FileError
//! ```
//!
//! The entry is JSON because the model's optional keys are left out when
//! empty (`skip_serializing_if`), which formats without field names (bincode)
//! cannot read back; the one-byte tag stands in for `Entry`'s untagged form,
//! whose decoding would try both shapes. Anything unexpected (wrong magic,
//! format or version, a short file, a checksum mismatch, a record that does
//! not decode) makes the whole file, or that one record, count as absent: the
//! files are parsed again and the cache rewritten. Writes are atomic.

use crate::filings::model::{Entry, ErrorKind, FileError, Filing};
use std::collections::HashMap;
use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const MAGIC: &[u8; 8] = b"HKFCACHE";
/// The layout above; bump it when the layout changes.
const FORMAT: u32 = 1;

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

/// The entry of `file` as cache bytes (tag + JSON).
pub fn encode(entry: &Entry) -> Vec<u8> {
    let (tag, json) = match entry {
        Entry::Filing(f) => (b'F', serde_json::to_vec(f.as_ref())),
        Entry::Error(e) => (b'E', serde_json::to_vec(e)),
    };
    match json {
        Ok(mut v) => {
            v.insert(0, tag);
            v
        }
        // Serialising plain data to memory does not fail; an empty record
        // decodes to nothing and the file is parsed again next time.
        Err(_) => Vec::new(),
    }
}

/// An entry back from its cache bytes; None when they do not decode.
pub fn decode(bytes: &[u8]) -> Option<Entry> {
    let (&tag, json) = bytes.split_first()?;
    match tag {
        b'F' => serde_json::from_slice::<Filing>(json)
            .ok()
            .map(|f| Entry::Filing(Box::new(f))),
        b'E' => serde_json::from_slice::<FileError>(json)
            .ok()
            .map(Entry::Error),
        _ => None,
    }
}

/// Whether an entry is worth caching: the same bytes parse to the same entry,
/// except when reading failed (a transient I/O error or a parser crash).
pub fn cacheable(entry: &Entry) -> bool {
    !matches!(
        entry,
        Entry::Error(FileError {
            error_kind: ErrorKind::Unreadable,
            ..
        })
    )
}

/// A cache file read into memory: records found by path.
#[derive(Debug, Default)]
pub struct Snapshot {
    buf: Vec<u8>,
    /// path -> (stamp, byte range of the entry in `buf`).
    records: HashMap<Box<str>, (Stamp, usize, usize)>,
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

/// Reads little-endian fields from a byte slice, failing on a short read.
struct Reader<'a> {
    buf: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.buf.get(self.at..end)?;
        self.at = end;
        Some(s)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

impl Snapshot {
    /// Read and check a cache file written for this parser version and extractor.
    pub fn read(path: &Path, parser_version: u32, extractor: &str) -> Result<Snapshot, Invalid> {
        let buf = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Invalid::Missing),
            Err(e) => return Err(Invalid::Unreadable(e.to_string())),
        };
        Snapshot::from_bytes(buf, parser_version, extractor)
    }

    fn from_bytes(buf: Vec<u8>, parser_version: u32, extractor: &str) -> Result<Snapshot, Invalid> {
        let mut r = Reader { buf: &buf, at: 0 };
        if r.take(MAGIC.len()) != Some(MAGIC.as_slice()) {
            return Err(Invalid::Corrupt("not a cache file"));
        }
        let format = r.u32().ok_or(Invalid::Corrupt("short header"))?;
        let version = r.u32().ok_or(Invalid::Corrupt("short header"))?;
        let ext_len = r.take(1).and_then(|b| b.first().copied());
        let ext = ext_len
            .and_then(|n| r.take(n as usize))
            .ok_or(Invalid::Corrupt("short header"))?;
        if format != FORMAT || version != parser_version || ext != extractor.as_bytes() {
            return Err(Invalid::Stale);
        }
        let len = r.u64().ok_or(Invalid::Corrupt("short header"))?;
        let sum = r.u64().ok_or(Invalid::Corrupt("short header"))?;
        let start = r.at;
        let payload = usize::try_from(len)
            .ok()
            .and_then(|n| r.take(n))
            .ok_or(Invalid::Corrupt("truncated"))?;
        if r.at != buf.len() {
            return Err(Invalid::Corrupt("trailing bytes"));
        }
        if xxhash_rust::xxh3::xxh3_64(payload) != sum {
            return Err(Invalid::Corrupt("checksum mismatch"));
        }
        let mut records = HashMap::new();
        let mut p = Reader {
            buf: &buf,
            at: start,
        };
        while p.at < buf.len() {
            let rec = (|| {
                let n = p.u32()? as usize;
                let path = std::str::from_utf8(p.take(n)?).ok()?;
                let size = p.u64()?;
                let mtime_ns = p.i64()?;
                let n = p.u32()? as usize;
                let at = p.at;
                p.take(n)?;
                Some((path, Stamp { size, mtime_ns }, at, n))
            })();
            // The checksum matched, so a bad record is a writer bug: stop here
            // and parse the remaining files again.
            let Some((path, stamp, at, n)) = rec else {
                break;
            };
            records.insert(Box::from(path), (stamp, at, n));
        }
        Ok(Snapshot { buf, records })
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The cached bytes of `file` when its stamp still matches.
    pub fn get(&self, file: &str, stamp: Stamp) -> Option<&[u8]> {
        let &(s, at, n) = self.records.get(file)?;
        if s != stamp {
            return None;
        }
        self.buf.get(at..at.checked_add(n)?)
    }
}

/// Where a record's bytes are: in the snapshot read at start, or new.
#[derive(Debug)]
pub enum Bytes {
    Old,
    New(Vec<u8>),
}

/// The records of this load, written out at its end.
#[derive(Debug)]
pub struct Writer {
    started: SystemTime,
    records: Vec<(String, Stamp, Bytes)>,
    /// Records that are new or changed since the snapshot.
    changed: usize,
}

impl Writer {
    pub fn new() -> Writer {
        Writer {
            started: SystemTime::now(),
            records: Vec::new(),
            changed: 0,
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
        if matches!(bytes, Bytes::New(_)) {
            self.changed += 1;
        }
        self.records.push((file, stamp, bytes));
    }

    /// Whether the cache file must be written: a record is new, or the
    /// snapshot holds files this load did not see (deleted or moved).
    pub fn is_needed(&self, snapshot: Option<&Snapshot>) -> bool {
        self.changed > 0 || snapshot.map_or(0, |s| s.len()) != self.records.len()
    }

    /// Write the cache file atomically.
    pub fn write(
        &self,
        path: &Path,
        snapshot: Option<&Snapshot>,
        parser_version: u32,
        extractor: &str,
    ) -> std::io::Result<()> {
        let mut payload: Vec<u8> = Vec::new();
        for (file, stamp, bytes) in &self.records {
            let b: &[u8] = match bytes {
                Bytes::New(b) => b,
                Bytes::Old => match snapshot.and_then(|s| s.get(file, *stamp)) {
                    Some(b) => b,
                    None => continue,
                },
            };
            let (Ok(plen), Ok(blen)) = (u32::try_from(file.len()), u32::try_from(b.len())) else {
                continue;
            };
            payload.extend_from_slice(&plen.to_le_bytes());
            payload.extend_from_slice(file.as_bytes());
            payload.extend_from_slice(&stamp.size.to_le_bytes());
            payload.extend_from_slice(&stamp.mtime_ns.to_le_bytes());
            payload.extend_from_slice(&blen.to_le_bytes());
            payload.extend_from_slice(b);
        }
        let ext = extractor.as_bytes();
        let ext_len = u8::try_from(ext.len()).map_err(std::io::Error::other)?;
        let mut out = Vec::with_capacity(payload.len() + 64);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT.to_le_bytes());
        out.extend_from_slice(&parser_version.to_le_bytes());
        out.push(ext_len);
        out.extend_from_slice(ext);
        out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        out.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&payload).to_le_bytes());
        out.extend_from_slice(&payload);
        drop(payload);
        crate::atomic::write(path, &out)
    }
}

impl Default for Writer {
    fn default() -> Writer {
        Writer::new()
    }
}
