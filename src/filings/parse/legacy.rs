//! Parser for this form; filled in by its owner.

use crate::filings::model::Filing;

pub fn parse(_f: &mut Filing, _lines: &[String]) {}
