//! Next day disclosure returns: the legacy form ("Next Day Disclosure Return
//! (Equity issuer - changes in issued share capital and/or share buybacks)",
//! "Stock code: 1149 Date submitted: 26 September 2011"), its Chinese
//! version (翌日披露報表), and the later FF304 / FF305 forms.
//!
//! Every generation has the same spine: an opening balance with its date, the
//! events since (issues with their dates, prices, and repurchases), a closing
//! balance with its date, then a purchase report listing each day's buybacks.
//! The parser reads that spine by its labels and cells in reading order, so it
//! does not depend on the page layout (the legacy PDFs are rotated pages whose
//! `pdftotext -layout` lines run to hundreds of characters).

use super::legacy::{self, any_date, first_price, movement_kind, tokenize, Tok, TokKind};
use super::values::hk_code;
use crate::filings::model::*;
use regex::Regex;
use std::sync::LazyLock;

pub fn parse(f: &mut Filing, lines: &[String]) {
    let ls = legacy::clean(lines);
    header(f, &ls);
    let ordinary_key = f
        .stock_codes
        .first()
        .cloned()
        .unwrap_or_else(|| "ordinary-shares".to_string());
    let description = description(&ls);
    let mut pending_in_section_i = false;
    let mut classes: Vec<ShareClass> = Vec::new();
    let mut section_i: Vec<NdrMovement> = Vec::new();
    // The first balance label out of the form's order (opening, events,
    // closing, for each class in turn).
    let mut disorder: Option<usize> = None;
    let mut i = 0;
    while i < ls.len() {
        if is_opening(&ls[i]) {
            let (cls, moves, next, pending, closed) =
                balance_block(f, &ls, i, &ordinary_key, &description, classes.len());
            pending_in_section_i |= pending;
            section_i.extend(moves);
            classes.push(cls);
            if !closed {
                // An opening balance with no closing balance after it.
                disorder.get_or_insert(i);
            }
            i = next.max(i + 1);
            continue;
        }
        if is_closing(&ls[i]) {
            // A closing balance with no opening balance before it.
            disorder.get_or_insert(i);
        }
        i += 1;
    }
    if let Some(at) = disorder {
        refuse_balances(f, &mut classes, at);
    }
    if classes.is_empty() {
        f.add_finding(Finding::new(
            Level::Warning,
            codes::MISSING_FIELD,
            "no opening / closing balance was found in section I",
        ));
    }
    f.share_classes = classes;
    let purchases = purchase_report(&ls, &ordinary_key, pending_in_section_i);
    if !purchases.is_empty() {
        // Section I sums the day's buybacks in one "not yet cancelled" row;
        // the purchase report lists them one by one. Keep the detail only, so
        // that the movements are not counted twice.
        section_i.retain(|m| !(m.kind == MovementKind::Repurchase && m.pending));
    }
    f.movements = section_i;
    f.movements.extend(purchases);
    if let Some(s) = ls.iter().position(|l| {
        let lc = l.to_lowercase();
        lc.trim_start().starts_with("submitted by") || l.contains("呈交者")
    }) {
        legacy::signer(f, &ls, s);
    }
}

static STOCK_CODE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:stock\s*code(?:\s*\(if listed\))?|股份代號)\s*[:：]?\s*(\d{1,5})\b")
        .expect("static regex")
});

fn header(f: &mut Filing, ls: &[String]) {
    for (i, l) in ls.iter().enumerate().take(150) {
        let lc = l.to_lowercase();
        if lc.contains("ff305") {
            f.form = Form::Ff305;
        } else if lc.contains("ff304") && f.form != Form::Ff305 {
            f.form = Form::Ff304;
        }
        if f.issuer.is_none() && f.issuer_zh.is_none() {
            let label = ["name of listed issuer", "name of issuer"]
                .iter()
                .find_map(|lab| lc.find(lab).map(|p| p + lab.len()));
            if let Some(end) = label {
                if let Some((name, j)) = text_after(ls, i, end) {
                    let name =
                        cut_before(&name, &["Stock code", "Date submitted", "Date Submitted"]);
                    if !name.is_empty() {
                        f.issuer = Some(legacy::issuer_name(&name));
                        f.lines.insert("issuer".into(), j as u32 + 1);
                    }
                }
            } else if let Some(p) = l.find("上市發行人名稱") {
                if let Some((name, j)) = text_after(ls, i, p + "上市發行人名稱".len()) {
                    let name = cut_before(&name, &["股份代號"]);
                    if !name.is_empty() {
                        f.issuer_zh = Some(name);
                        f.lines.insert("issuer_zh".into(), j as u32 + 1);
                    }
                }
            }
        }
        if f.stock_codes.is_empty() {
            let found = STOCK_CODE_RE
                .captures(l)
                .and_then(|c| c.get(1))
                .map(|m| m.as_str().to_string());
            // Raw extraction puts the code on the line after its label.
            let found = found.or_else(|| {
                let t = l.trim().trim_end_matches([':', '：']).to_lowercase();
                if t == "stock code" || t == "股份代號" || t == "stock code (if listed)" {
                    ls.get(i + 1).map(|n| n.trim().to_string())
                } else {
                    None
                }
            });
            if let Some(code) = found.as_deref().and_then(hk_code) {
                f.stock_codes.push(code);
                f.lines.insert("stock_codes".into(), i as u32 + 1);
            }
        }
        if f.date.is_none() {
            let end = ["date submitted"]
                .iter()
                .find_map(|lab| lc.find(lab).map(|p| p + lab.len()));
            let end = end.or_else(|| l.find("呈交日期").map(|p| p + "呈交日期".len()));
            if let Some(end) = end {
                let rest = l.get(end..).unwrap_or("");
                let found = any_date(rest).map(|d| (d, i)).or_else(|| {
                    ls.iter()
                        .enumerate()
                        .skip(i + 1)
                        .take(3)
                        .find_map(|(j, l)| any_date(l).map(|d| (d, j)))
                });
                if let Some((d, j)) = found {
                    f.date = Some(d);
                    f.lines.insert("date".into(), j as u32 + 1);
                }
            }
        }
    }
    if f.date.is_none() {
        f.add_finding(Finding::new(
            Level::Warning,
            codes::MISSING_FIELD,
            "the date submitted was not found",
        ));
    }
    if f.stock_codes.is_empty() {
        f.add_finding(Finding::new(
            Level::Warning,
            codes::MISSING_FIELD,
            "the stock code was not found",
        ));
    }
}

fn text_after(ls: &[String], i: usize, end: usize) -> Option<(String, usize)> {
    let rest = ls.get(i)?.get(end..).unwrap_or("");
    let rest = rest.trim_start_matches([':', '：', ' ', '\t']).trim();
    if !rest.is_empty() {
        return Some((rest.to_string(), i));
    }
    ls.iter()
        .enumerate()
        .skip(i + 1)
        .take(3)
        .find(|(_, l)| !l.trim().is_empty())
        .map(|(j, l)| (l.trim().to_string(), j))
}

fn cut_before(s: &str, labels: &[&str]) -> String {
    let mut out = s;
    for l in labels {
        if let Some(p) = out.find(l) {
            out = out.get(..p).unwrap_or(out);
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// "Description of securities: Ordinary Share with par value HKD 0.10 per share".
fn description(ls: &[String]) -> Option<String> {
    for (i, l) in ls.iter().enumerate() {
        let lc = l.to_lowercase();
        if let Some(p) = lc.find("description of securities") {
            let end = p + "description of securities".len();
            return text_after(ls, i, end)
                .map(|(t, _)| t.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
    None
}

fn is_opening(l: &str) -> bool {
    let lc = l.to_lowercase();
    lc.contains("opening balance as at") || l.contains("於下列日期開始時的結存")
}

fn is_closing(l: &str) -> bool {
    let lc = l.to_lowercase();
    lc.contains("closing balance as at") || l.contains("於下列日期結束時的結存")
}

/// A line that starts a new event in section I: the legacy form's "(Note 3)"
/// marker, FF304/FF305 numbering "1).", or the template row "Share
/// repurchases".
fn is_event_start(l: &str) -> bool {
    static EVENT_RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:\(\s*note\s*3\s*\)|\(\s*註\s*3\s*\)|\d{1,2}\s*\)\s*\.?\s|share repurchases\b|股份購回)").expect("static regex")
    });
    EVENT_RE.is_match(l)
}

fn is_section_end(l: &str) -> bool {
    let lc = l.to_lowercase();
    lc.contains("notes to section i")
        || l.contains("I 部註釋")
        || lc.trim_start().starts_with("section ii")
        || lc.contains("purchase report")
}

/// Balance labels out of the form's order: every class prints its opening
/// balance, its events, then its closing balance, so the labels run opening,
/// closing, opening, closing. A closing label with no opening before it, or
/// an opening label with no closing after it, means a label stands on the
/// wrong row or is missing: with the "Opening" and "Closing" labels of two
/// rows exchanged, the closing balance would be read as the opening one, and
/// with one label lost as well, that misreading is the only one left. Which
/// row holds which balance cannot be told, so no balance of the return is
/// presented as read: each is left null, with one warning naming the first
/// label out of order.
fn refuse_balances(f: &mut Filing, classes: &mut [ShareClass], at: usize) {
    for c in classes.iter_mut() {
        if let Some(b) = c.issued.as_mut() {
            b.opening = None;
            b.opening_as_of = None;
            b.closing = None;
            b.as_of = None;
            b.lines.clear();
        }
    }
    f.add_finding(
        Finding::new(
            Level::Warning,
            codes::UNREADABLE_VALUE,
            "the opening and closing balance labels are out of the form's order \
             (opening, events, closing): the balances are left unread",
        )
        .at(Some(at as u32 + 1)),
    );
}

/// One class's opening balance, its events and its closing balance, from the
/// "Opening balance as at" line at `start`. Returns the class, the events, the
/// index after the block, whether it reports repurchased shares not yet
/// cancelled, and whether the block ends at its closing label (not at the
/// next opening label, the end of section I or the end of the text).
fn balance_block(
    f: &mut Filing,
    ls: &[String],
    start: usize,
    ordinary_key: &str,
    description: &Option<String>,
    nth: usize,
) -> (ShareClass, Vec<NdrMovement>, usize, bool, bool) {
    let mut issued = Balance::default();
    // The first share count after each label: read, or refused as a piece
    // of a broken number (on the line given).
    let mut opening_cell: Option<Result<(), u32>> = None;
    let mut closing_cell: Option<Result<(), u32>> = None;
    // Opening: the first share count and the first date after the label,
    // before the first event.
    let mut j = start;
    while j < ls.len() && j < start + 6 {
        if j > start && (is_event_start(&ls[j]) || is_closing(&ls[j])) {
            break;
        }
        let toks = tokenize(&ls[j], j as u32 + 1);
        for (n, t) in toks.iter().enumerate() {
            match &t.kind {
                TokKind::Int(v) if opening_cell.is_none() && is_count(t) => {
                    if split_piece(&toks, n) {
                        opening_cell = Some(Err(t.line));
                    } else {
                        opening_cell = Some(Ok(()));
                        issued.opening = Some(*v);
                        issued.lines.insert("opening".into(), t.line);
                    }
                }
                TokKind::Date(d) if issued.opening_as_of.is_none() => {
                    issued.opening_as_of = Some(d.clone());
                    issued.lines.insert("opening_as_of".into(), t.line);
                }
                _ => {}
            }
        }
        j += 1;
    }
    // Events up to the closing balance.
    let close =
        (j..ls.len()).find(|&k| is_closing(&ls[k]) || is_opening(&ls[k]) || is_section_end(&ls[k]));
    let events_end = close.unwrap_or(ls.len());
    let mut blocks: Vec<Vec<Tok>> = Vec::new();
    for (k, l) in ls.iter().enumerate().take(events_end).skip(j) {
        if is_event_start(l) || blocks.is_empty() {
            blocks.push(Vec::new());
        }
        let toks = tokenize(l, k as u32 + 1);
        // Two amounts in one block: a second event without its own marker.
        let has_amount = toks.iter().any(|t| t.int().is_some() && is_count(t));
        let block_has_amount = blocks
            .last()
            .is_some_and(|b| b.iter().any(|t| t.int().is_some() && is_count(t)));
        if has_amount && block_has_amount && !is_event_start(l) {
            blocks.push(Vec::new());
        }
        if let Some(b) = blocks.last_mut() {
            b.extend(toks);
        }
    }
    // Closing: the first share count and date from the closing label on.
    let mut next = events_end;
    if let Some(c) = close.filter(|&c| is_closing(&ls[c])) {
        let mut k = c;
        while k < ls.len() && k < c + 5 {
            if k > c && (is_opening(&ls[k]) || is_section_end(&ls[k]) || is_event_start(&ls[k])) {
                break;
            }
            let toks = tokenize(&ls[k], k as u32 + 1);
            for (n, t) in toks.iter().enumerate() {
                match &t.kind {
                    TokKind::Int(v) if closing_cell.is_none() && is_count(t) => {
                        if split_piece(&toks, n) {
                            closing_cell = Some(Err(t.line));
                        } else {
                            closing_cell = Some(Ok(()));
                            issued.closing = Some(*v);
                            issued.lines.insert("closing".into(), t.line);
                        }
                    }
                    TokKind::Date(d) if issued.as_of.is_none() => {
                        issued.as_of = Some(d.clone());
                        issued.lines.insert("as_of".into(), t.line);
                    }
                    _ => {}
                }
            }
            k += 1;
        }
        next = k;
    }
    for (field, cell) in [("opening", opening_cell), ("closing", closing_cell)] {
        if let Some(Err(line)) = cell {
            f.add_finding(
                Finding::new(
                    Level::Warning,
                    codes::UNREADABLE_VALUE,
                    format!(
                        "the {field} balance is broken by a space or tab inside the number \
                         (or a number runs into it): left null"
                    ),
                )
                .at(Some(line))
                .class(Some(ordinary_key)),
            );
        } else if cell.is_none() {
            f.add_finding(
                Finding::new(
                    Level::Warning,
                    codes::UNREADABLE_VALUE,
                    format!("the {field} balance could not be read"),
                )
                .at(Some(start as u32 + 1))
                .class(Some(ordinary_key)),
            );
        }
    }
    let class_key = if nth == 0 {
        ordinary_key.to_string()
    } else {
        format!("{ordinary_key}-{}", nth + 1)
    };
    let mut moves = Vec::new();
    let mut pending_any = false;
    for b in &blocks {
        if let Some(m) = event(b, &class_key, issued.as_of.as_deref()) {
            pending_any |= m.pending;
            moves.push(m);
        } else if block_says_pending(b) {
            pending_any = true;
        }
    }
    let mut lines = Lines::new();
    lines.insert("opening".into(), start as u32 + 1);
    let cls = ShareClass {
        class_key: class_key.clone(),
        class: Some("Ordinary shares".to_string()),
        description: description.clone(),
        stock_code: f.stock_codes.first().cloned().filter(|_| nth == 0),
        listed: Some(!f.stock_codes.is_empty()),
        issued: Some(issued),
        lines,
        ..Default::default()
    };
    let closed = close.is_some_and(|c| is_closing(&ls[c]));
    (cls, moves, next, pending_any, closed)
}

/// Whether the count `toks[k]` of a balance row may be a piece of a longer
/// number broken by a space or tab ("3 ,223,381,656", "3,22 3,381,656",
/// "52 2,938,967,825", "31 August 202 1"): an extractor, or damage, split
/// the cell. It is when the count, with the pieces of digits and separators
/// around it (touching it, or one space or tab apart), makes one
/// well-formed number: which reading is the cell cannot be told. Two whole numbers side by side stay apart, as FF305's
/// issued and treasury columns ("412,428,946 0") join into no well-formed
/// number; a date beside the count ("31 August 2021\t522,938,967,825") is
/// a cell of its own.
fn split_piece(toks: &[Tok], k: usize) -> bool {
    let numberish = |t: &Tok| match t.kind {
        TokKind::Int(_) | TokKind::Dec(_) => true,
        TokKind::Text => t
            .text
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.'),
        _ => false,
    };
    let width = |t: &Tok| t.text.chars().count();
    // The run of number-like tokens around the count, at most one space or
    // tab apart.
    let mut first = k;
    while first > 0 {
        let (p, t) = (&toks[first - 1], &toks[first]);
        if !numberish(p) || p.col + width(p) + 1 < t.col {
            break;
        }
        first -= 1;
    }
    let mut last = k;
    while let Some(n) = toks.get(last + 1) {
        let t = &toks[last];
        if !numberish(n) || n.col > t.col + width(t) + 1 {
            break;
        }
        last += 1;
    }
    if first == last {
        return false;
    }
    // The pieces: the tokens glued together, split where a space stands;
    // `at` is the count's piece.
    let mut pieces: Vec<String> = Vec::new();
    let mut at = 0;
    for (i, t) in toks.iter().enumerate().take(last + 1).skip(first) {
        let glued = i > first && toks[i - 1].col + width(&toks[i - 1]) == t.col;
        match pieces.last_mut() {
            Some(p) if glued => p.push_str(&t.text),
            _ => pieces.push(t.text.clone()),
        }
        if i == k {
            at = pieces.len() - 1;
        }
    }
    // Any run of two or more pieces through the count's that joins into one
    // well-formed number.
    (0..=at).any(|lo| {
        (at..pieces.len()).filter(|&hi| hi > lo).any(|hi| {
            pieces
                .get(lo..=hi)
                .is_some_and(|run| well_formed(&run.concat()))
        })
    })
}

/// A number as the forms print one: "1,234,567", "1234567", "(1,234)",
/// "-12", "0.25".
fn well_formed(s: &str) -> bool {
    let s = s.strip_prefix(['(', '-']).unwrap_or(s);
    let s = s.strip_suffix(')').unwrap_or(s);
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if frac.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let mut groups = int.split(',');
    let Some(head) = groups.next() else {
        return false;
    };
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    if !digits(head) {
        return false;
    }
    let mut grouped = false;
    for g in groups {
        grouped = true;
        if g.len() != 3 || !digits(g) {
            return false;
        }
    }
    !grouped || head.len() <= 3
}

/// A share count, not a stray small number (page numbers, note numbers).
/// A four-digit number without a comma between 1900 and 2100 is a year left
/// over from a date wrapped over two lines ("cancelled on 19" / "August
/// 2011"), not a share count.
fn is_count(t: &Tok) -> bool {
    t.int().is_some_and(|v| {
        t.text.contains(',') || (v.abs() >= 100 && !(1900..=2100).contains(&v.abs()))
    })
}

fn block_says_pending(b: &[Tok]) -> bool {
    let text = b
        .first()
        .map(|t| event_words(b, t))
        .unwrap_or_default()
        .to_lowercase();
    text.contains("not yet cancelled") || text.contains("尚未註銷")
}

/// The words of an event as printed, less its figures: the amount, prices,
/// percentages ("0.36%", "15.58% discount") and the "(Note 3)" marker. The
/// layout interleaves them with the words ("Share repurchases but not yet
/// 9,452,000 0.36%" / "cancelled"); dates stay ("on 10" / "December 2010").
fn event_words(b: &[Tok], amount: &Tok) -> String {
    let mut words: Vec<&str> = Vec::new();
    let mut after_pct = false;
    for t in b {
        if std::ptr::eq(t, amount) {
            continue;
        }
        match &t.kind {
            TokKind::Money(..) | TokKind::Dec(_) | TokKind::Nil => continue,
            TokKind::Int(_) if is_count(t) => continue,
            _ => {}
        }
        for w in t.text.split_whitespace() {
            let lw = w.to_lowercase();
            if w.contains('%') {
                after_pct = true;
                continue;
            }
            if after_pct && (lw == "discount" || lw == "premium") {
                continue;
            }
            after_pct = false;
            words.push(w);
        }
    }
    let s = words.join(" ");
    s.replace("(Note 3)", "")
        .replace("(註 3)", "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// One event of section I from its tokens.
fn event(b: &[Tok], class_key: &str, closing_date: Option<&str>) -> Option<NdrMovement> {
    let amount_tok = b.iter().find(|t| is_count(t))?;
    let raw_amount = amount_tok.int()?;
    let description = event_words(b, amount_tok);
    let lc = description.to_lowercase();
    let pending = lc.contains("not yet cancelled") || description.contains("尚未註銷");
    let mut kind = movement_kind(&description);
    if kind == MovementKind::Repurchase && !pending && lc.contains("cancelled on") {
        // "Share repurchased on 12 July 2011 and cancelled on 19 August 2011":
        // the event that changes the issued shares is the cancellation, on a
        // date of its own. The FF304/FF305 event "Repurchase of shares (shares
        // repurchased and cancelled)" names no such date: it is the
        // repurchase itself, its shares cancelled at once.
        kind = MovementKind::Cancellation;
    }
    let amount = match kind {
        MovementKind::Repurchase | MovementKind::Redemption | MovementKind::Cancellation => {
            -raw_amount.abs()
        }
        _ => raw_amount,
    };
    let date = event_date(&lc).or_else(|| closing_date.map(str::to_string));
    let (price, currency) = b
        .iter()
        .find_map(|t| match &t.kind {
            TokKind::Money(c, d) => Some((Some(d.clone()), Some(c.to_string()))),
            _ => None,
        })
        .unwrap_or((None, None));
    let mut lines = Lines::new();
    lines.insert("amount".into(), amount_tok.line);
    Some(NdrMovement {
        date,
        kind,
        class_key: Some(class_key.to_string()),
        amount: Some(amount),
        price,
        currency,
        pending,
        description: if description.is_empty() {
            None
        } else {
            Some(description)
        },
        lines,
    })
}

/// The date an event happened: after "cancelled on" for a cancellation, else
/// the first date in the event's words ("Exercise of Convertible Notes on 14
/// June 2010", wrapped or not).
fn event_date(lc_text: &str) -> Option<String> {
    if let Some(p) = lc_text.find("cancelled on") {
        if let Some(d) = lc_text.get(p..).and_then(any_date) {
            return Some(d);
        }
    }
    any_date(lc_text)
}

/// Section II A, the purchase report: one row per trading day and price,
/// "26/09/2011  116,000  On the Stock Exchange  HK$1.13  -  HK$131,080.00".
fn purchase_report(ls: &[String], class_key: &str, pending: bool) -> Vec<NdrMovement> {
    let Some(start) = ls
        .iter()
        .position(|l| l.to_lowercase().contains("purchase report") || l.contains("購回報告"))
    else {
        return Vec::new();
    };
    let end = ls
        .iter()
        .enumerate()
        .skip(start + 1)
        .find(|(_, l)| {
            let t = l.trim_start();
            let lc = t.to_lowercase();
            lc.starts_with("total")
                || t.starts_with("總數")
                || t.starts_with("合共")
                || lc.starts_with("b.")
        })
        .map_or(ls.len(), |(k, _)| k);
    let rows: Vec<Vec<Tok>> = ls
        .get(start + 1..end)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, l)| tokenize(l, (start + 2 + i) as u32))
        .collect();
    let mut out: Vec<NdrMovement> = Vec::new();
    for (i, toks) in rows.iter().enumerate() {
        let k = start + 1 + i;
        let Some(amount_tok) = toks.iter().find(|t| is_count(t)) else {
            continue;
        };
        // Rows of the same day and method leave those cells empty (merged
        // cells): "12/07/2011  76,000  On the Stock Exchange  HK$1.67" then
        // "1,320,000  HK$1.68". They take the date and method above them.
        let own_date = toks.iter().find_map(|t| match &t.kind {
            TokKind::Date(d) => Some(d.clone()),
            _ => None,
        });
        let Some(date) = own_date.or_else(|| out.last().and_then(|m| m.date.clone())) else {
            continue;
        };
        let Some(v) = amount_tok.int() else { continue };
        // The highest price paid: "HK$1.13", or "港幣 1.13 元" in Chinese.
        let price = row_price(&rows, i, v);
        let method = toks
            .iter()
            .filter(|t| t.kind == TokKind::Text)
            .flat_map(|t| t.text.split_whitespace())
            .filter(|w| {
                w.chars().any(char::is_alphabetic)
                    && legacy::currency_word(w).is_none()
                    && *w != "元"
            })
            .collect::<Vec<_>>()
            .join(" ");
        let method = if method.is_empty() {
            out.last()
                .and_then(|m| m.description.clone())
                .unwrap_or_default()
        } else {
            method
        };
        let mut lines = Lines::new();
        lines.insert("amount".into(), amount_tok.line);
        lines.insert("date".into(), k as u32 + 1);
        out.push(NdrMovement {
            date: Some(date),
            kind: MovementKind::Repurchase,
            class_key: Some(class_key.to_string()),
            amount: Some(-v.abs()),
            price: price.as_ref().map(|(_, d, _)| d.clone()),
            currency: price.and_then(|(c, _, _)| c).map(str::to_string),
            pending,
            description: if method.is_empty() {
                None
            } else {
                Some(method)
            },
            lines,
        });
    }
    out
}

/// Price and total paid of a purchase-report line: the first price and
/// the last amount after it ("HK$1.16  -  HK$1,062,560.00").
fn price_and_total(toks: &[Tok]) -> Option<(PriceCell, Option<f64>)> {
    let price = first_price(toks)?;
    let after_price = toks
        .iter()
        .skip_while(|t| t.decimal().as_deref() != Some(price.1.as_str()))
        .skip(1);
    let total = after_price
        .filter(|t| matches!(t.kind, TokKind::Money(..) | TokKind::Dec(_)))
        .last()
        .and_then(|t| t.decimal())
        .and_then(|d| d.replace(',', "").parse::<f64>().ok());
    Some((price, total))
}

type PriceCell = (Option<&'static str>, String, u32);

/// Whether `count` shares at `price` cost `total` (to the cent, allowing
/// the rounding of a price printed to fewer places than it was paid at).
fn costs(count: i64, price: &str, total: f64) -> bool {
    let Ok(p) = price.replace(',', "").parse::<f64>() else {
        return false;
    };
    let expected = count.unsigned_abs() as f64 * p;
    (expected - total).abs() <= expected.abs() * 0.0005 + 0.01
}

/// The price of the purchase-report row on `rows[i]` that bought `count`
/// shares. Usually on the row's own line; but `pdftotext -layout` of the
/// 01149 return of 4 October 2011 prints a taller row's cells half a line
/// apart, so "HK$1.16 - HK$1,062,560.00" lands on the line above
/// "03/10/2011 916,000", and the next row's date line then carries the
/// price of the row after it. The row's total paid decides: when its own
/// line's price does not give its total but a neighbouring price line
/// (within two lines) does, that neighbour holds the row's price.
fn row_price(rows: &[Vec<Tok>], i: usize, count: i64) -> Option<PriceCell> {
    let own = rows.get(i).and_then(|t| price_and_total(t));
    if let Some((p, total)) = &own {
        if total.is_none_or(|t| costs(count, &p.1, t)) {
            return own.map(|(p, _)| p);
        }
    }
    let neighbours = [i.checked_sub(1), Some(i + 1), i.checked_sub(2), Some(i + 2)];
    neighbours
        .into_iter()
        .flatten()
        .filter_map(|j| rows.get(j))
        .filter_map(|t| price_and_total(t))
        .find(|(p, total)| total.is_some_and(|t| costs(count, &p.1, t)))
        .map(|(p, _)| p)
        .or_else(|| own.map(|(p, _)| p))
}
