//! From bytes to a [`Filing`]: decode, detect the kind and form, hand the
//! lines to the form's parser, then run the single-filing checks.

pub mod announcement;
pub mod ff301;
pub mod legacy;
pub mod ndr;
mod phrase;
pub mod text;
pub mod values;

use super::model::*;
use std::path::Path;

/// Files larger than this are refused (`too_large`): no filing is near it.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Parser version: bump when any parser's output changes (the cache keys on it).
pub const PARSER_VERSION: u32 = 1;

/// What the text looks like, decided from its first lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    Ff301,
    Legacy,
    Ndr(Form),
    Announcement,
    NotAFiling,
}

/// A file's text: [`decode_bytes`], and an HTML page's text as
/// [`super::html::to_text`] gives it (what the parser reads, so that the
/// source view numbers lines alike).
pub fn decode(file: &str, bytes: &[u8]) -> Result<(String, Option<Finding>), FileError> {
    decode_page(file, bytes).map(|(text, finding, _)| (text, finding))
}

/// [`decode`], and whether the file was an HTML page.
fn decode_page(file: &str, bytes: &[u8]) -> Result<(String, Option<Finding>, bool), FileError> {
    let (text, finding) = decode_bytes(file, bytes)?;
    if super::html::is_html(&text) {
        return Ok((super::html::to_text(&text), finding, true));
    }
    Ok((text, finding, false))
}

/// Decode a file's bytes into text. UTF-8 first; UTF-16 with a BOM; then Big5
/// and GBK (Chinese filings saved by older tools), whichever decodes with fewer
/// errors, with an `encoding_fallback` finding naming it. Empty, binary and
/// oversized files are errors naming the reason.
fn decode_bytes(file: &str, bytes: &[u8]) -> Result<(String, Option<Finding>), FileError> {
    let err = |kind: ErrorKind, msg: &str| FileError {
        file: file.to_string(),
        error: msg.to_string(),
        error_kind: kind,
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(err(ErrorKind::Empty, "the file is empty"));
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(err(
            ErrorKind::TooLarge,
            &format!("the file is {} bytes, over the 64 MiB limit", bytes.len()),
        ));
    }
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if enc == encoding_rs::UTF_8 {
            if had_errors {
                return Err(err(
                    ErrorKind::Encoding,
                    "invalid UTF-8 after a UTF-8 byte order mark",
                ));
            }
            return Ok((text.into_owned(), None));
        }
        if had_errors {
            return Err(err(
                ErrorKind::Encoding,
                &format!("invalid {} text", enc.name()),
            ));
        }
        let f = Finding::new(
            Level::Info,
            codes::ENCODING_FALLBACK,
            format!("decoded as {} (byte order mark)", enc.name()),
        );
        return Ok((text.into_owned(), Some(f)));
    }
    if let Some(what) = known_binary(bytes) {
        return Err(err(
            ErrorKind::Binary,
            &format!("the file is {what}, not text: save it as PDF or as text to read it"),
        ));
    }
    if bytes.contains(&0) {
        return Err(err(ErrorKind::Binary, "the file holds NUL bytes: not text"));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), None));
    }
    let mut best: Option<(usize, &'static encoding_rs::Encoding, String)> = None;
    for enc in [encoding_rs::BIG5, encoding_rs::GBK] {
        let (text, _, _) = enc.decode(bytes);
        let bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
        if best.as_ref().is_none_or(|(b, _, _)| bad < *b) {
            best = Some((bad, enc, text.into_owned()));
        }
    }
    match best {
        Some((bad, enc, text)) if bad * 50 <= text.chars().count().max(1) => {
            let f = Finding::new(
                Level::Info,
                codes::ENCODING_FALLBACK,
                format!("not UTF-8: decoded as {}", enc.name()),
            );
            Ok((text, Some(f)))
        }
        _ => Err(err(
            ErrorKind::Encoding,
            "not UTF-8, UTF-16, Big5 or GBK text",
        )),
    }
}

/// Hash of the normalised text: letters and digits only, lower-cased, so that
/// a byte-identical copy and a re-extraction with other spacing hash alike.
pub fn content_hash(text: &str) -> String {
    hash_and_script(text).0
}

/// ASCII letters and digits lower-cased; every other ASCII byte is 0 (dropped).
const ASCII_KEEP: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    t
};

/// The content hash, with the counts of CJK ideographs and of ASCII letters
/// that decide the language, in one pass over the text.
fn hash_and_script(text: &str) -> (String, usize, usize) {
    use xxhash_rust::xxh3::Xxh3;
    const BLOCK: usize = 4096;
    let mut h = Xxh3::new();
    // The kept bytes are gathered in a stack buffer and hashed a block at a
    // time (the streaming hash is the same however it is fed): hashing them
    // one by one was a fifth of the parse time. The slack holds one
    // character's lower-case expansion (at most 3 chars of 4 bytes).
    let mut buf = [0u8; BLOCK + 16];
    let mut n = 0;
    let (mut cjk, mut latin) = (0usize, 0usize);
    let bytes = text.as_bytes();
    let mut i = 0;
    let wide = keep16::available();
    while i < bytes.len() {
        // ASCII runs sixteen bytes at a time where the processor can gather
        // the kept bytes of a chunk in one instruction.
        if wide {
            loop {
                let (j, m, letters) = keep16::run(bytes, i, &mut buf, n, BLOCK);
                (i, n) = (j, m);
                latin += letters;
                if n < BLOCK {
                    break;
                }
                h.update(&buf[..n]);
                n = 0;
            }
        }
        // ASCII runs, eight bytes at a time while they last: a table lookup
        // per byte, no branch on the byte's class.
        while let Some(chunk) = bytes.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let w = u64::from_le_bytes(word);
            if w & 0x8080_8080_8080_8080 != 0 {
                break;
            }
            // Eight spaces (the padding of a layout extraction): nothing kept.
            if w == 0x2020_2020_2020_2020 {
                i += 8;
                continue;
            }
            if n + 8 > BLOCK {
                h.update(&buf[..n]);
                n = 0;
            }
            for b in word {
                let k = ASCII_KEEP[usize::from(b)];
                buf[n] = k;
                n += usize::from(k != 0);
                latin += usize::from(k >= b'a');
            }
            i += 8;
        }
        while let Some(&b) = bytes.get(i).filter(|b| b.is_ascii()) {
            let k = ASCII_KEEP[b as usize];
            buf[n] = k;
            n += usize::from(k != 0);
            latin += usize::from(k >= b'a');
            i += 1;
            if n >= BLOCK {
                h.update(&buf[..n]);
                n = 0;
            }
        }
        // `i` only ever advances by whole characters, so it is a char boundary.
        let Some(c) = text.get(i..).and_then(|r| r.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        cjk += usize::from(is_cjk(c));
        if c.is_alphanumeric() {
            for lc in c.to_lowercase() {
                n += text::fold_lookalike(lc)
                    .encode_utf8(&mut buf[n..n + 4])
                    .len();
            }
            if n >= BLOCK {
                h.update(&buf[..n]);
                n = 0;
            }
        }
    }
    h.update(&buf[..n]);
    (format!("{:016x}", h.digest()), cjk, latin)
}

/// The ASCII part of the content hash's normalisation, sixteen bytes at a
/// time: letters and digits kept, lower-cased, gathered to the front.
/// (x86-64 with SSSE3 and POPCNT, found at run time; elsewhere the byte loop
/// does it.)
mod keep16 {
    #[cfg(target_arch = "x86_64")]
    pub fn available() -> bool {
        std::arch::is_x86_feature_detected!("ssse3")
            && std::arch::is_x86_feature_detected!("popcnt")
    }

    #[cfg(not(target_arch = "x86_64"))]
    pub fn available() -> bool {
        false
    }

    /// From `bytes[i..]`, whole 16-byte chunks of ASCII while `n` is below
    /// `limit`: their kept bytes appended to `buf` at `n`. Returns the new `i`
    /// and `n` and the letters kept. `buf` must hold `limit + 16` bytes.
    #[cfg(target_arch = "x86_64")]
    pub fn run(
        bytes: &[u8],
        i: usize,
        buf: &mut [u8],
        n: usize,
        limit: usize,
    ) -> (usize, usize, usize) {
        assert!(available() && buf.len() >= limit + 16);
        // SAFETY: SSSE3 and POPCNT are present (asserted above); `run_ssse3` reads and
        // writes only inside the slices (its loop bounds).
        unsafe { run_ssse3(bytes, i, buf, n, limit) }
    }

    #[cfg(not(target_arch = "x86_64"))]
    pub fn run(_: &[u8], i: usize, _: &mut [u8], n: usize, _: usize) -> (usize, usize, usize) {
        (i, n, 0)
    }

    /// For each 8-bit mask, the shuffle that moves the bytes it marks to the
    /// front, in order (the rest of the control zeroes).
    #[cfg(target_arch = "x86_64")]
    const GATHER: [[u8; 8]; 256] = {
        let mut t = [[0x80u8; 8]; 256];
        let mut m = 0;
        while m < 256 {
            let (mut bit, mut k) = (0, 0);
            while bit < 8 {
                if m & (1 << bit) != 0 {
                    t[m][k] = bit as u8;
                    k += 1;
                }
                bit += 1;
            }
            m += 1;
        }
        t
    };

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "ssse3,popcnt")]
    unsafe fn run_ssse3(
        bytes: &[u8],
        mut i: usize,
        buf: &mut [u8],
        mut n: usize,
        limit: usize,
    ) -> (usize, usize, usize) {
        use std::arch::x86_64::*;
        let mut letters = 0usize;
        let eight = _mm_set1_epi8(8);
        while i + 16 <= bytes.len() && n < limit {
            // SAFETY: i + 16 <= bytes.len(); the stores write 8 bytes at n and
            // at most n + 8, both below limit + 16 <= buf.len().
            unsafe {
                let x = _mm_loadu_si128(bytes.as_ptr().add(i).cast());
                if _mm_movemask_epi8(x) != 0 {
                    break;
                }
                // OR 0x20 lower-cases letters and leaves digits as they are;
                // digits are tested on the byte itself (0x10-0x19 would pass
                // once OR-ed).
                let l = _mm_or_si128(x, _mm_set1_epi8(0x20));
                let letter = _mm_and_si128(
                    _mm_cmpgt_epi8(l, _mm_set1_epi8(0x60)),
                    _mm_cmplt_epi8(l, _mm_set1_epi8(0x7B)),
                );
                let digit = _mm_and_si128(
                    _mm_cmpgt_epi8(x, _mm_set1_epi8(0x2F)),
                    _mm_cmplt_epi8(x, _mm_set1_epi8(0x3A)),
                );
                let keep = _mm_movemask_epi8(_mm_or_si128(letter, digit)) as u32;
                letters += _mm_movemask_epi8(letter).count_ones() as usize;
                let (lo, hi) = ((keep & 0xFF) as usize, (keep >> 8) as usize);
                let c_lo = _mm_loadl_epi64(GATHER[lo].as_ptr().cast());
                let c_hi = _mm_add_epi8(_mm_loadl_epi64(GATHER[hi].as_ptr().cast()), eight);
                _mm_storel_epi64(buf.as_mut_ptr().add(n).cast(), _mm_shuffle_epi8(l, c_lo));
                n += lo.count_ones() as usize;
                _mm_storel_epi64(buf.as_mut_ptr().add(n).cast(), _mm_shuffle_epi8(l, c_hi));
                n += hi.count_ones() as usize;
            }
            i += 16;
        }
        (i, n, letters)
    }
}

/// Phrases only the later FF301 generations print, anywhere in the text.
const FF301_V12: [&str; 2] = ["public float sufficiency", "v 1.2."];
const FF301_V11: [&str; 2] = ["treasury shares", "listed on the exchange"];

/// An FF301 return's generation from the phrases only its later forms
/// print, on any line (ASCII case ignored; no phrase spans two lines): the
/// FF301 parser's answer when no page footer prints the version and no
/// section II heading tells.
pub fn ff301_generation<S: AsRef<str>>(lines: &[S]) -> Form {
    let mut all = String::with_capacity(lines.iter().map(|l| l.as_ref().len() + 1).sum());
    for l in lines {
        all.push_str(l.as_ref());
        all.push('\n');
    }
    all.make_ascii_lowercase();
    let anywhere = |ps: &[&str]| {
        ps.iter()
            .any(|p| memchr::memmem::find(all.as_bytes(), p.as_bytes()).is_some())
    };
    if anywhere(&FF301_V12) {
        Form::Ff301V12
    } else if anywhere(&FF301_V11) {
        Form::Ff301V11
    } else {
        Form::Ff301V10
    }
}

/// The phrases `detect` looks for in a text's lower-cased opening lines.
const DETECT_PHRASES: [&str; 25] = [
    "submitted",
    "name of",
    "nameof",
    "呈交",
    "名稱",
    "next day disclosure return",
    "equity issuer",
    "ff304",
    "ff305",
    "翌日披露報表",
    "上市發行人名稱",
    "呈交日期",
    "monthly return of equity issuer on movements in securities",
    "for the month ended (dd/mm/yyyy)",
    "股份發行人的證券變動月報表",
    "截至",
    "monthly return for equity issuer",
    "ff301",
    "monthly return",
    "movements in securities",
    "take no responsibility for the contents of this announcement",
    "stock code:",
    "(stock code",
    "股份代號",
    "terms used in this announcement",
];

/// Whether `hay` holds `phrase`. The searchers for [`DETECT_PHRASES`] are
/// built once (building one costs more than searching a return's opening
/// lines with it).
fn holds_phrase(hay: &[u8], phrase: &str) -> bool {
    static FINDERS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::LazyLock::new(|| {
            DETECT_PHRASES
                .iter()
                .map(|p| memchr::memmem::Finder::new(p.as_bytes()))
                .collect()
        });
    match DETECT_PHRASES.iter().position(|p| *p == phrase) {
        Some(i) => FINDERS[i].find(hay).is_some(),
        None => memchr::memmem::find(hay, phrase.as_bytes()).is_some(),
    }
}

/// Decide what a text is from its opening lines.
/// A Markdown note beside the filings (a README, a list of sources) opens
/// with a heading; it may name every form and quote their labels. A filing
/// converted to Markdown may open with a heading too, but that heading is
/// its form's title or its issuer's name.
fn markdown_note<S: AsRef<str>>(lines: &[S]) -> bool {
    const FILING_HEADS: [&str; 14] = [
        "monthly return of equity issuer",
        "monthly return for equity issuer",
        "next day disclosure return",
        "announcement",
        "limited",
        "inc.",
        "corporation",
        "holdings",
        "company",
        "co., ltd",
        "月報表",
        "披露報表",
        "公告",
        "公司",
    ];
    let first = lines
        .iter()
        .map(|l| l.as_ref())
        .find(|l| !l.trim().is_empty());
    let Some(head) = first.and_then(|l| text::markdown_heading(l.trim())) else {
        return false;
    };
    let lc = head.to_lowercase();
    !FILING_HEADS.iter().any(|h| lc.contains(h))
}

pub fn detect<S: AsRef<str>>(lines: &[S]) -> Detected {
    if markdown_note(lines) {
        return Detected::NotAFiling;
    }
    let first = lines
        .iter()
        .map(|l| l.as_ref())
        .find(|l| !l.trim().is_empty());
    // Nor does any start with JSON (an export, or a list of expected values
    // kept beside the filings, which quotes the forms' labels).
    if first.is_some_and(|l| {
        let t = l.trim_start();
        t.starts_with("{\"") || t.starts_with("[{") || t == "[" || t == "{"
    }) {
        return Detected::NotAFiling;
    }
    // The opening lines joined, so a phrase wrapped over two lines is found
    // (blank lines between them too: a web copy parts lines with pipe
    // lines, blanked), lower-cased once for every phrase search below.
    let head = lines
        .iter()
        .take(80)
        .map(|l| l.as_ref())
        .filter(|l| !l.bytes().all(|b| b.is_ascii_whitespace()))
        .collect::<Vec<_>>()
        .join(" ");
    let mut head_lc = head.to_ascii_lowercase();
    if may_be_overprinted(head_lc.as_bytes()) {
        if let Some(c) = collapse_overprint(&head_lc) {
            head_lc = c;
        }
    }
    let has = |p: &str| holds_phrase(head_lc.as_bytes(), p);
    // Every return's form asks for the issuer's name and the date it was
    // submitted in its opening lines. A page that names returns without
    // either (a saved list of search results) holds only their titles.
    let form_labels =
        has("submitted") || has("name of") || has("nameof") || has("呈交") || has("名稱");
    let titles_only = |d: Detected| if form_labels { d } else { Detected::NotAFiling };
    if is_ndr_heading(&has) {
        return titles_only(Detected::Ndr(ndr_form(&head_lc)));
    }
    if has("monthly return of equity issuer on movements in securities")
        || has("for the month ended (dd/mm/yyyy)")
        || (has("股份發行人的證券變動月報表") && (has("截至") || has("呈交日期")))
    {
        return titles_only(Detected::Legacy);
    }
    if has("monthly return for equity issuer") || has("ff301") {
        // The generation is read by the FF301 parser: most returns print it
        // in their page footers, and the phrases below are needed only
        // when none does (`ff301_generation`).
        return titles_only(Detected::Ff301);
    }
    if has("monthly return") && has("movements in securities") {
        return titles_only(Detected::Legacy);
    }
    if has("take no responsibility for the contents of this announcement")
        || has("stock code:")
        || has("(stock code")
        || has("股份代號")
        || has("terms used in this announcement")
        || announcement_headline(lines)
    {
        return Detected::Announcement;
    }
    Detected::NotAFiling
}

/// An announcement printed without the Exchange's disclaimer or a "Stock
/// code:" label (allotment results announcements since 2025 open with the
/// issuer's names and a headline, their stock code a table cell): one of the
/// opening lines is a capitalised headline starting with "ANNOUNCEMENT".
fn announcement_headline<S: AsRef<str>>(lines: &[S]) -> bool {
    lines
        .iter()
        .map(|l| l.as_ref().trim())
        .filter(|l| !l.is_empty())
        .take(12)
        .any(|l| {
            l.starts_with("ANNOUNCEMENT")
                && l.len() > "ANNOUNCEMENT".len()
                && !l.bytes().any(|b| b.is_ascii_lowercase())
        })
}

/// A next day return's heading: its title with the subtitle every
/// generation prints ("(Equity issuer - changes in issued share capital
/// and/or share buybacks)", "(Equity issuer - changes in issued shares or
/// treasury shares, ...)") or its page tag, or the Chinese title. A note
/// that only names the form in prose ("68 Next Day Disclosure Returns")
/// is not one.
fn is_ndr_heading(has: &dyn Fn(&str) -> bool) -> bool {
    (has("next day disclosure return") && (has("equity issuer") || has("ff304") || has("ff305")))
        || (has("翌日披露報表") && (has("上市發行人名稱") || has("呈交日期")))
}

/// Whether a three-byte character (every ideograph and full-width sign)
/// stands three times in a row: the cheap test before
/// [`collapse_overprint`], which decodes every character (a sixth of the
/// parse time of a return with a Chinese name when it ran on every head).
fn may_be_overprinted(b: &[u8]) -> bool {
    // Most lines are ASCII: the standard library's test is the fastest.
    if b.is_ascii() {
        return false;
    }
    let mut i = 0;
    while i + 9 <= b.len() {
        // Eight ASCII bytes at a time.
        let mut word = [0u8; 8];
        word.copy_from_slice(&b[i..i + 8]);
        if u64::from_le_bytes(word) & 0x8080_8080_8080_8080 == 0 {
            i += 8;
            continue;
        }
        if b[i] >= 0xE0 && b[i] < 0xF0 {
            if b[i..i + 3] == b[i + 3..i + 6] && b[i..i + 3] == b[i + 6..i + 9] {
                return true;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    false
}

/// Repair "characters printed over themselves" (below) on every line, so
/// labels of bold headings ("截截截截至至至至月月月月份份份份") are found.
fn mend_overprint(lines: &mut [std::borrow::Cow<'_, str>]) {
    for l in lines.iter_mut() {
        if may_be_overprinted(l.as_bytes()) {
            if let Some(c) = collapse_overprint(l) {
                *l = std::borrow::Cow::Owned(c);
            }
        }
    }
}

/// Characters printed over themselves: pdfplumber gives each character of
/// a bold Chinese heading four times ("股股股股份份份份發發發發行行行行"), as
/// the PDF draws it four times to embolden it. A run of three or more of
/// the same ideograph is one character (no heading of these forms repeats
/// an ideograph three times). None when there is no such run.
fn collapse_overprint(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut changed = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let mut run = 1;
        while chars.peek() == Some(&c) {
            chars.next();
            run += 1;
        }
        if run >= 3 && (is_cjk(c) || matches!(c, '（' | '）' | '／' | '：')) {
            out.push(c);
            changed = true;
        } else {
            out.extend(std::iter::repeat_n(c, run));
        }
    }
    changed.then_some(out)
}

/// Which next day return form: the page tag says so ("FF304", "FF305"), but
/// tab-style extractions lose it, so the form's structure decides too.
/// - FF305 (the 2024 treasury-share revision) is subtitled "changes in issued
///   shares or treasury shares, share redemptions or repurchases".
/// - FF304 keeps the legacy subtitle ("changes in issued share capital and/or
///   share buybacks", as the 01149 returns of 2009-2013 print it) but is an
///   e-form: it has a "Status:" field, "Instrument: Equity issuer", and class
///   blocks labelled "Type of shares" / "Class of shares", none of which the
///   legacy return prints.
fn ndr_form(head_lc: &str) -> Form {
    static STATUS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"status\s*:?\s*(?:new\s+submission|amendment)").expect("static regex")
    });
    if head_lc.contains("ff305") || head_lc.contains("changes in issued shares or treasury shares")
    {
        return Form::Ff305;
    }
    if head_lc.contains("ff304")
        || STATUS.is_match(head_lc)
        || head_lc.contains("instrument: equity issuer")
        || (head_lc.contains("type of shares") && head_lc.contains("class of shares"))
    {
        return Form::Ff304;
    }
    Form::NdrLegacy
}

/// Parse decoded text. `file` is the path as walked (kept in the output).
pub fn parse_text(file: &str, text: &str) -> Entry {
    // FF301 reads lines borrowed from the text; the other parsers take owned ones.
    let mut borrowed = text::lines_borrowed(text);
    // A note's tables stay as they are: it is no filing.
    if text::may_be_markdown(text) && !markdown_note(&borrowed) {
        text::mend_markdown(&mut borrowed);
    }
    text::drop_inline_tags(text, &mut borrowed);
    text::mark_cut_last_word(text, &mut borrowed);
    text::mend_split_first_chars(&mut borrowed);
    mend_overprint(&mut borrowed);
    let detected = detect(&borrowed);
    let owned = || -> Vec<String> { borrowed.iter().map(|l| l.to_string()).collect() };
    let mut filing = match detected {
        Detected::Ff301 => {
            // The generation is the parser's to read (a placeholder until then).
            let mut f = Filing::new(file, Kind::MonthlyReturn, Form::Ff301V10);
            ff301::parse(&mut f, &borrowed);
            f
        }
        Detected::Legacy => {
            let mut f = Filing::new(file, Kind::MonthlyReturn, Form::Legacy);
            legacy::parse(&mut f, &owned());
            f
        }
        Detected::Ndr(form) => {
            let mut f = Filing::new(file, Kind::NextDayReturn, form);
            ndr::parse(&mut f, &owned());
            f
        }
        Detected::Announcement => {
            let mut f = Filing::new(file, Kind::Announcement, Form::Announcement);
            announcement::parse(&mut f, &owned());
            f
        }
        Detected::NotAFiling => {
            return Entry::Error(FileError {
                file: file.to_string(),
                error: "not a filing: no monthly return, next day return or announcement heading \
                        (or only their titles, with no form's labels: a list of filings)"
                    .to_string(),
                error_kind: ErrorKind::NotAFiling,
            })
        }
    };
    let (hash, cjk, latin) = hash_and_script(text);
    if filing.language == Language::En && cjk > latin {
        filing.language = Language::Zh;
    }
    filing.content_hash = hash;
    super::checks::run(&mut filing);
    Entry::Filing(Box::new(filing))
}

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF)
}

/// Parse bytes read from `file`: decode (or extract a PDF's text), then parse.
pub fn parse_bytes(file: &str, bytes: &[u8], opts: &ParseOptions) -> Entry {
    if bytes.starts_with(b"%PDF") || file.to_ascii_lowercase().ends_with(".pdf") {
        return match super::pdf::extract(file, bytes, opts.extractor) {
            Ok((text, extractor)) => {
                let mut e = parse_text(file, &text);
                if let Entry::Filing(f) = &mut e {
                    f.extractor = extractor.to_string();
                }
                e
            }
            Err(e) => Entry::Error(e),
        };
    }
    match decode_page(file, bytes) {
        Ok((text, fallback, html)) => {
            let mut e = parse_text(file, &text);
            if let Entry::Filing(f) = &mut e {
                if html {
                    f.extractor = "html".to_string();
                }
                if let Some(finding) = fallback {
                    f.findings.insert(0, finding);
                }
            }
            e
        }
        Err(e) => Entry::Error(e),
    }
}

/// What a binary file a user may keep beside the filings is, by its magic
/// bytes: older returns were published as Word documents, and folders hold
/// spreadsheets, archives and images too.
fn known_binary(bytes: &[u8]) -> Option<&'static str> {
    const KINDS: [(&[u8], &str); 5] = [
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "a Word or Excel document in Office's binary format (.doc, .xls)",
        ),
        (
            b"PK\x03\x04",
            "a ZIP archive (or a .docx or .xlsx document, which is one)",
        ),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
    ];
    KINDS
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, what)| *what)
}

/// Options that change how files are read.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions {
    pub extractor: super::pdf::Extractor,
}

/// Read and parse one file from disk.
pub fn parse_file(path: &Path, opts: &ParseOptions) -> Entry {
    let file = path.to_string_lossy().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            return Entry::Error(FileError {
                file,
                error: format!("cannot read: {e}"),
                error_kind: ErrorKind::Unreadable,
            })
        }
    };
    // A named pipe would block the read forever and a device (/dev/zero)
    // never ends: only regular files are read.
    if !meta.is_file() {
        return Entry::Error(FileError {
            error: format!("cannot read: {}", not_regular(path, &meta)),
            file,
            error_kind: ErrorKind::Unreadable,
        });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Entry::Error(FileError {
            file,
            error: format!("the file is {} bytes, over the 64 MiB limit", meta.len()),
            error_kind: ErrorKind::TooLarge,
        });
    }
    // The file may grow after the size check (a copy in progress): read at
    // most one byte over the limit, so that `decode` refuses it as too large.
    let read = std::fs::File::open(path).and_then(|f| {
        use std::io::Read;
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
        Ok(bytes)
    });
    match read {
        Ok(bytes) => parse_bytes(&file, &bytes, opts),
        Err(e) => Entry::Error(FileError {
            file,
            error: format!("cannot read: {e}"),
            error_kind: ErrorKind::Unreadable,
        }),
    }
}

/// Why a path that is no regular file is not read: a folder that cannot be
/// listed says why (the walk hands it over when it could not enter it).
pub fn not_regular(path: &Path, meta: &std::fs::Metadata) -> String {
    if meta.is_dir() {
        return match std::fs::read_dir(path) {
            Err(e) => format!("a folder that cannot be listed ({e})"),
            Ok(_) => "a folder, not a file".to_string(),
        };
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        let what = if t.is_fifo() {
            Some("a named pipe")
        } else if t.is_socket() {
            Some("a socket")
        } else if t.is_block_device() || t.is_char_device() {
            Some("a device")
        } else {
            None
        };
        if let Some(what) = what {
            return format!("{what}, not a regular file");
        }
    }
    "not a regular file".to_string()
}

/// What the cache keys parsed entries on: the parser version and the source of
/// everything that shapes a parse (parsers, checks, model, PDF reader), so a
/// changed parser never serves entries parsed by an older build, even when
/// nobody remembered to bump [`PARSER_VERSION`].
pub fn parser_fingerprint() -> u32 {
    use std::sync::LazyLock;
    static FP: LazyLock<u32> = LazyLock::new(|| {
        let sources: &[&str] = &[
            include_str!("mod.rs"),
            include_str!("ff301.rs"),
            include_str!("legacy.rs"),
            include_str!("ndr.rs"),
            include_str!("announcement.rs"),
            include_str!("text.rs"),
            include_str!("values.rs"),
            include_str!("../checks.rs"),
            include_str!("../model.rs"),
            include_str!("../html.rs"),
            include_str!("../pdf/mod.rs"),
            include_str!("../pdf/layout.rs"),
            include_str!("../pdf/prepare.rs"),
        ];
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&PARSER_VERSION.to_le_bytes());
        for s in sources {
            h.update(s.as_bytes());
        }
        h.digest() as u32
    });
    *FP
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Word document, a .docx (a ZIP) and an image: each refused by name
    /// with what to do, before the NUL-byte test that says only "not text".
    #[test]
    fn office_documents_archives_and_images_are_named() {
        let mut doc = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
        doc.extend_from_slice(&[0; 64]);
        for (bytes, says) in [
            (doc, "Word or Excel document"),
            (b"PK\x03\x04\x14\x00".to_vec(), ".docx"),
            (b"\x89PNG\r\n\x1a\n\0".to_vec(), "PNG image"),
        ] {
            match parse_bytes("return.doc", &bytes, &ParseOptions::default()) {
                Entry::Error(e) => {
                    assert_eq!(e.error_kind, ErrorKind::Binary);
                    assert!(e.error.contains(says), "{}", e.error);
                    assert!(e.error.contains("save it as PDF or as text"), "{}", e.error);
                }
                Entry::Filing(_) => panic!("{says} read as a filing"),
            }
        }
    }

    #[test]
    fn only_a_character_three_times_in_a_row_may_be_overprinted() {
        assert!(super::may_be_overprinted("股股股股份份份份".as_bytes()));
        assert!(super::may_be_overprinted("ab（（（c".as_bytes()));
        assert!(!super::may_be_overprinted(
            "股份發行人的證券變動月報表".as_bytes()
        ));
        assert!(!super::may_be_overprinted("股股份份 aaa ééé".as_bytes()));
        assert!(!super::may_be_overprinted(b""));
    }

    #[test]
    fn empty_and_binary_files_are_errors_naming_the_reason() {
        let e = decode("a.txt", b"  \n").unwrap_err();
        assert_eq!(e.error_kind, ErrorKind::Empty);
        let e = decode("b.txt", b"abc\0def").unwrap_err();
        assert_eq!(e.error_kind, ErrorKind::Binary);
    }

    #[test]
    fn utf16_with_bom_decodes_with_a_fallback_finding() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Monthly".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let (t, f) = decode("c.txt", &bytes).unwrap();
        assert_eq!(t, "Monthly");
        assert_eq!(f.unwrap().code, codes::ENCODING_FALLBACK);
    }

    #[test]
    fn big5_text_decodes_with_a_fallback_finding() {
        let (bytes, _, _) = encoding_rs::BIG5.encode("股份發行人的證券變動月報表 截至 2011 年");
        let (t, f) = decode("d.txt", &bytes).unwrap();
        assert!(t.contains("月報表"));
        assert!(f.unwrap().message.contains("Big5"));
    }

    /// A saved list of search results names returns by their titles but
    /// holds no form: no issuer's name, no date submitted.
    #[test]
    fn titles_without_a_forms_labels_are_no_filing() {
        let list = "Release Time\tStock Code\tDocument\n\
                    02/02/2026 17:00\t01723\tMonthly Return of Equity Issuer on Movements in Securities\n\
                    15/12/2025 17:00\t01723\tNext Day Disclosure Return\n";
        assert_eq!(detect(&text::lines(list)), Detected::NotAFiling);
        let ff301 = "FF301\nMonthly Return for Equity Issuer\nName of Issuer: Moon Inc.\n";
        assert!(matches!(detect(&text::lines(ff301)), Detected::Ff301));
        let zh = "股份發行人的證券變動月報表\n截至月份 31/1/2011\n公司名稱 中國安芯控股有限公司\n";
        assert_eq!(detect(&text::lines(zh)), Detected::Legacy);
    }

    fn ndr(text: &str) -> Detected {
        detect(&text::lines(text))
    }

    #[test]
    fn a_next_day_return_without_its_page_tag_is_told_by_its_structure() {
        // Every return names its issuer: a page without the label holds
        // only titles (see `detect`).
        let ff305 = "Next Day Disclosure Return\n(Equity issuer - changes in issued shares or treasury shares, share redemptions or repurchases)\nInstrument: Equity issuer\nName of Issuer: Lumen Limited\n";
        assert_eq!(ndr(ff305), Detected::Ndr(Form::Ff305));
        let ff304 = "Next Day Disclosure Return\n(Equity issuer - changes in issued share capital and/or share buybacks)\n\nInstrument: Equity issuer\n\nStatus: New Submission\nName of Issuer: Lumen Limited\n1. Type of shares\tOrdinary shares\tClass of shares\tNot applicable\n";
        assert_eq!(ndr(ff304), Detected::Ndr(Form::Ff304));
        let legacy = "Next Day Disclosure Return\n(Equity issuer - changes in issued share capital and/or share buybacks)\nName of listed issuer: Anxin-China Holdings Limited\nStock code: 1149   Date submitted: 26 September 2011\nDescription of securities: Ordinary Share\nOpening balance as at 31 August 2011\n";
        assert_eq!(ndr(legacy), Detected::Ndr(Form::NdrLegacy));
        assert_eq!(
            ndr("FF305\nNext Day Disclosure Return\nName of Issuer: Lumen Limited\n"),
            Detected::Ndr(Form::Ff305)
        );
    }

    #[test]
    fn a_readme_is_not_a_filing() {
        match parse_text("README.md", "# My notes\n\nThese are my filings.\n") {
            Entry::Error(e) => assert_eq!(e.error_kind, ErrorKind::NotAFiling),
            Entry::Filing(_) => panic!("a README parsed as a filing"),
        }
    }

    /// `hash_and_script` by its definition, a character at a time.
    fn hash_and_script_by_char(text: &str) -> (String, usize, usize) {
        let mut kept = String::new();
        let (mut cjk, mut latin) = (0, 0);
        for c in text.chars() {
            cjk += usize::from(is_cjk(c));
            latin += usize::from(c.is_ascii_alphabetic());
            if c.is_alphanumeric() {
                kept.extend(c.to_lowercase().map(text::fold_lookalike));
            }
        }
        let h = xxhash_rust::xxh3::xxh3_64(kept.as_bytes());
        (format!("{h:016x}"), cjk, latin)
    }

    proptest::proptest! {
        #[test]
        fn content_hash_is_its_definition(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    "[ -~]{0,40}",
                    "[ \\t]{0,20}",
                    "[\\x00-\\x7f]{0,40}",
                    "[A-Za-z0-9]{0,20}",
                    ".{0,6}",
                    "[股份發行ＡＢ１２]{0,4}",
                ],
                0..40,
            ),
            block in 0usize..5000,
        ) {
            // A long prefix moves the parts across the 4096-byte block edge.
            let text = "Ab1 ".repeat(block / 4) + &parts.concat();
            proptest::prop_assert_eq!(hash_and_script(&text), hash_and_script_by_char(&text));
        }
    }

    #[test]
    fn every_detection_phrase_has_a_prebuilt_searcher() {
        let src = include_str!("mod.rs");
        let used: Vec<&str> = src
            .split("has(\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert!(used.len() >= DETECT_PHRASES.len());
        for p in used {
            assert!(
                DETECT_PHRASES.contains(&p),
                "{p:?} is searched for without a prebuilt searcher"
            );
        }
        assert!(holds_phrase(b"the ff301 form", "ff301"));
        assert!(!holds_phrase(b"the ff301 form", "ff304"));
        assert!(holds_phrase(b"a phrase not listed", "not listed"));
    }

    #[test]
    fn content_hash_ignores_spacing() {
        assert_eq!(
            content_hash("Balance  at\tclose 1,000"),
            content_hash("Balance at close 1,000\n")
        );
        assert_ne!(content_hash("a 1"), content_hash("a 2"));
    }
}
