//! `netvault completions SHELL` and `netvault man [--dir DIR]`: shell completion scripts and
//! manual pages, generated from the same clap definition as `--help`, so they never drift.

use std::path::Path;

use clap::CommandFactory as _;

use crate::cli::Cli;
use crate::error::{Error, Result};
use crate::output::emit;

use super::Context;

/// Print the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Result<()> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "netvault", &mut script);
    emit(&String::from_utf8_lossy(&script)).map_err(|e| Error::io("stdout", e))
}

/// Print `netvault.1`, or write it and one page per command (`netvault-search.1`, ...) into
/// `dir`, created if needed, and list the pages written.
pub fn man(ctx: &Context, dir: Option<&Path>) -> Result<()> {
    let command = Cli::command();
    let Some(dir) = dir else {
        let mut page = Vec::new();
        clap_mangen::Man::new(command)
            .render(&mut page)
            .map_err(|e| Error::io("stdout", e))?;
        return emit(&String::from_utf8_lossy(&page)).map_err(|e| Error::io("stdout", e));
    };
    let dir = ctx.cwd.join(dir);
    std::fs::create_dir_all(&dir).map_err(|e| Error::Write {
        path: dir.clone(),
        source: e,
    })?;
    clap_mangen::generate_to(command, &dir).map_err(|e| Error::Write {
        path: dir.clone(),
        source: e,
    })?;
    let mut pages: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| Error::io(&dir, e))?
        // The folder clap_mangen just wrote; an entry that vanished since has nothing to list.
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("netvault") && n.ends_with(".1"))
        })
        .map(|p| format!("{}\n", p.display()))
        .collect();
    pages.sort();
    emit(&pages.concat()).map_err(|e| Error::io("stdout", e))
}
