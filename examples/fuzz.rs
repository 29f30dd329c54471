//! A seeded mutation fuzzer for the parsers and the index (no coverage
//! feedback, no extra tooling): it damages the test fixtures and the real
//! filings in `../shared` at random, parses each result on a worker thread,
//! and saves every input that panics or takes too long.
//!
//! ```sh
//! cargo run --release --example fuzz -- --seconds 60 [--seed N] [--out DIR]
//! ```
//!
//! Exit status 0 when nothing crashed or hung, 1 otherwise; the inputs are
//! in `--out` (default `target/fuzz-findings`), named by seed and iteration,
//! so a run is reproduced with the same `--seed`.

use hkfilings::filings::index::Index;
use hkfilings::filings::model::Entry;
use hkfilings::filings::parse::{parse_bytes, ParseOptions};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A parse slower than this is a hang (release build).
const HANG: Duration = Duration::from_secs(5);

/// Inputs larger than this are not read as bases.
const MAX_BASE: u64 = 4 * 1024 * 1024;

struct Args {
    seconds: u64,
    seed: u64,
    out: PathBuf,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        seconds: 60,
        seed: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(1),
        out: Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-findings"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--seconds" => a.seconds = value()?.parse().map_err(|e| format!("--seconds: {e}"))?,
            "--seed" => a.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--out" => a.out = PathBuf::from(value()?),
            "-h" | "--help" => {
                return Err("usage: fuzz [--seconds N] [--seed N] [--out DIR]".to_string())
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(a)
}

/// Every file under the fixtures and the real filings, with its bytes.
fn bases() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("tests/fixtures")];
    for shared in [root.join("../shared"), root.join("../../shared")] {
        if shared.is_dir() {
            dirs.push(shared);
            break;
        }
    }
    let mut out = Vec::new();
    for d in dirs {
        for e in walkdir::WalkDir::new(&d)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            let small = e
                .metadata()
                .is_ok_and(|m| m.is_file() && m.len() <= MAX_BASE);
            if !small {
                continue;
            }
            if let Ok(bytes) = std::fs::read(e.path()) {
                out.push((e.path().display().to_string(), bytes));
            }
        }
    }
    out
}

/// Words of the forms to splice in.
const WORDS: &[&str] = &[
    "Balance at close of preceding month",
    "Balance at close of the month",
    "Increase / decrease (-)",
    "Stock code",
    "II. Movements in Issued Shares",
    "(A). Share Options",
    "Opening balance as at",
    "Closing balance as at",
    "N/A",
    "Nil",
    "HK$",
    "(1,000,000)",
    "9,999,999,999,999,999,999",
    "31/02/2023",
    "\t",
    "\r",
    "\u{FEFF}",
    "\u{1b}]0;title\u{7}",
    "股份",
];

/// Damage `input` one to four times: bytes flipped, inserted, deleted;
/// lines deleted, doubled, swapped; words spliced in; a split number.
fn mutate(rng: &mut fastrand::Rng, input: &[u8]) -> Vec<u8> {
    let mut b = input.to_vec();
    for _ in 0..rng.usize(1..=4) {
        let len = b.len();
        match rng.u8(0..9) {
            0 if len > 0 => {
                let i = rng.usize(..len);
                b[i] ^= 1 << rng.u8(0..8);
            }
            1 => {
                let i = rng.usize(..=len);
                b.insert(i, rng.u8(..));
            }
            2 if len > 0 => {
                let i = rng.usize(..len);
                let n = rng.usize(1..=64).min(len - i);
                b.drain(i..i + n);
            }
            3..=5 => {
                let mut lines: Vec<Vec<u8>> =
                    b.split(|&c| c == b'\n').map(<[u8]>::to_vec).collect();
                let n = lines.len();
                if n > 1 {
                    let (i, j) = (rng.usize(..n), rng.usize(..n));
                    match rng.u8(0..3) {
                        0 => {
                            lines.remove(i);
                        }
                        1 => {
                            let l = lines[i].clone();
                            lines.insert(j, l);
                        }
                        _ => lines.swap(i, j),
                    }
                }
                b = lines.join(&b'\n');
            }
            6 => {
                let w = WORDS[rng.usize(..WORDS.len())].as_bytes();
                let i = rng.usize(..=len);
                b.splice(i..i, w.iter().copied());
            }
            7 => {
                // A space or tab between two digits: a number split across cells.
                let spots: Vec<usize> = (1..len)
                    .filter(|&i| b[i - 1].is_ascii_digit() && b[i].is_ascii_digit())
                    .collect();
                if !spots.is_empty() {
                    let i = spots[rng.usize(..spots.len())];
                    b.insert(i, if rng.bool() { b' ' } else { b'\t' });
                }
            }
            _ => {
                // Cut the file short.
                if len > 0 {
                    b.truncate(rng.usize(..len));
                }
            }
        }
    }
    b
}

/// A worker thread that parses what it is sent and indexes the result.
struct Worker {
    tx: mpsc::Sender<(String, Vec<u8>)>,
    rx: mpsc::Receiver<Result<(), String>>,
}

fn worker() -> Worker {
    let (tx, jobs) = mpsc::channel::<(String, Vec<u8>)>();
    let (done, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for (name, bytes) in jobs {
            let r = std::panic::catch_unwind(|| {
                let e = parse_bytes(&name, &bytes, &ParseOptions::default());
                let copy = match &e {
                    Entry::Filing(f) => {
                        let mut c = f.clone();
                        c.file = format!("{name}.copy");
                        Some(Entry::Filing(c))
                    }
                    Entry::Error(_) => None,
                };
                let mut ix = Index::new();
                ix.add_batch(std::iter::once(e).chain(copy).collect());
                let _ = ix.stats();
                let _ = serde_json::to_string(ix.filings());
            });
            let msg = r.map_err(|p| {
                p.downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| p.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "panic".to_string())
            });
            if done.send(msg).is_err() {
                return;
            }
        }
    });
    Worker { tx, rx }
}

fn save(out: &Path, what: &str, seed: u64, iter: u64, base: &str, bytes: &[u8]) -> PathBuf {
    let ext = if bytes.starts_with(b"%PDF") {
        "pdf"
    } else {
        "txt"
    };
    let p = out.join(format!("{what}-seed{seed}-{iter}.{ext}"));
    let _ = std::fs::create_dir_all(out);
    let _ = std::fs::write(&p, bytes);
    let _ = std::fs::write(p.with_extension("base"), base);
    p
}

fn main() -> std::process::ExitCode {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::from(2);
        }
    };
    let bases = bases();
    if bases.is_empty() {
        eprintln!("fuzz: no inputs found under tests/fixtures or ../shared");
        return std::process::ExitCode::from(2);
    }
    // Panics are counted and saved, not printed one by one.
    std::panic::set_hook(Box::new(|_| {}));
    println!(
        "fuzz: seed {} for {} s over {} inputs; findings go to {}",
        a.seed,
        a.seconds,
        bases.len(),
        a.out.display()
    );
    let mut rng = fastrand::Rng::with_seed(a.seed);
    let mut w = worker();
    let start = Instant::now();
    let (mut iters, mut crashes, mut hangs) = (0u64, 0u64, 0u64);
    while start.elapsed() < Duration::from_secs(a.seconds) {
        iters += 1;
        let (name, base) = &bases[rng.usize(..bases.len())];
        let input = mutate(&mut rng, base);
        if w.tx.send((name.clone(), input.clone())).is_err() {
            w = worker();
            continue;
        }
        match w.rx.recv_timeout(HANG) {
            Ok(Ok(())) => {}
            Ok(Err(msg)) => {
                crashes += 1;
                let p = save(&a.out, "crash", a.seed, iters, name, &input);
                println!(
                    "crash: {msg}\n  from {name}\n  input saved to {}",
                    p.display()
                );
            }
            Err(_) => {
                hangs += 1;
                let p = save(&a.out, "hang", a.seed, iters, name, &input);
                println!(
                    "hang (> {HANG:?})\n  from {name}\n  input saved to {}",
                    p.display()
                );
                // The stuck thread cannot be stopped: leave it, start another.
                w = worker();
            }
        }
    }
    println!(
        "fuzz: {iters} inputs, {crashes} crashes, {hangs} hangs (seed {})",
        a.seed
    );
    if crashes + hangs > 0 {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    }
}
