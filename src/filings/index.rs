//! The index over a folder of parsed filings: issuers keyed by primary stock
//! code, each issuer's timeline, effective monthly returns, share-class
//! series, next day returns, lock-ups, and the checks that need more than one
//! filing (chain breaks, gap months, supersession, next day return vs monthly
//! return, renames that come with a break).
//!
//! Invariants:
//! - Filings are stored once, in arrival order, encoded as parsed (see
//!   [`Filings`]); a [`FilingId`] is a position in that list and never
//!   changes. Everything else holds ids.
//! - The index's marks (duplicate_of, superseded_by) and cross-filing
//!   findings are kept beside the parse, not in it: a filing read through
//!   the index has the parser's findings first and the index's after them,
//!   and recomputing replaces the index's, so it never duplicates a finding.
//! - Every mark and cross-filing finding of an issuer is a function of the
//!   *set* of its filings: decisions are made on lists sorted by file path,
//!   period and date, never by arrival order, so the order and batching of
//!   [`Index::add_batch`] do not change the result.

use crate::filings::model::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

pub type FilingId = u32;

/// One English name an issuer has used, with the first and last filing dates
/// (or periods) that carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameUse {
    pub name: String,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issuer {
    /// Primary stock code, 5 digits: the key.
    pub code: String,
    /// Latest English name used.
    pub name: String,
    pub name_zh: Option<String>,
    /// Every English name used, oldest first.
    pub names: Vec<NameUse>,
    /// Timeline: every filing (incl. duplicates, superseded), by date then period.
    pub filings: Vec<FilingId>,
    /// "YYYY-MM" -> effective monthly return.
    pub months: BTreeMap<String, FilingId>,
    /// Next day returns by date (duplicates left out).
    pub ndrs: Vec<FilingId>,
    /// Announcements by date (duplicates left out).
    pub announcements: Vec<FilingId>,
    /// Warning and error findings (parse + cross-filing) of its effective
    /// filings: neither duplicates nor superseded.
    pub finding_count: usize,
}

impl Issuer {
    fn new(code: &str) -> Issuer {
        Issuer {
            code: code.to_string(),
            name: String::new(),
            name_zh: None,
            names: Vec::new(),
            filings: Vec::new(),
            months: BTreeMap::new(),
            ndrs: Vec::new(),
            announcements: Vec::new(),
            finding_count: 0,
        }
    }
}

/// A folder's health in numbers (`hkfilings index DIR`, `--json`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Files seen: filings plus unusable files (incl. not_a_filing).
    pub files: usize,
    pub filings: usize,
    pub by_kind: BTreeMap<String, usize>,
    pub by_form: BTreeMap<String, usize>,
    pub issuers: usize,
    pub duplicates: usize,
    pub superseded: usize,
    /// error_kind -> number of files; not_a_filing is counted in `not_filings`.
    pub failures: BTreeMap<String, usize>,
    pub not_filings: usize,
    /// Finding code -> number, over every filing that is not a duplicate.
    pub findings: BTreeMap<String, usize>,
    /// Filings with no stock code filed under their issuer by its name.
    pub filed_by_name: usize,
    /// Filings with no stock code whose name is no issuer's (or several's).
    pub without_issuer: usize,
}

/// Where a walked path ended up: a filing or an unusable file.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Filing(FilingId),
    Error,
}

pub(crate) mod codec;
mod store;

use store::Incoming;
pub use store::{Filings, FilingsIter, Record, RecordHead};

#[derive(Debug, Default)]
pub struct Index {
    /// Every filing, encoded (see [`Filings`]): read back on use.
    filings: Filings,
    errors: Vec<FileError>,
    issuers: BTreeMap<String, Issuer>,
    /// Filings with no stock code: they belong to no issuer but still take
    /// part in byte-identical duplicate detection, by content hash.
    orphans: Vec<FilingId>,
    orphans_by_hash: HashMap<String, Vec<FilingId>>,
    /// Filings with no stock code filed under an issuer by name: the one
    /// issuer whose coded filings bear the same name (a return whose code
    /// the extraction lost, an announcement that prints none).
    by_name: HashMap<FilingId, String>,
    /// For each issuer name (its key's hash), the codes of the coded filings
    /// that bear it, with how many.
    codes_by_name: HashMap<u64, BTreeMap<String, u32>>,
    /// A filing's id by the hash of its path (the path itself is kept with
    /// the filing, compared on every look-up); paths whose hash another
    /// path has already are in `ids_by_path`.
    ids_by_hash: HashMap<u64, FilingId>,
    ids_by_path: HashMap<String, FilingId>,
    /// Paths whose latest entry is an error.
    error_paths: HashSet<String>,
    /// What [`Index::insert_batch`] added and [`Index::settle`] has not yet
    /// recomputed.
    pending: Touched,
}

/// What a batch changed, to recompute only that.
#[derive(Debug, Default)]
struct Touched {
    issuers: BTreeSet<String>,
    orphan_hashes: BTreeSet<String>,
    /// Issuer names (hashes) whose filings came or went: their code-less
    /// filings are filed again.
    names: BTreeSet<u64>,
    /// Filings joined or left the orphans.
    orphans: bool,
}

/// One issuer's filings read back for a recomputation, by id.
struct Loaded {
    /// (id, position in `filings`), by id.
    ids: Vec<(FilingId, usize)>,
    filings: Vec<Filing>,
}

impl Loaded {
    fn new(store: &Filings, ids: &[FilingId]) -> Loaded {
        let filings: Vec<Filing> = ids.iter().map(|&id| store.parsed(id)).collect();
        let mut by_id: Vec<(FilingId, usize)> = ids
            .iter()
            .copied()
            .enumerate()
            .map(|(i, id)| (id, i))
            .collect();
        by_id.sort_unstable();
        Loaded {
            ids: by_id,
            filings,
        }
    }

    /// One of the filings it was made with (a caller bug otherwise).
    fn get(&self, id: FilingId) -> &Filing {
        match self.ids.binary_search_by_key(&id, |p| p.0) {
            Ok(i) => &self.filings[self.ids[i].1],
            Err(_) => panic!("filing {id} was not read for this recomputation"),
        }
    }
}

impl Index {
    pub fn new() -> Index {
        Index::default()
    }

    /// An index of these entries, as if added in one batch.
    pub fn from_entries(entries: Vec<Entry>) -> Index {
        let mut ix = Index::new();
        ix.add_batch(entries);
        ix
    }

    /// Add parsed entries (any order, any batch size); updates duplicates,
    /// supersession and cross-filing checks of the touched issuers.
    ///
    /// A path seen before replaces its earlier entry (a file parsed again);
    /// an error for a path that parsed before is ignored (a good parse is
    /// never forgotten), so a filing and an error for one path leave the
    /// filing whatever their order.
    pub fn add_batch(&mut self, entries: Vec<Entry>) {
        self.insert_batch(entries);
        self.settle();
    }

    /// Add entries as [`Index::add_batch`] does, but leave the issuers they
    /// touch to the next [`Index::settle`]: a load that indexes a folder in
    /// many batches then recomputes each issuer once, not once per batch,
    /// and holds no batch back while it reads the rest. Until `settle`, the
    /// marks, cross-filing findings and issuers' derived fields of the
    /// touched issuers are stale.
    pub fn insert_batch(&mut self, entries: Vec<Entry>) {
        self.insert_records(entries, Vec::new());
    }

    /// [`Index::insert_batch`], and filings read from the warm-start cache
    /// as their records (filed by their heads, kept as they are: neither
    /// decoded nor encoded again).
    pub fn insert_records(&mut self, entries: Vec<Entry>, records: Vec<Record>) {
        let mut touched = std::mem::take(&mut self.pending);
        let mut new_errors: Vec<FileError> = Vec::new();
        let filings = entries
            .iter()
            .filter(|e| matches!(e, Entry::Filing(_)))
            .count();
        self.filings.reserve(filings + records.len());
        let mut dropped_errors: BTreeSet<String> = BTreeSet::new();
        for entry in entries {
            match entry {
                Entry::Filing(f) => {
                    self.file_one(Incoming::Parsed(f), &mut touched, &mut dropped_errors)
                }
                Entry::Error(e) => match self.slot(&e.file) {
                    Some(Slot::Filing(_)) => {}
                    Some(Slot::Error) => {
                        dropped_errors.insert(e.file.clone());
                        new_errors.push(e);
                    }
                    None => {
                        self.error_paths.insert(e.file.clone());
                        new_errors.push(e);
                    }
                },
            }
        }
        for r in records {
            self.file_one(Incoming::Record(r), &mut touched, &mut dropped_errors);
        }
        if !dropped_errors.is_empty() {
            self.errors.retain(|e| !dropped_errors.contains(&e.file));
        }
        // An error whose path parsed in the same batch is no error.
        new_errors.retain(|e| self.error_paths.contains(&e.file));
        if !new_errors.is_empty() {
            new_errors.sort_by(|a, b| a.file.cmp(&b.file));
            // A later entry for the same path wins.
            new_errors.dedup_by(|later, earlier| {
                if later.file == earlier.file {
                    std::mem::swap(later, earlier);
                    true
                } else {
                    false
                }
            });
            self.errors.extend(new_errors);
            // Two sorted runs: the stable sort merges them in linear time.
            self.errors.sort_by(|a, b| a.file.cmp(&b.file));
        }
        self.pending = touched;
    }

    /// File one filing under its path, its issuer and its text hash: in
    /// place of the filing its path had (a re-parse of a known file keeps
    /// its id), or as a new one.
    fn file_one(
        &mut self,
        f: Incoming,
        touched: &mut Touched,
        dropped_errors: &mut BTreeSet<String>,
    ) {
        let name_key = f.issuer().and_then(name_hash);
        let code = f.primary_code().map(str::to_string);
        let hash = f.content_hash().to_string();
        let file = f.file().to_string();
        match self.slot(&file) {
            Some(Slot::Filing(id)) => {
                self.detach(id, touched);
                self.filings.replace(id, f, name_key);
                self.attach(id, code.as_deref(), &hash, touched);
            }
            previous => {
                if matches!(previous, Some(Slot::Error)) {
                    self.error_paths.remove(&file);
                    dropped_errors.insert(file.clone());
                }
                let id = self.filings.len() as FilingId;
                self.set_id(&file, id);
                self.filings.push(f, name_key);
                self.attach(id, code.as_deref(), &hash, touched);
            }
        }
    }

    /// Recompute what the entries added since the last settle touched.
    pub fn settle(&mut self) {
        use rayon::prelude::*;
        let mut touched = std::mem::take(&mut self.pending);
        self.file_by_name(&mut touched);
        // Each issuer's decisions read its own filings only (a filing is
        // filed under one issuer), so once their marks are cleared they are
        // made on every core and applied in turn: after a whole folder's
        // load this is every issuer, each filing read back once.
        for code in &touched.issuers {
            if let Some(ids) = self.issuers.get(code).map(|iss| iss.filings.clone()) {
                self.reset(&ids);
            }
        }
        let codes: Vec<&String> = touched.issuers.iter().collect();
        let done: Vec<(&String, Recomputed)> = codes
            .into_par_iter()
            .filter_map(|code| Some((code, self.recompute_issuer(code)?)))
            .collect();
        for (code, r) in done {
            self.apply_issuer(code, r);
        }
        for hash in &touched.orphan_hashes {
            self.recompute_orphans(hash);
        }
        if touched.orphans {
            // By path, whatever order the loader's threads delivered them in.
            let files = &self.filings;
            self.orphans.sort_by(|&a, &b| {
                files
                    .file(a as usize)
                    .cmp(&files.file(b as usize))
                    .then(a.cmp(&b))
            });
        }
    }

    /// File filing `id` (primary stock code `code`, text hash `hash`) under
    /// its issuer, or among the orphans.
    fn attach(&mut self, id: FilingId, code: Option<&str>, hash: &str, touched: &mut Touched) {
        if let Some(k) = self.filings.name_key(id) {
            touched.names.insert(k);
            if let Some(c) = code {
                *self
                    .codes_by_name
                    .entry(k)
                    .or_default()
                    .entry(c.to_string())
                    .or_default() += 1;
            }
        }
        match code {
            Some(c) => {
                if !touched.issuers.contains(c) {
                    touched.issuers.insert(c.to_string());
                }
                match self.issuers.get_mut(c) {
                    Some(iss) => iss.filings.push(id),
                    None => {
                        let mut iss = Issuer::new(c);
                        iss.filings.push(id);
                        self.issuers.insert(c.to_string(), iss);
                    }
                }
            }
            None => self.add_orphan(id, hash, touched),
        }
    }

    /// Put filing `id` (text hash `hash`) among the orphans.
    fn add_orphan(&mut self, id: FilingId, hash: &str, touched: &mut Touched) {
        self.orphans.push(id);
        touched.orphans = true;
        if !hash.is_empty() {
            touched.orphan_hashes.insert(hash.to_string());
            self.orphans_by_hash
                .entry(hash.to_string())
                .or_default()
                .push(id);
        }
    }

    fn detach(&mut self, id: FilingId, touched: &mut Touched) {
        let f = self.filings.parsed(id);
        if let Some(k) = self.filings.name_key(id) {
            touched.names.insert(k);
            if let Some(c) = f.primary_code() {
                if let Some(codes) = self.codes_by_name.get_mut(&k) {
                    if let Some(n) = codes.get_mut(c) {
                        *n = n.saturating_sub(1);
                        if *n == 0 {
                            codes.remove(c);
                        }
                    }
                    if codes.is_empty() {
                        self.codes_by_name.remove(&k);
                    }
                }
            }
        }
        // Filed under a code: its own, or its issuer's by name.
        let code = self
            .by_name
            .remove(&id)
            .or_else(|| f.primary_code().map(str::to_string));
        match code {
            Some(c) => {
                self.drop_from_issuer(&c, id);
                touched.issuers.insert(c);
            }
            None => {
                self.orphans.retain(|&x| x != id);
                touched.orphans = true;
                if let Some(group) = self.orphans_by_hash.get_mut(&f.content_hash) {
                    group.retain(|&x| x != id);
                    touched.orphan_hashes.insert(f.content_hash.clone());
                }
            }
        }
        // The old marks and findings go with the old parse.
        self.reset(&[id]);
    }

    /// The filing with index marks set and cross-filing findings appended
    /// (read back once, then kept: see [`Filings`]).
    /// Panics on an id the index never handed out (a caller bug, not input).
    pub fn filing(&self, id: FilingId) -> &Filing {
        &self.filings[id as usize]
    }

    /// Every filing, by id.
    pub fn filings(&self) -> &Filings {
        &self.filings
    }

    /// Unusable files (incl. not_a_filing), sorted by path.
    pub fn errors(&self) -> &[FileError] {
        &self.errors
    }

    pub fn issuer(&self, code: &str) -> Option<&Issuer> {
        self.issuers.get(code)
    }

    /// Issuers by code.
    pub fn issuers(&self) -> impl Iterator<Item = &Issuer> {
        self.issuers.values()
    }

    pub fn issuer_count(&self) -> usize {
        self.issuers.len()
    }

    pub fn effective_return(&self, code: &str, period: &str) -> Option<&Filing> {
        let id = *self.issuers.get(code)?.months.get(period)?;
        self.filings.get(id as usize)
    }

    /// Periods with an effective return, ascending.
    pub fn months(&self, code: &str) -> Vec<String> {
        self.issuers
            .get(code)
            .map(|i| i.months.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// (period, class balance) for one class across every month, ascending.
    ///
    /// A single-class issuer whose key changed with the form generation (a
    /// legacy slug "ordinary-shares" before, the listed code "01149" after) is
    /// one series: in a month without the key, the month's only class is taken
    /// when the key was, in some month, the issuer's only class.
    pub fn class_series(&self, code: &str, class_key: &str) -> Vec<(String, ShareClass)> {
        let Some(iss) = self.issuers.get(code) else {
            return Vec::new();
        };
        let returns: Vec<(&String, &Filing)> = iss
            .months
            .iter()
            .filter_map(|(p, &id)| self.filings.get(id as usize).map(|f| (p, f)))
            .collect();
        let key_is_single = returns
            .iter()
            .any(|(_, f)| f.share_classes.len() == 1 && f.share_classes[0].class_key == class_key);
        returns
            .into_iter()
            .filter_map(|(p, f)| {
                let c = f.class(class_key).or_else(|| {
                    if key_is_single && f.share_classes.len() == 1 {
                        f.share_classes.first()
                    } else {
                        None
                    }
                })?;
                Some((p.clone(), c.clone()))
            })
            .collect()
    }

    /// Every lock-up undertaking in the corpus with the filing it came from
    /// (duplicates left out), by the filing's date then path.
    pub fn lockups(&self) -> Vec<(FilingId, &LockUp)> {
        let mut filings: Vec<(FilingId, &Filing)> = (0..self.filings.len() as FilingId)
            .filter(|&id| self.filings.has_lockups(id) && !self.is_duplicate(id))
            .map(|id| (id, self.filing(id)))
            .collect();
        filings
            .sort_by(|(_, fa), (_, fb)| (sort_date(fa), &fa.file).cmp(&(sort_date(fb), &fb.file)));
        filings
            .into_iter()
            .flat_map(|(id, f)| f.lockups.iter().map(move |l| (id, l)))
            .collect()
    }

    /// Next day returns of an issuer with date in (after, upto] (ISO dates;
    /// None = open end). The date is the date submitted, else the as-of date
    /// of the closing balance.
    pub fn ndrs_between(
        &self,
        code: &str,
        after: Option<&str>,
        upto: Option<&str>,
    ) -> Vec<FilingId> {
        let Some(iss) = self.issuers.get(code) else {
            return Vec::new();
        };
        iss.ndrs
            .iter()
            .copied()
            .filter(|&id| {
                let Some(f) = self.filings.load(id as usize) else {
                    return false;
                };
                let Some(d) = ndr_date(&f) else {
                    return false;
                };
                after.is_none_or(|a| d > a) && upto.is_none_or(|u| d <= u)
            })
            .collect()
    }

    /// Every next day return in the corpus (duplicates left out), by date
    /// then path: the feed of share movements across issuers.
    pub fn ndrs_by_date(&self) -> Vec<FilingId> {
        let mut keyed: Vec<(Option<String>, &str, FilingId)> = self
            .issuers
            .values()
            .flat_map(|i| i.ndrs.iter().copied())
            .map(|id| {
                let date = self
                    .filings
                    .load(id as usize)
                    .and_then(|f| ndr_date(&f).map(str::to_string));
                (date, self.filings.file(id as usize).unwrap_or_default(), id)
            })
            .collect();
        keyed.sort();
        keyed.into_iter().map(|k| k.2).collect()
    }

    /// Cross-filing findings (chain_break, gap_month, superseded,
    /// ndr_vs_monthly, ndr_chain_break, rename_with_break), each naming both files; by file path.
    pub fn cross_findings(&self) -> Vec<(FilingId, &Finding)> {
        let mut ids: Vec<FilingId> = self.filings.with_cross().collect();
        ids.sort_by(|&a, &b| {
            let file = |id: FilingId| self.filings.file(id as usize);
            file(a).cmp(&file(b)).then(a.cmp(&b))
        });
        ids.into_iter()
            .flat_map(|id| self.filings.cross(id).iter().map(move |x| (id, x)))
            .collect()
    }

    /// The parser's own findings of a filing, without the index's.
    pub fn parse_findings(&self, id: FilingId) -> &[Finding] {
        let f = self.filing(id);
        f.findings
            .get(..self.filings.parse_len(id))
            .unwrap_or(&f.findings)
    }

    pub fn stats(&self) -> Stats {
        let mut s = Stats {
            files: self.filings.len() + self.errors.len(),
            filings: self.filings.len(),
            issuers: self.issuers.len(),
            filed_by_name: self.by_name.len(),
            without_issuer: self.orphans.len(),
            ..Stats::default()
        };
        for id in 0..self.filings.len() as FilingId {
            let kind = self.filings.kind(id as usize).unwrap_or(Kind::Announcement);
            *s.by_kind.entry(kind.as_str().to_string()).or_default() += 1;
            *s.by_form
                .entry(self.filings.form(id).as_str().to_string())
                .or_default() += 1;
            if self.is_duplicate(id) {
                s.duplicates += 1;
                continue;
            }
            if self.is_superseded(id) {
                s.superseded += 1;
            }
            let parse_len = self.filings.parse_len(id);
            if parse_len > 0 {
                if let Some(f) = self.filings.load(id as usize) {
                    for x in f.findings.iter().take(parse_len) {
                        *s.findings.entry(x.code.clone()).or_default() += 1;
                    }
                }
            }
            for x in self.filings.cross(id) {
                *s.findings.entry(x.code.clone()).or_default() += 1;
            }
        }
        for e in &self.errors {
            if e.error_kind.is_failure() {
                *s.failures
                    .entry(e.error_kind.as_str().to_string())
                    .or_default() += 1;
            } else {
                s.not_filings += 1;
            }
        }
        s
    }

    pub fn is_duplicate(&self, id: FilingId) -> bool {
        self.filings.is_duplicate(id as usize)
    }

    pub fn is_superseded(&self, id: FilingId) -> bool {
        self.filings.superseded_by(id).is_some()
    }

    /// The filing this one repeats, as an id.
    pub fn duplicate_of(&self, id: FilingId) -> Option<FilingId> {
        self.filings.duplicate_of(id)
    }

    /// The id of the filing read from `file`, if it parsed.
    pub fn id_of(&self, file: &str) -> Option<FilingId> {
        let hash = xxhash_rust::xxh3::xxh3_64(file.as_bytes());
        match self.ids_by_hash.get(&hash) {
            Some(&id) if self.filings.file(id as usize) == Some(file) => Some(id),
            Some(_) => self.ids_by_path.get(file).copied(),
            None => None,
        }
    }

    /// Where a path ended up so far.
    fn slot(&self, file: &str) -> Option<Slot> {
        match self.id_of(file) {
            Some(id) => Some(Slot::Filing(id)),
            None => self.error_paths.contains(file).then_some(Slot::Error),
        }
    }

    /// Record the id of a new filing's path (whose filing is not yet stored).
    fn set_id(&mut self, file: &str, id: FilingId) {
        let hash = xxhash_rust::xxh3::xxh3_64(file.as_bytes());
        match self.ids_by_hash.entry(hash) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(id);
            }
            std::collections::hash_map::Entry::Occupied(_) => {
                self.ids_by_path.insert(file.to_string(), id);
            }
        }
    }

    /// Filings that carry no stock code and bear no issuer's name (so
    /// belong to no issuer), by path.
    pub fn orphans(&self) -> &[FilingId] {
        &self.orphans
    }

    /// The code of the issuer a filing is filed under: its own primary
    /// stock code, or, for one with none, the code of the issuer whose name
    /// it bears (None for an orphan).
    pub fn issuer_code(&self, id: FilingId) -> Option<&str> {
        match self.by_name.get(&id) {
            Some(c) => Some(c.as_str()),
            None => self.filings.get(id as usize)?.primary_code(),
        }
    }

    /// Take filing `id` out of issuer `code`'s filings; an issuer left with
    /// none goes.
    fn drop_from_issuer(&mut self, code: &str, id: FilingId) {
        if let Some(iss) = self.issuers.get_mut(code) {
            iss.filings.retain(|&x| x != id);
            if iss.filings.is_empty() {
                self.issuers.remove(code);
            }
        }
    }

    /// File code-less filings by name: one whose issuer name the coded
    /// filings of exactly one issuer bear goes under that issuer (the
    /// 01149 returns read from pdfminer's vertical-text output lose their
    /// stock code, not their issuer's name); when the name comes to belong
    /// to no issuer or to several, it goes back among the orphans. Only
    /// names whose filings came or went are looked at.
    fn file_by_name(&mut self, touched: &mut Touched) {
        if touched.names.is_empty() {
            return;
        }
        let sole = |codes: &HashMap<u64, BTreeMap<String, u32>>, k: u64| {
            codes
                .get(&k)
                .filter(|m| m.len() == 1)
                .and_then(|m| m.keys().next().cloned())
        };
        let names = &touched.names;
        let leaving: Vec<(FilingId, String)> = self
            .by_name
            .iter()
            .filter_map(|(&id, c)| {
                let k = self.filings.name_key(id)?;
                (names.contains(&k) && sole(&self.codes_by_name, k).as_ref() != Some(c))
                    .then(|| (id, c.clone()))
            })
            .collect();
        let arriving: Vec<(FilingId, String)> = self
            .orphans
            .iter()
            .filter_map(|&id| {
                let k = self.filings.name_key(id).filter(|k| names.contains(k))?;
                sole(&self.codes_by_name, k)
                    .filter(|c| self.issuers.contains_key(c))
                    .map(|c| (id, c))
            })
            .collect();
        touched.orphans |= !leaving.is_empty() || !arriving.is_empty();
        for (id, c) in leaving {
            self.by_name.remove(&id);
            self.drop_from_issuer(&c, id);
            touched.issuers.insert(c);
            self.reset(&[id]);
            let hash = self.filings.parsed(id).content_hash;
            self.add_orphan(id, &hash, touched);
        }
        let placed: HashSet<FilingId> = arriving.iter().map(|&(id, _)| id).collect();
        if !placed.is_empty() {
            self.orphans.retain(|x| !placed.contains(x));
        }
        for (id, c) in arriving {
            let hash = self.filings.parsed(id).content_hash;
            if let Some(group) = self.orphans_by_hash.get_mut(&hash) {
                group.retain(|&x| x != id);
                touched.orphan_hashes.insert(hash);
            }
            self.reset(&[id]);
            if let Some(iss) = self.issuers.get_mut(&c) {
                iss.filings.push(id);
            }
            self.by_name.insert(id, c.clone());
            touched.issuers.insert(c);
        }
        touched.names.clear();
    }

    // ---- recomputation -------------------------------------------------

    /// Clear the index's marks and findings on these filings.
    fn reset(&mut self, ids: &[FilingId]) {
        for &id in ids {
            self.filings.reset(id);
        }
    }

    /// Code-less filings with one content hash: the first by path is the
    /// canonical, the others repeat it.
    fn recompute_orphans(&mut self, hash: &str) {
        let Some(group) = self.orphans_by_hash.get(hash) else {
            return;
        };
        let mut ids = group.clone();
        if ids.is_empty() {
            self.orphans_by_hash.remove(hash);
            return;
        }
        self.reset(&ids);
        ids.sort_by(|&a, &b| {
            self.filings
                .file(a as usize)
                .cmp(&self.filings.file(b as usize))
        });
        let canon = ids[0];
        for &id in ids.iter().skip(1) {
            self.filings.set_duplicate_of(id, canon);
        }
    }

    /// One issuer's decisions and derived fields, from its filings (whose
    /// marks [`Index::settle`] cleared): read-only, so issuers are done in
    /// parallel.
    fn recompute_issuer(&self, code: &str) -> Option<Recomputed> {
        let iss = self.issuers.get(code)?;
        let ids = iss.filings.clone();
        // The issuer's filings read back as parsed, decided on, then let go.
        let loaded = Loaded::new(&self.filings, &ids);
        let d = decide(&loaded, &self.filings, ids);
        // What the marks will say once applied: supersession and
        // cross-filing findings come from this issuer's decisions alone.
        let superseded: HashSet<FilingId> = d.superseded.iter().map(|&(old, _)| old).collect();
        let cross_warnings = |id: FilingId| {
            d.cross
                .iter()
                .filter(|(c, x)| *c == id && x.level >= Level::Warning)
                .count()
        };

        // The issuer's derived fields, from its filings that are not duplicates.
        let mut names: Vec<(u64, FilingId, FilingId)> = Vec::new(); // key, first, last
        let mut latest_name: Option<FilingId> = None;
        let mut latest_zh: Option<FilingId> = None;
        let mut ndrs = Vec::new();
        let mut announcements = Vec::new();
        let mut finding_count = 0;
        for &id in &d.live {
            let f = loaded.get(id);
            if let Some(k) = self.filings.name_key(id) {
                match names.iter_mut().find(|n| n.0 == k) {
                    Some(n) => n.2 = id,
                    None => names.push((k, id, id)),
                }
                latest_name = Some(id);
            }
            if f.issuer_zh.is_some() {
                latest_zh = Some(id);
            }
            match f.kind {
                Kind::NextDayReturn => ndrs.push(id),
                Kind::Announcement => announcements.push(id),
                Kind::MonthlyReturn => {}
            }
            if !superseded.contains(&id) {
                finding_count += f
                    .findings
                    .iter()
                    .filter(|x| x.level >= Level::Warning)
                    .count()
                    + cross_warnings(id);
            }
        }
        let date = |id: FilingId| sort_date(loaded.get(id)).map(str::to_string);
        let names: Vec<NameUse> = names
            .into_iter()
            .map(|(_, first, last)| NameUse {
                name: loaded.get(first).issuer.clone().unwrap_or_default(),
                first_date: date(first),
                last_date: date(last),
            })
            .collect();
        let name = latest_name
            .and_then(|id| loaded.get(id).issuer.clone())
            .unwrap_or_default();
        let name_zh = latest_zh.and_then(|id| loaded.get(id).issuer_zh.clone());
        // Most batches leave an issuer's months as they were: keep the map then.
        let unchanged = iss.months.len() == d.months.len()
            && iss
                .months
                .iter()
                .zip(&d.months)
                .all(|((p, &a), &b)| a == b && loaded.get(b).period.as_ref() == Some(p));
        let months: Option<BTreeMap<String, FilingId>> = (!unchanged).then(|| {
            d.months
                .iter()
                .filter_map(|&id| Some((loaded.get(id).period.clone()?, id)))
                .collect()
        });
        Some(Recomputed {
            decisions: d,
            months,
            ndrs,
            announcements,
            names,
            name,
            name_zh,
            finding_count,
        })
    }

    /// Apply one issuer's [`Index::recompute_issuer`]: the filings' marks,
    /// then the issuer's fields.
    fn apply_issuer(&mut self, code: &str, r: Recomputed) {
        let d = r.decisions;
        for &(id, canon) in &d.duplicates {
            self.filings.set_duplicate_of(id, canon);
        }
        for &(old, eff) in &d.superseded {
            self.filings.set_superseded_by(old, eff);
        }
        for (id, fnd) in d.cross {
            self.filings.push_cross(id, fnd);
        }
        if let Some(iss) = self.issuers.get_mut(code) {
            iss.filings = d.timeline;
            if let Some(m) = r.months {
                iss.months = m;
            }
            iss.ndrs = r.ndrs;
            iss.announcements = r.announcements;
            iss.names = r.names;
            iss.name = r.name;
            iss.name_zh = r.name_zh;
            iss.finding_count = r.finding_count;
        }
    }
}

/// One issuer recomputed, waiting to be applied.
struct Recomputed {
    decisions: Decisions,
    months: Option<BTreeMap<String, FilingId>>,
    ndrs: Vec<FilingId>,
    announcements: Vec<FilingId>,
    names: Vec<NameUse>,
    name: String,
    name_zh: Option<String>,
    finding_count: usize,
}

/// What the index decides about one issuer's filings.
struct Decisions {
    /// Every filing, by date then period then path.
    timeline: Vec<FilingId>,
    /// The timeline less duplicates.
    live: Vec<FilingId>,
    /// (duplicate, canonical).
    duplicates: Vec<(FilingId, FilingId)>,
    /// (superseded, effective).
    superseded: Vec<(FilingId, FilingId)>,
    /// The effective monthly return of each month, ascending.
    months: Vec<FilingId>,
    cross: Vec<(FilingId, Finding)>,
}

/// Duplicates, supersession and cross-filing findings of one issuer's filings.
fn decide(loaded: &Loaded, store: &Filings, mut ids: Vec<FilingId>) -> Decisions {
    let get = |id: FilingId| loaded.get(id);

    // 1. Duplicates: byte-identical copies and re-extractions.
    let duplicates = find_duplicates(loaded, &ids);
    let mut dup_ids: Vec<FilingId> = duplicates.iter().map(|d| d.0).collect();
    dup_ids.sort_unstable();

    // 2. Timeline, by date then period then path.
    ids.sort_by(|&a, &b| {
        let (fa, fb) = (get(a), get(b));
        (sort_date(fa), &fa.period, &fa.file).cmp(&(sort_date(fb), &fb.period, &fb.file))
    });
    let live: Vec<FilingId> = ids
        .iter()
        .copied()
        .filter(|id| dup_ids.binary_search(id).is_err())
        .collect();

    // 3. Supersession: per period, the latest return is effective.
    let mut monthly: Vec<(i64, FilingId)> = live
        .iter()
        .filter_map(|&id| {
            let f = get(id);
            let p = f.period.as_deref().and_then(period_index)?;
            (f.kind == Kind::MonthlyReturn).then_some((p, id))
        })
        .collect();
    monthly
        .sort_by(|a, b| (a.0, supersession_key(get(a.1))).cmp(&(b.0, supersession_key(get(b.1)))));
    let mut months: Vec<(i64, FilingId)> = Vec::new();
    let mut superseded = Vec::new();
    let mut cross: Vec<(FilingId, Finding)> = Vec::new();
    for group in monthly.chunk_by(|a, b| a.0 == b.0) {
        let Some((&(period, eff), older)) = group.split_last() else {
            continue;
        };
        months.push((period, eff));
        let e = get(eff);
        for &(_, old) in older {
            let o = get(old);
            let why = match (e.status, &e.date, &o.date) {
                (Some(Status::Amendment), _, _) if o.status != Some(Status::Amendment) => {
                    "an amendment".to_string()
                }
                (_, Some(de), Some(dold)) if de > dold => format!("submitted later, on {de}"),
                _ if figures_read(e) > figures_read(o) => {
                    "of the same month and date, with more figures read".to_string()
                }
                _ => "a later file for the same month and date".to_string(),
            };
            let msg = format!(
                "the return for {} in {} is superseded by {} ({why})",
                period_name(period),
                o.file,
                e.file
            );
            let mut fnd = Finding::new(Level::Info, codes::SUPERSEDED, msg);
            fnd.other_file = Some(e.file.clone());
            cross.push((old, fnd));
            superseded.push((old, eff));
        }
    }

    // 4. Chain, gap and rename checks between consecutive effective returns.
    for pair in months.windows(2) {
        let [(pi, prev), (ci, cur)] = pair else {
            continue;
        };
        let (pf, cf) = (get(*prev), get(*cur));
        let breaks = balance_breaks(pf, cf);
        if ci - pi == 1 {
            for b in &breaks {
                cross.push((*cur, b.finding(pf, cf)));
            }
            cross.extend(scheme_breaks(pf, cf).into_iter().map(|f| (*cur, f)));
            cross.extend(schemes_appearing(pf, cf).into_iter().map(|f| (*cur, f)));
        } else if ci - pi > 1 {
            let missing = if ci - pi == 2 {
                period_name(pi + 1)
            } else {
                format!("{} to {}", period_name(pi + 1), period_name(ci - 1))
            };
            let mut fnd = Finding::new(
                Level::Info,
                codes::GAP_MONTH,
                format!(
                    "no return for {missing} between {} ({}) and {} ({}): balances not chained across the gap",
                    pf.file,
                    period_name(*pi),
                    cf.file,
                    period_name(*ci)
                ),
            );
            fnd.other_file = Some(pf.file.clone());
            cross.push((*cur, fnd));
        }
        let (pk, ck) = (store.name_key(*prev), store.name_key(*cur));
        if let (Some(pk), Some(ck), Some(pn), Some(cn)) = (pk, ck, &pf.issuer, &cf.issuer) {
            // Codes are reused after a delisting: a new name whose shares do
            // not continue the old issuer's (no class carries over, or a
            // balance jumps) is probably another company.
            let carried = cf
                .share_classes
                .iter()
                .any(|c| match_class(c, cf, pf).is_some());
            let no_continuity =
                !cf.share_classes.is_empty() && !pf.share_classes.is_empty() && !carried;
            if pk != ck && (!breaks.is_empty() || no_continuity) {
                let mut fnd = Finding::new(
                    Level::Warning,
                    codes::RENAME_WITH_BREAK,
                    format!(
                        "the issuer's name changed from \"{pn}\" ({}) to \"{cn}\" ({}) and the share count does not carry over: the stock code may have been reused",
                        pf.file, cf.file
                    ),
                );
                fnd.other_file = Some(pf.file.clone());
                cross.push((*cur, fnd));
            }
        }
    }

    // 5. The last next day return of each month vs that month's return.
    let mut last_ndr: BTreeMap<i64, (&str, FilingId)> = BTreeMap::new();
    for &id in &live {
        let f = get(id);
        if f.kind != Kind::NextDayReturn {
            continue;
        }
        let Some(d) = ndr_balance_date(f) else {
            continue;
        };
        let Some(month) = d.get(..7).and_then(period_index) else {
            continue;
        };
        let later = last_ndr
            .get(&month)
            .is_none_or(|&(od, oid)| (d, &f.file) > (od, &get(oid).file));
        if later {
            last_ndr.insert(month, (d, id));
        }
    }
    for (month, (_, nid)) in last_ndr {
        let Ok(at) = months.binary_search_by_key(&month, |m| m.0) else {
            continue;
        };
        let (nf, mf) = (get(nid), get(months[at].1));
        for c in &nf.share_classes {
            let Some(nclose) = c.issued.as_ref().and_then(|b| b.closing) else {
                continue;
            };
            let Some(mc) = match_class(c, nf, mf) else {
                continue;
            };
            let Some(mclose) = mc.issued.as_ref().and_then(|b| b.closing) else {
                continue;
            };
            if nclose != mclose {
                let mut fnd = Finding::new(
                    Level::Warning,
                    codes::NDR_VS_MONTHLY,
                    format!(
                        "issued shares {} at close in {} (the last next day return of {}) differ from the {} at close of the month in {} by {}",
                        group_digits(nclose),
                        nf.file,
                        period_name(month),
                        group_digits(mclose),
                        mf.file,
                        signed_digits(mclose.saturating_sub(nclose))
                    ),
                )
                .class(Some(&c.class_key))
                .at(c.issued.as_ref().and_then(|b| b.lines.get("closing").copied()));
                fnd.other_file = Some(mf.file.clone());
                cross.push((nid, fnd));
            }
        }
    }

    // 6. Each next day return's opening against the balance before it: the
    // month's return when the opening is stated at a month's end that has
    // one, else the closing of the next day return before it. A difference
    // means a change no return in the folder reports (a missing next day
    // return, or one that misstates its opening).
    let mut ndrs: Vec<(&str, FilingId)> = live
        .iter()
        .filter_map(|&id| {
            let f = get(id);
            (f.kind == Kind::NextDayReturn)
                .then(|| ndr_balance_date(f).map(|d| (d, id)))
                .flatten()
        })
        .collect();
    ndrs.sort_by(|a, b| (a.0, &get(a.1).file).cmp(&(b.0, &get(b.1).file)));
    for pair in ndrs.windows(2) {
        let [(prev_date, prev), (_, cur)] = pair else {
            continue;
        };
        let (pf, cf) = (get(*prev), get(*cur));
        for c in &cf.share_classes {
            let Some(b) = c.issued.as_ref() else {
                continue;
            };
            let Some(opening) = b.opening else {
                continue;
            };
            let stated = b.opening_as_of.as_deref();
            // An opening stated before the earlier return's balance: the two
            // returns overlap, and neither is the other's start.
            if stated.is_some_and(|d| d < *prev_date) {
                continue;
            }
            // A month's end with its return in the folder: that is the base.
            let month_end = stated.filter(|d| is_month_end(d)).and_then(|d| {
                let at = months
                    .binary_search_by_key(&period_index(d.get(..7)?)?, |m| m.0)
                    .ok()?;
                Some(months[at].1)
            });
            let (base, base_file) = match month_end {
                Some(mid) => {
                    let mf = get(mid);
                    let Some(mc) = match_class(c, cf, mf) else {
                        continue;
                    };
                    (mc.issued.as_ref().and_then(|x| x.closing), mf)
                }
                None => {
                    let Some(pc) = match_class(c, cf, pf) else {
                        continue;
                    };
                    (pc.issued.as_ref().and_then(|x| x.closing), pf)
                }
            };
            let Some(base) = base else {
                continue;
            };
            if base != opening {
                let mut fnd = Finding::new(
                    Level::Warning,
                    codes::NDR_CHAIN_BREAK,
                    format!(
                        "the opening balance of {} issued shares{} in {} differs from the {} at close in {} by {}: a change between them is in no return of the folder",
                        group_digits(opening),
                        stated.map(|d| format!(" (as at {d})")).unwrap_or_default(),
                        cf.file,
                        group_digits(base),
                        base_file.file,
                        signed_digits(opening.saturating_sub(base))
                    ),
                )
                .class(Some(&c.class_key))
                .at(b.lines.get("opening").copied());
                fnd.other_file = Some(base_file.file.clone());
                cross.push((*cur, fnd));
            }
        }
    }

    Decisions {
        timeline: ids,
        live,
        duplicates,
        superseded,
        months: months.into_iter().map(|m| m.1).collect(),
        cross,
    }
}

// ---- helpers -----------------------------------------------------------

/// The date a filing is placed by in a timeline: its date, else its period
/// ("2011-03" sorts before every day of March), else the as-of date of its
/// balances (a next day return whose submission date was not read).
fn sort_date(f: &Filing) -> Option<&str> {
    f.date
        .as_deref()
        .or(f.period.as_deref())
        .or_else(|| as_of(f))
}

/// A next day return's date: submitted, else the as-of date of a balance.
fn ndr_date(f: &Filing) -> Option<&str> {
    f.date.as_deref().or_else(|| as_of(f))
}

/// The date a next day return's closing balance is stated at: its as-of
/// date, else the date submitted.
fn ndr_balance_date(f: &Filing) -> Option<&str> {
    as_of(f).or(f.date.as_deref())
}

/// Whether an ISO date is the last day of its month.
fn is_month_end(d: &str) -> bool {
    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .ok()
        .and_then(|x| x.succ_opt())
        .is_some_and(|n| chrono::Datelike::day(&n) == 1)
}

fn as_of(f: &Filing) -> Option<&str> {
    f.share_classes
        .iter()
        .filter_map(|c| c.issued.as_ref()?.as_of.as_deref())
        .max()
}

/// Order of returns for one month: the last is effective. A later date
/// wins; on the same date an amendment wins; then the one with more figures
/// read (of two files of one day the poorer reading is likelier a damaged
/// extraction of the same return, which its lost figures kept from being
/// known as one); then the later path.
fn supersession_key(f: &Filing) -> (Option<&str>, bool, usize, &str) {
    (
        f.date.as_deref(),
        f.status == Some(Status::Amendment),
        figures_read(f),
        f.file.as_str(),
    )
}

/// How many balance figures a return's reading holds.
fn figures_read(f: &Filing) -> usize {
    let balance = |b: Option<&Balance>| {
        b.map_or(0, |b| {
            [b.opening, b.change, b.closing]
                .iter()
                .filter(|v| v.is_some())
                .count()
        })
    };
    let classes: usize = f
        .share_classes
        .iter()
        .map(|c| {
            balance(c.issued.as_ref())
                + balance(c.treasury.as_ref())
                + c.authorised.as_ref().map_or(0, |a| {
                    [a.opening, a.change, a.closing]
                        .iter()
                        .filter(|v| v.is_some())
                        .count()
                })
        })
        .sum();
    let schemes = f
        .option_schemes
        .iter()
        .map(|s| usize::from(s.opening.is_some()) + usize::from(s.closing.is_some()))
        .sum::<usize>();
    classes + schemes
}

/// "YYYY-MM" -> months since year 0.
fn period_index(p: &str) -> Option<i64> {
    let (y, m) = p.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let y: i64 = y.parse().ok()?;
    let m: i64 = m.parse().ok()?;
    if !(1..=12).contains(&m) {
        return None;
    }
    Some(y * 12 + m - 1)
}

fn period_name(i: i64) -> String {
    format!("{:04}-{:02}", i.div_euclid(12), i.rem_euclid(12) + 1)
}

/// The comparison key of a name, hashed; None for a blank name.
fn name_hash(n: &str) -> Option<u64> {
    let k = name_key(n);
    (!k.is_empty()).then(|| xxhash_rust::xxh3::xxh3_64(k.as_bytes()))
}

/// Names compared without case, spacing, punctuation or the "Limited" /
/// "Ltd." spelling, so one name read from two extractions is one name.
fn name_key(n: &str) -> String {
    // An ASCII name byte by byte (the Unicode tests and lower-casing answer
    // the same for ASCII): the cross-filing checks key every option scheme
    // of every month, and the char-by-char way was a tenth of a warm start.
    let k: String = if n.is_ascii() {
        n.bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect()
    } else {
        n.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    if let Some(s) = k.strip_suffix("limited") {
        s.to_string()
    } else if let Some(s) = k.strip_suffix("ltd") {
        s.to_string()
    } else {
        k
    }
}

fn group_digits(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

fn signed_digits(n: i64) -> String {
    if n > 0 {
        format!("+{}", group_digits(n))
    } else {
        group_digits(n)
    }
}

/// The class of `other` that continues `c` of `own`: the same class_key;
/// else the same listed stock code; else, when both filings report a single
/// class, that class (a legacy slug key against an FF301 code key).
fn match_class<'a>(c: &ShareClass, own: &Filing, other: &'a Filing) -> Option<&'a ShareClass> {
    if let Some(x) = other.class(&c.class_key) {
        return Some(x);
    }
    if let Some(code) = &c.stock_code {
        if let Some(x) = other
            .share_classes
            .iter()
            .find(|x| x.stock_code.as_ref() == Some(code))
        {
            return Some(x);
        }
    }
    if own.share_classes.len() == 1 && other.share_classes.len() == 1 {
        return other.share_classes.first();
    }
    None
}

/// One balance that does not carry over from one month to the next.
struct Break {
    class_key: String,
    what: &'static str,
    prev_closing: i64,
    opening: i64,
}

impl Break {
    fn finding(&self, prev: &Filing, cur: &Filing) -> Finding {
        let mut f = Finding::new(
            Level::Warning,
            codes::CHAIN_BREAK,
            format!(
                "{} opening {} in {} differs from the closing {} of {} in {} by {}",
                self.what,
                group_digits(self.opening),
                cur.file,
                group_digits(self.prev_closing),
                prev.period.as_deref().unwrap_or("the previous month"),
                prev.file,
                signed_digits(self.opening.saturating_sub(self.prev_closing))
            ),
        )
        .class(Some(&self.class_key));
        f.line = cur
            .class(&self.class_key)
            .and_then(|c| match self.what {
                "treasury shares" => c.treasury.as_ref(),
                _ => c.issued.as_ref(),
            })
            .and_then(|b| b.lines.get("opening").copied());
        f.other_file = Some(prev.file.clone());
        f
    }
}

/// What identifies an option scheme from month to month: its name (without
/// case, spacing or punctuation), adoption date, exercise price and class.
type SchemeKey = (String, Option<String>, Option<String>, Option<String>);

fn scheme_key(s: &OptionScheme) -> SchemeKey {
    (
        name_key(&s.scheme),
        s.adopted.clone(),
        s.exercise_price.clone(),
        s.class_key.clone(),
    )
}

/// Each option scheme of `cur` with the same scheme in `prev`: matched by
/// [`scheme_key`], or as the only scheme of both months; a key two schemes
/// of one month share is not matched.
fn matched_schemes<'a>(
    prev: &'a Filing,
    cur: &'a Filing,
) -> Vec<(&'a OptionScheme, &'a OptionScheme)> {
    let keyed = |f: &Filing| -> HashMap<SchemeKey, Option<usize>> {
        let mut seen: HashMap<SchemeKey, Option<usize>> = HashMap::new();
        for (i, s) in f.option_schemes.iter().enumerate() {
            seen.entry(scheme_key(s))
                .and_modify(|v| *v = None)
                .or_insert(Some(i));
        }
        seen
    };
    if prev.option_schemes.is_empty() || cur.option_schemes.is_empty() {
        return Vec::new();
    }
    let (pk, ck) = (keyed(prev), keyed(cur));
    let only = prev.option_schemes.len() == 1 && cur.option_schemes.len() == 1;
    let mut out = Vec::new();
    for s in &cur.option_schemes {
        let key = scheme_key(s);
        let matched = match (ck.get(&key), pk.get(&key)) {
            (Some(Some(_)), Some(Some(i))) => prev.option_schemes.get(*i),
            _ if only => prev.option_schemes.first(),
            _ => None,
        };
        if let Some(p) = matched {
            out.push((s, p));
        }
    }
    out
}

/// Option schemes of `cur` whose outstanding opening differs from the
/// closing of the same scheme in `prev` (FF301 prints both; the legacy form
/// neither).
fn scheme_breaks(prev: &Filing, cur: &Filing) -> Vec<Finding> {
    let mut out = Vec::new();
    for (s, p) in matched_schemes(prev, cur) {
        let (Some(opening), Some(closing)) = (s.opening, p.closing) else {
            continue;
        };
        if closing == opening {
            continue;
        }
        // An opening the form's arithmetic gave is only as good as the
        // closing and movements it came from: say so.
        let recovered = if s.recovered.iter().any(|r| r == "opening") {
            " (this opening was recovered from the month's closing and movements, not read)"
        } else {
            ""
        };
        out.push(scheme_finding(
            codes::CHAIN_BREAK,
            format!(
                "option scheme \"{}\": opening {} in {} differs from the closing {} of {} in {} by {}{recovered}",
                s.scheme,
                group_digits(opening),
                cur.file,
                group_digits(closing),
                prev.period.as_deref().unwrap_or("the previous month"),
                prev.file,
                signed_digits(opening.saturating_sub(closing))
            ),
            s,
            "opening",
            prev,
        ));
    }
    out
}

/// Shares issuable under a legacy scheme that appear with no grant: the
/// month before printed none (N/A, nil or 0) for the same scheme, this month
/// prints some, and no option was granted in it. (FF301 prints outstanding
/// balances, which the chain and the balance arithmetic check instead.)
fn schemes_appearing(prev: &Filing, cur: &Filing) -> Vec<Finding> {
    let mut out = Vec::new();
    for (s, p) in matched_schemes(prev, cur) {
        if s.opening.is_some() || s.closing.is_some() {
            continue;
        }
        let Some(now) = s.issuable_at_close.filter(|n| *n > 0) else {
            continue;
        };
        // None before: 0, or a nil word (not a cell lost to the extraction).
        let before = match p.issuable_at_close {
            Some(0) => "0",
            Some(_) => continue,
            None => match p.issuable_printed_as_word() {
                Some(word) => word,
                None => continue,
            },
        };
        let granted = s
            .movements
            .iter()
            .any(|m| m.kind == OptionMoveKind::Granted && m.amount > 0);
        if granted {
            continue;
        }
        out.push(scheme_finding(
            codes::ISSUER_INCONSISTENCY,
            format!(
                "option scheme \"{}\": {} shares issuable at the close of {} in {}, where {} printed none ({before}), with no option granted this month",
                s.scheme,
                group_digits(now),
                cur.period.as_deref().unwrap_or("this month"),
                cur.file,
                prev.file,
            ),
            s,
            "issuable_at_close",
            prev,
        ));
    }
    out
}

/// A warning about scheme `s` against the month before (`prev`), at the
/// line of `field` (else the scheme's own line).
fn scheme_finding(
    code: &'static str,
    message: String,
    s: &OptionScheme,
    field: &str,
    prev: &Filing,
) -> Finding {
    let mut f = Finding::new(Level::Warning, code, message).class(s.class_key.as_deref());
    f.line = s
        .lines
        .get(field)
        .or_else(|| s.lines.get("scheme"))
        .copied();
    f.other_file = Some(prev.file.clone());
    f
}

/// Balances of `cur` whose opening differs from `prev`'s closing: issued
/// shares always, treasury shares when both months report them.
fn balance_breaks(prev: &Filing, cur: &Filing) -> Vec<Break> {
    let mut out = Vec::new();
    for c in &cur.share_classes {
        let Some(p) = match_class(c, cur, prev) else {
            continue;
        };
        let pairs = [
            ("issued shares", p.issued.as_ref(), c.issued.as_ref()),
            ("treasury shares", p.treasury.as_ref(), c.treasury.as_ref()),
        ];
        for (what, pb, cb) in pairs {
            let (Some(pb), Some(cb)) = (pb, cb) else {
                continue;
            };
            if let (Some(pc), Some(co)) = (pb.closing, cb.opening) {
                if pc != co {
                    out.push(Break {
                        class_key: c.class_key.clone(),
                        what,
                        prev_closing: pc,
                        opening: co,
                    });
                }
            }
        }
    }
    out
}

/// Pairs (duplicate, canonical) among one issuer's filings. The canonical is
/// the first by path; a later file repeats it when it is the same filing
/// read again: same kind, form, period, date and status, and either the same
/// normalised text (`content_hash`) or the same figures wherever both
/// extractions could read them (a re-extraction may lose a number the other
/// kept; that is damage, not a different filing), or it is the same return
/// in the other language (English is then the canonical). Identical text
/// parses to an identical identity, so grouping by identity first loses no copy.
fn find_duplicates(loaded: &Loaded, ids: &[FilingId]) -> Vec<(FilingId, FilingId)> {
    // The identity, then English before Chinese (the official Chinese version
    // of a return repeats the English one), then the path.
    type Ident<'a> = (
        Kind,
        Form,
        Option<&'a str>,
        Option<&'a str>,
        u8,
        bool,
        &'a str,
    );
    let ident = |id: FilingId| -> Ident {
        let f = loaded.get(id);
        let status = match f.status {
            None => 0,
            Some(Status::New) => 1,
            Some(Status::Amendment) => 2,
        };
        (
            f.kind,
            f.form,
            f.period.as_deref(),
            f.date.as_deref(),
            status,
            f.language != Language::En,
            f.file.as_str(),
        )
    };
    let mut sorted: Vec<FilingId> = ids.to_vec();
    // Sorting (not hashing) keeps this allocation-free and deterministic.
    sorted.sort_by(|&a, &b| ident(a).cmp(&ident(b)).then(a.cmp(&b)));
    let mut out = Vec::new();
    let mut canon: Vec<FilingId> = Vec::new();
    for group in sorted.chunk_by(|&a, &b| {
        let (x, y) = (ident(a), ident(b));
        (x.0, x.1, x.2, x.3, x.4) == (y.0, y.1, y.2, y.3, y.4)
    }) {
        if group.len() < 2 {
            continue;
        }
        canon.clear();
        for &id in group {
            let f = loaded.get(id);
            let same = canon.iter().copied().find(|&c| {
                let g = loaded.get(c);
                (!f.content_hash.is_empty() && f.content_hash == g.content_hash)
                    || same_values(g, f)
                    || (f.language != g.language && language_versions(g, f))
            });
            match same {
                Some(c) => out.push((id, c)),
                None => canon.push(id),
            }
        }
    }
    out
}

/// Two filings of one identity in two languages: the bilingual versions of
/// one return (the 01149 archive has the official Chinese version of its
/// January 2011 monthly return beside the English one). A monthly return is
/// one per issuer, month, date and status, so its versions are one filing
/// even when the two parses disagree; a next day return is one of possibly
/// several of the day, so it is taken for another's version only when one
/// of them has no figures to tell them apart.
fn language_versions(a: &Filing, b: &Filing) -> bool {
    match a.kind {
        Kind::MonthlyReturn => true,
        Kind::NextDayReturn => !has_figures(a) || !has_figures(b),
        // Several announcements may come out on one day: the two languages
        // of one are told by their lock-ups, the same periods (the names
        // are written in two scripts).
        Kind::Announcement => !a.lockups.is_empty() && periods(a) == periods(b),
    }
}

/// An announcement's lock-ups as periods and kinds, in one order.
fn periods(f: &Filing) -> Vec<(Option<&str>, Option<&str>, u8)> {
    let mut v: Vec<_> = f
        .lockups
        .iter()
        .map(|l| (l.start.as_deref(), l.end.as_deref(), l.kind as u8))
        .collect();
    v.sort_unstable();
    v
}

/// Whether any balance, scheme or movement figure was read.
fn has_figures(f: &Filing) -> bool {
    let bal = |b: &Option<Balance>| {
        b.as_ref()
            .is_some_and(|b| b.opening.is_some() || b.closing.is_some())
    };
    f.share_classes
        .iter()
        .any(|c| bal(&c.issued) || bal(&c.treasury))
        || !f.option_schemes.is_empty()
        || !f.movements.is_empty()
        || !f.other_movements.is_empty()
        || !f.other_issues.is_empty()
}

/// Equal where both are known.
fn agree<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

fn balances_agree(a: Option<&Balance>, b: Option<&Balance>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => {
            agree(&x.opening, &y.opening)
                && agree(&x.change, &y.change)
                && agree(&x.closing, &y.closing)
        }
        _ => true,
    }
}

fn authorised_agree(a: Option<&Authorised>, b: Option<&Authorised>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => {
            agree(&x.opening, &y.opening)
                && agree(&x.change, &y.change)
                && agree(&x.closing, &y.closing)
        }
        _ => true,
    }
}

/// The figures of two filings with the same identity agree: share classes'
/// balances, option schemes, movements, lock-ups; not lines or file names.
fn same_values(a: &Filing, b: &Filing) -> bool {
    if a.kind == Kind::Announcement {
        // Announcements carry few figures: two of one day are one only when
        // they also share a headline and the same lock-ups.
        // (In any order: two extractions may list them differently.)
        let titled = a.title.is_some() && a.title == b.title;
        let mut unmatched: Vec<&LockUp> = b.lockups.iter().collect();
        return titled
            && a.lockups.len() == b.lockups.len()
            && a.lockups.iter().all(|x| {
                let at = unmatched.iter().position(|y| {
                    x.party == y.party && x.end == y.end && agree(&x.share_count, &y.share_count)
                });
                at.map(|at| unmatched.swap_remove(at)).is_some()
            });
    }
    // Two returns with no figures read give no evidence of being one filing.
    if !has_figures(a) || !has_figures(b) {
        return false;
    }
    if a.share_classes.len() != b.share_classes.len() {
        return false;
    }
    let classes_agree = a.share_classes.iter().all(|c| {
        let Some(d) = match_class(c, a, b) else {
            return false;
        };
        balances_agree(c.issued.as_ref(), d.issued.as_ref())
            && balances_agree(c.treasury.as_ref(), d.treasury.as_ref())
            && authorised_agree(c.authorised.as_ref(), d.authorised.as_ref())
    });
    if !classes_agree {
        return false;
    }
    let schemes = a.option_schemes.len() == b.option_schemes.len()
        && a.option_schemes
            .iter()
            .zip(&b.option_schemes)
            .all(|(x, y)| {
                agree(&x.opening, &y.opening)
                    && agree(&x.closing, &y.closing)
                    && agree(&x.new_shares_issued, &y.new_shares_issued)
                    && x.movements.len() == y.movements.len()
                    && x.movements
                        .iter()
                        .zip(&y.movements)
                        .all(|(m, n)| m.kind == n.kind && m.amount == n.amount)
            });
    let moves = |x: &[OtherMovement], y: &[OtherMovement]| {
        x.len() == y.len()
            && x.iter()
                .zip(y)
                .all(|(m, n)| m.kind == n.kind && agree(&m.amount, &n.amount))
    };
    let ndr_moves = a.movements.len() == b.movements.len()
        && a.movements.iter().zip(&b.movements).all(|(m, n)| {
            m.kind == n.kind && agree(&m.amount, &n.amount) && agree(&m.date, &n.date)
        });
    schemes
        && moves(&a.other_issues, &b.other_issues)
        && moves(&a.other_movements, &b.other_movements)
        && ndr_moves
}

/// The human-readable health report of a folder (`hkfilings index DIR`).
pub fn report_text(stats: &Stats, elapsed: std::time::Duration) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let failures: usize = stats.failures.values().sum();
    let _ = writeln!(
        s,
        "{} files: {} filings, {} unusable, {} not filings",
        stats.files, stats.filings, failures, stats.not_filings
    );
    let _ = writeln!(s, "{} issuers", stats.issuers);
    let list = |m: &BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !stats.by_kind.is_empty() {
        let _ = writeln!(s, "by kind: {}", list(&stats.by_kind));
    }
    if !stats.by_form.is_empty() {
        let _ = writeln!(s, "by form: {}", list(&stats.by_form));
    }
    let _ = writeln!(
        s,
        "{} duplicates (copies and re-extractions), {} superseded returns",
        stats.duplicates, stats.superseded
    );
    if stats.filed_by_name + stats.without_issuer > 0 {
        let _ = writeln!(
            s,
            "{} filings without a stock code: {} filed under their issuer by its name, {} under no issuer",
            stats.filed_by_name + stats.without_issuer,
            stats.filed_by_name,
            stats.without_issuer
        );
    }
    if !stats.failures.is_empty() {
        let _ = writeln!(s, "failures: {}", list(&stats.failures));
    }
    if stats.findings.is_empty() {
        let _ = writeln!(s, "no findings");
    } else {
        let _ = writeln!(s, "findings:");
        let width = stats.findings.keys().map(|k| k.len()).max().unwrap_or(0);
        for (code, n) in &stats.findings {
            let _ = writeln!(s, "  {code:<width$} {n}");
        }
    }
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 {
        stats.files as f64 / secs
    } else {
        0.0
    };
    let _ = writeln!(s, "took {secs:.2} s ({rate:.0} files/s)");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The byte-by-byte key of an ASCII name is the char-by-char one.
        #[test]
        fn name_key_of_ascii_is_the_unicode_key(n in "[ -~]{0,24}(Limited|Ltd|LTD)?") {
            let slow: String = n
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            let slow = slow
                .strip_suffix("limited")
                .or_else(|| slow.strip_suffix("ltd"))
                .unwrap_or(&slow)
                .to_string();
            proptest::prop_assert_eq!(name_key(&n), slow);
        }
    }

    #[test]
    fn name_key_ignores_case_spacing_punctuation_and_limited() {
        assert_eq!(name_key("Lumen Holdings Co., Ltd."), "lumenholdingsco");
        assert_eq!(name_key("LUMEN HOLDINGS CO LIMITED"), "lumenholdingsco");
        assert_eq!(name_key("Ünïcode Grüppe Limited"), "ünïcodegrüppe");
    }

    fn filing(file: &str, code: &str) -> Entry {
        let mut f = Filing::new(file, Kind::MonthlyReturn, Form::Ff301V12);
        f.stock_codes = vec![code.to_string()];
        f.period = Some("2024-03".to_string());
        Entry::Filing(Box::new(f))
    }

    #[test]
    fn two_paths_with_one_hash_keep_their_own_ids() {
        let mut ix = Index::new();
        ix.add_batch(vec![filing("a.txt", "00001")]);
        // Make "b.txt" collide with "a.txt": its hash already names a's id.
        let hash_b = xxhash_rust::xxh3::xxh3_64(b"b.txt");
        ix.ids_by_hash.insert(hash_b, 0);
        assert_eq!(ix.id_of("b.txt"), None);
        ix.add_batch(vec![filing("b.txt", "00002")]);
        assert_eq!(ix.id_of("a.txt"), Some(0));
        assert_eq!(ix.id_of("b.txt"), Some(1));
        assert_eq!(ix.filing(1).file, "b.txt");
        // Read again: replaced in place, not added.
        ix.add_batch(vec![filing("b.txt", "00003")]);
        assert_eq!(ix.filings().len(), 2);
        assert!(ix.issuer("00002").is_none());
        assert_eq!(ix.id_of("b.txt"), Some(1));
        assert_eq!(ix.id_of("c.txt"), None);
    }

    #[test]
    fn a_path_that_failed_then_parsed_is_a_filing_only() {
        let mut ix = Index::new();
        let err = |file: &str| {
            Entry::Error(FileError {
                file: file.to_string(),
                error: "cannot read".to_string(),
                error_kind: ErrorKind::Unreadable,
            })
        };
        ix.add_batch(vec![err("a.txt"), err("b.txt")]);
        assert_eq!(ix.errors().len(), 2);
        ix.add_batch(vec![filing("a.txt", "00001"), err("a.txt")]);
        assert_eq!(ix.id_of("a.txt"), Some(0));
        let left: Vec<&str> = ix.errors().iter().map(|e| e.file.as_str()).collect();
        assert_eq!(left, vec!["b.txt"]);
    }
}
