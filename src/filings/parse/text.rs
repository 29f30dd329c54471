//! Named repairs of the damage PDF-to-text extraction does to filings.
//!
//! Each repair names the real-world input that needed it. Repairs work on one
//! line at a time and never invent digits: they only re-join, drop or re-read
//! what is there.

/// Look-alike letters: extraction maps some Latin letters to Cyrillic or
/// Turkish code points (seen: `Par valu\tе` with Cyrillic U+0435, `montl\tı`
/// with dotless U+0131). Folded back so labels match.
pub fn fold_lookalike(c: char) -> char {
    match c {
        'е' => 'e',
        'а' => 'a',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'х' => 'x',
        'у' => 'y',
        'і' => 'i',
        'ı' => 'i',
        'Е' => 'E',
        'А' => 'A',
        'О' => 'O',
        'Р' => 'P',
        'С' => 'C',
        'Т' => 'T',
        'Н' => 'H',
        'М' => 'M',
        'К' => 'K',
        'В' => 'B',
        '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\u{3000}' => ' ',
        '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
        '\u{2018}' | '\u{2019}' => '\'',
        '\u{201C}' | '\u{201D}' => '"',
        '\u{FF0C}' => ',',
        _ => c,
    }
}

/// Word `.doc` returns saved as text carry carriage returns and BEL characters
/// (cell separators); form feeds separate pages in `pdftotext` output. Control
/// characters other than tab become spaces so that columns stay apart.
pub fn clean_line(line: &str) -> String {
    clean_line_cow(line).into_owned()
}

/// [`clean_line`], borrowing the line when there is nothing to clean.
pub fn clean_line_cow(line: &str) -> Cow<'_, str> {
    // Most lines are plain ASCII text, and many of the others (a Chinese
    // name) hold nothing to fold or blank out: both are borrowed.
    if is_plain_ascii(line.as_bytes())
        || !line
            .chars()
            .any(|c| c != '\t' && (c.is_control() || fold_lookalike(c) != c))
    {
        return Cow::Borrowed(line);
    }
    // An ASCII line with no escape sequence (a `pdftotext` page's first line,
    // opening with a form feed): its control bytes become spaces, byte for
    // byte, with no character decoding (no ASCII character folds).
    if line.is_ascii() && memchr::memchr(0x1b, line.as_bytes()).is_none() {
        let bytes: Vec<u8> = line
            .bytes()
            .map(|b| {
                if b != b'\t' && (b < 0x20 || b == 0x7f) {
                    b' '
                } else {
                    b
                }
            })
            .collect();
        return Cow::Owned(String::from_utf8(bytes).unwrap_or_default());
    }
    // Terminal escape sequences planted in a filing (a title change, a
    // clipboard write, colours) are no text of the filing: they go whole,
    // payload and all, so no value or name carries them.
    let line = crate::escapes::strip(line);
    // Sized once: collected a character at a time, the string grew by
    // reallocation.
    let mut out = String::with_capacity(line.len());
    out.extend(line.chars().map(|c| {
        if c == '\t' {
            c
        } else if c.is_control() {
            ' '
        } else {
            fold_lookalike(c)
        }
    }));
    Cow::Owned(out)
}

/// Whether every byte is printable ASCII (0x20 to 0x7E) or a tab: sixteen
/// bytes at a time where SSE2 is there (every x86-64 processor), then eight.
fn is_plain_ascii(b: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    #[cfg(target_arch = "x86_64")]
    let b = {
        let mut wide = b.chunks_exact(16);
        if !wide.all(plain16) {
            return false;
        }
        wide.remainder()
    };
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let x = u64::from_le_bytes(w);
        // Per byte, with no carry between bytes (the high bit is masked off
        // first): at least 0x20, exactly 0x7F, exactly a tab.
        let low7 = x & !HIGH;
        let printable = low7 + 0x60 * ONES;
        let del = low7 + ONES;
        let z = x ^ (0x09 * ONES);
        let tab = !(((z & !HIGH) + !HIGH) | z);
        let bad = x | (!printable & !tab) | del;
        if bad & HIGH != 0 {
            return false;
        }
    }
    chunks
        .remainder()
        .iter()
        .all(|&b| b == b'\t' || (0x20..0x7f).contains(&b))
}

/// Whether sixteen bytes are all printable ASCII or tabs, in four SSE2
/// instructions and a mask test.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn plain16(c: &[u8]) -> bool {
    use std::arch::x86_64::{
        _mm_andnot_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_loadu_si128, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8,
    };
    debug_assert_eq!(c.len(), 16);
    // SAFETY: the chunk is 16 bytes long (`chunks_exact(16)`), so the
    // unaligned load reads only inside it; SSE2 is part of every x86-64 target.
    unsafe {
        let x = _mm_loadu_si128(c.as_ptr().cast());
        // Signed compare: bytes 0x80 and above are negative and fail it.
        let printable = _mm_cmpgt_epi8(x, _mm_set1_epi8(0x1f));
        let del = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f));
        let tab = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x09));
        let ok = _mm_or_si128(_mm_andnot_si128(del, printable), tab);
        _mm_movemask_epi8(ok) == 0xffff
    }
}

/// Split a file's text into cleaned lines. Index i is line i+1 of the file,
/// counted as an editor counts them: `\n`, `\r\n` and a lone `\r` each end a
/// line. Word `.doc` returns saved as text end their paragraphs with bare
/// carriage returns, so a whole return would otherwise be one line.
pub fn lines(text: &str) -> Vec<String> {
    lines_borrowed(text)
        .into_iter()
        .map(Cow::into_owned)
        .collect()
}

/// [`lines`], each line borrowed from the text unless cleaning changed it:
/// most lines are copied nowhere.
pub fn lines_borrowed(text: &str) -> Vec<Cow<'_, str>> {
    let bytes = text.as_bytes();
    // Filings average well over 30 bytes a line: one allocation for the list.
    let mut out = Vec::with_capacity(bytes.len() / 32 + 1);
    let mut start = 0;
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if i < start {
            continue; // the `\n` of a `\r\n` already taken
        }
        out.push(blank_cell_separator(clean_line_cow(
            text.get(start..i).unwrap_or(""),
        )));
        start = if bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) == Some(&b'\n') {
            i + 2
        } else {
            i + 1
        };
    }
    if start < bytes.len() {
        out.push(blank_cell_separator(clean_line_cow(
            text.get(start..).unwrap_or(""),
        )));
    }
    out
}

/// Repair "table cells parted by pipe lines": a web page's copy of a filing
/// (a news site's rendering of the form's HTML tables, seen on 2019 monthly
/// returns) prints each cell on its own line with a line holding only `|`
/// between cells, so a label's value sits two lines below it. Such a line
/// holds no text of the filing and becomes blank. (A Markdown table's row
/// holds cells between its pipes and is no such line.)
#[inline(always)]
fn blank_cell_separator(l: Cow<'_, str>) -> Cow<'_, str> {
    let b = l.as_bytes();
    // Most lines are longer, or blank: one comparison each.
    if b.len() > 16 || b.is_empty() {
        return l;
    }
    if b.contains(&b'|') && b.iter().all(|&c| matches!(c, b'|' | b' ' | b'\t')) {
        return Cow::Borrowed("");
    }
    l
}

/// Whether a line is a row of a table drawn with pipes: a Markdown table
/// (a converter's or one written by hand) or antiword's rendering of a Word
/// table.
fn is_pipe_row(l: &str) -> bool {
    let t = l.trim();
    t.len() > 1 && t.starts_with('|') && t[1..].contains('|')
}

/// A Markdown rule: the line under a table's head row (`|---|:--:|`) or a
/// page break (`-----`).
fn is_markdown_rule(t: &str) -> bool {
    t.contains("---")
        && t.bytes()
            .all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t'))
}

/// The text of a Markdown heading line (`## II. Movements in Issued
/// Shares`), None for any other line.
pub fn markdown_heading(t: &str) -> Option<&str> {
    let rest = t.trim_start_matches('#');
    let hashes = t.len() - rest.len();
    ((1..=6).contains(&hashes) && rest.starts_with(' ')).then(|| rest.trim())
}

/// `Col2`, `Col12`: a converter's name for a table column without a head.
fn is_column_placeholder(c: &str) -> bool {
    c.strip_prefix("Col")
        .is_some_and(|n| !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Markdown's inline marks gone: bold (`**Name of Issuer:**`), line breaks
/// inside a table cell (`<br>`) and the entities of `&`, `<` and `>`.
fn markdown_inline(s: &str) -> String {
    let mut out = s.replace("**", "");
    for br in ["<br />", "<br/>", "<br>"] {
        if out.contains(br) {
            out = out.replace(br, " ");
        }
    }
    if out.contains('_') {
        out = strip_italics(&out);
    }
    if out.contains('&') {
        out = out
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">");
    }
    out
}

/// Italic marks gone: `_(Note 2)_` is `(Note 2)`. An underscore marks
/// italics only where it opens a word (after a space or at the start) and
/// closes one (before a space, punctuation or the end) with no underscore
/// between: a form's fill-in line (`__Tricor Limited____`) keeps its own.
fn strip_italics(s: &str) -> String {
    static ITALIC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(^|[\s(])_([^_\s](?:[^_]*[^_\s])?)_($|[\s).,:;])").expect("static regex")
    });
    // Two passes: a match takes the space after it, which may open the
    // next italic run ("_a_ _b_").
    let once = ITALIC.replace_all(s, "$1$2$3");
    ITALIC.replace_all(&once, "$1$2$3").into_owned()
}

/// Whether a text may be Markdown at all: it holds a pipe, a hash or two
/// asterisks somewhere (one pass over the bytes; most texts hold none).
pub fn may_be_markdown(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr3_iter(b'|', b'#', b'*', b).any(|i| b[i] != b'*' || b.get(i + 1) == Some(&b'*'))
}

/// Repair "tables drawn with pipes": a return converted to Markdown holds
/// its ruled tables as Markdown tables, one row a line and one cell a
/// column (`|Balance at close of the month|10,000,000,000|HKD|0.01|`), with
/// rules under the head rows, headings marked `#` and bold marked `**`;
/// antiword prints a Word return's tables the same way, its cells padded;
/// pymupdf4llm repeats a spanned cell in each column it spans (see
/// [`collapse_repeated_spans`]).
/// Each row becomes its cells apart by tabs (the tab-cell text the parsers
/// read), rules become blank lines, and headings and inline marks lose their
/// marks, line for line, so line numbers do not move. A text with no
/// heading and fewer than two marked lines is left alone. Returns whether
/// anything was mended.
pub fn mend_markdown(lines: &mut [Cow<'_, str>]) -> bool {
    // A cheap test first: a table row opens with a pipe, a heading with a
    // hash and a space (no filing's line does); bold is marked with two
    // asterisks, which a filing may print once as a note's mark.
    let mut marked = 0;
    for l in lines.iter() {
        let t = l.trim_start();
        if t.starts_with('#') && markdown_heading(t.trim_end()).is_some() {
            marked += 2;
        } else if (t.starts_with('|') && is_pipe_row(t))
            || memchr::memmem::find(t.as_bytes(), b"**").is_some()
        {
            marked += 1;
        }
        if marked >= 2 {
            break;
        }
    }
    if marked < 2 {
        return false;
    }
    // Each table (its rows and the rules between them) is mended whole: a
    // converter that repeats spanned cells is told by the table, not a row.
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim();
        if is_pipe_row(t) || is_markdown_rule(t) {
            let start = i;
            while i < lines.len() && {
                let t = lines[i].trim();
                is_pipe_row(t) || is_markdown_rule(t)
            } {
                i += 1;
            }
            mend_markdown_table(&mut lines[start..i]);
            continue;
        }
        let mended = if let Some(h) = markdown_heading(t) {
            Some(markdown_inline(h))
        } else if t.contains("**") || t.contains("<br") || t.contains("&amp;") || t.contains('_') {
            Some(markdown_inline(&lines[i]))
        } else {
            None
        };
        if let Some(m) = mended {
            lines[i] = Cow::Owned(m);
        }
        i += 1;
    }
    true
}

/// One Markdown table's lines: each row becomes its cells apart by tabs,
/// each rule a blank line.
fn mend_markdown_table(lines: &mut [Cow<'_, str>]) {
    let mut rows: Vec<Option<Vec<String>>> = lines
        .iter()
        .map(|l| {
            let t = l.trim();
            if is_markdown_rule(t) || !is_pipe_row(t) {
                return None;
            }
            let inner = &t[1..];
            let inner = inner.strip_suffix('|').unwrap_or(inner);
            // A header cell with no text is named `Col2`, `Col3`... by
            // some converters: no text of the filing.
            Some(
                inner
                    .split('|')
                    .map(|c| markdown_inline(c).trim().to_string())
                    .map(|c| {
                        if is_column_placeholder(&c) {
                            String::new()
                        } else {
                            c
                        }
                    })
                    .collect(),
            )
        })
        .collect();
    if rows.iter().flatten().any(|r| repeats_text(r)) {
        collapse_repeated_spans(&mut rows);
    }
    for (l, row) in lines.iter_mut().zip(rows) {
        *l = Cow::Owned(row.map(|cells| cells.join("\t")).unwrap_or_default());
    }
}

/// A cell holding a value: a number (grouped, decimal, bracketed, signed),
/// a stock code, or a nil mark.
fn is_value_cell(c: &str) -> bool {
    let c = c.trim();
    (c.bytes().any(|b| b.is_ascii_digit())
        && c.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b',' | b'.' | b'(' | b')' | b'-' | b' ')))
        || matches!(
            c.to_ascii_lowercase().as_str(),
            "nil" | "n/a" | "-" | "--" | "\u{2014}" | "\u{2013}"
        )
}

/// Text long enough that two columns side by side never both print it: a
/// label or a description, not a currency or a "Yes".
fn is_long_text(c: &str) -> bool {
    c.chars().filter(|ch| ch.is_alphabetic()).count() >= 4 && !is_value_cell(c)
}

/// A row with the same text in two adjacent cells: a spanned cell repeated.
fn repeats_text(row: &[String]) -> bool {
    row.windows(2).any(|w| w[0] == w[1] && is_long_text(&w[0]))
}

/// Repair "spanned cells repeated" (pymupdf4llm's Markdown tables): a cell
/// spanning several columns of the table's grid is printed in each of them,
/// head cells and values alike (`|Balance at close of preceding
/// month|Balance at close of preceding month|478,272,000|478,272,000|
/// 478,272,000|0|0|`), and the class header's labels are printed without
/// their spaces (`Classofshares`, `ListedontheExchange(Note1)`).
/// In such a table two equal neighbouring cells are one cell when they
/// are text (a label is never printed twice side by side), or when the head
/// row above (the nearest row that itself repeats a head) spans both
/// columns: columns under different heads may hold equal values (0
/// granted, 0 exercised) and stay apart. A head row names two columns or
/// more and holds no value. A row with no head above (the class header's
/// rows) has its equal neighbours joined.
fn collapse_repeated_spans(rows: &mut [Option<Vec<String>>]) {
    let mut head: Option<Vec<String>> = None;
    for row in rows.iter_mut().flatten() {
        // A head row names several columns (a row label repeated over
        // blank cells is a row of its own).
        let named: std::collections::BTreeSet<&str> = row
            .iter()
            .map(String::as_str)
            .filter(|c| !c.is_empty())
            .collect();
        let is_head =
            named.len() >= 2 && !row.iter().any(|c| is_value_cell(c)) && repeats_text(row);
        let mut out: Vec<String> = Vec::with_capacity(row.len());
        for (j, cell) in row.iter().enumerate() {
            let same_span = match (&head, j) {
                (_, 0) => false,
                (Some(h), j) if !is_head => h.get(j) == h.get(j - 1),
                _ => true,
            };
            let joined = j > 0 && row.get(j - 1) == Some(cell) && (is_long_text(cell) || same_span);
            if !joined {
                out.push(respace_label(cell));
            }
        }
        let printed = std::mem::replace(row, out);
        if is_head {
            head = Some(printed);
        }
    }
}

/// The form's labels and common words printed without their spaces, as in
/// pymupdf4llm's class headers: the spaced label when the cell, less its
/// spaces, is one (a list number kept in front, its dot put back after it:
/// `1 Classofshares .` is `1. Class of shares`).
fn respace_label(cell: &str) -> String {
    const LABELS: [&str; 13] = [
        "Class of shares issuable",
        "Class of shares",
        "Type of shares",
        "Shares issuable to be listed on the Exchange (Note 1)",
        "Shares issuable to be listed on the Exchange",
        "Listed on the Exchange (Note 1)",
        "Listed on the Exchange",
        "Stock code (if listed)",
        "Not applicable",
        "Ordinary shares",
        "Preference shares",
        "Description",
        "Yes",
    ];
    let t = cell.trim();
    let (number, rest) = match t.split_once(' ') {
        Some((n, r))
            if !n.is_empty() && n.trim_end_matches('.').bytes().all(|b| b.is_ascii_digit()) =>
        {
            (
                Some(n.trim_end_matches('.')),
                r.trim().trim_end_matches('.').trim(),
            )
        }
        _ => (None, t),
    };
    // A cell with its spaces is as printed.
    if number.is_none() && rest.contains(char::is_whitespace) {
        return cell.to_string();
    }
    let squashed: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
    match LABELS
        .iter()
        .find(|l| l.replace(' ', "").eq_ignore_ascii_case(&squashed))
    {
        Some(l) => match number {
            Some(n) => format!("{n}. {l}"),
            None => (*l).to_string(),
        },
        None => cell.to_string(),
    }
}

/// A line that is one indented letter or digit and nothing else: the first
/// character of another line, printed apart by pdfminer's vertical-text
/// detection (`-V`).
fn lone_first_char(l: &str) -> Option<char> {
    let t = l.trim();
    let mut cs = t.chars();
    let c = cs.next()?;
    (l.starts_with([' ', '\t']) && cs.next().is_none() && c.is_ascii_alphanumeric()).then_some(c)
}

/// Repair "first characters printed apart": pdfminer with vertical-text
/// detection (`-V`) prints the first character of some lines as an indented
/// line of its own, apart from its line. Some versions print it before its
/// line (`  N` then `ame of Issuer`), sometimes several in a run before their
/// lines (`F`, `T`, then `or the month ended`, a date, `o : Hong Kong …`);
/// others after it (`ame of Issuer`, the issuer's name, then `  N`; `or the
/// month ended`, a date, `o : Hong Kong …`, then `F`, `T`). Each character
/// goes back in front of its line and its own line is left blank, so line
/// numbers do not move. Both readings are tried; the one that makes more of
/// the form's words ("Name", "For", "To", "I.") is kept (the first on a tie).
/// Returns whether anything was mended.
pub fn mend_split_first_chars(lines: &mut [Cow<'_, str>]) -> bool {
    // A cheap test first: most texts have no line of one character.
    if !lines
        .iter()
        .any(|l| l.len() <= 8 && lone_first_char(l).is_some())
    {
        return false;
    }
    let before = chars_before_their_lines(lines);
    let after = chars_after_their_lines(lines);
    let mut pick = if form_words(lines, &after) > form_words(lines, &before) {
        after
    } else {
        before
    };
    // A character the chosen reading left alone may stand the other way
    // round ("S" over "ubmitted by:" where the others follow their lines):
    // it goes to the next line with text when that makes a form's word.
    for i in 0..lines.len() {
        let Some(c) = lone_first_char(&lines[i]) else {
            continue;
        };
        if pick.iter().any(|m| m.0 == i) {
            continue;
        }
        let next = (i + 1..lines.len().min(i + 3)).find(|&k| !lines[k].trim().is_empty());
        if let Some(k) = next {
            let free = lone_first_char(&lines[k]).is_none() && !pick.iter().any(|m| m.1 == k);
            if free && makes_form_word(c, &lines[k]) {
                pick.push((i, k, c));
            }
        }
    }
    for &(i, j, c) in &pick {
        lines[j] = Cow::Owned(format!("{c}{}", lines[j]));
        lines[i] = Cow::Borrowed("");
    }
    !pick.is_empty()
}

/// How many of the lines a mending makes start with a word of the forms'
/// labels and headings.
fn form_words(lines: &[Cow<'_, str>], mends: &[(usize, usize, char)]) -> usize {
    mends
        .iter()
        .filter(|&&(_, j, c)| makes_form_word(c, &lines[j]))
        .count()
}

/// Whether `c` in front of `rest` starts a word of the forms' labels and
/// headings ("N" + "ame of Issuer"), or a numbered heading ("I" + "II.
/// Details", "1" + ". Ordinary Shares").
fn makes_form_word(c: char, rest: &str) -> bool {
    const WORDS: [&str; 28] = [
        "name",
        "monthly",
        "for",
        "to",
        "date",
        "description",
        "no",
        "par",
        "balance",
        "increase",
        "total",
        "class",
        "stock",
        "authorised",
        "issued",
        "details",
        "share",
        "warrants",
        "convertibles",
        "other",
        "remarks",
        "submitted",
        "type",
        "next",
        "issue",
        "egm",
        "notes",
        "title",
    ];
    let tail: String = rest
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let word = format!("{c}{tail}").to_ascii_lowercase();
    let numbered = rest[tail.len()..].starts_with('.')
        && (word.bytes().all(|b| b.is_ascii_digit())
            || matches!(word.as_str(), "i" | "ii" | "iii" | "iv" | "v"));
    numbered || WORDS.contains(&word.as_str())
}

/// The characters printed before their lines: (character's line, its
/// line, character). A lone character goes to the next line (after at most
/// one blank line) when that line starts with a letter, a digit, `/` or
/// `.`; a character of a run, to the next lines that start with a
/// lower-case letter or `.` (what a word whose first letter was taken looks
/// like), in order, within a few lines.
fn chars_before_their_lines(lines: &[Cow<'_, str>]) -> Vec<(usize, usize, char)> {
    // Lone characters waiting for their line: (line, character, lines since).
    let mut pending: std::collections::VecDeque<(usize, char, usize)> = Default::default();
    let mut out = Vec::new();
    for (j, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if let Some(c) = lone_first_char(line) {
            pending.push_back((j, c, 0));
            continue;
        }
        let Some(&(i, c, seen)) = pending.front() else {
            continue;
        };
        let first = line.chars().next().unwrap_or(' ');
        // A digit before a capital ("3" then "II. Movements in ...") is a
        // page number over a heading: no word or number starts that way.
        let page_number = c.is_ascii_digit() && first.is_ascii_uppercase();
        let next_line = pending.len() == 1
            && seen == 0
            && j <= i + 2
            && !page_number
            && (first.is_ascii_alphanumeric() || first == '/' || first == '.');
        let word_tail = first.is_ascii_lowercase() || first == '.';
        if next_line || word_tail {
            pending.pop_front();
            out.push((i, j, c));
        }
        // A character whose line has not come within a few lines keeps its own.
        for p in pending.iter_mut() {
            p.2 += 1;
        }
        pending.retain(|p| p.2 <= 6);
    }
    out
}

/// The characters printed after their lines: a lone character goes to the
/// nearest line before it (within sixteen lines with text) that it makes a
/// word of the form's (`N` to "ame of Issuer", `I` to "II. Details"), else
/// to the nearest within six that starts like a word's tail (a lower-case
/// letter or `.`); a run of characters, to the lines before it that start
/// like a word's tail, the nearest as many as the run has characters, in
/// order, within six lines with text.
fn chars_after_their_lines(lines: &[Cow<'_, str>]) -> Vec<(usize, usize, char)> {
    let word_tail = |l: &str| l.starts_with(|c: char| c.is_ascii_lowercase() || c == '.');
    let mut out: Vec<(usize, usize, char)> = Vec::new();
    let mut j = 0;
    while j < lines.len() {
        if lone_first_char(&lines[j]).is_none() {
            j += 1;
            continue;
        }
        // The run: lone characters, blank lines between them.
        let mut run = Vec::new();
        let mut k = j;
        while k < lines.len() {
            if let Some(c) = lone_first_char(&lines[k]) {
                run.push((k, c));
            } else if !lines[k].trim().is_empty() {
                break;
            }
            k += 1;
        }
        let before: Vec<usize> = (0..j)
            .rev()
            .filter(|&i| !lines[i].trim().is_empty())
            .take(16)
            .filter(|&i| lone_first_char(&lines[i]).is_none() && !out.iter().any(|m| m.1 == i))
            .collect();
        let mut tails: Vec<usize> = before
            .iter()
            .copied()
            .take(6)
            .filter(|&t| word_tail(&lines[t]))
            .take(run.len())
            .collect();
        if run.len() > 1 && tails.len() == run.len() {
            tails.reverse();
            for (&(i, c), t) in run.iter().zip(tails) {
                out.push((i, t, c));
            }
        } else {
            // One by one: the nearest line the character makes a form's
            // word of, else the nearest word's tail.
            for &(i, c) in &run {
                let free = |t: &&usize| !out.iter().any(|m| m.1 == **t);
                let worded = before
                    .iter()
                    .filter(free)
                    .find(|&&t| makes_form_word(c, &lines[t]))
                    .or_else(|| {
                        before
                            .iter()
                            .take(6)
                            .filter(free)
                            .find(|&&t| word_tail(&lines[t]))
                    });
                if let Some(&t) = worded {
                    out.push((i, t, c));
                }
            }
        }
        j = k;
    }
    out
}

/// Repair "inline HTML tags in text": a document site's text copy of a
/// return keeps the page's emphasis tags (`<strong>Sany</strong> Heavy
/// Equipment ...`, each word of the title wrapped), so a name carried them
/// and labels did not match. The tags of inline formatting are dropped
/// from every line when the text holds a closing tag; nothing else in
/// angle brackets is touched.
pub fn drop_inline_tags(text: &str, lines: &mut [Cow<'_, str>]) {
    static TAG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)</?(?:strong|b|em|i|u|span|font|sup|sub)(?:\s[^<>]{0,120})?>")
            .expect("static regex")
    });
    if memchr::memmem::find(text.as_bytes(), b"</").is_none() {
        return;
    }
    for l in lines.iter_mut() {
        if l.contains('<') {
            if let Cow::Owned(t) = TAG.replace_all(l, "") {
                *l = Cow::Owned(t);
            }
        }
    }
}

/// Repair "file cut mid-number": a file that ends without a line break was
/// cut off (a download stopped, a copy interrupted), and the number its last
/// line ends with may be the first digits of a longer one (`10` of
/// `10,000,000`) or the first cell of a split one. That word becomes `…`, so no parser reads it as a complete
/// number; its row is then short of a value and reported.
pub fn mark_cut_last_word(text: &str, lines: &mut [Cow<'_, str>]) {
    if text.ends_with(['\n', '\r', '\u{c}']) {
        return;
    }
    let Some(last) = lines.last_mut() else {
        return;
    };
    // The last word with a digit, even before a cell's tab: the rest of a
    // number split across cells (`1,992,000\t,000,000`) may be what was lost.
    let body = last.trim_end();
    // The byte after the last whitespace character (which may be wider than
    // one byte: an em space).
    let after_space = |s: &str| {
        s.rfind(char::is_whitespace)
            .map_or(0, |i| i + s[i..].chars().next().map_or(1, char::len_utf8))
    };
    let start = after_space(body);
    // A lone sign or bracket ("-", "(") may be a negative number's start:
    // read whole, it would be the nil dash.
    let sign = matches!(&body[start..], "-" | "(" | "(-" | "\u{2212}" | "\u{2013}");
    if !sign && !body[start..].bytes().any(|b| b.is_ascii_digit()) {
        return;
    }
    // The pieces of a number split by one space (`900 000`) go with it.
    let mut start = start;
    while let Some(prev) = body[..start].strip_suffix([' ', '\t']) {
        let from = after_space(prev);
        let word = &prev[from..];
        if word.is_empty() || !word.bytes().all(|b| b.is_ascii_digit() || b == b',') {
            break;
        }
        start = from;
    }
    *last = Cow::Owned(format!("{}\u{2026}", &body[..start]));
}

use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// Tabs inside numbers: the extractor split one number across two cells.
/// Seen in the SenseTime return of November 2023: `1,992,000\t,000,000`
/// (the tab before a thousands group) and `3,525,018,\t981` (the tab after the
/// comma). Only a single tab that touches a thousands comma is closed up, so
/// two real neighbouring cells (`7,520,115,072\t0`) stay apart, and so does a
/// cut-off copy glued to a label before its cell (`month515,283,\t\t\t515,283,413`
/// must not become one long number).
pub fn join_tab_split_numbers(line: &str) -> Cow<'_, str> {
    // Both cases need a comma beside a tab.
    if !tab_beside(line, b',') {
        return Cow::Borrowed(line);
    }
    let b = line.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let group = |i: usize| digit(i) && digit(i + 1) && digit(i + 2);
    // A tab between a digit and `,ddd`, or between `d,` and `ddd`. Decided on
    // the line as printed, so a number cut twice (`40\t,000\t,000,000`) is
    // joined whole.
    let joins = |i: usize| {
        b.get(i) == Some(&b'\t')
            && i >= 1
            && ((digit(i - 1) && b.get(i + 1) == Some(&b',') && group(i + 2))
                || (i >= 2 && b.get(i - 1) == Some(&b',') && digit(i - 2) && group(i + 1)))
    };
    let mut cuts = memchr::memchr_iter(b'\t', b)
        .filter(|&i| joins(i))
        .peekable();
    if cuts.peek().is_none() {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    for i in cuts {
        out.push_str(line.get(last..i).unwrap_or(""));
        last = i + 1;
    }
    out.push_str(line.get(last..).unwrap_or(""));
    Cow::Owned(out)
}

/// Labels cut and letters doubled: the extractor cut a word at a cell edge and
/// repeated the letters either side of the cut. Seen in the November 2023
/// SenseTime return: `preceding\tg month`, `(No\tote 1)`, `WVR ordinary s\tshares`,
/// and `montl\t1` for `month` (the `h` read as `l` plus a stray `1`, which must
/// not be read as a number). A word fragment after a tab that starts with the
/// letter the word before ended with is joined, dropping the repeated letter.
pub fn mend_cut_labels(line: &str) -> Cow<'_, str> {
    static MONTH: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\bmontl\t+[1li|]\b").expect("static regex"));
    // Only a run of tabs with the same letter either side is mended (below):
    // a line without one is returned as it is.
    if memchr::memchr(b'\t', line.as_bytes()).is_none()
        || !(line.contains("montl\t") || has_same_letter_around_tabs(line))
    {
        return Cow::Borrowed(line);
    }
    let m = MONTH.replace_all(line, "month");
    match join_doubled_letters(&m) {
        Some(s) => Cow::Owned(s),
        None => m,
    }
}

/// Each run of ASCII letters, tabs, then ASCII letters (taken left to right,
/// a word joined once) whose letters either side of the tabs are the same
/// letter becomes one word less the tabs and the repeated letter. `None`
/// when no run is joined.
fn join_doubled_letters(line: &str) -> Option<String> {
    let b = line.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    // Where the last joined word ends: its letters take part in no other join.
    let mut taken = 0;
    for i in memchr::memchr_iter(b'\t', b) {
        // A tab after a tab or after the last joined word starts no join.
        if i <= taken || !b[i - 1].is_ascii_alphabetic() {
            continue;
        }
        let after = i + b[i..].iter().take_while(|&&c| c == b'\t').count();
        let Some(&y) = b.get(after).filter(|c| c.is_ascii_alphabetic()) else {
            continue;
        };
        let word_end = after
            + b[after..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
        taken = word_end;
        if b[i - 1] != y {
            continue;
        }
        let o = out.get_or_insert_with(|| String::with_capacity(line.len()));
        o.push_str(line.get(copied..i).unwrap_or(""));
        copied = after + 1;
    }
    let mut o = out?;
    o.push_str(line.get(copied..).unwrap_or(""));
    Some(o)
}

/// Whether some tab has the byte `b` right before or right after it.
fn tab_beside(line: &str, b: u8) -> bool {
    let s = line.as_bytes();
    memchr::memchr_iter(b'\t', s)
        .any(|i| i.checked_sub(1).and_then(|j| s.get(j)) == Some(&b) || s.get(i + 1) == Some(&b))
}

/// Whether some run of tabs has the same ASCII letter right before and after it.
fn has_same_letter_around_tabs(line: &str) -> bool {
    let b = line.as_bytes();
    memchr::memchr_iter(b'\t', b).any(|i| {
        let before = i.checked_sub(1).and_then(|j| b.get(j)).copied();
        let after = b.get(i + 1..).and_then(|r| r.iter().find(|&&c| c != b'\t'));
        matches!((before, after), (Some(x), Some(&y)) if x == y && x.is_ascii_alphabetic())
    })
}

/// Page furniture that pdftotext and pypdf mix into the text: `FF301`,
/// `Page 1 of 10   v 1.2.0`, and pypdf's glued `vPage 1 of 10 1.2.0`.
/// Returns the form version printed in the footer when the line is one.
pub fn page_furniture(line: &str) -> Option<Option<&str>> {
    let t = furniture_candidate(line)?;
    if !FOOT.is_match(t) {
        return None;
    }
    // The version needs a dot: a footer without one ("Page 1 of 10", "FF301")
    // skips the slower capturing search.
    if !t.contains('.') {
        return Some(None);
    }
    let c = FOOT.captures(t)?;
    Some(c.get(1).map(|m| m.as_str()))
}

static FOOT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:FF30\d\s*)?(?:v?\s*Page\s+\d+\s+of\s+\d+)?\s*(?:v\s*)?(\d+\.\d+\.\d+)?\s*(?:FF30\d)?\s*$")
        .expect("static regex")
});

/// Whether a line is page furniture ([`page_furniture`] without the version).
pub fn is_page_furniture(line: &str) -> bool {
    furniture_candidate(line).is_some_and(|t| FOOT.is_match(t))
}

/// The trimmed line when it may be furniture. Furniture is short and names a
/// page, a form or a version: most lines are neither and skip the regex.
fn furniture_candidate(line: &str) -> Option<&str> {
    // The byte test first, on the line less its indent (white space passes
    // it anyway): most lines fail at their first letter.
    if !trim_start_fast(line).bytes().all(furniture_byte) {
        return None;
    }
    let t = line.trim();
    let may = !t.is_empty()
        && t.bytes().filter(|b| !b.is_ascii_whitespace()).count() <= 40
        && (t.contains("Page") || t.contains("FF30") || t.contains('.'));
    may.then_some(t)
}

/// Whether a byte can be part of page furniture: the footer pattern is made
/// of spaces, digits, dots and the letters of `FF30`, `v`, `Page` and `of`
/// (any other ASCII byte rules a line out before the regex runs). Non-ASCII
/// bytes are let through: the pattern's `\s` and `\d` are Unicode classes.
fn furniture_byte(b: u8) -> bool {
    !b.is_ascii()
        || b.is_ascii_digit()
        || (b as char).is_whitespace()
        || matches!(
            b,
            b'.' | b'F' | b'v' | b'P' | b'a' | b'g' | b'e' | b'o' | b'f'
        )
}

/// Every per-line repair the monthly-return parsers apply, in order. Most
/// lines need none and are borrowed as they are.
pub fn repair_line(line: &str) -> Cow<'_, str> {
    // Both repairs mend what a tab cut.
    if memchr::memchr(b'\t', line.as_bytes()).is_none() {
        return Cow::Borrowed(line);
    }
    match join_tab_split_numbers(line) {
        Cow::Borrowed(a) => mend_cut_labels(a),
        Cow::Owned(a) => Cow::Owned(mend_cut_labels(&a).into_owned()),
    }
}

/// Whether `hay` contains `needle` (lower-case ASCII) ignoring ASCII case:
/// `hay.to_ascii_lowercase().contains(needle)` without the copy. The cheap
/// test the parsers run before a regex, on every line.
pub fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    needle.is_empty() || find_ignore_case(hay, needle, 0).is_some()
}

/// Where `needle` (ASCII, lower case, not empty) first occurs in `hay`,
/// ASCII letters compared without case; a byte offset into `hay`. The
/// candidates are the occurrences of the needle's byte at `anchor` (a letter
/// rarer in the forms' text than its first, where one is): the same first
/// match, from fewer candidates.
pub fn find_ignore_case(hay: &str, needle: &str, anchor: usize) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let &a = n.get(anchor)?;
    let last_start = h.len().checked_sub(n.len())?;
    let anchors = h.get(anchor..=last_start + anchor).unwrap_or_default();
    memchr::memchr2_iter(a.to_ascii_lowercase(), a.to_ascii_uppercase(), anchors).find(|&i| {
        h.get(i..i + n.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(n))
    })
}

/// Whether `hay` contains any of `needles` (lower-case ASCII, non-empty)
/// ignoring ASCII case, in one pass over `hay`.
pub fn contains_any_ignore_case(hay: &str, needles: &[&str]) -> bool {
    // The needles' first bytes in either case: most bytes of the hay are none
    // of them and cost one table lookup.
    let mut firsts = [false; 256];
    for n in needles {
        if let Some(&b) = n.as_bytes().first() {
            firsts[usize::from(b)] = true;
            firsts[usize::from(b.to_ascii_uppercase())] = true;
        }
    }
    let h = hay.as_bytes();
    h.iter().enumerate().any(|(i, &b)| {
        firsts[usize::from(b)] && {
            let b = b.to_ascii_lowercase();
            needles.iter().any(|n| {
                n.as_bytes().first() == Some(&b)
                    && h.get(i..i + n.len())
                        .is_some_and(|w| w.eq_ignore_ascii_case(n.as_bytes()))
            })
        }
    })
}

/// `s.trim_start()`, with the spaces and tabs that pad layout lines skipped
/// first (runs of spaces eight bytes at a time) before the Unicode-aware trim.
pub fn trim_start_fast(s: &str) -> &str {
    let b = s.as_bytes();
    let mut i = 0;
    while b.get(i..i + 8).is_some_and(|w| w == b"        ") {
        i += 8;
    }
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    // `i` is past ASCII bytes only: a char boundary.
    s.get(i..).unwrap_or("").trim_start()
}

/// Runs of white space (tabs and line breaks too) as one space, the ends
/// trimmed: `s.split_whitespace()` joined by spaces, made in one pass over
/// the bytes. Splitting by characters decoded every character of a
/// paragraph holding a Chinese name, and copying word by word paid a copy
/// call per word: together a seventh of an announcement's parse. Here the
/// words one plain space apart are copied in one piece, and a white space
/// character outside ASCII is recognised by its UTF-8 bytes
/// ([`unicode_space_len`]); every other byte is copied as it is, so the
/// output is as valid UTF-8 as the input.
pub fn collapse_ws(s: &str) -> String {
    let b = s.as_bytes();
    let n = b.len();
    let mut out: Vec<u8> = Vec::with_capacity(n);
    let ws = |i: usize| match WS_CLASS[usize::from(b[i])] {
        0 => 0,
        1 => 1,
        _ => unicode_space_len(b, i),
    };
    let mut i = 0;
    loop {
        // Skip a run of white space.
        while i < n {
            match ws(i) {
                0 => break,
                k => i += k,
            }
        }
        if i >= n {
            break;
        }
        // Copy in one piece the words that follow, as long as each is one
        // plain space from the next (most text is so spaced).
        let start = i;
        while i < n {
            while i < n && WS_CLASS[usize::from(b[i])] == 0 {
                i += 1;
            }
            if i >= n {
                break;
            }
            if b[i] == b' ' {
                if i + 1 < n && ws(i + 1) == 0 {
                    i += 1;
                    continue;
                }
                break;
            }
            if ws(i) > 0 {
                break;
            }
            // A lead byte that starts no white space character.
            i += 1;
        }
        if !out.is_empty() {
            out.push(b' ');
        }
        out.extend_from_slice(&b[start..i]);
    }
    // Only whole white space characters were left out: still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// Per byte: 0 for a byte that is no white space and starts none, 1 for
/// an ASCII white space byte (those `char::is_whitespace` takes, the
/// vertical tab among them), 2 for a lead byte that may start a white space
/// character outside ASCII.
static WS_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b' ' as usize] = 1;
    t[b'\t' as usize] = 1;
    t[b'\n' as usize] = 1;
    t[b'\r' as usize] = 1;
    t[0x0B] = 1;
    t[0x0C] = 1;
    t[0xC2] = 2;
    t[0xE1] = 2;
    t[0xE2] = 2;
    t[0xE3] = 2;
    t
};

/// The length in bytes of the white space character (outside ASCII) that
/// starts at `b[i]`, or 0: U+0085, U+00A0, U+1680, U+2000 to U+200A,
/// U+2028, U+2029, U+202F, U+205F and U+3000, the rest of Unicode's
/// White_Space. A continuation byte starts none.
fn unicode_space_len(b: &[u8], i: usize) -> usize {
    let next = |k: usize| b.get(i + k).copied().unwrap_or(0);
    let is = match b[i] {
        0xC2 => matches!(next(1), 0x85 | 0xA0),
        0xE1 => next(1) == 0x9A && next(2) == 0x80,
        0xE2 => match next(1) {
            0x80 => matches!(next(2), 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF),
            0x81 => next(2) == 0x9F,
            _ => false,
        },
        0xE3 => next(1) == 0x80 && next(2) == 0x80,
        _ => return 0,
    };
    match (is, b[i]) {
        (false, _) => 0,
        (true, 0xC2) => 2,
        (true, _) => 3,
    }
}

/// `s.trim()`, with the spaces and tabs either side skipped first
/// ([`trim_start_fast`], and the same from the end).
pub fn trim_fast(s: &str) -> &str {
    let s = trim_start_fast(s);
    let b = s.as_bytes();
    let mut n = b.len();
    while n >= 8 && &b[n - 8..n] == b"        " {
        n -= 8;
    }
    while n > 0 && matches!(b[n - 1], b' ' | b'\t') {
        n -= 1;
    }
    // `n` is before ASCII bytes only: a char boundary.
    s.get(..n).unwrap_or("").trim_end()
}

/// Whether `line`, less its leading whitespace, starts with `prefix`
/// (lower-case ASCII) ignoring ASCII case: the test before an anchored
/// `(?i)^\s*Prefix` regex.
pub fn starts_with_ignore_case(line: &str, prefix: &str) -> bool {
    trim_start_fast(line)
        .as_bytes()
        .get(..prefix.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// `s` less a leading `prefix` (lower-case ASCII) matched ignoring ASCII
/// case; None when it does not start so.
pub fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    s.as_bytes()
        .get(..prefix.len())
        .filter(|h| h.eq_ignore_ascii_case(prefix.as_bytes()))
        .and_then(|_| s.get(prefix.len()..))
}

/// The first byte of `line` after its leading whitespace, lower-cased.
pub fn first_byte_lc(line: &str) -> Option<u8> {
    line.trim_start()
        .as_bytes()
        .first()
        .map(u8::to_ascii_lowercase)
}

#[cfg(test)]
mod tests {
    fn mended(text: &str) -> Vec<String> {
        let mut ls: Vec<Cow<str>> = text.lines().map(Cow::Borrowed).collect();
        mend_split_first_chars(&mut ls);
        ls.into_iter().map(Cow::into_owned).collect()
    }

    #[test]
    fn split_first_chars_go_back_to_their_lines() {
        // One character, its line after a blank line.
        assert_eq!(
            mended("  N\n\name of Issuer\nX Ltd"),
            ["", "", "Name of Issuer", "X Ltd"]
        );
        // A run: each goes to the next line that starts like a word's tail,
        // past a value that does not.
        assert_eq!(
            mended("  F\n T\nor the month ended :\n31/05/2012\no : Hong Kong"),
            [
                "",
                "",
                "For the month ended :",
                "31/05/2012",
                "To : Hong Kong"
            ]
        );
        assert_eq!(mended("  I\nII. Details"), ["", "III. Details"]);
    }

    #[test]
    fn split_first_chars_after_their_lines_go_back() {
        // One character after its line, past the value under the label.
        assert_eq!(
            mended("ame of Issuer\nX Ltd\n   N\nonthly Return\n M"),
            ["Name of Issuer", "X Ltd", "", "Monthly Return", ""]
        );
        // A run after its lines: each to its line, in order.
        assert_eq!(
            mended("or the month ended :\n31/05/2012\no : Hong Kong\n  F\n T\nDate Submitted"),
            [
                "For the month ended :",
                "31/05/2012",
                "To : Hong Kong",
                "",
                "",
                "Date Submitted"
            ]
        );
        // A heading's numeral, and a character standing the other way
        // round among characters that follow their lines.
        assert_eq!(
            mended("II. Details of Movements\n  I\nemarks (if any):\n  R\nitle:\n  T\n  S\nubmitted by:"),
            [
                "III. Details of Movements",
                "",
                "Remarks (if any):",
                "",
                "Title:",
                "",
                "",
                "Submitted by:"
            ]
        );
    }

    #[test]
    fn a_page_number_over_a_heading_stays_apart() {
        // pypdf prints a page's number on its own line before the page's
        // first heading: "3" is no first character of "II. Movements".
        let t = "For Main Board and GEM listed issuers\n 3\nII. Movements in Issued Share Capital";
        assert_eq!(mended(t), t.lines().collect::<Vec<_>>());
        // A lone digit before a line of digits is still its first digit.
        assert_eq!(mended("  2\n009"), ["", "2009"]);
    }

    #[test]
    fn a_one_character_cell_without_its_line_is_left_alone() {
        // A lone cell before a capitalised line: no word lost its first letter.
        let t = "  A\n\n\n\nBalance at close\nNil";
        assert_eq!(mended(t), t.lines().collect::<Vec<_>>());
        // An unindented one-character line is a value, not a split letter.
        let t = "Class\nB\nordinary shares";
        assert_eq!(mended(t), t.lines().collect::<Vec<_>>());
        // A run's characters expire when no line of theirs comes.
        let t = "  F\n T\nBalance\n1\n2\n3\n4\n5\n6\n7\nshares";
        assert_eq!(mended(t), t.lines().collect::<Vec<_>>());
    }

    use super::*;

    fn md_mended(text: &str) -> Vec<String> {
        let mut ls: Vec<Cow<'_, str>> = text.lines().map(Cow::Borrowed).collect();
        mend_markdown(&mut ls);
        ls.into_iter().map(Cow::into_owned).collect()
    }

    fn cells(row: &[&str]) -> Option<Vec<String>> {
        Some(row.iter().map(|c| c.to_string()).collect())
    }

    #[test]
    fn repeated_spans_collapse_under_their_heads_only() {
        let mut rows = vec![
            // The class header's rows, above any head: equal neighbours join.
            cells(&[
                "Stock code (if listed)",
                "01723",
                "01723",
                "Description",
                "Ordinary Shares",
                "Ordinary Shares",
            ]),
            None, // a rule
            cells(&[
                "",
                "",
                "Options at close",
                "Options at close",
                "(A1)",
                "(A2)",
                "(A2)",
                "Currency",
                "Currency",
            ]),
            // 0 under (A1) and 0 under (A2) stay apart; the (A2) span's two
            // zeros are one; text joins across heads; a currency under two
            // heads stays twice.
            cells(&[
                "Balance at close",
                "Balance at close",
                "5,000",
                "5,000",
                "0",
                "0",
                "0",
                "HKD",
                "HKD",
            ]),
            cells(&["Increase", "Increase", "", "", "", "", "", "", ""]),
        ];
        collapse_repeated_spans(&mut rows);
        let got: Vec<Option<Vec<String>>> = rows;
        assert_eq!(
            got[0],
            cells(&[
                "Stock code (if listed)",
                "01723",
                "Description",
                "Ordinary Shares"
            ])
        );
        assert_eq!(got[1], None);
        assert_eq!(
            got[2],
            cells(&["", "Options at close", "(A1)", "(A2)", "Currency"])
        );
        assert_eq!(
            got[3],
            cells(&["Balance at close", "5,000", "0", "0", "HKD"])
        );
        assert_eq!(got[4], cells(&["Increase", "", "", "", ""]));
    }

    #[test]
    fn a_table_without_repeated_text_keeps_equal_neighbours() {
        let md = "| Particulars | Granted | Exercised |\n|---|---|---|\n| 1). Scheme | 0 | 0 |\n## II. Issued";
        assert_eq!(md_mended(md)[2], "1). Scheme\t0\t0");
    }

    #[test]
    fn labels_printed_without_spaces_get_them_back() {
        assert_eq!(respace_label("1 Classofshares ."), "1. Class of shares");
        assert_eq!(
            respace_label("ListedontheExchange(Note1)"),
            "Listed on the Exchange (Note 1)"
        );
        assert_eq!(respace_label("Notapplicable"), "Not applicable");
        assert_eq!(
            respace_label("Classofsharesissuable"),
            "Class of shares issuable"
        );
        // As printed: text with its spaces, values, words that are no label.
        for c in [
            "Ordinary shares of HKD 0.01",
            "1,000,000",
            "1).",
            "Bondsdue2028",
            "12 500",
        ] {
            assert_eq!(respace_label(c), c);
        }
    }

    #[test]
    fn markdown_tables_become_tab_cells_line_for_line() {
        let md = "## II. Movements in Issued Shares\n\
                  **Name of Issuer:** Tan &amp; Co. Limited\n\
                  | Balance at close of<br>preceding month | 1,200,000,000 | 3,000,000 |\n\
                  |:---|---:|:---:|\n\
                  ||Par value|\n\
                  -----\n\
                  plain line";
        assert_eq!(
            md_mended(md),
            [
                "II. Movements in Issued Shares",
                "Name of Issuer: Tan & Co. Limited",
                "Balance at close of preceding month\t1,200,000,000\t3,000,000",
                "",
                "\tPar value",
                "",
                "plain line",
            ]
        );
    }

    #[test]
    fn italics_and_unnamed_column_heads_lose_their_marks_fill_in_lines_keep_theirs() {
        let md = "|Opening balance as at<br>_(Note 2)_<br>  31 July 2009|Col2|\n\
                  |---|---|\n\
                  _Notes to Section I:_ _1._ see _this_, _and that_.\n\
                  Submitted by: __Tricor Standard Limited_______";
        assert_eq!(
            md_mended(md),
            [
                "Opening balance as at (Note 2)   31 July 2009\t",
                "",
                "Notes to Section I: 1. see this, and that.",
                "Submitted by: __Tricor Standard Limited_______",
            ]
        );
        assert!(is_column_placeholder("Col12"));
        assert!(!is_column_placeholder("Col"));
        assert!(!is_column_placeholder("Colour"));
    }

    #[test]
    fn text_with_one_marked_line_is_left_alone() {
        // One pipe row, a "#" that is no heading, "---" in prose: no Markdown.
        let text = "| Stock code | 1149 |\n#3 of 5\nBalance --- N/A";
        assert_eq!(
            md_mended(text),
            ["| Stock code | 1149 |", "#3 of 5", "Balance --- N/A"]
        );
        // One note's mark is no bold; a heading alone makes Markdown.
        let text = "** For identification only\nBalance --- N/A";
        assert_eq!(md_mended(text), text.lines().collect::<Vec<_>>());
        assert_eq!(md_mended("## ANNOUNCEMENT\n**X**"), ["ANNOUNCEMENT", "X"]);
        assert_eq!(markdown_heading("####### seven"), None);
        assert_eq!(markdown_heading("#hashtag"), None);
        assert_eq!(markdown_heading("### III. Details"), Some("III. Details"));
    }

    #[test]
    fn a_tab_before_a_thousands_group_is_closed_up() {
        assert_eq!(
            join_tab_split_numbers("USD\t1,992,000\t,000,000\tUSD"),
            "USD\t1,992,000,000,000\tUSD"
        );
    }

    #[test]
    fn a_tab_after_a_thousands_comma_is_closed_up() {
        assert_eq!(
            join_tab_split_numbers("-12,189,548\t3,525,018,\t981\t\t0"),
            "-12,189,548\t3,525,018,981\t\t0"
        );
    }

    #[test]
    fn a_cut_off_copy_before_several_tabs_is_not_joined_to_the_number() {
        assert_eq!(
            join_tab_split_numbers("month515,283,\t\t\t515\t,283,413"),
            "month515,283,\t\t\t515,283,413"
        );
    }

    #[test]
    fn a_number_cut_by_two_tabs_is_joined_whole() {
        assert_eq!(
            join_tab_split_numbers("month\t40\t,000\t,000,000\tUSD"),
            "month\t40,000,000,000\tUSD"
        );
    }

    fn cut(text: &str) -> Vec<String> {
        let mut lines = lines_borrowed(text);
        mark_cut_last_word(text, &mut lines);
        lines.into_iter().map(|l| l.into_owned()).collect()
    }

    #[test]
    fn a_file_cut_mid_line_loses_its_last_number_word() {
        assert_eq!(cut("a\nBalance\t1,992,000\t"), ["a", "Balance\t\u{2026}"]);
        assert_eq!(
            cut("a\nBalance at close 10"),
            ["a", "Balance at close \u{2026}"]
        );
        // Cut after a negative number's sign: no nil dash is left.
        assert_eq!(
            cut("a\nIncrease / decrease (-) -"),
            ["a", "Increase / decrease (-) \u{2026}"]
        );
        assert_eq!(
            cut("a\nIncrease / decrease (-) -\n"),
            ["a", "Increase / decrease (-) -"]
        );
    }

    #[test]
    fn a_cut_number_after_a_wide_space_is_marked_without_splitting_the_space() {
        // U+2003 (em space) is three bytes: the pieces before it are found
        // at a character boundary.
        assert_eq!(
            cut("a\nmonth 12\u{2003}900 000"),
            ["a", "month 12\u{2003}\u{2026}"]
        );
        assert_eq!(
            cut("a\nx 49,0\u{2003}2,391 \""),
            ["a", "x 49,0\u{2003}2,391 \""]
        );
    }

    #[test]
    fn a_whole_file_or_a_last_line_without_digits_is_left_alone() {
        assert_eq!(cut("Balance 10\n"), ["Balance 10"]);
        assert_eq!(
            cut("Title: Company Secretary"),
            ["Title: Company Secretary"]
        );
    }

    #[test]
    fn neighbouring_number_cells_stay_apart() {
        assert_eq!(
            join_tab_split_numbers("7,520,115,072\t0\t12"),
            "7,520,115,072\t0\t12"
        );
    }

    #[test]
    fn doubled_letters_at_a_cut_are_dropped() {
        assert_eq!(
            mend_cut_labels("Balance at close of preceding\tg month\t\t8,000"),
            "Balance at close of preceding month\t\t8,000"
        );
        assert_eq!(
            mend_cut_labels("Listed on SEHK (No\tote 1)\tYes"),
            "Listed on SEHK (Note 1)\tYes"
        );
        assert_eq!(
            mend_cut_labels("WVR ordinary s\tshares\tType"),
            "WVR ordinary shares\tType"
        );
    }

    #[test]
    fn month_cut_into_montl_and_a_stray_one_is_mended_without_a_number() {
        assert_eq!(
            mend_cut_labels("Balance at close of the montl\t1\t\t8,000\t,000,000"),
            "Balance at close of the month\t\t8,000\t,000,000"
        );
        assert_eq!(
            repair_line("Balance at close of the montl\t1\t\t8,000\t,000,000"),
            "Balance at close of the month\t\t8,000,000,000"
        );
    }

    /// Every character of Unicode, between two letters and doubled at
    /// either end, is white space to `collapse_ws` exactly when it is to
    /// `char::is_whitespace`.
    #[test]
    fn collapse_ws_knows_every_white_space_character() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let s = format!("{c}{c}a{c}b{c}{c}");
            let want = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_ws(&s), want, "U+{:04X}", c as u32);
        }
    }

    proptest::proptest! {
        /// The substring search finds the first match whichever of the
        /// needle's bytes anchors it.
        #[test]
        fn find_ignore_case_is_the_first_match(
            hay in "[aAbB ]{0,24}",
            needle in "[ab ]{1,4}",
            anchor in 0usize..4,
        ) {
            let anchor = anchor % needle.len();
            let want = hay.to_ascii_lowercase().find(&needle);
            proptest::prop_assert_eq!(find_ignore_case(&hay, &needle, anchor), want);
        }

        /// The trims that skip spaces and tabs first trim as the standard
        /// library's do, Unicode white space included.
        #[test]
        fn fast_trims_are_the_standard_trims(
            s in "[ \\t]{0,20}(\\PC|[ \\t\\u{3000}\\u{85}]){0,12}[ \\t\\r\\u{3000}]{0,20}",
        ) {
            proptest::prop_assert_eq!(trim_start_fast(&s), s.trim_start());
            proptest::prop_assert_eq!(trim_fast(&s), s.trim());
        }

        /// One buffer built byte by byte gives what the standard library's
        /// white space split joined by spaces gives, ASCII or not (the
        /// vertical tab and form feed are white space; U+00A0 and U+3000 too).
        #[test]
        fn collapse_ws_is_split_whitespace_joined(
            s in "([ \\t\\n\\r\\u{b}\\u{c}]{0,3}(\\PC|[\\u{a0}\\u{3000}\\u{85}\\u{1680}\\u{2000}-\\u{200b}\\u{2027}-\\u{2030}\\u{202f}\\u{205f}\\u{3001}\\u{feff}]){0,4}){0,8}",
        ) {
            let want = s.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(collapse_ws(&s), want);
        }

        /// The same on ASCII text.
        #[test]
        fn collapse_ws_of_ascii_is_split_whitespace_joined(
            s in "[ \\t\\n\\r\\u{b}\\u{c}a-z.,0-9]{0,40}",
        ) {
            let want = s.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(collapse_ws(&s), want);
        }

        /// The chunked test (sixteen bytes, then eight, at a time) agrees with
        /// the plain one on every byte value at every position.
        #[test]
        fn plain_ascii_test_agrees_byte_by_byte(b in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..72)) {
            let want = b.iter().all(|&c| c == b'\t' || (0x20..0x7f).contains(&c));
            proptest::prop_assert_eq!(is_plain_ascii(&b), want);
        }

        #[test]
        fn plain_ascii_test_finds_one_odd_byte(pos in 0usize..40, odd in proptest::prelude::any::<u8>()) {
            let mut b = vec![b'a'; 40];
            b[pos] = odd;
            let want = odd == b'\t' || (0x20..0x7f).contains(&odd);
            proptest::prop_assert_eq!(is_plain_ascii(&b), want);
        }
    }

    proptest::proptest! {
        /// The hand-written join does what the regex
        /// `([A-Za-z]+)\t+([A-Za-z]+)` replacing each match whose letters
        /// either side of the tabs are the same would do.
        #[test]
        fn doubled_letters_join_as_the_regex_would(line in "[abAB\t .1é]{0,24}") {
            let cut = Regex::new(r"([A-Za-z]+)\t+([A-Za-z]+)").expect("regex");
            let want = cut.replace_all(&line, |c: &regex::Captures| {
                let (a, b) = (&c[1], &c[2]);
                if a.as_bytes().last() == b.as_bytes().first() {
                    format!("{a}{}", &b[1..])
                } else {
                    c[0].to_string()
                }
            });
            let got = join_doubled_letters(&line);
            proptest::prop_assert_eq!(got.as_deref().unwrap_or(&line), &*want);
            proptest::prop_assert_eq!(got.is_some(), want != line);
        }
    }

    #[test]
    fn cells_with_different_letters_at_the_cut_stay_apart() {
        assert_eq!(
            mend_cut_labels("Class of shares\tWVR ordinary shares"),
            "Class of shares\tWVR ordinary shares"
        );
    }

    #[test]
    fn page_footers_of_every_extractor_are_furniture_with_their_version() {
        assert_eq!(page_furniture("vPage 1 of 10 1.2.0"), Some(Some("1.2.0")));
        assert_eq!(
            page_furniture("      Page 3 of 10   v 1.2.0"),
            Some(Some("1.2.0"))
        );
        assert_eq!(page_furniture("FF301"), Some(None));
        assert_eq!(page_furniture("v 1.1.0"), Some(Some("1.1.0")));
        assert_eq!(page_furniture("Balance 1,000"), None);
    }

    #[test]
    fn cyrillic_e_in_par_value_label_is_folded_to_latin() {
        assert_eq!(clean_line("Par valu\tе"), "Par valu\te");
    }

    #[test]
    fn dotless_i_is_folded_and_bel_becomes_space() {
        assert_eq!(clean_line("montl\tı\u{7}x"), "montl\ti x");
    }

    #[test]
    fn ascii_control_bytes_become_spaces_and_escapes_go_whole() {
        // A page's first line from `pdftotext` opens with a form feed.
        assert_eq!(
            clean_line("\u{c}Page 1\u{7}of\u{7f}2\tx"),
            " Page 1 of 2\tx"
        );
        assert!(matches!(clean_line_cow("Page 1 of 2\tx"), Cow::Borrowed(_)));
        // An escape sequence is no text of the filing, on an ASCII line too.
        assert_eq!(clean_line("\u{1b}]0;title\u{7}Balance\u{c}"), "Balance ");
    }

    #[test]
    fn lines_are_numbered_from_the_file() {
        let l = lines("a\r\nb\nc\n");
        assert_eq!(l, vec!["a", "b", "c"]);
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_as_in_word_exports() {
        assert_eq!(lines("a\rb\r\rc"), vec!["a", "b", "", "c"]);
        assert_eq!(lines("a\r"), vec!["a"]);
    }

    #[test]
    fn carriage_return_then_newline_is_one_line_break() {
        assert_eq!(lines("a\r\n\r\nb\r\n"), vec!["a", "", "b"]);
        assert_eq!(lines("a\n\r\nb"), vec!["a", "", "b"]);
    }

    #[test]
    fn blank_lines_keep_their_numbers() {
        assert_eq!(lines("\n\nx"), vec!["", "", "x"]);
        assert_eq!(lines(""), Vec::<String>::new());
    }

    #[test]
    fn case_blind_search_finds_what_a_lower_cased_copy_would() {
        assert!(contains_ignore_case(
            "Number of Treasury Shares",
            "treasury shares"
        ));
        assert!(contains_ignore_case("NOT APPLICABLE", "not applicable"));
        assert!(!contains_ignore_case("Treasury", "treasury shares"));
        assert!(contains_ignore_case("x", ""));
        assert!(contains_any_ignore_case(
            "1. CLASS of shares",
            &["type", "class"]
        ));
        assert!(!contains_any_ignore_case("Balance", &["type", "class"]));
        assert!(starts_with_ignore_case("  BALANCE at close", "balance"));
        assert!(!starts_with_ignore_case("Closing balance", "balance"));
        assert_eq!(first_byte_lc("\t Total"), Some(b't'));
        assert_eq!(first_byte_lc("   "), None);
    }
}
