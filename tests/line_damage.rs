//! Exhaustive line damage: every return fixture with each of its lines
//! deleted, and with each of its lines printed twice, keeps the mutation
//! rule (a number is the undamaged one, or null with a warning finding).
//! The property tests sample such damage at random; this walks all of it.

mod robust_support;

use robust_support::{never_a_different_number, parse_str, return_fixtures};

#[test]
fn every_line_deleted_or_doubled_keeps_the_rule() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for (name, text) in return_fixtures() {
        let Some(good) = parse_str(&name, &text) else {
            continue;
        };
        let lines: Vec<&str> = text.lines().collect();
        for i in 0..lines.len() {
            for doubled in [false, true] {
                let mut damaged = lines.clone();
                if doubled {
                    damaged.insert(i, lines[i]);
                } else {
                    damaged.remove(i);
                }
                cases += 1;
                let Some(f) = parse_str(&name, &damaged.join("\n")) else {
                    continue;
                };
                if let Err(m) = never_a_different_number(&good, &f) {
                    let what = if doubled { "doubled" } else { "deleted" };
                    failures.push(format!("{name}: line {} {what}: {m}", i + 1));
                }
            }
        }
    }
    assert!(
        cases > 1000,
        "only {cases} damaged texts: fixtures missing?"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
