//! The pure core: text and dates in, values and diagnostics out. Nothing here touches the disk,
//! reads the clock, or names clap, tantivy, notify or indicatif; adapters around it do (see
//! ARCHITECTURE.md). A test in `tests/` checks the rule on the sources.

pub mod body;
pub mod cadence;
pub mod changes;
pub mod config;
pub mod contact;
pub mod date;
pub mod diagnostic;
pub mod fold;
pub mod followup;
pub mod frontmatter;
pub mod hash;
pub mod query;
pub mod resolve;
pub mod span;
pub mod validate;
pub mod yaml;
