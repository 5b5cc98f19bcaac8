//! NAME → contact through the index (SPEC §2). The decision is [`crate::resolve`]'s; this
//! adapter only fetches, for each step, the few contacts that step could find, so a command
//! never loads the whole vault to find one person:
//! - step 1: the documents of the paths the NAME could name;
//! - step 2: the stem, name and alias keys equal to the NAME's [`key`];
//! - step 3 (commands): documents with, for each word of the NAME, a word of the name or the
//!   aliases starting with it — a superset of the resolver's rule, which then decides on them —
//!   and documents whose file stem the rule names (checked on the path column);
//! - suggestions: the stem, name and alias keys of the term dictionaries nearest by
//!   [`resolve::distance`], then the resolver ranks their contacts.

use std::collections::HashSet;

use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, Searcher, Term};

use super::Index;
use super::schema::path_term;
use crate::contact::Contact;
use crate::error::{Error, Result};
use crate::resolve::{self, Entry, Name, Resolution, Resolver, Usage, key};

/// An ambiguous NAME's message lists at most this many paths, then "and N more".
const LISTED: usize = 10;
/// Suggestions look at no more nearest keys than this (the ties of the last distance included).
const NEAREST_KEYS: usize = 50;

/// Step 3 reads candidates in batches of this many, and stops once two match: the NAME is
/// ambiguous whatever the rest hold (`show a` on a large vault reads a few hundred, not all).
const BATCH: usize = 256;

/// What a NAME resolved to, with the contacts the numbers in `resolution` refer to.
pub struct Lookup {
    pub contacts: Vec<Contact>,
    pub resolution: Resolution,
    /// Candidates left unread once the NAME was known to be ambiguous.
    pub unread: usize,
}

/// The one contact a NAME names; an ambiguous NAME or one naming nobody is an error (exit 2)
/// listing the contacts, or suggesting up to three.
pub fn resolve(index: &Index, name: &Name, usage: Usage) -> Result<Contact> {
    let Lookup {
        mut contacts,
        resolution,
        unread,
    } = lookup(index, name, usage)?;
    match resolution {
        Resolution::Found(i) => Ok(contacts.swap_remove(i)),
        Resolution::Ambiguous(all) => {
            let mut list = listing(&contacts, &all);
            if unread > 0 {
                list.push_str(", and maybe more (type more of the name)");
            }
            Err(Error::Ambiguous(name.text.clone(), list))
        }
        Resolution::Missing => {
            let near = suggest(index, name)?;
            let suffix = if near.is_empty() {
                format!(
                    "; find them with `netvault search {}`, or add them with `netvault add {:?}`",
                    name.text.split_whitespace().next().unwrap_or_default(),
                    name.text
                )
            } else {
                let names: Vec<String> = near.iter().map(|c| format!("{:?} ({})", c.name, c.path)).collect();
                format!("; did you mean {}?", names.join(", or "))
            };
            Err(Error::NotFound(name.text.clone(), suffix))
        }
    }
}

/// Paths of `all`, at most [`LISTED`], then how many more.
pub fn listing(contacts: &[Contact], all: &[usize]) -> String {
    let mut list: Vec<&str> = all.iter().take(LISTED).map(|&i| contacts[i].path.as_str()).collect();
    let more = all.len().saturating_sub(LISTED);
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    list.dedup();
    format!("{}{more}", list.join(", "))
}

/// Resolve `name` on the contacts the index proposes for each step.
pub fn lookup(index: &Index, name: &Name, usage: Usage) -> Result<Lookup> {
    let f = index.fields;
    let searcher = index.searcher();
    let k = key(&name.text);
    let mut terms: Vec<Term> = name.paths().iter().map(|p| path_term(&f, p)).collect();
    for field in [f.stem_key, f.name_key, f.alias_key] {
        terms.push(key_term(index, field, &k));
    }
    let queries: Vec<(Occur, Box<dyn Query>)> = terms
        .into_iter()
        .map(|t| {
            (
                Occur::Should,
                Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>,
            )
        })
        .collect();
    let contacts = fetch(index, &searcher, &BooleanQuery::new(queries))?;
    let resolution = decide(&contacts, name, usage);
    if resolution != Resolution::Missing || usage == Usage::Link {
        return Ok(Lookup {
            contacts,
            resolution,
            unread: 0,
        });
    }
    let hits = prefix_candidates(index, &searcher, &k)?;
    let mut contacts = Vec::new();
    let mut resolution = Resolution::Missing;
    for (n, batch) in hits.chunks(BATCH).enumerate() {
        for &address in batch {
            contacts.extend(index.contact_at(&searcher, address)?);
        }
        resolution = decide(&contacts, name, usage);
        if matches!(resolution, Resolution::Ambiguous(_)) {
            let unread = hits.len().saturating_sub((n + 1) * BATCH);
            return Ok(Lookup {
                contacts,
                resolution,
                unread,
            });
        }
    }
    Ok(Lookup {
        contacts,
        resolution,
        unread: 0,
    })
}

fn decide(contacts: &[Contact], name: &Name, usage: Usage) -> Resolution {
    Resolver::new(contacts.iter().map(Entry::from)).resolve(name, usage)
}

/// Up to three contacts near `name`, closest first.
pub fn suggest(index: &Index, name: &Name) -> Result<Vec<Contact>> {
    let f = index.fields;
    let searcher = index.searcher();
    let k = key(&name.text);
    if k.is_empty() {
        return Ok(Vec::new());
    }
    let mut near: Vec<(usize, String)> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for segment in searcher.segment_readers() {
        for field in [f.stem_key, f.name_key, f.alias_key] {
            let inverted = segment.inverted_index(field).map_err(index_error)?;
            let mut stream = inverted.terms().stream().map_err(index_error)?;
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                let d = resolve::distance(&k, term);
                if resolve::near_enough(&k, d) && seen.insert(term.to_string()) {
                    near.push((d, term.to_string()));
                }
            }
        }
    }
    near.sort_unstable();
    // Keep the nearest keys, with every key as near as the last one kept.
    let cut = near
        .get(NEAREST_KEYS.min(near.len()).saturating_sub(1))
        .map_or(0, |(d, _)| *d);
    let near: Vec<String> = near
        .into_iter()
        .take_while(|(d, _)| *d <= cut)
        .map(|(_, t)| t)
        .collect();
    let mut queries: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for term in &near {
        for field in [f.stem_key, f.name_key, f.alias_key] {
            queries.push((
                Occur::Should,
                Box::new(TermQuery::new(
                    Term::from_field_text(field, term),
                    IndexRecordOption::Basic,
                )),
            ));
        }
    }
    if queries.is_empty() {
        return Ok(Vec::new());
    }
    let mut contacts = fetch(index, &searcher, &BooleanQuery::new(queries))?;
    let order = Resolver::new(contacts.iter().map(Entry::from)).suggest(&name.text);
    let mut out = Vec::with_capacity(order.len());
    for i in order {
        out.push(std::mem::take(&mut contacts[i]));
    }
    Ok(out)
}

/// The term a key field holds for `key`: the key as that field's analyser leaves it.
fn key_term(index: &Index, field: Field, key: &str) -> Term {
    let token = index
        .tantivy()
        .tokenizer_for_field(field)
        .ok()
        .and_then(|mut analyzer| analyzer.token_stream(key).next().map(|t| t.text.clone()));
    Term::from_field_text(field, token.as_deref().unwrap_or(key))
}

/// The documents step 3 could name, in index order: each word of `key` starts a word of the
/// name or the aliases, or — checked on the path column, without reading the document — the
/// resolver's rule holds for the file stem (a folder's or `md`'s words name nobody).
fn prefix_candidates(index: &Index, searcher: &Searcher, key: &str) -> Result<Vec<DocAddress>> {
    let f = index.fields;
    let Some(by_name) = prefix_query(index, key, &[f.name, f.aliases]) else {
        return Ok(Vec::new());
    };
    let mut hits: HashSet<DocAddress> = searcher.search(&by_name, &DocSetCollector).map_err(index_error)?;
    if let Some(by_path) = prefix_query(index, key, &[f.path_text]) {
        let mut path = String::new();
        let mut columns = std::collections::HashMap::new();
        for address in searcher.search(&by_path, &DocSetCollector).map_err(index_error)? {
            if hits.contains(&address) {
                continue;
            }
            let column = match columns.entry(address.segment_ord) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let segment = searcher.segment_reader(address.segment_ord);
                    e.insert(segment.fast_fields().str("path").map_err(index_error)?)
                }
            };
            let Some(column) = column else { continue };
            let Some(ord) = column.ords().first(address.doc_id) else {
                continue;
            };
            path.clear();
            column.ord_to_str(ord, &mut path).map_err(index_error)?;
            if resolve::starts(key, &crate::contact::stem_of(&path)) {
                hits.insert(address);
            }
        }
    }
    let mut hits: Vec<DocAddress> = hits.into_iter().collect();
    hits.sort_unstable();
    Ok(hits)
}

/// Documents where each word of `key` starts a word of one of `fields`.
fn prefix_query(index: &Index, key: &str, fields: &[Field]) -> Option<BooleanQuery> {
    let mut analyzer = index.tantivy().tokenizer_for_field(index.fields.name).ok()?;
    let mut stream = analyzer.token_stream(key);
    let mut words: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    while let Some(token) = stream.next() {
        let anywhere: Vec<(Occur, Box<dyn Query>)> = fields
            .iter()
            .map(|&field| {
                let term = Term::from_field_text(field, &token.text);
                (
                    Occur::Should,
                    Box::new(FuzzyTermQuery::new_prefix(term, 0, false)) as Box<dyn Query>,
                )
            })
            .collect();
        words.push((Occur::Must, Box::new(BooleanQuery::new(anywhere))));
    }
    (!words.is_empty()).then(|| BooleanQuery::new(words))
}

/// Every contact matching `query`, in index order.
fn fetch(index: &Index, searcher: &Searcher, query: &dyn Query) -> Result<Vec<Contact>> {
    let mut hits: Vec<DocAddress> = searcher
        .search(query, &DocSetCollector)
        .map_err(index_error)?
        .into_iter()
        .collect();
    hits.sort_unstable();
    let mut out = Vec::with_capacity(hits.len());
    for address in hits {
        out.extend(index.contact_at(searcher, address)?);
    }
    Ok(out)
}

fn index_error(e: impl std::error::Error + Send + Sync + 'static) -> Error {
    Error::Index {
        path: std::path::PathBuf::from("(name lookup)"),
        source: Box::new(e),
    }
}
