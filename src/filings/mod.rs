//! The domain: filings, their parsers, checks and the index. No terminal code here.

pub mod checks;
pub mod diff;
pub mod export;
pub mod html;
pub mod index;
pub mod model;
pub mod parse;
pub mod pdf;
pub mod screens;
pub mod search;
