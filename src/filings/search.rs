//! Fuzzy search over everything the index knows: issuer names (English,
//! Chinese, former), stock codes (multi-counter codes too), option scheme
//! names, lock-up parties and their entities, and announcement titles.
//!
//! Each searchable thing is a *key*: a label as shown, a normalised form it is
//! matched on, its kind, and the target it leads to. Keys are matched with
//! fuzzy-matcher's `SkimMatcherV2` (subsequence matching with bonuses for word
//! starts and runs). Matching happens on the normalised form (lowercase,
//! apostrophes dropped, other punctuation turned into spaces) so that
//! "tang xiao" finds "Prof. Tang Xiao'ou"; matched positions are mapped back
//! to the label's characters for highlighting.
//!
//! The key list grows as the loader's batches arrive: `SearchIndex::refresh`
//! adds the keys of new filings, replaces those of a filing parsed again or
//! newly marked a duplicate, and rebuilds only the issuer keys whose names or
//! codes changed. Key ids stay stable between refreshes (replaced keys are
//! marked dead) until a compaction, which bumps `generation`. Scheme keys
//! are one per (issuer, scheme name) and are never removed by a refresh.

use crate::filings::index::{FilingId, Index};
use crate::filings::model::{Filing, Kind};
use crate::filings::parse::values::hk_code;
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use rayon::prelude::*;
use serde::Serialize;
use std::cmp::Ordering as CmpOrdering;
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};

/// Where a hit leads.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Target {
    /// The issuer's page (names, codes).
    Issuer { code: String },
    /// An option scheme in the latest month that reports it.
    Scheme {
        code: String,
        period: String,
        scheme: String,
    },
    /// One lock-up undertaking: `index` into the filing's `lockups`.
    LockUp { filing: FilingId, index: usize },
    /// An announcement.
    Announcement { filing: FilingId },
    /// Any other filing as a whole (for keys that name a filing, not a part of it).
    Filing { filing: FilingId },
}

/// What a hit is. The declaration order is the tie-break priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultKind {
    Issuer,
    FormerName,
    Code,
    Scheme,
    Person,
    Entity,
    Announcement,
}

impl ResultKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ResultKind::Issuer => "issuer",
            ResultKind::FormerName => "former_name",
            ResultKind::Code => "code",
            ResultKind::Scheme => "scheme",
            ResultKind::Person => "person",
            ResultKind::Entity => "entity",
            ResultKind::Announcement => "announcement",
        }
    }
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub kind: ResultKind,
    /// The text that matched, as printed in the filing.
    pub label: String,
    /// Higher is better; only meaningful within one query.
    pub score: i64,
    /// Stock code of the issuer the hit belongs to.
    pub issuer: Option<String>,
    /// Context for a list row: the issuer's name, the announcement date...
    pub detail: String,
    pub target: Target,
    /// Matched positions in `label`, counted in chars (not bytes).
    pub indices: Vec<usize>,
    /// The key's id in its `SearchIndex` (valid for the index's `generation`).
    pub key: usize,
}

/// Score added when a query is exactly a stock code, a digit-only one once
/// padded to five digits: typing "20" means issuer 00020, whatever names
/// contain a 2 and a 0.
const EXACT_CODE_BONUS: i64 = 100_000;
/// Score added when the query is the whole normalised label.
const EXACT_LABEL_BONUS: i64 = 1_000;
/// Keys per cancellation check and per parallel chunk.
const CANCEL_EVERY: usize = 1024;
const PAR_CHUNK: usize = 4096;
/// Below this many candidates a single thread is faster than rayon's fan-out.
const PAR_THRESHOLD: usize = 16_384;

struct Key {
    label: String,
    /// Normalised label (see `normalise`): what the matcher sees.
    norm: String,
    kind: ResultKind,
    issuer: Option<String>,
    detail: String,
    target: Target,
    live: bool,
}

/// The keys an issuer's own record yields, and what they were built from, so
/// a refresh rebuilds them only when a batch changed the issuer's names or codes.
struct IssuerBlock {
    signature: String,
    ids: Vec<usize>,
}

/// A filing as its keys saw it: a re-parse (same id, new content) or a
/// change of duplicate mark replaces its keys.
#[derive(Default)]
struct FilingState {
    /// The filing's [`Filings::stamp`](crate::filings::index::Filings::stamp)
    /// when its keys were made.
    stamp: u64,
    duplicate: bool,
    ids: Vec<usize>,
}

/// The search keys of an index.
pub struct SearchIndex {
    keys: Vec<Key>,
    dead: usize,
    generation: u64,
    /// Per filing id: what its keys were built from, and the keys.
    filings: Vec<FilingState>,
    issuers: HashMap<String, IssuerBlock>,
    /// Hong Kong codes other than the primary one, per issuer (multi-counter codes).
    extra_codes: HashMap<String, BTreeSet<String>>,
    /// (issuer code, normalised scheme name) -> key id: one key per scheme, not per month.
    schemes: HashMap<(String, String), usize>,
    /// Per issuer code, the words a query's other terms may name it by:
    /// its code and the words of its normalised name ("lotus 776").
    contexts: HashMap<String, Vec<String>>,
    /// Bumped when an issuer's words change (a rename, an issuer gone): a
    /// key's word-by-word match may change with them, so a search cannot
    /// narrow across it.
    contexts_changed: u64,
    matcher: SkimMatcherV2,
}

impl Default for SearchIndex {
    fn default() -> Self {
        SearchIndex {
            keys: Vec::new(),
            dead: 0,
            generation: 0,
            filings: Vec::new(),
            issuers: HashMap::new(),
            extra_codes: HashMap::new(),
            schemes: HashMap::new(),
            contexts: HashMap::new(),
            contexts_changed: 0,
            // Keys and queries are lowercased already; ignoring case also
            // avoids smart-case turning case-sensitive on a query like "HK".
            matcher: SkimMatcherV2::default().ignore_case(),
        }
    }
}

impl SearchIndex {
    /// Every key of `index`.
    pub fn build(index: &Index) -> SearchIndex {
        let mut s = SearchIndex::default();
        s.refresh(index);
        s
    }

    /// Bring the keys up to date after `index` received more batches. Costs
    /// one comparison per filing and per issuer plus the new keys.
    pub fn refresh(&mut self, index: &Index) {
        let filings = index.filings();
        if filings.len() < self.filings.len() {
            // Not the index these keys came from: start over.
            let generation = self.generation + 1;
            *self = SearchIndex::default();
            self.generation = generation;
        }
        // Only new and changed filings are read (and none is kept decoded).
        for pos in 0..filings.len() {
            let Ok(id) = FilingId::try_from(pos) else {
                break;
            };
            let stamp = filings.stamp(pos).unwrap_or_default();
            let duplicate = filings.is_duplicate(pos);
            if let Some(state) = self.filings.get(pos) {
                if state.stamp == stamp && state.duplicate == duplicate {
                    continue;
                }
            }
            let old = match self.filings.get_mut(pos) {
                Some(state) => std::mem::take(&mut state.ids),
                None => Vec::new(),
            };
            for kid in old {
                self.kill(kid);
            }
            // A duplicate's keys would only repeat its original's.
            let ids = match filings.load(pos) {
                Some(f) if !duplicate => self.add_filing(id, &f),
                _ => Vec::new(),
            };
            let state = FilingState {
                stamp,
                duplicate,
                ids,
            };
            match self.filings.get_mut(pos) {
                Some(slot) => *slot = state,
                None => self.filings.push(state),
            }
        }
        for issuer in index.issuers() {
            let extra = self.extra_codes.get(&issuer.code);
            let signature = issuer_signature(issuer, extra);
            if self
                .issuers
                .get(&issuer.code)
                .is_some_and(|b| b.signature == signature)
            {
                continue;
            }
            let old = self.issuers.remove(&issuer.code);
            if let Some(old) = old {
                for id in old.ids {
                    self.kill(id);
                }
            }
            let ids = self.add_issuer(issuer);
            self.issuers
                .insert(issuer.code.clone(), IssuerBlock { signature, ids });
            let mut words = vec![issuer.code.clone()];
            words.extend(normalise(&issuer.name, None).split(' ').map(str::to_string));
            if let Some(old) = self.contexts.insert(issuer.code.clone(), words) {
                if self.contexts.get(&issuer.code) != Some(&old) {
                    self.contexts_changed += 1;
                }
            }
        }
        // An issuer can vanish when its only file is parsed again under another code.
        let gone: Vec<String> = self
            .issuers
            .keys()
            .filter(|code| index.issuer(code).is_none())
            .cloned()
            .collect();
        for code in gone {
            if self.contexts.remove(&code).is_some() {
                self.contexts_changed += 1;
            }
            if let Some(block) = self.issuers.remove(&code) {
                for id in block.ids {
                    self.kill(id);
                }
            }
        }
        if self.dead > 4096 && self.dead > self.keys.len() / 2 {
            self.compact();
        }
    }

    /// Number of keys searched (live ones).
    pub fn keys_len(&self) -> usize {
        self.keys.len() - self.dead
    }

    /// Bumped whenever key ids change meaning (compaction, rebuild).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The best `limit` hits for `query`, best first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let never = AtomicBool::new(false);
        self.search_cancellable(query, limit, &never)
            .unwrap_or_default()
    }

    /// As `search`, but returns None as soon as `cancel` is set (checked
    /// every thousand keys or so), so a newer keystroke can take over.
    pub fn search_cancellable(
        &self,
        query: &str,
        limit: usize,
        cancel: &AtomicBool,
    ) -> Option<Vec<Hit>> {
        let pattern = Pattern::new(query)?;
        let matched = self.matches(&pattern, Candidates::All, cancel)?;
        Some(self.top(&pattern, matched, limit))
    }

    /// Search only the keys `within` (key ids, e.g. the `key` of every hit
    /// of an unlimited earlier search); a `Searcher` does this bookkeeping.
    pub fn search_within(
        &self,
        query: &str,
        within: &[usize],
        limit: usize,
        cancel: &AtomicBool,
    ) -> Option<Vec<Hit>> {
        let pattern = Pattern::new(query)?;
        let matched = self.matches(&pattern, Candidates::Some(within, self.keys.len()), cancel)?;
        Some(self.top(&pattern, matched, limit))
    }

    fn kill(&mut self, id: usize) {
        if let Some(k) = self.keys.get_mut(id) {
            if k.live {
                k.live = false;
                self.dead += 1;
            }
        }
    }

    fn compact(&mut self) {
        let mut remap = vec![usize::MAX; self.keys.len()];
        let mut kept = Vec::with_capacity(self.keys.len() - self.dead);
        for (old, key) in std::mem::take(&mut self.keys).into_iter().enumerate() {
            if key.live {
                if let Some(slot) = remap.get_mut(old) {
                    *slot = kept.len();
                }
                kept.push(key);
            }
        }
        let at = |id: usize| remap.get(id).copied().unwrap_or(usize::MAX);
        for block in self.issuers.values_mut() {
            block.ids = block.ids.iter().map(|&i| at(i)).collect();
        }
        for state in &mut self.filings {
            state.ids = state.ids.iter().map(|&i| at(i)).collect();
        }
        for id in self.schemes.values_mut() {
            *id = at(*id);
        }
        self.keys = kept;
        self.dead = 0;
        self.generation += 1;
    }

    fn push(
        &mut self,
        label: &str,
        kind: ResultKind,
        issuer: Option<&str>,
        detail: String,
        target: Target,
    ) -> Option<usize> {
        let label = label.trim();
        let norm = normalise(label, None);
        if norm.is_empty() {
            return None;
        }
        self.keys.push(Key {
            label: label.to_string(),
            norm,
            kind,
            issuer: issuer.map(str::to_string),
            detail,
            target,
            live: true,
        });
        Some(self.keys.len() - 1)
    }

    /// Keys of one filing: its schemes, lock-up parties, announcement title;
    /// and note any extra Hong Kong codes for its issuer's block.
    fn add_filing(&mut self, id: FilingId, f: &Filing) -> Vec<usize> {
        let mut ids = Vec::new();
        let code = f.primary_code().map(str::to_string);
        let name = f.issuer.clone().unwrap_or_default();
        let who = match &code {
            Some(c) if !name.is_empty() => format!("{c} {name}"),
            Some(c) => c.clone(),
            None => name.clone(),
        };
        if let Some(code) = &code {
            let extra: BTreeSet<String> = f
                .stock_codes
                .iter()
                .skip(1)
                .cloned()
                .chain(f.share_classes.iter().flat_map(|c| {
                    c.stock_code
                        .iter()
                        .filter_map(|s| hk_code(s))
                        .chain(c.multi_counter.iter().filter_map(|m| {
                            // Multi-counter codes may carry their currency: "80020 RMB".
                            m.split_whitespace().next().and_then(hk_code)
                        }))
                        // Another exchange's code (A shares "000333") finds the issuer too.
                        .chain(c.other_code.iter().filter_map(|o| {
                            let o = o.trim();
                            (!o.is_empty() && o.bytes().all(|b| b.is_ascii_digit()))
                                .then(|| o.to_string())
                        }))
                }))
                .filter(|c| c != code)
                .collect();
            if !extra.is_empty() {
                self.extra_codes
                    .entry(code.clone())
                    .or_default()
                    .extend(extra);
            }
        }

        if let (Kind::MonthlyReturn, Some(code), Some(period)) = (f.kind, &code, &f.period) {
            for s in &f.option_schemes {
                let norm = normalise(&s.scheme, None);
                if norm.is_empty() {
                    continue;
                }
                let slot = (code.clone(), norm);
                if let Some(&kid) = self.schemes.get(&slot) {
                    // One key per scheme, leading to the latest month reporting it.
                    if let Some(Target::Scheme { period: p, .. }) =
                        self.keys.get_mut(kid).map(|k| &mut k.target)
                    {
                        if period.as_str() > p.as_str() {
                            *p = period.clone();
                        }
                    }
                    continue;
                }
                let target = Target::Scheme {
                    code: code.clone(),
                    period: period.clone(),
                    scheme: s.scheme.clone(),
                };
                if let Some(kid) = self.push(
                    &s.scheme,
                    ResultKind::Scheme,
                    Some(code),
                    who.clone(),
                    target,
                ) {
                    self.schemes.insert(slot, kid);
                }
            }
        }

        let date = f.date.clone().unwrap_or_default();
        if f.kind == Kind::Announcement {
            if let Some(title) = &f.title {
                let detail = format!("{who} {date}").trim().to_string();
                ids.extend(self.push(
                    title,
                    ResultKind::Announcement,
                    code.as_deref(),
                    detail,
                    Target::Announcement { filing: id },
                ));
            }
        }
        for (i, l) in f.lockups.iter().enumerate() {
            let period = match (&l.start, &l.end) {
                (Some(s), Some(e)) => format!(", {s} to {e}"),
                (None, Some(e)) => format!(", until {e}"),
                (Some(s), None) => format!(", from {s}"),
                (None, None) => String::new(),
            };
            let target = Target::LockUp {
                filing: id,
                index: i,
            };
            let detail = format!("lock-up, {who}{period}");
            ids.extend(self.push(
                &l.party,
                ResultKind::Person,
                code.as_deref(),
                detail,
                target.clone(),
            ));
            if let Some(entity) = &l.entity {
                let detail = format!("controlled by {}, lock-up, {who}{period}", l.party.trim());
                ids.extend(self.push(entity, ResultKind::Entity, code.as_deref(), detail, target));
            }
        }
        ids
    }

    /// Keys of an issuer's own record: names, Chinese name, former names, codes.
    fn add_issuer(&mut self, issuer: &crate::filings::index::Issuer) -> Vec<usize> {
        let code = issuer.code.as_str();
        let target = || Target::Issuer {
            code: code.to_string(),
        };
        let mut ids = Vec::new();
        ids.extend(self.push(
            &issuer.name,
            ResultKind::Issuer,
            Some(code),
            code.to_string(),
            target(),
        ));
        if let Some(zh) = &issuer.name_zh {
            ids.extend(self.push(
                zh,
                ResultKind::Issuer,
                Some(code),
                code.to_string(),
                target(),
            ));
        }
        let current = normalise(&issuer.name, None);
        let mut former_seen = BTreeSet::new();
        for n in &issuer.names {
            let norm = normalise(&n.name, None);
            if norm == current || !former_seen.insert(norm) {
                continue;
            }
            let until = n
                .last_date
                .as_deref()
                .map(|d| format!(" (until {d})"))
                .unwrap_or_default();
            let detail = format!("former name of {code} {}{until}", issuer.name);
            ids.extend(self.push(
                &n.name,
                ResultKind::FormerName,
                Some(code),
                detail,
                target(),
            ));
        }
        let mut codes = vec![code.to_string()];
        if let Some(extra) = self.extra_codes.get(code) {
            codes.extend(extra.iter().cloned());
        }
        for c in codes {
            let detail = issuer.name.clone();
            ids.extend(self.push(&c, ResultKind::Code, Some(code), detail, target()));
        }
        ids
    }

    /// Every key matching `pattern` among `candidates`, with its score; None when cancelled.
    fn matches(
        &self,
        pattern: &Pattern,
        candidates: Candidates,
        cancel: &AtomicBool,
    ) -> Option<Vec<(i64, usize)>> {
        // Keys are visited in place (no list of ids for a full scan); each
        // chunk checks the cancel flag every CANCEL_EVERY keys.
        let scan_range = |start: usize, keys: &[Key]| -> Option<Vec<(i64, usize)>> {
            let mut out = Vec::new();
            for (n, key) in keys.iter().enumerate() {
                if n % CANCEL_EVERY == 0 && cancel.load(Ordering::Relaxed) {
                    return None;
                }
                if let Some(s) = self.score(key, pattern) {
                    out.push((s, start + n));
                }
            }
            Some(out)
        };
        let scan_ids = |ids: &[usize]| -> Option<Vec<(i64, usize)>> {
            let mut out = Vec::new();
            for (n, &id) in ids.iter().enumerate() {
                if n % CANCEL_EVERY == 0 && cancel.load(Ordering::Relaxed) {
                    return None;
                }
                if let Some(s) = self.keys.get(id).and_then(|k| self.score(k, pattern)) {
                    out.push((s, id));
                }
            }
            Some(out)
        };
        let flatten = |parts: Option<Vec<Vec<(i64, usize)>>>| -> Option<Vec<(i64, usize)>> {
            Some(parts?.into_iter().flatten().collect())
        };
        match candidates {
            Candidates::All if self.keys.len() < PAR_THRESHOLD => scan_range(0, &self.keys),
            Candidates::All => flatten(
                self.keys
                    .par_chunks(PAR_CHUNK)
                    .enumerate()
                    .map(|(c, keys)| scan_range(c * PAR_CHUNK, keys))
                    .collect(),
            ),
            Candidates::Some(within, seen) => {
                let mut out = if within.len() < PAR_THRESHOLD {
                    scan_ids(within)?
                } else {
                    flatten(within.par_chunks(PAR_CHUNK).map(scan_ids).collect())?
                };
                let seen = seen.min(self.keys.len());
                out.extend(scan_range(seen, self.keys.get(seen..).unwrap_or_default())?);
                Some(out)
            }
        }
    }

    fn score(&self, key: &Key, p: &Pattern) -> Option<i64> {
        if !key.live {
            return None;
        }
        if !is_subsequence(&p.norm, &key.norm) {
            return self.terms_score(key, p);
        }
        let mut s = self.matcher.fuzzy_match(&key.norm, &p.norm)?;
        if key.kind == ResultKind::Code
            && (p.code.as_deref() == Some(key.norm.as_str()) || p.norm == key.norm)
        {
            s += EXACT_CODE_BONUS;
        }
        if key.norm.chars().filter(|c| *c != ' ').eq(p.norm.chars()) {
            s += EXACT_LABEL_BONUS;
        }
        Some(s)
    }

    /// A query of several words that the key's label does not hold as a
    /// whole: each word must be in the label (as it is typed) or name the
    /// key's issuer (a word of its name starting with it, or its stock code
    /// holding it), and one at least must be in the label: "lotus 776"
    /// finds issuer 00776's code and its name, "sensetime esop" its scheme.
    fn terms_score(&self, key: &Key, p: &Pattern) -> Option<i64> {
        if p.terms.len() < 2 {
            return None;
        }
        // One word at least must stand in the label: most keys hold none,
        // and are turned down here before their issuer's words are looked up.
        if !p.terms.iter().any(|t| key.norm.contains(t.as_str())) {
            return None;
        }
        let context = key.issuer.as_ref().and_then(|c| self.contexts.get(c));
        let mut score = 0;
        let mut in_label = false;
        for t in &p.terms {
            // Word by word, a word must stand in the label whole: scattered
            // letters of a short word are in most long labels.
            if key.norm.contains(t.as_str()) {
                if let Some(s) = self.matcher.fuzzy_match(&key.norm, t) {
                    score += s;
                    in_label = true;
                    continue;
                }
            }
            let names = context.is_some_and(|words| {
                words.iter().enumerate().any(|(i, w)| {
                    // words[0] is the code: held anywhere; name words by their start.
                    if i == 0 {
                        w.contains(t.as_str())
                    } else {
                        w.starts_with(t.as_str())
                    }
                })
            });
            if !names {
                return None;
            }
            score += 10;
        }
        in_label.then_some(score)
    }

    /// Sort matches (score, then kind priority, then label, then key id, so
    /// equal scores come out in the same order every time) and make the first
    /// `limit` into hits with highlight positions.
    fn top(&self, pattern: &Pattern, mut matched: Vec<(i64, usize)>, limit: usize) -> Vec<Hit> {
        let order = |a: &(i64, usize), b: &(i64, usize)| -> CmpOrdering {
            let (ka, kb) = (self.keys.get(a.1), self.keys.get(b.1));
            b.0.cmp(&a.0)
                .then_with(|| ka.map(|k| k.kind).cmp(&kb.map(|k| k.kind)))
                .then_with(|| ka.map(|k| &k.label).cmp(&kb.map(|k| &k.label)))
                .then_with(|| a.1.cmp(&b.1))
        };
        if limit == 0 {
            return Vec::new();
        }
        if matched.len() > limit {
            matched.select_nth_unstable_by(limit - 1, order);
            matched.truncate(limit);
        }
        matched.sort_unstable_by(order);
        matched
            .into_iter()
            .filter_map(|(score, id)| {
                let key = self.keys.get(id)?;
                Some(Hit {
                    kind: key.kind,
                    label: key.label.clone(),
                    score,
                    issuer: key.issuer.clone(),
                    detail: key.detail.clone(),
                    target: key.target.clone(),
                    indices: self.label_indices(key, pattern),
                    key: id,
                })
            })
            .collect()
    }

    /// Matched char positions of the label (the matcher reports positions in
    /// the normalised text; `normalise` with a map takes them back).
    fn label_indices(&self, key: &Key, p: &Pattern) -> Vec<usize> {
        let positions = match self.matcher.fuzzy_indices(&key.norm, &p.norm) {
            Some((_, positions)) => positions,
            // Matched word by word: the words found in the label.
            None => {
                let mut all: Vec<usize> = p
                    .terms
                    .iter()
                    .filter_map(|t| self.matcher.fuzzy_indices(&key.norm, t))
                    .flat_map(|(_, pos)| pos)
                    .collect();
                all.sort_unstable();
                all.dedup();
                all
            }
        };
        let mut map = Vec::new();
        normalise(&key.label, Some(&mut map));
        let mut out: Vec<usize> = positions
            .into_iter()
            .filter_map(|i| map.get(i).copied())
            .collect();
        out.dedup();
        out
    }
}

impl Default for Searcher {
    fn default() -> Self {
        Searcher::new()
    }
}

/// Incremental search for type-ahead: remembers which keys matched the last
/// query, and when the new query extends it (the old query is a subsequence
/// of the new one) searches only those, since with subsequence matching a
/// key that matches the longer query must match the shorter one too.
pub struct Searcher {
    pattern: Option<Pattern>,
    contexts_changed: u64,
    candidates: Vec<usize>,
    keys_seen: usize,
    generation: u64,
    valid: bool,
}

impl Searcher {
    pub fn new() -> Searcher {
        Searcher {
            pattern: None,
            contexts_changed: 0,
            candidates: Vec::new(),
            keys_seen: 0,
            generation: 0,
            valid: false,
        }
    }

    /// Forget the previous query (the next search scans every key).
    pub fn reset(&mut self) {
        self.valid = false;
        self.candidates.clear();
    }

    /// How many keys the next narrowing search would scan (for tests and status lines).
    pub fn candidates_len(&self) -> usize {
        self.candidates.len()
    }

    /// The best `limit` hits for `query`; None when cancelled (the previous
    /// candidate set is then kept).
    pub fn search(
        &mut self,
        index: &SearchIndex,
        query: &str,
        limit: usize,
        cancel: &AtomicBool,
    ) -> Option<Vec<Hit>> {
        let Some(pattern) = Pattern::new(query) else {
            self.reset();
            return Some(Vec::new());
        };
        let narrow = self.valid
            && self.generation == index.generation
            && self.contexts_changed == index.contexts_changed
            && self.pattern.as_ref().is_some_and(|p| pattern.narrows(p));
        let candidates = if narrow {
            Candidates::Some(&self.candidates, self.keys_seen)
        } else {
            Candidates::All
        };
        let matched = index.matches(&pattern, candidates, cancel)?;
        let mut ids: Vec<usize> = matched.iter().map(|&(_, id)| id).collect();
        ids.sort_unstable();
        self.candidates = ids;
        let hits = index.top(&pattern, matched, limit);
        self.pattern = Some(pattern);
        self.keys_seen = index.keys.len();
        self.generation = index.generation;
        self.contexts_changed = index.contexts_changed;
        self.valid = true;
        Some(hits)
    }
}

enum Candidates<'a> {
    All,
    /// These ids, plus every id from the second field on (keys added since).
    Some(&'a [usize], usize),
}

struct Pattern {
    /// Normalised query without spaces: "sense time" finds "SenseTime" and
    /// "tang xiao" still finds "tang xiaoou" (spaces in keys are skipped as gaps).
    norm: String,
    /// A digit-only query of up to five digits, padded as a stock code: "20" -> "00020".
    code: Option<String>,
    /// The query's words when it has several (else none): matched one by
    /// one when the label does not hold the whole query.
    terms: Vec<String>,
}

impl Pattern {
    fn new(query: &str) -> Option<Pattern> {
        let spaced = normalise(query, None);
        let norm: String = spaced.chars().filter(|c| *c != ' ').collect();
        if norm.is_empty() {
            return None;
        }
        let code = hk_code(&norm);
        let mut terms: Vec<String> = spaced.split(' ').map(str::to_string).collect();
        if terms.len() < 2 {
            terms.clear();
        }
        Some(Pattern { norm, code, terms })
    }

    /// Whether every key matching `self` matched `before` too (so a search
    /// for `self` may scan only `before`'s hits): the whole query extends
    /// the old one, and, word by word, each word extends the old word at
    /// its end (words are matched as typed, name words by their start).
    fn narrows(&self, before: &Pattern) -> bool {
        is_subsequence(&before.norm, &self.norm)
            && self.terms.len() == before.terms.len()
            && self
                .terms
                .iter()
                .zip(&before.terms)
                .all(|(now, was)| now.starts_with(was.as_str()))
    }
}

/// Apostrophes inside names are dropped, not turned into breaks: "Xiao'ou" is "xiaoou".
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{00B4}')
}

/// Lowercase; apostrophes dropped; any other run of non-alphanumeric chars
/// (spaces, dots, commas, hyphens, full-width brackets) becomes one space;
/// trimmed. With `map`, records for each char of the result the char index
/// of the label it came from (a space maps to the char after the break).
fn normalise(label: &str, mut map: Option<&mut Vec<usize>>) -> String {
    let mut out = String::with_capacity(label.len());
    let mut pending_space = false;
    for (ci, c) in label.chars().enumerate() {
        if is_apostrophe(c) {
            continue;
        }
        if !c.is_alphanumeric() {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
            if let Some(m) = map.as_deref_mut() {
                m.push(ci);
            }
        }
        pending_space = false;
        for lc in c.to_lowercase() {
            out.push(lc);
            if let Some(m) = map.as_deref_mut() {
                m.push(ci);
            }
        }
    }
    out
}

/// Is `needle` a subsequence of `hay`? A fast reject before the matcher's
/// scoring, which copies the key into a buffer first.
fn is_subsequence(needle: &str, hay: &str) -> bool {
    if needle.is_ascii() {
        let mut it = hay.bytes();
        return needle.bytes().all(|n| it.any(|h| h == n));
    }
    let mut it = hay.chars();
    needle.chars().all(|n| it.any(|h| h == n))
}

fn issuer_signature(
    issuer: &crate::filings::index::Issuer,
    extra: Option<&BTreeSet<String>>,
) -> String {
    let mut s = String::new();
    s.push_str(&issuer.name);
    s.push('\u{1}');
    s.push_str(issuer.name_zh.as_deref().unwrap_or(""));
    for n in &issuer.names {
        s.push('\u{1}');
        s.push_str(&n.name);
        s.push('\u{2}');
        s.push_str(n.last_date.as_deref().unwrap_or(""));
    }
    for c in extra.into_iter().flatten() {
        s.push('\u{3}');
        s.push_str(c);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_drops_apostrophes_and_maps_back_to_the_label() {
        let mut map = Vec::new();
        let n = normalise("Prof. Tang Xiao'ou", Some(&mut map));
        assert_eq!(n, "prof tang xiaoou");
        assert_eq!(map.len(), n.chars().count());
        // "o" after the apostrophe is char 16 of the label.
        assert_eq!(map.get(14), Some(&16));
    }

    #[test]
    fn digit_queries_are_padded_as_stock_codes() {
        assert_eq!(
            Pattern::new("20").and_then(|p| p.code).as_deref(),
            Some("00020")
        );
        assert_eq!(
            Pattern::new(" 0020 ").and_then(|p| p.code).as_deref(),
            Some("00020")
        );
        assert_eq!(Pattern::new("sense").and_then(|p| p.code), None);
        assert!(Pattern::new(" .,").is_none());
    }

    #[test]
    fn subsequence_check_handles_chinese() {
        assert!(is_subsequence("商汤", "商汤集团股份有限公司"));
        assert!(!is_subsequence("汤商", "商汤集团股份有限公司"));
        assert!(is_subsequence("snstm", "sensetime group inc"));
    }
}
