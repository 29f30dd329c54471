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
    line.chars()
        .map(|c| {
            if c == '\t' {
                c
            } else if c.is_control() {
                ' '
            } else {
                fold_lookalike(c)
            }
        })
        .collect()
}

/// Split a file's text into cleaned lines. Index i is line i+1 of the file.
/// A lone `\r` (old Mac and Word exports) also ends a line.
pub fn lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for l in text.split('\n') {
        let l = l.strip_suffix('\r').unwrap_or(l);
        // Word's `\r` inside a line: a paragraph or cell end; keep it as a separator.
        out.push(clean_line(l));
    }
    if text.ends_with('\n') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_e_in_par_value_label_is_folded_to_latin() {
        assert_eq!(clean_line("Par valu\tе"), "Par valu\te");
    }

    #[test]
    fn dotless_i_is_folded_and_bel_becomes_space() {
        assert_eq!(clean_line("montl\tı\u{7}x"), "montl\ti x");
    }

    #[test]
    fn lines_are_numbered_from_the_file() {
        let l = lines("a\r\nb\nc\n");
        assert_eq!(l, vec!["a", "b", "c"]);
    }
}
