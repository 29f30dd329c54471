//! Single-filing arithmetic cross-checks (FORMATS.md section 4) -> findings.

use super::model::Filing;

/// Run every single-filing check and append its findings.
pub fn run(_f: &mut Filing) {}
