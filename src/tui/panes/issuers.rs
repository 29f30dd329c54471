//! The issuer list: stock code, English and Chinese name, filings, latest
//! month, findings; sortable by each column. Its selection drives the other panes.

use super::{block, empty};
use crate::tui::app::{App, Pane, SortCol, NO_ISSUER};
use crate::tui::text::{count, sanitize, truncate};
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row, Table, TableState};
use ratatui::Frame;

/// Whether the Chinese name gets a column at this inner width.
fn show_zh(width: u16) -> bool {
    width >= 64
}

pub fn list_area(inner: Rect) -> Rect {
    Rect {
        y: inner.y.saturating_add(1),
        height: inner.height.saturating_sub(1),
        ..inner
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let focused = app.focus == Pane::Issuers && app.help.is_none() && app.view.is_none();
    let arrow = if app.issuers.reverse { "▲" } else { "▼" };
    // Code and names sort ascending by default, counts descending: the arrow
    // shows the order as seen.
    let ascending_default = matches!(
        app.issuers.sort,
        SortCol::Code | SortCol::Name | SortCol::NameZh
    );
    let arrow = match (ascending_default, app.issuers.reverse) {
        (true, false) => "▲",
        (true, true) => "▼",
        _ => arrow,
    };
    let issuers = app
        .issuers
        .order
        .iter()
        .filter(|c| c.as_str() != NO_ISSUER)
        .count();
    let title = format!(
        "{} Issuers ({}{}) · by {} {arrow}",
        Pane::Issuers.number(),
        count(issuers),
        if app.starred_only { " starred" } else { "" },
        app.issuers.sort.label()
    );
    let b = block(app, title, focused);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    if app.issuers.order.is_empty() {
        let msg = if app.progress.loading {
            "loading: issuers appear as files are read"
        } else {
            "no filings with a stock code in this folder"
        };
        return empty(frame, inner, app, msg);
    }
    let zh = show_zh(inner.width);
    let mark = |c: SortCol, s: &str| {
        if app.issuers.sort == c {
            format!("{s}{arrow}")
        } else {
            s.to_string()
        }
    };
    let right = |s: String| Cell::from(Line::from(s).alignment(Alignment::Right));
    // Marks (★ starred, ✎ has a note) take a column only once there are any.
    let marked = !app.store.data.starred.is_empty() || !app.store.data.notes.is_empty();
    let mut header = vec![
        Cell::from(mark(SortCol::Code, "Code")),
        Cell::from(mark(SortCol::Name, "Name")),
    ];
    if zh {
        header.push(Cell::from(mark(SortCol::NameZh, "中文名")));
    }
    header.push(right(mark(SortCol::Filings, "Files")));
    header.push(right(mark(SortCol::Latest, "Latest")));
    header.push(right(mark(SortCol::Findings, "Find")));
    let mut widths = vec![Constraint::Length(5), Constraint::Fill(3)];
    if marked {
        header.insert(0, Cell::from(""));
        widths.insert(0, Constraint::Length(2));
    }
    if zh {
        widths.push(Constraint::Fill(2));
    }
    widths.extend([
        Constraint::Length(6),
        Constraint::Length(8),
        Constraint::Length(5),
    ]);
    let height = list_area(inner).height as usize;
    let off = app.issuers.scroll.offset;
    // Only the visible rows are built: the list may hold thousands of issuers.
    let rows = app
        .issuers
        .order
        .iter()
        .skip(off)
        .take(height)
        .filter_map(|code| {
            if code == NO_ISSUER {
                return Some(no_issuer_row(app, marked, zh));
            }
            let i = app.index.issuer(code)?;
            let latest = i
                .months
                .keys()
                .next_back()
                .cloned()
                .unwrap_or_else(|| "—".to_string());
            let marks = format!(
                "{}{}",
                if app.store.data.starred.contains(&i.code) {
                    "★"
                } else {
                    " "
                },
                if app.store.data.notes.contains_key(&i.code) {
                    "✎"
                } else {
                    " "
                }
            );
            let mut cells = vec![Cell::from(sanitize(&i.code)), Cell::from(sanitize(&i.name))];
            if marked {
                cells.insert(0, Cell::from(Line::from(marks).style(t.key)));
            }
            if zh {
                cells.push(Cell::from(sanitize(i.name_zh.as_deref().unwrap_or(""))));
            }
            cells.push(right(count(i.filings.len())));
            cells.push(right(latest));
            let n = app.finding_count(i);
            let f = Line::from(truncate(&count(n), 5)).alignment(Alignment::Right);
            cells.push(Cell::from(if n > 0 {
                f.style(t.finding)
            } else {
                f.style(t.dim)
            }));
            Some(Row::new(cells))
        });
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(t.header))
        .column_spacing(1)
        .row_highlight_style(if focused { t.selected } else { t.selected_dim });
    let mut state =
        TableState::default().with_selected(Some(app.issuers.scroll.sel.saturating_sub(off)));
    frame.render_stateful_widget(table, inner, &mut state);
}

/// The row of the filings under no issuer (no stock code read, no issuer's
/// name borne), after the issuers: their number, dimmed.
fn no_issuer_row(app: &App, marked: bool, zh: bool) -> Row<'static> {
    let t = &app.theme;
    let right = |s: String| Cell::from(Line::from(s).alignment(Alignment::Right));
    let mut cells = vec![Cell::from("—"), Cell::from("(under no issuer)")];
    if marked {
        cells.insert(0, Cell::from(""));
    }
    if zh {
        cells.push(Cell::from(""));
    }
    cells.push(right(count(app.index.orphans().len())));
    cells.push(right("—".to_string()));
    cells.push(right(String::new()));
    Row::new(cells).style(t.dim)
}
