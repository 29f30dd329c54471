//! The corpus generator: deterministic, internally consistent, complete; and
//! the scoring of the parsers against its truth.

use hkfilings::filings::model::Entry;
use hkfilings::filings::parse::parse_text;
use hkfilings::gen::{demo_config, generate, write_corpus, GenConfig, GeneratedFile};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn demo() -> Vec<GeneratedFile> {
    generate(&demo_config()).collect()
}

fn i(v: &Value) -> i64 {
    v.as_i64().unwrap_or(i64::MIN)
}

fn variant(f: &GeneratedFile) -> &str {
    f.truth["_gen"]["variant"].as_str().unwrap_or("")
}

fn expects(f: &GeneratedFile, code: &str) -> bool {
    f.truth["expect_findings"]
        .as_array()
        .is_some_and(|a| a.iter().any(|c| c == code))
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_other_ones() {
    let a: Vec<_> = generate(&demo_config()).collect();
    let b: Vec<_> = generate(&demo_config()).collect();
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.rel_path, y.rel_path);
        assert_eq!(x.text, y.text, "{} differs between runs", x.rel_path);
        assert_eq!(x.truth, y.truth);
        assert_eq!(x.damage, y.damage);
    }
    let other = GenConfig {
        seed: 99,
        ..demo_config()
    };
    let c: Vec<_> = generate(&other).collect();
    assert_ne!(
        a.iter().map(|f| &f.text).collect::<Vec<_>>(),
        c.iter().map(|f| &f.text).collect::<Vec<_>>()
    );
}

#[test]
fn paths_are_unique_and_nested_by_issuer_and_year() {
    let files = demo();
    let mut seen = BTreeSet::new();
    for f in &files {
        assert!(
            seen.insert(f.rel_path.clone()),
            "duplicate path {}",
            f.rel_path
        );
        let parts: Vec<&str> = f.rel_path.split('/').collect();
        assert_eq!(parts.len(), 3, "{}", f.rel_path);
        assert_eq!(parts[0].len(), 5);
        assert!(parts[0].chars().all(|c| c.is_ascii_digit()));
        assert_eq!(parts[1].len(), 4);
    }
}

fn check_chains(files: &[GeneratedFile]) {
    // issuer -> class_key -> closing of the previous month
    let mut last: BTreeMap<(u64, String), i64> = BTreeMap::new();
    let mut last_scheme: BTreeMap<(u64, String), i64> = BTreeMap::new();
    let mut checked = 0;
    for f in files
        .iter()
        .filter(|f| f.kind() == "monthly_return" && variant(f) == "original")
    {
        let t = &f.truth;
        let who = t["_gen"]["issuer_index"].as_u64().unwrap_or(u64::MAX);
        let ctx = format!("{} {}", f.rel_path, t["period"]);
        for (n, c) in t["share_classes"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let key = c["class_key"].as_str().unwrap_or("").to_string();
            for part in ["issued", "treasury", "total", "authorised"] {
                let b = &c[part];
                if b.is_null() {
                    continue;
                }
                assert_eq!(
                    i(&b["opening"]) + i(&b["change"]),
                    i(&b["closing"]),
                    "{ctx} {key} {part} does not balance"
                );
            }
            let issued = &c["issued"];
            if let Some(prev) = last.insert((who, key.clone()), i(&issued["closing"])) {
                // The deliberate chain break is on the first class.
                if n > 0 || !expects(f, "chain_break") {
                    assert_eq!(
                        prev,
                        i(&issued["opening"]),
                        "{ctx} {key}: opening is not last month's closing"
                    );
                } else {
                    assert_ne!(
                        prev,
                        i(&issued["opening"]),
                        "{ctx}: a chain break that is not one"
                    );
                }
            }
            // New shares under section III add up to the change in issued shares.
            let of_class = |v: &Value| {
                v["class_key"].as_str() == Some(key.as_str()) || v["class_key"].is_null()
            };
            let mut new = 0;
            for s in t["option_schemes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|s| of_class(s))
            {
                new += i(&s["new_shares_issued"]);
            }
            if c["stock_code"].as_str() == t["stock_codes"][0].as_str() {
                for w in t["warrants"].as_array().into_iter().flatten() {
                    new += i(&w["new_shares_issued"]);
                }
                for v in t["convertibles"].as_array().into_iter().flatten() {
                    new += i(&v["new_shares_issued"]);
                }
            }
            for o in t["other_movements"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|o| of_class(o))
            {
                if o["pending"] != Value::Bool(true) {
                    new += i(&o["amount"]);
                }
            }
            if !(n == 0 && expects(f, "movements_vs_change")) {
                assert_eq!(
                    new,
                    i(&issued["change"]),
                    "{ctx} {key}: section III does not add up to the change"
                );
            }
        }
        for s in t["option_schemes"].as_array().into_iter().flatten() {
            let name = s["scheme"].as_str().unwrap_or("").to_string();
            let moves: i64 = s["movements"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|m| i(&m["amount"]))
                .sum();
            for m in s["movements"].as_array().into_iter().flatten() {
                let a = i(&m["amount"]);
                match m["kind"].as_str() {
                    Some("granted") => assert!(a > 0, "{ctx}: a grant is positive"),
                    Some("exercised" | "cancelled" | "lapsed") => {
                        assert!(a < 0, "{ctx}: {m} is negative")
                    }
                    _ => {}
                }
            }
            if s["opening"].is_null() {
                assert_eq!(
                    t["form"], "legacy",
                    "only the legacy form has no outstanding options"
                );
                continue;
            }
            assert_eq!(
                i(&s["opening"]) + moves,
                i(&s["closing"]),
                "{ctx} {name} does not balance"
            );
            if let Some(prev) = last_scheme.insert((who, name.clone()), i(&s["closing"])) {
                assert_eq!(
                    prev,
                    i(&s["opening"]),
                    "{ctx} {name}: opening is not last month's closing"
                );
            }
        }
        checked += 1;
    }
    assert!(checked > 100, "only {checked} returns checked");
}

#[test]
fn share_counts_chain_month_to_month_and_balance_in_the_truth() {
    check_chains(&demo());
    check_chains(
        &generate(&GenConfig {
            issuers: 8,
            months: 40,
            start: (2019, 3),
            seed: 5,
            ..GenConfig::default()
        })
        .collect::<Vec<_>>(),
    );
}

#[test]
fn the_demo_holds_every_kind_form_style_and_structure() {
    let files = demo();
    let mut by: BTreeMap<String, usize> = BTreeMap::new();
    let mut bump = |k: String| *by.entry(k).or_default() += 1;
    for f in &files {
        bump(format!("kind {}", f.kind()));
        bump(format!("form {}", f.form()));
        bump(format!("style {} {}", f.kind(), f.style()));
        bump(format!(
            "structure {}",
            f.truth["_gen"]["structure"].as_str().unwrap_or("")
        ));
        bump(format!("variant {} {}", f.kind(), variant(f)));
        let t = &f.truth;
        if t["status"] == "amendment" {
            bump("status amendment".into());
        }
        if f.form() == "legacy" && variant(f) == "resubmission" {
            bump("legacy resubmitted later".into());
        }
        for c in t["expect_findings"].as_array().into_iter().flatten() {
            bump(format!("expect {}", c.as_str().unwrap_or("")));
        }
        for c in t["share_classes"].as_array().into_iter().flatten() {
            if f.kind() != "monthly_return" {
                continue;
            }
            if c["authorised"].is_null() {
                bump("no-par class".into());
            }
            if c["other_code"].as_str().is_some_and(|s| s.len() == 6) {
                bump("A shares with a six-digit code".into());
            }
            if c["listed"] == false {
                bump("unlisted class".into());
            }
            if i(&c["treasury"]["change"]) > 0 && i(&c["treasury"]["change"]) != i64::MIN {
                bump("treasury shares bought".into());
            }
            if c["authorised"]["change"].as_i64().is_some_and(|v| v != 0) {
                bump("authorised capital increased".into());
            }
        }
        if t["stock_codes"].as_array().is_some_and(|a| a.len() > 1) {
            bump("multi-counter code".into());
        }
        for s in t["option_schemes"].as_array().into_iter().flatten() {
            for m in s["movements"].as_array().into_iter().flatten() {
                bump(format!("option {}", m["kind"].as_str().unwrap_or("")));
            }
        }
        if t["warrants"].as_array().is_some_and(|a| !a.is_empty()) {
            bump("warrants".into());
        }
        if t["convertibles"]
            .as_array()
            .is_some_and(|a| a.iter().any(|v| v["converted"] != "0"))
        {
            bump("conversions".into());
        }
        for o in t["other_movements"].as_array().into_iter().flatten() {
            bump(format!(
                "other {} pending={}",
                o["kind"].as_str().unwrap_or(""),
                o["pending"]
            ));
        }
        for m in t["movements"].as_array().into_iter().flatten() {
            bump(format!("ndr {}", m["kind"].as_str().unwrap_or("")));
        }
        for l in t["lockups"].as_array().into_iter().flatten() {
            bump(format!("lockup {}", l["kind"].as_str().unwrap_or("")));
            if !l["entity"].is_null() {
                bump("lockup with entity".into());
            }
        }
        if f.kind() == "announcement" && t["lockups"].as_array().is_some_and(|a| a.is_empty()) {
            bump("plain announcement".into());
        }
    }
    let text = |needle: &str| files.iter().filter(|f| f.text.contains(needle)).count();
    by.insert(
        "lock-up 'respectively'".into(),
        text("respectively) have voluntarily undertaken"),
    );
    by.insert("lock-up 'from .. to ..'".into(), text("held by him from "));
    by.insert("lock-up 'N months from'".into(), text(" months from "));
    by.insert(
        "lock-up extension".into(),
        text("agreed to extend the lock-up period"),
    );
    by.insert(
        "no-par section I".into(),
        text("I. Movements in Authorised / Registered Share Capital\tNot applicable"),
    );
    for (k, v) in &by {
        println!("{v:6}  {k}");
    }
    let must = [
        "kind monthly_return",
        "kind next_day_return",
        "kind announcement",
        "form legacy",
        "form ff301-1.0",
        "form ff301-1.1",
        "form ff301-1.2",
        "form ndr-legacy",
        "form ff304",
        "form ff305",
        "style monthly_return tab",
        "style monthly_return layout",
        "style monthly_return raw",
        "style monthly_return pypdf",
        "style next_day_return tab",
        "style next_day_return layout",
        "structure ordinary",
        "structure wvr",
        "structure h_and_a_shares",
        "structure no_par",
        "variant monthly_return duplicate",
        "variant monthly_return resubmission",
        "status amendment",
        "no-par class",
        "A shares with a six-digit code",
        "unlisted class",
        "treasury shares bought",
        "multi-counter code",
        "option granted",
        "option exercised",
        "option cancelled",
        "option lapsed",
        "option other",
        "warrants",
        "conversions",
        "authorised capital increased",
        "other placing pending=false",
        "other repurchase pending=false",
        "other repurchase pending=true",
        "ndr exercise",
        "ndr repurchase",
        "ndr placing",
        "lockup undertaking",
        "lockup extension",
        "lockup with entity",
        "plain announcement",
        "lock-up 'respectively'",
        "lock-up 'from .. to ..'",
        "lock-up 'N months from'",
        "lock-up extension",
        "expect par_times_shares",
        "expect issuer_inconsistency",
        "expect movements_vs_change",
        "expect chain_break",
    ];
    let missing: Vec<&str> = must
        .iter()
        .copied()
        .filter(|k| by.get(*k).copied().unwrap_or(0) == 0)
        .collect();
    assert!(missing.is_empty(), "the demo lacks: {missing:?}");
    assert!(by["kind monthly_return"] >= 12 * 24);
}

#[test]
fn a_legacy_issuer_resubmits_with_a_later_date_and_no_status() {
    let files: Vec<_> = generate(&GenConfig {
        issuers: 8,
        months: 30,
        start: (2015, 1),
        seed: 3,
        ..GenConfig::default()
    })
    .collect();
    let again: Vec<_> = files
        .iter()
        .filter(|f| f.form() == "legacy" && variant(f) == "resubmission")
        .collect();
    assert!(!again.is_empty());
    for r in again {
        let first = files
            .iter()
            .find(|f| {
                variant(f) == "original"
                    && f.form() == "legacy"
                    && f.truth["issuer"] == r.truth["issuer"]
                    && f.truth["period"] == r.truth["period"]
            })
            .expect("the original return");
        assert!(r.truth["date"].as_str() > first.truth["date"].as_str());
        assert!(r.truth["status"].is_null());
        assert!(!r.text.contains("Status:"));
    }
}

/// The demo's last series ends with October 2026's return, submitted early
/// in November: nothing in it is dated in a month still to come.
#[test]
fn the_demo_ends_in_november_2026() {
    let files = demo();
    let latest = |key: &str| {
        files
            .iter()
            .filter_map(|f| f.truth[key].as_str())
            .max()
            .unwrap_or("")
            .to_string()
    };
    assert!(latest("date").starts_with("2026-11"), "{}", latest("date"));
    assert_eq!(latest("period"), "2026-10");
}

#[test]
fn duplicates_are_byte_identical_copies() {
    let files = demo();
    let dups: Vec<_> = files.iter().filter(|f| variant(f) == "duplicate").collect();
    assert!(!dups.is_empty());
    for d in dups {
        let orig_path = d.rel_path.replace("(1).txt", ".txt");
        let orig = files
            .iter()
            .find(|f| f.rel_path == orig_path)
            .expect("original of a duplicate");
        assert_eq!(orig.text, d.text);
    }
}

#[test]
fn damage_is_listed_per_file_and_absent_at_rate_zero() {
    let clean: Vec<_> = generate(&GenConfig {
        damage_rate: 0.0,
        ..demo_config()
    })
    .collect();
    assert!(clean.iter().all(|f| f.damage.is_empty()));
    let damaged: Vec<_> = generate(&GenConfig {
        damage_rate: 0.2,
        ..demo_config()
    })
    .collect();
    let kinds: BTreeSet<String> = damaged
        .iter()
        .flat_map(|f| {
            f.damage
                .iter()
                .map(|d| d.split('@').next().unwrap_or("").to_string())
        })
        .collect();
    for k in [
        "tab_in_number",
        "label_cut_doubled",
        "lookalike_letter",
        "glued_label_number",
        "option_opening_cut",
        "scattered_header",
    ] {
        assert!(kinds.contains(k), "no {k} damage in {kinds:?}");
    }
    // Damage changes the text, never the truth.
    for (a, b) in clean.iter().zip(&damaged) {
        assert_eq!(a.truth, b.truth);
        if b.damage.is_empty() {
            assert_eq!(a.text, b.text);
        }
    }
    assert!(
        damaged.iter().any(|f| f.text.contains('\u{435}')),
        "a Cyrillic e somewhere"
    );
}

#[test]
fn write_corpus_writes_files_truth_and_manifest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cfg = GenConfig {
        issuers: 3,
        months: 6,
        damage_rate: 0.1,
        ..GenConfig::default()
    };
    let s = write_corpus(dir.path(), &cfg).expect("written");
    assert_eq!(s.files, generate(&cfg).count());
    assert_eq!(s.by_kind.values().sum::<usize>(), s.files);
    let truth = std::fs::read_to_string(dir.path().join("truth.jsonl")).expect("truth.jsonl");
    assert_eq!(truth.lines().count(), s.files);
    for line in truth.lines() {
        let v: Value = serde_json::from_str(line).expect("json line");
        let file = v["file"].as_str().expect("file");
        assert!(dir.path().join(file).is_file(), "{file} written");
        assert!(v["truth"]["kind"].is_string());
    }
    let m: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("manifest.json")).expect("manifest"),
    )
    .expect("json");
    assert_eq!(m["config"]["issuers"], 3);
    assert_eq!(m["summary"]["files"], s.files);
    assert_eq!(
        m["damage"].as_object().map(|o| o.len()),
        Some(s.damaged_files)
    );
}

// ---------------------------------------------------------------------------
// Scoring the parsers against the truth.

/// Truth keys compared, per object. Others (`_gen`, `class_key` of schemes,
/// descriptions) are context for readers, not scored.
const TOP: &[&str] = &[
    "kind",
    "form",
    "issuer",
    "issuer_zh",
    "stock_codes",
    "period",
    "date",
    "status",
    "title",
];
const CLASS: &[&str] = &["stock_code", "other_code", "listed"];
const BAL: &[&str] = &[
    "opening",
    "change",
    "closing",
    "par_value",
    "currency",
    "capital",
];
const SCHEME: &[&str] = &[
    "opening",
    "closing",
    "new_shares_issued",
    "issuable_at_close",
];
const WARRANT: &[&str] = &[
    "opening",
    "exercised",
    "closing",
    "new_shares_issued",
    "issuable_at_close",
];
const CONV: &[&str] = &[
    "amount_opening",
    "converted",
    "amount_closing",
    "new_shares_issued",
    "issuable_at_close",
    "conversion_price",
];
const OTHER: &[&str] = &["kind", "amount", "pending"];
const NDR: &[&str] = &["date", "kind", "amount", "pending"];
const LOCKUP: &[&str] = &["party", "entity", "start", "end", "kind"];

#[derive(Default)]
struct Score {
    /// (form, field) -> [ok, missing, wrong]
    cells: BTreeMap<(String, String), [usize; 3]>,
    wrong: Vec<String>,
    missing_findings: Vec<String>,
    /// The file being scored, its form, and the truth paths damage may null.
    form: String,
    file: String,
    nullable: BTreeSet<String>,
}

/// Decimal strings compare by value ("0.10" == "0.1", "400000000.00" == "400000000").
fn norm(v: &Value) -> Value {
    if let Some(s) = v.as_str() {
        let t = s.replace(',', "");
        if !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
            && t.chars().any(|c| c.is_ascii_digit())
        {
            let t = if t.contains('.') {
                t.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                t
            };
            let neg = t.starts_with('-');
            let t = t.trim_start_matches('-').trim_start_matches('0');
            let t = if t.is_empty() || t.starts_with('.') {
                format!("0{t}")
            } else {
                t.to_string()
            };
            return Value::String(if neg { format!("-{t}") } else { t });
        }
    }
    v.clone()
}

impl Score {
    fn cmp(&mut self, field: &str, truth: &Value, got: Option<&Value>) {
        // An empty list or string is as good as null: nothing was read.
        let got = match got {
            None => &Value::Null,
            Some(Value::Array(a)) if a.is_empty() => &Value::Null,
            Some(Value::String(s)) if s.is_empty() => &Value::Null,
            Some(v) => v,
        };
        let may_be_null = self.nullable.contains(field);
        let slot = if norm(truth) == norm(got) || (may_be_null && got.is_null()) {
            0
        } else if got.is_null() {
            1
        } else {
            self.wrong.push(format!(
                "{} {}: {field}: truth {truth}, parsed {got}",
                self.form, self.file
            ));
            2
        };
        self.cells
            .entry((self.form.clone(), field.to_string()))
            .or_default()[slot] += 1;
    }

    fn fields(&mut self, path: &str, keys: &[&str], t: &Value, g: Option<&Value>) {
        for k in keys {
            if let Some(tv) = t.get(*k) {
                self.cmp(&format!("{path}{k}"), tv, g.and_then(|g| g.get(*k)));
            }
        }
    }

    /// Compare a list of objects matched by index.
    fn list(&mut self, name: &str, keys: &[&str], t: &Value, g: &Value) {
        let empty = Vec::new();
        let got = g[name].as_array().unwrap_or(&empty);
        for (k, item) in t[name].as_array().into_iter().flatten().enumerate() {
            self.fields(&format!("{name}[]."), keys, item, got.get(k));
        }
    }

    /// Compare a list of objects matched by kind: the truth lists section E
    /// movements in the order they happened, the form (and the parser) in the
    /// form's order of types. The n-th truth item of a kind meets the n-th
    /// parsed item of that kind; the truth items left meet the parsed items
    /// left, in order, so that a wrong kind still scores as wrong.
    fn list_by_kind(&mut self, name: &str, keys: &[&str], t: &Value, g: &Value) {
        let empty = Vec::new();
        let got = g[name].as_array().unwrap_or(&empty);
        let truth = t[name].as_array().unwrap_or(&empty);
        let mut taken = vec![false; got.len()];
        let mut pairs: Vec<Option<usize>> = Vec::with_capacity(truth.len());
        for item in truth {
            let k = (0..got.len()).find(|&k| !taken[k] && got[k]["kind"] == item["kind"]);
            if let Some(k) = k {
                taken[k] = true;
            }
            pairs.push(k);
        }
        let mut rest = (0..got.len()).filter(|&k| !taken[k]);
        for (item, k) in truth.iter().zip(pairs) {
            let k = k.or_else(|| rest.next());
            self.fields(
                &format!("{name}[]."),
                keys,
                item,
                k.and_then(|k| got.get(k)),
            );
        }
    }

    fn file(&mut self, f: &GeneratedFile, parsed: &Value) {
        let t = &f.truth;
        self.form = f.form().to_string();
        self.file = f.rel_path.clone();
        self.nullable = t["may_be_null"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        self.fields("", TOP, t, Some(parsed));
        let empty = Vec::new();
        let got_classes = parsed["share_classes"].as_array().unwrap_or(&empty);
        for c in t["share_classes"].as_array().into_iter().flatten() {
            let key = &c["class_key"];
            let g = got_classes.iter().find(|g| &g["class_key"] == key);
            self.cmp("share_classes[].class_key", key, g.map(|g| &g["class_key"]));
            self.fields("share_classes[].", CLASS, c, g);
            for part in ["authorised", "issued", "treasury", "total"] {
                let gv = g.and_then(|g| g.get(part));
                match c.get(part) {
                    Some(Value::Null) => {
                        self.cmp(&format!("share_classes[].{part}"), &Value::Null, gv)
                    }
                    Some(tv) => self.fields(&format!("share_classes[].{part}."), BAL, tv, gv),
                    None => {}
                }
            }
        }
        let got_schemes = parsed["option_schemes"].as_array().unwrap_or(&empty);
        for (k, s) in t["option_schemes"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let g = got_schemes.get(k);
            self.fields("option_schemes[].", SCHEME, s, g);
            // Movements compare as a sorted list of (kind, amount), zeros dropped.
            let key = |m: &Value| {
                (
                    m["kind"].as_str().unwrap_or("").to_string(),
                    m["amount"].as_i64().unwrap_or(0),
                )
            };
            let mut tm: Vec<_> = s["movements"]
                .as_array()
                .into_iter()
                .flatten()
                .map(key)
                .filter(|m| m.1 != 0)
                .collect();
            let mut gm: Vec<_> = g
                .and_then(|g| g["movements"].as_array())
                .into_iter()
                .flatten()
                .map(key)
                .filter(|m| m.1 != 0)
                .collect();
            tm.sort();
            gm.sort();
            let tv = Value::String(format!("{tm:?}"));
            // A scheme read with no movement, where none happened, is right.
            let gv = if gm.is_empty() && !(tm.is_empty() && g.is_some()) {
                Value::Null
            } else {
                Value::String(format!("{gm:?}"))
            };
            self.cmp("option_schemes[].movements", &tv, Some(&gv));
        }
        self.list("warrants", WARRANT, t, parsed);
        self.list("convertibles", CONV, t, parsed);
        self.list_by_kind("other_movements", OTHER, t, parsed);
        self.list("movements", NDR, t, parsed);
        self.list("lockups", LOCKUP, t, parsed);
        // Findings the issuer's own errors must raise (the index raises chain_break).
        let codes: BTreeSet<&str> = parsed["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| x["code"].as_str())
            .collect();
        for c in t["expect_findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str())
        {
            let ok = c == "chain_break" || codes.contains(c);
            self.cells
                .entry((self.form.clone(), format!("finding {c}")))
                .or_default()[if ok { 0 } else { 1 }] += 1;
            if !ok {
                self.missing_findings
                    .push(format!("{}: no {c} finding", self.file));
            }
        }
    }

    fn table(&self) -> String {
        let mut out = format!(
            "{:<12} {:<44} {:>6} {:>7} {:>6} {:>7}\n",
            "form", "field", "ok", "missing", "wrong", "acc%"
        );
        for ((form, field), [ok, miss, wrong]) in &self.cells {
            let n = ok + miss + wrong;
            let flag = if *wrong > 0 {
                "  <-- WRONG"
            } else if *miss > 0 {
                "  <-- missing"
            } else {
                ""
            };
            out.push_str(&format!(
                "{form:<12} {field:<44} {ok:>6} {miss:>7} {wrong:>6} {:>6.1}%{flag}\n",
                100.0 * *ok as f64 / n.max(1) as f64
            ));
        }
        out
    }
}

/// Score the parsers on generated corpora (legacy periods included, from
/// 2019; extraction damage at 5%), over the files whose form `family` accepts.
/// Prints the table and every wrong value; returns (wrong values, ok, total).
fn score_corpora(family: fn(&str) -> bool) -> (Vec<String>, usize, usize) {
    let mut score = Score::default();
    let mut errors = Vec::new();
    for (seed, start) in [(11, (2020, 1)), (3, (2019, 1)), (29, (2019, 6))] {
        let cfg = GenConfig {
            issuers: 4,
            months: 30,
            start,
            seed,
            // GEN_DAMAGE=rate scores another damage rate.
            damage_rate: std::env::var("GEN_DAMAGE")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(0.05),
            ..GenConfig::default()
        };
        for f in generate(&cfg).filter(|f| family(f.form())) {
            match parse_text(&f.rel_path, &f.text) {
                Entry::Filing(p) => {
                    let v = serde_json::to_value(&*p).expect("a filing serialises");
                    score.file(&f, &v);
                }
                Entry::Error(e) => errors.push(format!(
                    "seed {seed}: {}: {} ({:?})",
                    f.rel_path, e.error, e.error_kind
                )),
            }
        }
    }
    println!("{}", score.table());
    // GEN_SHOW=n lists more of them.
    let show = std::env::var("GEN_SHOW")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    for w in score.wrong.iter().take(show) {
        println!("WRONG {w}");
    }
    for m in score.missing_findings.iter().take(20) {
        println!("MISSING FINDING {m}");
    }
    let (ok, total) = score
        .cells
        .values()
        .fold((0, 0), |(o, t), c| (o + c[0], t + c.iter().sum::<usize>()));
    println!(
        "overall: {ok}/{total} values read ({:.1}%)",
        100.0 * ok as f64 / total.max(1) as f64
    );
    assert!(errors.is_empty(), "files refused: {errors:#?}");
    (score.wrong, ok, total)
}

#[test]
fn monthly_returns_and_announcements_read_almost_every_value_and_never_a_wrong_one() {
    let (wrong, ok, total) =
        score_corpora(|form| form.starts_with("ff301") || form == "announcement");
    assert!(
        wrong.is_empty(),
        "{} wrong values (see the table above)",
        wrong.len()
    );
    assert!(
        ok * 100 >= total * 97,
        "only {ok} of {total} values read (see the table above)"
    );
}

#[test]
fn legacy_returns_and_next_day_returns_never_read_a_wrong_value() {
    let (wrong, _, _) = score_corpora(|form| {
        form == "legacy"
            || form.starts_with("ndr")
            || form.starts_with("ff30") && !form.starts_with("ff301")
    });
    assert!(
        wrong.is_empty(),
        "{} wrong values (see the table above)",
        wrong.len()
    );
}

#[test]
fn the_scorer_counts_a_stub_parse_as_missing_not_wrong() {
    let f = demo()
        .into_iter()
        .find(|f| f.form() == "ff301-1.1")
        .expect("a v1.1 return");
    let mut s = Score::default();
    let parsed =
        serde_json::json!({"kind": "monthly_return", "form": "ff301-1.1", "share_classes": []});
    s.file(&f, &parsed);
    assert!(s.wrong.is_empty());
    let miss: usize = s.cells.values().map(|c| c[1]).sum();
    assert!(miss > 10);
    // and a parse equal to the truth scores every value
    let mut s = Score::default();
    s.file(&f, &f.truth);
    assert!(
        s.cells.values().all(|c| c[1] == 0 && c[2] == 0),
        "{}",
        s.table()
    );
}

/// Each next day return's movements, as (kind, amount, date, pending), in
/// a stable order.
fn ndr_moves(v: &Value) -> Vec<(String, i64, String, bool)> {
    let mut out: Vec<_> = v["movements"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| {
            (
                m["kind"].as_str().unwrap_or("").to_string(),
                i(&m["amount"]),
                m["date"].as_str().unwrap_or("").to_string(),
                m["pending"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    out.sort();
    out
}

/// Undamaged next day returns of every style give exactly the truth's
/// movements (a buyback reported in section I and in the purchase report is
/// one movement, not two) and the truth's stock codes (raw order prints the
/// code a blank line after its label).
#[test]
fn next_day_returns_give_exactly_their_movements_and_stock_codes() {
    let mut bad = Vec::new();
    let mut seen = 0;
    for seed in [11, 3, 29, 41] {
        let cfg = GenConfig {
            issuers: 6,
            months: 36,
            start: (2021, 1),
            seed,
            damage_rate: 0.0,
            ndr_per_issuer_year: 4,
            ..GenConfig::default()
        };
        for f in generate(&cfg)
            .filter(|f| f.form().starts_with("ff30") && !f.form().starts_with("ff301"))
        {
            let Entry::Filing(p) = parse_text(&f.rel_path, &f.text) else {
                bad.push(format!("{}: refused", f.rel_path));
                continue;
            };
            seen += 1;
            let v = serde_json::to_value(&*p).expect("a filing serialises");
            let (want, got) = (ndr_moves(&f.truth), ndr_moves(&v));
            if want != got {
                bad.push(format!(
                    "{} ({}): movements {got:?}, truth {want:?}",
                    f.rel_path,
                    f.style()
                ));
            }
            if v["stock_codes"] != f.truth["stock_codes"] {
                bad.push(format!(
                    "{} ({}): stock codes {}, truth {}",
                    f.rel_path,
                    f.style(),
                    v["stock_codes"],
                    f.truth["stock_codes"]
                ));
            }
        }
    }
    assert!(seen > 100, "only {seen} next day returns generated");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
