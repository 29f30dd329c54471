//! Next day returns under damage: a balance whose labels stand on the wrong
//! rows, or whose number a space or tab broke, is null with a warning, never
//! another number presented as read; two whole cells side by side are still
//! read. The returns here are written for these tests (issuers invented).

mod robust_support;

use hkfilings::filings::model::{Filing, Level};
use robust_support::{never_a_different_number, parse_str};

/// A legacy next day return as a tab-separated extraction gives it: the
/// balance labels on lines of their own, each count on the line after.
const LEGACY_TAB: &str = "Next Day Disclosure Return
(Equity issuer - changes in issued share capital and/or share buybacks)
Name of listed issuer: Kestrel Quay Holdings Limited

Stock code: 4321\tDate submitted: 14 March 2019

Description of securities:\tOrdinary Share with par value HKD 0.10 per share

 I.
Issues of shares (Notes 6 and 7)\tNo. of shares\tIssue price per share (Notes 1 and 7)
Opening balance as at
 (Note 2)\t1,204,350,000
 28 February 2019
 (Note 3)\t2,650,000\t0.22%\tHK$0.84\tHK$0.88\tdiscount
 Exercise of share options
 on 13 March 2019

Closing balance as at
 (Note 8)\t1,207,000,000
  13 March 2019

Notes to Section I:
8.       The closing balance date is the date of the last relevant event being disclosed.

II.
A.      Purchase report
Trading date\tNumber of securities purchased\tMethod of purchase (Note)\tPrice per share or highest price paid $\tLowest price paid $\tTotal paid $
\tN/A\t\t\t\tN/A
Total\tN/A\t\t\t\tN/A

Submitted by: _____Ng Siu Wah_____
(Name)
Title: _____ Company Secretary____
";

/// An FF305 return extracted with single spaces between cells: each balance
/// row carries the date, the issued shares and the treasury shares.
const FF305_SPACED: &str = "FF305
Next Day Disclosure Return
(Equity issuer - changes in issued shares or treasury shares, share redemptions or repurchases)
Instrument: Equity issuer
Status: New Submission
Name of Issuer: Marlpit Orchard Group Limited
Date Submitted: 9 October 2024
1. Type of shares Ordinary shares Class of shares Not applicable Listed on the Exchange (Note 11) Yes
Stock code 06078 Description Ordinary shares
A. Changes in issued shares or treasury shares
Opening balance as at (Note 1) 30 September 2024 871,015,300 0
1). Share options exercised 415,000 0.05 % HK$2.17
Date of changes 8 October 2024
Closing balance as at (Note 8) 8 October 2024 871,430,300 0
Submitted by: Tse Ka Yan
Title: Company Secretary
";

/// An FF304 return in tab cells: the date cell stands right before the count.
const FF304_TAB: &str = "Next Day Disclosure Return
(Equity issuer - changes in issued share capital and/or share buybacks)

Instrument: Equity issuer

Status: New Submission

Name of Issuer: Tollgate Reach Limited

Date Submitted: 17 June 2022

1. Type of shares\tOrdinary shares\tClass of shares\tNot applicable\tListed on SEHK (Note 11)\tYes
Stock code\t02468\tDescription\tOrdinary shares

A. Changes in issued shares
Opening balance as at (Note 1)\t31 May 2022\t3,061,250,000
1). Placing\t150,000,000\t4.90 %\tHK$1.12
Date of changes\t16 June 2022

Closing balance as at (Note 8)\t16 June 2022\t3,211,250,000

Submitted by: Lau Wing Tat
";

fn parse(text: &str) -> Filing {
    parse_str("ndr.txt", text).expect("a next day return")
}

/// (opening, closing) of the first share class.
fn balances(f: &Filing) -> (Option<i64>, Option<i64>) {
    let b = f
        .share_classes
        .first()
        .and_then(|c| c.issued.as_ref())
        .expect("an issued balance");
    (b.opening, b.closing)
}

fn warnings(f: &Filing) -> Vec<String> {
    f.findings
        .iter()
        .filter(|x| x.level >= Level::Warning)
        .map(|x| x.message.clone())
        .collect()
}

fn swap_labels(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.contains("Opening balance") {
                l.replacen("Opening balance", "Closing balance", 1)
            } else if l.contains("Closing balance") {
                l.replacen("Closing balance", "Opening balance", 1)
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_undamaged_returns_read_both_balances() {
    let f = parse(LEGACY_TAB);
    assert_eq!(balances(&f), (Some(1_204_350_000), Some(1_207_000_000)));
    assert!(warnings(&f).is_empty(), "{:?}", warnings(&f));
    let f = parse(FF304_TAB);
    assert_eq!(balances(&f), (Some(3_061_250_000), Some(3_211_250_000)));
    assert!(warnings(&f).is_empty(), "{:?}", warnings(&f));
}

#[test]
fn swapped_opening_and_closing_labels_leave_both_balances_null_with_a_warning() {
    for base in [LEGACY_TAB, FF304_TAB, FF305_SPACED] {
        let f = parse(&swap_labels(base));
        assert_eq!(balances(&f), (None, None), "{base}");
        let issued = f.share_classes[0].issued.as_ref().expect("issued");
        assert_eq!(issued.opening_as_of, None);
        assert_eq!(issued.as_of, None);
        assert!(
            warnings(&f)
                .iter()
                .any(|m| m.contains("out of the form's order")),
            "{:?}",
            warnings(&f)
        );
    }
}

#[test]
fn an_opening_label_with_no_closing_label_after_it_is_out_of_order() {
    // The labels swapped, then the row now labelled "Closing" lost: only an
    // "Opening" label is left, on the closing count.
    let swapped = swap_labels(LEGACY_TAB);
    let damaged: String = swapped
        .lines()
        .filter(|l| !l.contains("Closing balance"))
        .collect::<Vec<_>>()
        .join("\n");
    let f = parse(&damaged);
    assert_eq!(balances(&f), (None, None));
    // A doubled opening label, the copy then swapped with the closing label:
    // "Opening", "Closing", ..., "Opening".
    let mut lines: Vec<String> = LEGACY_TAB.lines().map(str::to_string).collect();
    let o = lines
        .iter()
        .position(|l| l.contains("Opening balance"))
        .expect("opening label");
    lines.insert(o + 1, "Closing balance as at".to_string());
    let c = lines
        .iter()
        .rposition(|l| l.contains("Closing balance"))
        .expect("closing label");
    lines[c] = "Opening balance as at".to_string();
    let f = parse(&lines.join("\n"));
    assert_eq!(balances(&f), (None, None));
    assert!(warnings(&f)
        .iter()
        .any(|m| m.contains("out of the form's order")));
}

#[test]
fn a_space_or_tab_inside_a_balance_leaves_it_null_with_a_warning() {
    for broken in [
        "1,2 04,350,000",
        "1,20 4,350,000",
        "1,204,35 0,000",
        "1,204,350,00 0",
        "12 04350000",
        "1 ,20 4,350,000",
        // Found by the fuzzer: a space before one group (mended, and the
        // space moved after the number) and a tab before the next, or a
        // space inside the last group.
        "1,204 ,350\t,000",
        "1,204 ,350,0 00",
    ] {
        let text = LEGACY_TAB.replace("1,204,350,000", broken);
        let f = parse(&text);
        assert_eq!(balances(&f), (None, Some(1_207_000_000)), "{broken:?}");
        assert!(
            warnings(&f)
                .iter()
                .any(|m| m.contains("opening balance is broken")),
            "{broken:?}: {:?}",
            warnings(&f)
        );
    }
    // A tab that leaves a piece unable to stand alone is mended (the
    // tab-extraction repair of every parser), so the number is whole again;
    // so is a space before a whole thousands group (pypdf's "3 ,184,200"):
    // no cell starts with a comma.
    for mended in ["1,204,350,00\t0", "1 ,204,350,000", "1,204 ,350,000"] {
        let f = parse(&LEGACY_TAB.replace("1,204,350,000", mended));
        assert_eq!(
            balances(&f),
            (Some(1_204_350_000), Some(1_207_000_000)),
            "{mended:?}"
        );
    }
    // The number beside a date cell, and the year of that date, broken.
    let f = parse(&FF304_TAB.replace("3,061,250,000", "3,06 1,250,000"));
    assert_eq!(balances(&f), (None, Some(3_211_250_000)));
    let f = parse(&FF304_TAB.replace("3,061,250,000", "3 ,061,250,000"));
    assert_eq!(balances(&f), (Some(3_061_250_000), Some(3_211_250_000)));
    let f = parse(&FF304_TAB.replace("31 May 2022", "31 May 202 2"));
    assert_eq!(balances(&f).0, None);
}

#[test]
fn a_treasury_column_beside_the_balance_is_no_broken_number() {
    let f = parse(FF305_SPACED);
    assert_eq!(balances(&f), (Some(871_015_300), Some(871_430_300)));
    assert!(warnings(&f).is_empty(), "{:?}", warnings(&f));
}

// ------------------------------------------------ every single damage

/// Generated next day returns of each form generation, without damage, and
/// the returns above.
fn bases() -> Vec<(String, String)> {
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
    let mut out: Vec<(String, String)> = [LEGACY_TAB, FF305_SPACED, FF304_TAB]
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("fixture {i}"), t.to_string()))
        .collect();
    for g in hkfilings::gen::generate(&cfg) {
        let form = g.form();
        if form.starts_with("ndr") || form == "ff304" || form == "ff305" {
            out.push((format!("gen {form}/{} {}", g.style(), g.rel_path), g.text));
        }
    }
    out
}

/// Every damage of one kind to `text`: each line deleted, each line
/// doubled, each pair of balance labels exchanged, and a space and a tab put
/// between each two characters of a number.
fn damages(text: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let join = |m: &[String]| m.join("\n");
    let owned = || lines.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut out = Vec::new();
    for i in 0..lines.len() {
        let mut m = owned();
        m.remove(i);
        out.push((format!("line {} deleted", i + 1), join(&m)));
        let mut m = owned();
        m.insert(i, lines[i].to_string());
        out.push((format!("line {} doubled", i + 1), join(&m)));
        let chars: Vec<(usize, char)> = lines[i].char_indices().collect();
        for w in chars.windows(2) {
            let ((_, a), (at, b)) = (w[0], w[1]);
            if a.is_ascii_digit() && (b.is_ascii_digit() || b == ',') {
                for sep in [" ", "\t"] {
                    let mut m = owned();
                    m[i].insert_str(at, sep);
                    out.push((format!("{sep:?} in line {} at {at}", i + 1), join(&m)));
                }
            }
        }
    }
    let (x, y) = ("Opening balance", "Closing balance");
    let rows: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].contains(x) || lines[i].contains(y))
        .collect();
    for &i in &rows {
        for &j in &rows {
            let label = |l: &str| if l.contains(x) { x } else { y };
            let (li, lj) = (label(lines[i]), label(lines[j]));
            if li == lj {
                continue;
            }
            let mut m = owned();
            m[i] = m[i].replacen(li, lj, 1);
            m[j] = m[j].replacen(lj, li, 1);
            out.push((
                format!("labels of lines {} and {} swapped", i + 1, j + 1),
                join(&m),
            ));
        }
    }
    out
}

#[test]
fn every_single_damage_to_a_next_day_return_keeps_its_numbers_or_nulls_them() {
    let bases = bases();
    assert!(
        bases.len() >= 6,
        "too few returns to damage: {}",
        bases.len()
    );
    let mut failures = Vec::new();
    let mut tried = 0;
    for (name, text) in &bases {
        let good = parse_str(name, text).expect("a base parses");
        assert!(
            good.share_classes
                .iter()
                .any(|c| c.issued.as_ref().is_some_and(|b| b.opening.is_some())),
            "{name}: no balance to damage"
        );
        for (what, damaged) in damages(text) {
            tried += 1;
            let Some(f) = parse_str(name, &damaged) else {
                continue;
            };
            if let Err(m) = never_a_different_number(&good, &f) {
                failures.push(format!("{name}, {what}: {m}"));
            }
        }
    }
    assert!(tried > 1000, "only {tried} damaged returns");
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn two_damages_that_hide_a_swap_keep_the_rule() {
    // Each damage of the fixtures after each other damage (the fuzz test
    // draws up to two).
    for base in [LEGACY_TAB, FF304_TAB] {
        let good = parse(base);
        for (first, once) in damages(base) {
            if !first.contains("swapped") && !first.contains("doubled") {
                continue;
            }
            for (second, twice) in damages(&once) {
                let Some(f) = parse_str("ndr.txt", &twice) else {
                    continue;
                };
                if let Err(m) = never_a_different_number(&good, &f) {
                    panic!("{first}, then {second}: {m}");
                }
            }
        }
    }
}

// ------------------------------------------ letters that fold into ASCII

#[test]
fn labels_are_found_as_before_beside_letters_that_fold_into_ascii() {
    // KELVIN SIGN lower-cases to 'k' and LONG S matches 's' case-blind: a
    // text holding either is searched line by line the Unicode way, and
    // finds the same labels (the stock code label spelled with them too).
    for (label, with) in [
        ("Stock code: 4321", "Stoc\u{212A} code: 4321"),
        ("Stock code: 4321", "\u{17F}tock code: 4321"),
        ("Kestrel", "\u{212A}estrel"),
    ] {
        let f = parse(&LEGACY_TAB.replace(label, with));
        assert_eq!(f.stock_codes, vec!["04321"], "{with}");
        assert_eq!(f.date.as_deref(), Some("2019-03-14"), "{with}");
        assert_eq!(
            balances(&f),
            (Some(1_204_350_000), Some(1_207_000_000)),
            "{with}"
        );
        assert_eq!(
            f.signer.as_ref().map(|s| s.name.as_str()),
            Some("Ng Siu Wah")
        );
    }
    // A dotted capital I beside the labels changes nothing either.
    let f = parse(&LEGACY_TAB.replace("Closing balance as at", "Closing balance as at \u{130}"));
    assert_eq!(balances(&f), (Some(1_204_350_000), Some(1_207_000_000)));
}
