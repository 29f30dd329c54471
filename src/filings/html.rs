//! Filings saved as HTML pages: older announcements and returns were
//! published as `.htm` files, and browsers and converters save them so. The
//! page becomes text the way a PDF's does: a paragraph, heading, list item
//! or table row a line, a table's cells apart by tabs, the head, scripts,
//! styles and comments dropped, entities decoded. The parser and the source
//! view both read this text, so line numbers agree.

/// Whether decoded text is an HTML page: its first markup (after any
/// whitespace) is a doctype, `<html>`, `<head>` or `<body>`, or a page that
/// opens with an XML declaration and holds one (Word's "save as web page").
pub fn is_html(text: &str) -> bool {
    let t = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if !t.starts_with('<') {
        return false;
    }
    let head: String = t
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    let opens = |p: &str| head.starts_with(p);
    opens("<!doctype html")
        || opens("<html")
        || opens("<head")
        || opens("<body")
        || ((opens("<?xml") || opens("<!--")) && head.contains("<html"))
}

/// Elements whose content is no text of the page.
const SKIPPED: [&str; 6] = ["head", "script", "style", "title", "noscript", "template"];

/// Elements that stand apart from the text around them by a blank line,
/// as paragraphs do in a PDF's text.
const PARAGRAPHS: [&str; 20] = [
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "ul",
    "ol",
    "dl",
    "blockquote",
    "pre",
    "hr",
    "section",
    "article",
    "header",
    "footer",
    "center",
];

/// Elements that start a line of their own.
const LINES: [&str; 6] = ["br", "tr", "li", "dt", "dd", "caption"];

/// The page's text: see the module's documentation.
pub fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    // The element whose content is being skipped, lower-cased.
    let mut skipping: Option<String> = None;
    let mut pre = 0usize;
    // Open table cells: a paragraph inside one is no line of its own.
    let mut in_cell = 0usize;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if skipping.is_none() {
                push_text(&mut out, rest, pre > 0);
            }
            break;
        };
        if skipping.is_none() {
            push_text(&mut out, &rest[..lt], pre > 0);
        }
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        // A `<` that opens no tag ("a < b") is text.
        let opens_tag = rest[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
        if !opens_tag {
            if skipping.is_none() {
                out.push('<');
            }
            rest = &rest[1..];
            continue;
        }
        let end = tag_end(rest);
        // The tag's text, without its `>` (an unfinished tag has none).
        let inner = if rest.as_bytes().get(end - 1) == Some(&b'>') {
            end - 1
        } else {
            end
        };
        let tag = &rest[1..inner.max(1)];
        rest = &rest[end..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == ':')
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some(s) = &skipping {
            if closing && *s == name {
                skipping = None;
            }
            continue;
        }
        if !closing && SKIPPED.contains(&name.as_str()) && !tag.ends_with('/') {
            skipping = Some(name);
            continue;
        }
        if name == "pre" && in_cell == 0 {
            pre = if closing {
                pre.saturating_sub(1)
            } else {
                pre + 1
            };
        }
        let name = name.as_str();
        if name == "td" || name == "th" {
            if closing {
                // Cells apart by a tab; the row's last one ends at the row.
                trim_end_spaces(&mut out);
                out.push('\t');
                in_cell = in_cell.saturating_sub(1);
            } else {
                in_cell += 1;
            }
        } else if in_cell > 0 && (PARAGRAPHS.contains(&name) || LINES.contains(&name)) {
            // Word wraps a cell's text in paragraphs: within a cell they are
            // words apart, or the row would break.
            if name == "tr" || name == "table" {
                in_cell = 0;
                new_line(&mut out);
            } else if !out.ends_with([' ', '\t', '\n']) {
                out.push(' ');
            }
        } else if PARAGRAPHS.contains(&name) {
            new_line(&mut out);
            if !out.is_empty() {
                out.push('\n');
            }
        } else if LINES.contains(&name) {
            new_line(&mut out);
        }
    }
    tidy(&out)
}

/// The index just past the tag that `s` opens with (`s` starts with `<`):
/// the first `>` outside quotes, or the end of the text.
fn tag_end(s: &str) -> usize {
    let mut quote: Option<u8> = None;
    for (i, b) in s.bytes().enumerate().skip(1) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return i + 1,
            None => {}
        }
    }
    s.len()
}

/// Text between tags: entities decoded, and outside `<pre>` every run of
/// whitespace (line breaks of the source included) one space; control
/// characters are spaces.
fn push_text(out: &mut String, raw: &str, pre: bool) {
    let decoded = decode_entities(raw);
    if pre {
        out.extend(decoded.chars().map(|c| {
            if c.is_control() && c != '\t' && c != '\n' {
                ' '
            } else {
                c
            }
        }));
        return;
    }
    for c in decoded.chars() {
        if (c.is_whitespace() || c.is_control()) && c != '\u{a0}' {
            if !out.ends_with([' ', '\n', '\t']) && !out.is_empty() {
                out.push(' ');
            }
        } else {
            out.push(if c == '\u{a0}' { ' ' } else { c });
        }
    }
}

fn trim_end_spaces(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
}

fn new_line(out: &mut String) {
    trim_end_spaces(out);
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Lines trimmed (a row's trailing tabs too), runs of blank lines one.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = true;
    for l in s.split('\n') {
        let l = l.trim_matches(|c: char| c == ' ' || c == '\t');
        if l.is_empty() {
            if !blank {
                out.push('\n');
            }
            blank = true;
            continue;
        }
        out.push_str(l);
        out.push('\n');
        blank = false;
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// `&amp;`, `&nbsp;`, `&#8217;`, `&#x4e2d;` and the other named entities
/// filings use; an unknown or unfinished one stays as written.
fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest.char_indices().take(12).find(|(_, c)| *c == ';');
        let decoded = semi.and_then(|(i, _)| entity(&rest[1..i]).map(|c| (c, i)));
        match decoded {
            Some((c, i)) => {
                out.push(c);
                rest = &rest[i + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        // Control characters stay out: the text is shown in a terminal.
        return char::from_u32(code).filter(|c| !c.is_control() || *c == '\t');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '\u{2013}',
        "mdash" => '\u{2014}',
        "lsquo" => '\u{2018}',
        "rsquo" => '\u{2019}',
        "ldquo" => '\u{201c}',
        "rdquo" => '\u{201d}',
        "hellip" => '\u{2026}',
        "middot" => '\u{b7}',
        "bull" => '\u{2022}',
        "copy" => '\u{a9}',
        "reg" => '\u{ae}',
        "yen" => '\u{a5}',
        "pound" => '\u{a3}',
        "euro" => '\u{20ac}',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_told_from_text_that_mentions_tags() {
        assert!(is_html("<!DOCTYPE html>\n<html><body>x</body></html>"));
        assert!(is_html("\u{feff}  <HTML>\n<HEAD>"));
        assert!(is_html("<?xml version=\"1.0\"?>\n<html xmlns:o=\"urn\">"));
        assert!(!is_html("Monthly Return <html> of"));
        assert!(!is_html("<b>bold</b> is no page"));
    }

    #[test]
    fn paragraphs_rows_and_cells_become_lines_and_tabs() {
        let page = "<html><head><title>T</title><style>p {margin:0}</style></head>\n\
            <body><!-- a comment <p>not text</p> -->\n\
            <p class=\"MsoNormal\"><span style='font:Arial'>Name of\n   Issuer:</span>\
            &nbsp;Tan &amp; Co.&#160;Limited</p>\
            <table><tr><td>Balance at close of the month</td><td>1,200,700,000</td>\
            <td>N/A</td></tr><tr><th>Total</th><td>&#x4e2d;&#25991;</td></tr></table>\
            <p>a &lt; b &unknown; &amp</p><script>var x = '<p>';</script>end<br>here</body></html>";
        assert_eq!(
            to_text(page),
            "Name of Issuer: Tan & Co. Limited\n\
             \n\
             Balance at close of the month\t1,200,700,000\tN/A\n\
             Total\t中文\n\
             \n\
             a < b &unknown; &amp\n\
             \n\
             end\n\
             here\n"
        );
    }

    proptest::proptest! {
        /// Any markup, however broken, becomes text without a panic, and no
        /// control character but tab and line feed comes out of it.
        #[test]
        fn any_page_becomes_text(body in "(<[a-z/!?]{0,3}[a-z ='\"]{0,8}>?|&#?[a-z0-9]{0,6};?|[^<&]{0,12}){0,40}") {
            let text = to_text(&format!("<html>{body}"));
            proptest::prop_assert!(text
                .chars()
                .all(|c| !c.is_control() || c == '\t' || c == '\n'));
        }
    }

    #[test]
    fn unfinished_markup_ends_the_text_without_a_panic() {
        assert_eq!(to_text("<html><body><p>Balance <td"), "Balance\n");
        assert_eq!(to_text("<html><p>x<script>never closed"), "x\n");
        assert_eq!(to_text("<html><p a=\"1>2\">y</p>"), "y\n");
        // Word's paragraphs inside cells keep the row on one line.
        assert_eq!(
            to_text("<html><table><tr><td><p>Balance at</p><p>close</p></td><td><p>1</p></td></tr><tr><td>x"),
            "Balance at close\t1\nx\n"
        );
        assert_eq!(
            to_text("<html>&#1;&#xD800;&#99999999;"),
            "&#1;&#xD800;&#99999999;\n"
        );
    }
}
