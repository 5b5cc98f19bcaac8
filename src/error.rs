//! Errors that stop a command (exit 2). Problems inside contact files are not errors but
//! [`crate::diagnostic::Diagnostic`]s.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no vault found: run `netvault init` in your notes folder, or pass --vault DIR (or set NETVAULT_VAULT)")]
    NoVault,
    #[error("the vault folder {} does not exist or is not a folder", .0.display())]
    VaultMissing(PathBuf),
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
    #[error("the index at {} failed: {message}; delete that folder to rebuild it from your files", path.display())]
    Index { path: PathBuf, message: String },
    #[error("{0}")]
    Usage(String),
    #[error("no contact matches {0:?}{1}")]
    NotFound(String, String),
    #[error("{0:?} matches several contacts: {1}; give the file path to choose one")]
    Ambiguous(String, String),
    #[error("{} already exists; refusing to overwrite it", .0.display())]
    Exists(PathBuf),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
