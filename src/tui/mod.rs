//! The terminal explorer: terminal setup and restore, and the event loop.
//!
//! One channel of [`Msg`] feeds one loop: an input thread sends keys, mouse
//! and resizes; the loader sends its events; `App::update` turns each into
//! state; the loop drains bursts and draws once.

mod actions;
pub mod app;
pub mod clipboard;
pub mod input;
pub mod keymap;
pub mod panes;
pub mod search;
pub mod store;
pub mod tables;
pub mod text;
pub mod theme;
pub mod ui;

use crate::config::Config;
use crate::filings::index::Index;
use crate::filings::model::Entry;
use crate::loader::{self, LoadOptions};
use crate::watch::WatchEvent;
use app::{App, Effect, Msg};
use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use std::io::{self, Stdout};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

/// What `hkfilings [DIR]` starts the explorer with.
pub struct TuiOptions {
    /// The folder (or file) to explore; None: the config's folder, else the demo corpus.
    pub dir: Option<PathBuf>,
    pub config: Config,
    /// "Today" for lock-up expiry (injected so tests fix it).
    pub today: chrono::NaiveDate,
}

/// Run the explorer until the user quits. The terminal is restored on exit,
/// on error and on panic.
pub fn run(opts: TuiOptions) -> io::Result<()> {
    run_reporting(opts, Vec::new())
}

/// As [`run`], showing `problems` (e.g. from `Config::load`) in the status bar.
pub fn run_reporting(opts: TuiOptions, problems: Vec<String>) -> io::Result<()> {
    use std::io::IsTerminal;
    if !io::stdout().is_terminal() {
        return Err(io::Error::other(
            "the explorer draws on a terminal and standard output is not one; \
             scripts use the subcommands (hkfilings parse|index|search|diff|export|screen --help)",
        ));
    }
    let root = match opts.dir.clone().or_else(|| opts.config.default_dir.clone()) {
        Some(d) => d,
        None => demo_dir()?,
    };
    if !root.exists() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("{}: no such file or folder", root.display()),
        ));
    }
    let mut app = App::new(
        Index::new(),
        &root.display().to_string(),
        &opts.config,
        opts.today,
    );
    app.report(problems);
    let (store, problem) = store::Store::load(store::data_dir().as_deref());
    app.store = store;
    app.report(problem);
    app.resort();
    let mut term = init(opts.config.mouse)?;
    let result = event_loop(&mut term, &mut app, root, &opts.config);
    let _ = term.show_cursor();
    drop(term);
    restore();
    crate::signals::stop_forwarding();
    // Ended by a signal: exit with the status a shell expects of one.
    if let Ok(Some(sig)) = result {
        std::process::exit(crate::signals::exit_status(sig));
    }
    result.map(|_| ())
}

/// The demo corpus in the cache folder, generated on first use. It is written
/// to a temporary folder and renamed, so an interrupted run leaves no half corpus.
fn demo_dir() -> io::Result<PathBuf> {
    let cache = directories::ProjectDirs::from("", "", "hkfilings")
        .map(|d| d.cache_dir().to_path_buf())
        .unwrap_or_else(std::env::temp_dir);
    let dir = cache.join(format!("demo-{}", env!("CARGO_PKG_VERSION")));
    if dir.is_dir() {
        return Ok(dir);
    }
    std::fs::create_dir_all(&cache)?;
    let tmp = cache.join(format!(
        "demo-{}.partial-{}",
        env!("CARGO_PKG_VERSION"),
        std::process::id()
    ));
    eprintln!("hkfilings: writing the demo corpus to {} …", dir.display());
    let _removed_on_signal = crate::signals::temp(&tmp);
    crate::gen::write_corpus(&tmp, &crate::gen::demo_config())?;
    match std::fs::rename(&tmp, &dir) {
        Ok(()) => Ok(dir),
        // Another instance finished first: use its corpus.
        Err(_) if dir.is_dir() => {
            let _ = std::fs::remove_dir_all(&tmp);
            Ok(dir)
        }
        Err(e) => Err(e),
    }
}

type Term = Terminal<CrosstermBackend<Stdout>>;

fn init(mouse: bool) -> io::Result<Term> {
    // Restore before the previous hook prints, so the message is readable.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
    terminal::enable_raw_mode().map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("the explorer needs a terminal to read keys from ({e}); scripts use the subcommands (hkfilings --help)"),
        )
    })?;
    let mut out = io::stdout();
    let entered = execute!(out, EnterAlternateScreen).and_then(|_| {
        if mouse {
            execute!(out, EnableMouseCapture)
        } else {
            Ok(())
        }
    });
    if let Err(e) = entered {
        restore();
        return Err(e);
    }
    match Terminal::new(CrosstermBackend::new(io::stdout())) {
        Ok(t) => Ok(t),
        Err(e) => {
            restore();
            Err(e)
        }
    }
}

/// Put the terminal back: no mouse capture, main screen, cursor shown, cooked mode.
/// Safe to call more than once.
pub fn restore() {
    let mut out = io::stdout();
    let _ = execute!(out, DisableMouseCapture, LeaveAlternateScreen, cursor::Show);
    let _ = terminal::disable_raw_mode();
}

/// Draw a frame laid out for the frame's own size. `Terminal::draw` resizes
/// its buffer to the terminal as it is now, which may differ from the last
/// resize event taken (a window dragged while a load floods the channel):
/// laid out for the old size, the panes would write outside the buffer.
pub fn draw<B: ratatui::backend::Backend>(term: &mut Terminal<B>, app: &mut App) -> io::Result<()> {
    term.draw(|f| {
        let a = f.area();
        if (a.width, a.height) != app.size {
            app.update(Msg::Resize(a.width, a.height));
        }
        ui::draw(f, app);
    })?;
    Ok(())
}

/// The explorer's loop; the signal that ended it, if one did.
fn event_loop(
    term: &mut Term,
    app: &mut App,
    root: PathBuf,
    config: &Config,
) -> io::Result<Option<i32>> {
    let size = term.size()?;
    app.update(Msg::Resize(size.width, size.height));
    let (tx, rx) = mpsc::channel::<Msg>();
    app.tx = Some(tx.clone());
    let signal_tx = tx.clone();
    crate::signals::install();
    crate::signals::forward_to(move |sig| signal_tx.send(Msg::Signal(sig)).is_ok());
    let mut ended_by = None;
    let mut clip = clipboard::Clipboard::default();

    let input_tx = tx.clone();
    std::thread::Builder::new()
        .name("input".into())
        .spawn(move || input_thread(input_tx))?;

    let opts = LoadOptions {
        parse: crate::filings::parse::ParseOptions {
            extractor: config.pdf_extractor,
        },
        ..LoadOptions::default()
    };
    let load_tx = tx.clone();
    let mut started = Instant::now();
    app.progress.loading = true;
    // The first frame comes before anything that grows with the folder
    // (registering a watch on every subfolder takes time on a large tree).
    draw(term, app)?;
    // Watch before the walk starts, so no file written meanwhile is missed
    // (a file both walked and watched is parsed twice; the index keeps one).
    // The handle lives as long as the loop: dropping it stops the watching.
    let _watching = if config.watch {
        start_watch(app, &root, opts.parse, tx.clone())
    } else {
        None
    };
    // Each load (the first, and any the user asks for again) sends to the loop.
    let spawn = move || {
        let tx = load_tx.clone();
        loader::spawn(root.clone(), opts.clone(), move |ev| {
            tx.send(Msg::Loader(ev)).is_ok()
        })
    };
    let mut handle = spawn();
    drop(tx);
    // The app keeps a sender for its searches: the loop ends on quit, not on disconnect.

    let mut last_draw = Instant::now();
    let mut dirty = false;
    // While loading, redraw at most this often; keys always redraw at once.
    let frame = Duration::from_millis(50);
    loop {
        let mut wait = if dirty {
            frame.saturating_sub(last_draw.elapsed())
        } else if app.progress.loading {
            Duration::from_millis(250)
        } else {
            Duration::from_secs(3600)
        };
        // Wake when a status message stops covering the hints, to bring them back.
        let status_left = app.status_left();
        if let Some(left) = status_left {
            wait = wait.min(left);
        }
        let mut input = false;
        match rx.recv_timeout(wait) {
            Ok(msg) => {
                dirty = true;
                // Coalesce a burst: apply everything waiting, then draw once.
                let mut next = Some(msg);
                let mut quit = false;
                while let Some(msg) = next.take() {
                    input |= matches!(msg, Msg::Key(_) | Msg::Mouse(_) | Msg::Resize(..));
                    if let Msg::Signal(sig) = msg {
                        ended_by = Some(sig);
                    }
                    match handle_msg(app, msg, &handle, &mut clip) {
                        Step::Go => {}
                        Step::Quit => {
                            quit = true;
                            break;
                        }
                        Step::Reload => {
                            // The last load has ended (the app asks only then).
                            handle.join();
                            handle = spawn();
                            started = Instant::now();
                        }
                    }
                    next = rx.try_recv().ok();
                }
                if quit {
                    break;
                }
            }
            Err(RecvTimeoutError::Timeout) => {
                if app.progress.loading {
                    app.update(Msg::Tick(started.elapsed()));
                    dirty = true;
                }
                if status_left.is_some() && app.status_left().is_none() {
                    dirty = true;
                }
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
        if dirty && (input || last_draw.elapsed() >= frame) {
            if app.progress.loading {
                app.update(Msg::Tick(started.elapsed()));
            }
            app.refresh();
            draw(term, app)?;
            last_draw = Instant::now();
            dirty = false;
        }
    }
    handle.cancel();
    Ok(ended_by)
}

/// Watch `root` for filings written while the explorer runs; a failure to
/// watch is reported in the status bar and the explorer goes on without.
fn start_watch(
    app: &mut App,
    root: &Path,
    opts: crate::filings::parse::ParseOptions,
    tx: mpsc::Sender<Msg>,
) -> Option<crate::watch::WatchHandle> {
    let rebase = Rebase::new(root);
    let watched = crate::watch::watch(root, opts, move |ev| {
        tx.send(Msg::Watch(rebase.event(ev))).is_ok()
    });
    match watched {
        Ok(h) => Some(h),
        Err(e) => {
            app.report([format!(
                "not watching {} for new filings: {e}",
                root.display()
            )]);
            None
        }
    }
}

/// The watcher names files by absolute path, the loader by the root as
/// given (`hkfilings corpus` reads `corpus/a.txt`): a re-parsed file must
/// carry the loader's name to replace its first parse instead of doubling it.
struct Rebase {
    given: PathBuf,
    /// Absolute and canonical forms of the root (macOS reports /private/tmp for /tmp).
    seen_as: Vec<PathBuf>,
}

impl Rebase {
    fn new(root: &Path) -> Rebase {
        let mut seen_as = Vec::new();
        if let Ok(abs) = std::path::absolute(root) {
            seen_as.push(abs);
        }
        if let Ok(canon) = root.canonicalize() {
            if !seen_as.contains(&canon) {
                seen_as.push(canon);
            }
        }
        Rebase {
            given: root.to_path_buf(),
            seen_as,
        }
    }

    fn path(&self, file: &str) -> String {
        let p = Path::new(file);
        for base in &self.seen_as {
            if let Ok(rest) = p.strip_prefix(base) {
                let back = if rest.as_os_str().is_empty() {
                    self.given.clone()
                } else {
                    self.given.join(rest)
                };
                return back.to_string_lossy().to_string();
            }
        }
        file.to_string()
    }

    fn event(&self, ev: WatchEvent) -> WatchEvent {
        match ev {
            WatchEvent::Changed(mut entries) => {
                for e in &mut entries {
                    match e {
                        Entry::Filing(f) => f.file = self.path(&f.file),
                        Entry::Error(err) => err.file = self.path(&err.file),
                    }
                }
                WatchEvent::Changed(entries)
            }
            WatchEvent::Removed(files) => {
                WatchEvent::Removed(files.iter().map(|f| self.path(f)).collect())
            }
            other => other,
        }
    }
}

/// What the loop does after a message.
enum Step {
    Go,
    Quit,
    /// Start the loader again.
    Reload,
}

/// Apply one message.
fn handle_msg(
    app: &mut App,
    msg: Msg,
    handle: &loader::LoaderHandle,
    clip: &mut clipboard::Clipboard,
) -> Step {
    // Test hook: with HKFILINGS_TEST_UI_PANIC=1, F12 panics the UI thread, so
    // a test can show that a crash still restores the terminal.
    if let Msg::Key(k) = &msg {
        if k.code == event::KeyCode::F(12)
            && std::env::var("HKFILINGS_TEST_UI_PANIC").is_ok_and(|v| v == "1")
        {
            panic!("test panic injected by F12 (HKFILINGS_TEST_UI_PANIC=1)");
        }
    }
    match app.update(msg) {
        Some(Effect::Quit) => return Step::Quit,
        Some(Effect::Reload) => return Step::Reload,
        Some(Effect::CancelLoad) => handle.cancel(),
        Some(Effect::Copy(text)) => {
            if let Err(e) = clip.copy(&text) {
                app.report([e]);
            }
        }
        Some(Effect::OpenFile(path)) => {
            if let Err(e) = clipboard::open_file(&path) {
                app.report([e]);
            }
        }
        None => {}
    }
    Step::Go
}

fn input_thread(tx: mpsc::Sender<Msg>) {
    loop {
        let msg = match event::read() {
            Ok(Event::Key(k)) => Msg::Key(k),
            Ok(Event::Mouse(m)) => Msg::Mouse(m),
            Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
            Ok(_) => continue,
            Err(_) => return,
        };
        if tx.send(msg).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_watched_file_keeps_the_name_the_loader_gave_it_under_a_relative_root() {
        let root = Path::new("tests/fixtures/tui");
        let abs = std::path::absolute(root).unwrap().join("lumen-2023-09.txt");
        let r = Rebase::new(root);
        assert_eq!(
            r.path(&abs.to_string_lossy()),
            "tests/fixtures/tui/lumen-2023-09.txt"
        );
        assert_eq!(r.path("/elsewhere/x.txt"), "/elsewhere/x.txt");
    }
}
