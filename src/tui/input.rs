//! Text entry over the screen: the search box, one-line prompts (export
//! path, `:` command, a dismissal's reason) and the note editor. While one is
//! open it takes every key but force-quit (helix's compositor: the top layer
//! asks first).

use super::app::{App, Scroll};
use super::search::SearchBox;
use super::store::FindingKey;
use super::text::{sanitize, truncate};
use crate::filings::search::{Hit, Target};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
use ratatui::Frame;
use tui_textarea::TextArea;
use unicode_width::UnicodeWidthStr;

pub enum Input {
    /// Boxed: it carries the saved place, much bigger than the others.
    Search(Box<SearchBox>),
    Prompt(Prompt),
    Note(NoteEditor),
    /// The comparison's month list (`f`/`t` in the comparison).
    Pick(MonthPick),
}

/// Which end of the comparison a month list sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickEnd {
    From,
    To,
}

/// A list of the issuer's months with a return, to set one end of the comparison.
#[derive(Debug, Clone)]
pub struct MonthPick {
    pub code: String,
    pub end: PickEnd,
    /// Every month with a return, oldest first, except the other end's.
    pub months: Vec<String>,
    /// The other end's month, kept as it is.
    pub other: String,
    /// The month this end has now (marked in the list).
    pub current: String,
    pub sel: Scroll,
}

/// The month list's rectangle: a narrow column centred on the screen.
pub fn pick_rect(area: Rect, len: usize) -> Rect {
    let w = area.width.saturating_sub(4).min(40);
    let h = (len as u16)
        .saturating_add(2)
        .min(area.height.saturating_sub(4))
        .max(3.min(area.height));
    Rect::new(
        area.x + (area.width.saturating_sub(w)) / 2,
        area.y + (area.height.saturating_sub(h)) / 2,
        w,
        h,
    )
}

/// Month rows the list shows.
pub fn pick_rows(area: Rect, len: usize) -> usize {
    pick_rect(area, len).height.saturating_sub(2) as usize
}

/// What a one-line prompt is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    /// Write the shown table to the typed path.
    Export,
    /// The typed path exists: Enter on it unchanged replaces the file.
    ExportOverwrite(String),
    Command,
    Dismiss(FindingKey),
}

pub struct Prompt {
    pub kind: PromptKind,
    pub title: String,
    pub input: TextArea<'static>,
}

impl Prompt {
    pub fn new(kind: PromptKind, title: &str, text: &str) -> Prompt {
        let mut input = TextArea::new(vec![text.to_string()]);
        input.set_cursor_line_style(Style::new());
        input.move_cursor(tui_textarea::CursorMove::End);
        Prompt {
            kind,
            title: title.to_string(),
            input,
        }
    }

    pub fn text(&self) -> String {
        self.input.lines().join(" ")
    }
}

pub struct NoteEditor {
    pub code: String,
    pub input: TextArea<'static>,
    pub original: String,
    /// Esc with unsaved changes: asking whether to save.
    pub confirm: bool,
}

impl NoteEditor {
    pub fn new(code: &str, text: &str) -> NoteEditor {
        let lines: Vec<String> = if text.is_empty() {
            vec![String::new()]
        } else {
            text.lines().map(str::to_string).collect()
        };
        let mut input = TextArea::new(lines);
        input.set_cursor_line_style(Style::new());
        input.move_cursor(tui_textarea::CursorMove::Bottom);
        input.move_cursor(tui_textarea::CursorMove::End);
        NoteEditor {
            code: code.to_string(),
            input,
            original: text.to_string(),
            confirm: false,
        }
    }

    pub fn text(&self) -> String {
        self.input.lines().join("\n").trim_end().to_string()
    }
}

/// Where a hit leads, for its row.
pub fn target_label(t: &Target) -> &'static str {
    match t {
        Target::Issuer { .. } => "→ issuer",
        Target::Scheme { .. } => "→ schemes",
        Target::LockUp { .. } => "→ lock-ups",
        Target::Announcement { .. } | Target::Filing { .. } => "→ filings",
    }
}

fn kind_label(h: &Hit) -> &'static str {
    use crate::filings::search::ResultKind::*;
    match h.kind {
        Issuer => "issuer",
        FormerName => "former",
        Code => "code",
        Scheme => "scheme",
        Person => "person",
        Entity => "entity",
        Announcement => "title",
    }
}

fn popup(frame: &mut Frame, app: &App, r: Rect, title: &str) -> Rect {
    let t = &app.theme;
    frame.render_widget(Clear, r);
    let b = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(t.border_focus)
        .title(Span::styled(format!(" {title} "), t.title_focus));
    let inner = b.inner(r);
    frame.render_widget(b, r);
    inner
}

/// The search box's rectangle: near the top, most of the width.
pub fn search_rect(area: Rect) -> Rect {
    let w = area.width.saturating_sub(4).min(110);
    let h = area.height.saturating_sub(4).min(24);
    Rect::new(area.x + (area.width - w) / 2, area.y + 2, w, h)
}

/// Result rows the search box shows.
pub fn search_rows(area: Rect) -> usize {
    search_rect(area).height.saturating_sub(4) as usize
}

pub fn render(frame: &mut Frame, app: &App) {
    let Some(input) = &app.input else {
        return;
    };
    let area = app.area();
    match input {
        Input::Search(b) => render_search(frame, app, b),
        Input::Prompt(p) => {
            let w = area.width.saturating_sub(4).min(90);
            let r = Rect::new(
                area.x + (area.width - w) / 2,
                area.bottom().saturating_sub(5),
                w,
                3.min(area.height),
            );
            let inner = popup(
                frame,
                app,
                r,
                &format!("{} · Enter ok · Esc cancel", p.title),
            );
            frame.render_widget(&p.input, inner);
        }
        Input::Pick(p) => render_pick(frame, app, p),
        Input::Note(n) => {
            let w = area.width.saturating_sub(8).min(90);
            let h = area.height.saturating_sub(6).min(20);
            let r = Rect::new(area.x + (area.width - w) / 2, area.y + 3, w, h);
            let name = app
                .index
                .issuer(&n.code)
                .map(|i| sanitize(&i.name))
                .unwrap_or_default();
            let title = if n.confirm {
                "save the note? y: save · n: discard · Esc: keep editing".to_string()
            } else {
                format!("Note on {} {name} · C-s save · Esc close", n.code)
            };
            let inner = popup(
                frame,
                app,
                r,
                &truncate(&title, w.saturating_sub(4) as usize),
            );
            frame.render_widget(&n.input, inner);
        }
    }
}

fn render_pick(frame: &mut Frame, app: &App, p: &MonthPick) {
    let t = &app.theme;
    let r = pick_rect(app.area(), p.months.len());
    let (end, side) = match p.end {
        PickEnd::From => ("from", "to"),
        PickEnd::To => ("to", "from"),
    };
    let title = truncate(
        &format!("{} {end} month · Enter · Esc", p.code),
        r.width.saturating_sub(4) as usize,
    );
    let inner = popup(frame, app, r, &title);
    let width = inner.width as usize;
    let mut lines = Vec::new();
    for (i, m) in p
        .months
        .iter()
        .enumerate()
        .skip(p.sel.offset)
        .take(inner.height as usize)
    {
        // Months on the far side of the other end swap the pair; say so.
        let swaps = match p.end {
            PickEnd::From => *m > p.other,
            PickEnd::To => *m < p.other,
        };
        let note = if *m == p.current {
            format!("now {end}")
        } else if swaps {
            format!("swaps with {side} {}", p.other)
        } else {
            String::new()
        };
        let text = truncate(&format!(" {m}  {note}"), width);
        let pad = " ".repeat(width.saturating_sub(text.width()));
        let style = if i == p.sel.sel {
            t.selected
        } else if *m == p.current {
            t.key
        } else {
            Style::new()
        };
        lines.push(Line::from(Span::styled(format!("{text}{pad}"), style)));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_search(frame: &mut Frame, app: &App, b: &SearchBox) {
    let t = &app.theme;
    let r = search_rect(app.area());
    let inner = popup(
        frame,
        app,
        r,
        "Search · Enter go to · ↑/↓ choose · Esc back",
    );
    if inner.height < 2 {
        return;
    }
    let width = inner.width as usize;
    frame.render_widget(
        Paragraph::new(Span::styled("/", t.key)),
        Rect {
            width: 2,
            height: 1,
            ..inner
        },
    );
    frame.render_widget(
        &b.input,
        Rect {
            x: inner.x + 2,
            width: inner.width.saturating_sub(2),
            height: 1,
            ..inner
        },
    );
    let query = b.query();
    let status = if query.trim().is_empty() {
        format!(
            "{} keys: issuers, codes, schemes, people, titles",
            app.search.index.as_ref().map(|i| i.keys_len()).unwrap_or(0)
        )
    } else if b.answered != query || app.search.running {
        format!("searching… ({} results so far)", b.hits.len())
    } else if b.hits.is_empty() {
        "no match".to_string()
    } else if b.hits.len() >= super::search::LIMIT {
        format!("best {} results", b.hits.len())
    } else {
        format!("{} results", b.hits.len())
    };
    frame.render_widget(
        Paragraph::new(Span::styled(truncate(&status, width), t.dim)),
        Rect {
            y: inner.y + 1,
            height: 1,
            ..inner
        },
    );
    let list = Rect {
        y: inner.y + 2,
        height: inner.height.saturating_sub(2),
        ..inner
    };
    let mut lines = Vec::new();
    for (i, h) in b
        .hits
        .iter()
        .enumerate()
        .skip(b.sel.offset)
        .take(list.height as usize)
    {
        let mut spans = vec![Span::styled(format!("{:<7}", kind_label(h)), t.dim)];
        let mut used = 7;
        let label = sanitize(&h.label);
        let room = width.saturating_sub(used + 12).max(10);
        let label = truncate(&label, room.min(48));
        for (ci, ch) in label.chars().enumerate() {
            let style = if h.indices.contains(&ci) {
                t.key
            } else {
                Style::new()
            };
            spans.push(Span::styled(ch.to_string(), style));
        }
        used += label.width();
        let mut rest = String::new();
        if !h.detail.is_empty() {
            rest.push_str(&format!("  {}", sanitize(&h.detail)));
        }
        if let Some(c) = &h.issuer {
            if !h.detail.contains(c.as_str()) && h.label != *c {
                rest.push_str(&format!(" · {c}"));
            }
        }
        rest.push_str(&format!("  {}", target_label(&h.target)));
        spans.push(Span::styled(
            truncate(&rest, width.saturating_sub(used)),
            t.dim,
        ));
        used += rest.width().min(width.saturating_sub(used));
        spans.push(Span::raw(" ".repeat(width.saturating_sub(used))));
        let mut line = Line::from(spans);
        if i == b.sel.sel {
            line = line.style(t.selected);
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), list);
}
