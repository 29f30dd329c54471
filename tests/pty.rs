//! The real binary in a pseudo-terminal: start it on a generated folder,
//! press keys, read the screen, quit, and check the terminal was restored.

mod common;

use common::pty;
use std::time::{Duration, Instant};

const ROWS: u16 = 30;
const COLS: u16 = 130;

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
    let mut s = pty::start(&corpus, tmp.path(), ROWS, COLS);

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
    let mut s = pty::start(&corpus, tmp.path(), ROWS, COLS);
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
    s.wait_exit();
}
