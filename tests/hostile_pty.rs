//! The real binary in a pseudo-terminal against hostile input: filings whose
//! text carries terminal control sequences, a parser crash while loading,
//! and a crash of the UI thread itself.

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROWS: u16 = 30;
const COLS: u16 = 130;

/// The payloads of the hostile fixtures (tests/fixtures/hostile/README.md).
const MARKERS: &[&str] = &[
    // OSC 52 clipboard write: base64 of "HKF_CLIPBOARD_MARKER".
    "SEtGX0NMSVBCT0FSRF9NQVJLRVI",
    "HKF_TITLE_MARKER",
    "HKF_TITLE2_MARKER",
    "HKF_C1_TITLE_MARKER",
    "HKF_LINK_MARKER",
];

/// Sequences the fixtures carry that the program itself never sends before quitting.
const FOREIGN_SEQUENCES: &[&[u8]] = &[
    b"\x1b]",            // any OSC: title, clipboard, hyperlink
    b"\xc2\x9d",         // OSC as a C1 character in UTF-8
    b"\xc2\x9b",         // CSI as a C1 character in UTF-8
    b"\x1b[38;2;1;2;3m", // the fixtures' true colour
    b"\x1b[13A",         // cursor up 13
    b"\x1b[?1049l",      // leave the alternate screen
];

fn hostile_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile")
}

struct Session {
    out: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Session {
    fn start(dir: &Path, home: &Path, env: &[(&str, &str)]) -> Session {
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
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("XDG_CACHE_HOME", home.join("cache"));
        cmd.env("RUST_BACKTRACE", "0");
        for (k, v) in env {
            cmd.env(k, v);
        }
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
        // The master must outlive the session.
        std::mem::forget(pty.master);
        Session { out, writer, child }
    }

    fn raw(&self) -> Vec<u8> {
        self.out.lock().map(|o| o.clone()).unwrap_or_default()
    }

    fn parser(&self) -> vt100::Parser {
        let mut p = vt100::Parser::new(ROWS, COLS, 0);
        p.process(&self.raw());
        p
    }

    fn screen(&self) -> String {
        self.parser().screen().contents()
    }

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

    /// Wait for the program to exit; its exit code.
    fn exit(&mut self, secs: u64) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    // Let the reader drain what was written last.
                    std::thread::sleep(Duration::from_millis(300));
                    return status;
                }
                _ if start.elapsed() > Duration::from_secs(secs) => {
                    let _ = self.child.kill();
                    panic!("hkfilings did not exit; the screen:\n{}", self.screen());
                }
                _ => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// The hostile filings beside a copy of a good one, in a fresh folder.
fn hostile_folder(tmp: &Path) -> PathBuf {
    let dir = tmp.join("filings");
    std::fs::create_dir_all(&dir).expect("folder");
    for e in std::fs::read_dir(hostile_fixtures())
        .expect("fixtures")
        .flatten()
    {
        std::fs::copy(e.path(), dir.join(e.file_name())).expect("copy");
    }
    dir
}

#[test]
fn control_sequences_in_filings_never_reach_the_terminal() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = hostile_folder(tmp.path());
    let mut s = Session::start(&dir, tmp.path(), &[]);
    s.wait_for("loaded in", 60);
    // Every pane, and the source view from each pane that opens one.
    for pane in [b"1", b"2", b"3", b"4", b"5", b"6"] {
        s.keys(pane);
        s.keys(b"j");
        s.keys(b"\r");
        s.keys(b"l");
        // Esc, not q: q quits where no source view is open.
        s.keys(b"\x1b");
    }
    // The source view shows the files' own lines, sequences and all.
    s.keys(b"5");
    s.keys(b"\r");
    s.wait_for("Source ·", 10);
    s.keys(b"\x1b");
    s.keys(b"6");
    s.keys(b"c");
    s.keys(b"i");
    s.keys(b"\r");
    s.keys(b"\x1b");
    s.keys(b"1");
    std::thread::sleep(Duration::from_millis(300));

    let before_quit = s.raw();
    let p = s.parser();
    assert_eq!(p.screen().title(), "", "the window title was changed");
    assert_eq!(p.screen().icon_name(), "", "the icon name was changed");
    for seq in FOREIGN_SEQUENCES {
        assert!(
            find(&before_quit, seq).is_none(),
            "{:?} reached the terminal",
            String::from_utf8_lossy(seq)
        );
    }
    // The issuer is there, its name shown as text.
    assert!(s.screen().contains("Evil"), "{}", s.screen());

    s.keys(b"q");
    let status = s.exit(10);
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn the_payloads_of_control_sequences_are_not_even_shown_as_text() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = hostile_folder(tmp.path());
    let mut s = Session::start(&dir, tmp.path(), &[]);
    s.wait_for("loaded in", 60);
    for pane in [b"1", b"2", b"3", b"4", b"5", b"6"] {
        s.keys(pane);
        s.keys(b"\r");
        s.keys(b"\x1b");
    }
    let raw = s.raw();
    s.keys(b"q");
    s.exit(10);
    for m in MARKERS {
        assert!(
            find(&raw, m.as_bytes()).is_none(),
            "{m} appears in the output"
        );
    }
}

#[test]
fn a_parser_crash_while_loading_is_reported_and_the_explorer_keeps_running() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = hostile_folder(tmp.path());
    std::fs::write(
        dir.join("boom__hkfilings_panic__.txt"),
        "Next Day Disclosure Return\n",
    )
    .expect("write");
    let mut s = Session::start(&dir, tmp.path(), &[("HKFILINGS_TEST_PANIC", "1")]);
    let screen = s.wait_for("loaded in", 60);
    assert!(screen.contains("crashed"), "the status bar tells: {screen}");
    // Still answering keys: the corpus findings list the crashed file.
    s.keys(b"6");
    s.keys(b"c");
    let screen = s.wait_for("boom__hkfilings_", 10);
    assert!(screen.contains("the parser crashed"), "{screen}");
    s.keys(b"?");
    s.wait_for("Keys (? or Esc closes)", 10);
    s.keys(b"\x1b");
    // The crash did not restore the terminal under the running UI.
    assert!(find(&s.raw(), b"\x1b[?1049l").is_none());
    s.keys(b"q");
    let status = s.exit(10);
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn a_panic_in_the_ui_thread_restores_the_terminal() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = hostile_folder(tmp.path());
    let mut s = Session::start(&dir, tmp.path(), &[("HKFILINGS_TEST_UI_PANIC", "1")]);
    s.wait_for("loaded in", 60);
    s.keys(b"2");
    // F12 in xterm's encoding.
    s.keys(b"\x1b[24~");
    let status = s.exit(10);
    assert!(!status.success(), "a panic exits with failure");
    let raw = s.raw();
    let entered = rfind(&raw, b"\x1b[?1049h").expect("the alternate screen was entered");
    let left = rfind(&raw, b"\x1b[?1049l").expect("the alternate screen was left");
    assert!(left > entered);
    let tail = &raw[left..];
    assert!(
        tail.starts_with(b"\x1b[?1049l\x1b[?25h"),
        "leaving the alternate screen shows the cursor: {:?}",
        String::from_utf8_lossy(&tail[..tail.len().min(40)])
    );
    assert!(
        find(&raw[..left], b"\x1b[?1000l").is_some(),
        "mouse capture was turned off before"
    );
    // After the restore only the panic message (and at most another
    // cursor-show) follows: no more drawing on the user's screen.
    let after = String::from_utf8_lossy(&tail[b"\x1b[?1049l\x1b[?25h".len()..]).to_string();
    assert!(after.contains("panicked"), "{after:?}");
    assert!(
        after.replace("\x1b[?25h", "").find('\x1b').is_none(),
        "escape sequences after the restore: {after:?}"
    );
    // Raw mode is off again: the message's line ends were translated to CR LF.
    assert!(after.contains("\r\n"), "{after:?}");
    let p = s.parser();
    assert!(!p.screen().hide_cursor(), "the cursor is visible");
    assert!(!p.screen().alternate_screen(), "back on the main screen");
}

#[test]
fn a_terminating_signal_restores_the_terminal_and_keeps_the_note_being_written() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = hostile_folder(tmp.path());
    let data = tmp.path().join("data");
    let data_env = data.to_string_lossy().to_string();
    let mut s = Session::start(&dir, tmp.path(), &[("HKFILINGS_DATA_DIR", &data_env)]);
    s.wait_for("loaded in", 60);
    // A note on the selected issuer, typed and not yet saved.
    s.keys(b"a");
    s.keys(b"written before the shutdown");
    s.wait_for("written before the shutdown", 10);
    let pid = s.child.process_id().expect("the child's pid");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = s.exit(10);
    assert_eq!(status.exit_code(), 143, "the shell's status for SIGTERM");
    let p = s.parser();
    assert!(!p.screen().alternate_screen(), "back on the main screen");
    assert!(!p.screen().hide_cursor(), "the cursor is visible");
    let raw = s.raw();
    let entered = rfind(&raw, b"\x1b[?1049h").expect("the alternate screen was entered");
    let left = rfind(&raw, b"\x1b[?1049l").expect("the alternate screen was left");
    assert!(left > entered);
    let saved: String = std::fs::read_dir(&data)
        .expect("the data folder was written")
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    assert!(
        saved.contains("written before the shutdown"),
        "the note was kept: {saved}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&data)
        .expect("data folder")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
