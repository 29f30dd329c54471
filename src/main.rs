//! `hkfilings`: the terminal explorer, and the same engine for scripts.

use clap::{Parser, Subcommand};
use hkfilings::filings::index::{self, Index};
use hkfilings::filings::model::Entry;
use hkfilings::filings::parse;
use hkfilings::filings::parse::values;
use hkfilings::filings::pdf::Extractor;
use hkfilings::filings::search::{Hit, SearchIndex};
use hkfilings::filings::{diff, export};
use hkfilings::loader::{self, LoadOptions, LoadReport};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// mimalloc (its v2 line, whose arenas commit less memory up front than
/// v3's): 14% less CPU than glibc's malloc on a cold load of 98,581
/// filings, for 16 MB more peak memory.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "hkfilings",
    version,
    about = "Read folders of Hong Kong stock exchange filings as data",
    long_about = "Read folders of Hong Kong stock exchange filings (monthly returns, next day \
disclosure returns, announcements; PDF or extracted text) as data: parse them, check their \
arithmetic, index them and diff them month over month.\n\nWithout a subcommand, opens the \
terminal explorer on DIR (or the configured folder, or a built-in demo corpus).",
    after_help = "Examples:\n  hkfilings ~/filings            explore a folder\n  hkfilings parse a.txt --json   one filing as JSON\n  hkfilings index ~/filings      health report of a folder"
)]
struct Cli {
    /// Folder (or file) of filings to explore.
    dir: Option<PathBuf>,
    /// Use this config file instead of the one in the platform config folder.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ExtractorArg {
    /// The built-in PDF reader.
    Native,
    /// poppler's pdftotext -layout (must be on PATH).
    Pdftotext,
}

#[derive(Subcommand)]
enum Screen {
    /// Lock-up undertakings that end within N days of today.
    #[command(after_help = "Example:\n  hkfilings screen expiring ~/filings --days 90")]
    Expiring {
        /// Folder of filings.
        dir: PathBuf,
        /// The window: undertakings ending today or within this many days.
        #[arg(long, default_value_t = 90)]
        days: u32,
        /// Today's date (YYYY-MM-DD; default: today).
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
        /// Print JSON (one object per undertaking) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Issuers whose issued shares changed by more than X% between their latest two months.
    #[command(after_help = "Example:\n  hkfilings screen changed ~/filings --percent 5")]
    Changed {
        /// Folder of filings.
        dir: PathBuf,
        /// Threshold in per cent ("5" or "5%").
        #[arg(long, default_value = "5")]
        percent: String,
        /// Print JSON (one object per issuer) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Issuers with findings of a given code (e.g. chain_break, par_times_shares).
    #[command(after_help = "Example:\n  hkfilings screen findings ~/filings --code chain_break")]
    Findings {
        /// Folder of filings.
        dir: PathBuf,
        /// The finding's code (`hkfilings index DIR` lists those found).
        #[arg(long)]
        code: String,
        /// Print JSON (one object per issuer) instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Parse files and folders (recursively) and print a summary or the JSON contract.
    #[command(
        after_help = "Examples:\n  hkfilings parse return.txt\n  hkfilings parse ~/filings --json > filings.json\n\nExit status: 0 when every file parsed (not_a_filing entries do not count), 1 when some file failed, 2 for a usage error."
    )]
    Parse {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print the JSON array of the contract (schema version 1).
        #[arg(long)]
        json: bool,
        /// Read PDFs with this extractor (default: the config's, else native).
        #[arg(long, value_enum)]
        extractor: Option<ExtractorArg>,
    },
    /// Load a folder exactly as the explorer does and print a health report.
    #[command(
        after_help = "Examples:\n  hkfilings index ~/filings\n  hkfilings index ~/filings --json | jq .stats.findings\n\nExit status: 0 with the report (files that could not be used are listed in it), 1 when the folder itself could not be read, 2 for a usage error."
    )]
    Index {
        /// Folder (or file) of filings.
        dir: PathBuf,
        /// Print the report as a JSON object.
        #[arg(long)]
        json: bool,
        /// Read PDFs with this extractor.
        #[arg(long, value_enum)]
        extractor: Option<ExtractorArg>,
        /// Parse every file again, neither reading nor writing the cache of parsed entries.
        #[arg(long)]
        no_cache: bool,
    },
    /// Fuzzy search over issuers, codes, schemes, lock-up parties and announcement titles.
    #[command(
        after_help = "Examples:\n  hkfilings search ~/filings sensetime\n  hkfilings search ~/filings 'tang xiao' --json --limit 5"
    )]
    Search {
        dir: PathBuf,
        query: String,
        #[arg(long)]
        json: bool,
        /// At most this many results.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Compare two months of an issuer: share capital, schemes, movements, lock-ups.
    #[command(
        after_help = "Examples:\n  hkfilings diff ~/filings --issuer 00020\n  hkfilings diff ~/filings --issuer 1149 --from 2011-04 --to 2011-05 --json\n\nExit status: 0 with the comparison, 1 when the issuer or a month has no return in DIR, 2 for a usage error (a code or month written wrong, --from not before --to)."
    )]
    Diff {
        dir: PathBuf,
        /// Stock code of the issuer ("20" and "00020" are the same).
        #[arg(long)]
        issuer: String,
        /// Earlier month, YYYY-MM (default: the month before --to).
        #[arg(long)]
        from: Option<String>,
        /// Later month, YYYY-MM (default: the issuer's latest month).
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        json: bool,
        /// The comparison as CSV, one row per figure compared (section,
        /// item, status, measure, before, after, change, percent, period, file).
        #[arg(long, conflicts_with = "json")]
        csv: bool,
        /// Today's date for "in force" lock-ups (YYYY-MM-DD; default: today).
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
    },
    /// Export a table of the index as CSV or JSON (columns documented in the README).
    #[command(
        after_help = "Examples:\n  hkfilings export ~/filings --table share-capital --format csv > capital.csv\n  hkfilings export ~/filings --table lockups --format json --issuer 20 -o lockups.json"
    )]
    Export {
        dir: PathBuf,
        #[arg(long, value_enum)]
        table: hkfilings::filings::export::TableName,
        #[arg(long, value_enum, default_value = "csv")]
        format: hkfilings::filings::export::Format,
        /// Only this issuer (stock code).
        #[arg(long)]
        issuer: Option<String>,
        /// Write to this file (atomically) instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Screens across issuers: expiring lock-ups, big changes in issued shares, findings.
    #[command(subcommand)]
    Screen(Screen),
    /// Where the config file is, or a commented default config.
    #[command(
        after_help = "Examples:\n  hkfilings config --path\n  p=\"$(hkfilings config --path)\"; mkdir -p \"$(dirname \"$p\")\" && hkfilings config --default > \"$p\""
    )]
    Config {
        /// Print the path of the config file.
        #[arg(long)]
        path: bool,
        /// Print a commented default config (it parses back to the defaults).
        #[arg(long)]
        default: bool,
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  hkfilings completions bash > ~/.local/share/bash-completion/completions/hkfilings\n  hkfilings completions zsh > ~/.zfunc/_hkfilings"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), generated from the same definitions as
    /// --help: the program's, or a subcommand's (hkfilings-diff(1)...).
    #[command(
        after_help = "Examples:\n  hkfilings man > hkfilings.1 && man ./hkfilings.1\n  hkfilings man diff > hkfilings-diff.1"
    )]
    Man {
        /// A subcommand whose page to print.
        #[arg(value_parser = ["parse", "index", "search", "diff", "export", "screen", "config", "completions"])]
        subcommand: Option<String>,
    },
}

/// The manual page name of a subcommand (the names `man` accepts).
fn page_title(subcommand: &str) -> Option<&'static str> {
    Some(match subcommand {
        "parse" => "hkfilings-parse",
        "index" => "hkfilings-index",
        "search" => "hkfilings-search",
        "diff" => "hkfilings-diff",
        "export" => "hkfilings-export",
        "screen" => "hkfilings-screen",
        "config" => "hkfilings-config",
        "completions" => "hkfilings-completions",
        _ => return None,
    })
}

/// An error line on stderr, "hkfilings: " first, fit for a terminal (a
/// path named in it may hold escape sequences).
macro_rules! fail {
    ($($arg:tt)*) => {
        eprintln!("hkfilings: {}", hkfilings::escapes::printable(&format!($($arg)*)))
    };
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let _ = CONFIG_PATH.set(cli.config.clone());
    // A signal removes what is half-written before the process ends.
    hkfilings::signals::install();
    match cli.command {
        Some(Command::Parse {
            paths,
            json,
            extractor,
        }) => cmd_parse(&paths, json, extractor),
        Some(Command::Index {
            dir,
            json,
            extractor,
            no_cache,
        }) => cmd_index(&dir, json, extractor, no_cache),
        Some(Command::Search {
            dir,
            query,
            json,
            limit,
        }) => cmd_search(&dir, &query, json, limit),
        Some(Command::Diff {
            dir,
            issuer,
            from,
            to,
            json,
            csv,
            today,
        }) => {
            let format = match (json, csv) {
                (true, _) => DiffFormat::Json,
                (_, true) => DiffFormat::Csv,
                _ => DiffFormat::Text,
            };
            cmd_diff(&dir, &issuer, from, to, format, today)
        }
        Some(Command::Export {
            dir,
            table,
            format,
            issuer,
            output,
        }) => cmd_export(&dir, table, format, issuer.as_deref(), output.as_deref()),
        Some(Command::Config { path, default }) => cmd_config(path, default),
        Some(Command::Screen(screen)) => cmd_screen(screen),
        Some(Command::Completions { shell }) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "hkfilings", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Some(Command::Man { subcommand }) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            cmd.build();
            let page = match &subcommand {
                Some(name) => match (cmd.find_subcommand(name), page_title(name)) {
                    (Some(sub), Some(title)) => sub
                        .clone()
                        .name(title)
                        .bin_name(title)
                        .version(env!("CARGO_PKG_VERSION")),
                    _ => {
                        fail!("no subcommand {name:?}");
                        return ExitCode::from(2);
                    }
                },
                None => cmd,
            };
            let mut out = Vec::new();
            if clap_mangen::Man::new(page).render(&mut out).is_err() {
                return ExitCode::from(1);
            }
            let _ = std::io::stdout().write_all(&out);
            ExitCode::SUCCESS
        }
        None => {
            let (config, problems) = hkfilings::config::Config::load(cli.config.as_deref());
            let opts = hkfilings::tui::TuiOptions {
                dir: cli.dir,
                config,
                today: chrono::Local::now().date_naive(),
            };
            match hkfilings::tui::run_reporting(opts, problems) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    fail!("{e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}

/// Every file under the given paths, in a stable order. Symlinks are
/// followed; a link back to an ancestor (a loop) is not walked again, so
/// each file is listed once. What cannot be walked (a link to nowhere, an
/// unreadable folder) is listed too, so that `parse` names it as a failure.
fn walk(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        let entries = walkdir::WalkDir::new(p)
            .follow_links(true)
            .sort_by_file_name();
        for e in entries {
            match e {
                Ok(e) if e.file_type().is_dir() => {}
                Ok(e) => out.push(e.into_path()),
                Err(e) if e.loop_ancestor().is_some() => {}
                Err(e) => out.extend(e.path().map(Path::to_path_buf)),
            }
        }
    }
    out
}

fn cmd_parse(paths: &[PathBuf], json: bool, extractor: Option<ExtractorArg>) -> ExitCode {
    let opts = load_opts(extractor, true).parse;
    let files = walk(paths);
    let entries: Vec<Entry> = {
        use rayon::prelude::*;
        files
            .par_iter()
            .map(|p| parse::parse_file(p, &opts))
            .collect()
    };
    // A folder is indexed too, so its filings carry the index's marks:
    // duplicate_of, superseded_by and the cross-filing findings.
    let entries = if paths.iter().any(|p| p.is_dir()) {
        let index = Index::from_entries(entries.clone());
        entries
            .into_iter()
            .map(|e| match e {
                Entry::Filing(f) => match index.id_of(&f.file) {
                    Some(id) => Entry::Filing(Box::new(index.filing(id).clone())),
                    None => Entry::Filing(f),
                },
                other => other,
            })
            .collect()
    } else {
        entries
    };
    let failed = entries
        .iter()
        .any(|e| matches!(e, Entry::Error(err) if err.error_kind.is_failure()));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let res = if json {
        serde_json::to_writer_pretty(&mut out, &entries)
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(out))
    } else {
        entries
            .iter()
            .try_for_each(|e| write!(out, "{}", hkfilings::escapes::printable(&summary(e))))
    };
    if let Err(e) = res.and_then(|_| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            fail!("{e}");
            return ExitCode::from(1);
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn summary(e: &Entry) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    match e {
        Entry::Error(err) => {
            let _ = writeln!(
                s,
                "{}: {} ({})",
                err.file,
                err.error,
                err.error_kind.as_str()
            );
        }
        Entry::Filing(f) => {
            let _ = writeln!(
                s,
                "{}: {} {} {} {} {}",
                f.file,
                f.kind.as_str(),
                f.form.as_str(),
                f.stock_codes.first().map(|s| s.as_str()).unwrap_or("-"),
                f.issuer.as_deref().unwrap_or("(issuer unknown)"),
                f.period.as_deref().or(f.date.as_deref()).unwrap_or("")
            );
            for c in &f.share_classes {
                if let Some(i) = &c.issued {
                    let _ = writeln!(
                        s,
                        "  {:<28} issued {} -> {}",
                        c.class_key,
                        fmt_opt(i.opening),
                        fmt_opt(i.closing)
                    );
                }
            }
            for sc in &f.option_schemes {
                let _ = writeln!(
                    s,
                    "  scheme {}: {} -> {}",
                    sc.scheme.chars().take(60).collect::<String>(),
                    fmt_opt(sc.opening),
                    fmt_opt(sc.closing)
                );
            }
            for l in &f.lockups {
                let _ = writeln!(
                    s,
                    "  lock-up {} ({}) {} .. {}",
                    l.party,
                    l.entity.as_deref().unwrap_or("-"),
                    l.start.as_deref().unwrap_or("?"),
                    l.end.as_deref().unwrap_or("?")
                );
            }
            for fi in &f.findings {
                let _ = writeln!(s, "  {} {}: {}", fi.level.as_str(), fi.code, fi.message);
            }
        }
    }
    s
}

fn fmt_opt(v: Option<i64>) -> String {
    v.map(group).unwrap_or_else(|| "?".into())
}

/// 1234567 -> "1,234,567".
fn group(v: i64) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0 {
        out.insert(0, '-');
    }
    out
}

fn load_opts(extractor: Option<ExtractorArg>, cache: bool) -> LoadOptions {
    let mut o = LoadOptions::default();
    if !cache {
        o.cache_dir = None;
    }
    o.parse.extractor = match extractor {
        Some(ExtractorArg::Pdftotext) => Extractor::Pdftotext,
        Some(ExtractorArg::Native) => Extractor::Native,
        // The config's choice, from --config FILE or the platform config folder.
        None => {
            let path = CONFIG_PATH.get().cloned().flatten();
            let (config, problems) = hkfilings::config::Config::load(path.as_deref());
            // Said, not fatal: the command runs on the defaults of what is wrong.
            for p in problems {
                fail!("{p}");
            }
            config.pdf_extractor
        }
    };
    o
}

/// The --config FILE given on the command line, for subcommands that read settings.
static CONFIG_PATH: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();

fn load(dir: &Path, extractor: Option<ExtractorArg>) -> Result<(Index, LoadReport), ExitCode> {
    load_with(dir, load_opts(extractor, true))
}

/// Load `dir` with these options; a missing folder is a usage error.
fn load_with(dir: &Path, opts: LoadOptions) -> Result<(Index, LoadReport), ExitCode> {
    if !dir.exists() {
        fail!("{}: no such file or folder", dir.display());
        return Err(ExitCode::from(2));
    }
    let (index, report) = loader::load_index(dir, &opts);
    // The load went on; what went wrong with it as a whole is said.
    for p in &report.problems {
        fail!("{p}");
    }
    Ok((index, report))
}

/// Write to stdout, treating a closed pipe (`| head`) as success.
/// Write a command's output to stdout, fit for a terminal (JSON holds no
/// control character; a text report or CSV may, from a file's name).
fn emit(bytes: &[u8]) -> ExitCode {
    let text = std::str::from_utf8(bytes).map(hkfilings::escapes::printable);
    let bytes = match &text {
        Ok(t) => t.as_bytes(),
        Err(_) => bytes,
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            fail!("{e}");
            ExitCode::from(1)
        }
    }
}

fn cmd_index(dir: &Path, json: bool, extractor: Option<ExtractorArg>, no_cache: bool) -> ExitCode {
    let (index, report) = match load_with(dir, load_opts(extractor, !no_cache)) {
        Ok(v) => v,
        Err(c) => return c,
    };
    let stats = index.stats();
    // The report stands either way; a folder that could not be read at all
    // is a failure of the command.
    let unreadable = report.files == 0 && !report.problems.is_empty();
    let code = if json {
        let v = serde_json::json!({
            "dir": dir.to_string_lossy(),
            "elapsed_ms": report.elapsed.as_millis() as u64,
            "problems": report.problems,
            "stats": stats,
            "failures": index.errors().iter().filter(|e| e.error_kind.is_failure()).collect::<Vec<_>>(),
        });
        let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
        s.push('\n');
        emit(s.as_bytes())
    } else {
        let mut s = index::report_text(&stats, report.elapsed);
        let failures: Vec<_> = index
            .errors()
            .iter()
            .filter(|e| e.error_kind.is_failure())
            .collect();
        if !failures.is_empty() {
            s.push_str("\nfiles that could not be used:\n");
            for e in failures.iter().take(50) {
                s.push_str(&format!(
                    "  {}: {} ({})\n",
                    e.file,
                    e.error,
                    e.error_kind.as_str()
                ));
            }
            if failures.len() > 50 {
                s.push_str(&format!(
                    "  ... and {} more (see --json)\n",
                    failures.len() - 50
                ));
            }
        }
        emit(s.as_bytes())
    };
    if unreadable && code == ExitCode::SUCCESS {
        return ExitCode::from(1);
    }
    code
}

fn cmd_search(dir: &Path, query: &str, json: bool, limit: usize) -> ExitCode {
    let (index, _) = match load(dir, None) {
        Ok(v) => v,
        Err(c) => return c,
    };
    let si = SearchIndex::build(&index);
    let hits = si.search(query, limit);
    if json {
        let out: Vec<serde_json::Value> = hits.iter().map(|h| search_json(&index, h)).collect();
        let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
        s.push('\n');
        return emit(s.as_bytes());
    }
    let mut s = String::new();
    for h in &hits {
        s.push_str(&format!(
            "{:>7}  {:<12} {:<7} {}  {}\n",
            h.score,
            h.kind.as_str(),
            h.issuer.as_deref().unwrap_or("-"),
            h.label,
            h.detail
        ));
    }
    if hits.is_empty() {
        s.push_str("no results\n");
    }
    emit(s.as_bytes())
}

/// A search result for scripts: where it leads named by stock code, month,
/// scheme and file (the index's own ids mean nothing outside the run).
fn search_json(index: &Index, h: &Hit) -> serde_json::Value {
    use hkfilings::filings::search::Target;
    use serde_json::json;
    let file = |id| index.filing(id).file.clone();
    let target = match &h.target {
        Target::Issuer { code } => json!({ "type": "issuer", "code": code }),
        Target::Scheme {
            code,
            period,
            scheme,
        } => json!({ "type": "scheme", "code": code, "period": period, "scheme": scheme }),
        Target::LockUp { filing, index: at } => {
            let f = index.filing(*filing);
            let line = f.lockups.get(*at).and_then(|l| {
                ["party", "end", "start"]
                    .iter()
                    .find_map(|k| l.lines.get(*k))
                    .copied()
            });
            json!({ "type": "lockup", "code": h.issuer, "file": f.file, "position": at, "line": line })
        }
        Target::Announcement { filing } => json!({
            "type": "announcement",
            "code": h.issuer,
            "file": file(*filing),
            "date": index.filing(*filing).date,
        }),
        Target::Filing { filing } => {
            json!({ "type": "filing", "code": h.issuer, "file": file(*filing) })
        }
    };
    json!({
        "kind": h.kind.as_str(),
        "label": h.label,
        "score": h.score,
        "issuer": h.issuer,
        "detail": h.detail,
        "target": target,
        "indices": h.indices,
    })
}

/// How `diff` prints the comparison.
#[derive(Clone, Copy, PartialEq, Eq)]
enum DiffFormat {
    Text,
    Json,
    Csv,
}

fn cmd_diff(
    dir: &Path,
    issuer: &str,
    from: Option<String>,
    to: Option<String>,
    format: DiffFormat,
    today: Option<chrono::NaiveDate>,
) -> ExitCode {
    let Some(code) = values::hk_code(issuer) else {
        fail!("--issuer {issuer:?} is not a stock code");
        return ExitCode::from(2);
    };
    let (index, _) = match load(dir, None) {
        Ok(v) => v,
        Err(c) => return c,
    };
    let months = index.months(&code);
    if months.is_empty() {
        fail!(
            "no monthly return of {code} in {} (is it the right stock code?)",
            dir.display()
        );
        return ExitCode::from(1);
    }
    let (from, to) = match (from, to) {
        (Some(f), Some(t)) => (f, t),
        (None, None) => match diff::default_pair(&index, &code) {
            Some(p) => p,
            None => {
                fail!(
                    "{code} has fewer than two monthly returns in {}",
                    dir.display()
                );
                return ExitCode::from(1);
            }
        },
        (Some(f), None) => {
            // As the help says: the issuer's latest month.
            let t = months.last().cloned().unwrap_or_else(|| f.clone());
            (f, t)
        }
        (None, Some(t)) => {
            let f = months
                .iter()
                .rev()
                .find(|m| **m < t)
                .cloned()
                .unwrap_or_else(|| t.clone());
            (f, t)
        }
    };
    let today = today.unwrap_or_else(|| chrono::Local::now().date_naive());
    match diff::compare(&index, &code, &from, &to, today) {
        Ok(d) => match format {
            DiffFormat::Json => {
                let mut s = serde_json::to_string_pretty(&d).unwrap_or_default();
                s.push('\n');
                emit(s.as_bytes())
            }
            DiffFormat::Csv => emit(&diff::rows_csv(&d)),
            DiffFormat::Text => emit(diff::render_text(&d).as_bytes()),
        },
        Err(e) => {
            fail!("{e}");
            // A month written wrong is a usage error, as a code written wrong is.
            match e {
                diff::DiffError::BadPeriod { .. } | diff::DiffError::NotBefore { .. } => {
                    ExitCode::from(2)
                }
                _ => ExitCode::from(1),
            }
        }
    }
}

fn cmd_export(
    dir: &Path,
    table: export::TableName,
    format: export::Format,
    issuer: Option<&str>,
    output: Option<&Path>,
) -> ExitCode {
    let code = match issuer {
        Some(i) => match values::hk_code(i) {
            Some(c) => Some(c),
            None => {
                fail!("--issuer {i:?} is not a stock code");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let (index, _) = match load(dir, None) {
        Ok(v) => v,
        Err(c) => return c,
    };
    let bytes = export::table(&index, table, code.as_deref()).render(format);
    match output {
        Some(p) => match hkfilings::atomic::write(p, &bytes) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                fail!("cannot write {}: {e}", p.display());
                ExitCode::from(1)
            }
        },
        None => emit(&bytes),
    }
}

fn cmd_config(path: bool, default: bool) -> ExitCode {
    if default {
        return emit(hkfilings::config::default_toml().as_bytes());
    }
    if path {
        let given = CONFIG_PATH.get().cloned().flatten();
        return match given.or_else(hkfilings::config::Config::default_path) {
            Some(p) => emit(format!("{}\n", p.display()).as_bytes()),
            None => {
                fail!("no config folder on this platform (no home directory?)");
                ExitCode::from(1)
            }
        };
    }
    fail!("config needs --path or --default");
    ExitCode::from(2)
}

fn cmd_screen(screen: Screen) -> ExitCode {
    use hkfilings::filings::screens;
    fn out<T: serde::Serialize>(rows: &[T], json: bool, text: impl Fn(&T) -> String) -> ExitCode {
        if json {
            let mut s = serde_json::to_string_pretty(rows).unwrap_or_default();
            s.push('\n');
            return emit(s.as_bytes());
        }
        let mut s: String = rows.iter().map(|r| text(r) + "\n").collect();
        if rows.is_empty() {
            s.push_str("none\n");
        }
        emit(s.as_bytes())
    }
    match screen {
        Screen::Expiring {
            dir,
            days,
            today,
            json,
        } => {
            let (index, _) = match load(&dir, None) {
                Ok(v) => v,
                Err(c) => return c,
            };
            let today = today.unwrap_or_else(|| chrono::Local::now().date_naive());
            let rows = screens::expiring(&index, today, days);
            out(&rows, json, |r| {
                format!(
                    "{:>5} days  {}  {:<6} {}  {}{}",
                    r.days_left,
                    r.end,
                    r.code.as_deref().unwrap_or("-"),
                    r.issuer.as_deref().unwrap_or(""),
                    r.party,
                    r.entity
                        .as_deref()
                        .map(|e| format!(" ({e})"))
                        .unwrap_or_default()
                )
            })
        }
        Screen::Changed { dir, percent, json } => {
            let Ok(pct) = percent.trim().trim_end_matches('%').parse::<f64>() else {
                fail!("--percent {percent:?} is not a number");
                return ExitCode::from(2);
            };
            let (index, _) = match load(&dir, None) {
                Ok(v) => v,
                Err(c) => return c,
            };
            let rows = screens::changed(&index, pct);
            out(&rows, json, |r| {
                format!(
                    "{:<6} {:>+8.2}%  {} -> {}  {} -> {}  {}",
                    r.code,
                    r.percent,
                    r.from,
                    r.to,
                    diff::group(r.issued_before),
                    diff::group(r.issued_after),
                    r.issuer
                )
            })
        }
        Screen::Findings { dir, code, json } => {
            let (index, _) = match load(&dir, None) {
                Ok(v) => v,
                Err(c) => return c,
            };
            let rows = screens::with_findings(&index, &code);
            out(&rows, json, |r| {
                format!("{:<6} {:>4}  {}  {}", r.code, r.count, r.issuer, r.message)
            })
        }
    }
}
