//! `config.toml`: valid and broken files, the commented default, key clashes,
//! and rebinding as the help and hint bar show it.

use hkfilings::config::{default_path, default_toml, Config};
use hkfilings::tui::keymap::{Context, Keymap};
use std::path::Path;

fn write(dir: &Path, text: &str) -> std::path::PathBuf {
    let p = dir.join("config.toml");
    std::fs::write(&p, text).expect("write config");
    p
}

#[test]
fn the_commented_default_config_parses_back_to_the_defaults() {
    let text = default_toml();
    let (c, problems) = Config::parse(&text, "default");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(c, Config::default());
    assert!(text.contains("# sort_next = [\"t\"]"), "{text}");
    assert!(text.contains("# star = [\"s\"]"));
    assert!(text.contains("# accent = \"#ff8800\""));
}

#[test]
fn every_commented_setting_of_the_default_parses_when_uncommented() {
    // Uncomment the settings (not the prose): they must still be a valid config.
    let text: String = default_toml()
        .lines()
        .filter_map(|l| {
            let body = l.strip_prefix("# ")?;
            let setting = body.starts_with('[')
                || body.split_once(" = ").is_some_and(|(k, _)| {
                    !k.contains(' ') && !body.contains("\"...\"") && k != "default_dir"
                });
            setting.then(|| body.split("    #").next().unwrap_or(body).to_string())
        })
        .collect::<Vec<_>>()
        .join("\n");
    let (c, problems) = Config::parse(&text, "uncommented");
    assert!(problems.is_empty(), "{problems:?}\n{text}");
    assert_eq!(c.theme.colors["accent"], "#ff8800");
    let (map, problems) = Keymap::with_overrides(&c.keys);
    assert!(problems.is_empty(), "{problems:?}");
    for ctx in [Context::Issuers, Context::Capital, Context::Findings] {
        assert_eq!(map.hints(ctx), Keymap::default().hints(ctx), "{ctx:?}");
    }
}

#[test]
fn a_valid_file_sets_folder_theme_colours_mouse_extractor_and_keys() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "default_dir = \"/data\"\nmouse = false\npdf_extractor = \"pdftotext\"\n\
         [theme]\nname = \"light\"\n[theme.colors]\naccent = \"#ff8800\"\nfinding = \"red\"\n\
         [keys]\nstar = [\"S\"]\n",
    );
    let (c, problems) = Config::load(Some(&p));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(c.default_dir.as_deref(), Some(Path::new("/data")));
    assert!(!c.mouse);
    assert_eq!(c.theme.name, "light");
    assert_eq!(c.theme.colors["finding"], "red");
    assert_eq!(c.keys["star"], ["S"]);
}

#[test]
fn a_broken_file_names_the_line_and_the_defaults_are_used() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "mouse = true\n\n[keys\nstar = [\"s\"]\n");
    let (c, problems) = Config::load(Some(&p));
    assert_eq!(c, Config::default());
    assert_eq!(problems.len(), 1);
    assert!(problems[0].contains("line 3"), "{}", problems[0]);
    assert!(problems[0].contains("config.toml"), "{}", problems[0]);
}

#[test]
fn a_bad_colour_is_reported_at_its_line_and_ignored() {
    let text =
        "[theme]\nname = \"dark\"\n[theme.colors]\naccent = \"not-a-colour\"\nglow = \"red\"\n";
    let (c, problems) = Config::parse(text, "c.toml");
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("c.toml:4:"), "{}", problems[0]);
    assert!(problems[1].contains("glow"), "{}", problems[1]);
    assert!(c.theme.colors.is_empty());
}

#[test]
fn two_actions_on_one_key_in_one_place_are_a_clash() {
    let (c, _) = Config::parse("[keys]\nstar = [\"z\"]\nnote = [\"z\"]\n", "c.toml");
    let (map, problems) = Keymap::with_overrides(&c.keys);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("note") && problems[0].contains("star"),
        "{}",
        problems[0]
    );
    assert!(problems[0].contains("z"), "{}", problems[0]);
    assert!(map
        .resolve(
            Context::Issuers,
            hkfilings::tui::keymap::Key::parse("z").unwrap()
        )
        .is_some());
}

#[test]
fn rebinding_an_action_changes_the_help_text_and_the_hints() {
    let (c, _) = Config::parse("[keys]\nsort_next = [\"ctrl-o\"]\n", "c.toml");
    let (map, problems) = Keymap::with_overrides(&c.keys);
    assert!(problems.is_empty(), "{problems:?}");
    let issuers = &map
        .help()
        .into_iter()
        .find(|(ctx, _)| *ctx == Context::Issuers)
        .unwrap()
        .1;
    assert!(
        issuers.contains(&("C-o".to_string(), "sort by the next column")),
        "{issuers:?}"
    );
    assert!(!issuers.iter().any(|(k, _)| k == "t"));
    assert!(map
        .hints(Context::Issuers)
        .contains(&("C-o".to_string(), "sort")));
}

#[test]
fn the_default_path_is_config_toml_in_the_config_folder() {
    if let Some(p) = default_path() {
        assert!(p.ends_with("hkfilings/config.toml"), "{}", p.display());
    }
}
