//! The search index: derived from the files, kept in `.netvault/index` (or `--index-dir`), and
//! brought up to date by a stat walk before every command that reads it.
//!
//! This module owns the tantivy index and the only writer. A missing, old-schema or corrupt
//! index is rebuilt from the files with a note; deleting the folder loses nothing. A sync that
//! finds nothing changed never opens a writer, so readers do not contend for the lock. When
//! another process holds the writer, a sync waits briefly, then answers from the last commit.

pub mod lookup;
pub mod schema;
pub mod search;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::directory::error::LockError;
use tantivy::schema::Value as _;
use tantivy::{IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError};

use crate::config::VaultConfig;
use crate::contact::{Contact, Parsed};
use crate::error::{Error, Result};
use crate::vault::{self, FileEntry, META_DIR, Walk};

pub use schema::Fields;

/// The marker file that says a folder holds a netvault index, and for which schema and config.
const MARKER: &str = "netvault.json";

/// How long a sync waits for another process's writer before answering from the last commit.
const LOCK_WAIT: Duration = Duration::from_secs(3);

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
struct Marker {
    schema: u32,
    /// The config values that change what is indexed (globs, field mapping).
    config: String,
}

/// What a sync did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncStats {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// True when another process held the writer and the answer comes from the last commit.
    pub stale: bool,
}

impl SyncStats {
    pub fn changed(&self) -> usize {
        self.added + self.updated + self.removed
    }
}

/// A long-lived writer for one process (see [`Index::updater`]).
pub struct Updater {
    writer: IndexWriter,
}

/// The smallest memory budget tantivy accepts for one indexing thread.
const UPDATER_BUDGET: usize = 15_000_000;

/// Compare the walk with the indexed (path, size, mtime) list, both sorted by path: what was
/// added or changed (to re-read) and what was removed.
fn diff<'w, 'k>(walk: &'w Walk, known: &'k [(String, u64, i64)]) -> (SyncStats, Vec<&'w FileEntry>, Vec<&'k str>) {
    let mut stats = SyncStats::default();
    let mut to_index: Vec<&FileEntry> = Vec::new();
    let mut removed: Vec<&str> = Vec::new();
    // Both lists are sorted by path: one merge pass finds added, changed and removed files.
    let (mut i, mut j) = (0, 0);
    while i < walk.files.len() || j < known.len() {
        let file = walk.files.get(i);
        let indexed = known.get(j);
        match (file, indexed) {
            (Some(f), Some((path, size, mtime))) if f.rel == *path => {
                if f.size == *size && f.mtime_ns == i128::from(*mtime) {
                    stats.unchanged += 1;
                } else {
                    stats.updated += 1;
                    to_index.push(f);
                }
                i += 1;
                j += 1;
            }
            (Some(f), Some((path, _, _))) if f.rel < *path => {
                stats.added += 1;
                to_index.push(f);
                i += 1;
            }
            (Some(f), None) => {
                stats.added += 1;
                to_index.push(f);
                i += 1;
            }
            (_, Some((path, _, _))) => {
                removed.push(path);
                j += 1;
            }
            (None, None) => break,
        }
    }
    stats.removed = removed.len();
    (stats, to_index, removed)
}

/// An open index with a reader.
pub struct Index {
    dir: Option<PathBuf>,
    inner: tantivy::Index,
    reader: IndexReader,
    pub fields: Fields,
    /// Things the user should know (rebuilt, in memory); printed as notes by commands.
    pub notes: Vec<String>,
}

/// The index folder for a vault: `--index-dir`/`NETVAULT_INDEX_DIR`, else `.netvault/index`.
pub fn default_dir(root: &Path) -> PathBuf {
    root.join(META_DIR).join("index")
}

fn config_fingerprint(config: &VaultConfig) -> String {
    format!("{:?}|{:?}|{:?}", config.include, config.exclude, config.fields)
}

impl Index {
    /// Open the index in `dir`, creating or rebuilding it as needed. When the folder cannot be
    /// written (a read-only vault), the index lives in memory for this run, with a note.
    pub fn open(dir: &Path, config: &VaultConfig, vault_root: &Path) -> Result<Self> {
        let (schema, fields) = schema::build();
        let marker = Marker {
            schema: schema::SCHEMA_VERSION,
            config: config_fingerprint(config),
        };
        let mut notes = Vec::new();
        let existing = std::fs::read(dir.join(MARKER))
            .ok()
            .and_then(|b| serde_json::from_slice::<Marker>(&b).ok());
        let opened = match &existing {
            Some(m) if *m == marker => match tantivy::Index::open_in_dir(dir) {
                Ok(index) => Some(index),
                Err(e) => {
                    notes.push(format!("the index was unreadable ({e}); rebuilding it from the files"));
                    None
                }
            },
            Some(m) if m.schema != marker.schema => {
                notes.push("the index was made by another version of netvault; rebuilding it from the files".into());
                None
            }
            Some(_) => {
                notes.push("config.toml changed which files or fields are read; rebuilding the index".into());
                None
            }
            None => {
                if dir.join("meta.json").exists() || dir.exists() {
                    notes.push("the index had no netvault marker; rebuilding it from the files".into());
                } else {
                    notes.push(format!(
                        "building the search index in {} (it is derived from your files)",
                        dir.display()
                    ));
                }
                None
            }
        };
        let index = match opened {
            Some(index) => index,
            None => match create_in_dir(dir, &schema, &marker, existing.is_some(), vault_root) {
                Ok(index) => index,
                Err(e) => {
                    notes.push(format!(
                        "cannot write the index at {} ({e}); indexing in memory for this run (pass --index-dir DIR to keep an index elsewhere)",
                        dir.display()
                    ));
                    let index = tantivy::Index::builder()
                        .schema(schema)
                        .settings(settings())
                        .create_in_ram()
                        .map_err(|e| index_error(None, &e))?;
                    return Self::with_index(None, index, fields, notes);
                }
            },
        };
        Self::with_index(Some(dir.to_path_buf()), index, fields, notes)
    }

    fn with_index(dir: Option<PathBuf>, index: tantivy::Index, fields: Fields, notes: Vec<String>) -> Result<Self> {
        schema::register_tokenizers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e: TantivyError| index_error(dir.as_deref(), &e))?;
        Ok(Self {
            dir,
            inner: index,
            reader,
            fields,
            notes,
        })
    }

    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    pub fn tantivy(&self) -> &tantivy::Index {
        &self.inner
    }

    /// (path, size, mtime) of every indexed file, sorted by path, from the fast columns.
    pub fn stats(&self) -> Result<Vec<(String, u64, i64)>> {
        let searcher = self.searcher();
        let mut out = Vec::with_capacity(usize::try_from(searcher.num_docs()).unwrap_or(0));
        for segment in searcher.segment_readers() {
            let ff = segment.fast_fields();
            let err = |e: TantivyError| index_error(self.dir.as_deref(), &e);
            let Some(paths) = ff.str("path").map_err(err)? else {
                continue;
            };
            let sizes = ff.u64("size").map_err(err)?;
            let mtimes = ff.i64("mtime").map_err(err)?;
            let alive = segment.alive_bitset();
            // Stream the dictionary once: a lookup per document decompresses a block each time.
            let mut by_ord: Vec<String> = Vec::with_capacity(paths.num_terms());
            let mut stream = paths
                .dictionary()
                .stream()
                .map_err(|e| Error::io(self.dir.clone().unwrap_or_default(), e))?;
            while stream.advance() {
                by_ord.push(String::from_utf8_lossy(stream.key()).into_owned());
            }
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                let ord = paths.ords().first(doc).and_then(|o| usize::try_from(o).ok());
                if let Some(path) = ord.and_then(|o| by_ord.get(o)) {
                    out.push((
                        path.clone(),
                        sizes.first(doc).unwrap_or(0),
                        mtimes.first(doc).unwrap_or(0),
                    ));
                }
            }
        }
        out.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// Bring the index up to date with `walk` (SPEC §5): added and changed files are parsed in
    /// parallel and re-indexed, removed ones deleted, all in one commit.
    pub fn sync(&mut self, walk: &Walk, config: &VaultConfig) -> Result<SyncStats> {
        let known = self.stats()?;
        let (mut stats, to_index, removed) = diff(walk, &known);
        if stats.changed() == 0 {
            return Ok(stats);
        }
        let cold = known.is_empty();
        let Some(mut writer) = self.writer(cold)? else {
            stats.stale = true;
            return Ok(stats);
        };
        self.apply(&writer, &removed, &to_index, config, !cold)?;
        writer.commit().map_err(|e| index_error(self.dir.as_deref(), &e))?;
        writer
            .wait_merging_threads()
            .map_err(|e| index_error(self.dir.as_deref(), &e))?;
        self.reader.reload().map_err(|e| index_error(self.dir.as_deref(), &e))?;
        Ok(stats)
    }

    /// Delete `removed` and the old documents of `to_index` (unless the index was empty), then
    /// parse `to_index` and add their documents to `writer`; no commit.
    fn apply(
        &self,
        writer: &IndexWriter,
        removed: &[&str],
        to_index: &[&FileEntry],
        config: &VaultConfig,
        delete_updated: bool,
    ) -> Result<()> {
        let f = self.fields;
        // Deletes first: a delete applies to the documents added before it, so the updated
        // files' new documents, added below, survive it.
        for path in removed.iter().copied().chain(if delete_updated {
            to_index.iter().map(|f| f.rel.as_str()).collect()
        } else {
            Vec::new()
        }) {
            writer.delete_term(schema::path_term(&f, path));
        }
        // Parse on every core and hand each document to the writer as soon as it is ready:
        // parsing and tantivy's indexing threads overlap, and the writer's bounded queue keeps
        // memory flat on a cold build of a large vault.
        to_index
            .par_iter()
            .try_for_each(|file| {
                let parsed = vault::read_one(file, config);
                let mtime = i64::try_from(file.mtime_ns).unwrap_or(i64::MAX);
                let doc = match &parsed.contact {
                    Some(contact) => schema::contact_document(&f, contact, file.size, mtime),
                    None => schema::other_document(&f, &file.rel, file.size, mtime),
                };
                writer.add_document(doc).map(|_| ())
            })
            .map_err(|e| index_error(self.dir.as_deref(), &e))
    }

    /// A writer that lives as long as the returned [`Updater`] (for `watch`): it holds the
    /// index's writer lock until dropped, so every batch of changes costs one commit and no
    /// lock dance. `None` when another process holds the writer for longer than a sync waits.
    pub fn updater(&self) -> Result<Option<Updater>> {
        let start = Instant::now();
        loop {
            // One indexing thread and tantivy's smallest budget: a watcher applies a handful of
            // files per batch and should stay small while idle.
            match self.inner.writer_with_num_threads::<TantivyDocument>(1, UPDATER_BUDGET) {
                Ok(writer) => return Ok(Some(Updater { writer })),
                Err(TantivyError::LockFailure(LockError::LockBusy, _)) if start.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(TantivyError::LockFailure(LockError::LockBusy, _)) => return Ok(None),
                Err(e) => return Err(index_error(self.dir.as_deref(), &e)),
            }
        }
    }

    /// Replace the document of one file with what `parsed` holds (no commit).
    pub fn upsert(&self, updater: &Updater, file: &FileEntry, parsed: &Parsed) -> Result<()> {
        let f = self.fields;
        let mtime = i64::try_from(file.mtime_ns).unwrap_or(i64::MAX);
        let doc = match &parsed.contact {
            Some(contact) => schema::contact_document(&f, contact, file.size, mtime),
            None => schema::other_document(&f, &file.rel, file.size, mtime),
        };
        updater.writer.delete_term(schema::path_term(&f, &file.rel));
        updater
            .writer
            .add_document(doc)
            .map(|_| ())
            .map_err(|e| index_error(self.dir.as_deref(), &e))
    }

    /// Delete the document of one file (no commit).
    pub fn remove(&self, updater: &Updater, rel: &str) {
        updater.writer.delete_term(schema::path_term(&self.fields, rel));
    }

    /// Commit the updater's pending changes and make them visible to this index's reader.
    pub fn commit(&mut self, updater: &mut Updater) -> Result<()> {
        updater
            .writer
            .commit()
            .map_err(|e| index_error(self.dir.as_deref(), &e))?;
        self.reader.reload().map_err(|e| index_error(self.dir.as_deref(), &e))
    }

    /// Commit what is pending, wait for background merges, and release the writer lock.
    pub fn close(&mut self, mut updater: Updater) -> Result<()> {
        self.commit(&mut updater)?;
        updater
            .writer
            .wait_merging_threads()
            .map_err(|e| index_error(self.dir.as_deref(), &e))
    }

    /// Delete every document (for `index --rebuild`).
    pub fn clear(&mut self) -> Result<bool> {
        let Some(mut writer) = self.writer(true)? else {
            return Ok(false);
        };
        writer
            .delete_all_documents()
            .map_err(|e| index_error(self.dir.as_deref(), &e))?;
        writer.commit().map_err(|e| index_error(self.dir.as_deref(), &e))?;
        writer
            .wait_merging_threads()
            .map_err(|e| index_error(self.dir.as_deref(), &e))?;
        self.reader.reload().map_err(|e| index_error(self.dir.as_deref(), &e))?;
        Ok(true)
    }

    /// The writer, waiting up to [`LOCK_WAIT`] for another process to release it; `None` if
    /// it does not. A cold build gets every core; an incremental one a single thread.
    fn writer(&self, cold: bool) -> Result<Option<IndexWriter>> {
        let threads = if cold {
            std::thread::available_parallelism().map_or(1, usize::from).min(4)
        } else {
            1
        };
        let budget = if cold { 60_000_000 } else { 40_000_000 };
        let start = Instant::now();
        loop {
            match self
                .inner
                .writer_with_num_threads::<TantivyDocument>(threads, budget * threads)
            {
                Ok(writer) => {
                    if cold {
                        // A cold build writes a handful of large segments; merging them now
                        // would add a second pass for little gain. Later syncs merge as usual.
                        writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
                    }
                    return Ok(Some(writer));
                }
                Err(TantivyError::LockFailure(LockError::LockBusy, _)) if start.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(TantivyError::LockFailure(LockError::LockBusy, _)) => return Ok(None),
                Err(e) => return Err(index_error(self.dir.as_deref(), &e)),
            }
        }
    }

    /// Every contact's stored facts, in index order.
    pub fn contacts(&self) -> Result<Vec<Contact>> {
        // Decoding 100,000 stored documents is the bulk of a report: split each segment into
        // ranges and decode them on every core, each range with its own store reader.
        const CHUNK: u32 = 8192;
        let searcher = self.searcher();
        let mut ranges = Vec::new();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let mut start = 0;
            while start < segment.max_doc() {
                ranges.push((ord, start, (start + CHUNK).min(segment.max_doc())));
                start += CHUNK;
            }
        }
        let chunks: Vec<Result<Vec<Contact>>> = ranges
            .into_par_iter()
            .map(|(ord, start, end)| {
                let segment = &searcher.segment_readers()[ord];
                let store = segment
                    .get_store_reader(2)
                    .map_err(|e| Error::io(self.dir.clone().unwrap_or_default(), e))?;
                let alive = segment.alive_bitset();
                let mut out = Vec::new();
                for doc in start..end {
                    if alive.is_some_and(|a| !a.is_alive(doc)) {
                        continue;
                    }
                    let doc: TantivyDocument = store.get(doc).map_err(|e| index_error(self.dir.as_deref(), &e))?;
                    if let Some(contact) = doc
                        .get_first(self.fields.facts)
                        .and_then(|v| v.as_bytes())
                        .and_then(schema::Facts::decode)
                    {
                        out.push(contact);
                    }
                }
                Ok(out)
            })
            .collect();
        let mut out = Vec::with_capacity(usize::try_from(searcher.num_docs()).unwrap_or(0));
        for chunk in chunks {
            out.extend(chunk?);
        }
        Ok(out)
    }

    /// The stored facts of one document.
    pub fn contact_at(&self, searcher: &tantivy::Searcher, address: tantivy::DocAddress) -> Option<Contact> {
        let doc: TantivyDocument = searcher.doc(address).ok()?;
        doc.get_first(self.fields.facts)
            .and_then(|v| v.as_bytes())
            .and_then(schema::Facts::decode)
    }
}

fn create_in_dir(
    dir: &Path,
    schema: &tantivy::schema::Schema,
    marker: &Marker,
    ours: bool,
    vault_root: &Path,
) -> std::io::Result<tantivy::Index> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)?.next().is_none();
        // Only ever delete a folder that is provably an index of ours.
        if !(ours || empty || dir == default_dir(vault_root)) {
            return Err(std::io::Error::other(format!(
                "{} is not empty and holds no netvault index; refusing to delete it",
                dir.display()
            )));
        }
        // The marker goes last: a run killed half-way leaves a folder still marked as ours.
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.file_name() == Some(std::ffi::OsStr::new(MARKER)) {
                continue;
            }
            if path.is_dir() {
                std::fs::remove_dir_all(&path)?;
            } else {
                std::fs::remove_file(&path)?;
            }
        }
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    if dir == default_dir(vault_root) {
        let gitignore = vault_root.join(META_DIR).join(".gitignore");
        if !gitignore.exists() {
            std::fs::write(&gitignore, crate::commands::init::GITIGNORE)?;
        }
    }
    // The marker first: a run killed before the index is complete leaves a folder that is
    // provably ours, which the next run rebuilds (or completes by its sync), rather than a
    // folder it refuses to delete.
    let marker = serde_json::to_vec_pretty(marker).map_err(std::io::Error::other)?;
    std::fs::write(dir.join(MARKER), marker)?;
    tantivy::Index::builder()
        .schema(schema.clone())
        .settings(settings())
        .create_in_dir(dir)
        .map_err(std::io::Error::other)
}

/// zstd (level 9, 128 KiB blocks) stores the facts in well under half the space of the default
/// lz4 on 16 KiB blocks, for a few milliseconds more per report (SPEC §9: the index at most half the vault).
fn settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::Zstd(tantivy::store::ZstdCompressor {
            compression_level: Some(9),
        }),
        docstore_blocksize: 131_072,
        ..tantivy::IndexSettings::default()
    }
}

fn index_error(dir: Option<&Path>, e: &TantivyError) -> Error {
    Error::Index {
        path: dir.map_or_else(|| PathBuf::from("(in memory)"), Path::to_path_buf),
        message: e.to_string(),
    }
}
