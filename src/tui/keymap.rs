//! Keys are data: one table of `(context, key) -> Action`, resolved by
//! [`Keymap::resolve`], and the source of the help overlay and the hint bar.
//!
//! Every [`Action`] has a one-line doc and a config name (`snake_case`), so
//! `[keys]` in `config.toml` can rebind any of them.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use std::collections::BTreeMap;

/// What a key does. The config names them in snake_case (`half_page_down`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Quit the program (from the main screen; in a view, `q` goes back).
    Quit,
    /// Quit at once, wherever you are.
    ForceQuit,
    /// Show or hide the key help.
    Help,
    /// Focus the next pane.
    NextPane,
    /// Focus the previous pane.
    PrevPane,
    /// Focus the issuer list.
    FocusIssuers,
    /// Focus the share-capital pane.
    FocusCapital,
    /// Focus the option-scheme pane.
    FocusSchemes,
    /// Focus the lock-up pane.
    FocusLockups,
    /// Focus the filing timeline.
    FocusFilings,
    /// Focus the findings list.
    FocusFindings,
    /// Move the selection up.
    Up,
    /// Move the selection down.
    Down,
    /// Move the cell cursor left.
    Left,
    /// Move the cell cursor right.
    Right,
    /// Jump to the first row.
    Top,
    /// Jump to the last row.
    Bottom,
    /// Move half a page down.
    HalfPageDown,
    /// Move half a page up.
    HalfPageUp,
    /// Move a page down.
    PageDown,
    /// Move a page up.
    PageUp,
    /// Open the selection: a value's source line, a filing's text.
    Open,
    /// Back out of a view; while loading, cancel the load.
    Back,
    /// Cancel loading from any pane (what is loaded stays browsable). Not a
    /// plain letter: panes use letters for their own actions.
    CancelLoad,
    /// Load the folder again once a load has ended: after a cancel it reads
    /// the rest (what was read comes from the cache), and picks up any file
    /// changed meanwhile.
    Reload,
    /// The previous month of the selected issuer.
    PrevMonth,
    /// The next month of the selected issuer.
    NextMonth,
    /// Sort the issuer list by the next column.
    SortNext,
    /// Reverse the issuer sort order.
    SortReverse,
    /// Lock-ups: show only the selected issuer's, or all.
    ToggleIssuerFilter,
    /// Findings: switch between the selected issuer's and the whole corpus's.
    ToggleScope,
    /// Findings: show or hide info-level findings.
    ToggleInfo,
    /// List the findings of the selected filing (or the month's return).
    FilingFindings,
    /// Open the search box over the whole index.
    Search,
    /// Jump to the next result of the last search.
    SearchNext,
    /// Jump to the previous result of the last search.
    SearchPrev,
    /// Compare two months of the selected issuer.
    Diff,
    /// Diff: move both months one earlier.
    DiffEarlier,
    /// Diff: move both months one later.
    DiffLater,
    /// Diff: move only the `from` month one earlier.
    DiffFromEarlier,
    /// Diff: move only the `from` month one later.
    DiffFromLater,
    /// Diff: pick the `from` month from a list of the issuer's months.
    DiffPickFrom,
    /// Diff: pick the `to` month from a list of the issuer's months.
    DiffPickTo,
    /// Star or unstar the selected issuer (the watchlist).
    Star,
    /// Show only starred issuers, or all.
    StarredOnly,
    /// Write a note on the selected issuer.
    Note,
    /// Dismiss the selected finding with a reason (again: restore it).
    Dismiss,
    /// Export what the table shows (filter and sort) to CSV or JSON.
    Export,
    /// Copy the selected cell or row with its source to the clipboard.
    Copy,
    /// Open the selected filing's file with the system's opener.
    OpenExternal,
    /// The command line (`:expiring 30`, `:changed 5%`, `:findings CODE`, `:q`).
    Command,
}

impl Action {
    /// Every action, in help order.
    pub const ALL: &'static [Action] = &[
        Action::Quit,
        Action::ForceQuit,
        Action::Help,
        Action::NextPane,
        Action::PrevPane,
        Action::FocusIssuers,
        Action::FocusCapital,
        Action::FocusSchemes,
        Action::FocusLockups,
        Action::FocusFilings,
        Action::FocusFindings,
        Action::Up,
        Action::Down,
        Action::Left,
        Action::Right,
        Action::Top,
        Action::Bottom,
        Action::HalfPageDown,
        Action::HalfPageUp,
        Action::PageDown,
        Action::PageUp,
        Action::Open,
        Action::Back,
        Action::CancelLoad,
        Action::Reload,
        Action::PrevMonth,
        Action::NextMonth,
        Action::SortNext,
        Action::SortReverse,
        Action::ToggleIssuerFilter,
        Action::ToggleScope,
        Action::ToggleInfo,
        Action::FilingFindings,
        Action::Search,
        Action::SearchNext,
        Action::SearchPrev,
        Action::Diff,
        Action::DiffEarlier,
        Action::DiffLater,
        Action::DiffFromEarlier,
        Action::DiffFromLater,
        Action::DiffPickFrom,
        Action::DiffPickTo,
        Action::Star,
        Action::StarredOnly,
        Action::Note,
        Action::Dismiss,
        Action::Export,
        Action::Copy,
        Action::OpenExternal,
        Action::Command,
    ];

    /// One line for the help overlay.
    pub fn doc(self) -> &'static str {
        match self {
            Action::Quit => "quit (in a view: back)",
            Action::ForceQuit => "quit at once, anywhere",
            Action::Help => "show / hide this help",
            Action::NextPane => "next pane",
            Action::PrevPane => "previous pane",
            Action::FocusIssuers => "issuers",
            Action::FocusCapital => "share capital",
            Action::FocusSchemes => "option schemes, warrants, convertibles",
            Action::FocusLockups => "lock-ups",
            Action::FocusFilings => "filings",
            Action::FocusFindings => "findings",
            Action::Up => "up",
            Action::Down => "down",
            Action::Left => "previous column (source view: scroll left)",
            Action::Right => "next column (source view: scroll right)",
            Action::Top => "first row",
            Action::Bottom => "last row",
            Action::HalfPageDown => "half a page down",
            Action::HalfPageUp => "half a page up",
            Action::PageDown => "a page down",
            Action::PageUp => "a page up",
            Action::Open => "open: the value's source line / the filing's text",
            Action::Back => "back out; while loading: cancel loading",
            Action::CancelLoad => "cancel loading, anywhere (what is loaded stays)",
            Action::Reload => "load the folder again (after a cancel: the rest)",
            Action::PrevMonth => "previous month",
            Action::NextMonth => "next month",
            Action::SortNext => "sort by the next column",
            Action::SortReverse => "reverse the sort",
            Action::ToggleIssuerFilter => "only the selected issuer / all",
            Action::ToggleScope => "the selected issuer's / the whole corpus's",
            Action::ToggleInfo => "show / hide info findings",
            Action::FilingFindings => "findings of this filing",
            Action::Search => "search issuers, codes, schemes, people, titles",
            Action::SearchNext => "next search result",
            Action::SearchPrev => "previous search result",
            Action::Diff => "compare two months of the issuer",
            Action::DiffEarlier => "both months one earlier",
            Action::DiffLater => "both months one later",
            Action::DiffFromEarlier => "the `from` month one earlier",
            Action::DiffFromLater => "the `from` month one later",
            Action::DiffPickFrom => "pick the `from` month from a list",
            Action::DiffPickTo => "pick the `to` month from a list",
            Action::Star => "star / unstar the issuer",
            Action::StarredOnly => "only starred issuers / all",
            Action::Note => "note on the issuer (Ctrl-S saves)",
            Action::Dismiss => "dismiss the finding with a reason / restore it",
            Action::Export => "export the table as shown (CSV or JSON)",
            Action::Copy => "copy the selection with its source",
            Action::OpenExternal => "open the filing's file in the system viewer",
            Action::Command => "command: expiring N, changed X%, findings CODE, q",
        }
    }

    /// The name used in `config.toml`.
    pub fn name(self) -> String {
        let dbg = format!("{self:?}");
        let mut out = String::new();
        for (i, c) in dbg.chars().enumerate() {
            if c.is_ascii_uppercase() {
                if i > 0 {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
        out
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }
}

/// Where a key is pressed: a pane, a view, or anywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    Issuers,
    Capital,
    Schemes,
    Lockups,
    Filings,
    Findings,
    Source,
    /// The month-over-month comparison.
    Diff,
    /// The result list of a `:` command.
    Screen,
    Help,
}

impl Context {
    pub const ALL: &'static [Context] = &[
        Context::Global,
        Context::Issuers,
        Context::Capital,
        Context::Schemes,
        Context::Lockups,
        Context::Filings,
        Context::Findings,
        Context::Source,
        Context::Diff,
        Context::Screen,
        Context::Help,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Issuers => "Issuers",
            Context::Capital => "Share capital",
            Context::Schemes => "Schemes",
            Context::Lockups => "Lock-ups",
            Context::Filings => "Filings",
            Context::Findings => "Findings",
            Context::Source => "Source view",
            Context::Diff => "Month comparison",
            Context::Screen => "Command results",
            Context::Help => "Help",
        }
    }
}

/// A key with its modifiers, normalised so that `J` and `shift-j` are one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        // Terminals report `J` as Char('J') with or without SHIFT, and Shift-Tab
        // as BackTab with SHIFT: the shift is already in the code.
        if matches!(code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        let code = match code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            c => c,
        };
        Key { code, mods }
    }

    pub fn from_event(ev: &KeyEvent) -> Key {
        Key::new(ev.code, ev.modifiers)
    }

    /// Parse a key spec: `j`, `J`, `ctrl-d`, `alt-x`, `enter`, `esc`, `tab`,
    /// `shift-tab`, `up`, `pagedown`, `home`, `f1`, `space`, `?`, `[`.
    pub fn parse(spec: &str) -> Result<Key, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = spec;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (m, n) = if lower.starts_with("ctrl-") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift-") && rest.chars().count() > 6 {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            mods |= m;
            rest = rest.get(n..).unwrap_or("");
        }
        let named = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => Some(KeyCode::Enter),
            "esc" | "escape" => Some(KeyCode::Esc),
            "tab" if mods.contains(KeyModifiers::SHIFT) => Some(KeyCode::BackTab),
            "tab" => Some(KeyCode::Tab),
            "backtab" => Some(KeyCode::BackTab),
            "up" => Some(KeyCode::Up),
            "down" => Some(KeyCode::Down),
            "left" => Some(KeyCode::Left),
            "right" => Some(KeyCode::Right),
            "home" => Some(KeyCode::Home),
            "end" => Some(KeyCode::End),
            "pageup" | "pgup" => Some(KeyCode::PageUp),
            "pagedown" | "pgdn" => Some(KeyCode::PageDown),
            "space" => Some(KeyCode::Char(' ')),
            "backspace" => Some(KeyCode::Backspace),
            "delete" | "del" => Some(KeyCode::Delete),
            "minus" => Some(KeyCode::Char('-')),
            _ => None,
        };
        let code = match named {
            Some(c) => c,
            None => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => {
                        if mods.contains(KeyModifiers::SHIFT) {
                            KeyCode::Char(c.to_ascii_uppercase())
                        } else {
                            KeyCode::Char(c)
                        }
                    }
                    _ => match rest
                        .to_ascii_lowercase()
                        .strip_prefix('f')
                        .map(str::parse::<u8>)
                    {
                        Some(Ok(n)) if (1..=12).contains(&n) => KeyCode::F(n),
                        _ => return Err(format!("unknown key {spec:?}")),
                    },
                }
            }
        };
        Ok(Key::new(code, mods))
    }

    /// How the key is written in the help and the hint bar.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "S-Tab".to_string(),
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Backspace => "Bksp".to_string(),
            KeyCode::Delete => "Del".to_string(),
            other => format!("{other:?}"),
        };
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("C-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("M-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            out.push_str("S-");
        }
        out.push_str(&base);
        out
    }
}

/// One row of the key table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub ctx: Context,
    pub key: Key,
    pub action: Action,
}

/// The default key table: (context, key spec, action).
const DEFAULTS: &[(Context, &str, Action)] = {
    use Action::*;
    use Context::{
        Capital, Diff as DiffCtx, Filings, Findings, Global, Issuers, Lockups, Schemes, Screen,
        Source,
    };
    &[
        (Global, "q", Quit),
        (Global, "ctrl-c", ForceQuit),
        (Global, "?", Action::Help),
        (Global, "f1", Action::Help),
        (Global, "tab", NextPane),
        (Global, "shift-tab", PrevPane),
        (Global, "1", FocusIssuers),
        (Global, "2", FocusCapital),
        (Global, "3", FocusSchemes),
        (Global, "4", FocusLockups),
        (Global, "5", FocusFilings),
        (Global, "6", FocusFindings),
        (Global, "j", Down),
        (Global, "down", Down),
        (Global, "k", Up),
        (Global, "up", Up),
        (Global, "h", Left),
        (Global, "left", Left),
        (Global, "l", Right),
        (Global, "right", Right),
        (Global, "g", Top),
        (Global, "home", Top),
        (Global, "G", Bottom),
        (Global, "end", Bottom),
        (Global, "ctrl-d", HalfPageDown),
        (Global, "ctrl-u", HalfPageUp),
        (Global, "pagedown", PageDown),
        (Global, "pageup", PageUp),
        (Global, "enter", Open),
        (Global, "esc", Back),
        (Global, "ctrl-x", CancelLoad),
        (Global, "ctrl-r", Reload),
        (Global, "[", PrevMonth),
        (Global, "]", NextMonth),
        (Global, "/", Search),
        (Global, "n", SearchNext),
        (Global, "N", SearchPrev),
        (Global, ":", Command),
        (Global, "d", Diff),
        (Global, "s", Star),
        (Global, "a", Note),
        (Global, "e", Export),
        (Global, "y", Copy),
        (Global, "o", OpenExternal),
        (Issuers, "t", SortNext),
        (Issuers, "T", SortReverse),
        (Issuers, "*", StarredOnly),
        (Findings, "x", Dismiss),
        (DiffCtx, "[", DiffEarlier),
        (DiffCtx, "]", DiffLater),
        (DiffCtx, "{", DiffFromEarlier),
        (DiffCtx, "}", DiffFromLater),
        (DiffCtx, "f", DiffPickFrom),
        (DiffCtx, "t", DiffPickTo),
        (DiffCtx, "q", Back),
        (Screen, "q", Back),
        (Capital, "!", FilingFindings),
        (Schemes, "!", FilingFindings),
        (Filings, "!", FilingFindings),
        (Lockups, "f", ToggleIssuerFilter),
        (Findings, "c", ToggleScope),
        (Findings, "i", ToggleInfo),
        (Source, "q", Back),
        (Context::Help, "q", Back),
        (Context::Help, "esc", Back),
        (Context::Help, "?", Back),
        (Context::Help, "f1", Back),
        (Context::Help, "j", Down),
        (Context::Help, "down", Down),
        (Context::Help, "k", Up),
        (Context::Help, "up", Up),
        (Context::Help, "g", Top),
        (Context::Help, "G", Bottom),
        (Context::Help, "ctrl-d", HalfPageDown),
        (Context::Help, "ctrl-u", HalfPageUp),
        (Context::Help, "pagedown", PageDown),
        (Context::Help, "pageup", PageUp),
    ]
};

/// Groups of actions shown in the hint bar, per context, in order; the keys
/// come from the table so rebinding changes the hints too.
fn hint_groups(ctx: Context) -> &'static [(&'static [Action], &'static str)] {
    use Action::*;
    match ctx {
        Context::Issuers => &[
            (&[Down, Up], "move"),
            (&[Search], "search"),
            (&[Diff], "diff"),
            (&[Star], "star"),
            (&[SortNext], "sort"),
            (&[PrevMonth, NextMonth], "month"),
            (&[NextPane], "pane"),
            (&[Help], "help"),
            (&[Quit], "quit"),
        ],
        Context::Capital => &[
            (&[Down, Up], "move"),
            (&[Left, Right], "column"),
            (&[PrevMonth, NextMonth], "month"),
            (&[Open], "source"),
            (&[FilingFindings], "findings"),
            (&[NextPane], "pane"),
            (&[Help], "help"),
            (&[Quit], "quit"),
        ],
        // One column of cells: no column keys.
        Context::Schemes => &[
            (&[Down, Up], "move"),
            (&[PrevMonth, NextMonth], "month"),
            (&[Open], "source"),
            (&[FilingFindings], "findings"),
            (&[NextPane], "pane"),
            (&[Help], "help"),
            (&[Quit], "quit"),
        ],
        Context::Lockups => &[
            (&[Down, Up], "move"),
            (&[Open], "source"),
            (&[ToggleIssuerFilter], "this issuer/all"),
            (&[NextPane], "pane"),
            (&[Help], "help"),
            (&[Quit], "quit"),
        ],
        Context::Filings => &[
            (&[Down, Up], "move"),
            (&[Open], "read"),
            (&[FilingFindings], "findings"),
            (&[NextPane], "pane"),
            (&[Help], "help"),
            (&[Quit], "quit"),
        ],
        Context::Findings => &[
            (&[Down, Up], "move"),
            (&[Open], "source"),
            (&[ToggleScope], "issuer/all"),
            (&[ToggleInfo], "info"),
            (&[Dismiss], "dismiss"),
            (&[NextPane], "pane"),
            (&[Help], "help"),
            (&[Quit], "quit"),
        ],
        Context::Source => &[
            (&[Down, Up], "scroll"),
            (&[Left, Right], "sideways"),
            (&[HalfPageDown, HalfPageUp], "half page"),
            (&[Top, Bottom], "top/end"),
            (&[Back], "back"),
            (&[Help], "help"),
        ],
        Context::Diff => &[
            (&[Down, Up], "move"),
            (&[DiffEarlier, DiffLater], "months"),
            (&[DiffFromEarlier, DiffFromLater], "from"),
            (&[DiffPickFrom, DiffPickTo], "pick"),
            (&[Open], "source"),
            (&[Back], "close"),
            (&[Help], "help"),
        ],
        Context::Screen => &[
            (&[Down, Up], "move"),
            (&[Open], "go to"),
            (&[Export], "export"),
            (&[Back], "close"),
            (&[Help], "help"),
        ],
        Context::Help => &[
            (&[Down, Up], "scroll"),
            (&[Back], "close"),
            (&[ForceQuit], "quit"),
        ],
        Context::Global => &[(&[NextPane], "pane"), (&[Help], "help"), (&[Quit], "quit")],
    }
}

/// The key table in effect.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        let bindings = DEFAULTS
            .iter()
            .filter_map(|&(ctx, spec, action)| {
                Key::parse(spec)
                    .ok()
                    .map(|key| Binding { ctx, key, action })
            })
            .collect();
        Keymap { bindings }
    }
}

impl Keymap {
    /// The defaults with the config's `[keys]` applied: each named action's
    /// keys replace its default keys in every context it was bound in (the
    /// global context for actions with no default key). Returns a message per
    /// unknown action or key.
    pub fn with_overrides(keys: &BTreeMap<String, Vec<String>>) -> (Keymap, Vec<String>) {
        let mut map = Keymap::default();
        let mut problems = Vec::new();
        // (context, key) -> the configured action that took it: a second
        // configured action on the same key in the same place is a clash.
        let mut taken: Vec<(Context, Key, Action)> = Vec::new();
        for (name, specs) in keys {
            let Some(action) = Action::from_name(name) else {
                problems.push(format!("[keys] {name}: no such action"));
                continue;
            };
            let mut parsed = Vec::new();
            for spec in specs {
                match Key::parse(spec) {
                    Ok(k) => parsed.push(k),
                    Err(e) => problems.push(format!("[keys] {name}: {e}")),
                }
            }
            let mut ctxs: Vec<Context> = map
                .bindings
                .iter()
                .filter(|b| b.action == action)
                .map(|b| b.ctx)
                .collect();
            ctxs.dedup();
            if ctxs.is_empty() {
                ctxs.push(Context::Global);
            }
            map.bindings.retain(|b| b.action != action);
            for ctx in ctxs {
                for &key in &parsed {
                    if let Some(&(_, _, other)) = taken
                        .iter()
                        .find(|(c, k, a)| *c == ctx && *k == key && *a != action)
                    {
                        problems.push(format!(
                            "[keys] {} and {} are both bound to {} in {}; {} wins",
                            other.name(),
                            action.name(),
                            key.label(),
                            ctx.title(),
                            action.name()
                        ));
                    }
                    taken.push((ctx, key, action));
                    // A rebound key leaves whatever it did before in that context.
                    map.bindings.retain(|b| !(b.ctx == ctx && b.key == key));
                    map.bindings.push(Binding { ctx, key, action });
                }
            }
        }
        (map, problems)
    }

    /// The default key specs of an action in the first place it is bound
    /// (for the commented default config: a `[keys]` entry applies its keys
    /// in every place the action is bound, so listing the keys of all places
    /// would make them clash there).
    pub fn default_specs(&self, action: Action) -> Vec<String> {
        let first = DEFAULTS
            .iter()
            .find(|(_, _, a)| *a == action)
            .map(|(c, _, _)| *c);
        DEFAULTS
            .iter()
            .filter(|(c, _, a)| *a == action && Some(*c) == first)
            .map(|(_, spec, _)| (*spec).to_string())
            .collect()
    }

    /// What `key` does in `ctx`: the context's own binding first, then the
    /// global one. The help overlay lets through only `force_quit`.
    pub fn resolve(&self, ctx: Context, key: Key) -> Option<Action> {
        let find = |c: Context| {
            self.bindings
                .iter()
                .find(|b| b.ctx == c && b.key == key)
                .map(|b| b.action)
        };
        if let Some(a) = find(ctx) {
            return Some(a);
        }
        match (ctx, find(Context::Global)) {
            (Context::Help, Some(Action::ForceQuit)) => Some(Action::ForceQuit),
            (Context::Help, _) => None,
            (_, a) => a,
        }
    }

    /// Keys bound to `action` as seen from `ctx` (own bindings, then global
    /// ones the context does not shadow).
    pub fn keys_for(&self, ctx: Context, action: Action) -> Vec<Key> {
        let mut out: Vec<Key> = Vec::new();
        for b in self
            .bindings
            .iter()
            .filter(|b| b.ctx == ctx && b.action == action)
        {
            out.push(b.key);
        }
        if ctx != Context::Help || action == Action::ForceQuit {
            for b in self
                .bindings
                .iter()
                .filter(|b| b.ctx == Context::Global && b.action == action)
            {
                if self.resolve(ctx, b.key) == Some(action) && !out.contains(&b.key) {
                    out.push(b.key);
                }
            }
        }
        out
    }

    /// The hint bar for a context: (keys, label) pairs, e.g. ("j/k", "move").
    pub fn hints(&self, ctx: Context) -> Vec<(String, &'static str)> {
        hint_groups(ctx)
            .iter()
            .filter_map(|(actions, label)| {
                let keys: Vec<String> = actions
                    .iter()
                    .filter_map(|&a| self.keys_for(ctx, a).first().map(Key::label))
                    .collect();
                (!keys.is_empty()).then(|| (keys.join("/"), *label))
            })
            .collect()
    }

    /// The help overlay: per context, each action with all its keys.
    pub fn help(&self) -> Vec<(Context, Vec<(String, &'static str)>)> {
        let mut out = Vec::new();
        for &ctx in Context::ALL {
            let mut rows = Vec::new();
            for &action in Action::ALL {
                let keys: Vec<String> = self
                    .bindings
                    .iter()
                    .filter(|b| b.ctx == ctx && b.action == action)
                    .map(|b| b.key.label())
                    .collect();
                if !keys.is_empty() {
                    rows.push((keys.join(" "), action.doc()));
                }
            }
            if !rows.is_empty() {
                out.push((ctx, rows));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(spec: &str) -> Key {
        Key::parse(spec).unwrap()
    }

    #[test]
    fn a_pane_binding_wins_over_the_global_one() {
        let map = Keymap::default();
        assert_eq!(map.resolve(Context::Source, k("q")), Some(Action::Back));
        assert_eq!(map.resolve(Context::Issuers, k("q")), Some(Action::Quit));
    }

    #[test]
    fn unbound_keys_in_a_pane_fall_through_to_global() {
        let map = Keymap::default();
        assert_eq!(map.resolve(Context::Lockups, k("j")), Some(Action::Down));
        assert_eq!(map.resolve(Context::Lockups, k("z")), None);
    }

    #[test]
    fn help_swallows_everything_but_force_quit() {
        let map = Keymap::default();
        assert_eq!(map.resolve(Context::Help, k("2")), None);
        assert_eq!(
            map.resolve(Context::Help, k("ctrl-c")),
            Some(Action::ForceQuit)
        );
    }

    #[test]
    fn shifted_letters_and_shift_tab_are_one_key_however_reported() {
        assert_eq!(
            Key::new(KeyCode::Char('G'), KeyModifiers::SHIFT),
            Key::new(KeyCode::Char('G'), KeyModifiers::NONE)
        );
        assert_eq!(
            k("shift-tab"),
            Key::new(KeyCode::BackTab, KeyModifiers::SHIFT)
        );
        assert_eq!(k("shift-g"), k("G"));
        assert_eq!(k("ctrl-D"), k("ctrl-d"));
    }

    #[test]
    fn key_specs_parse_names_function_keys_and_symbols() {
        assert_eq!(k("f1").code, KeyCode::F(1));
        assert_eq!(k("PageDown").code, KeyCode::PageDown);
        assert_eq!(k("[").code, KeyCode::Char('['));
        assert!(Key::parse("hyper-q").is_err());
        assert!(Key::parse("f13").is_err());
    }

    #[test]
    fn config_keys_replace_an_actions_defaults_and_report_unknowns() {
        let mut keys = BTreeMap::new();
        keys.insert("half_page_down".to_string(), vec!["J".to_string()]);
        keys.insert("fly".to_string(), vec!["z".to_string()]);
        keys.insert("top".to_string(), vec!["ctrl-hyper".to_string()]);
        let (map, problems) = Keymap::with_overrides(&keys);
        assert_eq!(
            map.resolve(Context::Issuers, k("J")),
            Some(Action::HalfPageDown)
        );
        assert_eq!(map.resolve(Context::Issuers, k("ctrl-d")), None);
        assert_eq!(
            map.resolve(Context::Help, k("J")),
            Some(Action::HalfPageDown)
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn every_action_has_a_config_name_that_reads_back() {
        for &a in Action::ALL {
            assert_eq!(Action::from_name(&a.name()), Some(a));
            let parsed: Action =
                serde::Deserialize::deserialize(serde::de::value::StrDeserializer::<
                    serde::de::value::Error,
                >::new(&a.name()))
                .unwrap();
            assert_eq!(parsed, a);
        }
        assert_eq!(Action::HalfPageDown.name(), "half_page_down");
    }

    #[test]
    fn hints_follow_rebound_keys() {
        let mut keys = BTreeMap::new();
        keys.insert("sort_next".to_string(), vec!["z".to_string()]);
        let (map, _) = Keymap::with_overrides(&keys);
        assert!(map
            .hints(Context::Issuers)
            .contains(&("z".to_string(), "sort")));
        assert_eq!(map.hints(Context::Issuers)[0], ("j/k".to_string(), "move"));
    }

    #[test]
    fn help_lists_every_bound_action_of_every_context() {
        let map = Keymap::default();
        let help = map.help();
        let global = &help.iter().find(|(c, _)| *c == Context::Global).unwrap().1;
        assert!(global.contains(&("j ↓".to_string(), "down")));
        assert!(help.iter().any(|(c, _)| *c == Context::Lockups));
    }
}
