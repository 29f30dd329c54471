//! FF301 monthly returns end to end: the real filings' ground truth, the
//! project's own fixtures in every extraction style, and damage that must never
//! turn into a different number.

use hkfilings::filings::model::*;
use hkfilings::filings::parse::parse_text;
use std::path::{Path, PathBuf};

fn shared() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for p in [root.join("../shared"), root.join("../../shared")] {
        if p.join("FORMATS.md").exists() {
            return p;
        }
    }
    panic!("the shared folder of real filings (../shared beside the crate) is missing");
}

fn parse_path(p: &Path) -> Filing {
    let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    match parse_text(&p.to_string_lossy(), &text) {
        Entry::Filing(f) => *f,
        Entry::Error(e) => panic!("{}: {}", p.display(), e.error),
    }
}

#[test]
#[ignore]
fn dump() {
    for p in std::env::var("DUMP").unwrap_or_default().split(',') {
        let f = parse_path(Path::new(p));
        println!("{}", serde_json::to_string_pretty(&f).unwrap());
    }
    let _ = shared();
}
