//! The index's filings, kept encoded ([`super::codec`]) and read back on use.
//!
//! Each filing is stored as the bytes of its parse (without its path, which
//! is kept beside them, and without the index's marks and cross-filing
//! findings, which are kept as ids and lists of their own). Reading a
//! filing through [`Filings::get`] (or `Index::filing`) decodes it once and
//! keeps the result for the life of the index, or until the index changes
//! it: what a user looks at stays at hand, and a folder of 100,000 filings
//! that is only counted and checked is never held decoded all at once.
//! [`Filings::load`] reads a filing without keeping it, for passes over
//! every filing (search keys, exports, statistics).

use super::codec::{self, Strings};
use super::FilingId;
use crate::filings::model::{codes, Filing, Finding, Form, Kind, Level};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

/// "No filing" in an id field.
const NONE: FilingId = FilingId::MAX;

/// A filing's record as the warm-start cache keeps it: its portable form
/// (every string inline), with the struct layouts it was written with, and
/// its head. The index keeps such a record as it is, rather than
/// encode the filing read from it again (that re-encoding was a fifth to a
/// quarter of a warm start's CPU time, on the one thread that files what
/// the loader reads), and files it by its head alone: the filing itself is
/// first decoded when the index reads it (decoding it on arrival too was
/// two fifths of a warm start's CPU time).
#[derive(Clone)]
pub struct Record {
    bytes: Box<[u8]>,
    layouts: Arc<codec::FileLayouts>,
    head: RecordHead,
}

/// What the index files a filing by, kept in its cache record before the
/// filing (see [`RecordHead::of`]).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct RecordHead {
    pub file: String,
    pub issuer: Option<String>,
    pub primary_code: Option<String>,
    pub content_hash: String,
    pub kind: Kind,
    pub form: Form,
    pub has_lockups: bool,
    /// The number of the parser's findings.
    pub findings: u32,
}

impl RecordHead {
    pub fn of(f: &Filing) -> RecordHead {
        RecordHead {
            file: f.file.clone(),
            issuer: f.issuer.clone(),
            primary_code: f.primary_code().map(str::to_string),
            content_hash: f.content_hash.clone(),
            kind: f.kind,
            form: f.form,
            has_lockups: !f.lockups.is_empty(),
            findings: u32::try_from(f.findings.len()).unwrap_or(u32::MAX),
        }
    }
}

impl Record {
    /// `bytes`: the portable form of a filing from the cache; `layouts`:
    /// those of the cache file it was read from; `head`: its head, read.
    pub(crate) fn new(
        bytes: Box<[u8]>,
        layouts: Arc<codec::FileLayouts>,
        head: RecordHead,
    ) -> Record {
        Record {
            bytes,
            layouts,
            head,
        }
    }

    pub fn head(&self) -> &RecordHead {
        &self.head
    }
}

/// A filing as it comes to the index: parsed (encoded on arrival) or a
/// cache record (kept as it is), with what it is filed by.
pub(super) enum Incoming {
    Parsed(Box<Filing>),
    Record(Record),
}

impl Incoming {
    pub(super) fn file(&self) -> &str {
        match self {
            Incoming::Parsed(f) => &f.file,
            Incoming::Record(r) => &r.head.file,
        }
    }

    pub(super) fn issuer(&self) -> Option<&str> {
        match self {
            Incoming::Parsed(f) => f.issuer.as_deref(),
            Incoming::Record(r) => r.head.issuer.as_deref(),
        }
    }

    pub(super) fn primary_code(&self) -> Option<&str> {
        match self {
            Incoming::Parsed(f) => f.primary_code(),
            Incoming::Record(r) => r.head.primary_code.as_deref(),
        }
    }

    pub(super) fn content_hash(&self) -> &str {
        match self {
            Incoming::Parsed(f) => &f.content_hash,
            Incoming::Record(r) => &r.head.content_hash,
        }
    }
}

/// The filing a cache record's portable form holds.
fn decode_record(bytes: &[u8], layouts: &codec::FileLayouts) -> Result<Filing, codec::CodecError> {
    codec::decode_portable::<Filing>(bytes, layouts)
}

impl std::fmt::Debug for Record {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Record")
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

struct Slot {
    /// The parse, encoded; empty when the filing could not be encoded and
    /// is kept decoded in `cached` instead.
    bytes: Box<[u8]>,
    /// Set when `bytes` are a cache record kept as it was read (portable
    /// form) rather than the index's own encoding.
    record_layouts: Option<Arc<codec::FileLayouts>>,
    file: Box<str>,
    /// The filing as read, with its marks and cross-filing findings.
    cached: OnceLock<Box<Filing>>,
    /// Per filing: a hash of its issuer name's comparison key, computed once
    /// on arrival; 0 without a name.
    name_key: u64,
    /// Number of the parser's own findings (the front of `findings`).
    parse_len: u32,
    /// Unique to this parse of the file in this process.
    stamp: u64,
    duplicate_of: FilingId,
    superseded_by: FilingId,
    kind: Kind,
    form: Form,
    has_lockups: bool,
}

impl Slot {
    fn new(
        file: Box<str>,
        name_key: Option<u64>,
        parse_len: u32,
        kind: Kind,
        form: Form,
        has_lockups: bool,
    ) -> Slot {
        Slot {
            bytes: Box::default(),
            record_layouts: None,
            file,
            cached: OnceLock::new(),
            name_key: name_key.map_or(0, |k| k.max(1)),
            parse_len,
            stamp: STAMPS.fetch_add(1, Ordering::Relaxed) + 1,
            duplicate_of: NONE,
            superseded_by: NONE,
            kind,
            form,
            has_lockups,
        }
    }
}

/// The index's filings by id, read like a slice of them.
#[derive(Default)]
pub struct Filings {
    slots: Vec<Slot>,
    strings: Strings,
    /// Cross-filing findings by filing, in the order the index made them.
    cross: HashMap<FilingId, Vec<Finding>>,
}

/// The last stamp handed out, in any index of the process.
static STAMPS: AtomicU64 = AtomicU64::new(0);

impl std::fmt::Debug for Filings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Filings")
            .field("len", &self.slots.len())
            .field("strings", &self.strings.len())
            .finish()
    }
}

impl Filings {
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The filing, with the index's marks and findings; kept decoded once read.
    pub fn get(&self, id: usize) -> Option<&Filing> {
        let slot = self.slots.get(id)?;
        Some(slot.cached.get_or_init(|| Box::new(self.read(id))))
    }

    /// The filing as [`Filings::get`] gives it, without keeping it decoded
    /// (borrowed when it already is).
    pub fn load(&self, id: usize) -> Option<Cow<'_, Filing>> {
        let slot = self.slots.get(id)?;
        Some(match slot.cached.get() {
            Some(f) => Cow::Borrowed(&**f),
            None => Cow::Owned(self.read(id)),
        })
    }

    /// Every filing, by id (each kept decoded once read: see [`Filings::load`]).
    pub fn iter(&self) -> FilingsIter<'_> {
        FilingsIter {
            filings: self,
            next: 0,
            end: self.slots.len(),
        }
    }

    /// The path a filing was read from.
    pub fn file(&self, id: usize) -> Option<&str> {
        self.slots.get(id).map(|s| &*s.file)
    }

    pub fn kind(&self, id: usize) -> Option<Kind> {
        self.slots.get(id).map(|s| s.kind)
    }

    /// A number that changes whenever the filing at `id` is replaced (a
    /// file parsed again), to tell a caller's derived data is stale; no two
    /// filings of the process, in any index, have the same.
    pub fn stamp(&self, id: usize) -> Option<u64> {
        self.slots.get(id).map(|s| s.stamp)
    }

    /// Number of findings of the filing (the parser's and the index's),
    /// without reading it.
    pub fn findings_len(&self, id: usize) -> usize {
        self.slots.get(id).map_or(0, |s| {
            s.parse_len as usize + self.cross.get(&(id as FilingId)).map_or(0, Vec::len)
        })
    }

    /// Whether the filing repeats another.
    pub fn is_duplicate(&self, id: usize) -> bool {
        self.slots.get(id).is_some_and(|s| s.duplicate_of != NONE)
    }

    /// Number of filings kept as the warm-start cache's records were read.
    pub fn records_kept(&self) -> usize {
        self.slots
            .iter()
            .filter(|s| s.record_layouts.is_some())
            .count()
    }

    /// Number of distinct strings the encoded filings share.
    pub fn shared_strings(&self) -> usize {
        self.strings.len()
    }

    /// Heap bytes of the encoded filings and the tables beside them, without
    /// the filings kept decoded (for tests and benchmarks).
    pub fn encoded_bytes(&self) -> usize {
        let slots: usize = self
            .slots
            .iter()
            .map(|s| s.bytes.len() + s.file.len())
            .sum();
        slots + self.slots.capacity() * std::mem::size_of::<Slot>() + self.strings.heap_bytes()
    }

    // ---- for the index ----------------------------------------------------

    /// The filing as parsed: its path set, no marks, no cross-filing findings.
    pub(super) fn parsed(&self, id: FilingId) -> Filing {
        let slot = &self.slots[id as usize];
        if let Some(f) = slot.cached.get().filter(|_| slot.bytes.is_empty()) {
            // Kept decoded (encoding failed): strip the index's additions.
            let mut f = (**f).clone();
            f.duplicate_of = None;
            f.superseded_by = None;
            f.findings.truncate(slot.parse_len as usize);
            return f;
        }
        let decoded = match &slot.record_layouts {
            Some(layouts) => decode_record(&slot.bytes, layouts),
            None => codec::decode(&slot.bytes, &self.strings),
        };
        let mut f = decoded.unwrap_or_else(|e| {
            // Bytes this process wrote: a failure is a bug, reported as a
            // finding on an empty filing rather than a crash.
            let mut f = Filing::new("", slot.kind, slot.form);
            f.add_finding(Finding::new(
                Level::Error,
                codes::UNREADABLE_VALUE,
                format!("the index could not read this filing back: {e}"),
            ));
            f
        });
        f.file = slot.file.to_string();
        f
    }

    /// The filing with the index's marks and findings.
    fn read(&self, id: usize) -> Filing {
        let slot = &self.slots[id];
        if slot.bytes.is_empty() {
            if let Some(f) = slot.cached.get() {
                return (**f).clone();
            }
        }
        let mut f = self.parsed(id as FilingId);
        let path = |other: FilingId| self.slots.get(other as usize).map(|s| s.file.to_string());
        if slot.duplicate_of != NONE {
            f.duplicate_of = path(slot.duplicate_of);
        }
        if slot.superseded_by != NONE {
            f.superseded_by = path(slot.superseded_by);
        }
        if let Some(cross) = self.cross.get(&(id as FilingId)) {
            f.findings.extend(cross.iter().cloned());
        }
        f
    }

    fn slot(&mut self, f: Filing, name_key: Option<u64>) -> Slot {
        let mut f = f;
        // Marks are the index's to set.
        f.duplicate_of = None;
        f.superseded_by = None;
        let file = std::mem::take(&mut f.file).into_boxed_str();
        let parse_len = u32::try_from(f.findings.len()).unwrap_or(u32::MAX);
        let mut slot = Slot::new(
            file,
            name_key,
            parse_len,
            f.kind,
            f.form,
            !f.lockups.is_empty(),
        );
        match codec::encode(&f, &mut self.strings) {
            Ok(bytes) if !bytes.is_empty() => slot.bytes = bytes,
            _ => {
                f.file = slot.file.to_string();
                let _ = slot.cached.set(Box::new(f));
            }
        }
        slot
    }

    /// A cache record of a parse is kept as it is (the filing in it carries
    /// no marks: the cache keeps parses only).
    fn record_slot(r: Record, name_key: Option<u64>) -> Slot {
        let h = &r.head;
        let mut slot = Slot::new(
            h.file.as_str().into(),
            name_key,
            h.findings,
            h.kind,
            h.form,
            h.has_lockups,
        );
        slot.bytes = r.bytes;
        slot.record_layouts = Some(r.layouts);
        slot
    }

    /// File a new filing.
    pub(super) fn push(&mut self, f: Incoming, name_key: Option<u64>) -> FilingId {
        let slot = self.slot_of(f, name_key);
        let id = self.slots.len() as FilingId;
        self.slots.push(slot);
        id
    }

    /// Put a new parse of the same path in place of filing `id`.
    pub(super) fn replace(&mut self, id: FilingId, f: Incoming, name_key: Option<u64>) {
        let slot = self.slot_of(f, name_key);
        self.replace_slot(id, slot);
    }

    fn slot_of(&mut self, f: Incoming, name_key: Option<u64>) -> Slot {
        match f {
            Incoming::Parsed(f) => self.slot(*f, name_key),
            Incoming::Record(r) => Self::record_slot(r, name_key),
        }
    }

    fn replace_slot(&mut self, id: FilingId, slot: Slot) {
        self.slots[id as usize] = slot;
        self.cross.remove(&id);
    }

    pub(super) fn reserve(&mut self, n: usize) {
        self.slots.reserve(n);
    }

    pub(super) fn name_key(&self, id: FilingId) -> Option<u64> {
        let k = self.slots[id as usize].name_key;
        (k != 0).then_some(k)
    }

    pub(super) fn parse_len(&self, id: FilingId) -> usize {
        self.slots[id as usize].parse_len as usize
    }

    pub(super) fn has_lockups(&self, id: FilingId) -> bool {
        self.slots[id as usize].has_lockups
    }

    pub(super) fn form(&self, id: FilingId) -> Form {
        self.slots[id as usize].form
    }

    pub(super) fn duplicate_of(&self, id: FilingId) -> Option<FilingId> {
        let d = self.slots.get(id as usize)?.duplicate_of;
        (d != NONE).then_some(d)
    }

    pub(super) fn superseded_by(&self, id: FilingId) -> Option<FilingId> {
        let d = self.slots.get(id as usize)?.superseded_by;
        (d != NONE).then_some(d)
    }

    /// The index's cross-filing findings of a filing.
    pub(super) fn cross(&self, id: FilingId) -> &[Finding] {
        self.cross.get(&id).map(Vec::as_slice).unwrap_or_default()
    }

    /// Every filing with cross-filing findings.
    pub(super) fn with_cross(&self) -> impl Iterator<Item = FilingId> + '_ {
        self.cross.keys().copied()
    }

    /// Clear the index's marks and findings on a filing.
    pub(super) fn reset(&mut self, id: FilingId) {
        let had_cross = self.cross.remove(&id).is_some();
        let slot = &mut self.slots[id as usize];
        let changed = had_cross || slot.duplicate_of != NONE || slot.superseded_by != NONE;
        slot.duplicate_of = NONE;
        slot.superseded_by = NONE;
        if changed && !slot.bytes.is_empty() {
            slot.cached.take();
        }
        if slot.bytes.is_empty() {
            if let Some(f) = slot.cached.get_mut() {
                f.duplicate_of = None;
                f.superseded_by = None;
                f.findings.truncate(slot.parse_len as usize);
            }
        }
    }

    pub(super) fn set_duplicate_of(&mut self, id: FilingId, canon: FilingId) {
        let file = self.slots[canon as usize].file.to_string();
        let slot = &mut self.slots[id as usize];
        slot.duplicate_of = canon;
        Self::touch(slot, |f| f.duplicate_of = Some(file));
    }

    pub(super) fn set_superseded_by(&mut self, id: FilingId, by: FilingId) {
        let file = self.slots[by as usize].file.to_string();
        let slot = &mut self.slots[id as usize];
        slot.superseded_by = by;
        Self::touch(slot, |f| f.superseded_by = Some(file));
    }

    pub(super) fn push_cross(&mut self, id: FilingId, finding: Finding) {
        let slot = &mut self.slots[id as usize];
        let copy = finding.clone();
        Self::touch(slot, |f| f.findings.push(copy));
        self.cross.entry(id).or_default().push(finding);
    }

    /// A filing kept decoded is changed in place when it is its only form,
    /// else dropped to be read again with the change.
    fn touch(slot: &mut Slot, change: impl FnOnce(&mut Filing)) {
        if slot.bytes.is_empty() {
            if let Some(f) = slot.cached.get_mut() {
                change(f);
            }
        } else {
            slot.cached.take();
        }
    }
}

/// Every filing, by id.
pub struct FilingsIter<'a> {
    filings: &'a Filings,
    next: usize,
    end: usize,
}

impl<'a> Iterator for FilingsIter<'a> {
    type Item = &'a Filing;
    fn next(&mut self) -> Option<&'a Filing> {
        if self.next >= self.end {
            return None;
        }
        self.next += 1;
        self.filings.get(self.next - 1)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.end - self.next;
        (n, Some(n))
    }
}

impl DoubleEndedIterator for FilingsIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.next >= self.end {
            return None;
        }
        self.end -= 1;
        self.filings.get(self.end)
    }
}

impl ExactSizeIterator for FilingsIter<'_> {}

impl std::ops::Index<usize> for Filings {
    type Output = Filing;
    /// Panics on an id the index never handed out (a caller bug, not input).
    fn index(&self, id: usize) -> &Filing {
        match self.get(id) {
            Some(f) => f,
            None => panic!("no filing with id {id} among {}", self.len()),
        }
    }
}

impl<'a> IntoIterator for &'a Filings {
    type Item = &'a Filing;
    type IntoIter = FilingsIter<'a>;
    fn into_iter(self) -> FilingsIter<'a> {
        self.iter()
    }
}

/// A JSON array of the filings.
impl Serialize for Filings {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for id in 0..self.len() {
            if let Some(f) = self.load(id) {
                seq.serialize_element(&*f)?;
            }
        }
        seq.end()
    }
}
