//! Text from PDF files.
//!
//! The native reader takes the positioned characters pdf-extract reports and
//! lays them out itself ([`layout`]), so that the text reads like
//! `pdftotext -layout`: rows by baseline, table cells kept apart by runs of
//! spaces, rotated pages turned upright, overprinted bold printed once.
//! Whatever the file holds, the caller gets text or an error entry: the work
//! runs on its own thread, under a time limit, with panics caught.

mod layout;
mod prepare;

use super::model::{ErrorKind, FileError};
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub use prepare::MAX_PAGES;

/// Longest a single PDF may take to read before it is abandoned.
pub const TIME_LIMIT: Duration = Duration::from_secs(20);

/// Most characters collected from one document (memory bound: a filing has
/// tens of thousands).
const MAX_GLYPHS: usize = 5_000_000;

/// Thread stack for the reader: the PDF parsers recurse per nesting level
/// (bounded by [`prepare`]), and deep recursion must not overflow.
const READER_STACK: usize = 64 * 1024 * 1024;

/// Which program turns a PDF into text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Extractor {
    /// The built-in pure-Rust extractor.
    #[default]
    Native,
    /// poppler's `pdftotext -layout`, when it is on PATH.
    Pdftotext,
}

/// Extract a PDF's text; returns the text and the extractor's name.
pub fn extract(
    file: &str,
    bytes: &[u8],
    which: Extractor,
) -> Result<(String, &'static str), FileError> {
    let result = match which {
        Extractor::Native => native(bytes).map(|t| (t, "pdf-extract")),
        Extractor::Pdftotext => pdftotext(bytes).map(|t| (t, "pdftotext")),
    };
    result.map_err(|reason| FileError {
        file: file.to_string(),
        error: reason,
        error_kind: ErrorKind::Pdf,
    })
}

/// Read with the built-in extractor on a worker thread; a reader still busy
/// at the time limit is left to finish on its own (threads cannot be killed)
/// and its result dropped.
fn native(bytes: &[u8]) -> Result<String, String> {
    let data = bytes.to_vec();
    let deadline = Instant::now() + TIME_LIMIT;
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("pdf-reader".to_string())
        .stack_size(READER_STACK)
        .spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(|| read_native(&data, deadline)));
            // The receiver is gone when the caller gave up waiting.
            let _ = tx.send(result);
        });
    if let Err(e) = spawned {
        return Err(format!("cannot start the PDF reader: {e}"));
    }
    match rx.recv_timeout(TIME_LIMIT + Duration::from_millis(500)) {
        Ok(Ok(result)) => result,
        Ok(Err(panic)) => Err(format!(
            "the PDF reader crashed: {}",
            panic_message(panic.as_ref())
        )),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(timeout_message()),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err("the PDF reader stopped without an answer".to_string())
        }
    }
}

fn timeout_message() -> String {
    format!("took longer than {} s; abandoned", TIME_LIMIT.as_secs())
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// The text of a PDF, or why there is none.
fn read_native(bytes: &[u8], deadline: Instant) -> Result<String, String> {
    let prepared = prepare::prepare(bytes)?;
    if Instant::now() > deadline {
        return Err(timeout_message());
    }
    let mut collector = layout::Collector::new(prepared.rotations, deadline, MAX_GLYPHS);
    let outcome = pdf_extract::output_doc_with_operations(
        &prepared.doc,
        &prepared.operations,
        &mut collector,
    );
    match collector.stopped {
        Some(layout::Stop::Deadline) => return Err(timeout_message()),
        Some(layout::Stop::TooManyGlyphs) => {
            return Err(format!("more than {MAX_GLYPHS} characters: not a filing"))
        }
        None => {}
    }
    if let Err(e) = outcome {
        return Err(format!("damaged PDF: {e}"));
    }
    if !collector.has_text() {
        return Err("no text layer (scanned image?)".to_string());
    }
    Ok(collector.text())
}

/// Run poppler's `pdftotext -layout` on a temporary copy of the bytes.
fn pdftotext(bytes: &[u8]) -> Result<String, String> {
    use std::io::Write;
    let mut tmp = tempfile::Builder::new()
        .prefix("hkfilings-")
        .suffix(".pdf")
        .tempfile()
        .map_err(|e| format!("cannot write a temporary copy for pdftotext: {e}"))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.flush())
        .map_err(|e| format!("cannot write a temporary copy for pdftotext: {e}"))?;
    let mut child = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(tmp.path())
        .arg("-")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                "pdftotext is not installed (not found on PATH)".to_string()
            }
            _ => format!("cannot run pdftotext: {e}"),
        })?;
    // Read both pipes on their own threads so a large output cannot block the child.
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.read_to_end(&mut buf);
        }
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stderr.as_mut() {
            let _ = s.read_to_end(&mut buf);
        }
        buf
    });
    let deadline = Instant::now() + TIME_LIMIT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(timeout_message());
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(format!("pdftotext failed: {e}")),
        }
    };
    let out = out_reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    let err = String::from_utf8_lossy(&err);
    if !status.success() {
        let first = err
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no message");
        if err.to_ascii_lowercase().contains("password") {
            return Err("encrypted: a password is needed to read it".to_string());
        }
        return Err(format!("pdftotext failed ({status}): {first}"));
    }
    let text = String::from_utf8_lossy(&out).into_owned();
    if !text.chars().any(|c| !c.is_whitespace()) {
        return Err("no text layer (scanned image?)".to_string());
    }
    Ok(text)
}
