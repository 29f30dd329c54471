//! The real binary in a pseudo-terminal: start it on a generated folder,
//! press keys, read the screen, quit, and check the terminal was restored.

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROWS: u16 = 30;
const COLS: u16 = 130;

struct Session {
    out: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Session {
    fn screen(&self) -> String {
        let mut p = vt100::Parser::new(ROWS, COLS, 0);
        p.process(&self.out.lock().map(|o| o.clone()).unwrap_or_default());
        p.screen().contents()
    }

    /// Wait until the screen shows `what`; panics with the screen after `secs`.
    fn wait_for(&self, what: &str, secs: u64) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(what) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(secs) {
                panic!("waited {secs}s for {what:?}; the screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn keys(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
        std::thread::sleep(Duration::from_millis(150));
    }
}

fn start(dir: &std::path::Path, home: &std::path::Path) -> Session {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_hkfilings"));
    cmd.arg(dir);
    cmd.env("TERM", "xterm-256color");
    // No user config or cache leaks into the test.
    cmd.env("HOME", home);
    cmd.env("XDG_CONFIG_HOME", home.join("config"));
    cmd.env("XDG_CACHE_HOME", home.join("cache"));
    cmd.env("HKFILINGS_DATA_DIR", home.join("data"));
    let child = pty.slave.spawn_command(cmd).expect("spawn hkfilings");
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().expect("pty reader");
    let writer = pty.master.take_writer().expect("pty writer");
    let out = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&out);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            if let Ok(mut o) = sink.lock() {
                o.extend_from_slice(&buf[..n]);
            }
        }
    });
    // The master must outlive the session: leak it into the reader's lifetime.
    std::mem::forget(pty.master);
    Session { out, writer, child }
}

#[test]
fn the_explorer_runs_in_a_terminal_and_restores_it_on_quit() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let corpus = tmp.path().join("corpus");
    let cfg = hkfilings::gen::GenConfig {
        issuers: 3,
        months: 4,
        ndr_per_issuer_year: 3,
        ..hkfilings::gen::GenConfig::default()
    };
    hkfilings::gen::write_corpus(&corpus, &cfg).expect("generate a corpus");
    let mut s = start(&corpus, tmp.path());

    let screen = s.wait_for("Issuers (3)", 60);
    s.wait_for("loaded in", 60);
    assert!(screen.contains("1 Issuers"), "{screen}");
    // The share-capital pane beside the list names the selected issuer.
    let shown = |screen: &str| {
        screen
            .split("Share capital · ")
            .nth(1)
            .map(|rest| rest.chars().take(5).collect::<String>())
    };
    let before = shown(&s.screen());
    assert!(before.is_some(), "{}", s.screen());
    s.keys(b"j");
    let after = shown(&s.screen());
    assert_ne!(before, after, "j selects the next issuer");

    s.keys(b"\t");
    let screen = s.wait_for("Opening", 10);
    assert!(screen.contains("Closing"), "{screen}");

    s.keys(b"[");
    s.keys(b"]");
    s.keys(b"\r");
    let screen = s.wait_for("Source ·", 10);
    assert!(screen.contains("line"), "{screen}");

    s.keys(b"q");
    s.wait_for("Opening", 10);
    s.keys(b"?");
    s.wait_for("Keys (? or Esc closes)", 10);
    s.keys(b"\x1b");
    std::thread::sleep(Duration::from_millis(200));
    s.keys(b"q");

    let start = Instant::now();
    loop {
        match s.child.try_wait() {
            Ok(Some(status)) => {
                assert!(status.success(), "exit status {status:?}");
                break;
            }
            _ if start.elapsed() > Duration::from_secs(10) => {
                let _ = s.child.kill();
                panic!("hkfilings did not quit on q");
            }
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    std::thread::sleep(Duration::from_millis(200));
    let out = s.out.lock().map(|o| o.clone()).unwrap_or_default();
    let text = String::from_utf8_lossy(&out);
    assert!(
        text.contains("\x1b[?1049h"),
        "the alternate screen was entered"
    );
    assert!(
        text.trim_end().ends_with("\x1b[?1049l\x1b[?25h"),
        "the output ends by leaving the alternate screen and showing the cursor: {:?}",
        text.get(text.len().saturating_sub(80)..)
    );
    assert!(text.contains("\x1b[?1000l"), "mouse capture was turned off");
}

/// Wait for the process to exit on its own.
fn wait_exit(s: &mut Session) {
    let start = Instant::now();
    loop {
        match s.child.try_wait() {
            Ok(Some(status)) => {
                assert!(status.success(), "exit status {status:?}");
                return;
            }
            _ if start.elapsed() > Duration::from_secs(10) => {
                let _ = s.child.kill();
                panic!("hkfilings did not quit; the screen:\n{}", s.screen());
            }
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

#[test]
fn search_jumps_to_an_issuer_and_d_compares_its_months() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let corpus = tmp.path().join("corpus");
    let cfg = hkfilings::gen::GenConfig {
        issuers: 3,
        months: 4,
        ndr_per_issuer_year: 3,
        ..hkfilings::gen::GenConfig::default()
    };
    hkfilings::gen::write_corpus(&corpus, &cfg).expect("generate a corpus");
    let (index, _) =
        hkfilings::loader::load_index(&corpus, &hkfilings::loader::LoadOptions::default());
    // The last issuer by code: not the one selected at start.
    let target = index
        .issuers()
        .filter(|i| i.months.len() >= 2)
        .last()
        .expect("an issuer with two months");
    let (code, name) = (target.code.clone(), target.name.clone());
    let months: Vec<String> = target.months.keys().cloned().collect();
    let mut s = start(&corpus, tmp.path());
    s.wait_for("loaded in", 60);

    s.keys(b"/");
    s.wait_for("Search", 10);
    s.keys(code.as_bytes());
    s.wait_for(&name.chars().take(12).collect::<String>(), 10);
    s.keys(b"\r");
    s.wait_for(&format!("Share capital · {code}"), 10);

    s.keys(b"d");
    let n = months.len();
    let (from, to) = (&months[n - 2], &months[n - 1]);
    s.wait_for(&format!("Compare {code}"), 10);
    s.wait_for(&format!("{from} → {to}"), 10);
    s.wait_for("Share classes", 10);
    if n >= 3 {
        s.keys(b"[");
        s.wait_for(&format!("{} → {from}", months[n - 3]), 10);
    }
    s.keys(b"q");
    s.wait_for(&format!("Share capital · {code}"), 10);
    s.keys(b"q");
    wait_exit(&mut s);
}
