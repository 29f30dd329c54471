//! Property tests: the parsers and the index never panic and never hang on
//! arbitrary input, and damage to a good return never turns one of its
//! numbers into another number presented as read.

mod robust_support;

use hkfilings::filings::index::Index;
use hkfilings::filings::model::Entry;
use hkfilings::filings::parse::{parse_bytes, parse_text, ParseOptions};
use proptest::prelude::*;
use robust_support::{never_a_different_number, parse_str, return_fixtures, within};
use std::sync::LazyLock;
use std::time::Duration;

/// One parse (or one index build) may take this long, in a debug build.
const LIMIT: Duration = Duration::from_secs(2);

/// Every form's title line, so that arbitrary bodies reach every parser.
const TITLES: &[&str] = &[
    "Monthly Return for Equity Issuer and Hong Kong Depositary Receipts listed under Chapter 19B of the Exchange Listing Rules on Movements in Securities\nFF301",
    "Monthly Return of Equity Issuer on Movements in Securities\nFor the month ended (dd/mm/yyyy) : 31/01/2010",
    "股份發行人的證券變動月報表",
    "FF305\nNext Day Disclosure Return",
    "FF304\nNext Day Disclosure Return",
    "Next Day Disclosure Return",
    "Hong Kong Exchanges and Clearing Limited and The Stock Exchange of Hong Kong Limited take no responsibility for the contents of this announcement.\n(Stock code: 388)",
];

/// Words of the forms, so that arbitrary lines look like rows.
const LABELS: &[&str] = &[
    "Balance at close of preceding month",
    "Balance at close of the month",
    "Increase / decrease (-)",
    "Increase/ (decrease) during the month",
    "I. Movements in Authorised / Registered Share Capital",
    "II. Movements in Issued Shares and/or Treasury Shares",
    "III. Details of Movements in Issued Shares",
    "(A). Share Options (under Share Option Schemes of the Issuer)",
    "(E). Other Movements in Issued Shares",
    "1. Class of shares",
    "Stock code",
    "Stock code (if listed)",
    "Par value",
    "Name of Issuer",
    "Date Submitted",
    "For the month ended",
    "Opening balance as at",
    "Closing balance as at",
    "Share options exercised",
    "Remarks:",
    "Total",
    "N/A",
    "Nil",
    "HK$",
    "USD",
    "(",
    ")",
    "-",
    "\t",
    "不適用",
];

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(LABELS).prop_map(str::to_string),
        (0i64..10_000_000_000).prop_map(group),
        (-1_000_000i64..1_000_000).prop_map(|n| format!("({})", group(n.abs()))),
        "[0-9]{1,4}([,.][0-9]{1,3}){0,3}",
        "[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}",
        any::<String>(),
        "\\PC{0,12}",
    ]
}

fn group(n: i64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn line() -> impl Strategy<Value = String> {
    proptest::collection::vec(token(), 0..8).prop_map(|t| t.join(" "))
}

fn set_file(e: &mut Entry, name: String) {
    match e {
        Entry::Filing(f) => f.file = name,
        Entry::Error(err) => err.file = name,
    }
}

fn parse_bounded(name: &'static str, text: String) -> Result<Entry, TestCaseError> {
    within(LIMIT, move || parse_text(name, &text)).map_err(TestCaseError::fail)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_or_hang(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let e = within(LIMIT, move || parse_bytes("fuzz.txt", &bytes, &ParseOptions::default()))
            .map_err(TestCaseError::fail)?;
        let ix = within(LIMIT, move || Index::from_entries(vec![e])).map_err(TestCaseError::fail)?;
        prop_assert!(ix.stats().files == 1);
    }

    #[test]
    fn arbitrary_bytes_after_a_pdf_header_never_panic_or_hang(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let mut pdf = b"%PDF-1.4\n".to_vec();
        pdf.extend(bytes);
        let e = within(LIMIT, move || parse_bytes("fuzz.pdf", &pdf, &ParseOptions::default()))
            .map_err(TestCaseError::fail)?;
        prop_assert!(matches!(e, Entry::Error(_) | Entry::Filing(_)));
    }

    #[test]
    fn lines_of_labels_and_numbers_under_every_form_title_never_panic_or_hang(
        lines in proptest::collection::vec(line(), 0..60),
        tabs in any::<bool>(),
    ) {
        let body = lines.join("\n");
        let body = if tabs { body.replace(' ', "\t") } else { body };
        let mut entries = Vec::new();
        for (i, title) in TITLES.iter().enumerate() {
            let mut e = parse_bounded("fuzz.txt", format!("{title}\n{body}"))?;
            set_file(&mut e, format!("fuzz-{i}.txt"));
            entries.push(e);
        }
        // The same entries again under other names: the index meets copies
        // and same-month returns too.
        let mut again = entries.clone();
        for (i, e) in again.iter_mut().enumerate() {
            set_file(e, format!("copy-{i}.txt"));
        }
        let ix = within(LIMIT, move || {
            let mut ix = Index::new();
            ix.add_batch(entries);
            ix.add_batch(again);
            ix
        }).map_err(TestCaseError::fail)?;
        prop_assert_eq!(ix.stats().files, 2 * TITLES.len());
    }
}

// ------------------------------------------------------------ mutation rule

/// The good returns the mutations start from: the fixtures of every return
/// family, plus generated returns of each form generation without damage.
static BASES: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let mut out = return_fixtures();
    let cfg = hkfilings::gen::GenConfig {
        issuers: 4,
        months: 30,
        start: (2019, 1),
        seed: 11,
        damage_rate: 0.0,
        ndr_per_issuer_year: 2,
        announcements: false,
        resubmissions: false,
    };
    let mut per_form: std::collections::BTreeMap<String, usize> = Default::default();
    for g in hkfilings::gen::generate(&cfg) {
        let key = format!("{}/{}", g.form(), g.style());
        let n = per_form.entry(key.clone()).or_default();
        if *n < 2 {
            *n += 1;
            out.push((format!("gen {key} {}", g.rel_path), g.text));
        }
    }
    out
});

/// Labels whose rows a mutation swaps: each pair reads the same kind of value.
const SWAPS: &[(&str, &str)] = &[
    (
        "Balance at close of preceding month",
        "Balance at close of the month",
    ),
    ("Opening balance", "Closing balance"),
    ("Increase / decrease (-)", "Balance at close of the month"),
];

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(prop::sample::Index),
    /// A space or tab inside a number (the extractor split its cell).
    SplitNumber(prop::sample::Index, prop::sample::Index, bool),
    SwapLabels(usize, prop::sample::Index, prop::sample::Index),
    /// A line doubled (a page header repeated, a row printed twice).
    DuplicateLine(prop::sample::Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Mutation::DeleteLine),
        (
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>(),
            any::<bool>()
        )
            .prop_map(|(a, b, t)| Mutation::SplitNumber(a, b, t)),
        (
            0..SWAPS.len(),
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>()
        )
            .prop_map(|(s, a, b)| Mutation::SwapLabels(s, a, b)),
        any::<prop::sample::Index>().prop_map(Mutation::DuplicateLine),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        return text.to_string();
    }
    match m {
        Mutation::DeleteLine(at) => {
            lines.remove(at.index(lines.len()));
        }
        Mutation::DuplicateLine(at) => {
            let i = at.index(lines.len());
            let l = lines[i].clone();
            lines.insert(i, l);
        }
        Mutation::SplitNumber(at, pos, tab) => {
            let cands: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].bytes().filter(u8::is_ascii_digit).count() >= 4)
                .collect();
            if !cands.is_empty() {
                let i = cands[at.index(cands.len())];
                // Between two digits, so the split lands inside a number.
                let spots: Vec<usize> = lines[i]
                    .char_indices()
                    .zip(lines[i].chars().skip(1))
                    .filter(|((_, a), b)| a.is_ascii_digit() && (b.is_ascii_digit() || *b == ','))
                    .map(|((p, _), _)| p + 1)
                    .collect();
                if !spots.is_empty() {
                    let p = spots[pos.index(spots.len())];
                    lines[i].insert(p, if *tab { '\t' } else { ' ' });
                }
            }
        }
        Mutation::SwapLabels(s, a, b) => {
            let (x, y) = SWAPS[*s];
            let rows: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].contains(x) || lines[i].contains(y))
                .collect();
            if rows.len() >= 2 {
                let (i, j) = (rows[a.index(rows.len())], rows[b.index(rows.len())]);
                let label = |l: &str| if l.contains(x) { x } else { y };
                let (li, lj) = (label(&lines[i]), label(&lines[j]));
                lines[i] = lines[i].replacen(li, lj, 1);
                lines[j] = lines[j].replacen(lj, li, 1);
            }
        }
    }
    lines.join("\n")
}

/// Damage base `which` with `muts`; the damaged return must keep the rule
/// (`strict`) or at least never present a different share-class balance.
fn check_mutation(which: usize, muts: &[Mutation], strict: bool) -> Result<(), TestCaseError> {
    let (name, text) = &BASES[which % BASES.len()];
    let good = parse_str(name, text).expect("a base is a filing");
    let mut damaged = text.clone();
    for m in muts {
        damaged = apply(&damaged, m);
    }
    let n = name.clone();
    let parsed = within(LIMIT, move || parse_str(&n, &damaged)).map_err(TestCaseError::fail)?;
    if let Some(f) = parsed {
        if let Err(m) = never_a_different_number(&good, &f) {
            // Not strict: share-class balances only, and a lost value is
            // allowed to go without its finding.
            if strict || !(m.contains("lost without") || m.starts_with("option:")) {
                return Err(TestCaseError::fail(format!("{name} after {muts:?}: {m}")));
            }
        }
    }
    Ok(())
}

/// Indices of the bases of each return family: "ff301", "legacy", "ndr",
/// and "ff301-fixtures" (the hand-written FF301 fixtures only).
static FAMILIES: LazyLock<std::collections::BTreeMap<&'static str, Vec<usize>>> =
    LazyLock::new(|| {
        let mut out: std::collections::BTreeMap<&'static str, Vec<usize>> = Default::default();
        for (i, (name, text)) in BASES.iter().enumerate() {
            let Some(f) = parse_str(name, text) else {
                continue;
            };
            let form = f.form.as_str();
            let family = if form.starts_with("ff301") {
                "ff301"
            } else if form == "legacy" {
                "legacy"
            } else {
                "ndr"
            };
            out.entry(family).or_default().push(i);
            if family == "ff301" && !name.starts_with("gen ") {
                out.entry("ff301-fixtures").or_default().push(i);
            }
        }
        out
    });

fn bases_of(family: &str) -> Vec<usize> {
    FAMILIES.get(family).cloned().unwrap_or_default()
}

macro_rules! mutation_rule {
    ($($(#[$attr:meta])* $name:ident: $family:expr, strict $strict:expr;)*) => {$(
        proptest! {
            #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
            $(#[$attr])*
            #[test]
            fn $name(pick in any::<prop::sample::Index>(), muts in proptest::collection::vec(mutation(), 1..3)) {
                let bases = bases_of($family);
                prop_assert!(!bases.is_empty(), "no {} bases", $family);
                check_mutation(bases[pick.index(bases.len())], &muts, $strict)?;
            }
        }
    )*};
}

mutation_rule! {
    a_damaged_ff301_fixture_never_presents_a_different_balance: "ff301-fixtures", strict false;
    a_damaged_ff301_return_flags_every_value_it_lost: "ff301", strict true;
    a_damaged_legacy_return_gives_its_numbers_or_null_with_a_finding: "legacy", strict true;
    a_damaged_next_day_return_gives_its_numbers_or_null_with_a_finding: "ndr", strict true;
}

#[test]
fn the_mutation_bases_cover_every_return_family() {
    for family in ["ff301", "legacy", "ndr"] {
        assert!(!bases_of(family).is_empty(), "no {family} return to damage");
    }
}

#[test]
fn a_date_cut_inside_a_wide_character_is_no_date_and_no_panic() {
    // Found by the fuzzer: byte 10 of "2023-11-0𰒴" falls inside the character.
    for title in TITLES {
        let text =
            format!("{title}\nDate Submitted: 2023-11-0𰒴\nFor the month ended: 2023-11-0𰒴");
        let e = within(LIMIT, move || parse_text("date.txt", &text)).expect("no panic");
        if let Entry::Filing(f) = e {
            assert_eq!(f.date, None);
        }
    }
}
