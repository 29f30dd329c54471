//! All the explorer's state, and `update`: one message in, the new state out
//! (plus an [`Effect`] for the loop). `update` never draws; `ui::draw` reads
//! `&App` only.

use super::input::Input;
use super::keymap::{Action, Context, Key, Keymap};
use super::panes::diff::View;
use super::panes::{self, findings::FRef, Src};
use super::search::{SearchDone, SearchState};
use super::store::Store;
use super::text;
use super::theme::ColorSupport;
use super::theme::Theme;
use super::ui;
use crate::config::Config;
use crate::filings::index::{FilingId, Index};
use crate::filings::model::{Entry, Level};
use crate::filings::pdf::Extractor;
use crate::loader::LoaderEvent;
use crate::watch::WatchEvent;
use chrono::NaiveDate;
use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Everything the loop feeds the app: input, loader news, time.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    Loader(LoaderEvent),
    /// Time since loading started (sent a few times a second while loading):
    /// the files-per-second figure is computed from it, so tests inject it.
    Tick(Duration),
    /// A search finished on the search thread (or was cancelled).
    SearchDone(SearchDone),
    /// Files added, changed or removed in the folder while the explorer runs.
    Watch(WatchEvent),
    /// SIGTERM, SIGHUP or SIGINT: keep what the user was writing, then quit.
    Signal(i32),
}

/// How long a new status message covers the hint bar (narrow screens have no
/// room for both); after that the hints come back.
pub const STATUS_SHOWN: Duration = Duration::from_secs(4);

/// The app's clock: the system's, or one a test moves by hand.
#[derive(Debug, Clone, Default)]
pub struct Clock(Option<Arc<Mutex<Instant>>>);

impl Clock {
    /// A clock that stands still until [`Clock::advance`] moves it.
    pub fn manual() -> Clock {
        Clock(Some(Arc::new(Mutex::new(Instant::now()))))
    }

    pub fn now(&self) -> Instant {
        match &self.0 {
            Some(t) => t.lock().map(|t| *t).unwrap_or_else(|_| Instant::now()),
            None => Instant::now(),
        }
    }

    pub fn advance(&self, by: Duration) {
        if let Some(t) = &self.0 {
            if let Ok(mut t) = t.lock() {
                *t += by;
            }
        }
    }
}

/// What the loop must do for the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    CancelLoad,
    /// Start the loader over the folder again.
    Reload,
    /// Put this text on the clipboard.
    Copy(String),
    /// Open this file with the system's opener.
    OpenFile(String),
}

/// The panes, in Tab order; the number is the pane's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Issuers,
    Capital,
    Schemes,
    Lockups,
    Filings,
    Findings,
}

impl Pane {
    pub const ALL: [Pane; 6] = [
        Pane::Issuers,
        Pane::Capital,
        Pane::Schemes,
        Pane::Lockups,
        Pane::Filings,
        Pane::Findings,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Issuers => "Issuers",
            Pane::Capital => "Share capital",
            Pane::Schemes => "Schemes",
            Pane::Lockups => "Lock-ups",
            Pane::Filings => "Filings",
            Pane::Findings => "Findings",
        }
    }

    pub fn number(self) -> usize {
        Pane::ALL.iter().position(|&p| p == self).unwrap_or(0) + 1
    }

    pub fn context(self) -> Context {
        match self {
            Pane::Issuers => Context::Issuers,
            Pane::Capital => Context::Capital,
            Pane::Schemes => Context::Schemes,
            Pane::Lockups => Context::Lockups,
            Pane::Filings => Context::Filings,
            Pane::Findings => Context::Findings,
        }
    }

    fn step(self, by: isize) -> Pane {
        let n = Pane::ALL.len() as isize;
        let i = (self.number() as isize - 1 + by).rem_euclid(n);
        Pane::ALL[i as usize]
    }
}

/// A list's selected row and first visible row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scroll {
    pub sel: usize,
    pub offset: usize,
}

impl Scroll {
    pub fn move_by(&mut self, delta: isize, len: usize) {
        if len == 0 {
            self.sel = 0;
            return;
        }
        let max = len as isize - 1;
        self.sel = (self.sel as isize + delta).clamp(0, max) as usize;
    }

    pub fn clamp(&mut self, len: usize) {
        self.sel = self.sel.min(len.saturating_sub(1));
        self.offset = self.offset.min(self.sel);
    }

    /// No blank rows below the list's end while earlier rows are hidden (the
    /// window grew, the list shrank).
    pub fn fill(&mut self, height: usize, len: usize) {
        self.offset = self.offset.min(len.saturating_sub(height.max(1)));
    }

    /// Keep the selection within `height` visible rows, moving the view as little as possible.
    pub fn fit(&mut self, height: usize) {
        let height = height.max(1);
        if self.sel < self.offset {
            self.offset = self.sel;
        } else if self.sel >= self.offset + height {
            self.offset = self.sel + 1 - height;
        }
    }
}

/// A list with a cell cursor (share capital, schemes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Grid {
    pub rows: Scroll,
    pub col: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortCol {
    Code,
    Name,
    NameZh,
    Filings,
    Latest,
    Findings,
}

impl SortCol {
    pub const ALL: [SortCol; 6] = [
        SortCol::Code,
        SortCol::Name,
        SortCol::NameZh,
        SortCol::Filings,
        SortCol::Latest,
        SortCol::Findings,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SortCol::Code => "code",
            SortCol::Name => "name",
            SortCol::NameZh => "Chinese name",
            SortCol::Filings => "filings",
            SortCol::Latest => "latest month",
            SortCol::Findings => "findings",
        }
    }

    fn next(self) -> SortCol {
        let i = SortCol::ALL.iter().position(|&c| c == self).unwrap_or(0);
        SortCol::ALL[(i + 1) % SortCol::ALL.len()]
    }
}

/// The issuer list: codes in display order.
#[derive(Debug, Clone)]
pub struct IssuerList {
    pub order: Vec<String>,
    pub sort: SortCol,
    pub reverse: bool,
    pub scroll: Scroll,
    /// The user has picked an issuer (moved, searched, jumped). Until then
    /// the first row stays selected while the loader adds issuers, as the
    /// list's cursor does in any table that fills while it is shown.
    pub chosen: bool,
}

/// Which findings the findings pane lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingScope {
    Issuer,
    Corpus,
    Filing(FilingId),
}

/// Loading progress, as the loader reported it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    pub loading: bool,
    pub walked: usize,
    pub walk_done: bool,
    /// Files parsed so far (filings and errors).
    pub parsed: usize,
    pub failures: usize,
    pub problems: usize,
    pub elapsed: Duration,
    pub cancelled: bool,
    pub finished: bool,
}

impl Progress {
    pub fn rate(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.parsed as f64 / secs
        } else {
            0.0
        }
    }
}

/// A filing's text opened at a line; read from disk when opened, dropped when closed.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceView {
    pub file: String,
    /// Sanitised lines; index i is line i+1 of the file (as the parser numbers them).
    pub lines: Vec<String>,
    /// 0-based line to highlight.
    pub target: Option<usize>,
    pub scroll: usize,
    pub hscroll: usize,
    /// Why the text could not be shown (the file vanished, a PDF failed).
    pub error: Option<String>,
    /// Where the value came from, for the title ("issued closing of 00020 2023-11").
    pub what: String,
}

/// Derived lists kept between draws, rebuilt when the index or their filter changes.
#[derive(Debug, Default)]
pub struct Caches {
    pub lockups: Vec<(FilingId, usize)>,
    lockups_key: Option<(u64, Option<String>)>,
    pub findings: Vec<FRef>,
    findings_key: Option<(u64, FindingScope, bool, Option<String>, u64)>,
    /// Per issuer, how many of its counted findings the user dismissed.
    pub dismissed: HashMap<String, usize>,
    dismissed_key: Option<(u64, u64)>,
}

/// The issuer list's entry for the filings under no issuer (no stock code
/// read, and no issuer's name borne): no code is empty.
pub const NO_ISSUER: &str = "";

/// How often a running load's index is brought up to date.
const SETTLE_EVERY: Duration = Duration::from_millis(500);

pub struct App {
    pub index: Index,
    /// Bumped on every batch added to the index.
    pub generation: u64,
    pub today: NaiveDate,
    /// The folder being explored, as given.
    pub root: String,
    pub theme: Theme,
    pub keymap: Keymap,
    pub extractor: Extractor,
    pub mouse: bool,
    pub focus: Pane,
    /// The detail pane shown beside the issuer list while the list has focus.
    pub detail: Pane,
    /// Help overlay open, with its scroll offset.
    pub help: Option<usize>,
    pub source: Option<SourceView>,
    pub issuers: IssuerList,
    /// The selected month ("YYYY-MM") of the selected issuer.
    pub month: Option<String>,
    pub capital: Grid,
    pub schemes: Grid,
    pub lockups: Scroll,
    pub lockups_mine: bool,
    pub filings: Scroll,
    pub findings: Scroll,
    pub findings_scope: FindingScope,
    pub findings_info: bool,
    pub progress: Progress,
    /// The latest message for the status bar (config problems, load problems).
    pub status: Option<String>,
    /// When `status` last changed, by `clock`.
    status_at: Option<Instant>,
    pub clock: Clock,
    pub size: (u16, u16),
    pub caches: Caches,
    stale: bool,
    /// Entries added to the index whose issuers are not yet recomputed, and
    /// when that was last done (see [`App::refresh`]).
    unsettled: bool,
    last_settle: Option<Instant>,
    /// Stars, notes and dismissals (saved in the data folder).
    pub store: Store,
    /// Bumped when the store changes (lists that show it rebuild).
    pub user_gen: u64,
    /// The issuer list shows starred issuers only.
    pub starred_only: bool,
    /// The open text entry (search box, prompt, note), which takes the keys.
    pub input: Option<Input>,
    /// The comparison or a `:` screen over the detail area.
    pub view: Option<View>,
    pub search: SearchState,
    /// The last search's hits, for `n`/`N`, and the one shown.
    pub(crate) results: Vec<crate::filings::search::Hit>,
    pub(crate) result_pos: usize,
    /// The loop's channel: searches run on a thread and report through it.
    /// None (tests): they run inline.
    pub tx: Option<std::sync::mpsc::Sender<Msg>>,
}

impl App {
    pub fn new(index: Index, root: &str, config: &Config, today: NaiveDate) -> App {
        let (keymap, problems) = Keymap::with_overrides(&config.keys);
        let mut app = App {
            index,
            generation: 0,
            today,
            root: text::sanitize(root),
            theme: Theme::build(&config.theme, ColorSupport::from_env()),
            keymap,
            extractor: config.pdf_extractor,
            mouse: config.mouse,
            focus: Pane::Issuers,
            detail: Pane::Capital,
            help: None,
            source: None,
            issuers: IssuerList {
                order: Vec::new(),
                sort: SortCol::Code,
                reverse: false,
                scroll: Scroll::default(),
                chosen: false,
            },
            month: None,
            capital: Grid::default(),
            schemes: Grid::default(),
            lockups: Scroll::default(),
            lockups_mine: false,
            filings: Scroll::default(),
            findings: Scroll::default(),
            findings_scope: FindingScope::Issuer,
            findings_info: false,
            progress: Progress::default(),
            status: problems.into_iter().last(),
            status_at: None,
            clock: Clock::default(),
            size: (80, 24),
            caches: Caches::default(),
            stale: true,
            unsettled: false,
            last_settle: None,
            store: Store::memory(),
            user_gen: 0,
            starred_only: false,
            input: None,
            view: None,
            search: SearchState::default(),
            results: Vec::new(),
            result_pos: 0,
            tx: None,
        };
        app.status_at = app.status.as_ref().map(|_| app.clock.now());
        app.refresh();
        app
    }

    /// Note problems (config, load) for the status bar; the latest shows.
    pub fn report(&mut self, msgs: impl IntoIterator<Item = String>) {
        if let Some(m) = msgs.into_iter().last() {
            self.status = Some(text::sanitize(&m));
            self.status_at = Some(self.clock.now());
        }
    }

    /// How much longer the status message covers the hint bar; None when
    /// there is none or its time is up.
    pub fn status_left(&self) -> Option<Duration> {
        self.status.as_ref()?;
        let shown = self.clock.now().saturating_duration_since(self.status_at?);
        STATUS_SHOWN.checked_sub(shown).filter(|d| !d.is_zero())
    }

    /// The selected issuer's code.
    pub fn issuer_code(&self) -> Option<&str> {
        self.issuer_entry().filter(|c| !c.is_empty())
    }

    /// The selected row of the issuer list: an issuer's code, or
    /// [`NO_ISSUER`] for the filings that belong to none.
    fn issuer_entry(&self) -> Option<&str> {
        self.issuers
            .order
            .get(self.issuers.scroll.sel)
            .map(|s| s.as_str())
    }

    /// Whether the issuer list's row of filings under no issuer is selected.
    pub fn no_issuer_selected(&self) -> bool {
        self.issuer_entry() == Some(NO_ISSUER)
    }

    /// The effective monthly return of the selected issuer and month.
    pub fn month_filing(&self) -> Option<FilingId> {
        let code = self.issuer_code()?;
        let month = self.month.as_deref()?;
        self.index.issuer(code)?.months.get(month).copied()
    }

    /// The key context: an open view first, then the focused pane.
    pub fn context(&self) -> Context {
        if self.help.is_some() {
            Context::Help
        } else if self.source.is_some() {
            Context::Source
        } else {
            match &self.view {
                Some(View::Diff(_)) => Context::Diff,
                Some(View::Screen(_)) => Context::Screen,
                None => self.focus.context(),
            }
        }
    }

    /// The pane drawn in the detail area (when no source view covers it).
    pub fn detail_pane(&self) -> Pane {
        if self.focus == Pane::Issuers {
            self.detail
        } else {
            self.focus
        }
    }

    pub fn update(&mut self, msg: Msg) -> Option<Effect> {
        let before = self.status.clone();
        let effect = self.apply(msg);
        if self.status != before {
            self.status_at = self.status.as_ref().map(|_| self.clock.now());
        }
        effect
    }

    fn apply(&mut self, msg: Msg) -> Option<Effect> {
        let effect = match msg {
            Msg::Key(ev) => {
                // Windows reports releases too; only presses act.
                if ev.kind == KeyEventKind::Release {
                    return None;
                }
                let key = Key::from_event(&ev);
                if self.input.is_some() {
                    if self.keymap.resolve(Context::Global, key) == Some(Action::ForceQuit) {
                        return Some(Effect::Quit);
                    }
                    let e = self.input_key(ev);
                    self.refresh();
                    return e;
                }
                match self.keymap.resolve(self.context(), key) {
                    Some(a) => self.act(a),
                    None => None,
                }
            }
            Msg::Mouse(ev) => self.mouse(ev),
            Msg::Resize(w, h) => {
                self.size = (w, h);
                None
            }
            Msg::Loader(ev) => {
                self.loader(ev);
                // Batches arrive in bursts: the loop refreshes once before drawing.
                return None;
            }
            Msg::Tick(elapsed) => {
                if self.progress.loading {
                    self.progress.elapsed = elapsed;
                }
                None
            }
            Msg::SearchDone(d) => {
                self.search_done(d);
                None
            }
            Msg::Watch(ev) => {
                self.watched(ev);
                None
            }
            Msg::Signal(_) => {
                self.keep_draft();
                return Some(Effect::Quit);
            }
        };
        self.refresh();
        effect
    }

    fn loader(&mut self, ev: LoaderEvent) {
        match ev {
            LoaderEvent::Walked { files, done } => {
                self.progress.walked = files;
                self.progress.walk_done = done;
            }
            LoaderEvent::Batch(entries, records) => {
                self.progress.parsed += entries.len();
                self.progress.failures += entries
                    .iter()
                    .filter(|e| matches!(e, Entry::Error(err) if err.error_kind.is_failure()))
                    .count();
                self.index.insert_records(entries, records);
                self.unsettled = true;
                self.generation += 1;
                self.stale = true;
            }
            LoaderEvent::Problem(p) => {
                self.progress.problems += 1;
                self.report([p]);
            }
            LoaderEvent::Finished {
                files,
                failures,
                cancelled,
                elapsed,
            } => {
                self.progress.loading = false;
                self.progress.finished = true;
                self.progress.cancelled = cancelled;
                self.progress.parsed = self.progress.parsed.max(files);
                self.progress.failures = failures;
                self.progress.elapsed = elapsed;
                if !cancelled {
                    self.progress.walked = self.progress.walked.max(files);
                    self.progress.walk_done = true;
                }
                // Build the search keys now, while the user reads what was
                // loaded, not on the first `/` (a pause there is felt).
                if !cancelled && !self.index.filings().is_empty() {
                    if self.unsettled {
                        self.index.settle();
                        self.unsettled = false;
                        self.last_settle = Some(self.clock.now());
                    }
                    self.ensure_search_index();
                }
                // The news of the load in progress is out of date now.
                let transient = ["cancelling the load…", "loading the folder again…"];
                if cancelled {
                    let key = self
                        .keymap
                        .keys_for(Context::Global, Action::Reload)
                        .first()
                        .map(|k| format!(": {} loads the rest", k.label()))
                        .unwrap_or_default();
                    let of = if self.progress.walk_done {
                        format!(" of {}", self.progress.walked)
                    } else {
                        String::new()
                    };
                    self.report([format!(
                        "load cancelled after {}{of} files{key}",
                        self.progress.parsed
                    )]);
                } else if self
                    .status
                    .as_deref()
                    .is_some_and(|m| transient.contains(&m))
                {
                    self.status = None;
                }
                self.stale = true;
            }
        }
    }

    /// News from the folder watcher: changed files replace their earlier
    /// parse in the index (a new file is simply added).
    fn watched(&mut self, ev: WatchEvent) {
        match ev {
            WatchEvent::Changed(entries) => {
                if entries.is_empty() {
                    return;
                }
                let names = name_list(entries.iter().map(Entry::file));
                let n = entries.len();
                let unusable = entries
                    .iter()
                    .filter(|e| matches!(e, Entry::Error(err) if err.error_kind.is_failure()))
                    .count();
                self.index.add_batch(entries);
                self.generation += 1;
                self.stale = true;
                self.refresh_search_index();
                let files = if n == 1 { "file" } else { "files" };
                let mut msg = format!("reloaded {n} {files}: {names}");
                if unusable > 0 {
                    msg.push_str(&format!(" ({unusable} unusable)"));
                }
                self.report([msg]);
            }
            WatchEvent::Removed(files) => {
                if files.is_empty() {
                    return;
                }
                let names = name_list(files.iter().map(String::as_str));
                self.report([format!("removed: {names} (still shown until restart)")]);
            }
            WatchEvent::Error(e) => self.report([format!("watching the folder: {e}")]),
        }
    }

    /// Press keys given as specs separated by spaces ("j j Tab ] Enter"),
    /// as a user would: for tests and scripted demos. Returns the effects.
    pub fn press(&mut self, keys: &str) -> Vec<Effect> {
        let mut out = Vec::new();
        for spec in keys.split_whitespace() {
            let key = match Key::parse(spec) {
                Ok(k) => k,
                Err(_) => continue,
            };
            let ev = KeyEvent::new(key.code, key.mods);
            if let Some(e) = self.update(Msg::Key(ev)) {
                out.push(e);
            }
        }
        out
    }

    fn act(&mut self, action: Action) -> Option<Effect> {
        match action {
            Action::ForceQuit => return Some(Effect::Quit),
            Action::Quit => {
                if self.help.is_some() {
                    self.help = None;
                } else if self.source.is_some() {
                    self.source = None;
                } else if self.view.is_some() {
                    self.view = None;
                } else {
                    return Some(Effect::Quit);
                }
            }
            Action::Help => {
                self.help = if self.help.is_some() { None } else { Some(0) };
            }
            Action::Back => {
                if self.help.is_some() {
                    self.help = None;
                } else if self.source.is_some() {
                    self.source = None;
                } else if self.view.is_some() {
                    self.view = None;
                } else if self.progress.loading {
                    return self.cancel_load();
                } else if self.focus != Pane::Issuers {
                    self.focus_pane(Pane::Issuers);
                }
            }
            Action::CancelLoad => return self.cancel_load(),
            Action::Reload => return self.reload(),
            Action::NextPane => self.focus_pane(self.focus.step(1)),
            Action::PrevPane => self.focus_pane(self.focus.step(-1)),
            Action::FocusIssuers => self.focus_pane(Pane::Issuers),
            Action::FocusCapital => self.focus_pane(Pane::Capital),
            Action::FocusSchemes => self.focus_pane(Pane::Schemes),
            Action::FocusLockups => self.focus_pane(Pane::Lockups),
            Action::FocusFilings => self.focus_pane(Pane::Filings),
            Action::FocusFindings => self.focus_pane(Pane::Findings),
            Action::Up => self.move_rows(-1),
            Action::Down => self.move_rows(1),
            Action::HalfPageDown => self.move_rows(self.page() as isize / 2),
            Action::HalfPageUp => self.move_rows(-(self.page() as isize / 2)),
            Action::PageDown => self.move_rows(self.page() as isize),
            Action::PageUp => self.move_rows(-(self.page() as isize)),
            Action::Top => self.move_rows(isize::MIN / 2),
            Action::Bottom => self.move_rows(isize::MAX / 2),
            Action::Left => self.move_col(-1),
            Action::Right => self.move_col(1),
            Action::Open => self.open(),
            Action::PrevMonth => self.step_month(-1),
            Action::NextMonth => self.step_month(1),
            Action::SortNext => {
                self.issuers.sort = self.issuers.sort.next();
                self.resort();
            }
            Action::SortReverse => {
                self.issuers.reverse = !self.issuers.reverse;
                self.resort();
            }
            Action::ToggleIssuerFilter => {
                self.lockups_mine = !self.lockups_mine;
                self.lockups = Scroll::default();
            }
            Action::ToggleScope => {
                self.findings_scope = match self.findings_scope {
                    FindingScope::Corpus => FindingScope::Issuer,
                    _ => FindingScope::Corpus,
                };
                self.findings = Scroll::default();
            }
            Action::ToggleInfo => {
                self.findings_info = !self.findings_info;
                self.findings = Scroll::default();
            }
            Action::Search => self.open_search(),
            Action::SearchNext => self.step_result(1),
            Action::SearchPrev => self.step_result(-1),
            Action::Diff => self.open_diff(),
            Action::DiffEarlier => self.move_diff(false, true),
            Action::DiffLater => self.move_diff(true, true),
            Action::DiffFromEarlier => self.move_diff(false, false),
            Action::DiffFromLater => self.move_diff(true, false),
            Action::DiffPickFrom => self.open_month_pick(super::input::PickEnd::From),
            Action::DiffPickTo => self.open_month_pick(super::input::PickEnd::To),
            Action::Star => self.toggle_star(),
            Action::StarredOnly => self.toggle_starred_only(),
            Action::Note => self.open_note(),
            Action::Dismiss => self.dismiss(),
            Action::Export => self.ask_export(),
            Action::Copy => return self.copy(),
            Action::OpenExternal => return self.open_external(),
            Action::Command => self.ask_command(),
            Action::FilingFindings => {
                let id = match self.focus {
                    Pane::Filings => self.selected_filing(),
                    _ => self.month_filing(),
                };
                if let Some(id) = id {
                    self.findings_scope = FindingScope::Filing(id);
                    self.findings = Scroll::default();
                    self.findings_info = true;
                    self.focus_pane(Pane::Findings);
                }
            }
        }
        None
    }

    fn cancel_load(&mut self) -> Option<Effect> {
        if self.progress.loading {
            self.report(["cancelling the load…".to_string()]);
            Some(Effect::CancelLoad)
        } else {
            None
        }
    }

    /// Load the folder again when no load runs: the index keeps what it has
    /// and each file read again replaces its earlier entry.
    fn reload(&mut self) -> Option<Effect> {
        if self.progress.loading {
            self.report(["already loading".to_string()]);
            return None;
        }
        self.progress = Progress {
            loading: true,
            ..Progress::default()
        };
        self.report(["loading the folder again…".to_string()]);
        Some(Effect::Reload)
    }

    pub(crate) fn focus_pane(&mut self, pane: Pane) {
        self.source = None;
        self.view = None;
        self.focus = pane;
        if pane != Pane::Issuers {
            self.detail = pane;
        }
    }

    /// Rows a page move jumps: the visible height of the list in view.
    fn page(&self) -> usize {
        if self.source.is_some() {
            return ui::source_height(self).max(2);
        }
        if self.help.is_some() {
            return ui::help_height(self).max(2);
        }
        if self.view.is_some() {
            return ui::view_height(self).max(2);
        }
        ui::list_height(self, self.focus).max(2)
    }

    fn move_rows(&mut self, delta: isize) {
        if let Some(h) = self.help {
            let max = ui::help_len(&self.keymap).saturating_sub(ui::help_height(self));
            let h = (h as isize).saturating_add(delta).clamp(0, max as isize) as usize;
            self.help = Some(h);
            return;
        }
        if self.source.is_some() {
            // The last line stops at the bottom of the text, as in `less`.
            let height = ui::source_height(self).max(1);
            let Some(src) = self.source.as_mut() else {
                return;
            };
            let max = src.lines.len().saturating_sub(height);
            src.scroll = (src.scroll as isize + delta).clamp(0, max as isize) as usize;
            return;
        }
        if let Some(v) = self.view.as_mut() {
            let len = v.len();
            v.scroll_mut().move_by(delta, len);
            return;
        }
        match self.focus {
            Pane::Issuers => {
                let len = self.issuers.order.len();
                let before = self.issuer_code().map(str::to_string);
                self.issuers.chosen = true;
                self.issuers.scroll.move_by(delta, len);
                if self.issuer_code().map(str::to_string) != before {
                    self.issuer_changed();
                }
            }
            Pane::Capital => {
                let len = panes::capital::rows(self).len();
                self.capital.rows.move_by(delta, len);
            }
            Pane::Schemes => {
                let len = panes::schemes::rows(self).len();
                self.schemes.rows.move_by(delta, len);
            }
            Pane::Lockups => self.lockups.move_by(delta, self.caches.lockups.len()),
            Pane::Filings => {
                let len = self.issuer_filings().len();
                self.filings.move_by(delta, len);
            }
            Pane::Findings => self.findings.move_by(delta, self.caches.findings.len()),
        }
    }

    fn move_col(&mut self, delta: isize) {
        if let Some(src) = self.source.as_mut() {
            src.hscroll = (src.hscroll as isize + delta * 8).max(0) as usize;
            return;
        }
        let grid = match self.focus {
            Pane::Capital => &mut self.capital,
            Pane::Schemes => &mut self.schemes,
            _ => return,
        };
        let cols = if self.focus == Pane::Capital { 3 } else { 1 };
        grid.col = (grid.col as isize + delta).clamp(0, cols - 1) as usize;
    }

    /// The issuer's timeline.
    pub fn issuer_filings(&self) -> &[FilingId] {
        if self.no_issuer_selected() {
            return self.index.orphans();
        }
        self.issuer_code()
            .and_then(|c| self.index.issuer(c))
            .map(|i| i.filings.as_slice())
            .unwrap_or(&[])
    }

    pub(crate) fn selected_filing(&self) -> Option<FilingId> {
        self.issuer_filings().get(self.filings.sel).copied()
    }

    fn step_month(&mut self, delta: isize) {
        let Some(code) = self.issuer_code() else {
            return;
        };
        let months = self.index.months(code);
        if months.is_empty() {
            self.report([format!("{code} has no monthly return")]);
            return;
        }
        let i = match self
            .month
            .as_ref()
            .and_then(|m| months.iter().position(|x| x == m))
        {
            Some(i) => {
                let to = i as isize + delta;
                if to < 0 || to >= months.len() as isize {
                    // At an end: say so rather than do nothing.
                    let (which, m) = if to < 0 {
                        ("earliest", &months[0])
                    } else {
                        ("latest", &months[months.len() - 1])
                    };
                    self.report([format!("{m} is {code}'s {which} month with a return")]);
                    return;
                }
                to as usize
            }
            None => months.len() - 1,
        };
        self.month = months.get(i).cloned();
        self.capital.rows = Scroll::default();
        self.schemes.rows.clamp(panes::schemes::rows(self).len());
    }

    /// A new issuer is selected: keep the month if it has one, else its latest.
    pub(crate) fn issuer_changed(&mut self) {
        let months = self
            .issuer_code()
            .map(|c| self.index.months(c))
            .unwrap_or_default();
        if !self.month.as_ref().is_some_and(|m| months.contains(m)) {
            self.month = months.last().cloned();
        }
        self.capital.rows = Scroll::default();
        self.schemes.rows = Scroll::default();
        self.filings = Scroll::default();
        if self.lockups_mine {
            self.lockups = Scroll::default();
        }
        if self.findings_scope != FindingScope::Corpus {
            self.findings_scope = FindingScope::Issuer;
            self.findings = Scroll::default();
        }
    }

    fn open(&mut self) {
        match &self.view {
            Some(View::Screen(_)) => return self.screen_go(),
            Some(View::Diff(_)) => {}
            None if self.focus == Pane::Issuers => {
                self.focus_pane(self.detail);
                return;
            }
            None => {}
        }
        if let Some(src) = self.selected_src() {
            self.open_source(src);
        }
    }

    /// Read the file behind `src` from disk and show it at its line.
    pub fn open_source(&mut self, src: Src) {
        let (file, line, what) = match src {
            Src::Filing(id, line) => {
                let f = self.index.filing(id);
                let what = panes::filing_label(f);
                (f.file.clone(), line, what)
            }
            Src::Error(i) => match self.index.errors().get(i) {
                Some(e) => (e.file.clone(), None, format!("unusable file: {}", e.error)),
                None => return,
            },
        };
        let mut view = SourceView {
            file: file.clone(),
            lines: Vec::new(),
            target: line.and_then(|l| (l as usize).checked_sub(1)),
            scroll: 0,
            hscroll: 0,
            error: None,
            what: text::sanitize(&what),
        };
        match read_text(&file, self.extractor) {
            Ok(lines) => view.lines = lines,
            Err(e) => view.error = Some(text::sanitize(&e)),
        }
        if let Some(t) = view.target {
            if t >= view.lines.len() {
                view.target = None;
            }
        }
        let height = ui::source_height(self).max(1);
        view.scroll = view
            .target
            .map(|t| t.saturating_sub(height / 2))
            .unwrap_or(0);
        self.help = None;
        self.source = Some(view);
    }

    fn mouse(&mut self, ev: MouseEvent) -> Option<Effect> {
        if !self.mouse || self.help.is_some() {
            return None;
        }
        let pos = Position::new(ev.column, ev.row);
        let areas = ui::layout(self);
        if let Some(p) = areas.tab_at(pos) {
            if matches!(ev.kind, MouseEventKind::Down(MouseButton::Left)) {
                self.focus_pane(p);
            }
            return None;
        }
        let (pane, area) = areas.pane_at(pos)?;
        match ev.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let d = if ev.kind == MouseEventKind::ScrollDown {
                    3
                } else {
                    -3
                };
                if self.source.is_some() && pane != Pane::Issuers {
                    self.move_rows(d);
                } else {
                    let saved = self.focus;
                    self.focus = pane;
                    self.move_rows(d);
                    self.focus = saved;
                }
            }
            MouseEventKind::Down(MouseButton::Left) => {
                if self.source.is_some() && pane != Pane::Issuers {
                    return None;
                }
                if pane == Pane::Issuers && self.source.is_some() {
                    self.source = None;
                }
                self.focus = pane;
                if pane != Pane::Issuers {
                    self.detail = pane;
                }
                if let Some(list) = ui::list_area(self, pane, area) {
                    if list.contains(pos) {
                        let row = (pos.y - list.y) as usize;
                        let offset = self.scroll_of(pane).offset;
                        let target = offset + row;
                        let cur = self.scroll_of(pane).sel;
                        self.move_rows(target as isize - cur as isize);
                    }
                }
            }
            _ => {}
        }
        None
    }

    pub fn scroll_of(&self, pane: Pane) -> Scroll {
        match pane {
            Pane::Issuers => self.issuers.scroll,
            Pane::Capital => self.capital.rows,
            Pane::Schemes => self.schemes.rows,
            Pane::Lockups => self.lockups,
            Pane::Filings => self.filings,
            Pane::Findings => self.findings,
        }
    }

    fn scroll_mut(&mut self, pane: Pane) -> &mut Scroll {
        match pane {
            Pane::Issuers => &mut self.issuers.scroll,
            Pane::Capital => &mut self.capital.rows,
            Pane::Schemes => &mut self.schemes.rows,
            Pane::Lockups => &mut self.lockups,
            Pane::Filings => &mut self.filings,
            Pane::Findings => &mut self.findings,
        }
    }

    /// Re-sort the issuer list, keeping the selected issuer selected.
    pub(crate) fn resort(&mut self) {
        let keep = self.issuer_entry().map(str::to_string);
        let idx = &self.index;
        let starred = &self.store.data.starred;
        let only = self.starred_only;
        let mut order: Vec<&crate::filings::index::Issuer> = idx
            .issuers()
            .filter(|i| !only || starred.contains(&i.code))
            .collect();
        let latest = |i: &crate::filings::index::Issuer| i.months.keys().next_back().cloned();
        match self.issuers.sort {
            SortCol::Code => {}
            SortCol::Name => order.sort_by_cached_key(|i| i.name.to_lowercase()),
            SortCol::NameZh => {
                order.sort_by_cached_key(|i| (i.name_zh.is_none(), i.name_zh.clone()))
            }
            SortCol::Filings => order.sort_by_key(|i| std::cmp::Reverse(i.filings.len())),
            SortCol::Latest => order.sort_by_cached_key(|i| std::cmp::Reverse(latest(i))),
            SortCol::Findings => {
                let dismissed = &self.caches.dismissed;
                order.sort_by_key(|i| std::cmp::Reverse(finding_count(dismissed, i)))
            }
        }
        if self.issuers.reverse {
            order.reverse();
        }
        self.issuers.order = order.into_iter().map(|i| i.code.clone()).collect();
        // Filings with no stock code and no issuer of their name: one row
        // after the issuers, so no filing is out of the explorer's reach.
        if !only && !idx.orphans().is_empty() {
            self.issuers.order.push(NO_ISSUER.to_string());
        }
        let kept = keep
            .as_ref()
            .filter(|_| self.issuers.chosen)
            .and_then(|k| self.issuers.order.iter().position(|c| c == k));
        match kept {
            Some(i) => self.issuers.scroll.sel = i,
            None if !self.issuers.chosen && self.issuers.order.first() == keep.as_ref() => {
                self.issuers.scroll.sel = 0;
            }
            None => {
                self.issuers.scroll = Scroll::default();
                self.issuer_changed();
            }
        }
    }

    /// Bring derived lists up to date and keep every selection in view.
    /// The loop calls it once after a burst of messages; `update` after each key.
    pub fn refresh(&mut self) {
        // The issuers a load's batches touched are recomputed at most every
        // SETTLE_EVERY while it runs (the first batch at once, so issuers
        // appear), and at its end: after every batch, the recomputation
        // (each touched issuer's filings read back) outweighed the parse.
        if self.unsettled {
            let now = self.clock.now();
            let due = !self.progress.loading
                || self
                    .last_settle
                    .is_none_or(|t| now.saturating_duration_since(t) >= SETTLE_EVERY);
            if due {
                self.index.settle();
                self.unsettled = false;
                self.last_settle = Some(now);
            }
        }
        if self.stale {
            self.stale = false;
            let had = self.issuer_code().is_some();
            self.resort();
            if !had && self.issuer_code().is_some() {
                self.issuer_changed();
            }
            if self.month.is_none() {
                if let Some(code) = self.issuer_code() {
                    self.month = self.index.months(code).last().cloned();
                }
            }
        }
        let mine = self
            .lockups_mine
            .then(|| self.issuer_code().map(str::to_string))
            .flatten();
        let lk = Some((self.generation, mine.clone()));
        if self.caches.lockups_key != lk {
            self.caches.lockups = panes::lockups::build(self, mine.as_deref());
            self.caches.lockups_key = lk;
        }
        let dk = Some((self.generation, self.user_gen));
        if self.caches.dismissed_key != dk {
            self.caches.dismissed = self.dismissed_by_issuer();
            self.caches.dismissed_key = dk;
        }
        let code = self.issuer_code().map(str::to_string);
        let fk = Some((
            self.generation,
            self.findings_scope,
            self.findings_info,
            code,
            self.user_gen,
        ));
        // The corpus-wide list is large: built only when it can be seen.
        let visible = self.detail_pane() == Pane::Findings || self.focus == Pane::Findings;
        if self.caches.findings_key != fk
            && (visible || self.findings_scope != FindingScope::Corpus)
        {
            self.caches.findings = panes::findings::build(self);
            self.caches.findings_key = fk;
        }
        let lens = [
            (Pane::Issuers, self.issuers.order.len()),
            (Pane::Capital, panes::capital::rows(self).len()),
            (Pane::Schemes, panes::schemes::rows(self).len()),
            (Pane::Lockups, self.caches.lockups.len()),
            (Pane::Filings, self.issuer_filings().len()),
            (Pane::Findings, self.caches.findings.len()),
        ];
        for (pane, len) in lens {
            let h = ui::list_height(self, pane);
            let s = self.scroll_mut(pane);
            s.clamp(len);
            s.fit(h);
            s.fill(h, len);
        }
        let vh = ui::view_height(self);
        if let Some(v) = self.view.as_mut() {
            let len = v.len();
            let s = v.scroll_mut();
            s.clamp(len);
            s.fit(vh);
            s.fill(vh, len);
        }
        let sh = ui::source_height(self).max(1);
        if let Some(src) = self.source.as_mut() {
            src.scroll = src.scroll.min(src.lines.len().saturating_sub(sh));
        }
        self.search_follow_loader();
    }

    /// How many findings the Issuers pane counts that the user dismissed, by
    /// issuer: those of effective returns at warning level or above, as the
    /// index counts them.
    fn dismissed_by_issuer(&self) -> HashMap<String, usize> {
        let mut out: HashMap<String, usize> = HashMap::new();
        for d in &self.store.data.dismissed {
            let Some(id) = self.index.id_of(&d.finding.file) else {
                continue;
            };
            if self.index.is_duplicate(id) {
                continue;
            }
            let f = self.index.filing(id);
            let counted = f.superseded_by.is_none()
                && f.findings.iter().any(|x| {
                    x.level >= Level::Warning
                        && x.code == d.finding.code
                        && x.line == d.finding.line
                        && x.message == d.finding.message
                });
            if let Some(code) = self.index.issuer_code(id).filter(|_| counted) {
                *out.entry(code.to_string()).or_default() += 1;
            }
        }
        out
    }

    /// An issuer's findings less those the user dismissed.
    pub fn finding_count(&self, i: &crate::filings::index::Issuer) -> usize {
        finding_count(&self.caches.dismissed, i)
    }

    /// Findings of a level the findings pane shows.
    pub fn shows_level(&self, level: Level) -> bool {
        self.findings_info || level != Level::Info
    }

    /// The area the whole screen covers, for layout.
    pub fn area(&self) -> Rect {
        Rect::new(0, 0, self.size.0, self.size.1)
    }
}

fn finding_count(dismissed: &HashMap<String, usize>, i: &crate::filings::index::Issuer) -> usize {
    i.finding_count
        .saturating_sub(dismissed.get(&i.code).copied().unwrap_or(0))
}

/// "a.txt, b.txt, c.txt and 4 more": file names, not paths, for the status bar.
fn name_list<'a>(files: impl Iterator<Item = &'a str>) -> String {
    const SHOWN: usize = 3;
    let mut names = Vec::new();
    let mut more = 0usize;
    for f in files {
        if names.len() < SHOWN {
            names.push(panes::file_name(f));
        } else {
            more += 1;
        }
    }
    let mut out = names.join(", ");
    if more > 0 {
        out.push_str(&format!(" and {more} more"));
    }
    out
}

/// A file's text as lines numbered like the parser numbers them: split on
/// `\n`, a trailing `\r` dropped, no empty last line for a final newline.
pub fn read_text(file: &str, extractor: Extractor) -> Result<Vec<String>, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {file}: {e}"))?;
    let text = if bytes.starts_with(b"%PDF") || file.to_ascii_lowercase().ends_with(".pdf") {
        crate::filings::pdf::extract(file, &bytes, extractor)
            .map(|(t, _)| t)
            .map_err(|e| e.error)?
    } else {
        crate::filings::parse::decode(file, &bytes)
            .map(|(t, _)| t)
            .map_err(|e| e.error)?
    };
    let mut lines: Vec<String> = text
        .split('\n')
        .map(|l| text::sanitize_expand_tabs(l.strip_suffix('\r').unwrap_or(l)))
        .collect();
    if text.ends_with('\n') {
        lines.pop();
    }
    Ok(lines)
}
