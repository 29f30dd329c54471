//! The explorer at the scale of the whole exchange: an index of generated
//! filings (100,000 by default, `BENCH_FILINGS` to change), built once in
//! memory (generate, parse on all cores, index), then
//! - the parse throughput over the generated text;
//! - the heap per filing of the parsed filings and of the index that keeps
//!   them (encoded);
//! - search time per keystroke (`SearchIndex::search` for every prefix of a
//!   few queries): p50 / p95 / max;
//! - the explorer's `App::update` plus a full draw per key: p50 / p99.
//!
//! `cargo bench --bench scale`

use hkfilings::config::Config;
use hkfilings::filings::index::Index;
use hkfilings::filings::model::{Entry, Filing};
use hkfilings::filings::parse::parse_text;
use hkfilings::filings::search::SearchIndex;
use hkfilings::gen::{generate, GenConfig};
use hkfilings::tui::app::{App, Msg};
use hkfilings::tui::ui;
use mimalloc::MiMalloc;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use rayon::prelude::*;
use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Counts heap bytes allocated and freed while `COUNTING` is on (a window
/// of single-threaded work: a shared counter on every allocation would
/// slow the parallel parse down). Memory comes from mimalloc, the binary's
/// allocator, so the figures are the product's.
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static FREED: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCATED.fetch_add(l.size(), Ordering::Relaxed);
        }
        MiMalloc.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        if COUNTING.load(Ordering::Relaxed) {
            FREED.fetch_add(l.size(), Ordering::Relaxed);
        }
        MiMalloc.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCATED.fetch_add(new, Ordering::Relaxed);
            FREED.fetch_add(l.size(), Ordering::Relaxed);
        }
        MiMalloc.realloc(p, l, new)
    }
}

/// (allocated, freed) bytes while `f` runs.
fn counted<T>(f: impl FnOnce() -> T) -> (T, usize, usize) {
    let (a0, f0) = (
        ALLOCATED.load(Ordering::Relaxed),
        FREED.load(Ordering::Relaxed),
    );
    COUNTING.store(true, Ordering::Relaxed);
    let out = f();
    COUNTING.store(false, Ordering::Relaxed);
    (
        out,
        ALLOCATED.load(Ordering::Relaxed) - a0,
        FREED.load(Ordering::Relaxed) - f0,
    )
}

/// Where a filing's heap is: all of it (measured on a copy, so without the
/// parse's spare capacity), then what the `lines` maps, the `raw` maps and
/// the findings take of it.
fn heap_breakdown(entries: &[Entry]) {
    let n = entries.len().max(1) as f64;
    let (mut copy, total, _) = counted(|| entries.to_vec());
    let strip = |copy: &mut Vec<Entry>, what: &str, f: &dyn Fn(&mut Filing)| {
        let ((), _, freed) = counted(|| {
            for e in copy.iter_mut() {
                if let Entry::Filing(x) = e {
                    f(x);
                }
            }
        });
        println!("  {what:<28} {:>6.0} bytes per filing", freed as f64 / n);
    };
    println!(
        "filing heap: {:.0} bytes per filing, of which",
        total as f64 / n
    );
    strip(
        &mut copy,
        "lines maps (field -> line)",
        &|f: &mut Filing| {
            f.lines = Default::default();
            for c in &mut f.share_classes {
                c.lines = Default::default();
                for b in [&mut c.issued, &mut c.treasury, &mut c.total]
                    .into_iter()
                    .flatten()
                {
                    b.lines = Default::default();
                }
                if let Some(a) = &mut c.authorised {
                    a.lines = Default::default();
                }
            }
            for s in &mut f.option_schemes {
                s.lines = Default::default();
            }
            for w in &mut f.warrants {
                w.lines = Default::default();
            }
            for c in &mut f.convertibles {
                c.lines = Default::default();
            }
            for m in f
                .other_issues
                .iter_mut()
                .chain(f.other_movements.iter_mut())
            {
                m.lines = Default::default();
            }
            for m in &mut f.movements {
                m.lines = Default::default();
            }
            for l in &mut f.lockups {
                l.lines = Default::default();
            }
        },
    );
    strip(&mut copy, "raw maps (nil tokens)", &|f: &mut Filing| {
        for c in &mut f.share_classes {
            for b in [&mut c.issued, &mut c.treasury, &mut c.total]
                .into_iter()
                .flatten()
            {
                b.raw = Default::default();
            }
            if let Some(a) = &mut c.authorised {
                a.raw = Default::default();
            }
        }
        for s in &mut f.option_schemes {
            s.raw = Default::default();
        }
    });
    strip(&mut copy, "findings", &|f: &mut Filing| {
        f.findings = Vec::new();
    });
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let want: usize = std::env::var("BENCH_FILINGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let cfg = GenConfig {
        // About 55 files per issuer over 36 months.
        issuers: (want / 55).max(1),
        months: 36,
        ..GenConfig::default()
    };

    // Generate and parse on all cores, one issuer's files at a time in memory.
    let t = Instant::now();
    let texts: Vec<(String, String)> = generate(&cfg).map(|f| (f.rel_path, f.text)).collect();
    let gen_time = t.elapsed();
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let t = Instant::now();
    let entries: Vec<Entry> = texts
        .par_iter()
        .map(|(name, text)| parse_text(name, text))
        .collect();
    let parse_time = t.elapsed();
    let n = entries.len();
    drop(texts);
    let cores = rayon::current_num_threads();
    println!(
        "scale: {n} generated filings, {:.0} MB of text (generated in {:.1} s)",
        bytes as f64 / 1e6,
        gen_time.as_secs_f64()
    );
    println!(
        "parse (in memory, {cores} threads): {:.1} s, {:.1} MB/s, {:.1} MB/s per core",
        parse_time.as_secs_f64(),
        bytes as f64 / 1e6 / parse_time.as_secs_f64(),
        bytes as f64 / 1e6 / parse_time.as_secs_f64() / cores as f64
    );

    heap_breakdown(&entries);
    // The index is built from a copy (the parse leaves spare capacity a copy
    // has not) whose heap is known exactly, and frees it as it goes.
    let (entries, parsed, _) = {
        let original = entries;
        counted(|| original.to_vec())
    };
    let t = Instant::now();
    let (index, allocated, freed) = counted(|| Index::from_entries(entries));
    let kept = (parsed + allocated).saturating_sub(freed);
    println!(
        "index: {:.2} s to build; {:.0} bytes per filing on the heap ({} strings shared)",
        t.elapsed().as_secs_f64(),
        kept as f64 / n.max(1) as f64,
        index.filings().shared_strings()
    );

    // Search: every prefix of a few queries, as typed.
    let t = Instant::now();
    let si = SearchIndex::build(&index);
    println!(
        "search index: {:.2} s to build, {} keys",
        t.elapsed().as_secs_f64(),
        si.keys_len()
    );
    let some_issuer = index
        .issuers()
        .nth(index.issuer_count() / 2)
        .map(|i| i.name.clone())
        .unwrap_or_default();
    let queries = [
        some_issuer.as_str(),
        "holdings",
        "share option scheme",
        "01149",
        "lock-up",
    ];
    let mut times = Vec::new();
    for q in queries {
        let chars: Vec<char> = q.chars().collect();
        for k in 1..=chars.len() {
            let prefix: String = chars[..k].iter().collect();
            let t = Instant::now();
            std::hint::black_box(si.search(&prefix, 50));
            times.push(t.elapsed());
        }
    }
    times.sort();
    println!(
        "search per keystroke ({} keystrokes of {} queries): p50 {}  p95 {}  max {}",
        times.len(),
        queries.len(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95)),
        ms(times.last().copied().unwrap_or_default())
    );

    // The explorer: a key, then a full draw at 160x48.
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let (w, h) = (160u16, 48u16);
    let t = Instant::now();
    let mut app = App::new(index, "corpus", &Config::default(), today);
    app.update(Msg::Resize(w, h));
    println!("explorer: {:.2} s to open", t.elapsed().as_secs_f64());
    let mut term = match Terminal::new(TestBackend::new(w, h)) {
        Ok(t) => t,
        Err(e) => {
            println!("no test terminal: {e}");
            return;
        }
    };
    let keys =
        "j j j j j k k G g ctrl-d ctrl-d ctrl-u ] ] [ [ Tab j j Tab j Tab Tab j 5 j j j 6 j j 1 \
                S S j j j i i a a 2 Enter Esc 5 Enter Esc 1 G k k k g";
    let mut times = Vec::new();
    for round in 0..3 {
        for key in keys.split_whitespace() {
            let t = Instant::now();
            app.press(key);
            app.refresh();
            let drawn = term.draw(|f| ui::draw(f, &app));
            let took = t.elapsed();
            if drawn.is_err() {
                println!("draw failed");
                return;
            }
            if round > 0 {
                times.push(took);
            }
        }
    }
    times.sort();
    println!(
        "explorer update + draw per key at {w}x{h} ({} keys): p50 {}  p99 {}  max {}",
        times.len(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        ms(times.last().copied().unwrap_or_default())
    );
}
