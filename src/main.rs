//! `hkfilings`: the terminal explorer, and the same engine for scripts.

use clap::{Parser, Subcommand};
use hkfilings::filings::model::Entry;
use hkfilings::filings::parse::{self, ParseOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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
    #[command(subcommand)]
    command: Option<Command>,
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
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  hkfilings completions bash > ~/.local/share/bash-completion/completions/hkfilings\n  hkfilings completions zsh > ~/.zfunc/_hkfilings"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), generated from the same definitions as --help.
    #[command(after_help = "Example:\n  hkfilings man > hkfilings.1 && man ./hkfilings.1")]
    Man,
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
    match cli.command {
        Some(Command::Parse { paths, json }) => cmd_parse(&paths, json),
        Some(Command::Completions { shell }) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "hkfilings", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Some(Command::Man) => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            if clap_mangen::Man::new(cmd).render(&mut out).is_err() {
                return ExitCode::from(1);
            }
            let _ = std::io::stdout().write_all(&out);
            ExitCode::SUCCESS
        }
        None => {
            let (config, problems) = hkfilings::config::Config::load(None);
            let opts = hkfilings::tui::TuiOptions {
                dir: cli.dir,
                config,
                today: chrono::Local::now().date_naive(),
            };
            match hkfilings::tui::run_reporting(opts, problems) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("hkfilings: {e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}

/// Every file under the given paths, in a stable order.
fn walk(paths: &[PathBuf]) -> Vec<PathBuf> {
    fn rec(p: &Path, out: &mut Vec<PathBuf>, depth: usize) {
        if depth > 64 {
            return;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let mut kids: Vec<PathBuf> = match std::fs::read_dir(p) {
                    Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
                    Err(_) => {
                        out.push(p.to_path_buf());
                        return;
                    }
                };
                kids.sort();
                for k in kids {
                    rec(&k, out, depth + 1);
                }
            }
            _ => out.push(p.to_path_buf()),
        }
    }
    let mut out = Vec::new();
    for p in paths {
        rec(p, &mut out, 0);
    }
    out
}

fn cmd_parse(paths: &[PathBuf], json: bool) -> ExitCode {
    let opts = ParseOptions::default();
    let files = walk(paths);
    let entries: Vec<Entry> = {
        use rayon::prelude::*;
        files
            .par_iter()
            .map(|p| parse::parse_file(p, &opts))
            .collect()
    };
    let failed = entries
        .iter()
        .any(|e| matches!(e, Entry::Error(err) if err.error_kind.is_failure()));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let res = if json {
        serde_json::to_writer_pretty(&mut out, &entries)
            .map_err(std::io::Error::other)
            .and_then(|_| writeln!(out))
    } else {
        entries
            .iter()
            .try_for_each(|e| write!(out, "{}", summary(e)))
    };
    if let Err(e) = res.and_then(|_| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("hkfilings: {e}");
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
