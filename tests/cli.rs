//! The real binary, run as a script would run it.

mod common;

use std::process::Command;

fn hkfilings() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hkfilings"))
}

#[test]
fn parse_json_over_a_folder_lists_filings_and_a_readme_and_exits_zero() {
    let out = hkfilings()
        .args(["parse", "--json"])
        .arg(common::fixtures().join("announcements"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 3);
    let readme = arr
        .iter()
        .find(|e| e["file"].as_str().unwrap().ends_with("README.md"))
        .unwrap();
    assert_eq!(readme["error_kind"], "not_a_filing");
    let lockup = arr
        .iter()
        .find(|e| e["file"].as_str().unwrap().ends_with("lockup_from_to.txt"))
        .unwrap();
    assert_eq!(lockup["schema_version"], 1);
    assert_eq!(lockup["kind"], "announcement");
    assert_eq!(lockup["stock_codes"][0], "02891");
    assert_eq!(lockup["lockups"][1]["entity"], "Evergreen Wick Limited");
    assert_eq!(lockup["lockups"][1]["end"], "2024-12-31");
    assert!(lockup["content_hash"].as_str().unwrap().len() >= 16);
}

#[test]
fn parse_reports_empty_and_binary_files_by_name_and_exits_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.txt"), b"").unwrap();
    std::fs::write(dir.path().join("blob.bin"), b"\x00\x01\x02garbage\x00").unwrap();
    std::fs::copy(
        common::fixtures().join("announcements/plain.txt"),
        dir.path().join("good.txt"),
    )
    .unwrap();
    let out = hkfilings()
        .args(["parse", "--json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<(String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let file = e["file"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string();
            (file, e["error_kind"].as_str().unwrap_or("ok").to_string())
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("blob.bin".to_string(), "binary".to_string()),
            ("empty.txt".to_string(), "empty".to_string()),
            ("good.txt".to_string(), "ok".to_string()),
        ]
    );
}

#[test]
fn parse_with_a_missing_file_reports_it_unreadable() {
    let out = hkfilings()
        .args(["parse", "/nonexistent/hkfilings-test.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("/nonexistent/hkfilings-test.txt"), "{text}");
    assert!(text.contains("unreadable"), "{text}");
}

#[test]
fn a_usage_error_exits_two() {
    let out = hkfilings().args(["parse"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn completions_and_the_man_page_are_generated_from_the_cli_definitions() {
    let out = hkfilings().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("hkfilings"));
    let out = hkfilings().arg("man").output().unwrap();
    assert!(out.status.success());
    let man = String::from_utf8_lossy(&out.stdout);
    assert!(man.contains(".TH hkfilings 1"), "{man}");
    assert!(man.contains("parse"), "{man}");
}

#[test]
fn version_and_help_for_every_subcommand_work() {
    let out = hkfilings().arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("hkfilings "));
    let out = hkfilings().args(["parse", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Examples:"));
}
