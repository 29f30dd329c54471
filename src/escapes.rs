//! Terminal escape sequences in filing text are removed whole, payload and
//! all: a title change (OSC 0/2), a clipboard write (OSC 52), a hyperlink
//! (OSC 8), colours and cursor movement (CSI) are data an attacker planted,
//! and even their payload text has no business on the analyst's screen.

use std::borrow::Cow;

/// Text to print on a terminal, line by line: escape sequences removed whole
/// ([`strip`]), and every other control character but tab and line feed
/// dropped. A file's own name can hold them (`esc\e]0;title\a.txt`).
pub fn printable(s: &str) -> Cow<'_, str> {
    let keep = |c: &char| !c.is_control() || *c == '\n' || *c == '\t';
    match strip(s) {
        t if t.chars().all(|c| keep(&c)) => t,
        t => Cow::Owned(t.chars().filter(keep).collect()),
    }
}

/// Remove ESC- and C1-introduced sequences (CSI, OSC, DCS, SOS, PM, APC and
/// two-byte escapes) with their parameters and payloads. Text without ESC or
/// C1 controls is returned as it is, without copying.
pub fn strip(s: &str) -> Cow<'_, str> {
    let needs = s
        .chars()
        .any(|c| c == '\u{1b}' || ('\u{80}'..='\u{9f}').contains(&c));
    if !needs {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        // What kind of sequence starts here, if any.
        let kind = match c {
            '\u{1b}' => match it.peek() {
                Some('[') => {
                    it.next();
                    Some('[')
                }
                Some(']') | Some('P') | Some('X') | Some('^') | Some('_') => it.next(),
                Some(_) => {
                    // A two-byte escape (ESC 7, ESC c ...): drop both.
                    it.next();
                    None
                }
                None => None,
            },
            '\u{9b}' => Some('['),
            '\u{9d}' => Some(']'),
            '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => Some('P'),
            c if ('\u{80}'..='\u{9f}').contains(&c) => None,
            c => {
                out.push(c);
                continue;
            }
        };
        match kind {
            // CSI: parameter and intermediate bytes, then one final byte.
            Some('[') => {
                for d in it.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&d) {
                        break;
                    }
                }
            }
            // OSC, DCS, SOS, PM, APC: up to BEL, ST (ESC \) or C1 ST.
            Some(_) => {
                while let Some(d) = it.next() {
                    if d == '\u{7}' || d == '\u{9c}' {
                        break;
                    }
                    if d == '\u{1b}' {
                        if it.peek() == Some(&'\\') {
                            it.next();
                        }
                        break;
                    }
                }
            }
            None => {}
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn printable_text_keeps_lines_and_tabs_and_drops_every_other_control() {
        assert_eq!(
            printable("a\u{1b}]0;title\u{7}b\tc\nd\u{8}e\u{0}\r"),
            "ab\tc\nde"
        );
        assert!(matches!(printable("plain\ttext\n"), Cow::Borrowed(_)));
    }

    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(strip("SenseTime 商汤"), Cow::Borrowed(_)));
    }

    #[test]
    fn osc_title_clipboard_and_hyperlink_go_with_their_payloads() {
        let s = "Evil\u{1b}]0;TITLE\u{7} Co\u{1b}]52;c;SEVMTE8=\u{1b}\\ Ltd\u{1b}]8;;http://x\u{7}link\u{1b}]8;;\u{7}";
        assert_eq!(strip(s), "Evil Co Ltdlink");
    }

    #[test]
    fn csi_colours_and_cursor_moves_are_removed() {
        assert_eq!(
            strip("\u{1b}[31mred\u{1b}[0m \u{1b}[2J\u{1b}[10;5Hx"),
            "red x"
        );
    }

    #[test]
    fn c1_forms_are_removed_too() {
        assert_eq!(strip("a\u{9b}31mb\u{9d}2;T\u{9c}c"), "abc");
    }

    #[test]
    fn an_unterminated_sequence_swallows_the_rest_of_the_line_only() {
        assert_eq!(strip("ok\u{1b}]0;never ends"), "ok");
    }
}
