//! `hkfilings [DIR]`: explore a folder of filings in the terminal.

fn main() {
    let dir = std::env::args_os().nth(1).map(std::path::PathBuf::from);
    let (config, problems) = hkfilings::config::Config::load(None);
    let opts = hkfilings::tui::TuiOptions {
        dir,
        config,
        today: chrono::Local::now().date_naive(),
    };
    if let Err(e) = hkfilings::tui::run_reporting(opts, problems) {
        eprintln!("hkfilings: {e}");
        std::process::exit(1);
    }
}
