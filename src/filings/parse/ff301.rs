//! FF301 monthly returns (v1.0.x, v1.1.x, v1.2.x), whatever tool extracted the text.
//!
//! One pass over the lines splits the form into its sections; each section is
//! then read in one of two modes:
//! - row mode, where a row's label and its values share a line (tab-separated
//!   cells, `pdftotext -layout`, pypdf);
//! - sequence mode, where the label stands alone and the values follow later in
//!   reading order (`pdftotext` raw). Values are then assigned by the form's
//!   fixed order, and only when their count fits the form exactly.
//!
//! A value is either read, recovered by the form's own arithmetic (and marked
//! so), or null with a finding: never a different number.

use super::text::{
    collapse_ws, contains_any_ignore_case, contains_ignore_case, is_page_furniture, page_furniture,
    repair_line, starts_with_ignore_case, strip_prefix_ignore_case, trim_start_fast,
};
use super::values::{
    could_be_issuer, currency_of, find_date, hk_code, is_nil_token, iso, parse_date, parse_decimal,
    parse_int, slug,
};
use crate::filings::model::*;
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

fn re(s: &str) -> Regex {
    Regex::new(s).expect("static regex")
}

/// One prepared line: repaired text (borrowed when no repair applied), and
/// what the cheap tests before the label regexes need, computed once.
struct L<'a> {
    no: u32,
    text: Cow<'a, str>,
    furniture: bool,
    blank: bool,
    /// Where the text starts after leading whitespace.
    indent: u32,
    /// The first byte after leading whitespace, ASCII lower-cased (0: blank).
    first: u8,
    /// The line holds a character that `(?i)` matches as an ASCII letter
    /// (long s, Kelvin sign): the ASCII tests could miss a match, so they let
    /// the line by.
    fold_risk: bool,
    /// The text is ASCII: the hand-made label matchers answer for it.
    ascii: bool,
    /// The text ASCII lower-cased, made on the first word test: a line is
    /// tested for a dozen labels' words, each then a plain substring search.
    lc: std::cell::OnceCell<Box<str>>,
}

// Cheap tests run before the label regexes, on every line: each is false only
// when the regex cannot match, so the regex decides whenever it is true.
impl L<'_> {
    fn new(no: u32, text: Cow<'_, str>, furniture: bool) -> L<'_> {
        let head = trim_start_fast(&text);
        let ascii = text.is_ascii();
        L {
            ascii,
            no,
            indent: (text.len() - head.len()) as u32,
            blank: head.is_empty(),
            first: head.as_bytes().first().map_or(0, u8::to_ascii_lowercase),
            fold_risk: !ascii && text.contains(['\u{17F}', '\u{212A}']),
            furniture,
            text,
            lc: std::cell::OnceCell::new(),
        }
    }

    /// The text less its leading whitespace.
    fn head(&self) -> &str {
        self.text.get(self.indent as usize..).unwrap_or("")
    }

    /// Whether the line may match a `(?i)` regex whose every match holds
    /// one of `words` (lower-case ASCII).
    fn may_hold(&self, words: &[&str]) -> bool {
        if self.fold_risk {
            return true;
        }
        // A short line is scanned as it is; a copy pays off on long ones.
        if self.text.len() < 64 {
            return contains_any_ignore_case(&self.text, words);
        }
        let lc = self
            .lc
            .get_or_init(|| self.text.to_ascii_lowercase().into());
        words.iter().any(|w| lc.contains(w))
    }

    /// Whether the line may match an anchored `(?i)^\s*(…)` regex whose
    /// alternatives start with one of `firsts` (lower-case ASCII bytes); a
    /// non-ASCII first character is let by (a Unicode class or case folding
    /// may match it).
    fn may_start(&self, firsts: &[u8]) -> bool {
        self.fold_risk
            || (self.first != 0 && (!self.first.is_ascii() || firsts.contains(&self.first)))
    }

    /// Whether the line, less leading whitespace, may start with `word`
    /// (lower-case ASCII).
    fn may_start_with(&self, word: &str) -> bool {
        self.fold_risk
            || (word.as_bytes().first() == Some(&self.first)
                && starts_with_ignore_case(self.head(), word))
    }

    /// A numbered class block or row start (`1.`, `1)`): both regexes begin
    /// with `^\s*\d` (a Unicode digit class).
    fn may_start_numbered(&self) -> bool {
        self.first.is_ascii_digit() || (self.first != 0 && !self.first.is_ascii())
    }

    fn is_block_start(&self) -> bool {
        if !self.may_start_numbered() {
            return false;
        }
        if !self.ascii {
            return BLOCK_START.is_match(&self.text);
        }
        // By hand (see `super::phrase`): ^\s*\d+\.\s*(?:Class|Type)\s+of\s+shares(?:\s|$)
        let b = self.text.as_bytes();
        let Some(e) = super::phrase::number_dot(b, self.indent as usize) else {
            return false;
        };
        let e = super::phrase::skip_spaces(b, e);
        super::phrase::first_of(b, e, &["class of shares", "type of shares"])
            .is_some_and(|e| b.get(e).is_none_or(|&c| super::phrase::is_space(c)))
    }

    /// Where ROW_START's match ends on the line, if it opens a numbered row.
    fn row_start(&self) -> Option<usize> {
        if !self.may_start_numbered() {
            return None;
        }
        if !self.ascii {
            return ROW_START.find(&self.text).map(|m| m.end());
        }
        // By hand (see `super::phrase`): ^\s*(\d{1,2})\)\.?(?:\s+|$)
        // (a full stop given back would leave no space or end after it).
        let b = self.text.as_bytes();
        let s = self.indent as usize;
        let d = super::phrase::digits(b, s);
        if !(1..=2).contains(&d) || b.get(s + d) != Some(&b')') {
            return None;
        }
        let e = s + d + 1;
        let e = if b.get(e) == Some(&b'.') { e + 1 } else { e };
        match b.get(e) {
            None => Some(e),
            Some(&c) if super::phrase::is_space(c) => Some(super::phrase::skip_spaces(b, e)),
            Some(_) => None,
        }
    }

    /// Where TOTAL's match ends on the line, if it holds one.
    fn find_total(&self) -> Option<usize> {
        if !self.may_hold(&["total"]) {
            return None;
        }
        if !self.ascii {
            return TOTAL.find(&self.text).map(|m| m.end());
        }
        // By hand (see `super::phrase`): the leftmost "total" the label follows.
        let b = self.text.as_bytes();
        super::phrase::find_then(b, "total authori", |_, e| {
            use super::phrase::{at, optional};
            if !matches!(b.get(e), Some(b's' | b'z' | b'S' | b'Z')) {
                return None;
            }
            let e = at(
                b,
                e + 1,
                "ed/registered share capital at the end of the month",
            )?;
            Some(optional(b, e, ":"))
        })
    }

    /// Whether the line, less leading whitespace, may start with one of
    /// `words` (lower-case ASCII) ignoring ASCII case; a non-ASCII first
    /// character is let by.
    fn may_start_any(&self, words: &[&str]) -> bool {
        if self.fold_risk || (self.first != 0 && !self.first.is_ascii()) {
            return true;
        }
        let head = self.head().as_bytes();
        words.iter().any(|w| {
            w.as_bytes().first() == Some(&self.first)
                && head
                    .get(..w.len())
                    .is_some_and(|h| h.eq_ignore_ascii_case(w.as_bytes()))
        })
    }

    fn is_heading(&self) -> bool {
        // The literal start of each of HEADING's alternatives.
        const STARTS: [&str; 31] = [
            "numb",
            "par",
            "aut",
            "(excluding",
            "total",
            "particulars",
            "general",
            "(if",
            "public",
            "pursuant",
            "month",
            "the",
            "applicable",
            "initial",
            "additional",
            "amount",
            "movement",
            "currency",
            "issued",
            "may",
            "shares",
            "transferred",
            "treasury",
            "close",
            "preceding",
            "type",
            "subscription",
            "stock",
            "increase",
            "decrease",
            "other",
        ];
        if !self.may_start_any(&STARTS) {
            return false;
        }
        if !self.ascii {
            return HEADING.is_match(&self.text);
        }
        use super::phrase::Tail::{Any, End, Word};
        // HEADING's alternatives by hand (see `super::phrase`).
        const HEADS: [(&str, super::phrase::Tail); 36] = [
            ("numb", Any),
            ("par valu", Any),
            ("authorised/registered share", Any),
            ("authorized/registered share", Any),
            ("aut", Word),
            ("(excluding treasury", Any),
            ("total number of issued", Any),
            ("particulars", Any),
            ("general meeting", Any),
            ("(if applicable)", Any),
            ("public float", Any),
            ("pursuant to", Any),
            ("month:", Any),
            ("the applicable", Any),
            ("applicable public", Any),
            ("initial prescribed", Any),
            ("additional information", Any),
            ("amount at", Any),
            ("movement during", Any),
            ("currency", End),
            ("issued during", Any),
            ("pursuant", Any),
            ("may be", Any),
            ("shares transferred", Any),
            ("transferred", Any),
            ("treasury during", Any),
            ("close of", Any),
            ("preceding month", End),
            ("month", End),
            ("type of the", Any),
            ("subscription", Any),
            ("stock code of the", Any),
            ("(if listed on", Any),
            ("increase in issued", Any),
            ("decrease in treasury", Any),
            ("other type~(please", Any),
        ];
        super::phrase::starts_any(self.text.as_bytes(), self.indent as usize, &HEADS)
    }

    fn may_hold_field_label(&self) -> bool {
        self.may_hold(&["class", "type", "listed", "stock", "descri"])
    }

    fn has_field_label(&self) -> bool {
        self.may_hold_field_label() && !field_labels(&self.text, self.ascii).is_empty()
    }

    fn is_row_end(&self) -> bool {
        use super::phrase::Tail::{Any, End, Word};
        // ROW_END's alternatives by hand (see `super::phrase`).
        const ENDS: [(&str, super::phrase::Tail); 22] = [
            ("general meeting approval", Any),
            ("total a", Word),
            ("total b", Word),
            ("total c", Word),
            ("total d", Word),
            ("total e", Word),
            ("total funds", Any),
            ("remarks", Any),
            ("total increase", Any),
            ("increase in issued", Any),
            ("decrease in treasury", Any),
            ("type of the convertibles", Any),
            ("subscription", Any),
            ("stock code of the", Any),
            ("type of the warrants", End),
            ("type of the agreement", End),
            ("type of the event", End),
            ("type of the issue", End),
            ("type of warrants", End),
            ("type of agreement", End),
            ("type of event", End),
            ("type of issue", End),
        ];
        self.may_start(b"gtrids0123456789") && self.starts_with_one(&ROW_END, &ENDS)
    }

    fn is_hard_stop(&self) -> bool {
        use super::phrase::Tail::{Any, Word};
        // HARD_STOP's alternatives by hand (see `super::phrase`).
        const STOPS: [(&str, super::phrase::Tail); 8] = [
            ("total", Word),
            ("remarks", Any),
            ("subscription", Any),
            ("conversion price", Any),
            ("exercise price", Any),
            ("date of expiry", Any),
            ("increase in issued", Any),
            ("decrease in treasury", Any),
        ];
        self.may_start(b"trsceid0123456789") && self.starts_with_one(&HARD_STOP, &STOPS)
    }

    /// An anchored alternation `^\s*(…|\d+\.\s*Class\s+of\s+shares)`
    /// tested on the line: by hand on an ASCII line (`pats`, then the
    /// numbered class start), by `regex` on any other.
    fn starts_with_one(&self, regex: &Regex, pats: &[(&str, super::phrase::Tail)]) -> bool {
        if !self.ascii {
            return regex.is_match(&self.text);
        }
        let (b, s) = (self.text.as_bytes(), self.indent as usize);
        super::phrase::starts_any(b, s, pats) || super::phrase::numbered_class(b, s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sec {
    Header,
    I,
    II,
    Iii,
    A,
    B,
    C,
    D,
    E,
    IV,
    V,
    Notes,
}

static SECTIONS: LazyLock<Vec<(Sec, Regex)>> = LazyLock::new(|| {
    vec![
        (Sec::I, re(r"^\s*I\.\s*Movements\s+in\s+Authori[sz]ed")),
        (Sec::II, re(r"^\s*II\.\s*Movements\s+in\s+Issued")),
        (Sec::Iii, re(r"^\s*III\.\s*Details\s+of\s+Movements")),
        (Sec::A, re(r"^\s*\(A\)\.?\s*Share\s+Options")),
        (Sec::B, re(r"^\s*\(B\)\.?\s*Warrants")),
        (Sec::C, re(r"^\s*\(C\)\.?\s*Convertibles")),
        (Sec::D, re(r"^\s*\(D\)\.?\s*Any\s+other\s+Agreements")),
        (Sec::E, re(r"^\s*\(E\)\.?\s*Other\s+Movements")),
        (Sec::IV, re(r"^\s*IV\.\s*Information\s+about")),
        (Sec::V, re(r"^\s*V\.\s*Confirmations")),
        (Sec::Notes, re(r"^\s*Notes\s*$")),
    ]
});

/// The section a heading line opens. Each heading's regex begins with its own
/// numeral or letter ("II.", "(C)", "Notes"), so only the one the line's first
/// characters name is run; other lines run none.
fn section_heading(l: &L) -> Option<Sec> {
    // Every heading starts with I, V, "(" or N (case-sensitive below).
    if !matches!(l.first, b'i' | b'v' | b'(' | b'n') {
        return None;
    }
    let text: &str = &l.text;
    let t = l.head();
    let sec = [
        ("III.", Sec::Iii),
        ("II.", Sec::II),
        ("IV.", Sec::IV),
        ("I.", Sec::I),
        ("V.", Sec::V),
        ("(A)", Sec::A),
        ("(B)", Sec::B),
        ("(C)", Sec::C),
        ("(D)", Sec::D),
        ("(E)", Sec::E),
        ("Notes", Sec::Notes),
    ]
    .into_iter()
    .find(|(p, _)| t.starts_with(p))?;
    let (mark, sec) = sec;
    if l.ascii {
        return heading_ascii(t.as_bytes(), mark.len(), sec).then_some(sec);
    }
    SECTIONS
        .iter()
        .find(|(x, r)| *x == sec && r.is_match(text))
        .map(|(x, _)| *x)
}

/// SECTIONS' pattern for `sec` on an ASCII line's text less its indent,
/// whose first `mark` bytes are the heading's numeral or letter: by hand (see
/// [`super::phrase`]; the headings are matched in their case).
fn heading_ascii(t: &[u8], mark: usize, sec: Sec) -> bool {
    use super::phrase::{at_exact, is_space};
    // (A) to (E) may be followed by a full stop.
    let lettered = matches!(sec, Sec::A | Sec::B | Sec::C | Sec::D | Sec::E);
    let e = if lettered && t.get(mark) == Some(&b'.') {
        mark + 1
    } else {
        mark
    };
    let rest = match sec {
        Sec::I => {
            return at_exact(t, e, "~Movements in Authori").is_some_and(|e| {
                matches!(t.get(e), Some(b's' | b'z')) && t.get(e + 1..e + 3) == Some(b"ed")
            })
        }
        Sec::Notes => return t.get(e..).is_some_and(|r| r.iter().all(|&c| is_space(c))),
        Sec::II => "~Movements in Issued",
        Sec::Iii => "~Details of Movements",
        Sec::IV => "~Information about",
        Sec::V => "~Confirmations",
        Sec::A => "~Share Options",
        Sec::B => "~Warrants",
        Sec::C => "~Convertibles",
        Sec::D => "~Any other Agreements",
        Sec::E => "~Other Movements",
        Sec::Header => return false,
    };
    at_exact(t, e, rest).is_some()
}

// ---------------------------------------------------------------- tokens

#[derive(Debug, Clone)]
struct Num {
    raw: String,
    int: Option<i64>,
    /// Thousands grouping as printed is sound (`25,948,80` is not).
    sound: bool,
    /// Glued to the letters before it (`month25,948,80`).
    glued: bool,
}

impl Num {
    /// The number as an exact decimal string (`parse_decimal` of the raw
    /// word), made when a reader asks for it: most numbers are read as
    /// integers only.
    fn dec(&self) -> Option<String> {
        parse_decimal(&self.raw)
    }
}

#[derive(Debug, Clone)]
enum Tok {
    Num(Num),
    Cur(&'static str),
    Nil(String),
    Word(String, usize),
}

// The number patterns are matched by hand (`is_number`, `is_sound`,
// `glued`): they run on every word with a digit.
//   number: ^\(?-?\(?[0-9][0-9,]*(\.[0-9]+)?\)?$
//   sound:  ^\(?-?\(?([1-9][0-9]{0,2}(,[0-9]{3})+|0|[1-9][0-9]*)(\.[0-9]+)?\)?$
//   glued:  ^([A-Za-z]*[a-z])([0-9][0-9,]*(\.[0-9]+)?)$
// A grouped number never starts with a 0 group (sound): `00,000` is the tail
// of a number a tab cut in two (`7\t00,000` for 700,000), not a number. Nor
// does a plain number of several digits (`00` after `46,655,4\t00`).
static NOTE_REF: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\(\s*Note\s*\d+\s*\)|\((?:C|D|E|AA|EE|CC)?\d\)"));
static DATE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b\d{1,2}\s*(January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{4}\b|\b\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{2,4}\b|\b(January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2},\s*\d{4}",
    )
});

/// The English month name whose first three letters stand at `i` (ASCII
/// case ignored), lower-case; the whole name still has to be compared.
#[inline(always)]
fn month_by_first_three(t: &[u8], i: usize) -> Option<&'static [u8]> {
    let three = t.get(i..i + 3)?;
    // `| 0x20` lower-cases an ASCII letter and makes no letter of any
    // other byte.
    Some(match [three[0] | 0x20, three[1] | 0x20, three[2] | 0x20] {
        [b'j', b'a', b'n'] => b"january",
        [b'f', b'e', b'b'] => b"february",
        [b'm', b'a', b'r'] => b"march",
        [b'a', b'p', b'r'] => b"april",
        [b'm', b'a', b'y'] => b"may",
        [b'j', b'u', b'n'] => b"june",
        [b'j', b'u', b'l'] => b"july",
        [b'a', b'u', b'g'] => b"august",
        [b's', b'e', b'p'] => b"september",
        [b'o', b'c', b't'] => b"october",
        [b'n', b'o', b'v'] => b"november",
        [b'd', b'e', b'c'] => b"december",
        _ => return None,
    })
}

/// The end of the English month name at `i`, ASCII case ignored (no two
/// names share their first three letters).
#[inline(always)]
fn month_at(t: &[u8], i: usize) -> Option<usize> {
    let name = month_by_first_three(t, i)?;
    let e = i + name.len();
    t.get(i..e)
        .is_some_and(|w| w.eq_ignore_ascii_case(name))
        .then_some(e)
}

/// Whether the text holds a month's English name, ASCII case ignored: one
/// pass, each place tested by its three lower-cased letters before the
/// whole name is compared (a search per name cost the date test a tenth of
/// the class blocks' reading).
fn holds_month_name(t: &[u8]) -> bool {
    (0..t.len().saturating_sub(2)).any(|i| month_at(t, i).is_some())
}

/// The end of DATE_WORDS' match starting at byte `p` of an ASCII line, by
/// hand (see `super::phrase`); its three alternatives start with a digit or a
/// letter, so at most one can match at a place:
///   `\b\d{1,2}\s*(Month)\s+\d{4}\b`, `\b\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{2,4}\b`,
///   `\b(Month)\s+\d{1,2},\s*\d{4}`.
fn date_at(b: &[u8], p: usize) -> Option<usize> {
    use super::phrase::{digits, is_word, skip_spaces};
    let c = *b.get(p)?;
    // `\b` before a digit or a letter: no word character before it.
    if !c.is_ascii_alphanumeric() || (p > 0 && is_word(b[p - 1])) {
        return None;
    }
    // A run of `n` digits that `\d{lo,hi}` takes whole, the regex unable to
    // stop inside it (a digit follows no `\s`, `/`, `,` or month).
    let run = |i: usize, lo: usize, hi: usize| Some(digits(b, i)).filter(|n| (lo..=hi).contains(n));
    // `\b` after a digit: no word character follows.
    let ends_word = |e: usize| !b.get(e).is_some_and(|&c| is_word(c));
    if c.is_ascii_digit() {
        let e = p + run(p, 1, 2)?;
        let s = skip_spaces(b, e);
        if let Some(m) = month_at(b, s) {
            let y = skip_spaces(b, m);
            return (y > m && digits(b, y) == 4 && ends_word(y + 4)).then_some(y + 4);
        }
        if b.get(s) != Some(&b'/') {
            return None;
        }
        let s = skip_spaces(b, s + 1);
        let s = skip_spaces(b, s + run(s, 1, 2)?);
        if b.get(s) != Some(&b'/') {
            return None;
        }
        let s = skip_spaces(b, s + 1);
        let e = s + run(s, 2, 4)?;
        return ends_word(e).then_some(e);
    }
    let m = month_at(b, p)?;
    let d = skip_spaces(b, m);
    if d == m {
        return None;
    }
    let comma = d + run(d, 1, 2)?;
    if b.get(comma) != Some(&b',') {
        return None;
    }
    let y = skip_spaces(b, comma + 1);
    (digits(b, y) >= 4).then_some(y + 4)
}

/// DATE_WORDS' matches on an ASCII line, left to right, by hand.
fn dates_ascii(b: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let (s, e) = (from..b.len()).find_map(|p| date_at(b, p).map(|e| (p, e)))?;
        from = e;
        Some((s, e))
    })
}

/// A date stays one word (its spaces become U+0001) so its digits are never
/// read as values: "22 October 2025" in a description, "21 October 2022" in a row.
fn glue_dates(text: &str) -> Cow<'_, str> {
    // Every date holds a digit (`\d` is Unicode: any numeric character).
    if !has_numeral(text) {
        return Cow::Borrowed(text);
    }
    // Every date holds a slash or a month's name (`(?i)`: a long s may stand
    // for the s of August or September).
    // On an ASCII line `\d` is an ASCII digit, and a date by name ends in
    // four of them ("2025"): a line of grouped numbers alone ("42,240,000")
    // holds no date.
    let ascii = text.is_ascii();
    if ascii && !text.contains('/') && !has_four_digits(text.as_bytes()) {
        return Cow::Borrowed(text);
    }
    let long_s = !ascii && text.contains('\u{17F}');
    if !(text.contains('/') || long_s || holds_month_name(text.as_bytes())) {
        return Cow::Borrowed(text);
    }
    map_dates(text, |date, out| out.push_str(&date.replace(' ', "\u{1}")))
}

/// The text with each date a space.
fn without_dates(text: &str) -> Cow<'_, str> {
    map_dates(text, |_, out| out.push(' '))
}

/// The text with each date (DATE_WORDS' matches) written by `put`; the text
/// itself where it holds none. Matches are found by hand on an ASCII line,
/// else by the regex without capture groups (a closure replacer would ask
/// for them, and the capturing search is the slow one).
fn map_dates(text: &str, put: impl Fn(&str, &mut String)) -> Cow<'_, str> {
    let mut out = String::new();
    let mut last = 0;
    let mut each = |s: usize, e: usize| {
        out.push_str(&text[last..s]);
        put(&text[s..e], &mut out);
        last = e;
    };
    if text.is_ascii() {
        dates_ascii(text.as_bytes()).for_each(|(s, e)| each(s, e));
    } else {
        DATE_WORDS
            .find_iter(text)
            .for_each(|m| each(m.start(), m.end()));
    }
    // Every date is a few characters long: none found leaves `last` at 0.
    if last == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// Whether four ASCII digits stand together.
fn has_four_digits(b: &[u8]) -> bool {
    let mut run = 0;
    for c in b {
        if c.is_ascii_digit() {
            run += 1;
            if run == 4 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// `(Note 1)` references and `(C1)` column marks become spaces; both open
/// with a parenthesis, so most lines skip the regex.
fn drop_note_refs(text: &str) -> Cow<'_, str> {
    let Some(first) = memchr::memchr(b'(', text.as_bytes()) else {
        return Cow::Borrowed(text);
    };
    if !text.is_ascii() {
        return NOTE_REF.replace_all(text, " ");
    }
    // By hand on an ASCII line (see `super::phrase`): each match, left to
    // right, becomes a space.
    let b = text.as_bytes();
    let mut out = String::new();
    let mut last = 0;
    let mut p = first;
    while p < b.len() {
        match (b[p] == b'(').then(|| note_ref_at(b, p)).flatten() {
            Some(e) => {
                out.push_str(text.get(last..p).unwrap_or(""));
                out.push(' ');
                last = e;
                p = e;
            }
            None => p += 1,
        }
    }
    if last == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(text.get(last..).unwrap_or(""));
    Cow::Owned(out)
}

/// The end of NOTE_REF's match at the `(` at byte `p` of an ASCII line:
/// `\(\s*Note\s*\d+\s*\)` or `\((?:C|D|E|AA|EE|CC)?\d\)`, ASCII case ignored.
fn note_ref_at(b: &[u8], p: usize) -> Option<usize> {
    use super::phrase::{at, digits, skip_spaces};
    let note = at(b, p, "(~note~").and_then(|e| {
        let d = digits(b, e);
        let e = skip_spaces(b, e + d);
        (d > 0 && b.get(e) == Some(&b')')).then_some(e + 1)
    });
    note.or_else(|| {
        ["c", "d", "e", "aa", "ee", "cc", ""]
            .iter()
            .find_map(|mark| {
                let e = at(b, p + 1, mark)?;
                (b.get(e).is_some_and(u8::is_ascii_digit) && b.get(e + 1) == Some(&b')'))
                    .then_some(e + 2)
            })
    })
}

/// `^\(?-?\(?[0-9][0-9,]*(\.[0-9]+)?\)?$`, by hand (it runs on every word
/// with a digit): a number, maybe signed, bracketed, grouped or decimal.
fn is_number(w: &str) -> bool {
    let Some(rest) = number_head(w) else {
        return false;
    };
    let int_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b',')
        .count();
    number_tail(rest.get(int_len..).unwrap_or(""))
}

/// Strips the `\(?-?\(?` before a number's first digit; None when no digit follows.
fn number_head(w: &str) -> Option<&str> {
    let mut r = w;
    for p in ['(', '-', '('] {
        r = r.strip_prefix(p).unwrap_or(r);
    }
    r.starts_with(|c: char| c.is_ascii_digit()).then_some(r)
}

/// `(\.[0-9]+)?\)?$` after a number's integer digits.
fn number_tail(t: &str) -> bool {
    let t = match t.strip_prefix('.') {
        Some(frac) => {
            let n = frac.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return false;
            }
            frac.get(n..).unwrap_or("")
        }
        None => t,
    };
    t.is_empty() || t == ")"
}

/// The SOUND pattern by hand: the integer digits are `0`, a plain number
/// without a leading 0, or groups of three after a first group of 1 to 3
/// digits without a leading 0.
fn is_sound(w: &str) -> bool {
    let Some(rest) = number_head(w) else {
        return false;
    };
    let b = rest.as_bytes();
    let int_len = b
        .iter()
        .take_while(|c| c.is_ascii_digit() || **c == b',')
        .count();
    let int = &b[..int_len];
    // One pass over bytes (a split on commas cost more than the rest of the
    // number's reading): after the first group, each group is a comma and
    // three digits.
    let ok = match int {
        [b'0'] => true,
        [b'0', ..] => false,
        _ => match int.iter().position(|&c| c == b',') {
            None => true,
            Some(first) => {
                (1..=3).contains(&first)
                    && int[first..].chunks(4).all(|g| {
                        g.len() == 4 && g[0] == b',' && g[1..].iter().all(u8::is_ascii_digit)
                    })
            }
        },
    };
    ok && number_tail(rest.get(int_len..).unwrap_or(""))
}

/// The GLUED pattern by hand: ASCII letters ending in a lower-case one, then
/// a number (`month25,948,80`). Returns the label and the number.
fn glued(w: &str) -> Option<(&str, &str)> {
    let k = w.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (label, num) = (w.get(..k)?, w.get(k..)?);
    if !label.ends_with(|c: char| c.is_ascii_lowercase())
        || !num.starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let int_len = num
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b',')
        .count();
    let tail = num.get(int_len..).unwrap_or("");
    (number_tail(tail) && !tail.ends_with(')')).then_some((label, num))
}

/// Whether a word is a movement keyword (`MOVE_KW`); every keyword starts
/// with one of these letters, so most words skip the regex.
fn is_move_kw(w: &str) -> bool {
    w.starts_with(['G', 'E', 'C', 'L', 'O', 'I', 'R']) && MOVE_KW.is_match(w)
}

fn num_tok(raw: &str, glued: bool) -> Num {
    let int = if raw.contains('.') {
        None
    } else {
        parse_int(raw)
    };
    Num {
        raw: raw.to_string(),
        int,
        sound: is_sound(raw),
        glued,
    }
}

/// Cut a line into tokens. Cells are separated by tabs or runs of spaces.
/// Dates and `(Note 1)` references are removed first so their digits are not
/// read as values.
fn tokens(text: &str) -> Vec<Tok> {
    let cleaned = drop_note_refs(text);
    // A date stays one word (its spaces become U+0001) so its digits are never values.
    let cleaned = glue_dates(&cleaned);
    let mut out = Vec::new();
    for (cell, c) in split_cells(&cleaned).into_iter().enumerate() {
        // Words of one cell are one space apart (two spaces or a tab part cells).
        let cell_start = out.len();
        for w in c.split_whitespace() {
            let w = w.trim_end_matches([':', ';']);
            if w.is_empty() {
                continue;
            }
            if out.len() > cell_start && join_space_split_number(&mut out, w) {
                continue;
            }
            push_word(&mut out, w, cell);
        }
    }
    drop_glued_prefix_fragments(&mut out);
    out
}

/// Repair "number split by a space": the extractor put a space inside a
/// number (`1,879 ,961,589`, `7 00,000`, `1,87 9,961,589`). The second part
/// cannot begin a number of its own (a thousands comma, a leading zero) or the
/// first cannot end one (a comma group of one or two digits), and together
/// they make one soundly grouped number: they are joined. Two sound numbers
/// side by side (`1 879,961,589`) stay apart: they may be two cells, and the
/// row's column count or arithmetic decides.
fn join_space_split_number(out: &mut [Tok], w: &str) -> bool {
    let Some(Tok::Num(prev)) = out.last_mut() else {
        return false;
    };
    let bare = w.trim_end_matches(',');
    let fragment_after = (bare.starts_with(',') || (bare.starts_with('0') && !is_sound(bare)))
        && bare.bytes().any(|b| b.is_ascii_digit())
        && bare
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.' || b == b')');
    let short_group_before =
        prev.raw.rsplit_once(',').is_some_and(|(_, g)| {
            (1..3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit())
        }) && bare.starts_with(|c: char| c.is_ascii_digit());
    if !(fragment_after || short_group_before) || prev.raw.ends_with(')') {
        return false;
    }
    let joined = format!("{}{bare}", prev.raw);
    if !(is_number(&joined) && is_sound(&joined)) {
        return false;
    }
    *prev = num_tok(&joined, prev.glued);
    true
}

/// Tokens after a label that ends at byte `end`; a number that starts right
/// at the label's last letter is glued to it.
fn tokens_after_label(t: &str, end: usize) -> Vec<Tok> {
    let rest = t.get(end..).unwrap_or("");
    let glued = rest.starts_with(|c: char| c.is_ascii_digit())
        && t.get(..end)
            .is_some_and(|h| h.ends_with(|c: char| c.is_ascii_alphabetic()));
    if !glued {
        return tokens(rest);
    }
    let mut toks = tokens(&format!("x{rest}"));
    if let Some(Tok::Word(w, _)) = toks.first() {
        if w == "x" {
            toks.remove(0);
        }
    }
    toks
}

fn push_word(out: &mut Vec<Tok>, w: &str, cell: usize) {
    if w.contains('\u{1}') || w.contains('/') {
        out.push(Tok::Word(w.replace('\u{1}', " "), cell));
        return;
    }
    if let Some(cur) = exact_currency(w) {
        out.push(Tok::Cur(cur));
        return;
    }
    // Numbers, glued or not, hold a digit; most words do not and are
    // tested for a nil word alone.
    let digit = w.bytes().any(|b| b.is_ascii_digit());
    if !digit {
        if is_nil_token(w) {
            out.push(Tok::Nil(w.to_string()));
        } else {
            out.push(Tok::Word(w.to_string(), cell));
        }
        return;
    }
    for p in ["HK$", "US$", "RMB", "HKD", "USD"] {
        if let Some(rest) = w
            .strip_prefix(p)
            .filter(|r| r.starts_with(|c: char| c.is_ascii_digit() || c == '(' || c == '-'))
        {
            if is_number(rest) {
                out.push(Tok::Cur(currency_of(p).unwrap_or("HKD")));
                out.push(Tok::Num(num_tok(rest, false)));
                return;
            }
        }
    }
    // Repair "currency glued to the number before it": pdfplumber joins the
    // next cell's currency onto a number ("10,000,000,000HKD 0.01HKD
    // 100,000,000" for shares, par value and capital). Read as one word the
    // shares were lost and the capital took their place.
    for p in ["HK$", "US$", "RMB", "HKD", "USD"] {
        if let Some(num) = w
            .strip_suffix(p)
            .filter(|n| n.ends_with(|c: char| c.is_ascii_digit() || c == ')'))
        {
            if is_number(num) && !(num.starts_with('(') ^ num.ends_with(')')) {
                out.push(Tok::Num(num_tok(num, false)));
                out.push(Tok::Cur(currency_of(p).unwrap_or("HKD")));
                return;
            }
        }
    }
    // Repair "movement word glued to its amount": pdfplumber prints the
    // amount cell and the movement's word as one ("52,377,600Issued"). Only
    // the form's movement words are split off, so "1st" or "10am" stay words.
    if let Some((num, word)) = number_then_move_word(w) {
        out.push(Tok::Num(num_tok(num, false)));
        out.push(Tok::Word(word.to_string(), cell));
        return;
    }
    let bare = w.trim_end_matches(',');
    if is_number(bare) && !(bare.starts_with('(') ^ bare.ends_with(')')) {
        out.push(Tok::Num(num_tok(bare, false)));
        return;
    }
    if is_nil_token(w) {
        out.push(Tok::Nil(w.to_string()));
        return;
    }
    if let Some((label, num)) = glued(w) {
        // pypdf and the tab extractor glue a label to the value after it:
        // "Date of changes21 October 2022", "the month25,948,80".
        out.push(Tok::Word(label.to_string(), cell));
        out.push(Tok::Num(num_tok(num, true)));
        return;
    }
    out.push(Tok::Word(w.to_string(), cell));
}

/// A number with one of the form's movement words glued after it
/// ("52,377,600Issued"): the two parts.
fn number_then_move_word(w: &str) -> Option<(&str, &str)> {
    let k = w
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b',' || *b == b'.')
        .count();
    if k == 0 || k == w.len() {
        return None;
    }
    let (num, word) = w.split_at(k);
    (is_number(num) && num.ends_with(|c: char| c.is_ascii_digit()) && is_move_kw(word))
        .then_some((num, word))
}

fn exact_currency(w: &str) -> Option<&'static str> {
    match w {
        "HKD" | "HK$" => Some("HKD"),
        "USD" | "US$" => Some("USD"),
        "RMB" => Some("RMB"),
        "CNY" => Some("CNY"),
        "EUR" => Some("EUR"),
        "GBP" => Some("GBP"),
        "JPY" => Some("JPY"),
        "SGD" => Some("SGD"),
        _ => None,
    }
}

/// A label glued to a cut-off number before the real one. Seen in the November
/// 2023 SenseTime return: `Balance at close of the month25,948,80\t\t25,948,809,928`.
/// A glued number whose digits begin the next number's digits is the same
/// number cut short, and is dropped.
fn drop_glued_prefix_fragments(toks: &mut Vec<Tok>) {
    let mut i = 0;
    while i < toks.len() {
        let drop = match (&toks[i], toks.get(i + 1)) {
            (Tok::Num(a), Some(Tok::Num(b))) if a.glued => {
                let da = digits(&a.raw);
                let db = digits(&b.raw);
                db.len() > da.len() && db.starts_with(&da)
            }
            _ => false,
        };
        if drop {
            toks.remove(i);
        } else {
            i += 1;
        }
    }
}

fn digits(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// Cells are separated by tabs or runs of two or more spaces (`\t+| {2,}`),
/// trimmed, empty ones dropped. A run of spaces and tabs separates when it
/// holds a tab or two spaces; what a single space leaves is trimmed away.
fn split_cells<'a>(s: &'a str) -> Vec<&'a str> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(8);
    let mut push = |cell: &'a str| {
        let cell = cell.trim();
        if !cell.is_empty() {
            out.push(cell);
        }
    };
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        let first = b[i];
        if first != b' ' && first != b'\t' {
            i += 1;
            continue;
        }
        let run = i;
        while matches!(b.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        if i - run > 1 || first == b'\t' {
            // Both ends are at ASCII bytes: char boundaries.
            push(s.get(start..run).unwrap_or(""));
            start = i;
        }
    }
    push(s.get(start..).unwrap_or(""));
    out
}

fn nums(toks: &[Tok]) -> Vec<&Num> {
    toks.iter()
        .filter_map(|t| match t {
            Tok::Num(n) => Some(n),
            _ => None,
        })
        .collect()
}

fn first_currency(toks: &[Tok]) -> Option<&'static str> {
    toks.iter().find_map(|t| match t {
        Tok::Cur(c) => Some(*c),
        _ => None,
    })
}

// ---------------------------------------------------------------- labels

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    Opening,
    Change,
    Closing,
}

static ROW_OPENING: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*Balance\s+at\s+close\s+of\s+(?:the\s+)?preceding\s+month"));
static ROW_CHANGE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^\s*Increase\s*/\s*\(?\s*decrease\s*\)?\s*(?:\(-\))?(?:\s*during\s+the\s+month)?")
});
static ROW_CLOSING: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*Balance\s+at\s+close\s+of\s+the\s+month"));
static ROW_CUT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^\s*Balance\s+at\s+close\s+of\s*$|(?i)^\s*Balance\s+at\s+close\s+of(?:\s{2,}|\t)")
});
static ROW_CUT_TAIL: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*(?:(preceding)|the)\s+month\b"));

fn row_label(l: &L) -> Option<(Row, usize)> {
    // Every row label starts with "Balance" or "Increase".
    if !(l.may_start_with("balance") || l.may_start_with("increase")) {
        return None;
    }
    if l.ascii {
        return row_label_ascii(l.text.as_bytes());
    }
    let text: &str = &l.text;
    for (row, r) in [
        (Row::Opening, &*ROW_OPENING),
        (Row::Closing, &*ROW_CLOSING),
        (Row::Change, &*ROW_CHANGE),
    ] {
        if let Some(m) = r.find(text) {
            return Some((row, m.end()));
        }
    }
    None
}

/// `row_label` on an ASCII line: ROW_OPENING, ROW_CLOSING and ROW_CHANGE
/// by hand (see [`super::phrase`]).
fn row_label_ascii(b: &[u8]) -> Option<(Row, usize)> {
    use super::phrase::{at, optional, skip_spaces};
    let s = skip_spaces(b, 0);
    if let Some(e) = at(b, s, "balance at close of ") {
        if let Some(x) = at(b, e, "the preceding month").or_else(|| at(b, e, "preceding month")) {
            return Some((Row::Opening, x));
        }
        return at(b, e, "the month").map(|x| (Row::Closing, x));
    }
    // Increase\s*/\s*\(?\s*decrease\s*\)?\s*(?:\(-\))?(?:\s*during\s+the\s+month)?
    let e = at(b, s, "increase~/~")?;
    let e = optional(b, e, "(");
    let e = at(b, e, "~decrease~")?;
    let e = skip_spaces(b, optional(b, e, ")"));
    let e = optional(b, e, "(-)");
    Some((Row::Change, optional(b, e, "~during the month")))
}

/// ROW_CUT on an ASCII line: "Balance at close of" ending the line or
/// followed by a cell gap (two spaces or a tab).
fn row_cut_ascii(b: &[u8]) -> bool {
    let s = super::phrase::skip_spaces(b, 0);
    let Some(e) = super::phrase::at(b, s, "balance at close of") else {
        return false;
    };
    // `\s*$`, or `\s{2,}` or a tab right after "of".
    let rest = &b[e..];
    rest.iter().all(|&c| super::phrase::is_space(c))
        || rest.first() == Some(&b'\t')
        || rest
            .get(..2)
            .is_some_and(|r| r.iter().all(|&c| super::phrase::is_space(c)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Class,
    Type,
    Listed,
    Code,
    MultiCounter,
    Description,
    /// Labels that carry no value of interest (buttons, column heads).
    Skip,
}

/// Labels of a class block. Inside a line only the capitalised label counts:
/// the v1.2 public float confirmation says "for the class of shares as set out
/// above pursuant to ..." in prose, which is no label. "Description" counts
/// only capitalised anywhere: the type "Other type (specify in description)"
/// holds the word, and read as a label it left the type unanswered (a line
/// of prose further on was then taken for it).
static FIELD_LABELS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:^\s*(?:\d+\.\s*)?(Class\s+of\s+shares(?:\s+issuable)?)|\b(Class\s+of\s+shares\s+issuable)|\b((?-i:Class)\s+of\s+shares|(?-i:Type)\s+of\s+shares|Listed\s+on\s+(?:SEHK|the\s+Exchange)|Shares\s+issuable\s+to\s+be\s+listed\s+on\s+(?:SEHK|the\s+Exchange)|Add\s+multi-counter\s+stock\s+code|Multi-counter\s+stock\s+code|Stock\s+code\s+of\s+shares\s+issuable(?:\s*\(if\s+listed[^)]*\))?|Stock\s+code(?:\s*\(if\s+listed\))?|(?-i:Description)(?:\s+of\s+the\s+Convertibles)?))",
    )
});

/// FIELD_LABELS' matches on a line, as `find_iter` gives them: by hand on
/// an ASCII line (see [`super::phrase`]), by the regex on any other.
fn field_labels(t: &str, ascii: bool) -> Vec<(usize, usize)> {
    if !ascii {
        return FIELD_LABELS
            .find_iter(t)
            .map(|m| (m.start(), m.end()))
            .collect();
    }
    let b = t.as_bytes();
    let mut out = Vec::new();
    let mut p = 0;
    while p < b.len() {
        // Every alternative but the line-start one opens with one of these
        // letters at a word boundary.
        let may = p == 0
            || (matches!(b[p] | 0x20, b'c' | b't' | b'l' | b's' | b'a' | b'm' | b'd')
                && !super::phrase::is_word(b[p - 1]));
        match may.then(|| field_label_at(b, p)).flatten() {
            Some(e) => {
                out.push((p, e));
                p = e.max(p + 1);
            }
            None => p += 1,
        }
    }
    out
}

/// The end of FIELD_LABELS' match starting at byte `p` of an ASCII line,
/// its alternatives tried in the regex's order.
fn field_label_at(b: &[u8], p: usize) -> Option<usize> {
    use super::phrase::{at, at_cased, boundary, first_of, number_dot, optional, skip_spaces};
    if p == 0 {
        // ^\s*(?:\d+\.\s*)?(Class\s+of\s+shares(?:\s+issuable)?)
        let s = skip_spaces(b, 0);
        let numbered = number_dot(b, s).map(|e| skip_spaces(b, e));
        for start in numbered.into_iter().chain([s]) {
            if let Some(e) = at(b, start, "class of shares") {
                return Some(optional(b, e, " issuable"));
            }
        }
    }
    if !boundary(b, p) {
        return None;
    }
    let exchange = |e: usize| first_of(b, e, &["sehk", "the exchange"]);
    // The alternatives that can start with the line's letter, in the
    // regex's order.
    match b.get(p)? | 0x20 {
        b'c' => {
            at(b, p, "class of shares issuable").or_else(|| at_cased(b, p, "Class", " of shares"))
        }
        b't' => at_cased(b, p, "Type", " of shares"),
        b'l' => at(b, p, "listed on ").and_then(exchange),
        b's' => at(b, p, "shares issuable to be listed on ")
            .and_then(exchange)
            .or_else(|| {
                let e = at(b, p, "stock code of shares issuable")?;
                // (?:\s*\(if\s+listed[^)]*\))?
                let note = at(b, e, "~(if listed").and_then(|n| {
                    let close = b.get(n..)?.iter().position(|&c| c == b')')?;
                    Some(n + close + 1)
                });
                Some(note.unwrap_or(e))
            })
            .or_else(|| at(b, p, "stock code").map(|e| optional(b, e, "~(if listed)"))),
        b'a' => at(b, p, "add multi-counter stock code"),
        b'm' => at(b, p, "multi-counter stock code"),
        b'd' => at_cased(b, p, "Description", "").map(|e| optional(b, e, " of the convertibles")),
        _ => None,
    }
}

fn field_of(label: &str) -> Field {
    let l = label.to_ascii_lowercase();
    if l.contains("issuable") && l.starts_with("class") {
        Field::Skip
    } else if l.starts_with("class") {
        Field::Class
    } else if l.starts_with("type") {
        Field::Type
    } else if l.starts_with("listed") || l.starts_with("shares issuable") {
        Field::Listed
    } else if l.starts_with("add") {
        Field::Skip
    } else if l.starts_with("multi") {
        Field::MultiCounter
    } else if l.starts_with("stock") {
        Field::Code
    } else if l.contains("convertibles") {
        Field::Skip
    } else {
        Field::Description
    }
}

/// Column heads and other text that is neither a label with a value nor a value.
static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(Numb|Number\s+of|Par\s+valu|Authori[sz]ed/registered\s+share|Aut\b|\(excluding\s+treasury|Total\s+number\s+of\s+issued|Particulars|General\s+Meeting|\(if\s+applicable\)|Public\s+float|Pursuant\s+to|month:|the\s+applicable|The\s+applicable|Applicable\s+public|Initial\s+Prescribed|Additional\s+information|Amount\s+at|Movement\s+during|Currency\s*$|issued\s+during|pursuant|may\s+be|shares\s+transferred|transferred|treasury\s+during|close\s+of|preceding\s+month\s*$|month\s*$|Type\s+of\s+the|Subscription|Stock\s+code\s+of\s+the|\(if\s+listed\s+on|Increase\s+in\s+issued|Decrease\s+in\s+treasury|Other\s+type\s*\(Please)",
    )
});

// ---------------------------------------------------------------- class blocks

#[derive(Default, Debug)]
struct Block {
    start: u32,
    /// The block's last line with text.
    last: u32,
    class: Option<(String, u32)>,
    type_: Option<(String, u32)>,
    description: Option<(String, u32)>,
    code: Option<(String, u32)>,
    code_na: bool,
    /// Another exchange's code in the stock code cell: six digits (A shares
    /// "600078" beside H shares).
    other_code: Option<(String, u32)>,
    listed: Option<(bool, u32)>,
    multi: Vec<String>,
    /// Row mode: each row's tokens and line.
    rows: Vec<(Row, Vec<Tok>, u32)>,
    /// Sequence mode: numbers in reading order with their lines.
    seq: Vec<(Num, u32)>,
    seq_currency: Option<&'static str>,
    seq_mode: bool,
    rows_seen: Vec<Row>,
    total: Option<(String, Option<&'static str>, u32)>,
    total_pending: bool,
    total_currency: Option<&'static str>,
}

impl Block {
    /// Whether both balance rows (opening and closing) were seen: the sum
    /// that proves the row between them is the change.
    fn both_balances(&self) -> bool {
        self.rows_seen.contains(&Row::Opening) && self.rows_seen.contains(&Row::Closing)
    }

    fn set(&mut self, field: Field, value: &str, no: u32) -> bool {
        let v = value
            .trim()
            .trim_matches(|c: char| c == ':' || c.is_whitespace());
        // A tick or a ballot box alone is the form's check box (the public
        // float confirmation's), printed out of place: no answer.
        let tick = |c: char| matches!(c, '\u{2610}'..='\u{2612}' | '\u{2713}'..='\u{2718}');
        if v.is_empty() || v.chars().all(|c| tick(c) || c.is_whitespace()) {
            return false;
        }
        match field {
            Field::Class => self.class = Some((v.to_string(), no)),
            Field::Type => self.type_ = Some((v.to_string(), no)),
            Field::Description => self.description = Some((v.to_string(), no)),
            Field::Listed => {
                let lc = v.to_ascii_lowercase();
                if lc.starts_with("yes") {
                    self.listed = Some((true, no));
                } else if lc.starts_with("no") {
                    self.listed = Some((false, no));
                } else {
                    return false;
                }
            }
            Field::Code => {
                let first = v.split_whitespace().next().unwrap_or("");
                if let Some(c) = hk_code(first) {
                    self.code = Some((c, no));
                } else if first.len() == 6 && first.bytes().all(|b| b.is_ascii_digit()) {
                    self.other_code = Some((first.to_string(), no));
                } else if is_nil_token(first) || is_nil_token(v) {
                    self.code_na = true;
                } else {
                    return false;
                }
            }
            Field::MultiCounter => {
                for w in v.split_whitespace() {
                    if let Some(c) = hk_code(w) {
                        if !self.multi.contains(&c) {
                            self.multi.push(c);
                        }
                    }
                }
            }
            Field::Skip => {}
        }
        true
    }

    fn key(&self) -> String {
        if let Some((c, _)) = &self.code {
            return c.clone();
        }
        let (class, _) = self.class_and_type();
        let d = self
            .description
            .as_ref()
            .map(|d| d.0.clone())
            .or(class)
            .unwrap_or_default();
        let s = slug(&d);
        if s.is_empty() {
            format!("class-{}", self.start)
        } else {
            s
        }
    }

    /// FF301 v1.0.1 prints "Type of shares: Ordinary shares / Class of shares: Not
    /// applicable"; v1.0.2 and later swap the labels (the SenseTime return: "Class of
    /// shares: WVR ordinary shares / Type of shares: Other type (specify in
    /// description)"). The kind (ordinary, preference, WVR) is the `type`; the class
    /// (Class A, H shares) is the `class`, taken from the description where the
    /// form says "Other type" or "Not applicable".
    fn class_and_type(&self) -> (Option<String>, Option<String>) {
        let kindish = |s: &str| {
            let l = s.to_ascii_lowercase();
            (l.contains("ordinary") || l.contains("preference") || l.contains("wvr"))
                && !l.starts_with("class ")
        };
        let classish = |s: &str| {
            let l = s.to_ascii_lowercase();
            l.starts_with("other type")
                || l.starts_with("not applicable")
                || l.starts_with("class ")
        };
        let c = self.class.as_ref().map(|x| x.0.clone());
        let t = self.type_.as_ref().map(|x| x.0.clone());
        let (class_cell, type_cell) = match (&c, &t) {
            (Some(cv), Some(tv)) if kindish(cv) && classish(tv) => (t.clone(), c.clone()),
            _ => (c.clone(), t.clone()),
        };
        let desc = self.description.as_ref().map(|d| d.0.clone());
        let class = match class_cell {
            Some(cv) if !classish(&cv) || cv.to_ascii_lowercase().starts_with("class ") => Some(cv),
            _ => desc,
        };
        (class, type_cell)
    }
}

/// A class block opens with its number and first label: "1. Class of shares"
/// (v1.0.2 and later), "1. Type of shares" (v1.0.1 prints Type first).
static BLOCK_START: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*\d+\.\s*(?:Class|Type)\s+of\s+shares(?:\s|$)"));
static TOTAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)Total\s+authori[sz]ed/registered\s+share\s+capital\s+at\s+the\s+end\s+of\s+the\s+month:?",
    )
});
/// Column heads only section II prints.
static ISSUED_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^\s*(?:Number\s+of\s+issued\s+shares|Number\s+of\s+treasury\s+shares)")
});

/// Read the blocks of section I or II from `lines`.
fn read_blocks(ls: &[L], sec_lines: &[usize], section_one: bool) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut pending: Vec<Field> = Vec::new();
    let mut k = 0;
    while k < sec_lines.len() {
        let l = &ls[sec_lines[k]];
        k += 1;
        if l.blank || l.furniture {
            continue;
        }
        let t: &str = &l.text;
        if l.is_block_start() {
            blocks.push(Block {
                start: l.no,
                ..Block::default()
            });
            pending.clear();
        }
        let Some(b) = blocks.last_mut() else { continue };
        b.last = l.no;
        if section_one {
            if let Some(end) = l.find_total() {
                let toks = tokens(&t[end..]);
                b.total_currency = first_currency(&toks);
                match nums(&toks).first() {
                    Some(n) => b.total = n.dec().map(|d| (d, b.total_currency, l.no)),
                    None => b.total_pending = true,
                }
                continue;
            }
        }
        if let Some((row, end)) = row_label(l) {
            let mut toks = tokens_after_label(t, end);
            b.rows_seen.push(row);
            // Repair "cells wrapped below their label": the change row's
            // cells on the next line, alone (a line cut between label and
            // cells). Read in row mode only: in reading order every cell
            // stands on its own line and the sequence reading places them.
            if row == Row::Change && !b.seq_mode && nums(&toks).is_empty() {
                if let Some((j, cells)) = cells_below(ls, sec_lines, k) {
                    let no = ls[sec_lines[j]].no;
                    k = j + 1;
                    b.rows.push((row, cells, no));
                    continue;
                }
            }
            if nums(&toks).is_empty() && row != Row::Change {
                b.seq_mode = true;
            } else if !b.seq_mode {
                // A wrapped label's tail line ("preceding month") is consumed below.
                toks.retain(|x| !matches!(x, Tok::Word(..)));
                b.rows.push((row, toks, l.no));
            }
            continue;
        }
        if l.may_start_with("balance")
            && (if l.ascii {
                row_cut_ascii(t.as_bytes())
            } else {
                ROW_CUT.is_match(t)
            })
        {
            // `pdftotext -layout` wraps "Balance at close of" / "preceding month".
            let head_end = t
                .to_ascii_lowercase()
                .find(" of")
                .map_or(t.len(), |p| p + 3);
            let mut toks = tokens(t.get(head_end..).unwrap_or(""));
            let mut row = None;
            let mut j = k;
            while j < sec_lines.len() && j < k + 3 {
                let n = &ls[sec_lines[j]];
                if let Some(c) = n
                    .may_start(b"pt")
                    .then(|| ROW_CUT_TAIL.captures(&n.text))
                    .flatten()
                {
                    row = Some(if c.get(1).is_some() {
                        Row::Opening
                    } else {
                        Row::Closing
                    });
                    let end = c.get(0).map_or(0, |m| m.end());
                    toks.extend(tokens(n.text.get(end..).unwrap_or("")));
                    k = j + 1;
                    break;
                }
                j += 1;
            }
            if let Some(row) = row {
                b.rows_seen.push(row);
                toks.retain(|x| !matches!(x, Tok::Word(..)));
                if nums(&toks).is_empty() {
                    b.seq_mode = true;
                } else {
                    b.rows.push((row, toks, l.no));
                }
            }
            continue;
        }
        // Labelled fields, several to a line in row-style extractions.
        // The label is the match less the `^\s*(\d+\.\s*)?` before it, which
        // holds no letter: it starts at the match's first letter. (Found with
        // `find_iter`, not the slower capturing search.)
        let labels: Vec<(usize, usize)> = if l.may_hold_field_label() {
            field_labels(t, l.ascii)
        } else {
            Vec::new()
        };
        let labels: Vec<(usize, usize)> = labels
            .into_iter()
            .map(|(start, end)| {
                let m = t.get(start..end).unwrap_or("");
                let lead = m.char_indices().find(|(_, c)| c.is_alphabetic());
                (start + lead.map_or(0, |(i, _)| i), end)
            })
            .collect();
        if !labels.is_empty() {
            for (i, &(start, stop)) in labels.iter().enumerate() {
                let end = labels.get(i + 1).map_or(t.len(), |n| n.0);
                let field = field_of(t.get(start..stop).unwrap_or(""));
                let value = drop_note_refs(t.get(stop..end).unwrap_or(""));
                let value = value.trim();
                let value = strip_number_prefix(value);
                if field != Field::Skip && !b.set(field, value, l.no) {
                    pending.retain(|p| *p != field);
                    pending.push(field);
                }
            }
            continue;
        }
        if l.is_heading() {
            continue;
        }
        // A line with no digit and a word that is no currency or nil word
        // holds no value cell: it is not tokenized (most label and name
        // lines of raw order).
        if (has_numeral(t) || all_value_words(t)) && !surely_holds_word(t) {
            let toks = tokens(t);
            let line_nums = nums(&toks);
            let only_values = toks.iter().all(|x| !matches!(x, Tok::Word(..)));
            if only_values && !line_nums.is_empty() {
                if b.seq_mode || (b.total_pending && line_nums.len() == 1) {
                    if b.total_pending && !b.seq_mode {
                        b.total = line_nums[0].dec().map(|d| (d, b.total_currency, l.no));
                        b.total_pending = false;
                        continue;
                    }
                    if let Some(c) = first_currency(&toks) {
                        b.seq_currency.get_or_insert(c);
                    }
                    for n in line_nums {
                        b.seq.push((n.clone(), l.no));
                    }
                    continue;
                }
                // A stock code alone on its line (raw order), printed with 4 or 5
                // digits; a lone "5" is a price, not a code.
                if let Some(field) = pending_code(&mut pending, t) {
                    b.set(field, t, l.no);
                }
                continue;
            }
            if only_values {
                // Raw order puts each currency cell on its own line.
                if b.seq_mode {
                    if let Some(c) = first_currency(&toks) {
                        b.seq_currency.get_or_insert(c);
                    }
                }
                // "HKD" alone, "N/A" alone: a pending code's N/A, else nothing.
                if toks.iter().any(|x| matches!(x, Tok::Nil(_))) {
                    if let Some(pos) = pending.iter().rposition(|p| *p == Field::Code) {
                        pending.remove(pos);
                        b.code_na = true;
                    }
                }
                continue;
            }
        }
        // A value alone on its line, after its label in raw reading order.
        let answer = t.trim();
        if answer.eq_ignore_ascii_case("yes") || answer.eq_ignore_ascii_case("no") {
            if let Some(pos) = pending.iter().rposition(|p| *p == Field::Listed) {
                pending.remove(pos);
                b.set(Field::Listed, &answer.to_ascii_lowercase(), l.no);
            }
            continue;
        }
        if let Some(pos) = pending
            .iter()
            .rposition(|p| matches!(p, Field::Class | Field::Type | Field::Description))
        {
            let field = pending.remove(pos);
            b.set(field, t, l.no);
        }
    }
    blocks
}

/// The next line with text from `sec_lines[k]` on, when it holds cells and
/// nothing else (a number among them; the label's "(-)" may come along):
/// its index in `sec_lines` and its cells.
fn cells_below(ls: &[L], sec_lines: &[usize], k: usize) -> Option<(usize, Vec<Tok>)> {
    let j = (k..sec_lines.len().min(k + 3)).find(|&j| {
        let n = &ls[sec_lines[j]];
        !n.blank && !n.furniture
    })?;
    let n = &ls[sec_lines[j]];
    if !has_numeral(&n.text) || row_label(n).is_some() {
        return None;
    }
    // The label's "(-)" may have wrapped with the cells.
    let mut cells = tokens(&n.text);
    cells.retain(|x| !matches!(x, Tok::Word(w, _) if w == "(-)"));
    let only_cells = cells
        .iter()
        .all(|x| matches!(x, Tok::Num(_) | Tok::Cur(_) | Tok::Nil(_)));
    (only_cells && !nums(&cells).is_empty()).then_some((j, cells))
}

/// Whether a line may hold a number: an ASCII digit, or any character
/// Unicode counts as numeric (what `\d` could match).
fn has_numeral(t: &str) -> bool {
    t.bytes().any(|b| b.is_ascii_digit()) || (!t.is_ascii() && t.chars().any(char::is_numeric))
}

/// Whether every word of a line without a numeral is a value cell as
/// [`tokens`] reads it: a currency or a nil word (`push_word`'s rules for
/// words without a digit).
fn all_value_words(t: &str) -> bool {
    t.split_whitespace()
        .map(|w| w.trim_end_matches([':', ';']))
        .filter(|w| !w.is_empty())
        .all(|w| !w.contains(['\u{1}', '/']) && (exact_currency(w).is_some() || is_nil_token(w)))
}

/// Whether [`tokens`] would surely read a word on the line: one of its
/// white-space separated words is ASCII letters alone (less a trailing `:` or
/// `;`, as `tokens` trims it) and no currency or nil word. No repair
/// before `push_word` takes such a word away (a date keeps its month as a
/// word; a number joined across a space is digits) except a `( Note 1 )`
/// reference spaced out, whose "Note" is not counted. Column heads and
/// labels with a `(A1)` mark or a rule number skip the tokenising this way.
fn surely_holds_word(t: &str) -> bool {
    t.split_ascii_whitespace().any(|w| {
        let w = w.trim_end_matches([':', ';']);
        !w.is_empty()
            && w.bytes().all(|b| b.is_ascii_alphabetic())
            && exact_currency(w).is_none()
            && !is_nil_token(w)
            && !w.eq_ignore_ascii_case("note")
    })
}

fn strip_number_prefix(v: &str) -> &str {
    v
}

/// The code label (stock code or multi-counter code) still waiting for its
/// value, when `t` looks like a code: raw order puts the value on a later line.
fn pending_code(pending: &mut Vec<Field>, t: &str) -> Option<Field> {
    if t.trim().len() < 4 {
        return None;
    }
    let pos = pending
        .iter()
        .rposition(|p| matches!(p, Field::Code | Field::MultiCounter))?;
    Some(pending.remove(pos))
}

/// Section I: the authorised capital of one block.
fn authorised_of(b: &Block, f: &mut Filing, key: &str) -> Option<Authorised> {
    let mut a = Authorised::default();
    let mut any = false;
    if b.seq_mode {
        let n = &b.seq;
        // Opening row: shares, par, capital; closing row repeats the par value.
        // The change row between them prints nothing, its shares, or its
        // shares and capital (no par value): the closing par is the fifth,
        // sixth or seventh value. Capital printed as the change's second
        // value must be the difference of the balances' capital.
        let par = n.get(1).and_then(|x| x.0.dec());
        let j = (3..n.len()).find(|&j| n[j].0.dec() == par && j + 1 < n.len());
        let capital_change_fits = |j: usize| {
            let num = |i: usize| n.get(i).and_then(|x| x.0.dec()?.parse::<f64>().ok());
            matches!(
                (num(2), num(4), num(j + 1)),
                (Some(o), Some(m), Some(c)) if ((c - o) - m).abs() <= 1e-9 * c.abs().max(1.0)
            )
        };
        match (par, j) {
            // Share counts are whole numbers: a decimal where the opening or
            // closing shares belong means a value was lost and the rest slid.
            (Some(par), Some(j))
                if (j == 4 || j == 5 || (j == 6 && capital_change_fits(j)))
                    && (n.len() == j + 2 || n.len() == j + 3)
                    && n.iter().all(|x| x.0.sound)
                    && !n[0].0.raw.contains('.')
                    && !n[j - 1].0.raw.contains('.')
                    // Opening + change = closing: a value doubled or lost
                    // between the rows shifts the others, and this catches it.
                    && matches!(
                        (n[0].0.int, if j > 4 { n[3].0.int } else { Some(0) }, n[j - 1].0.int),
                        (Some(o), Some(m), Some(c)) if o.checked_add(m) == Some(c)
                    ) =>
            {
                let o = &n[0];
                let c = &n[j - 1];
                let cap = &n[j + 1];
                a.opening = o.0.int;
                a.lines.insert("opening".into(), o.1);
                a.change = if j > 4 { n[3].0.int } else { Some(0) };
                if j > 4 {
                    a.lines.insert("change".into(), n[3].1);
                }
                a.closing = c.0.int;
                a.lines.insert("closing".into(), c.1);
                a.par_value = Some(par);
                a.lines.insert("par_value".into(), n[j].1);
                a.capital = cap.0.dec();
                a.lines.insert("capital".into(), cap.1);
                a.currency = b.seq_currency.map(str::to_string);
                any = true;
                missing_rows(b, f, &format!("authorised shares of {key}"), key);
            }
            _ if authorised_by_columns(b, &mut a, f) => {
                any = true;
                missing_rows(b, f, &format!("authorised shares of {key}"), key);
            }
            _ if !n.is_empty() => {
                f.add_finding(
                    Finding::new(
                        Level::Warning,
                        codes::UNREADABLE_VALUE,
                        format!(
                            "authorised shares of {key}: {} values in reading order do not fit the form's rows; left null",
                            n.len()
                        ),
                    )
                    .at(Some(b.start))
                    .class(Some(key)),
                );
                return Some(a);
            }
            _ => return None,
        }
        return any.then_some(a);
    }
    if let Err(msg) = rows_in_order(b) {
        f.add_finding(
            Finding::new(
                Level::Warning,
                codes::UNREADABLE_VALUE,
                format!("authorised shares of {key}: {msg}; left null"),
            )
            .at(Some(b.start))
            .class(Some(key)),
        );
        return Some(a);
    }
    let mut blank_change = None;
    let mut blank_change_unconfirmed = false;
    let mut change_unreadable = false;
    for (row, toks, no) in &b.rows {
        let ns = nums(toks);
        let bad = ns.iter().any(|n| !n.sound);
        match row {
            Row::Opening | Row::Closing => {
                any = true;
                if bad || ns.len() != 3 {
                    if ns.len() == 1 && !bad && ns[0].int.is_some() {
                        // No par value and no capital printed on this row.
                        set_row(
                            &mut a.opening,
                            &mut a.closing,
                            *row,
                            ns[0].int,
                            &mut a.lines,
                            *no,
                        );
                        continue;
                    }
                    f.add_finding(
                        Finding::new(
                            Level::Warning,
                            codes::UNREADABLE_VALUE,
                            format!("authorised shares of {key}: the row on line {no} holds {} numbers where the form has 3; left null", ns.len()),
                        )
                        .at(Some(*no))
                        .class(Some(key)),
                    );
                    continue;
                }
                set_row(
                    &mut a.opening,
                    &mut a.closing,
                    *row,
                    ns[0].int,
                    &mut a.lines,
                    *no,
                );
                if a.currency.is_none() {
                    a.currency = first_currency(toks).map(str::to_string);
                    if a.currency.is_some() {
                        a.lines.insert("currency".into(), *no);
                    }
                }
                if *row == Row::Closing || a.par_value.is_none() {
                    a.par_value = ns[1].dec();
                    a.lines.insert("par_value".into(), *no);
                    a.capital = ns[2].dec();
                    a.lines.insert("capital".into(), *no);
                }
            }
            Row::Change => {
                if bad {
                    f.add_finding(
                        Finding::new(Level::Warning, codes::UNREADABLE_VALUE, format!("authorised shares of {key}: the change on line {no} cannot be read; left null"))
                            .at(Some(*no))
                            .class(Some(key)),
                    );
                    a.raw.insert("change".into(), toks_raw(toks));
                    change_unreadable = true;
                    continue;
                }
                if ns.is_empty() {
                    if let Some(r) = nil_raw(toks) {
                        a.raw.insert("change".into(), r);
                    } else {
                        // A blank change is 0 once the closing row confirms it.
                        blank_change = Some(*no);
                        continue;
                    }
                }
                a.change = Some(ns.first().and_then(|n| n.int).unwrap_or(0));
                a.lines.insert("change".into(), *no);
            }
        }
    }
    // A change row left blank reads 0, unless the block ends with it (a file
    // cut short): then the change may have been cut off the end of its line,
    // and it stays null.
    if let Some(no) = blank_change {
        if b.rows_seen.contains(&Row::Closing) || b.last > no {
            a.change = Some(0);
            a.lines.insert("change".into(), no);
        } else {
            blank_change_unconfirmed = true;
        }
    }
    // A change row that was there but said nothing reads 0; one that could
    // not be read stays null (a number split by the extraction is no nil).
    if any
        && a.change.is_none()
        && b.rows_seen.contains(&Row::Change)
        && !blank_change_unconfirmed
        && !change_unreadable
    {
        a.change = Some(0);
    }
    // A change that moved something, with no opening or no closing row
    // beside it: a balance row whose label became the change's would read
    // as a change of the whole balance, and nothing else in the return
    // witnesses an authorised change.
    if !b.both_balances() && a.change.is_some_and(|c| c != 0) {
        a.change = None;
        a.lines.remove("change");
        f.add_finding(
            Finding::new(
                Level::Warning,
                codes::UNREADABLE_VALUE,
                format!("authorised shares of {key}: a change with no opening or no closing row to check it; left null"),
            )
            .at(Some(b.start))
            .class(Some(key)),
        );
    }
    if any {
        missing_rows(b, f, &format!("authorised shares of {key}"), key);
    }
    any.then_some(a)
}

fn set_row(
    opening: &mut Option<i64>,
    closing: &mut Option<i64>,
    row: Row,
    v: Option<i64>,
    lines: &mut Lines,
    no: u32,
) {
    let (slot, name) = match row {
        Row::Opening => (opening, "opening"),
        _ => (closing, "closing"),
    };
    *slot = v;
    if v.is_some() {
        lines.insert(name.into(), no);
    }
}

fn toks_raw(toks: &[Tok]) -> String {
    toks.iter()
        .map(|t| match t {
            Tok::Num(n) => n.raw.clone(),
            Tok::Cur(c) => c.to_string(),
            Tok::Nil(s) | Tok::Word(s, _) => s.clone(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn nil_raw(toks: &[Tok]) -> Option<String> {
    toks.iter().find_map(|t| match t {
        Tok::Nil(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    })
}

/// Section I's values column by column, as pdfminer groups a table's
/// cells: the shares (opening, the change when printed, closing), then the
/// par value (opening, closing), then the capital (opening, closing), and
/// maybe the total after them. Taken only when the form's arithmetic holds:
/// opening + change = closing, the par value unchanged, and shares times par
/// value = capital on both rows. Sets `a` (and the total) and says whether
/// it did.
fn authorised_by_columns(b: &Block, a: &mut Authorised, f: &mut Filing) -> bool {
    let n = &b.seq;
    if !n.iter().all(|x| x.0.sound) {
        return false;
    }
    let dec = |i: usize| n.get(i).and_then(|x| x.0.dec()?.parse::<f64>().ok());
    let times = |shares: i64, par: f64, cap: f64| {
        let want = shares as f64 * par;
        (want - cap).abs() <= 1e-9 * cap.abs().max(1.0)
    };
    for rows in [2, 3] {
        if n.len() != rows + 4 && n.len() != rows + 5 {
            continue;
        }
        let (Some(o), Some(c)) = (n[0].0.int, n[rows - 1].0.int) else {
            continue;
        };
        let change = if rows == 3 { n[1].0.int } else { Some(0) };
        let (Some(po), Some(pc), Some(co), Some(cc)) =
            (dec(rows), dec(rows + 1), dec(rows + 2), dec(rows + 3))
        else {
            continue;
        };
        let fits = change.and_then(|m| o.checked_add(m)) == Some(c)
            && po == pc
            && times(o, po, co)
            && times(c, pc, cc);
        if !fits {
            continue;
        }
        a.opening = Some(o);
        a.lines.insert("opening".into(), n[0].1);
        a.change = change;
        if rows == 3 {
            a.lines.insert("change".into(), n[1].1);
        }
        a.closing = Some(c);
        a.lines.insert("closing".into(), n[rows - 1].1);
        a.par_value = n[rows + 1].0.dec();
        a.lines.insert("par_value".into(), n[rows + 1].1);
        a.capital = n[rows + 3].0.dec();
        a.lines.insert("capital".into(), n[rows + 3].1);
        a.currency = b.seq_currency.map(str::to_string);
        if let Some((total, no)) = n.get(rows + 4).filter(|_| b.total_pending) {
            f.authorised_total = total.dec();
            f.authorised_total_currency = b.total_currency.map(str::to_string);
            f.lines.insert("authorised_total".into(), *no);
        }
        return true;
    }
    false
}

/// Section II's balances from its values in row order (opening row,
/// change row, closing row), when they fit the form: every value a whole
/// number, issued + treasury = total across the first and last rows (from
/// v1.1), and opening + change = closing down every column (the change row
/// blank, so 0, when only two rows are printed). A duplicated or lost value
/// shifts later values into the wrong rows, and these sums catch it.
/// `partial`: also accept blank change cells (a treasury column that did
/// not move), the printed changes being the non-zero differences in column
/// order.
fn seq_balances(n: &[(Num, u32)], cols: usize, partial: bool) -> Option<Vec<Balance>> {
    let ok = n.iter().all(|x| x.0.sound && x.0.int.is_some());
    let row_adds_up = |base: usize| {
        cols != 3
            || (|| {
                let v = |i: usize| n.get(base + i).and_then(|x| x.0.int);
                Some(v(0)? + v(1)? == v(2)?)
            })()
            .unwrap_or(false)
    };
    if !(ok && row_adds_up(0) && row_adds_up(n.len().saturating_sub(cols))) {
        return None;
    }
    let mut bal: Vec<Balance> = vec![Balance::default(); cols];
    let put = |bal: &mut Vec<Balance>, base: usize, row: Row| {
        for (c, slot) in bal.iter_mut().enumerate() {
            if let Some((v, no)) = n.get(base + c) {
                let name = match row {
                    Row::Opening => {
                        slot.opening = v.int;
                        "opening"
                    }
                    Row::Change => {
                        slot.change = v.int;
                        "change"
                    }
                    Row::Closing => {
                        slot.closing = v.int;
                        "closing"
                    }
                };
                slot.lines.insert(name.into(), *no);
            }
        }
    };
    let columns_add_up = |change: Option<usize>, closing: usize| {
        (0..cols).all(|c| {
            let v = |i: usize| n.get(i).and_then(|x| x.0.int);
            let moved = match change {
                Some(base) => v(base + c),
                None => Some(0),
            };
            matches!((v(c), moved, v(closing + c)), (Some(o), Some(m), Some(cl)) if o + m == cl)
        })
    };
    if n.len() == 2 * cols && columns_add_up(None, cols) {
        put(&mut bal, 0, Row::Opening);
        put(&mut bal, cols, Row::Closing);
        for s in bal.iter_mut() {
            s.change = Some(0);
        }
    } else if n.len() == 3 * cols && columns_add_up(Some(cols), 2 * cols) {
        put(&mut bal, 0, Row::Opening);
        put(&mut bal, cols, Row::Change);
        put(&mut bal, 2 * cols, Row::Closing);
    } else if partial && n.len() > 2 * cols && n.len() < 3 * cols && fits_partial_change(n, cols) {
        put(&mut bal, 0, Row::Opening);
        put(&mut bal, n.len() - cols, Row::Closing);
        for s in bal.iter_mut() {
            s.change = s.closing.zip(s.opening).map(|(c, o)| c - o);
        }
    } else {
        return None;
    }
    Some(bal)
}

fn fits_partial_change(n: &[(Num, u32)], cols: usize) -> bool {
    let k = n.len() - 2 * cols;
    let diffs: Vec<i64> = (0..cols)
        .filter_map(|c| Some(n[n.len() - cols + c].0.int? - n[c].0.int?))
        .collect();
    let nonzero: Vec<i64> = diffs.iter().copied().filter(|d| *d != 0).collect();
    let printed: Vec<i64> = n[cols..cols + k].iter().filter_map(|x| x.0.int).collect();
    diffs.len() == cols && nonzero == printed
}

/// The form prints all three balance rows; one that is absent was lost with
/// its line (a page cut, a dropped line), and its values are null: said so
/// here, never filled with 0.
fn missing_rows(b: &Block, f: &mut Filing, what: &str, key: &str) {
    for (row, label) in [
        (Row::Opening, "Balance at close of preceding month"),
        (Row::Change, "Increase / decrease (-)"),
        (Row::Closing, "Balance at close of the month"),
    ] {
        if !b.rows_seen.contains(&row) {
            f.add_finding(
                Finding::new(
                    Level::Warning,
                    codes::MISSING_FIELD,
                    format!("{what}: no \"{label}\" row; left null"),
                )
                .at(Some(b.start))
                .class(Some(key)),
            );
        }
    }
}

/// The form prints its rows in the order opening, change, closing; rows seen
/// twice or out of that order mean lines were lost or swapped.
fn rows_in_order(b: &Block) -> Result<(), String> {
    let rank = |r: &Row| match r {
        Row::Opening => 0,
        Row::Change => 1,
        Row::Closing => 2,
    };
    for w in b.rows_seen.windows(2) {
        if rank(&w[0]) >= rank(&w[1]) {
            return Err("its balance rows are repeated or out of order".into());
        }
    }
    Ok(())
}

/// Section II: issued (and, from v1.1, treasury and total) of one block.
fn issued_of(
    b: &Block,
    cols: usize,
    f: &mut Filing,
    key: &str,
) -> (Option<Balance>, Option<Balance>, Option<Balance>) {
    let mut bal: Vec<Balance> = vec![Balance::default(); cols];
    let unreadable = |f: &mut Filing, msg: String, line: u32| {
        f.add_finding(
            Finding::new(
                Level::Warning,
                codes::UNREADABLE_VALUE,
                format!("issued shares of {key}: {msg}; left null"),
            )
            .at(Some(line))
            .class(Some(key)),
        );
    };
    let mut seen = false;
    if b.seq_mode {
        let n = &b.seq;
        seen = !n.is_empty();
        // The values in reading order are the rows one after the other
        // (most extractions), or the columns one after the other (pdfminer
        // groups each column's cells): the form's arithmetic decides.
        let placed = seq_balances(n, cols, true).or_else(|| {
            [2, 3].into_iter().find_map(|rows| {
                (n.len() == rows * cols)
                    .then(|| {
                        let by_rows: Vec<(Num, u32)> = (0..n.len())
                            .map(|i| n[(i % cols) * rows + i / cols].clone())
                            .collect();
                        seq_balances(&by_rows, cols, false)
                    })
                    .flatten()
            })
        });
        match placed {
            Some(v) => bal = v,
            None if seen => unreadable(
                f,
                format!(
                    "{} values in reading order do not fit the form's {cols} columns",
                    n.len()
                ),
                b.start,
            ),
            None => {}
        }
    } else if let Err(msg) = rows_in_order(b) {
        seen = true;
        unreadable(f, msg, b.start);
    } else {
        let mut blank_change = None;
        for (row, toks, no) in &b.rows {
            seen = true;
            let ns = nums(toks);
            let bad = ns.iter().any(|n| !n.sound || n.int.is_none());
            match row {
                Row::Opening | Row::Closing => {
                    if bad || ns.len() != cols {
                        unreadable(
                            f,
                            format!(
                                "the row on line {no} holds {} numbers where the form has {cols}",
                                ns.len()
                            ),
                            *no,
                        );
                        continue;
                    }
                    for (c, slot) in bal.iter_mut().enumerate() {
                        set_row(
                            &mut slot.opening,
                            &mut slot.closing,
                            *row,
                            ns[c].int,
                            &mut slot.lines,
                            *no,
                        );
                    }
                }
                Row::Change => {
                    if bad || ns.len() > cols {
                        unreadable(f, format!("the change on line {no} cannot be read"), *no);
                        for s in bal.iter_mut() {
                            s.raw.insert("change".into(), toks_raw(toks));
                        }
                        continue;
                    }
                    if ns.len() == cols {
                        for (c, slot) in bal.iter_mut().enumerate() {
                            slot.change = ns[c].int;
                            slot.lines.insert("change".into(), *no);
                        }
                    } else if ns.is_empty() {
                        let nil = nil_raw(toks);
                        for s in bal.iter_mut() {
                            if let Some(r) = &nil {
                                s.change = Some(0);
                                s.lines.insert("change".into(), *no);
                                s.raw.insert("change".into(), r.clone());
                            }
                        }
                        if nil.is_none() {
                            // A blank change is 0 once the closing row confirms it.
                            blank_change = Some(*no);
                        }
                    } else {
                        // Fewer numbers than columns: blank cells. Which columns they
                        // fill is decided below from the balances, once they are read.
                        let vals: Vec<i64> = ns.iter().filter_map(|n| n.int).collect();
                        for s in bal.iter_mut() {
                            s.raw.insert(
                                "change_partial".into(),
                                vals.iter()
                                    .map(|v| v.to_string())
                                    .collect::<Vec<_>>()
                                    .join(" "),
                            );
                            s.lines.insert("change".into(), *no);
                        }
                    }
                }
            }
        }
        // A change row left blank reads 0, unless the block ends with it (a
        // file cut short): then the change may have been cut off the end of
        // its line, and it stays null.
        if let Some(no) = blank_change {
            for s in bal
                .iter_mut()
                .filter(|_| b.rows_seen.contains(&Row::Closing) || b.last > no)
            {
                s.change = Some(0);
                s.lines.insert("change".into(), no);
            }
        }
        // Blank change cells: the numbers printed must be exactly the non-zero
        // differences of the columns, in column order.
        if let Some(partial) = bal
            .first()
            .and_then(|s| s.raw.get("change_partial").cloned())
        {
            let vals: Vec<i64> = partial.split(' ').filter_map(|v| v.parse().ok()).collect();
            let diffs: Vec<Option<i64>> =
                bal.iter().map(|s| Some(s.closing? - s.opening?)).collect();
            let nonzero: Vec<i64> = diffs
                .iter()
                .flatten()
                .copied()
                .filter(|d| *d != 0)
                .collect();
            // Or the cells of every column but the last, zeros included: the
            // form has no change cell under the total of issued shares
            // ("Increase / decrease (-)  0  0" under issued, treasury, total).
            let leading = vals.len() + 1 == diffs.len()
                && diffs.iter().zip(&vals).all(|(d, v)| *d == Some(*v));
            let fits = diffs.iter().all(|d| d.is_some()) && (nonzero == vals || leading);
            for (s, d) in bal.iter_mut().zip(diffs) {
                s.raw.remove("change_partial");
                s.change = if fits { d } else { None };
            }
            if !fits {
                unreadable(
                    f,
                    "the change row has blank cells that the balances do not explain".into(),
                    b.start,
                );
            }
        }
    }
    // No change row, and balances that differ: the row that would say by how
    // much is gone, and nothing shows that the two rows read are the ones
    // their labels name (a label moved from another row reads as either).
    if seen && !b.seq_mode && !b.rows_seen.contains(&Row::Change) {
        let differ = bal
            .iter()
            .any(|s| matches!((s.opening, s.closing), (Some(o), Some(c)) if o != c));
        if differ {
            for s in bal.iter_mut() {
                s.opening = None;
                s.closing = None;
            }
            unreadable(
                f,
                "no change row, and the balances differ: they cannot be checked".into(),
                b.start,
            );
        }
    }
    if seen {
        missing_rows(b, f, &format!("issued shares of {key}"), key);
    }
    if !seen {
        return (None, None, None);
    }
    let mut it = bal.into_iter();
    let issued = it.next();
    let treasury = it.next();
    let total = it.next();
    (issued, treasury, total)
}

// ---------------------------------------------------------------- section III rows

static ROW_START: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*(\d{1,2})\)\.?(?:\s+|$)"));
static ROW_END: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(General\s+Meeting\s+approval|Total\s+[A-E]\b|Total\s+funds|Remarks|Total\s+increase|Increase\s+in\s+issued|Decrease\s+in\s+treasury|Type\s+of\s+the\s+Convertibles|Subscription|Stock\s+code\s+of\s+the|\d+\.\s*Class\s+of\s+shares|Type\s+of\s+(?:the\s+)?(?:Warrants|agreement|event|issue)\s*$)",
    )
});

static MOVE_KW: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:Granted|Exercised|Cancell?ed|Lapsed|Others?|Issued|Converted|Redeemed|GRANTED|EXERCISED|CANCELLED|LAPSED|OTHERS?)\b",
    )
});

/// A positional value of a row: the number (None for a nil token), its line, its raw text.
type Pos = (Option<Num>, u32, String);

/// A row of a warrant or convertible table, split for reading.
type MoneyRow = (
    RowIii,
    Vec<Moved>,
    (Vec<Pos>, usize),
    Option<&'static str>,
    Option<(String, u32)>,
);

/// One numbered row of section III with the lines it spans.
struct RowIii {
    text: String,
    desc: String,
    toks: Vec<(Tok, u32)>,
    first: u32,
    /// How many lines of the trailer came before the row: the lines after
    /// it (its exercise price) start there, in the order read, which tells
    /// them apart where a run-together line gives every piece one number.
    trailer_at: usize,
}

/// Cut a row line into its description part and its values part. The
/// description is the first cell, up to the first value word: a grouped number
/// ("10,000,000"), a number followed by another value ("29 Other Sold"), a nil
/// token, a separate currency word, or a capitalised movement word. A currency
/// glued to its number inside prose ("HK$52,377,600 issued under") stays prose.
fn split_desc(text: &str) -> (String, String) {
    let text = drop_note_refs(text);
    let glued = glue_dates(&text);
    let cells = split_cells(&glued);
    let Some(first) = cells.first() else {
        return (String::new(), String::new());
    };
    let words: Vec<&str> = first.split_whitespace().collect();
    let is_num = |w: &str| is_number(w.trim_end_matches(','));
    let value_at = |i: usize| -> bool {
        let w = words[i];
        if is_move_kw(w)
            || exact_currency(w).is_some()
            || (is_nil_token(w) && !w.is_empty())
            || number_then_move_word(w).is_some()
        {
            return true;
        }
        if is_num(w) {
            // A year ends many descriptions ("Convertible Notes due 2027",
            // "Share Option Scheme 2018"): a bare year is a value only before a
            // movement word. Another bare number ending the description cell is
            // a value only when the line has no other cell (pypdf glues cells).
            let next = words.get(i + 1).copied();
            let year = w.len() == 4 && (w.starts_with("19") || w.starts_with("20"));
            // A grouped number followed by a lower-case word in its cell is
            // prose ("for up to 50,000,000 new shares" in a III(D) particulars
            // cell); "units" is the warrant column's own word.
            let prose = next.is_some_and(|n| {
                n.starts_with(|c: char| c.is_lowercase()) && n != "units" && !is_nil_token(n)
            });
            return (w.contains(',') && !prose)
                || (next.is_none() && cells.len() == 1 && !year)
                || next
                    .is_some_and(|n| is_move_kw(n) || (!year && (is_num(n) || is_nil_token(n))));
        }
        false
    };
    let cut = (0..words.len())
        .find(|&i| value_at(i))
        .unwrap_or(words.len());
    let desc = words[..cut].join(" ").replace('\u{1}', " ");
    let mut vals = words[cut..].join(" ");
    for c in cells.iter().skip(1) {
        vals.push('\t');
        vals.push_str(c);
    }
    (desc, vals)
}

static HARD_STOP: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(Total\b|Remarks|Subscription|Conversion\s+price|Exercise\s+price|Date\s+of\s+expiry|Increase\s+in\s+issued|Decrease\s+in\s+treasury|\d+\.\s*Class\s+of\s+shares)",
    )
});

static ADOPTED: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)adopted\s+on\s+(.{6,20})"));
static PRICE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)exercise\s+price\s*(?:of|:|at)?\s*(HK\$|US\$|HKD|USD|RMB)?\s*([0-9][0-9,]*(?:\.[0-9]+)?)",
    )
});

/// ADOPTED's group: the six to twenty characters after "adopted on" (by
/// hand on ASCII text, see [`super::phrase`]).
fn adopted_on(t: &str) -> Option<&str> {
    if !t.is_ascii() {
        return ADOPTED
            .captures(t)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str());
    }
    let b = t.as_bytes();
    super::phrase::find_then(b, "adopted on", |_, on| {
        let spaces = super::phrase::skip_spaces(b, on);
        // `\s+` gives back spaces when the group needs them: the longest run
        // that leaves six characters (`.`: any but a line feed).
        (on + 1..=spaces).rev().find_map(|e| {
            let n = b[e..].iter().take(20).take_while(|&&c| c != b'\n').count();
            (n >= 6).then(|| t.get(e..e + n)).flatten()
        })
    })
}

/// PRICE's amount: the number after "Exercise price" (and "of", ":" or
/// "at", and a currency), by hand on ASCII text (see [`super::phrase`]).
fn exercise_price(t: &str) -> Option<&str> {
    use super::phrase::{digits, first_of, skip_spaces};
    if !t.is_ascii() {
        return PRICE.captures(t).and_then(|c| c.get(2)).map(|m| m.as_str());
    }
    let b = t.as_bytes();
    super::phrase::find_then(b, "exercise price~", |_, e| {
        let e = skip_spaces(b, first_of(b, e, &["of", ":", "at"]).unwrap_or(e));
        let e = skip_spaces(
            b,
            first_of(b, e, &["hk$", "us$", "hkd", "usd", "rmb"]).unwrap_or(e),
        );
        if !b.get(e).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let mut end = e + b[e..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || **c == b',')
            .count();
        let frac = digits(b, end + 1);
        if b.get(end) == Some(&b'.') && frac > 0 {
            end += 1 + frac;
        }
        t.get(e..end)
    })
}

/// The numbered rows of a section III part. A row's description may wrap over
/// several lines; its values may share those lines (row-style extractions) or
/// come later alone on their lines (`pdftotext` raw), up to the next row or a
/// total, remarks or price line. Returns the rows and every line not in a row.
fn rows_iii<'a>(ls: &'a [L], idx: &[usize]) -> (Vec<RowIii>, Vec<(&'a str, u32)>) {
    let mut rows: Vec<RowIii> = Vec::new();
    let mut trailer: Vec<(&str, u32)> = Vec::new();
    // 2: description and values; 1: values alone; 0: outside a row.
    let mut state = 0u8;
    // Where in `idx` the first row starts (see the repair below).
    let mut first_row = None;
    for (at, &i) in idx.iter().enumerate() {
        let l = &ls[i];
        if l.furniture || l.blank {
            continue;
        }
        if let Some(end) = l.row_start() {
            first_row.get_or_insert(at);
            let body = l.text.get(end..).unwrap_or("");
            let (desc, vals) = split_desc(body);
            let mut r = RowIii {
                text: body.to_string(),
                desc,
                toks: Vec::new(),
                first: l.no,
                trailer_at: trailer.len(),
            };
            r.toks.extend(tokens(&vals).into_iter().map(|t| (t, l.no)));
            rows.push(r);
            state = 2;
            continue;
        }
        if l.is_hard_stop() {
            state = 0;
        } else if state == 2 && l.is_row_end() {
            state = 1;
        }
        let Some(r) = rows.last_mut().filter(|_| state > 0) else {
            trailer.push((&l.text, l.no));
            continue;
        };
        if l.is_heading() || l.has_field_label() {
            trailer.push((&l.text, l.no));
            continue;
        }
        r.text.push(' ');
        r.text.push_str(l.text.trim());
        let (desc, vals) = split_desc(&l.text);
        if state == 2 && !desc.is_empty() {
            if !r.desc.is_empty() {
                r.desc.push(' ');
            }
            r.desc.push_str(&desc);
        }
        let toks = tokens(&vals);
        let values_only = desc.is_empty() && values_alone(&toks);
        if state == 2 || values_only {
            r.toks.extend(toks.into_iter().map(|t| (t, l.no)));
        }
        if state == 1 {
            trailer.push((&l.text, l.no));
        }
    }
    // Repair "values before their row": PyMuPDF's text blocks can print a
    // table row's cells ("HKD", "52,377,600 Issued", "52,377,600",
    // "10,475,520") before the row's number and description. When the
    // first row holds no figure of its own, the lines of values alone
    // right before it are its cells.
    let figures = |v: &[(Tok, u32)]| v.iter().any(|(t, _)| matches!(t, Tok::Num(_)));
    if let (Some(r), Some(at)) = (rows.first_mut(), first_row) {
        if !figures(&r.toks) {
            let mut lead: Vec<(Tok, u32)> = Vec::new();
            for &i in idx[..at].iter().rev() {
                let l = &ls[i];
                if l.furniture || l.blank {
                    continue;
                }
                let (desc, vals) = split_desc(&l.text);
                let toks = if desc.is_empty() {
                    tokens(&vals)
                } else {
                    Vec::new()
                };
                if toks.is_empty() || !values_alone(&toks) {
                    break;
                }
                let line: Vec<(Tok, u32)> = toks.into_iter().map(|t| (t, l.no)).collect();
                lead.splice(0..0, line);
            }
            if figures(&lead) {
                let own = std::mem::take(&mut r.toks);
                r.toks = lead;
                r.toks.extend(own);
            }
        }
    }
    (rows, trailer)
}

/// Tokens of a row's values: no word but the movement words.
fn values_alone(toks: &[Tok]) -> bool {
    toks.iter().all(|t| match t {
        Tok::Word(w, _) => is_move_kw(w),
        _ => true,
    })
}

/// The description cell of a row, whitespace collapsed.
fn row_description(r: &RowIii) -> String {
    collapse_ws(&r.desc)
}

#[derive(Debug)]
struct Moved {
    kind: String,
    note: Option<String>,
    amount: Option<i64>,
    dec: Option<String>,
    line: u32,
}

/// Which table a row of section III belongs to: where a movement's amount
/// stands. The form's movement cell is a box for the kind, then a box for
/// the amount ("Other Sold ... -12,189,548" in the SenseTime return).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    /// III(A): the number after a movement word is its amount.
    Options,
    /// III(B) and III(C): the closing amount and the shares issuable at
    /// close always follow the movement cell, so a word followed by fewer
    /// than three values has left its amount box blank. The 2026 Moon Inc.
    /// return prints "HKD 52,377,600 Issued 52,377,600 10,475,520": the
    /// notes outstanding at the close of the preceding month, "Issued" with
    /// no amount, the same amount at the close of the month, the shares they
    /// convert into.
    Money,
}

/// Split a row's values into movements (a keyword with its amount) and the
/// remaining positional values, with how many of those stand before the
/// first movement's word.
fn split_movements(r: &RowIii, table: Table) -> (Vec<Moved>, Vec<Pos>, usize) {
    let toks = &r.toks;
    // Skip the description: values start at the first number, nil token or keyword
    // that is not in the description's own cell on the row's first line.
    let start = toks
        .iter()
        .position(|(t, _)| match t {
            Tok::Num(_) | Tok::Nil(_) | Tok::Cur(_) => true,
            Tok::Word(w, _) => is_move_kw(w),
        })
        .unwrap_or(toks.len());
    // The line of the first movement also carries the row's positional values.
    let first_move_line = toks
        .iter()
        .skip(start)
        .find(|(t, _)| matches!(t, Tok::Word(w, _) if is_move_kw(w)))
        .map(|(_, no)| *no);
    let mut used = vec![false; toks.len()];
    let mut moves = Vec::new();
    for i in start..toks.len() {
        let (Tok::Word(w, cell), no) = &toks[i] else {
            continue;
        };
        let Some(m) = is_move_kw(w).then(|| MOVE_KW.find(w)).flatten() else {
            continue;
        };
        used[i] = true;
        let kind = m.as_str().to_ascii_lowercase();
        let mut note_words = Vec::new();
        let mut amount_at = None;
        let room = table == Table::Options
            || toks[i + 1..]
                .iter()
                .filter(|(t, _)| matches!(t, Tok::Num(_) | Tok::Nil(_)))
                .count()
                >= 3;
        let mut j = i + 1;
        while j < toks.len() {
            match &toks[j].0 {
                Tok::Word(nw, c) if !is_move_kw(nw) => {
                    if *c == *cell && toks[j].1 == *no {
                        note_words
                            .push(nw.trim_matches(|c: char| c == ':' || c == ',').to_string());
                    }
                    used[j] = true;
                }
                Tok::Num(_) if room && amount_at.is_none() => {
                    amount_at = Some(j);
                    break;
                }
                _ => break,
            }
            j += 1;
        }
        let (mut amount, mut dec) = match amount_at {
            Some(a) => {
                used[a] = true;
                match &toks[a].0 {
                    Tok::Num(n) if n.sound => (n.int, n.dec()),
                    _ => (None, None),
                }
            }
            None => (None, None),
        };
        // A movement's amount on a line without the row's other values
        // (the movement's own line, or in reading order the amount's) is
        // one amount. A second number beside it is the rest of the amount,
        // cut by a tab where both pieces look whole (`Lapsed\t-1\t36,800`
        // for -136,800; `-67,00\t0`): unreadable, and no figure of the row.
        if let Some(a) =
            amount_at.filter(|&a| Some(toks[a].1) != first_move_line && table == Table::Options)
        {
            let amount_line = toks[a].1;
            let mut k = a + 1;
            while let Some((Tok::Num(_), l)) = toks.get(k) {
                if *l != amount_line {
                    break;
                }
                used[k] = true;
                amount = None;
                dec = None;
                k += 1;
            }
        }
        let note = collapse_ws(&note_words.join(" "));
        moves.push(Moved {
            kind,
            note: (!note.is_empty()).then_some(note),
            amount,
            dec,
            line: *no,
        });
    }
    let first_move = toks
        .iter()
        .skip(start)
        .position(|(t, _)| matches!(t, Tok::Word(w, _) if is_move_kw(w)))
        .map_or(toks.len(), |p| start + p);
    let mut rest = Vec::new();
    let mut lead = 0;
    for (i, (t, no)) in toks.iter().enumerate().skip(start) {
        if used[i] {
            continue;
        }
        match t {
            Tok::Num(n) => rest.push((Some(n.clone()), *no, n.raw.clone())),
            Tok::Nil(s) => rest.push((None, *no, s.clone())),
            _ => continue,
        }
        lead += usize::from(i < first_move);
    }
    (moves, rest, lead)
}

/// The "Exercise price" line a scheme's row is followed by (before the next
/// row): the price on it ("Exercise price  HKD 3.11"), or on the next line in
/// reading order ("Exercise price" / "HKD 2.73"); with its line. The label
/// opens its line: an exercise price named in prose (the remarks after the
/// last row: "granted ... at an exercise price of HKD 2.50") is no scheme's.
fn price_below(after_row: &[(&str, u32)]) -> Option<(String, u32)> {
    let mut lines = after_row.iter();
    let opens = |t: &str| {
        t.trim_start()
            .get(..14)
            .is_some_and(|h| h.eq_ignore_ascii_case("exercise price"))
    };
    let (label, no) = lines.find(|(t, _)| opens(t))?;
    if let Some(p) = exercise_price(label) {
        return parse_decimal(p).map(|d| (d, *no));
    }
    let (t, no) = lines.find(|(t, _)| !t.trim().is_empty())?;
    let toks = tokens(t);
    let price = match toks.as_slice() {
        [Tok::Num(n)] | [Tok::Cur(_), Tok::Num(n)] if n.sound => n.dec()?,
        _ => return None,
    };
    Some((price, *no))
}

/// `treasury_column`: the table prints the treasury shares transferred out
/// of treasury (A2) between the new shares issued (A1) and the issuable.
fn option_schemes(
    f: &mut Filing,
    ls: &[L],
    idx: &[usize],
    class_key: Option<String>,
    treasury_column: bool,
) {
    let (rows, trailer) = rows_iii(ls, idx);
    // The table's head names a fifth balance column ("The total number of
    // securities which may be issued upon exercise of all share options to
    // be granted under the scheme at close of the month", wrapped anywhere
    // but inside "granted under the").
    let mandate_column = idx
        .iter()
        .any(|&i| contains_ignore_case(&ls[i].text, "granted under the"));
    let first_scheme = f.option_schemes.len();
    // Rows with one of the A1 and A2 cells blank: which one holds the
    // figure is told by the part's totals (AA1, AA2) below.
    let mut one_of_two: Vec<(usize, Vec<String>)> = Vec::new();
    let starts: Vec<usize> = rows.iter().map(|r| r.trailer_at).collect();
    for (k, r) in rows.into_iter().enumerate() {
        let desc = row_description(&r);
        let (moves, rest, _) = split_movements(&r, Table::Options);
        let mut s = OptionScheme {
            scheme: desc.clone(),
            class_key: class_key.clone(),
            ..OptionScheme::default()
        };
        s.lines.insert("scheme".into(), r.first);
        if let Some(when) = adopted_on(&r.desc) {
            s.adopted = find_date(when).map(iso);
        }
        if let Some(price) = exercise_price(&r.text) {
            s.exercise_price = parse_decimal(price);
        } else {
            let next = starts.get(k + 1).copied().unwrap_or(trailer.len());
            let after_row = trailer.get(r.trailer_at..next).unwrap_or_default();
            if let Some((price, no)) = price_below(after_row) {
                s.exercise_price = Some(price);
                s.lines.insert("exercise_price".into(), no);
            }
        }
        let mut complete = true;
        for m in &moves {
            let kind = match m.kind.as_str() {
                "granted" => OptionMoveKind::Granted,
                "exercised" => OptionMoveKind::Exercised,
                k if k.starts_with("cancel") => OptionMoveKind::Cancelled,
                "lapsed" => OptionMoveKind::Lapsed,
                _ => OptionMoveKind::Other,
            };
            let Some(a) = m.amount else {
                f.add_finding(
                    Finding::new(
                        Level::Warning,
                        codes::UNREADABLE_VALUE,
                        format!(
                            "option scheme \"{}\": a {} movement has no readable amount",
                            short(&desc),
                            m.kind
                        ),
                    )
                    .at(Some(m.line))
                    .class(class_key.as_deref()),
                );
                complete = false;
                continue;
            };
            // Exercised, cancelled and lapsed options leave the scheme: negative
            // whatever sign the form printed (the legacy form prints them positive).
            let amount = match kind {
                OptionMoveKind::Granted => a.abs(),
                OptionMoveKind::Other => a,
                _ => -a.abs(),
            };
            s.movements.push(OptionMovement {
                kind,
                amount,
                note: m.note.clone(),
                line: Some(m.line),
            });
        }
        // Positional values: the opening, then (after the movement cells) the
        // closing, new shares issued and shares issuable. They are assigned by
        // position only when their count fits the form; any other count means a
        // value was cut in two or lost, and they are all left null.
        // A figure the extraction cut in two leaves a piece that is no
        // number ("13,4" of 13,483,050) and one that is ("83,050"), which
        // together make one: a count that fits the form may then be a cut
        // figure and a lost one, every figure after the cut one place off.
        let one_number = |a: &str, b: &str| {
            super::legacy::well_formed(
                format!("{}{}", a.trim().trim_start_matches('-'), b.trim()).as_bytes(),
            )
        };
        let cut = rest
            .windows(2)
            .any(|w| w[0].0.as_ref().is_some_and(|n| !n.sound) && one_number(&w[0].2, &w[1].2));
        // Two sound figures side by side on one line that make one number
        // ("2 20,000" for 220,000) are two cells, or one the extraction cut:
        // after the opening (which the closing and the movements recover),
        // where the balances as read disagree with the movements, a cut.
        let joinable = rest.windows(2).skip(1).any(|w| {
            w[0].1 == w[1].1
                && w[0].0.as_ref().is_some_and(|n| n.sound)
                && w[1].0.as_ref().is_some_and(|n| n.sound)
                && one_number(&w[0].2, &w[1].2)
        });
        let mut got: Vec<(Option<i64>, u32, String, bool)> = rest
            .into_iter()
            .map(|v| {
                let sound = v.0.as_ref().is_some_and(|n| n.sound);
                (v.0.as_ref().and_then(|n| n.int), v.1, v.2, sound)
            })
            .collect();
        // No movement: the movement cell may say so ("Nil") rather than stay
        // blank (one figure more than the form's four, or five under a
        // treasury or mandate column).
        if moves.is_empty() && got.len() >= 5 && got[1].0.is_none() && is_nil_token(&got[1].2) {
            let nil = got.remove(1);
            s.raw.insert("movements".into(), nil.2);
        }
        // No movement, yet the outstanding balances differ (a nil cell counts
        // as none outstanding): a figure was lost and the rest slid (the
        // opening lost, the movement's "Nil" read in its place). Not placed.
        let outstanding =
            |g: &(Option<i64>, u32, String, bool)| g.0.or_else(|| is_nil_token(&g.2).then_some(0));
        if moves.is_empty() && complete && got.len() >= 4 {
            if let (Some(o), Some(c)) = (outstanding(&got[0]), outstanding(&got[1])) {
                if o != c {
                    let what = format!(
                        "no movement, yet the figures read as its outstanding balances differ ({o} and {c}); left null"
                    );
                    scheme_unreadable(f, &desc, r.first, class_key.as_deref(), &what);
                    got.clear();
                }
            }
        }
        // Something granted to a new scheme: the opening cell is blank, and
        // the first value is then the closing that the movements alone make,
        // and the last the shares issuable, one for each option outstanding
        // (three values could as well be a row cut off before its last cell,
        // or one that lost a movement's amount and took the closing for it).
        let moved: i64 = s.movements.iter().map(|m| m.amount).sum();
        if got.len() == 3 && !moves.is_empty() && got[0].0 == Some(moved) && got[2].0 == got[0].0 {
            got.insert(0, (None, r.first, String::new(), true));
        }
        if got.is_empty() {
            // A row with no balance at all: its values were lost with their
            // lines, or the row's first line was printed twice. The form
            // always prints the outstanding balances, movements or not.
            f.add_finding(
                Finding::new(
                    Level::Warning,
                    codes::MISSING_FIELD,
                    format!(
                        "option scheme \"{}\": no outstanding balances on its row; left null",
                        short(&desc)
                    ),
                )
                .at(Some(r.first))
                .class(class_key.as_deref()),
            );
        }
        // FF301 v1.0 prints a fifth balance: the securities that options
        // still to be granted under the scheme may issue. It is kept raw.
        if got.len() == 5 && mandate_column && got.iter().all(|g| g.3) {
            if let Some((_, no, raw, _)) = got.pop() {
                s.raw.insert("to_be_granted_at_close".into(), raw);
                s.lines.insert("to_be_granted_at_close".into(), no);
            }
        }
        // Four figures under five columns: A1 or A2 was left blank, the
        // opening of a new scheme was, or a figure was lost. The balances
        // read must agree with the movements; the part's totals then tell
        // A1 from A2 (below).
        if got.len() == 4 && treasury_column && !mandate_column {
            let agrees = |o: Option<i64>, c: Option<i64>| {
                complete && matches!((o, c), (Some(o), Some(c)) if o.checked_add(moved) == Some(c))
            };
            if agrees(got[0].0, got[1].0) {
                let printed = got.iter().map(|g| g.2.clone()).collect();
                one_of_two.push((f.option_schemes.len(), printed));
            } else if complete
                && !moves.is_empty()
                && got[0].0 == Some(moved)
                && got[3].0 == got[0].0
            {
                got.insert(0, (None, r.first, String::new(), true));
            } else {
                let what = "4 figures where the form has 5, and the outstanding balances do not agree with the movements; left null";
                scheme_unreadable(f, &desc, r.first, class_key.as_deref(), what);
                got.clear();
                complete = false;
            }
        }
        // The treasury shares transferred (A2) are kept raw: the model has
        // no field for them.
        if got.len() == 5 && treasury_column && !mandate_column && got.iter().all(|g| g.3) {
            let (_, no, raw, _) = got.remove(3);
            s.raw.insert("treasury_transferred".into(), raw);
            s.lines.insert("treasury_transferred".into(), no);
        }
        let disagree = complete
            && !moves.is_empty()
            && got.len() == 4
            && got[0]
                .0
                .zip(got[1].0)
                .is_some_and(|(o, c)| o.checked_add(moved) != Some(c));
        // New shares and shares issuable are never below nought: one that is,
        // where the balances disagree with the movements, is a movement's
        // figure slid into their places (its label lost with a figure).
        let below_nought = got.len() == 4 && got[2..].iter().any(|g| g.0.is_some_and(|v| v < 0));
        // Two neighbouring figures the same, where the balances disagree with
        // the movements: a figure printed twice (and another lost), every
        // figure between the two one place off.
        let doubled = got
            .windows(2)
            .any(|w| w[0].0.is_some_and(|v| v != 0) && w[0].0 == w[1].0);
        // A figure with decimals among the share counts, where the balances
        // disagree with the movements: the exercise price's figure ("HKD
        // 2.64"), its label lost, read as the row's last cell and every
        // figure before it one place off.
        let decimal = got
            .iter()
            .any(|g| g.0.is_none() && g.3 && g.2.contains('.'));
        if (cut || (joinable || below_nought || doubled || decimal) && disagree) && got.len() == 4 {
            let what = if cut || joinable {
                "a figure cut in two by the extraction, so the figures' places are not sure; left null"
            } else if decimal {
                "a figure with decimals among the share counts, and outstanding balances that do not agree with the movements: the figures' places are not sure; left null"
            } else if below_nought {
                "a negative count of new or issuable shares, and outstanding balances that do not agree with the movements: the figures' places are not sure; left null"
            } else {
                "a figure printed twice beside another, and outstanding balances that do not agree with the movements: the figures' places are not sure; left null"
            };
            scheme_unreadable(f, &desc, r.first, class_key.as_deref(), what);
            got.clear();
            complete = false;
        }
        // A negative count of new or issuable shares where the balances do
        // agree with the movements: the balances and movements stand, and the
        // two counts after them are not sure (a count lost and a movement's
        // figure printed twice, read in its place): those two are left null.
        if got.len() == 4 && below_nought && !disagree {
            for g in &mut got[2..] {
                g.0 = None;
            }
            let what = "a negative count of new or issuable shares: the two counts after the balances are not sure; left null";
            scheme_unreadable(f, &desc, r.first, class_key.as_deref(), what);
        }
        if got.len() != 4 && !got.is_empty() {
            let form_has = if treasury_column {
                "5 (outstanding at the start and close, new shares issued, treasury shares transferred, shares issuable)"
            } else {
                "4 (outstanding at the start and close, new shares issued, shares issuable)"
            };
            let what = format!(
                "{} values where the form has {form_has}; left null",
                got.len()
            );
            scheme_unreadable(f, &desc, r.first, class_key.as_deref(), &what);
            got.clear();
            // The cut value may as well be a movement's: none is trusted.
            complete = false;
        }
        // A partial list of movements would be a different sum: all or none.
        if !complete {
            s.movements.clear();
            s.raw.insert("movements".into(), "unreadable".into());
        }
        let names = [
            "opening",
            "closing",
            "new_shares_issued",
            "issuable_at_close",
        ];
        for (k, (v, no, raw, sound)) in got.into_iter().enumerate() {
            let Some(name) = names.get(k) else { break };
            let val = if sound { v } else { None };
            if (v.is_none() || !sound) && !raw.is_empty() {
                s.raw.insert(name.to_string(), raw.clone());
            }
            match k {
                0 => s.opening = val,
                1 => s.closing = val,
                2 => {
                    s.new_shares_issued =
                        val.or_else(|| is_nil_token(&raw).then_some(0).filter(|_| !raw.is_empty()))
                }
                _ => s.issuable_at_close = val,
            }
            if val.is_some() {
                s.lines.insert(name.to_string(), no);
            }
        }
        if complete {
            recover_scheme_opening(f, &mut s);
        }
        f.option_schemes.push(s);
    }
    new_shares_or_treasury(f, first_scheme, &one_of_two, &trailer);
}

/// A part's total after its rows ("Ordinary shares (AA1) 1,500,000"): the
/// figure on the line that holds `mark`, or alone on the next line (raw
/// order); `Some(None)` when the total is printed blank, `None` when the
/// mark is not there.
fn part_total(trailer: &[(&str, u32)], mark: &str) -> Option<Option<i64>> {
    let at = trailer.iter().position(|(t, _)| t.contains(mark))?;
    let (line, _) = trailer[at];
    let here: Vec<Option<i64>> = nums(&tokens(line)).iter().map(|n| n.int).collect();
    match here.as_slice() {
        [v] => return Some(*v),
        [] => {}
        _ => return Some(None),
    }
    let next = trailer.get(at + 1).map(|(t, _)| tokens(t));
    Some(match next.as_deref() {
        Some([Tok::Num(n)]) => n.int,
        _ => None,
    })
}

/// Repair "A1 or A2": since treasury shares (v1.1) an option row prints the
/// new shares issued (A1) and the treasury shares transferred (A2); when one
/// of the two cells is blank, a row of four figures does not say which holds
/// the third. The part's totals do: it is A1 when the schemes' A1 add up to
/// AA1, A2 when AA1 is blank or nil and the A2 add up to AA2 (then the
/// figure is kept as the treasury shares transferred, and no new shares are
/// read). When neither adds up, a figure was lost or a total is wrong: the
/// row's figures are left null (kept raw) with a finding. Without an AA1
/// line it stays A1, the form's first column.
fn new_shares_or_treasury(
    f: &mut Filing,
    first: usize,
    one_of_two: &[(usize, Vec<String>)],
    trailer: &[(&str, u32)],
) {
    if one_of_two.is_empty() {
        return;
    }
    let Some(aa1) = part_total(trailer, "(AA1)") else {
        return;
    };
    // A blank total is none; a missing one is unknown.
    let aa2 = part_total(trailer, "(AA2)").map(|v| v.unwrap_or(0));
    let schemes = f.option_schemes.get(first..).unwrap_or_default();
    let mut a1_known = 0i64;
    let mut a2_known = 0i64;
    let mut either = 0i64;
    for (k, s) in schemes.iter().enumerate() {
        if one_of_two.iter().any(|(i, _)| *i == first + k) {
            either += s.new_shares_issued.unwrap_or(0);
        } else {
            a1_known += s.new_shares_issued.unwrap_or(0);
            a2_known += s
                .raw
                .get("treasury_transferred")
                .and_then(|r| parse_int(r))
                .unwrap_or(0);
        }
    }
    let aa1 = aa1.unwrap_or(0);
    if aa1 == a1_known + either {
        return;
    }
    if aa1 != a1_known || aa2 != Some(a2_known + either) {
        // Neither reading adds up: a figure was lost (the movement's amount
        // lost, the closing read in its place, still agrees with the
        // movements), or the totals are wrong. The row's figures cannot be
        // placed.
        for (i, printed) in one_of_two {
            let Some(s) = f.option_schemes.get_mut(*i) else {
                continue;
            };
            (
                s.opening,
                s.closing,
                s.new_shares_issued,
                s.issuable_at_close,
            ) = (None, None, None, None);
            let names = [
                "opening",
                "closing",
                "new_shares_issued",
                "issuable_at_close",
            ];
            for (k, raw) in names.into_iter().zip(printed) {
                s.lines.remove(k);
                s.raw.insert(k.into(), raw.clone());
            }
            s.movements.clear();
            s.raw.insert("movements".into(), "unreadable".into());
            let (desc, key) = (s.scheme.clone(), s.class_key.clone());
            let line = s.lines.get("scheme").copied().unwrap_or(0);
            let what = "4 figures where the form has 5, and the part's totals (AA1, AA2) confirm neither reading; left null";
            scheme_unreadable(f, &desc, line, key.as_deref(), what);
        }
        return;
    }
    for (i, printed) in one_of_two {
        let Some(s) = f.option_schemes.get_mut(*i) else {
            continue;
        };
        let Some(raw) = printed.get(2) else {
            continue;
        };
        if s.new_shares_issued.take().is_none() {
            continue;
        }
        if let Some(no) = s.lines.remove("new_shares_issued") {
            s.lines.insert("treasury_transferred".into(), no);
        }
        s.raw.insert("treasury_transferred".into(), raw.clone());
    }
}

/// A warning that an option scheme's row (its first line `line`) could not
/// be read as the form prints it.
fn scheme_unreadable(f: &mut Filing, desc: &str, line: u32, class_key: Option<&str>, what: &str) {
    f.add_finding(
        Finding::new(
            Level::Warning,
            codes::UNREADABLE_VALUE,
            format!("option scheme \"{}\": {what}", short(desc)),
        )
        .at(Some(line))
        .class(class_key),
    );
}

fn short(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Numbers lost: the SenseTime return of November 2023 keeps only `29` of the
/// opening 3,537,208,529. When opening + movements != closing and the opening
/// read is shorter than the opening the arithmetic gives, it is a fragment: if
/// its digits end the recovered value it is recovered (and marked), else null.
fn recover_scheme_opening(f: &mut Filing, s: &mut OptionScheme) {
    let (Some(close), Some(open)) = (s.closing, s.opening) else {
        return;
    };
    let moved: i64 = s.movements.iter().map(|m| m.amount).sum();
    let want = close - moved;
    if open == want || want < 0 {
        return;
    }
    let (dr, dw) = (open.abs().to_string(), want.to_string());
    if dr.len() >= dw.len() {
        return; // a whole number that disagrees: the issuer's arithmetic, flagged by the checks
    }
    let line = s.lines.get("opening").copied();
    if dw.ends_with(&dr) {
        s.raw.insert("opening".into(), dr.clone());
        s.opening = Some(want);
        s.recovered.push("opening".into());
        f.add_finding(
            Finding::new(
                Level::Info,
                codes::RECOVERED_VALUE,
                format!(
                    "option scheme \"{}\": opening read only as \"{dr}\"; recovered as {want} from closing {close} minus movements {moved}",
                    short(&s.scheme)
                ),
            )
            .at(line)
            .class(s.class_key.as_deref()),
        );
    } else {
        s.raw.insert("opening".into(), dr.clone());
        s.opening = None;
        f.add_finding(
            Finding::new(
                Level::Warning,
                codes::UNREADABLE_VALUE,
                format!(
                    "option scheme \"{}\": opening read as \"{dr}\", which is not part of {want} (closing minus movements); left null",
                    short(&s.scheme)
                ),
            )
            .at(line)
            .class(s.class_key.as_deref()),
        );
    }
}

/// Warrants and convertibles share a layout: description, currency, amount at
/// close of preceding month, movement (amount and word), amount at close, new
/// shares issued (C1), treasury shares transferred (C2, where the form prints
/// it), issuable at close.
fn money_rows(ls: &[L], idx: &[usize]) -> Vec<MoneyRow> {
    let (rows, trailer) = rows_iii(ls, idx);
    // The trailer holds the part's own labels, one to a line, or all in one
    // line where a converter printed a table cell's lines as one.
    static PRICE_LABEL: LazyLock<Regex> =
        LazyLock::new(|| re(r"(?i)\b(Subscription|Conversion|Exercise)(/Conversion)?\s+price"));
    // The price: the first plain number after the price label (raw order puts
    // the currency and a date between them).
    let mut price = None;
    let mut after = false;
    for (t, no) in &trailer {
        let mut from = 0;
        if !after {
            if let Some(m) = PRICE_LABEL.find(t) {
                after = true;
                from = m.end();
            }
        }
        if after {
            let toks = tokens(t.get(from..).unwrap_or(""));
            if let Some(n) = nums(&toks).into_iter().find(|n| n.sound) {
                price = n.dec().map(|d| (d, *no));
                break;
            }
        }
    }
    let mut out = Vec::new();
    for r in rows {
        let cur = r.toks.iter().find_map(|(t, _)| match t {
            Tok::Cur(c) => Some(*c),
            _ => None,
        });
        let (moves, rest, lead) = split_movements(&r, Table::Money);
        out.push((r, moves, (rest, lead), cur, price.clone()));
    }
    out
}

fn convertibles(
    f: &mut Filing,
    ls: &[L],
    idx: &[usize],
    class_key: Option<String>,
    treasury_column: bool,
) {
    for (r, moves, rest, cur, price) in money_rows(ls, idx) {
        let mut c = Convertible {
            description: row_description(&r),
            currency: cur.map(str::to_string),
            class_key: class_key.clone(),
            ..Convertible::default()
        };
        c.lines.insert("description".into(), r.first);
        if let Some((p, no)) = price {
            c.conversion_price = Some(p);
            c.lines.insert("conversion_price".into(), no);
        }
        for m in &moves {
            if m.kind.starts_with("convert") {
                c.converted = m.dec.clone().map(|d| d.trim_start_matches('-').to_string());
                c.lines.insert("converted".into(), m.line);
            } else if let Some(d) = &m.dec {
                c.raw.insert("movement".into(), format!("{d} {}", m.kind));
                c.lines.insert("movement".into(), m.line);
            }
        }
        money_positions(&moves, rest, treasury_column, |k, v: &Pos| {
            let n = v.0.as_ref().filter(|n| n.sound);
            match k {
                Slot::Opening => {
                    c.amount_opening = n.and_then(|n| n.dec());
                    c.lines.insert("amount_opening".into(), v.1);
                }
                Slot::Closing => {
                    c.amount_closing = n.and_then(|n| n.dec());
                    c.lines.insert("amount_closing".into(), v.1);
                }
                Slot::New => {
                    c.new_shares_issued = n.and_then(|n| n.int);
                    c.lines.insert("new_shares_issued".into(), v.1);
                }
                Slot::Issuable => {
                    c.issuable_at_close = n.and_then(|n| n.int);
                    c.lines.insert("issuable_at_close".into(), v.1);
                }
                Slot::NoMovement => {
                    c.converted = Some("0".into());
                    c.lines.insert("converted".into(), v.1);
                }
                Slot::Treasury => {}
            }
            if n.is_none() && !v.2.is_empty() {
                c.raw.insert(k.field(false).into(), v.2.clone());
            }
        });
        f.convertibles.push(c);
    }
}

fn warrants(
    f: &mut Filing,
    ls: &[L],
    idx: &[usize],
    class_key: Option<String>,
    treasury_column: bool,
) {
    for (r, moves, rest, cur, price) in money_rows(ls, idx) {
        let mut w = Warrant {
            description: row_description(&r),
            currency: cur.map(str::to_string),
            class_key: class_key.clone(),
            ..Warrant::default()
        };
        w.units = cur.is_none();
        w.lines.insert("description".into(), r.first);
        if let Some((p, no)) = price {
            w.subscription_price = Some(p);
            w.lines.insert("subscription_price".into(), no);
        }
        for m in &moves {
            if m.kind.starts_with("exercis") {
                w.exercised = m.dec.clone().map(|d| d.trim_start_matches('-').to_string());
                w.lines.insert("exercised".into(), m.line);
            }
        }
        money_positions(&moves, rest, treasury_column, |k, v: &Pos| {
            let n = v.0.as_ref().filter(|n| n.sound);
            match k {
                Slot::Opening => w.opening = n.and_then(|n| n.dec()),
                Slot::Closing => w.closing = n.and_then(|n| n.dec()),
                Slot::New => w.new_shares_issued = n.and_then(|n| n.int),
                Slot::Issuable => w.issuable_at_close = n.and_then(|n| n.int),
                Slot::NoMovement => w.exercised = Some("0".into()),
                Slot::Treasury => {}
            }
            w.lines.insert(k.field(true).into(), v.1);
            if n.is_none() && !v.2.is_empty() {
                w.raw.insert(k.field(true).into(), v.2.clone());
            }
        });
        f.warrants.push(w);
    }
}

#[derive(Debug, Clone, Copy)]
enum Slot {
    Opening,
    Closing,
    New,
    Treasury,
    Issuable,
    /// The movement cell holds a nil word: nothing moved this month.
    NoMovement,
}

impl Slot {
    /// The field a slot fills, in a warrant or in a convertible.
    fn field(self, warrant: bool) -> &'static str {
        match (self, warrant) {
            (Slot::Opening, true) => "opening",
            (Slot::Opening, false) => "amount_opening",
            (Slot::Closing, true) => "closing",
            (Slot::Closing, false) => "amount_closing",
            (Slot::New, _) => "new_shares_issued",
            (Slot::Treasury, _) => "treasury_transferred",
            (Slot::Issuable, _) => "issuable_at_close",
            (Slot::NoMovement, true) => "exercised",
            (Slot::NoMovement, false) => "converted",
        }
    }
}

/// Place a row's positional values (`rest`, the first `lead` of them before
/// the movement's word): the opening amount, the closing amount, then the
/// share columns filled from the right (issuable at close is always printed;
/// new shares issued only when something was converted).
fn money_positions(
    moves: &[Moved],
    (mut rest, lead): (Vec<Pos>, usize),
    treasury_column: bool,
    mut put: impl FnMut(Slot, &Pos),
) {
    let (before, after): (Vec<_>, Vec<_>) = if moves.is_empty() {
        let mut it = rest.into_iter();
        let first: Vec<_> = it.by_ref().take(1).collect();
        let mut after: Vec<_> = it.collect();
        // No movement: the movement cell may say so ("Nil", "N/A") rather than
        // stay blank; that word is the movement, not the closing amount.
        if after.len() >= 3 && after.first().is_some_and(|v| v.0.is_none()) {
            let nil = after.remove(0);
            put(Slot::NoMovement, &nil);
        }
        (first, after)
    } else {
        // The value right before the movement's word is the amount at the
        // close of the preceding month (none: the notes were issued this
        // month); the others, in reading order, are the closing amount and
        // the share columns. pdfminer without column flow prints the closing
        // and issuable cells before the opening and its movement.
        let first = if lead > 0 {
            vec![rest.remove(lead - 1)]
        } else {
            Vec::new()
        };
        (first, rest)
    };
    if let Some(v) = before.first() {
        put(Slot::Opening, v);
    }
    let mut after = after.into_iter();
    if let Some(v) = after.next() {
        put(Slot::Closing, &v);
    }
    let shares: Vec<_> = after.collect();
    let slots: &[Slot] = match (shares.len(), treasury_column) {
        (1, _) => &[Slot::Issuable],
        (2, _) => &[Slot::New, Slot::Issuable],
        (3, true) => &[Slot::New, Slot::Treasury, Slot::Issuable],
        _ => &[],
    };
    for (s, v) in slots.iter().zip(shares.iter()) {
        put(*s, v);
    }
}

/// III(D) and III(E): one movement per numbered row.
/// `issuable`: the part prints "shares which may be issued as at close of the
/// month" after the shares issued (III(D)).
fn other_rows(
    ls: &[L],
    idx: &[usize],
    class_key: Option<String>,
    f: &mut Filing,
    issuable: bool,
    treasury_column: bool,
) -> Vec<OtherMovement> {
    let (rows, _) = rows_iii(ls, idx);
    let mut out = Vec::new();
    for r in rows {
        let lc = r.text.to_ascii_lowercase();
        let kind = movement_kind(&lc);
        let pending = lc.contains("not yet cancelled") || lc.contains("pending cancellation");
        let date = find_date(&r.text).map(iso);
        let mut price = None;
        let mut amount = None;
        let mut amount_line = None;
        let mut prev_cur = false;
        let mut bad = false;
        // Share counts in column order: shares issued, then (III(D)) shares
        // which may be issued. An unreadable one stops the reading: the next
        // number would land in the wrong column.
        // Each count with its line and as printed.
        let mut counts: Vec<(i64, u32, &str)> = Vec::new();
        for (t, no) in &r.toks {
            match t {
                Tok::Cur(_) => {
                    prev_cur = true;
                    continue;
                }
                Tok::Num(n) if prev_cur && price.is_none() => price = n.dec(),
                Tok::Num(n)
                    if !bad
                        && n.int.is_some()
                        && (n.raw.contains(',')
                            || n.raw.starts_with(['(', '-'])
                            || n.raw.len() <= 3) =>
                {
                    match n.int.filter(|_| n.sound) {
                        Some(v) => counts.push((v, *no, &n.raw)),
                        None => bad = true,
                    }
                }
                _ => {}
            }
            prev_cur = false;
        }
        // "-6" then "44,000" on one line: two cells, or one number a tab
        // cut in two ("-644,000"). The form cannot tell: neither is read.
        let cut = counts.len() >= 2
            && counts[0].1 == counts[1].1
            && may_be_cut_number(counts[0].2, counts[1].2);
        if cut {
            f.add_finding(
                Finding::new(
                    Level::Warning,
                    codes::UNREADABLE_VALUE,
                    format!(
                        "other movement \"{}\": \"{}\" then \"{}\" may be two values or one number cut in two; left null",
                        short(&collapse_ws(&r.text)),
                        counts[0].2,
                        counts[1].2
                    ),
                )
                .at(Some(counts[0].1))
                .class(class_key.as_deref()),
            );
            counts.clear();
        }
        if let Some(&(v, no, _)) = counts.first() {
            amount = Some(v);
            amount_line = Some(no);
        }
        // III(D) with a treasury column (D2): a row with all three counts
        // gives the issuable third.
        let issuable_at = if issuable && treasury_column && counts.len() >= 3 {
            2
        } else {
            1
        };
        let issuable_count = counts.get(issuable_at).filter(|_| issuable);
        let issuable_at_close = issuable_count.map(|c| c.0);
        // Repurchased and cancelled shares leave the issued balance: negative
        // whatever sign was printed (the form's note 3 asks for a negative number).
        if matches!(kind, MovementKind::Repurchase | MovementKind::Cancellation) {
            amount = amount.map(|a| -a.abs());
        }
        if bad && amount.is_none() {
            f.add_finding(
                Finding::new(
                    Level::Warning,
                    codes::UNREADABLE_VALUE,
                    format!(
                        "other movement \"{}\": amount cannot be read",
                        short(&collapse_ws(&r.text))
                    ),
                )
                .at(Some(r.first))
                .class(class_key.as_deref()),
            );
        }
        let mut lines = Lines::new();
        lines.insert("kind".into(), r.first);
        if let Some(no) = amount_line {
            lines.insert("amount".into(), no);
        }
        if let Some(&(_, no, _)) = issuable_count {
            lines.insert("issuable_at_close".into(), no);
        }
        out.push(OtherMovement {
            kind,
            class_key: class_key.clone(),
            amount,
            date,
            price,
            pending,
            // The date of event is its own column; pypdf puts it after the wrapped type.
            description: Some(collapse_ws(&without_dates(&row_description(&r))))
                .filter(|d| !d.is_empty()),
            issuable_at_close,
            lines,
        });
    }
    out
}

/// Whether `a` then `b` may be one number cut in two: `a` is one or two
/// digits (signed or bracketed) and the two together make one soundly
/// grouped number (`-6` and `44,000` make `-644,000`).
fn may_be_cut_number(a: &str, b: &str) -> bool {
    let digits = a.trim_start_matches(['-', '(']);
    (1..=2).contains(&digits.len())
        && digits.bytes().all(|c| c.is_ascii_digit())
        && b.bytes().next().is_some_and(|c| c.is_ascii_digit())
        && b.contains(',')
        && is_sound(&format!("{a}{b}"))
}

fn movement_kind(lc: &str) -> MovementKind {
    let has = |w: &str| lc.contains(w);
    if has("repurchase") {
        MovementKind::Repurchase
    } else if has("cancel") || has("redemption") || has("redeemed") {
        MovementKind::Cancellation
    } else if has("placing") {
        MovementKind::Placing
    } else if has("rights issue") {
        MovementKind::RightsIssue
    } else if has("open offer") {
        MovementKind::OpenOffer
    } else if lc
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "scrip")
    {
        // A word of its own: "description" and "subscription" hold it too.
        MovementKind::Scrip
    } else if has("bonus") {
        MovementKind::Bonus
    } else if has("award") {
        MovementKind::ShareAward
    } else if has("conversion") || has("converted") {
        MovementKind::Conversion
    } else if has("consolidation") {
        MovementKind::Consolidation
    } else if has("subdivision") || has("sub-division") {
        MovementKind::Subdivision
    } else {
        MovementKind::Other
    }
}

// ---------------------------------------------------------------- header

// The header labels; each value is the rest of the line after its label's
// match (found by the DFA, no capture groups: capturing searches over long
// layout lines cost several times more).
static ISSUER: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)Name\s+of\s+Issuer\s*:?\s*"));
static MONTH_ENDED: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)For\s+the\s+month\s+ended\s*(?:\(dd/mm/yyyy\))?\s*:?\s*"));
static SUBMITTED: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)Date\s+Submitted\s*:?\s*"));
pub(super) static STATUS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)Status\s*:?\s*(?:New\s+Submission|Amendment|Re-?\s*submission)"));
/// "Status:" alone on its line, its answer on the next (PyMuPDF prints each
/// header cell as a line of its own).
pub(super) static STATUS_LABEL: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^\s*Status\s*:?\s*$"));
pub(super) static STATUS_VALUE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*(?:New\s+Submission|Amendment|Re-?\s*submission)"));

/// Where a header label's regex match ends on the line: MONTH_ENDED,
/// ISSUER or SUBMITTED, each its `phrase` then `\s*:?\s*` (MONTH_ENDED
/// with an optional "(dd/mm/yyyy)" before the colon), by hand on an ASCII
/// line (see [`super::phrase`]).
fn header_label(l: &L, regex: &Regex, phrase: &str) -> Option<usize> {
    use super::phrase::{colon, find, optional, skip_spaces};
    if !l.ascii {
        return regex.find(&l.text).map(|m| m.end());
    }
    let b = l.text.as_bytes();
    let (_, e) = find(b, phrase)?;
    let e = if phrase == "for the month ended" {
        optional(b, skip_spaces(b, e), "(dd/mm/yyyy)")
    } else {
        e
    };
    Some(colon(b, e))
}

/// STATUS's match on the line (the label and its answer), by hand on an
/// ASCII line (see [`super::phrase`]).
fn status_of<'a>(l: &'a L) -> Option<&'a str> {
    if !l.ascii {
        return STATUS.find(&l.text).map(|m| m.as_str());
    }
    let b = l.text.as_bytes();
    super::phrase::find_then(b, "status", |p, e| {
        let e = super::phrase::colon(b, e);
        let answer = [
            "new submission",
            "amendment",
            "re-~submission",
            "re~submission",
        ];
        super::phrase::first_of(b, e, &answer).and_then(|end| l.text.get(p..end))
    })
}

/// The status a STATUS or STATUS_VALUE match gives. A resubmission replaces
/// the earlier return, as an amendment does.
pub(super) fn status_of_answer(answer: &str) -> Status {
    let lc = answer.to_ascii_lowercase();
    if lc.ends_with("amendment") || (lc.ends_with("submission") && !lc.contains("new")) {
        Status::Amendment
    } else {
        Status::New
    }
}

/// The English name less a trailing descriptive parenthetical, and the Chinese
/// name printed beside it.
fn split_issuer(v: &str) -> (String, Option<String>) {
    let zh: String = v.chars().filter(|c| super::is_cjk(*c)).collect();
    let en: String = v.chars().filter(|c| !super::is_cjk(*c)).collect();
    let mut en = collapse_ws(&en);
    if en.ends_with(')') {
        if let Some(open) = en.rfind(" (") {
            let inner = en[open..].to_ascii_lowercase();
            if [
                "incorporated",
                "company",
                "liability",
                "controlled",
                "continued",
                "registered",
                "voting",
            ]
            .iter()
            .any(|w| inner.contains(w))
            {
                en.truncate(open);
            }
        }
    }
    (en.trim().to_string(), (!zh.is_empty()).then_some(zh))
}

/// Repair "header lines run together": an extraction that joins the form's
/// header lines ("Name of Issuer: X Date Submitted: 03 October 2025 ...")
/// leaves the next label on the value's line. The value ends where another
/// header label or section heading begins.
fn before_next_header_label(v: &str) -> &str {
    const LABELS: [&str; 6] = [
        "date submitted",
        "for the month ended",
        "status:",
        "status :",
        "i. movements in",
        "ii. movements in",
    ];
    let lc = v.to_ascii_lowercase();
    // A label may be glued to the value before it ("Moon Inc.Date
    // Submitted:" where the whole form is one line); a section numeral only
    // after a character that cannot extend it ("ii." holds "i.").
    let cut = LABELS
        .iter()
        .filter_map(|l| lc.find(l).map(|p| (l, p)))
        .filter(|&(l, p)| {
            p == 0 || {
                let prev = lc.as_bytes()[p - 1];
                prev.is_ascii_whitespace() || (!l.starts_with('i') || prev != b'i')
            }
        })
        .map(|(_, p)| p)
        .min()
        .unwrap_or(v.len());
    v.get(..cut).unwrap_or(v)
}

/// A header value on the label's line, or else on the next lines (raw order).
/// Repair "a header's answer above its label": pdfminer without column
/// flow (`boxes_flow=None`) prints "31 January 2026" above "For the month
/// ended:" (a line between them) and "02 February 2026" right above "Date
/// Submitted:". When the label's own line and the next hold no date, a line
/// that is a date and nothing else, up to three lines with text above the
/// label and not the other field's, is its answer.
fn date_alone_before(ls: &[L], i: usize, claimed: Option<u32>) -> Option<(chrono::NaiveDate, u32)> {
    date_alone_among(ls[..i].iter().rev(), claimed)
}

/// Repair "a header's answers after all its labels": a web page's copy of
/// the 2022 form prints "Name of Issuer:", "Date Submitted:" with the name
/// after it, "Status:New Submission", and only then "04 April 2022". When
/// nothing nearer answered, a line that is a date and nothing else, up to
/// three lines with text below the label and not the other field's, is its
/// answer.
fn date_alone_after(ls: &[L], i: usize, claimed: Option<u32>) -> Option<(chrono::NaiveDate, u32)> {
    date_alone_among(ls.iter().skip(i + 1), claimed)
}

/// The first of three lines with text that is a date and nothing else.
fn date_alone_among<'a>(
    lines: impl Iterator<Item = &'a L<'a>>,
    claimed: Option<u32>,
) -> Option<(chrono::NaiveDate, u32)> {
    lines
        .filter(|l| !l.blank && !l.furniture)
        .take(3)
        .filter(|l| Some(l.no) != claimed)
        .find_map(|l| {
            let t = l.text.trim();
            let d = find_date(t)?;
            // The date is the whole line: no other words.
            (parse_date(t) == Some(d)).then_some((d, l.no))
        })
}

fn value_here_or_next<T>(
    ls: &[L],
    i: usize,
    here: &str,
    read: impl Fn(&str) -> Option<T>,
) -> Option<(T, u32)> {
    if let Some(v) = read(here) {
        return Some((v, ls[i].no));
    }
    let mut next = ls
        .iter()
        .skip(i + 1)
        .take(6)
        .filter(|l| !l.blank && !l.furniture);
    let l = next.next()?;
    if let Some(v) = read(&l.text) {
        return Some((v, l.no));
    }
    // A date whose day the extraction printed apart: "31" over "December 2021".
    let day = l.text.trim();
    if (1..=2).contains(&day.len()) && day.bytes().all(|b| b.is_ascii_digit()) {
        if let Some(rest) = next.next() {
            return read(&format!("{day} {}", rest.text.trim())).map(|v| (v, l.no));
        }
    }
    None
}

// ---------------------------------------------------------------- lines run together

/// Where the form's lines begin: its headings, labels, row labels, column
/// heads and numbered rows, as the form prints them (case matters: "Stock
/// code" opens a line, "multi-counter stock code" is inside one).
static LINE_OPENINGS: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"FF30\d\b|v?Page\s+\d+\s+of\s+\d+|Monthly\s+Return\s+for\s+Equity|For\s+the\s+month\s+ended|",
        r"To\s*:\s*Hong\s+Kong\s+Exchanges|Name\s+of\s+Issuer|Date\s+Submitted|Reason\s+for\s+amendment|",
        r"(?:I|II|III|IV|V)\.\s+(?:Movements|Details|Information|Confirmations)\b|\([A-E]\)\.\s+[A-Z]|",
        r"\d{1,2}\.\s*(?:Class|Type)\s+of\s+shares|Stock\s+code|Multi-counter\s+stock\s+code|",
        r"Add\s+multi-counter|Number\s+of\s+(?:authorised|issued)|Particulars\s+of\s+share\s+option|",
        r"Description\s+of\s+(?:warrants|the\s+Convertibles)|Type\s+of\s+Issue|",
        r"Balance\s+at\s+close\s+of|Increase\s*/\s*decrease\s*\(-\)|Total\s+increase\s*/\s*decrease|",
        r"Total\s+authori[sz]ed/registered|\d{1,2}\)\.\s|Exercise\s+price|General\s+Meeting\s+approval|",
        r"Date\s+of\s+expiry|Subscription\s+price|Subscription/Conversion|Type\s+of\s+the\s+Convertibles|",
        r"Increase\s+in\s+issued|Decrease\s+in\s+treasury|Total\s+funds\s+raised|Total\s+[A-E]\s*\(|",
        r"Public\s+float\s+sufficiency|Pursuant\s+to|[Tt]he\s+applicable\s+(?:minimum\s+)?public\s+float|",
        r"Applicable\s+public\s+float|Additional\s+information|Remarks\s*:|Submitted\s+by|Title\s*:|",
        r"\(Director,\s+Secretary|Notes\s+1\.",
    ))
});

/// Repair "lines run together": a tool that joins a page's (or the whole
/// file's) text with spaces leaves a return with a handful of very long
/// lines. A line that holds two balance rows, or the issuer's name and a
/// section heading, is such a line (no extraction that keeps lines prints
/// two rows of a table, or the header and a section, on one).
fn run_together<S: AsRef<str>>(lines: &[S]) -> bool {
    use memchr::memmem::Finder;
    // Built once: building a searcher costs more than searching one line.
    static FINDERS: LazyLock<[Finder<'static>; 3]> = LazyLock::new(|| {
        [
            Finder::new("Balance at close of"),
            Finder::new("Name of Issuer"),
            Finder::new(". Movements in"),
        ]
    });
    let [balance, issuer, movements] = &*FINDERS;
    lines.iter().any(|l| {
        let l = l.as_ref().as_bytes();
        l.len() > 200
            && (balance
                .find(l)
                .is_some_and(|at| balance.find(&l[at + 1..]).is_some())
                || (issuer.find(l).is_some() && movements.find(l).is_some()))
    })
}

/// The pieces of a run-together line, cut before each of the form's line
/// openings that follows white space.
fn line_pieces(line: &str) -> Vec<&str> {
    let b = line.as_bytes();
    let cuts: Vec<usize> = LINE_OPENINGS
        .find_iter(line)
        .map(|m| m.start())
        .filter(|&at| at > 0 && b.get(at - 1).is_some_and(|c| c.is_ascii_whitespace()))
        .collect();
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for at in cuts {
        out.push(line.get(from..at).unwrap_or(""));
        from = at;
    }
    out.push(line.get(from..).unwrap_or(""));
    out
}

// ---------------------------------------------------------------- entry point

/// Parse the cleaned lines of an FF301 return (owned or borrowed from the text).
pub fn parse<S: AsRef<str>>(f: &mut Filing, lines: &[S]) {
    // Each piece of a run-together line keeps the line's number.
    let numbered: Vec<(u32, &str)> = if run_together(lines) {
        lines
            .iter()
            .enumerate()
            .flat_map(|(i, l)| {
                line_pieces(l.as_ref())
                    .into_iter()
                    .map(move |p| (i as u32 + 1, p))
            })
            .collect()
    } else {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| (i as u32 + 1, l.as_ref()))
            .collect()
    };
    let mut version: Option<String> = None;
    let ls: Vec<L> = numbered
        .iter()
        .map(|&(no, raw)| {
            let text = repair_line(raw);
            // The printed version is read from the first footer that has one;
            // after that, whether a line is furniture is all that is needed.
            let furniture = if version.is_none() {
                let furn = page_furniture(&text);
                if let Some(Some(v)) = furn {
                    version = Some(v.to_string());
                }
                furn.is_some()
            } else {
                is_page_furniture(&text)
            };
            L::new(no, text, furniture)
        })
        .collect();

    // Sections, in one pass.
    let mut sec = Sec::Header;
    let mut by_sec: Vec<(Sec, Vec<usize>)> = vec![(Sec::Header, Vec::new())];
    let mut heading_na: Vec<(Sec, bool)> = Vec::new();
    let mut treasury_cols = false;
    let mut public_float = false;
    let mut total_seen = false;
    for (i, l) in ls.iter().enumerate() {
        if let Some(s) = section_heading(l) {
            sec = s;
            by_sec.push((sec, Vec::new()));
            heading_na.push((sec, contains_ignore_case(&l.text, "not applicable")));
            if sec == Sec::II {
                public_float |= contains_ignore_case(&l.text, "public float");
                treasury_cols |= contains_ignore_case(&l.text, "treasury");
            }
            continue;
        }
        // A lost section II heading (a line dropped by the extractor): section I
        // ends with its total line, and only section II prints issued-share
        // column heads, so a class block after the total, or those heads, start
        // section II. Without this, issued balances would be read as authorised.
        if sec == Sec::I {
            if l.find_total().is_some() {
                total_seen = true;
            } else if total_seen && l.is_block_start() {
                sec = Sec::II;
                by_sec.push((sec, Vec::new()));
                heading_na.push((sec, false));
            } else if l.may_start(b"n") && ISSUED_HEAD.is_match(&l.text) {
                let moved = by_sec.last_mut().map_or_else(Vec::new, |(_, v)| {
                    let at = v
                        .iter()
                        .rposition(|&j| ls[j].is_block_start())
                        .unwrap_or(v.len());
                    v.split_off(at)
                });
                sec = Sec::II;
                by_sec.push((sec, moved));
                heading_na.push((sec, false));
            }
        }
        if sec == Sec::II && contains_ignore_case(&l.text, "number of treasury shares") {
            treasury_cols = true;
        }
        if let Some((_, v)) = by_sec.last_mut() {
            v.push(i);
        }
    }
    f.form = match version.as_deref().map(|v| v.get(..3).unwrap_or(v)) {
        Some("1.2") => Form::Ff301V12,
        Some("1.1") => Form::Ff301V11,
        Some("1.0") => Form::Ff301V10,
        _ if public_float => Form::Ff301V12,
        _ if treasury_cols => Form::Ff301V11,
        _ => super::ff301_generation(lines),
    };
    let v12 = f.form == Form::Ff301V12;
    let cols = if treasury_cols || matches!(f.form, Form::Ff301V11 | Form::Ff301V12) {
        3
    } else {
        1
    };

    header(f, &ls);

    let lines_of = |s: Sec| -> Vec<usize> {
        by_sec
            .iter()
            .filter(|(x, _)| *x == s)
            .flat_map(|(_, v)| v.iter().copied())
            .collect()
    };
    let not_applicable = |s: Sec, idx: &[usize]| -> bool {
        heading_na.iter().any(|(x, na)| *x == s && *na)
            || idx
                .iter()
                .map(|&i| &ls[i])
                .find(|l| !l.blank && !l.furniture)
                .is_some_and(|l| starts_with_ignore_case(&l.text, "not applicable"))
    };

    // Sections I and II.
    let idx1 = lines_of(Sec::I);
    let mut blocks1 = if not_applicable(Sec::I, &idx1) {
        Vec::new()
    } else {
        read_blocks(&ls, &idx1, true)
    };
    let mut blocks2 = read_blocks(&ls, &lines_of(Sec::II), false);
    // Repair "section II heading lost" where section I's total line went
    // with it: section I names each class once, so the first class block
    // that names a class again is section II's first (read as section I,
    // its issued balances would replace the authorised ones).
    if blocks2.is_empty() {
        let again = (1..blocks1.len()).find(|&j| {
            let key = blocks1[j].key();
            blocks1[..j].iter().any(|b| b.key() == key)
        });
        let from = again.and_then(|j| {
            let start = blocks1[j].start;
            idx1.iter()
                .position(|&i| ls[i].no == start && ls[i].is_block_start())
        });
        if let (Some(j), Some(from)) = (again, from) {
            blocks1.truncate(j);
            blocks2 = read_blocks(&ls, &idx1[from..], false);
        }
    }
    let mut classes: Vec<ShareClass> = Vec::new();
    let mut unchecked: Vec<(String, u32)> = Vec::new();
    for b in &blocks2 {
        let key = b.key();
        let (issued, treasury, total) = issued_of(b, cols, f, &key);
        let moved = [&issued, &treasury, &total]
            .iter()
            .any(|x| x.as_ref().and_then(|x| x.change).is_some_and(|c| c != 0));
        if !b.seq_mode && !b.both_balances() && moved {
            unchecked.push((key.clone(), b.start));
        }
        let mut c = class_from_block(b, key);
        c.issued = issued;
        c.treasury = treasury;
        c.total = total;
        classes.push(c);
    }
    for b in &blocks1 {
        let key = b.key();
        let auth = authorised_of(b, f, &key);
        if let Some(c) = classes.iter_mut().find(|c| c.class_key == key) {
            c.authorised = auth;
        } else {
            let mut c = class_from_block(b, key);
            c.authorised = auth;
            classes.push(c);
        }
        if let Some((total, cur, no)) = &b.total {
            f.authorised_total = Some(total.clone());
            f.authorised_total_currency = cur.map(str::to_string);
            f.lines.insert("authorised_total".into(), *no);
        }
    }
    // Sequence mode: the total is the value left after the last class's rows.
    if f.authorised_total.is_none() {
        if let Some(b) = blocks1.last().filter(|b| b.seq_mode && b.total_pending) {
            let n = &b.seq;
            let par = n.get(1).and_then(|x| x.0.dec());
            if let Some(j) = (3..n.len()).find(|&j| n[j].0.dec() == par) {
                if n.len() == j + 3 {
                    if let Some((v, no)) = n.get(j + 2) {
                        f.authorised_total = v.dec();
                        f.authorised_total_currency = b.total_currency.map(str::to_string);
                        f.lines.insert("authorised_total".into(), *no);
                    }
                }
            }
        }
    }
    classes.sort_by_key(|c| c.listed != Some(true));
    let mut codes_seen: Vec<String> = Vec::new();
    for c in &classes {
        if let Some(code) = &c.stock_code {
            if !codes_seen.contains(code) {
                codes_seen.push(code.clone());
            }
        }
    }
    for c in &classes {
        for m in &c.multi_counter {
            if !codes_seen.contains(m) {
                codes_seen.push(m.clone());
            }
        }
    }
    f.stock_codes = codes_seen;
    if classes.is_empty() {
        // Every return has its issued shares in section II.
        f.add_finding(Finding::new(
            Level::Warning,
            codes::MISSING_FIELD,
            "no share class could be read from sections I and II",
        ));
    }
    f.share_classes = classes;

    // Section III.
    for s in [Sec::A, Sec::B, Sec::C, Sec::D, Sec::E] {
        let idx = lines_of(s);
        if not_applicable(s, &idx) {
            continue;
        }
        let key = sub_class_key(&ls, &idx);
        // Since treasury shares (v1.2) each part prints the treasury shares
        // transferred out of treasury ("(A2)", "(C2)"...) between the new
        // shares issued and the shares issuable; a head marked so says it
        // of any generation.
        let mark = match s {
            Sec::A => "(A2)",
            Sec::B => "(B2)",
            Sec::C => "(C2)",
            Sec::D => "(D2)",
            _ => "(EE2)",
        };
        let treasury = v12 || idx.iter().any(|&i| ls[i].text.contains(mark));
        match s {
            Sec::A => option_schemes(f, &ls, &idx, key, treasury),
            Sec::B => warrants(f, &ls, &idx, key, treasury),
            Sec::C => convertibles(f, &ls, &idx, key, treasury),
            Sec::D => {
                let v = other_rows(&ls, &idx, key, f, true, treasury);
                f.other_issues.extend(v);
            }
            _ => {
                let v = other_rows(&ls, &idx, key, f, false, treasury);
                f.other_movements.extend(v);
            }
        }
    }
    for (key, line) in unchecked {
        change_confirmed_by_section_iii(f, &key, line);
    }
    remarks(f, &ls, &by_sec);
    signer(f, &ls, &lines_of(Sec::V), &lines_of(Sec::Notes));
}

/// A change that moved something, with no opening or no closing row beside
/// it: the sum that proves the row is the change is gone, and a balance row
/// whose label became the change's would read as a change of the whole
/// balance. Section III's new shares are the other witness: the change is
/// kept when they add up to the issued shares' change, and left null with a
/// finding otherwise.
fn change_confirmed_by_section_iii(f: &mut Filing, key: &str, line: u32) {
    let (sum, items) = crate::filings::checks::section_iii_new_shares(f, key);
    let Some(c) = f.share_classes.iter_mut().find(|c| c.class_key == key) else {
        return;
    };
    let issued = c.issued.as_ref().and_then(|b| b.change);
    if items > 0 && issued == Some(sum) {
        return;
    }
    for b in [&mut c.issued, &mut c.treasury, &mut c.total]
        .into_iter()
        .flatten()
    {
        b.change = None;
        b.lines.remove("change");
    }
    f.add_finding(
        Finding::new(
            Level::Warning,
            codes::UNREADABLE_VALUE,
            format!(
                "issued shares of {key}: a change with no opening or no closing row to check it, \
                 and section III does not confirm it; left null"
            ),
        )
        .at(Some(line))
        .class(Some(key)),
    );
}

fn class_from_block(b: &Block, key: String) -> ShareClass {
    let (class, type_) = b.class_and_type();
    let mut c = ShareClass {
        class_key: key,
        class,
        type_,
        description: b.description.as_ref().map(|d| d.0.clone()),
        stock_code: b.code.as_ref().map(|c| c.0.clone()),
        other_code: b.other_code.as_ref().map(|c| c.0.clone()),
        multi_counter: b.multi.clone(),
        listed: b
            .listed
            .map(|l| l.0)
            .or(if b.code.is_some() { Some(true) } else { None }),
        ..ShareClass::default()
    };
    for (name, v) in [
        ("class", &b.class),
        ("type", &b.type_),
        ("description", &b.description),
        ("stock_code", &b.code),
        ("other_code", &b.other_code),
    ] {
        if let Some((_, no)) = v {
            c.lines.insert(name.into(), *no);
        }
    }
    if let Some((_, no)) = b.listed {
        c.lines.insert("listed".into(), no);
    }
    c
}

/// The class a section III part is about: its "Stock code of shares issuable"
/// (or "Stock code"), else the slug of its description.
fn sub_class_key(ls: &[L], idx: &[usize]) -> Option<String> {
    // The class header comes before the table's first numbered row; reading
    // only that far keeps the rows from being tokenised twice.
    let head = idx
        .iter()
        .position(|&i| ls[i].row_start().is_some())
        .unwrap_or(idx.len());
    let blocks = read_blocks(ls, &idx[..head], false);
    let b = blocks.first()?;
    if let Some((c, _)) = &b.code {
        return Some(c.clone());
    }
    b.description
        .as_ref()
        .map(|d| slug(&d.0))
        .filter(|s| !s.is_empty())
}

fn header(f: &mut Filing, ls: &[L]) {
    for (i, l) in ls.iter().enumerate().take(120) {
        if f.period.is_some() && f.status.is_some() && f.issuer.is_some() && f.date.is_some() {
            break;
        }
        // One scan for the four labels' words; most lines hold none.
        if !l.may_hold(&["ended", "status", "name", "submitted"]) {
            continue;
        }
        // Each label's regex runs only on lines holding its first word.
        if f.period.is_none() && l.may_hold(&["ended"]) {
            if let Some(end) = header_label(l, &MONTH_ENDED, "for the month ended") {
                let here = &l.text[end..];
                let claimed = f.lines.get("date").copied();
                if let Some((d, no)) = value_here_or_next(ls, i, here, find_date)
                    .or_else(|| date_alone_before(ls, i, claimed))
                {
                    f.period = Some(super::values::year_month(d));
                    f.lines.insert("period".into(), no);
                }
            }
        }
        if f.status.is_none() && l.may_hold(&["status"]) {
            let found = status_of(l).map(|s| (s, l.no)).or_else(|| {
                STATUS_LABEL.is_match(&l.text).then_some(())?;
                let next = ls.iter().skip(i + 1).find(|n| !n.blank && !n.furniture)?;
                STATUS_VALUE.find(&next.text).map(|m| (m.as_str(), next.no))
            });
            if let Some((status, no)) = found {
                f.status = Some(status_of_answer(status));
                f.lines.insert("status".into(), no);
            }
        }
        if f.issuer.is_none() && l.may_hold(&["name"]) {
            if let Some(end) = header_label(l, &ISSUER, "name of issuer") {
                let here = before_next_header_label(&l.text[end..]).trim().to_string();
                let read = |s: &str| {
                    let t = s.trim();
                    // Repair "a header's answers after all its labels": the
                    // name printed after the next label ("Date
                    // Submitted:SouthGobi Resources Ltd."), a web page's copy.
                    let t = match strip_prefix_ignore_case(t, "date submitted") {
                        Some(v) => {
                            let v = v.trim_start_matches([':', ' ', '\t']);
                            if find_date(v).is_some() {
                                return None;
                            }
                            v
                        }
                        None => t,
                    };
                    (!t.is_empty() && could_be_issuer(t)).then(|| t.to_string())
                };
                if let Some((v, no)) = value_here_or_next(ls, i, &here, read) {
                    let (en, zh) = split_issuer(&v);
                    f.issuer = Some(en);
                    f.issuer_zh = zh;
                    f.lines.insert("issuer".into(), no);
                }
            }
        }
        if f.date.is_none() && l.may_hold(&["submitted"]) {
            if let Some(end) = header_label(l, &SUBMITTED, "date submitted") {
                let here = &l.text[end..];
                let claimed = f.lines.get("period").copied();
                if let Some((d, no)) = value_here_or_next(ls, i, here, find_date)
                    .or_else(|| date_alone_before(ls, i, claimed))
                    .or_else(|| date_alone_after(ls, i, claimed))
                {
                    f.date = Some(iso(d));
                    f.lines.insert("date".into(), no);
                }
            }
        }
    }
    for (field, ok) in [
        ("issuer", f.issuer.is_some()),
        ("period", f.period.is_some()),
        ("date", f.date.is_some()),
    ] {
        if !ok {
            f.add_finding(Finding::new(
                Level::Warning,
                codes::MISSING_FIELD,
                format!("the return's {field} was not found"),
            ));
        }
    }
}

fn remarks(f: &mut Filing, ls: &[L], by_sec: &[(Sec, Vec<usize>)]) {
    // The remark is the rest of the line after the label's match.
    static REMARKS: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^\s*Remarks\s*:?\s*"));
    let mut parts: Vec<String> = Vec::new();
    for (s, idx) in by_sec {
        if !matches!(s, Sec::A | Sec::B | Sec::C | Sec::D | Sec::E | Sec::Iii) {
            continue;
        }
        let mut on = false;
        for &i in idx {
            let l = &ls[i];
            if l.furniture {
                continue;
            }
            if let Some(m) = l.may_start(b"r").then(|| REMARKS.find(&l.text)).flatten() {
                on = true;
                let rest = l.text[m.end()..].trim();
                if !rest.is_empty() && !is_nil_token(rest) {
                    parts.push(rest.to_string());
                    f.lines.entry("remarks".into()).or_insert(l.no);
                }
                continue;
            }
            if on {
                let t = l.text.trim();
                if l.is_row_end()
                    || l.row_start().is_some()
                    || t.to_ascii_lowercase().starts_with("total ")
                {
                    on = false;
                    continue;
                }
                if !t.is_empty() && !is_nil_token(t) {
                    parts.push(t.to_string());
                    f.lines.entry("remarks".into()).or_insert(l.no);
                }
            }
        }
    }
    if !parts.is_empty() {
        f.remarks = Some(collapse_ws(&parts.join(" ")));
    }
}

fn signer(f: &mut Filing, ls: &[L], sec_v: &[usize], notes: &[usize]) {
    // Each value is the rest of the line after its label's match.
    static BY: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^\s*Submitted\s+by\s*:?\s*"));
    static TITLE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^\s*Title\s*:?\s*"));
    let name_like = |t: &str| {
        let t = t.trim();
        let words = t.split_whitespace().count();
        !t.is_empty()
            && words <= 6
            && !t.starts_with(['(', '-', '.', '"'])
            && !t.chars().next().is_some_and(|c| c.is_ascii_digit())
            && !t.chars().any(|c| c.is_ascii_digit())
            && !t.contains(':')
            && !["notes", "title", "submitted by"].contains(&t.to_ascii_lowercase().as_str())
            // A page's list numbering ("v", "vi") printed on its own line.
            && !(t.len() <= 4 && t.bytes().all(|b| b"ivxlc".contains(&b)))
    };
    let all: Vec<usize> = sec_v.iter().chain(notes.iter()).copied().collect();
    let mut name: Option<(String, u32)> = None;
    let mut title: Option<String> = None;
    let mut title_pending = false;
    let mut name_pending = false;
    // "Title:" alone on its line, its value on the next ("Title:" /
    // "Company Secretary" / "Submitted by:" / the name).
    let mut title_next = false;
    for (k, &i) in all.iter().enumerate() {
        let l = &ls[i];
        if l.furniture || l.blank {
            continue;
        }
        let just_titled = std::mem::take(&mut title_next);
        if let Some(m) = l.may_start(b"s").then(|| BY.find(&l.text)).flatten() {
            let v = l.text[m.end()..].trim();
            if name_like(v) {
                name = Some((v.to_string(), l.no));
            } else {
                name_pending = true;
            }
            continue;
        }
        if let Some(m) = l.may_start(b"t").then(|| TITLE.find(&l.text)).flatten() {
            let v = l.text[m.end()..].trim();
            if name_like(v) {
                title = Some(v.to_string());
            } else {
                title_pending = true;
                title_next = name.is_none() && !name_pending;
            }
            continue;
        }
        if just_titled && title_pending && name_like(&l.text) {
            title = Some(l.text.trim().to_string());
            title_pending = false;
            continue;
        }
        if name_pending && name_like(&l.text) && k < all.len() {
            name = Some((l.text.trim().to_string(), l.no));
            name_pending = false;
            continue;
        }
        if title_pending && name.is_some() && !name_pending && name_like(&l.text) {
            title = Some(l.text.trim().to_string());
            title_pending = false;
        }
    }
    if let Some((n, no)) = name {
        f.signer = Some(Signer { name: n, title });
        f.lines.insert("signer".into(), no);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    /// Lines of the form's labels and near-misses: each label with its spaces
    /// varied (tabs, runs, none), letters' case flipped and its end cut, among
    /// other text.
    fn label_soup(labels: &'static [&'static str]) -> impl Strategy<Value = String> {
        proptest::collection::vec(
            proptest::prop_oneof![
                (
                    proptest::sample::select(labels),
                    proptest::collection::vec(0u8..8, 48)
                )
                    .prop_map(|(label, dice)| {
                        let mut out = String::new();
                        for (c, d) in label.chars().zip(dice.iter().cycle()) {
                            match (c, d) {
                                (' ', 0) => out.push_str(" \t "),
                                (' ', 1) => out.push('\t'),
                                (' ', 2) => {}
                                (_, 3) => out.push(c.to_ascii_uppercase()),
                                (_, 4) => out.push(c.to_ascii_lowercase()),
                                _ => out.push(c),
                            }
                        }
                        let cut =
                            dice.iter().map(|&d| d as usize).sum::<usize>() % (out.len() * 3 + 1);
                        out.truncate(cut.max(out.len().saturating_sub(3)).min(out.len()));
                        out
                    }),
                proptest::sample::select(vec![
                    "(Note 1)", ")", "(", "1.", "2)", "x", "_", "-", "/", ":", "Yes", "00020",
                    "aClass",
                ])
                .prop_map(str::to_string),
                "[ \t]{1,3}",
                "[ -~]{1,4}",
            ],
            0..10,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest::proptest! {
        /// The one-pass month test answers as a search for each name does.
        #[test]
        fn holds_month_name_is_a_search_for_each_name(
            t in "([a-zA-Z ]{0,6}(May|june|JULY|Sept|december|Dec|mar|Marchx)?[0-9 ]{0,3}){0,4}",
        ) {
            const NAMES: [&str; 12] = [
                "january", "february", "march", "april", "may", "june", "july",
                "august", "september", "october", "november", "december",
            ];
            let want = NAMES.iter().any(|n| t.to_ascii_lowercase().contains(n));
            proptest::prop_assert_eq!(holds_month_name(t.as_bytes()), want);
        }

        /// The dates found by hand on an ASCII line are DATE_WORDS' matches.
        #[test]
        fn dates_by_hand_are_the_regex(t in proptest::collection::vec(proptest::prop_oneof![
            // Each of the three shapes with every piece varied, among stray pieces.
            "[ a_1-]?[0-9]{1,3}[ \t]{0,2}(January|MAY|Mayo|june|Sept|september|Dec)[ \t]{0,2}[0-9]{3,5}[a_ .]?",
            "[ a_1-]?[0-9]{1,3}( ?/ ?|/|-)[0-9]{1,3}( ?/ ?|/|-)[0-9]{1,5}[a_ .]?",
            "[ a_1-]?(January|MAY|Mayo|june|Sept|september|Dec)[ \t]{0,2}[0-9]{1,3},?[ ]{0,2}[0-9]{3,5}[a_ .]?",
            "([0-9]{1,5}|[ \t]{1,2}|[/,x_.-]|January|MAY|Mayo)",
        ], 0..6).prop_map(|v| v.concat())) {
            let want: Vec<(usize, usize)> =
                DATE_WORDS.find_iter(&t).map(|m| (m.start(), m.end())).collect();
            let got: Vec<(usize, usize)> = dates_ascii(t.as_bytes()).collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    proptest::proptest! {
        /// The number tests made by hand answer as the patterns they stand for.
        #[test]
        fn number_tests_are_their_patterns(w in proptest::prop_oneof![
            "[-(),.0-9a-zA-Z]{0,14}",
            "[a-zA-Z]{0,3}[(]?-?[(]?[0-9][0-9,]{0,12}([.][0-9]{0,3})?[)]?",
            "[(]?-?[0-9]{1,4}(,[0-9]{2,4}){0,3}([.][0-9]{0,2})?[)]?",
        ]) {
            static NUMBER: LazyLock<Regex> =
                LazyLock::new(|| re(r"^\(?-?\(?[0-9][0-9,]*(\.[0-9]+)?\)?$"));
            static SOUND: LazyLock<Regex> = LazyLock::new(|| {
                re(r"^\(?-?\(?([1-9][0-9]{0,2}(,[0-9]{3})+|0|[1-9][0-9]*)(\.[0-9]+)?\)?$")
            });
            static GLUED: LazyLock<Regex> =
                LazyLock::new(|| re(r"^([A-Za-z]*[a-z])([0-9][0-9,]*(\.[0-9]+)?)$"));
            proptest::prop_assert_eq!(is_number(&w), NUMBER.is_match(&w));
            proptest::prop_assert_eq!(is_sound(&w), SOUND.is_match(&w));
            let g = GLUED.captures(&w).map(|c| (c.get(1).map(|m| m.as_str()), c.get(2).map(|m| m.as_str())));
            proptest::prop_assert_eq!(glued(&w).map(|(a, b)| (Some(a), Some(b))), g);
        }

        /// Cells part where a run of spaces and tabs holds a tab or two
        /// characters, as a plain reading of that rule does; and a line with no
        /// four digits together and no slash holds no date.
        #[test]
        fn cells_and_dates_as_their_rules(t in "([a-z0-9]{1,4}|[ \t]{1,3}|[/,.]|January|\u{a0}|\u{3000}){0,12}") {
            let chars: Vec<char> = t.chars().collect();
            let mut cells = Vec::new();
            let mut cell = String::new();
            let mut i = 0;
            while i < chars.len() {
                let run = chars[i..].iter().take_while(|c| **c == ' ' || **c == '\t').count();
                if run > 1 || (run == 1 && chars[i] == '\t') {
                    cells.push(std::mem::take(&mut cell));
                    i += run;
                } else {
                    cell.push(chars[i]);
                    i += 1;
                }
            }
            cells.push(cell);
            let expected: Vec<String> = cells
                .iter()
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect();
            proptest::prop_assert_eq!(split_cells(&t), expected);
            if t.is_ascii() && !t.contains('/') && !has_four_digits(t.as_bytes()) {
                proptest::prop_assert!(!DATE_WORDS.is_match(&t));
            }
        }

        /// The row labels, the cut row label and the authorised total found by
        /// hand on an ASCII line are their regexes' matches.
        #[test]
        fn row_labels_and_total_by_hand_are_the_regex(t in label_soup(&[
            "Balance at close of preceding month", "Balance at close of the preceding month",
            "Balance at close of the month", "Balance at close of", "Increase / decrease (-)",
            "Increase/(decrease) during the month", "Increase / ( decrease )  (-) during the month",
            "Total authorised/registered share capital at the end of the month:",
            "Total authorized/registered share capital at the end of the month",
            "1. Class of shares", "2.Type of shares", "1. Class of sharesX",
        ])) {
            let l = L::new(1, Cow::Borrowed(&t), false);
            proptest::prop_assume!(l.ascii);
            let by_regex = [
                (Row::Opening, &*ROW_OPENING),
                (Row::Closing, &*ROW_CLOSING),
                (Row::Change, &*ROW_CHANGE),
            ]
            .into_iter()
            .find_map(|(row, r)| r.find(&t).map(|m| (row, m.end())));
            proptest::prop_assert_eq!(row_label_ascii(t.as_bytes()), by_regex, "{:?}", t);
            proptest::prop_assert_eq!(row_cut_ascii(t.as_bytes()), ROW_CUT.is_match(&t), "{:?}", t);
            proptest::prop_assert_eq!(l.find_total(), TOTAL.find(&t).map(|m| m.end()), "{:?}", t);
            proptest::prop_assert_eq!(
                l.is_block_start(),
                l.may_start_numbered() && BLOCK_START.is_match(&t),
                "{:?}",
                t
            );
        }

        /// Section headings and note references found by hand on an ASCII
        /// line are their regexes' matches.
        #[test]
        fn headings_and_note_refs_by_hand_are_the_regex(t in label_soup(&[
            "I. Movements in Authorised", "I.Movements in Authorized", "II. Movements in Issued",
            "III. Details of Movements", "IV. Information about", "V. Confirmations", "Notes",
            "(A). Share Options", "(A)Share Options", "(B). Warrants", "(C) Convertibles",
            "(D). Any other Agreements", "(E). Other Movements", "(Note 1)", "( note 12 )",
            "(C1)", "(AA2)", "(EE2)", "(cc3)", "(A2)", "(1)", "(x1)",
        ])) {
            let l = L::new(1, Cow::Borrowed(&t), false);
            proptest::prop_assume!(l.ascii);
            let by_regex = matches!(l.first, b'i' | b'v' | b'(' | b'n')
                .then(|| SECTIONS.iter().find(|(_, r)| r.is_match(&t)).map(|(x, _)| *x))
                .flatten();
            // The hand path picks the heading by its first characters, as
            // before; where two regexes could match, the prefix decides.
            if let Some(sec) = section_heading(&l) {
                proptest::prop_assert!(SECTIONS.iter().any(|(x, r)| *x == sec && r.is_match(&t)), "{:?}", t);
            } else {
                proptest::prop_assert_eq!(by_regex, None, "{:?}", t);
            }
            proptest::prop_assert_eq!(drop_note_refs(&t), NOTE_REF.replace_all(&t, " "), "{:?}", t);
        }

        /// The column heads, row ends and hard stops found by hand on an
        /// ASCII line are their regexes' matches.
        #[test]
        fn heads_and_stops_by_hand_are_the_regex(t in label_soup(&[
            "Number of", "Numb", "Par value", "Authorised/registered share", "Authorized/registered share",
            "Aut", "Auth", "(excluding treasury", "Total number of issued", "Particulars", "General Meeting approval",
            "(if applicable)", "Public float", "Pursuant to", "month:", "The applicable", "Applicable public",
            "Initial Prescribed", "Additional information", "Amount at", "Movement during", "Currency",
            "issued during", "pursuant", "may be", "shares transferred", "treasury during", "close of",
            "preceding month", "month", "Type of the Convertibles", "Subscription", "Stock code of the",
            "(if listed on", "Increase in issued", "Decrease in treasury", "Other type (Please",
            "Total A", "Total e", "Total funds", "Remarks", "Total increase", "Type of the Warrants",
            "Type of agreement", "Type of the event", "Type of issue", "1. Class of shares", "12.Class of shares",
            "Total", "Totals", "Conversion price", "Exercise price", "Date of expiry",
        ])) {
            let l = L::new(1, Cow::Borrowed(&t), false);
            proptest::prop_assume!(l.ascii);
            proptest::prop_assert_eq!(l.is_heading(), HEADING.is_match(&t), "{:?}", t);
            proptest::prop_assert_eq!(
                l.is_row_end(),
                l.may_start(b"gtrids0123456789") && ROW_END.is_match(&t),
                "{:?}",
                t
            );
            proptest::prop_assert_eq!(
                l.is_hard_stop(),
                l.may_start(b"trsceid0123456789") && HARD_STOP.is_match(&t),
                "{:?}",
                t
            );
        }

        /// Row starts, adoption dates and exercise prices found by hand on
        /// ASCII text are their regexes' matches.
        #[test]
        fn row_starts_and_scheme_details_by_hand_are_the_regex(t in label_soup(&[
            "1)", "12).", "123)", "1) x", "2).", "Adopted on 01/01/2010)", "adopted on 1 Jan",
            "Exercise price HKD 3.11", "exercise price of US$ 0.5", "Exercise price: 1,234.", "Exercise price at RMB12",
            "Exercise price (HKD)", "exercise price HK$ .5",
        ])) {
            let l = L::new(1, Cow::Borrowed(&t), false);
            proptest::prop_assume!(l.ascii);
            let by_regex = l.may_start_numbered().then(|| ROW_START.find(&t).map(|m| m.end())).flatten();
            proptest::prop_assert_eq!(l.row_start(), by_regex, "{:?}", t);
            let adopted = ADOPTED.captures(&t).and_then(|c| c.get(1)).map(|m| m.as_str());
            proptest::prop_assert_eq!(adopted_on(&t), adopted, "{:?}", t);
            let price = PRICE.captures(&t).and_then(|c| c.get(2)).map(|m| m.as_str());
            proptest::prop_assert_eq!(exercise_price(&t), price, "{:?}", t);
        }

        /// The header's labels found by hand on an ASCII line are their
        /// regexes' matches.
        #[test]
        fn header_labels_by_hand_are_the_regex(t in label_soup(&[
            "For the month ended: ", "For the month ended (dd/mm/yyyy) :", "for the month ended",
            "Name of Issuer:", "Name of Issuer", "Date Submitted :", "Date Submitted",
            "Status: New Submission", "Status : Amendment", "Status: Re-submission", "Status Resubmission",
            "Status: Re- submission", "Status:", "status new",
        ])) {
            let l = L::new(1, Cow::Borrowed(&t), false);
            proptest::prop_assume!(l.ascii);
            for (r, phrase) in [
                (&*MONTH_ENDED, "for the month ended"),
                (&*ISSUER, "name of issuer"),
                (&*SUBMITTED, "date submitted"),
            ] {
                proptest::prop_assert_eq!(header_label(&l, r, phrase), r.find(&t).map(|m| m.end()), "{:?}", t);
            }
            proptest::prop_assert_eq!(status_of(&l), STATUS.find(&t).map(|m| m.as_str()), "{:?}", t);
        }

        /// The field labels found by hand on an ASCII line are the regex's
        /// matches, start and end.
        #[test]
        fn field_labels_by_hand_are_the_regex(t in label_soup(&[
            "1. Class of shares issuable", "Class of shares", "Type of shares",
            "Listed on SEHK", "Listed on the Exchange", "Shares issuable to be listed on SEHK",
            "Shares issuable to be listed on the Exchange", "Add multi-counter stock code",
            "Multi-counter stock code", "Stock code of shares issuable (if listed on SEHK)",
            "Stock code of shares issuable(if listed)", "Stock code (if listed)",
            "Stock code", "Description of the Convertibles", "Description", "12.Class of shares",
        ])) {
            let by_regex: Vec<(usize, usize)> =
                FIELD_LABELS.find_iter(&t).map(|m| (m.start(), m.end())).collect();
            proptest::prop_assert_eq!(field_labels(&t, true), by_regex, "{:?}", t);
        }
    }
}
