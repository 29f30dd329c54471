//! The index: identity of filings, supersession, renames and the checks that
//! span filings. Filings are built in code (the parsers are tested on text
//! elsewhere), so each test states exactly the figures it is about.

use hkfilings::filings::index::{report_text, Index};
use hkfilings::filings::model::*;
use std::path::Path;
use std::time::Duration;

/// A class with issued shares opening -> closing.
fn class(key: &str, opening: i64, closing: i64) -> ShareClass {
    ShareClass {
        class_key: key.to_string(),
        stock_code: key
            .chars()
            .all(|c| c.is_ascii_digit())
            .then(|| key.to_string()),
        issued: Some(Balance {
            opening: Some(opening),
            change: Some(closing - opening),
            closing: Some(closing),
            ..Balance::default()
        }),
        ..ShareClass::default()
    }
}

/// A monthly return of `code` for `period`, submitted on `date`.
fn monthly(file: &str, code: &str, period: &str, date: &str, classes: Vec<ShareClass>) -> Filing {
    let mut f = Filing::new(file, Kind::MonthlyReturn, Form::Ff301V10);
    f.stock_codes = vec![code.to_string()];
    f.issuer = Some("Example Holdings Limited".to_string());
    f.period = Some(period.to_string());
    f.date = Some(date.to_string());
    f.status = Some(Status::New);
    f.content_hash = format!("hash-of-{file}");
    f.share_classes = classes;
    f
}

/// A legacy monthly return (no status field).
fn legacy(file: &str, code: &str, period: &str, date: &str, classes: Vec<ShareClass>) -> Filing {
    let mut f = monthly(file, code, period, date, classes);
    f.form = Form::Legacy;
    f.status = None;
    f
}

/// A next day return of `code` on `date` closing at `closing` for `key`.
fn ndr(file: &str, code: &str, date: &str, key: &str, opening: i64, closing: i64) -> Filing {
    let mut f = Filing::new(file, Kind::NextDayReturn, Form::Ff304);
    f.stock_codes = vec![code.to_string()];
    f.issuer = Some("Example Holdings Limited".to_string());
    f.date = Some(date.to_string());
    f.content_hash = format!("hash-of-{file}");
    let mut c = class(key, opening, closing);
    if let Some(b) = c.issued.as_mut() {
        b.as_of = Some(date.to_string());
        b.lines.insert("opening".into(), 2);
        b.lines.insert("closing".into(), 3);
    }
    f.share_classes = vec![c];
    f
}

fn entries(filings: Vec<Filing>) -> Vec<Entry> {
    filings
        .into_iter()
        .map(|f| Entry::Filing(Box::new(f)))
        .collect()
}

fn index_of(filings: Vec<Filing>) -> Index {
    let mut ix = Index::new();
    ix.add_batch(entries(filings));
    ix
}

fn by_file<'a>(ix: &'a Index, file: &str) -> &'a Filing {
    let id = ix.id_of(file).expect("file indexed");
    ix.filing(id)
}

fn codes_of(f: &Filing) -> Vec<&str> {
    f.findings.iter().map(|x| x.code.as_str()).collect()
}

/// A serialisation of everything the index decides, independent of the
/// order filings arrived in (ids are arrival positions, so files are named).
fn canonical(ix: &Index) -> String {
    let name = |id: u32| ix.filing(id).file.clone();
    let mut filings: Vec<&Filing> = ix.filings().iter().collect();
    filings.sort_by(|a, b| a.file.cmp(&b.file));
    let issuers: Vec<serde_json::Value> = ix
        .issuers()
        .map(|i| {
            serde_json::json!({
                "code": i.code,
                "name": i.name,
                "names": i.names,
                "filings": i.filings.iter().map(|&x| name(x)).collect::<Vec<_>>(),
                "months": i.months.iter().map(|(p, &x)| (p.clone(), name(x))).collect::<Vec<_>>(),
                "ndrs": i.ndrs.iter().map(|&x| name(x)).collect::<Vec<_>>(),
                "finding_count": i.finding_count,
            })
        })
        .collect();
    let cross: Vec<(String, &Finding)> = ix
        .cross_findings()
        .into_iter()
        .map(|(id, f)| (name(id), f))
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({
        "filings": filings,
        "errors": ix.errors(),
        "issuers": issuers,
        "cross": cross,
        "stats": ix.stats(),
    }))
    .unwrap_or_default()
}

/// A small corpus touching every rule: a chain, a break, a gap, an
/// amendment, a legacy re-submission, duplicates, a rename, next day returns.
fn corpus() -> Vec<Entry> {
    let mut v = vec![
        legacy(
            "a/2011-01.txt",
            "01149",
            "2011-01",
            "2011-02-03",
            vec![class("ordinary-shares", 100, 110)],
        ),
        legacy(
            "a/2011-02.txt",
            "01149",
            "2011-02",
            "2011-03-02",
            vec![class("ordinary-shares", 110, 120)],
        ),
        legacy(
            "a/2011-02-resubmitted.txt",
            "01149",
            "2011-02",
            "2011-03-09",
            vec![class("ordinary-shares", 110, 125)],
        ),
        legacy(
            "a/2011-04.txt",
            "01149",
            "2011-04",
            "2011-05-04",
            vec![class("ordinary-shares", 999, 1000)],
        ),
        legacy(
            "a/2011-05.txt",
            "01149",
            "2011-05",
            "2011-06-02",
            vec![class("ordinary-shares", 1001, 1001)],
        ),
        monthly(
            "b/2023-11.txt",
            "00020",
            "2023-11",
            "2023-12-05",
            vec![class("00020", 500, 600)],
        ),
        monthly(
            "b/2023-11-amended.txt",
            "00020",
            "2023-11",
            "2023-12-08",
            vec![class("00020", 500, 610)],
        ),
        monthly(
            "b/2023-12.txt",
            "00020",
            "2023-12",
            "2024-01-04",
            vec![class("00020", 600, 650)],
        ),
        ndr(
            "b/ndr-2023-12-10.txt",
            "00020",
            "2023-12-10",
            "00020",
            610,
            640,
        ),
        ndr(
            "b/ndr-2023-12-20.txt",
            "00020",
            "2023-12-20",
            "00020",
            640,
            645,
        ),
    ];
    let mut copy = monthly(
        "c/copy-of-2023-12.txt",
        "00020",
        "2023-12",
        "2024-01-04",
        vec![class("00020", 600, 650)],
    );
    copy.content_hash = "hash-of-b/2023-12.txt".to_string();
    v.push(copy);
    let mut renamed = legacy(
        "a/2011-06.txt",
        "01149",
        "2011-06",
        "2011-07-05",
        vec![class("ordinary-shares", 5, 5)],
    );
    renamed.issuer = Some("Anxin-China Holdings Limited".to_string());
    v.push(renamed);
    let mut out = entries(v);
    out.push(Entry::Error(FileError {
        file: "README.md".to_string(),
        error: "not a filing".to_string(),
        error_kind: ErrorKind::NotAFiling,
    }));
    out.push(Entry::Error(FileError {
        file: "empty.txt".to_string(),
        error: "the file is empty".to_string(),
        error_kind: ErrorKind::Empty,
    }));
    out
}

#[test]
fn the_index_is_the_same_whatever_the_order_and_batching_of_its_input() {
    let mut whole = Index::new();
    whole.add_batch(corpus());
    let expected = canonical(&whole);
    for seed in 0..25u64 {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut items = corpus();
        rng.shuffle(&mut items);
        let mut ix = Index::new();
        while !items.is_empty() {
            let n = rng.usize(1..=items.len().min(4));
            let batch: Vec<Entry> = items.drain(..n).collect();
            ix.add_batch(batch);
        }
        assert_eq!(canonical(&ix), expected, "seed {seed} gave another index");
    }
}

#[test]
fn batches_inserted_then_settled_once_give_the_same_index() {
    let mut whole = Index::new();
    whole.add_batch(corpus());
    let expected = canonical(&whole);
    for seed in 0..10u64 {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut items = corpus();
        rng.shuffle(&mut items);
        let mut ix = Index::new();
        // A file read twice (an edit during the load) and an add_batch in
        // between: the pending work is kept and done by the settle.
        let again = items[0].clone();
        while !items.is_empty() {
            let n = rng.usize(1..=items.len().min(4));
            let batch: Vec<Entry> = items.drain(..n).collect();
            if rng.bool() {
                ix.insert_batch(batch);
            } else {
                ix.add_batch(batch);
            }
        }
        ix.insert_batch(vec![again]);
        ix.settle();
        assert_eq!(canonical(&ix), expected, "seed {seed} gave another index");
    }
}

#[test]
fn recomputing_an_issuer_on_every_batch_does_not_repeat_its_findings() {
    let mut ix = Index::new();
    for e in corpus() {
        ix.add_batch(vec![e]);
    }
    let f = by_file(&ix, "a/2011-05.txt");
    assert_eq!(codes_of(f), vec!["chain_break"]);
    let stats = ix.stats();
    assert_eq!(stats.findings.get("chain_break"), Some(&3));
    assert_eq!(stats.findings.get("superseded"), Some(&2));
}

#[test]
fn a_byte_identical_copy_is_a_duplicate_of_the_first_file_by_path() {
    let ix = Index::from_entries(corpus());
    let copy = by_file(&ix, "c/copy-of-2023-12.txt");
    assert_eq!(copy.duplicate_of.as_deref(), Some("b/2023-12.txt"));
    assert!(by_file(&ix, "b/2023-12.txt").duplicate_of.is_none());
    let id = ix.id_of("c/copy-of-2023-12.txt").unwrap_or(u32::MAX);
    assert!(ix.is_duplicate(id));
    assert_eq!(
        ix.effective_return("00020", "2023-12")
            .map(|f| f.file.as_str()),
        Some("b/2023-12.txt")
    );
    assert_eq!(ix.stats().duplicates, 1);
}

#[test]
fn a_re_extraction_with_other_text_but_the_same_figures_is_a_duplicate() {
    let pdf = monthly(
        "z/2024-01.pdf",
        "00700",
        "2024-01",
        "2024-02-02",
        vec![class("00700", 10, 12)],
    );
    let mut txt = monthly(
        "a/2024-01.txt",
        "00700",
        "2024-01",
        "2024-02-02",
        vec![class("00700", 10, 12)],
    );
    // The text extraction lost the opening figure: damage, not another filing.
    if let Some(b) = txt.share_classes[0].issued.as_mut() {
        b.opening = None;
    }
    txt.lines.insert("period".to_string(), 7);
    let ix = index_of(vec![pdf, txt]);
    assert_eq!(
        by_file(&ix, "z/2024-01.pdf").duplicate_of.as_deref(),
        Some("a/2024-01.txt")
    );
    assert!(by_file(&ix, "a/2024-01.txt").duplicate_of.is_none());
    assert_eq!(ix.months("00700"), vec!["2024-01".to_string()]);
}

#[test]
fn a_return_with_other_figures_on_the_same_day_is_not_a_duplicate() {
    let a = monthly(
        "a.txt",
        "00700",
        "2024-01",
        "2024-02-02",
        vec![class("00700", 10, 12)],
    );
    let b = monthly(
        "b.txt",
        "00700",
        "2024-01",
        "2024-02-02",
        vec![class("00700", 10, 13)],
    );
    let ix = index_of(vec![a, b]);
    assert!(by_file(&ix, "b.txt").duplicate_of.is_none());
    // Neither is dated later nor an amendment: the later path is taken.
    assert_eq!(
        by_file(&ix, "a.txt").superseded_by.as_deref(),
        Some("b.txt")
    );
}

#[test]
fn an_amendment_supersedes_the_original_return_of_its_month() {
    let ix = Index::from_entries(corpus());
    let mut original = monthly(
        "z-original.txt",
        "00005",
        "2023-11",
        "2023-12-05",
        vec![class("00005", 1, 1)],
    );
    original.content_hash = "h1".to_string();
    let mut amended = monthly(
        "a-amended.txt",
        "00005",
        "2023-11",
        "2023-12-05",
        vec![class("00005", 1, 2)],
    );
    amended.status = Some(Status::Amendment);
    let ix2 = index_of(vec![original, amended]);
    let o = by_file(&ix2, "z-original.txt");
    assert_eq!(o.superseded_by.as_deref(), Some("a-amended.txt"));
    let sup = o
        .findings
        .iter()
        .find(|x| x.code == "superseded")
        .expect("superseded finding");
    assert_eq!(sup.level, Level::Info);
    assert_eq!(sup.other_file.as_deref(), Some("a-amended.txt"));
    assert!(sup.message.contains("z-original.txt") && sup.message.contains("amendment"));
    assert_eq!(
        ix2.effective_return("00005", "2023-11")
            .map(|f| f.file.as_str()),
        Some("a-amended.txt")
    );

    // In the corpus the amendment is also dated later.
    assert_eq!(
        by_file(&ix, "b/2023-11.txt").superseded_by.as_deref(),
        Some("b/2023-11-amended.txt")
    );
    let id = ix.id_of("b/2023-11.txt").unwrap_or(u32::MAX);
    assert!(ix.is_superseded(id));
}

#[test]
fn a_legacy_re_submission_with_a_later_date_supersedes_the_earlier() {
    let ix = Index::from_entries(corpus());
    let first = by_file(&ix, "a/2011-02.txt");
    assert_eq!(
        first.superseded_by.as_deref(),
        Some("a/2011-02-resubmitted.txt")
    );
    assert!(first
        .findings
        .iter()
        .any(|x| x.code == "superseded" && x.message.contains("2011-03-09")));
    let eff = ix
        .effective_return("01149", "2011-02")
        .map(|f| f.file.as_str());
    assert_eq!(eff, Some("a/2011-02-resubmitted.txt"));
    // Both are kept on the timeline.
    let iss = ix.issuer("01149").expect("issuer 01149");
    let timeline: Vec<&str> = iss
        .filings
        .iter()
        .map(|&i| ix.filing(i).file.as_str())
        .collect();
    assert!(timeline.contains(&"a/2011-02.txt") && timeline.contains(&"a/2011-02-resubmitted.txt"));
}

#[test]
fn two_next_day_returns_of_one_day_are_two_filings() {
    let a = ndr("n1.txt", "00700", "2024-03-05", "00700", 100, 90);
    let b = ndr("n2.txt", "00700", "2024-03-05", "00700", 90, 80);
    let ix = index_of(vec![a, b]);
    assert_eq!(ix.issuer("00700").map(|i| i.ndrs.len()), Some(2));
    assert!(!ix.is_duplicate(0) && !ix.is_duplicate(1));
    assert_eq!(
        ix.ndrs_between("00700", Some("2024-03-04"), Some("2024-03-05"))
            .len(),
        2
    );
    assert!(ix
        .ndrs_between("00700", Some("2024-03-05"), None)
        .is_empty());
}

#[test]
fn an_issuer_keeps_every_name_it_used_and_is_known_by_the_latest() {
    let ix = Index::from_entries(corpus());
    let iss = ix.issuer("01149").expect("issuer 01149");
    assert_eq!(iss.name, "Anxin-China Holdings Limited");
    let names: Vec<(&str, Option<&str>, Option<&str>)> = iss
        .names
        .iter()
        .map(|n| {
            (
                n.name.as_str(),
                n.first_date.as_deref(),
                n.last_date.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        names,
        vec![
            (
                "Example Holdings Limited",
                Some("2011-02-03"),
                Some("2011-06-02")
            ),
            (
                "Anxin-China Holdings Limited",
                Some("2011-07-05"),
                Some("2011-07-05")
            ),
        ]
    );
}

#[test]
fn a_rename_that_comes_with_a_break_in_the_share_count_is_flagged() {
    let ix = Index::from_entries(corpus());
    let f = by_file(&ix, "a/2011-06.txt");
    let r = f
        .findings
        .iter()
        .find(|x| x.code == "rename_with_break")
        .expect("rename_with_break");
    assert_eq!(r.level, Level::Warning);
    assert_eq!(r.other_file.as_deref(), Some("a/2011-05.txt"));
    assert!(
        r.message.contains("Anxin-China Holdings Limited") && r.message.contains("a/2011-05.txt")
    );
}

#[test]
fn a_rename_whose_shares_carry_over_is_just_a_new_name() {
    let a = legacy(
        "1.txt",
        "01149",
        "2011-01",
        "2011-02-03",
        vec![class("ordinary-shares", 100, 110)],
    );
    let mut b = legacy(
        "2.txt",
        "01149",
        "2011-02",
        "2011-03-03",
        vec![class("ordinary-shares", 110, 110)],
    );
    b.issuer = Some("Anxin-China Holdings Ltd.".to_string());
    let ix = index_of(vec![a, b]);
    assert!(by_file(&ix, "2.txt").findings.is_empty());
    assert_eq!(ix.issuer("01149").map(|i| i.names.len()), Some(2));
}

#[test]
fn spellings_of_one_name_are_one_name() {
    let a = legacy("1.txt", "01149", "2011-01", "2011-02-03", vec![]);
    let mut b = legacy("2.txt", "01149", "2011-02", "2011-03-03", vec![]);
    b.issuer = Some("EXAMPLE  HOLDINGS LTD.".to_string());
    let ix = index_of(vec![a, b]);
    assert_eq!(ix.issuer("01149").map(|i| i.names.len()), Some(1));
}

#[test]
fn a_missing_month_is_named_and_balances_are_not_chained_across_it() {
    let ix = Index::from_entries(corpus());
    let f = by_file(&ix, "a/2011-04.txt");
    // 2011-02 closes at 125 and 2011-04 opens at 999: no chain_break across the gap.
    assert_eq!(codes_of(f), vec!["gap_month"]);
    let g = &f.findings[0];
    assert_eq!(g.level, Level::Info);
    assert!(g.message.contains("no return for 2011-03"), "{}", g.message);
    assert_eq!(g.other_file.as_deref(), Some("a/2011-02-resubmitted.txt"));
}

#[test]
fn a_gap_of_several_months_names_the_range() {
    let a = legacy("1.txt", "01149", "2011-01", "2011-02-03", vec![]);
    let b = legacy("2.txt", "01149", "2011-05", "2011-06-03", vec![]);
    let ix = index_of(vec![a, b]);
    let g = &by_file(&ix, "2.txt").findings[0];
    assert!(
        g.message.contains("no return for 2011-02 to 2011-04"),
        "{}",
        g.message
    );
}

#[test]
fn an_opening_balance_that_differs_from_last_months_closing_is_a_chain_break() {
    let ix = Index::from_entries(corpus());
    let f = by_file(&ix, "a/2011-05.txt");
    let c = &f.findings[0];
    assert_eq!((c.code.as_str(), c.level), ("chain_break", Level::Warning));
    assert_eq!(c.class_key.as_deref(), Some("ordinary-shares"));
    assert_eq!(c.other_file.as_deref(), Some("a/2011-04.txt"));
    assert!(
        c.message.contains("1,001")
            && c.message.contains("1,000")
            && c.message.contains("a/2011-05.txt")
    );
    // The amendment closes 2023-11 at 610; December opens at 600.
    let dec = by_file(&ix, "b/2023-12.txt");
    let c = dec
        .findings
        .iter()
        .find(|x| x.code == "chain_break")
        .expect("chain_break");
    assert_eq!(c.other_file.as_deref(), Some("b/2023-11-amended.txt"));
    assert!(by_file(&ix, "a/2011-02-resubmitted.txt")
        .findings
        .is_empty());
}

/// An option scheme with `opening` -> `closing` outstanding.
fn scheme(name: &str, price: &str, opening: i64, closing: i64) -> OptionScheme {
    let mut lines = Lines::new();
    lines.insert("opening".into(), 40);
    OptionScheme {
        scheme: name.to_string(),
        exercise_price: Some(price.to_string()),
        class_key: Some("09999".to_string()),
        opening: Some(opening),
        closing: Some(closing),
        lines,
        ..OptionScheme::default()
    }
}

#[test]
fn an_option_schemes_opening_that_differs_from_last_months_closing_is_a_chain_break() {
    let mut jan = monthly(
        "s/2024-01.txt",
        "09999",
        "2024-01",
        "2024-02-05",
        vec![class("09999", 10, 10)],
    );
    jan.option_schemes = vec![
        scheme("2020 Share Option Scheme", "1.00", 500, 450),
        scheme("2020 Share Option Scheme", "2.00", 300, 300),
    ];
    let mut feb = monthly(
        "s/2024-02.txt",
        "09999",
        "2024-02",
        "2024-03-05",
        vec![class("09999", 10, 10)],
    );
    // Spelt otherwise, and listed in another order: the same two schemes.
    feb.option_schemes = vec![
        scheme("2020 SHARE OPTION SCHEME", "2.00", 300, 300),
        scheme("2020 Share Option Scheme.", "1.00", 440, 440),
    ];
    let ix = index_of(vec![jan, feb]);
    let f = by_file(&ix, "s/2024-02.txt");
    let breaks: Vec<&Finding> = f
        .findings
        .iter()
        .filter(|x| x.code == "chain_break")
        .collect();
    assert_eq!(breaks.len(), 1, "{:?}", f.findings);
    let b = breaks[0];
    assert_eq!(b.level, Level::Warning);
    assert_eq!(b.line, Some(40));
    assert_eq!(b.other_file.as_deref(), Some("s/2024-01.txt"));
    assert!(
        b.message.contains("opening 440")
            && b.message.contains("closing 450")
            && b.message.contains("by -10"),
        "{}",
        b.message
    );
    assert!(by_file(&ix, "s/2024-01.txt").findings.is_empty());
    assert!(!b.message.contains("recovered"), "{}", b.message);

    // An opening the arithmetic gave says so.
    let mut jan = monthly(
        "r/2024-01.txt",
        "09997",
        "2024-01",
        "2024-02-05",
        vec![class("09997", 10, 10)],
    );
    jan.option_schemes = vec![scheme("S", "1.00", 50, 50)];
    let mut feb = monthly(
        "r/2024-02.txt",
        "09997",
        "2024-02",
        "2024-03-05",
        vec![class("09997", 10, 10)],
    );
    let mut s = scheme("S", "1.00", 49, 49);
    s.recovered = vec!["opening".to_string()];
    feb.option_schemes = vec![s];
    let ix = index_of(vec![jan, feb]);
    let f = by_file(&ix, "r/2024-02.txt");
    let b = f
        .findings
        .iter()
        .find(|x| x.code == "chain_break")
        .expect("a chain break");
    assert!(
        b.message.ends_with(
            "(this opening was recovered from the month's closing and movements, not read)"
        ),
        "{}",
        b.message
    );

    // Two rows of one month that cannot be told apart are not compared.
    let mut jan = monthly(
        "t/2024-01.txt",
        "09998",
        "2024-01",
        "2024-02-05",
        vec![class("09998", 10, 10)],
    );
    jan.option_schemes = vec![scheme("S", "1.00", 5, 5), scheme("S", "1.00", 7, 7)];
    let mut feb = monthly(
        "t/2024-02.txt",
        "09998",
        "2024-02",
        "2024-03-05",
        vec![class("09998", 10, 10)],
    );
    feb.option_schemes = vec![scheme("S", "1.00", 6, 6), scheme("S", "1.00", 7, 7)];
    let ix = index_of(vec![jan, feb]);
    assert!(by_file(&ix, "t/2024-02.txt").findings.is_empty());
}

/// A legacy scheme row: no balances, shares issuable at the close as printed.
fn legacy_scheme(issuable: &str, granted: Option<i64>) -> OptionScheme {
    let mut raw = Raw::new();
    raw.insert("issuable_at_close".into(), issuable.to_string());
    let mut lines = Lines::new();
    lines.insert("issuable_at_close".into(), 123);
    OptionScheme {
        scheme: "Share Option Scheme".into(),
        adopted: Some("2003-11-03".into()),
        issuable_at_close: hkfilings::filings::parse::values::parse_int(issuable),
        movements: granted
            .map(|amount| OptionMovement {
                kind: OptionMoveKind::Granted,
                amount,
                note: None,
                line: Some(123),
            })
            .into_iter()
            .collect(),
        raw,
        lines,
        ..OptionScheme::default()
    }
}

#[test]
fn shares_issuable_that_appear_with_no_grant_are_an_issuer_inconsistency() {
    let pair = |before: &str, now: &str, granted: Option<i64>| {
        let mut jul = legacy(
            "h/2011-07.txt",
            "01149",
            "2011-07",
            "2011-08-05",
            vec![class("01149", 10, 10)],
        );
        jul.option_schemes = vec![legacy_scheme(before, None)];
        let mut aug = legacy(
            "h/2011-08.txt",
            "01149",
            "2011-08",
            "2011-09-05",
            vec![class("01149", 10, 10)],
        );
        aug.option_schemes = vec![legacy_scheme(now, granted)];
        let ix = index_of(vec![jul, aug]);
        by_file(&ix, "h/2011-08.txt")
            .findings
            .iter()
            .filter(|x| x.code == "issuer_inconsistency")
            .cloned()
            .collect::<Vec<Finding>>()
    };
    let found = pair("N/A", "37,000,000", None);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].message.contains("37,000,000 shares issuable")
            && found[0].message.contains("(N/A)")
    );
    assert_eq!(found[0].line, Some(123));
    assert_eq!(found[0].other_file.as_deref(), Some("h/2011-07.txt"));
    assert_eq!(pair("Nil", "5,000", None).len(), 1);
    // Granted this month, or issuable the month before: nothing appears from nowhere.
    assert!(pair("N/A", "37,000,000", Some(37_000_000)).is_empty());
    assert!(pair("36,000,000", "37,000,000", None).is_empty());
    // The month before unread (blank), or none now: no finding.
    assert!(pair("", "37,000,000", None).is_empty());
    assert!(pair("N/A", "N/A", None).is_empty());
}

#[test]
fn treasury_shares_are_chained_when_both_months_report_them() {
    let mut nov = class("09999", 100, 100);
    nov.treasury = Some(Balance {
        opening: Some(0),
        change: Some(5),
        closing: Some(5),
        ..Balance::default()
    });
    let mut dec = class("09999", 100, 100);
    dec.treasury = Some(Balance {
        opening: Some(7),
        change: Some(0),
        closing: Some(7),
        ..Balance::default()
    });
    let a = monthly("nov.txt", "09999", "2024-11", "2024-12-03", vec![nov]);
    let b = monthly("dec.txt", "09999", "2024-12", "2025-01-03", vec![dec]);
    let ix = index_of(vec![a, b]);
    let f = by_file(&ix, "dec.txt");
    assert_eq!(codes_of(f), vec!["chain_break"]);
    assert!(f.findings[0]
        .message
        .starts_with("treasury shares opening 7"));
}

#[test]
fn a_switch_from_the_legacy_form_to_ff301_is_not_a_chain_break() {
    let a = legacy(
        "2021-05.txt",
        "01149",
        "2021-05",
        "2021-06-03",
        vec![class("ordinary-shares", 100, 110)],
    );
    let b = monthly(
        "2021-06.txt",
        "01149",
        "2021-06",
        "2021-07-05",
        vec![class("01149", 110, 110)],
    );
    let ix = index_of(vec![a, b]);
    assert!(by_file(&ix, "2021-06.txt").findings.is_empty());
    // The single class is one series across the change of key.
    let series: Vec<(String, Option<i64>)> = ix
        .class_series("01149", "01149")
        .into_iter()
        .map(|(p, c)| (p, c.issued.and_then(|b| b.closing)))
        .collect();
    assert_eq!(
        series,
        vec![
            ("2021-05".to_string(), Some(110)),
            ("2021-06".to_string(), Some(110))
        ]
    );
}

#[test]
fn classes_of_a_multi_class_issuer_are_chained_by_key() {
    let a = monthly(
        "1.txt",
        "09988",
        "2024-01",
        "2024-02-02",
        vec![class("09988", 10, 10), class("class-b", 5, 5)],
    );
    let b = monthly(
        "2.txt",
        "09988",
        "2024-02",
        "2024-03-02",
        vec![class("class-b", 5, 5), class("09988", 10, 11)],
    );
    let ix = index_of(vec![a, b]);
    assert!(by_file(&ix, "2.txt").findings.is_empty());
    assert_eq!(ix.class_series("09988", "class-b").len(), 2);
}

#[test]
fn the_last_next_day_return_of_a_month_must_agree_with_its_monthly_return() {
    let ix = Index::from_entries(corpus());
    // 2023-12 closes at 650; the last next day return of December says 645.
    let last = by_file(&ix, "b/ndr-2023-12-20.txt");
    let f = last
        .findings
        .iter()
        .find(|x| x.code == "ndr_vs_monthly")
        .expect("ndr_vs_monthly");
    assert_eq!(f.other_file.as_deref(), Some("b/2023-12.txt"));
    assert_eq!(f.class_key.as_deref(), Some("00020"));
    assert_eq!(f.line, Some(3), "the next day return's closing line");
    assert!(
        f.message.contains("645")
            && f.message.contains("650")
            && f.message.contains("b/ndr-2023-12-20.txt")
    );
    // Only the last one of the month is compared.
    assert!(by_file(&ix, "b/ndr-2023-12-10.txt").findings.is_empty());
}

#[test]
fn a_next_day_return_that_agrees_with_the_month_gives_no_finding() {
    let m = monthly(
        "m.txt",
        "00700",
        "2024-03",
        "2024-04-03",
        vec![class("00700", 100, 80)],
    );
    let n = ndr("n.txt", "00700", "2024-03-28", "00700", 90, 80);
    let ix = index_of(vec![m, n]);
    assert!(ix.cross_findings().is_empty());
}

#[test]
fn lock_ups_are_listed_with_their_filing() {
    let mut a = Filing::new("ann.txt", Kind::Announcement, Form::Announcement);
    a.stock_codes = vec!["00020".to_string()];
    a.date = Some("2022-11-30".to_string());
    a.title = Some("VOLUNTARY LOCK-UP UNDERTAKINGS".to_string());
    a.lockups = vec![LockUp {
        party: "Dr. Example".to_string(),
        entity: None,
        shares: Some("class B shares".to_string()),
        share_count: None,
        start: Some("2022-12-30".to_string()),
        end: Some("2024-12-29".to_string()),
        months: Some(24),
        kind: LockUpKind::Undertaking,
        lines: Lines::new(),
    }];
    let ix = index_of(vec![a]);
    let l = ix.lockups();
    assert_eq!(l.len(), 1);
    assert_eq!(ix.filing(l[0].0).file, "ann.txt");
    assert_eq!(l[0].1.end.as_deref(), Some("2024-12-29"));
    assert_eq!(ix.issuer("00020").map(|i| i.announcements.len()), Some(1));
}

#[test]
fn two_announcements_of_one_day_with_other_headlines_are_two() {
    let mut a = Filing::new("a.txt", Kind::Announcement, Form::Announcement);
    a.stock_codes = vec!["00020".to_string()];
    a.date = Some("2022-11-30".to_string());
    a.title = Some("INSIDE INFORMATION".to_string());
    let mut b = a.clone();
    b.file = "b.txt".to_string();
    b.title = Some("POLL RESULTS".to_string());
    let ix = index_of(vec![a, b]);
    assert_eq!(ix.stats().duplicates, 0);
}

#[test]
fn stats_count_files_filings_failures_and_findings() {
    let ix = Index::from_entries(corpus());
    let s = ix.stats();
    assert_eq!((s.files, s.filings, s.issuers), (14, 12, 2));
    assert_eq!((s.duplicates, s.superseded, s.not_filings), (1, 2, 1));
    assert_eq!(s.failures.get("empty"), Some(&1));
    assert_eq!(s.failures.get("not_a_filing"), None);
    assert_eq!(s.by_kind.get("next_day_return"), Some(&2));
    assert_eq!(s.by_form.get("legacy"), Some(&6));
    assert_eq!(s.findings.get("gap_month"), Some(&1));
    let json = serde_json::to_value(&s).unwrap_or_default();
    assert_eq!(json["duplicates"], 1);
    let text = report_text(&s, Duration::from_millis(1500));
    assert!(
        text.contains("14 files: 12 filings, 1 unusable, 1 not filings"),
        "{text}"
    );
    assert!(text.contains("2 issuers"));
    assert!(text.contains("chain_break"));
    assert!(text.contains("took 1.50 s"));
}

#[test]
fn an_issuers_finding_count_leaves_out_superseded_and_duplicate_filings() {
    let ix = Index::from_entries(corpus());
    // 00020: the December chain break and the next day return mismatch.
    assert_eq!(ix.issuer("00020").map(|i| i.finding_count), Some(2));
    // 01149: 2011-05 chain break and the rename with its break.
    assert_eq!(ix.issuer("01149").map(|i| i.finding_count), Some(3));
}

#[test]
fn a_file_parsed_again_replaces_its_earlier_entry() {
    let mut ix = Index::new();
    ix.add_batch(entries(vec![monthly(
        "m.txt",
        "00700",
        "2024-03",
        "2024-04-03",
        vec![class("00700", 1, 1)],
    )]));
    ix.add_batch(entries(vec![monthly(
        "m.txt",
        "00701",
        "2024-03",
        "2024-04-03",
        vec![class("00701", 1, 1)],
    )]));
    assert_eq!(ix.filings().len(), 1);
    assert!(ix.issuer("00700").is_none());
    assert_eq!(ix.months("00701"), vec!["2024-03".to_string()]);
}

#[test]
fn filings_without_a_stock_code_still_find_their_copies() {
    let mut a = monthly("a.txt", "x", "2024-03", "2024-04-03", vec![]);
    a.stock_codes.clear();
    let mut b = a.clone();
    b.file = "b.txt".to_string();
    let ix = index_of(vec![b, a]);
    assert_eq!(ix.issuer_count(), 0);
    assert_eq!(ix.orphans().len(), 2);
    assert_eq!(by_file(&ix, "b.txt").duplicate_of.as_deref(), Some("a.txt"));
}

#[test]
fn two_returns_with_no_figures_read_are_not_taken_for_one() {
    let a = monthly("a.txt", "00700", "2024-01", "2024-02-02", vec![]);
    let b = monthly("b.txt", "00700", "2024-01", "2024-02-02", vec![]);
    let ix = index_of(vec![a, b]);
    assert_eq!(ix.stats().duplicates, 0);
}

#[test]
fn a_new_name_with_no_class_carried_over_is_flagged_as_a_possible_reused_code() {
    let a = monthly(
        "1.txt",
        "08001",
        "2015-01",
        "2015-02-03",
        vec![class("class-a", 10, 10), class("class-b", 1, 1)],
    );
    let mut b = monthly(
        "2.txt",
        "08001",
        "2015-02",
        "2015-03-03",
        vec![class("ordinary", 99, 99), class("preference", 1, 1)],
    );
    b.issuer = Some("New Company Limited".to_string());
    let ix = index_of(vec![a, b]);
    assert_eq!(codes_of(by_file(&ix, "2.txt")), vec!["rename_with_break"]);
}

#[test]
fn an_error_and_a_filing_for_one_path_leave_the_filing_whatever_their_order() {
    let err = || {
        Entry::Error(FileError {
            file: "m.txt".to_string(),
            error: "cannot read".to_string(),
            error_kind: ErrorKind::Unreadable,
        })
    };
    let filing = || {
        entries(vec![monthly(
            "m.txt",
            "00700",
            "2024-03",
            "2024-04-03",
            vec![class("00700", 1, 1)],
        )])
    };
    let mut one = vec![err()];
    one.extend(filing());
    let mut two = filing();
    two.push(err());
    for batch in [one, two] {
        let ix = Index::from_entries(batch);
        assert!(ix.errors().is_empty());
        assert_eq!(ix.filings().len(), 1);
    }
}

#[test]
fn next_day_returns_of_every_issuer_are_listed_by_date() {
    let a = ndr("x/late.txt", "00700", "2024-03-09", "00700", 100, 90);
    let b = ndr("y/early.txt", "00005", "2024-03-01", "00005", 5, 6);
    let c = ndr("z/mid.txt", "00700", "2024-03-04", "00700", 90, 100);
    let ix = index_of(vec![a, b, c]);
    let files: Vec<&str> = ix
        .ndrs_by_date()
        .into_iter()
        .map(|id| ix.filing(id).file.as_str())
        .collect();
    assert_eq!(files, vec!["y/early.txt", "z/mid.txt", "x/late.txt"]);
}

#[test]
fn the_chinese_version_of_a_monthly_return_is_a_duplicate_of_the_english_one() {
    let en = legacy(
        "z/2011-01.txt",
        "01149",
        "2011-01",
        "2011-02-01",
        vec![class("ordinary-shares", 10, 12)],
    );
    let mut zh = legacy(
        "a/2011-01.zh.txt",
        "01149",
        "2011-01",
        "2011-02-01",
        vec![class("ordinary-shares", 10, 13)],
    );
    zh.language = Language::Zh;
    zh.issuer = None;
    zh.issuer_zh = Some("安心中國控股有限公司".to_string());
    let ix = index_of(vec![zh, en]);
    // English is the canonical even though the Chinese path sorts first.
    assert_eq!(
        by_file(&ix, "a/2011-01.zh.txt").duplicate_of.as_deref(),
        Some("z/2011-01.txt")
    );
    assert!(by_file(&ix, "z/2011-01.txt").superseded_by.is_none());
    let iss = ix.issuer("01149").expect("issuer");
    assert_eq!(iss.name, "Example Holdings Limited");
    assert_eq!(ix.stats().superseded, 0);
}

/// The Chinese version of a lock-up announcement beside the English one:
/// the same day and the same lock-up periods make it the English one's
/// version (its parties are written in Chinese), so the lock-ups are
/// listed once.
#[test]
fn the_chinese_version_of_a_lockup_announcement_is_a_duplicate_of_the_english_one() {
    use hkfilings::filings::parse::{parse_file, ParseOptions};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/announcements");
    let entries: Vec<Entry> = [
        "chinese_voluntary_lockup.txt",
        "voluntary_lockup_person_and_company.txt",
        // Another issuer's: no version of either.
        "lockup_from_to.txt",
    ]
    .iter()
    .map(|n| parse_file(&dir.join(n), &ParseOptions::default()))
    .collect();
    let mut ix = Index::new();
    ix.add_batch(entries);
    let file = |n: &str| dir.join(n).to_string_lossy().to_string();
    let zh = by_file(&ix, &file("chinese_voluntary_lockup.txt"));
    assert_eq!(
        zh.duplicate_of.as_deref(),
        Some(file("voluntary_lockup_person_and_company.txt").as_str())
    );
    let parties: Vec<&str> = ix.lockups().iter().map(|(_, l)| l.party.as_str()).collect();
    assert_eq!(
        parties,
        vec![
            "Mr. Lam Chun Kit",
            "Madam Cheung Mei Ling",
            "Mr. Lau Chi Wing"
        ]
    );
}

#[test]
fn a_chinese_next_day_return_with_its_own_figures_is_matched_by_them() {
    let first = ndr("n/2011-10-04.txt", "01149", "2011-10-04", "01149", 100, 90);
    let second = ndr("n/2011-10-04_b.txt", "01149", "2011-10-04", "01149", 90, 80);
    let mut zh = ndr(
        "n/2011-10-04_b.zh.txt",
        "01149",
        "2011-10-04",
        "01149",
        90,
        80,
    );
    zh.language = Language::Zh;
    let ix = index_of(vec![first, second, zh]);
    assert_eq!(
        by_file(&ix, "n/2011-10-04_b.zh.txt")
            .duplicate_of
            .as_deref(),
        Some("n/2011-10-04_b.txt")
    );
    assert_eq!(ix.issuer("01149").map(|i| i.ndrs.len()), Some(2));
}

/// The findings table lists files by path, whatever order the loader's
/// threads delivered them in; settling many issuers at once (in parallel)
/// gives each its own decisions.
#[test]
fn findings_export_is_by_file_and_issuers_settle_independently() {
    use hkfilings::filings::export::{table, TableName};
    let with_finding = |file: &str, code: &str| {
        let mut f = monthly(
            file,
            code,
            "2024-01",
            "2024-02-05",
            vec![class(code, 10, 10)],
        );
        f.add_finding(Finding::new(Level::Warning, codes::MISSING_FIELD, "x"));
        Entry::Filing(Box::new(f))
    };
    let mut ix = Index::new();
    ix.insert_batch(vec![
        with_finding("c/00003.txt", "00003"),
        with_finding("a/00001.txt", "00001"),
        with_finding("b/00002.txt", "00002"),
    ]);
    // An amendment of 00001's January return, in a later batch.
    let mut amended = monthly(
        "a/00001-amended.txt",
        "00001",
        "2024-01",
        "2024-02-09",
        vec![],
    );
    amended.status = Some(Status::Amendment);
    ix.insert_batch(vec![Entry::Filing(Box::new(amended))]);
    ix.settle();
    let t = table(&ix, TableName::Findings, None);
    let file_col = t.columns.iter().position(|c| *c == "file").expect("file");
    let files: Vec<String> = t
        .rows
        .iter()
        .map(|r| r[file_col].as_str().unwrap_or_default().to_string())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    assert!(files.contains(&"c/00003.txt".to_string()));
    assert!(
        !files.contains(&"a/00001.txt".to_string()),
        "the superseded return's finding is not exported, as it is not counted"
    );
    let one = ix.issuer("00001").expect("00001");
    assert_eq!(
        one.months
            .get("2024-01")
            .map(|&id| ix.filing(id).file.clone()),
        Some("a/00001-amended.txt".to_string())
    );
    assert_eq!(
        one.finding_count, 0,
        "the superseded return's finding is not counted"
    );
    assert_eq!(ix.issuer("00002").map(|i| i.finding_count), Some(1));
}

/// A return whose stock code the extraction lost, by `name`.
fn codeless(file: &str, name: &str, period: &str, date: &str) -> Filing {
    let mut f = legacy(
        file,
        "x",
        period,
        date,
        vec![class("ordinary-shares", 10, 10)],
    );
    f.stock_codes.clear();
    f.issuer = Some(name.to_string());
    f
}

#[test]
fn a_filing_without_a_stock_code_is_filed_under_the_issuer_whose_name_it_bears() {
    let mut ix = Index::new();
    // The code-less one first, its issuer's coded return in a later batch.
    ix.add_batch(entries(vec![codeless(
        "v/2024-02.txt",
        "EXAMPLE HOLDINGS LTD.",
        "2024-02",
        "2024-03-04",
    )]));
    assert_eq!(ix.orphans().len(), 1);
    assert_eq!(ix.issuer_count(), 0);
    ix.add_batch(entries(vec![legacy(
        "2024-01.txt",
        "00700",
        "2024-01",
        "2024-02-02",
        vec![class("00700", 10, 10)],
    )]));
    assert!(ix.orphans().is_empty());
    let id = ix.id_of("v/2024-02.txt").expect("indexed");
    assert_eq!(ix.issuer_code(id), Some("00700"));
    assert_eq!(
        ix.months("00700"),
        vec!["2024-01".to_string(), "2024-02".to_string()]
    );
    let report = report_text(&ix.stats(), Duration::from_millis(1));
    assert!(
        report.contains("1 filings without a stock code: 1 filed under their issuer by its name, 0 under no issuer"),
        "{report}"
    );

    // The coded return read again as another company's: the name is no
    // longer the issuer's, and the code-less return belongs to none.
    let mut other = legacy(
        "2024-01.txt",
        "00701",
        "2024-01",
        "2024-02-02",
        vec![class("00701", 10, 10)],
    );
    other.issuer = Some("Other Company Limited".to_string());
    ix.add_batch(entries(vec![other]));
    assert_eq!(ix.issuer_code(id), None);
    assert_eq!(ix.orphans(), &[id]);
    assert_eq!(ix.months("00701"), vec!["2024-01".to_string()]);
}

#[test]
fn a_name_borne_by_two_issuers_files_no_code_less_filing() {
    let mut b = legacy(
        "b.txt",
        "00701",
        "2024-01",
        "2024-02-02",
        vec![class("00701", 10, 10)],
    );
    b.issuer = Some("Example Holdings Limited".to_string());
    let ix = index_of(vec![
        legacy(
            "a.txt",
            "00700",
            "2024-01",
            "2024-02-02",
            vec![class("00700", 10, 10)],
        ),
        b,
        codeless("c.txt", "Example Holdings Limited", "2024-02", "2024-03-04"),
    ]);
    let id = ix.id_of("c.txt").expect("indexed");
    assert_eq!(ix.issuer_code(id), None);
    assert_eq!(ix.orphans(), &[id]);
}

/// Two readings of one return that the index cannot prove one (one lost
/// its class and stock code): of the same month, date and status, the
/// reading with more figures is the effective one, whatever the paths.
#[test]
fn of_two_returns_of_one_day_the_reading_with_more_figures_is_effective() {
    let good = legacy(
        "a/2024-02.txt",
        "00700",
        "2024-02",
        "2024-03-04",
        vec![class("00700", 10, 12)],
    );
    let mut poor = codeless(
        "z/2024-02.txt",
        "Example Holdings Limited",
        "2024-02",
        "2024-03-04",
    );
    poor.share_classes.clear();
    let ix = index_of(vec![poor, good]);
    let eff = ix
        .effective_return("00700", "2024-02")
        .expect("an effective return");
    assert_eq!(eff.file, "a/2024-02.txt");
    let sup = by_file(&ix, "z/2024-02.txt");
    assert_eq!(sup.superseded_by.as_deref(), Some("a/2024-02.txt"));
    assert!(sup
        .findings
        .iter()
        .any(|x| x.message.contains("with more figures read")));
}

/// Each next day return opens at the balance before it: the closing of the
/// next day return before it, or the month's return when it opens at a
/// month's end. A difference is a change no return in the folder reports.
#[test]
fn a_next_day_return_opening_away_from_the_balance_before_it_is_a_chain_break() {
    let opened_at = |mut f: Filing, at: &str| {
        if let Some(b) = f.share_classes[0].issued.as_mut() {
            b.opening_as_of = Some(at.to_string());
        }
        f
    };
    let n1 = ndr("n1.txt", "00700", "2024-03-05", "00700", 100, 110);
    // 110 at the close of n1, but n2 opens at 120: a return is missing.
    let n2 = opened_at(
        ndr("n2.txt", "00700", "2024-03-12", "00700", 120, 125),
        "2024-03-05",
    );
    let m = monthly(
        "m.txt",
        "00700",
        "2024-03",
        "2024-04-03",
        vec![class("00700", 90, 130)],
    );
    // Opens at the month's end: the month's return (130), not n2's 125.
    let n3 = opened_at(
        ndr("n3.txt", "00700", "2024-04-10", "00700", 130, 140),
        "2024-03-31",
    );
    let ix = index_of(vec![n1, n2, m, n3]);
    let breaks = |file: &str| -> Vec<Finding> {
        by_file(&ix, file)
            .findings
            .iter()
            .filter(|x| x.code == "ndr_chain_break")
            .cloned()
            .collect()
    };
    let b = breaks("n2.txt");
    assert_eq!(b.len(), 1, "{b:?}");
    assert_eq!(b[0].other_file.as_deref(), Some("n1.txt"));
    assert_eq!(b[0].line, Some(2), "the opening's line");
    assert!(b[0].message.contains("+10"), "{}", b[0].message);
    assert!(breaks("n1.txt").is_empty());
    assert!(breaks("n3.txt").is_empty(), "{:?}", breaks("n3.txt"));

    // Opening at the month's end away from the month's return: named.
    let n4 = opened_at(
        ndr("n4.txt", "00700", "2024-04-10", "00700", 128, 140),
        "2024-03-31",
    );
    let m = monthly(
        "m.txt",
        "00700",
        "2024-03",
        "2024-04-03",
        vec![class("00700", 90, 130)],
    );
    let ix = index_of(vec![
        ndr("n1.txt", "00700", "2024-03-05", "00700", 100, 110),
        m,
        n4,
    ]);
    let f = by_file(&ix, "n4.txt");
    let b: Vec<_> = f
        .findings
        .iter()
        .filter(|x| x.code == "ndr_chain_break")
        .collect();
    assert_eq!(b.len(), 1, "{:?}", f.findings);
    assert_eq!(b[0].other_file.as_deref(), Some("m.txt"));
}
