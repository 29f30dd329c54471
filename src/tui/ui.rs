//! Drawing: a pure function of `&App`. The layout is a function too, so
//! `update` uses the same rectangles for mouse clicks and page sizes.

use super::app::{App, Pane};
use super::keymap::{Context, Keymap};
use super::panes;
use super::text::{count, truncate, truncate_left};
use ratatui::layout::{Alignment, Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// Below this the explorer shows a notice instead of panes.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;
/// From this width the issuer list stays beside the detail pane.
pub const SPLIT_WIDTH: u16 = 120;

/// Where everything goes on the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub tabs: Rect,
    pub issuers: Option<Rect>,
    pub detail: Option<Rect>,
    pub hints: Rect,
    pub tab_rects: Vec<(Pane, Rect)>,
    pub too_small: bool,
    /// The pane shown in `detail`.
    pub detail_pane: Pane,
}

impl Areas {
    pub fn tab_at(&self, pos: Position) -> Option<Pane> {
        self.tab_rects
            .iter()
            .find(|(_, r)| r.contains(pos))
            .map(|(p, _)| *p)
    }

    pub fn pane_at(&self, pos: Position) -> Option<(Pane, Rect)> {
        if let Some(r) = self.issuers.filter(|r| r.contains(pos)) {
            return Some((Pane::Issuers, r));
        }
        self.detail
            .filter(|r| r.contains(pos))
            .map(|r| (self.detail_pane, r))
    }
}

fn tab_labels(width: u16) -> Vec<String> {
    let full = [
        "Issuers",
        "Share capital",
        "Schemes",
        "Lock-ups",
        "Filings",
        "Findings",
    ];
    let short = [
        "Issuers", "Capital", "Schemes", "Lock-ups", "Filings", "Findings",
    ];
    let tiny = ["Iss", "Cap", "Sch", "Lock", "Fil", "Find"];
    for set in [full, short, tiny] {
        let labels: Vec<String> = set
            .iter()
            .enumerate()
            .map(|(i, l)| format!(" {} {l} ", i + 1))
            .collect();
        let w: usize = labels.iter().map(|l| l.width()).sum();
        if w <= width as usize {
            return labels;
        }
    }
    (1..=6).map(|i| format!(" {i} ")).collect()
}

pub fn layout(app: &App) -> Areas {
    let area = app.area();
    let too_small = area.width < MIN_WIDTH || area.height < MIN_HEIGHT;
    let [header, tabs, body, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let mut tab_rects = Vec::new();
    let mut x = tabs.x;
    for (pane, label) in Pane::ALL.iter().zip(tab_labels(tabs.width)) {
        let w = (label.width() as u16).min(tabs.right().saturating_sub(x));
        tab_rects.push((*pane, Rect::new(x, tabs.y, w, 1)));
        x = x.saturating_add(w);
    }
    let detail_pane = app.detail_pane();
    let (issuers, detail) = if area.width >= SPLIT_WIDTH {
        let left = (area.width / 3).clamp(40, 64);
        let [l, r] =
            Layout::horizontal([Constraint::Length(left), Constraint::Fill(1)]).areas(body);
        (Some(l), Some(r))
    } else if app.focus == Pane::Issuers && app.source.is_none() && app.view.is_none() {
        (Some(body), None)
    } else {
        (None, Some(body))
    };
    Areas {
        header,
        tabs,
        issuers,
        detail,
        hints,
        tab_rects,
        too_small,
        detail_pane,
    }
}

fn inner(r: Rect) -> Rect {
    Block::default().borders(Borders::ALL).inner(r)
}

/// The outer rectangle a pane has (or would have, when shown).
fn pane_rect(app: &App, pane: Pane) -> Rect {
    let a = layout(app);
    let body = Rect {
        y: a.tabs.bottom(),
        height: a.hints.y.saturating_sub(a.tabs.bottom()),
        ..app.area()
    };
    match pane {
        Pane::Issuers => a.issuers.unwrap_or(body),
        _ => a.detail.unwrap_or(body),
    }
}

/// The rows of a pane that list rows, given the pane's outer rectangle.
pub fn list_area(_app: &App, pane: Pane, outer: Rect) -> Option<Rect> {
    let i = inner(outer);
    Some(match pane {
        Pane::Issuers => panes::issuers::list_area(i),
        Pane::Capital => panes::capital::list_area(i),
        Pane::Schemes => panes::schemes::list_area(i),
        Pane::Lockups => panes::lockups::list_area(i),
        Pane::Filings => panes::filings::list_area(i),
        Pane::Findings => panes::findings::list_area(i),
    })
}

/// How many rows of a pane's list are visible.
pub fn list_height(app: &App, pane: Pane) -> usize {
    list_area(app, pane, pane_rect(app, pane))
        .map(|r| r.height as usize)
        .unwrap_or(1)
}

/// Rows a comparison or `:` screen shows.
pub fn view_height(app: &App) -> usize {
    panes::diff::list_area(inner(pane_rect(app, Pane::Capital))).height as usize
}

/// Lines of text the source view shows.
pub fn source_height(app: &App) -> usize {
    panes::source::text_area(inner(pane_rect(app, Pane::Capital))).height as usize
}

fn help_rect(app: &App) -> Rect {
    let area = app.area();
    let w = area.width.saturating_sub(4).min(78);
    let h = area.height.saturating_sub(2);
    Rect::new(
        area.x + (area.width.saturating_sub(w)) / 2,
        area.y + (area.height.saturating_sub(h)) / 2,
        w,
        h,
    )
}

pub fn help_height(app: &App) -> usize {
    inner(help_rect(app)).height as usize
}

/// The help text, generated from the key table.
pub fn help_lines(keymap: &Keymap) -> Vec<(Option<Context>, String, &'static str)> {
    let mut out = Vec::new();
    for (ctx, rows) in keymap.help() {
        out.push((Some(ctx), String::new(), ""));
        for (keys, doc) in rows {
            out.push((None, keys, doc));
        }
    }
    out
}

pub fn help_len(keymap: &Keymap) -> usize {
    // The marks and the mouse above the keys (see `help`).
    help_lines(keymap).len() + 6
}

pub fn draw(frame: &mut Frame, app: &App) {
    let a = layout(app);
    if a.too_small {
        return too_small(frame, app);
    }
    header(frame, a.header, app);
    tabs(frame, &a, app);
    if let Some(r) = a.issuers {
        panes::issuers::render(frame, r, app);
    }
    if let Some(r) = a.detail {
        if app.source.is_some() {
            panes::source::render(frame, r, app);
        } else if let Some(v) = &app.view {
            panes::diff::render(frame, r, app, v);
        } else {
            match a.detail_pane {
                Pane::Issuers => panes::issuers::render(frame, r, app),
                Pane::Capital => panes::capital::render(frame, r, app),
                Pane::Schemes => panes::schemes::render(frame, r, app),
                Pane::Lockups => panes::lockups::render(frame, r, app),
                Pane::Filings => panes::filings::render(frame, r, app),
                Pane::Findings => panes::findings::render(frame, r, app),
            }
        }
    }
    hints(frame, a.hints, app);
    if app.help.is_some() {
        help(frame, app);
    }
    super::input::render(frame, app);
}

fn too_small(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let (w, h) = app.size;
    let lines = vec![
        Line::from(Span::styled("terminal too small", app.theme.finding)),
        Line::from(format!("{w}x{h}; needs {MIN_WIDTH}x{MIN_HEIGHT}")),
        Line::from(Span::styled("q quits", app.theme.dim)),
    ];
    let y = area.y + area.height.saturating_sub(3) / 2;
    let r = Rect::new(area.x, y, area.width, area.height.min(3));
    frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center), r);
}

/// "1 failure", "3 failures".
fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{} {what}s", count(n))
    }
}

/// A bar of `width` cells filled to `ratio`.
fn bar(width: usize, ratio: f64) -> (String, String) {
    let filled = ((width as f64) * ratio.clamp(0.0, 1.0)).round() as usize;
    ("━".repeat(filled), "─".repeat(width.saturating_sub(filled)))
}

fn header(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    frame.render_widget(Block::default().style(t.bar), area);
    // The widest form that fits: at 80 columns the loading line drops its
    // words and the folder is cut from the left (its end names it best).
    let width = area.width as usize;
    let spans = [false, true]
        .into_iter()
        .map(|compact| header_spans(app, compact, width))
        .find(|s| s.iter().map(|s| s.width()).sum::<usize>() <= width)
        .unwrap_or_else(|| header_spans(app, true, width));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn header_spans(app: &App, compact: bool, width: usize) -> Vec<Span<'static>> {
    let t = &app.theme;
    let p = &app.progress;
    let mut spans = vec![Span::styled(" hkfilings ", t.bar.patch(t.key))];
    if p.loading {
        let total = if p.walk_done {
            count(p.walked)
        } else {
            format!("{}+", count(p.walked))
        };
        let ratio = if p.walked > 0 {
            p.parsed as f64 / p.walked as f64
        } else {
            0.0
        };
        let (done, rest) = bar(if compact { 8 } else { 16 }, ratio);
        spans.push(Span::styled("loading ", t.bar));
        spans.push(Span::styled(done, t.gauge));
        spans.push(Span::styled(rest, t.bar.patch(t.dim)));
        let rate = count(p.rate().round() as usize);
        let counts = if compact {
            format!(" {}/{total} · {rate}/s · ", count(p.parsed))
        } else {
            format!(" {} / {total} files · {rate} files/s · ", count(p.parsed))
        };
        spans.push(Span::styled(counts, t.bar));
        let fail_style = if p.failures > 0 {
            t.bar.patch(t.finding)
        } else {
            t.bar
        };
        let failures = if compact {
            format!("{} failed", count(p.failures))
        } else {
            plural(p.failures, "failure")
        };
        spans.push(Span::styled(failures, fail_style));
        spans.push(Span::styled(
            format!(" · {} issuers", count(app.index.issuer_count())),
            t.bar,
        ));
        return spans;
    }
    let files = app.index.filings().len() + app.index.errors().len();
    let counts = format!(
        " · {} issuers · {} files",
        count(app.index.issuer_count()),
        count(files)
    );
    let mut tail = Vec::new();
    if p.failures > 0 {
        tail.push(Span::styled(
            format!(" · {}", plural(p.failures, "failure")),
            t.bar.patch(t.finding),
        ));
    }
    if p.cancelled {
        tail.push(Span::styled(" · load cancelled", t.bar.patch(t.warning)));
    } else if p.finished {
        tail.push(Span::styled(
            format!(" · loaded in {:.1}s", p.elapsed.as_secs_f64()),
            t.bar.patch(t.dim),
        ));
    }
    let fixed = 11 + counts.width() + tail.iter().map(|s| s.width()).sum::<usize>();
    let root = if compact {
        truncate_left(&app.root, width.saturating_sub(fixed).max(8))
    } else {
        app.root.clone()
    };
    spans.push(Span::styled(format!("{root}{counts}"), t.bar));
    spans.extend(tail);
    spans
}

fn tabs(frame: &mut Frame, a: &Areas, app: &App) {
    let t = &app.theme;
    let labels = tab_labels(a.tabs.width);
    let active = if app.source.is_some() || app.focus != Pane::Issuers {
        app.detail_pane()
    } else {
        Pane::Issuers
    };
    for ((pane, r), label) in a.tab_rects.iter().zip(labels) {
        let style = if *pane == active {
            t.tab_active
        } else if *pane == app.detail_pane() && a.issuers.is_some() && a.detail.is_some() {
            t.tab.patch(t.key)
        } else {
            t.tab
        };
        frame.render_widget(Paragraph::new(Span::styled(label, style)), *r);
    }
    if let Some(v) = &app.source {
        let used: u16 = a.tab_rects.iter().map(|(_, r)| r.width).sum();
        let rest = Rect {
            x: a.tabs.x + used,
            width: a.tabs.width.saturating_sub(used),
            ..a.tabs
        };
        if rest.width >= 24 {
            let s = truncate(&format!("  ▸ source: {}", v.what), rest.width as usize);
            frame.render_widget(Paragraph::new(Span::styled(s, t.dim)), rest);
        }
    }
}

fn hints(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let ctx = app.context();
    let mut spans: Vec<Span> = Vec::new();
    let mut used = 0usize;
    // A new message goes first, over the hints, for a few seconds: at 80
    // columns the hints fill the bar and it would have no room. Then the
    // hints come back with the message beside them where it fits.
    let fresh = app.status.as_ref().filter(|_| app.status_left().is_some());
    if let Some(s) = fresh {
        let s = truncate(s, (area.width as usize).saturating_sub(1));
        used = s.width() + 2;
        spans.push(Span::styled(format!(" {s} "), t.warning));
    }
    let mut push = |spans: &mut Vec<Span>, keys: String, label: &str, key_style: Style| {
        let w = keys.width() + label.width() + 3;
        if used + w > area.width as usize {
            return;
        }
        used += w;
        spans.push(Span::styled(format!(" {keys}"), key_style));
        spans.push(Span::styled(format!(" {label} "), t.hint));
    };
    if app.progress.loading {
        use super::keymap::Action;
        // On a pane Esc cancels (the shorter hint); in a view it closes the view.
        let plain = app.source.is_none() && app.view.is_none() && app.help.is_none();
        let esc = plain
            .then(|| app.keymap.keys_for(ctx, Action::Back).first().copied())
            .flatten();
        let key = esc.or_else(|| {
            app.keymap
                .keys_for(ctx, Action::CancelLoad)
                .first()
                .copied()
        });
        if let Some(k) = key {
            push(&mut spans, k.label(), "cancel load", t.key.patch(t.warning));
        }
    }
    for (keys, label) in app.keymap.hints(ctx) {
        push(&mut spans, keys, label, t.key);
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    if let Some(s) = app.status.as_ref().filter(|_| fresh.is_none()) {
        let room = (area.width as usize).saturating_sub(used + 2);
        if room >= 12 {
            let s = truncate(s, room);
            let w = s.width() as u16;
            let r = Rect::new(area.right().saturating_sub(w + 1), area.y, w + 1, 1);
            frame.render_widget(Paragraph::new(Span::styled(s, t.warning)), r);
        }
    }
}

fn help(frame: &mut Frame, app: &App) {
    let t = &app.theme;
    let r = help_rect(app);
    frame.render_widget(Clear, r);
    let b = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(t.border_focus)
        .title(Span::styled(" Keys (? or Esc closes) ", t.title_focus));
    let inner = b.inner(r);
    frame.render_widget(b, r);
    let mut lines = vec![
        Line::from(Span::styled("Marks", t.section)),
        Line::from(vec![
            Span::styled("  ~ ", t.recovered),
            Span::raw("recovered by the form's arithmetic, not read   "),
        ]),
        Line::from(vec![
            Span::styled("  ! ", t.finding),
            Span::raw("the value has a finding (6: findings, ! in a pane)"),
        ]),
        Line::from(vec![
            Span::styled("  S ", t.warning),
            Span::raw("superseded  "),
            Span::styled("D ", t.dim),
            Span::raw("duplicate  "),
            Span::styled("A ", t.info),
            Span::raw("amendment (5: filings)"),
        ]),
        Line::from(vec![
            Span::styled("  mouse ", t.key),
            Span::raw("the wheel scrolls; a click picks a row or a tab"),
        ]),
        Line::from(""),
    ];
    for (ctx, keys, doc) in help_lines(&app.keymap) {
        match ctx {
            Some(c) => lines.push(Line::from(Span::styled(c.title(), t.section))),
            None => lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<16}"), t.key),
                Span::raw(doc),
            ])),
        }
    }
    let off = app.help.unwrap_or(0);
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(off)
        .take(inner.height as usize)
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
