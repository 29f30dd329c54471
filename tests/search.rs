//! Fuzzy search over an index built from filings written in code.

use hkfilings::filings::index::Index;
use hkfilings::filings::model::{
    Entry, Filing, Form, Kind, LockUp, LockUpKind, OptionScheme, ShareClass,
};
use hkfilings::filings::search::{ResultKind, SearchIndex, Searcher, Target};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

const SENSETIME: &str = "SenseTime Group Inc.";
const SENSETIME_ZH: &str = "商汤集团股份有限公司";
const SCHEME: &str = "Class B Shares held by SenseTalent Management Limited for the Pre-IPO ESOP and Pre-IPO RSU Plan";

fn monthly(file: &str, codes: &[&str], name: &str, period: &str) -> Filing {
    let mut f = Filing::new(file, Kind::MonthlyReturn, Form::Ff301V10);
    f.content_hash = format!("hash-{file}");
    f.issuer = Some(name.to_string());
    f.stock_codes = codes.iter().map(|c| c.to_string()).collect();
    f.period = Some(period.to_string());
    f.date = Some(format!("{period}-28"));
    f.share_classes.push(ShareClass {
        class_key: codes.first().map(|c| c.to_string()).unwrap_or_default(),
        stock_code: codes.first().map(|c| c.to_string()),
        ..ShareClass::default()
    });
    f
}

fn sensetime_return(file: &str, period: &str) -> Filing {
    let mut f = monthly(file, &["00020", "80020"], SENSETIME, period);
    f.issuer_zh = Some(SENSETIME_ZH.to_string());
    f.option_schemes.push(OptionScheme {
        scheme: SCHEME.to_string(),
        adopted: Some("2016-11-01".to_string()),
        ..OptionScheme::default()
    });
    f
}

fn lockup(party: &str, entity: &str) -> LockUp {
    LockUp {
        party: party.to_string(),
        entity: Some(entity.to_string()),
        shares: Some("class A shares and/or class B shares".to_string()),
        share_count: None,
        start: Some("2022-12-30".to_string()),
        end: Some("2024-12-29".to_string()),
        months: Some(24),
        kind: LockUpKind::Undertaking,
        lines: Default::default(),
    }
}

fn lockup_announcement(file: &str) -> Filing {
    let mut f = Filing::new(file, Kind::Announcement, Form::Announcement);
    f.content_hash = format!("hash-{file}");
    f.issuer = Some(SENSETIME.to_string());
    f.issuer_zh = Some(SENSETIME_ZH.to_string());
    f.stock_codes = vec!["00020".to_string()];
    f.date = Some("2022-11-30".to_string());
    f.title = Some("VOLUNTARY LOCK-UP UNDERTAKINGS BY THE EXECUTIVE DIRECTORS".to_string());
    f.lockups = vec![
        lockup("Prof. Tang Xiao'ou", "Amind Inc."),
        lockup("Dr. Xu Li", "XWORLD Enterprise Inc."),
        lockup("Dr. Wang Xiaogang", "Infinity Vision Enterprise Inc."),
        lockup("Mr. Xu Bing", "Vision Worldwide Enterprise Inc."),
    ];
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

/// SenseTime's return and announcement, and issuers whose names and codes
/// look a little like them.
fn corpus() -> Vec<Filing> {
    vec![
        sensetime_return("st-2023-10.txt", "2023-10"),
        sensetime_return("st-2023-11.txt", "2023-11"),
        lockup_announcement("st-lockup.txt"),
        monthly(
            "melco.txt",
            &["00200"],
            "Melco International Development Limited",
            "2023-11",
        ),
        monthly(
            "c20.txt",
            &["02020"],
            "Century 20 Holdings Limited",
            "2023-11",
        ),
        monthly(
            "sino.txt",
            &["01000"],
            "Sino Sense Technology Limited",
            "2023-11",
        ),
        monthly("amind.txt", &["03000"], "Amind Inc.", "2023-11"),
    ]
}

fn first(search: &SearchIndex, query: &str) -> hkfilings::filings::search::Hit {
    search
        .search(query, 10)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no hit for {query:?}"))
}

#[test]
fn an_exact_stock_code_beats_a_fuzzy_name_match_however_it_is_padded() {
    let search = SearchIndex::build(&index_of(corpus()));
    for query in ["0020", "00020", "20", " 20 "] {
        let hit = first(&search, query);
        assert_eq!(hit.kind, ResultKind::Code, "{query}");
        assert_eq!(hit.label, "00020", "{query}");
        assert_eq!(hit.issuer.as_deref(), Some("00020"), "{query}");
        assert_eq!(
            hit.target,
            Target::Issuer {
                code: "00020".to_string()
            }
        );
        assert_eq!(hit.detail, SENSETIME);
    }
    // The near-misses still come, after it.
    let labels: Vec<String> = search
        .search("20", 10)
        .into_iter()
        .map(|h| h.label)
        .collect();
    assert!(labels.contains(&"00200".to_string()), "{labels:?}");
    assert!(labels.contains(&"02020".to_string()), "{labels:?}");
}

#[test]
fn a_multi_counter_code_leads_to_its_issuer() {
    let search = SearchIndex::build(&index_of(corpus()));
    let hit = first(&search, "80020");
    assert_eq!(hit.kind, ResultKind::Code);
    assert_eq!(hit.label, "80020");
    assert_eq!(
        hit.target,
        Target::Issuer {
            code: "00020".to_string()
        }
    );
}

#[test]
fn a_chinese_query_finds_the_chinese_name() {
    let search = SearchIndex::build(&index_of(corpus()));
    let hit = first(&search, "商汤");
    assert_eq!(hit.kind, ResultKind::Issuer);
    assert_eq!(hit.label, SENSETIME_ZH);
    assert_eq!(hit.issuer.as_deref(), Some("00020"));
    assert_eq!(hit.indices, vec![0, 1]);
}

#[test]
fn sense_and_snstm_put_sensetime_first() {
    let search = SearchIndex::build(&index_of(corpus()));
    for query in ["sense", "snstm", "SenseTime", "sense time"] {
        let hit = first(&search, query);
        assert_eq!(hit.kind, ResultKind::Issuer, "{query}");
        assert_eq!(hit.label, SENSETIME, "{query}");
        assert_eq!(
            hit.target,
            Target::Issuer {
                code: "00020".to_string()
            }
        );
    }
    // "sense" also reaches the other Sense and the scheme named for SenseTalent.
    let kinds: Vec<(ResultKind, String)> = search
        .search("sense", 10)
        .into_iter()
        .map(|h| (h.kind, h.label))
        .collect();
    assert!(kinds.contains(&(
        ResultKind::Issuer,
        "Sino Sense Technology Limited".to_string()
    )));
    assert!(kinds.contains(&(ResultKind::Scheme, SCHEME.to_string())));
}

#[test]
fn matched_positions_highlight_the_label_as_printed() {
    let search = SearchIndex::build(&index_of(corpus()));
    let hit = first(&search, "snstm");
    assert_eq!(hit.label, SENSETIME);
    let picked: String = hit
        .indices
        .iter()
        .filter_map(|&i| hit.label.chars().nth(i))
        .collect();
    assert_eq!(picked.to_lowercase(), "snstm");
}

#[test]
fn tang_xiao_puts_the_person_first_whatever_the_case_and_punctuation() {
    let index = index_of(corpus());
    let search = SearchIndex::build(&index);
    for query in ["tang xiao", "Tang Xiao'ou", "TANG XIAOOU", "tangxiao"] {
        let hit = first(&search, query);
        assert_eq!(hit.kind, ResultKind::Person, "{query}");
        assert_eq!(hit.label, "Prof. Tang Xiao'ou", "{query}");
        assert_eq!(hit.issuer.as_deref(), Some("00020"));
        let Target::LockUp { filing, index: i } = hit.target else {
            panic!("{query}: {:?}", hit.target);
        };
        assert_eq!(index.filing(filing).file, "st-lockup.txt");
        assert_eq!(i, 0);
    }
    // "Prof. Tang Xiao'ou": T=6 a n g=9, X=11 i a o=14.
    assert_eq!(
        first(&search, "tang xiao").indices,
        vec![6, 7, 8, 9, 11, 12, 13, 14]
    );
}

#[test]
fn every_party_and_entity_of_the_lock_up_is_found() {
    let index = index_of(corpus());
    let search = SearchIndex::build(&index);
    for (query, kind, label, n) in [
        ("xu li", ResultKind::Person, "Dr. Xu Li", 1),
        ("wang xiaogang", ResultKind::Person, "Dr. Wang Xiaogang", 2),
        ("xu bing", ResultKind::Person, "Mr. Xu Bing", 3),
        ("xworld", ResultKind::Entity, "XWORLD Enterprise Inc.", 1),
        (
            "infinity vision",
            ResultKind::Entity,
            "Infinity Vision Enterprise Inc.",
            2,
        ),
        (
            "vision worldwide",
            ResultKind::Entity,
            "Vision Worldwide Enterprise Inc.",
            3,
        ),
    ] {
        let hit = first(&search, query);
        assert_eq!((hit.kind, hit.label.as_str()), (kind, label), "{query}");
        assert!(
            matches!(hit.target, Target::LockUp { index, .. } if index == n),
            "{query}"
        );
    }
    let entity = first(&search, "xworld");
    assert!(
        entity.detail.contains("controlled by Dr. Xu Li"),
        "{}",
        entity.detail
    );
    assert!(entity.detail.contains("2024-12-29"), "{}", entity.detail);
}

#[test]
fn ties_are_broken_by_kind_then_label_every_time() {
    let search = SearchIndex::build(&index_of(corpus()));
    // "Amind Inc." is both an issuer and the entity of Prof. Tang: same text, same score.
    let hits = search.search("amind inc", 10);
    let top: Vec<(ResultKind, &str)> = hits
        .iter()
        .take(2)
        .map(|h| (h.kind, h.label.as_str()))
        .collect();
    assert_eq!(
        top,
        vec![
            (ResultKind::Issuer, "Amind Inc."),
            (ResultKind::Entity, "Amind Inc.")
        ]
    );
    assert_eq!(hits.first().map(|h| h.score), hits.get(1).map(|h| h.score));
    // The same query twice gives the same list.
    for q in ["in", "e", "vision", "x"] {
        assert_eq!(search.search(q, 50), search.search(q, 50), "{q}");
    }
}

#[test]
fn a_scheme_leads_to_the_latest_month_that_reports_it() {
    let search = SearchIndex::build(&index_of(corpus()));
    let hit = first(&search, "pre ipo esop");
    assert_eq!(hit.kind, ResultKind::Scheme);
    assert_eq!(hit.label, SCHEME);
    assert_eq!(
        hit.target,
        Target::Scheme {
            code: "00020".to_string(),
            period: "2023-11".to_string(),
            scheme: SCHEME.to_string()
        }
    );
    // One key per scheme, not one per month.
    let schemes = search
        .search("sensetalent", 20)
        .into_iter()
        .filter(|h| h.kind == ResultKind::Scheme)
        .count();
    assert_eq!(schemes, 1);
}

#[test]
fn announcement_titles_are_searchable() {
    let index = index_of(corpus());
    let search = SearchIndex::build(&index);
    let hit = first(&search, "voluntary lock-up");
    assert_eq!(hit.kind, ResultKind::Announcement);
    assert_eq!(hit.detail, "00020 SenseTime Group Inc. 2022-11-30");
    let Target::Announcement { filing } = hit.target else {
        panic!("{:?}", hit.target);
    };
    assert_eq!(index.filing(filing).file, "st-lockup.txt");
}

#[test]
fn a_former_name_still_finds_the_issuer() {
    let mut old = monthly(
        "anxin-2009.txt",
        &["01149"],
        "Broad Intelligence International Pharmaceutical Holdings Limited",
        "2009-06",
    );
    old.date = Some("2009-07-05".to_string());
    let mut new = monthly(
        "anxin-2011.txt",
        &["01149"],
        "Anxin-China Holdings Limited",
        "2011-06",
    );
    new.date = Some("2011-07-05".to_string());
    let search = SearchIndex::build(&index_of(vec![old, new]));
    let hit = first(&search, "broad intelligence");
    assert_eq!(hit.kind, ResultKind::FormerName);
    assert_eq!(
        hit.target,
        Target::Issuer {
            code: "01149".to_string()
        }
    );
    assert!(
        hit.detail.contains("Anxin-China Holdings Limited"),
        "{}",
        hit.detail
    );
    let hit = first(&search, "anxin china");
    assert_eq!(
        (hit.kind, hit.label.as_str()),
        (ResultKind::Issuer, "Anxin-China Holdings Limited")
    );
}

#[test]
fn refreshing_after_a_batch_adds_its_keys_and_renames() {
    let mut index = index_of(vec![monthly(
        "a.txt",
        &["01149"],
        "Broad Intelligence Limited",
        "2009-06",
    )]);
    let mut search = SearchIndex::build(&index);
    let before = search.keys_len();
    assert_eq!(first(&search, "broad").kind, ResultKind::Issuer);
    assert!(search.search("tang xiao", 5).is_empty());

    let mut renamed = monthly(
        "b.txt",
        &["01149"],
        "Anxin-China Holdings Limited",
        "2011-06",
    );
    renamed.date = Some("2011-07-05".to_string());
    index.add_batch(vec![
        Entry::Filing(Box::new(renamed)),
        Entry::Filing(Box::new(lockup_announcement("st-lockup.txt"))),
    ]);
    search.refresh(&index);
    assert!(search.keys_len() > before);
    assert_eq!(first(&search, "tang xiao").label, "Prof. Tang Xiao'ou");
    assert_eq!(first(&search, "broad").kind, ResultKind::FormerName);
    assert_eq!(first(&search, "anxin").kind, ResultKind::Issuer);
    // The old "Broad Intelligence Limited" issuer key is gone, not doubled.
    let broad = search.search("broad", 10);
    assert_eq!(broad.len(), 1, "{broad:?}");

    // Refreshing with nothing new changes nothing.
    let n = search.keys_len();
    search.refresh(&index);
    assert_eq!(search.keys_len(), n);
}

#[test]
fn a_byte_identical_copy_adds_no_keys() {
    let one = SearchIndex::build(&index_of(vec![lockup_announcement("a/lockup.txt")]));
    let mut copy = lockup_announcement("b/lockup.txt");
    copy.content_hash = "hash-a/lockup.txt".to_string();
    let two = SearchIndex::build(&index_of(vec![lockup_announcement("a/lockup.txt"), copy]));
    assert_eq!(one.keys_len(), two.keys_len());
    assert_eq!(two.search("xu bing", 10).len(), 1);
}

#[test]
fn narrowing_a_query_gives_the_same_hits_as_a_full_search() {
    let search = SearchIndex::build(&index_of(corpus()));
    let mut searcher = Searcher::new();
    let never = AtomicBool::new(false);
    let mut last = usize::MAX;
    for q in ["v", "vi", "vis", "visi", "vision", "vision w"] {
        let narrowed = searcher.search(&search, q, 20, &never);
        assert_eq!(narrowed, Some(search.search(q, 20)), "{q}");
        assert!(searcher.candidates_len() <= last, "{q}");
        last = searcher.candidates_len();
    }
    assert_eq!(last, 1);
    // A query that does not extend the last one starts over.
    let other = searcher.search(&search, "xu", 20, &never);
    assert_eq!(other, Some(search.search("xu", 20)));
    assert!(searcher.candidates_len() > 1);
}

#[test]
fn words_of_a_query_may_name_the_issuer_while_the_label_holds_the_rest() {
    let search = SearchIndex::build(&index_of(corpus()));
    // The scheme's label holds "esop"; "sensetime" is its issuer's name.
    let hit = first(&search, "sensetime esop");
    assert_eq!(hit.kind, ResultKind::Scheme);
    assert_eq!(hit.issuer.as_deref(), Some("00020"));
    // The words found in the label are the ones highlighted.
    let esop = hit
        .label
        .to_lowercase()
        .find("esop")
        .expect("esop in the label");
    let at = hit.label[..esop].chars().count();
    assert!(hit.indices.contains(&at), "{:?}", hit.indices);
    // A code's digits name the issuer too, in either order.
    for q in ["00020 esop", "esop 20", "melco 200"] {
        let hits = search.search(q, 10);
        assert!(!hits.is_empty(), "{q}");
        let code = if q.contains("melco") {
            "00200"
        } else {
            "00020"
        };
        assert!(
            hits.iter().all(|h| h.issuer.as_deref() == Some(code)),
            "{q}: {hits:?}"
        );
    }
    // Each word must be somewhere: scattered letters are not a word.
    assert!(search.search("sensetime zzz", 10).is_empty());
    assert!(search.search("melco esop", 10).is_empty());
}

#[test]
fn narrowing_a_query_of_several_words_gives_the_same_hits_as_a_full_search() {
    let search = SearchIndex::build(&index_of(corpus()));
    let mut searcher = Searcher::new();
    let never = AtomicBool::new(false);
    let query = "sensetime esop";
    for end in 1..=query.len() {
        let q = &query[..end];
        let narrowed = searcher.search(&search, q, 20, &never);
        assert_eq!(narrowed, Some(search.search(q, 20)), "{q}");
    }
    // A word changed in the middle starts over, with the same answer.
    for q in ["sense esop", "sensetime es", "amind tang"] {
        assert_eq!(
            searcher.search(&search, q, 20, &never),
            Some(search.search(q, 20)),
            "{q}"
        );
    }
}

#[test]
fn a_rename_between_keystrokes_is_seen_by_the_next_search() {
    let with_scheme = |file: &str, name: &str, period: &str| {
        let mut f = monthly(file, &["01149"], name, period);
        f.option_schemes.push(OptionScheme {
            scheme: "Share Option Scheme".to_string(),
            ..OptionScheme::default()
        });
        f
    };
    let mut index = index_of(vec![with_scheme(
        "a.txt",
        "Broad Intelligence Limited",
        "2009-06",
    )]);
    let mut search = SearchIndex::build(&index);
    let mut searcher = Searcher::new();
    let never = AtomicBool::new(false);
    assert_eq!(
        searcher.search(&search, "anxin s", 20, &never),
        Some(Vec::new())
    );
    let mut renamed = with_scheme("b.txt", "Anxin-China Holdings Limited", "2011-06");
    renamed.date = Some("2011-07-05".to_string());
    index.add_batch(vec![Entry::Filing(Box::new(renamed))]);
    search.refresh(&index);
    // "anxin sh" extends "anxin s", but the issuer's words changed: the
    // scheme is found, as a full search finds it.
    let hits = searcher
        .search(&search, "anxin sh", 20, &never)
        .expect("not cancelled");
    assert_eq!(hits, search.search("anxin sh", 20));
    assert!(
        hits.iter().any(|h| h.kind == ResultKind::Scheme),
        "{hits:?}"
    );
}

#[test]
fn a_cancelled_search_returns_nothing() {
    let search = SearchIndex::build(&index_of(corpus()));
    let cancel = AtomicBool::new(true);
    assert_eq!(search.search_cancellable("sense", 10, &cancel), None);
    let mut searcher = Searcher::new();
    assert_eq!(searcher.search(&search, "sense", 10, &cancel), None);
}

#[test]
fn an_empty_or_punctuation_query_finds_nothing() {
    let search = SearchIndex::build(&index_of(corpus()));
    assert!(search.search("", 10).is_empty());
    assert!(search.search(" .,'", 10).is_empty());
    assert!(search.search("sense", 0).is_empty());
}

#[test]
fn hits_serialise_with_their_kind_label_score_issuer_and_target() {
    let search = SearchIndex::build(&index_of(corpus()));
    let hit = first(&search, "tang xiao");
    let json = serde_json::to_value(&hit).unwrap_or_default();
    assert_eq!(json["kind"], "person");
    assert_eq!(json["label"], "Prof. Tang Xiao'ou");
    assert_eq!(json["issuer"], "00020");
    assert_eq!(json["target"]["type"], "lock_up");
    assert_eq!(json["target"]["index"], 0);
    assert!(json["score"].as_i64().is_some_and(|s| s > 0));
    assert_eq!(ResultKind::Person.as_str(), "person");
    assert_eq!(ResultKind::Announcement.as_str(), "announcement");
}

#[test]
fn a_large_corpus_is_searched_in_parallel_with_the_same_result() {
    // Enough keys to take the parallel path; the answer must not depend on it.
    let filings: Vec<Filing> = (0..12_000)
        .map(|i| {
            let code = format!("{:05}", 10_000 + i);
            monthly(
                &format!("f{i}.txt"),
                &[&code],
                &format!("Issuer Number {i} Holdings Limited"),
                "2023-11",
            )
        })
        .chain(corpus())
        .collect();
    let search = SearchIndex::build(&index_of(filings));
    assert!(search.keys_len() > 24_000);
    assert_eq!(first(&search, "snstm").label, SENSETIME);
    assert_eq!(first(&search, "20").label, "00020");
    let hit = first(&search, "issuer number 11999");
    assert_eq!(hit.label, "Issuer Number 11999 Holdings Limited");
}

/// The shared real filings beside the crate (or beside the worktree's parent).
fn shared() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for candidate in [root.join("../shared"), root.join("../../shared")] {
        if candidate.is_dir() {
            return candidate;
        }
    }
    panic!(
        "the shared filings folder is missing beside {}",
        root.display()
    );
}

#[test]
fn the_real_seed_filings_are_found_by_name_code_person_and_chinese_name() {
    use hkfilings::filings::parse::{parse_file, ParseOptions};
    let mut entries = Vec::new();
    for e in std::fs::read_dir(shared().join("seeds"))
        .into_iter()
        .flatten()
        .flatten()
    {
        entries.push(parse_file(&e.path(), &ParseOptions::default()));
    }
    assert_eq!(entries.len(), 2);
    let mut index = Index::new();
    index.add_batch(entries);
    let search = SearchIndex::build(&index);
    assert_eq!(
        first(&search, "20").target,
        Target::Issuer {
            code: "00020".to_string()
        }
    );
    assert_eq!(first(&search, "sense").label, SENSETIME);
    assert_eq!(first(&search, "商汤").label, SENSETIME_ZH);
    let person = first(&search, "tang xiao");
    assert_eq!(
        (person.kind, person.label.as_str()),
        (ResultKind::Person, "Prof. Tang Xiao'ou")
    );
    assert_eq!(first(&search, "xworld").kind, ResultKind::Entity);
    assert_eq!(first(&search, "pre ipo esop").kind, ResultKind::Scheme);
}

/// A corpus the size of a long archive: 2,500 issuers with monthly returns,
/// schemes and announcements, 100,000 filings in all.
fn big_corpus() -> Vec<Filing> {
    const TITLES: [&str; 5] = [
        "MONTHLY RETURN OF EQUITY ISSUER",
        "ANNOUNCEMENT OF INTERIM RESULTS FOR THE SIX MONTHS ENDED",
        "CONNECTED TRANSACTION IN RELATION TO THE ACQUISITION OF",
        "VOLUNTARY ANNOUNCEMENT BUSINESS UPDATE",
        "CHANGE OF COMPANY SECRETARY AND AUTHORISED REPRESENTATIVE",
    ];
    let mut out = Vec::with_capacity(100_000);
    for i in 0..2_500u32 {
        let code = format!("{:05}", i + 1);
        let name = format!("Pacific Holdings {i} Group Limited");
        for m in 0..24u32 {
            let period = format!("{}-{:02}", 2020 + m / 12, m % 12 + 1);
            let mut f = monthly(&format!("{code}/m{m}.txt"), &[&code], &name, &period);
            f.option_schemes.push(OptionScheme {
                scheme: format!("{} Share Option Scheme of {name}", 2010 + i % 10),
                ..OptionScheme::default()
            });
            out.push(f);
        }
        for a in 0..16u32 {
            let mut f = lockup_announcement(&format!("{code}/a{a}.txt"));
            f.issuer = Some(name.clone());
            f.stock_codes = vec![code.clone()];
            f.title = Some(format!("{} {a}", TITLES[(a % 5) as usize]));
            if a != 0 {
                f.lockups.clear();
            }
            out.push(f);
        }
    }
    out
}

#[test]
#[ignore = "timing: run with cargo test --release -- --ignored --nocapture"]
fn a_hundred_thousand_filings_are_searched_quickly() {
    use std::time::Instant;
    let filings = big_corpus();
    let n = filings.len();
    let t = Instant::now();
    let mut index = Index::new();
    let mut search = SearchIndex::default();
    let mut batches = 0;
    let mut rest = filings;
    while !rest.is_empty() {
        let tail = rest.split_off(rest.len().min(1_000));
        index.add_batch(
            rest.into_iter()
                .map(|f| Entry::Filing(Box::new(f)))
                .collect(),
        );
        let r = Instant::now();
        search.refresh(&index);
        batches += 1;
        if batches % 20 == 0 {
            eprintln!(
                "refresh after {} filings: {:?}",
                index.filings().len(),
                r.elapsed()
            );
        }
        rest = tail;
    }
    eprintln!(
        "{n} filings in {batches} batches, index + refresh: {:?}; {} keys",
        t.elapsed(),
        search.keys_len()
    );
    let t = Instant::now();
    let rebuilt = SearchIndex::build(&index);
    eprintln!("build from scratch: {:?}", t.elapsed());
    assert_eq!(rebuilt.keys_len(), search.keys_len());
    for q in [
        "p",
        "pac",
        "pacific holdings 2499",
        "20",
        "tang xiao",
        "interim",
        "zzzz",
    ] {
        let t = Instant::now();
        let hits = search.search(q, 50);
        eprintln!("{q:>24}: {:>3} hits in {:?}", hits.len(), t.elapsed());
    }
    let mut searcher = Searcher::new();
    let never = AtomicBool::new(false);
    for q in ["c", "co", "con", "conn", "conne", "connec", "connected"] {
        let t = Instant::now();
        let hits = searcher.search(&search, q, 50, &never);
        eprintln!(
            "narrowing {q:>10}: {:>3} hits in {:?} ({} candidates)",
            hits.map_or(0, |h| h.len()),
            t.elapsed(),
            searcher.candidates_len()
        );
    }
}

#[test]
fn a_file_parsed_again_replaces_its_keys() {
    let mut index = index_of(vec![lockup_announcement("st-lockup.txt")]);
    let mut search = SearchIndex::build(&index);
    assert_eq!(first(&search, "xu bing").label, "Mr. Xu Bing");
    // The same path, edited: one party renamed.
    let mut edited = lockup_announcement("st-lockup.txt");
    edited.content_hash = "hash-edited".to_string();
    if let Some(l) = edited.lockups.get_mut(3) {
        l.party = "Mr. Xu Bingbing".to_string();
    }
    index.add_batch(vec![Entry::Filing(Box::new(edited))]);
    search.refresh(&index);
    let hits = search.search("xu bing", 10);
    let people: Vec<&str> = hits
        .iter()
        .filter(|h| h.kind == ResultKind::Person)
        .map(|h| h.label.as_str())
        .collect();
    assert_eq!(people, vec!["Mr. Xu Bingbing"]);
}

#[test]
fn an_a_share_code_beside_the_h_shares_finds_the_issuer() {
    let mut midea = monthly("midea.txt", &["00300"], "Midea Group Co., Ltd.", "2024-11");
    midea.share_classes.push(ShareClass {
        class_key: "a-shares".to_string(),
        other_code: Some("000333".to_string()),
        listed: Some(false),
        ..ShareClass::default()
    });
    let mut corpus = corpus();
    corpus.push(midea);
    let search = SearchIndex::build(&index_of(corpus));
    let hit = first(&search, "000333");
    assert_eq!((hit.kind, hit.label.as_str()), (ResultKind::Code, "000333"));
    assert_eq!(
        hit.target,
        Target::Issuer {
            code: "00300".to_string()
        }
    );
    assert_eq!(first(&search, "300").label, "00300");
}

#[test]
fn an_issuer_whose_only_file_moved_to_another_code_leaves_no_keys() {
    let mut index = index_of(vec![monthly(
        "x.txt",
        &["00123"],
        "Misread Code Limited",
        "2023-11",
    )]);
    let mut search = SearchIndex::build(&index);
    assert_eq!(first(&search, "misread").issuer.as_deref(), Some("00123"));
    index.add_batch(vec![Entry::Filing(Box::new(monthly(
        "x.txt",
        &["00321"],
        "Misread Code Limited",
        "2023-11",
    )))]);
    search.refresh(&index);
    let hits = search.search("misread", 10);
    let codes: Vec<Option<&str>> = hits.iter().map(|h| h.issuer.as_deref()).collect();
    assert_eq!(codes, vec![Some("00321")]);
    assert!(search
        .search("00123", 10)
        .iter()
        .all(|h| h.label != "00123"));
}
