//! netvault's integration tests, one crate: each module drives the real binary (or, for
//! `architecture`, reads the sources) against temporary vaults with `--today` fixed.
//!
//! One crate instead of one per file: the library and its dependencies are linked once, not
//! twenty times, which is most of `cargo test`'s build time on a small machine.

mod common;

mod architecture;
mod capture;
mod cli;
mod corpus;
mod daily_loop;
mod export;
mod hostile;
mod html;
mod import;
mod index_morning;
mod linear;
mod lsp;
mod mcp;
mod morning;
mod mutation;
mod names;
mod readme;
mod realworld;
mod reports;
mod safety;
mod search;
mod threats;
#[cfg(unix)]
mod watch;
mod who_knows;
