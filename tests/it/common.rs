//! A sandbox for driving the real `netvault` binary: a vault in a temporary folder, built file by
//! file, and runs of the binary against it with a cleared environment and a fixed *today*.
//!
//! Every run injects `--color never` and `--today` (2026-11-27 unless changed), and `run`
//! also injects `--vault <tmp>`, so outputs are reproducible on any machine and any day.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// The date every test pretends is today, unless it says otherwise.
pub const TODAY: &str = "2026-11-27";

/// What one run of the binary produced.
#[derive(Debug, Clone)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    /// The exit code (-1 when the process was killed by a signal).
    pub code: i32,
}

impl Output {
    /// The standard output parsed as JSON; panics with both streams when it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{self}"))
    }

    /// Exit code and both streams, for snapshots and failure messages.
    pub fn transcript(&self) -> String {
        format!(
            "exit code: {}\n----- stdout -----\n{}----- stderr -----\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl std::fmt::Display for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.transcript())
    }
}

/// The binary with nothing inherited from the caller's environment but `PATH`, and no colour.
pub fn netvault() -> Command {
    let mut cmd = Command::cargo_bin("netvault").expect("the netvault binary is built");
    cmd.env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    cmd.arg("--color").arg("never");
    cmd
}

/// Run a prepared command and collect its output.
pub fn output(cmd: &mut Command) -> Output {
    Output::from(cmd.output().expect("the netvault binary runs"))
}

/// Run a prepared command that must finish within `limit`: a hang fails the test.
pub fn output_within(cmd: &mut Command, limit: std::time::Duration) -> Output {
    let out = cmd
        .timeout(limit)
        .output()
        .unwrap_or_else(|e| panic!("netvault did not finish within {limit:?} ({e})"));
    Output::from(out)
}

impl From<std::process::Output> for Output {
    fn from(out: std::process::Output) -> Self {
        Self {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            code: out.status.code().unwrap_or(-1),
        }
    }
}

/// A vault in a temporary folder, deleted when dropped.
pub struct TestVault {
    dir: TempDir,
    today: String,
}

impl Default for TestVault {
    fn default() -> Self {
        Self::new()
    }
}

/// The binary where `nobody` can run it: the build folder may sit under a home folder only its
/// owner may enter (CI's clone can), so it is copied once into a folder everyone can read.
#[cfg(unix)]
fn binary_for_nobody() -> &'static std::path::Path {
    use std::os::unix::fs::PermissionsExt as _;
    static COPY: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    let (_, path) = COPY.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let path = dir.path().join("netvault");
        std::fs::copy(assert_cmd::cargo::cargo_bin("netvault"), &path).expect("copy the binary");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        (dir, path)
    });
    path
}

impl TestVault {
    /// An empty folder (no `.netvault/`: any folder is a vault with `--vault`).
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("a temporary folder"),
            today: TODAY.to_string(),
        }
    }

    /// Write `contents` to `path` (relative to the vault root), creating folders.
    #[must_use]
    pub fn file(self, path: &str, contents: impl AsRef<[u8]>) -> Self {
        let full = self.dir.path().join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("create the file's folder");
        }
        std::fs::write(&full, contents).expect("write the file");
        self
    }

    /// Write `.netvault/config.toml`.
    #[must_use]
    pub fn config(self, toml: &str) -> Self {
        self.file(".netvault/config.toml", toml)
    }

    /// Create an empty folder (relative to the vault root).
    #[must_use]
    pub fn dir(self, path: &str) -> Self {
        std::fs::create_dir_all(self.dir.path().join(path)).expect("create the folder");
        self
    }

    /// Pretend today is `date` in every later run.
    #[must_use]
    pub fn today(mut self, date: &str) -> Self {
        self.today = date.to_string();
        self
    }

    /// The vault root.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// An absolute path inside the vault.
    pub fn join(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// The binary with the environment cleared, `--color never` and `--today`, run from the
    /// vault root, but without `--vault`: for tests of vault discovery.
    pub fn command(&self) -> Command {
        let mut cmd = netvault();
        cmd.arg("--today").arg(&self.today).current_dir(self.dir.path());
        cmd
    }

    /// Run `netvault --color never --today <today> --vault <tmp> ARGS...` from the vault root.
    pub fn run(&self, args: &[&str]) -> Output {
        output(self.command().arg("--vault").arg(self.dir.path()).args(args))
    }

    /// `run`, but as the unprivileged user `nobody` when the tests run as root (as CI does):
    /// root reads a file whose mode is 000 and writes into a folder whose mode is 555, so tests
    /// of permissions would prove nothing. Uses `setpriv` (util-linux); when the tests run as
    /// root and it is missing, the test fails rather than skip its assertions.
    #[cfg(unix)]
    pub fn run_unprivileged(&self, args: &[&str]) -> Output {
        use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
        let is_root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
        if !is_root {
            return self.run(args);
        }
        // `nobody` must reach the vault: the temporary folder is made traversable.
        let root_mode = std::fs::metadata(self.dir.path()).unwrap().permissions().mode();
        if root_mode & 0o005 != 0o005 {
            std::fs::set_permissions(self.dir.path(), std::fs::Permissions::from_mode(root_mode | 0o055)).unwrap();
        }
        let mut cmd = std::process::Command::new("setpriv");
        cmd.env_clear();
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(binary_for_nobody())
            .args(["--color", "never", "--today", &self.today, "--vault"])
            .arg(self.dir.path())
            .args(args)
            .current_dir("/");
        let out = cmd
            .output()
            .unwrap_or_else(|e| panic!("running as root, the test needs `setpriv` to drop privileges: {e}"));
        assert!(
            !String::from_utf8_lossy(&out.stderr).starts_with("setpriv:"),
            "setpriv failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Output::from(out)
    }

    /// `run`, then parse stdout as JSON.
    pub fn json(&self, args: &[&str]) -> (Output, Value) {
        let out = self.run(args);
        let value = out.json();
        (out, value)
    }

    /// Settings that replace this vault's temporary path by `[VAULT]` in snapshots.
    pub fn insta_settings(&self) -> insta::Settings {
        let mut settings = insta::Settings::clone_current();
        let mut paths = vec![self.dir.path().display().to_string()];
        if let Ok(canonical) = self.dir.path().canonicalize() {
            paths.push(canonical.display().to_string());
        }
        for path in paths {
            settings.add_filter(&regex_escape(&path), "[VAULT]");
        }
        settings
    }
}

/// Escape regex metacharacters so that a path is matched literally by insta's filters.
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A small deterministic generator (xorshift): the same bytes and vaults every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap()
    }
}
