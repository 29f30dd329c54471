//! Announcements: issuer, Chinese name, stock code, date and headline of any
//! announcement, and the lock-up undertakings some of them announce.
//!
//! Announcements are free prose. Paragraphs may be one long line (tab-cell
//! extraction) or wrapped over many (`pdftotext -layout`), so the text is
//! re-joined into paragraphs that remember the line each one starts on.

use super::text::{collapse_ws, contains_ignore_case, strip_prefix_ignore_case};
use super::values::{could_be_issuer, hk_code, is_nil_token, iso, parse_date, parse_int};
use crate::filings::model::*;
use chrono::{Datelike, Months, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

/// A paragraph of prose: consecutive non-blank lines joined with spaces.
struct Para {
    text: String,
    /// (byte offset in `text`, 1-based line) for each joined line.
    starts: Vec<(usize, u32)>,
}

impl Para {
    fn line_at(&self, offset: usize) -> u32 {
        self.starts
            .iter()
            .rev()
            .find(|(o, _)| *o <= offset)
            .map(|(_, l)| *l)
            .unwrap_or(self.starts.first().map(|s| s.1).unwrap_or(1))
    }
}

fn paragraphs(lines: &[String]) -> Vec<Para> {
    let mut out = Vec::new();
    let mut cur: Option<Para> = None;
    for (i, line) in lines.iter().enumerate() {
        if line.is_empty() {
            if let Some(p) = cur.take() {
                out.push(p);
            }
            continue;
        }
        let p = cur.get_or_insert_with(|| Para {
            text: String::new(),
            starts: Vec::new(),
        });
        if !p.text.is_empty() {
            p.text.push(' ');
        }
        p.starts.push((p.text.len(), i as u32 + 1));
        p.text.push_str(line);
    }
    if let Some(p) = cur {
        out.push(p);
    }
    out
}

static STOCK_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:stock\s+code|股份代[號号]|股票代[號码])\s*[:：]?\s*([0-9]{1,5})(?-u:\b)(?:\s*(?:\(?(?:HKD|RMB)\s*counter\)?\s*(?:and|/|,)\s*([0-9]{5})))?").unwrap()
});
static ALL_CODES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)([0-9]{5})(?-u:\b)\s*\((?:RMB|HKD|USD)\s+counter\)").unwrap()
});
static MADE_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:made by|board of directors (?:\(the "Board"\) )?of)\s+(.{3,120}?)\s*\(the\s+["“]?Company"#)
        .unwrap()
});
static SIGNED_HK_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^Hong Kong,?\s+(.{6,30})$").unwrap());
static COMPANY_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(limited|ltd\.?|inc\.?|incorporated|corporation|corp\.?|company|plc|holdings|group|co\.,? ?ltd\.?|n\.v\.|s\.a\.|ag|se|l\.p\.|llc|llp)\s*$")
        .unwrap()
});
static ZH_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([\p{Han}（）()]{2,40}(?:有限公司|股份公司|控股公司|集團|集团|公司))").unwrap()
});

/// Words a headline is made of: upper-case Latin, digits and punctuation.
fn is_headline(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 6
        && letters.iter().all(|c| !c.is_lowercase())
        && !s.contains("HONG KONG EXCHANGES")
        && !s.to_ascii_lowercase().contains("stock code")
        // A Chinese sentence (the Exchange's disclaimer) is no headline.
        && !s.contains('。')
}

/// Category words that precede the real headline ("VOLUNTARY ANNOUNCEMENT
/// VOLUNTARY LOCK-UP UNDERTAKINGS BY THE EXECUTIVE DIRECTORS" in the seed).
const HEADLINE_PREFIXES: &[&str] = &[
    "VOLUNTARY ANNOUNCEMENT",
    "ANNOUNCEMENT",
    "INSIDE INFORMATION",
    "OVERSEAS REGULATORY ANNOUNCEMENT",
    "自願公告",
    "自愿公告",
    "內幕消息",
    "内幕消息",
];

fn strip_headline_prefix(h: &str) -> String {
    for p in HEADLINE_PREFIXES {
        if let Some(rest) = h.strip_prefix(p) {
            let rest = rest.trim_start_matches([' ', '-', ':', '–']).trim();
            // "ANNOUNCEMENT OF FINAL OFFER PRICE AND ALLOTMENT RESULTS" is one
            // headline, not a category before one.
            let continues = ["OF ", "ON ", "IN ", "FOR ", "REGARDING ", "RELATING "]
                .iter()
                .any(|w| rest.starts_with(w));
            if !continues && rest.chars().filter(|c| c.is_alphabetic()).count() >= 6 {
                return rest.to_string();
            }
        }
    }
    h.to_string()
}

pub fn parse(f: &mut Filing, lines: &[String]) {
    // Each line's white space collapsed, once (a blank line is empty).
    let collapsed: Vec<String> = lines.iter().map(|l| collapse_ws(l)).collect();
    let paras = paragraphs(&collapsed);
    // PyMuPDF and pdfplumber print no blank line between blocks: the whole
    // announcement is then one paragraph, and the masthead's lines (name,
    // "(incorporated in ...)", stock code, headline) and the signature's
    // are read one line at a time.
    let line_paras: Vec<Para> = collapsed
        .into_iter()
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .map(|(i, text)| Para {
            text,
            starts: vec![(0, i as u32 + 1)],
        })
        .collect();
    let head_paras: &[Para] = if paras.first().is_some_and(|p| p.starts.len() > 8) {
        &line_paras
    } else {
        &paras
    };
    // A masthead or signature printed without blank lines between its own
    // lines ("name" / "(incorporated in ...)" / "(Stock code: ...)") is one
    // paragraph: what is not found in the paragraphs is looked for line by line.
    let head_then_lines = [head_paras, &line_paras[..]];

    // Stock code: "(Stock Code: 0020)"; a dual counter may follow.
    let mut masthead_code_line = 0;
    for p in head_paras {
        if let Some(c) = STOCK_CODE.captures(&p.text) {
            if let Some(code) = c.get(1).and_then(|m| hk_code(m.as_str())) {
                f.stock_codes.push(code);
                f.lines.insert(
                    "stock_codes".into(),
                    p.line_at(c.get(0).map_or(0, |m| m.start())),
                );
                if let Some(other) = c.get(2).and_then(|m| hk_code(m.as_str())) {
                    if !f.stock_codes.contains(&other) {
                        f.stock_codes.push(other);
                    }
                }
                masthead_code_line = f.lines.get("stock_codes").copied().unwrap_or(0);
                for oc in ALL_CODES.captures_iter(&p.text) {
                    if let Some(code) = oc.get(1).and_then(|m| hk_code(m.as_str())) {
                        if !f.stock_codes.contains(&code) {
                            f.stock_codes.push(code);
                        }
                    }
                }
                break;
            }
        }
    }

    // Stock code as a table cell (allotment results announcements since 2025):
    // "Stock code" on its line, the code on the next ("Stock Code" / ":" /
    // "6809" in one-cell-a-line text).
    if f.stock_codes.is_empty() {
        let cells = line_paras.iter().take(80).collect::<Vec<_>>();
        for (i, p) in cells.iter().enumerate() {
            let label = p.text.trim_end_matches([':', '：', ' ']);
            if !label.eq_ignore_ascii_case("stock code") {
                continue;
            }
            let value = cells
                .iter()
                .skip(i + 1)
                .take(2)
                .find(|q| !matches!(q.text.as_str(), ":" | "："));
            if let Some(q) = value {
                if let Some(code) = q
                    .text
                    .bytes()
                    .all(|b| b.is_ascii_digit())
                    .then(|| hk_code(&q.text))
                    .flatten()
                {
                    f.stock_codes.push(code);
                    f.lines.insert("stock_codes".into(), q.starts[0].1);
                }
            }
            break;
        }
    }

    // Issuer: the name line above the masthead's parentheticals
    // ("(incorporated in ...)", "(A company controlled through weighted voting
    // rights ...)", "(Stock Code: 1234)") and the Chinese name, which may
    // stand between them; else "made by X (the "Company")", else the
    // signature block.
    let mut issuer: Option<(String, u32)> = None;
    for set in head_then_lines {
        for (i, p) in set.iter().enumerate().take(12) {
            let lc = p.text.to_ascii_lowercase();
            // English or Chinese: "(incorporated in ...)" or "（於開曼群島註冊
            // 成立的有限公司）", "(Stock Code: 2359)" or "（股份代號：2359）".
            let described = lc.contains("incorporated")
                || lc.contains("company controlled")
                || lc.contains("註冊成立")
                || lc.contains("注册成立");
            let code = lc.starts_with("(stock code") || lc.contains("股份代");
            if !(p.text.starts_with(['(', '（']) && (described || code)) {
                continue;
            }
            issuer = masthead_name(&set[..i]);
            // The first description is the masthead's: no name above it
            // is none at all.
            if issuer.is_some() || described {
                break;
            }
        }
        if issuer.is_some() {
            break;
        }
    }
    if issuer.is_none() {
        // A masthead with no parenthetical: the company's name is the first
        // line, above its Chinese name or the headline.
        let first = line_paras.iter().find(|p| !is_page_marker(&p.text));
        if let Some(p) = first {
            // Not the Exchange's disclaimer wrapped to end on "Limited".
            let name = latin_part(&p.text);
            if COMPANY_SUFFIX.is_match(&name)
                && name.len() < 120
                && could_be_issuer(&name)
                && !name.contains("Stock Exchange")
            {
                issuer = Some((name, p.starts[0].1));
            }
        }
    }
    if issuer.is_none() {
        for p in &paras {
            if let Some(c) = MADE_BY.captures(&p.text) {
                if let Some(m) = c.get(1) {
                    issuer = Some((m.as_str().trim().to_string(), p.line_at(m.start())));
                    break;
                }
            }
        }
    }
    if issuer.is_none() {
        // "By order of the Board\nX Limited" signature.
        for (i, p) in head_paras.iter().enumerate() {
            if p.text
                .to_ascii_lowercase()
                .starts_with("by order of the board")
            {
                let rest = p.text["by order of the board".len()..].trim();
                let cand = if rest.is_empty() {
                    head_paras.get(i + 1).map(|q| latin_part(&q.text))
                } else {
                    Some(latin_part(rest))
                };
                if let Some(name) = cand.filter(|n| COMPANY_SUFFIX.is_match(n)) {
                    issuer = Some((name, p.starts[0].1));
                }
                break;
            }
        }
    }
    if let Some((mut name, line)) = issuer {
        // Mastheads print the name in capitals ("HARBOURLINE ROBOTICS HOLDINGS
        // LIMITED"); the text names the company as it writes it ("announcement of
        // Harbourline Robotics Holdings Limited (the "Company")"): that spelling,
        // the same name, is the one monthly returns carry.
        if !name.chars().any(char::is_lowercase) {
            let upper = name.to_ascii_lowercase();
            if let Some(found) = paras.iter().find_map(|p| {
                let at = p.text.to_ascii_lowercase().find(&upper)?;
                let cand = p.text.get(at..at + name.len())?;
                cand.chars()
                    .any(char::is_lowercase)
                    .then(|| cand.to_string())
            }) {
                name = found;
            }
        }
        f.issuer = Some(name);
        f.lines.insert("issuer".into(), line);
    }

    // Chinese name: the first Han run ending like a company name.
    // (A sentence is not the masthead: the Chinese disclaimer names the
    // Exchange's companies.)
    for p in head_paras.iter().filter(|p| !p.text.contains('。')) {
        if let Some(m) = ZH_NAME.find(&p.text) {
            f.issuer_zh = Some(m.as_str().to_string());
            f.lines.insert("issuer_zh".into(), p.line_at(m.start()));
            break;
        }
    }

    // Headline: the first upper-case paragraph after the masthead's stock
    // code, other than the names.
    let issuer_line = f.lines.get("issuer").copied();
    for (i, p) in head_paras.iter().enumerate() {
        if p.starts[0].1 <= masthead_code_line || Some(p.starts[0].1) == issuer_line {
            continue;
        }
        if is_headline(&p.text) && f.issuer_zh.as_deref() != Some(p.text.trim()) {
            // An offering's cover ("GLOBAL OFFERING", over the offer's
            // summary table) names no announcement: the headline after it
            // does ("ANNOUNCEMENT OF ALLOTMENT RESULTS").
            let cover = collapse_ws(&p.text) == "GLOBAL OFFERING";
            if cover && head_paras[i + 1..].iter().any(|q| is_headline(&q.text)) {
                continue;
            }
            // A category alone ("VOLUNTARY ANNOUNCEMENT") with the headline in
            // the next paragraph: the headline is the title.
            let category = HEADLINE_PREFIXES.contains(&collapse_ws(&p.text).as_str());
            let p = match head_paras.get(i + 1) {
                Some(next) if category && is_headline(&next.text) => next,
                _ => p,
            };
            f.title = Some(strip_headline_prefix(&p.text));
            f.lines.insert("title".into(), p.starts[0].1);
            break;
        }
    }

    // Date: "Hong Kong, November 30, 2022" at the signature; else the first date.
    let mut date: Option<(NaiveDate, u32)> = None;
    for set in head_then_lines {
        for p in set {
            let signed = SIGNED_HK_DATE
                .captures(&p.text)
                .and_then(|c| c.get(1).and_then(|m| parse_date(m.as_str())))
                .or_else(|| place_and_date(&p.text))
                .or_else(|| place_and_zh_date(&p.text));
            if let Some(d) = signed {
                date = Some((d, p.starts[0].1));
            }
        }
        if date.is_some() {
            break;
        }
    }
    // The lock-up tables' dates are their rows' last days.
    let table = lockup_tables(lines);
    if date.is_none() {
        // Else a dateline: a line that is a date alone ("30 November 2022",
        // "Date: 30 November 2022"), by the masthead or headline or among the
        // last lines. A date inside a sentence or in a table is another
        // event's (a prospectus dated earlier, the day dealings begin, the
        // last day of a lock-up).
        let dateline = |p: &Para| {
            let t = p.text.trim();
            let t = t
                .strip_prefix("Date:")
                .or_else(|| t.strip_prefix("Dated:"))
                .unwrap_or(t)
                .trim();
            let no = p.starts[0].1;
            let in_table = table.iter().any(|l| l.lines.get("end") == Some(&no));
            parse_date(t).filter(|_| !in_table).map(|d| (d, no))
        };
        let until = f.lines.get("title").copied().unwrap_or(6).max(6) + 2;
        let tail = line_paras.len().saturating_sub(12);
        date = line_paras
            .iter()
            .take_while(|p| p.starts[0].1 <= until)
            .find_map(dateline)
            .or_else(|| line_paras[tail..].iter().rev().find_map(dateline));
    }
    if let Some((d, line)) = date {
        f.date = Some(iso(d));
        f.lines.insert("date".into(), line);
    }
    let ctx = Context::of(&paras, date.map(|(d, _)| d));

    // "Reference is made to the announcement ... lock-up undertaking ... which
    // will expire on ..." recalls an earlier undertaking; it is read only when
    // no other paragraph states one.
    let recalls = |p: &Para| strip_prefix_ignore_case(&p.text, "reference is made to").is_some();
    if table.is_empty() {
        for p in paras.iter().filter(|p| !recalls(p)) {
            f.lockups.extend(lockups_in(p, &ctx));
        }
    } else {
        // The notes under a table restate its rows in prose.
        f.lockups = table;
    }
    if f.lockups.is_empty() {
        for p in paras.iter().filter(|p| recalls(p)) {
            f.lockups.extend(lockups_in(p, &ctx));
        }
    }
    for l in &f.lockups {
        if l.start.is_none() && l.end.is_none() {
            f.findings.push(
                Finding::new(
                    Level::Warning,
                    codes::MISSING_FIELD,
                    format!(
                        "lock-up of {}: its period runs from an event the announcement does not date; start and end unknown",
                        l.party
                    ),
                )
                .at(l.lines.get("party").copied()),
            );
        }
    }
    // A lock-up announcement (its headline says so) whose undertaking could
    // not be read says so, rather than showing none.
    let headline_lockup = f.title.as_deref().is_some_and(|t| LOCKUP_CUE.is_match(t));
    if f.lockups.is_empty() && headline_lockup {
        f.add_finding(
            Finding::new(
                Level::Warning,
                codes::MISSING_FIELD,
                "the headline announces a lock-up undertaking, but no party with its period could be read",
            )
            .at(f.lines.get("title").copied()),
        );
    }
    if f.issuer.is_none() {
        f.add_finding(Finding::new(
            Level::Warning,
            codes::MISSING_FIELD,
            "no issuer name found in the announcement",
        ));
    }
    if f.date.is_none() {
        f.add_finding(Finding::new(
            Level::Warning,
            codes::MISSING_FIELD,
            "no date found in the announcement (no \"Hong Kong, <date>\" line, no date by the headline)",
        ));
    }
}

/// The date of a signature line that names its place first: "Beijing, the
/// PRC, 6 January 2025", "Hong Kong SAR, 3 June 2025", "Singapore, March 3,
/// 2025". The place is one to three short pieces of words (no digits),
/// each starting with a capital or "the"; the date is the rest, alone.
fn place_and_date(line: &str) -> Option<NaiveDate> {
    let t = line.trim();
    if t.len() > 80 {
        return None;
    }
    let place_piece = |w: &str| {
        let w = w.trim();
        let starts = w.starts_with(|c: char| c.is_uppercase()) || w.starts_with("the ");
        starts
            && w.len() <= 40
            && w.split_whitespace().count() <= 5
            && w.chars().all(|c| {
                c.is_alphabetic() || c == ' ' || matches!(c, '.' | '\'' | '’' | '-' | '(' | ')')
            })
    };
    let commas: Vec<usize> = t.match_indices(',').map(|(i, _)| i).collect();
    commas.iter().take(3).find_map(|&at| {
        let (place, rest) = (&t[..at], &t[at + 1..]);
        let words = rest
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .count();
        (words == 3 && place.split(',').all(place_piece))
            .then(|| parse_date(rest))
            .flatten()
    })
}

/// The titles Chinese writes after a person's name ("劉志榮先生").
const ZH_TITLES: [&str; 4] = ["先生", "女士", "博士", "教授"];

/// Each person the Chinese text names, with where: a title and the (at
/// most five) Han characters before it, back to the last title (in
/// "張女士及陳先生" the second is "及陳先生"; see [`zh_person`]).
fn zh_mentions(text: &str) -> Vec<(&str, usize)> {
    let mut titles: Vec<(usize, usize)> = ZH_TITLES
        .iter()
        .flat_map(|t| text.match_indices(t).map(|(at, t)| (at, at + t.len())))
        .collect();
    titles.sort_unstable();
    let mut out = Vec::new();
    let mut floor = 0;
    for (at, end) in titles {
        if at < floor {
            continue;
        }
        let start = text[floor..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| super::is_cjk(*c))
            .take(5)
            .last()
            .map(|(i, _)| floor + i);
        if let Some(start) = start {
            out.push((&text[start..end], start));
        }
        floor = end;
    }
    out
}

/// A company a person holds through, named right after the person (after
/// the short name defined for them, if any): "及其全資擁有的公司常青峰有限公司",
/// "（透過其全資擁有的公司常青峰有限公司）", "通過其控制的公司…有限公司".
static ZH_ENTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:[（(]\s*「[^」]{1,12}」\s*[）)])?\s*[（(]?\s*(?:及|和|與|与|透過|通過|通过|經由|经由|連同|连同)\s*(?:其|彼)?\s*(?:全資擁有|全资拥有|全資|全资|控制|擁有|拥有)?\s*的?\s*(?:公司|附屬公司|附属公司|實體|实体)\s*([^，,。；;、（）()「」\s][^，,。；;、（）()「」]{0,40}?(?:有限公司|Limited|Inc\.|Ltd\.|Corporation))",
    )
    .unwrap()
});

/// The company [`ZH_ENTITY`] names at the start of `rest`.
fn zh_entity_after(rest: &str) -> Option<&str> {
    ZH_ENTITY.captures(rest)?.get(1).map(|m| m.as_str())
}

/// A person's short name defined after the full one: "劉志榮先生（「劉先生」）".
static ZH_ALIAS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\p{Han}{2,6}(?:先生|女士|博士|教授))\s*[（(]\s*「(\p{Han}{1,3}(?:先生|女士|博士|教授))」\s*[）)]").unwrap()
});
/// A Chinese date: "2025年6月3日".
const ZH_DAY: &str = r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日";
/// "自2025年6月3日起計12個月", "自2025年6月3日起計十二個月".
static ZH_FROM_FOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"自\s*({ZH_DAY})\s*(?:起計|起计|起|開始|开始)[^。；\d]{{0,6}}?(\d{{1,3}}|[一二三四五六七八九十兩两]+)\s*(?:(?:個|个)\s*(月)|(年))"
    ))
    .unwrap()
});
/// "自2025年1月15日起至2026年1月14日止".
static ZH_FROM_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"自\s*({ZH_DAY})\s*(?:起)?\s*(?:至|直至)\s*({ZH_DAY})"
    ))
    .unwrap()
});
/// "直至2026年12月31日止": an end alone.
static ZH_UNTIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?:至|直至)\s*({ZH_DAY})\s*(?:止|為止|为止)")).unwrap());
static ZH_SHARE_COUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{1,3}(?:,\d{3})+)\s*股").unwrap());

/// A number written in Chinese numerals up to ninety-nine ("十二", "六",
/// "二十四", "兩"), or in figures.
fn zh_number(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|d| d as u32)
    };
    let digit = |c: char| digit(c).or(matches!(c, '兩' | '两').then_some(2));
    let cs: Vec<char> = s.chars().collect();
    match cs.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

/// The full name of a person the text names as `m` (one of
/// [`zh_mentions`]): the name a short name stands for; else the name less the
/// characters a role or a clause puts before it (a name is two or three
/// characters).
fn zh_person<'a>(m: &'a str, ctx: &'a Context) -> &'a str {
    if let Some((_, full)) = ctx.zh_terms.iter().find(|(t, _)| m.ends_with(t.as_str())) {
        return full;
    }
    if let Some((_, full)) = ctx.zh_terms.iter().find(|(_, f)| m.ends_with(f.as_str())) {
        return full;
    }
    let title = ZH_TITLES
        .iter()
        .find(|t| m.ends_with(*t))
        .map_or(0, |t| t.len());
    // Words that join or lead to a name are no part of it.
    let m = m.trim_start_matches([
        '及', '與', '与', '和', '、', '由', '向', '獲', '获', '為', '为', '的', '之', '即',
    ]);
    let name: Vec<(usize, char)> = m[..m.len().saturating_sub(title)].char_indices().collect();
    let keep = name.len().min(3);
    name.get(name.len() - keep).map_or(m, |&(at, _)| &m[at..])
}

/// Lock-ups written in Chinese: the persons who undertake ("劉志榮先生",
/// a short name standing for its full one), their period ("自2025年6月3日
/// 起計12個月", "自 ... 起至 ... 止", "直至 ... 止") and the shares counted.
fn lockups_in_zh(p: &Para, ctx: &Context) -> Vec<LockUp> {
    let text = &p.text;
    let zh_day = super::legacy::zh_day;
    let (mut start, mut end, mut months) = (None, None, None);
    if let Some(c) = ZH_FROM_FOR.captures(text) {
        let n = c.get(2).and_then(|m| zh_number(m.as_str()));
        // Years (group 4) are twelve months each.
        let n = if c.get(4).is_some() {
            n.and_then(|n| n.checked_mul(12))
        } else {
            n
        };
        start = c.get(1).and_then(|m| zh_day(m.as_str()));
        months = n;
        end = start.zip(n).and_then(|(s, n)| period_end(s, n));
    }
    if start.is_none() {
        if let Some(c) = ZH_FROM_TO.captures(text) {
            start = c.get(1).and_then(|m| zh_day(m.as_str()));
            end = c.get(2).and_then(|m| zh_day(m.as_str()));
        }
    }
    if end.is_none() {
        end = ZH_UNTIL
            .captures(text)
            .and_then(|c| c.get(1))
            .and_then(|m| zh_day(m.as_str()));
    }
    if start.is_none() && end.is_none() {
        return Vec::new();
    }
    // Each person once, where first named, with the company named after
    // any of the mentions ("劉先生及其全資擁有的公司常青峰有限公司").
    let mut persons: Vec<(&str, usize, Option<&str>)> = Vec::new();
    for (m, at) in zh_mentions(text) {
        let name = zh_person(m, ctx);
        let entity = text.get(at + m.len()..).and_then(zh_entity_after);
        match persons.iter_mut().find(|(n, _, _)| *n == name) {
            Some(p) => p.2 = p.2.or(entity),
            None => persons.push((name, at, entity)),
        }
    }
    let share_count = ZH_SHARE_COUNT
        .captures(text)
        .and_then(|c| c.get(1))
        .and_then(|m| parse_int(m.as_str()));
    let kind = if text.contains("延長") || text.contains("延长") {
        LockUpKind::Extension
    } else {
        LockUpKind::Undertaking
    };
    persons
        .into_iter()
        .map(|(name, at, entity)| {
            let mut lines = Lines::new();
            lines.insert("party".into(), p.line_at(at));
            LockUp {
                party: name.to_string(),
                entity: entity.map(str::to_string),
                shares: None,
                share_count,
                start: start.map(iso),
                end: end.map(iso),
                months,
                kind,
                lines,
            }
        })
        .collect()
}

/// The length of the short name defined right after a name, `("Mr. Ho")`
/// with the space before it (0 when there is none).
fn short_name_after(t: &str) -> usize {
    let rest = t.trim_start();
    let Some(inner) = rest.strip_prefix("(\"").or_else(|| rest.strip_prefix("(“")) else {
        return 0;
    };
    match inner.find(['"', '”']) {
        Some(q) => {
            let close = &inner[q..];
            let q_len = close.chars().next().map_or(1, char::len_utf8);
            match close[q_len..].strip_prefix(')') {
                Some(_) => t.len() - close.len() + q_len + 1,
                None => 0,
            }
        }
        None => 0,
    }
}

/// The date of a Chinese signature line: "香港，2025年6月3日", "中國北京，
/// 2025年1月6日" (a place of Han characters, a comma, the date alone).
fn place_and_zh_date(line: &str) -> Option<NaiveDate> {
    let t = line.trim();
    let (place, date) = t.rsplit_once(['，', ','])?;
    let place = place.trim();
    let places = !place.is_empty()
        && place.chars().count() <= 12
        && place.chars().all(|c| super::is_cjk(c) || c == ' ');
    let date = date.trim();
    let alone = date.ends_with('日')
        && date
            .chars()
            .all(|c| c.is_ascii_digit() || "年月日 ".contains(c));
    if !(places && alone) {
        return None;
    }
    super::legacy::zh_day(date)
}

/// A page marker some extraction scripts add ("<<<PAGE 2>>>"), or a page
/// number alone.
fn is_page_marker(t: &str) -> bool {
    (t.starts_with("<<<") && t.ends_with(">>>")) || t.bytes().all(|b| b.is_ascii_digit())
}

/// One cell of a lock-up table, as [`lockup_tables`] reads it.
#[derive(Debug, PartialEq)]
enum Cell {
    /// A share count: grouped by commas, or plain and not a year.
    Count(i64),
    /// A percentage ("17.52%").
    Figure,
    /// A zero or a nil mark ("—") under a count column: the party holds
    /// none of that column's shares.
    Nil,
    Date(NaiveDate),
    Text(String),
}

/// A note marker closing a cell: "Cheuk Sing Ho(2)", "August 5, 2028(3)",
/// "upon Listing(Note 1)".
fn without_note_marker(s: &str) -> &str {
    let t = s.trim_end();
    if let Some(open) = t.rfind('(') {
        let inner = t.get(open + 1..).unwrap_or("").trim_end_matches(')');
        let inner = inner
            .trim_start_matches("Note")
            .trim_start_matches("note")
            .trim();
        if t.ends_with(')')
            && !inner.is_empty()
            && inner.len() <= 3
            && inner.bytes().all(|b| b.is_ascii_digit())
        {
            return t.get(..open).unwrap_or(t).trim_end();
        }
    }
    t
}

fn cell_of(raw: &str) -> Cell {
    let t = without_note_marker(raw.trim());
    let digits_only = !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b',');
    if digits_only {
        if let Some(v) = parse_int(t) {
            let year = !t.contains(',') && (1900..=2100).contains(&v);
            if t.contains(',') || (v >= 1000 && !year) {
                return Cell::Count(v);
            }
            if v == 0 {
                return Cell::Nil;
            }
        }
    }
    // "—" where a party holds none of a column's shares.
    if !t.is_empty() && is_nil_token(t) {
        return Cell::Nil;
    }
    if let Some(pct) = t.strip_suffix('%') {
        if pct.trim().parse::<f64>().is_ok() {
            return Cell::Figure;
        }
    }
    if t.bytes().any(|b| b.is_ascii_digit()) && t.split_whitespace().count() <= 4 {
        if let Some(d) = parse_date(t) {
            return Cell::Date(d);
        }
    }
    Cell::Text(t.to_string())
}

/// A name's pieces joined: with a space, except inside Chinese text wrapped
/// over two lines ("(北京" / "天圖興北投資中心(有限合夥))").
fn join_name(pieces: &[&str]) -> String {
    let mut out = String::new();
    for p in pieces {
        let p = collapse_ws(p);
        let cjk_end = out
            .chars()
            .last()
            .is_some_and(|c| super::is_cjk(c) || c == '(');
        let cjk_start = p
            .chars()
            .next()
            .is_some_and(|c| super::is_cjk(c) || c == '(' || c == ')');
        let wrapped_chinese = cjk_end && cjk_start;
        if !out.is_empty() && !wrapped_chinese {
            out.push(' ');
        }
        out.push_str(&p);
    }
    out
}

/// Words of a table's header or sub-heading: names never hold them.
fn header_words(lc: &str) -> bool {
    [
        "lock-up",
        "lockup",
        "lock up",
        "undertaking",
        "shareholding",
        "subject to",
        "upon listing",
    ]
    .iter()
    .any(|w| lc.contains(w))
}

/// The lock-up tables of an allotment results announcement: under the
/// heading "LOCK-UP UNDERTAKINGS", one table per group of shareholders
/// (controlling shareholders, pre-IPO and cornerstone investors), each row
/// a name, its shares subject to the lock-up, its percentages and the last
/// day of the lock-up (a second date for a second period). PyMuPDF and
/// pdfplumber print one cell a line, the name over several; `pdftotext
/// -layout` prints a row on one line, cells two or more spaces apart.
///
/// A row is a share count, then only figures, percentages or a few words
/// ("A Shares"), then its date; its name is the text cells before the
/// count, since the last row or the last header cell (which speak of the
/// lock-up or the undertakings; a name does not). Subtotal and total rows
/// are no party.
fn lockup_tables(lines: &[String]) -> Vec<LockUp> {
    let Some(head) = lines.iter().position(|l| {
        let t = l.trim().trim_end_matches(':');
        t.eq_ignore_ascii_case("lock-up undertakings")
            || t.eq_ignore_ascii_case("lock-up undertaking")
    }) else {
        return Vec::new();
    };
    // The cells in reading order, with their lines.
    let mut cells: Vec<(Cell, u32)> = Vec::new();
    for (i, l) in lines.iter().enumerate().skip(head + 1) {
        let t = l.trim();
        if t.is_empty() || t.starts_with("<<<") {
            continue;
        }
        // The next heading of the announcement ends the tables
        // ("PLACEE CONCENTRATION ANALYSIS"); a name in capitals is no heading
        // ("MPC II L.P.", "HHLRA").
        if is_headline(t)
            && !t.contains("LOCK-UP")
            && t.split_whitespace().count() >= 3
            && !t.contains(['.', ',', '(', ')'])
            && !name_goes_on(lines.get(i + 1..).unwrap_or_default())
        {
            break;
        }
        for c in t
            .replace('\t', "  ")
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            cells.push((cell_of(c), i as u32 + 1));
        }
    }
    let mut out = Vec::new();
    let mut name: Vec<&str> = Vec::new();
    let mut name_line = 0u32;
    // The text since the last row: a new table's heads come in it.
    let mut since_row = String::new();
    let mut columns: Vec<Option<String>> = Vec::new();
    let mut row_end = 0;
    let mut k = 0;
    while k < cells.len() {
        match &cells[k].0 {
            Cell::Text(t) => {
                let lc = t.to_ascii_lowercase();
                // Page numbers, headers and notes are no name.
                // A sentence of the notes ends with a stop or runs long; a
                // name may end with one ("L.P.", "Co., Ltd.").
                let words = t.split_whitespace().count();
                let last_lower = t
                    .split_whitespace()
                    .last()
                    .is_some_and(|w| w.starts_with(|c: char| c.is_lowercase()));
                let sentence =
                    words > 12 || (words >= 3 && last_lower && t.ends_with(['.', ':', ';']));
                let notes = sentence || lc.starts_with("notes");
                if notes {
                    since_row.clear();
                } else {
                    since_row.push(' ');
                    since_row.push_str(t);
                }
                if notes || header_words(&lc) {
                    name.clear();
                } else {
                    if name.is_empty() {
                        name_line = cells[k].1;
                    }
                    name.push(t);
                }
                k += 1;
            }
            Cell::Count(_) => {
                // A new table's heads name its columns afresh.
                let heads = since_row.to_ascii_lowercase();
                if heads.contains("number of") {
                    columns = count_columns(&since_row);
                } else if header_words(&heads) {
                    columns.clear();
                }
                since_row.clear();
                // The row's count columns: a nil under a first column, this
                // count, the counts and nils that follow.
                let first = (row_end..k)
                    .rev()
                    .take_while(|&i| matches!(cells[i].0, Cell::Nil))
                    .last()
                    .unwrap_or(k);
                let slots: Vec<(i64, u32)> = cells[first..]
                    .iter()
                    .map_while(|(c, at)| match c {
                        Cell::Count(v) => Some((*v, *at)),
                        Cell::Nil => Some((0, *at)),
                        _ => None,
                    })
                    .collect();
                // Figures and a few words, then the date or dates.
                let mut j = k + 1;
                while j < cells.len() {
                    match &cells[j].0 {
                        Cell::Figure | Cell::Nil | Cell::Count(_) => j += 1,
                        Cell::Text(t)
                            if t.split_whitespace().count() <= 2
                                && j + 1 < cells.len()
                                && !matches!(cells[j + 1].0, Cell::Text(_)) =>
                        {
                            j += 1
                        }
                        _ => break,
                    }
                }
                let mut dates = Vec::new();
                while let Some((Cell::Date(d), at)) = cells.get(j) {
                    dates.push((*d, *at));
                    j += 1;
                    // A period's words after its date: "(First Six-Month" / "Period) (Note 3)".
                    while let Some((Cell::Text(t), _)) = cells.get(j) {
                        if t.starts_with('(') || t.ends_with(')') && !t.contains('(') {
                            j += 1;
                        } else {
                            break;
                        }
                    }
                }
                let party = join_name(&name);
                let lc = party.to_ascii_lowercase();
                if !dates.is_empty()
                    && !party.is_empty()
                    && !lc.starts_with("subtotal")
                    && !lc.starts_with("total")
                {
                    for (d, at) in dates {
                        for (shares, count, line) in row_counts(&slots, &columns) {
                            let mut lines_of = Lines::new();
                            lines_of.insert("party".into(), name_line);
                            lines_of.insert("share_count".into(), line);
                            lines_of.insert("end".into(), at);
                            out.push(LockUp {
                                party: without_note_marker(&party).to_string(),
                                entity: None,
                                shares,
                                share_count: Some(count),
                                start: None,
                                end: Some(iso(d)),
                                months: None,
                                kind: LockUpKind::Undertaking,
                                lines: lines_of,
                            });
                        }
                    }
                }
                name.clear();
                k = j.max(k + 1);
                row_end = k;
            }
            _ => {
                // A nil or 0 under a first count column (no domestic shares,
                // then the H shares) before the row's count: the row goes on.
                let next = cells[k..]
                    .iter()
                    .find(|c| !matches!(c.0, Cell::Figure | Cell::Nil))
                    .map(|c| &c.0);
                if name.is_empty() || !matches!(next, Some(Cell::Count(_))) {
                    name.clear();
                }
                k += 1;
            }
        }
    }
    out
}

/// The share class each count column of a lock-up table names, in order, from
/// the text of its heads: "Number of Domestic Shares held in the Company ..."
/// names "Domestic Shares", "Number of H Shares ..." "H Shares". `None` where
/// a head names no class ("Number of shares held") or its words cannot be
/// told apart (a layout extraction prints heads side by side, their lines
/// interleaved).
fn count_columns(heads: &str) -> Vec<Option<String>> {
    let heads = collapse_ws(heads);
    let lc = heads.to_ascii_lowercase();
    let starts: Vec<usize> = lc
        .match_indices("number of ")
        .map(|(i, m)| i + m.len())
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(n, &s)| {
            // A head runs to the next head or the percentage column's.
            let end = starts
                .get(n + 1)
                .map_or(lc.len(), |&e| e - "number of ".len());
            let end = lc
                .get(s..end)
                .and_then(|h| h.find('%'))
                .map_or(end, |p| s + p);
            let words: Vec<&str> = heads.get(s..end)?.split_whitespace().collect();
            let at = words.iter().take(4).position(|w| {
                w.to_ascii_lowercase()
                    .trim_end_matches([',', '.', ':'])
                    .eq("shares")
            })?;
            let class = words.get(..at)?;
            let plain = class
                .iter()
                .all(|w| w.chars().all(|c| c.is_alphabetic() || c == '-'));
            (at > 0 && plain).then(|| format!("{} Shares", class.join(" ")))
        })
        .collect()
}

/// A lock-up row's entries from its count columns: one per share class
/// when every column names its own class (a party locked up in domestic
/// and in H shares, a column of nils passed over), else the row's first
/// count, whose column's class is given when the table has that one column.
fn row_counts(slots: &[(i64, u32)], columns: &[Option<String>]) -> Vec<(Option<String>, i64, u32)> {
    let classes: Option<Vec<&String>> = columns.iter().map(Option::as_ref).collect();
    if let Some(classes) = classes.filter(|c| c.len() == slots.len() && c.len() > 1) {
        let distinct = classes
            .iter()
            .enumerate()
            .all(|(i, c)| !classes[..i].contains(c));
        if distinct {
            return slots
                .iter()
                .zip(classes)
                .filter(|((v, _), _)| *v != 0)
                .map(|(&(v, at), c)| (Some(c.clone()), v, at))
                .collect();
        }
    }
    let class = match columns {
        [only] => only.clone(),
        _ => None,
    };
    slots
        .iter()
        .find(|(v, _)| *v != 0)
        .map(|&(v, at)| vec![(class, v, at)])
        .unwrap_or_default()
}

/// Whether a line in capitals that looks like a heading is the first line
/// of a name in capitals ("JUMP TRADING PACIFIC" / "PTE. LTD."): the next
/// line holds the row's count, or ends the name with a company's suffix
/// ([`COMPANY_SUFFIX`]).
fn name_goes_on(after: &[String]) -> bool {
    let Some(next) = after.iter().map(|l| l.trim()).find(|l| !l.is_empty()) else {
        return false;
    };
    let first = next.replace('\t', "  ");
    let first = first.split("  ").next().unwrap_or("").trim();
    if matches!(cell_of(first), Cell::Count(_)) {
        return true;
    }
    COMPANY_SUFFIX.is_match(first)
}

/// The company name closing a masthead's lines `above` its parentheticals:
/// the last line with Latin text, passing over the Chinese name and the
/// other parentheticals (the stock code under "(incorporated in ...)").
fn masthead_name(above: &[Para]) -> Option<(String, u32)> {
    let prev = above
        .iter()
        .rev()
        .take(4)
        .find(|q| !q.text.starts_with(['(', '（']) && !latin_part(&q.text).is_empty())?;
    let name = latin_part(&prev.text);
    (COMPANY_SUFFIX.is_match(&name) && name.len() < 120 && could_be_issuer(&name))
        .then(|| (name, prev.starts[0].1))
}

/// The Latin part of a line that also carries the Chinese name
/// ("SenseTime Group Inc. 商汤集团股份有限公司 Ms. Lin ..." -> "SenseTime Group Inc.").
fn latin_part(s: &str) -> String {
    let end = s
        .char_indices()
        .find(|(_, c)| super::is_cjk(*c))
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    s[..end].trim().to_string()
}

/// Whether a `(?i)` regex every match of which holds one of `words`
/// (lower-case ASCII) may match `text`: the regexes of a lock-up's period and
/// parties are tried on the paragraphs that hold their words. ASCII letters
/// fold to themselves alone but for k and s (the Kelvin sign, the long s):
/// a text holding either is let by.
fn may_hold(text: &str, words: &[&str]) -> bool {
    (!text.is_ascii() && text.contains(['\u{17F}', '\u{212A}']))
        || words.iter().any(|w| contains_ignore_case(text, w))
}

static LOCKUP_CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)lock-?\s?up|not\s+(?:to\s+)?(?:sell|dispose)|undertak\w+ (?:not|to the company)|禁售|不(?:會|会)?(?:出售|處置|处置)",
    )
    .unwrap()
});
static HONORIFIC_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:Prof\.|Professor|Dr\.|Mr\.|Ms\.|Mrs\.|Miss|Madam|Sir)\s+[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){0,3}").unwrap()
});
static BEING_RESPECTIVELY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(being\s+(.+?)\s+respectively\)").unwrap());
static DURATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)period of (?:(?:an? )?additional |further )?([a-z\-]+|\d+)\s*(?:\((\d+)\)\s*)?(years?|months?|days?)\s+(?:commencing|starting|beginning|from|following|after)\s+(?:on\s+|from\s+)?(the\s+date\s+of\s+the\s+(?:[\w&\-]+\s+){0,7}?agreement|.{6,30}?\d{4}|the\s+date\s+of\s+(?:this|the)\s+announcement|the\s+(?:[a-z\-]+\s+){1,3}?date(?-u:\b))").unwrap()
});
/// "during the period commencing on the date of this announcement and
/// ending on 2 March 2026": a start and an end, each a date or the day of
/// the announcement.
static COMMENCING_ENDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:commencing|starting|beginning)\s+(?:on\s+|from\s+)?(.{6,30}?\d{4}|the\s+date\s+of\s+(?:this|the)\s+announcement)\s*(?:\(inclusive\)\s*)?,?\s+(?:and\s+)?(?:ending|expiring)\s+on\s+(?:and\s+including\s+)?(.{6,30}?\d{4})").unwrap()
});
/// "for 6 months from 10 November 2021", "within 12 months from the Listing
/// Date": a duration without "period of".
static DURATION_FOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:for|within)\s+(?:an?\s+)?(?:further\s+|additional\s+)?([a-z\-]+|\d+)\s*(?:\((\d+)\)\s*)?(years?|months?|days?)\s+(?:commencing|starting|beginning|from)\s+(?:on\s+)?(the\s+date\s+of\s+the\s+(?:[\w&\-]+\s+){0,7}?agreement|.{6,30}?\d{4}|the\s+date\s+of\s+(?:this|the)\s+announcement|the\s+(?:[a-z\-]+\s+){1,3}?date(?-u:\b))").unwrap()
});
/// A company's name: capitalised words ending in a company suffix.
const COMPANY: &str =
    r"[A-Z][\w&'’\-]*(?:\s+[A-Z][\w&'’\-\.]*){0,6}?\s+(?:Limited|Ltd\.?|Inc\.|Corporation|plc)";
/// A group a prospectus defined, as the lock-up's party where no person or
/// company is named: "the H Shares subscribed by the Cornerstone
/// Investors", "the Controlling Shareholders have undertaken".
static GROUP_PARTY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[Tt]he\s+((?:Cornerstone|Pre-IPO|Controlling|Founding|Existing)\s+(?:Investors?|Shareholders?))(?-u:\b)").unwrap()
});
/// A company as the undertaking party: "announce that Oakmount Capital
/// Limited, a substantial shareholder of the Company, has undertaken".
static CORPORATE_PARTY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"announces?\s+that,?\s+(?:on\s+[^,]{{4,30}}\d{{4}},?\s+)?({COMPANY})(?:,|\s+has(?-u:\b)|\s+have(?-u:\b))"
    ))
    .unwrap()
});
/// The entity named right after its person: "Ms. Wong Mei Ling and Cedar
/// Horizon Inc. have agreed to extend".
/// The entity may follow the person's description ("Mr. Lam, the chairman
/// of the Board, and Golden Path Holdings Limited") or be the company the
/// person holds through ("Mr. Lam (through Golden Path Holdings Limited, a
/// company wholly owned by him)").
static AND_ENTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:,\s*[^,()]{{1,80}},)?,?\s+(?:and|\(?(?:through|via)|\(?holding\s+through)\s+({COMPANY})"
    ))
    .unwrap()
});
/// The entities persons hold through, in their order: "Mr. A and Ms. B,
/// through Alpha Limited and Beta Limited respectively".
static THROUGH_RESPECTIVELY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?-u:\b)(?:through|via)\s+((?:{COMPANY})(?:(?:,\s*|,?\s+and\s+)(?:{COMPANY}))+),?\s+respectively"
    ))
    .unwrap()
});
/// "from 1 January 2024 to 31 December 2024", "from the date of this
/// announcement up to and including 31 December 2026".
static FROM_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)from\s+(?:and including\s+)?(.{6,30}?\d{4}|the\s+date\s+of\s+(?:this|the)\s+announcement)\s+(?:to|until|till|up\s+to)\s+(?:and including\s+)?(.{6,30}?\d{4})").unwrap()
});
static EXTEND_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)extend\w*(?-u:\b).{0,120}?(?-u:\b)(?:to|until)\s+(?:and including\s+)?(.{6,30}?\d{4})")
        .unwrap()
});
/// "will not dispose of any Shares until 30 June 2026", "from the Listing
/// Date up to and including 30 June 2026": an end date alone.
static UNTIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:until|till|up\s+to)\s+(?:and\s+including\s+)?(.{6,30}?\d{4})")
        .unwrap()
});
static EXPIRE_ON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:expired?|expiring|ended|ends|will end)\s+on\s+(.{6,30}?\d{4})").unwrap()
});
static SHARES_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)dispos\w*\s+(?:of\s+)?(?:any|all|the)?\s*(?:of\s+)?(?:the\s+)?(.{3,80}?(?-u:\b)shares?)\s+(?:of|in)\s+the\s+company").unwrap()
});
static SHARE_COUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(\d{1,3}(?:,\d{3})+|\d+)\s+(?:\w+\s+){0,3}shares").unwrap());

fn number_word(w: &str) -> Option<u32> {
    let w = w.to_ascii_lowercase();
    if let Ok(n) = w.parse() {
        return Some(n);
    }
    const WORDS: &[(&str, u32)] = &[
        ("one", 1),
        ("two", 2),
        ("three", 3),
        ("four", 4),
        ("five", 5),
        ("six", 6),
        ("seven", 7),
        ("eight", 8),
        ("nine", 9),
        ("ten", 10),
        ("eleven", 11),
        ("twelve", 12),
        ("eighteen", 18),
        ("twenty-four", 24),
        ("thirty-six", 36),
    ];
    WORDS.iter().find(|(k, _)| *k == w).map(|(_, v)| *v)
}

/// End of a lock-up of `months` starting on `start`: the day before the same
/// date `months` later (two years from 2022-12-30 ends 2024-12-29).
pub fn period_end(start: NaiveDate, months: u32) -> Option<NaiveDate> {
    let same_day_later = start.checked_add_months(Months::new(months))?;
    // When the start day does not exist in the end month (31 Jan + 1 month),
    // chrono clamps to the month's last day, which is already the day before
    // the next period begins.
    if same_day_later.day() != start.day() {
        return Some(same_day_later);
    }
    same_day_later.pred_opt()
}

/// The start, end and months of a period a [`DURATION`] or [`DURATION_FOR`]
/// match states: a number (in words or figures, or both: "ninety (90)"),
/// its unit and its first day. A period of days ends the day before the
/// same number of days later and has no months.
fn duration(
    c: &regex::Captures,
    ctx: &Context,
) -> Option<(NaiveDate, Option<NaiveDate>, Option<u32>)> {
    let span = span_of(c);
    let start = c.get(4).and_then(|m| stated_date(m.as_str(), ctx));
    match (span?, start?) {
        (Span::Days(n), s) => {
            let end = s.checked_add_days(chrono::Days::new(u64::from(n)));
            Some((s, end.and_then(|e| e.pred_opt()), None))
        }
        (Span::Months(m), s) => Some((s, period_end(s, m), Some(m))),
    }
}

/// A period's length as DURATION and DURATION_FOR give it: "ninety (90)
/// days", "two years" (24 months).
enum Span {
    Days(u32),
    Months(u32),
}

fn span_of(c: &regex::Captures) -> Option<Span> {
    let n: u32 = c
        .get(2)
        .and_then(|m| m.as_str().parse().ok())
        .or_else(|| c.get(1).and_then(|m| number_word(m.as_str())))?;
    let unit = c
        .get(3)
        .map_or(String::new(), |m| m.as_str().to_ascii_lowercase());
    Some(if unit.starts_with("day") {
        Span::Days(n)
    } else if unit.starts_with("year") {
        Span::Months(n.checked_mul(12)?)
    } else {
        Span::Months(n)
    })
}

/// The months of a duration that runs from an event the announcement names
/// but does not date (`Some(None)` for a period in days).
fn undated_duration(text: &str) -> Option<Option<u32>> {
    let c = may_hold(text, &["period of "])
        .then(|| DURATION.captures(text))
        .flatten()
        .or_else(|| {
            may_hold(text, &["for", "within"])
                .then(|| DURATION_FOR.captures(text))
                .flatten()
        })?;
    let from = collapse_ws(&c.get(4)?.as_str().to_ascii_lowercase());
    event_named(&from)?;
    Some(match span_of(&c)? {
        Span::Days(_) => None,
        Span::Months(m) => Some(m),
    })
}

/// Split "A, B, C and D" into its items, keeping "Inc." and "Ltd." intact.
fn split_list(s: &str) -> Vec<String> {
    let s = s.replace(" and/or ", ", ");
    let mut items = Vec::new();
    for part in s.split(", ") {
        for p in part.split(" and ") {
            let p = p.trim().trim_end_matches(',').trim();
            if !p.is_empty() {
                items.push(p.to_string());
            }
        }
    }
    items
}

/// A date as the undertaking states it, the announcement's own day ("the
/// date of this announcement"), the day an agreement the announcement
/// dates was made ("the date of the Placing Agreement"), or an event's day
/// the announcement defines ("12 March 2026 (the "Listing Date")").
fn stated_date(s: &str, ctx: &Context) -> Option<NaiveDate> {
    let lc = collapse_ws(&s.to_ascii_lowercase());
    if let Some(event) = event_named(&lc) {
        return ctx.events.iter().find(|(e, _)| e == event).map(|(_, d)| *d);
    }
    if let Some(name) = lc.strip_prefix("the date of the ") {
        if name.ends_with("agreement") {
            return ctx
                .agreements
                .iter()
                .find(|(a, _)| a == name)
                .map(|(_, d)| *d);
        }
    }
    if lc.starts_with("the date of") {
        ctx.announced
    } else {
        parse_date(s)
    }
}

/// The event a period starts on, named as a day ("the listing date", "the
/// completion date"; lower case), not a date of something else ("the date
/// of this announcement").
fn event_named(lc: &str) -> Option<&str> {
    let name = lc.strip_prefix("the ")?;
    (name.ends_with(" date") && !name.starts_with("date ")).then_some(name)
}

/// What the whole announcement tells the reading of each paragraph: its
/// own day, the short names it defines for parties ("Bright Harvest
/// Investments Limited (the "Vendor")"), the days its agreements were
/// made ("On 14 October 2025 ... entered into the Placing Agreement") and
/// the days of the events it names ("12 March 2026 (the "Listing Date")").
struct Context {
    announced: Option<NaiveDate>,
    /// (short name, full name).
    terms: Vec<(String, String)>,
    /// (agreement's name in lower case, the day it was made).
    agreements: Vec<(String, NaiveDate)>,
    /// (event's name in lower case, its day).
    events: Vec<(String, NaiveDate)>,
    /// A Chinese text's short names for persons: ("劉先生", "劉志榮先生").
    zh_terms: Vec<(String, String)>,
}

/// An event's day as the announcement defines it: `12 March 2026 (the
/// "Listing Date")`, `March 12, 2026 (the “Completion Date”)`.
static DEFINED_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u:\b)(\d{1,2}\s+[A-Z][a-z]{2,8},?\s+\d{4}|[A-Z][a-z]{2,8}\s+\d{1,2},\s*\d{4})\s*\(\s*(?:the\s+)?["“]((?:[A-Z][A-Za-z\-]*\s+){1,3}Date)["”]\s*\)"#).unwrap()
});

/// An event's day given after its name: `the Listing Date (being 10 July
/// 2024)`.
static DAY_BEING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)the\s+((?:[A-Z][A-Za-z\-]*\s+){1,3}Date)\s*\(\s*being\s+(\d{1,2}\s+[A-Z][a-z]{2,8},?\s+\d{4}|[A-Z][a-z]{2,8}\s+\d{1,2},\s*\d{4})\s*\)").unwrap()
});

/// An event's day as a glossary defines it: `"Closing Date" means 6 March
/// 2025`.
static DAY_MEANS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"["“]((?:[A-Z][A-Za-z\-]*\s+){1,3}Date)["”]\s+means\s+(?:the\s+)?(\d{1,2}\s+[A-Z][a-z]{2,8},?\s+\d{4}|[A-Z][a-z]{2,8}\s+\d{1,2},\s*\d{4})"#).unwrap()
});

/// A party's short name: `Name (the "Vendor")`, quotes straight or curly.
static DEFINED_TERM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"({COMPANY}|(?:Mr\.|Ms\.|Mrs\.|Dr\.|Madam)\s+[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){{0,3}})\s*\(\s*(?:the\s+)?["“]((?:(?:Mr|Ms|Mrs|Dr|Madam)\.?\s+)?[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){{0,3}})["”]\s*\)"#
    ))
    .unwrap()
});
/// "On 14 October 2025 (after trading hours), the Company, the Vendor and
/// the Placing Agent entered into the Placing Agreement".
static ENTERED_INTO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)on\s+(.{6,30}?\d{4})\s*(?:\([^)]{0,40}\))?,?\s+[^.;]{0,300}?entered\s+into\s+([^;]{0,200})").unwrap()
});
/// An agreement's name after "entered into": defined in quotes, or in
/// capitals ("the Placing and Subscription Agreement").
static AGREEMENT_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"["“]([A-Z][^"”]{0,60}?Agreement)["”]|(?-u:\b)([A-Z][\w\-]*(?:\s+(?:and|[A-Z][\w\-]*)){0,6}\s+Agreement)(?-u:\b)"#).unwrap()
});
/// A short name as the undertaking's subject: "The Vendor has undertaken",
/// "the Vendor has irrevocably undertaken", "JR Holdings has voluntarily
/// undertaken" (a name the announcement defined, or none).
static TERM_UNDERTAKES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:[Tt]he\s+)?([A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,3})\s+(?:has|have|had|shall|will)\s+(?:\w+\s+){0,3}?undert(?:aken|akes|ake)(?-u:\b)").unwrap()
});

/// DEFINED_TERM's groups in one of its matches, `Name (the "Term")`: the
/// name runs to the first parenthesis (neither a name nor a company holds
/// one), the term between the quotes after it (it holds none). Read from
/// the match by hand: the capturing search of so large a pattern costs
/// more than all the rest of an announcement.
fn defined_term_parts(m: &str) -> Option<(&str, &str)> {
    let open = m.find('(')?;
    let name = m.get(..open)?.trim_end();
    let rest = m.get(open..)?;
    let q = rest.find(['"', '“'])?;
    let q_len = rest.get(q..)?.chars().next()?.len_utf8();
    let term = rest.get(q + q_len..)?;
    let end = term.find(['"', '”'])?;
    Some((name, term.get(..end)?))
}

impl Context {
    fn of(paras: &[Para], announced: Option<NaiveDate>) -> Context {
        let mut terms: Vec<(String, String)> = Vec::new();
        let mut agreements: Vec<(String, NaiveDate)> = Vec::new();
        let mut events: Vec<(String, NaiveDate)> = Vec::new();
        let mut zh_terms: Vec<(String, String)> = Vec::new();
        for p in paras {
            if p.text.contains('「') {
                for c in ZH_ALIAS.captures_iter(&p.text) {
                    let (Some(full), Some(short)) = (c.get(1), c.get(2)) else {
                        continue;
                    };
                    let (full, short) = (full.as_str(), short.as_str());
                    // The full name starts at the short name's surname
                    // ("控股股東劉志榮先生" for "劉先生").
                    let surname = short.chars().next().unwrap_or('先');
                    let full = full.find(surname).map_or(full, |at| &full[at..]);
                    if !zh_terms.iter().any(|(t, _)| t == short) {
                        zh_terms.push((short.to_string(), full.to_string()));
                    }
                }
            }
            // `12 March 2026 (the "Listing Date")` (every match holds "Date"
            // in a quote), `the Listing Date (being 12 March 2026)` and
            // `"Closing Date" means 12 March 2026`: the day's group, then the
            // name's.
            let defined = (p.text.contains("Date\"") || p.text.contains("Date”")).then_some((
                &*DEFINED_DAY,
                1,
                2,
            ));
            let being = p.text.contains("being").then_some((&*DAY_BEING, 2, 1));
            let means = p.text.contains("means").then_some((&*DAY_MEANS, 2, 1));
            for (re, day_at, name_at) in defined.into_iter().chain(being).chain(means) {
                for c in re.captures_iter(&p.text) {
                    let day = c.get(day_at).and_then(|m| parse_date(m.as_str()));
                    let name = c
                        .get(name_at)
                        .map(|m| collapse_ws(&m.as_str().to_ascii_lowercase()));
                    if let (Some(day), Some(name)) = (day, name) {
                        if !events.iter().any(|(e, _)| *e == name) {
                            events.push((name, day));
                        }
                    }
                }
            }
            for m in DEFINED_TERM.find_iter(&p.text) {
                if let Some((name, term)) = defined_term_parts(m.as_str()) {
                    let name = collapse_ws(name);
                    let term = collapse_ws(term);
                    if !terms.iter().any(|(t, _)| *t == term) {
                        terms.push((term, name));
                    }
                }
            }
            // Every match holds "entered" (no letter of it has a case
            // fold outside ASCII): most paragraphs are passed over here.
            if !contains_ignore_case(&p.text, "entered") {
                continue;
            }
            for c in ENTERED_INTO.captures_iter(&p.text) {
                let Some(day) = c.get(1).and_then(|m| parse_date(m.as_str())) else {
                    continue;
                };
                let after = c.get(2).map_or("", |m| m.as_str());
                for a in AGREEMENT_NAME.captures_iter(after) {
                    if let Some(m) = a.get(1).or_else(|| a.get(2)) {
                        let name = collapse_ws(&m.as_str().to_ascii_lowercase());
                        let name = name.strip_prefix("the ").unwrap_or(&name).to_string();
                        if !agreements.iter().any(|(n, _)| *n == name) {
                            agreements.push((name, day));
                        }
                    }
                }
            }
        }
        Context {
            announced,
            terms,
            agreements,
            events,
            zh_terms,
        }
    }

    /// The short names the announcement defines for `name`.
    fn short_names<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.terms
            .iter()
            .filter(move |(_, n)| n == name)
            .map(|(t, _)| t.as_str())
    }

    /// The full name a short name stands for; the issuer's own ("the
    /// Company") is no shareholder's lock-up.
    fn party(&self, term: &str) -> Option<&str> {
        if term == "Company" || term == "Group" || term == "Board" {
            return None;
        }
        self.terms
            .iter()
            .find(|(t, _)| t == term)
            .map(|(_, n)| n.as_str())
    }
}

fn lockups_in(p: &Para, ctx: &Context) -> Vec<LockUp> {
    let text = &p.text;
    if !LOCKUP_CUE.is_match(text) {
        return Vec::new();
    }
    if text.contains("承諾") || text.contains("承诺") {
        return lockups_in_zh(p, ctx);
    }
    // Where the undertaking starts: at the first name.
    let persons: Vec<(String, usize)> = HONORIFIC_NAME
        .find_iter(text)
        .map(|m| {
            (
                m.as_str().trim_end_matches([',', '.']).to_string(),
                m.start(),
            )
        })
        .collect();
    // A short name the text defines for a person ("Mr. Chan Siu Ming
    // ("Mr. Chan")") is the same person again, wherever it stands.
    let aliases: Vec<&str> = persons
        .iter()
        .filter_map(|(n, at)| {
            let rest = text.get(at + n.len()..)?.trim_start_matches([',', ' ']);
            let quoted = rest
                .strip_prefix("(\"")
                .or_else(|| rest.strip_prefix("(“"))?;
            quoted.split(['"', '”']).next()
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    let persons: Vec<(String, usize)> = persons
        .into_iter()
        .filter(|(n, _)| !aliases.contains(&n.as_str()) && seen.insert(n.clone()))
        .collect();
    let entities: Vec<String> = BEING_RESPECTIVELY
        .captures(text)
        .or_else(|| {
            text.contains("respectively")
                .then(|| THROUGH_RESPECTIVELY.captures(text))
                .flatten()
        })
        .and_then(|c| c.get(1))
        .map(|m| split_list(m.as_str()))
        .unwrap_or_default();

    let mut start = None;
    let mut end = None;
    let mut months = None;
    let lc = text.to_ascii_lowercase();
    let mut kind = if lc.contains("extend") || lc.contains("extension") {
        LockUpKind::Extension
    } else {
        LockUpKind::Undertaking
    };
    if let Some((s, e, m)) = may_hold(text, &["period of "])
        .then(|| DURATION.captures(text))
        .flatten()
        .and_then(|c| duration(&c, ctx))
    {
        (start, end, months) = (Some(s), e, m);
    }
    if start.is_none() && may_hold(text, &["ending", "expiring"]) {
        if let Some(c) = COMMENCING_ENDING.captures(text) {
            start = c.get(1).and_then(|m| stated_date(m.as_str(), ctx));
            end = c.get(2).and_then(|m| parse_date(m.as_str()));
        }
    }
    if start.is_none() && end.is_none() && may_hold(text, &["from"]) {
        if let Some(c) = FROM_TO.captures(text) {
            start = c.get(1).and_then(|m| stated_date(m.as_str(), ctx));
            end = c.get(2).and_then(|m| parse_date(m.as_str()));
        }
    }
    if start.is_none() && may_hold(text, &["for", "within"]) {
        if let Some((s, e, m)) = DURATION_FOR.captures(text).and_then(|c| duration(&c, ctx)) {
            (start, end, months) = (Some(s), e, m);
        }
    }
    if end.is_none() && may_hold(text, &["extend"]) {
        if let Some(c) = EXTEND_TO.captures(text) {
            end = c.get(1).and_then(|m| parse_date(m.as_str()));
            kind = LockUpKind::Extension;
        }
    }
    if end.is_none() && may_hold(text, &["expir", "end"]) {
        if let Some(c) = EXPIRE_ON.captures(text) {
            end = c.get(1).and_then(|m| parse_date(m.as_str()));
            if lc.contains("expired") || lc.contains("has ended") {
                kind = LockUpKind::Expiry;
            }
        }
    }
    if end.is_none() && may_hold(text, &["until", "till", "up"]) {
        if let Some(c) = UNTIL.captures(text) {
            end = c.get(1).and_then(|m| parse_date(m.as_str()));
        }
    }
    if start.is_none() && end.is_none() {
        // A period from an event the announcement does not date ("12
        // months from the Listing Date"): the undertaking stands, its days
        // unknown.
        match undated_duration(text) {
            Some(m) => months = m,
            None => return Vec::new(),
        }
    }
    let mut persons = persons;
    if persons.is_empty() && text.contains("announce") {
        if let Some(m) = CORPORATE_PARTY.captures(text).and_then(|c| c.get(1)) {
            persons.push((m.as_str().to_string(), m.start()));
        }
    }
    // A party by the short name the announcement gave it: "The Vendor has
    // undertaken to the Placing Agent that ... it will not sell".
    if persons.is_empty() && text.contains("undert") {
        if let Some(m) = TERM_UNDERTAKES.captures(text).and_then(|c| c.get(1)) {
            if let Some(name) = ctx.party(m.as_str()) {
                persons.push((name.to_string(), m.start()));
            }
        }
    }
    if persons.is_empty() && (text.contains("Investor") || text.contains("Shareholder")) {
        if let Some(m) = GROUP_PARTY.captures(text).and_then(|c| c.get(1)) {
            persons.push((m.as_str().to_string(), m.start()));
        }
    }
    if persons.is_empty() {
        return Vec::new();
    }
    let mut entities = entities;
    if entities.is_empty() && persons.len() == 1 {
        // "Mr. A and B Limited": after the name, or after a short name the
        // announcement gave the person ("Mr. Lau Chi Wing ("Mr. Lau") ...
        // Mr. Lau and Evergreen Crest Limited have undertaken").
        let (name, at) = &persons[0];
        let short: Vec<&str> = aliases
            .iter()
            .copied()
            .chain(ctx.short_names(name))
            .filter(|a| !a.is_empty())
            .collect();
        let end = at + name.len();
        let afters = std::iter::once(end + text.get(end..).map_or(0, short_name_after)).chain(
            short
                .iter()
                .flat_map(|a| text.match_indices(a).map(|(i, a)| i + a.len())),
        );
        for after in afters {
            if let Some(m) = text
                .get(after..)
                .and_then(|t| AND_ENTITY.captures(t))
                .and_then(|c| c.get(1))
            {
                entities.push(m.as_str().to_string());
                break;
            }
        }
    }
    let shares = may_hold(text, &["dispos"])
        .then(|| SHARES_WORDS.captures(text))
        .flatten()
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().trim().to_string());
    let share_count = may_hold(text, &["share"])
        .then(|| SHARE_COUNT.captures(text))
        .flatten()
        .and_then(|c| c.get(1))
        .and_then(|m| parse_int(m.as_str()));
    let paired = entities.len() == persons.len() && lc.contains("respectively");
    let single_entity = if entities.len() == 1 && persons.len() == 1 {
        entities.first().cloned()
    } else {
        None
    };
    persons
        .iter()
        .enumerate()
        .map(|(i, (name, off))| {
            let entity = if paired {
                entities.get(i).cloned()
            } else {
                single_entity.clone()
            };
            let mut lines = Lines::new();
            lines.insert("party".into(), p.line_at(*off));
            LockUp {
                // A short name defined in another paragraph ("Ms. Cheung
                // Ka Yan ("Ms. Cheung")") stands for the full one.
                party: ctx.party(name).unwrap_or(name).to_string(),
                entity,
                shares: shares.clone(),
                share_count,
                start: start.map(iso),
                end: end.map(iso),
                months,
                kind,
                lines,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_name_defined_after_a_name_is_measured_whole() {
        assert_eq!(short_name_after(" (\"Mr. Ho\") and Sino"), 11);
        assert_eq!(
            short_name_after(" (“Mr. Ho”) and Sino"),
            " (“Mr. Ho”)".len()
        );
        assert_eq!(short_name_after(" and Sino"), 0);
        assert_eq!(short_name_after(" (\"Mr. Ho\" and"), 0);
        assert_eq!(short_name_after(" (\"unclosed"), 0);
    }

    /// The company named after a person in Chinese, in the phrasings
    /// announcements use; prose that names no company gives none.
    #[test]
    fn a_company_named_after_a_person_in_chinese_is_the_entity() {
        let cases = [
            (
                "及其全資擁有的公司常青峰有限公司已向本公司承諾",
                Some("常青峰有限公司"),
            ),
            (
                "（透過其全資擁有的公司宏達投資有限公司）承諾",
                Some("宏達投資有限公司"),
            ),
            (
                "（「劉先生」）及其全資附屬公司Sky Peak Limited承諾",
                Some("Sky Peak Limited"),
            ),
            (
                "通過其控制的公司遠景控股有限公司持有",
                Some("遠景控股有限公司"),
            ),
            ("已向本公司承諾，不會出售任何股份", None),
            ("及本公司訂立協議", None),
        ];
        for (rest, want) in cases {
            assert_eq!(zh_entity_after(rest), want, "{rest}");
        }
    }

    #[test]
    fn chinese_numerals_count_months() {
        let cases = [
            ("六", 6),
            ("十", 10),
            ("十二", 12),
            ("十八", 18),
            ("二十四", 24),
            ("兩", 2),
            ("36", 36),
        ];
        for (s, n) in cases {
            assert_eq!(zh_number(s), Some(n), "{s}");
        }
        assert_eq!(zh_number("百"), None);
        assert_eq!(zh_number(""), None);
    }

    #[test]
    fn chinese_persons_are_found_by_their_titles_one_each() {
        // At most five characters before a title: "股東劉志榮先生".
        let text = "控股股東劉志榮先生（「劉先生」）告知，張女士及陳先生已承諾";
        let found: Vec<&str> = zh_mentions(text).into_iter().map(|(m, _)| m).collect();
        assert_eq!(
            found,
            vec!["股東劉志榮先生", "劉先生", "張女士", "及陳先生"]
        );
        let ctx = Context {
            announced: None,
            terms: Vec::new(),
            agreements: Vec::new(),
            events: Vec::new(),
            zh_terms: vec![("劉先生".into(), "劉志榮先生".into())],
        };
        assert_eq!(zh_person("控股股東劉志榮先生", &ctx), "劉志榮先生");
        assert_eq!(zh_person("劉先生", &ctx), "劉志榮先生");
        // No short name defined: the last three characters, less a joining word.
        assert_eq!(zh_person("董事王大文先生", &ctx), "王大文先生");
        assert_eq!(zh_person("及陳先生", &ctx), "陳先生");
    }

    #[test]
    fn a_chinese_signature_line_gives_its_date() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(place_and_zh_date("香港，2025年6月3日"), d(2025, 6, 3));
        assert_eq!(
            place_and_zh_date("中國北京, 2025 年 1 月 6 日"),
            d(2025, 1, 6)
        );
        // A sentence that ends on a date is not the signature.
        assert_eq!(
            place_and_zh_date("本公司於2025年6月3日，2025年6月3日"),
            None
        );
        assert_eq!(place_and_zh_date("香港，2025年6月3日舉行"), None);
        assert_eq!(place_and_zh_date("2025年6月3日"), None);
    }

    #[test]
    fn a_signature_line_may_name_another_place_than_hong_kong() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(
            place_and_date("Beijing, the PRC, 6 January 2025"),
            d(2025, 1, 6)
        );
        assert_eq!(place_and_date("Hong Kong SAR, 3 June 2025"), d(2025, 6, 3));
        assert_eq!(place_and_date("Singapore, March 3, 2025"), d(2025, 3, 3));
        assert_eq!(
            place_and_date("Shenzhen, the People’s Republic of China, 28 August 2024"),
            d(2024, 8, 28)
        );
        // A sentence, a list or a date that goes on is no signature line.
        assert_eq!(place_and_date("As at 30 June 2024, 1,200,000 Shares"), None);
        assert_eq!(
            place_and_date("the lock-up ended on 3 June 2025, as announced"),
            None
        );
        assert_eq!(place_and_date("Mr. Chan, 2 Directors, 3 June 2025"), None);
        assert_eq!(place_and_date("Beijing, the PRC"), None);
    }

    proptest::proptest! {
        /// `defined_term_parts` reads the groups the capturing search finds,
        /// in text of names, companies, quotes and parentheses: a definition
        /// each piece of which may be missing or doubled, among noise.
        #[test]
        fn defined_term_parts_are_the_regex_groups(
            noise in "[A-Za-z \"“”()’'.-]{0,10}",
            name in proptest::sample::select(vec![
                "Mr. Chan Siu Ming", "Ms. O’Neil", "Silver Reed Holdings Limited",
                "Oak Tree Co. Ltd.", "Dr. Lee", "Mr.", "Alpha Inc.",
            ]),
            gap in proptest::sample::select(vec!["", " ", "  ", "\n"]),
            open in proptest::sample::select(vec!["(", "( ", "(the ", "(The ", "((the "]),
            q1 in proptest::sample::select(vec!["\"", "“", "”", ""]),
            term in proptest::sample::select(vec![
                "Vendor", "Placing Agent", "Mr. Chan", "vendor", "A-B Term", "Vendor\"X",
            ]),
            q2 in proptest::sample::select(vec!["\"", "”", "“", ""]),
            close in proptest::sample::select(vec![")", " )", "", "))"]),
            tail in "[A-Za-z \"“”()]{0,10}",
        ) {
            let text = format!("{noise}{name}{gap}{open}{q1}{term}{q2}{close}{tail}");
            for c in DEFINED_TERM.captures_iter(&text) {
                let whole = c.get(0).map_or("", |m| m.as_str());
                let groups = c.get(1).zip(c.get(2)).map(|(n, t)| (n.as_str(), t.as_str()));
                proptest::prop_assert_eq!(defined_term_parts(whole), groups);
            }
        }
    }

    #[test]
    fn defined_term_parts_of_a_definition() {
        let text = "entered into by Silver Reed Holdings Limited (the “Vendor”) and Mr. Chan Siu Ming (\"Chairman\")";
        let parts: Vec<_> = DEFINED_TERM
            .find_iter(text)
            .filter_map(|m| defined_term_parts(m.as_str()))
            .collect();
        assert_eq!(
            parts,
            vec![
                ("Silver Reed Holdings Limited", "Vendor"),
                ("Mr. Chan Siu Ming", "Chairman")
            ]
        );
    }

    /// A count column's class is the words between "Number of" and
    /// "Shares"; a head with none, or whose words a layout extraction
    /// interleaved with the next head's, names no class.
    #[test]
    fn count_columns_name_their_class_when_their_heads_say_it() {
        let heads = "Name Number of Domestic Shares held in the Company subject to \
                     lock-up Number of H Shares held in the Company % of total issued \
                     Shares Last day";
        assert_eq!(
            count_columns(heads),
            vec![
                Some("Domestic Shares".to_string()),
                Some("H Shares".to_string())
            ]
        );
        assert_eq!(
            count_columns("Number of shares held in the Company Number of H Shares held"),
            vec![None, Some("H Shares".to_string())]
        );
        // Side by side: "Number of Domestic   Number of H" over "Shares held in   Shares held in".
        assert_eq!(
            count_columns(
                "Number of Domestic Number of H % of total Shares held in Shares held in"
            ),
            vec![None, None]
        );
        assert_eq!(
            count_columns("Number of Offer Shares % of shareholding"),
            vec![Some("Offer Shares".to_string())]
        );
        assert!(count_columns("Name Shares subject to lock-up").is_empty());
    }

    /// A row's entries: one per class when each column names a distinct
    /// class (a nil column passed over); else its first count, with the
    /// class of a table's only column.
    #[test]
    fn row_counts_split_by_class_only_when_every_column_names_one() {
        let dom_h = vec![
            Some("Domestic Shares".to_string()),
            Some("H Shares".to_string()),
        ];
        assert_eq!(
            row_counts(&[(8, 1), (52, 2)], &dom_h),
            vec![
                (Some("Domestic Shares".to_string()), 8, 1),
                (Some("H Shares".to_string()), 52, 2)
            ]
        );
        assert_eq!(
            row_counts(&[(0, 1), (4, 2)], &dom_h),
            vec![(Some("H Shares".to_string()), 4, 2)]
        );
        // All shares, then the H shares among them: not added up.
        let all_h = vec![None, Some("H Shares".to_string())];
        assert_eq!(row_counts(&[(9, 1), (9, 2)], &all_h), vec![(None, 9, 1)]);
        // Two columns of one class: no split either.
        let same = vec![Some("H Shares".to_string()), Some("H Shares".to_string())];
        assert_eq!(row_counts(&[(3, 1), (2, 2)], &same), vec![(None, 3, 1)]);
        let one = vec![Some("Offer Shares".to_string())];
        assert_eq!(
            row_counts(&[(5, 7)], &one),
            vec![(Some("Offer Shares".to_string()), 5, 7)]
        );
        assert_eq!(row_counts(&[(5, 7)], &[]), vec![(None, 5, 7)]);
    }

    /// Word boundaries are ASCII ones (`(?-u:\b)`): a name or a code
    /// printed right after a Chinese character is still found, and the
    /// regexes stay on the fast engines on text that is not ASCII.
    #[test]
    fn names_and_codes_right_after_chinese_characters_are_found() {
        let m = HONORIFIC_NAME
            .find("執行董事Mr. Chan Tai Man 及")
            .map(|m| m.as_str());
        assert_eq!(m, Some("Mr. Chan Tai Man"));
        let c = STOCK_CODE.captures("(Stock Code: 0020股份)");
        assert_eq!(c.and_then(|c| c.get(1)).map(|m| m.as_str()), Some("0020"));
        // A boundary is still needed between ASCII word characters.
        assert!(HONORIFIC_NAME.find("XMr. Chan").is_none());
    }

    fn parse_str(s: &str) -> Filing {
        let mut f = Filing::new("a.txt", Kind::Announcement, Form::Announcement);
        let lines: Vec<String> = s.lines().map(|l| l.to_string()).collect();
        parse(&mut f, &lines);
        f
    }

    #[test]
    fn two_years_from_december_30_ends_december_29_two_years_later() {
        let s = NaiveDate::from_ymd_opt(2022, 12, 30).unwrap();
        assert_eq!(period_end(s, 24).map(iso).as_deref(), Some("2024-12-29"));
        let s = NaiveDate::from_ymd_opt(2024, 1, 31).unwrap();
        assert_eq!(period_end(s, 1).map(iso).as_deref(), Some("2024-02-29"));
    }

    /// Straight quotes, an agreement named in capitals where it is made;
    /// a short name the text never defined is no party.
    #[test]
    fn a_defined_party_and_a_dated_agreement_give_the_lock_up_its_dates() {
        let text = "Meridian Orchard Holdings Limited\n\n(Stock Code: 2219)\n\n\
            On 14 October 2025 (after trading hours), the Company, Bright Harvest Investments Limited (the\n\
            \"Vendor\") and Pacific Crest Securities Limited (the \"Placing Agent\") entered into the Placing and\n\
            Subscription Agreement.\n\n\
            The Vendor has undertaken to the Placing Agent that, for a period of 90 days from the date of the\n\
            Placing and Subscription Agreement, it will not sell any Shares held by it.\n\n\
            The Subscriber has undertaken that, for a period of 90 days from the date of the Placing and\n\
            Subscription Agreement, it will not sell any Shares held by it.\n\n\
            Hong Kong, 14 October 2025\n";
        let f = parse_str(text);
        let got: Vec<(&str, Option<&str>, Option<&str>)> = f
            .lockups
            .iter()
            .map(|l| (l.party.as_str(), l.start.as_deref(), l.end.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![(
                "Bright Harvest Investments Limited",
                Some("2025-10-14"),
                Some("2026-01-11")
            )]
        );
        // An agreement the announcement does not date gives no start.
        let undated = text.replace("entered into the Placing and\nSubscription", "signed the");
        assert!(parse_str(&undated).lockups.is_empty());
    }

    #[test]
    fn persons_are_paired_with_entities_by_respectively() {
        let f = parse_str(
            "Harbour Tech Limited\n\n(incorporated in Bermuda with limited liability)\n\n(Stock Code: 1234)\n\n\
             LOCK-UP UNDERTAKING\n\n\
             Mr. Chan Tai Man and Ms. Wong Siu Ling and the entities controlled by them (being Alpha Ltd. and Beta Inc. respectively) \
             have undertaken not to dispose of any ordinary shares of the Company for a period of six months commencing on 1 March 2024.\n\n\
             Hong Kong, 28 February 2024\n",
        );
        assert_eq!(f.issuer.as_deref(), Some("Harbour Tech Limited"));
        assert_eq!(f.stock_codes, vec!["01234"]);
        assert_eq!(f.date.as_deref(), Some("2024-02-28"));
        assert_eq!(f.title.as_deref(), Some("LOCK-UP UNDERTAKING"));
        assert_eq!(f.lockups.len(), 2);
        assert_eq!(f.lockups[1].party, "Ms. Wong Siu Ling");
        assert_eq!(f.lockups[1].entity.as_deref(), Some("Beta Inc."));
        assert_eq!(f.lockups[0].end.as_deref(), Some("2024-08-31"));
        assert_eq!(f.lockups[0].months, Some(6));
        assert_eq!(f.lockups[0].shares.as_deref(), Some("ordinary shares"));
    }

    const LAM: &str = "Greenfield Robotics Holdings Limited\n\n(Stock Code: 2318)\n\n\
        VOLUNTARY LOCK-UP UNDERTAKING BY THE CONTROLLING SHAREHOLDER\n\n\
        The board announces that Mr. Lam Chi Keung, a controlling shareholder of the Company, \
        has voluntarily undertaken to the Company that he will not, PERIOD, sell or otherwise \
        dispose of any of the 1,200,000,000 Shares held by him.\n\n\
        Hong Kong, 3 March 2025\n";

    /// "commencing on the date of this announcement and ending on ...": the
    /// start is the announcement's own day.
    #[test]
    fn a_period_from_the_date_of_the_announcement_starts_on_its_day() {
        let f = parse_str(&LAM.replace(
            "PERIOD",
            "during the period commencing on the date of this announcement and ending on 2 March 2026 (both days inclusive)",
        ));
        assert_eq!(f.lockups.len(), 1, "{:?}", f.findings);
        let l = &f.lockups[0];
        assert_eq!(l.party, "Mr. Lam Chi Keung");
        assert_eq!(l.start.as_deref(), Some("2025-03-03"));
        assert_eq!(l.end.as_deref(), Some("2026-03-02"));
        assert_eq!(l.share_count, Some(1_200_000_000));

        let f = parse_str(&LAM.replace(
            "PERIOD",
            "for a period of twelve months commencing from the date of this announcement",
        ));
        assert_eq!(f.lockups[0].start.as_deref(), Some("2025-03-03"));
        assert_eq!(f.lockups[0].end.as_deref(), Some("2026-03-02"));
        assert_eq!(f.lockups[0].months, Some(12));

        let f = parse_str(&LAM.replace(
            "PERIOD",
            "during the period commencing on 10 March 2025 and ending on 9 September 2025",
        ));
        assert_eq!(f.lockups[0].start.as_deref(), Some("2025-03-10"));
        assert_eq!(f.lockups[0].end.as_deref(), Some("2025-09-09"));
    }

    /// The entity a person holds through, named after the person's
    /// description or in "(through ...)"; a company undertaking on its own
    /// after "announces that on <date>,".
    #[test]
    fn entities_held_through_and_corporate_parties_are_named() {
        let period = "for a period of 12 months commencing on 3 March 2025";
        for (who, entity) in [
            (
                "Mr. Lam Chi Keung, the chairman of the Board, and Golden Path Holdings Limited, a company wholly owned by him,",
                "Golden Path Holdings Limited",
            ),
            (
                "Mr. Lam Chi Keung (through Golden Path Holdings Limited, a company wholly owned by him)",
                "Golden Path Holdings Limited",
            ),
            ("Mr. Lam Chi Keung, through Seaview Investments Limited,", "Seaview Investments Limited"),
        ] {
            let text = LAM
                .replace(
                    "Mr. Lam Chi Keung, a controlling shareholder of the Company,",
                    who,
                )
                .replace("PERIOD", period);
            let f = parse_str(&text);
            assert_eq!(f.lockups.len(), 1, "{who}");
            assert_eq!(f.lockups[0].party, "Mr. Lam Chi Keung");
            assert_eq!(f.lockups[0].entity.as_deref(), Some(entity), "{who}");
        }
        // A description with no company in it names no entity.
        let f = parse_str(&LAM.replace("PERIOD", period));
        assert_eq!(f.lockups[0].entity, None);

        let text = LAM
            .replace(
                "The board announces that Mr. Lam Chi Keung, a controlling shareholder of the Company, \
                 has voluntarily undertaken",
                "The board announces that on 3 March 2025, Golden Path Holdings Limited, the controlling \
                 shareholder of the Company, has undertaken",
            )
            .replace("PERIOD", period);
        assert!(text.contains("on 3 March 2025, Golden Path"));
        let f = parse_str(&text);
        assert_eq!(f.lockups.len(), 1, "{:?}", f.findings);
        assert_eq!(f.lockups[0].party, "Golden Path Holdings Limited");
    }

    /// "until 30 June 2026" and "from the Listing Date up to and including
    /// 30 June 2026" give the last day; the first is not stated.
    #[test]
    fn a_period_until_a_date_gives_its_end() {
        for period in [
            "at any time until 30 June 2026",
            "from the Listing Date up to and including 30 June 2026",
        ] {
            let f = parse_str(&LAM.replace("PERIOD", period));
            assert_eq!(f.lockups.len(), 1, "{period}: {:?}", f.findings);
            assert_eq!(f.lockups[0].start, None);
            assert_eq!(f.lockups[0].end.as_deref(), Some("2026-06-30"), "{period}");
        }
    }

    /// A headline announcing a lock-up whose period could not be read
    /// ("until the conclusion of the next annual general meeting") says that
    /// nothing could be read.
    #[test]
    fn a_lockup_headline_with_no_period_read_is_a_finding() {
        let unread = "until the conclusion of the next annual general meeting";
        let f = parse_str(&LAM.replace("PERIOD", unread));
        assert!(f.lockups.is_empty());
        assert!(f
            .findings
            .iter()
            .any(|x| x.code == codes::MISSING_FIELD && x.message.contains("lock-up")));
        // Other announcements stay silent about lock-ups.
        let f = parse_str(
            &LAM.replace(
                "VOLUNTARY LOCK-UP UNDERTAKING BY THE CONTROLLING SHAREHOLDER",
                "VOLUNTARY ANNOUNCEMENT",
            )
            .replace("PERIOD", unread),
        );
        assert!(f.findings.iter().all(|x| !x.message.contains("lock-up")));
    }

    /// A period from an event ("within 12 months from the Listing Date"):
    /// from its day where the announcement defines it ("12 March 2025 (the
    /// "Listing Date")"), else a lock-up of 12 months whose days are
    /// unknown, with a finding.
    #[test]
    fn a_period_from_an_event_starts_on_its_day_or_is_undated() {
        let period = "within 12 months from the Listing Date";
        let f = parse_str(&LAM.replace("PERIOD", period));
        assert_eq!(f.lockups.len(), 1, "{:?}", f.findings);
        let l = &f.lockups[0];
        assert_eq!(l.party, "Mr. Lam Chi Keung");
        assert_eq!((l.start.as_deref(), l.end.as_deref()), (None, None));
        assert_eq!(l.months, Some(12));
        assert!(f
            .findings
            .iter()
            .any(|x| x.code == codes::MISSING_FIELD && x.message.contains("does not date")));

        let dated = LAM.replace("PERIOD", period).replace(
            "Hong Kong, 3 March 2025",
            "Dealings in the Shares commenced on 12 March 2025 (the \"Listing Date\").\n\n\
             Hong Kong, 3 March 2025",
        );
        let f = parse_str(&dated);
        let l = &f.lockups[0];
        assert_eq!(l.start.as_deref(), Some("2025-03-12"));
        assert_eq!(l.end.as_deref(), Some("2026-03-11"));
        assert!(f
            .findings
            .iter()
            .all(|x| !x.message.contains("does not date")));

        // "for a period of six months from the Completion Date", in days too.
        let f = parse_str(&LAM.replace(
            "PERIOD",
            "for a period of ninety (90) days from the Completion Date",
        ));
        assert_eq!(f.lockups.len(), 1, "{:?}", f.findings);
        assert_eq!(f.lockups[0].months, None);
        assert_eq!(f.lockups[0].end, None);
    }

    /// The masthead's English name above its Chinese name, or above the
    /// stock code with no "(incorporated in ...)" line.
    #[test]
    fn the_masthead_name_is_found_above_the_chinese_name_and_the_stock_code() {
        let disclaimer =
            "Hong Kong Exchanges and Clearing Limited and The Stock Exchange of Hong Kong \
                          Limited take no responsibility for the contents of this announcement.";
        let f = parse_str(&format!(
            "{disclaimer}\n\nGREENLEAF MEDICAL HOLDINGS LIMITED\n綠葉醫療控股有限公司\n\
             (incorporated in the Cayman Islands with limited liability)\n(Stock Code: 2235)\n\n\
             PLACING OF EXISTING SHARES\n\nHong Kong, 3 March 2024\n"
        ));
        assert_eq!(
            f.issuer.as_deref(),
            Some("GREENLEAF MEDICAL HOLDINGS LIMITED")
        );
        assert_eq!(f.issuer_zh.as_deref(), Some("綠葉醫療控股有限公司"));
        assert_eq!(f.lines.get("issuer"), Some(&3));
        let f = parse_str(&format!(
            "{disclaimer}\n\nEASTWIND LOGISTICS HOLDINGS LIMITED\n(Stock Code: 8123)\n\n\
             CONNECTED TRANSACTION\n\nThe board of Eastwind Logistics Holdings Limited (the \
             \"Company\") announces a subscription.\n\nHong Kong, 12 January 2025\n"
        ));
        assert_eq!(
            f.issuer.as_deref(),
            Some("Eastwind Logistics Holdings Limited")
        );
        assert_eq!(f.title.as_deref(), Some("CONNECTED TRANSACTION"));
    }

    /// A short name the text defines for a person is the same party; the
    /// entities they hold through are paired by "respectively".
    #[test]
    fn a_defined_short_name_is_no_second_party_and_through_pairs_entities() {
        let f = parse_str(
            "(Stock Code: 1877)\n\nEXTENSION OF LOCK-UP UNDERTAKINGS\n\n\
             Mr. Chan Siu Ming (\"Mr. Chan\") and Ms. Lee Mei Ling (“Ms. Lee”), the controlling \
             shareholders of the Company, through Sunrise Holdings Limited and Moonlight \
             Investments Limited respectively, have undertaken that they will not dispose of any \
             Shares during the period from 16 June 2023 to 15 June 2024. Mr. Chan is the chairman.\n",
        );
        let got: Vec<(&str, Option<&str>)> = f
            .lockups
            .iter()
            .map(|l| (l.party.as_str(), l.entity.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Mr. Chan Siu Ming", Some("Sunrise Holdings Limited")),
                ("Ms. Lee Mei Ling", Some("Moonlight Investments Limited")),
            ]
        );
        assert_eq!(f.lockups[1].end.as_deref(), Some("2024-06-15"));
    }

    /// A period of days ends the day before as many days later; a number
    /// in words and figures is read by its figures.
    #[test]
    fn a_period_of_days_ends_the_day_before_as_many_days_later() {
        for period in [
            "for a period of ninety (90) days from the date of this announcement",
            "for 90 days from 3 March 2025",
        ] {
            let f = parse_str(&LAM.replace("PERIOD", period));
            assert_eq!(f.lockups.len(), 1, "{period}: {:?}", f.findings);
            let l = &f.lockups[0];
            assert_eq!(l.start.as_deref(), Some("2025-03-03"), "{period}");
            assert_eq!(l.end.as_deref(), Some("2025-05-31"), "{period}");
            assert_eq!(l.months, None, "{period}");
        }
        // Figures beside words: the figures (no word table needed).
        let f = parse_str(&LAM.replace(
            "PERIOD",
            "for a period of twenty-one (21) months commencing on 3 March 2025",
        ));
        assert_eq!(f.lockups[0].months, Some(21));
        assert_eq!(f.lockups[0].end.as_deref(), Some("2026-12-02"));
    }

    #[test]
    fn a_from_to_period_is_read_as_given() {
        let f = parse_str(
            "(Stock Code: 8888)\n\nVOLUNTARY ANNOUNCEMENT\n\n\
             Dr. Lee Ka Ho has undertaken to the Company that he will not sell any shares of the Company \
             from 1 January 2024 to 31 December 2024 (the lock-up period).\n",
        );
        assert_eq!(f.lockups.len(), 1);
        assert_eq!(f.lockups[0].start.as_deref(), Some("2024-01-01"));
        assert_eq!(f.lockups[0].end.as_deref(), Some("2024-12-31"));
        assert_eq!(f.lockups[0].entity, None);
        assert_eq!(f.lockups[0].kind, LockUpKind::Undertaking);
    }

    #[test]
    fn an_extension_names_its_new_end_date() {
        let f = parse_str(
            "(Stock Code: 0777)\n\nEXTENSION OF LOCK-UP PERIOD\n\n\
             Mr. Ho Chi Wai has agreed to extend the lock-up period under his undertaking to 30 June 2026.\n",
        );
        assert_eq!(f.lockups.len(), 1);
        assert_eq!(f.lockups[0].kind, LockUpKind::Extension);
        assert_eq!(f.lockups[0].end.as_deref(), Some("2026-06-30"));
    }

    #[test]
    fn a_wrapped_paragraph_keeps_the_line_of_each_name() {
        let f = parse_str(
            "(Stock Code: 0001)\n\nNOTICE OF LOCK-UP\n\nThe Company announces that\n\
             Mr. Tam Wai has undertaken not to dispose of 1,000,000 shares of the Company for a period of\n\
             12 months commencing on 2 January 2025.\n",
        );
        let l = &f.lockups[0];
        assert_eq!(l.lines.get("party"), Some(&6));
        assert_eq!(l.share_count, Some(1_000_000));
        assert_eq!(l.end.as_deref(), Some("2026-01-01"));
    }
}
