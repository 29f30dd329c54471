//! Announcements parsed from the real seed and from the project's fixtures.

mod common;

use hkfilings::filings::model::*;
use hkfilings::filings::parse::{parse_file, ParseOptions};

fn filing(path: &std::path::Path) -> Filing {
    match parse_file(path, &ParseOptions::default()) {
        Entry::Filing(f) => *f,
        Entry::Error(e) => panic!("{}: {}", e.file, e.error),
    }
}

#[test]
fn the_seed_announcement_pairs_four_persons_with_their_entities_for_two_years() {
    let f = filing(&common::shared().join("seeds/000_9e80db2fe83a4f73.txt"));
    assert_eq!(f.kind, Kind::Announcement);
    assert_eq!(f.issuer.as_deref(), Some("SenseTime Group Inc."));
    assert_eq!(f.issuer_zh.as_deref(), Some("商汤集团股份有限公司"));
    assert_eq!(f.stock_codes, vec!["00020"]);
    assert_eq!(f.date.as_deref(), Some("2022-11-30"));
    assert_eq!(
        f.title.as_deref(),
        Some("VOLUNTARY LOCK-UP UNDERTAKINGS BY THE EXECUTIVE DIRECTORS")
    );
    let pairs: Vec<(&str, Option<&str>)> = f
        .lockups
        .iter()
        .map(|l| (l.party.as_str(), l.entity.as_deref()))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("Prof. Tang Xiao'ou", Some("Amind Inc.")),
            ("Dr. Xu Li", Some("XWORLD Enterprise Inc.")),
            ("Dr. Wang Xiaogang", Some("Infinity Vision Enterprise Inc.")),
            ("Mr. Xu Bing", Some("Vision Worldwide Enterprise Inc.")),
        ]
    );
    for l in &f.lockups {
        assert_eq!(l.start.as_deref(), Some("2022-12-30"));
        assert_eq!(l.end.as_deref(), Some("2024-12-29"));
        assert_eq!(l.months, Some(24));
        assert_eq!(
            l.shares.as_deref(),
            Some("class A shares and/or class B shares")
        );
        assert_eq!(l.lines.get("party"), Some(&13));
    }
}

#[test]
fn a_from_to_lockup_with_wrapped_lines_reads_both_dates_and_the_share_count() {
    let f = filing(&common::fixtures().join("announcements/lockup_from_to.txt"));
    assert_eq!(
        f.issuer.as_deref(),
        Some("Kowloon Lantern Holdings Limited")
    );
    assert_eq!(f.issuer_zh.as_deref(), Some("九龍燈籠控股有限公司"));
    assert_eq!(f.stock_codes, vec!["02891"]);
    assert_eq!(f.date.as_deref(), Some("2023-12-15"));
    assert_eq!(
        f.title.as_deref(),
        Some("LOCK-UP UNDERTAKINGS BY THE CONTROLLING SHAREHOLDERS")
    );
    assert_eq!(f.lockups.len(), 2);
    assert_eq!(f.lockups[0].party, "Mr. Lam Chun Kit");
    assert_eq!(
        f.lockups[0].entity.as_deref(),
        Some("Lantern Light Limited")
    );
    assert_eq!(f.lockups[1].party, "Madam Cheung Mei Ling");
    assert_eq!(
        f.lockups[1].entity.as_deref(),
        Some("Evergreen Wick Limited")
    );
    assert_eq!(f.lockups[0].start.as_deref(), Some("2024-01-01"));
    assert_eq!(f.lockups[0].end.as_deref(), Some("2024-12-31"));
    assert_eq!(f.lockups[0].share_count, Some(120_000_000));
    assert_eq!(f.lockups[0].months, None);
}

/// A person who undertakes with the company he owns, named by the short
/// name the announcement gave him: "Mr. Lau Chi Wing ("Mr. Lau") ... Mr.
/// Lau and Evergreen Crest Limited, a company wholly-owned by Mr. Lau, have
/// voluntarily undertaken".
#[test]
fn a_person_and_his_company_after_his_short_name_are_party_and_entity() {
    let f =
        filing(&common::fixtures().join("announcements/voluntary_lockup_person_and_company.txt"));
    assert_eq!(f.stock_codes, vec!["02359"]);
    assert_eq!(f.date.as_deref(), Some("2025-06-03"));
    assert_eq!(f.lockups.len(), 1, "{:?}", f.lockups);
    let l = &f.lockups[0];
    assert_eq!(l.party, "Mr. Lau Chi Wing");
    assert_eq!(l.entity.as_deref(), Some("Evergreen Crest Limited"));
    assert_eq!(l.share_count, Some(412_500_000));
    assert_eq!(
        (l.start.as_deref(), l.end.as_deref()),
        (Some("2025-06-03"), Some("2026-06-02"))
    );
}

/// "Mr. Ho Kwok Wai ("Mr. Ho") and Sino Glory Holdings Limited ... during
/// the period from the date of this announcement up to and including 31
/// December 2026": the company after the person's short name is his entity,
/// and the period starts on the announcement's day.
#[test]
fn a_period_from_the_announcement_up_to_a_date_starts_on_its_day() {
    let f =
        filing(&common::fixtures().join("announcements/controlling_shareholders_until_a_date.txt"));
    assert_eq!(f.date.as_deref(), Some("2025-09-02"));
    assert_eq!(f.lockups.len(), 1, "{:?}", f.lockups);
    let l = &f.lockups[0];
    assert_eq!(l.party, "Mr. Ho Kwok Wai");
    assert_eq!(l.entity.as_deref(), Some("Sino Glory Holdings Limited"));
    assert_eq!(l.share_count, Some(1_250_000_000));
    assert_eq!(
        (l.start.as_deref(), l.end.as_deref()),
        (Some("2025-09-02"), Some("2026-12-31"))
    );
}

/// An extension whose party is a short name defined in the paragraph before
/// ("Ms. Cheung Ka Yan ("Ms. Cheung")"): the lock-up names her in full.
#[test]
fn an_extension_by_a_short_name_defined_earlier_names_the_party_in_full() {
    let f =
        filing(&common::fixtures().join("announcements/extension_short_name_defined_before.txt"));
    assert_eq!(f.lockups.len(), 1, "{:?}", f.lockups);
    let l = &f.lockups[0];
    assert_eq!(l.party, "Ms. Cheung Ka Yan");
    assert_eq!(l.kind, LockUpKind::Extension);
    assert_eq!(
        (l.start.as_deref(), l.end.as_deref()),
        (Some("2025-01-15"), Some("2026-01-14"))
    );
}

/// A PRC issuer signs in its own city: "Shanghai, the PRC, 6 January 2025"
/// dates the announcement as "Hong Kong, ..." would. Its reminder that the
/// cornerstone investors' lock-up "of six months following the Listing
/// Date (being 10 July 2024)" will expire is their lock-up: the group the
/// prospectus defined is the party, the day after "being" the event's.
#[test]
fn a_signature_line_in_another_city_dates_the_announcement() {
    let f =
        filing(&common::fixtures().join("announcements/expiry_reminder_signed_in_shanghai.txt"));
    assert_eq!(f.issuer.as_deref(), Some("Sunrise Medtech Group Co., Ltd."));
    assert_eq!(f.stock_codes, vec!["06692"]);
    assert_eq!(f.date.as_deref(), Some("2025-01-06"));
    assert!(
        !f.findings
            .iter()
            .any(|x| x.message.contains("no date found")),
        "{:?}",
        f.findings
    );
    assert_eq!(f.lockups.len(), 1, "{:?}", f.lockups);
    let l = &f.lockups[0];
    assert_eq!(l.party, "Cornerstone Investors");
    assert_eq!(
        (l.start.as_deref(), l.end.as_deref(), l.months),
        (Some("2024-07-10"), Some("2025-01-09"), Some(6))
    );
}

/// The Chinese version of an announcement: the masthead's "（股份代號：2359）"
/// and "（於開曼群島註冊成立的有限公司）" under the Chinese and English names,
/// the headline after the category "自願公告", the date of "香港，2025年6月3日".
/// The Exchange's disclaimer (a sentence naming its companies) is neither
/// the issuer nor the headline. The lock-up of "劉志榮先生（「劉先生」）"
/// runs "自2025年6月3日起計12個月".
#[test]
fn a_chinese_announcement_gives_its_issuer_code_headline_and_date() {
    let f = filing(&common::fixtures().join("announcements/chinese_voluntary_lockup.txt"));
    assert_eq!(f.language, Language::Zh);
    assert_eq!(f.stock_codes, vec!["02359"]);
    assert_eq!(
        f.issuer.as_deref(),
        Some("GREENLEAF DIGITAL HOLDINGS LIMITED")
    );
    assert_eq!(f.issuer_zh.as_deref(), Some("綠葉數碼控股有限公司"));
    assert_eq!(f.title.as_deref(), Some("控股股東自願禁售承諾"));
    assert_eq!(f.date.as_deref(), Some("2025-06-03"));
    assert_eq!(f.lockups.len(), 1, "{:?}", f.lockups);
    let l = &f.lockups[0];
    assert_eq!(l.party, "劉志榮先生");
    // "劉先生及其全資擁有的公司常青峰有限公司": the company he holds through.
    assert_eq!(l.entity.as_deref(), Some("常青峰有限公司"));
    assert_eq!(l.share_count, Some(412_500_000));
    assert_eq!(
        (l.start.as_deref(), l.end.as_deref(), l.months),
        (Some("2025-06-03"), Some("2026-06-02"), Some(12))
    );
    assert!(
        f.findings.iter().all(|x| x.level < Level::Warning),
        "{:?}",
        f.findings
    );
}

/// A Chinese extension by two persons named by the short names an earlier
/// paragraph defined ("張女士及陳先生"), "自2025年1月15日起至2026年1月14日止",
/// signed "中國廣州，2025年1月10日".
#[test]
fn a_chinese_extension_by_two_persons_runs_between_its_two_dates() {
    let f = filing(&common::fixtures().join("announcements/chinese_extension_two_persons.txt"));
    assert_eq!(f.stock_codes, vec!["01875"]);
    assert_eq!(f.date.as_deref(), Some("2025-01-10"));
    assert_eq!(f.title.as_deref(), Some("延長禁售承諾"));
    let got: Vec<(&str, Option<&str>, Option<&str>, LockUpKind)> = f
        .lockups
        .iter()
        .map(|l| {
            (
                l.party.as_str(),
                l.start.as_deref(),
                l.end.as_deref(),
                l.kind,
            )
        })
        .collect();
    let ext = LockUpKind::Extension;
    assert_eq!(
        got,
        vec![
            ("張嘉欣女士", Some("2025-01-15"), Some("2026-01-14"), ext),
            ("陳國強先生", Some("2025-01-15"), Some("2026-01-14"), ext),
        ]
    );
}

/// Three persons listed and defined together ("(collectively, the
/// "Founders")"), each locked up "for a period of 180 days from 15 April
/// 2025": three lock-ups ending on 11 October 2025.
#[test]
fn persons_listed_together_each_have_the_period_in_days() {
    let f = filing(&common::fixtures().join("announcements/founders_for_180_days.txt"));
    let got: Vec<(&str, Option<&str>, Option<&str>)> = f
        .lockups
        .iter()
        .map(|l| (l.party.as_str(), l.start.as_deref(), l.end.as_deref()))
        .collect();
    let (s, e) = (Some("2025-04-15"), Some("2025-10-11"));
    assert_eq!(
        got,
        vec![
            ("Mr. Yip Chun Wai", s, e),
            ("Mr. Tang Hoi Ming", s, e),
            ("Ms. Kwok Lai Sze", s, e),
        ]
    );
}

/// A company named by the short name the announcement gave it, with no
/// "the" before it: "Jade River Holdings Limited ("JR Holdings") ... JR
/// Holdings has voluntarily undertaken to the Company not to sell ... from
/// 1 May 2025 to 31 October 2025". The place and the date of the signature
/// stand on two lines ("Hangzhou, the PRC" / "28 April 2025").
#[test]
fn a_company_by_its_short_name_without_the_is_the_party() {
    let f =
        filing(&common::fixtures().join("announcements/substantial_shareholder_by_short_name.txt"));
    assert_eq!(f.date.as_deref(), Some("2025-04-28"));
    assert_eq!(f.lockups.len(), 1, "{:?}", f.lockups);
    let l = &f.lockups[0];
    assert_eq!(l.party, "Jade River Holdings Limited");
    assert_eq!(l.share_count, Some(150_000_000));
    assert_eq!(
        (l.start.as_deref(), l.end.as_deref()),
        (Some("2025-05-01"), Some("2025-10-31"))
    );
}

/// A placing's lock-up "for a period of 90 days from the Closing Date",
/// the day given by a glossary line ("Closing Date" means 6 March 2025):
/// the vendor's lock-up runs 6 March to 3 June 2025; the Company's own
/// undertaking not to issue shares is no lock-up.
#[test]
fn a_period_from_an_event_a_glossary_dates_starts_on_that_day() {
    let f = filing(&common::fixtures().join("announcements/placing_closing_date_in_glossary.txt"));
    assert_eq!(f.lockups.len(), 1, "{:?}", f.lockups);
    let l = &f.lockups[0];
    assert_eq!(l.party, "Bright Harvest Investments Limited");
    assert_eq!(
        (l.start.as_deref(), l.end.as_deref()),
        (Some("2025-03-06"), Some("2025-06-03"))
    );
}

#[test]
fn an_announcement_without_lockups_is_indexed_by_issuer_date_and_title() {
    let f = filing(&common::fixtures().join("announcements/plain.txt"));
    assert_eq!(f.issuer.as_deref(), Some("Tai Ping Shan Minerals Limited"));
    assert_eq!(f.issuer_zh.as_deref(), Some("太平山礦業有限公司"));
    assert_eq!(f.stock_codes, vec!["00765"]);
    assert_eq!(f.date.as_deref(), Some("2025-03-14"));
    assert_eq!(f.title.as_deref(), Some("DATE OF BOARD MEETING"));
    assert!(f.lockups.is_empty());
}

#[test]
fn a_readme_in_the_folder_is_not_a_filing() {
    match parse_file(
        &common::fixtures().join("announcements/README.md"),
        &ParseOptions::default(),
    ) {
        Entry::Error(e) => assert_eq!(e.error_kind, ErrorKind::NotAFiling),
        Entry::Filing(f) => panic!("parsed as {:?}", f.kind),
    }
}

// Two announcements written in the exchange's announcement layout, kept here
// rather than in the fixtures folder, which the CLI tests read as a whole.
const EXTENSION_AFTER_REFERENCE: &str = r#"Hong Kong Exchanges and Clearing Limited and The Stock Exchange of Hong Kong Limited take no responsibility for the contents of this announcement, make no representation as to its accuracy or completeness and expressly disclaim any liability whatsoever for any loss howsoever arising from or in reliance upon the whole or any part of the contents of this announcement.

青嶺航運控股有限公司

GREENRIDGE SHIPPING HOLDINGS LIMITED

(Incorporated in the Cayman Islands with limited liability)

(Stock Code: 2718)

VOLUNTARY ANNOUNCEMENT

EXTENSION OF VOLUNTARY LOCK-UP UNDERTAKING

Reference is made to the announcement of Greenridge Shipping Holdings Limited (the "Company") dated 2 March 2023 in relation to the voluntary lock-up undertaking given by Mr. Ho Chun Kit and Bright Anchor Limited, a company wholly owned by Mr. Ho Chun Kit, which will expire on 1 March 2025.

The Company has been informed that Mr. Ho Chun Kit and Bright Anchor Limited have agreed to extend the lock-up period for a further twelve months from 2 March 2025 to 1 March 2026.

By order of the Board
Greenridge Shipping Holdings Limited
Ho Chun Kit
Chairman

Hong Kong, 20 February 2025
"#;

const CORPORATE_PARTY_MONTHS: &str = r#"Hong Kong Exchanges and Clearing Limited and The Stock Exchange of Hong Kong Limited take no responsibility for the contents of this announcement, make no representation as to its accuracy or completeness and expressly disclaim any liability whatsoever for any loss howsoever arising from or in reliance upon the whole or any part of the contents of this announcement.

GREENRIDGE SHIPPING HOLDINGS LIMITED
青嶺航運控股有限公司
(Incorporated in the Cayman Islands with limited liability)
(Stock Code: 2718)

LOCK-UP UNDERTAKING BY A SUBSTANTIAL SHAREHOLDER

The board of directors of Greenridge Shipping Holdings Limited (the "Company") is pleased to announce that Tidewater Nominees Limited, a substantial shareholder of the Company, has undertaken to the Company that it will not dispose of any shares of the Company for 9 months from 15 April 2025.

By order of the Board
Greenridge Shipping Holdings Limited
Ho Chun Kit
Chairman

Hong Kong, 14 April 2025
"#;

fn fixture(name: &str) -> Filing {
    let text = match name {
        "extension_after_reference.txt" => EXTENSION_AFTER_REFERENCE,
        _ => CORPORATE_PARTY_MONTHS,
    };
    match hkfilings::filings::parse::parse_text(name, text) {
        Entry::Filing(f) => *f,
        Entry::Error(e) => panic!("{}: {}", e.file, e.error),
    }
}

#[test]
fn an_extension_is_read_from_its_own_paragraph_not_from_the_recalled_undertaking() {
    let f = fixture("extension_after_reference.txt");
    assert_eq!(
        f.title.as_deref(),
        Some("EXTENSION OF VOLUNTARY LOCK-UP UNDERTAKING")
    );
    assert_eq!(f.lockups.len(), 1, "{:?}", f.lockups);
    let l = &f.lockups[0];
    assert_eq!(l.party, "Mr. Ho Chun Kit");
    assert_eq!(l.entity.as_deref(), Some("Bright Anchor Limited"));
    assert_eq!(l.start.as_deref(), Some("2025-03-02"));
    assert_eq!(l.end.as_deref(), Some("2026-03-01"));
    assert_eq!(l.kind, LockUpKind::Extension);
}

#[test]
fn a_capitalised_masthead_name_is_given_as_the_text_writes_it() {
    let f = fixture("extension_after_reference.txt");
    assert_eq!(
        f.issuer.as_deref(),
        Some("Greenridge Shipping Holdings Limited")
    );
    assert_eq!(f.issuer_zh.as_deref(), Some("青嶺航運控股有限公司"));
    assert_eq!(f.stock_codes, vec!["02718"]);
}

#[test]
fn a_company_can_be_the_party_of_a_lock_up_of_some_months() {
    let f = fixture("corporate_party_months.txt");
    assert_eq!(f.lockups.len(), 1, "{:?}", f.lockups);
    let l = &f.lockups[0];
    assert_eq!(l.party, "Tidewater Nominees Limited");
    assert_eq!(l.entity, None);
    assert_eq!(l.start.as_deref(), Some("2025-04-15"));
    assert_eq!(l.end.as_deref(), Some("2026-01-14"));
    assert_eq!(l.months, Some(9));
    assert_eq!(f.date.as_deref(), Some("2025-04-14"));
}

/// Each lock-up's (party, share count, end).
fn lockup_rows(f: &Filing) -> Vec<(&str, Option<i64>, Option<&str>)> {
    f.lockups
        .iter()
        .map(|l| (l.party.as_str(), l.share_count, l.end.as_deref()))
        .collect()
}

/// An allotment results announcement in tests/fixtures/allotments (written
/// for these tests: invented issuer, names and figures).
fn fixture_file(name: &str) -> Filing {
    fixture_file_in("allotments", name)
}

fn fixture_file_in(dir: &str, name: &str) -> Filing {
    filing(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(dir)
            .join(name),
    )
}

/// An allotment results announcement as PyMuPDF prints it: no blank lines,
/// one table cell a line, names and headers over several lines. Each row of
/// the lock-up tables (controlling shareholders, pre-IPO and cornerstone
/// investors) is an undertaking with its shares and last day; subtotal and
/// total rows, headers and notes are not; a Chinese name wrapped over two
/// lines is joined without a space. The masthead and the signature are read
/// line by line.
#[test]
fn allotment_results_lock_up_tables_cell_per_line() {
    let f = fixture_file("allotment_2026-03.pymupdf.txt");
    assert_eq!(
        f.issuer.as_deref(),
        Some("Quarrybrook Biotech Holdings Limited")
    );
    assert_eq!(f.stock_codes, vec!["02871"]);
    assert_eq!(f.date.as_deref(), Some("2026-03-11"));
    assert_eq!(
        f.title.as_deref(),
        Some("ANNOUNCEMENT OF FINAL OFFER PRICE AND ALLOTMENT RESULTS")
    );
    assert_eq!(
        lockup_rows(&f),
        vec![
            ("Ho Wing Kei", Some(24_500_000), Some("2027-09-11")),
            ("Quarry Partners Limited", Some(6_125_000), Some("2027-03-11")),
            ("Ridgeway Growth Fund II, L.P.", Some(3_410_000), Some("2026-09-10")),
            (
                "Suzhou Lakeside Venture Capital Partnership (Limited Partnership) (蘇州湖畔創業投資合夥企業(有限合夥))",
                Some(1_250_400),
                Some("2026-09-10")
            ),
            ("Tidal Harbour Capital", Some(2_000_000), Some("2026-09-10")),
        ]
    );
    assert!(f.lockups.iter().all(|l| l.kind == LockUpKind::Undertaking));
    // Each value keeps its source line.
    let first = &f.lockups[0];
    assert_eq!(first.lines.get("party"), Some(&27));
    assert_eq!(first.lines.get("share_count"), Some(&28));
    assert_eq!(first.lines.get("end"), Some(&30));
}

/// The same tables as `pdftotext -layout` prints them, one row a line with
/// cells two or more spaces apart; the masthead (name, "(incorporated in
/// ...)", stock code) and the signature's date stand in paragraphs of
/// several lines and are found line by line.
#[test]
fn allotment_results_lock_up_tables_row_per_line() {
    let f = fixture_file("allotment_2026-03.layout.txt");
    assert_eq!(
        f.issuer.as_deref(),
        Some("Quarrybrook Biotech Holdings Limited")
    );
    assert_eq!(f.date.as_deref(), Some("2026-03-11"));
    assert_eq!(
        lockup_rows(&f),
        vec![
            ("Ho Wing Kei", Some(24_500_000), Some("2027-09-11")),
            (
                "Quarry Partners Limited",
                Some(6_125_000),
                Some("2027-03-11")
            ),
            ("Tidal Harbour Capital", Some(2_000_000), Some("2026-09-10")),
            (
                "Ridgeway Growth Fund II, L.P.",
                Some(3_410_000),
                Some("2026-09-10")
            ),
        ]
    );
}

/// The summary-table layout of allotment results announcements since 2025,
/// one cell a line: no Exchange disclaimer, no "(Stock code: ...)" line
/// (the code is a table cell), the issuer's names and the headline on top,
/// a "—" where a party holds none of a column's shares. The text is a
/// fragment with no dateline: its dates are other events' (a prospectus
/// "dated" earlier, the day dealings begin, the lock-ups' last days), so the
/// date is null with a finding, not one of them.
#[test]
fn allotment_results_in_the_summary_table_layout() {
    let f = fixture_file("allotment_2026-06.summary.txt");
    assert_eq!(f.kind, Kind::Announcement);
    assert_eq!(f.issuer.as_deref(), Some("Lanternfield Robotics Co., Ltd."));
    assert_eq!(f.issuer_zh.as_deref(), Some("燈田機器人股份有限公司"));
    assert_eq!(f.stock_codes, vec!["02917"]);
    assert_eq!(f.lines.get("stock_codes"), Some(&10));
    assert_eq!(
        f.title.as_deref(),
        Some("ANNOUNCEMENT OF ALLOTMENT RESULTS")
    );
    assert_eq!(f.date, None);
    assert!(f
        .findings
        .iter()
        .any(|x| x.code == codes::MISSING_FIELD && x.message.contains("no date")));
    assert_eq!(
        lockup_rows(&f),
        vec![
            (
                "Ningbo Brightwater Enterprise Management Partnership (Limited Partnership)",
                Some(9_400_000),
                Some("2027-06-07")
            ),
            (
                "Harrow Peak Holdings Limited",
                Some(6_210_500),
                Some("2027-06-07")
            ),
            (
                "Qingdao Lantern Equity Investment Fund (Limited Partnership)",
                Some(3_075_000),
                Some("2027-06-07")
            ),
            ("Kestrel AM", Some(2_400_000), Some("2026-12-07")),
        ]
    );
    // The first table counts all of a party's shares, then its H shares
    // among them: no class for the row (the first count, not a sum). The
    // cornerstone table's one column names its class.
    let classes: Vec<Option<&str>> = f.lockups.iter().map(|l| l.shares.as_deref()).collect();
    assert_eq!(classes, vec![None, None, None, Some("H Shares")]);
}

/// A dateline alone at the end of an announcement (no "Hong Kong," before
/// it) is its date; the dates of the undertakings in its sentences are not.
#[test]
fn a_bare_dateline_at_the_end_is_the_date_not_a_date_in_the_prose() {
    let f = fixture_file_in("tui", "lumen-lockup-2022-11-30.txt");
    assert_eq!(f.date.as_deref(), Some("2022-11-30"));
    assert_eq!(f.lines.get("date"), Some(&10));
}

/// An H-share issuer's allotment results (written for these tests, after
/// the layout of 2026 ones): the cover's "GLOBAL OFFERING" is no title; in
/// the lock-up tables a column of domestic shares beside the H shares: a
/// party locked up in both has a lock-up for each class, and one holding
/// no domestic shares ("0") has its H shares' alone; a
/// placee's name in capitals wrapped over two lines ("NORTHGATE TRADING
/// PACIFIC" / "PTE. LTD."), which is no heading; and the next heading in
/// capitals, which ends the tables (its "Top 1" row is no party).
#[test]
fn allotment_results_rows_with_a_nil_first_column_and_names_in_capitals() {
    let f = fixture_file("allotment_2026-05_h_shares.pymupdf.txt");
    assert_eq!(
        f.issuer.as_deref(),
        Some("Lanshan Precision Machinery Co., Ltd.")
    );
    // The offering's cover heading is passed over for the announcement's own.
    assert_eq!(
        f.title.as_deref(),
        Some("ANNOUNCEMENT OF ALLOTMENT RESULTS")
    );
    assert_eq!(f.date.as_deref(), Some("2026-05-21"));
    assert_eq!(
        lockup_rows(&f),
        vec![
            ("Qiao Minghui (喬明輝)", Some(8_400_000), Some("2027-05-21")),
            ("Qiao Minghui (喬明輝)", Some(52_600_000), Some("2027-05-21")),
            (
                "Lanshan Ruiyuan Technology Partnership (Limited Partnership) (嵐山瑞源科技合夥企業(有限合夥))",
                Some(4_150_000),
                Some("2027-05-21")
            ),
            (
                "Eastbridge Asset Management (Asia) Limited",
                Some(1_206_400),
                Some("2026-11-21")
            ),
            ("NORTHGATE TRADING PACIFIC PTE. LTD.", Some(735_200), Some("2026-11-21")),
            ("Kestrel Peak Capital Limited", Some(735_200), Some("2026-11-21")),
        ]
    );
    let classes: Vec<Option<&str>> = f.lockups.iter().map(|l| l.shares.as_deref()).collect();
    assert_eq!(
        classes,
        [Some("Domestic Shares")]
            .into_iter()
            .chain([Some("H Shares"); 5])
            .collect::<Vec<_>>()
    );
    // Each class's count keeps its own line.
    let lines: Vec<Option<u32>> = f.lockups[..2]
        .iter()
        .map(|l| l.lines.get("share_count").copied())
        .collect();
    assert_eq!(lines, vec![Some(54), Some(55)]);
}

/// A top-up placing (written for these tests): the party of the lock-up
/// is the short name the announcement defined ("the Vendor"), and its
/// period runs from the day of an agreement the announcement dates ("On 3
/// March 2026 ... entered into ... (the “Placing and Subscription
/// Agreement”)"): ninety days from 2026-03-03 end on 2026-05-31. The
/// Company's own undertaking not to issue shares is no shareholder's
/// lock-up.
#[test]
fn a_placing_vendor_named_by_its_short_name_is_locked_up_from_the_agreement_day() {
    let f = fixture_file_in("announcements", "placing_vendor_lockup.txt");
    assert_eq!(
        f.issuer.as_deref(),
        Some("Westlake Lumen Technology Limited")
    );
    assert_eq!(f.date.as_deref(), Some("2026-03-03"));
    assert_eq!(f.lockups.len(), 1, "{:?}", f.lockups);
    let l = &f.lockups[0];
    assert_eq!(l.party, "Silver Reed Holdings Limited");
    assert_eq!(l.start.as_deref(), Some("2026-03-03"));
    assert_eq!(l.end.as_deref(), Some("2026-05-31"));
    assert_eq!(l.months, None);
    assert_eq!(l.kind, LockUpKind::Undertaking);
    assert_eq!(l.lines.get("party"), Some(&21));
}
