//! Month-over-month diffs of returns written in code and put in an index.

use chrono::NaiveDate;
use hkfilings::filings::diff::{
    compare, default_pair, neighbours, render_text, Change, DiffError, ItemStatus, MonthDiff,
};
use hkfilings::filings::index::Index;
use hkfilings::filings::model::{
    Authorised, Balance, Convertible, Entry, Filing, Form, Kind, LockUp, LockUpKind, MovementKind,
    NdrMovement, OptionMoveKind, OptionMovement, OptionScheme, OtherMovement, ShareClass, Warrant,
};

const CODE: &str = "00020";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 6, 1).unwrap_or_default()
}

fn balance(opening: i64, closing: i64) -> Balance {
    Balance {
        opening: Some(opening),
        change: Some(closing - opening),
        closing: Some(closing),
        ..Balance::default()
    }
}

fn authorised(opening: i64, closing: i64, par: &str) -> Authorised {
    Authorised {
        opening: Some(opening),
        change: Some(closing - opening),
        closing: Some(closing),
        par_value: Some(par.to_string()),
        currency: Some("USD".to_string()),
        capital: None,
        ..Authorised::default()
    }
}

/// A listed class keyed by its code, with issued shares opening -> closing.
fn class(key: &str, opening: i64, closing: i64) -> ShareClass {
    ShareClass {
        class_key: key.to_string(),
        class: Some("Class B ordinary shares".to_string()),
        stock_code: key
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| key.to_string()),
        listed: Some(true),
        authorised: Some(authorised(
            1_992_000_000_000,
            1_992_000_000_000,
            "0.00000025",
        )),
        issued: Some(balance(opening, closing)),
        ..ShareClass::default()
    }
}

fn monthly(file: &str, period: &str, classes: Vec<ShareClass>) -> Filing {
    let mut f = Filing::new(file, Kind::MonthlyReturn, Form::Ff301V10);
    f.content_hash = format!("hash-{file}");
    f.issuer = Some("SenseTime Group Inc.".to_string());
    f.stock_codes = vec![CODE.to_string()];
    f.period = Some(period.to_string());
    f.date = Some(format!("{period}-28"));
    f.share_classes = classes;
    f
}

fn ndr(file: &str, date: &str, amount: i64) -> Filing {
    let mut f = Filing::new(file, Kind::NextDayReturn, Form::Ff305);
    f.content_hash = format!("hash-{file}");
    f.issuer = Some("SenseTime Group Inc.".to_string());
    f.stock_codes = vec![CODE.to_string()];
    f.date = Some(date.to_string());
    f.movements.push(NdrMovement {
        date: Some(date.to_string()),
        kind: MovementKind::Repurchase,
        class_key: Some(CODE.to_string()),
        amount: Some(amount),
        price: Some("1.50".to_string()),
        currency: Some("HKD".to_string()),
        pending: false,
        description: None,
        lines: Default::default(),
    });
    f
}

fn index_of(filings: Vec<Filing>) -> Index {
    let mut index = Index::new();
    index.add_batch(
        filings
            .into_iter()
            .map(|f| Entry::Filing(Box::new(f)))
            .collect(),
    );
    index
}

fn diff(filings: Vec<Filing>, from: &str, to: &str) -> MonthDiff {
    compare(&index_of(filings), CODE, from, to, today()).unwrap_or_else(|e| panic!("{e}"))
}

fn only_class(d: &MonthDiff) -> &hkfilings::filings::diff::ClassDiff {
    assert_eq!(d.classes.len(), 1, "{:?}", d.classes);
    &d.classes[0]
}

#[test]
fn issued_shares_going_up_read_as_a_plus_line_with_change_and_percent() {
    let d = diff(
        vec![
            monthly(
                "oct.txt",
                "2023-10",
                vec![class(CODE, 2_587_537_458, 2_587_537_458)],
            ),
            monthly(
                "nov.txt",
                "2023-11",
                vec![class(CODE, 2_587_537_458, 2_592_537_458)],
            ),
        ],
        "2023-10",
        "2023-11",
    );
    let c = only_class(&d);
    assert_eq!(c.status, ItemStatus::Changed);
    assert_eq!(
        c.issued,
        Some(Change {
            before: Some(2_587_537_458),
            after: Some(2_592_537_458),
            change: Some(5_000_000),
            percent: Some(0.19),
        })
    );
    assert_eq!(
        (d.from_file.as_str(), d.to_file.as_str()),
        ("oct.txt", "nov.txt")
    );
    assert!(d.gap.is_empty());
    assert!(d.findings.is_empty(), "{:?}", d.findings);
    let text = render_text(&d);
    assert!(
        text.contains("+ issued 2,587,537,458 -> 2,592,537,458 (+5,000,000, +0.19%)"),
        "{text}"
    );
    assert!(
        text.contains("  authorised 1,992,000,000,000 (unchanged)"),
        "{text}"
    );
}

#[test]
fn issued_shares_going_down_read_as_a_minus_line() {
    let d = diff(
        vec![
            monthly(
                "oct.txt",
                "2023-10",
                vec![class(CODE, 1_000_000, 1_000_000)],
            ),
            monthly("nov.txt", "2023-11", vec![class(CODE, 1_000_000, 990_000)]),
        ],
        "2023-10",
        "2023-11",
    );
    let issued = only_class(&d).issued.clone();
    assert_eq!(issued.as_ref().and_then(|c| c.change), Some(-10_000));
    assert_eq!(issued.as_ref().and_then(|c| c.percent), Some(-1.0));
    assert!(render_text(&d).contains("- issued 1,000,000 -> 990,000 (-10,000, -1.00%)"));
}

#[test]
fn an_authorised_capital_increase_and_a_new_par_value_are_shown() {
    let mut after = class(CODE, 100, 100);
    after.authorised = Some(authorised(1_992_000_000_000, 2_000_000_000_000, "0.000001"));
    let d = diff(
        vec![
            monthly("oct.txt", "2023-10", vec![class(CODE, 100, 100)]),
            monthly("nov.txt", "2023-11", vec![after]),
        ],
        "2023-10",
        "2023-11",
    );
    let c = only_class(&d);
    assert_eq!(
        c.authorised.as_ref().and_then(|a| a.change),
        Some(8_000_000_000)
    );
    assert_eq!(c.par_value.before.as_deref(), Some("0.00000025"));
    assert_eq!(c.par_value.after.as_deref(), Some("0.000001"));
    let text = render_text(&d);
    assert!(
        text.contains(
            "+ authorised 1,992,000,000,000 -> 2,000,000,000,000 (+8,000,000,000, +0.40%)"
        ),
        "{text}"
    );
    assert!(
        text.contains("~ par value USD 0.00000025 -> USD 0.000001"),
        "{text}"
    );
    // The month's own opening (1,992,000,000,000) continues the last closing: no break.
    assert!(d.findings.is_empty());
}

#[test]
fn treasury_shares_from_zero_have_no_percent() {
    let mut before = class(CODE, 500, 500);
    before.treasury = Some(balance(0, 0));
    let mut after = class(CODE, 500, 480);
    after.treasury = Some(balance(0, 20));
    let mut oct = monthly("oct.txt", "2024-10", vec![before]);
    oct.form = Form::Ff301V11;
    let mut nov = monthly("nov.txt", "2024-11", vec![after]);
    nov.form = Form::Ff301V11;
    let d = diff(vec![oct, nov], "2024-10", "2024-11");
    let c = only_class(&d);
    assert_eq!(
        c.treasury,
        Some(Change {
            before: Some(0),
            after: Some(20),
            change: Some(20),
            percent: None
        })
    );
    assert!(!d.form_changed);
    let json = serde_json::to_value(&d).unwrap_or_default();
    assert!(json["classes"][0]["treasury"]["percent"].is_null());
    assert_eq!(json["classes"][0]["issued"]["percent"], -4.0);
    assert!(render_text(&d).contains("+ treasury 0 -> 20 (+20)\n"));
}

#[test]
fn a_class_added_and_a_class_removed_are_listed_with_their_keys() {
    let mut pref = class("preference-shares", 10, 10);
    pref.class = Some("Preference shares".to_string());
    let mut a_class = class("class-a-ordinary-shares", 50, 50);
    a_class.class = Some("Class A ordinary shares".to_string());
    let d = diff(
        vec![
            monthly("oct.txt", "2023-10", vec![class(CODE, 100, 100), pref]),
            monthly("nov.txt", "2023-11", vec![class(CODE, 100, 100), a_class]),
        ],
        "2023-10",
        "2023-11",
    );
    assert_eq!(d.added_classes, vec!["class-a-ordinary-shares"]);
    assert_eq!(d.removed_classes, vec!["preference-shares"]);
    let statuses: Vec<(&str, ItemStatus)> = d
        .classes
        .iter()
        .map(|c| (c.class_key.as_str(), c.status))
        .collect();
    assert_eq!(
        statuses,
        vec![
            (CODE, ItemStatus::Unchanged),
            ("class-a-ordinary-shares", ItemStatus::Added),
            ("preference-shares", ItemStatus::Removed),
        ]
    );
    let added = &d.classes[1];
    assert_eq!(
        added.issued.as_ref().map(|c| (c.before, c.after)),
        Some((None, Some(50)))
    );
    let text = render_text(&d);
    assert!(
        text.contains("+ class added: class-a-ordinary-shares (Class A ordinary shares)"),
        "{text}"
    );
    assert!(
        text.contains("- class removed: preference-shares (Preference shares)"),
        "{text}"
    );
}

fn scheme(name: &str, closing: i64, movements: Vec<OptionMovement>) -> OptionScheme {
    let moved: i64 = movements.iter().map(|m| m.amount).sum();
    OptionScheme {
        scheme: name.to_string(),
        opening: Some(closing - moved),
        movements,
        closing: Some(closing),
        new_shares_issued: Some(0),
        issuable_at_close: Some(0),
        ..OptionScheme::default()
    }
}

#[test]
fn schemes_added_removed_and_changed_are_matched_by_name_whatever_the_spacing() {
    let mut oct = monthly("oct.txt", "2023-10", vec![class(CODE, 100, 100)]);
    oct.option_schemes = vec![
        scheme("Pre-IPO ESOP", 3_537_208_529, vec![]),
        scheme("2019 Share Option Scheme", 1_000, vec![]),
        scheme("Unchanged Plan", 5, vec![]),
    ];
    let mut nov = monthly("nov.txt", "2023-11", vec![class(CODE, 100, 100)]);
    let sold = OptionMovement {
        kind: OptionMoveKind::Other,
        amount: -12_189_548,
        note: Some("Sold".to_string()),
        line: None,
    };
    nov.option_schemes = vec![
        scheme("Pre-IPO  ESOP", 3_525_018_981, vec![sold]),
        scheme("Unchanged plan", 5, vec![]),
        scheme("2023 Share Award Scheme", 200, vec![]),
    ];
    let d = diff(vec![oct, nov], "2023-10", "2023-11");
    let s: Vec<(&str, ItemStatus)> = d
        .schemes
        .iter()
        .map(|s| (s.scheme.as_str(), s.status))
        .collect();
    assert_eq!(
        s,
        vec![
            ("Pre-IPO  ESOP", ItemStatus::Changed),
            ("Unchanged plan", ItemStatus::Unchanged),
            ("2023 Share Award Scheme", ItemStatus::Added),
            ("2019 Share Option Scheme", ItemStatus::Removed),
        ]
    );
    let esop = &d.schemes[0];
    assert_eq!(esop.outstanding.change, Some(-12_189_548));
    assert_eq!(esop.outstanding.percent, Some(-0.34));
    assert_eq!(esop.movements.len(), 1);
    let text = render_text(&d);
    assert!(text.contains("~ changed Pre-IPO  ESOP"), "{text}");
    assert!(
        text.contains("- outstanding 3,537,208,529 -> 3,525,018,981 (-12,189,548, -0.34%)"),
        "{text}"
    );
    assert!(text.contains("    other -12,189,548 (Sold)"), "{text}");
    assert!(text.contains("+ added 2023 Share Award Scheme"), "{text}");
    assert!(
        text.contains("- removed 2019 Share Option Scheme"),
        "{text}"
    );
}

#[test]
fn a_warrant_exercise_shows_units_down_and_the_new_shares() {
    let warrant = |closing: &str, exercised: &str, new: i64, issuable: i64| Warrant {
        description: "2025 Warrants".to_string(),
        units: true,
        opening: None,
        exercised: Some(exercised.to_string()),
        closing: Some(closing.to_string()),
        new_shares_issued: Some(new),
        issuable_at_close: Some(issuable),
        ..Warrant::default()
    };
    let mut oct = monthly("oct.txt", "2023-10", vec![class(CODE, 100, 100)]);
    oct.warrants = vec![warrant("1000000", "0", 0, 1_000_000)];
    let mut nov = monthly("nov.txt", "2023-11", vec![class(CODE, 100, 350_100)]);
    nov.warrants = vec![warrant("650000", "350000", 350_000, 650_000)];
    let d = diff(vec![oct, nov], "2023-10", "2023-11");
    let w = &d.warrants[0];
    assert_eq!(w.status, ItemStatus::Changed);
    assert_eq!(w.outstanding.change.as_deref(), Some("-350000"));
    assert_eq!(w.issuable.change, Some(-350_000));
    assert_eq!(w.exercised.as_deref(), Some("350000"));
    assert_eq!(w.new_shares_issued, Some(350_000));
    let text = render_text(&d);
    assert!(
        text.contains("- outstanding 1000000 -> 650000 (-350000)"),
        "{text}"
    );
    assert!(
        text.contains("exercised 350000, new shares 350,000"),
        "{text}"
    );
}

#[test]
fn a_convertible_conversion_shows_the_money_converted_exactly() {
    let note = |closing: &str, converted: &str, new: i64| Convertible {
        description: "RMB convertible notes due 2026".to_string(),
        currency: Some("RMB".to_string()),
        amount_opening: None,
        converted: Some(converted.to_string()),
        amount_closing: Some(closing.to_string()),
        new_shares_issued: Some(new),
        issuable_at_close: None,
        conversion_price: Some("2.50".to_string()),
        ..Convertible::default()
    };
    let mut oct = monthly("oct.txt", "2023-10", vec![class(CODE, 100, 100)]);
    oct.convertibles = vec![note("80000000000.00", "0", 0)];
    let mut nov = monthly("nov.txt", "2023-11", vec![class(CODE, 100, 400_000_100)]);
    nov.convertibles = vec![note("79000000000.00", "1000000000.00", 400_000_000)];
    let d = diff(vec![oct, nov], "2023-10", "2023-11");
    let c = &d.convertibles[0];
    assert_eq!(c.status, ItemStatus::Changed);
    assert_eq!(c.amount.change.as_deref(), Some("-1000000000.00"));
    assert_eq!(c.converted.as_deref(), Some("1000000000.00"));
    assert_eq!(c.new_shares_issued, Some(400_000_000));
    let text = render_text(&d);
    assert!(
        text.contains("- outstanding RMB 80000000000.00 -> 79000000000.00 (-1000000000.00)"),
        "{text}"
    );
    assert!(
        text.contains("converted 1000000000.00, new shares 400,000,000"),
        "{text}"
    );
}

#[test]
fn next_day_returns_after_the_first_month_end_up_to_the_second_are_included() {
    let d = diff(
        vec![
            monthly("oct.txt", "2023-10", vec![class(CODE, 100, 100)]),
            monthly("nov.txt", "2023-11", vec![class(CODE, 100, 90)]),
            ndr("ndr-oct31.txt", "2023-10-31", -1),
            ndr("ndr-nov10.txt", "2023-11-10", -6),
            ndr("ndr-nov30.txt", "2023-11-30", -4),
            ndr("ndr-dec01.txt", "2023-12-01", -7),
        ],
        "2023-10",
        "2023-11",
    );
    let files: Vec<&str> = d.ndrs.iter().map(|n| n.file.as_str()).collect();
    assert_eq!(files, vec!["ndr-nov10.txt", "ndr-nov30.txt"]);
    assert_eq!(d.ndrs[0].movements[0].amount, Some(-6));
    let text = render_text(&d);
    assert!(
        text.contains("  2023-11-10 ndr-nov10.txt (ff305)"),
        "{text}"
    );
    assert!(
        text.contains("    2023-11-10 repurchase 00020 -6 at HKD 1.50"),
        "{text}"
    );
}

#[test]
fn other_movements_of_every_month_after_the_first_are_listed() {
    let repurchase = |date: &str, amount: i64, pending: bool| OtherMovement {
        kind: MovementKind::Repurchase,
        class_key: Some(CODE.to_string()),
        amount: Some(amount),
        date: Some(date.to_string()),
        price: Some("1.50".to_string()),
        pending,
        description: None,
        issuable_at_close: None,
        lines: Default::default(),
    };
    let mut oct = monthly("oct.txt", "2023-10", vec![class(CODE, 100, 100)]);
    oct.other_movements = vec![repurchase("2023-10-05", -1, false)];
    let mut nov = monthly("nov.txt", "2023-11", vec![class(CODE, 100, 95)]);
    nov.other_movements = vec![
        repurchase("2023-11-05", -5, false),
        repurchase("2023-11-29", -3, true),
    ];
    let d = diff(vec![oct, nov], "2023-10", "2023-11");
    let got: Vec<(&str, Option<i64>, bool)> = d
        .movements
        .iter()
        .map(|m| (m.period.as_str(), m.movement.amount, m.movement.pending))
        .collect();
    assert_eq!(
        got,
        vec![("2023-11", Some(-5), false), ("2023-11", Some(-3), true)]
    );
    let text = render_text(&d);
    assert!(
        text.contains("2023-11 repurchase 00020 -3 at 1.50 on 2023-11-29 (not yet cancelled)"),
        "{text}"
    );
}

fn lockup_announcement() -> Filing {
    let mut f = Filing::new("lockup.txt", Kind::Announcement, Form::Announcement);
    f.content_hash = "hash-lockup".to_string();
    f.issuer = Some("SenseTime Group Inc.".to_string());
    f.stock_codes = vec![CODE.to_string()];
    f.date = Some("2022-11-30".to_string());
    f.lockups = vec![LockUp {
        party: "Prof. Tang Xiao'ou".to_string(),
        entity: Some("Amind Inc.".to_string()),
        shares: Some("class A shares and/or class B shares".to_string()),
        share_count: None,
        start: Some("2022-12-30".to_string()),
        end: Some("2024-12-29".to_string()),
        months: Some(24),
        kind: LockUpKind::Undertaking,
        lines: Default::default(),
    }];
    f
}

#[test]
fn lock_ups_starting_and_ending_between_the_month_ends_are_listed() {
    let filings = vec![
        monthly("2022-11.txt", "2022-11", vec![class(CODE, 100, 100)]),
        monthly("2022-12.txt", "2022-12", vec![class(CODE, 100, 100)]),
        monthly("2024-11.txt", "2024-11", vec![class(CODE, 100, 100)]),
        monthly("2024-12.txt", "2024-12", vec![class(CODE, 100, 100)]),
        lockup_announcement(),
    ];
    let index = index_of(filings);
    let start =
        compare(&index, CODE, "2022-11", "2022-12", today()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(start.lockups_started.len(), 1);
    assert!(start.lockups_expired.is_empty());
    let l = &start.lockups_started[0];
    assert_eq!(l.party, "Prof. Tang Xiao'ou");
    assert_eq!(l.file, "lockup.txt");
    assert_eq!(l.in_force_today, Some(true));
    assert!(
        render_text(&start).contains("+ Prof. Tang Xiao'ou / Amind Inc.: 2022-12-30 to 2024-12-29")
    );

    let end =
        compare(&index, CODE, "2024-11", "2024-12", today()).unwrap_or_else(|e| panic!("{e}"));
    assert!(end.lockups_started.is_empty());
    assert_eq!(end.lockups_expired.len(), 1);
    assert!(render_text(&end).contains("lock-ups ending\n- Prof. Tang Xiao'ou"));
    let later = NaiveDate::from_ymd_opt(2025, 1, 2).unwrap_or_default();
    let end = compare(&index, CODE, "2024-11", "2024-12", later).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(end.lockups_expired[0].in_force_today, Some(false));

    let none =
        compare(&index, CODE, "2022-12", "2024-11", today()).unwrap_or_else(|e| panic!("{e}"));
    assert!(none.lockups_started.is_empty() && none.lockups_expired.is_empty());
}

#[test]
fn an_opening_that_does_not_continue_the_last_closing_is_a_chain_break_naming_both_files() {
    let d = diff(
        vec![
            monthly("oct.txt", "2023-10", vec![class(CODE, 100, 100)]),
            monthly("nov.txt", "2023-11", vec![class(CODE, 90, 95)]),
        ],
        "2023-10",
        "2023-11",
    );
    assert_eq!(d.findings.len(), 1, "{:?}", d.findings);
    let f = &d.findings[0];
    assert_eq!(f.code, "chain_break");
    assert_eq!(f.class_key.as_deref(), Some(CODE));
    assert_eq!(f.other_file.as_deref(), Some("oct.txt"));
    assert_eq!(
        f.message,
        "00020 issued shares: opening 90 in nov.txt (2023-11) != closing 100 in oct.txt (2023-10)"
    );
    assert!(render_text(&d).contains("! chain_break: 00020 issued shares: opening 90 in nov.txt"));
}

#[test]
fn every_consecutive_pair_in_a_longer_range_is_chain_checked() {
    let d = diff(
        vec![
            monthly("sep.txt", "2023-09", vec![class(CODE, 100, 100)]),
            monthly("oct.txt", "2023-10", vec![class(CODE, 101, 100)]),
            monthly("nov.txt", "2023-11", vec![class(CODE, 100, 100)]),
        ],
        "2023-09",
        "2023-11",
    );
    let others: Vec<Option<&str>> = d.findings.iter().map(|f| f.other_file.as_deref()).collect();
    assert_eq!(others, vec![Some("sep.txt")]);
}

#[test]
fn months_without_a_return_between_the_two_are_named_as_the_gap() {
    let d = diff(
        vec![
            monthly("aug.txt", "2023-08", vec![class(CODE, 100, 100)]),
            monthly("nov.txt", "2023-11", vec![class(CODE, 120, 120)]),
        ],
        "2023-08",
        "2023-11",
    );
    assert_eq!(d.gap, vec!["2023-09", "2023-10"]);
    // Across a gap the balances are not expected to chain.
    assert!(d.findings.is_empty());
    assert!(render_text(&d).contains("! no return for 2 months in between: 2023-09, 2023-10"));
    let year_end = diff(
        vec![
            monthly("nov.txt", "2023-11", vec![class(CODE, 100, 100)]),
            monthly("feb.txt", "2024-02", vec![class(CODE, 100, 100)]),
        ],
        "2023-11",
        "2024-02",
    );
    assert_eq!(year_end.gap, vec!["2023-12", "2024-01"]);
}

#[test]
fn a_switch_from_the_legacy_form_pairs_the_single_class_across_its_new_key() {
    let mut legacy_class = class("ordinary-shares", 5_000, 5_000);
    legacy_class.stock_code = None;
    legacy_class.class = Some("Ordinary shares".to_string());
    legacy_class.authorised = None;
    let mut before = monthly("2021-05.txt", "2021-05", vec![legacy_class]);
    before.form = Form::Legacy;
    let mut new_class = class("01149", 5_000, 5_500);
    new_class.authorised = None;
    let after = monthly("2021-06.txt", "2021-06", vec![new_class]);
    let d = diff(vec![before, after], "2021-05", "2021-06");
    assert!(d.form_changed);
    assert_eq!(
        (d.form_before.as_str(), d.form_after.as_str()),
        ("legacy", "ff301-1.0")
    );
    let c = only_class(&d);
    assert!(c.key_changed);
    assert_eq!(c.key_before.as_deref(), Some("ordinary-shares"));
    assert_eq!(c.class_key, "01149");
    assert_eq!(c.issued.as_ref().and_then(|i| i.change), Some(500));
    assert!(c.authorised.is_none());
    assert!(d.added_classes.is_empty() && d.removed_classes.is_empty());
    assert!(d.findings.is_empty(), "{:?}", d.findings);
    let text = render_text(&d);
    assert!(
        text.contains("! form changed: legacy -> ff301-1.0"),
        "{text}"
    );
    assert!(
        text.contains("! class key changed: ordinary-shares -> 01149"),
        "{text}"
    );
}

#[test]
fn the_default_pair_is_the_latest_month_and_the_one_before_and_neighbours_step_by_one() {
    let index = index_of(vec![
        monthly("aug.txt", "2023-08", vec![class(CODE, 100, 100)]),
        monthly("oct.txt", "2023-10", vec![class(CODE, 100, 100)]),
        monthly("nov.txt", "2023-11", vec![class(CODE, 100, 100)]),
    ]);
    let pair = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
    assert_eq!(default_pair(&index, CODE), pair("2023-10", "2023-11"));
    assert_eq!(default_pair(&index, "99999"), None);
    let n = neighbours(&index, CODE, "2023-10", "2023-11");
    assert_eq!(n.earlier, pair("2023-08", "2023-10"));
    assert_eq!(n.later, None);
    let n = neighbours(&index, CODE, "2023-08", "2023-10");
    assert_eq!(n.earlier, None);
    assert_eq!(n.later, pair("2023-10", "2023-11"));

    let one = index_of(vec![monthly("nov.txt", "2023-11", vec![class(CODE, 1, 1)])]);
    assert_eq!(default_pair(&one, CODE), None);
}

#[test]
fn unknown_issuers_missing_months_and_bad_periods_are_errors_that_say_why() {
    let index = index_of(vec![
        monthly("oct.txt", "2023-10", vec![class(CODE, 100, 100)]),
        monthly("nov.txt", "2023-11", vec![class(CODE, 100, 100)]),
    ]);
    let err = |code: &str, from: &str, to: &str| compare(&index, code, from, to, today()).err();
    assert_eq!(
        err("99999", "2023-10", "2023-11"),
        Some(DiffError::UnknownIssuer {
            code: "99999".to_string()
        })
    );
    let missing = err(CODE, "2023-09", "2023-11");
    assert_eq!(
        missing.as_ref().map(|e| e.to_string()).as_deref(),
        Some(
            "00020 has no monthly return for 2023-09 (2 months with a return, 2023-10 to 2023-11)"
        )
    );
    assert_eq!(
        err(CODE, "2023-13", "2023-11"),
        Some(DiffError::BadPeriod {
            period: "2023-13".to_string()
        })
    );
    assert_eq!(
        err(CODE, "Nov 2023", "2023-11"),
        Some(DiffError::BadPeriod {
            period: "Nov 2023".to_string()
        })
    );
    assert!(matches!(
        err(CODE, "2023-11", "2023-10"),
        Some(DiffError::NotBefore { .. })
    ));
    assert!(matches!(
        err(CODE, "2023-11", "2023-11"),
        Some(DiffError::NotBefore { .. })
    ));
}

#[test]
fn the_json_names_periods_files_forms_and_gap() {
    let d = diff(
        vec![
            monthly("oct.txt", "2023-10", vec![class(CODE, 100, 100)]),
            monthly("nov.txt", "2023-11", vec![class(CODE, 100, 110)]),
        ],
        "2023-10",
        "2023-11",
    );
    let json = serde_json::to_value(&d).unwrap_or_default();
    assert_eq!(json["code"], CODE);
    assert_eq!(json["issuer"], "SenseTime Group Inc.");
    assert_eq!(json["from"], "2023-10");
    assert_eq!(json["to"], "2023-11");
    assert_eq!(json["from_file"], "oct.txt");
    assert_eq!(json["to_file"], "nov.txt");
    assert_eq!(json["form_before"], "ff301-1.0");
    assert_eq!(json["form_after"], "ff301-1.0");
    assert_eq!(json["gap"], serde_json::json!([]));
    assert_eq!(json["classes"][0]["class_key"], CODE);
    assert_eq!(json["classes"][0]["status"], "changed");
    assert_eq!(json["classes"][0]["issued"]["change"], 10);
    assert_eq!(json["classes"][0]["issued"]["percent"], 10.0);
    assert_eq!(json["today"], "2024-06-01");
}

/// The legacy form names a scheme "Share Option Scheme"; FF301 adds its
/// adoption date to the name. Adopted on the same day at the same price, it
/// is the same scheme: changed, not one removed and one added.
#[test]
fn a_scheme_renamed_by_the_change_of_form_is_matched_by_its_adoption_and_price() {
    let with = |name: &str, adopted: &str, price: &str, closing: i64| OptionScheme {
        adopted: Some(adopted.to_string()),
        exercise_price: Some(price.to_string()),
        ..scheme(name, closing, vec![])
    };
    let mut jun = monthly("jun.txt", "2021-06", vec![class(CODE, 100, 100)]);
    jun.option_schemes = vec![
        with("Share Option Scheme", "2018-09-09", "2.73", 900),
        with("Share Option Scheme", "2012-01-01", "1.10", 50),
    ];
    let mut jul = monthly("jul.txt", "2021-07", vec![class(CODE, 100, 100)]);
    jul.option_schemes = vec![
        with(
            "Share Option Scheme (adopted on 09/09/2018)",
            "2018-09-09",
            "2.73",
            800,
        ),
        with(
            "Share Option Scheme (adopted on 01/01/2012)",
            "2012-01-01",
            "1.20",
            50,
        ),
    ];
    let d = diff(vec![jun, jul], "2021-06", "2021-07");
    let s: Vec<(&str, ItemStatus)> = d
        .schemes
        .iter()
        .map(|s| (s.scheme.as_str(), s.status))
        .collect();
    assert_eq!(
        s,
        vec![
            (
                "Share Option Scheme (adopted on 09/09/2018)",
                ItemStatus::Changed
            ),
            // Another price: another scheme.
            (
                "Share Option Scheme (adopted on 01/01/2012)",
                ItemStatus::Added
            ),
            ("Share Option Scheme", ItemStatus::Removed),
        ]
    );
    assert_eq!(d.schemes[0].outstanding.change, Some(-100));
}
