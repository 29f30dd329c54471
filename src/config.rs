//! User settings from `config.toml` in the platform config directory.
//!
//! A broken config never stops the program: [`Config::load`] falls back to
//! the defaults and returns a message naming the line and the problem, which
//! the terminal explorer shows in its status bar.

use crate::filings::pdf::Extractor;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Settings; every field has a default so a config may name only what it changes.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Folder opened when `hkfilings` is started without one.
    pub default_dir: Option<PathBuf>,
    /// "dark" (default) or "light".
    pub theme: String,
    /// Mouse scrolling and clicking in the explorer.
    pub mouse: bool,
    /// Which program turns PDFs into text.
    pub pdf_extractor: Extractor,
    /// Action name -> keys that trigger it (e.g. `half_page_down = ["ctrl-d", "J"]`),
    /// replacing the action's default keys.
    pub keys: BTreeMap<String, Vec<String>>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            default_dir: None,
            theme: "dark".to_string(),
            mouse: true,
            pdf_extractor: Extractor::default(),
            keys: BTreeMap::new(),
        }
    }
}

impl Config {
    /// `config.toml` in the platform config directory
    /// (`~/.config/hkfilings/config.toml` on Linux), if there is a home.
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "hkfilings")
            .map(|d| d.config_dir().join("config.toml"))
    }

    /// Read the config at `path` (or the default path). A missing file is the
    /// defaults with no problem; an unreadable or broken one is the defaults
    /// with one message per problem, naming the file and line.
    pub fn load(path: Option<&Path>) -> (Config, Vec<String>) {
        let explicit = path.is_some();
        let path = match path.map(Path::to_path_buf).or_else(Config::default_path) {
            Some(p) => p,
            None => return (Config::default(), Vec::new()),
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            // No config file is the normal case; a missing file the user named is not.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
                return (Config::default(), Vec::new())
            }
            Err(e) => {
                return (
                    Config::default(),
                    vec![format!("{}: cannot read: {e}", path.display())],
                )
            }
        };
        Config::parse(&text, &path.display().to_string())
    }

    /// Parse config text; `origin` names it in messages.
    pub fn parse(text: &str, origin: &str) -> (Config, Vec<String>) {
        match toml::from_str::<Config>(text) {
            Ok(mut c) => {
                let mut problems = Vec::new();
                if c.theme != "dark" && c.theme != "light" {
                    let line = line_of(text, "theme");
                    problems.push(format!(
                        "{origin}{}: theme {:?} is not \"dark\" or \"light\"; using \"dark\"",
                        line.map(|l| format!(":{l}")).unwrap_or_default(),
                        c.theme
                    ));
                    c.theme = "dark".to_string();
                }
                (c, problems)
            }
            Err(e) => {
                let line = e
                    .span()
                    .map(|s| text.get(..s.start).unwrap_or(text).matches('\n').count() + 1);
                let msg = e.message().replace('\n', " ");
                let at = line.map(|l| format!(" line {l}")).unwrap_or_default();
                (
                    Config::default(),
                    vec![format!("{origin}{at}: {msg}; using the default settings")],
                )
            }
        }
    }
}

fn line_of(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_config_is_the_defaults() {
        let (c, problems) = Config::parse("", "config.toml");
        assert_eq!(c, Config::default());
        assert!(problems.is_empty());
    }

    #[test]
    fn every_setting_is_read() {
        let text = "default_dir = \"/data/filings\"\ntheme = \"light\"\nmouse = false\n\
                    pdf_extractor = \"pdftotext\"\n[keys]\nhalf_page_down = [\"ctrl-d\", \"J\"]\n";
        let (c, problems) = Config::parse(text, "config.toml");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(c.default_dir, Some(PathBuf::from("/data/filings")));
        assert_eq!(c.theme, "light");
        assert!(!c.mouse);
        assert_eq!(c.pdf_extractor, Extractor::Pdftotext);
        assert_eq!(c.keys["half_page_down"], vec!["ctrl-d", "J"]);
    }

    #[test]
    fn a_broken_config_falls_back_to_defaults_naming_the_line() {
        let (c, problems) = Config::parse("theme = \"dark\"\nmouse = maybe\n", "config.toml");
        assert_eq!(c, Config::default());
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("config.toml line 2:"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn an_unknown_setting_is_a_problem_naming_its_line() {
        let (_, problems) = Config::parse("mouse = true\ncolour = \"red\"\n", "c.toml");
        assert!(problems[0].contains("line 2"), "{}", problems[0]);
        assert!(problems[0].contains("colour"), "{}", problems[0]);
    }

    #[test]
    fn an_unknown_theme_becomes_dark_with_a_message() {
        let (c, problems) = Config::parse("\ntheme = \"pink\"\n", "c.toml");
        assert_eq!(c.theme, "dark");
        assert!(problems[0].starts_with("c.toml:2:"), "{}", problems[0]);
    }

    #[test]
    fn a_missing_default_config_is_no_problem_but_a_missing_named_one_is() {
        let (_, problems) = Config::load(Some(Path::new("/nonexistent/hkfilings.toml")));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("/nonexistent/hkfilings.toml"));
    }
}
