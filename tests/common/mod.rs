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

/// The index of the first of `lines` from `from` on that `is` picks (a
/// line a test damages); panics naming `what` when there is none.
pub fn line_from(lines: &[&str], from: usize, what: &str, is: impl Fn(&str) -> bool) -> usize {
    from + lines
        .get(from..)
        .unwrap_or_default()
        .iter()
        .position(|l| is(l))
        .unwrap_or_else(|| panic!("{what} is not in the fixture"))
}

/// The lines joined again after the damage an extractor does: those at
/// `lost` left out, those in `changed` given new text, those at `doubled`
/// printed twice.
pub fn damaged(
    lines: &[&str],
    lost: &[usize],
    changed: &[(usize, &str)],
    doubled: &[usize],
) -> String {
    let mut out: Vec<&str> = Vec::new();
    for (i, &l) in lines.iter().enumerate() {
        if lost.contains(&i) {
            continue;
        }
        let l = changed
            .iter()
            .find(|(at, _)| *at == i)
            .map_or(l, |(_, t)| *t);
        out.push(l);
        if doubled.contains(&i) {
            out.push(l);
        }
    }
    out.join("\n")
}
