//! A small corpus for the explorer's tests: the filings in
//! `tests/fixtures/tui/` as the parsers read them, built in code so the
//! tests do not depend on parser progress. Every `lines` entry points at the
//! line of the fixture file that holds the value.
#![allow(dead_code)]

use chrono::NaiveDate;
use hkfilings::config::Config;
use hkfilings::filings::index::Index;
use hkfilings::filings::model::*;
use hkfilings::tui::app::{App, Msg};
use std::collections::BTreeMap;

pub const DIR: &str = "tests/fixtures/tui";

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 6, 30).unwrap_or_default()
}

fn lines(pairs: &[(&str, u32)]) -> Lines {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

fn bal(o: i64, c: i64, cl: i64, at: [u32; 3]) -> Balance {
    Balance {
        opening: Some(o),
        change: Some(c),
        closing: Some(cl),
        lines: lines(&[("opening", at[0]), ("change", at[1]), ("closing", at[2])]),
        ..Balance::default()
    }
}

fn path(name: &str) -> String {
    format!("{DIR}/{name}")
}

/// Lumen Vision Group (00020): weighted voting rights, Class A unlisted and
/// Class B listed; the par value misprinted so capital fails par x shares.
fn lumen(
    name: &str,
    period: &str,
    date: &str,
    issued: i64,
    change: i64,
    scheme: (Option<i64>, i64),
) -> Filing {
    let mut f = Filing::new(&path(name), Kind::MonthlyReturn, Form::Ff301V10);
    f.issuer = Some("Lumen Vision Group Limited".into());
    f.issuer_zh = Some("光影視覺集團有限公司".into());
    f.stock_codes = vec!["00020".into()];
    f.period = Some(period.into());
    f.date = Some(date.into());
    f.status = Some(Status::New);
    f.content_hash = format!("lumen-{period}");
    f.lines = lines(&[("issuer", 5), ("period", 3), ("date", 6)]);
    let auth = |shares: i64, cap: &str, at: [u32; 3]| Authorised {
        opening: Some(shares),
        change: Some(0),
        closing: Some(shares),
        par_value: Some("0.00000025".into()),
        currency: Some("USD".into()),
        capital: Some(cap.into()),
        lines: lines(&[
            ("opening", at[0]),
            ("change", at[1]),
            ("closing", at[2]),
            ("par_value", at[2]),
            ("capital", at[2]),
        ]),
        ..Authorised::default()
    };
    f.share_classes = vec![
        ShareClass {
            class_key: "class-a-ordinary-shares".into(),
            class: Some("Class A ordinary shares".into()),
            type_: Some("Ordinary shares".into()),
            listed: Some(false),
            authorised: Some(auth(8_000_000_000, "200", [9, 10, 11])),
            issued: Some(bal(6_360_000_000, 0, 6_360_000_000, [19, 20, 21])),
            lines: lines(&[("class", 8)]),
            ..ShareClass::default()
        },
        ShareClass {
            class_key: "00020".into(),
            class: Some("Class B ordinary shares".into()),
            type_: Some("Ordinary shares".into()),
            stock_code: Some("00020".into()),
            listed: Some(true),
            authorised: Some(auth(1_992_000_000_000, "49800", [13, 14, 15])),
            issued: Some(bal(issued - change, change, issued, [23, 24, 25])),
            lines: lines(&[("class", 12)]),
            ..ShareClass::default()
        },
    ];
    let (opening, closing) = scheme;
    let mut s = OptionScheme {
        scheme: "Pre-IPO ESOP".into(),
        adopted: Some("2019-11-22".into()),
        class_key: Some("00020".into()),
        opening,
        movements: vec![OptionMovement {
            kind: OptionMoveKind::Other,
            amount: -change,
            note: Some("Sold".into()),
            line: Some(29),
        }],
        closing: Some(closing),
        new_shares_issued: Some(0),
        issuable_at_close: Some(0),
        lines: lines(&[
            ("scheme", 28),
            ("opening", 30),
            ("closing", 30),
            ("new_shares_issued", 30),
            ("issuable_at_close", 30),
        ]),
        ..OptionScheme::default()
    };
    if opening.is_none() {
        s.opening = Some(closing + change);
        s.recovered = vec!["opening".into()];
        f.findings.push(
            Finding::new(
                Level::Info,
                codes::RECOVERED_VALUE,
                "scheme opening recovered from closing minus movements",
            )
            .at(Some(30)),
        );
    }
    f.option_schemes = vec![s];
    for (class, cap, line, right) in [
        ("class-a-ordinary-shares", "200", 11, "2,000"),
        ("00020", "49,800", 15, "498,000"),
    ] {
        f.findings.push(
            Finding::new(
                Level::Warning,
                codes::PAR_TIMES_SHARES,
                format!("shares x par value is USD {right}, the return states USD {cap}"),
            )
            .at(Some(line))
            .class(Some(class)),
        );
    }
    f
}

fn ndr() -> Filing {
    let mut f = Filing::new(
        &path("lumen-ndr-2023-11-15.txt"),
        Kind::NextDayReturn,
        Form::Ff305,
    );
    f.issuer = Some("Lumen Vision Group Limited".into());
    f.stock_codes = vec!["00020".into()];
    f.date = Some("2023-11-15".into());
    f.content_hash = "lumen-ndr".into();
    f.share_classes = vec![ShareClass {
        class_key: "00020".into(),
        issued: Some(Balance {
            opening: Some(27_059_000_000),
            change: Some(12_189_548),
            closing: Some(27_071_189_548),
            opening_as_of: Some("2023-10-31".into()),
            as_of: Some("2023-11-14".into()),
            lines: lines(&[("opening", 6), ("closing", 8)]),
            ..Balance::default()
        }),
        ..ShareClass::default()
    }];
    f.movements = vec![NdrMovement {
        date: Some("2023-11-14".into()),
        kind: MovementKind::Exercise,
        class_key: Some("00020".into()),
        amount: Some(12_189_548),
        price: Some("1.20".into()),
        currency: Some("HKD".into()),
        pending: false,
        description: None,
        lines: lines(&[("amount", 7), ("price", 7)]),
    }];
    f
}

fn lockup(party: &str, entity: Option<&str>, start: &str, end: &str, line: u32) -> LockUp {
    LockUp {
        party: party.into(),
        entity: entity.map(Into::into),
        shares: Some("class A shares and/or class B shares".into()),
        share_count: None,
        start: Some(start.into()),
        end: Some(end.into()),
        months: None,
        kind: LockUpKind::Undertaking,
        lines: lines(&[("party", line), ("end", line)]),
    }
}

fn announcement(name: &str, code: &str, issuer: &str, date: &str, title: &str) -> Filing {
    let mut f = Filing::new(&path(name), Kind::Announcement, Form::Announcement);
    f.issuer = Some(issuer.into());
    f.stock_codes = vec![code.into()];
    f.date = Some(date.into());
    f.title = Some(title.into());
    f.content_hash = format!("ann-{name}");
    f
}

/// Harbour Pharma (01149): legacy returns; February filed twice (the later
/// one supersedes), the later one also copied byte for byte; March opens
/// at 907,000,000 after February closed at 906,000,000 (a chain break).
fn harbour(name: &str, period: &str, date: &str, opening: i64, change: i64, hash: &str) -> Filing {
    let mut f = Filing::new(&path(name), Kind::MonthlyReturn, Form::Legacy);
    f.issuer = Some("Harbour Pharma Holdings Limited".into());
    f.stock_codes = vec!["01149".into()];
    f.period = Some(period.into());
    f.date = Some(date.into());
    f.content_hash = hash.into();
    f.share_classes = vec![ShareClass {
        class_key: "01149".into(),
        class: Some("Ordinary shares".into()),
        stock_code: Some("01149".into()),
        listed: Some(true),
        authorised: Some(Authorised {
            opening: Some(2_000_000_000),
            change: Some(0),
            closing: Some(2_000_000_000),
            par_value: Some("0.01".into()),
            currency: Some("HKD".into()),
            capital: Some("20000000".into()),
            raw: BTreeMap::from([("change".to_string(), "N/A".to_string())]),
            lines: lines(&[
                ("opening", 8),
                ("change", 9),
                ("closing", 10),
                ("par_value", 10),
                ("capital", 10),
            ]),
            ..Authorised::default()
        }),
        issued: Some(bal(opening, change, opening + change, [12, 13, 14])),
        lines: lines(&[("class", 7)]),
        ..ShareClass::default()
    }];
    f.findings.push(Finding::new(
        Level::Info,
        codes::NOT_CHECKABLE,
        "the legacy form prints no options outstanding",
    ));
    f
}

/// Every entry of the fixture corpus, in walk order.
pub fn entries() -> Vec<Entry> {
    let mut lumen_lockups = announcement(
        "lumen-lockup-2022-11-30.txt",
        "00020",
        "Lumen Vision Group Limited",
        "2022-11-30",
        "VOLUNTARY LOCK-UP UNDERTAKINGS BY THE EXECUTIVE DIRECTORS",
    );
    lumen_lockups.issuer_zh = Some("光影視覺集團有限公司".into());
    lumen_lockups.lockups = vec![
        lockup(
            "Dr. Wen Li",
            Some("Amber Holdings Limited"),
            "2022-12-30",
            "2024-12-29",
            6,
        ),
        lockup(
            "Mr. Kai Xu",
            Some("Birch Holdings Limited"),
            "2022-12-30",
            "2024-12-29",
            6,
        ),
        LockUp {
            share_count: Some(5_000_000),
            shares: Some("class B shares".into()),
            ..lockup("Ms. Ho Yan", None, "2024-07-01", "2024-07-31", 9)
        },
    ];
    let mut harbour_lockup = announcement(
        "harbour-lockup-2010-01-15.txt",
        "01149",
        "Harbour Pharma Holdings Limited",
        "2010-01-15",
        "LOCK-UP UNDERTAKING BY THE CONTROLLING SHAREHOLDER",
    );
    harbour_lockup.lockups = vec![lockup(
        "Mr. Chan Tai Man",
        Some("Seaview Investments Limited"),
        "2010-01-15",
        "2011-01-14",
        5,
    )];
    let quayside = announcement(
        "quayside-2024-03-01.txt",
        "00388",
        "Quayside\u{1b}[2J Holdings Limited",
        "2024-03-01",
        "CHANGE OF COMPANY SECRETARY\u{7}",
    );
    let filings = vec![
        lumen(
            "lumen-2023-09.txt",
            "2023-09",
            "2023-10-06",
            27_040_000_000,
            10_000_000,
            (Some(3_565_208_529), 3_555_208_529),
        ),
        lumen(
            "lumen-2023-10.txt",
            "2023-10",
            "2023-11-06",
            27_059_000_000,
            19_000_000,
            (Some(3_556_208_529), 3_537_208_529),
        ),
        lumen(
            "lumen-2023-11.txt",
            "2023-11",
            "2023-12-06",
            27_071_189_548,
            12_189_548,
            (None, 3_525_018_981),
        ),
        ndr(),
        lumen_lockups,
        harbour(
            "harbour-2010-01.txt",
            "2010-01",
            "2010-02-04",
            900_000_000,
            0,
            "h-01",
        ),
        harbour(
            "harbour-2010-02.txt",
            "2010-02",
            "2010-03-03",
            900_000_000,
            5_000_000,
            "h-02a",
        ),
        harbour(
            "harbour-2010-02-resubmitted.txt",
            "2010-02",
            "2010-03-10",
            900_000_000,
            6_000_000,
            "h-02b",
        ),
        harbour(
            "harbour-2010-02-copy.txt",
            "2010-02",
            "2010-03-10",
            900_000_000,
            6_000_000,
            "h-02b",
        ),
        harbour(
            "harbour-2010-03.txt",
            "2010-03",
            "2010-04-06",
            907_000_000,
            0,
            "h-03",
        ),
        harbour_lockup,
        quayside,
    ];
    let mut out: Vec<Entry> = filings
        .into_iter()
        .map(|f| Entry::Filing(Box::new(f)))
        .collect();
    out.push(Entry::Error(FileError {
        file: path("notes.bin"),
        error: "the file holds NUL bytes: not text".into(),
        error_kind: ErrorKind::Binary,
    }));
    out.push(Entry::Error(FileError {
        file: path("README.md"),
        error: "not a filing: no monthly return, next day return or announcement heading".into(),
        error_kind: ErrorKind::NotAFiling,
    }));
    out
}

pub fn index() -> Index {
    let mut idx = Index::new();
    idx.add_batch(entries());
    idx
}

/// The explorer on the fixture corpus, loaded, at the given terminal size.
pub fn app(w: u16, h: u16) -> App {
    let mut app = App::new(index(), DIR, &Config::default(), today());
    app.progress.finished = true;
    app.progress.parsed = 14;
    app.progress.walked = 14;
    app.progress.walk_done = true;
    app.progress.failures = 1;
    app.progress.elapsed = std::time::Duration::from_millis(1500);
    app.update(Msg::Resize(w, h));
    app
}
