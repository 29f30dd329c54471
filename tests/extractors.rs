//! Returns as other PDF-to-text tools give them: pdfminer.six (`pdf2txt.py`,
//! with and without vertical-text detection), mutool `draw -F txt`,
//! `pdftotext` raw, pdfplumber, PDF-to-Markdown tools and antiword. Each fixture in tests/fixtures/extractors
//! is written for these tests (invented issuers and figures) in the layout
//! one tool produces; the tests assert the values read, and that a reading
//! the form's own figures cannot confirm is left null with a warning rather
//! than guessed.

use hkfilings::filings::model::*;
use hkfilings::filings::parse::{detect, parse_text, Detected};
use std::path::Path;

fn fixture(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/extractors")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn parse(name: &str) -> Filing {
    match parse_text(name, &fixture(name)) {
        Entry::Filing(f) => *f,
        Entry::Error(e) => panic!("{name}: {}", e.error),
    }
}

/// A fixture's text as changed by a test, parsed.
fn parse_variant(name: &str, text: &str) -> Filing {
    match parse_text(name, text) {
        Entry::Filing(f) => *f,
        Entry::Error(e) => panic!("{name}: {}", e.error),
    }
}

/// Assert that a warning says `needle`.
fn assert_warned(f: &Filing, needle: &str) {
    assert!(
        warnings(f).iter().any(|w| w.contains(needle)),
        "no warning saying {needle:?}: {:?}",
        warnings(f)
    );
}

/// Assert that no warning says `needle`.
fn assert_not_warned(f: &Filing, needle: &str) {
    assert!(
        !warnings(f).iter().any(|w| w.contains(needle)),
        "a warning says {needle:?}: {:?}",
        warnings(f)
    );
}

fn issued(f: &Filing) -> Balance {
    f.share_classes
        .first()
        .and_then(|c| c.issued.clone())
        .unwrap_or_else(|| panic!("{}: no issued balance", f.file))
}

/// (date, amount, price, pending) of a movement.
type Move<'a> = (Option<&'a str>, Option<i64>, Option<&'a str>, bool);

/// Each movement's (date, amount, price, pending).
fn moves(f: &Filing) -> Vec<Move<'_>> {
    f.movements
        .iter()
        .map(|m| (m.date.as_deref(), m.amount, m.price.as_deref(), m.pending))
        .collect()
}

fn warnings(f: &Filing) -> Vec<&str> {
    f.findings
        .iter()
        .filter(|x| x.level != Level::Info)
        .map(|x| x.message.as_str())
        .collect()
}

/// pdfminer puts the event labels first and the counts after them: the
/// opening balance's count stands after the event's words. Read column by
/// column, the counts go to opening, events and closing; the purchase report
/// comes as columns (dates, the "Total" label and section B's numbers among
/// them, then counts, methods, prices, totals paid).
#[test]
fn pdfminer_next_day_return_is_read_column_by_column() {
    let f = parse("pdfminer_ndr.txt");
    assert_eq!(f.kind, Kind::NextDayReturn);
    assert_eq!(f.stock_codes, vec!["02468"]);
    assert_eq!(f.date.as_deref(), Some("2019-03-14"));
    let b = issued(&f);
    assert_eq!(b.opening, Some(1_250_000_000));
    assert_eq!(b.opening_as_of.as_deref(), Some("2019-02-28"));
    assert_eq!(b.closing, Some(1_253_000_000));
    assert_eq!(b.as_of.as_deref(), Some("2019-03-14"));
    assert_eq!(
        moves(&f),
        vec![
            (Some("2019-03-13"), Some(3_000_000), Some("0.85"), false),
            (Some("2019-03-14"), Some(-400_000), Some("1.21"), true),
            (Some("2019-03-14"), Some(-500_000), Some("1.22"), true),
            (Some("2019-03-14"), Some(-300_000), Some("1.23"), true),
        ]
    );
    assert_eq!(f.movements[0].kind, MovementKind::Exercise);
    assert_eq!(
        f.movements[1].description.as_deref(),
        Some("On the Stock Exchange")
    );
    assert!(warnings(&f).is_empty(), "{:?}", warnings(&f));
    let s = f.signer.as_ref().expect("signer");
    assert_eq!(s.name, "Lau Wing Sze");
    assert_eq!(s.title.as_deref(), Some("Company Secretary"));
}

/// mutool (and PyMuPDF) keep the rows in order, each cell on a line of its
/// own with blank lines between: the counts are found past the blank lines,
/// and a trading date printed once for several rows goes to them all.
#[test]
fn mutool_next_day_return_reads_past_blank_lines() {
    let f = parse("mutool_ndr.txt");
    let b = issued(&f);
    assert_eq!(b.opening, Some(812_400_000));
    assert_eq!(b.opening_as_of.as_deref(), Some("2020-06-30"));
    assert_eq!(b.closing, Some(812_400_000));
    assert_eq!(b.as_of.as_deref(), Some("2020-07-03"));
    assert_eq!(
        moves(&f),
        vec![
            (Some("2020-07-03"), Some(-1_000_000), Some("0.61"), true),
            (Some("2020-07-03"), Some(-900_000), Some("0.62"), true),
            (Some("2020-07-03"), Some(-700_000), Some("0.63"), true),
        ]
    );
    assert!(warnings(&f).is_empty(), "{:?}", warnings(&f));
    let s = f.signer.as_ref().expect("signer");
    assert_eq!(s.title.as_deref(), Some("Company Secretary"));
}

/// `pdftotext` raw reads the price columns after the closing balance: the
/// issue price is the first of the pair (issue price, market price), which
/// the printed premium confirms. It also sets the form's title between the
/// issuer label and the name, and a date's year on a line of its own.
#[test]
fn pdftotext_raw_prices_after_the_closing_balance_are_placed() {
    let f = parse("pdftotext_raw_ndr.txt");
    assert_eq!(
        f.issuer.as_deref(),
        Some("Quarry Bay Pharmaceutical Holdings Limited")
    );
    let b = issued(&f);
    assert_eq!(b.opening, Some(915_000_000));
    assert_eq!(b.closing, Some(960_750_000));
    assert_eq!(
        moves(&f),
        vec![(Some("2021-01-05"), Some(45_750_000), Some("0.40"), false)]
    );
    assert_eq!(f.movements[0].kind, MovementKind::Conversion);
    assert_eq!(
        f.movements[0].description.as_deref(),
        Some("Exercise of Convertible Notes on 5 January 2021")
    );
}

/// `pdftotext` raw puts the pending repurchase's count under the closing
/// label, before the closing count: the closing balance is the second
/// count there, not the first.
#[test]
fn pdftotext_raw_pending_count_under_the_closing_label_is_not_the_closing_balance() {
    let f = parse("pdftotext_raw_ndr_repurchase.txt");
    let b = issued(&f);
    assert_eq!(b.opening, Some(960_750_000));
    assert_eq!(b.closing, Some(960_750_000));
    assert_eq!(
        moves(&f),
        vec![
            (Some("2021-03-18"), Some(-650_000), Some("0.47"), true),
            (Some("2021-03-18"), Some(-500_000), Some("0.48"), true),
        ]
    );
}

/// pdfplumber sets the "Total" label under the total's figures: the total
/// is not one more purchase (at the total paid as its price).
#[test]
fn pdfplumber_total_row_below_its_label_is_not_a_purchase() {
    let f = parse("plumber_ndr.txt");
    assert_eq!(
        moves(&f),
        vec![
            (Some("2020-07-06"), Some(-800_000), Some("0.60"), true),
            (Some("2020-07-06"), Some(-1_300_000), Some("0.61"), true),
        ]
    );
}

/// pdfminer with vertical-text detection sets first characters apart
/// ("  S" / "tock code", "  2" / "2/10/2019") and reads the event's count
/// before the opening balance's. The split characters are put back; the
/// counts, which the arithmetic alone cannot tell apart (opening + event =
/// event + opening), are told apart by the printed percentage: here they
/// disagree, so the balances are left null with a warning, never swapped.
#[test]
fn pdfminer_vertical_detection_is_mended_or_refused() {
    let f = parse("pdfminer_v_ndr.txt");
    assert_eq!(f.stock_codes, vec!["02468"]);
    assert_eq!(
        f.share_classes[0].description.as_deref(),
        Some("Ordinary Share with par value HKD 0.01 per share")
    );
    let b = issued(&f);
    assert_eq!((b.opening, b.closing), (None, None));
    assert!(f
        .findings
        .iter()
        .any(|x| x.code == codes::UNREADABLE_VALUE && x.message.contains("section I")));
    // No event is presented with a count from another row.
    for m in &f.movements {
        assert_ne!(m.amount, Some(1_250_000_000));
        assert_ne!(m.amount, Some(125_000_000));
    }
    assert_eq!(
        moves(&f),
        vec![
            (Some("2019-10-22"), Some(-300_000), Some("0.41"), false),
            (Some("2019-10-22"), Some(-200_000), Some("0.42"), false),
        ]
    );
}

/// Newer pdfminer versions with vertical-text detection print a line's
/// first character after the line ("ame of Issuer", the issuer's name, then
/// "N"; "or the month ended", a date, "o : Hong Kong ...", then "F" and
/// "T"), not before it: the characters go back to their lines all the same,
/// and the return reads as the one printed the other way round.
#[test]
fn pdfminer_vertical_detection_characters_after_their_lines_go_back() {
    let before = parse("pdfminer_v_legacy.txt");
    let after = parse("pdfminer_v_after_legacy.txt");
    assert_eq!(
        (after.kind, after.form),
        (Kind::MonthlyReturn, Form::Legacy)
    );
    assert_eq!(
        after.issuer.as_deref(),
        Some("Kingfisher Orchard Holdings Limited")
    );
    assert_eq!(after.period.as_deref(), Some("2012-05"));
    assert_eq!(reading(&after), reading(&before));
}

/// A class whose stock code was not found is not said to be unlisted.
#[test]
fn a_class_without_its_stock_code_is_not_said_to_be_unlisted() {
    let text = fixture("mutool_ndr.txt").replace("Stock code:   873", "Stock c0de:   873");
    let f = parse_variant("no-code.txt", &text);
    assert!(f.stock_codes.is_empty());
    assert_eq!(f.share_classes[0].listed, None);
}

/// pdfplumber prints a bold Chinese heading four times over
/// ("股股股股份份份份..."): the return is still told by its title.
#[test]
fn pdfplumber_overprinted_chinese_title_is_detected() {
    let text = fixture("plumber_legacy_zh.txt");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(detect(&lines), Detected::Legacy);
    // The bold period label is printed over itself too
    // ("截截截截至至至至月月月月份份份份"): mended, its value is read.
    let f = parse("plumber_legacy_zh.txt");
    assert_eq!(f.period.as_deref(), Some("2012-03"));
    assert_eq!(f.lines.get("period"), Some(&3));
}

/// A Markdown note beside the filings names the forms and quotes their
/// labels; it is not a filing.
#[test]
fn a_markdown_note_about_the_forms_is_not_a_filing() {
    let note = "# Sources\n\nReturns downloaded for 01149: 36 Monthly Returns and 68 Next Day \
                Disclosure Returns (Equity issuer forms), plus FF301 returns.\n\n\
                | file | what |\n|---|---|\n| a.pdf | \"For the month ended\" 31/1/2011, \
                \"Stock code: 1149\", \"Date submitted: 2 February 2009\" |\n\
                Chinese: 股份發行人的證券變動月報表 / 翌日披露報表.\n";
    match parse_text("SOURCES.md", note) {
        Entry::Error(e) => assert_eq!(e.error_kind, ErrorKind::NotAFiling),
        Entry::Filing(f) => panic!("a note parsed as {:?}", f.form),
    }
}

/// A JSON file beside the filings (an export, or expected values for a
/// test) quotes the forms' labels; it is not a filing.
#[test]
fn a_json_file_that_quotes_the_forms_is_not_a_filing() {
    let json = "{\"file\": \"01723/2026-01.txt\", \"form\": \"FF301\", \"note\": \
                \"Monthly Return for Equity Issuer on Movements in Securities\"}\n";
    match parse_text("truth.jsonl", json) {
        Entry::Error(e) => assert_eq!(e.error_kind, ErrorKind::NotAFiling),
        Entry::Filing(f) => panic!("JSON parsed as {:?}", f.form),
    }
}

/// pdfminer's vertical-text detection (`-V`) prints the first character of
/// some lines as an indented line of its own, several in a run before their
/// lines ("F", "T", then "or the month ended", the date, "o : Hong Kong").
/// Put back, the legacy return is recognised and its header read; a section
/// III(E) block that names several types of issue (the names printed after
/// the figures) is not read, and section II's cells that cannot be placed
/// are null with warnings.
#[test]
fn pdfminer_vertical_detection_legacy_return_is_recognised_and_mixed_blocks_refused() {
    let f = parse("pdfminer_v_legacy.txt");
    assert_eq!((f.kind, f.form), (Kind::MonthlyReturn, Form::Legacy));
    assert_eq!(
        f.issuer.as_deref(),
        Some("Kingfisher Orchard Holdings Limited")
    );
    assert_eq!(f.period.as_deref(), Some("2012-05"));
    assert_eq!(f.date.as_deref(), Some("2012-06-04"));
    assert!(
        f.other_movements.is_empty(),
        "no type can be told for the (2,400,000): {:?}",
        f.other_movements
    );
    let w = warnings(&f);
    assert!(w.iter().any(|m| m.contains("section III(E)")), "{w:?}");
    assert!(w.iter().any(|m| m.contains("no share class")), "{w:?}");
    for c in &f.share_classes {
        let b = c.issued.clone().unwrap_or_default();
        assert_eq!((b.opening, b.closing), (None, None), "{}", c.class_key);
    }
}

/// pdfminer without layout analysis prints the whole return as one line:
/// the description of securities ends where section I's heading begins,
/// and balances that cannot be placed are null with warnings.
#[test]
fn a_next_day_return_on_one_line_keeps_its_description_apart() {
    let text = "For Main Board listed issuers Next Day Disclosure Return (Equity issuer - \
                changes in issued share capital and/or share buybacks) Name of listed issuer: \
                Kestrel Bay Holdings Limited Stock code: 2731 Date submitted: 22 October 2019 \
                Description of securities: Ordinary Shares with par value HKD 0.10 per share \
                I. Issues of shares (Notes 6 and 7) No. of shares Opening balance as at \
                (Note 2) 30 September 2019 1,204,650,000 Closing balance as at (Note 8) \
                22 October 2019 1,204,650,000\n";
    let f = match parse_text("flat.txt", text) {
        Entry::Filing(f) => *f,
        Entry::Error(e) => panic!("{}", e.error),
    };
    assert_eq!(f.stock_codes, vec!["02731"]);
    assert_eq!(
        f.share_classes[0].description.as_deref(),
        Some("Ordinary Shares with par value HKD 0.10 per share")
    );
    let b = issued(&f);
    assert!(b.opening.is_none_or(|v| v == 1_204_650_000));
    assert!(b.closing.is_none_or(|v| v == 1_204_650_000));
    assert!(!warnings(&f).is_empty());
}

/// pdfminer without layout analysis prints the signature block as one line:
/// the name, its caption, the title and its caption run together. The name
/// and the title are read apart, without the captions, in either language.
#[test]
fn a_signature_block_on_one_line_gives_the_name_and_title_apart() {
    let block = "Submitted by:  _____Lau Wing Sze  _____________________ \n(Name)  \n\
                 Title:  _____ Company Secretary____________________ \n\
                 (Director, Secretary or other duly authorised officer) \n";
    let text = fixture("pdfminer_ndr.txt");
    assert!(
        text.contains(block),
        "the fixture's signature block changed"
    );
    for line in [
        "Submitted by:  _____Lau Wing Sze  ___________   (Name)     Title:  ___Company \
         Secretary___________   (Director, Secretary or other duly authorised officer) \n",
        "呈交者： __劉詠詩__________________________   (姓名)     職銜： ___公司秘書_____\
         _________________    (董事、秘書或其他獲正式授權的人員) \n",
    ] {
        let f = match parse_text("flat.txt", &text.replace(block, line)) {
            Entry::Filing(f) => *f,
            Entry::Error(e) => panic!("{}", e.error),
        };
        let s = f.signer.as_ref().expect("a signer");
        let want = if line.contains("呈交者") {
            ("劉詠詩", "公司秘書")
        } else {
            ("Lau Wing Sze", "Company Secretary")
        };
        assert_eq!(
            (s.name.as_str(), s.title.as_deref()),
            (want.0, Some(want.1))
        );
    }
}

/// pdfminer without layout analysis prints a Chinese legacy return as one
/// line; the date submitted ("2019 年11月 4  日", spaced) is the one after
/// its label, not a date further on (a scheme's adoption date).
#[test]
fn a_spaced_chinese_date_submitted_on_a_one_line_return_is_read_after_its_label() {
    let text = "股份發行人的證券變動月報表 截至月份（日／月／年）： 31/10/2019  \
                致：香港交易及結算所有限公司   公司名稱 玉港食品控股有限公司  \
                呈交日期 2019 年11月 4  日    I. 法定股本變動  1. 普通股 (1) 股份代號： 36 \
                說明： 普通股   III. 已發行股本變動詳情 股份期權 1.股份期權計劃 採納於 \
                (01/06/2015)   普通股   不適用\n";
    let f = match parse_text("flat.zh.txt", text) {
        Entry::Filing(f) => *f,
        Entry::Error(e) => panic!("{}", e.error),
    };
    assert_eq!(f.date.as_deref(), Some("2019-11-04"));
    assert_eq!(f.period.as_deref(), Some("2019-10"));
}

/// FF304 as pdfplumber prints it: each "Repurchase of shares (or other
/// securities) but not cancelled" label in three lines around its marker
/// line ("1). 1,200,000 % %"), a "Date of changes" line ending each event,
/// and a page break between two events. Every event is read with its own
/// date, as shares not yet cancelled; the day the purchase report covers is
/// given once, by the report's row with its prices.
#[test]
fn pdfplumber_ff304_events_wrapped_around_their_markers() {
    let f = parse("plumber_ff304.txt");
    assert_eq!(f.form, Form::Ff304);
    assert_eq!(f.stock_codes, vec!["03186"]);
    let b = issued(&f);
    assert_eq!(
        (b.opening, b.closing),
        (Some(4_210_558_000), Some(4_210_558_000))
    );
    assert_eq!(b.opening_as_of.as_deref(), Some("2025-03-10"));
    assert_eq!(b.as_of.as_deref(), Some("2025-03-13"));
    assert!(f.findings.is_empty(), "{:?}", f.findings);
    assert_eq!(
        moves(&f),
        vec![
            (Some("2025-03-11"), Some(-1_200_000), None, true),
            (Some("2025-03-12"), Some(-1_250_000), None, true),
            (Some("2025-03-13"), Some(-1_350_000), Some("12.86"), true),
        ]
    );
    assert_eq!(
        f.movements[0].description.as_deref(),
        Some("Repurchase of shares (or other securities) but not cancelled")
    );
    // The signature block with each value above its label.
    let s = f.signer.as_ref().expect("signer");
    assert_eq!(s.name, "Chan Wing Yee");
    assert_eq!(s.title.as_deref(), Some("Company Secretary"));
}

/// FF305 v1.3 as pdfplumber prints it: part A holds only the unused "Other
/// (please specify)" row (0 shares, "Not applicable"), and part B, after the
/// closing balance, lists the shares repurchased but not yet cancelled, one
/// row a day with its average price. The balances are read; part B's rows
/// are movements not yet cancelled; the row of the report's day is the
/// report's.
#[test]
fn pdfplumber_ff305_part_b_rows_are_pending_repurchases() {
    let f = parse("plumber_ff305.txt");
    assert_eq!(f.form, Form::Ff305);
    let b = issued(&f);
    assert_eq!(
        (b.opening, b.closing),
        (Some(1_845_220_000), Some(1_845_220_000))
    );
    assert!(f.findings.is_empty(), "{:?}", f.findings);
    assert_eq!(
        moves(&f),
        vec![
            (Some("2025-09-16"), Some(-412_000), Some("7.8412"), true),
            (Some("2025-09-17"), Some(-398_000), Some("7.9105"), true),
            (Some("2025-09-18"), Some(-405_000), Some("7.95"), true),
        ]
    );
    assert_eq!(
        f.movements[0].description.as_deref(),
        Some("Shares repurchased for cancellation but not yet cancelled")
    );
    let s = f.signer.as_ref().expect("signer");
    assert_eq!(
        (s.name.as_str(), s.title.as_deref()),
        ("Leung Hoi Ting", Some("Director"))
    );
}

/// An FF301 v1.0.1 return printed one cell a line (as PyMuPDF and web
/// renderings of the PDF give it): the day of each date stands apart from
/// its month ("30" over "April 2022"), the status is "Resubmission", and the
/// option table has the form's fifth balance, what options still to be
/// granted may issue, which stays raw and leaves the four the contract
/// names in place.
#[test]
fn one_cell_a_line_ff301_v101_split_dates_resubmission_and_fifth_option_balance() {
    let f = parse("cells_ff301_v101.txt");
    assert_eq!(f.form, Form::Ff301V10);
    assert_eq!(f.issuer.as_deref(), Some("Tamarind Coast Resources Ltd."));
    assert_eq!(f.period.as_deref(), Some("2022-04"));
    assert_eq!(f.date.as_deref(), Some("2022-05-09"));
    assert_eq!(f.lines.get("date"), Some(&11));
    assert_eq!(f.status, Some(Status::Amendment));
    let b = issued(&f);
    assert_eq!(
        (b.opening, b.change, b.closing),
        (Some(188_400_000), Some(120_000), Some(188_520_000))
    );
    let s = &f.option_schemes[0];
    assert_eq!(s.scheme, "Share Option Plan 2019");
    assert_eq!(
        (
            s.opening,
            s.closing,
            s.new_shares_issued,
            s.issuable_at_close
        ),
        (
            Some(4_250_000),
            Some(4_100_000),
            Some(120_000),
            Some(4_100_000)
        )
    );
    assert_eq!(
        s.raw.get("to_be_granted_at_close").map(String::as_str),
        Some("9,600,000")
    );
    let moved: Vec<(OptionMoveKind, i64)> =
        s.movements.iter().map(|m| (m.kind, m.amount)).collect();
    assert_eq!(
        moved,
        vec![
            (OptionMoveKind::Cancelled, -30_000),
            (OptionMoveKind::Exercised, -120_000),
            (OptionMoveKind::Lapsed, 0),
            (OptionMoveKind::Granted, 0),
        ]
    );
    assert!(warnings(&f).is_empty(), "{:?}", warnings(&f));
}

/// Returns typed into a Word form are filled in over its fill-in lines:
/// "Stock code: _873_______", "Date submitted: _3 July 2020_______". The
/// underscores are no part of the values: the return reads exactly as the
/// same return without them.
#[test]
fn fields_filled_in_over_underscores_read_as_without_them() {
    let plain = parse("mutool_ndr.txt");
    let mut filled = parse("mutool_ndr_underscores.txt");
    assert_eq!(
        filled.issuer.as_deref(),
        Some("Cedarbrook Logistics Group Limited")
    );
    assert_eq!(filled.stock_codes, vec!["00873"]);
    assert_eq!(filled.date.as_deref(), Some("2020-07-03"));
    assert_eq!(
        filled.share_classes[0].description.as_deref(),
        Some("Ordinary Share with par value HKD 0.10 per share")
    );
    filled.file = plain.file.clone();
    assert_eq!(filled, plain);
}

/// pdfminer prints section II's opening and change labels one after the
/// other, then both rows' first columns row by row ("612,450,000", "N/A",
/// "48,000,000", "N/A"). The closing row decides: 612,450,000 + 48,000,000
/// is its 660,450,000, so the cells are placed row by row. When the closing
/// does not confirm it, neither row is read.
#[test]
fn pdfminer_stacked_opening_and_change_rows_are_placed_by_the_closing_arithmetic() {
    let f = parse("pdfminer_legacy_stacked.txt");
    assert_eq!(f.form, Form::Legacy);
    assert_eq!(
        f.issuer.as_deref(),
        Some("Wexbridge Pharmaceutical Holdings Limited")
    );
    let b = issued(&f);
    assert_eq!(
        (b.opening, b.change, b.closing),
        (Some(612_450_000), Some(48_000_000), Some(660_450_000))
    );
    assert_eq!(b.lines.get("opening"), Some(&85));
    assert_eq!(b.lines.get("change"), Some(&89));

    let text = fixture("pdfminer_legacy_stacked.txt").replace("660,450,000", "660,450,001");
    let Entry::Filing(g) = parse_text("stacked-off-by-one.txt", &text) else {
        panic!("not a filing");
    };
    let b = issued(&g);
    assert_eq!(
        (b.opening, b.change, b.closing),
        (None, None, Some(660_450_001))
    );
    assert!(warnings(&g)
        .iter()
        .any(|w| w.contains("labels stand together") && w.contains("cannot be told")));
}

/// pdfminer groups a table's cells column by column: section I's shares
/// (opening, closing), then the par values, then the capital; section II's
/// issued shares, then treasury shares, then the totals. The form's
/// arithmetic (shares times par value is the capital; issued plus treasury
/// is the total; opening plus change is the closing) places them. When it
/// does not hold, nothing is guessed.
#[test]
fn pdfminer_ff301_values_grouped_by_column_are_placed_by_the_arithmetic() {
    let f = parse("pdfminer_ff301.txt");
    assert_eq!(f.form, Form::Ff301V12);
    assert_eq!(f.issuer.as_deref(), Some("Osprey Valley Holdings Limited"));
    assert_eq!(f.period.as_deref(), Some("2025-06"));
    let c = &f.share_classes[0];
    let a = c.authorised.as_ref().expect("authorised");
    assert_eq!(
        (a.opening, a.change, a.closing),
        (Some(5_000_000_000), Some(0), Some(5_000_000_000))
    );
    assert_eq!(a.par_value.as_deref(), Some("0.02"));
    assert_eq!(a.capital.as_deref(), Some("100000000"));
    assert_eq!(a.currency.as_deref(), Some("HKD"));
    assert_eq!(f.authorised_total.as_deref(), Some("100000000"));
    let closing = |b: &Option<Balance>| b.as_ref().and_then(|b| b.closing);
    assert_eq!(closing(&c.issued), Some(812_000_000));
    assert_eq!(closing(&c.treasury), Some(1_500_000));
    assert_eq!(closing(&c.total), Some(813_500_000));
    assert_eq!(
        c.issued.as_ref().and_then(|b| b.lines.get("opening")),
        Some(&91)
    );
    assert!(warnings(&f).is_empty(), "{:?}", warnings(&f));

    // A total that is not issued + treasury, and a capital that is not
    // shares times par: neither table is placed.
    let text = fixture("pdfminer_ff301.txt")
        .replace("813,500,000\n813,500,000", "813,600,000\n813,600,000")
        .replace("100,000,000\n100,000,000", "100,000,000\n120,000,000");
    let Entry::Filing(g) = parse_text("pdfminer-off.txt", &text) else {
        panic!("not a filing");
    };
    let c = &g.share_classes[0];
    assert_eq!(closing(&c.issued), None);
    assert_eq!(c.authorised.as_ref().and_then(|a| a.closing), None);
    let w = warnings(&g);
    assert!(
        w.iter()
            .any(|m| m.contains("do not fit the form's 3 columns")),
        "{w:?}"
    );
    assert!(
        w.iter().any(|m| m.contains("do not fit the form's rows")),
        "{w:?}"
    );
}

/// pdfminer prints section I's label column whole, then its count column
/// after the "Notes to Section I" heading: the counts alone on their lines
/// there are the column's, placed when the arithmetic holds (opening less
/// the two cancellations is the closing count), refused when it does not.
#[test]
fn pdfminer_counts_printed_after_the_section_notes_heading_are_placed() {
    let f = parse("pdfminer_ndr_counts_after_notes.txt");
    assert_eq!(f.issuer.as_deref(), Some("Harbour Crest Holdings Limited"));
    let b = issued(&f);
    assert_eq!(b.opening, Some(1_845_200_000));
    assert_eq!(b.opening_as_of.as_deref(), Some("2018-04-30"));
    assert_eq!(b.closing, Some(1_842_140_000));
    assert_eq!(b.as_of.as_deref(), Some("2018-05-09"));
    assert_eq!(
        moves(&f),
        vec![
            (Some("2018-05-09"), Some(-2_100_000), None, false),
            (Some("2018-05-09"), Some(-960_000), None, false),
        ]
    );
    assert!(f
        .movements
        .iter()
        .all(|m| m.kind == MovementKind::Cancellation));
    assert!(warnings(&f).is_empty(), "{:?}", warnings(&f));

    // A closing count the events do not reach: nothing is placed.
    let text =
        fixture("pdfminer_ndr_counts_after_notes.txt").replace("1,842,140,000", "1,842,410,000");
    let f = parse_variant("bad.txt", &text);
    let b = issued(&f);
    assert_eq!((b.opening, b.closing), (None, None));
    assert!(f.movements.is_empty());
    assert_warned(&f, "column by column");
}

/// The Chinese return as pdfminer prints it: the column heads ("已發行股份佔",
/// "每股發行價", "(註 4、6 及 7)" ...) stand between the opening count and
/// the event's label; they are heads, not a second event's words, so the
/// counts go to opening, the repurchase not yet cancelled, and closing.
#[test]
fn pdfminer_chinese_column_heads_are_not_read_as_an_event() {
    let f = parse("pdfminer_ndr_zh_heads.txt");
    assert_eq!(f.issuer_zh.as_deref(), Some("灣岸創科控股有限公司"));
    assert_eq!(f.stock_codes, vec!["02391"]);
    let b = issued(&f);
    assert_eq!(b.opening, Some(1_380_000_000));
    assert_eq!(b.opening_as_of.as_deref(), Some("2012-03-09"));
    assert_eq!(b.closing, Some(1_380_000_000));
    assert_eq!(b.as_of.as_deref(), Some("2012-03-16"));
    assert_eq!(
        moves(&f),
        vec![(Some("2012-03-16"), Some(-4_520_000), None, true)]
    );
    assert!(warnings(&f).is_empty(), "{:?}", warnings(&f));
}

/// pdfminer may print a purchase report's first columns (counts, trading
/// dates, the "Total" label) above its heading, and its totals paid after
/// the signature: the columns are read from where they begin above the
/// heading, so each row has its date and its price.
#[test]
fn pdfminer_purchase_report_columns_above_its_heading_are_read() {
    let f = parse("pdfminer_ndr_report_above_heading.txt");
    let b = issued(&f);
    assert_eq!(b.opening, Some(960_000_000));
    assert_eq!(b.closing, Some(960_000_000));
    assert_eq!(
        moves(&f),
        vec![
            (Some("2015-11-02"), Some(-350_000), Some("2.31"), true),
            (Some("2015-11-02"), Some(-500_000), Some("2.33"), true),
            (Some("2015-11-02"), Some(-300_000), Some("2.35"), true),
        ]
    );
    assert!(warnings(&f).is_empty(), "{:?}", warnings(&f));
}

/// `pdftotext` raw prints a purchase report's first row whole ("18/03/2021
/// 650,000") and every other column after the counts: the rows are read
/// again column by column, and each row gets its price, which its total
/// paid confirms.
#[test]
fn pdftotext_raw_report_with_its_first_row_whole_gets_its_prices() {
    let f = parse("pdftotext_raw_ndr_first_row_whole.txt");
    assert_eq!(
        moves(&f),
        vec![
            (Some("2021-03-18"), Some(-650_000), Some("0.47"), true),
            (Some("2021-03-18"), Some(-500_000), Some("0.48"), true),
        ]
    );
    assert!(warnings(&f).is_empty(), "{:?}", warnings(&f));
}

/// pdfminer keeps a share option row's class label and the cell beside it
/// in one box ("ordinary shares   12,500,000") and prints the row's other
/// cells, all N/A, before it: the figure beside the label is the first
/// column, Granted. When a cell printed apart holds a figure, which column
/// it is cannot be told: the row's figures are then left unread.
#[test]
fn pdfminer_option_grant_beside_its_class_label_is_the_granted_column() {
    let name = "pdfminer_legacy_grant_beside_label.txt";
    let f = parse(name);
    assert_eq!(f.option_schemes.len(), 1);
    let s = &f.option_schemes[0];
    assert_eq!(s.adopted.as_deref(), Some("2012-06-15"));
    assert_eq!(s.exercise_price.as_deref(), Some("0.88"));
    let grants: Vec<(OptionMoveKind, i64)> =
        s.movements.iter().map(|m| (m.kind, m.amount)).collect();
    assert_eq!(grants, vec![(OptionMoveKind::Granted, 12_500_000)]);
    let text = fixture(name);
    let grant_line = text
        .lines()
        .position(|l| l.contains("12,500,000"))
        .map(|i| i as u32 + 1);
    assert_eq!(s.movements[0].line, grant_line);
    assert_eq!(s.new_shares_issued, Some(0));

    let apart = text.replacen("Lapsed \n\nN/A ", "Lapsed \n\n300,000 ", 1);
    let f = parse_variant("apart.txt", &apart);
    let s = &f.option_schemes[0];
    assert!(s.movements.is_empty(), "{:?}", s.movements);
    assert_warned(&f, "printed apart");
}

/// The Chinese legacy return as pdfminer prints it: the header's values
/// stand above their labels (the name and the date over "公司名稱" and
/// "呈交日期"); section I's change row has its nil cells after the closing
/// label, before the closing row's; and the funds-raised line ends the
/// option entries, so the unused template row is no scheme.
#[test]
fn pdfminer_chinese_legacy_values_above_labels_and_change_cells_after_closing() {
    let name = "pdfminer_legacy_zh_values_above.txt";
    let f = parse(name);
    assert_eq!(f.issuer_zh.as_deref(), Some("灣岸創科控股有限公司"));
    assert_eq!(f.period.as_deref(), Some("2013-04"));
    assert_eq!(f.date.as_deref(), Some("2013-05-03"));
    let text = fixture(name);
    let line_of = |s: &str| {
        text.lines()
            .position(|l| l.contains(s))
            .map(|i| i as u32 + 1)
    };
    assert_eq!(f.lines.get("date").copied(), line_of("2013 年 5 月 3"));
    let c = &f.share_classes[0];
    let a = c.authorised.as_ref().expect("authorised");
    assert_eq!(
        (a.opening, a.change, a.closing),
        (Some(2_000_000_000), Some(0), Some(2_000_000_000))
    );
    assert_eq!(a.par_value.as_deref(), Some("0.05"));
    let i = c.issued.as_ref().expect("issued");
    assert_eq!(
        (i.opening, i.closing),
        (Some(1_380_000_000), Some(1_380_000_000))
    );
    let schemes: Vec<&str> = f.option_schemes.iter().map(|s| s.scheme.as_str()).collect();
    assert_eq!(schemes, vec!["股份期權計劃"]);
    assert!(warnings(&f).is_empty(), "{:?}", warnings(&f));

    // A closing balance other than the opening one after the nil cells:
    // the change is not nil after all, and nothing is moved.
    let changed = text.replacen(
        "2,000,000,000 \n\n0.05 \n\n$100,000,000.00 \n\n2. ",
        "2,500,000,000 \n\n0.05 \n\n$125,000,000.00 \n\n2. ",
        1,
    );
    assert_ne!(changed, text);
    let f = parse_variant("changed.txt", &changed);
    let a = f.share_classes[0].authorised.as_ref().expect("authorised");
    assert_eq!(a.closing, None);
    assert_warned(&f, "authorised closing could not be read");
}

/// PyMuPDF (and mutool) print section III(E) type by type, each type's
/// labels then its answers, with its empty date cells spaced within
/// themselves ("(   /   /       )"): those spaces are no columns, so the
/// section is read in its reading order and the placing gets its figure,
/// its price and its date.
#[test]
fn pymupdf_other_movements_with_spaced_empty_dates_are_read_in_order() {
    let name = "pymupdf_legacy_other_movements.txt";
    let f = parse(name);
    let got: Vec<_> = f
        .other_movements
        .iter()
        .map(|m| {
            (
                m.kind,
                m.amount,
                m.date.as_deref(),
                m.price.as_deref(),
                m.pending,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![(
            MovementKind::Placing,
            Some(48_000_000),
            Some("2014-05-16"),
            Some("0.52"),
            false
        )]
    );
    let text = fixture(name);
    // The figure under the placing's type, not section II's change.
    let placing = text.lines().position(|l| l.starts_with("3. Placing"));
    let line = placing.and_then(|p| {
        text.lines()
            .skip(p)
            .position(|l| l.trim() == "48,000,000")
            .map(|i| (p + i) as u32 + 1)
    });
    assert_eq!(f.other_movements[0].lines.get("amount").copied(), line);
    assert_not_warned(&f, "III(E)");
}

/// pypdf ends a type's price on the next type's first line ("HK$0.52" over
/// "per share 3. Placing At price :"): the words go back to the price, the
/// placing's number starts its line again, and the placing keeps its date.
#[test]
fn pypdf_price_words_glued_before_a_type_number_go_back_to_the_price() {
    let f = parse("pypdf_legacy_price_glued_to_entry.txt");
    let got: Vec<_> = f
        .other_movements
        .iter()
        .map(|m| (m.kind, m.amount, m.date.as_deref(), m.price.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![(
            MovementKind::Placing,
            Some(48_000_000),
            Some("2014-05-16"),
            Some("0.52")
        )]
    );
    assert_not_warned(&f, "III(E)");
}

/// pdfminer prints the legacy form's convertibles table with every row's
/// figures first, each row's group in order, and the rows' descriptions
/// after them; its date cells "( 02 / 03 / 2012   )" are spaced within
/// themselves, no sign of columns. Read in reading order, each group goes
/// to its row as the form's arithmetic confirms (opening less converted is
/// closing); groups the arithmetic does not single out are not read.
#[test]
fn pdfminer_legacy_convertibles_printed_before_their_rows_are_placed() {
    let name = "pdfminer_legacy_convertibles.txt";
    let f = parse(name);
    let got: Vec<_> = f
        .convertibles
        .iter()
        .map(|c| {
            (
                c.amount_opening.as_deref(),
                c.converted.as_deref(),
                c.amount_closing.as_deref(),
                c.new_shares_issued,
                c.issuable_at_close,
                c.conversion_price.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                Some("500000000.00"),
                Some("100000000.00"),
                Some("400000000.00"),
                Some(125_000_000),
                Some(500_000_000),
                Some("0.80")
            ),
            (
                Some("240000000.00"),
                Some("0"),
                Some("240000000.00"),
                Some(0),
                Some(300_000_000),
                Some("0.80")
            ),
        ]
    );
    assert!(f.convertibles[0]
        .description
        .starts_with("Convertible Bonds Series A"));

    // A closing amount the conversion does not reach: not read.
    let text = fixture(name).replacen("400,000,000.00", "410,000,000.00", 1);
    let f = parse_variant("off.txt", &text);
    assert!(f
        .convertibles
        .iter()
        .all(|c| c.amount_closing.as_deref() != Some("410000000.00")));
    assert_warned(&f, "section III");
}

/// A filing's JSON without its file name, content hash and source lines:
/// what two extractions of one filing should agree on.
fn reading(f: &Filing) -> serde_json::Value {
    fn strip(v: serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Object(m) => m
                .into_iter()
                .filter(|(k, _)| !matches!(k.as_str(), "lines" | "line" | "file" | "content_hash"))
                .map(|(k, v)| (k, strip(v)))
                .collect(),
            serde_json::Value::Array(a) => a.into_iter().map(strip).collect(),
            v => v,
        }
    }
    strip(serde_json::to_value(f).expect("a filing serialises"))
}

fn project_fixture(path: &str) -> Filing {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    parse_variant(path, &text)
}

/// A return converted to Markdown holds the form's ruled tables as Markdown
/// tables (a row a line, a cell a column), a cell's line breaks as `<br>`, the
/// title and section headings after `##` and the header labels in bold.
/// Each table row is read as its cells: the return reads exactly as
/// `pdftotext -layout` gives it, and the values keep their own lines.
#[test]
fn markdown_tables_read_as_the_layout_extraction() {
    let md = parse("markdown_ff301.md");
    let layout = project_fixture("tests/fixtures/ff301/harbour_2025-03.layout.txt");
    assert_eq!(md.period.as_deref(), Some("2025-03"));
    assert_eq!(
        md.issuer.as_deref(),
        Some("Harbour Lantern Holdings Limited")
    );
    let c = &md.share_classes[0];
    let a = c.authorised.as_ref().expect("authorised capital");
    assert_eq!(a.closing, Some(5_000_000_000));
    assert_eq!(a.par_value.as_deref(), Some("0.1"));
    assert_eq!(issued(&md).closing, Some(1_200_700_000));
    assert_eq!(reading(&md), reading(&layout));
    let text = fixture("markdown_ff301.md");
    let closing_line = text
        .lines()
        .position(|l| l.starts_with("| Balance at close of the month | 1,200,700,000"))
        .map(|i| i as u32 + 1);
    assert_eq!(issued(&md).lines.get("closing").copied(), closing_line);

    // A row label wrapped below the row's cells, as antiword draws it.
    let wrapped = text.replace(
        "| Balance at close of preceding month | 1,200,000,000 |",
        "| Balance at close of | 1,200,000,000 |",
    );
    let wrapped = wrapped.replacen(
        "| 1,203,000,000 |\n",
        "| 1,203,000,000 |\n| preceding month | | | |\n",
        1,
    );
    assert_ne!(wrapped, text);
    let f = parse_variant("wrapped.md", &wrapped);
    assert_eq!(issued(&f).opening, Some(1_200_000_000));
    assert_eq!(reading(&f), reading(&layout));
}

/// pymupdf4llm prints a return's ruled tables as Markdown tables on the
/// PDF's own grid: a cell spanning several grid columns is repeated in each
/// (`|Balance at close of preceding month|Balance at close of preceding
/// month|1,210,000,000|1,210,000,000|1,210,000,000|2,000,000|2,000,000|`),
/// heads too; the class header's labels lose their spaces
/// (`1 Classofshares<br>.`, `ListedontheExchange(Note1)`); a trailer's
/// labels and values are one cell (`Subscription/Conversion price<br>HKD<br>5`).
/// The return reads whole, and two equal values under different heads (0
/// new shares issued, 0 treasury shares transferred) stay two values.
#[test]
fn pymupdf4llm_tables_with_spanned_cells_repeated_are_read() {
    let f = parse("pymupdf4llm_ff301.md");
    assert_eq!(f.form, Form::Ff301V12);
    assert_eq!(f.period.as_deref(), Some("2025-11"));
    assert_eq!(f.date.as_deref(), Some("2025-12-02"));
    assert_eq!(f.issuer.as_deref(), Some("Egret Valley Holdings Limited"));
    assert_eq!(f.stock_codes, ["03361"]);
    assert!(f.findings.is_empty(), "{:?}", f.findings);
    let c = &f.share_classes[0];
    assert_eq!(c.stock_code.as_deref(), Some("03361"));
    assert_eq!(c.listed, Some(true));
    let a = c.authorised.as_ref().expect("authorised capital");
    assert_eq!(
        (a.opening, a.change, a.closing),
        (Some(5_000_000_000), Some(0), Some(5_000_000_000))
    );
    assert_eq!(a.par_value.as_deref(), Some("0.1"));
    assert_eq!(a.currency.as_deref(), Some("HKD"));
    assert_eq!(a.capital.as_deref(), Some("500000000"));
    assert_eq!(issued(&f).opening, Some(1_210_000_000));
    assert_eq!(issued(&f).closing, Some(1_210_000_000));
    let t = c.treasury.as_ref().expect("treasury shares");
    assert_eq!((t.opening, t.closing), (Some(2_000_000), Some(2_000_000)));
    assert_eq!(
        c.total.as_ref().and_then(|b| b.closing),
        Some(1_212_000_000)
    );

    let s = &f.option_schemes[0];
    assert_eq!(s.adopted.as_deref(), Some("2020-06-01"));
    assert_eq!((s.opening, s.closing), (Some(12_000_000), Some(11_500_000)));
    assert_eq!(s.movements.len(), 1);
    assert_eq!(s.movements[0].kind, OptionMoveKind::Lapsed);
    assert_eq!(s.movements[0].amount, -500_000);
    assert_eq!(s.new_shares_issued, Some(0));
    assert_eq!(
        s.raw.get("treasury_transferred").map(String::as_str),
        Some("0")
    );
    assert_eq!(s.issuable_at_close, Some(11_500_000));

    let cv = &f.convertibles[0];
    assert_eq!(cv.description, "5% Convertible Bonds due 2028");
    assert_eq!(cv.currency.as_deref(), Some("HKD"));
    assert_eq!(cv.amount_opening.as_deref(), Some("30000000"));
    assert_eq!(cv.amount_closing.as_deref(), Some("30000000"));
    assert_eq!(cv.issuable_at_close, Some(6_000_000));
    assert_eq!(cv.conversion_price.as_deref(), Some("5"));
    assert_eq!(
        f.signer.as_ref().map(|s| s.name.as_str()),
        Some("Ho Ka Yan")
    );

    // The values keep the lines they are printed on.
    let text = fixture("pymupdf4llm_ff301.md");
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .map(|i| i as u32 + 1)
    };
    assert_eq!(
        issued(&f).lines.get("closing").copied(),
        line_of("|Balance at close of the month|Balance at close of the month|1,210,000,000")
    );
    assert_eq!(
        s.lines.get("opening").copied(),
        line_of("|1).|2020 Share Option Scheme")
    );
}

/// antiword prints a Word return's tables with pipes, each cell padded to
/// its column, a row label wrapped below the row's cells ("Balance at close
/// of | 4,120,500,000 | N/A" over "preceding month | |"). The tails are
/// no rows of their own: the return reads as its layout extraction.
#[test]
fn antiword_tables_with_labels_wrapped_below_their_cells_read_as_the_layout() {
    let aw = parse("antiword_legacy.txt");
    let layout = project_fixture("tests/fixtures/legacy/lotusbay_2015-09_preference.layout.txt");
    let c = &aw.share_classes[0];
    assert_eq!(c.stock_code.as_deref(), Some("03928"));
    assert_eq!(
        c.authorised.as_ref().and_then(|a| a.closing),
        Some(10_000_000_000)
    );
    assert_eq!(issued(&aw).opening, Some(4_120_500_000));
    assert_eq!(issued(&aw).closing, Some(4_135_650_000));
    assert_eq!(reading(&aw), reading(&layout));
}

/// A Markdown rendering of a filing may open with its title as a heading;
/// a note beside the filings opens with a heading that names no form and
/// keeps its tables as they are.
#[test]
fn a_filing_in_markdown_opening_with_its_title_is_no_note() {
    let text = format!(
        "## {}",
        fixture("markdown_ff301.md").replacen("FF301\n\n## ", "", 1)
    );
    assert!(text.starts_with("## Monthly Return for Equity Issuer"));
    let f = parse_variant("title.md", &text);
    assert_eq!(issued(&f).closing, Some(1_200_700_000));
    let note =
        "# Harbour returns\n\n| Balance at close of the month | 1,200,700,000 |\n|---|---|\n\
                | Monthly Return for Equity Issuer | FF301 |\n";
    match parse_text("notes.md", note) {
        Entry::Error(e) => assert_eq!(e.error_kind, ErrorKind::NotAFiling),
        Entry::Filing(f) => panic!("a note parsed as {:?}", f.form),
    }
}

/// An announcement in Markdown: the issuer's name and the title as
/// headings, the persons in bold. It reads as the plain text does.
#[test]
fn an_announcement_in_markdown_reads_as_its_plain_text() {
    let plain = project_fixture("tests/fixtures/announcements/lockup_from_to.txt");
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/announcements/lockup_from_to.txt");
    let text = std::fs::read_to_string(path).expect("fixture");
    let md = text
        .replacen(
            "Kowloon Lantern Holdings Limited\n",
            "# Kowloon Lantern Holdings Limited\n",
            1,
        )
        .replacen("ANNOUNCEMENT\n", "## ANNOUNCEMENT\n", 1)
        .replacen("LOCK-UP UNDERTAKINGS", "## LOCK-UP UNDERTAKINGS", 1)
        .replacen("Mr. Lam Chun Kit", "**Mr. Lam Chun Kit**", 1);
    assert_ne!(md, text);
    let f = parse_variant("lockup.md", &md);
    assert_eq!(f.title, plain.title);
    assert_eq!(
        f.issuer.as_deref(),
        Some("Kowloon Lantern Holdings Limited")
    );
    assert_eq!(reading(&f), reading(&plain));
}

/// Older filings were published as HTML pages (Word's "save as web page":
/// tables of cells wrapped in paragraphs, `&nbsp;`, Office's XML in
/// comments, a style sheet). The page is read as its text, a paragraph
/// apart from the next by a blank line, a table row a line of tab-apart
/// cells: the return and the announcement read as their plain texts do,
/// and the source view numbers the page's lines as the parser does.
#[test]
fn word_html_pages_read_as_their_plain_text() {
    use hkfilings::filings::parse::{parse_bytes, ParseOptions};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extractors");
    for (page, plain) in [
        (
            "word_html_legacy.htm",
            "tests/fixtures/legacy/lotusbay_2015-09_preference.layout.txt",
        ),
        (
            "word_html_lockup.htm",
            "tests/fixtures/announcements/lockup_from_to.txt",
        ),
    ] {
        let path = dir.join(page);
        let file = path.to_string_lossy().to_string();
        let bytes = std::fs::read(&path).expect("fixture");
        let f = match parse_bytes(&file, &bytes, &ParseOptions::default()) {
            Entry::Filing(f) => *f,
            Entry::Error(e) => panic!("{page}: {}", e.error),
        };
        assert_eq!(f.extractor, "html", "{page}");
        let mut read = reading(&f);
        let mut want = reading(&project_fixture(plain));
        for v in [&mut read, &mut want] {
            v.as_object_mut().expect("an object").remove("extractor");
        }
        assert_eq!(read, want, "{page}");
        // The source view's lines are the parser's.
        let lines = hkfilings::tui::app::read_text(&file, Default::default()).expect("text");
        let at = |no: u32| lines[no as usize - 1].clone();
        match f.kind {
            Kind::MonthlyReturn => {
                let c = &f.share_classes[0];
                let no = c
                    .issued
                    .as_ref()
                    .and_then(|b| b.lines.get("closing"))
                    .copied();
                assert!(at(no.expect("a line")).contains("4,135,650,000"), "{page}");
            }
            _ => {
                let no = f.lines.get("issuer").copied().expect("the issuer's line");
                assert!(
                    at(no).contains("Kowloon Lantern Holdings Limited"),
                    "{page}"
                );
                assert_eq!(f.lockups.len(), 2, "{page}");
            }
        }
    }
}

/// A news site's copy of a return (its HTML tables as text) parts every cell
/// from the next with a line holding only `|`, and stamps the page with its
/// own headline and time above the form: the cells are read as the form's,
/// and neither the headline's "for the month ended 3..." nor the timestamp
/// "08/05/2019" is the period.
#[test]
fn a_web_copy_with_cells_parted_by_pipe_lines_reads_its_header_and_balances() {
    let f = parse("webcopy_legacy_pipes.txt");
    assert_eq!(f.issuer.as_deref(), Some("Marlowe Ridge Holdings Limited"));
    assert_eq!(f.period.as_deref(), Some("2019-07"));
    assert_eq!(f.date.as_deref(), Some("2019-08-05"));
    assert_eq!(f.stock_codes, vec!["02761"]);
    let c = &f.share_classes[0];
    let a = c.authorised.as_ref().expect("authorised");
    assert_eq!(
        (a.opening, a.change, a.closing, a.par_value.as_deref()),
        (
            Some(8_000_000_000),
            Some(0),
            Some(8_000_000_000),
            Some("0.05")
        )
    );
    let i = issued(&f);
    assert_eq!(
        (i.opening, i.change, i.closing),
        (Some(2_145_600_000), Some(0), Some(2_145_600_000))
    );
}

/// Another site's copy prints the header's label row and value row as one
/// line, or the values on the next ("Ashgrove Textile Group Limited
/// 04/01/2019"), glues the month to its year ("31 December2018"), prints a
/// class's stock code far below its "Stock code" label (after the next
/// class's closing label), and section II's change cell after the closing
/// label: the name is the issuer (never the next heading), the stray "1376"
/// no authorised balance, and the change placed by opening + change =
/// closing.
#[test]
fn a_web_copy_with_glued_header_rows_and_stray_cells_is_read_or_refused() {
    let f = parse("webcopy_legacy_glued.txt");
    assert_eq!(f.issuer.as_deref(), Some("Ashgrove Textile Group Limited"));
    assert_eq!(f.period.as_deref(), Some("2018-12"));
    assert_eq!(f.date.as_deref(), Some("2019-01-04"));
    assert!(
        f.share_classes
            .iter()
            .all(|c| c.authorised.as_ref().and_then(|a| a.closing) != Some(1376)),
        "the stray stock code was read as a balance"
    );
    assert_warned(&f, "\"1376\", printed apart from its row");
    let i = issued(&f);
    assert_eq!(
        (i.opening, i.change, i.closing),
        (Some(2_310_400_000), Some(1_250_000), Some(2_311_650_000))
    );

    // The value row glued onto the label row, the date after the name.
    let text = fixture("webcopy_legacy_glued.txt")
        .replace("Date Submitted\nAshgrove", "Date SubmittedAshgrove");
    let f = parse_variant("webcopy_legacy_glued.txt", &text);
    assert_eq!(f.issuer.as_deref(), Some("Ashgrove Textile Group Limited"));
    assert_eq!(f.date.as_deref(), Some("2019-01-04"));
}

/// The 2022 form's header as a web copy prints its labels first and each
/// answer after the next label: the name after "Date Submitted:", the date
/// after "Status:".
#[test]
fn a_web_copy_of_the_ff301_header_finds_the_name_after_the_next_label() {
    let f = parse("webcopy_ff301_header.txt");
    assert_eq!(f.issuer.as_deref(), Some("Tidewater Quarry Resources Ltd."));
    assert_eq!(f.period.as_deref(), Some("2022-03"));
    assert_eq!(f.date.as_deref(), Some("2022-04-04"));
}

/// A document site's text copy keeps the page's emphasis tags, each word of
/// the title and the name's first word wrapped in `<strong>`: the tags are
/// no text of the return, and the name is read without them.
#[test]
fn inline_emphasis_tags_of_a_web_copy_are_not_part_of_the_name() {
    let text = "Monthly Return of Equity Issuer on Movements in Securities\n\
                For the month ended (dd/mm/yyyy) :   <strong>31/10/2019</strong>\n\
                Name of Issuer   <strong>Jade</strong> Harbour Holdings Limited\n\
                Date Submitted   4 November 2019\n";
    let f = parse_variant("tags.txt", text);
    assert_eq!(f.issuer.as_deref(), Some("Jade Harbour Holdings Limited"));
    assert_eq!(f.period.as_deref(), Some("2019-10"));
    // A bracketed word that is no formatting tag stays.
    let kept = text.replace("Jade</strong> Harbour", "Jade</strong> <Harbour>");
    let f = parse_variant("tags.txt", &kept);
    assert_eq!(f.issuer.as_deref(), Some("Jade <Harbour> Holdings Limited"));
}

/// A web copy of an announcement parts each line from the next with pipe
/// lines: the disclaimer wrapped over them is still found, and the text is
/// an announcement.
#[test]
fn an_announcement_whose_lines_are_parted_by_pipe_lines_is_detected() {
    let text = "Hong Kong Exchanges and Clearing Limited and The Stock Exchange of Hong Kong Limited\n|\n||\n\
                take no responsibility for the contents of this\n|\n||\n\
                announcement, make no representation as to its accuracy or completeness.\n|\n||\n\
                BRAMBLE COVE HOLDINGS LIMITED\n";
    let lines = hkfilings::filings::parse::text::lines(text);
    assert_eq!(detect(&lines), Detected::Announcement);
}

/// The e-forms' "Status:" answer: a new submission, or an amendment (a
/// resubmission too), whether it shares the line with "Instrument:" or
/// stands on the line after its label.
#[test]
fn next_day_returns_carry_their_status() {
    for name in ["plumber_ff304.txt", "plumber_ff305.txt"] {
        let f = parse(name);
        assert_eq!(f.status, Some(Status::New), "{name}");
        assert_eq!(f.lines.get("status"), Some(&4), "{name}");
        let text = fixture(name);
        let amended = parse_variant(name, &text.replace("New Submission", "Amendment"));
        assert_eq!(amended.status, Some(Status::Amendment), "{name}");
        let own_line = text.replace(
            "Instrument: Equity issuer Status: New Submission",
            "Status:\nRe-submission",
        );
        assert_ne!(own_line, text, "{name}");
        let f = parse_variant(name, &own_line);
        assert_eq!(f.status, Some(Status::Amendment), "{name}");
        assert_eq!(f.lines.get("status"), Some(&5), "{name}");
    }
}

/// Repair refused "lines run together" in a next day return: a web copy
/// that prints each page's text as one line leaves no row or cell edges,
/// and read by rows the form's code ("FF305") or the stock code would be
/// taken for the opening balance. The header is read; the balances are
/// not, and a warning says why.
#[test]
fn next_day_return_lines_run_together_leave_balances_unread() {
    for name in ["plumber_ff304.txt", "plumber_ff305.txt"] {
        let whole = parse(name);
        let text = fixture(name);
        let joined: String = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let f = parse_variant(name, &joined);
        assert_eq!(f.kind, Kind::NextDayReturn, "{name}");
        assert_eq!(f.issuer, whole.issuer, "{name}");
        assert_eq!(f.date, whole.date, "{name}");
        assert_eq!(f.status, Some(Status::New), "{name}");
        assert!(f.share_classes.is_empty(), "{name}: {:?}", f.share_classes);
        assert!(f.movements.is_empty(), "{name}");
        assert_warned(&f, "runs the form's lines together");
        // The file as extracted is read as before.
        assert!(!whole.share_classes.is_empty(), "{name}");
        assert_not_warned(&whole, "runs the form's lines together");
    }
}
