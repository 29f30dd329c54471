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
    /// `theme = "dark"` (default) or `"light"`; or a `[theme]` table with
    /// `name` and `[theme.colors]` overrides (`accent = "#ff8800"`).
    pub theme: ThemeConfig,
    /// Mouse scrolling and clicking in the explorer.
    pub mouse: bool,
    /// Pick up filings added to or changed in the folder while the explorer runs.
    pub watch: bool,
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
            theme: ThemeConfig::default(),
            mouse: true,
            watch: true,
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
                let at = |key: &str| {
                    line_of(text, key)
                        .map(|l| format!(":{l}"))
                        .unwrap_or_default()
                };
                if c.theme.name != "dark" && c.theme.name != "light" {
                    problems.push(format!(
                        "{origin}{}: theme {:?} is not \"dark\" or \"light\"; using \"dark\"",
                        at(if text.contains("[theme]") {
                            "name"
                        } else {
                            "theme"
                        }),
                        c.theme.name
                    ));
                    c.theme.name = "dark".to_string();
                }
                let mut bad = Vec::new();
                for (role, value) in &c.theme.colors {
                    if !COLOR_ROLES.contains(&role.as_str()) {
                        problems.push(format!(
                            "{origin}{}: [theme.colors] {role}: no such colour (known: {})",
                            at(role),
                            COLOR_ROLES.join(", ")
                        ));
                        bad.push(role.clone());
                    } else if parse_color(value).is_none() {
                        problems.push(format!(
                            "{origin}{}: [theme.colors] {role} = {value:?} is not a colour name or #rrggbb",
                            at(role)
                        ));
                        bad.push(role.clone());
                    }
                }
                for role in bad {
                    c.theme.colors.remove(&role);
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

/// The colours `[theme.colors]` may set, each a role in every pane.
pub const COLOR_ROLES: &[&str] = &[
    "accent",
    "border",
    "text_dim",
    "header",
    "section",
    "selected",
    "finding",
    "warning",
    "good",
    "recovered",
    "bar",
];

/// A colour by name (`red`, `lightblue`, `darkgray`), 256-colour index
/// (`208`) or hex (`#ff8800`).
pub fn parse_color(s: &str) -> Option<ratatui::style::Color> {
    s.trim().parse::<ratatui::style::Color>().ok()
}

/// The theme setting: a name, with optional colour overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeConfig {
    pub name: String,
    /// Role (see [`COLOR_ROLES`]) -> colour as written.
    pub colors: BTreeMap<String, String>,
}

impl Default for ThemeConfig {
    fn default() -> ThemeConfig {
        ThemeConfig {
            name: "dark".to_string(),
            colors: BTreeMap::new(),
        }
    }
}

impl<'de> Deserialize<'de> for ThemeConfig {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ThemeConfig, D::Error> {
        /// `theme = "light"` or a `[theme]` table.
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Name(String),
            Table(Table),
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Table {
            #[serde(default)]
            name: Option<String>,
            #[serde(default)]
            colors: BTreeMap<String, String>,
        }
        match Raw::deserialize(d) {
            Ok(Raw::Name(name)) => Ok(ThemeConfig {
                name,
                colors: BTreeMap::new(),
            }),
            Ok(Raw::Table(t)) => Ok(ThemeConfig {
                name: t.name.unwrap_or_else(|| "dark".to_string()),
                colors: t.colors,
            }),
            Err(_) => Err(serde::de::Error::custom(
                "theme must be a name (\"dark\", \"light\") or a table with `name` and `[theme.colors]`",
            )),
        }
    }
}

/// Where `config.toml` is read from when no `--config` is given.
pub fn default_path() -> Option<PathBuf> {
    Config::default_path()
}

/// A commented config with every setting at its default: it parses back to
/// `Config::default()`, and uncommenting a line is how a setting is changed.
pub fn default_toml() -> String {
    use crate::tui::keymap::{Action, Keymap};
    let map = Keymap::default();
    let mut out = String::from(
        "# hkfilings configuration. Every setting is shown commented out at its default.\n\
         \n\
         # Folder opened when `hkfilings` is started without one.\n\
         # default_dir = \"/path/to/filings\"\n\
         \n\
         # Mouse scrolling and clicking in the explorer.\n\
         # mouse = true\n\
         \n\
         # Pick up filings added to or changed in the folder while the explorer runs.\n\
         # watch = true\n\
         \n\
         # Which program turns PDFs into text: \"native\" or \"pdftotext\".\n\
         # pdf_extractor = \"native\"\n\
         \n\
         # Colours: \"dark\" or \"light\", with optional overrides by name, index or #rrggbb.\n\
         # NO_COLOR in the environment turns colour off (bold and reverse stay).\n\
         # [theme]\n\
         # name = \"dark\"\n\
         # [theme.colors]\n",
    );
    for role in COLOR_ROLES {
        let example = if *role == "accent" {
            "\"#ff8800\""
        } else {
            "\"...\""
        };
        out.push_str(&format!("# {role} = {example}\n"));
    }
    out.push_str(
        "\n# Keys: action = [keys]. Replaces the action's default keys in every\n\
         # place it is bound. Keys: j, J, ctrl-d, alt-x, enter, esc, tab, shift-tab,\n\
         # up, pagedown, home, f1, space, ?, [.\n\
         # [keys]\n",
    );
    for &a in Action::ALL {
        let mut keys: Vec<String> = Vec::new();
        for k in map.default_specs(a) {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        let list = keys
            .iter()
            .map(|k| format!("{k:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        out.push_str(&format!("# {} = [{list}]    # {}\n", a.name(), a.doc()));
    }
    out
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
                    watch = false\npdf_extractor = \"pdftotext\"\n[keys]\nhalf_page_down = [\"ctrl-d\", \"J\"]\n";
        let (c, problems) = Config::parse(text, "config.toml");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(c.default_dir, Some(PathBuf::from("/data/filings")));
        assert_eq!(c.theme.name, "light");
        assert!(!c.mouse);
        assert!(!c.watch);
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
        assert_eq!(c.theme.name, "dark");
        assert!(problems[0].starts_with("c.toml:2:"), "{}", problems[0]);
    }

    #[test]
    fn a_missing_default_config_is_no_problem_but_a_missing_named_one_is() {
        let (_, problems) = Config::load(Some(Path::new("/nonexistent/hkfilings.toml")));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("/nonexistent/hkfilings.toml"));
    }
}
