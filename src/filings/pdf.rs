//! Text from PDF files.

use super::model::{ErrorKind, FileError};

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
    _bytes: &[u8],
    _which: Extractor,
) -> Result<(String, &'static str), FileError> {
    Err(FileError {
        file: file.to_string(),
        error: "PDF reading is not available".to_string(),
        error_kind: ErrorKind::Pdf,
    })
}
