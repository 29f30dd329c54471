//! Screens over the whole index: lock-ups about to expire, issuers whose
//! issued shares moved by more than a threshold, issuers with findings of a
//! given code. Pure functions over `&Index` returning rows, shared by the
//! explorer's `:` commands and the `screen` subcommand (rows serialise as JSON).

use crate::filings::index::{FilingId, Index};
use crate::filings::model::Level;
use chrono::NaiveDate;
use serde::Serialize;

/// A lock-up whose end date falls within the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpiringRow {
    pub code: Option<String>,
    pub issuer: Option<String>,
    pub party: String,
    pub entity: Option<String>,
    pub shares: Option<String>,
    pub start: Option<String>,
    pub end: String,
    /// Days from `today` to `end` (0 = expires today).
    pub days_left: i64,
    pub file: String,
    pub line: Option<u32>,
    #[serde(skip)]
    pub filing: FilingId,
    /// Position in the filing's `lockups`.
    #[serde(skip)]
    pub index: usize,
}

/// Lock-ups (from every non-duplicate announcement) ending between `today`
/// and `today + days` inclusive, soonest first.
pub fn expiring(index: &Index, today: NaiveDate, days: u32) -> Vec<ExpiringRow> {
    let mut out = Vec::new();
    for (id, l) in index.lockups() {
        let Some(end) = l.end.as_deref() else {
            continue;
        };
        let Ok(end_date) = NaiveDate::parse_from_str(end, "%Y-%m-%d") else {
            continue;
        };
        let left = (end_date - today).num_days();
        if left < 0 || left > i64::from(days) {
            continue;
        }
        let f = index.filing(id);
        let Some(pos) = f.lockups.iter().position(|x| std::ptr::eq(x, l)) else {
            continue;
        };
        out.push(ExpiringRow {
            code: f.primary_code().map(str::to_string),
            issuer: f.issuer.clone(),
            party: l.party.clone(),
            entity: l.entity.clone(),
            shares: l.shares.clone(),
            start: l.start.clone(),
            end: end.to_string(),
            days_left: left,
            file: f.file.clone(),
            line: ["end", "party"]
                .iter()
                .find_map(|k| l.lines.get(*k).copied()),
            filing: id,
            index: pos,
        });
    }
    out.sort_by(|a, b| (a.days_left, &a.code, &a.party).cmp(&(b.days_left, &b.code, &b.party)));
    out
}

/// An issuer whose issued shares (all classes) changed between its latest two months.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangedRow {
    pub code: String,
    pub issuer: String,
    pub from: String,
    pub to: String,
    pub issued_before: i64,
    pub issued_after: i64,
    pub change: i64,
    /// change / before x 100, rounded to 2 decimals.
    pub percent: f64,
    pub file: String,
}

/// Issuers whose total issued shares changed by more than `pct` per cent
/// (either way) between their latest two monthly returns, biggest move first.
/// A class whose issued closing could not be read in either month is left
/// out of both totals (an unread value is no move); a month with no issued
/// closing for any other class is not compared.
pub fn changed(index: &Index, pct: f64) -> Vec<ChangedRow> {
    let mut out = Vec::new();
    for issuer in index.issuers() {
        let mut months = issuer.months.iter().rev();
        let (Some((to, &to_id)), Some((from, &from_id))) = (months.next(), months.next()) else {
            continue;
        };
        let closings = |id: FilingId| -> Vec<(String, Option<i64>)> {
            index
                .filings()
                .load(id as usize)
                .map(|f| {
                    f.share_classes
                        .iter()
                        .map(|c| {
                            (
                                c.class_key.clone(),
                                c.issued.as_ref().and_then(|b| b.closing),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let (a, b) = (closings(from_id), closings(to_id));
        let unread: Vec<&str> = a
            .iter()
            .chain(&b)
            .filter(|(_, v)| v.is_none())
            .map(|(k, _)| k.as_str())
            .collect();
        let total = |classes: &[(String, Option<i64>)]| -> Option<i64> {
            classes
                .iter()
                .filter(|(k, _)| !unread.contains(&k.as_str()))
                .filter_map(|(_, v)| *v)
                .fold(None, |sum, v| Some(sum.unwrap_or(0i64).saturating_add(v)))
        };
        let (Some(before), Some(after)) = (total(&a), total(&b)) else {
            continue;
        };
        if before == 0 {
            continue;
        }
        let change = after.saturating_sub(before);
        let percent = ((change as f64) / (before as f64) * 10_000.0).round() / 100.0;
        if percent.abs() <= pct {
            continue;
        }
        out.push(ChangedRow {
            code: issuer.code.clone(),
            issuer: issuer.name.clone(),
            from: from.clone(),
            to: to.clone(),
            issued_before: before,
            issued_after: after,
            change,
            percent,
            file: index
                .filings()
                .file(to_id as usize)
                .unwrap_or_default()
                .to_string(),
        });
    }
    out.sort_by(|a, b| {
        b.percent
            .abs()
            .total_cmp(&a.percent.abs())
            .then_with(|| a.code.cmp(&b.code))
    });
    out
}

/// An issuer with findings of one code, and where the first one is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingRow {
    pub code: String,
    pub issuer: String,
    pub finding: String,
    pub level: Level,
    /// Findings of that code in the issuer's effective filings.
    pub count: usize,
    pub file: String,
    pub line: Option<u32>,
    pub message: String,
}

/// Issuers whose effective filings (neither duplicates nor superseded) carry
/// findings with code `code` (case-insensitive), most findings first.
pub fn with_findings(index: &Index, code: &str) -> Vec<FindingRow> {
    let want = code.trim().to_ascii_lowercase();
    let mut out = Vec::new();
    for issuer in index.issuers() {
        let mut row: Option<FindingRow> = None;
        for &id in &issuer.filings {
            if index.is_duplicate(id)
                || index.is_superseded(id)
                || index.filings().findings_len(id as usize) == 0
            {
                continue;
            }
            let Some(f) = index.filings().load(id as usize) else {
                continue;
            };
            for x in f
                .findings
                .iter()
                .filter(|x| x.code.eq_ignore_ascii_case(&want))
            {
                match row.as_mut() {
                    Some(r) => {
                        r.count += 1;
                        r.level = r.level.max(x.level);
                    }
                    None => {
                        row = Some(FindingRow {
                            code: issuer.code.clone(),
                            issuer: issuer.name.clone(),
                            finding: x.code.clone(),
                            level: x.level,
                            count: 1,
                            file: f.file.clone(),
                            line: x.line,
                            message: x.message.clone(),
                        })
                    }
                }
            }
        }
        out.extend(row);
    }
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
    out
}
