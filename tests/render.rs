//! The explorer's screens, drawn on a test backend and compared as text.

mod tui_fixture;

use hkfilings::tui::app::{App, Msg};
use hkfilings::tui::ui;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use unicode_width::UnicodeWidthStr;

/// The screen as text, one line per row; a wide character takes its two cells.
fn screen(app: &App) -> String {
    let (w, h) = app.size;
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    term.draw(|f| ui::draw(f, app)).expect("draw");
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut x = 0;
        let mut line = String::new();
        while x < w {
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            x += (sym.width() as u16).max(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The fixture app at a size after pressing keys.
fn at(w: u16, h: u16, keys: &str) -> App {
    let mut app = tui_fixture::app(w, h);
    app.press(keys);
    app
}

/// A window dragged while events queue: the frame is drawn at the
/// terminal's size before its resize event is taken. It is laid out for the
/// frame, never for the last size the app was told of.
#[test]
fn a_frame_smaller_than_the_last_resize_event_is_laid_out_for_its_own_size() {
    for keys in ["", "2", "3", "4", "5", "d", "5 Enter", "?"] {
        let mut app = at(200, 50, keys);
        let mut term = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
        hkfilings::tui::draw(&mut term, &mut app).expect("draw");
        assert_eq!(app.size, (120, 40), "{keys}");
        let mut term = Terminal::new(TestBackend::new(61, 15)).expect("test backend");
        hkfilings::tui::draw(&mut term, &mut app).expect("draw");
        assert_eq!(app.size, (61, 15), "{keys}");
    }
}

macro_rules! snapshots {
    ($($name:ident: $keys:expr;)*) => {$(
        #[test]
        fn $name() {
            for (w, h) in [(80, 24), (160, 48)] {
                let app = at(w, h, $keys);
                insta::assert_snapshot!(format!("{}_{w}x{h}", stringify!($name)), screen(&app));
            }
        }
    )*};
}

snapshots! {
    search_box_with_highlighted_matches: "/ h o l d";
    diff_of_the_latest_two_months: "d";
    diff_from_an_earlier_month: "d {";
    diff_month_list_for_from: "d f k";
    issuer_list: "";
    issuer_list_sorted_by_filings_descending: "t t t t";
    share_capital_with_findings_and_next_day_returns: "2";
    share_capital_of_a_superseded_month_with_a_chain_break: "j j 2";
    share_capital_the_month_before: "2 [";
    schemes_with_a_recovered_opening_and_history: "3";
    lockups_soonest_expiry_first: "4";
    lockups_of_the_selected_issuer: "j j 4 f";
    filings_timeline_marks_superseded_and_duplicates: "j j 5";
    findings_of_the_issuer: "6";
    findings_of_the_whole_corpus_with_info: "6 c i";
    source_at_the_line_of_a_value: "2 j j j j j j j j j l l Enter";
    source_of_an_unusable_file: "6 c Enter";
    help_overlay: "?";
    issuer_without_monthly_returns: "j 2";
}

#[test]
fn loading_screen_shows_progress_rate_and_failures() {
    use hkfilings::loader::LoaderEvent;
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = App::new(
            hkfilings::filings::index::Index::new(),
            tui_fixture::DIR,
            &hkfilings::config::Config::default(),
            tui_fixture::today(),
        );
        app.progress.loading = true;
        app.update(Msg::Resize(w, h));
        app.update(Msg::Loader(LoaderEvent::Walked {
            files: 100_000,
            done: false,
        }));
        let snapshot_empty = screen(&app);
        insta::assert_snapshot!(format!("loading_before_any_batch_{w}x{h}"), snapshot_empty);
        let mut entries = tui_fixture::entries();
        entries.truncate(6);
        app.update(Msg::Loader(LoaderEvent::Batch(entries, Vec::new())));
        app.update(Msg::Tick(std::time::Duration::from_secs(2)));
        app.refresh();
        insta::assert_snapshot!(
            format!("loading_with_issuers_browsable_{w}x{h}"),
            screen(&app)
        );
    }
}

/// A v1.2 return's option scheme shows the treasury shares transferred out
/// of treasury (A2) between the new shares issued and the shares issuable;
/// the return is parsed from its fixture, not built in code.
#[test]
fn schemes_show_treasury_shares_transferred_out_of_treasury() {
    use hkfilings::config::Config;
    use hkfilings::filings::index::Index;
    use hkfilings::filings::parse::parse_text;
    let path = "tests/fixtures/extractors/pymupdf4llm_ff301.md";
    let text = std::fs::read_to_string(path).expect("fixture");
    let index = Index::from_entries(vec![parse_text(path, &text)]);
    let today = chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap_or_default();
    let mut app = App::new(
        index,
        "tests/fixtures/extractors",
        &Config::default(),
        today,
    );
    app.progress.finished = true;
    app.update(Msg::Resize(80, 24));
    app.press("3");
    let s = screen(&app);
    let rows: Vec<&str> = s.lines().collect();
    let at = |label: &str| {
        rows.iter()
            .position(|r| r.contains(label))
            .unwrap_or_else(|| panic!("no {label:?} row:\n{s}"))
    };
    assert!(at("New shares issued") < at("Treasury transferred"));
    assert!(at("Treasury transferred") < at("Issuable at close"));
    assert!(
        rows[at("Treasury transferred")].contains(" 0  out of treasury"),
        "{s}"
    );
    insta::assert_snapshot!("schemes_treasury_transferred_80x24", s);
}

#[test]
fn an_empty_folder_says_so() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = App::new(
            hkfilings::filings::index::Index::new(),
            "empty",
            &hkfilings::config::Config::default(),
            tui_fixture::today(),
        );
        app.update(Msg::Resize(w, h));
        app.update(Msg::Loader(hkfilings::loader::LoaderEvent::Finished {
            files: 0,
            failures: 0,
            cancelled: false,
            elapsed: std::time::Duration::from_millis(10),
        }));
        app.refresh();
        let s = screen(&app);
        assert!(
            s.contains("no filings with a stock code in this folder"),
            "{s}"
        );
        insta::assert_snapshot!(format!("empty_folder_{w}x{h}"), s);
    }
}

#[test]
fn a_terminal_too_small_gets_a_notice() {
    for (w, h) in [(59, 14), (30, 8)] {
        let app = at(w, h, "");
        let s = screen(&app);
        assert!(s.contains("too small"), "{s}");
        insta::assert_snapshot!(format!("too_small_{w}x{h}"), s);
    }
}

#[test]
fn every_size_renders_without_panic() {
    let mut sizes: Vec<(u16, u16)> = Vec::new();
    for w in 1..20 {
        for h in 1..20 {
            sizes.push((w, h));
        }
    }
    for w in (1..=300).step_by(7) {
        for h in (1..=100).step_by(7) {
            sizes.push((w, h));
        }
    }
    // Every pane and view at every size.
    for keys in ["", "3", "4", "6 c i", "2 j j Enter", "?", "j j 5"] {
        let mut app = tui_fixture::app(80, 24);
        app.press(keys);
        for &(w, h) in &sizes {
            app.update(Msg::Resize(w, h));
            let _ = screen(&app);
        }
    }
}

#[test]
fn escape_sequences_from_filings_never_reach_the_screen() {
    let app = at(160, 48, "j 5");
    let s = screen(&app);
    assert!(!s.contains('\u{1b}'));
    assert!(!s.contains('\u{7}'));
    // The sequence goes whole: no "[2J" left behind as text either.
    assert!(s.contains("Quayside Holdings"), "{s}");
    assert!(!s.contains("[2J"), "{s}");
    assert!(s.contains("CHANGE OF COMPANY SECRETARY"), "{s}");
}

#[test]
fn chinese_names_are_measured_by_display_width() {
    let s = screen(&at(80, 24, ""));
    let row = s
        .lines()
        .find(|l| l.contains("光影視覺集團有限公司"))
        .unwrap_or_default();
    assert_eq!(row.width(), 80, "{row}");
}

#[test]
fn a_new_status_message_covers_the_hints_for_a_few_seconds_at_80_columns() {
    use hkfilings::tui::app::{Clock, STATUS_SHOWN};
    let mut app = at(80, 24, "");
    let clock = Clock::manual();
    app.clock = clock.clone();
    let hints = screen(&app).lines().last().unwrap_or_default().to_string();
    assert!(hints.contains("j/k move"), "{hints}");

    app.report(["reloaded 2 files: a.txt, b.txt".to_string()]);
    let bar = screen(&app).lines().last().unwrap_or_default().to_string();
    assert!(bar.starts_with(" reloaded 2 files: a.txt, b.txt"), "{bar}");
    assert!(
        bar.contains("j/k move"),
        "hints follow where they fit: {bar}"
    );

    clock.advance(STATUS_SHOWN);
    assert_eq!(app.status_left(), None);
    let bar = screen(&app).lines().last().unwrap_or_default().to_string();
    assert_eq!(bar, hints, "the hints are back");
    assert_eq!(
        app.status.as_deref(),
        Some("reloaded 2 files: a.txt, b.txt"),
        "the message is kept (wide screens show it beside the hints)"
    );
}

/// The findings pane's empty state names the keys that switch its scope and
/// show info findings as the keymap binds them, a user's rebinding too.
#[test]
fn the_empty_findings_pane_names_its_keys_as_bound() {
    let empty_app = |config: &hkfilings::config::Config| {
        let mut app = App::new(
            hkfilings::filings::index::Index::new(),
            "empty",
            config,
            tui_fixture::today(),
        );
        app.update(Msg::Resize(100, 24));
        app.refresh();
        app.press("6");
        screen(&app)
    };
    let s = empty_app(&hkfilings::config::Config::default());
    assert!(
        s.contains("no findings here (c: issuer / whole corpus, i: info)"),
        "{s}"
    );
    let mut config = hkfilings::config::Config::default();
    config
        .keys
        .insert("toggle_scope".to_string(), vec!["w".to_string()]);
    let s = empty_app(&config);
    assert!(
        s.contains("no findings here (w: issuer / whole corpus, i: info)"),
        "{s}"
    );
}

/// A filing with no stock code whose name is no issuer's is listed after
/// the issuers, in a row of its own, and the Filings pane shows it there.
#[test]
fn filings_under_no_issuer_have_a_row_of_their_own() {
    use hkfilings::filings::model::*;
    let mut coded = Filing::new("coded.txt", Kind::MonthlyReturn, Form::Legacy);
    coded.stock_codes = vec!["00700".to_string()];
    coded.issuer = Some("Example Holdings Limited".to_string());
    coded.period = Some("2024-01".to_string());
    coded.date = Some("2024-02-02".to_string());
    let mut lost = Filing::new("lost-code.txt", Kind::MonthlyReturn, Form::Legacy);
    lost.issuer = Some("Nobody Else Limited".to_string());
    lost.period = Some("2024-01".to_string());
    lost.date = Some("2024-02-03".to_string());
    let index = hkfilings::filings::index::Index::from_entries(vec![
        Entry::Filing(Box::new(coded)),
        Entry::Filing(Box::new(lost)),
    ]);
    let mut app = App::new(
        index,
        "folder",
        &hkfilings::config::Config::default(),
        tui_fixture::today(),
    );
    app.update(Msg::Resize(100, 24));
    app.refresh();
    let s = screen(&app);
    assert!(s.contains("Issuers (1)"), "{s}");
    assert!(s.contains("(under no issuer)"), "{s}");
    app.press("j 5");
    let s = screen(&app);
    assert!(s.contains("Filings under no issuer (1)"), "{s}");
    assert!(s.contains("lost-code.txt"), "{s}");
    for pane in ["2", "3"] {
        app.press(pane);
        assert!(
            screen(&app).contains("the Filings pane lists them"),
            "pane {pane}"
        );
    }
}

/// A narrow source view cuts the file's path at its start: the file's own
/// name stays in the title.
#[test]
fn a_narrow_source_title_keeps_the_end_of_the_path() {
    let mut app = at(60, 16, "5 Enter");
    let v = app.source.as_mut().expect("the filing's text is open");
    v.file = format!("/home/analyst/filings/hkex/2022/november/{}", v.file);
    let file = v.file.clone();
    let name = file.rsplit('/').next().unwrap();
    let title = screen(&app)
        .lines()
        .find(|l| l.contains("Source"))
        .unwrap_or_else(|| panic!("a source title in\n{}", screen(&app)))
        .to_string();
    assert!(title.contains("Source · …"), "cut at the start: {title}");
    assert!(title.contains(name), "{title}");
}
