//! Option schemes of the selected issuer and month (opening, every movement,
//! closing, new shares issued, shares issuable), warrants, convertibles and
//! other movements beside them, and the selected scheme's closing balance
//! across every month.

use super::{
    block, empty, grid_src, has_finding, num_cell, Cell, GridRow, GridView, Mark, RowKind, Src,
};
use crate::filings::model::{Filing, OptionMoveKind, OptionScheme};
use crate::tui::app::{App, Pane};
use crate::tui::text::{group, group_decimal, sanitize, truncate};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Sparkline};
use ratatui::Frame;

pub const HEADERS: &[&str] = &["", "Shares"];

fn move_label(k: OptionMoveKind) -> &'static str {
    match k {
        OptionMoveKind::Granted => "Granted",
        OptionMoveKind::Exercised => "Exercised",
        OptionMoveKind::Cancelled => "Cancelled",
        OptionMoveKind::Lapsed => "Lapsed",
        OptionMoveKind::Other => "Other",
    }
}

fn value(label: &str, cell: Cell, note: &str) -> GridRow {
    GridRow {
        kind: RowKind::Value,
        label: label.to_string(),
        cells: vec![cell, Cell::text(sanitize(note), None)],
        src: None,
    }
}

/// A money or unit amount printed as a decimal string.
fn text_cell(
    f: &Filing,
    id: u32,
    s: Option<&String>,
    field: &str,
    lines: &crate::filings::model::Lines,
) -> Cell {
    let line = lines.get(field).copied();
    Cell {
        text: s
            .map(|v| group_decimal(v))
            .unwrap_or_else(|| "—".to_string()),
        mark: if has_finding(f, None, line) {
            Mark::Finding
        } else {
            Mark::Plain
        },
        src: Some(Src::Filing(
            id,
            line.or_else(|| lines.values().next().copied()),
        )),
    }
}

/// The rows, and for each row the index of the option scheme it belongs to.
pub fn build(app: &App) -> (Vec<GridRow>, Vec<Option<usize>>) {
    let mut rows = Vec::new();
    let mut owner = Vec::new();
    let Some(id) = app.month_filing() else {
        return (rows, owner);
    };
    let f = app.index.filing(id);
    let mut push = |rows: &mut Vec<GridRow>, r: GridRow, o: Option<usize>| {
        rows.push(r);
        owner.push(o);
    };
    for (si, s) in f.option_schemes.iter().enumerate() {
        let k = s.class_key.as_deref();
        let first = s.lines.values().min().copied();
        let mut head = format!("Option scheme: {}", s.scheme);
        if let Some(a) = &s.adopted {
            head.push_str(&format!(" · adopted {a}"));
        }
        if let Some(p) = &s.exercise_price {
            head.push_str(&format!(" · price {p}"));
        }
        push(
            &mut rows,
            GridRow::section(sanitize(&head), Some(Src::Filing(id, first))),
            Some(si),
        );
        let cell = |v, field| num_cell(f, id, k, v, field, &s.lines, &s.recovered);
        push(
            &mut rows,
            value("Opening", cell(s.opening, "opening"), "options outstanding"),
            Some(si),
        );
        for m in &s.movements {
            let line = m.line;
            let c = Cell {
                text: group(m.amount),
                mark: if has_finding(f, k, line) {
                    Mark::Finding
                } else {
                    Mark::Plain
                },
                src: Some(Src::Filing(id, line.or(first))),
            };
            push(
                &mut rows,
                value(move_label(m.kind), c, m.note.as_deref().unwrap_or("")),
                Some(si),
            );
        }
        push(
            &mut rows,
            value("Closing", cell(s.closing, "closing"), "options outstanding"),
            Some(si),
        );
        push(
            &mut rows,
            value(
                "New shares issued",
                cell(s.new_shares_issued, "new_shares_issued"),
                "",
            ),
            Some(si),
        );
        // Treasury shares transferred out of treasury on exercise (A2),
        // kept as printed.
        if let Some(raw) = s.raw.get("treasury_transferred") {
            let v = crate::filings::parse::values::parse_int(raw);
            push(
                &mut rows,
                value(
                    "Treasury transferred",
                    cell(v, "treasury_transferred"),
                    "out of treasury",
                ),
                Some(si),
            );
        }
        push(
            &mut rows,
            value(
                "Issuable at close",
                cell(s.issuable_at_close, "issuable_at_close"),
                "",
            ),
            Some(si),
        );
    }
    for w in &f.warrants {
        let first = w.lines.values().min().copied();
        let mut head = format!("Warrants: {}", w.description);
        if let Some(p) = &w.subscription_price {
            head.push_str(&format!(" · price {p}"));
        }
        if let Some(e) = &w.expiry {
            head.push_str(&format!(" · expires {e}"));
        }
        push(
            &mut rows,
            GridRow::section(sanitize(&head), Some(Src::Filing(id, first))),
            None,
        );
        let unit = if w.units {
            "units"
        } else {
            w.currency.as_deref().unwrap_or("money")
        };
        for (label, v, field) in [
            ("Opening", w.opening.as_ref(), "opening"),
            ("Exercised", w.exercised.as_ref(), "exercised"),
            ("Closing", w.closing.as_ref(), "closing"),
        ] {
            push(
                &mut rows,
                value(label, text_cell(f, id, v, field, &w.lines), unit),
                None,
            );
        }
        let cell = |v, field| num_cell(f, id, w.class_key.as_deref(), v, field, &w.lines, &[]);
        push(
            &mut rows,
            value(
                "New shares issued",
                cell(w.new_shares_issued, "new_shares_issued"),
                "",
            ),
            None,
        );
        push(
            &mut rows,
            value(
                "Issuable at close",
                cell(w.issuable_at_close, "issuable_at_close"),
                "",
            ),
            None,
        );
    }
    for c in &f.convertibles {
        let first = c.lines.values().min().copied();
        let mut head = format!("Convertibles: {}", c.description);
        if let Some(p) = &c.conversion_price {
            head.push_str(&format!(" · conversion price {p}"));
        }
        push(
            &mut rows,
            GridRow::section(sanitize(&head), Some(Src::Filing(id, first))),
            None,
        );
        let cur = c.currency.as_deref().unwrap_or("");
        for (label, v, field) in [
            (
                "Amount opening",
                c.amount_opening.as_ref(),
                "amount_opening",
            ),
            ("Converted", c.converted.as_ref(), "converted"),
            (
                "Amount closing",
                c.amount_closing.as_ref(),
                "amount_closing",
            ),
        ] {
            push(
                &mut rows,
                value(label, text_cell(f, id, v, field, &c.lines), cur),
                None,
            );
        }
        let cell = |v, field| num_cell(f, id, c.class_key.as_deref(), v, field, &c.lines, &[]);
        push(
            &mut rows,
            value(
                "New shares issued",
                cell(c.new_shares_issued, "new_shares_issued"),
                "",
            ),
            None,
        );
        push(
            &mut rows,
            value(
                "Issuable at close",
                cell(c.issuable_at_close, "issuable_at_close"),
                "",
            ),
            None,
        );
    }
    let others: Vec<_> = f.other_issues.iter().chain(&f.other_movements).collect();
    if !others.is_empty() {
        push(
            &mut rows,
            GridRow::section("Other issues and movements", None),
            None,
        );
        for m in others {
            let mut note = m.class_key.clone().unwrap_or_default();
            if let Some(d) = &m.date {
                note.push_str(&format!(" {d}"));
            }
            if let Some(p) = &m.price {
                note.push_str(&format!(" @ {p}"));
            }
            if m.pending {
                note.push_str(" (pending)");
            }
            let mut label = m.kind.as_str().replace('_', " ");
            if let Some(d) = &m.description {
                label = format!("{label}: {d}");
            }
            let c = num_cell(
                f,
                id,
                m.class_key.as_deref(),
                m.amount,
                "amount",
                &m.lines,
                &[],
            );
            push(&mut rows, value(&sanitize(&label), c, note.trim()), None);
        }
    }
    if rows.is_empty() {
        push(
            &mut rows,
            GridRow::section(
                "No option schemes, warrants, convertibles or other movements this month",
                Some(Src::Filing(id, None)),
            ),
            None,
        );
    }
    (rows, owner)
}

pub fn rows(app: &App) -> Vec<GridRow> {
    build(app).0
}

pub fn selected_src(app: &App) -> Option<Src> {
    grid_src(&rows(app), &app.schemes)
}

/// The option scheme the selection is in (the first one when it is elsewhere).
pub fn selected_scheme(app: &App) -> Option<OptionScheme> {
    let f = app.index.filing(app.month_filing()?);
    let (_, owner) = build(app);
    let i = owner
        .get(app.schemes.rows.sel)
        .copied()
        .flatten()
        .unwrap_or(0);
    f.option_schemes.get(i).cloned()
}

/// (month, closing) of a scheme over every month of the issuer: the same
/// scheme name and exercise price, else the same name.
pub fn history(app: &App, s: &OptionScheme) -> Vec<(String, Option<i64>)> {
    let Some(code) = app.issuer_code() else {
        return Vec::new();
    };
    app.index
        .months(code)
        .into_iter()
        .filter_map(|m| {
            let f = app.index.effective_return(code, &m)?;
            let found = f
                .option_schemes
                .iter()
                .find(|x| x.scheme == s.scheme && x.exercise_price == s.exercise_price)
                .or_else(|| f.option_schemes.iter().find(|x| x.scheme == s.scheme))?;
            Some((m, found.closing))
        })
        .collect()
}

/// Inner area split: grid, and the history beside it (wide) or below it.
pub fn areas(inner: Rect) -> (Rect, Option<Rect>) {
    if inner.width >= 100 {
        let [g, h] = Layout::horizontal([Constraint::Fill(1), Constraint::Length(36)]).areas(inner);
        (g, Some(h))
    } else if inner.height >= 16 {
        let [g, h] = Layout::vertical([Constraint::Fill(1), Constraint::Length(7)]).areas(inner);
        (g, Some(h))
    } else {
        (inner, None)
    }
}

pub fn list_area(inner: Rect) -> Rect {
    let (g, _) = areas(inner);
    Rect {
        y: g.y.saturating_add(1),
        height: g.height.saturating_sub(1),
        ..g
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let focused = app.focus == Pane::Schemes && app.source.is_none();
    let mut title = format!("{} Schemes, warrants, convertibles", Pane::Schemes.number());
    if let (Some(c), Some(m)) = (app.issuer_code(), app.month.as_ref()) {
        title.push_str(&format!(" · {c} · {m}"));
    }
    let b = block(app, title, focused);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    if app.no_issuer_selected() {
        return empty(frame, inner, app, super::NO_ISSUER);
    }
    if app.month_filing().is_none() {
        return empty(frame, inner, app, "no monthly return selected");
    }
    let (grid_area, hist_area) = areas(inner);
    let rows = rows(app);
    super::render_grid(
        frame,
        grid_area,
        app,
        GridView {
            rows: &rows,
            headers: HEADERS,
            label_max: 34,
            value_width: 17,
            grid: app.schemes,
            focused,
        },
    );
    if let Some(h) = hist_area {
        render_history(frame, h, app);
    }
}

fn render_history(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let Some(s) = selected_scheme(app) else {
        return;
    };
    let hist = history(app, &s);
    let wide = area.height > 8;
    let head = Line::from(Span::styled(
        truncate(
            &format!(" {} closing by month", sanitize(&s.scheme)),
            area.width as usize,
        ),
        t.header,
    ));
    let spark_h = if wide { 3 } else { 2 };
    let [h, spark, list] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(spark_h),
        Constraint::Fill(1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(head), h);
    let vals: Vec<i64> = hist.iter().filter_map(|(_, v)| *v).collect();
    let lo = vals.iter().copied().min().unwrap_or(0);
    let hi = vals.iter().copied().max().unwrap_or(0);
    // Bars start a little below the lowest value so changes show.
    let base = lo - (hi - lo) / 8 - 1;
    let data: Vec<Option<u64>> = hist
        .iter()
        .map(|(_, v)| v.map(|x| u64::try_from(x - base).unwrap_or(0)))
        .collect();
    let width = spark.width as usize;
    let tail = data.len().saturating_sub(width);
    frame.render_widget(
        Sparkline::default()
            .data(data.get(tail..).unwrap_or(&[]).iter().copied())
            .style(t.good),
        spark,
    );
    let sel = app
        .month
        .as_ref()
        .and_then(|m| hist.iter().position(|(x, _)| x == m));
    let n = list.height as usize;
    let end = sel
        .map(|i| i + 1)
        .unwrap_or(hist.len())
        .max(n.min(hist.len()));
    let start = end.saturating_sub(n);
    let lines: Vec<Line> = hist
        .iter()
        .enumerate()
        .skip(start)
        .take(end - start)
        .map(|(i, (m, v))| {
            let val = v.map(group).unwrap_or_else(|| "—".to_string());
            let text = format!(" {m} {val:>18}");
            if Some(i) == sel {
                Line::from(Span::styled(text, t.selected))
            } else {
                Line::from(text)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}
