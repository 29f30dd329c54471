//! hkfilings: read folders of Hong Kong stock exchange filings as data.
//!
//! `filings` is the domain (parsers, checks, index, diff, search, export) and
//! knows nothing of terminals; `loader` walks a folder and parses it in the
//! background; `tui` is the terminal explorer; `config` holds user settings.

pub mod atomic;
pub mod cache;
pub mod config;
pub mod escapes;
pub mod filings;
pub mod gen;
pub mod loader;
pub mod signals;
pub mod tui;
pub mod watch;
