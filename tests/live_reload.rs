//! Live reload in the real binary: a filing downloaded into the folder while
//! the explorer runs shows up without a restart, and the status bar says so.

mod common;

use common::pty;

const ROWS: u16 = 24;
const COLS: u16 = 100;

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
    let mut s = pty::start(&corpus, tmp.path(), ROWS, COLS);
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
    s.wait_exit();
}
