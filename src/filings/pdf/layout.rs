//! Positioned characters laid out as text the way `pdftotext -layout` does:
//! rows by baseline, columns by horizontal position, runs of spaces between
//! cells so that a table's columns stay apart.

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};
use std::time::Instant;

/// One drawn character, in the coordinates of its reading frame: x grows
/// along the baseline, y grows down the page, both in points.
#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    y: f64,
    /// Advance width in points.
    w: f64,
    /// Font size in points (the glyph's height on the page).
    size: f64,
    text: String,
}

impl Glyph {
    fn is_space(&self) -> bool {
        self.text.chars().all(char::is_whitespace)
    }
}

/// Why collection stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    Deadline,
    TooManyGlyphs,
}

/// Glyphs on one page, grouped by reading direction (0: left to right as
/// displayed, 1: top to bottom, 2: upside down, 3: bottom to top).
#[derive(Debug, Default)]
struct Page {
    by_dir: [Vec<Glyph>; 4],
}

/// Collects the characters pdf-extract reports, page by page.
pub struct Collector {
    /// `/Rotate` of each page (index = page number - 1), in quarter turns.
    rotations: Vec<u8>,
    pages: Vec<Page>,
    /// Maps user space to the displayed page (y down) for the current page.
    display: [f64; 6],
    deadline: Instant,
    max_glyphs: usize,
    glyphs: usize,
    pub stopped: Option<Stop>,
}

impl Collector {
    pub fn new(rotations: Vec<u8>, deadline: Instant, max_glyphs: usize) -> Self {
        Collector {
            rotations,
            pages: Vec::new(),
            display: [1.0, 0.0, 0.0, -1.0, 0.0, 0.0],
            deadline,
            max_glyphs,
            glyphs: 0,
            stopped: None,
        }
    }

    /// Whether any page holds a visible character.
    pub fn has_text(&self) -> bool {
        self.pages
            .iter()
            .flat_map(|p| p.by_dir.iter())
            .flatten()
            .any(|g| !g.is_space())
    }

    /// The text of all pages, each page ended by a form feed as `pdftotext` does.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for page in &self.pages {
            let mut dirs: Vec<&Vec<Glyph>> = page.by_dir.iter().filter(|g| !g.is_empty()).collect();
            // The direction most of the page reads in comes first; text set
            // at right angles (a side note, a stamp) follows it.
            dirs.sort_by_key(|g| std::cmp::Reverse(g.len()));
            for glyphs in dirs {
                layout(glyphs, &mut out);
            }
            out.push('\u{c}');
        }
        out
    }

    fn stop(&mut self, why: Stop) -> Result<(), OutputError> {
        self.stopped = Some(why);
        Err(OutputError::FormatError(std::fmt::Error))
    }
}

/// Affine map `[a b c d e f]`: (x, y) -> (a x + c y + e, b x + d y + f).
fn apply(m: &[f64; 6], x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

/// From user space (y up) to the page as displayed (y down) after `/Rotate`
/// quarter turns clockwise.
fn display_map(mb: &MediaBox, quarter_turns: u8) -> [f64; 6] {
    let (llx, lly, urx, ury) = (
        mb.llx.min(mb.urx),
        mb.lly.min(mb.ury),
        mb.llx.max(mb.urx),
        mb.lly.max(mb.ury),
    );
    match quarter_turns % 4 {
        // Turned a quarter clockwise: the box's bottom-left corner is shown top-left.
        1 => [0.0, 1.0, 1.0, 0.0, -lly, -llx],
        2 => [-1.0, 0.0, 0.0, 1.0, urx, -lly],
        3 => [0.0, -1.0, -1.0, 0.0, ury, urx],
        _ => [1.0, 0.0, 0.0, -1.0, -llx, ury],
    }
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        if Instant::now() > self.deadline {
            return self.stop(Stop::Deadline);
        }
        let turns = usize::try_from(page_num)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| self.rotations.get(i))
            .copied()
            .unwrap_or(0);
        self.display = display_map(media_box, turns);
        self.pages.push(Page::default());
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        self.glyphs += 1;
        if self.glyphs > self.max_glyphs {
            return self.stop(Stop::TooManyGlyphs);
        }
        if self.glyphs.is_multiple_of(4096) && Instant::now() > self.deadline {
            return self.stop(Stop::Deadline);
        }
        // Symbol-font glyphs without a Unicode mapping come through as
        // control characters (the next day returns' bullets as U+0000):
        // kept as word breaks, never as text.
        let text: String = text.chars().filter(|c| !c.is_control()).collect();
        let text = if text.is_empty() {
            " ".to_string()
        } else {
            text
        };
        // The glyph's origin and its baseline and up directions, on the displayed page.
        let d = &self.display;
        let (ox, oy) = apply(d, trm.m31, trm.m32);
        let (bx, by) = (
            d[0] * trm.m11 + d[2] * trm.m12,
            d[1] * trm.m11 + d[3] * trm.m12,
        );
        let along = bx.hypot(by);
        let up = trm.m21.hypot(trm.m22);
        let size = font_size.abs() * up;
        let w = width * font_size.abs() * along;
        if ![ox, oy, along, size, w].iter().all(|v| v.is_finite()) || along == 0.0 {
            return Ok(());
        }
        // Quarter turn of the baseline, and the glyph origin in that frame.
        let (dir, x, y) = if bx.abs() >= by.abs() {
            if bx > 0.0 {
                (0, ox, oy)
            } else {
                (2, -ox, -oy)
            }
        } else if by > 0.0 {
            (1, oy, -ox)
        } else {
            (3, -oy, ox)
        };
        let Some(page) = self.pages.last_mut() else {
            return Ok(());
        };
        if let Some(list) = page.by_dir.get_mut(dir) {
            list.push(Glyph {
                x,
                y,
                w,
                size: size.max(0.1),
                text,
            });
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// Lay out the glyphs of one reading frame as rows of text appended to `out`.
fn layout(glyphs: &[Glyph], out: &mut String) {
    let mut sorted: Vec<&Glyph> = glyphs.iter().collect();
    sorted.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));

    // Column width: the mean advance of the visible characters, so that a
    // row of ordinary text takes about as many columns as it has characters
    // and cells that line up on the page line up in the text.
    let visible: Vec<&Glyph> = sorted.iter().copied().filter(|g| !g.is_space()).collect();
    if visible.is_empty() {
        return;
    }
    let total_w: f64 = visible.iter().map(|g| g.w).sum();
    let mean_size = visible.iter().map(|g| g.size).sum::<f64>() / visible.len() as f64;
    let cw = (total_w / visible.len() as f64)
        .max(mean_size * 0.3)
        .max(0.5);
    let left = visible.iter().map(|g| g.x).fold(f64::INFINITY, f64::min);

    // Rows: a glyph joins the row whose first baseline is within a fraction
    // of the font size (sub- and superscripts, cells whose baselines differ
    // by a point stay on one line).
    let mut rows: Vec<Vec<&Glyph>> = Vec::new();
    let mut row_y = f64::NEG_INFINITY;
    let mut row_size = 0.0f64;
    for g in sorted {
        let tol = 0.45 * row_size.min(g.size);
        match rows.last_mut() {
            Some(row) if g.y - row_y <= tol => row.push(g),
            _ => {
                rows.push(vec![g]);
                row_y = g.y;
                row_size = g.size;
            }
        }
    }

    let rows = snap_rows(rows);

    let mut prev: Option<(f64, f64)> = None;
    for Row {
        y,
        size,
        mut glyphs,
        ..
    } in rows
    {
        glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
        let row = glyphs;
        let line = row_text(&row, cw, left);
        if line.is_empty() {
            continue;
        }
        // Blank lines for vertical space: paragraphs and table blocks stay
        // visibly apart, as in `pdftotext -layout`.
        if let Some((py, psize)) = prev {
            let pitch = 1.25 * psize.max(size).max(1.0);
            let blanks = ((y - py) / pitch - 1.0).round().clamp(0.0, 3.0) as usize;
            for _ in 0..blanks {
                out.push('\n');
            }
        }
        out.push_str(&line);
        out.push('\n');
        prev = Some((y, size));
    }
}

struct Row<'a> {
    y: f64,
    size: f64,
    glyphs: Vec<&'a Glyph>,
    /// Horizontal extent of the visible glyphs.
    x0: f64,
    x1: f64,
}

impl<'a> Row<'a> {
    fn new(glyphs: Vec<&'a Glyph>) -> Self {
        let y = glyphs.first().map(|g| g.y).unwrap_or(0.0);
        let size = glyphs.iter().map(|g| g.size).fold(0.0, f64::max);
        let visible = glyphs.iter().filter(|g| !g.is_space());
        let (x0, x1) = visible.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), g| {
            (a.min(g.x), b.max(g.x + g.w))
        });
        Row {
            y,
            size,
            glyphs,
            x0,
            x1,
        }
    }

    /// Whether `other` sits close enough below or above to be on the same
    /// line, in cells of its own; returns the distance.
    fn snaps(&self, other: &Row) -> Option<f64> {
        let dy = (other.y - self.y).abs();
        let visible = self.x0 <= self.x1 && other.x0 <= other.x1;
        let apart = visible && (other.x1 < self.x0 || other.x0 > self.x1);
        (apart && dy < 0.55 * self.size.max(other.size)).then_some(dy)
    }
}

/// A cell vertically centred beside a label of several lines (the next day
/// returns' "Opening balance as at / (Note 2) / 23 September 2011" with the
/// number between two label lines) joins the nearer label line, as
/// `pdftotext -layout` puts it.
fn snap_rows(rows: Vec<Vec<&Glyph>>) -> Vec<Row<'_>> {
    let rows: Vec<Row> = rows.into_iter().map(Row::new).collect();
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    let mut iter = rows.into_iter().peekable();
    while let Some(row) = iter.next() {
        let to_prev = out.last().and_then(|p| p.snaps(&row));
        let to_next = iter.peek().and_then(|n| row.snaps(n));
        match (to_prev, out.last_mut()) {
            (Some(up), Some(prev)) if to_next.is_none_or(|down| up <= down) => {
                prev.glyphs.extend(row.glyphs);
                prev.x0 = prev.x0.min(row.x0);
                prev.x1 = prev.x1.max(row.x1);
                prev.size = prev.size.max(row.size);
            }
            _ => out.push(row),
        }
    }
    out
}

/// One row's text: characters in x order, overprinted copies dropped, one
/// space between words and runs of spaces up to the glyph's column between
/// cells.
fn row_text(row: &[&Glyph], cw: f64, left: f64) -> String {
    let mut line = String::new();
    let mut len = 0usize; // characters in `line`
    let mut kept: Vec<&Glyph> = Vec::new();
    let mut space_seen = false;
    for &g in row {
        if g.is_space() {
            space_seen = true;
            continue;
        }
        // Bold simulated by printing a character twice, a fraction of a
        // point apart (the legacy returns' headings): keep the first copy.
        let overprint = kept.iter().rev().take(4).any(|k| {
            k.text == g.text
                && (k.x - g.x).abs() < 0.5 * g.w.max(0.1 * g.size)
                && (k.y - g.y).abs() < 0.3 * g.size
        });
        if overprint {
            continue;
        }
        if let Some(p) = kept.last() {
            let gap = g.x - (p.x + p.w);
            let size = p.size.max(g.size);
            let col = ((g.x - left) / cw).round().max(0.0) as usize;
            if gap >= 2.2 * cw.max(0.3 * size) {
                // A new cell: at least two spaces, more to reach its column.
                let n = col.saturating_sub(len).max(2);
                push_spaces(&mut line, &mut len, n);
            } else if space_seen || gap > 0.18 * size {
                push_spaces(&mut line, &mut len, 1);
            }
        } else {
            let col = ((g.x - left) / cw).round().max(0.0) as usize;
            push_spaces(&mut line, &mut len, col);
        }
        line.push_str(&g.text);
        len += g.text.chars().count();
        kept.push(g);
        space_seen = false;
    }
    line
}

fn push_spaces(line: &mut String, len: &mut usize, n: usize) {
    // Bounded: a glyph far off the page must not make a megabyte of spaces.
    let n = n.min(400);
    line.extend(std::iter::repeat_n(' ', n));
    *len += n;
}
