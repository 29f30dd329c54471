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

fn fixture(name: &str) -> Filing {
    filing(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/announcements")
            .join(name),
    )
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
