//! The `:changed` and `:findings` screens over the explorer's fixture corpus
//! (the same rows `hkfilings screen` prints).

mod tui_fixture;

use hkfilings::filings::model::Level;
use hkfilings::filings::screens::{changed, with_findings};

#[test]
fn changed_lists_issuers_whose_issued_shares_moved_biggest_move_first() {
    let rows = changed(&tui_fixture::index(), 0.0);
    let summary: Vec<(&str, &str, &str, i64, i64, i64, f64)> = rows
        .iter()
        .map(|r| {
            (
                r.code.as_str(),
                r.from.as_str(),
                r.to.as_str(),
                r.issued_before,
                r.issued_after,
                r.change,
                r.percent,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "01149",
                "2010-02",
                "2010-03",
                906_000_000,
                907_000_000,
                1_000_000,
                0.11
            ),
            (
                "00020",
                "2023-10",
                "2023-11",
                33_419_000_000,
                33_431_189_548,
                12_189_548,
                0.04
            ),
        ],
        "every class's issued shares are summed; the issuer with one announcement only is not compared"
    );
    assert_eq!(rows[1].file, "tests/fixtures/tui/lumen-2023-11.txt");
}

/// A class whose closing could not be read is no fall to nothing: it is
/// left out of both months' totals.
#[test]
fn changed_leaves_out_a_class_whose_closing_was_not_read() {
    use hkfilings::filings::index::Index;
    use hkfilings::filings::model::Entry;
    let entries: Vec<Entry> = tui_fixture::entries()
        .into_iter()
        .map(|mut e| {
            if let Entry::Filing(f) = &mut e {
                if f.file.ends_with("lumen-2023-11.txt") {
                    let a = f
                        .share_classes
                        .iter_mut()
                        .find(|c| c.class_key == "class-a-ordinary-shares")
                        .expect("the Class A block");
                    a.issued.as_mut().expect("issued").closing = None;
                }
            }
            e
        })
        .collect();
    let ix = Index::from_entries(entries);
    let rows = changed(&ix, 0.0);
    let lumen = rows
        .iter()
        .find(|r| r.code == "00020")
        .expect("still compared");
    assert_eq!(
        (lumen.issued_before, lumen.issued_after, lumen.change),
        (27_059_000_000, 27_071_189_548, 12_189_548),
        "Class B alone, in both months"
    );
}

#[test]
fn changed_keeps_only_moves_over_the_threshold() {
    let ix = tui_fixture::index();
    let codes =
        |pct: f64| -> Vec<String> { changed(&ix, pct).into_iter().map(|r| r.code).collect() };
    assert_eq!(codes(0.05), ["01149"]);
    assert!(
        codes(0.11).is_empty(),
        "a move of exactly the threshold is not over it"
    );
}

#[test]
fn with_findings_counts_a_code_over_an_issuers_effective_filings() {
    let rows = with_findings(&tui_fixture::index(), "PAR_TIMES_SHARES");
    assert_eq!(rows.len(), 1, "{rows:?}");
    let r = &rows[0];
    assert_eq!(r.code, "00020");
    assert_eq!(
        r.finding, "par_times_shares",
        "the code is matched whatever its case"
    );
    assert_eq!(r.count, 6, "two classes in each of three months");
    assert_eq!(r.level, Level::Warning);
    assert_eq!(
        (r.file.as_str(), r.line),
        ("tests/fixtures/tui/lumen-2023-09.txt", Some(11)),
        "the first one is where Enter leads"
    );
}

#[test]
fn with_findings_skips_superseded_and_duplicate_filings() {
    let rows = with_findings(&tui_fixture::index(), "not_checkable");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].code, "01149");
    assert_eq!(
        rows[0].count, 3,
        "January, the February copy and March; not the superseded February nor the duplicate"
    );
    assert_eq!(rows[0].level, Level::Info);
    let chain = with_findings(&tui_fixture::index(), "chain_break");
    let line_of = |code: &str| chain.iter().find(|r| r.code == code).and_then(|r| r.line);
    // Harbour's issued shares, and Lumen's option scheme at its opening.
    assert_eq!(line_of("01149"), Some(12));
    assert_eq!(line_of("00020"), Some(30));
    assert!(with_findings(&tui_fixture::index(), "no_such_code").is_empty());
}
