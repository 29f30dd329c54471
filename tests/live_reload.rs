//! Live reload in the real binary: a filing downloaded into the folder while
//! the explorer runs shows up without a restart, and the status bar says so.

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROWS: u16 = 24;
const COLS: u16 = 100;

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

fn start(dir: &Path, home: &Path) -> Session {
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

/// A board-meeting announcement of an issuer the generated corpus does not have.
const ANNOUNCEMENT: &str = "(Stock Code: 9988)\n\nDATE OF BOARD MEETING\n\n\
The board of directors (the \"Board\") of Quarry Bay Textiles Limited (the \"Company\") \
announces that a meeting of the Board will be held.\n\nHong Kong, 3 March 2025\n";

#[test]
fn a_filing_downloaded_into_the_folder_appears_without_a_restart() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let corpus = tmp.path().join("corpus");
    let cfg = hkfilings::gen::GenConfig {
        issuers: 2,
        months: 2,
        ndr_per_issuer_year: 1,
        ..hkfilings::gen::GenConfig::default()
    };
    hkfilings::gen::write_corpus(&corpus, &cfg).expect("generate a corpus");
    let mut s = start(&corpus, tmp.path());
    s.wait_for("Issuers (2)", 60);
    s.wait_for("loaded in", 60);
    assert!(!s.screen().contains("09988"));

    // As a browser downloads: a partial file under another name, then a rename.
    let partial = corpus.join("quarry-bay-board-meeting.txt.tmp");
    std::fs::write(&partial, ANNOUNCEMENT).expect("write the download");
    std::fs::rename(&partial, corpus.join("quarry-bay-board-meeting.txt"))
        .expect("finish the download");

    let screen = s.wait_for("reloaded 1 file: quarry-bay-board-meeting.txt", 20);
    s.wait_for("Issuers (3)", 10);
    assert!(
        s.screen().contains("09988"),
        "the new issuer is listed:\n{screen}"
    );
    s.keys(b"q");
    wait_exit(&mut s);
}
