//! Tables of the index for export: one row per issuer, issuer-month-class,
//! scheme, warrant, convertible, movement, undertaking or finding, with stable
//! column names (documented in the README). CSV or JSON.

use super::index::Index;
use super::model::*;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// The tables `hkfilings export --table` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TableName {
    Issuers,
    ShareCapital,
    Options,
    Warrants,
    Convertibles,
    Movements,
    Lockups,
    Findings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

/// A table: column names and rows of JSON scalars (null, number, string, bool).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Value>>,
}

impl Table {
    fn new(columns: &[&'static str]) -> Table {
        Table {
            columns: columns.to_vec(),
            rows: Vec::new(),
        }
    }

    fn push(&mut self, row: Vec<Value>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    /// CSV with a header row; null is an empty cell.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(&self.columns);
        for r in &self.rows {
            let _ = w.write_record(r.iter().map(cell_text));
        }
        w.into_inner().unwrap_or_default()
    }

    /// A JSON array of objects keyed by column name.
    pub fn to_json(&self) -> Vec<u8> {
        let arr: Vec<Value> = self
            .rows
            .iter()
            .map(|r| {
                let mut m = Map::new();
                for (c, v) in self.columns.iter().zip(r) {
                    m.insert((*c).to_string(), v.clone());
                }
                Value::Object(m)
            })
            .collect();
        let mut out = serde_json::to_vec_pretty(&Value::Array(arr)).unwrap_or_default();
        out.push(b'\n');
        out
    }

    pub fn render(&self, format: Format) -> Vec<u8> {
        match format {
            Format::Csv => self.to_csv(),
            Format::Json => self.to_json(),
        }
    }
}

fn cell_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        // A list (an issuer's former names) is one cell: "A; B".
        Value::Array(items) => items.iter().map(cell_text).collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    }
}

fn s(v: Option<&str>) -> Value {
    v.map(|x| Value::String(x.to_string()))
        .unwrap_or(Value::Null)
}

fn n(v: Option<i64>) -> Value {
    v.map(Value::from).unwrap_or(Value::Null)
}

fn line(lines: &Lines, key: &str) -> Value {
    lines
        .get(key)
        .map(|l| Value::from(*l))
        .unwrap_or(Value::Null)
}

/// Build one table from the index, optionally for one issuer (stock code).
pub fn table(index: &Index, name: TableName, issuer: Option<&str>) -> Table {
    let wanted = |code: &str| issuer.is_none_or(|w| w == code);
    match name {
        TableName::Issuers => issuers(index, &wanted),
        TableName::ShareCapital => share_capital(index, &wanted),
        TableName::Options => options(index, &wanted),
        TableName::Warrants => warrants(index, &wanted),
        TableName::Convertibles => convertibles(index, &wanted),
        TableName::Movements => movements(index, &wanted),
        TableName::Lockups => lockups(index, &wanted),
        TableName::Findings => findings(index, &wanted),
    }
}

fn issuers(index: &Index, wanted: &dyn Fn(&str) -> bool) -> Table {
    let mut t = Table::new(&[
        "code",
        "name",
        "name_zh",
        "former_names",
        "filings",
        "first_month",
        "latest_month",
        "findings",
    ]);
    for i in index.issuers().filter(|i| wanted(&i.code)) {
        let former: Vec<&str> = i
            .names
            .iter()
            .map(|n| n.name.as_str())
            .filter(|n| *n != i.name)
            .collect();
        t.push(vec![
            Value::from(i.code.clone()),
            Value::from(i.name.clone()),
            s(i.name_zh.as_deref()),
            Value::from(former),
            Value::from(i.filings.len()),
            s(i.months.keys().next().map(|k| k.as_str())),
            s(i.months.keys().next_back().map(|k| k.as_str())),
            Value::from(i.finding_count),
        ]);
    }
    t
}

/// Every effective monthly return of the wanted issuers, in code and period
/// order (read one at a time, none kept decoded).
fn monthly<'a>(
    index: &'a Index,
    wanted: &'a dyn Fn(&str) -> bool,
) -> impl Iterator<Item = (&'a str, &'a str, Cow<'a, Filing>)> + 'a {
    index
        .issuers()
        .filter(move |i| wanted(&i.code))
        .flat_map(move |i| {
            i.months.iter().filter_map(move |(p, id)| {
                let f = index.filings().load(*id as usize)?;
                Some((i.code.as_str(), p.as_str(), f))
            })
        })
}

fn share_capital(index: &Index, wanted: &dyn Fn(&str) -> bool) -> Table {
    let mut t = Table::new(&[
        "code",
        "period",
        "file",
        "form",
        "class_key",
        "class",
        "listed",
        "authorised_opening",
        "authorised_change",
        "authorised_closing",
        "par_value",
        "currency",
        "authorised_capital",
        "issued_opening",
        "issued_change",
        "issued_closing",
        "treasury_opening",
        "treasury_change",
        "treasury_closing",
        "total_opening",
        "total_change",
        "total_closing",
        "recovered",
        "issued_closing_line",
    ]);
    for (code, period, f) in monthly(index, wanted) {
        for c in &f.share_classes {
            let a = c.authorised.as_ref();
            let i = c.issued.as_ref();
            let tr = c.treasury.as_ref();
            let to = c.total.as_ref();
            let mut recovered: Vec<String> = Vec::new();
            if let Some(b) = i {
                recovered.extend(b.recovered.iter().map(|r| format!("issued.{r}")));
            }
            if let Some(a) = a {
                recovered.extend(a.recovered.iter().map(|r| format!("authorised.{r}")));
            }
            t.push(vec![
                Value::from(code),
                Value::from(period),
                Value::from(f.file.clone()),
                Value::from(f.form.as_str()),
                Value::from(c.class_key.clone()),
                s(c.class.as_deref().or(c.description.as_deref())),
                c.listed.map(Value::from).unwrap_or(Value::Null),
                n(a.and_then(|a| a.opening)),
                n(a.and_then(|a| a.change)),
                n(a.and_then(|a| a.closing)),
                s(a.and_then(|a| a.par_value.as_deref())),
                s(a.and_then(|a| a.currency.as_deref())),
                s(a.and_then(|a| a.capital.as_deref())),
                n(i.and_then(|b| b.opening)),
                n(i.and_then(|b| b.change)),
                n(i.and_then(|b| b.closing)),
                n(tr.and_then(|b| b.opening)),
                n(tr.and_then(|b| b.change)),
                n(tr.and_then(|b| b.closing)),
                n(to.and_then(|b| b.opening)),
                n(to.and_then(|b| b.change)),
                n(to.and_then(|b| b.closing)),
                Value::from(recovered.join(" ")),
                i.map(|b| line(&b.lines, "closing")).unwrap_or(Value::Null),
            ]);
        }
    }
    t
}

fn options(index: &Index, wanted: &dyn Fn(&str) -> bool) -> Table {
    let mut t = Table::new(&[
        "code",
        "period",
        "file",
        "scheme",
        "adopted",
        "exercise_price",
        "class_key",
        "opening",
        "granted",
        "exercised",
        "cancelled",
        "lapsed",
        "other",
        "closing",
        "new_shares_issued",
        "issuable_at_close",
        "recovered",
    ]);
    for (code, period, f) in monthly(index, wanted) {
        for sc in &f.option_schemes {
            let sum = |k: OptionMoveKind| -> Value {
                let v: Vec<i64> = sc
                    .movements
                    .iter()
                    .filter(|m| m.kind == k)
                    .map(|m| m.amount)
                    .collect();
                if v.is_empty() {
                    Value::Null
                } else {
                    Value::from(v.iter().sum::<i64>())
                }
            };
            t.push(vec![
                Value::from(code),
                Value::from(period),
                Value::from(f.file.clone()),
                Value::from(sc.scheme.clone()),
                s(sc.adopted.as_deref()),
                s(sc.exercise_price.as_deref()),
                s(sc.class_key.as_deref()),
                n(sc.opening),
                sum(OptionMoveKind::Granted),
                sum(OptionMoveKind::Exercised),
                sum(OptionMoveKind::Cancelled),
                sum(OptionMoveKind::Lapsed),
                sum(OptionMoveKind::Other),
                n(sc.closing),
                n(sc.new_shares_issued),
                n(sc.issuable_at_close),
                Value::from(sc.recovered.join(" ")),
            ]);
        }
    }
    t
}

fn warrants(index: &Index, wanted: &dyn Fn(&str) -> bool) -> Table {
    let mut t = Table::new(&[
        "code",
        "period",
        "file",
        "description",
        "currency",
        "units",
        "opening",
        "exercised",
        "closing",
        "new_shares_issued",
        "issuable_at_close",
        "subscription_price",
    ]);
    for (code, period, f) in monthly(index, wanted) {
        for w in &f.warrants {
            t.push(vec![
                Value::from(code),
                Value::from(period),
                Value::from(f.file.clone()),
                Value::from(w.description.clone()),
                s(w.currency.as_deref()),
                Value::from(w.units),
                s(w.opening.as_deref()),
                s(w.exercised.as_deref()),
                s(w.closing.as_deref()),
                n(w.new_shares_issued),
                n(w.issuable_at_close),
                s(w.subscription_price.as_deref()),
            ]);
        }
    }
    t
}

fn convertibles(index: &Index, wanted: &dyn Fn(&str) -> bool) -> Table {
    let mut t = Table::new(&[
        "code",
        "period",
        "file",
        "description",
        "currency",
        "amount_opening",
        "converted",
        "amount_closing",
        "new_shares_issued",
        "issuable_at_close",
        "conversion_price",
    ]);
    for (code, period, f) in monthly(index, wanted) {
        for c in &f.convertibles {
            t.push(vec![
                Value::from(code),
                Value::from(period),
                Value::from(f.file.clone()),
                Value::from(c.description.clone()),
                s(c.currency.as_deref()),
                s(c.amount_opening.as_deref()),
                s(c.converted.as_deref()),
                s(c.amount_closing.as_deref()),
                n(c.new_shares_issued),
                n(c.issuable_at_close),
                s(c.conversion_price.as_deref()),
            ]);
        }
    }
    t
}

/// Section III(D)/(E) movements of monthly returns and every next day return movement.
fn movements(index: &Index, wanted: &dyn Fn(&str) -> bool) -> Table {
    let mut t = Table::new(&[
        "code",
        "source",
        "period",
        "date",
        "file",
        "kind",
        "class_key",
        "amount",
        "price",
        "currency",
        "pending",
    ]);
    for (code, period, f) in monthly(index, wanted) {
        for (source, list) in [
            ("other_issue", &f.other_issues),
            ("other_movement", &f.other_movements),
        ] {
            for m in list {
                t.push(vec![
                    Value::from(code),
                    Value::from(source),
                    Value::from(period),
                    s(m.date.as_deref()),
                    Value::from(f.file.clone()),
                    Value::from(m.kind.as_str()),
                    s(m.class_key.as_deref()),
                    n(m.amount),
                    s(m.price.as_deref()),
                    Value::Null,
                    Value::from(m.pending),
                ]);
            }
        }
    }
    for i in index.issuers().filter(|i| wanted(&i.code)) {
        for id in &i.ndrs {
            if index.is_duplicate(*id) {
                continue;
            }
            let Some(f) = index.filings().load(*id as usize) else {
                continue;
            };
            for m in &f.movements {
                t.push(vec![
                    Value::from(i.code.clone()),
                    Value::from("next_day_return"),
                    s(m.date
                        .as_deref()
                        .or(f.date.as_deref())
                        .map(|d| d.get(..7).unwrap_or(d))),
                    s(m.date.as_deref()),
                    Value::from(f.file.clone()),
                    Value::from(m.kind.as_str()),
                    s(m.class_key.as_deref()),
                    n(m.amount),
                    s(m.price.as_deref()),
                    s(m.currency.as_deref()),
                    Value::from(m.pending),
                ]);
            }
        }
    }
    t
}

fn lockups(index: &Index, wanted: &dyn Fn(&str) -> bool) -> Table {
    let mut t = Table::new(&[
        "code",
        "issuer",
        "party",
        "entity",
        "shares",
        "share_count",
        "start",
        "end",
        "months",
        "kind",
        "announced",
        "file",
        "line",
    ]);
    let mut rows: Vec<(Option<String>, Vec<Value>)> = Vec::new();
    for (id, l) in index.lockups() {
        let f = index.filing(id);
        let code = index.issuer_code(id).unwrap_or("");
        if !wanted(code) || f.duplicate_of.is_some() {
            continue;
        }
        rows.push((
            l.end.clone(),
            vec![
                Value::from(code),
                s(f.issuer.as_deref()),
                Value::from(l.party.clone()),
                s(l.entity.as_deref()),
                s(l.shares.as_deref()),
                n(l.share_count),
                s(l.start.as_deref()),
                s(l.end.as_deref()),
                l.months.map(Value::from).unwrap_or(Value::Null),
                Value::from(l.kind.as_str()),
                s(f.date.as_deref()),
                Value::from(f.file.clone()),
                line(&l.lines, "party"),
            ],
        ));
    }
    // Soonest expiry first; undated last.
    rows.sort_by(|a, b| match (&a.0, &b.0) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    for (_, r) in rows {
        t.push(r);
    }
    t
}

fn findings(index: &Index, wanted: &dyn Fn(&str) -> bool) -> Table {
    let mut t = Table::new(&[
        "code",
        "level",
        "finding",
        "message",
        "file",
        "line",
        "class_key",
        "other_file",
    ]);
    let filings = index.filings();
    // By file, whatever order the loader's threads delivered them in.
    let mut ids: Vec<usize> = (0..filings.len())
        .filter(|&id| filings.findings_len(id) > 0)
        .collect();
    ids.sort_by_key(|&id| filings.file(id));
    // Read one at a time, none kept decoded; those without findings not at all.
    for (id, f) in ids
        .into_iter()
        .filter_map(|id| Some((id, filings.load(id)?)))
    {
        let code = index
            .issuer_code(id as super::index::FilingId)
            .unwrap_or("");
        // Each month's effective return only, as in every other table.
        let replaced =
            index.is_duplicate(id as super::index::FilingId) || f.superseded_by.is_some();
        if !wanted(code) || replaced {
            continue;
        }
        for fi in &f.findings {
            t.push(vec![
                Value::from(code),
                Value::from(fi.level.as_str()),
                Value::from(fi.code.clone()),
                Value::from(fi.message.clone()),
                Value::from(f.file.clone()),
                fi.line.map(Value::from).unwrap_or(Value::Null),
                s(fi.class_key.as_deref()),
                s(fi.other_file.as_deref()),
            ]);
        }
    }
    if issuer_is_all(wanted) {
        for e in index.errors() {
            if !e.error_kind.is_failure() {
                continue;
            }
            t.push(vec![
                Value::from(""),
                Value::from("error"),
                Value::from(e.error_kind.as_str()),
                Value::from(e.error.clone()),
                Value::from(e.file.clone()),
                Value::Null,
                Value::Null,
                Value::Null,
            ]);
        }
    }
    t
}

/// Unreadable files belong to no issuer: they are listed only when no issuer filter is set.
fn issuer_is_all(wanted: &dyn Fn(&str) -> bool) -> bool {
    wanted("")
}
