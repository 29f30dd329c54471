//! Text from filings is data, never terminal control: every string a pane
//! shows that came from a file goes through [`sanitize`]. Widths are display
//! widths (CJK characters take two cells).

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Make filing text safe to print on one line: control characters (C0, DEL,
/// C1; so no ESC sequence survives), bidi overrides and zero-width format
/// characters become nothing or a space; tabs become one space.
pub fn sanitize(s: &str) -> String {
    // Escape sequences go whole, payload included (crate::escapes).
    let s = crate::escapes::strip(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            // Bidi embeddings, overrides and isolates could reorder what
            // follows them on screen.
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' => {}
            '\u{FEFF}' | '\u{200B}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A source line for the text view: sanitised, tabs expanded to stops of 8.
pub fn sanitize_expand_tabs(s: &str) -> String {
    let s = crate::escapes::strip(s);
    let mut out = String::with_capacity(s.len());
    let mut col = 0usize;
    for c in s.chars() {
        if c == '\t' {
            let n = 8 - col % 8;
            out.extend(std::iter::repeat_n(' ', n));
            col += n;
            continue;
        }
        let clean = sanitize(c.encode_utf8(&mut [0u8; 4]));
        col += clean.width();
        out.push_str(&clean);
    }
    out
}

/// Cut `s` to at most `width` display cells, ending with `…` when cut.
pub fn truncate(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// `…` and the last `width - 1` cells of `s`.
pub fn truncate_left(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut tail: Vec<char> = Vec::new();
    let mut used = 1;
    for c in s.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        tail.push(c);
    }
    std::iter::once('…').chain(tail.into_iter().rev()).collect()
}

/// Skip the first `skip` display cells of `s` (for horizontal scrolling);
/// a wide character cut in half becomes a space.
pub fn skip_width(s: &str, skip: usize) -> String {
    let mut used = 0;
    let mut out = String::new();
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used >= skip {
            out.push(c);
        } else if used + w > skip {
            out.push(' ');
        }
        used += w;
    }
    out
}

/// `s` padded with spaces on the left to `width` cells (numbers align right).
pub fn pad_left(s: &str, width: usize) -> String {
    let w = s.width();
    if w >= width {
        return s.to_string();
    }
    format!("{}{s}", " ".repeat(width - w))
}

/// 1992000000000 -> "1,992,000,000,000"; negatives keep their sign.
pub fn group(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A decimal string's integer part grouped: "49800.50" -> "49,800.50".
pub fn group_decimal(s: &str) -> String {
    let (sign, body) = match s.strip_prefix('-') {
        Some(b) => ("-", b),
        None => ("", s),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    match int.parse::<i64>() {
        Ok(n) => {
            let mut out = format!("{sign}{}", group(n));
            if let Some(f) = frac {
                out.push('.');
                out.push_str(f);
            }
            out
        }
        Err(_) => sanitize(s),
    }
}

/// A count for the status line: "100,000".
pub fn count(n: usize) -> String {
    group(i64::try_from(n).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_control_characters_never_survive() {
        assert_eq!(sanitize("A\x1b[31mred\x1b[0m\x07B"), "AredB");
        assert_eq!(sanitize("x\u{9b}2Jy"), "xy");
        assert_eq!(sanitize("evil\u{202E}txt"), "eviltxt");
        assert_eq!(sanitize("a\tb\r"), "a b ");
    }

    #[test]
    fn tabs_expand_to_stops_of_eight_in_the_source_view() {
        assert_eq!(sanitize_expand_tabs("ab\tc"), "ab      c");
        assert_eq!(sanitize_expand_tabs("\x1b]0;x\x07\tz"), "        z");
    }

    #[test]
    fn cjk_is_truncated_by_display_width() {
        assert_eq!(truncate("商汤集团股份有限公司", 7), "商汤集…");
        assert_eq!(truncate("商汤集团股份有限公司", 20), "商汤集团股份有限公司");
        assert_eq!(truncate("abcdef", 1), "…");
        assert_eq!(truncate("abcdef", 0), "");
    }

    #[test]
    fn skipping_into_a_wide_character_leaves_a_space() {
        assert_eq!(skip_width("商汤x", 1), " 汤x");
        assert_eq!(skip_width("abc", 5), "");
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(group(1_992_000_000_000), "1,992,000,000,000");
        assert_eq!(group(-12_189_548), "-12,189,548");
        assert_eq!(group(0), "0");
        assert_eq!(group(i64::MIN), "-9,223,372,036,854,775,808");
        assert_eq!(group_decimal("49800.50"), "49,800.50");
        assert_eq!(group_decimal("0.00000025"), "0.00000025");
        assert_eq!(pad_left("商", 4), "  商");
    }
}
