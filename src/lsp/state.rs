//! The server's picture of the vault: every contact file parsed, in memory, with the editor's
//! unsaved buffers standing in for their files. Kept live from two sides: the editor's
//! `didOpen`/`didChange`/`didClose`, and the file-system watcher's batches (the same
//! [`crate::watch`] engine `netvault watch` runs: a path is decided by stat'ing it, a rescan by
//! a full walk). No index: everything the editor asks is answered from these parsed files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_types::Uri;

use crate::boundary::Boundary;
use crate::config::VaultConfig;
use crate::contact::{self, Contact, Parsed};
use crate::error::Result;
use crate::resolve::{Entry, Name, Resolver, Usage, key};
use crate::vault::{self, FileEntry, Selector};
use crate::watch::{self, Batch};

use super::convert;

/// A contact's labels, folded: name, stem and aliases, its organization, and the names it
/// mentions (wikilinks and `introduced_by`).
#[derive(Debug, Default)]
pub struct Keys {
    pub names: Vec<String>,
    pub organization: Option<String>,
    pub mentions: Vec<String>,
}

impl Keys {
    fn of(contact: Option<&Contact>) -> Self {
        let Some(c) = contact else {
            return Self::default();
        };
        let mut names: Vec<String> = [&c.name, &c.stem]
            .into_iter()
            .chain(&c.aliases)
            .map(|l| key(l))
            .collect();
        names.sort();
        names.dedup();
        Self {
            names,
            organization: c.organization.as_deref().map(key),
            mentions: c.wikilinks.iter().chain(&c.introduced_by).map(|n| key(n)).collect(),
        }
    }
}

/// An unsaved buffer the editor opened.
pub struct Doc {
    pub uri: Uri,
    pub version: i32,
    pub text: String,
}

pub struct Vault {
    /// The root as given (URIs are built on it).
    pub root: PathBuf,
    /// The root with links resolved (the watcher's events name real paths).
    pub real_root: PathBuf,
    pub config: VaultConfig,
    pub boundary: Boundary,
    selector: Selector,
    /// Every contact file (open buffers parsed from their text), in no particular order.
    pub files: Vec<Parsed>,
    /// Each file's contact's labels as [`crate::resolve::key`]s (parallel to `files`), for
    /// completion and symbols: folding 10,000 names on each keystroke would cost milliseconds.
    pub keys: Vec<Keys>,
    /// Label key → the contacts (paths) it names: what narrows a NAME's candidates before
    /// [`crate::resolve`] decides among them, as `index::lookup` does for commands.
    labels: HashMap<String, Vec<String>>,
    by_path: HashMap<String, usize>,
    /// Open buffers by vault-relative path (or by URI text for a file outside the vault).
    pub open: HashMap<String, Doc>,
}

impl Vault {
    /// Walk and parse the vault (in parallel, as every command does).
    pub fn load(root: PathBuf, config: VaultConfig, boundary: Boundary) -> Result<Self> {
        let selector = Selector::new(&config)?;
        let walk = vault::walk(&root, &selector);
        let files = vault::read_all(&walk.files, &config);
        let real_root = boundary.real_root().to_path_buf();
        let mut v = Self {
            root,
            real_root,
            config,
            boundary,
            selector,
            files: Vec::new(),
            keys: Vec::new(),
            labels: HashMap::new(),
            by_path: HashMap::new(),
            open: HashMap::new(),
        };
        for parsed in files {
            v.put(parsed);
        }
        Ok(v)
    }

    /// The vault-relative path of a document, when it is inside the vault.
    pub fn rel_of(&self, uri: &Uri) -> Option<String> {
        let path = convert::uri_to_path(uri)?;
        vault::relative(&self.root, &path)
            .or_else(|| vault::relative(&self.real_root, &path))
            .or_else(|| {
                let real = path.parent()?.canonicalize().ok()?.join(path.file_name()?);
                vault::relative(&self.real_root, &real)
            })
    }

    /// The key an open buffer is kept under.
    pub fn doc_key(&self, uri: &Uri) -> String {
        self.rel_of(uri).unwrap_or_else(|| uri.as_str().to_string())
    }

    pub fn uri_of(&self, rel: &str) -> Uri {
        convert::path_to_uri(&self.root.join(rel))
    }

    pub fn abs(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn parsed(&self, rel: &str) -> Option<&Parsed> {
        self.by_path.get(rel).map(|&i| &self.files[i])
    }

    pub fn contact(&self, rel: &str) -> Option<&Contact> {
        self.parsed(rel).and_then(|p| p.contact.as_ref())
    }

    /// The text the editor sees for `rel`: its open buffer, else the file as parsed.
    pub fn text(&self, rel: &str) -> Option<&str> {
        self.open
            .get(rel)
            .map(|d| d.text.as_str())
            .or_else(|| self.parsed(rel).map(|p| p.source.text()))
    }

    /// The contacts that could answer to any of `names` (by path, or by a label with the same
    /// key), `extra` paths added: a [`Resolver`] over them decides exactly as one over the
    /// whole vault would, since no other contact can be found by those names.
    pub fn candidates<'n>(&self, names: impl IntoIterator<Item = &'n str>, extra: &[&str]) -> Vec<&Parsed> {
        let mut paths: Vec<&str> = extra.to_vec();
        for name in names {
            for p in Name::new(name).paths() {
                if let Some((path, _)) = self.by_path.get_key_value(p.as_str()) {
                    paths.push(path);
                }
            }
            if let Some(list) = self.labels.get(&key(name)) {
                paths.extend(list.iter().map(String::as_str));
            }
        }
        paths.sort_unstable();
        paths.dedup();
        paths.into_iter().filter_map(|p| self.parsed(p)).collect()
    }

    /// The contact a link's text names (its path), when exactly one (SPEC §2, steps 1–2).
    pub fn resolve_link(&self, text: &str) -> Option<&str> {
        let candidates = self.candidates([text], &[]);
        let resolver = Resolver::new(candidates.iter().filter_map(|p| p.contact.as_ref()).map(Entry::from));
        resolver.link(text).map(|i| resolver.entry(i).path)
    }

    /// Every contact `name` names (none, one or several), by path.
    pub fn resolve_all(&self, name: &str) -> Vec<&str> {
        let candidates = self.candidates([name], &[]);
        let resolver = Resolver::new(candidates.iter().filter_map(|p| p.contact.as_ref()).map(Entry::from));
        resolver
            .resolve(&Name::new(name), Usage::Link)
            .all()
            .into_iter()
            .map(|i| resolver.entry(i).path)
            .collect()
    }

    /// The label keys of the contact at `path`.
    pub fn keys_of(&self, path: &str) -> Option<&Keys> {
        self.by_path.get(path).map(|&i| &self.keys[i])
    }

    pub fn contacts(&self) -> impl Iterator<Item = &Contact> {
        self.files.iter().filter_map(|p| p.contact.as_ref())
    }

    /// Whether `rel` is one of the vault's contact files (include/exclude globs, hidden paths).
    pub fn selects(&self, rel: &str) -> bool {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        self.selector.selects(rel) && !watch::is_editor_temp(name)
    }

    pub fn parse(&self, rel: &str, text: &str) -> Parsed {
        contact::parse_file(rel, text.as_bytes(), &self.config.fields)
    }

    fn put(&mut self, parsed: Parsed) {
        let keys = Keys::of(parsed.contact.as_ref());
        self.index_labels(&parsed.path, &keys.names);
        if let Some(&i) = self.by_path.get(&parsed.path) {
            self.unindex_labels(&parsed.path, i);
            self.files[i] = parsed;
            self.keys[i] = keys;
        } else {
            self.by_path.insert(parsed.path.clone(), self.files.len());
            self.files.push(parsed);
            self.keys.push(keys);
        }
    }

    fn remove(&mut self, rel: &str) {
        let Some(&i) = self.by_path.get(rel) else {
            return;
        };
        self.unindex_labels(rel, i);
        self.by_path.remove(rel);
        self.files.swap_remove(i);
        self.keys.swap_remove(i);
        if let Some(moved) = self.files.get(i) {
            self.by_path.insert(moved.path.clone(), i);
        }
    }

    fn index_labels(&mut self, path: &str, names: &[String]) {
        for name in names {
            self.labels.entry(name.clone()).or_default().push(path.to_string());
        }
    }

    /// Forget the labels file `i` (at `path`) had; the ones just indexed for its new text
    /// are the last entry of their lists, and stay.
    fn unindex_labels(&mut self, path: &str, i: usize) {
        for name in std::mem::take(&mut self.keys[i].names) {
            if let Some(list) = self.labels.get_mut(&name) {
                if let Some(at) = list.iter().position(|p| p == path) {
                    list.remove(at);
                }
                if list.is_empty() {
                    self.labels.remove(&name);
                }
            }
        }
    }

    /// The editor opened or changed a buffer: it stands in for its file from now on.
    pub fn set_doc(&mut self, uri: Uri, version: i32, text: String) {
        let key = self.doc_key(&uri);
        if self.rel_of(&uri).is_some() && self.selects(&key) {
            let parsed = self.parse(&key, &text);
            self.put(parsed);
        }
        self.open.insert(key, Doc { uri, version, text });
    }

    /// The editor closed a buffer: the file on disk counts again (or nothing, if it is gone).
    pub fn close_doc(&mut self, uri: &Uri) {
        let key = self.doc_key(uri);
        self.open.remove(&key);
        if self.rel_of(uri).is_some() {
            self.reread(&key);
        }
    }

    /// Read `rel` from disk again: present and selected → parsed, else forgotten.
    fn reread(&mut self, rel: &str) {
        let abs = self.real_root.join(rel);
        match std::fs::metadata(&abs) {
            Ok(meta) if meta.is_file() && self.selects(rel) => {
                let entry = FileEntry {
                    rel: rel.to_string(),
                    abs,
                    size: meta.len(),
                    mtime_ns: vault::mtime_ns(&meta),
                };
                let parsed = vault::read_one(&entry, &self.config);
                self.put(parsed);
            }
            _ => self.remove(rel),
        }
    }

    /// A batch of file events: each path is decided by what is on disk now; a buffer the editor
    /// has open keeps its unsaved text. A rescan compares a full walk with what is known.
    /// Returns whether anything changed.
    pub fn apply(&mut self, batch: &Batch) -> bool {
        let mut rels: Vec<String> = batch
            .paths
            .iter()
            .filter_map(|p| vault::relative(&self.real_root, p).or_else(|| vault::relative(&self.root, p)))
            .collect();
        if batch.rescan {
            let walk = vault::walk(&self.real_root, &self.selector);
            rels.extend(walk.files.into_iter().map(|f| f.rel));
            rels.extend(self.by_path.keys().cloned());
        }
        rels.sort();
        rels.dedup();
        let mut changed = false;
        for rel in rels {
            if self.open.contains_key(&rel) || !(self.selects(&rel) || self.by_path.contains_key(&rel)) {
                continue;
            }
            self.reread(&rel);
            changed = true;
        }
        changed
    }

    /// Whether `path` (absolute) is a file of this vault.
    pub fn owns(&self, path: &Path) -> bool {
        vault::relative(&self.root, path).is_some() || vault::relative(&self.real_root, path).is_some()
    }
}
