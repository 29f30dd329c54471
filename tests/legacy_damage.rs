//! Every single damage of the legacy returns, tried one by one: a space or
//! tab inside each number, each line deleted or doubled, each pair of row
//! labels swapped. The rule of the fuzz tests, exhaustively: every number the
//! damaged return presents is the one the good return read at the same
//! place, or null with a warning finding.

mod robust_support;

use hkfilings::filings::model::Filing;
use robust_support::{never_a_different_number, parse_str, return_fixtures};

/// Option schemes keyed by their place in the return rather than their
/// name: a damaged particulars cell ("Option" lost from "Share Option
/// Scheme") renames a scheme without changing its figures.
fn schemes_by_place(mut f: Filing) -> Filing {
    for (i, s) in f.option_schemes.iter_mut().enumerate() {
        s.scheme = format!("scheme #{}", i + 1);
    }
    f
}

/// The legacy fixtures and generated legacy returns in each extraction style.
fn bases() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = return_fixtures()
        .into_iter()
        .filter(|(n, t)| parse_str(n, t).is_some_and(|f| f.form.as_str() == "legacy"))
        .collect();
    let cfg = hkfilings::gen::GenConfig {
        issuers: 4,
        months: 30,
        start: (2019, 1),
        seed: 11,
        damage_rate: 0.0,
        ndr_per_issuer_year: 2,
        announcements: false,
        resubmissions: false,
    };
    let mut per_style: std::collections::BTreeMap<String, usize> = Default::default();
    for g in hkfilings::gen::generate(&cfg) {
        if g.form() != "legacy" {
            continue;
        }
        let n = per_style.entry(g.style().to_string()).or_default();
        if *n < 1 {
            *n += 1;
            out.push((format!("gen legacy/{} {}", g.style(), g.rel_path), g.text));
        }
    }
    out
}

const SWAPS: &[(&str, &str)] = &[
    (
        "Balance at close of preceding month",
        "Balance at close of the month",
    ),
    ("Increase / decrease (-)", "Balance at close of the month"),
];

/// Every single damage of `text`, each with a name.
fn damages(text: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let join = |ls: &[String]| ls.join("\n");
    let owned: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let mut out = Vec::new();
    for i in 0..lines.len() {
        // A blank line deleted or doubled changes nothing the parser reads.
        if lines[i].trim().is_empty() {
            continue;
        }
        let mut d = owned.clone();
        d.remove(i);
        out.push((format!("delete line {}", i + 1), join(&d)));
        let mut d = owned.clone();
        d.insert(i, owned[i].clone());
        out.push((format!("double line {}", i + 1), join(&d)));
        let chars: Vec<(usize, char)> = lines[i].char_indices().collect();
        for w in chars.windows(2) {
            let ((_, a), (p, b)) = (w[0], w[1]);
            if a.is_ascii_digit() && (b.is_ascii_digit() || b == ',') {
                for sep in [' ', '\t'] {
                    let mut d = owned.clone();
                    d[i].insert(p, sep);
                    out.push((
                        format!("{sep:?} in line {}: {}", i + 1, d[i].trim()),
                        join(&d),
                    ));
                }
            }
        }
    }
    for (x, y) in SWAPS {
        let rows: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].contains(x) || lines[i].contains(y))
            .collect();
        for &i in &rows {
            for &j in &rows {
                if i >= j {
                    continue;
                }
                let label = |l: &str| if l.contains(x) { *x } else { *y };
                let (li, lj) = (label(lines[i]), label(lines[j]));
                if li == lj {
                    continue;
                }
                let mut d = owned.clone();
                d[i] = d[i].replacen(li, lj, 1);
                d[j] = d[j].replacen(lj, li, 1);
                out.push((format!("swap lines {} and {}", i + 1, j + 1), join(&d)));
            }
        }
    }
    out
}

#[test]
fn every_single_damage_gives_the_numbers_or_null_with_a_finding() {
    let mut failures = Vec::new();
    let mut tried = 0;
    let only = std::env::var("LEGACY_DAMAGE_ONLY").unwrap_or_default();
    for (name, text) in bases() {
        if !name.contains(&only) {
            continue;
        }
        let good = schemes_by_place(parse_str(&name, &text).expect("a base is a filing"));
        for (what, damaged) in damages(&text) {
            tried += 1;
            if let Some(f) = parse_str(&name, &damaged).map(schemes_by_place) {
                if let Err(m) = never_a_different_number(&good, &f) {
                    failures.push(format!("{name}, {what}: {m}"));
                }
            }
        }
    }
    assert!(
        tried > 1000 || !only.is_empty(),
        "only {tried} damages tried"
    );
    assert!(
        failures.is_empty(),
        "{} of {tried} damages broke the rule:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
