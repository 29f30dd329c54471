//! The data a filing yields, in the shape of the JSON contract (schema version 1).
//!
//! Every struct here serialises to exactly the keys the contract names; extra
//! keys are allowed by the contract and are added only where they help a reader.
//! `lines` maps a field name to the 1-based line of the file it was read from.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the JSON contract printed by `hkfilings parse --json`.
pub const SCHEMA_VERSION: u32 = 1;

/// Field name -> 1-based source line. Ordered so JSON output is stable.
pub type Lines = BTreeMap<String, u32>;

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
    /// index: a month's opening differs from the previous month's closing.
    pub const CHAIN_BREAK: &str = "chain_break";
    /// index: a month missing between two returns.
    pub const GAP_MONTH: &str = "gap_month";
    /// index: this return was replaced by a later one for the same month.
    pub const SUPERSEDED: &str = "superseded";
    /// index: a next day return's closing balance disagrees with the monthly return.
    pub const NDR_VS_MONTHLY: &str = "ndr_vs_monthly";
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
