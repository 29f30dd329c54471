//! Next day disclosure returns (legacy, FF304, FF305) and announcements
//! (lock-up undertakings in every phrasing, and plain ones).

use super::forms::{long_date, long_date_unpadded, month_name};
use super::render::{fmt_int, hdr, lab, num, txt, Dec, Doc, Style, C};
use super::sim::{entity, person, FormGen, Issuer, Month, OptKind, OtherKind};
use chrono::{Datelike, Days, Months, NaiveDate};
use serde_json::{json, Value};

/// One event of the month on the primary class that a next day return reports.
#[derive(Debug, Clone, Copy)]
pub struct NdrEvent {
    pub kind: &'static str,
    pub amount: i64,
    pub day: NaiveDate,
    pub pending: bool,
    pub price_cents: i64,
    /// Issued shares of the primary class before the event.
    pub before: i64,
}

/// The month's first reportable event: a placing, a repurchase or an
/// exercise of options.
pub fn pick_ndr_event(m: &Month) -> Option<NdrEvent> {
    let c0 = m.classes.first()?;
    let opening = c0.issued.opening;
    if let Some(o) = m
        .others
        .iter()
        .find(|o| o.class == 0 && o.kind != OtherKind::Treasury)
    {
        // Movements dated earlier in the month have already changed the balance.
        let earlier: i64 = m
            .others
            .iter()
            .filter(|x| {
                x.class == 0
                    && x.day < o.day
                    && x.kind != OtherKind::Pending
                    && x.kind != OtherKind::Treasury
            })
            .map(|x| x.amount)
            .sum();
        if earlier != 0 || m.schemes.iter().any(|s| s.new_shares != 0) {
            // Only report an event whose balance before it is plain to see.
            return None;
        }
        return Some(NdrEvent {
            kind: match o.kind {
                OtherKind::Placing => "placing",
                _ => "repurchase",
            },
            amount: o.amount,
            day: o.day,
            pending: o.kind == OtherKind::Pending,
            price_cents: o.price_cents,
            before: opening,
        });
    }
    let s = m
        .schemes
        .iter()
        .find(|s| s.class == 0 && s.new_shares > 0)?;
    if m.schemes.iter().filter(|s| s.new_shares > 0).count() > 1 {
        return None;
    }
    let exercised: i64 = s
        .moves
        .iter()
        .filter(|x| x.0 == OptKind::Exercised)
        .map(|x| -x.1)
        .sum();
    if exercised != s.new_shares {
        return None;
    }
    let day = m.period_end - Days::new(8);
    Some(NdrEvent {
        kind: "exercise",
        amount: s.new_shares,
        day: weekday(day),
        pending: false,
        price_cents: (s.price.units as i64).max(1),
        before: opening,
    })
}

fn weekday(d: NaiveDate) -> NaiveDate {
    let mut d = d;
    while d.weekday().number_from_monday() > 5 {
        d = d.pred_opt().unwrap_or(d);
    }
    d
}

fn hkd(cents: i64) -> String {
    format!("HK${}", Dec::new(cents as i128, 2).plain())
}

/// Write a next day return for `ev`; returns its truth and date submitted.
pub fn ndr(d: &mut Doc, iss: &Issuer, m: &Month, ev: NdrEvent) -> (Value, NaiveDate) {
    let submitted = ev.day;
    let closing = if ev.pending {
        ev.before
    } else {
        ev.before + ev.amount
    };
    let prev_as_of = m
        .period_end
        .with_day(1)
        .and_then(|f| f.pred_opt())
        .unwrap_or(m.period_end);
    let form = if m.gen == FormGen::Legacy {
        "ndr-legacy"
    } else if m.gen == FormGen::V10 {
        "ff304"
    } else {
        "ff305"
    };
    let c0 = &m.classes[..1.min(m.classes.len())];
    let key = c0
        .first()
        .map(|c| c.key.clone())
        .unwrap_or_else(|| iss.code5());
    if form == "ndr-legacy" {
        ndr_legacy(d, iss, m, ev, prev_as_of, closing);
    } else {
        ndr_ff30x(d, iss, m, ev, prev_as_of, closing, form);
    }
    let truth = json!({
        "kind": "next_day_return",
        "form": form,
        "issuer": m.issuer_name,
        "stock_codes": [iss.code5()],
        "date": submitted.to_string(),
        "share_classes": [{
            "class_key": key,
            "issued": {"opening": ev.before, "closing": closing},
        }],
        "movements": [{
            "date": ev.day.to_string(),
            "kind": ev.kind,
            "amount": ev.amount,
            "pending": ev.pending,
        }],
    });
    (truth, submitted)
}

fn ndr_event_label(ev: &NdrEvent) -> (String, String) {
    match (ev.kind, ev.pending) {
        ("placing", _) => (
            "Placing of new shares".to_string(),
            format!("on {}", long_date_unpadded(ev.day)),
        ),
        ("exercise", _) => (
            "Exercise of share options".to_string(),
            format!("on {}", long_date_unpadded(ev.day)),
        ),
        (_, true) => (
            "Share repurchases but not yet".to_string(),
            "cancelled".to_string(),
        ),
        _ => (
            "Share repurchases".to_string(),
            format!("cancelled on {}", long_date_unpadded(ev.day)),
        ),
    }
}

fn ndr_legacy(d: &mut Doc, iss: &Issuer, m: &Month, ev: NdrEvent, prev: NaiveDate, closing: i64) {
    if d.style != Style::Tab {
        d.text(&format!("{:>150}", "For Main Board listed issuers"));
        d.blank();
    }
    d.text("Next Day Disclosure Return");
    d.text("(Equity issuer - changes in issued share capital and/or share buybacks)");
    d.text(&format!("Name of listed issuer: {}", m.issuer_name));
    d.blank();
    let code = iss.code5().trim_start_matches('0').to_string();
    d.row(&[
        txt(format!("Stock code: {code}")),
        txt(format!("Date submitted: {}", long_date_unpadded(ev.day))),
    ]);
    d.blank();
    d.text("Section I must be completed by a listed issuer where there has been a change in its issued share capital which is discloseable pursuant to rule 13.25A of the Rules (the");
    d.text("\u{201c}Listing Rules\u{201d}) Governing the Listing of Securities on The Stock Exchange of Hong Kong Limited (the \u{201c}Exchange\u{201d}).");
    d.blank();
    let par = m
        .classes
        .first()
        .and_then(|c| c.auth.as_ref())
        .map(|a| {
            format!(
                "Ordinary Share with par value {} {} per share",
                a.currency,
                a.par.plain()
            )
        })
        .unwrap_or_else(|| "Ordinary Shares".to_string());
    d.row(&[lab("Description of securities:"), txt(par)]);
    d.blank();
    d.text(" I.");
    d.row(&[
        hdr("Issues of shares (Notes 6 and 7)"),
        hdr("No. of shares"),
        hdr("Issued shares as a % of existing issued share capital before relevant share issue (Notes 4, 6 and 7)"),
        hdr("Issue price per share (Notes 1 and 7)"),
        hdr("Closing market price per share of the immediately preceding business day (Note 5)"),
        hdr("% discount/ premium of issue price to market price (Note 7)"),
    ]);
    d.row(&[lab("Opening balance as at"), C::Gap]);
    d.row(&[txt(" (Note 2)"), num(ev.before)]);
    d.row(&[txt(format!(" {}", long_date_unpadded(prev)))]);
    let pct = format!(
        "{:.2}%",
        ev.amount.unsigned_abs() as f64 * 100.0 / ev.before.max(1) as f64
    );
    let (l1, l2) = ndr_event_label(&ev);
    if ev.kind == "repurchase" {
        d.row(&[lab(&l1), num(ev.amount.abs()), txt(pct)]);
        d.text(&format!(" {l2}"));
    } else {
        d.row(&[
            txt(" (Note 3)"),
            num(ev.amount.abs()),
            txt(pct),
            txt(hkd(ev.price_cents)),
            txt(hkd(ev.price_cents + 5)),
            txt("discount"),
        ]);
        d.text(&format!(" {l1}"));
        d.text(&format!(" {l2}"));
    }
    d.blank();
    d.row(&[lab("Closing balance as at")]);
    d.row(&[txt(" (Note 8)"), num(closing)]);
    d.row(&[txt(format!("  {}", long_date_unpadded(ev.day)))]);
    d.blank();
    d.text("Notes to Section I:");
    d.text("2.       Please insert the closing balance date of the last Next Day Disclosure Return published pursuant to rule 13.25A or Monthly Return pursuant to rule 13.25B, whichever is the later.");
    d.text(
        "8.       The closing balance date is the date of the last relevant event being disclosed.",
    );
    d.blank();
    d.text("II.");
    d.text("A.      Purchase report");
    d.row(&[
        hdr("Trading date"),
        hdr("Number of securities purchased"),
        hdr("Method of purchase (Note)"),
        hdr("Price per share or highest price paid $"),
        hdr("Lowest price paid $"),
        hdr("Total paid $"),
    ]);
    if ev.kind == "repurchase" {
        let n = ev.amount.abs();
        let total = Dec::new(n as i128 * ev.price_cents as i128, 2);
        let dd = format!(
            "{:02}/{:02}/{}",
            ev.day.day(),
            ev.day.month(),
            ev.day.year()
        );
        d.row(&[
            txt(dd),
            num(n),
            txt("On the Stock Exchange"),
            txt(hkd(ev.price_cents)),
            txt("-"),
            txt(format!("HK${}", total.commas())),
        ]);
        d.row(&[
            txt("Total"),
            num(n),
            C::Gap,
            C::Gap,
            C::Gap,
            txt(format!("HK${}", total.commas())),
        ]);
    } else {
        d.row(&[C::Gap, txt("N/A"), C::Gap, C::Gap, C::Gap, txt("N/A")]);
        d.row(&[txt("Total"), txt("N/A"), C::Gap, C::Gap, C::Gap, txt("N/A")]);
    }
    d.blank();
    d.text(&format!("Submitted by: _____{}_____", iss.signer.0));
    d.text("(Name)");
    d.text(&format!("Title: _____ {}____", iss.signer.1));
    d.text("       (Director, Secretary or other duly authorised officer)");
}

#[allow(clippy::too_many_arguments)]
fn ndr_ff30x(
    d: &mut Doc,
    iss: &Issuer,
    m: &Month,
    ev: NdrEvent,
    prev: NaiveDate,
    closing: i64,
    form: &str,
) {
    let treasury = form == "ff305";
    let tag = if treasury { "FF305" } else { "FF304" };
    if d.style != Style::Tab {
        d.text(&format!("{tag:>120}"));
        d.blank();
    }
    d.text("Next Day Disclosure Return");
    if treasury {
        d.text("(Equity issuer - changes in issued shares or treasury shares, share redemptions or repurchases)");
    } else {
        d.text("(Equity issuer - changes in issued share capital and/or share buybacks)");
    }
    d.blank();
    d.field("Instrument:", "Equity issuer");
    d.field("Status:", "New Submission");
    d.field("Name of Issuer:", &m.issuer_name);
    d.field("Date Submitted:", &long_date(ev.day));
    d.blank();
    d.text("Section I must be completed by a listed issuer where there has been a change in its issued shares or treasury shares which is discloseable pursuant to Main Board Rule 13.25A / GEM Rule 17.27A.");
    d.blank();
    let c0 = m.classes.first();
    let listed = if treasury {
        "Listed on the Exchange (Note 11)"
    } else {
        "Listed on SEHK (Note 11)"
    };
    d.row(&[
        txt("1. Type of shares"),
        txt(c0.map(|c| c.class_cell).unwrap_or("Ordinary shares")),
        lab("Class of shares"),
        txt("Not applicable"),
        lab(listed),
        txt("Yes"),
    ]);
    d.row(&[
        lab("Stock code"),
        txt(iss.code5()),
        lab("Description"),
        txt(c0.map(|c| c.description).unwrap_or("Ordinary Shares")),
    ]);
    d.blank();
    if treasury {
        d.text("A. Changes in issued shares or treasury shares");
        d.row(&[
            hdr("Events"),
            hdr("Changes in issued shares (excluding treasury shares)"),
            hdr("% of existing number of issued shares (excluding treasury shares) before relevant event"),
            hdr("Changes in treasury shares"),
            hdr("Issue/ selling price per share (Note 3)"),
            hdr("Closing market price per share of the immediately preceding business day"),
        ]);
    } else {
        d.text("A. Changes in issued shares");
        d.row(&[
            hdr("Events"),
            hdr("Number of shares"),
            hdr("As a % of existing number of issued shares before relevant event"),
            hdr("Issue price per share (Note 3)"),
            hdr("Closing market price per share of the immediately preceding business day"),
        ]);
    }
    let mut open = vec![
        lab("Opening balance as at (Note 1)"),
        txt(long_date(prev)),
        num(ev.before),
    ];
    if treasury {
        open.push(C::Gap);
        open.push(num(0));
    }
    d.row(&open);
    let pct = format!(
        "{:.2} %",
        ev.amount.unsigned_abs() as f64 * 100.0 / ev.before.max(1) as f64
    );
    let what = match (ev.kind, ev.pending) {
        ("placing", _) => "Placing",
        ("exercise", _) => "Share options exercised",
        (_, true) => {
            "Repurchase of shares (shares repurchased for cancellation but not yet cancelled)"
        }
        _ => "Repurchase of shares (shares repurchased and cancelled)",
    };
    d.row(&[
        txt(format!("1). {what}")),
        num(ev.amount),
        txt(pct),
        txt(hkd(ev.price_cents)),
    ]);
    match d.style {
        // pypdf glues a label to its value.
        Style::Pypdf => d.text(&format!("Date of changes{}", long_date(ev.day))),
        _ => d.row(&[lab("Date of changes"), txt(long_date(ev.day))]),
    }
    d.blank();
    let mut close = vec![
        lab("Closing balance as at (Note 8)"),
        txt(long_date(ev.day)),
        num(closing),
    ];
    if treasury {
        close.push(C::Gap);
        close.push(num(0));
    }
    d.row(&close);
    d.blank();
    if ev.kind == "repurchase" {
        d.text("Section II must also be completed by a listed issuer where it has made a repurchase of shares which is discloseable under Main Board Rule 10.06(4)(a) / GEM Rule 13.13(1).");
        d.text("A. Repurchase report");
        d.row(&[
            hdr("Trading date"),
            hdr("Number of shares repurchased"),
            hdr("Method of repurchase (Note)"),
            hdr("Highest repurchase price paid per share"),
            hdr("Lowest repurchase price paid per share"),
            hdr("Aggregate price paid"),
        ]);
        let n = ev.amount.abs();
        let total = Dec::new(n as i128 * ev.price_cents as i128, 2);
        d.row(&[
            txt(long_date(ev.day)),
            num(n),
            txt("On the Exchange"),
            txt(format!(
                "HKD {}",
                Dec::new(ev.price_cents as i128, 2).plain()
            )),
            txt(format!(
                "HKD {}",
                Dec::new(ev.price_cents as i128, 2).plain()
            )),
            txt(format!("HKD {}", total.commas())),
        ]);
        d.blank();
    }
    d.field("Submitted by:", iss.signer.0);
    d.field("Title:", iss.signer.1);
    d.text("(Director, Secretary or other Duly Authorised Officer)");
    d.footer("Page 1 of 1");
}

// ---------------------------------------------------------------------------
// Announcements.

const DISCLAIMER: &str = "Hong Kong Exchanges and Clearing Limited and The Stock Exchange of Hong Kong Limited take no responsibility for the contents of this announcement, make no representation as to its accuracy or completeness and expressly disclaim any liability whatsoever for any loss howsoever arising from or in reliance upon the whole or any part of the contents of this announcement.";

fn us_date(d: NaiveDate) -> String {
    format!("{} {}, {}", month_name(d.month()), d.day(), d.year())
}

fn uk_date(d: NaiveDate) -> String {
    long_date_unpadded(d)
}

fn end_of_period(start: NaiveDate, months: u32) -> NaiveDate {
    start
        .checked_add_months(Months::new(months))
        .and_then(|d| d.pred_opt())
        .unwrap_or(start)
}

/// Write an announcement; `variant` picks the lock-up phrasing (0-3) or a
/// plain announcement (4 and up). Returns its truth and its date.
pub fn announcement(d: &mut Doc, iss: &Issuer, m: &Month, variant: usize) -> (Value, NaiveDate) {
    let date = m.submitted + Days::new(3 + (variant as u64 % 5));
    let name = &m.issuer_name;
    let persons: Vec<&str> = (0..4).map(|k| person(iss.idx + k)).collect();
    let entities: Vec<&str> = (0..4).map(|k| entity(iss.idx + k)).collect();
    let mut lockups: Vec<Value> = Vec::new();
    let (title, body): (String, Vec<String>) = match variant {
        0 => {
            // Persons paired to entities by "respectively"; a period of N
            // years commencing on a date written "December 30, 2022".
            let n = 2 + iss.idx % 3;
            let start = date + Days::new(20 + (iss.idx as u64 % 30));
            let years = 1 + iss.idx % 2;
            let end = end_of_period(start, 12 * years as u32);
            let ps = &persons[..n];
            let es = &entities[..n];
            for k in 0..n {
                lockups.push(json!({"party": ps[k], "entity": es[k], "start": start.to_string(), "end": end.to_string(), "kind": "undertaking"}));
            }
            let year_word = if years == 1 { "one year" } else { "two years" };
            (
                "VOLUNTARY LOCK-UP UNDERTAKINGS BY THE EXECUTIVE DIRECTORS".to_string(),
                vec![
                    format!("This announcement is made by {name} (the \"Company\", together with its subsidiaries, the \"Group\") on a voluntary basis."),
                    format!(
                        "The Company is pleased to announce that, {} and the entities controlled by them (being {} respectively) have voluntarily undertaken not to dispose any shares of the Company held or beneficially owned by him/her/it as at the date of this announcement for a period of {year_word} commencing on {}.",
                        join_and(ps),
                        join_and(es),
                        us_date(start)
                    ),
                    format!("{} have informed the Company that such voluntary lock-up undertakings were given in order to express their confidence in the long-term value and prospect of the Group.", join_and(ps)),
                ],
            )
        }
        1 => {
            // "from 1 January 2024 to 31 December 2024", no entity named.
            let start = NaiveDate::from_ymd_opt(date.year() + 1, 1, 1).unwrap_or(date);
            let end = NaiveDate::from_ymd_opt(date.year() + 1, 12, 31).unwrap_or(date);
            let p = persons[0];
            lockups.push(json!({"party": p, "entity": Value::Null, "start": start.to_string(), "end": end.to_string(), "kind": "undertaking"}));
            (
                "VOLUNTARY LOCK-UP UNDERTAKING BY THE CONTROLLING SHAREHOLDER".to_string(),
                vec![
                    format!("The board of directors (the \"Board\") of {name} (the \"Company\") announces that {p}, the chairman and controlling shareholder of the Company, has voluntarily undertaken to the Company not to sell, transfer or otherwise dispose of any of the shares of the Company held by him from {} to {} (both days inclusive).", uk_date(start), uk_date(end)),
                    "The undertaking reflects the confidence of the controlling shareholder in the future development of the Group.".to_string(),
                ],
            )
        }
        2 => {
            // An extension of an existing lock-up.
            let old_end = NaiveDate::from_ymd_opt(date.year(), 12, 31).unwrap_or(date);
            let start = old_end + Days::new(1);
            let end = NaiveDate::from_ymd_opt(date.year() + 1, 12, 31).unwrap_or(date);
            let p = persons[1];
            let e = entities[1];
            lockups.push(json!({"party": p, "entity": e, "start": start.to_string(), "end": end.to_string(), "kind": "extension"}));
            (
                "EXTENSION OF VOLUNTARY LOCK-UP UNDERTAKING".to_string(),
                vec![
                    format!("Reference is made to the announcement of {name} (the \"Company\") in relation to the voluntary lock-up undertaking given by {p} and {e}, a company wholly owned by {p}, which will expire on {}.", uk_date(old_end)),
                    format!("The Company has been informed that {p} and {e} have agreed to extend the lock-up period for a further twelve months from {} to {}.", uk_date(start), uk_date(end)),
                ],
            )
        }
        3 => {
            // A lock-up of N months from a date.
            let months = [6u32, 12, 18][iss.idx % 3];
            let start = date + Days::new(1);
            let end = end_of_period(start, months);
            let e = entities[2];
            lockups.push(json!({"party": e, "entity": Value::Null, "start": start.to_string(), "end": end.to_string(), "kind": "undertaking"}));
            (
                "LOCK-UP UNDERTAKING BY A SUBSTANTIAL SHAREHOLDER".to_string(),
                vec![
                    format!("The board of directors of {name} (the \"Company\") is pleased to announce that {e}, a substantial shareholder of the Company, has undertaken to the Company that it will not dispose of any shares of the Company for {months} months from {}.", uk_date(start)),
                ],
            )
        }
        4 | 6 => (
            "CHANGE OF COMPANY SECRETARY".to_string(),
            vec![format!("The board of directors of {name} (the \"Company\") announces that {} has been appointed as the company secretary of the Company with effect from {}.", iss.signer.0, uk_date(date))],
        ),
        5 | 7 => (
            "DATE OF BOARD MEETING".to_string(),
            vec![format!("The board of directors of {name} (the \"Company\") announces that a meeting of the Board will be held on {} for the purpose of, among other things, approving the results of the Company.", uk_date(date + Days::new(20)))],
        ),
        8 => (
            "GRANT OF SHARE OPTIONS".to_string(),
            vec![format!("The board of directors of {name} (the \"Company\") announces that on {}, the Company granted share options to subscribe for a total of {} shares under its share option scheme.", uk_date(date), fmt_int(1_000_000 + iss.idx as i64 * 1000))],
        ),
        9 => (
            format!("POLL RESULTS OF THE ANNUAL GENERAL MEETING HELD ON {}", uk_date(date).to_uppercase()),
            vec![format!("The board of directors of {name} (the \"Company\") is pleased to announce that all the proposed resolutions set out in the notice of the annual general meeting were duly passed by way of poll.")],
        ),
        10 => (
            "CHANGE IN BOARD LOT SIZE".to_string(),
            vec![format!("The board of directors of {name} (the \"Company\") announces that the board lot size for trading in the shares of the Company will be changed from 1,000 shares to 2,000 shares with effect from {}.", uk_date(date + Days::new(30)))],
        ),
        _ => (
            "CONTINUING CONNECTED TRANSACTIONS".to_string(),
            vec![format!("The board of directors of {name} (the \"Company\") announces that the Group entered into a framework agreement on {} with a connected person of the Company.", uk_date(date))],
        ),
    };
    d.text(DISCLAIMER);
    d.blank();
    if let Some(zh) = &iss.name_zh {
        d.text(zh);
        d.blank();
    }
    d.text(&name.to_uppercase());
    d.blank();
    let inc = iss
        .paren
        .unwrap_or("(incorporated in the Cayman Islands with limited liability)");
    d.text(&capitalise(inc));
    d.blank();
    let code4 = format!("{:04}", iss.code);
    d.text(&format!("(Stock Code: {code4})"));
    d.blank();
    if variant < 4 {
        d.text("VOLUNTARY ANNOUNCEMENT");
        d.blank();
    }
    d.text(&title);
    d.blank();
    for p in &body {
        d.text(p);
        d.blank();
    }
    d.text("By order of the Board");
    match &iss.name_zh {
        Some(zh) => d.text(&format!("{name} {zh}")),
        None => d.text(name),
    }
    d.text(iss.signer.0);
    d.text(iss.signer.1);
    d.blank();
    let place = if variant.is_multiple_of(2) {
        format!("Hong Kong, {}", us_date(date))
    } else {
        format!("Hong Kong, {}", uk_date(date))
    };
    d.text(&place);
    d.blank();
    d.text(&format!(
        "As at the date of this announcement, the executive Directors are {}.",
        join_and(&persons[..2])
    ));
    let truth = json!({
        "kind": "announcement",
        "form": "announcement",
        "title": title,
        "issuer": name,
        "issuer_zh": iss.name_zh,
        "stock_codes": [iss.code5()],
        "date": date.to_string(),
        "lockups": lockups,
    });
    (truth, date)
}

fn capitalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut first = true;
    for c in s.chars() {
        if first && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            first = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn join_and(xs: &[&str]) -> String {
    match xs {
        [] => String::new(),
        [a] => a.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
