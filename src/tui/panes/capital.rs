//! Share capital of the selected issuer and month: each class's authorised
//! shares, par value and capital, issued (and treasury, total) opening /
//! change / closing, the month's next day returns, and a chart of issued
//! shares per class over every month the issuer has.

use super::{
    block, empty, grid_src, has_finding, month_bounds, num_cell, Cell, GridRow, GridView, Mark,
    RowKind, Src,
};
use crate::filings::model::{Balance, Filing, ShareClass};
use crate::tui::app::{App, Pane};
use crate::tui::text::{group_decimal, sanitize};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph};
use ratatui::Frame;

pub const HEADERS: &[&str] = &["", "Opening", "Change", "Closing"];

fn class_label(c: &ShareClass) -> String {
    let mut s = c
        .class
        .clone()
        .or_else(|| c.type_.clone())
        .or_else(|| c.description.clone())
        .unwrap_or_else(|| c.class_key.clone());
    if let Some(t) = c.type_.as_ref().filter(|t| c.class.as_ref() != Some(*t)) {
        if c.class.is_some() {
            s.push_str(&format!(" ({t})"));
        }
    }
    if let Some(code) = &c.stock_code {
        s.push_str(&format!(" · {code}"));
    }
    if c.listed == Some(false) {
        s.push_str(" · unlisted");
    }
    sanitize(&s)
}

fn balance_row(f: &Filing, id: u32, c: &ShareClass, label: &str, b: &Balance) -> GridRow {
    let k = Some(c.class_key.as_str());
    GridRow {
        kind: RowKind::Value,
        label: label.to_string(),
        cells: vec![
            num_cell(f, id, k, b.opening, "opening", &b.lines, &b.recovered),
            num_cell(f, id, k, b.change, "change", &b.lines, &b.recovered),
            num_cell(f, id, k, b.closing, "closing", &b.lines, &b.recovered),
        ],
        src: b.lines.values().next().map(|&l| Src::Filing(id, Some(l))),
    }
}

/// A money or par cell in the closing column. `bad`: a finding names it
/// without a line (par x shares != capital is reported on the class).
fn text_row(
    f: &Filing,
    id: u32,
    c: &ShareClass,
    label: &str,
    text: String,
    field: &str,
    bad: bool,
) -> GridRow {
    let a = c.authorised.as_ref();
    let line = a.and_then(|a| a.lines.get(field)).copied();
    let recovered = a.is_some_and(|a| a.recovered.iter().any(|r| r == field));
    let mark = if bad || has_finding(f, Some(&c.class_key), line) {
        Mark::Finding
    } else if recovered {
        Mark::Recovered
    } else {
        Mark::Plain
    };
    GridRow {
        kind: RowKind::Value,
        label: label.to_string(),
        cells: vec![
            Cell::empty(),
            Cell::empty(),
            Cell {
                text,
                mark,
                src: Some(Src::Filing(id, line)),
            },
        ],
        src: Some(Src::Filing(id, line)),
    }
}

/// The grid's rows for the selected issuer and month.
pub fn rows(app: &App) -> Vec<GridRow> {
    let Some(id) = app.month_filing() else {
        return Vec::new();
    };
    let f = app.index.filing(id);
    let mut out = Vec::new();
    for c in &f.share_classes {
        let first_line = c.lines.values().min().copied();
        out.push(GridRow::section(
            class_label(c),
            Some(Src::Filing(id, first_line)),
        ));
        if let Some(a) = &c.authorised {
            let b = Balance {
                opening: a.opening,
                change: a.change,
                closing: a.closing,
                recovered: a.recovered.clone(),
                lines: a.lines.clone(),
                ..Balance::default()
            };
            out.push(balance_row(f, id, c, "Authorised", &b));
            let cur = a.currency.clone().unwrap_or_default();
            if let Some(p) = &a.par_value {
                let text = sanitize(format!("{cur} {p}").trim());
                out.push(text_row(f, id, c, "Par value", text, "par_value", false));
            }
            if let Some(cap) = &a.capital {
                let text = sanitize(format!("{cur} {}", group_decimal(cap)).trim());
                // par x shares != capital is reported once per class, on the class.
                let bad = f.findings.iter().any(|x| {
                    x.code == crate::filings::model::codes::PAR_TIMES_SHARES
                        && x.class_key.as_deref() == Some(c.class_key.as_str())
                });
                out.push(text_row(f, id, c, "Capital", text, "capital", bad));
            }
        }
        if let Some(b) = &c.issued {
            let label = if c.treasury.is_some() {
                "Issued excl. treasury"
            } else {
                "Issued"
            };
            out.push(balance_row(f, id, c, label, b));
        }
        if let Some(b) = &c.treasury {
            out.push(balance_row(f, id, c, "Treasury", b));
        }
        if let Some(b) = &c.total {
            out.push(balance_row(f, id, c, "Total", b));
        }
    }
    if f.share_classes.is_empty() {
        out.push(GridRow::section(
            "No share classes were read from this return",
            Some(Src::Filing(id, None)),
        ));
    }
    ndr_rows(app, &mut out);
    out
}

/// The month's next day returns: each one's balances, then its movements.
fn ndr_rows(app: &App, out: &mut Vec<GridRow>) {
    let (Some(code), Some(month)) = (app.issuer_code(), app.month.as_deref()) else {
        return;
    };
    let Some((prev_end, end)) = month_bounds(month) else {
        return;
    };
    let ids = app.index.ndrs_between(code, Some(&prev_end), Some(&end));
    if ids.is_empty() {
        return;
    }
    out.push(GridRow::section(
        format!("Next day returns in {month} ({})", ids.len()),
        None,
    ));
    for nid in ids {
        let n = app.index.filing(nid);
        let date = n.date.clone().unwrap_or_else(|| "undated".to_string());
        for c in &n.share_classes {
            if let Some(b) = &c.issued {
                let label = sanitize(&format!("{date} {}", c.class_key));
                out.push(balance_row(n, nid, c, &label, b));
            }
        }
        if n.share_classes.is_empty() && n.movements.is_empty() {
            out.push(GridRow {
                kind: RowKind::Value,
                label: format!("{date} (no figures read)"),
                cells: vec![Cell::empty(), Cell::empty(), Cell::empty()],
                src: Some(Src::Filing(nid, None)),
            });
        }
        for m in &n.movements {
            let mut label = format!(
                "  {} {}",
                m.date.as_deref().unwrap_or(&date),
                m.kind.as_str()
            );
            if m.pending {
                label.push_str(" (pending)");
            }
            if let Some(p) = &m.price {
                label.push_str(&format!(" @ {} {p}", m.currency.as_deref().unwrap_or("")));
            }
            let line = m
                .lines
                .get("amount")
                .or_else(|| m.lines.values().next())
                .copied();
            let mut amount = num_cell(
                n,
                nid,
                m.class_key.as_deref(),
                m.amount,
                "amount",
                &m.lines,
                &[],
            );
            amount.src = Some(Src::Filing(nid, line));
            out.push(GridRow {
                kind: RowKind::Value,
                label: sanitize(&label),
                cells: vec![Cell::empty(), amount, Cell::empty()],
                src: Some(Src::Filing(nid, line)),
            });
        }
    }
}

pub fn selected_src(app: &App) -> Option<Src> {
    grid_src(&rows(app), &app.capital)
}

/// Split the pane's inner area: info line, table, chart (when there is room).
pub fn areas(inner: Rect) -> (Rect, Rect, Option<Rect>) {
    let [info, rest] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    if rest.height >= 20 && rest.width >= 30 {
        let chart_h = (rest.height / 3).clamp(6, 14);
        let [table, chart] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(chart_h)]).areas(rest);
        (info, table, Some(chart))
    } else {
        (info, rest, None)
    }
}

/// The rows of the table that list rows (below its header).
pub fn list_area(inner: Rect) -> Rect {
    let (_, table, _) = areas(inner);
    Rect {
        y: table.y.saturating_add(1),
        height: table.height.saturating_sub(1),
        ..table
    }
}

pub fn title(app: &App) -> String {
    let mut s = format!("{} Share capital", Pane::Capital.number());
    if let Some(code) = app.issuer_code() {
        s.push_str(&format!(" · {code}"));
        if let Some(m) = &app.month {
            let months = app.index.months(code);
            let pos = months
                .iter()
                .position(|x| x == m)
                .map(|i| i + 1)
                .unwrap_or(0);
            s.push_str(&format!(" · {m} ({pos}/{})", months.len()));
        }
    }
    s
}

/// The line above the table: which return this is.
pub fn info_line(app: &App) -> Line<'static> {
    let t = &app.theme;
    let Some(id) = app.month_filing() else {
        return Line::from("");
    };
    let f = app.index.filing(id);
    let mut spans = vec![Span::raw(format!(
        "{} · {}",
        f.date.as_deref().unwrap_or("undated"),
        f.form.as_str()
    ))];
    if let Some(s) = f.status {
        spans.push(Span::raw(format!(
            " · {}",
            if s == crate::filings::model::Status::Amendment {
                "amendment"
            } else {
                "new"
            }
        )));
    }
    let n = f
        .findings
        .iter()
        .filter(|x| x.level >= crate::filings::model::Level::Warning)
        .count();
    if n > 0 {
        let s = if n == 1 { "" } else { "s" };
        spans.push(Span::styled(format!(" · {n} finding{s}"), t.finding));
    }
    spans.push(Span::styled(format!(" · {}", sanitize(&f.file)), t.dim));
    Line::from(spans)
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let focused = app.focus == Pane::Capital && app.source.is_none();
    let t = &app.theme;
    let legend = Line::from(vec![
        Span::styled(" ~", t.recovered),
        Span::raw(" recovered  "),
        Span::styled("!", t.finding),
        Span::raw(" finding "),
    ]);
    let b = block(app, title(app), focused).title_bottom(legend);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    if app.no_issuer_selected() {
        return empty(frame, inner, app, super::NO_ISSUER);
    }
    if app.issuer_code().is_none() {
        return empty(frame, inner, app, "no issuer selected");
    }
    if app.month_filing().is_none() {
        return empty(frame, inner, app, "this issuer has no monthly return");
    }
    let (info, table, chart) = areas(inner);
    frame.render_widget(Paragraph::new(info_line(app)), info);
    let rows = rows(app);
    super::render_grid(
        frame,
        table,
        app,
        GridView {
            rows: &rows,
            headers: HEADERS,
            label_max: 28,
            value_width: 18,
            grid: app.capital,
            focused,
        },
    );
    if let Some(c) = chart {
        render_chart(frame, c, app);
    }
}

/// The class the chart shows: the one the selection is in, else the first
/// listed class, else the first.
pub fn chart_class(app: &App) -> Option<ShareClass> {
    let f = app.index.filing(app.month_filing()?);
    let rows = rows(app);
    let sections = rows
        .iter()
        .take(app.capital.rows.sel + 1)
        .filter(|r| r.kind == RowKind::Section)
        .count();
    sections
        .checked_sub(1)
        .and_then(|i| f.share_classes.get(i))
        .or_else(|| f.share_classes.iter().find(|c| c.stock_code.is_some()))
        .or_else(|| f.share_classes.first())
        .cloned()
}

/// Issued shares of one class over every month of the issuer, the selected
/// month marked.
fn render_chart(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let (Some(code), Some(class)) = (app.issuer_code(), chart_class(app)) else {
        return;
    };
    let months = app.index.months(code);
    // A month whose issued closing is unknown (or that lacks the class) is a
    // gap in the line, not a dive to zero: the series is cut into runs of
    // consecutive known months, one dataset each.
    let known: Vec<Option<f64>> = {
        let series = app.index.class_series(code, &class.class_key);
        months
            .iter()
            .map(|m| {
                series
                    .iter()
                    .find(|(p, _)| p == m)
                    .and_then(|(_, sc)| sc.issued.as_ref()?.closing)
                    .map(|v| v as f64)
            })
            .collect()
    };
    let pts: Vec<(f64, f64)> = known
        .iter()
        .enumerate()
        .filter_map(|(x, y)| y.map(|y| (x as f64, y)))
        .collect();
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut prev: Option<usize> = None;
    for &(x, y) in &pts {
        let xi = x as usize;
        match (runs.last_mut(), prev) {
            (Some(run), Some(p)) if p + 1 == xi => run.push((x, y)),
            _ => runs.push(vec![(x, y)]),
        }
        prev = Some(xi);
    }
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let title = format!(
        "Issued shares of {} by month ({} months)",
        class_label(&class),
        pts.len()
    );
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            crate::tui::text::truncate(&title, head.width as usize),
            t.header,
        ))),
        head,
    );
    if pts.is_empty() {
        return;
    }
    let lo = pts.iter().map(|p| p.1).fold(f64::MAX, f64::min);
    let hi = pts.iter().map(|p| p.1).fold(f64::MIN, f64::max);
    // A flat series still gets a visible band around it.
    let pad = ((hi - lo) * 0.1).max(hi.abs() * 0.001).max(1.0);
    let (lo, hi) = ((lo - pad).max(0.0), hi + pad);
    let xmax = (months.len().saturating_sub(1)).max(1) as f64;
    let sel_x = app
        .month
        .as_ref()
        .and_then(|m| months.iter().position(|x| x == m))
        .unwrap_or(0) as f64;
    let marker = [(sel_x, lo), (sel_x, hi)];
    let mut datasets = vec![Dataset::default()
        .marker(symbols::Marker::Braille)
        .graph_type(GraphType::Line)
        .style(t.dim)
        .data(&marker)];
    for run in &runs {
        datasets.push(
            Dataset::default()
                .marker(symbols::Marker::Braille)
                // A lone month between gaps is a dot; a run is a line.
                .graph_type(if run.len() == 1 {
                    GraphType::Scatter
                } else {
                    GraphType::Line
                })
                .style(Style::new().fg(t.chart[0]))
                .data(run),
        );
    }
    let first = months.first().cloned().unwrap_or_default();
    let last = months.last().cloned().unwrap_or_default();
    let chart = Chart::new(datasets)
        .x_axis(
            Axis::default()
                .bounds([0.0, xmax])
                .labels([Span::raw(first), Span::raw(last)])
                .style(t.dim),
        )
        .y_axis(
            Axis::default()
                .bounds([lo, hi])
                .labels([Span::raw(super::compact(lo)), Span::raw(super::compact(hi))])
                .style(t.dim),
        );
    frame.render_widget(chart, body);
}
