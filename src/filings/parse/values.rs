//! Reading single values: share counts, money, par values, dates, stock codes,
//! and the many ways the forms write "nothing".

use chrono::{Datelike, NaiveDate};

/// How a cell was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// A number as printed (sign applied, "(5,940,000)" is negative).
    Num(i64),
    /// A token that means nothing happened: N/A, Nil, NIL, -, --, blank. Kept raw.
    Nil(String),
}

/// Tokens that stand for "nothing" in a cell. `0` is a number and is not here.
pub fn is_nil_token(tok: &str) -> bool {
    const NIL: [&str; 11] = [
        "n/a",
        "na",
        "nil",
        "-",
        "--",
        "---",
        "—",
        "–",
        "not applicable",
        "none",
        "",
    ];
    let t = tok.trim().trim_end_matches('.');
    // Every word is looked at: compared in place, no lower-cased copy.
    t.len() <= "not applicable".len() && NIL.iter().any(|n| t.eq_ignore_ascii_case(n))
}

/// Parse an integer share count: "1,992,000,000,000", "(5,940,000)", "-12,189,548",
/// "12,189,548-" is not accepted. Returns None for anything that is not wholly a number.
pub fn parse_int(tok: &str) -> Option<i64> {
    let t = super::text::trim_fast(tok);
    let (neg, body) = if let Some(inner) = t.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        (true, inner.trim())
    } else if let Some(rest) = t.strip_prefix('-') {
        (true, rest.trim())
    } else {
        (false, t)
    };
    if body.is_empty() || !body.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let mut v: i64 = 0;
    let mut digits = 0;
    for b in body.bytes() {
        match b {
            b'0'..=b'9' => {
                v = v.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
                digits += 1;
            }
            b',' => {}
            _ => return None,
        }
    }
    if digits == 0 {
        return None;
    }
    Some(if neg { -v } else { v })
}

/// Whether `n` has the shape of a number as the forms print one: ASCII
/// digits, grouped in thousands by commas after a first group of one to
/// three digits or not grouped at all, then an optional decimal part
/// ("1,234,567", "1234567", "0.25"). With `lead_zero` false a number starts
/// with a zero only when it is one ("0", "0.25"): the test a cut-off piece
/// or two joined cells must pass; codes keep their leading zeros ("01149").
pub fn number_shape(n: &[u8], lead_zero: bool) -> bool {
    let (int, frac) = match memchr::memchr(b'.', n) {
        Some(p) => (&n[..p], Some(&n[p + 1..])),
        None => (n, None),
    };
    if frac.is_some_and(|f| f.is_empty() || !f.iter().all(u8::is_ascii_digit)) {
        return false;
    }
    if !lead_zero && int.len() > 1 && int[0] == b'0' {
        return false;
    }
    let mut groups = int.split(|&b| b == b',');
    let head = groups.next().unwrap_or_default();
    if head.is_empty() || !head.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut grouped = false;
    for g in groups {
        grouped = true;
        if g.len() != 3 || !g.iter().all(u8::is_ascii_digit) {
            return false;
        }
    }
    !grouped || head.len() <= 3
}

/// [`number_shape`] (leading zeros allowed) in the dress a cell may wear: a
/// minus or an opening bracket before it, a closing bracket after it, and
/// with `currency` an "HK$", "US$" or "$" before the digits ("(HK$1,234)").
pub fn signed_number_shape(s: &str, currency: bool) -> bool {
    let s = s.strip_prefix(['(', '-']).unwrap_or(s);
    let s = if currency {
        ["HK$", "US$", "$"]
            .iter()
            .find_map(|c| s.strip_prefix(c))
            .unwrap_or(s)
    } else {
        s
    };
    let s = s.strip_suffix(')').unwrap_or(s);
    number_shape(s.as_bytes(), true)
}

/// A money amount or par value as an exact decimal string: "$400,000,000.00" -> "400000000.00",
/// "0.00000025" stays, "HK$1.22" -> "1.22". Leading currency symbols are dropped;
/// the caller reads the currency separately with [`currency_of`].
pub fn parse_decimal(tok: &str) -> Option<String> {
    let mut t = tok.trim();
    let mut neg = false;
    if let Some(inner) = t.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        neg = true;
        t = inner.trim();
    }
    for p in ["HK$", "US$", "RMB", "HKD", "USD", "CNY", "$", "¥", "£", "€"] {
        if let Some(r) = t.strip_prefix(p) {
            t = r.trim_start();
            break;
        }
    }
    if let Some(r) = t.strip_prefix('-') {
        neg = !neg;
        t = r;
    }
    if t.is_empty() || !t.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let mut out = String::with_capacity(t.len());
    let mut seen_dot = false;
    for c in t.chars() {
        match c {
            '0'..='9' => out.push(c),
            ',' if !seen_dot => {}
            '.' if !seen_dot => {
                seen_dot = true;
                out.push('.');
            }
            _ => return None,
        }
    }
    if out.ends_with('.') {
        out.pop();
    }
    if neg {
        out.insert(0, '-');
    }
    Some(out)
}

/// A currency named by code or symbol at the start of a token: "HK$1.22" -> HKD.
pub fn currency_of(tok: &str) -> Option<&'static str> {
    let t = tok.trim().to_ascii_uppercase();
    const MAP: &[(&str, &str)] = &[
        ("HK$", "HKD"),
        ("HKD", "HKD"),
        ("US$", "USD"),
        ("USD", "USD"),
        ("RMB", "RMB"),
        ("CNY", "CNY"),
        ("EUR", "EUR"),
        ("GBP", "GBP"),
        ("JPY", "JPY"),
        ("SGD", "SGD"),
        ("AUD", "AUD"),
        ("CAD", "CAD"),
    ];
    MAP.iter().find(|(p, _)| t.starts_with(p)).map(|(_, c)| *c)
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches(['.', ',']).to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&w) || w == *m)
        .map(|i| i as u32 + 1)
}

/// Parse a date in any of the forms the filings use and return it as ISO:
/// "30 November 2023", "November 30, 2022", "31/1/2011", "31 /10/2019",
/// "04/11/2013" (always day first), "2023-11-30", "1st January 2024".
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim().trim_matches(|c: char| c == '(' || c == ')').trim();
    // dd/mm/yyyy with optional spaces around the slashes.
    if s.contains('/') {
        let parts: Vec<&str> = s.split('/').map(|p| p.trim()).collect();
        if parts.len() == 3 {
            let d: u32 = parts[0].parse().ok()?;
            let m: u32 = parts[1].parse().ok()?;
            let ytok: String = parts[2]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let mut y: i32 = ytok.parse().ok()?;
            if ytok.len() == 2 {
                y += 2000;
            }
            return NaiveDate::from_ymd_opt(y, m, d);
        }
        return None;
    }
    if s.len() >= 10 && s.as_bytes()[4] == b'-' {
        // `get`: byte 10 may fall inside a multi-byte character (fuzzed input).
        if let Some(Ok(d)) = s
            .get(..10)
            .map(|h| NaiveDate::parse_from_str(h, "%Y-%m-%d"))
        {
            return Some(d);
        }
    }
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() < 3 {
        return None;
    }
    let day = |w: &str| -> Option<u32> {
        let digits: String = w.chars().take_while(|c| c.is_ascii_digit()).collect();
        let rest = &w[digits.len()..];
        if !rest.is_empty() && !matches!(rest, "st" | "nd" | "rd" | "th") {
            return None;
        }
        digits.parse().ok()
    };
    let year = |w: &str| -> Option<i32> {
        let digits: String = w.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.len() == 4 {
            digits.parse().ok()
        } else {
            None
        }
    };
    // "30 November 2023"
    if let (Some(d), Some(m), Some(y)) = (day(words[0]), month_number(words[1]), year(words[2])) {
        return NaiveDate::from_ymd_opt(y, m, d);
    }
    // "November 30, 2022"
    if let (Some(m), Some(d), Some(y)) = (month_number(words[0]), day(words[1]), year(words[2])) {
        return NaiveDate::from_ymd_opt(y, m, d);
    }
    None
}

/// Whether a value read after "Name of Issuer" can be an issuer's name: it
/// has a letter, and it is not the form's addressee ("To : Hong Kong
/// Exchanges and Clearing Limited", which an extraction that scrambles the
/// reading order puts after the label).
pub fn could_be_issuer(name: &str) -> bool {
    let t = name.trim_start();
    let lc = t.to_ascii_lowercase();
    t.chars().any(char::is_alphabetic)
        && !lc.starts_with("to :")
        && !lc.starts_with("to:")
        && !lc.contains("exchanges and clearing")
}

/// Find the first date anywhere in a line of text. Underscores split words
/// as spaces do: forms filled in over a line of them ("_3 July 2019____").
/// A colon before a word is its label's (`(dd/mm/yyyy) :31/05/2019`).
/// Only candidates holding a digit are built (every date has one).
pub fn find_date(s: &str) -> Option<NaiveDate> {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == '_')
        .map(|w| w.trim_start_matches(':'))
        .filter(|w| !w.is_empty())
        .collect();
    let digit = |w: &str| w.bytes().any(|b| b.is_ascii_digit());
    let mut buf = String::new();
    for (i, &w) in words.iter().enumerate() {
        if w.contains('/')
            && w.chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || c == '(')
        {
            if let Some(d) = parse_date(w) {
                return Some(d);
            }
        }
        if let [a, b, c] = words.get(i..i + 3).unwrap_or_default() {
            if digit(a) || digit(b) || digit(c) {
                buf.clear();
                for (k, x) in [a, b, c].iter().enumerate() {
                    if k > 0 {
                        buf.push(' ');
                    }
                    buf.push_str(x);
                }
                if let Some(d) = parse_date(&buf) {
                    return Some(d);
                }
            }
        }
        // Repair "month glued to its year": a web page's copy of a form
        // prints "31 August2018".
        if let Some(next) = words.get(i + 1).filter(|n| {
            n.len() > 4
                && n.as_bytes()[0].is_ascii_alphabetic()
                && n.ends_with(|c: char| c.is_ascii_digit())
        }) {
            let k = next.len() - 4;
            if digit(w) && next.is_char_boundary(k) && next[k..].bytes().all(|b| b.is_ascii_digit())
            {
                buf.clear();
                buf.push_str(w);
                buf.push(' ');
                buf.push_str(&next[..k]);
                buf.push(' ');
                buf.push_str(&next[k..]);
                if let Some(d) = parse_date(&buf) {
                    return Some(d);
                }
            }
        }
        // "31 /10/2019": a day, then "/mm/yyyy".
        if let Some(next) = words.get(i + 1).filter(|n| n.starts_with('/')) {
            if digit(w) || digit(next) {
                buf.clear();
                buf.push_str(w);
                buf.push_str(next);
                if let Some(d) = parse_date(&buf) {
                    return Some(d);
                }
            }
        }
    }
    None
}

/// `d.format("%Y-%m-%d")`, written as [`year_month`] is.
pub fn iso(d: NaiveDate) -> String {
    if !four_digit_year(d) {
        return d.format("%Y-%m-%d").to_string();
    }
    let mut s = year_month(d);
    s.push('-');
    push_two_digits(&mut s, d.day());
    s
}

/// `d.format("%Y-%m")`: written digit by digit for the years of four
/// digits (chrono reads its format string again at every call, a cost
/// paid for every date of every filing).
pub fn year_month(d: NaiveDate) -> String {
    if !four_digit_year(d) {
        return d.format("%Y-%m").to_string();
    }
    let mut s = String::with_capacity(10);
    // 0..=9999: four digits, each one byte.
    let y = d.year().unsigned_abs();
    for div in [1000, 100, 10, 1] {
        s.push(char::from(b'0' + ((y / div) % 10) as u8));
    }
    s.push('-');
    push_two_digits(&mut s, d.month());
    s
}

/// Whether chrono writes the year as four plain digits (0 to 9999; other
/// years take a sign or more digits).
fn four_digit_year(d: NaiveDate) -> bool {
    (0..=9999).contains(&d.year())
}

fn push_two_digits(s: &mut String, n: u32) {
    s.push(char::from(b'0' + ((n / 10) % 10) as u8));
    s.push(char::from(b'0' + (n % 10) as u8));
}

/// A Hong Kong stock code as five digits: "1149" -> "01149", "0020" -> "00020".
/// Returns None for anything but 1 to 5 digits (six-digit A-share codes are not HK codes).
pub fn hk_code(tok: &str) -> Option<String> {
    let t = tok.trim().trim_end_matches([',', '.', ')']);
    if t.is_empty() || t.len() > 5 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{:0>5}", t))
}

/// A slug for a class key: "Class A ordinary shares" -> "class-a-ordinary-shares".
pub fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars().flat_map(|c| c.to_lowercase()) {
        if c.is_alphanumeric() {
            out.push(c);
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The hand-made shape tests answer as the patterns they stand for
        /// (ASCII digits), on number-like text and on any text.
        #[test]
        fn number_shapes_are_their_patterns(
            s in r"[(\-]?(HK\$|US\$|\$)?[0-9,.]{0,12}\)?",
            any in r"\PC{0,8}",
        ) {
            let signed = regex::Regex::new(
                r"^[(\-]?(?:HK\$|US\$|\$)?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?\)?$",
            )
            .unwrap();
            let plain =
                regex::Regex::new(r"^(?:0|[1-9][0-9]{0,2}(?:,[0-9]{3})+|[1-9][0-9]*)(?:\.[0-9]+)?$")
                    .unwrap();
            for t in [&s, &any] {
                proptest::prop_assert_eq!(signed_number_shape(t, true), signed.is_match(t), "{:?}", t);
                proptest::prop_assert_eq!(number_shape(t.as_bytes(), false), plain.is_match(t), "{:?}", t);
            }
        }

        /// `iso` and `year_month` write what chrono's format writes, for
        /// any date chrono holds (years of more or fewer than four digits
        /// too).
        #[test]
        fn iso_and_year_month_are_chronos_format(
            days in -100_000_000i32..100_000_000,
            near in 0i32..3_700_000,
        ) {
            for n in [days, near] {
                if let Some(d) = NaiveDate::from_num_days_from_ce_opt(n) {
                    proptest::prop_assert_eq!(iso(d), d.format("%Y-%m-%d").to_string());
                    proptest::prop_assert_eq!(year_month(d), d.format("%Y-%m").to_string());
                }
            }
        }
    }

    #[test]
    fn the_addressee_or_a_stray_mark_is_no_issuer_name() {
        assert!(could_be_issuer("Top Spring International Holdings Limited"));
        assert!(could_be_issuer("商湯集團股份有限公司"));
        assert!(!could_be_issuer(
            "To : Hong Kong Exchanges and Clearing Limited"
        ));
        assert!(!could_be_issuer("Hong Kong Exchanges and Clearing Limited"));
        assert!(!could_be_issuer("|"));
        assert!(!could_be_issuer(" 05/12/2019"));
    }

    #[test]
    fn parenthesised_numbers_are_negative() {
        assert_eq!(parse_int("(5,940,000)"), Some(-5_940_000));
        assert_eq!(parse_int("-12,189,548"), Some(-12_189_548));
        assert_eq!(parse_int("1,992,000,000,000"), Some(1_992_000_000_000));
        assert_eq!(parse_int("N/A"), None);
        assert_eq!(parse_int("12a"), None);
    }

    #[test]
    fn decimals_keep_their_exact_digits() {
        assert_eq!(parse_decimal("0.00000025").as_deref(), Some("0.00000025"));
        assert_eq!(
            parse_decimal("$400,000,000.00").as_deref(),
            Some("400000000.00")
        );
        assert_eq!(parse_decimal("HK$1.22").as_deref(), Some("1.22"));
        assert_eq!(parse_decimal("abc"), None);
    }

    #[test]
    fn dates_in_every_printed_form_are_read_day_first() {
        let d = |s| parse_date(s).map(iso);
        assert_eq!(d("30 November 2023").as_deref(), Some("2023-11-30"));
        assert_eq!(d("November 30, 2022").as_deref(), Some("2022-11-30"));
        assert_eq!(d("31/1/2011").as_deref(), Some("2011-01-31"));
        assert_eq!(d("04/11/2013").as_deref(), Some("2013-11-04"));
        assert_eq!(d("2 February 2009").as_deref(), Some("2009-02-02"));
        assert_eq!(
            find_date("ended 31 /10/2019 here").map(iso).as_deref(),
            Some("2019-10-31")
        );
        assert_eq!(d("31/02/2011"), None);
    }

    #[test]
    fn stock_codes_are_padded_to_five_digits() {
        assert_eq!(hk_code("1149").as_deref(), Some("01149"));
        assert_eq!(hk_code("0020").as_deref(), Some("00020"));
        assert_eq!(hk_code("000333"), None);
    }

    #[test]
    fn nil_tokens_are_recognised() {
        for t in ["N/A", "Nil", "NIL", "-", "--", ""] {
            assert!(is_nil_token(t), "{t}");
        }
        assert!(!is_nil_token("0"));
    }

    #[test]
    fn slugs_are_lowercase_and_dashed() {
        assert_eq!(slug("Class A ordinary shares"), "class-a-ordinary-shares");
        assert_eq!(slug("  A Shares "), "a-shares");
    }
}
