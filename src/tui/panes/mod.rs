//! One file per pane: a row model built from `&App` (shared by drawing and by
//! `Enter`, so what is opened is what is shown) and a render function.

pub mod capital;
pub mod diff;
pub mod filings;
pub mod findings;
pub mod issuers;
pub mod lockups;
pub mod schemes;
pub mod source;

use super::app::{App, Grid};
use super::text::{pad_left, sanitize, truncate};
use crate::filings::index::FilingId;
use crate::filings::model::{Filing, Kind, Level, Lines};
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// Where a shown value came from: a filing and its 1-based line, or an unusable file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Src {
    Filing(FilingId, Option<u32>),
    /// Index into `Index::errors()`.
    Error(usize),
}

/// How a value is marked: recovered by arithmetic (`~`) or carrying a finding (`!`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Plain,
    Recovered,
    Finding,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub mark: Mark,
    pub src: Option<Src>,
}

/// The first key bound to `action` in `ctx`, as shown to the user (the
/// keymap's, a user's rebinding too), for a pane's own hints.
pub fn bound_key(
    app: &App,
    ctx: crate::tui::keymap::Context,
    action: crate::tui::keymap::Action,
) -> String {
    app.keymap
        .keys_for(ctx, action)
        .first()
        .map_or_else(|| "unbound".to_string(), |k| k.label())
}

impl Cell {
    pub fn empty() -> Cell {
        Cell {
            text: String::new(),
            mark: Mark::Plain,
            src: None,
        }
    }
    pub fn text(s: impl Into<String>, src: Option<Src>) -> Cell {
        Cell {
            text: s.into(),
            mark: Mark::Plain,
            src,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A heading row (a class, a scheme, a section).
    Section,
    Value,
}

/// One row of the share-capital or scheme grid.
#[derive(Debug, Clone, PartialEq)]
pub struct GridRow {
    pub kind: RowKind,
    pub label: String,
    pub cells: Vec<Cell>,
    /// Where Enter goes when the cell under the cursor has no line of its own.
    pub src: Option<Src>,
}

impl GridRow {
    pub fn section(label: impl Into<String>, src: Option<Src>) -> GridRow {
        GridRow {
            kind: RowKind::Section,
            label: label.into(),
            cells: Vec::new(),
            src,
        }
    }
}

/// The source of the cell under a grid's cursor (or its row).
pub fn grid_src(rows: &[GridRow], grid: &Grid) -> Option<Src> {
    let row = rows.get(grid.rows.sel)?;
    row.cells
        .get(grid.col)
        .and_then(|c| c.src)
        .or_else(|| row.cells.iter().find_map(|c| c.src))
        .or(row.src)
}

/// Whether a value at `line` of a filing has a warning or error finding:
/// a finding on that line (for the class, when the finding names one).
pub fn has_finding(f: &Filing, class_key: Option<&str>, line: Option<u32>) -> bool {
    let Some(line) = line else {
        return false;
    };
    f.findings.iter().any(|x| {
        x.level >= Level::Warning
            && x.line == Some(line)
            && (x.class_key.is_none() || class_key.is_none() || x.class_key.as_deref() == class_key)
    })
}

/// A number cell: grouped, marked recovered or with a finding.
pub fn num_cell(
    f: &Filing,
    id: FilingId,
    class_key: Option<&str>,
    value: Option<i64>,
    field: &str,
    lines: &Lines,
    recovered: &[String],
) -> Cell {
    let line = lines.get(field).copied();
    // A value that could be neither read nor recovered has no line; the
    // finding that says so names its class.
    let unread = value.is_none()
        && class_key.is_some()
        && f.findings
            .iter()
            .any(|x| x.level >= Level::Warning && x.class_key.as_deref() == class_key);
    let mark = if unread || has_finding(f, class_key, line) {
        Mark::Finding
    } else if recovered.iter().any(|r| r == field) {
        Mark::Recovered
    } else {
        Mark::Plain
    };
    Cell {
        text: value
            .map(super::text::group)
            .unwrap_or_else(|| "—".to_string()),
        mark,
        src: Some(Src::Filing(
            id,
            line.or_else(|| lines.values().next().copied()),
        )),
    }
}

/// The last part of a path: what tells files apart in a narrow column.
pub fn file_name(p: &str) -> String {
    sanitize(p.rsplit(['/', '\\']).next().unwrap_or(p))
}

/// "monthly return 2023-11 of 00020 (2023-12-06)" for titles.
pub fn filing_label(f: &Filing) -> String {
    let kind = match f.kind {
        Kind::MonthlyReturn => "monthly return",
        Kind::NextDayReturn => "next day return",
        Kind::Announcement => "announcement",
    };
    let mut s = kind.to_string();
    if let Some(p) = &f.period {
        s.push(' ');
        s.push_str(p);
    }
    if let Some(c) = f.primary_code() {
        s.push_str(" of ");
        s.push_str(c);
    }
    if let Some(d) = &f.date {
        s.push_str(&format!(" ({d})"));
    }
    sanitize(&s)
}

/// A pane's frame: rounded border, numbered title, highlighted when focused.
pub fn block<'a>(app: &App, title: String, focused: bool) -> Block<'a> {
    let t = &app.theme;
    let (b, ts) = if focused {
        (t.border_focus, t.title_focus)
    } else {
        (t.border, t.title)
    };
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Rounded
        })
        .border_style(b)
        .title(Span::styled(format!(" {title} "), ts))
}

/// Draw a grid (share capital, schemes): a label column and value columns,
/// section rows spanning the width, the selected row and, when focused, the
/// cell cursor. Drawn line by line so that section rows are not cut to the
/// label column.
pub struct GridView<'a> {
    pub rows: &'a [GridRow],
    pub headers: &'a [&'a str],
    /// Widest label allowed; the column is as wide as the longest label up to this.
    pub label_max: usize,
    pub value_width: usize,
    pub grid: Grid,
    pub focused: bool,
}

pub fn render_grid(frame: &mut Frame, area: Rect, app: &App, v: GridView) {
    let t = &app.theme;
    if area.height == 0 {
        return;
    }
    let width = area.width as usize;
    let nvalues = v.headers.len().saturating_sub(1);
    // Value columns widen to what the pane leaves after a 14-cell label, so
    // that "HKD 1,870,300,000" fits where there is room.
    let value_width = width
        .saturating_sub(14)
        .checked_div(nvalues)
        .map(|w| w.saturating_sub(1).clamp(v.value_width, v.value_width + 6))
        .unwrap_or(v.value_width);
    let v = GridView { value_width, ..v };
    let label_w = v
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Value)
        .map(|r| r.label.width() + 1)
        .max()
        .unwrap_or(8)
        .clamp(8, v.label_max.max(8))
        // The values come first: the label gets what they leave, at least 10.
        .min(width.saturating_sub(nvalues * (v.value_width + 1)).max(10));
    let mut header = format!("{:label_w$}", v.headers.first().copied().unwrap_or(""));
    for (i, h) in v.headers.iter().enumerate().skip(1) {
        if i <= nvalues {
            header.push(' ');
            header.push_str(&pad_left(h, v.value_width));
        }
    }
    let mut lines = vec![Line::from(Span::styled(truncate(&header, width), t.header))];
    let body = area.height.saturating_sub(1) as usize;
    for (ri, r) in v
        .rows
        .iter()
        .enumerate()
        .skip(v.grid.rows.offset)
        .take(body)
    {
        let selected = ri == v.grid.rows.sel;
        let row_style = if selected {
            if v.focused {
                t.selected
            } else {
                t.selected_dim
            }
        } else {
            Style::new()
        };
        let mut spans: Vec<Span> = Vec::new();
        let mut used = 0usize;
        match r.kind {
            RowKind::Section => {
                let s = truncate(&r.label, width);
                used += s.width();
                spans.push(Span::styled(s, t.section));
            }
            RowKind::Value => {
                let label = format!(" {}", r.label);
                let label = format!("{:<label_w$}", truncate(&label, label_w));
                used += label.width();
                spans.push(Span::raw(label));
                for (ci, c) in r.cells.iter().enumerate() {
                    let (suffix, mut style) = match c.mark {
                        Mark::Plain => (" ", Style::new()),
                        Mark::Recovered => ("~", t.recovered),
                        Mark::Finding => ("!", t.finding),
                    };
                    if selected && v.focused && ci == v.grid.col {
                        style = style.patch(t.cursor);
                    }
                    let text = if ci < nvalues {
                        let w = v.value_width.saturating_sub(1);
                        format!("{}{suffix}", pad_left(&truncate(&c.text, w), w))
                    } else {
                        // A note after the values: what is left of the line.
                        let room = width.saturating_sub(used + 1);
                        truncate(&c.text, room)
                    };
                    if used >= width {
                        break;
                    }
                    spans.push(Span::raw(" "));
                    let text = truncate(&text, width.saturating_sub(used + 1));
                    used += text.width() + 1;
                    spans.push(Span::styled(text, style));
                }
            }
        }
        if used < width {
            spans.push(Span::raw(" ".repeat(width - used)));
        }
        lines.push(Line::from(spans).style(row_style));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// What the issuer panes say when the "(under no issuer)" row is selected.
pub const NO_ISSUER: &str =
    "filings with no stock code and no issuer's name: the Filings pane lists them";

/// A centred one-line message for an empty pane.
pub fn empty(frame: &mut Frame, area: Rect, app: &App, msg: &str) {
    if area.height == 0 {
        return;
    }
    let y = area.y + area.height / 2;
    let line = Line::from(Span::styled(
        truncate(msg, area.width as usize),
        app.theme.dim,
    ))
    .alignment(Alignment::Center);
    frame.render_widget(line, Rect::new(area.x, y, area.width, 1));
}

/// The last day of a "YYYY-MM" month, as ISO; and the last day of the month before.
pub fn month_bounds(period: &str) -> Option<(String, String)> {
    use chrono::{Datelike, NaiveDate};
    let (y, m) = period.split_once('-')?;
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let prev_end = first.pred_opt()?;
    let next_first = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)?
    };
    let end = next_first.pred_opt()?;
    debug_assert_eq!(end.month(), m);
    Some((prev_end.to_string(), end.to_string()))
}

/// 3525018981 -> "3.53bn": axis labels.
pub fn compact(n: f64) -> String {
    let a = n.abs();
    if a >= 1e12 {
        format!("{:.2}tn", n / 1e12)
    } else if a >= 1e9 {
        format!("{:.2}bn", n / 1e9)
    } else if a >= 1e6 {
        format!("{:.2}m", n / 1e6)
    } else if a >= 1e3 {
        format!("{:.1}k", n / 1e3)
    } else {
        format!("{n:.0}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_unread_value_is_marked_by_its_classs_finding() {
        use crate::filings::model::{Filing, Finding, Form, Kind, Level};
        let mut f = Filing::new("a.txt", Kind::MonthlyReturn, Form::Ff301V10);
        f.findings.push(
            Finding::new(
                Level::Warning,
                "unreadable_value",
                "A shares: closing unread",
            )
            .class(Some("a-shares")),
        );
        let lines = Lines::default();
        let cell = |class: &str, value: Option<i64>| {
            num_cell(&f, 0, Some(class), value, "closing", &lines, &[]).mark
        };
        assert_eq!(cell("a-shares", None), Mark::Finding);
        assert_eq!(
            cell("a-shares", Some(5)),
            Mark::Plain,
            "a read value is not suspect"
        );
        assert_eq!(
            cell("h-shares", None),
            Mark::Plain,
            "another class's finding"
        );
    }

    use super::*;

    #[test]
    fn month_bounds_cover_leap_februaries_and_december() {
        assert_eq!(
            month_bounds("2024-02"),
            Some(("2024-01-31".to_string(), "2024-02-29".to_string()))
        );
        assert_eq!(
            month_bounds("2023-12"),
            Some(("2023-11-30".to_string(), "2023-12-31".to_string()))
        );
        assert_eq!(month_bounds("2023-13"), None);
        assert_eq!(month_bounds("garbage"), None);
    }

    #[test]
    fn axis_labels_are_compact() {
        assert_eq!(compact(3_525_018_981.0), "3.53bn");
        assert_eq!(compact(1_992_000_000_000.0), "1.99tn");
        assert_eq!(compact(950.0), "950");
    }
}
