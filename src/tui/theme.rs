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

/// What the terminal can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorSupport {
    /// NO_COLOR: bold and reverse only.
    None,
    /// 256 colours: RGB colours become the nearest palette entry.
    Indexed,
    TrueColor,
}

impl ColorSupport {
    /// From the environment: NO_COLOR, then COLORTERM/TERM announcing 24-bit colour.
    pub fn from_env() -> ColorSupport {
        let var = |k: &str| std::env::var(k).unwrap_or_default().to_ascii_lowercase();
        ColorSupport::detect(Theme::no_color_env(), &var("COLORTERM"), &var("TERM"))
    }

    pub fn detect(no_color: bool, colorterm: &str, term: &str) -> ColorSupport {
        let rgb = |s: &str| s.contains("truecolor") || s.contains("24bit") || s.contains("direct");
        if no_color {
            ColorSupport::None
        } else if rgb(colorterm) || rgb(term) {
            ColorSupport::TrueColor
        } else {
            ColorSupport::Indexed
        }
    }
}

/// The nearest xterm-256 palette entry for an RGB colour: the 6x6x6 cube
/// or the grey ramp, whichever is closer.
pub fn to_indexed(c: Color) -> Color {
    let Color::Rgb(r, g, b) = c else {
        return c;
    };
    let level = |v: u8| -> (u8, u8) {
        const STEPS: [u8; 6] = [0, 95, 135, 175, 215, 255];
        let (mut best, mut d) = (0u8, i32::MAX);
        for (i, s) in STEPS.iter().enumerate() {
            let dd = (i32::from(*s) - i32::from(v)).abs();
            if dd < d {
                best = i as u8;
                d = dd;
            }
        }
        (best, STEPS[best as usize])
    };
    let ((ri, rv), (gi, gv), (bi, bv)) = (level(r), level(g), level(b));
    let dist = |x: u8, y: u8, z: u8| {
        let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).pow(2);
        d(x, r) + d(y, g) + d(z, b)
    };
    let cube = 16 + 36 * ri + 6 * gi + bi;
    let avg = ((u16::from(r) + u16::from(g) + u16::from(b)) / 3) as u8;
    let gi_ = (avg.saturating_sub(3) / 10).min(23);
    let grey = 8 + 10 * gi_;
    if dist(grey, grey, grey) < dist(rv, gv, bv) {
        Color::Indexed(232 + gi_)
    } else {
        Color::Indexed(cube)
    }
}

impl Theme {
    /// The theme of the config's `[theme]`, for what the terminal can show.
    pub fn build(cfg: &crate::config::ThemeConfig, support: ColorSupport) -> Theme {
        if support == ColorSupport::None {
            return Theme::no_color();
        }
        let mut t = Theme::pick(&cfg.name, false);
        for (role, value) in &cfg.colors {
            if let Some(c) = crate::config::parse_color(value) {
                t.set_role(role, c);
            }
        }
        if support == ColorSupport::Indexed {
            t.map_colors(to_indexed);
        }
        t
    }

    /// Apply a `[theme.colors]` override.
    fn set_role(&mut self, role: &str, c: Color) {
        match role {
            "accent" => {
                self.border_focus = self.border_focus.fg(c);
                self.title_focus = self.title_focus.fg(c);
                self.key = self.key.fg(c);
                self.tab_active = self.tab_active.bg(c);
                self.cursor = self.cursor.bg(c);
                self.gauge = self.gauge.fg(c);
            }
            "border" => self.border = self.border.fg(c),
            "text_dim" => self.dim = self.dim.fg(c),
            "header" => self.header = self.header.fg(c),
            "section" => self.section = self.section.fg(c),
            "selected" => self.selected = self.selected.bg(c),
            "finding" => self.finding = self.finding.fg(c),
            "warning" => self.warning = self.warning.fg(c),
            "good" => self.good = self.good.fg(c),
            "recovered" => self.recovered = self.recovered.fg(c),
            "bar" => {
                self.bar = self.bar.bg(c);
                self.gauge = self.gauge.bg(c);
            }
            _ => {}
        }
    }

    /// Every colour of every style through `f`.
    fn map_colors(&mut self, f: fn(Color) -> Color) {
        let m = |s: &mut Style| {
            s.fg = s.fg.map(f);
            s.bg = s.bg.map(f);
        };
        for s in [
            &mut self.border,
            &mut self.border_focus,
            &mut self.title,
            &mut self.title_focus,
            &mut self.header,
            &mut self.selected,
            &mut self.selected_dim,
            &mut self.cursor,
            &mut self.section,
            &mut self.dim,
            &mut self.recovered,
            &mut self.finding,
            &mut self.warning,
            &mut self.info,
            &mut self.good,
            &mut self.key,
            &mut self.hint,
            &mut self.bar,
            &mut self.gauge,
            &mut self.tab,
            &mut self.tab_active,
            &mut self.highlight_line,
        ] {
            m(s);
        }
        for c in self.chart.iter_mut() {
            *c = f(*c);
        }
    }

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
    fn a_256_colour_terminal_gets_palette_colours_instead_of_rgb() {
        let t = Theme::build(
            &crate::config::ThemeConfig::default(),
            ColorSupport::Indexed,
        );
        assert!(matches!(t.selected.bg, Some(Color::Indexed(_))));
        assert!(matches!(t.bar.bg, Some(Color::Indexed(_))));
        assert_eq!(to_indexed(Color::Rgb(255, 0, 0)), Color::Indexed(196));
        assert_eq!(to_indexed(Color::Rgb(45, 45, 45)), Color::Indexed(236));
        assert_eq!(
            ColorSupport::detect(false, "truecolor", "xterm-256color"),
            ColorSupport::TrueColor
        );
        assert_eq!(
            ColorSupport::detect(false, "", "xterm-256color"),
            ColorSupport::Indexed
        );
        assert_eq!(
            ColorSupport::detect(true, "truecolor", ""),
            ColorSupport::None
        );
    }

    #[test]
    fn a_configured_accent_colours_the_focus() {
        let mut cfg = crate::config::ThemeConfig::default();
        cfg.colors.insert("accent".into(), "#ff8800".into());
        let t = Theme::build(&cfg, ColorSupport::TrueColor);
        assert_eq!(t.border_focus.fg, Some(Color::Rgb(255, 136, 0)));
        assert_eq!(t.tab_active.bg, Some(Color::Rgb(255, 136, 0)));
    }

    #[test]
    fn the_config_picks_light_and_anything_else_is_dark() {
        assert_eq!(Theme::pick("light", false).name, "light");
        assert_eq!(Theme::pick("dark", false).name, "dark");
    }
}
