//! Every lock-up undertaking in the corpus: party, entity, issuer, shares,
//! start, end and days to expiry against today. Running ones first, soonest
//! expiry first; then expired ones, most recently expired first; then those
//! with no end date.

use super::{block, empty, Src};
use crate::filings::index::FilingId;
use crate::filings::model::{LockUp, LockUpKind};
use crate::tui::app::{App, Pane};
use crate::tui::text::{count, group, sanitize};
use chrono::NaiveDate;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row, Table, TableState};
use ratatui::Frame;

/// Days from `today` to the end date: negative once expired.
pub fn days_left(end: Option<&str>, today: NaiveDate) -> Option<i64> {
    let end = NaiveDate::parse_from_str(end?, "%Y-%m-%d").ok()?;
    Some((end - today).num_days())
}

/// The undertakings to list, as (filing, position in its `lockups`), sorted.
pub fn build(app: &App, only_issuer: Option<&str>) -> Vec<(FilingId, usize)> {
    let mut rows: Vec<(FilingId, usize, Option<i64>)> = Vec::new();
    for (id, l) in app.index.lockups() {
        let f = app.index.filing(id);
        if only_issuer.is_some_and(|c| app.index.issuer_code(id) != Some(c)) {
            continue;
        }
        let Some(pos) = f.lockups.iter().position(|x| std::ptr::eq(x, l)) else {
            continue;
        };
        rows.push((id, pos, days_left(l.end.as_deref(), app.today)));
    }
    // Ties (one end date) in an order of their own, not the order the
    // parallel loader happened to deliver the filings in: by issuer, the
    // announcement's date and file, then as the announcement lists them.
    let key = |&(id, pos, d): &(FilingId, usize, Option<i64>)| {
        let group = match d {
            Some(d) if d >= 0 => (0, d),
            Some(d) => (1, -d),
            None => (2, 0),
        };
        let f = app.index.filing(id);
        (
            group,
            app.index.issuer_code(id).unwrap_or(""),
            f.date.as_deref().unwrap_or(""),
            f.file.as_str(),
            pos,
        )
    };
    rows.sort_by(|a, b| key(a).cmp(&key(b)));
    rows.into_iter().map(|(id, pos, _)| (id, pos)).collect()
}

pub fn selected_src(app: &App) -> Option<Src> {
    let &(id, pos) = app.caches.lockups.get(app.lockups.sel)?;
    let l = app.index.filing(id).lockups.get(pos)?;
    let line = ["party", "end", "start"]
        .iter()
        .find_map(|k| l.lines.get(*k))
        .or_else(|| l.lines.values().next())
        .copied();
    Some(Src::Filing(id, line))
}

/// The party as the list shows it: an extension or expiry says so.
fn party_label(l: &LockUp) -> String {
    let mut party = sanitize(&l.party);
    if l.kind != LockUpKind::Undertaking {
        party.push_str(if l.kind == LockUpKind::Extension {
            " (extension)"
        } else {
            " (expiry)"
        });
    }
    party
}

/// The entity as the list shows it. Where the Shares column is left out (a
/// narrow pane), a party the announcement lists once per class of shares
/// (an allotment table's H and domestic shares) has the class named here,
/// or its rows would look alike.
pub fn entity_label(lockups: &[LockUp], pos: usize, wide: bool) -> String {
    let Some(l) = lockups.get(pos) else {
        return String::new();
    };
    let entity = l.entity.as_deref().map(sanitize);
    let twin = |x: &LockUp| {
        x.party == l.party && x.entity == l.entity && x.kind == l.kind && x.shares != l.shares
    };
    match l.shares.as_deref() {
        Some(class) if !wide && lockups.iter().any(twin) => match entity {
            Some(e) => format!("{e} · {}", sanitize(class)),
            None => sanitize(class),
        },
        _ => entity.unwrap_or_else(|| "—".to_string()),
    }
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
    let focused = app.focus == Pane::Lockups && app.source.is_none();
    let scope = if app.lockups_mine {
        match app.issuer_code() {
            Some(c) => format!("of {c}"),
            None => "of no issuer".to_string(),
        }
    } else {
        "all issuers".to_string()
    };
    let title = format!(
        "{} Lock-ups ({}) · {scope} · today {}",
        Pane::Lockups.number(),
        count(app.caches.lockups.len()),
        app.today
    );
    let b = block(app, title, focused);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    if app.caches.lockups.is_empty() {
        let msg = if app.lockups_mine {
            format!(
                "no lock-up undertakings for this issuer ({}: all issuers)",
                super::bound_key(
                    app,
                    crate::tui::keymap::Context::Lockups,
                    crate::tui::keymap::Action::ToggleIssuerFilter
                )
            )
        } else {
            "no lock-up undertakings found in the announcements".to_string()
        };
        return empty(frame, inner, app, &msg);
    }
    let wide = inner.width >= 110;
    let right = |s: String| Cell::from(Line::from(s).alignment(Alignment::Right));
    let mut header = vec![
        Cell::from("Party"),
        Cell::from("Entity"),
        Cell::from("Issuer"),
    ];
    let mut widths = vec![
        Constraint::Fill(3),
        Constraint::Fill(3),
        Constraint::Fill(2),
    ];
    if wide {
        header.push(Cell::from("Shares"));
        widths.push(Constraint::Fill(3));
        header.push(Cell::from("Start"));
        widths.push(Constraint::Length(10));
    }
    header.extend([Cell::from("End"), right("Expiry".to_string())]);
    widths.extend([Constraint::Length(10), Constraint::Length(10)]);
    let height = list_area(inner).height as usize;
    let off = app.lockups.offset;
    let rows = app
        .caches
        .lockups
        .iter()
        .skip(off)
        .take(height)
        .filter_map(|&(id, pos)| {
            let f = app.index.filing(id);
            let l = f.lockups.get(pos)?;
            let party = party_label(l);
            let issuer = match (app.index.issuer_code(id), &f.issuer) {
                (Some(c), Some(n)) => format!("{c} {}", sanitize(n)),
                (Some(c), None) => c.to_string(),
                (None, Some(n)) => sanitize(n),
                (None, None) => "—".to_string(),
            };
            let mut cells = vec![
                Cell::from(party),
                Cell::from(entity_label(&f.lockups, pos, wide)),
                Cell::from(issuer),
            ];
            if wide {
                // The count with its class's words: a row of an allotment
                // table is one class of a party's shares ("H Shares").
                let shares = match (l.share_count, &l.shares) {
                    (Some(n), Some(s)) => format!("{} {}", group(n), sanitize(s)),
                    (Some(n), None) => group(n),
                    (None, Some(s)) => sanitize(s),
                    (None, None) => "—".to_string(),
                };
                cells.push(Cell::from(shares));
                cells.push(Cell::from(
                    l.start.clone().unwrap_or_else(|| "—".to_string()),
                ));
            }
            cells.push(Cell::from(l.end.clone().unwrap_or_else(|| "—".to_string())));
            let expiry = match days_left(l.end.as_deref(), app.today) {
                Some(d) if d < 0 => Line::from("expired").style(t.dim),
                Some(0) => Line::from("today").style(t.finding),
                Some(d) if d <= 30 => Line::from(format!("{d} days")).style(t.warning),
                Some(d) => Line::from(format!("{} days", count(d as usize))).style(t.good),
                None => Line::from("—").style(t.dim),
            };
            cells.push(Cell::from(expiry.alignment(Alignment::Right)));
            Some(Row::new(cells))
        });
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(t.header))
        .column_spacing(1)
        .row_highlight_style(if focused { t.selected } else { t.selected_dim });
    let mut state = TableState::default().with_selected(Some(app.lockups.sel.saturating_sub(off)));
    frame.render_stateful_widget(table, inner, &mut state);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(party: &str, shares: Option<&str>) -> LockUp {
        LockUp {
            party: party.to_string(),
            entity: Some("Holdco Limited".to_string()),
            shares: shares.map(str::to_string),
            share_count: Some(1_000_000),
            start: None,
            end: None,
            months: Some(12),
            kind: LockUpKind::Undertaking,
            lines: Default::default(),
        }
    }

    #[test]
    fn a_party_locked_up_in_two_classes_names_the_class_where_the_shares_column_is_left_out() {
        let mut ls = vec![
            held("Mr. Wong", Some("Domestic Shares")),
            held("Mr. Wong", Some("H Shares")),
            held("Ms. Lee", Some("H Shares")),
        ];
        assert_eq!(
            entity_label(&ls, 0, false),
            "Holdco Limited · Domestic Shares"
        );
        assert_eq!(entity_label(&ls, 1, false), "Holdco Limited · H Shares");
        // One row of hers: nothing to tell apart.
        assert_eq!(entity_label(&ls, 2, false), "Holdco Limited");
        // The wide layout has the Shares column.
        assert_eq!(entity_label(&ls, 1, true), "Holdco Limited");
        // A holder with no entity: the class stands alone.
        for l in &mut ls {
            l.entity = None;
        }
        assert_eq!(entity_label(&ls, 1, false), "H Shares");
        assert_eq!(entity_label(&ls, 2, false), "—");
        let ext = LockUp {
            kind: LockUpKind::Extension,
            ..held("Mr. Wong\x1b[2J", None)
        };
        assert_eq!(party_label(&ext), "Mr. Wong (extension)");
    }

    #[test]
    fn days_left_counts_to_the_end_date_and_goes_negative_after() {
        let today = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        assert_eq!(days_left(Some("2024-12-29"), today), Some(363));
        assert_eq!(days_left(Some("2023-12-31"), today), Some(-1));
        assert_eq!(days_left(Some("someday"), today), None);
        assert_eq!(days_left(None, today), None);
    }
}
