//! The explorer's analyst actions: search and jump, the month comparison,
//! stars, notes, dismissals, export, copy, open and the `:` command line.
//! Part of `App::update`; nothing here draws.

use super::app::{App, Effect, FindingScope, Msg, Pane, Scroll};
use super::input::{Input, MonthPick, NoteEditor, PickEnd, Prompt, PromptKind};
use super::panes::diff::{DiffView, Go, ScreenView, View};
use super::panes::{self, findings::FRef, RowKind};
use super::search::{Place, SearchBox, SearchDone, LIMIT};
use super::store::{Dismissal, FindingKey};
use super::tables;
use crate::filings::diff;
use crate::filings::export::Table;
use crate::filings::index::FilingId;
use crate::filings::screens;
use crate::filings::search::{Hit, SearchIndex, Target};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

impl App {
    // ----- where the user is -----

    pub(crate) fn place(&self) -> Place {
        Place {
            focus: self.focus,
            detail: self.detail,
            code: self.issuer_code().map(str::to_string),
            month: self.month.clone(),
            capital: self.capital,
            schemes: self.schemes,
            lockups: self.lockups,
            lockups_mine: self.lockups_mine,
            filings: self.filings,
            findings: self.findings,
            findings_scope: self.findings_scope,
            starred_only: self.starred_only,
            source: self.source.clone(),
            view: self.view.clone(),
        }
    }

    pub(crate) fn restore_place(&mut self, p: Place) {
        if self.starred_only != p.starred_only {
            self.starred_only = p.starred_only;
            self.resort();
        }
        if let Some(c) = &p.code {
            self.select_issuer(c);
        }
        self.focus = p.focus;
        self.detail = p.detail;
        self.month = p.month;
        self.capital = p.capital;
        self.schemes = p.schemes;
        self.lockups_mine = p.lockups_mine;
        self.lockups = p.lockups;
        self.filings = p.filings;
        self.findings_scope = p.findings_scope;
        self.findings = p.findings;
        self.source = p.source;
        self.view = p.view;
        self.refresh();
    }

    /// Select issuer `code` in the list (leaving the starred-only filter if it hides it).
    pub(crate) fn select_issuer(&mut self, code: &str) -> bool {
        if self.starred_only && !self.store.data.starred.contains(code) {
            self.starred_only = false;
            self.resort();
        }
        let Some(i) = self.issuers.order.iter().position(|c| c == code) else {
            return false;
        };
        self.issuers.chosen = true;
        if i != self.issuers.scroll.sel {
            self.issuers.scroll.sel = i;
            self.issuer_changed();
        }
        true
    }

    /// The source of what is selected: the value's line, the filing, the diff line.
    pub fn selected_src(&self) -> Option<panes::Src> {
        if let Some(v) = &self.view {
            return match v {
                View::Diff(d) => d.lines.get(d.scroll.sel).and_then(|l| l.src),
                View::Screen(s) => {
                    let row = s.table.rows.get(s.scroll.sel)?;
                    let col = |n: &str| s.table.columns.iter().position(|c| *c == n);
                    let file = row.get(col("file")?)?.as_str()?;
                    let line = col("line")
                        .and_then(|i| row.get(i))
                        .and_then(Value::as_u64)
                        .map(|l| l as u32);
                    self.index
                        .id_of(file)
                        .map(|id| panes::Src::Filing(id, line))
                }
            };
        }
        match self.focus {
            Pane::Issuers => self.month_filing().map(|id| panes::Src::Filing(id, None)),
            Pane::Capital => panes::capital::selected_src(self),
            Pane::Schemes => panes::schemes::selected_src(self),
            Pane::Lockups => panes::lockups::selected_src(self),
            Pane::Filings => self
                .selected_filing()
                .map(|id| panes::Src::Filing(id, None)),
            Pane::Findings => self
                .caches
                .findings
                .get(self.findings.sel)
                .map(|&r| panes::findings::src_of(self, r)),
        }
    }

    // ----- search -----

    pub(crate) fn open_search(&mut self) {
        self.help = None;
        let b = SearchBox::new(self.place());
        self.input = Some(Input::Search(Box::new(b)));
        self.ensure_search_index();
    }

    /// Bring an existing search index up to the index (a reloaded file's
    /// keys replace its old ones); none is built before the first search.
    pub(crate) fn refresh_search_index(&mut self) {
        if self.search.index.is_some() {
            self.ensure_search_index();
        }
    }

    /// Build the search index, or bring it up to the loaded filings when no worker holds it.
    pub(crate) fn ensure_search_index(&mut self) {
        let generation = self.generation;
        match self.search.index.as_mut() {
            None => {
                self.search.index = Some(Arc::new(SearchIndex::build(&self.index)));
            }
            Some(arc) if self.search.index_gen != generation => match Arc::get_mut(arc) {
                Some(ix) => ix.refresh(&self.index),
                None => return,
            },
            Some(_) => {}
        }
        self.search.index_gen = generation;
    }

    /// The query changed (or new filings arrived): search for it, cancelling
    /// a search still running for an older query.
    pub(crate) fn request_search(&mut self, query: String) {
        self.search.cancel.store(true, Ordering::Relaxed);
        self.search.wanted = Some(query);
        self.pump_search();
    }

    fn pump_search(&mut self) {
        if self.search.running {
            return;
        }
        let Some(query) = self.search.wanted.take() else {
            return;
        };
        self.ensure_search_index();
        let Some(ix) = self.search.index.clone() else {
            return;
        };
        let mut searcher = self.search.searcher.take().unwrap_or_default();
        let cancel = Arc::new(AtomicBool::new(false));
        self.search.cancel = Arc::clone(&cancel);
        match self.tx.clone() {
            Some(tx) => {
                self.search.running = true;
                let spawned = std::thread::Builder::new()
                    .name("search".into())
                    .spawn(move || {
                        let hits = searcher.search(&ix, &query, LIMIT, &cancel);
                        // Let go of the index first: the UI refreshes it in place.
                        drop(ix);
                        let _ = tx.send(Msg::SearchDone(SearchDone {
                            query,
                            hits,
                            searcher,
                        }));
                    });
                if spawned.is_err() {
                    self.search.running = false;
                    self.report(["cannot start a search thread".to_string()]);
                }
            }
            None => {
                let hits = searcher.search(&ix, &query, LIMIT, &cancel);
                drop(ix);
                self.search_done(SearchDone {
                    query,
                    hits,
                    searcher,
                });
            }
        }
    }

    pub(crate) fn search_done(&mut self, d: SearchDone) {
        self.search.running = false;
        self.search.searcher = Some(d.searcher);
        if let (Some(hits), Some(Input::Search(b))) = (d.hits, self.input.as_mut()) {
            if b.query() == d.query {
                b.hits = hits;
                b.answered = d.query;
                b.sel = Scroll::default();
                self.search.hits_gen = self.search.index_gen;
            }
        }
        self.pump_search();
    }

    /// New filings while the box is open: search again over them.
    pub(crate) fn search_follow_loader(&mut self) {
        let Some(Input::Search(b)) = &self.input else {
            return;
        };
        let q = b.query();
        if q.trim().is_empty() || self.search.running || self.search.wanted.is_some() {
            return;
        }
        if self.search.hits_gen != self.generation {
            self.search.hits_gen = self.generation;
            self.request_search(q);
        }
    }

    /// Go to where a hit leads.
    pub fn jump(&mut self, t: &Target) {
        self.help = None;
        self.source = None;
        self.view = None;
        match t {
            Target::Issuer { code } => {
                self.select_issuer(code);
                self.focus_pane(Pane::Issuers);
            }
            Target::Scheme {
                code,
                period,
                scheme,
            } => {
                self.select_issuer(code);
                self.month = Some(period.clone());
                self.focus_pane(Pane::Schemes);
                let rows = panes::schemes::rows(self);
                let want = format!("Option scheme: {}", crate::tui::text::sanitize(scheme));
                let i = rows
                    .iter()
                    .position(|r| r.kind == RowKind::Section && r.label.starts_with(&want))
                    .unwrap_or(0);
                self.schemes.rows = Scroll { sel: i, offset: i };
            }
            Target::LockUp { filing, index } => {
                let code = self.filing_code(*filing);
                if let Some(c) = &code {
                    self.select_issuer(c);
                }
                self.focus_pane(Pane::Lockups);
                self.refresh();
                let find = |app: &App| {
                    app.caches
                        .lockups
                        .iter()
                        .position(|&(id, pos)| id == *filing && pos == *index)
                };
                if find(self).is_none() && self.lockups_mine {
                    self.lockups_mine = false;
                    self.refresh();
                }
                if let Some(i) = find(self) {
                    self.lockups.sel = i;
                }
            }
            Target::Announcement { filing } | Target::Filing { filing } => {
                let code = self.filing_code(*filing);
                let found = code.as_deref().is_some_and(|c| self.select_issuer(c));
                if found {
                    self.focus_pane(Pane::Filings);
                    if let Some(i) = self.issuer_filings().iter().position(|x| x == filing) {
                        self.filings.sel = i;
                    }
                } else {
                    self.open_source(panes::Src::Filing(*filing, None));
                }
            }
        }
        self.refresh();
    }

    fn filing_code(&self, id: FilingId) -> Option<String> {
        self.index.issuer_code(id).map(str::to_string)
    }

    /// Move the box's selection and show where the hit leads behind the box
    /// (Esc comes back).
    fn preview(&mut self, b: &mut SearchBox, by: isize) {
        let page = super::input::search_rows(self.area()).max(1);
        b.sel.move_by(by, b.hits.len());
        b.sel.fit(page);
        if let Some(h) = b.hits.get(b.sel.sel).cloned() {
            self.jump(&h.target);
        }
    }

    /// `n` / `N`: the next or previous hit of the last search.
    pub(crate) fn step_result(&mut self, by: isize) {
        if self.results.is_empty() {
            self.report(["no search results (/ searches)".to_string()]);
            return;
        }
        let n = self.results.len() as isize;
        let i = (self.result_pos as isize + by).rem_euclid(n) as usize;
        self.result_pos = i;
        if let Some(h) = self.results.get(i).cloned() {
            self.jump(&h.target);
            self.status = Some(format!(
                "result {}/{}: {}",
                i + 1,
                n,
                crate::tui::text::sanitize(&h.label)
            ));
        }
    }

    // ----- text input -----

    /// A key while a text input is open.
    pub(crate) fn input_key(&mut self, ev: KeyEvent) -> Option<Effect> {
        let input = self.input.take()?;
        match input {
            Input::Search(mut b) => {
                let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
                match ev.code {
                    KeyCode::Esc => {
                        self.search.cancel.store(true, Ordering::Relaxed);
                        self.restore_place(b.saved);
                    }
                    KeyCode::Enter => match b.hits.get(b.sel.sel).cloned() {
                        Some(h) => {
                            self.result_pos = b.sel.sel;
                            self.results = std::mem::take(&mut b.hits);
                            self.jump(&h.target);
                            let n = self.results.len();
                            self.status = Some(format!(
                                "result {}/{n} · n/N: next/previous",
                                self.result_pos + 1
                            ));
                        }
                        None => self.restore_place(b.saved),
                    },
                    KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown => {
                        let page = super::input::search_rows(self.area()).max(1) as isize;
                        let d = match ev.code {
                            KeyCode::Up => -1,
                            KeyCode::Down => 1,
                            KeyCode::PageUp => -page,
                            _ => page,
                        };
                        self.preview(&mut b, d);
                        self.input = Some(Input::Search(b));
                    }
                    KeyCode::Char('n' | 'p') if ctrl => {
                        let d = if ev.code == KeyCode::Char('n') { 1 } else { -1 };
                        self.preview(&mut b, d);
                        self.input = Some(Input::Search(b));
                    }
                    _ => {
                        let before = b.query();
                        b.input.input(ev);
                        // One line only.
                        if b.input.lines().len() > 1 {
                            let joined = b.query();
                            b.input = tui_textarea::TextArea::new(vec![joined]);
                            b.input.move_cursor(tui_textarea::CursorMove::End);
                        }
                        let q = b.query();
                        self.input = Some(Input::Search(b));
                        if q != before {
                            self.request_search(q);
                        }
                    }
                }
                None
            }
            Input::Pick(mut p) => {
                let len = p.months.len();
                let page = super::input::pick_rows(self.area(), len).max(1);
                let d: isize = match ev.code {
                    KeyCode::Up | KeyCode::Char('k') => -1,
                    KeyCode::Down | KeyCode::Char('j') => 1,
                    KeyCode::PageUp => -(page as isize),
                    KeyCode::PageDown => page as isize,
                    KeyCode::Home | KeyCode::Char('g') => isize::MIN / 2,
                    KeyCode::End | KeyCode::Char('G') => isize::MAX / 2,
                    KeyCode::Enter => {
                        if let Some(m) = p.months.get(p.sel.sel) {
                            let (from, to) = match p.end {
                                PickEnd::From => (m.clone(), p.other.clone()),
                                PickEnd::To => (p.other.clone(), m.clone()),
                            };
                            // A month beyond the other end swaps the pair:
                            // the comparison always reads earlier → later.
                            let (from, to) = if from <= to { (from, to) } else { (to, from) };
                            self.show_diff(&p.code, &from, &to);
                        }
                        return None;
                    }
                    KeyCode::Esc | KeyCode::Char('q') => return None,
                    _ => 0,
                };
                p.sel.move_by(d, len);
                p.sel.fit(page);
                self.input = Some(Input::Pick(p));
                None
            }
            Input::Prompt(mut p) => match ev.code {
                KeyCode::Esc => None,
                KeyCode::Enter => self.submit(p),
                _ => {
                    p.input.input(ev);
                    self.input = Some(Input::Prompt(p));
                    None
                }
            },
            Input::Note(mut n) => {
                let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
                if n.confirm {
                    match ev.code {
                        KeyCode::Char('y') => self.save_note(&n),
                        KeyCode::Char('n') => self.status = Some("note not saved".into()),
                        KeyCode::Esc => {
                            n.confirm = false;
                            self.input = Some(Input::Note(n));
                        }
                        _ => self.input = Some(Input::Note(n)),
                    }
                    return None;
                }
                match ev.code {
                    KeyCode::Char('s') if ctrl => self.save_note(&n),
                    KeyCode::Esc => {
                        if n.text() != n.original.trim_end() {
                            n.confirm = true;
                            self.input = Some(Input::Note(n));
                        }
                    }
                    _ => {
                        n.input.input(ev);
                        self.input = Some(Input::Note(n));
                    }
                }
                None
            }
        }
    }

    /// The explorer is ending on a signal (the terminal closed, a shutdown):
    /// a note being edited is saved as it stands, since nobody is there to
    /// say otherwise and what the user wrote is never dropped.
    pub(crate) fn keep_draft(&mut self) {
        if let Some(Input::Note(n)) = self.input.take() {
            if n.text() != n.original.trim_end() {
                self.save_note(&n);
            }
        }
    }

    fn save_note(&mut self, n: &NoteEditor) {
        let text = n.text();
        if text.trim().is_empty() {
            self.store.data.notes.remove(&n.code);
        } else {
            self.store.data.notes.insert(n.code.clone(), text);
        }
        self.save_store(&format!("note on {} saved", n.code));
    }

    /// Save the user data; the status bar says what happened.
    fn save_store(&mut self, ok: &str) {
        self.user_gen += 1;
        match self.store.save() {
            Ok(()) => self.status = Some(ok.to_string()),
            Err(e) => self.report([e]),
        }
    }

    fn submit(&mut self, p: Prompt) -> Option<Effect> {
        let text = p.text();
        match p.kind {
            PromptKind::Export => {
                self.export_to(text.trim(), false);
                None
            }
            PromptKind::ExportOverwrite(asked) => {
                let path = text.trim();
                self.export_to(path, path == asked);
                None
            }
            PromptKind::Dismiss(key) => {
                let reason = text.trim().to_string();
                if reason.is_empty() {
                    self.report(["a dismissal needs a reason; not dismissed".to_string()]);
                    return None;
                }
                self.store.data.dismissed.retain(|d| d.finding != key);
                self.store.data.dismissed.push(Dismissal {
                    finding: key,
                    reason,
                    date: self.today.to_string(),
                });
                self.save_store("finding dismissed (i shows dismissed ones; x restores)");
                None
            }
            PromptKind::Command => self.command(text.trim().trim_start_matches(':')),
        }
    }

    // ----- analyst actions -----

    pub(crate) fn toggle_star(&mut self) {
        let Some(code) = self.issuer_code().map(str::to_string) else {
            return;
        };
        let starred = &mut self.store.data.starred;
        let msg = if starred.remove(&code) {
            format!("{code} unstarred")
        } else {
            starred.insert(code.clone());
            format!("{code} starred (* shows starred only)")
        };
        self.save_store(&msg);
        if self.starred_only {
            self.resort();
        }
    }

    pub(crate) fn toggle_starred_only(&mut self) {
        if !self.starred_only && self.store.data.starred.is_empty() {
            self.report(["no starred issuers yet (s stars one)".to_string()]);
            return;
        }
        self.starred_only = !self.starred_only;
        self.resort();
    }

    pub(crate) fn open_note(&mut self) {
        let Some(code) = self.issuer_code().map(str::to_string) else {
            return;
        };
        let text = self
            .store
            .data
            .notes
            .get(&code)
            .cloned()
            .unwrap_or_default();
        self.input = Some(Input::Note(NoteEditor::new(&code, &text)));
    }

    /// The dismissal of finding `i` of filing `id`, if any.
    pub fn dismissal(&self, id: FilingId, i: u32) -> Option<&Dismissal> {
        if self.store.data.dismissed.is_empty() {
            return None;
        }
        let f = self.index.filings().get(id as usize)?;
        let x = f.findings.get(i as usize)?;
        self.store.data.dismissed.iter().find(|d| {
            d.finding.file == f.file
                && d.finding.code == x.code
                && d.finding.line == x.line
                && d.finding.message == x.message
        })
    }

    pub(crate) fn dismiss(&mut self) {
        let Some(&FRef::Finding(id, i)) = self.caches.findings.get(self.findings.sel) else {
            self.report(["only a finding of a filing can be dismissed".to_string()]);
            return;
        };
        let f = self.index.filing(id);
        let Some(x) = f.findings.get(i as usize) else {
            return;
        };
        let key = FindingKey {
            file: f.file.clone(),
            code: x.code.clone(),
            line: x.line,
            message: x.message.clone(),
        };
        if self.dismissal(id, i).is_some() {
            self.store.data.dismissed.retain(|d| d.finding != key);
            self.save_store("finding restored");
            return;
        }
        let title = format!("Dismiss {}: why?", x.code);
        self.input = Some(Input::Prompt(Prompt::new(
            PromptKind::Dismiss(key),
            &title,
            "",
        )));
    }

    /// The export's suggested name: the table, then what it is of (the
    /// issuer, the month, the months compared), then the day.
    fn export_stem(&self, table: &str) -> String {
        let mut parts = vec![table.to_string()];
        let code = self.issuer_code().map(str::to_string);
        match &self.view {
            Some(View::Diff(d)) => parts.extend([d.code.clone(), d.from.clone(), d.to.clone()]),
            Some(View::Screen(_)) => {}
            None => match self.focus {
                Pane::Capital | Pane::Schemes => {
                    parts.extend(code);
                    parts.extend(self.month.clone());
                }
                Pane::Filings => parts.extend(code),
                Pane::Lockups if self.lockups_mine => parts.extend(code),
                Pane::Findings => match self.findings_scope {
                    FindingScope::Issuer => parts.extend(code),
                    FindingScope::Filing(id) => {
                        let f = self.index.filing(id);
                        parts.extend(self.index.issuer_code(id).map(str::to_string));
                        parts.extend(f.period.clone().or_else(|| f.date.clone()));
                    }
                    FindingScope::Corpus => {}
                },
                _ => {}
            },
        }
        parts.push(self.today.to_string());
        // Only what a file name can hold everywhere.
        parts
            .join("-")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    }

    pub(crate) fn ask_export(&mut self) {
        let (name, table) = tables::shown(self);
        let path = format!("~/hkfilings-{}.csv", self.export_stem(name));
        let title = format!("Export {} rows (.csv or .json)", table.rows.len());
        self.input = Some(Input::Prompt(Prompt::new(
            PromptKind::Export,
            &title,
            &path,
        )));
    }

    /// Write the shown table to `path`; an existing file is replaced only
    /// when `overwrite` (the user confirmed it), else the prompt asks.
    fn export_to(&mut self, path: &str, overwrite: bool) {
        let (_, table) = tables::shown(self);
        let expanded = match path.strip_prefix("~/") {
            Some(rest) => match std::env::var_os("HOME") {
                Some(h) => std::path::PathBuf::from(h).join(rest),
                None => std::path::PathBuf::from(path),
            },
            None => std::path::PathBuf::from(path),
        };
        let ext = expanded
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let bytes = match ext.as_str() {
            "csv" => table.to_csv(),
            "json" => table.to_json(),
            _ => {
                self.report([format!("{path}: the name must end in .csv or .json")]);
                return;
            }
        };
        if !overwrite && std::fs::symlink_metadata(&expanded).is_ok() {
            let title = format!(
                "{} exists: Enter replaces it, or give another name",
                expanded
                    .file_name()
                    .map_or_else(|| path.to_string(), |n| n.to_string_lossy().to_string())
            );
            self.input = Some(Input::Prompt(Prompt::new(
                PromptKind::ExportOverwrite(path.to_string()),
                &super::text::sanitize(&title),
                path,
            )));
            return;
        }
        match crate::atomic::write(&expanded, &bytes) {
            Ok(()) => {
                self.status = Some(format!(
                    "exported {} rows to {}",
                    table.rows.len(),
                    expanded.display()
                ))
            }
            Err(e) => self.report([format!("cannot write {}: {e}", expanded.display())]),
        }
    }

    pub(crate) fn copy(&mut self) -> Option<Effect> {
        match tables::copy_text(self) {
            Some(t) => {
                self.status = Some(format!(
                    "copied: {}",
                    crate::tui::text::truncate(&crate::tui::text::sanitize(&t), 60)
                ));
                Some(Effect::Copy(t))
            }
            None => {
                self.report(["nothing selected to copy".to_string()]);
                None
            }
        }
    }

    pub(crate) fn open_external(&mut self) -> Option<Effect> {
        let src = self.selected_src()?;
        let (file, _) = tables::src_place(self, src)?;
        self.status = Some(format!("opening {}", panes::file_name(&file)));
        Some(Effect::OpenFile(file))
    }

    // ----- the month comparison -----

    pub(crate) fn open_diff(&mut self) {
        let Some(code) = self.issuer_code().map(str::to_string) else {
            return;
        };
        match diff::default_pair(&self.index, &code) {
            Some((from, to)) => self.show_diff(&code, &from, &to),
            None => self.report([format!("{code} needs two monthly returns to compare")]),
        }
    }

    pub(crate) fn show_diff(&mut self, code: &str, from: &str, to: &str) {
        self.source = None;
        self.view = Some(View::Diff(DiffView::open(
            &self.index,
            code,
            from,
            to,
            self.today,
        )));
    }

    /// Open the list of the issuer's months to set one end of the comparison.
    pub(crate) fn open_month_pick(&mut self, end: PickEnd) {
        let Some(View::Diff(d)) = &self.view else {
            return;
        };
        let (current, other) = match end {
            PickEnd::From => (d.from.clone(), d.to.clone()),
            PickEnd::To => (d.to.clone(), d.from.clone()),
        };
        let months: Vec<String> = self
            .index
            .months(&d.code)
            .into_iter()
            .filter(|m| *m != other)
            .collect();
        if months.is_empty() {
            self.report([format!("{} has no other month to compare", d.code)]);
            return;
        }
        let mut sel = Scroll {
            sel: months.iter().position(|m| *m == current).unwrap_or(0),
            offset: 0,
        };
        // Centre the current month when the list is longer than the box.
        let rows = super::input::pick_rows(self.area(), months.len()).max(1);
        sel.offset = sel.sel.saturating_sub(rows / 2);
        sel.offset = sel.offset.min(months.len().saturating_sub(rows));
        self.input = Some(Input::Pick(MonthPick {
            code: d.code.clone(),
            end,
            months,
            other,
            current,
            sel,
        }));
    }

    /// Move the compared pair: `both` months, or only `from`, by one month with a return.
    pub(crate) fn move_diff(&mut self, later: bool, both: bool) {
        let Some(View::Diff(d)) = &self.view else {
            return;
        };
        let (code, from, to) = (d.code.clone(), d.from.clone(), d.to.clone());
        let pair = if both {
            let n = diff::neighbours(&self.index, &code, &from, &to);
            if later {
                n.later
            } else {
                n.earlier
            }
        } else {
            let months = self.index.months(&code);
            let f = if later {
                months.iter().find(|m| **m > from && **m < to).cloned()
            } else {
                months.iter().rev().find(|m| **m < from).cloned()
            };
            f.map(|f| (f, to.clone()))
        };
        match pair {
            Some((f, t)) => self.show_diff(&code, &f, &t),
            None => self.report(["no further month with a return that way".to_string()]),
        }
    }

    // ----- the command line -----

    pub(crate) fn ask_command(&mut self) {
        self.input = Some(Input::Prompt(Prompt::new(
            PromptKind::Command,
            ": expiring N · changed X% · findings CODE · q",
            "",
        )));
    }

    fn command(&mut self, line: &str) -> Option<Effect> {
        let mut words = line.split_whitespace();
        let cmd = words.next().unwrap_or("");
        let arg = words.next().unwrap_or("");
        match cmd {
            "" => None,
            "q" | "quit" => Some(Effect::Quit),
            "expiring" => {
                let Ok(days) = arg.parse::<u32>() else {
                    self.report([format!(":expiring needs a number of days, not {arg:?}")]);
                    return None;
                };
                let rows = screens::expiring(&self.index, self.today, days);
                let text = rows
                    .iter()
                    .map(|r| {
                        format!(
                            "{:>4}d  {}  {}  {}{}{}",
                            r.days_left,
                            r.end,
                            r.code.as_deref().unwrap_or("-----"),
                            r.party,
                            r.entity
                                .as_deref()
                                .map(|e| format!(" ({e})"))
                                .unwrap_or_default(),
                            r.shares
                                .as_deref()
                                .map(|s| format!(": {s}"))
                                .unwrap_or_default()
                        )
                    })
                    .collect();
                let goes = rows
                    .iter()
                    .map(|r| {
                        Some(Go::To(Target::LockUp {
                            filing: r.filing,
                            index: r.index,
                        }))
                    })
                    .collect();
                let table = to_table(
                    &rows,
                    &[
                        "code",
                        "issuer",
                        "party",
                        "entity",
                        "shares",
                        "start",
                        "end",
                        "days_left",
                        "file",
                        "line",
                    ],
                );
                self.show_screen(
                    format!(
                        "Lock-ups expiring within {days} days of {} ({})",
                        self.today,
                        rows.len()
                    ),
                    " days  end         code   party (entity): shares",
                    text,
                    goes,
                    table,
                    "expiring",
                );
                None
            }
            "changed" => {
                let Ok(pct) = arg.trim_end_matches('%').parse::<f64>() else {
                    self.report([format!(":changed needs a per cent, e.g. 5%, not {arg:?}")]);
                    return None;
                };
                let rows = screens::changed(&self.index, pct);
                let text = rows
                    .iter()
                    .map(|r| {
                        format!(
                            "{}  {:<28} {} → {}  {:>15} → {:>15}  {:>+8.2}%",
                            r.code,
                            crate::tui::text::truncate(&crate::tui::text::sanitize(&r.issuer), 28),
                            r.from,
                            r.to,
                            crate::tui::text::group(r.issued_before),
                            crate::tui::text::group(r.issued_after),
                            r.percent
                        )
                    })
                    .collect();
                let goes = rows
                    .iter()
                    .map(|r| Some(Go::Diff(r.code.clone())))
                    .collect();
                let table = to_table(
                    &rows,
                    &[
                        "code",
                        "issuer",
                        "from",
                        "to",
                        "issued_before",
                        "issued_after",
                        "change",
                        "percent",
                        "file",
                    ],
                );
                self.show_screen(
                    format!("Issued shares changed by more than {pct}% ({})", rows.len()),
                    "code   issuer                       months             issued before → after     change   (Enter: compare)",
                    text,
                    goes,
                    table,
                    "changed",
                );
                None
            }
            "findings" => {
                if arg.is_empty() {
                    self.report([":findings needs a finding code, e.g. chain_break".to_string()]);
                    return None;
                }
                let rows = screens::with_findings(&self.index, arg);
                let text = rows
                    .iter()
                    .map(|r| {
                        format!(
                            "{}  {:<28} {:>4} × {}  {}",
                            r.code,
                            crate::tui::text::truncate(&crate::tui::text::sanitize(&r.issuer), 28),
                            r.count,
                            r.finding,
                            r.message
                        )
                    })
                    .collect();
                let goes = rows
                    .iter()
                    .map(|r| Some(Go::Findings(r.code.clone())))
                    .collect();
                let table = to_table(
                    &rows,
                    &[
                        "code", "issuer", "finding", "level", "count", "file", "line", "message",
                    ],
                );
                self.show_screen(
                    format!("Issuers with {arg} findings ({})", rows.len()),
                    "code   issuer                       count   first message   (Enter: findings)",
                    text,
                    goes,
                    table,
                    "findings-screen",
                );
                None
            }
            other => {
                self.report([format!(
                    ":{other}: unknown command (expiring N, changed X%, findings CODE, q)"
                )]);
                None
            }
        }
    }

    fn show_screen(
        &mut self,
        title: String,
        header: &str,
        rows: Vec<String>,
        goes: Vec<Option<Go>>,
        table: Table,
        name: &'static str,
    ) {
        self.source = None;
        self.view = Some(View::Screen(ScreenView {
            title,
            header: header.to_string(),
            rows: rows
                .into_iter()
                .map(|r| crate::tui::text::sanitize(&r))
                .collect(),
            targets: goes,
            table,
            table_name: name,
            scroll: Scroll::default(),
        }));
    }

    /// Enter on a `:` screen row.
    pub(crate) fn screen_go(&mut self) {
        let Some(View::Screen(s)) = &self.view else {
            return;
        };
        let Some(Some(go)) = s.targets.get(s.scroll.sel).cloned() else {
            return;
        };
        match go {
            Go::To(t) => self.jump(&t),
            Go::Diff(code) => {
                self.jump(&Target::Issuer { code: code.clone() });
                self.open_diff();
            }
            Go::Findings(code) => {
                self.jump(&Target::Issuer { code });
                self.findings_scope = FindingScope::Issuer;
                self.findings = Scroll::default();
                self.focus_pane(Pane::Findings);
            }
        }
    }

    /// Search hits kept for `n`/`N`.
    pub fn results(&self) -> &[Hit] {
        &self.results
    }
}

/// Rows that serialise to JSON objects, as a table of the given columns.
fn to_table<T: serde::Serialize>(rows: &[T], columns: &[&'static str]) -> Table {
    let rows = rows
        .iter()
        .map(|r| {
            let v = serde_json::to_value(r).unwrap_or(Value::Null);
            columns
                .iter()
                .map(|c| v.get(*c).cloned().unwrap_or(Value::Null))
                .collect()
        })
        .collect();
    Table {
        columns: columns.to_vec(),
        rows,
    }
}
