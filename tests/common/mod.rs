//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod pty;

use std::path::{Path, PathBuf};

/// The folder of real filings beside the repository (`../shared`).
pub fn shared() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for cand in [root.join("../shared"), root.join("../../shared")] {
        if cand.join("FORMATS.md").exists() {
            return cand;
        }
    }
    panic!("../shared (the real filings) is not beside the repository");
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}
