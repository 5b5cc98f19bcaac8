//! Errors that stop a command (exit 2). Problems inside contact files are not errors but
//! [`crate::diagnostic::Diagnostic`]s.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no vault found: run `netvault init` in your notes folder, or pass --vault DIR (or set NETVAULT_VAULT)")]
    NoVault,
    #[error("the vault folder {} does not exist or is not a folder", .0.display())]
    VaultMissing(PathBuf),
    #[error(
        "cannot read the current folder ({0}); it may have been deleted or moved: `cd` to an existing folder and run the command again"
    )]
    WorkingDir(#[source] std::io::Error),
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Config { path: PathBuf, message: String },
    #[error("invalid glob {glob:?} in config.toml: {message}")]
    Glob { glob: String, message: String },
    #[error("the index at {} failed", path.display())]
    Index {
        path: PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error(
        "{} is a symbolic link; netvault never follows a link for {what} (a cloned vault can carry one that points anywhere): remove the link (`rm` it; the index is rebuilt from your files) and run the command again",
        path.display()
    )]
    Symlink { path: PathBuf, what: &'static str },
    #[error("refusing to write {}: {why}; netvault never writes outside the vault", path.display())]
    OutsideVault { path: PathBuf, why: String },
    #[error("{0}")]
    Usage(String),
    #[error("no contact matches {0:?}{1}")]
    NotFound(String, String),
    #[error("{0:?} matches several contacts: {1}; give the file path to choose one")]
    Ambiguous(String, String),
    #[error(
        "{name:?} is already a contact: {paths}; use `netvault show`, `log` or `edit` on it, or pass --force to add a namesake"
    )]
    Duplicate { name: String, paths: String },
    #[error("{} already exists; refusing to overwrite it", .0.display())]
    Exists(PathBuf),
    #[error("another `netvault watch` (pid {pid}) is already watching {}; stop it first (one watcher per vault)", root.display())]
    WatcherLive { root: PathBuf, pid: String },
    #[error(
        "the system's limit on watched folders was reached; raise it (Linux: `sudo sysctl fs.inotify.max_user_watches=524288`, and add that line to /etc/sysctl.conf to keep it) and start `netvault watch` again"
    )]
    WatchLimit,
    #[error("the vault folder {} disappeared; stopping the watcher", .0.display())]
    VaultGone(PathBuf),
    #[error("cannot watch the vault: {0}")]
    Watch(String),
    #[error("cannot import {}: {message}", path.display())]
    Import { path: PathBuf, message: String },
    #[error("cannot edit {}: {message}", path.display())]
    Edit { path: PathBuf, message: String },
    #[error("{} changed on disk since netvault read it; nothing was written, run the command again", .0.display())]
    ChangedOnDisk(PathBuf),
    #[error("cannot start the editor {program:?} (from {var}); set $VISUAL or $EDITOR to an editor on your PATH")]
    EditorStart {
        program: String,
        var: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("the editor {program:?} failed ({status}); {} was left as the editor saved it", path.display())]
    EditorFailed {
        program: String,
        status: std::process::ExitStatus,
        path: PathBuf,
    },
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The message with each of its causes once, as `error:` prints it (without the prefix).
    pub fn chain(&self) -> String {
        let mut message = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(s) = source {
            // Most messages already end with their source's words ("cannot read X: No such
            // file"): say each cause once.
            let cause = s.to_string();
            if !message.contains(&cause) {
                message.push_str("\n  caused by: ");
                message.push_str(&cause);
            }
            source = s.source();
        }
        message
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How a run ended; the process exit code (SPEC §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 0: done.
    Success,
    /// 1: the command ran and found problems (validation errors).
    Problems,
    /// 2: it could not run (usage, unreadable vault, bad config).
    Failure,
}

impl Outcome {
    pub fn code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::Problems => 1,
            Outcome::Failure => 2,
        }
    }
}
