//! The vault on disk: finding its root, reading its config, walking its contact files, and
//! resolving a NAME to a contact.
//!
//! Reading is parallel (rayon) and never stops at a bad file: each file's problems travel with
//! it as diagnostics. This module never writes.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::VaultConfig;
use crate::contact::{self, Contact, Parsed};
use crate::diagnostic::{Code, Diagnostic};
use crate::error::{Error, Result};

pub const META_DIR: &str = ".netvault";

/// Where the vault is: `--vault`, else `NETVAULT_VAULT` (both arrive as `explicit`), else the
/// nearest ancestor of `cwd` holding `.netvault/`.
pub fn find_root(explicit: Option<&Path>, cwd: &Path) -> Result<PathBuf> {
    if let Some(dir) = explicit {
        let dir = if dir.is_absolute() {
            dir.to_path_buf()
        } else {
            cwd.join(dir)
        };
        if !dir.is_dir() {
            return Err(Error::VaultMissing(dir));
        }
        return Ok(dir);
    }
    cwd.ancestors()
        .find(|d| d.join(META_DIR).is_dir())
        .map(Path::to_path_buf)
        .ok_or(Error::NoVault)
}

/// Read `.netvault/config.toml`, or the defaults when there is none.
pub fn load_config(root: &Path) -> Result<VaultConfig> {
    let path = root.join(META_DIR).join("config.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) => VaultConfig::parse(&text).map_err(|e| Error::Config {
            path,
            message: e.message,
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(VaultConfig::default()),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// A contact file found by the walk, with what `stat` said (for change detection).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// Vault-relative, `/`-separated.
    pub rel: String,
    pub abs: PathBuf,
    pub size: u64,
    /// Modification time in nanoseconds since the epoch (0 if unknown).
    pub mtime_ns: i128,
}

/// The result of walking the vault: candidate files and paths that could not be read.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<FileEntry>,
    pub problems: Vec<Diagnostic>,
}

fn globset(globs: &[String]) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        let g = Glob::new(glob).map_err(|e| Error::Glob {
            glob: glob.clone(),
            message: e.kind().to_string(),
        })?;
        builder.add(g);
    }
    builder.build().map_err(|e| Error::Glob {
        glob: globs.join(", "),
        message: e.to_string(),
    })
}

/// Decides which vault-relative paths are contact files (SPEC §2).
pub struct Selector {
    include: GlobSet,
    exclude: GlobSet,
}

impl Selector {
    pub fn new(config: &VaultConfig) -> Result<Self> {
        Ok(Self {
            include: globset(&config.include)?,
            exclude: globset(&config.exclude)?,
        })
    }

    /// `rel` is `/`-separated and relative to the root.
    pub fn selects(&self, rel: &str) -> bool {
        let hidden = rel.split('/').any(|part| part.starts_with('.'));
        let md = Path::new(rel).extension().is_some_and(|e| e.eq_ignore_ascii_case("md"));
        md && !hidden && self.include.is_match(rel) && !self.exclude.is_match(rel)
    }
}

/// Vault-relative `/` path of `path` under `root`.
pub fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    if std::path::MAIN_SEPARATOR == '/' {
        return Some(rel.to_string_lossy().into_owned());
    }
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// Walk the vault: hidden folders are skipped, symlinks are followed only while they stay inside
/// the vault, and unreadable paths become `unreadable` diagnostics.
pub fn walk(root: &Path, selector: &Selector) -> Walk {
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut out = Walk::default();
    let walker = WalkDir::new(root).follow_links(true).into_iter().filter_entry(|entry| {
        if entry.depth() == 0 {
            return true;
        }
        if entry.file_name().to_string_lossy().starts_with('.') {
            return false;
        }
        if entry.path_is_symlink() {
            // Never follow a link out of the vault.
            return entry
                .path()
                .canonicalize()
                .is_ok_and(|target| target.starts_with(&canonical_root));
        }
        true
    });
    for item in walker {
        match item {
            Ok(entry) => {
                if !entry.file_type().is_file() {
                    continue;
                }
                let Some(rel) = relative(root, entry.path()) else {
                    continue;
                };
                if !selector.selects(&rel) {
                    continue;
                }
                // Stat later, in parallel: the walk itself needs no stat (readdir gives the type).
                out.files.push(FileEntry {
                    rel,
                    abs: entry.into_path(),
                    size: 0,
                    mtime_ns: 0,
                });
            }
            Err(err) => {
                let path = err.path().map(Path::to_path_buf).unwrap_or_default();
                let rel = relative(root, &path).unwrap_or_else(|| path.display().to_string());
                let message = if err.loop_ancestor().is_some() {
                    "this symlink loops back to one of its parent folders; it is skipped".to_string()
                } else {
                    format!(
                        "cannot read this path: {}",
                        err.io_error().map_or_else(|| err.to_string(), ToString::to_string)
                    )
                };
                let mut d = Diagnostic::new(
                    Code::Unreadable,
                    1,
                    1,
                    message,
                    "fix the permissions or remove the link; the other files are read as usual",
                );
                d.path = rel;
                out.problems.push(d);
            }
        }
    }
    // The stat calls dominate a walk of a large vault; on two cores, two at a time halve it.
    out.files.par_iter_mut().for_each(|file| {
        if let Ok(meta) = std::fs::metadata(&file.abs) {
            file.size = meta.len();
            file.mtime_ns = mtime_ns(&meta);
        }
    });
    out.files.par_sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
    out
}

pub fn mtime_ns(meta: &std::fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| i128::try_from(d.as_nanos()).unwrap_or(0))
}

/// Read and parse files in parallel, keeping the walk's order.
pub fn read_all(files: &[FileEntry], config: &VaultConfig) -> Vec<Parsed> {
    files.par_iter().map(|f| read_one(f, config)).collect()
}

/// Read one file; an I/O failure is an `unreadable` diagnostic.
pub fn read_one(file: &FileEntry, config: &VaultConfig) -> Parsed {
    match std::fs::read(&file.abs) {
        Ok(bytes) => contact::parse_file(&file.rel, &bytes, &config.fields),
        Err(e) => {
            let mut d = Diagnostic::new(
                Code::Unreadable,
                1,
                1,
                format!("cannot read this file: {e}"),
                "check the file's permissions",
            );
            d.path.clone_from(&file.rel);
            Parsed {
                path: file.rel.clone(),
                contact: None,
                diagnostics: vec![d],
            }
        }
    }
}

/// A loaded vault: every contact file parsed.
pub struct Vault {
    pub root: PathBuf,
    pub config: VaultConfig,
    pub files: Vec<Parsed>,
    /// Walk-level problems (unreadable paths, loops).
    pub problems: Vec<Diagnostic>,
}

impl Vault {
    pub fn load(root: &Path) -> Result<Self> {
        let config = load_config(root)?;
        let selector = Selector::new(&config)?;
        let walk = walk(root, &selector);
        let files = read_all(&walk.files, &config);
        Ok(Self {
            root: root.to_path_buf(),
            config,
            files,
            problems: walk.problems,
        })
    }

    pub fn contacts(&self) -> impl Iterator<Item = &Contact> {
        self.files.iter().filter_map(|p| p.contact.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selector_follows_spec_defaults() {
        let s = Selector::new(&VaultConfig::default()).unwrap();
        assert!(s.selects("Jane.md"));
        assert!(s.selects("people/deep/Jane.md"));
        assert!(!s.selects("README.md"));
        assert!(s.selects("people/README.md"));
        assert!(!s.selects("templates/Person.md"));
        assert!(!s.selects(".obsidian/x.md"));
        assert!(!s.selects("people/.hidden.md"));
        assert!(!s.selects("notes.txt"));
    }

    #[test]
    fn include_narrows() {
        let config = VaultConfig {
            include: vec!["People/**".into()],
            ..VaultConfig::default()
        };
        let s = Selector::new(&config).unwrap();
        assert!(s.selects("People/a.md"));
        assert!(!s.selects("Journal/a.md"));
    }
}
