//! Turning rows of cells into text the way each extraction tool would, and
//! applying the extraction damage FORMATS.md section 3 describes.
//!
//! A form renderer describes a filing as rows of typed cells; the [`Doc`]
//! lays them out in one of four extraction styles. Damage is only applied in
//! the tab-separated style, where every kind of it was seen in the seeds.

use fastrand::Rng;

/// How the text was extracted from the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Style {
    /// Cells separated by tabs (the seeds).
    Tab,
    /// `pdftotext -layout`: columns aligned with runs of spaces.
    Layout,
    /// `pdftotext` without layout: one cell per line, reading order.
    Raw,
    /// pypdf: cells joined by single spaces, page footers glued to text.
    Pypdf,
}

impl Style {
    pub fn as_str(self) -> &'static str {
        match self {
            Style::Tab => "tab",
            Style::Layout => "layout",
            Style::Raw => "raw",
            Style::Pypdf => "pypdf",
        }
    }

    /// A style picked with the weights seen in users' folders.
    pub fn pick(rng: &mut Rng) -> Style {
        match rng.u32(0..100) {
            0..=39 => Style::Tab,
            40..=69 => Style::Layout,
            70..=84 => Style::Raw,
            _ => Style::Pypdf,
        }
    }
}

/// One cell of a row.
#[derive(Debug, Clone)]
pub enum C {
    /// A row label ("Balance at close of preceding month"): may be cut or
    /// get look-alike letters.
    Lab(String),
    /// A column header: its words may be scattered.
    Hdr(String),
    /// A number as printed: may get a tab inside.
    Num(String),
    /// Options outstanding at close of the preceding month: may lose all but
    /// its last two digits (the form's arithmetic gives it back).
    OptOpen(String),
    /// Free text printed as is.
    Txt(String),
    /// An empty cell.
    Gap,
}

pub fn lab(s: &str) -> C {
    C::Lab(s.to_string())
}
pub fn hdr(s: &str) -> C {
    C::Hdr(s.to_string())
}
pub fn txt(s: impl Into<String>) -> C {
    C::Txt(s.into())
}
/// A share count, `-1,000` for negatives.
pub fn num(v: i64) -> C {
    C::Num(fmt_int(v))
}
/// A share count, `(1,000)` for negatives (legacy forms).
pub fn pnum(v: i64) -> C {
    C::Num(fmt_paren(v))
}

/// `1234567` -> `1,234,567`; negatives with a leading minus.
pub fn fmt_int(v: i64) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if v < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Legacy forms print decreases in parentheses.
pub fn fmt_paren(v: i64) -> String {
    if v < 0 {
        format!("({})", fmt_int(-v))
    } else {
        fmt_int(v)
    }
}

/// An exact decimal: `units / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dec {
    pub units: i128,
    pub scale: u32,
}

impl Dec {
    pub fn new(units: i128, scale: u32) -> Dec {
        Dec { units, scale }
    }
    /// `shares x self`, same scale.
    pub fn times(self, shares: i64) -> Dec {
        Dec::new(self.units * shares as i128, self.scale)
    }
    /// Plain string without separators, every decimal kept ("0.10", "49800").
    pub fn plain(self) -> String {
        self.fmt(false)
    }
    /// With thousands separators ("400,000,000.00").
    pub fn commas(self) -> String {
        self.fmt(true)
    }
    fn fmt(self, commas: bool) -> String {
        let neg = self.units < 0;
        let abs = self.units.unsigned_abs();
        let p = 10u128.pow(self.scale);
        let int = (abs / p) as i64;
        let frac = abs % p;
        let mut s = if commas {
            fmt_int(int)
        } else {
            int.to_string()
        };
        if self.scale > 0 {
            s.push('.');
            s.push_str(&format!("{:0width$}", frac, width = self.scale as usize));
        }
        if neg {
            s.insert(0, '-');
        }
        s
    }
}

/// The text of one filing being written, with the damage applied to it.
pub struct Doc<'a> {
    pub style: Style,
    out: String,
    rng: &'a mut Rng,
    rate: f64,
    /// Damage applied, as "kind@line N".
    pub damage: Vec<String>,
    line: usize,
    /// pypdf glues the next page's footer to its first line.
    pending_footer: Option<String>,
}

impl<'a> Doc<'a> {
    pub fn new(style: Style, rng: &'a mut Rng, rate: f64) -> Doc<'a> {
        Doc {
            style,
            out: String::with_capacity(12 * 1024),
            rng,
            rate,
            damage: Vec::new(),
            line: 1,
            pending_footer: None,
        }
    }

    pub fn finish(mut self) -> (String, Vec<String>) {
        if let Some(f) = self.pending_footer.take() {
            self.out.push_str(&f);
            self.out.push('\n');
        }
        (self.out, self.damage)
    }

    fn push_line(&mut self, s: &str) {
        let s = s.trim_end_matches(' ');
        if let Some(f) = self.pending_footer.take() {
            self.out.push_str(&f);
            self.out.push('\n');
            self.line += 1;
        }
        self.out.push_str(s);
        self.out.push('\n');
        self.line += 1;
    }

    fn hit(&mut self) -> bool {
        self.style == Style::Tab && self.rate > 0.0 && self.rng.f64() < self.rate
    }

    fn note(&mut self, kind: &str) {
        self.damage.push(format!("{kind}@line {}", self.line));
    }

    pub fn blank(&mut self) {
        if self.style != Style::Pypdf {
            self.push_line("");
        }
    }

    /// A line of prose or a heading, printed the same in every style.
    pub fn text(&mut self, s: &str) {
        // Only `-layout` keeps the indentation that places text on the page.
        let s = match self.style {
            Style::Raw | Style::Pypdf => s.trim(),
            _ => s,
        };
        self.push_line(s);
    }

    /// A heading with a value ("For the month ended: 31 January 2026"):
    /// raw extraction puts the value on its own line after a blank.
    pub fn field(&mut self, label: &str, value: &str) {
        match self.style {
            Style::Raw => {
                self.push_line(label);
                self.push_line("");
                self.push_line(value);
                self.push_line("");
            }
            Style::Layout => {
                let pad = 28usize.saturating_sub(label.chars().count()).max(4);
                let l = format!("{label}{}{value}", " ".repeat(pad));
                self.push_line(&l);
                self.push_line("");
            }
            Style::Tab => {
                let l = format!("{label} {value}");
                self.push_line(&l);
                self.push_line("");
            }
            Style::Pypdf => {
                let l = format!("{label} {value}");
                self.push_line(&l);
            }
        }
    }

    /// A page break: layout and raw print the footer and the next page's
    /// header; pypdf glues them to the next line ("vPage 1 of 10 1.2.0").
    pub fn page(&mut self, header: &str, footer: &str) {
        match self.style {
            Style::Layout => {
                self.push_line("");
                let f = format!("{:>90}{:>60}", footer, "");
                self.push_line(&f);
                self.out.push('\u{c}');
                let h = format!("{header:>120}");
                self.push_line(&h);
                self.push_line("");
            }
            Style::Raw => {
                self.push_line(footer);
                self.push_line("");
                self.out.push('\u{c}');
                self.push_line(header);
                self.push_line("");
            }
            Style::Pypdf => {
                // "vPage 1 of 10 1.2.0": the version's "v" ends up in front.
                let f = footer.replace("   v ", " ");
                self.pending_footer = Some(format!("{header}\nv{f}"));
            }
            Style::Tab => self.push_line(""),
        }
    }

    /// The last page's footer: no header follows it.
    pub fn footer(&mut self, footer: &str) {
        match self.style {
            Style::Layout => {
                self.push_line("");
                let f = format!("{footer:>90}");
                self.push_line(&f);
            }
            Style::Raw => self.push_line(footer),
            Style::Pypdf => self.pending_footer = Some(format!("v{footer}")),
            Style::Tab => {}
        }
    }

    /// One row of cells.
    pub fn row(&mut self, cells: &[C]) {
        let cells: Vec<C> = if self.style == Style::Tab {
            self.damage_row(cells)
        } else {
            cells.to_vec()
        };
        match self.style {
            Style::Tab => {
                let mut parts: Vec<String> = Vec::with_capacity(cells.len());
                for c in &cells {
                    parts.push(cell_text(c).to_string());
                }
                // Drop trailing empty cells but keep the tab runs inside.
                while parts.last().is_some_and(|p| p.is_empty()) {
                    parts.pop();
                }
                let l = parts.join("\t");
                self.push_line(&l);
            }
            Style::Layout => {
                let mut l = String::new();
                for (i, c) in cells.iter().enumerate() {
                    let t = cell_text(c);
                    if i == 0 {
                        l.push_str(&format!("{t:<44}"));
                    } else {
                        match c {
                            C::Num(_) | C::OptOpen(_) => l.push_str(&format!("{t:>20}  ")),
                            _ => l.push_str(&format!("  {t:<20}")),
                        }
                    }
                }
                self.push_line(&l);
            }
            Style::Raw => {
                for c in &cells {
                    if !matches!(c, C::Gap) && !cell_text(c).is_empty() {
                        let t = cell_text(c).to_string();
                        self.push_line(&t);
                        self.push_line("");
                    }
                }
            }
            Style::Pypdf => {
                let l = cells
                    .iter()
                    .map(cell_text)
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                self.push_line(&l);
            }
        }
    }

    /// The tab style's damage, each kind at `rate` per eligible cell.
    fn damage_row(&mut self, cells: &[C]) -> Vec<C> {
        let mut out: Vec<C> = Vec::with_capacity(cells.len() + 2);
        // A label glued to a cut-off copy of the number that follows it:
        // `Balance at close of the month25,948,80\t\t25,948,809,928`.
        let first_num = cells.iter().position(|c| matches!(c, C::Num(_)));
        let glue = match (cells.first(), first_num) {
            (Some(C::Lab(l)), Some(_)) if l.starts_with("Balance at close") => self.hit(),
            _ => false,
        };
        for (i, c) in cells.iter().enumerate() {
            match c {
                C::Lab(l) if i == 0 && glue => {
                    if let Some(C::Num(n)) = first_num.and_then(|k| cells.get(k)) {
                        let keep = n.chars().count().saturating_sub(3).max(1);
                        let cut: String = n.chars().take(keep).collect();
                        self.note("glued_label_number");
                        out.push(C::Txt(format!("{l}{cut}")));
                    } else {
                        out.push(c.clone());
                    }
                }
                C::Lab(l) => out.push(self.damage_label(l)),
                C::Hdr(h) => out.push(self.damage_header(h)),
                C::Num(n) => out.push(self.damage_number(n)),
                C::OptOpen(n) => {
                    let digits: String = n.chars().filter(|c| c.is_ascii_digit()).collect();
                    if digits.len() > 4 && self.hit() {
                        self.note("option_opening_cut");
                        let last: String = digits.chars().skip(digits.len() - 2).collect();
                        out.push(C::Txt(last));
                    } else {
                        out.push(C::Num(n.clone()));
                    }
                }
                _ => out.push(c.clone()),
            }
        }
        out
    }

    /// `1,992,000\t,000,000`: a tab inside a long number.
    fn damage_number(&mut self, n: &str) -> C {
        let chars: Vec<char> = n.chars().collect();
        if chars.len() >= 7 && self.hit() {
            let at = self.rng.usize(2..chars.len() - 1);
            let (a, b) = chars.split_at(at);
            self.note("tab_in_number");
            C::Txt(format!(
                "{}\t{}",
                a.iter().collect::<String>(),
                b.iter().collect::<String>()
            ))
        } else {
            C::Num(n.to_string())
        }
    }

    /// `preceding\tg month` (a word cut and its last letter doubled), or a
    /// look-alike letter after a tab (`Par valu\tе`, `montl\tı`).
    fn damage_label(&mut self, l: &str) -> C {
        if !self.hit() {
            return C::Lab(l.to_string());
        }
        let words: Vec<&str> = l.split(' ').collect();
        let long: Vec<usize> = (0..words.len())
            .filter(|&i| words[i].chars().count() >= 5 && words[i].chars().all(char::is_alphabetic))
            .collect();
        if long.is_empty() {
            return C::Lab(l.to_string());
        }
        let wi = long[self.rng.usize(0..long.len())];
        let w = words[wi];
        let last = w.chars().last().unwrap_or('e');
        let stem: String = w.chars().take(w.chars().count() - 1).collect();
        let new_word = if self.rng.bool() {
            self.note("label_cut_doubled");
            format!("{w}\t{last}")
        } else {
            let look = match last {
                'e' => 'е',
                'a' => 'а',
                'o' => 'о',
                'i' => 'ı',
                'c' => 'с',
                'p' => 'р',
                other => other,
            };
            if look == last {
                self.note("label_cut_doubled");
                format!("{w}\t{last}")
            } else {
                self.note("lookalike_letter");
                format!("{stem}\t{look}")
            }
        };
        let mut ws: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        ws[wi] = new_word;
        C::Txt(ws.join(" "))
    }

    /// `Numb\t\tNumber o\tumber of authorised/registered shares`.
    fn damage_header(&mut self, h: &str) -> C {
        let chars: Vec<char> = h.chars().collect();
        if chars.len() >= 12 && self.hit() {
            self.note("scattered_header");
            let a: String = chars[..4].iter().collect();
            let b: String = chars[..8].iter().collect();
            let c: String = chars[1..].iter().collect();
            C::Txt(format!("{a}\t\t{b}\t{c}"))
        } else {
            C::Hdr(h.to_string())
        }
    }
}

fn cell_text(c: &C) -> &str {
    match c {
        C::Lab(s) | C::Hdr(s) | C::Num(s) | C::OptOpen(s) | C::Txt(s) => s,
        C::Gap => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_thousands_separators_and_legacy_parentheses() {
        assert_eq!(fmt_int(1_992_000_000_000), "1,992,000,000,000");
        assert_eq!(fmt_int(-12_189_548), "-12,189,548");
        assert_eq!(fmt_paren(-5_940_000), "(5,940,000)");
        assert_eq!(fmt_int(0), "0");
    }

    #[test]
    fn decimals_are_exact() {
        let par = Dec::new(25, 8);
        assert_eq!(par.plain(), "0.00000025");
        assert_eq!(par.times(1_992_000_000_000).plain(), "498000.00000000");
        assert_eq!(Dec::new(40_000_000_000, 2).commas(), "400,000,000.00");
    }

    #[test]
    fn a_tab_style_row_at_full_damage_records_what_it_did() {
        let mut rng = Rng::with_seed(7);
        let mut d = Doc::new(Style::Tab, &mut rng, 1.0);
        d.row(&[
            lab("Balance at close of the month"),
            C::Gap,
            num(25_948_809_928),
        ]);
        let (text, damage) = d.finish();
        assert!(
            text.starts_with("Balance at close of the month25,948,"),
            "{text}"
        );
        assert!(damage.iter().any(|d| d.starts_with("glued_label_number")));
    }
}
