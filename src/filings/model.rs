//! The data a filing yields, in the shape of the JSON contract (schema version 1).
//!
//! Every struct here serialises to exactly the keys the contract names; extra
//! keys are allowed by the contract and are added only where they help a reader.
//! `lines` maps a field name to the 1-based line of the file it was read from.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use lines::Lines;

/// Version of the JSON contract printed by `hkfilings parse --json`.
pub const SCHEMA_VERSION: u32 = 1;

/// Field name -> raw token that was turned into 0 or null (e.g. "N/A", "--").
pub type Raw = BTreeMap<String, String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    MonthlyReturn,
    NextDayReturn,
    Announcement,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::MonthlyReturn => "monthly_return",
            Kind::NextDayReturn => "next_day_return",
            Kind::Announcement => "announcement",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Form {
    #[serde(rename = "legacy")]
    Legacy,
    #[serde(rename = "ff301-1.0")]
    Ff301V10,
    #[serde(rename = "ff301-1.1")]
    Ff301V11,
    #[serde(rename = "ff301-1.2")]
    Ff301V12,
    #[serde(rename = "ndr-legacy")]
    NdrLegacy,
    #[serde(rename = "ff304")]
    Ff304,
    #[serde(rename = "ff305")]
    Ff305,
    #[serde(rename = "announcement")]
    Announcement,
}

impl Form {
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Legacy => "legacy",
            Form::Ff301V10 => "ff301-1.0",
            Form::Ff301V11 => "ff301-1.1",
            Form::Ff301V12 => "ff301-1.2",
            Form::NdrLegacy => "ndr-legacy",
            Form::Ff304 => "ff304",
            Form::Ff305 => "ff305",
            Form::Announcement => "announcement",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    New,
    Amendment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    En,
    Zh,
}

/// A parsed filing: one object of the `parse --json` array.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Filing {
    pub schema_version: u32,
    pub file: String,
    pub content_hash: String,
    /// Which extractor produced the text: "text" for text files, "pdf-extract"
    /// or "pdftotext" for PDFs read by the program.
    #[serde(default)]
    pub extractor: String,
    pub kind: Kind,
    pub form: Form,
    pub language: Language,
    pub title: Option<String>,
    pub issuer: Option<String>,
    pub issuer_zh: Option<String>,
    pub stock_codes: Vec<String>,
    /// ISO date: date submitted (returns) or the announcement's date.
    pub date: Option<String>,
    /// "YYYY-MM" of the month ended (monthly returns).
    pub period: Option<String>,
    pub status: Option<Status>,
    pub share_classes: Vec<ShareClass>,
    pub option_schemes: Vec<OptionScheme>,
    pub warrants: Vec<Warrant>,
    pub convertibles: Vec<Convertible>,
    pub other_issues: Vec<OtherMovement>,
    pub other_movements: Vec<OtherMovement>,
    pub movements: Vec<NdrMovement>,
    pub lockups: Vec<LockUp>,
    pub remarks: Option<String>,
    /// "Total funds raised" figures, as printed (money, decimal strings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funds_raised: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<Signer>,
    pub findings: Vec<Finding>,
    pub lines: Lines,
    /// Set by the index: the file this one repeats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    /// Set by the index: the later return for the same issuer and month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<String>,
    /// Monthly returns: "Total authorised/registered share capital at the end of
    /// the month" as an exact decimal string, checked against the classes' capitals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorised_total: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorised_total_currency: Option<String>,
}

impl Filing {
    /// An empty filing of the given kind, ready for a parser to fill in.
    pub fn new(file: &str, kind: Kind, form: Form) -> Filing {
        Filing {
            schema_version: SCHEMA_VERSION,
            file: file.to_string(),
            content_hash: String::new(),
            extractor: "text".to_string(),
            kind,
            form,
            language: Language::En,
            title: None,
            issuer: None,
            issuer_zh: None,
            stock_codes: Vec::new(),
            date: None,
            period: None,
            status: None,
            share_classes: Vec::new(),
            option_schemes: Vec::new(),
            warrants: Vec::new(),
            convertibles: Vec::new(),
            other_issues: Vec::new(),
            other_movements: Vec::new(),
            movements: Vec::new(),
            lockups: Vec::new(),
            remarks: None,
            funds_raised: None,
            signer: None,
            findings: Vec::new(),
            lines: Lines::new(),
            duplicate_of: None,
            superseded_by: None,
            authorised_total: None,
            authorised_total_currency: None,
        }
    }

    /// The issuer's primary stock code, if any.
    pub fn primary_code(&self) -> Option<&str> {
        self.stock_codes.first().map(|s| s.as_str())
    }

    pub fn class(&self, class_key: &str) -> Option<&ShareClass> {
        self.share_classes.iter().find(|c| c.class_key == class_key)
    }

    pub fn add_finding(&mut self, f: Finding) {
        self.findings.push(f);
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    pub name: String,
    pub title: Option<String>,
}

/// opening / change / closing of one balance. Any may be null when it could
/// neither be read nor recovered (with a finding saying so).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    pub opening: Option<i64>,
    pub change: Option<i64>,
    pub closing: Option<i64>,
    /// Next day returns: the date of the opening balance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opening_as_of: Option<String>,
    /// Next day returns: the date of the closing balance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// Fields recovered by the form's arithmetic rather than read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recovered: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub raw: Raw,
    #[serde(default)]
    pub lines: Lines,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authorised {
    pub opening: Option<i64>,
    pub change: Option<i64>,
    pub closing: Option<i64>,
    /// Exact decimal string, e.g. "0.00000025".
    pub par_value: Option<String>,
    pub currency: Option<String>,
    /// Exact decimal string of the capital at close of the month.
    pub capital: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recovered: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub raw: Raw,
    #[serde(default)]
    pub lines: Lines,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareClass {
    pub class_key: String,
    pub class: Option<String>,
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub description: Option<String>,
    pub stock_code: Option<String>,
    pub other_code: Option<String>,
    /// Multi-counter codes such as "80020", with their currency when printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub multi_counter: Vec<String>,
    pub listed: Option<bool>,
    pub authorised: Option<Authorised>,
    pub issued: Option<Balance>,
    pub treasury: Option<Balance>,
    pub total: Option<Balance>,
    #[serde(default)]
    pub lines: Lines,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptionMoveKind {
    Granted,
    Exercised,
    Cancelled,
    Lapsed,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionMovement {
    pub kind: OptionMoveKind,
    /// Signed: granted positive; exercised, cancelled, lapsed negative;
    /// other as printed.
    pub amount: i64,
    pub note: Option<String>,
    #[serde(default)]
    pub line: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionScheme {
    pub scheme: String,
    /// ISO date of adoption when given.
    pub adopted: Option<String>,
    pub exercise_price: Option<String>,
    pub class_key: Option<String>,
    pub opening: Option<i64>,
    pub movements: Vec<OptionMovement>,
    pub closing: Option<i64>,
    pub new_shares_issued: Option<i64>,
    pub issuable_at_close: Option<i64>,
    pub recovered: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub raw: Raw,
    #[serde(default)]
    pub lines: Lines,
}

impl OptionScheme {
    /// The month's movements of one kind, summed as printed (exercises and
    /// lapses are negative).
    pub fn moved(&self, kind: OptionMoveKind) -> i64 {
        self.movements
            .iter()
            .filter(|m| m.kind == kind)
            .map(|m| m.amount)
            .sum()
    }

    /// The word the shares-issuable cell printed instead of a figure ("N/A",
    /// "Nil"); None when it printed a figure, or nothing was read.
    pub fn issuable_printed_as_word(&self) -> Option<&str> {
        if self.issuable_at_close.is_some() {
            return None;
        }
        let r = self.raw.get("issuable_at_close")?.trim();
        (!r.is_empty() && !r.bytes().any(|b| b.is_ascii_digit())).then_some(r)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warrant {
    pub description: String,
    pub currency: Option<String>,
    /// True when counted in units, false when in money.
    pub units: bool,
    /// Units (integers) or money (decimal strings) as printed, normalised.
    pub opening: Option<String>,
    pub exercised: Option<String>,
    pub closing: Option<String>,
    pub new_shares_issued: Option<i64>,
    pub issuable_at_close: Option<i64>,
    pub subscription_price: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_key: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub raw: Raw,
    #[serde(default)]
    pub lines: Lines,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Convertible {
    pub description: String,
    pub currency: Option<String>,
    /// Money amounts as exact decimal strings.
    pub amount_opening: Option<String>,
    pub converted: Option<String>,
    pub amount_closing: Option<String>,
    pub new_shares_issued: Option<i64>,
    pub issuable_at_close: Option<i64>,
    pub conversion_price: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_key: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub raw: Raw,
    #[serde(default)]
    pub lines: Lines,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    Repurchase,
    Cancellation,
    Placing,
    RightsIssue,
    OpenOffer,
    Scrip,
    Bonus,
    ShareAward,
    Conversion,
    Consolidation,
    Subdivision,
    /// Next day returns: shares issued on exercise of options or warrants.
    Exercise,
    Redemption,
    Other,
}

impl MovementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::Repurchase => "repurchase",
            MovementKind::Cancellation => "cancellation",
            MovementKind::Placing => "placing",
            MovementKind::RightsIssue => "rights_issue",
            MovementKind::OpenOffer => "open_offer",
            MovementKind::Scrip => "scrip",
            MovementKind::Bonus => "bonus",
            MovementKind::ShareAward => "share_award",
            MovementKind::Conversion => "conversion",
            MovementKind::Consolidation => "consolidation",
            MovementKind::Subdivision => "subdivision",
            MovementKind::Exercise => "exercise",
            MovementKind::Redemption => "redemption",
            MovementKind::Other => "other",
        }
    }
}

/// Section III(D) other issues and III(E) other movements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherMovement {
    pub kind: MovementKind,
    pub class_key: Option<String>,
    /// Signed shares.
    pub amount: Option<i64>,
    pub date: Option<String>,
    pub price: Option<String>,
    /// True for shares repurchased but not yet cancelled.
    pub pending: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuable_at_close: Option<i64>,
    #[serde(default)]
    pub lines: Lines,
}

/// One change reported by a next day disclosure return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NdrMovement {
    pub date: Option<String>,
    pub kind: MovementKind,
    pub class_key: Option<String>,
    /// Signed shares.
    pub amount: Option<i64>,
    pub price: Option<String>,
    pub currency: Option<String>,
    pub pending: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub lines: Lines,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LockUpKind {
    Undertaking,
    Extension,
    Expiry,
}

impl LockUpKind {
    /// The name in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            LockUpKind::Undertaking => "undertaking",
            LockUpKind::Extension => "extension",
            LockUpKind::Expiry => "expiry",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockUp {
    pub party: String,
    pub entity: Option<String>,
    pub shares: Option<String>,
    pub share_count: Option<i64>,
    /// ISO dates.
    pub start: Option<String>,
    pub end: Option<String>,
    pub months: Option<u32>,
    pub kind: LockUpKind,
    #[serde(default)]
    pub lines: Lines,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// The fixed list of finding codes (documented in the README).
pub mod codes {
    /// opening + change != closing (authorised, issued, treasury, scheme).
    pub const BALANCE_ARITHMETIC: &str = "balance_arithmetic";
    /// shares x par value != capital, once per class.
    pub const PAR_TIMES_SHARES: &str = "par_times_shares";
    /// sum of class capitals != stated total.
    pub const TOTAL_MISMATCH: &str = "total_mismatch";
    /// new shares under sections III(A)-(E) != change in issued shares.
    pub const MOVEMENTS_VS_CHANGE: &str = "movements_vs_change";
    /// a value was recovered by the form's arithmetic rather than read.
    pub const RECOVERED_VALUE: &str = "recovered_value";
    /// a check could not be made because the form does not print the figures.
    pub const NOT_CHECKABLE: &str = "not_checkable";
    /// the file was not UTF-8 and was decoded with a fallback encoding.
    pub const ENCODING_FALLBACK: &str = "encoding_fallback";
    /// a value could neither be read nor recovered.
    pub const UNREADABLE_VALUE: &str = "unreadable_value";
    /// a field the form requires was not found.
    pub const MISSING_FIELD: &str = "missing_field";
    /// the issuer reported something inconsistent (e.g. exercised options with no new shares).
    pub const ISSUER_INCONSISTENCY: &str = "issuer_inconsistency";
    /// index: a month's opening differs from the previous month's closing
    /// (issued or treasury shares, or an option scheme's outstanding options).
    pub const CHAIN_BREAK: &str = "chain_break";
    /// index: a month missing between two returns.
    pub const GAP_MONTH: &str = "gap_month";
    /// index: this return was replaced by a later one for the same month.
    pub const SUPERSEDED: &str = "superseded";
    /// index: a next day return's closing balance disagrees with the monthly return.
    pub const NDR_VS_MONTHLY: &str = "ndr_vs_monthly";
    pub const NDR_CHAIN_BREAK: &str = "ndr_chain_break";
    /// index: the issuer's name changed together with a break in the share chain.
    pub const RENAME_WITH_BREAK: &str = "rename_with_break";

    /// Every code with a one-line meaning, for the README and `--help`.
    pub const ALL: &[(&str, &str)] = &[
        (BALANCE_ARITHMETIC, "opening + change != closing"),
        (PAR_TIMES_SHARES, "shares x par value != stated capital"),
        (TOTAL_MISMATCH, "sum of class capitals != stated total"),
        (
            MOVEMENTS_VS_CHANGE,
            "new shares under III(A)-(E) != change in issued shares",
        ),
        (
            RECOVERED_VALUE,
            "a value was recovered by arithmetic, not read",
        ),
        (
            NOT_CHECKABLE,
            "the form does not print the figures a check needs",
        ),
        (
            ENCODING_FALLBACK,
            "the file was decoded with a fallback encoding",
        ),
        (
            UNREADABLE_VALUE,
            "a value could neither be read nor recovered",
        ),
        (MISSING_FIELD, "a field the form requires was not found"),
        (
            ISSUER_INCONSISTENCY,
            "the issuer's own figures contradict each other",
        ),
        (CHAIN_BREAK, "opening balance != previous month's closing"),
        (GAP_MONTH, "a month is missing between two returns"),
        (SUPERSEDED, "replaced by a later return for the same month"),
        (NDR_VS_MONTHLY, "next day return balance != monthly return"),
        (
            NDR_CHAIN_BREAK,
            "next day return opening != the balance before it",
        ),
        (
            RENAME_WITH_BREAK,
            "issuer renamed together with a chain break",
        ),
    ];
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub level: Level,
    pub code: String,
    pub message: String,
    pub line: Option<u32>,
    pub class_key: Option<String>,
    /// Cross-filing findings: the other filing involved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_file: Option<String>,
}

impl Finding {
    pub fn new(level: Level, code: &str, message: impl Into<String>) -> Finding {
        Finding {
            level,
            code: code.to_string(),
            message: message.into(),
            line: None,
            class_key: None,
            other_file: None,
        }
    }
    pub fn at(mut self, line: Option<u32>) -> Finding {
        self.line = line;
        self
    }
    pub fn class(mut self, class_key: Option<&str>) -> Finding {
        self.class_key = class_key.map(|s| s.to_string());
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    Unreadable,
    Empty,
    Binary,
    TooLarge,
    Encoding,
    Pdf,
    NotAFiling,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Unreadable => "unreadable",
            ErrorKind::Empty => "empty",
            ErrorKind::Binary => "binary",
            ErrorKind::TooLarge => "too_large",
            ErrorKind::Encoding => "encoding",
            ErrorKind::Pdf => "pdf",
            ErrorKind::NotAFiling => "not_a_filing",
        }
    }
    /// `not_a_filing` entries (a README in the folder) are not failures.
    pub fn is_failure(self) -> bool {
        self != ErrorKind::NotAFiling
    }
}

/// A file that could not be used: `{file, error, error_kind}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileError {
    pub file: String,
    pub error: String,
    pub error_kind: ErrorKind,
}

/// One entry of `parse --json`: a filing or an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Entry {
    Filing(Box<Filing>),
    Error(FileError),
}

impl Entry {
    pub fn file(&self) -> &str {
        match self {
            Entry::Filing(f) => &f.file,
            Entry::Error(e) => &e.file,
        }
    }
}

/// Field name -> 1-based source line, kept small: every object that holds
/// extracted values carries one, so it is most of a filing's heap when it is
/// a `BTreeMap<String, u32>` (a 320-byte node and a string per field).
mod lines {
    use serde::de::{MapAccess, Visitor};
    use serde::ser::SerializeMap;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::cmp::Ordering;
    use std::collections::HashMap;
    use std::fmt;
    use std::sync::{LazyLock, RwLock};

    /// Field names the parsers use, sorted: a name's id is its position, so
    /// ids of these compare as the names do.
    const KNOWN: &[&str] = &[
        "adopted",
        "amount",
        "amount_closing",
        "amount_opening",
        "as_of",
        "authorised",
        "authorised_total",
        "authorised_total_currency",
        "cancelled",
        "capital",
        "change",
        "change_partial",
        "class",
        "class_key",
        "closing",
        "conversion_price",
        "converted",
        "currency",
        "date",
        "description",
        "end",
        "entity",
        "exercise_price",
        "exercised",
        "expiry",
        "form",
        "funds_raised",
        "granted",
        "issuable_at_close",
        "issued",
        "issuer",
        "issuer_zh",
        "kind",
        "language",
        "lapsed",
        "listed",
        "months",
        "movement",
        "movements",
        "name",
        "new_shares_issued",
        "note",
        "opening",
        "opening_as_of",
        "other_code",
        "par_value",
        "party",
        "pending",
        "period",
        "price",
        "remarks",
        "scheme",
        "share_count",
        "shares",
        "signer",
        "start",
        "status",
        "stock_code",
        "stock_codes",
        "subscription_price",
        "title",
        "total",
        "treasury",
        "treasury_transferred",
        "type",
        "units",
    ];

    /// Any other name, given an id after the known ones on first use. Field
    /// names come from the program (the parsers' constants) and from the
    /// cache it wrote, so this stays a handful of names; each is kept for
    /// the life of the process.
    static EXTRA: RwLock<Vec<&'static str>> = RwLock::new(Vec::new());

    /// [`KNOWN`] by name: every filing read from the cache looks up each of
    /// its field names, and a binary search of the list cost a tenth of a
    /// warm start in string comparisons.
    static KNOWN_IDS: LazyLock<HashMap<&'static str, u16, foldhash::fast::FixedState>> =
        LazyLock::new(|| {
            KNOWN
                .iter()
                .enumerate()
                .map(|(i, &n)| (n, i as u16))
                .collect()
        });

    /// The id of a name, without adding it.
    fn lookup(name: &str) -> Option<u16> {
        if let Some(&i) = KNOWN_IDS.get(name) {
            return Some(i);
        }
        let extra = EXTRA.read().unwrap_or_else(|e| e.into_inner());
        extra
            .iter()
            .position(|&n| n == name)
            .map(|i| (KNOWN.len() + i) as u16)
    }

    /// The id of a name, adding it when new.
    fn intern(name: &str) -> u16 {
        if let Some(id) = lookup(name) {
            return id;
        }
        let mut extra = EXTRA.write().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = extra.iter().position(|&n| n == name) {
            return (KNOWN.len() + i) as u16;
        }
        let id = KNOWN.len() + extra.len();
        // u16 ids: past 65,536 names (which the program never makes) the
        // last id is reused, so such names share one slot rather than panic.
        if id > usize::from(u16::MAX) {
            return u16::MAX;
        }
        extra.push(Box::leak(name.to_string().into_boxed_str()));
        id as u16
    }

    fn name(id: u16) -> &'static str {
        let i = usize::from(id);
        if let Some(n) = KNOWN.get(i) {
            return n;
        }
        let extra = EXTRA.read().unwrap_or_else(|e| e.into_inner());
        extra.get(i - KNOWN.len()).copied().unwrap_or("")
    }

    /// Names order as strings (the JSON object's key order).
    fn cmp_ids(a: u16, b: u16) -> Ordering {
        let n = KNOWN.len();
        if usize::from(a) < n && usize::from(b) < n {
            a.cmp(&b)
        } else {
            name(a).cmp(name(b))
        }
    }

    #[derive(Clone, Copy, PartialEq, Eq, Hash)]
    struct Slot {
        field: u16,
        line: u32,
    }

    /// Field name -> 1-based source line, ordered by name so JSON output is
    /// stable. The methods are those of the `BTreeMap<String, u32>` it
    /// replaces, and it serialises to the same JSON object; inside it is a
    /// boxed slice of (interned name, line) pairs: 16 bytes inline, 8 per
    /// field on the heap, nothing when empty.
    #[derive(Clone, Default, PartialEq, Eq, Hash)]
    pub struct Lines(Box<[Slot]>);

    impl Lines {
        pub fn new() -> Lines {
            Lines::default()
        }

        pub fn len(&self) -> usize {
            self.0.len()
        }

        pub fn is_empty(&self) -> bool {
            self.0.is_empty()
        }

        /// Position of the field, or where it would go.
        fn find(&self, id: u16) -> Result<usize, usize> {
            self.0.binary_search_by(|s| cmp_ids(s.field, id))
        }

        fn position<Q: AsRef<str> + ?Sized>(&self, field: &Q) -> Option<usize> {
            let id = lookup(field.as_ref())?;
            self.find(id).ok()
        }

        /// Set the line of a field; the previous line when it had one.
        pub fn insert(&mut self, field: String, line: u32) -> Option<u32> {
            self.insert_str(&field, line)
        }

        /// [`Lines::insert`] without an owned name.
        pub fn insert_str(&mut self, field: &str, line: u32) -> Option<u32> {
            let id = intern(field);
            match self.find(id) {
                Ok(i) => Some(std::mem::replace(&mut self.0[i].line, line)),
                Err(i) => {
                    let mut v = Vec::with_capacity(self.0.len() + 1);
                    v.extend_from_slice(&self.0[..i]);
                    v.push(Slot { field: id, line });
                    v.extend_from_slice(&self.0[i..]);
                    self.0 = v.into_boxed_slice();
                    None
                }
            }
        }

        pub fn get<Q: AsRef<str> + ?Sized>(&self, field: &Q) -> Option<&u32> {
            self.position(field).map(|i| &self.0[i].line)
        }

        pub fn get_mut<Q: AsRef<str> + ?Sized>(&mut self, field: &Q) -> Option<&mut u32> {
            self.position(field).map(|i| &mut self.0[i].line)
        }

        pub fn contains_key<Q: AsRef<str> + ?Sized>(&self, field: &Q) -> bool {
            self.position(field).is_some()
        }

        pub fn remove<Q: AsRef<str> + ?Sized>(&mut self, field: &Q) -> Option<u32> {
            let i = self.position(field)?;
            let line = self.0[i].line;
            let mut v = self.0.to_vec();
            v.remove(i);
            self.0 = v.into_boxed_slice();
            Some(line)
        }

        pub fn entry(&mut self, field: String) -> Entry<'_> {
            Entry {
                lines: self,
                id: intern(&field),
            }
        }

        /// (field, line) by field name.
        pub fn iter(&self) -> Iter<'_> {
            Iter(self.0.iter())
        }

        pub fn keys(
            &self,
        ) -> impl DoubleEndedIterator<Item = &'static str> + ExactSizeIterator + '_ {
            self.0.iter().map(|s| name(s.field))
        }

        pub fn values(
            &self,
        ) -> impl DoubleEndedIterator<Item = &u32> + ExactSizeIterator + Clone + '_ {
            self.0.iter().map(|s| &s.line)
        }

        /// The first field by name, with its line.
        pub fn first_key_value(&self) -> Option<(&'static str, &u32)> {
            self.iter().next()
        }

        /// Same as [`Lines::first_key_value`].
        pub fn first(&self) -> Option<(&'static str, &u32)> {
            self.first_key_value()
        }

        pub fn last_key_value(&self) -> Option<(&'static str, &u32)> {
            self.iter().next_back()
        }

        pub fn clear(&mut self) {
            self.0 = Box::default();
        }
    }

    /// A field's place in [`Lines`], as `BTreeMap::entry` gives.
    pub struct Entry<'a> {
        lines: &'a mut Lines,
        id: u16,
    }

    impl<'a> Entry<'a> {
        pub fn or_insert(self, line: u32) -> &'a mut u32 {
            self.or_insert_with(|| line)
        }

        pub fn or_insert_with(self, f: impl FnOnce() -> u32) -> &'a mut u32 {
            let i = match self.lines.find(self.id) {
                Ok(i) => i,
                Err(i) => {
                    let mut v = Vec::with_capacity(self.lines.0.len() + 1);
                    v.extend_from_slice(&self.lines.0[..i]);
                    v.push(Slot {
                        field: self.id,
                        line: f(),
                    });
                    v.extend_from_slice(&self.lines.0[i..]);
                    self.lines.0 = v.into_boxed_slice();
                    i
                }
            };
            &mut self.lines.0[i].line
        }

        pub fn or_default(self) -> &'a mut u32 {
            self.or_insert(0)
        }

        pub fn and_modify(self, f: impl FnOnce(&mut u32)) -> Entry<'a> {
            if let Ok(i) = self.lines.find(self.id) {
                f(&mut self.lines.0[i].line);
            }
            self
        }

        pub fn key(&self) -> &'static str {
            name(self.id)
        }
    }

    /// Iterator over (field, line), by field name.
    #[derive(Clone)]
    pub struct Iter<'a>(std::slice::Iter<'a, Slot>);

    impl<'a> Iterator for Iter<'a> {
        type Item = (&'static str, &'a u32);
        fn next(&mut self) -> Option<Self::Item> {
            self.0.next().map(|s| (name(s.field), &s.line))
        }
        fn size_hint(&self) -> (usize, Option<usize>) {
            self.0.size_hint()
        }
    }

    impl DoubleEndedIterator for Iter<'_> {
        fn next_back(&mut self) -> Option<Self::Item> {
            self.0.next_back().map(|s| (name(s.field), &s.line))
        }
    }

    impl ExactSizeIterator for Iter<'_> {}

    impl<'a> IntoIterator for &'a Lines {
        type Item = (&'static str, &'a u32);
        type IntoIter = Iter<'a>;
        fn into_iter(self) -> Iter<'a> {
            self.iter()
        }
    }

    impl<K: AsRef<str>> FromIterator<(K, u32)> for Lines {
        fn from_iter<I: IntoIterator<Item = (K, u32)>>(iter: I) -> Lines {
            let mut l = Lines::new();
            l.extend(iter);
            l
        }
    }

    impl<K: AsRef<str>> Extend<(K, u32)> for Lines {
        fn extend<I: IntoIterator<Item = (K, u32)>>(&mut self, iter: I) {
            let mut v = self.0.to_vec();
            for (k, line) in iter {
                let id = intern(k.as_ref());
                match v.binary_search_by(|s| cmp_ids(s.field, id)) {
                    Ok(i) => v[i].line = line,
                    Err(i) => v.insert(i, Slot { field: id, line }),
                }
            }
            self.0 = v.into_boxed_slice();
        }
    }

    impl<K: AsRef<str>, const N: usize> From<[(K, u32); N]> for Lines {
        fn from(pairs: [(K, u32); N]) -> Lines {
            pairs.into_iter().collect()
        }
    }

    impl From<std::collections::BTreeMap<String, u32>> for Lines {
        fn from(m: std::collections::BTreeMap<String, u32>) -> Lines {
            m.into_iter().collect()
        }
    }

    /// Printed as the map it stands for: `{"closing": 18, "opening": 16}`.
    impl fmt::Debug for Lines {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_map().entries(self.iter()).finish()
        }
    }

    /// The JSON object `{field: line}`, keys in order.
    impl Serialize for Lines {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(Some(self.len()))?;
            for (k, v) in self.iter() {
                m.serialize_entry(k, v)?;
            }
            m.end()
        }
    }

    /// A key of the JSON object, interned as it is read.
    struct Field(u16);

    impl<'de> Deserialize<'de> for Field {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Field, D::Error> {
            struct V;
            impl Visitor<'_> for V {
                type Value = Field;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a field name")
                }
                fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Field, E> {
                    Ok(Field(intern(v)))
                }
            }
            d.deserialize_str(V)
        }
    }

    impl<'de> Deserialize<'de> for Lines {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Lines, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Lines;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a map of field names to line numbers")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Lines, A::Error> {
                    let mut v: Vec<Slot> = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
                    while let Some((Field(id), line)) = map.next_entry::<Field, u32>()? {
                        // A repeated key: the last wins, as in a map.
                        match v.binary_search_by(|s| cmp_ids(s.field, id)) {
                            Ok(i) => v[i].line = line,
                            Err(i) => v.insert(i, Slot { field: id, line }),
                        }
                    }
                    Ok(Lines(v.into_boxed_slice()))
                }
            }
            d.deserialize_map(V)
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use std::collections::BTreeMap;

        #[test]
        fn known_names_are_sorted_and_unique() {
            assert!(KNOWN.windows(2).all(|w| w[0] < w[1]));
        }

        #[test]
        fn behaves_as_the_map_it_replaces() {
            let mut l = Lines::new();
            let mut m: BTreeMap<String, u32> = BTreeMap::new();
            // Known names, names the table lacks, and a repeated key.
            let ops: &[(&str, u32)] = &[
                ("opening", 16),
                ("zz_unlisted", 3),
                ("change", 17),
                ("a_unlisted", 9),
                ("closing", 18),
                ("opening", 20),
                ("Upper", 1),
            ];
            for &(k, v) in ops {
                assert_eq!(l.insert(k.into(), v), m.insert(k.to_string(), v));
                assert_eq!(l.len(), m.len());
            }
            let got: Vec<(String, u32)> = l.iter().map(|(k, v)| (k.to_string(), *v)).collect();
            let want: Vec<(String, u32)> = m.iter().map(|(k, v)| (k.clone(), *v)).collect();
            assert_eq!(got, want);
            assert_eq!(l.get("opening"), Some(&20));
            assert_eq!(l.get("missing"), None);
            assert!(l.contains_key("a_unlisted"));
            assert_eq!(*l.entry("change".into()).or_insert(99), 17);
            assert_eq!(*l.entry("remarks".into()).or_insert(40), 40);
            m.insert("remarks".into(), 40);
            assert_eq!(l.remove("zz_unlisted"), m.remove("zz_unlisted"));
            assert_eq!(
                l.values().copied().collect::<Vec<_>>(),
                m.values().copied().collect::<Vec<_>>()
            );
            assert_eq!(
                l.first_key_value().map(|(k, v)| (k, *v)),
                Some(("Upper", 1))
            );
            assert_eq!(format!("{l:?}"), format!("{m:?}"));
            // The same JSON object both ways.
            let json = serde_json::to_string(&l).unwrap_or_default();
            assert_eq!(json, serde_json::to_string(&m).unwrap_or_default());
            let back: Lines = serde_json::from_str(&json).unwrap_or_default();
            assert_eq!(back, l);
            let from_map: Lines = m.clone().into();
            assert_eq!(from_map, l);
        }

        #[test]
        fn empty_lines_take_no_heap_and_read_back() {
            let l = Lines::new();
            assert!(l.is_empty());
            assert_eq!(serde_json::to_string(&l).unwrap_or_default(), "{}");
            let back: Lines =
                serde_json::from_str("{}").unwrap_or_else(|_| Lines::from([("x", 1)]));
            assert!(back.is_empty());
            // A repeated key in JSON: the last wins, as for a map.
            let dup: Lines =
                serde_json::from_str(r#"{"opening": 1, "opening": 2}"#).unwrap_or_default();
            assert_eq!(dup.get("opening"), Some(&2));
            assert!(std::mem::size_of::<Lines>() <= 16);
        }
    }
}
