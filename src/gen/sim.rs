//! The fictional world: issuers, their share classes and schemes, and the
//! month-by-month movements that every return then reports.

use super::render::{Dec, Doc, Style};
use super::{forms, mix, other, style_json, GenConfig, GeneratedFile};
use chrono::{Datelike, Months, NaiveDate};
use fastrand::Rng;
use serde_json::{json, Value};

/// The form generation of a monthly return, by its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FormGen {
    Legacy,
    V10,
    V11,
    V12,
}

impl FormGen {
    /// Legacy to June 2021, FF301 v1.0 to June 2024, v1.1 to December 2025,
    /// v1.2 from January 2026.
    pub fn for_period(y: i32, m: u32) -> FormGen {
        let ym = y * 100 + m as i32;
        if ym < 202107 {
            FormGen::Legacy
        } else if ym < 202407 {
            FormGen::V10
        } else if ym < 202601 {
            FormGen::V11
        } else {
            FormGen::V12
        }
    }
    pub fn form(self) -> &'static str {
        match self {
            FormGen::Legacy => "legacy",
            FormGen::V10 => "ff301-1.0",
            FormGen::V11 => "ff301-1.1",
            FormGen::V12 => "ff301-1.2",
        }
    }
    pub fn has_treasury(self) -> bool {
        self >= FormGen::V11
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Structure {
    /// One ordinary class, par value in HKD.
    Ordinary,
    /// Class B (listed, with an RMB multi-counter code) and Class A (unlisted).
    Wvr,
    /// H shares listed in Hong Kong beside A shares listed in Shenzhen or Shanghai.
    HShares,
    /// Incorporated in Hong Kong: no par value, no authorised capital.
    NoPar,
}

impl Structure {
    fn as_str(self) -> &'static str {
        match self {
            Structure::Ordinary => "ordinary",
            Structure::Wvr => "wvr",
            Structure::HShares => "h_and_a_shares",
            Structure::NoPar => "no_par",
        }
    }
}

const EN_PREFIX: &[(&str, &str)] = &[
    ("Harbourline", "港灣"),
    ("Jadeport", "玉港"),
    ("Silverkite", "銀鳶"),
    ("Northbay", "北灣"),
    ("Lotus Peak", "蓮峰"),
    ("Cloudmere", "雲湖"),
    ("Redcliff", "紅崖"),
    ("Tidewater", "潮水"),
    ("Amberfield", "琥珀田"),
    ("Pearlstone", "珍石"),
    ("Summit Crane", "峰鶴"),
    ("Bluefin", "藍鰭"),
    ("Lantern Bay", "燈灣"),
    ("Crestmoor", "冠沼"),
    ("Emerald Junction", "翠匯"),
    ("Seaward", "向海"),
];
const EN_TRADE: &[(&str, &str)] = &[
    ("Robotics", "機械人"),
    ("Pharmaceutical", "醫藥"),
    ("Logistics", "物流"),
    ("Energy", "能源"),
    ("Property", "地產"),
    ("Technology", "科技"),
    ("Foods", "食品"),
    ("Semiconductor", "半導體"),
];
const EN_SUFFIX: &[(&str, &str)] = &[
    ("Holdings Limited", "控股有限公司"),
    ("Group Limited", "集團有限公司"),
    ("International Holdings Limited", "國際控股有限公司"),
    ("(Holdings) Limited", "(控股)有限公司"),
    ("Group Inc.", "集團股份有限公司"),
];
const PEOPLE: &[&str] = &[
    "Mr. Chan Tai Man",
    "Ms. Wong Mei Ling",
    "Dr. Lee Ka Wing",
    "Prof. Cheung Siu Fung",
    "Mr. Lau Chi Keung",
    "Ms. Ho Wai Yee",
    "Dr. Tsang Yuk Lun",
    "Mr. Fung Kwok Hung",
];
const ENTITIES: &[&str] = &[
    "Brightpath Ventures Limited",
    "Cedar Horizon Inc.",
    "Oakmount Capital Limited",
    "Riverstone Trust Limited",
    "Kestrel Peak Holdings Inc.",
    "Maple Lantern Limited",
];
const SIGNERS: &[(&str, &str)] = &[
    ("Chan Ming Kei", "Company Secretary"),
    ("Leung Wing Sze", "Executive Director"),
    ("Yip Hoi Ting", "Chief Financial Officer"),
    ("Kwok Ka Lok", "Company Secretary"),
];

/// The k-th invented person (directors, shareholders).
pub fn person(k: usize) -> &'static str {
    PEOPLE[k % PEOPLE.len()]
}

/// The k-th invented holding entity.
pub fn entity(k: usize) -> &'static str {
    ENTITIES[k % ENTITIES.len()]
}

/// One issuer, fixed for the whole series (except a rename).
#[derive(Debug, Clone)]
pub struct Issuer {
    pub idx: usize,
    pub code: u32,
    pub name: String,
    pub name_zh: Option<String>,
    /// The descriptive parenthetical printed after the name in some returns.
    pub paren: Option<&'static str>,
    /// (month index from which, new name)
    pub rename: Option<(usize, String)>,
    pub structure: Structure,
    pub first: NaiveDate,
    pub signer: (&'static str, &'static str),
    /// Repurchases held in treasury from form v1.1 on.
    pub treasury: bool,
}

impl Issuer {
    pub fn code5(&self) -> String {
        format!("{:05}", self.code)
    }
    pub fn name_at(&self, m: usize) -> &str {
        match &self.rename {
            Some((from, n)) if m >= *from => n,
            _ => &self.name,
        }
    }
}

/// Authorised capital of a class for one month.
#[derive(Debug, Clone)]
pub struct Auth {
    pub opening: i64,
    pub change: i64,
    pub closing: i64,
    pub par: Dec,
    pub currency: &'static str,
    /// Capital as printed at opening and closing (an issuer's misprint shows here).
    pub cap_open: Dec,
    pub cap_close: Dec,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bal {
    pub opening: i64,
    pub change: i64,
    pub closing: i64,
}

impl Bal {
    fn json(self) -> Value {
        json!({"opening": self.opening, "change": self.change, "closing": self.closing})
    }
}

/// A share class and its balances for one month.
#[derive(Debug, Clone)]
pub struct ClassMonth {
    pub key: String,
    /// Printed "Class of shares" / "Type of shares" cells and the description.
    pub class_cell: &'static str,
    pub type_cell: &'static str,
    pub description: &'static str,
    pub listed: bool,
    pub stock_code: Option<String>,
    pub other_code: Option<String>,
    pub multi_counter: Option<String>,
    pub auth: Option<Auth>,
    pub issued: Bal,
    pub treasury: Bal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptKind {
    Granted,
    Exercised,
    Cancelled,
    Lapsed,
    Other,
}

impl OptKind {
    pub fn word(self) -> &'static str {
        match self {
            OptKind::Granted => "Granted",
            OptKind::Exercised => "Exercised",
            OptKind::Cancelled => "Cancelled",
            OptKind::Lapsed => "Lapsed",
            OptKind::Other => "Other",
        }
    }
    fn json(self) -> &'static str {
        match self {
            OptKind::Granted => "granted",
            OptKind::Exercised => "exercised",
            OptKind::Cancelled => "cancelled",
            OptKind::Lapsed => "lapsed",
            OptKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone)]
pub struct SchemeMonth {
    pub name: String,
    pub adopted: NaiveDate,
    pub price: Dec,
    pub class: usize,
    pub opening: i64,
    /// (kind, signed amount, note for "other").
    pub moves: Vec<(OptKind, i64, Option<&'static str>)>,
    pub closing: i64,
    pub new_shares: i64,
    pub issuable: i64,
}

#[derive(Debug, Clone)]
pub struct WarrantMonth {
    pub description: String,
    pub expiry: NaiveDate,
    pub price: Dec,
    pub opening: i64,
    pub exercised: i64,
    pub closing: i64,
}

#[derive(Debug, Clone)]
pub struct ConvMonth {
    pub description: String,
    pub approved: NaiveDate,
    /// Conversion price in cents.
    pub price_cents: i64,
    pub opening: i64,
    pub converted: i64,
    pub closing: i64,
}

impl ConvMonth {
    pub fn new_shares(&self) -> i64 {
        self.converted * 100 / self.price_cents
    }
    pub fn issuable(&self) -> i64 {
        self.closing * 100 / self.price_cents
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtherKind {
    Placing,
    /// Repurchased and cancelled.
    Repurchase,
    /// Repurchased for cancellation, not yet cancelled.
    Pending,
    /// Repurchased and held as treasury shares (form v1.1 on).
    Treasury,
}

#[derive(Debug, Clone)]
pub struct OtherMove {
    pub kind: OtherKind,
    pub class: usize,
    /// Signed shares (negative for repurchases).
    pub amount: i64,
    pub day: NaiveDate,
    /// Placing price in cents.
    pub price_cents: i64,
}

/// Everything one monthly return reports.
#[derive(Debug, Clone)]
pub struct Month {
    pub idx: usize,
    pub gen: FormGen,
    /// Last day of the month.
    pub period_end: NaiveDate,
    pub submitted: NaiveDate,
    pub issuer_name: String,
    pub classes: Vec<ClassMonth>,
    pub schemes: Vec<SchemeMonth>,
    pub warrants: Vec<WarrantMonth>,
    pub convertibles: Vec<ConvMonth>,
    pub others: Vec<OtherMove>,
    /// Finding codes the checks must raise for the issuer's own errors.
    pub expect: Vec<&'static str>,
    pub remarks: Option<String>,
}

impl Month {
    pub fn period(&self) -> String {
        format!(
            "{:04}-{:02}",
            self.period_end.year(),
            self.period_end.month()
        )
    }
    /// New shares under section III for class `c`, pending repurchases excluded.
    pub fn new_shares_for(&self, c: usize) -> i64 {
        let mut n = 0;
        for s in self.schemes.iter().filter(|s| s.class == c) {
            n += s.new_shares;
        }
        if c == 0 {
            n += self.warrants.iter().map(|w| w.exercised).sum::<i64>();
            n += self
                .convertibles
                .iter()
                .map(|v| v.new_shares())
                .sum::<i64>();
        }
        for o in self
            .others
            .iter()
            .filter(|o| o.class == c && o.kind != OtherKind::Pending)
        {
            n += o.amount;
        }
        n
    }
}

/// Mutable state carried from month to month.
struct State {
    auth: Vec<Option<(i64, Dec, &'static str)>>,
    issued: Vec<i64>,
    treasury: Vec<i64>,
    schemes: Vec<(String, NaiveDate, Dec, usize, i64)>,
    warrant: Option<(String, NaiveDate, Dec, i64)>,
    conv: Option<(String, NaiveDate, i64, i64)>,
}

fn add_months(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(Months::new(n)).unwrap_or(d)
}

fn month_end(first_of_month: NaiveDate) -> NaiveDate {
    add_months(first_of_month, 1)
        .pred_opt()
        .unwrap_or(first_of_month)
}

/// Business days only (no weekends) for submission and event dates.
fn weekday_on_or_after(d: NaiveDate) -> NaiveDate {
    let mut d = d;
    while d.weekday().number_from_monday() > 5 {
        d = d.succ_opt().unwrap_or(d);
    }
    d
}

pub fn build_issuer(cfg: &GenConfig, i: usize) -> Issuer {
    let mut rng = Rng::with_seed(mix(cfg.seed, &[1, i as u64]));
    let pre = EN_PREFIX[i % EN_PREFIX.len()];
    let trade = EN_TRADE[(i / EN_PREFIX.len() + i) % EN_TRADE.len()];
    let suf = EN_SUFFIX[(i / 3) % EN_SUFFIX.len()];
    let round = i / (EN_PREFIX.len() * EN_TRADE.len());
    let extra = if round > 0 {
        format!(
            " {}",
            ["Orient", "Pacific", "Global", "Asia", "Dragon", "Phoenix"][round % 6]
        )
    } else {
        String::new()
    };
    let name = format!("{}{} {} {}", pre.0, extra, trade.0, suf.0);
    let structure = match i % 4 {
        0 => Structure::Ordinary,
        1 => Structure::Wvr,
        2 => Structure::HShares,
        _ => Structure::NoPar,
    };
    let name_zh = if i % 3 != 2 {
        Some(format!("{}{}{}", pre.1, trade.1, suf.1))
    } else {
        None
    };
    // Codes are a permutation of 1..=9973 so that they never collide.
    let offset = cfg.seed % 9973;
    let code = 1 + ((i as u64 * 3571 + offset) % 9973) as u32;
    let stagger = ((i % 4) * 20) as u32;
    let start =
        NaiveDate::from_ymd_opt(cfg.start.0, cfg.start.1.clamp(1, 12), 1).unwrap_or(NaiveDate::MIN);
    let first = add_months(start, stagger);
    let paren = match structure {
        Structure::Wvr => Some("(a company controlled through weighted voting rights and incorporated in the Cayman Islands with limited liability)"),
        Structure::HShares => Some("(a joint stock company incorporated in the People's Republic of China with limited liability)"),
        Structure::Ordinary if i.is_multiple_of(8) => Some("(incorporated in Bermuda with limited liability)"),
        _ => None,
    };
    let rename = if i % 5 == 4 && cfg.months > 6 {
        Some((
            cfg.months / 2,
            format!(
                "{} {} {}",
                pre.0,
                ["Innovation", "New Era", "Vision"][i % 3],
                suf.0
            ),
        ))
    } else {
        None
    };
    Issuer {
        idx: i,
        code,
        name,
        name_zh,
        paren,
        rename,
        structure,
        first,
        signer: SIGNERS[rng.usize(0..SIGNERS.len())],
        treasury: i.is_multiple_of(2),
    }
}

fn classes_for(iss: &Issuer) -> Vec<ClassMonth> {
    let code = iss.code5();
    let base =
        |key: String, class_cell, type_cell, description, listed, stock_code, other_code, mc| {
            ClassMonth {
                key,
                class_cell,
                type_cell,
                description,
                listed,
                stock_code,
                other_code,
                multi_counter: mc,
                auth: None,
                issued: Bal::default(),
                treasury: Bal::default(),
            }
        };
    match iss.structure {
        Structure::Ordinary | Structure::NoPar => vec![base(
            code.clone(),
            "Ordinary shares",
            "Not applicable",
            "Ordinary Shares",
            true,
            Some(code),
            None,
            None,
        )],
        Structure::Wvr => vec![
            base(
                code.clone(),
                "WVR ordinary shares",
                "Other type (specify in description)",
                "Class B ordinary shares",
                true,
                Some(code),
                None,
                Some(format!("{}", 80000 + iss.code % 10000 % 1000)),
            ),
            base(
                "class-a-ordinary-shares".to_string(),
                "WVR ordinary shares",
                "Other type (specify in description)",
                "Class A ordinary shares",
                false,
                None,
                None,
                None,
            ),
        ],
        Structure::HShares => vec![
            base(
                code.clone(),
                "Ordinary shares",
                "H",
                "H Shares",
                true,
                Some(code),
                None,
                None,
            ),
            base(
                "a-shares".to_string(),
                "Ordinary shares",
                "A",
                "A Shares",
                false,
                None,
                Some(format!(
                    "{}{:04}",
                    if iss.idx.is_multiple_of(2) {
                        "60"
                    } else {
                        "00"
                    },
                    (iss.code * 7) % 10000
                )),
                None,
            ),
        ],
    }
}

fn initial_state(iss: &Issuer, rng: &mut Rng, nclasses: usize) -> State {
    let big = rng.i64(2_000..20_000) * 1_000_000;
    let mut auth = Vec::new();
    let mut issued = Vec::new();
    for c in 0..nclasses {
        let a = match iss.structure {
            Structure::NoPar => None,
            Structure::Ordinary => Some((big * 2, Dec::new([1, 10, 5][iss.idx % 3], 2), "HKD")),
            Structure::Wvr => Some((
                if c == 0 {
                    1_992_000_000_000
                } else {
                    8_000_000_000
                },
                Dec::new(25, 8),
                "USD",
            )),
            Structure::HShares => {
                Some((if c == 0 { big / 2 } else { big }, Dec::new(100, 2), "RMB"))
            }
        };
        auth.push(a);
        let iss_n = match a {
            Some((n, _, _)) => n / rng.i64(3..8),
            None => big / rng.i64(3..8),
        };
        issued.push(iss_n - iss_n % 1000 + rng.i64(0..1000));
    }
    let scheme_names: &[&str] = match iss.structure {
        Structure::Wvr => &["Pre-IPO Share Option Scheme"],
        Structure::HShares => &["H Share Option Incentive Scheme"],
        _ if iss.idx.is_multiple_of(3) => &["2015 Share Option Scheme", "2021 Share Option Scheme"],
        _ => &["Share Option Scheme"],
    };
    let schemes = scheme_names
        .iter()
        .enumerate()
        .map(|(k, n)| {
            let adopted = NaiveDate::from_ymd_opt(
                2010 + (iss.idx as i32 + 3 * k as i32) % 11,
                1 + (iss.idx % 12) as u32,
                1 + (iss.idx % 27) as u32,
            )
            .unwrap_or(NaiveDate::MIN);
            (
                n.to_string(),
                adopted,
                Dec::new(rng.i128(50..900), 2),
                0,
                rng.i64(10_000..60_000) * 1000,
            )
        })
        .collect();
    let warrant = (iss.idx % 3 == 1).then(|| {
        let expiry = add_months(iss.first, 30 + (iss.idx % 12) as u32);
        (
            "Unlisted Warrants".to_string(),
            expiry,
            Dec::new(122, 2),
            rng.i64(20..80) * 1_000_000,
        )
    });
    let conv = (iss.idx % 3 == 2 || iss.idx.is_multiple_of(7)).then(|| {
        let approved = add_months(iss.first, 0).pred_opt().unwrap_or(iss.first);
        let price = [50, 65, 80][iss.idx % 3];
        (
            "Convertible Notes due 2027".to_string(),
            approved,
            price,
            price * 10_000 * rng.i64(100..400),
        )
    });
    State {
        auth,
        issued,
        treasury: vec![0; nclasses],
        schemes,
        warrant,
        conv,
    }
}

/// Simulate one month: draw the movements, apply them, and return what the
/// return reports. `gen` decides which kinds of movement the form can carry.
fn step(iss: &Issuer, st: &mut State, rng: &mut Rng, m: usize, period_first: NaiveDate) -> Month {
    let gen = FormGen::for_period(period_first.year(), period_first.month());
    let period_end = month_end(period_first);
    let day = |rng: &mut Rng| weekday_on_or_after(period_first + chrono::Days::new(rng.u64(1..26)));
    let mut classes = classes_for(iss);
    let mut expect = Vec::new();
    // The issuer's own deliberate errors: at most one a month, rarely.
    let error = if m > 0 && rng.u32(0..100) < 4 {
        rng.u32(0..4)
    } else {
        99
    };

    // Section III(A): several movements per scheme per month.
    let mut schemes = Vec::new();
    for (name, adopted, price, class, outstanding) in st.schemes.iter_mut() {
        let opening = *outstanding;
        let mut moves = Vec::new();
        let unit = (opening / 200).max(1000) / 1000 * 1000;
        if rng.u32(0..100) < 35 {
            moves.push((OptKind::Granted, rng.i64(1..6) * unit * 2, None));
        }
        if rng.u32(0..100) < 65 {
            moves.push((OptKind::Exercised, -rng.i64(1..8) * unit / 2, None));
        }
        if rng.u32(0..100) < 25 {
            moves.push((OptKind::Cancelled, -rng.i64(1..4) * unit / 4, None));
        }
        if rng.u32(0..100) < 45 {
            moves.push((OptKind::Lapsed, -rng.i64(1..5) * unit / 5, None));
        }
        if gen != FormGen::Legacy && rng.u32(0..100) < 12 {
            moves.push((
                OptKind::Other,
                -rng.i64(1..4) * unit / 4,
                Some(
                    [
                        "Sold",
                        "Adjustment on share consolidation",
                        "Transferred out",
                    ][rng.usize(0..3)],
                ),
            ));
        }
        let closing = opening + moves.iter().map(|m| m.1).sum::<i64>();
        *outstanding = closing;
        let exercised: i64 = moves
            .iter()
            .filter(|m| m.0 == OptKind::Exercised)
            .map(|m| -m.1)
            .sum();
        let mut new_shares = exercised;
        if error == 0 && exercised > 0 && expect.is_empty() {
            // "Exercised" options with no new shares issued (FORMATS.md: report, never fix).
            new_shares = 0;
            expect.push("issuer_inconsistency");
        }
        schemes.push(SchemeMonth {
            name: name.clone(),
            adopted: *adopted,
            price: *price,
            class: *class,
            opening,
            moves,
            closing,
            new_shares,
            issuable: closing,
        });
    }

    let mut warrants = Vec::new();
    if let Some((desc, expiry, price, units)) = st.warrant.as_mut() {
        if *units > 0 {
            let ex = if rng.u32(0..100) < 30 {
                (*units / 4).max(1) / 1000 * 1000
            } else {
                0
            };
            let opening = *units;
            *units -= ex;
            warrants.push(WarrantMonth {
                description: desc.clone(),
                expiry: *expiry,
                price: *price,
                opening,
                exercised: ex,
                closing: *units,
            });
        }
    }
    let mut convertibles = Vec::new();
    if let Some((desc, approved, price, amount)) = st.conv.as_mut() {
        if *amount > 0 {
            let conv = if rng.u32(0..100) < 25 {
                (*amount / 3) / (*price * 1000) * (*price * 1000)
            } else {
                0
            };
            let opening = *amount;
            *amount -= conv;
            convertibles.push(ConvMonth {
                description: desc.clone(),
                approved: *approved,
                price_cents: *price,
                opening,
                converted: conv,
                closing: *amount,
            });
        }
    }

    // Section III(E): placings and repurchases on the primary class.
    let mut others = Vec::new();
    let base = st.issued.first().copied().unwrap_or(0);
    if rng.u32(0..100) < 10 {
        others.push(OtherMove {
            kind: OtherKind::Placing,
            class: 0,
            amount: (base / 20) / 1000 * 1000,
            day: day(rng),
            price_cents: rng.i64(50..500),
        });
    }
    if rng.u32(0..100) < 15 {
        others.push(OtherMove {
            kind: OtherKind::Repurchase,
            class: 0,
            amount: -rng.i64(100..2000) * 1000,
            day: day(rng),
            price_cents: rng.i64(50..500),
        });
    }
    if gen != FormGen::Legacy && rng.u32(0..100) < 10 {
        others.push(OtherMove {
            kind: OtherKind::Pending,
            class: 0,
            amount: -rng.i64(100..900) * 1000,
            day: weekday_on_or_after(period_end - chrono::Days::new(6)),
            price_cents: rng.i64(50..500),
        });
    }
    if gen.has_treasury() && iss.treasury && rng.u32(0..100) < 25 {
        others.push(OtherMove {
            kind: OtherKind::Treasury,
            class: 0,
            amount: -rng.i64(100..3000) * 1000,
            day: day(rng),
            price_cents: rng.i64(50..500),
        });
    }
    others.sort_by_key(|o| o.day);

    let mut month = Month {
        idx: m,
        gen,
        period_end,
        submitted: weekday_on_or_after(period_end + chrono::Days::new(rng.u64(1..6))),
        issuer_name: iss.name_at(m).to_string(),
        classes: Vec::new(),
        schemes,
        warrants,
        convertibles,
        others,
        expect,
        remarks: None,
    };

    // Authorised capital: mostly steady, now and then increased.
    for (c, cm) in classes.iter_mut().enumerate() {
        if let Some(Some((shares, par, cur))) = st.auth.get_mut(c) {
            let change = if rng.u32(0..100) < 3 { *shares / 2 } else { 0 };
            let opening = *shares;
            *shares += change;
            let mut cap_open = par.times(opening);
            let mut cap_close = par.times(*shares);
            if error == 1 && month.expect.is_empty() {
                // A par value misprinted by a factor of ten in the capital
                // column, as in the seed return: one finding per class.
                cap_open = Dec::new(cap_open.units / 10, cap_open.scale);
                cap_close = Dec::new(cap_close.units / 10, cap_close.scale);
                month.expect.push("par_times_shares");
            }
            cm.auth = Some(Auth {
                opening,
                change,
                closing: *shares,
                par: *par,
                currency: cur,
                cap_open,
                cap_close,
            });
        }
    }

    // Issued shares: the sum of section III for the class, treasury apart.
    for c in 0..classes.len() {
        let mut change = month.new_shares_for(c);
        let mut t_change = 0;
        for o in month
            .others
            .iter()
            .filter(|o| o.class == c && o.kind == OtherKind::Treasury)
        {
            t_change -= o.amount;
        }
        let mut opening = st.issued.get(c).copied().unwrap_or(0);
        if c == 0 && error == 2 && month.expect.is_empty() {
            // Shares issued that no section of part III explains.
            change += 1_000_000;
            month.expect.push("movements_vs_change");
        }
        if c == 0 && error == 3 && month.expect.is_empty() {
            // This month's opening is not last month's closing.
            opening += 10_000;
            month.expect.push("chain_break");
        }
        let closing = opening + change;
        if let Some(v) = st.issued.get_mut(c) {
            *v = closing;
        }
        let t_open = st.treasury.get(c).copied().unwrap_or(0);
        if let Some(v) = st.treasury.get_mut(c) {
            *v = t_open + t_change;
        }
        if let Some(cm) = classes.get_mut(c) {
            cm.issued = Bal {
                opening,
                change,
                closing,
            };
            cm.treasury = Bal {
                opening: t_open,
                change: t_change,
                closing: t_open + t_change,
            };
        }
    }
    month.classes = classes;
    if month.others.iter().any(|o| o.kind == OtherKind::Pending) {
        month.remarks = Some("Shares repurchased during the month are pending cancellation as at the close of the month.".to_string());
    }
    month
}

/// Per-file randomness, independent of the world's stream so that the style
/// and damage of one file never change the numbers of the next.
fn file_rng(cfg: &GenConfig, iss: usize, m: usize, variant: u64) -> Rng {
    Rng::with_seed(mix(cfg.seed, &[2, iss as u64, m as u64, variant]))
}

/// Every file one issuer's series produces.
pub fn issuer_files(cfg: &GenConfig, i: usize) -> Vec<GeneratedFile> {
    let iss = build_issuer(cfg, i);
    let mut rng = Rng::with_seed(mix(cfg.seed, &[3, i as u64]));
    let nclasses = classes_for(&iss).len();
    let mut st = initial_state(&iss, &mut rng, nclasses);
    let mut files = Vec::new();
    let mut seq: u32 = 0;
    let path = |iss: &Issuer, d: NaiveDate, seq: &mut u32| -> String {
        *seq += 1;
        format!(
            "{}/{}/{}{:02}{:02}{:05}.txt",
            iss.code5(),
            d.year(),
            d.year(),
            d.month(),
            d.day(),
            (iss.idx as u32 * 131 + *seq) % 100_000
        )
    };
    let ndr_months: Vec<usize> = {
        // Spread the year's next day returns over months with events.
        (0..cfg.months)
            .filter(|m| {
                cfg.ndr_per_issuer_year > 0
                    && (m * cfg.ndr_per_issuer_year.min(12)) % 12 < cfg.ndr_per_issuer_year.min(12)
            })
            .collect()
    };
    for m in 0..cfg.months {
        let first = add_months(iss.first, m as u32);
        let month = step(&iss, &mut st, &mut rng, m, first);
        // Re-submission choices come from their own stream so that the
        // damage rate never changes which files exist.
        let mut choice = file_rng(cfg, i, m, 4);
        let roll = choice.u32(0..100);
        let delay = choice.u64(3..20);
        let mut frng = file_rng(cfg, i, m, 0);
        let style = Style::pick(&mut frng);
        let (text, truth, damage) =
            render_return(&iss, &month, style, cfg.damage_rate, &mut frng, false);
        let rel = path(&iss, month.submitted, &mut seq);
        files.push(GeneratedFile {
            rel_path: rel.clone(),
            text: text.clone(),
            truth: with_gen(truth.clone(), style, "original", &iss),
            damage: damage.clone(),
        });

        if cfg.resubmissions {
            if roll < 8 {
                // Re-submission: an FF301 amendment, or a legacy return sent again later.
                let mut again = month.clone();
                again.submitted = weekday_on_or_after(month.submitted + chrono::Days::new(delay));
                let mut r2 = file_rng(cfg, i, m, 1);
                let style2 = Style::pick(&mut r2);
                let (t2, tr2, d2) =
                    render_return(&iss, &again, style2, cfg.damage_rate, &mut r2, true);
                let rel2 = path(&iss, again.submitted, &mut seq);
                files.push(GeneratedFile {
                    rel_path: rel2,
                    text: t2,
                    truth: with_gen(tr2, style2, "resubmission", &iss),
                    damage: d2,
                });
            } else if roll < 14 {
                // A byte-identical copy, as a second download leaves it.
                let dup = rel.replace(".txt", "(1).txt");
                files.push(GeneratedFile {
                    rel_path: dup,
                    text,
                    truth: with_gen(truth, style, "duplicate", &iss),
                    damage,
                });
            }
        }

        if ndr_months.contains(&m) {
            if let Some(ev) = other::pick_ndr_event(&month) {
                let mut r = file_rng(cfg, i, m, 2);
                let style = Style::pick(&mut r);
                let mut doc = Doc::new(style, &mut r, cfg.damage_rate);
                let (truth, date) = other::ndr(&mut doc, &iss, &month, ev);
                let (text, damage) = doc.finish();
                let rel = path(&iss, date, &mut seq);
                files.push(GeneratedFile {
                    rel_path: rel,
                    text,
                    truth: with_gen(truth, style, "original", &iss),
                    damage,
                });
            }
        }

        if cfg.announcements && (m % 6 == 3 || (m % 6 == 5 && i.is_multiple_of(2))) {
            let mut r = file_rng(cfg, i, m, 3);
            let style = if r.bool() { Style::Tab } else { Style::Layout };
            let mut doc = Doc::new(style, &mut r, cfg.damage_rate);
            let variant = (m / 6 + i) % 6 + if m % 6 == 5 { 6 } else { 0 };
            let (truth, date) = other::announcement(&mut doc, &iss, &month, variant);
            let (text, damage) = doc.finish();
            let rel = path(&iss, date, &mut seq);
            files.push(GeneratedFile {
                rel_path: rel,
                text,
                truth: with_gen(truth, style, "original", &iss),
                damage,
            });
        }
    }
    files
}

fn with_gen(mut truth: Value, style: Style, variant: &str, iss: &Issuer) -> Value {
    if let Some(o) = truth.as_object_mut() {
        o.insert(
            "_gen".to_string(),
            json!({"style": style_json(style), "variant": variant, "structure": iss.structure.as_str(), "issuer_index": iss.idx}),
        );
    }
    truth
}

fn render_return(
    iss: &Issuer,
    month: &Month,
    style: Style,
    rate: f64,
    rng: &mut Rng,
    resubmitted: bool,
) -> (String, Value, Vec<String>) {
    let mut doc = Doc::new(style, rng, rate);
    let status = if month.gen == FormGen::Legacy {
        None
    } else {
        Some(if resubmitted { "amendment" } else { "new" })
    };
    match month.gen {
        FormGen::Legacy => forms::legacy(&mut doc, iss, month),
        _ => forms::ff301(&mut doc, iss, month, resubmitted),
    }
    let truth = month_truth(iss, month, status);
    let (text, damage) = doc.finish();
    (text, truth, damage)
}

/// The truth of a monthly return.
pub fn month_truth(iss: &Issuer, month: &Month, status: Option<&str>) -> Value {
    let mut codes = vec![iss.code5()];
    for c in &month.classes {
        if let Some(mc) = &c.multi_counter {
            if month.gen != FormGen::Legacy {
                codes.push(mc.clone());
            }
        }
    }
    let classes: Vec<Value> = month
        .classes
        .iter()
        .map(|c| {
            let mut o = json!({
                "class_key": c.key,
                "stock_code": c.stock_code,
                "other_code": c.other_code,
                "listed": c.listed,
                "authorised": c.auth.as_ref().map(|a| json!({
                    "opening": a.opening, "change": a.change, "closing": a.closing,
                    "par_value": a.par.plain(), "currency": a.currency, "capital": a.cap_close.plain(),
                })),
                "issued": c.issued.json(),
            });
            if month.gen.has_treasury() {
                let total = Bal {
                    opening: c.issued.opening + c.treasury.opening,
                    change: c.issued.change + c.treasury.change,
                    closing: c.issued.closing + c.treasury.closing,
                };
                o["treasury"] = c.treasury.json();
                o["total"] = total.json();
            }
            o
        })
        .collect();
    let legacy = month.gen == FormGen::Legacy;
    let schemes: Vec<Value> = month
        .schemes
        .iter()
        .map(|s| {
            json!({
                "scheme": s.name,
                "class_key": month.classes.get(s.class).map(|c| c.key.clone()),
                "opening": if legacy { Value::Null } else { json!(s.opening) },
                "closing": if legacy { Value::Null } else { json!(s.closing) },
                "movements": s.moves.iter().map(|(k, a, n)| json!({"kind": k.json(), "amount": a, "note": n})).collect::<Vec<_>>(),
                "new_shares_issued": s.new_shares,
                "issuable_at_close": s.issuable,
            })
        })
        .collect();
    let warrants: Vec<Value> = month
        .warrants
        .iter()
        .map(|w| {
            json!({
                "description": w.description, "units": true,
                "opening": w.opening.to_string(), "exercised": w.exercised.to_string(), "closing": w.closing.to_string(),
                "new_shares_issued": w.exercised, "issuable_at_close": w.closing,
                "subscription_price": w.price.plain(),
            })
        })
        .collect();
    let convertibles: Vec<Value> = month
        .convertibles
        .iter()
        .map(|v| {
            json!({
                "description": v.description, "currency": "HKD",
                "amount_opening": v.opening.to_string(), "converted": v.converted.to_string(), "amount_closing": v.closing.to_string(),
                "new_shares_issued": v.new_shares(), "issuable_at_close": v.issuable(),
                "conversion_price": Dec::new(v.price_cents as i128, 2).plain(),
            })
        })
        .collect();
    let others: Vec<Value> = month
        .others
        .iter()
        .map(|o| {
            json!({
                "kind": match o.kind { OtherKind::Placing => "placing", _ => "repurchase" },
                "class_key": month.classes.get(o.class).map(|c| c.key.clone()),
                "amount": o.amount,
                "pending": o.kind == OtherKind::Pending,
                "date": o.day.to_string(),
            })
        })
        .collect();
    let mut t = json!({
        "kind": "monthly_return",
        "form": month.gen.form(),
        "issuer": month.issuer_name,
        "stock_codes": codes,
        "period": month.period(),
        "date": month.submitted.to_string(),
        "status": status,
        "share_classes": classes,
        "option_schemes": schemes,
        "warrants": warrants,
        "convertibles": convertibles,
        "other_movements": others,
    });
    if !month.expect.is_empty() {
        t["expect_findings"] = json!(month.expect);
    }
    t
}
