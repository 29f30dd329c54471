//! Copy to the clipboard and open files, for the event loop (the app only
//! asks, through an `Effect`). The clipboard is the system's when a display
//! is there (arboard); otherwise, or when that fails, an OSC 52 sequence asks
//! the terminal to take the text, which works over SSH and inside tmux.

use std::io::Write;

/// Standard base64 with padding (OSC 52 carries its payload so).
pub fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The OSC 52 sequence setting the clipboard to `text`; inside tmux also
/// wrapped for passthrough, so the outer terminal sees it whichever way
/// tmux's `set-clipboard` and `allow-passthrough` are set.
pub fn osc52(text: &str, tmux: bool) -> String {
    let seq = format!("\x1b]52;c;{}\x07", base64(text.as_bytes()));
    if tmux {
        format!("{seq}\x1bPtmux;{}\x1b\\", seq.replace('\x1b', "\x1b\x1b"))
    } else {
        seq
    }
}

/// Keeps the system clipboard alive: on X11 the text is served by its owner.
#[derive(Default)]
pub struct Clipboard {
    system: Option<arboard::Clipboard>,
}

impl Clipboard {
    /// Put `text` on the clipboard; the error is for the status bar.
    pub fn copy(&mut self, text: &str) -> Result<(), String> {
        let display = ["DISPLAY", "WAYLAND_DISPLAY"]
            .iter()
            .any(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()));
        if display {
            if self.system.is_none() {
                self.system = arboard::Clipboard::new().ok();
            }
            if let Some(c) = self.system.as_mut() {
                if c.set_text(text.to_string()).is_ok() {
                    return Ok(());
                }
            }
        }
        let seq = osc52(text, std::env::var_os("TMUX").is_some());
        let mut out = std::io::stdout();
        out.write_all(seq.as_bytes())
            .and_then(|_| out.flush())
            .map_err(|e| format!("cannot copy: {e}"))
    }
}

/// Open `path` with the system's opener, detached; the error is for the status bar.
pub fn open_file(path: &str) -> Result<(), String> {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![path])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", path])
    } else {
        ("xdg-open", vec![path])
    };
    let mut child = std::process::Command::new(program)
        .args(&args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    // Reap it when it ends, so no zombie is left behind.
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads_like_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64("光".as_bytes()), "5YWJ");
    }

    #[test]
    fn osc52_inside_tmux_is_also_sent_through() {
        assert_eq!(osc52("hi", false), "\x1b]52;c;aGk=\x07");
        let t = osc52("hi", true);
        assert!(t.starts_with("\x1b]52;c;aGk=\x07\x1bPtmux;\x1b\x1b]52"));
        assert!(t.ends_with("\x1b\\"));
    }
}
