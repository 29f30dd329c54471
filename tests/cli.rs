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
    // The README and twelve announcements.
    assert_eq!(arr.len(), 13);
    let announcements = arr.iter().filter(|e| e["kind"] == "announcement").count();
    assert_eq!(announcements, 12);
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
    // Each subcommand has a page of its own, with its options.
    let out = hkfilings().args(["man", "diff"]).output().unwrap();
    assert!(out.status.success());
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains(".TH hkfilings-diff 1"), "{page}");
    assert!(page.contains(env!("CARGO_PKG_VERSION")), "{page}");
    assert!(page.contains("\\-\\-csv"), "{page}");
    let out = hkfilings().args(["man", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn version_and_help_for_every_subcommand_work() {
    let out = hkfilings().arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("hkfilings "));
    let out = hkfilings().args(["parse", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Examples:"));
}

#[test]
fn parse_over_a_folder_marks_a_copy_as_a_duplicate_of_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let seed = common::shared().join("seeds/003_15f3641158fc2f5c.txt");
    std::fs::copy(&seed, dir.path().join("a.txt")).unwrap();
    std::fs::copy(&seed, dir.path().join("b.txt")).unwrap();
    let out = hkfilings()
        .args(["parse", "--json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert!(arr[0].get("duplicate_of").is_none());
    assert!(arr[1]["duplicate_of"].as_str().unwrap().ends_with("a.txt"));
}

#[test]
fn index_reports_counts_of_a_folder_as_json() {
    let out = hkfilings()
        .args(["index", "--json"])
        .arg(common::shared().join("seeds"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["stats"]["issuers"], 1);
    assert_eq!(v["stats"]["by_kind"]["monthly_return"], 1);
    assert_eq!(v["stats"]["by_kind"]["announcement"], 1);
    assert_eq!(v["stats"]["findings"]["par_times_shares"], 2);
}

#[test]
fn search_puts_the_right_item_first_for_each_seed_query() {
    for (q, label) in [
        ("0020", "00020"),
        ("sense", "SenseTime Group Inc."),
        ("snstm", "SenseTime Group Inc."),
        ("商汤", "商汤集团股份有限公司"),
        ("tang xiao", "Prof. Tang Xiao'ou"),
    ] {
        let out = hkfilings()
            .args(["search", "--json", "--limit", "3"])
            .arg(common::shared().join("seeds"))
            .arg(q)
            .output()
            .unwrap();
        assert!(out.status.success());
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v[0]["label"], label, "query {q}");
        assert_eq!(v[0]["issuer"], "00020", "query {q}");
        assert!(v[0].get("key").is_none(), "no internal ids: {}", v[0]);
        if q == "tang xiao" {
            // where the hit leads, named as a script can use it
            let t = &v[0]["target"];
            assert_eq!(t["type"], "lockup");
            assert!(t["file"].as_str().unwrap().ends_with(".txt"), "{t}");
            let text = std::fs::read_to_string(t["file"].as_str().unwrap()).unwrap();
            let line = text
                .lines()
                .nth(t["line"].as_u64().unwrap() as usize - 1)
                .unwrap();
            assert!(line.contains("Tang Xiao"), "{line}");
        }
    }
}

#[test]
fn diff_of_two_legacy_months_shows_the_change_in_issued_shares() {
    let out = hkfilings()
        .args([
            "diff", "--json", "--issuer", "1149", "--from", "2011-04", "--to", "2011-05",
        ])
        .arg(common::shared().join("realdata/01149_anxin"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("2587537458"), "{text}");
    assert!(text.contains("2269845151"), "{text}");
}

/// `--csv`: one row per figure compared, readable by any CSV reader.
#[test]
fn diff_csv_gives_a_row_per_figure_compared() {
    let out = hkfilings()
        .args([
            "diff", "--csv", "--issuer", "1149", "--from", "2011-04", "--to", "2011-05",
        ])
        .arg(common::shared().join("realdata/01149_anxin"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut rdr = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "section", "item", "status", "measure", "before", "after", "change", "percent",
            "period", "file"
        ]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let issued = rows
        .iter()
        .find(|r| &r[0] == "issued")
        .expect("an issued row");
    assert_eq!(
        (&issued[4], &issued[5], &issued[6], &issued[2]),
        ("2269845151", "2587537458", "317692307", "changed")
    );
    // The warrant exercise of May and the conversion's next day return.
    assert!(rows
        .iter()
        .any(|r| &r[0] == "warrant" && &r[3] == "exercised" && &r[5] == "10000000"));
    assert!(rows.iter().any(|r| &r[0] == "next_day_return"
        && &r[2] == "conversion"
        && &r[5] == "307692307"
        && &r[8] == "2011-05-19"));
    // --json and --csv together are a usage error.
    let both = hkfilings()
        .args(["diff", "--csv", "--json", "--issuer", "1149"])
        .arg(common::shared().join("realdata/01149_anxin"))
        .output()
        .unwrap();
    assert_eq!(both.status.code(), Some(2));
}

/// `--from` alone compares with the issuer's latest month, as the help says;
/// a stock code with no return in the folder is named as such.
#[test]
fn diff_from_alone_runs_to_the_latest_month_and_an_unknown_code_is_named() {
    let folder = common::shared().join("realdata/01149_anxin");
    let out = hkfilings()
        .args(["diff", "--json", "--issuer", "1149", "--from", "2011-04"])
        .arg(&folder)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["from"].as_str(), v["to"].as_str()),
        (Some("2011-04"), Some("2011-12"))
    );
    let out = hkfilings()
        .args(["diff", "--issuer", "99999"])
        .arg(&folder)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no monthly return of 99999"), "{err}");
    // A code or month written wrong is a usage error (2); a month the
    // issuer has no return for is not (1).
    for (args, code) in [
        (&["--issuer", "abc"][..], 2),
        (&["--issuer", "1149", "--from", "2011-13"][..], 2),
        (
            &["--issuer", "1149", "--from", "2011-05", "--to", "2011-04"][..],
            2,
        ),
        (&["--issuer", "1149", "--from", "2008-01"][..], 1),
    ] {
        let out = hkfilings()
            .arg("diff")
            .args(args)
            .arg(&folder)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}");
    }
}

#[test]
fn export_writes_a_csv_of_share_capital_atomically_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("capital.csv");
    let out = hkfilings()
        .args([
            "export",
            "--table",
            "share-capital",
            "--format",
            "csv",
            "-o",
        ])
        .arg(&out_file)
        .arg(common::shared().join("seeds"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = std::fs::read_to_string(&out_file).unwrap();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(&headers[0], "code");
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 2);
    let closing = headers.iter().position(|h| h == "issued_closing").unwrap();
    let mut closings: Vec<&str> = rows.iter().map(|r| &r[closing]).collect();
    closings.sort();
    assert_eq!(closings, vec!["25948809928", "7520115072"]);
}

/// SIGTERM while an export's temporary file waits for its rename: the
/// temporary file is removed, the previous export is intact, and the exit
/// status is the shell's for the signal.
#[cfg(unix)]
#[test]
fn an_export_ended_by_a_signal_leaves_no_temporary_file_and_the_old_export() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("capital.csv");
    std::fs::write(&out_file, "the previous export\n").unwrap();
    let temps = || -> Vec<String> {
        std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    };
    let mut child = hkfilings()
        .args(["export", "--table", "share-capital", "-o"])
        .arg(&out_file)
        .arg(common::shared().join("seeds"))
        .env("HKFILINGS_TEST_HOLD_WRITE", "1")
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while temps().is_empty() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "no temporary file appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(143));
    assert_eq!(temps(), Vec::<String>::new());
    assert_eq!(
        std::fs::read_to_string(&out_file).unwrap(),
        "the previous export\n"
    );
}

/// An issuer's former names are a list in JSON and one "A; B" cell in CSV.
#[test]
fn export_issuers_gives_former_names_as_a_list() {
    let dir = common::shared().join("realdata");
    let run = |format: &str| {
        let out = hkfilings()
            .args(["export", "--table", "issuers", "--format", format])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let v: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let by_code = |c: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|i| i["code"] == c)
            .unwrap_or_else(|| panic!("{c} in {v}"))
            .clone()
    };
    assert_eq!(
        by_code("01149")["former_names"],
        serde_json::json!(["Broad Intelligence International Pharmaceutical Holdings Limited"])
    );
    assert_eq!(by_code("01723")["former_names"], serde_json::json!([]));
    let csv = run("csv");
    assert!(
        csv.contains(",Broad Intelligence International Pharmaceutical Holdings Limited,"),
        "{csv}"
    );
}

#[test]
fn screen_expiring_lists_the_seed_lockups_within_the_window() {
    let out = hkfilings()
        .args([
            "screen",
            "expiring",
            "--days",
            "400",
            "--today",
            "2024-01-01",
            "--json",
        ])
        .arg(common::shared().join("seeds"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert!(rows
        .iter()
        .all(|r| r["end"] == "2024-12-29" && r["days_left"] == 363));
    let out = hkfilings()
        .args([
            "screen",
            "expiring",
            "--days",
            "30",
            "--today",
            "2024-01-01",
            "--json",
        ])
        .arg(common::shared().join("seeds"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 0);
}

#[test]
fn screen_findings_names_the_issuer_with_par_value_misprints() {
    let out = hkfilings()
        .args(["screen", "findings", "--code", "par_times_shares", "--json"])
        .arg(common::shared().join("seeds"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["code"], "00020");
    assert_eq!(v[0]["count"], 2);
}

#[test]
fn config_default_prints_a_commented_config_and_path_names_a_toml_file() {
    let out = hkfilings().args(["config", "--default"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.contains("# default_dir"), "{text}");
    let out = hkfilings().args(["config", "--path"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout)
        .trim_end()
        .ends_with("config.toml"));
}

#[test]
fn the_public_float_prose_of_a_v1_2_return_is_not_read_as_the_class_name() {
    for ext in ["txt", "raw.txt", "pypdf.txt", "pdf"] {
        let out = hkfilings()
            .args(["parse", "--json"])
            .arg(common::shared().join(format!("realdata/01723_monthly_2026-01.{ext}")))
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let class = &v[0]["share_classes"][0];
        assert_eq!(class["class_key"], "01723", "{ext}");
        assert_eq!(class["type"], "Ordinary shares", "{ext}");
        assert_eq!(class["description"], "Ordinary Shares", "{ext}");
    }
}

#[test]
fn the_default_config_in_assets_is_what_config_default_prints() {
    let out = hkfilings().args(["config", "--default"]).output().unwrap();
    let shipped =
        std::fs::read_to_string(common::fixtures().join("../../assets/default-config.toml"))
            .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), shipped);
}

/// A PDF whose text could not be had because the extractor was missing is
/// not remembered as unusable: with pdftotext installed, the next start reads it.
#[cfg(unix)]
#[test]
fn a_pdf_the_missing_extractor_failed_on_is_read_once_the_extractor_is_there() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("filings");
    std::fs::create_dir(&folder).unwrap();
    let pdf = folder.join("01723_monthly_2026-01.pdf");
    std::fs::copy(
        common::shared().join("realdata/01723_monthly_2026-01.pdf"),
        &pdf,
    )
    .unwrap();
    // A file modified within the last seconds is never cached.
    std::fs::File::options()
        .write(true)
        .open(&pdf)
        .unwrap()
        .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600))
        .unwrap();
    // A stand-in pdftotext that prints the return's layout text.
    let bin = tmp.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let tool = bin.join("pdftotext");
    let text = common::shared().join("realdata/01723_monthly_2026-01.txt");
    std::fs::write(
        &tool,
        format!("#!/bin/sh\nexec /bin/cat '{}'\n", text.display()),
    )
    .unwrap();
    std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
    let run = |path: &std::path::Path| {
        let out = hkfilings()
            .args(["index", "--json", "--extractor", "pdftotext"])
            .arg(&folder)
            .env("PATH", path)
            .env("HOME", tmp.path())
            .env("XDG_CACHE_HOME", tmp.path().join("cache"))
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        v["failures"].as_array().map_or(0, Vec::len)
    };
    assert_eq!(
        run(&tmp.path().join("no-tools")),
        1,
        "no pdftotext: unusable"
    );
    assert_eq!(run(&bin), 0, "read on the next start");
}

/// A file's name is printed as text, never as terminal control: an escape
/// sequence in it is taken out of the summary and of error lines.
#[cfg(unix)]
#[test]
fn escape_sequences_in_a_file_name_never_reach_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let name = "a\u{1b}]0;pwned\u{7}b.txt";
    std::fs::write(tmp.path().join(name), "just a note\n").unwrap();
    let out = hkfilings().arg("parse").arg(tmp.path()).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("ab.txt"), "{text}");
    assert!(
        !text.contains('\u{1b}') && !text.contains("pwned"),
        "{text:?}"
    );
    let out = hkfilings()
        .args(["diff", "--issuer", "1"])
        .arg(tmp.path().join(name))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ab.txt"), "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
}

/// `parse --json | head -1`: the reader leaving is no failure.
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_parse_json_quietly() {
    use std::process::Stdio;
    let mut child = hkfilings()
        .args(["parse", "--json"])
        // More JSON than an output buffer holds: the write fails midway.
        .arg(common::fixtures().join("extractors"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A broken config is reported by the subcommands too (naming the file and
/// line), and the command goes on with the defaults; `config --path` names
/// the file given with --config.
#[test]
fn subcommands_report_a_broken_config_and_go_on() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.toml");
    std::fs::write(&bad, "mouse = \"yes\"\n").unwrap();
    let out = hkfilings()
        .arg("--config")
        .arg(&bad)
        .args(["parse", "--json"])
        .arg(common::shared().join("seeds"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml line 1"), "{err}");
    let out = hkfilings()
        .arg("--config")
        .arg(&bad)
        .args(["config", "--path"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        bad.display().to_string()
    );
}

/// The explorer with its output piped (a script that forgot a subcommand)
/// says what it needs and points to the subcommands, without drawing.
#[test]
fn the_explorer_without_a_terminal_says_so_and_names_the_subcommands() {
    let home = tempfile::tempdir().unwrap();
    let out = hkfilings()
        .arg(common::shared().join("seeds"))
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env("XDG_CACHE_HOME", home.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing drawn into the pipe");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("needs a terminal") || err.contains("standard output is not one"),
        "{err}"
    );
    assert!(err.contains("hkfilings parse"), "{err}");
}
