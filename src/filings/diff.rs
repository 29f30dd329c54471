//! Month-over-month comparison of one issuer's monthly returns: what changed
//! in each share class, in option schemes, warrants and convertibles; the
//! movements, next day returns and lock-ups that fall between the two
//! month-ends; and whether each month's opening balances continue the
//! previous month's closing ones.
//!
//! `MonthDiff` is the data (`hkfilings diff --json`); `render_text` prints it
//! with +/- marks so it reads without colour.

use crate::filings::index::Index;
use crate::filings::model::{
    codes, Convertible, Filing, Finding, Level, LockUpKind, NdrMovement, OptionMoveKind,
    OptionMovement, OptionScheme, OtherMovement, ShareClass, Warrant,
};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt;

/// Why two months cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffError {
    UnknownIssuer {
        code: String,
    },
    /// Not a "YYYY-MM" period.
    BadPeriod {
        period: String,
    },
    /// The issuer has no monthly return for that month.
    NoReturn {
        code: String,
        period: String,
        /// The months that do have one, ascending.
        available: Vec<String>,
    },
    /// `from` must be the earlier month.
    NotBefore {
        from: String,
        to: String,
    },
}

impl fmt::Display for DiffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiffError::UnknownIssuer { code } => write!(f, "no issuer with stock code {code}"),
            DiffError::BadPeriod { period } => {
                write!(f, "not a month: {period:?} (expected YYYY-MM)")
            }
            DiffError::NoReturn {
                code,
                period,
                available,
            } => {
                write!(f, "{code} has no monthly return for {period}")?;
                match (available.first(), available.last()) {
                    (Some(a), _) if available.len() == 1 => {
                        write!(f, " (its one monthly return is for {a})")
                    }
                    (Some(a), Some(b)) => {
                        write!(f, " ({} months with a return, {a} to {b})", available.len())
                    }
                    _ => write!(f, " (it has no monthly returns)"),
                }
            }
            DiffError::NotBefore { from, to } => {
                write!(f, "--from {from} must be an earlier month than --to {to}")
            }
        }
    }
}

impl std::error::Error for DiffError {}

/// A share count before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub before: Option<i64>,
    pub after: Option<i64>,
    /// after - before, when both are known.
    pub change: Option<i64>,
    /// change / before x 100, rounded to 2 decimals; null when before is 0 or unknown.
    pub percent: Option<f64>,
}

impl Change {
    pub fn new(before: Option<i64>, after: Option<i64>) -> Change {
        let change = match (before, after) {
            (Some(b), Some(a)) => a.checked_sub(b),
            _ => None,
        };
        let percent = match (before, change) {
            (Some(b), Some(c)) if b != 0 => {
                Some(((c as f64) / (b as f64) * 10_000.0).round() / 100.0)
            }
            _ => None,
        };
        Change {
            before,
            after,
            change,
            percent,
        }
    }

    pub fn is_changed(&self) -> bool {
        self.before != self.after
    }
}

/// A money or unit amount (exact decimal strings) before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AmountChange {
    pub before: Option<String>,
    pub after: Option<String>,
    /// after - before as an exact decimal, when both parse.
    pub change: Option<String>,
}

impl AmountChange {
    fn new(before: Option<&str>, after: Option<&str>) -> AmountChange {
        let change = match (before, after) {
            (Some(b), Some(a)) => decimal_sub(a, b),
            _ => None,
        };
        AmountChange {
            before: before.map(str::to_string),
            after: after.map(str::to_string),
            change,
        }
    }

    fn is_changed(&self) -> bool {
        match &self.change {
            Some(c) => !is_zero(c),
            None => self.before != self.after,
        }
    }
}

/// Text before and after (par values, prices).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextChange {
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Added,
    Removed,
    Changed,
    Unchanged,
}

impl ItemStatus {
    /// The mark `render_text` puts before an item.
    fn mark(self) -> char {
        match self {
            ItemStatus::Added => '+',
            ItemStatus::Removed => '-',
            ItemStatus::Changed => '~',
            ItemStatus::Unchanged => ' ',
        }
    }
}

/// One share class across the two months (closing balances compared).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassDiff {
    /// The `to` month's key (the `from` month's for a removed class).
    pub class_key: String,
    pub class: Option<String>,
    pub status: ItemStatus,
    /// True when the class was paired across a change of key (a legacy slug
    /// before, the listed code after); `key_before` is then the old key.
    pub key_changed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_before: Option<String>,
    pub authorised: Option<Change>,
    pub issued: Option<Change>,
    pub treasury: Option<Change>,
    pub total: Option<Change>,
    pub par_value: TextChange,
    pub currency: TextChange,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchemeDiff {
    pub scheme: String,
    pub exercise_price: Option<String>,
    pub status: ItemStatus,
    /// Options outstanding at the close of each month.
    pub outstanding: Change,
    /// Shares that may be issued at the close of each month.
    pub issuable: Change,
    /// The `to` month's movements.
    pub movements: Vec<OptionMovement>,
    pub new_shares_issued: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WarrantDiff {
    pub description: String,
    pub status: ItemStatus,
    pub units: bool,
    pub currency: Option<String>,
    /// Closing units or money.
    pub outstanding: AmountChange,
    pub issuable: Change,
    /// The `to` month's exercises and new shares.
    pub exercised: Option<String>,
    pub new_shares_issued: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConvertibleDiff {
    pub description: String,
    pub status: ItemStatus,
    pub currency: Option<String>,
    /// Closing amount outstanding (money).
    pub amount: AmountChange,
    pub issuable: Change,
    pub conversion_price: TextChange,
    /// The `to` month's conversions and new shares.
    pub converted: Option<String>,
    pub new_shares_issued: Option<i64>,
}

/// A section III(D)/(E) movement reported by a month after `from`, up to `to`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MovementBetween {
    pub period: String,
    pub file: String,
    /// "other_issue" (section D) or "other_movement" (section E).
    pub section: &'static str,
    #[serde(flatten)]
    pub movement: OtherMovement,
}

/// A next day return dated after `from`'s month-end, up to `to`'s.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NdrBetween {
    pub file: String,
    pub date: Option<String>,
    pub form: String,
    pub movements: Vec<NdrMovement>,
}

/// A lock-up that starts or ends between the two month-ends.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LockUpEvent {
    pub party: String,
    pub entity: Option<String>,
    pub shares: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub kind: LockUpKind,
    /// The announcement it came from.
    pub file: String,
    pub announced: Option<String>,
    /// Whether the undertaking binds on `today` (null when its dates are unknown).
    pub in_force_today: Option<bool>,
}

/// Everything that changed between two monthly returns of one issuer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthDiff {
    pub code: String,
    pub issuer: String,
    pub from: String,
    pub to: String,
    pub from_file: String,
    pub to_file: String,
    pub form_before: String,
    pub form_after: String,
    pub form_changed: bool,
    /// Months strictly between `from` and `to` with no return in the index.
    pub gap: Vec<String>,
    /// Every class of either month: matched, added or removed.
    pub classes: Vec<ClassDiff>,
    pub added_classes: Vec<String>,
    pub removed_classes: Vec<String>,
    pub schemes: Vec<SchemeDiff>,
    pub warrants: Vec<WarrantDiff>,
    pub convertibles: Vec<ConvertibleDiff>,
    /// Sections III(D) and (E) of every month after `from` up to `to`.
    pub movements: Vec<MovementBetween>,
    pub ndrs: Vec<NdrBetween>,
    pub lockups_started: Vec<LockUpEvent>,
    pub lockups_expired: Vec<LockUpEvent>,
    /// chain_break findings for each pair of consecutive months in the range.
    pub findings: Vec<Finding>,
    /// The date lock-ups' `in_force_today` refers to.
    pub today: String,
}

/// Compare issuer `code`'s monthly returns for `from` and `to` ("YYYY-MM").
pub fn compare(
    index: &Index,
    code: &str,
    from: &str,
    to: &str,
    today: NaiveDate,
) -> Result<MonthDiff, DiffError> {
    let issuer = index.issuer(code).ok_or_else(|| DiffError::UnknownIssuer {
        code: code.to_string(),
    })?;
    let from_end = month_end(from).ok_or_else(|| DiffError::BadPeriod {
        period: from.to_string(),
    })?;
    let to_end = month_end(to).ok_or_else(|| DiffError::BadPeriod {
        period: to.to_string(),
    })?;
    if from_end >= to_end {
        return Err(DiffError::NotBefore {
            from: from.to_string(),
            to: to.to_string(),
        });
    }
    let missing = |period: &str| DiffError::NoReturn {
        code: code.to_string(),
        period: period.to_string(),
        available: index.months(code),
    };
    let a = index
        .effective_return(code, from)
        .ok_or_else(|| missing(from))?;
    let b = index
        .effective_return(code, to)
        .ok_or_else(|| missing(to))?;
    let (from_iso, to_iso) = (iso(from_end), iso(to_end));

    let months = index.months(code);
    let have: BTreeSet<&str> = months.iter().map(String::as_str).collect();
    let mut gap = Vec::new();
    let mut m = next_month(from_end);
    while m < to_end {
        let p = period_of(m);
        if !have.contains(p.as_str()) {
            gap.push(p);
        }
        let n = next_month(m);
        if n <= m {
            break; // the calendar's last month: nothing after it
        }
        m = n;
    }

    let classes = diff_classes(&a.share_classes, &b.share_classes);
    let added_classes = status_keys(&classes, ItemStatus::Added);
    let removed_classes = status_keys(&classes, ItemStatus::Removed);

    let mut movements = Vec::new();
    let mut findings = Vec::new();
    let mut prev: Option<(&str, &Filing)> = None;
    for p in months
        .iter()
        .filter(|p| p.as_str() >= from && p.as_str() <= to)
    {
        let Some(f) = index.effective_return(code, p) else {
            continue;
        };
        if p.as_str() > from {
            for (section, list) in [
                ("other_issue", &f.other_issues),
                ("other_movement", &f.other_movements),
            ] {
                movements.extend(list.iter().map(|mv| MovementBetween {
                    period: p.clone(),
                    file: f.file.clone(),
                    section,
                    movement: mv.clone(),
                }));
            }
        }
        if let Some((pp, pf)) = prev {
            if month_end(pp).map(next_month).as_ref() == month_end(p).map(first_of_month).as_ref() {
                findings.extend(chain_breaks((pp, pf), (p, f)));
            }
        }
        prev = Some((p, f));
    }

    let ndrs = index
        .ndrs_between(code, Some(&from_iso), Some(&to_iso))
        .into_iter()
        .filter_map(|id| index.filings().get(id as usize))
        .map(|f| NdrBetween {
            file: f.file.clone(),
            date: f.date.clone(),
            form: f.form.as_str().to_string(),
            movements: f.movements.clone(),
        })
        .collect();

    let today_iso = iso(today);
    let in_window = |d: &Option<String>| {
        d.as_deref()
            .is_some_and(|d| d > from_iso.as_str() && d <= to_iso.as_str())
    };
    let mut lockups_started = Vec::new();
    let mut lockups_expired = Vec::new();
    for (id, l) in index.lockups() {
        let Some(f) = index.filings().get(id as usize) else {
            continue;
        };
        if !f.stock_codes.iter().any(|c| c == code) {
            continue;
        }
        let in_force_today = match (&l.start, &l.end) {
            (Some(s), Some(e)) => {
                Some(s.as_str() <= today_iso.as_str() && today_iso.as_str() <= e.as_str())
            }
            (None, Some(e)) => Some(today_iso.as_str() <= e.as_str()),
            (Some(s), None) => Some(s.as_str() <= today_iso.as_str()),
            (None, None) => None,
        };
        let event = || LockUpEvent {
            party: l.party.clone(),
            entity: l.entity.clone(),
            shares: l.shares.clone(),
            start: l.start.clone(),
            end: l.end.clone(),
            kind: l.kind,
            file: f.file.clone(),
            announced: f.date.clone(),
            in_force_today,
        };
        if in_window(&l.start) {
            lockups_started.push(event());
        }
        if in_window(&l.end) {
            lockups_expired.push(event());
        }
    }

    Ok(MonthDiff {
        code: code.to_string(),
        issuer: b.issuer.clone().unwrap_or_else(|| issuer.name.clone()),
        from: from.to_string(),
        to: to.to_string(),
        from_file: a.file.clone(),
        to_file: b.file.clone(),
        form_before: a.form.as_str().to_string(),
        form_after: b.form.as_str().to_string(),
        form_changed: a.form != b.form,
        gap,
        classes,
        added_classes,
        removed_classes,
        schemes: diff_schemes(&a.option_schemes, &b.option_schemes),
        warrants: diff_warrants(&a.warrants, &b.warrants),
        convertibles: diff_convertibles(&a.convertibles, &b.convertibles),
        movements,
        ndrs,
        lockups_started,
        lockups_expired,
        findings,
        today: today_iso,
    })
}

/// The pair to show first: the latest month with a return and the one before it.
pub fn default_pair(index: &Index, code: &str) -> Option<(String, String)> {
    let months = index.months(code);
    let n = months.len();
    let to = months.get(n.checked_sub(1)?)?;
    let from = months.get(n.checked_sub(2)?)?;
    Some((from.clone(), to.clone()))
}

/// The pairs one month earlier and one month later (each end moved to the
/// neighbouring month that has a return), when they exist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Neighbours {
    pub earlier: Option<(String, String)>,
    pub later: Option<(String, String)>,
}

pub fn neighbours(index: &Index, code: &str, from: &str, to: &str) -> Neighbours {
    let months = index.months(code);
    let prev = |x: &str| months.iter().rev().find(|m| m.as_str() < x).cloned();
    let next = |x: &str| months.iter().find(|m| m.as_str() > x).cloned();
    let pair = |a: Option<String>, b: Option<String>| match (a, b) {
        (Some(a), Some(b)) if a < b => Some((a, b)),
        _ => None,
    };
    Neighbours {
        earlier: pair(prev(from), prev(to)),
        later: pair(next(from), next(to)),
    }
}

/// The last day of a "YYYY-MM" month.
pub fn month_end(period: &str) -> Option<NaiveDate> {
    let (y, m) = period.trim().split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let first = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)?;
    next_month(first).pred_opt()
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// The first day of the month after `d`'s.
fn next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d)
}

fn period_of(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn status_keys(classes: &[ClassDiff], status: ItemStatus) -> Vec<String> {
    classes
        .iter()
        .filter(|c| c.status == status)
        .map(|c| c.class_key.clone())
        .collect()
}

/// Lowercase words of a name, for matching schemes and instruments whose
/// wording differs only in case, spacing or punctuation between months.
fn norm_name(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

type KeyFn<'a, T> = &'a dyn Fn(&T) -> Option<String>;

/// Pair the items of two months: each pass pairs still-unmatched items whose
/// key is equal (first come, first paired). Result in `b`'s order, then the
/// unmatched `a` items.
fn pair_items<T>(a: &[T], b: &[T], passes: &[KeyFn<'_, T>]) -> Vec<(Option<usize>, Option<usize>)> {
    let mut a_used = vec![false; a.len()];
    let mut b_partner: Vec<Option<usize>> = vec![None; b.len()];
    for key in passes {
        for (bi, bx) in b.iter().enumerate() {
            if b_partner.get(bi).copied().flatten().is_some() {
                continue;
            }
            let Some(kb) = key(bx) else { continue };
            let found = a.iter().enumerate().find(|(ai, ax)| {
                !a_used.get(*ai).copied().unwrap_or(true) && key(ax).as_ref() == Some(&kb)
            });
            if let Some((ai, _)) = found {
                if let Some(u) = a_used.get_mut(ai) {
                    *u = true;
                }
                if let Some(p) = b_partner.get_mut(bi) {
                    *p = Some(ai);
                }
            }
        }
    }
    let mut out: Vec<(Option<usize>, Option<usize>)> = b_partner
        .iter()
        .enumerate()
        .map(|(bi, ai)| (*ai, Some(bi)))
        .collect();
    out.extend(
        a_used
            .iter()
            .enumerate()
            .filter(|(_, used)| !**used)
            .map(|(ai, _)| (Some(ai), None)),
    );
    out
}

/// Pair share classes: by class_key, then by listed code; then, when one
/// class is left on each side and either both months have that single class
/// or only one of the two carries a listed code, those two. The last rule is
/// for the switch of form generation: a legacy return keys its class
/// "ordinary-shares" with no code, the FF301 return that follows keys the
/// same shares by their code "01149". Two unlisted leftovers (preference
/// shares gone, class A shares new) stay a removal and an addition.
pub fn pair_classes<'a>(
    a: &'a [ShareClass],
    b: &'a [ShareClass],
) -> Vec<(Option<&'a ShareClass>, Option<&'a ShareClass>)> {
    let by_key: KeyFn<'_, ShareClass> = &|c| Some(c.class_key.clone());
    let by_code: KeyFn<'_, ShareClass> = &|c| c.stock_code.clone();
    let mut pairs = pair_items(a, b, &[by_key, by_code]);
    let lone_a: Vec<usize> = pairs
        .iter()
        .filter_map(|p| match p {
            (Some(ai), None) => Some(*ai),
            _ => None,
        })
        .collect();
    let lone_b: Vec<usize> = pairs
        .iter()
        .filter_map(|p| match p {
            (None, Some(bi)) => Some(*bi),
            _ => None,
        })
        .collect();
    if let ([ai], [bi]) = (lone_a.as_slice(), lone_b.as_slice()) {
        let (ai, bi) = (*ai, *bi);
        let single = a.len() == 1 && b.len() == 1;
        let listed = |c: Option<&ShareClass>| c.is_some_and(|c| c.stock_code.is_some());
        if single || listed(a.get(ai)) != listed(b.get(bi)) {
            pairs.retain(|p| *p != (Some(ai), None));
            for p in pairs.iter_mut() {
                if *p == (None, Some(bi)) {
                    *p = (Some(ai), Some(bi));
                }
            }
        }
    }
    pairs
        .into_iter()
        .map(|(ai, bi)| (ai.and_then(|i| a.get(i)), bi.and_then(|i| b.get(i))))
        .collect()
}

fn diff_classes(a: &[ShareClass], b: &[ShareClass]) -> Vec<ClassDiff> {
    pair_classes(a, b)
        .into_iter()
        .filter_map(|(x, y)| {
            let any = y.or(x)?;
            let issued =
                |c: Option<&ShareClass>| c.and_then(|c| c.issued.as_ref()).and_then(|b| b.closing);
            let treasury = |c: Option<&ShareClass>| {
                c.and_then(|c| c.treasury.as_ref()).and_then(|b| b.closing)
            };
            let total =
                |c: Option<&ShareClass>| c.and_then(|c| c.total.as_ref()).and_then(|b| b.closing);
            let has = |f: &dyn Fn(&ShareClass) -> bool| x.is_some_and(f) || y.is_some_and(f);
            let change_if = |present: bool, before: Option<i64>, after: Option<i64>| {
                present.then(|| Change::new(before, after))
            };
            let authorised = change_if(
                has(&|c| c.authorised.is_some()),
                auth(x).and_then(|a| a.closing),
                auth(y).and_then(|a| a.closing),
            );
            let issued = change_if(has(&|c| c.issued.is_some()), issued(x), issued(y));
            let treasury = change_if(has(&|c| c.treasury.is_some()), treasury(x), treasury(y));
            let total = change_if(has(&|c| c.total.is_some()), total(x), total(y));
            let par_value = TextChange {
                before: auth(x).and_then(|a| a.par_value.clone()),
                after: auth(y).and_then(|a| a.par_value.clone()),
            };
            let currency = TextChange {
                before: auth(x).and_then(|a| a.currency.clone()),
                after: auth(y).and_then(|a| a.currency.clone()),
            };
            let status = match (x, y) {
                (None, _) => ItemStatus::Added,
                (_, None) => ItemStatus::Removed,
                _ => {
                    let moved = [&authorised, &issued, &treasury, &total]
                        .iter()
                        .any(|c| c.as_ref().is_some_and(Change::is_changed));
                    if moved || par_value.before != par_value.after {
                        ItemStatus::Changed
                    } else {
                        ItemStatus::Unchanged
                    }
                }
            };
            let key_before = match (x, y) {
                (Some(x), Some(y)) if x.class_key != y.class_key => Some(x.class_key.clone()),
                _ => None,
            };
            Some(ClassDiff {
                class_key: any.class_key.clone(),
                class: any.class.clone().or_else(|| any.description.clone()),
                status,
                key_changed: key_before.is_some(),
                key_before,
                authorised,
                issued,
                treasury,
                total,
                par_value,
                currency,
            })
        })
        .collect()
}

fn auth(c: Option<&ShareClass>) -> Option<&crate::filings::model::Authorised> {
    c.and_then(|c| c.authorised.as_ref())
}

fn item_status(before: bool, after: bool, changed: bool) -> ItemStatus {
    match (before, after) {
        (false, _) => ItemStatus::Added,
        (_, false) => ItemStatus::Removed,
        _ if changed => ItemStatus::Changed,
        _ => ItemStatus::Unchanged,
    }
}

fn diff_schemes(a: &[OptionScheme], b: &[OptionScheme]) -> Vec<SchemeDiff> {
    let by_name_price: KeyFn<'_, OptionScheme> = &|s| {
        Some(format!(
            "{}|{}",
            norm_name(&s.scheme),
            s.exercise_price.as_deref().unwrap_or("")
        ))
    };
    let by_name: KeyFn<'_, OptionScheme> = &|s| Some(norm_name(&s.scheme));
    // A scheme named apart by two generations of the form (the legacy
    // return's "Share Option Scheme", FF301's "Share Option Scheme (adopted
    // on 09/09/2018)") is the one adopted on the same day at the same price.
    let by_adoption: KeyFn<'_, OptionScheme> = &|s| {
        Some(format!(
            "{}|{}",
            s.adopted.as_deref()?,
            s.exercise_price.as_deref()?
        ))
    };
    pair_items(a, b, &[by_name_price, by_name, by_adoption])
        .into_iter()
        .filter_map(|(ai, bi)| {
            let x = ai.and_then(|i| a.get(i));
            let y = bi.and_then(|i| b.get(i));
            let any = y.or(x)?;
            let outstanding = Change::new(x.and_then(|s| s.closing), y.and_then(|s| s.closing));
            let issuable = Change::new(
                x.and_then(|s| s.issuable_at_close),
                y.and_then(|s| s.issuable_at_close),
            );
            let movements = y.map(|s| s.movements.clone()).unwrap_or_default();
            let changed = outstanding.is_changed()
                || issuable.is_changed()
                || movements.iter().any(|m| m.amount != 0);
            Some(SchemeDiff {
                scheme: any.scheme.clone(),
                exercise_price: any.exercise_price.clone(),
                status: item_status(x.is_some(), y.is_some(), changed),
                outstanding,
                issuable,
                movements,
                new_shares_issued: y.and_then(|s| s.new_shares_issued),
            })
        })
        .collect()
}

fn diff_warrants(a: &[Warrant], b: &[Warrant]) -> Vec<WarrantDiff> {
    let by_desc: KeyFn<'_, Warrant> = &|w| Some(norm_name(&w.description));
    pair_items(a, b, &[by_desc])
        .into_iter()
        .filter_map(|(ai, bi)| {
            let x = ai.and_then(|i| a.get(i));
            let y = bi.and_then(|i| b.get(i));
            let any = y.or(x)?;
            let outstanding = AmountChange::new(
                x.and_then(|w| w.closing.as_deref()),
                y.and_then(|w| w.closing.as_deref()),
            );
            let issuable = Change::new(
                x.and_then(|w| w.issuable_at_close),
                y.and_then(|w| w.issuable_at_close),
            );
            let changed = outstanding.is_changed() || issuable.is_changed();
            Some(WarrantDiff {
                description: any.description.clone(),
                status: item_status(x.is_some(), y.is_some(), changed),
                units: any.units,
                currency: any.currency.clone(),
                outstanding,
                issuable,
                exercised: y.and_then(|w| w.exercised.clone()),
                new_shares_issued: y.and_then(|w| w.new_shares_issued),
            })
        })
        .collect()
}

fn diff_convertibles(a: &[Convertible], b: &[Convertible]) -> Vec<ConvertibleDiff> {
    let by_desc: KeyFn<'_, Convertible> = &|c| Some(norm_name(&c.description));
    pair_items(a, b, &[by_desc])
        .into_iter()
        .filter_map(|(ai, bi)| {
            let x = ai.and_then(|i| a.get(i));
            let y = bi.and_then(|i| b.get(i));
            let any = y.or(x)?;
            let amount = AmountChange::new(
                x.and_then(|c| c.amount_closing.as_deref()),
                y.and_then(|c| c.amount_closing.as_deref()),
            );
            let issuable = Change::new(
                x.and_then(|c| c.issuable_at_close),
                y.and_then(|c| c.issuable_at_close),
            );
            let conversion_price = TextChange {
                before: x.and_then(|c| c.conversion_price.clone()),
                after: y.and_then(|c| c.conversion_price.clone()),
            };
            let changed = amount.is_changed()
                || issuable.is_changed()
                || (x.is_some() && conversion_price.before != conversion_price.after);
            Some(ConvertibleDiff {
                description: any.description.clone(),
                status: item_status(x.is_some(), y.is_some(), changed),
                currency: any.currency.clone(),
                amount,
                issuable,
                conversion_price,
                converted: y.and_then(|c| c.converted.clone()),
                new_shares_issued: y.and_then(|c| c.new_shares_issued),
            })
        })
        .collect()
}

/// (what, earlier closing, later opening, line of the later opening).
type ChainRow<'a> = (&'a str, Option<i64>, Option<i64>, Option<u32>);

/// The later month's opening balances against the earlier month's closing
/// ones, per paired class: issued, treasury and authorised shares.
fn chain_breaks(earlier: (&str, &Filing), later: (&str, &Filing)) -> Vec<Finding> {
    let (p1, f1) = earlier;
    let (p2, f2) = later;
    let mut out = Vec::new();
    for (x, y) in pair_classes(&f1.share_classes, &f2.share_classes) {
        let (Some(x), Some(y)) = (x, y) else { continue };
        let rows: [ChainRow; 3] = [
            (
                "issued",
                x.issued.as_ref().and_then(|b| b.closing),
                y.issued.as_ref().and_then(|b| b.opening),
                y.issued
                    .as_ref()
                    .and_then(|b| b.lines.get("opening").copied()),
            ),
            (
                "treasury",
                x.treasury.as_ref().and_then(|b| b.closing),
                y.treasury.as_ref().and_then(|b| b.opening),
                y.treasury
                    .as_ref()
                    .and_then(|b| b.lines.get("opening").copied()),
            ),
            (
                "authorised",
                x.authorised.as_ref().and_then(|a| a.closing),
                y.authorised.as_ref().and_then(|a| a.opening),
                y.authorised
                    .as_ref()
                    .and_then(|a| a.lines.get("opening").copied()),
            ),
        ];
        for (what, closing, opening, line) in rows {
            let (Some(closing), Some(opening)) = (closing, opening) else {
                continue;
            };
            if closing == opening {
                continue;
            }
            let message = format!(
                "{} {what} shares: opening {} in {} ({p2}) != closing {} in {} ({p1})",
                y.class_key,
                group(opening),
                f2.file,
                group(closing),
                f1.file,
            );
            let mut finding = Finding::new(Level::Warning, codes::CHAIN_BREAK, message)
                .at(line)
                .class(Some(&y.class_key));
            finding.other_file = Some(f1.file.clone());
            out.push(finding);
        }
    }
    out
}

/// a - b for exact decimal strings ("80000000000.00", "-1.5"), keeping the
/// larger number of decimals. None when either is not a plain decimal or the
/// result does not fit.
fn decimal_sub(a: &str, b: &str) -> Option<String> {
    let (ma, sa) = parse_decimal_parts(a)?;
    let (mb, sb) = parse_decimal_parts(b)?;
    let scale = sa.max(sb);
    let ma = ma.checked_mul(10i128.checked_pow(scale - sa)?)?;
    let mb = mb.checked_mul(10i128.checked_pow(scale - sb)?)?;
    let d = ma.checked_sub(mb)?;
    let digits = d.unsigned_abs().to_string();
    let scale = scale as usize;
    let body = if scale == 0 {
        digits
    } else {
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let split = padded.len() - scale;
        format!("{}.{}", padded.get(..split)?, padded.get(split..)?)
    };
    Some(if d < 0 { format!("-{body}") } else { body })
}

/// "1,234.50" -> (123450, 2).
fn parse_decimal_parts(s: &str) -> Option<(i128, u32)> {
    let t: String = s.trim().chars().filter(|c| *c != ',').collect();
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, t),
    };
    let (int, frac) = t.split_once('.').unwrap_or((t.as_str(), ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().chain(frac.bytes()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let scale = u32::try_from(frac.len()).ok()?;
    let digits = format!("{int}{frac}");
    let m: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    Some((if neg { -m } else { m }, scale))
}

// ---- text ---------------------------------------------------------------

/// 2587537458 -> "2,587,537,458".
pub fn group(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    let len = digits.len();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{}", group(n))
    } else {
        group(n)
    }
}

fn opt(n: Option<i64>) -> String {
    n.map(group).unwrap_or_else(|| "?".to_string())
}

/// "+ issued 2,587,537,458 -> 2,592,537,458 (+5,000,000, +0.19%)"
fn change_line(label: &str, c: &Change) -> String {
    let mark = match c.change {
        Some(d) if d > 0 => '+',
        Some(d) if d < 0 => '-',
        Some(_) => ' ',
        None if c.is_changed() => '~',
        None => ' ',
    };
    if !c.is_changed() {
        return format!("{mark} {label} {} (unchanged)", opt(c.after));
    }
    let mut s = format!("{mark} {label} {} -> {}", opt(c.before), opt(c.after));
    if let Some(d) = c.change {
        s.push_str(&format!(" ({}", signed(d)));
        if let Some(p) = c.percent {
            let sign = if p > 0.0 { "+" } else { "" };
            s.push_str(&format!(", {sign}{p:.2}%"));
        }
        s.push(')');
    }
    s
}

fn amount_line(label: &str, c: &AmountChange) -> String {
    let show = |s: &Option<String>| s.clone().unwrap_or_else(|| "?".to_string());
    if !c.is_changed() {
        return format!("  {label} {} (unchanged)", show(&c.after));
    }
    let mark = match c.change.as_deref() {
        Some(d) if d.starts_with('-') => '-',
        Some(_) => '+',
        None => '~',
    };
    let mut s = format!("{mark} {label} {} -> {}", show(&c.before), show(&c.after));
    if let Some(d) = &c.change {
        let sign = if d.starts_with('-') { "" } else { "+" };
        s.push_str(&format!(" ({sign}{d})"));
    }
    s
}

fn text_or(s: &Option<String>, none: &str) -> String {
    s.clone().unwrap_or_else(|| none.to_string())
}

/// One comparison of a diff as a table row: what a spreadsheet of the
/// diff holds (`hkfilings diff --csv`, the explorer's export of a diff).
/// `before` and `after` are the two months' values as printed (share
/// counts as integers, money as exact decimals); `change` is after - before
/// when both are known; events between the months (other movements, next
/// day returns, lock-ups) have only an `after`, and `period` says when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiffRow {
    /// authorised, issued, treasury, total, par_value, scheme, warrant,
    /// convertible, movement, next_day_return, lockup_started, lockup_ended.
    pub section: &'static str,
    /// The class key, scheme, description or party it is about.
    pub item: String,
    /// added, removed, changed, unchanged (events: the movement's kind).
    pub status: String,
    /// What is compared: shares, outstanding, issuable, granted, amount...
    pub measure: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub change: Option<String>,
    pub percent: Option<f64>,
    /// The month or date of an event between the two months.
    pub period: Option<String>,
    /// The file the `after` value comes from.
    pub file: String,
}

/// The diff's [`rows`] as CSV, a header first.
pub fn rows_csv(d: &MonthDiff) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows(d) {
        // Writing to memory cannot fail; a row that could not be written
        // would only be missing, never half-written.
        let _ = w.serialize(&r);
    }
    w.into_inner().unwrap_or_default()
}

/// The diff as rows, in the order `render_text` shows it.
pub fn rows(d: &MonthDiff) -> Vec<DiffRow> {
    let mut out = Vec::new();
    let row = |section: &'static str, item: &str, status: &str, measure: &str| DiffRow {
        section,
        item: item.to_string(),
        status: status.to_string(),
        measure: measure.to_string(),
        before: None,
        after: None,
        change: None,
        percent: None,
        period: None,
        file: d.to_file.clone(),
    };
    // A row of an item both months hold is changed or not by its own figures.
    let own_status = |r: &mut DiffRow, changed: bool| {
        if r.status == "changed" || r.status == "unchanged" {
            r.status = if changed { "changed" } else { "unchanged" }.to_string();
        }
    };
    let counts = |mut r: DiffRow, c: &Change| {
        r.before = c.before.map(|v| v.to_string());
        r.after = c.after.map(|v| v.to_string());
        r.change = c.change.map(|v| v.to_string());
        r.percent = c.percent;
        own_status(&mut r, c.is_changed());
        r
    };
    let amounts = |mut r: DiffRow, c: &AmountChange| {
        r.before = c.before.clone();
        r.after = c.after.clone();
        r.change = c.change.clone();
        own_status(&mut r, c.is_changed());
        r
    };
    // A figure neither month prints is no row.
    let printed = |r: &DiffRow| r.before.is_some() || r.after.is_some();
    // What the `to` month itself reports (a movement, an exercise).
    let in_month =
        |section: &'static str, item: &str, status: &str, measure: &str, value: String| {
            let mut r = row(section, item, status, measure);
            r.after = Some(value);
            r.period = Some(d.to.clone());
            r
        };
    for c in &d.classes {
        let status = status_word(c.status);
        let file = if c.status == ItemStatus::Removed {
            d.from_file.clone()
        } else {
            d.to_file.clone()
        };
        for (section, ch) in [
            ("authorised", &c.authorised),
            ("issued", &c.issued),
            ("treasury", &c.treasury),
            ("total", &c.total),
        ] {
            if let Some(ch) = ch {
                let mut r = counts(row(section, &c.class_key, status, "shares"), ch);
                r.file = file.clone();
                if printed(&r) {
                    out.push(r);
                }
            }
        }
        let with_currency = |cur: &Option<String>, v: &Option<String>| {
            v.as_ref().map(|v| match cur {
                Some(cur) => format!("{cur} {v}"),
                None => v.clone(),
            })
        };
        let mut r = row("par_value", &c.class_key, status, "par value");
        r.before = with_currency(&c.currency.before, &c.par_value.before);
        r.after = with_currency(&c.currency.after, &c.par_value.after);
        let moved = r.before != r.after;
        own_status(&mut r, moved);
        r.file = file;
        if printed(&r) {
            out.push(r);
        }
    }
    for sc in &d.schemes {
        let item = match &sc.exercise_price {
            Some(p) => format!("{} at {p}", sc.scheme),
            None => sc.scheme.clone(),
        };
        let status = status_word(sc.status);
        out.extend(
            [
                counts(row("scheme", &item, status, "outstanding"), &sc.outstanding),
                counts(row("scheme", &item, status, "issuable"), &sc.issuable),
            ]
            .into_iter()
            .filter(printed),
        );
        for m in sc.movements.iter().filter(|m| m.amount != 0) {
            let kind = option_kind(m.kind);
            out.push(in_month(
                "scheme",
                &item,
                status,
                kind,
                m.amount.to_string(),
            ));
        }
        if let Some(n) = sc.new_shares_issued.filter(|n| *n != 0) {
            let measure = "new shares issued";
            out.push(in_month("scheme", &item, status, measure, n.to_string()));
        }
    }
    for w in &d.warrants {
        let status = status_word(w.status);
        let measure = if w.units {
            "outstanding units"
        } else {
            "outstanding amount"
        };
        out.extend(
            [
                amounts(
                    row("warrant", &w.description, status, measure),
                    &w.outstanding,
                ),
                counts(
                    row("warrant", &w.description, status, "issuable"),
                    &w.issuable,
                ),
            ]
            .into_iter()
            .filter(printed),
        );
        if let Some(e) = w.exercised.as_deref().filter(|e| !is_zero(e)) {
            out.push(in_month(
                "warrant",
                &w.description,
                status,
                "exercised",
                e.to_string(),
            ));
        }
    }
    for c in &d.convertibles {
        let status = status_word(c.status);
        let measure = match &c.currency {
            Some(cur) => format!("outstanding amount {cur}"),
            None => "outstanding amount".to_string(),
        };
        out.extend(
            [
                amounts(
                    row("convertible", &c.description, status, &measure),
                    &c.amount,
                ),
                counts(
                    row("convertible", &c.description, status, "issuable"),
                    &c.issuable,
                ),
            ]
            .into_iter()
            .filter(printed),
        );
        if let Some(v) = c.converted.as_deref().filter(|v| !is_zero(v)) {
            let (desc, measure) = (&c.description, "converted");
            out.push(in_month(
                "convertible",
                desc,
                status,
                measure,
                v.to_string(),
            ));
        }
    }
    for m in &d.movements {
        let mv = &m.movement;
        let mut r = row(
            "movement",
            mv.class_key.as_deref().unwrap_or(""),
            mv.kind.as_str(),
            if mv.pending {
                "shares (pending)"
            } else {
                "shares"
            },
        );
        r.after = mv.amount.map(|a| a.to_string());
        r.period = Some(mv.date.clone().unwrap_or_else(|| m.period.clone()));
        r.file = m.file.clone();
        out.push(r);
    }
    for n in &d.ndrs {
        for m in &n.movements {
            let mut r = row(
                "next_day_return",
                m.class_key.as_deref().unwrap_or(""),
                m.kind.as_str(),
                if m.pending {
                    "shares (pending)"
                } else {
                    "shares"
                },
            );
            r.after = m.amount.map(|a| a.to_string());
            r.period = m.date.clone().or_else(|| n.date.clone());
            r.file = n.file.clone();
            out.push(r);
        }
    }
    for (section, list) in [
        ("lockup_started", &d.lockups_started),
        ("lockup_ended", &d.lockups_expired),
    ] {
        for l in list {
            let item = match &l.entity {
                Some(e) => format!("{} / {e}", l.party),
                None => l.party.clone(),
            };
            let mut r = row(section, &item, l.kind.as_str(), "shares");
            r.after = l.shares.clone();
            r.period = if section == "lockup_started" {
                l.start.clone()
            } else {
                l.end.clone()
            };
            r.file = l.file.clone();
            out.push(r);
        }
    }
    out
}

/// The diff as plain text: one line per fact, marked "+" (up or added),
/// "-" (down or removed), "~" (changed), "!" (a gap, a form switch, a break).
pub fn render_text(d: &MonthDiff) -> String {
    let mut out: Vec<String> = Vec::new();
    out.push(format!("{} {}: {} -> {}", d.code, d.issuer, d.from, d.to));
    out.push(format!(
        "  from {} ({}, {})",
        d.from, d.from_file, d.form_before
    ));
    out.push(format!("  to   {} ({}, {})", d.to, d.to_file, d.form_after));
    if d.form_changed {
        out.push(format!(
            "! form changed: {} -> {}",
            d.form_before, d.form_after
        ));
    }
    if !d.gap.is_empty() {
        let months = if d.gap.len() == 1 { "month" } else { "months" };
        out.push(format!(
            "! no return for {} {months} in between: {}",
            d.gap.len(),
            d.gap.join(", ")
        ));
    }

    for c in &d.classes {
        out.push(String::new());
        let name = c
            .class
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        match c.status {
            ItemStatus::Added => out.push(format!("+ class added: {}{name}", c.class_key)),
            ItemStatus::Removed => out.push(format!("- class removed: {}{name}", c.class_key)),
            _ => out.push(format!("class {}{name}", c.class_key)),
        }
        if let Some(old) = &c.key_before {
            out.push(format!("! class key changed: {old} -> {}", c.class_key));
        }
        for (label, ch) in [
            ("authorised", &c.authorised),
            ("issued", &c.issued),
            ("treasury", &c.treasury),
            ("total", &c.total),
        ] {
            if let Some(ch) = ch {
                out.push(change_line(label, ch));
            }
        }
        if c.par_value.before != c.par_value.after && c.status == ItemStatus::Changed {
            out.push(format!(
                "~ par value {} {} -> {} {}",
                text_or(&c.currency.before, ""),
                text_or(&c.par_value.before, "none"),
                text_or(&c.currency.after, ""),
                text_or(&c.par_value.after, "none"),
            ));
        }
    }

    if !d.schemes.is_empty() {
        out.push(String::new());
        out.push("option schemes".to_string());
        for s in &d.schemes {
            let price = s
                .exercise_price
                .as_deref()
                .map(|p| format!(" at {p}"))
                .unwrap_or_default();
            out.push(format!(
                "{} {} {}{price}",
                s.status.mark(),
                status_word(s.status),
                s.scheme
            ));
            if s.status != ItemStatus::Unchanged {
                out.push(format!("  {}", change_line("outstanding", &s.outstanding)));
                out.push(format!("  {}", change_line("issuable", &s.issuable)));
            }
            for m in s.movements.iter().filter(|m| m.amount != 0) {
                let note = m
                    .note
                    .as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default();
                out.push(format!(
                    "    {} {}{note}",
                    option_kind(m.kind),
                    signed(m.amount)
                ));
            }
        }
    }
    if !d.warrants.is_empty() {
        out.push(String::new());
        out.push("warrants".to_string());
        for w in &d.warrants {
            out.push(format!(
                "{} {} {}",
                w.status.mark(),
                status_word(w.status),
                w.description
            ));
            if w.status != ItemStatus::Unchanged {
                out.push(format!("  {}", amount_line("outstanding", &w.outstanding)));
                out.push(format!("  {}", change_line("issuable", &w.issuable)));
            }
            if let Some(e) = w.exercised.as_deref().filter(|e| !is_zero(e)) {
                out.push(format!(
                    "    exercised {e}, new shares {}",
                    opt(w.new_shares_issued)
                ));
            }
        }
    }
    if !d.convertibles.is_empty() {
        out.push(String::new());
        out.push("convertibles".to_string());
        for c in &d.convertibles {
            out.push(format!(
                "{} {} {}",
                c.status.mark(),
                status_word(c.status),
                c.description
            ));
            if c.status != ItemStatus::Unchanged {
                let label = match &c.currency {
                    Some(cur) => format!("outstanding {cur}"),
                    None => "outstanding".to_string(),
                };
                out.push(format!("  {}", amount_line(&label, &c.amount)));
                out.push(format!("  {}", change_line("issuable", &c.issuable)));
            }
            if let Some(v) = c.converted.as_deref().filter(|v| !is_zero(v)) {
                out.push(format!(
                    "    converted {v}, new shares {}",
                    opt(c.new_shares_issued)
                ));
            }
        }
    }
    if !d.movements.is_empty() {
        out.push(String::new());
        out.push("other issues and movements".to_string());
        for m in &d.movements {
            out.push(format!("  {} {}", m.period, movement_text(&m.movement)));
        }
    }
    if !d.ndrs.is_empty() {
        out.push(String::new());
        out.push("next day returns in between".to_string());
        for n in &d.ndrs {
            out.push(format!(
                "  {} {} ({})",
                text_or(&n.date, "undated"),
                n.file,
                n.form
            ));
            for m in &n.movements {
                out.push(format!("    {}", ndr_text(m)));
            }
        }
    }
    for (title, list, mark) in [
        ("lock-ups starting", &d.lockups_started, '+'),
        ("lock-ups ending", &d.lockups_expired, '-'),
    ] {
        if list.is_empty() {
            continue;
        }
        out.push(String::new());
        out.push(title.to_string());
        for l in list {
            let entity = l
                .entity
                .as_deref()
                .map(|e| format!(" / {e}"))
                .unwrap_or_default();
            out.push(format!(
                "{mark} {}{entity}: {} to {}",
                l.party,
                text_or(&l.start, "?"),
                text_or(&l.end, "?")
            ));
        }
    }
    if !d.findings.is_empty() {
        out.push(String::new());
        for f in &d.findings {
            out.push(format!("! {}: {}", f.code, f.message));
        }
    }
    let mut s = out.join("\n");
    s.push('\n');
    s
}

fn status_word(s: ItemStatus) -> &'static str {
    match s {
        ItemStatus::Added => "added",
        ItemStatus::Removed => "removed",
        ItemStatus::Changed => "changed",
        ItemStatus::Unchanged => "unchanged",
    }
}

fn option_kind(k: OptionMoveKind) -> &'static str {
    match k {
        OptionMoveKind::Granted => "granted",
        OptionMoveKind::Exercised => "exercised",
        OptionMoveKind::Cancelled => "cancelled",
        OptionMoveKind::Lapsed => "lapsed",
        OptionMoveKind::Other => "other",
    }
}

/// "0", "0.00", "-", "" : nothing moved.
fn is_zero(s: &str) -> bool {
    s.chars().all(|c| matches!(c, '0' | '.' | ',' | '-'))
}

fn movement_text(m: &OtherMovement) -> String {
    let mut s = m.kind.as_str().replace('_', " ");
    if let Some(k) = &m.class_key {
        s.push_str(&format!(" {k}"));
    }
    s.push_str(&format!(
        " {}",
        m.amount.map(signed).unwrap_or_else(|| "?".to_string())
    ));
    if let Some(p) = &m.price {
        s.push_str(&format!(" at {p}"));
    }
    if let Some(d) = &m.date {
        s.push_str(&format!(" on {d}"));
    }
    if m.pending {
        s.push_str(" (not yet cancelled)");
    }
    s
}

fn ndr_text(m: &NdrMovement) -> String {
    let mut s = String::new();
    if let Some(d) = &m.date {
        s.push_str(d);
        s.push(' ');
    }
    s.push_str(&m.kind.as_str().replace('_', " "));
    if let Some(k) = &m.class_key {
        s.push_str(&format!(" {k}"));
    }
    s.push_str(&format!(
        " {}",
        m.amount.map(signed).unwrap_or_else(|| "?".to_string())
    ));
    if let Some(p) = &m.price {
        let cur = m
            .currency
            .as_deref()
            .map(|c| format!("{c} "))
            .unwrap_or_default();
        s.push_str(&format!(" at {cur}{p}"));
    }
    if m.pending {
        s.push_str(" (not yet cancelled)");
    }
    s
}
