//! Findings: of one filing, of the selected issuer, or of the whole corpus
//! (parse findings, cross-filing findings, and unusable files with their
//! reasons). Errors first, then warnings, then info when shown. Enter opens
//! the filing at the finding's line.

use super::{block, empty, Src};
use crate::filings::index::FilingId;
use crate::filings::model::Level;
use crate::tui::app::{App, FindingScope, Pane};
use crate::tui::keymap::{Action, Context};
use crate::tui::text::{count, sanitize};
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row, Table, TableState};
use ratatui::Frame;

/// A row of the list, small enough to hold hundreds of thousands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FRef {
    /// A filing and the position of the finding in its `findings`.
    Finding(FilingId, u32),
    /// An unusable file: position in `Index::errors()`.
    Error(u32),
}

impl FRef {
    pub fn src(self) -> Src {
        match self {
            FRef::Finding(id, _) => Src::Filing(id, None),
            FRef::Error(i) => Src::Error(i as usize),
        }
    }
}

/// Where Enter goes: the finding's line.
pub fn src_of(app: &App, r: FRef) -> Src {
    match r {
        FRef::Finding(id, i) => {
            let line = app
                .index
                .filing(id)
                .findings
                .get(i as usize)
                .and_then(|x| x.line);
            Src::Filing(id, line)
        }
        FRef::Error(i) => Src::Error(i as usize),
    }
}

fn level_rank(l: Level) -> u8 {
    match l {
        Level::Error => 0,
        Level::Warning => 1,
        Level::Info => 2,
    }
}

pub fn build(app: &App) -> Vec<FRef> {
    let mut out: Vec<(u8, FRef)> = Vec::new();
    let mut add = |id: FilingId| {
        let f = app.index.filing(id);
        for (i, x) in f.findings.iter().enumerate() {
            if !app.shows_level(x.level) {
                continue;
            }
            // Dismissed findings go last, and show only with the info ones.
            if app.dismissal(id, i as u32).is_some() {
                if app.findings_info {
                    out.push((3, FRef::Finding(id, i as u32)));
                }
                continue;
            }
            out.push((level_rank(x.level), FRef::Finding(id, i as u32)));
        }
    };
    match app.findings_scope {
        FindingScope::Filing(id) => add(id),
        FindingScope::Issuer => {
            for &id in app.issuer_filings() {
                if !app.index.is_duplicate(id) {
                    add(id);
                }
            }
        }
        FindingScope::Corpus => {
            let filings = app.index.filings();
            for id in 0..filings.len() {
                // Filings without findings are not read.
                if filings.findings_len(id) == 0 {
                    continue;
                }
                let id = id as FilingId;
                if !app.index.is_duplicate(id) {
                    add(id);
                }
            }
            for (i, e) in app.index.errors().iter().enumerate() {
                if e.error_kind.is_failure() {
                    out.push((0, FRef::Error(i as u32)));
                } else if app.findings_info {
                    out.push((2, FRef::Error(i as u32)));
                }
            }
        }
    }
    out.sort_by_key(|&(rank, _)| rank);
    out.into_iter().map(|(_, r)| r).collect()
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
    let focused = app.focus == Pane::Findings && app.source.is_none();
    let scope = match app.findings_scope {
        FindingScope::Corpus => "whole corpus".to_string(),
        FindingScope::Issuer => match app.issuer_code() {
            Some(c) => format!("issuer {c}"),
            None => "no issuer".to_string(),
        },
        FindingScope::Filing(id) => super::filing_label(app.index.filing(id)),
    };
    let info = if app.findings_info {
        "with info"
    } else {
        "warnings and errors"
    };
    let title = format!(
        "{} Findings ({}) · {scope} · {info}",
        Pane::Findings.number(),
        count(app.caches.findings.len())
    );
    let b = block(app, title, focused);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    if app.caches.findings.is_empty() {
        // The keys as bound (a user's keymap may move them).
        let key = |a: Action| super::bound_key(app, Context::Findings, a);
        let hint = format!(
            "no findings here ({}: issuer / whole corpus, {}: info)",
            key(Action::ToggleScope),
            key(Action::ToggleInfo)
        );
        return empty(frame, inner, app, &hint);
    }
    let wide = inner.width >= 100;
    let mut header = vec!["Level", "Code", "Where"];
    let mut widths = vec![
        Constraint::Length(7),
        Constraint::Length(18),
        Constraint::Length(if wide { 34 } else { 16 }),
    ];
    header.push("Message");
    widths.push(Constraint::Fill(1));
    let height = list_area(inner).height as usize;
    let off = app.findings.offset;
    let rows = app
        .caches
        .findings
        .iter()
        .skip(off)
        .take(height)
        .filter_map(|&r| {
            let (level, code, place, msg) = match r {
                FRef::Finding(id, i) => {
                    let f = app.index.filing(id);
                    let x = f.findings.get(i as usize)?;
                    let file = super::file_name(&f.file);
                    let place = match x.line {
                        Some(l) => format!("{file}:{l}"),
                        None => file,
                    };
                    let mut msg = sanitize(&x.message);
                    if let Some(o) = &x.other_file {
                        msg.push_str(&format!(" (and {})", super::file_name(o)));
                    }
                    if let Some(d) = app.dismissal(id, i) {
                        msg = format!("dismissed: {} · {msg}", sanitize(&d.reason));
                        return Some(
                            Row::new(vec![
                                Cell::from(Line::from("dism.").style(t.dim)),
                                Cell::from(sanitize(&x.code)),
                                Cell::from(place),
                                Cell::from(msg),
                            ])
                            .style(t.dim),
                        );
                    }
                    (x.level, x.code.clone(), place, msg)
                }
                FRef::Error(i) => {
                    let e = app.index.errors().get(i as usize)?;
                    let level = if e.error_kind.is_failure() {
                        Level::Error
                    } else {
                        Level::Info
                    };
                    (
                        level,
                        e.error_kind.as_str().to_string(),
                        super::file_name(&e.file),
                        sanitize(&e.error),
                    )
                }
            };
            let ls = match level {
                Level::Error => t.finding,
                Level::Warning => t.warning,
                Level::Info => t.info,
            };
            Some(Row::new(vec![
                Cell::from(Line::from(level.as_str()).style(ls)),
                Cell::from(sanitize(&code)),
                Cell::from(place),
                Cell::from(msg),
            ]))
        });
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(t.header))
        .column_spacing(1)
        .row_highlight_style(if focused { t.selected } else { t.selected_dim });
    let mut state = TableState::default().with_selected(Some(app.findings.sel.saturating_sub(off)));
    frame.render_stateful_widget(table, inner, &mut state);
}
