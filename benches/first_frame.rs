//! Time from starting the explorer to its first frame, in a pseudo-terminal,
//! for folders of different sizes: the loader runs in the background, so the
//! first frame must not wait for the folder (target: 100 ms whatever its size).
//!
//! `cargo bench --bench first_frame` generates folders of 1,000 and 10,000
//! filings (or reads `BENCH_DIRS=dir1:dir2`) and prints the median of 5 starts.

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Start the binary on `dir`; the time until the screen shows the header.
fn first_frame(dir: &Path, home: &Path) -> Option<Duration> {
    std::fs::create_dir_all(home).ok()?;
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .ok()?;
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_hkfilings"));
    cmd.arg(dir);
    cmd.env("TERM", "xterm-256color");
    cmd.env("HOME", home);
    cmd.env("XDG_CONFIG_HOME", home.join("config"));
    cmd.env("HKFILINGS_CACHE_DIR", home.join("cache"));
    cmd.env("HKFILINGS_DATA_DIR", home.join("data"));
    let start = Instant::now();
    let mut child = pty.slave.spawn_command(cmd).ok()?;
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().ok()?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut seen = Vec::new();
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
            // The header line names the program: the first frame is drawn.
            if seen.windows(9).any(|w| w == b"hkfilings") {
                let _ = tx.send(Instant::now());
                break;
            }
        }
    });
    let at = rx.recv_timeout(Duration::from_secs(30)).ok();
    let _ = child.kill();
    let _ = child.wait();
    drop(pty.master);
    at.map(|t| t.duration_since(start))
}

fn main() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dirs: Vec<PathBuf> = match std::env::var("BENCH_DIRS") {
        Ok(v) => v.split(':').map(PathBuf::from).collect(),
        Err(_) => [25usize, 180]
            .iter()
            .map(|&issuers| {
                let d = tmp.path().join(format!("corpus-{issuers}"));
                let cfg = hkfilings::gen::GenConfig {
                    issuers,
                    months: 36,
                    ..hkfilings::gen::GenConfig::default()
                };
                hkfilings::gen::write_corpus(&d, &cfg).expect("generate a corpus");
                d
            })
            .collect(),
    };
    println!("first frame of the explorer, median of 5 starts (80x24 pseudo-terminal)");
    for d in dirs {
        let files = walk_count(&d);
        let mut times: Vec<Duration> = (0..5)
            .filter_map(|i| first_frame(&d, &tmp.path().join(format!("home-{i}"))))
            .collect();
        times.sort();
        match times.get(times.len() / 2) {
            Some(t) => println!("{files:>8} files  {:>7.1} ms", t.as_secs_f64() * 1e3),
            None => println!("{files:>8} files  no frame within 30 s"),
        }
    }
}

fn walk_count(d: &Path) -> usize {
    let mut n = 0;
    let mut stack = vec![d.to_path_buf()];
    while let Some(p) = stack.pop() {
        if let Ok(rd) = std::fs::read_dir(&p) {
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    n += 1;
                }
            }
        }
    }
    n
}
