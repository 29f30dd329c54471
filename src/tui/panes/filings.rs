//! The selected issuer's timeline: every monthly return, next day return and
//! announcement, superseded and duplicate ones marked. Enter reads one.

use super::{block, empty};
use crate::filings::model::{Kind, Level, Status};
use crate::tui::app::{App, Pane};
use crate::tui::text::{count, sanitize};
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table, TableState};
use ratatui::Frame;

pub fn list_area(inner: Rect) -> Rect {
    Rect {
        y: inner.y.saturating_add(1),
        height: inner.height.saturating_sub(1),
        ..inner
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let focused = app.focus == Pane::Filings && app.source.is_none();
    let ids = app.issuer_filings();
    let mut title = format!("{} Filings", Pane::Filings.number());
    if let Some(c) = app.issuer_code() {
        title.push_str(&format!(" of {c} ({})", count(ids.len())));
    } else if app.no_issuer_selected() {
        title.push_str(&format!(" under no issuer ({})", count(ids.len())));
    }
    let b = block(app, title, focused).title_bottom(Line::from(vec![
        Span::styled(" S", t.warning),
        Span::raw(" superseded  "),
        Span::styled("D", t.dim),
        Span::raw(" duplicate  "),
        Span::styled("A", t.info),
        Span::raw(" amendment "),
    ]));
    let inner = b.inner(area);
    frame.render_widget(b, area);
    if ids.is_empty() {
        return empty(frame, inner, app, "no filings for this issuer");
    }
    let wide = inner.width >= 100;
    let mut header = vec!["Date", "Kind", "Period", "Mark", "Find"];
    let mut widths = vec![
        Constraint::Length(10),
        Constraint::Length(if wide { 15 } else { 4 }),
        Constraint::Length(7),
        Constraint::Length(4),
        Constraint::Length(4),
    ];
    if wide {
        header.insert(3, "Form");
        widths.insert(3, Constraint::Length(12));
    }
    header.push("Title / file");
    widths.push(Constraint::Fill(1));
    let height = list_area(inner).height as usize;
    let off = app.filings.offset;
    let rows = ids.iter().skip(off).take(height).map(|&id| {
        let f = app.index.filing(id);
        let kind = match (f.kind, wide) {
            (Kind::MonthlyReturn, true) => "monthly return",
            (Kind::NextDayReturn, true) => "next day return",
            (Kind::Announcement, true) => "announcement",
            (Kind::MonthlyReturn, false) => "MR",
            (Kind::NextDayReturn, false) => "NDR",
            (Kind::Announcement, false) => "ANN",
        };
        let (mark, mstyle) = if app.index.is_duplicate(id) {
            ("D", t.dim)
        } else if app.index.is_superseded(id) {
            ("S", t.warning)
        } else if f.status == Some(Status::Amendment) {
            ("A", t.info)
        } else {
            ("", t.dim)
        };
        let n = f
            .findings
            .iter()
            .filter(|x| x.level >= Level::Warning)
            .count();
        let what = match (&f.title, f.kind) {
            (Some(title), _) => sanitize(title),
            _ => super::file_name(&f.file),
        };
        let mut cells = vec![
            Cell::from(f.date.clone().unwrap_or_else(|| "—".to_string())),
            Cell::from(kind),
            Cell::from(f.period.clone().unwrap_or_default()),
            Cell::from(Line::from(mark).style(mstyle)),
            Cell::from(
                Line::from(if n > 0 { n.to_string() } else { String::new() })
                    .style(t.finding)
                    .alignment(Alignment::Right),
            ),
            Cell::from(what),
        ];
        if wide {
            cells.insert(3, Cell::from(f.form.as_str()));
        }
        let row = Row::new(cells);
        if app.index.is_duplicate(id) || app.index.is_superseded(id) {
            row.style(t.dim)
        } else {
            row
        }
    });
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(t.header))
        .column_spacing(1)
        .row_highlight_style(if focused { t.selected } else { t.selected_dim });
    let mut state = TableState::default().with_selected(Some(app.filings.sel.saturating_sub(off)));
    frame.render_stateful_widget(table, inner, &mut state);
}
