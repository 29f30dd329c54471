//! Views that take the detail area over a pane: the month-over-month
//! comparison of one issuer, and the result list of a `:` command. Each is
//! a list of lines built once from the index (when opened or moved), so
//! drawing and Enter see the same rows.

use super::{block, Src};
use crate::filings::diff::{self, Change, ItemStatus, MonthDiff};
use crate::filings::export::Table;
use crate::filings::index::{FilingId, Index};
use crate::filings::model::Lines;
use crate::filings::search::Target;
use crate::tui::app::{App, Scroll};
use crate::tui::text::{group, group_decimal, pad_left, sanitize, truncate};
use chrono::NaiveDate;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// A view over the detail area.
#[derive(Clone)]
pub enum View {
    Diff(DiffView),
    Screen(ScreenView),
}

impl View {
    pub fn scroll(&self) -> Scroll {
        match self {
            View::Diff(d) => d.scroll,
            View::Screen(s) => s.scroll,
        }
    }

    pub fn scroll_mut(&mut self) -> &mut Scroll {
        match self {
            View::Diff(d) => &mut d.scroll,
            View::Screen(s) => &mut s.scroll,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            View::Diff(d) => d.lines.len(),
            View::Screen(s) => s.rows.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// How a line reads: the colour goes with a mark, so it reads without colour too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Heading,
    Added,
    Removed,
    Changed,
    Plain,
    Dim,
    Finding,
}

/// One line of the comparison: a mark (`+`, `-`, `~`, `!` or space), the text, where Enter goes.
#[derive(Debug, Clone, PartialEq)]
pub struct DLine {
    pub mark: char,
    pub tone: Tone,
    pub text: String,
    pub src: Option<Src>,
}

/// Two months of one issuer compared.
#[derive(Clone)]
pub struct DiffView {
    pub code: String,
    pub from: String,
    pub to: String,
    /// Why there is nothing to compare.
    pub error: Option<String>,
    pub lines: Vec<DLine>,
    /// The comparison as table rows: what an export of the view writes.
    pub rows: Vec<diff::DiffRow>,
    pub scroll: Scroll,
}

impl DiffView {
    /// Compare `from` and `to` of issuer `code`.
    pub fn open(index: &Index, code: &str, from: &str, to: &str, today: NaiveDate) -> DiffView {
        let (lines, rows, error) = match diff::compare(index, code, from, to, today) {
            Ok(d) => (build(index, &d), diff::rows(&d), None),
            Err(e) => (Vec::new(), Vec::new(), Some(e.to_string())),
        };
        DiffView {
            code: code.to_string(),
            from: from.to_string(),
            to: to.to_string(),
            error: error.map(|e| sanitize(&e)),
            lines,
            rows,
            scroll: Scroll::default(),
        }
    }
}

fn line(mark: char, tone: Tone, text: String, src: Option<Src>) -> DLine {
    DLine {
        mark,
        tone,
        text: sanitize(&text),
        src,
    }
}

fn heading(text: &str) -> DLine {
    line(' ', Tone::Heading, text.to_string(), None)
}

fn status_mark(s: ItemStatus) -> (char, Tone) {
    match s {
        ItemStatus::Added => ('+', Tone::Added),
        ItemStatus::Removed => ('-', Tone::Removed),
        ItemStatus::Changed => ('~', Tone::Changed),
        ItemStatus::Unchanged => (' ', Tone::Plain),
    }
}

/// +1,000 / -20 / 0.
fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{}", group(n))
    } else {
        group(n)
    }
}

fn opt(n: Option<i64>) -> String {
    n.map(group).unwrap_or_else(|| "—".to_string())
}

/// A count before and after, its change and per cent; marked by direction.
fn change_line(label: &str, c: &Change, src: Option<Src>) -> DLine {
    let mut text = format!(
        "    {label:<11}{} → {}",
        pad_left(&opt(c.before), 15),
        pad_left(&opt(c.after), 15)
    );
    let (mark, tone) = match c.change {
        Some(d) if d > 0 => ('+', Tone::Added),
        Some(d) if d < 0 => ('-', Tone::Removed),
        Some(_) => (' ', Tone::Dim),
        None if c.is_changed() => ('~', Tone::Changed),
        None => (' ', Tone::Dim),
    };
    if let Some(d) = c.change {
        text.push_str(&format!(" {:>14}", signed(d)));
        if let Some(p) = c.percent {
            text.push_str(&format!(" {:>+8.2}%", p));
        }
    }
    line(mark, tone, text, src)
}

fn first_line(lines: &Lines, prefer: &[&str]) -> Option<u32> {
    prefer
        .iter()
        .find_map(|k| lines.get(*k).copied())
        .or_else(|| lines.values().min().copied())
}

/// The comparison as lines.
pub fn build(index: &Index, d: &MonthDiff) -> Vec<DLine> {
    let id = |file: &str| -> Option<FilingId> { index.id_of(file) };
    let at = |file: &str, l: Option<u32>| id(file).map(|i| Src::Filing(i, l));
    let mut out = Vec::new();
    out.push(line(
        ' ',
        Tone::Dim,
        format!(
            "{} ({}) → {} ({})",
            super::file_name(&d.from_file),
            d.form_before,
            super::file_name(&d.to_file),
            d.form_after
        ),
        at(&d.to_file, None),
    ));
    if d.form_changed {
        out.push(line(
            '~',
            Tone::Changed,
            format!("form changed: {} → {}", d.form_before, d.form_after),
            None,
        ));
    }
    if !d.gap.is_empty() {
        out.push(line(
            '!',
            Tone::Finding,
            format!("no monthly return in between for {}", d.gap.join(", ")),
            None,
        ));
    }

    out.push(heading("Share classes (closing balances)"));
    for c in &d.classes {
        let (mark, tone) = status_mark(c.status);
        let file = if c.status == ItemStatus::Removed {
            &d.from_file
        } else {
            &d.to_file
        };
        let class_lines = id(file).and_then(|i| {
            index
                .filing(i)
                .class(&c.class_key)
                .or_else(|| {
                    c.key_before
                        .as_deref()
                        .and_then(|k| index.filing(i).class(k))
                })
                .map(|sc| {
                    (
                        sc.authorised.as_ref().map(|a| a.lines.clone()),
                        sc.issued.as_ref().map(|b| b.lines.clone()),
                        sc.treasury.as_ref().map(|b| b.lines.clone()),
                    )
                })
        });
        let src_of = |which: usize| -> Option<Src> {
            let l = class_lines.as_ref().and_then(|(a, i, t)| {
                let ls = match which {
                    0 => a.as_ref(),
                    1 => i.as_ref(),
                    _ => t.as_ref(),
                }?;
                first_line(ls, &["closing"])
            });
            at(file, l)
        };
        let mut name = c.class.clone().unwrap_or_else(|| c.class_key.clone());
        // Two classes of one name (H and A shares are both "Ordinary
        // shares"): each is told by its key, as the capital pane does.
        let same_name = d
            .classes
            .iter()
            .filter(|o| {
                o.class
                    .as_ref()
                    .is_some_and(|n| Some(n) == c.class.as_ref())
            })
            .count();
        if same_name > 1 {
            name.push_str(&format!(" · {}", c.class_key));
        }
        if c.key_changed {
            if let Some(k) = &c.key_before {
                name.push_str(&format!(" (was {k})"));
            }
        }
        let what = match c.status {
            ItemStatus::Added => " · new class",
            ItemStatus::Removed => " · class gone",
            _ => "",
        };
        out.push(line(mark, tone, format!("{name}{what}"), src_of(1)));
        if let Some(x) = &c.authorised {
            out.push(change_line("authorised", x, src_of(0)));
        }
        if let Some(x) = &c.issued {
            out.push(change_line("issued", x, src_of(1)));
        }
        if let Some(x) = &c.treasury {
            out.push(change_line("treasury", x, src_of(2)));
        }
        if c.par_value.before != c.par_value.after {
            out.push(line(
                '~',
                Tone::Changed,
                format!(
                    "    par value  {} → {}",
                    c.par_value.before.as_deref().unwrap_or("—"),
                    c.par_value.after.as_deref().unwrap_or("—")
                ),
                src_of(0),
            ));
        }
    }

    let to_filing = id(&d.to_file).map(|i| index.filing(i));
    if !d.schemes.is_empty() {
        out.push(heading("Option schemes (options outstanding)"));
    }
    for s in &d.schemes {
        let (mark, tone) = status_mark(s.status);
        let scheme_line = to_filing
            .and_then(|f| f.option_schemes.iter().find(|x| x.scheme == s.scheme))
            .and_then(|x| first_line(&x.lines, &["closing"]));
        let src = at(&d.to_file, scheme_line);
        let mut head = s.scheme.clone();
        if let Some(p) = &s.exercise_price {
            head.push_str(&format!(" · price {p}"));
        }
        out.push(line(mark, tone, head, src));
        out.push(change_line("outstanding", &s.outstanding, src));
        if s.issuable.is_changed() {
            out.push(change_line("issuable", &s.issuable, src));
        }
        if !s.movements.is_empty() {
            let moves: Vec<String> = s
                .movements
                .iter()
                .map(|m| {
                    format!(
                        "{} {}",
                        format!("{:?}", m.kind).to_lowercase(),
                        group(m.amount)
                    )
                })
                .collect();
            let l = s.movements.iter().find_map(|m| m.line);
            out.push(line(
                ' ',
                Tone::Plain,
                format!("    in {}: {}", d.to, moves.join(" · ")),
                at(&d.to_file, l.or(scheme_line)),
            ));
        }
        if let Some(n) = s.new_shares_issued.filter(|&n| n != 0) {
            out.push(line(
                '+',
                Tone::Added,
                format!("    new shares issued {}", group(n)),
                src,
            ));
        }
    }
    if !d.warrants.is_empty() {
        out.push(heading("Warrants"));
    }
    for w in &d.warrants {
        let (mark, tone) = status_mark(w.status);
        out.push(line(
            mark,
            tone,
            amounts(&w.description, "outstanding", &w.outstanding),
            at(&d.to_file, None),
        ));
    }
    if !d.convertibles.is_empty() {
        out.push(heading("Convertibles"));
    }
    for c in &d.convertibles {
        let (mark, tone) = status_mark(c.status);
        out.push(line(
            mark,
            tone,
            amounts(&c.description, "amount", &c.amount),
            at(&d.to_file, None),
        ));
    }

    if !d.movements.is_empty() {
        out.push(heading("Other movements reported in between"));
    }
    for m in &d.movements {
        let mv = &m.movement;
        let amount = mv.amount.map(signed).unwrap_or_else(|| "—".to_string());
        let mut text = format!(
            "{} {}: {} {amount}",
            m.period,
            m.section.replace('_', " "),
            mv.kind.as_str()
        );
        if let Some(dt) = &mv.date {
            text.push_str(&format!(" on {dt}"));
        }
        if let Some(p) = &mv.price {
            text.push_str(&format!(" at {p}"));
        }
        let (mark, tone) = match mv.amount {
            Some(a) if a > 0 => ('+', Tone::Added),
            Some(a) if a < 0 => ('-', Tone::Removed),
            _ => (' ', Tone::Plain),
        };
        out.push(line(
            mark,
            tone,
            text,
            at(&m.file, first_line(&mv.lines, &["amount"])),
        ));
    }
    if !d.ndrs.is_empty() {
        out.push(heading("Next day returns in between"));
    }
    for n in &d.ndrs {
        let moves: Vec<String> = n
            .movements
            .iter()
            .map(|m| {
                format!(
                    "{} {}",
                    m.kind.as_str(),
                    m.amount.map(signed).unwrap_or_else(|| "—".into())
                )
            })
            .collect();
        let first = n
            .movements
            .iter()
            .find_map(|m| first_line(&m.lines, &["amount"]));
        out.push(line(
            ' ',
            Tone::Plain,
            format!(
                "{} {} ({}): {}",
                n.date.as_deref().unwrap_or("undated"),
                super::file_name(&n.file),
                n.form,
                if moves.is_empty() {
                    "no movements".to_string()
                } else {
                    moves.join(" · ")
                }
            ),
            at(&n.file, first),
        ));
    }
    let lockup = |mark: char, tone: Tone, e: &diff::LockUpEvent| {
        let mut text = e.party.clone();
        if let Some(en) = &e.entity {
            text.push_str(&format!(" ({en})"));
        }
        if let Some(s) = &e.shares {
            text.push_str(&format!(": {s}"));
        }
        text.push_str(&format!(
            " · {} → {}",
            e.start.as_deref().unwrap_or("?"),
            e.end.as_deref().unwrap_or("?")
        ));
        let l = id(&e.file).and_then(|i| {
            index
                .filing(i)
                .lockups
                .iter()
                .find(|x| x.party == e.party && x.end == e.end)
                .and_then(|x| first_line(&x.lines, &["party"]))
        });
        line(mark, tone, text, at(&e.file, l))
    };
    if !d.lockups_started.is_empty() || !d.lockups_expired.is_empty() {
        out.push(heading("Lock-ups started (+) and expired (-) in between"));
    }
    for e in &d.lockups_started {
        out.push(lockup('+', Tone::Added, e));
    }
    for e in &d.lockups_expired {
        out.push(lockup('-', Tone::Removed, e));
    }
    out.push(heading(
        "Chain checks (each month opens where the last closed)",
    ));
    if d.findings.is_empty() {
        out.push(line(
            ' ',
            Tone::Dim,
            "every opening balance continues the previous closing".into(),
            None,
        ));
    }
    for f in &d.findings {
        // A chain break names the earlier month's file; its line is in the
        // return that follows that one.
        let later = f
            .other_file
            .as_deref()
            .and_then(|o| index.id_of(o))
            .and_then(|i| index.filing(i).period.clone())
            .and_then(|p| {
                index
                    .issuer(&d.code)?
                    .months
                    .range(p.clone()..)
                    .find(|(m, _)| **m > p)
                    .map(|(_, &i)| i)
            });
        let src = match later {
            Some(i) => Some(Src::Filing(i, f.line)),
            None => at(&d.to_file, f.line),
        };
        out.push(line(
            '!',
            Tone::Finding,
            format!("[{}] {}", f.code, f.message),
            src,
        ));
    }
    out
}

/// Where Enter on a `:` screen row goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Go {
    To(Target),
    /// The issuer's latest two months compared.
    Diff(String),
    /// The issuer's findings.
    Findings(String),
}

/// The result list of a `:` command: text rows, where each leads, and the
/// table behind them for export.
#[derive(Clone)]
pub struct ScreenView {
    pub title: String,
    pub header: String,
    pub rows: Vec<String>,
    pub targets: Vec<Option<Go>>,
    pub table: Table,
    pub table_name: &'static str,
    pub scroll: Scroll,
}

pub fn list_area(inner: Rect) -> Rect {
    Rect {
        y: inner.y.saturating_add(1),
        height: inner.height.saturating_sub(1),
        ..inner
    }
}

fn tone_style(app: &App, tone: Tone) -> Style {
    let t = &app.theme;
    match tone {
        Tone::Heading => t.section,
        Tone::Added => t.good,
        Tone::Removed => t.finding,
        Tone::Changed => t.warning,
        Tone::Plain => Style::new(),
        Tone::Dim => t.dim,
        Tone::Finding => t.finding,
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, view: &View) {
    let t = &app.theme;
    let focused = app.help.is_none() && app.input.is_none();
    let (title, head) = match view {
        View::Diff(d) => {
            let name = app
                .index
                .issuer(&d.code)
                .map(|i| sanitize(&i.name))
                .unwrap_or_default();
            (
                // The months first: a narrow title cuts the name, not them.
                format!("Compare {} · {} → {} · {name}", d.code, d.from, d.to),
                "+ up/added  - down/removed  ~ changed  ! check".to_string(),
            )
        }
        View::Screen(s) => (s.title.clone(), s.header.clone()),
    };
    let b = block(app, title, focused);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    if inner.height == 0 {
        return;
    }
    let width = inner.width as usize;
    frame.render_widget(
        Paragraph::new(Span::styled(truncate(&head, width), t.header)),
        Rect { height: 1, ..inner },
    );
    let list = list_area(inner);
    let scroll = view.scroll();
    let mut lines: Vec<Line> = Vec::new();
    match view {
        View::Diff(d) => {
            if let Some(e) = &d.error {
                return super::empty(frame, list, app, e);
            }
            for (i, l) in d
                .lines
                .iter()
                .enumerate()
                .skip(scroll.offset)
                .take(list.height as usize)
            {
                let style = tone_style(app, l.tone);
                let text = truncate(&format!("{} {}", l.mark, l.text), width);
                let pad = width.saturating_sub(text.width());
                let mut line =
                    Line::from(vec![Span::styled(text, style), Span::raw(" ".repeat(pad))]);
                if i == scroll.sel {
                    line = line.style(if focused { t.selected } else { t.selected_dim });
                }
                lines.push(line);
            }
        }
        View::Screen(s) => {
            if s.rows.is_empty() {
                return super::empty(frame, list, app, "nothing matches");
            }
            for (i, r) in s
                .rows
                .iter()
                .enumerate()
                .skip(scroll.offset)
                .take(list.height as usize)
            {
                let text = truncate(r, width);
                let pad = width.saturating_sub(text.width());
                let mut line = Line::from(format!("{text}{}", " ".repeat(pad)));
                if i == scroll.sel {
                    line = line.style(if focused { t.selected } else { t.selected_dim });
                }
                lines.push(line);
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), list);
}

/// "Notes due 2027: amount 6,560,000 → 4,400,000 (-2,160,000)": a warrant's
/// or convertible's amounts, grouped as the other lines' numbers are.
fn amounts(description: &str, what: &str, a: &diff::AmountChange) -> String {
    let shown = |v: Option<&str>| v.map_or_else(|| "—".to_string(), group_decimal);
    format!(
        "{description}: {what} {} → {}{}",
        shown(a.before.as_deref()),
        shown(a.after.as_deref()),
        a.change
            .as_deref()
            .map(|x| format!(" ({})", group_decimal(x)))
            .unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warrant_and_convertible_amounts_are_grouped() {
        let a = diff::AmountChange {
            before: Some("6560000".into()),
            after: Some("4400000.50".into()),
            change: Some("-2159999.50".into()),
        };
        assert_eq!(
            amounts("Notes due 2027", "amount", &a),
            "Notes due 2027: amount 6,560,000 → 4,400,000.50 (-2,159,999.50)"
        );
        let gone = diff::AmountChange {
            before: Some("12000".into()),
            after: None,
            change: None,
        };
        assert_eq!(
            amounts("Bonus Warrants", "outstanding", &gone),
            "Bonus Warrants: outstanding 12,000 → —"
        );
    }
}
