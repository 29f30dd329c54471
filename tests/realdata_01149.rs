//! One issuer's real returns (01149, 2009-2013): every legacy monthly return
//! and next day disclosure return in the folder, as `pdftotext -layout` text.

use hkfilings::filings::model::*;
use hkfilings::filings::parse::parse_text;
use std::path::{Path, PathBuf};

/// The shared folder beside the clone (CI), or two levels up (a worktree).
fn shared() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for cand in [root.join("../shared"), root.join("../../shared")] {
        if cand.join("realdata/01149_anxin").is_dir() {
            return cand;
        }
    }
    panic!("shared/realdata/01149_anxin not found beside the crate (looked in ../shared and ../../shared)");
}

fn dir() -> PathBuf {
    shared().join("realdata/01149_anxin")
}

fn parse(name: &str) -> Filing {
    let p = dir().join(name);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    match parse_text(&p.to_string_lossy(), &text) {
        Entry::Filing(f) => *f,
        Entry::Error(e) => panic!("{name}: {}", e.error),
    }
}

/// The English text files whose name starts with `prefix`, sorted by name.
fn files(prefix: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir())
        .expect("realdata folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(prefix) && n.ends_with(".txt") && !n.ends_with(".zh.txt"))
        .collect();
    v.sort();
    v
}

fn issued(f: &Filing) -> Balance {
    f.class("01149")
        .and_then(|c| c.issued.clone())
        .unwrap_or_else(|| panic!("{}: no issued balance for 01149", f.file))
}

fn codes(f: &Filing) -> Vec<&str> {
    f.findings.iter().map(|x| x.code.as_str()).collect()
}

#[test]
fn every_monthly_return_parses_with_its_period_and_issued_balances() {
    let names = files("01149_monthly_");
    assert_eq!(names.len(), 36);
    for n in &names {
        let f = parse(n);
        assert_eq!(f.form, Form::Legacy, "{n}");
        assert_eq!(f.kind, Kind::MonthlyReturn, "{n}");
        let month = n
            .trim_start_matches("01149_monthly_")
            .trim_end_matches(".txt");
        assert_eq!(f.period.as_deref(), Some(month), "{n}");
        assert_eq!(f.stock_codes, vec!["01149"], "{n}");
        assert!(f.date.is_some(), "{n}: no date");
        assert!(f.issuer.is_some(), "{n}: no issuer");
        assert_eq!(f.status, None, "{n}");
        let b = issued(&f);
        let (o, c, ch) = (b.opening.unwrap(), b.closing.unwrap(), b.change.unwrap());
        assert_eq!(o + ch, c, "{n}");
        // Only the listed ordinary shares exist: the N/A columns are not classes.
        assert_eq!(f.share_classes.len(), 1, "{n}");
    }
}

#[test]
fn consecutive_months_chain_closing_to_opening() {
    let names = files("01149_monthly_");
    let filings: Vec<Filing> = names.iter().map(|n| parse(n)).collect();
    for w in filings.windows(2) {
        assert_eq!(
            issued(&w[0]).closing,
            issued(&w[1]).opening,
            "{} -> {}",
            w[0].period.as_deref().unwrap_or("?"),
            w[1].period.as_deref().unwrap_or("?")
        );
    }
}

#[test]
fn the_issuer_is_read_as_each_return_writes_it_across_the_rename() {
    let before = parse("01149_monthly_2009-01.txt");
    assert_eq!(
        before.issuer.as_deref(),
        Some("Broad Intelligence International Pharmaceutical Holdings Limited")
    );
    assert_eq!(before.date.as_deref(), Some("2009-02-03"));
    let after = parse("01149_monthly_2011-05.txt");
    assert_eq!(
        after.issuer.as_deref(),
        Some("Anxin-China Holdings Limited")
    );
    assert_eq!(after.date.as_deref(), Some("2011-06-01"));
}

#[test]
fn january_2009_is_unchanged_at_463_899_000_shares() {
    let f = parse("01149_monthly_2009-01.txt");
    let b = issued(&f);
    assert_eq!(
        (b.opening, b.change, b.closing),
        (Some(463_899_000), Some(0), Some(463_899_000))
    );
    assert_eq!(b.raw.get("change").map(String::as_str), Some("N/A"));
    let a = f.class("01149").and_then(|c| c.authorised.clone()).unwrap();
    assert_eq!(a.closing, Some(2_000_000_000));
    assert_eq!(a.par_value.as_deref(), Some("0.10"));
    assert_eq!(a.currency.as_deref(), Some("HKD"));
    assert_eq!(a.capital.as_deref(), Some("200000000.00"));
    // "Total authorised share capital at the end of the month (HK$) : $200,000,000.00"
    assert_eq!(f.authorised_total.as_deref(), Some("200000000.00"));
    assert_eq!(f.authorised_total_currency.as_deref(), Some("HKD"));
    let s = &f.option_schemes[0];
    assert_eq!(s.adopted.as_deref(), Some("2003-11-03"));
    assert_eq!((s.opening, s.closing), (None, None));
    assert_eq!(s.issuable_at_close, Some(1_000_000));
    assert!(codes(&f).contains(&codes::NOT_CHECKABLE));
    let signer = f.signer.clone().unwrap();
    assert_eq!(signer.name, "Tricor Standard Limited");
    assert_eq!(
        signer.title.as_deref(),
        Some("Hong Kong Branch Share Registrar")
    );
}

#[test]
fn june_2010_converts_4_524_000_shares() {
    let f = parse("01149_monthly_2010-06.txt");
    let b = issued(&f);
    assert_eq!(
        (b.opening, b.closing),
        (Some(1_456_759_613), Some(1_461_283_613))
    );
    let c = &f.convertibles[0];
    assert_eq!(c.amount_opening.as_deref(), Some("409440600.00"));
    assert_eq!(c.converted.as_deref(), Some("2940600.00"));
    assert_eq!(c.amount_closing.as_deref(), Some("406500000.00"));
    assert_eq!(c.new_shares_issued, Some(4_524_000));
    assert_eq!(c.issuable_at_close, Some(625_384_615));
    assert_eq!(c.conversion_price.as_deref(), Some("0.65"));
    assert_eq!(c.currency.as_deref(), Some("HKD"));
    assert!(!codes(&f).contains(&codes::MOVEMENTS_VS_CHANGE));
}

#[test]
fn june_2011_ends_at_2_592_537_458_shares() {
    let b = issued(&parse("01149_monthly_2011-06.txt"));
    assert_eq!(
        (b.opening, b.closing),
        (Some(2_587_537_458), Some(2_592_537_458))
    );
}

#[test]
fn may_2011_change_is_a_warrant_exercise_plus_a_conversion() {
    let f = parse("01149_monthly_2011-05.txt");
    assert_eq!(issued(&f).change, Some(317_692_307));
    let w = &f.warrants[0];
    assert_eq!(w.new_shares_issued, Some(10_000_000));
    assert_eq!(w.exercised.as_deref(), Some("10000000"));
    assert!(w.units);
    let conv: i64 = f
        .convertibles
        .iter()
        .filter_map(|c| c.new_shares_issued)
        .sum();
    assert_eq!(conv, 307_692_307);
    // Tranche 1 converted in full: the closing amount is printed N/A, and
    // the arithmetic (200,000,000.00 less 200,000,000.00) recovers it.
    assert_eq!(f.convertibles[0].amount_closing.as_deref(), Some("0.00"));
    let rec = f
        .findings
        .iter()
        .find(|x| x.code == codes::RECOVERED_VALUE)
        .expect("the recovery is a finding");
    assert_eq!(rec.line, Some(222));
    assert_eq!(
        f.convertibles[1].amount_closing.as_deref(),
        Some("81000000.00")
    );
    assert_eq!(
        f.convertibles[0]
            .raw
            .get("amount_closing")
            .map(String::as_str),
        Some("N/A")
    );
    assert!(!codes(&f).contains(&codes::MOVEMENTS_VS_CHANGE));
}

#[test]
fn a_lapse_printed_positive_is_negative() {
    let f = parse("01149_monthly_2009-05.txt");
    let m = &f.option_schemes[0].movements;
    assert_eq!(m.len(), 1);
    assert_eq!(
        (m[0].kind, m[0].amount),
        (OptionMoveKind::Lapsed, -1_000_000)
    );
}

#[test]
fn april_2011_grants_37_000_000_options_with_nothing_issuable_reported() {
    let f = parse("01149_monthly_2011-04.txt");
    let s = &f.option_schemes[0];
    assert_eq!(s.movements.len(), 1);
    assert_eq!(
        (s.movements[0].kind, s.movements[0].amount),
        (OptionMoveKind::Granted, 37_000_000)
    );
    assert_eq!(s.exercise_price.as_deref(), Some("2.25"));
    assert_eq!(s.issuable_at_close, None);
    assert_eq!(
        s.raw.get("issuable_at_close").map(String::as_str),
        Some("N/A")
    );
    assert_eq!(
        f.option_schemes.len(),
        1,
        "the empty template rows are not schemes"
    );
    // The grant beside an issuable column of N/A is the issuer's own
    // contradiction (its remarks say the options are unvested), on the row.
    let found: Vec<&Finding> = f
        .findings
        .iter()
        .filter(|x| x.code == codes::ISSUER_INCONSISTENCY)
        .collect();
    assert_eq!(found.len(), 1, "{:?}", f.findings);
    assert!(found[0].message.contains("37000000 options granted"));
    assert_eq!(found[0].line, Some(123));
    // The months after it, with no grant, carry no such finding.
    let may = parse("01149_monthly_2011-05.txt");
    assert!(!codes(&may).contains(&codes::ISSUER_INCONSISTENCY));
}

/// April to August 2009: the warrants' description names a price ("(Issue
/// Price of HK$0.02 per Warrant)"), which is no cell; in April, before any
/// nominal value, the currency column prints "N/A", and the 92,000,000
/// shares issuable are still the row's last cell. In August all of the
/// HK$38,180,000 is exercised into those 92,000,000 shares.
#[test]
fn the_2009_warrants_keep_their_issue_price_and_92_000_000_shares_issuable() {
    for (month, closing, new, issuable) in [
        ("04", None, Some(0), Some(92_000_000)),
        ("05", Some("38180000.00"), Some(0), Some(92_000_000)),
        ("07", Some("38180000.00"), Some(0), Some(92_000_000)),
        ("08", Some("0"), Some(92_000_000), Some(0)),
    ] {
        let f = parse(&format!("01149_monthly_2009-{month}.txt"));
        let w = &f.warrants[0];
        assert!(
            w.description
                .contains("(Issue Price of HK$0.02 per Warrant)"),
            "{month}: {}",
            w.description
        );
        assert_eq!(
            (
                w.closing.as_deref(),
                w.new_shares_issued,
                w.issuable_at_close
            ),
            (closing, new, issuable),
            "{month}"
        );
        assert_eq!(w.subscription_price.as_deref(), Some("0.415"), "{month}");
    }
}

#[test]
fn january_2011_exercises_40_000_000_warrants_at_hkd_1_22_and_places_shares() {
    let f = parse("01149_monthly_2011-01.txt");
    let w = &f.warrants[0];
    assert_eq!(w.description, "Unlisted Warrant");
    assert_eq!(w.opening.as_deref(), Some("90000000"));
    assert_eq!(w.exercised.as_deref(), Some("40000000"));
    assert_eq!(w.closing.as_deref(), Some("50000000"));
    assert_eq!(w.subscription_price.as_deref(), Some("1.22"));
    assert_eq!(w.currency.as_deref(), Some("HKD"));
    assert_eq!(w.expiry.as_deref(), Some("2012-10-27"));
    let p = &f.other_movements[0];
    assert_eq!(p.kind, MovementKind::Placing);
    assert_eq!(p.amount, Some(140_100_000));
    assert_eq!(p.date.as_deref(), Some("2011-01-20"));
    assert_eq!(p.price.as_deref(), Some("2.30"));
    assert!(!codes(&f).contains(&codes::MOVEMENTS_VS_CHANGE));
}

#[test]
fn repurchases_not_yet_cancelled_are_pending_and_cancellations_are_not() {
    let july = parse("01149_monthly_2011-07.txt");
    let r = &july.other_movements[0];
    assert_eq!(
        (r.kind, r.amount, r.pending),
        (MovementKind::Repurchase, Some(-5_940_000), true)
    );
    assert!(july.remarks.is_some());
    let august = parse("01149_monthly_2011-08.txt");
    let r = &august.other_movements[0];
    assert_eq!((r.amount, r.pending), (Some(-5_940_000), false));
    assert_eq!(r.date.as_deref(), Some("2011-08-19"));
    assert_eq!(issued(&august).change, Some(-5_940_000));
}

#[test]
fn every_next_day_return_parses_with_issuer_code_date_and_closing_balance() {
    let names = files("01149_ndr_");
    assert_eq!(names.len(), 68);
    for n in &names {
        let f = parse(n);
        assert_eq!(f.kind, Kind::NextDayReturn, "{n}");
        assert_eq!(f.form, Form::NdrLegacy, "{n}");
        assert!(f.issuer.is_some(), "{n}: no issuer");
        assert_eq!(f.stock_codes, vec!["01149"], "{n}");
        let day = n.trim_start_matches("01149_ndr_").get(..10).unwrap_or("");
        assert_eq!(f.date.as_deref(), Some(day), "{n}");
        let b = issued(&f);
        assert!(b.closing.is_some(), "{n}: no closing balance");
        assert!(b.as_of.is_some(), "{n}: no closing date");
        assert!(
            b.opening.is_some() && b.opening_as_of.is_some(),
            "{n}: no opening"
        );
        // Opening + the movements that change the issued shares = closing.
        let moved: i64 = f
            .movements
            .iter()
            .filter(|m| !m.pending)
            .filter_map(|m| m.amount)
            .sum();
        assert_eq!(b.opening.unwrap() + moved, b.closing.unwrap(), "{n}");
    }
}

#[test]
fn the_june_2010_next_day_return_reports_a_conversion_at_hk_0_65() {
    let f = parse("01149_ndr_2010-06-14.txt");
    let b = issued(&f);
    assert_eq!(b.opening, Some(1_456_759_613));
    assert_eq!(b.opening_as_of.as_deref(), Some("2010-05-31"));
    assert_eq!(b.closing, Some(1_461_283_613));
    assert_eq!(b.as_of.as_deref(), Some("2010-06-14"));
    assert_eq!(f.movements.len(), 1);
    let m = &f.movements[0];
    assert_eq!(m.kind, MovementKind::Conversion);
    assert_eq!(m.amount, Some(4_524_000));
    assert_eq!(m.price.as_deref(), Some("0.65"));
    assert_eq!(m.currency.as_deref(), Some("HKD"));
    assert_eq!(m.date.as_deref(), Some("2010-06-14"));
    assert!(!m.pending);
}

#[test]
fn the_26_september_2011_buybacks_are_eleven_pending_repurchases() {
    let f = parse("01149_ndr_2011-09-26.txt");
    assert_eq!(f.movements.len(), 11);
    assert!(f
        .movements
        .iter()
        .all(|m| m.kind == MovementKind::Repurchase && m.pending));
    let total: i64 = f.movements.iter().filter_map(|m| m.amount).sum();
    assert_eq!(total, -9_452_000);
    let first = &f.movements[0];
    assert_eq!(first.date.as_deref(), Some("2011-09-26"));
    assert_eq!(first.amount, Some(-116_000));
    assert_eq!(first.price.as_deref(), Some("1.13"));
    assert_eq!(issued(&f).closing, Some(2_596_597_458));
}

#[test]
fn shares_repurchased_then_cancelled_reduce_the_balance_on_the_cancellation_date() {
    let f = parse("01149_ndr_2011-12-02.txt");
    let m = &f.movements[0];
    assert_eq!(m.kind, MovementKind::Cancellation);
    assert_eq!(m.amount, Some(-40_340_000));
    assert_eq!(m.date.as_deref(), Some("2011-12-02"));
}

#[test]
fn the_chinese_monthly_return_gives_its_chinese_name_period_and_balances() {
    let f = parse("01149_monthly_2011-01.zh.txt");
    assert_eq!(f.language, Language::Zh);
    assert_eq!(f.issuer_zh.as_deref(), Some("中國安芯控股有限公司"));
    assert_eq!(f.period.as_deref(), Some("2011-01"));
    assert_eq!(f.date.as_deref(), Some("2011-02-01"));
    assert_eq!(f.stock_codes, vec!["01149"]);
    let b = issued(&f);
    assert_eq!(
        (b.opening, b.change, b.closing),
        (Some(2_079_745_151), Some(180_100_000), Some(2_259_845_151))
    );
    // The same figures as the English return of the month.
    let en = parse("01149_monthly_2011-01.txt");
    assert_eq!(issued(&en).closing, b.closing);
    assert_eq!(f.warrants[0].new_shares_issued, Some(40_000_000));
    assert!(!codes(&f).contains(&codes::MOVEMENTS_VS_CHANGE));
}

#[test]
fn the_chinese_next_day_return_gives_its_balances_and_buybacks() {
    let f = parse("01149_ndr_2011-09-26.zh.txt");
    assert_eq!(f.language, Language::Zh);
    assert_eq!(f.issuer_zh.as_deref(), Some("中國安芯控股有限公司"));
    assert_eq!(f.date.as_deref(), Some("2011-09-26"));
    assert_eq!(f.stock_codes, vec!["01149"]);
    let b = issued(&f);
    assert_eq!(b.opening_as_of.as_deref(), Some("2011-09-23"));
    assert_eq!(
        (b.closing, b.as_of.as_deref()),
        (Some(2_596_597_458), Some("2011-09-26"))
    );
    let total: i64 = f.movements.iter().filter_map(|m| m.amount).sum();
    assert_eq!(total, -9_452_000);
    assert!(f.movements.iter().all(|m| m.pending));
}

/// pdftotext prints three rows of this purchase report half a line apart
/// (the price of 916,000 shares on the line above them); each row still
/// gets the price its total paid confirms.
#[test]
fn each_4_october_2011_buyback_gets_the_price_its_total_paid_confirms() {
    let f = parse("01149_ndr_2011-10-04.txt");
    let got: Vec<(Option<i64>, Option<&str>)> = f
        .movements
        .iter()
        .map(|m| (m.amount, m.price.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Some(-8_000), Some("1.11")),
            (Some(-16_000), Some("1.12")),
            (Some(-1_752_000), Some("1.14")),
            (Some(-2_632_000), Some("1.15")),
            (Some(-916_000), Some("1.16")),
            (Some(-44_000), Some("1.17")),
            (Some(-100_000), Some("1.18")),
        ]
    );
}

/// Indexed together, the monthly returns carry one issuer inconsistency
/// across months: August 2011 prints 37,000,000 shares issuable under the
/// scheme, July printed N/A, and nothing was granted in August (the April
/// grant was left out while unvested). No chain breaks between months.
#[test]
fn the_months_indexed_together_flag_the_options_that_appear_in_august_2011() {
    use hkfilings::filings::index::Index;
    let entries: Vec<Entry> = files("01149_monthly_")
        .iter()
        .map(|n| Entry::Filing(Box::new(parse(n))))
        .collect();
    let ix = Index::from_entries(entries);
    let cross: Vec<(String, &Finding)> = ix
        .cross_findings()
        .into_iter()
        .map(|(id, f)| (ix.filing(id).file.clone(), f))
        .collect();
    let appear: Vec<&(String, &Finding)> = cross
        .iter()
        .filter(|(_, f)| f.code == codes::ISSUER_INCONSISTENCY)
        .collect();
    assert_eq!(appear.len(), 1, "{cross:?}");
    assert!(appear[0].0.ends_with("01149_monthly_2011-08.txt"));
    assert!(appear[0].1.message.contains("37,000,000 shares issuable"));
    assert_eq!(appear[0].1.line, Some(123));
    assert!(
        !cross.iter().any(|(_, f)| f.code == codes::CHAIN_BREAK),
        "{cross:?}"
    );
}
