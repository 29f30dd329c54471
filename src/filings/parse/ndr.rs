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
//!
//! The labels are found once for the whole text ([`Text`]): a lower-cased
//! copy of the lines is searched for each label phrase, and every line keeps
//! the set of labels it holds, so no line is lower-cased or matched twice.

use super::ff301;
use super::legacy::{self, first_price, movement_kind, tokenize, Tok, TokKind};
use super::text::{collapse_ws, is_page_furniture};
use super::values::{find_date, hk_code, iso};
use crate::filings::model::*;
use memchr::memmem;
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

pub fn parse(f: &mut Filing, lines: &[String]) {
    let t = Text::new(lines);
    header(f, &t);
    // The e-forms (FF304, FF305) print page furniture, the form's code and
    // a class block with its stock code among the rows.
    let e_form = matches!(f.form, Form::Ff304 | Form::Ff305);
    if let Some(at) = e_form.then(|| run_together(lines)).flatten() {
        // The rows' labels and numbers follow each other on one line with
        // no cell edges: read by rows, the first number after a label may
        // be the form's code or the stock code. Nothing is read rather
        // than a wrong balance. (The legacy form on one line has none of
        // these: its balances are read, or left null with findings.)
        f.add_finding(
            Finding::new(
                Level::Warning,
                codes::UNREADABLE_VALUE,
                "the text runs the form's lines together (each page's text on one line, as \
                 some web copies print it): section I's balances and events are not read",
            )
            .at(Some(at as u32 + 1)),
        );
        return;
    }
    let ordinary_key = f
        .stock_codes
        .first()
        .cloned()
        .unwrap_or_else(|| "ordinary-shares".to_string());
    let description = description(&t);
    let mut pending_in_section_i = false;
    let mut classes: Vec<ShareClass> = Vec::new();
    let mut section_i: Vec<NdrMovement> = Vec::new();
    // The first balance label out of the form's order (opening, events,
    // closing, for each class in turn).
    let mut disorder: Option<usize> = None;
    let mut i = 0;
    while i < t.len() {
        if t.is(i, flag::OPENING) {
            let mut b = balance_block(f, &t, i, &ordinary_key, &description, classes.len());
            if !b.sound {
                reread_by_columns(&t, i, &mut b);
            }
            pending_in_section_i |= b.pending;
            section_i.extend(b.moves);
            classes.push(b.cls);
            for finding in b.findings {
                f.add_finding(finding);
            }
            if !b.closed {
                // An opening balance with no closing balance after it.
                disorder.get_or_insert(i);
            }
            i = b.next.max(i + 1);
            continue;
        }
        if t.is(i, flag::CLOSING) {
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
    let purchases = purchase_report(f, &t, &ordinary_key, pending_in_section_i);
    if !purchases.is_empty() {
        // Section I sums the day's buybacks in one "not yet cancelled" row;
        // the purchase report lists them one by one. Keep the detail only, so
        // that the movements are not counted twice.
        // A row of shares repurchased and cancelled on a trading day of the
        // report is those same shares: the report's rows of that day add up
        // to it.
        let reported = |m: &NdrMovement| {
            let day: i64 = purchases
                .iter()
                .filter(|p| p.date.is_some() && p.date == m.date)
                .filter_map(|p| p.amount)
                .map(i64::abs)
                .sum();
            m.amount.is_some_and(|a| a != 0 && a.abs() == day)
        };
        // A row of shares not yet cancelled on a day the report covers is
        // that day's buyback (or a sum taking it in); FF304 and FF305 also
        // list, each with its own date, the earlier days' shares still not
        // cancelled, which the report does not repeat: those stay.
        let report_day = |m: &NdrMovement| {
            m.date.is_none()
                || purchases
                    .iter()
                    .any(|p| p.date.is_some() && p.date == m.date)
        };
        section_i.retain(|m| {
            !(m.kind == MovementKind::Repurchase && ((m.pending && report_day(m)) || reported(m)))
        });
    }
    f.movements = section_i;
    f.movements.extend(purchases);
    if let Some(s) = (0..t.len()).find(|&i| t.is(i, flag::SUBMITTED)) {
        signer(f, &t, s);
    }
}

/// The first line that runs the form's lines together: a long line holding
/// a balance row's label and another of the form's labels (no extraction
/// that keeps lines prints two of them on one).
fn run_together(lines: &[String]) -> Option<usize> {
    const OTHERS: [&str; 4] = [
        "closing balance",
        "date of changes",
        "name of issuer",
        "date submitted",
    ];
    lines.iter().position(|l| {
        l.len() > 300 && {
            let lc = l.to_ascii_lowercase();
            let labels = OTHERS.iter().filter(|p| lc.contains(*p)).count();
            let opening = lc.contains("opening balance");
            labels + usize::from(opening) >= 2 && (opening || lc.contains("closing balance"))
        }
    })
}

/// The signature block from line `s`: [`legacy::signer`] reads the line and
/// the nine after it, so it is given those alone and its line number is put
/// back in place.
fn signer(f: &mut Filing, t: &Text, s: usize) {
    if let Some((name, title)) = values_above_labels(t, s) {
        let text = |k: usize| collapse_ws(t.line(k));
        f.signer = Some(Signer {
            name: text(name),
            title: title.map(text),
        });
        f.lines.insert("signer".into(), name as u32 + 1);
        return;
    }
    // The lines that are not blank (cell-per-line extractors put blank
    // lines between the name, its caption and the title), with where each
    // stands in the text.
    let (at, block): (Vec<usize>, Vec<String>) = (s..t.len())
        .filter(|&k| k == s || !t.line(k).trim().is_empty())
        .take(12)
        .map(|k| (k, t.line(k).to_string()))
        .unzip();
    let before = f.lines.remove("signer");
    legacy::signer(f, &block, 0);
    match f.lines.get_mut("signer") {
        Some(line) => {
            *line = at
                .get((*line as usize).saturating_sub(1))
                .map_or(*line, |&k| k as u32 + 1)
        }
        None => {
            if let Some(b) = before {
                f.lines.insert("signer".into(), b);
            }
        }
    }
}

/// pdfplumber prints the signature block of FF304 and FF305 with each value
/// on the line above its label: the name, "Submitted by:", "(Name)", the
/// title, "Title:", "(Director, Secretary or other Duly Authorised
/// Officer)". Read below their labels, the name would be the title and the
/// title the page footer. The lines of the name and of the title, when the
/// block is laid out so: the label alone on its line, its caption under it,
/// and a line before it that is no label, caption or sentence.
fn values_above_labels(t: &Text, s: usize) -> Option<(usize, Option<usize>)> {
    let lc = t.lc(s).trim();
    if lc.trim_end_matches(':').trim() != "submitted by" {
        return None;
    }
    let next = window(t, s + 1, 1).next()?;
    if !t.lc(next).trim().starts_with("(name)") {
        return None;
    }
    let value = |k: usize| {
        let l = t.line(k).trim();
        !l.is_empty()
            && l.chars().count() <= 60
            && !has_digit(l)
            && !l.starts_with('(')
            && !l.ends_with(['.', ':', ';', ','])
            && !is_page_furniture(l)
    };
    let name = (0..s).rev().find(|&k| !t.line(k).trim().is_empty())?;
    if !value(name) {
        return None;
    }
    // "Title:" alone on its line within the next lines, its value above it.
    let title_label =
        window(t, next + 1, 3).find(|&k| t.lc(k).trim().trim_end_matches(':').trim() == "title");
    let title = title_label
        .and_then(|k| (next + 1..k).rev().find(|&j| !t.line(j).trim().is_empty()))
        .filter(|&j| value(j));
    Some((name, title))
}

/// The labels a line holds, as bits of [`Text::flags`].
mod flag {
    /// "Opening balance as at", 於下列日期開始時的結存.
    pub const OPENING: u32 = 1;
    /// "Closing balance as at", 於下列日期結束時的結存.
    pub const CLOSING: u32 = 1 << 1;
    /// The end of section I: "Notes to Section I", "I 部註釋", a line
    /// starting "Section II", "Purchase report".
    pub const SECTION_END: u32 = 1 << 2;
    /// "Purchase report", 購回報告.
    pub const PURCHASE: u32 = 1 << 3;
    /// A line starting "Submitted by", or holding 呈交者.
    pub const SUBMITTED: u32 = 1 << 4;
    /// "Description of securities".
    pub const DESCRIPTION: u32 = 1 << 5;
    /// "Name of listed issuer", "Name of issuer".
    pub const ISSUER: u32 = 1 << 6;
    /// 上市發行人名稱.
    pub const ISSUER_ZH: u32 = 1 << 7;
    /// "stock" or 股份代號: where a stock code may stand.
    pub const STOCK: u32 = 1 << 8;
    /// "Date submitted", 呈交日期.
    pub const DATE_SUBMITTED: u32 = 1 << 9;
    /// "FF305".
    pub const FF305: u32 = 1 << 10;
    /// "FF304".
    pub const FF304: u32 = 1 << 11;
    /// A line `legacy::clean` may change: a tab, a control character, or a
    /// page header or footer ("issuers", "page", 適用於).
    pub const UNCLEAN: u32 = 1 << 12;
}

/// The lines of a return, cleaned as [`legacy::clean`] cleans them, with the
/// labels each one holds.
struct Text<'a> {
    ls: Vec<Cow<'a, str>>,
    /// The lines lower-cased (ASCII letters only), each ended by '\n'.
    lc: String,
    /// Where each line starts in `lc`, and the end of `lc`.
    starts: Vec<usize>,
    /// The labels of each line ([`flag`]).
    flags: Vec<u32>,
}

/// Characters whose lower case or case folding is ASCII: 'İ' lower-cases to
/// "i̇", KELVIN SIGN to 'k', and `(?i)` matches LATIN SMALL LETTER LONG S to
/// 's'. A text without them finds a lower-case ASCII phrase in its ASCII
/// lower-cased copy exactly where `to_lowercase` or a case-insensitive regex
/// finds it.
const FOLD_INTO_ASCII: [&str; 3] = ["\u{130}", "\u{212A}", "\u{17F}"];

impl<'a> Text<'a> {
    fn new(lines: &'a [String]) -> Text<'a> {
        let (lc, starts) = lower(lines.iter().map(String::as_str));
        let exact = FOLD_INTO_ASCII
            .iter()
            .all(|c| memmem::find(lc.as_bytes(), c.as_bytes()).is_none());
        let mut flags = vec![0u32; lines.len()];
        if exact {
            find_labels(lines, &lc, &starts, 0..lines.len(), &mut flags);
        } else {
            flags.fill(flag::UNCLEAN);
        }
        // Only the lines `legacy::clean` may change are cleaned, one by one
        // (it cleans each line on its own), and kept borrowed when it did not.
        let mut changed: Vec<usize> = Vec::new();
        let ls: Vec<Cow<'a, str>> = lines
            .iter()
            .zip(&flags)
            .enumerate()
            .map(|(i, (l, fl))| {
                if fl & flag::UNCLEAN == 0 {
                    return Cow::Borrowed(l.as_str());
                }
                match legacy::clean(std::slice::from_ref(l)).pop() {
                    Some(c) if c != *l => {
                        changed.push(i);
                        Cow::Owned(c)
                    }
                    _ => Cow::Borrowed(l.as_str()),
                }
            })
            .collect();
        let (lc, starts) = if changed.is_empty() {
            (lc, starts)
        } else {
            lower(ls.iter().map(|l| l.as_ref()))
        };
        if exact {
            // A cleaned line holds the labels it holds now.
            for &i in &changed {
                if let Some(f) = flags.get_mut(i) {
                    *f = 0;
                }
                find_labels(&ls, &lc, &starts, i..i + 1, &mut flags);
            }
        } else {
            for (f, l) in flags.iter_mut().zip(&ls) {
                *f = slow_flags(l);
            }
        }
        Text {
            ls,
            lc,
            starts,
            flags,
        }
    }

    fn len(&self) -> usize {
        self.ls.len()
    }

    fn line(&self, i: usize) -> &str {
        self.ls.get(i).map_or("", |l| l.as_ref())
    }

    /// Whether line `i` holds one of the labels `bits`.
    fn is(&self, i: usize, bits: u32) -> bool {
        self.flags.get(i).is_some_and(|f| f & bits != 0)
    }

    /// Line `i` lower-cased (ASCII letters only).
    fn lc(&self, i: usize) -> &str {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => self.lc.get(a..b.saturating_sub(1)).unwrap_or(""),
            _ => "",
        }
    }

    /// Where the first of `labels` (lower-case ASCII, tried in turn) ends in
    /// line `i`, as a byte offset of the line: `to_lowercase` then `find`, as
    /// the labels were always found. An ASCII line is its own lower-cased
    /// copy's length; any other is lower-cased the Unicode way.
    fn label_end(&self, i: usize, labels: &[&str]) -> Option<usize> {
        let l = self.line(i);
        let find = |lc: &str| {
            labels
                .iter()
                .find_map(|lab| lc.find(lab).map(|p| p + lab.len()))
        };
        if l.is_ascii() {
            find(self.lc(i))
        } else {
            find(&l.to_lowercase())
        }
    }
}

/// The lines joined, each ended by '\n', ASCII letters lower-cased; and
/// where each line starts.
fn lower<'s>(lines: impl Iterator<Item = &'s str> + Clone) -> (String, Vec<usize>) {
    let size: usize = lines.clone().map(|l| l.len() + 1).sum();
    let mut lc = String::with_capacity(size);
    let mut starts = Vec::with_capacity(size / 16 + 2);
    for l in lines {
        starts.push(lc.len());
        lc.push_str(l);
        lc.push('\n');
    }
    starts.push(lc.len());
    lc.make_ascii_lowercase();
    (lc, starts)
}

/// The line holding byte `off` of the lower-cased text, searching from line
/// `from` on.
fn line_of(starts: &[usize], from: usize, off: usize) -> usize {
    from + starts
        .get(from..)
        .unwrap_or_default()
        .partition_point(|&s| s <= off)
        .saturating_sub(1)
}

/// Lines holding a tab or a control character `legacy::clean` blanks.
fn mark_bytes(lc: &[u8], starts: &[usize], first: usize, flags: &mut [u32]) {
    let mut put = |offs: &mut dyn Iterator<Item = usize>| {
        let mut line = first;
        for off in offs {
            line = line_of(starts, line, off);
            if let Some(f) = flags.get_mut(line) {
                *f |= flag::UNCLEAN;
            }
        }
    };
    let base = starts.get(first).copied().unwrap_or(0);
    put(&mut memchr::memchr3_iter(b'\t', 0x07, 0x0c, lc).map(|o| o + base));
    put(&mut memchr::memchr_iter(b'\r', lc).map(|o| o + base));
}

/// The labels of lines `range` ([`flag`]), from one search of their
/// lower-cased text per phrase (the text holds no character that
/// lower-cases into ASCII). Phrases sharing words are found by the shared
/// part, then told apart by the bytes around it.
fn find_labels<S: AsRef<str>>(
    ls: &[S],
    lc: &str,
    starts: &[usize],
    range: std::ops::Range<usize>,
    flags: &mut [u32],
) {
    use flag::*;
    let (Some(&lo), Some(&hi)) = (starts.get(range.start), starts.get(range.end)) else {
        return;
    };
    let text = lc.as_bytes().get(lo..hi).unwrap_or_default();
    mark_bytes(text, starts, range.start, flags);
    let line = |i: usize| ls.get(i).map_or("", |l| l.as_ref());
    // Every occurrence of `phrase`: its line, where it starts and ends in
    // the text.
    let mut find = |phrase: &str, what: &mut dyn FnMut(usize, usize, usize) -> u32| {
        let mut i = range.start;
        for off in memmem::find_iter(text, phrase.as_bytes()) {
            let (at, end) = (lo + off, lo + off + phrase.len());
            i = line_of(starts, i, at);
            let bits = what(i, at, end);
            if let Some(f) = flags.get_mut(i) {
                *f |= bits;
            }
        }
    };
    let before = |at: usize, p: &str| {
        lc.as_bytes()
            .get(..at)
            .is_some_and(|b| b.ends_with(p.as_bytes()))
    };
    let after = |end: usize, p: &str| {
        lc.as_bytes()
            .get(end..)
            .is_some_and(|b| b.starts_with(p.as_bytes()))
    };
    // The phrase starts its line, less leading whitespace.
    let leads = |i: usize, at: usize| {
        let rel = at - starts.get(i).copied().unwrap_or(at);
        line(i)
            .get(..rel)
            .is_some_and(|h| h.trim_start().is_empty())
    };
    let bit = |yes: bool, b: u32| if yes { b } else { 0 };
    find("balance as at", &mut |_, at, _| {
        bit(before(at, "opening "), OPENING) | bit(before(at, "closing "), CLOSING)
    });
    find("issuer", &mut |_, at, end| {
        bit(
            before(at, "name of ") || before(at, "name of listed "),
            ISSUER,
        ) | bit(after(end, "s"), UNCLEAN)
    });
    find("section", &mut |i, at, end| {
        bit(
            (before(at, "notes to ") && after(end, " i")) || (after(end, " ii") && leads(i, at)),
            SECTION_END,
        )
    });
    find("purchase report", &mut |_, _, _| SECTION_END | PURCHASE);
    find("submitted", &mut |i, at, end| {
        bit(before(at, "date "), DATE_SUBMITTED) | bit(after(end, " by") && leads(i, at), SUBMITTED)
    });
    find("stock", &mut |_, _, _| STOCK);
    find("ff30", &mut |_, _, end| {
        bit(after(end, "5"), FF305) | bit(after(end, "4"), FF304)
    });
    find("description of securities", &mut |_, _, _| DESCRIPTION);
    find("page", &mut |_, _, _| UNCLEAN);
    if !text.is_ascii() {
        find("於下列日期開始時的結存", &mut |_, _, _| OPENING);
        find("於下列日期結束時的結存", &mut |_, _, _| CLOSING);
        find("購回報告", &mut |_, _, _| PURCHASE);
        find("呈交者", &mut |_, _, _| SUBMITTED);
        find("上市發行人名稱", &mut |_, _, _| ISSUER_ZH);
        find("股份代號", &mut |_, _, _| STOCK);
        find("呈交日期", &mut |_, _, _| DATE_SUBMITTED);
        find("適用於", &mut |_, _, _| UNCLEAN);
        // "I 部註釋" with its capital I.
        find("i 部註釋", &mut |i, at, _| {
            let rel = at - starts.get(i).copied().unwrap_or(at);
            bit(
                line(i)
                    .get(rel..)
                    .is_some_and(|r| r.starts_with("I 部註釋")),
                SECTION_END,
            )
        });
    }
}

/// The labels of a line the slow way, each line lower-cased the Unicode way,
/// for a text holding a character that lower-cases or case-folds into ASCII.
/// Every line may hold a stock code (the pattern decides).
fn slow_flags(l: &str) -> u32 {
    use flag::*;
    let lc = l.to_lowercase();
    let lead = lc.trim_start();
    let mut f = STOCK;
    let mut put = |yes: bool, bit: u32| {
        if yes {
            f |= bit;
        }
    };
    put(
        lc.contains("opening balance as at") || l.contains("於下列日期開始時的結存"),
        OPENING,
    );
    put(
        lc.contains("closing balance as at") || l.contains("於下列日期結束時的結存"),
        CLOSING,
    );
    put(
        lc.contains("notes to section i")
            || l.contains("I 部註釋")
            || lead.starts_with("section ii")
            || lc.contains("purchase report"),
        SECTION_END,
    );
    put(
        lc.contains("purchase report") || l.contains("購回報告"),
        PURCHASE,
    );
    put(
        lead.starts_with("submitted by") || l.contains("呈交者"),
        SUBMITTED,
    );
    put(lc.contains("description of securities"), DESCRIPTION);
    put(
        lc.contains("name of listed issuer") || lc.contains("name of issuer"),
        ISSUER,
    );
    put(l.contains("上市發行人名稱"), ISSUER_ZH);
    put(
        lc.contains("date submitted") || l.contains("呈交日期"),
        DATE_SUBMITTED,
    );
    put(lc.contains("ff305"), FF305);
    put(lc.contains("ff304"), FF304);
    f
}

/// The code may be written over the form's fill-in line ("_3600_______").
static STOCK_CODE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:stock\s*code(?:\s*\(if listed\))?|股份代號)\s*[:：]?\s*_*(\d{1,5})(?:\b|_)")
        .expect("static regex")
});

/// Issuer, stock code, date submitted and form generation, from the first
/// 150 lines.
fn header(f: &mut Filing, t: &Text) {
    let n = t.len().min(150);
    if (0..n).any(|i| t.is(i, flag::FF305)) {
        f.form = Form::Ff305;
    } else if f.form != Form::Ff305 && (0..n).any(|i| t.is(i, flag::FF304)) {
        f.form = Form::Ff304;
    }
    for i in 0..n {
        if f.issuer.is_some() || f.issuer_zh.is_some() {
            break;
        }
        if !t.is(i, flag::ISSUER | flag::ISSUER_ZH) {
            continue;
        }
        let l = t.line(i);
        let label = t.label_end(i, &["name of listed issuer", "name of issuer"]);
        if let Some(end) = label {
            if let Some((name, j)) = text_after(&t.ls, i, end) {
                let name = cut_before(&name, &["Stock code", "Date submitted", "Date Submitted"]);
                if !name.is_empty() {
                    f.issuer = Some(legacy::issuer_name(&name));
                    f.lines.insert("issuer".into(), j as u32 + 1);
                }
            }
        } else if let Some(p) = l.find("上市發行人名稱") {
            if let Some((name, j)) = text_after(&t.ls, i, p + "上市發行人名稱".len()) {
                let name = cut_before(&name, &["股份代號"]);
                if !name.is_empty() {
                    f.issuer_zh = Some(name);
                    f.lines.insert("issuer_zh".into(), j as u32 + 1);
                }
            }
        }
    }
    for i in 0..n {
        if !f.stock_codes.is_empty() {
            break;
        }
        if !t.is(i, flag::STOCK) {
            continue;
        }
        let l = t.line(i);
        let found = STOCK_CODE_RE
            .captures(l)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_string());
        // Raw extraction puts the code on the next line with text after its
        // label (a blank line may stand between them).
        let found = found.or_else(|| {
            let lab = l.trim().trim_end_matches([':', '：']).to_lowercase();
            if lab == "stock code" || lab == "股份代號" || lab == "stock code (if listed)" {
                t.ls.iter()
                    .skip(i + 1)
                    .take(2)
                    .map(|n| n.trim().trim_matches('_'))
                    .find(|n| !n.is_empty())
                    .map(str::to_string)
            } else {
                None
            }
        });
        if let Some(code) = found.as_deref().and_then(hk_code) {
            f.stock_codes.push(code);
            f.lines.insert("stock_codes".into(), i as u32 + 1);
        }
    }
    for i in 0..n {
        if f.date.is_some() {
            break;
        }
        if !t.is(i, flag::DATE_SUBMITTED) {
            continue;
        }
        let l = t.line(i);
        let end = t.label_end(i, &["date submitted"]);
        let end = end.or_else(|| l.find("呈交日期").map(|p| p + "呈交日期".len()));
        if let Some(end) = end {
            let rest = l.get(end..).unwrap_or("");
            let found = date_in(rest).map(|d| (d, i)).or_else(|| {
                t.ls.iter()
                    .enumerate()
                    .skip(i + 1)
                    .take(3)
                    .find_map(|(j, l)| date_in(l).map(|d| (d, j)))
            });
            if let Some((d, j)) = found {
                f.date = Some(d);
                f.lines.insert("date".into(), j as u32 + 1);
            }
        }
    }
    // The e-forms' "Status: New Submission" (the legacy form has no status).
    if matches!(f.form, Form::Ff304 | Form::Ff305) {
        for i in 0..n {
            let l = t.line(i);
            if !super::text::contains_ignore_case(l, "status") {
                continue;
            }
            // "Status:" alone on its line, its answer on the next line with text.
            let found = ff301::STATUS.find(l).map(|m| (m.as_str(), i)).or_else(|| {
                ff301::STATUS_LABEL.is_match(l).then_some(())?;
                let j = (i + 1..t.len().min(i + 4)).find(|&j| !t.line(j).trim().is_empty())?;
                ff301::STATUS_VALUE.find(t.line(j)).map(|m| (m.as_str(), j))
            });
            if let Some((answer, j)) = found {
                f.status = Some(ff301::status_of_answer(answer));
                f.lines.insert("status".into(), j as u32 + 1);
                break;
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

fn text_after(ls: &[Cow<str>], i: usize, end: usize) -> Option<(String, usize)> {
    let rest = ls.get(i)?.get(end..).unwrap_or("");
    let rest = rest.trim_start_matches([':', '：', ' ', '\t']).trim();
    if !rest.is_empty() {
        return Some((rest.to_string(), i));
    }
    ls.iter()
        .enumerate()
        .skip(i + 1)
        .take(5)
        .filter(|(_, l)| !l.trim().is_empty())
        .find(|(_, l)| !is_form_heading(l))
        .map(|(j, l)| (l.trim().to_string(), j))
}

/// The form's title and subtitle, which `pdftotext` raw may set between a
/// label and its value ("Name of listed issuer:" / "Next Day Disclosure
/// Return" / "(Equity issuer - ...)" / the issuer's name).
fn is_form_heading(l: &str) -> bool {
    let lc = l.trim().to_lowercase();
    lc.starts_with("next day disclosure return")
        || lc.starts_with("(equity issuer")
        || lc.starts_with("for main board")
        || lc.starts_with("for gem")
        || lc.starts_with("翌日披露報表")
}

fn cut_before(s: &str, labels: &[&str]) -> String {
    let mut out = s;
    for l in labels {
        if let Some(p) = out.find(l) {
            out = out.get(..p).unwrap_or(out);
        }
    }
    collapse_ws(out)
}

/// "Description of securities: Ordinary Share with par value HKD 0.10 per share".
fn description(t: &Text) -> Option<String> {
    for i in 0..t.len() {
        if !t.is(i, flag::DESCRIPTION) {
            continue;
        }
        if let Some(end) = t.label_end(i, &["description of securities"]) {
            return text_after(&t.ls, i, end)
                .map(|(t, _)| {
                    // Where the whole form is one line (pdfminer without layout
                    // analysis), the first section's heading follows on it.
                    let cut = ["I. Issues of shares", "A. Changes in issued"]
                        .iter()
                        .filter_map(|h| t.find(h))
                        .min()
                        .unwrap_or(t.len());
                    // A form filled in over its fill-in line: "... per share____".
                    t[..cut]
                        .split(|c: char| c.is_whitespace() || c == '_')
                        .filter(|w| !w.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .filter(|d| !d.is_empty());
        }
    }
    None
}

/// The value cells of a line as [`tokenize`] gives them, for the rows read
/// for their numbers and dates only (balances, purchase report): a line
/// without a digit holds no number, date or price, so it is not tokenized.
fn cells(l: &str, line: u32) -> Vec<Tok> {
    if has_digit(l) {
        tokenize(l, line)
    } else {
        Vec::new()
    }
}

/// The first date in a piece of text, as [`legacy::any_date`] finds it; a
/// text without an ASCII digit is no date in words nor a Chinese date.
fn date_in(s: &str) -> Option<String> {
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        // Neither a date in words nor a Chinese date parses without one.
        return None;
    }
    find_date(s).map(iso).or_else(|| legacy::zh_date(s))
}

/// A line that starts a new event in section I: the legacy form's "(Note 3)"
/// marker, FF304/FF305 numbering "1).", or the template row "Share
/// repurchases". Only a line whose first character can begin one of them
/// (a parenthesis, a digit, an S, 股) is matched against the pattern.
fn is_event_start(l: &str) -> bool {
    static EVENT_RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:\(\s*note\s*3\s*\)|\(\s*註\s*3\s*\)|\d{1,2}\s*\)\s*\.?\s|share repurchases\b|股份購回)").expect("static regex")
    });
    let Some(c) = l.trim_start().chars().next() else {
        return false;
    };
    (c == '(' || c.is_numeric() || matches!(c, 's' | 'S' | '\u{17F}' | '股'))
        && EVENT_RE.is_match(l)
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

/// What [`balance_block`] read of one class.
struct BlockRead {
    cls: ShareClass,
    moves: Vec<NdrMovement>,
    /// The index after the block.
    next: usize,
    /// Whether the block reports repurchased shares not yet cancelled.
    pending: bool,
    /// Whether the block ends at its closing label (not at the next opening
    /// label, the end of section I or the end of the text).
    closed: bool,
    /// Whether the cells stood in the rows of their labels: see
    /// [`rows_in_place`].
    sound: bool,
    /// The warnings of the balances that could not be read.
    findings: Vec<Finding>,
}

/// Lines `from..` that are not blank, at most `n` of them: the window in
/// which a balance label's cells are looked for. Extractors that put every
/// cell on a line of its own (PyMuPDF, mutool, pdfminer) leave blank lines
/// between them, so blank lines do not count.
fn window<'t>(t: &'t Text<'_>, from: usize, n: usize) -> impl Iterator<Item = usize> + 't {
    // Page furniture ("FF304", "Page 2 of 4 v1.2.5") holds no cell: its
    // digits are no count.
    (from..t.len())
        .filter(|&k| !t.line(k).trim().is_empty() && !is_page_furniture(t.line(k)))
        .take(n)
}

/// One class's opening balance, its events and its closing balance, from the
/// "Opening balance as at" line at `start`, read row by row: each label's
/// cells on its line and the lines after it.
fn balance_block(
    f: &Filing,
    t: &Text,
    start: usize,
    ordinary_key: &str,
    description: &Option<String>,
    nth: usize,
) -> BlockRead {
    let mut issued = Balance::default();
    // The first share count after each label: read, or refused as a piece
    // of a broken number (on the line given).
    let mut opening_cell: Option<Result<(), u32>> = None;
    let mut closing_cell: Option<Result<(), u32>> = None;
    let dated = dated_form(t);
    // Opening: the first share count and the first date after the label,
    // before the first event.
    let mut j = start;
    for k in window(t, start, 6) {
        j = k;
        if k > start && (t.is(k, flag::CLOSING) || is_event_start(t.line(k))) {
            break;
        }
        // FF304 and FF305 print the opening count on its label's line; a
        // line of words after it is the first event's label, printed above
        // its marker line (see [`event_blocks`]).
        if k > start && dated && opening_cell.is_some() && !has_digit(t.line(k)) {
            break;
        }
        let toks = cells(t.line(k), k as u32 + 1);
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
        j = k + 1;
    }
    // Events up to the closing balance.
    let close = (j..t.len()).find(|&k| t.is(k, flag::CLOSING | flag::OPENING | flag::SECTION_END));
    let events_end = close.unwrap_or(t.len());
    let mut blocks = event_blocks(t, j, events_end, dated);
    // Closing: the first share count and date from the closing label on.
    let mut next = events_end;
    let mut closing_line = 0;
    let mut stray_count = false;
    if let Some(c) = close.filter(|&c| t.is(c, flag::CLOSING)) {
        let mut k = c;
        for w in window(t, c, 5) {
            k = w;
            if w > c && (t.is(w, flag::OPENING | flag::SECTION_END) || is_event_start(t.line(w))) {
                break;
            }
            let toks = cells(t.line(w), w as u32 + 1);
            for (n, t) in toks.iter().enumerate() {
                match &t.kind {
                    TokKind::Int(_)
                        if closing_cell.is_some() && is_count(t) && t.line != closing_line =>
                    {
                        // A second count on a line of its own: another row's.
                        stray_count = true;
                    }
                    TokKind::Int(v) if closing_cell.is_none() && is_count(t) => {
                        closing_line = t.line;
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
            k = w + 1;
        }
        next = k;
        if let Some((h, end)) = part_b(t, c) {
            blocks.extend(event_blocks(t, h + 1, end, dated));
            next = next.max(end);
        }
    }
    let mut findings = Vec::new();
    for (field, cell) in [("opening", opening_cell), ("closing", closing_cell)] {
        if let Some(Err(line)) = cell {
            findings.push(
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
            findings.push(
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
    let class_key = class_key_of(ordinary_key, nth);
    let mut moves = Vec::new();
    let mut pending_any = false;
    let mut bare_amount = false;
    for b in &blocks {
        if let Some(m) = event(b, &class_key, issued.as_of.as_deref()) {
            pending_any |= m.pending;
            bare_amount |= m.description.is_none();
            moves.push(m);
        } else {
            pending_any |= block_says_pending(b);
            // Words with no count: the row's count stands elsewhere, unless
            // the row gives its count as 0 (FF305's unused "Other (please
            // specify)" row: "0 % 0", "Not applicable").
            let words = row_words(b);
            let zero_row = b.iter().any(|t| t.int() == Some(0));
            stray_count |= !words.is_empty() && !is_bare_row(&words) && !zero_row;
        }
    }
    let mut lines = Lines::new();
    lines.insert("opening".into(), start as u32 + 1);
    let cls = ShareClass {
        class_key: class_key.clone(),
        class: Some("Ordinary shares".to_string()),
        description: description.clone(),
        stock_code: f.stock_codes.first().cloned().filter(|_| nth == 0),
        // Without its stock code, whether the class is listed is not known.
        listed: (!f.stock_codes.is_empty()).then_some(true),
        issued: Some(issued),
        lines,
        ..Default::default()
    };
    let closed = close.is_some_and(|c| t.is(c, flag::CLOSING));
    let sound = rows_in_place(
        opening_cell.is_some(),
        closed,
        closing_cell.is_some(),
        bare_amount || stray_count,
    );
    BlockRead {
        cls,
        moves,
        next,
        pending: pending_any,
        closed,
        sound,
        findings,
    }
}

/// The events of section I on lines `from..end`, one block of tokens each:
/// a block opens at an event's marker ("(Note 3)", "1).") or at a second
/// share count on a line without one.
///
/// FF304 and FF305 end each event with its "Date of changes" line, and
/// pdfplumber and `pdftotext -layout` print a label of several lines
/// around its marker line, centred on it: "Repurchase of shares (or other
/// securities) but not" / "1). 1,740,000 % %" / "cancelled". Lines of words
/// only after an event's date line (or before the first marker) are held;
/// they open the next event when its marker line has no words of its own,
/// and otherwise close the event before them, as any other line does.
/// `dated_forms`: the return is an FF304 or FF305 ([`dated_form`]).
fn event_blocks(t: &Text, from: usize, end: usize, dated_forms: bool) -> Vec<Vec<Tok>> {
    let mut blocks: Vec<Vec<Tok>> = Vec::new();
    // Lines held for the next event, and whether the current event's date
    // line has been read.
    let mut held: Vec<Tok> = Vec::new();
    let mut dated = false;
    for k in from..end {
        let l = t.line(k);
        if is_table_header(l) || (dated_forms && is_page_furniture(l)) {
            continue;
        }
        let toks = tokenize(l, k as u32 + 1);
        let start = is_event_start(l);
        let words_only = !toks.is_empty() && toks.iter().all(|t| t.kind == TokKind::Text);
        if dated_forms && !start && (blocks.is_empty() || dated) && words_only {
            held.extend(toks);
            continue;
        }
        if start || blocks.is_empty() {
            if !held.is_empty() && start && !marker_has_words(l) {
                blocks.push(std::mem::take(&mut held));
            } else {
                match blocks.last_mut() {
                    Some(b) => b.append(&mut held),
                    None if !held.is_empty() => blocks.push(std::mem::take(&mut held)),
                    None => {}
                }
                blocks.push(Vec::new());
            }
            dated = false;
        }
        dated |= t.lc(k).trim_start().starts_with("date of change");
        // Two amounts in one block: a second event without its own marker.
        let has_amount = toks.iter().any(|t| t.int().is_some() && is_count(t));
        let block_has_amount = blocks
            .last()
            .is_some_and(|b| b.iter().any(|t| t.int().is_some() && is_count(t)));
        if has_amount && block_has_amount && !start {
            blocks.push(Vec::new());
        }
        if let Some(b) = blocks.last_mut() {
            b.extend(toks);
        }
    }
    match blocks.last_mut() {
        Some(b) => b.append(&mut held),
        None if !held.is_empty() => blocks.push(held),
        None => {}
    }
    blocks
}

/// FF305's part B, "Shares redeemed or repurchased for cancellation but
/// not yet cancelled as at the closing balance date", after the closing
/// balance at line `close`: its heading's line and the end of its rows (the
/// confirmation, the notes, section II or another class's opening balance).
fn part_b(t: &Text, close: usize) -> Option<(usize, usize)> {
    let stop = |k: usize| {
        t.is(
            k,
            flag::OPENING | flag::CLOSING | flag::SECTION_END | flag::PURCHASE,
        )
    };
    let h = window(t, close + 1, 3)
        .take_while(|&k| !stop(k))
        .find(|&k| {
            let lc = t.lc(k).trim_start();
            lc.starts_with("b.") && lc.contains("not yet cancelled")
        })?;
    let end = (h + 1..t.len())
        .find(|&k| {
            let lc = t.lc(k).trim_start();
            stop(k)
                || ["confirmation", "pursuant to", "we hereby", "c. "]
                    .iter()
                    .any(|p| lc.starts_with(p))
        })
        .unwrap_or(t.len());
    Some((h, end))
}

/// Whether the return is an FF304 or FF305 (each event ends with its "Date
/// of changes" line).
fn dated_form(t: &Text) -> bool {
    t.flags.iter().any(|f| f & (flag::FF304 | flag::FF305) != 0)
}

/// Whether a line holds a digit (a count, a date, a price).
fn has_digit(l: &str) -> bool {
    if l.is_ascii() {
        l.bytes().any(|b| b.is_ascii_digit())
    } else {
        l.chars().any(char::is_numeric)
    }
}

/// Whether an event's marker line holds words after its marker ("1).
/// Share options exercised 250,000"), not figures alone ("1). 1,740,000 %
/// %").
fn marker_has_words(l: &str) -> bool {
    let rest = l.trim_start();
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.trim_start().strip_prefix(')').unwrap_or(rest);
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    rest.split_whitespace()
        .any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
}

/// A block whose cells did not stand in their rows, read again column by
/// column ([`read_by_columns`]) over its zone: from its opening label to the
/// next opening label or the end of section I. When that reading does not
/// add up either, which count belongs to which row cannot be told: the
/// balances and events of the block are left unread, with a warning.
fn reread_by_columns(t: &Text, start: usize, b: &mut BlockRead) {
    let end = (start + 1..t.len())
        .find(|&k| t.is(k, flag::OPENING | flag::SECTION_END))
        .unwrap_or(t.len());
    let key = b.cls.class_key.clone();
    b.next = b.next.max(end);
    let zone: Vec<usize> = (start..end).collect();
    let read = read_by_columns(t, start, &zone, &key).or_else(|| {
        // pdfminer prints the label column whole, then the count column,
        // which may fall after the "Notes to Section I" heading: the
        // lines of counts alone right after it are the column's rest.
        let tail = counts_after_section_end(t, end)?;
        b.next = b.next.max(tail.last().map_or(end, |&k| k + 1));
        let zone: Vec<usize> = zone.iter().copied().chain(tail).collect();
        read_by_columns(t, start, &zone, &key)
    });
    match read {
        Some((issued, moves, pending, findings)) => {
            b.cls.issued = Some(issued);
            b.moves = moves;
            b.pending = pending;
            b.findings = findings;
            b.closed = true;
        }
        None => {
            if let Some(issued) = b.cls.issued.as_mut() {
                *issued = Balance::default();
            }
            b.moves.clear();
            // Whether section I reports shares repurchased but not yet
            // cancelled, wherever its words stand in the zone.
            let zone = (start..end)
                .map(|k| t.line(k))
                .collect::<Vec<_>>()
                .join(" ");
            let zone = collapse_ws(&zone);
            b.pending |= says_pending(&zone.to_lowercase()) || zone.contains("尚未註銷");
            b.findings = vec![Finding::new(
                Level::Warning,
                codes::UNREADABLE_VALUE,
                "section I's cells are not in the rows of their labels, and read column \
                 by column they do not agree with the form's arithmetic (opening + events \
                 = closing) and percentages: its balances and events are left unread",
            )
            .at(Some(start as u32 + 1))
            .class(Some(&key))];
        }
    }
}

/// The lines of share counts alone (or percentages, and blank lines
/// between them) right after the end of section I at `end`, when there are
/// any: a count column printed after its labels and the heading that
/// closes them.
fn counts_after_section_end(t: &Text, end: usize) -> Option<Vec<usize>> {
    if end >= t.len() || !t.is(end, flag::SECTION_END) || t.is(end, flag::PURCHASE) {
        return None;
    }
    let mut out = Vec::new();
    for k in end + 1..t.len() {
        let l = t.line(k);
        if l.trim().is_empty() {
            continue;
        }
        let toks = tokenize(l, k as u32 + 1);
        // Counts, and the events' percentages printed among them.
        let cell = |tok: &Tok| is_count(tok) || percentage(tok.text.trim()).is_some();
        if toks.is_empty() || !toks.iter().all(cell) {
            break;
        }
        out.push(k);
    }
    (!out.is_empty()).then_some(out)
}

/// The words of an event row, less its figures and note marker.
fn row_words(b: &[Tok]) -> String {
    let none = Tok {
        kind: TokKind::Nil,
        text: String::new(),
        line: 0,
        col: 0,
    };
    event_words(b, &none)
}

/// The words of the text tokens, in order.
fn items_text<'a, I: IntoIterator<Item = &'a Tok>>(toks: I) -> Vec<&'a str> {
    toks.into_iter()
        .filter(|t| t.kind == TokKind::Text)
        .flat_map(|t| t.text.split_whitespace())
        .collect()
}

/// The issue prices of `k` events of section I when `pdftotext` raw puts
/// the price columns after the closing balance: the issue prices, then the
/// market prices, each column top to bottom (`tail`, 2k amounts). Where the
/// return prints the discount or premium of each issue price to the market
/// price ("42.08% discount"), every event's pair of prices must give one of
/// them; without them only a single event's pair is certain.
fn tail_prices(words: &[&str], tail: &[&Tok], k: usize) -> Option<Vec<Tok>> {
    if k == 0 || tail.len() != 2 * k {
        return None;
    }
    let val = |t: &Tok| {
        t.decimal()
            .and_then(|d| d.replace(',', "").parse::<f64>().ok())
    };
    let discounts: Vec<(f64, f64)> = words
        .windows(2)
        .filter(|w| {
            let n = w[1].to_ascii_lowercase();
            n.starts_with("discount") || n.starts_with("premium")
        })
        .filter_map(|w| percentage(w[0]))
        .collect();
    let pairs_fit = (0..k).all(|i| {
        let (Some(p), Some(m)) = (val(tail[i]), val(tail[k + i])) else {
            return false;
        };
        let d = (m - p).abs() * 100.0 / m.max(f64::MIN_POSITIVE);
        discounts.iter().any(|&(v, unit)| (v - d).abs() <= unit)
    });
    if (discounts.is_empty() && k == 1) || (!discounts.is_empty() && pairs_fit) {
        Some(tail.iter().take(k).map(|t| (*t).clone()).collect())
    } else {
        None
    }
}

/// A percentage as printed ("0.87%", "23.57%"), with one unit of its last
/// decimal place (the printed figure is rounded).
fn percentage(w: &str) -> Option<(f64, f64)> {
    let num = w.strip_suffix('%')?;
    let v: f64 = num.parse().ok()?;
    let places = num.split_once('.').map_or(0, |(_, d)| d.len());
    Some((v, 10f64.powi(-(places as i32))))
}

/// The form's own "Share repurchases" row, printed whether or not the
/// issuer fills it in.
fn is_bare_row(words: &str) -> bool {
    words.eq_ignore_ascii_case("share repurchases") || words == "股份購回"
}

/// The key of the `nth` class of a return (0-based).
fn class_key_of(ordinary_key: &str, nth: usize) -> String {
    if nth == 0 {
        ordinary_key.to_string()
    } else {
        format!("{ordinary_key}-{}", nth + 1)
    }
}

/// Whether a block read row by row had its cells in the rows of their
/// labels. Extractors that follow the page's reading order (pdfminer,
/// `pdftotext` raw) put a row's cells after the labels of the rows below
/// it: the opening balance's count then stands after the first event's
/// words, a count with no words of its own is left over, an event's words
/// have no count, or the event's count stands under the closing label
/// before the closing count. A count found for each balance label, and
/// every event with both words and a count (`misplaced` false), mean the
/// rows held together; otherwise the block is read again column by column
/// ([`read_by_columns`]).
fn rows_in_place(opening: bool, closed: bool, closing: bool, misplaced: bool) -> bool {
    opening && (!closed || closing) && !misplaced
}

/// The header cells of the section I table ("No. of shares", "Issue price
/// per share (Notes 1 and 7)", "Closing market price per share of the
/// immediately preceding business day (Note 5)"...), one piece or several
/// on a line: reading-order extractors put them between the balance labels
/// and their cells. Such a line holds nothing but these phrases.
fn is_table_header(l: &str) -> bool {
    const PHRASES: &[&str] = &[
        "issued shares as a % of",
        "existing issued share",
        "capital before relevant",
        "share issue",
        "issue price per share",
        "closing market price",
        "per share of the",
        "immediately preceding",
        "business day",
        "% discount/",
        "premium of issue price",
        "to market price",
        "issues of shares",
        "no. of shares",
        "(notes 6 and 7)",
        "(notes 4, 6 and 7)",
        "(notes 1 and 7)",
        "(note 5)",
        "(note 7)",
    ];
    // The Chinese form's heads, compared with whitespace removed (extractors
    // space "(註 4、6 及 7)" differently); a head holding another ("已發行股份佔",
    // "發行股份") stands before it.
    const PHRASES_ZH: &[&str] = &[
        "已發行股份佔",
        "發行股份",
        "(註6及7)",
        "股份數目",
        "有關股份發行前的",
        "現有已發行股本百分比",
        "(註4、6及7)",
        "每股發行價",
        "(註1及7)",
        "上一個營業日的",
        "每股收市價",
        "(註5)",
        "發行價較市值的",
        "折讓/溢價幅度(百分比)",
        "(註7)",
    ];
    let trimmed = l.trim();
    if trimmed.is_empty() {
        return false;
    }
    if !trimmed.is_ascii() {
        let mut rest: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
        for p in PHRASES_ZH {
            if rest.contains(p) {
                rest = rest.replace(p, " ");
            }
        }
        return rest.chars().all(|c| c == ' ');
    }
    let mut rest = trimmed.to_ascii_lowercase();
    for p in PHRASES {
        if rest.contains(p) {
            rest = rest.replace(p, " ");
        }
    }
    rest.chars()
        .all(|c| c.is_whitespace() || c.is_ascii_punctuation())
}

/// One class's section I read column by column, for extractions that give
/// the cells in the page's reading order rather than row by row: the counts
/// of the "No. of shares" column come in the order of its rows (opening
/// balance, each event, closing balance) whatever stands between them. The
/// zone is the lines read, in order, from the opening label at `start`.
///
/// The counts are given to the rows in order: the first to the opening
/// balance, the last to the closing balance, the others to the events
/// (an event row holding no words, or the form's bare "Share repurchases"
/// row, may be empty; which ones are empty must be certain from the
/// numbers of rows and counts). The reading is kept only when the form's
/// arithmetic holds: opening + events (less repurchases not yet cancelled)
/// = closing; else None. An event's price is the first money amount
/// between its count and the next count, kept only when no money amount
/// stands between the opening count and the first event's count (where
/// it could only belong to a row read out of order).
fn read_by_columns(
    t: &Text,
    start: usize,
    zone: &[usize],
    class_key: &str,
) -> Option<(Balance, Vec<NdrMovement>, bool, Vec<Finding>)> {
    #[derive(PartialEq)]
    enum Item {
        Opening,
        Closing,
        Event,
        Tok(Tok),
    }
    let mut items: Vec<Item> = Vec::new();
    for &k in zone.iter().filter(|&&k| k < t.len()) {
        let l = t.line(k);
        if is_table_header(l) {
            continue;
        }
        if t.is(k, flag::OPENING) {
            items.push(Item::Opening);
        } else if t.is(k, flag::CLOSING) {
            items.push(Item::Closing);
        } else if is_event_start(l) {
            items.push(Item::Event);
        }
        let toks = tokenize(l, k as u32 + 1);
        for (n, tok) in toks.iter().enumerate() {
            if tok.int().is_some() && is_count(tok) && split_piece(&toks, n) {
                return None;
            }
        }
        items.extend(toks.into_iter().map(Item::Tok));
    }
    // The labels must stand in the form's order: one opening, the events,
    // one closing.
    let labels: Vec<&Item> = items
        .iter()
        .filter(|i| !matches!(i, Item::Tok(_)))
        .collect();
    if labels.first() != Some(&&Item::Opening)
        || labels.last() != Some(&&Item::Closing)
        || labels.iter().filter(|l| ***l == Item::Opening).count() != 1
        || labels.iter().filter(|l| ***l == Item::Closing).count() != 1
    {
        return None;
    }
    let closing_at = items.iter().position(|i| *i == Item::Closing)?;
    // Each event's words (its text tokens up to the next label).
    let mut events: Vec<Vec<Tok>> = Vec::new();
    let mut in_event = false;
    for it in &items {
        match it {
            Item::Event => {
                events.push(Vec::new());
                in_event = true;
            }
            Item::Opening | Item::Closing => in_event = false,
            Item::Tok(tok) => {
                // Words, dates, and the year of a date wrapped over two
                // lines ("on 10 December" / "2010"): not counts.
                let word = matches!(tok.kind, TokKind::Text | TokKind::Date(_))
                    || (tok.int().is_some() && !is_count(tok));
                if in_event && word {
                    if let Some(e) = events.last_mut() {
                        e.push(tok.clone());
                    }
                }
            }
        }
    }
    // Rows with words; the form's bare "Share repurchases" row may be empty.
    let described: Vec<(Vec<Tok>, bool)> = events
        .into_iter()
        .filter_map(|e| {
            let w = row_words(&e);
            (!w.is_empty()).then(|| (e, is_bare_row(&w)))
        })
        .collect();
    let counts: Vec<(usize, &Tok)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, it)| match it {
            Item::Tok(tok) if tok.int().is_some() && is_count(tok) => Some((i, tok)),
            _ => None,
        })
        .collect();
    let (&(_, open_tok), rest) = counts.split_first()?;
    let (&(close_pos, close_tok), middle) = rest.split_last()?;
    // The closing count stands after the closing label.
    if close_pos < closing_at {
        return None;
    }
    let bare = described.iter().filter(|(_, b)| *b).count();
    let filled: Vec<&Vec<Tok>> = if middle.len() == described.len() {
        described.iter().map(|(e, _)| e).collect()
    } else if middle.len() + bare == described.len() {
        described
            .iter()
            .filter(|(_, b)| !b)
            .map(|(e, _)| e)
            .collect()
    } else {
        return None;
    };
    // Dates: the first after each balance label.
    let date_after = |from: usize| {
        items.iter().skip(from).find_map(|i| match i {
            Item::Tok(tok) => match &tok.kind {
                TokKind::Date(d) => Some((d.clone(), tok.line)),
                _ => None,
            },
            Item::Opening => None,
            _ => None,
        })
    };
    let mut issued = Balance {
        opening: open_tok.int(),
        closing: close_tok.int(),
        ..Default::default()
    };
    issued.lines.insert("opening".into(), open_tok.line);
    issued.lines.insert("closing".into(), close_tok.line);
    let first_label_after_open = items
        .iter()
        .skip(1)
        .position(|i| matches!(i, Item::Event | Item::Closing))
        .map_or(items.len(), |p| p + 1);
    if let Some((d, line)) = items
        .get(..first_label_after_open)
        .unwrap_or_default()
        .iter()
        .find_map(|i| match i {
            Item::Tok(tok) => match &tok.kind {
                TokKind::Date(d) => Some((d.clone(), tok.line)),
                _ => None,
            },
            _ => None,
        })
    {
        issued.opening_as_of = Some(d);
        issued.lines.insert("opening_as_of".into(), line);
    }
    if let Some((d, line)) = date_after(closing_at) {
        issued.as_of = Some(d);
        issued.lines.insert("as_of".into(), line);
    }
    // The money amounts between each count and the next.
    let money_between = |a: usize, b: usize| -> Vec<&Tok> {
        items
            .get(a + 1..b)
            .unwrap_or_default()
            .iter()
            .filter_map(|i| match i {
                Item::Tok(tok) if matches!(tok.kind, TokKind::Money(..)) => Some(tok),
                _ => None,
            })
            .collect()
    };
    let positions: Vec<usize> = counts.iter().map(|(p, _)| *p).collect();
    let first_event_count = positions.get(1).copied().unwrap_or(close_pos);
    let tail = money_between(close_pos, items.len());
    // Money before the first event's count, or after the closing count,
    // belongs to a row read out of order: then no price is placed by rows.
    let in_rows = money_between(positions[0], first_event_count).is_empty() && tail.is_empty();
    let mut prices: Vec<Option<Tok>> = vec![None; middle.len()];
    if in_rows {
        for (n, (pos, _)) in middle.iter().enumerate() {
            let next_pos = positions.get(n + 2).copied().unwrap_or(close_pos);
            prices[n] = money_between(*pos, next_pos).first().map(|m| (*m).clone());
        }
    } else if money_between(0, close_pos).is_empty() {
        if let Some(tail_prices) = tail_prices(
            &items_text(items.iter().filter_map(|i| match i {
                Item::Tok(t) => Some(t),
                _ => None,
            })),
            &tail,
            middle.len(),
        ) {
            prices = tail_prices.into_iter().map(Some).collect();
        }
    }
    let any_money = items
        .iter()
        .any(|i| matches!(i, Item::Tok(tok) if matches!(tok.kind, TokKind::Money(..))));
    let unplaced = prices.iter().all(Option::is_none) && any_money && !middle.is_empty();
    let mut findings = Vec::new();
    let mut moves = Vec::new();
    for ((words, &(_, amount)), price) in filled.iter().zip(middle.iter()).zip(prices) {
        let mut b: Vec<Tok> = (*words).clone();
        b.push(amount.clone());
        b.extend(price);
        let m = event(&b, class_key, issued.as_of.as_deref())?;
        moves.push(m);
    }
    // Each event's percentage of the opening balance, where the return
    // prints them, tells an event's count from the opening balance's: the
    // arithmetic alone cannot (opening + event is event + opening).
    let pcts: Vec<(f64, f64)> = items
        .iter()
        .filter_map(|i| match i {
            Item::Tok(tok) if tok.kind == TokKind::Text => Some(tok.text.as_str()),
            _ => None,
        })
        .flat_map(str::split_whitespace)
        .filter_map(percentage)
        .collect();
    if !pcts.is_empty() {
        let opening = issued.opening? as f64;
        // Some events print no percentage (a cancellation): one event's
        // percentage matching is enough to tell the counts apart.
        let any_match = moves.iter().filter_map(|m| m.amount).any(|a| {
            let share = a.unsigned_abs() as f64 * 100.0 / opening.max(1.0);
            pcts.iter().any(|&(p, unit)| (p - share).abs() <= unit)
        });
        if !any_match && !moves.is_empty() {
            return None;
        }
    }
    // The form's arithmetic decides whether the reading stands.
    let moved: i64 = moves
        .iter()
        .filter(|m| !m.pending)
        .filter_map(|m| m.amount)
        .sum();
    if issued.opening?.checked_add(moved)? != issued.closing? {
        return None;
    }
    if unplaced {
        findings.push(
            Finding::new(
                Level::Warning,
                codes::UNREADABLE_VALUE,
                "section I is in reading order, not row by row: the issue prices \
                 could not be placed with their events and are left null",
            )
            .at(Some(start as u32 + 1))
            .class(Some(class_key)),
        );
    }
    let pending =
        moves.iter().any(|m| m.pending) || described.iter().any(|(e, _)| block_says_pending(e));
    Some((issued, moves, pending, findings))
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
    // How far apart two pieces may stand: one space or tab; two beside a
    // comma at the cut, a piece no number stands alone as (",656", the
    // space a mended ",381" left moved after its number: "3,223,381 \t,656").
    let gap = |a: &Tok, b: &Tok| {
        if a.text.ends_with(',') || b.text.starts_with(',') {
            2
        } else {
            1
        }
    };
    // The run of number-like tokens around the count, pieces near enough.
    let mut first = k;
    while first > 0 {
        let (p, t) = (&toks[first - 1], &toks[first]);
        if !numberish(p) || p.col + width(p) + gap(p, t) < t.col {
            break;
        }
        first -= 1;
    }
    let mut last = k;
    while let Some(n) = toks.get(last + 1) {
        let t = &toks[last];
        if !numberish(n) || n.col > t.col + width(t) + gap(t, n) {
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
    // The count glued to more of a number that is then no well-formed
    // number ("3,223,381" of "3,223,381,6", whose "56" stands apart): the
    // count is the front of a number cut further on.
    let own = toks.get(k).map_or("", |t| t.text.as_str());
    if pieces.get(at).is_some_and(|p| p != own && !well_formed(p)) {
        return true;
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
/// "-12", "0.25" (see [`super::values::signed_number_shape`]).
fn well_formed(s: &str) -> bool {
    super::values::signed_number_shape(s, false)
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
    let text = row_words(b).to_lowercase();
    says_pending(&text) || text.contains("尚未註銷")
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
    // The marker however it is spaced: "(Note 3)", "(註 3)", "(註3)".
    static NOTE_3: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\(\s*(?:note|註)\s*3\s*\)").expect("static regex"));
    NOTE_3
        .replace_all(&s, " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether an event's words (lower-cased) say its shares were repurchased
/// but not yet cancelled: "Share repurchases but not yet cancelled", FF304's
/// "Repurchase of shares (or other securities) but not cancelled".
fn says_pending(lc: &str) -> bool {
    lc.contains("not yet cancelled") || lc.contains("but not cancelled")
}

/// An event's label as the form prints it, from its words: less the FF304
/// and FF305 marker that pdfplumber and `pdftotext -layout` print inside a
/// label of several lines ("but not" / "1)." / "cancelled"), and less the
/// "Date of changes" line and its date, which end the event.
fn event_label(words: &str) -> String {
    let ws: Vec<&str> = words.split_whitespace().collect();
    let mut out: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let w = ws[i];
        let next = ws.get(i + 1).copied().unwrap_or("");
        if w.len() <= 2 && w.bytes().all(|b| b.is_ascii_digit()) && next.starts_with(')') {
            // "1 )." or "1 ). Placing": the marker, split by the tokenizer.
            let rest = next.trim_start_matches(')').trim_start_matches('.');
            if !rest.is_empty() {
                out.push(rest);
            }
            i += 2;
            continue;
        }
        if w.eq_ignore_ascii_case("date")
            && next.eq_ignore_ascii_case("of")
            && ws
                .get(i + 2)
                .is_some_and(|c| c.to_ascii_lowercase().starts_with("change"))
        {
            break;
        }
        out.push(w);
        i += 1;
    }
    out.join(" ")
}

/// One event of section I from its tokens.
fn event(b: &[Tok], class_key: &str, closing_date: Option<&str>) -> Option<NdrMovement> {
    let amount_tok = b.iter().find(|t| is_count(t))?;
    let raw_amount = amount_tok.int()?;
    let words = event_words(b, amount_tok);
    let lc = words.to_lowercase();
    let description = event_label(&words);
    let pending = says_pending(&lc)
        || says_pending(&description.to_lowercase())
        || description.contains("尚未註銷");
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
        if let Some(d) = lc_text.get(p..).and_then(date_in) {
            return Some(d);
        }
    }
    date_in(lc_text)
}

/// Section II A, the purchase report: one row per trading day and price,
/// "26/09/2011  116,000  On the Stock Exchange  HK$1.13  -  HK$131,080.00".
fn purchase_report(f: &mut Filing, t: &Text, class_key: &str, pending: bool) -> Vec<NdrMovement> {
    let Some(start) = (0..t.len()).find(|&i| t.is(i, flag::PURCHASE)) else {
        return Vec::new();
    };
    let end = (start + 1..t.len())
        .find(|&k| {
            let l = t.line(k).trim_start();
            // Lower-cased the Unicode way only when a letter other than
            // ASCII could stand first.
            let starts = |p: &str| {
                if l.is_ascii() {
                    l.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p))
                } else {
                    l.to_lowercase().starts_with(p)
                }
            };
            starts("total") || l.starts_with("總數") || l.starts_with("合共") || starts("b.")
        })
        .unwrap_or(t.len());
    let rows: Vec<Vec<Tok>> = (start + 1..end)
        .map(|k| cells(t.line(k), k as u32 + 1))
        .collect();
    // No line holds a trading date and a count: the report's cells are not
    // in rows but in reading order.
    let has_row = rows
        .iter()
        .any(|r| r.iter().any(|t| matches!(t.kind, TokKind::Date(_))) && r.iter().any(is_count));
    if !has_row {
        return purchase_report_by_columns(f, t, start, class_key, pending);
    }
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
        let Some(v) = amount_tok.int() else { continue };
        // The "Total" row's count, its label on the line after (pdfplumber
        // sets the label below the figures of a taller row): not a row.
        let sum: i64 = out.iter().filter_map(|m| m.amount).map(i64::abs).sum();
        if own_date.is_none()
            && k + 1 == end
            && is_total_label(t.line(end))
            && !out.is_empty()
            && v.abs() == sum
        {
            break;
        }
        let Some(date) = own_date.or_else(|| out.last().and_then(|m| m.date.clone())) else {
            continue;
        };
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
    // `pdftotext` raw prints the first row whole ("12/07/2011 76,000") and
    // the other columns after the counts: no price stands on a row's line,
    // but the money amounts are below. Those rows are read again column by
    // column, and that reading is kept when it gives the same counts with
    // their prices (confirmed by the totals paid).
    let priced = out.iter().any(|m| m.price.is_some());
    let money = rows
        .iter()
        .flatten()
        .any(|t| matches!(t.kind, TokKind::Money(..)));
    if !out.is_empty() && !priced && money {
        let kept = f.findings.len();
        let by_columns = purchase_report_by_columns(f, t, start, class_key, pending);
        f.findings.truncate(kept);
        let same = by_columns.len() == out.len()
            && by_columns
                .iter()
                .zip(&out)
                .all(|(a, b)| a.amount == b.amount);
        if same && by_columns.iter().all(|m| m.price.is_some()) {
            return by_columns;
        }
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

/// The purchase report's "Total" row label (not the "Total paid $" column
/// header), 合共 or 總數 in Chinese.
fn is_total_label(l: &str) -> bool {
    let mut words = l.split_whitespace();
    let first = words.next().unwrap_or("");
    (first.eq_ignore_ascii_case("total")
        && !words.next().is_some_and(|w| w.eq_ignore_ascii_case("paid")))
        || first.starts_with("合共")
        || first.starts_with("總數")
}

/// How a purchase report's cells are said as words: "On the Stock
/// Exchange", 於貴交易所...
fn purchase_method(l: &str) -> Option<String> {
    let w = collapse_ws(l);
    let lc = w.to_lowercase();
    let known = [
        "on the stock exchange",
        "on the exchange",
        "on another stock exchange",
        "by private arrangement",
        "by general offer",
    ];
    (known.iter().any(|k| lc.starts_with(k)) || w.starts_with("於貴交易所")).then_some(w)
}

/// Where a purchase report's columns begin above its heading at `start`:
/// the first of the short lines (cells and labels, none of the notes'
/// sentences) right above it, when they hold a trading date or a count.
fn columns_above(t: &Text, start: usize) -> Option<usize> {
    let mut first = None;
    let mut cells = false;
    for k in (start.saturating_sub(80)..start).rev() {
        let l = t.line(k).trim();
        if l.is_empty() {
            continue;
        }
        if l.chars().count() > 40 || t.is(k, flag::OPENING | flag::CLOSING | flag::SECTION_END) {
            break;
        }
        cells |= tokenize(l, k as u32 + 1)
            .iter()
            .any(|tok| is_count(tok) || matches!(tok.kind, TokKind::Date(_) | TokKind::Money(..)));
        first = Some(k);
    }
    first.filter(|_| cells)
}

/// A purchase report read column by column: extractors that follow the
/// page's reading order (pdfminer, PyMuPDF, mutool, `pdftotext` raw, pypdf)
/// give the trading dates, then the counts, the methods, the prices and the
/// totals paid, each column top to bottom, often with the "Total" label, or
/// section B's "1." and "2.", among the dates.
///
/// The rows are the counts up to the one that is their sum (the "Total"
/// row; the last such count, so that equal rows are not taken for a total).
/// Dates go to the rows in order when there is one per row; one date
/// printed once for many rows (a merged cell) goes to them all; else the
/// rows' dates are left null, with a warning. Prices are placed only when
/// the money amounts are the columns the form prints (highest price, maybe
/// lowest price, total paid, maybe the grand total) and every row's total
/// paid is its count at its prices; amounts that cannot be totals paid
/// (less than HK$0.001 a share) are prices on their own. Else the prices
/// are left null, with a warning.
fn purchase_report_by_columns(
    f: &mut Filing,
    t: &Text,
    start: usize,
    class_key: &str,
    pending: bool,
) -> Vec<NdrMovement> {
    let end = (start + 1..t.len())
        .find(|&k| t.is(k, flag::SUBMITTED | flag::OPENING))
        .unwrap_or(t.len());
    // pdfminer may print some columns (trading dates, counts, methods and
    // prices) above the report's heading: the columns are read from where
    // they begin above it.
    let from = columns_above(t, start).unwrap_or(start + 1);
    // Tokens in reading order, with whether a "Total" label stands before.
    let mut counts: Vec<(usize, Tok)> = Vec::new();
    let mut dates: Vec<(usize, Tok)> = Vec::new();
    let mut money: Vec<(usize, String, Option<&'static str>, u32)> = Vec::new();
    let mut methods: Vec<String> = Vec::new();
    let mut total_label_at: Option<usize> = None;
    let mut pos = 0usize;
    for k in from..end {
        if k == start {
            continue;
        }
        let l = t.line(k);
        if is_total_label(l) && total_label_at.is_none() {
            total_label_at = Some(pos);
        }
        if let Some(m) = purchase_method(l) {
            methods.push(m);
        }
        // Section B's answers ("(a) 6,404,000 shares") are not report cells.
        let answer = l.contains("(a)");
        let toks = tokenize(l, k as u32 + 1);
        let mut cur: Option<&'static str> = None;
        for tok in toks {
            pos += 1;
            match &tok.kind {
                TokKind::Int(_) if is_count(&tok) && !answer => counts.push((pos, tok)),
                TokKind::Date(_) => dates.push((pos, tok)),
                TokKind::Money(c, d) => money.push((pos, d.clone(), Some(c), tok.line)),
                TokKind::Dec(d) if cur.is_some() => money.push((pos, d.clone(), cur, tok.line)),
                TokKind::Text => {
                    cur = tok.text.split_whitespace().find_map(legacy::currency_word);
                    continue;
                }
                _ => {}
            }
            cur = None;
        }
    }
    let warn = |f: &mut Filing, msg: &str| {
        f.add_finding(
            Finding::new(Level::Warning, codes::UNREADABLE_VALUE, msg.to_string())
                .at(Some(start as u32 + 1))
                .class(Some(class_key)),
        );
    };
    // The rows: the counts before the last one that is their sum.
    let values: Vec<i64> = counts.iter().filter_map(|(_, t)| t.int()).collect();
    let mut sum = 0i64;
    let mut rows_n = None;
    for (k, v) in values.iter().enumerate() {
        if k > 0 && *v == sum {
            rows_n = Some(k);
        }
        sum = sum.saturating_add(*v);
    }
    // Without a "Total" row (FF304 and FF305 print none), every count is a
    // row when each has its date and the totals paid confirm the columns.
    let untotalled = || {
        let n = counts.len();
        let dated = dates.iter().filter(|(p, _)| *p < usize::MAX).count() == n;
        (dated && column_prices(&counts, &money).is_some()).then_some(n)
    };
    let n = match rows_n.or_else(untotalled) {
        Some(n) => n,
        None if values.is_empty() => return Vec::new(),
        None => {
            warn(
                f,
                "the purchase report is in reading order and its counts have no total \
                 that adds them up: its rows are left unread",
            );
            return Vec::new();
        }
    };
    let rows = &counts[..n];
    let total_pos = counts.get(n).map_or(usize::MAX, |(p, _)| *p);
    // The dates of the report: those before the "Total" label, or without
    // one before the total (section B's confirmation names the date of an
    // explanatory statement).
    let last_pos = total_label_at.unwrap_or(total_pos);
    let dates: Vec<&(usize, Tok)> = dates.iter().filter(|(p, _)| *p < last_pos).collect();
    let date_of = |d: &Tok| match &d.kind {
        TokKind::Date(s) => Some((s.clone(), d.line)),
        _ => None,
    };
    let row_dates: Vec<Option<(String, u32)>> = if dates.len() == n {
        dates.iter().map(|(_, d)| date_of(d)).collect()
    } else if !dates.is_empty()
        && dates.len() < n
        && dates.iter().all(|(_, d)| d.kind == dates[0].1.kind)
    {
        vec![date_of(&dates[0].1); n]
    } else if !dates.is_empty()
        && dates.len() < n
        && rows.first().is_some_and(|(p, _)| dates[0].0 < *p)
        && rows.iter().any(|(p, _)| dates.iter().any(|(q, _)| q > p))
    {
        // Rows in order, each cell a line of its own: a date printed once
        // for the rows under it.
        rows.iter()
            .map(|(p, _)| {
                dates
                    .iter()
                    .rev()
                    .find(|(q, _)| q < p)
                    .and_then(|(_, d)| date_of(d))
            })
            .collect()
    } else {
        warn(
            f,
            "the purchase report is in reading order and its trading dates cannot be \
             paired with its rows: the dates are left null",
        );
        vec![None; n]
    };
    let prices = column_prices(rows, &money);
    if prices.is_none() && !money.is_empty() {
        warn(
            f,
            "the purchase report is in reading order and its prices cannot be told \
             from its totals paid: the prices are left null",
        );
    }
    let method_of = |i: usize| -> Option<String> {
        if methods.len() == n {
            methods.get(i).cloned()
        } else if !methods.is_empty() && methods.iter().all(|m| *m == methods[0]) {
            methods.first().cloned()
        } else {
            None
        }
    };
    rows.iter()
        .enumerate()
        .map(|(i, (_, tok))| {
            let mut lines = Lines::new();
            lines.insert("amount".into(), tok.line);
            let date = row_dates.get(i).cloned().flatten();
            if let Some((_, line)) = &date {
                lines.insert("date".into(), *line);
            }
            let price = prices.as_ref().and_then(|p| p.get(i));
            NdrMovement {
                date: date.map(|(d, _)| d),
                kind: MovementKind::Repurchase,
                class_key: Some(class_key.to_string()),
                amount: tok.int().map(|v| -v.abs()),
                price: price.map(|(d, _)| d.clone()),
                currency: price.and_then(|(_, c)| *c).map(str::to_string),
                pending,
                description: method_of(i),
                lines,
            }
        })
        .collect()
}

/// The highest price of each row of a purchase report read column by
/// column ([`purchase_report_by_columns`]), from the money amounts in
/// reading order: `n` highest prices, maybe `n` lowest prices, `n` totals
/// paid, maybe the grand total. Only a reading whose totals paid are the
/// rows' counts at their prices is kept.
fn column_prices(
    rows: &[(usize, Tok)],
    money: &[(usize, String, Option<&'static str>, u32)],
) -> Option<Vec<(String, Option<&'static str>)>> {
    let n = rows.len();
    let counts: Vec<i64> = rows.iter().filter_map(|(_, t)| t.int()).collect();
    if n == 0 || counts.len() != n {
        return None;
    }
    let val = |s: &str| s.replace(',', "").parse::<f64>().ok();
    let m = money.len();
    let highest: Vec<(String, Option<&'static str>)> = money
        .iter()
        .take(n)
        .map(|(_, d, c, _)| (d.clone(), *c))
        .collect();
    let totals_at = |from: usize| -> Option<Vec<f64>> {
        money
            .get(from..from + n)?
            .iter()
            .map(|(_, d, _, _)| val(d))
            .collect()
    };
    // The grand total adds up the totals paid, or the counts at the
    // highest prices (when the issuer's slip is in a row's total).
    let grand_ok = |totals: &[f64], at: usize| {
        let at_prices: Option<f64> = (0..n)
            .map(|i| val(&highest[i].0).map(|p| p * counts[i].unsigned_abs() as f64))
            .sum();
        money
            .get(at)
            .and_then(|(_, d, _, _)| val(d))
            .is_some_and(|g| {
                let near = |x: f64| (x - g).abs() <= 0.01 * n as f64 + g * 0.0005;
                near(totals.iter().sum::<f64>()) || at_prices.is_some_and(near)
            })
    };
    // Every row's total paid is its count at its prices; of three rows or
    // more, one may be the issuer's own slip (HK$8,800.00 for 8,000 shares
    // at HK$1.11): the others settle which column is which.
    let row_fits = |i: usize, totals: &[f64], low: Option<&[f64]>| {
        let c = counts[i].unsigned_abs() as f64;
        let (Some(h), Some(tot)) = (val(&highest[i].0), totals.get(i)) else {
            return false;
        };
        match low {
            None => costs(counts[i], &highest[i].0, *tot),
            Some(l) => {
                let lo = l.get(i).copied().unwrap_or(0.0) * c;
                *tot >= lo - lo * 0.0005 - 0.01 && *tot <= h * c + h * c * 0.0005 + 0.01
            }
        }
    };
    let fits = |totals: &[f64], low: Option<&[f64]>| {
        let wrong = (0..n).filter(|&i| !row_fits(i, totals, low)).count();
        wrong == 0 || (n >= 3 && wrong == 1)
    };
    if m == 2 * n || m == 2 * n + 1 {
        let totals = totals_at(n)?;
        if fits(&totals, None) && (m == 2 * n || grand_ok(&totals, 2 * n)) {
            return Some(highest);
        }
    }
    if m == 3 * n || m == 3 * n + 1 {
        let low = totals_at(n)?;
        let totals = totals_at(2 * n)?;
        if fits(&totals, Some(&low)) && (m == 3 * n || grand_ok(&totals, 3 * n)) {
            return Some(highest);
        }
    }
    if m == n {
        // Amounts that cannot be totals paid: less than HK$0.001 a share.
        let prices = (0..n).all(|i| {
            val(&highest[i].0).is_some_and(|p| p < 0.001 * counts[i].unsigned_abs() as f64)
        });
        if prices {
            return Some(highest);
        }
    }
    None
}
