//! Broken and hostile input on disk: a folder of everything that can go wrong
//! (empty, huge, random, archives, other encodings, truncated filings, NUL
//! bytes, a 10 MB line, unreadable files, a symlink loop, 10,000 empty
//! folders, files deleted or growing while they are read). Loading always
//! finishes, every failure is listed with its reason, and every good filing
//! beside them is indexed: in the library, in `parse --json` and in
//! `index --json`.

mod robust_support;

use hkfilings::filings::model::{codes, Entry, ErrorKind, Filing};
use hkfilings::filings::parse::{parse_file, ParseOptions};
use hkfilings::loader::{load_index, spawn, LoadOptions, LoaderEvent};
use robust_support::{fixtures, never_a_different_number, numbers, parse_str, within};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// The whole load of the hostile folder must finish within this (debug build, 2 cores).
const LOAD_LIMIT: Duration = Duration::from_secs(30);

/// What a file of the hostile folder must become.
#[derive(Debug, Clone, PartialEq)]
enum Expect {
    /// A filing whose numbers equal those of this UTF-8 text.
    Filing { same_numbers_as: String },
    /// A filing (its numbers checked by the mutation rule against the full text).
    Truncated { full: String },
    /// An error of one of these kinds.
    Error(Vec<ErrorKind>),
    /// Either, but an entry all the same (the point is that loading finishes).
    Any,
}

fn read_fixture(rel: &str) -> String {
    std::fs::read_to_string(fixtures().join(rel)).expect("fixture")
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).expect("create folder");
    }
    std::fs::write(path, bytes).expect("write");
}

/// Whether permissions stop this process from reading `p`: root (as in CI
/// containers) reads a chmod 000 file all the same.
fn permissions_bite(p: &Path) -> bool {
    std::fs::read(p).is_err()
}

/// A zip archive holding one stored (uncompressed) file, written by hand:
/// local header, data, central directory, end record.
fn zip_of(name: &str, data: &[u8]) -> Vec<u8> {
    let crc = crc32(data);
    let len = data.len() as u32;
    let mut z = Vec::new();
    z.extend_from_slice(b"PK\x03\x04");
    z.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    z.extend_from_slice(&crc.to_le_bytes());
    z.extend_from_slice(&len.to_le_bytes());
    z.extend_from_slice(&len.to_le_bytes());
    z.extend_from_slice(&(name.len() as u16).to_le_bytes());
    z.extend_from_slice(&[0, 0]);
    z.extend_from_slice(name.as_bytes());
    z.extend_from_slice(data);
    let central = z.len() as u32;
    z.extend_from_slice(b"PK\x01\x02");
    z.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    z.extend_from_slice(&crc.to_le_bytes());
    z.extend_from_slice(&len.to_le_bytes());
    z.extend_from_slice(&len.to_le_bytes());
    z.extend_from_slice(&(name.len() as u16).to_le_bytes());
    z.extend_from_slice(&[0; 12]);
    z.extend_from_slice(&0u32.to_le_bytes());
    z.extend_from_slice(name.as_bytes());
    let central_len = z.len() as u32 - central;
    z.extend_from_slice(b"PK\x05\x06");
    z.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
    z.extend_from_slice(&central_len.to_le_bytes());
    z.extend_from_slice(&central.to_le_bytes());
    z.extend_from_slice(&[0, 0]);
    z
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

/// Where each section of a return starts (1-based line numbers are i+1):
/// the form's part headings `I.` to `V.`, the III(A)-(E) headings, Remarks.
fn section_starts(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim_start();
            let roman = t
                .split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| "IVX".contains(c)));
            roman
                || t.starts_with("(A)")
                || t.starts_with("(B)")
                || t.starts_with("(C)")
                || t.starts_with("(D)")
                || t.starts_with("(E)")
                || t.starts_with("Remarks")
        })
        .map(|(i, _)| i)
        .collect()
}

/// The text up to (not including) line index `i`.
fn cut_before(text: &str, i: usize) -> String {
    text.lines().take(i).collect::<Vec<_>>().join("\n")
}

/// Build the hostile folder; returns what each file (relative path) must become.
fn hostile_folder(root: &Path) -> BTreeMap<String, Expect> {
    let mut expect = BTreeMap::new();
    let mut put = |rel: &str, bytes: &[u8], e: Expect| {
        write(&root.join(rel), bytes);
        expect.insert(rel.to_string(), e);
    };
    let ff301 = read_fixture("ff301/harbour_2025-03.layout.txt");
    let kestrel = read_fixture("ff301/kestrel_2022-08_amendment.tab.txt");
    let legacy = read_fixture("tui/harbour-2010-01.txt");
    let ndr = read_fixture("tui/lumen-ndr-2023-11-15.txt");
    let same = |t: &str| Expect::Filing {
        same_numbers_as: t.to_string(),
    };

    // Good filings beside the broken files.
    put("good/ff301.txt", ff301.as_bytes(), same(&ff301));
    put("good/kestrel.txt", kestrel.as_bytes(), same(&kestrel));
    put("good/legacy.txt", legacy.as_bytes(), same(&legacy));
    put("good/ndr.txt", ndr.as_bytes(), same(&ndr));

    // Nothing in them.
    put("empty.txt", b"", Expect::Error(vec![ErrorKind::Empty]));
    put(
        "blank.txt",
        b"  \n\t\r\n \n",
        Expect::Error(vec![ErrorKind::Empty]),
    );

    // Random bytes (seeded): with NULs, and without.
    let mut rng = fastrand::Rng::with_seed(7);
    let random: Vec<u8> = (0..65_536).map(|_| rng.u8(..)).collect();
    put(
        "random.bin",
        &random,
        Expect::Error(vec![ErrorKind::Binary, ErrorKind::Encoding]),
    );
    let no_nul: Vec<u8> = random.iter().map(|&b| b.max(1)).collect();
    put(
        "random-no-nul.txt",
        &no_nul,
        Expect::Error(vec![ErrorKind::Encoding, ErrorKind::NotAFiling]),
    );

    // Archives and broken PDFs: a good filing inside a zip is still a zip.
    let zip = zip_of("return.txt", ff301.as_bytes());
    put("archive.zip", &zip, Expect::Error(vec![ErrorKind::Binary]));
    put(
        "archive-named.pdf",
        &zip,
        Expect::Error(vec![ErrorKind::Pdf]),
    );
    let mut pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n".to_vec();
    pdf.extend_from_slice(&random[..4096]);
    put("truncated.pdf", &pdf, Expect::Error(vec![ErrorKind::Pdf]));

    // Other encodings: the same numbers as the UTF-8 text, with a finding.
    put("utf16le.txt", &utf16(&ff301, false), same(&ff301));
    put("utf16be.txt", &utf16(&legacy, true), same(&legacy));
    let chinese = legacy.replace(
        "Name of Issuer Harbour Pharma Holdings Limited",
        "Name of Issuer Harbour Pharma Holdings Limited 港灣製藥控股有限公司",
    );
    let (big5, _, big5_bad) = encoding_rs::BIG5.encode(&chinese);
    assert!(!big5_bad, "the Big5 text is encodable");
    put("big5.txt", &big5, same(&chinese));
    let (gbk, _, gbk_bad) = encoding_rs::GBK.encode(&chinese);
    assert!(!gbk_bad, "the GBK text is encodable");
    put("gbk.txt", &gbk, same(&chinese));

    // NUL bytes inside a good filing: not text any more.
    let mut nul = ff301.as_bytes().to_vec();
    nul.splice(200..200, [0u8, 0, 0]);
    put("nul.txt", &nul, Expect::Error(vec![ErrorKind::Binary]));

    // A 10 MB single line; and a 1 MB one inside a return, whose every
    // section reads it (10 MB there takes about 17 s in a debug build: the
    // time is spread over the passes, none is quadratic).
    let long: String = "Balance at close of the month 1,234,567 ".repeat(250_000);
    put("long-line.txt", long.as_bytes(), Expect::Any);
    put(
        "long-line-in-a-return.txt",
        format!(
            "{}\nRemarks: {}\n",
            cut_before(&ff301, 60),
            long.get(..1_000_000).unwrap_or_default()
        )
        .as_bytes(),
        Expect::Any,
    );

    // Filings cut at every section heading.
    for (name, text) in [("ff301", &ff301), ("kestrel", &kestrel)] {
        for i in section_starts(text) {
            put(
                &format!("truncated/{name}-before-line-{}.txt", i + 1),
                cut_before(text, i).as_bytes(),
                Expect::Truncated { full: text.clone() },
            );
        }
    }

    // A file far over the size limit, sparse: it costs no disk.
    let huge = root.join("huge.txt");
    let f = std::fs::File::create(&huge).expect("create");
    f.set_len(200 * 1024 * 1024).expect("set_len");
    expect.insert(
        "huge.txt".to_string(),
        Expect::Error(vec![ErrorKind::TooLarge]),
    );

    // Unreadable (no permissions): see the root caveat in the test.
    let locked = root.join("locked.txt");
    write(&locked, ff301.as_bytes());
    set_mode(&locked, 0o000);
    expect.insert("locked.txt".to_string(), Expect::Any);

    // A symlink loop back to the root, and a link to nowhere.
    #[cfg(unix)]
    {
        std::fs::create_dir_all(root.join("loop")).expect("folder");
        std::os::unix::fs::symlink(root, root.join("loop/back-to-root")).expect("symlink");
        std::os::unix::fs::symlink(root.join("nowhere"), root.join("dangling.txt"))
            .expect("symlink");
    }

    // 10,000 empty folders.
    for a in 0..100 {
        for b in 0..100 {
            std::fs::create_dir_all(root.join(format!("folders/{a:02}/{b:02}"))).expect("folder");
        }
    }
    expect
}

#[cfg(unix)]
fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) {}

fn numbers_of(text: &str) -> BTreeMap<String, Option<i64>> {
    numbers(&parse_str("x.txt", text).expect("the reference text is a filing"))
}

/// Check one file's outcome (`filing` or `error`) against what it must be.
fn check(rel: &str, e: &Expect, filing: Option<&Filing>, error: Option<ErrorKind>) {
    match e {
        Expect::Filing { same_numbers_as } => {
            let f = filing.unwrap_or_else(|| panic!("{rel}: not a filing but {error:?}"));
            assert_eq!(numbers(f), numbers_of(same_numbers_as), "{rel}");
        }
        Expect::Truncated { full } => {
            if let Some(f) = filing {
                let good = parse_str("full.txt", full).expect("the full text is a filing");
                never_a_different_number(&good, f).unwrap_or_else(|m| panic!("{rel}: {m}"));
            }
        }
        Expect::Error(kinds) => {
            let k = error.unwrap_or_else(|| panic!("{rel}: a filing, expected {kinds:?}"));
            assert!(kinds.contains(&k), "{rel}: {k:?}, expected {kinds:?}");
        }
        Expect::Any => {}
    }
}

#[test]
fn a_folder_of_broken_files_loads_lists_each_failure_and_indexes_the_good_filings() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("hostile");
    let expect = hostile_folder(&root);

    let t0 = Instant::now();
    let dir = root.clone();
    let (ix, report) = within(LOAD_LIMIT, move || {
        load_index(&dir, &LoadOptions::default())
    })
    .expect("loading the hostile folder finishes");
    let took = t0.elapsed();
    assert!(took < LOAD_LIMIT, "took {took:?}");

    let rel = |file: &str| {
        Path::new(file)
            .strip_prefix(&root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|_| file.to_string())
    };
    let filings: BTreeMap<String, &Filing> =
        ix.filings().iter().map(|f| (rel(&f.file), f)).collect();
    let errors: BTreeMap<String, (ErrorKind, String)> = ix
        .errors()
        .iter()
        .map(|e| (rel(&e.file), (e.error_kind, e.error.clone())))
        .collect();

    // Every regular file was read once: the loop did not multiply them.
    assert_eq!(report.files, filings.len() + errors.len());
    for (path, e) in &expect {
        let err = errors.get(path).map(|x| x.0);
        assert!(
            filings.contains_key(path) || err.is_some(),
            "{path} is neither a filing nor an error"
        );
        check(path, e, filings.get(path).copied(), err);
    }
    // Every failure names its reason.
    for (path, (kind, why)) in &errors {
        assert!(!why.trim().is_empty(), "{path}: {kind:?} without a reason");
    }
    // The encodings were noticed.
    for name in ["utf16le.txt", "utf16be.txt", "big5.txt", "gbk.txt"] {
        let f = filings.get(name).expect("decoded");
        assert!(
            f.findings
                .iter()
                .any(|x| x.code == codes::ENCODING_FALLBACK),
            "{name}: no encoding_fallback finding"
        );
    }
    // The Chinese name survives both legacy Chinese encodings.
    for name in ["big5.txt", "gbk.txt"] {
        let f = filings.get(name).expect("decoded");
        let text = format!("{:?} {:?}", f.issuer, f.issuer_zh);
        assert!(text.contains("港灣製藥控股有限公司"), "{name}: {text}");
    }
    if permissions_bite(&root.join("locked.txt")) {
        assert_eq!(
            errors.get("locked.txt").map(|e| e.0),
            Some(ErrorKind::Unreadable)
        );
    }
    // A link to nowhere is a file the user put there: it is listed, not lost.
    #[cfg(unix)]
    assert_eq!(
        errors.get("dangling.txt").map(|e| e.0),
        Some(ErrorKind::Unreadable),
        "{errors:?}"
    );
    set_mode(&root.join("locked.txt"), 0o644);
}

/// Run the binary with a time limit; its exit code and standard output.
fn run_bounded(args: &[&std::ffi::OsStr], limit: Duration) -> (Option<i32>, Vec<u8>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hkfilings"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run hkfilings");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut buf);
        buf
    });
    let start = Instant::now();
    let status = loop {
        if let Ok(Some(s)) = child.try_wait() {
            break s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("hkfilings {args:?} ran longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (status.code(), reader.join().unwrap_or_default())
}

#[test]
fn the_command_line_lists_every_failure_of_the_broken_folder_with_its_kind() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("hostile");
    let expect = hostile_folder(&root);
    let rel = |file: &str| {
        Path::new(file)
            .strip_prefix(&root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|_| file.to_string())
    };

    let (code, out) = run_bounded(
        &["parse".as_ref(), "--json".as_ref(), root.as_os_str()],
        LOAD_LIMIT,
    );
    assert_eq!(code, Some(1), "some files failed");
    let v: serde_json::Value = serde_json::from_slice(&out).expect("parse --json is JSON");
    let arr = v.as_array().expect("an array");
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for e in arr {
        *seen
            .entry(rel(e["file"].as_str().unwrap_or_default()))
            .or_default() += 1;
    }
    let twice: Vec<_> = seen.iter().filter(|(_, &n)| n > 1).collect();
    assert!(twice.is_empty(), "listed more than once: {twice:?}");
    for (path, e) in &expect {
        let entry = arr
            .iter()
            .find(|x| rel(x["file"].as_str().unwrap_or_default()) == *path)
            .unwrap_or_else(|| panic!("{path} missing from parse --json"));
        if let Expect::Error(kinds) = e {
            let kind = entry["error_kind"].as_str().unwrap_or("(a filing)");
            assert!(
                kinds.iter().any(|k| k.as_str() == kind),
                "{path}: {kind}, expected {kinds:?}"
            );
            assert!(entry["error"].as_str().is_some_and(|s| !s.is_empty()));
        }
        if let Expect::Filing { .. } = e {
            assert_eq!(entry["schema_version"], 1, "{path}");
        }
    }

    let (code, out) = run_bounded(
        &["index".as_ref(), "--json".as_ref(), root.as_os_str()],
        LOAD_LIMIT,
    );
    assert_eq!(code, Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out).expect("index --json is JSON");
    let failures = v["failures"].as_array().expect("failures");
    for (path, e) in &expect {
        if let Expect::Error(kinds) = e {
            let f = failures
                .iter()
                .find(|x| rel(x["file"].as_str().unwrap_or_default()) == *path)
                .unwrap_or_else(|| panic!("{path} missing from index --json failures"));
            let kind = f["error_kind"].as_str().unwrap_or_default();
            assert!(kinds.iter().any(|k| k.as_str() == kind), "{path}: {kind}");
        }
    }
    set_mode(&root.join("locked.txt"), 0o644);
}

/// Each return fixture cut before every section heading and before every
/// line holding a number; with `mid_line`, also inside that line (the file
/// ends mid-row). Each cut is parsed within 2 s.
fn truncations(mid_line: bool, check: impl Fn(&str, usize, &Filing, &Filing)) {
    for (name, text) in robust_support::return_fixtures() {
        let good = parse_str(&name, &text).expect("a fixture is a filing");
        let mut cuts = section_starts(&text);
        for (i, line) in text.lines().enumerate() {
            if line.bytes().filter(u8::is_ascii_digit).count() >= 4 {
                cuts.push(i);
            }
        }
        for i in cuts {
            let cut = cut_before(&text, i);
            let Some(line) = text.lines().nth(i) else {
                continue;
            };
            let half: String = line.chars().take(line.chars().count() / 2).collect();
            let mut texts = vec![cut.clone()];
            if mid_line {
                texts.push(format!("{cut}\n{half}"));
            }
            for t in texts {
                let n = name.clone();
                let parsed = within(Duration::from_secs(2), move || parse_str(&n, &t))
                    .unwrap_or_else(|m| panic!("{name} cut at line {}: {m}", i + 1));
                if let Some(f) = parsed {
                    check(&name, i + 1, &good, &f);
                }
            }
        }
    }
}

#[test]
fn a_truncated_return_never_presents_a_different_number() {
    truncations(false, |name, line, good, f| {
        if let Err(m) = never_a_different_number(good, f) {
            if !m.contains("lost without") {
                panic!("{name} cut at line {line}: {m}");
            }
        }
    });
}

#[test]
fn a_truncated_return_flags_every_value_it_lost_even_mid_row() {
    truncations(true, |name, line, good, f| {
        never_a_different_number(good, f)
            .unwrap_or_else(|m| panic!("{name} cut at line {line}: {m}"));
    });
}

#[test]
fn files_deleted_while_the_folder_loads_are_listed_as_unreadable_and_the_rest_indexed() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().to_path_buf();
    let legacy = read_fixture("tui/harbour-2010-01.txt");
    let n = 1500;
    let paths: Vec<PathBuf> = (0..n)
        .map(|i| root.join(format!("{:02}/{i:05}.txt", i % 20)))
        .collect();
    for p in &paths {
        write(p, legacy.as_bytes());
    }
    // The deleter starts with the walk and removes every other file.
    let go = Arc::new(AtomicBool::new(false));
    let flag = go.clone();
    let doomed: Vec<PathBuf> = paths.iter().step_by(2).cloned().collect();
    let deleter = std::thread::spawn(move || {
        while !flag.load(Ordering::Relaxed) {
            std::thread::yield_now();
        }
        for p in doomed {
            let _ = std::fs::remove_file(p);
        }
    });
    let (tx, rx) = mpsc::channel();
    let handle = spawn(root.clone(), LoadOptions::default(), move |ev| {
        tx.send(ev).is_ok()
    });
    go.store(true, Ordering::Relaxed);
    let mut entries = Vec::new();
    let mut finished = None;
    let start = Instant::now();
    while finished.is_none() {
        match rx.recv_timeout(Duration::from_secs(1)) {
            Ok(LoaderEvent::Batch(b, _)) => entries.extend(b),
            Ok(LoaderEvent::Finished { files, .. }) => finished = Some(files),
            Ok(_) => {}
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        assert!(start.elapsed() < LOAD_LIMIT, "the load did not finish");
    }
    handle.join();
    let _ = deleter.join();
    assert_eq!(finished, Some(entries.len()), "Finished counts every entry");
    let mut filings = 0;
    for e in &entries {
        match e {
            Entry::Filing(_) => filings += 1,
            Entry::Error(err) => {
                assert_eq!(err.error_kind, ErrorKind::Unreadable, "{err:?}");
                assert!(err.error.contains("cannot read"), "{err:?}");
            }
        }
    }
    // The files nobody deleted are all there.
    assert!(filings >= n / 2, "{filings} filings of {n}");
}

#[test]
fn a_file_growing_while_it_is_read_gives_a_filing_or_an_error_never_a_hang() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().to_path_buf();
    let legacy = read_fixture("tui/harbour-2010-01.txt");
    write(&root.join("other.txt"), legacy.as_bytes());
    let growing = root.join("growing.txt");
    write(&growing, legacy.as_bytes());
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let g = growing.clone();
    let writer = std::thread::spawn(move || {
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&g)
            .expect("open to append");
        let chunk = "Remarks: the issuer appends while the reader reads 1,000,000\n".repeat(2000);
        let mut written = 0usize;
        // A few MiB: this is about a file changing under the reader, not its size.
        while !flag.load(Ordering::Relaxed) && written < 4 * 1024 * 1024 {
            if f.write_all(chunk.as_bytes()).is_err() {
                break;
            }
            written += chunk.len();
        }
    });
    for _ in 0..3 {
        let dir = root.clone();
        let (ix, report) = within(LOAD_LIMIT, move || {
            load_index(&dir, &LoadOptions::default())
        })
        .expect("the load finishes");
        assert_eq!(report.files, 2);
        assert!(ix.filings().iter().any(|f| f.file.ends_with("other.txt")));
        let g = growing.to_string_lossy().to_string();
        assert!(
            ix.filings().iter().any(|f| f.file == g) || ix.errors().iter().any(|e| e.file == g)
        );
    }
    stop.store(true, Ordering::Relaxed);
    let _ = writer.join();
}

#[cfg(unix)]
#[test]
fn a_named_pipe_or_a_device_is_refused_not_read_forever() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let fifo = tmp.path().join("pipe.txt");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let legacy = read_fixture("tui/harbour-2010-01.txt");
    write(&tmp.path().join("good.txt"), legacy.as_bytes());
    for p in [Path::new("/dev/zero"), fifo.as_path()] {
        if !p.exists() {
            continue;
        }
        let path = p.to_path_buf();
        let e = within(Duration::from_secs(5), move || {
            parse_file(&path, &ParseOptions::default())
        })
        .unwrap_or_else(|m| panic!("{}: {m}", p.display()));
        match e {
            Entry::Error(err) => assert_eq!(err.error_kind, ErrorKind::Unreadable),
            Entry::Filing(_) => panic!("{} parsed as a filing", p.display()),
        }
    }
    if made {
        // The command line walks the folder itself: the pipe must not stall it.
        let (code, out) = run_bounded(
            &["parse".as_ref(), "--json".as_ref(), tmp.path().as_os_str()],
            Duration::from_secs(20),
        );
        assert_eq!(code, Some(1));
        let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
        assert_eq!(v.as_array().map(|a| a.len()), Some(2), "{v}");
        // The loader lists the pipe among the failures, by kind, without
        // blocking on it (and without the cache, which never opens it).
        let cache_home = tempfile::tempdir().expect("cache dir");
        for cache in [false, true, true] {
            let dir = tmp.path().to_path_buf();
            let home = cache_home.path().to_path_buf();
            let (ix, report) = within(Duration::from_secs(10), move || {
                let opts = LoadOptions {
                    cache_dir: cache.then_some(home),
                    ..LoadOptions::default()
                };
                load_index(&dir, &opts)
            })
            .expect("the load does not block on the pipe");
            assert_eq!(report.failures, 1, "cache {cache}");
            let err = ix
                .errors()
                .iter()
                .find(|e| e.file.ends_with("pipe.txt"))
                .expect("the pipe is listed");
            assert_eq!(err.error_kind, ErrorKind::Unreadable);
            assert!(err.error.contains("a named pipe"), "{}", err.error);
            assert_eq!(ix.filings().len(), 1);
        }
    }
}

#[test]
fn an_export_that_fails_mid_way_leaves_the_previous_file_intact() {
    use hkfilings::atomic::{write_with, FailAt};
    let tmp = tempfile::tempdir().expect("temp dir");
    let target = tmp.path().join("exports/share-capital.csv");
    std::fs::create_dir(tmp.path().join("exports")).expect("exports folder");
    let previous = "issuer,class_key,closing\n00020,00020,27071189548\n";
    write_with(&target, previous.as_bytes(), FailAt::Never).expect("first export");
    // A long export over it fails after writing its temporary file whole.
    let next: String = (0..50_000)
        .map(|i| format!("{i:05},{i:05},{}\n", i * 1000))
        .collect();
    let err = write_with(&target, next.as_bytes(), FailAt::BeforeRename)
        .expect_err("the simulated failure is reported");
    assert!(err.to_string().contains("simulated"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&target).expect("the export is still there"),
        previous
    );
    let left: Vec<String> = std::fs::read_dir(target.parent().expect("folder"))
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(
        left,
        vec!["share-capital.csv".to_string()],
        "no temporary file left"
    );
    // And a good export then replaces it whole.
    write_with(&target, next.as_bytes(), FailAt::Never).expect("second export");
    assert_eq!(std::fs::read_to_string(&target).expect("read"), next);
}

#[test]
fn every_terminal_size_edge_renders_without_a_panic() {
    // tests/render.rs sweeps 1..20 squared and every 7th size up to 295x99;
    // this adds the edges it steps over: each width at the smallest and
    // largest heights, each height at the smallest and largest widths.
    use hkfilings::tui::app::{App, Msg};
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;
    let legacy = read_fixture("tui/harbour-2010-01.txt");
    let ff301 = read_fixture("ff301/harbour_2025-03.layout.txt");
    let entries = vec![
        hkfilings::filings::parse::parse_text("a.txt", &legacy),
        hkfilings::filings::parse::parse_text("b.txt", &ff301),
    ];
    let mut sizes = Vec::new();
    for w in 1..=300u16 {
        for h in [1u16, 2, 3, 100] {
            sizes.push((w, h));
        }
    }
    for h in 1..=100u16 {
        for w in [1u16, 2, 3, 300] {
            sizes.push((w, h));
        }
    }
    for keys in ["", "2", "3 Enter", "6 a i"] {
        let mut app = App::new(
            hkfilings::filings::index::Index::from_entries(entries.clone()),
            "robust",
            &hkfilings::config::Config::default(),
            chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("date"),
        );
        app.press(keys);
        for &(w, h) in &sizes {
            app.update(Msg::Resize(w, h));
            let mut term = Terminal::new(TestBackend::new(w, h)).expect("backend");
            term.draw(|f| hkfilings::tui::ui::draw(f, &app))
                .unwrap_or_else(|e| panic!("{w}x{h} after {keys:?}: {e}"));
        }
    }
}

#[cfg(unix)]
#[test]
fn a_folder_that_cannot_be_listed_is_a_failure_naming_the_reason() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write(
        &tmp.path().join("good.txt"),
        read_fixture("tui/harbour-2010-01.txt").as_bytes(),
    );
    let locked = tmp.path().join("locked");
    write(&locked.join("inside.txt"), b"hidden by the folder's mode");
    // A folder handed to the parser says it is one, whatever its mode.
    match parse_file(&locked, &ParseOptions::default()) {
        Entry::Error(e) => {
            assert_eq!(e.error_kind, ErrorKind::Unreadable);
            assert!(e.error.contains("a folder"), "{}", e.error);
        }
        Entry::Filing(_) => panic!("a folder parsed as a filing"),
    }
    set_mode(&locked, 0o000);
    // Root lists a folder of mode 000 all the same: nothing more to see.
    if std::fs::read_dir(&locked).is_ok() {
        set_mode(&locked, 0o755);
        return;
    }
    let dir = tmp.path().to_path_buf();
    let (ix, report) = load_index(
        &dir,
        &LoadOptions {
            cache_dir: None,
            ..LoadOptions::default()
        },
    );
    set_mode(&locked, 0o755);
    assert_eq!(report.failures, 1);
    let err = ix
        .errors()
        .iter()
        .find(|e| e.file.ends_with("locked"))
        .expect("the locked folder is listed");
    assert!(
        err.error.contains("a folder that cannot be listed"),
        "{}",
        err.error
    );
    assert_eq!(ix.filings().len(), 1);
}
