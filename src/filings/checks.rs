//! Single-filing arithmetic cross-checks (FORMATS.md section 4) -> findings.
//!
//! Generic over every form: a check runs only where the filing holds the
//! figures it needs, and says `not_checkable` where the form does not print them.
//! Each finding code means:
//! - `balance_arithmetic` (warning): opening + change != closing for a class's
//!   authorised, issued, treasury or total balance, or for an option scheme
//!   (opening + movements != closing).
//! - `par_times_shares` (warning): a class's authorised shares at close x par
//!   value != the stated capital; at most one per class.
//! - `total_mismatch` (warning): the classes' authorised capitals do not add up to
//!   the stated total authorised capital.
//! - `movements_vs_change` (warning): new shares under section III (A) schemes,
//!   (B) warrants, (C) convertibles, (D) other issues and (E) other movements
//!   (pending repurchases excluded) != the change in issued shares of the class.
//! - `not_checkable` (info): an option scheme without opening or closing columns
//!   (the legacy form), so its balance cannot be checked.
//! - `issuer_inconsistency` (warning): the issuer's own figures contradict each
//!   other, e.g. options exercised with no new shares issued.

use super::model::*;

/// Run every single-filing check and append its findings.
pub fn run(f: &mut Filing) {
    let mut out = Vec::new();
    balances(f, &mut out);
    par_and_total(f, &mut out);
    schemes(f, &mut out);
    movements_vs_change(f, &mut out);
    f.findings.extend(out);
}

fn warn(code: &str, msg: String, line: Option<u32>, key: Option<&str>) -> Finding {
    Finding::new(Level::Warning, code, msg).at(line).class(key)
}

fn balances(f: &Filing, out: &mut Vec<Finding>) {
    for c in &f.share_classes {
        let key = Some(c.class_key.as_str());
        let mut check =
            |what: &str, o: Option<i64>, ch: Option<i64>, cl: Option<i64>, line: Option<u32>| {
                if let (Some(o), Some(ch), Some(cl)) = (o, ch, cl) {
                    if o.checked_add(ch) != Some(cl) {
                        out.push(warn(
                            codes::BALANCE_ARITHMETIC,
                            format!(
                                "{} {what}: opening {o} + change {ch} != closing {cl}",
                                c.class_key
                            ),
                            line,
                            key,
                        ));
                    }
                }
            };
        if let Some(a) = &c.authorised {
            check(
                "authorised shares",
                a.opening,
                a.change,
                a.closing,
                a.lines.get("closing").copied(),
            );
        }
        for (what, b) in [
            ("issued shares", &c.issued),
            ("treasury shares", &c.treasury),
            ("total shares", &c.total),
        ] {
            if let Some(b) = b {
                check(
                    what,
                    b.opening,
                    b.change,
                    b.closing,
                    b.lines.get("closing").copied(),
                );
            }
        }
    }
}

/// An exact decimal: mantissa and number of digits after the point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dec {
    mantissa: i128,
    scale: u32,
}

impl Dec {
    /// "0.00000025" -> 25e-8; "49,800" -> 49800. None for anything else.
    pub fn parse(s: &str) -> Option<Dec> {
        let t = s.trim();
        let (neg, t) = match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t),
        };
        let mut mantissa: i128 = 0;
        let mut scale = 0u32;
        let mut seen_dot = false;
        let mut digits = 0;
        for ch in t.chars() {
            match ch {
                '0'..='9' => {
                    mantissa = mantissa
                        .checked_mul(10)?
                        .checked_add(i128::from(ch as u8 - b'0'))?;
                    digits += 1;
                    if seen_dot {
                        scale += 1;
                    }
                }
                '.' if !seen_dot => seen_dot = true,
                ',' if !seen_dot => {}
                _ => return None,
            }
        }
        if digits == 0 || scale > 30 {
            return None;
        }
        Some(Dec {
            mantissa: if neg { -mantissa } else { mantissa },
            scale,
        })
    }

    pub fn mul_int(self, n: i64) -> Option<Dec> {
        Some(Dec {
            mantissa: self.mantissa.checked_mul(i128::from(n))?,
            scale: self.scale,
        })
    }

    pub fn checked_add(self, o: Dec) -> Option<Dec> {
        let s = self.scale.max(o.scale);
        Some(Dec {
            mantissa: self.rescale(s)?.checked_add(o.rescale(s)?)?,
            scale: s,
        })
    }

    fn rescale(self, scale: u32) -> Option<i128> {
        self.mantissa
            .checked_mul(10i128.checked_pow(scale.checked_sub(self.scale)?)?)
    }

    /// Equal in value, whatever the printed scale ("49800" == "49800.00").
    /// None when the comparison overflows.
    pub fn equals(self, o: Dec) -> Option<bool> {
        let s = self.scale.max(o.scale);
        Some(self.rescale(s)? == o.rescale(s)?)
    }
}

impl std::fmt::Display for Dec {
    fn fmt(&self, fm: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let neg = self.mantissa < 0;
        let digits = self.mantissa.unsigned_abs().to_string();
        let scale = self.scale as usize;
        let padded = if digits.len() <= scale {
            format!("{}{digits}", "0".repeat(scale + 1 - digits.len()))
        } else {
            digits
        };
        let (int, frac) = padded.split_at(padded.len() - scale);
        let frac = frac.trim_end_matches('0');
        write!(
            fm,
            "{}{int}{}{frac}",
            if neg { "-" } else { "" },
            if frac.is_empty() { "" } else { "." }
        )
    }
}

fn par_and_total(f: &Filing, out: &mut Vec<Finding>) {
    let mut sum: Option<Dec> = Some(Dec {
        mantissa: 0,
        scale: 0,
    });
    let mut currencies: Vec<&str> = Vec::new();
    let mut any = false;
    for c in &f.share_classes {
        let Some(a) = &c.authorised else { continue };
        let key = Some(c.class_key.as_str());
        let capital = a.capital.as_deref().and_then(Dec::parse);
        if let (Some(shares), Some(par), Some(cap)) = (
            a.closing,
            a.par_value.as_deref().and_then(Dec::parse),
            capital,
        ) {
            if let Some(product) = par.mul_int(shares) {
                if product.equals(cap) == Some(false) {
                    out.push(warn(
                        codes::PAR_TIMES_SHARES,
                        format!(
                            "{}: {shares} shares x par {} {} = {product}, but the stated capital is {}",
                            c.class_key,
                            a.par_value.as_deref().unwrap_or(""),
                            a.currency.as_deref().unwrap_or(""),
                            a.capital.as_deref().unwrap_or("")
                        ),
                        a.lines.get("capital").copied(),
                        key,
                    ));
                }
            }
        }
        any = true;
        sum = match (sum, capital) {
            (Some(s), Some(c)) => s.checked_add(c),
            _ => None,
        };
        if let Some(cur) = a.currency.as_deref() {
            if !currencies.contains(&cur) {
                currencies.push(cur);
            }
        }
    }
    let total = f.authorised_total.as_deref().and_then(Dec::parse);
    if let (true, Some(sum), Some(total), true) = (any, sum, total, currencies.len() <= 1) {
        let same_currency = match (currencies.first(), f.authorised_total_currency.as_deref()) {
            (Some(a), Some(b)) => *a == b,
            _ => true,
        };
        if same_currency && sum.equals(total) == Some(false) {
            out.push(warn(
                codes::TOTAL_MISMATCH,
                format!("the classes' authorised capitals add up to {sum}, but the stated total is {total}"),
                f.lines.get("authorised_total").copied(),
                None,
            ));
        }
    }
}

fn schemes(f: &Filing, out: &mut Vec<Finding>) {
    for s in &f.option_schemes {
        let key = s.class_key.as_deref();
        let line = s.lines.get("scheme").copied();
        let moved: i64 = s.movements.iter().map(|m| m.amount).sum();
        match (s.opening, s.closing) {
            (Some(o), Some(c)) if o.checked_add(moved) != Some(c) => {
                out.push(warn(
                    codes::BALANCE_ARITHMETIC,
                    format!(
                        "option scheme \"{}\": opening {o} + movements {moved} != closing {c}",
                        s.scheme
                    ),
                    line,
                    key,
                ));
            }
            (None, None) => out.push(
                Finding::new(
                    Level::Info,
                    codes::NOT_CHECKABLE,
                    format!(
                        "option scheme \"{}\": the form prints no outstanding balances to check",
                        s.scheme
                    ),
                )
                .at(line)
                .class(key),
            ),
            _ => {}
        }
        let exercised = s.moved(OptionMoveKind::Exercised);
        // Since treasury shares, an exercise may be met from treasury (A2).
        let from_treasury = s
            .raw
            .get("treasury_transferred")
            .and_then(|r| crate::filings::parse::values::parse_int(r))
            .unwrap_or(0);
        // Options granted are shares that may be issued: a column printed
        // "N/A" beside a grant contradicts it (issuers sometimes leave
        // unvested options out; the remarks then say so).
        let granted = s.moved(OptionMoveKind::Granted);
        if let Some(word) = s.issuable_printed_as_word().filter(|_| granted > 0) {
            out.push(warn(
                codes::ISSUER_INCONSISTENCY,
                format!(
                    "option scheme \"{}\": {granted} options granted this month, but the \
                         shares issuable under the scheme at the close are printed {word:?} (the \
                         remarks may say why: options not yet vested are sometimes left out)",
                    s.scheme,
                ),
                s.movements
                    .iter()
                    .find(|m| m.kind == OptionMoveKind::Granted)
                    .and_then(|m| m.line)
                    .or(line),
                key,
            ));
        }
        if exercised != 0 && s.new_shares_issued.unwrap_or(0) == 0 && from_treasury == 0 {
            out.push(warn(
                codes::ISSUER_INCONSISTENCY,
                format!(
                    "option scheme \"{}\": {} options exercised but no new shares issued",
                    s.scheme, -exercised
                ),
                line,
                key,
            ));
        }
    }
}

/// The new shares section III gives class `key` (option schemes, warrants,
/// convertibles, other issues and other movements, pending ones left out),
/// and how many items gave them. Items with no class are given to the only
/// class when there is one.
pub(crate) fn section_iii_new_shares(f: &Filing, key: &str) -> (i64, usize) {
    let single = (f.share_classes.len() == 1).then(|| f.share_classes[0].class_key.as_str());
    let belongs = |k: &Option<String>| match k {
        Some(k) => k == key,
        None => single == Some(key),
    };
    let mut sum: i64 = 0;
    let mut items = 0;
    let mut add = |v: Option<i64>| {
        sum = sum.saturating_add(v.unwrap_or(0));
        items += 1;
    };
    for s in f.option_schemes.iter().filter(|s| belongs(&s.class_key)) {
        add(s.new_shares_issued);
    }
    for w in f.warrants.iter().filter(|w| belongs(&w.class_key)) {
        add(w.new_shares_issued);
    }
    for v in f.convertibles.iter().filter(|v| belongs(&v.class_key)) {
        add(v.new_shares_issued);
    }
    for m in f.other_issues.iter().chain(f.other_movements.iter()) {
        if belongs(&m.class_key) && !m.pending {
            add(m.amount);
        }
    }
    (sum, items)
}

/// New shares from section III add up to the change in issued shares, per
/// class.
fn movements_vs_change(f: &Filing, out: &mut Vec<Finding>) {
    if f.kind != Kind::MonthlyReturn {
        return;
    }
    for c in &f.share_classes {
        let Some(change) = c.issued.as_ref().and_then(|b| b.change) else {
            continue;
        };
        let key = c.class_key.as_str();
        let (sum, items) = section_iii_new_shares(f, key);
        if sum != change && (items > 0 || change != 0) {
            out.push(warn(
                codes::MOVEMENTS_VS_CHANGE,
                format!("{key}: new shares under section III add up to {sum}, but issued shares changed by {change}"),
                c.issued.as_ref().and_then(|b| b.lines.get("change").copied()),
                Some(key),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filing() -> Filing {
        Filing::new("t.txt", Kind::MonthlyReturn, Form::Ff301V11)
    }

    fn class(key: &str) -> ShareClass {
        ShareClass {
            class_key: key.into(),
            ..ShareClass::default()
        }
    }

    fn codes_of(f: &Filing) -> Vec<&str> {
        f.findings.iter().map(|x| x.code.as_str()).collect()
    }

    #[test]
    fn exact_decimals_multiply_without_floats() {
        let par = Dec::parse("0.00000025").unwrap();
        assert_eq!(
            par.mul_int(1_992_000_000_000).unwrap().to_string(),
            "498000"
        );
        assert_eq!(
            Dec::parse("49800")
                .unwrap()
                .equals(Dec::parse("49,800.00").unwrap()),
            Some(true)
        );
        assert_eq!(
            Dec::parse("0.1").unwrap().mul_int(3).unwrap().to_string(),
            "0.3"
        );
        assert_eq!(Dec::parse("1.2.3"), None);
    }

    #[test]
    fn an_issued_balance_that_does_not_add_up_is_a_balance_arithmetic_finding() {
        let mut f = filing();
        let mut c = class("01234");
        c.issued = Some(Balance {
            opening: Some(100),
            change: Some(5),
            closing: Some(104),
            ..Balance::default()
        });
        f.share_classes.push(c);
        run(&mut f);
        assert!(codes_of(&f).contains(&codes::BALANCE_ARITHMETIC));
    }

    #[test]
    fn a_par_value_off_by_ten_is_flagged_once_per_class_and_a_matching_total_is_not() {
        let mut f = filing();
        for (key, shares, cap) in [
            ("00020", 1_992_000_000_000, "49800"),
            ("class-a", 8_000_000_000, "200"),
        ] {
            let mut c = class(key);
            c.authorised = Some(Authorised {
                opening: Some(shares),
                change: Some(0),
                closing: Some(shares),
                par_value: Some("0.00000025".into()),
                currency: Some("USD".into()),
                capital: Some(cap.into()),
                ..Authorised::default()
            });
            f.share_classes.push(c);
        }
        f.authorised_total = Some("50000".into());
        f.authorised_total_currency = Some("USD".into());
        run(&mut f);
        assert_eq!(
            codes_of(&f),
            vec![codes::PAR_TIMES_SHARES, codes::PAR_TIMES_SHARES]
        );
    }

    #[test]
    fn class_capitals_that_miss_the_stated_total_are_a_total_mismatch() {
        let mut f = filing();
        let mut c = class("01234");
        c.authorised = Some(Authorised {
            closing: Some(1000),
            par_value: Some("0.1".into()),
            capital: Some("100".into()),
            ..Authorised::default()
        });
        f.share_classes.push(c);
        f.authorised_total = Some("150".into());
        run(&mut f);
        assert_eq!(codes_of(&f), vec![codes::TOTAL_MISMATCH]);
    }

    #[test]
    fn new_shares_and_repurchases_must_add_up_to_the_change_pending_ones_excluded() {
        let mut f = filing();
        let mut c = class("01234");
        c.issued = Some(Balance {
            opening: Some(1000),
            change: Some(-50),
            closing: Some(950),
            ..Balance::default()
        });
        f.share_classes.push(c);
        f.option_schemes.push(OptionScheme {
            new_shares_issued: Some(50),
            opening: Some(80),
            closing: Some(30),
            movements: vec![OptionMovement {
                kind: OptionMoveKind::Exercised,
                amount: -50,
                note: None,
                line: None,
            }],
            ..OptionScheme::default()
        });
        let rep = |amount, pending| OtherMovement {
            kind: MovementKind::Repurchase,
            class_key: None,
            amount: Some(amount),
            date: None,
            price: None,
            pending,
            description: None,
            issuable_at_close: None,
            lines: Lines::new(),
        };
        f.other_movements.push(rep(-100, false));
        f.other_movements.push(rep(-30, true));
        run(&mut f);
        assert!(codes_of(&f).is_empty(), "{:?}", f.findings);
        f.findings.clear();
        f.other_movements[1].pending = false;
        run(&mut f);
        assert_eq!(codes_of(&f), vec![codes::MOVEMENTS_VS_CHANGE]);
    }

    #[test]
    fn a_legacy_scheme_without_balances_is_not_checkable() {
        let mut f = filing();
        f.option_schemes.push(OptionScheme {
            scheme: "2002 Scheme".into(),
            movements: vec![OptionMovement {
                kind: OptionMoveKind::Lapsed,
                amount: -10,
                note: None,
                line: None,
            }],
            ..OptionScheme::default()
        });
        run(&mut f);
        assert_eq!(codes_of(&f), vec![codes::NOT_CHECKABLE]);
    }

    #[test]
    fn options_exercised_with_no_new_shares_are_an_issuer_inconsistency() {
        let mut f = filing();
        f.option_schemes.push(OptionScheme {
            scheme: "2015 Scheme".into(),
            opening: Some(100),
            closing: Some(90),
            new_shares_issued: Some(0),
            movements: vec![OptionMovement {
                kind: OptionMoveKind::Exercised,
                amount: -10,
                note: None,
                line: None,
            }],
            ..OptionScheme::default()
        });
        run(&mut f);
        assert_eq!(codes_of(&f), vec![codes::ISSUER_INCONSISTENCY]);
    }

    #[test]
    fn options_granted_beside_an_issuable_column_of_n_a_are_an_issuer_inconsistency() {
        let mut f = filing();
        let mut raw = Raw::new();
        raw.insert("issuable_at_close".to_string(), "N/A".to_string());
        f.option_schemes.push(OptionScheme {
            scheme: "Share Option Scheme".into(),
            raw,
            movements: vec![OptionMovement {
                kind: OptionMoveKind::Granted,
                amount: 37_000_000,
                note: None,
                line: Some(123),
            }],
            ..OptionScheme::default()
        });
        run(&mut f);
        let found: Vec<_> = f
            .findings
            .iter()
            .filter(|x| x.code == codes::ISSUER_INCONSISTENCY)
            .collect();
        assert_eq!(found.len(), 1, "{:?}", f.findings);
        assert!(found[0].message.contains("37000000 options granted"));
        assert_eq!(found[0].line, Some(123));
        // A number in the column (even 0: shares bought for the scheme) is
        // the issuer's figure, not a contradiction.
        for read in [Some(0), Some(37_000_000)] {
            f.findings.clear();
            f.option_schemes[0].issuable_at_close = read;
            f.option_schemes[0]
                .raw
                .insert("issuable_at_close".into(), "0".into());
            run(&mut f);
            assert!(
                !codes_of(&f).contains(&codes::ISSUER_INCONSISTENCY),
                "{read:?}: {:?}",
                f.findings
            );
        }
    }

    #[test]
    fn a_scheme_whose_movements_do_not_reach_its_closing_is_a_balance_arithmetic_finding() {
        let mut f = filing();
        f.option_schemes.push(OptionScheme {
            scheme: "S".into(),
            opening: Some(100),
            closing: Some(95),
            ..OptionScheme::default()
        });
        run(&mut f);
        assert_eq!(codes_of(&f), vec![codes::BALANCE_ARITHMETIC]);
    }
}
