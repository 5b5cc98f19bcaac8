//! Writing a contact file: [`write_atomic`] (an exclusively created temporary file renamed over
//! the old one, refused when the file changed since it was read) and [`write_new`] (never over
//! an existing file). The only functions of `edit` that touch the disk; both ask the vault's
//! [`Boundary`] first.

use std::io::Write as _;
use std::path::Path;

use crate::boundary::Boundary;
use crate::error::{Error, Result};

/// A new temporary file in `folder` for a write to the file named `name`: created exclusively
/// (`O_EXCL`, never opened through an existing path, so a link planted at a predictable name
/// cannot redirect the write) under a random name, hidden and ending in `.netvault-tmp` so the
/// vault walk and the watcher never read it as a contact. A name too long to take the
/// additions (file names stop at 255 bytes) is cut.
fn temp_file(folder: &Path, name: &std::ffi::OsStr) -> std::io::Result<tempfile::NamedTempFile> {
    const KEEP: usize = 180;
    let name = name.to_string_lossy();
    let mut cut = name.len().min(KEEP);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    tempfile::Builder::new()
        .prefix(&format!(".{}.", &name[..cut]))
        .suffix(".netvault-tmp")
        .tempfile_in(folder)
}

/// Set once any write to the vault has begun in this process: a command that failed after
/// that is never run again (see `run`'s recovery from a damaged index).
static WROTE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether this process has begun writing to the vault.
pub fn wrote_anything() -> bool {
    WROTE.load(std::sync::atomic::Ordering::SeqCst)
}

/// How long a write waits for another process's lock on the file before giving up.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Open the file at `path` and take an exclusive (advisory) lock on it, which the system
/// releases when the returned handle is dropped or the process dies. Two netvault processes
/// writing one file take turns here, so neither renames its version over the other's unseen.
/// When the file was replaced between the open and the lock (the other process renamed its new
/// version into place), the new file is locked instead. `None` where the file system has no
/// locks (some network file systems): the write goes ahead unguarded, as editors' writes do.
fn lock_file(path: &Path) -> Result<Option<std::fs::File>> {
    let start = std::time::Instant::now();
    loop {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        match file.try_lock() {
            Ok(()) if is_same_file(&file, path) => return Ok(Some(file)),
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < LOCK_WAIT => {
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::Edit {
                    path: path.to_path_buf(),
                    message: format!(
                        "another program has held a lock on the file for {} s; nothing was written, run the command again",
                        LOCK_WAIT.as_secs()
                    ),
                });
            }
            Err(std::fs::TryLockError::Error(_)) => return Ok(None),
        }
    }
}

/// Whether the open `file` is still the one `path` names.
#[cfg(unix)]
fn is_same_file(file: &std::fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Whether the open `file` is still the one `path` names (not knowable portably: assumed).
#[cfg(not(unix))]
fn is_same_file(_file: &std::fs::File, _path: &Path) -> bool {
    true
}

/// Replace the file at `path` with `new_text`, atomically, if it still holds `expected_old`.
///
/// `path` is checked against the vault's [`Boundary`] first: a file, or a folder on its way,
/// that is a link leading out of the vault is refused, and a link to a file inside the vault
/// is written at its target (the link stays a link). The file is locked ([`lock_file`]) and
/// re-read: when its bytes differ from `expected_old` (someone saved it since netvault read
/// it) nothing is written and the error says so. Otherwise the text goes to a new temporary
/// file in the same folder ([`temp_file`]), which is flushed, synced, given the original's
/// permissions and renamed over the original. Another netvault process writing the same file
/// waits for the lock, then finds the file changed; an editor's save landing between the
/// check and the rename (a few milliseconds) is not detected, as editors take no lock.
pub fn write_atomic(boundary: &Boundary, path: &Path, new_text: &str, expected_old: &[u8]) -> Result<()> {
    let path = &boundary.file_for_write(path)?;
    WROTE.store(true, std::sync::atomic::Ordering::SeqCst);
    let lock = lock_file(path)?;
    // Read through the locked handle: it is the file the path names (and on Windows, where
    // locks are mandatory, the only handle that may read it).
    let current = match lock.as_ref() {
        Some(mut file) => {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut file, &mut bytes).map(|_| bytes)
        }
        None => std::fs::read(path),
    }
    .map_err(|e| Error::io(path, e))?;
    if current != expected_old {
        return Err(Error::ChangedOnDisk(path.clone()));
    }
    let permissions = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.permissions();
    let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(Error::io(path, std::io::Error::other("not a file path")));
    };
    let write = || -> std::io::Result<()> {
        let mut tmp = temp_file(folder, name)?;
        tmp.write_all(new_text.as_bytes())?;
        tmp.flush()?;
        tmp.as_file().set_permissions(permissions)?;
        tmp.as_file().sync_all()?;
        // On failure the temporary file is removed when `persist`'s error is dropped.
        tmp.persist(path).map_err(|e| e.error)?;
        sync_parent(path);
        Ok(())
    };
    write().map_err(|e| Error::Write {
        path: path.clone(),
        source: e,
    })
}

/// Create the file at `path` with `text`; never replaces an existing file ([`Error::Exists`]),
/// never writes outside the vault ([`Boundary::file_for_write`]). The text goes to a new
/// temporary file first and is moved into place without replacing anything (tempfile's
/// `persist_noclobber`), so the file appears complete or not at all.
pub fn write_new(boundary: &Boundary, path: &Path, text: &str) -> Result<()> {
    let real = boundary.file_for_write(path)?;
    let fail = |e: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        source: e,
    };
    if std::fs::symlink_metadata(&real).is_ok() {
        return Err(Error::Exists(path.to_path_buf()));
    }
    let (Some(folder), Some(name)) = (real.parent(), real.file_name()) else {
        return Err(fail(std::io::Error::other("not a file path")));
    };
    WROTE.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut tmp = temp_file(folder, name).map_err(fail)?;
    tmp.write_all(text.as_bytes())
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(fail)?;
    match tmp.persist_noclobber(&real) {
        Ok(_) => {
            sync_parent(&real);
            Ok(())
        }
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::Exists(path.to_path_buf())),
        Err(e) => Err(fail(e.error)),
    }
}

/// Best effort: make the rename itself durable (Unix; a no-op where folders cannot be opened).
fn sync_parent(path: &Path) {
    if let Some(parent) = path.parent()
        && let Ok(dir) = std::fs::File::open(parent)
    {
        let _ = dir.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_atomic_replaces_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        let b = Boundary::new(dir.path()).unwrap();
        write_atomic(&b, &path, "new", b"old").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(only_file(dir.path()), "a.md", "no temporary file is left");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
        }
    }

    #[test]
    fn write_atomic_refuses_a_file_changed_since_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "as read").unwrap();
        let read = std::fs::read(&path).unwrap();
        // Someone saves the file between netvault's read and its write.
        std::fs::write(&path, "saved by the editor").unwrap();
        let b = Boundary::new(dir.path()).unwrap();
        let err = write_atomic(&b, &path, "netvault's edit", &read).unwrap_err();
        assert!(matches!(err, Error::ChangedOnDisk(_)), "{err}");
        assert!(err.to_string().contains("changed on disk"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "saved by the editor");
        assert_eq!(only_file(dir.path()), "a.md", "no temporary file is left");
    }

    #[test]
    fn write_new_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        let b = Boundary::new(dir.path()).unwrap();
        write_new(&b, &path, "one").unwrap();
        assert!(matches!(write_new(&b, &path, "two"), Err(Error::Exists(_))));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one");
        assert_eq!(only_file(dir.path()), "a.md", "no temporary file is left");
    }

    /// The one entry of `dir`, by name (panics when there are more or none).
    fn only_file(dir: &Path) -> String {
        let names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        names[0].clone()
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_a_temporary_name_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault");
        std::fs::create_dir(&vault).unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "outside").unwrap();
        // Every name the old code could have used, planted as a link to the victim.
        for tmp in [".a.md.netvault-tmp", ".a.md.0.netvault-tmp"] {
            std::os::unix::fs::symlink(&victim, vault.join(tmp)).unwrap();
        }
        let path = vault.join("a.md");
        std::fs::write(&path, "old").unwrap();
        let b = Boundary::new(&vault).unwrap();
        write_atomic(&b, &path, "new", b"old").unwrap();
        write_new(&b, &vault.join("b.md"), "bee").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "outside");
        assert!(!std::fs::symlink_metadata(&path).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(vault.join("b.md")).unwrap(), "bee");
    }
}
