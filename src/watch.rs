//! `netvault watch`'s engine (SPEC §7): the one-watcher-per-vault lock, notify events turned
//! into batches of paths, and a batch applied to the index with one commit.
//!
//! A batch is decided by the file system, not by the events: every path an event names (both
//! sides of a rename) is stat'ed once the debouncer hands the batch over; a present file is
//! re-read and upserted (unless its size and mtime are what the index holds), an absent one is
//! deleted. So editors' save dances (vim's backup rename, `VS Code`'s truncate-then-write,
//! `JetBrains`' temp file renamed over the original, emacs' lock symlinks) end as the right
//! index whatever order the events came in, and an event overflow is answered by the same code
//! fed with a full walk. An empty file is a file: it is upserted (it has no front matter),
//! never taken for a deleted contact.
//!
//! Diagnostics in watch are the per-file rules: what parsing finds plus `bad-email`,
//! `future-log-entry` and `missing-field`. The vault-wide rules (`broken-link`,
//! `duplicate-contact`) need every file and are left to `netvault validate`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use jiff::civil::Date;
use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, RecommendedCache, new_debouncer_opt};
use rayon::prelude::*;

use crate::boundary::{self, Boundary};
use crate::config::VaultConfig;
use crate::contact::{self, Parsed};
use crate::diagnostic::{Code, Diagnostic};
use crate::error::{Error, Result};
use crate::index::{Index, Updater};
use crate::vault::{self, FileEntry, META_DIR, Selector, Walk};

/// The lock file, inside `.netvault/`.
pub const LOCK_FILE: &str = "watch.lock";

/// How long the debouncer waits after a path's last event before handing the batch over.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

fn lock_path(root: &Path) -> PathBuf {
    root.join(META_DIR).join(LOCK_FILE)
}

/// True when a `netvault watch` process holds the vault's lock: other commands then trust the
/// index instead of walking the vault. A lock file left by a dead process holds no OS lock.
pub fn watcher_is_live(root: &Path) -> bool {
    let Ok(file) = File::open(lock_path(root)) else {
        return false;
    };
    // A shared lock fails only while someone holds the exclusive one; dropping the file
    // releases ours at once.
    matches!(file.try_lock_shared(), Err(TryLockError::WouldBlock))
}

/// The exclusive lock on `.netvault/watch.lock`, held for the watcher's lifetime; it holds the
/// watcher's pid for the message a second watcher prints.
pub struct WatchLock {
    _file: File,
}

impl WatchLock {
    /// Take the lock, or fail with [`Error::WatcherLive`] naming the live watcher's pid.
    pub fn acquire(root: &Path) -> Result<Self> {
        let path = lock_path(root);
        let dir = boundary::meta_dir(root)?;
        std::fs::create_dir_all(&dir).map_err(|e| Error::Write { path: dir, source: e })?;
        // Opened for writing (the pid goes in): never through a link planted at its name.
        boundary::own_file(&path, "the watcher's lock")?;
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::Write {
                path: path.clone(),
                source: e,
            })?;
        // `watcher_is_live` holds a shared lock for an instant: retry briefly before
        // concluding another watcher is live.
        let mut attempts = 0;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if attempts < 5 => {
                    attempts += 1;
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(TryLockError::WouldBlock) => {
                    let mut pid = String::new();
                    let _ = file.read_to_string(&mut pid);
                    let pid = pid.trim();
                    return Err(Error::WatcherLive {
                        root: root.to_path_buf(),
                        pid: if pid.is_empty() { "unknown".into() } else { pid.into() },
                    });
                }
                Err(TryLockError::Error(e)) => return Err(Error::Write { path, source: e }),
            }
        }
        file.set_len(0)
            .and_then(|()| writeln!(file, "{}", std::process::id()))
            .map_err(|e| Error::Write { path, source: e })?;
        Ok(Self { _file: file })
    }
}

/// What the main loop receives: from the debouncer, or from the signal handler.
pub enum Message {
    Batch(Batch),
    /// The kernel's limit on watches (inotify's `max_user_watches`) was reached.
    TooManyWatches,
    /// Other watcher errors, as text; answered with a full rescan.
    Errors(Vec<String>),
    /// SIGINT or SIGTERM.
    Stop,
}

/// The paths of one debounced batch of events.
#[derive(Debug, Default)]
pub struct Batch {
    pub paths: BTreeSet<PathBuf>,
    /// Renames the debouncer paired: (from, to).
    pub renames: Vec<(PathBuf, PathBuf)>,
    /// Events were lost (queue overflow): only a full walk-and-diff is safe.
    pub rescan: bool,
}

impl Batch {
    /// Fold a later batch into this one.
    pub fn merge(&mut self, other: Batch) {
        self.paths.extend(other.paths);
        self.renames.extend(other.renames);
        self.rescan |= other.rescan;
    }
}

/// The running file-system watch; dropping it stops the watch.
pub struct Watch {
    _debouncer: notify_debouncer_full::Debouncer<WritesOnly, RecommendedCache>,
}

/// The platform's watcher, with reads dropped before they reach the debouncer. notify 8 asks
/// inotify for every `open` (`IN_OPEN`, not configurable before notify 9): a `grep` over a
/// 100,000-file vault, or netvault's own `validate`, sends 100,000 events. Dropped here, they
/// cost the watcher 0.3 s of CPU per such scan instead of 0.7 s (measured); the kernel's share,
/// paid by the program that opens the files, stays until notify 9's `with_event_kinds`.
pub struct WritesOnly(notify::RecommendedWatcher);

/// A read: an open, a read, a close without writing. Nothing changed.
fn is_read(event: &notify::Event) -> bool {
    matches!(event.kind, EventKind::Access(kind) if kind != AccessKind::Close(AccessMode::Write))
        && !event.need_rescan()
}

impl notify::Watcher for WritesOnly {
    fn new<F: notify::EventHandler>(mut event_handler: F, config: notify::Config) -> notify::Result<Self> {
        let filtered = move |event: notify::Result<notify::Event>| {
            if !event.as_ref().is_ok_and(is_read) {
                event_handler.handle_event(event);
            }
        };
        notify::RecommendedWatcher::new(filtered, config).map(WritesOnly)
    }

    fn watch(&mut self, path: &Path, recursive_mode: RecursiveMode) -> notify::Result<()> {
        self.0.watch(path, recursive_mode)
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        self.0.unwatch(path)
    }

    fn configure(&mut self, option: notify::Config) -> notify::Result<bool> {
        self.0.configure(option)
    }

    fn kind() -> notify::WatcherKind {
        notify::RecommendedWatcher::kind()
    }
}

/// Watch `root` recursively, sending each debounced batch to `tx`.
pub fn start(root: &Path, tx: Sender<Message>) -> Result<Watch> {
    let mut debouncer = new_debouncer_opt::<_, WritesOnly, _>(
        DEBOUNCE,
        None,
        move |result: DebounceEventResult| {
            let _ = tx.send(to_message(result));
        },
        RecommendedCache::new(),
        notify::Config::default(),
    )
    .map_err(|e| watch_error(&e))?;
    debouncer
        .watch(root, RecursiveMode::Recursive)
        .map_err(|e| watch_error(&e))?;
    Ok(Watch { _debouncer: debouncer })
}

fn watch_error(e: &notify::Error) -> Error {
    match e.kind {
        notify::ErrorKind::MaxFilesWatch => Error::WatchLimit,
        _ => Error::Watch(e.to_string()),
    }
}

fn to_message(result: DebounceEventResult) -> Message {
    match result {
        Ok(events) => {
            let mut batch = Batch::default();
            for event in events {
                batch.rescan |= event.need_rescan();
                // Reads never get here (`WritesOnly`); kept as a guard for watchers that send
                // them another way. A closed writer is kept, whatever else was seen of it.
                if is_read(&event) {
                    continue;
                }
                if matches!(event.kind, EventKind::Modify(ModifyKind::Name(RenameMode::Both)))
                    && let [from, to] = event.paths.as_slice()
                {
                    batch.renames.push((from.clone(), to.clone()));
                }
                batch.paths.extend(event.paths.iter().cloned());
            }
            Message::Batch(batch)
        }
        Err(errors) => {
            if errors
                .iter()
                .any(|e| matches!(e.kind, notify::ErrorKind::MaxFilesWatch))
            {
                Message::TooManyWatches
            } else {
                Message::Errors(errors.iter().map(ToString::to_string).collect())
            }
        }
    }
}

/// Editors' swap, backup, lock and temp files (vim, emacs, `JetBrains`): never indexed, even
/// where the globs would take them.
pub fn is_editor_temp(name: &str) -> bool {
    name == "4913"
        || name.ends_with('~')
        || Path::new(name)
            .extension()
            .is_some_and(|ext| ["swp", "swo", "swx"].iter().any(|s| ext.eq_ignore_ascii_case(s)))
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
}

/// What happened to one file in a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Updated,
    Removed,
    Renamed { from: String },
}

/// One applied change, with the file's diagnostics that are new and those that are gone.
#[derive(Debug, Clone)]
pub struct Change {
    pub kind: ChangeKind,
    pub path: String,
    pub new: Vec<Diagnostic>,
    pub fixed: Vec<Diagnostic>,
}

/// The watcher's memory of the vault: what the index holds (path → size, mtime) and each
/// file's current per-file diagnostics (for "fixed").
pub struct State {
    root: PathBuf,
    /// Events name paths; only those that resolve inside the vault are read.
    boundary: Boundary,
    config: VaultConfig,
    selector: Selector,
    /// The `--report-to` file when it is inside the vault: never indexed.
    report_rel: Option<String>,
    known: BTreeMap<String, (u64, i64)>,
    diagnostics: HashMap<String, Vec<Diagnostic>>,
    pub today: Date,
}

impl State {
    /// The state after the initial sync: the index's files, and every file's diagnostics
    /// (read in parallel, keeping only the files that have some). The watcher works in the
    /// vault's real root (`boundary.real_root()`): events name real paths.
    pub fn new(
        boundary: Boundary,
        config: VaultConfig,
        report_rel: Option<String>,
        index: &Index,
        walk: &Walk,
        today: Date,
    ) -> Result<Self> {
        let selector = Selector::new(&config)?;
        let root = boundary.real_root().to_path_buf();
        let known = index
            .stats()?
            .into_iter()
            .map(|(path, size, mtime)| (path, (size, mtime)))
            .collect();
        let diagnostics = walk
            .files
            .par_iter()
            .filter_map(|file| {
                let d = file_diagnostics(&vault::read_one(file, &config), &config, today);
                (!d.is_empty()).then(|| (file.rel.clone(), d))
            })
            .collect();
        Ok(Self {
            root,
            boundary,
            config,
            selector,
            report_rel,
            known,
            diagnostics,
            today,
        })
    }

    pub fn config(&self) -> &VaultConfig {
        &self.config
    }

    /// Forget what the index held and read it again (after the index was recreated).
    pub fn reload_known(&mut self, index: &Index) -> Result<()> {
        self.known = index
            .stats()?
            .into_iter()
            .map(|(path, size, mtime)| (path, (size, mtime)))
            .collect();
        Ok(())
    }

    /// How many files the index holds.
    pub fn files(&self) -> usize {
        self.known.len()
    }

    /// How many files have per-file diagnostics.
    pub fn files_with_problems(&self) -> usize {
        self.diagnostics.len()
    }

    /// Whether `rel` is a contact file the watcher indexes.
    fn wanted(&self, rel: &str) -> bool {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        self.selector.selects(rel) && !is_editor_temp(name) && self.report_rel.as_deref() != Some(rel)
    }

    /// A full walk, minus the report file (for the initial sync and rescans).
    pub fn walk(root: &Path, selector: &Selector, report_rel: Option<&str>) -> Walk {
        let mut walk = vault::walk(root, selector);
        if let Some(report) = report_rel {
            walk.files.retain(|f| f.rel != report);
        }
        walk
    }

    /// Apply one batch: decide each path by stat'ing it, update the index, commit once.
    pub fn apply(&mut self, index: &mut Index, updater: &mut Updater, batch: &Batch) -> Result<Vec<Change>> {
        let candidates = if batch.rescan {
            let walk = Self::walk(&self.root, &self.selector, self.report_rel.as_deref());
            let mut all: BTreeMap<String, Option<FileEntry>> = self.known.keys().map(|k| (k.clone(), None)).collect();
            all.extend(walk.files.into_iter().map(|f| (f.rel.clone(), Some(f))));
            all
        } else {
            self.candidates(batch)
        };
        let renames: Vec<(String, String)> = batch
            .renames
            .iter()
            .filter_map(|(from, to)| Some((self.rel(from)?, self.rel(to)?)))
            .collect();
        self.apply_candidates(index, updater, candidates, &renames)
    }

    fn rel(&self, path: &Path) -> Option<String> {
        vault::relative(&self.root, path).filter(|r| !r.is_empty())
    }

    /// Every indexed file under folder `rel`, as a candidate (a folder that moved or vanished
    /// takes its files with it).
    fn known_under(&self, rel: &str, out: &mut BTreeMap<String, Option<FileEntry>>) {
        let prefix = format!("{rel}/");
        for (known, _) in self
            .known
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
        {
            out.entry(known.clone()).or_insert(None);
        }
    }

    /// Every contact file a batch may have touched, stat'ed now: `None` when absent. A folder
    /// stands for the files under it (a folder moved in, out, or deleted).
    fn candidates(&self, batch: &Batch) -> BTreeMap<String, Option<FileEntry>> {
        let mut out = BTreeMap::new();
        for path in &batch.paths {
            let Some(rel) = self.rel(path) else {
                continue;
            };
            // `.git/`, `.netvault/` (the index's own writes), hidden folders and swap files:
            // skipped before any stat.
            if rel.split('/').any(|part| part.starts_with('.')) || self.report_rel.as_deref() == Some(&rel) {
                continue;
            }
            // A path that resolves out of the vault (a link planted while watching) is as
            // good as absent: never read, and removed if it was indexed.
            let resolved = self.boundary.contains(path);
            match resolved.as_deref().map(std::fs::metadata) {
                Some(Ok(meta)) if meta.is_dir() => {
                    self.known_under(&rel, &mut out);
                    for entry in walkdir::WalkDir::new(path)
                        .follow_links(true)
                        .into_iter()
                        .filter_entry(|e| {
                            e.depth() == 0
                                || (!e.file_name().to_string_lossy().starts_with('.')
                                    && (!e.path_is_symlink() || self.boundary.contains(e.path()).is_some()))
                        })
                        .filter_map(std::result::Result::ok)
                    {
                        if let Some(r) = self.rel(entry.path()).filter(|r| self.wanted(r)) {
                            out.insert(r, None);
                        }
                    }
                }
                Some(Ok(_)) => {
                    if self.wanted(&rel) {
                        out.insert(rel, None);
                    }
                }
                _ => {
                    self.known_under(&rel, &mut out);
                    if self.wanted(&rel) {
                        out.insert(rel, None);
                    }
                }
            }
        }
        // Stat every candidate once, now that the batch is settled.
        for (rel, entry) in &mut out {
            let abs = self.root.join(rel);
            *entry = self
                .boundary
                .contains(&abs)
                .and_then(|real| std::fs::metadata(real).ok())
                .filter(std::fs::Metadata::is_file)
                .map(|meta| FileEntry {
                    rel: rel.clone(),
                    size: meta.len(),
                    mtime_ns: vault::mtime_ns(&meta),
                    abs,
                });
        }
        out
    }

    fn apply_candidates(
        &mut self,
        index: &mut Index,
        updater: &mut Updater,
        candidates: BTreeMap<String, Option<FileEntry>>,
        renames: &[(String, String)],
    ) -> Result<Vec<Change>> {
        let mut present = Vec::new();
        let mut absent = Vec::new();
        for (rel, entry) in candidates {
            match entry {
                Some(file) => {
                    let mtime = i64::try_from(file.mtime_ns).unwrap_or(i64::MAX);
                    if self.known.get(&rel) != Some(&(file.size, mtime)) {
                        present.push(file);
                    }
                }
                None => {
                    if self.known.contains_key(&rel) {
                        absent.push(rel);
                    }
                }
            }
        }
        // Read and parse in parallel (a `git checkout` touches many files at once).
        let config = &self.config;
        let read: Vec<(FileEntry, Option<Parsed>)> = present
            .into_par_iter()
            .map(|file| {
                let parsed = read_present(&file, config);
                (file, parsed)
            })
            .collect();
        let mut changes = Vec::new();
        let mut gone: HashMap<String, Vec<Diagnostic>> = HashMap::new();
        for rel in absent {
            index.remove(updater, &rel);
            self.known.remove(&rel);
            gone.insert(rel.clone(), self.diagnostics.remove(&rel).unwrap_or_default());
            changes.push(Change {
                kind: ChangeKind::Removed,
                path: rel,
                new: Vec::new(),
                fixed: Vec::new(),
            });
        }
        for (file, parsed) in read {
            let Some(parsed) = parsed else {
                // Deleted between the stat and the read: the next event removes it.
                continue;
            };
            index.upsert(updater, &file, &parsed)?;
            let mtime = i64::try_from(file.mtime_ns).unwrap_or(i64::MAX);
            let existed = self.known.insert(file.rel.clone(), (file.size, mtime)).is_some();
            let mut kind = if existed {
                ChangeKind::Updated
            } else {
                ChangeKind::Added
            };
            let mut old = self.diagnostics.remove(&file.rel).unwrap_or_default();
            // A file renamed, or moved with its folder: the old path went in this batch.
            let origin = renames.iter().find_map(|(from, to)| {
                let rest = file.rel.strip_prefix(to.as_str())?;
                (rest.is_empty() || rest.starts_with('/')).then(|| format!("{from}{rest}"))
            });
            if !existed && let Some(from) = origin.filter(|from| gone.contains_key(from)) {
                changes.retain(|c| !(c.kind == ChangeKind::Removed && c.path == from));
                old = gone.remove(&from).unwrap_or_default();
                kind = ChangeKind::Renamed { from };
            }
            let current = file_diagnostics(&parsed, &self.config, self.today);
            let key = |d: &Diagnostic| (d.code, d.message.clone());
            let old_keys: BTreeSet<_> = old.iter().map(key).collect();
            let current_keys: BTreeSet<_> = current.iter().map(key).collect();
            let new = current
                .iter()
                .filter(|d| !old_keys.contains(&key(d)))
                .cloned()
                .collect();
            let fixed = old.into_iter().filter(|d| !current_keys.contains(&key(d))).collect();
            if !current.is_empty() {
                self.diagnostics.insert(file.rel.clone(), current);
            }
            changes.push(Change {
                kind,
                path: file.rel,
                new,
                fixed,
            });
        }
        if !changes.is_empty() {
            index.commit(updater)?;
        }
        changes.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(changes)
    }
}

/// Read and parse a present file; `None` when it vanished before the read. Any other read
/// failure, or a file over [`vault::MAX_FILE_BYTES`], is the file's `unreadable` diagnostic, as
/// in a walk.
fn read_present(file: &FileEntry, config: &VaultConfig) -> Option<Parsed> {
    match vault::read_limited(&file.abs) {
        Ok(Some(bytes)) => Some(contact::parse_file(&file.rel, &bytes, &config.fields)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Ok(None) | Err(_) => Some(vault::read_one(file, config)),
    }
}

/// The per-file diagnostics of one parsed file: what parsing found and the rules of
/// [`crate::validate`] that need only this file and today. `broken-link` and
/// `duplicate-contact` need the whole vault and are skipped in watch (`netvault validate` has
/// them).
pub fn file_diagnostics(parsed: &Parsed, config: &VaultConfig, today: Date) -> Vec<Diagnostic> {
    let mut out = crate::validate::check(std::slice::from_ref(parsed), &[], config, today);
    out.retain(|d| !matches!(d.code, Code::BrokenLink | Code::DuplicateContact));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_temp_files() {
        for name in [
            "4913",
            "x.md~",
            ".x.md.swp",
            ".x.md.swo",
            ".#x.md",
            "#x.md#",
            "x.md___jb_tmp___",
            "x.md___jb_old___",
        ] {
            assert!(is_editor_temp(name), "{name}");
        }
        for name in ["x.md", "Jane Doe.md", "#hashtag notes.md", "4913.md"] {
            assert!(!is_editor_temp(name), "{name}");
        }
    }
}
