//! A filing's text, re-read from disk when opened, with the line a value came
//! from highlighted and scrolled into view.

use super::block;
use crate::tui::app::App;
use crate::tui::text::{sanitize, skip_width, truncate_left};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// The rows of text inside the view (below the one-line note).
pub fn text_area(inner: Rect) -> Rect {
    Rect {
        y: inner.y.saturating_add(1),
        height: inner.height.saturating_sub(1),
        ..inner
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let Some(v) = &app.source else {
        return;
    };
    let t = &app.theme;
    // A long path keeps its end: the file's own name.
    let room = (area.width as usize).saturating_sub(4 + "Source · ".width());
    let title = format!("Source · {}", truncate_left(&sanitize(&v.file), room));
    let pos = format!(
        " line {}/{} ",
        (v.scroll + 1).min(v.lines.len()),
        v.lines.len()
    );
    let b = block(app, title, true).title_bottom(Line::from(pos).right_aligned());
    let inner = b.inner(area);
    frame.render_widget(b, area);
    if inner.height == 0 {
        return;
    }
    let note = match (&v.error, v.target) {
        (Some(e), _) => Line::from(Span::styled(e.clone(), t.finding)),
        (None, Some(l)) => Line::from(vec![
            Span::styled(format!("{} ", v.what), t.dim),
            Span::styled(format!("line {}", l + 1), t.highlight_line),
        ]),
        (None, None) => Line::from(Span::styled(v.what.clone(), t.dim)),
    };
    frame.render_widget(Paragraph::new(note), Rect { height: 1, ..inner });
    let body = text_area(inner);
    let gutter = v.lines.len().max(1).to_string().len();
    let lines: Vec<Line> = v
        .lines
        .iter()
        .enumerate()
        .skip(v.scroll)
        .take(body.height as usize)
        .map(|(i, l)| {
            let shown = skip_width(l, v.hscroll);
            let num = Span::styled(format!("{:>gutter$} ", i + 1), t.dim);
            if Some(i) == v.target {
                let w = (body.width as usize).saturating_sub(gutter + 1);
                let padded = format!("{shown:<w$}");
                Line::from(vec![num, Span::styled(padded, t.highlight_line)])
            } else {
                Line::from(vec![num, Span::raw(shown)])
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), body);
}
