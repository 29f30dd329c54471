//! The real binary in a pseudo-terminal, for the tests that drive it: start
//! it, press keys, read the screen through vt100, wait for it to quit.

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Session {
    rows: u16,
    cols: u16,
    pub out: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Session {
    /// Wait for the process to exit on its own.
    pub fn wait_exit(&mut self) {
        let start = Instant::now();
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    assert!(status.success(), "exit status {status:?}");
                    return;
                }
                _ if start.elapsed() > Duration::from_secs(10) => {
                    let _ = self.child.kill();
                    panic!("hkfilings did not quit; the screen:\n{}", self.screen());
                }
                _ => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }

    pub fn screen(&self) -> String {
        let mut p = vt100::Parser::new(self.rows, self.cols, 0);
        p.process(&self.out.lock().map(|o| o.clone()).unwrap_or_default());
        p.screen().contents()
    }

    /// Wait until the screen shows `what`; panics with the screen after `secs`.
    pub fn wait_for(&self, what: &str, secs: u64) -> String {
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

    pub fn keys(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
        std::thread::sleep(Duration::from_millis(150));
    }
}

/// Start the binary on `dir` in a `rows` x `cols` pseudo-terminal, with its
/// home, config, cache and data folders under `home`.
pub fn start(dir: &Path, home: &Path, rows: u16, cols: u16) -> Session {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows,
            cols,
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
    Session {
        rows,
        cols,
        out,
        writer,
        child,
    }
}
