//! Write a generated corpus of filings with its truth and manifest.
//!
//! `cargo run --release --example gen_corpus -- DIR [--issuers N] [--months N]
//! [--start YYYY-MM] [--seed N] [--damage RATE] [--ndr N] [--no-announcements]
//! [--no-resubmissions] [--demo]`

use hkfilings::gen::{demo_config, write_corpus, GenConfig};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: gen_corpus DIR [--issuers N] [--months N] [--start YYYY-MM] [--seed N] [--damage RATE] [--ndr N] [--no-announcements] [--no-resubmissions] [--demo]";

fn parse_args(args: &[String]) -> Result<(PathBuf, GenConfig), String> {
    let mut dir: Option<PathBuf> = None;
    let mut cfg = GenConfig::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--issuers" => {
                cfg.issuers = value(a)?.parse().map_err(|e| format!("--issuers: {e}"))?
            }
            "--months" => cfg.months = value(a)?.parse().map_err(|e| format!("--months: {e}"))?,
            "--seed" => cfg.seed = value(a)?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--ndr" => {
                cfg.ndr_per_issuer_year = value(a)?.parse().map_err(|e| format!("--ndr: {e}"))?
            }
            "--damage" => {
                let r: f64 = value(a)?.parse().map_err(|e| format!("--damage: {e}"))?;
                if !(0.0..=1.0).contains(&r) {
                    return Err("--damage must be between 0 and 1".to_string());
                }
                cfg.damage_rate = r;
            }
            "--start" => {
                let v = value(a)?;
                let (y, m) = v.split_once('-').ok_or("--start wants YYYY-MM")?;
                let y: i32 = y.parse().map_err(|e| format!("--start year: {e}"))?;
                let m: u32 = m.parse().map_err(|e| format!("--start month: {e}"))?;
                if !(1..=12).contains(&m) {
                    return Err("--start month must be 1-12".to_string());
                }
                cfg.start = (y, m);
            }
            "--no-announcements" => cfg.announcements = false,
            "--no-resubmissions" => cfg.resubmissions = false,
            "--demo" => cfg = demo_config(),
            "-h" | "--help" => return Err(USAGE.to_string()),
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n{USAGE}")),
            s => {
                if dir.replace(PathBuf::from(s)).is_some() {
                    return Err(format!("one DIR only\n{USAGE}"));
                }
            }
        }
    }
    let dir = dir.ok_or(USAGE.to_string())?;
    Ok((dir, cfg))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, cfg) = match parse_args(&args) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let t0 = std::time::Instant::now();
    match write_corpus(&dir, &cfg) {
        Ok(summary) => {
            println!("{summary}");
            println!("written to {} in {:.2?}", dir.display(), t0.elapsed());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot write the corpus to {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}
