//! The legacy monthly return ("Monthly Return of Equity Issuer on Movements in
//! Securities", used until about 2021), in English and in its official
//! Traditional-Chinese version (股份發行人的證券變動月報表).
//!
//! The form is a fixed sequence of tables. Extraction tools render it very
//! differently (`pdftotext -layout` aligns cells with runs of spaces and wraps
//! labels over two lines; `pdftotext` raw puts cells on lines of their own;
//! pypdf glues words and page footers; Word `.doc` exports separate cells with
//! BEL characters), so the parser never relies on column positions: it finds a
//! row by its label and reads the value cells that follow it, in reading
//! order, on the label's line and on the lines after it that hold nothing but
//! values and the rest of a wrapped label.

use super::text::{
    collapse_ws, find_ignore_case, strip_prefix_ignore_case, trim_fast, trim_start_fast,
};
use super::values::{self, hk_code, iso, slug};
use crate::filings::model::*;
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

// ---------------------------------------------------------------------------
// Tokens: the cells of a line, told apart as values or text.
// ---------------------------------------------------------------------------

/// What a piece of a line is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokKind {
    /// A whole number as printed, sign applied ("(5,940,000)" is negative).
    Int(i64),
    /// A number with a decimal point ("0.10", "200,000,000.00"): money or a rate.
    Dec(String),
    /// A number with a currency glued or next to it ("HK$2.25", "HKD 0.65").
    Money(&'static str, String),
    /// A token meaning nothing: N/A, Nil, -, 不適用.
    Nil,
    /// A date, ISO.
    Date(String),
    /// A number the extraction damaged beyond repair ("00,000", "1,23"): it
    /// holds a cell's place but has no value.
    Bad,
    /// Anything else.
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tok {
    pub kind: TokKind,
    pub text: String,
    /// 1-based line in the file.
    pub line: u32,
    /// Column (in characters) where the token starts on its line.
    pub col: usize,
}

impl Tok {
    pub fn is_value(&self) -> bool {
        matches!(
            self.kind,
            TokKind::Int(_) | TokKind::Dec(_) | TokKind::Money(..) | TokKind::Nil | TokKind::Bad
        )
    }
    pub fn int(&self) -> Option<i64> {
        match self.kind {
            TokKind::Int(v) => Some(v),
            _ => None,
        }
    }
    /// The number as an exact decimal string (integers too).
    pub fn decimal(&self) -> Option<String> {
        match &self.kind {
            TokKind::Int(v) => Some(v.to_string()),
            TokKind::Dec(d) | TokKind::Money(_, d) => Some(d.clone()),
            _ => None,
        }
    }
}

static TOKEN_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        (?P<date>\(?\s*\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}\s*\)?)
        |(?P<tdate>\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{4})
        |(?P<zdate>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)
        |(?P<ptext>\([^()]*[a-z\p{Han}%][^()]*\))
        |(?P<money>(?:HK\$|US\$|HKD|USD|RMB|CNY|\$)\s?\(?\d[\d,]*(?:\.\d+)?\)?)
        |(?P<pnum>\(\s*\d[\d,]*(?:\.\d+)?\s*\))
        |(?P<num>-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?)
        |(?P<nil>\bN\s?/\s?A\b|\bnil\b|不適用|(?:^|\s)-{1,3}(?:\s|$))
        ",
    )
    .expect("static regex")
});

/// [`TOKEN_RE`] for ASCII lines: the same alternatives with ASCII classes
/// (`\d`, `\s`, `\b` and case folding agree on ASCII text), which the lazy
/// DFA runs much faster. The Chinese date cannot occur in an ASCII line.
static TOKEN_RE_ASCII: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi-u)
        (?P<date>\(?\s*\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}\s*\)?)
        |(?P<tdate>\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{4})
        |(?P<ptext>\([\x00-\x27\x2A-\x7F]*[a-z%][\x00-\x27\x2A-\x7F]*\))
        |(?P<money>(?:HK\$|US\$|HKD|USD|RMB|CNY|\$)\s?\(?\d[\d,]*(?:\.\d+)?\)?)
        |(?P<pnum>\(\s*\d[\d,]*(?:\.\d+)?\s*\))
        |(?P<num>-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?)
        |(?P<nil>\bN\s?/\s?A\b|\bnil\b|(?:^|\s)-{1,3}(?:\s|$))
        ",
    )
    .expect("static regex")
});

static ZH_DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日").expect("static regex")
});

/// A date written the Chinese way: "2011 年 2 月 1 日".
pub(crate) fn zh_day(s: &str) -> Option<chrono::NaiveDate> {
    let c = ZH_DATE_RE.captures(s)?;
    let y: i32 = c.get(1)?.as_str().parse().ok()?;
    let m: u32 = c.get(2)?.as_str().parse().ok()?;
    let d: u32 = c.get(3)?.as_str().parse().ok()?;
    chrono::NaiveDate::from_ymd_opt(y, m, d)
}

/// [`zh_day`] as an ISO date.
pub(crate) fn zh_date(s: &str) -> Option<String> {
    zh_day(s).map(iso)
}

/// Any date in a piece of text, in any of the forms the returns use.
pub(crate) fn any_date(s: &str) -> Option<String> {
    values::find_date(s).map(iso).or_else(|| zh_date(s))
}

/// An issuer's name with the submission date after it, the value row of the
/// header's "Name of Issuer | Date Submitted" labels printed as one line
/// ("Minth Group Limited 04/01/2019"; a web page's copy glues the date on:
/// `Limited ("HKEX")2 August 2018`). The name ends before the date with a
/// character that is no digit, so an amount never passes for a name.
static NAME_THEN_DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(.*[^\d\s/,])\s*(\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{2,4}|\d{1,2}\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s*\d{4})\s*$",
    )
    .expect("name-then-date pattern")
});

/// The text before the date and the ISO date of a "name, then date" value
/// row; None unless the date reads. The text is not yet known to be a name.
fn name_then_date(s: &str) -> Option<(&str, String)> {
    let c = NAME_THEN_DATE_RE.captures(s.trim())?;
    let name = c.get(1)?.as_str().trim();
    let date = values::find_date(&spaced_month(c.get(2)?.as_str())).map(iso)?;
    Some((name, date))
}

/// Whether a header value can be the issuer's name: a name, and not the
/// form's next heading ("I. Movements in Authorised Share Capital", taken
/// when the name was printed elsewhere).
fn could_be_name(s: &str) -> bool {
    let lc = s.trim_start().to_ascii_lowercase();
    let heading = ["i. ", "ii. ", "iii. ", "iv. ", "1. ordinary"]
        .iter()
        .any(|h| lc.starts_with(h));
    !heading && s.chars().filter(|c| c.is_alphabetic()).count() >= 2 && values::could_be_issuer(s)
}

/// A month's name glued to the year after it ("31 August2018", a web page's
/// copy) is parted from it.
fn spaced_month(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    match (1..b.len()).find(|&i| b[i].is_ascii_digit() && b[i - 1].is_ascii_alphabetic()) {
        Some(i) => Cow::Owned(format!("{} {}", &s[..i], &s[i..])),
        None => Cow::Borrowed(s),
    }
}

/// The period's date after its label on line `i`, as [`date_after_label`]
/// finds it, but not on a later line holding the submission's labels (the
/// date there is the submission's: a web page's copy prints the period's
/// elsewhere) or a time (a web page's timestamp, under a headline that
/// repeats the label: "... for the month ended 3..." over "04/01/2021 |
/// 05:23am EDT").
fn period_after_label(ls: &[String], i: usize, rest: &str) -> Option<(String, usize)> {
    date_after_label_where(ls, i, rest, |l| {
        find_ci(l, "date submitted").is_none()
            && find_ci(l, "name of issuer").is_none()
            && !TIME_RE.is_match(l)
    })
}

/// A time of day ("11:14am", "09:47 pm"), as a web page stamps its copy.
static TIME_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b\d{1,2}:\d{2}\s*(?:am|pm)\b").expect("static regex"));

/// A header field's date after its label on line `i`: in `rest` (the line
/// after the label), else on one of the next four lines; with its line.
fn date_after_label(ls: &[String], i: usize, rest: &str) -> Option<(String, usize)> {
    date_after_label_where(ls, i, rest, |_| true)
}

/// [`date_after_label`], looking only at the next lines that `keep` lets by.
fn date_after_label_where(
    ls: &[String],
    i: usize,
    rest: &str,
    keep: impl Fn(&str) -> bool,
) -> Option<(String, usize)> {
    any_date(rest).map(|d| (d, i)).or_else(|| {
        ls.iter()
            .enumerate()
            .skip(i + 1)
            .take(4)
            .filter(|(_, l)| keep(l))
            .find_map(|(j, l)| any_date(l).map(|d| (d, j)))
    })
}

/// Push the text between two value tokens, if any; whether it was pushed.
fn push_text(out: &mut Vec<Tok>, s: &str, line: u32, col: usize) -> bool {
    let t = trim_fast(s);
    if t.is_empty() {
        return false;
    }
    let lead = if s.is_ascii() {
        s.len() - trim_start_fast(s).len()
    } else {
        s.chars().take_while(|c| c.is_whitespace()).count()
    };
    out.push(Tok {
        kind: TokKind::Text,
        text: t.to_string(),
        line,
        col: col + lead,
    });
    true
}

/// Split a line into value and text tokens (the next day returns' reader:
/// damaged numbers are read as they stand).
pub(crate) fn tokenize(s: &str, line: u32) -> Vec<Tok> {
    tokenize_with(s, line, false)
}

/// Split a line of a monthly return into value and text tokens; a number
/// the extraction damaged beyond repair is [`TokKind::Bad`].
fn tokenize_strict(s: &str, line: u32) -> Vec<Tok> {
    tokenize_with(s, line, true)
}

fn tokenize_with(s: &str, line: u32, strict: bool) -> Vec<Tok> {
    let s = close_spaced_groups(s);
    let mut out = tokenize_cells_with(&s, line, strict);
    demote_label_numbers(&mut out);
    // `pdftotext` raw puts an entry's number on a line of its own ("1." over
    // "Rights issue" in section III(E) of the 2011 01149 returns): it numbers
    // the entry and is never a cell.
    if let [n, dot] = out.as_mut_slice() {
        if matches!(n.kind, TokKind::Int(0..=99)) && dot.kind == TokKind::Text && dot.text == "." {
            n.kind = TokKind::Text;
        }
    }
    out
}

/// Repair "a space before a thousands group": pypdf prints a number cut at
/// a text-run edge with a space before the comma ("HK$3 ,184,200.00"). The
/// group is put back against its digits and the spaces moved after the
/// number, so every later cell keeps its column.
fn close_spaced_groups(s: &str) -> Cow<'_, str> {
    if !s.contains(" ,") {
        return Cow::Borrowed(s);
    }
    let mut b = s.as_bytes().to_vec();
    let digit = |c: Option<&u8>| c.is_some_and(u8::is_ascii_digit);
    let mut changed = false;
    let mut i = 0;
    while i < b.len() {
        let gap = b[i + 1..].iter().take_while(|&&c| c == b' ').count();
        let j = i + 1 + gap;
        let group = gap > 0
            && b.get(j) == Some(&b',')
            && (1..=3).all(|k| digit(b.get(j + k)))
            && !digit(b.get(j + 4));
        if !(b[i].is_ascii_digit() && group) {
            i += 1;
            continue;
        }
        let end = j + b[j..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || **c == b',' || **c == b'.')
            .count();
        let number = b[j..end].to_vec();
        b[i + 1..i + 1 + number.len()].copy_from_slice(&number);
        b[i + 1 + number.len()..end].fill(b' ');
        changed = true;
        i += number.len();
    }
    if !changed {
        return Cow::Borrowed(s);
    }
    // Only ASCII bytes moved, among ASCII bytes: still UTF-8.
    String::from_utf8(b).map_or(Cow::Borrowed(s), Cow::Owned)
}

/// Split a line into value and text tokens, every number a value: the rows
/// of sections I and II have fixed labels that carry no numbers, so a small
/// number after the label is a cell (or the head of a number a tab cut:
/// `Balance at close of the month\t33\t2,014,759,553`).
fn tokenize_cells(s: &str, line: u32) -> Vec<Tok> {
    tokenize_cells_with(s, line, true)
}

fn tokenize_cells_with(s: &str, line: u32, strict: bool) -> Vec<Tok> {
    scan_tokens(s, line, strict, true)
}

/// The tokens of a line; `fast` lets ASCII lines be scanned without
/// capture groups (the same tokens: see the test comparing both).
fn scan_tokens(s: &str, line: u32, strict: bool, fast: bool) -> Vec<Tok> {
    if s.bytes().all(|b| b == b' ' || b == b'\t') {
        return Vec::new();
    }
    let mut out = Vec::new();
    // Byte range of each token, for marking damaged numbers.
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut last = 0;
    let ascii = s.is_ascii();
    let fast = fast && ascii;
    // Columns count characters; in an ASCII line a byte is a character.
    let col_of = |byte: usize| {
        if ascii {
            byte
        } else {
            s.get(..byte).map(|p| p.chars().count()).unwrap_or(0)
        }
    };
    let mut push = |out: &mut Vec<Tok>,
                    spans: &mut Vec<(usize, usize)>,
                    start: usize,
                    end: usize,
                    alt: Alt| {
        let m = s.get(start..end).unwrap_or("");
        if push_text(out, s.get(last..start).unwrap_or(""), line, col_of(last)) {
            spans.push((last, start));
        }
        last = end;
        let lead = m.len() - trim_start_fast(m).len();
        let col = col_of(start + lead);
        let text = trim_fast(m).to_string();
        let kind = token_kind(alt, &text);
        out.push(Tok {
            kind,
            text,
            line,
            col,
        });
        spans.push((start, end));
    };
    if fast {
        // The whole match is enough to tell which alternative made it (see
        // `ascii_alt`); finding is much cheaper than capturing.
        for m in TOKEN_RE_ASCII.find_iter(s) {
            push(
                &mut out,
                &mut spans,
                m.start(),
                m.end(),
                ascii_alt(m.as_str()),
            );
        }
    } else {
        for c in TOKEN_RE.captures_iter(s) {
            let Some(m) = c.get(0) else { continue };
            let alt = if c.name("date").is_some() || c.name("tdate").is_some() {
                Alt::Date
            } else if c.name("zdate").is_some() {
                Alt::ZDate
            } else if c.name("ptext").is_some() {
                Alt::PText
            } else if c.name("money").is_some() {
                Alt::Money
            } else if c.name("pnum").is_some() {
                Alt::PNum
            } else if c.name("num").is_some() {
                Alt::Num
            } else {
                Alt::Nil
            };
            push(&mut out, &mut spans, m.start(), m.end(), alt);
        }
    }
    if push_text(&mut out, s.get(last..).unwrap_or(""), line, col_of(last)) {
        spans.push((last, s.len()));
    }
    if strict {
        mark_damaged_numbers(s, &mut out, &spans);
    }
    out
}

/// The alternative of [`TOKEN_RE`] that made a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Alt {
    Date,
    ZDate,
    PText,
    Money,
    PNum,
    Num,
    Nil,
}

/// Which alternative of [`TOKEN_RE`] matched, told from the match of an
/// ASCII line alone: a date holds a slash and no letter ("31/01/2010") or
/// starts with a digit and names a month ("2 June 2010"); a parenthesis
/// holding a letter or % is text, one holding a slash a date, else a
/// number; a letter starts a currency (HK$, HKD, US$, USD, RMB, CNY) or a
/// nil (N/A, nil); dashes alone are nil; the rest are numbers.
fn ascii_alt(m: &str) -> Alt {
    let t = m.trim();
    let b = t.as_bytes();
    let has_letter = b.iter().any(u8::is_ascii_alphabetic);
    match b.first() {
        Some(b'(') if has_letter || b.contains(&b'%') => Alt::PText,
        Some(b'(') if b.contains(&b'/') => Alt::Date,
        Some(b'(') => Alt::PNum,
        Some(b'0'..=b'9') if b.contains(&b'/') || has_letter => Alt::Date,
        Some(b'0'..=b'9') => Alt::Num,
        Some(b'-') if b.iter().all(|&c| c == b'-') => Alt::Nil,
        Some(b'-') => Alt::Num,
        Some(b'n' | b'N') => Alt::Nil,
        Some(_) => Alt::Money,
        None => Alt::Nil,
    }
}

fn token_kind(alt: Alt, text: &str) -> TokKind {
    match alt {
        Alt::Date => match values::parse_date(text.trim_matches(|c| c == '(' || c == ')').trim())
            .or_else(|| values::find_date(text))
        {
            Some(d) => TokKind::Date(iso(d)),
            None => TokKind::Text,
        },
        Alt::ZDate => zh_date(text).map(TokKind::Date).unwrap_or(TokKind::Text),
        Alt::PText => TokKind::Text,
        Alt::Money => {
            // A bare "$" in a Hong Kong return is the Hong Kong dollar.
            let cur = values::currency_of(text).unwrap_or("HKD");
            let body = text.trim_start_matches(|c: char| !c.is_ascii_digit() && c != '(');
            match values::parse_decimal(body) {
                Some(d) => TokKind::Money(cur, d),
                None => TokKind::Text,
            }
        }
        Alt::PNum => {
            // "(1)" and "(2)" head the legacy form's two ordinary-share
            // columns; a negative figure is never printed that small.
            let inner = text.trim_matches(|c| c == '(' || c == ')').trim();
            if !inner.contains(',') && !inner.contains('.') && inner.len() == 1 {
                TokKind::Text
            } else {
                num_kind(text)
            }
        }
        Alt::Num => {
            if text.ends_with('%') {
                TokKind::Text
            } else {
                num_kind(text)
            }
        }
        Alt::Nil => TokKind::Nil,
    }
}

/// A number as the forms print it ("0", or digits without a leading zero):
/// see [`values::number_shape`].
pub(super) fn well_formed(n: &[u8]) -> bool {
    values::number_shape(n, false)
}

/// A code with its leading zeros ("01149", "0012"): not a damaged number.
fn code_like(n: &[u8]) -> bool {
    (4..=6).contains(&n.len()) && n.iter().all(u8::is_ascii_digit)
}

/// Byte ranges of the numeric runs of a line: digits with the commas and
/// points between them, less a trailing comma or full stop (punctuation); a
/// run may start with a comma cut from the digits before it (" ,000").
fn numeric_runs(b: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let starts = c.is_ascii_digit()
            || (c == b','
                && b.get(i + 1).is_some_and(u8::is_ascii_digit)
                && (i == 0 || !matches!(b[i - 1], b'0'..=b'9' | b'.' | b',')));
        if !starts {
            i += 1;
            continue;
        }
        let s = i;
        while i < b.len() && matches!(b[i], b'0'..=b'9' | b',' | b'.') {
            i += 1;
        }
        let mut e = i;
        while e > s && matches!(b[e - 1], b',' | b'.') {
            e -= 1;
        }
        if e > s {
            out.push((s, e));
        }
    }
    out
}

/// Whether a line may hold a number cut by a space or tab: a digit, one
/// space or tab, then a digit or comma.
fn may_hold_split_number(b: &[u8]) -> bool {
    b.windows(3).any(|w| {
        w[0].is_ascii_digit()
            && matches!(w[1], b' ' | b'\t')
            && (w[2].is_ascii_digit() || w[2] == b',')
    })
}

/// A number cut in two by a space or a tab (`900 000,000`, `1,25\t0,000`,
/// `3,525 ,335,981`): pieces one space or tab apart are joined when one of
/// them cannot be a number of the form on its own (a leading zero, a
/// thousands group of the wrong length, a comma at the cut) and their join
/// is one well-formed number. Two well-formed pieces (`31 7,000`) are left
/// apart: only the row's count of cells can tell them from two cells.
fn mend_split_numbers(line: &str) -> Option<String> {
    let b = line.as_bytes();
    if !may_hold_split_number(b) {
        return None;
    }
    let mut out: Vec<u8> = b.to_vec();
    let mut changed = false;
    // One join per round; a number cut twice needs two. The pieces of a
    // number cut twice may each be malformed ("9 00,0 00,000"): windows of
    // two, then three and four runs are tried.
    for _ in 0..4 {
        let runs = numeric_runs(&out);
        let mut join: Option<(usize, usize, bool)> = None;
        'len: for len in 2..=4usize {
            for w in runs.windows(len) {
                let chained = w
                    .windows(2)
                    .all(|p| p[1].0 == p[0].1 + 1 && matches!(out[p[0].1], b' ' | b'\t'));
                if !chained || w.iter().all(|&(rs, re)| well_formed(&out[rs..re])) {
                    continue;
                }
                let mut j = Vec::new();
                for &(rs, re) in w {
                    j.extend_from_slice(&out[rs..re]);
                }
                if well_formed(&j) {
                    join = Some((w[0].0, w[len - 1].1, false));
                    break 'len;
                }
                // A thousands comma read as a space: "900 000,000", whose
                // second piece cannot stand alone (a group with a leading
                // zero) and whose pieces make one number with the comma.
                if len == 2 {
                    let (a, c) = (&out[w[0].0..w[0].1], &out[w[1].0..w[1].1]);
                    let group_cut = out[w[0].1] == b' '
                        && c.first() == Some(&b'0')
                        && c.len() >= 3
                        && c[..3].iter().all(u8::is_ascii_digit)
                        && c.get(3).is_none_or(|&x| x == b',' || x == b'.');
                    let mut j = a.to_vec();
                    j.push(b',');
                    j.extend_from_slice(c);
                    if group_cut && well_formed(a) && well_formed(&j) {
                        join = Some((w[0].0, w[1].1, true));
                        break 'len;
                    }
                }
            }
        }
        let Some((js, je, comma)) = join else { break };
        if comma {
            if let Some(k) = (js..je).find(|&k| out[k] == b' ') {
                out[k] = b',';
            }
            changed = true;
            continue;
        }
        let mut k = js;
        let mut end = je;
        while k < end {
            if matches!(out[k], b' ' | b'\t') {
                out.remove(k);
                end -= 1;
            } else {
                k += 1;
            }
        }
        changed = true;
    }
    if changed {
        String::from_utf8(out).ok()
    } else {
        None
    }
}

/// Numbers that are no number of the form (`00,000`, `1,23`, `,000`) left
/// after mending: each becomes one [`TokKind::Bad`] token in place of the
/// pieces the tokenizer made of it, so that it holds its cell's place and
/// gives no value.
fn mark_damaged_numbers(s: &str, toks: &mut Vec<Tok>, spans: &[(usize, usize)]) {
    let b = s.as_bytes();
    let numeric = |k: &TokKind| matches!(k, TokKind::Int(_) | TokKind::Dec(_) | TokKind::Money(..));
    if !toks.iter().any(|t| numeric(&t.kind)) {
        return;
    }
    let runs = numeric_runs(b);
    let malformed: Vec<bool> = runs
        .iter()
        .map(|&(rs, re)| !well_formed(&b[rs..re]) && !code_like(&b[rs..re]))
        .collect();
    if !malformed.contains(&true) {
        return;
    }
    // Runs one space or tab from a malformed one may be pieces of it too:
    // none of them is read.
    let mut suspect = malformed.clone();
    for k in 1..runs.len() {
        let chained = runs[k].0 == runs[k - 1].1 + 1 && matches!(b[runs[k - 1].1], b' ' | b'\t');
        if chained && (malformed[k] || malformed[k - 1]) {
            suspect[k] = true;
            suspect[k - 1] = true;
        }
    }
    let run_at = |ts: usize, te: usize| {
        runs.iter()
            .enumerate()
            .find(|(k, &(rs, re))| suspect[*k] && ts < re && rs < te)
            .map(|(k, &r)| (k, r))
    };
    let all = std::mem::take(toks);
    let mut out: Vec<Tok> = Vec::with_capacity(all.len());
    let mut iter = all.into_iter().zip(spans.iter().copied()).peekable();
    while let Some((mut t, (ts, te))) = iter.next() {
        let Some((k, (rs, re))) = run_at(ts, te).filter(|_| numeric(&t.kind)) else {
            out.push(t);
            continue;
        };
        if !malformed[k] {
            t.kind = TokKind::Bad;
            out.push(t);
            continue;
        }
        // The pieces the tokenizer made of a malformed run ("00", ",", "0"
        // of "00,0"): one token.
        let line = t.line;
        let col = t.col;
        while let Some((n, (ns, ne))) = iter.peek() {
            let inside = *ns >= rs && *ne <= re.max(*ns);
            let piece = (numeric(&n.kind) || n.kind == TokKind::Text) && *ns < re && inside;
            if !piece {
                break;
            }
            iter.next();
        }
        out.push(Tok {
            kind: TokKind::Bad,
            text: s.get(rs..re).unwrap_or("").to_string(),
            line,
            col,
        });
    }
    *toks = out;
}

fn num_kind(text: &str) -> TokKind {
    if text.contains('.') {
        match values::parse_decimal(text) {
            Some(d) => TokKind::Dec(d),
            None => TokKind::Text,
        }
    } else {
        match values::parse_int(text) {
            Some(v) => TokKind::Int(v),
            None => TokKind::Text,
        }
    }
}

/// Small numbers that belong to a label, not a cell: "Tranche 1", "Note 1",
/// "Remark 2". Seen in the legacy convertibles table, where the description
/// "Convertible Notes Tranche 1" sits in the same row as the amounts. A
/// number is demoted when it has at most two digits, no comma, is not zero,
/// and directly follows a word of text. Zero is kept: pypdf writes
/// "during the month 0 0 0 0" with single spaces.
///
/// Chinese dates wrapped over two lines ("於 2010 年 6" / "月 2 日召開") leave
/// numbers followed by 年, 月 or 日: those are parts of a date, not cells.
fn demote_label_numbers(toks: &mut [Tok]) {
    for i in 0..toks.len().saturating_sub(1) {
        let next_is_date_word =
            toks[i + 1].kind == TokKind::Text && toks[i + 1].text.starts_with(['年', '月', '日']);
        if matches!(toks[i].kind, TokKind::Int(_)) && next_is_date_word {
            toks[i].kind = TokKind::Text;
        }
    }
    if toks
        .first()
        .is_some_and(|t| matches!(t.kind, TokKind::Int(_)) && !t.text.contains(','))
    {
        // "月 2 日": a day number at the start of a wrapped Chinese date.
        if toks
            .get(1)
            .is_some_and(|n| n.kind == TokKind::Text && n.text.starts_with('日'))
        {
            toks[0].kind = TokKind::Text;
        }
    }
    for i in 1..toks.len() {
        let small = matches!(toks[i].kind, TokKind::Int(v) if (1..100).contains(&v))
            && !toks[i].text.contains(',')
            && !toks[i].text.starts_with('(');
        let prev_word = toks[i - 1].kind == TokKind::Text
            && toks[i - 1]
                .text
                .chars()
                .last()
                .is_some_and(|c| c.is_alphabetic());
        if small && prev_word {
            toks[i].kind = TokKind::Text;
        }
        // "(12 months from the date of issue": a number opening a bracketed
        // phrase is part of the description, not a cell (a bracketed cell
        // is a whole number or date: "(1,000)", "(20/01/2011)").
        let opens_phrase = toks[i - 1].kind == TokKind::Text
            && toks[i - 1].text.ends_with('(')
            && toks.get(i + 1).is_some_and(|n| {
                n.kind == TokKind::Text && n.text.starts_with(|c: char| c.is_alphabetic())
            });
        if small && opens_phrase {
            toks[i].kind = TokKind::Text;
        }
        // "Convertible Notes due 2027", "Bonds maturing in 2025": a year
        // after such a word names the instrument; it is not an amount.
        let year = matches!(toks[i].kind, TokKind::Int(1900..=2099)) && !toks[i].text.contains(',');
        let names_a_year = toks[i - 1].kind == TokKind::Text
            && toks[i - 1].text.split_whitespace().last().is_some_and(|w| {
                ["due", "in", "of", "year", "maturing", "expiring"]
                    .contains(&w.to_lowercase().as_str())
            });
        if year && names_a_year {
            toks[i].kind = TokKind::Text;
        }
    }
}

/// Repair "row label wrapped": "Balance at close of" ends its line and the
/// label goes on at the next line with text: with "the month" (the closing
/// row), "preceding month" (the opening row), or, its tail lost, with the
/// change row's label.
fn wrapped_label_next(ls: &[String], i: usize, end: usize) -> Next {
    let next = ls
        .get(i + 1..end.min(ls.len()))
        .unwrap_or_default()
        .iter()
        .map(|l| words_lc(l))
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    if next.starts_with("the month") || next.starts_with("month") {
        Next::Closes
    } else if next.starts_with("during the month") || next.starts_with("increase") {
        Next::ChangeRow
    } else {
        Next::Other
    }
}

/// What follows a wrapped "Balance at close of" label.
enum Next {
    /// "the month": the closing row.
    Closes,
    /// The change row's label: the balance label's tail is lost.
    ChangeRow,
    /// Anything else ("preceding month", the row's cells): the opening row.
    Other,
}

/// A line that is only the tail of a wrapped row label ("preceding month",
/// "the month", "during the month"), with no cell of its own.
fn is_label_tail(l: &str) -> bool {
    matches!(
        words_lc(l).as_str(),
        "preceding month" | "the month" | "month" | "during the month"
    )
}

/// The tail of a wrapped closing label: a line starting "the month" whose
/// previous line with text ends with "balance at close of".
fn closing_label_tail(ls: &[String], i: usize, lc: &str) -> bool {
    lc.starts_with("the month")
        && ls
            .get(..i)
            .unwrap_or_default()
            .iter()
            .rev()
            .map(|l| words_lc(l))
            .find(|l| !l.is_empty())
            .is_some_and(|p| p.ends_with("balance at close of"))
}

fn words_lc(s: &str) -> String {
    words_lc_head(s, usize::MAX)
}

/// [`words_lc`] up to the first word that brings it to `n` bytes or more: a
/// prefix of it, and the whole of it when shorter than `n` bytes.
fn words_lc_head(s: &str, n: usize) -> String {
    let mut out = String::with_capacity(s.len().min(n.saturating_add(16)));
    for w in s.split_whitespace() {
        if out.len() >= n {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        if w.is_ascii() {
            out.extend(w.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            out.push_str(&w.to_lowercase());
        }
    }
    out
}

/// Whether `hay` holds `needle`, found from its byte at `rare`
/// ([`find_ignore_case`]).
fn holds_ci(hay: &str, needle: &str, rare: usize) -> bool {
    find_ignore_case(hay, needle, rare).is_some()
}

/// Where `needle` (ASCII, lower case) first occurs in `hay`, ASCII letters
/// compared without case; a byte offset into `hay`.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    find_ignore_case(hay, needle, 0)
}

// ---------------------------------------------------------------------------
// Cleaning: page headers, footers and page furniture that are not the form.
// ---------------------------------------------------------------------------

static PAGE_FURNITURE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)for main board and gem listed issuers|for main board listed issuers|for gem listed issuers|適用於主板及創業板上市發行人|適用於主板上市發行人|適用於創業板上市發行人|page\s*\d+\s*of\s*\d+",
    )
    .expect("static regex")
});

/// The page header "For Main Board and GEM listed issuers" repeats on every
/// page; pypdf glues it to the text before or after it
/// ("...of the monthFor Main Board and GEM listed issuers"). Removing it
/// wherever it stands keeps it out of labels and particulars.
///
/// Tab-separated extractions also damage numbers and labels; those lines are
/// mended here, once, so that every table reader sees whole numbers.
pub(crate) fn clean(lines: &[String]) -> Vec<String> {
    lines.iter().map(|l| clean_line(l)).collect()
}

fn clean_line(l: &str) -> String {
    let l: std::borrow::Cow<str> = if memchr::memchr3(0x07, b'\r', 0x0c, l.as_bytes()).is_some() {
        l.replace(['\u{7}', '\r', '\u{c}'], " ").into()
    } else {
        l.into()
    };
    // Every phrase of the page furniture holds "issuers", "page" or
    // 適用於: an ASCII line with neither needs no search.
    let furniture = !l.is_ascii() || holds_ci(&l, "issuers", 4) || holds_ci(&l, "page", 2);
    let l = if furniture {
        match PAGE_FURNITURE_RE.replace_all(&l, "  ") {
            std::borrow::Cow::Borrowed(_) => l,
            std::borrow::Cow::Owned(o) => o.into(),
        }
    } else {
        l
    };
    if l.contains('\t') {
        let l = super::text::mend_cut_labels(&l);
        mend_tab_numbers(&l)
    } else {
        l.into_owned()
    }
}

/// [`clean`], and numbers cut by a space or tab mended
/// ([`mend_split_numbers`]): the monthly return's lines.
fn clean_return(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            let l = clean_line(l);
            mend_split_numbers(&l).unwrap_or(l)
        })
        .collect()
}

/// A cell that is nothing but a piece of a number: digits, commas, a decimal
/// point, an opening parenthesis or sign and a dollar sign before, a closing
/// parenthesis after.
static NUM_PIECE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[(\-]?(?:HK\$|US\$|\$)?[\d,.]*\d[\d,.]*\)?$").expect("static regex")
});

/// A cell that is one number, in its sign, brackets or currency (see
/// [`values::signed_number_shape`]).
fn well_formed_cell(s: &str) -> bool {
    values::signed_number_shape(s, true)
}

/// A label with a cut-off number glued to its last letter.
static GLUED_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.*\p{L}[.:)]?)(\d[\d,]*)$").expect("static regex"));

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Two damages of tab-separated extraction, mended on the cells of a line:
///
/// - A label glued to a cut-off copy of the number in the next cell: seen in
///   the November 2023 SenseTime return as
///   `Balance at close of the month25,948,80\t\t25,948,809,928`. The copy is
///   dropped when its digits begin the digits of the cells that follow it;
///   read as a cell it would shift every value of the row.
/// - A tab inside a number, `1,992,000\t,000,000` and `3,525,018,\t981` in the
///   same return: two cells next to each other (one tab) are joined when one
///   of them cannot stand alone (a comma or point at the cut, or a thousands
///   group of the wrong length: `43,1\t75,000`) and together they make one
///   well-formed number. Two well-formed neighbours (`7,520,115,072\t0`)
///   stay apart.
fn mend_tab_numbers(line: &str) -> String {
    let mut cells: Vec<String> = line.split('\t').map(str::to_string).collect();
    // The glued copy first: joining pieces next to it would otherwise glue
    // the copy's trailing comma to the real number.
    for k in 0..cells.len() {
        // GLUED_RE's match ends in a digit or a comma and holds a letter:
        // most cells (a number alone, a label alone) skip its capturing
        // search, the slowest of the regex engine's.
        let cell = cells[k].trim_end();
        let may_glue = cell
            .chars()
            .next_back()
            .is_some_and(|c| c == ',' || c.is_numeric())
            && cell.chars().any(char::is_alphabetic);
        let Some(c) = may_glue.then(|| GLUED_RE.captures(cell)).flatten() else {
            continue;
        };
        let (Some(label), Some(frag)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let want = digits(frag.as_str());
        let mut follow = String::new();
        for next in cells.iter().skip(k + 1) {
            let t = next.trim();
            if t.is_empty() {
                continue;
            }
            if !NUM_PIECE_RE.is_match(t) || follow.len() >= want.len() {
                break;
            }
            follow.push_str(&digits(t));
        }
        if !want.is_empty() && follow.starts_with(&want) {
            let label = label.as_str().to_string();
            cells[k] = label;
        }
    }
    let mut out: Vec<String> = Vec::with_capacity(cells.len());
    for cell in cells {
        let t = cell.trim();
        if let Some(prev) = out.last_mut() {
            let p = prev.trim();
            let joinable = NUM_PIECE_RE.is_match(p) && NUM_PIECE_RE.is_match(t);
            if joinable {
                let cut_at_mark = p.ends_with([',', '.']) || t.starts_with([',', '.']);
                let lame = !well_formed_cell(p) || !well_formed_cell(t);
                let joined = format!("{p}{t}");
                if (cut_at_mark || lame) && well_formed_cell(&joined) {
                    *prev = joined;
                    continue;
                }
            }
        }
        out.push(cell);
    }
    out.join("\t")
}

// ---------------------------------------------------------------------------
// Reading rows.
// ---------------------------------------------------------------------------

/// Words that finish a label wrapped onto the next line ("Balance at close of"
/// / "preceding month", "Increase/ (decrease)" / "during the month"). Words
/// that start a row ("Balance", "Increase") are not among them: a line
/// holding them is the next row.
const CONTINUATION: &[&str] = &[
    "preceding",
    "month",
    "during",
    "the",
    "of",
    "close",
    "at",
    "/",
    "(",
    ")",
    "本月",
    "本月內",
];

fn is_continuation_text(t: &str) -> bool {
    let lc = t.to_lowercase();
    lc.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .all(|w| {
            CONTINUATION.contains(&w)
                || w.trim_matches(|c: char| !c.is_alphanumeric()).is_empty()
                || CONTINUATION.contains(&w.trim_matches(|c: char| !c.is_alphanumeric()))
        })
}

/// The values of a row whose label is on line `i`: the value tokens on that
/// line, then on following lines that hold only values and label
/// continuations (at most `max` values; blank lines are passed over; a line
/// with other text ends the row). Returns the values and the index of the
/// last line read; more values than `max` on one line are fitted by
/// [`fit_cells`], and a row that cannot be fitted comes back empty and
/// flagged, its values unknown.
fn row_values(ls: &[String], i: usize, max: usize) -> (Vec<Tok>, usize, bool) {
    let mut vals: Vec<Tok> = Vec::new();
    let mut last = i;
    if let Some(l) = ls.get(i) {
        vals.extend(
            tokenize_cells(l, i as u32 + 1)
                .into_iter()
                .filter(Tok::is_value),
        );
    }
    let mut j = i + 1;
    let mut blanks = 0;
    while vals.len() < max && j < ls.len() {
        let l = &ls[j];
        if l.trim().is_empty() {
            blanks += 1;
            if blanks > 4 {
                break;
            }
            j += 1;
            continue;
        }
        let toks = tokenize_cells(l, j as u32 + 1);
        if !cells_and_continuations(&toks) {
            break;
        }
        vals.extend(toks.into_iter().filter(Tok::is_value));
        last = j;
        // Blank lines between cells (a web page's copy parts every cell
        // from the next) count as a gap only in a run.
        blanks = 0;
        j += 1;
    }
    // A full row followed by a few more cells before the next label (one
    // cell a line, one of them printed twice): more cells than the form
    // has, which would slide a value into the next column. A whole row's
    // worth of cells after it is another row's (pdfminer and PyMuPDF print
    // labels before their cells), read by the stacked-label repairs.
    if vals.len() >= max && (1..max).contains(&cells_after(ls, last + 1)) {
        return (Vec::new(), last, true);
    }
    match fit_cells(vals, max) {
        Some(mut vals) => {
            mark_ambiguous_pairs(&mut vals);
            (vals, last, false)
        }
        None => (Vec::new(), last, true),
    }
}

/// The cells on the lines from `from` that hold nothing but cells and
/// label continuations (blank lines passed over), up to the next line with
/// other text.
/// Whether a line's tokens are all cells or a wrapped label's words
/// ("preceding month", "during the month"): a line a row's cells go on to.
fn cells_and_continuations(toks: &[Tok]) -> bool {
    toks.iter()
        .filter(|t| !t.is_value())
        .all(|t| t.kind == TokKind::Text && is_continuation_text(&t.text))
}

fn cells_after(ls: &[String], from: usize) -> usize {
    let mut n = 0;
    for l in ls.iter().skip(from) {
        if l.trim().is_empty() {
            continue;
        }
        let toks = tokenize_cells(l, 0);
        let here = toks.iter().filter(|t| t.is_value()).count();
        if !cells_and_continuations(&toks) || here == 0 {
            break;
        }
        n += here;
    }
    n
}

/// Whether the lines `start..end` are in reading order (`pdftotext` raw or
/// plain, pypdf): hardly a line with a tab or a run of spaces that places
/// cells in columns (one cut by a stray tab does not make a layout).
fn reading_order(ls: &[String], start: usize, end: usize) -> bool {
    columns_share(ls, start, end, false)
}

/// [`reading_order`] for sections III(B), (C) and (E), whose date cells,
/// empty "(   /   /       )" or filled "( 13 / 10 / 2009   )", are spaced
/// within themselves in PyMuPDF's, mutool's and pdfminer's text: they are
/// no sign of columns there.
fn reading_order_e(ls: &[String], start: usize, end: usize) -> bool {
    columns_share(ls, start, end, true)
}

fn columns_share(ls: &[String], start: usize, end: usize, skip_empty_dates: bool) -> bool {
    let (mut lines, mut columns) = (0usize, 0usize);
    for l in ls.iter().take(end).skip(start) {
        let t = trim_start_fast(l).trim_end();
        if t.is_empty() {
            continue;
        }
        lines += 1;
        let empty_date = || {
            skip_empty_dates
                && t.chars()
                    .all(|c| matches!(c, '(' | ')' | '/' | ' ' | '0'..='9'))
        };
        if l.contains('\t') || (has_four_spaces(l) && !empty_date()) {
            columns += 1;
        }
    }
    columns * 10 <= lines
}

/// `l.contains("    ")` without building a substring searcher for each line.
fn has_four_spaces(l: &str) -> bool {
    let b = l.as_bytes();
    memchr::memchr_iter(b' ', b).any(|i| b.get(i + 1..i + 4) == Some(b"   "))
}

/// Two values one space or tab apart that also read as one number when
/// joined (`31 7,000`, `12 5`) are either two cells or one number the
/// extraction cut: with no surplus cell to tell, neither is read.
fn mark_ambiguous_pairs(vals: &mut [Tok]) {
    for k in 1..vals.len() {
        let (a, b) = (&vals[k - 1], &vals[k]);
        if joined_cell(a, b).is_some() || joined_short(a, b) {
            vals[k - 1].kind = TokKind::Bad;
            vals[k].kind = TokKind::Bad;
        }
    }
}

/// Two bare digit groups one character apart whose join has at most three
/// digits (`12 5` for 125).
fn joined_short(a: &Tok, b: &Tok) -> bool {
    let adjacent = a.line == b.line && b.col == a.col + a.text.chars().count() + 1;
    let bare = |t: &Tok| !t.text.is_empty() && t.text.bytes().all(|c| c.is_ascii_digit());
    adjacent
        && bare(a)
        && bare(b)
        && a.text.len() + b.text.len() <= 3
        && well_formed(format!("{}{}", a.text, b.text).as_bytes())
}

/// A tab inside a number that leaves two well-formed pieces, a first group
/// standing alone (`31\t7,000` for 317,000), cannot be told from two cells
/// by the line alone: only the row's surplus cell tells it. A row with more
/// values than the form has cells is fitted by joining a pair of neighbours
/// one separator apart whose join is one well-formed number, when exactly one
/// such pair exists for each surplus cell; otherwise it cannot be read
/// (`None`): taking some of its values would shift others into wrong columns.
fn fit_cells(mut vals: Vec<Tok>, n: usize) -> Option<Vec<Tok>> {
    while vals.len() > n {
        let pairs: Vec<usize> = (0..vals.len().saturating_sub(1))
            .filter(|&k| joined_cell(&vals[k], &vals[k + 1]).is_some())
            .collect();
        let [k] = pairs.as_slice() else {
            return None;
        };
        let j = joined_cell(&vals[*k], &vals[*k + 1])?;
        vals.splice(*k..*k + 2, [j]);
    }
    Some(vals)
}

/// Two value tokens one character apart on a line, the first a bare group
/// of one to three digits, the second grouped by commas: the one number they
/// make together.
fn joined_cell(a: &Tok, b: &Tok) -> Option<Tok> {
    let adjacent = a.line == b.line && b.col == a.col + a.text.chars().count() + 1;
    let head = a.text.len() <= 3 && a.text.bytes().all(|c| c.is_ascii_digit());
    if !adjacent || !head || !b.text.contains(',') || b.int().is_none() {
        return None;
    }
    let text = format!("{}{}", a.text, b.text);
    if !well_formed_cell(&text) {
        return None;
    }
    let v = values::parse_int(&text)?;
    Some(Tok {
        kind: TokKind::Int(v),
        text,
        line: a.line,
        col: a.col,
    })
}

// ---------------------------------------------------------------------------
// The filing.
// ---------------------------------------------------------------------------

/// The four columns of the legacy form's share tables.
const COLUMNS: usize = 4;

#[derive(Default)]
struct Column {
    stock_code: Option<String>,
    /// Another exchange's code in the stock code cell: an H-share issuer's
    /// A shares in column (2) print their Shanghai or Shenzhen code ("600078").
    other_code: Option<String>,
    description: Option<String>,
    /// The column's "Stock code" label was found (its answer a code or N/A).
    code_asked: bool,
    currency: Option<String>,
    authorised: Authorised,
    has_authorised: bool,
    issued: Balance,
    issued_present: bool,
    lines: Lines,
}

/// Where each part of the form starts (indices into the lines).
#[derive(Default, Debug)]
struct Sections {
    authorised: Option<usize>,
    issued: Option<usize>,
    details: Option<usize>,
    options: Option<usize>,
    warrants: Option<usize>,
    convertibles: Option<usize>,
    other_issues: Option<usize>,
    other_movements: Option<usize>,
    totals: Option<usize>,
    remarks: Option<usize>,
    submitted: Option<usize>,
}

impl Sections {
    fn find(ls: &[String]) -> Sections {
        let mut s = Sections::default();
        for (i, l) in ls.iter().enumerate() {
            let t = trim_start_fast(l);
            // Every English heading starts with one of these letters; the
            // Chinese ones hold other characters.
            // An ASCII heading's lower-cased words open with one of these
            // pairs (a line's second character is one of its first word).
            const OPENINGS: [&[u8; 2]; 10] = [
                b"i.", b"ii", b"sh", b"wa", b"co", b"an", b"ot", b"to", b"re", b"su",
            ];
            if t.is_ascii()
                && !t.as_bytes().get(..2).is_some_and(|p| {
                    let p = [p[0].to_ascii_lowercase(), p[1].to_ascii_lowercase()];
                    OPENINGS.iter().any(|o| **o == p)
                })
            {
                continue;
            }
            // The headings' tests look at the lower-cased words' first 32
            // bytes, save two that look for words anywhere in the line.
            let lc = words_lc_head(t, 32);
            let full = || {
                if lc.len() < 32 {
                    lc.clone()
                } else {
                    words_lc(t)
                }
            };
            let set = |slot: &mut Option<usize>| {
                if slot.is_none() {
                    *slot = Some(i);
                }
            };
            if lc.starts_with("i. ") && (full().contains("authorised") || t.contains("法定股本"))
                || lc.starts_with("i.") && t.contains("法定股本變動")
            {
                set(&mut s.authorised);
            } else if (lc.starts_with("ii.") && !lc.starts_with("iii."))
                && (full().contains("issued share capital") || t.contains("已發行股本"))
            {
                set(&mut s.issued);
            } else if lc.starts_with("iii.") {
                set(&mut s.details);
            } else if s.details.is_some() && s.options.is_none() && lc.starts_with("share options")
                || t.starts_with("股份期權（")
                || t.starts_with("股份期權(")
            {
                set(&mut s.options);
            } else if lc.starts_with("warrants to issue")
                || t.starts_with("承諾發行將予上市的發行人股份的權證")
            {
                set(&mut s.warrants);
            } else if lc.starts_with("convertibles")
                || t.starts_with("可轉換股份")
                || t.starts_with("可換股")
            {
                set(&mut s.convertibles);
            } else if lc.starts_with("any other agreements") || t.starts_with("任何其他") {
                set(&mut s.other_issues);
            } else if lc.starts_with("other movements in issued")
                || t.starts_with("已發行股本的其他變動")
            {
                set(&mut s.other_movements);
            } else if lc.starts_with("total increase") || t.starts_with("普通股在本月") {
                set(&mut s.totals);
            } else if lc.starts_with("remarks") || t.starts_with("備註") {
                set(&mut s.remarks);
            } else if lc.starts_with("submitted by") || t.starts_with("呈交者") {
                set(&mut s.submitted);
            }
        }
        s
    }

    /// The end of the part starting at `start`: the next part's start.
    fn end_after(&self, start: usize, len: usize) -> usize {
        [
            self.authorised,
            self.issued,
            self.details,
            self.options,
            self.warrants,
            self.convertibles,
            self.other_issues,
            self.other_movements,
            self.totals,
            self.remarks,
            self.submitted,
        ]
        .into_iter()
        .flatten()
        .filter(|&x| x > start)
        .min()
        .unwrap_or(len)
    }
}

pub fn parse(f: &mut Filing, lines: &[String]) {
    let ls = clean_return(lines);
    header(f, &ls);
    let secs = Sections::find(&ls);
    let mut cols: Vec<Column> = (0..COLUMNS).map(|_| Column::default()).collect();
    if let Some(s) = secs.authorised {
        authorised(f, &ls, s, secs.end_after(s, ls.len()), &mut cols);
    }
    match secs.issued {
        Some(s) => issued(f, &ls, s, secs.end_after(s, ls.len()), &mut cols),
        None => f.add_finding(Finding::new(
            Level::Warning,
            codes::MISSING_FIELD,
            "section II (movements in issued share capital) was not found",
        )),
    }
    build_classes(f, cols);
    if let Some(s) = secs.authorised {
        authorised_total(f, &ls, s, secs.end_after(s, ls.len()));
    }
    if f.share_classes.is_empty() && secs.issued.is_some() {
        f.add_finding(Finding::new(
            Level::Warning,
            codes::MISSING_FIELD,
            "no share class could be read from sections I and II",
        ));
    }
    if f.stock_codes.is_empty() {
        if let Some(c) = f.share_classes.iter().find_map(|c| c.stock_code.clone()) {
            f.stock_codes.push(c);
        }
    }
    let ordinary_key = f
        .share_classes
        .first()
        .map(|c| c.class_key.clone())
        .unwrap_or_else(|| "ordinary-shares".to_string());
    let key_of = |name: &str, fallback: &str| {
        f.share_classes
            .iter()
            .find(|c| c.class.as_deref() == Some(name))
            .map_or_else(|| fallback.to_string(), |c| c.class_key.clone())
    };
    let ctx = Ctx {
        ordinary_key,
        preference_key: key_of("Preference shares", "preference-shares"),
        other_key: key_of("Other classes of shares", "other-classes-of-shares"),
    };
    if let Some(s) = secs.options {
        options(f, &ls, s, secs.end_after(s, ls.len()), &ctx);
    }
    if let Some(s) = secs.warrants {
        warrants(f, &ls, s, secs.end_after(s, ls.len()), &ctx);
    }
    if let Some(s) = secs.convertibles {
        convertibles(f, &ls, s, secs.end_after(s, ls.len()), &ctx);
    }
    if let Some(s) = secs.other_issues {
        other_issues(f, &ls, s, secs.end_after(s, ls.len()), &ctx);
    }
    if let Some(s) = secs.other_movements {
        other_movements(f, &ls, s, secs.end_after(s, ls.len()), &ctx);
    }
    funds_raised(f, &ls);
    if let Some(s) = secs.remarks {
        remarks(f, &ls, s, secs.end_after(s, ls.len()));
    }
    if let Some(s) = secs.submitted {
        signer(f, &ls, s);
    }
}

struct Ctx {
    ordinary_key: String,
    preference_key: String,
    other_key: String,
}

impl Ctx {
    /// The class a row's "class of shares issuable" words point at.
    fn class_for(&self, text: &str) -> String {
        let lc = text.to_lowercase();
        if lc.contains("preference") || text.contains("優先股") {
            self.preference_key.clone()
        } else if lc.contains("other class") || text.contains("其他類別") {
            self.other_key.clone()
        } else {
            self.ordinary_key.clone()
        }
    }
}

/// The text after a label on the same line, or on the next non-blank line
/// when the label stands alone (raw extraction puts values on lines of their
/// own). Returns the text and its line index.
fn value_after_label(ls: &[String], i: usize, label_end: usize) -> Option<(String, usize)> {
    let rest = ls.get(i)?.get(label_end..).unwrap_or("");
    let rest = rest.trim_start_matches([':', '：', ' ', '\t']).trim();
    if !rest.is_empty() {
        return Some((rest.to_string(), i));
    }
    ls.iter()
        .enumerate()
        .skip(i + 1)
        .take(4)
        .find(|(_, l)| !l.trim().is_empty())
        .map(|(j, l)| (l.trim().to_string(), j))
}

/// Find `label` (ASCII, case-insensitive) in a line; return the byte end of it.
fn find_label(line: &str, label: &str) -> Option<usize> {
    find_ci(line, label).map(|p| p + label.len())
}

fn header(f: &mut Filing, ls: &[String]) {
    for (i, l) in ls.iter().enumerate().take(120) {
        let ln = i as u32 + 1;
        if f.period.is_none() {
            let end = find_label(l, "for the month ended")
                .or_else(|| l.find("截至月份").map(|p| p + "截至月份".len()));
            if let Some(end) = end {
                // Skip the "(dd/mm/yyyy) :" hint that follows the label.
                let rest = l.get(end..).unwrap_or("");
                let rest = rest
                    .replace("(dd/mm/yyyy)", " ")
                    .replace("（日／月／年）", " ")
                    .replace("(日/月/年)", " ");
                let found = period_after_label(ls, i, &rest).or_else(|| {
                    // `pdftotext` raw prints the date cell before its
                    // label: a line that is nothing but a date.
                    // Only a date alone: a web page's copy puts its own
                    // timestamp above the form ("08/02/2018 | 11:14am CEST").
                    (i.saturating_sub(4)..i).rev().find_map(|j| {
                        let t = ls[j].trim();
                        values::parse_date(t)
                            .filter(|_| {
                                t.starts_with(|c: char| c.is_ascii_digit())
                                    && t.len() <= "30 September 2019".len()
                            })
                            .map(|d| (iso(d), j))
                    })
                });
                if let Some((d, j)) = found {
                    f.period = d.get(..7).map(str::to_string);
                    f.lines.insert("period".into(), j as u32 + 1);
                }
            }
        }
        if f.date.is_none() {
            let end = find_label(l, "date submitted")
                .or_else(|| l.find("呈交日期").map(|p| p + "呈交日期".len()));
            if let Some(end) = end {
                // The value follows its label: on a line holding the whole
                // form (pdfminer without layout), a date further on is
                // another field's.
                let rest: String = l
                    .get(end..)
                    .unwrap_or("")
                    .trim_start()
                    .chars()
                    .take(40)
                    .collect();
                let period_line = f.lines.get("period").copied();
                // The values' row glued after the labels' row: the date ends
                // the line, after the issuer's name, however long the name.
                let row = l.get(end..).and_then(name_then_date).map(|(_, d)| (d, i));
                let found = row.or_else(|| date_after_label(ls, i, &rest)).or_else(|| {
                    // pdfminer prints the Chinese header's values above
                    // their labels ("2011 年 2 月 1 日" over "公司名稱",
                    // "呈交日期"): a line that is nothing but a date, not
                    // the period's.
                    (i.saturating_sub(6)..i).rev().find_map(|j| {
                        let t = ls[j].trim();
                        let alone = t.starts_with(|c: char| c.is_ascii_digit())
                            && t.chars().count() <= 20
                            && period_line != Some(j as u32 + 1);
                        alone.then(|| any_date(t)).flatten().map(|d| (d, j))
                    })
                });
                if let Some((d, j)) = found {
                    f.date = Some(d);
                    f.lines.insert("date".into(), j as u32 + 1);
                }
            }
        }
        if f.issuer.is_none() && f.issuer_zh.is_none() {
            if let Some(end) = find_label(l, "name of issuer") {
                let found = value_after_label(ls, i, end).and_then(|(name, j)| {
                    let Some(after) = strip_prefix_ignore_case(&name, "date submitted") else {
                        return Some((name, j));
                    };
                    // The labels' row ("Name of Issuer Date Submitted"),
                    // with the values' row glued on or on the next line.
                    let after = after.trim_start_matches([':', ' ', '\t']).trim();
                    match name_then_date(after) {
                        Some((n, _)) => Some((n.to_string(), j)),
                        None if after.is_empty() || any_date(after).is_some() => {
                            stacked_issuer(ls, j)
                        }
                        None => Some((after.to_string(), j)),
                    }
                });
                if let Some((name, j)) = found {
                    // pypdf glues the next label onto the name.
                    let name = cut_at_label(&name, &["Date Submitted", "Date submitted"]);
                    if !name.to_ascii_lowercase().starts_with("date submitted")
                        && could_be_name(&name)
                    {
                        f.issuer = Some(issuer_name(&name));
                        f.lines.insert("issuer".into(), j as u32 + 1);
                    }
                }
            } else if let Some(p) = l.find("公司名稱") {
                let after = value_after_label(ls, i, p + "公司名稱".len())
                    .map(|(name, j)| (cut_at_label(&name, &["呈交日期"]), j))
                    .filter(|(name, _)| !name.is_empty() && !name.starts_with("呈交日期"));
                // pdfminer prints the name above its label, among the
                // header's other values: the company's name ends so.
                let before = || {
                    (i.saturating_sub(6)..i).rev().find_map(|j| {
                        let t = ls[j].trim();
                        (t.ends_with("公司") && !t.contains('：') && !t.contains(':'))
                            .then(|| (t.to_string(), j))
                    })
                };
                if let Some((name, j)) = after.or_else(before) {
                    f.issuer_zh = Some(name);
                    f.lines.insert("issuer_zh".into(), j as u32 + 1);
                }
            }
        }
        let _ = ln;
    }
    for key in ["period", "date", "issuer"] {
        let missing = match key {
            "period" => f.period.is_none(),
            "date" => f.date.is_none(),
            _ => f.issuer.is_none() && f.issuer_zh.is_none(),
        };
        if missing {
            f.add_finding(Finding::new(
                Level::Warning,
                codes::MISSING_FIELD,
                format!("the return's {key} was not found"),
            ));
        }
    }
}

/// pdfminer prints the header's labels one after the other ("Name of
/// Issuer", "Date Submitted") and then their values: the issuer's name is
/// the first line after the "Date Submitted" label (at `at`) that is not its
/// date.
fn stacked_issuer(ls: &[String], at: usize) -> Option<(String, usize)> {
    ls.iter()
        .enumerate()
        .skip(at + 1)
        .filter(|(_, l)| !l.trim().is_empty())
        .take(2)
        .find_map(|(j, l)| {
            if l.contains(':') {
                return None;
            }
            // The values' row: the name, then the date.
            if let Some((name, _)) = name_then_date(l) {
                return Some((name.to_string(), j));
            }
            any_date(l).is_none().then(|| (l.trim().to_string(), j))
        })
}

fn cut_at_label(s: &str, labels: &[&str]) -> String {
    let mut out = s;
    for l in labels {
        if let Some(p) = out.find(l) {
            out = out.get(..p).unwrap_or(out);
        }
    }
    collapse_ws(out)
}

/// The issuer's name less a trailing descriptive parenthetical
/// ("(incorporated in Bermuda with limited liability)"); parentheses that
/// belong to the name ("The Wharf (Holdings) Limited") stay.
pub(crate) fn issuer_name(s: &str) -> String {
    let s = s.trim().trim_matches('_').trim();
    let collapsed = collapse_ws(s);
    if collapsed.ends_with(')') {
        if let Some(p) = collapsed.rfind('(') {
            let inner = collapsed.get(p..).unwrap_or("").to_lowercase();
            if inner.contains("incorporated")
                || inner.contains("limited liability")
                || inner.contains("controlled")
            {
                return collapsed.get(..p).unwrap_or(&collapsed).trim().to_string();
            }
        }
    }
    collapsed
}

/// Section I's last line: "Total authorised share capital at the end of the
/// month (HK$) : $400,000,000.00" (the label names the currency, or says
/// "(State currency)"). The amount stands after the label, or alone on the
/// next line with text where the extraction reads in order. "N/A" (no
/// authorised capital) leaves the total null.
fn authorised_total(f: &mut Filing, ls: &[String], start: usize, end: usize) {
    let end = end.min(ls.len());
    let Some(i) =
        (start..end).find(|&i| find_ci(&ls[i], "total authorised share capital").is_some())
    else {
        return;
    };
    let l = &ls[i];
    let after_label = find_ci(l, "month")
        .map(|p| p + "month".len())
        .map_or("", |p| l.get(p..).unwrap_or(""));
    // The label's own "(HK$)" or "(State currency)", then its colon.
    let (label_cur, value) = match after_label.split_once(':') {
        Some((named, v)) => (
            values::currency_of(named.trim().trim_matches(['(', ')'])),
            v,
        ),
        None => (None, ""),
    };
    let amount = |text: &str| -> Option<(String, Option<&'static str>)> {
        let words: Vec<&str> = text.split_whitespace().collect();
        match words.as_slice() {
            [w] => Some((
                values::parse_decimal(w)?,
                values::currency_of(
                    w.trim_end_matches(|c: char| c.is_ascii_digit() || c == ',' || c == '.'),
                ),
            )),
            [c, w] => Some((values::parse_decimal(w)?, Some(values::currency_of(c)?))),
            _ => None,
        }
    };
    let next = (i + 1..end.min(i + 4)).find(|&j| !ls[j].trim().is_empty());
    let found = match amount(value) {
        Some(a) => Some((a, i)),
        None if value.trim().is_empty() => next.and_then(|j| amount(&ls[j]).map(|a| (a, j))),
        None => None,
    };
    let Some(((total, cur), at)) = found else {
        return;
    };
    // "$" alone names no currency: the classes' own, when they agree.
    let classes = || {
        let mut it = f
            .share_classes
            .iter()
            .filter_map(|c| c.authorised.as_ref()?.currency.clone());
        let first = it.next()?;
        it.all(|c| c == first).then_some(first)
    };
    f.authorised_total = Some(total);
    f.authorised_total_currency = cur.or(label_cur).map(str::to_string).or_else(classes);
    f.lines.insert("authorised_total".into(), at as u32 + 1);
}

/// Section I: per column, stock code, description, currency and authorised
/// shares (opening, change, closing, par value, capital).
fn authorised(f: &mut Filing, ls: &[String], start: usize, end: usize, cols: &mut [Column]) {
    static COL_RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:\((1|2)\)|([23])\.\s*(preference|other|優先股|其他))")
            .expect("static regex")
    });
    let mut col: Option<usize> = None;
    let mut rows: Vec<Vec<RowFound>> = (0..cols.len()).map(|_| Vec::new()).collect();
    let mut markers: Vec<(usize, usize)> = Vec::new();
    let mut i = start;
    while i < end.min(ls.len()) {
        let l = &ls[i];
        // A row label starts with "increase" or "balance" or holds "month"
        // (see below).
        let may_be_row = !l.is_ascii()
            || trim_start_fast(l)
                .bytes()
                .next()
                .is_some_and(|b| b"iIbB".contains(&b))
            || find_ci(l, "month").is_some();
        let lc = if may_be_row {
            words_lc(l)
        } else {
            String::new()
        };
        let may_mark_column = trim_start_fast(l).starts_with(['(', '2', '3']);
        if let Some(c) = may_mark_column.then(|| COL_RE.captures(l)).flatten() {
            col = match (c.get(1).map(|m| m.as_str()), c.get(2).map(|m| m.as_str())) {
                (Some("1"), _) => Some(0),
                (Some("2"), _) => Some(1),
                (_, Some("2")) => Some(2),
                (_, Some("3")) => Some(3),
                _ => col,
            };
            if let Some(ci) = col {
                markers.push((i, ci));
            }
        }
        let Some(ci) = col else {
            i += 1;
            continue;
        };
        let Some(c) = cols.get_mut(ci) else { break };
        // "(1) Stock code : 1149 Description : Ordinary Shares"
        if let Some(p) =
            find_label(l, "stock code").or_else(|| l.find("股份代號").map(|p| p + "股份代號".len()))
        {
            let cell = code_and_description(ls, i, p, end);
            c.code_asked = true;
            let code_tok = cell
                .code
                .split(|c: char| c.is_whitespace() || c == ':' || c == '：')
                .find(|w| !w.is_empty());
            match code_tok {
                Some(t) if t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()) => {
                    c.other_code = Some(t.to_string());
                    c.lines
                        .insert("other_code".into(), cell.code_line as u32 + 1);
                }
                Some(t) => {
                    if let Some(code) = hk_code(t) {
                        c.stock_code = Some(code);
                        c.lines
                            .insert("stock_code".into(), cell.code_line as u32 + 1);
                    }
                }
                None => {}
            }
            if let Some(d) = cell.description {
                let d = d.trim_start_matches([':', '：', ' ', '\t']).trim();
                if !d.is_empty() {
                    c.description = Some(collapse_ws(d));
                }
            }
        }
        // Currency headers: "(HK$)", "（港元)", "(State currency)".
        if c.currency.is_none() {
            if let Some(cur) = header_currency(l) {
                c.currency = Some(cur.to_string());
            }
        }
        // A label wrapped below its row's cells (a table drawn with pipes:
        // "Balance at close of | 10,000,000,000 | 0.01" over "preceding
        // month | |"): the tail names the row.
        let tail = ls
            .get(i + 1)
            .filter(|n| lc.starts_with("balance at close of") && is_label_tail(n))
            .map(|n| words_lc(n));
        if let Some(found) = may_be_row.then(|| rows_on_one_line(l, i, 3)).flatten() {
            rows[ci].extend(found);
            i += 1;
            continue;
        }
        let row = if lc.contains("preceding month") || l.contains("上月底結存") {
            Some(0)
        } else if lc.starts_with("increase") || trim_start_fast(l).starts_with("增加") {
            Some(1)
        } else if lc.contains("close of the month")
            || l.contains("本月底結存")
            || closing_label_tail(ls, i, &lc)
        {
            Some(2)
        } else {
            tail.as_ref()
                .map(|t| if t == "preceding month" { 0 } else { 2 })
        };
        if let Some(row) = row {
            let (vals, mut last, garbled) = row_values(ls, i, 3);
            if tail.is_some() {
                last = last.max(i + 1);
            }
            if garbled {
                f.add_finding(
                    Finding::new(
                        Level::Warning,
                        codes::UNREADABLE_VALUE,
                        "section I row: more cells than the form has; not read",
                    )
                    .at(Some(i as u32 + 1)),
                );
            }
            rows[ci].push((row, vals, i));
            i = last + 1;
            continue;
        }
        i += 1;
    }
    // A balance row read has its number of shares first.
    let any_row_read = rows
        .iter()
        .flatten()
        .any(|(_, v, _)| v.first().is_some_and(|t| t.int().is_some()));
    if !any_row_read {
        // Labels without cells: the cells stand elsewhere (raw reading order).
        raw_authorised(ls, start, end, &markers, cols);
        return;
    }
    for (ci, mut found) in rows.into_iter().enumerate() {
        let Some(c) = cols.get_mut(ci) else { break };
        change_cells_after_closing_label(ls, &mut found);
        let found = match in_form_order(found) {
            Ok(found) => found,
            Err(line) => {
                f.add_finding(
                    Finding::new(
                        Level::Warning,
                        codes::UNREADABLE_VALUE,
                        format!(
                            "section I column {}: rows repeated or out of the form's order; not read",
                            ci + 1
                        ),
                    )
                    .at(Some(line as u32 + 1)),
                );
                continue;
            }
        };
        for (row, vals, line) in &found {
            if vals.iter().any(|t| t.kind == TokKind::Bad) {
                damaged_number_finding(f, *line);
            }
            if let Some(t) = (*row != 1)
                .then(|| stray_small_count(vals, *line))
                .flatten()
            {
                f.add_finding(
                    Finding::new(
                        Level::Warning,
                        codes::UNREADABLE_VALUE,
                        format!(
                            "section I column {}: \"{}\", printed apart from its row, is no number of authorised shares; not read",
                            ci + 1,
                            t.text
                        ),
                    )
                    .at(Some(t.line)),
                );
                continue;
            }
            set_authorised_row(c, *row, vals);
        }
        // A nil change between balances that differ: the change row lost a
        // cell and the next slid into its place (its shares lost, "N/A"
        // read instead), or the form contradicts itself. Not read.
        let a = &mut c.authorised;
        if matches!((a.opening, a.change, a.closing), (Some(o), Some(0), Some(cl)) if o != cl)
            && a.raw.contains_key("change")
        {
            a.change = None;
        }
        if c.has_authorised {
            let a = &c.authorised;
            for (row, key) in ["opening", "change", "closing"].iter().enumerate() {
                let read = [a.opening, a.change, a.closing][row].is_some();
                let row_vals = found.iter().find(|(r, _, _)| *r == row);
                if let Some((_, vals, line)) = row_vals.filter(|(_, v, _)| !read && !v.is_empty()) {
                    f.add_finding(
                        Finding::new(
                            Level::Warning,
                            codes::UNREADABLE_VALUE,
                            format!(
                                "section I column {}: the authorised {key} could not be read",
                                ci + 1
                            ),
                        )
                        .at(vals
                            .first()
                            .map_or(Some(*line as u32 + 1), |t| Some(t.line))),
                    );
                }
                if row_vals.is_none() {
                    f.add_finding(Finding::new(
                        Level::Warning,
                        codes::MISSING_FIELD,
                        format!(
                            "section I column {}: the authorised {key} row was not found",
                            ci + 1
                        ),
                    ));
                }
            }
        }
    }
}

/// Section I in `pdftotext` raw reading order: the row labels stand apart
/// from their cells, which follow the column headers ("Balance at close of
/// preceding month" / "No. of ordinary shares" / ... / "4,000,000,000" /
/// "0.10" / "$400,000,000.00" / "N/A" ...), or are scattered among the next
/// column's labels. The cells still come in the form's order, and each
/// balance row proves itself: shares x par value = capital. Two such rows
/// in a row are the column's opening and closing balances; the cells
/// between them its change, read when opening + change = closing (or N/A
/// with equal balances). A column is the one whose block holds its opening
/// row. Used only when no row of section I could be read the usual way.
fn raw_authorised(
    ls: &[String],
    start: usize,
    end: usize,
    markers: &[(usize, usize)],
    cols: &mut [Column],
) {
    let seq: Vec<Tok> = (start..end.min(ls.len()))
        .flat_map(|i| tokenize_strict(&ls[i], i as u32 + 1))
        .filter(Tok::is_value)
        .collect();
    let balance = |k: usize| -> bool {
        let (Some(a), Some(b), Some(c)) = (seq.get(k), seq.get(k + 1), seq.get(k + 2)) else {
            return false;
        };
        let money = |t: &Tok| matches!(t.kind, TokKind::Dec(_) | TokKind::Money(..));
        match (a.int(), b.decimal(), c.decimal()) {
            (Some(n), Some(p), Some(cap)) if n > 0 && money(b) && money(c) => {
                shares_times_par_is(n, &p, &cap)
            }
            _ => false,
        }
    };
    let balances: Vec<usize> = (0..seq.len()).filter(|&k| balance(k)).collect();
    // Pairs of balance rows, opening then closing.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut k = 0;
    while k + 1 < balances.len() {
        let (o, c) = (balances[k], balances[k + 1]);
        if c < o + 3 {
            k += 1;
            continue;
        }
        pairs.push((o, c));
        k += 2;
    }
    // The columns that name a listed class (a stock code), else those with
    // a description, in the form's order: raw order may put a column's
    // cells among the next column's labels, so the cells go to the named
    // columns in turn.
    let mut order: Vec<usize> = Vec::new();
    for (_, ci) in markers {
        if !order.contains(ci) {
            order.push(*ci);
        }
    }
    let with = |p: &dyn Fn(&Column) -> bool| -> Vec<usize> {
        order
            .iter()
            .copied()
            .filter(|&ci| cols.get(ci).is_some_and(p))
            .collect()
    };
    let listed = with(&|c| c.stock_code.is_some());
    let named = if listed.is_empty() {
        with(&|c| c.description.is_some())
    } else {
        listed
    };
    if pairs.len() != named.len() {
        return;
    }
    for ((o, c), ci) in pairs.into_iter().zip(named) {
        let Some(col) = cols.get_mut(ci) else { break };
        let (open, close) = (seq[o].int(), seq[c].int());
        let between = &seq[o + 3..c];
        let a = &mut col.authorised;
        a.opening = open;
        a.closing = close;
        a.lines.insert("opening".into(), seq[o].line);
        a.lines.insert("closing".into(), seq[c].line);
        a.par_value = seq[c + 1].decimal();
        a.lines.insert("par_value".into(), seq[c + 1].line);
        a.capital = seq[c + 2].decimal();
        a.lines.insert("capital".into(), seq[c + 2].line);
        if let TokKind::Money(cur, _) = seq[c + 2].kind {
            a.currency.get_or_insert_with(|| cur.to_string());
        }
        let change = between.iter().find_map(Tok::int);
        match (open, close, change) {
            (Some(o), Some(c), Some(v)) if o + v == c => {
                a.change = Some(v);
            }
            (Some(o), Some(c), None) if o == c && !between.is_empty() => {
                a.change = Some(0);
                a.raw.insert("change".into(), between[0].text.clone());
            }
            _ => {}
        }
        if let Some(t) = between.first().filter(|_| a.change.is_some()) {
            a.lines.insert("change".into(), t.line);
        }
        col.has_authorised = true;
    }
}

/// Whether `shares` x `par` equals `capital`, all exact.
fn shares_times_par_is(shares: i64, par: &str, capital: &str) -> bool {
    fn scaled(d: &str) -> Option<(i128, u32)> {
        let (int, frac) = d.split_once('.').unwrap_or((d, ""));
        let digits = format!("{int}{frac}");
        Some((digits.parse().ok()?, u32::try_from(frac.len()).ok()?))
    }
    let (Some((p, ps)), Some((c, cs))) = (scaled(par), scaled(capital)) else {
        return false;
    };
    let lhs = (shares as i128)
        .checked_mul(p)
        .and_then(|x| x.checked_mul(10i128.checked_pow(cs)?));
    let rhs = c.checked_mul(10i128.pow(ps.min(30)));
    lhs.is_some() && lhs == rhs && p > 0
}

/// The rows of a table as found, (row, values, line): the form prints them
/// in order (preceding month, change, close of the month). A row printed
/// twice with the same values (a repeated line) counts once; a row repeated
/// with other values, or rows out of order (labels damaged), make the table
/// unreadable: which values belong to which row cannot be told. The error
/// is the line where the order broke.
type RowFound = (usize, Vec<Tok>, usize);

/// pdfminer prints section I's change label with no cells and, after the
/// closing label, the change row's cells ("不適用" three times) and then
/// the closing row's: the nil cells read as the closing row's are the
/// change row's when the row after them is a closing balance equal to the
/// opening one (nothing changed). Any other reading is left as it is.
fn change_cells_after_closing_label(ls: &[String], found: &mut [RowFound]) {
    let at = |row: usize| found.iter().position(|(r, _, _)| *r == row);
    let (Some(o), Some(ch), Some(cl)) = (at(0), at(1), at(2)) else {
        return;
    };
    let Some(opening) = found[o].1.first().and_then(Tok::int) else {
        return;
    };
    let nils = &found[cl].1;
    if !found[ch].1.is_empty() || nils.is_empty() || nils.iter().any(|t| t.kind != TokKind::Nil) {
        return;
    }
    // Token lines count from 1: the line after the last nil cell.
    let after = nils.iter().map(|t| t.line as usize).max().unwrap_or(0);
    let (closing, _, garbled) = row_values(ls, after, 3);
    if garbled || closing.first().and_then(Tok::int) != Some(opening) {
        return;
    }
    found[ch].1 = std::mem::replace(&mut found[cl].1, closing);
}

fn in_form_order(found: Vec<RowFound>) -> Result<Vec<RowFound>, usize> {
    let mut out: Vec<RowFound> = Vec::with_capacity(found.len());
    for r in found {
        if let Some(prev) = out.iter().find(|p| p.0 == r.0) {
            let same = prev.1.len() == r.1.len()
                && prev
                    .1
                    .iter()
                    .zip(&r.1)
                    .all(|(a, b)| a.kind == b.kind && a.text == b.text);
            if same {
                continue;
            }
            return Err(r.2);
        }
        if out.last().is_some_and(|p| p.0 > r.0) {
            return Err(r.2);
        }
        out.push(r);
    }
    Ok(out)
}

/// A number cut by the extraction that could not be mended: its cell is read
/// as null, and said so.
fn damaged_number_finding(f: &mut Filing, line: usize) {
    f.add_finding(
        Finding::new(
            Level::Warning,
            codes::UNREADABLE_VALUE,
            "a number damaged by the extraction (cut by a space or tab) could not be read",
        )
        .at(Some(line as u32 + 1)),
    );
}

/// The stock code and description cells of a section I column.
struct CodeCell {
    code: String,
    code_line: usize,
    description: Option<String>,
}

/// The next non-blank line after `i`, within four lines and before `end`.
fn next_filled(ls: &[String], i: usize, end: usize) -> Option<usize> {
    (i + 1..end.min(ls.len()).min(i + 5)).find(|&j| !ls[j].trim().is_empty())
}

/// Where a label's text ends on a line: "Description :" (or 說明), if the line
/// holds it.
fn description_label(l: &str) -> Option<usize> {
    find_label(l, "description").or_else(|| l.find("說明").map(|d| d + "說明".len()))
}

/// "(1) Stock code : 1149 Description : Ordinary Shares" on one line, or, in
/// `pdftotext` raw reading order, each label and each value on a line of its
/// own ("(1) Stock code :" / "12" / "Description :" / "Ordinary Shares").
/// `label_end` is where "stock code" ends on line `i`.
fn code_and_description(ls: &[String], i: usize, label_end: usize, end: usize) -> CodeCell {
    let l = ls.get(i).map(String::as_str).unwrap_or("");
    let rest = l.get(label_end..).unwrap_or("");
    // ASCII lower-casing keeps byte offsets.
    let found = match rest.to_ascii_lowercase().find("description") {
        Some(d) => Some((d, d + "description".len())),
        None => rest.find("說明").map(|d| (d, d + "說明".len())),
    };
    let (code, desc) = match found {
        Some((start, d)) => (
            rest.get(..start).unwrap_or("").to_string(),
            Some(rest.get(d..).unwrap_or("").to_string()),
        ),
        None => (rest.to_string(), None),
    };
    let mut cell = CodeCell {
        code,
        code_line: i,
        description: desc,
    };
    let bare = |s: &str| {
        s.trim_matches(|c: char| c == ':' || c == '：' || c.is_whitespace())
            .is_empty()
    };
    if !bare(&cell.code) || cell.description.is_some() {
        return cell;
    }
    // Raw reading order: the code on the next line, then the description label.
    let mut at = i;
    if let Some(k) = next_filled(ls, at, end) {
        let t = ls[k].trim();
        if description_label(t).is_none() && t.split_whitespace().count() <= 2 {
            cell.code = t.to_string();
            cell.code_line = k;
            at = k;
        }
    }
    let Some(m) = next_filled(ls, at, end) else {
        return cell;
    };
    let Some(d) = description_label(&ls[m]).filter(|_| {
        let lc = words_lc(&ls[m]);
        lc.starts_with("description") || trim_start_fast(&ls[m]).starts_with("說明")
    }) else {
        return cell;
    };
    let after = ls[m].get(d..).unwrap_or("");
    if !bare(after) {
        cell.description = Some(after.to_string());
        return cell;
    }
    // The description on a line of its own, unless the column has none and
    // the next line is already the table's header or a row.
    if let Some(n) = next_filled(ls, m, end) {
        let t = ls[n].trim();
        let lc = words_lc(t);
        let header = [
            "no.",
            "no ",
            "number",
            "par value",
            "balance",
            "increase",
            "authorised",
        ]
        .iter()
        .any(|h| lc.starts_with(h))
            || t.starts_with(['(', '（'])
            || t.chars().next().is_some_and(|c| c.is_ascii_digit())
            || t.contains("股份數目")
            || t.contains("面值")
            || tokenize_strict(t, 0).iter().any(Tok::is_value);
        if !header {
            cell.description = Some(t.to_string());
        }
    }
    cell
}

fn header_currency(l: &str) -> Option<&'static str> {
    if l.contains("港元") {
        return Some("HKD");
    }
    if l.contains("人民幣") {
        return Some("RMB");
    }
    static CUR_RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\(\s*(HK\$|US\$|HKD|USD|RMB|CNY)\s*\)").expect("static regex")
    });
    CUR_RE
        .captures(l)
        .and_then(|c| c.get(1))
        .and_then(|m| values::currency_of(m.as_str()))
}

/// Guard "a stray cell taken for a balance": a web page's copy of the form
/// prints a class's cells far from their rows, and the first number after a
/// balance row's label may be another field's (the class's stock code "189",
/// a year "2007", a note's "1"). A number of authorised shares is never a
/// bare one to four digits: such a first cell on a line below its label
/// (`label` the label's line index) is returned, to be left unread.
fn stray_small_count(vals: &[Tok], label: usize) -> Option<&Tok> {
    let t = vals.first()?;
    let small = matches!(t.kind, TokKind::Int(v) if (1..10_000).contains(&v));
    (small && !t.text.contains(',') && t.line != label as u32 + 1).then_some(t)
}

fn set_authorised_row(c: &mut Column, row: usize, vals: &[Tok]) {
    // Three cells: shares, par value, capital; the change row often prints
    // only two (shares and capital), the par value being unchanged.
    let (shares, par, capital) = match vals.len() {
        0 => (None, None, None),
        1 => (vals.first(), None, None),
        2 => (vals.first(), None, vals.get(1)),
        _ => (vals.first(), vals.get(1), vals.get(2)),
    };
    let a = &mut c.authorised;
    let key = ["opening", "change", "closing"][row.min(2)];
    if let Some(t) = shares {
        let v = match t.kind {
            TokKind::Int(v) => Some(v),
            TokKind::Nil if row == 1 => {
                a.raw.insert(key.into(), t.text.clone());
                Some(0)
            }
            _ => None,
        };
        if t.int().is_some() {
            c.has_authorised = true;
        }
        match row {
            0 => a.opening = v,
            1 => a.change = v,
            _ => a.closing = v,
        }
        a.lines.insert(key.into(), t.line);
    }
    if row != 1 {
        if let Some(p) = par.and_then(Tok::decimal) {
            a.par_value = Some(p);
            if let Some(t) = par {
                a.lines.insert("par_value".into(), t.line);
            }
        }
        if row == 2 {
            if let Some(t) = capital {
                if let Some(d) = t.decimal() {
                    a.capital = Some(d);
                    a.lines.insert("capital".into(), t.line);
                }
            }
        }
    }
    if a.currency.is_none() {
        if let Some(TokKind::Money(cur, _)) = capital.map(|t| &t.kind) {
            a.currency = Some(cur.to_string());
        }
    }
}

/// Section II: one table, four columns, three rows.
fn issued(f: &mut Filing, ls: &[String], start: usize, end: usize, cols: &mut [Column]) {
    let mut i = start + 1;
    let mut found: Vec<RowFound> = Vec::new();
    while i < end.min(ls.len()) {
        let zh = trim_start_fast(&ls[i]);
        // A row label starts with "balance", "increase" or "during", or
        // holds "month"; the Chinese ones hold other characters.
        let may_be_row = !zh.is_ascii()
            || zh.bytes().next().is_some_and(|b| b"bidBID".contains(&b))
            || find_ci(zh, "month").is_some();
        if !may_be_row {
            i += 1;
            continue;
        }
        if let Some(rows) = rows_on_one_line(&ls[i], i, COLUMNS) {
            found.extend(rows);
            i += 1;
            continue;
        }
        let lc = words_lc(&ls[i]);
        let row = if lc.contains("preceding month") || zh.starts_with("上月底結存") {
            Some(0)
        } else if lc.starts_with("balance at close of the")
            || lc.contains("close of the month")
            || zh.starts_with("本月底結存")
        {
            Some(2)
        } else if lc.starts_with("balance at close of") {
            // The label wrapped: "Balance at close of" / "preceding month"
            // opens the table, "Balance at close of" / "the month" closes it.
            // Followed by the change row's label, its tail is lost: which
            // balance it was cannot be told, and the change row's cells are
            // no balance.
            match wrapped_label_next(ls, i, end) {
                Next::Closes => Some(2),
                Next::ChangeRow => None,
                Next::Other => Some(0),
            }
        } else if lc.starts_with("increase")
            && !lc.contains("month")
            && !lc.contains("during")
            && !lc.bytes().any(|b| b.is_ascii_digit())
        {
            // The change label wrapped, its cells below ("Increase/
            // (decrease)" / "during the month ..."): followed by a closing
            // label's tail ("month ..."), its own tail and the closing's
            // first line are lost, and the cells after it are the closing's,
            // no change.
            match wrapped_label_next(ls, i, end) {
                Next::Closes => None,
                Next::ChangeRow | Next::Other => Some(1),
            }
        } else if lc.starts_with("increase")
            || lc.starts_with("during the month")
            || zh.starts_with("本月增加")
            || zh.starts_with("增加")
        {
            Some(1)
        } else {
            None
        };
        let Some(row) = row else {
            i += 1;
            continue;
        };
        let (vals, last, garbled) = row_values(ls, i, COLUMNS);
        let key = ["opening", "change", "closing"][row];
        if garbled {
            f.add_finding(
                Finding::new(
                    Level::Warning,
                    codes::UNREADABLE_VALUE,
                    format!("section II {key} row: more cells than the form has; not read"),
                )
                .at(Some(i as u32 + 1)),
            );
        }
        found.push((row, vals, i));
        i = last + 1;
        // A label wrapped below its row's cells (a table drawn with pipes:
        // "Balance at close of | 4,120,500,000 | N/A" over "preceding month
        // | |"): the tail, with no cell of its own, is no row.
        if ls.get(i).is_some_and(|l| is_label_tail(l)) {
            i += 1;
        }
    }
    let found = match in_form_order(found) {
        Ok(found) => found,
        Err(line) => {
            f.add_finding(
                Finding::new(
                    Level::Warning,
                    codes::UNREADABLE_VALUE,
                    "section II: rows repeated or out of the form's order; not read",
                )
                .at(Some(line as u32 + 1)),
            );
            return;
        }
    };
    let (mut found, mut placed) = stacked_opening(f, found);
    placed.extend(change_cell_after_closing_label(&mut found));
    for (row, vals, line) in found {
        let key = ["opening", "change", "closing"][row];
        if vals.iter().any(|t| t.kind == TokKind::Bad) {
            damaged_number_finding(f, line);
        }
        if vals.len() < COLUMNS
            && vals.iter().any(|t| t.kind == TokKind::Nil)
            && !placed.contains(&row)
        {
            // Some cells say N/A, so the missing ones are not the absent
            // classes: where the gap is cannot be told.
            f.add_finding(
                Finding::new(
                    Level::Warning,
                    codes::UNREADABLE_VALUE,
                    format!(
                        "section II {key} row: {} of 4 cells, one of them N/A; the columns cannot be told, not read",
                        vals.len()
                    ),
                )
                .at(Some(line as u32 + 1)),
            );
            continue;
        }
        if vals.len() < COLUMNS && !vals.is_empty() && !placed.contains(&row) {
            // A blank cell (not "N/A") shifts the cells after it: the form's
            // absent classes are usually its last columns, so the values read
            // are taken as the first columns.
            f.add_finding(
                Finding::new(
                    Level::Info,
                    codes::UNREADABLE_VALUE,
                    format!(
                        "section II {key} row: {} of 4 cells read; taken as the first columns",
                        vals.len()
                    ),
                )
                .at(vals.first().map(|t| t.line)),
            );
        }
        for (ci, t) in vals.iter().enumerate() {
            let Some(c) = cols.get_mut(ci) else { break };
            let b = &mut c.issued;
            let v = match t.kind {
                TokKind::Int(v) => {
                    c.issued_present = true;
                    Some(v)
                }
                TokKind::Nil if row == 1 => {
                    b.raw.insert(key.into(), t.text.clone());
                    Some(0)
                }
                TokKind::Nil => {
                    b.raw.insert(key.into(), t.text.clone());
                    None
                }
                TokKind::Bad => {
                    b.raw.insert(key.into(), t.text.clone());
                    None
                }
                _ => None,
            };
            match row {
                0 => b.opening = v,
                1 => b.change = v,
                _ => b.closing = v,
            }
            b.lines.insert(key.into(), t.line);
        }
    }
    // A change cell "N/A" is read as no change because the balances say so;
    // where they moved, the N/A is some other column's cell (the row lost
    // its own and a nil came in its place): not read.
    for c in cols.iter_mut() {
        let b = &mut c.issued;
        let moved = match (b.opening, b.closing) {
            (Some(o), Some(cl)) => cl != o,
            _ => false,
        };
        if moved && b.change == Some(0) && b.raw.contains_key("change") {
            b.change = None;
            f.add_finding(
                Finding::new(
                    Level::Warning,
                    codes::UNREADABLE_VALUE,
                    "section II change row: N/A where the balances moved; not read",
                )
                .at(b.lines.get("change").copied()),
            );
        }
    }
}

/// The labels of a balance table's rows (sections I and II), anywhere in a
/// line.
static BALANCE_ROW_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)balance\s+at\s+close\s+of\s+preceding\s+month|上月底結存|increase\s*/\s*\(?\s*decrease\s*\)?(?:\s*during\s+the\s+month)?|本月增加|balance\s+at\s+close\s+of\s+the\s+month|本月底結存",
    )
    .expect("static regex")
});

/// Repair "table rows run together": a Word return saved as text (or read
/// from the .doc's bytes) prints each table as one paragraph, so a balance
/// table's opening, change and closing rows stand on one line, each label
/// followed by its cells. When a line holds two or more of the row labels
/// and every label is followed by cells before the next label, each label's
/// cells are its row's (at most `columns`, all on line `i`). A line whose
/// labels come without their cells (pdfminer prints the labels first) is
/// left to the row-by-row reading.
fn rows_on_one_line(l: &str, i: usize, columns: usize) -> Option<Vec<RowFound>> {
    // Two labels hold "month" twice, or "month" and "increase" (section I's
    // change label has no "month"): most row lines hold one label.
    if l.is_ascii() {
        let m = find_ci(l, "month")?;
        if find_ci(l.get(m + 5..)?, "month").is_none() && find_ci(l, "increase").is_none() {
            return None;
        }
    }
    // Which row a label opens, from its words (found without the slower
    // capturing search).
    let labels: Vec<(usize, usize, usize)> = BALANCE_ROW_LABEL
        .find_iter(l)
        .map(|m| {
            let t = m.as_str();
            let row = if find_ci(t, "preceding").is_some() || t.starts_with("上月") {
                0
            } else if find_ci(t, "increase").is_some() || t.starts_with("本月增加") {
                1
            } else {
                2
            };
            (row, m.start(), m.end())
        })
        .collect();
    if labels.len() < 2 {
        return None;
    }
    let mut rows = Vec::new();
    for (k, &(row, _, end)) in labels.iter().enumerate() {
        let stop = labels.get(k + 1).map_or(l.len(), |n| n.1);
        let cells: Vec<Tok> = tokenize_cells(l.get(end..stop)?, i as u32 + 1)
            .into_iter()
            .filter(Tok::is_value)
            .collect();
        if cells.is_empty() {
            return None;
        }
        let mut cells = fit_cells(cells, columns)?;
        mark_ambiguous_pairs(&mut cells);
        rows.push((row, cells, i));
    }
    Some(rows)
}

/// Repair "a change cell printed after the closing label": a web page's copy
/// of the form prints section II's change label with no cells, then under
/// the closing label the change's first cell before the closing balance
/// ("734,000", "1,146,252,500", then the other columns' "N/A"). When the
/// first column's opening plus the first number there is the second, they
/// are that column's change and closing; the other columns' cells cannot be
/// placed and are left unread. Returns the rows whose cells are known to be
/// the first column's.
fn change_cell_after_closing_label(found: &mut [RowFound]) -> Vec<usize> {
    let at = |row: usize| found.iter().position(|r| r.0 == row);
    let (Some(o), Some(ch), Some(cl)) = (at(0), at(1), at(2)) else {
        return Vec::new();
    };
    let opening = found[o].1.first().and_then(Tok::int);
    let (change, closing) = match found[cl].1.as_slice() {
        [a, b, ..] => (a.int(), b.int()),
        _ => return Vec::new(),
    };
    let (Some(opening), Some(change), Some(closing)) = (opening, change, closing) else {
        return Vec::new();
    };
    if !found[ch].1.is_empty() || change == 0 || opening.checked_add(change) != Some(closing) {
        return Vec::new();
    }
    let cells = std::mem::take(&mut found[cl].1);
    found[ch].1 = cells.first().cloned().into_iter().collect();
    found[cl].1 = cells.get(1).cloned().into_iter().collect();
    vec![1, 2]
}

/// pdfminer prints the labels of the opening and change rows one after the
/// other ("Balance at close of preceding month", "Increase/ (decrease)
/// during the month") and then the cells it found: when the change row is
/// blank, the opening's cells come after the change label, and would be read
/// as the change. So when the opening label has no cells and the change label
/// has them: if they are the closing row's cells, the month changed nothing
/// and they are the opening's (the change is then recovered as closing less
/// opening). If they are both rows' first columns, row by row (opening (1),
/// (2), then change (1), (2)), the closing row says so: each column's opening
/// and change add up to its closing. Otherwise they cannot be placed, and
/// neither row is read. Returns the rows, and the rows whose cells are known
/// to be the first columns.
fn stacked_opening(f: &mut Filing, mut found: Vec<RowFound>) -> (Vec<RowFound>, Vec<usize>) {
    let at = |found: &[RowFound], row: usize| found.iter().position(|r| r.0 == row);
    let (Some(o), Some(c)) = (at(&found, 0), at(&found, 1)) else {
        return (found, Vec::new());
    };
    if !found[o].1.is_empty() || found[c].1.is_empty() {
        return (found, Vec::new());
    }
    let closing = at(&found, 2);
    let same_as_closing = closing.is_some_and(|k| {
        let kinds = |v: &[Tok]| v.iter().map(|t| t.kind.clone()).collect::<Vec<_>>();
        kinds(&found[k].1) == kinds(&found[c].1)
    });
    let mut vals = std::mem::take(&mut found[c].1);
    if same_as_closing {
        found[o].1 = vals;
        // The change row is blank: no cell of it was read.
        found.remove(c);
        return (found, Vec::new());
    }
    if let Some(k) = closing.filter(|_| vals.len().is_multiple_of(2)) {
        let half = vals.len() / 2;
        let int = |t: &Tok| match t.kind {
            TokKind::Int(v) => Some(v),
            _ => None,
        };
        let mut checked = 0;
        let adds_up = (0..half).all(|i| {
            let (open, change, close) = (
                int(&vals[i]),
                int(&vals[half + i]),
                found[k].1.get(i).and_then(int),
            );
            match (open, change, close) {
                (Some(a), Some(b), Some(z)) => {
                    checked += 1;
                    a + b == z
                }
                // A column the form marks N/A in both rows and at the close.
                (None, None, None) => true,
                _ => false,
            }
        });
        if adds_up && checked > 0 {
            let change = vals.split_off(half);
            found[o].1 = vals;
            found[c].1 = change;
            f.add_finding(
                Finding::new(
                    Level::Info,
                    codes::RECOVERED_VALUE,
                    "section II: the opening and change labels stand together with both rows' cells after them; placed row by row, as the closing row's arithmetic confirms",
                )
                .at(Some(found[c].2 as u32 + 1)),
            );
            return (found, vec![0, 1]);
        }
    }
    found[c].1 = Vec::new();
    f.add_finding(
        Finding::new(
            Level::Warning,
            codes::UNREADABLE_VALUE,
            "section II: the opening and change labels stand together and one row of cells follows them; which row it is cannot be told, not read",
        )
        .at(Some(found[c].2 as u32 + 1)),
    );
    (found, Vec::new())
}

fn build_classes(f: &mut Filing, cols: Vec<Column>) {
    const SLUGS: [&str; COLUMNS] = [
        "ordinary-shares",
        "ordinary-shares-2",
        "preference-shares",
        "other-classes-of-shares",
    ];
    const NAMES: [&str; COLUMNS] = [
        "Ordinary shares",
        "Ordinary shares",
        "Preference shares",
        "Other classes of shares",
    ];
    for (ci, c) in cols.into_iter().enumerate() {
        if !c.issued_present && !c.has_authorised {
            continue;
        }
        // An unlisted class is keyed by its description, as the FF301 forms
        // key it ("A Shares" is "a-shares" in every generation); the
        // column's own name only when the form names none.
        let described = c.description.as_deref().map(slug).filter(|k| !k.is_empty());
        let key = c
            .stock_code
            .clone()
            .or(described)
            .unwrap_or_else(|| SLUGS.get(ci).copied().unwrap_or("other").to_string());
        let key = if key.is_empty() {
            slug(NAMES.get(ci).copied().unwrap_or("other"))
        } else {
            key
        };
        let mut issued = c.issued;
        if issued.change.is_none() && !issued.lines.contains_key("change") {
            if let (Some(o), Some(cl)) = (issued.opening, issued.closing) {
                // The change row is missing altogether: the form's arithmetic gives it back.
                issued.change = Some(cl - o);
                issued.recovered.push("change".into());
                f.add_finding(
                    Finding::new(
                        Level::Info,
                        codes::RECOVERED_VALUE,
                        "issued change recovered as closing - opening",
                    )
                    .class(Some(&key)),
                );
            }
        }
        for (field, v) in [("opening", issued.opening), ("closing", issued.closing)] {
            if v.is_none() && c.issued_present {
                f.add_finding(
                    Finding::new(
                        Level::Warning,
                        codes::UNREADABLE_VALUE,
                        format!("issued {field} could not be read"),
                    )
                    .class(Some(&key)),
                );
            }
        }
        let mut authorised = c.authorised;
        if authorised.currency.is_none() {
            authorised.currency = c.currency.clone();
        }
        let cls = ShareClass {
            class_key: key.clone(),
            class: Some(NAMES.get(ci).copied().unwrap_or("Shares").to_string()),
            type_: None,
            description: c.description,
            stock_code: c.stock_code.clone(),
            other_code: c.other_code.clone(),
            multi_counter: Vec::new(),
            // Listed when a code answers the label, unlisted when N/A does;
            // unknown when the label was never found (pdfminer -V can print
            // a class's stock code before the section's heading).
            listed: (c.stock_code.is_some() || c.code_asked).then_some(c.stock_code.is_some()),
            authorised: if c.has_authorised {
                Some(authorised)
            } else {
                None
            },
            issued: if c.issued_present { Some(issued) } else { None },
            treasury: None,
            total: None,
            lines: c.lines,
        };
        if let Some(code) = &c.stock_code {
            if !f.stock_codes.contains(code) {
                f.stock_codes.push(code.clone());
            }
        }
        f.share_classes.push(cls);
    }
}

// ---------------------------------------------------------------------------
// Section III.
// ---------------------------------------------------------------------------

/// "1. Share Option Scheme", "2.      N/A", "3." alone (raw extraction). The
/// dot must not be followed by a digit: "0.65" is a price, not entry 0. But
/// schemes and notes are often named by their year ("1. 2015 Share Option
/// Scheme", "1. 2022 Convertible Bonds"): a year after a space, followed by
/// a word, starts an entry too (group 3), the year maybe cut in two by a
/// space ("2. 20 21 Share", see [`split_year_end`]).
static ENTRY_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(\d{1,2})\s*\.(?:\s*$|\s*([^\d\s].*)$|\s+((?:(?:19|20)\d\d|1 9\d\d|2 0\d\d|(?:19|20) \d\d|(?:19|20)\d \d)\s+\p{L}.*)$)")
        .expect("static regex")
});

/// A line that starts an entry: its number and the text after the number
/// ([`ENTRY_RE`]'s group 1, and group 2 or 3).
struct EntryLine<'a> {
    number: &'a str,
    body: Option<&'a str>,
}

impl EntryLine<'_> {
    fn number(&self) -> u32 {
        self.number.parse().unwrap_or(0)
    }
}

/// [`ENTRY_RE`] on a line: an ASCII line is matched by hand (the regex's
/// capturing search was a twentieth of the legacy parse), any other by the
/// regex, searched only when the line's first character after white space
/// is a digit (as `\d` needs).
fn entry_captures(l: &str) -> Option<EntryLine<'_>> {
    if l.is_ascii() {
        return entry_line_ascii(l);
    }
    // One or two digits, white space, a full stop: what the pattern starts with.
    let mut cs = trim_start_fast(l).chars().peekable();
    cs.next().filter(|c| c.is_numeric())?;
    cs.next_if(|c| c.is_numeric());
    while cs.next_if(|c| c.is_whitespace()).is_some() {}
    cs.next().filter(|&c| c == '.')?;
    let c = ENTRY_RE.captures(l)?;
    Some(EntryLine {
        number: c.get(1)?.as_str(),
        body: c.get(2).or_else(|| c.get(3)).map(|m| m.as_str()),
    })
}

/// [`ENTRY_RE`] on an ASCII line, by hand.
fn entry_line_ascii(l: &str) -> Option<EntryLine<'_>> {
    // `\s` of an ASCII byte: a space, \t, \n, \v, \f or \r.
    let ws = |b: u8| b == b' ' || (0x09..=0x0d).contains(&b);
    let b = l.as_bytes();
    let skip_ws = |mut i: usize| {
        while b.get(i).is_some_and(|&c| ws(c)) {
            i += 1;
        }
        i
    };
    let n0 = skip_ws(0);
    let mut i = n0;
    while i < b.len() && i - n0 < 2 && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == n0 {
        return None;
    }
    let number = l.get(n0..i)?;
    i = skip_ws(i);
    if b.get(i) != Some(&b'.') {
        return None;
    }
    let after = i + 1;
    let rest = skip_ws(after);
    // `\s*$`
    if rest == b.len() {
        return Some(EntryLine { number, body: None });
    }
    let first = b[rest];
    // `\s*([^\d\s].*)$`
    if !first.is_ascii_digit() {
        return Some(EntryLine {
            number,
            body: l.get(rest..),
        });
    }
    // `\s+((?:19|20)\d\d\s+\p{L}.*)$`, the year maybe cut in two by a
    // space (the damage "number split by a space": "2. 20 21 Share").
    if rest == after {
        return None;
    }
    let year_end = split_year_end(b, rest)?;
    let word = skip_ws(year_end);
    (word > year_end && b.get(word).is_some_and(u8::is_ascii_alphabetic)).then(|| EntryLine {
        number,
        body: l.get(rest..),
    })
}

/// Where a year (19xx or 20xx) starting at `i` ends: four digits, or four
/// with one space among them ("20 21", a number split by the extractor).
fn split_year_end(b: &[u8], i: usize) -> Option<usize> {
    let run = |at: usize| {
        b.get(at..)
            .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count())
    };
    let d1 = run(i);
    let (end, year) = if d1 >= 4 {
        (i + 4, b.get(i..i + 4)?.to_vec())
    } else {
        let j = i + d1 + 1;
        if d1 == 0 || b.get(i + d1) != Some(&b' ') || d1 + run(j) != 4 {
            return None;
        }
        (
            j + 4 - d1,
            [b.get(i..i + d1)?, b.get(j..j + 4 - d1)?].concat(),
        )
    };
    (year.starts_with(b"19") || year.starts_with(b"20")).then_some(end)
}

/// The text of an entry's first line after its number, when the line starts
/// an entry.
fn entry_body(l: &str) -> Option<&str> {
    entry_captures(l)?.body
}

/// Tokens of an entry's first line: a leading year is part of the entry's
/// name ("2015 Share Option Scheme"), not a cell; so is a year ending the
/// line one space after a word ("1. Bonus Warrants 2013", as `pdftotext`
/// raw prints the name on a line of its own).
fn entry_body_tokens(body: &str, line: u32) -> Vec<Tok> {
    let mut toks = tokenize_strict(body, line);
    let is_year = |t: &Tok| matches!(t.kind, TokKind::Int(1900..=2099)) && !t.text.contains(',');
    // A leading year cut in two by a space ("20 21 Share") is one word again.
    if let [a, b, next, ..] = toks.as_slice() {
        let text = format!("{}{}", a.text, b.text);
        let joined = text.len() == 4
            && matches!(text.parse::<u32>(), Ok(1900..=2099))
            && matches!((&a.kind, &b.kind), (TokKind::Int(_), TokKind::Int(_)))
            && b.col == a.col + a.text.len() + 1
            && next.kind == TokKind::Text;
        if joined {
            let year = Tok {
                kind: TokKind::Text,
                text,
                line: a.line,
                col: a.col,
            };
            toks.splice(0..2, [year]);
        }
    }
    if let [first, second, ..] = toks.as_mut_slice() {
        if is_year(first) && second.kind == TokKind::Text {
            first.kind = TokKind::Text;
        }
    }
    if let [.., word, last] = toks.as_mut_slice() {
        let after_word = word.kind == TokKind::Text
            && word.text.chars().last().is_some_and(char::is_alphabetic)
            && last.col == word.col + word.text.chars().count() + 1;
        if is_year(last) && after_word {
            last.kind = TokKind::Text;
        }
    }
    toks
}

/// The numbered entries ("1. Share Option Scheme ...", "2. N/A") of a
/// section, each as the range of lines it spans, up to its "Total" line.
fn entries(ls: &[String], start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut starts = Vec::new();
    let mut stop = end.min(ls.len());
    let mut expect = 1u32;
    for (i, l) in ls.iter().enumerate().take(stop).skip(start + 1) {
        let t = trim_start_fast(l);
        let total = t.len() > 5
            && t.as_bytes()[..5].eq_ignore_ascii_case(b"total")
            && words_lc(l).starts_with("total ");
        // "總數 A." and the line before it in some extractions, "本月內因行使
        // 期權所得資金總額" (the funds raised from exercises), end the entries.
        if total || t.starts_with("總數") || t.starts_with("本月內因行使") {
            stop = i;
            break;
        }
        if let Some(c) = entry_captures(l) {
            let n = c.number();
            // Entries are numbered 1, 2, 3...: a number out of sequence is a
            // note ("1. State the class of shares") or a wrapped figure.
            if n == expect {
                starts.push(i);
                expect += 1;
            }
        }
    }
    let mut out = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(stop);
        out.push((s, e));
    }
    out
}

/// Tokens of the lines `s..e`, the entry number of the first line left out.
fn entry_tokens(ls: &[String], s: usize, e: usize) -> Vec<Tok> {
    let mut out = Vec::new();
    let number = |l: &str| entry_captures(l).map(|c| c.number.to_string());
    let own = ls.get(s).and_then(|l| number(l));
    for (i, l) in ls.iter().enumerate().take(e).skip(s) {
        // The entry's first line, or that line printed again.
        let first = i == s || (own.is_some() && number(l) == own);
        match entry_body(l).filter(|_| first) {
            Some(body) => out.extend(entry_body_tokens(body, i as u32 + 1)),
            None => out.extend(tokenize_strict(l, i as u32 + 1)),
        }
    }
    out
}

fn text_of(toks: &[Tok]) -> String {
    toks.iter()
        .filter(|t| !matches!(t.kind, TokKind::Int(_) | TokKind::Nil))
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A share count cell: numbers as printed; nil tokens become 0 (`as_zero`,
/// change cells) or null, the raw token kept either way.
fn count_cell(
    t: Option<&Tok>,
    as_zero: bool,
    field: &str,
    raw: &mut Raw,
    lines: &mut Lines,
) -> Option<i64> {
    let t = t?;
    lines.insert(field.into(), t.line);
    match &t.kind {
        TokKind::Int(v) => Some(*v),
        TokKind::Nil => {
            raw.insert(field.into(), t.text.clone());
            if as_zero {
                Some(0)
            } else {
                None
            }
        }
        _ => {
            raw.insert(field.into(), t.text.clone());
            None
        }
    }
}

/// The price written after `label` in a text: "Exercise Price : HK$2.25 per share",
/// "Subscription price HKD1.22 per share", "HKD 0.65 per share". A whole
/// number without a currency is a price only with `ints`, or when "per"
/// follows it: section III(E) centres its price above the "At price" label,
/// and the first whole number after the label is then the row's number of
/// shares.
fn price_after(
    toks: &[Tok],
    label: &str,
    ints: bool,
) -> Option<(Option<&'static str>, String, u32)> {
    let mut armed = label.is_empty();
    let mut pending_cur: Option<&'static str> = None;
    for (i, t) in toks.iter().enumerate() {
        if !armed {
            if t.kind == TokKind::Text && label_matches(&t.text, label) {
                armed = true;
                // A currency word after the label on the same token: "price HKD".
                pending_cur = t.text.split_whitespace().last().and_then(currency_word);
            }
            continue;
        }
        match &t.kind {
            TokKind::Money(c, d) => return Some((Some(c), d.clone(), t.line)),
            TokKind::Dec(d) => return Some((pending_cur, d.clone(), t.line)),
            TokKind::Int(v)
                if ints
                    || toks.get(i + 1).is_some_and(|n| {
                        n.kind == TokKind::Text && n.text.to_lowercase().starts_with("per")
                    }) =>
            {
                return Some((pending_cur, v.to_string(), t.line))
            }
            TokKind::Text => {
                if let Some(c) = t.text.split_whitespace().last().and_then(currency_word) {
                    pending_cur = Some(c);
                }
            }
            _ => {}
        }
    }
    None
}

/// Labels in English with their Chinese equivalents.
fn label_matches(text: &str, label: &str) -> bool {
    let lc = text.to_lowercase();
    if lc.contains(label) {
        return true;
    }
    match label {
        "price" => ["價格", "認購價", "行使價", "換股價", "行使價"]
            .iter()
            .any(|z| text.contains(z)),
        _ => false,
    }
}

/// A currency named by a word: "HKD", "HK$", or the Chinese 港幣 / 港元 / 人民幣 / 美元.
pub(crate) fn currency_word(w: &str) -> Option<&'static str> {
    if w.contains("港幣") || w.contains("港元") {
        return Some("HKD");
    }
    if w.contains("人民幣") {
        return Some("RMB");
    }
    if w.contains("美元") {
        return Some("USD");
    }
    if w.len() <= 3 || w.ends_with('$') {
        values::currency_of(w)
    } else {
        None
    }
}

/// The first price in a block, wherever the layout put it: section III(E)
/// centres "HKD" / "0.65" / "per" / "share" vertically beside "At price :".
pub(crate) fn first_price(toks: &[Tok]) -> Option<(Option<&'static str>, String, u32)> {
    let mut cur: Option<&'static str> = None;
    for t in toks {
        match &t.kind {
            TokKind::Money(c, d) => return Some((Some(c), d.clone(), t.line)),
            TokKind::Dec(d) => return Some((cur, d.clone(), t.line)),
            TokKind::Text => {
                if let Some(c) = t.text.split_whitespace().find_map(currency_word) {
                    cur = Some(c);
                }
            }
            _ => {}
        }
    }
    None
}

/// III(A): share option schemes. Columns Granted, Exercised, Cancelled,
/// Lapsed, new shares issued, shares issuable at close. The form prints no
/// outstanding balances.
fn options(f: &mut Filing, ls: &[String], start: usize, end: usize, ctx: &Ctx) {
    let reading = reading_order(ls, start, end);
    let nil_only = if reading {
        nil_cells_only(ls, start, end)
    } else {
        None
    };
    // In reading order an entry's lines run into other columns' headers and
    // cells: its particulars are the lines that go on with its number.
    let described = if reading {
        Some(named_rows(ls, start, end))
    } else {
        None
    };
    for (s, e) in entries(ls, start, end) {
        let toks = entry_tokens(ls, s, e);
        let own = described.as_ref().map(|d| d.iter().find(|r| r.line == s));
        let desc: &[Tok] = match own {
            // An entry naming no scheme ("2." over a blank).
            Some(None) => continue,
            Some(Some(r)) => &r.desc,
            None => &toks,
        };
        let vals: Vec<&Tok> = toks
            .iter()
            .filter(|t| matches!(t.kind, TokKind::Int(_) | TokKind::Nil | TokKind::Bad))
            .collect();
        // mutool prints a scheme's particulars in pieces with blank lines
        // between ("1.Share Option", blanks, "Scheme", blanks, "adopted
        // on", "(03/11/2003)"): a name cut short goes on after the blanks.
        let mut whole: Vec<Tok>;
        let desc: &[Tok] = match own {
            Some(Some(r)) if name_cut_short(&scheme_name(&text_of(desc))) => {
                whole = desc.to_vec();
                whole.extend(particulars_after_gap(ls, r.last_line, end));
                &whole
            }
            _ => desc,
        };
        let particulars = text_of(desc);
        let mut sch = OptionScheme {
            scheme: scheme_name(&particulars),
            adopted: desc.iter().find_map(|t| match &t.kind {
                TokKind::Date(d) => Some(d.clone()),
                _ => None,
            }),
            exercise_price: price_after(desc, "price", true).map(|(_, p, _)| p),
            class_key: Some(ctx.class_for(&particulars)),
            ..Default::default()
        };
        sch.lines.insert("scheme".into(), s as u32 + 1);
        let lc = particulars.to_lowercase();
        let named = lc.contains("scheme")
            || lc.contains("option")
            || particulars.contains("計劃")
            || particulars.contains("期權");
        let cells = if vals.len() < 4 {
            None
        } else {
            option_cells(&toks)
        };
        // A row is read only when printed whole: its six cells one after
        // the other, or (text in columns) on one line. Plain `pdftotext`
        // prints the columns apart, and the cells found after a scheme are
        // then other columns'; pdfminer can print the nil cells first and
        // the grant after the scheme's price, several lines on.
        let placed = |c: &Vec<Tok>| {
            whole_row(&toks, c) || (!reading && c.iter().all(|t| t.line == c[0].line))
        };
        let apart = cells.as_ref().is_some_and(|c| !placed(c));
        let cells = cells.and_then(|c| {
            if placed(&c) {
                Some(c)
            } else {
                beside_label(&toks, &c)
            }
        });
        let Some(mut vals) = cells else {
            if let Some(nil) = nil_only.as_ref().filter(|_| named) {
                // No number anywhere in the table: every cell is nil,
                // whichever order they were printed in.
                sch.new_shares_issued = Some(0);
                sch.raw.insert("new_shares_issued".into(), nil.clone());
                sch.raw.insert("issuable_at_close".into(), nil.clone());
                f.option_schemes.push(sch);
                continue;
            }
            // "2. N/A" with an empty date "( / / )": an unused template row.
            if !named && vals.len() < 4 {
                if vals
                    .iter()
                    .any(|t| t.int().is_some() || t.kind == TokKind::Bad)
                {
                    f.add_finding(
                        Finding::new(
                            Level::Warning,
                            codes::UNREADABLE_VALUE,
                            "a share option row with too few cells to read",
                        )
                        .at(Some(s as u32 + 1)),
                    );
                }
                continue;
            }
            // A scheme whose cells were lost or cannot be placed: listed,
            // its figures null.
            let why = if reading || apart {
                "cells printed apart from it in reading order"
            } else if vals.len() < 4 {
                "too few cells"
            } else {
                "more cells than the form has"
            };
            f.add_finding(
                Finding::new(
                    Level::Warning,
                    codes::UNREADABLE_VALUE,
                    format!(
                        "share option scheme '{}': a row with {why}; its figures not read",
                        sch.scheme
                    ),
                )
                .at(Some(s as u32 + 1)),
            );
            sch.raw.insert("movements".into(), "unreadable".into());
            f.option_schemes.push(sch);
            continue;
        };
        mark_ambiguous_pairs(&mut vals);
        if let Some(t) = vals.iter().find(|t| t.kind == TokKind::Bad) {
            damaged_number_finding(f, t.line as usize - 1);
        }
        // A number cut in two whose pieces are both cells ("1" and "20,000"
        // of 120,000): with a cell lost elsewhere the count still fits,
        // every cell after the cut one place off. No cell of the row is
        // placed.
        let cut_in_two = vals.windows(2).any(|w| {
            (w[0].kind == TokKind::Bad || w[1].kind == TokKind::Bad)
                && w[0].line == w[1].line
                && well_formed(
                    format!("{}{}", w[0].text.trim_start_matches('-'), w[1].text).as_bytes(),
                )
        });
        if cut_in_two {
            sch.raw.insert("movements".into(), "unreadable".into());
            f.option_schemes.push(sch);
            continue;
        }
        let vals: Vec<&Tok> = vals.iter().collect();
        let kinds = [
            OptionMoveKind::Granted,
            OptionMoveKind::Exercised,
            OptionMoveKind::Cancelled,
            OptionMoveKind::Lapsed,
        ];
        // With fewer than six cells the row lost blank cells: the last two
        // are still new shares and issuable, the rest the first movements.
        let n = vals.len();
        let moves = &vals[..n.saturating_sub(2).min(4)];
        for (k, t) in kinds.iter().zip(moves.iter()) {
            let Some(v) = t.int() else { continue };
            if v == 0 {
                continue;
            }
            // Granted is positive; exercised, cancelled and lapsed reduce the
            // options outstanding whatever sign the form printed (the legacy
            // form prints lapses as positive numbers).
            let amount = if *k == OptionMoveKind::Granted {
                v.abs()
            } else {
                -v.abs()
            };
            sch.movements.push(OptionMovement {
                kind: *k,
                amount,
                note: None,
                line: Some(t.line),
            });
        }
        if n >= 6 {
            sch.new_shares_issued = count_cell(
                vals.get(4).copied(),
                true,
                "new_shares_issued",
                &mut sch.raw,
                &mut sch.lines,
            );
            sch.issuable_at_close = count_cell(
                vals.get(5).copied(),
                false,
                "issuable_at_close",
                &mut sch.raw,
                &mut sch.lines,
            );
            // New shares under a scheme come from its exercised options. A
            // cell lost and another printed twice (as a damaged extraction
            // leaves them) slide every cell between the two: new shares that
            // are not the exercises, beside no exercise at all or beside two
            // neighbouring cells of one figure (the doubled one), say the
            // cells are out of place, and no cell of the row is trusted.
            // (Exercises with no new shares are the issuer's own
            // inconsistency, which the checks report.)
            let exercised = -sch.moved(OptionMoveKind::Exercised);
            let doubled = vals
                .windows(2)
                .any(|w| w[0].int().is_some_and(|v| v != 0) && w[0].int() == w[1].int());
            if sch
                .new_shares_issued
                .is_some_and(|v| v > 0 && v != exercised && (exercised == 0 || doubled))
            {
                sch.movements.clear();
                sch.new_shares_issued = None;
                sch.issuable_at_close = None;
                sch.raw.insert("movements".into(), "unreadable".into());
                f.add_finding(
                    Finding::new(
                        Level::Warning,
                        codes::UNREADABLE_VALUE,
                        format!(
                            "share option scheme '{}': new shares that are not its exercised \
                             options: the row's cells may be out of place; left null",
                            sch.scheme
                        ),
                    )
                    .at(Some(s as u32 + 1)),
                );
            }
        } else {
            sch.new_shares_issued = count_cell(
                vals.get(n - 2).copied(),
                true,
                "new_shares_issued",
                &mut sch.raw,
                &mut sch.lines,
            );
            sch.issuable_at_close = count_cell(
                vals.get(n - 1).copied(),
                false,
                "issuable_at_close",
                &mut sch.raw,
                &mut sch.lines,
            );
            // The assumption must agree with the form's own arithmetic: the
            // new shares issued under a scheme are its exercised options. A row
            // cut off (a truncated file, reading-order text) fails this, and
            // then no cell of it is trusted.
            let exercised = -sch.moved(OptionMoveKind::Exercised);
            if sch.new_shares_issued == Some(exercised) {
                f.add_finding(
                    Finding::new(Level::Info, codes::UNREADABLE_VALUE, format!("share option row of {n} cells, not 6: blank cells assumed among the movements"))
                        .at(Some(s as u32 + 1)),
                );
            } else {
                sch.movements.clear();
                sch.new_shares_issued = None;
                sch.issuable_at_close = None;
                sch.raw.insert("movements".into(), "unreadable".into());
                f.add_finding(
                    Finding::new(Level::Warning, codes::UNREADABLE_VALUE, format!("share option row of {n} cells, not 6, whose new shares do not match its exercises: left null"))
                        .at(Some(s as u32 + 1)),
                );
            }
        }
        // Exercised options with no new shares (issuer_inconsistency) and the
        // missing outstanding columns (not_checkable) are reported by
        // checks::run, for every form alike.
        f.option_schemes.push(sch);
    }
    name_apart(&mut f.option_schemes);
}

/// Whether the six cells of an option row were printed one after the
/// other, with no words between them.
fn whole_row(toks: &[Tok], cells: &[Tok]) -> bool {
    if cells.len() != 6 {
        return false;
    }
    let at = |c: &Tok| toks.iter().position(|t| t.line == c.line && t.col == c.col);
    let (Some(a), Some(b)) = (cells.first().and_then(at), cells.last().and_then(at)) else {
        return false;
    };
    a <= b && toks[a..=b].iter().all(|t| t.kind != TokKind::Text)
}

/// pdfminer keeps a row's class label and the cells printed right beside
/// it in one text box ("ordinary shares   37,000,000") and prints the
/// row's other cells apart, before or after. When every cell apart is nil,
/// the figures beside the label are the row's first columns (Granted, and
/// on), in order, and the nils the columns after them: the six cells in
/// the form's order. None when a cell apart holds a figure (which column it
/// is cannot be told) or the figures do not follow a label on one line.
fn beside_label(toks: &[Tok], cells: &[Tok]) -> Option<Vec<Tok>> {
    if cells.len() != 6 {
        return None;
    }
    let first = cells.iter().find(|c| c.kind != TokKind::Nil)?;
    let line = first.line;
    let (on, apart): (Vec<&Tok>, Vec<&Tok>) = cells.iter().partition(|c| c.line == line);
    if apart.iter().any(|c| c.kind != TokKind::Nil) {
        return None;
    }
    // The line: a label, then the cells beside it and nothing else.
    let row: Vec<&Tok> = toks.iter().filter(|t| t.line == line).collect();
    let label = row.first().filter(|t| t.kind == TokKind::Text)?;
    if !label.text.chars().any(char::is_alphabetic) || row.len() != on.len() + 1 {
        return None;
    }
    let mut out: Vec<Tok> = on.into_iter().cloned().collect();
    out.extend(apart.into_iter().cloned());
    Some(out)
}

/// The nil written in section III(A) when the table holds no number at all
/// (every cell, total and the funds raised N/A), prices and dates of the
/// particulars aside; None when it holds one.
fn nil_cells_only(ls: &[String], start: usize, end: usize) -> Option<String> {
    // A table that runs to the end of the text may have been cut: its
    // numbers may be in what was lost.
    if end >= ls.len() {
        return None;
    }
    let mut nil = None;
    for (i, l) in ls.iter().enumerate().take(end).skip(start + 1) {
        let toks = match entry_body(l) {
            Some(body) => entry_body_tokens(body, i as u32 + 1),
            None => tokenize_strict(l, i as u32 + 1),
        };
        for (k, t) in toks.iter().enumerate() {
            let price = || {
                price_token(&toks, k).is_some()
                    || k > 0
                        && toks[k - 1].kind == TokKind::Text
                        && label_matches(&toks[k - 1].text, "price")
            };
            match &t.kind {
                TokKind::Nil => {
                    nil.get_or_insert_with(|| t.text.clone());
                }
                TokKind::Int(_) | TokKind::Bad => return None,
                TokKind::Dec(_) | TokKind::Money(..) if !price() => {
                    // An exercise price on a line of its own ("HK$2.25 per"
                    // over "share" is a price; "HK$2.25" alone may be funds).
                    let small = t
                        .decimal()
                        .as_deref()
                        .and_then(micro)
                        .is_some_and(|v| v < 100_000_000);
                    let next_per = toks
                        .get(k + 1)
                        .is_some_and(|n| n.text.to_lowercase().starts_with("per"));
                    if !(small && next_per) {
                        return None;
                    }
                }
                _ => {}
            }
        }
    }
    nil
}

/// Two schemes of one return printed under the same name ("Share Option
/// Scheme", adopted in 2008 and in 2014) are told apart by their adoption
/// dates (or their places), so that each can be found by its name.
fn name_apart(schemes: &mut [OptionScheme]) {
    let names: Vec<String> = schemes.iter().map(|s| s.scheme.clone()).collect();
    for (i, s) in schemes.iter_mut().enumerate() {
        if names.iter().filter(|n| **n == names[i]).count() < 2 {
            continue;
        }
        s.scheme = match &s.adopted {
            Some(d) => format!("{} (adopted {d})", names[i]),
            None => format!("{} ({})", names[i], i + 1),
        };
    }
}

/// The six cells of a share option row (Granted, Exercised, Cancelled,
/// Lapsed, new shares issued, shares issuable), or fewer when blank cells
/// were lost. Numbers of the particulars come before the cells, set apart
/// from them by text; a surplus inside the cells is a number cut in two
/// (`31\t7,000`), joined when only one pair can be joined. None when the
/// surplus cannot be explained: taking some of the values would shift the
/// others into wrong columns.
fn option_cells(toks: &[Tok]) -> Option<Vec<Tok>> {
    let is_cell = |t: &Tok| matches!(t.kind, TokKind::Int(_) | TokKind::Nil | TokKind::Bad);
    let vals: Vec<Tok> = toks.iter().filter(|t| is_cell(t)).cloned().collect();
    if vals.len() <= 6 {
        return Some(vals);
    }
    // The last run of values with no text between them.
    let mut run: Vec<Tok> = Vec::new();
    for t in toks.iter().rev() {
        if is_cell(t) {
            run.push(t.clone());
        } else if t.kind == TokKind::Text && !run.is_empty() {
            break;
        }
    }
    run.reverse();
    // Four or more values before the last run are another row's cells: two
    // entries ran together (the second's number was lost).
    if vals.len() - run.len() >= 4 {
        return None;
    }
    if run.len() >= 6 {
        return fit_cells(run, 6);
    }
    fit_cells(vals, 6)
}

/// Whether a scheme's name stops at a word that names no scheme yet
/// ("Share Option", "Share Award").
fn name_cut_short(name: &str) -> bool {
    let lc = name.to_ascii_lowercase();
    ["option", "options", "share", "award"]
        .iter()
        .any(|w| lc.split_whitespace().last() == Some(w))
}

/// The text and date lines after an entry's particulars and the blank lines
/// that end them, up to its cells (a line of values only), a row label or
/// the next entry.
fn particulars_after_gap(ls: &[String], last: usize, end: usize) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut lines = 0;
    for (j, l) in ls
        .iter()
        .enumerate()
        .take(end.min(ls.len()))
        .skip(last + 1)
        .take(64)
    {
        let t = l.trim();
        if t.is_empty() {
            continue;
        }
        lines += 1;
        if lines > 8 {
            break;
        }
        let lc = words_lc(t);
        if entry_captures(l).is_some() || ROW_LABELS.iter().any(|x| lc.starts_with(x)) {
            break;
        }
        let toks = tokenize_strict(l, j as u32 + 1);
        if toks.iter().all(Tok::is_value) {
            break;
        }
        out.extend(toks);
    }
    out
}

fn scheme_name(particulars: &str) -> String {
    let lc = particulars.to_lowercase();
    let mut cut = particulars.len();
    for stop in [
        "adopted",
        "(note",
        "exercise price",
        "exercise",
        "ordinary shares",
        "preference shares",
        "approved",
        "(remark",
        "採納",
    ] {
        if let Some(p) = lc.find(stop) {
            // Lower-casing can change byte lengths outside ASCII; only cut on
            // a char boundary of the original.
            if p < cut && particulars.is_char_boundary(p) {
                cut = p;
            }
        }
    }
    // The adoption date in parentheses ends the name even when the words
    // before it ("adopted on") were lost.
    let b = particulars.as_bytes();
    if let Some(p) = (0..b.len()).find(|&p| {
        b[p] == b'('
            && b[p + 1..]
                .iter()
                .find(|c| **c != b' ')
                .is_some_and(u8::is_ascii_digit)
            && b[p + 1..].contains(&b'/')
    }) {
        cut = cut.min(p);
    }
    let name = particulars.get(..cut).unwrap_or(particulars);
    // A word printed twice is a line of the particulars repeated.
    let mut words: Vec<&str> = name.split_whitespace().collect();
    words.dedup();
    let name = words.join(" ");
    let name = name.trim_matches(|c: char| c == ',' || c == ':' || c.is_whitespace());
    if name.is_empty() {
        "Share option scheme".to_string()
    } else {
        name.to_string()
    }
}

/// Split an entry at its sub-field labels ("Stock code (if listed)"): the
/// figures of the row come before them.
fn split_at_stock_code(toks: &[Tok]) -> (&[Tok], &[Tok]) {
    let p = toks
        .iter()
        .position(|t| {
            t.kind == TokKind::Text
                && (t.text.to_lowercase().contains("stock code") || t.text.contains("股份代號"))
        })
        .unwrap_or(toks.len());
    toks.split_at(p)
}

/// The figures of a section III row. Two repairs:
/// - a number followed by "per" is a price in the description
///   ("(Issue Price of HK$0.02 per Warrant)"), not a cell;
/// - `pdftotext -layout` prints a row whose cells sit at different heights on
///   two lines ("15,000,000      15,000,000" over "units  N/A  units  N/A
///   15,000,000" in a warrants row): when the figures come from several lines
///   and all stand well inside the page (a layout rendering), they are put
///   back in column order. Raw and pypdf renderings start lines at the left
///   margin and are kept in reading order.
fn row_cells(head: &[Tok]) -> Vec<&Tok> {
    let mut cells: Vec<&Tok> = Vec::new();
    for (i, t) in head.iter().enumerate() {
        if !t.is_value() || price_in_prose(head, i) {
            continue;
        }
        cells.push(t);
    }
    let multi_line = cells.windows(2).any(|w| w[0].line != w[1].line);
    if multi_line && cells.iter().all(|t| t.col >= LAYOUT_INDENT) {
        cells.sort_by_key(|t| t.col);
    }
    // Repair "a nil currency cell": the row's currency column printed "N/A"
    // (warrants with no nominal value) is a sixth value before the five
    // figures; read as the opening, it would shift every figure one column
    // and drop the last (the shares issuable), a figure. (A trailing "N/A"
    // may be a later column's, the stock code's, and tells nothing.)
    if cells.len() == 6 && cells[0].kind == TokKind::Nil && cells[5].kind != TokKind::Nil {
        cells.remove(0);
    }
    cells
}

/// Whether `head[i]` is a figure followed by "per" on its line: a price in
/// the description ("(Issue Price of HK$0.02 per Warrant)"), not a cell.
fn price_in_prose(head: &[Tok], i: usize) -> bool {
    let t = &head[i];
    !matches!(t.kind, TokKind::Nil | TokKind::Text)
        && head.get(i + 1).is_some_and(|n| {
            n.kind == TokKind::Text && n.line == t.line && n.text.to_lowercase().starts_with("per")
        })
}

/// Cells of a `pdftotext -layout` table row start this far from the margin.
const LAYOUT_INDENT: usize = 24;

fn description_of(head: &[Tok]) -> String {
    let words: Vec<&str> = head
        .iter()
        .enumerate()
        .filter(|&(i, t)| t.kind == TokKind::Text || price_in_prose(head, i))
        .flat_map(|(_, t)| t.text.split_whitespace())
        .filter(|w| {
            let lc = w.to_lowercase();
            values::currency_of(w).is_none_or(|_| w.len() > 3)
                && !matches!(lc.as_str(), "units" | "unit" | "份" | "(" | ")" | "/")
        })
        .collect();
    words.join(" ")
}

/// Repair "a closing of N/A after a full conversion": a convertible whose
/// whole opening amount was converted in the month may print its closing
/// amount as "N/A". The form's arithmetic (opening less converted) gives it:
/// nothing outstanding. Only then is it recovered, with an info finding;
/// any other closing printed N/A stays null (not reported).
fn recover_converted_in_full(f: &mut Filing, c: &mut Convertible) {
    use crate::filings::checks::Dec;
    if c.amount_closing.is_some() || !c.raw.contains_key("amount_closing") {
        return;
    }
    let (Some(open), Some(moved)) = (c.amount_opening.as_deref(), c.converted.as_deref()) else {
        return;
    };
    let (Some(o), Some(m)) = (Dec::parse(open), Dec::parse(moved.trim_start_matches('-'))) else {
        return;
    };
    if o.equals(m) != Some(true) || o.equals(Dec::parse("0").unwrap_or(o)) == Some(true) {
        return;
    }
    let places = open.split_once('.').map_or(0, |(_, frac)| frac.len());
    let zero = if places == 0 {
        "0".to_string()
    } else {
        format!("0.{}", "0".repeat(places))
    };
    c.amount_closing = Some(zero);
    let line = c.lines.get("amount_closing").copied();
    f.add_finding(
        Finding::new(
            Level::Info,
            codes::RECOVERED_VALUE,
            format!(
                "convertible \"{}\": closing amount printed N/A after all of {open} was converted; recovered as 0",
                c.description
            ),
        )
        .at(line)
        .class(c.class_key.as_deref()),
    );
}

/// III(B): warrants, in units or in money.
fn warrants(f: &mut Filing, ls: &[String], start: usize, end: usize, ctx: &Ctx) {
    if reading_order_e(ls, start, end) {
        let named = named_rows(ls, start, end);
        if !named.is_empty() && !rows_in_place(ls, start, end, &named) {
            scattered_balances(f, ls, start, end, &named, BalanceTable::Warrants, ctx);
            return;
        }
    }
    let before = f.warrants.len();
    read_warrant_rows(f, ls, start, end, ctx);
    // Figures that no row took (printed away from their row, after the
    // section's last entry): the warrants are not read, and the user is told.
    let unread = f.warrants.len() == before;
    let figures = unread
        && (start..end.min(ls.len())).any(|i| {
            tokenize_strict(&ls[i], i as u32 + 1).iter().any(|t| {
                // An amount: money, or a number grouped by thousands (not a
                // year or an entry's number).
                matches!(t.kind, TokKind::Money(..))
                    || (matches!(t.kind, TokKind::Int(_) | TokKind::Dec(_)) && t.text.contains(','))
            })
        });
    if figures {
        f.add_finding(Finding::new(
            Level::Warning,
            codes::MISSING_FIELD,
            "section III(B) (warrants) holds figures that could not be placed in a row",
        ));
    }
}

/// The warrants of section III(B) whose figures stand in their own row.
fn read_warrant_rows(f: &mut Filing, ls: &[String], start: usize, end: usize, ctx: &Ctx) {
    for (s, e) in entries(ls, start, end) {
        let toks = entry_tokens(ls, s, e);
        let (head, tail) = split_at_stock_code(&toks);
        let unstacked = unstack_units(head);
        let cells = row_cells(unstacked.as_deref().unwrap_or(head));
        if !cells.iter().any(|t| t.decimal().is_some()) {
            continue;
        }
        let mut w = Warrant {
            description: description_of(head),
            ..Default::default()
        };
        w.lines.insert("description".into(), s as u32 + 1);
        w.units = head.iter().any(|t| {
            t.kind == TokKind::Text
                && (t.text.to_lowercase().contains("unit") || t.text.contains('份'))
        });
        w.currency = head
            .iter()
            .find_map(|t| match &t.kind {
                TokKind::Text => t.text.split_whitespace().find_map(|x| {
                    if x.len() == 3 {
                        values::currency_of(x)
                    } else {
                        None
                    }
                }),
                TokKind::Money(c, _) => Some(*c),
                _ => None,
            })
            .map(str::to_string);
        w.expiry = head.iter().find_map(|t| match &t.kind {
            TokKind::Date(d) => Some(d.clone()),
            _ => None,
        });
        let amount = |t: Option<&&Tok>, field: &str, w: &mut Warrant| -> Option<String> {
            let t = t?;
            w.lines.insert(field.into(), t.line);
            match &t.kind {
                TokKind::Nil => {
                    w.raw.insert(field.into(), t.text.clone());
                    Some("0".to_string())
                }
                _ => t.decimal(),
            }
        };
        w.opening = amount(cells.first(), "opening", &mut w);
        w.exercised = amount(cells.get(1), "exercised", &mut w);
        w.closing = amount(cells.get(2), "closing", &mut w);
        if w.opening.as_deref() == Some("0") && w.raw.contains_key("opening") {
            w.opening = None;
        }
        if w.closing.as_deref() == Some("0") && w.raw.contains_key("closing") {
            w.closing = None;
        }
        w.new_shares_issued = count_cell(
            cells.get(3).copied(),
            true,
            "new_shares_issued",
            &mut w.raw,
            &mut w.lines,
        );
        w.issuable_at_close = count_cell(
            cells.get(4).copied(),
            false,
            "issuable_at_close",
            &mut w.raw,
            &mut w.lines,
        );
        if let Some((cur, p, line)) = price_after(tail, "price", true) {
            w.subscription_price = Some(p);
            w.lines.insert("subscription_price".into(), line);
            if w.currency.is_none() {
                w.currency = cur.map(str::to_string);
            }
        }
        w.class_key = Some(ctx.class_for(&text_of(tail)));
        f.warrants.push(w);
    }
}

/// A warrants row counted in units prints each such cell as a number over
/// the word "units". `pdftotext` raw gives the row's numbers first, on a line
/// of their own, then the words: "90,000,000 40,000,000 50,000,000" over
/// "HKD units units units 40,000,000 50,000,000", or "15,000,000 15,000,000"
/// over "HKD units N/A units N/A 15,000,000". When a line of nothing but
/// numbers is followed by a line with as many "units", each number takes the
/// place of its word. None when the row is not printed so (or is laid out in
/// columns, which [`row_cells`] orders).
fn unstack_units(head: &[Tok]) -> Option<Vec<Tok>> {
    let is_unit = |w: &str| matches!(w.to_lowercase().as_str(), "units" | "unit");
    let lines: Vec<u32> = {
        let mut v: Vec<u32> = head.iter().map(|t| t.line).collect();
        v.dedup();
        v
    };
    for w in lines.windows(2) {
        let (a, b) = (w[0], w[1]);
        let top: Vec<&Tok> = head.iter().filter(|t| t.line == a).collect();
        let numbers = top.iter().all(|t| t.int().is_some());
        if !numbers {
            continue;
        }
        let words = head
            .iter()
            .filter(|t| t.line == b && t.kind == TokKind::Text)
            .flat_map(|t| t.text.split_whitespace())
            .filter(|w| is_unit(w))
            .count();
        if words != top.len() {
            continue;
        }
        let mut nums = top.into_iter();
        let mut out: Vec<Tok> = Vec::with_capacity(head.len() + words);
        for t in head.iter().filter(|t| t.line != a) {
            if t.line != b || t.kind != TokKind::Text {
                out.push(t.clone());
                continue;
            }
            // Split the text at each "units", the number before the word.
            place_at_units(&mut out, t, &mut nums);
        }
        return Some(out);
    }
    unstack_units_by_line(head)
}

/// The same row as mutool prints it: each cell on a line of its own, the
/// row's numbers first ("15,000,000" / "15,000,000"), then the words and nil
/// cells ("HKD" / "units" / "N/A" / "units" / "N/A" / "15,000,000"). A run of
/// numbers followed, before the next number, by as many "units"
/// words: each number takes the place of its word. None when there is no
/// such run.
fn unstack_units_by_line(head: &[Tok]) -> Option<Vec<Tok>> {
    let is_unit = |w: &str| matches!(w.to_lowercase().as_str(), "units" | "unit");
    let mut i = 0;
    while i < head.len() {
        if head[i].int().is_none() {
            i += 1;
            continue;
        }
        let run_end = (i..head.len())
            .find(|&k| head[k].int().is_none())
            .unwrap_or(head.len());
        let after_end = (run_end..head.len())
            .find(|&k| head[k].decimal().is_some())
            .unwrap_or(head.len());
        let run = &head[i..run_end];
        let after = &head[run_end..after_end];
        let units = after
            .iter()
            .filter(|t| t.kind == TokKind::Text)
            .flat_map(|t| t.text.split_whitespace())
            .filter(|w| is_unit(w))
            .count();
        // One number and one "units" (mutool: "100,000,000" / "HKD" / "N/A"
        // / "N/A" / "units" / "N/A" / "100,000,000") is the same layout.
        if run.is_empty() || units != run.len() {
            i = run_end;
            continue;
        }
        let mut out: Vec<Tok> = head[..i].to_vec();
        let mut nums = run.iter();
        for t in after {
            if t.kind != TokKind::Text {
                out.push(t.clone());
                continue;
            }
            place_at_units(&mut out, t, &mut nums);
        }
        out.extend(head[after_end..].iter().cloned());
        return Some(out);
    }
    None
}

/// Push text token `t` onto `out` cut before each "units" word, with the
/// next of `nums` in front of each such word: the number takes the place of
/// the unit word that labels it.
fn place_at_units<'t>(out: &mut Vec<Tok>, t: &Tok, nums: &mut impl Iterator<Item = &'t Tok>) {
    let text = |words: &[&str]| Tok {
        kind: TokKind::Text,
        text: words.join(" "),
        line: t.line,
        col: t.col,
    };
    let mut pending: Vec<&str> = Vec::new();
    for word in t.text.split_whitespace() {
        if matches!(word.to_lowercase().as_str(), "units" | "unit") {
            if !pending.is_empty() {
                out.push(text(&pending));
                pending.clear();
            }
            if let Some(n) = nums.next() {
                // The number keeps its line (its source) and takes the
                // word's column: a layout row is put in column order.
                let at = word.as_ptr() as usize - t.text.as_ptr() as usize;
                let mut n = n.clone();
                n.col = t.col + t.text.get(..at).map_or(0, |h| h.chars().count());
                out.push(n);
            }
        }
        pending.push(word);
    }
    if !pending.is_empty() {
        out.push(text(&pending));
    }
}

/// III(C): convertibles, amounts in money.
fn convertibles(f: &mut Filing, ls: &[String], start: usize, end: usize, ctx: &Ctx) {
    if reading_order_e(ls, start, end) {
        let named = named_rows(ls, start, end);
        if !named.is_empty() && !rows_in_place(ls, start, end, &named) {
            scattered_balances(f, ls, start, end, &named, BalanceTable::Convertibles, ctx);
            return;
        }
    }
    for (s, e) in entries(ls, start, end) {
        let toks = entry_tokens(ls, s, e);
        let (head, tail) = split_at_stock_code(&toks);
        let cells = row_cells(head);
        if !cells.iter().any(|t| t.decimal().is_some()) {
            continue;
        }
        let mut c = Convertible {
            description: description_of(head),
            ..Default::default()
        };
        c.lines.insert("description".into(), s as u32 + 1);
        // The currency column is a bare code ("HKD") before the amounts; the
        // description may name another amount "(HKD 889,850,000.00)".
        c.currency = head
            .iter()
            .find_map(|t| match &t.kind {
                TokKind::Text => t
                    .text
                    .split_whitespace()
                    .last()
                    .filter(|x| x.len() == 3)
                    .and_then(values::currency_of),
                TokKind::Money(c, _) => Some(*c),
                _ => None,
            })
            .map(str::to_string);
        let amount = |t: Option<&&Tok>, field: &str, c: &mut Convertible| -> Option<String> {
            let t = t?;
            c.lines.insert(field.into(), t.line);
            match &t.kind {
                TokKind::Nil => {
                    c.raw.insert(field.into(), t.text.clone());
                    // A converted amount of N/A is nothing converted (0); a
                    // balance of N/A is not reported (null), like the
                    // warrants' balances.
                    (field == "converted").then(|| "0".to_string())
                }
                _ => t.decimal(),
            }
        };
        c.amount_opening = amount(cells.first(), "amount_opening", &mut c);
        c.converted = amount(cells.get(1), "converted", &mut c);
        c.amount_closing = amount(cells.get(2), "amount_closing", &mut c);
        c.new_shares_issued = count_cell(
            cells.get(3).copied(),
            true,
            "new_shares_issued",
            &mut c.raw,
            &mut c.lines,
        );
        c.issuable_at_close = count_cell(
            cells.get(4).copied(),
            false,
            "issuable_at_close",
            &mut c.raw,
            &mut c.lines,
        );
        if let Some((cur, p, line)) = price_after(tail, "price", true) {
            c.conversion_price = Some(p);
            c.lines.insert("conversion_price".into(), line);
            if c.currency.is_none() {
                c.currency = cur.map(str::to_string);
            }
        }
        c.class_key = Some(ctx.class_for(&text_of(tail)));
        recover_converted_in_full(f, &mut c);
        f.convertibles.push(c);
    }
}

// ---------------------------------------------------------------------------
// Sections III(B) and (C) in reading order.
// ---------------------------------------------------------------------------

/// A numbered row of section III(B) or (C) that names an instrument ("1.
/// Unlisted Warrant", "2. Convertible Notes" / "Tranche 2"), as found in
/// reading order: `pdftotext` may print the rows out of their order, so each
/// number is taken where it first starts a line.
struct NamedRow {
    number: u32,
    line: usize,
    /// The description's tokens (the entry's line and the lines that go on
    /// with it).
    desc: Vec<Tok>,
    last_line: usize,
}

/// Labels and headers that end a row's description.
const ROW_LABELS: &[&str] = &[
    "stock code",
    "class of shares",
    "class and description",
    "subscription price",
    "conversion price",
    "exercise price",
    "currency of",
    "description of",
    "egm approval",
    "(if applicable)",
    "(dd/mm/yyyy)",
    "nominal value",
    "amount at close",
    "no. of new",
    "converted during",
    "exercised during",
    "total ",
    "股份代號",
    "股份類別",
    "認購價",
    "換股價",
];

fn named_rows(ls: &[String], start: usize, end: usize) -> Vec<NamedRow> {
    let mut out: Vec<NamedRow> = Vec::new();
    let mut seen: Vec<u32> = Vec::new();
    let stop = end.min(ls.len());
    for i in start + 1..stop {
        let Some(c) = entry_captures(&ls[i]) else {
            continue;
        };
        let n = c.number();
        if n == 0 || seen.contains(&n) {
            continue;
        }
        seen.push(n);
        let mut desc = match c.body {
            Some(b) => entry_body_tokens(b, i as u32 + 1),
            None => Vec::new(),
        };
        let mut last = i;
        for (j, l) in ls.iter().enumerate().take(stop).skip(i + 1) {
            let t = l.trim();
            let lc = words_lc(t);
            if t.is_empty()
                || entry_captures(l).is_some()
                || ROW_LABELS
                    .iter()
                    .any(|x| lc.starts_with(x) || l.contains(x))
                || t.chars().all(|c| matches!(c, '(' | ')' | '/' | ' '))
            {
                break;
            }
            let toks = tokenize_strict(l, j as u32 + 1);
            if toks.iter().all(Tok::is_value) {
                break;
            }
            desc.extend(toks);
            last = j;
        }
        let named = desc.iter().any(|t| t.kind == TokKind::Text);
        if named {
            out.push(NamedRow {
                number: n,
                line: i,
                desc,
                last_line: last,
            });
        }
    }
    out.sort_by_key(|r| r.number);
    out
}

/// Whether every named row of a reading-order section was printed whole
/// where its entry starts: the five figures of the row (or more) between its
/// description and its "Stock code" label, as `pdftotext -raw` prints a row.
fn rows_in_place(ls: &[String], start: usize, end: usize, named: &[NamedRow]) -> bool {
    let found = entries(ls, start, end);
    named.iter().all(|r| {
        found.iter().any(|&(s, e)| {
            if s != r.line {
                return false;
            }
            let toks = entry_tokens(ls, s, e);
            let (head, _) = split_at_stock_code(&toks);
            let unstacked = unstack_units(head);
            let cells = row_cells(unstacked.as_deref().unwrap_or(head));
            cells.len() >= 5 && cells_balance(&cells)
        })
    })
}

/// Whether the first five cells of a row, taken in the order printed, keep
/// the form's arithmetic: opening less what was exercised or converted is
/// the closing amount (unless the row opened during the month, with no
/// opening amount); and (whatever the shares per unit) new shares were
/// issued exactly when something was exercised, and shares may be issued
/// exactly when something is left. Nil cells count as zero. Some extractors
/// (mutool) print a row's amounts before its nil cells, so that a row with
/// five figures is not in its columns' order.
fn cells_balance(cells: &[&Tok]) -> bool {
    let v = |i: usize| -> Option<i128> {
        let t = cells.get(i)?;
        match t.kind {
            TokKind::Nil => Some(0),
            _ => t.decimal().as_deref().and_then(micro),
        }
    };
    let (Some(open), Some(moved), Some(close), Some(new), Some(issuable)) =
        (v(0), v(1), v(2), v(3), v(4))
    else {
        // A cell that is no amount: nothing to check it by.
        return true;
    };
    // A row opened during the month prints no opening amount.
    let opened = cells[0].kind == TokKind::Nil;
    // A closing of "N/A" (warrants without a nominal value) says nothing of
    // the shares still issuable.
    let no_closing = cells[2].kind == TokKind::Nil;
    (opened || open - moved.abs() == close)
        && (moved == 0) == (new == 0)
        && (no_closing || (close == 0) == (issuable == 0))
}

/// An exact decimal as an integer in millionths.
fn micro(d: &str) -> Option<i128> {
    let neg = d.starts_with('-');
    let d = d.trim_start_matches('-');
    let (int, frac) = d.split_once('.').unwrap_or((d, ""));
    if frac.len() > 6 {
        return None;
    }
    let v = format!("{int}{frac:0<6}").parse::<i128>().ok()?;
    Some(if neg { -v } else { v })
}

/// A cell of a balance row found by [`solve_balances`]: an index into the
/// section's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
struct BalanceRow {
    opening: Option<usize>,
    moved: Option<usize>,
    closing: Option<usize>,
    new_shares: Option<usize>,
    issuable: Option<usize>,
}

/// The rows of a section III(B) or (C) table whose cells `pdftotext`
/// scattered, found by the form's arithmetic: each row's opening amount less
/// what was exercised or converted is its closing amount (or the row is
/// unchanged, or opened during the month); the new shares are the amount
/// exercised in shares (units one for one, money divided by the
/// subscription price, to the share), the shares that may be issued are the
/// closing amount in shares; the section's "Total" repeats the sum of the
/// new shares. A row's cells come left to right and the rows in their order.
/// Every value of the section must be explained so, and the reading must be
/// the only one (a printed total preferred to a total left nil): else None.
fn solve_balances(
    vals: &[(i128, &Tok)],
    rows: usize,
    shares_of: &dyn Fn(i128) -> Option<i128>,
) -> Option<Vec<BalanceRow>> {
    const MAX_VALUES: usize = 24;
    if vals.len() > MAX_VALUES || rows == 0 || rows > 4 {
        return None;
    }
    let mut s = BalanceSearch {
        vals,
        rows,
        shares_of,
        used: vec![false; vals.len()],
        current: Vec::new(),
        solutions: Vec::new(),
        budget: 1_000_000,
    };
    s.go(None);
    if s.budget == 0 || s.solutions.len() > BalanceSearch::MAX_SOLUTIONS {
        return None;
    }
    let values = |rows: &Vec<BalanceRow>| -> Vec<[Option<i128>; 5]> {
        rows.iter()
            .map(|r| {
                [r.opening, r.moved, r.closing, r.new_shares, r.issuable]
                    .map(|k| k.map(|k| vals[k].0))
            })
            .collect()
    };
    let best = s.solutions.iter().map(|(r, _)| *r).min()?;
    let best: Vec<&Vec<BalanceRow>> = s
        .solutions
        .iter()
        .filter(|(r, _)| *r == best)
        .map(|(_, s)| s)
        .collect();
    let first = best.first()?;
    // One reading, or several that read the same values (a number printed
    // twice can stand in either place).
    best.iter()
        .all(|s| values(s) == values(first))
        .then(|| (*first).clone())
}

/// The search of [`solve_balances`].
struct BalanceSearch<'a, 'b> {
    vals: &'a [(i128, &'b Tok)],
    rows: usize,
    shares_of: &'a dyn Fn(i128) -> Option<i128>,
    used: Vec<bool>,
    current: Vec<BalanceRow>,
    /// Each reading with its rank: 0 with the total printed, 1 with the
    /// total left nil although shares were issued.
    solutions: Vec<(u8, Vec<BalanceRow>)>,
    /// Steps left: a section with too many values to search is not read.
    budget: usize,
}

impl BalanceSearch<'_, '_> {
    /// More readings than this are too many to single one out.
    const MAX_SOLUTIONS: usize = 64;

    /// Whether value `k` is the number of shares `amount` gives.
    fn count_is(&self, k: usize, amount: i128) -> bool {
        let (v, t) = self.vals[k];
        t.int().is_some()
            && (self.shares_of)(amount).is_some_and(|want| (v - want).abs() <= 1_000_000)
    }

    fn val(&self, k: Option<usize>) -> Option<i128> {
        k.map(|k| self.vals[k].0)
    }

    /// The free values, and none.
    fn options(&self) -> Vec<Option<usize>> {
        std::iter::once(None)
            .chain((0..self.vals.len()).filter(|&k| !self.used[k]).map(Some))
            .collect()
    }

    fn mark(&mut self, ks: &[Option<usize>], on: bool) {
        for k in ks.iter().flatten() {
            self.used[*k] = on;
        }
    }

    fn go(&mut self, after: Option<usize>) {
        if self.solutions.len() > Self::MAX_SOLUTIONS || self.budget == 0 {
            return;
        }
        if self.current.len() == self.rows {
            self.finish();
            return;
        }
        for o in self.options() {
            // The row starts after the previous one.
            if o.is_some() && after.is_some_and(|a| o <= Some(a)) {
                continue;
            }
            for c in self.options() {
                if o.is_some() && o == c {
                    continue;
                }
                for v in self.options() {
                    if self.budget == 0 {
                        return;
                    }
                    self.budget -= 1;
                    if v.is_some() && (v == o || v == c) {
                        continue;
                    }
                    let fits = match (self.val(o), self.val(v), self.val(c)) {
                        (Some(a), Some(b), Some(z)) => b > 0 && a - b == z && o < v && v < c,
                        (Some(a), None, Some(z)) => a == z && o < c,
                        // No opening (issued during the month): what moved is
                        // proven by its new shares and the section's total.
                        (None, Some(b), Some(_)) => b > 0 && v < c,
                        (None, None, Some(_)) => true,
                        (Some(a), Some(b), None) => a == b && o < v,
                        _ => false,
                    };
                    let Some(first) = o.or(v).or(c) else { continue };
                    if !fits || after.is_some_and(|a| first <= a) {
                        continue;
                    }
                    self.mark(&[o, v, c], true);
                    self.counts(o, v, c, first);
                    self.mark(&[o, v, c], false);
                }
            }
        }
    }

    /// The row's counts: new shares after what moved, shares issuable after
    /// the closing amount and the new shares.
    fn counts(&mut self, o: Option<usize>, v: Option<usize>, c: Option<usize>, first: usize) {
        let n = self.vals.len();
        let news: Vec<Option<usize>> = match self.val(v) {
            Some(b) => (0..n)
                .filter(|&k| !self.used[k] && Some(k) > v && self.count_is(k, b))
                .map(Some)
                .collect(),
            None => vec![None],
        };
        for ns in news {
            self.mark(&[ns], true);
            let iss: Vec<Option<usize>> = match self.val(c) {
                Some(z) => (0..n)
                    .filter(|&k| {
                        !self.used[k] && Some(k) > c && Some(k) > ns && self.count_is(k, z)
                    })
                    .map(Some)
                    .collect(),
                None => vec![None],
            };
            for is in iss {
                self.mark(&[is], true);
                self.current.push(BalanceRow {
                    opening: o,
                    moved: v,
                    closing: c,
                    new_shares: ns,
                    issuable: is,
                });
                self.go(Some(first));
                self.current.pop();
                self.mark(&[is], false);
            }
            self.mark(&[ns], false);
        }
    }

    /// A reading of every row: the values left are the section's total of
    /// new shares, or none.
    fn finish(&mut self) {
        let left: Vec<usize> = (0..self.vals.len()).filter(|&k| !self.used[k]).collect();
        let sum: i128 = self
            .current
            .iter()
            .filter_map(|r| r.new_shares)
            .map(|k| self.vals[k].0)
            .sum();
        let rank = match left.as_slice() {
            [] if sum == 0 => 0,
            [k] if sum > 0 && self.vals[*k].0 == sum && self.vals[*k].1.int().is_some() => 0,
            [] => 1,
            _ => return,
        };
        self.solutions.push((rank, self.current.clone()));
    }
}

/// The word a warrants cell counted in units carries: "units", 份.
fn unit_word(w: &str) -> bool {
    matches!(w.to_lowercase().as_str(), "units" | "unit") || w == "份"
}

/// Which table of section III a balance row is in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BalanceTable {
    Warrants,
    Convertibles,
}

/// Section III(B) or (C) in reading order whose rows were not printed whole
/// (plain `pdftotext` prints each column's cells apart, the column of shares
/// that may be issued after the section's total): the rows are read by the
/// form's arithmetic ([`solve_balances`]), or listed with null figures and a
/// finding when it does not single them out.
fn scattered_balances(
    f: &mut Filing,
    ls: &[String],
    start: usize,
    end: usize,
    named: &[NamedRow],
    table: BalanceTable,
    ctx: &Ctx,
) {
    let stop = end.min(ls.len());
    let desc_line = |i: usize| named.iter().any(|r| (r.line..=r.last_line).contains(&i));
    let mut toks: Vec<Tok> = Vec::new();
    for (i, l) in ls.iter().enumerate().take(stop).skip(start + 1) {
        if desc_line(i) {
            continue;
        }
        match entry_body(l) {
            Some(body) => toks.extend(entry_body_tokens(body, i as u32 + 1)),
            None => toks.extend(tokenize_strict(l, i as u32 + 1)),
        }
    }
    // Prices: "HKD 0.65 per share", a price beside its label, or a small
    // amount with its currency ("HK$0.415").
    let mut prices: Vec<(i128, &Tok)> = Vec::new();
    let mut is_price = vec![false; toks.len()];
    for (i, t) in toks.iter().enumerate() {
        let Some(d) = t.decimal() else { continue };
        let after_label = i > 0
            && toks[i - 1].kind == TokKind::Text
            && toks[i - 1].line == t.line
            && label_matches(&toks[i - 1].text, "price");
        let small_money =
            matches!(t.kind, TokKind::Money(..)) && micro(&d).is_some_and(|v| v < 100_000_000);
        if price_token(&toks, i).is_some() || after_label || small_money {
            is_price[i] = true;
            if let Some(v) = micro(&d) {
                prices.push((v, t));
            }
        }
    }
    let price = match prices.as_slice() {
        [(p, t), rest @ ..] if rest.iter().all(|(q, _)| q == p) && *p > 0 => Some((*p, *t)),
        _ => None,
    };
    let units = table == BalanceTable::Warrants
        && toks
            .iter()
            .any(|t| t.kind == TokKind::Text && t.text.split_whitespace().any(unit_word));
    // The figures: numbers that are neither prices nor dates, nor a number
    // that words follow on its line ("12 months"), nor a stock code.
    let mut vals: Vec<(i128, &Tok)> = Vec::new();
    let mut damaged = false;
    for (i, t) in toks.iter().enumerate() {
        if is_price[i] || !t.is_value() || t.kind == TokKind::Nil {
            continue;
        }
        if t.kind == TokKind::Bad {
            damaged = true;
            continue;
        }
        let worded = toks.get(i + 1).is_some_and(|n| {
            n.line == t.line
                && n.kind == TokKind::Text
                && !n
                    .text
                    .split_whitespace()
                    .all(|w| unit_word(w) || currency_word(w).is_some())
        });
        let code = i > 0
            && toks[i - 1].line == t.line
            && toks[i - 1].text.to_lowercase().contains("stock code");
        if worded || code {
            continue;
        }
        if let Some(v) = t.decimal().as_deref().and_then(micro) {
            vals.push((v, t));
        }
    }
    let shares_of = |amount: i128| -> Option<i128> {
        if units {
            (amount % 1_000_000 == 0).then_some(amount)
        } else {
            let (p, _) = price?;
            let exact = amount.checked_mul(1_000_000)? / p;
            Some(exact / 1_000_000 * 1_000_000)
        }
    };
    let solved = if damaged {
        None
    } else {
        solve_balances(&vals, named.len(), &shares_of)
    };
    let currency = {
        let mut cs: Vec<&'static str> = toks
            .iter()
            .filter(|t| t.kind == TokKind::Text)
            .flat_map(|t| t.text.split_whitespace())
            .filter_map(|w| match w.len() {
                3 => values::currency_of(w),
                _ if !w.is_ascii() => currency_word(w),
                _ => None,
            })
            .collect();
        cs.sort_unstable();
        cs.dedup();
        match cs.as_slice() {
            [c] => Some(c.to_string()),
            _ => price.and_then(|(_, t)| match t.kind {
                TokKind::Money(c, _) => Some(c.to_string()),
                _ => None,
            }),
        }
    };
    let class_key = {
        let answers: Vec<&Tok> = toks
            .iter()
            .filter(|t| t.kind == TokKind::Text && class_answer(&t.text))
            .collect();
        answers
            .first()
            .map_or_else(|| ctx.ordinary_key.clone(), |t| ctx.class_for(&t.text))
    };
    if solved.is_none() {
        let what = match table {
            BalanceTable::Warrants => "warrants",
            BalanceTable::Convertibles => "convertibles",
        };
        f.add_finding(
            Finding::new(
                Level::Warning,
                codes::UNREADABLE_VALUE,
                format!(
                    "section III ({what}) in reading order: the cells of its rows were printed apart and the form's arithmetic does not single them out; their figures not read"
                ),
            )
            .at(named.first().map(|r| r.line as u32 + 1)),
        );
    }
    // The date of expiry closes the description cell: in reading order it
    // comes just before the row's "Stock code" label, as in the layout. One
    // such date for each row, else none is placed.
    let expiries: Vec<Option<String>> = {
        let found: Vec<String> = toks
            .windows(2)
            .filter_map(|w| match &w[0].kind {
                TokKind::Date(d)
                    if w[1].kind == TokKind::Text
                        && (w[1].text.to_lowercase().starts_with("stock code")
                            || w[1].text.starts_with("股份代號")) =>
                {
                    Some(d.clone())
                }
                _ => None,
            })
            .collect();
        if found.len() == named.len() {
            found.into_iter().map(Some).collect()
        } else {
            Vec::new()
        }
    };
    let tok = |k: Option<usize>| k.map(|k| vals[k].1);
    let amount = |k: Option<usize>| tok(k).and_then(Tok::decimal);
    for (r, row) in named.iter().enumerate() {
        let cells = solved.as_ref().and_then(|s| s.get(r)).copied();
        let mut lines = Lines::new();
        lines.insert("description".into(), row.line as u32 + 1);
        if let Some(c) = &cells {
            for (field, k) in [
                ("opening", c.opening),
                ("moved", c.moved),
                ("closing", c.closing),
                ("new_shares_issued", c.new_shares),
                ("issuable_at_close", c.issuable),
            ] {
                if let Some(t) = tok(k) {
                    lines.insert(field.into(), t.line);
                }
            }
        }
        // A row the arithmetic proves moved nothing issued no new shares.
        let read = cells.is_some();
        let opening = cells.and_then(|c| amount(c.opening));
        let moved = cells.and_then(|c| amount(c.moved).or(Some("0".into())));
        let closing = cells.and_then(|c| amount(c.closing));
        let new_shares = cells.and_then(|c| tok(c.new_shares).and_then(Tok::int).or(Some(0)));
        let issuable = cells.and_then(|c| tok(c.issuable).and_then(Tok::int));
        let description = description_of(&row.desc);
        let mut raw = Raw::new();
        if !read {
            raw.insert("movements".into(), "unreadable".into());
        }
        match table {
            BalanceTable::Warrants => {
                let mut l = lines;
                if let Some(m) = l.remove("moved") {
                    l.insert("exercised".into(), m);
                }
                let expiry = row
                    .desc
                    .iter()
                    .find_map(|t| match &t.kind {
                        TokKind::Date(d) => Some(d.clone()),
                        _ => None,
                    })
                    .or_else(|| expiries.get(r).cloned().flatten());
                f.warrants.push(Warrant {
                    description,
                    currency: currency.clone(),
                    units,
                    opening,
                    exercised: moved,
                    closing,
                    new_shares_issued: new_shares,
                    issuable_at_close: issuable,
                    subscription_price: price.and_then(|(_, t)| t.decimal()),
                    expiry,
                    class_key: Some(class_key.clone()),
                    raw,
                    lines: l,
                });
            }
            BalanceTable::Convertibles => {
                let mut l = lines;
                for (from, to) in [
                    ("opening", "amount_opening"),
                    ("moved", "converted"),
                    ("closing", "amount_closing"),
                ] {
                    if let Some(m) = l.remove(from) {
                        l.insert(to.into(), m);
                    }
                }
                f.convertibles.push(Convertible {
                    description,
                    currency: currency.clone(),
                    amount_opening: opening,
                    converted: moved,
                    amount_closing: closing,
                    new_shares_issued: new_shares,
                    issuable_at_close: issuable,
                    conversion_price: price.and_then(|(_, t)| t.decimal()),
                    class_key: Some(class_key.clone()),
                    raw,
                    lines: l,
                });
            }
        }
    }
}

/// III(D): other agreements or arrangements to issue shares.
fn other_issues(f: &mut Filing, ls: &[String], start: usize, end: usize, ctx: &Ctx) {
    if reading_order(ls, start, end) {
        scattered_other_issues(f, ls, start, end, ctx);
        return;
    }
    for (s, e) in entries(ls, start, end) {
        let toks = entry_tokens(ls, s, e);
        let cells: Vec<&Tok> = toks
            .iter()
            .filter(|t| matches!(t.kind, TokKind::Int(_) | TokKind::Nil))
            .collect();
        let Some(first) = cells.iter().find(|t| t.int().is_some()) else {
            continue;
        };
        let particulars = text_of(&toks);
        let pos = cells
            .iter()
            .position(|t| std::ptr::eq(*t, *first))
            .unwrap_or(0);
        let mut lines = Lines::new();
        lines.insert("amount".into(), first.line);
        f.other_issues.push(OtherMovement {
            kind: MovementKind::Other,
            class_key: Some(ctx.class_for(&particulars)),
            amount: first.int(),
            date: toks.iter().find_map(|t| match &t.kind {
                TokKind::Date(d) => Some(d.clone()),
                _ => None,
            }),
            price: None,
            pending: false,
            description: Some(collapse_ws(&particulars)),
            issuable_at_close: cells.get(pos + 1).and_then(|t| t.int()),
            lines,
        });
    }
}

/// III(D) in reading order: an entry that names an arrangement is read when
/// its two cells (new shares issued, shares that may be issued) stand
/// together after its particulars, as `pdftotext -raw` prints a row; cells
/// printed apart from their entry are not read, and said so.
fn scattered_other_issues(f: &mut Filing, ls: &[String], start: usize, end: usize, ctx: &Ctx) {
    let named = named_rows(ls, start, end);
    let any_number = (start + 1..end.min(ls.len())).any(|i| {
        tokenize_strict(&ls[i], i as u32 + 1)
            .iter()
            .any(|t| matches!(t.kind, TokKind::Int(_) | TokKind::Bad))
    });
    for (s, e) in entries(ls, start, end) {
        let Some(row) = named.iter().find(|r| r.line == s) else {
            continue;
        };
        let toks = entry_tokens(ls, s, e);
        // The first run of cells with no words between them.
        let first = toks
            .iter()
            .position(|t| matches!(t.kind, TokKind::Int(_) | TokKind::Nil | TokKind::Bad));
        let run: Vec<&Tok> = first
            .map(|p| {
                toks[p..]
                    .iter()
                    .take_while(|t| matches!(t.kind, TokKind::Int(_) | TokKind::Nil | TokKind::Bad))
                    .collect()
            })
            .unwrap_or_default();
        let rest_has_number = first.is_some_and(|p| {
            toks[p + run.len()..]
                .iter()
                .any(|t| matches!(t.kind, TokKind::Int(_) | TokKind::Bad))
        });
        let whole =
            run.len() == 2 && !rest_has_number && run.iter().all(|t| t.kind != TokKind::Bad);
        if !whole {
            if any_number {
                f.add_finding(
                    Finding::new(
                        Level::Warning,
                        codes::UNREADABLE_VALUE,
                        "section III(D) in reading order: the row's cells were printed apart from it; its figures not read",
                    )
                    .at(Some(s as u32 + 1)),
                );
            }
            continue;
        }
        if run.iter().all(|t| t.int().is_none()) {
            continue;
        }
        let particulars = text_of(&row.desc);
        let mut lines = Lines::new();
        if let Some(t) = run.first() {
            lines.insert("amount".into(), t.line);
        }
        f.other_issues.push(OtherMovement {
            kind: MovementKind::Other,
            class_key: Some(ctx.class_for(&particulars)),
            amount: run[0].int(),
            date: row.desc.iter().find_map(|t| match &t.kind {
                TokKind::Date(d) => Some(d.clone()),
                _ => None,
            }),
            price: None,
            pending: false,
            description: Some(collapse_ws(&particulars)),
            issuable_at_close: run[1].int(),
            lines,
        });
    }
}

/// III(E): other movements. Each of the form's ten types is a block. Layout
/// extraction centres the type's name vertically, so a block starts at its
/// "Class of shares issuable / repurchased / redeemed" line and the name
/// comes after it; `pdftotext` raw prints the numbered name first ("3.
/// Placing At price : State"), then the labels, then the answers in the
/// labels' order, and a price before the number: there a block starts at
/// its number. Reading-order text whose blocks do not prove themselves (see
/// [`block_is_sound`]) is read by [`scattered_movements`].
fn other_movements(f: &mut Filing, ls: &[String], start: usize, end: usize, ctx: &Ctx) {
    let mended = per_share_before_entry(ls, start, end);
    let ls: &[String] = mended.as_deref().unwrap_or(ls);
    let stop = end.min(ls.len());
    let reading = reading_order_e(ls, start, stop);
    let mut starts = Vec::new();
    let mut total = None;
    for (i, l) in ls.iter().enumerate().take(stop).skip(start + 1) {
        let has = |c: u8| l.bytes().any(|b| b.to_ascii_lowercase() == c);
        let may_start =
            !l.is_ascii() || find_ci(l, "total").is_some() || (has(b'c') && has(b'f') && has(b'h'));
        let split = reading && class_label_split(ls, i);
        if !may_start && !split {
            continue;
        }
        let lc = words_lc(l);
        if lc.contains("total e.") || lc.starts_with("total ") || l.contains("總數 E") {
            starts.push(i);
            total = Some(i);
            break;
        }
        let compact: String = lc.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.contains("classofshares") || l.contains("股份類別") || split {
            starts.push(i);
        }
    }
    let region_end = total.unwrap_or(stop);
    let mut entry_first = false;
    if reading {
        let mut numbered = movement_entry_lines(ls, start, region_end);
        let class_first = starts.first().filter(|&&c| Some(c) != total);
        if numbered
            .first()
            .is_some_and(|&n| class_first.is_none_or(|&c| n < c))
        {
            entry_first = true;
            numbered.extend(total);
            starts = numbered;
        }
    }
    let mut blocks: Vec<Vec<Tok>> = starts
        .windows(2)
        .map(|w| {
            (w[0]..w[1])
                .flat_map(|i| {
                    let line = ls[i].as_str();
                    // The type number "3." in front of the type's name.
                    match entry_body(line) {
                        Some(body) => entry_body_tokens(body, i as u32 + 1),
                        None => tokenize_strict(&inner_entry_numbers_blanked(line), i as u32 + 1),
                    }
                })
                .collect()
        })
        .collect();
    if entry_first {
        carry_prices_forward(&mut blocks);
    }
    let mut read = Vec::new();
    let mut sound = true;
    let mut mixed = false;
    for toks in &blocks {
        let Some(m) = movement_of_block(toks, reading, ctx) else {
            continue;
        };
        // Each block of the form is one type: a block that names several
        // was put together out of order (mutool and pdfminer's vertical-text
        // mode print some labels away from their figures), so the section is
        // read as reading order is.
        mixed |= !reading && types_named(toks).len() > 1;
        sound &= !reading || block_is_sound(toks);
        let ty = toks
            .iter()
            .filter(|t| t.kind == TokKind::Text)
            .find_map(|t| type_named(&t.text));
        read.push((m, ty));
    }
    // Text in columns is checked when it printed a type's name before the
    // first block (the first type numbered above its class line): then
    // each type's name may stand before its own block.
    let names_lead = !reading
        && !read.is_empty()
        && starts.first().is_some_and(|&first| {
            ls[start + 1..first.min(ls.len())]
                .iter()
                .any(|l| entry_captures(l).is_some_and(|c| c.number == "1"))
        });
    if reading || mixed || names_lead {
        let region: Vec<Tok> = (start + 1..region_end)
            .flat_map(|i| match entry_body(&ls[i]) {
                Some(body) => entry_body_tokens(body, i as u32 + 1),
                None => tokenize_strict(&inner_entry_numbers_blanked(&ls[i]), i as u32 + 1),
            })
            .collect();
        let evidence = used_types(&region);
        let agree = read.len() == evidence.len()
            && read
                .iter()
                .all(|(_, ty)| evidence.iter().any(|(t, _)| Some(*t) == *ty));
        // Text in columns: blocks start at their class lines, and the type
        // named in a block is its own, unless the text prints each type's
        // name before its block (PyMuPDF, mutool, pypdf): then a block
        // holds the next type's name, and a type that shows it was used
        // (its price beside its name) has no figure read.
        let used_unread = evidence
            .iter()
            .any(|(t, _)| !read.iter().any(|(_, ty)| *ty == Some(*t)));
        let doubtful = if reading {
            !sound || (!evidence.is_empty() && !agree)
        } else {
            used_unread && !read.is_empty()
        };
        if mixed || doubtful {
            scattered_movements(f, ls, &region, &evidence, total, ctx);
            return;
        }
    }
    f.other_movements.extend(read.into_iter().map(|(m, _)| m));
}

/// Repair "a type's number inside a line": an extractor that sorts text
/// by position (PyMuPDF's sorted text) prints a section III(E) type's number
/// and name after other cells of its row ("(   /   /     )1.  Rights issue
/// At price :", "Issue and allotment4.  Bonus issue"). The number is no
/// figure: it becomes spaces (every other cell keeps its column). A number
/// is a type's when one or two digits, not part of a longer number, stand
/// before a full stop, white space and a type's name.
fn inner_entry_numbers_blanked(line: &str) -> Cow<'_, str> {
    let b = line.as_bytes();
    let mut cut: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let joined_before = start > 0 && matches!(b[start - 1], b'0'..=b'9' | b',' | b'.');
        let spaced = b.get(i + 1).is_some_and(|c| *c == b' ' || *c == b'\t');
        if start > 0
            && !joined_before
            && i - start <= 2
            && b.get(i) == Some(&b'.')
            && spaced
            && line.get(i + 1..).and_then(type_named).is_some()
        {
            cut.push((start, i + 1));
        }
    }
    if cut.is_empty() {
        return Cow::Borrowed(line);
    }
    let mut out = line.as_bytes().to_vec();
    for (a, z) in cut {
        out[a..z].fill(b' ');
    }
    // Only ASCII digits and full stops became spaces: still UTF-8.
    Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| line.to_string()))
}

/// pypdf ends a type's price on the next type's first line ("HK$2.30" over
/// "per share 3. Placing At price :", "per" over "share 8. Consideration"):
/// those words go back to the end of the line before, so the type's number
/// starts its line again. None when
/// no line of section III(E) (`start..end`) reads so; line numbers never move.
fn per_share_before_entry(ls: &[String], start: usize, end: usize) -> Option<Vec<String>> {
    // The words glued before the number, moved back; "per" may stand on
    // the price's line already ("0.65" / "per" / "share 8. Consideration").
    fn glued(l: &str) -> Option<(&str, &str)> {
        let t = trim_start_fast(l);
        ["per share", "share"].into_iter().find_map(|w| {
            let rest = t
                .get(..w.len())
                .filter(|h| h.eq_ignore_ascii_case(w))
                .and_then(|_| t.get(w.len()..))?;
            (rest.starts_with(' ') && entry_captures(rest).is_some()).then_some((w, rest))
        })
    }
    let at: Vec<usize> = (start + 1..end.min(ls.len()))
        .filter(|&i| glued(&ls[i]).is_some())
        .collect();
    if at.is_empty() {
        return None;
    }
    let mut out = ls.to_vec();
    for i in at {
        let Some(prev) = (start + 1..i).rev().find(|&k| !out[k].trim().is_empty()) else {
            continue;
        };
        let Some((words, rest)) = glued(&ls[i]) else {
            continue;
        };
        out[prev] = format!("{} {words}", out[prev].trim_end());
        out[i] = rest.to_string();
    }
    Some(out)
}

/// "Class" / "of" / "shares Ordinary Shares" / "repurchased (Note 1)":
/// reading-order extraction cut the label of a block into words, one a line.
fn class_label_split(ls: &[String], i: usize) -> bool {
    let word = |k: usize| ls.get(k).map(|l| l.trim().to_lowercase());
    word(i).as_deref() == Some("class")
        && word(i + 1).as_deref() == Some("of")
        && word(i + 2).is_some_and(|w| w.starts_with("shares"))
}

/// The lines of section III(E) that start a numbered type ("1. Rights issue
/// At price :", "9. Capital", "3." over "Placing"), numbered 1, 2, 3... in
/// the form's order.
fn movement_entry_lines(ls: &[String], start: usize, end: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut expect = 1u32;
    for (i, l) in ls.iter().enumerate().take(end).skip(start + 1) {
        let Some(c) = entry_captures(l) else { continue };
        if c.number() != expect {
            continue;
        }
        let body = c.body;
        let named = match body {
            Some(b) => type_named(b).is_some(),
            None => ls
                .iter()
                .skip(i + 1)
                .take(3)
                .find(|x| !x.trim().is_empty())
                .is_some_and(|x| type_named(x.trim()).is_some()),
        };
        if named {
            out.push(i);
            expect += 1;
        }
    }
    out
}

/// `pdftotext` raw prints a type's price ("HK$2.30" / "per share") before
/// its number: a price closing a block belongs to the next one.
fn carry_prices_forward(blocks: &mut [Vec<Tok>]) {
    for k in 0..blocks.len().saturating_sub(1) {
        let b = &blocks[k];
        let mut cut = b.len();
        let mut priced = false;
        while cut > 0 {
            let t = &b[cut - 1];
            let is_price = matches!(t.kind, TokKind::Money(..) | TokKind::Dec(_));
            if is_price && !priced {
                priced = true;
            } else if !(t.kind == TokKind::Text && price_words(&t.text)) {
                break;
            }
            cut -= 1;
        }
        if !priced {
            continue;
        }
        let moved: Vec<Tok> = blocks[k].drain(cut..).collect();
        let next = &mut blocks[k + 1];
        next.splice(0..0, moved);
    }
}

/// Words that stand around a price in section III(E): "At price :", "State
/// currency", "per share", a currency, 港幣每股 ... 元.
fn price_words(text: &str) -> bool {
    text.split_whitespace().all(|w| {
        let lc = w.to_lowercase();
        let lc = lc.trim_matches(|c: char| c == ':' || c == '：' || c == '(' || c == ')');
        matches!(
            lc,
            "" | "at" | "price" | "state" | "currency" | "per" | "share" | "shares" | "元"
        ) || currency_word(w).is_some()
            || ["每股", "價格", "請註明", "貨幣"]
                .iter()
                .any(|z| w.contains(z))
    })
}

/// The movement a block of section III(E) reports, if it holds a number.
fn movement_of_block(toks: &[Tok], reading: bool, ctx: &Ctx) -> Option<OtherMovement> {
    let cells: Vec<&Tok> = toks
        .iter()
        .filter(|t| matches!(t.kind, TokKind::Int(_) | TokKind::Nil))
        .collect();
    // The first cell is the "Class of shares issuable" answer when it is N/A.
    let nums: Vec<&Tok> = cells
        .iter()
        .filter(|t| t.int().is_some())
        .copied()
        .collect();
    let first = nums.first()?;
    let text = text_of(toks);
    let kind = movement_kind(&text);
    let raw_amount = first.int().unwrap_or(0);
    let amount = signed_movement(kind, raw_amount);
    let price = price_after(toks, "at price", false).or_else(|| first_price(toks));
    let event_date = match event_slot(toks) {
        Some(slot) => slot,
        None if reading => slot_date(toks).unwrap_or_else(|| event_date(toks)),
        None => event_date(toks),
    };
    // Shares repurchased but not cancelled by the month's end do not
    // change the issued shares yet: the form leaves the cancellation date
    // empty ("Cancellation date : ( / / )") or says so in words.
    let lc = text.to_lowercase();
    let pending = kind == MovementKind::Repurchase
        && (event_date.is_none() || lc.contains("not yet cancelled") || text.contains("尚未註銷"));
    let mut lines = Lines::new();
    lines.insert("amount".into(), first.line);
    if let Some((_, _, l)) = &price {
        lines.insert("price".into(), *l);
    }
    Some(OtherMovement {
        kind,
        class_key: Some(ctx.class_for(&text)),
        amount: Some(amount),
        date: event_date.clone(),
        price: price.map(|(_, p, _)| p),
        pending,
        description: Some(type_name_of(kind, &text)),
        issuable_at_close: nums.get(1).and_then(|t| t.int()),
        lines,
    })
}

/// The name of a block's type, agreeing with its kind: a block that also
/// holds its neighbour's name ("Repurchase of" / "shares" wrapped, then
/// "7. Redemption of shares" whole) is named by its kind.
fn type_name_of(kind: MovementKind, text: &str) -> String {
    let name = block_type_name(text);
    if movement_kind(&name) == kind {
        return name;
    }
    MOVE_TYPES
        .iter()
        .map(|t| t.0)
        .find(|n| movement_kind(n) == kind)
        .map_or(name, str::to_string)
}

/// Repurchases, redemptions and cancellations reduce the issued shares
/// whatever sign the form printed.
fn signed_movement(kind: MovementKind, raw: i64) -> i64 {
    match kind {
        MovementKind::Repurchase | MovementKind::Redemption | MovementKind::Cancellation => {
            -raw.abs()
        }
        _ => raw,
    }
}

/// The answer to a block's event date label ("Cancellation date :", "Issue
/// and allotment date :", 註銷日期), where the block's order tells it:
/// - the empty "( / / )" printed on the label's own line;
/// - the first date cell after the approval date's label, when the block
///   prints its date labels one after the other and then their answers
///   (pdfminer, pypdf): nothing but the labels' words between the event
///   label and the approval label, and two or more date cells after them.
///
/// The label is the last one before the block's first figure: a block may
/// begin with its neighbour's labels and answers. None otherwise: layout
/// extraction centres a cell between its label's lines, so a date may come
/// before its label, and there columns tell them apart.
fn event_slot(toks: &[Tok]) -> Option<Option<String>> {
    let approval_words = |t: &Tok, lc: &str| lc.contains("approval") || t.text.contains("通過");
    let is_approval_label =
        |t: &Tok| t.kind == TokKind::Text && approval_words(t, &t.text.to_ascii_lowercase());
    let figure = toks
        .iter()
        .position(|t| matches!(t.kind, TokKind::Int(_)))
        .unwrap_or(toks.len());
    // Label starts: "Issue and allotment" (its "date :" goes on after it,
    // perhaps after its cell), or a date label of its own.
    let mut at = None;
    let mut after_allotment = false;
    for (i, t) in toks.iter().enumerate().take(figure) {
        if t.kind != TokKind::Text || empty_date(&t.text) {
            continue;
        }
        let lc = t.text.to_ascii_lowercase();
        let allotment = lc.contains("allotment") || t.text.contains("配發");
        let dated = (lc.contains("date") || t.text.contains("日期")) && !approval_words(t, &lc);
        if allotment || (dated && !after_allotment) {
            at = Some(i);
        }
        after_allotment = allotment;
    }
    let at = at?;
    let label = &toks[at].text;
    let answer = label.rsplit([':', '：']).next().unwrap_or("").trim();
    if label.contains([':', '：']) && empty_date(answer) {
        return Some(None);
    }
    let after = &toks[at + 1..];
    let approval = after.iter().position(is_approval_label)?;
    if !after[..approval]
        .iter()
        .all(|t| t.kind == TokKind::Text && label_words_only(&t.text))
    {
        return None;
    }
    let slots: Vec<Option<String>> = after[approval + 1..].iter().filter_map(date_slot).collect();
    (slots.len() >= 2).then(|| slots.into_iter().next().flatten())
}

/// Words of a date label only: "date :", "(dd/mm/yyyy)", "(日/月/年)".
fn label_words_only(text: &str) -> bool {
    let mut rest: String = text
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for w in ["date", "yyyy", "dd", "mm", "日期", "日", "月", "年"] {
        rest = rest.replace(w, "");
    }
    rest.chars()
        .all(|c| matches!(c, ':' | '：' | '(' | ')' | '（' | '）' | '/'))
}

/// A cell of a date: a date, or the form's empty "( / / )".
fn date_slot(t: &Tok) -> Option<Option<String>> {
    match &t.kind {
        TokKind::Date(d) => Some(Some(d.clone())),
        TokKind::Text if empty_date(&t.text) => Some(None),
        _ => None,
    }
}

/// The form's empty date "( / / )", or its opening part ("( / /") where
/// reading-order extraction cut it.
fn empty_date(s: &str) -> bool {
    s.contains('/') && s.chars().all(|c| matches!(c, '(' | ')' | '/' | ' '))
}

/// The date of the event in a block read in reading order: the block's date
/// cells come in the labels' order (issue, cancellation or redemption date
/// first, then the approval date). None when the block has fewer than two
/// date cells: which one is left cannot be told.
fn slot_date(toks: &[Tok]) -> Option<Option<String>> {
    let slots: Vec<Option<String>> = toks.iter().filter_map(date_slot).collect();
    if slots.len() < 2 {
        return None;
    }
    slots.into_iter().next()
}

/// A block read in reading order proves its movement when it also holds the
/// answer to its "Class of shares" (the class the movement is in) and names
/// one type only: reading-order extraction can leave a type's figures in its
/// neighbour's block, whose class answer is then "N/A".
fn block_is_sound(toks: &[Tok]) -> bool {
    let answered = toks
        .iter()
        .any(|t| t.kind == TokKind::Text && class_answer(&t.text));
    answered && types_named(toks).len() == 1
}

/// The types of section III(E) a block's words name, each once.
fn types_named(toks: &[Tok]) -> Vec<usize> {
    let mut types: Vec<usize> = toks
        .iter()
        .filter(|t| t.kind == TokKind::Text)
        .filter_map(|t| type_named(&t.text))
        .collect();
    types.sort_unstable();
    types.dedup();
    types
}

/// Words answering "Class of shares": ordinary, preference, 普通股...
fn class_answer(text: &str) -> bool {
    let lc = text.to_lowercase();
    (lc.contains("ordinary")
        || lc.contains("preference")
        || text.contains("普通股")
        || text.contains("優先股"))
        && !lc.starts_with('(')
}

/// The form's ten types of other movements, in its order: the name, the
/// words that start it in English and Chinese, and whether its row asks
/// for a price.
const MOVE_TYPES: &[(&str, &[&str], bool)] = &[
    ("Rights issue", &["rights issue", "供股"], true),
    ("Open offer", &["open offer", "公開招股", "公開發售"], true),
    ("Placing", &["placing", "配售"], true),
    ("Bonus issue", &["bonus issue", "紅股"], false),
    ("Scrip dividend", &["scrip dividend", "以股代息"], true),
    (
        "Repurchase of shares",
        &["repurchase of", "購回股份"],
        false,
    ),
    (
        "Redemption of shares",
        &["redemption of", "贖回股份"],
        false,
    ),
    ("Consideration issue", &["consideration", "代價發行"], true),
    (
        "Capital reorganisation",
        &["capital reorganisation", "reorganisation", "資本重組"],
        false,
    ),
    (
        "Other",
        &["other (please specify)", "(please specify)", "其他"],
        true,
    ),
];

/// The type a piece of text names when it starts with the type's name.
fn type_named(text: &str) -> Option<usize> {
    let lc = words_lc(text);
    if lc == "capital" || lc == "other" {
        return Some(if lc == "capital" { 8 } else { 9 });
    }
    MOVE_TYPES
        .iter()
        .position(|(_, words, _)| words.iter().any(|w| lc.starts_with(w)))
}

/// The type a piece of text names after any price words and the type's
/// number: pypdf prints "per share 3. Placing At price :" as one line.
fn type_named_after_price_words(text: &str) -> Option<usize> {
    let mut rest = text.trim_start();
    while let Some(w) = rest.split_whitespace().next() {
        if !(price_words(w) || entry_number(w)) {
            break;
        }
        rest = rest[w.len()..].trim_start();
    }
    // The tokenizer cuts "3. Placing" into "3" and ". Placing".
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    if rest.trim().is_empty() {
        return None;
    }
    type_named(rest)
}

/// A type's number in section III(E): "3.", "3", ".".
fn entry_number(w: &str) -> bool {
    let digits = w.strip_suffix('.').unwrap_or(w);
    digits.len() <= 2 && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The types of section III(E) that show they were used, each with the price
/// printed beside its "At price" label, by evidence that survives reading
/// order: a price ("HK$2.30" / "per share") next to the type's name and "At
/// price : State currency" words only, or a class answer glued to its label
/// ("Class of shares issuable Ordinary Shares" over "(Note 1)" / "3." /
/// "Placing"; "shares Ordinary Shares" over "repurchased (Note 1)").
fn used_types(region: &[Tok]) -> Vec<(usize, Option<(String, u32)>)> {
    let anchor = |t: &Tok| {
        if t.kind == TokKind::Text {
            type_named_after_price_words(&t.text)
        } else {
            None
        }
    };
    let mut out: Vec<(usize, Option<(String, u32)>)> = Vec::new();
    let mut add =
        |ty: usize, price: Option<(String, u32)>| match out.iter_mut().find(|(t, _)| *t == ty) {
            Some(e) => {
                if e.1.is_none() {
                    e.1 = price;
                }
            }
            None => out.push((ty, price)),
        };
    for (i, t) in region.iter().enumerate() {
        if let Some(p) = price_token(region, i) {
            let walk = |range: &mut dyn Iterator<Item = usize>| {
                for j in range {
                    let u = &region[j];
                    if let Some(ty) = anchor(u) {
                        return MOVE_TYPES[ty].2.then_some(ty);
                    }
                    if !(u.kind == TokKind::Text && (price_words(&u.text) || entry_number(&u.text)))
                    {
                        return None;
                    }
                }
                None
            };
            let back = walk(&mut (0..i).rev());
            let fwd = walk(&mut (i + 1..region.len()));
            let ty = match (back, fwd) {
                (Some(a), Some(b)) if a != b => None,
                (a, b) => a.or(b),
            };
            if let Some(ty) = ty {
                add(ty, Some((p, t.line)));
            }
            continue;
        }
        if t.kind != TokKind::Text || !class_answer(&t.text) {
            continue;
        }
        let lc = t.text.to_lowercase();
        let next = region
            .get(i + 1)
            .map(|n| n.text.to_lowercase())
            .unwrap_or_default();
        let glued = lc.contains("class of shares")
            || t.text.contains("股份類別")
            || (lc.starts_with("shares ")
                && i >= 2
                && region[i - 2].text.eq_ignore_ascii_case("class"));
        if !glued {
            continue;
        }
        if lc.contains("repurchased")
            || next.starts_with("repurchased")
            || t.text.contains("所購回")
        {
            add(5, None);
        } else if lc.contains("redeemed")
            || next.starts_with("redeemed")
            || t.text.contains("所贖回")
        {
            add(6, None);
        } else if lc.contains("issuable") || t.text.contains("可發行") {
            // The type's name below its class line: only "(Note 1)" and the
            // type's number between them.
            for u in region.iter().skip(i + 1).take(4) {
                if let Some(ty) = anchor(u) {
                    add(ty, None);
                    break;
                }
                let w = u.text.to_lowercase();
                let between =
                    w == "(note 1)" || w == "(註 1)" || w == "." || w.parse::<u32>().is_ok();
                if !between {
                    break;
                }
            }
        }
    }
    out.sort_by_key(|(t, _)| *t);
    out
}

/// The price at `i`, as an exact decimal: a number with a decimal point or
/// a currency, followed by "per" ("HK$2.30 per share", "0.65" / "per") or
/// written the Chinese way (港幣每股 / "2.30 元").
fn price_token(toks: &[Tok], i: usize) -> Option<String> {
    let t = toks.get(i)?;
    let d = match &t.kind {
        TokKind::Money(_, d) | TokKind::Dec(d) => d.clone(),
        _ => return None,
    };
    let next = toks.get(i + 1).filter(|n| n.kind == TokKind::Text);
    let per = next.is_some_and(|n| {
        let lc = n.text.to_lowercase();
        lc.starts_with("per") || n.text.starts_with('元')
    });
    let prev_zh = i > 0 && toks[i - 1].kind == TokKind::Text && toks[i - 1].text.contains("每股");
    (per || prev_zh).then_some(d)
}

/// Section III(E) in reading order whose blocks do not prove themselves:
/// `pdftotext`'s reading order can print a type's figures under another
/// type's name. The figures are read only when exactly one type shows it
/// was used ([`used_types`]) and the figure cannot be the "may be issued"
/// column (a reduction, or the figure the "Total E." line repeats); the date
/// only from a date cell beside its own label. Otherwise nothing is read and
/// a finding says so.
fn scattered_movements(
    f: &mut Filing,
    ls: &[String],
    region: &[Tok],
    evidence: &[(usize, Option<(String, u32)>)],
    total: Option<usize>,
    ctx: &Ctx,
) {
    let counts: Vec<&Tok> = region
        .iter()
        .enumerate()
        .filter(|(i, t)| t.int().is_some() && price_token(region, *i).is_none())
        .map(|(_, t)| t)
        .collect();
    let Some(first) = counts.first() else {
        // Every figure N/A: nothing moved.
        return;
    };
    let line = Some(first.line);
    let unread = |f: &mut Filing, why: &str| {
        f.add_finding(
            Finding::new(
                Level::Warning,
                codes::UNREADABLE_VALUE,
                format!("section III(E) in reading order: {why}; its figures not read"),
            )
            .at(line),
        );
    };
    let [(ty, price)] = evidence else {
        unread(f, "which type each figure belongs to was lost");
        return;
    };
    let raw = first.int().unwrap_or(0);
    let total_e = total.and_then(|t| total_e_value(ls, t));
    if counts.len() > 2 || !(raw < 0 || total_e == Some(raw)) {
        unread(f, "which column each figure belongs to was lost");
        return;
    }
    let (name, _, _) = MOVE_TYPES[*ty];
    let reduces = matches!(*ty, 5 | 6 | 8 | 9);
    if raw < 0 && !reduces {
        unread(f, "a reduction under a type that issues shares");
        return;
    }
    let kind = movement_kind(name);
    let labels: &[&str] = match ty {
        5 => &["cancellation date", "註銷日期"],
        6 => &["redemption date", "贖回日期"],
        _ => &["issue and allotment", "發行及配發日期"],
    };
    let (slots, labelled) = labelled_slots(region, labels);
    let dates: Vec<&String> = slots.iter().flatten().collect();
    let date = match dates.as_slice() {
        [d] => Some(Some((*d).clone())),
        [] if slots.len() == labelled => Some(None),
        _ => None,
    };
    let pending = kind == MovementKind::Repurchase && matches!(date, Some(None));
    if kind == MovementKind::Repurchase && date.is_none() {
        unread(f, "whether the repurchased shares were cancelled was lost");
        return;
    }
    if date.is_none() {
        f.add_finding(
            Finding::new(
                Level::Warning,
                codes::UNREADABLE_VALUE,
                format!(
                    "section III(E) in reading order: the date of the {} was lost",
                    name.to_lowercase()
                ),
            )
            .at(line),
        );
    }
    let mut lines = Lines::new();
    lines.insert("amount".into(), first.line);
    if let Some((_, l)) = price {
        lines.insert("price".into(), *l);
    }
    f.other_movements.push(OtherMovement {
        kind,
        class_key: Some(ctx.ordinary_key.clone()),
        amount: Some(signed_movement(kind, raw)),
        date: date.flatten(),
        price: price.as_ref().map(|(p, _)| p.clone()),
        pending,
        description: Some(name.to_string()),
        issuable_at_close: counts.get(1).and_then(|t| t.int()),
        lines,
    });
}

/// The date cells next to a label (the label, "date : (dd/mm/yyyy)", then the
/// cell), and how many times the label occurs.
fn labelled_slots(region: &[Tok], labels: &[&str]) -> (Vec<Option<String>>, usize) {
    let mut slots = Vec::new();
    let mut n = 0;
    for (i, t) in region.iter().enumerate() {
        let lc = t.text.to_lowercase();
        if t.kind != TokKind::Text || !labels.iter().any(|l| lc.contains(l)) {
            continue;
        }
        n += 1;
        for u in region.iter().skip(i + 1).take(3) {
            if let Some(s) = date_slot(u) {
                slots.push(s);
                break;
            }
            let rest: String = u
                .text
                .to_lowercase()
                .replace("date", "")
                .replace("dd/mm/yyyy", "")
                .chars()
                .filter(|c| {
                    !matches!(
                        c,
                        ':' | '：' | '(' | ')' | ' ' | '/' | '日' | '月' | '年' | '期'
                    )
                })
                .collect();
            if u.kind != TokKind::Text || !rest.is_empty() {
                break;
            }
        }
    }
    (slots, n)
}

/// The ordinary shares figure of the "Total E." line when it stands beside
/// its label: "(Ordinary shares) 140,100,000".
fn total_e_value(ls: &[String], total: usize) -> Option<i64> {
    for (i, l) in ls.iter().enumerate().skip(total).take(3) {
        let at = find_ci(l, "(ordinary shares)")
            .map(|p| p + "(ordinary shares)".len())
            .or_else(|| l.find("(普通股)").map(|p| p + "(普通股)".len()));
        let Some(p) = at else {
            continue;
        };
        let toks = tokenize_strict(l.get(p..).unwrap_or(""), i as u32 + 1);
        return toks.iter().find(|t| t.is_value()).and_then(Tok::int);
    }
    None
}

/// The date of the event in a section III(E) block: the first date that is
/// not an "EGM/AGM approval date" (the label just before it says which).
fn event_date(toks: &[Tok]) -> Option<String> {
    let mut after_approval = false;
    for t in toks {
        match &t.kind {
            TokKind::Text => {
                let lc = t.text.to_lowercase();
                after_approval = lc.contains("approval") || t.text.contains("通過日");
            }
            TokKind::Date(d) if !after_approval => return Some(d.clone()),
            _ => {}
        }
    }
    None
}

/// The kind of a section III(E) block or a next day return event, from its words.
pub(crate) fn movement_kind(text: &str) -> MovementKind {
    let lc = text.to_lowercase();
    let has = |w: &str| lc.contains(w);
    if has("rights issue") || text.contains("供股") {
        MovementKind::RightsIssue
    } else if has("open offer") || text.contains("公開發售") {
        MovementKind::OpenOffer
    } else if has("repurchase") || text.contains("購回") {
        MovementKind::Repurchase
    } else if has("redemption") || has("redeemed") || text.contains("贖回") {
        MovementKind::Redemption
    } else if has("scrip dividend")
        || lc.split_whitespace().any(|w| w == "scrip")
        || text.contains("以股代息")
    {
        MovementKind::Scrip
    } else if has("bonus") || text.contains("紅股") {
        MovementKind::Bonus
    } else if has("consolidation") {
        MovementKind::Consolidation
    } else if has("subdivision") || has("sub-division") {
        MovementKind::Subdivision
    } else if has("convertible") || has("conversion") || text.contains("換股") {
        MovementKind::Conversion
    } else if has("warrant")
        || has("option")
        || has("exercise")
        || text.contains("認股權證")
        || text.contains("期權")
    {
        MovementKind::Exercise
    } else if has("placing") || text.contains("配售") {
        MovementKind::Placing
    } else if has("share award") {
        MovementKind::ShareAward
    } else {
        MovementKind::Other
    }
}

fn block_type_name(text: &str) -> String {
    const NAMES: &[&str] = &[
        "Rights issue",
        "Open offer",
        "Placing",
        "Bonus issue",
        "Scrip dividend",
        "Repurchase of shares",
        "Redemption of shares",
        "Consideration issue",
        "Capital reorganisation",
        "Other",
    ];
    let lc = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    for n in NAMES {
        if lc.contains(&n.to_lowercase()) {
            return n.to_string();
        }
    }
    // Wrapped names: "Repurchase of" / "shares", "Capital" / "reorganisation".
    for (w, n) in [
        ("repurchase", "Repurchase of shares"),
        ("redemption", "Redemption of shares"),
        ("consideration", "Consideration issue"),
        ("reorganisation", "Capital reorganisation"),
    ] {
        if lc.contains(w) {
            return n.to_string();
        }
    }
    "Other".to_string()
}

fn remarks(f: &mut Filing, ls: &[String], start: usize, end: usize) {
    let first = ls.get(start).map(|l| {
        let lc = l.to_lowercase();
        match lc.find("(if any)") {
            Some(p) => l.get(p + "(if any)".len()..).unwrap_or(""),
            None => l.split_once(['：', ':']).map(|(_, r)| r).unwrap_or(""),
        }
        .trim_start_matches([':', '：'])
        .to_string()
    });
    let mut text = first.unwrap_or_default();
    for l in ls.iter().take(end.min(ls.len())).skip(start + 1) {
        let may_end = !l.is_ascii()
            || trim_start_fast(l)
                .bytes()
                .next()
                .is_some_and(|b| b"snSN".contains(&b));
        if may_end && {
            let lc = words_lc(l);
            lc.starts_with("submitted by") || lc.starts_with("notes")
        } {
            break;
        }
        if is_form_note(l) {
            continue;
        }
        text.push(' ');
        text.push_str(l);
    }
    let text = collapse_ws(&text);
    if !text.is_empty() {
        f.remarks = Some(text);
        f.lines.insert("remarks".into(), start as u32 + 1);
    }
}

/// A line of the form's own notes, or a note's number alone: pdfminer with
/// vertical-text detection prints the notes ("State the class of shares
/// ...", "If there is insufficient space ...") before their heading, right
/// under "Remarks (if any):". They are no remark.
fn is_form_note(l: &str) -> bool {
    let t = l.trim();
    let number = t
        .strip_suffix('.')
        .is_some_and(|n| !n.is_empty() && n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit()));
    let lc = words_lc(t);
    let lc = lc.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
    number
        || lc.starts_with("state the class of shares")
        || lc.starts_with("if there is insufficient space")
        || t.contains("請註明股份類別")
        || t.contains("如空位不敷應用")
}

pub(crate) fn signer(f: &mut Filing, ls: &[String], start: usize) {
    let clean = |s: &str| -> String {
        s.trim_start_matches([':', '：'])
            .replace('_', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let Some(l) = ls.get(start) else { return };
    let after = match l.find("呈交者") {
        Some(p) => Some(p + "呈交者".len()),
        None => find_label(l, "submitted by"),
    };
    let mut name = after
        .and_then(|p| l.get(p..))
        .map(clean)
        .unwrap_or_default();
    let mut title = None;
    let mut name_line = start;
    // Cut a title glued onto the name (pypdf's "Title:"; pdfminer without
    // layout prints "name (姓名) 職銜： title (董事、秘書…)" as one line),
    // and the captions under the name and the title.
    let glued = ["Title:", "Title :", "職銜"]
        .iter()
        .filter_map(|label| name.find(label).map(|p| (p, p + label.len())))
        .min();
    if let Some((p, q)) = glued {
        let t = without_caption(&clean(name.get(q..).unwrap_or("")));
        if !t.is_empty() {
            title = Some(t);
        }
        name = without_caption(name.get(..p).unwrap_or(""));
    }
    for (j, l) in ls.iter().enumerate().skip(start + 1).take(6) {
        let t = l.trim();
        if t.is_empty() {
            continue;
        }
        let title_at = find_label(t, "title").or_else(|| t.find("職銜").map(|p| p + "職銜".len()));
        if name.is_empty() && title_at.is_none() && !t.starts_with('(') {
            name = clean(t);
            name_line = j;
            continue;
        }
        if let Some(p) = title_at {
            let rest = clean(t.get(p..).unwrap_or(""));
            if !rest.is_empty() && title.is_none() {
                title = Some(rest);
            } else if title.is_none() {
                title = ls
                    .iter()
                    .skip(j + 1)
                    .take(3)
                    .map(|x| clean(x))
                    .find(|x| !x.is_empty() && !x.starts_with('('));
            }
            break;
        }
    }
    if !name.is_empty() && !name.starts_with('(') {
        f.signer = Some(Signer { name, title });
        f.lines.insert("signer".into(), name_line as u32 + 1);
    }
}

/// A signer's name or title less the form's caption printed after it:
/// "(Name)", "(姓名)", "(Director, Secretary or other Duly Authorised
/// Officer)", "(董事、秘書或其他獲正式授權的人員)".
fn without_caption(s: &str) -> String {
    let lc = s.to_ascii_lowercase();
    let cut = ["(name)", "(姓名)", "(director", "(董事"]
        .iter()
        .filter_map(|c| lc.find(c))
        .min()
        .unwrap_or(s.len());
    s.get(..cut).unwrap_or(s).trim().to_string()
}

/// Total funds raised from the exercise of options: the amount on the label's
/// line or the next ("options (HK$)   N/A").
fn funds_raised(f: &mut Filing, ls: &[String]) {
    for (i, l) in ls.iter().enumerate() {
        let Some(at) = find_ignore_case(l, "total funds raised", 6)
            .or_else(|| (!l.is_ascii()).then(|| l.find("所得資金總額")).flatten())
        else {
            continue;
        };
        for j in i..(i + 3).min(ls.len()) {
            let Some(line) = ls.get(j) else { break };
            // On the label's own line, only what follows the label: a line
            // that holds the whole form (pdfminer without layout analysis)
            // has the stock code and every other figure before it.
            let line = if j == i {
                line.get(at..).unwrap_or("")
            } else {
                line
            };
            let vals: Vec<Tok> = tokenize_strict(line, j as u32 + 1)
                .into_iter()
                .filter(Tok::is_value)
                .collect();
            if let Some(t) = vals.first() {
                if let Some(d) = t.decimal() {
                    f.funds_raised = Some(d);
                    f.lines.insert("funds_raised".into(), t.line);
                }
                return;
            }
        }
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::Strategy;

    #[test]
    fn holds_ci_finds_the_needle_in_any_case_around_its_rare_letter() {
        for hay in [
            "Total Funds Raised: 1 total funds raised",
            "x total funds rais",
            "",
        ] {
            assert_eq!(
                find_ignore_case(hay, "total funds raised", 6),
                find_ci(hay, "total funds raised")
            );
        }
        assert!(holds_ci("For GEM Listed ISSUERS", "issuers", 4));
        assert!(holds_ci("issuers", "issuers", 4));
        assert!(!holds_ci("listed issue rs", "issuers", 4));
        assert!(!holds_ci("ers", "issuers", 4));
        assert!(holds_ci("  Page 2 of 9", "page", 2));
        assert!(!holds_ci("pa ge", "page", 2));
        assert!(!holds_ci("gage", "page", 2));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// The hand-written entry matcher is the regex on every ASCII line.
        #[test]
        fn entry_line_by_hand_is_the_regex(
            // An entry's shape, each part maybe left out or damaged.
            line in (
                "[ \\t\\x0b]{0,2}",
                "[0-9]{0,3}|x",
                "[ \\t]{0,2}",
                "\\.?|,",
                "[ \\t\\x0c\\r]{0,2}",
                "(19|20|21)[0-9]{1,2}|[0-9]{1,3}|[A-Za-z(]{0,3}|[12] [09][0-9]{2}|(19|20) [0-9]{1,2}|(19|20)[0-9] [0-9]{1,2}",
                "[ \\t]{0,2}",
                "[A-Za-z0-9 ]{0,4}",
            )
                .prop_map(|(a, b, c, d, e, f, g, h)| [a, b, c, d, e, f, g, h].concat()),
        ) {
            let by_regex = ENTRY_RE.captures(&line).map(|c| {
                (
                    c.get(1).map(|m| m.as_str().to_string()),
                    c.get(2).or_else(|| c.get(3)).map(|m| m.as_str().to_string()),
                )
            });
            let by_hand = entry_line_ascii(&line)
                .map(|e| (Some(e.number.to_string()), e.body.map(str::to_string)));
            proptest::prop_assert_eq!(by_hand, by_regex, "{:?}", line);
        }
    }

    #[test]
    fn a_space_before_a_thousands_group_is_closed_and_later_cells_keep_their_columns() {
        assert_eq!(
            close_spaced_groups("Total 1,740,000   HK$3 ,184,200.00  x"),
            "Total 1,740,000   HK$3,184,200.00   x"
        );
        let toks = tokenize("HK$3 ,184,200.00   On the Exchange", 1);
        assert!(
            matches!(&toks[0].kind, TokKind::Money(_, d) if d == "3184200.00"),
            "{toks:?}"
        );
        // "On the Exchange" stands at column 19 as printed.
        assert_eq!(toks.last().map(|t| t.col), Some(19));
        // A comma after a space that starts no thousands group stays.
        assert_eq!(
            close_spaced_groups("3 ,18 and 4 ,1234"),
            "3 ,18 and 4 ,1234"
        );
        assert_eq!(close_spaced_groups("Yes ,000"), "Yes ,000");
    }

    /// A line holding the whole form (pdfminer without layout analysis) has
    /// the stock code before the funds raised label: only what follows the
    /// label is its value.
    #[test]
    fn funds_raised_is_read_after_its_label_only() {
        let mut f = Filing::new("x.txt", Kind::MonthlyReturn, Form::Legacy);
        let line = "(1) Stock code : 2731 Description : Ordinary Shares \
                    Total funds raised during the month from exercise of options : N/A \
                    Remarks : Nil";
        funds_raised(&mut f, &[line.to_string()]);
        assert_eq!(f.funds_raised, None);
        let line = "(1) Stock code : 2731 Total funds raised during the month from \
                    exercise of options : HK$1,250,000";
        funds_raised(&mut f, &[line.to_string()]);
        assert_eq!(f.funds_raised.as_deref(), Some("1250000"));
    }

    /// A warrant's description "(12 months from (and inclusive of) the
    /// date of issue" holds a number that is no cell; a bracketed number
    /// or date standing alone is one.
    #[test]
    fn a_number_opening_a_bracketed_phrase_is_text() {
        let kinds = |s: &str| -> Vec<bool> {
            tokenize_strict(s, 1)
                .iter()
                .map(|t| t.kind != TokKind::Text)
                .collect()
        };
        assert_eq!(
            kinds("(12 months from (and inclusive"),
            [false, false, false]
        );
        assert_eq!(kinds("    (3 years after the issue"), [false, false, false]);
        assert_eq!(kinds("Nominal value (12) units"), [false, true, false]);
        assert!(kinds("Warrants 2011 (12  10,000,000").contains(&true));
    }

    /// Every line of the project's fixtures and of the real filings beside
    /// the repository, tokenized with and without capture groups.
    #[test]
    fn the_fast_scan_finds_the_tokens_the_captures_find() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![root.join("tests/fixtures")];
        for shared in [
            root.join("../shared/realdata"),
            root.join("../../shared/realdata"),
        ] {
            if shared.is_dir() {
                dirs.push(shared);
                break;
            }
        }
        let mut lines = 0;
        while let Some(d) = dirs.pop() {
            let Ok(rd) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&p) else {
                    continue;
                };
                for (i, l) in text.lines().enumerate() {
                    let fast = scan_tokens(l, i as u32, true, true);
                    let slow = scan_tokens(l, i as u32, true, false);
                    assert_eq!(fast, slow, "{}:{}: {l}", p.display(), i + 1);
                    lines += 1;
                }
            }
        }
        assert!(lines > 1000, "only {lines} lines compared");
        // Pieces of cells glued in every order, spaces and none between.
        const PIECES: &[&str] = &[
            "(",
            ")",
            "( 27 / 10 / 2012)",
            "31/1/2011",
            "2 June 2010",
            "1st Jan. 2011",
            "(Note 1)",
            "(dd/mm/yyyy)",
            "HK$2.25",
            "hkd 0.65",
            "$(1,000)",
            "US$",
            "(5,940,000)",
            "(1)",
            "-12",
            "--",
            "- ",
            "-",
            "N/A",
            "n / a",
            "Nil",
            "nil",
            "12%",
            "0.10",
            "1,234,567",
            "1234,56",
            ",000",
            "00,0",
            "5",
            "2015",
            "x",
            "Share",
            "/",
            "due",
        ];
        let mut n = 0u64;
        for a in PIECES {
            for b in PIECES {
                for c in PIECES {
                    for sep in ["", " "] {
                        let l = format!("{a}{sep}{b}{sep}{c}");
                        let fast = scan_tokens(&l, 1, true, true);
                        let slow = scan_tokens(&l, 1, true, false);
                        assert_eq!(fast, slow, "{l:?}");
                        n += 1;
                    }
                }
            }
        }
        assert!(n > 50_000);
    }

    #[test]
    fn tokens_tell_values_from_text() {
        let t = tokenize(
            "preceding month  463,899,000  N/A  (5,940,000)  $0.10 (Note 1)",
            1,
        );
        let kinds: Vec<_> = t.iter().map(|t| t.kind.clone()).collect();
        assert_eq!(
            kinds,
            vec![
                TokKind::Text,
                TokKind::Int(463_899_000),
                TokKind::Nil,
                TokKind::Int(-5_940_000),
                TokKind::Money("HKD", "0.10".into()),
                TokKind::Text
            ]
        );
    }

    #[test]
    fn a_number_glued_to_its_label_is_still_a_value() {
        let t = tokenize("Balance at close of the month463,899,000 N/A", 1);
        assert_eq!(
            t.get(1).map(|t| t.kind.clone()),
            Some(TokKind::Int(463_899_000))
        );
    }

    #[test]
    fn column_markers_and_tranche_numbers_are_not_values() {
        let t = tokenize("(1)   (2)  Tranche 1", 1);
        assert!(t.iter().all(|t| t.kind == TokKind::Text));
    }

    #[test]
    fn dates_in_parentheses_and_chinese_dates_are_dates() {
        let t = tokenize("( 27 / 10 / 2012)  2011 年 2 月 1 日", 1);
        assert_eq!(t[0].kind, TokKind::Date("2012-10-27".into()));
        assert_eq!(t[1].kind, TokKind::Date("2011-02-01".into()));
    }
}
