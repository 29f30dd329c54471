//! Inner-loop benchmarks: parse throughput per core on real filing text.
//!
//! `cargo bench --bench parse` prints MB/s of filing text parsed on one core
//! for each kind of input, reading the real filings in `../shared`.

use hkfilings::filings::parse::parse_text;

/// The binary's allocator: the figures are the product's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn shared() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    [root.join("../shared"), root.join("../../shared")]
        .into_iter()
        .find(|p| p.join("FORMATS.md").exists())
        .expect("../shared beside the repository")
}

fn texts(filter: impl Fn(&str) -> bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![shared()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "txt") {
                let name = p.to_string_lossy().to_string();
                if filter(&name) {
                    if let Ok(t) = std::fs::read_to_string(&p) {
                        out.push((name, t));
                    }
                }
            }
        }
    }
    out.sort();
    out
}

/// The project generator's monthly returns holding `marker` (the corpus
/// `index` is benchmarked on): 90 issuers over 36 months, from 2021, so every
/// form generation is there.
fn generated(marker: &str) -> Vec<(String, String)> {
    use hkfilings::gen::{generate, GenConfig};
    let cfg = GenConfig {
        issuers: 90,
        months: 36,
        start: (2021, 1),
        ..GenConfig::default()
    };
    generate(&cfg)
        .filter(|f| f.text.contains(marker))
        .map(|f| (f.rel_path, f.text))
        .collect()
}

/// `BENCH_ONLY=word` runs only the rows whose label contains the word (for
/// profiling one kind of input at a time).
fn selected(label: &str) -> bool {
    std::env::var("BENCH_ONLY").map_or(true, |w| label.to_lowercase().contains(&w.to_lowercase()))
}

/// Parse the set repeatedly for at least `min` and report MB/s on one core.
fn measure(label: &str, set: &[(String, String)], min: Duration) {
    if set.is_empty() {
        println!("{label:<40} (no input)");
        return;
    }
    if !selected(label) {
        return;
    }
    let bytes: usize = set.iter().map(|(_, t)| t.len()).sum();
    let start = Instant::now();
    let mut rounds = 0u64;
    // BENCH_ROUNDS=N: exactly N rounds (for instruction counts under callgrind).
    let rounds_fixed: Option<u64> = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok());
    while rounds_fixed.map_or(start.elapsed() < min, |r| rounds < r) {
        for (name, t) in set {
            std::hint::black_box(parse_text(name, t));
        }
        rounds += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    let mb = (bytes as f64 * rounds as f64) / 1e6;
    println!(
        "{label:<40} {:>8.1} MB/s per core  ({} files, {:.1} KB each, {:.0} files/s)",
        mb / secs,
        set.len(),
        bytes as f64 / set.len() as f64 / 1e3,
        (set.len() as f64 * rounds as f64) / secs
    );
}

fn main() {
    let min = Duration::from_millis(
        std::env::var("BENCH_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1500),
    );
    println!("parse throughput, one core, {} ms per row", min.as_millis());
    measure(
        "FF301 monthly returns (seed + 01723)",
        &texts(|n| n.contains("monthly_2026") || n.contains("003_")),
        min,
    );
    measure(
        "legacy monthly returns (01149)",
        &texts(|n| n.contains("01149_monthly") && !n.contains(".zh")),
        min,
    );
    measure(
        "next day returns (01149)",
        &texts(|n| n.contains("01149_ndr") && !n.contains(".zh")),
        min,
    );
    measure("announcements (seed)", &texts(|n| n.contains("000_")), min);
    // Generated only when selected: the generator's work stays out of profiles.
    for (label, marker) in [
        (
            "generated FF301 returns",
            "Monthly Return for Equity Issuer",
        ),
        (
            "generated legacy returns",
            "Monthly Return of Equity Issuer",
        ),
    ] {
        if selected(label) {
            measure(label, &generated(marker), min);
        }
    }
    measure_pdfs(min);
}

/// The built-in PDF reader on every real PDF: PDFs per second on one core.
fn measure_pdfs(min: Duration) {
    use hkfilings::filings::pdf::{extract, Extractor};
    let mut pdfs = Vec::new();
    let mut stack = vec![shared()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "pdf") {
                if let Ok(b) = std::fs::read(&p) {
                    pdfs.push((p.to_string_lossy().to_string(), b));
                }
            }
        }
    }
    if !selected("PDFs") {
        return;
    }
    if pdfs.is_empty() {
        println!("{:<40} (no input)", "PDFs (native reader)");
        return;
    }
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < min {
        for (name, bytes) in &pdfs {
            let _ = std::hint::black_box(extract(name, bytes, Extractor::Native));
            n += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{:<40} {:>8.1} PDFs/s per core  ({} PDFs, {:.1} ms each)",
        "PDFs (native reader, text only)",
        n as f64 / secs,
        pdfs.len(),
        secs * 1e3 / n as f64
    );
}
