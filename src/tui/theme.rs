//! Colours: a dark theme (default), a light one, and NO_COLOR (no colours;
//! bold and reverse kept so the focus and the selection still show).

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: &'static str,
    pub border: Style,
    pub border_focus: Style,
    pub title: Style,
    pub title_focus: Style,
    pub header: Style,
    /// The selected row of a focused list.
    pub selected: Style,
    /// The selected row of a list without focus.
    pub selected_dim: Style,
    /// The cell under the cell cursor.
    pub cursor: Style,
    pub section: Style,
    pub dim: Style,
    /// A value recovered by the form's arithmetic (`~`).
    pub recovered: Style,
    /// A value with a finding (`!`).
    pub finding: Style,
    pub warning: Style,
    pub info: Style,
    pub good: Style,
    pub key: Style,
    pub hint: Style,
    pub bar: Style,
    pub gauge: Style,
    pub tab: Style,
    pub tab_active: Style,
    pub highlight_line: Style,
    pub chart: [Color; 6],
}

impl Theme {
    /// The theme named in the config, unless NO_COLOR is set (any value).
    pub fn pick(name: &str, no_color: bool) -> Theme {
        if no_color {
            Theme::no_color()
        } else if name == "light" {
            Theme::light()
        } else {
            Theme::dark()
        }
    }

    /// Reads the NO_COLOR environment variable (https://no-color.org: set and non-empty).
    pub fn no_color_env() -> bool {
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }

    pub fn dark() -> Theme {
        let fg = |c| Style::new().fg(c);
        Theme {
            name: "dark",
            border: fg(Color::DarkGray),
            border_focus: fg(Color::Cyan),
            title: fg(Color::Gray),
            title_focus: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            header: fg(Color::Yellow).add_modifier(Modifier::BOLD),
            selected: Style::new()
                .bg(Color::Rgb(40, 60, 90))
                .add_modifier(Modifier::BOLD),
            selected_dim: Style::new().bg(Color::Rgb(45, 45, 45)),
            cursor: Style::new().fg(Color::Black).bg(Color::Cyan),
            section: fg(Color::Magenta).add_modifier(Modifier::BOLD),
            dim: fg(Color::DarkGray),
            recovered: fg(Color::LightYellow),
            finding: fg(Color::LightRed).add_modifier(Modifier::BOLD),
            warning: fg(Color::Yellow),
            info: fg(Color::Blue),
            good: fg(Color::Green),
            key: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            hint: fg(Color::Gray),
            bar: Style::new().fg(Color::White).bg(Color::Rgb(30, 30, 46)),
            gauge: Style::new().fg(Color::Cyan).bg(Color::Rgb(30, 30, 46)),
            tab: fg(Color::Gray),
            tab_active: Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            highlight_line: Style::new().fg(Color::Black).bg(Color::Yellow),
            chart: [
                Color::Cyan,
                Color::Green,
                Color::Magenta,
                Color::Yellow,
                Color::Blue,
                Color::Red,
            ],
        }
    }

    pub fn light() -> Theme {
        let fg = |c| Style::new().fg(c);
        Theme {
            name: "light",
            border: fg(Color::Gray),
            border_focus: fg(Color::Blue),
            title: fg(Color::DarkGray),
            title_focus: fg(Color::Blue).add_modifier(Modifier::BOLD),
            header: fg(Color::Rgb(120, 60, 0)).add_modifier(Modifier::BOLD),
            selected: Style::new()
                .bg(Color::Rgb(200, 220, 250))
                .add_modifier(Modifier::BOLD),
            selected_dim: Style::new().bg(Color::Rgb(230, 230, 230)),
            cursor: Style::new().fg(Color::White).bg(Color::Blue),
            section: fg(Color::Magenta).add_modifier(Modifier::BOLD),
            dim: fg(Color::Gray),
            recovered: fg(Color::Rgb(150, 100, 0)),
            finding: fg(Color::Red).add_modifier(Modifier::BOLD),
            warning: fg(Color::Rgb(170, 90, 0)),
            info: fg(Color::Blue),
            good: fg(Color::Rgb(0, 120, 0)),
            key: fg(Color::Blue).add_modifier(Modifier::BOLD),
            hint: fg(Color::DarkGray),
            bar: Style::new().fg(Color::Black).bg(Color::Rgb(225, 225, 235)),
            gauge: Style::new().fg(Color::Blue).bg(Color::Rgb(225, 225, 235)),
            tab: fg(Color::DarkGray),
            tab_active: Style::new()
                .fg(Color::White)
                .bg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            highlight_line: Style::new().fg(Color::Black).bg(Color::LightYellow),
            chart: [
                Color::Blue,
                Color::Rgb(0, 120, 0),
                Color::Magenta,
                Color::Rgb(150, 100, 0),
                Color::Cyan,
                Color::Red,
            ],
        }
    }

    pub fn no_color() -> Theme {
        let plain = Style::new();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let rev = Style::new().add_modifier(Modifier::REVERSED);
        Theme {
            name: "no-color",
            border: plain,
            border_focus: bold,
            title: plain,
            title_focus: bold,
            header: bold,
            selected: rev.add_modifier(Modifier::BOLD),
            selected_dim: rev,
            cursor: rev.add_modifier(Modifier::UNDERLINED),
            section: bold,
            dim: plain,
            recovered: plain,
            finding: bold,
            warning: plain,
            info: plain,
            good: plain,
            key: bold,
            hint: plain,
            bar: rev,
            gauge: plain,
            tab: plain,
            tab_active: rev.add_modifier(Modifier::BOLD),
            highlight_line: rev,
            chart: [Color::Reset; 6],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_drops_every_colour_but_keeps_bold_and_reverse() {
        let t = Theme::pick("light", true);
        assert_eq!(t.name, "no-color");
        for s in [
            t.selected,
            t.cursor,
            t.finding,
            t.border_focus,
            t.tab_active,
            t.bar,
        ] {
            assert_eq!(s.fg, None);
            assert_eq!(s.bg, None);
        }
        assert!(t.selected.add_modifier.contains(Modifier::REVERSED));
        assert!(t.border_focus.add_modifier.contains(Modifier::BOLD));
    }

    #[test]
    fn the_config_picks_light_and_anything_else_is_dark() {
        assert_eq!(Theme::pick("light", false).name, "light");
        assert_eq!(Theme::pick("dark", false).name, "dark");
    }
}
