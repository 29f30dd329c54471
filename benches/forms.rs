//! Parse throughput by form over a whole corpus, on one core.
//!
//! `cargo bench --bench forms` generates the corpus `benches/run.sh` indexes
//! (returns, next day returns and announcements of 180 issuers over 36
//! months) and parses every file in the folder's order, as a load does: each
//! form's MB/s and microseconds per file, and its share of the time. Small
//! files show their fixed cost per file here, which MB/s on one kind alone
//! hides. `FORMS_DIR=DIR` parses a folder of the user's instead;
//! `BENCH_ROUNDS=N` sets the rounds (3).

use hkfilings::filings::model::Entry;
use hkfilings::filings::parse::parse_text;
use std::collections::BTreeMap;
use std::time::Instant;

/// The binary's allocator: the figures are the product's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn corpus() -> Vec<(String, String)> {
    if let Ok(dir) = std::env::var("FORMS_DIR") {
        let mut files: Vec<(String, String)> = walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                let text = std::fs::read_to_string(e.path()).ok()?;
                Some((e.path().to_string_lossy().to_string(), text))
            })
            .collect();
        files.sort();
        return files;
    }
    use hkfilings::gen::{generate, GenConfig};
    let cfg = GenConfig {
        issuers: 180,
        months: 36,
        ..GenConfig::default()
    };
    generate(&cfg).map(|f| (f.rel_path, f.text)).collect()
}

fn main() {
    let files = corpus();
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    // Per form: bytes, seconds, files (over all rounds).
    let mut by_form: BTreeMap<String, (usize, f64, usize)> = BTreeMap::new();
    for _ in 0..rounds {
        for (name, text) in &files {
            let start = Instant::now();
            let entry = std::hint::black_box(parse_text(name, text));
            let secs = start.elapsed().as_secs_f64();
            let form = match &entry {
                Entry::Filing(f) => format!("{:?}", f.form),
                Entry::Error(_) => "(error)".to_string(),
            };
            let acc = by_form.entry(form).or_default();
            acc.0 += text.len();
            acc.1 += secs;
            acc.2 += 1;
        }
    }
    let total_secs: f64 = by_form.values().map(|a| a.1).sum();
    let total_bytes: usize = by_form.values().map(|a| a.0).sum();
    println!(
        "parse by form, one core, {} files, {rounds} rounds",
        files.len()
    );
    for (form, (bytes, secs, n)) in &by_form {
        println!(
            "{form:<14} {:>6} files {:>6.1} KB each {:>7.1} MB/s {:>6.0} us/file {:>5.1}% of the time",
            n / rounds,
            *bytes as f64 / *n as f64 / 1e3,
            *bytes as f64 / 1e6 / secs,
            secs / *n as f64 * 1e6,
            secs / total_secs * 100.0
        );
    }
    println!(
        "{:<14} {:>6} files {:>6.1} KB each {:>7.1} MB/s",
        "all",
        files.len(),
        total_bytes as f64 / (files.len() * rounds).max(1) as f64 / 1e3,
        total_bytes as f64 / 1e6 / total_secs
    );
}
