//! `netvault edit NAME` (and `add --edit`): open a contact's file in `$VISUAL`, else `$EDITOR`,
//! else `vi`.
//!
//! The editor runs without a shell: the variable is split on whitespace (so
//! `EDITOR="code --wait"` works), and the file path is passed as the last argument.

use std::ffi::OsString;
use std::path::Path;

use crate::error::{Error, Result};

use super::{Context, synced};

pub fn run(ctx: &Context, name: &str) -> Result<()> {
    let synced = synced(ctx)?;
    let found = super::find(ctx, &synced, name)?;
    let path = synced
        .walk
        .files
        .iter()
        .find(|f| f.rel == found.path)
        .map_or_else(|| synced.root.join(&found.path), |f| f.abs.clone());
    open(&path)
}

/// Open `path` in the user's editor and wait for it (also `add --edit`).
pub(crate) fn open(path: &Path) -> Result<()> {
    let (var, words) = editor_command(std::env::var_os("VISUAL"), std::env::var_os("EDITOR"));
    launch(var, &words, path)
}

/// The editor's program and arguments, and the variable they came from: the first of `VISUAL`
/// and `EDITOR` with a word in it, else `vi`.
fn editor_command(visual: Option<OsString>, editor: Option<OsString>) -> (&'static str, Vec<String>) {
    for (var, value) in [("$VISUAL", visual), ("$EDITOR", editor)] {
        let Some(value) = value else { continue };
        let value = value.to_string_lossy();
        let words: Vec<String> = value.split_whitespace().map(str::to_string).collect();
        if !words.is_empty() {
            return (var, words);
        }
    }
    ("the default", vec!["vi".to_string()])
}

/// Run the editor on `path` and wait for it; an editor that cannot start or exits with a
/// failure is an error.
fn launch(var: &'static str, words: &[String], path: &Path) -> Result<()> {
    let (program, rest) = words.split_first().expect("editor_command gives at least one word");
    let status = std::process::Command::new(program)
        .args(rest)
        .arg(path)
        .status()
        .map_err(|source| Error::EditorStart {
            program: program.clone(),
            var,
            source,
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::EditorFailed {
            program: program.clone(),
            status,
            path: path.to_path_buf(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visual_wins_then_editor_then_vi() {
        let (var, words) = editor_command(Some("code --wait".into()), Some("nano".into()));
        assert_eq!(
            (var, words),
            ("$VISUAL", vec!["code".to_string(), "--wait".to_string()])
        );
        let (var, words) = editor_command(Some("  ".into()), Some("nano -w".into()));
        assert_eq!((var, words), ("$EDITOR", vec!["nano".to_string(), "-w".to_string()]));
        assert_eq!(editor_command(None, None).1, vec!["vi".to_string()]);
    }
}
