//! Files netvault writes on request that are not contacts: every report's and export's
//! `--output`, and `watch --report-to`. What a careful user expects of `--output FILE`:
//! - inside the vault, [`crate::boundary::Boundary`] decides: never through a symbolic link that
//!   leads out of the vault (a link inside it is written at its target); outside the vault the
//!   user named the place, but FILE itself may not be a symbolic link;
//! - `--format html` writes only a name ending in `.html`/`.htm` and replaces only an earlier
//!   page; the other formats never replace a file that starts with front matter (a contact);
//! - the text goes to a hidden temporary file created exclusively next to FILE and renamed over
//!   it: a reader never sees half a file, and no planted link is written through.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

use super::Context;

/// What an existing `--output` file may be for a report to replace it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replaces {
    /// Only an earlier web page (`--format html`), and FILE must be named `.html`/`.htm`.
    Page,
    /// Anything but a contact file: a file that starts with front matter (`---`) is someone's
    /// notes, never a report to overwrite (`report --output Jane.md` is a typo).
    NotAContact,
}

/// Where a report may be written for `--output path`, checked (see the module's doc): the real
/// file. Every format's `--output` comes here.
pub fn output_file(ctx: &Context, path: &Path, replaces: Replaces) -> Result<PathBuf> {
    let refuse = |why: String| Error::Usage(format!("--output {}: {why}", path.display()));
    let html_name = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    if replaces == Replaces::Page && !html_name {
        return Err(refuse("name a file ending in .html (or .htm) for --format html".into()));
    }
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(refuse("it names no file".into()));
    };
    let real_parent = parent.canonicalize().map_err(|e| Error::io(parent, e))?;
    let vault = ctx.vault()?;
    let boundary = &vault.boundary;
    // Inside the vault as written (`..` taken lexically, links not followed), or where its
    // links lead: the boundary decides, and refuses a way out through a link.
    let written = lexical(path);
    let inside = [vault.root.as_path(), boundary.real_root()]
        .iter()
        .any(|root| written.starts_with(lexical(&ctx.cwd.join(root))))
        || real_parent.starts_with(boundary.real_root());
    let real = if inside {
        boundary.file_for_write(&written)?
    } else {
        let real = real_parent.join(name);
        if std::fs::symlink_metadata(&real).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(refuse("it is a symbolic link; name the file itself".into()));
        }
        real
    };
    match std::fs::symlink_metadata(&real) {
        Ok(meta) if !meta.is_file() => Err(refuse("it exists and is not a file".into())),
        Ok(_) if replaces == Replaces::Page && !holds_a_page(&real)? => Err(refuse(
            "it exists and is not a web page; netvault replaces only an earlier page (remove the file or choose another name)".into(),
        )),
        Ok(_) if replaces == Replaces::NotAContact && holds_front_matter(&real)? => Err(refuse(
            "it starts with front matter (---): a contact or a note, never replaced by a report (choose another name)".into(),
        )),
        Ok(_) => Ok(real),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(real),
        Err(e) => Err(Error::io(&real, e)),
    }
}

/// Whether the file starts like a web page: `<!DOCTYPE html` or `<html`, after a byte-order
/// mark and white space, in any case.
fn holds_a_page(path: &Path) -> Result<bool> {
    use std::io::Read as _;
    let mut head = [0u8; 512];
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let n = file.read(&mut head).map_err(|e| Error::io(path, e))?;
    let text = String::from_utf8_lossy(&head[..n]);
    let text = text.trim_start_matches('\u{feff}').trim_start().to_ascii_lowercase();
    Ok(text.starts_with("<!doctype html") || text.starts_with("<html"))
}

/// Whether the file starts with a front-matter line `---` (after a byte-order mark).
fn holds_front_matter(path: &Path) -> Result<bool> {
    use std::io::Read as _;
    let mut head = [0u8; 8];
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let n = file.read(&mut head).map_err(|e| Error::io(path, e))?;
    let head = head[..n].strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head[..n]);
    Ok(head.starts_with(b"---\n") || head.starts_with(b"---\r\n"))
}

/// `path` with `.` and `..` resolved by their names alone (no link followed).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Replace the derived file `path` (a report, never a contact file: those go through
/// [`crate::edit`]) with `text`: written to a hidden temporary file created exclusively, under a
/// random name, next to it — so never through a planted link — and renamed over it, so a
/// reader never sees half a file. A replaced file keeps its permissions; a new one is readable
/// by its owner only (it holds names and notes).
pub fn replace_file(path: &Path, text: &str) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let folder = path.parent().unwrap_or(Path::new("."));
    tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".netvault-tmp")
        .tempfile_in(folder)
        .and_then(|mut tmp| {
            std::io::Write::write_all(&mut tmp, text.as_bytes())?;
            if let Ok(meta) = std::fs::metadata(path) {
                tmp.as_file().set_permissions(meta.permissions())?;
            }
            tmp.persist(path).map(|_| ()).map_err(|e| e.error)
        })
        .map_err(|e| Error::Write {
            path: path.to_path_buf(),
            source: e,
        })
}
