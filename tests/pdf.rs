//! Reading the exchange's PDFs natively, compared with `pdftotext -layout`,
//! and surviving PDFs that are damaged, encrypted, empty or hostile.

use hkfilings::filings::model::{Entry, ErrorKind};
use hkfilings::filings::parse::parse_text;
use hkfilings::filings::pdf::{extract, Extractor, MAX_PAGES};
use lopdf::{dictionary, Document, Object, Stream};
use regex::Regex;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// The shared real filings beside the clone (`../shared`), or one level
/// further up when the crate is checked out in a nested folder.
fn shared() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for candidate in [root.join("../shared"), root.join("../../shared")] {
        if candidate.is_dir() {
            return candidate;
        }
    }
    panic!(
        "the real filings are missing: no ../shared or ../../shared beside {}",
        root.display()
    );
}

/// Every real PDF with its `pdftotext -layout` twin, sorted.
fn real_pdfs() -> Vec<(PathBuf, PathBuf)> {
    let base = shared().join("realdata");
    let mut out = Vec::new();
    for dir in [base.clone(), base.join("01149_anxin")] {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "pdf") {
                out.push((p.clone(), p.with_extension("txt")));
            }
        }
    }
    out.sort();
    assert!(
        out.len() > 100,
        "expected the 01723 and 01149 PDFs, found {}",
        out.len()
    );
    out
}

fn is_chinese(pdf: &Path) -> bool {
    pdf.to_string_lossy().ends_with(".zh.pdf")
}

fn english_pdfs() -> Vec<(PathBuf, PathBuf)> {
    real_pdfs()
        .into_iter()
        .filter(|(p, _)| !is_chinese(p))
        .collect()
}

fn native_text(pdf: &Path) -> String {
    let bytes = std::fs::read(pdf).unwrap();
    let (text, name) = extract(&pdf.to_string_lossy(), &bytes, Extractor::Native)
        .unwrap_or_else(|e| panic!("{}: {}", pdf.display(), e.error));
    assert_eq!(name, "pdf-extract");
    text
}

fn twin_text(txt: &Path) -> String {
    std::fs::read_to_string(txt).unwrap_or_else(|e| panic!("{}: {e}", txt.display()))
}

static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d[\d,]*(?:\.\d+)?").unwrap());
static STOCK_CODE_ROW: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Stock code:\s+1149\s{2,}Date submitted:").unwrap());
static SHARE_COUNT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d{1,3}(?:,\d{3})+").unwrap());

/// Number tokens (1,456,759,613 / 0.10 / 31/1/2011 as 31, 1, 2011) and how often each occurs.
fn numbers(text: &str) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    for t in NUMBER.find_iter(text) {
        *m.entry(t.as_str().trim_end_matches(',').to_string())
            .or_default() += 1;
    }
    m
}

/// Share of `b`'s tokens that `a` also has (multiset overlap).
fn overlap(a: &HashMap<String, usize>, b: &HashMap<String, usize>) -> f64 {
    let total: usize = b.values().sum();
    let common: usize = b
        .iter()
        .map(|(k, n)| (*n).min(a.get(k).copied().unwrap_or(0)))
        .sum();
    common as f64 / total.max(1) as f64
}

/// The filing's values: the parsed JSON without what differs by extraction
/// (file name, text hash, extractor, source line numbers).
fn values(file: &str, text: &str) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                for k in ["file", "content_hash", "extractor", "lines", "line"] {
                    m.remove(k);
                }
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = match parse_text(file, text) {
        Entry::Filing(f) => serde_json::to_value(&f).unwrap(),
        Entry::Error(e) => serde_json::to_value(&e).unwrap(),
    };
    strip(&mut v);
    v
}

/// Every field where `a` and `b` differ, as `path: a != b` (a path like
/// `share_classes[1].issued.closing`), so a failure names what to look at.
fn differences(path: &str, a: &serde_json::Value, b: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let (va, vb) = (
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                );
                differences(&format!("{path}.{k}"), va, vb, out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                differences(&format!("{path}[{i}]"), va, vb, out);
            }
        }
        _ if a != b => out.push(format!("{path}: pdf {a} != pdftotext {b}")),
        _ => {}
    }
}

#[test]
fn every_english_pdf_parses_to_the_same_values_as_its_pdftotext_twin() {
    let mut report = Vec::new();
    for (pdf, txt) in english_pdfs() {
        let file = pdf.to_string_lossy();
        let native = values(&file, &native_text(&pdf));
        let twin = values(&file, &twin_text(&txt));
        let mut diffs = Vec::new();
        differences("", &native, &twin, &mut diffs);
        if !diffs.is_empty() {
            report.push(format!("{}:\n  {}", pdf.display(), diffs.join("\n  ")));
        }
    }
    assert!(
        report.is_empty(),
        "{} PDFs parse differently from their pdftotext twin:\n{}",
        report.len(),
        report.join("\n")
    );
}

/// The numbers are the data: every number `pdftotext -layout` finds, the
/// native reader finds as often. Tolerance: 98% of the tokens either way
/// (a stray page number or footnote digit may be split differently); on the
/// real filings the overlap is complete.
#[test]
fn native_text_holds_the_same_numbers_as_pdftotext() {
    for (pdf, txt) in real_pdfs() {
        let native = numbers(&native_text(&pdf));
        let twin = numbers(&twin_text(&txt));
        let (got, kept) = (overlap(&native, &twin), overlap(&twin, &native));
        assert!(
            got >= 0.98 && kept >= 0.98,
            "{}: {:.3} of pdftotext's numbers found, {:.3} of ours in pdftotext",
            pdf.display(),
            got,
            kept
        );
    }
}

/// Numbers on the lines that carry `label`, in order: the label and its
/// values must share a line, as in `pdftotext -layout`.
fn numbers_on_label_lines(text: &str, label: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.contains(label))
        .flat_map(|l| {
            SHARE_COUNT
                .find_iter(l)
                .map(|m| m.as_str().to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn monthly_returns_keep_each_balance_on_its_label_line() {
    let mut checked = 0;
    for (pdf, txt) in english_pdfs() {
        if !pdf.to_string_lossy().contains("monthly") {
            continue;
        }
        let native = native_text(&pdf);
        for label in [
            "Balance at close of preceding month",
            "Balance at close of the month",
        ] {
            let ours = numbers_on_label_lines(&native, label);
            assert!(
                !ours.is_empty(),
                "{}: no number on a {label:?} line",
                pdf.display()
            );
            assert_eq!(
                ours,
                numbers_on_label_lines(&twin_text(&txt), label),
                "{}",
                pdf.display()
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 37);
}

/// The first share count within `Closing balance as at` and the two lines below it.
fn closing_balance(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("Closing balance as at"))?;
    lines
        .iter()
        .skip(at)
        .take(3)
        .find_map(|l| SHARE_COUNT.find(l).map(|m| m.as_str().to_string()))
}

#[test]
fn next_day_returns_on_turned_pages_read_upright_with_their_closing_balance() {
    let mut checked = 0;
    for (pdf, txt) in english_pdfs() {
        if !pdf.to_string_lossy().contains("_ndr_") {
            continue;
        }
        let native = native_text(&pdf);
        // Turned pages come out as rows, not as one line per page.
        assert!(
            native
                .lines()
                .any(|l| l.trim() == "Next Day Disclosure Return"),
            "{}",
            pdf.display()
        );
        assert!(
            native.lines().any(|l| STOCK_CODE_ROW.is_match(l)),
            "{}",
            pdf.display()
        );
        let ours = closing_balance(&native);
        assert!(ours.is_some(), "{}: no closing balance", pdf.display());
        assert_eq!(ours, closing_balance(&twin_text(&txt)), "{}", pdf.display());
        checked += 1;
    }
    assert_eq!(checked, 68);
}

#[test]
fn the_2011_09_26_return_reads_its_repurchase_and_closing_balance() {
    let pdf = shared().join("realdata/01149_anxin/01149_ndr_2011-09-26.pdf");
    let text = native_text(&pdf);
    let row = text
        .lines()
        .find(|l| l.contains("Share repurchases but not yet"))
        .unwrap();
    assert!(
        row.contains("9,452,000") && row.contains("0.36%"),
        "{row:?}"
    );
    assert_eq!(closing_balance(&text).as_deref(), Some("2,596,597,458"));
    // One form feed per page, as pdftotext ends its pages.
    assert_eq!(text.matches('\u{c}').count(), 3);
}

#[test]
fn bold_headings_printed_twice_come_out_once() {
    let pdf = shared().join("realdata/01149_anxin/01149_monthly_2011-01.pdf");
    let text = native_text(&pdf);
    let heading = "Monthly Return of Equity Issuer on Movements in Securities";
    assert_eq!(text.matches(heading).count(), 1);
    assert!(!text.contains("MMoonntthhllyy"));
    assert!(text
        .lines()
        .any(|l| l.contains("Balance at close of preceding month")
            && l.contains("4,000,000,000")
            && l.contains("$400,000,000.00")));
}

#[test]
fn table_cells_stay_at_least_two_spaces_apart() {
    let pdf = shared().join("realdata/01723_monthly_2026-01.pdf");
    let text = native_text(&pdf);
    let row = text
        .lines()
        .find(|l| l.starts_with("Balance at close of preceding month") && l.contains("478,272,000"))
        .unwrap();
    let cells: Vec<&str> = row
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cells,
        [
            "Balance at close of preceding month",
            "478,272,000",
            "0",
            "478,272,000"
        ]
    );
}

#[test]
fn chinese_returns_read_as_chinese() {
    let monthly = native_text(&shared().join("realdata/01149_anxin/01149_monthly_2011-01.zh.pdf"));
    assert!(monthly.contains("股份發行人的證券變動月報表"));
    assert!(monthly.contains("中國安芯控股有限公司"));
    assert!(monthly
        .lines()
        .any(|l| l.contains("上月底結存") && l.contains("4,000,000,000")));
    let ndr = native_text(&shared().join("realdata/01149_anxin/01149_ndr_2011-09-26.zh.pdf"));
    assert!(ndr.contains("翌日披露報表"));
}

#[test]
fn a_pdf_read_natively_is_parsed_with_the_extractor_named() {
    let pdf = shared().join("realdata/01149_anxin/01149_monthly_2011-01.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    let entry = hkfilings::filings::parse::parse_bytes("m.pdf", &bytes, &Default::default());
    match entry {
        Entry::Filing(f) => assert_eq!(f.extractor, "pdf-extract"),
        Entry::Error(e) => panic!("{}", e.error),
    }
}

// ---- PDFs built here: damaged, encrypted, empty, hostile ----

/// A one-page PDF drawing `content` with Helvetica as /F1; `extra` is
/// called with the document and the page's resources to add objects.
fn build_pdf(content: &[u8], extra: impl FnOnce(&mut Document, &mut lopdf::Dictionary)) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let mut resources = dictionary! { "Font" => dictionary! { "F1" => font } };
    extra(&mut doc, &mut resources);
    let contents = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => contents,
        "Resources" => resources, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn text_pdf(content: &str) -> Vec<u8> {
    build_pdf(content.as_bytes(), |_, _| {})
}

fn native_error(bytes: &[u8]) -> String {
    match extract("x.pdf", bytes, Extractor::Native) {
        Ok((text, _)) => panic!("expected an error, got text {text:?}"),
        Err(e) => {
            assert_eq!(e.error_kind, ErrorKind::Pdf);
            assert_eq!(e.file, "x.pdf");
            e.error
        }
    }
}

fn native_ok(bytes: &[u8]) -> String {
    extract("x.pdf", bytes, Extractor::Native)
        .map(|(t, _)| t)
        .unwrap_or_else(|e| panic!("{}", e.error))
}

#[test]
fn a_built_pdf_reads_back_with_cells_apart() {
    let text = native_ok(&text_pdf(
        "BT /F1 10 Tf 50 700 Td (Balance at close of the month) Tj 250 0 Td (1,456,759,613) Tj ET",
    ));
    let first = text.lines().next().unwrap();
    let cells: Vec<&str> = first
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(cells, ["Balance at close of the month", "1,456,759,613"]);
    // The number stands in its column: 250 pt right of the label's start.
    assert!(first.find("1,456").is_some_and(|col| col > 40), "{first:?}");
    assert!(text.ends_with('\u{c}'));
}

#[test]
fn a_truncated_pdf_is_reported_as_damaged() {
    let real =
        std::fs::read(shared().join("realdata/01149_anxin/01149_monthly_2011-01.pdf")).unwrap();
    let half = real.get(..real.len() / 2).unwrap();
    assert!(native_error(half).contains("damaged or truncated"));
}

#[test]
fn random_bytes_behind_a_pdf_header_are_reported_as_damaged() {
    let mut rng = fastrand::Rng::with_seed(7);
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.extend((0..20_000).map(|_| rng.u8(..)));
    assert!(native_error(&bytes).contains("damaged"));
}

#[test]
fn bytes_without_a_pdf_header_are_not_a_pdf() {
    assert!(native_error(b"Monthly Return of Equity Issuer").contains("not a PDF"));
}

#[test]
fn a_page_with_no_text_has_no_text_layer() {
    let bytes = build_pdf(b"0 0 1 rg 10 10 200 200 re f", |_, _| {});
    assert_eq!(native_error(&bytes), "no text layer (scanned image?)");
}

#[test]
fn a_scanned_page_drawing_only_an_image_has_no_text_layer() {
    let bytes = build_pdf(b"q 500 0 0 700 0 0 cm /Im1 Do Q", |doc, res| {
        let image = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2,
                "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
            },
            vec![0, 255, 255, 0],
        ));
        res.set("XObject", dictionary! { "Im1" => image });
    });
    assert_eq!(native_error(&bytes), "no text layer (scanned image?)");
}

#[test]
fn an_encrypted_pdf_is_reported_as_encrypted() {
    // A standard-security handler whose user password is not empty: the
    // O and U entries do not match the empty password.
    let mut doc = Document::load_mem(&text_pdf("BT /F1 10 Tf 50 700 Td (secret) Tj ET")).unwrap();
    let encrypt = doc.add_object(dictionary! {
        "Filter" => "Standard", "V" => 1, "R" => 2, "Length" => 40, "P" => -44,
        "O" => Object::string_literal(vec![0x11u8; 32]),
        "U" => Object::string_literal(vec![0x22u8; 32]),
    });
    doc.trailer.set("Encrypt", encrypt);
    doc.trailer.set(
        "ID",
        vec![
            Object::string_literal(vec![1u8; 16]),
            Object::string_literal(vec![1u8; 16]),
        ],
    );
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    assert!(native_error(&bytes).starts_with("encrypted"));
}

#[test]
fn more_pages_than_the_limit_are_refused() {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let kids: Vec<Object> = (0..=MAX_PAGES)
        .map(|_| {
            doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id })
                .into()
        })
        .collect();
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    assert!(native_error(&bytes).contains("2000-page limit"));
}

#[test]
fn arrays_nested_a_million_deep_are_refused_without_overflowing_the_stack() {
    let mut bytes = b"%PDF-1.4\n1 0 obj\n".to_vec();
    bytes.extend(std::iter::repeat_n(b'[', 1_000_000));
    assert!(native_error(&bytes).contains("nested"));
}

#[test]
fn a_form_that_draws_itself_is_drawn_once() {
    let bytes = build_pdf(
        b"BT /F1 10 Tf 50 700 Td (page text) Tj ET /Fm1 Do",
        |doc, res| {
            let form_id = doc.new_object_id();
            let form = Stream::new(
                dictionary! {
                    "Type" => "XObject", "Subtype" => "Form",
                    "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                    "Resources" => dictionary! {
                        "Font" => res.get(b"Font").unwrap().clone(),
                        "XObject" => dictionary! { "Fm1" => form_id },
                    },
                },
                b"BT /F1 10 Tf 50 600 Td (form text) Tj ET /Fm1 Do".to_vec(),
            );
            doc.objects.insert(form_id, Object::Stream(form));
            res.set("XObject", dictionary! { "Fm1" => form_id });
        },
    );
    let text = native_ok(&bytes);
    assert!(
        text.contains("page text") && text.contains("form text"),
        "{text:?}"
    );
    assert_eq!(text.matches("form text").count(), 1);
}

#[test]
fn malformed_operators_are_skipped_not_fatal() {
    // A restore without a save (pdf-extract would print to standard output),
    // a text show before any font, a font that does not exist, a bad matrix,
    // a path painted from nothing, and the quote operator pdf-extract ignores.
    let content = "Q Q (no font yet) Tj BT /F9 12 Tf (missing font) Tj /F1 10 Tf 1 2 cm \
                   50 700 Td (kept) Tj 12 TL (next line) ' 0 0 m 5 5 v S ET";
    let text = native_ok(&text_pdf(content));
    assert!(
        text.contains("kept") && text.contains("next line"),
        "{text:?}"
    );
    assert!(!text.contains("missing font") && !text.contains("no font yet"));
}

#[test]
fn content_that_is_not_content_yields_no_text_rather_than_a_crash() {
    let bytes = build_pdf(&[0xFF, 0x00, b'[', b'(', 0x80, b')', b'T', b'J'], |_, _| {});
    let err = native_error(&bytes);
    assert!(
        err == "no text layer (scanned image?)" || err.starts_with("the PDF reader crashed"),
        "{err}"
    );
}

#[test]
fn pdftotext_is_used_when_asked_or_its_absence_reported() {
    let bytes = text_pdf("BT /F1 10 Tf 50 700 Td (Next Day Disclosure Return) Tj ET");
    match extract("x.pdf", &bytes, Extractor::Pdftotext) {
        Ok((text, name)) => {
            assert_eq!(name, "pdftotext");
            assert!(text.contains("Next Day Disclosure Return"));
        }
        Err(e) => {
            assert_eq!(e.error_kind, ErrorKind::Pdf);
            assert!(e.error.contains("pdftotext"), "{}", e.error);
        }
    }
}

/// Speed on the real filings (release build: `cargo test --release --test pdf -- --ignored`).
#[test]
#[ignore]
fn milliseconds_per_pdf() {
    let pdfs = real_pdfs();
    let bytes: Vec<Vec<u8>> = pdfs
        .iter()
        .map(|(p, _)| std::fs::read(p).unwrap())
        .collect();
    let start = std::time::Instant::now();
    for b in &bytes {
        extract("x.pdf", b, Extractor::Native).unwrap();
    }
    let ms = start.elapsed().as_secs_f64() * 1000.0 / bytes.len() as f64;
    // pdf-extract's own plain-text output over the same files, for scale.
    let start = std::time::Instant::now();
    for b in &bytes {
        let _ = pdf_extract::extract_text_from_mem(b);
    }
    let plain = start.elapsed().as_secs_f64() * 1000.0 / bytes.len() as f64;
    eprintln!(
        "{} PDFs: {ms:.1} ms per PDF ({plain:.1} ms for pdf-extract's plain text)",
        bytes.len()
    );
}
