//! What the focused table shows, as an export table (its filter and sort as
//! on screen), and the text `y` copies.

use super::app::{App, Pane};
use super::panes::{self, diff::View, findings::FRef, GridRow, RowKind, Src};
use crate::filings::export::Table;
use serde_json::Value;

fn s(v: impl Into<String>) -> Value {
    Value::String(v.into())
}

fn os(v: Option<&str>) -> Value {
    v.map(s).unwrap_or(Value::Null)
}

/// (file, line) of a source.
pub fn src_place(app: &App, src: Src) -> Option<(String, Option<u32>)> {
    match src {
        Src::Filing(id, line) => Some((app.index.filings().file(id as usize)?.to_string(), line)),
        Src::Error(i) => Some((app.index.errors().get(i)?.file.clone(), None)),
    }
}

/// "file:line" (or the file).
pub fn src_text(app: &App, src: Src) -> Option<String> {
    let (file, line) = src_place(app, src)?;
    Some(match line {
        Some(l) => format!("{file}:{l}"),
        None => file,
    })
}

fn src_cols(app: &App, src: Option<Src>) -> [Value; 2] {
    match src.and_then(|x| src_place(app, x)) {
        Some((f, l)) => [s(f), l.map(Value::from).unwrap_or(Value::Null)],
        None => [Value::Null, Value::Null],
    }
}

/// A cell as its figure when it is one ("8,000,000,000" is the number
/// 8000000000, "-12,189,548" a negative one, "0.10" the decimal without
/// grouping), else its text ("USD 0.00000025", "!").
fn figure(text: &str) -> Value {
    let t = text.trim();
    let (sign, body) = match t.as_bytes().first() {
        Some(b'-') => ("-", &t[1..]),
        Some(b'+') => ("", &t[1..]),
        _ => ("", t),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let groups: Vec<&str> = int.split(',').collect();
    let grouped = groups.iter().all(|g| digits(g))
        && groups[1..].iter().all(|g| g.len() == 3)
        && (groups.len() == 1 || groups[0].len() <= 3);
    if !grouped || !frac.is_none_or(digits) {
        return Value::from(text);
    }
    let plain = groups.concat();
    match frac {
        None => format!("{sign}{plain}")
            .parse::<i64>()
            .map_or_else(|_| Value::from(text), Value::from),
        Some(f) => Value::from(format!("{sign}{plain}.{f}")),
    }
}

fn grid_table(app: &App, rows: &[GridRow], values: &[&'static str]) -> Table {
    let mut columns = vec!["section", "item"];
    columns.extend_from_slice(values);
    columns.extend(["note", "file", "line"]);
    let mut out = Vec::new();
    let mut section = String::new();
    for r in rows {
        if r.kind == RowKind::Section {
            section = r.label.clone();
        }
        let mut row = vec![
            s(section.clone()),
            s(if r.kind == RowKind::Value {
                r.label.clone()
            } else {
                String::new()
            }),
        ];
        for i in 0..values.len() {
            let text = r.cells.get(i).map(|c| c.text.as_str());
            row.push(text.filter(|t| !t.is_empty()).map_or(Value::Null, figure));
        }
        row.push(os(r
            .cells
            .get(values.len())
            .map(|c| c.text.as_str())
            .filter(|t| !t.is_empty())));
        let src = r.cells.iter().find_map(|c| c.src).or(r.src);
        row.extend(src_cols(app, src));
        out.push(row);
    }
    Table { columns, rows: out }
}

/// The table in view and its name (for the file name): a `:` screen or the
/// comparison when open, else the focused pane.
pub fn shown(app: &App) -> (&'static str, Table) {
    match &app.view {
        Some(View::Screen(v)) => return (v.table_name, v.table.clone()),
        Some(View::Diff(d)) => {
            // One row per figure compared, figures as numbers (the screen's
            // lines are for reading, not for a spreadsheet).
            let num = |v: &Option<String>| v.as_deref().map(figure).unwrap_or(Value::Null);
            let rows = d
                .rows
                .iter()
                .map(|r| {
                    vec![
                        s(r.section),
                        s(r.item.clone()),
                        s(r.status.clone()),
                        s(r.measure.clone()),
                        if r.section == "par_value" {
                            os(r.before.as_deref())
                        } else {
                            num(&r.before)
                        },
                        if r.section == "par_value" {
                            os(r.after.as_deref())
                        } else {
                            num(&r.after)
                        },
                        num(&r.change),
                        r.percent.map(Value::from).unwrap_or(Value::Null),
                        os(r.period.as_deref()),
                        s(r.file.clone()),
                    ]
                })
                .collect();
            return (
                "diff",
                Table {
                    columns: vec![
                        "section", "item", "status", "measure", "before", "after", "change",
                        "percent", "period", "file",
                    ],
                    rows,
                },
            );
        }
        None => {}
    }
    match app.focus {
        Pane::Issuers => {
            let rows = app
                .issuers
                .order
                .iter()
                .filter_map(|c| app.index.issuer(c))
                .map(|i| {
                    vec![
                        s(i.code.clone()),
                        s(i.name.clone()),
                        os(i.name_zh.as_deref()),
                        Value::from(i.filings.len()),
                        os(i.months.keys().next_back().map(String::as_str)),
                        Value::from(app.finding_count(i)),
                        Value::from(app.store.data.starred.contains(&i.code)),
                        os(app.store.data.notes.get(&i.code).map(String::as_str)),
                    ]
                })
                .collect();
            (
                "issuers",
                Table {
                    columns: vec![
                        "code",
                        "name",
                        "name_zh",
                        "filings",
                        "latest_month",
                        "findings",
                        "starred",
                        "note",
                    ],
                    rows,
                },
            )
        }
        Pane::Capital => (
            "share-capital",
            grid_table(
                app,
                &panes::capital::rows(app),
                &["opening", "change", "closing"],
            ),
        ),
        Pane::Schemes => (
            "schemes",
            grid_table(app, &panes::schemes::rows(app), &["value"]),
        ),
        Pane::Lockups => {
            let rows = app
                .caches
                .lockups
                .iter()
                .filter_map(|&(id, pos)| {
                    let f = app.index.filing(id);
                    let l = f.lockups.get(pos)?;
                    let days = panes::lockups::days_left(l.end.as_deref(), app.today);
                    let line = ["party", "end", "start"]
                        .iter()
                        .find_map(|k| l.lines.get(*k))
                        .copied();
                    Some(vec![
                        os(app.index.issuer_code(id)),
                        os(f.issuer.as_deref()),
                        s(l.party.clone()),
                        os(l.entity.as_deref()),
                        os(l.shares.as_deref()),
                        os(l.start.as_deref()),
                        os(l.end.as_deref()),
                        days.map(Value::from).unwrap_or(Value::Null),
                        s(f.file.clone()),
                        line.map(Value::from).unwrap_or(Value::Null),
                    ])
                })
                .collect();
            (
                "lockups",
                Table {
                    columns: vec![
                        "code",
                        "issuer",
                        "party",
                        "entity",
                        "shares",
                        "start",
                        "end",
                        "days_left",
                        "file",
                        "line",
                    ],
                    rows,
                },
            )
        }
        Pane::Filings => {
            let rows = app
                .issuer_filings()
                .iter()
                .map(|&id| {
                    let f = app.index.filing(id);
                    vec![
                        os(app.index.issuer_code(id)),
                        s(panes::filing_label(f)),
                        os(f.period.as_deref()),
                        os(f.date.as_deref()),
                        Value::from(app.index.is_duplicate(id)),
                        Value::from(app.index.is_superseded(id)),
                        Value::from(f.findings.len()),
                        s(f.file.clone()),
                    ]
                })
                .collect();
            (
                "filings",
                Table {
                    columns: vec![
                        "code",
                        "filing",
                        "period",
                        "date",
                        "duplicate",
                        "superseded",
                        "findings",
                        "file",
                    ],
                    rows,
                },
            )
        }
        Pane::Findings => {
            let rows = app
                .caches
                .findings
                .iter()
                .filter_map(|&r| match r {
                    FRef::Finding(id, i) => {
                        let f = app.index.filing(id);
                        let x = f.findings.get(i as usize)?;
                        let dismissed = app.dismissal(id, i).map(|d| d.reason.clone());
                        Some(vec![
                            os(app.index.issuer_code(id)),
                            s(x.level.as_str()),
                            s(x.code.clone()),
                            s(x.message.clone()),
                            s(f.file.clone()),
                            x.line.map(Value::from).unwrap_or(Value::Null),
                            os(dismissed.as_deref()),
                        ])
                    }
                    FRef::Error(i) => {
                        let e = app.index.errors().get(i as usize)?;
                        Some(vec![
                            Value::Null,
                            s(if e.error_kind.is_failure() {
                                "error"
                            } else {
                                "info"
                            }),
                            s(e.error_kind.as_str()),
                            s(e.error.clone()),
                            s(e.file.clone()),
                            Value::Null,
                            Value::Null,
                        ])
                    }
                })
                .collect();
            (
                "findings",
                Table {
                    columns: vec![
                        "code",
                        "level",
                        "finding",
                        "message",
                        "file",
                        "line",
                        "dismissed",
                    ],
                    rows,
                },
            )
        }
    }
}

fn cell_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(x) if x.is_empty() => None,
        Value::String(x) => Some(x.clone()),
        other => Some(other.to_string()),
    }
}

/// What `y` copies: the cell under the cursor with its row label (grids), or
/// the selected row; and the source as `file:line`.
pub fn copy_text(app: &App) -> Option<String> {
    let src = app.selected_src();
    let body = match (&app.view, app.focus) {
        (Some(View::Diff(d)), _) => {
            let l = d.lines.get(d.scroll.sel)?;
            format!("{} {}", l.mark, l.text).trim().to_string()
        }
        (None, Pane::Capital | Pane::Schemes) => {
            let (rows, grid) = if app.focus == Pane::Capital {
                (panes::capital::rows(app), app.capital)
            } else {
                (panes::schemes::rows(app), app.schemes)
            };
            let r = rows.get(grid.rows.sel)?;
            match r.cells.get(grid.col).filter(|c| !c.text.is_empty()) {
                Some(c) => format!("{}: {}", r.label.trim(), c.text),
                None => r.label.trim().to_string(),
            }
        }
        _ => {
            let (_, table) = shown(app);
            let sel = match &app.view {
                Some(v) => v.scroll().sel,
                None => app.scroll_of(app.focus).sel,
            };
            let row = table.rows.get(sel)?;
            table
                .columns
                .iter()
                .zip(row)
                .filter(|(c, _)| !matches!(**c, "file" | "line"))
                .filter_map(|(_, v)| cell_text(v))
                .collect::<Vec<_>>()
                .join(" · ")
        }
    };
    Some(match src.and_then(|x| src_text(app, x)) {
        Some(place) => format!("{body} ({place})"),
        None => body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shown_figure_is_exported_as_its_number() {
        assert_eq!(figure("8,000,000,000"), Value::from(8_000_000_000i64));
        assert_eq!(figure("-12,189,548"), Value::from(-12_189_548i64));
        assert_eq!(figure("+700,000"), Value::from(700_000));
        assert_eq!(figure("0"), Value::from(0));
        assert_eq!(figure("1,234.50"), Value::from("1234.50"));
        for text in [
            "USD 0.00000025",
            "!",
            "12,34",
            "1,2345",
            "1.",
            "—",
            "1,000,000 ~",
        ] {
            assert_eq!(figure(text), Value::from(text), "{text}");
        }
    }
}
