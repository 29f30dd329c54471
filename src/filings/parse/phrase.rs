//! Label phrases matched by hand on ASCII lines.
//!
//! The form's labels are fixed phrases ("Balance at close of the month",
//! "Stock code of shares issuable") whose words may be parted by any run of
//! whitespace and whose letters may be in any case. Written as regexes
//! (`(?i)Balance\s+at\s+close...`) they are clear, but the lazy DFA behind
//! them spends more time per line than the rest of the line's reading: its
//! transitions are table look-ups the processor cannot predict. On a line of
//! ASCII text the same phrase is a handful of byte comparisons.
//!
//! Each matcher here answers exactly what its regex would on an ASCII line
//! (property tests hold them to it); callers run the regex itself on any
//! other line, where Unicode whitespace, digits or case folding could differ.
//!
//! Only anchored labels and case-insensitive alternations are worth it: a
//! regex with a literal its engine looks for first (a price label, a
//! movement word) skips most lines in a vectorised search, and the hand
//! versions tried for those were slower. Dates are found by hand too: a line
//! reaches that search only once a cheaper test has seen a month's name or a
//! slash in it, where the regex's word boundaries cost it more than a walk.

/// `\s` on ASCII: tab, line feed, vertical tab, form feed, carriage return,
/// space.
pub(super) fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// `\w` on ASCII.
pub(super) fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The end of a run of `\s*` from `i`.
pub(super) fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|&c| is_space(c)) {
        i += 1;
    }
    i
}

/// Whether `\b` holds at `i`.
pub(super) fn boundary(b: &[u8], i: usize) -> bool {
    let before = i > 0 && b.get(i - 1).is_some_and(|&c| is_word(c));
    let after = b.get(i).is_some_and(|&c| is_word(c));
    before != after
}

/// `pat` at byte `i` of `b`, ignoring ASCII case: a space in `pat` stands
/// for `\s+`, a `~` for `\s*`; every other byte is itself. The match's end.
pub(super) fn at(b: &[u8], i: usize, pat: &str) -> Option<usize> {
    at_folding(b, i, pat, true)
}

/// [`at`] with letters in their case (a regex without `(?i)`).
pub(super) fn at_exact(b: &[u8], i: usize, pat: &str) -> Option<usize> {
    at_folding(b, i, pat, false)
}

fn at_folding(b: &[u8], mut i: usize, pat: &str, fold: bool) -> Option<usize> {
    for &p in pat.as_bytes() {
        match p {
            b' ' => {
                if !b.get(i).is_some_and(|&c| is_space(c)) {
                    return None;
                }
                i = skip_spaces(b, i + 1);
            }
            b'~' => i = skip_spaces(b, i),
            _ => {
                if !b
                    .get(i)
                    .is_some_and(|&c| c == p || (fold && c.eq_ignore_ascii_case(&p)))
                {
                    return None;
                }
                i += 1;
            }
        }
    }
    Some(i)
}

/// `at`, with the pattern's first word matched in its case (`(?-i:Class)`):
/// `word` exactly, then `rest` as [`at`] reads it.
pub(super) fn at_cased(b: &[u8], i: usize, word: &str, rest: &str) -> Option<usize> {
    let w = word.as_bytes();
    if b.get(i..i + w.len()) != Some(w) {
        return None;
    }
    at(b, i + w.len(), rest)
}

/// The first of `alternatives` that matches at `i` (leftmost-first, as the
/// regex alternation `a|b|c` prefers).
pub(super) fn first_of(b: &[u8], i: usize, alternatives: &[&str]) -> Option<usize> {
    alternatives.iter().find_map(|p| at(b, i, p))
}

/// `(?:pat)?`, greedy: the end after `pat` when it matches at `i`, else `i`.
pub(super) fn optional(b: &[u8], i: usize, pat: &str) -> usize {
    at(b, i, pat).unwrap_or(i)
}

/// The leftmost match of `pat` (as [`at`] reads it): its start and end.
pub(super) fn find(b: &[u8], pat: &str) -> Option<(usize, usize)> {
    find_then(b, pat, |p, e| Some((p, e)))
}

/// The first answer `then` gives for a match of `pat`, the matches tried
/// left to right (given each match's start and end): a regex whose phrase is
/// followed by more than [`at`] reads, found leftmost.
pub(super) fn find_then<T>(
    b: &[u8],
    pat: &str,
    mut then: impl FnMut(usize, usize) -> Option<T>,
) -> Option<T> {
    let first = pat.as_bytes().first()?.to_ascii_lowercase();
    (0..b.len())
        .filter(|&p| b[p].to_ascii_lowercase() == first)
        .find_map(|p| at(b, p, pat).and_then(|e| then(p, e)))
}

/// How many ASCII digits stand at `i`.
pub(super) fn digits(b: &[u8], i: usize) -> usize {
    b.get(i..)
        .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count())
}

/// `\s*:?\s*` at `i`: the end of the spaces and colon after a label.
pub(super) fn colon(b: &[u8], i: usize) -> usize {
    let e = skip_spaces(b, i);
    skip_spaces(b, if b.get(e) == Some(&b':') { e + 1 } else { e })
}

/// What must follow a phrase of [`starts_any`].
#[derive(Clone, Copy)]
pub(super) enum Tail {
    /// Anything.
    Any,
    /// A word boundary (`\b`).
    Word,
    /// Only whitespace to the end of the line (`\s*$`).
    End,
}

/// Whether one of `pats` matches at `i` followed by its tail: an anchored
/// alternation `^\s*(a|b\b|c\s*$)` tested with `is_match`.
pub(super) fn starts_any(b: &[u8], i: usize, pats: &[(&str, Tail)]) -> bool {
    // Patterns are written in lower case: most are passed over on their
    // first byte.
    let Some(first) = b.get(i).map(u8::to_ascii_lowercase) else {
        return false;
    };
    pats.iter().any(|&(p, tail)| {
        p.as_bytes().first() == Some(&first)
            && at(b, i, p).is_some_and(|e| match tail {
                Tail::Any => true,
                Tail::Word => boundary(b, e),
                Tail::End => b.get(e..).is_some_and(|r| r.iter().all(|&c| is_space(c))),
            })
    })
}

/// The end of `\d+\.` at `i`: digits, then a full stop.
pub(super) fn number_dot(b: &[u8], i: usize) -> Option<usize> {
    let d = digits(b, i);
    (d > 0 && b.get(i + d) == Some(&b'.')).then_some(i + d + 1)
}

/// `\d+\.\s*Class\s+of\s+shares` at `i` (ASCII case ignored).
pub(super) fn numbered_class(b: &[u8], i: usize) -> bool {
    number_dot(b, i).is_some_and(|e| at(b, e, "~class of shares").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_space_in_the_pattern_is_one_or_more_whitespace() {
        let b = b"Balance \t at  close";
        assert_eq!(at(b, 0, "balance at close"), Some(b.len()));
        assert_eq!(at(b"Balanceat close", 0, "balance at close"), None);
        assert_eq!(
            at(b"Increase/ decrease", 0, "increase~/~decrease"),
            Some(18)
        );
        assert_eq!(at(b"x", 0, "xy"), None);
        assert_eq!(at_exact(b"Notes", 0, "notes"), None);
        assert_eq!(at_exact(b"Notes", 0, "Notes"), Some(5));
    }

    #[test]
    fn a_cased_word_keeps_its_case() {
        assert_eq!(
            at_cased(b"Class of shares", 0, "Class", " of shares"),
            Some(15)
        );
        assert_eq!(at_cased(b"class of shares", 0, "Class", " of shares"), None);
    }

    #[test]
    fn word_boundaries_as_the_regex_sees_them() {
        assert!(boundary(b"a b", 0));
        assert!(!boundary(b"ab", 1));
        assert!(boundary(b"a b", 2));
        assert!(boundary(b"ab", 2));
        assert!(!boundary(b"", 0));
        assert!(!boundary(b"  ", 1));
    }
}
