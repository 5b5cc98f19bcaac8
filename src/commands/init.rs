//! `netvault init [DIR]`: create `.netvault/` with a commented config, a template and a
//! `.gitignore` for the derived index. Refuses when the vault already has a config.

use std::path::Path;

use crate::config::INIT_CONFIG;
use crate::error::{Error, Result};
use crate::output::emit;
use crate::vault::META_DIR;

use super::Context;

pub const TEMPLATE: &str = "---\nname: {{name}}\norganization:\ntitle:\nemails: []\ncircles: []\ntags: []\nmet: {{today}}\nmet_at:\n---\n# {{name}}\n\n## Log\n\n## Tasks\n";

pub const GITIGNORE: &str = "# Derived by netvault; rebuilt from your files whenever needed.\nindex/\n# Held by a running `netvault watch`.\nwatch.lock\n";

pub fn run(ctx: &Context, dir: Option<&Path>) -> Result<()> {
    // `init DIR`, else `--vault DIR init`, else the current folder.
    let dir = dir
        .or(ctx.vault_arg.as_deref())
        .map_or_else(|| ctx.cwd.clone(), |d| ctx.cwd.join(d));
    // `.netvault` as a link (a cloned folder can carry one) is refused: init writes into it.
    let meta = crate::boundary::meta_dir(&dir)?;
    // A folder read before `init` may already hold the derived index: only a config means
    // the vault was initialised. Files already there are never overwritten.
    let config = meta.join("config.toml");
    if config.exists() {
        return Err(Error::Exists(config));
    }
    std::fs::create_dir_all(&meta).map_err(|e| Error::Write {
        path: meta.clone(),
        source: e,
    })?;
    for (name, text) in [
        ("config.toml", INIT_CONFIG),
        ("template.md", TEMPLATE),
        (".gitignore", GITIGNORE),
    ] {
        let path = meta.join(name);
        // Created, never opened through an existing path: a file already there is kept, and a
        // link planted at the name (even a dangling one) is never written through.
        let created = std::fs::OpenOptions::new().write(true).create_new(true).open(&path);
        match created {
            Ok(mut file) => {
                std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| Error::Write { path, source: e })?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(Error::Write { path, source: e }),
        }
    }
    if !ctx.printer.quiet {
        emit(&format!(
            "Created a vault in {}\n  {META_DIR}/config.toml   per-circle cadences and file rules (commit it)\n  {META_DIR}/template.md   the template for new contacts\n  {META_DIR}/.gitignore    keeps the derived index out of git\nNext: `netvault add \"Jane Doe\" --org \"Acme\"` (or write a Markdown file), then `netvault report`.\n",
            dir.display()
        ))
        .map_err(|e| Error::io("stdout", e))?;
    }
    Ok(())
}
