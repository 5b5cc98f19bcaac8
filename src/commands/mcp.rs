//! `netvault mcp`: serve the vault to an AI assistant over the Model Context Protocol on stdio
//! (the server is [`crate::mcp`]). The vault is resolved once here, so a server started in a
//! folder with no vault fails at once with the CLI's error; each call then gets its own
//! [`Context`] ([`call_context`]).

use std::cell::{Cell, OnceCell};

use crate::Outcome;
use crate::cli::McpArgs;
use crate::error::{Error, Result};
use crate::mcp::Settings;
use crate::output::Printer;

use super::Context;

pub fn run(ctx: &Context, args: &McpArgs) -> Result<Outcome> {
    let vault = ctx.vault()?;
    let settings = Settings {
        root: vault.root.canonicalize().unwrap_or_else(|_| vault.root.clone()),
        index_dir: ctx.index_dir.as_ref().map(|d| ctx.cwd.join(d)),
        today: ctx.today_fixed.then_some(ctx.today),
        read_only: args.read_only,
        quiet: ctx.printer.quiet,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("the MCP server's runtime", e))?;
    runtime
        .block_on(crate::mcp::serve(settings))
        .map_err(|e| Error::io("standard input", std::io::Error::other(e)))?;
    Ok(Outcome::Success)
}

/// A context for one call, as a command run in the vault's root would have: today read again
/// (unless `--today` fixed it), no colour, no progress bar, a 100-column text width; a NAME
/// given as a path is read from the vault's root.
pub fn call_context(settings: &Settings) -> Context {
    Context {
        vault_arg: Some(settings.root.clone()),
        index_dir: settings.index_dir.clone(),
        today: settings.today.unwrap_or_else(|| jiff::ZonedDateTime::now().date()),
        today_fixed: settings.today.is_some(),
        printer: Printer {
            color: false,
            quiet: settings.quiet,
            width: Some(100),
        },
        cwd: settings.root.clone(),
        lists_files: true,
        progress: false,
        rebuild_index: Cell::new(false),
        vault: OnceCell::new(),
    }
}
