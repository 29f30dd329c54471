//! The search box's state and the background matching behind it.
//!
//! The `SearchIndex` is shared with one worker thread at a time through an
//! `Arc`; the worker drops its reference before it reports, so the UI thread
//! can refresh the index in place (`Arc::get_mut`) between searches. A newer
//! keystroke sets the running search's cancel flag; the query typed last runs
//! as soon as the worker hands the `Searcher` back. Without a channel (tests)
//! the search runs inline.

use super::app::{FindingScope, Grid, Pane, Scroll, SourceView};
use super::panes::diff::View;
use crate::filings::search::{Hit, SearchIndex, Searcher};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use tui_textarea::TextArea;

/// Results kept per query.
pub const LIMIT: usize = 200;

/// Where the user was: restored when a search is abandoned with Esc.
#[derive(Clone)]
pub struct Place {
    pub focus: Pane,
    pub detail: Pane,
    pub code: Option<String>,
    pub month: Option<String>,
    pub capital: Grid,
    pub schemes: Grid,
    pub lockups: Scroll,
    pub lockups_mine: bool,
    pub filings: Scroll,
    pub findings: Scroll,
    pub findings_scope: FindingScope,
    pub starred_only: bool,
    pub source: Option<SourceView>,
    pub view: Option<View>,
}

/// The open search box.
pub struct SearchBox {
    pub input: TextArea<'static>,
    pub hits: Vec<Hit>,
    /// The selected hit.
    pub sel: Scroll,
    /// The query `hits` answer (the typed one may be newer).
    pub answered: String,
    pub saved: Place,
}

impl SearchBox {
    pub fn new(saved: Place) -> SearchBox {
        let mut input = TextArea::default();
        input.set_cursor_line_style(ratatui::style::Style::new());
        input.set_placeholder_text("name, code, scheme, person, title…");
        SearchBox {
            input,
            hits: Vec::new(),
            sel: Scroll::default(),
            answered: String::new(),
            saved,
        }
    }

    pub fn query(&self) -> String {
        self.input.lines().join(" ")
    }
}

/// A finished (or cancelled) search, back from the worker.
pub struct SearchDone {
    pub query: String,
    /// None: cancelled by a newer keystroke.
    pub hits: Option<Vec<Hit>>,
    pub searcher: Searcher,
}

impl std::fmt::Debug for SearchDone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchDone")
            .field("query", &self.query)
            .field("hits", &self.hits.as_ref().map(Vec::len))
            .finish()
    }
}

/// The matching machinery.
#[derive(Default)]
pub struct SearchState {
    pub index: Option<Arc<SearchIndex>>,
    /// The app generation `index` reflects.
    pub index_gen: u64,
    /// None while a worker holds it.
    pub searcher: Option<Searcher>,
    pub running: bool,
    pub cancel: Arc<AtomicBool>,
    /// The query to run next.
    pub wanted: Option<String>,
    /// The app generation the shown hits were computed on.
    pub hits_gen: u64,
}
