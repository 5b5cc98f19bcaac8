//! The search index: derived from the files, kept in `.netvault/index` (or `--index-dir`), and
//! brought up to date by a stat walk before every command that reads it.
//!
//! This module owns the tantivy index and the only writer. A missing, old-schema or corrupt
//! index is rebuilt from the files with a note; deleting the folder loses nothing. A sync that
//! finds nothing changed never opens a writer, so readers do not contend for the lock. When
//! another process holds the writer, a sync waits briefly, then answers from the last commit.

pub mod lookup;
pub mod morning;
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
use crate::vault::{self, FileEntry, Walk};

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

/// Compare the walk with the indexed (path, size, mtime) list ([`crate::changes::diff`]): the
/// counts, the files to (re-)read and the paths removed.
fn diff<'w, 'k>(walk: &'w Walk, known: &'k [(String, u64, i64)]) -> (SyncStats, Vec<&'w FileEntry>, Vec<&'k str>) {
    let changes = crate::changes::diff(&walk.files, known);
    let stats = SyncStats {
        added: changes.added.len(),
        updated: changes.updated.len(),
        removed: changes.removed.len(),
        unchanged: changes.unchanged,
        stale: false,
    };
    // In path order, as the walk gave them (documents are added in this order).
    let mut to_index = changes.added;
    to_index.extend(changes.updated);
    to_index.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
    (stats, to_index, changes.removed)
}

/// An open index with a reader.
pub struct Index {
    dir: Option<PathBuf>,
    inner: tantivy::Index,
    reader: IndexReader,
    pub fields: Fields,
    /// Things the user should know (rebuilt, in memory); printed as notes by commands.
    pub notes: Vec<String>,
    created: bool,
    /// The marker file this index was opened with, to notice the folder being deleted or
    /// replaced under a long-running process (`watch`).
    marker_id: Option<FileId>,
    /// The config the index was opened with: its cadences decide each contact's earliest due
    /// day (and are part of the marker, so a change rebuilds the index).
    config: VaultConfig,
}

/// A file's identity: device, inode and modification time where the OS has them, else only
/// that it exists. The time tells a marker deleted and created again apart when the new file
/// gets the old inode number (file systems reuse them at once: `rm -rf` of the index, then a
/// command creating it again, under a live watcher).
type FileId = (u64, u64, i64, i64);

fn file_id(path: &Path) -> Option<FileId> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        Some((meta.dev(), meta.ino(), meta.mtime(), meta.mtime_nsec()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some((0, 0, 0, 0))
    }
}

/// The lock file inside the index folder that serialises creating, rebuilding and repairing it
/// between processes (tantivy's own writer lock exists only once the index does).
const OPEN_LOCK: &str = "netvault.lock";

fn config_fingerprint(config: &VaultConfig) -> String {
    format!(
        "{:?}|{:?}|{:?}|{}|{:?}|{:?}",
        config.include, config.exclude, config.fields, config.language, config.default_cadence, config.circle_cadence
    )
}

/// Why the folder cannot hold the index, for the in-memory fallback's note.
#[derive(Debug)]
struct Unusable(Why);

#[derive(Debug)]
struct Why {
    message: String,
    /// A file or folder disappeared under us: another process is deleting the index.
    vanished: bool,
}

impl From<String> for Why {
    fn from(message: String) -> Self {
        Self {
            message,
            vanished: false,
        }
    }
}

impl From<std::io::Error> for Why {
    fn from(e: std::io::Error) -> Self {
        Self {
            vanished: e.kind() == std::io::ErrorKind::NotFound,
            message: e.to_string(),
        }
    }
}

impl Index {
    /// Open the index in `dir`, creating or rebuilding it as needed (`fresh`: rebuild it
    /// whatever it holds, as after a failure reading it). When the folder cannot be written (a
    /// read-only vault) or holds files that are not netvault's, the index lives in memory for
    /// this run, with a note.
    ///
    /// `dir` must already be checked (`boundary::default_index_dir`, or the user's own
    /// `--index-dir`): this only ever deletes the contents of a folder that holds netvault's
    /// marker, never through a symbolic link, and only while holding [`OPEN_LOCK`].
    pub fn open(dir: &Path, config: &VaultConfig, fresh: bool) -> Result<Self> {
        let (schema, fields) = schema::build();
        let marker = Marker {
            schema: schema::SCHEMA_VERSION,
            config: config_fingerprint(config),
        };
        let mut notes = Vec::new();
        let mut attempt = 0;
        let opened = loop {
            let result = open_on_disk(dir, &schema, &marker, &config.language, fresh, &mut notes);
            // The folder vanishing half-way (someone deleting it right now) is worth another
            // try once the deletion is over; anything else is not.
            match result {
                Err(Unusable(why)) if why.vanished && attempt < 5 => {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(100));
                }
                other => break other,
            }
        };
        match opened {
            Ok((index, reader, created)) => {
                let mut this = Self::with_reader(Some(dir.to_path_buf()), index, reader, fields, notes, config);
                this.created = created;
                Ok(this)
            }
            Err(Unusable(why)) => {
                let why = why.message;
                notes.push(format!(
                    "cannot keep the index at {} ({why}); indexing in memory for this run (pass --index-dir DIR to keep an index elsewhere)",
                    dir.display()
                ));
                let index = tantivy::Index::builder()
                    .schema(schema)
                    .settings(settings())
                    .create_in_ram()
                    .map_err(|e| index_error(None, e))?;
                schema::register_tokenizers(&index, &config.language);
                let reader = reader_for(&index).map_err(|e| index_error(None, e))?;
                let mut this = Self::with_reader(None, index, reader, fields, notes, config);
                this.created = true;
                Ok(this)
            }
        }
    }

    /// Whether this run created the index (or rebuilt it empty): its documents come from the
    /// sync that follows, not from an earlier run.
    pub fn created(&self) -> bool {
        self.created
    }

    fn with_reader(
        dir: Option<PathBuf>,
        inner: tantivy::Index,
        reader: IndexReader,
        fields: Fields,
        notes: Vec<String>,
        config: &VaultConfig,
    ) -> Self {
        Self {
            config: config.clone(),
            marker_id: dir.as_deref().and_then(|d| file_id(&d.join(MARKER))),
            dir,
            inner,
            reader,
            fields,
            notes,
            created: false,
        }
    }

    /// Whether the index folder still holds the index this process opened (false once it was
    /// deleted or replaced under it). An index in memory is always in place.
    pub fn in_place(&self) -> bool {
        match &self.dir {
            None => true,
            Some(dir) => self.marker_id.is_some() && file_id(&dir.join(MARKER)) == self.marker_id,
        }
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
            let err = |e: TantivyError| index_error(self.dir.as_deref(), e);
            let Some(paths) = ff.str("path").map_err(err)? else {
                continue;
            };
            let sizes = ff.u64("size").map_err(err)?;
            let mtimes = ff.i64("mtime").map_err(err)?;
            let alive = segment.alive_bitset();
            // Each live document's stat under its path's number in the dictionary, then the
            // dictionary streamed once, in order: the segment's list comes out sorted, and a
            // lookup per document (a block decompressed each time) is avoided.
            let mut by_ord: Vec<Option<(u64, i64)>> = vec![None; paths.num_terms()];
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                let ord = paths.ords().first(doc).and_then(|o| usize::try_from(o).ok());
                if let Some(stat) = ord.and_then(|o| by_ord.get_mut(o)) {
                    *stat = Some((sizes.first(doc).unwrap_or(0), mtimes.first(doc).unwrap_or(0)));
                }
            }
            let mut stream = paths
                .dictionary()
                .stream()
                .map_err(|e| index_error(self.dir.as_deref(), e))?;
            while stream.advance() {
                let stat = usize::try_from(stream.term_ord())
                    .ok()
                    .and_then(|o| by_ord.get(o).copied().flatten());
                if let Some((size, mtime)) = stat {
                    out.push((String::from_utf8_lossy(stream.key()).into_owned(), size, mtime));
                }
            }
        }
        // One sorted run per segment: the merge sort finds them and merges.
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// Bring the index up to date with `walk` (SPEC §5): added and changed files are parsed in
    /// parallel and re-indexed, removed ones deleted, all in one commit.
    pub fn sync(&mut self, walk: &Walk, config: &VaultConfig) -> Result<SyncStats> {
        self.sync_showing(walk, config, false)
    }

    /// [`Index::sync`], with a progress bar on stderr when `progress` allows one and many files
    /// are to be read ([`crate::output::Progress`]).
    pub fn sync_showing(&mut self, walk: &Walk, config: &VaultConfig, progress: bool) -> Result<SyncStats> {
        let known = self.stats()?;
        let (mut stats, _, _) = diff(walk, &known);
        if stats.changed() == 0 {
            return Ok(stats);
        }
        let Some(mut writer) = self.writer(known.is_empty())? else {
            stats.stale = true;
            return Ok(stats);
        };
        // Another process may have synced between our read and the lock (two commands started
        // at once on a new vault): decide again from what is committed now, under the lock,
        // so nothing is added twice.
        self.reader.reload().map_err(|e| index_error(self.dir.as_deref(), e))?;
        let known = self.stats()?;
        let cold = known.is_empty();
        let (stats, to_index, removed) = diff(walk, &known);
        if stats.changed() == 0 {
            return Ok(stats);
        }
        if !cold {
            writer.set_merge_policy(Box::<tantivy::merge_policy::LogMergePolicy>::default());
        }
        let bar = crate::output::Progress::files(progress, to_index.len(), "indexing");
        let applied = self.apply(&writer, &removed, &to_index, config, !cold, &bar);
        bar.finish();
        applied?;
        writer.commit().map_err(|e| index_error(self.dir.as_deref(), e))?;
        writer
            .wait_merging_threads()
            .map_err(|e| index_error(self.dir.as_deref(), e))?;
        self.reader.reload().map_err(|e| index_error(self.dir.as_deref(), e))?;
        if let Some(dir) = &self.dir {
            // Written by this process just now: recorded as checked (see `verify_files`).
            let _ = verify_files(dir, &self.inner, true);
        }
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
        progress: &crate::output::Progress,
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
                let doc = document(&f, file, &parsed, &self.config, mtime);
                progress.inc();
                writer.add_document(doc).map(|_| ())
            })
            .map_err(|e| index_error(self.dir.as_deref(), e))
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
                Ok(writer) => {
                    self.collect_garbage(&writer)?;
                    return Ok(Some(Updater { writer }));
                }
                Err(TantivyError::LockFailure(LockError::LockBusy, _)) if start.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(TantivyError::LockFailure(LockError::LockBusy, _)) => return Ok(None),
                Err(e) => return Err(index_error(self.dir.as_deref(), e)),
            }
        }
    }

    /// Replace the document of one file with what `parsed` holds (no commit).
    pub fn upsert(&self, updater: &Updater, file: &FileEntry, parsed: &Parsed) -> Result<()> {
        let f = self.fields;
        let mtime = i64::try_from(file.mtime_ns).unwrap_or(i64::MAX);
        let doc = document(&f, file, parsed, &self.config, mtime);
        updater.writer.delete_term(schema::path_term(&f, &file.rel));
        updater
            .writer
            .add_document(doc)
            .map(|_| ())
            .map_err(|e| index_error(self.dir.as_deref(), e))
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
            .map_err(|e| index_error(self.dir.as_deref(), e))?;
        self.reader.reload().map_err(|e| index_error(self.dir.as_deref(), e))
    }

    /// Commit what is pending, wait for background merges, and release the writer lock.
    pub fn close(&mut self, mut updater: Updater) -> Result<()> {
        self.commit(&mut updater)?;
        updater
            .writer
            .wait_merging_threads()
            .map_err(|e| index_error(self.dir.as_deref(), e))
    }

    /// With the writer lock held, remove what a killed process left: segment and delete files
    /// no commit refers to (tantivy's garbage collection; a leftover `.del` would otherwise
    /// collide with the next commit's) and tantivy's orphan temporary files.
    fn collect_garbage(&self, writer: &IndexWriter) -> Result<()> {
        writer
            .garbage_collect_files()
            .wait()
            .map_err(|e| index_error(self.dir.as_deref(), e))?;
        if let Some(dir) = &self.dir {
            remove_orphan_temp_files(dir);
        }
        Ok(())
    }

    /// Delete every document (for `index --rebuild`).
    pub fn clear(&mut self) -> Result<bool> {
        let Some(mut writer) = self.writer(true)? else {
            return Ok(false);
        };
        writer
            .delete_all_documents()
            .map_err(|e| index_error(self.dir.as_deref(), e))?;
        writer.commit().map_err(|e| index_error(self.dir.as_deref(), e))?;
        writer
            .wait_merging_threads()
            .map_err(|e| index_error(self.dir.as_deref(), e))?;
        self.reader.reload().map_err(|e| index_error(self.dir.as_deref(), e))?;
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
                    self.collect_garbage(&writer)?;
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
                Err(e) => return Err(index_error(self.dir.as_deref(), e)),
            }
        }
    }

    /// Every contact's stored facts, in index order.
    pub fn contacts(&self) -> Result<Vec<Contact>> {
        let searcher = self.searcher();
        let picks: Vec<Vec<tantivy::DocId>> = searcher
            .segment_readers()
            .iter()
            .map(|segment| {
                let alive = segment.alive_bitset();
                (0..segment.max_doc())
                    .filter(|&doc| alive.is_none_or(|a| a.is_alive(doc)))
                    .collect()
            })
            .collect();
        self.facts_of_docs(&searcher, &picks)
    }

    /// The stored facts of the contacts among `picks` (alive document ids, per segment, in
    /// order), in that order; files whose front matter has errors are left out.
    fn facts_of_docs(&self, searcher: &tantivy::Searcher, picks: &[Vec<tantivy::DocId>]) -> Result<Vec<Contact>> {
        let mut out = Vec::with_capacity(picks.iter().map(Vec::len).sum());
        self.each_fact(
            searcher,
            picks,
            usize::MAX,
            |contact| contact,
            |contact| out.push(contact),
        )?;
        Ok(out)
    }

    /// Hand the stored facts of the contacts among `picks`, each through `map` (on every core),
    /// to `each`, in order, decoding at most `batch` runs of documents at a time: a caller that
    /// keeps few of them holds little.
    fn each_fact<T: Send>(
        &self,
        searcher: &tantivy::Searcher,
        picks: &[Vec<tantivy::DocId>],
        batch: usize,
        map: impl Fn(Contact) -> T + Sync,
        mut each: impl FnMut(T),
    ) -> Result<()> {
        // Decoding 100,000 stored documents is the bulk of a report: split each segment's
        // documents into runs and decode them on every core, each run with its own store reader.
        const CHUNK: usize = 8192;
        let runs: Vec<(usize, &[tantivy::DocId])> = picks
            .iter()
            .enumerate()
            .flat_map(|(ord, docs)| docs.chunks(CHUNK).map(move |run| (ord, run)))
            .collect();
        for runs in runs.chunks(batch.max(1)) {
            let chunks: Vec<Result<Vec<T>>> = runs
                .par_iter()
                .map(|&(ord, run)| {
                    let store = searcher.segment_readers()[ord]
                        .get_store_reader(2)
                        .map_err(|e| index_error(self.dir.as_deref(), e))?;
                    let mut out = Vec::with_capacity(run.len());
                    for &doc in run {
                        let doc: TantivyDocument = store.get(doc).map_err(|e| index_error(self.dir.as_deref(), e))?;
                        if let Some(contact) = self.facts_of(&doc)?
                            && contact.front_matter_error.is_none()
                        {
                            out.push(map(contact));
                        }
                    }
                    Ok(out)
                })
                .collect();
            for chunk in chunks {
                chunk?.into_iter().for_each(&mut each);
            }
        }
        Ok(())
    }

    /// The files whose front matter has errors, each as the stand-in contact that keeps it
    /// findable (`front_matter_error` holds the line), sorted by path. [`Index::contacts`]
    /// leaves them out; reports name them.
    pub fn broken(&self) -> Result<Vec<Contact>> {
        let searcher = self.searcher();
        let query = tantivy::query::TermQuery::new(
            tantivy::Term::from_field_text(self.fields.broken, "yes"),
            tantivy::schema::IndexRecordOption::Basic,
        );
        let addresses = searcher
            .search(&query, &tantivy::collector::DocSetCollector)
            .map_err(|e| index_error(self.dir.as_deref(), e))?;
        let mut out = Vec::new();
        for address in addresses {
            out.extend(self.contact_at(&searcher, address)?);
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    /// The stored facts of one document; `None` for a file that is not a contact (it has no
    /// front matter, so no facts are stored). Facts that do not decode mean a damaged index:
    /// an error, which rebuilds it, never a contact silently left out.
    pub fn contact_at(&self, searcher: &tantivy::Searcher, address: tantivy::DocAddress) -> Result<Option<Contact>> {
        let doc: TantivyDocument = searcher.doc(address).map_err(|e| index_error(self.dir.as_deref(), e))?;
        self.facts_of(&doc)
    }

    fn facts_of(&self, doc: &TantivyDocument) -> Result<Option<Contact>> {
        match doc.get_first(self.fields.facts).and_then(|v| v.as_bytes()) {
            None => Ok(None),
            Some(bytes) => schema::Facts::decode(bytes)
                .map(Some)
                .map_err(|e| index_error(self.dir.as_deref(), e)),
        }
    }
}

/// A file's document: a contact's, else, for a file whose front matter has errors, one that keeps
/// it findable by stem and body (SPEC §9), else (no front matter, unreadable) its stat only.
fn document(
    f: &schema::Fields,
    file: &FileEntry,
    parsed: &Parsed,
    config: &VaultConfig,
    mtime: i64,
) -> TantivyDocument {
    if let Some(contact) = &parsed.contact {
        return schema::contact_document(f, contact, config, file.size, mtime);
    }
    let error = parsed
        .diagnostics
        .iter()
        .find(|d| d.severity == crate::diagnostic::Severity::Error && d.code != crate::diagnostic::Code::Unreadable);
    // The file was read a moment ago; read again only in this rare case, to index its body.
    if let Some(error) = error
        && let Ok(Some(bytes)) = vault::read_limited(&file.abs)
    {
        let text = String::from_utf8_lossy(&bytes);
        let (_, text) = crate::frontmatter::strip_bom(&text);
        let body = match crate::frontmatter::split(text) {
            crate::frontmatter::Split::Block(block) => &text[block.body],
            _ => text,
        };
        return schema::broken_document(f, &file.rel, body, error.line, file.size, mtime);
    }
    schema::other_document(f, &file.rel, file.size, mtime)
}

/// The start of an error message, for a one-line note (tantivy's can run to hundreds of
/// characters of debug output).
pub fn brief(message: &str) -> String {
    const MAX: usize = 90;
    let line = message.lines().next().unwrap_or_default();
    if line.chars().count() <= MAX {
        return line.to_string();
    }
    let cut: String = line.chars().take(MAX).collect();
    format!("{cut}…")
}

fn reader_for(index: &tantivy::Index) -> tantivy::Result<IndexReader> {
    index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()
}

/// Open the on-disk index in `dir` with its reader, or (re)create it. Returns whether it was
/// created empty.
fn open_on_disk(
    dir: &Path,
    schema: &tantivy::schema::Schema,
    marker: &Marker,
    language: &str,
    fresh: bool,
    notes: &mut Vec<String>,
) -> std::result::Result<(tantivy::Index, IndexReader, bool), Unusable> {
    let io = |e: std::io::Error| Unusable(e.into());
    let existed = dir.exists();
    std::fs::create_dir_all(dir).map_err(io)?;
    // A folder with files in it but without our marker is someone else's: never touched.
    let foreign = !fresh_or_marked(dir).map_err(io)?;
    if foreign {
        return Err(Unusable(
            String::from("the folder holds files that netvault did not write").into(),
        ));
    }
    let lock_path = dir.join(OPEN_LOCK);
    crate::boundary::own_file(&lock_path, "the index's lock").map_err(|e| Unusable(e.to_string().into()))?;
    let lock = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .map_err(io)?;
    // Wait for another process creating or repairing the index; after it, the folder is
    // either a good index (opened below) or still damaged (rebuilt below, once more).
    lock.lock().map_err(io)?;
    let existing = std::fs::read(dir.join(MARKER))
        .ok()
        .and_then(|b| serde_json::from_slice::<Marker>(&b).ok());
    let why = if fresh {
        Some(String::new())
    } else {
        match &existing {
            Some(m) if m == marker => match open_existing(dir, language) {
                Ok((index, reader)) => return Ok((index, reader, false)),
                Err(e) => Some(format!(
                    "the index was damaged ({}); rebuilding it from the files",
                    brief(&e)
                )),
            },
            Some(m) if m.schema != marker.schema => {
                Some("the index was made by another version of netvault; rebuilding it from the files".into())
            }
            Some(_) => Some("config.toml changed which files or fields are read; rebuilding the index".into()),
            None if dir.join(MARKER).exists() => {
                Some("the index's marker was unreadable; rebuilding the index from the files".into())
            }
            None if existed && has_entries(dir).map_err(io)? => {
                Some("the index was left half-made; rebuilding it from the files".into())
            }
            None => Some(format!(
                "building the search index in {} (it is derived from your files)",
                dir.display()
            )),
        }
    };
    if let Some(why) = why.filter(|w| !w.is_empty()) {
        notes.push(why);
    }
    wipe(dir).map_err(io)?;
    // The marker first (created, never written through an existing path): a run killed
    // before the index is complete leaves a folder that is provably ours.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dir.join(MARKER))
        .map_err(io)?;
    let bytes = serde_json::to_vec_pretty(marker).map_err(|e| Unusable(e.to_string().into()))?;
    std::io::Write::write_all(&mut file, &bytes).map_err(io)?;
    let index = tantivy::Index::builder()
        .schema(schema.clone())
        .settings(settings())
        .create_in_dir(dir)
        .map_err(|e| {
            Unusable(Why {
                vanished: !dir.exists(),
                message: e.to_string(),
            })
        })?;
    schema::register_tokenizers(&index, language);
    let reader = reader_for(&index).map_err(|e| {
        Unusable(Why {
            vanished: !dir.join(MARKER).exists(),
            message: e.to_string(),
        })
    })?;
    drop(lock);
    Ok((index, reader, true))
}

/// Open an existing index and its reader (which opens every segment: a truncated or
/// foreign file fails here rather than in the middle of a command).
fn open_existing(dir: &Path, language: &str) -> std::result::Result<(tantivy::Index, IndexReader), String> {
    let index = tantivy::Index::open_in_dir(dir).map_err(|e| e.to_string())?;
    schema::register_tokenizers(&index, language);
    let reader = reader_for(&index).map_err(|e| e.to_string())?;
    verify_files(dir, &index, false)?;
    Ok((index, reader))
}

/// The list of index files whose checksums were verified: name → (size, mtime).
const VERIFIED: &str = "netvault-verified.json";

/// Check the checksum of every file of the index's segments that was not checked before (or
/// changed since): a flipped byte inside a posting list fails no footer check and would give
/// wrong answers silently. Segment files never change once written, so each is read once;
/// the list of checked files lives beside them. With `trust`, the current files are recorded
/// as checked without reading them (this process has just written them).
fn verify_files(dir: &Path, index: &tantivy::Index, trust: bool) -> std::result::Result<(), String> {
    use tantivy::index::SegmentComponent as C;
    type Seen = std::collections::BTreeMap<String, (u64, i128)>;
    // The list of files already checked is a cache: missing or damaged, every file is
    // checked again.
    let seen: Seen = std::fs::read(dir.join(VERIFIED))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let metas = index.searchable_segment_metas().map_err(|e| e.to_string())?;
    let mut now = Seen::new();
    for meta in &metas {
        let mut components = vec![
            C::Postings,
            C::Positions,
            C::Terms,
            C::Store,
            C::FastFields,
            C::FieldNorms,
        ];
        if meta.has_deletes() {
            components.push(C::Delete);
        }
        for component in components {
            let rel = meta.relative_path(component);
            // A file gone since the reader opened it was replaced by another process's commit.
            let Ok(stat) = std::fs::symlink_metadata(dir.join(&rel)) else {
                continue;
            };
            let name = rel.to_string_lossy().into_owned();
            let key = (stat.len(), vault::mtime_ns(&stat));
            if !trust && seen.get(&name) != Some(&key) {
                match index.directory().validate_checksum(&rel) {
                    Ok(true) => {}
                    Ok(false) => return Err(format!("{name} fails its checksum")),
                    Err(tantivy::directory::error::OpenReadError::FileDoesNotExist(_)) => continue,
                    Err(e) => return Err(e.to_string()),
                }
            }
            now.insert(name, key);
        }
    }
    if now != seen {
        // Best effort (a read-only index folder): the next run checks again.
        if let Ok(bytes) = serde_json::to_vec(&now)
            && let Ok(mut tmp) = tempfile::Builder::new().prefix(".netvault-verified").tempfile_in(dir)
            && std::io::Write::write_all(&mut tmp, &bytes).is_ok()
        {
            let _ = tmp.persist(dir.join(VERIFIED));
        }
    }
    Ok(())
}

/// True when `dir` holds netvault's marker, or nothing but netvault's own lock.
fn fresh_or_marked(dir: &Path) -> std::io::Result<bool> {
    if std::fs::symlink_metadata(dir.join(MARKER)).is_ok() {
        return Ok(true);
    }
    Ok(!has_entries(dir)?)
}

/// Whether `dir` holds anything besides netvault's lock.
fn has_entries(dir: &Path) -> std::io::Result<bool> {
    for entry in std::fs::read_dir(dir)? {
        if entry?.file_name() != OPEN_LOCK {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Delete everything in the index folder `dir` but the lock, without following a link: a
/// link is removed as a link, a folder with what it holds (std's `remove_dir_all` does not
/// follow links inside it either).
fn wipe(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == OPEN_LOCK {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(&path)?;
        } else {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}

/// Temporary files tantivy's atomic writes leave when a process is killed (`.tmpXXXXXX`);
/// removed only while holding the writer lock, when no other process can be writing one.
fn remove_orphan_temp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let is_tmp = entry.file_name().to_string_lossy().starts_with(".tmp");
        if is_tmp && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
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

fn index_error(dir: Option<&Path>, e: impl std::error::Error + Send + Sync + 'static) -> Error {
    Error::Index {
        path: dir.map_or_else(|| PathBuf::from("(in memory)"), Path::to_path_buf),
        source: Box::new(e),
    }
}
