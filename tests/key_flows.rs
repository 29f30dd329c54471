//! The explorer driven by keys, without a terminal: what a user presses and
//! what the app then holds.

mod tui_fixture;

use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use hkfilings::config::Config;
use hkfilings::filings::index::Index;
use hkfilings::loader::LoaderEvent;
use hkfilings::tui::app::{App, Effect, FindingScope, Msg, Pane, SortCol};
use std::time::Duration;

fn app() -> App {
    tui_fixture::app(120, 40)
}

fn source_line(app: &App) -> Option<(String, usize, String)> {
    let v = app.source.as_ref()?;
    let t = v.target?;
    Some((v.file.clone(), t + 1, v.lines.get(t)?.clone()))
}

#[test]
fn j_and_k_move_the_issuer_selection_and_the_month_follows() {
    let mut app = app();
    assert_eq!(app.issuer_code(), Some("00020"));
    assert_eq!(app.month.as_deref(), Some("2023-11"));
    app.press("j j");
    assert_eq!(app.issuer_code(), Some("01149"));
    assert_eq!(app.month.as_deref(), Some("2010-03"));
    app.press("k");
    assert_eq!(app.issuer_code(), Some("00388"));
    app.press("j j j j");
    assert_eq!(
        app.issuer_code(),
        Some("01149"),
        "the selection stops at the end"
    );
    app.press("g");
    assert_eq!(app.issuer_code(), Some("00020"));
    app.press("G");
    assert_eq!(app.issuer_code(), Some("01149"));
}

#[test]
fn tab_shift_tab_and_numbers_move_the_focus() {
    let mut app = app();
    assert_eq!(app.focus, Pane::Issuers);
    app.press("Tab");
    assert_eq!(app.focus, Pane::Capital);
    app.press("Tab Tab");
    assert_eq!(app.focus, Pane::Lockups);
    app.press("shift-tab");
    assert_eq!(app.focus, Pane::Schemes);
    app.press("6");
    assert_eq!(app.focus, Pane::Findings);
    app.press("Tab");
    assert_eq!(app.focus, Pane::Issuers, "Tab wraps around");
    app.press("5 Esc");
    assert_eq!(
        app.focus,
        Pane::Issuers,
        "Esc in a pane goes back to the issuers"
    );
}

#[test]
fn brackets_step_through_the_issuers_months_and_stop_at_the_ends() {
    let mut app = app();
    app.press("[");
    assert_eq!(app.month.as_deref(), Some("2023-10"));
    app.press("[ [ [");
    assert_eq!(app.month.as_deref(), Some("2023-09"));
    app.press("]");
    assert_eq!(app.month.as_deref(), Some("2023-10"));
    app.press("] ] ]");
    assert_eq!(app.month.as_deref(), Some("2023-11"));
    assert_eq!(
        app.status.as_deref(),
        Some("2023-11 is 00020's latest month with a return"),
        "the end is said, not met in silence"
    );
    app.press("[ [ [");
    assert_eq!(
        app.status.as_deref(),
        Some("2023-09 is 00020's earliest month with a return")
    );
}

#[test]
fn an_issuer_without_monthly_returns_has_no_month() {
    let mut app = app();
    app.press("j");
    assert_eq!(app.issuer_code(), Some("00388"));
    assert_eq!(app.month, None);
    assert_eq!(app.month_filing(), None);
    app.press("] 2 Enter");
    assert!(app.source.is_none(), "nothing to open");
}

#[test]
fn t_cycles_the_sort_column_and_capital_t_reverses_it_keeping_the_selection() {
    let mut app = app();
    app.press("j");
    assert_eq!(app.issuer_code(), Some("00388"));
    app.press("t");
    assert_eq!(app.issuers.sort, SortCol::Name);
    assert_eq!(app.issuers.order, ["01149", "00020", "00388"]);
    assert_eq!(
        app.issuer_code(),
        Some("00388"),
        "the selection follows its issuer"
    );
    app.press("t t");
    assert_eq!(app.issuers.sort, SortCol::Filings);
    assert_eq!(app.issuers.order, ["01149", "00020", "00388"]);
    app.press("T");
    assert!(app.issuers.reverse);
    assert_eq!(app.issuers.order, ["00388", "00020", "01149"]);
    app.press("t t t");
    assert_eq!(
        app.issuers.sort,
        SortCol::Code,
        "the cycle comes back to the code"
    );
}

#[test]
fn enter_on_a_share_capital_cell_opens_the_file_at_its_line() {
    let mut app = app();
    // Class B's issued row; l l moves the cursor to the closing column.
    app.press("2 j j j j j j j j j l l Enter");
    let (file, line, text) = source_line(&app).expect("a source view at a line");
    assert!(file.ends_with("lumen-2023-11.txt"), "{file}");
    assert_eq!(line, 25);
    assert!(text.contains("27,071,189,548"), "{text}");
    app.press("Esc h h Enter");
    let (_, line, text) = source_line(&app).expect("the opening cell");
    assert_eq!(line, 23);
    assert!(text.contains("27,059,000,000"), "{text}");
}

#[test]
fn enter_on_a_next_day_return_movement_opens_that_return() {
    let mut app = app();
    app.press("2 G Enter");
    let (file, line, text) = source_line(&app).expect("a source view");
    assert!(file.ends_with("lumen-ndr-2023-11-15.txt"), "{file}");
    assert_eq!(line, 7);
    assert!(text.contains("12,189,548"), "{text}");
}

#[test]
fn enter_on_a_scheme_movement_opens_its_line() {
    let mut app = app();
    app.press("3 j j Enter");
    let (_, line, text) = source_line(&app).expect("a source view");
    assert_eq!(line, 29);
    assert!(text.contains("(12,189,548)"), "{text}");
}

/// `G` in the source view shows the file's last page, its last line at the
/// bottom (as `less` does), not the last line alone at the top.
#[test]
fn g_in_the_source_view_ends_with_the_last_line_at_the_bottom() {
    let mut app = tui_fixture::app(80, 15);
    app.press("5 Enter G");
    let v = app.source.as_ref().expect("a source view");
    let height = hkfilings::tui::ui::source_height(&app);
    assert!(v.lines.len() > height, "a file longer than the view");
    assert_eq!(v.scroll + height, v.lines.len());
    app.press("g");
    assert_eq!(app.source.as_ref().map(|v| v.scroll), Some(0));
}

/// A window grown after `G` shows the rows above, not blank rows below the
/// list's end.
#[test]
fn a_grown_window_fills_with_the_rows_above_the_end_of_a_list() {
    let mut app = tui_fixture::app(60, 15);
    app.press("2 G");
    let len = hkfilings::tui::panes::capital::rows(&app).len();
    let short = hkfilings::tui::ui::list_height(&app, Pane::Capital);
    assert!(len > short, "more rows than the short window shows");
    assert!(app.capital.rows.offset > 0);
    app.update(Msg::Resize(120, 50));
    let tall = hkfilings::tui::ui::list_height(&app, Pane::Capital);
    assert_eq!(app.capital.rows.offset, len.saturating_sub(tall));
    assert_eq!(app.capital.rows.sel, len - 1, "the selection stays");
}

#[test]
fn q_closes_the_source_view_and_then_quits() {
    let mut app = app();
    app.press("5 Enter");
    assert!(app.source.is_some());
    assert!(app.press("q").is_empty(), "q in a view goes back");
    assert!(app.source.is_none());
    assert_eq!(app.press("q"), vec![Effect::Quit]);
}

#[test]
fn ctrl_c_quits_from_anywhere_even_the_help() {
    let mut app = app();
    app.press("?");
    assert!(app.help.is_some());
    assert!(app.press("2 q").is_empty() || app.help.is_none());
    app.press("?");
    assert_eq!(app.press("ctrl-c"), vec![Effect::Quit]);
    let mut app2 = tui_fixture::app(120, 40);
    app2.press("2 j Enter");
    assert_eq!(app2.press("ctrl-c"), vec![Effect::Quit]);
}

#[test]
fn help_swallows_pane_keys_and_closes_with_question_mark() {
    let mut app = app();
    app.press("? 3");
    assert_eq!(
        app.focus,
        Pane::Issuers,
        "keys in the help do not reach the panes"
    );
    app.press("?");
    assert!(app.help.is_none());
    app.press("f1 Esc");
    assert!(app.help.is_none());
}

#[test]
fn lockups_list_soonest_expiry_first_and_f_filters_to_the_selected_issuer() {
    let mut app = app();
    app.press("4");
    let parties: Vec<String> = app
        .caches
        .lockups
        .iter()
        .map(|&(id, i)| app.index.filing(id).lockups[i].party.clone())
        .collect();
    assert_eq!(
        parties,
        ["Ms. Ho Yan", "Dr. Wen Li", "Mr. Kai Xu", "Mr. Chan Tai Man"]
    );
    app.press("f");
    assert_eq!(app.caches.lockups.len(), 3);
    app.press("1 j j 4");
    assert_eq!(
        app.caches.lockups.len(),
        1,
        "the filter follows the selected issuer"
    );
    app.press("f");
    assert_eq!(app.caches.lockups.len(), 4);
    app.press("G Enter");
    let (file, line, _) = source_line(&app).expect("the announcement");
    assert!(file.ends_with("harbour-lockup-2010-01-15.txt"));
    assert_eq!(line, 5);
}

/// Undertakings ending on one day are listed in one order whatever order
/// the loader delivered their announcements in.
#[test]
fn lockups_ending_on_one_day_keep_their_order_whatever_the_load_order() {
    let listed = |reverse: bool| {
        let mut entries = tui_fixture::entries();
        // Every undertaking ends on one day.
        for e in &mut entries {
            if let hkfilings::filings::model::Entry::Filing(f) = e {
                for l in &mut f.lockups {
                    l.end = Some("2024-12-29".into());
                }
            }
        }
        if reverse {
            entries.reverse();
        }
        let mut idx = Index::new();
        idx.add_batch(entries);
        let mut app = App::new(idx, "dir", &Config::default(), tui_fixture::today());
        app.press("4");
        app.caches
            .lockups
            .iter()
            .map(|&(id, i)| app.index.filing(id).lockups[i].party.clone())
            .collect::<Vec<_>>()
    };
    let forward = listed(false);
    assert_eq!(forward.len(), 4);
    assert_eq!(forward, listed(true));
    // by issuer (00020 before 00388), then as the announcement lists them
    assert_eq!(forward[3], "Mr. Chan Tai Man");
}

#[test]
fn the_filing_timeline_reads_a_filing_from_its_top() {
    let mut app = app();
    app.press("j j 5");
    assert_eq!(app.issuer_filings().len(), 6);
    app.press("j j Enter");
    let v = app.source.as_ref().expect("a source view");
    assert_eq!(v.target, None);
    assert!(
        v.lines[0].starts_with("Monthly Return of Equity Issuer"),
        "{:?}",
        v.lines.first()
    );
}

#[test]
fn findings_switch_between_issuer_corpus_and_info() {
    let mut app = app();
    app.press("6");
    assert_eq!(app.findings_scope, FindingScope::Issuer);
    // Lumen's six single-filing warnings and the Pre-IPO ESOP's chain break
    // (October opens 1,000,000 above September's close).
    assert_eq!(app.caches.findings.len(), 7);
    app.press("c");
    assert_eq!(app.findings_scope, FindingScope::Corpus);
    let warnings_and_errors = app.caches.findings.len();
    app.press("i");
    assert!(app.caches.findings.len() > warnings_and_errors);
    app.press("i c");
    assert_eq!(app.caches.findings.len(), 7);
}

#[test]
fn a_writes_a_note_in_the_findings_pane_as_everywhere_else() {
    let mut app = app();
    app.press("6 a");
    assert!(matches!(
        app.input,
        Some(hkfilings::tui::input::Input::Note(_))
    ));
}

#[test]
fn an_unusable_file_is_listed_first_and_opens_with_its_reason() {
    let mut app = app();
    app.press("6 c Enter");
    let v = app.source.as_ref().expect("a source view");
    assert!(v.file.ends_with("notes.bin"));
    assert!(
        v.error.as_deref().unwrap_or("").contains("NUL"),
        "{:?}",
        v.error
    );
}

#[test]
fn a_finding_opens_at_its_line() {
    let mut app = app();
    app.press("j j 6 Enter");
    let (file, line, text) = source_line(&app).expect("a source view");
    assert!(file.ends_with("harbour-2010-03.txt"), "{file}");
    assert_eq!(line, 12);
    assert!(text.contains("907,000,000"), "{text}");
}

#[test]
fn bang_lists_the_findings_of_the_selected_filing() {
    let mut app = app();
    app.press("5 j !");
    assert_eq!(app.focus, Pane::Findings);
    let id = app.issuer_filings()[1];
    assert_eq!(app.findings_scope, FindingScope::Filing(id));
    assert_eq!(app.caches.findings.len(), 2);
}

/// The search keys are built when a load ends, so the first `/` does not
/// pause to build them; a cancelled load leaves them to the first search.
#[test]
fn a_finished_load_builds_the_search_keys_before_the_first_search() {
    for cancelled in [false, true] {
        let mut app = App::new(
            Index::new(),
            "dir",
            &Config::default(),
            tui_fixture::today(),
        );
        app.progress.loading = true;
        app.update(Msg::Loader(LoaderEvent::Batch(
            tui_fixture::entries(),
            Vec::new(),
        )));
        assert!(app.search.index.is_none(), "none while loading");
        app.update(Msg::Loader(LoaderEvent::Finished {
            files: 14,
            failures: 1,
            cancelled,
            elapsed: Duration::from_secs(1),
        }));
        assert_eq!(
            app.search.index.is_some(),
            !cancelled,
            "cancelled: {cancelled}"
        );
    }
}

#[test]
fn esc_or_ctrl_x_while_loading_cancels_the_load_from_any_pane() {
    let mut app = App::new(
        Index::new(),
        "dir",
        &Config::default(),
        tui_fixture::today(),
    );
    app.progress.loading = true;
    assert_eq!(app.press("Esc"), vec![Effect::CancelLoad]);
    assert_eq!(app.press("ctrl-x"), vec![Effect::CancelLoad]);
    assert_eq!(
        app.press("6 ctrl-x"),
        vec![Effect::CancelLoad],
        "in the findings pane too, where x dismisses"
    );
    app.update(Msg::Loader(LoaderEvent::Finished {
        files: 0,
        failures: 0,
        cancelled: true,
        elapsed: Duration::from_secs(1),
    }));
    assert!(
        app.press("Esc ctrl-x").is_empty(),
        "nothing to cancel once finished"
    );
    assert!(app.progress.cancelled);
}

#[test]
fn a_cancelled_load_says_so_and_ctrl_r_loads_the_folder_again() {
    let mut app = App::new(
        Index::new(),
        "dir",
        &Config::default(),
        tui_fixture::today(),
    );
    app.progress.loading = true;
    assert!(
        app.press("ctrl-r").is_empty(),
        "no second load while one runs"
    );
    app.update(Msg::Loader(LoaderEvent::Walked {
        files: 40,
        done: true,
    }));
    app.progress.parsed = 12;
    assert_eq!(app.press("ctrl-x"), vec![Effect::CancelLoad]);
    assert_eq!(app.status.as_deref(), Some("cancelling the load…"));
    app.update(Msg::Loader(LoaderEvent::Finished {
        files: 12,
        failures: 0,
        cancelled: true,
        elapsed: Duration::from_secs(1),
    }));
    assert_eq!(
        app.status.as_deref(),
        Some("load cancelled after 12 of 40 files: C-r loads the rest")
    );
    assert_eq!(app.press("ctrl-r"), vec![Effect::Reload]);
    assert!(app.progress.loading && !app.progress.cancelled);
    assert_eq!(app.progress.parsed, 0, "the new load counts from nothing");
    app.update(Msg::Loader(LoaderEvent::Finished {
        files: 40,
        failures: 0,
        cancelled: false,
        elapsed: Duration::from_secs(1),
    }));
    assert_eq!(app.status, None, "the news of the reload is over");
    assert_eq!(app.progress.parsed, 40);
}

/// An explorer while loading, given the fixture's later filings (01149,
/// 00388) first, as a parallel loader may deliver them: the app and the
/// batch still to come (00020's filings, which sort in above them).
fn loading_with_later_filings_first() -> (App, Vec<hkfilings::filings::model::Entry>) {
    let mut app = App::new(
        Index::new(),
        "dir",
        &Config::default(),
        tui_fixture::today(),
    );
    app.clock = hkfilings::tui::app::Clock::manual();
    app.progress.loading = true;
    app.update(Msg::Resize(120, 40));
    let entries = tui_fixture::entries();
    let (first, rest): (Vec<_>, Vec<_>) =
        entries.into_iter().enumerate().partition(|(i, _)| *i >= 5);
    app.update(Msg::Loader(LoaderEvent::Batch(
        first.into_iter().map(|(_, e)| e).collect(),
        Vec::new(),
    )));
    app.refresh();
    (app, rest.into_iter().map(|(_, e)| e).collect())
}

#[test]
fn issuers_can_be_browsed_while_batches_arrive() {
    let (mut app, rest) = loading_with_later_filings_first();
    assert_eq!(app.issuers.order, ["00388", "01149"]);
    app.press("j");
    assert_eq!(app.issuer_code(), Some("01149"));
    app.update(Msg::Loader(LoaderEvent::Batch(rest, Vec::new())));
    app.refresh();
    assert_eq!(app.issuers.order.len(), 3);
    assert_eq!(
        app.issuer_code(),
        Some("01149"),
        "an issuer sorted in before it keeps the selection"
    );
    assert_eq!(app.progress.parsed, 14);
    assert_eq!(app.progress.failures, 1, "not_a_filing is no failure");
    app.update(Msg::Tick(Duration::from_secs(2)));
    assert_eq!(app.progress.rate(), 7.0);
}

#[test]
fn until_the_user_moves_the_first_issuer_stays_selected_while_batches_arrive() {
    let (mut app, rest) = loading_with_later_filings_first();
    assert_eq!(app.issuer_code(), Some("00388"));
    app.update(Msg::Loader(LoaderEvent::Batch(rest, Vec::new())));
    // While a load runs, its index is brought up to date every half second.
    app.clock.advance(std::time::Duration::from_millis(500));
    app.refresh();
    assert_eq!(app.issuers.order[0], "00020");
    assert_eq!(
        app.issuer_code(),
        Some("00020"),
        "the cursor stays on the top row"
    );
    assert_eq!(
        app.month.as_deref(),
        Some("2023-11"),
        "and the panes show the top issuer's latest month"
    );
    app.press("j");
    assert_eq!(app.issuer_code(), Some("00388"));
}

#[test]
fn the_mouse_selects_rows_and_panes_and_scrolls() {
    let mut app = app();
    let click = |col, row| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: col,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    // Row 0 header, row 1 tabs, row 2 the issuer pane's border, row 3 its header.
    app.update(click(5, 6));
    assert_eq!(app.issuer_code(), Some("01149"));
    app.update(click(80, 10));
    assert_eq!(app.focus, Pane::Capital);
    // The tab bar: " 1 Issuers " is 11 cells, then " 2 Share capital ".
    app.update(click(14, 1));
    assert_eq!(app.focus, Pane::Capital);
    app.update(click(3, 1));
    assert_eq!(app.focus, Pane::Issuers);
    app.update(Msg::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollUp,
        column: 5,
        row: 6,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(app.issuer_code(), Some("00020"));
}

#[test]
fn a_rebound_key_moves_like_the_default_did() {
    let mut config = Config::default();
    config.keys.insert("down".into(), vec!["n".into()]);
    let mut app = App::new(tui_fixture::index(), "dir", &config, tui_fixture::today());
    app.update(Msg::Resize(120, 40));
    app.press("n");
    assert_eq!(app.issuer_code(), Some("00388"));
    app.press("j");
    assert_eq!(app.issuer_code(), Some("00388"), "j is no longer bound");
}

#[test]
fn a_bad_key_in_the_config_is_reported_in_the_status_bar() {
    let mut config = Config::default();
    config.keys.insert("teleport".into(), vec!["t".into()]);
    let app = App::new(tui_fixture::index(), "dir", &config, tui_fixture::today());
    assert_eq!(
        app.status.as_deref(),
        Some("[keys] teleport: no such action")
    );
}

#[test]
fn page_keys_move_by_the_visible_height() {
    let mut app = app();
    app.press("ctrl-d");
    assert_eq!(
        app.issuer_code(),
        Some("01149"),
        "half a page passes the end of a short list"
    );
    app.press("ctrl-u");
    assert_eq!(app.issuer_code(), Some("00020"));
}

// ----- search -----

fn type_text(app: &mut App, text: &str) {
    use crossterm::event::{KeyCode, KeyEvent};
    for c in text.chars() {
        app.update(Msg::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
}

#[test]
fn slash_searches_as_you_type_and_enter_jumps_to_the_issuer() {
    let mut app = app();
    app.press("/");
    assert!(app.input.is_some(), "the search box is open");
    type_text(&mut app, "harbour");
    app.press("Enter");
    assert!(app.input.is_none(), "Enter closes the box");
    assert_eq!(app.issuer_code(), Some("01149"));
    assert_eq!(app.focus, Pane::Issuers);
}

#[test]
fn a_person_found_by_search_leads_to_their_lockup_row() {
    let mut app = app();
    app.press("/");
    type_text(&mut app, "kai xu");
    app.press("Enter");
    assert_eq!(app.focus, Pane::Lockups);
    let &(id, pos) = app.caches.lockups.get(app.lockups.sel).unwrap();
    assert_eq!(app.index.filing(id).lockups[pos].party, "Mr. Kai Xu");
}

#[test]
fn a_scheme_found_by_search_opens_the_schemes_pane_at_its_month() {
    let mut app = app();
    app.press("j j");
    app.press("/");
    type_text(&mut app, "pre-ipo esop");
    app.press("Enter");
    assert_eq!(app.focus, Pane::Schemes);
    assert_eq!(app.issuer_code(), Some("00020"));
    assert_eq!(app.month.as_deref(), Some("2023-11"));
}

#[test]
fn esc_in_the_search_box_restores_focus_selection_and_month() {
    let mut app = app();
    app.press("j j 2 [");
    let before = (
        app.issuer_code().map(str::to_string),
        app.focus,
        app.month.clone(),
    );
    app.press("/");
    type_text(&mut app, "lumen");
    // Moving through the results shows each behind the box...
    app.press("down up");
    app.press("Esc");
    assert!(app.input.is_none());
    let after = (
        app.issuer_code().map(str::to_string),
        app.focus,
        app.month.clone(),
    );
    assert_eq!(after, before, "...and Esc comes back to where it was");
}

#[test]
fn n_and_capital_n_step_through_the_results_after_the_box_closes() {
    let mut app = app();
    app.press("/");
    type_text(&mut app, "holdings");
    let n = match &app.input {
        Some(hkfilings::tui::input::Input::Search(b)) => b.hits.len(),
        _ => 0,
    };
    assert!(n >= 3, "several hits for holdings: {n}");
    app.press("Enter");
    let first = app.results()[0].target.clone();
    app.press("n");
    let second = app.results()[1].target.clone();
    assert_ne!(first, second);
    app.press("N");
    assert!(
        app.status.as_deref().unwrap_or("").starts_with("result 1/"),
        "{:?}",
        app.status
    );
    app.press("N");
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .starts_with(&format!("result {n}/")),
        "N wraps to the last: {:?}",
        app.status
    );
}

#[test]
fn search_results_follow_filings_loaded_while_the_box_is_open() {
    let mut app = App::new(Index::new(), "x", &Config::default(), tui_fixture::today());
    app.update(Msg::Resize(120, 40));
    app.press("/");
    type_text(&mut app, "harbour");
    let hits = |app: &App| match &app.input {
        Some(hkfilings::tui::input::Input::Search(b)) => b.hits.len(),
        _ => 0,
    };
    assert_eq!(hits(&app), 0);
    app.update(Msg::Loader(LoaderEvent::Batch(
        tui_fixture::entries(),
        Vec::new(),
    )));
    app.refresh();
    assert!(hits(&app) > 0, "the new filings are searched");
}

// ----- the month comparison -----

fn diff_pair(app: &App) -> Option<(String, String)> {
    match &app.view {
        Some(hkfilings::tui::panes::diff::View::Diff(d)) => Some((d.from.clone(), d.to.clone())),
        _ => None,
    }
}

#[test]
fn f_and_t_pick_either_month_of_the_comparison_from_a_list() {
    use hkfilings::tui::input::Input;
    let mut app = app();
    app.press("d f");
    let Some(Input::Pick(p)) = &app.input else {
        panic!("f opens the month list")
    };
    assert_eq!(p.months, ["2023-09", "2023-10"], "every month but `to`");
    assert_eq!(p.months[p.sel.sel], "2023-10", "the list starts at `from`");
    app.press("k Enter");
    assert!(app.input.is_none());
    assert_eq!(diff_pair(&app), Some(("2023-09".into(), "2023-11".into())));
    app.press("t k Enter");
    assert_eq!(diff_pair(&app), Some(("2023-09".into(), "2023-10".into())));
    app.press("t Esc");
    assert_eq!(
        diff_pair(&app),
        Some(("2023-09".into(), "2023-10".into())),
        "Esc keeps the pair"
    );
    assert!(app.input.is_none());
}

#[test]
fn a_from_month_picked_after_to_swaps_the_pair() {
    let mut app = app();
    app.press("d [ f G Enter");
    assert_eq!(diff_pair(&app), Some(("2023-10".into(), "2023-11".into())));
}

#[test]
fn d_compares_the_latest_month_with_the_one_before_and_brackets_move_the_pair() {
    use hkfilings::tui::panes::diff::View;
    let mut app = app();
    app.press("d");
    let pair = |app: &App| match &app.view {
        Some(View::Diff(d)) => Some((d.from.clone(), d.to.clone())),
        _ => None,
    };
    assert_eq!(pair(&app), Some(("2023-10".into(), "2023-11".into())));
    app.press("[");
    assert_eq!(pair(&app), Some(("2023-09".into(), "2023-10".into())));
    app.press("[");
    assert_eq!(
        pair(&app),
        Some(("2023-09".into(), "2023-10".into())),
        "no earlier pair"
    );
    app.press("]");
    assert_eq!(pair(&app), Some(("2023-10".into(), "2023-11".into())));
    app.press("{");
    assert_eq!(pair(&app), Some(("2023-09".into(), "2023-11".into())));
    app.press("}");
    assert_eq!(pair(&app), Some(("2023-10".into(), "2023-11".into())));
    app.press("q");
    assert!(app.view.is_none(), "q closes the comparison");
    assert_eq!(app.press("q"), vec![Effect::Quit]);
}

#[test]
fn enter_on_a_comparison_line_opens_its_source_and_esc_returns_to_it() {
    use hkfilings::tui::panes::diff::View;
    let mut app = app();
    app.press("d");
    let Some(View::Diff(d)) = &app.view else {
        panic!("no comparison")
    };
    let i = d
        .lines
        .iter()
        .position(|l| l.text.trim_start().starts_with("issued"))
        .unwrap();
    for _ in 0..i {
        app.press("j");
    }
    app.press("Enter");
    let (file, line, text) = source_line(&app).unwrap();
    assert!(file.ends_with("lumen-2023-11.txt"), "{file}");
    assert!(line > 0);
    assert!(!text.is_empty());
    app.press("Esc");
    assert!(app.source.is_none());
    assert!(app.view.is_some(), "back at the comparison");
}

// ----- stars, notes, dismissals -----

fn with_store(dir: &std::path::Path) -> App {
    let mut app = app();
    let (store, problem) = hkfilings::tui::store::Store::load(Some(dir));
    assert_eq!(problem, None);
    app.store = store;
    app
}

#[test]
fn s_stars_an_issuer_star_filters_and_the_star_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = with_store(dir.path());
    app.press("j j s");
    assert!(app.store.data.starred.contains("01149"));
    app.press("*");
    assert_eq!(app.issuers.order, ["01149"]);
    app.press("*");
    assert_eq!(app.issuers.order.len(), 3);
    let again = with_store(dir.path());
    assert!(again.store.data.starred.contains("01149"), "saved to disk");
}

#[test]
fn a_note_is_typed_and_saved_with_ctrl_s() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = with_store(dir.path());
    app.press("a");
    type_text(&mut app, "watch the WVR");
    app.press("ctrl-s");
    assert!(app.input.is_none());
    assert_eq!(app.store.data.notes["00020"], "watch the WVR");
    let again = with_store(dir.path());
    assert_eq!(again.store.data.notes["00020"], "watch the WVR");
}

#[test]
fn esc_on_a_changed_note_asks_before_discarding() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = with_store(dir.path());
    app.press("a");
    type_text(&mut app, "draft");
    app.press("Esc");
    assert!(app.input.is_some(), "it asks first");
    app.press("n");
    assert!(app.input.is_none());
    assert!(!app.store.data.notes.contains_key("00020"));
    app.press("a");
    type_text(&mut app, "kept");
    app.press("Esc");
    type_text(&mut app, "y");
    assert_eq!(app.store.data.notes["00020"], "kept");
}

#[test]
fn x_dismisses_a_finding_with_a_reason_and_x_again_restores_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = with_store(dir.path());
    app.press("6");
    let shown = app.caches.findings.len();
    assert!(shown > 0);
    let counted = |app: &App| app.finding_count(app.index.issuer("00020").expect("00020"));
    let before = counted(&app);
    app.press("x");
    type_text(&mut app, "par misprint known");
    app.press("Enter");
    assert_eq!(app.store.data.dismissed.len(), 1);
    assert_eq!(app.store.data.dismissed[0].reason, "par misprint known");
    assert_eq!(app.caches.findings.len(), shown - 1, "hidden from the list");
    assert_eq!(counted(&app), before - 1, "and from the issuer's count");
    app.press("i");
    let last = app.caches.findings.len() - 1;
    app.press("G");
    assert_eq!(
        app.findings.sel, last,
        "dismissed ones come last with info shown"
    );
    app.press("x");
    assert!(app.store.data.dismissed.is_empty(), "restored");
    assert_eq!(counted(&app), before);
    let again = with_store(dir.path());
    assert!(again.store.data.dismissed.is_empty());
}

#[test]
fn a_corrupt_data_file_is_reported_and_kept_aside_on_the_next_save() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("user.json"), "{ not json").unwrap();
    let (store, problem) = hkfilings::tui::store::Store::load(Some(dir.path()));
    assert!(problem.unwrap().contains("line 1"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("user.json")).unwrap(),
        "{ not json",
        "left untouched on load"
    );
    let mut app = app();
    app.store = store;
    app.press("s");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().any(|n| n.starts_with("user.json.corrupt-")),
        "{names:?}"
    );
    let again = with_store(dir.path());
    assert!(again.store.data.starred.contains("00020"));
}

// ----- export, copy, commands -----

#[test]
fn e_exports_the_shown_lockups_to_the_path_typed() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app();
    app.press("4 e");
    // Replace the prefilled path.
    app.press("ctrl-a ctrl-k");
    let path = dir.path().join("lockups.json");
    type_text(&mut app, &path.display().to_string());
    app.press("Enter");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), app.caches.lockups.len());
    assert_eq!(
        rows[0]["party"], "Ms. Ho Yan",
        "soonest expiry first, as shown"
    );
}

/// The prompt's path names the table, the issuer and the month shown.
fn export_prompt(app: &App) -> String {
    match &app.input {
        Some(hkfilings::tui::input::Input::Prompt(p)) => p.text(),
        _ => panic!("no export prompt"),
    }
}

#[test]
fn the_export_name_says_what_is_exported_and_an_existing_file_is_replaced_only_on_a_second_enter() {
    let mut app = app();
    app.press("2 e");
    assert_eq!(
        export_prompt(&app),
        "~/hkfilings-share-capital-00020-2023-11-2024-06-30.csv"
    );
    app.press("Esc d e");
    assert_eq!(
        export_prompt(&app),
        "~/hkfilings-diff-00020-2023-10-2023-11-2024-06-30.csv"
    );
    app.press("Esc Esc 4 e");
    assert_eq!(export_prompt(&app), "~/hkfilings-lockups-2024-06-30.csv");
    app.press("Esc");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("capital.csv");
    std::fs::write(&path, "the analyst's own file\n").unwrap();
    app.press("2 e ctrl-a ctrl-k");
    type_text(&mut app, &path.display().to_string());
    app.press("Enter");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "the analyst's own file\n",
        "not replaced unasked"
    );
    let Some(hkfilings::tui::input::Input::Prompt(p)) = &app.input else {
        panic!("the prompt asks again")
    };
    assert!(p.title.starts_with("capital.csv exists"), "{}", p.title);
    app.press("Enter");
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.starts_with("section,item,"), "{written}");
    // figures as numbers, not as the text shown
    assert!(
        written.contains(",Authorised,8000000000,0,8000000000,"),
        "{written}"
    );
    assert!(app.input.is_none());
}

#[test]
fn a_diff_exports_one_row_per_figure_compared_with_figures_as_numbers() {
    let mut app = app();
    app.press("d");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("diff.json");
    app.press("e ctrl-a ctrl-k");
    type_text(&mut app, &path.display().to_string());
    app.press("Enter");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let rows = v.as_array().unwrap();
    let issued = rows
        .iter()
        .find(|r| r["section"] == "issued" && r["item"] == "00020")
        .unwrap_or_else(|| panic!("{v:#}"));
    // Lumen's Class B: 27,059,000,000 at the close of October, 27,071,189,548 of November.
    assert_eq!(issued["before"], 27_059_000_000_i64);
    assert_eq!(issued["after"], 27_071_189_548_i64);
    assert_eq!(issued["change"], 12_189_548);
    assert_eq!(issued["status"], "changed");
    assert_eq!(issued["file"], "tests/fixtures/tui/lumen-2023-11.txt");
    assert!(
        rows.iter()
            .any(|r| r["section"] == "scheme" && r["measure"] == "outstanding"),
        "{v:#}"
    );
}

#[test]
fn y_copies_the_cell_with_its_source_line() {
    let mut app = app();
    app.press("2 j j j j l l");
    let effects = app.press("y");
    let Some(Effect::Copy(text)) = effects.first() else {
        panic!("no copy: {effects:?}")
    };
    assert!(
        text.contains("tests/fixtures/tui/lumen-2023-11.txt:"),
        "{text}"
    );
    assert!(app.status.as_deref().unwrap_or("").starts_with("copied"));
}

#[test]
fn o_asks_the_system_to_open_the_selected_filing() {
    let mut app = app();
    app.press("5");
    let effects = app.press("o");
    assert!(
        matches!(effects.first(), Some(Effect::OpenFile(f)) if f.starts_with("tests/fixtures/tui/")),
        "{effects:?}"
    );
}

#[test]
fn colon_expiring_lists_lockups_ending_soon_and_enter_goes_to_the_row() {
    use hkfilings::tui::panes::diff::View;
    let mut app = app();
    app.press(":");
    type_text(&mut app, "expiring 60");
    app.press("Enter");
    let Some(View::Screen(s)) = &app.view else {
        panic!("no screen")
    };
    assert_eq!(s.rows.len(), 1, "{:?}", s.rows);
    assert!(s.rows[0].contains("Ms. Ho Yan"));
    app.press("Enter");
    assert_eq!(app.focus, Pane::Lockups);
    let &(id, pos) = app.caches.lockups.get(app.lockups.sel).unwrap();
    assert_eq!(app.index.filing(id).lockups[pos].party, "Ms. Ho Yan");
}

#[test]
fn colon_q_quits_and_an_unknown_command_says_so() {
    let mut app = app();
    app.press(":");
    type_text(&mut app, "frobnicate");
    app.press("Enter");
    assert!(app
        .status
        .as_deref()
        .unwrap_or("")
        .contains("unknown command"));
    app.press(":");
    type_text(&mut app, "q");
    assert_eq!(app.press("Enter"), vec![Effect::Quit]);
}

/// An announcement of an issuer the fixture does not have, as the watcher
/// would hand it over after parsing the file.
fn quarry_bay_announcement(file: &str) -> hkfilings::filings::model::Entry {
    let text = "(Stock Code: 1234)\n\nDATE OF BOARD MEETING\n\nThe board of directors (the \"Board\") of Quarry Bay Textiles Limited (the \"Company\") announces a meeting.\n\nHong Kong, 3 March 2025\n";
    hkfilings::filings::parse::parse_text(file, text)
}

#[test]
fn a_filing_written_while_running_adds_its_issuer_and_the_status_bar_says_so() {
    use hkfilings::watch::WatchEvent;
    let mut app = app();
    let before = app.index.issuer_count();
    app.update(Msg::Watch(WatchEvent::Changed(vec![
        quarry_bay_announcement("tests/fixtures/tui/quarry-bay-board-meeting.txt"),
    ])));
    assert_eq!(app.index.issuer_count(), before + 1);
    assert!(app.issuers.order.contains(&"01234".to_string()));
    assert_eq!(
        app.issuer_code(),
        Some("00020"),
        "the selection stays where it was"
    );
    assert_eq!(
        app.status.as_deref(),
        Some("reloaded 1 file: quarry-bay-board-meeting.txt")
    );
}

#[test]
fn a_changed_file_replaces_its_first_parse_instead_of_adding_a_second() {
    use hkfilings::watch::WatchEvent;
    let mut app = app();
    let file = "tests/fixtures/tui/quarry-bay-board-meeting.txt";
    app.update(Msg::Watch(WatchEvent::Changed(vec![
        quarry_bay_announcement(file),
    ])));
    let filings = app.index.filings().len();
    app.update(Msg::Watch(WatchEvent::Changed(vec![
        quarry_bay_announcement(file),
        quarry_bay_announcement("tests/fixtures/tui/b.txt"),
        quarry_bay_announcement("tests/fixtures/tui/c.txt"),
        quarry_bay_announcement("tests/fixtures/tui/d.txt"),
    ])));
    assert_eq!(app.index.filings().len(), filings + 3);
    assert_eq!(
        app.status.as_deref(),
        Some("reloaded 4 files: quarry-bay-board-meeting.txt, b.txt, c.txt and 1 more")
    );
}

#[test]
fn a_new_filing_is_found_by_a_search_opened_before_it_came() {
    use hkfilings::watch::WatchEvent;
    let mut app = app();
    app.press("/ Esc");
    app.update(Msg::Watch(WatchEvent::Changed(vec![
        quarry_bay_announcement("tests/fixtures/tui/quarry-bay-board-meeting.txt"),
    ])));
    app.press("/");
    type_text(&mut app, "quarry");
    app.press("Enter");
    assert_eq!(app.issuer_code(), Some("01234"));
}

#[test]
fn a_removed_file_is_named_and_its_filings_stay() {
    use hkfilings::watch::WatchEvent;
    let mut app = app();
    let filings = app.index.filings().len();
    app.update(Msg::Watch(WatchEvent::Removed(vec![
        "tests/fixtures/tui/lumen-2023-09.txt".to_string(),
    ])));
    assert_eq!(app.index.filings().len(), filings);
    assert_eq!(
        app.status.as_deref(),
        Some("removed: lumen-2023-09.txt (still shown until restart)")
    );
}

/// H shares and A shares are both "Ordinary shares": the comparison tells
/// the two classes apart by their keys.
#[test]
fn a_comparison_tells_apart_two_classes_of_one_name() {
    use hkfilings::filings::model::*;
    use hkfilings::tui::panes::diff::View;
    let month = |file: &str, period: &str, date: &str, h: i64| {
        let class = |key: &str, code: Option<&str>, closing: i64| ShareClass {
            class_key: key.into(),
            class: Some("Ordinary shares".into()),
            stock_code: code.map(str::to_string),
            issued: Some(Balance {
                opening: Some(closing),
                change: Some(0),
                closing: Some(closing),
                ..Balance::default()
            }),
            ..ShareClass::default()
        };
        let mut f = Filing::new(file, Kind::MonthlyReturn, Form::Ff301V12);
        f.issuer = Some("Redcliff Pharmaceutical Co., Ltd.".into());
        f.stock_codes = vec!["01099".into()];
        f.period = Some(period.into());
        f.date = Some(date.into());
        f.status = Some(Status::New);
        f.content_hash = format!("h-{period}");
        f.share_classes = vec![
            class("01099", Some("01099"), h),
            class("a-shares", None, 2_000_000),
        ];
        Entry::Filing(Box::new(f))
    };
    let mut index = Index::new();
    index.add_batch(vec![
        month("r/2024-01.txt", "2024-01", "2024-02-02", 1_000_000),
        month("r/2024-02.txt", "2024-02", "2024-03-04", 1_200_000),
    ]);
    let mut app = App::new(index, "r", &Config::default(), tui_fixture::today());
    app.update(Msg::Resize(120, 40));
    app.refresh();
    app.press("d");
    let Some(View::Diff(d)) = &app.view else {
        panic!("no comparison")
    };
    let heads: Vec<&str> = d
        .lines
        .iter()
        .map(|l| l.text.trim())
        .filter(|t| t.contains("Ordinary shares"))
        .collect();
    assert_eq!(heads.len(), 2, "{heads:?}");
    assert!(heads.iter().any(|t| t.contains("· 01099")), "{heads:?}");
    assert!(heads.iter().any(|t| t.contains("· a-shares")), "{heads:?}");
}
