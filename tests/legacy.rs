//! Legacy monthly returns of issuers other than the real 01149: the
//! project's own fixtures in the form's structure (`pdftotext -layout` style).

use hkfilings::filings::model::*;
use hkfilings::filings::parse::parse_text;
use std::path::Path;

fn fixture(name: &str) -> Filing {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/legacy")
        .join(name);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    match parse_text(name, &text) {
        Entry::Filing(f) => *f,
        Entry::Error(e) => panic!("{name}: {}", e.error),
    }
}

const LOTUS: &str = "lotusbay_2015-09_preference.layout.txt";

#[test]
fn preference_shares_are_a_class_of_their_own_keyed_by_their_description() {
    let f = fixture(LOTUS);
    assert_eq!(f.stock_codes, vec!["03928"]);
    assert_eq!(f.period.as_deref(), Some("2015-09"));
    let keys: Vec<&str> = f
        .share_classes
        .iter()
        .map(|c| c.class_key.as_str())
        .collect();
    assert_eq!(
        keys,
        vec!["03928", "non-voting-convertible-preference-shares"]
    );
    let pref = &f.share_classes[1];
    assert_eq!(pref.listed, Some(false));
    let a = pref.authorised.as_ref().unwrap();
    assert_eq!(
        (a.closing, a.par_value.as_deref()),
        (Some(2_000_000_000), Some("0.01"))
    );
    let i = pref.issued.as_ref().unwrap();
    assert_eq!(
        (i.opening, i.change, i.closing),
        (Some(1_500_000_000), Some(0), Some(1_500_000_000))
    );
}

#[test]
fn two_option_schemes_read_their_exercises_lapses_grants_and_cancellations() {
    let f = fixture(LOTUS);
    let moves: Vec<Vec<(OptionMoveKind, i64)>> = f
        .option_schemes
        .iter()
        .map(|s| s.movements.iter().map(|m| (m.kind, m.amount)).collect())
        .collect();
    assert_eq!(
        moves,
        vec![
            vec![
                (OptionMoveKind::Exercised, -1_250_000),
                (OptionMoveKind::Lapsed, -300_000)
            ],
            vec![
                (OptionMoveKind::Granted, 20_000_000),
                (OptionMoveKind::Exercised, -400_000),
                (OptionMoveKind::Cancelled, -1_000_000),
            ],
        ]
    );
    let adopted: Vec<Option<&str>> = f
        .option_schemes
        .iter()
        .map(|s| s.adopted.as_deref())
        .collect();
    assert_eq!(adopted, vec![Some("2008-05-28"), Some("2014-06-15")]);
    let issued: Vec<Option<i64>> = f
        .option_schemes
        .iter()
        .map(|s| s.new_shares_issued)
        .collect();
    assert_eq!(issued, vec![Some(1_250_000), Some(400_000)]);
}

#[test]
fn a_placing_and_a_cancelled_repurchase_are_other_movements_with_their_dates() {
    let f = fixture(LOTUS);
    let got: Vec<(MovementKind, Option<i64>, Option<&str>, bool)> = f
        .other_movements
        .iter()
        .map(|m| (m.kind, m.amount, m.date.as_deref(), m.pending))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                MovementKind::Placing,
                Some(15_000_000),
                Some("2015-09-14"),
                false
            ),
            (
                MovementKind::Repurchase,
                Some(-1_500_000),
                Some("2015-09-25"),
                false
            ),
        ]
    );
    assert!(f
        .remarks
        .as_deref()
        .is_some_and(|r| r.contains("cancelled on 25 September 2015")));
}

/// A legacy return's first lines, then `body`.
fn legacy(body: &str) -> Filing {
    let text = format!(
        "Monthly Return of Equity Issuer on Movements in Securities\n\
         For the month ended (dd/mm/yyyy) :          31 /10/2019\n\
         Name of Issuer                  Jade Harbour Holdings Limited\n\
         Date Submitted                  4 November 2019\n{body}"
    );
    match parse_text("x.txt", &text) {
        Entry::Filing(f) => *f,
        Entry::Error(e) => panic!("{}", e.error),
    }
}

#[test]
fn a_scheme_named_by_its_year_is_an_entry_and_the_year_is_not_a_cell() {
    let f = legacy(
        "III. Details of Movements in Issued Share Capital\n\
         Share Options (under Share Option Schemes of the Issuer)\n \
         1. 2015 Share\n    Option Scheme\n    adopted on\n    (01/06/2015)\n    \
         ordinary shares      N/A      742,000      N/A      84,800      742,000      41,760,000\n \
         (Note 1)\n      Total A. (Ordinary shares)      742,000\n",
    );
    assert_eq!(f.period.as_deref(), Some("2019-10"));
    let s = &f.option_schemes[0];
    assert_eq!(s.scheme, "2015 Share Option Scheme");
    assert_eq!(
        (s.new_shares_issued, s.issuable_at_close),
        (Some(742_000), Some(41_760_000))
    );
}

#[test]
fn a_year_after_due_names_the_note_and_is_not_its_amount() {
    let f = legacy(
        "Convertibles (i.e. Convertible into Shares of the Issuer which are to be Listed)\n \
         1. Convertible Notes due 2027\n     HKD     86,500,000.00     N/A     86,500,000.00     N/A     173,000,000\n\
         Total C. (Ordinary shares)     N/A\n",
    );
    let c = &f.convertibles[0];
    assert_eq!(c.description, "Convertible Notes due 2027");
    assert_eq!(c.amount_opening.as_deref(), Some("86500000.00"));
    assert_eq!(c.issuable_at_close, Some(173_000_000));
}
