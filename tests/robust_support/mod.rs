//! What the robustness and fuzz tests share: the "never a different number"
//! rule, a time bound for one parse, and the good filings they damage.
#![allow(dead_code)]

use hkfilings::filings::model::{Balance, Entry, Filing, Level};
use hkfilings::filings::parse::parse_text;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// The crate's own test fixtures.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The folder of real filings beside the repository (`../shared`): beside
/// the crate in a clone, two levels up in a worktree.
pub fn shared() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for cand in [root.join("../shared"), root.join("../../shared")] {
        if cand.join("realdata").is_dir() {
            return cand;
        }
    }
    panic!("../shared (the real filings) is not beside the repository");
}

/// Parse text as a filing; None when it is no filing at all.
pub fn parse_str(name: &str, text: &str) -> Option<Filing> {
    match parse_text(name, text) {
        Entry::Filing(f) => Some(*f),
        Entry::Error(_) => None,
    }
}

/// Run `f` on its own thread and give up after `limit`: a parse that hangs
/// fails the test instead of stalling the suite. A panic is reported as an
/// error with its message.
pub fn within<T: Send + 'static>(
    limit: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("bounded".into())
        .spawn(move || {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
            let _ = tx.send(r);
        });
    if let Err(e) = spawned {
        return Err(format!("cannot start a thread: {e}"));
    }
    match rx.recv_timeout(limit) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(p)) => Err(format!(
            "panicked: {}",
            p.downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default()
        )),
        // The thread cannot be stopped: it is left to finish on its own.
        Err(_) => Err(format!("took longer than {limit:?}")),
    }
}

/// Every number a filing presents as read, by a stable path:
/// `<class_key>.issued.closing`, `option:<scheme>.opening`, ...
pub fn numbers(f: &Filing) -> BTreeMap<String, Option<i64>> {
    let mut out = BTreeMap::new();
    let mut put = |k: String, v: Option<i64>| {
        out.entry(k).or_insert(v);
    };
    for c in &f.share_classes {
        let key = &c.class_key;
        if let Some(a) = &c.authorised {
            put(format!("{key}.authorised.opening"), a.opening);
            put(format!("{key}.authorised.change"), a.change);
            put(format!("{key}.authorised.closing"), a.closing);
        }
        let mut bal = |what: &str, b: &Option<Balance>| {
            if let Some(b) = b {
                put(format!("{key}.{what}.opening"), b.opening);
                put(format!("{key}.{what}.change"), b.change);
                put(format!("{key}.{what}.closing"), b.closing);
            }
        };
        bal("issued", &c.issued);
        bal("treasury", &c.treasury);
        bal("total", &c.total);
    }
    for s in &f.option_schemes {
        put(format!("option:{}.opening", s.scheme), s.opening);
        put(format!("option:{}.closing", s.scheme), s.closing);
        put(
            format!("option:{}.new_shares_issued", s.scheme),
            s.new_shares_issued,
        );
    }
    out
}

/// A finding that tells the reader something is missing or wrong (not an
/// info note such as `not_checkable`).
fn has_warning(f: &Filing) -> bool {
    f.findings.iter().any(|x| x.level >= Level::Warning)
}

/// The mutation rule: every number `damaged` presents is the number `good`
/// read at the same place, or null; and a number lost to the damage comes
/// with a warning or error finding. Places the damage removed altogether (a
/// class whose heading was deleted) are not compared: a missing row is no
/// wrong number.
pub fn never_a_different_number(good: &Filing, damaged: &Filing) -> Result<(), String> {
    let before = numbers(good);
    for (path, value) in numbers(damaged) {
        let Some(&was) = before.get(&path) else {
            continue;
        };
        match (value, was) {
            (Some(v), Some(w)) if v != w => {
                return Err(format!("{path}: read {v}, undamaged {w}"));
            }
            (Some(v), None) => {
                return Err(format!(
                    "{path}: read {v} where the undamaged text has none"
                ));
            }
            (None, Some(w)) if !has_warning(damaged) => {
                return Err(format!("{path}: {w} lost without a warning finding"));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Text files of the fixture folders that hold the three return families
/// (whichever of them exist), each with its name.
pub fn return_fixtures() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["ff301", "legacy", "ndr", "tui"] {
        let Ok(rd) = std::fs::read_dir(fixtures().join(dir)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if p.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            // Only returns: announcements carry no balances to compare.
            let is_return = parse_str("probe.txt", &text)
                .is_some_and(|f| !numbers(&f).is_empty() && f.lockups.is_empty());
            if is_return {
                out.push((format!("{dir}/{}", file_name(&p)), text));
            }
        }
    }
    out
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}
