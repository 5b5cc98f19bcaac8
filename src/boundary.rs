//! The one place that decides whether a path is inside the vault (SPEC §2, §9).
//!
//! A vault is cloned from elsewhere, so every path in it is hostile: a folder, a contact file, a
//! temporary file's name, `.netvault` or `.netvault/index` can be a symbolic link to anywhere.
//! netvault reads through a link only while it resolves to a place inside the vault, and never
//! writes, creates, chmods or deletes through one that leads out. Every write, folder creation
//! and watch event asks [`Boundary`]; the metadata folder and the index folder are checked by
//! [`meta_dir`] and [`default_index_dir`], which refuse a link outright.
//!
//! The checks resolve every symlink of the path (`canonicalize`) and compare the result with
//! the vault's real root, component-wise. What they cannot rule out is a process racing the
//! check with a new link; the threat they stop is the link that is already there (cloned,
//! synced, or created while `watch` runs).

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};
use crate::vault::META_DIR;

/// The vault's real location, and the checks made against it.
#[derive(Debug, Clone)]
pub struct Boundary {
    /// The root as the user named it.
    root: PathBuf,
    /// The root with every symlink resolved.
    real_root: PathBuf,
}

impl Boundary {
    pub fn new(root: &Path) -> Result<Self> {
        let real_root = root.canonicalize().map_err(|e| Error::io(root, e))?;
        Ok(Self {
            root: root.to_path_buf(),
            real_root,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn real_root(&self) -> &Path {
        &self.real_root
    }

    /// The real path of an existing `path` (every symlink resolved) when it lies inside the
    /// vault; `None` when it leads out, does not exist, or cannot be resolved.
    pub fn contains(&self, path: &Path) -> Option<PathBuf> {
        let real = path.canonicalize().ok()?;
        real.starts_with(&self.real_root).then_some(real)
    }

    /// Where a write to the file `path` (existing or not) really lands, checked: its folder
    /// resolves to a place inside the vault, and when the file exists it is a regular file —
    /// or a link to one inside the vault, in which case the link's target is returned, so the
    /// write replaces the target and keeps the link. Anything else is refused.
    pub fn file_for_write(&self, path: &Path) -> Result<PathBuf> {
        let refuse = |why: &str| Error::OutsideVault {
            path: path.to_path_buf(),
            why: why.to_string(),
        };
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            return Err(refuse("it names no file"));
        };
        let real_parent = parent.canonicalize().map_err(|e| Error::io(parent, e))?;
        if !real_parent.starts_with(&self.real_root) {
            return Err(refuse("its folder leads out of the vault through a symbolic link"));
        }
        let real = real_parent.join(name);
        match std::fs::symlink_metadata(&real) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = self
                    .contains(&real)
                    .ok_or_else(|| refuse("it is a symbolic link that leads out of the vault"))?;
                match std::fs::symlink_metadata(&target) {
                    Ok(meta) if meta.is_file() => Ok(target),
                    _ => Err(refuse("it is a symbolic link to something that is not a file")),
                }
            }
            Ok(meta) if meta.is_file() => Ok(real),
            Ok(_) => Err(refuse("it is not a regular file")),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(real),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// Create the folder `rel` (relative to the root, no `..`) and its missing parents, one
    /// component at a time: an existing component may be a link only to a folder inside the
    /// vault, and nothing is created before that is known. Returns the folder's real path.
    pub fn create_dir(&self, rel: &Path) -> Result<PathBuf> {
        let mut here = self.real_root.clone();
        for component in rel.components() {
            let name = match component {
                Component::Normal(name) => name,
                Component::CurDir => continue,
                _ => {
                    return Err(Error::OutsideVault {
                        path: self.root.join(rel),
                        why: "the folder must be a relative path inside the vault, without `..`".into(),
                    });
                }
            };
            let next = here.join(name);
            match std::fs::symlink_metadata(&next) {
                Ok(meta) if meta.file_type().is_symlink() || meta.is_dir() => {
                    here = self.contains(&next).ok_or_else(|| Error::OutsideVault {
                        path: self.root.join(rel),
                        why: format!("{} is a symbolic link that leads out of the vault", next.display()),
                    })?;
                    if !here.is_dir() {
                        return Err(Error::OutsideVault {
                            path: self.root.join(rel),
                            why: format!("{} is not a folder", next.display()),
                        });
                    }
                }
                Ok(_) => {
                    return Err(Error::OutsideVault {
                        path: self.root.join(rel),
                        why: format!("{} is a file, not a folder", next.display()),
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    // `create_dir`, not `create_dir_all`: this component only, which cannot
                    // be a link (it did not exist), inside a folder already checked.
                    match std::fs::create_dir(&next) {
                        Ok(()) => here = next,
                        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                            // Created meanwhile by someone else: check it like any other.
                            here = self
                                .contains(&next)
                                .filter(|p| p.is_dir())
                                .ok_or_else(|| Error::OutsideVault {
                                    path: self.root.join(rel),
                                    why: format!("{} appeared as something other than a folder", next.display()),
                                })?;
                        }
                        Err(e) => return Err(Error::Write { path: next, source: e }),
                    }
                }
                Err(e) => return Err(Error::io(next, e)),
            }
        }
        Ok(here)
    }
}

/// Refuse `path` when it is a symbolic link (`what` says what netvault wanted it for).
fn refuse_link(path: &Path, what: &'static str) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(Error::Symlink {
            path: path.to_path_buf(),
            what,
        }),
        _ => Ok(()),
    }
}

/// The vault's `.netvault` folder, refused when it is a symbolic link (a cloned vault can
/// carry one that points anywhere: its config, index and locks would live there).
pub fn meta_dir(root: &Path) -> Result<PathBuf> {
    let meta = root.join(META_DIR);
    refuse_link(&meta, "the vault's settings and index")?;
    Ok(meta)
}

/// `.netvault/index`, refused when it or `.netvault` is a symbolic link: rebuilding an index
/// deletes what the folder holds, and through a link that could be anything.
pub fn default_index_dir(root: &Path) -> Result<PathBuf> {
    let dir = meta_dir(root)?.join("index");
    refuse_link(&dir, "the search index")?;
    Ok(dir)
}

/// A file inside a folder netvault owns (`.netvault/watch.lock`, the index's lock), refused
/// when it is a symbolic link.
pub fn own_file(path: &Path, what: &'static str) -> Result<()> {
    refuse_link(path, what)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn scratch() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(vault.join("people")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.md"), "secret").unwrap();
        (dir, vault, outside)
    }

    #[test]
    fn a_write_through_a_link_out_is_refused() {
        let (_dir, vault, outside) = scratch();
        let b = Boundary::new(&vault).unwrap();
        symlink(outside.join("secret.md"), vault.join("people/pw.md")).unwrap();
        symlink(&outside, vault.join("people/ext")).unwrap();
        assert!(matches!(
            b.file_for_write(&vault.join("people/pw.md")),
            Err(Error::OutsideVault { .. })
        ));
        assert!(matches!(
            b.file_for_write(&vault.join("people/ext/new.md")),
            Err(Error::OutsideVault { .. })
        ));
        assert!(b.contains(&vault.join("people/pw.md")).is_none());
    }

    #[test]
    fn a_link_inside_the_vault_is_written_at_its_target() {
        let (_dir, vault, _outside) = scratch();
        let b = Boundary::new(&vault).unwrap();
        std::fs::write(vault.join("people/Jane.md"), "x").unwrap();
        symlink("Jane.md", vault.join("people/JD.md")).unwrap();
        let real = b.file_for_write(&vault.join("people/JD.md")).unwrap();
        assert_eq!(real, b.real_root().join("people/Jane.md"));
        let new = b.file_for_write(&vault.join("people/New.md")).unwrap();
        assert_eq!(new, b.real_root().join("people/New.md"));
    }

    #[test]
    fn folders_are_created_only_inside() {
        let (_dir, vault, outside) = scratch();
        let b = Boundary::new(&vault).unwrap();
        symlink(&outside, vault.join("ext")).unwrap();
        assert!(b.create_dir(Path::new("ext/sub/deeper")).is_err());
        assert!(!outside.join("sub").exists(), "nothing is created outside the vault");
        assert!(b.create_dir(Path::new("../escape")).is_err());
        let made = b.create_dir(Path::new("a/b/c")).unwrap();
        assert_eq!(made, b.real_root().join("a/b/c"));
        assert!(made.is_dir());
        symlink("a/b", vault.join("inner")).unwrap();
        assert_eq!(b.create_dir(Path::new("inner/d")).unwrap(), b.real_root().join("a/b/d"));
    }

    #[test]
    fn meta_and_index_links_are_refused() {
        let (_dir, vault, outside) = scratch();
        std::fs::create_dir_all(vault.join(".netvault")).unwrap();
        symlink(&outside, vault.join(".netvault/index")).unwrap();
        assert!(matches!(default_index_dir(&vault), Err(Error::Symlink { .. })));
        std::fs::remove_dir_all(vault.join(".netvault")).unwrap();
        symlink(&outside, vault.join(".netvault")).unwrap();
        assert!(matches!(meta_dir(&vault), Err(Error::Symlink { .. })));
        assert!(matches!(default_index_dir(&vault), Err(Error::Symlink { .. })));
    }
}
