//! A generator of fictional but structurally faithful filing corpora, with the
//! values a correct parser must read out of every file (its "truth").
//!
//! Tests score the parsers against it, benchmarks time them on 100,000 files,
//! and the built-in demo shows it. Everything is deterministic for a seed.
//!
//! The world: issuers (invented names, five-digit codes) of four structures
//! (one ordinary class; weighted voting rights with Class A and a listed,
//! multi-counter Class B; H shares beside A shares; no-par Hong Kong
//! companies) whose share counts move month by month through option schemes,
//! warrants, convertibles, placings, repurchases and treasury shares. Each
//! month yields a monthly return in the form generation of its date, next day
//! returns for some of the month's events, announcements (lock-ups among
//! them), re-submissions and byte-identical copies. Every file is written in
//! one of four extraction styles, with extraction damage at `damage_rate`.

mod forms;
mod other;
pub mod render;
mod sim;

use render::Style;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

pub use sim::FormGen;

/// What to generate.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GenConfig {
    pub issuers: usize,
    /// Monthly returns per issuer.
    pub months: usize,
    /// (year, month) of the corpus's first period. Issuers are spread over
    /// time: issuer k's series starts (k mod 4) x 20 months later, so that a
    /// corpus starting before mid-2021 holds every form generation.
    pub start: (i32, u32),
    pub seed: u64,
    /// Probability of each kind of extraction damage at each eligible spot
    /// (tab-separated files only, where the seeds show it), 0.0..=1.0.
    pub damage_rate: f64,
    /// Next day disclosure returns per issuer per year (at most one a month).
    pub ndr_per_issuer_year: usize,
    /// Announcements (lock-ups and plain ones) beside the returns.
    pub announcements: bool,
    /// Amendments, later re-submissions and byte-identical copies.
    pub resubmissions: bool,
}

impl Default for GenConfig {
    fn default() -> GenConfig {
        GenConfig {
            issuers: 12,
            months: 24,
            start: (2022, 1),
            seed: 1,
            damage_rate: 0.0,
            ndr_per_issuer_year: 3,
            announcements: true,
            resubmissions: true,
        }
    }
}

/// The built-in demo: 12 issuers x 24 months from November 2019, so that the
/// staggered series cover legacy, FF301 v1.0, v1.1 and v1.2 returns, with a
/// little extraction damage. The last series ends with October 2026's return:
/// the demo shows no filing from a month still to come.
pub fn demo_config() -> GenConfig {
    GenConfig {
        issuers: 12,
        months: 24,
        start: (2019, 11),
        seed: 2027,
        damage_rate: 0.03,
        ndr_per_issuer_year: 4,
        announcements: true,
        resubmissions: true,
    }
}

/// One generated file.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedFile {
    /// Path relative to the corpus root, nested by issuer code and year.
    pub rel_path: String,
    pub text: String,
    /// The values a correct parser outputs for this file, in the JSON
    /// contract's shape (a subset of its keys), plus `expect_findings`
    /// (codes the checks must raise for the issuer's own deliberate errors)
    /// and `may_be_null` (paths damage made unrecoverable) when not empty.
    pub truth: Value,
    /// Extraction damage applied, as "kind@line N".
    pub damage: Vec<String>,
}

impl GeneratedFile {
    /// `kind` of the truth ("monthly_return", ...).
    pub fn kind(&self) -> &str {
        self.truth["kind"].as_str().unwrap_or("")
    }
    /// `form` of the truth ("ff301-1.1", ...).
    pub fn form(&self) -> &str {
        self.truth["form"].as_str().unwrap_or("")
    }
    /// Extraction style ("tab", "layout", "raw", "pypdf").
    pub fn style(&self) -> &str {
        self.truth["_gen"]["style"].as_str().unwrap_or("")
    }
}

/// Every file of the corpus, issuer by issuer, built lazily: only one
/// issuer's files are in memory at a time.
pub fn generate(cfg: &GenConfig) -> impl Iterator<Item = GeneratedFile> {
    let cfg = cfg.clone();
    (0..cfg.issuers).flat_map(move |i| sim::issuer_files(&cfg, i))
}

/// What [`write_corpus`] wrote.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub bytes: u64,
    pub by_kind: BTreeMap<String, usize>,
    pub by_form: BTreeMap<String, usize>,
    pub by_style: BTreeMap<String, usize>,
    /// Files with any extraction damage.
    pub damaged_files: usize,
    /// Files whose truth expects findings from the issuer's own errors.
    pub files_with_expected_findings: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "files: {}  bytes: {}", self.files, self.bytes)?;
        let line = |m: &BTreeMap<String, usize>| {
            m.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        writeln!(f, "by kind:  {}", line(&self.by_kind))?;
        writeln!(f, "by form:  {}", line(&self.by_form))?;
        writeln!(f, "by style: {}", line(&self.by_style))?;
        write!(
            f,
            "damaged files: {}  files expecting findings: {}",
            self.damaged_files, self.files_with_expected_findings
        )
    }
}

/// Write the corpus under `dir`: the files (nested by issuer and year), then
/// `truth.jsonl` (one `{"file", "truth"}` line per file) and `manifest.json`
/// (the config, the counts, the damage applied per file) at the root.
pub fn write_corpus(dir: &Path, cfg: &GenConfig) -> std::io::Result<Summary> {
    std::fs::create_dir_all(dir)?;
    let mut truth_out = std::io::BufWriter::new(std::fs::File::create(dir.join("truth.jsonl"))?);
    let mut summary = Summary::default();
    let mut damage: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut made_dirs: std::collections::HashSet<std::path::PathBuf> = Default::default();
    for f in generate(cfg) {
        let path = dir.join(&f.rel_path);
        if let Some(parent) = path.parent() {
            if made_dirs.insert(parent.to_path_buf()) {
                std::fs::create_dir_all(parent)?;
            }
        }
        std::fs::write(&path, f.text.as_bytes())?;
        summary.files += 1;
        summary.bytes += f.text.len() as u64;
        *summary.by_kind.entry(f.kind().to_string()).or_default() += 1;
        *summary.by_form.entry(f.form().to_string()).or_default() += 1;
        *summary.by_style.entry(f.style().to_string()).or_default() += 1;
        if !f.damage.is_empty() {
            summary.damaged_files += 1;
            damage.insert(f.rel_path.clone(), f.damage.clone());
        }
        if f.truth.get("expect_findings").is_some() {
            summary.files_with_expected_findings += 1;
        }
        serde_json::to_writer(
            &mut truth_out,
            &json!({"file": f.rel_path, "truth": f.truth}),
        )?;
        truth_out.write_all(b"\n")?;
    }
    truth_out.flush()?;
    let manifest = json!({
        "generator": "hkfilings corpus generator",
        "config": cfg,
        "summary": summary,
        "damage": damage,
    });
    let mut m = serde_json::to_string_pretty(&manifest)?;
    m.push('\n');
    std::fs::write(dir.join("manifest.json"), m)?;
    Ok(summary)
}

/// Mix a seed with more numbers into a new seed (splitmix64 steps), so that
/// every issuer and every file draws from its own stream.
pub(crate) fn mix(seed: u64, parts: &[u64]) -> u64 {
    let mut z = seed ^ 0x9E37_79B9_7F4A_7C15;
    for &p in parts {
        z = z
            .wrapping_add(p.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
    }
    z
}

/// The style name recorded in a truth's `_gen` block.
pub(crate) fn style_json(style: Style) -> Value {
    Value::String(style.as_str().to_string())
}
